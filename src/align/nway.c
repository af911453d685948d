/* nway.c - am_align: the passes, and N versions aligned jointly.
 *
 * Two sequences are aligned in three passes (al_align_seqs):
 *   1. length and paragraph breaks only, in a band around the diagonal,
 *      widened until the best path keeps off its edges;
 *   2. the full bead score, with the length model and the anchor weights
 *      estimated from pass 1, in a narrow band around path 1;
 *   3. the same plus the lexicon learned from pass 2, in a narrow band
 *      around path 2, and the posteriors of its beads (confidence.c).
 *
 * N versions: version 0 is aligned with version 1; then each further
 * version is aligned against the beads found so far, every bead being one
 * unit that carries the sentences of all versions before it. The bead cost
 * of that step sums the pair costs of the new version with every earlier
 * one (score.c), so the third version is placed by the evidence of both
 * others at once, and the result is consistent by construction: one bead
 * sequence spans all versions, no pair can contradict another. Joining
 * separate pairwise runs instead multiplies their errors (issue #9: 0.885
 * three-way); a joint 3-D DP costs band^2 cells per row. Measured on
 * align-ntrex: 0.941 strict three-way F1 with this scheme (the most akin
 * pair first: 0.938 -> 0.941 against input order). The joint path is then
 * corrected by the pairwise alignments of the other pairs (pairwise_finish):
 * 0.959 (0.967 since score.c weighs semicolons as merge evidence). Those
 * pairwise alignments run in a thread of their own (pw_job).
 *
 * Widths: pass 1 is cheap (no anchors), so it can afford +-16 around the
 * diagonal; passes 2 and 3 only correct pass 1 locally, and +-3 gave the
 * same beads as +-8 on both benchmarks at well under half the cost. A path that runs
 * along the band's edge grows the band there and redoes the pass
 * (banded_pass), so a drifting document costs more time, never a wrong
 * forced path.
 */
#include "align.h"

#include "lexicon/lexicon.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef AL_THREADS
#if defined(__unix__) || defined(__APPLE__)
#define AL_THREADS 1
#else
#define AL_THREADS 0
#endif
#endif
#if AL_THREADS
#include <pthread.h>
#endif

#define PASS1_WIDTH 16
#define PASS_WIDTH 3
#define FINAL_WIDTH 3
#define MAX_WIDENINGS 6
/* Pairwise beads at least this sure correct the joint path (al_join_links). */
#define PAIR_LINK_CONF 0.95

void al_seq_free(al_seq *s)
{
    if (!s)
        return;
    free(s->begin);
    free(s->end);
    free(s->is_brk);
    free(s->run);
    free(s->conf);
    memset(s, 0, sizeof *s);
}

static int seq_alloc(al_seq *s, size_t n, size_t nv, am_error *err)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->nv = nv;
    s->begin = calloc(n * nv + 1, sizeof *s->begin);
    s->end = calloc(n * nv + 1, sizeof *s->end);
    s->is_brk = calloc(n + 1, 1);
    s->run = calloc(n + 1, sizeof *s->run);
    s->conf = calloc(n + 1, sizeof *s->conf);
    if (!s->begin || !s->end || !s->is_brk || !s->run || !s->conf) {
        al_seq_free(s);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    return AM_OK;
}

static void seq_runs(al_seq *s)
{
    s->run[0] = 0;
    for (size_t k = 0; k < s->n; k++)
        s->run[k + 1] = s->is_brk[k] ? 0 : s->run[k] + 1;
}

int al_seq_from_version(al_seq *out, const am_text *t, int v, am_error *err)
{
    size_t breaks = 0;
    for (size_t i = 1; i < t->n_segs; i++)
        breaks += t->segs[i].paragraph != t->segs[i - 1].paragraph;
    int rc = seq_alloc(out, t->n_segs + breaks, 1, err);
    if (rc)
        return rc;
    out->vers[0] = v;
    size_t k = 0;
    for (size_t i = 0; i < t->n_segs; i++) {
        if (i > 0 && t->segs[i].paragraph != t->segs[i - 1].paragraph) {
            out->is_brk[k] = 1;
            out->begin[k] = out->end[k] = i;
            out->conf[k++] = 1;
        }
        out->begin[k] = i;
        out->end[k] = i + 1;
        out->conf[k++] = 1;
    }
    seq_runs(out);
    return AM_OK;
}

/* The sequence of beads of path: each bead one unit over the versions of
 * P and Q (in that order); break beads become breaks. */
static int seq_merge(al_seq *out, const al_seq *P, const al_seq *Q, const al_path *path,
                     am_error *err)
{
    size_t nv = P->nv + Q->nv;
    int rc = seq_alloc(out, path->n, nv, err);
    if (rc)
        return rc;
    memcpy(out->vers, P->vers, P->nv * sizeof *P->vers);
    memcpy(out->vers + P->nv, Q->vers, Q->nv * sizeof *Q->vers);
    size_t cur[AL_MAX_VERSIONS] = {0}; /* next sentence of each version */
    for (size_t k = 0; k < path->n; k++) {
        const al_bead *b = &path->b[k];
        int brk = (b->p1 > b->p0 && P->is_brk[b->p0]) || (b->q1 > b->q0 && Q->is_brk[b->q0]);
        double conf = b->conf;
        out->is_brk[k] = (unsigned char)brk;
        for (size_t x = 0; x < nv; x++) {
            const al_seq *S = x < P->nv ? P : Q;
            size_t sx = x < P->nv ? x : x - P->nv;
            size_t i0 = x < P->nv ? b->p0 : b->q0, i1 = x < P->nv ? b->p1 : b->q1;
            size_t e = cur[x];
            for (size_t i = i0; i < i1 && !brk; i++) {
                e = S->end[i * S->nv + sx];
                if (S->conf[i] < conf)
                    conf = S->conf[i];
            }
            out->begin[k * nv + x] = cur[x];
            out->end[k * nv + x] = e;
            cur[x] = e;
        }
        out->conf[k] = brk ? 1 : conf;
    }
    seq_runs(out);
    return AM_OK;
}

/* Run al_dp, widening the band while the path runs along its edge: only
 * where it does, by width, then 2 width, 4 width ... around the bead ends
 * that touch it (al_band_grow), so a local detour costs a few hundred
 * cells and a DP over cached bead costs, not a pass over a band twice as
 * wide. Measured on 2 x 21,000 sentences, where pass 2 detours once (and
 * the final pass too with the 1M memory's lexicon): the redone pass has
 * 283,811 cells instead of 471,168, al_dp 4.51 G -> 3.77 G instructions
 * (5.61 G -> 4.03 G with the lexicon), the beads byte for byte the same. */
static int banded_pass(al_path *out, al_band *band, al_ctx *c, const al_path *prev,
                       size_t width, am_error *err)
{
    al_path last = {0};
    int rc = AM_OK;
    for (int round = 0; round <= MAX_WIDENINGS; round++) {
        int touched = 0;
        al_band wider = {0};
        if (round == 0)
            rc = prev ? al_band_around(&wider, prev, c->P->n, c->Q->n, width, err)
                      : al_band_diagonal(&wider, c->P, c->Q, width, err);
        else
            rc = al_band_grow(&wider, band, &last, c->Q->n, width << round, err);
        al_path_free(&last);
        /* A wider band holds the narrower one: the bead costs of its
         * cells carry over (al_cache_init). */
        if (!rc && c->content)
            rc = al_cache_init(c, &wider, err);
        al_band_free(band);
        *band = wider;
        c->band = c->cache ? band : NULL;
        if (!rc)
            rc = al_dp(out, c, band, &touched, err);
        if (rc || !touched || round == MAX_WIDENINGS ||
            ((width << round) >= c->P->n && (width << round) >= c->Q->n))
            return rc;
        last = *out;
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int al_align_seqs(al_path *out, al_ctx *c, am_error *err)
{
    al_path p1 = {0}, p2 = {0};
    al_band band = {0};
    memset(out, 0, sizeof *out);
    c->content = 0;
    int rc = banded_pass(&p1, &band, c, NULL, PASS1_WIDTH, err);
    al_band_free(&band);
    if (!rc)
        rc = al_memlex_use(c, AL_MEM_PASSES & 4, err);
    if (!rc)
        rc = al_estimate_pairs(c, &p1, err);
    c->content = 1;
    if (!rc)
        rc = banded_pass(&p2, &band, c, &p1, PASS_WIDTH, err);
    al_cache_free(c);
    al_band_free(&band);
    if (!rc)
        rc = al_lexicon_learn(c, &p2, err);
    if (!rc)
        rc = al_memlex_use(c, AL_MEM_PASSES & 8, err);
    if (!rc)
        rc = al_estimate_pairs(c, &p2, err);
    if (!rc)
        rc = banded_pass(out, &band, c, &p2, FINAL_WIDTH, err);
    if (!rc)
        rc = al_confidence(out, c, &band, err);
    al_cache_free(c);
    al_band_free(&band);
    al_path_free(&p1);
    al_path_free(&p2);
    if (rc)
        al_path_free(out);
    return rc;
}

/* Align sequence P with Q into a merged sequence. */
static int align_step(al_seq *merged, const al_feat *feat, const al_memlex *ml, const al_seq *P,
                      const al_seq *Q, const am_align_opts *opts, am_error *err)
{
    al_ctx c;
    al_path path = {0};
    memset(&c, 0, sizeof c);
    c.feat = feat;
    c.P = P;
    c.Q = Q;
    c.n_pairs = P->nv * Q->nv;
    c.max_side = opts->max_side > 0 ? opts->max_side : 3;
    c.max_range = c.max_side + 1;
    c.lambda = 0.6;
    c.cover_pen = 1.5;
    c.temperature = 1.0;
    c.progress = opts->progress;
    c.progress_ctx = opts->progress_ctx;
    c.pairs = calloc(c.n_pairs, sizeof *c.pairs);
    if (!c.pairs)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t x = 0; x < P->nv; x++)
        for (size_t y = 0; y < Q->nv; y++)
            al_pair_init(&c.pairs[x * Q->nv + y], &feat[P->vers[x]], &feat[Q->vers[y]],
                         P->vers[x], Q->vers[y]);
    c.memlex = ml;
    int rc = al_align_seqs(&path, &c, err);
    if (!rc)
        rc = seq_merge(merged, P, Q, &path, err);
    for (size_t k = 0; k < c.n_pairs; k++) {
        al_pair_free(&c.pairs[k]);
        al_memlex_pair_free(&c.pairs[k]);
    }
    free(c.pairs);
    al_path_free(&path);
    return rc;
}

/* Mark in cut[] the bead boundaries of S (cut k lies before bead k) that
 * the beads of the pairwise alignment pr cross: a boundary is crossed when
 * a pr bead has sentences of its first version before it and of its second
 * after it, or the other way round. Both sequences are monotone, so two
 * pointers find, for each pr bead, the last boundary wholly before it (k0)
 * and the first wholly after it (k1); the ones between are crossed. A
 * boundary next to a paragraph break is never removed, and a bead that
 * would need one is ignored. Only beads with confidence above min_conf
 * take part. */
static void mark_crossed(unsigned char *cut, const al_seq *S, const al_seq *pr, double min_conf)
{
    size_t xa = 0, xb = 0, nv = S->nv, k0 = 0, k1 = 1;
    for (size_t x = 0; x < nv; x++) {
        xa = S->vers[x] == pr->vers[0] ? x : xa;
        xb = S->vers[x] == pr->vers[1] ? x : xb;
    }
    for (size_t m = 0; m < pr->n; m++) {
        size_t a0 = pr->begin[2 * m], a1 = pr->end[2 * m];
        size_t b0 = pr->begin[2 * m + 1], b1 = pr->end[2 * m + 1];
        if (pr->is_brk[m] || a1 == a0 || b1 == b0 || pr->conf[m] <= min_conf)
            continue;
        while (k0 + 1 < S->n && S->begin[(k0 + 1) * nv + xa] <= a0 &&
               S->begin[(k0 + 1) * nv + xb] <= b0)
            k0++;
        if (k1 <= k0)
            k1 = k0 + 1;
        while (k1 < S->n && (S->begin[k1 * nv + xa] < a1 || S->begin[k1 * nv + xb] < b1))
            k1++;
        int blocked = 0;
        for (size_t k = k0 + 1; k < k1 && !blocked; k++)
            blocked = S->is_brk[k - 1] || S->is_brk[k];
        for (size_t k = k0 + 1; k < k1 && !blocked; k++)
            cut[k] = 1;
    }
}

/* Whether bead k of S can join the bead of out ending there without a
 * side of more than max_side sentences. */
static int fits(const al_seq *out, size_t m, const al_seq *S, size_t k, size_t max_side)
{
    for (size_t x = 0; x < S->nv; x++)
        if (S->end[k * S->nv + x] - out->begin[m * S->nv + x] > max_side)
            return 0;
    return 1;
}

/* Join the beads of S between removed boundaries (cut[k] set) in place,
 * keeping every side within max_side sentences (a boundary that would
 * overflow stays); the joined bead keeps the least confidence of its
 * parts. */
static int join_cut(al_seq *S, const unsigned char *cut, size_t max_side, am_error *err)
{
    size_t nv = S->nv;
    al_seq out;
    int rc = seq_alloc(&out, S->n, nv, err);
    if (rc)
        return rc;
    memcpy(out.vers, S->vers, sizeof out.vers);
    size_t m = 0;
    for (size_t k = 0; k < S->n; k++) {
        if (k > 0 && cut[k] && fits(&out, m - 1, S, k, max_side)) {
            memcpy(&out.end[(m - 1) * nv], &S->end[k * nv], nv * sizeof *S->end);
            out.conf[m - 1] = fmin(out.conf[m - 1], S->conf[k]);
            continue;
        }
        memcpy(&out.begin[m * nv], &S->begin[k * nv], nv * sizeof *S->begin);
        memcpy(&out.end[m * nv], &S->end[k * nv], nv * sizeof *S->end);
        out.is_brk[m] = S->is_brk[k];
        out.conf[m++] = S->conf[k];
    }
    out.n = m;
    seq_runs(&out);
    al_seq_free(S);
    *S = out;
    return AM_OK;
}

/*
 * The joint beads are built progressively, so the sentences of the later
 * versions are placed against beads that were fixed before they were
 * seen, and the joint path often cuts where two versions' own alignment
 * would not (a 2-1 of en-uk split into a 1-1 and a 1-0). Each pair of
 * versions is aligned on its own as well, and every boundary of the joint
 * beads that a confident pairwise bead crosses is removed, joining the
 * beads on both sides: the result is the finest monotone bead sequence
 * consistent with the joint path and the confident pairwise links (their
 * union's connected components, as the three-way gold is built). Measured
 * on align-ntrex, presegmented, strict three-way F1: 0.941 -> 0.959 (links
 * of confidence > 0.9: 0.958, > 0.93: 0.958, > 0.97: 0.960 but 0.955 on
 * align-ntrex-long against 0.956, > 0.99: 0.957). Re-aligning each version
 * against the fixed beads of the others (iterative refinement) gave
 * nothing (0.941): it cannot split the others' beads. Costs one more
 * pairwise alignment per pair of versions but the first (whose alignment
 * the joint path begins with): still linear in the length.
 */
int al_join_links(al_seq *S, const al_seq *pairs, size_t n_pairs, double min_conf,
                  size_t max_side, am_error *err)
{
    unsigned char *cut = calloc(S->n + 1, 1);
    if (!cut)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t p = 0; p < n_pairs; p++)
        mark_crossed(cut, S, &pairs[p], min_conf);
    int rc = join_cut(S, cut, max_side, err);
    free(cut);
    return rc;
}

/* The pairwise alignments that correct the joint path (al_join_links):
 * every pair of versions but the first pair of the joint path (a, b),
 * whose own alignment the joint path begins with. They depend only on the
 * features, so a thread of their own computes them while the joint path
 * is built (pairwise_start): with three versions, on two cores, the run
 * takes the time of the longer of the two halves, not of their sum. */
typedef struct pw_job {
    al_seq *pairs; /* n * (n - 1) / 2; [1, n_pairs) are filled here */
    size_t n_pairs;
    const al_feat *feat;
    const al_memlex *ml;
    const am_text *const *versions;
    size_t n;
    int a, b;
    am_align_opts opts; /* progress off: the caller's callback is not ours to call from a thread */
    am_error err;
    int rc;
#if AL_THREADS
    pthread_t thread;
    int started;
#endif
} pw_job;

static int pairwise_runs(pw_job *j)
{
    int rc = AM_OK;
    for (size_t a = 0; a < j->n && !rc; a++)
        for (size_t b = a + 1; b < j->n && !rc; b++) {
            al_seq A = {0}, B = {0};
            if ((j->a == (int)a && j->b == (int)b) || (j->a == (int)b && j->b == (int)a))
                continue;
            rc = al_seq_from_version(&A, j->versions[a], (int)a, &j->err);
            if (!rc)
                rc = al_seq_from_version(&B, j->versions[b], (int)b, &j->err);
            if (!rc)
                rc = align_step(&j->pairs[j->n_pairs++], j->feat, j->ml, &A, &B, &j->opts, &j->err);
            al_seq_free(&A);
            al_seq_free(&B);
        }
    return rc;
}

#if AL_THREADS
static void *pairwise_main(void *arg)
{
    pw_job *j = arg;
    j->rc = pairwise_runs(j);
    return NULL;
}
#endif

/* Start the pairwise alignments (in a thread where there are threads); a
 * memory lexicon builds its index on first use, so that happens here,
 * before two threads read it. */
static int pairwise_start(pw_job *j, const al_feat *feat, const al_memlex *ml,
                          const am_text *const *versions, size_t n, const int *order,
                          const am_align_opts *opts, am_error *err)
{
    memset(j, 0, sizeof *j);
    j->pairs = calloc(n * (n - 1) / 2, sizeof *j->pairs);
    if (!j->pairs)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    j->n_pairs = 1;
    j->feat = feat;
    j->ml = ml;
    j->versions = versions;
    j->n = n;
    j->a = order[0];
    j->b = order[1];
    j->opts = *opts;
    j->opts.progress = NULL;
    j->opts.progress_ctx = NULL;
    am_error_clear(&j->err);
#if AL_THREADS
    const lx_adj *adj;
    for (size_t k = 0; k < opts->n_lexicons; k++)
        if (opts->lexicons[k] && lx_index(opts->lexicons[k], &adj))
            return am_error_set(err, AM_ENOMEM, "out of memory using the lexicon");
    j->started = pthread_create(&j->thread, NULL, pairwise_main, j) == 0;
#endif
    return AM_OK;
}

/* Wait for the pairwise alignments (or make them, when no thread could
 * be started) and free them; first is the first pair's alignment
 * (borrowed). On success, join S with them. */
static int pairwise_finish(pw_job *j, al_seq *S, const al_seq *first, int rc, am_error *err)
{
    if (!j->pairs)
        return rc;
    int started = 0;
#if AL_THREADS
    started = j->started;
    if (started)
        pthread_join(j->thread, NULL);
#endif
    if (!started && !rc)
        j->rc = pairwise_runs(j);
    if (!rc && j->rc)
        rc = am_error_set(err, j->rc, "%s", j->err.message);
    /* At the default of 3 the joint beads already hold up to 3 units of
     * up to 3 sentences, so the join is not bounded either (bounding it at
     * 3 costs 0.001 F1 on align-ntrex); a smaller --max-side is a promise
     * of small beads and is kept. */
    size_t max_side =
        j->opts.max_side > 0 && j->opts.max_side < 3 ? (size_t)j->opts.max_side : SIZE_MAX;
    if (!rc) {
        j->pairs[0] = *first; /* a shallow copy, not freed here */
        rc = al_join_links(S, j->pairs, j->n_pairs, PAIR_LINK_CONF, max_side, err);
    }
    for (size_t p = 1; p < j->n_pairs; p++)
        al_seq_free(&j->pairs[p]);
    free(j->pairs);
    j->pairs = NULL;
    return rc;
}

static int to_alignment(am_alignment **out, const al_seq *S, size_t n, am_error *err)
{
    am_alignment *a = calloc(1, sizeof *a);
    size_t nb = 0;
    for (size_t k = 0; k < S->n; k++)
        nb += !S->is_brk[k];
    if (a) {
        a->n_versions = n;
        a->begin = calloc(nb * n + 1, sizeof *a->begin);
        a->end = calloc(nb * n + 1, sizeof *a->end);
        a->score = calloc(nb + 1, sizeof *a->score);
    }
    if (!a || !a->begin || !a->end || !a->score) {
        am_alignment_free(a);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < S->n; k++) {
        if (S->is_brk[k])
            continue;
        for (size_t x = 0; x < S->nv; x++) {
            size_t v = (size_t)S->vers[x];
            a->begin[a->n_beads * n + v] = S->begin[k * S->nv + x];
            a->end[a->n_beads * n + v] = S->end[k * S->nv + x];
        }
        a->score[a->n_beads++] = S->conf[k];
    }
    *out = a;
    return AM_OK;
}

static int check_args(am_alignment **out, const am_text *const *versions, size_t n,
                      am_error *err)
{
    if (!out || !versions)
        return am_error_set(err, AM_EARG, "am_align: NULL argument");
    *out = NULL;
    if (n < 2)
        return am_error_set(err, AM_EARG, "aligning needs at least two versions, got %zu", n);
    if (n > AL_MAX_VERSIONS)
        return am_error_set(err, AM_EARG, "at most %d versions can be aligned at once",
                            AL_MAX_VERSIONS);
    for (size_t v = 0; v < n; v++)
        if (!versions[v])
            return am_error_set(err, AM_EARG, "am_align: version %zu is NULL", v);
    return AM_OK;
}

/* Overlap of the name/cognate key vocabularies of two versions (Jaccard
 * over hashed keys in a bitmap): related languages score high. */
static double kinship(const al_feat *a, const al_feat *b, uint64_t *bits_a, uint64_t *bits_b)
{
    enum { WORDS = 1 << 12 };
    memset(bits_a, 0, WORDS * sizeof *bits_a);
    memset(bits_b, 0, WORDS * sizeof *bits_b);
    for (size_t i = 0; i < a->key_off[a->n]; i++)
        if (AL_KEY_CLASS(a->keys[i]) == AL_K_NAME)
            bits_a[(a->keys[i] >> 6) % WORDS] |= 1ull << (a->keys[i] & 63);
    for (size_t i = 0; i < b->key_off[b->n]; i++)
        if (AL_KEY_CLASS(b->keys[i]) == AL_K_NAME)
            bits_b[(b->keys[i] >> 6) % WORDS] |= 1ull << (b->keys[i] & 63);
    double both = 0, any = 0;
    for (size_t w = 0; w < WORDS; w++) {
        both += __builtin_popcountll(bits_a[w] & bits_b[w]);
        any += __builtin_popcountll(bits_a[w] | bits_b[w]);
    }
    return any > 0 ? both / any : 0;
}

/* The order in which versions join: the most akin pair first (its
 * alignment is the most reliable, and it is the pivot of the others), then
 * the rest in input order. */
static int join_order(int *order, const al_feat *feat, size_t n, am_error *err)
{
    uint64_t *bits = malloc(2 * (1 << 12) * sizeof *bits);
    size_t best_a = 0, best_b = 1, k = 2;
    double best = -1;
    if (!bits)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            double s = kinship(&feat[a], &feat[b], bits, bits + (1 << 12));
            if (s > best + 1e-9) {
                best = s;
                best_a = a;
                best_b = b;
            }
        }
    free(bits);
    order[0] = (int)best_a;
    order[1] = (int)best_b;
    for (size_t v = 0; v < n; v++)
        if (v != best_a && v != best_b)
            order[k++] = (int)v;
    return AM_OK;
}

int am_align(am_alignment **out, const am_text *const *versions, size_t n,
             const am_align_opts *opts, am_error *err)
{
    am_align_opts defaults = AM_ALIGN_OPTS_INIT;
    al_feat feat[AL_MAX_VERSIONS];
    al_seq acc = {0}, next = {0}, merged = {0}, first = {0};
    al_memlex *ml = NULL;
    size_t built = 0;
    int rc = check_args(out, versions, n, err);
    if (rc)
        return rc;
    if (!opts)
        opts = &defaults;
    memset(feat, 0, sizeof feat);
    for (; built < n && !rc; built++)
        rc = al_feat_build(&feat[built], versions[built], err);
    int order[AL_MAX_VERSIONS];
    if (!rc)
        rc = al_memlex_new(&ml, versions, n, opts, err);
    if (!rc)
        rc = join_order(order, feat, n, err);
    pw_job pw = {0};
    if (!rc && n > 2)
        rc = pairwise_start(&pw, feat, ml, versions, n, order, opts, err);
    if (!rc)
        rc = al_seq_from_version(&acc, versions[order[0]], order[0], err);
    for (size_t k = 1; k < n && !rc; k++) {
        rc = al_seq_from_version(&next, versions[order[k]], order[k], err);
        if (!rc)
            rc = align_step(&merged, feat, ml, &acc, &next, opts, err);
        al_seq_free(&next);
        if (k == 2) /* the first pair's own alignment: pairwise_finish reuses it */
            first = acc;
        else
            al_seq_free(&acc);
        acc = merged;
        memset(&merged, 0, sizeof merged);
    }
    rc = pairwise_finish(&pw, &acc, &first, rc, err);
    al_seq_free(&first);
    if (!rc)
        rc = to_alignment(out, &acc, n, err);
    al_seq_free(&acc);
    al_memlex_free(ml);
    for (size_t v = 0; v < built; v++)
        al_feat_free(&feat[v]);
    return rc;
}

void am_alignment_free(am_alignment *a)
{
    if (!a)
        return;
    free(a->begin);
    free(a->end);
    free(a->score);
    free(a);
}
