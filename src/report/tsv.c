/* tsv.c - tab-separated alignment: a header line naming the languages
 * and "score", then one line a bead; a side's sentences are joined by one
 * space, tabs and line breaks inside a sentence become spaces (so the
 * columns stay columns), an empty side is an empty cell. */
#include "report.h"

static int put_cell(am_buf *o, const am_text *t, size_t b, size_t e)
{
    int rc = AM_OK;
    for (size_t s = b; s < e && !rc; s++) {
        const am_segment *g = &t->segs[s];
        if (s > b)
            rc = am_buf_putc(o, ' ');
        for (size_t i = 0; i < g->length && !rc; i++) {
            char c = t->data[g->offset + i];
            rc = am_buf_putc(o, c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        }
    }
    return rc;
}

int am_report_tsv(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                  const am_report_opts *opts, am_error *err)
{
    char names[AM_REPORT_MAX_VERSIONS][40];
    am_buf o = AM_BUF_INIT;
    (void)opts;
    int rc = am_report_check(a, versions, n, err);
    if (rc)
        return rc;
    am_report_names(names, versions, n);
    for (size_t v = 0; v < n && !rc; v++)
        rc = am_buf_printf(&o, "%s\t", names[v]);
    rc = rc ? rc : am_buf_puts(&o, "score\n");
    for (size_t b = 0; b < a->n_beads && !rc; b++) {
        for (size_t v = 0; v < n && !rc; v++) {
            rc = put_cell(&o, versions[v], AM_BEAD_BEGIN(a, b, v), AM_BEAD_END(a, b, v));
            rc = rc ? rc : am_buf_putc(&o, '\t');
        }
        rc = rc ? rc : am_buf_printf(&o, "%.3f\n", a->score[b]);
        if (!rc && o.len > 65536)
            rc = am_report_flush(fp, &o, err);
    }
    if (rc) /* the first error wins: a write error already set stays */
        rc = am_error_set(err, rc, "out of memory");
    if (!rc)
        rc = am_report_flush(fp, &o, err);
    am_buf_free(&o);
    return rc;
}
