#!/usr/bin/env bash
# Runs the JMH benchmarks of the broker's hot paths.
#
#   bench/run-jmh.sh [JMH arguments...]
#
# Without arguments: every benchmark with short settings, -f 1 -wi 2 -i 3.
# With arguments: they go to JMH unchanged, for example
#   bench/run-jmh.sh FetchRead -f 1 -wi 1 -i 1 -r 1s -w 1s   one benchmark, briefly
#   bench/run-jmh.sh -l                                       list the benchmarks
#   bench/run-jmh.sh -h                                       JMH's own options
# Builds bench/target/benchmarks.jar first when it is missing (mvn -Pbench -pl bench -am package).
#
# Environment: JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64 when present).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$BENCH_DIR/target/benchmarks.jar"

if [[ "${1:-}" == "--help" ]]; then
  sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
  exit 0
fi

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ ! -f "$JAR" ]]; then
  echo "# building $JAR" >&2
  (cd "$ROOT_DIR" && mvn -B -q -Pbench -pl bench -am package -DskipTests)
fi

if (( $# == 0 )); then
  set -- -f 1 -wi 2 -i 3
fi
exec "$JAVA" -jar "$JAR" "$@"
