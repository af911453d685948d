/* cmd_concord.c - `alignmem concord`: every unit holding a phrase, in a
 * keyword-in-context layout, the most frequent rendering first. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEFT_COLS 36
#define RIGHT_COLS 40

static void usage(void)
{
    printf("Usage: alignmem concord [options] PHRASE...\n"
           "       alignmem concord [options] -   (one phrase a line on stdin)\n\n"
           "Show every unit whose text in a language holds the phrase (case, apostrophe\n"
           "and ё insensitive, whole words; 'крим*' also finds inflected forms), with\n"
           "its renderings in the other languages, the phrase in context, units with\n"
           "the most frequent rendering first.\n\n"
           "  --lang LANG        language searched (default en)\n"
           "  --limit N          units shown (default 20); the total counts them all\n"
           "  --format FORMAT    text (default) or json\n"
           "  --db PATH          the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  -h, --help         show this help\n");
}

/* Code points in s[0..n). */
static size_t cps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Byte offset of the code point keep-from-the-end of s[0..n). */
static size_t tail_start(const char *s, size_t n, size_t keep)
{
    size_t total = cps(s, n), skip = total > keep ? total - keep : 0, i = 0;
    while (i < n && skip) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        skip--;
    }
    return i;
}

/* Byte length of the first keep code points of s[0..n). */
static size_t head_len(const char *s, size_t n, size_t keep)
{
    size_t i = 0;
    while (i < n && keep) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        keep--;
    }
    return i;
}

/* One keyword-in-context line: left context right-aligned. */
static int kwic(am_buf *b, const am_concord_hit *h, int color)
{
    const char *t = h->text;
    size_t n = strlen(t), off = h->hl_offset, len = h->hl_length, l0 = 0, ln;
    int rc = AM_OK;
    if (len == 0) /* cannot place it: the text as it is */
        return am_buf_printf(b, "%*s%s", LEFT_COLS, "", t);
    if (cps(t, off) > LEFT_COLS - 1)
        l0 = tail_start(t, off, LEFT_COLS - 1);
    ln = off - l0;
    size_t pad = LEFT_COLS - cps(t + l0, ln) - (l0 ? 1 : 0);
    rc = am_buf_printf(b, "%*s%s", (int)pad, "", l0 ? "…" : "");
    rc = rc ? rc : am_buf_append(b, t + l0, ln);
    rc = rc ? rc : am_buf_puts(b, color ? "\x1b[1;31m" : "[");
    rc = rc ? rc : am_buf_append(b, t + off, len);
    rc = rc ? rc : am_buf_puts(b, color ? "\x1b[0m" : "]");
    const char *r = t + off + len;
    size_t rn = n - off - len;
    if (cps(r, rn) > RIGHT_COLS) {
        rc = rc ? rc : am_buf_append(b, r, head_len(r, rn, RIGHT_COLS - 1));
        rc = rc ? rc : am_buf_puts(b, "…");
    } else {
        rc = rc ? rc : am_buf_append(b, r, rn);
    }
    return rc;
}

static int print_text(const am_concord *c, const char *phrase, const char *lang, int color)
{
    am_buf b = AM_BUF_INIT;
    int rc = am_buf_printf(&b, "%lld unit%s with \"%s\" in %s", c->total, c->total == 1 ? "" : "s",
                           phrase, lang);
    rc = rc ? rc : am_buf_printf(&b, c->n < (size_t)c->total ? ", showing %zu\n" : "\n", c->n);
    for (size_t i = 0; i < c->n && !rc; i++) {
        const am_concord_hit *h = &c->hits[i];
        if (h->group_size > 1 && (i == 0 || c->hits[i - 1].group != h->group))
            rc = am_buf_printf(&b, "-- %zu units share this rendering\n", h->group_size);
        rc = rc ? rc : kwic(&b, h, color);
        rc = rc ? rc : am_buf_printf(&b, "   #%lld", (long long)h->unit);
        if (!rc && h->document_title)
            rc = am_buf_printf(&b, " \"%s\"", h->document_title);
        for (size_t v = 0; v < h->n_variants && !rc; v++)
            rc = am_buf_printf(&b, "\n%*s%-5s %s", LEFT_COLS - 6, "", h->variants[v].lang,
                               h->variants[v].text);
        rc = rc ? rc : am_buf_putc(&b, '\n');
    }
    if (!rc)
        fwrite(b.data, 1, b.len, stdout);
    am_buf_free(&b);
    return rc;
}

static int hit_json(am_buf *b, const am_concord_hit *h, const char *lang)
{
    int rc = am_buf_printf(b, "{\"unit\": %lld, \"variants\": {", (long long)h->unit);
    rc = rc ? rc : am_buf_json_string(b, lang, strlen(lang));
    rc = rc ? rc : am_buf_puts(b, ": ");
    rc = rc ? rc : am_buf_json_string(b, h->text, strlen(h->text));
    for (size_t v = 0; v < h->n_variants && !rc; v++) {
        rc = am_buf_puts(b, ", ");
        rc = rc ? rc : am_buf_json_string(b, h->variants[v].lang, strlen(h->variants[v].lang));
        rc = rc ? rc : am_buf_puts(b, ": ");
        rc = rc ? rc : am_buf_json_string(b, h->variants[v].text, strlen(h->variants[v].text));
    }
    rc = rc ? rc : am_buf_puts(b, "}, \"document\": ");
    if (!rc && h->document_title)
        rc = am_buf_json_string(b, h->document_title, strlen(h->document_title));
    else if (!rc)
        rc = am_buf_puts(b, "null");
    rc = rc ? rc : am_buf_puts(b, ", \"match\": ");
    rc = rc ? rc : am_buf_json_string(b, h->text + h->hl_offset, h->hl_length);
    return rc ? rc
              : am_buf_printf(b, ", \"group\": %zu, \"group_size\": %zu}", h->group, h->group_size);
}

static int print_json(const am_concord *c, const char *phrase, const char *lang)
{
    am_buf b = AM_BUF_INIT;
    int rc = am_buf_puts(&b, "{\"phrase\": ");
    rc = rc ? rc : am_buf_json_string(&b, phrase, strlen(phrase));
    rc = rc ? rc : am_buf_puts(&b, ", \"lang\": ");
    rc = rc ? rc : am_buf_json_string(&b, lang, strlen(lang));
    rc = rc ? rc : am_buf_printf(&b, ", \"total\": %lld, \"units\": [", c->total);
    for (size_t i = 0; i < c->n && !rc; i++) {
        rc = i ? am_buf_puts(&b, ", ") : AM_OK;
        rc = rc ? rc : hit_json(&b, &c->hits[i], lang);
    }
    rc = rc ? rc : am_buf_puts(&b, "]}\n");
    if (!rc)
        fwrite(b.data, 1, b.len, stdout);
    am_buf_free(&b);
    return rc;
}

static int parse_opts(int argc, char **argv, am_concord_opts *o, int *json, int *timing,
                      const char **db)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},   {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, 'd'},
        {"timing", no_argument, NULL, 't'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (ch) {
        case 'l': o->lang = optarg; break;
        case 'n': {
            long long v;
            if (cli_parse_long(optarg, 1, 1000000, &v))
                return cli_usage(argv[0], "--limit wants a positive number, not '%s'", optarg);
            o->limit = (size_t)v;
            break;
        }
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage(argv[0], "unknown format '%s' (text or json)", optarg);
            *json = !strcmp(optarg, "json");
            break;
        case 'd': *db = optarg; break;
        case 't': *timing = 1; break; /* hidden: for scripts/bench/lookup.sh */
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no phrase to search for");
    return EXIT_OK;
}

typedef struct concord_cli {
    am_tm *tm;
    am_concord_opts o;
    int json, timing;
} concord_cli;

/* Search one phrase and print the result. */
static int one(concord_cli *cc, const char *phrase, size_t len, am_error *err)
{
    am_concord *c = NULL;
    size_t bad;
    if (am_utf8_validate(phrase, len, &bad))
        return am_error_set(err, AM_EINPUT, "the phrase is not valid UTF-8 (byte %zu)", bad);
    double t0 = cli_now_us(CLOCK_MONOTONIC), c0 = cli_now_us(CLOCK_PROCESS_CPUTIME_ID);
    int rc = am_tm_concord(&c, cc->tm, phrase, len, &cc->o, err);
    if (cc->timing) /* hidden, for scripts/bench/lookup.sh: wall and CPU microseconds */
        fprintf(stderr, "concord-us\t%.0f\t%.0f\n", cli_now_us(CLOCK_MONOTONIC) - t0,
                cli_now_us(CLOCK_PROCESS_CPUTIME_ID) - c0);
    if (!rc && (cc->json ? print_json(c, phrase, cc->o.lang)
                         : print_text(c, phrase, cc->o.lang, isatty(STDOUT_FILENO))))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    am_concord_free(c);
    return rc;
}

/* "-": one phrase a line from standard input. */
static int run_stdin(concord_cli *cc, am_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = AM_OK;
    while (!rc && (n = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        line[n] = '\0'; /* the printers take the phrase as a C string */
        if (n > 0 && (rc = one(cc, line, (size_t)n, err)))
            am_error_at(err, "<stdin>", lineno, -1, -1);
    }
    free(line);
    return rc;
}

int cmd_concord(int argc, char **argv)
{
    concord_cli cc = {NULL, AM_CONCORD_OPTS_INIT, 0, 0};
    const char *db = NULL;
    int rc = parse_opts(argc, argv, &cc.o, &cc.json, &cc.timing, &db);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (!cc.o.lang)
        cc.o.lang = "en";
    am_buf phrase = AM_BUF_INIT;
    for (int i = optind; i < argc; i++)
        if (am_buf_printf(&phrase, "%s%s", i > optind ? " " : "", argv[i]))
            return cli_fail("out of memory");
    am_error err;
    am_error_clear(&err);
    if (!(cc.tm = cli_open_db(db, AM_TM_READONLY))) {
        am_buf_free(&phrase);
        return EXIT_FAIL;
    }
    if (!strcmp(phrase.data, "-"))
        rc = run_stdin(&cc, &err);
    else
        rc = one(&cc, phrase.data, phrase.len, &err);
    am_tm_close(cc.tm);
    am_buf_free(&phrase);
    return rc ? cli_report(&err) : EXIT_OK;
}
