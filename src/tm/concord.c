/* concord.c - concordance: every unit whose text holds a phrase.
 *
 * The phrase is normalised like the stored keys (case, apostrophes, ё) and
 * becomes one FTS5 phrase query over variants.key, "a" + "b" *, so word
 * boundaries and prefixes ("крим*") come from the index. The FTS table
 * drives the join (one MATCH, then variants by primary key; see the query
 * plan test), so the full-text query runs once. Up to group_window
 * matching units are grouped by their renderings in the other languages,
 * the most frequent rendering first; total counts every matching unit. */
#include "match.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

typedef struct pword {
    const char *key; /* in the normalised phrase's keys */
    size_t len;
    int prefix;
} pword;

typedef struct cphrase {
    char *norm;
    am_mt_toks toks;
    pword *w;
    size_t n;
} cphrase;

typedef struct unit_row {
    int64_t unit;
    uint64_t group_hash; /* of the other languages' keys */
    size_t group, group_size, first; /* first: order of the group's first unit */
} unit_row;

static void phrase_free(cphrase *p)
{
    free(p->norm);
    free(p->w);
    am_mt_toks_free(&p->toks);
}

/* Words of the phrase; a '*' right after a word makes it a prefix. */
static int phrase_parse(cphrase *p, const char *s, size_t n, am_error *err)
{
    size_t nl = 0;
    int rc = am_normalize(&p->norm, &nl, s, n, err);
    if (!rc)
        rc = am_mt_tokenize(&p->toks, p->norm, nl, AM_MT_KEYED, err);
    if (rc)
        return rc;
    p->w = calloc(p->toks.n + 1, sizeof *p->w);
    if (!p->w)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->toks.n; i++) {
        const am_mt_tok *t = &p->toks.t[i];
        if (t->kind != AM_TOK_PUNCT) {
            p->w[p->n++] = (pword){p->norm + t->off, t->len, 0};
        } else if (p->n && !t->space_before && t->len == 1 && p->norm[t->off] == '*' &&
                   !p->w[p->n - 1].prefix) {
            p->w[p->n - 1].prefix = 1;
        }
    }
    if (p->n == 0)
        return am_error_set(err, AM_EARG, "the phrase has no words to search for");
    return AM_OK;
}

static int phrase_fts(am_buf *q, const cphrase *p)
{
    int rc = AM_OK;
    for (size_t i = 0; i < p->n && !rc; i++) {
        if (i)
            rc = am_buf_puts(q, " + ");
        if (!rc)
            rc = am_mt_fts_quote(q, p->w[i].key, p->w[i].len);
        if (!rc && p->w[i].prefix)
            rc = am_buf_puts(q, " *");
    }
    return rc;
}

/* The first place where the phrase's words follow each other in the
 * token keys of text (punctuation between them is allowed, as in FTS5). */
static void highlight(am_concord_hit *h, const cphrase *p, const am_mt_toks *t)
{
    h->hl_offset = h->hl_length = 0;
    for (size_t s = 0; s + p->n <= t->n_words; s++) {
        size_t k = 0;
        for (; k < p->n; k++) {
            size_t i = t->widx[s + k];
            const char *key = am_mt_key(t, i);
            size_t kl = t->t[i].key_len;
            const pword *w = &p->w[k];
            if (w->prefix ? (kl < w->len || memcmp(key, w->key, w->len))
                          : (kl != w->len || memcmp(key, w->key, kl)))
                break;
        }
        if (k == p->n) {
            const am_mt_tok *a = &t->t[t->widx[s]], *b = &t->t[t->widx[s + p->n - 1]];
            h->hl_offset = a->off;
            h->hl_length = b->off + b->len - a->off;
            return;
        }
    }
}

/* ---- the query -------------------------------------------------------- */

typedef struct concord_ctx {
    sqlite3 *db;
    sqlite3_stmt *match, *vars, *unit;
    char lang[64], lang_prefix[66];
    cphrase ph;
    unit_row *rows;
    size_t n_rows;
    am_mt_pool *pool;
    am_mt_toks toks;
} concord_ctx;

static int cprep(concord_ctx *c, sqlite3_stmt **st, const char *sql, am_error *err)
{
    int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, c->db, rc, "cannot search the memory");
}

/* The SQL of the search, also used by the query plan test. */
const char *am_mt_concord_sql(void)
{
    return "SELECT v.unit FROM variants_fts JOIN variants v ON v.id = variants_fts.rowid"
           " WHERE variants_fts MATCH ?1 AND (v.lang = ?2 OR substr(v.lang, 1, length(?3)) = ?3)"
           " ORDER BY variants_fts.rowid";
}

static int concord_prepare(concord_ctx *c, am_error *err)
{
    int rc;
    if ((rc = cprep(c, &c->match, am_mt_concord_sql(), err)) ||
        (rc = cprep(c, &c->vars, "SELECT lang, text, key FROM variants WHERE unit = ?1",
                    err)) ||
        (rc = cprep(c, &c->unit,
                    "SELECT u.document, d.title FROM units u"
                    " LEFT JOIN documents d ON d.id = u.document WHERE u.id = ?1",
                    err)))
        return rc;
    return AM_OK;
}

static int is_search_lang(const concord_ctx *c, const char *lang)
{
    return am_tm_lang_matches(c->lang, lang);
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Hash of the unit's renderings: other languages' keys, in id order. */
static int rendering_hash(concord_ctx *c, int64_t unit, uint64_t *out, am_error *err)
{
    uint64_t h = 1469598103934665603ULL;
    int rc;
    sqlite3_bind_int64(c->vars, 1, unit);
    while ((rc = sqlite3_step(c->vars)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(c->vars, 0);
        if (is_search_lang(c, lang))
            continue;
        h = fnv(h, lang, strlen(lang) + 1);
        h = fnv(h, (const char *)sqlite3_column_text(c->vars, 2),
                (size_t)sqlite3_column_bytes(c->vars, 2) + 1);
    }
    sqlite3_reset(c->vars);
    *out = h;
    return rc == SQLITE_DONE ? AM_OK : am_sqlite_error(err, c->db, rc, "cannot read the memory");
}

/* Run the search: count every unit, keep the first window of them. */
static int collect(concord_ctx *c, size_t window, long long *total, am_error *err)
{
    am_buf q = AM_BUF_INIT;
    int64_t last = 0;
    int rc = phrase_fts(&q, &c->ph);
    c->rows = calloc(window + 1, sizeof *c->rows);
    if (rc || !c->rows) {
        am_buf_free(&q);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    sqlite3_bind_text(c->match, 1, q.data, (int)q.len, SQLITE_STATIC);
    sqlite3_bind_text(c->match, 2, c->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->match, 3, c->lang_prefix, -1, SQLITE_STATIC);
    *total = 0;
    while ((rc = sqlite3_step(c->match)) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(c->match, 0);
        /* A unit's variants are stored together, so a unit holding the
         * phrase in "en" and "en-GB" shows up as neighbours. */
        if (unit == last)
            continue;
        last = unit;
        (*total)++;
        if (c->n_rows < window)
            c->rows[c->n_rows++].unit = unit;
    }
    sqlite3_reset(c->match);
    am_buf_free(&q);
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, c->db, rc, "cannot search the memory");
    for (size_t i = 0; i < c->n_rows; i++) {
        if ((rc = rendering_hash(c, c->rows[i].unit, &c->rows[i].group_hash, err)))
            return rc;
    }
    return AM_OK;
}

static int cmp_hash(const void *a, const void *b)
{
    const unit_row *x = a, *y = b;
    if (x->group_hash != y->group_hash)
        return x->group_hash < y->group_hash ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int cmp_group(const void *a, const void *b)
{
    const unit_row *x = a, *y = b;
    if (x->group_size != y->group_size)
        return x->group_size > y->group_size ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* Order the rows by rendering group: largest group first, ties by the
 * group's first unit; within a group by unit id. */
static void group_rows(unit_row *r, size_t n)
{
    qsort(r, n, sizeof *r, cmp_hash);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].group_hash == r[i].group_hash)
            j++;
        for (size_t k = i; k < j; k++) {
            r[k].group_size = j - i;
            r[k].first = (size_t)r[i].unit;
        }
        i = j;
    }
    qsort(r, n, sizeof *r, cmp_group);
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && r[i].group_hash != r[i - 1].group_hash)
            g++;
        r[i].group = g;
    }
}

/* ---- results ----------------------------------------------------------- */

static int fill_hit(concord_ctx *c, am_concord_hit *h, const unit_row *r, am_error *err)
{
    am_mt_pool *pl = c->pool;
    size_t cap = 4, n = 0;
    am_variant *v = am_mt_pool_keep(pl, calloc(cap, sizeof *v));
    int rc;
    if (!v)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    h->unit = r->unit;
    h->group = r->group;
    h->group_size = r->group_size;
    sqlite3_bind_int64(c->vars, 1, r->unit);
    while ((rc = sqlite3_step(c->vars)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(c->vars, 0);
        if (is_search_lang(c, lang)) {
            if (!h->text && !(h->text = am_mt_pool_dup(pl, sqlite3_column_text(c->vars, 1))))
                break;
            continue;
        }
        am_variant *room = am_mt_pool_room(pl, v, n, &cap);
        if (!room)
            break;
        v = room;
        v[n].lang = am_mt_pool_dup(pl, (const unsigned char *)lang);
        v[n].text = am_mt_pool_dup(pl, sqlite3_column_text(c->vars, 1));
        if (!v[n].lang || !v[n++].text)
            break;
    }
    sqlite3_reset(c->vars);
    if (rc == SQLITE_ROW)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, c->db, rc, "cannot read the memory");
    h->variants = v;
    h->n_variants = n;
    if (!h->text && !(h->text = am_mt_pool_dup(pl, NULL)))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    sqlite3_bind_int64(c->unit, 1, r->unit);
    if ((rc = sqlite3_step(c->unit)) == SQLITE_ROW) {
        h->document = sqlite3_column_int64(c->unit, 0);
        if (sqlite3_column_type(c->unit, 1) != SQLITE_NULL &&
            !(h->document_title = am_mt_pool_dup(pl, sqlite3_column_text(c->unit, 1))))
            rc = SQLITE_NOMEM;
    }
    sqlite3_reset(c->unit);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(err, c->db, rc, "cannot read the memory");
    if ((rc = am_mt_tokenize(&c->toks, h->text, strlen(h->text), AM_MT_NORMALIZE, err)))
        return rc;
    highlight(h, &c->ph, &c->toks);
    return AM_OK;
}

static int concord_setup(concord_ctx *c, am_tm *tm, const am_concord_opts *opts, am_error *err)
{
    const char *lang = opts->lang && *opts->lang ? opts->lang : "en";
    if (am_lang_canonical(c->lang, sizeof c->lang, lang))
        return am_error_set(err, AM_EARG, "'%s' is not a language code", lang);
    /* "en" also finds "en-US"; "en-US" only itself (am_tm_lang_matches). */
    if (!strchr(c->lang, '-'))
        snprintf(c->lang_prefix, sizeof c->lang_prefix, "%s-", c->lang);
    else
        snprintf(c->lang_prefix, sizeof c->lang_prefix, "%s", "\x01");
    if (!(c->db = am_tm_sqlite(tm)))
        return am_error_set(err, AM_EARG, "concordance needs a memory in SQLite");
    if (!(c->pool = calloc(1, sizeof *c->pool)))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    am_mt_use_mmap(c->db);
    return concord_prepare(c, err);
}

static void concord_ctx_free(concord_ctx *c)
{
    sqlite3_finalize(c->match);
    sqlite3_finalize(c->vars);
    sqlite3_finalize(c->unit);
    phrase_free(&c->ph);
    free(c->rows);
    am_mt_pool_free(c->pool);
    am_mt_toks_free(&c->toks);
}

int am_tm_concord(am_concord **out, am_tm *tm, const char *phrase, size_t len,
                  const am_concord_opts *opts, am_error *err)
{
    concord_ctx c;
    memset(&c, 0, sizeof c);
    c.ph.toks = (am_mt_toks)AM_MT_TOKS_INIT;
    c.toks = (am_mt_toks)AM_MT_TOKS_INIT;
    am_concord *r = NULL;
    int rc = AM_OK, began = 0;
    *out = NULL;
    if (!opts || opts->version != AM_CONCORD_OPTS_VERSION)
        return am_error_set(err, AM_EARG, "concordance: options of an unknown version");
    size_t limit = opts->limit, window = opts->group_window < limit ? limit : opts->group_window;
    if ((rc = concord_setup(&c, tm, opts, err)) || (rc = phrase_parse(&c.ph, phrase, len, err)))
        goto cleanup;
    if (!(r = calloc(1, sizeof *r))) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    began = am_mt_read_begin(c.db);
    if ((rc = collect(&c, window, &r->total, err)))
        goto cleanup;
    group_rows(c.rows, c.n_rows);
    size_t n = c.n_rows < limit ? c.n_rows : limit;
    if (!(r->hits = calloc(n + 1, sizeof *r->hits))) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = fill_hit(&c, &r->hits[r->n++], &c.rows[i], err);
    if (rc)
        goto cleanup;
    r->priv = c.pool;
    c.pool = NULL;
    *out = r;
    r = NULL;
cleanup:
    am_concord_free(r);
    concord_ctx_free(&c);
    am_mt_read_end(c.db, began);
    return rc;
}

void am_concord_free(am_concord *c)
{
    if (!c)
        return;
    free(c->hits);
    am_mt_pool_free(c->priv);
    free(c);
}
