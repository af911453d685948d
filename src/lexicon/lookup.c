/* lookup.c - the learned renderings of one word: the terminologist's view
 * of a lexicon (alignmem lexicon WORD). A linear scan of the pairs: one
 * query, no index to keep up to date. */
#include "lexicon/lexicon.h"

#include <stdlib.h>
#include <string.h>

typedef struct first_ctx {
    char buf[256];
    size_t len;
} first_ctx;

static int first_stem(const char *stem, size_t len, void *ctx)
{
    first_ctx *f = ctx;
    f->len = len < sizeof f->buf ? len : sizeof f->buf - 1;
    memcpy(f->buf, stem, f->len);
    f->buf[f->len] = '\0';
    return 1; /* the first is enough */
}

static int cmp_match(const void *x, const void *y)
{
    const am_lexicon_match *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->both != b->both)
        return a->both > b->both ? -1 : 1;
    return strcmp(a->stem, b->stem);
}

void am_lexicon_matches_free(am_lexicon_match *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++)
        free(m[i].stem);
    free(m);
}

/* All partners of id on side into *out (stems not yet copied). */
static int gather(am_lexicon_match **out, size_t *n_out, const am_lexicon *lx, int side,
                  uint32_t id)
{
    const lx_pairs *m = &lx->pairs;
    const lx_side *me = &lx->side[side], *other = &lx->side[1 - side];
    size_t n = 0, cap = 0;
    am_lexicon_match *a = NULL;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].key == UINT64_MAX || !m->slot[i].val)
            continue;
        uint32_t ia = (uint32_t)(m->slot[i].key >> 32), ib = (uint32_t)m->slot[i].key;
        if ((side == 0 ? ia : ib) != id)
            continue;
        uint32_t o = side == 0 ? ib : ia;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            am_lexicon_match *g = realloc(a, cap * sizeof *g);
            if (!g) {
                free(a);
                return AM_ENOMEM;
            }
            a = g;
        }
        a[n].stem = (char *)lx_dict_str(&other->dict, o); /* borrowed until copied */
        a[n].both = m->slot[i].val;
        a[n].units = other->units[o] > m->slot[i].val ? other->units[o] : m->slot[i].val;
        a[n].score = lx_assoc(m->slot[i].val, me->units[id], other->units[o], lx->units);
        n++;
    }
    *out = a;
    *n_out = n;
    return AM_OK;
}

int am_lexicon_lookup(am_lexicon_match **out, size_t *n_out, const am_lexicon *lx, int side,
                      const char *word, size_t max, am_error *err)
{
    if (!out || !n_out || !lx || !word)
        return am_error_set(err, AM_EARG, "am_lexicon_lookup: NULL argument");
    if (side != 0 && side != 1)
        return am_error_set(err, AM_EARG, "lexicon side must be 0 or 1, got %d", side);
    *out = NULL;
    *n_out = 0;
    first_ctx f = {.len = 0};
    int rc = am_stems(lx->tbl[side], word, strlen(word), 0, first_stem, &f, err);
    if (rc < 0)
        return rc;
    uint32_t id = f.len ? lx_dict_find(&lx->side[side].dict, f.buf, f.len) : LX_NONE;
    if (id == LX_NONE)
        return AM_OK; /* no stem, or never seen: no renderings */
    am_lexicon_match *a = NULL;
    size_t n = 0;
    if (gather(&a, &n, lx, side, id))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (!n)
        return AM_OK; /* a word whose pairs were all cleared */
    qsort(a, n, sizeof *a, cmp_match);
    if (max && n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        a[i].stem = strdup(a[i].stem);
        if (!a[i].stem) {
            am_lexicon_matches_free(a, i);
            return am_error_set(err, AM_ENOMEM, "out of memory");
        }
    }
    *out = a;
    *n_out = n;
    return AM_OK;
}
