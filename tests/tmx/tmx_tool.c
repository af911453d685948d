/* tmx_tool.c - test helper for the client tests (not installed):
 *   tmx_tool sample [SRC TGT] [--region]   the sample memory as TMX on stdout
 *   tmx_tool copy FILE [--region]          read FILE, write it again on stdout
 *   tmx_tool dump FILE                     what the reader delivers, as text
 *   tmx_tool count FILE                    units and variants (for the benchmark) */
#include "tmx_dump.h"

#include <stdio.h>
#include <string.h>

static int count_unit(const am_unit *u, void *ctx)
{
    long long *n = ctx;
    n[0]++;
    n[1] += (long long)u->n_variants;
    return 0;
}

static int report(const am_error *err)
{
    fprintf(stderr, "tmx_tool: %s:%ld:%ld: %s\n", err->where, err->line, err->column,
            err->message);
    return 1;
}

int main(int argc, char **argv)
{
    am_error err;
    am_error_clear(&err);
    int region = argc > 1 && strcmp(argv[argc - 1], "--region") == 0;
    int n = argc - region;
    int rc = 2;
    if (n >= 2 && strcmp(argv[1], "sample") == 0 && (n == 2 || n == 4)) {
        rc = tmx_write_sample(stdout, n == 4 ? argv[2] : NULL, n == 4 ? argv[3] : NULL, region,
                              &err) ? report(&err) : 0;
    } else if (n == 3 && strcmp(argv[1], "copy") == 0) {
        rc = tmx_copy(stdout, argv[2], region, &err) ? report(&err) : 0;
    } else if (n == 3 && strcmp(argv[1], "count") == 0) {
        long long counts[2] = {0, 0};
        am_tmx_callbacks cb = {NULL, count_unit, NULL, counts, NULL};
        rc = am_tmx_read(argv[2], &cb, &err) ? report(&err) : 0;
        printf("units %lld variants %lld\n", counts[0], counts[1]);
    } else if (n == 3 && strcmp(argv[1], "dump") == 0) {
        tmx_dump d;
        rc = tmx_dump_read(&d, argv[2], &err);
        fputs(d.header.data, stdout);
        fputs(d.units.data, stdout);
        fputs(d.warnings.data, stderr);
        rc = rc ? report(&err) : 0;
        tmx_dump_free(&d);
    } else {
        fputs("usage: tmx_tool sample [SRC TGT] | copy FILE | dump FILE | count FILE [--region]\n", stderr);
    }
    am_shutdown();
    return rc;
}
