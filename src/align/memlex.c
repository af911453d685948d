/* memlex.c - what the memory knows: lexicons learned from earlier aligned
 * units (am_align_opts.lexicons) as anchor keys of class AL_K_MEM.
 *
 * For a version pair whose languages match a lexicon (primary subtags,
 * either order), every stem of the two documents is looked up, and the
 * pairs of stems present in both documents are candidate links with their
 * association score (lx_assoc: Dice). Links are chosen by competitive
 * linking (Melamed 2000, "Models of translational equivalence"): best
 * score first, each stem in at most MEM_PARTNERS links, only links of
 * score >= MEM_MIN_SCORE seen together in >= MEM_MIN_BOTH units, and no
 * function words (stems of more than MEM_MAX_FREQ of the units, or of
 * more than MEM_DOC_FREQ of the document's sentences). Linked stems form
 * concepts (connected components), and each sentence gets the ids of the
 * concepts of its stems as keys. How much a shared concept is worth is not
 * set here: the weights of the class are estimated from the document like
 * those of the other classes (score.c), so a lexicon that does not tell
 * true pairs from random ones on this document weighs nothing, and one
 * that does adds evidence beside length and the other anchors, never over
 * them (a lexicon learned from misaligned lines leaves F1 where it was:
 * tests/lexicon/test_lexicon_align.c).
 *
 * Tuned on align-ntrex (scripts/bench/align_online.sh; strict F1, online
 * and batch protocols, no gold used to learn), each against the others at
 * these values: Dice >= 0.2 (0.1, 0.15, 0.3, 0.4 within -0.004); one
 * partner (two: -0.002); both >= 2 (3: -0.004); memory frequency 5 %
 * (1 %: -0.006, 2 %: -0.003, 10 % and none the same); document frequency
 * a quarter (a half the same). Ranking by Dunning's (1993) log-likelihood
 * ratio instead of Dice (build with -DMEM_LLR=10.83) gave the same F1
 * within 0.002, so the score a terminologist sees is the one used. The
 * keys are used in the last pass only (AL_MEM_PASSES): in pass 2 as well
 * they added ~0.002 on average but made the passes leave their narrow
 * band more often, which widens and redoes a pass (measured at an earlier
 * setting on 2 x 20,000 sentences: +60 % time against +13 %).
 */
#include "align.h"

#include "lexicon/lexicon.h"

#include <stdlib.h>
#include <string.h>

/* The thresholds a store also applies when it loads a lexicon for
 * aligning (lexicon.h): a tuning build that lowers them must use
 * lexicons counted in process, as align_online.sh does. */
#ifndef MEM_MIN_SCORE /* the tuning build of align_online.sh may set them */
#define MEM_MIN_SCORE LX_LINK_MIN_SCORE
#define MEM_MIN_BOTH LX_LINK_MIN_BOTH
#define MEM_PARTNERS 1
#define MEM_MAX_FREQ LX_LINK_MAX_FREQ
#define MEM_DOC_FREQ 0.25
#endif
#ifndef MEM_DOC_MIN
#define MEM_DOC_MIN 3
#endif

/* The stems of one version: per sentence, ids into dict (sorted, unique). */
typedef struct ml_version {
    const am_lang *lang; /* NULL: no lexicon needs this version */
    lx_dict dict;
    uint32_t *off; /* n + 1 */
    uint32_t *ids;
    size_t n;
} ml_version;

struct al_memlex {
    const am_align_opts *opts;
    ml_version ver[AL_MAX_VERSIONS];
    char code[AL_MAX_VERSIONS][32];
    size_t n;
};

/* The lexicon for languages x and y, and the side of x in it. */
static const am_lexicon *find_lexicon(const am_align_opts *opts, const char *x, const char *y,
                                      int *side_x)
{
    char bx[16], by[16], a[16], b[16];
    if (!opts || !opts->lexicons || am_lang_base(bx, sizeof bx, x) ||
        am_lang_base(by, sizeof by, y))
        return NULL;
    for (size_t k = 0; k < opts->n_lexicons; k++) {
        const am_lexicon *lx = opts->lexicons[k];
        if (!lx || am_lang_base(a, sizeof a, lx->lang[0]) || am_lang_base(b, sizeof b, lx->lang[1]))
            continue;
        if (!strcmp(a, bx) && !strcmp(b, by)) {
            *side_x = 0;
            return lx;
        }
        if (!strcmp(a, by) && !strcmp(b, bx)) {
            *side_x = 1;
            return lx;
        }
    }
    return NULL;
}

typedef struct sent_ctx {
    ml_version *mv;
    uint32_t *buf;
    size_t n, cap;
    int rc;
} sent_ctx;

static int add_stem(const char *stem, size_t len, void *ctx)
{
    sent_ctx *sc = ctx;
    uint32_t id;
    if ((sc->rc = lx_dict_intern(&sc->mv->dict, stem, len, &id)) != 0)
        return sc->rc;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 1024;
        uint32_t *b = realloc(sc->buf, cap * sizeof *b);
        if (!b)
            return sc->rc = AM_ENOMEM;
        sc->buf = b;
        sc->cap = cap;
    }
    sc->buf[sc->n++] = id;
    return 0;
}

static int version_stems(ml_version *mv, const am_text *t, am_error *err)
{
    sent_ctx sc = {mv, NULL, 0, 0, 0};
    mv->n = t->n_segs;
    mv->off = calloc(t->n_segs + 1, sizeof *mv->off);
    if (!mv->off)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    /* The stems of every occurrence (lx_scan_stems, not am_stems: the
     * duplicates go below, without a dictionary per sentence). */
    int stem_len = lx_stem_len(mv->lang);
    for (size_t i = 0; i < t->n_segs; i++) {
        size_t first = sc.n, kn = 0;
        char *key = NULL;
        int rc = lx_key(&key, &kn, t->data + t->segs[i].offset, t->segs[i].length, err);
        if (!rc)
            lx_scan_stems(key, kn, stem_len, add_stem, &sc);
        free(key);
        if (sc.rc)
            rc = am_error_set(err, sc.rc, "out of memory");
        if (rc) {
            free(sc.buf);
            return rc;
        }
        if (sc.n - first >= 2) /* sc.buf is NULL until a first stem */
            sc.n = first + al_sort_unique(sc.buf + first, sc.n - first);
        mv->off[i + 1] = (uint32_t)sc.n;
    }
    mv->ids = sc.buf ? sc.buf : malloc(sizeof *mv->ids);
    return mv->ids ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
}

void al_memlex_free(al_memlex *ml)
{
    if (!ml)
        return;
    for (size_t v = 0; v < ml->n; v++) {
        lx_dict_free(&ml->ver[v].dict);
        free(ml->ver[v].off);
        free(ml->ver[v].ids);
    }
    free(ml);
}

int al_memlex_new(al_memlex **out, const am_text *const *versions, size_t n,
                  const am_align_opts *opts, am_error *err)
{
    *out = NULL;
    if (!opts || !opts->lexicons || !opts->n_lexicons)
        return AM_OK;
    al_memlex *ml = calloc(1, sizeof *ml);
    if (!ml)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    ml->opts = opts;
    ml->n = n;
    for (size_t v = 0; v < n; v++)
        memcpy(ml->code[v], versions[v]->lang, sizeof ml->code[v]);
    int any = 0, rc = AM_OK;
    for (size_t v = 0; v < n && !rc; v++)
        for (size_t w = 0; w < n && !rc; w++) {
            int side;
            const am_lexicon *lx =
                w == v ? NULL : find_lexicon(opts, versions[v]->lang, versions[w]->lang, &side);
            if (!lx || ml->ver[v].lang)
                continue;
            ml->ver[v].lang = lx->tbl[side];
            rc = version_stems(&ml->ver[v], versions[v], err);
            any = 1;
        }
    if (rc || !any) {
        al_memlex_free(ml);
        return rc;
    }
    *out = ml;
    return AM_OK;
}

int al_common(const uint32_t *a, const uint32_t *ae, const uint32_t *b, const uint32_t *be)
{
    int n = 0;
    while (a < ae && b < be) {
        if (*a < *b)
            a++;
        else if (*b < *a)
            b++;
        else {
            n++;
            a++;
            b++;
        }
    }
    return n;
}

/* ---- links and keys for one version pair ---- */

typedef struct cand {
    uint32_t dv, dw; /* stems of the two documents */
    double score;
    uint64_t both;
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->both != b->both)
        return a->both > b->both ? -1 : 1;
    if (a->dv != b->dv)
        return a->dv < b->dv ? -1 : 1;
    return (a->dw > b->dw) - (a->dw < b->dw);
}

#ifdef MEM_LLR
#include <math.h>
static double xlx(double x)
{
    return x > 0 ? x * log(x) : 0;
}

/* Dunning's (1993) log-likelihood ratio G2 of a 2x2 contingency table,
 * 0 for a negative association (tried against Dice for ranking links). */
static double llr(uint64_t both, uint64_t ua, uint64_t ub, uint64_t n)
{
    double k11 = (double)both, k12 = (double)ua - k11, k21 = (double)ub - k11;
    double k22 = (double)n - k11 - k12 - k21, N = (double)n;
    if (k12 < 0 || k21 < 0 || k22 < 0 || k11 * N <= (double)ua * (double)ub)
        return 0;
    return 2 * (xlx(k11) + xlx(k12) + xlx(k21) + xlx(k22) + xlx(N) - xlx(k11 + k12) -
                xlx(k21 + k22) - xlx(k11 + k21) - xlx(k12 + k22));
}
#endif

/* Per stem of a document: its id in the lexicon (LX_NONE when unknown, too
 * frequent in the memory or in the document), and the reverse map. */
static int map_stems(uint32_t **to_lex, uint32_t **from_lex, const ml_version *mv,
                     const am_lexicon *lx, int side)
{
    const lx_side *sd = &lx->side[side];
    uint32_t *to = malloc((mv->dict.n + 1) * sizeof *to);
    uint32_t *from = malloc((sd->dict.n + 1) * sizeof *from);
    uint32_t *df = calloc(mv->dict.n + 1, sizeof *df);
    if (!to || !from || !df) {
        free(to);
        free(from);
        free(df);
        return AM_ENOMEM;
    }
    memset(from, 0xff, (sd->dict.n + 1) * sizeof *from);
    for (uint32_t k = 0; k < mv->off[mv->n]; k++)
        df[mv->ids[k]]++;
    double doc_cap =
        MEM_DOC_FREQ * (double)mv->n < MEM_DOC_MIN ? MEM_DOC_MIN : MEM_DOC_FREQ * (double)mv->n;
    double mem_cap = MEM_MAX_FREQ * (double)lx->units < LX_LINK_FREQ_FLOOR
                         ? LX_LINK_FREQ_FLOOR
                         : MEM_MAX_FREQ * (double)lx->units;
    for (uint32_t d = 0; d < mv->dict.n; d++) {
        uint32_t id = lx_dict_find(&sd->dict, lx_dict_str(&mv->dict, d), mv->dict.len[d]);
        if (id != LX_NONE && ((double)df[d] > doc_cap || (double)sd->units[id] > mem_cap))
            id = LX_NONE;
        to[d] = id;
        if (id != LX_NONE)
            from[id] = d;
    }
    free(df);
    *to_lex = to;
    *from_lex = from;
    return AM_OK;
}

/* The candidate links: lexicon pairs whose stems are both in the
 * documents, good enough to be considered. Walks the partners of the
 * stems of v (lx_index), so the cost follows the documents, not the size
 * of the lexicon. */
static int gather(cand **out, size_t *n_out, const am_lexicon *lx, int sv, const ml_version *mv,
                  const uint32_t *to_v, const uint32_t *from_w)
{
    const lx_adj *adj;
    size_t n = 0, cap = 0;
    cand *c = NULL;
    *out = NULL;
    *n_out = 0;
    if (lx_index(lx, &adj))
        return AM_ENOMEM;
    for (uint32_t dv = 0; dv < mv->dict.n; dv++) {
        uint32_t a = to_v[dv];
        if (a == LX_NONE || a >= adj->n_ids[sv])
            continue;
        for (uint32_t k = adj->off[sv][a]; k < adj->off[sv][a + 1]; k++) {
            uint32_t b = adj->partner[sv][k];
            uint64_t both = adj->both[sv][k];
            if (both < MEM_MIN_BOTH || from_w[b] == LX_NONE)
                continue;
            double score =
                lx_assoc(both, lx->side[sv].units[a], lx->side[1 - sv].units[b], lx->units);
            if (score < MEM_MIN_SCORE)
                continue;
#ifdef MEM_LLR
            score = llr(both, lx->side[sv].units[a], lx->side[1 - sv].units[b], lx->units);
            if (score < MEM_LLR)
                continue;
#endif
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                cand *g = realloc(c, cap * sizeof *g);
                if (!g) {
                    free(c);
                    return AM_ENOMEM;
                }
                c = g;
            }
            c[n++] = (cand){dv, from_w[b], score, both};
        }
    }
    *out = c;
    *n_out = n;
    return AM_OK;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Per sentence of a version, the concepts of its linked stems (node ids
 * from base on), sorted and unique. */
static int concept_keys(uint32_t **off_out, uint32_t **keys_out, const ml_version *mv,
                        uint32_t *parent, const unsigned char *linked, uint32_t base)
{
    uint32_t *off = calloc(mv->n + 1, sizeof *off);
    uint32_t *keys = malloc((mv->off[mv->n] + 1) * sizeof *keys);
    if (!off || !keys) {
        free(off);
        free(keys);
        return AM_ENOMEM;
    }
    uint32_t n = 0;
    for (size_t s = 0; s < mv->n; s++) {
        uint32_t first = n;
        for (uint32_t k = mv->off[s]; k < mv->off[s + 1]; k++)
            if (linked[base + mv->ids[k]])
                keys[n++] = uf_find(parent, base + mv->ids[k]);
        n = first + (uint32_t)al_sort_unique(keys + first, n - first);
        off[s + 1] = n;
    }
    *off_out = off;
    *keys_out = keys;
    return AM_OK;
}

/* Competitive linking over the candidates, then the keys of both sides. */
static int link_and_key(al_pair *pr, const ml_version *mv, const ml_version *mw, cand *c, size_t nc)
{
    uint32_t nodes = (uint32_t)(mv->dict.n + mw->dict.n);
    uint32_t *parent = malloc((nodes + 1) * sizeof *parent);
    unsigned char *deg = calloc(nodes + 1, 1), *linked = calloc(nodes + 1, 1);
    int rc = AM_ENOMEM;
    if (!parent || !deg || !linked)
        goto cleanup;
    for (uint32_t x = 0; x < nodes; x++)
        parent[x] = x;
    if (nc > 1)
        qsort(c, nc, sizeof *c, cmp_cand);
    for (size_t k = 0; k < nc; k++) {
        uint32_t a = c[k].dv, b = (uint32_t)mv->dict.n + c[k].dw;
        if (deg[a] >= MEM_PARTNERS || deg[b] >= MEM_PARTNERS)
            continue;
        deg[a]++;
        deg[b]++;
        linked[a] = linked[b] = 1;
        parent[uf_find(parent, a)] = uf_find(parent, b);
    }
    if (concept_keys(&pr->mem_off_v, &pr->mem_v, mv, parent, linked, 0) ||
        concept_keys(&pr->mem_off_w, &pr->mem_w, mw, parent, linked, (uint32_t)mv->dict.n)) {
        al_memlex_pair_free(pr);
        goto cleanup;
    }
    rc = AM_OK;
cleanup:
    free(parent);
    free(deg);
    free(linked);
    return rc;
}

int al_memlex_keys(al_pair *pr, const al_memlex *ml, am_error *err)
{
    int sv;
    if (!ml)
        return AM_OK;
    const am_lexicon *lx = find_lexicon(ml->opts, ml->code[pr->v], ml->code[pr->w], &sv);
    const ml_version *mv = &ml->ver[pr->v], *mw = &ml->ver[pr->w];
    if (!lx || !mv->off || !mw->off || !lx->units)
        return AM_OK;
    uint32_t *to_v = NULL, *from_v = NULL, *to_w = NULL, *from_w = NULL;
    cand *c = NULL;
    size_t nc = 0;
    int rc = map_stems(&to_v, &from_v, mv, lx, sv);
    if (!rc)
        rc = map_stems(&to_w, &from_w, mw, lx, 1 - sv);
    if (!rc)
        rc = gather(&c, &nc, lx, sv, mv, to_v, from_w);
    if (!rc)
        rc = link_and_key(pr, mv, mw, c, nc);
    free(to_v);
    free(from_v);
    free(to_w);
    free(from_w);
    free(c);
    return rc ? am_error_set(err, AM_ENOMEM, "out of memory using the lexicon") : AM_OK;
}

void al_memlex_pair_free(al_pair *pr)
{
    free(pr->mem_off_v);
    free(pr->mem_v);
    free(pr->mem_off_w);
    free(pr->mem_w);
    pr->mem_off_v = pr->mem_v = pr->mem_off_w = pr->mem_w = NULL;
}

int al_memlex_use(al_ctx *c, int on, am_error *err)
{
    for (size_t k = 0; k < c->n_pairs; k++) {
        al_pair *pr = &c->pairs[k];
        if (!on)
            al_memlex_pair_free(pr);
        else if (!pr->mem_v) {
            int rc = al_memlex_keys(pr, c->memlex, err);
            if (rc)
                return rc;
        }
    }
    return AM_OK;
}
