/* lexicon.h - private interface of the lexicon module: the string
 * dictionary and pair map behind am_lexicon, the stem scanner, and the
 * association score, for the aligner (src/align/memlex.c) to read a
 * lexicon by ids instead of by strings. */
#ifndef AM_LEXICON_PRIV_H
#define AM_LEXICON_PRIV_H

#include "alignmem.h"

#include <stdint.h>

#define LX_NONE UINT32_MAX

/* Interned strings: dense ids 0..n-1, each string NUL-terminated. */
typedef struct lx_dict {
    uint64_t *slot; /* cap slots: high 32 bits of the hash, id + 1; 0 = empty */
    size_t cap;
    uint64_t *hash; /* per id */
    size_t *off;    /* per id: offset of the string in text */
    uint32_t *len;  /* per id: byte length */
    size_t n, id_cap;
    char *text;
    size_t text_len, text_cap;
} lx_dict;

/* The id of s[0..n), added when new. AM_OK, AM_ENOMEM, AM_ELIMIT. */
int lx_dict_intern(lx_dict *d, const char *s, size_t n, uint32_t *id_out);
/* The id of s[0..n), or LX_NONE. */
uint32_t lx_dict_find(const lx_dict *d, const char *s, size_t n);
static inline const char *lx_dict_str(const lx_dict *d, uint32_t id)
{
    return d->text + d->off[id];
}
void lx_dict_free(lx_dict *d);

/* Map from a pair of ids (a << 32 | b) to a count. */
typedef struct lx_pair_slot {
    uint64_t key; /* UINT64_MAX = empty */
    uint64_t val;
} lx_pair_slot;

typedef struct lx_pairs {
    lx_pair_slot *slot; /* key and count side by side: one cache miss */
    size_t cap, n;
} lx_pairs;

int lx_pairs_add(lx_pairs *m, uint64_t key, uint64_t v);
/* Add v to the count of each of keys[0..n) (distinct). */
int lx_pairs_add_many(lx_pairs *m, const uint64_t *keys, size_t n, uint64_t v);
uint64_t lx_pairs_get(const lx_pairs *m, uint64_t key);
void lx_pairs_free(lx_pairs *m);

/* One side of a lexicon. */
typedef struct lx_side {
    lx_dict dict;
    uint64_t *units;       /* per id: units holding the stem */
    unsigned char *wanted; /* per id */
    uint64_t *stamp;       /* per id: the last unit it was seen in */
    size_t cap;            /* of units, wanted and stamp */
} lx_side;

/* The pairs by stem: for stem id of a side, its partners on the other
 * side are partner[side][off[side][id] .. off[side][id + 1]), seen together
 * in both[side][...] units. */
typedef struct lx_adj {
    uint32_t *off[2];
    uint32_t *partner[2];
    uint64_t *both[2];
    size_t n_ids[2];
} lx_adj;

struct am_lexicon {
    char lang[2][32];
    const am_lang *tbl[2];
    uint64_t units;
    lx_side side[2];
    lx_pairs pairs;
    uint32_t *ids[2]; /* scratch of am_lexicon_count: stems in order */
    size_t ids_cap[2];
    double *pos[2]; /* scratch: relative place of each distinct stem */
    size_t pos_cap[2];
    uint64_t *keys; /* scratch: the pairs of a unit */
    size_t keys_cap;
    uint64_t serial;  /* units counted by am_lexicon_count, for stamp */
    uint64_t changes; /* bumped by every change of the pairs */
    lx_adj adj;       /* built on demand (lx_index) */
    uint64_t adj_changes;
    int adj_built;
};

/* The pairs of lx by stem, built on first use after a change and kept in
 * lx (so, like a language table, a lexicon must not be used by two threads
 * at once). *out borrowed from lx. AM_ENOMEM. */
int lx_index(const am_lexicon *lx, const lx_adj **out);

/* Whether stem id of side is too frequent to be paired: a function word.
 * Counted in more than LX_FREQUENT of the units and in more than
 * LX_FREQUENT_MIN of them (so that a small lexicon pairs everything):
 * such a stem co-occurs with everything, so its pairs are noise for the
 * aligner and most of the cost of counting. Its units are still counted;
 * its pair counts stop growing (lexicon.c). */
#define LX_FREQUENT 0.01
#define LX_FREQUENT_MIN 1000
static inline int lx_frequent(const struct am_lexicon *lx, int side, uint32_t id)
{
    uint64_t u = lx->side[side].units[id];
    return u > LX_FREQUENT_MIN && (double)u > LX_FREQUENT * (double)lx->units;
}

/* Call fn for every stem occurrence of the key text s[0..n) (already
 * normalised), with stems of at most stem_len code points. fn's non-zero
 * return stops the scan and is returned. */
int lx_scan_stems(const char *s, size_t n, int stem_len,
                  int (*fn)(const char *stem, size_t len, void *ctx), void *ctx);
/* The matching key of s[0..n), equal to am_normalize's, made without ICU
 * for plain ASCII and Cyrillic text. *out owned by the caller (free()). */
int lx_key(char **out, size_t *out_len, const char *s, size_t n, am_error *err);
/* Stem length of a language table (the generic default when unset). */
int lx_stem_len(const am_lang *lang);

/* The association score of a pair seen together in `both` units, its
 * stems in ua and ub units, out of n units: in (0, 1] (lexicon.c). */
double lx_assoc(uint64_t both, uint64_t ua, uint64_t ub, uint64_t n);

/* What the aligner can use of a lexicon (src/align/memlex.c, which tuned
 * these values): a link needs its stems seen together in LX_LINK_MIN_BOTH
 * units and a score of LX_LINK_MIN_SCORE, and neither stem may be in more
 * than LX_LINK_MAX_FREQ of the units (at least LX_LINK_FREQ_FLOOR): a
 * function word links to everything. A store loading counts for aligning
 * drops the rest (am_tm_lexicon_load_within), which on a large memory is
 * most of what it would read. */
#define LX_LINK_MIN_BOTH 2
#define LX_LINK_MIN_SCORE 0.2
#define LX_LINK_MAX_FREQ 0.05
#define LX_LINK_FREQ_FLOOR 10
/* Whether a stem in u of n units is not a function word. */
static inline int lx_link_word(uint64_t u, uint64_t n)
{
    double cap = LX_LINK_MAX_FREQ * (double)n;
    return (double)u <= (cap < LX_LINK_FREQ_FLOOR ? LX_LINK_FREQ_FLOOR : cap);
}
/* The fewest units together a pair with a stem in ua units needs to
 * score LX_LINK_MIN_SCORE (Dice: 2 both / (ua + ub) >= s implies
 * both >= s ua / 2), for a store to skip the rest while reading. */
static inline uint64_t lx_link_min_both(uint64_t ua)
{
    uint64_t b = (uint64_t)(LX_LINK_MIN_SCORE / 2 * (double)ua);
    return b < LX_LINK_MIN_BOTH ? LX_LINK_MIN_BOTH : b;
}
static inline int lx_link_pair(uint64_t both, uint64_t ua, uint64_t ub, uint64_t n)
{
    return both >= LX_LINK_MIN_BOTH && lx_assoc(both, ua, ub, n) >= LX_LINK_MIN_SCORE;
}

#endif
