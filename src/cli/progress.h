/* progress.h - a progress bar on stderr for long commands (align of large
 * files, add, import, export).
 *
 * It draws only when cli_show_progress is set (stderr is a terminal and
 * --quiet was not given), so redirected runs and scripts see nothing, and it
 * never touches stdout. One bar at a time; calls without a started bar do
 * nothing, so commands can call update/end unconditionally.
 *
 *     cli_progress_start("aligning", n_sentences);
 *     ... cli_progress_update(done); ...
 *     cli_progress_end();
 *
 * The library reports progress through callbacks of the shape
 * void (*)(size_t done, size_t total, void *ctx); cli_progress_cb fits them
 * (am_align_opts.progress = cli_progress_cb).
 */
#ifndef AM_CLI_PROGRESS_H
#define AM_CLI_PROGRESS_H

#include <stddef.h>

/* Begin a bar. total 0 means unknown: then only count and rate are shown.
 * label is copied (truncated to 31 bytes). */
void cli_progress_start(const char *label, size_t total);
/* Record that done items are finished; redraws at most ten times a second. */
void cli_progress_update(size_t done);
/* Change the total of the running bar (when it becomes known late). */
void cli_progress_set_total(size_t total);
/* Erase the bar, leaving stderr as it was before cli_progress_start. */
void cli_progress_end(void);
/* Callback adapter for library progress hooks: starts the bar on first use
 * with the label in ctx (a const char *, may be NULL), then updates it. */
void cli_progress_cb(size_t done, size_t total, void *ctx);

/*
 * Format one bar line into out (at most outsz bytes, NUL-terminated), fitted
 * to width columns: "label [#####-----]  1,234/5,000  25%  812/s  0:05 left".
 * elapsed is in seconds. Pure, so the layout can be tested without a
 * terminal. Returns the number of bytes written.
 */
size_t cli_progress_format(char *out, size_t outsz, const char *label, size_t done, size_t total,
                           double elapsed, int width);

#endif
