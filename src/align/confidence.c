/* confidence.c - the confidence of a bead is its posterior probability.
 *
 * Reading costs as -log probabilities (divided by a temperature), the
 * forward-backward algorithm over the same band gives, for each bead of
 * the chosen path, the total probability of all alignments that contain
 * it, divided by the total of all alignments: P(bead | both texts). A bead
 * with a close rival (a 2-1 that might be a 1-1 + 0-1) gets a low value, a
 * bead every plausible alignment agrees on gets a value near 1. This is
 * the bead marginal of an HMM alignment model (Vogel et al. 1996 use the
 * same recursion for word alignment), computed in the band, so it stays
 * linear. The temperature stays 1 (costs read as they are): on align-ntrex
 * the beads above 0.5 are 96-97 % right pairwise and those above 0.9
 * 98-99 % (scripts/bench/align.sh): at or above each threshold.
 */
#include "align.h"

#include <math.h>
#include <stdlib.h>

/* -log(exp(-a) + exp(-b)) */
static double nlogadd(double a, double b)
{
    if (!isfinite(a))
        return b;
    if (!isfinite(b))
        return a;
    double m = a < b ? a : b, d = fabs(a - b);
    return m - log1p(exp(-d));
}

int al_confidence(al_path *path, al_ctx *c, const al_band *band, am_error *err)
{
    size_t cells = band->off[band->rows];
    double *F = malloc(cells * sizeof *F), *G = malloc(cells * sizeof *G);
    double T = c->temperature > 0 ? c->temperature : 1.0;
    al_cand cand[AL_MAX_CANDS];
    if (!F || !G) {
        free(F);
        free(G);
        return am_error_set(err, AM_ENOMEM, "out of memory for the confidence pass");
    }
    al_huge_pages(F, cells * sizeof *F);
    al_huge_pages(G, cells * sizeof *G);
    for (size_t k = 0; k < cells; k++)
        F[k] = G[k] = HUGE_VAL;
    F[0] = 0;
    for (size_t i = 0; i < band->rows; i++)
        for (size_t j = band->lo[i]; j <= band->hi[i]; j++) {
            size_t cell = al_cell(band, i, j), n = al_candidates(cand, c, band, i, j);
            for (size_t k = 0; k < n; k++)
                F[cell] = nlogadd(F[cell], F[al_cell(band, cand[k].pi, cand[k].pj)] +
                                               cand[k].cost / T);
        }
    G[cells - 1] = 0;
    for (size_t i = band->rows; i-- > 0;)
        for (size_t j = band->hi[i] + 1; j-- > band->lo[i];) {
            size_t cell = al_cell(band, i, j), n = al_candidates(cand, c, band, i, j);
            for (size_t k = 0; k < n; k++) {
                size_t from = al_cell(band, cand[k].pi, cand[k].pj);
                G[from] = nlogadd(G[from], cand[k].cost / T + G[cell]);
            }
        }
    double Z = F[cells - 1];
    for (size_t k = 0; k < path->n; k++) {
        al_bead *b = &path->b[k];
        double e = F[al_cell(band, b->p0, b->q0)] + b->cost / T + G[al_cell(band, b->p1, b->q1)];
        double p = exp(Z - e);
        b->conf = p > 1 ? 1 : (p < 0 ? 0 : p);
    }
    free(F);
    free(G);
    return AM_OK;
}
