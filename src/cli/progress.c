/* progress.c - the stderr progress bar (see progress.h). */
#include "progress.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Redrawing more often than this only costs terminal bandwidth. */
#define REDRAW_SECONDS 0.1

static struct {
    int active;
    char label[32];
    size_t total;
    size_t done;
    double t0;
    double last_draw;
} bar;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    int w = cols ? atoi(cols) : 0;
    return w > 0 ? w : 80;
}

/* "0:05", "12:30", "1:02:03". */
static void format_duration(char *out, size_t outsz, double seconds)
{
    if (seconds < 0 || seconds > 360000.0) {
        snprintf(out, outsz, "--:--");
        return;
    }
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(out, outsz, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, outsz, "%ld:%02ld", s / 60, s % 60);
}

/* "812/s", "12.5k/s", "3.1M/s"; "-/s" before there is anything to measure. */
static void format_rate(char *out, size_t outsz, double rate)
{
    if (rate <= 0)
        snprintf(out, outsz, "-/s");
    else if (rate < 10000)
        snprintf(out, outsz, "%.0f/s", rate);
    else if (rate < 10e6)
        snprintf(out, outsz, "%.1fk/s", rate / 1e3);
    else
        snprintf(out, outsz, "%.1fM/s", rate / 1e6);
}

/* The part after the bar: counts, percentage, rate, time left. */
static void format_stats(char *out, size_t outsz, size_t done, size_t total, double elapsed)
{
    char rate_s[32], left_s[32];
    /* Rates from the first few milliseconds are noise. */
    double rate = elapsed >= 0.05 ? (double)done / elapsed : 0;
    format_rate(rate_s, sizeof rate_s, rate);
    if (total == 0) {
        snprintf(out, outsz, "%zu  %s", done, rate_s);
        return;
    }
    if (done > total)
        done = total;
    int pct = (int)((double)done * 100.0 / (double)total);
    format_duration(left_s, sizeof left_s, rate > 0 ? (double)(total - done) / rate : -1);
    snprintf(out, outsz, "%zu/%zu %3d%%  %s  %s left", done, total, pct, rate_s, left_s);
}

size_t cli_progress_format(char *out, size_t outsz, const char *label, size_t done, size_t total,
                           double elapsed, int width)
{
    char stats[128];
    if (outsz == 0)
        return 0;
    format_stats(stats, sizeof stats, done, total, elapsed);
    int used = (int)strlen(label) + 1 + (int)strlen(stats);
    /* "[" + cells + "] " around the bar; keep one column free so the cursor
     * never wraps to the next line. */
    int cells = width - used - 4;
    if (cells > 40)
        cells = 40;
    if (total == 0 || cells < 10) {
        int n = snprintf(out, outsz, "%s %s", label, stats);
        return n < 0 ? 0 : ((size_t)n >= outsz ? outsz - 1 : (size_t)n);
    }
    size_t filled = (size_t)((double)(done > total ? total : done) / (double)total * cells);
    char cellbuf[48];
    for (int i = 0; i < cells; i++)
        cellbuf[i] = (size_t)i < filled ? '#' : '-';
    cellbuf[cells] = '\0';
    int n = snprintf(out, outsz, "%s [%s] %s", label, cellbuf, stats);
    return n < 0 ? 0 : ((size_t)n >= outsz ? outsz - 1 : (size_t)n);
}

static void draw(double t)
{
    char line[256];
    cli_progress_format(line, sizeof line, bar.label, bar.done, bar.total, t - bar.t0,
                        terminal_width());
    /* \r returns to column 0, ESC[K erases what a longer earlier line left. */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    bar.last_draw = t;
}

void cli_progress_start(const char *label, size_t total)
{
    if (!cli_show_progress)
        return;
    if (bar.active)
        cli_progress_end();
    snprintf(bar.label, sizeof bar.label, "%s", label ? label : "");
    bar.total = total;
    bar.done = 0;
    bar.t0 = now_seconds();
    bar.active = 1;
    draw(bar.t0);
}

void cli_progress_update(size_t done)
{
    if (!bar.active)
        return;
    bar.done = done;
    double t = now_seconds();
    if (t - bar.last_draw >= REDRAW_SECONDS || (bar.total && done >= bar.total))
        draw(t);
}

void cli_progress_set_total(size_t total)
{
    if (bar.active)
        bar.total = total;
}

void cli_progress_end(void)
{
    if (!bar.active)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    bar.active = 0;
}

void cli_progress_cb(size_t done, size_t total, void *ctx)
{
    /* A count going back means the library started another pass over the
     * data: restart the clock, or the rate and time left would mix passes. */
    if (!bar.active || done < bar.done)
        cli_progress_start(ctx ? (const char *)ctx : "", total);
    else if (total != bar.total)
        cli_progress_set_total(total);
    cli_progress_update(done);
}
