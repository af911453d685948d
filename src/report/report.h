/* report.h - private interface of the report module: one function per
 * format, all with the signature of am_report_write, which dispatches.
 * Each writes the whole alignment to fp and returns 0 or a negative AM_E*
 * code with the message in err (AM_EIO when fp fails). */
#ifndef AM_REPORT_PRIV_H
#define AM_REPORT_PRIV_H

#include "alignmem.h"

#include <stdio.h>
#include <string.h>

/* More versions than any report lays out side by side. */
#define AM_REPORT_MAX_VERSIONS 16

/* One JSON object a bead (jsonl.c). */
int am_report_jsonl(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                    const am_report_opts *opts, am_error *err);
/* Tab-separated: a header line, then one line a bead (tsv.c). */
int am_report_tsv(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                  const am_report_opts *opts, am_error *err);
/* The self-contained review page (html.c). CMakeLists.txt compiles html.c
 * when it exists and then defines AM_HAVE_HTML_REPORT; without it
 * am_report_write answers AM_EARG "html report not built". */
int am_report_html(FILE *fp, const am_alignment *a, const am_text *const *versions, size_t n,
                   const am_report_opts *opts, am_error *err);

/* Shared by the writers (report.c). */
/* The column/key name of each version: its language code, made unique
 * with ".2", ".3" when two versions share one. names[v] has room for 40. */
void am_report_names(char (*names)[40], const am_text *const *versions, size_t n);
/* Check that a fits versions: every bead range inside its version. */
int am_report_check(const am_alignment *a, const am_text *const *versions, size_t n,
                    am_error *err);
/* Write b to fp and empty it; AM_EIO (with message) when fp fails. */
int am_report_flush(FILE *fp, am_buf *b, am_error *err);

#endif
