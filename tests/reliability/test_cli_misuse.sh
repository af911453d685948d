# test_cli_misuse.sh - the CLI facing mistakes and odd files (issue #8):
# missing or bad arguments are usage errors (exit 2, a hint to --help);
# unreadable inputs, a read-only memory, a file that is not SQLite, an
# SQLite file that is not a memory and a memory of a newer schema are
# failures (exit 1) naming the file, and none of those files is changed by
# a single byte. As root, permission cases run as `nobody` through
# setpriv (root reads everything); otherwise as the user running the tests.
. "$(dirname "$0")/rel_lib.sh"

command -v setpriv >/dev/null || { echo "FAIL: setpriv (util-linux) is missing" >&2; exit 1; }
chmod 755 "$T"
cd "$T" || exit 1
printf 'One sentence here. Another one.\n' >a.en.txt
printf 'Одне речення тут. Ще одне.\n' >a.uk.txt
gen_tmx s.tmx 5 small
run import --db mem.db s.tmx; expect_rc 0 "set-up"
SUM=$(mem_sum mem.db)

# usage ARGS...: exit 2, a message naming the command, the --help hint,
# nothing on stdout.
usage() {
    run "$@"
    expect_rc 2 "$*"; expect_no_out "$*"
    expect_err "alignmem: $1: " "$*"; expect_err "Try 'alignmem $1 --help'" "$*"
}
usage segment
usage segment a.en.txt a.uk.txt
usage segment --lang
usage segment --lang 'not a code!' a.en.txt
usage segment --format xml a.en.txt
usage align
usage align a.en.txt
usage align --max-side 0 a.en.txt a.uk.txt
usage align --max-side abc a.en.txt a.uk.txt
usage align --format pdf a.en.txt a.uk.txt
usage align --flag-below
# Empty and NaN are not numbers in range (strtod takes both).
usage align --flag-below '' a.en.txt a.uk.txt
usage align --flag-below nan a.en.txt a.uk.txt
usage export --db mem.db --min-score nan
usage add --db mem.db a.en.txt
usage add --db
usage import
usage import --db
usage import --db mem.db --on-duplicate maybe s.tmx
usage lookup --db mem.db 'query without a language'
usage lookup --from
usage concord --db mem.db
usage stats --db mem.db extra
usage export --db mem.db --no-such-flag
expect_eq "$(mem_sum mem.db)" "$SUM" "usage errors leave the memory alone"

# --- unreadable inputs: exit 1, the file named ----------------------------
mkdir dir.en.txt
run segment dir.en.txt; expect_rc 1 "directory as text"; expect_err "dir.en.txt" "directory named"
run align a.en.txt dir.en.txt; expect_rc 1 "directory as version"; expect_err "dir.en.txt" "directory named"
run import --db mem.db "$T"; expect_rc 1 "directory as TMX"; expect_err "$T" "directory named"
printf 'Secret text.\n' >secret.en.txt; chmod 000 secret.en.txt
NB=""
[ "$(id -u)" -eq 0 ] && NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
# give_away DIR: let the user of $NB write DIR.
give_away() { if [ -n "$NB" ]; then chown nobody "$1"; fi; }
$NB "$ALIGNMEM" segment secret.en.txt >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 1 "unreadable text"; expect_err "secret.en.txt" "unreadable named"; expect_no_out "unreadable text"
cp s.tmx secret.tmx; chmod 000 secret.tmx
mkdir nb; give_away nb
$NB "$ALIGNMEM" import --db nb/mem.db secret.tmx >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 1 "unreadable TMX"; expect_err "secret.tmx" "unreadable TMX named"

# --- memories that must not be touched -------------------------------------
# not_touched FILE WHAT ARGS...: the command fails (exit 1) naming FILE,
# and FILE (and any file beside it) is unchanged byte for byte.
not_touched() {
    local f=$1 what=$2 before after; shift 2
    before=$(sha256sum "$f" | cut -d' ' -f1)
    run "$@"; expect_rc 1 "$what: $*"; expect_err "alignmem: $f: " "$what: $*"
    after=$(sha256sum "$f" | cut -d' ' -f1)
    expect_eq "$after" "$before" "$what: file unchanged by $1"
}
printf 'A shopping list, not a database.\n' >text.db
not_touched text.db "not SQLite" import --db text.db s.tmx
not_touched text.db "not SQLite" stats --db text.db
not_touched text.db "not SQLite" lookup --db text.db --from en 'Line 1 of the small file'
not_touched text.db "not SQLite" export --db text.db
expect_err "not an alignmem memory" "not SQLite"
sqlite3 other.db "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);"
not_touched other.db "foreign SQLite" import --db other.db s.tmx
expect_err "not an alignmem memory" "foreign SQLite"
not_touched other.db "foreign SQLite" add --db other.db a.en.txt a.uk.txt
expect_eq "$(sqlite3 other.db 'SELECT group_concat(name) FROM sqlite_master')" "invoices" "foreign SQLite: no tables added"

cp mem.db newer.db
sqlite3 newer.db "PRAGMA user_version = 999"
for cmd in "import --db newer.db s.tmx" "add --db newer.db a.en.txt a.uk.txt" "stats --db newer.db" \
           "export --db newer.db" "lookup --db newer.db --from en Line" "concord --db newer.db Line"; do
    # shellcheck disable=SC2086
    not_touched newer.db "newer schema" $cmd
    expect_err "newer than this alignmem" "newer schema: $cmd"
done
expect_eq "$(sqlite3 newer.db 'PRAGMA user_version')" 999 "newer schema: version kept"
expect_eq "$(sqlite3 newer.db 'PRAGMA journal_mode')" "$(sqlite3 mem.db 'PRAGMA journal_mode')" "newer schema: journal mode kept"

# --- a damaged memory: cut short, or pages overwritten ----------------------
gen_tmx big.tmx 1500 big
run import -q --db big.db big.tmx; expect_rc 0 "big memory"
head -c 100000 big.db >cut.db
python3 -c "
d = bytearray(open('big.db', 'rb').read())
for i in range(8192, len(d), 4096):
    d[i + 100:i + 140] = b'\xff' * 40
open('garbled.db', 'wb').write(d)"
# damaged DB WHAT: every command fails cleanly on it.
damaged() {
    local db=$1 what=$2 c
    for c in "stats --db $db" "lookup --db $db --from en Line 5 of the big file" \
             "concord --db $db river" "export --db $db -o $db.tmx" "import --db $db s.tmx"; do
        # shellcheck disable=SC2086
        run $c
        expect_rc 1 "$what: $c"; expect_no_crash "$what: $c"; expect_err "alignmem: " "$what: $c"
    done
}
damaged cut.db "memory cut short"
expect_err "malformed" "memory cut short"
not_touched cut.db "memory cut short" import --db cut.db s.tmx
damaged garbled.db "garbled memory"

# --- a read-only memory (a folder and file nobody may write) --------------
mkdir ro; cp mem.db ro/mem.db; chmod 555 ro; chmod 444 ro/mem.db
RO_SUM=$(sha256sum ro/mem.db | cut -d' ' -f1)
$NB "$ALIGNMEM" import --db ro/mem.db s.tmx >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 1 "read-only memory: import"; expect_err "read-only" "read-only memory: import says so"
$NB "$ALIGNMEM" add --db ro/mem.db a.en.txt a.uk.txt >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 1 "read-only memory: add"; expect_err "read-only" "read-only memory: add says so"
expect_eq "$(sha256sum ro/mem.db | cut -d' ' -f1)" "$RO_SUM" "read-only memory unchanged"
# A read-only file in a folder we may write: readers work, writers fail.
mkdir ro2; cp mem.db ro2/mem.db; chmod 444 ro2/mem.db; give_away ro2
RO_SUM=$(sha256sum ro2/mem.db | cut -d' ' -f1)
$NB "$ALIGNMEM" stats --db ro2/mem.db >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 0 "0444 memory: stats"; expect_out "units      5"
$NB "$ALIGNMEM" import --db ro2/mem.db s.tmx >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_rc 1 "0444 memory: import"; expect_err "read-only" "0444 memory: import says so"
expect_eq "$(sha256sum ro2/mem.db | cut -d' ' -f1)" "$RO_SUM" "0444 memory unchanged"

# --- a memory path that cannot be created --------------------------------
printf 'x' >plainfile
run import --db plainfile/sub/mem.db s.tmx; expect_rc 1 "memory under a file"
expect_err "plainfile" "memory under a file named"
run stats --db "$T/none/mem.db"; expect_rc 1 "no memory yet"; expect_err "$T/none/mem.db" "no memory named"
if [ -e "$T/none" ]; then bad "stats created a folder for a memory that does not exist"; else ok; fi
expect_eq "$(mem_sum mem.db)" "$SUM" "the memory survived it all"
expect_integrity mem.db "after misuse"
chmod -R u+w "$T"
finish
