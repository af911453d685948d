# test_progress.sh - the progress bar appears on a terminal, only on stderr,
# and never with --quiet or when stderr is not a terminal. script(1) gives
# the command a pseudo-terminal for stderr while stdout goes to a file.
. "$(dirname "$0")/../cli/lib.sh"
: "${AM_SHARED_DIR:?}"
command -v script >/dev/null || { echo "script(1) is missing: apt-get install bsdutils" >&2; exit 1; }
DATA="$AM_SHARED_DIR/data/ntrex128"
[ -f "$DATA/en.txt" ] || { echo "shared data missing: $DATA/en.txt (see ../shared/README.md)" >&2; exit 1; }
# 400 sentences a side, one a line: the bar is drawn as soon as work starts.
head -400 "$DATA/en.txt" >"$T/news.en.txt"
head -400 "$DATA/uk.txt" >"$T/news.uk.txt"

# on_tty OUTFILE TYPESCRIPT ARGS...: run with stderr on a pseudo-terminal;
# the terminal's output lands in TYPESCRIPT, stdout in OUTFILE.
on_tty() {
    local out=$1 ts=$2 cmd
    shift 2
    cmd=$(printf '%q ' "$ALIGNMEM" "$@")
    script -qec "$cmd >$(printf '%q' "$out") </dev/null" "$ts" >/dev/null 2>&1
}

export ALIGNMEM_DB="$T/tty.db"
on_tty "$T/out1" "$T/tty1" add --presegmented "$T/news.en.txt" "$T/news.uk.txt"; RC=$?
expect_rc 0 "add on a terminal"
if grep -q $'\raligning ' "$T/tty1"; then ok; else bad "no progress bar on the terminal: $(head -c 300 "$T/tty1" | od -c | head -5)"; fi
if grep -q $'\r\033\[K' "$T/tty1"; then ok; else bad "the bar does not erase itself"; fi
if grep -q "aligning" "$T/out1"; then bad "progress leaked into stdout"; else ok; fi

export ALIGNMEM_DB="$T/quiet.db"
on_tty "$T/out2" "$T/tty2" add --quiet --presegmented "$T/news.en.txt" "$T/news.uk.txt"; RC=$?
expect_rc 0 "add --quiet on a terminal"
if grep -q "aligning" "$T/tty2"; then bad "--quiet still shows progress"; else ok; fi

# Not a terminal: no bar, whatever the options.
export ALIGNMEM_DB="$T/pipe.db"
run add --presegmented "$T/news.en.txt" "$T/news.uk.txt"
expect_rc 0 "add to a pipe"
if grep -q $'\r' "$ERR"; then bad "progress written to a non-terminal stderr"; else ok; fi
finish
