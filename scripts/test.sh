#!/usr/bin/env bash
# Every test of Guichet, in the order a failure is cheapest to see. Called by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { echo; echo "==> $*"; }

step "UI build (the shell embeds ui/dist)"
npm --prefix ui run build

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "The core builds without the training sandbox (its optional feature)"
cargo build -p guichet-core --no-default-features --locked

step "Rust tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
  cargo test --workspace --locked --doc
else
  cargo test --workspace --locked --no-fail-fast
fi

step "Fuzz targets, short run on stable (every parser of outside input; make fuzz runs them longer)"
cargo test -p guichet-core --locked --test fuzz_targets

step "UI type check, lint, unit tests"
npm --prefix ui run check
npm --prefix ui run lint
npm --prefix ui run test:unit

step "UI in Chromium (Playwright, IPC mocked)"
npm --prefix ui run test:e2e

step "The real window (tauri-driver + WebKitWebDriver under Xvfb)"
tests/window/run.sh

echo
echo "All Guichet tests passed. Screenshots: target/screenshots/"
