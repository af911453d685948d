/*
 * cmd_add.c - `alignmem add FILE FILE [FILE...]`: align versions of one
 * document and store the beads in the memory, in one transaction; with
 * --list or --folder, many documents at once (add_batch.c).
 *
 * The memory's lexicons (issue #9) join the bead score: the counts are
 * brought up to date (import does not learn), loaded for the stems of the
 * versions, and after storing, the new units are learned inside the same
 * transaction.
 *
 * A document's identity is a checksum over its languages and texts, so
 * adding the same files again changes nothing (and says so). Each bead
 * with at least two non-empty sides becomes a unit: one variant per
 * language (the bead's sentences joined by one space), position = bead
 * number, confidence = bead score. A unit already stored counts one more
 * use; a different rendering of a stored source is kept beside it.
 */
#include "add.h"
#include "cli.h"
#include "lexicons.h"
#include "progress.h"
#include "report/tsv_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("Usage: alignmem add [options] FILE FILE [FILE...]\n"
           "       alignmem add [options] --list FILE | --folder DIR\n\n"
           "Align two or more versions of one document and store them in the memory.\n"
           "Adding the same document again changes nothing.\n\n"
           "  --db PATH             the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --title T             the document's title (default: the first file's name)\n"
           "  --origin URL          where the document comes from\n"
           "  --date D              the document's date (YYYY-MM-DD)\n"
           "  -l, --lang L1,L2,...  languages of the files, in order (default: from\n"
           "                        names like text.uk.txt, else detected)\n"
           "  -p, --presegmented    one sentence a line, a blank line ends a paragraph\n"
           "  --aligned FILE.tsv    store the beads of a reviewed `align --format tsv`\n"
           "                        made from these files, instead of aligning them\n"
           "  --list FILE           many documents: one line each, its version files\n"
           "                        separated by tabs (or spaces), relative to FILE's folder\n"
           "  --folder DIR          many documents: DIR's NAME.LANG.txt and NAME.LANG.sent\n"
           "                        files (.sent: one sentence a line), grouped by NAME\n"
           "  -q, --quiet           no summary on stderr\n"
           "  -h, --help            show this help\n");
}

static int parse(add_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"title", required_argument, NULL, 't'},
        {"origin", required_argument, NULL, 'o'}, {"date", required_argument, NULL, 'D'},
        {"lang", required_argument, NULL, 'l'},   {"presegmented", no_argument, NULL, 'p'},
        {"aligned", required_argument, NULL, 'A'}, {"list", required_argument, NULL, 'L'},
        {"folder", required_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "l:pqh", opts)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 't': a->title = optarg; break;
        case 'o': a->origin = optarg; break;
        case 'D': a->date = optarg; break;
        case 'l': a->langs = optarg; break;
        case 'p': a->presegmented = 1; break;
        case 'q': a->quiet = 1; break;
        case 'A': a->aligned = optarg; break;
        case 'L': a->list = optarg; break;
        case 'F': a->folder = optarg; break;
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    int n = argc - optind;
    if (a->list || a->folder)
        return add_batch_check(a, argv[0], n);
    if (n < 2)
        return cli_usage(argv[0], "give at least two versions to align");
    if (n > MAX_VERSIONS)
        return cli_usage(argv[0], "at most %d versions", MAX_VERSIONS);
    return EXIT_OK;
}

/* The document's identity: FNV-1a (two 64-bit lanes with different
 * offsets) over each version's language and text. */
static void content_checksum(char *out, size_t outsz, am_text *const *t, size_t n)
{
    uint64_t h1 = 1469598103934665603ULL, h2 = 0x84222325cbf29ce4ULL;
    for (size_t i = 0; i < n; i++) {
        for (int part = 0; part < 2; part++) {
            const char *p = part ? t[i]->data : t[i]->lang;
            size_t len = part ? t[i]->size : strlen(t[i]->lang);
            for (size_t k = 0; k < len; k++) {
                h1 = (h1 ^ (unsigned char)p[k]) * 1099511628211ULL;
                h2 = (h2 ^ (unsigned char)p[k]) * 1099511628211ULL;
            }
            h1 = (h1 ^ 0x100) * 1099511628211ULL; /* separator no byte can fake */
            h2 = (h2 ^ 0x100) * 1099511628211ULL;
        }
    }
    snprintf(out, outsz, "content:%016llx%016llx", (unsigned long long)h1,
             (unsigned long long)h2);
}

int add_join_sentences(am_buf *out, const am_text *t, size_t b, size_t e)
{
    am_buf_clear(out);
    for (size_t k = b; k < e; k++) {
        if (k > b && am_buf_putc(out, ' '))
            return AM_ENOMEM;
        if (am_buf_append(out, t->data + t->segs[k].offset, t->segs[k].length))
            return AM_ENOMEM;
    }
    return am_buf_reserve(out, 0);
}

typedef struct store_state {
    am_tm *tm;
    am_text *const *texts;
    size_t n;
    const am_alignment *al;
    int64_t doc;
    long counts[4], lone;
} store_state;

/* Store every bead with two or more non-empty sides. */
static int store_beads(store_state *s, am_error *err)
{
    am_buf bufs[MAX_VERSIONS];
    am_variant v[MAX_VERSIONS];
    int rc = AM_OK;
    memset(bufs, 0, sizeof bufs);
    for (size_t b = 0; b < s->al->n_beads && !rc; b++) {
        size_t nv = 0;
        memset(v, 0, sizeof v);
        for (size_t i = 0; i < s->n && !rc; i++) {
            size_t from = AM_BEAD_BEGIN(s->al, b, i), to = AM_BEAD_END(s->al, b, i);
            if (from == to)
                continue;
            if (add_join_sentences(&bufs[nv], s->texts[i], from, to))
                rc = am_error_set(err, AM_ENOMEM, "out of memory");
            v[nv].lang = s->texts[i]->lang;
            v[nv].text = bufs[nv].data;
            nv++;
        }
        if (rc || nv < 2) {
            s->lone += !rc;
            continue; /* a sentence without counterpart translates nothing */
        }
        am_unit u;
        memset(&u, 0, sizeof u);
        u.document = s->doc;
        u.position = (long)b;
        u.confidence = s->al->score ? s->al->score[b] : -1;
        u.srclang = s->texts[0]->lang;
        u.usagecount = 1;
        u.variants = v;
        u.n_variants = nv;
        int outcome = AM_TM_ADDED;
        rc = am_tm_add_unit(s->tm, &u, AM_DUP_KEEP | AM_DUP_COUNT_USE, NULL, &outcome, err);
        if (!rc)
            s->counts[outcome]++;
    }
    for (size_t i = 0; i < MAX_VERSIONS; i++)
        am_buf_free(&bufs[i]);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int add_store(const add_args *a, am_tm *tm, am_text *const *texts, size_t n,
              const am_alignment *al, const char *title, int learn, long *stored,
              am_error *err)
{
    char sum[64];
    am_buf langs = AM_BUF_INIT;
    content_checksum(sum, sizeof sum, texts, n);
    for (size_t i = 0; i < n; i++)
        if (am_buf_printf(&langs, "%s%s", i ? "," : "", texts[i]->lang))
            return am_error_set(err, AM_ENOMEM, "out of memory");
    am_document d = {0, title, a->origin, a->date, langs.data, sum};
    store_state s = {tm, texts, n, al, 0, {0, 0, 0, 0}, 0};
    int existed = 0;
    int rc = am_tm_begin(tm, err);
    if (!rc)
        rc = am_tm_add_document(tm, &d, &s.doc, &existed, err);
    if (!rc && existed) {
        am_tm_rollback(tm);
        if (!a->quiet)
            fprintf(stderr, "alignmem: %s: already in the memory (document %lld); nothing added\n",
                    d.title, (long long)s.doc);
        am_buf_free(&langs);
        return AM_OK;
    }
    if (!rc)
        rc = store_beads(&s, err);
    /* Learn the new units in the same transaction: the memory never holds
     * units its lexicon has silently skipped. */
    if (!rc && learn)
        rc = am_tm_lexicon_update(tm, 0, NULL, NULL, err);
    if (!rc)
        rc = am_tm_commit(tm, err);
    else
        am_tm_rollback(tm);
    if (!rc && !a->quiet)
        fprintf(stderr,
                "alignmem: %s: document %lld, %ld units stored (%ld new, %ld already known), "
                "%ld sentences without counterpart\n",
                d.title, (long long)s.doc, s.counts[AM_TM_ADDED] + s.counts[AM_TM_MERGED],
                s.counts[AM_TM_ADDED], s.counts[AM_TM_MERGED], s.lone);
    if (!rc && stored)
        *stored += s.counts[AM_TM_ADDED] + s.counts[AM_TM_MERGED];
    am_buf_free(&langs);
    return rc;
}

int add_split_langs(char **list, char *langs[MAX_VERSIONS], size_t *n, const char *arg,
                    am_error *err)
{
    char *save = NULL;
    *n = 0;
    *list = arg ? strdup(arg) : NULL;
    if (arg && !*list)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (char *t = *list ? strtok_r(*list, ",", &save) : NULL; t && *n < MAX_VERSIONS;
         t = strtok_r(NULL, ",", &save))
        langs[(*n)++] = t;
    return AM_OK;
}

static int load_texts(am_text **texts, char **files, size_t n, const add_args *a,
                      am_error *err)
{
    char *list, *langs[MAX_VERSIONS] = {NULL};
    size_t nl = 0;
    int rc = add_split_langs(&list, langs, &nl, a->langs, err);
    if (rc)
        return rc;
    if (list && nl != n)
        rc = am_error_set(err, AM_EARG, "--lang gives %zu languages for %zu files", nl, n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = am_text_load(&texts[i], files[i], list ? langs[i] : NULL, a->presegmented, err);
    free(list);
    return rc;
}

/* Align with the memory's lexicons for these versions. */
static int align_with_memory(am_alignment **al, am_tm *tm, am_text **texts, size_t n,
                             am_error *err)
{
    cli_lexicons lx = CLI_LEXICONS_INIT;
    am_align_opts opts = AM_ALIGN_OPTS_INIT;
    opts.progress = cli_progress_cb;
    opts.progress_ctx = (void *)"aligning";
    int rc = am_tm_lexicon_update(tm, 0, cli_progress_cb, (void *)"learning", err);
    cli_progress_end();
    if (!rc)
        rc = cli_lexicons_load(&lx, tm, texts, n, 0, err);
    if (!rc && cli_lexicons_opts(&lx, &opts))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    if (!rc)
        rc = am_align(al, (const am_text *const *)texts, n, &opts, err);
    cli_progress_end();
    cli_lexicons_free(&lx);
    return rc;
}

int cmd_add(int argc, char **argv)
{
    add_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(&a, argc, argv);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (a.list || a.folder)
        return add_batch(&a);
    size_t n = (size_t)(argc - optind);
    char **files = argv + optind;
    am_text *texts[MAX_VERSIONS] = {NULL};
    am_alignment *al = NULL;
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    rc = load_texts(texts, files, n, &a, &err);
    if (!rc && !(tm = cli_open_db(a.db, AM_TM_CREATE)))
        rc = AM_EDB; /* already reported */
    if (!rc && a.aligned)
        /* The reviewed beads, checked against the versions (tsv_read.h). */
        rc = am_aligned_tsv_read(&al, a.aligned, (const am_text *const *)texts, n, &err);
    else if (!rc)
        rc = align_with_memory(&al, tm, texts, n, &err);
    if (!rc)
        rc = add_store(&a, tm, texts, n, al, a.title ? a.title : base_name(files[0]), 1, NULL,
                       &err);
    int exit_code = EXIT_OK;
    if (rc && err.code)
        exit_code = cli_report(&err);
    else if (rc)
        exit_code = EXIT_FAIL;
    am_tm_close(tm);
    am_alignment_free(al);
    for (size_t i = 0; i < n; i++)
        am_text_free(texts[i]);
    return exit_code;
}
