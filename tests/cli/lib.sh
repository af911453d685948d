# lib.sh - a tiny harness for end-to-end tests of the alignmem binary.
# Each test script sources this, calls `run ARGS...` and the expect_*
# helpers, and ends with `finish`.
set -u
: "${ALIGNMEM:?ALIGNMEM must name the binary}"
: "${AM_SOURCE_DIR:?}"
T=${AM_TEST_TMP:-$(mktemp -d)}
rm -rf "$T"; mkdir -p "$T"
export ALIGNMEM_DB="$T/default.db"
PASS=0; FAIL=0; OUT="$T/stdout"; ERR="$T/stderr"; RC=0

# run ARGS...: run the binary with stdin from /dev/null (or $STDIN if set).
run() {
    "$ALIGNMEM" "$@" <"${STDIN:-/dev/null}" >"$OUT" 2>"$ERR"; RC=$?
}
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; echo "  stdout: $(head -c 600 "$OUT")" >&2; echo "  stderr: $(head -c 600 "$ERR")" >&2; }
expect_rc() { if [ "$RC" -eq "$1" ]; then ok; else bad "${2:-} exit $RC, expected $1"; fi; }
expect_out() { if grep -qF -- "$1" "$OUT"; then ok; else bad "${2:-} stdout lacks '$1'"; fi; }
expect_err() { if grep -qF -- "$1" "$ERR"; then ok; else bad "${2:-} stderr lacks '$1'"; fi; }
expect_out_exact() { if [ "$(cat "$OUT")" = "$1" ]; then ok; else bad "${2:-} stdout differs: expected '$1'"; fi; }
expect_no_out() { if [ ! -s "$OUT" ]; then ok; else bad "${2:-} stdout not empty"; fi; }
expect_no_err() { if [ ! -s "$ERR" ]; then ok; else bad "${2:-} stderr not empty"; fi; }
finish() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
