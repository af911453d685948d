# test_readonly_readers.sh - a memory in a folder the user may not write (a
# read-only share, a colleague's memory) must still serve readers: stats,
# lookup, concord, export, without changing the file. A WAL database needs
# its -shm file, which cannot be created there, so the store reopens such a
# memory as immutable (src/tm/sqlite_store.c, reopen_immutable).
. "$(dirname "$0")/rel_lib.sh"

command -v setpriv >/dev/null || { echo "FAIL: setpriv (util-linux) is missing" >&2; exit 1; }
chmod 755 "$T"; cd "$T" || exit 1
gen_tmx s.tmx 5 small
run import --db mem.db s.tmx; expect_rc 0 "set-up"
mkdir ro; cp mem.db ro/mem.db; chmod 755 ro; chmod 644 ro/mem.db
SUM=$(sha256sum ro/mem.db | cut -d' ' -f1)
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
nb() { $NB "$ALIGNMEM" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
nb stats --db ro/mem.db; expect_rc 0 "stats"; expect_out "units      5"
nb lookup --db ro/mem.db --from en 'Line 3 of the small file says the river rose by 3 centimetres.'
expect_rc 0 "lookup"; expect_out "Рядок 3 файлу small"
nb concord --db ro/mem.db --lang en river; expect_rc 0 "concord"; expect_out "Line 1 of the small file"
nb export --db ro/mem.db; expect_rc 0 "export"; expect_out 'tuid="small-5"'
expect_eq "$(sha256sum ro/mem.db | cut -d' ' -f1)" "$SUM" "read-only memory unchanged"
finish
