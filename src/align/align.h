/* align.h - private interface of the align module.
 *
 * Pipeline (am_align in nway.c):
 *   features.c   per-sentence features, computed once per sentence
 *   seq          a sequence to align: items are units (a range of sentences
 *                in each of a set of versions) or paragraph breaks
 *   score.c      bead cost between a group of units of one sequence and a
 *                group of the other: Gale-Church length term, naive-Bayes
 *                anchor evidence, per-unit coverage, type priors
 *   dp.c         banded dynamic programming over two sequences; breaks are
 *                items of their own (matched free, unmatched costly)
 *   lexicon.c    word associations learned from confident beads (Dice)
 *   memlex.c     links from lexicons learned from the memory (opts)
 *   confidence.c forward-backward posteriors of the chosen beads
 */
#ifndef AM_ALIGN_PRIV_H
#define AM_ALIGN_PRIV_H

#include "alignmem.h"

#include <stdint.h>

/* Key classes; the class lives in the top 3 bits of a 32-bit key. */
enum {
    AL_K_NUM = 0,
    AL_K_NAME = 1,
    AL_K_PUNCT = 2,
    AL_K_LEX = 3,
    AL_K_LINK = 4,
    AL_K_MEM = 5, /* links of a lexicon learned from the memory (memlex.c) */
    AL_NCLASS = 6
};
#define AL_KEY(cls, h) (((uint32_t)(cls) << 29) | ((uint32_t)(h) & 0x1fffffffu))
#define AL_KEY_CLASS(k) ((int)((k) >> 29))
#define AL_MAX_M 4

/* Features of one version: for sentence s, keys[key_off[s] .. key_off[s+1])
 * are its anchor keys (sorted, unique) and words[word_off[s] ..
 * word_off[s+1]) its word ids (sorted, unique; ids are dense per version). */
typedef struct al_feat {
    size_t n;
    double *cum_len;    /* n+1 prefix sums of sentence lengths in characters */
    uint32_t *key_off;  /* n+1 */
    uint32_t *keys;
    uint32_t *word_off; /* n+1 */
    uint32_t *words;
    uint32_t n_word_ids;
    uint32_t *word_freq; /* sentences containing each word id */
    uint16_t *ncls;      /* n * AL_NCLASS keys per class */
    /* split[s * AL_SPLITS + k]: where the k-th clause break (';') of
     * sentence s falls, as a fraction of its length; -1 for none. */
    float *split;
} al_feat;

#define AL_SPLITS 2

int al_feat_build(al_feat *out, const am_text *t, am_error *err);
void al_feat_free(al_feat *f);

/* Pairwise model of versions v (in P) and w (in Q). */
typedef struct al_pair {
    int v, w;
    double ratio;    /* expected chars of w per char of v */
    double s2;       /* variance per char (Gale & Church) */
    /* Evidence (cost units) of a matched and of an unmatched key of a
     * class, when the other side has m = 1..AL_MAX_M sentences. */
    double w_hit[AL_NCLASS][AL_MAX_M + 1];
    double w_miss[AL_NCLASS][AL_MAX_M + 1];
    int use_content;
    /* Lexicon keys learned for this pair (AL_K_LEX); NULL when none. */
    uint32_t *lex_off_v, *lex_v; /* per sentence of v */
    uint32_t *lex_off_w, *lex_w; /* per sentence of w */
    /* Memory-lexicon keys for this pair (AL_K_MEM), set once before the
     * passes (memlex.c; al_pair_free leaves them); NULL when none. */
    uint32_t *mem_off_v, *mem_v;
    uint32_t *mem_off_w, *mem_w;
} al_pair;

/* A sequence of items. Item k covers, for each of its nv versions (given by
 * vers[]), sentences [begin[k*nv+x], end[k*nv+x]); a break item has
 * is_brk set and empty ranges. run[k] = number of consecutive non-break
 * items ending just before k (k = 0..n). conf[k] is the confidence of the
 * bead that produced the item (1 for single sentences). */
typedef struct al_seq {
    size_t n, nv;
    int vers[16];
    size_t *begin, *end;
    unsigned char *is_brk;
    uint32_t *run;
    double *conf;
} al_seq;

#define AL_MAX_VERSIONS 16

int al_seq_from_version(al_seq *out, const am_text *t, int v, am_error *err);
void al_seq_free(al_seq *s);
/* Join the beads of S (the joint path of all versions) across every
 * boundary that a bead of pairs[0..n_pairs) crosses: each pairs[p] is a
 * two-version sequence (vers[0], vers[1] among S's) of pairwise beads,
 * and only those with confidence above min_conf count. Boundaries next to
 * a paragraph break stay, and so does one whose join would put more than
 * max_side sentences on a side. S is replaced in place (nway.c). */
int al_join_links(al_seq *S, const al_seq *pairs, size_t n_pairs, double min_conf,
                  size_t max_side, am_error *err);

#define AL_COSTS_CACHED 4u

/* Everything the cost function needs. */
typedef struct al_ctx {
    const al_feat *feat; /* per version, indexed by version number */
    const al_seq *P, *Q;
    al_pair *pairs;      /* P->nv * Q->nv, index x*Q->nv + y */
    size_t n_pairs;
    int max_side;        /* units per side of a bead */
    int max_range;       /* sentences per version per side */
    int content;         /* 0: length and breaks only (first pass) */
    double lambda;       /* weight of the anchor evidence */
    double cover_pen;    /* a unit of a multi-unit side that nothing explains */
    /* Cache of item-pair key hits, laid out like the band of the current
     * pass: cell (p+1, q+1) holds n_pairs * AL_NCLASS counts. */
    const struct al_band *band;
    uint8_t *cache, *cached;
    /* Bead costs already computed in the band: AL_NCODES per cell, valid
     * once bit AL_COSTS_CACHED of cached[cell] is set (bits 1 and 2 are
     * the match cache's; al_cache_init/al_cache_free manage it too). */
    float *cost_cache;
    double temperature;  /* of the posteriors (confidence.c) */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
    const struct al_memlex *memlex; /* lexicons of the memory, or NULL */
} al_ctx;

/* Band: for row i (0..nP), columns [lo[i], hi[i]] of 0..nQ. */
typedef struct al_band {
    size_t rows;
    size_t *lo, *hi;
    size_t *off; /* cell offset of row i; off[rows] = total cells */
} al_band;

/* One bead of a two-sequence alignment: items [p0,p1) and [q0,q1). */
typedef struct al_bead {
    size_t p0, p1, q0, q1;
    double cost, conf;
} al_bead;

typedef struct al_path {
    al_bead *b;
    size_t n, cap;
} al_path;

void al_path_free(al_path *p);

/* score.c */
double al_bead_cost(al_ctx *c, size_t p0, size_t p1, size_t q0, size_t q1);
double al_break_cost(int matched);
/* Count matched keys between sentence s of version v and sentence t of w,
 * per class, into hit[AL_NCLASS]. */
void al_intersect(const al_ctx *c, const al_pair *pr, size_t s, size_t t, int hit[AL_NCLASS]);
/* Set up (and al_cache_free release) the hit cache for band. */
int al_cache_init(al_ctx *c, const struct al_band *band, am_error *err);
void al_cache_free(al_ctx *c);
int al_estimate_pairs(al_ctx *c, const al_path *path, am_error *err);
void al_pair_init(al_pair *pr, const al_feat *fv, const al_feat *fw, int v, int w);
void al_pair_free(al_pair *pr);

/* dp.c */
/* A candidate bead ending at a cell: it starts at cell (pi, pj). */
typedef struct al_cand {
    size_t pi, pj;
    double cost;
    unsigned char code;
} al_cand;
#define AL_MAX_CANDS 16
#define AL_NCODES 13
/* The beads that end at cell (i, j) and start inside the band. */
size_t al_candidates(al_cand *out, al_ctx *c, const al_band *band, size_t i, size_t j);
/* The cell index of (i, j), or (size_t)-1 outside the band. */
size_t al_cell(const al_band *b, size_t i, size_t j);
int al_band_diagonal(al_band *out, const al_seq *P, const al_seq *Q, size_t width, am_error *err);
/* The band old (borrowed), grown where path comes near its edge: the
 * rows within width of such a bead end take the columns within width of
 * it. */
int al_band_grow(al_band *out, const al_band *old, const al_path *path, size_t nQ, size_t width,
                 am_error *err);
int al_band_around(al_band *out, const al_path *path, size_t nP, size_t nQ, size_t width,
                   am_error *err);
void al_band_free(al_band *b);
/* Ask for huge pages for a large array (a hint; see dp.c). */
void al_huge_pages(void *p, size_t bytes);
/* Best path in the band. *touched is set when the path runs along the edge
 * of the band (so a wider band might find a better one). */
int al_dp(al_path *out, al_ctx *c, const al_band *band, int *touched, am_error *err);

/* confidence.c: posterior probability of each bead of path (in band). */
int al_confidence(al_path *path, al_ctx *c, const al_band *band, am_error *err);

/* lexicon.c: learn word links for each pair from the confident beads of
 * path and store them as AL_K_LEX keys in the pairs. */
int al_lexicon_learn(al_ctx *c, const al_path *path, am_error *err);

/* memlex.c: the stems of the versions whose languages have a lexicon in
 * opts (*out NULL when none has; freed by al_memlex_free), and from them
 * the AL_K_MEM keys of a pair (released by al_memlex_pair_free). */
typedef struct al_memlex al_memlex;
#ifndef AL_MEM_PASSES
#define AL_MEM_PASSES 8 /* bit p: memory keys in pass p (memlex.c) */
#endif
int al_memlex_new(al_memlex **out, const am_text *const *versions, size_t n,
                  const am_align_opts *opts, am_error *err);
void al_memlex_free(al_memlex *ml);
int al_memlex_keys(al_pair *pr, const al_memlex *ml, am_error *err);
/* Give every pair of c its memory keys (on) or take them away (off). */
int al_memlex_use(al_ctx *c, int on, am_error *err);
void al_memlex_pair_free(al_pair *pr);
/* The number of values two sorted arrays share. */
int al_common(const uint32_t *a, const uint32_t *ae, const uint32_t *b, const uint32_t *be);
/* Sort a[0..n) and drop repeats; returns how many are left (features.c:
 * the keys and words of a sentence, memlex.c its stems and concepts). */
size_t al_sort_unique(uint32_t *a, size_t n);

/* nway.c */
int al_align_seqs(al_path *out, al_ctx *c, am_error *err);

#endif
