#!/usr/bin/env bash
# `make fuzz`: every parser of outside input under libFuzzer (cargo-fuzz, nightly), for
# FUZZ_SECONDS each (default 60). Seeds: fuzz/corpus/<target>/ (kept in the repo); what
# libFuzzer finds new goes to target/fuzz-corpus/<target>/, crashes to fuzz/artifacts/<target>/.
# Only the nightly toolchain needs to be installed locally; `make test` runs the same targets on
# stable for a short budget (crates/guichet-core/tests/fuzz_targets.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "make fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
targets="${FUZZ_TARGETS:-$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^guichet-fuzz$')}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
for t in $targets; do
  echo; echo "==> fuzz $t (${seconds}s)"
  mkdir -p "target/fuzz-corpus/$t"
  # -max_len: the targets ignore inputs over guichet_core::fuzz::MAX_INPUT (64 KiB) anyway;
  # -rss_limit_mb and -malloc_limit_mb turn an unbounded allocation into a finding.
  cargo +nightly fuzz run --fuzz-dir fuzz --target-dir "$target_dir" "$t" \
    "target/fuzz-corpus/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=10
done
echo; echo "Every fuzz target ran ${seconds}s without a finding."
