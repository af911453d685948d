/* test_reliability.c - store faults through the API (issue #8), exactly:
 *  - a full database (PRAGMA max_page_count, SQLite's own way to simulate a
 *    full disk): am_tm_add_unit returns AM_EFULL, inside a transaction and
 *    in autocommit; after the rollback the memory holds exactly what it
 *    held, with no orphan variants, and passes integrity_check;
 *  - a second writer: AM_EBUSY with the "another program" hint once its
 *    busy timeout runs out, nothing of it stored, and it works once the
 *    first commits;
 *  - a newer schema and a foreign file: AM_ESCHEMA and the file unchanged
 *    byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alignmem.h"
#include "tm/store.h"

static char g_dir[256];

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
}

static am_tm *open_tm(const char *path)
{
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_OK);
    return tm;
}

/* Store unit number i (distinct texts, so nothing merges); returns the
 * library's code and leaves the message in err. */
static int add_nth(am_tm *tm, int i, size_t pad, am_error *err)
{
    char en[64], *uk = malloc(pad + 64);
    assert_non_null(uk);
    snprintf(en, sizeof en, "Sentence number %d about the harbour.", i);
    int n = snprintf(uk, 64, "Речення номер %d про гавань. ", i);
    memset(uk + n, 'x', pad);
    uk[n + pad] = '\0';
    am_variant v[2] = {{0}, {0}};
    v[0].lang = "en";
    v[0].text = en;
    v[1].lang = "uk";
    v[1].text = uk;
    am_unit u = {0};
    u.position = -1;
    u.confidence = -1;
    u.variants = v;
    u.n_variants = 2;
    int rc = am_tm_add_unit(tm, &u, AM_DUP_KEEP, NULL, NULL, err);
    free(uk);
    return rc;
}

static long long query_int(am_tm *tm, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void assert_sound(am_tm *tm, long long units)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm), "PRAGMA integrity_check", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    assert_int_equal(query_int(tm, "SELECT count(*) FROM units"), units);
    assert_int_equal(query_int(tm, "SELECT count(*) FROM variants"), 2 * units);
    assert_int_equal(query_int(tm, "SELECT count(*) FROM variants WHERE unit NOT IN "
                                   "(SELECT id FROM units)"),
                     0);
}

/* Cap the file at its current size plus a few pages. */
static void cap_pages(am_tm *tm, int extra)
{
    char sql[96];
    long long pages = query_int(tm, "PRAGMA page_count");
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + extra);
    assert_int_equal(sqlite3_exec(am_tm_sqlite(tm), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_full_in_transaction(void **state)
{
    (void)state;
    char path[320];
    path_in(path, sizeof path, "full-tx.db");
    am_tm *tm = open_tm(path);
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(add_nth(tm, i, 0, &err), AM_OK);
    assert_int_equal(am_tm_commit(tm, &err), AM_OK);
    cap_pages(tm, 4);
    /* A big import into the capped file: AM_EFULL, then roll back. */
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    int rc = AM_OK, i;
    for (i = 50; i < 5000 && rc == AM_OK; i++)
        rc = add_nth(tm, i, 200, &err);
    assert_int_equal(rc, AM_EFULL);
    assert_true(i > 51); /* a few fitted before it was full */
    assert_non_null(strstr(err.message, "full"));
    am_tm_rollback(tm);
    assert_sound(tm, 50);
    am_tm_close(tm);
    /* Reopened without the cap: the 50 units, and room for more. */
    tm = open_tm(path);
    assert_sound(tm, 50);
    am_error_clear(&err);
    assert_int_equal(add_nth(tm, 9999, 0, &err), AM_OK);
    assert_sound(tm, 51);
    am_tm_close(tm);
}

static void test_full_autocommit(void **state)
{
    (void)state;
    char path[320];
    path_in(path, sizeof path, "full-auto.db");
    am_tm *tm = open_tm(path);
    am_error err;
    am_error_clear(&err);
    for (int i = 0; i < 20; i++)
        assert_int_equal(add_nth(tm, i, 0, &err), AM_OK);
    cap_pages(tm, 2);
    /* Units one by one, each its own transaction: those that fitted stay,
     * the one that did not is wholly absent (no variant without unit). */
    int rc = AM_OK, i;
    for (i = 20; i < 5000 && rc == AM_OK; i++)
        rc = add_nth(tm, i, 300, &err);
    assert_int_equal(rc, AM_EFULL);
    assert_sound(tm, i - 1);
    am_tm_close(tm);
}

static void test_second_writer_busy(void **state)
{
    (void)state;
    char path[320];
    path_in(path, sizeof path, "busy.db");
    am_tm *a = open_tm(path), *b = open_tm(path);
    am_error err;
    am_error_clear(&err);
    assert_int_equal(add_nth(a, 1, 0, &err), AM_OK);
    /* a holds the write lock; b gives up after 200 ms instead of 5 s. */
    assert_int_equal(am_tm_begin(a, &err), AM_OK);
    assert_int_equal(add_nth(a, 2, 0, &err), AM_OK);
    sqlite3_busy_timeout(am_tm_sqlite(b), 200);
    int rc = am_tm_begin(b, &err);
    if (rc == AM_OK)
        rc = add_nth(b, 3, 0, &err);
    assert_int_equal(rc, AM_EBUSY);
    assert_non_null(strstr(err.message, "another program"));
    am_tm_rollback(b);
    /* b still reads the last committed state. */
    assert_int_equal(query_int(b, "SELECT count(*) FROM units"), 1);
    assert_int_equal(am_tm_commit(a, &err), AM_OK);
    am_error_clear(&err);
    assert_int_equal(add_nth(b, 3, 0, &err), AM_OK);
    assert_sound(b, 3);
    am_tm_close(a);
    am_tm_close(b);
}

static char *slurp(const char *path, size_t *len)
{
    am_error err;
    am_error_clear(&err);
    char *data = NULL;
    assert_int_equal(am_read_file(&data, len, path, &err), AM_OK);
    return data;
}

static void assert_refused_unchanged(const char *path, int flags)
{
    size_t n0, n1;
    char *before = slurp(path, &n0);
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    assert_int_equal(am_tm_open(&tm, path, flags, &err), AM_ESCHEMA);
    assert_null(tm);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void test_refused_files_unchanged(void **state)
{
    (void)state;
    char path[320];
    path_in(path, sizeof path, "newer.db");
    am_tm *tm = open_tm(path);
    am_error err;
    am_error_clear(&err);
    assert_int_equal(add_nth(tm, 1, 0, &err), AM_OK);
    assert_int_equal(sqlite3_exec(am_tm_sqlite(tm), "PRAGMA user_version = 999", NULL, NULL, NULL),
                     SQLITE_OK);
    am_tm_close(tm);
    assert_refused_unchanged(path, AM_TM_CREATE);
    assert_refused_unchanged(path, AM_TM_READONLY);

    path_in(path, sizeof path, "text.db");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("Minutes of the meeting, not a database.\n", fp);
    fclose(fp);
    assert_refused_unchanged(path, AM_TM_CREATE);
    assert_refused_unchanged(path, AM_TM_READONLY);

    /* A database of someone else's (tables, no version) read-only: refused
     * too, not taken for an empty memory. */
    path_in(path, sizeof path, "foreign.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_refused_unchanged(path, AM_TM_READONLY);
}

/* An empty file (a memory whose creation was killed before its first
 * commit) read-only: an empty memory, the file untouched. */
static void test_readonly_empty_file(void **state)
{
    (void)state;
    char path[320];
    path_in(path, sizeof path, "empty.db");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fclose(fp);
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    assert_int_equal(am_tm_open(&tm, path, AM_TM_READONLY, &err), AM_OK);
    am_tm_stats st;
    memset(&st, 0, sizeof st);
    assert_int_equal(am_tm_stats_get(tm, &st, &err), AM_OK);
    assert_int_equal(st.units, 0);
    assert_int_equal(st.file_bytes, 0);
    am_tm_stats_free(&st);
    /* Writing is still refused. */
    assert_int_equal(add_nth(tm, 1, 0, &err), AM_EDB);
    am_tm_close(tm);
    size_t n = 1;
    free(slurp(path, &n));
    assert_int_equal(n, 0);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s", "/tmp/am-rel-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_in_transaction),
        cmocka_unit_test(test_full_autocommit),
        cmocka_unit_test(test_second_writer_busy),
        cmocka_unit_test(test_refused_files_unchanged),
        cmocka_unit_test(test_readonly_empty_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    am_shutdown();
    return rc;
}
