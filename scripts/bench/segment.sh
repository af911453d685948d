#!/usr/bin/env bash
# segment.sh - segmentation quality and speed, printed as figures:
#  1. boundary P/R/F1 on the team's gold set (tests/text/seg-gold) and on the
#     team's corpora (corpora/*), per language;
#  2. recall of the gold boundaries of ../shared/bench/align-ntrex from raw text
#     (each paragraph's sentences joined by one space);
#  3. speed of `alignmem segment` (read, validate, ICU, repair, write) in MB of
#     text per second of CPU time (one core), on NTREX text repeated to ~20 MB;
#  4. speed of am_tokenize on the NTREX sentences, tokens per CPU second.
# Usage: scripts/bench/segment.sh [MB per language, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS $AM_TEST_PKGS
SHARED=${AM_SHARED_DIR:-$ROOT/../shared}
[ -d "$SHARED/bench/align-ntrex" ] || { echo "segment.sh: shared data missing: $SHARED/bench/align-ntrex" >&2; exit 1; }
MB=${1:-20}

BUILD=${AM_BENCH_BUILD:-build-bench}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j2 --target alignmem_cli >"$BUILD/segment-bench-build.log" 2>&1 ||
    { cat "$BUILD/segment-bench-build.log" >&2; exit 1; }
AM="$ROOT/$BUILD/src/cli/alignmem"
SCORE="python3 $ROOT/scripts/bench/segment_score.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== boundary precision / recall / F1 on tests/text/seg-gold"
for l in uk ru en; do
    "$AM" segment "tests/text/seg-gold/$l.txt" >"$TMP/gold.$l.out"
    read -r p r f g _ < <($SCORE "tests/text/seg-gold/$l.sent" "$TMP/gold.$l.out")
    echo "$l: P $p  R $r  F1 $f  ($g boundaries)"
done

echo "== boundary precision / recall / F1 on corpora/*/LANG.txt (the team's statements)"
for l in uk ru en; do
    cat corpora/*/"$l.sent" >"$TMP/corp.$l.gold"
    for d in corpora/*/; do "$AM" segment "$d$l.txt"; done >"$TMP/corp.$l.out"
    read -r p r f g _ < <($SCORE "$TMP/corp.$l.gold" "$TMP/corp.$l.out")
    echo "$l: P $p  R $r  F1 $f  ($g boundaries)"
done

echo "== recall of gold boundaries on $SHARED/bench/align-ntrex (raw text)"
# raw = each paragraph's lines joined by one space, a blank line between.
join_paras() { awk 'BEGIN{p=""} /^$/{if(p!=""){print p; print ""}; p=""; next}
                    {p = (p=="" ? $0 : p " " $0)} END{if(p!="") print p}' "$1"; }
for l in uk ru en; do
    : >"$TMP/ntrex.$l.gold"; : >"$TMP/ntrex.$l.out"
    for d in "$SHARED"/bench/align-ntrex/*/; do
        cat "$d/$l.sent" >>"$TMP/ntrex.$l.gold"
        join_paras "$d/$l.sent" >"$TMP/doc.txt"
        "$AM" segment --lang "$l" "$TMP/doc.txt" >>"$TMP/ntrex.$l.out"
    done
    read -r p r f g _ < <($SCORE "$TMP/ntrex.$l.gold" "$TMP/ntrex.$l.out")
    echo "$l: recall $r of $g gold boundaries (precision $p is not meaningful: some gold lines hold two sentences)"
done

echo "== speed: alignmem segment, MB of input per CPU second"
for l in uk ru en; do
    for d in "$SHARED"/bench/align-ntrex/*/; do join_paras "$d/$l.sent"; echo; done >"$TMP/one.$l.txt"
    size=$(stat -c %s "$TMP/one.$l.txt")
    reps=$(( (MB * 1000000 + size - 1) / size ))
    for _ in $(seq "$reps"); do cat "$TMP/one.$l.txt"; done >"$TMP/big.$l.txt"
    python3 - "$AM" "$l" "$TMP/big.$l.txt" <<'PY'
import os, resource, subprocess, sys, time
am, lang, path = sys.argv[1:]
size = os.path.getsize(path)
best = None
for _ in range(3):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.monotonic()
    subprocess.run([am, "segment", "--lang", lang, "-o", os.devnull, path], check=True)
    w1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if best is None or cpu < best[0]:
        best = (cpu, w1 - w0)
cpu, wall = best
print(f"{lang}: {size / 1e6:.1f} MB in {cpu:.2f} s CPU ({wall:.2f} s wall): "
      f"{size / 1e6 / cpu:.1f} MB/s per core (target >= 30)")
PY
done

echo "== speed: am_tokenize on $SHARED/data/ntrex128 (one sentence a line, 5 rounds)"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Isrc scripts/bench/segment_tokens.c "$BUILD/libalignmem.a" \
    $(pkg-config --libs icu-i18n icu-uc sqlite3 libxml-2.0) -lm -o "$TMP/segment_tokens"
for l in uk ru en; do "$TMP/segment_tokens" "$l" "$SHARED/data/ntrex128/$l.txt" 5; done
