/*
 * add_batch.c - `alignmem add --list FILE | --folder DIR`: many documents
 * at once, so that a first import of an archive already benefits from a
 * lexicon (issue #9):
 *
 *   1. load every version of every document (an error stores nothing);
 *   2. align each document with the memory's lexicons (brought up to date
 *      and loaded for the stems of all the documents);
 *   3. count the beads with a confidence >= AM_LEXICON_MIN_CONFIDENCE of
 *      all documents into lexicons of their own, add them to the memory's;
 *   4. align each document again with that;
 *   5. store each document in a transaction of its own (as a single add
 *      does: a failure leaves the documents before it stored, and says
 *      so), then let the memory learn the new units.
 *
 * All versions and alignments are held in memory at once: an archive of
 * a few thousand statements is a few hundred megabytes at most.
 */
#include "add.h"
#include "cli.h"
#include "lexicons.h"
#include "progress.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct batch_doc {
    char *title;
    char *files[MAX_VERSIONS];
    char lang[MAX_VERSIONS][32]; /* from a --folder name, else "" */
    size_t n;
    am_text *texts[MAX_VERSIONS];
    am_alignment *al;
} batch_doc;

typedef struct batch {
    batch_doc *docs;
    size_t n, cap;
} batch;

int add_batch_check(const add_args *a, const char *cmd, int n)
{
    if (a->list && a->folder)
        return cli_usage(cmd, "give --list or --folder, not both");
    if (n > 0)
        return cli_usage(cmd, "--list and --folder take no version files");
    if (a->aligned || a->title)
        return cli_usage(cmd, "--%s is for one document, not with --list or --folder",
                         a->aligned ? "aligned" : "title");
    if (a->folder && a->langs)
        return cli_usage(cmd, "--lang cannot be used with --folder: the names give the languages");
    return EXIT_OK;
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        batch_doc *d = &b->docs[i];
        free(d->title);
        for (size_t k = 0; k < d->n; k++) {
            free(d->files[k]);
            am_text_free(d->texts[k]);
        }
        am_alignment_free(d->al);
    }
    free(b->docs);
}

static batch_doc *new_doc(batch *b, const char *title, size_t tlen)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        batch_doc *p = realloc(b->docs, cap * sizeof *p);
        if (!p)
            return NULL;
        b->docs = p;
        b->cap = cap;
    }
    batch_doc *d = &b->docs[b->n];
    memset(d, 0, sizeof *d);
    if (!(d->title = strndup(title, tlen)))
        return NULL;
    b->n++;
    return d;
}

/* A path of the list: relative ones are relative to the list's folder. */
static char *list_path(const char *list, const char *f, size_t n)
{
    const char *slash = strrchr(list, '/');
    size_t dn = f[0] == '/' || !slash ? 0 : (size_t)(slash - list) + 1;
    char *p = malloc(dn + n + 1);
    if (p) {
        memcpy(p, list, dn);
        memcpy(p + dn, f, n);
        p[dn + n] = '\0';
    }
    return p;
}

/* One line of the list: its version files, separated by tabs when it
 * holds one (names may then hold spaces), else by spaces. */
static int list_line(batch *b, const char *list, char *line, long lineno, am_error *err)
{
    const char *seps = strchr(line, '\t') ? "\t" : " ";
    char *save = NULL, *f[MAX_VERSIONS + 1];
    size_t n = 0;
    for (char *tok = strtok_r(line, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
        if (n > MAX_VERSIONS)
            break;
        f[n++] = tok;
    }
    if (n == 0)
        return AM_OK;
    if (n < 2 || n > MAX_VERSIONS) {
        am_error_set(err, AM_EINPUT, "a document needs 2 to %d version files, this line has %s%zu",
                     MAX_VERSIONS, n > MAX_VERSIONS ? "more than " : "",
                     n > MAX_VERSIONS ? (size_t)MAX_VERSIONS : n);
        am_error_at(err, list, lineno, -1, -1);
        return err->code;
    }
    batch_doc *d = new_doc(b, f[0], strlen(f[0]));
    if (!d)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!(d->files[i] = list_path(list, f[i], strlen(f[i]))))
            return am_error_set(err, AM_ENOMEM, "out of memory");
        d->n++;
    }
    return AM_OK;
}

static int read_list(batch *b, const char *list, am_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = am_read_file(&data, &len, list, err);
    if (rc)
        return rc;
    long lineno = 0;
    for (char *p = data, *next; !rc && p && p < data + len; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        size_t l = strlen(p);
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' ' || p[l - 1] == '\t'))
            p[--l] = '\0';
        if (p[0] != '#')
            rc = list_line(b, list, p, lineno, err);
    }
    free(data);
    return rc;
}

/* NAME.LANG.txt or NAME.LANG.sent: *name_len and lang set, else 0. */
static int folder_name(const char *f, size_t *name_len, char *lang, size_t langsz)
{
    const char *ext = strrchr(f, '.');
    if (!ext || (strcmp(ext, ".txt") && strcmp(ext, ".sent")))
        return 0;
    const char *dot = ext;
    while (dot > f && dot[-1] != '.')
        dot--;
    if (dot <= f + 1)
        return 0;
    char code[32];
    size_t cn = (size_t)(ext - dot);
    if (cn == 0 || cn >= sizeof code)
        return 0;
    memcpy(code, dot, cn);
    code[cn] = '\0';
    if (am_lang_canonical(lang, langsz, code) != AM_OK)
        return 0;
    *name_len = (size_t)(dot - 1 - f);
    return 1;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The folder's file names, sorted (so a document's files are together,
 * and documents come in name order). *out owned by the caller. */
static int folder_names(char ***out, size_t *n_out, const char *dir, am_error *err)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = AM_OK;
    if (!d)
        return am_error_set(err, AM_EIO, "%s: cannot read the folder", dir);
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *p);
            if (!p) {
                rc = am_error_set(err, AM_ENOMEM, "out of memory");
                break;
            }
            names = p;
        }
        if (!(names[n] = strdup(e->d_name)))
            rc = am_error_set(err, AM_ENOMEM, "out of memory");
        else
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    *out = names;
    *n_out = n;
    return rc;
}

static int read_folder(batch *b, const char *dir, am_error *err)
{
    char **names = NULL, lang[32];
    size_t n = 0, nl;
    int rc = folder_names(&names, &n, dir, err);
    batch_doc *d = NULL;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!folder_name(names[i], &nl, lang, sizeof lang))
            continue;
        if (!d || strlen(d->title) != nl || strncmp(d->title, names[i], nl)) {
            if (d && d->n < 2)
                cli_warn("%s/%s: only one version; skipped", dir, d->title);
            if (d && d->n < 2) {
                free(d->title);
                free(d->files[0]);
                b->n--;
            }
            if (!(d = new_doc(b, names[i], nl))) {
                rc = am_error_set(err, AM_ENOMEM, "out of memory");
                break;
            }
        }
        if (d->n == MAX_VERSIONS) {
            rc = am_error_set(err, AM_EINPUT, "%s/%s: more than %d versions", dir, d->title,
                              MAX_VERSIONS);
            break;
        }
        memcpy(d->lang[d->n], lang, sizeof lang);
        am_buf p = AM_BUF_INIT;
        if (am_buf_printf(&p, "%s/%s", dir, names[i]))
            rc = am_error_set(err, AM_ENOMEM, "out of memory");
        else
            d->files[d->n++] = am_buf_detach(&p, NULL);
    }
    if (!rc && d && d->n < 2) {
        cli_warn("%s/%s: only one version; skipped", dir, d->title);
        free(d->title);
        free(d->files[0]);
        b->n--;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Load every version; a .sent file is one sentence a line. */
static int load_all(batch *b, const add_args *a, am_error *err)
{
    char *list, *langs[MAX_VERSIONS];
    size_t nl = 0;
    int rc = add_split_langs(&list, langs, &nl, a->langs, err);
    for (size_t i = 0; i < b->n && !rc; i++) {
        batch_doc *d = &b->docs[i];
        if (list && nl != d->n) {
            rc = am_error_set(err, AM_EARG, "--lang gives %zu languages for %zu files of %s", nl,
                              d->n, d->title);
            break;
        }
        for (size_t k = 0; k < d->n && !rc; k++) {
            const char *lang = list ? langs[k] : d->lang[k][0] ? d->lang[k] : NULL;
            int preseg = a->presegmented || ends_with(d->files[k], ".sent");
            rc = am_text_load(&d->texts[k], d->files[k], lang, preseg, err);
        }
    }
    free(list);
    return rc;
}

static int align_all(batch *b, cli_lexicons *lx, const char *label, am_error *err)
{
    am_align_opts opts = AM_ALIGN_OPTS_INIT;
    if (cli_lexicons_opts(lx, &opts))
        return am_error_set(err, AM_ENOMEM, "out of memory");
    cli_progress_start(label, b->n);
    int rc = AM_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        batch_doc *d = &b->docs[i];
        am_alignment_free(d->al);
        d->al = NULL;
        rc = am_align(&d->al, (const am_text *const *)d->texts, d->n, &opts, err);
        if (rc)
            am_error_at(err, d->title, -1, -1, -1);
        cli_progress_update(i + 1);
    }
    cli_progress_end();
    return rc;
}

/* Count bead b of d into the lexicon of each pair of its non-empty sides,
 * as the memory counts a stored unit. */
static int learn_bead(const batch_doc *d, size_t bead, cli_lexicons *lx, am_buf *x, am_buf *y,
                      am_error *err)
{
    const am_alignment *al = d->al;
    for (size_t i = 0; i < d->n; i++) {
        size_t bi = AM_BEAD_BEGIN(al, bead, i), ei = AM_BEAD_END(al, bead, i);
        if (bi == ei)
            continue;
        for (size_t j = i + 1; j < d->n; j++) {
            size_t bj = AM_BEAD_BEGIN(al, bead, j), ej = AM_BEAD_END(al, bead, j);
            int swapped = 0;
            am_lexicon *l = cli_lexicons_find(lx, d->texts[i]->lang, d->texts[j]->lang, &swapped);
            if (bj == ej || !l)
                continue;
            if (add_join_sentences(x, d->texts[i], bi, ei) ||
                add_join_sentences(y, d->texts[j], bj, ej))
                return am_error_set(err, AM_ENOMEM, "out of memory");
            const am_buf *a = swapped ? y : x, *b = swapped ? x : y;
            int rc = am_lexicon_count(l, a->data, a->len, b->data, b->len, 0, 1, err);
            if (rc)
                return rc;
        }
    }
    return AM_OK;
}

static int learn_batch(batch *b, cli_lexicons *lx, long *beads, am_error *err)
{
    am_buf x = AM_BUF_INIT, y = AM_BUF_INIT;
    int rc = AM_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        const am_alignment *al = b->docs[i].al;
        for (size_t k = 0; k < al->n_beads && !rc; k++) {
            if (!al->score || al->score[k] < AM_LEXICON_MIN_CONFIDENCE)
                continue;
            rc = learn_bead(&b->docs[i], k, lx, &x, &y, err);
            ++*beads;
        }
    }
    am_buf_free(&x);
    am_buf_free(&y);
    return rc;
}

/* Every version of every document, in one array (borrowed texts). */
static am_text **all_texts(const batch *b, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < b->n; i++)
        total += b->docs[i].n;
    am_text **all = malloc((total ? total : 1) * sizeof *all);
    *n = 0;
    for (size_t i = 0; all && i < b->n; i++)
        for (size_t k = 0; k < b->docs[i].n; k++)
            all[(*n)++] = b->docs[i].texts[k];
    return all;
}

/* Steps 2-4: pass 1 with the memory, learn, pass 2 with both. */
static int align_and_learn(batch *b, am_tm *tm, long *beads, am_error *err)
{
    cli_lexicons mem = CLI_LEXICONS_INIT, learned = CLI_LEXICONS_INIT;
    size_t n = 0;
    am_text **all = all_texts(b, &n);
    int rc = all ? AM_OK : am_error_set(err, AM_ENOMEM, "out of memory");
    if (!rc)
        rc = cli_lexicons_load(&mem, tm, all, n, 1, err);
    if (!rc)
        rc = cli_lexicons_load(&learned, NULL, all, n, 1, err);
    if (!rc)
        rc = align_all(b, &mem, "aligning", err);
    if (!rc)
        rc = learn_batch(b, &learned, beads, err);
    /* Both sets were made from the same texts: same pairs, same order. */
    for (size_t i = 0; i < mem.n && i < learned.n && !rc; i++)
        rc = cli_lexicon_merge(mem.lx[i], learned.lx[i], err);
    if (!rc)
        rc = align_all(b, &mem, "aligning again", err);
    cli_lexicons_free(&mem);
    cli_lexicons_free(&learned);
    free(all);
    return rc;
}

static int store_all(const batch *b, const add_args *a, am_tm *tm, long *stored, size_t *done,
                     am_error *err)
{
    int rc = AM_OK;
    for (*done = 0; *done < b->n && !rc; ++*done) {
        const batch_doc *d = &b->docs[*done];
        rc = add_store(a, tm, d->texts, d->n, d->al, d->title, 0, stored, err);
        if (rc)
            break;
    }
    if (!rc)
        rc = am_tm_lexicon_update(tm, 0, cli_progress_cb, (void *)"learning", err);
    cli_progress_end();
    return rc;
}

int add_batch(const add_args *a)
{
    batch b = {NULL, 0, 0};
    am_error err;
    am_tm *tm = NULL;
    long beads = 0, stored = 0;
    size_t done = 0;
    am_error_clear(&err);
    int rc = a->list ? read_list(&b, a->list, &err) : read_folder(&b, a->folder, &err);
    if (!rc && b.n == 0)
        rc = am_error_set(&err, AM_EINPUT, "%s: no documents found", a->list ? a->list : a->folder);
    if (!rc)
        rc = load_all(&b, a, &err);
    if (!rc && !(tm = cli_open_db(a->db, AM_TM_CREATE)))
        rc = AM_EDB; /* already reported */
    if (!rc)
        rc = am_tm_lexicon_update(tm, 0, cli_progress_cb, (void *)"learning", &err);
    cli_progress_end();
    if (!rc)
        rc = align_and_learn(&b, tm, &beads, &err);
    if (!rc)
        rc = store_all(&b, a, tm, &stored, &done, &err);
    int exit_code = EXIT_OK;
    if (rc) {
        exit_code = err.code ? cli_report(&err) : EXIT_FAIL;
        if (done > 0)
            cli_fail("%zu of %zu documents were stored before the error", done, b.n);
    } else if (!a->quiet) {
        fprintf(stderr,
                "alignmem: %zu documents, %ld units stored; learned from %ld confident beads "
                "before aligning again\n",
                b.n, stored, beads);
    }
    am_tm_close(tm);
    batch_free(&b);
    return exit_code;
}
