/* lookup_result.c - what a fuzzy lookup hands back (see lookup.h for the
 * whole pipeline): each match with its unit's variants in the languages
 * asked for, its document and place, and the word diff against the query;
 * and the context match (101%): an exact match whose unit follows, in the
 * same document, the exact match of the session's previous segment.
 *
 * Everything a result holds lives in one pool (am_mt_pool, shared with
 * concord.c), freed at once by am_matches_free. */
#include "lookup.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* ---- the pool -------------------------------------------------------- */

void *am_mt_pool_keep(am_mt_pool *pl, void *x)
{
    if (!x)
        return NULL;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? 2 * pl->cap : 32;
        void **p = realloc(pl->p, cap * sizeof *p);
        if (!p) {
            free(x);
            return NULL;
        }
        pl->p = p;
        pl->cap = cap;
    }
    return pl->p[pl->n++] = x;
}

char *am_mt_pool_dup(am_mt_pool *pl, const unsigned char *s)
{
    return am_mt_pool_keep(pl, strdup(s ? (const char *)s : ""));
}

am_variant *am_mt_pool_room(am_mt_pool *pl, am_variant *v, size_t n, size_t *cap)
{
    if (n < *cap)
        return v;
    am_variant *p = am_mt_pool_keep(pl, calloc(2 * *cap, sizeof *p));
    if (!p)
        return NULL;
    memcpy(p, v, *cap * sizeof *v);
    *cap *= 2;
    return p;
}

void am_mt_pool_free(am_mt_pool *pl)
{
    for (size_t i = 0; pl && i < pl->n; i++)
        free(pl->p[i]);
    if (pl)
        free(pl->p);
    free(pl);
}

static int wanted_lang(const am_lookup *lk, const char *lang)
{
    if (!lk->o.to)
        return 1;
    for (size_t i = 0; i < lk->o.n_to; i++) {
        if (am_tm_lang_matches(lk->o.to[i], lang))
            return 1;
    }
    return 0;
}

static int fill_variants(am_lookup *lk, am_match *m, int64_t source_id, am_mt_pool *pl,
                         am_error *err)
{
    sqlite3_stmt *st = lk->vars;
    size_t cap = 4, n = 1;
    am_variant *v = am_mt_pool_keep(pl, calloc(cap, sizeof *v));
    int rc;
    if (!v)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    sqlite3_bind_int64(st, 1, m->unit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *lang = (const char *)sqlite3_column_text(st, 1);
        if (id != source_id && !wanted_lang(lk, lang))
            continue;
        am_variant *room = am_mt_pool_room(pl, v, n, &cap);
        if (!room)
            break;
        v = room;
        am_variant *x = id == source_id ? &v[0] : &v[n++];
        x->lang = am_mt_pool_dup(pl, sqlite3_column_text(st, 1));
        x->text = am_mt_pool_dup(pl, sqlite3_column_text(st, 2));
        x->markup = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NULL
                        : am_mt_pool_dup(pl, sqlite3_column_text(st, 3));
        if (!x->lang || !x->text)
            break;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    m->variants = v;
    m->n_variants = v[0].text ? n : 0;
    return AM_OK;
}

static int fill_match(am_lookup *lk, am_match *m, am_lk_scored *x, const char *query, size_t qlen,
                      am_mt_pool *pl, am_error *err)
{
    sqlite3_stmt *st = lk->unit;
    m->score = x->fz.score;
    m->fuzzy = x->fz;
    m->unit = x->unit;
    m->position = -1;
    m->source = am_mt_pool_keep(pl, x->text);
    x->text = NULL; /* now the pool's, or freed by it when it is full */
    if (!m->source)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    sqlite3_bind_int64(st, 1, x->unit);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m->document = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            m->position = sqlite3_column_int(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
            !(m->document_title = am_mt_pool_dup(pl, sqlite3_column_text(st, 2))))
            rc = SQLITE_NOMEM;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, rc, "cannot read the memory");
    if ((rc = fill_variants(lk, m, x->variant, pl, err)))
        return rc;
    return am_word_diff(&m->diff, m->source, strlen(m->source), query, qlen, err);
}

void am_matches_free(am_matches *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        am_diff_free(m->m[i].diff);
    am_mt_pool_free(m->priv);
    free(m->m);
    free(m);
}

/* ---- context (101%) -------------------------------------------------- */

typedef struct place_list {
    am_lk_place *p;
    size_t n, cap;
} place_list;

static int place_push(place_list *l, int64_t doc, long pos)
{
    if (doc == 0 || pos < 0)
        return AM_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        am_lk_place *p = realloc(l->p, cap * sizeof *p);
        if (!p)
            return AM_ENOMEM;
        l->p = p;
        l->cap = cap;
    }
    l->p[l->n++] = (am_lk_place){doc, pos};
    return AM_OK;
}

/* Where a unit sits: its own place and those of the units merged into it. */
static int unit_places(am_lookup *lk, const am_match *m, place_list *l, am_error *err)
{
    int rc = place_push(l, m->document, m->position);
    sqlite3_bind_int64(lk->src, 1, m->unit);
    int src;
    while (!rc && (src = sqlite3_step(lk->src)) == SQLITE_ROW)
        rc = place_push(l, sqlite3_column_int64(lk->src, 0), sqlite3_column_int(lk->src, 1));
    sqlite3_reset(lk->src);
    if (rc)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (src != SQLITE_DONE)
        return am_sqlite_error(err, lk->db, src, "cannot read the memory");
    return AM_OK;
}

static int follows_previous(const am_lookup *lk, const am_lk_place *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < lk->n_prev; j++) {
            if (lk->prev[j].doc == p[i].doc && lk->prev[j].pos == p[i].pos - 1)
                return 1;
        }
    }
    return 0;
}

/* Mark exact matches that follow the previous segment's exact match, move
 * them first, and remember where this segment's exact matches sit. */
static int apply_context(am_lookup *lk, am_matches *r, am_error *err)
{
    place_list all = {NULL, 0, 0};
    int rc = AM_OK;
    for (size_t i = 0; i < r->n && !rc; i++) {
        am_match *m = &r->m[i];
        if (m->fuzzy.score < 100)
            continue;
        size_t from = all.n;
        rc = unit_places(lk, m, &all, err);
        if (!rc && follows_previous(lk, all.p + from, all.n - from)) {
            m->context = 1;
            m->score = 101;
        }
    }
    for (size_t i = 1; i < r->n; i++) { /* stable: contexts first */
        am_match x = r->m[i];
        size_t j = i;
        while (j > 0 && x.context && !r->m[j - 1].context) {
            r->m[j] = r->m[j - 1];
            j--;
        }
        r->m[j] = x;
    }
    free(lk->prev);
    lk->prev = all.p;
    lk->n_prev = all.n;
    return rc;
}

/* ---- the result ---------------------------------------------------- */

int am_lk_build_result(am_matches *r, am_lookup *lk, am_lk_scored_list *l, const char *query,
                       size_t len, am_error *err)
{
    am_mt_pool *pl = calloc(1, sizeof *pl);
    r->priv = pl;
    r->m = calloc(l->n + 1, sizeof *r->m);
    if (!pl || !r->m)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    int rc = AM_OK;
    for (size_t i = 0; i < l->n && !rc; i++) {
        rc = fill_match(lk, &r->m[i], &l->s[i], query, len, pl, err);
        r->n = i + 1;
    }
    return rc ? rc : apply_context(lk, r, err);
}
