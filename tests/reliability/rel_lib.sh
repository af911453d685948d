# rel_lib.sh - helpers shared by the reliability tests (issue #8), on top
# of tests/cli/lib.sh: memory checksums, integrity checks and generators of
# large or hostile inputs. Generated files go to $T (the test's temp dir);
# nothing large is committed.
. "$AM_SOURCE_DIR/tests/cli/lib.sh"

command -v sqlite3 >/dev/null || { echo "FAIL: the sqlite3 CLI is missing (AM_TEST_PKGS)" >&2; exit 1; }

# mem_sum DB [MAXID] [nodates]: a hash of everything a translator would
# lose: units, their variants, props, notes, documents and provenance, in
# id order; with MAXID only units up to that id (and what hangs on them);
# with nodates the units' dates (set to "now" by add) are left out. The
# file bytes are not compared (a checkpoint moves pages between WAL and
# file without changing any content).
mem_sum() {
    local max=${2:-9223372036854775807} dates="creationdate, changedate,"
    [ "${3:-}" = nodates ] && dates=""
    sqlite3 -readonly -batch "$1" \
        "SELECT 'u', id, document, position, confidence, tuid, srclang, $dates
                usagecount FROM units WHERE id <= $max ORDER BY id;
         SELECT 'v', id, unit, lang, text, markup, key FROM variants WHERE unit <= $max ORDER BY id;
         SELECT 'p', id, unit, variant, kind, type, lang, value FROM props WHERE unit <= $max ORDER BY id;
         SELECT 'd', id, title, origin, date, checksum FROM documents
          WHERE $max > 9000000000000000000 ORDER BY id;
         SELECT 's', unit, document, position FROM sources WHERE unit <= $max
          ORDER BY unit, document, position;" \
        2>&1 | sha256sum | cut -d' ' -f1
}

# mem_count DB [WHERE]: number of units (matching WHERE on units u).
mem_count() {
    sqlite3 -readonly -batch "$1" "SELECT count(*) FROM units u ${2:-}" 2>&1
}

# expect_integrity DB WHAT: PRAGMA integrity_check says ok, and the FTS5
# index agrees with its content table (FTS5 'integrity-check' command).
expect_integrity() {
    local r
    r=$(sqlite3 -batch "$1" "PRAGMA integrity_check;" 2>&1)
    if [ "$r" = "ok" ]; then ok; else FAIL=$((FAIL + 1)); echo "FAIL: ${2:-} integrity_check: $r" >&2; fi
    r=$(sqlite3 -batch "$1" "INSERT INTO variants_fts(variants_fts) VALUES('integrity-check');" 2>&1)
    if [ -z "$r" ]; then ok; else FAIL=$((FAIL + 1)); echo "FAIL: ${2:-} fts integrity: $r" >&2; fi
}

# expect_eq GOT WANT WHAT
expect_eq() {
    if [ "$1" = "$2" ]; then ok; else FAIL=$((FAIL + 1)); echo "FAIL: ${3:-} got '$1', expected '$2'" >&2; fi
}

# gen_units N PREFIX: N <tu> elements, one a line, en + uk, texts unique
# per PREFIX so that units of different files never merge.
gen_units() {
    awk -v n="$1" -v p="$2" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "<tu tuid=\"%s-%d\"><tuv xml:lang=\"en\"><seg>Line %d of the %s file says the river rose by %d centimetres.</seg></tuv><tuv xml:lang=\"uk\"><seg>Рядок %d файлу %s каже, що річка піднялася на %d сантиметрів.</seg></tuv></tu>\n", p, i, i, p, i, i, p, i
    }'
}

tmx_head() {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n'
    printf '<tmx version="1.4"><header creationtool="reltest" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="en" datatype="plaintext"/>\n'
    printf '<body>\n'
}
tmx_tail() { printf '</body>\n</tmx>\n'; }

# gen_tmx FILE N PREFIX: a valid TMX of N units (lines 1-3 head, units from
# line 4 on, one a line).
gen_tmx() {
    { tmx_head; gen_units "$2" "$3"; tmx_tail; } >"$1"
}

# time_limited SECONDS ARGS...: run the binary like `run`, killed after
# SECONDS; RC 124 means it hung.
time_limited() {
    local s=$1; shift
    timeout "$s" "$ALIGNMEM" "$@" <"${STDIN:-/dev/null}" >"$OUT" 2>"$ERR"; RC=$?
}

# expect_no_crash WHAT: no sanitizer report, no signal, no timeout.
expect_no_crash() {
    if [ "$RC" -ge 124 ] || grep -qE 'Sanitizer|runtime error:|LeakSanitizer' "$ERR"; then
        bad "${1:-} crashed or hung (exit $RC)"
    else
        ok
    fi
}
