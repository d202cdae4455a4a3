#!/usr/bin/env bash
# Builds the app with the test identifier and drives its real window through tauri-driver and
# WebKitWebDriver under Xvfb. Screenshots go to target/screenshots/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# A separate identifier (and data dir) so tests never touch a real till's data. Built with the
# same targets as the test run so cargo reuses its dependency builds (a plain `-p guichet`
# resolves other features and rebuilds half the tree).
TAURI_CONFIG="$(cat "$root/src-tauri/tauri.test.conf.json")" cargo build --workspace --all-targets --locked
# Cargo's output folder: CARGO_TARGET_DIR when set (a worktree sharing a build), else target/.
target="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$target/window-test" "$root/target/screenshots"
cp "$target/debug/guichet" "$target/window-test/guichet"
export GUICHET_APP="$target/window-test/guichet"
export GUICHET_SCREENSHOTS="$root/target/screenshots"

export GUICHETCTL="$target/debug/guichetctl"
# guichetctl reads the audit chain's key from the keyring service the test app uses (its
# identifier), so that `guichetctl audit verify` checks what the app sealed.
export GUICHET_KEYRING_SERVICE="$(sed -n 's/.*"identifier": *"\([^"]*\)".*/\1/p' "$root/src-tauri/tauri.test.conf.json")"

# A throwaway login keyring: the app keeps provider keys in the Secret Service, here a
# gnome-keyring daemon of this run only (its files under a temp XDG_DATA_HOME).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/config" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_RUNTIME_DIR="$scratch/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

cd "$here"
# WebKitGTK wants a D-Bus session; xvfb-run gives the display.
# Arguments: test files to run (default: all).
[ $# -gt 0 ] || set -- ./*.test.mjs
xvfb-run -a -s "-screen 0 1366x900x24" dbus-run-session -- sh -c \
  'printf %s guichet-window-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
   exec node --test --test-concurrency=1 "$@"' sh "$@"
