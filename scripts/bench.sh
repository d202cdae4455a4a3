#!/usr/bin/env bash
# `make bench`: every measure of docs/benchmarks.md, each beside its floor taken in the same run;
# rewrites the results between the markers in that file. Never part of `make test`.
# GUICHET_BENCH_ROWS (default "20000,1000000"), GUICHET_BENCH_OPS (300), GUICHET_BENCH_RUNS (11).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
{
  echo "Machine: $(nproc) vCPU, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; $(date -u +%Y-%m-%d);" \
    "commit $(git rev-parse --short HEAD); release profile."
  echo
  cargo bench --locked -p guichet-core --bench engine
  scripts/bench-window.sh
} | tee "$out"
python3 - "$out" docs/benchmarks.md <<'PY'
import sys
new = open(sys.argv[1]).read().strip()
path = sys.argv[2]
doc = open(path).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
head, rest = doc.split(start, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(f"{head}{start}\n{new}\n{end}{tail}")
PY
echo "docs/benchmarks.md rewritten."
