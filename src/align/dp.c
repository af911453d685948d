/* dp.c - banded dynamic programming over two item sequences.
 *
 * The search is restricted to a band of cells around a path (the length
 * diagonal in the first pass, the previous pass's path afterwards), so time
 * and memory are O(n * width), not O(n * m): the banding of Moore (2002)
 * and hunalign, with the band widened and the pass redone whenever the best
 * path runs along its edge (see al_align_seqs).
 *
 * Paragraph breaks are items of their own in both sequences: a bead pairs
 * two breaks at no cost, a break left unmatched costs al_break_cost(0), and
 * sentence beads never contain a break, so no bead crosses a paragraph
 * boundary (issue #9).
 */
#include "align.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Sentence bead types (units of P, units of Q), as in Gale & Church plus the
 * 1-3, 3-1, 2-3 and 3-2 beads real translations show. */
static const unsigned char bead_types[][2] = {{1, 1}, {1, 0}, {0, 1}, {1, 2}, {2, 1},
                                              {2, 2}, {1, 3}, {3, 1}, {2, 3}, {3, 2}};
#define N_TYPES (sizeof bead_types / sizeof bead_types[0])
enum { CODE_BRK_BOTH = 100, CODE_BRK_P = 101, CODE_BRK_Q = 102 };

/* The band's arrays are tens of megabytes, allocated and freed pass by
 * pass; in 4 KiB pages their first touch was a tenth of the run time
 * (page faults, dear under a hypervisor). Where the kernel gives huge
 * pages only on request (transparent_hugepage=madvise), ask for them on
 * the 2 MiB-aligned inside of such an array. A hint: failure is ignored. */
void al_huge_pages(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t b = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (p && bytes >= 2 * huge && e > b)
        (void)madvise((void *)b, e - b, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void al_path_free(al_path *p)
{
    free(p->b);
    memset(p, 0, sizeof *p);
}

void al_band_free(al_band *b)
{
    free(b->lo);
    free(b->hi);
    free(b->off);
    memset(b, 0, sizeof *b);
}

static int band_alloc(al_band *b, size_t rows, am_error *err)
{
    b->rows = rows;
    b->lo = malloc(rows * sizeof *b->lo);
    b->hi = malloc(rows * sizeof *b->hi);
    b->off = malloc((rows + 1) * sizeof *b->off);
    if (!b->lo || !b->hi || !b->off) {
        al_band_free(b);
        return am_error_set(err, AM_ENOMEM, "out of memory for the alignment band");
    }
    return AM_OK;
}

/* Make lo/hi monotone and overlapping row to row (so every cell can be
 * reached), pin the corners, and lay out the cells. */
static void band_finish(al_band *b, size_t nQ)
{
    size_t rows = b->rows;
    b->lo[0] = 0;
    b->hi[rows - 1] = nQ;
    for (size_t i = rows - 1; i > 0; i--)
        if (b->lo[i - 1] > b->lo[i])
            b->lo[i - 1] = b->lo[i];
    for (size_t i = 1; i < rows; i++)
        if (b->hi[i] < b->hi[i - 1])
            b->hi[i] = b->hi[i - 1];
    for (size_t i = 0; i + 1 < rows; i++)
        if (b->hi[i] < b->lo[i + 1])
            b->hi[i] = b->lo[i + 1];
    b->off[0] = 0;
    for (size_t i = 0; i < rows; i++)
        b->off[i + 1] = b->off[i] + (b->hi[i] - b->lo[i] + 1);
}

int al_band_diagonal(al_band *out, const al_seq *P, const al_seq *Q, size_t width, am_error *err)
{
    int rc = band_alloc(out, P->n + 1, err);
    if (rc)
        return rc;
    for (size_t i = 0; i <= P->n; i++) {
        size_t c = P->n ? (size_t)((double)i * (double)Q->n / (double)P->n + 0.5) : 0;
        out->lo[i] = c > width ? c - width : 0;
        out->hi[i] = c + width < Q->n ? c + width : Q->n;
    }
    band_finish(out, Q->n);
    return AM_OK;
}

int al_band_around(al_band *out, const al_path *path, size_t nP, size_t nQ, size_t width,
                   am_error *err)
{
    int rc = band_alloc(out, nP + 1, err);
    if (rc)
        return rc;
    for (size_t i = 0; i <= nP; i++) {
        out->lo[i] = (size_t)-1;
        out->hi[i] = 0;
    }
    size_t pi = 0, pj = 0;
    for (size_t k = 0; k <= path->n; k++) {
        size_t i = k < path->n ? path->b[k].p1 : nP, j = k < path->n ? path->b[k].q1 : nQ;
        /* The rows a bead spans take its start and end columns. */
        for (size_t r = pi; r <= i && r <= nP; r++) {
            if (pj < out->lo[r])
                out->lo[r] = pj;
            if (j > out->hi[r])
                out->hi[r] = j;
        }
        pi = i;
        pj = j;
    }
    for (size_t i = 0; i <= nP; i++) {
        if (out->lo[i] == (size_t)-1)
            out->lo[i] = out->hi[i];
        out->lo[i] = out->lo[i] > width ? out->lo[i] - width : 0;
        out->hi[i] = out->hi[i] + width < nQ ? out->hi[i] + width : nQ;
    }
    band_finish(out, nQ);
    return AM_OK;
}

/* Does bead end (i, j) lie along an edge of the band that is not the
 * matrix edge? */
static int near_edge(const al_band *band, size_t i, size_t j, size_t nQ)
{
    return (band->lo[i] > 0 && j < band->lo[i] + 2) || (band->hi[i] < nQ && j + 2 > band->hi[i]);
}

int al_band_grow(al_band *out, const al_band *old, const al_path *path, size_t nQ, size_t width,
                 am_error *err)
{
    int rc = band_alloc(out, old->rows, err);
    if (rc)
        return rc;
    memcpy(out->lo, old->lo, old->rows * sizeof *out->lo);
    memcpy(out->hi, old->hi, old->rows * sizeof *out->hi);
    for (size_t k = 0; k < path->n; k++) {
        size_t i = path->b[k].p1, j = path->b[k].q1;
        if (!near_edge(old, i, j, nQ))
            continue;
        size_t r0 = i > width ? i - width : 0, r1 = i + width < old->rows ? i + width : old->rows - 1;
        size_t lo = j > width ? j - width : 0, hi = j + width < nQ ? j + width : nQ;
        for (size_t r = r0; r <= r1; r++) {
            if (lo < out->lo[r])
                out->lo[r] = lo;
            if (hi > out->hi[r])
                out->hi[r] = hi;
        }
    }
    band_finish(out, nQ);
    return AM_OK;
}

size_t al_cell(const al_band *b, size_t i, size_t j)
{
    if (i >= b->rows || j < b->lo[i] || j > b->hi[i])
        return (size_t)-1;
    return b->off[i] + (j - b->lo[i]);
}

static void add_cand(al_cand *out, size_t *n, size_t pi, size_t pj, double cost, int code)
{
    if (!isfinite(cost))
        return;
    out[*n].pi = pi;
    out[*n].pj = pj;
    out[*n].cost = cost;
    out[*n].code = (unsigned char)code;
    (*n)++;
}

size_t al_candidates(al_cand *out, al_ctx *c, const al_band *band, size_t i, size_t j)
{
    const al_seq *P = c->P, *Q = c->Q;
    size_t n = 0;
    int pb = i > 0 && P->is_brk[i - 1], qb = j > 0 && Q->is_brk[j - 1];
    if (pb && qb && al_cell(band, i - 1, j - 1) != (size_t)-1)
        add_cand(out, &n, i - 1, j - 1, al_break_cost(1), CODE_BRK_BOTH);
    if (pb && al_cell(band, i - 1, j) != (size_t)-1)
        add_cand(out, &n, i - 1, j, al_break_cost(0), CODE_BRK_P);
    if (qb && al_cell(band, i, j - 1) != (size_t)-1)
        add_cand(out, &n, i, j - 1, al_break_cost(0), CODE_BRK_Q);
    size_t cell = c->cost_cache ? al_cell(band, i, j) : (size_t)-1;
    /* The DP and both confidence sweeps ask for the same beads: the first
     * visit of a cell marks all its slots NaN (not computed), and a wider
     * band keeps them (al_cache_init), where a bead whose start was
     * outside the narrow band is still NaN. */
    float *slot = cell == (size_t)-1 ? NULL : &c->cost_cache[cell * AL_NCODES];
    if (slot && !(c->cached[cell] & AL_COSTS_CACHED)) {
        for (size_t t = 0; t < N_TYPES; t++)
            slot[t] = NAN;
        c->cached[cell] |= AL_COSTS_CACHED;
    }
    for (size_t t = 0; t < N_TYPES; t++) {
        size_t a = bead_types[t][0], b = bead_types[t][1];
        if ((int)a > c->max_side || (int)b > c->max_side)
            continue;
        if (a > P->run[i] || b > Q->run[j] || al_cell(band, i - a, j - b) == (size_t)-1)
            continue;
        double cost;
        if (!slot) {
            cost = al_bead_cost(c, i - a, i, j - b, j);
        } else {
            if (isnan(slot[t]))
                slot[t] = (float)al_bead_cost(c, i - a, i, j - b, j);
            cost = slot[t];
        }
        add_cand(out, &n, i - a, j - b, cost, (int)t);
    }
    return n;
}

static int path_push(al_path *p, size_t p0, size_t p1, size_t q0, size_t q1, double cost)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        al_bead *b = realloc(p->b, cap * sizeof *b);
        if (!b)
            return AM_ENOMEM;
        p->b = b;
        p->cap = cap;
    }
    al_bead *b = &p->b[p->n++];
    b->p0 = p0;
    b->p1 = p1;
    b->q0 = q0;
    b->q1 = q1;
    b->cost = cost;
    b->conf = 1.0;
    return AM_OK;
}

/* Follow the back pointers from the end; beads come out reversed. */
static int backtrack(al_path *out, const al_band *band, const double *D, const unsigned char *back,
                     al_ctx *c)
{
    size_t i = c->P->n, j = c->Q->n;
    while (i > 0 || j > 0) {
        size_t cell = al_cell(band, i, j);
        int code = back[cell];
        size_t a, b;
        if (code == CODE_BRK_BOTH)
            a = b = 1;
        else if (code == CODE_BRK_P)
            a = 1, b = 0;
        else if (code == CODE_BRK_Q)
            a = 0, b = 1;
        else
            a = bead_types[code][0], b = bead_types[code][1];
        double cost = D[cell] - D[al_cell(band, i - a, j - b)];
        if (path_push(out, i - a, i, j - b, j, cost))
            return AM_ENOMEM;
        i -= a;
        j -= b;
    }
    for (size_t k = 0; k < out->n / 2; k++) {
        al_bead t = out->b[k];
        out->b[k] = out->b[out->n - 1 - k];
        out->b[out->n - 1 - k] = t;
    }
    return AM_OK;
}

/* Does the path run along an edge of the band that is not the matrix edge? */
static int touches_edge(const al_path *p, const al_band *band, size_t nQ)
{
    for (size_t k = 0; k < p->n; k++)
        if (near_edge(band, p->b[k].p1, p->b[k].q1, nQ))
            return 1;
    return 0;
}

int al_dp(al_path *out, al_ctx *c, const al_band *band, int *touched, am_error *err)
{
    size_t cells = band->off[band->rows];
    double *D = malloc(cells * sizeof *D);
    unsigned char *back = malloc(cells);
    al_cand cand[AL_MAX_CANDS];
    int rc = AM_OK;
    memset(out, 0, sizeof *out);
    if (!D || !back) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory for the alignment band");
        goto cleanup;
    }
    al_huge_pages(D, cells * sizeof *D);
    for (size_t i = 0; i < band->rows; i++) {
        for (size_t j = band->lo[i]; j <= band->hi[i]; j++) {
            size_t cell = band->off[i] + (j - band->lo[i]);
            double best = i == 0 && j == 0 ? 0 : HUGE_VAL;
            int code = 0;
            size_t n = al_candidates(cand, c, band, i, j);
            for (size_t k = 0; k < n; k++) {
                double d = D[al_cell(band, cand[k].pi, cand[k].pj)] + cand[k].cost;
                if (d < best) {
                    best = d;
                    code = cand[k].code;
                }
            }
            D[cell] = best;
            back[cell] = (unsigned char)code;
        }
        if (c->progress && (i & 1023) == 0) /* rows of this pass */
            c->progress(i, band->rows, c->progress_ctx);
    }
    if (!isfinite(D[cells - 1])) {
        rc = am_error_set(err, AM_EINPUT, "no alignment found in the band");
        goto cleanup;
    }
    if (backtrack(out, band, D, back, c)) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (touched)
        *touched = touches_edge(out, band, c->Q->n);
cleanup:
    free(D);
    free(back);
    if (rc)
        al_path_free(out);
    return rc;
}
