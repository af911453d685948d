# test_align_cli.sh - `alignmem align` end to end: formats, languages from
# --lang and from file names, raw and presegmented input, errors.
. "$(dirname "$0")/../cli/lib.sh"

printf 'The bridge reopened on 14 March after 18 months of repairs.\nIt carries 42,000 cars a day.\n\nThe next repair is planned for 2031.\n' >"$T/doc.en.txt"
printf 'Міст знову відкрили 14 березня після 18 місяців ремонту.\nНим щодня проїжджає 42 000 автомобілів.\n\nНаступний ремонт заплановано на 2031 рік.\n' >"$T/doc.uk.txt"
printf 'Мост снова открыли 14 марта после 18 месяцев ремонта.\nПо нему ежедневно проезжает 42 000 автомобилей.\n\nСледующий ремонт запланирован на 2031 год.\n' >"$T/doc.ru.txt"
cp "$T/doc.en.txt" "$T/plain-a"; cp "$T/doc.uk.txt" "$T/plain-b"

# jsonl: languages from the file names, text exactly as segmented, ids.
run align --presegmented "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 0 "jsonl"; expect_no_err "jsonl"
expect_out '{"en": ["The bridge reopened on 14 March after 18 months of repairs."], "uk": ["Міст знову відкрили 14 березня після 18 місяців ремонту."], "ids": {"en": [1], "uk": [1]}, "score": '
expect_out '{"en": ["The next repair is planned for 2031."], "uk": ["Наступний ремонт заплановано на 2031 рік."], "ids": {"en": [3], "uk": [3]}, "score": '
[ "$(wc -l <"$OUT")" -eq 3 ] && ok || bad "jsonl: 3 beads expected"

# --lang in file order, three versions, tsv with a header.
run align -p --lang en,uk,ru --format tsv "$T/plain-a" "$T/plain-b" "$T/doc.ru.txt"; expect_rc 0 "tsv"
expect_out "$(printf 'en\tuk\tru\tscore')"
expect_out "$(printf 'It carries 42,000 cars a day.\tНим щодня проїжджає 42 000 автомобілів.\tПо нему ежедневно проезжает 42 000 автомобилей.\t')"
[ "$(wc -l <"$OUT")" -eq 4 ] && ok || bad "tsv: header + 3 beads expected"

# Raw text is segmented first: the two sentences of a paragraph split.
printf 'The bridge reopened on 14 March after 18 months of repairs. It carries 42,000 cars a day.\n' >"$T/raw.en.txt"
printf 'Міст знову відкрили 14 березня після 18 місяців ремонту. Ним щодня проїжджає 42 000 автомобілів.\n' >"$T/raw.uk.txt"
run align "$T/raw.en.txt" "$T/raw.uk.txt"; expect_rc 0 "raw"
expect_out '"ids": {"en": [2], "uk": [2]}'

# Errors: one file is a usage error; an unreadable file names itself.
run align "$T/doc.en.txt"; expect_rc 2 "one file"; expect_err "needs at least two files"; expect_no_out "one file"
run align -p "$T/doc.en.txt" "$T/no-such.uk.txt"; expect_rc 1 "missing file"; expect_err "no-such.uk.txt"
run align -p --lang en "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 2 "--lang count"; expect_err "one language per file"
run align -p --format xml "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 2 "bad format"; expect_err "unknown format 'xml'"
# -o FILE: the same bytes as standard output, nothing on stdout, no
# temporary file left beside it; -o - is standard output.
run align -p "$T/doc.en.txt" "$T/doc.uk.txt"; cp "$OUT" "$T/expected.jsonl"
mkdir "$T/outdir"
run align -p -o "$T/outdir/al.jsonl" "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 0 "-o"; expect_no_out "-o"
cmp -s "$T/expected.jsonl" "$T/outdir/al.jsonl" && ok || bad "-o: file differs from stdout"
[ "$(ls "$T/outdir")" = "al.jsonl" ] && ok || bad "-o: stray files: $(ls "$T/outdir")"
run align -p --output - "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 0 "-o -"
cmp -s "$T/expected.jsonl" "$OUT" && ok || bad "-o -: stdout differs"
# A failed run keeps the old FILE as it was and leaves no temporary file.
run align -p -o "$T/outdir/al.jsonl" "$T/doc.en.txt" "$T/no-such.uk.txt"; expect_rc 1 "-o failed"
cmp -s "$T/expected.jsonl" "$T/outdir/al.jsonl" && ok || bad "-o failed: old file changed"
[ "$(ls "$T/outdir")" = "al.jsonl" ] && ok || bad "-o failed: stray files: $(ls "$T/outdir")"
run align -p -o "$T/no-dir/al.jsonl" "$T/doc.en.txt" "$T/doc.uk.txt"; expect_rc 1 "-o no folder"
expect_err "no-dir/al.jsonl: cannot write"; [ ! -e "$T/no-dir" ] && ok || bad "-o no folder: created"
# html: the page is titled with the file names; --quiet is accepted.
run align -p -q -f html -o "$T/outdir/al.html" "$T/doc.en.txt" "$T/doc.uk.txt" "$T/doc.ru.txt"
expect_rc 0 "html -o"; expect_no_err "html -o"
grep -qF '<title>doc.en.txt · doc.uk.txt · doc.ru.txt</title>' "$T/outdir/al.html" && ok || bad "html title"
finish
