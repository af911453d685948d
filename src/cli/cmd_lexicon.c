/*
 * cmd_lexicon.c - `alignmem lexicon [options] WORD`: what the memory's
 * lexicon learned a word translates to (a terminologist's view of the
 * memory), and `alignmem lexicon --update | --rebuild`.
 */
#include "cli.h"
#include "lexicons.h"
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lex_args {
    const char *db, *from, *to;
    size_t max;
    int json, update, rebuild, quiet;
} lex_args;

static void usage(void)
{
    printf("Usage: alignmem lexicon [options] WORD\n"
           "       alignmem lexicon [--db PATH] --update | --rebuild\n\n"
           "Show the renderings of WORD the memory's lexicon has learned from its units,\n"
           "best first: a stem of the other language, the association score (0-1], and\n"
           "in how many units both occur / the rendering occurs.\n\n"
           "  --db PATH          the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --from L           the language of WORD (default: detected from its letters)\n"
           "  --to L             only renderings in L (default: every language the memory\n"
           "                     pairs with the language of WORD)\n"
           "  --max N            renderings per language (default 10)\n"
           "  -f, --format FMT   text (default) or json\n"
           "  --update           learn the units stored since the last update (import does\n"
           "                     not learn), then list the language pairs and their units\n"
           "  --rebuild          forget the counts and learn them again from every unit\n"
           "  -q, --quiet        no progress bar\n"
           "  -h, --help         show this help\n");
}

static int parse(lex_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},   {"max", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'}, {"update", no_argument, NULL, 'u'},
        {"rebuild", no_argument, NULL, 'r'},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "f:qh", opts)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'F': a->from = optarg; break;
        case 'T': a->to = optarg; break;
        case 'm': {
            long long v;
            if (cli_parse_long(optarg, 1, 100000, &v))
                return cli_usage("lexicon", "--max wants a number from 1 to 100000");
            a->max = (size_t)v;
            break;
        }
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage("lexicon", "unknown format '%s' (text or json)", optarg);
            a->json = !strcmp(optarg, "json");
            break;
        case 'u': a->update = 1; break;
        case 'r': a->rebuild = 1; break;
        case 'q': a->quiet = 1; break;
        case 'h': usage(); return -1;
        default: return EXIT_USAGE;
        }
    }
    int n = argc - optind;
    if ((a->update || a->rebuild) && n > 0)
        return cli_usage("lexicon", "--update and --rebuild take no word");
    if (!a->update && !a->rebuild && n != 1)
        return cli_usage("lexicon", "give one word to look up");
    return EXIT_OK;
}

/* ---- --update / --rebuild ---- */

typedef struct pair_printer {
    int json;
    size_t n; /* pairs printed */
} pair_printer;

static int print_pair(const char *la, const char *lb, uint64_t units, void *ctx)
{
    pair_printer *p = ctx;
    if (p->json)
        printf("%s{\"a\":\"%s\",\"b\":\"%s\",\"units\":%llu}", p->n++ ? "," : "", la, lb,
               (unsigned long long)units);
    else
        printf("%s %s %llu\n", la, lb, (unsigned long long)units);
    return 0;
}

static int run_update(lex_args *a)
{
    am_tm *tm = cli_open_db(a->db, 0);
    if (!tm)
        return EXIT_FAIL;
    am_error err;
    am_error_clear(&err);
    int64_t learned = 0;
    int rc = am_tm_lexicon_update(tm, a->rebuild, cli_progress_cb,
                                  (void *)(a->rebuild ? "relearning" : "learning"), &err);
    cli_progress_end();
    if (!rc)
        rc = am_tm_lexicon_status(tm, &learned, NULL, &err);
    if (!rc && a->json)
        printf("{\"learned_up_to\":%lld,\"pairs\":[", (long long)learned);
    pair_printer pp = {a->json, 0};
    if (!rc)
        rc = am_tm_lexicon_pairs(tm, print_pair, &pp, &err);
    if (!rc && a->json)
        printf("]}\n");
    am_tm_close(tm);
    return rc ? cli_report(&err) : EXIT_OK;
}

/* ---- WORD ---- */

typedef struct target {
    char lang[32];
    uint64_t units;
} target;

typedef struct targets {
    const char *from, *to;
    target t[64];
    size_t n;
} targets;

/* The languages the memory pairs with `from` (and --to). */
static int collect_target(const char *la, const char *lb, uint64_t units, void *ctx)
{
    targets *ts = ctx;
    const char *other = !strcmp(la, ts->from) ? lb : !strcmp(lb, ts->from) ? la : NULL;
    if (!other || ts->n == 64 || (ts->to && strcmp(other, ts->to)))
        return 0;
    snprintf(ts->t[ts->n].lang, sizeof ts->t[ts->n].lang, "%s", other);
    ts->t[ts->n++].units = units;
    return 0;
}

typedef struct word_find {
    const char *stem;
    uint64_t units;
} word_find;

static int first_stem(const char *stem, size_t len, void *ctx)
{
    am_buf *b = ctx;
    return am_buf_append(b, stem, len) ? AM_ENOMEM : 1;
}

static int find_word(int side, const char *stem, uint64_t units, void *ctx)
{
    word_find *w = ctx;
    if (side == 0 && !strcmp(stem, w->stem))
        w->units = units;
    return 0;
}

/* The renderings of word in one target language, printed. */
static int show_target(const lex_args *a, am_tm *tm, const char *word, const char *from,
                       const char *stem, const target *t, int first, am_error *err)
{
    am_lexicon *lx = NULL;
    am_lexicon_match *m = NULL;
    size_t n = 0;
    word_find w = {stem, 0};
    int rc = am_lexicon_new(&lx, from, t->lang, err);
    if (!rc)
        rc = am_lexicon_want(lx, 0, word, strlen(word), err);
    if (!rc)
        rc = am_tm_lexicon_load(tm, lx, err);
    if (!rc)
        rc = am_lexicon_lookup(&m, &n, lx, 0, word, a->max, err);
    if (!rc)
        am_lexicon_foreach_word(lx, find_word, &w);
    if (!rc && a->json) {
        printf("%s{\"lang\":\"%s\",\"units\":%llu,\"word_units\":%llu,\"renderings\":[",
               first ? "" : ",", t->lang, (unsigned long long)t->units,
               (unsigned long long)w.units);
        for (size_t i = 0; i < n; i++) {
            am_buf s = AM_BUF_INIT;
            am_buf_json_string(&s, m[i].stem, strlen(m[i].stem));
            printf("%s{\"stem\":%s,\"score\":%.3f,\"both\":%llu,\"units\":%llu}", i ? "," : "",
                   s.data ? s.data : "\"\"", m[i].score, (unsigned long long)m[i].both,
                   (unsigned long long)m[i].units);
            am_buf_free(&s);
        }
        printf("]}");
    } else if (!rc) {
        printf("%s -> %s: stem %s, in %llu of %llu units\n", word, t->lang, stem,
               (unsigned long long)w.units, (unsigned long long)t->units);
        for (size_t i = 0; i < n; i++)
            printf("  %.3f  %s  %llu/%llu\n", m[i].score, m[i].stem,
                   (unsigned long long)m[i].both, (unsigned long long)m[i].units);
        if (n == 0)
            printf("  (nothing learned)\n");
    }
    am_lexicon_matches_free(m, n);
    am_lexicon_free(lx);
    return rc;
}

/* The language of the word (--from or detected) and its stem. */
static int word_lang_stem(const lex_args *a, const char *word, char *from, size_t fromsz,
                          am_buf *stem, am_error *err)
{
    const am_lang *lang = NULL;
    int rc;
    if (a->from)
        rc = am_lang_base(from, fromsz, a->from);
    else if ((rc = am_lang_detect(from, fromsz, word, strlen(word), err)) == AM_ELANG) {
        am_error_clear(err); /* a usage error: say which option helps */
        return am_error_set(err, AM_EARG, "cannot tell the language of '%s': give --from", word);
    }
    if (rc)
        return err->code ? rc
                         : am_error_set(err, AM_EARG, "--from %s: not a language code", a->from);
    if ((rc = am_lang_get(&lang, from, err)))
        return rc;
    rc = am_stems(lang, word, strlen(word), 0, first_stem, stem, err);
    if (rc < 0)
        return rc;
    if (stem->len == 0)
        return am_error_set(err, AM_EARG, "'%s' holds no word to look up", word);
    return AM_OK;
}

static int run_word(lex_args *a, const char *word)
{
    char from[32], to[32];
    am_buf stem = AM_BUF_INIT;
    am_error err;
    targets ts;
    int missing = 0, rc;
    am_error_clear(&err);
    memset(&ts, 0, sizeof ts);
    if ((rc = word_lang_stem(a, word, from, sizeof from, &stem, &err))) {
        am_buf_free(&stem);
        return cli_report(&err);
    }
    if (a->to && am_lang_base(to, sizeof to, a->to)) {
        am_buf_free(&stem);
        return cli_usage("lexicon", "--to %s: not a language code", a->to);
    }
    am_tm *tm = cli_open_memory_for_lexicon(a->db, &missing, a->quiet);
    if (!tm) {
        am_buf_free(&stem);
        return missing ? cli_fail("no memory here yet (add or import something first)")
                       : EXIT_FAIL;
    }
    ts.from = from;
    ts.to = a->to ? to : NULL;
    rc = am_tm_lexicon_pairs(tm, collect_target, &ts, &err);
    if (!rc && a->json) {
        am_buf w = AM_BUF_INIT, s = AM_BUF_INIT;
        am_buf_json_string(&w, word, strlen(word));
        am_buf_json_string(&s, stem.data, stem.len);
        printf("{\"word\":%s,\"from\":\"%s\",\"stem\":%s,\"to\":[", w.data, from, s.data);
        am_buf_free(&w);
        am_buf_free(&s);
    }
    for (size_t i = 0; i < ts.n && !rc; i++)
        rc = show_target(a, tm, word, from, stem.data, &ts.t[i], i == 0, &err);
    if (!rc && a->json)
        printf("]}\n");
    if (!rc && ts.n == 0 && !a->json)
        printf("%s: the memory has learned nothing for %s%s%s\n", word, from,
               a->to ? "-" : "", a->to ? to : "");
    am_tm_close(tm);
    am_buf_free(&stem);
    return rc ? cli_report(&err) : EXIT_OK;
}

int cmd_lexicon(int argc, char **argv)
{
    lex_args a;
    memset(&a, 0, sizeof a);
    a.max = 10;
    int rc = parse(&a, argc, argv);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (a.update || a.rebuild)
        return run_update(&a);
    return run_word(&a, argv[optind]);
}
