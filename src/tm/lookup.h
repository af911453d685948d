/* lookup.h - private to the fuzzy lookup of src/tm: the lookup session
 * (struct am_lookup) and what the four files of the lookup share.
 *
 * A lookup is one pipeline, a file per stage, so that a change to one
 * stage is made in one file:
 *   lookup_postings.c    the postings of one term: the am_postings FTS5
 *                        auxiliary function and the session's term cache;
 *   lookup_candidates.c  which stored segments can reach the minimum score
 *                        (the recall bound) and the best max_candidates of
 *                        them (a MaxScore merge of the terms' postings);
 *   lookup.c             the session (am_lookup_new .. am_lookup_free),
 *                        exact matches, the scoring of the candidates and
 *                        the public entry points;
 *   lookup_result.c      the am_matches handed back: the unit's variants,
 *                        document and word diff, and the context (101%)
 *                        of consecutive exact matches.
 * The tokenizer, distance and score they use are in match.h (fuzzy.c). */
#ifndef AM_TM_LOOKUP_H
#define AM_TM_LOOKUP_H

#include "match.h"

#include <stdint.h>

/* Every term is probed by reading up to PROBE postings: a term with fewer
 * is rare, its postings are then in hand and its df exact (fts5vocab would
 * count a term's documents by reading its whole doclist, stop words too). */
#define AM_LK_PROBE 5000
/* Postings read per term at most: a term this common is useless for
 * ranking, and the cap keeps a lookup made of stop words bounded. */
#define AM_LK_POSTINGS_CAP 50000

/* The term cache of a session; its entries and memory chunks are private
 * to lookup_postings.c, which says what it keeps and why. */
typedef struct am_lk_tcache_ent am_lk_tcache_ent;
typedef struct am_lk_tchunk am_lk_tchunk;

typedef struct am_lk_tcache {
    am_lk_tcache_ent *e;
    size_t cap, n;                   /* slots (a power of two), used */
    am_lk_tchunk *chunks;            /* newest first */
    size_t postings;                 /* kept in all (replaced copies included) */
    long long data_version, changes; /* of the memory when filled */
} am_lk_tcache;

/* A candidate of the merge. */
typedef struct am_lk_cand {
    int64_t id;     /* variant id */
    double weight;  /* sum of idf of the chosen tokens it holds */
    unsigned count; /* chosen tokens it holds */
} am_lk_cand;

/* A candidate that reached the minimum base score. */
typedef struct am_lk_scored {
    int64_t variant, unit;
    double base;
    char *text; /* the stored segment, owned */
    int codes;  /* it had inline codes */
    int full;   /* fz computed */
    am_fuzzy fz;
} am_lk_scored;

typedef struct am_lk_scored_list {
    am_lk_scored *s;
    size_t n, cap;
} am_lk_scored_list;

/* Where a unit sits in a document. */
typedef struct am_lk_place {
    int64_t doc;
    long pos;
} am_lk_place;

struct am_lookup {
    sqlite3 *db;
    am_lookup_opts o;
    char from[64];
    char **to;
    sqlite3_stmt *post, *aux, *var, *text, *unit, *vars, *src, *exact, *dver;
    am_lk_tcache cache;
    am_mt_toks qk, ck, qo, mo;
    uint32_t *work;
    size_t work_cap;
    double n_docs;    /* for idf: the largest variant id */
    am_lk_cand *cbuf; /* the merge's candidates, reused from query to query */
    size_t cbuf_cap;
    int64_t *pbuf; /* postings of the query's terms */
    size_t pbuf_n, pbuf_cap;
    am_lk_place *prev; /* where the previous segment's exact matches sit */
    size_t n_prev;
    long long cache_size_before; /* PRAGMA cache_size of the connection */
};

/* ---- lookup_postings.c ---- */

/* Prepare lk->post, lk->aux (the am_postings statement, registering the
 * function on the connection when it lacks it; NULL when FTS5 cannot take
 * it, lk->post then serves) and lk->dver, and mark the cache unfilled.
 * The statements are finalized by am_lookup_free. */
int am_lk_postings_prepare(am_lookup *lk, am_error *err);
/* Up to cap postings of the term s[0..n) (a normalised key) appended to
 * lk->pbuf, through the term cache; *got is what the statement would have
 * returned. With cap == AM_LK_PROBE, a term known to be frequent gets
 * *got = AM_LK_PROBE and nothing on pbuf. */
int am_lk_read_postings(size_t *got, am_lookup *lk, const char *s, size_t n, long long cap,
                        am_error *err);
/* Empty the term cache when the memory was written since the last lookup. */
void am_lk_tcache_check(am_lookup *lk);
/* Free everything the term cache holds (c itself is not freed). */
void am_lk_tcache_free(am_lk_tcache *c);

/* ---- lookup_candidates.c ---- */

/* The candidates of the query whose normalised key is qn (tokenised into
 * lk->qk): variant ids, best first, at most lk->o.max_candidates, in *out
 * (owned by the caller, free()) and their number in *n_out. */
int am_lk_find_candidates(am_lk_cand **out, size_t *n_out, am_lookup *lk, const char *qn,
                          am_error *err);

/* ---- lookup_result.c ---- */

/* Fill r (r->m, r->n, r->priv) from the scored matches l, best first; the
 * texts of l move into r's pool (their pointers in l are set to NULL), so
 * l is freed as usual afterwards. Marks the context matches (101%) and
 * remembers where this segment's exact matches sit. */
int am_lk_build_result(am_matches *r, am_lookup *lk, am_lk_scored_list *l, const char *query,
                       size_t len, am_error *err);

#endif
