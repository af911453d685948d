/*
 * sqlite_lex.c - the SQLite backend's lexicon counts: learning them from
 * the stored units (incrementally, from a watermark) and loading the part
 * of them a document needs.
 *
 * What is stored is what an am_lexicon holds (src/lexicon): per language
 * pair, the units learned from, per stem the units holding it, per stem
 * pair the units holding both. The association score is computed from the
 * counts when they are used, so counts from separate updates simply add up
 * and an incremental update gives exactly what a rebuild gives (tested).
 *
 * Learning: units with id above the watermark are read in id order with
 * their normalised keys (variants.key, so nothing is normalised again),
 * each pair of variants of different languages is counted into an
 * am_lexicon of that pair, and every SQ_LEX_FLUSH_UNITS units the counts
 * are added to the tables and the lexicons emptied, which bounds memory
 * whatever the size of the memory. Rows are written sorted by key so the
 * B-trees are filled in order rather than at random pages.
 *
 * Loading: only the stems a document holds (am_lexicon_want) and their
 * partners are read, through the primary keys and lex_links_b, so the
 * cost follows the document, not the memory.
 *
 * Known limit: counts are only ever added. A unit deleted later (import
 * --on-duplicate replace) stays counted until `alignmem lexicon --rebuild`.
 */
#include "sqlite_lex.h"

#include "lang/lang.h"
#include "lexicon/lexicon.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum {
    L_SCAN,
    L_MAXUNIT,
    L_GET_STATE,
    L_SET_STATE,
    L_FIND_PAIR,
    L_INS_PAIR,
    L_ADD_UNITS,
    L_FIND_STEM,
    L_INS_STEM,
    L_UPS_WORD,
    L_UPS_LINK,
    L_WORD,
    L_LINK,
    L_LINKS_A,
    L_LINKS_B,
    L_LINKS_IDS,
    L_INS_CAND,
    L_CAND_IDS,
    L_CAND_COUNT,
    L_CAND_ALL,
    L_PAIRS,
    L_COUNT
};

static const char *const lex_sql[L_COUNT] = {
    [L_SCAN] = "SELECT u.id, v.lang, v.key FROM units u JOIN variants v ON v.unit = u.id"
               " WHERE u.id > ?1 AND u.id <= ?2"
               " AND (u.confidence IS NULL OR u.confidence >= ?3) ORDER BY u.id",
    [L_MAXUNIT] = "SELECT coalesce(max(id), 0) FROM units",
    [L_GET_STATE] = "SELECT value FROM lex_state WHERE name = ?1",
    [L_SET_STATE] = "INSERT INTO lex_state(name, value) VALUES (?1, ?2)"
                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
    [L_FIND_PAIR] = "SELECT id, units FROM lex_pairs WHERE lang_a = ?1 AND lang_b = ?2",
    [L_INS_PAIR] = "INSERT INTO lex_pairs(lang_a, lang_b, units) VALUES (?1, ?2, 0)",
    [L_ADD_UNITS] = "UPDATE lex_pairs SET units = units + ?2 WHERE id = ?1",
    [L_FIND_STEM] = "SELECT id FROM lex_stems WHERE lang = ?1 AND stem = ?2",
    [L_INS_STEM] = "INSERT INTO lex_stems(lang, stem) VALUES (?1, ?2)",
    /* Not RETURNING the new totals: that made a rebuild of 1M units take
     * 104 s instead of 49 (a small update reads them with L_WORD and
     * L_LINK, a large one refills lex_cand at the end). */
    [L_UPS_WORD] = "INSERT INTO lex_words(pair, stem, units) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(pair, stem) DO UPDATE SET units = units + excluded.units",
    [L_UPS_LINK] = "INSERT INTO lex_links(pair, a, b, units) VALUES (?1, ?2, ?3, ?4)"
                   " ON CONFLICT(pair, a, b) DO UPDATE SET units = units + excluded.units",
    [L_WORD] = "SELECT units FROM lex_words WHERE pair = ?1 AND stem = ?2",
    [L_LINK] = "SELECT units FROM lex_links WHERE pair = ?1 AND a = ?2 AND b = ?3",
    [L_LINKS_A] = "SELECT l.b, s.stem, l.units FROM lex_links l JOIN lex_stems s ON s.id = l.b"
                  " WHERE l.pair = ?1 AND l.a = ?2",
    /* Without INDEXED BY the planner (no ANALYZE statistics) scans every
     * pair of the language pair through the primary key: measured 35 s
     * instead of milliseconds to load a document's stems on 1M units. */
    [L_LINKS_B] = "SELECT l.a, s.stem, l.units FROM lex_links l INDEXED BY lex_links_b"
                  " JOIN lex_stems s ON s.id = l.a WHERE l.pair = ?1 AND l.b = ?2",
    [L_LINKS_IDS] = "SELECT b, units FROM lex_links WHERE pair = ?1 AND a = ?2 AND units >= ?3",
    [L_INS_CAND] = "INSERT OR IGNORE INTO lex_cand(pair, a, b) VALUES (?1, ?2, ?3)",
    [L_CAND_IDS] = "SELECT c.b, l.units FROM lex_cand c JOIN lex_links l"
                   " ON l.pair = c.pair AND l.a = c.a AND l.b = c.b"
                   " WHERE c.pair = ?1 AND c.a = ?2",
    /* Counting stops past the limit: a short document asks for few. */
    [L_CAND_COUNT] = "SELECT count(*) FROM (SELECT 1 FROM lex_cand WHERE pair = ?1 LIMIT ?2)",
    [L_CAND_ALL] = "SELECT c.a, sa.stem, wa.units, c.b, sb.stem, wb.units, l.units"
                   " FROM lex_cand c"
                   " JOIN lex_links l ON l.pair = c.pair AND l.a = c.a AND l.b = c.b"
                   " JOIN lex_words wa ON wa.pair = c.pair AND wa.stem = c.a"
                   " JOIN lex_words wb ON wb.pair = c.pair AND wb.stem = c.b"
                   " JOIN lex_stems sa ON sa.id = c.a JOIN lex_stems sb ON sb.id = c.b"
                   " WHERE c.pair = ?1",
    [L_PAIRS] = "SELECT lang_a, lang_b, units FROM lex_pairs WHERE units > 0"
                " ORDER BY lang_a, lang_b",
};

/* Past this many units to learn, lex_links_b is dropped and built again
 * at the end (one sort instead of a random B-tree insert per new pair),
 * and lex_cand is filled by one join at the end too. */
#define LEX_BIG_UPDATE 100000

static size_t g_flush_every = SQ_LEX_FLUSH_UNITS;
static size_t g_big_update = LEX_BIG_UPDATE;

size_t sq_lexicon_big_update(size_t n)
{
    size_t old = g_big_update;
    g_big_update = n ? n : LEX_BIG_UPDATE;
    return old;
}

size_t sq_lexicon_flush_every(size_t n)
{
    size_t old = g_flush_every;
    g_flush_every = n ? n : SQ_LEX_FLUSH_UNITS;
    return old;
}

/* ---------------------------------------------------------------------
 * Statements of one call (prepared on first use, finalized at the end)
 * ------------------------------------------------------------------- */

typedef struct lex_stmts {
    sqlite3 *db;
    sqlite3_stmt *st[L_COUNT];
} lex_stmts;

static sqlite3_stmt *ls_get(lex_stmts *q, int which, am_error *err)
{
    if (!q->st[which]) {
        int rc = sqlite3_prepare_v2(q->db, lex_sql[which], -1, &q->st[which], NULL);
        if (rc != SQLITE_OK) {
            am_sqlite_error(err, q->db, rc, "cannot prepare a lexicon query");
            return NULL;
        }
    } else {
        sqlite3_reset(q->st[which]);
        sqlite3_clear_bindings(q->st[which]);
    }
    return q->st[which];
}

static void ls_free(lex_stmts *q)
{
    for (int i = 0; i < L_COUNT; i++)
        sqlite3_finalize(q->st[i]);
}

static int fail_code(am_error *err)
{
    return err && err->code ? err->code : AM_EDB;
}

/* Step a statement expected to give at most one row: *found = 1 and
 * *value = column 0 (an integer) when it gives one. */
static int ls_step_int(lex_stmts *q, sqlite3_stmt *st, int64_t *value, int *found,
                       const char *doing, am_error *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *value = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(err, q->db, rc, doing);
    return AM_OK;
}

static int ls_exec(lex_stmts *q, sqlite3_stmt *st, const char *doing, am_error *err)
{
    int found;
    int64_t dummy;
    return ls_step_int(q, st, &dummy, &found, doing, err);
}

static int get_watermark(lex_stmts *q, int64_t *out, am_error *err)
{
    int found;
    sqlite3_stmt *st = ls_get(q, L_GET_STATE, err);
    *out = 0;
    if (!st)
        return fail_code(err);
    sqlite3_bind_text(st, 1, "watermark", -1, SQLITE_STATIC);
    return ls_step_int(q, st, out, &found, "cannot read the lexicon", err);
}

static int max_unit(lex_stmts *q, int64_t *out, am_error *err)
{
    int found;
    sqlite3_stmt *st = ls_get(q, L_MAXUNIT, err);
    *out = 0;
    return st ? ls_step_int(q, st, out, &found, "cannot read the memory", err) : fail_code(err);
}

/* A small open-addressing set of positive ids. */
typedef struct idset {
    int64_t *k;
    size_t cap, n;
} idset;

static size_t id_slot(const idset *s, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    size_t i = (size_t)(h >> 20) & (s->cap - 1);
    while (s->k[i] && s->k[i] != id)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int idset_has(const idset *s, int64_t id)
{
    return s->cap && s->k[id_slot(s, id)] == id;
}

/* Add id; *added = 1 when it was not there. */
static int idset_add(idset *s, int64_t id, int *added)
{
    if ((s->n + 1) * 2 > s->cap) {
        idset g = {calloc(s->cap ? s->cap * 2 : 64, sizeof(int64_t)), s->cap ? s->cap * 2 : 64, 0};
        if (!g.k)
            return AM_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->k[i])
                g.k[id_slot(&g, s->k[i])] = s->k[i], g.n++;
        free(s->k);
        *s = g;
    }
    size_t i = id_slot(s, id);
    *added = s->k[i] == 0;
    if (*added)
        s->k[i] = id, s->n++;
    return AM_OK;
}

/* ---------------------------------------------------------------------
 * Learning
 * ------------------------------------------------------------------- */

typedef struct lex_acc {
    char lang[2][16];  /* primary subtags, lang[0] < lang[1] */
    am_lexicon *lx;
    int64_t id;        /* lex_pairs.id, 0 until known */
    int64_t unit;      /* the last unit counted, so a unit counts once */
} lex_acc;

typedef struct lex_row {
    int64_t a, b;      /* stem ids (b = 0 for a word) */
    uint64_t units;
} lex_row;

typedef struct lex_var {
    char lang[16];
    size_t off, len;   /* of the key in lex_upd.keys */
} lex_var;

typedef struct lex_upd {
    lex_stmts q;
    am_error *err;
    lex_acc *acc;
    size_t n_acc, cap_acc;
    am_strmap *stems;  /* "lang\0stem" -> id */
    am_buf skey;
    lex_row *rows;
    size_t n_rows, cap_rows;
    lex_row *words; /* the pair's words just written, by id, new totals */
    size_t n_words, cap_words;
    int per_row_cand; /* keep lex_cand row by row (a small update) */
    const lex_acc *cur; /* the pair being written */
    lex_var *vars;      /* the variants of the unit being read */
    size_t n_vars, cap_vars;
    am_buf keys;
    int64_t unit;
} lex_upd;

/* The id of a stem of lang, created when new; cached. */
static int stem_id(lex_upd *u, const char *lang, const char *stem, size_t n, int64_t *id)
{
    int ival = 0, found = 0;
    am_buf_clear(&u->skey);
    if (am_buf_puts(&u->skey, lang) || am_buf_putc(&u->skey, '\0') ||
        am_buf_append(&u->skey, stem, n))
        return am_error_set(u->err, AM_ENOMEM, "out of memory");
    if (am_strmap_get(u->stems, u->skey.data, u->skey.len, &ival)) {
        *id = ival;
        return AM_OK;
    }
    sqlite3_stmt *st = ls_get(&u->q, L_FIND_STEM, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, stem, (int)n, SQLITE_STATIC);
    int rc = ls_step_int(&u->q, st, id, &found, "cannot read the lexicon", u->err);
    if (!rc && !found) {
        if (!(st = ls_get(&u->q, L_INS_STEM, u->err)))
            return fail_code(u->err);
        sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, stem, (int)n, SQLITE_STATIC);
        rc = ls_exec(&u->q, st, "cannot write the lexicon", u->err);
        *id = sqlite3_last_insert_rowid(u->q.db);
    }
    if (!rc && *id <= INT_MAX &&
        am_strmap_put(u->stems, u->skey.data, u->skey.len, NULL, 0, (int)*id))
        rc = am_error_set(u->err, AM_ENOMEM, "out of memory");
    return rc;
}

static int push_row(lex_upd *u, int64_t a, int64_t b, uint64_t units)
{
    if (u->n_rows == u->cap_rows) {
        size_t cap = u->cap_rows ? u->cap_rows * 2 : 4096;
        lex_row *r = realloc(u->rows, cap * sizeof *r);
        if (!r)
            return am_error_set(u->err, AM_ENOMEM, "out of memory");
        u->rows = r;
        u->cap_rows = cap;
    }
    u->rows[u->n_rows++] = (lex_row){a, b, units};
    return AM_OK;
}

static int word_cb(int side, const char *stem, uint64_t units, void *ctx)
{
    lex_upd *u = ctx;
    int64_t id = 0;
    int rc = stem_id(u, u->cur->lang[side], stem, strlen(stem), &id);
    return rc ? rc : push_row(u, id, 0, units);
}

static int link_cb(const char *a, const char *b, uint64_t units, void *ctx)
{
    lex_upd *u = ctx;
    int64_t ia = 0, ib = 0;
    int rc = stem_id(u, u->cur->lang[0], a, strlen(a), &ia);
    if (!rc)
        rc = stem_id(u, u->cur->lang[1], b, strlen(b), &ib);
    return rc ? rc : push_row(u, ia, ib, units);
}

static int row_cmp(const void *x, const void *y)
{
    const lex_row *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* The new total of a word just written (0 when it was not). */
static uint64_t written_units(const lex_upd *u, int64_t id)
{
    lex_row key = {id, 0, 0};
    const lex_row *w = bsearch(&key, u->words, u->n_words, sizeof key, row_cmp);
    return w ? w->units : 0;
}

/* Keep the written words, with their new totals, for link_written. */
static int keep_words(lex_upd *u)
{
    if (u->n_rows > u->cap_words) {
        lex_row *w = realloc(u->words, u->n_rows * sizeof *w);
        if (!w)
            return am_error_set(u->err, AM_ENOMEM, "out of memory");
        u->words = w;
        u->cap_words = u->n_rows;
    }
    if (u->n_rows)
        memcpy(u->words, u->rows, u->n_rows * sizeof *u->rows);
    u->n_words = u->n_rows;
    return AM_OK;
}

/* The total of a word or link just written (a page in the cache). */
static int written_total(lex_upd *u, int64_t pair, const lex_row *r, int link, uint64_t *total)
{
    sqlite3_stmt *st = ls_get(&u->q, link ? L_LINK : L_WORD, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_int64(st, 2, r->a);
    if (link)
        sqlite3_bind_int64(st, 3, r->b);
    int64_t v = 0;
    int found = 0;
    int rc = ls_step_int(&u->q, st, &v, &found, "cannot read the lexicon", u->err);
    if (!rc && !found)
        rc = am_error_set(u->err, AM_EDB, "cannot read the lexicon: a count just written is gone");
    *total = (uint64_t)v;
    return rc;
}

/* A link just written: a candidate for the aligner (lex_cand) when
 * linkable with the new totals. A pair's score rises only when its own
 * count does, so the pairs linkable now are all in lex_cand (schema.c).
 * Both words were counted in the same units as the pair, so both are
 * among the words just written. */
static int link_written(lex_upd *u, int64_t pair, const lex_row *r)
{
    uint64_t ua = written_units(u, r->a), ub = written_units(u, r->b), both = 0;
    /* The pair is in no more units than its rarer stem: most pairs of a
     * frequent stem with a rare one cannot reach the score. */
    uint64_t most = ua < ub ? ua : ub;
    if (!lx_link_pair(most, ua, ub, 0))
        return AM_OK;
    int rc = written_total(u, pair, r, 1, &both);
    if (rc || !lx_link_pair(both, ua, ub, 0))
        return rc;
    sqlite3_stmt *st = ls_get(&u->q, L_INS_CAND, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_int64(st, 2, r->a);
    sqlite3_bind_int64(st, 3, r->b);
    return ls_exec(&u->q, st, "cannot write the lexicon", u->err);
}

/* Write the sorted rows (words when links == 0) of pair id; in a small
 * update keep lex_cand up to date with them. */
static int write_rows(lex_upd *u, int64_t pair, int links)
{
    if (u->n_rows > 1)
        qsort(u->rows, u->n_rows, sizeof *u->rows, row_cmp);
    for (size_t i = 0; i < u->n_rows; i++) {
        lex_row *r = &u->rows[i];
        sqlite3_stmt *st = ls_get(&u->q, links ? L_UPS_LINK : L_UPS_WORD, u->err);
        if (!st)
            return fail_code(u->err);
        sqlite3_bind_int64(st, 1, pair);
        sqlite3_bind_int64(st, 2, r->a);
        if (links)
            sqlite3_bind_int64(st, 3, r->b);
        sqlite3_bind_int64(st, links ? 4 : 3, (sqlite3_int64)r->units);
        int rc = ls_exec(&u->q, st, "cannot write the lexicon", u->err);
        if (!rc && u->per_row_cand)
            rc = links ? link_written(u, pair, r) : written_total(u, pair, r, 0, &r->units);
        if (rc)
            return rc;
    }
    int rc = links || !u->per_row_cand ? AM_OK : keep_words(u);
    u->n_rows = 0;
    return rc;
}

static int pair_id(lex_upd *u, lex_acc *a)
{
    int found = 0;
    int64_t units;
    if (a->id)
        return AM_OK;
    sqlite3_stmt *st = ls_get(&u->q, L_FIND_PAIR, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_text(st, 1, a->lang[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->lang[1], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->id = sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(u->err, u->q.db, rc, "cannot read the lexicon");
    if (found)
        return AM_OK;
    if (!(st = ls_get(&u->q, L_INS_PAIR, u->err)))
        return fail_code(u->err);
    sqlite3_bind_text(st, 1, a->lang[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->lang[1], -1, SQLITE_STATIC);
    if ((rc = ls_step_int(&u->q, st, &units, &found, "cannot write the lexicon", u->err)))
        return rc;
    a->id = sqlite3_last_insert_rowid(u->q.db);
    return AM_OK;
}

/* Add the counts held in memory to the tables and empty the lexicons. */
static int flush(lex_upd *u)
{
    int rc = AM_OK;
    for (size_t i = 0; i < u->n_acc && !rc; i++) {
        lex_acc *a = &u->acc[i];
        uint64_t units = am_lexicon_units(a->lx);
        if (!units)
            continue;
        sqlite3_stmt *st;
        u->cur = a;
        if ((rc = pair_id(u, a)))
            break;
        if (!(st = ls_get(&u->q, L_ADD_UNITS, u->err)))
            return fail_code(u->err);
        sqlite3_bind_int64(st, 1, a->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)units);
        if ((rc = ls_exec(&u->q, st, "cannot write the lexicon", u->err)))
            break;
        u->n_rows = 0;
        rc = am_lexicon_foreach_word(a->lx, word_cb, u);
        if (!rc)
            rc = write_rows(u, a->id, 0);
        if (!rc)
            rc = am_lexicon_foreach_pair(a->lx, link_cb, u);
        if (!rc)
            rc = write_rows(u, a->id, 1);
        am_lexicon_clear(a->lx);
    }
    return rc;
}

/* The accumulator of the pair (a, b), a < b; created when new. */
static int find_acc(lex_upd *u, const char *a, const char *b, lex_acc **out)
{
    for (size_t i = 0; i < u->n_acc; i++) {
        if (!strcmp(u->acc[i].lang[0], a) && !strcmp(u->acc[i].lang[1], b)) {
            *out = &u->acc[i];
            return AM_OK;
        }
    }
    if (u->n_acc == u->cap_acc) {
        size_t cap = u->cap_acc ? u->cap_acc * 2 : 4;
        lex_acc *p = realloc(u->acc, cap * sizeof *p);
        if (!p)
            return am_error_set(u->err, AM_ENOMEM, "out of memory");
        u->acc = p;
        u->cap_acc = cap;
    }
    lex_acc *n = &u->acc[u->n_acc];
    memset(n, 0, sizeof *n);
    snprintf(n->lang[0], sizeof n->lang[0], "%s", a);
    snprintf(n->lang[1], sizeof n->lang[1], "%s", b);
    int rc = am_lexicon_new(&n->lx, a, b, u->err);
    if (rc)
        return rc;
    u->n_acc++;
    *out = n;
    return AM_OK;
}

/* Count the unit whose variants are in u->vars: each pair of languages
 * once. */
static int count_unit(lex_upd *u)
{
    for (size_t i = 0; i < u->n_vars; i++) {
        for (size_t j = i + 1; j < u->n_vars; j++) {
            int c = strcmp(u->vars[i].lang, u->vars[j].lang);
            if (c == 0)
                continue;
            const lex_var *x = c < 0 ? &u->vars[i] : &u->vars[j];
            const lex_var *y = c < 0 ? &u->vars[j] : &u->vars[i];
            lex_acc *a = NULL;
            int rc = find_acc(u, x->lang, y->lang, &a);
            if (rc)
                return rc;
            if (a->unit == u->unit)
                continue; /* two variants of one language (en-US, en-GB) */
            a->unit = u->unit;
            rc = am_lexicon_count(a->lx, u->keys.data + x->off, x->len, u->keys.data + y->off,
                                  y->len, 1, 1, u->err);
            if (rc)
                return rc;
        }
    }
    u->n_vars = 0;
    am_buf_clear(&u->keys);
    return AM_OK;
}

static int push_var(lex_upd *u, const char *lang, const char *key, size_t len)
{
    if (u->n_vars == u->cap_vars) {
        size_t cap = u->cap_vars ? u->cap_vars * 2 : 8;
        lex_var *p = realloc(u->vars, cap * sizeof *p);
        if (!p)
            return am_error_set(u->err, AM_ENOMEM, "out of memory");
        u->vars = p;
        u->cap_vars = cap;
    }
    lex_var *v = &u->vars[u->n_vars];
    if (am_lang_base(v->lang, sizeof v->lang, lang ? lang : "") != AM_OK)
        return AM_OK; /* not a language code: nothing to learn */
    v->off = u->keys.len;
    v->len = len;
    if (am_buf_append(&u->keys, key ? key : "", len))
        return am_error_set(u->err, AM_ENOMEM, "out of memory");
    u->n_vars++;
    return AM_OK;
}

/* Read the units (from, to] and count them, writing every g_flush_every. */
static int learn(lex_upd *u, int64_t from, int64_t to, void (*progress)(size_t, size_t, void *),
                 void *ctx)
{
    size_t done = 0, since_flush = 0, total = (size_t)(to - from);
    sqlite3_stmt *st = ls_get(&u->q, L_SCAN, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_double(st, 3, AM_LEXICON_MIN_CONFIDENCE);
    int rc = AM_OK, step = SQLITE_DONE;
    u->unit = 0;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        if (unit != u->unit && u->n_vars) {
            rc = count_unit(u);
            if (!rc && ++since_flush >= g_flush_every) {
                rc = flush(u);
                since_flush = 0;
            }
        }
        if (unit != u->unit && progress && ++done % 1024 == 0)
            progress((size_t)(unit - from), total, ctx);
        u->unit = unit;
        if (!rc)
            rc = push_var(u, (const char *)sqlite3_column_text(st, 1),
                          (const char *)sqlite3_column_text(st, 2),
                          (size_t)sqlite3_column_bytes(st, 2));
    }
    /* Statements of the scan must not be reset before the step result is
     * read: a failed step is reported below. */
    if (!rc && step != SQLITE_DONE)
        rc = am_sqlite_error(u->err, u->q.db, step, "cannot read the memory");
    sqlite3_reset(st);
    if (!rc && u->n_vars)
        rc = count_unit(u);
    if (!rc)
        rc = flush(u);
    if (!rc && progress)
        progress(total, total, ctx);
    return rc;
}

static void upd_free(lex_upd *u)
{
    for (size_t i = 0; i < u->n_acc; i++)
        am_lexicon_free(u->acc[i].lx);
    free(u->acc);
    free(u->rows);
    free(u->words);
    free(u->vars);
    am_buf_free(&u->keys);
    am_buf_free(&u->skey);
    am_strmap_free(u->stems);
    ls_free(&u->q);
}

static int clear_counts(sqlite3 *db, am_error *err)
{
    /* Constant statements without parameters; DELETE without WHERE is
     * SQLite's truncate optimisation. */
    int rc = sqlite3_exec(db,
                          "DELETE FROM lex_cand; DELETE FROM lex_links; DELETE FROM lex_words;"
                          " DELETE FROM lex_stems; DELETE FROM lex_pairs; DELETE FROM lex_state",
                          NULL, NULL, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, db, rc, "cannot clear the lexicon");
}


static int exec_const(sqlite3 *db, const char *sql, am_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, db, rc, "cannot write the lexicon");
}

static int update_body(lex_upd *u, int rebuild, void (*progress)(size_t, size_t, void *),
                       void *ctx)
{
    int64_t from = 0, to = 0;
    int rc = rebuild ? clear_counts(u->q.db, u->err) : AM_OK;
    if (!rc && !rebuild)
        rc = get_watermark(&u->q, &from, u->err);
    if (!rc)
        rc = max_unit(&u->q, &to, u->err);
    if (rc || to <= from)
        return rc;
    if (!(u->stems = am_strmap_new()))
        return am_error_set(u->err, AM_ENOMEM, "out of memory");
    int big = to - from > (int64_t)g_big_update;
    u->per_row_cand = !big;
    if (big && (rc = exec_const(u->q.db, "DROP INDEX IF EXISTS lex_links_b", u->err)))
        return rc;
    if ((rc = learn(u, from, to, progress, ctx)))
        return rc;
    if (big && (rc = exec_const(u->q.db, "CREATE INDEX lex_links_b ON lex_links(pair, b)",
                                u->err)))
        return rc;
    /* One pass over all the pairs rather than a look-up per pair written. */
    if (big && (rc = exec_const(u->q.db, SQ_LEX_CAND_FILL, u->err)))
        return rc;
    sqlite3_stmt *st = ls_get(&u->q, L_SET_STATE, u->err);
    if (!st)
        return fail_code(u->err);
    sqlite3_bind_text(st, 1, "watermark", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, to);
    return ls_exec(&u->q, st, "cannot write the lexicon", u->err);
}

int sq_lexicon_update(void *impl, int rebuild, void (*progress)(size_t, size_t, void *),
                      void *ctx, am_error *err)
{
    sq_store *s = impl;
    if (s->readonly)
        return am_error_set(err, AM_EDB, "the memory is open read-only: cannot update its lexicon");
    lex_upd u;
    memset(&u, 0, sizeof u);
    u.q.db = s->db;
    u.err = err;
    int own = sqlite3_get_autocommit(s->db), rc;
    if (own && (rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = am_sqlite_error(err, s->db, rc, "cannot start writing the memory");
        upd_free(&u);
        return rc;
    }
    rc = update_body(&u, rebuild, progress, ctx);
    upd_free(&u);
    if (own && !rc && (rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
        rc = am_sqlite_error(err, s->db, rc, "cannot save the lexicon");
    if (own && rc && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ---------------------------------------------------------------------
 * Loading, status, pairs
 * ------------------------------------------------------------------- */

typedef struct lex_want {
    int64_t id;
    size_t off;     /* of the stem in lex_load.wanted[side] */
    uint64_t units; /* holding the stem */
} lex_want;

typedef struct lex_load {
    lex_stmts q;
    am_error *err;
    am_lexicon *lx;
    int64_t pair;
    uint64_t units;    /* of the pair */
    int linkable;      /* TM_LEX_LINKABLE: only what the aligner can link */
    int cand;          /* ... read from lex_cand (schema version 3) */
    int own;           /* the read transaction is ours (load_begin) */
    int swapped;       /* lx side 0 is the store's side b */
    char lang[2][16];  /* the store's sides */
    am_buf wanted[2];  /* wanted stems per store side, NUL-separated */
    idset ids[2];      /* wanted stems found, per store side */
    lex_want *list[2]; /* the same, in order, with their texts */
    size_t n_list[2];
    idset partners[2]; /* partner stems already loaded */
} lex_load;

static int want_cb(const char *stem, void *ctx)
{
    am_buf *b = ctx;
    return am_buf_append(b, stem, strlen(stem) + 1) ? AM_ENOMEM : AM_OK;
}

static int word_units(lex_load *l, int64_t stem, int64_t *units, int *found)
{
    sqlite3_stmt *st = ls_get(&l->q, L_WORD, l->err);
    if (!st)
        return fail_code(l->err);
    sqlite3_bind_int64(st, 1, l->pair);
    sqlite3_bind_int64(st, 2, stem);
    return ls_step_int(&l->q, st, units, found, "cannot read the lexicon", l->err);
}

static int push_want(lex_load *l, int ss, int64_t id, size_t off, uint64_t units)
{
    int added = 0;
    if (idset_add(&l->ids[ss], id, &added))
        return am_error_set(l->err, AM_ENOMEM, "out of memory");
    lex_want *p = realloc(l->list[ss], (l->n_list[ss] + 1) * sizeof *p);
    if (!p)
        return am_error_set(l->err, AM_ENOMEM, "out of memory");
    l->list[ss] = p;
    p[l->n_list[ss]++] = (lex_want){id, off, units};
    return AM_OK;
}

/* The wanted stems of the store's side ss: their counts, and their ids. */
static int load_wanted(lex_load *l, int ss)
{
    int side = ss ^ l->swapped, rc;
    am_buf *w = &l->wanted[ss];
    if (am_lexicon_foreach_wanted(l->lx, side, want_cb, w))
        return am_error_set(l->err, AM_ENOMEM, "out of memory");
    for (size_t off = 0; off < w->len;) {
        const char *stem = w->data + off;
        size_t here = off;
        int64_t id = 0, units = 0;
        int found = 0;
        off += strlen(stem) + 1;
        sqlite3_stmt *st = ls_get(&l->q, L_FIND_STEM, l->err);
        if (!st)
            return fail_code(l->err);
        sqlite3_bind_text(st, 1, l->lang[ss], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, stem, -1, SQLITE_STATIC);
        if ((rc = ls_step_int(&l->q, st, &id, &found, "cannot read the lexicon", l->err)))
            return rc;
        if (found && (rc = word_units(l, id, &units, &found)))
            return rc;
        /* A function word links to nothing: not even its count. */
        if (!found || (l->linkable && !lx_link_word((uint64_t)units, l->units)))
            continue;
        if ((rc = am_lexicon_add_word(l->lx, side, stem, (uint64_t)units, l->err)) ||
            (rc = push_want(l, ss, id, here, (uint64_t)units)))
            return rc;
    }
    return AM_OK;
}

/* One stem pair read by the query of store side ss: the pair, and the
 * partner's count once. */
static int load_link(lex_load *l, int ss, const char *mine, int64_t other, const char *theirs,
                     int64_t units)
{
    int os = !ss, added = 0, found = 0, rc;
    int wanted = idset_has(&l->ids[os], other);
    const char *a = ss == 0 ? mine : theirs, *b = ss == 0 ? theirs : mine;
    if (wanted && ss == 1)
        return AM_OK; /* both wanted: already loaded from side 0 */
    rc = l->swapped ? am_lexicon_add_pair(l->lx, b, a, (uint64_t)units, l->err)
                    : am_lexicon_add_pair(l->lx, a, b, (uint64_t)units, l->err);
    if (rc || wanted)
        return rc;
    if (idset_add(&l->partners[os], other, &added))
        return am_error_set(l->err, AM_ENOMEM, "out of memory");
    if (!added)
        return AM_OK;
    int64_t n = 0;
    if ((rc = word_units(l, other, &n, &found)) || !found)
        return rc;
    return am_lexicon_add_word(l->lx, os ^ l->swapped, theirs, (uint64_t)n, l->err);
}

static int load_links(lex_load *l, int ss)
{
    int rc = AM_OK, step = SQLITE_DONE;
    for (size_t i = 0; i < l->n_list[ss] && !rc; i++) {
        const lex_want *w = &l->list[ss][i];
        sqlite3_stmt *st = ls_get(&l->q, ss == 0 ? L_LINKS_A : L_LINKS_B, l->err);
        if (!st)
            return fail_code(l->err);
        sqlite3_bind_int64(st, 1, l->pair);
        sqlite3_bind_int64(st, 2, w->id);
        /* Column texts stay valid until this statement steps again. */
        while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
            rc = load_link(l, ss, l->wanted[ss].data + w->off, sqlite3_column_int64(st, 0),
                           (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2));
        if (!rc && step != SQLITE_DONE)
            rc = am_sqlite_error(l->err, l->q.db, step, "cannot read the lexicon");
        sqlite3_reset(st);
    }
    return rc;
}

static int want_cmp(const void *x, const void *y)
{
    const lex_want *p = x, *q = y;
    return p->id < q->id ? -1 : p->id > q->id;
}

/* The pairs whose two stems are both wanted, from the side-0 stems alone:
 * no partner texts or counts to fetch (what aligning needs). Linkable
 * only: the pairs that pass the aligner's thresholds, read from lex_cand,
 * whose few pairs per stem hold them all; or in a version 2 memory open
 * read-only, the pairs of each stem filtered while read (SQLite skips
 * those too rare for the stem's own count). Measured on the 1M-unit
 * synthetic memory (5.5 M pairs) with 2 x 21,000 sentences, whose 3,793
 * and 4,673 stems hold 13,362 linkable pairs: 0.23 G instructions and
 * 0.05 s through lex_cand, 1.24 G and 0.35 s scanning their pairs. */
static int load_within(lex_load *l)
{
    int rc = AM_OK, step = SQLITE_DONE;
    if (l->n_list[1] > 1)
        qsort(l->list[1], l->n_list[1], sizeof *l->list[1], want_cmp);
    if (l->n_list[0] > 1)
        qsort(l->list[0], l->n_list[0], sizeof *l->list[0], want_cmp);
    for (size_t i = 0; i < l->n_list[0] && !rc && l->n_list[1]; i++) {
        const lex_want *w = &l->list[0][i];
        sqlite3_stmt *st = ls_get(&l->q, l->cand ? L_CAND_IDS : L_LINKS_IDS, l->err);
        if (!st)
            return fail_code(l->err);
        sqlite3_bind_int64(st, 1, l->pair);
        sqlite3_bind_int64(st, 2, w->id);
        if (!l->cand)
            sqlite3_bind_int64(st, 3, l->linkable ? (int64_t)lx_link_min_both(w->units) : 0);
        while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
            lex_want key = {sqlite3_column_int64(st, 0), 0, 0};
            const lex_want *o = bsearch(&key, l->list[1], l->n_list[1], sizeof key, want_cmp);
            if (!o)
                continue;
            const char *a = l->wanted[0].data + w->off, *b = l->wanted[1].data + o->off;
            uint64_t units = (uint64_t)sqlite3_column_int64(st, 1);
            if (l->linkable && !lx_link_pair(units, w->units, o->units, l->units))
                continue;
            rc = l->swapped ? am_lexicon_add_pair(l->lx, b, a, units, l->err)
                            : am_lexicon_add_pair(l->lx, a, b, units, l->err);
        }
        if (!rc && step != SQLITE_DONE)
            rc = am_sqlite_error(l->err, l->q.db, step, "cannot read the lexicon");
        sqlite3_reset(st);
    }
    return rc;
}

/* Find the store's pair for lx: l->pair and l->units (not added to lx
 * here: a refused load_linkable leaves lx empty); *found = 0 when the
 * memory has no counts for it. */
static int find_pair(lex_load *l, int *found)
{
    char a[16], b[16];
    int64_t units = 0;
    *found = 0;
    if (am_lang_base(a, sizeof a, am_lexicon_lang(l->lx, 0)) ||
        am_lang_base(b, sizeof b, am_lexicon_lang(l->lx, 1)))
        return am_error_set(l->err, AM_EARG, "the lexicon's languages are not language codes");
    int c = strcmp(a, b);
    if (c == 0)
        return AM_OK;
    l->swapped = c > 0;
    snprintf(l->lang[0], sizeof l->lang[0], "%s", l->swapped ? b : a);
    snprintf(l->lang[1], sizeof l->lang[1], "%s", l->swapped ? a : b);
    sqlite3_stmt *st = ls_get(&l->q, L_FIND_PAIR, l->err);
    if (!st)
        return fail_code(l->err);
    sqlite3_bind_text(st, 1, l->lang[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, l->lang[1], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        l->pair = sqlite3_column_int64(st, 0);
        units = sqlite3_column_int64(st, 1);
        *found = units > 0;
        l->units = units > 0 ? (uint64_t)units : 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return am_sqlite_error(l->err, l->q.db, rc, "cannot read the lexicon");
    return AM_OK;
}

/* Start a load into lx: one read transaction for the thousands of
 * queries, which on their own would each lock and unlock the file and
 * check it for changes (measured: 8,500 stem look-ups took 0.13 s, 0.014
 * s in one). Not through mmap: with lex_cand the reads are few, and a
 * process aligning one document spent 4 ms more in the page faults of a
 * fresh map. */
static int load_begin(lex_load *l, sq_store *s, am_lexicon *lx, am_error *err)
{
    memset(l, 0, sizeof *l);
    l->q.db = s->db;
    l->err = err;
    l->lx = lx;
    l->own = sqlite3_get_autocommit(s->db);
    if (l->own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return am_sqlite_error(err, s->db, sqlite3_errcode(s->db), "cannot read the lexicon");
    return AM_OK;
}

static void load_end(lex_load *l)
{
    for (int i = 0; i < 2; i++) {
        am_buf_free(&l->wanted[i]);
        free(l->ids[i].k);
        free(l->partners[i].k);
        free(l->list[i]);
    }
    ls_free(&l->q);
    if (l->own) /* nothing written: ending it cannot lose anything */
        sqlite3_exec(l->q.db, "COMMIT", NULL, NULL, NULL);
}

int sq_lexicon_load(void *impl, am_lexicon *lx, int what, am_error *err)
{
    sq_store *s = impl;
    lex_load l;
    int found = 0, within = what != TM_LEX_ALL;
    if (s->version < 2)
        return AM_OK; /* an old memory read-only: nothing learned */
    int rc = load_begin(&l, s, lx, err);
    if (rc)
        return rc;
    l.linkable = what == TM_LEX_LINKABLE;
    l.cand = l.linkable && s->version >= 3;
    rc = find_pair(&l, &found);
    if (!rc && found)
        rc = am_lexicon_add_units(lx, l.units, err);
    if (!rc && found)
        rc = load_wanted(&l, 0);
    if (!rc && found)
        rc = load_wanted(&l, 1);
    if (!rc && found && within)
        rc = load_within(&l);
    if (!rc && found && !within)
        rc = load_links(&l, 0);
    if (!rc && found && !within)
        rc = load_links(&l, 1);
    load_end(&l);
    return rc;
}

/* One row of L_CAND_ALL: the pair, and each stem's count once. */
static int load_cand_row(lex_load *l, sqlite3_stmt *st)
{
    int64_t id[2] = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 3)};
    uint64_t u[2] = {(uint64_t)sqlite3_column_int64(st, 2), (uint64_t)sqlite3_column_int64(st, 5)};
    uint64_t both = (uint64_t)sqlite3_column_int64(st, 6);
    const char *stem[2] = {(const char *)sqlite3_column_text(st, 1),
                           (const char *)sqlite3_column_text(st, 4)};
    if (!stem[0] || !stem[1] || !lx_link_word(u[0], l->units) || !lx_link_word(u[1], l->units) ||
        !lx_link_pair(both, u[0], u[1], l->units))
        return AM_OK;
    for (int ss = 0; ss < 2; ss++) {
        int added = 0;
        if (idset_add(&l->ids[ss], id[ss], &added))
            return am_error_set(l->err, AM_ENOMEM, "out of memory");
        int rc = added ? am_lexicon_add_word(l->lx, ss ^ l->swapped, stem[ss], u[ss], l->err) : 0;
        if (rc)
            return rc;
    }
    return l->swapped ? am_lexicon_add_pair(l->lx, stem[1], stem[0], both, l->err)
                      : am_lexicon_add_pair(l->lx, stem[0], stem[1], both, l->err);
}

/* Every linkable pair, unless there are more than max of them. */
static int load_all_linkable(lex_load *l, size_t max, int *loaded)
{
    int64_t n = 0;
    int found = 0, rc, step = SQLITE_DONE;
    sqlite3_stmt *st = ls_get(&l->q, L_CAND_COUNT, l->err);
    if (!st)
        return fail_code(l->err);
    sqlite3_bind_int64(st, 1, l->pair);
    sqlite3_bind_int64(st, 2, max < INT64_MAX ? (int64_t)max + 1 : INT64_MAX);
    if ((rc = ls_step_int(&l->q, st, &n, &found, "cannot read the lexicon", l->err)))
        return rc;
    if ((uint64_t)n > (uint64_t)max)
        return AM_OK;
    if (!(st = ls_get(&l->q, L_CAND_ALL, l->err)))
        return fail_code(l->err);
    sqlite3_bind_int64(st, 1, l->pair);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = load_cand_row(l, st);
    if (!rc && step != SQLITE_DONE)
        rc = am_sqlite_error(l->err, l->q.db, step, "cannot read the lexicon");
    sqlite3_reset(st);
    *loaded = !rc;
    return rc;
}

int sq_lexicon_load_linkable(void *impl, am_lexicon *lx, size_t max_pairs, int *loaded,
                             am_error *err)
{
    sq_store *s = impl;
    lex_load l;
    int found = 0;
    *loaded = 0;
    if (s->version < 3)
        return AM_OK; /* no lex_cand: the caller wants and loads within */
    int rc = load_begin(&l, s, lx, err);
    if (rc)
        return rc;
    rc = find_pair(&l, &found); /* lx stays empty unless loaded here */
    if (!rc && !found)
        *loaded = 1; /* nothing learned for the pair: nothing to load */
    else if (!rc)
        rc = load_all_linkable(&l, max_pairs, loaded);
    if (!rc && *loaded && found)
        rc = am_lexicon_add_units(lx, l.units, err);
    load_end(&l);
    if (rc)
        *loaded = 0;
    return rc;
}

int sq_lexicon_status(void *impl, int64_t *learned, int64_t *last, am_error *err)
{
    sq_store *s = impl;
    lex_stmts q = {s->db, {NULL}};
    int64_t a = 0, b = 0;
    if (s->version < 2) { /* an old memory read-only: nothing learned */
        if (learned)
            *learned = 0;
        if (last)
            *last = 0;
        return AM_OK;
    }
    int rc = get_watermark(&q, &a, err);
    if (!rc)
        rc = max_unit(&q, &b, err);
    ls_free(&q);
    if (!rc && learned)
        *learned = a;
    if (!rc && last)
        *last = b;
    return rc;
}

int sq_lexicon_pairs(void *impl, int (*cb)(const char *a, const char *b, uint64_t units, void *ctx),
                     void *ctx, am_error *err)
{
    sq_store *s = impl;
    lex_stmts q = {s->db, {NULL}};
    int rc = AM_OK, step = SQLITE_DONE;
    if (s->version < 2)
        return AM_OK; /* an old memory read-only: nothing learned */
    sqlite3_stmt *st = ls_get(&q, L_PAIRS, err);
    if (!st)
        rc = fail_code(err);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
               (uint64_t)sqlite3_column_int64(st, 2), ctx))
            rc = AM_ESTOP;
    }
    if (!rc && step != SQLITE_DONE)
        rc = am_sqlite_error(err, s->db, step, "cannot read the lexicon");
    ls_free(&q);
    return rc;
}
