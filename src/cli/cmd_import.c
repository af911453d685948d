/*
 * cmd_import.c - `alignmem import`: TMX files into the memory, streamed
 * (am_tmx_read -> am_tm_add_unit), one transaction per file: a file that
 * fails half-way stores nothing, and the error names file, line and column.
 *
 * The provenance props that `alignmem export` writes (x-alignmem-document,
 * -origin, -date, -checksum, -position) become a document and the unit's
 * position again, so import(export(memory)) gives the same units; every
 * other prop and note is kept as it is.
 */
#include "cli.h"
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct import_ctx {
    am_tm *tm;
    int on_dup;
    long counts[4]; /* by AM_TM_ADDED, _MERGED, _SKIPPED, _REPLACED */
    am_prop *pbuf;
    size_t cap_p;
    am_buf doc_key;  /* the document of the previous unit, and its id */
    int64_t doc_id;
    am_error *err;
} import_ctx;

static void usage(void)
{
    printf("Usage: alignmem import [options] FILE.tmx...\n\n"
           "Import TMX 1.1-1.4 files (UTF-8 or UTF-16) into the memory, one transaction\n"
           "per file: a malformed file stores nothing. Identical units are merged.\n\n"
           "  --db PATH                the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --on-duplicate MODE      a unit whose source text is stored with another\n"
           "                           rendering: keep both (keep, default), skip the new\n"
           "                           one (skip), or replace the stored one (replace)\n"
           "  -q, --quiet              no summary on stderr\n"
           "  -h, --help               show this help\n");
}

typedef struct provenance {
    const char *title, *origin, *date, *checksum, *position;
} provenance;

/* Split the unit's props into ours (provenance) and the others. */
static int split_props(import_ctx *x, const am_unit *u, provenance *p, size_t *n_other)
{
    static const char prefix[] = "x-alignmem-";
    memset(p, 0, sizeof *p);
    if (u->n_props > x->cap_p) {
        am_prop *q = realloc(x->pbuf, u->n_props * 2 * sizeof *q);
        if (!q)
            return AM_ENOMEM;
        x->pbuf = q;
        x->cap_p = u->n_props * 2;
    }
    size_t n = 0;
    for (size_t i = 0; i < u->n_props; i++) {
        const am_prop *q = &u->props[i];
        const char *t = q->type && !strncmp(q->type, prefix, sizeof prefix - 1)
                            ? q->type + sizeof prefix - 1
                            : "";
        if (!strcmp(t, "document")) p->title = q->value;
        else if (!strcmp(t, "origin")) p->origin = q->value;
        else if (!strcmp(t, "date")) p->date = q->value;
        else if (!strcmp(t, "checksum")) p->checksum = q->value;
        else if (!strcmp(t, "position")) p->position = q->value;
        else x->pbuf[n++] = *q;
    }
    *n_other = n;
    return AM_OK;
}

/* The document id of the unit's provenance; 0 when it has none. Units of
 * one document come together, so the previous answer is usually right. */
static int document_of(import_ctx *x, const provenance *p, int64_t *id)
{
    *id = 0;
    if (!p->title && !p->checksum)
        return AM_OK;
    am_buf key = AM_BUF_INIT;
    if (am_buf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", p->checksum ? p->checksum : "",
                      p->title ? p->title : "", p->origin ? p->origin : "",
                      p->date ? p->date : ""))
        return am_error_set(x->err, AM_ENOMEM, "out of memory");
    int rc = AM_OK;
    if (x->doc_key.data && !strcmp(key.data, x->doc_key.data)) {
        *id = x->doc_id;
    } else {
        am_document d = {0, p->title, p->origin, p->date, NULL, p->checksum};
        rc = am_tm_add_document(x->tm, &d, &x->doc_id, NULL, x->err);
        am_buf_clear(&x->doc_key);
        if (!rc && am_buf_append(&x->doc_key, key.data, key.len))
            rc = am_error_set(x->err, AM_ENOMEM, "out of memory");
        *id = x->doc_id;
    }
    am_buf_free(&key);
    return rc;
}

static int on_unit(const am_unit *u, void *ctx)
{
    import_ctx *x = ctx;
    provenance p;
    size_t n_other;
    am_unit copy = *u;
    int outcome = AM_TM_ADDED;
    if (split_props(x, u, &p, &n_other)) {
        am_error_set(x->err, AM_ENOMEM, "out of memory");
        return 1;
    }
    copy.props = x->pbuf;
    copy.n_props = n_other;
    if (document_of(x, &p, &copy.document))
        return 1;
    if (p.position) {
        char *end;
        long pos = strtol(p.position, &end, 10);
        copy.position = *end || pos < 0 ? -1 : pos;
    }
    if (am_tm_add_unit(x->tm, &copy, x->on_dup, NULL, &outcome, x->err))
        return 1;
    x->counts[outcome]++;
    return 0;
}

static void on_warning(const char *where, long line, const char *msg, void *ctx)
{
    (void)ctx;
    if (line > 0)
        cli_warn("%s:%ld: %s", where ? where : "", line, msg);
    else
        cli_warn("%s: %s", where ? where : "", msg);
}

static void on_progress(long long done, long long total, void *ctx)
{
    (void)ctx;
    if (total > 0)
        cli_progress_set_total((size_t)total);
    cli_progress_update((size_t)done);
}

/* One file, one transaction. */
static int import_file(import_ctx *x, const char *path, int quiet)
{
    am_error err;
    am_error_clear(&err);
    x->err = &err;
    memset(x->counts, 0, sizeof x->counts);
    am_buf_free(&x->doc_key);
    am_tmx_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.on_unit = on_unit;
    cb.on_warning = on_warning;
    cb.on_progress = on_progress;
    cb.ctx = x;
    int rc = am_tm_begin(x->tm, &err);
    if (!rc) {
        cli_progress_start("importing", 0);
        rc = am_tmx_read(path, &cb, &err);
        cli_progress_end();
        if (rc == AM_ESTOP && err.code)
            rc = err.code;
        if (!rc)
            rc = am_tm_commit(x->tm, &err);
        else
            am_tm_rollback(x->tm);
    }
    if (rc) {
        am_error_at(&err, path, -1, -1, -1);
        cli_report(&err);
        cli_warn("%s: nothing imported from this file", path);
        return EXIT_FAIL;
    }
    if (!quiet) {
        long total = x->counts[0] + x->counts[1] + x->counts[2] + x->counts[3];
        fprintf(stderr, "%s: %ld units: %ld added, %ld merged, %ld skipped, %ld replaced\n", path,
                total, x->counts[AM_TM_ADDED], x->counts[AM_TM_MERGED], x->counts[AM_TM_SKIPPED],
                x->counts[AM_TM_REPLACED]);
    }
    return EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"on-duplicate", required_argument, NULL, 'u'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int on_dup = AM_DUP_KEEP, quiet = 0, c;
    while ((c = cli_getopt(argc, argv, "hq", opts)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = 1; break;
        case 'u':
            if (!strcmp(optarg, "skip")) on_dup = AM_DUP_SKIP;
            else if (!strcmp(optarg, "replace")) on_dup = AM_DUP_REPLACE;
            else if (!strcmp(optarg, "keep")) on_dup = AM_DUP_KEEP;
            else return cli_usage(argv[0], "--on-duplicate is skip, replace or keep, not '%s'", optarg);
            break;
        case 'h': usage(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no TMX file given");
    import_ctx x;
    memset(&x, 0, sizeof x);
    x.on_dup = on_dup;
    x.tm = cli_open_db(db, AM_TM_CREATE);
    if (!x.tm)
        return EXIT_FAIL;
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++)
        if (import_file(&x, argv[i], quiet) != EXIT_OK)
            rc = EXIT_FAIL;
    free(x.pbuf);
    am_buf_free(&x.doc_key);
    am_tm_close(x.tm);
    return rc;
}
