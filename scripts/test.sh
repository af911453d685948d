#!/usr/bin/env bash
# test.sh - build with AddressSanitizer + UBSan and run every test (CTest).
# Exits non-zero on any failure. Usage: scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS $AM_TEST_PKGS

# The Release build that demo.sh makes must compile too: -O2 flow analysis
# finds warnings (-Werror) that the Debug build does not.
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DAM_WERROR=ON >/dev/null
cmake --build build-release -j"$(nproc)" >/dev/null || {
    cmake --build build-release -j1 2>&1 | grep -E 'error|warning' | head -20
    echo "test.sh: the Release build failed" >&2
    exit 1
}

BUILD=${AM_TEST_BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DAM_SANITIZE=ON -DAM_WERROR=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"

# Short fuzz runs of the TMX reader, the segmenter and the aligner input
# (issue #8): any crash, leak or sanitizer report fails the suite. Longer
# runs: scripts/fuzz.sh SECONDS. AM_FUZZ_SECONDS=0 skips them locally.
FUZZ_SECONDS=${AM_FUZZ_SECONDS:-30}
if [ "$FUZZ_SECONDS" -gt 0 ]; then
    scripts/fuzz.sh "$FUZZ_SECONDS"
fi
