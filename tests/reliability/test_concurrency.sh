# test_concurrency.sh - several processes on one memory (issue #8).
#  1. lookup and concord in three processes, in a loop, while an import
#     runs (WAL): every run exits 0 with the right match, and sees the
#     import wholly or not at all (the concordance total is one of two);
#  2. two imports at once: each succeeds (one waited) or fails cleanly with
#     a busy message and stores nothing; the memory is sound;
#  3. a writer that holds the lock longer than the busy timeout: import and
#     add wait, then fail with exit 1 and a busy message, memory unchanged,
#     while readers go on working.
. "$(dirname "$0")/rel_lib.sh"

cd "$T" || exit 1
gen_tmx base.tmx 200 base
gen_tmx big.tmx 1500 big
gen_tmx w1.tmx 1000 wone
gen_tmx w2.tmx 1000 wtwo
printf 'The first of two sentences. The second one.\n' >doc.en.txt
printf 'Перше з двох речень. Друге.\n' >doc.uk.txt
DB="$T/mem.db"
run import -q --db "$DB" base.tmx; expect_rc 0 "base memory"
OLD=$(mem_sum "$DB" 200)

# reader ID TOTALS: lookups and concordances until $T/stop exists; every
# failure is a line in reader-ID.fail, every round a line in reader-ID.n.
reader() {
    local id=$1 totals=$2 k out rc
    : >"reader-$id.fail"; : >"reader-$id.n"
    while [ ! -e stop ]; do
        k=$((RANDOM % 200 + 1))
        out=$("$ALIGNMEM" lookup --db "$DB" --from en --to uk --max 1 --format json \
              "Line $k of the base file says the river rose by $k centimetres." 2>&1); rc=$?
        case "$out" in
        *"\"score\": 100, \"unit\": $k,"*"Рядок $k файлу base каже"*) [ $rc -eq 0 ] || echo "lookup $k: exit $rc" >>"reader-$id.fail" ;;
        *) echo "lookup $k: exit $rc: $(printf '%s' "$out" | head -c 300)" >>"reader-$id.fail" ;;
        esac
        out=$("$ALIGNMEM" concord --db "$DB" --lang en --limit 1 --format json river 2>&1); rc=$?
        total=$(printf '%s' "$out" | grep -o '"total": [0-9]*' | grep -o '[0-9]*$')
        case " $totals " in
        *" $total "*) [ $rc -eq 0 ] || echo "concord: exit $rc" >>"reader-$id.fail" ;;
        *) echo "concord: exit $rc, total '$total' not in ($totals): $(printf '%s' "$out" | head -c 300)" >>"reader-$id.fail" ;;
        esac
        echo "$total" >>"reader-$id.n"
    done
}

# readers_check WHAT: no failures, each reader ran at least once.
readers_check() {
    local id rounds=0
    for id in 1 2 3; do
        if [ -s "reader-$id.fail" ]; then bad "$1: reader $id: $(head -3 "reader-$id.fail")"; else ok; fi
        [ -s "reader-$id.n" ] && ok || bad "$1: reader $id never finished a round"
        rounds=$((rounds + $(wc -l <"reader-$id.n")))
    done
    echo "concurrency: $1: $rounds reader rounds, totals seen: $(sort -u reader-*.n | tr '\n' ' ')"
}

# --- 1. readers during an import ------------------------------------------
rm -f stop
for id in 1 2 3; do reader $id "200 1700" & done
sleep 1
run import -q --db "$DB" big.tmx; expect_rc 0 "import while reading"
sleep 1
touch stop; wait
readers_check "readers during an import"
expect_eq "$(mem_count "$DB")" 1700 "import while reading: all units"
expect_integrity "$DB" "after reading during an import"

# --- 2. two writers at once -------------------------------------------------
"$ALIGNMEM" import -q --db "$DB" w1.tmx >/dev/null 2>w1.err & p1=$!
"$ALIGNMEM" import -q --db "$DB" w2.tmx >/dev/null 2>w2.err & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
want=1700
for w in 1:$r1:wone 2:$r2:wtwo; do
    IFS=: read -r n r prefix <<<"$w"
    n_units=$(mem_count "$DB" "WHERE tuid LIKE '$prefix-%'")
    if [ "$r" -eq 0 ]; then
        expect_eq "$n_units" 1000 "writer $n succeeded: all its units"; want=$((want + 1000))
    else
        expect_eq "$r" 1 "writer $n failed: exit 1"
        if grep -q "another program is writing" "w$n.err"; then ok; else bad "writer $n: no busy message: $(cat "w$n.err")"; fi
        expect_eq "$n_units" 0 "writer $n failed: none of its units"
    fi
done
echo "concurrency: two writers: exit $r1 and $r2"
expect_eq "$(mem_count "$DB")" "$want" "two writers: unit count"
expect_eq "$(mem_sum "$DB" 200)" "$OLD" "two writers: earlier units intact"
expect_integrity "$DB" "after two writers"

# --- 3. a lock held past the busy timeout ----------------------------------
SUM=$(mem_sum "$DB")
# The holder keeps the write lock until both writers have given up (at
# most 60 s), however slow the machine.
rm -f release
{ echo "BEGIN IMMEDIATE;"; for _ in $(seq 300); do [ -e release ] && break; sleep 0.2; done
  echo "COMMIT;"; } | sqlite3 "$DB" & holder=$!
sleep 1
t0=$(date +%s)
"$ALIGNMEM" import -q --db "$DB" base.tmx big.tmx >/dev/null 2>imp.err & pi=$!
"$ALIGNMEM" add -q --db "$DB" doc.en.txt doc.uk.txt >/dev/null 2>add.err & pa=$!
rm -f stop
for id in 1 2 3; do reader $id "$want" & done
wait $pi; ri=$?; wait $pa; ra=$?
waited=$(($(date +%s) - t0))
touch stop release; wait $holder
wait
readers_check "readers while a writer holds the lock"
expect_eq "$ri" 1 "import against a held lock: exit 1"
if grep -q "another program is writing" imp.err; then ok; else bad "import against a held lock: $(cat imp.err)"; fi
expect_eq "$ra" 1 "add against a held lock: exit 1"
if grep -q "another program is writing" add.err; then ok; else bad "add against a held lock: $(cat add.err)"; fi
# They waited for the lock (busy timeout) instead of failing at once.
if [ "$waited" -ge 4 ]; then ok; else bad "writers gave up after $waited s, without waiting"; fi
echo "concurrency: writers waited $waited s for a held lock"
expect_eq "$(mem_sum "$DB")" "$SUM" "held lock: memory unchanged"
expect_integrity "$DB" "after a held lock"
finish
