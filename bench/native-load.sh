#!/usr/bin/env bash
# MemoryStreamer beside Apache Kafka with a native client: librdkafka's kcat produces and consumes,
# so the load tool needs a fraction of the CPU Kafka's Java tools need and the brokers' own costs
# decide the rates.
#
#   bench/native-load.sh [--loads N] [--records N] [--partitions N] [--port P] [--peer-port P]
#                        [--heap SIZE] [--keep]
#
#   --loads N        loads per broker, alternating, MemoryStreamer first (5); the first is a warm-up
#   --records N      records per produce step, 1 KiB each (500000)
#   --partitions N   partitions of each load's topic (6)
#   --port P         MemoryStreamer's listener on 127.0.0.1 (39093)
#   --peer-port P    the Kafka peer's listener on 127.0.0.1 (19093)
#   --heap SIZE      both brokers' heap, -Xms and -Xmx (1g)
#   --keep           keep the temporary configs, data and logs afterwards
#   -h, --help       this text
#
# Each load creates a topic on one broker, produces N records with acks=1 and N with acks=all
# (kcat -P, linger.ms=5, batch.size=16384 as the Java producer's defaults), checks that the
# topic's end offsets add up to 2N, then reads all 2N records back (kcat -C). Lines:
#   native broker=memorystreamer|kafka load=L step=produce-acks1|produce-acksall|consume
#     records=N mb_per_s=X broker_cpu_s=S status=ok|fail
# (wall-clock rate of the kcat process; the broker's user plus system CPU during the step), and
# after the last load the medians over the loads after the first and their ratios:
#   native-ratio step=... memorystreamer_mb_per_s=X kafka_mb_per_s=Y ratio=X/Y
#
# Needs kcat (Debian: apt-get install kcat), the built distribution (as run.sh) and the shared
# harness (../shared/bench) for the Kafka peer and its jars.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
HARNESS="$ROOT_DIR/../shared/bench"
BENCH_SCRIPT=native-load.sh
source "$BENCH_DIR/broker.sh"

LOADS=5
RECORDS=500000
PARTITIONS=6
PORT=39093
PEER_PORT=19093
HEAP=1g
KEEP=false
while (( $# > 0 )); do
  case "$1" in
    --loads) [[ $# -ge 2 ]] || die "--loads needs a number"; LOADS=$2; shift ;;
    --records) [[ $# -ge 2 ]] || die "--records needs a number"; RECORDS=$2; shift ;;
    --partitions) [[ $# -ge 2 ]] || die "--partitions needs a number"; PARTITIONS=$2; shift ;;
    --port) [[ $# -ge 2 ]] || die "--port needs a number"; PORT=$2; shift ;;
    --peer-port) [[ $# -ge 2 ]] || die "--peer-port needs a number"; PEER_PORT=$2; shift ;;
    --heap) [[ $# -ge 2 ]] || die "--heap needs a size"; HEAP=$2; shift ;;
    --keep) KEEP=true ;;
    -h|--help) usage "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
for n in "$LOADS" "$RECORDS" "$PARTITIONS" "$PORT" "$PEER_PORT"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "expected a positive number, got $n"
done
(( LOADS >= 2 )) || die "--loads must be at least 2: the first load is a warm-up"
command -v kcat >/dev/null || die "kcat is not installed (Debian: apt-get install kcat)"
[[ -x "$HARNESS/kafka-peer.sh" ]] || die "the shared harness is missing: $HARNESS"
source "$HARNESS/lib.sh"
msb_ensure_jars

DIST=$(find_distribution)
[[ -n "$DIST" ]] || die "no distribution: mvn -B -q -pl distributions/minimal -am package -DskipTests"
die_if_port_in_use "$PORT" "choose another with --port"
die_if_port_in_use "$PEER_PORT" "choose another with --peer-port"

WORK_DIR=$(mktemp -d /tmp/msbench-native-XXXXXX)
BROKER_PID=""
PEER_STARTED=false
stop_all() {
  local code=$?
  [[ -z "$STARTED_PID" ]] || stop_broker_pid "$STARTED_PID" MemoryStreamer
  if [[ "$PEER_STARTED" == true ]]; then
    "$HARNESS/kafka-peer.sh" stop --port "$PEER_PORT" --dir "$WORK_DIR/kafka" >&2 || true
  fi
  finish_work_dir "$code" "configs, data and logs"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

write_broker_config "$WORK_DIR/server.properties" "$PORT" "$WORK_DIR/data"
echo "# starting MemoryStreamer from $DIST on 127.0.0.1:$PORT (heap $HEAP)" >&2
start_broker "$DIST" "$WORK_DIR/server.properties" "$WORK_DIR/server.log" "$HEAP" MemoryStreamer
BROKER_PID=$STARTED_PID
echo "# starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$PEER_PORT" >&2
PEER_STARTED=true
"$HARNESS/kafka-peer.sh" start --port "$PEER_PORT" --dir "$WORK_DIR/kafka" --heap "${HEAP^^}" >&2
PEER_PID=$(cat "$WORK_DIR/kafka/kafka.pid")

# One 1,024-byte record per line (kcat sends each line as a record value).
RECORD_FILE="$WORK_DIR/records.txt"
# (tr and yes end on SIGPIPE once head has enough; the file's size is checked instead)
LINE=$(LC_ALL=C tr -dc 'a-zA-Z0-9' </dev/urandom | head -c 1024 || true)
yes "$LINE" | head -n "$RECORDS" >"$RECORD_FILE" || true
[[ $(stat -c %s "$RECORD_FILE") -eq $((RECORDS * 1025)) ]] || die "could not write $RECORD_FILE"

declare -A PID_OF=([memorystreamer]=$BROKER_PID [kafka]=$PEER_PID)
declare -A PORT_OF=([memorystreamer]=$PORT [kafka]=$PEER_PORT)
TICKS=$(getconf CLK_TCK)
RESULTS="$WORK_DIR/results"
: >"$RESULTS"

# end_offsets BOOTSTRAP TOPIC -> the sum of the topic's end offsets
end_offsets() {
  local args=() p
  for (( p = 0; p < PARTITIONS; p++ )); do args+=(-t "$2:$p:-1"); done
  kcat -Q -b "$1" "${args[@]}" 2>>"$WORK_DIR/kcat.err" | awk '/offset/ {sum += $NF} END {print sum + 0}'
}

# step BROKER LOAD NAME RECORDS COMMAND... : runs the step, prints its line, keeps its rate
step() {
  local broker=$1 load=$2 name=$3 records=$4 before start rc=0 wall cpu status=ok
  shift 4
  before=$(cpu_ticks "${PID_OF[$broker]}")
  start=$EPOCHREALTIME
  "$@" || rc=$?
  wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')
  cpu=$(( $(cpu_ticks "${PID_OF[$broker]}") - before ))
  [[ $rc -eq 0 ]] || status=fail
  awk -v b="$broker" -v l="$load" -v s="$name" -v n="$records" -v w="$wall" -v c="$cpu" -v hz="$TICKS" \
    -v st="$status" 'BEGIN {
      printf "native broker=%s load=%d step=%s records=%d mb_per_s=%.2f broker_cpu_s=%.2f status=%s\n",
        b, l, s, n, n * 1024 / 1048576 / w, c / hz, st }' | tee -a "$RESULTS"
  [[ "$status" == ok ]]
}

produce() { # produce BOOTSTRAP TOPIC ACKS
  kcat -P -b "$1" -t "$2" -X "acks=$3" -X linger.ms=5 -X batch.size=16384 -l "$RECORD_FILE" \
    2>>"$WORK_DIR/kcat.err"
}

consume() { # consume BOOTSTRAP TOPIC RECORDS : fails unless exactly RECORDS records arrive
  local got
  got=$(kcat -C -b "$1" -t "$2" -o beginning -e -q -f '.' 2>>"$WORK_DIR/kcat.err" | wc -c)
  [[ "$got" -eq "$3" ]] || { echo "# consumed $got of $3 records from $2" >&2; return 1; }
}

failures=0
for (( load = 1; load <= LOADS; load++ )); do
  for broker in memorystreamer kafka; do
    bootstrap="127.0.0.1:${PORT_OF[$broker]}"
    topic="native-$load"
    msb_kafka_tool 256M org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
      --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 >>"$WORK_DIR/topics.log" 2>&1 \
      || die "could not create $topic on $broker (see $WORK_DIR/topics.log)"
    step "$broker" "$load" produce-acks1 "$RECORDS" produce "$bootstrap" "$topic" 1 || failures=$((failures + 1))
    step "$broker" "$load" produce-acksall "$RECORDS" produce "$bootstrap" "$topic" all || failures=$((failures + 1))
    stored=$(end_offsets "$bootstrap" "$topic")
    if [[ "$stored" -ne $((2 * RECORDS)) ]]; then
      echo "# $broker stored $stored of $((2 * RECORDS)) records in $topic" >&2
      failures=$((failures + 1))
    fi
    step "$broker" "$load" consume $((2 * RECORDS)) consume "$bootstrap" "$topic" $((2 * RECORDS)) \
      || failures=$((failures + 1))
  done
done

awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["load"] > 1 && f["status"] == "ok") rates[f["broker"], f["step"]] = rates[f["broker"], f["step"]] " " f["mb_per_s"]
  }
  END {
    split("produce-acks1 produce-acksall consume", steps, " ")
    for (s = 1; s <= 3; s++) {
      m = median(rates["memorystreamer", steps[s]]); k = median(rates["kafka", steps[s]])
      printf "native-ratio step=%s memorystreamer_mb_per_s=%.2f kafka_mb_per_s=%.2f ratio=%.3f\n",
        steps[s], m, k, (k > 0 ? m / k : 0)
    }
  }' "$RESULTS"
(( failures == 0 )) || die "$failures step(s) failed (kcat's messages: $WORK_DIR/kcat.err)"
