/* lookup_candidates.c - the candidates of a fuzzy lookup: which stored
 * segments are scored (see lookup.h for the whole pipeline).
 *
 * Candidates come from the FTS5 index with a bound that keeps recall exact
 * at the token level: a stored segment scoring at least min shares at
 * least s = ceil(n * min / 100) of the query's n word tokens (each kept
 * token of the Levenshtein alignment is a shared one), so if the terms
 * left out account for W < s occurrences, every such segment holds at
 * least ceil((s - W) / c) distinct chosen terms (c: the largest
 * multiplicity among them). Each term is probed by reading at most
 * AM_LK_PROBE postings, longest terms first: rare terms are chosen with
 * their postings in hand; frequent ones are read in full only when the
 * bound needs them.
 * Postings are counted per segment, and the best max_candidates by summed
 * idf go on to be scored (lookup.c).
 *
 * Speed: the merge stops walking the long postings of frequent terms once
 * they cannot lift a segment into the best max_candidates (MaxScore,
 * merge_top), and only searches them for the segments the rarer terms
 * bring; the candidates' buffer lives as long as the session. */
#include "lookup.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct qterm {
    uint64_t hash;
    uint32_t tok;     /* index in the keyed query tokens */
    int mult;         /* occurrences in the query */
    long long df;     /* segments holding it; AM_LK_PROBE..: at least that many */
    size_t post, n_post; /* its postings in am_lookup.pbuf */
    size_t key_len;
} qterm;

static int cmp_qterm_hash(const void *a, const void *b)
{
    uint64_t x = ((const qterm *)a)->hash, y = ((const qterm *)b)->hash;
    return x < y ? -1 : x > y;
}

static int cmp_qterm_df(const void *a, const void *b)
{
    long long x = ((const qterm *)a)->df, y = ((const qterm *)b)->df;
    return x < y ? -1 : x > y;
}

static int cmp_qterm_len_desc(const void *a, const void *b)
{
    const qterm *x = a, *y = b;
    if (x->key_len != y->key_len)
        return x->key_len > y->key_len ? -1 : 1;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Distinct word tokens of the keyed query with multiplicity, probed
 * longest first (long words tend to be rare): every rare term found
 * counts towards the recall bound; once the bound is met, the first
 * frequent term ends the probing, and the shorter, likely frequent terms
 * after it are left unread (df LLONG_MAX). Sorted by df on return. */
static int query_terms(am_lookup *lk, const char *qn, size_t s, qterm **out, size_t *n_out,
                       am_error *err)
{
    const am_mt_toks *q = &lk->qk;
    qterm *t = calloc(q->n_words + 1, sizeof *t);
    size_t n = 0, w = q->n_words;
    if (!t)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->n_words; i++)
        t[i] = (qterm){q->words[i], q->widx[i], 1, LLONG_MAX, 0, 0, q->t[q->widx[i]].len};
    qsort(t, q->n_words, sizeof *t, cmp_qterm_hash);
    for (size_t i = 0; i < q->n_words; i++) {
        if (n && t[n - 1].hash == t[i].hash)
            t[n - 1].mult++;
        else
            t[n++] = t[i];
    }
    qsort(t, n, sizeof *t, cmp_qterm_len_desc);
    lk->pbuf_n = 0;
    for (size_t i = 0; i < n; i++) {
        const am_mt_tok *tok = &q->t[t[i].tok];
        t[i].post = lk->pbuf_n;
        int rc = am_lk_read_postings(&t[i].n_post, lk, qn + tok->off, tok->len, AM_LK_PROBE, err);
        if (rc) {
            free(t);
            return rc;
        }
        t[i].df = (long long)t[i].n_post;
        if (t[i].df >= AM_LK_PROBE)
            t[i].n_post = 0; /* read again in full if chosen */
        if (t[i].df < AM_LK_PROBE)
            w -= (size_t)t[i].mult;
        else if (w < s)
            break;
    }
    qsort(t, n, sizeof *t, cmp_qterm_df);
    *out = t;
    *n_out = n;
    return AM_OK;
}

/* A min-heap of the chosen terms by their next posting. */
typedef struct mhead {
    int64_t id;
    size_t term;
} mhead;

static void heap_down(mhead *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].id < h[m].id)
            m = l;
        if (l + 1 < n && h[l + 1].id < h[m].id)
            m = l + 1;
        if (m == i)
            return;
        mhead t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int cmp_cand(const void *a, const void *b)
{
    const am_lk_cand *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The best K candidates so far in a heap with the worst (last in
 * cmp_cand order) at the root. */
static void top_down(am_lk_cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && cmp_cand(&h[l], &h[m]) > 0)
            m = l;
        if (l + 1 < n && cmp_cand(&h[l + 1], &h[m]) > 0)
            m = l + 1;
        if (m == i)
            return;
        am_lk_cand x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static void top_offer(am_lk_cand *h, size_t *n, size_t cap, const am_lk_cand *x)
{
    if (*n < cap) {
        size_t i = (*n)++;
        h[i] = *x;
        while (i > 0 && cmp_cand(&h[i], &h[(i - 1) / 2]) > 0) {
            am_lk_cand y = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = y;
            i = (i - 1) / 2;
        }
    } else if (cmp_cand(x, &h[0]) < 0) {
        h[0] = *x;
        top_down(h, *n, 0);
    }
}

/* First index >= from of p[0..n) holding a value >= id (galloping). */
static size_t gallop(const int64_t *p, size_t n, size_t from, int64_t id)
{
    size_t lo = from, step = 1;
    if (lo >= n || p[lo] >= id)
        return lo;
    while (lo + step < n && p[lo + step] < id) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step < n ? lo + step : n; /* p[lo] < id <= p[hi] (or hi == n) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid] < id)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

typedef struct merge_state {
    const qterm *t;
    size_t k, e;      /* terms, essential ones (t[0..e)) */
    size_t *pos;      /* next posting of each term */
    double *idf, *ub; /* ub[i]: sum of idf[i..k) */
    char *hit;
    mhead *h;         /* the essential terms by their next posting */
    size_t nh;
} merge_state;

static void merge_heap_build(merge_state *m, const int64_t *pbuf)
{
    m->nh = 0;
    for (size_t i = 0; i < m->e; i++) {
        if (m->pos[i] < m->t[i].n_post)
            m->h[m->nh++] = (mhead){pbuf[m->t[i].post + m->pos[i]], i};
    }
    for (size_t i = m->nh; i-- > 0;)
        heap_down(m->h, m->nh, i);
}

/* Which chosen terms segment id holds: the essential ones as the merge
 * pops them, the others by galloping through their postings. */
static void merge_hits(merge_state *m, const int64_t *pbuf, int64_t id)
{
    while (m->nh && m->h[0].id == id) {
        size_t i = m->h[0].term;
        m->hit[i] = 1;
        if (++m->pos[i] < m->t[i].n_post)
            m->h[0].id = pbuf[m->t[i].post + m->pos[i]];
        else
            m->h[0] = m->h[--m->nh];
        heap_down(m->h, m->nh, 0);
    }
    for (size_t i = m->e; i < m->k; i++) {
        const int64_t *p = pbuf + m->t[i].post;
        size_t j = gallop(p, m->t[i].n_post, m->pos[i], id);
        m->pos[i] = j;
        if (j < m->t[i].n_post && p[j] == id) {
            m->hit[i] = 1;
            m->pos[i]++;
        }
    }
}

/* The best cap segments (cmp_cand order) among those holding at least
 * need of the chosen terms, into c[0..*n_out), sorted; *n_out is
 * min(cap, all such segments). Segments are taken in rowid order from a
 * k-way merge of the postings through a binary heap; once cap are kept,
 * the terms whose idf sum (a suffix t[e..k)) is below the worst kept
 * weight cannot make a segment enter on their own, so they leave the
 * merge and are only searched (galloping) for the segments the others
 * bring: MaxScore (Turtle and Flood 1995). The weight of a segment is
 * summed in term order, as a full merge would: the same candidates, in
 * the same order, from far fewer postings (frequent terms are long). */
static int merge_top(am_lookup *lk, const qterm *t, size_t k, unsigned need, size_t cap,
                     size_t *n_out)
{
    merge_state m = {t, k, k, calloc(k + 1, sizeof(size_t)), calloc(k + 1, sizeof(double)),
                     calloc(k + 1, sizeof(double)), calloc(k + 1, 1),
                     malloc((k + 1) * sizeof(mhead)), 0};
    size_t n = 0;
    if (lk->cbuf_cap < cap) {
        free(lk->cbuf);
        lk->cbuf = malloc(cap * sizeof *lk->cbuf);
        lk->cbuf_cap = lk->cbuf ? cap : 0;
    }
    am_lk_cand *c = lk->cbuf;
    int rc = m.pos && m.idf && m.ub && m.hit && m.h && c ? AM_OK : AM_ENOMEM;
    for (size_t i = 0; !rc && i < k; i++)
        m.idf[i] = log(1.0 + lk->n_docs / (double)(t[i].df + 1));
    for (size_t i = k; !rc && i-- > 0;)
        m.ub[i] = m.ub[i + 1] + m.idf[i];
    if (!rc)
        merge_heap_build(&m, lk->pbuf);
    while (!rc && m.nh) {
        am_lk_cand x = {m.h[0].id, 0, 0};
        merge_hits(&m, lk->pbuf, x.id);
        for (size_t i = 0; i < k; i++) { /* in term order: the same sum every time */
            if (!m.hit[i])
                continue;
            m.hit[i] = 0;
            x.count++;
            x.weight += m.idf[i];
        }
        if (x.count < need)
            continue;
        top_offer(c, &n, cap, &x);
        if (n < cap)
            continue;
        /* The margin covers rounding: ub sums in another order. */
        size_t e = m.e;
        while (e > 0 && m.ub[e - 1] * (1.0 + 1e-9) < c[0].weight)
            e--;
        if (e != m.e) {
            m.e = e;
            merge_heap_build(&m, lk->pbuf);
        }
    }
    free(m.pos);
    free(m.idf);
    free(m.ub);
    free(m.hit);
    free(m.h);
    if (rc)
        return rc;
    qsort(c, n, sizeof *c, cmp_cand);
    *n_out = n;
    return AM_OK;
}

/* How many of the (df-sorted) terms to count, and the count a segment
 * needs to possibly reach min (see the comment at the top). Every rare
 * term is counted: its postings are in hand, and each raises the count
 * needed by one. Frequent terms only as far as the bound needs them. */
static size_t min_shared(size_t n_words, double min)
{
    return (size_t)ceil((double)n_words * min / 100.0 - 1e-9);
}

static size_t choose_terms(const qterm *t, size_t n, size_t n_words, double min, unsigned *need)
{
    size_t s = min_shared(n_words, min), w = n_words, k = 0;
    int cmax = 1;
    if (s == 0) {
        *need = 1;
        return n;
    }
    while (k < n && (t[k].df < AM_LK_PROBE || w >= s)) {
        w -= (size_t)t[k].mult;
        if (t[k].mult > cmax)
            cmax = t[k].mult;
        k++;
    }
    *need = w >= s ? 1 : (unsigned)((s - w + (size_t)cmax - 1) / (size_t)cmax);
    return k;
}

int am_lk_find_candidates(am_lk_cand **out, size_t *n_out, am_lookup *lk, const char *qn,
                          am_error *err)
{
    qterm *t = NULL;
    size_t nt = 0, k, nc = 0;
    unsigned need;
    am_lk_cand *c = NULL;
    int rc = query_terms(lk, qn, min_shared(lk->qk.n_words, lk->o.min_score), &t, &nt, err);
    if (rc)
        return rc;
    k = choose_terms(t, nt, lk->qk.n_words, lk->o.min_score, &need);
    for (size_t i = 0; i < k && !rc; i++) {
        if (t[i].df < AM_LK_PROBE)
            continue;
        const am_mt_tok *tok = &lk->qk.t[t[i].tok];
        t[i].post = lk->pbuf_n;
        rc = am_lk_read_postings(&t[i].n_post, lk, qn + tok->off, tok->len, AM_LK_POSTINGS_CAP,
                                 err);
        t[i].df = (long long)t[i].n_post;
    }
    if (!rc && merge_top(lk, t, k, need, lk->o.max_candidates, &nc))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc)
        goto cleanup;
    c = lk->cbuf;
    if (!(*out = malloc((nc ? nc : 1) * sizeof **out))) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(*out, c, nc * sizeof *c);
    *n_out = nc;
cleanup:
    free(t);
    return rc;
}
