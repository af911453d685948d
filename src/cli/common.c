/* common.c - error printing, option parsing and memory opening shared by
 * the commands. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_show_progress = 0;

int cli_report(const am_error *err)
{
    fputs("alignmem: ", stderr);
    if (err->where[0]) {
        fputs(err->where, stderr);
        if (err->line > 0)
            fprintf(stderr, ":%ld", err->line);
        if (err->line > 0 && err->column > 0)
            fprintf(stderr, ":%ld", err->column);
        fputs(": ", stderr);
    }
    fputs(err->message[0] ? err->message : am_strerror(err->code), stderr);
    if (err->offset >= 0 && err->line <= 0)
        fprintf(stderr, " (byte offset %lld)", err->offset);
    else if (err->offset >= 0)
        fprintf(stderr, " (byte %lld)", err->offset);
    fputc('\n', stderr);
    return err->code == AM_EARG ? EXIT_USAGE : EXIT_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "alignmem: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'alignmem %s%s--help' for more information.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return EXIT_USAGE;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("alignmem: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_FAIL;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("alignmem: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    /* Leading ':' makes getopt return ':' for a missing argument and keeps
     * it quiet, so messages come out in our own format. */
    char spec[128];
    snprintf(spec, sizeof spec, ":%s", shortopts);
    int c = getopt_long(argc, argv, spec, longopts, NULL);
    /* --quiet (or its short form) silences the progress bar of every
     * command that has it, without each command having to remember. */
    for (const struct option *o = longopts; c > 0 && o && o->name; o++)
        if (o->val == c && !strcmp(o->name, "quiet"))
            cli_show_progress = 0;
    if (c == '?') {
        if (optopt)
            cli_usage(argv[0], "unknown option '-%c'", optopt);
        else
            cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
        return '?';
    }
    if (c == ':') {
        cli_usage(argv[0], "option '%s' needs a value", argv[optind - 1]);
        return '?';
    }
    return c;
}

char *cli_db_path(const char *opt_db)
{
    if (opt_db)
        return strdup(opt_db);
    am_error err;
    am_error_clear(&err);
    char *path = NULL;
    if (am_tm_default_path(&path, &err)) {
        cli_report(&err);
        return NULL;
    }
    return path;
}

am_tm *cli_open_db(const char *opt_db, int flags)
{
    char *path = cli_db_path(opt_db);
    if (!path)
        return NULL;
    am_error err;
    am_error_clear(&err);
    am_tm *tm = NULL;
    if (am_tm_open(&tm, path, flags, &err) != AM_OK) {
        am_error_at(&err, path, -1, -1, -1);
        cli_report(&err);
        tm = NULL;
    }
    free(path);
    return tm;
}

double cli_now_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || !(v >= lo && v <= hi)) /* !(...) refuses NaN */
        return -1;
    *out = v;
    return 0;
}

int cli_parse_long(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}
