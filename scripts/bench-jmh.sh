#!/usr/bin/env bash
# Builds codec-bench (and codec-core) and runs JMH with the arguments passed through, e.g.
#   scripts/bench-jmh.sh 'Entropy.*' -f 1 -wi 2 -i 3
#   scripts/bench-jmh.sh -l                       # list benchmarks
#   scripts/bench-jmh.sh --main io.qtk.bench.entropy.EntropySizeReport   # run a main class from the jar
#   scripts/bench-jmh.sh --main io.qtk.bench.entropy.EntropyCpuThroughput # symbols per CPU second (shared hosts)
# Set QTK_BENCH_SKIP_BUILD=1 to reuse an existing codec-bench/target/benchmarks.jar.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jar=codec-bench/target/benchmarks.jar
if [ "${QTK_BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$jar" ]; then
  command -v mvn >/dev/null || { echo "bench-jmh.sh: Maven is required" >&2; exit 2; }
  mvn -q -B -ntp -pl codec-bench -am -DskipTests package
fi
if [ "${1:-}" = "--main" ]; then
  [ $# -ge 2 ] || { echo "usage: bench-jmh.sh --main CLASS [ARGS...]" >&2; exit 2; }
  cls=$2
  shift 2
  exec java -cp "$jar" "$cls" "$@"
fi
exec java -jar "$jar" "$@"
