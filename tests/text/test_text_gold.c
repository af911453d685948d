/* test_text_gold.c - the segmenter against the team's gold set
 * (tests/text/seg-gold: boundary F1 >= 0.99 per language) and against the
 * NTREX alignment benchmark in ../shared (>= 99% of the gold boundaries
 * found in raw text). Boundaries are positions in the text with all white
 * space removed, as scripts/bench/segment_score.py counts them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alignmem.h"
#include "text/text.h"

void test_gold_set(void **state);
void test_corpora(void **state);
void test_ntrex_recall(void **state);

typedef struct cuts {
    size_t *v, n, cap;
    size_t pos; /* length of the squeezed text so far */
} cuts;

/* Count s[0..n) without white space onto c and record a cut after it. */
static void add_sentence(cuts *c, const char *s, size_t n)
{
    size_t i = 0, kept = 0;
    while (i < n) {
        size_t j = i;
        if (!am_is_space(am_next_cp(s, &j, n)))
            kept += j - i;
        i = j;
    }
    if (!kept)
        return;
    c->pos += kept;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    c->v[c->n++] = c->pos;
}

/* Cuts of a one-sentence-a-line text; blank lines are ignored. */
static void line_cuts(cuts *c, const char *s, size_t n)
{
    size_t b = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '\n') {
            add_sentence(c, s + b, i - b);
            b = i + 1;
        }
    }
}

static void text_cuts(cuts *c, const am_text *t)
{
    for (size_t i = 0; i < t->n_segs; i++)
        add_sentence(c, t->data + t->segs[i].offset, t->segs[i].length);
}

/* Matches between two sorted cut lists, the text end left out. */
static size_t common(const cuts *a, const cuts *b)
{
    size_t i = 0, k = 0, m = 0;
    while (i < a->n && k < b->n) {
        if (a->v[i] == b->v[k])
            m += a->v[i] != a->pos, i++, k++;
        else if (a->v[i] < b->v[k])
            i++;
        else
            k++;
    }
    return m;
}

static char *slurp(const char *path, size_t *n)
{
    am_error err;
    am_error_clear(&err);
    char *d = NULL;
    if (am_read_file(&d, n, path, &err))
        fail_msg("cannot read %s: %s", path, err.message);
    return d;
}

/* Print the first disagreements, to make a failure readable. */
static void show_misses(const cuts *gold, const cuts *pred, const char *gtext_path)
{
    size_t i = 0, k = 0, shown = 0;
    (void)gtext_path;
    while ((i < gold->n || k < pred->n) && shown < 10) {
        if (i < gold->n && k < pred->n && gold->v[i] == pred->v[k]) {
            i++, k++;
        } else if (k >= pred->n || (i < gold->n && gold->v[i] < pred->v[k])) {
            printf("  missed boundary at squeezed offset %zu\n", gold->v[i++]), shown++;
        } else {
            printf("  extra boundary at squeezed offset %zu\n", pred->v[k++]), shown++;
        }
    }
}

void test_gold_set(void **state)
{
    (void)state;
    const char *langs[] = {"uk", "ru", "en"};
    for (int l = 0; l < 3; l++) {
        char sent[1024], txt[1024];
        snprintf(sent, sizeof sent, "%s/tests/text/seg-gold/%s.sent", AM_SOURCE_DIR, langs[l]);
        snprintf(txt, sizeof txt, "%s/tests/text/seg-gold/%s.txt", AM_SOURCE_DIR, langs[l]);
        size_t n;
        char *g = slurp(sent, &n);
        cuts gold = {0}, pred = {0};
        line_cuts(&gold, g, n);
        free(g);
        am_error err;
        am_error_clear(&err);
        am_text *t;
        if (am_text_load(&t, txt, NULL, 0, &err)) /* language from the name */
            fail_msg("%s: %s", txt, err.message);
        assert_string_equal(t->lang, langs[l]);
        text_cuts(&pred, t);
        am_text_free(t);
        assert_int_equal(gold.pos, pred.pos); /* same text */
        assert_true(gold.n >= 300);
        size_t tp = common(&gold, &pred);
        double p = (double)tp / (double)(pred.n - 1), r = (double)tp / (double)(gold.n - 1);
        double f1 = 2 * p * r / (p + r);
        printf("seg-gold %s: P %.4f R %.4f F1 %.4f (%zu sentences)\n", langs[l], p, r, f1,
               gold.n);
        if (f1 < 0.99) {
            show_misses(&gold, &pred, sent);
            fail_msg("%s: boundary F1 %.4f < 0.99", langs[l], f1);
        }
        free(gold.v);
        free(pred.v);
    }
}

/* The team's corpora (corpora/NAME/LANG.txt and .sent), written apart
 * from the gold set and not used to tune the rules: F1 >= 0.99. */
void test_corpora(void **state)
{
    (void)state;
    char root[1024];
    snprintf(root, sizeof root, "%s/corpora", AM_SOURCE_DIR);
    DIR *d = opendir(root);
    if (!d)
        fail_msg("corpora missing: %s", root);
    const char *langs[] = {"uk", "ru", "en"};
    size_t tp[3] = {0}, ng[3] = {0}, np[3] = {0}, docs = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char sent[2048], txt[2048];
        snprintf(sent, sizeof sent, "%s/%s/uk.sent", root, e->d_name);
        struct stat st;
        if (e->d_name[0] == '.' || stat(sent, &st))
            continue;
        docs++;
        for (int l = 0; l < 3; l++) {
            snprintf(sent, sizeof sent, "%s/%s/%s.sent", root, e->d_name, langs[l]);
            snprintf(txt, sizeof txt, "%s/%s/%s.txt", root, e->d_name, langs[l]);
            size_t n;
            char *g = slurp(sent, &n);
            cuts gold = {0}, pred = {0};
            line_cuts(&gold, g, n);
            free(g);
            am_error err;
            am_error_clear(&err);
            am_text *t;
            if (am_text_load(&t, txt, NULL, 0, &err))
                fail_msg("%s: %s", txt, err.message);
            text_cuts(&pred, t);
            am_text_free(t);
            assert_int_equal(gold.pos, pred.pos);
            tp[l] += common(&gold, &pred);
            ng[l] += gold.n - 1;
            np[l] += pred.n - 1;
            free(gold.v);
            free(pred.v);
        }
    }
    closedir(d);
    assert_true(docs >= 5);
    for (int l = 0; l < 3; l++) {
        double p = (double)tp[l] / (double)np[l], r = (double)tp[l] / (double)ng[l];
        double f1 = 2 * p * r / (p + r);
        printf("corpora %s: P %.4f R %.4f F1 %.4f (%zu documents)\n", langs[l], p, r, f1, docs);
        if (f1 < 0.99)
            fail_msg("corpora %s: boundary F1 %.4f < 0.99", langs[l], f1);
    }
}

/* Raw text of a .sent file: each paragraph's sentences joined by one
 * space, paragraphs separated by a blank line (shared/README.md). */
static char *raw_of(const char *s, size_t n, size_t *out_n)
{
    char *r = malloc(n + 2);
    assert_non_null(r);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n') {
            r[o++] = s[i];
            continue;
        }
        int blank_next = i + 1 < n && s[i + 1] == '\n';
        int after_blank = i > 0 && s[i - 1] == '\n';
        if (after_blank)
            continue;
        r[o++] = blank_next ? '\n' : ' ';
        if (blank_next)
            r[o++] = '\n';
    }
    *out_n = o;
    return r;
}

static void ntrex_doc(const char *dir, const char *lang, size_t *found, size_t *total)
{
    char path[4096]; /* dir is at most 2047 bytes: room for "/xx.sent" */
    snprintf(path, sizeof path, "%s/%s.sent", dir, lang);
    size_t n, rn;
    char *g = slurp(path, &n);
    char *raw = raw_of(g, n, &rn);
    cuts gold = {0}, pred = {0};
    line_cuts(&gold, g, n);
    am_error err;
    am_error_clear(&err);
    am_text *t;
    if (am_text_from_bytes(&t, raw, rn, path, lang, 0, &err))
        fail_msg("%s: %s", path, err.message);
    text_cuts(&pred, t);
    assert_int_equal(gold.pos, pred.pos);
    *found += common(&gold, &pred);
    *total += gold.n - 1;
    am_text_free(t);
    free(gold.v);
    free(pred.v);
    free(g);
    free(raw);
}

void test_ntrex_recall(void **state)
{
    (void)state;
    char root[1024];
    snprintf(root, sizeof root, "%s/bench/align-ntrex", AM_SHARED_DIR);
    DIR *d = opendir(root);
    if (!d)
        fail_msg("shared data missing: %s (see shared/README.md; this test needs it)", root);
    const char *langs[] = {"uk", "ru", "en"};
    size_t found[3] = {0}, total[3] = {0}, docs = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char dir[2048];
        struct stat st;
        snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
        if (e->d_name[0] == '.' || stat(dir, &st) || !S_ISDIR(st.st_mode))
            continue;
        docs++;
        for (int l = 0; l < 3; l++)
            ntrex_doc(dir, langs[l], &found[l], &total[l]);
    }
    closedir(d);
    assert_true(docs >= 100);
    for (int l = 0; l < 3; l++) {
        double r = (double)found[l] / (double)total[l];
        printf("align-ntrex %s: recall %.4f (%zu of %zu gold boundaries, %zu documents)\n",
               langs[l], r, found[l], total[l], docs);
        if (r < 0.99)
            fail_msg("%s: NTREX boundary recall %.4f < 0.99", langs[l], r);
    }
}
