#!/usr/bin/env bash
# Two builds of MemoryStreamer side by side: alternating loads, broker CPU per load.
#
#   bench/ab.sh --a DIST --b DIST [--loads N] [--order ab|ba] [--keep] [load.sh options...]
#
#   --a DIST, --b DIST  unpacked distributions (the directory holding bin/memorystreamer), e.g.
#                       distributions/minimal/target/memorystreamer-minimal-*/ of two checkouts
#   --loads N           loads per build (5); the first of each build also warms up its JIT
#   --order ab|ba       which build goes first in every pair (ab)
#   --port-a P, --port-b P  their listeners on 127.0.0.1 (39201, 39202)
#   --heap SIZE         each broker's heap, -Xms and -Xmx (1g)
#   --keep              keep the temporary configs, data and server logs afterwards
#   -h, --help          this text
#   Every other option goes to ../shared/bench/load.sh unchanged; without any, each load is
#   --partitions 6 --acks 1,all --rate 0 --e2e-records 0 --no-consume (flat-out produce only).
#
# Both brokers stay up for the whole run with the same stock settings as bench/run.sh, and their
# loads alternate, so what the machine does over time (page-cache writeback, a neighbour's load,
# the slow windows described in docs/performance.md) falls on both builds alike. For every load it
# prints load.sh's summary lines, each prefixed with the build and load number, and then
#   ab build=a|b load=N broker_cpu_s=S
# (user plus system CPU of that build's broker process during the load). Run it on a quiet
# machine, with both orders, and compare the spread of the loads rather than single figures.
#
# Environment: JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64 when present).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
LOAD="$ROOT_DIR/../shared/bench/load.sh"
START_TIMEOUT_SECONDS=120
STOP_TIMEOUT_SECONDS=60

usage() {
  sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
}

die() {
  echo "ab.sh: $*" >&2
  exit 1
}

DIST_A=""
DIST_B=""
LOADS=5
ORDER=ab
PORT_A=39201
PORT_B=39202
HEAP=1g
KEEP=false
LOAD_ARGS=()
while (( $# > 0 )); do
  case "$1" in
    --a) [[ $# -ge 2 ]] || die "--a needs a distribution directory"; DIST_A=${2%/}; shift ;;
    --b) [[ $# -ge 2 ]] || die "--b needs a distribution directory"; DIST_B=${2%/}; shift ;;
    --loads) [[ $# -ge 2 ]] || die "--loads needs a number"; LOADS=$2; shift ;;
    --order) [[ $# -ge 2 ]] || die "--order needs ab or ba"; ORDER=$2; shift ;;
    --port-a) [[ $# -ge 2 ]] || die "--port-a needs a number"; PORT_A=$2; shift ;;
    --port-b) [[ $# -ge 2 ]] || die "--port-b needs a number"; PORT_B=$2; shift ;;
    --heap) [[ $# -ge 2 ]] || die "--heap needs a size"; HEAP=$2; shift ;;
    --keep) KEEP=true ;;
    -h|--help) usage; exit 0 ;;
    *) LOAD_ARGS+=("$1") ;;
  esac
  shift
done
for dist in "$DIST_A" "$DIST_B"; do
  [[ -n "$dist" ]] || die "both --a and --b are needed"
  [[ -x "$dist/bin/memorystreamer" ]] || die "no bin/memorystreamer under $dist"
done
[[ "$LOADS" =~ ^[1-9][0-9]*$ ]] || die "--loads must be a positive number, got $LOADS"
[[ "$ORDER" == ab || "$ORDER" == ba ]] || die "--order must be ab or ba, got $ORDER"
[[ "$PORT_A" =~ ^[0-9]+$ && "$PORT_B" =~ ^[0-9]+$ && "$PORT_A" != "$PORT_B" ]] \
  || die "--port-a and --port-b must be two different numbers"
[[ -x "$LOAD" ]] || die "the shared harness is missing: $LOAD"
if (( ${#LOAD_ARGS[@]} == 0 )); then
  LOAD_ARGS=(--partitions 6 --acks 1,all --rate 0 --e2e-records 0 --no-consume)
fi

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

for port in "$PORT_A" "$PORT_B"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use on 127.0.0.1; choose another with --port-a / --port-b"
  fi
done

WORK_DIR=$(mktemp -d /tmp/msbench-ab-XXXXXX)
declare -A PID=()
stop_brokers() {
  local code=$? build waited
  for build in "${!PID[@]}"; do
    kill -TERM "${PID[$build]}" 2>/dev/null || true
  done
  for build in "${!PID[@]}"; do
    waited=0
    while kill -0 "${PID[$build]}" 2>/dev/null && (( waited < STOP_TIMEOUT_SECONDS * 2 )); do
      sleep 0.5
      waited=$((waited + 1))
    done
    kill -KILL "${PID[$build]}" 2>/dev/null || true
  done
  if [[ "$KEEP" == true || $code -ne 0 ]]; then
    echo "# configs, data and server logs kept in $WORK_DIR" >&2
  else
    rm -rf "$WORK_DIR"
  fi
}
trap stop_brokers EXIT
trap 'exit 130' INT TERM

start_broker() { # start_broker BUILD DIST PORT
  local build=$1 dist="$WORK_DIR/$1/dist" port=$3 dir="$WORK_DIR/$1" waited=0
  mkdir -p "$dir"
  # A copy per build: one installation runs one broker, and the same build may be on both sides.
  cp -r "$2" "$dist"
  cat >"$dir/server.properties" <<CONF
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
log.dirs=$dir/data
group.initial.rebalance.delay.ms=0
CONF
  echo "# starting build $build from $2 on 127.0.0.1:$port (heap $HEAP)" >&2
  MEMORYSTREAMER_HEAP_OPTS="-Xms$HEAP -Xmx$HEAP" \
    "$dist/bin/memorystreamer" start --config "$dir/server.properties" >"$dir/server.log" 2>&1 </dev/null &
  PID[$build]=$!
  until grep -q 'MemoryStreamer started' "$dir/server.log" 2>/dev/null; do
    kill -0 "${PID[$build]}" 2>/dev/null || die "build $build exited before it started (log: $dir/server.log)"
    (( waited < START_TIMEOUT_SECONDS * 2 )) || die "build $build did not start in time (log: $dir/server.log)"
    sleep 0.5
    waited=$((waited + 1))
  done
}

# User plus system time of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

start_broker a "$DIST_A" "$PORT_A"
start_broker b "$DIST_B" "$PORT_B"
declare -A PORT=([a]=$PORT_A [b]=$PORT_B)
TICKS=$(getconf CLK_TCK)

for ((load = 1; load <= LOADS; load++)); do
  for build in ${ORDER:0:1} ${ORDER:1:1}; do
    before=$(cpu_ticks "${PID[$build]}")
    "$LOAD" --bootstrap "127.0.0.1:${PORT[$build]}" --label "$build" --round "$load" \
      --logdir "$WORK_DIR/$build/load-$load" "${LOAD_ARGS[@]}" | sed "s/^/ab-load build=$build load=$load /"
    after=$(cpu_ticks "${PID[$build]}")
    awk -v b="$build" -v l="$load" -v t="$((after - before))" -v hz="$TICKS" \
      'BEGIN { printf "ab build=%s load=%d broker_cpu_s=%.2f\n", b, l, t / hz }'
  done
done
