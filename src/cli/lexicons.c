/* lexicons.c - the memory's lexicons for the versions being aligned (see
 * lexicons.h). */
#include "lexicons.h"
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_lexicons_free(cli_lexicons *l)
{
    for (size_t i = 0; i < l->n; i++)
        am_lexicon_free(l->lx[i]);
    free(l->lx);
    free(l->use);
    memset(l, 0, sizeof *l);
}

am_lexicon *cli_lexicons_find(const cli_lexicons *l, const char *a, const char *b, int *swapped)
{
    char ba[32], bb[32], la[32], lb[32];
    if (am_lang_base(ba, sizeof ba, a) || am_lang_base(bb, sizeof bb, b))
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        am_lang_base(la, sizeof la, am_lexicon_lang(l->lx[i], 0));
        am_lang_base(lb, sizeof lb, am_lexicon_lang(l->lx[i], 1));
        if ((!strcmp(la, ba) && !strcmp(lb, bb)) || (!strcmp(la, bb) && !strcmp(lb, ba))) {
            if (swapped)
                *swapped = strcmp(la, ba) != 0;
            return l->lx[i];
        }
    }
    return NULL;
}

/* Want the stems of every text in language `base` on side `side`. */
static int want_texts(am_lexicon *lx, int side, const char *base, am_text *const *texts, size_t n,
                      am_error *err)
{
    char b[32];
    for (size_t i = 0; i < n; i++) {
        if (am_lang_base(b, sizeof b, texts[i]->lang) || strcmp(b, base))
            continue;
        int rc = am_lexicon_want(lx, side, texts[i]->data, texts[i]->size, err);
        if (rc)
            return rc;
    }
    return AM_OK;
}

/* Bytes of text in languages a and b. */
static size_t text_bytes(const char *a, const char *b, am_text *const *texts, size_t n)
{
    char t[32];
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (!am_lang_base(t, sizeof t, texts[i]->lang) && (!strcmp(t, a) || !strcmp(t, b)))
            bytes += texts[i]->size;
    return bytes;
}

/* Measured on the 1M synthetic memory: stemming the documents to want
 * their stems costs about 20 ns a byte, loading a candidate pair about
 * 1 us, so documents of more than 50 bytes a candidate load them all. */
#define CANDIDATE_BYTES 50

static int add_lexicon(cli_lexicons *out, am_tm *tm, const char *a, const char *b,
                       am_text *const *texts, size_t n, int keep_empty, am_error *err)
{
    am_lexicon *lx = NULL;
    int rc = am_lexicon_new(&lx, a, b, err), loaded = 0;
    /* Long documents against the memory: every linkable pair, and no
     * stemming of the documents first (the aligner uses the pairs of
     * their stems, the same either way). */
    if (!rc && tm && !keep_empty)
        rc = am_tm_lexicon_load_linkable(tm, lx, text_bytes(a, b, texts, n) / CANDIDATE_BYTES,
                                         &loaded, err);
    /* Without a memory nothing is loaded, so nothing need be wanted. */
    if (!rc && tm && !loaded)
        rc = want_texts(lx, 0, a, texts, n, err);
    if (!rc && tm && !loaded)
        rc = want_texts(lx, 1, b, texts, n, err);
    /* The aligner links only stems both documents hold, and only pairs
     * that pass its thresholds; counts that batch add will add to
     * (keep_empty) must be whole. */
    if (!rc && tm && !loaded)
        rc = am_tm_lexicon_load_within(tm, lx, !keep_empty, err);
    if (!rc && (keep_empty || am_lexicon_units(lx) > 0)) {
        am_lexicon **p = realloc(out->lx, (out->n + 1) * sizeof *p);
        if (!p)
            rc = am_error_set(err, AM_ENOMEM, "out of memory");
        else {
            out->lx = p;
            p[out->n++] = lx;
            lx = NULL;
        }
    }
    am_lexicon_free(lx);
    return rc;
}

int cli_lexicons_load(cli_lexicons *out, am_tm *tm, am_text *const *texts, size_t n,
                      int keep_empty, am_error *err)
{
    char langs[16][32];
    size_t nl = 0;
    int rc = AM_OK;
    /* The distinct languages, in order of first appearance. */
    for (size_t i = 0; i < n && nl < 16; i++) {
        char b[32];
        if (am_lang_base(b, sizeof b, texts[i]->lang))
            continue;
        size_t k = 0;
        while (k < nl && strcmp(langs[k], b))
            k++;
        if (k == nl)
            memcpy(langs[nl++], b, sizeof b);
    }
    for (size_t i = 0; i < nl && !rc; i++)
        for (size_t j = i + 1; j < nl && !rc; j++)
            rc = add_lexicon(out, tm, langs[i], langs[j], texts, n, keep_empty, err);
    if (rc)
        cli_lexicons_free(out);
    return rc;
}

static int merge_word(int side, const char *stem, uint64_t units, void *ctx)
{
    void **c = ctx;
    return am_lexicon_add_word(c[0], side, stem, units, c[1]);
}

static int merge_pair(const char *a, const char *b, uint64_t units, void *ctx)
{
    void **c = ctx;
    return am_lexicon_add_pair(c[0], a, b, units, c[1]);
}

int cli_lexicon_merge(am_lexicon *dst, const am_lexicon *src, am_error *err)
{
    void *c[2] = {dst, err};
    int rc = am_lexicon_add_units(dst, am_lexicon_units(src), err);
    if (!rc)
        rc = am_lexicon_foreach_word(src, merge_word, c);
    if (!rc)
        rc = am_lexicon_foreach_pair(src, merge_pair, c);
    return rc;
}

int cli_lexicons_opts(cli_lexicons *l, am_align_opts *opts)
{
    free(l->use);
    l->use = NULL;
    l->n_use = 0;
    if (l->n && !(l->use = malloc(l->n * sizeof *l->use)))
        return AM_ENOMEM;
    for (size_t i = 0; i < l->n; i++)
        if (am_lexicon_units(l->lx[i]) > 0)
            l->use[l->n_use++] = l->lx[i];
    opts->lexicons = l->n_use ? l->use : NULL;
    opts->n_lexicons = l->n_use;
    return AM_OK;
}

/* Writable: the file, and its folder (SQLite writes -wal and -shm there). */
static int writable(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return 0;
    char *slash = strrchr(dir, '/');
    const char *d = dir;
    if (slash == dir)
        d = "/";
    else if (slash)
        *slash = '\0';
    else
        d = ".";
    int ok = access(path, W_OK) == 0 && access(d, W_OK) == 0;
    free(dir);
    return ok;
}

am_tm *cli_open_memory_for_lexicon(const char *opt_db, int *missing, int quiet)
{
    char *path = cli_db_path(opt_db);
    am_tm *tm = NULL;
    *missing = 0;
    if (!path)
        return NULL;
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        *missing = 1;
        free(path);
        return NULL;
    }
    am_error err;
    am_error_clear(&err);
    if (!writable(path)) {
        free(path);
        return cli_open_db(opt_db, AM_TM_READONLY);
    }
    /* Read-only first: when the schema is current and the counts up to
     * date (the usual case), that is all aligning needs, and a process
     * aligning one document saves opening for writing (the WAL's files, a
     * write transaction that writes nothing). Anything else, including a
     * failure to open so, goes the writing way, which migrates and learns
     * (and reports what still fails). */
    int64_t learned = 0, last = 0;
    int current = am_tm_open(&tm, path, AM_TM_READONLY, &err) == AM_OK && !am_tm_outdated(tm) &&
                  am_tm_lexicon_status(tm, &learned, &last, &err) == AM_OK && learned >= last;
    free(path);
    if (current)
        return tm;
    am_tm_close(tm);
    am_error_clear(&err);
    if (!(tm = cli_open_db(opt_db, 0)))
        return NULL;
    /* Catch up with what import (which does not learn) stored since. */
    int rc = am_tm_lexicon_update(tm, 0, quiet ? NULL : cli_progress_cb, (void *)"learning",
                                  &err);
    cli_progress_end();
    if (rc == AM_EBUSY) {
        /* Another program writes the memory: its counts are still right,
         * only behind; align with them rather than fail. */
        cli_warn("%s", err.message);
        return tm;
    }
    if (rc) {
        cli_report(&err);
        am_tm_close(tm);
        return NULL;
    }
    return tm;
}
