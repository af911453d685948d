# test_cli_lookup.sh - `alignmem lookup` and `alignmem concord` end to end:
# exact text and JSON output, batch lookup with in-context 101%, errors.
. "$(dirname "$0")/../cli/lib.sh"

cat >"$T/m.tmx" <<'TMX'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="uk" datatype="plaintext"/><body>
<tu><tuv xml:lang="uk"><seg>Київ оголосив нові правила в'їзду.</seg></tuv><tuv xml:lang="en"><seg>Kyiv announced new entry rules.</seg></tuv></tu>
<tu><tuv xml:lang="uk"><seg>Погода в Харкові була чудова.</seg></tuv><tuv xml:lang="en"><seg>The weather in Kharkiv was fine.</seg></tuv></tu>
<tu><tuv xml:lang="uk"><seg>Кримський міст закрито.</seg></tuv><tuv xml:lang="en"><seg>The Crimean bridge is closed.</seg></tuv></tu>
</body></tmx>
TMX

# An empty memory: no match, not an error.
printf '<?xml version="1.0"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="uk" datatype="plaintext"/><body></body></tmx>\n' >"$T/empty.tmx"
run import -q --db "$T/empty.db" "$T/empty.tmx"; expect_rc 0 "import of nothing"
run lookup --db "$T/empty.db" --from uk "Київ оголосив нові правила."
expect_rc 0 "empty memory"
expect_out_exact "Київ оголосив нові правила.
  no match at or above 70%" "empty memory"

run import -q "$T/m.tmx"; expect_rc 0 "import"
run lookup --from uk "Київ оголосив старі правила в'їзду."
expect_rc 0 "lookup"
expect_out_exact "Київ оголосив старі правила в'їзду.
  80%  unit 1
    uk    Київ оголосив [-нові-]{+старі+} правила в'їзду.
    en    Kyiv announced new entry rules." "lookup text"
run lookup --from uk --format json Київ оголосив старі правила "в’їзду."
expect_rc 0 "lookup json"
expect_out_exact '{"query": "Київ оголосив старі правила в’їзду.", "matches": [{"score": 79, "unit": 1, "variants": {"uk": "Київ оголосив нові правила в'"'"'їзду.", "en": "Kyiv announced new entry rules."}, "document": null, "base": 80, "penalties": "punctuation -1", "context": false, "diff": [{"op": "equal", "text": "Київ оголосив"}, {"op": "delete", "text": " нові"}, {"op": "insert", "text": " старі"}, {"op": "equal", "text": " правила"}, {"op": "delete", "text": " в'"'"'їзду"}, {"op": "insert", "text": " в’їзду"}, {"op": "equal", "text": "."}]}]}' "lookup json"
run lookup --from uk --min 90 "Київ оголосив старі правила в'їзду."
expect_rc 0; expect_out "no match at or above 90%" "--min"
run lookup --from uk --to ru "Погода в Харкові була чудова."
expect_out_exact "Погода в Харкові була чудова.
  100%  unit 2
    uk    Погода в Харкові була чудова." "--to drops other languages"

# Batch: one query a line; the second follows the first in its document.
printf 'Перше речення тексту.\nДруге речення тексту.\n' >"$T/d.uk.txt"
printf 'The first sentence.\nThe second sentence.\n' >"$T/d.en.txt"
run add -q -p --title "Новини" "$T/d.uk.txt" "$T/d.en.txt"; expect_rc 0 "add"
printf 'Перше речення тексту.\nДруге речення тексту.\n\nДруге речення тексту.\n' >"$T/q.txt"
STDIN="$T/q.txt" run lookup --from uk --to en --format json -
expect_rc 0 "batch"
if [ "$(wc -l <"$OUT")" -eq 4 ]; then ok; else bad "batch: one JSON line per input line"; fi
expect_out '"score": 101, "unit": 5, "variants": {"uk": "Друге речення тексту.", "en": "The second sentence."}, "document": "Новини", "base": 100, "penalties": "", "context": true' "101 in context"
if [ "$(sed -n 4p "$OUT" | grep -c '"score": 100,')" -eq 1 ]; then ok; else bad "after a blank line, no context"; fi
STDIN="$T/q.txt" run lookup --from uk --to en -
expect_out "  101% (in context)  unit 5  \"Новини\"" "101 in text"

# Concordance.
run concord --lang en crimea*
expect_rc 0 "concord"
expect_out_exact '1 unit with "crimea*" in en
                                The [Crimean] bridge is closed.   #3
                              uk    Кримський міст закрито.' "concord text"
run concord --lang uk --format json КРИМСЬКИЙ
expect_out_exact '{"phrase": "КРИМСЬКИЙ", "lang": "uk", "total": 1, "units": [{"unit": 3, "variants": {"uk": "Кримський міст закрито.", "en": "The Crimean bridge is closed."}, "document": null, "match": "Кримський", "group": 0, "group_size": 1}]}' "concord json"
run concord --lang en rim
expect_rc 0; expect_out_exact '0 units with "rim" in en' "word boundaries"
printf 'crimean\n\nweather\n' >"$T/phrases.txt"
STDIN="$T/phrases.txt" run concord --lang en --format json -
expect_rc 0 "concord -"
if [ "$(wc -l <"$OUT")" -eq 2 ]; then ok; else bad "concord -: one JSON line per phrase"; fi
expect_out '{"phrase": "weather", "lang": "en", "total": 1, "units": [{"unit": 2,' "concord - second phrase"

# Usage errors and bad input.
run lookup "x";              expect_rc 2 "no --from"; expect_err "alignmem: lookup: --from LANG is required"
run lookup --from uk;        expect_rc 2 "no query"; expect_err "nothing to look up"
run lookup --from uk --min 101 x; expect_rc 2 "--min range"; expect_err "--min wants a number within 0..100"
run lookup --from uk --format xml x; expect_rc 2; expect_err "unknown format 'xml'"
printf 'Добре.\n\377\n' >"$T/bad.txt"
STDIN="$T/bad.txt" run lookup --from uk -
expect_rc 1 "invalid UTF-8"; expect_err "alignmem: <stdin>:2: invalid UTF-8"
run concord;                 expect_rc 2; expect_err "no phrase to search for"
run concord --lang en "*";   expect_rc 2 "phrase without words"; expect_err "the phrase has no words"
finish
