#!/usr/bin/env bash
# Checks the .deb from `make package` as a shop would get it: unpacked into a scratch root with
# dpkg -x (the files `apt install ./guichet_*.deb` puts on disk, without changing this machine),
# its dependencies resolved by apt (simulated), then the installed guichetctl and the installed
# app's real window under Xvfb. Usage: tests/package/run.sh [path/to/guichet.deb]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$root/target}"

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
deb="${1:-$target/debian/guichet_${version}_$(dpkg --print-architecture).deb}"
[ -f "$deb" ] || { echo "FAIL: no $deb (run make package)" >&2; exit 1; }
passed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*" >&2; exit 1; }

# The control data: name, the workspace's version, runtime libraries only.
[ "$(dpkg-deb -f "$deb" Package)" = guichet ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "version $(dpkg-deb -f "$deb" Version), not $version"
depends="$(dpkg-deb -f "$deb" Depends)"
grep -q 'libwebkit2gtk-4.1-0' <<<"$depends" || fail "WebKitGTK runtime not declared: $depends"
grep -q -- '-dev\b' <<<"$depends" && fail "a -dev package in Depends: $depends"
# The UI names DejaVu Sans alone (ui/src/app.css): a missing family costs a font search per size.
grep -q 'fonts-dejavu-core' <<<"$depends" || fail "the UI's font not declared: $depends"
ok "control: guichet $version, Depends: $depends"
size=$(stat -c %s "$deb")
[ "$size" -le $((15 * 1024 * 1024)) ] || fail "the .deb is $size bytes, over 15 MiB"
ok "size: $((size / 1024)) KiB"

# Removing it cannot touch the shop's data (in the user's home): every file is under /usr and
# there is no maintainer script to run at install or removal.
outside="$(dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '^\./usr/' | grep -vx '\./' || true)"
[ -z "$outside" ] || fail "files outside /usr: $outside"
for script in preinst postinst prerm postrm; do
  dpkg-deb --info "$deb" "$script" >/dev/null 2>&1 && fail "a $script script"
done
ok "only files under /usr, no maintainer scripts: apt remove leaves ~/.local/share/sn.guichet.pos"

# apt resolves its dependencies on this machine (simulation: nothing is installed).
apt-get install --simulate -qq "$deb" >/dev/null 2>"$target/apt-simulate.err" \
  || { cat "$target/apt-simulate.err" >&2; fail "apt cannot install it"; }
ok "apt install --simulate"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
dpkg -x "$deb" "$scratch/root"
inst="$scratch/root"
for f in usr/bin/guichet usr/bin/guichetctl usr/share/applications/guichet.desktop \
         usr/share/icons/hicolor/128x128/apps/guichet.png usr/share/icons/hicolor/scalable/apps/guichet.svg \
         usr/lib/systemd/user/guichet-kiosk.service usr/share/doc/guichet/README.kiosk; do
  [ -s "$inst/$f" ] || fail "missing /$f"
done
[ -x "$inst/usr/bin/guichet" ] && [ -x "$inst/usr/bin/guichetctl" ] || fail "binaries not executable"
grep -qx 'Exec=guichet' "$inst/usr/share/applications/guichet.desktop" || fail "desktop entry Exec"
grep -qx 'ExecStart=/usr/bin/guichet' "$inst/usr/lib/systemd/user/guichet-kiosk.service" || fail "unit ExecStart"
grep -q 'systemctl --user enable --now guichet-kiosk.service' "$inst/usr/share/doc/guichet/README.kiosk" \
  || fail "kiosk enabling instructions"
ok "files: app, guichetctl, desktop entry, icons, kiosk unit and its instructions"
if ldd "$inst/usr/bin/guichet" "$inst/usr/bin/guichetctl" | grep -q 'not found'; then
  ldd "$inst/usr/bin/guichet" | grep 'not found' >&2
  fail "a library the binaries need is missing"
fi
ok "every shared library resolves"

got="$("$inst/usr/bin/guichetctl" --version)"
[ "$got" = "guichetctl $version" ] || fail "guichetctl --version says '$got'"
ok "installed guichetctl --version: $got"

# The installed app's real window (tauri-driver + WebKitWebDriver), as tests/window/run.sh runs
# the debug build: a throwaway keyring and XDG folders, Xvfb, a D-Bus session.
mkdir -p "$scratch/data" "$scratch/config" "$scratch/runtime" "$root/target/screenshots"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_RUNTIME_DIR="$scratch/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
export GUICHET_APP="$inst/usr/bin/guichet" GUICHETCTL="$inst/usr/bin/guichetctl"
export GUICHET_VERSION="$version" GUICHET_SCREENSHOTS="$root/target/screenshots"
cd "$root/tests/window"
xvfb-run -a -s "-screen 0 1366x900x24" dbus-run-session -- sh -c \
  'printf %s guichet-window-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
   exec node --test --test-concurrency=1 "$@"' sh "$here/installed.test.mjs"
ok "the installed app's window"
echo "$passed passed, 0 failed"
