#!/usr/bin/env bash
# align.sh - quality, confidence and speed figures of `alignmem align`.
#
# Builds a Release binary into build-bench, then for align-ntrex,
# align-ntrex-long (../shared/bench) and the team's corpora/ gold (when
# present) prints strict bead P/R/F1 per pair and three-way, pre-segmented
# and from raw text, with the precision of beads above 0.5/0.8/0.9/0.95
# (scripts/bench/align_score.py), then time and peak memory for 20,000 and
# 40,000 sentences a version (the benchmark documents concatenated and
# repeated), measured with /usr/bin/time -v.
# Usage: scripts/bench/align.sh [--quick]   (--quick: align-ntrex only, no 40k)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS $AM_TEST_PKGS

SHARED=${AM_SHARED_DIR:-$PWD/../shared}
[ -d "$SHARED/bench/align-ntrex" ] || {
    echo "align.sh: $SHARED/bench/align-ntrex is missing (see shared/README.md)" >&2
    exit 1
}
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
BUILD=build-bench
# Tests and -Werror are off: this build only measures the binary.
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_BUILD_TESTS=OFF \
    -DAM_WERROR=OFF >/dev/null
cmake --build "$BUILD" -j2 --target alignmem_cli >"$BUILD/align-bench-build.log" 2>&1 || {
    cat "$BUILD/align-bench-build.log" >&2
    exit 1
}
BIN=$PWD/$BUILD/src/cli/alignmem
SCORE="python3 scripts/bench/align_score.py"

sets="$SHARED/bench/align-ntrex"
[ "$QUICK" = 1 ] || sets="$sets $SHARED/bench/align-ntrex-long"
if [ "$QUICK" = 0 ] && ls corpora/*/gold.*.tsv >/dev/null 2>&1; then
    sets="$sets $PWD/corpora"
fi
for s in $sets; do
    $SCORE "$BIN" "$s"
    $SCORE --raw "$BIN" "$s"
    echo
done

# Speed: concatenate the documents (a blank line between them) and repeat
# the corpus until each version has N sentences.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
make_corpus() { # N -> $TMP/N.{en,uk,ru}
    local n=$1 l
    for l in en uk ru; do
        : >"$TMP/$n.$l"
    done
    while [ "$(grep -c . "$TMP/$n.en")" -lt "$n" ]; do
        for d in "$SHARED"/bench/align-ntrex/*/; do
            for l in en uk ru; do
                cat "$d/$l.sent" >>"$TMP/$n.$l"
                echo >>"$TMP/$n.$l"
            done
        done
    done
}
# Each measure runs REPS times (AM_BENCH_REPS, default 3) and keeps the run
# with the least CPU time: on a shared machine the others' load inflates
# both clocks, never deflates them. Peak RSS is the largest seen.
REPS=${AM_BENCH_REPS:-3}
measure() { # label N files... ; sets CPU_SECS
    local label=$1 n=$2 r secs rss cpu best_cpu="" best_secs="" max_rss=0
    shift 2
    for r in $(seq "$REPS"); do
        /usr/bin/time -v "$BIN" align --presegmented \
            --lang "$(echo "$@" | sed 's/[^ ]*\.\([a-z]*\)/\1/g; s/ /,/g')" "$@" >/dev/null 2>"$TMP/time"
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$TMP/time")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$TMP/time")
        # CPU seconds too: on a shared machine the wall clock measures the load.
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$TMP/time")
        [ "$rss" -gt "$max_rss" ] && max_rss=$rss
        if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then
            best_cpu=$cpu
            best_secs=$secs
        fi
    done
    CPU_SECS=$best_cpu
    local sents
    sents=$(grep -c . "$1")
    awk -v l="$label" -v n="$sents" -v v=$# -v s="$best_secs" -v m="$max_rss" -v c="$best_cpu" 'BEGIN {
        printf "  %-26s %6d sentences/version %6.2f s wall %6.2f s cpu %5d MB %7.0f sentences/s (cpu)\n",
            l, n, s, c, m, n * v / (c > 0 ? c : 0.01) }'
}
echo "speed and memory (Release, presegmented; best of $REPS runs by user+system CPU," \
    "its wall clock, peak RSS; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
sizes="20000 40000"
[ "$QUICK" = 1 ] && sizes=20000
declare -A cpu_of
for n in $sizes; do
    make_corpus "$n"
    measure "two versions (en uk)" "$n" "$TMP/$n.en" "$TMP/$n.uk"
    cpu_of[2.$n]=$CPU_SECS
    measure "three versions (en uk ru)" "$n" "$TMP/$n.en" "$TMP/$n.uk" "$TMP/$n.ru"
    cpu_of[3.$n]=$CPU_SECS
done
if [ "$QUICK" = 0 ]; then # linear cost: 40,000 should take about twice 20,000
    for v in 2 3; do
        awk -v v="$v" -v a="${cpu_of[$v.20000]}" -v b="${cpu_of[$v.40000]}" 'BEGIN {
            printf "  %d versions: 40,000 takes %.2fx the CPU time of 20,000\n", v, b / a }'
    done
fi

# Issue #9: the same documents aligned with what the memory learned
# (online and batch protocols, and learning from a 1M-unit memory).
if [ "$QUICK" = 0 ]; then
    echo
    scripts/bench/align_memory.sh
fi
