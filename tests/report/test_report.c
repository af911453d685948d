/* test_report.c - the jsonl and tsv renderings, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"

static am_text *text(const char *lang, const char *body)
{
    am_text *t = NULL;
    am_error err;
    am_error_clear(&err);
    if (am_text_from_bytes(&t, body, strlen(body), "test", lang, 1, &err))
        fail_msg("am_text_from_bytes: %s", err.message);
    return t;
}

/* Beads given as "b0 e0 b1 e1 ..." per bead, version-major inside a bead. */
static am_alignment *alignment(size_t nv, size_t nb, const size_t *ranges, const double *scores)
{
    am_alignment *a = calloc(1, sizeof *a);
    a->n_versions = nv;
    a->n_beads = nb;
    a->begin = calloc(nb * nv, sizeof *a->begin);
    a->end = calloc(nb * nv, sizeof *a->end);
    a->score = calloc(nb, sizeof *a->score);
    for (size_t b = 0; b < nb; b++) {
        for (size_t v = 0; v < nv; v++) {
            AM_BEAD_BEGIN(a, b, v) = ranges[(b * nv + v) * 2];
            AM_BEAD_END(a, b, v) = ranges[(b * nv + v) * 2 + 1];
        }
        a->score[b] = scores[b];
    }
    return a;
}

/* Render into a string (caller frees); returns the am_report_write code. */
static int render(char **out, int format, const am_alignment *a, am_text **t, size_t n)
{
    size_t len;
    FILE *fp = open_memstream(out, &len);
    am_report_opts opts = {format, 0.8, "t"};
    am_error err;
    am_error_clear(&err);
    int rc = am_report_write(fp, a, (const am_text *const *)t, n, &opts, &err);
    fclose(fp);
    return rc;
}

static void test_jsonl_exact(void **state)
{
    (void)state;
    am_text *t[2] = {text("en", "He said \"yes\".\nA\\B\ttab.\nLast one.\n"),
                     text("uk", "Він сказав «так».\nОстаннє.\n")};
    const size_t r[] = {0, 1, 0, 1, 1, 2, 1, 1, 2, 3, 1, 2};
    const double s[] = {0.93, 0.5, 1};
    am_alignment *a = alignment(2, 3, r, s);
    char *out = NULL;
    assert_int_equal(render(&out, AM_REPORT_JSONL, a, t, 2), AM_OK);
    assert_string_equal(
        out, "{\"en\": [\"He said \\\"yes\\\".\"], \"uk\": [\"Він сказав «так».\"], "
             "\"ids\": {\"en\": [1], \"uk\": [1]}, \"score\": 0.930}\n"
             "{\"en\": [\"A\\\\B\\ttab.\"], \"uk\": [], \"ids\": {\"en\": [2], \"uk\": []}, "
             "\"score\": 0.500}\n"
             "{\"en\": [\"Last one.\"], \"uk\": [\"Останнє.\"], \"ids\": {\"en\": [3], \"uk\": [2]}, "
             "\"score\": 1.000}\n");
    free(out);
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

static void test_tsv_exact_and_names(void **state)
{
    (void)state;
    /* Two versions in one language get distinct column names. */
    am_text *t[3] = {text("en", "One.\nTwo\tparts.\nThree.\n"), text("uk", "Один і два.\nТри.\n"),
                     text("en", "One and two.\nThree.\n")};
    const size_t r[] = {0, 2, 0, 1, 0, 1, 2, 3, 1, 2, 1, 2};
    const double s[] = {0.25, 0.875};
    am_alignment *a = alignment(3, 2, r, s);
    char *out = NULL;
    assert_int_equal(render(&out, AM_REPORT_TSV, a, t, 3), AM_OK);
    assert_string_equal(out, "en\tuk\ten.2\tscore\n"
                             "One. Two parts.\tОдин і два.\tOne and two.\t0.250\n"
                             "Three.\tТри.\tThree.\t0.875\n");
    free(out);
    am_alignment_free(a);
    for (int v = 0; v < 3; v++)
        am_text_free(t[v]);
}

static void test_errors(void **state)
{
    (void)state;
    am_text *t[2] = {text("en", "One.\n"), text("uk", "Один.\n")};
    const size_t bad[] = {0, 1, 0, 2}; /* uk has one sentence, not two */
    const double s[] = {1};
    am_alignment *a = alignment(2, 1, bad, s);
    char *out = NULL;
    assert_int_equal(render(&out, AM_REPORT_JSONL, a, t, 2), AM_EARG);
    free(out);
    out = NULL;
    assert_int_equal(render(&out, 42, a, t, 2), AM_EARG);
    free(out);
    out = NULL;
    assert_int_equal(render(&out, AM_REPORT_TSV, a, t, 1), AM_EARG); /* 2 versions vs 1 */
    free(out);
    am_alignment_free(a);
    am_text_free(t[0]);
    am_text_free(t[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_exact),
        cmocka_unit_test(test_tsv_exact_and_names),
        cmocka_unit_test(test_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
