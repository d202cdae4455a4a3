#!/usr/bin/env bash
# Start-up time and memory of the release app against a bare Tauri 2 window (same Tauri version,
# features and release profile: bench/bare-window), both under one Xvfb in the same run, runs
# alternating; then the sizes of the release binary and of the .deb when `make package` made one.
# Prints a Markdown table (no asserts). Part of `make bench`.
#
# Start-up: from exec to the window's "page loaded" line (Tauri's PageLoadEvent::Finished, logged
# by both apps): the page and its scripts have run; for Guichet also to its "first screen
# answered" line (the page's first app_info answered: the till is open and the sign-in or
# first-run screen can show and take keys), whichever comes last.
# Each kind is launched once first, not counted (the session's accessibility bus, cold files).
# Memory: the total PSS (/proc/<pid>/smaps_rollup) of the app and every process under it (WebKit's
# web and network processes), 3 s after that line. Guichet paints without WebKit's GPU compositor
# (src-tauri/src/windows.rs); the bare window keeps Tauri's default, and is also launched with
# WEBKIT_DISABLE_COMPOSITING_MODE=1 for a like-for-like memory floor.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
runs="${GUICHET_BENCH_RUNS:-11}"
target="${CARGO_TARGET_DIR:-$root/target}"

npm --prefix ui run build >/dev/null
cargo build --release --locked -p guichet
# The bare window resolves the same versions as Guichet: its lock file starts as a copy of ours.
[ -f bench/bare-window/Cargo.lock ] || cp Cargo.lock bench/bare-window/Cargo.lock
CARGO_TARGET_DIR="$target" cargo build --release --manifest-path bench/bare-window/Cargo.toml

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/runtime" && chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_RUNTIME_DIR="$scratch/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

cat > "$scratch/measure.sh" <<'INNER'
#!/usr/bin/env bash
# One launch: prints "<ms to ready> <total PSS in KiB>". Ready: "page loaded" and, when given,
# the second argument's line too.
set -euo pipefail
bin="$1"; also="${2:-page loaded}"; log="$(mktemp)"
descendants() { local p; for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done; }
ready() { grep -q "page loaded" "$log" && grep -q "$also" "$log"; }
start=$(date +%s%N)
GUICHET_DATA_DIR="$(mktemp -d)" "$bin" 2>"$log" >/dev/null &
pid=$!
for _ in $(seq 1 6000); do ready && break; sleep 0.01; done
ready=$(date +%s%N)
ready || { echo "no ready lines from $bin" >&2; cat "$log" >&2; kill "$pid"; exit 1; }
sleep 3
pss=0
for p in "$pid" $(descendants "$pid"); do
  kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  pss=$((pss + ${kb:-0}))
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "$(( (ready - start) / 1000000 )) $pss"
INNER
chmod +x "$scratch/measure.sh"

app="$target/release/guichet"
bare="$target/release/bare-window"
results="$scratch/results"
# What the builds and the core bench left to write goes to disk first, not during the launches.
sync
xvfb-run -a -s "-screen 0 1366x900x24" dbus-run-session -- sh -c '
  printf %s bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # One launch of each, not counted: the session'"'"'s first window starts its accessibility bus,
  # and the binaries and libraries are read from disk once.
  "$2" "$4" >/dev/null; "$2" "$3" "first screen answered" >/dev/null
  for i in $(seq 1 "$1"); do
    echo "bare $("$2" "$4")"
    echo "app $("$2" "$3" "first screen answered")"
    echo "bare-cpu $(WEBKIT_DISABLE_COMPOSITING_MODE=1 "$2" "$4")"
  done' sh "$runs" "$scratch/measure.sh" "$app" "$bare" >"$results"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
app_ms=$(awk '$1=="app" {print $2}' "$results" | median)
bare_ms=$(awk '$1=="bare" {print $2}' "$results" | median)
app_kb=$(awk '$1=="app" {print $3}' "$results" | median)
bare_kb=$(awk '$1=="bare" {print $3}' "$results" | median)
cpu_kb=$(awk '$1=="bare-cpu" {print $3}' "$results" | median)
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }

echo "### The window ($runs launches each, medians, release builds, Xvfb)"
echo
echo "| measure | result |"
echo "|---|---|"
echo "| Guichet: launch to its first screen answered and loaded (first-run screen) | ${app_ms} ms |"
echo "| floor: bare Tauri 2 window, launch to page loaded | ${bare_ms} ms |"
echo "| **start-up / bare window (goal ≤ 1.2×)** | **$(ratio "$app_ms" "$bare_ms")** |"
echo "| Guichet: total PSS (app + WebKit processes) | $(mib "$app_kb") |"
echo "| floor: bare Tauri 2 window, total PSS | $(mib "$bare_kb") |"
echo "| **PSS / bare window (goal ≤ 1.25×; Guichet paints without GPU compositing, the bare window with it, as Tauri's default)** | **$(ratio "$app_kb" "$bare_kb")** |"
echo "| like for like: the bare window without GPU compositing too (\`WEBKIT_DISABLE_COMPOSITING_MODE=1\`), total PSS | $(mib "$cpu_kb") |"
echo "| **PSS / that bare window (like for like)** | **$(ratio "$app_kb" "$cpu_kb")** |"
echo "| release binary \`guichet\` | $(du -h --apparent-size "$app" | cut -f1) |"
deb="$(ls -t "$target"/release/bundle/deb/*.deb "$target"/debian/*.deb 2>/dev/null | head -1 || true)"
if [ -n "$deb" ]; then
  echo "| \`.deb\` ($(basename "$deb"); goal ≤ 15 MB) | $(du -h --apparent-size "$deb" | cut -f1) |"
else
  echo "| \`.deb\` | not built (\`make package\` first) |"
fi
echo
