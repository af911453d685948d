#!/usr/bin/env bash
# tmx.sh - speed and memory of the TMX module alone (no store): stream-read
# a synthetic memory of N three-language units, and read + write it again.
# The store's import/export (scripts/bench/tm.sh) add SQLite on top of these.
# Usage: scripts/bench/tmx.sh [N]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
B=${AM_BENCH_BUILD:-build-bench-tmx}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# Warnings are the test build's business (-Werror there); here only speed.
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_WERROR=OFF >/dev/null
cmake --build "$B" -j2 --target tmx_tool >/dev/null
TOOL=$B/tests/tmx/tmx_tool
# AM_BENCH_TMX: reuse a memory generated before (gen_tmx.py takes minutes).
if [ -n "${AM_BENCH_TMX:-}" ]; then ln -s "$(realpath "$AM_BENCH_TMX")" "$W/mem.tmx"
else python3 scripts/bench/gen_tmx.py "$N" "$W/mem.tmx"; fi
SIZE=$(stat -L -c %s "$W/mem.tmx")
# Wall time is what a user waits; CPU time (user+sys) is what the code
# costs, and the one to compare on a busy shared machine.
measure() { # LABEL OUTPUT COMMAND...
    local label=$1 out=$2; shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" >"$out"
    read -r secs user sys kb <"$W/time"
    printf '%-22s wall %6.2f s  cpu %6.2f s  peak %4d MB  %s\n' "$label" "$secs" \
        "$(awk "BEGIN { print $user + $sys }")" "$((kb / 1024))" "$(head -1 "$out" | head -c 60)"
}
echo "TMX: $N units, $((SIZE / 1024 / 1024)) MB"
measure "read" "$W/out" "$TOOL" count "$W/mem.tmx"
measure "read + write (copy)" "$W/copy.tmx" "$TOOL" copy "$W/mem.tmx"
echo "copy: $(( $(stat -c %s "$W/copy.tmx") / 1024 / 1024 )) MB"
measure "read of the copy" "$W/out" "$TOOL" count "$W/copy.tmx"
