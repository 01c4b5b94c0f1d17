#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the JMH suite. See docs/BENCHMARKS.md.
#
#   benchmarks/run.sh quick [JMH args...]  every benchmark, 1 fork, 1 x 200 ms warmup, 2 x 200 ms
#                                          measurement: a smoke test that each one runs and that
#                                          its own path check passes. It asserts no timings.
#   benchmarks/run.sh full [JMH args...]   the suite for the record: 2 forks, 3 x 1 s warmup,
#                                          5 x 1 s measurement, -prof gc, JSON results in
#                                          benchmarks/results/<UTC time>.json
#
# Extra arguments go to JMH after the mode's own, e.g. a benchmark regex:
#   benchmarks/run.sh full PolicyEngineBenchmark.success
# Set STOIC_BENCH_NO_BUILD=1 to run the jar already built.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
mode=$1
shift

jar=benchmarks/target/benchmarks.jar
if [ "${STOIC_BENCH_NO_BUILD:-}" != 1 ]; then
  mvn -B -ntp -q -pl benchmarks -am package -DskipTests
fi

# -foe true: a benchmark that throws fails the whole run (JMH would otherwise go on and exit 0).
case "$mode" in
  quick)
    exec java -jar "$jar" -foe true -f 1 -wi 1 -i 2 -w 200ms -r 200ms "$@"
    ;;
  full)
    mkdir -p benchmarks/results
    results="benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ).json"
    echo "JMH results: $results" >&2
    # Timings are only as good as the machine is quiet: record the load around the run.
    echo "load before (1/5/15 min, $(nproc) CPUs): $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    status=0
    java -jar "$jar" -foe true -f 2 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff "$results" "$@" || status=$?
    echo "load after (1/5/15 min, $(nproc) CPUs): $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    exit $status
    ;;
  *)
    usage
    ;;
esac
