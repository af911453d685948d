/* lookup.c - fuzzy lookup of a segment in the memory.
 *
 * Candidates come from the FTS5 index with a bound that keeps recall exact
 * at the token level: a stored segment scoring at least min shares at
 * least s = ceil(n * min / 100) of the query's n word tokens (each kept
 * token of the Levenshtein alignment is a shared one), so if the terms
 * left out account for W < s occurrences, every such segment holds at
 * least ceil((s - W) / c) distinct chosen terms (c: the largest
 * multiplicity among them). Each term is probed by reading at most PROBE
 * postings, longest terms first: rare terms are chosen with their postings
 * in hand; frequent ones are read in full only when the bound needs them.
 * Postings are counted per segment, the best max_candidates by summed idf
 * are scored exactly with a banded distance, and the full score
 * (penalties, character similarity) is computed only for as many as
 * decide the top matches.
 *
 * Every statement runs once per term, or per row looked up by primary key:
 * no FTS MATCH inside a join, which is what made translate-toolkit's
 * lookup re-run the full-text query per row.
 *
 * Speed (scripts/bench/lookup.sh, 1M units): postings are read by an FTS5
 * auxiliary function (xQueryPhrase hands each rowid to C, no statement
 * step per posting); a session (am_lookup_new .. am_lookup_free, what
 * `lookup -` runs) caches the postings and the frequent/rare verdict of
 * the terms it has read, so a term met again costs a hash lookup; the
 * candidates' buffer lives as long as the session; the merge stops
 * walking the long postings of frequent terms once they cannot lift a
 * segment into the best max_candidates (MaxScore, merge_top), and only
 * searches them for the segments the rarer terms bring. Fresh memory and
 * first touches of pages are what cost most on the virtual machines
 * measured (a page fault ~17-40 us of CPU): the term cache lives in huge
 * pages, and rows come through a bounded page cache instead of a memory
 * map (lookup_cache_size). */
#include "match.h"
#include "store.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Postings read per term at most: a term this common is useless for
 * ranking, and the cap keeps a lookup made of stop words bounded. */
#define POSTINGS_CAP 50000
/* Every term is probed by reading up to PROBE postings: a term with fewer
 * is rare, its postings are then in hand and its df exact (fts5vocab would
 * count a term's documents by reading its whole doclist, stop words too). */
#define PROBE 5000
/* Postings kept by a session's term cache at most (4 bytes each: 64 MB),
 * and terms known (their keys: a few dozen MB at most). */
#define CACHE_POSTINGS (16u << 20)
#define CACHE_TERMS (1u << 20)

/* The term cache of a session (a batch lookup, `lookup -`): query terms
 * recur from one segment to the next, and reading postings row by row is
 * most of a lookup's time. A term known to be frequent (PROBE postings or
 * more) is not probed again; postings read in full are kept (up to
 * CACHE_POSTINGS, then all are dropped and the cache fills again). The
 * cache only replays what the same statement would return, so a lookup
 * gives the same matches whatever came before it; a write to the memory
 * (PRAGMA data_version for other connections, sqlite3_total_changes64 for
 * this one) empties it. */
typedef struct tcache_ent {
    char *key;        /* NULL: an empty slot */
    size_t len;
    uint64_t hash;
    int frequent;     /* PROBE postings or more */
    int complete;     /* post holds every posting (else the first n_post) */
    uint32_t *post;   /* variant ids (a term with a larger one is not kept) */
    size_t n_post;
} tcache_ent;

/* Kept postings live in chunks of memory of their own, mapped with
 * transparent huge pages where the system allows it: the cache grows to
 * tens of MB in a batch, and each fresh 4 KB page of a malloc heap costs
 * a page fault when first written (~17 us of CPU on the virtual machines
 * measured, 10,000 of them in the benchmark's batch); a huge page is one
 * fault for 2 MB. The chunks are let go all at once when the cache is
 * emptied. */
#define CHUNK_BYTES ((size_t)32 << 20)

typedef struct tchunk {
    struct tchunk *next;
    size_t used, size; /* bytes, this header included */
} tchunk;

typedef struct tcache {
    tcache_ent *e;
    size_t cap, n;    /* slots (a power of two), used */
    tchunk *chunks;   /* newest first */
    size_t postings;  /* kept in all (replaced copies included) */
    long long data_version, changes; /* of the memory when filled */
} tcache;

typedef struct qterm {
    uint64_t hash;
    uint32_t tok;     /* index in the keyed query tokens */
    int mult;         /* occurrences in the query */
    long long df;     /* segments holding it; PROBE..: at least that many */
    size_t post, n_post; /* its postings in am_lookup.pbuf */
    size_t key_len;
} qterm;

typedef struct cand {
    int64_t id;       /* variant id */
    double weight;    /* sum of idf of the chosen tokens it holds */
    unsigned count;   /* chosen tokens it holds */
} cand;

typedef struct scored {
    int64_t variant, unit;
    double base;
    char *text;       /* the stored segment, owned */
    int codes;        /* it had inline codes */
    int full;         /* fz computed */
    am_fuzzy fz;
} scored;

typedef struct place {
    int64_t doc;
    long pos;
} place;

struct am_lookup {
    sqlite3 *db;
    am_lookup_opts o;
    char from[64];
    char **to;
    sqlite3_stmt *post, *aux, *var, *text, *unit, *vars, *src, *exact, *dver;
    tcache cache;
    am_mt_toks qk, ck, qo, mo;
    uint32_t *work;
    size_t work_cap;
    double n_docs;    /* for idf: the largest variant id */
    cand *cbuf;       /* the merge's candidates, reused from query to query */
    size_t cbuf_cap;
    int64_t *pbuf;    /* postings of the query's terms */
    size_t pbuf_n, pbuf_cap;
    place *prev;      /* where the previous segment's exact matches sit */
    size_t n_prev;
    long long cache_size_before; /* PRAGMA cache_size of the connection */
};

/* ---- the term cache ---------------------------------------------------- */

static uint32_t *chunk_alloc(tcache *c, size_t n)
{
    size_t bytes = (n ? n : 1) * sizeof(uint32_t), head = sizeof(tchunk);
    tchunk *k = c->chunks;
    if (!k || k->used + bytes > k->size) {
        size_t size = head + bytes > CHUNK_BYTES ? head + bytes : CHUNK_BYTES;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
#ifdef MADV_HUGEPAGE
        madvise(p, size, MADV_HUGEPAGE); /* a hint: without it, 4 KB pages */
#endif
        k = p;
        *k = (tchunk){c->chunks, head, size};
        c->chunks = k;
    }
    uint32_t *r = (uint32_t *)((char *)k + k->used);
    k->used += (bytes + 7) & ~(size_t)7;
    return r;
}

static void chunks_free(tcache *c)
{
    while (c->chunks) {
        tchunk *k = c->chunks;
        c->chunks = k->next;
        munmap(k, k->size);
    }
}

/* Drop every kept posting; with all, the frequent marks too. */
static void tcache_clear(tcache *c, int all)
{
    chunks_free(c);
    for (size_t i = 0; i < c->cap; i++) {
        tcache_ent *e = &c->e[i];
        e->post = NULL;
        e->n_post = 0;
        e->complete = 0;
        if (all && e->key) {
            free(e->key);
            memset(e, 0, sizeof *e);
        }
    }
    if (all)
        c->n = 0;
    c->postings = 0;
}

static uint64_t term_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static tcache_ent *tcache_find(const tcache *c, const char *s, size_t n, uint64_t h)
{
    if (!c->cap)
        return NULL;
    for (size_t i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        tcache_ent *e = &c->e[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && e->len == n && !memcmp(e->key, s, n))
            return e;
    }
}

static int tcache_grow(tcache *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    tcache_ent *e = calloc(cap, sizeof *e);
    if (!e)
        return AM_ENOMEM;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->e[i].key)
            continue;
        size_t j = c->e[i].hash & (cap - 1);
        while (e[j].key)
            j = (j + 1) & (cap - 1);
        e[j] = c->e[i];
    }
    free(c->e);
    c->e = e;
    c->cap = cap;
    return AM_OK;
}

/* The entry of s[0..n), added when missing (NULL when out of memory). */
static tcache_ent *tcache_get(tcache *c, const char *s, size_t n)
{
    uint64_t h = term_hash(s, n);
    tcache_ent *e = tcache_find(c, s, n, h);
    if (e)
        return e;
    if (c->n >= CACHE_TERMS)
        tcache_clear(c, 1);
    if (2 * (c->n + 1) > c->cap && tcache_grow(c))
        return NULL;
    size_t i = h & (c->cap - 1);
    while (c->e[i].key)
        i = (i + 1) & (c->cap - 1);
    e = &c->e[i];
    if (!(e->key = malloc(n + 1)))
        return NULL;
    memcpy(e->key, s, n);
    e->key[n] = 0;
    e->len = n;
    e->hash = h;
    c->n++;
    return e;
}

/* Keep a copy of the n postings just read (within the budget). */
static void tcache_keep(tcache *c, tcache_ent *e, const int64_t *p, size_t n, int complete)
{
    if (n > CACHE_POSTINGS / 4)
        return;
    if (c->postings + n > CACHE_POSTINGS)
        tcache_clear(c, 0);
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0 || p[i] > (int64_t)UINT32_MAX)
            return;
    }
    uint32_t *copy = chunk_alloc(c, n);
    if (!copy)
        return; /* a cache: reading again is the fallback */
    for (size_t i = 0; i < n; i++)
        copy[i] = (uint32_t)p[i];
    e->post = copy; /* a copy it replaces stays in its chunk until a clear */
    e->n_post = n;
    e->complete = complete;
    c->postings += n;
}

/* Empty the cache when the memory was written since the last lookup. */
static void tcache_check(am_lookup *lk)
{
    long long v = -1, ch = (long long)sqlite3_total_changes64(lk->db);
    if (sqlite3_step(lk->dver) == SQLITE_ROW)
        v = sqlite3_column_int64(lk->dver, 0);
    sqlite3_reset(lk->dver);
    if (v != lk->cache.data_version || ch != lk->cache.changes || v < 0)
        tcache_clear(&lk->cache, 1);
    lk->cache.data_version = v;
    lk->cache.changes = ch;
}

/* ---- set-up --------------------------------------------------------- */

void am_mt_use_mmap(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long long cur = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA mmap_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        cur = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (cur == 0)
        sqlite3_exec(db, "PRAGMA mmap_size = " AM_MT_MMAP, NULL, NULL, NULL);
}

static int prep(am_lookup *lk, sqlite3_stmt **st, const char *sql, am_error *err)
{
    int rc = sqlite3_prepare_v3(lk->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, lk->db, rc, "cannot prepare a lookup");
}

static void prepare_aux(am_lookup *lk);

static long long pragma_int(sqlite3 *db, const char *sql, long long dflt)
{
    sqlite3_stmt *st = NULL;
    long long v = dflt;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Pages come through SQLite's page cache (pread), not a memory map, and
 * the cache is bounded (LOOKUP_CACHE_KB) for the session. Why: a lookup
 * reads ~100 candidate rows scattered over a file of gigabytes, each on a
 * page never touched before in this process, and on the virtual machines
 * this was measured on a first touch of a mapped page costs ~40 us of CPU
 * (a fault), a pread of 4 KB ~3 us; and a page cache that grows to the
 * store's 64 MB touches fresh memory page by page (~17 us a fault) where
 * a bounded one recycles its buffers. Batch of the benchmark
 * (scripts/bench/lookup.sh), CPU: mmap 3.9 s, page cache of 64 MB 3.6 s,
 * 4-16 MB 3.2 s. A connection already mapping the file (set by its
 * owner) keeps its map; the cache size is restored by am_lookup_free. */
#define LOOKUP_CACHE_KB 8192
static void lookup_cache_size(am_lookup *lk)
{
    char sql[64];
    lk->cache_size_before = pragma_int(lk->db, "PRAGMA cache_size", 0);
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", LOOKUP_CACHE_KB);
    sqlite3_exec(lk->db, sql, NULL, NULL, NULL);
}

static void restore_cache_size(am_lookup *lk)
{
    char sql[64];
    if (!lk->db || !lk->cache_size_before)
        return;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", lk->cache_size_before);
    sqlite3_exec(lk->db, sql, NULL, NULL, NULL);
}

static int prepare_all(am_lookup *lk, am_error *err)
{
    int rc;
    if ((rc = prep(lk, &lk->post,
                   "SELECT rowid FROM variants_fts WHERE variants_fts MATCH ?1"
                   " ORDER BY rowid LIMIT ?2",
                   err)) ||
        (rc = prep(lk, &lk->var,
                   "SELECT lang, key, unit, markup IS NOT NULL FROM variants WHERE id = ?1",
                   err)) ||
        (rc = prep(lk, &lk->text, "SELECT text FROM variants WHERE id = ?1", err)) ||
        (rc = prep(lk, &lk->unit,
                   "SELECT u.document, u.position, d.title FROM units u"
                   " LEFT JOIN documents d ON d.id = u.document WHERE u.id = ?1",
                   err)) ||
        (rc = prep(lk, &lk->vars,
                   "SELECT id, lang, text, markup FROM variants WHERE unit = ?1 ORDER BY id", err)) ||
        (rc = prep(lk, &lk->src, "SELECT document, position FROM sources WHERE unit = ?1", err)) ||
        (rc = prep(lk, &lk->exact, "SELECT id FROM variants WHERE khash = ?1 AND key = ?2", err)) ||
        (rc = prep(lk, &lk->dver, "PRAGMA data_version", err)))
        return rc;
    lk->cache.data_version = -1;
    prepare_aux(lk);
    lookup_cache_size(lk);
    sqlite3_stmt *st = NULL;
    if ((rc = prep(lk, &st, "SELECT max(id) FROM variants", err)))
        return rc;
    lk->n_docs = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
    sqlite3_finalize(st);
    return AM_OK;
}

static int copy_opts(am_lookup *lk, const am_lookup_opts *opts, am_error *err)
{
    if (!opts || opts->version != AM_LOOKUP_OPTS_VERSION)
        return am_error_set(err, AM_EARG, "lookup: options of an unknown version");
    if (!opts->from || !*opts->from)
        return am_error_set(err, AM_EARG, "lookup needs the language of the query (--from)");
    if (am_lang_canonical(lk->from, sizeof lk->from, opts->from))
        return am_error_set(err, AM_EARG, "'%s' is not a language code", opts->from);
    if (!(opts->min_score >= 0 && opts->min_score <= 100))
        return am_error_set(err, AM_EARG, "the minimum score must be within 0..100");
    if (opts->max_matches < 1)
        return am_error_set(err, AM_EARG, "at least one match is needed");
    lk->o = *opts;
    /* Every candidate scored is a row fetched from anywhere in the file:
     * score as many as the matches asked for can use. */
    if (lk->o.max_candidates == 0)
        lk->o.max_candidates = 20 * opts->max_matches > 100 ? 20 * opts->max_matches : 100;
    lk->o.from = lk->from;
    if (opts->n_to) {
        lk->to = calloc(opts->n_to, sizeof *lk->to);
        if (!lk->to)
            return am_error_set(err, AM_ENOMEM, "out of memory");
        for (size_t i = 0; i < opts->n_to; i++) {
            if (!(lk->to[i] = strdup(opts->to[i])))
                return am_error_set(err, AM_ENOMEM, "out of memory");
        }
        lk->o.to = (const char *const *)lk->to;
    }
    return AM_OK;
}

int am_lookup_new(am_lookup **out, am_tm *tm, const am_lookup_opts *opts, am_error *err)
{
    *out = NULL;
    am_lookup *lk = calloc(1, sizeof *lk);
    if (!lk)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    int rc = copy_opts(lk, opts, err);
    if (!rc && !(lk->db = am_tm_sqlite(tm)))
        rc = am_error_set(err, AM_EARG, "lookup needs a memory in SQLite");
    if (!rc)
        rc = prepare_all(lk, err);
    if (rc) {
        am_lookup_free(lk);
        return rc;
    }
    *out = lk;
    return AM_OK;
}

void am_lookup_reset(am_lookup *lk)
{
    if (lk)
        lk->n_prev = 0;
}

void am_lookup_free(am_lookup *lk)
{
    if (!lk)
        return;
    sqlite3_stmt *sts[] = {lk->post, lk->aux, lk->var,   lk->text, lk->unit,
                           lk->vars, lk->src, lk->exact, lk->dver};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    restore_cache_size(lk);
    for (size_t i = 0; lk->to && i < lk->o.n_to; i++)
        free(lk->to[i]);
    free(lk->to);
    am_mt_toks_free(&lk->qk);
    am_mt_toks_free(&lk->ck);
    am_mt_toks_free(&lk->qo);
    am_mt_toks_free(&lk->mo);
    free(lk->work);
    free(lk->pbuf);
    free(lk->cbuf);
    free(lk->prev);
    tcache_clear(&lk->cache, 1);
    free(lk->cache.e);
    free(lk);
}

/* ---- candidates --------------------------------------------------------- */

int am_mt_fts_quote(am_buf *b, const char *s, size_t n)
{
    int rc = am_buf_putc(b, '"');
    for (size_t i = 0; i < n && !rc; i++)
        rc = s[i] == '"' ? am_buf_append(b, "\"\"", 2) : am_buf_putc(b, s[i]);
    return rc ? rc : am_buf_putc(b, '"');
}

static int pbuf_reserve(am_lookup *lk, size_t n)
{
    if (lk->pbuf_n + n <= lk->pbuf_cap)
        return AM_OK;
    size_t ncap = lk->pbuf_cap ? 2 * lk->pbuf_cap : 4096;
    while (ncap < lk->pbuf_n + n)
        ncap *= 2;
    int64_t *q = realloc(lk->pbuf, ncap * sizeof *q);
    if (!q)
        return AM_ENOMEM;
    lk->pbuf = q;
    lk->pbuf_cap = ncap;
    return AM_OK;
}

/* Postings through the FTS5 auxiliary function am_postings: its
 * xQueryPhrase walks the term's doclist inside FTS5 and hands each rowid
 * to collect_row, in rowid order, about twice as fast as stepping a
 * statement once per posting (30 against 60 ns per posting measured on
 * the 1M-unit benchmark memory). The statement's own rows are only its
 * first match (LIMIT 1), which runs the function once. */
typedef struct pcollect {
    am_lookup *lk;
    size_t got, cap;
    int called, oom;
} pcollect;

static int collect_row(const Fts5ExtensionApi *api, Fts5Context *fc, void *ud)
{
    pcollect *c = ud;
    if (pbuf_reserve(c->lk, 1)) {
        c->oom = 1;
        return SQLITE_NOMEM;
    }
    c->lk->pbuf[c->lk->pbuf_n++] = api->xRowid(fc);
    return ++c->got >= c->cap ? SQLITE_DONE : SQLITE_OK;
}

static void postings_fn(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_context *ctx, int n,
                        sqlite3_value **v)
{
    pcollect *c = n == 1 ? sqlite3_value_pointer(v[0], "am_postings") : NULL;
    if (!c) {
        sqlite3_result_error(ctx, "am_postings() is internal to alignmem lookup", -1);
        return;
    }
    if (c->called++)
        return;
    int rc = c->cap ? api->xQueryPhrase(fc, 0, c, collect_row) : SQLITE_OK;
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
}

#define AUX_SQL                                                                                    \
    "SELECT am_postings(variants_fts, ?2) FROM variants_fts WHERE variants_fts MATCH ?1 LIMIT 1"

const char *am_mt_postings_sql(void)
{
    return AUX_SQL;
}

/* Prepare the am_postings statement, registering the function on the
 * connection first when it lacks it (NULL statement: not available, the
 * plain statement serves). */
static void prepare_aux(am_lookup *lk)
{
    if (sqlite3_prepare_v3(lk->db, AUX_SQL, -1, SQLITE_PREPARE_PERSISTENT, &lk->aux, NULL) ==
        SQLITE_OK)
        return;
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(lk->db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2 ||
        api->xCreateFunction(api, "am_postings", NULL, postings_fn, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(lk->db, AUX_SQL, -1, SQLITE_PREPARE_PERSISTENT, &lk->aux, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(lk->aux);
        lk->aux = NULL;
    }
}

/* Read up to cap postings of the term at s[0..n) (a quoted FTS5 string,
 * so "п'ять" is the phrase of its two index terms) onto pbuf. */
static int sql_postings(am_lookup *lk, const char *s, size_t n, long long cap, size_t *got,
                        am_error *err)
{
    am_buf q = AM_BUF_INIT;
    int rc = am_mt_fts_quote(&q, s, n);
    pcollect c = {lk, 0, (size_t)cap, 0, 0};
    sqlite3_stmt *st = lk->aux ? lk->aux : lk->post;
    *got = 0;
    if (rc) {
        am_buf_free(&q);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    sqlite3_bind_text(st, 1, q.data, (int)q.len, SQLITE_STATIC);
    if (lk->aux)
        sqlite3_bind_pointer(st, 2, &c, "am_postings", NULL);
    else
        sqlite3_bind_int64(st, 2, cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (lk->aux)
            continue;
        if (pbuf_reserve(lk, 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        lk->pbuf[lk->pbuf_n++] = sqlite3_column_int64(st, 0);
        (*got)++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* c and q go */
    am_buf_free(&q);
    if (lk->aux)
        *got = c.got;
    if (c.oom)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot search the memory's index");
    return AM_OK;
}

static int pbuf_append(am_lookup *lk, const uint32_t *p, size_t n)
{
    if (pbuf_reserve(lk, n))
        return AM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        lk->pbuf[lk->pbuf_n + i] = p[i];
    lk->pbuf_n += n;
    return AM_OK;
}

/* Up to cap postings of a term onto pbuf, through the term cache; *got is
 * what the statement would have returned. With cap == PROBE, a term known
 * to be frequent gets *got = PROBE and nothing on pbuf: a probe's
 * postings only serve rare terms (frequent ones are read again in full
 * when chosen). */
static int read_postings(am_lookup *lk, const char *s, size_t n, long long cap, size_t *got,
                         am_error *err)
{
    tcache_ent *e = tcache_get(&lk->cache, s, n);
    size_t start = lk->pbuf_n;
    *got = 0;
    if (e && cap == PROBE && e->frequent) {
        *got = PROBE;
        return AM_OK;
    }
    if (e && e->post && (e->complete || e->n_post >= (size_t)cap)) {
        *got = e->n_post < (size_t)cap ? e->n_post : (size_t)cap;
        return pbuf_append(lk, e->post, *got) ? am_error_set(err, AM_ENOMEM, "out of memory")
                                              : AM_OK;
    }
    int rc = sql_postings(lk, s, n, cap, got, err);
    if (rc || !e)
        return rc;
    if (*got >= (size_t)PROBE)
        e->frequent = 1;
    if (cap == PROBE && *got >= (size_t)PROBE) {
        lk->pbuf_n = start; /* not needed: see above */
        return AM_OK;
    }
    tcache_keep(&lk->cache, e, lk->pbuf + start, *got, *got < (size_t)cap);
    return AM_OK;
}

static int cmp_qterm_hash(const void *a, const void *b)
{
    uint64_t x = ((const qterm *)a)->hash, y = ((const qterm *)b)->hash;
    return x < y ? -1 : x > y;
}

static int cmp_qterm_df(const void *a, const void *b)
{
    long long x = ((const qterm *)a)->df, y = ((const qterm *)b)->df;
    return x < y ? -1 : x > y;
}

static int cmp_qterm_len_desc(const void *a, const void *b)
{
    const qterm *x = a, *y = b;
    if (x->key_len != y->key_len)
        return x->key_len > y->key_len ? -1 : 1;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Distinct word tokens of the keyed query with multiplicity, probed
 * longest first (long words tend to be rare): every rare term found
 * counts towards the recall bound; once the bound is met, the first
 * frequent term ends the probing, and the shorter, likely frequent terms
 * after it are left unread (df LLONG_MAX). Sorted by df on return. */
static int query_terms(am_lookup *lk, const char *qn, size_t s, qterm **out, size_t *n_out,
                       am_error *err)
{
    const am_mt_toks *q = &lk->qk;
    qterm *t = calloc(q->n_words + 1, sizeof *t);
    size_t n = 0, w = q->n_words;
    if (!t)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->n_words; i++)
        t[i] = (qterm){q->words[i], q->widx[i], 1, LLONG_MAX, 0, 0, q->t[q->widx[i]].len};
    qsort(t, q->n_words, sizeof *t, cmp_qterm_hash);
    for (size_t i = 0; i < q->n_words; i++) {
        if (n && t[n - 1].hash == t[i].hash)
            t[n - 1].mult++;
        else
            t[n++] = t[i];
    }
    qsort(t, n, sizeof *t, cmp_qterm_len_desc);
    lk->pbuf_n = 0;
    for (size_t i = 0; i < n; i++) {
        const am_mt_tok *tok = &q->t[t[i].tok];
        t[i].post = lk->pbuf_n;
        int rc = read_postings(lk, qn + tok->off, tok->len, PROBE, &t[i].n_post, err);
        if (rc) {
            free(t);
            return rc;
        }
        t[i].df = (long long)t[i].n_post;
        if (t[i].df >= PROBE)
            t[i].n_post = 0; /* read again in full if chosen */
        if (t[i].df < PROBE)
            w -= (size_t)t[i].mult;
        else if (w < s)
            break;
    }
    qsort(t, n, sizeof *t, cmp_qterm_df);
    *out = t;
    *n_out = n;
    return AM_OK;
}

/* A min-heap of the chosen terms by their next posting. */
typedef struct mhead {
    int64_t id;
    size_t term;
} mhead;

static void heap_down(mhead *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].id < h[m].id)
            m = l;
        if (l + 1 < n && h[l + 1].id < h[m].id)
            m = l + 1;
        if (m == i)
            return;
        mhead t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The best K candidates so far in a heap with the worst (last in
 * cmp_cand order) at the root. */
static void top_down(cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && cmp_cand(&h[l], &h[m]) > 0)
            m = l;
        if (l + 1 < n && cmp_cand(&h[l + 1], &h[m]) > 0)
            m = l + 1;
        if (m == i)
            return;
        cand x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static void top_offer(cand *h, size_t *n, size_t cap, const cand *x)
{
    if (*n < cap) {
        size_t i = (*n)++;
        h[i] = *x;
        while (i > 0 && cmp_cand(&h[i], &h[(i - 1) / 2]) > 0) {
            cand y = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = y;
            i = (i - 1) / 2;
        }
    } else if (cmp_cand(x, &h[0]) < 0) {
        h[0] = *x;
        top_down(h, *n, 0);
    }
}

/* First index >= from of p[0..n) holding a value >= id (galloping). */
static size_t gallop(const int64_t *p, size_t n, size_t from, int64_t id)
{
    size_t lo = from, step = 1;
    if (lo >= n || p[lo] >= id)
        return lo;
    while (lo + step < n && p[lo + step] < id) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step < n ? lo + step : n; /* p[lo] < id <= p[hi] (or hi == n) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid] < id)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

typedef struct merge_state {
    const qterm *t;
    size_t k, e;      /* terms, essential ones (t[0..e)) */
    size_t *pos;      /* next posting of each term */
    double *idf, *ub; /* ub[i]: sum of idf[i..k) */
    char *hit;
    mhead *h;         /* the essential terms by their next posting */
    size_t nh;
} merge_state;

static void merge_heap_build(merge_state *m, const int64_t *pbuf)
{
    m->nh = 0;
    for (size_t i = 0; i < m->e; i++) {
        if (m->pos[i] < m->t[i].n_post)
            m->h[m->nh++] = (mhead){pbuf[m->t[i].post + m->pos[i]], i};
    }
    for (size_t i = m->nh; i-- > 0;)
        heap_down(m->h, m->nh, i);
}

/* Which chosen terms segment id holds: the essential ones as the merge
 * pops them, the others by galloping through their postings. */
static void merge_hits(merge_state *m, const int64_t *pbuf, int64_t id)
{
    while (m->nh && m->h[0].id == id) {
        size_t i = m->h[0].term;
        m->hit[i] = 1;
        if (++m->pos[i] < m->t[i].n_post)
            m->h[0].id = pbuf[m->t[i].post + m->pos[i]];
        else
            m->h[0] = m->h[--m->nh];
        heap_down(m->h, m->nh, 0);
    }
    for (size_t i = m->e; i < m->k; i++) {
        const int64_t *p = pbuf + m->t[i].post;
        size_t j = gallop(p, m->t[i].n_post, m->pos[i], id);
        m->pos[i] = j;
        if (j < m->t[i].n_post && p[j] == id) {
            m->hit[i] = 1;
            m->pos[i]++;
        }
    }
}

/* The best cap segments (cmp_cand order) among those holding at least
 * need of the chosen terms, into c[0..*n_out), sorted; *n_out is
 * min(cap, all such segments). Segments are taken in rowid order from a
 * k-way merge of the postings through a binary heap; once cap are kept,
 * the terms whose idf sum (a suffix t[e..k)) is below the worst kept
 * weight cannot make a segment enter on their own, so they leave the
 * merge and are only searched (galloping) for the segments the others
 * bring: MaxScore (Turtle and Flood 1995). The weight of a segment is
 * summed in term order, as a full merge would: the same candidates, in
 * the same order, from far fewer postings (frequent terms are long). */
static int merge_top(am_lookup *lk, const qterm *t, size_t k, unsigned need, size_t cap,
                     size_t *n_out)
{
    merge_state m = {t, k, k, calloc(k + 1, sizeof(size_t)), calloc(k + 1, sizeof(double)),
                     calloc(k + 1, sizeof(double)), calloc(k + 1, 1),
                     malloc((k + 1) * sizeof(mhead)), 0};
    size_t n = 0;
    if (lk->cbuf_cap < cap) {
        free(lk->cbuf);
        lk->cbuf = malloc(cap * sizeof *lk->cbuf);
        lk->cbuf_cap = lk->cbuf ? cap : 0;
    }
    cand *c = lk->cbuf;
    int rc = m.pos && m.idf && m.ub && m.hit && m.h && c ? AM_OK : AM_ENOMEM;
    for (size_t i = 0; !rc && i < k; i++)
        m.idf[i] = log(1.0 + lk->n_docs / (double)(t[i].df + 1));
    for (size_t i = k; !rc && i-- > 0;)
        m.ub[i] = m.ub[i + 1] + m.idf[i];
    if (!rc)
        merge_heap_build(&m, lk->pbuf);
    while (!rc && m.nh) {
        cand x = {m.h[0].id, 0, 0};
        merge_hits(&m, lk->pbuf, x.id);
        for (size_t i = 0; i < k; i++) { /* in term order: the same sum every time */
            if (!m.hit[i])
                continue;
            m.hit[i] = 0;
            x.count++;
            x.weight += m.idf[i];
        }
        if (x.count < need)
            continue;
        top_offer(c, &n, cap, &x);
        if (n < cap)
            continue;
        /* The margin covers rounding: ub sums in another order. */
        size_t e = m.e;
        while (e > 0 && m.ub[e - 1] * (1.0 + 1e-9) < c[0].weight)
            e--;
        if (e != m.e) {
            m.e = e;
            merge_heap_build(&m, lk->pbuf);
        }
    }
    free(m.pos);
    free(m.idf);
    free(m.ub);
    free(m.hit);
    free(m.h);
    if (rc)
        return rc;
    qsort(c, n, sizeof *c, cmp_cand);
    *n_out = n;
    return AM_OK;
}

/* How many of the (df-sorted) terms to count, and the count a segment
 * needs to possibly reach min (see the comment at the top). Every rare
 * term is counted: its postings are in hand, and each raises the count
 * needed by one. Frequent terms only as far as the bound needs them. */
static size_t min_shared(size_t n_words, double min)
{
    return (size_t)ceil((double)n_words * min / 100.0 - 1e-9);
}

static size_t choose_terms(const qterm *t, size_t n, size_t n_words, double min, unsigned *need)
{
    size_t s = min_shared(n_words, min), w = n_words, k = 0;
    int cmax = 1;
    if (s == 0) {
        *need = 1;
        return n;
    }
    while (k < n && (t[k].df < PROBE || w >= s)) {
        w -= (size_t)t[k].mult;
        if (t[k].mult > cmax)
            cmax = t[k].mult;
        k++;
    }
    *need = w >= s ? 1 : (unsigned)((s - w + (size_t)cmax - 1) / (size_t)cmax);
    return k;
}

/* The candidates: variant ids, best first, at most max_candidates. */
static int find_candidates(am_lookup *lk, const char *qn, cand **out, size_t *n_out, am_error *err)
{
    qterm *t = NULL;
    size_t nt = 0, k, nc = 0;
    unsigned need;
    cand *c = NULL;
    int rc = query_terms(lk, qn, min_shared(lk->qk.n_words, lk->o.min_score), &t, &nt, err);
    if (rc)
        return rc;
    k = choose_terms(t, nt, lk->qk.n_words, lk->o.min_score, &need);
    for (size_t i = 0; i < k && !rc; i++) {
        if (t[i].df < PROBE)
            continue;
        const am_mt_tok *tok = &lk->qk.t[t[i].tok];
        t[i].post = lk->pbuf_n;
        rc = read_postings(lk, qn + tok->off, tok->len, POSTINGS_CAP, &t[i].n_post, err);
        t[i].df = (long long)t[i].n_post;
    }
    if (!rc && merge_top(lk, t, k, need, lk->o.max_candidates, &nc))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc)
        goto cleanup;
    c = lk->cbuf;
    if (!(*out = malloc((nc ? nc : 1) * sizeof **out))) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(*out, c, nc * sizeof *c);
    *n_out = nc;
cleanup:
    free(t);
    return rc;
}

/* ---- scoring -------------------------------------------------------- */

typedef struct scored_list {
    scored *s;
    size_t n, cap;
} scored_list;

static void scored_free(scored_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i].text);
    free(l->s);
}

static int scored_push(scored_list *l, const scored *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        scored *p = realloc(l->s, cap * sizeof *p);
        if (!p)
            return AM_ENOMEM;
        l->s = p;
        l->cap = cap;
    }
    l->s[l->n++] = *x;
    return AM_OK;
}

static int ensure_work(am_lookup *lk, size_t m)
{
    if (2 * (m + 2) <= lk->work_cap)
        return AM_OK;
    free(lk->work);
    lk->work_cap = 2 * (m + 2) + 64;
    lk->work = malloc(lk->work_cap * sizeof *lk->work);
    return lk->work ? AM_OK : AM_ENOMEM;
}

/* The stored text of a variant (only for those that reach min: most
 * candidates never need more than their key). *out owned by the caller. */
static int variant_text(am_lookup *lk, int64_t id, char **out, am_error *err)
{
    sqlite3_bind_int64(lk->text, 1, id);
    int rc = sqlite3_step(lk->text);
    const char *t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(lk->text, 0) : NULL;
    *out = rc == SQLITE_ROW ? strdup(t ? t : "") : NULL;
    sqlite3_reset(lk->text);
    if (rc != SQLITE_ROW)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    return *out ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
}

/* Base score of one variant; pushes it when it reaches min. */
static int score_variant(am_lookup *lk, int64_t id, scored_list *l, am_error *err)
{
    sqlite3_stmt *st = lk->var;
    int rc = AM_OK;
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        sqlite3_reset(st);
        return src == SQLITE_DONE ? AM_OK
                                  : am_sqlite_error(err, lk->db, src, "cannot read the memory");
    }
    if (!am_tm_lang_matches(lk->from, (const char *)sqlite3_column_text(st, 0)))
        goto done;
    const char *key = (const char *)sqlite3_column_text(st, 1);
    if ((rc = am_mt_tokenize(&lk->ck, key ? key : "", (size_t)sqlite3_column_bytes(st, 1),
                             AM_MT_KEYED, err)))
        goto done;
    size_t n = lk->qk.n_words, m = lk->ck.n_words, dmax = am_mt_dmax(n, m, lk->o.min_score);
    if ((rc = ensure_work(lk, m))) {
        am_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t d = am_mt_distance(lk->qk.words, n, lk->ck.words, m, dmax, lk->work);
    if (d > dmax)
        goto done;
    scored x;
    memset(&x, 0, sizeof x);
    x.variant = id;
    x.unit = sqlite3_column_int64(st, 2);
    x.base = am_mt_base(n, m, d);
    x.codes = sqlite3_column_int(st, 3);
    if ((rc = variant_text(lk, id, &x.text, err)))
        goto done;
    if (scored_push(l, &x)) {
        free(x.text);
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    }
done:
    sqlite3_reset(st);
    return rc;
}

/* Exact matches straight from the hash index: found whatever the FTS
 * side does, even for a segment without words ("2019.", "—"). */
static int exact_ids(am_lookup *lk, const char *qn, size_t qlen, int64_t *ids, size_t cap,
                     size_t *n, am_error *err)
{
    int rc;
    *n = 0;
    sqlite3_bind_int64(lk->exact, 1, am_tm_key_hash(lk->from, qn, qlen));
    sqlite3_bind_text(lk->exact, 2, qn, (int)qlen, SQLITE_STATIC);
    while ((rc = sqlite3_step(lk->exact)) == SQLITE_ROW && *n < cap)
        ids[(*n)++] = sqlite3_column_int64(lk->exact, 0);
    sqlite3_reset(lk->exact);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    return AM_OK;
}

static int cmp_base(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->base != y->base)
        return x->base > y->base ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int cmp_final(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->fz.score != y->fz.score)
        return x->fz.score > y->fz.score ? -1 : 1;
    if (x->fz.chars != y->fz.chars)
        return x->fz.chars > y->fz.chars ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* One variant per unit: a unit stored with "uk" and "uk-UA" counts once. */
static void dedupe_units(scored_list *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t j = 0;
        while (j < k && l->s[j].unit != l->s[i].unit)
            j++;
        if (j < k) {
            free(l->s[i].text);
            continue;
        }
        l->s[k++] = l->s[i];
    }
    l->n = k;
}

/* Full scores, best base first, until the top max_matches are settled:
 * a full score never exceeds its base, so once the next base is below
 * the worst of the top, nothing after it can enter. */
static int full_scores(am_lookup *lk, const char *query, size_t qlen, scored_list *l,
                       am_error *err)
{
    size_t max = lk->o.max_matches, kept = 0;
    double *top = calloc(max, sizeof *top); /* kept scores, descending */
    int rc = top ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
    if (l->n)
        qsort(l->s, l->n, sizeof *l->s, cmp_base);
    dedupe_units(l);
    for (size_t i = 0; i < l->n && !rc; i++) {
        scored *x = &l->s[i];
        if (kept == max && x->base < top[max - 1])
            break;
        rc = am_mt_tokenize(&lk->mo, x->text, strlen(x->text), AM_MT_NORMALIZE, err);
        if (!rc && am_mt_score(&x->fz, query, qlen, &lk->qo, x->text, strlen(x->text), &lk->mo,
                               x->codes))
            rc = am_error_set(err, AM_ENOMEM, "out of memory");
        if (rc || x->fz.score < lk->o.min_score)
            continue;
        x->full = 1;
        if (kept < max)
            kept++;
        else if (x->fz.score <= top[max - 1])
            continue;
        size_t p = kept - 1;
        while (p > 0 && top[p - 1] < x->fz.score) {
            top[p] = top[p - 1];
            p--;
        }
        top[p] = x->fz.score;
    }
    free(top);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->s[i].full)
            l->s[k++] = l->s[i];
        else
            free(l->s[i].text);
    }
    l->n = k;
    if (l->n)
        qsort(l->s, l->n, sizeof *l->s, cmp_final);
    for (size_t i = max; i < l->n; i++)
        free(l->s[i].text);
    if (l->n > max)
        l->n = max;
    return rc;
}

/* ---- results ---------------------------------------------------------- */

void *am_mt_pool_keep(am_mt_pool *pl, void *x)
{
    if (!x)
        return NULL;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? 2 * pl->cap : 32;
        void **p = realloc(pl->p, cap * sizeof *p);
        if (!p) {
            free(x);
            return NULL;
        }
        pl->p = p;
        pl->cap = cap;
    }
    return pl->p[pl->n++] = x;
}

char *am_mt_pool_dup(am_mt_pool *pl, const unsigned char *s)
{
    return am_mt_pool_keep(pl, strdup(s ? (const char *)s : ""));
}

void am_mt_pool_free(am_mt_pool *pl)
{
    for (size_t i = 0; pl && i < pl->n; i++)
        free(pl->p[i]);
    if (pl)
        free(pl->p);
    free(pl);
}

static int wanted_lang(const am_lookup *lk, const char *lang)
{
    if (!lk->o.to)
        return 1;
    for (size_t i = 0; i < lk->o.n_to; i++) {
        if (am_tm_lang_matches(lk->o.to[i], lang))
            return 1;
    }
    return 0;
}

static int fill_variants(am_lookup *lk, am_match *m, int64_t source_id, am_mt_pool *pl, am_error *err)
{
    sqlite3_stmt *st = lk->vars;
    size_t cap = 4, n = 1;
    am_variant *v = am_mt_pool_keep(pl, calloc(cap, sizeof *v));
    int rc;
    if (!v)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    sqlite3_bind_int64(st, 1, m->unit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *lang = (const char *)sqlite3_column_text(st, 1);
        if (id != source_id && !wanted_lang(lk, lang))
            continue;
        if (n == cap) {
            am_variant *p = am_mt_pool_keep(pl, calloc(2 * cap, sizeof *p));
            if (!p)
                break;
            memcpy(p, v, cap * sizeof *v);
            v = p;
            cap *= 2;
        }
        am_variant *x = id == source_id ? &v[0] : &v[n++];
        x->lang = am_mt_pool_dup(pl, sqlite3_column_text(st, 1));
        x->text = am_mt_pool_dup(pl, sqlite3_column_text(st, 2));
        x->markup = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NULL
                        : am_mt_pool_dup(pl, sqlite3_column_text(st, 3));
        if (!x->lang || !x->text)
            break;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    m->variants = v;
    m->n_variants = v[0].text ? n : 0;
    return AM_OK;
}

static int fill_match(am_lookup *lk, am_match *m, scored *x, const char *query, size_t qlen,
                      am_mt_pool *pl, am_error *err)
{
    sqlite3_stmt *st = lk->unit;
    m->score = x->fz.score;
    m->fuzzy = x->fz;
    m->unit = x->unit;
    m->position = -1;
    if (!(m->source = am_mt_pool_keep(pl, x->text)))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    x->text = NULL; /* now the pool's */
    sqlite3_bind_int64(st, 1, x->unit);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m->document = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            m->position = sqlite3_column_int(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
            !(m->document_title = am_mt_pool_dup(pl, sqlite3_column_text(st, 2))))
            rc = SQLITE_NOMEM;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    if ((rc = fill_variants(lk, m, x->variant, pl, err)))
        return rc;
    return am_word_diff(&m->diff, m->source, strlen(m->source), query, qlen, err);
}

void am_matches_free(am_matches *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        am_diff_free(m->m[i].diff);
    am_mt_pool_free(m->priv);
    free(m->m);
    free(m);
}

/* ---- context (101%) -------------------------------------------------- */

typedef struct place_list {
    place *p;
    size_t n, cap;
} place_list;

static int place_push(place_list *l, int64_t doc, long pos)
{
    if (doc == 0 || pos < 0)
        return AM_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        place *p = realloc(l->p, cap * sizeof *p);
        if (!p)
            return AM_ENOMEM;
        l->p = p;
        l->cap = cap;
    }
    l->p[l->n++] = (place){doc, pos};
    return AM_OK;
}

/* Where a unit sits: its own place and those of the units merged into it. */
static int unit_places(am_lookup *lk, const am_match *m, place_list *l, am_error *err)
{
    int rc = place_push(l, m->document, m->position);
    sqlite3_bind_int64(lk->src, 1, m->unit);
    int src;
    while (!rc && (src = sqlite3_step(lk->src)) == SQLITE_ROW)
        rc = place_push(l, sqlite3_column_int64(lk->src, 0), sqlite3_column_int(lk->src, 1));
    sqlite3_reset(lk->src);
    if (rc)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (src != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, src, "cannot read the memory");
    return AM_OK;
}

static int follows_previous(const am_lookup *lk, const place *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < lk->n_prev; j++) {
            if (lk->prev[j].doc == p[i].doc && lk->prev[j].pos == p[i].pos - 1)
                return 1;
        }
    }
    return 0;
}

/* Mark exact matches that follow the previous segment's exact match, move
 * them first, and remember where this segment's exact matches sit. */
static int apply_context(am_lookup *lk, am_matches *r, am_error *err)
{
    place_list all = {NULL, 0, 0};
    int rc = AM_OK;
    for (size_t i = 0; i < r->n && !rc; i++) {
        am_match *m = &r->m[i];
        if (m->fuzzy.score < 100)
            continue;
        size_t from = all.n;
        rc = unit_places(lk, m, &all, err);
        if (!rc && follows_previous(lk, all.p + from, all.n - from)) {
            m->context = 1;
            m->score = 101;
        }
    }
    for (size_t i = 1; i < r->n; i++) { /* stable: contexts first */
        am_match x = r->m[i];
        size_t j = i;
        while (j > 0 && x.context && !r->m[j - 1].context) {
            r->m[j] = r->m[j - 1];
            j--;
        }
        r->m[j] = x;
    }
    free(lk->prev);
    lk->prev = all.p;
    lk->n_prev = all.n;
    return rc;
}

/* ---- entry points ------------------------------------------------------ */

static int lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len,
                      am_error *err);

static int gather(am_lookup *lk, const char *qn, size_t qnl, scored_list *l, size_t *n_cand,
                  am_error *err)
{
    cand *c = NULL;
    size_t nc = 0, nex = 0;
    int64_t ex[16];
    int rc = exact_ids(lk, qn, qnl, ex, 16, &nex, err);
    if (!rc && lk->qk.n_words)
        rc = find_candidates(lk, qn, &c, &nc, err);
    for (size_t i = 0; i < nex && !rc; i++)
        rc = score_variant(lk, ex[i], l, err);
    for (size_t i = 0; i < nc && !rc; i++)
        rc = score_variant(lk, c[i].id, l, err);
    *n_cand = nc + nex;
    free(c);
    return rc;
}

static int build_result(am_lookup *lk, am_matches *r, scored_list *l, const char *query,
                        size_t len, am_error *err)
{
    am_mt_pool *pl = calloc(1, sizeof *pl);
    r->priv = pl;
    r->m = calloc(l->n + 1, sizeof *r->m);
    if (!pl || !r->m)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    int rc = AM_OK;
    for (size_t i = 0; i < l->n && !rc; i++) {
        rc = fill_match(lk, &r->m[i], &l->s[i], query, len, pl, err);
        r->n = i + 1;
    }
    return rc ? rc : apply_context(lk, r, err);
}

/* One read transaction per lookup: without it every statement takes and
 * drops the file lock and revalidates the page cache (fcntl, fstat and
 * pread system calls by the hundred per lookup). */
int am_mt_read_begin(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        return 0; /* the caller's transaction */
    return sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void am_mt_read_end(sqlite3 *db, int began)
{
    if (began)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

int am_lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len, am_error *err)
{
    int began = am_mt_read_begin(lk->db);
    tcache_check(lk);
    int rc = lookup_run(out, lk, query, len, err);
    am_mt_read_end(lk->db, began);
    return rc;
}

static int lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len,
                      am_error *err)
{
    char *qn = NULL;
    size_t qnl = 0;
    scored_list l = {NULL, 0, 0};
    am_matches *r = calloc(1, sizeof *r);
    int rc = r ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
    *out = NULL;
    if (!rc)
        rc = am_normalize(&qn, &qnl, query, len, err);
    if (!rc)
        rc = am_mt_tokenize(&lk->qk, qn, qnl, AM_MT_KEYED, err);
    if (!rc)
        rc = am_mt_tokenize(&lk->qo, query, len, AM_MT_NORMALIZE, err);
    if (!rc)
        rc = gather(lk, qn, qnl, &l, &r->candidates, err);
    if (!rc)
        rc = full_scores(lk, query, len, &l, err);
    if (!rc)
        rc = build_result(lk, r, &l, query, len, err);
    scored_free(&l);
    free(qn);
    if (rc) {
        am_matches_free(r);
        return rc;
    }
    *out = r;
    return AM_OK;
}

int am_tm_lookup(am_matches **out, am_tm *tm, const char *query, size_t len,
                 const am_lookup_opts *opts, am_error *err)
{
    am_lookup *lk = NULL;
    *out = NULL;
    int rc = am_lookup_new(&lk, tm, opts, err);
    if (!rc)
        rc = am_lookup_run(out, lk, query, len, err);
    am_lookup_free(lk);
    return rc;
}
