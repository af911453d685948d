/* tsv_read.c - read back a TSV alignment a reviewer corrected, checking it
 * against the versions it was made from (rules in tsv_read.h). */
#include "tsv_read.h"

#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CELLS (AM_REPORT_MAX_VERSIONS + 8)

typedef struct cell {
    const char *s;
    size_t n;
} cell;

typedef struct reader {
    const char *path;
    const am_text *const *ver;
    size_t n;
    int col_of[AM_REPORT_MAX_VERSIONS]; /* TSV column of each version */
    int score_col, n_cols;
    size_t next[AM_REPORT_MAX_VERSIONS];   /* first sentence not yet placed */
    long *line_of[AM_REPORT_MAX_VERSIONS]; /* line each sentence was placed on */
    am_alignment *a;
    size_t cap;
    am_buf why; /* the fault, in words, while a cell is matched */
    am_buf unq; /* an unquoted cell */
    am_error *err;
} reader;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

enum { M_WHOLE, M_PART, M_NO };

/* Does sentence k of t start at c[*ci] (white space ignored on both
 * sides)? M_WHOLE advances *ci past it; M_PART: the cell ends inside it. */
static int match_sentence(const char *c, size_t cn, size_t *ci, const am_text *t, size_t k)
{
    const char *s = t->data + t->segs[k].offset;
    size_t sn = t->segs[k].length, i = *ci, j = 0, matched = 0;
    for (;; matched++) {
        i = skip_ws(c, cn, i);
        j = skip_ws(s, sn, j);
        if (j == sn) {
            *ci = i;
            return M_WHOLE;
        }
        if (i == cn)
            return matched ? M_PART : M_NO;
        if (c[i] != s[j])
            return M_NO;
        i++;
        j++;
    }
}

/* A short quotation of a text for a message: at most 40 characters (not
 * bytes: Cyrillic takes two), never cut inside a UTF-8 sequence. */
static void put_excerpt(am_buf *b, const char *s, size_t n)
{
    size_t cut = 0, chars = 0;
    while (cut < n && chars < 40) {
        cut++;
        while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut++;
        chars++;
    }
    am_buf_putc(b, '"');
    for (size_t i = 0; i < cut; i++)
        am_buf_putc(b, is_ws(s[i]) ? ' ' : s[i]);
    am_buf_puts(b, cut < n ? "...\"" : "\"");
}

static void put_sentence(am_buf *b, const am_text *t, size_t k)
{
    am_buf_printf(b, "sentence %zu (", k + 1);
    put_excerpt(b, t->data + t->segs[k].offset, t->segs[k].length);
    am_buf_putc(b, ')');
}

/* Where, from c[ci], the cell stops following sentence k of t (white
 * space ignored); backs up to the start of the word there. */
static size_t diverge_at(const char *c, size_t cn, size_t ci, const am_text *t, size_t k)
{
    const char *s = t->data + t->segs[k].offset;
    size_t sn = t->segs[k].length, i = ci, j = 0;
    for (;;) {
        i = skip_ws(c, cn, i);
        j = skip_ws(s, sn, j);
        if (i == cn || j == sn || c[i] != s[j])
            break;
        i++;
        j++;
    }
    while (i > ci && !is_ws(c[i - 1]))
        i--;
    return i;
}

/* Explain why the cell does not continue with sentence k at c[ci]. */
static void diagnose(reader *r, size_t v, const char *c, size_t cn, size_t ci, size_t k, int how)
{
    const am_text *t = r->ver[v];
    am_buf_clear(&r->why);
    if (k < t->n_segs && how == M_PART) {
        am_buf_puts(&r->why, "the cell holds only the start of ");
        put_sentence(&r->why, t, k);
        am_buf_puts(&r->why, ": a sentence cannot be split between beads");
        return;
    }
    for (size_t j = k; j-- > 0;) {
        size_t cj = ci;
        if (match_sentence(c, cn, &cj, t, j) != M_NO) {
            put_sentence(&r->why, t, j);
            am_buf_printf(&r->why, " appears twice: it is already on line %ld", r->line_of[v][j]);
            return;
        }
    }
    for (size_t j = k + 1; j < t->n_segs; j++) {
        size_t cj = ci;
        if (match_sentence(c, cn, &cj, t, j) == M_WHOLE) {
            put_sentence(&r->why, t, k);
            am_buf_puts(&r->why, " is missing: it is in no bead (to keep a bead out of the "
                                 "memory, write delete in its score cell instead of deleting "
                                 "its line)");
            return;
        }
    }
    if (k >= t->n_segs) {
        am_buf_puts(&r->why, "the cell has text after the last sentence of the source: ");
        put_excerpt(&r->why, c + ci, cn - ci);
        return;
    }
    /* Quote from where the cell parts from the sentence, so that a change
     * deep in a long sentence shows. */
    size_t at = diverge_at(c, cn, ci, t, k);
    am_buf_puts(&r->why, "the text differs from ");
    put_sentence(&r->why, t, k);
    am_buf_puts(&r->why, " at ");
    put_excerpt(&r->why, c + at, cn - at);
    am_buf_puts(&r->why, ": a sentence was changed, or is not the next one of the source");
}

/* Match a whole cell from sentence r->next[v]; on success *end is one past
 * the last sentence it holds. Changes nothing in r but r->why. */
static int match_cell(reader *r, size_t v, const char *c, size_t cn, size_t *end)
{
    size_t ci = 0, k = r->next[v];
    for (;;) {
        ci = skip_ws(c, cn, ci);
        if (ci == cn)
            break;
        int how = k < r->ver[v]->n_segs ? match_sentence(c, cn, &ci, r->ver[v], k) : M_NO;
        if (how != M_WHOLE) {
            diagnose(r, v, c, cn, ci, k, how);
            return AM_EINPUT;
        }
        k++;
    }
    *end = k;
    return AM_OK;
}

/* A spreadsheet may save a cell as "text with ""quotes""". */
static int unquote(am_buf *b, const char *c, size_t cn)
{
    am_buf_clear(b);
    if (cn < 2 || c[0] != '"' || c[cn - 1] != '"')
        return 0;
    for (size_t i = 1; i + 1 < cn; i++) {
        if (c[i] == '"' && c[i + 1] == '"')
            i++;
        am_buf_putc(b, c[i]);
    }
    if (!b->data)
        am_buf_reserve(b, 0);
    return b->data != NULL;
}

static int fail(reader *r, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(reader *r, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    am_error_setv(r->err, AM_EINPUT, fmt, ap);
    va_end(ap);
    am_error_at(r->err, r->path, line, -1, -1);
    return AM_EINPUT;
}

static size_t split(cell *cells, size_t max, const char *s, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '\t') {
            if (k < max)
                cells[k] = (cell){s + start, i - start};
            k++;
            start = i + 1;
        }
    }
    return k;
}

static int cell_is(const cell *c, const char *word)
{
    size_t i = skip_ws(c->s, c->n, 0), j = c->n;
    while (j > i && is_ws(c->s[j - 1]))
        j--;
    return j - i == strlen(word) && !strncasecmp(c->s + i, word, j - i);
}

/* Line 1: which column holds which version, and the score. */
static int read_header(reader *r, const char *s, size_t n)
{
    char names[AM_REPORT_MAX_VERSIONS][40];
    cell cells[MAX_CELLS];
    size_t nc = split(cells, MAX_CELLS, s, n);
    am_report_names(names, r->ver, r->n);
    if (nc > MAX_CELLS)
        return fail(r, 1, "too many columns: %zu", nc);
    r->n_cols = (int)nc;
    r->score_col = -1;
    for (size_t v = 0; v < r->n; v++)
        r->col_of[v] = -1;
    for (size_t c = 0; c < nc; c++) {
        size_t v = 0;
        while (v < r->n && !cell_is(&cells[c], names[v]))
            v++;
        if (v < r->n && r->col_of[v] < 0)
            r->col_of[v] = (int)c;
        else if (cell_is(&cells[c], "score") && r->score_col < 0)
            r->score_col = (int)c;
        else
            return fail(r, 1,
                        "column '%.*s' is not one of the versions given (%s...), or "
                        "appears twice",
                        (int)(cells[c].n > 40 ? 40 : cells[c].n), cells[c].s, names[0]);
    }
    for (size_t v = 0; v < r->n; v++)
        if (r->col_of[v] < 0)
            return fail(r, 1, "no column for version '%s': a column is missing", names[v]);
    if (r->score_col < 0)
        return fail(r, 1, "no 'score' column: a column is missing");
    return AM_OK;
}

/* The score cell: a confidence, empty (1: made by the reviewer), or
 * "delete" (-1). */
static int read_score(reader *r, long line, const cell *c, double *score)
{
    char tmp[64];
    size_t i = skip_ws(c->s, c->n, 0), j = c->n;
    while (j > i && is_ws(c->s[j - 1]))
        j--;
    if (i == j) {
        *score = 1.0;
        return AM_OK;
    }
    if (cell_is(c, "delete")) {
        *score = -1;
        return AM_OK;
    }
    if (j - i >= sizeof tmp)
        return fail(r, line, "the score is not a number");
    memcpy(tmp, c->s + i, j - i);
    tmp[j - i] = '\0';
    char *comma = strchr(tmp, ','), *end;
    if (comma) /* a spreadsheet in a uk/ru locale writes 0,93 */
        *comma = '.';
    *score = strtod(tmp, &end);
    if (*end || !(*score >= 0 && *score <= 1))
        return fail(r, line, "the score '%s' is not a confidence in [0, 1] (or empty, or delete)",
                    tmp);
    return AM_OK;
}

static int push_bead(reader *r, const size_t *begin, const size_t *end, double score)
{
    am_alignment *a = r->a;
    if (a->n_beads == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        size_t *nb = realloc(a->begin, cap * r->n * sizeof *nb);
        if (nb)
            a->begin = nb;
        size_t *ne = nb ? realloc(a->end, cap * r->n * sizeof *ne) : NULL;
        if (ne)
            a->end = ne;
        double *ns = ne ? realloc(a->score, cap * sizeof *ns) : NULL;
        if (!ns)
            return am_error_set(r->err, AM_ENOMEM, "out of memory");
        a->score = ns;
        r->cap = cap;
    }
    memcpy(a->begin + a->n_beads * r->n, begin, r->n * sizeof *begin);
    memcpy(a->end + a->n_beads * r->n, end, r->n * sizeof *end);
    a->score[a->n_beads++] = score;
    return AM_OK;
}

/* Match one cell of a version, quoted or not; end receives the new next. */
static int read_cell(reader *r, long line, size_t v, const cell *c, size_t *end)
{
    int rc = match_cell(r, v, c->s, c->n, end);
    if (rc && unquote(&r->unq, c->s, c->n))
        rc = match_cell(r, v, r->unq.data, r->unq.len, end);
    if (rc) {
        char names[AM_REPORT_MAX_VERSIONS][40];
        am_report_names(names, r->ver, r->n);
        return fail(r, line, "%s: %s", names[v], r->why.data ? r->why.data : "");
    }
    return AM_OK;
}

static int read_line(reader *r, long line, const char *s, size_t n)
{
    cell cells[MAX_CELLS];
    size_t begin[AM_REPORT_MAX_VERSIONS], end[AM_REPORT_MAX_VERSIONS], nc, any = 0;
    double score = 0; /* set by parse_score; initialised for -O2 flow analysis */
    if (skip_ws(s, n, 0) == n)
        return AM_OK; /* a blank line */
    nc = split(cells, MAX_CELLS, s, n);
    if (nc != (size_t)r->n_cols)
        return fail(r, line, "%zu cells where the header has %d: %s", nc, r->n_cols,
                    nc < (size_t)r->n_cols ? "a column is missing"
                                           : "a tab inside a cell splits it in two");
    int rc = read_score(r, line, &cells[r->score_col], &score);
    for (size_t v = 0; v < r->n && !rc; v++) {
        begin[v] = r->next[v];
        rc = read_cell(r, line, v, &cells[r->col_of[v]], &end[v]);
        any += end[v] - begin[v];
    }
    if (rc)
        return rc;
    for (size_t v = 0; v < r->n; v++) {
        for (size_t k = begin[v]; k < end[v]; k++)
            r->line_of[v][k] = line;
        r->next[v] = end[v];
    }
    return any && score >= 0 ? push_bead(r, begin, end, score) : AM_OK;
}

/* After the last line: every sentence must have been placed. */
static int check_complete(reader *r, long last_line)
{
    char names[AM_REPORT_MAX_VERSIONS][40];
    am_report_names(names, r->ver, r->n);
    for (size_t v = 0; v < r->n; v++) {
        const am_text *t = r->ver[v];
        if (r->next[v] == t->n_segs)
            continue;
        am_buf_clear(&r->why);
        put_sentence(&r->why, t, r->next[v]);
        if (t->n_segs - r->next[v] > 1)
            am_buf_printf(&r->why, " and the %zu after it", t->n_segs - r->next[v] - 1);
        return fail(r, last_line, "%s: %s missing at the end: a sentence was lost", names[v],
                    r->why.data ? r->why.data : "");
    }
    return AM_OK;
}

static int read_all(reader *r, const char *data, size_t len)
{
    long line = 0;
    size_t at = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        at = 3;
    if (at >= len)
        return fail(r, 1, "empty file: no header line");
    int rc = AM_OK;
    while (at < len && !rc) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len, n = end - at;
        if (n && data[at + n - 1] == '\r')
            n--;
        line++;
        rc = line == 1 ? read_header(r, data + at, n) : read_line(r, line, data + at, n);
        at = end + 1;
    }
    return rc ? rc : check_complete(r, line);
}

static int reader_init(reader *r, const char *path, const am_text *const *versions, size_t n,
                       am_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = strcmp(path, "-") ? path : "<stdin>";
    r->ver = versions;
    r->n = n;
    r->err = err;
    r->a = calloc(1, sizeof *r->a);
    if (!r->a)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    r->a->n_versions = n;
    for (size_t v = 0; v < n; v++) {
        r->line_of[v] = calloc(versions[v]->n_segs + 1, sizeof(long));
        if (!r->line_of[v])
            return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    return AM_OK;
}

int am_aligned_tsv_read(am_alignment **out, const char *path, const am_text *const *versions,
                        size_t n, am_error *err)
{
    reader r;
    char *data = NULL;
    size_t len = 0, bad = 0;
    *out = NULL;
    if (!path || !versions || n < 1 || n > AM_REPORT_MAX_VERSIONS)
        return am_error_set(err, AM_EARG, "am_aligned_tsv_read: %zu versions", n);
    int rc = reader_init(&r, path, versions, n, err);
    if (!rc)
        rc = am_read_file(&data, &len, path, err);
    if (!rc && am_utf8_validate(data, len, &bad)) {
        long line = 1;
        for (size_t i = 0; i < bad; i++)
            line += data[i] == '\n';
        rc = am_error_set(err, AM_EINPUT, "not valid UTF-8: save the file as UTF-8");
        am_error_at(err, r.path, line, -1, (long long)bad);
    }
    if (!rc)
        rc = read_all(&r, data, len);
    if (rc) {
        am_alignment_free(r.a);
    } else {
        *out = r.a;
    }
    for (size_t v = 0; v < n; v++)
        free(r.line_of[v]);
    am_buf_free(&r.why);
    am_buf_free(&r.unq);
    free(data);
    return rc;
}
