#!/usr/bin/env bash
# Builds and runs Stoic's benchmarks. See docs/BENCHMARKS.md.
#
#   benchmarks/run.sh build              builds benchmarks/target/benchmarks.jar (core and the
#                                        adapters from this tree, never from ~/.m2)
#   benchmarks/run.sh quick [JMH args]   smoke test, under 2 minutes: every JMH benchmark once
#                                        (1 fork, 1 x 100 ms warm-up, 1 x 100 ms measurement),
#                                        the success paths' bytes (see bytes), AsyncScale and
#                                        WaitingRetries with 300 calls per side, LoadAmplification
#                                        with 2,000 calls per point and TailLatency with 300
#                                        calls per policy into a temporary directory.
#                                        Proves each one runs and passes its own checks; asserts
#                                        no timings.
#   benchmarks/run.sh bytes              the success paths' bytes per call against the figures in
#                                        benchmarks/success-path-bytes.txt (+8 B); fails above
#                                        them. quick runs it too (about 15 s)
#   benchmarks/run.sh full [JMH args]    the suite for the record, about 12 minutes on 2 CPUs:
#                                        JMH with each class's own forks and iterations and
#                                        -prof gc, AsyncScale with 1,000 and 10,000 calls per
#                                        side, WaitingRetries with 10,000 and 100,000 calls
#                                        waiting, LoadAmplification (rewrites docs/load-amplification.*),
#                                        TailLatency (rewrites docs/tail-latency.*).
#                                        Writes benchmarks/results/<UTC time>.{json,md} and
#                                        <UTC time>-{async-scale,waiting-retries,load-amplification,
#                                        tail-latency,machine}.txt
#
# quick, bytes and full build first; set STOIC_BENCH_NO_BUILD=1 to use the jar already built. Extra
# arguments go to JMH after the mode's own, e.g. a benchmark regex: run.sh full 'Loopback'
# (AsyncScale, LoadAmplification and TailLatency then still run; STOIC_BENCH_JMH_ONLY=1 skips
# them).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
mode=$1
shift

jar=benchmarks/target/benchmarks.jar
build() {
  mvn -B -ntp -q -pl benchmarks -am package -DskipTests
}
load() {
  cut -d' ' -f1-3 /proc/loadavg
}
# AsyncScale holds up to 10,000 sockets per process on each side.
raise_open_files() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

# Fails if a success path allocates more than its recorded figure plus 8 B. Measured with escape
# analysis off: with it on, C2 scalar-replaces some per-call objects in one JVM and not in the
# next (a CI run saw the call factory at 1,176 B where the run before saw 1,096), so the figure
# would depend on the JVM, not the code. Off, every object the code makes is counted, the same in
# every run. Each benchmark's figure is the least of its measured iterations: an iteration run
# before C2 compiled the path allocates more, never less.
check_bytes() {
  limits=benchmarks/success-path-bytes.txt
  out=$(mktemp)
  names=$(grep -v '^#' "$limits" | awk 'NF { printf "%s%s", sep, $1; sep = "|" }')
  java -jar "$jar" -foe true -f 1 -wi 6 -w 250ms -i 5 -r 250ms -prof gc \
    -jvmArgsAppend -XX:-DoEscapeAnalysis "^dev\.stoic\.benchmarks\.($names)\$" > "$out"
  awk -v margin=8 '
    NR == FNR { if ($0 !~ /^#/ && NF) limit[$1] = $2; next }
    /^# Benchmark: / { name = $3; sub(/^dev\.stoic\.benchmarks\./, "", name) }
    /^Iteration / { measuring = 1 }
    measuring && $1 == "gc.alloc.rate.norm:" {
      if (!(name in least) || $2 + 0 < least[name]) least[name] = $2 + 0
      measuring = 0
    }
    END {
      for (n in limit) {
        if (!(n in least)) { printf "success-path bytes: %s was not measured\n", n; failed = 1; continue }
        verdict = least[n] <= limit[n] + margin ? "ok" : "MORE THAN RECORDED"
        printf "success-path bytes: %-48s %6.0f B/op (recorded %d) %s\n", n, least[n], limit[n], verdict
        if (verdict != "ok") failed = 1
      }
      exit failed
    }' "$limits" "$out"
  status=$?
  rm -f "$out"
  return $status
}

case "$mode" in
  bytes)
    [ "${STOIC_BENCH_NO_BUILD:-}" = 1 ] || build
    check_bytes
    ;;
  build)
    build
    ls -l "$jar"
    ;;
  quick)
    [ "${STOIC_BENCH_NO_BUILD:-}" = 1 ] || build
    # -foe true: a benchmark that throws fails the run (JMH would otherwise go on and exit 0).
    java -jar "$jar" -foe true -f 1 -wi 1 -i 1 -w 100ms -r 100ms "$@"
    check_bytes
    if [ "${STOIC_BENCH_JMH_ONLY:-}" != 1 ]; then
      raise_open_files
      java -cp "$jar" dev.stoic.benchmarks.AsyncScale --calls 300 --warmup 100
      java -cp "$jar" dev.stoic.benchmarks.WaitingRetries 300
      tmp=$(mktemp -d)
      java -cp "$jar" dev.stoic.benchmarks.LoadAmplification "$tmp" 2000
      java -cp "$jar" dev.stoic.benchmarks.TailLatency "$tmp" 300 16
      rm -rf "$tmp"
    fi
    echo "quick: every benchmark ran (timings not checked)"
    ;;
  full)
    [ "${STOIC_BENCH_NO_BUILD:-}" = 1 ] || build
    mkdir -p benchmarks/results
    stem="benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)"
    {
      echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
      echo "nproc: $(nproc)"
      grep -m1 'model name' /proc/cpuinfo || true
      grep -m1 MemTotal /proc/meminfo || true
      echo "kernel: $(uname -r)"
      java -version 2>&1
      echo "load before (1/5/15 min): $(load)"
    } > "$stem-machine.txt"
    # Timings are only as good as the machine is quiet: sample the load every 10 s throughout.
    ( while true; do echo "$(date -u +%H:%M:%S) $(load)"; sleep 10; done ) > "$stem-load.txt" &
    sampler=$!
    trap 'kill $sampler 2>/dev/null || true' EXIT
    status=0
    echo "JMH results: $stem.json" >&2
    java -jar "$jar" -foe true -prof gc -rf json -rff "$stem.json" "$@" || status=$?
    java -cp "$jar" dev.stoic.benchmarks.Report "$stem.json" > "$stem.md" || status=$?
    if [ "${STOIC_BENCH_JMH_ONLY:-}" != 1 ]; then
      raise_open_files
      java -cp "$jar" dev.stoic.benchmarks.AsyncScale --calls 1000,10000 --warmup 1000 \
        | tee "$stem-async-scale.txt" || status=$?
      java -cp "$jar" dev.stoic.benchmarks.WaitingRetries 10000,100000 \
        | tee "$stem-waiting-retries.txt" || status=$?
      java -cp "$jar" dev.stoic.benchmarks.LoadAmplification docs \
        | tee "$stem-load-amplification.txt" || status=$?
      java -cp "$jar" dev.stoic.benchmarks.TailLatency docs 10000 16 \
        | tee "$stem-tail-latency.txt" || status=$?
    fi
    echo "load after (1/5/15 min): $(load)" >> "$stem-machine.txt"
    kill $sampler 2>/dev/null || true
    awk '{ s += $2; n++ } END { if (n) printf "mean 1-min load over the run: %.2f (%d samples)\n", s / n, n }' \
      "$stem-load.txt" >> "$stem-machine.txt"
    cat "$stem-machine.txt" >&2
    exit $status
    ;;
  *)
    usage
    ;;
esac
