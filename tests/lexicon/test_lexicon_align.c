/* test_lexicon_align.c - the aligner with lexicons of the memory
 * (am_align_opts.lexicons): a lexicon for other languages or an empty one
 * changes nothing, one learned from parallel text raises strict F1 on the
 * align-ntrex benchmark (../shared), and one learned from misaligned text
 * (noise) does not lower it: the class weights come from the document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"

#define BENCH AM_SHARED_DIR "/bench/align-ntrex"
#define MAX_DOCS 200

typedef struct doc {
    am_text *en, *uk;
    int (*gold)[4]; /* en first, en count, uk first, uk count (1-based) */
    size_t n_gold;
} doc;

static doc docs[MAX_DOCS];
static size_t n_docs;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void parse_ids(const char *s, int *first, int *n)
{
    *first = *n = 0;
    while (*s && *s != '\t' && *s != '\n') {
        int x = (int)strtol(s, (char **)&s, 10);
        if (!*n)
            *first = x;
        (*n)++;
        if (*s == ',')
            s++;
    }
}

static void load_doc(doc *d, const char *name)
{
    char path[1024], line[512];
    am_error err;
    am_error_clear(&err);
    snprintf(path, sizeof path, "%s/%s/en.sent", BENCH, name);
    if (am_text_load(&d->en, path, "en", 1, &err))
        fail_msg("shared data missing (%s): %s - see shared/README.md", path, err.message);
    snprintf(path, sizeof path, "%s/%s/uk.sent", BENCH, name);
    assert_int_equal(am_text_load(&d->uk, path, "uk", 1, &err), AM_OK);
    snprintf(path, sizeof path, "%s/%s/gold.en-uk.tsv", BENCH, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n')
            continue;
        d->gold = realloc(d->gold, (d->n_gold + 1) * sizeof *d->gold);
        assert_non_null(d->gold);
        int *g = d->gold[d->n_gold++];
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        parse_ids(line, &g[0], &g[1]);
        parse_ids(tab + 1, &g[2], &g[3]);
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    char *names[MAX_DOCS];
    DIR *dh = opendir(BENCH);
    if (!dh)
        fail_msg("shared data missing: %s - see shared/README.md", BENCH);
    struct dirent *e;
    while ((e = readdir(dh)) && n_docs < MAX_DOCS)
        if (e->d_name[0] != '.')
            names[n_docs++] = strdup(e->d_name);
    closedir(dh);
    assert_int_equal(n_docs, 123);
    qsort(names, n_docs, sizeof *names, cmp_str);
    for (size_t k = 0; k < n_docs; k++) {
        load_doc(&docs[k], names[k]);
        free(names[k]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t k = 0; k < n_docs; k++) {
        am_text_free(docs[k].en);
        am_text_free(docs[k].uk);
        free(docs[k].gold);
    }
    return 0;
}

/* Strict bead F1 of en-uk over the benchmark, and every alignment's beads
 * and scores appended to trace (to compare runs exactly). */
static double f1_en_uk(const am_lexicon *const *lex, size_t n_lex, am_buf *trace)
{
    double tp = 0, npred = 0, ngold = 0;
    for (size_t k = 0; k < n_docs; k++) {
        const am_text *v[2] = {docs[k].en, docs[k].uk};
        am_align_opts opts = AM_ALIGN_OPTS_INIT;
        opts.lexicons = lex;
        opts.n_lexicons = n_lex;
        am_alignment *a = NULL;
        am_error err;
        am_error_clear(&err);
        if (am_align(&a, v, 2, &opts, &err))
            fail_msg("am_align: %s", err.message);
        npred += (double)a->n_beads;
        ngold += (double)docs[k].n_gold;
        for (size_t i = 0; i < a->n_beads; i++) {
            int b[4] = {(int)a->begin[2 * i] + 1, (int)(a->end[2 * i] - a->begin[2 * i]),
                        (int)a->begin[2 * i + 1] + 1,
                        (int)(a->end[2 * i + 1] - a->begin[2 * i + 1])};
            if (!b[1])
                b[0] = 0;
            if (!b[3])
                b[2] = 0;
            for (size_t j = 0; j < docs[k].n_gold; j++)
                if (!memcmp(b, docs[k].gold[j], sizeof b)) {
                    tp++;
                    break;
                }
            if (trace)
                assert_int_equal(am_buf_printf(trace, "%zu %d %d %d %d %.17g\n", k, b[0], b[1],
                                               b[2], b[3], a->score[i]),
                                 AM_OK);
        }
        am_alignment_free(a);
    }
    double p = tp / npred, r = tp / ngold;
    return 2 * p * r / (p + r);
}

static char **read_lines(const char *path, size_t *n_out)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    am_error err;
    am_error_clear(&err);
    if (am_read_file(&data, &len, path, &err))
        fail_msg("shared data missing (%s): %s - see shared/README.md", path, err.message);
    char **lines = calloc(len + 2, sizeof *lines);
    assert_non_null(lines);
    for (char *p = data, *e; p < data + len; p = e + 1) {
        e = strchr(p, '\n');
        if (!e)
            e = data + len;
        lines[n++] = strndup(p, (size_t)(e - p));
    }
    free(data);
    *n_out = n;
    return lines;
}

/* A lexicon uk-en (the other order than the versions) from NTREX-128's
 * parallel lines, line i of uk with line i + shift of en. */
static am_lexicon *learn_ntrex(int shift)
{
    size_t ne, nu;
    char **en = read_lines(AM_SHARED_DIR "/data/ntrex128/en.txt", &ne);
    char **uk = read_lines(AM_SHARED_DIR "/data/ntrex128/uk.txt", &nu);
    assert_int_equal(ne, nu);
    am_lexicon *lx = NULL;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_lexicon_new(&lx, "uk-UA", "en", &err), AM_OK);
    for (size_t i = 0; i + (size_t)shift < ne; i++)
        assert_int_equal(am_lexicon_count(lx, uk[i], strlen(uk[i]), en[i + shift],
                                          strlen(en[i + shift]), 0, 1, &err),
                         AM_OK);
    for (size_t i = 0; i < ne; i++) {
        free(en[i]);
        free(uk[i]);
    }
    free(en);
    free(uk);
    return lx;
}

static void test_no_matching_lexicon_changes_nothing(void **state)
{
    (void)state;
    am_buf none = AM_BUF_INIT, other = AM_BUF_INIT;
    am_error err;
    am_error_clear(&err);
    double f_none = f1_en_uk(NULL, 0, &none);
    /* A lexicon of other languages, and an empty one of these. */
    am_lexicon *de = NULL, *empty = NULL;
    assert_int_equal(am_lexicon_new(&de, "en", "de", &err), AM_OK);
    assert_int_equal(am_lexicon_count(de, "the house", 9, "das Haus", 8, 0, 5, &err), AM_OK);
    assert_int_equal(am_lexicon_new(&empty, "uk", "en", &err), AM_OK);
    const am_lexicon *lex[2] = {de, empty};
    double f_other = f1_en_uk(lex, 2, &other);
    assert_true(f_none > 0.95);
    assert_true(f_other == f_none);
    assert_int_equal(other.len, none.len);
    assert_memory_equal(other.data, none.data, none.len);
    am_lexicon_free(de);
    am_lexicon_free(empty);
    am_buf_free(&none);
    am_buf_free(&other);
}

static void test_lexicon_helps_noise_does_not_hurt(void **state)
{
    (void)state;
    double f_none = f1_en_uk(NULL, 0, NULL);
    am_lexicon *good = learn_ntrex(0), *noise = learn_ntrex(1);
    const am_lexicon *with_good[1] = {good}, *with_noise[1] = {noise};
    double f_good = f1_en_uk(with_good, 1, NULL), f_noise = f1_en_uk(with_noise, 1, NULL);
    print_message("en-uk strict F1: no lexicon %.4f, learned %.4f, learned from misaligned "
                  "lines %.4f\n",
                  f_none, f_good, f_noise);
    assert_true(f_good >= f_none + 0.01);
    assert_true(f_noise >= f_none - 0.002);
    am_lexicon_free(good);
    am_lexicon_free(noise);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_matching_lexicon_changes_nothing),
        cmocka_unit_test(test_lexicon_helps_noise_does_not_hurt),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    am_shutdown();
    return rc;
}
