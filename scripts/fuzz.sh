#!/usr/bin/env bash
# fuzz.sh [SECONDS] - build the libFuzzer targets with clang
# (-fsanitize=fuzzer,address,undefined) and run each for SECONDS (default
# 60) on seeds from corpora/, tests/text/seg-gold/, tmx/ and the regression
# inputs in tests/fuzz/regress/. Exits non-zero on any crash, leak, timeout
# or sanitizer report; the input that caused it is left in
# $BUILD/crashes/ - copy it into tests/fuzz/regress/<target>/ so that the
# CTest fuzz_regress_<target> replays it from then on.
#
# Environment: AM_FUZZ_BUILD (build folder, default build-fuzz),
# AM_FUZZ_TARGETS (default: all three), AM_FUZZ_JOBS (parallel build, <= 2).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS clang libclang-rt-14-dev

BUILD=${AM_FUZZ_BUILD:-build-fuzz}
TARGETS=${AM_FUZZ_TARGETS:-fuzz_segment fuzz_align fuzz_tmx}
JOBS=${AM_FUZZ_JOBS:-2}
# AM_WERROR=OFF: clang warns where gcc does not (-Wformat-nonliteral in
# core and tmx); warnings are test.sh's business, this build looks for bugs.
CC=clang cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAM_FUZZ=ON \
    -DAM_WERROR=OFF -DAM_BUILD_TESTS=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$BUILD" -j"$JOBS" --target $TARGETS >/dev/null

# lang_byte FILE: fuzz_segment's first byte for a file named after its
# language (uk 0, ru 1, en 2), plain text (not pre-segmented).
lang_byte() {
    case $(basename "$1") in uk.*) printf '\000' ;; ru.*) printf '\001' ;; *) printf '\002' ;; esac
}

seeds() { # seeds TARGET DIR: fill DIR with seed inputs for TARGET
    local t=$1 d=$2 f i=0
    mkdir -p "$d"
    if [ -d "tests/fuzz/regress/$t" ]; then cp tests/fuzz/regress/"$t"/* "$d"/ 2>/dev/null || true; fi
    case $t in
    fuzz_segment)
        for f in corpora/*/*.txt tests/text/seg-gold/*.txt; do
            [ -f "$f" ] || continue
            { lang_byte "$f"; head -c 4096 "$f"; } >"$d/seed$i"; i=$((i + 1))
        done ;;
    fuzz_align)
        for f in corpora/*/; do
            [ -f "$f/en.sent" ] || continue
            { head -c 2000 "$f/uk.sent"; printf '\377'; head -c 2000 "$f/en.sent"; } >"$d/seed$i"
            { head -c 1500 "$f/uk.sent"; printf '\377'; head -c 1500 "$f/ru.sent"; printf '\377'
              head -c 1500 "$f/en.sent"; } >"$d/seed$i.3"; i=$((i + 1))
        done ;;
    fuzz_tmx)
        for f in tmx/*.tmx tmx/*/*.tmx tmx/*/*.xml; do
            [ -f "$f" ] || continue
            head -c 65536 "$f" >"$d/seed$i"; i=$((i + 1))
        done ;;
    esac
}

mkdir -p "$BUILD/crashes"
status=0
for t in $TARGETS; do
    corpus="$BUILD/corpus/$t"
    seeds "$t" "$corpus"
    # On 64 KB inputs the aligner managed ~12 executions a second (2,424
    # in 200 s); 8 KB inputs keep it exploring.
    max_len=65536
    [ "$t" = fuzz_align ] && max_len=8192
    echo "== $t for ${SECONDS_EACH}s"
    if ! "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_EACH" -max_len=$max_len -timeout=20 \
        -rss_limit_mb=2048 -artifact_prefix="$BUILD/crashes/$t-" -print_final_stats=1 \
        "$corpus" 2>"$BUILD/$t.log"; then
        echo "FAIL: $t found a problem:"; grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$BUILD/$t.log" | head -20
        echo "(full log: $BUILD/$t.log)"; status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$BUILD/$t.log" | tr '\n' ' '
        echo "corpus: $(find "$corpus" -type f | wc -l) inputs"
    fi
done
exit $status
