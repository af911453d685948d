# test_store_cli.sh - add, stats, export and import end to end, and the
# round trips through the store.
. "$AM_SOURCE_DIR/tests/cli/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
TMX="$AM_SOURCE_DIR/tmx"
DTD="$TMX/tmx14b.dtd"
for tool in xmllint python3 sqlite3; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/lib/deps.sh installs it)"; exit 1; }
done
[ -f "$DTD" ] || { echo "FAIL: $DTD is missing"; exit 1; }
valid() { if xmllint --noout --dtdvalid "$DTD" "$1" 2>"$T/xmllint.err"; then ok; else bad "$1 is not valid TMX 1.4b: $(head -c 300 "$T/xmllint.err")"; fi; }
count_tu() { grep -c '<tu ' "$1"; }

# --- add, re-add, stats ------------------------------------------------
printf 'The lake froze early this year. Children skate on it every evening.\n\nThe town council approved a new bridge.\n' >"$T/lake.en.txt"
printf 'Озеро цього року замерзло рано. Діти щовечора катаються на ньому.\n\nМіська рада схвалила новий міст.\n' >"$T/lake.uk.txt"
printf 'Озеро в этом году замёрзло рано. Дети каждый вечер катаются на нём.\n\nГородской совет одобрил новый мост.\n' >"$T/lake.ru.txt"
run add --title "Lake" --origin "https://example.org/lake" --date 2026-01-05 "$T/lake.en.txt" "$T/lake.uk.txt"
expect_rc 0 "add"; expect_err "Lake: document 1, 3 units stored (3 new, 0 already known)"; expect_no_out "add"
run add --title "Lake" "$T/lake.en.txt" "$T/lake.uk.txt"
expect_rc 0 "re-add"; expect_err "already in the memory (document 1); nothing added"
run add "$T/lake.en.txt" "$T/lake.uk.txt" "$T/lake.ru.txt"
expect_rc 0 "add three"; expect_err "document 2, 3 units stored (3 new, 0 already known)"
run add "$T/lake.en.txt"
expect_rc 2 "add one file"; expect_err "give at least two versions"
run stats --format json
expect_rc 0 "stats json"
expect_out '"documents": 2, "units": 6, "variants": 15, "props": 0, "notes": 0, "pairs": [{"langs": ["en", "ru"], "units": 3}, {"langs": ["en", "uk"], "units": 6}, {"langs": ["ru", "uk"], "units": 3}]'
expect_out '"unscored": 0}'
run stats
expect_rc 0 "stats"; expect_out "units      6"; expect_out "  en-uk  6"
run stats --print-db-path; expect_out_exact "$ALIGNMEM_DB"
run stats --format xml; expect_rc 2 "stats bad format"

# --- export ------------------------------------------------------------
run export -o "$T/all.tmx"
expect_rc 0 "export all"; expect_no_out "export -o"
run export --quiet -o "$T/all-quiet.tmx"
expect_rc 0 "export --quiet"; expect_no_err "export --quiet"
# The header's creationdate is the time of the export: compare the rest.
diff <(grep -v '<header ' "$T/all.tmx") <(grep -v '<header ' "$T/all-quiet.tmx") >/dev/null &&
    ok || bad "export --quiet wrote something else"
valid "$T/all.tmx"
grep -q 'srclang="\*all\*"' "$T/all.tmx" && ok || bad "full export srclang is not *all*"
[ "$(count_tu "$T/all.tmx")" = 6 ] && ok || bad "full export: $(count_tu "$T/all.tmx") tu, want 6"
grep -q '<prop type="x-alignmem-document">Lake</prop>' "$T/all.tmx" && ok || bad "document prop missing"
grep -q '<prop type="x-alignmem-origin">https://example.org/lake</prop>' "$T/all.tmx" && ok || bad "origin prop missing"
run export --langs ru,en -o "$T/ru-en.tmx"
expect_rc 0 "pair export"; valid "$T/ru-en.tmx"
[ "$(count_tu "$T/ru-en.tmx")" = 3 ] && ok || bad "pair export: want only the 3 units having ru"
# Source first, and no third language in a pair export (OmegaT would take it for a target).
python3 - "$T/ru-en.tmx" <<'EOF' && ok || bad "pair export order"
import sys, xml.etree.ElementTree as ET
L = "{http://www.w3.org/XML/1998/namespace}lang"
r = ET.parse(sys.argv[1]).getroot()
assert r.find("header").get("srclang") == "ru"
for tu in r.iter("tu"):
    assert [t.get(L) for t in tu.findall("tuv")] == ["ru", "en"], tu
EOF
run export --langs en,uk --srclang uk --lang-style region
expect_rc 0 "region export"; expect_out '<tuv xml:lang="uk-UA">'; expect_out 'srclang="uk-UA"'
run export --doc 1; expect_rc 0; [ "$(grep -c '<tu ' "$OUT")" = 3 ] && ok || bad "--doc 1 wants 3 tu"
run export --doc 99; expect_rc 0; grep -q '<tu ' "$OUT" && bad "--doc 99 exported units" || ok
run export --since 2999-01-01; expect_rc 0; grep -q '<tu ' "$OUT" && bad "--since future exported units" || ok
run export --since yesterday; expect_rc 2 "bad --since"; expect_err "not a date: 'yesterday'"
run export --min-score 1.5; expect_rc 2 "bad --min-score"
run export --min-score 1; expect_rc 0; grep -q '<tu ' "$OUT" && bad "--min-score 1 exported imperfect units" || ok
run export -o "$T/no/such/dir/x.tmx"; expect_rc 1 "unwritable output"

# --- import(export(memory)) gives the same units -------------------------
export ALIGNMEM_DB="$T/copy.db"
run import "$T/all.tmx"
expect_rc 0 "import export"; expect_err "6 units: 6 added, 0 merged, 0 skipped, 0 replaced"
run export -o "$T/all2.tmx"
diff <(grep -v '<header' "$T/all.tmx") <(grep -v '<header' "$T/all2.tmx") >"$T/diff" && ok || bad "re-export differs: $(head -c 400 "$T/diff")"
run stats --format json; expect_out '"documents": 2, "units": 6, "variants": 15'
run import "$T/all.tmx"
expect_rc 0 "re-import"; expect_err "6 units: 0 added, 6 merged"
run stats --format json; expect_out '"units": 6,'

# --- export(import(F)) keeps everything of F (CAT-tool files) -------------
for f in omegat po2tmx trados-l1 trados-l2 tmx11-lang utf16; do
    [ -f "$TMX/$f.tmx" ] || { bad "$TMX/$f.tmx is missing"; continue; }
    export ALIGNMEM_DB="$T/rt-$f.db"
    run import "$TMX/$f.tmx"; expect_rc 0 "import $f"
    run export -o "$T/rt-$f.tmx"; expect_rc 0 "export $f"
    valid "$T/rt-$f.tmx"
    python3 "$HERE/tmx_same.py" "$TMX/$f.tmx" "$T/rt-$f.tmx" >"$T/same.out" && ok || bad "round trip $f: $(head -c 600 "$T/same.out")"
done

# --- all or nothing ----------------------------------------------------------
export ALIGNMEM_DB="$T/aon.db"
tmx_of() { # tmx_of SOURCE TARGET... : one en-uk tu per pair of arguments
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n'
    while [ $# -ge 2 ]; do
        printf '<tu><tuv xml:lang="en"><seg>%s</seg></tuv><tuv xml:lang="uk"><seg>%s</seg></tuv></tu>\n' "$1" "$2"; shift 2
    done
    printf '</body>\n</tmx>\n'
}
tmx_of "Good morning." "Доброго ранку." "Thank you." "Дякую." >"$T/a.tmx"
tmx_of "Good morning." "Добрий ранок." >"$T/b.tmx"
head -n 4 "$T/a.tmx" >"$T/broken.tmx"; printf '<tu><tuv xml:lang="en"><seg>Cut</seg>\n' >>"$T/broken.tmx"
run import "$T/broken.tmx"
expect_rc 1 "truncated import"; expect_err "$T/broken.tmx:"; expect_err "nothing imported from this file"
run stats --format json; expect_out '"units": 0,'
run import "$T/a.tmx" "$T/broken.tmx"
expect_rc 1 "one good, one bad"; expect_err "a.tmx: 2 units: 2 added"
run stats --format json; expect_out '"units": 2,'

# --- duplicates: skip, replace, keep ------------------------------------------
run import --on-duplicate skip "$T/b.tmx"; expect_rc 0; expect_err "1 units: 0 added, 0 merged, 1 skipped"
run export --langs en,uk; expect_out "Доброго ранку."
run import --on-duplicate keep "$T/b.tmx"; expect_rc 0; expect_err "1 units: 1 added"
run stats --format json; expect_out '"units": 3,'
run import --on-duplicate replace "$T/a.tmx"; expect_rc 0; expect_err "2 units: 0 added, 1 merged, 0 skipped, 1 replaced"
run export --langs en,uk; expect_out "Доброго ранку."; grep -q "Добрий ранок." "$OUT" && bad "replace kept the old rendering" || ok
run import --on-duplicate twice "$T/a.tmx"; expect_rc 2 "bad --on-duplicate"
run import; expect_rc 2 "import without file"

# --- memories that must be refused ---------------------------------------------
cp "$T/aon.db" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 42" || bad "sqlite3 failed"
cksum "$T/newer.db" >"$T/newer.sum"
run stats --db "$T/newer.db"; expect_rc 1 "newer schema"; expect_err "schema version 42, newer than this alignmem"
run import --db "$T/newer.db" "$T/a.tmx"; expect_rc 1 "import into newer schema"
cksum "$T/newer.db" | cmp -s - "$T/newer.sum" && ok || bad "a newer memory was modified"
printf 'not a database at all, just text\n%.0s' $(seq 200) >"$T/text.db"
run stats --db "$T/text.db"; expect_rc 1 "not sqlite"; expect_err "not an alignmem memory"
run export --db "$T/missing.db"; expect_rc 1 "missing memory"; expect_err "no memory here yet"
# A memory we may not write (immutable, so that it holds for root too):
# writers are refused at once, readers still work.
cp "$T/aon.db" "$T/ro.db"
if [ "$(id -u)" -ne 0 ]; then protect() { chmod a-w "$1"; }; unprotect() { chmod u+w "$1"; }
else protect() { chattr +i "$1"; }; unprotect() { chattr -i "$1"; }; fi
if protect "$T/ro.db" 2>/dev/null; then
    run import --db "$T/ro.db" "$T/a.tmx"; expect_rc 1 "read-only import"; expect_err "the memory is read-only"
    run stats --db "$T/ro.db" --format json; expect_rc 0 "read-only stats"; expect_out '"units": 2,'
    unprotect "$T/ro.db"
else
    bad "cannot make a read-only memory here (chattr +i needs ext4 or similar)"
fi
finish
