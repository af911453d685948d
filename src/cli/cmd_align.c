/* cmd_align.c - `alignmem align [options] FILE FILE [FILE...]`: align two
 * or more versions of a text and print the beads. With --db, the lexicons
 * the memory learned (issue #9) join the bead score; a memory that is
 * empty, missing or knows none of the languages changes nothing. */
#include "cli.h"
#include "lexicons.h"
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    printf("Usage: alignmem align [options] FILE FILE [FILE...]\n\n"
           "Align two or more versions of one text sentence by sentence and print\n"
           "the beads: groups of consecutive sentences that translate each other.\n\n"
           "Options:\n"
           "  -l, --lang L1,L2,...  languages of the files, in order (default: from\n"
           "                        names like text.uk.txt, else detected)\n"
           "  -p, --presegmented    one sentence a line, a blank line ends a paragraph\n"
           "  -f, --format FMT      jsonl (default), tsv or html\n"
           "      --flag-below X    html: flag beads under this confidence (0.8)\n"
           "      --max-side N      most sentences on one side of a bead (1-3, default 3)\n"
           "      --db PATH         use the word lexicon learned by this memory (brought\n"
           "                        up to date first when the memory is writable)\n"
           "  -o, --output FILE     write to FILE (replaced only when aligning succeeds;\n"
           "                        - is standard output, the default)\n"
           "  -q, --quiet           no progress bar\n"
           "  -h, --help            show this help\n\n"
           "jsonl: one bead a line, {\"uk\": [...], \"en\": [...], \"ids\": {...},\n"
           "\"score\": 0.93}; the score is the bead's confidence in [0, 1].\n");
}

typedef struct align_args {
    const char *langs;
    int presegmented;
    int format;
    double flag_below;
    int max_side;
    const char *output;
    const char *db;
    int quiet;
} align_args;

static int parse_format(const char *s)
{
    if (!strcmp(s, "jsonl"))
        return AM_REPORT_JSONL;
    if (!strcmp(s, "tsv"))
        return AM_REPORT_TSV;
    if (!strcmp(s, "html"))
        return AM_REPORT_HTML;
    return 0;
}

/* Split the --lang list into langs[0..n); returns the count or -1. */
static int split_langs(char *list, char **langs, int max)
{
    int n = 0;
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        if (n == max)
            return -1;
        langs[n++] = tok;
    }
    return n;
}

static int parse_args(align_args *a, int argc, char **argv)
{
    static const struct option opts[] = {{"lang", required_argument, NULL, 'l'},
                                         {"presegmented", no_argument, NULL, 'p'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"flag-below", required_argument, NULL, 'B'},
                                         {"max-side", required_argument, NULL, 'M'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "l:pf:o:qh", opts)) != -1) {
        switch (c) {
        case 'l': a->langs = optarg; break;
        case 'p': a->presegmented = 1; break;
        case 'o': a->output = optarg; break;
        case 'q': a->quiet = 1; break; /* cli_getopt turned the bar off */
        case 'd': a->db = optarg; break;
        case 'f':
            if (!(a->format = parse_format(optarg)))
                return cli_usage("align", "unknown format '%s' (jsonl, tsv or html)", optarg);
            break;
        case 'B':
            if (cli_parse_double(optarg, 0, 1, &a->flag_below))
                return cli_usage("align", "--flag-below wants a number in [0, 1]");
            break;
        case 'M': {
            long long v;
            if (cli_parse_long(optarg, 1, 3, &v))
                return cli_usage("align", "--max-side wants 1, 2 or 3");
            a->max_side = (int)v;
            break;
        }
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

static int load_all(am_text **texts, char **files, int n, char **langs, int presegmented)
{
    am_error err;
    for (int i = 0; i < n; i++) {
        am_error_clear(&err);
        if (am_text_load(&texts[i], files[i], langs ? langs[i] : NULL, presegmented, &err))
            return cli_report(&err) == EXIT_USAGE ? EXIT_USAGE : EXIT_FAIL;
    }
    return EXIT_OK;
}

/* The page title: the file names without their folders, joined by " · ",
 * so a saved page says what it compares. Caller frees; NULL when out of
 * memory. */
static char *page_title(char **files, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(files[i]) + 4;
    char *t = malloc(len);
    if (!t)
        return NULL;
    t[0] = 0;
    for (int i = 0; i < n; i++) {
        const char *slash = strrchr(files[i], '/');
        if (i)
            strcat(t, " \xc2\xb7 "); /* U+00B7 MIDDLE DOT, UTF-8 */
        strcat(t, slash && slash[1] ? slash + 1 : files[i]);
    }
    return t;
}

/* A temporary file next to path (same file system, so rename() is atomic
 * and a failed run never leaves a partial FILE). *tmp gets its name, owned
 * by the caller; NULL when it cannot be created (reported). */
static FILE *open_temp(const char *path, char **tmp)
{
    size_t n = strlen(path) + 16;
    FILE *fp = NULL;
    int fd = -1;
    if (!(*tmp = malloc(n)))
        return cli_fail("out of memory"), NULL;
    snprintf(*tmp, n, "%s.XXXXXX", path);
    if ((fd = mkstemp(*tmp)) >= 0) {
        /* mkstemp makes it 0600; give it the mode a plain fopen would. */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
        fp = fdopen(fd, "wb");
    }
    if (!fp) {
        cli_fail("%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(*tmp);
        }
        free(*tmp);
        *tmp = NULL;
    }
    return fp;
}

/* Render al to a->output (stdout when NULL or "-") via a temporary file. */
static int write_output(const am_alignment *al, am_text **texts, int n, const align_args *a,
                        const am_report_opts *ropts, am_error *err)
{
    char *tmp = NULL;
    int to_file = a->output && strcmp(a->output, "-") != 0;
    FILE *fp = to_file ? open_temp(a->output, &tmp) : stdout;
    if (!fp)
        return EXIT_FAIL;
    int rc = am_report_write(fp, al, (const am_text *const *)texts, (size_t)n, ropts, err);
    if (rc)
        rc = cli_report(err);
    if (to_file) {
        if (fclose(fp) != 0 && !rc)
            rc = cli_fail("%s: cannot write: %s", a->output, strerror(errno));
        if (!rc && rename(tmp, a->output) != 0)
            rc = cli_fail("%s: cannot write: %s", a->output, strerror(errno));
        if (rc)
            unlink(tmp);
        free(tmp);
    }
    return rc;
}

/* The memory's lexicons for these versions (--db); none without --db or
 * when the memory does not exist yet. */
static int memory_lexicons(cli_lexicons *lx, am_text **texts, int n, const align_args *a)
{
    int missing = 0;
    if (!a->db)
        return EXIT_OK;
    am_tm *tm = cli_open_memory_for_lexicon(a->db, &missing, a->quiet);
    if (missing) {
        if (!a->quiet)
            cli_warn("%s: no memory here yet; aligning without its lexicon", a->db);
        return EXIT_OK;
    }
    if (!tm)
        return EXIT_FAIL;
    am_error err;
    am_error_clear(&err);
    int rc = cli_lexicons_load(lx, tm, (am_text *const *)texts, (size_t)n, 0, &err);
    am_tm_close(tm);
    return rc ? cli_report(&err) : EXIT_OK;
}

static int run_align(am_text **texts, char **files, int n, const align_args *a)
{
    am_error err;
    am_alignment *al = NULL;
    am_align_opts opts = AM_ALIGN_OPTS_INIT;
    cli_lexicons lx = CLI_LEXICONS_INIT;
    char *title = page_title(files, n);
    am_report_opts ropts = {a->format, a->flag_below, title ? title : "alignmem align"};
    am_error_clear(&err);
    opts.max_side = a->max_side;
    opts.progress = cli_progress_cb;
    opts.progress_ctx = (void *)"aligning";
    int rc = memory_lexicons(&lx, texts, n, a);
    if (!rc && cli_lexicons_opts(&lx, &opts))
        rc = cli_fail("out of memory");
    if (!rc) {
        rc = am_align(&al, (const am_text *const *)texts, (size_t)n, &opts, &err);
        cli_progress_end();
        rc = rc ? cli_report(&err) : write_output(al, texts, n, a, &ropts, &err);
    }
    am_alignment_free(al);
    cli_lexicons_free(&lx);
    free(title);
    return rc;
}

int cmd_align(int argc, char **argv)
{
    align_args a = {NULL, 0, AM_REPORT_JSONL, 0.8, 3, NULL, NULL, 0};
    char *langs_buf = NULL, *langs[64];
    am_text **texts = NULL;
    int rc = parse_args(&a, argc, argv), n = argc - optind;
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (n < 2)
        return cli_usage("align", "needs at least two files, got %d", n);
    if (n > 16)
        return cli_usage("align", "at most 16 files can be aligned at once");
    if (a.langs) {
        langs_buf = strdup(a.langs);
        if (!langs_buf)
            return cli_fail("out of memory");
        if (split_langs(langs_buf, langs, 64) != n) {
            free(langs_buf);
            return cli_usage("align", "--lang %s: give one language per file (%d files)", a.langs, n);
        }
    }
    texts = calloc((size_t)n, sizeof *texts);
    if (!texts)
        rc = cli_fail("out of memory");
    if (!rc)
        rc = load_all(texts, argv + optind, n, a.langs ? langs : NULL, a.presegmented);
    if (!rc)
        rc = run_align(texts, argv + optind, n, &a);
    for (int i = 0; texts && i < n; i++)
        am_text_free(texts[i]);
    free(texts);
    free(langs_buf);
    return rc;
}
