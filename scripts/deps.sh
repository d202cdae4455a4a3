#!/usr/bin/env bash
# Installs what Guichet needs on Debian 12 / Ubuntu 22.04+, skipping what is already there.
# Usage: scripts/deps.sh [run|test|package]   (test adds the browser, WebDriver and Xvfb pieces;
# package adds dpkg-shlibdeps and a pinned cargo-deb for `make package`)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

# Build and run: Tauri 2 on WebKitGTK 4.1.
# DejaVu: the UI's one font (the .deb depends on it too; a missing one costs a font search per size).
pkgs=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
      libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev fonts-dejavu-core)
if [ "$what" = test ]; then
  # UI tests in Debian's Chromium, the real window under Xvfb through WebKitWebDriver,
  # a D-Bus session for WebKit, keyring stores for the secrets tests.
  # python3-xlib sends the window the close request a window manager would (kiosk test).
  # strace shows that the read-only CLI commands open no socket.
  pkgs+=(chromium webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring keyutils python3-xlib
        strace)
fi
if [ "$what" = package ]; then
  # dpkg-shlibdeps (dpkg-dev) lists the .deb's runtime libraries from the binaries.
  pkgs+=(dpkg-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ with npm is required" >&2; exit 1; }

# npm packages, reinstalled only when a lock file changed.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.guichet-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "==> npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci ui
if [ "$what" = test ]; then
  npm_ci tests/window
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --locked --version 2.1.0
  fi
fi
if [ "$what" = package ]; then
  # Pinned: the .deb's layout and control fields come from this tool.
  cargo_deb=3.8.0
  if ! "$HOME/.cargo/bin/cargo-deb" --version 2>/dev/null | grep -qx "cargo-deb $cargo_deb"; then
    echo "==> cargo install cargo-deb $cargo_deb"
    cargo install cargo-deb --locked --version "$cargo_deb"
  fi
fi
