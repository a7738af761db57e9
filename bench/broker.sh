# Starting and stopping a MemoryStreamer installation for the benchmark scripts (sourced by run.sh,
# ab.sh and native-load.sh). Callers set BENCH_SCRIPT (their name, for messages) and ROOT_DIR (the
# project's root) before sourcing.

START_TIMEOUT_SECONDS=120
STOP_TIMEOUT_SECONDS=60
# The pid of the broker start_broker launched last, set before it waits: an exit trap stops it
# even when the start is interrupted.
STARTED_PID=""

# Prints the calling script's header comment.
usage() {
  sed -n '2,/^[^#]/p' "$1" | grep '^#' | sed 's/^# \{0,1\}//'
}

die() {
  echo "$BENCH_SCRIPT: $*" >&2
  exit 1
}

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

# die_if_port_in_use PORT HINT
die_if_port_in_use() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 is already in use on 127.0.0.1; $2"
  fi
}

# write_broker_config FILE PORT DATA_DIR [SETTING...]
# Stock settings apart from what the Kafka peer sets too: the address, the data directory and no
# initial rebalance delay. Like the peer, no fsync per write.
write_broker_config() {
  local file=$1 port=$2 data=$3
  shift 3
  cat >"$file" <<CONF
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
log.dirs=$data
group.initial.rebalance.delay.ms=0
CONF
  if (( $# > 0 )); then
    printf '%s\n' "$@" >>"$file"
  fi
}

# start_broker DIST CONFIG SERVER_LOG HEAP NAME : starts the installation in the foreground mode
# (the launcher execs the JVM, so the pid is the broker's own), sets STARTED_PID and waits for
# "MemoryStreamer started". The broker gets a session of its own, as the harness gives the Kafka
# peer: with the kernel's autogroup scheduling (kernel.sched_autogroup_enabled=1) every session is
# a CPU scheduling group, and a broker left in this script's session would share one group with
# the load tools while the peer has its own.
start_broker() {
  local dist=$1 config=$2 log=$3 heap=$4 name=$5 waited=0
  MEMORYSTREAMER_HEAP_OPTS="-Xms$heap -Xmx$heap" \
    setsid "$dist/bin/memorystreamer" start --config "$config" >"$log" 2>&1 </dev/null &
  STARTED_PID=$!
  until grep -q 'MemoryStreamer started' "$log" 2>/dev/null; do
    if ! kill -0 "$STARTED_PID" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "$name exited before it started (log: $log)"
    fi
    if (( waited >= START_TIMEOUT_SECONDS * 2 )); then
      tail -n 30 "$log" >&2 || true
      die "$name did not start within $START_TIMEOUT_SECONDS s (log: $log)"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

# stop_broker_pid PID NAME : SIGTERM, then SIGKILL if it is still running after the timeout.
stop_broker_pid() {
  local pid=$1 name=$2 waited=0
  kill -0 "$pid" 2>/dev/null || return 0
  echo "# stopping $name (pid $pid)" >&2
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && (( waited < STOP_TIMEOUT_SECONDS * 2 )); do
    sleep 0.5
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "# $name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT_SECONDS} s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# finish_work_dir EXIT_CODE WHAT : removes WORK_DIR, or keeps it (and says so) after a failure or
# when KEEP is true.
finish_work_dir() {
  if [[ "$KEEP" == true || $1 -ne 0 ]]; then
    echo "# $2 kept in $WORK_DIR" >&2
  else
    rm -rf "$WORK_DIR"
  fi
}

# find_distribution : prints the built distribution's directory under ROOT_DIR, or nothing.
find_distribution() {
  local dir
  for dir in "$ROOT_DIR"/distributions/minimal/target/memorystreamer-minimal-*/; do
    [[ -x "$dir/bin/memorystreamer" ]] && { echo "${dir%/}"; return 0; }
  done
  return 0
}

# cpu_ticks PID : user plus system time of a process in clock ticks (fields 14 and 15 of
# /proc/PID/stat).
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}
