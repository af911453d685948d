/* test_lookup_recall.c - the indexed lookup must not miss: on a memory of
 * 20,000 units (NTREX-128 Ukrainian sentences and mutated copies of them,
 * built here), compare am_lookup_run with scoring every unit by brute
 * force, and require >= 99% of the matches at or above min. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alignmem.h"
#include "tm/match.h"

#define N_UNITS 20000
#define N_QUERIES 120

typedef struct corpus {
    char **uk, **en;
    size_t n;
} corpus;

static char **read_lines(const char *path, size_t *n)
{
    char *data = NULL;
    size_t len = 0;
    am_error err;
    am_error_clear(&err);
    if (am_read_file(&data, &len, path, &err))
        fail_msg("%s is missing (%s): the recall test needs the shared NTREX-128 data in "
                 "../shared/data/ntrex128",
                 path, err.message);
    char **lines = NULL;
    size_t k = 0, cap = 0;
    char *p = data;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (k == cap) {
            cap = cap ? 2 * cap : 1024;
            lines = realloc(lines, cap * sizeof *lines);
            assert_non_null(lines);
        }
        lines[k++] = strdup(p);
        if (!nl)
            break;
        p = nl + 1;
    }
    free(data);
    *n = k;
    return lines;
}

/* A deterministic generator (Knuth's MMIX LCG). */
static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Copy of s with `edits` word-level mutations: drop, swap, replace with a
 * word of another sentence, change a digit, change case. */
static char *mutate(const corpus *c, const char *s, uint64_t seed, int edits)
{
    char *words[256];
    size_t n = 0;
    char *copy = strdup(s);
    for (char *w = strtok(copy, " "); w && n < 256; w = strtok(NULL, " "))
        words[n++] = strdup(w);
    for (int e = 0; e < edits && n > 2; e++) {
        size_t i = rnd(&seed) % n;
        switch (rnd(&seed) % 5) {
        case 0: /* drop */
            free(words[i]);
            memmove(words + i, words + i + 1, (n - i - 1) * sizeof *words);
            n--;
            break;
        case 1: { /* swap with the next */
            size_t j = (i + 1) % n;
            char *t = words[i];
            words[i] = words[j];
            words[j] = t;
            break;
        }
        case 2: { /* a word from elsewhere */
            char *other = strdup(c->uk[rnd(&seed) % c->n]);
            char *w = strtok(other, " ");
            for (size_t k = rnd(&seed) % 8; k > 0 && w; k--) {
                char *nx = strtok(NULL, " ");
                if (nx)
                    w = nx;
            }
            free(words[i]);
            words[i] = strdup(w ? w : "слово");
            free(other);
            break;
        }
        case 3: /* a digit, or else a letter's case */
            for (char *p = words[i]; *p; p++)
                if (*p >= '0' && *p <= '9') {
                    *p = (char)('0' + (*p - '0' + 1) % 10);
                    break;
                }
            break;
        default: { /* upper-case an ASCII letter or drop a trailing mark */
            size_t l = strlen(words[i]);
            if (l > 1 && (words[i][l - 1] == '.' || words[i][l - 1] == ','))
                words[i][l - 1] = '\0';
            else if (words[i][0] >= 'a' && words[i][0] <= 'z')
                words[i][0] = (char)(words[i][0] - 32);
        }
        }
    }
    am_buf b = AM_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        am_buf_printf(&b, "%s%s", i ? " " : "", words[i]);
        free(words[i]);
    }
    free(copy);
    return am_buf_detach(&b, NULL);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct stored {
    int64_t unit;
    char *text;
    am_mt_toks toks; /* keyed tokens of the normalised text */
} stored;

static void keyed(am_mt_toks *t, const char *s)
{
    char *norm = NULL;
    size_t nl = 0;
    assert_int_equal(am_normalize(&norm, &nl, s, strlen(s), NULL), AM_OK);
    assert_int_equal(am_mt_tokenize(t, norm, nl, AM_MT_KEYED, NULL), AM_OK);
    free(norm);
}

static int64_t store_unit(am_tm *tm, const char *uk, const char *en)
{
    am_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "uk";
    v[0].text = uk;
    v[1].lang = "en";
    v[1].text = en;
    am_unit u;
    memset(&u, 0, sizeof u);
    u.position = -1;
    u.confidence = -1;
    u.variants = v;
    u.n_variants = 2;
    int64_t id = 0;
    am_error err;
    am_error_clear(&err);
    if (am_tm_add_unit(tm, &u, AM_DUP_KEEP, &id, NULL, &err))
        fail_msg("add unit: %s", err.message);
    return id;
}

/* Units scoring >= min by brute force: sorted ids in *out. */
static size_t brute(const stored *st, size_t n, const char *q, double min, int64_t *out)
{
    am_mt_toks qt = AM_MT_TOKS_INIT;
    uint32_t *work = malloc(2 * 1024 * sizeof *work);
    size_t k = 0;
    keyed(&qt, q);
    for (size_t i = 0; i < n; i++) {
        const am_mt_toks *m = &st[i].toks;
        if (m->n_words > 1000)
            continue;
        size_t dmax = am_mt_dmax(qt.n_words, m->n_words, min);
        size_t d = am_mt_distance(qt.words, qt.n_words, m->words, m->n_words, dmax, work);
        if (d > dmax)
            continue;
        am_fuzzy f;
        assert_int_equal(am_fuzzy_score(&f, q, strlen(q), st[i].text, strlen(st[i].text), 0, NULL),
                         AM_OK);
        if (f.score < min)
            continue;
        size_t j = 0;
        while (j < k && out[j] != st[i].unit)
            j++;
        if (j == k)
            out[k++] = st[i].unit;
    }
    am_mt_toks_free(&qt);
    free(work);
    return k;
}

/* The session's term cache must not change a result: a lookup in a fresh
 * session (empty cache) gives the same units with the same scores. */
static void same_as_fresh(am_tm *tm, const am_lookup_opts *o, const char *query,
                          const am_matches *m)
{
    am_matches *f = NULL;
    assert_int_equal(am_tm_lookup(&f, tm, query, strlen(query), o, NULL), AM_OK);
    assert_int_equal(f->n, m->n);
    for (size_t j = 0; j < m->n; j++) {
        assert_int_equal(f->m[j].unit, m->m[j].unit);
        assert_true(f->m[j].score == m->m[j].score);
    }
    assert_int_equal(f->candidates, m->candidates);
    am_matches_free(f);
}

static void test_recall(void **state)
{
    (void)state;
    corpus c;
    size_t n_en;
    c.uk = read_lines(AM_SHARED_DIR "/data/ntrex128/uk.txt", &c.n);
    c.en = read_lines(AM_SHARED_DIR "/data/ntrex128/en.txt", &n_en);
    assert_true(c.n > 1000 && n_en == c.n);

    char dir[] = "/tmp/am-test-recall-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/memory.db", dir);
    am_tm *tm = NULL;
    assert_int_equal(am_tm_open(&tm, path, AM_TM_CREATE, NULL), AM_OK);
    stored *st = calloc(N_UNITS, sizeof *st);
    double t0 = now_s();
    assert_int_equal(am_tm_begin(tm, NULL), AM_OK);
    for (size_t i = 0; i < N_UNITS; i++) {
        size_t s = (i / 10) % c.n;
        st[i].text = i % 10 == 0 ? strdup(c.uk[s]) : mutate(&c, c.uk[s], i, 1 + (int)(i % 10) / 3);
        st[i].unit = store_unit(tm, st[i].text, c.en[s]);
        keyed(&st[i].toks, st[i].text);
    }
    assert_int_equal(am_tm_commit(tm, NULL), AM_OK);
    printf("memory of %d units built in %.1f s\n", N_UNITS, now_s() - t0);

    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    o.from = "uk";
    o.max_matches = 1000;
    double mins[] = {70, 50};
    size_t n_queries[] = {N_QUERIES, N_QUERIES / 2};
    int64_t *truth = malloc(N_UNITS * sizeof *truth);
    for (size_t mi = 0; mi < 2; mi++) {
        o.min_score = mins[mi];
        am_lookup *lk = NULL;
        assert_int_equal(am_lookup_new(&lk, tm, &o, NULL), AM_OK);
        size_t want = 0, got = 0, extra = 0;
        double t_brute = 0, t_index = 0;
        uint64_t seed = 12345 + mi;
        for (size_t q = 0; q < n_queries[mi]; q++) {
            size_t s = rnd(&seed) % 2000 % c.n;
            char *query = mutate(&c, c.uk[s], 1000003 * (q + 1), (int)(q % 4));
            double t1 = now_s();
            size_t nt = brute(st, N_UNITS, query, o.min_score, truth);
            double t2 = now_s();
            am_matches *m = NULL;
            am_lookup_reset(lk);
            assert_int_equal(am_lookup_run(&m, lk, query, strlen(query), NULL), AM_OK);
            t_index += now_s() - t2;
            t_brute += t2 - t1;
            same_as_fresh(tm, &o, query, m);
            for (size_t j = 0; j < m->n; j++) {
                size_t t = 0;
                while (t < nt && truth[t] != m->m[j].unit)
                    t++;
                if (t < nt)
                    got++;
                else
                    extra++;
            }
            want += nt;
            am_matches_free(m);
            free(query);
        }
        am_lookup_free(lk);
        printf("brute force %.2f s, indexed %.2f s for %zu queries\n", t_brute, t_index,
               n_queries[mi]);
        double recall = want ? (double)got / (double)want : 1;
        printf("recall at min %.0f: %zu of %zu brute-force matches (%.2f%%), %zu outside, "
               "%zu queries, %d units\n",
               o.min_score, got, want, 100 * recall, extra, n_queries[mi], N_UNITS);
        assert_true(want > n_queries[mi]); /* the test must test something */
        assert_true(recall >= 0.99);
        assert_int_equal(extra, 0);
    }
    free(truth);
    for (size_t i = 0; i < N_UNITS; i++) {
        free(st[i].text);
        am_mt_toks_free(&st[i].toks);
    }
    free(st);
    am_tm_close(tm);
    for (size_t i = 0; i < c.n; i++) {
        free(c.uk[i]);
        free(c.en[i]);
    }
    free(c.uk);
    free(c.en);
    char p[200];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_recall)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
