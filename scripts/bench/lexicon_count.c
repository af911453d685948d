/* lexicon_count.c - throughput of am_lexicon_count: N three-language units
 * (NTREX-128 lines, cycled) counted into the lexicons en-uk, en-ru and
 * uk-ru, from raw text (normalised inside) and from keys (normalised
 * beforehand, as a memory stores them). Built and run by align_online.sh.
 * Usage: lexicon_count SHARED_DIR N */
#include "alignmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char **lines(const char *path, size_t *n_out, int key)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    am_error err;
    am_error_clear(&err);
    if (am_read_file(&data, &len, path, &err)) {
        fprintf(stderr, "lexicon_count: %s\n", err.message);
        exit(1);
    }
    char **l = calloc(len + 1, sizeof *l);
    for (char *p = data, *e; p < data + len; p = e + 1) {
        e = strchr(p, '\n');
        if (!e)
            e = data + len;
        *e = '\0';
        if (key) {
            size_t kn;
            if (am_normalize(&l[n], &kn, p, strlen(p), &err))
                exit(1);
            n++;
        } else {
            l[n++] = strdup(p);
        }
    }
    free(data);
    *n_out = n;
    return l;
}

static int count_pairs(const char *a, const char *b, uint64_t u, void *ctx)
{
    (void)a, (void)b, (void)u;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lexicon_count SHARED_DIR N\n");
        return 2;
    }
    size_t N = strtoull(argv[2], NULL, 10);
    static const char *const lang[3] = {"en", "uk", "ru"};
    static const int pair[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    for (int key = getenv("LC_KEYS_ONLY") ? 1 : 0; key < 2; key++) {
        char **text[3];
        size_t n[3];
        for (int l = 0; l < 3; l++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/data/ntrex128/%s.txt", argv[1], lang[l]);
            text[l] = lines(path, &n[l], key);
        }
        am_error err;
        am_error_clear(&err);
        am_lexicon *lx[3];
        for (int p = 0; p < 3; p++)
            am_lexicon_new(&lx[p], lang[pair[p][0]], lang[pair[p][1]], &err);
        double t0 = now(), c0 = cpu();
        for (size_t i = 0; i < N; i++)
            for (int p = 0; p < 3; p++) {
                const char *a = text[pair[p][0]][i % n[0]], *b = text[pair[p][1]][i % n[0]];
                if (am_lexicon_count(lx[p], a, strlen(a), b, strlen(b), key, 1, &err)) {
                    fprintf(stderr, "lexicon_count: %s\n", err.message);
                    return 1;
                }
            }
        double dt = now() - t0, dc = cpu() - c0;
        size_t pairs = 0;
        for (int p = 0; p < 3; p++)
            am_lexicon_foreach_pair(lx[p], count_pairs, &pairs);
        printf("counting %zu units x 3 lexicons from %s: %.2f s wall, %.2f s CPU, %.0f units/s "
               "(CPU), %zu pairs\n",
               N, key ? "keys" : "raw text", dt, dc, N / dc, pairs);
        for (int p = 0; p < 3; p++)
            am_lexicon_free(lx[p]);
        for (int l = 0; l < 3; l++) {
            for (size_t i = 0; i < n[l]; i++)
                free(text[l][i]);
            free(text[l]);
        }
    }
    am_shutdown();
    return 0;
}
