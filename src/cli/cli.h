/* cli.h - what the command implementations share. The CLI is the only
 * place that prints or exits; the library reports through am_error. */
#ifndef AM_CLI_H
#define AM_CLI_H

#include "alignmem.h"

#include <getopt.h>
#include <time.h>

/* Exit codes, as the README documents them. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* One sub-command. run() gets argv with argv[0] = the command name. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* Print "alignmem: WHERE:LINE: message" for a library error; returns
 * EXIT_USAGE for AM_EARG and EXIT_FAIL otherwise. */
int cli_report(const am_error *err);
/* Print "alignmem: CMD: message" and a hint to --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "alignmem: message"; returns EXIT_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a warning on stderr ("alignmem: warning: ..."). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long over argv, with error messages in our format. Reset before
 * each command (optind = 0 rescans). Returns '?' on an unknown option after
 * printing the usage message; callers return EXIT_USAGE then. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* An option's value as a number within [lo, hi]: the whole string, not
 * empty, not NaN. 0 with *out set, else -1 (the caller says which option
 * wanted what). */
int cli_parse_double(const char *s, double lo, double hi, double *out);
int cli_parse_long(const char *s, long long lo, long long hi, long long *out);

/* Microseconds on the given clock (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID),
 * for the hidden --timing output the benchmarks read. */
double cli_now_us(clockid_t clock);

/* The memory path from --db (may be NULL) or the defaults; caller frees. */
char *cli_db_path(const char *opt_db);
/* Open the memory from --db (may be NULL) or the defaults, with
 * AM_TM_READONLY / AM_TM_CREATE flags. On failure prints the error (naming
 * the file) and returns NULL; the caller returns EXIT_FAIL. Caller closes
 * with am_tm_close(). */
am_tm *cli_open_db(const char *opt_db, int flags);

/* Set when stderr is a terminal and --quiet was not given. */
extern int cli_show_progress;

/* Commands (one file each: cmd_NAME.c). */
int cmd_segment(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_concord(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);

#endif
