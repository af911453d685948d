/* cmd_lookup.c - `alignmem lookup`. Placeholder until issue #6 lands: it says so
 * and fails, rather than pretending. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_lookup(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h') {
            printf("Usage: alignmem lookup [options]\n\nNot implemented yet (issue #6).\n");
            return EXIT_OK;
        }
        return EXIT_USAGE;
    }
    return cli_fail("lookup: not implemented yet (issue #6)");
}
