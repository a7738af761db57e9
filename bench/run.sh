#!/usr/bin/env bash
# Side-by-side run of MemoryStreamer against Apache Kafka with the shared harness.
#
#   bench/run.sh [--port P] [--heap SIZE] [--build] [--keep] [compare.sh options...]
#
#   --port P      MemoryStreamer's PLAINTEXT listener on 127.0.0.1           (9092)
#   --heap SIZE   MemoryStreamer's heap, -Xms and -Xmx, as the peer's --peer-heap (1g)
#   --build       rebuild the distribution first (it is built anyway when missing)
#   --keep        keep the temporary config, data and server.log afterwards
#   --cpu-log F   write who used the CPU each second to F (bench/cpu-sampler.sh)
#   --sched-log F write every thread's CPU and run-queue time of both brokers and the load tools,
#                 twice a second, to F; read it with bench/thread-sched.sh report F
#   --probe-log F write what the machine charges for new page-cache writes, every 2 s, to F
#                 (bench/tools/PageCacheProbe.java; about 1 % of one core)
#   --set K=V     add a broker setting to the benchmark config (repeatable), e.g. to compare a
#                 tuning against the defaults with the same harness
#   -h, --help    this text
#   Every other option goes to ../shared/bench/compare.sh unchanged, e.g. --rounds 3,
#   --quick, --no-warmup, --peer-port, --out (see: ../shared/bench/compare.sh --help).
#
# Starts the built distribution (distributions/minimal/target/memorystreamer-minimal-*/) with a
# benchmark config in a temporary directory, waits for "MemoryStreamer started", runs
#   compare.sh --bootstrap 127.0.0.1:P --candidate-pid PID ...
# and stops exactly that broker process when it ends, Ctrl-C included.
#
# Environment: JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64 when present).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
COMPARE="$ROOT_DIR/../shared/bench/compare.sh"
BENCH_SCRIPT=run.sh
source "$BENCH_DIR/broker.sh"

PORT=9092
HEAP=1g
BUILD=false
KEEP=false
CPU_LOG=""
SCHED_LOG=""
PROBE_LOG=""
BROKER_SETTINGS=()
COMPARE_ARGS=()
while (( $# > 0 )); do
  case "$1" in
    --port) [[ $# -ge 2 ]] || die "--port needs a number"; PORT=$2; shift ;;
    --heap) [[ $# -ge 2 ]] || die "--heap needs a size"; HEAP=$2; shift ;;
    --build) BUILD=true ;;
    --keep) KEEP=true ;;
    --cpu-log) [[ $# -ge 2 ]] || die "--cpu-log needs a file"; CPU_LOG=$2; shift ;;
    --sched-log) [[ $# -ge 2 ]] || die "--sched-log needs a file"; SCHED_LOG=$2; shift ;;
    --probe-log) [[ $# -ge 2 ]] || die "--probe-log needs a file"; PROBE_LOG=$2; shift ;;
    --set)
      [[ $# -ge 2 && "$2" =~ ^[a-z0-9._-]+=.* ]] || die "--set needs KEY=VALUE, got ${2:-nothing}"
      BROKER_SETTINGS+=("$2"); shift ;;
    -h|--help) usage "${BASH_SOURCE[0]}"; exit 0 ;;
    *) COMPARE_ARGS+=("$1") ;;
  esac
  shift
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number, got $PORT"
[[ -x "$COMPARE" ]] || die "the shared harness is missing: $COMPARE"

DIST=$(find_distribution)
if [[ "$BUILD" == true || -z "$DIST" ]]; then
  echo "# building the distribution" >&2
  (cd "$ROOT_DIR" && mvn -B -q -pl distributions/minimal -am package -DskipTests)
  DIST=$(find_distribution)
  [[ -n "$DIST" ]] || die "no distribution under $ROOT_DIR/distributions/minimal/target after the build"
fi

die_if_port_in_use "$PORT" "choose another with --port"

WORK_DIR=$(mktemp -d /tmp/msbench-memorystreamer-XXXXXX)
CONFIG="$WORK_DIR/server.properties"
SERVER_LOG="$WORK_DIR/server.log"
write_broker_config "$CONFIG" "$PORT" "$WORK_DIR/data" "${BROKER_SETTINGS[@]}"
if (( ${#BROKER_SETTINGS[@]} > 0 )); then
  echo "# extra broker settings: ${BROKER_SETTINGS[*]}" >&2
fi

PROBE_PID=""
stop_broker() {
  local code=$?
  [[ -z "$STARTED_PID" ]] || stop_broker_pid "$STARTED_PID" MemoryStreamer
  # The probe ends with the broker and removes its files; let it before the directory goes.
  if [[ -n "$PROBE_PID" ]]; then
    wait "$PROBE_PID" 2>/dev/null || true
  fi
  finish_work_dir "$code" "config, data and server.log"
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

echo "# starting MemoryStreamer from $DIST on 127.0.0.1:$PORT (heap $HEAP)" >&2
start_broker "$DIST" "$CONFIG" "$SERVER_LOG" "$HEAP" MemoryStreamer
BROKER_PID=$STARTED_PID
echo "# $(grep -m1 'MemoryStreamer started' "$SERVER_LOG" | sed 's/.* - //') (pid $BROKER_PID)" >&2
if [[ -n "$CPU_LOG" ]]; then
  # Ends by itself when the broker exits.
  "$BENCH_DIR/cpu-sampler.sh" "$BROKER_PID" "$CPU_LOG" &
fi
if [[ -n "$SCHED_LOG" ]]; then
  # Ends by itself when the broker exits.
  "$BENCH_DIR/thread-sched.sh" record "$BROKER_PID" "$SCHED_LOG" &
fi
if [[ -n "$PROBE_LOG" ]]; then
  # Writes on the broker's file system; ends by itself when the broker exits.
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx64m "$BENCH_DIR/tools/PageCacheProbe.java" "$WORK_DIR/probe" "$PROBE_LOG" \
    "$BROKER_PID" &
  PROBE_PID=$!
fi

"$COMPARE" --bootstrap "127.0.0.1:$PORT" --candidate-pid "$BROKER_PID" "${COMPARE_ARGS[@]}"
