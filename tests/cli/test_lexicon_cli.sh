# test_lexicon_cli.sh - the memory's lexicon end to end (issue #9): the
# lexicon command (text and JSON, exact), import not learning and the next
# command catching up, add learning in its transaction, batch add from a
# folder and a list, align --db on missing, foreign and read-only memories.
. "$(dirname "$0")/lib.sh"
for tool in sqlite3 setpriv; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/lib/deps.sh installs it)"; exit 1; }
done
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "${3:-} got '$1', expected '$2'"; fi; }
q() { sqlite3 "$1" "$2"; }

# --- the lexicon command on imported units -------------------------------
# One word a side, so the pairs do not depend on how the lexicon module
# pairs the words of longer sentences; no confidence, so all are learned.
tu() { printf '<tu tuid="%s"><tuv xml:lang="en"><seg>%s</seg></tuv><tuv xml:lang="uk"><seg>%s</seg></tuv></tu>\n' "$@"; }
{
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>\n'
    tu 1 'Court.' 'Суд.'
    tu 2 'Court!' 'Суд!'
    tu 3 'Court?' 'Суду?'
    tu 4 'Judge.' 'Суддя.'
    printf '</body></tmx>\n'
} >"$T/words.tmx"
M="$T/words.db"
run import --db "$M" "$T/words.tmx"; expect_rc 0 "import"
expect_eq "$(q "$M" 'SELECT count(*) FROM lex_pairs')" 0 "import does not learn"
run lexicon --db "$M" --from en court
expect_rc 0 "lexicon text"; expect_no_err "lexicon text"
expect_out_exact "court -> uk: stem court, in 3 of 4 units
  0.800  суд  2/2
  0.500  суду  1/1" "lexicon text"
expect_eq "$(q "$M" "SELECT value FROM lex_state WHERE name = 'watermark'")" 4 "lexicon caught up"
run lexicon --db "$M" --from en --format json --max 1 Court
expect_rc 0 "lexicon json"
expect_out_exact '{"word":"Court","from":"en","stem":"court","to":[{"lang":"uk","units":4,"word_units":3,"renderings":[{"stem":"суд","score":0.800,"both":2,"units":2}]}]}' "lexicon json"
run lexicon --db "$M" --from uk --to en суддя
expect_rc 0 "lexicon uk"; expect_out_exact "суддя -> en: stem суддя, in 1 of 4 units
  1.000  judge  1/1"
run lexicon --db "$M" --from en emu
expect_rc 0 "unknown word"; expect_out_exact "emu -> uk: stem emu, in 0 of 4 units
  (nothing learned)"
run lexicon --db "$M" --from en --to de court
expect_rc 0 "no such pair"; expect_out_exact "court: the memory has learned nothing for en-de"
run lexicon --db "$M" --update
expect_rc 0 "update"; expect_out_exact "en uk 4"
run lexicon --db "$M" --rebuild --format json
expect_rc 0 "rebuild"; expect_out_exact '{"learned_up_to":4,"pairs":[{"a":"en","b":"uk","units":4}]}'

# --- usage errors and a missing memory ----------------------------------
run lexicon --db "$M"; expect_rc 2 "no word"; expect_err "alignmem: lexicon: give one word to look up"
run lexicon --db "$M" --update court; expect_rc 2; expect_err "--update and --rebuild take no word"
run lexicon --db "$M" --max 0 court; expect_rc 2; expect_err "--max wants a number from 1 to 100000"
run lexicon --db "$M" --format xml court; expect_rc 2; expect_err "unknown format 'xml' (text or json)"
run lexicon --db "$M" 'суд'; expect_rc 2 "undetectable"; expect_err "cannot tell the language of 'суд': give --from"
run lexicon --db "$M" --from en 42; expect_rc 2; expect_err "'42' holds no word to look up"
run lexicon --db "$T/none.db" --from en court; expect_rc 1; expect_err "no memory here yet"
run lexicon --db "$T/none.db" --update; expect_rc 1; expect_err "none.db"

# --- add learns inside its transaction ----------------------------------
printf 'The bridge opened today.\nThe mayor cut the ribbon.\n' >"$T/br.en.sent"
printf 'Міст відкрили сьогодні.\nМер перерізав стрічку.\n' >"$T/br.uk.sent"
A="$T/add.db"
run add -q -p --db "$A" "$T/br.en.sent" "$T/br.uk.sent"; expect_rc 0 "add"
expect_eq "$(q "$A" "SELECT value FROM lex_state WHERE name = 'watermark'")" \
          "$(q "$A" 'SELECT max(id) FROM units')" "add: learned up to its last unit"
expect_eq "$(q "$A" "SELECT lang_a || lang_b || units FROM lex_pairs")" \
          "enuk$(q "$A" 'SELECT count(*) FROM units WHERE confidence >= 0.9')" "add: units learned"

# --- batch add from a folder ----------------------------------------------
F="$T/folder"; mkdir -p "$F"
printf 'Rain fell all night.\nThe river rose.\n' >"$F/b-rain.en.sent"
printf 'Дощ ішов усю ніч.\nРіка піднялася.\n' >"$F/b-rain.uk.sent"
printf 'The school reopened.\n\nPupils came back.\n' >"$F/a-school.en.txt"
printf 'Школа знову відкрилася.\n\nУчні повернулися.\n' >"$F/a-school.uk.txt"
printf 'Alone here.\n' >"$F/c-lone.en.sent"
printf 'not a version\n' >"$F/README"
B="$T/batch.db"
run add --db "$B" --folder "$F"
expect_rc 0 "folder"; expect_no_out "folder"
expect_err "alignmem: warning: $F/c-lone: only one version; skipped"
expect_err "a-school: document 1, 2 units stored"
expect_err "b-rain: document 2, 2 units stored"
expect_err "alignmem: 2 documents, 4 units stored"
expect_eq "$(q "$B" 'SELECT title FROM documents ORDER BY id' | tr '\n' ' ')" "a-school b-rain " "folder: name order"
expect_eq "$(q "$B" "SELECT text FROM variants WHERE lang = 'uk' ORDER BY id" | tr '\n' '|')" \
          "Школа знову відкрилася.|Учні повернулися.|Дощ ішов усю ніч.|Ріка піднялася.|" "folder: beads"
expect_eq "$(q "$B" "SELECT value FROM lex_state WHERE name = 'watermark'")" 4 "folder: learned"
run add --db "$B" --folder "$F" -q; expect_rc 0 "folder again"
if grep -q "documents,\|already" "$ERR"; then bad "folder again: -q printed a summary"; else ok; fi
expect_eq "$(q "$B" 'SELECT count(*) FROM units')" 4 "folder again: nothing added"

# --- batch add from a list -------------------------------------------------
mkdir -p "$T/l/x"
printf 'One.\nTwo.\n' >"$T/l/x/en.sent"; printf 'Один.\nДва.\n' >"$T/l/x/uk.sent"
printf '# documents\n\nx/en.sent\tx/uk.sent\n' >"$T/l/list.txt"
run add --db "$T/list.db" --list "$T/l/list.txt"
expect_rc 0 "list"; expect_err "x/en.sent: document 1, 2 units stored"
printf 'x/en.sent\n' >"$T/l/bad.txt"
run add --db "$T/list.db" --list "$T/l/bad.txt"
expect_rc 1 "list: one file"; expect_err "alignmem: $T/l/bad.txt:1: a document needs 2 to 16 version files, this line has 1"
printf 'x/en.sent x/missing.sent\n' >"$T/l/bad2.txt"
run add --db "$T/list2.db" --list "$T/l/bad2.txt"
expect_rc 1 "list: missing file"; expect_err "missing.sent"
[ ! -e "$T/list2.db" ] && ok || bad "a failed batch created the memory"
run add --list "$T/l/list.txt" --folder "$F"; expect_rc 2; expect_err "give --list or --folder, not both"
run add --list "$T/l/list.txt" a b; expect_rc 2; expect_err "--list and --folder take no version files"
run add --folder "$F" --title T; expect_rc 2; expect_err "--title is for one document"
run add --folder "$F" --lang en,uk; expect_rc 2; expect_err "--lang cannot be used with --folder"
run add --folder "$T/nowhere"; expect_rc 1; expect_err "cannot read the folder"

# --- align --db: missing, foreign (no lexicon for the pair), read-only ---
run align -p "$T/br.en.sent" "$T/br.uk.sent"; expect_rc 0; cp "$OUT" "$T/plain.jsonl"
run align -p --db "$T/none.db" "$T/br.en.sent" "$T/br.uk.sent"
expect_rc 0 "missing memory"; expect_err "none.db: no memory here yet; aligning without its lexicon"
expect_eq "$(cat "$OUT")" "$(cat "$T/plain.jsonl")" "missing memory: as without --db"
[ ! -e "$T/none.db" ] && ok || bad "align --db created a memory"
run align -p --db "$M" "$T/br.en.sent" "$T/br.uk.sent"
expect_rc 0 "memory with other words"; expect_no_err
run align -p --db "$M" --lang de,fr "$T/br.en.sent" "$T/br.uk.sent"
expect_rc 0 "no lexicon for de-fr"
run align -p --lang de,fr "$T/br.en.sent" "$T/br.uk.sent"; cp "$OUT" "$T/defr.jsonl"
run align -p --db "$M" --lang de,fr "$T/br.en.sent" "$T/br.uk.sent"
expect_eq "$(cat "$OUT")" "$(cat "$T/defr.jsonl")" "no lexicon for the pair: as without --db"
# Writable and behind (import does not learn): align --db catches up
# first (the memory is opened read-only, then for writing).
cp "$B" "$T/behind.db"
"$ALIGNMEM" import -q --db "$T/behind.db" "$T/words.tmx" || bad "import into a copy"
W0=$(sqlite3 "$T/behind.db" "SELECT value FROM lex_state WHERE name = 'watermark'")
LAST=$(sqlite3 "$T/behind.db" 'SELECT max(id) FROM units')
[ "$W0" != "$LAST" ] && ok || bad "the copy should be behind"
run align -p --db "$T/behind.db" "$F/b-rain.en.sent" "$F/b-rain.uk.sent"; expect_rc 0 "behind"
expect_eq "$(sqlite3 "$T/behind.db" "SELECT value FROM lex_state WHERE name = 'watermark'")" \
    "$LAST" "behind: learned before aligning"
# An older schema that may be written: align --db migrates it first (a
# version 2 memory has no lex_cand; a version 1 one no lexicon at all).
cp "$B" "$T/v2.db"
sqlite3 "$T/v2.db" "DROP TABLE lex_cand; PRAGMA user_version = 2"
run align -p --db "$T/v2.db" "$F/b-rain.en.sent" "$F/b-rain.uk.sent"; expect_rc 0 "v2 memory"
cp "$OUT" "$T/v2.jsonl"
expect_eq "$(sqlite3 "$T/v2.db" 'PRAGMA user_version')" 3 "v2 memory migrated by align --db"
run align -p --db "$T/v2.db" "$F/b-rain.en.sent" "$F/b-rain.uk.sent"
expect_eq "$(cat "$OUT")" "$(cat "$T/v2.jsonl")" "the same beads after the migration"
sqlite3 "$T/v1.db" <"$AM_SOURCE_DIR/tests/tm/fixtures/memory-v1.sql"
run align -p --db "$T/v1.db" "$F/b-rain.en.sent" "$F/b-rain.uk.sent"; expect_rc 0 "v1 memory"
expect_eq "$(sqlite3 "$T/v1.db" 'PRAGMA user_version')" 3 "v1 memory migrated by align --db"
# Read-only: a memory nobody may write is used as it is, never changed;
# units imported since its last update are simply not learned.
chmod 755 "$T"; mkdir -p "$T/ro"; cp "$B" "$T/ro/m.db"
"$ALIGNMEM" import -q --db "$T/ro/m.db" "$T/words.tmx" || bad "import into ro copy"
chmod 755 "$T/ro"; chmod 644 "$T/ro/m.db"; chmod 644 "$F"/* "$T"/br.*
SUM=$(sha256sum "$T/ro/m.db" | cut -d' ' -f1)
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
$NB "$ALIGNMEM" align -p --db "$T/ro/m.db" "$F/b-rain.en.sent" "$F/b-rain.uk.sent" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "read-only align --db"; expect_no_err "read-only align --db"; expect_out '"score"'
cp "$OUT" "$T/ro.jsonl"
expect_eq "$(sha256sum "$T/ro/m.db" | cut -d' ' -f1)" "$SUM" "read-only memory unchanged"
$NB "$ALIGNMEM" lexicon --db "$T/ro/m.db" --from en rain >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "read-only lexicon"; expect_out "rain -> uk: stem rain, in 1 of 4 units"
$NB "$ALIGNMEM" lexicon --db "$T/ro/m.db" --update >"$OUT" 2>"$ERR"; RC=$?
expect_rc 1 "read-only update"; expect_err "read-only"
finish
