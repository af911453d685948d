/* test_tm.c - the translation memory store, through the public API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alignmem.h"
#include "tm/store.h"

static char g_dir[256];
static int cand_cb(const am_tm_candidate *c, void *ctx);
static int g_seq;

/* A fresh memory path in the test's temporary folder. */
static void fresh_path(char *out, size_t n)
{
    snprintf(out, n, "%s/m%d.db", g_dir, ++g_seq);
}

static am_tm *open_new(char *path, size_t n)
{
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    fresh_path(path, n);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_OK);
    return tm;
}

/* Dump every unit as one line: "doc pos conf usage src | lang=text[markup]{props} ...". */
static int dump_cb(const am_unit *u, void *ctx)
{
    am_buf *b = ctx;
    am_buf_printf(b, "%lld %ld %.2f %ld %s |", (long long)u->document, u->position, u->confidence,
                  u->usagecount, u->srclang ? u->srclang : "-");
    for (size_t i = 0; i < u->n_props; i++)
        am_buf_printf(b, " P%s=%s", u->props[i].type, u->props[i].value);
    for (size_t i = 0; i < u->n_notes; i++)
        am_buf_printf(b, " N=%s", u->notes[i].value);
    for (size_t i = 0; i < u->n_variants; i++) {
        const am_variant *v = &u->variants[i];
        am_buf_printf(b, " %s=%s", v->lang, v->text);
        if (v->markup)
            am_buf_printf(b, "[%s]", v->markup);
        for (size_t j = 0; j < v->n_props; j++)
            am_buf_printf(b, "{%s:%s}", v->props[j].type, v->props[j].value);
        for (size_t j = 0; j < v->n_notes; j++)
            am_buf_printf(b, "{note:%s}", v->notes[j].value);
    }
    am_buf_putc(b, '\n');
    return 0;
}

static char *dump(am_tm *tm, const am_tm_filter *f)
{
    am_error err;
    am_error_clear(&err);
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_tm_foreach(tm, f, dump_cb, &b, &err), AM_OK);
    return am_buf_detach(&b, NULL);
}

static void assert_dump(am_tm *tm, const am_tm_filter *f, const char *want)
{
    char *got = dump(tm, f);
    if (strcmp(got, want) != 0)
        print_error("got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

/* A unit of two or three plain variants. */
static am_unit unit3(am_variant *v, const char *en, const char *uk, const char *ru)
{
    size_t n = 0;
    memset(v, 0, 3 * sizeof *v);
    if (en) v[n].lang = "en", v[n++].text = en;
    if (uk) v[n].lang = "uk", v[n++].text = uk;
    if (ru) v[n].lang = "ru", v[n++].text = ru;
    am_unit u;
    memset(&u, 0, sizeof u);
    u.position = -1;
    u.confidence = -1;
    u.srclang = "en";
    u.variants = v;
    u.n_variants = n;
    return u;
}

static int add(am_tm *tm, const am_unit *u, int dup, int *outcome)
{
    am_error err;
    am_error_clear(&err);
    int64_t id = 0;
    int rc = am_tm_add_unit(tm, u, dup, &id, outcome, &err);
    if (rc)
        print_error("add: %s\n", err.message);
    return rc;
}

static void test_store_and_reopen(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_document doc = {0, "Statement one", "https://example.org/s1", "2026-11-01", "en,uk",
                       "sum-1"};
    int64_t did = 0;
    int existed = -1;
    assert_int_equal(am_tm_add_document(tm, &doc, &did, &existed, &err), AM_OK);
    assert_int_equal(existed, 0);
    assert_true(did > 0);

    am_variant v[3];
    am_unit u = unit3(v, "The river is wide.", "Річка широка.", NULL);
    u.document = did;
    u.position = 0;
    u.confidence = 0.875;
    u.usagecount = 1;
    am_prop uprops[2] = {{"x-domain", "news", NULL}, {"x-client", "Acme \"Q\" & Co", NULL}};
    am_prop vnote = {NULL, "check «this»", "uk"};
    u.props = uprops;
    u.n_props = 2;
    v[1].notes = &vnote;
    v[1].n_notes = 1;
    v[1].markup = "Річка <ph x=\"1\">&lt;br/&gt;</ph>широка.";
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    assert_int_equal(am_tm_commit(tm, &err), AM_OK);
    am_tm_close(tm);

    tm = NULL;
    assert_int_equal(am_tm_open(&tm, path, AM_TM_READONLY, &err), AM_OK);
    assert_dump(tm, NULL,
                "1 0 0.88 1 en | Px-domain=news Px-client=Acme \"Q\" & Co en=The river is wide. "
                "uk=Річка широка.[Річка <ph x=\"1\">&lt;br/&gt;</ph>широка.]{note:check «this»}\n");
    /* Re-adding the same document finds it. */
    am_tm_close(tm);
    assert_int_equal(am_tm_open(&tm, path, 0, &err), AM_OK);
    int64_t did2 = 0;
    assert_int_equal(am_tm_add_document(tm, &doc, &did2, &existed, &err), AM_OK);
    assert_int_equal(existed, 1);
    assert_int_equal(did2, did);
    am_tm_close(tm);
}

static void test_open_errors(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_tm *tm = NULL;

    am_error_clear(&err);
    fresh_path(path, sizeof path);
    assert_int_equal(am_tm_open(&tm, path, 0, &err), AM_ENOTFOUND);
    assert_null(tm);
    assert_string_equal(err.where, path);

    /* Not SQLite at all. */
    am_error_clear(&err);
    FILE *fp = fopen(path, "wb");
    for (int i = 0; i < 100; i++)
        fputs("this is a text file, not a database\n", fp);
    fclose(fp);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_ESCHEMA);
    assert_non_null(strstr(err.message, "not an alignmem memory"));

    /* SQLite, but somebody else's. */
    am_error_clear(&err);
    fresh_path(path, sizeof path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_ESCHEMA);
    assert_string_equal(err.message, "an SQLite database, but not an alignmem memory");

    /* Parent folders are created. */
    am_error_clear(&err);
    snprintf(path, sizeof path, "%s/deep/er/m.db", g_dir);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_OK);
    am_tm_close(tm);
}

static char *slurp(const char *path, size_t *n)
{
    char *data = NULL;
    assert_int_equal(am_read_file(&data, n, path, NULL), AM_OK);
    return data;
}

static void test_newer_schema_refused_untouched(void **state)
{
    (void)state;
    char path[300], side[320];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_tm_close(tm);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    size_t n1, n2;
    char *before = slurp(path, &n1);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_ESCHEMA);
    assert_non_null(strstr(err.message, "schema version 99, newer"));
    char *after = slurp(path, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_equal(access(side, F_OK), -1); /* not even switched to WAL */
    free(before);
    free(after);
}

static void test_merge_identical(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    am_unit u = unit3(v, "One.", "Один.", "Один.");
    int out = -1;
    u.usagecount = 1;
    assert_int_equal(add(tm, &u, AM_DUP_KEEP | AM_DUP_COUNT_USE, &out), AM_OK);
    assert_int_equal(out, AM_TM_ADDED);
    assert_int_equal(add(tm, &u, AM_DUP_KEEP | AM_DUP_COUNT_USE, &out), AM_OK);
    assert_int_equal(out, AM_TM_MERGED);
    /* The same texts in another order are the same unit. */
    am_variant w[3] = {v[2], v[0], v[1]};
    am_unit u2 = u;
    u2.variants = w;
    assert_int_equal(add(tm, &u2, AM_DUP_SKIP | AM_DUP_COUNT_USE, &out), AM_OK);
    assert_int_equal(out, AM_TM_MERGED);
    /* A pair already inside the three-way unit merges into it. */
    am_unit pair = unit3(v, "One.", "Один.", NULL);
    pair.usagecount = 1;
    assert_int_equal(add(tm, &pair, AM_DUP_KEEP | AM_DUP_COUNT_USE, &out), AM_OK);
    assert_int_equal(out, AM_TM_MERGED);
    /* Without COUNT_USE (import) the larger usage count is kept. */
    pair.usagecount = 2;
    assert_int_equal(add(tm, &pair, AM_DUP_KEEP, &out), AM_OK);
    assert_int_equal(out, AM_TM_MERGED);
    assert_dump(tm, NULL, "0 -1 -1.00 4 en | en=One. uk=Один. ru=Один.\n");
    pair.usagecount = 9;
    assert_int_equal(add(tm, &pair, AM_DUP_KEEP, &out), AM_OK);
    assert_dump(tm, NULL, "0 -1 -1.00 9 en | en=One. uk=Один. ru=Один.\n");
    /* Same source, a language the stored unit lacks: a new unit. */
    am_unit other = unit3(v, "One.", NULL, "Адзін.");
    v[1].lang = "be";
    assert_int_equal(add(tm, &other, AM_DUP_SKIP, &out), AM_OK);
    assert_int_equal(out, AM_TM_ADDED);
    /* ... but another text in a language it has is another rendering. */
    other = unit3(v, "One.", NULL, "Одно.");
    assert_int_equal(add(tm, &other, AM_DUP_SKIP, &out), AM_OK);
    assert_int_equal(out, AM_TM_SKIPPED);
    assert_dump(tm, NULL, "0 -1 -1.00 9 en | en=One. uk=Один. ru=Один.\n"
                          "0 -1 -1.00 0 en | en=One. be=Адзін.\n");
    am_tm_close(tm);
}

static void test_duplicate_policies(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    int out = -1;
    am_unit a = unit3(v, "Hello.", "Привіт.", NULL);
    assert_int_equal(add(tm, &a, AM_DUP_KEEP, &out), AM_OK);
    am_variant w[3];
    am_unit b = unit3(w, "Hello.", "Вітаю.", NULL);
    assert_int_equal(add(tm, &b, AM_DUP_SKIP, &out), AM_OK);
    assert_int_equal(out, AM_TM_SKIPPED);
    assert_dump(tm, NULL, "0 -1 -1.00 0 en | en=Hello. uk=Привіт.\n");
    assert_int_equal(add(tm, &b, AM_DUP_KEEP, &out), AM_OK);
    assert_int_equal(out, AM_TM_ADDED);
    assert_dump(tm, NULL,
                "0 -1 -1.00 0 en | en=Hello. uk=Привіт.\n0 -1 -1.00 0 en | en=Hello. uk=Вітаю.\n");
    am_variant x[3];
    am_unit c = unit3(x, "Hello.", "Добрий день.", NULL);
    assert_int_equal(add(tm, &c, AM_DUP_REPLACE, &out), AM_OK);
    assert_int_equal(out, AM_TM_REPLACED);
    assert_dump(tm, NULL, "0 -1 -1.00 0 en | en=Hello. uk=Добрий день.\n");
    /* The replaced units left nothing behind, in the FTS index either. */
    sqlite3 *db = am_tm_sqlite(tm);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM variants),"
                                        " (SELECT count(*) FROM variants_fts WHERE variants_fts"
                                        " MATCH 'привіт OR вітаю')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    sqlite3_finalize(st);
    am_tm_close(tm);
}

/* FTS5's own check that the index matches the variants it indexes. */
static void assert_fts_consistent(am_tm *tm)
{
    char *msg = NULL;
    int rc = sqlite3_exec(am_tm_sqlite(tm),
                          "INSERT INTO variants_fts(variants_fts, rank) VALUES ('integrity-check', 1)",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_error("FTS integrity: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static int count_match(am_tm *tm, const char *match)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm),
                                        "SELECT count(*) FROM variants_fts WHERE variants_fts MATCH ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* New variants reach the FTS index in batches: by commit, before a
 * replace deletes rows, and before a search in the same transaction. */
static void test_fts_batches(void **state)
{
    (void)state;
    char path[300], en[64], uk[64];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    for (int i = 0; i < 50; i++) {
        snprintf(en, sizeof en, "Window number %d is open.", i);
        snprintf(uk, sizeof uk, "Вікно номер %d відчинене.", i);
        am_unit u = unit3(v, en, uk, NULL);
        assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    }
    /* Replace inside the transaction: the old rows must leave the index. */
    am_unit r = unit3(v, "Window number 7 is open.", "Сьоме вікно відчинене.", NULL);
    int out = -1;
    assert_int_equal(add(tm, &r, AM_DUP_REPLACE, &out), AM_OK);
    assert_int_equal(out, AM_TM_REPLACED);
    const char *words[] = {"сьоме"};
    am_tm_query q = {"uk", words, 1, 0, 0};
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_tm_candidates(tm, &q, cand_cb, &b, &err), AM_OK);
    assert_string_equal(b.data, "51:uk:Сьоме вікно відчинене.\n");
    am_buf_free(&b);
    for (int i = 50; i < 60; i++) {
        snprintf(en, sizeof en, "Window number %d is open.", i);
        snprintf(uk, sizeof uk, "Вікно номер %d відчинене.", i);
        am_unit u = unit3(v, en, uk, NULL);
        assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    }
    assert_int_equal(am_tm_commit(tm, &err), AM_OK);
    assert_int_equal(count_match(tm, "вікно"), 60);
    assert_int_equal(count_match(tm, "window"), 60);
    assert_int_equal(count_match(tm, "\"вікно номер 7\""), 0);
    assert_fts_consistent(tm);
    /* A rolled-back transaction leaves nothing in the index either. */
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    am_unit z = unit3(v, "Zebra crossing.", "Пішохідний перехід.", NULL);
    assert_int_equal(add(tm, &z, AM_DUP_KEEP, NULL), AM_OK);
    am_tm_rollback(tm);
    am_unit y = unit3(v, "Yellow line.", "Жовта лінія.", NULL);
    assert_int_equal(add(tm, &y, AM_DUP_KEEP, NULL), AM_OK);
    assert_int_equal(count_match(tm, "zebra"), 0);
    assert_int_equal(count_match(tm, "yellow"), 1);
    assert_fts_consistent(tm);
    am_tm_close(tm);
}

static void test_transactions(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    am_unit a = unit3(v, "Kept.", "Збережено.", NULL);
    assert_int_equal(add(tm, &a, AM_DUP_KEEP, NULL), AM_OK);

    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    am_variant w[3];
    am_unit b = unit3(w, "Lost.", "Втрачено.", NULL);
    assert_int_equal(add(tm, &b, AM_DUP_KEEP, NULL), AM_OK);
    /* A bad unit fails alone and whole ... */
    am_variant bad[2] = {{.lang = "en", .text = "Half."}, {.lang = "", .text = "Пів."}};
    am_unit c = b;
    c.variants = bad;
    c.n_variants = 2;
    int64_t id = 0;
    assert_int_equal(am_tm_add_unit(tm, &c, AM_DUP_KEEP, &id, NULL, &err), AM_EINPUT);
    assert_string_equal(err.message, "a variant without language or text");
    am_unit none = b;
    none.n_variants = 0;
    am_error_clear(&err);
    assert_int_equal(am_tm_add_unit(tm, &none, AM_DUP_KEEP, &id, NULL, &err), AM_EINPUT);
    /* ... and the caller's rollback drops the whole file's work. */
    am_tm_rollback(tm);
    assert_dump(tm, NULL, "0 -1 -1.00 0 en | en=Kept. uk=Збережено.\n");

    /* Two writers: the second waits, then reports AM_EBUSY. */
    am_tm *tm2 = NULL;
    am_error_clear(&err);
    assert_int_equal(am_tm_open(&tm2, path, 0, &err), AM_OK);
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    assert_int_equal(am_tm_begin(tm2, &err), AM_EBUSY);
    am_tm_rollback(tm);
    /* A reader still sees the committed state during a write. */
    assert_dump(tm2, NULL, "0 -1 -1.00 0 en | en=Kept. uk=Збережено.\n");
    am_tm_close(tm2);
    am_tm_close(tm);
}

static void test_disk_full(void **state)
{
    (void)state;
    char path[300], text[200];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    am_unit a = unit3(v, "Before.", "Раніше.", NULL);
    assert_int_equal(add(tm, &a, AM_DUP_KEEP, NULL), AM_OK);
    /* Cap the file a few pages above its size: like a full disk. */
    sqlite3 *db = am_tm_sqlite(tm);
    assert_non_null(db);
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 40", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    int rc = AM_OK;
    for (int i = 0; i < 5000 && rc == AM_OK; i++) {
        snprintf(text, sizeof text, "Sentence number %d of a long import that will not fit.", i);
        am_unit b = unit3(v, text, "Речення.", NULL);
        rc = am_tm_add_unit(tm, &b, AM_DUP_KEEP, NULL, NULL, &err);
    }
    assert_int_equal(rc, AM_EFULL);
    am_tm_rollback(tm);
    assert_dump(tm, NULL, "0 -1 -1.00 0 en | en=Before. uk=Раніше.\n");
    am_tm_close(tm);
}

static void test_filters(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_document d1 = {0, "A", NULL, NULL, "en,uk", "a"}, d2 = {0, "B", NULL, NULL, "en,ru", "b"};
    int64_t id1, id2;
    assert_int_equal(am_tm_add_document(tm, &d1, &id1, NULL, &err), AM_OK);
    assert_int_equal(am_tm_add_document(tm, &d2, &id2, NULL, &err), AM_OK);
    am_variant v[3];
    am_unit u = unit3(v, "First.", "Перше.", NULL);
    u.document = id1, u.position = 0, u.confidence = 0.95, u.changedate = "20260101T000000Z";
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "Second.", NULL, "Второе.");
    v[1].lang = "ru-RU";
    u.document = id2, u.position = 3, u.confidence = 0.40, u.changedate = "2026-06-15T12:00:00Z";
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "Third.", "Третє.", "Третье.");
    u.changedate = "2026-12-31";
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);

    const char *en_ru[] = {"en", "ru"};
    am_tm_filter f = AM_TM_FILTER_INIT;
    f.langs = en_ru;
    f.n_langs = 2;
    assert_dump(tm, &f,
                "2 3 0.40 0 en | en=Second. ru-RU=Второе.\n0 -1 -1.00 0 en | en=Third. uk=Третє. "
                "ru=Третье.\n");
    const char *ru_ru[] = {"ru-RU"};
    f.langs = ru_ru;
    f.n_langs = 1;
    assert_dump(tm, &f, "2 3 0.40 0 en | en=Second. ru-RU=Второе.\n");
    am_tm_filter g = AM_TM_FILTER_INIT;
    g.document = id1;
    assert_dump(tm, &g, "1 0 0.95 0 en | en=First. uk=Перше.\n");
    am_tm_filter h = AM_TM_FILTER_INIT;
    h.since = "2026-06-01";
    assert_dump(tm, &h,
                "2 3 0.40 0 en | en=Second. ru-RU=Второе.\n0 -1 -1.00 0 en | en=Third. uk=Третє. "
                "ru=Третье.\n");
    h.since = "20260615T120001Z";
    assert_dump(tm, &h, "0 -1 -1.00 0 en | en=Third. uk=Третє. ru=Третье.\n");
    h.since = "last week";
    assert_int_equal(am_tm_foreach(tm, &h, dump_cb, NULL, &err), AM_EARG);
    am_tm_filter k = AM_TM_FILTER_INIT;
    k.min_score = 0.5;
    assert_dump(tm, &k, "1 0 0.95 0 en | en=First. uk=Перше.\n");
    am_tm_filter one = AM_TM_FILTER_INIT;
    one.unit = 2;
    assert_dump(tm, &one, "2 3 0.40 0 en | en=Second. ru-RU=Второе.\n");
    am_tm_close(tm);
}

static int stop_after_one(const am_unit *u, void *ctx)
{
    (void)u;
    (*(int *)ctx)++;
    return 1;
}

static void test_stats_and_stop(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    am_unit u = unit3(v, "A.", "А.", "А.");
    u.confidence = 0.95;
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "B.", "Б.", NULL);
    u.confidence = 1.0;
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "C.", NULL, "Ц.");
    u.confidence = 0.05;
    am_prop p = {"x-a", "1", NULL};
    u.props = &p, u.n_props = 1, u.notes = &p, u.n_notes = 1;
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "D.", "Д.", NULL);
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    am_tm_stats s;
    assert_int_equal(am_tm_stats_get(tm, &s, &err), AM_OK);
    assert_int_equal(s.documents, 0);
    assert_int_equal(s.units, 4);
    assert_int_equal(s.variants, 9);
    assert_int_equal(s.unscored, 1);
    assert_int_equal(s.props, 1);
    assert_int_equal(s.notes, 1);
    assert_string_equal(s.pairs, "en ru 2\nen uk 3\nru uk 1\n");
    long long want[10] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    assert_memory_equal(s.histogram, want, sizeof want);
    assert_true(s.file_bytes > 4096);
    am_tm_stats_free(&s);
    int calls = 0;
    assert_int_equal(am_tm_foreach(tm, NULL, stop_after_one, &calls, &err), AM_ESTOP);
    assert_int_equal(calls, 1);
    am_tm_close(tm);
}

static int cand_cb(const am_tm_candidate *c, void *ctx)
{
    am_buf_printf(ctx, "%lld:%s:%s\n", (long long)c->unit, c->lang, c->text);
    return 0;
}

static void test_candidates(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    am_variant v[3];
    am_unit u = unit3(v, "The quick brown fox.", "Швидкий лис.", NULL);
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    u = unit3(v, "A brown quick \"fox\".", NULL, "Лиса.");
    assert_int_equal(add(tm, &u, AM_DUP_KEEP, NULL), AM_OK);
    const char *words[] = {"quick", "brown"};
    am_tm_query q = {"en", words, 2, 1, 0};
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_tm_candidates(tm, &q, cand_cb, &b, &err), AM_OK);
    assert_string_equal(b.data, "1:en:The quick brown fox.\n");
    am_buf_clear(&b);
    const char *quote[] = {"\"fox\"", "nothing"};
    q.words = quote;
    q.phrase = 0;
    assert_int_equal(am_tm_candidates(tm, &q, cand_cb, &b, &err), AM_OK);
    assert_string_equal(b.data, "1:en:The quick brown fox.\n2:en:A brown quick \"fox\".\n");
    am_buf_clear(&b);
    q.lang = "uk";
    assert_int_equal(am_tm_candidates(tm, &q, cand_cb, &b, &err), AM_OK);
    assert_true(b.data == NULL || b.len == 0);
    am_buf_free(&b);
    /* Exact match through the key hash, as store.h documents it. */
    char *key = NULL;
    size_t len = 0;
    assert_int_equal(am_normalize(&key, &len, "The quick  brown fox.", 21, &err), AM_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm),
                                        "SELECT unit FROM variants WHERE khash = ?1 AND lang = ?2"
                                        " AND key = ?3",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, am_tm_key_hash("en", key, len));
    sqlite3_bind_text(st, 2, "en", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1);
    sqlite3_finalize(st);
    free(key);
    am_tm_close(tm);
}

static void test_helpers(void **state)
{
    (void)state;
    char d[20];
    assert_int_equal(am_tm_date_tmx(d, "2026-11-28"), AM_OK);
    assert_string_equal(d, "20261128T000000Z");
    assert_int_equal(am_tm_date_tmx(d, "2026-11-28T10:20:30Z"), AM_OK);
    assert_string_equal(d, "20261128T102030Z");
    assert_int_equal(am_tm_date_tmx(d, "20261128T102030Z"), AM_OK);
    assert_string_equal(d, "20261128T102030Z");
    assert_int_equal(am_tm_date_tmx(d, "28.11.2026"), AM_EARG);
    assert_int_equal(am_tm_date_tmx(d, "2026-11-28 10:20"), AM_EARG);
    assert_true(am_tm_lang_matches("en", "en-US"));
    assert_true(am_tm_lang_matches("EN", "en"));
    assert_false(am_tm_lang_matches("en-US", "en"));
    assert_false(am_tm_lang_matches("en-US", "en-GB"));
    assert_false(am_tm_lang_matches("e", "en"));
    assert_false(am_tm_lang_matches("uk", "ru"));
    assert_true(am_tm_key_hash("en", "a", 1) != am_tm_key_hash("uk", "a", 1));
}

/* am_tm_add_unit_keyed stores the caller's keys (what import computes on
 * its reader thread) exactly as am_tm_add_unit computes them: same rows,
 * same exact-match hash, and a second keyed add merges into the first. */
static void test_add_keyed(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    am_error err;
    am_error_clear(&err);
    am_variant v[3];
    am_unit u = unit3(v, "Keep the  KEY.", "Ключ — ЦЕЙ.", NULL);
    char *keys[2];
    size_t lens[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(am_normalize(&keys[i], &lens[i], v[i].text, strlen(v[i].text), &err), AM_OK);
    int outcome = -1;
    int64_t id = 0, id2 = 0;
    assert_int_equal(am_tm_add_unit_keyed(tm, &u, keys, lens, AM_DUP_KEEP, &id, &outcome, &err),
                     AM_OK);
    assert_int_equal(outcome, AM_TM_ADDED);
    assert_int_equal(am_tm_add_unit(tm, &u, AM_DUP_KEEP, &id2, &outcome, &err), AM_OK);
    assert_int_equal(outcome, AM_TM_MERGED);
    assert_int_equal(id2, id);
    assert_int_equal(am_tm_add_unit_keyed(tm, &u, keys, lens, AM_DUP_KEEP, &id2, &outcome, &err),
                     AM_OK);
    assert_int_equal(outcome, AM_TM_MERGED);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm),
                                        "SELECT unit FROM variants WHERE khash = ?1 AND lang = 'uk'"
                                        " AND key = ?2", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, am_tm_key_hash("uk", keys[1], lens[1]));
    sqlite3_bind_text(st, 2, keys[1], (int)lens[1], SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* The keys stay the caller's: the store must not have freed them. */
    assert_string_equal(keys[0], "keep the key.");
    free(keys[0]);
    free(keys[1]);
    am_tm_close(tm);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s", "/tmp/test_tm.XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_and_reopen),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_newer_schema_refused_untouched),
        cmocka_unit_test(test_merge_identical),
        cmocka_unit_test(test_duplicate_policies),
        cmocka_unit_test(test_fts_batches),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_stats_and_stop),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_add_keyed),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    am_shutdown();
    return failed;
}
