/* render_gold.c - test fixture: render the review page of a benchmark
 * document from its gold beads, without the segmenter or the aligner.
 *
 *   render_gold OUT.html DOC_DIR L1 L2
 *
 * DOC_DIR holds L1.sent, L2.sent (one sentence a line, a blank line ends a
 * paragraph) and gold.L1-L2.tsv (one bead a line: 1-based sentence ids,
 * comma lists, TAB between the sides). The gold has no confidences, so the
 * fixture invents a plain rule: 1-1 beads 0.93, 1-0/0-1 beads 0.35, other
 * types 0.72. The browser test uses it so the page can be checked in a real
 * browser on real text whatever state the aligner is in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"
#include "report/report.h"

/* Build an am_text by hand from a .sent file. */
static int load_sent(am_text *t, const char *path, const char *lang)
{
    am_error err;
    am_error_clear(&err);
    memset(t, 0, sizeof *t);
    if (am_read_file(&t->data, &t->size, path, &err)) {
        fprintf(stderr, "render_gold: %s: %s\n", path, err.message);
        return -1;
    }
    snprintf(t->lang, sizeof t->lang, "%s", lang);
    size_t cap = 16;
    t->segs = malloc(cap * sizeof *t->segs);
    int para = 0;
    for (size_t at = 0; t->segs && at < t->size;) {
        size_t end = at;
        while (end < t->size && t->data[end] != '\n')
            end++;
        if (end == at) {
            para++;
        } else {
            if (t->n_segs == cap) {
                cap *= 2;
                am_segment *s = realloc(t->segs, cap * sizeof *s);
                if (!s)
                    return -1;
                t->segs = s;
            }
            t->segs[t->n_segs++] = (am_segment){at, end - at, para};
        }
        at = end + 1;
    }
    t->n_paragraphs = para + 1;
    return t->segs ? 0 : -1;
}

/* The range [lo, hi) of a comma list "3,4" as 0-based ids; an empty cell is
 * an empty range placed at *next. */
static void parse_side(const char *cell, size_t *next, size_t *lo, size_t *hi)
{
    if (!*cell || *cell == '\t' || *cell == '\n') {
        *lo = *hi = *next;
        return;
    }
    char *p;
    long first = strtol(cell, &p, 10), last = first;
    while (*p == ',')
        last = strtol(p + 1, &p, 10);
    *lo = (size_t)(first - 1);
    *hi = (size_t)last;
    *next = *hi;
}

static int load_gold(am_alignment *a, const char *path)
{
    char *data = NULL;
    size_t len = 0, cap = 0, next[2] = {0, 0};
    am_error err;
    am_error_clear(&err);
    if (am_read_file(&data, &len, path, &err)) {
        fprintf(stderr, "render_gold: %s: %s\n", path, err.message);
        return -1;
    }
    a->n_versions = 2;
    for (char *line = data; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
        if (a->n_beads == cap) {
            cap = cap ? 2 * cap : 64;
            a->begin = realloc(a->begin, 2 * cap * sizeof(size_t));
            a->end = realloc(a->end, 2 * cap * sizeof(size_t));
            a->score = realloc(a->score, cap * sizeof(double));
            if (!a->begin || !a->end || !a->score)
                return -1;
        }
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "render_gold: %s: a line without TAB\n", path);
            return -1;
        }
        size_t b = a->n_beads++;
        parse_side(line, &next[0], &a->begin[2 * b], &a->end[2 * b]);
        parse_side(tab + 1, &next[1], &a->begin[2 * b + 1], &a->end[2 * b + 1]);
        size_t k0 = a->end[2 * b] - a->begin[2 * b], k1 = a->end[2 * b + 1] - a->begin[2 * b + 1];
        a->score[b] = k0 == 1 && k1 == 1 ? 0.93 : (k0 == 0 || k1 == 0) ? 0.35 : 0.72;
    }
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: render_gold OUT.html DOC_DIR L1 L2\n");
        return 2;
    }
    char path[4096];
    am_text t[2];
    am_alignment a = {0};
    int rc = 1;
    memset(t, 0, sizeof t);
    for (int v = 0; v < 2; v++) {
        snprintf(path, sizeof path, "%s/%s.sent", argv[2], argv[3 + v]);
        if (load_sent(&t[v], path, argv[3 + v]))
            goto cleanup;
    }
    snprintf(path, sizeof path, "%s/gold.%s-%s.tsv", argv[2], argv[3], argv[4]);
    if (load_gold(&a, path))
        goto cleanup;
    FILE *fp = fopen(argv[1], "w");
    if (!fp)
        goto cleanup;
    const am_text *v[] = {&t[0], &t[1]};
    am_report_opts opts = {AM_REPORT_HTML, 0.8, "Gold alignment (fixture scores)"};
    am_error err;
    am_error_clear(&err);
    rc = am_report_html(fp, &a, v, 2, &opts, &err) ? 1 : 0;
    if (rc)
        fprintf(stderr, "render_gold: %s\n", err.message);
    if (fclose(fp) != 0)
        rc = 1;
cleanup:
    for (int i = 0; i < 2; i++) {
        free(t[i].data);
        free(t[i].segs);
    }
    free(a.begin);
    free(a.end);
    free(a.score);
    am_shutdown();
    return rc;
}
