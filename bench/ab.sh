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
#   --opts-a "OPTS", --opts-b "OPTS"  further JVM options for one build (its MEMORYSTREAMER_OPTS;
#                       default: the environment's), e.g. to compare two settings of one build
#   --set-a KEY=VALUE, --set-b KEY=VALUE  a broker setting for one build (repeatable)
#   --keep              keep the temporary configs, data and server logs afterwards
#   -h, --help          this text
#   Every other option goes to ../shared/bench/load.sh unchanged; without any, each load is
#   --partitions 6 --acks 1,all --rate 0 --e2e-records 0 --no-consume (flat-out produce only).
#
# Both brokers stay up for the whole run with bench/run.sh's stock settings (plus any --set-a /
# --set-b), and their loads alternate, so what the machine does over time (page-cache writeback,
# a neighbour's load, the slow windows described in docs/performance.md) falls on both builds
# alike. For every load it prints load.sh's summary lines, each prefixed with the build and load
# number, and then
#   ab build=a|b load=N broker_cpu_s=S minor_faults=F rss_mb=M
# (user plus system CPU of that build's broker process during the load, the pages it touched for
# the first time: heap, native memory and mapped files, and its resident memory after the load).
# Run it on a quiet machine, with both orders, and compare the spread of the loads rather than
# single figures.
#
# Environment: JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64 when present).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
LOAD="$ROOT_DIR/../shared/bench/load.sh"
BENCH_SCRIPT=ab.sh
source "$BENCH_DIR/broker.sh"

DIST_A=""
DIST_B=""
LOADS=5
ORDER=ab
PORT_A=39201
PORT_B=39202
HEAP=1g
declare -A OPTS=([a]="${MEMORYSTREAMER_OPTS:-}" [b]="${MEMORYSTREAMER_OPTS:-}")
KEEP=false
SETTINGS_A=()
SETTINGS_B=()
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
    --opts-a) [[ $# -ge 2 ]] || die "--opts-a needs JVM options"; OPTS[a]=$2; shift ;;
    --opts-b) [[ $# -ge 2 ]] || die "--opts-b needs JVM options"; OPTS[b]=$2; shift ;;
    --set-a|--set-b)
      [[ $# -ge 2 && "$2" == *=* ]] || die "$1 needs KEY=VALUE"
      if [[ "$1" == --set-a ]]; then SETTINGS_A+=("$2"); else SETTINGS_B+=("$2"); fi
      shift ;;
    --keep) KEEP=true ;;
    -h|--help) usage "${BASH_SOURCE[0]}"; exit 0 ;;
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

for port in "$PORT_A" "$PORT_B"; do
  die_if_port_in_use "$port" "choose another with --port-a / --port-b"
done

WORK_DIR=$(mktemp -d /tmp/msbench-ab-XXXXXX)
declare -A PID=()
stop_brokers() {
  local code=$? build
  for build in "${!PID[@]}"; do
    stop_broker_pid "${PID[$build]}" "build $build"
  done
  # A start that was interrupted or timed out: its pid is not in PID yet.
  [[ -z "$STARTED_PID" ]] || stop_broker_pid "$STARTED_PID" "the broker being started"
  finish_work_dir "$code" "configs, data and server logs"
}
trap stop_brokers EXIT
trap 'exit 130' INT TERM

start_build() { # start_build BUILD DIST PORT [SETTING...]
  local build=$1 dist=$2 port=$3 dir="$WORK_DIR/$1"
  shift 3
  mkdir -p "$dir"
  # A copy per build: one installation runs one broker, and the same build may be on both sides.
  cp -r "$dist" "$dir/dist"
  write_broker_config "$dir/server.properties" "$port" "$dir/data" "$@"
  echo "# starting build $build from $dist on 127.0.0.1:$port (heap $HEAP${OPTS[$build]:+, ${OPTS[$build]}}${*:+, $*})" >&2
  MEMORYSTREAMER_OPTS="${OPTS[$build]}" \
    start_broker "$dir/dist" "$dir/server.properties" "$dir/server.log" "$HEAP" "build $build"
  PID[$build]=$STARTED_PID
  STARTED_PID=""
}

# A process's minor page faults (field 10 of /proc/PID/stat).
minor_faults() {
  awk '{print $10}' "/proc/$1/stat"
}
resident_mb() {
  awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

start_build a "$DIST_A" "$PORT_A" ${SETTINGS_A[@]+"${SETTINGS_A[@]}"}
start_build b "$DIST_B" "$PORT_B" ${SETTINGS_B[@]+"${SETTINGS_B[@]}"}
declare -A PORT=([a]=$PORT_A [b]=$PORT_B)
TICKS=$(getconf CLK_TCK)

for ((load = 1; load <= LOADS; load++)); do
  for build in ${ORDER:0:1} ${ORDER:1:1}; do
    before=$(cpu_ticks "${PID[$build]}")
    faults_before=$(minor_faults "${PID[$build]}")
    "$LOAD" --bootstrap "127.0.0.1:${PORT[$build]}" --label "$build" --round "$load" \
      --logdir "$WORK_DIR/$build/load-$load" "${LOAD_ARGS[@]}" | sed "s/^/ab-load build=$build load=$load /"
    after=$(cpu_ticks "${PID[$build]}")
    faults=$(( $(minor_faults "${PID[$build]}") - faults_before ))
    awk -v b="$build" -v l="$load" -v t="$((after - before))" -v hz="$TICKS" -v f="$faults" \
      -v r="$(resident_mb "${PID[$build]}")" \
      'BEGIN { printf "ab build=%s load=%d broker_cpu_s=%.2f minor_faults=%d rss_mb=%s\n", b, l, t / hz, f, r }'
  done
done
