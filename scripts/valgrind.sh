#!/usr/bin/env bash
# valgrind.sh [REGEX] - the unit tests and a set of CLI runs under valgrind
# (memcheck: --leak-check=full, --error-exitcode=1) on a build without
# sanitizers (they cannot be combined). Every C test executable that CTest
# knows (REGEX narrows them by test name) runs with its own arguments and
# environment; the CLI runs cover each command once on small inputs, plus
# error paths (invalid UTF-8, hostile TMX, a newer memory).
# Prints one line per run and a summary; exits 1 if any run had a memory
# error or a leak. Logs: $BUILD/valgrind/*.log.
#
# Environment: AM_VALGRIND_BUILD (default build-valgrind), AM_VALGRIND_JOBS
# (build parallelism, default 2), AM_VALGRIND_TIMEOUT (seconds per run,
# default 1200).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FILTER=${1:-}
. scripts/lib/deps.sh
am_install_deps $AM_BUILD_PKGS $AM_TEST_PKGS valgrind

BUILD=${AM_VALGRIND_BUILD:-build-valgrind}
TIMEOUT=${AM_VALGRIND_TIMEOUT:-1200}
# AM_WERROR=OFF: gcc -O2 warns about things -O0 (test.sh) does not see
# (bugs-rel.md #3); this build looks for memory errors, not warnings.
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAM_SANITIZE=OFF -DAM_WERROR=OFF \
    -DAM_BUILD_TESTS=ON >/dev/null
LOGS="$BUILD/valgrind"
rm -rf "$LOGS"; mkdir -p "$LOGS"
cmake --build "$BUILD" -j"${AM_VALGRIND_JOBS:-2}" >"$LOGS/build.log" 2>&1 ||
    { tail -30 "$LOGS/build.log"; echo "valgrind.sh: the build failed"; exit 1; }

SUPP=()
[ -f tests/reliability/valgrind.supp ] && SUPP=(--suppressions="$ROOT/tests/reliability/valgrind.supp")
VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=97 --track-origins=yes
    --num-callers=30 "${SUPP[@]}")
PASS=0; FAIL=0; FAILED=""; VG_ENV=()

# vg NAME DIR ARGS...: run ARGS under valgrind in DIR, with the variables
# of VG_ENV (NAME=VALUE...) in the environment; a memory error or
# leak (exit 97) fails, as does a timeout. Other exit codes are the
# command's business (error paths are meant to fail) and are only shown.
vg() {
    local name=$1 dir=$2 rc t0; shift 2
    t0=$(date +%s)
    (cd "$dir" && env "${VG_ENV[@]}" timeout "$TIMEOUT" "${VG[@]}" --log-file="$ROOT/$LOGS/$name.log" "$@" \
        >"$ROOT/$LOGS/$name.out" 2>&1 </dev/null) && rc=0 || rc=$?
    local summary
    summary=$(grep -hE 'ERROR SUMMARY' "$LOGS/$name.log" 2>/dev/null | tail -1 | sed 's/^==[0-9]*== //')
    [ -n "$summary" ] || summary="valgrind did not run: $(head -c 200 "$LOGS/$name.out")"
    # A failed cmocka assertion jumps over the frees: its leaks are the
    # test's failure, not the library's; say so.
    grep -q 'FAILED' "$LOGS/$name.out" 2>/dev/null && summary="$summary; the test itself FAILED"
    if [ $rc -eq 97 ] || [ $rc -ge 124 ] || ! grep -q 'ERROR SUMMARY: 0 errors' "$LOGS/$name.log" 2>/dev/null; then
        FAIL=$((FAIL + 1)); FAILED="$FAILED $name"
        printf 'FAIL %-28s exit %3d  %4ss  %s\n' "$name" "$rc" $(($(date +%s) - t0)) "$summary"
    else
        PASS=$((PASS + 1))
        printf 'ok   %-28s exit %3d  %4ss  %s\n' "$name" "$rc" $(($(date +%s) - t0)) "$summary"
    fi
}

# --- the C tests CTest knows (not the bash/python ones) -------------------
ctest --test-dir "$BUILD" --show-only=json-v1 >"$LOGS/tests.json"
python3 - "$LOGS/tests.json" "$FILTER" >"$LOGS/tests.txt" <<'EOF'
import json, re, sys, os
data = json.load(open(sys.argv[1]))
for t in data["tests"]:
    cmd = t.get("command") or []
    if not cmd or os.path.basename(cmd[0]) in ("bash", "sh", "python3", "python"):
        continue
    if sys.argv[2] and not re.search(sys.argv[2], t["name"]):
        continue
    env, wd = [], ""
    for p in t.get("properties", []):
        if p["name"] == "ENVIRONMENT":
            env = p["value"]
        if p["name"] == "WORKING_DIRECTORY":
            wd = p["value"]
    # One line, fields split by 0x1e (not white space: empty fields stay):
    # name, working dir, env (0x1f separated), command (0x1f separated).
    print("\x1e".join([t["name"], wd or os.path.dirname(cmd[0]), "\x1f".join(env), "\x1f".join(cmd)]))
EOF
while IFS=$'\x1e' read -r name wd envs cmd; do
    IFS=$'\x1f' read -r -a env_a <<<"$envs"
    IFS=$'\x1f' read -r -a cmd_a <<<"$cmd"
    VG_ENV=("${env_a[@]}")
    vg "$name" "$wd" "${cmd_a[@]}"
done <"$LOGS/tests.txt"
VG_ENV=()

# --- CLI runs -------------------------------------------------------------
if [ -z "$FILTER" ] || [[ cli =~ $FILTER ]]; then
    A="$ROOT/$BUILD/src/cli/alignmem"
    W="$ROOT/$LOGS/work"; mkdir -p "$W"
    export ALIGNMEM_DB="$W/mem.db"
    printf 'The ferry leaves at seven. Tickets are sold at the pier.\n\nBring a coat.\n' >"$W/doc.en.txt"
    printf 'Пором відходить о сьомій. Квитки продають на причалі.\n\nВізьміть пальто.\n' >"$W/doc.uk.txt"
    printf 'Bad \300\257 byte.\n' >"$W/bad.en.txt"
    vg cli_segment "$W" "$A" segment doc.en.txt
    vg cli_segment_jsonl "$W" "$A" segment -f jsonl doc.uk.txt
    vg cli_segment_bad_utf8 "$W" "$A" segment bad.en.txt
    vg cli_align "$W" "$A" align doc.en.txt doc.uk.txt
    vg cli_align_html "$W" "$A" align -f html doc.en.txt doc.uk.txt
    vg cli_add "$W" "$A" add doc.en.txt doc.uk.txt
    vg cli_import "$W" "$A" import "$ROOT/tmx/omegat.tmx" "$ROOT/tmx/trados-l1.tmx" "$ROOT/tmx/utf16.tmx"
    vg cli_import_hostile "$W" "$A" import "$ROOT/tmx/hostile/billion-laughs.tmx" \
        "$ROOT/tmx/hostile/truncated.tmx" "$ROOT/tmx/hostile/tu-without-tuv.tmx"
    vg cli_export "$W" "$A" export -o "$W/out.tmx"
    vg cli_lookup "$W" "$A" lookup --from en 'The ferry leaves at eight.'
    vg cli_concord "$W" "$A" concord --lang uk 'пором'
    vg cli_stats "$W" "$A" stats
    cp "$W/mem.db" "$W/newer.db"; sqlite3 "$W/newer.db" 'PRAGMA user_version = 999'
    vg cli_newer_memory "$W" "$A" stats --db "$W/newer.db"
fi

echo "valgrind: $PASS clean, $FAIL with errors or leaks${FAILED:+:$FAILED} (logs in $LOGS/)"
[ "$FAIL" -eq 0 ]
