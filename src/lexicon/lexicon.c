/* lexicon.c - word associations between two languages, as counts.
 *
 * A lexicon counts, over aligned units (a sentence and its translation),
 * the units that hold each stem (stem.c) of either side and the units
 * that hold both stems of each (a, b) pair. Counts, not scores, are kept,
 * so a store can add the counts of new units to old ones and the scores
 * stay exact: incremental learning is addition.
 *
 * The association score is the Dice coefficient (Smadja, McKeown &
 * Hatzivassiloglou 1996, "Translating collocations for bilingual
 * lexicons", Computational Linguistics 22(1)):
 *     dice(a, b) = 2 both(a, b) / (units(a) + units(b)),
 * in (0, 1], 1 when a and b always occur together. Dunning's (1993,
 * "Accurate methods for the statistics of surprise and coincidence")
 * log-likelihood ratio, measured against it for choosing the links the
 * aligner uses, gave the same F1 within 0.002 (src/align/memlex.c); Dice
 * is what a terminologist reads easily: 0.8 = "together in 80 % of the
 * units either is in".
 *
 * Cost: counting a unit with s and t distinct stems is s + t dictionary
 * look-ups and s t pair increments in hash maps, so time and memory grow
 * with the vocabulary and the pairs actually seen, never with V^2. A unit
 * with more than LX_PAIR_STEMS stems on a side is not a sentence but a
 * paragraph or a list: its words are counted, its pairs (which would be
 * mostly noise and quadratic in its length) are not.
 */
#include "lexicon/lexicon.h"

#include "lang/lang.h"

#include <stdlib.h>
#include <string.h>

#define LX_PAIR_STEMS 80
/* Stems pair only when their relative places in the two sentences (0 at
 * the start, 1 at the end) differ by at most LX_WINDOW, or their places
 * (the n-th distinct stem) by at most LX_SLACK: translations keep the
 * order of their words roughly, and the pairs far off the diagonal are
 * mostly chance (the same idea as the diagonal prior of fast_align, Dyer
 * et al. 2013). Short sentences pair everything. On align-ntrex a window
 * of 0.2, 0.3 or 0.5 gave the same F1 within 0.003 (scripts/bench/
 * align_online.sh); 0.2 counts 24 % fewer pairs than 0.3, 20 % faster. */
#ifndef LX_WINDOW /* a tuning build may set it */
#define LX_WINDOW 0.2
#endif
#define LX_SLACK 2

double lx_assoc(uint64_t both, uint64_t ua, uint64_t ub, uint64_t n)
{
    (void)n;
    if (ua < both)
        ua = both; /* a store may hold a pair without its words' counts */
    if (ub < both)
        ub = both;
    if (!both)
        return 0;
    return 2.0 * (double)both / ((double)ua + (double)ub);
}

int am_lexicon_new(am_lexicon **out, const char *lang_a, const char *lang_b, am_error *err)
{
    if (!out)
        return am_error_set(err, AM_EARG, "am_lexicon_new: NULL argument");
    *out = NULL;
    const char *code[2] = {lang_a, lang_b};
    am_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (int s = 0; s < 2; s++) {
        int rc = AM_EARG;
        if (code[s])
            rc = am_lang_canonical(lx->lang[s], sizeof lx->lang[s], code[s]);
        if (rc) {
            free(lx);
            return am_error_set(err, AM_EARG, "not a language code: '%s'",
                                code[s] ? code[s] : "(null)");
        }
        rc = am_lang_get(&lx->tbl[s], lx->lang[s], err);
        if (rc) {
            free(lx);
            return rc;
        }
    }
    *out = lx;
    return AM_OK;
}

void am_lexicon_free(am_lexicon *lx)
{
    if (!lx)
        return;
    for (int s = 0; s < 2; s++) {
        lx_dict_free(&lx->side[s].dict);
        free(lx->side[s].units);
        free(lx->side[s].wanted);
        free(lx->side[s].stamp);
        free(lx->ids[s]);
    }
    free(lx->pos[0]);
    free(lx->pos[1]);
    free(lx->keys);
    lx_pairs_free(&lx->pairs);
    for (int s = 0; s < 2; s++) {
        free(lx->adj.off[s]);
        free(lx->adj.partner[s]);
        free(lx->adj.both[s]);
    }
    free(lx);
}

const char *am_lexicon_lang(const am_lexicon *lx, int side)
{
    return lx && (side == 0 || side == 1) ? lx->lang[side] : NULL;
}

uint64_t am_lexicon_units(const am_lexicon *lx)
{
    return lx ? lx->units : 0;
}

/* The id of a stem on a side, with room for its counts. */
static int side_intern(lx_side *sd, const char *stem, size_t len, uint32_t *id)
{
    int rc = lx_dict_intern(&sd->dict, stem, len, id);
    if (rc)
        return rc;
    if (sd->dict.n > sd->cap) {
        size_t cap = sd->cap ? sd->cap * 2 : 1024;
        uint64_t *u = realloc(sd->units, cap * sizeof *u);
        if (!u)
            return AM_ENOMEM;
        sd->units = u;
        unsigned char *w = realloc(sd->wanted, cap);
        if (!w)
            return AM_ENOMEM;
        sd->wanted = w;
        uint64_t *st = realloc(sd->stamp, cap * sizeof *st);
        if (!st)
            return AM_ENOMEM;
        sd->stamp = st;
        memset(sd->units + sd->cap, 0, (cap - sd->cap) * sizeof *u);
        memset(sd->wanted + sd->cap, 0, cap - sd->cap);
        memset(sd->stamp + sd->cap, 0, (cap - sd->cap) * sizeof *st);
        sd->cap = cap;
    }
    return AM_OK;
}

static int check_side(const am_lexicon *lx, int side, am_error *err)
{
    if (!lx)
        return am_error_set(err, AM_EARG, "NULL lexicon");
    if (side != 0 && side != 1)
        return am_error_set(err, AM_EARG, "lexicon side must be 0 or 1, got %d", side);
    return AM_OK;
}

/* ---- counting ---- */

typedef struct collect {
    am_lexicon *lx;
    int side;
    size_t n;
    int rc;
} collect;

static int collect_stem(const char *stem, size_t len, void *ctx)
{
    collect *c = ctx;
    am_lexicon *lx = c->lx;
    uint32_t id;
    if (c->n == lx->ids_cap[c->side]) {
        size_t cap = c->n ? c->n * 2 : 64;
        uint32_t *a = realloc(lx->ids[c->side], cap * sizeof *a);
        if (!a)
            return c->rc = AM_ENOMEM;
        lx->ids[c->side] = a;
        lx->ids_cap[c->side] = cap;
    }
    if ((c->rc = side_intern(&lx->side[c->side], stem, len, &id)) != 0)
        return c->rc;
    lx->ids[c->side][c->n++] = id;
    return 0;
}

/* The stem ids of one side's text, in order, into lx->ids[side]. */
static int side_ids(size_t *n_out, am_lexicon *lx, int side, const char *s, size_t n, int is_key,
                    am_error *err)
{
    char *key = NULL;
    size_t kn = n;
    if (!is_key) {
        int rc = lx_key(&key, &kn, s, n, err);
        if (rc)
            return rc;
    }
    collect c = {lx, side, 0, 0};
    lx_scan_stems(key ? key : s, kn, lx_stem_len(lx->tbl[side]), collect_stem, &c);
    free(key);
    if (c.rc)
        return am_error_set(err, c.rc, "out of memory counting the lexicon");
    *n_out = c.n;
    return AM_OK;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return AM_OK;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return AM_ENOMEM;
    *p = q;
    *cap = c;
    return AM_OK;
}

/* Keep the first occurrence of each stem of a side in lx->ids[side], with
 * its relative place in the sentence in lx->pos[side], and add weight to
 * its units; returns the number of distinct stems. */
static size_t count_words(am_lexicon *lx, int side, size_t n, unsigned weight)
{
    lx_side *sd = &lx->side[side];
    uint32_t *ids = lx->ids[side];
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        if (sd->stamp[id] == lx->serial)
            continue;
        sd->stamp[id] = lx->serial;
        sd->units[id] += weight;
        lx->pos[side][u] = (i + 0.5) / (double)n;
        ids[u++] = id;
    }
    return u;
}

/* The pairs of a unit: distinct stems at similar relative places
 * (LX_WINDOW), the frequent ones left out. */
static int count_pairs(am_lexicon *lx, size_t na, size_t nb, unsigned weight)
{
    const uint32_t *ia = lx->ids[0], *ib = lx->ids[1];
    const double *pa = lx->pos[0], *pb = lx->pos[1];
    size_t k = 0;
    if (grow((void **)&lx->keys, &lx->keys_cap, na * nb + 1, sizeof *lx->keys))
        return AM_ENOMEM;
    for (size_t i = 0; i < na; i++) {
        if (lx_frequent(lx, 0, ia[i]))
            continue;
        uint64_t hi = (uint64_t)ia[i] << 32;
        for (size_t j = 0; j < nb; j++) {
            double d = pa[i] - pb[j];
            int near =
                (d <= LX_WINDOW && d >= -LX_WINDOW) || (i <= j + LX_SLACK && j <= i + LX_SLACK);
            if (near && !lx_frequent(lx, 1, ib[j]))
                lx->keys[k++] = hi | ib[j];
        }
    }
    return lx_pairs_add_many(&lx->pairs, lx->keys, k, weight);
}

int am_lexicon_count(am_lexicon *lx, const char *a, size_t na, const char *b, size_t nb, int is_key,
                     unsigned weight, am_error *err)
{
    size_t n[2];
    if (!lx || (!a && na) || (!b && nb))
        return am_error_set(err, AM_EARG, "am_lexicon_count: NULL argument");
    int rc = side_ids(&n[0], lx, 0, a ? a : "", na, is_key, err);
    if (!rc)
        rc = side_ids(&n[1], lx, 1, b ? b : "", nb, is_key, err);
    if (rc || !weight)
        return rc;
    for (int s = 0; s < 2; s++)
        if (grow((void **)&lx->pos[s], &lx->pos_cap[s], n[s] + 1, sizeof *lx->pos[s]))
            return am_error_set(err, AM_ENOMEM, "out of memory counting the lexicon");
    lx->units += weight;
    lx->serial++;
    lx->changes++;
    size_t u0 = count_words(lx, 0, n[0], weight), u1 = count_words(lx, 1, n[1], weight);
    if (u0 > LX_PAIR_STEMS || u1 > LX_PAIR_STEMS)
        return AM_OK;
    if (count_pairs(lx, u0, u1, weight))
        return am_error_set(err, AM_ENOMEM, "out of memory counting the lexicon");
    return AM_OK;
}

/* ---- raw counts ---- */

int am_lexicon_add_units(am_lexicon *lx, uint64_t n, am_error *err)
{
    if (!lx)
        return am_error_set(err, AM_EARG, "NULL lexicon");
    lx->units += n;
    return AM_OK;
}

int am_lexicon_add_word(am_lexicon *lx, int side, const char *stem, uint64_t units, am_error *err)
{
    uint32_t id;
    int rc = check_side(lx, side, err);
    if (rc)
        return rc;
    if (!stem || !*stem)
        return am_error_set(err, AM_EARG, "empty stem");
    rc = side_intern(&lx->side[side], stem, strlen(stem), &id);
    if (rc)
        return am_error_set(err, rc, "out of memory loading the lexicon");
    lx->side[side].units[id] += units;
    return AM_OK;
}

int am_lexicon_add_pair(am_lexicon *lx, const char *stem_a, const char *stem_b, uint64_t units,
                        am_error *err)
{
    uint32_t ia, ib;
    if (!lx)
        return am_error_set(err, AM_EARG, "NULL lexicon");
    if (!stem_a || !*stem_a || !stem_b || !*stem_b)
        return am_error_set(err, AM_EARG, "empty stem");
    int rc = side_intern(&lx->side[0], stem_a, strlen(stem_a), &ia);
    if (!rc)
        rc = side_intern(&lx->side[1], stem_b, strlen(stem_b), &ib);
    if (!rc)
        rc = lx_pairs_add(&lx->pairs, (uint64_t)ia << 32 | ib, units);
    lx->changes++;
    return rc ? am_error_set(err, rc, "out of memory loading the lexicon") : AM_OK;
}

int am_lexicon_foreach_word(const am_lexicon *lx,
                            int (*cb)(int side, const char *stem, uint64_t units, void *ctx),
                            void *ctx)
{
    if (!lx || !cb)
        return AM_EARG;
    for (int s = 0; s < 2; s++) {
        const lx_side *sd = &lx->side[s];
        for (uint32_t id = 0; id < sd->dict.n; id++) {
            if (!sd->units[id])
                continue;
            int rc = cb(s, lx_dict_str(&sd->dict, id), sd->units[id], ctx);
            if (rc)
                return rc;
        }
    }
    return AM_OK;
}

int am_lexicon_foreach_pair(const am_lexicon *lx,
                            int (*cb)(const char *a, const char *b, uint64_t units, void *ctx),
                            void *ctx)
{
    if (!lx || !cb)
        return AM_EARG;
    const lx_pairs *m = &lx->pairs;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].key == UINT64_MAX || !m->slot[i].val)
            continue;
        uint32_t a = (uint32_t)(m->slot[i].key >> 32), b = (uint32_t)m->slot[i].key;
        int rc = cb(lx_dict_str(&lx->side[0].dict, a), lx_dict_str(&lx->side[1].dict, b),
                    m->slot[i].val, ctx);
        if (rc)
            return rc;
    }
    return AM_OK;
}

void am_lexicon_clear(am_lexicon *lx)
{
    if (!lx)
        return;
    lx->units = 0;
    for (int s = 0; s < 2; s++)
        if (lx->side[s].units)
            memset(lx->side[s].units, 0, lx->side[s].cap * sizeof *lx->side[s].units);
    lx_pairs_free(&lx->pairs);
    lx->changes++;
}

/* ---- the vocabulary of interest ---- */

typedef struct want_ctx {
    lx_side *sd;
    int rc;
} want_ctx;

static int want_stem(const char *stem, size_t len, void *ctx)
{
    want_ctx *w = ctx;
    uint32_t id;
    if ((w->rc = side_intern(w->sd, stem, len, &id)) != 0)
        return w->rc;
    w->sd->wanted[id] = 1;
    return 0;
}

int am_lexicon_want(am_lexicon *lx, int side, const char *s, size_t n, am_error *err)
{
    int rc = check_side(lx, side, err);
    if (rc)
        return rc;
    if (!s && n)
        return am_error_set(err, AM_EARG, "am_lexicon_want: NULL text");
    want_ctx w = {&lx->side[side], 0};
    /* Not am_stems: wanting a stem twice is harmless, and its dictionary
     * of the stems seen cost as much as this one. */
    char *key = NULL;
    size_t kn = 0;
    if ((rc = lx_key(&key, &kn, s ? s : "", n, err)))
        return rc;
    lx_scan_stems(key, kn, lx_stem_len(lx->tbl[side]), want_stem, &w);
    free(key);
    if (w.rc)
        return am_error_set(err, w.rc, "out of memory");
    return AM_OK;
}

int am_lexicon_foreach_wanted(const am_lexicon *lx, int side,
                              int (*cb)(const char *stem, void *ctx), void *ctx)
{
    if (!lx || !cb || (side != 0 && side != 1))
        return AM_EARG;
    const lx_side *sd = &lx->side[side];
    for (uint32_t id = 0; id < sd->dict.n; id++) {
        if (!sd->wanted[id])
            continue;
        int rc = cb(lx_dict_str(&sd->dict, id), ctx);
        if (rc)
            return rc;
    }
    return AM_OK;
}

int am_lexicon_is_wanted(const am_lexicon *lx, int side, const char *stem)
{
    if (!lx || !stem || (side != 0 && side != 1))
        return 0;
    uint32_t id = lx_dict_find(&lx->side[side].dict, stem, strlen(stem));
    return id != LX_NONE && lx->side[side].wanted[id];
}

/* ---- the pairs by stem ---- */

static void adj_free(lx_adj *a)
{
    for (int s = 0; s < 2; s++) {
        free(a->off[s]);
        free(a->partner[s]);
        free(a->both[s]);
    }
    memset(a, 0, sizeof *a);
}

static int adj_build(lx_adj *a, const am_lexicon *lx)
{
    const lx_pairs *m = &lx->pairs;
    for (int s = 0; s < 2; s++) {
        size_t n = lx->side[s].dict.n;
        a->n_ids[s] = n;
        a->off[s] = calloc(n + 2, sizeof *a->off[s]);
        a->partner[s] = malloc((m->n + 1) * sizeof *a->partner[s]);
        a->both[s] = malloc((m->n + 1) * sizeof *a->both[s]);
        if (!a->off[s] || !a->partner[s] || !a->both[s])
            return AM_ENOMEM;
    }
    /* Counting sort by stem: degrees, prefix sums, then the partners. */
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].key == UINT64_MAX)
            continue;
        a->off[0][(m->slot[i].key >> 32) + 2]++;
        a->off[1][(uint32_t)m->slot[i].key + 2]++;
    }
    for (int s = 0; s < 2; s++)
        for (size_t id = 0; id < a->n_ids[s]; id++)
            a->off[s][id + 2] += a->off[s][id + 1];
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].key == UINT64_MAX)
            continue;
        uint32_t x = (uint32_t)(m->slot[i].key >> 32), y = (uint32_t)m->slot[i].key;
        uint32_t at = a->off[0][x + 1]++;
        a->partner[0][at] = y;
        a->both[0][at] = m->slot[i].val;
        at = a->off[1][y + 1]++;
        a->partner[1][at] = x;
        a->both[1][at] = m->slot[i].val;
    }
    return AM_OK;
}

int lx_index(const am_lexicon *clx, const lx_adj **out)
{
    am_lexicon *lx = (am_lexicon *)clx; /* the index is a cache */
    if (!lx->adj_built || lx->adj_changes != lx->changes) {
        adj_free(&lx->adj);
        lx->adj_built = 0;
        if (adj_build(&lx->adj, lx)) {
            adj_free(&lx->adj);
            return AM_ENOMEM;
        }
        lx->adj_built = 1;
        lx->adj_changes = lx->changes;
    }
    *out = &lx->adj;
    return AM_OK;
}
