# test_browser.sh - the review page in a real browser: headless Chromium
# loads it from a file with every network path closed, the DOM it built is
# checked (check_dom.py: beads, types, flags, every sentence once and in
# order, nothing external), and screenshots plus a printed PDF are kept in
# <build>/tests/artifacts/ for a human to look at.
#
# Two pages: the gold beads of a benchmark document rendered by a fixture
# (so the page is checked against known beads), and a real
# `alignmem align --format html` of one of the team's statements (raw text in
# three languages: the segmenter and the aligner at work).
. "$(dirname "$0")/../cli/lib.sh"
: "${AM_BUILD_DIR:?}" "${AM_RENDER_GOLD:?}" "${AM_SHARED_DIR:?}"
HERE=$(cd "$(dirname "$0")" && pwd)
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "chromium is not installed: run scripts/test.sh (it installs the test packages)" \
         "or apt-get install chromium" >&2
    exit 1
fi
DOC="$AM_SHARED_DIR/bench/align-ntrex/bbc.381680"
if [ ! -f "$DOC/gold.en-uk.tsv" ]; then
    echo "shared benchmark data missing: $DOC (see ../shared/README.md)" >&2
    exit 1
fi
TEAM="$AM_SOURCE_DIR/corpora/heating-season"
[ -f "$TEAM/uk.txt" ] || { echo "the team's corpus is missing: $TEAM" >&2; exit 1; }
ART="$AM_BUILD_DIR/tests/artifacts"
mkdir -p "$ART"

# chrome ARGS...: headless, no sandbox (containers), no GPU, and no way out
# to the network: QUIC off, every host unresolvable, a dead proxy.
chrome() {
    local profile
    profile=$(mktemp -d -p "$T" chrome.XXXXXX)
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$profile" "$@" 2>>"$T/chrome.log"
}

# png_size FILE: "WIDTHxHEIGHT" from the PNG header, or nothing.
png_size() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || return 0
    local w h
    w=$(od -An -tu4 --endian=big -j16 -N4 "$1" | tr -d ' ')
    h=$(od -An -tu4 --endian=big -j20 -N4 "$1" | tr -d ' ')
    echo "${w}x${h}"
}

# check_page NAME HTML FLAG_BELOW [GOLD]: dump the DOM, check it, screenshot.
check_page() {
    local name=$1 html=$2 flag=$3 gold=${4:-}
    chrome --dump-dom "file://$html" >"$T/$name.dom"
    if grep -q '<tr class="bead' "$T/$name.dom"; then ok; else bad "$name: Chromium gave no DOM with beads"; return; fi
    python3 "$HERE/check_dom.py" "$T/$name.dom" "$flag" $gold >"$OUT" 2>"$ERR"; RC=$?
    expect_rc 0 "$name: DOM check"
    rm -f "$ART/review-$name.png"
    # Let every compositor stage finish before the picture is taken: under
    # load a plain --screenshot may catch half-painted tiles.
    chrome --screenshot="$ART/review-$name.png" --window-size=1280,900 \
        --run-all-compositor-stages-before-draw --virtual-time-budget=3000 "file://$html" >/dev/null
    if [ "$(png_size "$ART/review-$name.png")" = "1280x900" ]; then ok; else bad "$name: no 1280x900 screenshot"; fi
}

# --- 1. gold beads of one document, through the fixture ---------------------
"$AM_RENDER_GOLD" "$T/gold.html" "$DOC" en uk >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "render_gold"
check_page gold "$T/gold.html" 0.8 "$DOC/gold.en-uk.tsv"
# The fixture scores 1-1 beads 0.93 and all others below 0.8, so the flags
# are exactly the beads that are not one-to-one; paragraphs are the blank
# lines of the .sent files plus one.
n_beads=$(grep -c . "$DOC/gold.en-uk.tsv")
n_flag=$(grep -cvP '^\d+\t\d+$' "$DOC/gold.en-uk.tsv")
n_para=$(( $(grep -c '^$' "$DOC/en.sent") + 1 ))
expect_out_exact "beads=$n_beads flagged=$n_flag paragraphs=$n_para" "gold page"

# --- 2. a real alignment of three versions --------------------------------
run align --format html "$TEAM/uk.txt" "$TEAM/ru.txt" "$TEAM/en.txt"
expect_rc 0 "align --format html"; expect_no_err "align --format html"
cp "$OUT" "$T/align.html"
check_page align "$T/align.html" 0.8
if grep -q '<th lang="ru">ru' "$T/align.html"; then ok; else bad "align page lacks the ru column"; fi
# The page is the team's statement: in the bead where uk/ru write "1 148"
# (a no-break space) and en "1,148", no number is marked as missing.
row=$(grep $'1\xc2\xa0148' "$T/align.html")
if [ -n "$row" ] && grep -q "1,148" <<<"$row" && ! grep -q "num-mismatch" <<<"$row"; then ok
else bad "the bead with 1 148 / 1,148 is missing or has a number marked"; fi
# The threshold moves the flags: 0 flags nothing.
run align --format html --flag-below 0 "$TEAM/uk.txt" "$TEAM/ru.txt" "$TEAM/en.txt"
expect_rc 0 "--flag-below 0"
if grep -q '<tr class="bead[^"]*flag' "$OUT"; then bad "--flag-below 0 still flags beads"; else ok; fi
# No script runs on the page, so its markup is its DOM: checked without
# another browser start.
cp "$OUT" "$T/none.html"
python3 "$HERE/check_dom.py" "$T/none.html" 0 >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "--flag-below 0 DOM"; expect_out "flagged=0 "

# Printable: Chromium prints it to PDF (kept as an artefact).
rm -f "$ART/review-align.pdf"
chrome --print-to-pdf="$ART/review-align.pdf" --no-pdf-header-footer "file://$T/align.html" >/dev/null
if [ "$(head -c 5 "$ART/review-align.pdf" 2>/dev/null)" = "%PDF-" ]; then ok; else bad "no PDF printed"; fi
echo "artefacts: $ART/review-gold.png $ART/review-align.png $ART/review-align.pdf"
finish
