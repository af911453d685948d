/* test_tsv_read.c - reading back a corrected TSV alignment: the edits a
 * reviewer makes are taken exactly, the mistakes are refused with the line. */
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
#include "report/report.h"
#include "report/tsv_read.h"

typedef struct fake_text {
    am_text t;
    am_segment segs[8];
    char data[1024];
} fake_text;

static void fake_init(fake_text *f, const char *lang, const char *const *sents, size_t n)
{
    memset(f, 0, sizeof *f);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(sents[i]);
        memcpy(f->data + at, sents[i], len);
        f->segs[i] = (am_segment){at, len, 0};
        at += len;
        f->data[at++] = '\n';
    }
    f->t.data = f->data;
    f->t.size = at;
    snprintf(f->t.lang, sizeof f->t.lang, "%s", lang);
    f->t.segs = f->segs;
    f->t.n_segs = n;
    f->t.n_paragraphs = 1;
}

static const char *en_s[] = {"The council met on Monday.", "It approved 12 new schools.",
                             "A park was also planned.", "\"We need a deal,\" she said."};
static const char *uk_s[] = {"Рада зібралася в понеділок.", "Вона схвалила 12 нових шкіл.",
                             "Також заплановано парк.", "\"Нам потрібна угода\", – сказала вона."};

typedef struct fixture {
    fake_text en, uk;
    const am_text *v[2];
    char path[64];
    am_alignment *a;
    am_error err;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    fake_init(&f->en, "en", en_s, 4);
    fake_init(&f->uk, "uk", uk_s, 4);
    f->v[0] = &f->en.t;
    f->v[1] = &f->uk.t;
    snprintf(f->path, sizeof f->path, "/tmp/am-test-tsv-XXXXXX");
    int fd = mkstemp(f->path);
    close(fd);
    am_error_clear(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    am_alignment_free(f->a);
    free(f);
    return 0;
}

/* Write text to the fixture's file and read it back. */
static int read_tsv(fixture *f, const char *text)
{
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    am_alignment_free(f->a);
    f->a = NULL;
    am_error_clear(&f->err);
    return am_aligned_tsv_read(&f->a, f->path, f->v, 2, &f->err);
}

/* Assert bead b is en [e0, e1), uk [u0, u1) with this score. */
static void assert_bead(const am_alignment *a, size_t b, size_t e0, size_t e1, size_t u0, size_t u1,
                        double score)
{
    assert_true(b < a->n_beads);
    assert_int_equal(AM_BEAD_BEGIN(a, b, 0), e0);
    assert_int_equal(AM_BEAD_END(a, b, 0), e1);
    assert_int_equal(AM_BEAD_BEGIN(a, b, 1), u0);
    assert_int_equal(AM_BEAD_END(a, b, 1), u1);
    assert_float_equal(a->score[b], score, 1e-9);
}

static void test_round_trip_of_the_writer(void **state)
{
    fixture *f = *state;
    /* Beads: 1-1, 1-2, 2-1 (the writer's own output, unedited). */
    size_t begin[] = {0, 0, 1, 1, 2, 3}, end[] = {1, 1, 2, 3, 4, 4};
    double score[] = {0.97, 0.61, 0.755};
    am_alignment a = {2, 3, begin, end, score};
    FILE *fp = fopen(f->path, "wb");
    am_report_opts opts = {AM_REPORT_TSV, 0.8, NULL};
    assert_int_equal(am_report_write(fp, &a, f->v, 2, &opts, &f->err), AM_OK);
    fclose(fp);
    assert_int_equal(am_aligned_tsv_read(&f->a, f->path, f->v, 2, &f->err), AM_OK);
    assert_int_equal(f->a->n_versions, 2);
    assert_int_equal(f->a->n_beads, 3);
    assert_bead(f->a, 0, 0, 1, 0, 1, 0.97);
    assert_bead(f->a, 1, 1, 2, 1, 3, 0.61);
    assert_bead(f->a, 2, 2, 4, 3, 4, 0.755);
}

static void test_edits_are_taken(void **state)
{
    fixture *f = *state;
    /* Moved "Також заплановано парк." down to its partner, split the 2-1
     * bead, made a score empty (reviewer's bead: 1) and one "0,5". */
    assert_int_equal(read_tsv(f, "en\tuk\tscore\n"
                                 "The council met on Monday.\tРада зібралася в понеділок.\t0.970\n"
                                 "It approved 12 new schools.\tВона схвалила 12 нових шкіл.\t\n"
                                 "A park was also planned.\tТакож заплановано парк.\t0,5\n"
                                 "\"We need a deal,\" she said.\t\"Нам потрібна угода\", – сказала "
                                 "вона.\t0.9\n"),
                     AM_OK);
    assert_int_equal(f->a->n_beads, 4);
    assert_bead(f->a, 0, 0, 1, 0, 1, 0.97);
    assert_bead(f->a, 1, 1, 2, 1, 2, 1.0);
    assert_bead(f->a, 2, 2, 3, 2, 3, 0.5);
    assert_bead(f->a, 3, 3, 4, 3, 4, 0.9);
    /* Joined everything into two beads, white space changed, a blank line. */
    assert_int_equal(read_tsv(f,
                              "en\tuk\tscore\n"
                              "The council met on Monday.  It approved 12 new schools.\t"
                              "Рада зібралася в понеділок. Вона схвалила 12 нових шкіл.\t0.8\n"
                              "\n"
                              "A park was also planned. \"We need a deal,\"  she said.\t"
                              "Також заплановано парк.\"Нам потрібна угода\", – сказала вона.\t\n"),
                     AM_OK);
    assert_int_equal(f->a->n_beads, 2);
    assert_bead(f->a, 0, 0, 2, 0, 2, 0.8);
    assert_bead(f->a, 1, 2, 4, 2, 4, 1.0);
}

static void test_delete_and_empty_sides(void **state)
{
    fixture *f = *state;
    /* A 1-0 and a 0-1 bead; the middle bead is deleted by the reviewer;
     * columns in another order; an all-empty line is ignored. */
    assert_int_equal(read_tsv(f, "uk\ten\tscore\n"
                                 "Рада зібралася в понеділок.\tThe council met on Monday.\t0.9\n"
                                 "\tIt approved 12 new schools.\t0.2\n"
                                 "Вона схвалила 12 нових шкіл.\t\t0.3\n"
                                 "Також заплановано парк.\tA park was also planned.\tDelete\n"
                                 "\t\t\n"
                                 "\"Нам потрібна угода\", – сказала вона.\t\"We need a deal,\" she "
                                 "said.\t1\n"),
                     AM_OK);
    assert_int_equal(f->a->n_beads, 4);
    assert_bead(f->a, 0, 0, 1, 0, 1, 0.9);
    assert_bead(f->a, 1, 1, 2, 1, 1, 0.2);
    assert_bead(f->a, 2, 2, 2, 1, 2, 0.3);
    assert_bead(f->a, 3, 3, 4, 3, 4, 1.0);
}

static void test_spreadsheet_quirks(void **state)
{
    fixture *f = *state;
    /* BOM, CRLF, and cells quoted by a spreadsheet ("" for "). */
    assert_int_equal(read_tsv(f, "\xEF\xBB\xBF"
                                 "en\tuk\tscore\r\n"
                                 "The council met on Monday.\tРада зібралася в понеділок.\t0.9\r\n"
                                 "It approved 12 new schools. A park was also planned.\t"
                                 "Вона схвалила 12 нових шкіл. Також заплановано парк.\t0.9\r\n"
                                 "\"\"\"We need a deal,\"\" she said.\"\t"
                                 "\"\"\"Нам потрібна угода\"\", – сказала вона.\"\t0.9\r\n"),
                     AM_OK);
    assert_int_equal(f->a->n_beads, 3);
    assert_bead(f->a, 2, 3, 4, 3, 4, 0.9);
}

/* Each mistake: the code, the line, and the words. */
static void expect_fault(fixture *f, const char *tsv, long line, const char *message)
{
    assert_int_equal(read_tsv(f, tsv), AM_EINPUT);
    assert_null(f->a);
    assert_int_equal(f->err.line, line);
    assert_string_equal(f->err.where, f->path);
    if (!strstr(f->err.message, message))
        fail_msg("message '%s' lacks '%s'", f->err.message, message);
}

#define HEAD "en\tuk\tscore\n"
#define L1 "The council met on Monday.\tРада зібралася в понеділок.\t0.9\n"
#define L4 "\"We need a deal,\" she said.\t\"Нам потрібна угода\", – сказала вона.\t0.9\n"

static void test_mistakes_are_refused(void **state)
{
    fixture *f = *state;
    /* Cut and never pasted: en sentence 2 vanished. */
    expect_fault(f,
                 HEAD L1 "\tВона схвалила 12 нових шкіл.\t0.9\n"
                         "A park was also planned.\tТакож заплановано парк.\t0.9\n" L4,
                 4,
                 "en: sentence 2 (\"It approved 12 new schools.\") is missing: it is in no bead");
    /* Copied instead of moved: uk sentence 2 twice. */
    expect_fault(f,
                 HEAD L1 "It approved 12 new schools.\tВона схвалила 12 нових шкіл.\t0.9\n"
                         "A park was also planned.\tВона схвалила 12 нових шкіл. Також заплановано "
                         "парк.\t0.9\n" L4,
                 4,
                 "uk: sentence 2 (\"Вона схвалила 12 нових шкіл.\") appears twice: "
                 "it is already on line 3");
    /* Half a sentence moved. */
    expect_fault(f, HEAD L1 "It approved 12\tВона схвалила 12 нових шкіл.\t0.9\n", 3,
                 "en: the cell holds only the start of sentence 2");
    /* Text changed in the spreadsheet. */
    expect_fault(
        f, HEAD "The council met on Tuesday.\tРада зібралася в понеділок.\t0.9\n", 2,
        "en: the text differs from sentence 1 (\"The council met on Monday.\") at \"Tuesday.\": "
        "a sentence was changed");
    /* A column lost on one line. */
    expect_fault(f, HEAD L1 "It approved 12 new schools.\t0.9\n", 3,
                 "2 cells where the header has 3: a column is missing");
    /* A tab typed inside a cell. */
    expect_fault(f, HEAD L1 "It approved\t12 new schools.\tВона схвалила 12 нових шкіл.\t0.9\n", 3,
                 "4 cells where the header has 3: a tab inside a cell splits it in two");
    /* The whole uk column gone, and an unknown one. */
    expect_fault(f, "en\tscore\n", 1, "no column for version 'uk'");
    expect_fault(f, "en\tde\tscore\n", 1, "column 'de' is not one of the versions given");
    expect_fault(f, "en\tuk\n", 1, "no 'score' column");
    /* A score out of range. */
    expect_fault(f, HEAD "The council met on Monday.\tРада зібралася в понеділок.\t1.5\n", 2,
                 "the score '1.5' is not a confidence in [0, 1]");
    /* The last beads deleted: lost at the end (line 3 is the last). */
    expect_fault(f, HEAD L1 "It approved 12 new schools.\tВона схвалила 12 нових шкіл.\t0.9\n", 3,
                 "en: sentence 3 (\"A park was also planned.\") and the 1 after it missing at "
                 "the end");
    expect_fault(f, "", 1, "empty file");
}

static void test_unreadable(void **state)
{
    fixture *f = *state;
    am_error_clear(&f->err);
    assert_int_equal(am_aligned_tsv_read(&f->a, "/nonexistent/review.tsv", f->v, 2, &f->err),
                     AM_EIO);
    assert_null(f->a);
    assert_string_equal(f->err.where, "/nonexistent/review.tsv");
    /* Not UTF-8 (a spreadsheet's Windows-1251 export). */
    assert_int_equal(read_tsv(f, HEAD "\xD0\xE0\xE4\xE0\t\t\n"), AM_EINPUT);
    assert_non_null(strstr(f->err.message, "not valid UTF-8"));
    assert_int_equal(f->err.offset, 12);
    assert_int_equal(f->err.line, 2);
}

/* ---- the team's corpora: real raw text, real alignments, real edits ---- */

static char *write_tsv(const am_alignment *a, const am_text *const *v, size_t n, const char *path)
{
    am_error err;
    am_error_clear(&err);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    am_report_opts opts = {AM_REPORT_TSV, 0.8, NULL};
    assert_int_equal(am_report_write(fp, a, v, n, &opts, &err), AM_OK);
    fclose(fp);
    char *text = NULL;
    size_t len;
    assert_int_equal(am_read_file(&text, &len, path, &err), AM_OK);
    return text;
}

/* Read back and compare with a bead by bead, scores to the 3 decimals the
 * writer keeps. */
static void assert_reads_as(const char *path, const am_text *const *v, size_t n,
                            const am_alignment *a)
{
    am_error err;
    am_error_clear(&err);
    am_alignment *got = NULL;
    int rc = am_aligned_tsv_read(&got, path, v, n, &err);
    if (rc)
        fail_msg("%s:%ld: %s", err.where, err.line, err.message);
    assert_int_equal(got->n_beads, a->n_beads);
    assert_memory_equal(got->begin, a->begin, a->n_beads * n * sizeof(size_t));
    assert_memory_equal(got->end, a->end, a->n_beads * n * sizeof(size_t));
    for (size_t b = 0; b < a->n_beads; b++)
        assert_float_equal(got->score[b], a->score[b], 0.0005);
    am_alignment_free(got);
}

/* Reviewer edits expressed on the alignment: move the first sentence of
 * bead b+1's version v back into bead b, then join beads b+1 and b+2. */
static void edit_move_and_join(am_alignment *a, size_t v, size_t *b_out)
{
    size_t n = a->n_versions, b = 0;
    while (b + 2 < a->n_beads && AM_BEAD_BEGIN(a, b + 1, v) == AM_BEAD_END(a, b + 1, v))
        b++;
    assert_true(b + 2 < a->n_beads);
    AM_BEAD_END(a, b, v)++;
    AM_BEAD_BEGIN(a, b + 1, v)++;
    for (size_t w = 0; w < n; w++)
        AM_BEAD_END(a, b + 1, w) = AM_BEAD_END(a, b + 2, w);
    memmove(a->begin + (b + 2) * n, a->begin + (b + 3) * n,
            (a->n_beads - b - 3) * n * sizeof(size_t));
    memmove(a->end + (b + 2) * n, a->end + (b + 3) * n, (a->n_beads - b - 3) * n * sizeof(size_t));
    memmove(a->score + b + 2, a->score + b + 3, (a->n_beads - b - 3) * sizeof(double));
    a->n_beads--;
    *b_out = b;
}

/* Cut sentence k of version v out of the TSV text (as a reviewer who cuts
 * and forgets to paste); returns the 1-based line it was on. */
static long lose_sentence(char *tsv, const am_text *t, size_t k)
{
    char *needle = strndup(t->data + t->segs[k].offset, t->segs[k].length);
    char *hit = strstr(strchr(tsv, '\n'), needle);
    if (!hit)
        fail_msg("sentence %zu ('%s') not found in the TSV", k + 1, needle);
    long line = 1;
    for (char *p = tsv; p < hit; p++)
        line += *p == '\n';
    memmove(hit, hit + strlen(needle), strlen(hit + strlen(needle)) + 1);
    free(needle);
    return line;
}

static void round_trip_document(const char *dir, const char *path)
{
    static const char *langs[] = {"uk", "ru", "en"};
    am_text *t[3] = {NULL, NULL, NULL};
    am_alignment *a = NULL;
    am_error err;
    char file[1024]; /* dir comes from a 512-byte buffer: room for "/xx.txt" */
    for (int v = 0; v < 3; v++) {
        snprintf(file, sizeof file, "%s/%s.txt", dir, langs[v]);
        am_error_clear(&err);
        if (am_text_load(&t[v], file, langs[v], 0, &err))
            fail_msg("%s: %s", file, err.message);
    }
    const am_text *const *v = (const am_text *const *)t;
    am_error_clear(&err);
    assert_int_equal(am_align(&a, v, 3, NULL, &err), AM_OK);
    free(write_tsv(a, v, 3, path));
    assert_reads_as(path, v, 3, a); /* unedited */
    size_t b;
    edit_move_and_join(a, 2, &b);
    char *tsv = write_tsv(a, v, 3, path);
    assert_reads_as(path, v, 3, a); /* edited */
    /* Lose the first English sentence of the bead after the joined one. */
    size_t k = AM_BEAD_BEGIN(a, b + 1, 2) < AM_BEAD_END(a, b + 1, 2) ? AM_BEAD_BEGIN(a, b + 1, 2)
                                                                     : AM_BEAD_BEGIN(a, 0, 2);
    long line = lose_sentence(tsv, t[2], k);
    FILE *fp = fopen(path, "wb");
    fputs(tsv, fp);
    fclose(fp);
    am_alignment *got = NULL;
    am_error_clear(&err);
    assert_int_equal(am_aligned_tsv_read(&got, path, v, 3, &err), AM_EINPUT);
    assert_null(got);
    /* Reported on the line it vanished from, or the next line holding en. */
    assert_true(err.line >= line);
    char want[64];
    snprintf(want, sizeof want, "en: sentence %zu (", k + 1);
    if (!strstr(err.message, want))
        fail_msg("%s: line %ld: '%s' lacks '%s'", dir, err.line, err.message, want);
    free(tsv);
    am_alignment_free(a);
    for (int i = 0; i < 3; i++)
        am_text_free(t[i]);
}

static void test_corpora_round_trip(void **state)
{
    fixture *f = *state;
    static const char *docs[] = {
        "court-ruling-kyiv", "culture-festival",     "embassy-consular", "grain-export-agreement",
        "heating-season",    "mfa-crimea-elections", "sports-football",  "weather-warning"};
    char dir[512];
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        snprintf(dir, sizeof dir, "%s/corpora/%s", AM_SOURCE_DIR, docs[i]);
        if (access(dir, R_OK) != 0)
            fail_msg("the team's corpus %s is missing", dir);
        round_trip_document(dir, f->path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_of_the_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edits_are_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_and_empty_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spreadsheet_quirks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mistakes_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corpora_round_trip, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return failed;
}
