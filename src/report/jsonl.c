/* jsonl.c - one JSON object a bead, the contract other tools rely on:
 *   {"uk": ["..."], "ru": ["...", "..."], "en": [],
 *    "ids": {"uk": [3], "ru": [4, 5], "en": []}, "score": 0.93}
 * Keys are the language codes in version order; the arrays hold the bead's
 * sentences exactly as segmented (text not altered, only JSON-escaped);
 * "ids" gives their 1-based numbers in each version; score is the bead's
 * confidence in [0, 1]. */
#include "report.h"

static int put_bead(am_buf *o, const am_alignment *a, const am_text *const *ver, size_t n,
                    char (*names)[40], size_t b)
{
    int rc = am_buf_putc(o, '{');
    for (size_t v = 0; v < n && !rc; v++) {
        rc = am_buf_json_string(o, names[v], strlen(names[v]));
        rc = rc ? rc : am_buf_puts(o, ": [");
        for (size_t s = AM_BEAD_BEGIN(a, b, v); s < AM_BEAD_END(a, b, v) && !rc; s++) {
            const am_segment *g = &ver[v]->segs[s];
            if (s > AM_BEAD_BEGIN(a, b, v))
                rc = am_buf_puts(o, ", ");
            rc = rc ? rc : am_buf_json_string(o, ver[v]->data + g->offset, g->length);
        }
        rc = rc ? rc : am_buf_puts(o, "], ");
    }
    rc = rc ? rc : am_buf_puts(o, "\"ids\": {");
    for (size_t v = 0; v < n && !rc; v++) {
        rc = am_buf_json_string(o, names[v], strlen(names[v]));
        rc = rc ? rc : am_buf_puts(o, ": [");
        for (size_t s = AM_BEAD_BEGIN(a, b, v); s < AM_BEAD_END(a, b, v) && !rc; s++)
            rc = am_buf_printf(o, "%s%zu", s > AM_BEAD_BEGIN(a, b, v) ? ", " : "", s + 1);
        rc = rc ? rc : am_buf_puts(o, v + 1 < n ? "], " : "]");
    }
    return rc ? rc : am_buf_printf(o, "}, \"score\": %.3f}\n", a->score[b]);
}

int am_report_jsonl(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                    const am_report_opts *opts, am_error *err)
{
    char names[AM_REPORT_MAX_VERSIONS][40];
    am_buf o = AM_BUF_INIT;
    (void)opts;
    int rc = am_report_check(a, versions, n, err);
    if (rc)
        return rc;
    am_report_names(names, versions, n);
    for (size_t b = 0; b < a->n_beads && !rc; b++) {
        rc = put_bead(&o, a, versions, n, names, b);
        if (rc)
            rc = am_error_set(err, rc, "out of memory");
        else if (o.len > 65536)
            rc = am_report_flush(fp, &o, err);
    }
    if (!rc)
        rc = am_report_flush(fp, &o, err);
    am_buf_free(&o);
    return rc;
}
