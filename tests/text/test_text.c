/* test_text.c - UTF-8 input, pre-segmented text, segmentation traps (one
 * test per trap class of issue #3), normalisation, tokens. The gold-set
 * and NTREX checks are in test_text_gold.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"

void test_gold_set(void **state);
void test_corpora(void **state);
void test_ntrex_recall(void **state);

/* ---- helpers ---------------------------------------------------------- */

static am_text *segment(const char *lang, const char *text)
{
    am_error err;
    am_error_clear(&err);
    am_text *t = NULL;
    int rc = am_text_from_bytes(&t, text, strlen(text), NULL, lang, 0, &err);
    if (rc)
        fail_msg("segment failed: %s", err.message);
    return t;
}

/* The sentences of text must be exactly the NULL-terminated list; a
 * sentence "" in the list stands for a paragraph break. */
static void expect_sents(const char *lang, const char *text, ...)
{
    am_text *t = segment(lang, text);
    va_list ap;
    va_start(ap, text);
    size_t i = 0;
    int para = 0;
    const char *want;
    while ((want = va_arg(ap, const char *)) != NULL) {
        if (!*want) {
            para++;
            continue;
        }
        if (i >= t->n_segs)
            fail_msg("[%s] %s\n  missing sentence %zu: '%s'", lang, text, i, want);
        const am_segment *s = &t->segs[i];
        if (s->length != strlen(want) || memcmp(t->data + s->offset, want, s->length))
            fail_msg("[%s] %s\n  sentence %zu is '%.*s'\n  expected    '%s'", lang, text, i,
                     (int)s->length, t->data + s->offset, want);
        if (s->paragraph != para)
            fail_msg("[%s] sentence %zu in paragraph %d, expected %d", lang, i, s->paragraph,
                     para);
        i++;
    }
    va_end(ap);
    if (i != t->n_segs)
        fail_msg("[%s] %s\n  %zu sentences, expected %zu; extra: '%.*s'", lang, text,
                 t->n_segs, i, (int)t->segs[i].length, t->data + t->segs[i].offset);
    assert_int_equal(t->n_paragraphs, t->n_segs ? para + 1 : 0);
    am_text_free(t);
}

/* ---- UTF-8 input -------------------------------------------------------- */

static void test_utf8_validate(void **state)
{
    (void)state;
    size_t bad = 99;
    const char ok[] = "ascii, Київ, \xE2\x82\xAC, \xF0\x9F\x98\x80, nul:\0.";
    assert_int_equal(am_utf8_validate(ok, sizeof ok - 1, &bad), AM_OK);
    struct { const char *s; size_t n, at; } cases[] = {
        {"ab\xC0\x80", 4, 2},           /* overlong NUL */
        {"\xE0\x80\xAF", 3, 0},         /* overlong '/' */
        {"abc\xED\xA0\x80", 6, 3},      /* surrogate U+D800 */
        {"\xF4\x90\x80\x80", 4, 0},     /* above U+10FFFF */
        {"x\xE2\x82", 3, 1},            /* truncated at the end */
        {"abcdefgh\x80", 9, 8},         /* stray continuation after a long ASCII run */
        {"\xD0\x9A\xD0", 3, 2},         /* truncated Cyrillic */
        {"\xFF", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bad = 99;
        assert_int_equal(am_utf8_validate(cases[i].s, cases[i].n, &bad), AM_EINPUT);
        assert_int_equal(bad, cases[i].at);
    }
}

static void test_input_errors(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_text *t = (am_text *)1;
    /* BOM (3 bytes) + "ok\r\nyes\n" + bad byte on line 3 at file offset 12. */
    const char bad[] = "\xEF\xBB\xBFok\r\nyes\nx\xFFy";
    assert_int_equal(am_text_from_bytes(&t, bad, sizeof bad - 1, "in.uk.txt", NULL, 1, &err),
                     AM_EINPUT);
    assert_null(t);
    assert_string_equal(err.where, "in.uk.txt");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.offset, 12);
    assert_true(strstr(err.message, "invalid UTF-8") != NULL);
    am_error_clear(&err);
    const char nul[] = "one\rtwo\0three";
    assert_int_equal(am_text_from_bytes(&t, nul, sizeof nul - 1, NULL, "en", 1, &err),
                     AM_EINPUT);
    assert_string_equal(err.where, "<stdin>");
    assert_int_equal(err.line, 2); /* a lone CR ends a line too */
    assert_int_equal(err.offset, 7);
    assert_true(strstr(err.message, "NUL") != NULL);
    am_error_clear(&err);
    assert_int_equal(am_text_load(&t, "/nonexistent/x.uk.txt", NULL, 0, &err), AM_EIO);
    assert_null(t);
    am_error_clear(&err);
    /* No language given, none in the name, none detectable. */
    assert_int_equal(am_text_from_bytes(&t, "12 34.", 6, "x.txt", NULL, 0, &err), AM_ELANG);
    assert_string_equal(err.where, "x.txt");
}

static void test_presegmented(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    am_text *t;
    const char in[] = "\xEF\xBB\xBF" "First one.\r\n  Second, no stop  \r\n\r\n\r\nThird.\rFourth\n \n";
    assert_int_equal(am_text_from_bytes(&t, in, sizeof in - 1, "a.en.txt", NULL, 1, &err),
                     AM_OK);
    assert_string_equal(t->lang, "en");
    assert_int_equal(t->size, sizeof in - 1 - 3);
    assert_memory_equal(t->data, "First one.", 10); /* BOM gone */
    assert_int_equal(t->n_segs, 4);
    assert_int_equal(t->n_paragraphs, 2);
    const char *want[] = {"First one.", "Second, no stop", "Third.", "Fourth"};
    int paras[] = {0, 0, 1, 1};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(t->segs[i].length, strlen(want[i]));
        assert_memory_equal(t->data + t->segs[i].offset, want[i], strlen(want[i]));
        assert_int_equal(t->segs[i].paragraph, paras[i]);
    }
    assert_int_equal(t->segs[1].offset, 14);
    am_text_free(t);
    /* The language argument wins and is canonicalised. */
    assert_int_equal(am_text_from_bytes(&t, "a\n", 2, "x.ru.txt", "EN_us", 1, &err), AM_OK);
    assert_string_equal(t->lang, "en-US");
    am_text_free(t);
    assert_int_equal(am_text_from_bytes(&t, "", 0, "x.uk.txt", NULL, 1, &err), AM_OK);
    assert_int_equal(t->n_segs, 0);
    assert_int_equal(t->n_paragraphs, 0);
    am_text_free(t);
    /* Empty input, even as a NULL pointer, segments to nothing. */
    assert_int_equal(am_text_from_bytes(&t, NULL, 0, "x.uk.txt", NULL, 0, &err), AM_OK);
    assert_int_equal(t->n_segs, 0);
    assert_string_equal(t->data, "");
    am_text_free(t);
    assert_int_equal(am_text_from_bytes(&t, " \n\n \r\n", 6, "x.uk.txt", NULL, 0, &err), AM_OK);
    assert_int_equal(t->n_segs, 0);
    assert_int_equal(t->n_paragraphs, 0);
    am_text_free(t);
}

/* ---- segmentation: one test per trap class ------------------------------ */

static void test_abbrev_never_final(void **state)
{
    (void)state;
    expect_sents("uk", "Офіс розташований у м. Київ на вул. Хрещатик, 5. Вхід з двору.",
                 "Офіс розташований у м. Київ на вул. Хрещатик, 5.", "Вхід з двору.", NULL);
    expect_sents("uk", "Згідно зі ст. 5 Закону та п. 3 ч. 2 ст. 12 Кодексу рішення чинне. Див. ст. 7 постанови.",
                 "Згідно зі ст. 5 Закону та п. 3 ч. 2 ст. 12 Кодексу рішення чинне.",
                 "Див. ст. 7 постанови.", NULL);
    expect_sents("uk", "Це т. зв. Програма Сходу, напр. Харків. Доповідав проф. Бондар.",
                 "Це т. зв. Програма Сходу, напр. Харків.", "Доповідав проф. Бондар.", NULL);
    expect_sents("ru", "Он живёт в г. Москва на ул. Садовая. Т. е. в центре, см. Рис. 2.",
                 "Он живёт в г. Москва на ул. Садовая.", "Т. е. в центре, см. Рис. 2.", NULL);
    expect_sents("en", "Mr. Hale met Dr. Ruiz at St. Anne's. See No. 5 and Sept. 12 for details.",
                 "Mr. Hale met Dr. Ruiz at St. Anne's.", "See No. 5 and Sept. 12 for details.",
                 NULL);
    /* English abbreviations in a Ukrainian text; "Дж." is an initial. */
    expect_sents("uk", "Бренди Revlon та Dr. PawPaw зникнуть. Сказав Мерфі Дж. Пол. Це все.",
                 "Бренди Revlon та Dr. PawPaw зникнуть.", "Сказав Мерфі Дж. Пол.", "Це все.",
                 NULL);
    expect_sents("en", "Use tools, e.g. Git, i.e. Version control. It works.",
                 "Use tools, e.g. Git, i.e. Version control.", "It works.", NULL);
}

static void test_abbrev_may_end(void **state)
{
    (void)state;
    expect_sents("uk", "Зібрали 5 тис. Наступного дня – ще 3 тис. грн. Це рекорд і т. ін. Далі буде.",
                 "Зібрали 5 тис.", "Наступного дня – ще 3 тис. грн.", "Це рекорд і т. ін.",
                 "Далі буде.", NULL);
    /* A fronted date is no sentence; "дол. США" goes on; "тел." never ends. */
    expect_sents("uk", "8 вересня 2019 р. Росія провела вибори. У 2020 р. Україна продала 1,1 млрд дол. США зерна. Дзвоніть за тел. (044) 555-01-23. Дякуємо.",
                 "8 вересня 2019 р. Росія провела вибори.",
                 "У 2020 р. Україна продала 1,1 млрд дол. США зерна.",
                 "Дзвоніть за тел. (044) 555-01-23.", "Дякуємо.", NULL);
    expect_sents("uk", "Це було у 2019 р. Тоді ж відкрили міст у XX ст. Потім – ні.",
                 "Це було у 2019 р.", "Тоді ж відкрили міст у XX ст.", "Потім – ні.", NULL);
    expect_sents("ru", "Это случилось в 2019 г. Потом приехали в г. Тула. Итого 500 руб. и т. д. Конец.",
                 "Это случилось в 2019 г.", "Потом приехали в г. Тула.",
                 "Итого 500 руб. и т. д.", "Конец.", NULL);
    expect_sents("en", "We sell pens, paper, etc. Prices vary. It opens at 9 a.m. Staff arrive early.",
                 "We sell pens, paper, etc.", "Prices vary.", "It opens at 9 a.m.",
                 "Staff arrive early.", NULL);
    expect_sents("en", "He moved to the U.S. Others stayed. The U.K. Supreme Court ruled.",
                 "He moved to the U.S.", "Others stayed.", "The U.K. Supreme Court ruled.", NULL);
    /* Continuers: capitalised words that do not start a sentence here. */
    expect_sents("en", "It starts at 5 a.m. Eastern time. The U.S. Navy said so. Prof. Bell (b. 1950) agreed.",
                 "It starts at 5 a.m. Eastern time.", "The U.S. Navy said so.",
                 "Prof. Bell (b. 1950) agreed.", NULL);
}

static void test_initials(void **state)
{
    (void)state;
    expect_sents("uk", "Виступив О. М. Коваленко. Потім П.П. Клімкін. Доповів Лобода Л. М. Він радий.",
                 "Виступив О. М. Коваленко.", "Потім П.П. Клімкін.", "Доповів Лобода Л. М.",
                 "Він радий.", NULL);
    /* No-break spaces inside initials, after the surname. */
    expect_sents("uk", "Представник, Ковальчук Р.\xC2\xA0С., відмовився. Далі.",
                 "Представник, Ковальчук Р.\xC2\xA0С., відмовився.", "Далі.", NULL);
    expect_sents("ru", "Президент В. В. Путин заявил. Ответил А.Б. Веденеев.",
                 "Президент В. В. Путин заявил.", "Ответил А.Б. Веденеев.", NULL);
    expect_sents("en", "J. R. R. Tolkien and John F. Kennedy met. Signed by Smith, J.R. Among them was Lee.",
                 "J. R. R. Tolkien and John F. Kennedy met.", "Signed by Smith, J.R.",
                 "Among them was Lee.", NULL);
}

static void test_numbers(void **state)
{
    (void)state;
    expect_sents("uk", "Ріст склав 12.4 % або 3,5 млн грн. Засідання 8 вересня 2019 р. у Києві тривало до 10:00. Рахунок 2:1.",
                 "Ріст склав 12.4 % або 3,5 млн грн.",
                 "Засідання 8 вересня 2019 р. у Києві тривало до 10:00.", "Рахунок 2:1.", NULL);
    expect_sents("en", "Doors open at 10:00 a.m. on Jan. 5. Version 21.9.1 is out. 08.09.2019 was a Sunday.",
                 "Doors open at 10:00 a.m. on Jan. 5.", "Version 21.9.1 is out.",
                 "08.09.2019 was a Sunday.", NULL);
    expect_sents("uk", "Зміни такі. 1. Нові тарифи. 2. Нові пільги.", "Зміни такі.",
                 "1. Нові тарифи.", "2. Нові пільги.", NULL);
}

static void test_quotes(void **state)
{
    (void)state;
    expect_sents("uk", "«Ми готові до переговорів», – йдеться в заяві. «Коли?» – спитав він. Він сказав: «Так». Кінець.",
                 "«Ми готові до переговорів», – йдеться в заяві.", "«Коли?» – спитав він.",
                 "Він сказав: «Так».", "Кінець.", NULL);
    expect_sents("ru", "«Правда?» — спросила она. «Да!» Он ушёл.", "«Правда?» — спросила она.",
                 "«Да!»", "Он ушёл.", NULL);
    expect_sents("en", "\"It is done,\" it said. \"Really?\" she asked. \"Yes.\" He left (at last.) Then rain.",
                 "\"It is done,\" it said.", "\"Really?\" she asked.", "\"Yes.\"",
                 "He left (at last.)", "Then rain.", NULL);
}

static void test_ellipsis_and_marks(void **state)
{
    (void)state;
    expect_sents("uk", "Чекали… Нарешті прийшов! Чому?! Бо так... Ну… і все.", "Чекали…",
                 "Нарешті прийшов!", "Чому?!", "Бо так...", "Ну… і все.", NULL);
    expect_sents("ru", "Когда мост? — Мы планируем к осени. — А если зима?! — Тогда позже.",
                 "Когда мост?", "— Мы планируем к осени.", "— А если зима?!", "— Тогда позже.",
                 NULL);
}

static void test_lines_and_paragraphs(void **state)
{
    (void)state;
    expect_sents("uk", "Заголовок без крапки\n\nПерший абзац. Друге речення.\r\n\r\nRead also… Інша новина\n\nОстанній",
                 "Заголовок без крапки", "", "Перший абзац.", "Друге речення.", "",
                 "Read also…", "Інша новина", "", "Останній", NULL);
    /* A line without final punctuation is a segment of its own; a line
     * wrapped inside a sentence continues in lower case. */
    expect_sents("en", "Headline Here\nThe text starts here and\ncontinues there. Done.\n- item one\n- item two\n",
                 "Headline Here", "The text starts here and\ncontinues there.", "Done.",
                 "- item one", "- item two", NULL);
}

/* A headline with no final punctuation that runs into the next sentence
 * (paragraphs joined into one line), and the look-alikes that must stay
 * one sentence. */
static void test_headlines(void **state)
{
    (void)state;
    expect_sents("en", "Six hurt in prison riot And in October officers were called. Done.",
                 "Six hurt in prison riot", "And in October officers were called.", "Done.",
                 NULL);
    /* After a sentence, too: a "Read also" line inserted mid-paragraph. */
    expect_sents("en", "It ended. Vaccine trains immune cells But on Monday, nobody came.",
                 "It ended.", "Vaccine trains immune cells", "But on Monday, nobody came.",
                 NULL);
    /* A quoted phrase of two or more words closes a headline before a
     * capital; a one-letter starter only after a closer. */
    expect_sents("en", "Ross: 'My aim is to manage Scotland' Sunderland boss Ross says so.",
                 "Ross: 'My aim is to manage Scotland'", "Sunderland boss Ross says so.", NULL);
    expect_sents("en", "Envoy accuses rivals of 'propaganda ads' A week later, ads ran.",
                 "Envoy accuses rivals of 'propaganda ads'", "A week later, ads ran.", NULL);
    expect_sents("en", "Storm Hits City (Dry Areas May Benefit) It's rare here.",
                 "Storm Hits City (Dry Areas May Benefit)", "It's rare here.", NULL);
    expect_sents("uk", "Вакцина вчить імунну систему Він сказав, що все гаразд.",
                 "Вакцина вчить імунну систему", "Він сказав, що все гаразд.", NULL);
    expect_sents("uk", "Депутати бояться «стати схожими на ляльок» Деякі члени ради мовчать.",
                 "Депутати бояться «стати схожими на ляльок»", "Деякі члени ради мовчать.",
                 NULL);
    expect_sents("ru", "Всё закончилось. Землетрясение в горах Однако, их привычки таковы.",
                 "Всё закончилось.", "Землетрясение в горах", "Однако, их привычки таковы.",
                 NULL);
    /* Languages without a table have no starters: only quoted phrases. */
    expect_sents("de", "Minister nennt Vorwürfe 'reine Erfindung' Berlin schweigt dazu.",
                 "Minister nennt Vorwürfe 'reine Erfindung'", "Berlin schweigt dazu.", NULL);
    /* One sentence each: Title Case, names, "vitamin A", a quoted name,
     * a continuer, a speech opening the sentence, a hyphenated name, a
     * starter after a capitalised word, an opening quote before it. */
    expect_sents("en", "Man Shot In The Park Dies. The band The Who played loud.",
                 "Man Shot In The Park Dies.", "The band The Who played loud.", NULL);
    expect_sents("en", "He took vitamin A daily. Avon and Somerset Police said nothing.",
                 "He took vitamin A daily.", "Avon and Somerset Police said nothing.", NULL);
    expect_sents("en", "\"We will win at home\" Smith said today.",
                 "\"We will win at home\" Smith said today.", NULL);
    expect_sents("en", "She said \"The economy is fine\" at noon.",
                 "She said \"The economy is fine\" at noon.", NULL);
    expect_sents("uk", "Тренер ФК «Сандерленд» Джек Росс сказав це.",
                 "Тренер ФК «Сандерленд» Джек Росс сказав це.", NULL);
    expect_sents("uk", "Потяг між Сент-Луїсом і Де-Мойнсом ходить щодня.",
                 "Потяг між Сент-Луїсом і Де-Мойнсом ходить щодня.", NULL);
    expect_sents("ru", "Сирия велит «оккупационным силам» США, Франции уйти.",
                 "Сирия велит «оккупационным силам» США, Франции уйти.", NULL);
    expect_sents("ru", "Клуб сыграл с командой «Зенит Москва» Санкт-Петербург ждёт.",
                 "Клуб сыграл с командой «Зенит Москва» Санкт-Петербург ждёт.", NULL);
}

/* A headline is looked for in the first 30 words of a sentence only. */
static void test_headline_window(void **state)
{
    (void)state;
    char in[1024], first[512];
    for (int words = 30; words <= 31; words++) {
        size_t n = 0;
        for (int w = 0; w < words; w++)
            n += (size_t)snprintf(first + n, sizeof first - n, "%s", w ? " word" : "Headline");
        snprintf(in, sizeof in, "%s He said so.", first);
        if (words == 30)
            expect_sents("en", in, first, "He said so.", NULL);
        else
            expect_sents("en", in, in, NULL);
    }
}

static void test_generic_language(void **state)
{
    (void)state;
    /* German has no table: ICU rules plus the generic repairs. */
    expect_sents("de", "Das kostet 12,5 Euro. J. S. Bach kam um 10.30 Uhr… Dann ging er.",
                 "Das kostet 12,5 Euro.", "J. S. Bach kam um 10.30 Uhr…", "Dann ging er.", NULL);
}

static void test_offsets(void **state)
{
    (void)state;
    am_text *t = segment("en", "  One.  Two?\n\n Three ");
    assert_int_equal(t->n_segs, 3);
    assert_int_equal(t->segs[0].offset, 2);
    assert_int_equal(t->segs[0].length, 4);
    assert_int_equal(t->segs[1].offset, 8);
    assert_int_equal(t->segs[1].length, 4);
    assert_int_equal(t->segs[2].offset, 15);
    assert_int_equal(t->segs[2].length, 5);
    assert_int_equal(t->segs[2].paragraph, 1);
    am_text_free(t);
}

/* Pathological input must stay linear (the CTest timeout is the bound). */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 3 * 1000 * 1000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n / 3; i++)
        s[i] = i % 2 ? '?' : 'a';
    s[0] = 'X'; /* one "word" with a capital: the headline scan must not
                   rescan it at every dropped candidate */
    memset(s + n / 3, '\n', n / 3);
    for (size_t i = 2 * (n / 3); i < n; i++)
        s[i] = i % 3 == 0 ? 'X' : i % 3 == 1 ? '.' : ' ';
    s[n] = '\0';
    am_error err;
    am_error_clear(&err);
    am_text *t;
    assert_int_equal(am_text_from_bytes(&t, s, n, NULL, "en", 0, &err), AM_OK);
    assert_true(t->n_segs >= 2);
    assert_int_equal(t->n_paragraphs, 2);
    am_text_free(t);
    free(s);
}

/* Random text made of the pieces the repair pass looks at: whatever the
 * input, segments are ordered, disjoint, trimmed, and together hold every
 * non-space byte exactly once. */
static void test_random_invariants(void **state)
{
    (void)state;
    static const char *pieces[] = {
        ". ", "… ", "«", "»", "? ", "! ", "\n", "\n\n", "\r\n", "м. ", "вул. ", "A. ",
        "В.В. ", "5", "12.4 ", " - ", " — ", "Слово ", "слово ", "Word ", "etc. ", "U.S. ",
        "\"", ") ", "(", "\xC2\xA0", "1. ", "т. зв. ", "р. ", "2019 ", "Mr. ", "...", ",",
        " ", "\xE2\x80\xAF", "Ёж ", ": ", "?!", "He ", "Він ", "It's ", "' ", "two words' ",
    };
    const size_t n_pieces = sizeof pieces / sizeof pieces[0];
    const char *langs[] = {"uk", "ru", "en", "de"};
    unsigned seed = 12345;
    char buf[4096];
    for (int round = 0; round < 400; round++) {
        size_t len = 0;
        int count = 1 + (int)(seed % 60);
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 8) % n_pieces];
            size_t pl = strlen(p);
            memcpy(buf + len, p, pl);
            len += pl;
        }
        buf[len] = '\0';
        am_text *t = segment(langs[round % 4], buf);
        size_t covered = 0, prev_end = 0, nonspace = 0;
        for (size_t i = 0; i < t->size; i++) {
            unsigned char c = (unsigned char)t->data[i];
            nonspace += !(c == ' ' || c == '\n' || c == '\r' || c == 0xC2 || c == 0xA0 ||
                          c == 0xE2 || c == 0x80 || c == 0xAF);
        }
        for (size_t k = 0; k < t->n_segs; k++) {
            const am_segment *g = &t->segs[k];
            assert_true(g->length > 0);
            assert_true(g->offset >= prev_end);
            assert_true(g->offset + g->length <= t->size);
            assert_true(k == 0 || g->paragraph >= t->segs[k - 1].paragraph);
            const unsigned char *a = (const unsigned char *)t->data + g->offset;
            assert_false(a[0] == ' ' || a[0] == '\n' || a[0] == '\r');
            assert_false(a[g->length - 1] == ' ' || a[g->length - 1] == '\n');
            for (size_t i = 0; i < g->length; i++)
                covered += !(a[i] == ' ' || a[i] == '\n' || a[i] == '\r' || a[i] == 0xC2 ||
                             a[i] == 0xA0 || a[i] == 0xE2 || a[i] == 0x80 || a[i] == 0xAF);
            prev_end = g->offset + g->length;
        }
        /* The pieces hold no other bytes 0x80, 0xA0, 0xAF, 0xC2, 0xE2 than
         * in the spaces and "…" "—" (whose other bytes count). */
        assert_int_equal(covered, nonspace);
        am_text_free(t);
    }
}

/* ---- normalisation and tokens ------------------------------------------ */

static void expect_norm(const char *in, const char *want)
{
    am_error err;
    am_error_clear(&err);
    char *out;
    size_t n;
    assert_int_equal(am_normalize(&out, &n, in, strlen(in), &err), AM_OK);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    free(out);
}

static void test_normalize(void **state)
{
    (void)state;
    expect_norm("  Ё-моЁ  «Київ»—ТЕСТ\xC2\xAD\xE2\x80\x8B  ", "е-мое \"київ\"-тест");
    expect_norm("п'ять п’ять пʼять", "п'ять п'ять п'ять");
    expect_norm("\xD0\xB5\xCC\x88 E\xCC\x81", "е \xC3\xA9"); /* е+U+0308 -> е; E+U+0301 -> é */
    expect_norm("„a“ “b” ‹c› – — −", "\"a\" \"b\" \"c\" - - -");
    expect_norm("Straße\tİ", "strasse i\xCC\x87");
    expect_norm("", "");
    am_error err;
    am_error_clear(&err);
    char *out = (char *)1;
    size_t n;
    assert_int_equal(am_normalize(&out, &n, "a\xC0", 2, &err), AM_EINPUT);
    assert_null(out);
}

typedef struct { int kind; const char *text, *key, *translit; } tok_want;

static void expect_tokens(const char *lang, const char *s, const tok_want *want, size_t n)
{
    am_error err;
    am_error_clear(&err);
    const am_lang *l = NULL;
    if (lang)
        assert_int_equal(am_lang_get(&l, lang, &err), AM_OK);
    am_tokens *t;
    assert_int_equal(am_tokenize(&t, l, s, strlen(s), &err), AM_OK);
    for (size_t i = 0; i < n && i < t->n; i++) {
        const am_token *k = &t->toks[i];
        if (k->kind != want[i].kind || k->length != strlen(want[i].text) ||
            memcmp(s + k->offset, want[i].text, k->length) || strcmp(k->key, want[i].key) ||
            strcmp(k->translit, want[i].translit))
            fail_msg("[%s] token %zu: %d '%.*s' key '%s' translit '%s'; expected %d '%s' '%s' '%s'",
                     lang ? lang : "-", i, k->kind, (int)k->length, s + k->offset, k->key,
                     k->translit, want[i].kind, want[i].text, want[i].key, want[i].translit);
    }
    assert_int_equal(t->n, n);
    am_tokens_free(t);
}

static void test_tokens(void **state)
{
    (void)state;
    const tok_want uk[] = {
        {AM_TOK_WORD, "Севастополь", "севастополь", "sevastopol"},
        {AM_TOK_PUNCT, "—", "-", "-"},
        {AM_TOK_PUNCT, "«", "\"", "\""},
        {AM_TOK_WORD, "П’ять", "п'ять", "pyat"},
        {AM_TOK_PUNCT, "»", "\"", "\""},
        {AM_TOK_NUMBER, "5 000", "5000", "5000"},
        {AM_TOK_WORD, "грн", "грн", "hrn"},
        {AM_TOK_NUMBER, "12,4", "12.4", "12.4"},
        {AM_TOK_PUNCT, "%", "%", "%"},
        {AM_TOK_NUMBER, "1.000", "1000", "1000"},
        {AM_TOK_NUMBER, "2019", "2019", "2019"},
        {AM_TOK_NUMBER, "100", "100", "100"},
        {AM_TOK_WORD, "Київ", "київ", "kyyiv"},
    };
    expect_tokens("uk", "Севастополь — «П’ять» 5 000 грн 12,4% 1.000 2019 100 Київ", uk,
                  sizeof uk / sizeof uk[0]);
    const tok_want en[] = {
        {AM_TOK_NUMBER, "5,000", "5000", "5000"},
        {AM_TOK_NUMBER, "12.4", "12.4", "12.4"},
        {AM_TOK_NUMBER, "12,4", "12.4", "12.4"},
        {AM_TOK_NUMBER, "1,234.50", "1234.50", "1234.50"},
        {AM_TOK_NUMBER, "08.09.2019", "08.09.2019", "08.09.2019"},
        {AM_TOK_WORD, "Zürich", "zürich", "zurich"},
        {AM_TOK_WORD, "Kyiv’s", "kyiv's", "kyiv's"},
        {AM_TOK_WORD, "Щука", "щука", "suka"}, /* English: Any-Latin, ISO 9 style Ŝ */
    };
    expect_tokens("en", "5,000 12.4 12,4 1,234.50 08.09.2019 Zürich Kyiv’s Щука", en,
                  sizeof en / sizeof en[0]);
    const tok_want ru[] = {
        {AM_TOK_WORD, "Ёлка", "елка", "yelka"},
        {AM_TOK_NUMBER, "5,5", "5.5", "5.5"},
        {AM_TOK_WORD, "Щука", "щука", "shchuka"},
    };
    expect_tokens("ru", "Ёлка 5,5 Щука", ru, sizeof ru / sizeof ru[0]);
    /* No language: the generic table. */
    const tok_want none[] = {{AM_TOK_WORD, "Hello", "hello", "hello"}};
    expect_tokens(NULL, "Hello", none, 1);
    expect_tokens("en", "", NULL, 0);
}

static void test_transliterate(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    const am_lang *uk, *ru;
    assert_int_equal(am_lang_get(&uk, "uk", &err), AM_OK);
    assert_int_equal(am_lang_get(&ru, "ru", &err), AM_OK);
    char *out;
    assert_int_equal(am_transliterate(&out, uk, "Київ, Щедрий", strlen("Київ, Щедрий"), &err),
                     AM_OK);
    assert_string_equal(out, "kyyiv, shchedryy");
    free(out);
    assert_int_equal(am_transliterate(&out, ru, "Киев", strlen("Киев"), &err), AM_OK);
    assert_string_equal(out, "kiyev");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validate),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_presegmented),
        cmocka_unit_test(test_abbrev_never_final),
        cmocka_unit_test(test_abbrev_may_end),
        cmocka_unit_test(test_initials),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_ellipsis_and_marks),
        cmocka_unit_test(test_lines_and_paragraphs),
        cmocka_unit_test(test_headlines),
        cmocka_unit_test(test_headline_window),
        cmocka_unit_test(test_generic_language),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_random_invariants),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_transliterate),
        cmocka_unit_test(test_gold_set),
        cmocka_unit_test(test_corpora),
        cmocka_unit_test(test_ntrex_recall),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_lang_cleanup();
    am_shutdown();
    return rc;
}
