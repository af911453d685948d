/* html.c - the review page: one self-contained HTML file showing an
 * alignment bead by bead, so a translator can check it before it enters the
 * memory (issue #7).
 *
 * Self-contained on purpose: no scripts, fonts or style sheets from the
 * network, so the page opens offline, can be mailed, and shows the same
 * thing in every browser and on paper. The "show only flagged" switch is a
 * CSS checkbox, not JavaScript.
 *
 * Markup contract (tests and users' scripts rely on it):
 *   <tr class="bead [flag] [uneven]" data-bead="12" data-type="1-2"
 *       data-score="0.73">  one row per bead, 1-based numbers;
 *   <a id="b12">             in the bead's first cell: page.html#b12 opens at
 *                            bead 12 (line 13 of the TSV of the same run);
 *   <tr class="para">        a separator row where a new paragraph starts;
 *   <mark class="num-mismatch">  a number not found in another version.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_KEY_MAX 48

/* A number found in a sentence: where it is, its normalised key ("5000",
 * "12.4") and the key as significant digits times a power of ten. */
typedef struct num_span {
    size_t sent; /* sentence index in its version */
    size_t off;  /* byte offset in the sentence */
    size_t len;
    char key[NUM_KEY_MAX];
    char sig[NUM_KEY_MAX]; /* "96" for 96000 and for 96; "" for zero */
    int exp10;             /* 96000 = 96 x 10^3 */
} num_span;

typedef struct num_list {
    num_span *v;
    size_t n, cap;
} num_list;

/* ---------------------------------------------------------------------
 * Numbers: "5,000" = "5 000" = "5000", "12.4" = "12,4".
 * ------------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a separator inside a number at s[i]: 1 for ',' or '.', or the
 * byte length of a space-like group separator (space, no-break space,
 * narrow no-break space, thin space, apostrophe); 0 if none. *point is set
 * for ',' and '.', which may also be a decimal mark. */
static size_t sep_at(const char *s, size_t n, size_t i, int *point)
{
    *point = 0;
    if (i >= n)
        return 0;
    if (s[i] == ',' || s[i] == '.') {
        *point = 1;
        return 1;
    }
    if (s[i] == ' ' || s[i] == '\'')
        return 1;
    if (i + 1 < n && !memcmp(s + i, "\xC2\xA0", 2))
        return 2;
    if (i + 2 < n && (!memcmp(s + i, "\xE2\x80\xAF", 3) || !memcmp(s + i, "\xE2\x80\x89", 3)))
        return 3;
    return 0;
}

static size_t digit_run(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && is_digit(s[j]))
        j++;
    return j - i;
}

static void key_append(char *key, size_t *klen, const char *d, size_t n)
{
    for (size_t i = 0; i < n && *klen + 1 < NUM_KEY_MAX; i++) {
        /* Leading zeros say nothing about the value: "05" = "5". */
        if (*klen == 0 && d[i] == '0' && i + 1 < n)
            continue;
        key[(*klen)++] = d[i];
    }
    key[*klen] = '\0';
}

/* Drop trailing zeros of a decimal part: "1.50" = "1.5", "2.0" = "2". */
static void key_trim_decimal(char *key, size_t *klen)
{
    if (!strchr(key, '.'))
        return;
    while (*klen > 0 && key[*klen - 1] == '0')
        key[--(*klen)] = '\0';
    if (*klen > 0 && key[*klen - 1] == '.')
        key[--(*klen)] = '\0';
}

/*
 * Find the next number in s[*pos..n). A separator followed by exactly three
 * digits groups thousands; ',' or '.' followed by another count of digits
 * is a decimal mark (uk/ru write "12,4" where en writes "12.4"). A space
 * only ever groups, so "in 2019 2 people" stays two numbers.
 */
static int num_next(const char *s, size_t n, size_t *pos, num_span *out)
{
    size_t i = *pos;
    while (i < n && !is_digit(s[i]))
        i++;
    if (i >= n)
        return 0;
    size_t klen = 0, first = digit_run(s, n, i), j = i + first;
    key_append(out->key, &klen, s + i, first);
    int grouped = 0;
    for (;;) {
        int point;
        size_t sl = sep_at(s, n, j, &point);
        size_t m = sl ? digit_run(s, n, j + sl) : 0;
        if (m == 0)
            break;
        if (m == 3 && (grouped || first <= 3)) {
            key_append(out->key, &klen, s + j + sl, 3);
            grouped = 1;
            j += sl + 3;
            continue;
        }
        if (!point)
            break;
        key_append(out->key, &klen, ".", 1);
        key_append(out->key, &klen, s + j + sl, m);
        key_trim_decimal(out->key, &klen);
        j += sl + m;
        break;
    }
    out->off = i;
    out->len = j - i;
    *pos = j;
    return 1;
}

static int num_list_push(num_list *l, const num_span *sp)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        num_span *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return AM_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *sp;
    return AM_OK;
}

/* Fill sp->sig and sp->exp10 from sp->key. */
static void num_significand(num_span *sp)
{
    size_t n = 0;
    int frac = -1;
    sp->exp10 = 0;
    for (const char *p = sp->key; *p; p++) {
        if (*p == '.') {
            frac = 0;
        } else if (n > 0 || *p != '0') { /* leading zeros say nothing */
            sp->sig[n++] = *p;
            frac += frac >= 0;
        } else if (frac >= 0) {
            frac++;
        }
    }
    if (frac > 0)
        sp->exp10 = -frac;
    while (n > 0 && sp->sig[n - 1] == '0') {
        n--;
        sp->exp10++;
    }
    sp->sig[n] = '\0';
}

/* Collect the numbers of one side of a bead. */
static int collect_numbers(num_list *l, const am_text *t, size_t begin, size_t end)
{
    l->n = 0;
    for (size_t k = begin; k < end; k++) {
        const char *s = t->data + t->segs[k].offset;
        size_t n = t->segs[k].length, pos = 0;
        num_span sp;
        while (num_next(s, n, &pos, &sp)) {
            sp.sent = k;
            num_significand(&sp);
            if (num_list_push(l, &sp))
                return AM_ENOMEM;
        }
    }
    return AM_OK;
}

/*
 * The same number, possibly written with a multiplier word: "96 тис." and
 * "96,000", "31,2 тыс." and "31,200", "1.5 million" and "1,500,000" differ
 * by a power of a thousand. Accepting any such power keeps the check free
 * of per-language word lists, at the price of taking 5 and 5000 as equal.
 */
static int list_has_number(const num_list *l, const num_span *sp)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].sig, sp->sig) && (l->v[i].exp10 - sp->exp10) % 3 == 0)
            return 1;
    return 0;
}

/* A number is a mismatch when another version with text in this bead lacks
 * it. Empty sides (1-0 beads) have nothing to compare with. */
static int num_mismatch(const num_list *lists, const am_alignment *a, size_t b, size_t v,
                        const num_span *sp)
{
    /* Zero carries nothing to check, and is mostly the "00" of "8:00". */
    if (!sp->sig[0])
        return 0;
    for (size_t w = 0; w < a->n_versions; w++) {
        if (w == v || AM_BEAD_BEGIN(a, b, w) == AM_BEAD_END(a, b, w))
            continue;
        if (!list_has_number(&lists[w], sp))
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Output helpers
 * ------------------------------------------------------------------- */

static int put_escaped(am_buf *o, const char *s, size_t n)
{
    int rc = AM_OK;
    size_t start = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\n':
        case '\r':
        case '\t':
            rep = " ";
            break;
        default:
            break;
        }
        if (!rep)
            continue;
        rc = am_buf_append(o, s + start, i - start);
        if (!rc)
            rc = am_buf_puts(o, rep);
        start = i + 1;
    }
    return rc ? rc : am_buf_append(o, s + start, n - start);
}

static int flush_buf(FILE *fp, am_buf *o)
{
    if (o->len && fwrite(o->data, 1, o->len, fp) != o->len)
        return AM_EIO;
    am_buf_clear(o);
    return AM_OK;
}

/* Scores are shown truncated, not rounded, to two decimals, so that a bead
 * flagged below 0.80 never reads "0.80". */
static double shown_score(double s)
{
    if (!(s >= 0))
        return 0;
    if (s > 1)
        return 1;
    return floor(s * 100.0 + 1e-9) / 100.0;
}

/* ---------------------------------------------------------------------
 * Page parts
 * ------------------------------------------------------------------- */

static const char page_css[] =
    ":root{--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--flag:#fff4e0;--flagbar:#d9822b;"
    "--mark:#ffd7d5;--markline:#cf222e;--uneven:#ddf4ff;--uneventext:#0a3069}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1440px;padding:16px 24px 48px;color:var(--ink);"
    "font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
    "sans-serif}\n"
    "h1{font-size:1.35em;margin:0 0 .25em}\n"
    ".summary{color:var(--muted);margin:0 0 .4em}\n"
    ".legend{font-size:.9em;color:var(--muted);margin:0 0 .8em}\n"
    ".legend span{margin-right:1.4em}\n"
    ".swatch{display:inline-block;width:1.6em;height:1em;vertical-align:-.15em;margin-right:.35em;"
    "border:1px solid var(--line)}\n"
    ".swatch.flag{background:var(--flag);border-left:4px solid var(--flagbar)}\n"
    ".swatch.uneven{background:var(--uneven)}\n"
    "table{border-collapse:collapse;width:100%;table-layout:fixed}\n"
    "col.meta{width:6.2em}\n"
    "th{position:sticky;top:0;z-index:1;background:#f6f8fa;text-align:left;padding:6px 10px;"
    "border-bottom:2px solid #afb8c1;font-weight:600}\n"
    "th .count{font-weight:400;color:var(--muted);font-size:.85em}\n"
    "td{vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--line);"
    "overflow-wrap:anywhere}\n"
    "td.meta{font:12px/1.35 ui-monospace,\"DejaVu Sans Mono\",monospace;color:var(--muted);"
    "border-left:4px solid transparent}\n"
    "td.meta a{display:block;color:var(--ink);font-size:13px;font-weight:700;"
    "text-decoration:none;scroll-margin-top:3em}\n"
    "tr:has(a:target) td{box-shadow:inset 0 2px 0 #0969da,inset 0 -2px 0 #0969da}\n"
    "td.meta .type,td.meta .score{display:block}\n"
    "tr.uneven td.meta .type{display:inline-block;background:var(--uneven);"
    "color:var(--uneventext);font-weight:700;border-radius:3px;padding:0 4px}\n"
    "tr.flag td{background:var(--flag)}\n"
    "tr.flag td.meta{border-left-color:var(--flagbar)}\n"
    "tr.flag .score{color:#953800;font-weight:700}\n"
    "td.empty{color:#8c959f;font-style:italic}\n"
    ".sn{font:10px ui-monospace,monospace;color:#8c959f;vertical-align:super;margin-right:.2em}\n"
    "mark.num-mismatch{background:var(--mark);color:inherit;border-bottom:2px solid "
    "var(--markline);padding:0 1px}\n"
    "tr.para td{padding:6px 10px 1px;border-bottom:2px dashed #8c959f;color:var(--muted);"
    "font-size:.75em;letter-spacing:.05em;background:none}\n"
    ".controls{font-size:.9em;margin:0 0 .8em}\n"
    "#only-flagged:checked~table tr.bead:not(.flag),#only-flagged:checked~table tr.para"
    "{display:none}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}th{position:static}"
    "tr{break-inside:avoid}.controls,#only-flagged{display:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static int write_head(am_buf *o, const char *title)
{
    int rc =
        am_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"alignmem " AM_VERSION_STRING "\">\n"
                       "<title>");
    if (!rc)
        rc = put_escaped(o, title, strlen(title));
    if (!rc)
        rc = am_buf_printf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", page_css);
    if (!rc)
        rc = put_escaped(o, title, strlen(title));
    if (!rc)
        rc = am_buf_puts(o, "</h1>\n");
    return rc;
}

/* "1-2", "1-1-0": sentences per version. */
static int bead_type(char *out, size_t outsz, const am_alignment *a, size_t b)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t v = 0; v < a->n_versions; v++) {
        size_t k = AM_BEAD_END(a, b, v) - AM_BEAD_BEGIN(a, b, v);
        int n = snprintf(out + used, outsz - used, "%s%zu", v ? "-" : "", k);
        if (n < 0 || (size_t)n >= outsz - used)
            return AM_ELIMIT;
        used += (size_t)n;
    }
    return AM_OK;
}

static int is_uneven(const am_alignment *a, size_t b)
{
    for (size_t v = 0; v < a->n_versions; v++)
        if (AM_BEAD_END(a, b, v) - AM_BEAD_BEGIN(a, b, v) != 1)
            return 1;
    return 0;
}

/* Summary line: counts of beads, flags and bead types, and the legend. */
static int write_summary(am_buf *o, const am_alignment *a, const am_text *const *ver,
                         double flag_below)
{
    size_t flagged = 0, uneven = 0;
    for (size_t b = 0; b < a->n_beads; b++) {
        flagged += a->score[b] < flag_below;
        uneven += (size_t)is_uneven(a, b);
    }
    int rc = am_buf_puts(o, "<p class=\"summary\">");
    for (size_t v = 0; v < a->n_versions && !rc; v++) {
        rc = am_buf_puts(o, v ? " · " : "");
        if (!rc)
            rc = put_escaped(o, ver[v]->lang, strlen(ver[v]->lang));
        if (!rc)
            rc = am_buf_printf(o, " %zu sentences", ver[v]->n_segs);
    }
    if (!rc)
        rc = am_buf_printf(o,
                           " — <span id=\"n-beads\">%zu</span> beads, "
                           "<span id=\"n-flagged\">%zu</span> below %.2f, "
                           "<span id=\"n-uneven\">%zu</span> not one-to-one.</p>\n",
                           a->n_beads, flagged, flag_below, uneven);
    if (!rc)
        rc = am_buf_puts(o, "<p class=\"legend\"><span><i class=\"swatch flag\"></i>confidence "
                            "below the threshold: check it</span><span><i class=\"swatch uneven\">"
                            "</i>bead type other than 1-1</span><span><mark class=\"num-mismatch\">"
                            "12</mark> number missing from another version</span></p>\n"
                            "<input type=\"checkbox\" id=\"only-flagged\">"
                            "<label class=\"controls\" for=\"only-flagged\"> show only flagged "
                            "beads</label>\n");
    return rc;
}

static int write_table_head(am_buf *o, const am_text *const *ver, size_t n)
{
    char names[AM_REPORT_MAX_VERSIONS][40];
    am_report_names(names, ver, n);
    int rc = am_buf_puts(o, "<table>\n<colgroup><col class=\"meta\">");
    for (size_t v = 0; v < n && !rc; v++)
        rc = am_buf_puts(o, "<col>");
    if (!rc)
        rc = am_buf_puts(o, "</colgroup>\n<thead><tr><th>bead</th>");
    for (size_t v = 0; v < n && !rc; v++) {
        rc = am_buf_puts(o, "<th lang=\"");
        if (!rc)
            rc = put_escaped(o, ver[v]->lang, strlen(ver[v]->lang));
        if (!rc)
            rc = am_buf_puts(o, "\">");
        if (!rc)
            rc = put_escaped(o, names[v], strlen(names[v]));
        if (!rc)
            rc = am_buf_printf(o, " <span class=\"count\">%zu</span></th>", ver[v]->n_segs);
    }
    return rc ? rc : am_buf_puts(o, "</tr></thead>\n<tbody>\n");
}

/* One sentence, escaped, with its mismatching numbers marked. */
static int write_sentence(am_buf *o, const am_text *t, size_t k, const num_list *lists,
                          const am_alignment *a, size_t b, size_t v)
{
    const char *s = t->data + t->segs[k].offset;
    size_t n = t->segs[k].length, at = 0;
    int rc = am_buf_printf(o, "<span class=\"s\" data-s=\"%zu\"><span class=\"sn\">%zu</span>",
                           k + 1, k + 1);
    const num_list *l = &lists[v];
    for (size_t i = 0; i < l->n && !rc; i++) {
        const num_span *sp = &l->v[i];
        if (sp->sent != k || !num_mismatch(lists, a, b, v, sp))
            continue;
        rc = put_escaped(o, s + at, sp->off - at);
        if (!rc)
            rc = am_buf_puts(o, "<mark class=\"num-mismatch\">");
        if (!rc)
            rc = put_escaped(o, s + sp->off, sp->len);
        if (!rc)
            rc = am_buf_puts(o, "</mark>");
        at = sp->off + sp->len;
    }
    if (!rc)
        rc = put_escaped(o, s + at, n - at);
    return rc ? rc : am_buf_puts(o, "</span>");
}

/* The paragraph a bead starts in, for the first version that has text in
 * it; -1 for a bead that is empty everywhere. */
static int bead_paragraph(const am_alignment *a, const am_text *const *ver, size_t b, size_t *which)
{
    for (size_t v = 0; v < a->n_versions; v++) {
        size_t k = AM_BEAD_BEGIN(a, b, v);
        if (k < AM_BEAD_END(a, b, v)) {
            *which = v;
            return ver[v]->segs[k].paragraph;
        }
    }
    return -1;
}

static int write_bead(am_buf *o, const am_alignment *a, const am_text *const *ver, size_t b,
                      const num_list *lists, double flag_below)
{
    char type[64];
    int rc = bead_type(type, sizeof type, a, b);
    double shown = shown_score(a->score[b]);
    int flag = a->score[b] < flag_below, uneven = is_uneven(a, b);
    if (!rc)
        rc = am_buf_printf(o,
                           "<tr class=\"bead%s%s\" data-bead=\"%zu\" data-type=\"%s\" "
                           "data-score=\"%.2f\"><td class=\"meta\"><a id=\"b%zu\" href=\"#b%zu\">"
                           "#%zu</a><span class=\"type\">%s</span><span class=\"score\">%.2f</span>"
                           "</td>",
                           flag ? " flag" : "", uneven ? " uneven" : "", b + 1, type, shown, b + 1,
                           b + 1, b + 1, type, shown);
    for (size_t v = 0; v < a->n_versions && !rc; v++) {
        size_t k0 = AM_BEAD_BEGIN(a, b, v), k1 = AM_BEAD_END(a, b, v);
        rc = am_buf_puts(o, k0 == k1 ? "<td class=\"empty\" lang=\"" : "<td dir=\"auto\" lang=\"");
        if (!rc)
            rc = put_escaped(o, ver[v]->lang, strlen(ver[v]->lang));
        if (!rc)
            rc = am_buf_puts(o, k0 == k1 ? "\">(no counterpart)" : "\">");
        for (size_t k = k0; k < k1 && !rc; k++) {
            if (k > k0)
                rc = am_buf_putc(o, ' ');
            if (!rc)
                rc = write_sentence(o, ver[v], k, lists, a, b, v);
        }
        if (!rc)
            rc = am_buf_puts(o, "</td>");
    }
    return rc ? rc : am_buf_puts(o, "</tr>\n");
}

static int write_rows(FILE *fp, am_buf *o, const am_alignment *a, const am_text *const *ver,
                      num_list *lists, double flag_below)
{
    int rc = AM_OK, last_para = -1;
    for (size_t b = 0; b < a->n_beads && !rc; b++) {
        size_t pv = 0;
        int para = bead_paragraph(a, ver, b, &pv);
        if (para >= 0 && last_para >= 0 && para != last_para)
            rc = am_buf_printf(o,
                               "<tr class=\"para\"><td colspan=\"%zu\">¶ paragraph %d</td></tr>\n",
                               a->n_versions + 1, para + 1);
        if (para >= 0)
            last_para = para;
        for (size_t v = 0; v < a->n_versions && !rc; v++)
            rc = collect_numbers(&lists[v], ver[v], AM_BEAD_BEGIN(a, b, v), AM_BEAD_END(a, b, v));
        if (!rc)
            rc = write_bead(o, a, ver, b, lists, flag_below);
        if (!rc && o->len > 65536)
            rc = flush_buf(fp, o);
    }
    return rc;
}

int am_report_html(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                   const am_report_opts *opts, am_error *err)
{
    am_buf o = AM_BUF_INIT;
    num_list *lists = NULL;
    double flag_below = opts ? opts->flag_below : 0.8;
    const char *title = opts && opts->title ? opts->title : "alignmem review";
    if (!a || !versions || n == 0 || n > AM_REPORT_MAX_VERSIONS)
        return am_error_set(err, AM_EARG, "html report: %zu versions", n);
    int rc = am_report_check(a, versions, n, err);
    if (rc)
        return rc;
    lists = calloc(n, sizeof *lists);
    if (!lists)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    rc = write_head(&o, title);
    if (!rc)
        rc = write_summary(&o, a, versions, flag_below);
    if (!rc)
        rc = write_table_head(&o, versions, n);
    if (!rc)
        rc = write_rows(fp, &o, a, versions, lists, flag_below);
    if (!rc)
        rc = am_buf_puts(&o, "</tbody>\n</table>\n</body>\n</html>\n");
    if (!rc)
        rc = flush_buf(fp, &o);
    if (!rc && fflush(fp) != 0)
        rc = AM_EIO;
    if (rc == AM_EIO)
        am_error_set(err, AM_EIO, "cannot write the html report");
    else if (rc)
        am_error_set(err, rc, "html report: %s", am_strerror(rc));
    for (size_t v = 0; v < n; v++)
        free(lists[v].v);
    free(lists);
    am_buf_free(&o);
    return rc;
}
