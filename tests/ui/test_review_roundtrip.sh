# test_review_roundtrip.sh - the correction round trip on the team's corpora:
# `align --format tsv`, edits a reviewer makes (join two beads, split one,
# delete one), `add --aligned` stores exactly the corrected beads; mistakes
# (a sentence lost, duplicated, a column missing) are refused with the line
# and nothing is stored.
. "$(dirname "$0")/../cli/lib.sh"
DOCS="court-ruling-kyiv heating-season"

# edit_tsv IN OUT KIND: apply one reviewer edit with python3; prints the
# number of units the edited file must store (beads with two non-empty sides
# and not marked delete) or, for mistakes, the line of the fault.
edit_tsv() {
    python3 - "$@" <<'EOF'
import sys
src, dst, kind = sys.argv[1:4]
lines = open(src, encoding="utf-8").read().rstrip("\n").split("\n")
rows = [l.split("\t") for l in lines]
head, beads = rows[0], rows[1:]
n = len(head) - 1
def full(i):  # first bead with every side non-empty, from i
    while any(not c for c in beads[i][:n]):
        i += 1
    return i
if kind == "join":      # join two neighbouring full beads, empty score
    i = full(1)
    beads[i] = [(a + " " + b).strip() for a, b in zip(beads[i][:n], beads[i + 1][:n])] + [""]
    del beads[i + 1]
    j = full(i + 2)
    beads[j][n] = "delete"
elif kind == "lose":    # cut a sentence and never paste it
    i = full(2)
    beads[i][1] = ""
    print(i + 2 + 1)    # reported on the next line holding that version
elif kind == "dup":     # copy a sentence into the next bead instead of moving it
    i = full(2)
    beads[i + 1][1] = (beads[i][1] + " " + beads[i + 1][1]).strip()
    print(i + 3)
elif kind == "column":  # a cell lost: the line has one column less
    i = full(3)
    del beads[i][0]
    print(i + 2)
open(dst, "w", encoding="utf-8").write("\n".join("\t".join(r) for r in [head] + beads) + "\n")
if kind in ("none", "join"):
    print(sum(1 for b in beads if b[n] != "delete" and sum(1 for c in b[:n] if c) >= 2))
EOF
}

units_in() { # DB: the number of units stored (0 when never created)
    [ -f "$1" ] || { echo 0; return; }
    ALIGNMEM_DB="$1" "$ALIGNMEM" stats --format json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"])'
}

for doc in $DOCS; do
    D="$AM_SOURCE_DIR/corpora/$doc"
    [ -f "$D/uk.txt" ] || { echo "the team's corpus is missing: $D" >&2; exit 1; }
    run align --format tsv "$D/uk.txt" "$D/en.txt"
    expect_rc 0 "$doc: align --format tsv"
    cp "$OUT" "$T/$doc.tsv"

    for kind in none join; do
        want=$(edit_tsv "$T/$doc.tsv" "$T/$doc.$kind.tsv" "$kind")
        export ALIGNMEM_DB="$T/$doc.$kind.db"
        run add --aligned "$T/$doc.$kind.tsv" "$D/uk.txt" "$D/en.txt"
        expect_rc 0 "$doc: add --aligned ($kind)"
        got=$(units_in "$ALIGNMEM_DB")
        if [ "$got" = "$want" ]; then ok; else bad "$doc ($kind): $got units stored, expected $want"; fi
    done

    for kind in lose dup column; do
        line=$(edit_tsv "$T/$doc.tsv" "$T/$doc.$kind.tsv" "$kind")
        export ALIGNMEM_DB="$T/$doc.$kind.db"
        run add --aligned "$T/$doc.$kind.tsv" "$D/uk.txt" "$D/en.txt"
        expect_rc 1 "$doc: add --aligned ($kind)"
        expect_err "$doc.$kind.tsv:$line: " "$doc ($kind)"
        case $kind in
        lose) expect_err "is missing" "$doc (lose)" ;;
        dup) expect_err "appears twice" "$doc (dup)" ;;
        column) expect_err "a column is missing" "$doc (column)" ;;
        esac
        got=$(units_in "$ALIGNMEM_DB")
        if [ "${got:-0}" = 0 ]; then ok; else bad "$doc ($kind): $got units stored from a refused file"; fi
    done
done
finish
