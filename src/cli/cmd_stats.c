/* cmd_stats.c - `alignmem stats`: what the memory holds. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("Usage: alignmem stats [--db PATH] [--format text|json]\n"
           "       alignmem stats --print-db-path [--db PATH]\n\n"
           "Show documents, units, variants, units per language pair, the\n"
           "confidence histogram and the size on disk of the memory.\n\n"
           "  --db PATH          the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --format FORMAT    text (default) or json\n"
           "  --print-db-path    print the memory's path and exit\n"
           "  -h, --help         show this help\n");
}

/* The line after p in the pairs list ("en uk 12\n..."). */
static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : p + strlen(p);
}

static void print_text(const char *path, const am_tm_stats *s)
{
    printf("memory     %s\n", path);
    printf("size       %.1f MB (%lld bytes)\n", (double)s->file_bytes / 1e6, s->file_bytes);
    printf("documents  %lld\nunits      %lld\nvariants   %lld\nprops      %lld\nnotes      %lld\n",
           s->documents, s->units, s->variants, s->props, s->notes);
    printf("language pairs (units)\n");
    char a[64], b[64];
    long long n;
    for (const char *p = s->pairs; p && *p; p = next_line(p))
        if (sscanf(p, "%63s %63s %lld", a, b, &n) == 3)
            printf("  %s-%s  %lld\n", a, b, n);
    printf("confidence (units)\n");
    for (int i = 9; i >= 0; i--)
        printf("  %.1f-%.1f  %lld\n", i / 10.0, (i + 1) / 10.0, s->histogram[i]);
    printf("  none     %lld\n", s->unscored);
}

static int print_json(const char *path, const am_tm_stats *s)
{
    am_buf b = AM_BUF_INIT;
    int rc = am_buf_puts(&b, "{\"memory\": ");
    rc = rc ? rc : am_buf_json_string(&b, path, strlen(path));
    rc = rc ? rc : am_buf_printf(&b, ", \"file_bytes\": %lld, \"documents\": %lld, \"units\": %lld, "
                                     "\"variants\": %lld, \"props\": %lld, \"notes\": %lld, \"pairs\": [",
                                 s->file_bytes, s->documents, s->units, s->variants, s->props, s->notes);
    char a[64], l2[64];
    long long n;
    int first = 1;
    for (const char *p = s->pairs; !rc && p && *p; p = next_line(p)) {
        if (sscanf(p, "%63s %63s %lld", a, l2, &n) != 3)
            continue;
        rc = am_buf_puts(&b, first ? "{\"langs\": [" : ", {\"langs\": [");
        rc = rc ? rc : am_buf_json_string(&b, a, strlen(a));
        rc = rc ? rc : am_buf_puts(&b, ", ");
        rc = rc ? rc : am_buf_json_string(&b, l2, strlen(l2));
        rc = rc ? rc : am_buf_printf(&b, "], \"units\": %lld}", n);
        first = 0;
    }
    rc = rc ? rc : am_buf_puts(&b, "], \"confidence_deciles\": [");
    for (int i = 0; i < 10 && !rc; i++)
        rc = am_buf_printf(&b, "%s%lld", i ? ", " : "", s->histogram[i]);
    rc = rc ? rc : am_buf_printf(&b, "], \"unscored\": %lld}\n", s->unscored);
    if (!rc)
        fputs(b.data, stdout);
    am_buf_free(&b);
    return rc ? cli_fail("out of memory") : EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"print-db-path", no_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *format = "text";
    int print_path = 0, c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': format = optarg; break;
        case 'p': print_path = 1; break;
        case 'h': usage(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(argv[0], "unknown format '%s' (text or json)", format);
    char *path = cli_db_path(db);
    if (!path)
        return EXIT_FAIL;
    if (print_path) {
        printf("%s\n", path);
        free(path);
        return EXIT_OK;
    }
    am_tm *tm = cli_open_db(path, AM_TM_READONLY);
    int rc = EXIT_FAIL;
    am_tm_stats s;
    am_error err;
    am_error_clear(&err);
    memset(&s, 0, sizeof s);
    if (tm && am_tm_stats_get(tm, &s, &err) != AM_OK) {
        am_error_at(&err, path, -1, -1, -1);
        rc = cli_report(&err);
    } else if (tm && strcmp(format, "json") == 0) {
        rc = print_json(path, &s);
    } else if (tm) {
        print_text(path, &s);
        rc = EXIT_OK;
    }
    am_tm_stats_free(&s);
    am_tm_close(tm);
    free(path);
    return rc;
}
