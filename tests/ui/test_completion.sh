# test_completion.sh - bash completion: the generator on a small fixture of
# command sources (exact results), then the completion built from the real
# sources (every command, every option table).
. "$(dirname "$0")/../cli/lib.sh"
: "${AM_BUILD_DIR:?}"
GEN="$AM_SOURCE_DIR/completion/gen-completion.sh"

# complete_words SCRIPT WORD...: what bash offers for the last word, sorted,
# one line, as the shell would compute it.
complete_words() {
    local script=$1
    shift
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
             _alignmem; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " "' _ "$script" "$@"
}
expect_completion() { # EXPECTED SCRIPT WORD...
    local want=$1 got
    shift
    got=$(complete_words "$@")
    if [ "$got" = "$want" ]; then ok; else bad "completing '${*:2}': got '$got', expected '$want'"; fi
}

# --- the generator on a fixture ------------------------------------------
FIX="$T/cli"
mkdir -p "$FIX"
cat >"$FIX/main.c" <<'EOF'
static const cli_command commands[] = {
    {"align", "align versions", cmd_align},
    {"stats", "show the memory", cmd_stats},
};
EOF
cat >"$FIX/cmd_align.c" <<'EOF'
static const char usage[] = "Usage: alignmem align [--format jsonl|tsv|html] [-o FILE]\n"
    "  --lang L1,L2   languages\n  --flag-below X\n";
static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'}, {"lang", required_argument, NULL, 'l'},
    {"flag-below", required_argument, NULL, OPT_FLAG}, {"presegmented", no_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
/* 'l' takes a value but is no short option here: only --lang exists. */
int c = cli_getopt(argc, argv, "f:o:ph", opts);
EOF
cat >"$FIX/cmd_stats.c" <<'EOF'
static void usage(void) { puts("  --format F   text (default) or json: the layout\n"); }
static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"db", required_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
EOF
bash "$GEN" "$FIX" "$T/fix.bash"; RC=$?
expect_rc 0 "generator on the fixture"
S="$T/fix.bash"
expect_completion "--help --version align stats " "$S" alignmem ""
expect_completion "stats " "$S" alignmem st
expect_completion "--help --version " "$S" alignmem --
expect_completion "--flag-below --format --help --lang --output --presegmented " "$S" alignmem align --
expect_completion "--flag-below --format " "$S" alignmem align --f
expect_completion "html jsonl tsv " "$S" alignmem align --format ""
expect_completion "tsv " "$S" alignmem align -f t
expect_completion "html " "$S" alignmem align --format = h
expect_completion "html jsonl tsv " "$S" alignmem align --format =
# A language list or a number completes nothing; files for FILE and --db.
expect_completion "" "$S" alignmem align --lang ""
expect_completion "--flag-below --format --help --lang --output --presegmented " "$S" alignmem align -l --
expect_completion "" "$S" alignmem align --flag-below ""
mkdir -p "$T/files" && touch "$T/files/memory.db" "$T/files/review.html"
expect_completion "$T/files/memory.db " "$S" alignmem stats --db "$T/files/m"
# Choices read from a help line: "F   text (default) or json: ...".
expect_completion "json text " "$S" alignmem stats --format ""
expect_completion "$T/files/review.html " "$S" alignmem align -o "$T/files/r"
expect_completion "$T/files/memory.db $T/files/review.html " "$S" alignmem align "$T/files/"
# A generator failure leaves no half-written script.
rm -f "$T/broken.bash"
bash "$GEN" "$T/nowhere" "$T/broken.bash" 2>/dev/null; RC=$?
if [ "$RC" -ne 0 ] && [ ! -e "$T/broken.bash" ]; then ok; else bad "generator on a missing folder: rc $RC"; fi

# --- the completion built from the real sources --------------------------
REAL="$AM_BUILD_DIR/alignmem.bash"
if [ ! -f "$REAL" ]; then
    bad "$REAL was not generated (build the am_completion target)"
    finish; exit
fi
bash -n "$REAL" && ok || bad "$REAL is not valid bash"
commands=$(grep -oE '\{"[a-z]+", *"[^"]*", *cmd_[a-z_]+\}' "$AM_SOURCE_DIR/src/cli/main.c" | sed -E 's/^\{"([a-z]+)".*/\1/' | LC_ALL=C sort | tr '\n' ' ')
expect_completion "--help --version $commands" "$REAL" alignmem ""
for c in $commands; do
    want=$(grep -oE '\{"[A-Za-z0-9-]+", *(no|required|optional)_argument' "$AM_SOURCE_DIR/src/cli/cmd_$c.c" |
        sed -E 's/^\{"([^"]+)".*/--\1/' | LC_ALL=C sort -u | tr '\n' ' ')
    expect_completion "$want" "$REAL" alignmem "$c" --
done
finish
