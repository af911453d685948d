/* report.c - am_report_write: dispatch on the format, and the helpers the
 * writers share. */
#include "report.h"

#include <stdio.h>
#include <string.h>

int am_report_write(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                    const am_report_opts *opts, am_error *err)
{
    if (!fp || !a || !versions || !opts)
        return am_error_set(err, AM_EARG, "am_report_write: NULL argument");
    switch (opts->format) {
    case AM_REPORT_JSONL: return am_report_jsonl(fp, a, versions, n, opts, err);
    case AM_REPORT_TSV: return am_report_tsv(fp, a, versions, n, opts, err);
    case AM_REPORT_HTML:
#ifdef AM_HAVE_HTML_REPORT
        return am_report_html(fp, a, versions, n, opts, err);
#else
        return am_error_set(err, AM_EARG, "html report not built");
#endif
    default: return am_error_set(err, AM_EARG, "unknown report format %d", opts->format);
    }
}

void am_report_names(char (*names)[40], const am_text *const *versions, size_t n)
{
    for (size_t v = 0; v < n; v++) {
        const char *code = versions[v]->lang[0] ? versions[v]->lang : "und";
        int same = 1;
        for (size_t u = 0; u < v; u++)
            same += strcmp(versions[u]->lang[0] ? versions[u]->lang : "und", code) == 0;
        if (same > 1)
            snprintf(names[v], sizeof names[v], "%.24s.%d", code, same);
        else
            snprintf(names[v], sizeof names[v], "%.39s", code);
    }
}

int am_report_check(const am_alignment *a, const am_text *const *versions, size_t n,
                    am_error *err)
{
    if (n > AM_REPORT_MAX_VERSIONS)
        return am_error_set(err, AM_EARG, "too many versions for a report: %zu", n);
    if (a->n_versions != n)
        return am_error_set(err, AM_EARG, "alignment of %zu versions given %zu texts",
                            a->n_versions, n);
    for (size_t b = 0; b < a->n_beads; b++)
        for (size_t v = 0; v < n; v++)
            if (AM_BEAD_BEGIN(a, b, v) > AM_BEAD_END(a, b, v) ||
                AM_BEAD_END(a, b, v) > versions[v]->n_segs)
                return am_error_set(err, AM_EARG, "bead %zu does not fit version %zu", b + 1, v + 1);
    return AM_OK;
}

int am_report_flush(FILE *fp, am_buf *b, am_error *err)
{
    if (b->len && fwrite(b->data, 1, b->len, fp) != b->len)
        return am_error_set(err, AM_EIO, "cannot write the report");
    am_buf_clear(b);
    return AM_OK;
}
