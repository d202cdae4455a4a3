#!/usr/bin/env bash
# Builds the .deb a shop installs: the release app (UI embedded) and guichetctl, packed by
# cargo-deb with the icons, the desktop entry and the kiosk user unit (src-tauri/Cargo.toml,
# [package.metadata.deb]). Called by `make package` after `scripts/deps.sh package` and the UI
# build. Prints the package's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$PWD/target}"

echo "==> Release build (guichet, guichetctl)"
cargo build --release --locked -p guichet -p guichetctl

echo "==> cargo deb"
rm -rf "$target/debian"
mkdir -p "$target/debian"
cargo deb -p guichet --no-build --locked -o "$target/debian/" >/dev/null
deb="$(ls "$target"/debian/guichet_*.deb)"
size=$(stat -c %s "$deb")
echo "Built $(basename "$deb"): $((size / 1024)) KiB"
echo "$deb"
