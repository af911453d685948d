/* test_align.c - the aligner on small hand-made texts: every bead type,
 * paragraph breaks, three versions, degenerate inputs, a language pair
 * with no table, and one real benchmark document from shared/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"
#include "align/align.h"

/* A presegmented text: one sentence a line, "" (an empty line) = break. */
static am_text *text(const char *lang, const char *body)
{
    am_text *t = NULL;
    am_error err;
    am_error_clear(&err);
    int rc = am_text_from_bytes(&t, body, strlen(body), "test", lang, 1, &err);
    if (rc)
        fail_msg("am_text_from_bytes: %s", err.message);
    return t;
}

/* Every version covered exactly once, in order, beads never empty. */
static void check_cover(const am_alignment *a, am_text **t, size_t n)
{
    assert_int_equal(a->n_versions, n);
    for (size_t v = 0; v < n; v++) {
        size_t next = 0;
        for (size_t b = 0; b < a->n_beads; b++) {
            assert_int_equal(AM_BEAD_BEGIN(a, b, v), next);
            assert_true(AM_BEAD_END(a, b, v) >= next);
            assert_true(AM_BEAD_END(a, b, v) - next <= 3);
            next = AM_BEAD_END(a, b, v);
        }
        assert_int_equal(next, t[v]->n_segs);
    }
    for (size_t b = 0; b < a->n_beads; b++) {
        size_t total = 0;
        for (size_t v = 0; v < n; v++)
            total += AM_BEAD_END(a, b, v) - AM_BEAD_BEGIN(a, b, v);
        assert_true(total > 0);
        assert_true(a->score[b] >= 0 && a->score[b] <= 1);
    }
}

/* The beads as a string: "1-1 2-0 ..." sides in version order, '-'
 * between versions, each side its sentence count. */
static void bead_types(char *out, size_t outsz, const am_alignment *a)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t b = 0; b < a->n_beads && len + 16 < outsz; b++) {
        if (b)
            out[len++] = ' ';
        for (size_t v = 0; v < a->n_versions; v++)
            len += (size_t)snprintf(out + len, outsz - len, "%s%zu", v ? "-" : "",
                                    AM_BEAD_END(a, b, v) - AM_BEAD_BEGIN(a, b, v));
    }
}

static am_alignment *align_n(am_text **t, size_t n)
{
    am_alignment *a = NULL;
    am_error err;
    am_error_clear(&err);
    int rc = am_align(&a, (const am_text *const *)t, n, NULL, &err);
    if (rc)
        fail_msg("am_align: %s", err.message);
    check_cover(a, t, n);
    return a;
}

/* Align two texts and compare the bead types with want. */
static void expect2(const char *la, const char *a, const char *lb, const char *b,
                    const char *want)
{
    am_text *t[2] = {text(la, a), text(lb, b)};
    am_alignment *al = align_n(t, 2);
    char got[1024];
    bead_types(got, sizeof got, al);
    assert_string_equal(got, want);
    am_alignment_free(al);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

/* A small English news text written for these tests, and its Ukrainian
 * translation. Sentence lengths vary on purpose. */
#define EN1 "The bridge over the Dnipro in Zaporizhzhia reopened on 14 March after 18 months of repairs.\n"
#define EN2 "It carries 42,000 cars a day.\n"
#define EN3 "Engineers from Kharkiv replaced 312 steel cables and the whole road surface, and the city paid 27.5 million hryvnias for the work.\n"
#define EN4 "Mayor Olena Bondar said the queues were over.\n"
#define EN5 "Residents of the left bank, who had to drive 40 kilometres around the river for a year and a half, welcomed the news.\n"
#define EN6 "The next repair is planned for 2031.\n"
#define UK1 "Міст через Дніпро в Запоріжжі знову відкрили 14 березня після 18 місяців ремонту.\n"
#define UK2 "Ним щодня проїжджає 42 000 автомобілів.\n"
#define UK3 "Інженери з Харкова замінили 312 сталевих тросів і все дорожнє покриття, а місто заплатило за роботу 27,5 мільйона гривень.\n"
#define UK4 "Мер Олена Бондар сказала, що черги скінчилися.\n"
#define UK5 "Мешканці лівого берега, яким півтора року доводилося об'їжджати річку за 40 кілометрів, зраділи новині.\n"
#define UK6 "Наступний ремонт заплановано на 2031 рік.\n"
/* An unrelated line, as a "Read also" link inserted in one version. */
#define UKX "Читайте також: як пережити спеку в місті без кондиціонера.\n"
/* UK2 and UK3 merged into one sentence. */
#define UK23 "Ним щодня проїжджає 42 000 автомобілів; інженери з Харкова замінили 312 сталевих тросів і все дорожнє покриття, а місто заплатило за роботу 27,5 мільйона гривень.\n"
#define EN45 "Mayor Olena Bondar said the queues were over, and residents of the left bank, who had to drive 40 kilometres around the river for a year and a half, welcomed the news.\n"

static void test_one_to_one(void **state)
{
    (void)state;
    expect2("en", EN1 EN2 EN3 EN4 EN5 EN6, "uk", UK1 UK2 UK3 UK4 UK5 UK6,
            "1-1 1-1 1-1 1-1 1-1 1-1");
}

static void test_insertion_and_deletion(void **state)
{
    (void)state;
    /* 0-1: an unrelated line in the Ukrainian; 1-0: EN4 not translated. */
    expect2("en", EN1 EN2 EN3 EN4 EN5 EN6, "uk", UK1 UKX UK2 UK3 UK5 UK6,
            "1-1 0-1 1-1 1-1 1-0 1-1 1-1");
}

static void test_merge_beads(void **state)
{
    (void)state;
    /* 2-1 and 1-2. */
    expect2("en", EN1 EN2 EN3 EN45 EN6, "uk", UK1 UK23 UK4 UK5 UK6, "1-1 2-1 1-2 1-1");
}

static void test_two_two_and_three(void **state)
{
    (void)state;
    /* The same two sentences cut at different places: a 2-2 bead. */
    expect2("en",
            EN1 "The old bridge was built in 1952 and carried 9,000 cars a day until 2022, when inspectors found 31 cracks in its deck.\n"
                "The city closed it to all traffic in the same week.\n" EN6,
            "uk",
            UK1 "Старий міст збудували в 1952 році.\n"
                "Він пропускав 9 000 автомобілів на день до 2022 року, коли інспектори знайшли 31 тріщину в настилі, і того ж тижня місто закрило його для всього руху.\n" UK6,
            "1-1 2-2 1-1");
    /* One sentence against three: 1-3. */
    expect2("en",
            EN1 "The repair took 18 months, cost 27.5 million hryvnias and replaced 312 cables.\n" EN6,
            "uk", UK1 "Ремонт тривав 18 місяців.\n"
                      "Він коштував 27,5 мільйона гривень.\n"
                      "Замінили 312 тросів.\n" UK6,
            "1-1 1-3 1-1");
}

static void test_paragraph_breaks(void **state)
{
    (void)state;
    /* Breaks are items: no bead crosses one; a sentence missing at the
     * end of a paragraph stays a 1-0 inside it. */
    am_text *t[2] = {text("en", EN1 EN2 "\n" EN3 EN4 "\n" EN5 EN6),
                     text("uk", UK1 UK2 "\n" UK3 "\n" UK5 UK6)};
    am_alignment *a = align_n(t, 2);
    char got[256];
    bead_types(got, sizeof got, a);
    assert_string_equal(got, "1-1 1-1 1-1 1-0 1-1 1-1");
    for (size_t b = 0; b < a->n_beads; b++)
        for (size_t v = 0; v < 2; v++) {
            size_t s0 = AM_BEAD_BEGIN(a, b, v), s1 = AM_BEAD_END(a, b, v);
            if (s1 > s0)
                assert_int_equal(t[v]->segs[s0].paragraph, t[v]->segs[s1 - 1].paragraph);
        }
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

#define RU1 "Мост через Днепр в Запорожье снова открыли 14 марта после 18 месяцев ремонта.\n"
#define RU2 "По нему ежедневно проезжает 42 000 автомобилей.\n"
#define RU3 "Инженеры из Харькова заменили 312 стальных тросов и всё дорожное покрытие, а город заплатил за работу 27,5 миллиона гривен.\n"
#define RU4 "Мэр Елена Бондарь сказала, что очереди закончились.\n"
#define RU5 "Жители левого берега, которым полтора года приходилось объезжать реку за 40 километров, обрадовались новости.\n"
#define RU6 "Следующий ремонт запланирован на 2031 год.\n"

static void test_three_way(void **state)
{
    (void)state;
    /* en drops EN4, uk inserts a line, ru merges 2 and 3 (";"). Every bead
     * spans the three versions; the pairs agree by construction. */
    am_text *t[3] = {text("en", EN1 EN2 EN3 EN5 EN6), text("uk", UK1 UK2 UK3 UK4 UKX UK5 UK6),
                     text("ru", RU1 "По нему ежедневно проезжает 42 000 автомобилей; инженеры из Харькова заменили 312 стальных тросов и всё дорожное покрытие, а город заплатил за работу 27,5 миллиона гривен.\n" RU4 RU5 RU6)};
    am_alignment *a = align_n(t, 3);
    char got[256];
    bead_types(got, sizeof got, a);
    assert_string_equal(got, "1-1-1 2-2-1 0-1-1 0-1-0 1-1-1 1-1-1");
    am_alignment_free(a);
    for (int v = 0; v < 3; v++)
        am_text_free(t[v]);
}

static void test_empty_and_single(void **state)
{
    (void)state;
    expect2("en", "", "uk", "", "");
    expect2("en", "", "uk", UK1 UK2, "0-1 0-1");
    expect2("en", EN1, "uk", "", "1-0");
    expect2("en", EN1, "uk", UK1, "1-1");
}

static void test_very_different_lengths(void **state)
{
    (void)state;
    /* One sentence against thirty: every sentence covered, no crash, the
     * one that matches found. */
    char big[8192] = "";
    for (int i = 0; i < 30; i++)
        strcat(big, i == 17 ? UK2 : UKX);
    am_text *t[2] = {text("en", EN2), text("uk", big)};
    am_alignment *a = align_n(t, 2);
    int found = 0;
    for (size_t b = 0; b < a->n_beads; b++)
        if (AM_BEAD_END(a, b, 0) > AM_BEAD_BEGIN(a, b, 0))
            found = AM_BEAD_BEGIN(a, b, 1) <= 17 && AM_BEAD_END(a, b, 1) > 17;
    assert_true(found);
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

static void test_languages_without_table(void **state)
{
    (void)state;
    /* German and French have no table: length, numbers and names do it. */
    expect2("de",
            "Die Brücke in Saporischschja wurde am 14. März nach 18 Monaten wieder eröffnet.\n"
            "Täglich fahren 42.000 Autos darüber.\n"
            "Ingenieure aus Charkiw ersetzten 312 Stahlseile und den gesamten Straßenbelag, die Stadt zahlte 27,5 Millionen Hrywnja.\n"
            "Die nächste Reparatur ist für 2031 geplant.\n",
            "fr",
            "Le pont de Zaporijjia a rouvert le 14 mars après 18 mois de travaux.\n"
            "Abonnez-vous à notre lettre d'information pour recevoir chaque matin toutes les nouvelles de la région.\n"
            "Il voit passer 42 000 voitures par jour.\n"
            "Des ingénieurs de Kharkiv ont remplacé 312 câbles d'acier et tout le revêtement, et la ville a payé 27,5 millions de hryvnias.\n"
            "La prochaine réparation est prévue pour 2031.\n",
            "1-1 0-1 1-1 1-1 1-1");
}

static void test_errors(void **state)
{
    (void)state;
    am_text *t[2] = {text("en", EN1), NULL};
    am_alignment *a = (am_alignment *)&a;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_align(&a, (const am_text *const *)t, 1, NULL, &err), AM_EARG);
    assert_null(a);
    assert_non_null(strstr(err.message, "at least two"));
    am_error_clear(&err);
    assert_int_equal(am_align(&a, (const am_text *const *)t, 2, NULL, &err), AM_EARG);
    am_alignment_free(NULL);
    am_text_free(t[0]);
}

static void test_confidence_means_something(void **state)
{
    (void)state;
    /* A clean 1-1 text is sure of itself; an inserted unrelated line next
     * to a short sentence leaves some doubt somewhere. */
    am_text *t[2] = {text("en", EN1 EN2 EN3 EN4 EN5 EN6), text("uk", UK1 UK2 UK3 UK4 UK5 UK6)};
    am_alignment *a = align_n(t, 2);
    for (size_t b = 0; b < a->n_beads; b++)
        assert_true(a->score[b] > 0.8);
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

/* One real document with gold beads (dir: a folder of en.sent, uk.sent
 * and gold.en-uk.tsv, as in shared/bench/ and corpora/), aligned en-uk,
 * must give exactly its gold beads. */
static void expect_gold(const char *dir)
{
    char path[1024];
    am_text *t[2] = {NULL, NULL};
    const char *langs[2] = {"en", "uk"};
    am_error err;
    for (int v = 0; v < 2; v++) {
        snprintf(path, sizeof path, "%s/%s.sent", dir, langs[v]);
        am_error_clear(&err);
        if (am_text_load(&t[v], path, langs[v], 1, &err))
            fail_msg("test data missing (%s): %s - see shared/README.md", path, err.message);
    }
    am_alignment *a = align_n(t, 2);
    snprintf(path, sizeof path, "%s/gold.en-uk.tsv", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[256], got[256];
    size_t b = 0;
    while (fgets(line, sizeof line, fp)) {
        assert_true(b < a->n_beads);
        got[0] = '\0';
        for (int v = 0; v < 2; v++) {
            size_t len = strlen(got);
            for (size_t s = AM_BEAD_BEGIN(a, b, v); s < AM_BEAD_END(a, b, v); s++)
                len += (size_t)snprintf(got + len, sizeof got - len, "%s%zu",
                                        s > AM_BEAD_BEGIN(a, b, v) ? "," : "", s + 1);
            snprintf(got + len, sizeof got - len, "%s", v ? "\n" : "\t");
        }
        assert_string_equal(got, line);
        b++;
    }
    fclose(fp);
    assert_int_equal(b, a->n_beads);
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

static void test_benchmark_document(void **state)
{
    (void)state;
    expect_gold(AM_SHARED_DIR "/bench/align-ntrex/bbc.381646");
}

/* Where the semicolons of a sentence fall (features.c), as fractions of
 * its non-space characters; one at the very end splits nothing. */
static void test_clause_breaks(void **state)
{
    (void)state;
    am_text *t = text("en", "Ab; cd.\nNo break here.\nEnds with one;\nA; b; c; d.\n");
    al_feat f;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(al_feat_build(&f, t, &err), AM_OK);
    assert_float_equal(f.split[0 * AL_SPLITS], 3.0 / 6.0, 1e-6);
    assert_float_equal(f.split[0 * AL_SPLITS + 1], -1, 0);
    assert_float_equal(f.split[1 * AL_SPLITS], -1, 0);
    assert_float_equal(f.split[2 * AL_SPLITS], -1, 0);
    assert_float_equal(f.split[3 * AL_SPLITS], 2.0 / 8.0, 1e-6); /* at most AL_SPLITS */
    assert_float_equal(f.split[3 * AL_SPLITS + 1], 4.0 / 8.0, 1e-6);
    al_feat_free(&f);
    am_text_free(t);
}

/* The confidence of bead 4 of EN1-EN4 + ENL + ENW + EN6 against UK1-UK4 +
 * uk5 + UK6, which must be one 2-1 bead among 1-1 beads. */
#define ENL "Residents of the left bank, who had to drive 40 kilometres around the river for a year and a half, welcomed the news.\n"
#define ENW "It was a long wait.\n"
static double merged_conf(const char *uk5)
{
    char uk[2048];
    snprintf(uk, sizeof uk, "%s%s", UK1 UK2 UK3 UK4, uk5);
    strcat(uk, UK6);
    am_text *t[2] = {text("en", EN1 EN2 EN3 EN4 ENL ENW EN6), text("uk", uk)};
    am_alignment *a = align_n(t, 2);
    char got[256];
    bead_types(got, sizeof got, a);
    assert_string_equal(got, "1-1 1-1 1-1 1-1 2-1 1-1");
    double conf = a->score[4];
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
    return conf;
}

/* A semicolon where the first of two sentences would end is evidence of a
 * merge (score.c, merge_cost): the 2-1 bead becomes sure (it was 0.75
 * before), a comma or a semicolon elsewhere leaves it in doubt; and two
 * benchmark documents whose "; " merges were split into a 1-1 and a 1-0
 * now match their gold exactly. */
static void test_semicolon_merge(void **state)
{
    (void)state;
    const char *tail = " чекати довелося довго.\n";
    char uk5[1024];
    const char *head = "Мешканці лівого берега, яким півтора року доводилося об'їжджати річку за 40 "
                       "кілометрів, зраділи новині";
    snprintf(uk5, sizeof uk5, "%s;%s", head, tail);
    assert_true(merged_conf(uk5) > 0.95);
    snprintf(uk5, sizeof uk5, "%s, бо%s", head, tail);
    assert_true(merged_conf(uk5) < 0.9);
    snprintf(uk5, sizeof uk5, "Мешканці; лівого берега, яким півтора року доводилося об'їжджати "
                              "річку за 40 кілометрів, зраділи новині, бо%s", tail);
    assert_true(merged_conf(uk5) < 0.9);
    expect_gold(AM_SHARED_DIR "/bench/align-ntrex/abcnews.306815");
    expect_gold(AM_SHARED_DIR "/bench/align-ntrex/bbc.381749");
}

/* A short, closely translated text estimates a strict length model; the
 * floor on its variance (score.c, est_pair) keeps one freer sentence
 * ("E-mail requests are answered within 2 working days.", 51 characters,
 * against 86) from pushing its neighbours out of their beads (it gave a
 * 0-1 and a 2-1 where the gold has two 1-1). */
static void test_length_model_floor(void **state)
{
    (void)state;
    expect_gold(AM_SOURCE_DIR "/corpora/embassy-consular");
}

/* Keys of class cls of sentence i, as a sorted array; returns the count. */
static size_t class_keys(uint32_t *out, const al_feat *f, size_t i, int cls)
{
    size_t n = 0;
    for (uint32_t k = f->key_off[i]; k < f->key_off[i + 1]; k++)
        if (AL_KEY_CLASS(f->keys[k]) == cls)
            out[n++] = f->keys[k];
    return n;
}

static void test_number_and_time_keys(void **state)
{
    (void)state;
    /* Digit grouping, decimal commas and 12/24-hour times are normalised;
     * a different number is a different key. */
    am_text *t = text("en", "It cost 20,000 euros, 12.5 % more, open 2 p.m. to 9:30 pm.\n"
                            "Коштувало 20 000 євро, на 12,5 % більше, відчинено з 14:00 до 21:30.\n"
                            "It cost 20,001 euros, 12.5 % more, open 2 a.m. to 9:30 pm.\n");
    al_feat f;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(al_feat_build(&f, t, &err), AM_OK);
    uint32_t a[16], b[16], c[16];
    size_t na = class_keys(a, &f, 0, AL_K_NUM), nb = class_keys(b, &f, 1, AL_K_NUM);
    size_t nc = class_keys(c, &f, 2, AL_K_NUM);
    assert_int_equal(na, 4);
    assert_int_equal(nb, 4);
    assert_memory_equal(a, b, sizeof a[0] * 4);
    assert_int_equal(nc, 4);
    assert_memory_not_equal(a, c, sizeof a[0] * 4);
    al_feat_free(&f);
    am_text_free(t);
}

/* A hand-made sequence: r holds begin, end for each version of each item,
 * brk[k] marks the breaks, conf[k] the confidences. */
static void mkseq(al_seq *s, size_t nv, const int *vers, size_t n, const size_t *r,
                  const unsigned char *brk, const double *conf)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->nv = nv;
    memcpy(s->vers, vers, nv * sizeof *vers);
    s->begin = calloc(n * nv + 1, sizeof *s->begin);
    s->end = calloc(n * nv + 1, sizeof *s->end);
    s->is_brk = calloc(n + 1, 1);
    s->run = calloc(n + 1, sizeof *s->run);
    s->conf = calloc(n + 1, sizeof *s->conf);
    assert_non_null(s->conf);
    for (size_t k = 0; k < n; k++) {
        for (size_t x = 0; x < nv; x++) {
            s->begin[k * nv + x] = r[(k * nv + x) * 2];
            s->end[k * nv + x] = r[(k * nv + x) * 2 + 1];
        }
        s->is_brk[k] = brk[k];
        s->conf[k] = conf[k];
    }
}

/* The joint path of en, uk, ru used by the join tests: a 1-1-1; en1 and
 * ru1 split from uk1 (the progressive path's typical error); a break;
 * a 1-1-1; en3 split from uk3-ru3. */
static void joint_path(al_seq *S)
{
    static const int vers[] = {0, 1, 2};
    static const size_t r[] = {0, 1, 0, 1, 0, 1, /**/ 1, 2, 1, 1, 1, 2, /**/ 2, 2, 1, 2, 2, 2,
                               2, 2, 2, 2, 2, 2, /**/ 2, 3, 2, 3, 2, 3, /**/ 3, 4, 3, 3, 3, 3,
                               4, 4, 3, 4, 3, 4};
    static const unsigned char brk[] = {0, 0, 0, 1, 0, 0, 0};
    static const double conf[] = {0.9, 0.7, 0.6, 1, 0.9, 0.8, 0.8};
    mkseq(S, 3, vers, 7, r, brk, conf);
}

static void expect_bead(const al_seq *S, size_t k, size_t e0, size_t e1, size_t u0, size_t u1,
                        size_t r0, size_t r1)
{
    const size_t want[] = {e0, e1, u0, u1, r0, r1};
    for (size_t x = 0; x < 3; x++) {
        assert_int_equal(S->begin[k * 3 + x], want[2 * x]);
        assert_int_equal(S->end[k * 3 + x], want[2 * x + 1]);
    }
}

static void test_join_pairwise_links(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    al_seq S, pairs[2];
    joint_path(&S);
    /* en-uk: en1-uk1 confidently (crosses the boundary between the split
     * beads), en3-uk3 only at 0.5 (ignored). */
    static const int enuk[] = {0, 1}, ukru[] = {1, 2};
    static const size_t r1[] = {0, 1, 0, 1, 1, 2, 1, 2, 2, 2, 2, 2, 2, 3, 2, 3, 3, 4, 3, 4};
    static const unsigned char b1[] = {0, 0, 1, 0, 0};
    static const double c1[] = {1, 0.99, 1, 1, 0.5};
    mkseq(&pairs[0], 2, enuk, 5, r1, b1, c1);
    /* uk-ru: a bead over the paragraph break (uk1-2 with ru1) is never
     * followed, though confident. */
    static const size_t r2[] = {0, 1, 0, 1, 1, 3, 1, 2};
    static const unsigned char b2[] = {0, 0};
    static const double c2[] = {1, 1};
    mkseq(&pairs[1], 2, ukru, 2, r2, b2, c2);
    assert_int_equal(al_join_links(&S, pairs, 2, 0.95, SIZE_MAX, &err), AM_OK);
    assert_int_equal(S.n, 6);
    expect_bead(&S, 0, 0, 1, 0, 1, 0, 1);
    expect_bead(&S, 1, 1, 2, 1, 2, 1, 2);
    assert_true(S.conf[1] == 0.6); /* the least of its parts */
    assert_true(S.is_brk[2]);
    expect_bead(&S, 3, 2, 3, 2, 3, 2, 3);
    expect_bead(&S, 4, 3, 4, 3, 3, 3, 3);
    expect_bead(&S, 5, 4, 4, 3, 4, 3, 4);
    al_seq_free(&S);
    al_seq_free(&pairs[0]);
    al_seq_free(&pairs[1]);
}

static void test_join_respects_max_side(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    static const int enuk[] = {0, 1};
    static const size_t r[] = {0, 2, 0, 2};
    static const unsigned char b[] = {0};
    static const double c[] = {1};
    al_seq S, pr;
    mkseq(&pr, 2, enuk, 1, r, b, c);
    /* en0-1 with uk0-1 crosses both boundaries before the break: with 2
     * sentences a side allowed, beads 0-2 become one. */
    joint_path(&S);
    assert_int_equal(al_join_links(&S, &pr, 1, 0.95, 2, &err), AM_OK);
    assert_int_equal(S.n, 5);
    expect_bead(&S, 0, 0, 2, 0, 2, 0, 2);
    al_seq_free(&S);
    /* With 1, bead 0 stays alone and only beads 1 and 2 join. */
    joint_path(&S);
    assert_int_equal(al_join_links(&S, &pr, 1, 0.95, 1, &err), AM_OK);
    assert_int_equal(S.n, 6);
    expect_bead(&S, 0, 0, 1, 0, 1, 0, 1);
    expect_bead(&S, 1, 1, 2, 1, 2, 1, 2);
    al_seq_free(&S);
    al_seq_free(&pr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_one),
        cmocka_unit_test(test_insertion_and_deletion),
        cmocka_unit_test(test_merge_beads),
        cmocka_unit_test(test_two_two_and_three),
        cmocka_unit_test(test_paragraph_breaks),
        cmocka_unit_test(test_three_way),
        cmocka_unit_test(test_empty_and_single),
        cmocka_unit_test(test_very_different_lengths),
        cmocka_unit_test(test_languages_without_table),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_confidence_means_something),
        cmocka_unit_test(test_benchmark_document),
        cmocka_unit_test(test_clause_breaks),
        cmocka_unit_test(test_semicolon_merge),
        cmocka_unit_test(test_length_model_floor),
        cmocka_unit_test(test_number_and_time_keys),
        cmocka_unit_test(test_join_pairwise_links),
        cmocka_unit_test(test_join_respects_max_side),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
