/* lookup_postings.c - the postings of one term, for the fuzzy lookup
 * (lookup_candidates.c asks; see lookup.h for the whole pipeline).
 *
 * Reading postings is most of a lookup's time on a large memory, hence
 * the two devices of this file (scripts/bench/lookup.sh, 1M units):
 * - postings are read by an FTS5 auxiliary function, am_postings: its
 *   xQueryPhrase hands each rowid to C, no statement step per posting;
 * - a session (am_lookup_new .. am_lookup_free, what `lookup -` runs)
 *   caches the postings and the frequent/rare verdict of the terms it has
 *   read, so a term met again costs a hash lookup. Fresh memory and first
 *   touches of pages are what cost most on the virtual machines measured
 *   (a page fault ~17-40 us of CPU): the cache lives in huge pages.
 * The cache only replays what the statement would return, so the matches
 * of a lookup do not depend on what the session looked up before. */
#include "lookup.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Postings kept by a session's term cache at most (4 bytes each: 64 MB),
 * and terms known (their keys: a few dozen MB at most). */
#define CACHE_POSTINGS (16u << 20)
#define CACHE_TERMS (1u << 20)

/* The term cache of a session (a batch lookup, `lookup -`): query terms
 * recur from one segment to the next, and reading postings row by row is
 * most of a lookup's time. A term known to be frequent (AM_LK_PROBE postings or
 * more) is not probed again; postings read in full are kept (up to
 * CACHE_POSTINGS, then all are dropped and the cache fills again). The
 * cache only replays what the same statement would return, so a lookup
 * gives the same matches whatever came before it; a write to the memory
 * (PRAGMA data_version for other connections, sqlite3_total_changes64 for
 * this one) empties it. */
struct am_lk_tcache_ent {
    char *key;        /* NULL: an empty slot */
    size_t len;
    uint64_t hash;
    int frequent;     /* AM_LK_PROBE postings or more */
    int complete;     /* post holds every posting (else the first n_post) */
    uint32_t *post;   /* variant ids (a term with a larger one is not kept) */
    size_t n_post;
};

/* Kept postings live in chunks of memory of their own, mapped with
 * transparent huge pages where the system allows it: the cache grows to
 * tens of MB in a batch, and each fresh 4 KB page of a malloc heap costs
 * a page fault when first written (~17 us of CPU on the virtual machines
 * measured, 10,000 of them in the benchmark's batch); a huge page is one
 * fault for 2 MB. The chunks are let go all at once when the cache is
 * emptied. */
#define CHUNK_BYTES ((size_t)32 << 20)

struct am_lk_tchunk {
    struct am_lk_tchunk *next;
    size_t used, size; /* bytes, this header included */
};

/* ---- the term cache ---------------------------------------------------- */

static uint32_t *chunk_alloc(am_lk_tcache *c, size_t n)
{
    size_t bytes = (n ? n : 1) * sizeof(uint32_t), head = sizeof(am_lk_tchunk);
    am_lk_tchunk *k = c->chunks;
    if (!k || k->used + bytes > k->size) {
        size_t size = head + bytes > CHUNK_BYTES ? head + bytes : CHUNK_BYTES;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
#ifdef MADV_HUGEPAGE
        madvise(p, size, MADV_HUGEPAGE); /* a hint: without it, 4 KB pages */
#endif
        k = p;
        *k = (am_lk_tchunk){c->chunks, head, size};
        c->chunks = k;
    }
    uint32_t *r = (uint32_t *)((char *)k + k->used);
    k->used += (bytes + 7) & ~(size_t)7;
    return r;
}

static void chunks_free(am_lk_tcache *c)
{
    while (c->chunks) {
        am_lk_tchunk *k = c->chunks;
        c->chunks = k->next;
        munmap(k, k->size);
    }
}

/* Drop every kept posting; with all, the frequent marks too. */
static void tcache_clear(am_lk_tcache *c, int all)
{
    chunks_free(c);
    for (size_t i = 0; i < c->cap; i++) {
        am_lk_tcache_ent *e = &c->e[i];
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

static am_lk_tcache_ent *tcache_find(const am_lk_tcache *c, const char *s, size_t n, uint64_t h)
{
    if (!c->cap)
        return NULL;
    for (size_t i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        am_lk_tcache_ent *e = &c->e[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && e->len == n && !memcmp(e->key, s, n))
            return e;
    }
}

static int tcache_grow(am_lk_tcache *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    am_lk_tcache_ent *e = calloc(cap, sizeof *e);
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
static am_lk_tcache_ent *tcache_get(am_lk_tcache *c, const char *s, size_t n)
{
    uint64_t h = term_hash(s, n);
    am_lk_tcache_ent *e = tcache_find(c, s, n, h);
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
static void tcache_keep(am_lk_tcache *c, am_lk_tcache_ent *e, const int64_t *p, size_t n,
                        int complete)
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

void am_lk_tcache_check(am_lookup *lk)
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

void am_lk_tcache_free(am_lk_tcache *c)
{
    tcache_clear(c, 1);
    free(c->e);
}

/* ---- reading postings ------------------------------------------------ */

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

static int prep(am_lookup *lk, sqlite3_stmt **st, const char *sql, am_error *err)
{
    int rc = sqlite3_prepare_v3(lk->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, lk->db, rc, "cannot prepare a lookup");
}

int am_lk_postings_prepare(am_lookup *lk, am_error *err)
{
    int rc;
    if ((rc = prep(lk, &lk->post,
                   "SELECT rowid FROM variants_fts WHERE variants_fts MATCH ?1"
                   " ORDER BY rowid LIMIT ?2",
                   err)) ||
        (rc = prep(lk, &lk->dver, "PRAGMA data_version", err)))
        return rc;
    lk->cache.data_version = -1;
    prepare_aux(lk);
    return AM_OK;
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
 * what the statement would have returned. With cap == AM_LK_PROBE, a term known
 * to be frequent gets *got = AM_LK_PROBE and nothing on pbuf: a probe's
 * postings only serve rare terms (frequent ones are read again in full
 * when chosen). */
int am_lk_read_postings(size_t *got, am_lookup *lk, const char *s, size_t n, long long cap,
                        am_error *err)
{
    am_lk_tcache_ent *e = tcache_get(&lk->cache, s, n);
    size_t start = lk->pbuf_n;
    *got = 0;
    if (e && cap == AM_LK_PROBE && e->frequent) {
        *got = AM_LK_PROBE;
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
    if (*got >= (size_t)AM_LK_PROBE)
        e->frequent = 1;
    if (cap == AM_LK_PROBE && *got >= (size_t)AM_LK_PROBE) {
        lk->pbuf_n = start; /* not needed: see above */
        return AM_OK;
    }
    tcache_keep(&lk->cache, e, lk->pbuf + start, *got, *got < (size_t)cap);
    return AM_OK;
}
