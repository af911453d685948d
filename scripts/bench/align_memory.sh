#!/usr/bin/env bash
# align_memory.sh - the figures of issue #9 (the aligner learns from the
# memory), through the CLI:
#   1. on ../shared/bench/align-ntrex, pre-segmented, strict bead F1 per pair
#      and three-way: no memory, the online protocol (documents in name
#      order into an empty memory, each aligned with `align --db` then
#      added) and the batch protocol (all documents in one `add --list`,
#      beads read back from the memory) - scripts/bench/align_memory.py,
#      which reuses align_score.py's scoring;
#   2. `alignmem lexicon --rebuild` on a 1,000,000-unit memory (imported
#      from /tmp/alignmem-bench/synthetic-1000000.tmx, which
#      scripts/bench/tm.sh generates), with wall/CPU time, peak memory and
#      the size the counts add to the file. Target: <= 60 s;
#   3. what aligning with that lexicon costs (target: <= 20 % more time):
#      2 x ~20,000 sentences (align-ntrex concatenated, as align.sh does)
#      and the 123 documents one process each, with `align --db` and
#      without; best of AM_BENCH_REPS (default 3) runs by CPU time.
# Usage: scripts/bench/align_memory.sh [--no-1m]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS $AM_TEST_PKGS

SHARED=${AM_SHARED_DIR:-$PWD/../shared}
BENCH=$SHARED/bench/align-ntrex
[ -d "$BENCH" ] || { echo "align_memory.sh: $BENCH is missing (see shared/README.md)" >&2; exit 1; }
BUILD=${AM_BENCH_BUILD:-build-bench}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_BUILD_TESTS=OFF \
    -DAM_WERROR=OFF >/dev/null
cmake --build "$BUILD" -j2 --target alignmem_cli >"$BUILD/bench-build.log" 2>&1 || {
    cat "$BUILD/bench-build.log" >&2
    exit 1
}
BIN=$PWD/$BUILD/src/cli/alignmem
WORK=${AM_BENCH_TMP:-/tmp/alignmem-bench-memory}
mkdir -p "$WORK"

python3 scripts/bench/align_memory.py "$BIN" "$(cd "$BENCH" && pwd)" "$WORK"

[ "${1:-}" = "--no-1m" ] && exit 0
TMX=/tmp/alignmem-bench/synthetic-1000000.tmx
if [ ! -f "$TMX" ]; then
    mkdir -p /tmp/alignmem-bench
    python3 scripts/bench/gen_tmx.py 1000000 "$TMX" "$SHARED"
fi
DB=$WORK/synthetic-1000000.db
if [ ! -f "$DB" ] || [ "$(sqlite3 "$DB" 'SELECT count(*) FROM units')" != 1000000 ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$BIN" import -q --db "$DB" "$TMX"
fi
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
before=$(stat -c %s "$DB")
/usr/bin/time -v "$BIN" lexicon -q --db "$DB" --rebuild >"$WORK/pairs" 2>"$WORK/time"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
after=$(stat -c %s "$DB")
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$WORK/time")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time")
rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time")
echo "lexicon --rebuild on 1,000,000 units: $secs s wall, $cpu s CPU, $rss MB peak (target <= 60 s)"
echo "  learned: $(tr '\n' ';' <"$WORK/pairs")"
echo "  counts: $(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM lex_stems) || " stems, " || (SELECT count(*) FROM lex_words) || " word counts, " || (SELECT count(*) FROM lex_links) || " pair counts"')"
awk -v b="$before" -v a="$after" 'BEGIN { printf "  memory file: %.0f MB before, %.0f MB after (+%.0f%%)\n", b/1048576, a/1048576, 100*(a-b)/b }'

# 3. The cost of aligning with the 1M memory's lexicon.
REPS=${AM_BENCH_REPS:-3}
cpu_best() { # ARGS...: the least user+system CPU seconds of REPS runs
    local best="" r c
    for r in $(seq "$REPS"); do
        /usr/bin/time -f '%U %S' -o "$WORK/t" "$@" >/dev/null 2>&1
        c=$(awk '{print $1 + $2}' "$WORK/t")
        if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$c; fi
    done
    echo "$best"
}
: >"$WORK/big.en"
: >"$WORK/big.uk"
while [ "$(grep -c . "$WORK/big.en")" -lt 20000 ]; do
    for d in "$BENCH"/*/; do
        cat "$d/en.sent" >>"$WORK/big.en"; echo >>"$WORK/big.en"
        cat "$d/uk.sent" >>"$WORK/big.uk"; echo >>"$WORK/big.uk"
    done
done
big() { "$BIN" align --presegmented --lang en,uk "$@" "$WORK/big.en" "$WORK/big.uk"; }
docs() {
    local d
    for d in "$BENCH"/*/; do
        "$BIN" align --presegmented --lang en,uk "$@" "$d/en.sent" "$d/uk.sent" >/dev/null || return 1
    done
}
export -f big docs
export BIN WORK BENCH
n=$(grep -c . "$WORK/big.en")
without=$(cpu_best bash -c big)
with=$(cpu_best bash -c "big --db '$DB'")
awk -v n="$n" -v a="$without" -v b="$with" 'BEGIN {
    printf "align 2 x %d sentences: %.2f s CPU without, %.2f s with the 1M lexicon (%+.0f%%; target <= +20%%)\n",
        n, a, b, 100 * (b - a) / a }'
without=$(cpu_best bash -c docs)
with=$(cpu_best bash -c "docs --db '$DB'")
awk -v a="$without" -v b="$with" 'BEGIN {
    printf "align the 123 documents, a process each: %.2f s CPU without, %.2f s with (%+.0f%%)\n",
        a, b, 100 * (b - a) / a }'
