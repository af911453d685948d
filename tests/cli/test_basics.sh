# test_basics.sh - the Unix conventions every command shares.
. "$(dirname "$0")/lib.sh"

run --help;          expect_rc 0 "--help"; expect_out "Usage: alignmem COMMAND"; expect_no_err
run --version;       expect_rc 0; expect_out_exact "alignmem 0.1.0"
run;                 expect_rc 2 "no command"; expect_err "Usage: alignmem COMMAND"; expect_no_out
run frobnicate;      expect_rc 2; expect_err "alignmem: unknown command 'frobnicate'"
run --frob;          expect_rc 2; expect_err "alignmem: unknown option '--frob'"
for c in segment align add import export lookup concord stats; do
    run "$c" --help;  expect_rc 0 "$c --help"; expect_out "Usage: alignmem $c"; expect_no_err "$c --help"
    run "$c" --no-such-option; expect_rc 2 "$c bad option"
    expect_err "alignmem: $c: unknown option '--no-such-option'" "$c bad option"
    expect_err "Try 'alignmem $c --help'" "$c bad option"
done
finish
