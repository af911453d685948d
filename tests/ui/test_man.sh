# test_man.sh - the man page renders without a single groff warning, and it
# documents every command, every option of every command, every exit code
# and every environment variable the code reads.
. "$(dirname "$0")/../cli/lib.sh"

MAN="$AM_SOURCE_DIR/doc/alignmem.1"
CLI="$AM_SOURCE_DIR/src/cli"
command -v groff >/dev/null || { echo "groff is missing: apt-get install groff-base" >&2; exit 1; }
[ -f "$MAN" ] || { echo "no man page at $MAN" >&2; exit 1; }

# -ww: all warnings. Nothing may come out on stderr.
groff -man -Tutf8 -ww -P-cbou "$MAN" >"$OUT" 2>"$ERR"; RC=$? # -P-cbou: plain text
expect_rc 0 "groff"; expect_no_err "groff warnings"
expect_out "ALIGNMEM(1)" "page header"; expect_out "NAME" "NAME section"
expect_out "EXIT STATUS" "exit status section"
# man(1) itself, as a user would open it (preconv, tbl, the pager off).
command -v man >/dev/null || { echo "man is missing: apt-get install man-db" >&2; exit 1; }
MANPAGER=cat MANWIDTH=80 man -l "$MAN" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "man -l"; expect_no_err "man -l"

# The commands of the dispatch table, each with its own subsection.
commands=$(grep -oE '\{"[a-z]+", *"[^"]*", *cmd_[a-z_]+\}' "$CLI/main.c" | sed -E 's/^\{"([a-z]+)".*/\1/')
[ -n "$commands" ] || { echo "no commands found in $CLI/main.c" >&2; exit 1; }
for c in $commands; do
    if grep -qx "\.SS $c" "$MAN"; then ok; else bad "no '.SS $c' subsection for command $c"; fi
done

# Every long option of every command (from its struct option table), as
# \-\-name in the page.
for c in $commands; do
    f="$CLI/cmd_$c.c"
    [ -f "$f" ] || continue
    for o in $(grep -oE '\{"[A-Za-z0-9-]+", *(no|required|optional)_argument' "$f" | sed -E 's/^\{"([^"]+)".*/\1/' | sort -u); do
        needle="\\-\\-${o//-/\\-}" # --flag-below is written \-\-flag\-below
        if grep -qF -- "$needle" "$MAN"; then ok; else bad "option --$o of '$c' ($f) is not in the man page"; fi
    done
done

# Exit codes and environment variables.
for code in 0 1 2; do
    if sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN" | grep -qx "\.B $code"; then ok; else bad "exit status $code undocumented"; fi
done
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$AM_SOURCE_DIR/src" | sed -E 's/getenv\("([A-Z_]+)"\)/\1/' | sort -u); do
    if sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$MAN" | grep -qx "\.B $v"; then ok; else bad "environment variable $v (read in src/) undocumented"; fi
done
finish
