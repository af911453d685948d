/* cmd_lookup.c - `alignmem lookup`: fuzzy matches of one segment, or of
 * every line of standard input (pre-translation, with in-context 101%). */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fputs("Usage: alignmem lookup --from LANG [options] TEXT...\n"
           "       alignmem lookup --from LANG [options] -   (one segment a line on stdin)\n\n"
           "Find earlier renderings of a segment: fuzzy matches from the memory with\n"
           "their score, the renderings in other languages, the document they came\n"
           "from, and the words that differ ([-stored-]{+query+}).\n\n"
           "Score: 100 * (max(n,m) - d) / max(n,m) over the n and m words of the\n"
           "normalised texts, d their word edit distance (as OmegaT); 100 only for\n"
           "identical text: case -1, punctuation/apostrophes/spacing -1, number format\n"
           "-2, inline codes -1. With '-', an exact match following the previous\n"
           "line's match in its document is shown as 101% (in context).\n\n"
           "  --from LANG        language of the query (required)\n"
           "  --to LIST          languages to show, comma-separated (default: all)\n"
           "  --min N            lowest score shown, 0-100 (default 70)\n"
           "  --max N            matches per segment (default 5)\n"
           "  --format FORMAT    text (default) or json (one object a segment)\n"
           "  --db PATH          the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  -h, --help         show this help\n",
          stdout);
}

typedef struct lookup_cli {
    am_lookup *lk;
    int json, color, timing;
    double min;
    const char *from;
} lookup_cli;

/* 87.5, 83.33, 100: two decimals at most, no trailing zeros. */
static void fmt_score(char *out, size_t n, double s)
{
    snprintf(out, n, "%.10g", round(s * 100) / 100);
}

static int penalties_text(am_buf *b, int flags)
{
    static const struct { int flag; const char *what; } p[] = {
        {AM_FUZZY_CASE, "case -1"}, {AM_FUZZY_PUNCT, "punctuation -1"},
        {AM_FUZZY_NUMFMT, "number format -2"}, {AM_FUZZY_CODES, "inline codes -1"},
        {AM_FUZZY_NUMBERS, "numbers differ"}};
    int rc = AM_OK, first = 1;
    for (size_t i = 0; i < sizeof p / sizeof p[0] && !rc; i++) {
        if (!(flags & p[i].flag))
            continue;
        rc = am_buf_printf(b, "%s%s", first ? "" : ", ", p[i].what);
        first = 0;
    }
    return rc;
}

static int print_text(const lookup_cli *c, const char *q, size_t len, const am_matches *r)
{
    am_buf b = AM_BUF_INIT;
    char sc[32];
    int rc = am_buf_printf(&b, "%.*s\n", (int)len, q);
    if (r->n == 0 && !rc) {
        fmt_score(sc, sizeof sc, c->min);
        rc = am_buf_printf(&b, "  no match at or above %s%%\n", sc);
    }
    for (size_t i = 0; i < r->n && !rc; i++) {
        const am_match *m = &r->m[i];
        fmt_score(sc, sizeof sc, m->score);
        rc = am_buf_printf(&b, "  %s%%%s  unit %lld", sc, m->context ? " (in context)" : "",
                           (long long)m->unit);
        if (!rc && m->document_title)
            rc = am_buf_printf(&b, "  \"%s\"", m->document_title);
        if (!rc && m->fuzzy.flags) {
            rc = am_buf_puts(&b, "  (");
            rc = rc ? rc : penalties_text(&b, m->fuzzy.flags);
            rc = rc ? rc : am_buf_putc(&b, ')');
        }
        for (size_t v = 0; v < m->n_variants && !rc; v++) {
            rc = am_buf_printf(&b, "\n    %-5s ", m->variants[v].lang);
            if (!rc && v == 0)
                rc = am_diff_render(&b, m->diff, m->source, q,
                                    c->color ? AM_DIFF_COLOR : AM_DIFF_PLAIN);
            else if (!rc)
                rc = am_buf_puts(&b, m->variants[v].text);
        }
        rc = rc ? rc : am_buf_putc(&b, '\n');
    }
    if (!rc)
        fwrite(b.data, 1, b.len, stdout);
    am_buf_free(&b);
    return rc;
}

static int match_json(am_buf *b, const am_match *m, const char *q)
{
    char sc[32];
    fmt_score(sc, sizeof sc, m->score);
    int rc = am_buf_printf(b, "{\"score\": %s, \"unit\": %lld, \"variants\": {", sc,
                           (long long)m->unit);
    for (size_t v = 0; v < m->n_variants && !rc; v++) {
        rc = v ? am_buf_puts(b, ", ") : AM_OK;
        rc = rc ? rc : am_buf_json_string(b, m->variants[v].lang, strlen(m->variants[v].lang));
        rc = rc ? rc : am_buf_puts(b, ": ");
        rc = rc ? rc : am_buf_json_string(b, m->variants[v].text, strlen(m->variants[v].text));
    }
    rc = rc ? rc : am_buf_puts(b, "}, \"document\": ");
    if (!rc && m->document_title)
        rc = am_buf_json_string(b, m->document_title, strlen(m->document_title));
    else if (!rc)
        rc = am_buf_puts(b, "null");
    fmt_score(sc, sizeof sc, m->fuzzy.base);
    rc = rc ? rc : am_buf_printf(b, ", \"base\": %s, \"penalties\": \"", sc);
    rc = rc ? rc : penalties_text(b, m->fuzzy.flags);
    rc = rc ? rc : am_buf_printf(b, "\", \"context\": %s, \"diff\": ", m->context ? "true" : "false");
    rc = rc ? rc : am_diff_json(b, m->diff, m->source, q);
    return rc ? rc : am_buf_putc(b, '}');
}

static int print_json(const char *q, size_t len, const am_matches *r)
{
    am_buf b = AM_BUF_INIT;
    int rc = am_buf_puts(&b, "{\"query\": ");
    rc = rc ? rc : am_buf_json_string(&b, q, len);
    rc = rc ? rc : am_buf_puts(&b, ", \"matches\": [");
    for (size_t i = 0; r && i < r->n && !rc; i++) {
        rc = i ? am_buf_puts(&b, ", ") : AM_OK;
        rc = rc ? rc : match_json(&b, &r->m[i], q);
    }
    rc = rc ? rc : am_buf_puts(&b, "]}\n");
    if (!rc)
        fwrite(b.data, 1, b.len, stdout);
    am_buf_free(&b);
    return rc;
}

/* Look one segment up and print it; a blank one ends a paragraph. */
static int one(lookup_cli *c, const char *q, size_t len, am_error *err)
{
    am_matches *r = NULL;
    if (len == 0) {
        am_lookup_reset(c->lk);
        return c->json ? print_json(q, 0, NULL) : (putchar('\n'), AM_OK);
    }
    double t0 = cli_now_us(CLOCK_MONOTONIC), c0 = cli_now_us(CLOCK_PROCESS_CPUTIME_ID);
    int rc = am_lookup_run(&r, c->lk, q, len, err);
    if (rc)
        return rc;
    if (c->timing) /* wall and CPU microseconds */
        fprintf(stderr, "lookup-us\t%.0f\t%.0f\n", cli_now_us(CLOCK_MONOTONIC) - t0,
                cli_now_us(CLOCK_PROCESS_CPUTIME_ID) - c0);
    rc = c->json ? print_json(q, len, r) : print_text(c, q, len, r);
    am_matches_free(r);
    return rc ? am_error_set(err, AM_ENOMEM, "out of memory") : AM_OK;
}

static int run_stdin(lookup_cli *c, am_error *err)
{
    char *line = NULL;
    size_t cap = 0, bad;
    ssize_t n;
    long lineno = 0;
    int rc = AM_OK;
    while (!rc && (n = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (am_utf8_validate(line, (size_t)n, &bad)) {
            rc = am_error_set(err, AM_EINPUT, "invalid UTF-8");
            am_error_at(err, "<stdin>", lineno, -1, (long long)bad);
        } else {
            rc = one(c, line, (size_t)n, err);
        }
    }
    free(line);
    return rc;
}

static int parse_opts(int argc, char **argv, lookup_cli *c, am_lookup_opts *o, char **to_list,
                      const char **db)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},
        {"min", required_argument, NULL, 'm'},  {"max", required_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, 'd'},
        {"timing", no_argument, NULL, 't'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (ch) {
        case 'F': o->from = optarg; break;
        case 'T': *to_list = optarg; break;
        case 'm':
            if (cli_parse_double(optarg, 0, 100, &o->min_score))
                return cli_usage(argv[0], "--min wants a number within 0..100, not '%s'", optarg);
            break;
        case 'x': {
            long long v;
            if (cli_parse_long(optarg, 1, 1000, &v))
                return cli_usage(argv[0], "--max wants a number within 1..1000, not '%s'", optarg);
            o->max_matches = (size_t)v;
            break;
        }
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage(argv[0], "unknown format '%s' (text or json)", optarg);
            c->json = !strcmp(optarg, "json");
            break;
        case 'd': *db = optarg; break;
        case 't': c->timing = 1; break; /* hidden: for scripts/bench/lookup.sh */
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    if (!o->from)
        return cli_usage(argv[0], "--from LANG is required");
    if (optind >= argc)
        return cli_usage(argv[0], "nothing to look up: give TEXT or '-'");
    return EXIT_OK;
}

/* Split "en,ru" into the options' list (pointers into s, which is changed). */
static size_t split_langs(char *s, const char **out, size_t cap)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < cap; tok = strtok(NULL, ","))
        if (*tok)
            out[n++] = tok;
    return n;
}

static int run_queries(lookup_cli *c, int argc, char **argv, am_error *err)
{
    if (argc - optind == 1 && !strcmp(argv[optind], "-"))
        return run_stdin(c, err);
    am_buf q = AM_BUF_INIT;
    int rc = AM_OK;
    for (int i = optind; i < argc && !rc; i++)
        rc = am_buf_printf(&q, "%s%s", i > optind ? " " : "", argv[i]);
    size_t bad;
    if (rc)
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    else if (am_utf8_validate(q.data, q.len, &bad))
        rc = am_error_set(err, AM_EINPUT, "the query is not valid UTF-8 (byte %zu)", bad);
    else
        rc = one(c, q.data, q.len, err);
    am_buf_free(&q);
    return rc;
}

int cmd_lookup(int argc, char **argv)
{
    am_lookup_opts o = AM_LOOKUP_OPTS_INIT;
    lookup_cli c = {NULL, 0, isatty(STDOUT_FILENO), 0, 0, NULL};
    char *to_list = NULL;
    const char *db = NULL, *to[32];
    int rc = parse_opts(argc, argv, &c, &o, &to_list, &db);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (to_list) {
        o.n_to = split_langs(to_list, to, 32);
        o.to = to;
    }
    c.min = o.min_score;
    am_error err;
    am_error_clear(&err);
    am_tm *tm = cli_open_db(db, AM_TM_READONLY);
    if (!tm)
        return EXIT_FAIL;
    rc = am_lookup_new(&c.lk, tm, &o, &err);
    if (!rc)
        rc = run_queries(&c, argc, argv, &err);
    am_lookup_free(c.lk);
    am_tm_close(tm);
    return rc ? cli_report(&err) : EXIT_OK;
}
