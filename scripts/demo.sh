#!/usr/bin/env bash
# demo.sh - the main job on a fresh Debian 12 machine: install what is
# missing, build Release, align the shipped statements in corpora/ into the
# default memory, export a TMX, run one lookup, and say where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS

BUILD=${AM_DEMO_BUILD:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
AM="$BUILD/src/cli/alignmem"
OUT=${AM_DEMO_OUT:-out}
mkdir -p "$OUT"
echo "Built $AM ($("$AM" --version))"

# step NAME CMD...: run a step; a command that is not built yet says so.
step() {
    local name=$1; shift
    echo; echo "== $name"
    if ! "$@"; then
        echo "(step '$name' failed or is not implemented yet; see the message above)"
    fi
}

DB=$("$AM" stats --print-db-path 2>/dev/null || true)
for dir in corpora/*/; do
    [ -f "$dir/en.txt" ] || continue
    step "align $(basename "$dir")" "$AM" align --format tsv -o "$OUT/$(basename "$dir").tsv" \
        "$dir/uk.txt" "$dir/ru.txt" "$dir/en.txt"
    step "add $(basename "$dir")" "$AM" add --title "$(basename "$dir")" \
        "$dir/uk.txt" "$dir/ru.txt" "$dir/en.txt"
done
step "export" "$AM" export --langs en,uk -o "$OUT/memory.en-uk.tmx"
step "lookup" "$AM" lookup --from en --to uk,ru "The Ministry of Foreign Affairs of Ukraine strongly protests."
step "stats" "$AM" stats

echo
echo "Binary:     $AM"
echo "Memory:     ${DB:-see 'alignmem stats'}"
echo "Outputs in: $OUT/"
