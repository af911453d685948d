#!/usr/bin/env bash
# align_online.sh - does the aligner learn from the memory (issue #9)?
#
# Builds the Release library into build-bench-lexicon and two in-process
# drivers against it (cc, like lookup.sh builds lookup_gen.c), then prints:
#  - strict bead F1 on ../shared/bench/align-ntrex (pre-segmented) for
#    en-uk, en-ru, uk-ru and three-way, with no lexicon, with the online
#    protocol (documents in name order, each aligned with the lexicons
#    learned so far, then its confident beads learned) and with the batch
#    protocol (align all, learn from the confident beads of all, align all
#    again); no gold is used for learning (scripts/bench/align_online.c);
#  - the cost of a lexicon: two versions of N sentences (default 20,000)
#    aligned without and with the batch lexicons, CPU time, best of 3;
#  - am_lexicon_count throughput: M three-language units (default
#    1,000,000; NTREX-128 lines cycled) counted into three lexicons, from
#    raw text and from normalised keys (scripts/bench/lexicon_count.c).
# Usage: scripts/bench/align_online.sh [N [M]]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000}
M=${2:-1000000}
B=${AM_BENCH_BUILD:-build-bench-lexicon}
SHARED=${AM_SHARED_DIR:-$PWD/../shared}
[ -d "$SHARED/bench/align-ntrex" ] && [ -f "$SHARED/data/ntrex128/en.txt" ] || {
    echo "align_online.sh: $SHARED/bench/align-ntrex or data/ntrex128 is missing" >&2
    exit 1
}
mkdir -p "$B"
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_BUILD_TESTS=OFF \
    -DAM_WERROR=OFF >"$B/online-build.log" 2>&1 &&
    cmake --build "$B" -j2 --target alignmem >>"$B/online-build.log" 2>&1 ||
    { cat "$B/online-build.log" >&2; exit 1; }
LIBS="$B/libalignmem.a $(pkg-config --libs icu-i18n icu-uc sqlite3 libxml-2.0) -lm"
for p in align_online lexicon_count; do
    # shellcheck disable=SC2086
    cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc "scripts/bench/$p.c" \
        $LIBS -o "$B/$p"
done
"$B/align_online" "$SHARED/bench/align-ntrex" "$N"
"$B/lexicon_count" "$SHARED" "$M"
