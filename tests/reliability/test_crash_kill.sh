# test_crash_kill.sh - crash safety (issue #8): `alignmem import` and
# `alignmem add` killed with SIGKILL at random moments. After every kill the
# memory passes PRAGMA integrity_check and the FTS5 check, and its content
# is exactly the content before the run (the file wholly out) or exactly
# the content after an uninterrupted run (wholly in) - so every earlier unit
# is intact too. Then a few kills while a new memory is being created: the
# next import must work and store everything.
#
# REL_KILL_RUNS (default 12) runs per command; REL_SEED fixes the delays.
. "$(dirname "$0")/rel_lib.sh"

RUNS=${REL_KILL_RUNS:-12}
SEED=${REL_SEED:-$$}
RANDOM=$SEED
echo "crash_kill: seed $SEED, $RUNS runs per command"
cd "$T" || exit 1

gen_tmx base.tmx 200 base
gen_tmx big.tmx 1500 big
awk 'BEGIN { for (i = 1; i <= 600; i++) {
    printf "The council met on day %d and approved plan number %d.\n", i, i * 7 >"doc.en.txt"
    printf "Рада зібралася в день %d і схвалила план номер %d.\n", i, i * 7 >"doc.uk.txt"
    if (i % 10 == 0) { print "" >"doc.en.txt"; print "" >"doc.uk.txt" } } }'
run import -q --db base.db base.tmx; expect_rc 0 "base memory"
BASE=$(mem_sum base.db "" nodates)
OLD=$(mem_sum base.db 200)

now_ms() { date +%s%3N; }

# fresh DB: a copy of the base memory (it was closed cleanly: no WAL left).
fresh() { rm -f "$1" "$1-wal" "$1-shm"; cp base.db "$1"; }

# full NAME ARGS...: run uninterrupted on a fresh copy; sets FULL_<NAME>
# (content afterwards) and DUR_<NAME> (milliseconds).
full() {
    local name=$1 t0; shift
    fresh full.db
    t0=$(now_ms)
    "$ALIGNMEM" "$@" --db full.db >/dev/null 2>"$ERR"; RC=$?
    expect_rc 0 "uninterrupted $name"
    printf -v "DUR_$name" '%s' $(($(now_ms) - t0))
    printf -v "FULL_$name" '%s' "$(mem_sum full.db "" nodates)"
}
full import import -q big.tmx
full add add -q -p doc.en.txt doc.uk.txt
if [ "$FULL_import" = "$BASE" ] || [ "$FULL_add" = "$BASE" ]; then bad "an uninterrupted run stored nothing"; fi
echo "crash_kill: uninterrupted import ${DUR_import} ms, add ${DUR_add} ms"

# kill_runs NAME ARGS...: RUNS times, start the command on a fresh copy,
# SIGKILL it after a random delay within its uninterrupted duration, check.
kill_runs() {
    local name=$1 dur full_sum in=0 out=0 killed=0 i pid delay s; shift
    eval "dur=\$DUR_$name; full_sum=\$FULL_$name"
    for i in $(seq "$RUNS"); do
        fresh k.db
        "$ALIGNMEM" "$@" --db k.db >/dev/null 2>"$ERR" &
        pid=$!
        # Between 25% and 90% of the uninterrupted time: the start (loading
        # ICU, aligning) writes nothing, the end is where the writes are;
        # short of 100% so that a run faster than the measured one is
        # still hit.
        delay=$((dur / 4 + RANDOM * dur * 13 / 20 / 32768))
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
        wait "$pid" 2>/dev/null
        expect_integrity k.db "$name run $i (killed after $delay ms)"
        expect_eq "$(mem_sum k.db 200)" "$OLD" "$name run $i: the earlier units intact"
        s=$(mem_sum k.db "" nodates)
        if [ "$s" = "$BASE" ]; then out=$((out + 1)); ok
        elif [ "$s" = "$full_sum" ]; then in=$((in + 1)); ok
        else bad "$name run $i (killed after $delay ms): memory neither before nor after"
            cp k.db "k-$name-$i.db"
        fi
    done
    echo "crash_kill: $name: $RUNS runs, $killed killed while running, $out wholly out, $in wholly in"
    # The test must really interrupt writes: most kills land mid-run.
    if [ "$killed" -ge $((RUNS / 3)) ]; then ok; else bad "$name: only $killed of $RUNS kills hit a running process"; fi
}
kill_runs import import -q big.tmx
kill_runs add add -q -p doc.en.txt doc.uk.txt

# Kills while a new memory is being created and filled: afterwards the
# memory opens, and an import stores all of base.tmx.
for i in 1 2 3 4; do
    rm -f new.db new.db-wal new.db-shm
    "$ALIGNMEM" import -q --db new.db base.tmx >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    run import -q --db new.db base.tmx; expect_rc 0 "import after a kill during creation ($i)"
    expect_eq "$(mem_sum new.db "" nodates)" "$BASE" "memory complete after a kill during creation ($i)"
done

# A first import writes in bulk mode (a rollback journal, sqlite_store.c):
# killed, it leaves a journal, hot once it has written into the database,
# that a read-only connection may not roll back; killed while creating the
# memory, an empty file. A reader coming next (stats and lookup open
# read-only) must still work and see an empty memory (recover_journal,
# open_empty), the file pass the checks, and the next import store
# everything.
hot=0
for i in 1 2 3 4 5 6; do
    rm -f fi.db fi.db-journal fi.db-wal fi.db-shm
    "$ALIGNMEM" import -q --db fi.db big.tmx >/dev/null 2>&1 &
    pid=$!
    for w in $(seq 500); do [ -s fi.db-journal ] && break; sleep 0.01; done
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    [ -s fi.db-journal ] || continue # finished or not started: no journal to test
    hot=$((hot + 1))
    run stats --db fi.db; expect_rc 0 "stats after a killed first import ($i)"
    expect_out "units      0" "stats sees the empty memory ($i)"
    run lookup --db fi.db --from en "The council met on day one."
    expect_rc 0 "lookup after a killed first import ($i)"
    expect_out "no match" "lookup in the empty memory ($i)"
    if [ "$(sqlite3 -batch fi.db "SELECT count(*) FROM sqlite_master")" = 0 ]; then
        expect_eq "$(sqlite3 -batch fi.db "PRAGMA integrity_check")" ok \
            "killed while creating the memory ($i)"
    else
        expect_integrity fi.db "after a killed first import ($i)"
    fi
    run import -q --db fi.db base.tmx; expect_rc 0 "import after a killed first import ($i)"
    expect_eq "$(mem_sum fi.db "" nodates)" "$BASE" "memory complete after a killed first import ($i)"
done
echo "crash_kill: $hot first imports killed with a hot journal"
if [ "$hot" -ge 2 ]; then ok; else bad "only $hot of 6 first imports were killed while writing"; fi
finish
