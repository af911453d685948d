/* test_lexicon.c - the memory's lexicon counts (src/tm/sqlite_lex.c):
 * exact counts, incremental == rebuild, the watermark, loading restricted
 * to wanted stems, and the migration of a schema-1 memory. */
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
#include "tm/sqlite_lex.h"

static char g_dir[256];
static int g_seq;

static am_tm *open_new(char *path, size_t n)
{
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    snprintf(path, n, "%s/m%d.db", g_dir, ++g_seq);
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, &err), AM_OK);
    return tm;
}

/* Store a unit of up to three variants (NULL = absent). */
static void add3(am_tm *tm, double conf, const char *en, const char *uk, const char *ru)
{
    am_variant v[3];
    const char *langs[3] = {"en", "uk", "ru"}, *texts[3] = {en, uk, ru};
    size_t n = 0;
    memset(v, 0, sizeof v);
    for (int i = 0; i < 3; i++) {
        if (!texts[i])
            continue;
        v[n].lang = langs[i];
        v[n++].text = texts[i];
    }
    am_unit u;
    memset(&u, 0, sizeof u);
    u.position = -1;
    u.confidence = conf;
    u.variants = v;
    u.n_variants = n;
    am_error err;
    am_error_clear(&err);
    int outcome = -1;
    assert_int_equal(am_tm_add_unit(tm, &u, AM_DUP_KEEP, NULL, &outcome, &err), AM_OK);
    assert_int_equal(outcome, AM_TM_ADDED);
}

static void update(am_tm *tm, int rebuild)
{
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tm_lexicon_update(tm, rebuild, NULL, NULL, &err), AM_OK);
}

/* Append the rows of an SQL query (text columns joined by spaces). */
static void dump_sql(am_buf *out, am_tm *tm, const char *sql, const char *pair_a,
                     const char *pair_b)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm), sql, -1, &st, NULL), SQLITE_OK);
    if (pair_a) {
        sqlite3_bind_text(st, 1, pair_a, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, pair_b, -1, SQLITE_STATIC);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++)
            am_buf_printf(out, "%s%s", i ? " " : "", (const char *)sqlite3_column_text(st, i));
        am_buf_putc(out, '\n');
    }
    sqlite3_finalize(st);
}

/* Every count of the memory, or of one pair, as sorted text. */
static char *dump(am_tm *tm, const char *a, const char *b)
{
    am_buf out = AM_BUF_INIT;
    const char *w = a ? " WHERE p.lang_a = ?1 AND p.lang_b = ?2" : "";
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT p.lang_a, p.lang_b, p.units FROM lex_pairs p%s"
             " ORDER BY 1, 2", w);
    dump_sql(&out, tm, sql, a, b);
    snprintf(sql, sizeof sql,
             "SELECT p.lang_a, p.lang_b, s.lang, s.stem, x.units FROM lex_words x"
             " JOIN lex_pairs p ON p.id = x.pair JOIN lex_stems s ON s.id = x.stem%s"
             " ORDER BY 1, 2, 3, 4", w);
    dump_sql(&out, tm, sql, a, b);
    snprintf(sql, sizeof sql,
             "SELECT p.lang_a, p.lang_b, sa.stem, sb.stem, x.units FROM lex_links x"
             " JOIN lex_pairs p ON p.id = x.pair JOIN lex_stems sa ON sa.id = x.a"
             " JOIN lex_stems sb ON sb.id = x.b%s ORDER BY 1, 2, 3, 4", w);
    dump_sql(&out, tm, sql, a, b);
    return out.data ? out.data : strdup("");
}

/* The four units of the exact tests: 0.5 is not learned, 0.9 and none are. */
static void add_four(am_tm *tm)
{
    add3(tm, 0.95, "Red cat.", "Рудий кіт.", "Рыжий кот.");
    add3(tm, -1, "Grey cat!", "Сірий кіт!", "Серый кот!");
    add3(tm, 0.5, "Red dog.", "Рудий пес.", NULL);
    add3(tm, 0.9, "A red dog.", "Рудий пес.", NULL);
}

/* The unit and stem counts of en-uk after add_four: they do not depend on
 * which stems the lexicon module pairs; the pairs are checked against the
 * module's own counting (same_as_module). */
static const char *const k_en_uk = "en uk 3\n"
                                   "en uk en cat 2\n"
                                   "en uk en dog 1\n"
                                   "en uk en grey 1\n"
                                   "en uk en red 2\n"
                                   "en uk uk кіт 2\n"
                                   "en uk uk пес 1\n"
                                   "en uk uk рудий 2\n"
                                   "en uk uk сірий 1\n";

/* dump() without the pairs. */
static char *dump_words(am_tm *tm, const char *a, const char *b)
{
    char *d = dump(tm, a, b), *p = d;
    /* Lines of the pair table have five fields with a stem as the third;
     * the word lines have the language code there. Keep the first line and
     * the word lines. */
    am_buf out = AM_BUF_INIT;
    for (char *line = strtok(p, "\n"); line; line = strtok(NULL, "\n")) {
        char x[16], y[16], third[64];
        if (sscanf(line, "%15s %15s %63s", x, y, third) == 3 &&
            (!strchr(line + strlen(x) + strlen(y) + 2, ' ') ||
             !strcmp(third, x) || !strcmp(third, y)))
            am_buf_printf(&out, "%s\n", line);
    }
    free(d);
    return out.data ? out.data : strdup("");
}

static char *lex_dump(const am_lexicon *lx);
static char *load(am_tm *tm, const char *la, const char *lb, const char *want0,
                  const char *want1);

/* The store's counts of the pair, all loaded, are what the lexicon module
 * counts from the same texts. */
static void same_as_module(am_tm *tm, const char *la, const char *lb, const char *const *a,
                           const char *const *b, size_t n)
{
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    am_buf wa = AM_BUF_INIT, wb = AM_BUF_INIT;
    assert_int_equal(am_lexicon_new(&lx, la, lb, &err), AM_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(am_lexicon_count(lx, a[i], strlen(a[i]), b[i], strlen(b[i]), 0, 1, &err),
                         AM_OK);
        am_buf_printf(&wa, "%s ", a[i]);
        am_buf_printf(&wb, "%s ", b[i]);
    }
    char *want = lex_dump(lx), *got = load(tm, la, lb, wa.data, wb.data);
    assert_string_equal(got, want);
    free(want);
    free(got);
    am_lexicon_free(lx);
    am_buf_free(&wa);
    am_buf_free(&wb);
}

static void test_exact_counts(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    add_four(tm);
    update(tm, 0);
    char *d = dump_words(tm, "en", "uk");
    assert_string_equal(d, k_en_uk);
    free(d);
    static const char *const en[] = {"Red cat.", "Grey cat!", "A red dog."};
    static const char *const uk[] = {"Рудий кіт.", "Сірий кіт!", "Рудий пес."};
    same_as_module(tm, "en", "uk", en, uk, 3);
    d = dump(tm, "en", "uk");
    assert_non_null(strstr(d, "en uk cat кіт 2\n")); /* in every pairing rule */
    assert_non_null(strstr(d, "en uk red рудий 2\n"));
    free(d);
    /* ru and uk: ordered by code, ru first; only the two units with ru. */
    d = dump_words(tm, "ru", "uk");
    assert_string_equal(d, "ru uk 2\n"
                           "ru uk ru кот 2\n"
                           "ru uk ru рыжий 1\n"
                           "ru uk ru серый 1\n"
                           "ru uk uk кіт 2\n"
                           "ru uk uk рудий 1\n"
                           "ru uk uk сірий 1\n");
    free(d);
    static const char *const ru2[] = {"Рыжий кот.", "Серый кот!"};
    same_as_module(tm, "ru", "uk", ru2, uk, 2);
    d = dump(tm, "uk", "en");
    assert_string_equal(d, ""); /* pairs are stored one way only */
    free(d);
    /* An update with nothing new changes nothing. */
    char *before = dump(tm, NULL, NULL);
    update(tm, 0);
    d = dump(tm, NULL, NULL);
    assert_string_equal(d, before);
    free(d);
    free(before);
    am_tm_close(tm);
}

/* Units built from small word lists, with a confidence pattern. */
static const char *const g_en[] = {"sun", "moon", "star", "sea", "wind", "rain", "snow"};
static const char *const g_uk[] = {"сонце", "місяць", "зоря", "море", "вітер", "дощ", "сніг"};
static const char *const g_ru[] = {"солнце", "луна", "звезда", "море", "ветер", "дождь", "снег"};

/* The texts of unit k of add_many in en and uk; 1 when it is learned. */
static int many_texts(int k, char *e, char *u, char *r, size_t n)
{
    int i = k % 7, j = (k / 7 + k) % 7, l = (k * 3) % 7;
    snprintf(e, n, "%s %s %s %d", g_en[i], g_en[j], g_en[l], k);
    snprintf(u, n, "%s %s %s %d", g_uk[i], g_uk[j], g_uk[l], k);
    snprintf(r, n, "%s %s %s %d", g_ru[i], g_ru[j], g_ru[l], k);
    return k % 5 != 0;
}

static void add_many(am_tm *tm, int from, int to)
{
    for (int k = from; k < to; k++) {
        char e[128], u[128], r[128];
        many_texts(k, e, u, r, sizeof e);
        double conf = k % 5 == 0 ? 0.3 : k % 5 == 1 ? -1 : 0.97;
        add3(tm, conf, e, u, k % 4 == 0 ? NULL : r);
    }
}

static void test_incremental_equals_rebuild(void **state)
{
    (void)state;
    char path[300];
    size_t old = sq_lexicon_flush_every(3); /* cross many flush boundaries */
    am_tm *tm = open_new(path, sizeof path);
    add_many(tm, 0, 10);
    update(tm, 0);
    add_many(tm, 10, 11);
    update(tm, 0);
    add_many(tm, 11, 40);
    update(tm, 0);
    char *inc = dump(tm, NULL, NULL);
    update(tm, 1);
    char *reb = dump(tm, NULL, NULL);
    assert_true(strlen(inc) > 500);
    assert_string_equal(inc, reb);
    /* And the same with one flush for all. */
    sq_lexicon_flush_every(1000);
    update(tm, 1);
    char *one = dump(tm, NULL, NULL);
    assert_string_equal(one, reb);
    /* 40 units, 8 of them at 0.3: 32 learned for en-uk. */
    assert_non_null(strstr(reb, "en uk 32\n"));
    /* Loaded with every stem wanted, the store holds exactly what the
     * lexicon module counts from the learned units. */
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    am_buf all_en = AM_BUF_INIT, all_uk = AM_BUF_INIT;
    assert_int_equal(am_lexicon_new(&lx, "en", "uk", &err), AM_OK);
    for (int k = 0; k < 40; k++) {
        char e[128], u[128], r[128];
        if (many_texts(k, e, u, r, sizeof e))
            assert_int_equal(am_lexicon_count(lx, e, strlen(e), u, strlen(u), 0, 1, &err), AM_OK);
    }
    for (int i = 0; i < 7; i++) {
        am_buf_printf(&all_en, "%s ", g_en[i]);
        am_buf_printf(&all_uk, "%s ", g_uk[i]);
    }
    char *want = lex_dump(lx), *got = load(tm, "en", "uk", all_en.data, all_uk.data);
    assert_string_equal(got, want);
    free(want);
    free(got);
    am_lexicon_free(lx);
    am_buf_free(&all_en);
    am_buf_free(&all_uk);
    sq_lexicon_flush_every(old);
    free(inc);
    free(reb);
    free(one);
    am_tm_close(tm);
}

static void status(am_tm *tm, int64_t learned, int64_t last)
{
    am_error err;
    am_error_clear(&err);
    int64_t a = -1, b = -1;
    assert_int_equal(am_tm_lexicon_status(tm, &a, &b, &err), AM_OK);
    assert_int_equal(a, learned);
    assert_int_equal(b, last);
}

static void test_watermark(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    status(tm, 0, 0);
    add_four(tm);
    status(tm, 0, 4);
    update(tm, 0);
    status(tm, 4, 4);
    /* A low-confidence unit moves the watermark without being counted. */
    add3(tm, 0.2, "Green frog.", "Зелена жаба.", NULL);
    update(tm, 0);
    status(tm, 5, 5);
    char *d = dump_words(tm, "en", "uk");
    assert_string_equal(d, k_en_uk);
    free(d);
    /* Learned inside a transaction that is rolled back: nothing stays. */
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    add3(tm, 0.99, "Green frog!", "Зелена жаба!", NULL);
    update(tm, 0);
    status(tm, 6, 6);
    am_tm_rollback(tm);
    status(tm, 5, 5);
    d = dump_words(tm, "en", "uk");
    assert_string_equal(d, k_en_uk);
    free(d);
    /* The same, committed: counted once, even after another update. */
    assert_int_equal(am_tm_begin(tm, &err), AM_OK);
    add3(tm, 0.99, "Green frog!", "Зелена жаба!", NULL);
    update(tm, 0);
    assert_int_equal(am_tm_commit(tm, &err), AM_OK);
    update(tm, 0);
    d = dump(tm, "en", "uk");
    assert_non_null(strstr(d, "en uk 4\n"));
    assert_non_null(strstr(d, "en uk en green 1\n"));
    assert_non_null(strstr(d, "en uk uk жаба 1\n"));
    free(d);
    am_tm_close(tm);
    /* Read-only: no update, but status and load work. */
    assert_int_equal(am_tm_open(&tm, path, AM_TM_READONLY, &err), AM_OK);
    assert_int_equal(am_tm_lexicon_update(tm, 0, NULL, NULL, &err), AM_EDB);
    assert_non_null(strstr(err.message, "read-only"));
    status(tm, 6, 6);
    am_tm_close(tm);
}

static int word_line(int side, const char *stem, uint64_t units, void *ctx)
{
    am_buf_printf(ctx, "w%d %s %llu\n", side, stem, (unsigned long long)units);
    return 0;
}

static int pair_line(const char *a, const char *b, uint64_t units, void *ctx)
{
    am_buf_printf(ctx, "p %s %s %llu\n", a, b, (unsigned long long)units);
    return 0;
}

static int cmp_line(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The lexicon's counts as sorted lines. */
static char *lex_dump(const am_lexicon *lx)
{
    am_buf b = AM_BUF_INIT, out = AM_BUF_INIT;
    char *lines[256];
    size_t n = 0;
    am_buf_printf(&b, "units %llu\n", (unsigned long long)am_lexicon_units(lx));
    am_lexicon_foreach_word(lx, word_line, &b);
    am_lexicon_foreach_pair(lx, pair_line, &b);
    for (char *p = strtok(b.data, "\n"); p && n < 256; p = strtok(NULL, "\n"))
        lines[n++] = p;
    qsort(lines, n, sizeof *lines, cmp_line);
    for (size_t i = 0; i < n; i++)
        am_buf_printf(&out, "%s\n", lines[i]);
    am_buf_free(&b);
    return out.data;
}

/* load() uses am_tm_lexicon_load_within: 1 all pairs within, 2 linkable */
static int g_within;

static char *load(am_tm *tm, const char *la, const char *lb, const char *want0,
                  const char *want1)
{
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, la, lb, &err), AM_OK);
    if (want0)
        assert_int_equal(am_lexicon_want(lx, 0, want0, strlen(want0), &err), AM_OK);
    if (want1)
        assert_int_equal(am_lexicon_want(lx, 1, want1, strlen(want1), &err), AM_OK);
    assert_int_equal(g_within ? am_tm_lexicon_load_within(tm, lx, g_within == 2, &err)
                              : am_tm_lexicon_load(tm, lx, &err),
                     AM_OK);
    char *d = lex_dump(lx);
    am_lexicon_free(lx);
    return d;
}

static void test_load_wanted(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    /* One word a side, so every pairing rule pairs the same stems. */
    add3(tm, 0.95, "Cat.", "Кіт.", NULL);
    add3(tm, 0.95, "Cat!", "Кіт!", NULL);
    add3(tm, -1, "Cat?", "Кішка?", NULL);
    add3(tm, 0.95, "Red.", "Рудий.", NULL);
    add3(tm, 0.95, "Red!", "Рудий!", NULL);
    add3(tm, 0.95, "Dog.", "Пес.", NULL);
    add3(tm, 0.1, "Cat...", "Пес...", NULL);
    update(tm, 0);
    /* uk-en, the store's en-uk turned round; only "cat" of en wanted:
     * its pairs and their partners, nothing of red or dog. */
    char *d = load(tm, "uk", "en", NULL, "Cat");
    assert_string_equal(d, "p кіт cat 2\n"
                           "p кішка cat 1\n"
                           "units 6\n"
                           "w0 кіт 2\n"
                           "w0 кішка 1\n"
                           "w1 cat 3\n");
    free(d);
    /* Both sides wanted: the pair cat-кіт is loaded once, not twice. */
    d = load(tm, "en-US", "uk", "cat", "кіт");
    assert_string_equal(d, "p cat кіт 2\n"
                           "p cat кішка 1\n"
                           "units 6\n"
                           "w0 cat 3\n"
                           "w1 кіт 2\n"
                           "w1 кішка 1\n");
    free(d);
    /* Within: only the pairs of two wanted stems, no partners. */
    g_within = 1;
    d = load(tm, "uk", "en", "кіт", "cat red");
    assert_string_equal(d, "p кіт cat 2\n"
                           "units 6\n"
                           "w0 кіт 2\n"
                           "w1 cat 3\n"
                           "w1 red 2\n");
    free(d);
    d = load(tm, "en", "uk", "cat dog", "кішка пес рудий");
    assert_string_equal(d, "p cat кішка 1\n"
                           "p dog пес 1\n"
                           "units 6\n"
                           "w0 cat 3\n"
                           "w0 dog 1\n"
                           "w1 кішка 1\n"
                           "w1 пес 1\n"
                           "w1 рудий 2\n");
    free(d);
    g_within = 0;
    /* A stem the memory never saw, and a pair it has no counts for. */
    d = load(tm, "en", "uk", "giraffe", NULL);
    assert_string_equal(d, "units 6\n");
    free(d);
    d = load(tm, "en", "de", "cat", "Katze");
    assert_string_equal(d, "units 0\n");
    free(d);
    am_tm_close(tm);
}

/* The rows of a query of three integer columns, one "x y z" a line. */
static char *rows3(sqlite3 *db, const char *sql)
{
    am_buf b = AM_BUF_INIT;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        am_buf_printf(&b, "%lld %lld %lld\n", (long long)sqlite3_column_int64(st, 0),
                      (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    am_buf_printf(&b, "%s", "");
    return b.data;
}

/* lex_cand, kept up to date by the updates, is what the migration from
 * version 2 builds from the counts alone; and a version 2 memory read
 * without it loads the same linkable pairs. */
static void test_cand_migration(void **state)
{
    (void)state;
    char path[300];
    am_error err;
    am_error_clear(&err);
    am_tm *tm = open_new(path, sizeof path);
    static const char *const u[][2] = {
        {"Cat.", "Кіт."},           {"Cat!", "Кіт!"},          {"Cat?", "Кішка?"},
        {"Red.", "Рудий."},         {"Red!", "Рудий!"},        {"Dog.", "Пес."},
        {"Dog!", "Пес!"},           {"Red dog.", "Пес."},      {"A red cat.", "Рудий кіт."},
        {"The dog ran.", "Пес біг."}, {"The cat ran.", "Кіт біг."}, {"It ran.", "Він біг."},
    };
    /* Two updates, so candidates come from both fresh and grown counts. */
    for (size_t k = 0; k < sizeof u / sizeof *u; k++) {
        add3(tm, 0.95, u[k][0], u[k][1], NULL);
        if (k == 5)
            update(tm, 0);
    }
    update(tm, 0);
    const char *q = "SELECT pair, a, b FROM lex_cand ORDER BY pair, a, b";
    char *cand = rows3(am_tm_sqlite(tm), q);
    assert_true(strlen(cand) > 0);
    g_within = 2;
    const char *w0 = "cat red dog ran it the", *w1 = "кіт кішка рудий пес біг він";
    char *loaded = load(tm, "en", "uk", w0, w1);
    assert_non_null(strstr(loaded, "p dog пес 4\n")); /* dog.. x3, the dog ran */
    assert_null(strstr(loaded, "p cat кішка")); /* once together */
    am_tm_close(tm);
    /* Back to version 2. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE lex_cand; PRAGMA user_version = 2", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    /* Read-only: no migration, the pairs filtered while read. */
    assert_int_equal(am_tm_open(&tm, path, AM_TM_READONLY, &err), AM_OK);
    char *d = load(tm, "en", "uk", w0, w1);
    assert_string_equal(d, loaded);
    free(d);
    am_tm_close(tm);
    /* Writable: migrated, lex_cand rebuilt the same. */
    assert_int_equal(am_tm_open(&tm, path, 0, &err), AM_OK);
    char *again = rows3(am_tm_sqlite(tm), q);
    assert_string_equal(again, cand);
    d = load(tm, "en", "uk", w0, w1);
    assert_string_equal(d, loaded);
    free(d);
    /* A large update fills lex_cand by one join at the end instead (a
     * rebuild numbers the stems anew): as many candidates here, the same
     * pairs loaded. */
    size_t old = sq_lexicon_big_update(1);
    update(tm, 1);
    sq_lexicon_big_update(old);
    char *big = rows3(am_tm_sqlite(tm), q);
    size_t lines_big = 0, lines = 0;
    for (const char *p = big; *p; p++)
        lines_big += *p == '\n';
    for (const char *p = cand; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines_big, lines);
    free(big);
    d = load(tm, "en", "uk", w0, w1);
    assert_string_equal(d, loaded);
    g_within = 0;
    free(d);
    free(again);
    free(loaded);
    free(cand);
    am_tm_close(tm);
    remove(path);
}

static int pair_list(const char *a, const char *b, uint64_t units, void *ctx)
{
    am_buf_printf(ctx, "%s-%s %llu;", a, b, (unsigned long long)units);
    return 0;
}

/* Linkable: of the pairs within, only those the aligner can link (seen
 * together twice, Dice >= 0.2), and no stem of more than 5 % of more
 * than 10 units; the counts of the stems kept are whole. */
static void test_load_linkable(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    add3(tm, 0.95, "Cat.", "Кіт.", NULL);
    add3(tm, 0.95, "Cat!", "Кіт!", NULL);
    add3(tm, -1, "Cat?", "Кішка?", NULL);
    add3(tm, 0.95, "Red.", "Рудий.", NULL);
    add3(tm, 0.95, "Red!", "Рудий!", NULL);
    add3(tm, 0.95, "Dog.", "Пес.", NULL);
    add3(tm, 0.95, "Dog!", "Пес!", NULL);
    add3(tm, 0.95, "Red dog.", "Пес.", NULL);
    update(tm, 0);
    g_within = 2;
    /* cat-кішка (once) and red-пес (once) go; red-рудий (2 of 3 and 2
     * units: Dice 0.8) and dog-пес (3 of 3 and 3) stay. */
    char *d = load(tm, "en", "uk", "cat red dog", "кіт кішка рудий пес");
    assert_string_equal(d, "p cat кіт 2\n"
                           "p dog пес 3\n"
                           "p red рудий 2\n"
                           "units 8\n"
                           "w0 cat 3\n"
                           "w0 dog 3\n"
                           "w0 red 3\n"
                           "w1 кіт 2\n"
                           "w1 кішка 1\n"
                           "w1 пес 3\n"
                           "w1 рудий 2\n");
    free(d);
    /* Eleven more units with "now" on both sides: "now" is in 11 of 19
     * units, over 10 and 5 %, a function word; "сьогодні" (6) stays. */
    for (int k = 0; k < 11; k++) { /* numbers keep them apart, not stems */
        char en[32], uk[64];
        snprintf(en, sizeof en, k % 2 ? "Now it is %d!" : "Now we are %d.", k);
        snprintf(uk, sizeof uk, k % 2 ? "Зараз %d!" : "Зараз сьогодні %d.", k);
        add3(tm, 0.95, en, uk, NULL);
    }
    update(tm, 0);
    d = load(tm, "en", "uk", "now cat", "зараз сьогодні кіт");
    assert_string_equal(d, "p cat кіт 2\n"
                           "units 19\n"
                           "w0 cat 3\n"
                           "w1 кіт 2\n"
                           "w1 сього 6\n");
    free(d);
    g_within = 0;
    /* All linkable pairs at once, nothing wanted: the same pairs, the
     * counts of their stems only; with too low a limit, nothing at all
     * (not even the units: the caller then wants and loads within). */
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    int loaded = -1;
    assert_int_equal(am_lexicon_new(&lx, "uk", "en", &err), AM_OK);
    assert_int_equal(am_tm_lexicon_load_linkable(tm, lx, 2, &loaded, &err), AM_OK);
    assert_int_equal(loaded, 0);
    d = lex_dump(lx);
    assert_string_equal(d, "units 0\n");
    free(d);
    assert_int_equal(am_tm_lexicon_load_linkable(tm, lx, 100, &loaded, &err), AM_OK);
    assert_int_equal(loaded, 1);
    d = lex_dump(lx);
    assert_string_equal(d, "p кіт cat 2\n"
                           "p пес dog 3\n"
                           "p рудий red 2\n"
                           "p сього are 6\n" /* "Now we are" "Зараз сьогодні": */
                           "p сього we 6\n"  /* "now" and "зараз" are not */
                           "units 19\n"
                           "w0 кіт 2\n"
                           "w0 пес 3\n"
                           "w0 рудий 2\n"
                           "w0 сього 6\n"
                           "w1 are 6\n"
                           "w1 cat 3\n"
                           "w1 dog 3\n"
                           "w1 red 3\n"
                           "w1 we 6\n");
    free(d);
    am_lexicon_free(lx);
    am_tm_close(tm);
    remove(path);
}

static void test_migration_from_v1(void **state)
{
    (void)state;
    char path[300], *sql = NULL;
    size_t len = 0;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_read_file(&sql, &len, AM_SOURCE_DIR "/tests/tm/fixtures/memory-v1.sql",
                                  &err),
                     AM_OK);
    snprintf(path, sizeof path, "%s/v1.db", g_dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(sql);
    am_tm *tm = NULL;
    /* Read-only, a version 1 memory is read as it is, with an empty
     * lexicon, and left untouched. */
    assert_int_equal(am_tm_open(&tm, path, AM_TM_READONLY, &err), AM_OK);
    am_tm_stats ro;
    assert_int_equal(am_tm_stats_get(tm, &ro, &err), AM_OK);
    assert_int_equal(ro.units, 2);
    am_tm_stats_free(&ro);
    status(tm, 0, 0);
    am_buf none = AM_BUF_INIT;
    assert_int_equal(am_tm_lexicon_pairs(tm, pair_list, &none, &err), AM_OK);
    assert_int_equal(none.len, 0);
    am_buf_free(&none);
    char *empty = load(tm, "en", "uk", "The court met.", "Суд зібрався.");
    assert_null(strstr(empty, "court"));
    free(empty);
    am_tm_close(tm);
    tm = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(am_tm_open(&tm, path, 0, &err), AM_OK);
    assert_int_equal(sqlite3_prepare_v2(am_tm_sqlite(tm), "PRAGMA user_version", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    sqlite3_finalize(st);
    status(tm, 0, 2); /* its two units, not learned yet */
    update(tm, 0);
    status(tm, 2, 2);
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_tm_lexicon_pairs(tm, pair_list, &b, &err), AM_OK);
    assert_string_equal(b.data, "en-ru 2;en-uk 2;ru-uk 2;");
    am_buf_free(&b);
    /* Everything wanted: the same counts as the lexicon module counts
     * from the two units' texts itself. */
    static const char *const en[2] = {"The court met on Monday.", "The judge read the ruling."};
    static const char *const uk[2] = {"Суд зібрався в понеділок.", "Суддя прочитав рішення."};
    char *d = load(tm, "en", "uk", "The court met on Monday. The judge read the ruling.",
                   "Суд зібрався в понеділок. Суддя прочитав рішення.");
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, "en", "uk", &err), AM_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(am_lexicon_count(lx, en[i], strlen(en[i]), uk[i], strlen(uk[i]), 0, 1,
                                          &err),
                         AM_OK);
    char *want = lex_dump(lx);
    assert_string_equal(d, want);
    assert_non_null(strstr(d, "units 2\nw0 court 1\n"));
    assert_non_null(strstr(d, "p court суд 1\n"));
    am_lexicon_free(lx);
    free(want);
    free(d);
    am_tm_close(tm);
}

/* Units without a single stem (numbers, one-letter words) count as units
 * and hold no words or pairs; loading wants nothing on one side. */
static void test_no_stems(void **state)
{
    (void)state;
    char path[300];
    am_tm *tm = open_new(path, sizeof path);
    add3(tm, 0.95, "42.", "42.", NULL);
    add3(tm, 0.95, "A 7.", "Я 7.", NULL);
    update(tm, 0);
    char *d = dump(tm, NULL, NULL);
    assert_string_equal(d, "en uk 2\n");
    free(d);
    g_within = 1;
    d = load(tm, "en", "uk", "anything", NULL);
    assert_string_equal(d, "units 2\n");
    free(d);
    g_within = 0;
    am_tm_close(tm);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s", "/tmp/test_lexicon.XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_counts),
        cmocka_unit_test(test_incremental_equals_rebuild),
        cmocka_unit_test(test_watermark),
        cmocka_unit_test(test_load_wanted),
        cmocka_unit_test(test_load_linkable),
        cmocka_unit_test(test_cand_migration),
        cmocka_unit_test(test_migration_from_v1),
        cmocka_unit_test(test_no_stems),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    am_shutdown();
    return failed;
}
