/* lookup.c - fuzzy lookup of a segment in the memory: the session and the
 * scoring of candidates (lookup.h lists the files of the pipeline).
 *
 * A lookup finds the exact matches by their key hash, takes the
 * candidates from the FTS5 index (lookup_candidates.c), scores each
 * exactly with a banded token distance from its stored key, and computes
 * the full score (penalties, character similarity) only for as many as
 * decide the top matches (lookup_result.c builds what is handed back).
 *
 * Every statement runs once per term, or per row looked up by primary key:
 * no FTS MATCH inside a join, which is what made translate-toolkit's
 * lookup re-run the full-text query per row.
 *
 * Speed (scripts/bench/lookup.sh, 1M units): a session (am_lookup_new ..
 * am_lookup_free, what `lookup -` runs) keeps its statements, buffers and
 * term cache from one segment to the next; each lookup runs in one read
 * transaction; rows come through a bounded page cache instead of a memory
 * map (lookup_cache_size). */
#include "lookup.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if ((rc = am_lk_postings_prepare(lk, err)) ||
        (rc = prep(lk, &lk->var,
                   "SELECT lang, key, unit, markup IS NOT NULL FROM variants WHERE id = ?1",
                   err)) ||
        (rc = prep(lk, &lk->text, "SELECT text FROM variants WHERE id = ?1", err)) ||
        (rc = prep(lk, &lk->unit,
                   "SELECT u.document, u.position, d.title FROM units u"
                   " LEFT JOIN documents d ON d.id = u.document WHERE u.id = ?1",
                   err)) ||
        (rc = prep(lk, &lk->vars,
                   "SELECT id, lang, text, markup FROM variants WHERE unit = ?1 ORDER BY id",
                   err)) ||
        (rc = prep(lk, &lk->src, "SELECT document, position FROM sources WHERE unit = ?1", err)) ||
        (rc = prep(lk, &lk->exact, "SELECT id FROM variants WHERE khash = ?1 AND key = ?2", err)))
        return rc;
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
    /* Every candidate am_lk_scored is a row fetched from anywhere in the file:
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
    am_lk_tcache_free(&lk->cache);
    free(lk);
}

/* ---- scoring -------------------------------------------------------- */

static void scored_free(am_lk_scored_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i].text);
    free(l->s);
}

static int scored_push(am_lk_scored_list *l, const am_lk_scored *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        am_lk_scored *p = realloc(l->s, cap * sizeof *p);
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
static int score_variant(am_lookup *lk, int64_t id, am_lk_scored_list *l, am_error *err)
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
    am_lk_scored x;
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
    const am_lk_scored *x = a, *y = b;
    if (x->base != y->base)
        return x->base > y->base ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int cmp_final(const void *a, const void *b)
{
    const am_lk_scored *x = a, *y = b;
    if (x->fz.score != y->fz.score)
        return x->fz.score > y->fz.score ? -1 : 1;
    if (x->fz.chars != y->fz.chars)
        return x->fz.chars > y->fz.chars ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* One variant per unit: a unit stored with "uk" and "uk-UA" counts once. */
static void dedupe_units(am_lk_scored_list *l)
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
static int full_scores(am_lookup *lk, const char *query, size_t qlen, am_lk_scored_list *l,
                       am_error *err)
{
    size_t max = lk->o.max_matches, kept = 0;
    double *top = calloc(max, sizeof *top); /* kept scores, descending */
    int rc = top ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
    if (l->n)
        qsort(l->s, l->n, sizeof *l->s, cmp_base);
    dedupe_units(l);
    for (size_t i = 0; i < l->n && !rc; i++) {
        am_lk_scored *x = &l->s[i];
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

/* ---- entry points ------------------------------------------------------ */

static int lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len,
                      am_error *err);

static int gather(am_lookup *lk, const char *qn, size_t qnl, am_lk_scored_list *l, size_t *n_cand,
                  am_error *err)
{
    am_lk_cand *c = NULL;
    size_t nc = 0, nex = 0;
    int64_t ex[16];
    int rc = exact_ids(lk, qn, qnl, ex, 16, &nex, err);
    if (!rc && lk->qk.n_words)
        rc = am_lk_find_candidates(&c, &nc, lk, qn, err);
    for (size_t i = 0; i < nex && !rc; i++)
        rc = score_variant(lk, ex[i], l, err);
    for (size_t i = 0; i < nc && !rc; i++)
        rc = score_variant(lk, c[i].id, l, err);
    *n_cand = nc + nex;
    free(c);
    return rc;
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
    am_lk_tcache_check(lk);
    int rc = lookup_run(out, lk, query, len, err);
    am_mt_read_end(lk->db, began);
    return rc;
}

static int lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len,
                      am_error *err)
{
    char *qn = NULL;
    size_t qnl = 0;
    am_lk_scored_list l = {NULL, 0, 0};
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
        rc = am_lk_build_result(r, lk, &l, query, len, err);
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
