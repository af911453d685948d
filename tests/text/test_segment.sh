# test_segment.sh - `alignmem segment`: formats, language choice, errors.
. "$(dirname "$0")/../cli/lib.sh"

printf 'Заголовок\n\nОфіс у м. Київ на вул. Хрещатик. Див. ст. 5 Закону!\n' >"$T/news.uk.txt"
run segment "$T/news.uk.txt"; expect_rc 0 "lines"; expect_no_err
expect_out_exact "$(printf 'Заголовок\n\nОфіс у м. Київ на вул. Хрещатик.\nДив. ст. 5 Закону!')" "lines"

# jsonl: byte offsets into the input after the BOM, paragraphs from 0.
printf '\xEF\xBB\xBFOne "two".\nThree\n' >"$T/a.en.txt"
run segment --format jsonl "$T/a.en.txt"; expect_rc 0 "jsonl"
expect_out_exact "$(printf '%s\n%s' '{"text": "One \"two\".", "offset": 0, "length": 10, "paragraph": 0}' \
    '{"text": "Three", "offset": 11, "length": 5, "paragraph": 0}')" "jsonl"

# -o writes a file and nothing to stdout; stdin with --lang.
STDIN="$T/news.uk.txt" run segment -l uk -o "$T/out.txt" -; expect_rc 0 "-o"; expect_no_out
if [ "$(sed -n 3p "$T/out.txt")" = "Офіс у м. Київ на вул. Хрещатик." ]; then ok; else bad "-o content"; fi

# Detection from the letters when the name carries no language.
printf 'Правительство объявило новые меры. Это важно.\n' >"$T/noname.txt"
run segment "$T/noname.txt"; expect_rc 0 "detect ru"; expect_out "Это важно."
printf 'Добрий день, пане Петро. Так.\n' >"$T/ambiguous.txt"
run segment "$T/ambiguous.txt"; expect_rc 1 "undetectable"; expect_no_out
expect_err "alignmem: $T/ambiguous.txt: cannot detect the language"

# Invalid UTF-8: file, line and byte offset; nothing written.
printf 'ok\nbad \xC3\x28 here\n' >"$T/bad.uk.txt"
run segment "$T/bad.uk.txt"; expect_rc 1 "invalid utf-8"; expect_no_out
expect_err "alignmem: $T/bad.uk.txt:2: invalid UTF-8 (byte 0xC3) (byte 7)"

# Usage errors exit 2.
run segment; expect_rc 2 "no file"; expect_err "no input file"
run segment --format xml "$T/a.en.txt"; expect_rc 2 "bad format"; expect_err "unknown format 'xml'"
run segment --lang 'e!' "$T/a.en.txt"; expect_rc 2 "bad lang"; expect_err "not a language code"
run segment "$T/a.en.txt" "$T/a.en.txt"; expect_rc 2 "two files"
run segment "$T/missing.uk.txt"; expect_rc 1 "missing file"; expect_err "missing.uk.txt"
finish
