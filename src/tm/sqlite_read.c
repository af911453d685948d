/*
 * sqlite_read.c - the SQLite backend: iterating units, candidate search for
 * lookup, statistics.
 *
 * am_tm_foreach streams in constant memory: three cursors (units, their
 * variants, their props) ordered by unit id are stepped side by side, a
 * merge join done here rather than one SQL join that would repeat every
 * unit column per variant and per prop. A unit's strings are copied into a
 * reusable arena because peeking at the next unit's first row moves the
 * cursor (sqlite3_column_text pointers die on the next step).
 */
#include "sqlite_store.h"

#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

typedef struct var_row {
    int64_t id;
    size_t lang, text, markup, dates[4];
} var_row;

typedef struct prop_row {
    int64_t variant;
    int kind;
    size_t type, lang, value;
} prop_row;

typedef struct iter {
    sq_store *s;
    const am_tm_filter *f;
    sqlite3_stmt *units, *vars, *props;
    int vars_rc, props_rc; /* last step result of the side cursors */
    am_buf arena;
    var_row *vr; size_t n_vr, cap_vr;
    prop_row *pr; size_t n_pr, cap_pr;
    am_variant *variants; size_t cap_variants;
    am_prop *plist; size_t cap_plist;
} iter;

/* Copy column i into the arena; its offset, or NONE for NULL. */
static int keep(iter *it, sqlite3_stmt *st, int i, size_t *out)
{
    const unsigned char *p = sqlite3_column_text(st, i);
    if (!p) {
        *out = NONE;
        return AM_OK;
    }
    *out = it->arena.len;
    return am_buf_append(&it->arena, (const char *)p, (size_t)sqlite3_column_bytes(st, i) + 1);
}

static const char *at(const iter *it, size_t off)
{
    return off == NONE ? NULL : it->arena.data + off;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return AM_OK;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return AM_ENOMEM;
    *p = q;
    *cap = n;
    return AM_OK;
}

/* The WHERE clause for a filter; parameters numbered ?1.. in order. */
static int build_where(am_buf *b, const am_tm_filter *f)
{
    int rc = am_buf_puts(b, " WHERE 1");
    int n = 0;
    if (!rc && f->document > 0)
        rc = am_buf_printf(b, " AND u.document = ?%d", ++n);
    if (!rc && f->since)
        rc = am_buf_printf(b, " AND u.changedate >= ?%d", ++n);
    if (!rc && f->min_score >= 0)
        rc = am_buf_printf(b, " AND u.confidence >= ?%d", ++n);
    if (!rc && f->unit > 0)
        rc = am_buf_printf(b, " AND u.id = ?%d", ++n);
    return rc;
}

static void bind_filter(sqlite3_stmt *st, const am_tm_filter *f, const char *since)
{
    int n = 0;
    if (f->document > 0)
        sqlite3_bind_int64(st, ++n, f->document);
    if (f->since)
        sqlite3_bind_text(st, ++n, since, -1, SQLITE_TRANSIENT);
    if (f->min_score >= 0)
        sqlite3_bind_double(st, ++n, f->min_score);
    if (f->unit > 0)
        sqlite3_bind_int64(st, ++n, f->unit);
}

/* CROSS JOIN keeps units as the outer loop, so rows come in unit order
 * from the indexes without sorting the whole memory. */
static int prepare_cursors(iter *it, const char *since, am_error *err)
{
    /* Parenthesised so clang's -Wstring-concatenation sees the joins are meant. */
    static const char *const heads[3] = {
        ("SELECT u.id, u.document, u.position, u.confidence, u.tuid, u.srclang,"
         " u.creationdate, u.creationid, u.changedate, u.changeid, u.usagecount,"
         " u.lastusagedate FROM units u"),
        ("SELECT v.unit, v.id, v.lang, v.text, v.markup, v.creationdate, v.creationid,"
         " v.changedate, v.changeid FROM units u"
         " CROSS JOIN variants v ON v.unit = u.id"),
        ("SELECT p.unit, p.variant, p.kind, p.type, p.lang, p.value FROM units u"
         " CROSS JOIN props p ON p.unit = u.id"),
    };
    static const char *const tails[3] = {" ORDER BY u.id", " ORDER BY u.id, v.id",
                                         " ORDER BY u.id, p.id"};
    sqlite3_stmt **out[3] = {&it->units, &it->vars, &it->props};
    am_buf sql = AM_BUF_INIT;
    int rc = AM_OK;
    for (int i = 0; i < 3 && !rc; i++) {
        am_buf_clear(&sql);
        if (am_buf_puts(&sql, heads[i]) || build_where(&sql, it->f) || am_buf_puts(&sql, tails[i])) {
            rc = am_error_set(err, AM_ENOMEM, "out of memory");
            break;
        }
        int src = sqlite3_prepare_v2(it->s->db, sql.data, -1, out[i], NULL);
        if (src != SQLITE_OK)
            rc = am_sqlite_error(err, it->s->db, src, "cannot read the memory");
        else
            bind_filter(*out[i], it->f, since);
    }
    am_buf_free(&sql);
    if (!rc) {
        it->vars_rc = sqlite3_step(it->vars);
        it->props_rc = sqlite3_step(it->props);
    }
    return rc;
}

/* Collect the variant rows of unit id (the cursor is at or before them). */
static int collect_variants(iter *it, int64_t id)
{
    it->n_vr = 0;
    while (it->vars_rc == SQLITE_ROW && sqlite3_column_int64(it->vars, 0) <= id) {
        if (sqlite3_column_int64(it->vars, 0) == id) {
            if (grow((void **)&it->vr, &it->cap_vr, it->n_vr + 1, sizeof *it->vr))
                return AM_ENOMEM;
            var_row *r = &it->vr[it->n_vr++];
            r->id = sqlite3_column_int64(it->vars, 1);
            if (keep(it, it->vars, 2, &r->lang) || keep(it, it->vars, 3, &r->text) ||
                keep(it, it->vars, 4, &r->markup))
                return AM_ENOMEM;
            for (int k = 0; k < 4; k++)
                if (keep(it, it->vars, 5 + k, &r->dates[k]))
                    return AM_ENOMEM;
        }
        it->vars_rc = sqlite3_step(it->vars);
    }
    return it->vars_rc == SQLITE_ROW || it->vars_rc == SQLITE_DONE ? AM_OK : AM_EDB;
}

static int collect_props(iter *it, int64_t id)
{
    it->n_pr = 0;
    while (it->props_rc == SQLITE_ROW && sqlite3_column_int64(it->props, 0) <= id) {
        if (sqlite3_column_int64(it->props, 0) == id) {
            if (grow((void **)&it->pr, &it->cap_pr, it->n_pr + 1, sizeof *it->pr))
                return AM_ENOMEM;
            prop_row *r = &it->pr[it->n_pr++];
            r->variant = sqlite3_column_int64(it->props, 1);
            r->kind = sqlite3_column_int(it->props, 2);
            if (keep(it, it->props, 3, &r->type) || keep(it, it->props, 4, &r->lang) ||
                keep(it, it->props, 5, &r->value))
                return AM_ENOMEM;
        }
        it->props_rc = sqlite3_step(it->props);
    }
    return it->props_rc == SQLITE_ROW || it->props_rc == SQLITE_DONE ? AM_OK : AM_EDB;
}

/* Append to plist the props of `variant` (0 = the unit) of one kind;
 * returns the first index. */
static size_t gather_props(iter *it, size_t *n_out, int64_t variant, int kind, size_t *used)
{
    size_t first = *used;
    for (size_t i = 0; i < it->n_pr; i++) {
        const prop_row *r = &it->pr[i];
        if (r->variant != variant || r->kind != kind)
            continue;
        am_prop *p = &it->plist[(*used)++];
        p->type = at(it, r->type);
        p->lang = at(it, r->lang);
        p->value = at(it, r->value);
    }
    *n_out = *used - first;
    return first;
}

/* Build the am_unit of the current row, once its rows are collected. */
static int build_unit(iter *it, am_unit *u)
{
    if (grow((void **)&it->variants, &it->cap_variants, it->n_vr + 1, sizeof *it->variants) ||
        grow((void **)&it->plist, &it->cap_plist, it->n_pr + 1, sizeof *it->plist))
        return AM_ENOMEM;
    size_t used = 0, first;
    first = gather_props(it, &u->n_props, 0, 0, &used);
    u->props = it->plist + first;
    first = gather_props(it, &u->n_notes, 0, 1, &used);
    u->notes = it->plist + first;
    for (size_t i = 0; i < it->n_vr; i++) {
        am_variant *v = &it->variants[i];
        memset(v, 0, sizeof *v);
        v->lang = at(it, it->vr[i].lang);
        v->text = at(it, it->vr[i].text);
        v->markup = at(it, it->vr[i].markup);
        v->creationdate = at(it, it->vr[i].dates[0]);
        v->creationid = at(it, it->vr[i].dates[1]);
        v->changedate = at(it, it->vr[i].dates[2]);
        v->changeid = at(it, it->vr[i].dates[3]);
        first = gather_props(it, &v->n_props, it->vr[i].id, 0, &used);
        v->props = it->plist + first;
        first = gather_props(it, &v->n_notes, it->vr[i].id, 1, &used);
        v->notes = it->plist + first;
    }
    u->variants = it->variants;
    u->n_variants = it->n_vr;
    return AM_OK;
}

static int has_langs(const am_unit *u, const am_tm_filter *f)
{
    for (size_t i = 0; i < f->n_langs; i++) {
        size_t j = 0;
        while (j < u->n_variants && !am_tm_lang_matches(f->langs[i], u->variants[j].lang))
            j++;
        if (j == u->n_variants)
            return 0;
    }
    return 1;
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* One unit: read its row, collect its rows, call back. */
static int visit(iter *it, int (*cb)(const am_unit *, void *), void *ctx)
{
    sqlite3_stmt *st = it->units;
    int64_t id = sqlite3_column_int64(st, 0);
    am_unit u;
    memset(&u, 0, sizeof u);
    am_buf_clear(&it->arena);
    int rc = collect_variants(it, id);
    if (!rc)
        rc = collect_props(it, id);
    if (!rc)
        rc = build_unit(it, &u);
    if (rc)
        return rc;
    u.id = id;
    u.document = sqlite3_column_int64(st, 1);
    u.position = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 2);
    u.confidence = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 3);
    u.tuid = col(st, 4);
    u.srclang = col(st, 5);
    u.creationdate = col(st, 6);
    u.creationid = col(st, 7);
    u.changedate = col(st, 8);
    u.changeid = col(st, 9);
    u.usagecount = (long)sqlite3_column_int64(st, 10);
    u.lastusagedate = col(st, 11);
    if (it->f->n_langs && !has_langs(&u, it->f))
        return AM_OK;
    return cb(&u, ctx) ? AM_ESTOP : AM_OK;
}

int sq_foreach(void *impl, const am_tm_filter *filter, int (*cb)(const am_unit *unit, void *ctx),
               void *ctx, am_error *err)
{
    static const am_tm_filter all = AM_TM_FILTER_INIT;
    iter it;
    char since[20];
    int rc, step;
    memset(&it, 0, sizeof it);
    it.s = impl;
    it.f = filter ? filter : &all;
    if (it.f->since && am_tm_date_tmx(since, it.f->since) != AM_OK)
        return am_error_set(err, AM_EARG, "not a date: '%s' (use YYYY-MM-DD)", it.f->since);
    if ((rc = prepare_cursors(&it, since, err)))
        goto cleanup;
    while ((step = sqlite3_step(it.units)) == SQLITE_ROW) {
        rc = visit(&it, cb, ctx);
        if (rc == AM_ESTOP)
            goto cleanup;
        if (rc == AM_ENOMEM) {
            am_error_set(err, rc, "out of memory");
            goto cleanup;
        }
        if (rc) {
            step = it.vars_rc != SQLITE_ROW && it.vars_rc != SQLITE_DONE ? it.vars_rc : it.props_rc;
            break;
        }
    }
    if (step != SQLITE_DONE)
        rc = am_sqlite_error(err, it.s->db, step, "cannot read the memory");
cleanup:
    sqlite3_finalize(it.units);
    sqlite3_finalize(it.vars);
    sqlite3_finalize(it.props);
    am_buf_free(&it.arena);
    free(it.vr);
    free(it.pr);
    free(it.variants);
    free(it.plist);
    return rc;
}

/* ---------------------------------------------------------------------
 * Candidates for lookup and concordance
 * ------------------------------------------------------------------- */

/* An FTS5 query: every word a quoted string ("" escapes a quote), joined
 * by OR, or as one phrase. Quoting makes any user text safe syntax. */
static int fts_query(am_buf *b, const am_tm_query *q)
{
    int rc = AM_OK;
    if (q->phrase)
        rc = am_buf_putc(b, '"');
    for (size_t i = 0; i < q->n_words && !rc; i++) {
        if (i)
            rc = am_buf_puts(b, q->phrase ? " " : " OR ");
        if (!q->phrase && !rc)
            rc = am_buf_putc(b, '"');
        for (const char *p = q->words[i]; *p && !rc; p++)
            rc = *p == '"' ? am_buf_puts(b, "\"\"") : am_buf_putc(b, *p);
        if (!q->phrase && !rc)
            rc = am_buf_putc(b, '"');
    }
    if (q->phrase && !rc)
        rc = am_buf_putc(b, '"');
    return rc;
}

int sq_candidates(void *impl, const am_tm_query *q,
                  int (*cb)(const am_tm_candidate *c, void *ctx), void *ctx, am_error *err)
{
    sq_store *s = impl;
    am_buf match = AM_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = AM_OK, step;
    if (q->n_words == 0)
        return AM_OK;
    if ((rc = sq_fts_flush(s, err)))
        return rc;
    if (fts_query(&match, q))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    step = sqlite3_prepare_v2(
        s->db,
        "SELECT v.id, v.unit, v.lang, v.text, v.key, f.rank FROM variants_fts f"
        " JOIN variants v ON v.id = f.rowid WHERE variants_fts MATCH ?1"
        " AND (?2 IS NULL OR v.lang = ?2 OR v.lang LIKE ?2 || '-%')"
        " ORDER BY f.rank LIMIT ?3",
        -1, &st, NULL);
    if (step != SQLITE_OK) {
        rc = am_sqlite_error(err, s->db, step, "cannot search the memory");
        goto cleanup;
    }
    sqlite3_bind_text(st, 1, match.data, (int)match.len, SQLITE_STATIC);
    if (q->lang)
        sqlite3_bind_text(st, 2, q->lang, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, q->limit ? (sqlite3_int64)q->limit : -1);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        am_tm_candidate c = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col(st, 2),
                             col(st, 3), col(st, 4), sqlite3_column_double(st, 5)};
        if (cb(&c, ctx)) {
            rc = AM_ESTOP;
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE)
        rc = am_sqlite_error(err, s->db, step, "cannot search the memory");
cleanup:
    sqlite3_finalize(st);
    am_buf_free(&match);
    return rc;
}

/* ---------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------- */

static int count(sq_store *s, const char *sql, long long *out, am_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, s->db, rc, "cannot count");
}

/* Units per language pair, through the (unit, lang) index alone. */
static int pair_counts(sq_store *s, am_tm_stats *out, am_error *err)
{
    am_buf b = AM_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT a.lang, b.lang, count(DISTINCT a.unit) FROM variants a"
        " JOIN variants b ON b.unit = a.unit AND b.lang > a.lang"
        " GROUP BY a.lang, b.lang ORDER BY a.lang, b.lang",
        -1, &st, NULL);
    int erc = AM_OK;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (am_buf_printf(&b, "%s %s %lld\n", col(st, 0), col(st, 1),
                              (long long)sqlite3_column_int64(st, 2)))
                erc = am_error_set(err, AM_ENOMEM, "out of memory");
    }
    if (rc != SQLITE_DONE)
        erc = am_sqlite_error(err, s->db, rc, "cannot count language pairs");
    sqlite3_finalize(st);
    if (!erc)
        out->pairs = am_buf_detach(&b, NULL);
    am_buf_free(&b);
    return erc;
}

static int histogram(sq_store *s, am_tm_stats *out, am_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT min(CAST(confidence * 10 AS INTEGER), 9), count(*)"
                                " FROM units WHERE confidence IS NOT NULL GROUP BY 1",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int d = sqlite3_column_int(st, 0);
            if (d >= 0 && d < 10)
                out->histogram[d] = sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? AM_OK : am_sqlite_error(err, s->db, rc, "cannot count scores");
}

int sq_stats(void *impl, am_tm_stats *out, am_error *err)
{
    sq_store *s = impl;
    long long pages = 0, page_size = 0;
    memset(out, 0, sizeof *out);
    int rc = count(s, "SELECT count(*) FROM documents", &out->documents, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM units", &out->units, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM variants", &out->variants, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM units WHERE confidence IS NULL", &out->unscored, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM props WHERE kind = 0", &out->props, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM props WHERE kind = 1", &out->notes, err);
    if (!rc)
        rc = count(s, "PRAGMA page_count", &pages, err);
    if (!rc)
        rc = count(s, "PRAGMA page_size", &page_size, err);
    if (!rc)
        rc = histogram(s, out, err);
    if (!rc)
        rc = pair_counts(s, out, err);
    out->file_bytes = s->in_ram ? 0 : pages * page_size; /* the file is empty */
    return rc;
}

int sq_documents(void *impl, int (*cb)(const am_document *doc, void *ctx), void *ctx,
                 am_error *err)
{
    sq_store *s = impl;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT id, title, origin, date, langs, checksum FROM documents"
                                " ORDER BY id",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            am_document d = {sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3),
                             col(st, 4), col(st, 5)};
            if (cb(&d, ctx)) {
                sqlite3_finalize(st);
                return AM_ESTOP;
            }
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? AM_OK : am_sqlite_error(err, s->db, rc, "cannot read documents");
}
