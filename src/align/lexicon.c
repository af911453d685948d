/* lexicon.c - a bilingual lexicon learned from the input itself.
 *
 * After the second pass, the 1-1 beads of each version pair are read as a
 * small parallel corpus: words that keep occurring in the same beads are
 * linked when each is the other's best partner by the Dice coefficient
 * (Smadja et al. 1996; mutual best is the first step of Melamed's 2000
 * competitive linking) and they co-occur at least twice. A link becomes a
 * key of class AL_K_LEX on both sides, so the third pass weighs it like any
 * other anchor, with a weight estimated from how often links hit in true
 * and in random pairs. Hunalign's -realign rebuilds its dictionary from the
 * whole first alignment; taking only mutual-best links, and letting the
 * data decide their weight, keeps the noise of a bad first pass from
 * dominating the second.
 */
#include "align.h"

#include <stdlib.h>
#include <string.h>

/* Pair counts, open addressing. A key and its count share a slot (one
 * cache miss per count, not two: counting was a tenth of the run). */
typedef struct cslot {
    uint64_t k; /* UINT64_MAX: empty */
    uint32_t v;
} cslot;

typedef struct cmap {
    cslot *s;
    size_t cap, n;
} cmap;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static int cmap_grow(cmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 4096;
    cslot *s = malloc(cap * sizeof *s);
    if (!s)
        return AM_ENOMEM;
    for (size_t j = 0; j < cap; j++) {
        s[j].k = UINT64_MAX;
        s[j].v = 0;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->s[i].k == UINT64_MAX)
            continue;
        size_t j = mix(m->s[i].k) & (cap - 1);
        while (s[j].k != UINT64_MAX)
            j = (j + 1) & (cap - 1);
        s[j] = m->s[i];
    }
    free(m->s);
    m->s = s;
    m->cap = cap;
    return AM_OK;
}

static int cmap_add(cmap *m, uint64_t key)
{
    if ((m->n + 1) * 2 > m->cap && cmap_grow(m))
        return AM_ENOMEM;
    size_t j = mix(key) & (m->cap - 1);
    while (m->s[j].k != UINT64_MAX && m->s[j].k != key)
        j = (j + 1) & (m->cap - 1);
    if (m->s[j].k == UINT64_MAX) {
        m->s[j].k = key;
        m->n++;
    }
    m->s[j].v++;
    return AM_OK;
}

/* Which word ids of f are frequent enough to link but rare enough to
 * mean something (function words match everything, and cost quadratic
 * time)? out[x] = 1 for those. */
static void linkable_words(unsigned char *out, const al_feat *f)
{
    double cap = 0.01 * (double)f->n;
    if (cap < 4)
        cap = 4;
    for (uint32_t x = 0; x < f->n_word_ids; x++)
        out[x] = f->word_freq[x] >= 2 && f->word_freq[x] <= cap;
}

typedef struct links {
    uint32_t *best_w; /* per word of v: linked word of w, or UINT32_MAX */
    uint32_t *best_v; /* per word of w: linked word of v */
} links;

static void pick_best(links *L, const cmap *m, const uint32_t *cv, const uint32_t *cw,
                      double *dv, double *dw)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->s[i].k == UINT64_MAX || m->s[i].v < 2)
            continue;
        uint32_t x = (uint32_t)(m->s[i].k >> 32), y = (uint32_t)m->s[i].k;
        double dice = 2.0 * m->s[i].v / (cv[x] + cw[y]);
        if (dice > dv[x]) {
            dv[x] = dice;
            L->best_w[x] = y;
        }
        if (dice > dw[y]) {
            dw[y] = dice;
            L->best_v[y] = x;
        }
    }
}

/* Per sentence, the concept ids (word of v) of its linked words. */
static int lex_keys(uint32_t **off_out, uint32_t **keys_out, const al_feat *f, const uint32_t *map)
{
    uint32_t *off = calloc(f->n + 1, sizeof *off);
    uint32_t *keys = malloc((f->word_off[f->n] + 1) * sizeof *keys);
    if (!off || !keys) {
        free(off);
        free(keys);
        return AM_ENOMEM;
    }
    uint32_t n = 0;
    for (size_t s = 0; s < f->n; s++) {
        uint32_t first = n;
        for (uint32_t k = f->word_off[s]; k < f->word_off[s + 1]; k++) {
            uint32_t c = map[f->words[k]];
            if (c == UINT32_MAX)
                continue;
            uint32_t at = n++; /* insertion keeps the few keys sorted */
            while (at > first && keys[at - 1] > c) {
                keys[at] = keys[at - 1];
                at--;
            }
            keys[at] = c;
        }
        off[s + 1] = n;
    }
    *off_out = off;
    *keys_out = keys;
    return AM_OK;
}

/* Count the linkable words of the confident 1-1 beads (cv, cw) and their
 * pairs (m). The slots of a bead's pairs are prefetched before they are
 * counted: the table is far larger than the cache. */
static int count_beads(cmap *m, uint32_t *cv, uint32_t *cw, const al_ctx *c, size_t x, size_t y,
                       const al_path *path, const al_feat *fv, const al_feat *fw,
                       const unsigned char *lv, const unsigned char *lw)
{
    enum { MAXW = 128 };
    const al_seq *P = c->P, *Q = c->Q;
    uint32_t a[MAXW], b[MAXW];
    for (size_t k = 0; k < path->n; k++) {
        const al_bead *bd = &path->b[k];
        if (bd->p1 != bd->p0 + 1 || bd->q1 != bd->q0 + 1 || P->is_brk[bd->p0] || bd->conf < 0.5)
            continue;
        size_t sb = P->begin[bd->p0 * P->nv + x], se = P->end[bd->p0 * P->nv + x];
        size_t tb = Q->begin[bd->q0 * Q->nv + y], te = Q->end[bd->q0 * Q->nv + y];
        if (se != sb + 1 || te != tb + 1)
            continue;
        size_t na = 0, nb = 0;
        for (uint32_t i = fv->word_off[sb]; i < fv->word_off[se]; i++)
            if (lv[fv->words[i]]) {
                cv[fv->words[i]]++;
                if (na < MAXW)
                    a[na] = fv->words[i];
                na++;
            }
        for (uint32_t j = fw->word_off[tb]; j < fw->word_off[te]; j++)
            if (lw[fw->words[j]]) {
                cw[fw->words[j]]++;
                if (nb < MAXW)
                    b[nb] = fw->words[j];
                nb++;
            }
        if (na > MAXW || nb > MAXW) { /* an absurd sentence: the slow way */
            for (uint32_t i = fv->word_off[sb]; i < fv->word_off[se]; i++)
                for (uint32_t j = fw->word_off[tb]; j < fw->word_off[te]; j++)
                    if (lv[fv->words[i]] && lw[fw->words[j]] &&
                        cmap_add(m, ((uint64_t)fv->words[i] << 32) | fw->words[j]))
                        return AM_ENOMEM;
            continue;
        }
        if (m->cap)
            for (size_t i = 0; i < na; i++)
                for (size_t j = 0; j < nb; j++)
                    __builtin_prefetch(
                        &m->s[mix(((uint64_t)a[i] << 32) | b[j]) & (m->cap - 1)], 1);
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++)
                if (cmap_add(m, ((uint64_t)a[i] << 32) | b[j]))
                    return AM_ENOMEM;
    }
    return AM_OK;
}

static int learn_pair(al_ctx *c, size_t x, size_t y, const al_path *path)
{
    al_pair *pr = &c->pairs[x * c->Q->nv + y];
    const al_feat *fv = &c->feat[pr->v], *fw = &c->feat[pr->w];
    size_t nv = fv->n_word_ids + 1, nw = fw->n_word_ids + 1;
    cmap m = {0};
    links L = {0};
    uint32_t *cv = calloc(nv, sizeof *cv), *cw = calloc(nw, sizeof *cw);
    uint32_t *map_v = malloc(nv * sizeof *map_v), *map_w = malloc(nw * sizeof *map_w);
    double *dv = calloc(nv, sizeof *dv), *dw = calloc(nw, sizeof *dw);
    unsigned char *lv = malloc(nv), *lw = malloc(nw);
    L.best_w = malloc(nv * sizeof *L.best_w);
    L.best_v = malloc(nw * sizeof *L.best_v);
    int rc = AM_ENOMEM;
    if (!cv || !cw || !map_v || !map_w || !dv || !dw || !lv || !lw || !L.best_w || !L.best_v)
        goto cleanup;
    linkable_words(lv, fv);
    linkable_words(lw, fw);
    memset(L.best_w, 0xff, nv * sizeof *L.best_w);
    memset(L.best_v, 0xff, nw * sizeof *L.best_v);
    memset(map_v, 0xff, nv * sizeof *map_v);
    memset(map_w, 0xff, nw * sizeof *map_w);
    if (count_beads(&m, cv, cw, c, x, y, path, fv, fw, lv, lw))
        goto cleanup;
    pick_best(&L, &m, cv, cw, dv, dw);
    for (uint32_t a = 0; a < fv->n_word_ids; a++) {
        uint32_t b = L.best_w[a];
        if (b != UINT32_MAX && L.best_v[b] == a && dv[a] >= 0.3) {
            map_v[a] = a;
            map_w[b] = a;
        }
    }
    al_pair_free(pr);
    if (lex_keys(&pr->lex_off_v, &pr->lex_v, fv, map_v) ||
        lex_keys(&pr->lex_off_w, &pr->lex_w, fw, map_w)) {
        al_pair_free(pr);
        goto cleanup;
    }
    rc = AM_OK;
cleanup:
    free(m.s);
    free(lv);
    free(lw);
    free(cv);
    free(cw);
    free(map_v);
    free(map_w);
    free(dv);
    free(dw);
    free(L.best_w);
    free(L.best_v);
    return rc;
}

int al_lexicon_learn(al_ctx *c, const al_path *path, am_error *err)
{
    for (size_t x = 0; x < c->P->nv; x++)
        for (size_t y = 0; y < c->Q->nv; y++)
            if (learn_pair(c, x, y, path))
                return am_error_set(err, AM_ENOMEM, "out of memory learning the lexicon");
    return AM_OK;
}
