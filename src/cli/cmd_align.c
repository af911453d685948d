/* cmd_align.c - `alignmem align`. Placeholder until issue #4 lands: it says so
 * and fails, rather than pretending. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_align(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h') {
            printf("Usage: alignmem align [options]\n\nNot implemented yet (issue #4).\n");
            return EXIT_OK;
        }
        return EXIT_USAGE;
    }
    return cli_fail("align: not implemented yet (issue #4)");
}
