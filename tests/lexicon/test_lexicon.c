/* test_lexicon.c - stems, counts, the raw-count round trip, wanted sets,
 * look-up ranking and scores, and learning from real parallel text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"
#include "lexicon/lexicon.h"

static char **read_lines(const char *path, size_t *n_out);

/* ---- stems ---- */

typedef struct strs {
    char s[64][64];
    size_t n;
    size_t stop_after; /* 0: never */
} strs;

static int push_stem(const char *stem, size_t len, void *ctx)
{
    strs *v = ctx;
    assert_true(len > 0 && len < 64 && v->n < 64);
    memcpy(v->s[v->n], stem, len);
    v->s[v->n][len] = '\0';
    v->n++;
    return v->stop_after && v->n == v->stop_after ? 7 : 0;
}

static void stems_of(strs *v, const char *lang, const char *text)
{
    const am_lang *l = NULL;
    am_error err;
    am_error_clear(&err);
    memset(v, 0, sizeof *v);
    assert_int_equal(am_lang_get(&l, lang, &err), AM_OK);
    assert_int_equal(am_stems(l, text, strlen(text), 0, push_stem, v, &err), AM_OK);
}

static void expect_stems(const strs *v, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n && i < v->n; i++)
        assert_string_equal(v->s[i], want[i]);
    assert_int_equal(v->n, n);
}

static void test_stems_uk(void **state)
{
    (void)state;
    strs v;
    /* Both apostrophes, a hyphenated word, numbers and codes with digits,
     * one-letter words; stems are prefixes of 5 code points. */
    stems_of(&v, "uk",
             "М’ясо, п'ять яблук; сьогодні-завтра вважають: 10-й 5G COVID-19 у 2024 р. "
             "Вважали м'ясо");
    static const char *const want[] = {"м'ясо", "п'ять", "яблук", "сього", "вважа", "covid"};
    expect_stems(&v, want, sizeof want / sizeof *want);
}

static void test_stems_ru_en(void **state)
{
    (void)state;
    strs v;
    stems_of(&v, "ru", "Правительство правительства: Ёлка, ёлки и 3-й «Ёж».");
    static const char *const ru[] = {"прави", "елка", "елки", "еж"};
    expect_stems(&v, ru, sizeof ru / sizeof *ru);
    stems_of(&v, "en", "The government's governments and the well-known A-list; I'd 10th x");
    /* A stem never ends in a hyphen or an apostrophe ("well-" -> "well"). */
    static const char *const en[] = {"the", "gover", "and", "well", "a-lis", "i'd"};
    expect_stems(&v, en, sizeof en / sizeof *en);
    /* A language without a table stems with the generic length. */
    stems_of(&v, "de", "Die Bundesregierung");
    static const char *const de[] = {"die", "bunde"};
    expect_stems(&v, de, sizeof de / sizeof *de);
}

static void test_stems_key_and_stop(void **state)
{
    (void)state;
    strs v;
    am_error err;
    am_error_clear(&err);
    memset(&v, 0, sizeof v);
    /* is_key: the text is taken as already normalised (no folding). */
    const char *key = "кіт спить, кіт";
    assert_int_equal(am_stems(NULL, key, strlen(key), 1, push_stem, &v, &err), AM_OK);
    static const char *const want[] = {"кіт", "спить"};
    expect_stems(&v, want, 2);
    /* A non-zero return of the callback stops and is returned. */
    memset(&v, 0, sizeof v);
    v.stop_after = 1;
    assert_int_equal(am_stems(NULL, key, strlen(key), 1, push_stem, &v, &err), 7);
    assert_int_equal(v.n, 1);
    /* Nothing but numbers and punctuation: no stems. */
    memset(&v, 0, sizeof v);
    assert_int_equal(am_stems(NULL, "12, 3.5 - 7", 11, 0, push_stem, &v, &err), AM_OK);
    assert_int_equal(v.n, 0);
    /* Invalid UTF-8 is refused by the normaliser. */
    assert_int_equal(am_stems(NULL, "a\xff", 2, 0, push_stem, &v, &err), AM_EINPUT);
}

/* The stems of raw text (normalised inside, mostly without ICU) are those
 * of its am_normalize key. */
static void expect_same_as_key(const char *lang, const char *text)
{
    const am_lang *l = NULL;
    am_error err;
    am_error_clear(&err);
    strs raw, key;
    memset(&raw, 0, sizeof raw);
    memset(&key, 0, sizeof key);
    assert_int_equal(am_lang_get(&l, lang, &err), AM_OK);
    assert_int_equal(am_stems(l, text, strlen(text), 0, push_stem, &raw, &err), AM_OK);
    char *k = NULL;
    size_t kn = 0;
    assert_int_equal(am_normalize(&k, &kn, text, strlen(text), &err), AM_OK);
    assert_int_equal(am_stems(l, k, kn, 1, push_stem, &key, &err), AM_OK);
    free(k);
    assert_int_equal(raw.n, key.n);
    for (size_t i = 0; i < raw.n; i++)
        assert_string_equal(raw.s[i], key.s[i]);
}

/* lx_key(text) == am_normalize(text), byte for byte. */
static void expect_key(const char *text, size_t n)
{
    am_error err;
    am_error_clear(&err);
    char *fast = NULL, *icu = NULL;
    size_t fn = 0, in = 0;
    assert_int_equal(lx_key(&fast, &fn, text, n, &err), AM_OK);
    assert_int_equal(am_normalize(&icu, &in, text, n, &err), AM_OK);
    assert_int_equal(fn, in);
    assert_memory_equal(fast, icu, in);
    assert_int_equal(fast[fn], '\0');
    free(fast);
    free(icu);
}

/* The fast key takes only the runs it cannot fold through ICU, so a text
 * mixing both is keyed like am_normalize's whole text: runs that ICU
 * changes (composition, a dropped soft hyphen, Greek) beside fast ones,
 * at the start, at the end, alone, and with white space of every kind
 * around them. */
static void test_key_mixed_runs(void **state)
{
    (void)state;
    static const char *const t[] = {
        "",
        "   ",
        "\u00e9",
        "caf\u00e9",
        "  Caf\u00e9  au  LAIT \u2116 5  ",
        "\u2116\u00a05 \u041a\u0418\u0407\u0412 e\u0301t\u00e9 \u0399\u03a9\u039d\u0391 \u00ad \u00ad x",
        "a\u0301\u0327 \u0301b \u00b5m \u00df \u0130stanbul\t\u03a3\u039f\u03a6\u039f\u03a3\n\u1e9e",
        "\u0435\u0308\u043b\u043a\u0430 \u00ad\u00ad \u00e1 \u20ac 10",
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        expect_key(t[i], strlen(t[i]));
    /* Whole documents with a few such characters among thousands of
     * lines, as am_lexicon_want reads them. */
    static const char *const lang[3] = {"en", "uk", "ru"};
    for (int l = 0; l < 3; l++) {
        char path[512];
        snprintf(path, sizeof path, AM_SHARED_DIR "/data/ntrex128/%s.txt", lang[l]);
        size_t n = 0;
        char **lines = read_lines(path, &n);
        am_buf all = AM_BUF_INIT;
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(am_buf_append(&all, lines[k], strlen(lines[k])), AM_OK);
            assert_int_equal(am_buf_append(&all, k % 7 ? "\n" : " \u00e9\n", k % 7 ? 1 : 4),
                             AM_OK);
            free(lines[k]);
        }
        free(lines);
        expect_key(all.data, all.len);
        am_buf_free(&all);
    }
}

static void test_stems_fast_key(void **state)
{
    (void)state;
    /* Cyrillic capitals of both blocks, Ґ, Ё, typographic apostrophes and
     * quotes, a no-break space, a soft hyphen; then text the fast path
     * leaves to ICU: a combining breve, Greek, the micro sign. */
    expect_same_as_key("uk", "ҐАНОК Ї́жак ЄВРОПА Ѐ ЁЛКА п’ятниця «М'ЯСО» а\u00a0БИ сло\u00adво");
    expect_same_as_key("ru", "И\u0306ОД и\u0306од Ώμέγα 5 \u00b5m");
    expect_same_as_key("en", "It`s the DON\u2019T-stop \u201cGo\u201d\u2014now");
    static const char *const lang[3] = {"en", "uk", "ru"};
    for (int l = 0; l < 3; l++) {
        char path[512];
        snprintf(path, sizeof path, AM_SHARED_DIR "/data/ntrex128/%s.txt", lang[l]);
        size_t n = 0;
        char **lines = read_lines(path, &n);
        assert_int_equal(n, 1997);
        for (size_t i = 0; i < n; i++) {
            expect_same_as_key(lang[l], lines[i]);
            free(lines[i]);
        }
        free(lines);
    }
}

/* ---- counts and look-up ---- */

static am_lexicon *cats(void)
{
    static const char *const u[][2] = {
        {"The cat sleeps.", "Кіт спить."},
        {"The cat eats.", "Кіт їсть."},
        {"The dog sleeps.", "Пес спить."},
    };
    am_lexicon *lx = NULL;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_lexicon_new(&lx, "EN_us", "uk", &err), AM_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            am_lexicon_count(lx, u[i][0], strlen(u[i][0]), u[i][1], strlen(u[i][1]), 0, 1, &err),
            AM_OK);
    return lx;
}

static void expect_match(const am_lexicon_match *m, const char *stem, double score, uint64_t both,
                         uint64_t units)
{
    assert_string_equal(m->stem, stem);
    assert_true(m->score > score - 1e-12 && m->score < score + 1e-12);
    assert_int_equal(m->both, both);
    assert_int_equal(m->units, units);
}

static void test_lookup_ranking(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = cats();
    assert_string_equal(am_lexicon_lang(lx, 0), "en-US");
    assert_string_equal(am_lexicon_lang(lx, 1), "uk");
    assert_null(am_lexicon_lang(lx, 2));
    assert_int_equal(am_lexicon_units(lx), 3);
    am_lexicon_match *m = NULL;
    size_t n = 0;
    /* Dice = 2 both / (units(a) + units(b)). */
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "Cat", 0, &err), AM_OK);
    assert_int_equal(n, 3);
    expect_match(&m[0], "кіт", 1.0, 2, 2);
    expect_match(&m[1], "їсть", 2.0 / 3, 1, 1);
    expect_match(&m[2], "спить", 0.5, 1, 2);
    am_lexicon_matches_free(m, n);
    /* From the other side, at most two; a whole word is stemmed. */
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 1, "СПИТЬ", 2, &err), AM_OK);
    assert_int_equal(n, 2);
    expect_match(&m[0], "sleep", 1.0, 2, 2);
    expect_match(&m[1], "the", 0.8, 2, 3);
    am_lexicon_matches_free(m, n);
    /* Unknown words and numbers have no renderings. */
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "horse", 5, &err), AM_OK);
    assert_int_equal(n, 0);
    assert_null(m);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "2024", 5, &err), AM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 2, "cat", 5, &err), AM_EARG);
    am_lexicon_free(lx);
}

static void test_count_weight_and_long_units(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, "en", "ru", &err), AM_OK);
    assert_int_equal(am_lexicon_count(lx, "red house", 9, "красный дом", 21, 0, 3, &err), AM_OK);
    assert_int_equal(am_lexicon_units(lx), 3);
    am_lexicon_match *m = NULL;
    size_t n = 0;
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "house", 0, &err), AM_OK);
    assert_int_equal(n, 2);
    expect_match(&m[0], "дом", 1.0, 3, 3); /* equal scores: more units, then by stem */
    expect_match(&m[1], "красн", 1.0, 3, 3);
    am_lexicon_matches_free(m, n);
    /* A unit of more than 80 distinct stems a side counts its words, not
     * its pairs. */
    am_buf a = AM_BUF_INIT, b = AM_BUF_INIT;
    for (int i = 0; i < 90; i++) {
        assert_int_equal(am_buf_printf(&a, "w%c%c ", 'a' + i / 26, 'a' + i % 26), AM_OK);
        assert_int_equal(am_buf_printf(&b, "h%c%c ", 'a' + i / 26, 'a' + i % 26), AM_OK);
    }
    assert_int_equal(am_lexicon_count(lx, a.data, a.len, "дом", 6, 0, 1, &err), AM_OK);
    assert_int_equal(am_lexicon_count(lx, "house", 5, b.data, b.len, 0, 1, &err), AM_OK);
    assert_int_equal(am_lexicon_units(lx), 5);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 1, "дом", 0, &err), AM_OK);
    assert_int_equal(n, 2);
    expect_match(&m[0], "red", 2.0 * 3 / (4 + 3), 3, 3); /* дом: 4 units, red: 3 */
    expect_match(&m[1], "house", 2.0 * 3 / (4 + 4), 3, 4);
    am_lexicon_matches_free(m, n);
    am_buf_free(&a);
    am_buf_free(&b);
    assert_int_equal(am_lexicon_count(NULL, "a", 1, "b", 1, 0, 1, &err), AM_EARG);
    am_lexicon_free(lx);
}

static void test_pair_window_and_function_words(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, "en", "uk", &err), AM_OK);
    /* Ten stems a side, at relative places 0.05, 0.15 ... 0.95: a stem
     * pairs with those at most 0.2 or 2 places away. */
    const char *a = "alpha bravo charlie delta echoes foxtrot golfs hotel india julie";
    const char *b = "один два три чотири пять шість сім вісім девять десять";
    assert_int_equal(am_lexicon_count(lx, a, strlen(a), b, strlen(b), 0, 1, &err), AM_OK);
    am_lexicon_match *m = NULL;
    size_t n = 0;
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "alpha", 0, &err), AM_OK);
    assert_int_equal(n, 3); /* equal scores: by stem */
    assert_string_equal(m[0].stem, "два");
    assert_string_equal(m[1].stem, "один");
    assert_string_equal(m[2].stem, "три");
    am_lexicon_matches_free(m, n);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 1, "десять", 0, &err), AM_OK);
    assert_int_equal(n, 3);
    assert_string_equal(m[0].stem, "hotel");
    assert_string_equal(m[1].stem, "india");
    assert_string_equal(m[2].stem, "julie");
    am_lexicon_matches_free(m, n);
    am_lexicon_free(lx);
    /* A stem in more than 1,000 units and 1 % of them stops pairing (its
     * units are still counted): "the" pairs in the first 1,000 units. */
    assert_int_equal(am_lexicon_new(&lx, "en", "uk", &err), AM_OK);
    for (int i = 0; i < 1100; i++)
        assert_int_equal(am_lexicon_count(lx, "the cat", 7, "кіт", 6, 0, 1, &err), AM_OK);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 1, "кіт", 0, &err), AM_OK);
    assert_int_equal(n, 2);
    expect_match(&m[0], "cat", 2.0 * 1000 / 2200, 1000, 1100);
    expect_match(&m[1], "the", 2.0 * 1000 / 2200, 1000, 1100);
    am_lexicon_matches_free(m, n);
    am_lexicon_free(lx);
}

typedef struct copy_ctx {
    am_lexicon *to;
    uint64_t words, pairs, sum;
} copy_ctx;

static int copy_word(int side, const char *stem, uint64_t units, void *ctx)
{
    copy_ctx *c = ctx;
    c->words++;
    c->sum += units;
    return am_lexicon_add_word(c->to, side, stem, units, NULL);
}

static int copy_pair(const char *a, const char *b, uint64_t units, void *ctx)
{
    copy_ctx *c = ctx;
    c->pairs++;
    c->sum += units;
    return am_lexicon_add_pair(c->to, a, b, units, NULL);
}

static int stop_at_first(const char *a, const char *b, uint64_t units, void *ctx)
{
    (void)a, (void)b, (void)units, (void)ctx;
    return 5;
}

static void test_round_trip_and_clear(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = cats(), *copy = NULL;
    assert_int_equal(am_lexicon_new(&copy, "en", "uk", &err), AM_OK);
    copy_ctx c = {copy, 0, 0, 0};
    assert_int_equal(am_lexicon_add_units(copy, am_lexicon_units(lx), &err), AM_OK);
    assert_int_equal(am_lexicon_foreach_word(lx, copy_word, &c), AM_OK);
    assert_int_equal(am_lexicon_foreach_pair(lx, copy_pair, &c), AM_OK);
    /* en: the 3, cat 2, sleeps 2, eats 1, dog 1; uk: кіт 2, спить 2, їсть 1,
     * пес 1; pairs: 3 units x 3 x 2 = 18, of which (the, кіт) (cat, кіт)
     * (the, спить) (sleeps, спить) twice: 14 distinct. */
    assert_int_equal(c.words, 9);
    assert_int_equal(c.pairs, 14);
    assert_int_equal(c.sum, 15 + 18);
    assert_int_equal(am_lexicon_foreach_pair(lx, stop_at_first, NULL), 5);
    am_lexicon_match *m = NULL, *m2 = NULL;
    size_t n = 0, n2 = 0;
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 1, "спить", 0, &err), AM_OK);
    assert_int_equal(am_lexicon_lookup(&m2, &n2, copy, 1, "спить", 0, &err), AM_OK);
    assert_int_equal(n, 4);
    assert_int_equal(n2, n);
    for (size_t i = 0; i < n; i++)
        expect_match(&m2[i], m[i].stem, m[i].score, m[i].both, m[i].units);
    am_lexicon_matches_free(m, n);
    am_lexicon_matches_free(m2, n2);
    /* Loading counts twice doubles them and keeps the scores. */
    c.to = copy;
    assert_int_equal(am_lexicon_foreach_pair(lx, copy_pair, &c), AM_OK);
    assert_int_equal(am_lexicon_lookup(&m, &n, copy, 0, "dog", 1, &err), AM_OK);
    /* Pairs doubled, words not: a word is taken to be in at least the
     * units of its pairs, so Dice stays in (0, 1]; ties go to the stem. */
    expect_match(&m[0], "пес", 1.0, 2, 2);
    am_lexicon_matches_free(m, n);
    /* Clear forgets every count. */
    am_lexicon_clear(lx);
    c = (copy_ctx){copy, 0, 0, 0};
    assert_int_equal(am_lexicon_units(lx), 0);
    assert_int_equal(am_lexicon_foreach_word(lx, copy_word, &c), AM_OK);
    assert_int_equal(am_lexicon_foreach_pair(lx, copy_pair, &c), AM_OK);
    assert_int_equal(c.words + c.pairs, 0);
    assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, "cat", 0, &err), AM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(am_lexicon_add_word(lx, 2, "x", 1, &err), AM_EARG);
    am_error_clear(&err);
    assert_int_equal(am_lexicon_add_pair(lx, "", "x", 1, &err), AM_EARG);
    am_lexicon_free(lx);
    am_lexicon_free(copy);
}

static int push_wanted(const char *stem, void *ctx)
{
    return push_stem(stem, strlen(stem), ctx);
}

static void test_wanted(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, "ru", "uk", &err), AM_OK);
    const char *ru = "Кот спит. Кот ест!", *uk = "Кіт спить";
    assert_int_equal(am_lexicon_want(lx, 0, ru, strlen(ru), &err), AM_OK);
    assert_int_equal(am_lexicon_want(lx, 1, uk, strlen(uk), &err), AM_OK);
    strs v;
    memset(&v, 0, sizeof v);
    assert_int_equal(am_lexicon_foreach_wanted(lx, 0, push_wanted, &v), AM_OK);
    static const char *const want[] = {"кот", "спит", "ест"};
    expect_stems(&v, want, 3);
    assert_true(am_lexicon_is_wanted(lx, 0, "спит"));
    assert_false(am_lexicon_is_wanted(lx, 0, "спить"));
    assert_true(am_lexicon_is_wanted(lx, 1, "спить"));
    assert_false(am_lexicon_is_wanted(lx, 1, "horse"));
    /* Wanted stems are no counts. */
    copy_ctx c = {NULL, 0, 0, 0};
    assert_int_equal(am_lexicon_foreach_word(lx, copy_word, &c), AM_OK);
    assert_int_equal(c.words, 0);
    /* Counting keeps them wanted, and clearing does too. */
    assert_int_equal(am_lexicon_count(lx, ru, strlen(ru), "Пес", 6, 0, 1, &err), AM_OK);
    am_lexicon_clear(lx);
    memset(&v, 0, sizeof v);
    assert_int_equal(am_lexicon_foreach_wanted(lx, 0, push_wanted, &v), AM_OK);
    expect_stems(&v, want, 3);
    assert_false(am_lexicon_is_wanted(lx, 1, "пес"));
    assert_int_equal(am_lexicon_foreach_wanted(lx, 3, push_wanted, &v), AM_EARG);
    am_lexicon_free(lx);
}

static void test_new_errors(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = (am_lexicon *)&err;
    assert_int_equal(am_lexicon_new(&lx, "en", "not a code!", &err), AM_EARG);
    assert_null(lx);
    am_error_clear(&err);
    assert_int_equal(am_lexicon_new(&lx, NULL, "uk", &err), AM_EARG);
    am_lexicon_free(NULL);
}

/* ---- learning from real parallel text ---- */

static char **read_lines(const char *path, size_t *n_out)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    am_error err;
    am_error_clear(&err);
    if (am_read_file(&data, &len, path, &err))
        fail_msg("cannot read %s (the shared data, ../shared, is missing?): %s", path, err.message);
    char **lines = calloc(len + 2, sizeof *lines);
    assert_non_null(lines);
    for (char *p = data, *e; *p; p = e + 1) {
        e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p);
        lines[n++] = strndup(p, (size_t)(e - p));
        if (!*e)
            break;
    }
    free(data);
    *n_out = n;
    return lines;
}

static void free_lines(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static void test_learn_ntrex(void **state)
{
    (void)state;
    size_t ne, nu;
    char **en = read_lines(AM_SHARED_DIR "/data/ntrex128/en.txt", &ne);
    char **uk = read_lines(AM_SHARED_DIR "/data/ntrex128/uk.txt", &nu);
    assert_int_equal(ne, 1997);
    assert_int_equal(nu, ne);
    am_error err;
    am_error_clear(&err);
    am_lexicon *lx = NULL;
    assert_int_equal(am_lexicon_new(&lx, "en", "uk", &err), AM_OK);
    for (size_t i = 0; i < ne; i++)
        assert_int_equal(
            am_lexicon_count(lx, en[i], strlen(en[i]), uk[i], strlen(uk[i]), 0, 1, &err), AM_OK);
    assert_int_equal(am_lexicon_units(lx), 1997);
    /* The best rendering of a content word is its translation. */
    static const char *const probe[][2] = {{"government", "уряд"},
                                           {"police", "поліц"},
                                           {"president", "прези"},
                                           {"election", "вибор"},
                                           {"children", "діт"}};
    for (size_t k = 0; k < sizeof probe / sizeof *probe; k++) {
        am_lexicon_match *m = NULL;
        size_t n = 0;
        assert_int_equal(am_lexicon_lookup(&m, &n, lx, 0, probe[k][0], 1, &err), AM_OK);
        assert_int_equal(n, 1);
        if (strncmp(m[0].stem, probe[k][1], strlen(probe[k][1])) != 0)
            fail_msg("%s -> %s (%.3f), expected %s...", probe[k][0], m[0].stem, m[0].score,
                     probe[k][1]);
        assert_true(m[0].score > 0.3);
        am_lexicon_matches_free(m, n);
    }
    am_lexicon_free(lx);
    free_lines(en, ne);
    free_lines(uk, nu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stems_uk),
        cmocka_unit_test(test_stems_ru_en),
        cmocka_unit_test(test_stems_key_and_stop),
        cmocka_unit_test(test_stems_fast_key),
        cmocka_unit_test(test_key_mixed_runs),
        cmocka_unit_test(test_lookup_ranking),
        cmocka_unit_test(test_count_weight_and_long_units),
        cmocka_unit_test(test_pair_window_and_function_words),
        cmocka_unit_test(test_round_trip_and_clear),
        cmocka_unit_test(test_wanted),
        cmocka_unit_test(test_new_errors),
        cmocka_unit_test(test_learn_ntrex),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
