/* lookup_gen.c - build the synthetic memory of the TM benchmark straight
 * through am_tm_add_unit, for scripts/bench/lookup.sh.
 *
 * Usage: lookup_gen DB N SHARED_DIR
 *
 * The units are those of scripts/bench/gen_tmx.py (unit k splices the first
 * half of the words of NTREX-128 line k mod L onto the second half of line
 * (k div L) mod L, in en, uk and ru), so the memory is the one tm.sh
 * imports, without writing and parsing a TMX of a gigabyte first. One
 * transaction and a 1 GB page cache: the page cache is what decides the
 * speed of a bulk load into a B-tree and an FTS5 index this size. */
#include "alignmem.h"
#include "tm/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lines {
    char ***words; /* words[i][j] */
    size_t *n_words;
    size_t n;
} lines;

static int load(lines *l, const char *shared, const char *lang)
{
    char path[1024], *data = NULL;
    size_t len = 0;
    am_error err;
    am_error_clear(&err);
    snprintf(path, sizeof path, "%s/data/ntrex128/%s.txt", shared, lang);
    if (am_read_file(&data, &len, path, &err)) {
        fprintf(stderr, "lookup_gen: %s: %s\n", path, err.message);
        return -1;
    }
    size_t cap = 2048;
    l->words = calloc(cap, sizeof *l->words);
    l->n_words = calloc(cap, sizeof *l->n_words);
    l->n = 0;
    for (char *line = strtok(data, "\n"); line && l->n < cap; line = strtok(NULL, "\n")) {
        char **w = calloc(strlen(line) / 2 + 2, sizeof *w);
        size_t k = 0;
        for (char *p = line; *p;) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            char *e = strchr(p, ' ');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            w[k] = strndup(p, n);
            k++;
            p += n;
        }
        l->words[l->n] = w;
        l->n_words[l->n++] = k;
    }
    free(data);
    return 0;
}

/* gen_tmx.py's splice: a[: (len(a) + 1) // 2] + b[len(b) // 2:] */
static void splice(am_buf *out, const lines *l, size_t a, size_t b, size_t extra)
{
    am_buf_clear(out);
    size_t na = (l->n_words[a] + 1) / 2, nb = l->n_words[b] / 2, k = 0;
    for (size_t i = 0; i < na; i++, k++)
        am_buf_printf(out, "%s%s", k ? " " : "", l->words[a][i]);
    for (size_t i = nb; i < l->n_words[b]; i++, k++)
        am_buf_printf(out, "%s%s", k ? " " : "", l->words[b][i]);
    if (extra)
        am_buf_printf(out, " (%zu)", extra);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: lookup_gen DB N SHARED_DIR\n");
        return 2;
    }
    long long n = atoll(argv[2]);
    const char *langs[3] = {"en", "uk", "ru"};
    lines l[3];
    for (int i = 0; i < 3; i++)
        if (load(&l[i], argv[3], langs[i]))
            return 1;
    size_t m = l[0].n < l[1].n ? l[0].n : l[1].n;
    m = m < l[2].n ? m : l[2].n;
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    if (am_tm_open(&tm, argv[1], AM_TM_CREATE, &err)) {
        fprintf(stderr, "lookup_gen: %s\n", err.message);
        return 1;
    }
    sqlite3_exec(am_tm_sqlite(tm), "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
    am_buf text[3] = {AM_BUF_INIT, AM_BUF_INIT, AM_BUF_INIT};
    int rc = am_tm_begin(tm, &err);
    for (long long k = 0; k < n && !rc; k++) {
        size_t a = (size_t)k % m, b = (size_t)(k / (long long)m) % m;
        size_t extra = (size_t)(k >= (long long)(m * m) ? k / (long long)(m * m) : 0);
        am_variant v[3];
        memset(v, 0, sizeof v);
        for (int i = 0; i < 3; i++) {
            splice(&text[i], &l[i], a, b, extra);
            v[i].lang = langs[i];
            v[i].text = text[i].data;
        }
        am_unit u;
        memset(&u, 0, sizeof u);
        u.position = -1;
        u.confidence = -1;
        u.srclang = "en";
        u.variants = v;
        u.n_variants = 3;
        rc = am_tm_add_unit(tm, &u, AM_DUP_KEEP, NULL, NULL, &err);
        if (k % 100000 == 99999)
            fprintf(stderr, "  %lld units\n", k + 1);
    }
    if (!rc)
        rc = am_tm_commit(tm, &err);
    if (rc)
        fprintf(stderr, "lookup_gen: %s\n", err.message);
    for (int i = 0; i < 3; i++)
        am_buf_free(&text[i]);
    am_tm_close(tm);
    am_shutdown();
    return rc ? 1 : 0;
}
