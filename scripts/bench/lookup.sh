#!/usr/bin/env bash
# lookup.sh - speed of fuzzy lookup and concordance on the synthetic memory
# of the TM benchmark (scripts/bench/gen_tmx.py: N three-language units
# spliced from NTREX-128 sentences), all on one core.
#
# Prints: lookup p50/p99 (1,000 queries, each timed inside the process with
# the hidden --timing flag, wall clock and CPU time), the same for 50
# queries each in a process of its own (no session term cache), batch lookup
# queries/s (the same 1,000 queries as one `lookup -` run, wall clock,
# process start included), concordance p50/p99 (200 phrases of content
# words in one `concord -` run, each timed inside the process), and one
# stop word for the worst case.
# On a shared machine wall clock includes waiting for a core: the CPU
# figures are what one free core would give.
# Usage: scripts/bench/lookup.sh [N]   (default 1000000)
# The memory is kept in $AM_BENCH_DIR (default /tmp/alignmem-bench-lookup)
# and reused by later runs with the same N: building 1,000,000 units takes
# minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
B=${AM_BENCH_BUILD:-build-bench-lookup}
W=${AM_BENCH_DIR:-/tmp/alignmem-bench-lookup}
SHARED=${AM_SHARED_DIR:-$(pwd)/../shared}
[ -f "$SHARED/data/ntrex128/en.txt" ] || { echo "lookup.sh: $SHARED/data/ntrex128 is missing" >&2; exit 1; }
mkdir -p "$W"
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DAM_SANITIZE=OFF -DAM_WERROR=OFF >"$W/build.log" 2>&1 &&
    cmake --build "$B" -j2 --target alignmem_cli alignmem >>"$W/build.log" 2>&1 ||
    { cat "$W/build.log" >&2; exit 1; }
AM=$B/src/cli/alignmem
# The memory is built through am_tm_add_unit by a small C program (the
# units of gen_tmx.py, without a TMX file of a gigabyte in between).
GEN=$B/lookup_gen
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc scripts/bench/lookup_gen.c \
    "$B/libalignmem.a" $(pkg-config --libs icu-i18n icu-uc sqlite3 libxml-2.0) -lm -o "$GEN"
# Single-threaded by construction; AM_BENCH_PIN=1 also pins it to core 0
# (on a busy shared machine pinning only adds waiting).
ONE=""
[ "${AM_BENCH_PIN:-0}" = 1 ] && command -v taskset >/dev/null 2>&1 && ONE="taskset -c 0"

DB=$W/mem-$N.db
if [ ! -s "$DB" ]; then
    echo "building a memory of $N units in $DB ..."
    start=$(date +%s)
    rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    "$GEN" "$DB.tmp" "$N" "$SHARED"
    mv "$DB.tmp" "$DB"
    echo "  built in $(( $(date +%s) - start )) s"
fi

# Queries: units of the memory (gen_tmx.py's splice of lines a and b) with
# 0-3 words changed, and phrases of 1-2 words (some as prefixes).
python3 - "$N" "$SHARED" "$W" <<'EOF'
import random, sys, os
n, shared, w = int(sys.argv[1]), sys.argv[2], sys.argv[3]
en = [l.split() for l in open(os.path.join(shared, "data/ntrex128/en.txt"), encoding="utf-8").read().splitlines()]
m = len(en)
rng = random.Random(6)
vocab = [x for l in en for x in l]
with open(os.path.join(w, "queries.txt"), "w", encoding="utf-8") as f:
    for i in range(1000):
        k = rng.randrange(n)
        a, b = k % m, (k // m) % m
        words = en[a][: (len(en[a]) + 1) // 2] + en[b][len(en[b]) // 2:]
        for _ in range(rng.randrange(4)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        f.write(" ".join(words) + "\n")
# Phrases a terminologist would look up: one or two content words (five
# letters or more), every fifth a prefix.
def content(x):
    x = x.strip('.,;:!?"“”()\'’')
    return x if len(x) >= 5 and x.isalpha() else None
with open(os.path.join(w, "phrases.txt"), "w", encoding="utf-8") as f:
    done = 0
    while done < 200:
        l = en[rng.randrange(m)]
        j = rng.randrange(len(l))
        words = [content(x) for x in l[j:j + 1 + (done % 2)]]
        if not words or None in words:
            continue
        p = " ".join(words)
        if done % 5 == 0 and len(words) == 1:
            p = p[:-2] + "*"
        f.write(p + "\n")
        done += 1
EOF

pct() { # FILE PERCENT: the value at that percentile (nearest rank)
    sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'
}
ms() { awk '{ printf "%.2f", $1 / 1000 }' <<<"$1"; }

echo "memory: $N units ($(( $(stat -c %s "$DB") / 1024 / 1024 )) MB), one core; load: $(cut -d" " -f1-3 /proc/loadavg)"
# One pass first in another process, so that the memory is in the OS page
# cache as a memory in daily use is (the measured process still maps every
# page it touches for the first time; its term cache starts empty).
$ONE "$AM" lookup --db "$DB" --from en --format json - <"$W/queries.txt" >/dev/null
$ONE "$AM" lookup --db "$DB" --from en --format json --timing - <"$W/queries.txt" \
    2>"$W/lookup.timing" >/dev/null
cut -f2 "$W/lookup.timing" >"$W/lookup.us"
cut -f3 "$W/lookup.timing" >"$W/lookup.cpu"
echo "lookup   p50 $(ms "$(pct "$W/lookup.us" 50)") ms   p99 $(ms "$(pct "$W/lookup.us" 99)") ms wall;" \
     "CPU p50 $(ms "$(pct "$W/lookup.cpu" 50)") ms   p99 $(ms "$(pct "$W/lookup.cpu" 99)") ms" \
     "  (1000 queries, --min 70 --max 5, OS page cache warm; target p50 <= 5, p99 <= 30)"
# A session keeps the postings of the terms it has read (the figures above
# and the batch below profit from it); a lookup in a process of its own
# starts with nothing and maps every page it reads for the first time:
# 50 of the queries, one process each.
: >"$W/cold.timing"
head -50 "$W/queries.txt" | while IFS= read -r q; do
    $ONE "$AM" lookup --db "$DB" --from en --format json --timing -- "$q" 2>>"$W/cold.timing" >/dev/null
done
cut -f2 "$W/cold.timing" >"$W/cold.us"
cut -f3 "$W/cold.timing" >"$W/cold.cpu"
echo "cold     p50 $(ms "$(pct "$W/cold.us" 50)") ms   p90 $(ms "$(pct "$W/cold.us" 90)") ms wall;" \
     "CPU p50 $(ms "$(pct "$W/cold.cpu" 50)") ms   p90 $(ms "$(pct "$W/cold.cpu" 90)") ms" \
     "  (50 queries, one process each: no term cache)"
/usr/bin/time -f "%e %U %S" -o "$W/batch.time" \
    $ONE "$AM" lookup --db "$DB" --from en --format json - <"$W/queries.txt" >"$W/batch.json"
read -r wall user sys <"$W/batch.time"
awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "batch    %.0f queries/s wall, %.0f queries/s CPU   (1000 queries in %.2f s wall, %.2f s CPU, one process with its start; target >= 500)\n", 1000 / w, 1000 / (u + s), w, u + s }'
matched=$(grep -c '"score"' "$W/batch.json" || true)
echo "         $matched of 1000 queries found a match >= 70"
$ONE "$AM" concord --db "$DB" --lang en --format json --timing - <"$W/phrases.txt" \
    2>"$W/concord.us.raw" >/dev/null
cut -f2 "$W/concord.us.raw" >"$W/concord.us"
cut -f3 "$W/concord.us.raw" >"$W/concord.cpu"
rm -f "$W/concord.us.raw"
echo "concord  p50 $(ms "$(pct "$W/concord.us" 50)") ms   p99 $(ms "$(pct "$W/concord.us" 99)") ms wall;" \
     "CPU p50 $(ms "$(pct "$W/concord.cpu" 50)") ms   p99 $(ms "$(pct "$W/concord.cpu" 99)") ms" \
     "  (200 phrases, --limit 20; target p50 <= 10)"
$ONE "$AM" concord --db "$DB" --lang en --format json --timing "the" 2>"$W/the.us" >"$W/the.json"
echo "concord  \"the\" (a stop word, worst case): $(ms "$(cut -f2 "$W/the.us")") ms wall," \
     "$(ms "$(cut -f3 "$W/the.us")") ms CPU, total $(grep -o '"total": [0-9]*' "$W/the.json" | cut -d' ' -f2) units"
