/* test_ui.c - the html review page (rendered from hand-built alignments)
 * and the progress bar layout. */
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
#include "cli/cli.h"
#include "cli/progress.h"
#include "report/report.h"

/* A version built by hand: sentences and their paragraph numbers, so these
 * tests do not depend on the segmenter. */
typedef struct fake_text {
    am_text t;
    am_segment segs[16];
    char data[4096];
} fake_text;

static void fake_init(fake_text *f, const char *lang, const char *const *sents, const int *paras,
                      size_t n)
{
    memset(f, 0, sizeof *f);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(sents[i]);
        assert_true(at + len + 2 < sizeof f->data);
        memcpy(f->data + at, sents[i], len);
        f->segs[i].offset = at;
        f->segs[i].length = len;
        f->segs[i].paragraph = paras ? paras[i] : 0;
        at += len;
        f->data[at++] = '\n';
    }
    f->data[at] = '\0';
    f->t.data = f->data;
    f->t.size = at;
    snprintf(f->t.lang, sizeof f->t.lang, "%s", lang);
    f->t.segs = f->segs;
    f->t.n_segs = n;
    f->t.n_paragraphs = n ? f->segs[n - 1].paragraph + 1 : 0;
}

/* An alignment from a table of per-bead ranges: ranges[b][v] = {begin, end}. */
typedef struct fake_align {
    am_alignment a;
    size_t begin[32], end[32];
    double score[16];
} fake_align;

static void align_init(fake_align *f, size_t n_versions, size_t n_beads, const size_t (*ranges)[2],
                       const double *scores)
{
    memset(f, 0, sizeof *f);
    f->a.n_versions = n_versions;
    f->a.n_beads = n_beads;
    f->a.begin = f->begin;
    f->a.end = f->end;
    f->a.score = f->score;
    for (size_t i = 0; i < n_versions * n_beads; i++) {
        f->begin[i] = ranges[i][0];
        f->end[i] = ranges[i][1];
    }
    memcpy(f->score, scores, n_beads * sizeof *scores);
}

/* Render to a string; the caller frees it. */
static char *render(int *rc_out, const am_alignment *a, const am_text *const *v, size_t n,
                    double flag_below, am_error *err)
{
    char *page = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&page, &len);
    assert_non_null(fp);
    am_report_opts opts = {AM_REPORT_HTML, flag_below, "Review <test>"};
    *rc_out = am_report_html(fp, a, v, n, &opts, err);
    fclose(fp);
    return page;
}

static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        k++;
    return k;
}

/* en: 5 sentences in 2 paragraphs; uk: 5 sentences. Beads:
 * 1: 1-1, 2: 1-2 (weak), 3: 1-0, then a new paragraph, 4: 1-1, 5: 0-1... */
static const char *en_s[] = {"The council met on Monday.", "It approved 12 new schools and a park.",
                             "Read more on our site.", "A second paragraph starts here.",
                             "Costs rose by 5,000 euros."};
static const int en_p[] = {0, 0, 0, 1, 1};
static const char *uk_s[] = {"Рада зібралася в понеділок.", "Вона схвалила 12 нових шкіл.",
                             "І ще парк.", "Тут починається другий абзац.",
                             "Витрати зросли на 5 000 євро."};
static const int uk_p[] = {0, 0, 0, 1, 1};

static char *render_basic(int *rc, fake_text *en, fake_text *uk, double flag_below)
{
    static fake_align fa;
    static const size_t r[][2] = {{0, 1}, {0, 1}, {1, 2}, {1, 3}, {2, 3},
                                  {3, 3}, {3, 4}, {3, 4}, {4, 5}, {4, 5}};
    static const double sc[] = {0.97, 0.73, 0.41, 0.8, 0.91};
    fake_init(en, "en", en_s, en_p, 5);
    fake_init(uk, "uk", uk_s, uk_p, 5);
    align_init(&fa, 2, 5, r, sc);
    const am_text *v[] = {&en->t, &uk->t};
    am_error err;
    am_error_clear(&err);
    return render(rc, &fa.a, v, 2, flag_below, &err);
}

static void test_html_beads_and_flags(void **state)
{
    (void)state;
    fake_text en, uk;
    int rc;
    char *page = render_basic(&rc, &en, &uk, 0.8);
    assert_int_equal(rc, AM_OK);
    assert_non_null(strstr(page, "<tr class=\"bead\" data-bead=\"1\" data-type=\"1-1\" "
                                 "data-score=\"0.97\">"));
    assert_non_null(strstr(page, "<tr class=\"bead flag uneven\" data-bead=\"2\" "
                                 "data-type=\"1-2\" data-score=\"0.73\">"));
    assert_non_null(strstr(page, "<tr class=\"bead flag uneven\" data-bead=\"3\" "
                                 "data-type=\"1-0\" data-score=\"0.41\">"));
    /* Exactly at the threshold is not below it. */
    assert_non_null(strstr(page, "<tr class=\"bead\" data-bead=\"4\" data-type=\"1-1\" "
                                 "data-score=\"0.80\">"));
    assert_int_equal(count(page, "<tr class=\"bead"), 5);
    /* Each bead can be linked to: page.html#b2. */
    assert_non_null(strstr(page, "data-score=\"0.73\"><td class=\"meta\"><a id=\"b2\" "
                                 "href=\"#b2\">#2</a><span class=\"type\">1-2</span>"
                                 "<span class=\"score\">0.73</span></td>"));
    assert_int_equal(count(page, "<tr class=\"bead flag"), 2);
    /* The 1-2 bead holds both Ukrainian sentences, in order, in one cell. */
    assert_non_null(strstr(page, "<td dir=\"auto\" lang=\"uk\"><span class=\"s\" data-s=\"2\">"
                                 "<span class=\"sn\">2</span>Вона схвалила 12 нових шкіл.</span> "
                                 "<span class=\"s\" data-s=\"3\"><span class=\"sn\">3</span>"
                                 "І ще парк.</span></td>"));
    /* The 1-0 bead shows an empty Ukrainian side. */
    assert_non_null(strstr(page, "<td class=\"empty\" lang=\"uk\">(no counterpart)</td>"));
    assert_non_null(strstr(page, "<span id=\"n-beads\">5</span> beads, "
                                 "<span id=\"n-flagged\">2</span> below 0.80"));
    free(page);
}

static void test_html_paragraph_separator(void **state)
{
    (void)state;
    fake_text en, uk;
    int rc;
    char *page = render_basic(&rc, &en, &uk, 0.8);
    assert_int_equal(rc, AM_OK);
    assert_int_equal(count(page, "<tr class=\"para\">"), 1);
    const char *sep = strstr(page, "<tr class=\"para\"><td colspan=\"3\">¶ paragraph 2</td></tr>\n"
                                   "<tr class=\"bead\" data-bead=\"4\"");
    assert_non_null(sep);
    free(page);
}

static void test_html_number_mismatch(void **state)
{
    (void)state;
    static const char *a_s[] = {"They paid 5,000 dollars in 2019, up 12.4 percent.",
                                "Room 7 on floor 3."};
    static const char *b_s[] = {
        "Вони заплатили 5 000 доларів у 2018 році, на 12,4 відсотка більше.",
        "Кімната 7, поверх 3."};
    static const size_t r[][2] = {{0, 1}, {0, 1}, {1, 2}, {1, 2}};
    static const double sc[] = {0.9, 0.9};
    fake_text a, b;
    fake_align fa;
    fake_init(&a, "en", a_s, NULL, 2);
    fake_init(&b, "uk", b_s, NULL, 2);
    align_init(&fa, 2, 2, r, sc);
    const am_text *v[] = {&a.t, &b.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    char *page = render(&rc, &fa.a, v, 2, 0.8, &err);
    assert_int_equal(rc, AM_OK);
    assert_non_null(strstr(page, "in <mark class=\"num-mismatch\">2019</mark>, up 12.4 percent."));
    assert_non_null(strstr(page, "у <mark class=\"num-mismatch\">2018</mark> році"));
    /* Grouping and decimal marks differ but the values agree: 2 marks in all
     * (one in the legend). */
    assert_int_equal(count(page, "<mark class=\"num-mismatch\">"), 3);
    assert_non_null(strstr(page, "They paid 5,000 dollars"));
    /* "7," in "Кімната 7, поверх 3." is not a decimal 7.3 wrongly compared. */
    assert_null(strstr(page, "<mark class=\"num-mismatch\">7"));
    free(page);
}

static void test_html_numbers_grouping_rules(void **state)
{
    (void)state;
    /* A space only groups thousands: "2019 2" is two numbers, and "1.50" is
     * "1.5"; "007" is "7". Every number here has its match. */
    static const char *a_s[] = {"In 2019 2 teams scored 1.50 and agent 007 won 10.000 coins."};
    static const char *b_s[] = {"У 2019 році 2 команди набрали 1,5, агент 7 виграв 10000 монет."};
    static const size_t r[][2] = {{0, 1}, {0, 1}};
    static const double sc[] = {0.9};
    fake_text a, b;
    fake_align fa;
    fake_init(&a, "en", a_s, NULL, 1);
    fake_init(&b, "uk", b_s, NULL, 1);
    align_init(&fa, 2, 1, r, sc);
    const am_text *v[] = {&a.t, &b.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    char *page = render(&rc, &fa.a, v, 2, 0.8, &err);
    assert_int_equal(rc, AM_OK);
    assert_int_equal(count(page, "<mark class=\"num-mismatch\">"), 1); /* the legend only */
    free(page);
}

static void test_html_numbers_powers_of_thousand(void **state)
{
    (void)state;
    /* "96 тис." is 96,000 and "31,2 тыс." 31,200; 12 is not 1,200; the
     * zeros of "8:00" are not checked. */
    static const char *a_s[] = {"Some 96,000 homes; 31,200 tonnes; 12 boilers; from 8 a.m."};
    static const char *b_s[] = {"Близько 96 тис. осель; 31,2 тис. т; 1200 котлів; з 8:00."};
    static const size_t r[][2] = {{0, 1}, {0, 1}};
    static const double sc[] = {0.9};
    fake_text a, b;
    fake_align fa;
    fake_init(&a, "en", a_s, NULL, 1);
    fake_init(&b, "uk", b_s, NULL, 1);
    align_init(&fa, 2, 1, r, sc);
    const am_text *v[] = {&a.t, &b.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    char *page = render(&rc, &fa.a, v, 2, 0.8, &err);
    assert_int_equal(rc, AM_OK);
    assert_non_null(strstr(page, "; <mark class=\"num-mismatch\">12</mark> boilers"));
    assert_non_null(strstr(page, "; <mark class=\"num-mismatch\">1200</mark> котлів"));
    assert_int_equal(count(page, "<mark class=\"num-mismatch\">"), 3); /* with the legend */
    free(page);
}

static void test_html_escaping_and_self_contained(void **state)
{
    (void)state;
    static const char *a_s[] = {"<script>alert(\"x\") & 'y'</script>"};
    static const char *b_s[] = {"Текст <b>жирний</b>"};
    static const size_t r[][2] = {{0, 1}, {0, 1}};
    static const double sc[] = {0.5};
    fake_text a, b;
    fake_align fa;
    fake_init(&a, "en", a_s, NULL, 1);
    fake_init(&b, "uk", b_s, NULL, 1);
    align_init(&fa, 2, 1, r, sc);
    const am_text *v[] = {&a.t, &b.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    char *page = render(&rc, &fa.a, v, 2, 0.8, &err);
    assert_int_equal(rc, AM_OK);
    assert_non_null(strstr(page, "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;"
                                 "&lt;/script&gt;"));
    assert_non_null(strstr(page, "Текст &lt;b&gt;жирний&lt;/b&gt;"));
    assert_non_null(strstr(page, "<title>Review &lt;test&gt;</title>"));
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<b>жирний"));
    /* Nothing is fetched: no links, no external sources. */
    assert_null(strstr(page, "http:"));
    assert_null(strstr(page, "https:"));
    assert_null(strstr(page, "src="));
    assert_null(strstr(page, "<link"));
    assert_non_null(strstr(page, "@media print"));
    assert_non_null(strstr(page, "<meta charset=\"utf-8\">"));
    free(page);
}

static void test_html_three_versions(void **state)
{
    (void)state;
    static const char *e[] = {"One.", "Two."};
    static const char *u[] = {"Один.", "Два."};
    static const char *r_[] = {"Один и два."};
    /* bead 1: 1-1-1, bead 2: 1-1-0; truncated, not rounded: 0.799 is 0.79. */
    static const size_t r[][2] = {{0, 1}, {0, 1}, {0, 1}, {1, 2}, {1, 2}, {1, 1}};
    static const double sc[] = {0.95, 0.799};
    fake_text a, b, c;
    fake_align fa;
    fake_init(&a, "en", e, NULL, 2);
    fake_init(&b, "uk", u, NULL, 2);
    fake_init(&c, "ru", r_, NULL, 1);
    align_init(&fa, 3, 2, r, sc);
    const am_text *v[] = {&a.t, &b.t, &c.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    char *page = render(&rc, &fa.a, v, 3, 0.8, &err);
    assert_int_equal(rc, AM_OK);
    assert_non_null(strstr(page, "data-bead=\"1\" data-type=\"1-1-1\" data-score=\"0.95\""));
    assert_non_null(strstr(page, "<tr class=\"bead flag uneven\" data-bead=\"2\" "
                                 "data-type=\"1-1-0\" data-score=\"0.79\">"));
    assert_non_null(strstr(page, "<th lang=\"ru\">ru <span class=\"count\">1</span></th>"));
    free(page);
}

static void test_html_errors(void **state)
{
    (void)state;
    static const char *e[] = {"One."};
    static const size_t r[][2] = {{0, 1}, {0, 2}};
    static const double sc[] = {0.9};
    fake_text a, b;
    fake_align fa;
    fake_init(&a, "en", e, NULL, 1);
    fake_init(&b, "uk", e, NULL, 1);
    align_init(&fa, 2, 1, r, sc);
    const am_text *v[] = {&a.t, &b.t};
    am_error err;
    am_error_clear(&err);
    int rc;
    /* Bead 1 claims a second sentence that version 2 does not have. */
    char *page = render(&rc, &fa.a, v, 2, 0.8, &err);
    assert_int_equal(rc, AM_EARG);
    assert_string_equal(err.message, "bead 1 does not fit version 2");
    free(page);
    /* Version count disagrees with the alignment. */
    am_error_clear(&err);
    page = render(&rc, &fa.a, v, 1, 0.8, &err);
    assert_int_equal(rc, AM_EARG);
    free(page);
    /* A full disk is an I/O error, not a silent truncated page. */
    FILE *full = fopen("/dev/full", "w");
    assert_non_null(full);
    fa.end[1] = 1; /* now a valid 1-1 bead */
    am_error_clear(&err);
    am_report_opts opts = {AM_REPORT_HTML, 0.8, NULL};
    assert_int_equal(am_report_html(full, &fa.a, v, 2, &opts, &err), AM_EIO);
    assert_int_equal(err.code, AM_EIO);
    fclose(full);
}

/* ---------------------------------------------------------------- progress */

static void test_progress_layout(void **state)
{
    (void)state;
    char line[256];
    cli_progress_format(line, sizeof line, "aligning", 250, 1000, 2.0, 80);
    assert_string_equal(line, "aligning [#########---------------------------] "
                              "250/1000  25%  125/s  0:06 left");
    assert_true(strlen(line) < 80);
    /* Too narrow for a bar: the figures stay. */
    cli_progress_format(line, sizeof line, "aligning", 250, 1000, 2.0, 40);
    assert_string_equal(line, "aligning 250/1000  25%  125/s  0:06 left");
    /* Unknown total: count and rate only. */
    cli_progress_format(line, sizeof line, "importing", 1500, 0, 3.0, 80);
    assert_string_equal(line, "importing 1500  500/s");
    /* Nothing measurable yet. */
    cli_progress_format(line, sizeof line, "export", 0, 10, 0.0, 60);
    assert_string_equal(line, "export [-----------------------] 0/10   0%  -/s  --:-- left");
    /* Long jobs: hours, and thousands per second. */
    cli_progress_format(line, sizeof line, "add", 20000, 1000000, 1.0, 30);
    assert_string_equal(line, "add 20000/1000000   2%  20.0k/s  0:49 left");
    cli_progress_format(line, sizeof line, "add", 10, 100000, 1.0, 30);
    assert_string_equal(line, "add 10/100000   0%  10/s  2:46:39 left");
    /* More done than announced is shown as complete, never past 100%. */
    cli_progress_format(line, sizeof line, "x", 12, 10, 1.0, 20);
    assert_string_equal(line, "x 10/10 100%  12/s  0:00 left");
}

/* Run fn with stderr going to a temporary file; return what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/am-test-ui-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    char *text = NULL;
    size_t len = 0;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_read_file(&text, &len, path, &err), AM_OK);
    unlink(path);
    return text;
}

static void run_bar(void)
{
    cli_progress_start("aligning", 3);
    cli_progress_update(1);
    cli_progress_update(3); /* the last one always draws */
    cli_progress_end();
    cli_progress_update(2); /* after the end: nothing */
    cli_progress_end();
}

static void test_progress_only_when_shown(void **state)
{
    (void)state;
    cli_show_progress = 0; /* not a terminal, or --quiet */
    char *quiet = capture_stderr(run_bar);
    assert_string_equal(quiet, "");
    free(quiet);
    cli_show_progress = 1;
    char *shown = capture_stderr(run_bar);
    cli_show_progress = 0;
    assert_memory_equal(shown, "\raligning [", 11);
    assert_non_null(strstr(shown, "] 3/3 100%"));
    /* The bar erases itself, so later messages start on a clean line. */
    size_t n = strlen(shown);
    assert_true(n > 4);
    assert_string_equal(shown + n - 4, "\r\033[K");
    free(shown);
}

/* Parse argv with a table that has --quiet; return cli_show_progress after. */
static int progress_after(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    cli_show_progress = 1;
    optind = 0;
    while (cli_getopt(argc, argv, "qh", opts) != -1)
        ;
    int shown = cli_show_progress;
    cli_show_progress = 0;
    return shown;
}

static void test_quiet_silences_progress(void **state)
{
    (void)state;
    char a0[] = "add", a1[] = "--quiet", a2[] = "-q", a3[] = "-h", a4[] = "file";
    char *long_form[] = {a0, a1, a4, NULL};
    char *short_form[] = {a0, a2, a4, NULL};
    char *neither[] = {a0, a3, a4, NULL};
    assert_int_equal(progress_after(3, long_form), 0);
    assert_int_equal(progress_after(3, short_form), 0);
    assert_int_equal(progress_after(3, neither), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_beads_and_flags),
        cmocka_unit_test(test_html_paragraph_separator),
        cmocka_unit_test(test_html_number_mismatch),
        cmocka_unit_test(test_html_numbers_grouping_rules),
        cmocka_unit_test(test_html_numbers_powers_of_thousand),
        cmocka_unit_test(test_html_escaping_and_self_contained),
        cmocka_unit_test(test_html_three_versions),
        cmocka_unit_test(test_html_errors),
        cmocka_unit_test(test_progress_layout),
        cmocka_unit_test(test_progress_only_when_shown),
        cmocka_unit_test(test_quiet_silences_progress),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return failed;
}
