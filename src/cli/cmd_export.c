/*
 * cmd_export.c - `alignmem export`: the memory as TMX 1.4b, streamed
 * (am_tm_foreach -> am_tmx_write_unit), so memory use does not grow with
 * the memory.
 *
 * A pair export (--langs en,uk) writes only units having both languages
 * and only those variants, the source first: OmegaT 3.6 takes every other
 * variant of a tu as a translation when the target is missing, and
 * translate-toolkit reads source and target by position. A full export
 * (srclang "*all*") keeps every variant, for archiving.
 *
 * Provenance travels as props that `alignmem import` turns back into a
 * document: x-alignmem-document (title), x-alignmem-origin,
 * x-alignmem-date, x-alignmem-checksum (the document's identity) and
 * x-alignmem-position; the tmx writer adds x-alignmem-confidence.
 */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LANGS 16

typedef struct doc_info {
    int64_t id;
    char *title, *origin, *date, *checksum;
} doc_info;

typedef struct export_ctx {
    am_tmx_writer *w;
    const char *const *langs;
    size_t n_langs;
    doc_info *docs;
    size_t n_docs;
    am_variant *vbuf;
    size_t cap_v;
    am_prop *pbuf;
    size_t cap_p;
    size_t written;
    am_error *err;
} export_ctx;

static void usage(void)
{
    printf("Usage: alignmem export [options] [-o FILE]\n\n"
           "Write the memory as TMX 1.4b (to stdout, or FILE).\n\n"
           "  --db PATH            the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --langs L1,L2,...    only units having all these languages, only these variants,\n"
           "                       in this order (a pair export for CAT tools: --langs en,uk)\n"
           "  --srclang L|*all*    the header's source language; default: the first of\n"
           "                       --langs, else *all* (every variant, for archiving)\n"
           "  --doc ID             only the units of one document\n"
           "  --since DATE         only units changed on or after DATE (YYYY-MM-DD)\n"
           "  --min-score X        only units aligned with confidence >= X (0..1)\n"
           "  --lang-style STYLE   short (uk) or region (uk-UA) language codes\n"
           "  -o, --output FILE    write to FILE (replaced only when the export succeeds)\n"
           "  -q, --quiet          no progress bar on standard error\n"
           "  -h, --help           show this help\n");
}

static void free_docs(doc_info *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(d[i].title);
        free(d[i].origin);
        free(d[i].date);
        free(d[i].checksum);
    }
    free(d);
}

static char *dup_opt(const char *s, int *oom)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *oom = 1;
    return d;
}

typedef struct doc_list {
    doc_info *d;
    size_t n, cap;
    int oom;
} doc_list;

static int keep_doc(const am_document *doc, void *ctx)
{
    doc_list *l = ctx;
    if (l->n == l->cap) {
        doc_info *p = realloc(l->d, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *p);
        if (!p)
            return l->oom = 1;
        l->d = p;
    }
    doc_info *d = &l->d[l->n++];
    d->id = doc->id;
    d->title = dup_opt(doc->title, &l->oom);
    d->origin = dup_opt(doc->origin, &l->oom);
    d->date = dup_opt(doc->date, &l->oom);
    d->checksum = dup_opt(doc->checksum, &l->oom);
    return l->oom;
}

/* Documents are few next to units: keep them all in memory, by id. */
static int load_docs(export_ctx *x, am_tm *tm, am_error *err)
{
    doc_list l = {NULL, 0, 0, 0};
    int rc = am_tm_foreach_document(tm, keep_doc, &l, err);
    x->docs = l.d;
    x->n_docs = l.n;
    if (l.oom)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    return rc;
}

static const doc_info *find_doc(const export_ctx *x, int64_t id)
{
    size_t lo = 0, hi = x->n_docs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->docs[mid].id == id)
            return &x->docs[mid];
        if (x->docs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = need < 16 ? 16 : need * 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* The variants to write: all, or those of --langs in --langs order. */
static int pick_variants(export_ctx *x, const am_unit *u, am_unit *out)
{
    if (!x->n_langs)
        return 0;
    if (grow((void **)&x->vbuf, &x->cap_v, u->n_variants, sizeof *x->vbuf))
        return AM_ENOMEM;
    size_t n = 0;
    for (size_t l = 0; l < x->n_langs; l++)
        for (size_t i = 0; i < u->n_variants; i++)
            if (am_tm_lang_matches(x->langs[l], u->variants[i].lang))
                x->vbuf[n++] = u->variants[i];
    out->variants = x->vbuf;
    out->n_variants = n;
    out->srclang = x->langs[0]; /* the variant written first */
    return 0;
}

/* The unit's props plus the provenance props. */
static int add_provenance(export_ctx *x, const am_unit *u, am_unit *out, char *pos, size_t possz)
{
    const doc_info *d = u->document > 0 ? find_doc(x, u->document) : NULL;
    if (grow((void **)&x->pbuf, &x->cap_p, u->n_props + 5, sizeof *x->pbuf))
        return AM_ENOMEM;
    size_t n = 0;
    if (d) {
        if (d->title)
            x->pbuf[n++] = (am_prop){"x-alignmem-document", d->title, NULL};
        if (d->origin)
            x->pbuf[n++] = (am_prop){"x-alignmem-origin", d->origin, NULL};
        if (d->date)
            x->pbuf[n++] = (am_prop){"x-alignmem-date", d->date, NULL};
        x->pbuf[n++] = (am_prop){"x-alignmem-checksum", d->checksum, NULL};
        if (u->position >= 0) {
            snprintf(pos, possz, "%ld", u->position);
            x->pbuf[n++] = (am_prop){"x-alignmem-position", pos, NULL};
        }
    }
    if (u->n_props)
        memcpy(x->pbuf + n, u->props, u->n_props * sizeof *u->props);
    out->props = x->pbuf;
    out->n_props = n + u->n_props;
    return 0;
}

static int export_unit(const am_unit *u, void *ctx)
{
    export_ctx *x = ctx;
    am_unit out = *u;
    char pos[32];
    if (pick_variants(x, u, &out) || add_provenance(x, u, &out, pos, sizeof pos)) {
        am_error_set(x->err, AM_ENOMEM, "out of memory");
        return 1;
    }
    if (am_tmx_write_unit(x->w, &out, x->err) != AM_OK)
        return 1;
    cli_progress_update(++x->written);
    return 0;
}

static size_t split_langs(char *list, const char **out, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(list, ","); tok && n < max; tok = strtok(NULL, ","))
        if (*tok)
            out[n++] = tok;
    return n;
}

typedef struct export_opts {
    const char *db, *output, *srclang, *style;
    char *langs;
    am_tm_filter filter;
} export_opts;

static int parse(int argc, char **argv, export_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},        {"langs", required_argument, NULL, 'l'},
        {"srclang", required_argument, NULL, 's'},   {"doc", required_argument, NULL, 'D'},
        {"since", required_argument, NULL, 'S'},     {"min-score", required_argument, NULL, 'm'},
        {"lang-style", required_argument, NULL, 'y'}, {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "hqo:", opts)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'l': o->langs = optarg; break;
        case 's': o->srclang = optarg; break;
        case 'D': {
            long long v;
            if (cli_parse_long(optarg, 1, INT64_MAX, &v))
                return cli_usage(argv[0], "--doc needs a document id, not '%s'", optarg);
            o->filter.document = v;
            break;
        }
        case 'S': o->filter.since = optarg; break;
        case 'm':
            if (cli_parse_double(optarg, 0, 1, &o->filter.min_score))
                return cli_usage(argv[0], "--min-score needs a number from 0 to 1, not '%s'",
                                 optarg);
            break;
        case 'y': o->style = optarg; break;
        case 'o': o->output = optarg; break;
        case 'q': break; /* cli_getopt has already silenced the progress bar */
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (strcmp(o->style, "short") != 0 && strcmp(o->style, "region") != 0)
        return cli_usage(argv[0], "--lang-style is short or region, not '%s'", o->style);
    return 0;
}

/* Write to FILE.part and rename at the end, so a failed export never
 * leaves a truncated FILE that looks complete. */
static FILE *open_output(const char *output, char **tmp)
{
    *tmp = NULL;
    if (!output || strcmp(output, "-") == 0)
        return stdout;
    size_t n = strlen(output) + 6;
    if (!(*tmp = malloc(n)))
        return NULL;
    snprintf(*tmp, n, "%s.part", output);
    FILE *fp = fopen(*tmp, "wb");
    if (!fp) {
        cli_fail("%s: cannot write: %s", output, strerror(errno));
        free(*tmp);
        *tmp = NULL;
    }
    return fp;
}

static int run_export(am_tm *tm, export_opts *o, const char **langs, size_t n_langs, FILE *fp,
                      am_error *err)
{
    export_ctx x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.langs = langs;
    x.n_langs = n_langs;
    const char *src = o->srclang ? o->srclang : n_langs ? langs[0] : "*all*";
    am_tmx_header h;
    memset(&h, 0, sizeof h);
    h.srclang = src;
    h.creationtool = "alignmem";
    h.creationtoolversion = AM_VERSION_STRING;
    h.o_tmf = "alignmem";
    h.segtype = "sentence";
    h.datatype = "plaintext";
    h.adminlang = "en";
    int rc = load_docs(&x, tm, err);
    if (!rc)
        rc = am_tmx_writer_new(&x.w, fp, &h, strcmp(o->style, "region") == 0, err);
    if (!rc) {
        cli_progress_start("exporting", 0);
        rc = am_tm_foreach(tm, &o->filter, export_unit, &x, err);
        cli_progress_end();
        if (rc == AM_ESTOP)
            rc = err->code ? err->code : AM_EIO;
        if (!rc)
            rc = am_tmx_writer_finish(x.w, err);
        else
            am_tmx_writer_free(x.w);
    }
    free_docs(x.docs, x.n_docs);
    free(x.vbuf);
    free(x.pbuf);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    export_opts o = {NULL, NULL, NULL, "short", NULL, AM_TM_FILTER_INIT};
    const char *langs[MAX_LANGS];
    size_t n_langs = 0;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    char *lang_list = o.langs ? strdup(o.langs) : NULL;
    if (o.langs && !lang_list)
        return cli_fail("out of memory");
    if (lang_list && (n_langs = split_langs(lang_list, langs, MAX_LANGS)) == 0) {
        free(lang_list);
        return cli_usage(argv[0], "--langs needs language codes, like en,uk");
    }
    /* The source language goes first: tools read source/target by position. */
    for (size_t i = 1; o.srclang && i < n_langs; i++) {
        if (strcmp(langs[i], o.srclang) == 0) {
            const char *t = langs[i];
            memmove(langs + 1, langs, i * sizeof *langs);
            langs[0] = t;
        }
    }
    o.filter.langs = n_langs ? langs : NULL;
    o.filter.n_langs = n_langs;
    am_tm *tm = cli_open_db(o.db, AM_TM_READONLY);
    char *tmp = NULL;
    FILE *fp = tm ? open_output(o.output, &tmp) : NULL;
    am_error err;
    am_error_clear(&err);
    rc = EXIT_FAIL;
    if (fp) {
        int lrc = run_export(tm, &o, langs, n_langs, fp, &err);
        if (fp != stdout && fclose(fp) != 0 && !lrc)
            lrc = am_error_set(&err, AM_EIO, "cannot write: %s", strerror(errno));
        if (lrc) {
            rc = cli_report(&err);
            if (tmp)
                remove(tmp);
        } else if (tmp && rename(tmp, o.output) != 0) {
            rc = cli_fail("%s: cannot write: %s", o.output, strerror(errno));
            remove(tmp);
        } else {
            rc = EXIT_OK;
        }
    }
    free(tmp);
    free(lang_list);
    am_tm_close(tm);
    return rc;
}
