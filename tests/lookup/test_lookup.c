/* test_lookup.c - the match score, the word diff, lookup and concordance
 * on small memories written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alignmem.h"
#include "tm/match.h"
#include "tm/store.h"

/* ---- score table ------------------------------------------------------ */

typedef struct score_case {
    const char *query, *match;
    int codes;
    double score; /* expected, to 0.01 */
    int flags;
} score_case;

static const score_case score_cases[] = {
    /* identical */
    {"Київ оголосив нові правила.", "Київ оголосив нові правила.", 0, 100, 0},
    /* one word of four substituted: 100 * 3/4 */
    {"Київ оголосив нові правила.", "Київ оголосив старі правила.", 0, 75, 0},
    /* one word inserted: max(4,5) = 5, d = 1 */
    {"Київ оголосив нові правила.", "Київ учора оголосив нові правила.", 0, 80, 0},
    /* one word deleted */
    {"The council approved the new budget.", "The council approved the budget.", 0, 83.33, 0},
    /* two words swapped: two substitutions of five */
    {"The minister met the president", "The president met the minister", 0, 60, 0},
    /* case only: -1 */
    {"Kyiv announced new rules.", "kyiv announced new rules.", 0, 99, AM_FUZZY_CASE},
    /* punctuation only: -1 */
    {"Kyiv announced new rules.", "Kyiv announced new rules!", 0, 99, AM_FUZZY_PUNCT},
    /* case and punctuation: -2 */
    {"Kyiv announced new rules.", "KYIV announced new rules", 0, 98,
     AM_FUZZY_CASE | AM_FUZZY_PUNCT},
    /* a different number is a word edit: 100 * 5/6, flagged */
    {"The budget grew by 5 percent.", "The budget grew by 7 percent.", 0, 83.33,
     AM_FUZZY_NUMBERS},
    /* the same number written differently: -2 */
    {"Виділено 5 000 гривень.", "Виділено 5000 гривень.", 0, 98, AM_FUZZY_NUMFMT},
    {"Інфляція сягнула 12,4 відсотка.", "Інфляція сягнула 12.4 відсотка.", 0, 98,
     AM_FUZZY_NUMFMT},
    /* Cyrillic apostrophe styles: same words, -1 */
    {"Сім'я повернулася додому.", "Сім’я повернулася додому.", 0, 99, AM_FUZZY_PUNCT},
    {"Сім'я повернулася додому.", "Сімʼя повернулася додому.", 0, 99, AM_FUZZY_PUNCT},
    /* ё and е are one letter for matching, but not identical text */
    {"Ещё один день.", "Еще один день.", 0, 99, AM_FUZZY_PUNCT},
    /* white space only */
    {"Два  слова", "Два слова", 0, 99, AM_FUZZY_PUNCT},
    /* inline codes in the stored segment: -1 even when the text is equal */
    {"Press Save to continue.", "Press Save to continue.", 1, 99, AM_FUZZY_CODES},
    /* an edit plus a case difference elsewhere: 100 * 3/4 - 1 */
    {"Київ оголосив нові правила.", "київ оголосив старі правила.", 0, 74, AM_FUZZY_CASE},
    /* nothing in common */
    {"Київ оголосив нові правила.", "Погода була чудова.", 0, 0, 0},
    /* an empty query */
    {"", "Погода була чудова.", 0, 0, AM_FUZZY_PUNCT},
};

static void test_score_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof score_cases / sizeof score_cases[0]; i++) {
        const score_case *c = &score_cases[i];
        am_fuzzy f;
        am_error err;
        am_error_clear(&err);
        int rc = am_fuzzy_score(&f, c->query, strlen(c->query), c->match, strlen(c->match),
                                c->codes, &err);
        if (rc || f.score < c->score - 0.01 || f.score > c->score + 0.01 || f.flags != c->flags)
            fail_msg("case %zu: '%s' vs '%s': rc %d score %.2f flags %d, expected %.2f flags %d",
                     i, c->query, c->match, rc, f.score, f.flags, c->score, c->flags);
    }
}

static void test_score_details(void **state)
{
    (void)state;
    am_fuzzy f;
    const char *q = "The minister met the president", *m = "The president met the minister";
    assert_int_equal(am_fuzzy_score(&f, q, strlen(q), m, strlen(m), 0, NULL), AM_OK);
    assert_int_equal(f.query_tokens, 5);
    assert_int_equal(f.match_tokens, 5);
    assert_int_equal(f.edits, 2);
    assert_int_equal(f.penalty, 0);
    /* Ties are ordered by character similarity: "rule" is nearer "rules"
     * than "laws" is, though both cost one word. */
    am_fuzzy a, b;
    const char *qq = "Kyiv adopted rules", *m1 = "Kyiv adopted rule", *m2 = "Kyiv adopted laws";
    assert_int_equal(am_fuzzy_score(&a, qq, strlen(qq), m1, strlen(m1), 0, NULL), AM_OK);
    assert_int_equal(am_fuzzy_score(&b, qq, strlen(qq), m2, strlen(m2), 0, NULL), AM_OK);
    assert_true(a.score == b.score);
    assert_true(a.chars > b.chars);
    /* The score is symmetric in the words it counts. */
    assert_int_equal(am_fuzzy_score(&a, m1, strlen(m1), qq, strlen(qq), 0, NULL), AM_OK);
    assert_true(a.score == b.score);
}

static void test_tokenizer(void **state)
{
    (void)state;
    am_mt_toks t = AM_MT_TOKS_INIT;
    const char *s = "Сім'я, 5 000 грн і 12,4% «так» 2019 100";
    assert_int_equal(am_mt_tokenize(&t, s, strlen(s), AM_MT_NORMALIZE, NULL), AM_OK);
    const char *keys[] = {"сім'я", "5000", "грн", "і", "12.4", "так", "2019", "100"};
    assert_int_equal(t.n_words, 8);
    for (size_t i = 0; i < t.n_words; i++) {
        const am_mt_tok *k = &t.t[t.widx[i]];
        if (k->key_len != strlen(keys[i]) || memcmp(am_mt_key(&t, t.widx[i]), keys[i], k->key_len))
            fail_msg("word %zu: '%.*s', expected '%s'", i, (int)k->key_len, am_mt_key(&t, t.widx[i]),
                     keys[i]);
    }
    assert_int_equal(t.t[t.widx[1]].kind, AM_TOK_NUMBER);
    am_mt_toks_free(&t);
}

static void test_distance_band(void **state)
{
    (void)state;
    uint64_t a[] = {1, 2, 3, 4, 5, 6}, b[] = {1, 3, 4, 5, 7, 6, 8};
    uint32_t work[2 * (7 + 2)];
    assert_int_equal(am_mt_distance(a, 6, b, 7, 10, work), 3);
    assert_int_equal(am_mt_distance(a, 6, b, 7, 3, work), 3);
    assert_int_equal(am_mt_distance(a, 6, b, 7, 2, work), 3); /* over the band: dmax + 1 */
    assert_int_equal(am_mt_distance(a, 6, a, 6, 0, work), 0);
    assert_int_equal(am_mt_distance(a, 0, b, 7, 10, work), 7);
    assert_int_equal(am_mt_dmax(10, 8, 70), 3);
}

/* ---- diff ------------------------------------------------------------- */

static void expect_diff(const char *old, const char *new_, const char *plain, const char *json)
{
    am_diff *d = NULL;
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_word_diff(&d, old, strlen(old), new_, strlen(new_), NULL), AM_OK);
    assert_int_equal(am_diff_render(&b, d, old, new_, AM_DIFF_PLAIN), AM_OK);
    assert_string_equal(b.data, plain);
    if (json) {
        am_buf_clear(&b);
        assert_int_equal(am_diff_json(&b, d, old, new_), AM_OK);
        assert_string_equal(b.data, json);
    }
    am_buf_free(&b);
    am_diff_free(d);
}

static void test_diff(void **state)
{
    (void)state;
    expect_diff("The minister met the president today.", "The minister met the premier today.",
                "The minister met the [-president-]{+premier+} today.",
                "[{\"op\": \"equal\", \"text\": \"The minister met the\"}, "
                "{\"op\": \"delete\", \"text\": \" president\"}, "
                "{\"op\": \"insert\", \"text\": \" premier\"}, "
                "{\"op\": \"equal\", \"text\": \" today.\"}]");
    expect_diff("a big cat", "a cat", "a [-big-] cat", NULL);
    expect_diff("a cat", "a big black cat", "a {+big black+} cat", NULL);
    expect_diff("Hello world", "Hello, world", "Hello{+,+} world", NULL);
    expect_diff("київ оголосив", "Київ оголосив", "[-київ-]{+Київ+} оголосив", NULL);
    expect_diff("Сім'я вдома.", "Сім’я вдома!", "[-Сім'я-]{+Сім’я+} вдома[-.-]{+!+}", NULL);
    expect_diff("same text", "same text", "same text",
                "[{\"op\": \"equal\", \"text\": \"same text\"}]");
    expect_diff("", "new words", "{+new words+}",
                "[{\"op\": \"insert\", \"text\": \"new words\"}]");
    expect_diff("old words", "", "[-old words-]", NULL);
    am_diff *d = NULL;
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_word_diff(&d, "a b", 3, "a c", 3, NULL), AM_OK);
    assert_int_equal(am_diff_render(&b, d, "a b", "a c", AM_DIFF_COLOR), AM_OK);
    assert_string_equal(b.data, "a \x1b[31;9mb\x1b[0m\x1b[32;4mc\x1b[0m");
    am_buf_free(&b);
    am_diff_free(d);
}

/* ---- a small memory --------------------------------------------------- */

typedef struct memfix {
    char dir[256], path[300];
    am_tm *tm;
} memfix;

static memfix *memfix_new(void)
{
    memfix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/am-test-lookup-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/memory.db", f->dir);
    am_error err;
    am_error_clear(&err);
    if (am_tm_open(&f->tm, f->path, AM_TM_CREATE, &err))
        fail_msg("open: %s", err.message);
    return f;
}

static void memfix_free(memfix *f)
{
    am_tm_close(f->tm);
    char p[400];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
}

static int64_t add_doc(memfix *f, const char *title)
{
    am_document d = {0, title, NULL, NULL, "en,uk,ru", title};
    int64_t id = 0;
    int existed = 0;
    am_error err;
    am_error_clear(&err);
    if (am_tm_add_document(f->tm, &d, &id, &existed, &err))
        fail_msg("add document: %s", err.message);
    return id;
}

/* Add a unit of (lang, text) pairs, NULL-terminated. */
static int64_t add_unit(memfix *f, int64_t doc, long pos, const char *const *lt)
{
    am_variant v[8];
    size_t n = 0;
    memset(v, 0, sizeof v);
    for (; lt[2 * n]; n++) {
        v[n].lang = lt[2 * n];
        v[n].text = lt[2 * n + 1];
    }
    am_unit u;
    memset(&u, 0, sizeof u);
    u.document = doc;
    u.position = pos;
    u.confidence = -1;
    u.variants = v;
    u.n_variants = n;
    int64_t id = 0;
    am_error err;
    am_error_clear(&err);
    if (am_tm_add_unit(f->tm, &u, AM_DUP_KEEP, &id, NULL, &err))
        fail_msg("add unit: %s", err.message);
    return id;
}

#define UNIT(f, doc, pos, ...) add_unit(f, doc, pos, (const char *const[]){__VA_ARGS__, NULL})

static am_matches *lookup(memfix *f, const char *q, const char *to, double min, size_t max)
{
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    const char *tos[1] = {to};
    o.from = "uk";
    o.to = to ? tos : NULL;
    o.n_to = to ? 1 : 0;
    o.min_score = min;
    o.max_matches = max;
    am_matches *m = NULL;
    am_error err;
    am_error_clear(&err);
    if (am_tm_lookup(&m, f->tm, q, strlen(q), &o, &err))
        fail_msg("lookup '%s': %s", q, err.message);
    return m;
}

static void test_lookup_empty_memory(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    am_matches *m = lookup(f, "Київ оголосив нові правила.", NULL, 70, 5);
    assert_int_equal(m->n, 0);
    am_matches_free(m);
    memfix_free(f);
}

static void test_lookup_matches(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    int64_t doc = add_doc(f, "Заява міністерства");
    int64_t u1 = UNIT(f, doc, 0, "uk", "Київ оголосив нові правила в'їзду.", "en",
                      "Kyiv announced new entry rules.", "ru", "Киев объявил новые правила въезда.");
    int64_t u2 = UNIT(f, doc, 1, "uk", "Київ оголосив старі правила в'їзду.", "en",
                      "Kyiv announced old entry rules.", "ru", "Киев объявил старые правила въезда.");
    UNIT(f, doc, 2, "uk", "Погода в Харкові була чудова.", "en", "The weather in Kharkiv was fine.");
    UNIT(f, 0, -1, "en", "Київ оголосив нові правила в'їзду.", "uk", "Not Ukrainian at all.");

    /* Exact first, then the fuzzy one; the English-tagged copy never. */
    am_matches *m = lookup(f, "Київ оголосив нові правила в’їзду.", NULL, 70, 5);
    assert_int_equal(m->n, 2);
    assert_int_equal(m->m[0].unit, u1);
    assert_true(m->m[0].score == 99); /* apostrophe style */
    assert_int_equal(m->m[0].fuzzy.flags, AM_FUZZY_PUNCT);
    assert_int_equal(m->m[1].unit, u2);
    /* 4 of 5 words, and the apostrophe style of a kept word */
    assert_true(m->m[1].score == 79);
    assert_true(m->m[1].fuzzy.base == 80);
    assert_string_equal(m->m[0].document_title, "Заява міністерства");
    assert_int_equal(m->m[0].document, doc);
    assert_int_equal(m->m[0].position, 0);
    assert_int_equal(m->m[0].n_variants, 3);
    assert_string_equal(m->m[0].variants[0].lang, "uk");
    assert_string_equal(m->m[0].variants[0].text, "Київ оголосив нові правила в'їзду.");
    assert_string_equal(m->m[0].variants[1].lang, "en");
    assert_string_equal(m->m[0].variants[2].lang, "ru");
    am_buf b = AM_BUF_INIT;
    assert_int_equal(am_diff_render(&b, m->m[1].diff, m->m[1].source,
                                    "Київ оголосив нові правила в’їзду.", AM_DIFF_PLAIN),
                     AM_OK);
    assert_string_equal(b.data, "Київ оголосив [-старі-]{+нові+} правила [-в'їзду-]{+в’їзду+}.");
    am_buf_free(&b);
    am_matches_free(m);

    /* --to keeps the source and the languages asked for. */
    m = lookup(f, "Київ оголосив нові правила в'їзду.", "ru", 70, 1);
    assert_int_equal(m->n, 1);
    assert_true(m->m[0].score == 100);
    assert_int_equal(m->m[0].fuzzy.flags, 0);
    assert_int_equal(m->m[0].n_variants, 2);
    assert_string_equal(m->m[0].variants[1].lang, "ru");
    am_matches_free(m);

    /* Above min only; no match at all. */
    m = lookup(f, "Київ оголосив нові правила в'їзду.", NULL, 90, 5);
    assert_int_equal(m->n, 1);
    am_matches_free(m);
    m = lookup(f, "Зовсім інше речення про морозиво.", NULL, 70, 5);
    assert_int_equal(m->n, 0);
    am_matches_free(m);
    memfix_free(f);
}

/* max_candidates keeps the segments with the largest idf sums of the
 * query words they hold. With two kept, the merge stops walking the
 * postings of the common word once the two best cannot be beaten by it
 * (MaxScore): the forty segments holding only "альфа" are never kept,
 * and neither is "альфа бета", whose sum is below "бета гама дельта"'s,
 * although its score (66.67) would beat that one's (33.33). */
static void test_lookup_candidate_cut(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    int64_t doc = add_doc(f, "Проби");
    int64_t ua = UNIT(f, doc, 0, "uk", "альфа бета гама");
    int64_t ub = UNIT(f, doc, 1, "uk", "бета гама дельта");
    char text[64];
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof text, "альфа %d", 1000 + i);
        UNIT(f, doc, 2 + i, "uk", text);
    }
    UNIT(f, doc, 42, "uk", "альфа бета");
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    o.from = "uk";
    o.min_score = 30;
    o.max_matches = 5;
    o.max_candidates = 2;
    am_matches *m = NULL;
    am_error err;
    am_error_clear(&err);
    if (am_tm_lookup(&m, f->tm, "альфа бета гама", strlen("альфа бета гама"), &o, &err))
        fail_msg("lookup: %s", err.message);
    assert_int_equal(m->n, 2);
    assert_int_equal(m->m[0].unit, ua);
    assert_true(m->m[0].score == 100);
    assert_int_equal(m->m[1].unit, ub);
    assert_true(fabs(m->m[1].score - 100.0 / 3) < 1e-9);
    assert_int_equal(m->candidates, 3); /* the two kept and the exact match */
    am_matches_free(m);
    memfix_free(f);
}

static void test_lookup_context(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    int64_t doc = add_doc(f, "Новини");
    UNIT(f, doc, 0, "uk", "Перше речення тексту.", "en", "The first sentence.");
    int64_t u2 = UNIT(f, doc, 1, "uk", "Друге речення тексту.", "en", "The second sentence.");
    int64_t other = add_doc(f, "Інше");
    int64_t u3 = UNIT(f, other, 5, "uk", "Третє речення.", "en", "The third sentence.");
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    o.from = "uk";
    am_lookup *lk = NULL;
    am_matches *m = NULL;
    assert_int_equal(am_lookup_new(&lk, f->tm, &o, NULL), AM_OK);
    const char *q1 = "Перше речення тексту.", *q2 = "Друге речення тексту.", *q3 = "Третє речення.";
    assert_int_equal(am_lookup_run(&m, lk, q1, strlen(q1), NULL), AM_OK);
    assert_true(m->m[0].score == 100);
    assert_int_equal(m->m[0].context, 0);
    am_matches_free(m);
    assert_int_equal(am_lookup_run(&m, lk, q2, strlen(q2), NULL), AM_OK);
    assert_int_equal(m->m[0].unit, u2);
    assert_true(m->m[0].score == 101);
    assert_int_equal(m->m[0].context, 1);
    am_matches_free(m);
    /* Another document: exact, but not in context. */
    assert_int_equal(am_lookup_run(&m, lk, q3, strlen(q3), NULL), AM_OK);
    assert_int_equal(m->m[0].unit, u3);
    assert_true(m->m[0].score == 100);
    am_matches_free(m);
    /* After a reset the second sentence is a plain exact match. */
    assert_int_equal(am_lookup_run(&m, lk, q1, strlen(q1), NULL), AM_OK);
    am_matches_free(m);
    am_lookup_reset(lk);
    assert_int_equal(am_lookup_run(&m, lk, q2, strlen(q2), NULL), AM_OK);
    assert_true(m->m[0].score == 100);
    am_matches_free(m);
    am_lookup_free(lk);
    memfix_free(f);
}

/* A session keeps the postings of the terms it has read: a unit added
 * since (on the same connection, or another) must still be found. */
static void test_lookup_session_sees_writes(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    UNIT(f, 0, -1, "uk", "Міст через річку відкрили вчора вранці.", "en",
         "The bridge over the river opened yesterday morning.");
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    o.from = "uk";
    am_lookup *lk = NULL;
    am_matches *m = NULL;
    const char *q = "Міст через річку відкрили сьогодні вранці.";
    assert_int_equal(am_lookup_new(&lk, f->tm, &o, NULL), AM_OK);
    assert_int_equal(am_lookup_run(&m, lk, q, strlen(q), NULL), AM_OK);
    assert_int_equal(m->n, 1);
    assert_true(m->m[0].score == 100.0 * 5 / 6);
    am_matches_free(m);
    /* The same query again: the same answer, now from the cache. */
    assert_int_equal(am_lookup_run(&m, lk, q, strlen(q), NULL), AM_OK);
    assert_int_equal(m->n, 1);
    assert_true(m->m[0].score == 100.0 * 5 / 6);
    am_matches_free(m);
    /* Not an exact match (found through the postings, not the key). */
    int64_t u2 = UNIT(f, 0, -1, "uk", "Міст через річку відкрили сьогодні вранці!", "en",
                      "The bridge over the river opened this morning!");
    assert_int_equal(am_lookup_run(&m, lk, q, strlen(q), NULL), AM_OK);
    assert_int_equal(m->n, 2);
    assert_int_equal(m->m[0].unit, u2);
    assert_true(m->m[0].score == 99);
    am_matches_free(m);
    am_lookup_free(lk);
    memfix_free(f);
}

static void test_lookup_errors(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    am_matches *m = NULL;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tm_lookup(&m, f->tm, "x", 1, &o, &err), AM_EARG);
    assert_null(m);
    assert_string_equal(err.message, "lookup needs the language of the query (--from)");
    o.from = "uk";
    o.min_score = 120;
    am_error_clear(&err);
    assert_int_equal(am_tm_lookup(&m, f->tm, "x", 1, &o, &err), AM_EARG);
    memfix_free(f);
}

/* ---- concordance ------------------------------------------------------ */

static am_concord *concord(memfix *f, const char *phrase, const char *lang, size_t limit)
{
    am_concord_opts o = AM_CONCORD_OPTS_INIT;
    o.lang = lang;
    o.limit = limit;
    am_concord *c = NULL;
    am_error err;
    am_error_clear(&err);
    if (am_tm_concord(&c, f->tm, phrase, strlen(phrase), &o, &err))
        fail_msg("concord '%s': %s", phrase, err.message);
    return c;
}

static void expect_hl(const am_concord_hit *h, const char *word)
{
    if (h->hl_length != strlen(word) || memcmp(h->text + h->hl_offset, word, h->hl_length))
        fail_msg("highlight '%.*s' in '%s', expected '%s'", (int)h->hl_length,
                 h->text + h->hl_offset, h->text, word);
}

static void test_concord(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    int64_t doc = add_doc(f, "Огляд");
    int64_t a = UNIT(f, doc, 0, "en", "Crimea was annexed in 2014.", "uk", "Крим анексовано у 2014 році.");
    int64_t b = UNIT(f, doc, 1, "en", "The Crimean bridge is closed.", "uk", "Кримський міст закрито.");
    int64_t c = UNIT(f, doc, 2, "en", "Ships left Crimea again.", "uk", "Кораблі знову покинули Крим.");
    int64_t d = UNIT(f, doc, 3, "en", "We visited the rim of the crater.", "uk", "Ми побували на краю кратера.");
    int64_t e = UNIT(f, doc, 4, "en", "People left CRIMEA.", "uk", "Люди покинули Крим.");
    int64_t g = UNIT(f, doc, 5, "en", "The ship’s crew left Crimea.", "uk", "Люди покинули Крим.");
    UNIT(f, doc, 6, "en", "Її зять приїхав.", "uk", "Її зять приїхав.");
    UNIT(f, doc, 7, "uk", "Ще одна зустріч відбулася.", "en", "One more meeting took place.");

    /* Case-insensitive, word boundaries: "rim" does not find Crimea. */
    am_concord *r = concord(f, "crimea", "en", 20);
    assert_int_equal(r->total, 4);
    assert_int_equal(r->n, 4);
    /* The rendering "Люди покинули Крим." is shared by two units: first. */
    assert_int_equal(r->hits[0].unit, e);
    assert_int_equal(r->hits[1].unit, g);
    assert_int_equal(r->hits[0].group, 0);
    assert_int_equal(r->hits[0].group_size, 2);
    assert_int_equal(r->hits[2].unit, a);
    assert_int_equal(r->hits[2].group, 1);
    assert_int_equal(r->hits[3].unit, c);
    expect_hl(&r->hits[0], "CRIMEA");
    expect_hl(&r->hits[2], "Crimea");
    assert_int_equal(r->hits[2].n_variants, 1);
    assert_string_equal(r->hits[2].variants[0].lang, "uk");
    assert_string_equal(r->hits[2].variants[0].text, "Крим анексовано у 2014 році.");
    assert_string_equal(r->hits[2].document_title, "Огляд");
    am_concord_free(r);

    /* total counts all, the limit cuts what is returned. */
    r = concord(f, "Crimea", "en", 1);
    assert_int_equal(r->total, 4);
    assert_int_equal(r->n, 1);
    am_concord_free(r);

    /* Prefix: "crimea*" also finds "Crimean". */
    r = concord(f, "crimea*", "en", 20);
    assert_int_equal(r->total, 5);
    int found_b = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->hits[i].unit == b) {
            found_b = 1;
            expect_hl(&r->hits[i], "Crimean");
        }
    }
    assert_true(found_b);
    am_concord_free(r);

    /* A phrase, apostrophe-insensitive. */
    r = concord(f, "ship's crew", "en", 20);
    assert_int_equal(r->total, 1);
    expect_hl(&r->hits[0], "ship’s crew");
    am_concord_free(r);
    r = concord(f, "rim", "en", 20);
    assert_int_equal(r->total, 1);
    assert_int_equal(r->hits[0].unit, d);
    am_concord_free(r);

    /* Ukrainian, with a prefix: Крим, Кримський. */
    r = concord(f, "крим*", "uk", 20);
    assert_int_equal(r->total, 5);
    am_concord_free(r);
    r = concord(f, "КРИМ", "uk", 20);
    assert_int_equal(r->total, 4);
    am_concord_free(r);
    /* Nothing found; a phrase without words is a usage error. */
    r = concord(f, "Sevastopol", "en", 20);
    assert_int_equal(r->total, 0);
    assert_int_equal(r->n, 0);
    am_concord_free(r);
    am_concord_opts o = AM_CONCORD_OPTS_INIT;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tm_concord(&r, f->tm, "*", 1, &o, &err), AM_EARG);
    memfix_free(f);
}

/* ё and е are one letter for the concordance too. */
static void test_concord_yo(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    UNIT(f, 0, -1, "ru", "Всё решено.", "en", "Everything is settled.");
    UNIT(f, 0, -1, "ru", "Все решено.", "en", "All is settled.");
    am_concord *r = concord(f, "всё", "ru", 20);
    assert_int_equal(r->total, 2);
    expect_hl(&r->hits[0], r->hits[0].unit == 1 ? "Всё" : "Все");
    am_concord_free(r);
    memfix_free(f);
}

/* The full-text query must drive the join, run once (the FTS table
 * scanned by MATCH, variants looked up by primary key), not per row. */
static void test_query_plans(void **state)
{
    (void)state;
    memfix *f = memfix_new();
    sqlite3 *db = am_tm_sqlite(f->tm);
    sqlite3_stmt *st = NULL;
    am_buf sql = AM_BUF_INIT, plan = AM_BUF_INIT;
    am_buf_printf(&sql, "EXPLAIN QUERY PLAN %s", am_mt_concord_sql());
    assert_int_equal(sqlite3_prepare_v2(db, sql.data, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        am_buf_printf(&plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    /* FTS5 encodes its plan as "INDEX <flags>:M<column>": M is the MATCH. */
    if (!strstr(plan.data, "SCAN variants_fts VIRTUAL TABLE INDEX ") || !strstr(plan.data, ":M") ||
        !strstr(plan.data, "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)") ||
        strstr(plan.data, "TEMP B-TREE"))
        fail_msg("unexpected plan:\n%s", plan.data);
    /* Postings: one FTS5 MATCH, nothing else (a session registers the
     * am_postings function on the connection). */
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    am_lookup *lk = NULL;
    o.from = "uk";
    assert_int_equal(am_lookup_new(&lk, f->tm, &o, NULL), AM_OK);
    am_buf_clear(&sql);
    am_buf_clear(&plan);
    am_buf_printf(&sql, "EXPLAIN QUERY PLAN %s", am_mt_postings_sql());
    assert_int_equal(sqlite3_prepare_v2(db, sql.data, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        am_buf_printf(&plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    if (!strstr(plan.data, "SCAN variants_fts VIRTUAL TABLE INDEX ") || !strstr(plan.data, ":M") ||
        strstr(plan.data, "variants v") || strstr(plan.data, "TEMP B-TREE"))
        fail_msg("unexpected postings plan:\n%s", plan.data);
    am_lookup_free(lk);
    am_buf_free(&sql);
    am_buf_free(&plan);
    memfix_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_table),
        cmocka_unit_test(test_score_details),
        cmocka_unit_test(test_tokenizer),
        cmocka_unit_test(test_distance_band),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_lookup_empty_memory),
        cmocka_unit_test(test_lookup_matches),
        cmocka_unit_test(test_lookup_candidate_cut),
        cmocka_unit_test(test_lookup_context),
        cmocka_unit_test(test_lookup_session_sees_writes),
        cmocka_unit_test(test_lookup_errors),
        cmocka_unit_test(test_concord),
        cmocka_unit_test(test_concord_yo),
        cmocka_unit_test(test_query_plans),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
