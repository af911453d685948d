#!/usr/bin/env bash
# demo.sh - the main job on a fresh Debian 12 machine: install what is
# missing, build Release, align the shipped statements in corpora/ into the
# default memory, write review pages, export a TMX, run a lookup and a
# concordance and the lexicon the memory learned, and say where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS

BUILD=${AM_DEMO_BUILD:-build}
echo "Building (Release) in $BUILD/ ..."
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
AM="$BUILD/src/cli/alignmem"
OUT=${AM_DEMO_OUT:-out}
mkdir -p "$OUT"
DB=$("$AM" stats --print-db-path)
echo "Built $AM ($("$AM" --version)); memory: $DB"

n=0
for dir in corpora/*/; do
    name=$(basename "$dir")
    [ -f "$dir/en.txt" ] || continue
    # Review page and editable TSV, as a translator would look at them first.
    "$AM" align --format html "$dir/uk.txt" "$dir/ru.txt" "$dir/en.txt" >"$OUT/$name.html"
    "$AM" align --format tsv "$dir/uk.txt" "$dir/ru.txt" "$dir/en.txt" >"$OUT/$name.tsv"
    # Align and store (a second run finds the document already stored).
    "$AM" add --quiet --title "$name" "$dir/uk.txt" "$dir/ru.txt" "$dir/en.txt"
    n=$((n + 1))
done
echo "Aligned and stored $n statements from corpora/."

echo; echo "== alignmem stats"
"$AM" stats
echo; echo "== alignmem export --langs en,uk -o $OUT/memory.en-uk.tmx"
"$AM" export --langs en,uk -o "$OUT/memory.en-uk.tmx"
"$AM" export -o "$OUT/memory.all.tmx"
grep -c '<tu ' "$OUT/memory.en-uk.tmx" | sed 's/^/translation units in the en-uk export: /'
echo; echo "== alignmem lookup --from en --to uk,ru (a sentence close to one in the memory)"
"$AM" lookup --from en --to uk,ru --min 60 \
    "The Ministry of Foreign Affairs of Ukraine strongly protests against this violation of the sovereignty of Ukraine."
echo; echo "== alignmem concord --lang uk --limit 3 'крим*'"
"$AM" concord --lang uk --limit 3 'крим*'
echo; echo "== alignmem lexicon --from en --to uk --max 3 ministry (learned from the memory)"
"$AM" lexicon --from en --to uk --max 3 ministry

echo
echo "Binary:        $AM"
echo "Memory:        $DB"
echo "Review pages:  $OUT/*.html (open in a browser), editable beads: $OUT/*.tsv"
echo "TMX:           $OUT/memory.en-uk.tmx (pair, for CAT tools), $OUT/memory.all.tmx (all languages)"
