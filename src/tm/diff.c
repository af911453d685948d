/* diff.c - word-by-word difference between a stored segment and a query.
 *
 * The units are the tokens of the match tokenizer (words, numbers, each
 * punctuation mark), compared by their exact surface so that a case or
 * apostrophe difference, which the score charges as a penalty, is visible
 * too. Longest common subsequence by dynamic programming (Wagner & Fischer
 * 1974) after trimming the common prefix and suffix; every run between two
 * kept tokens becomes one deleted span and one inserted span, as wdiff
 * prints them. */
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* Above this many table cells the middle is shown as one replacement:
 * segments that long and that different are not a fuzzy match anyway. */
#define DIFF_MAX_CELLS (4u * 1024 * 1024)

static uint64_t surface_hash(const char *s, const am_mt_tok *t)
{
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 0; i < t->len; i++) {
        h ^= (unsigned char)s[t->off + i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int same_tok(const char *a, const am_mt_tok *x, const char *b, const am_mt_tok *y)
{
    return x->len == y->len && !memcmp(a + x->off, b + y->off, x->len);
}

typedef struct diff_state {
    am_diff *d;
    size_t cap;
    const am_mt_toks *o, *n;
} diff_state;

static int push_span(diff_state *st, int op, const am_mt_toks *t, size_t from, size_t to)
{
    if (from >= to)
        return AM_OK;
    am_diff *d = st->d;
    if (d->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        am_diff_span *p = realloc(d->spans, cap * sizeof *p);
        if (!p)
            return AM_ENOMEM;
        d->spans = p;
        st->cap = cap;
    }
    const am_mt_tok *first = &t->t[from], *last = &t->t[to - 1];
    am_diff_span *sp = &d->spans[d->n++];
    sp->op = op;
    sp->offset = first->off;
    sp->length = last->off + last->len - first->off;
    sp->space_before = from > 0 && first->space_before;
    return AM_OK;
}

/* One changed region: old tokens [o0,o1), new tokens [n0,n1). */
static int push_change(diff_state *st, size_t o0, size_t o1, size_t n0, size_t n1)
{
    int rc = push_span(st, AM_DIFF_DELETE, st->o, o0, o1);
    return rc ? rc : push_span(st, AM_DIFF_INSERT, st->n, n0, n1);
}

/* LCS over the middle region; emits spans in order. */
static int diff_middle(diff_state *st, const char *os, const char *ns, size_t o0, size_t o1,
                       size_t n0, size_t n1)
{
    size_t a = o1 - o0, b = n1 - n0, w = b + 1;
    if (a == 0 || b == 0 || a * b > DIFF_MAX_CELLS)
        return push_change(st, o0, o1, n0, n1);
    uint32_t *L = malloc((a + 1) * w * sizeof *L);
    uint64_t *ho = malloc((a + b) * sizeof *ho);
    int rc = AM_OK;
    if (!L || !ho) {
        rc = AM_ENOMEM;
        goto cleanup;
    }
    uint64_t *hn = ho + a;
    for (size_t i = 0; i < a; i++)
        ho[i] = surface_hash(os, &st->o->t[o0 + i]);
    for (size_t j = 0; j < b; j++)
        hn[j] = surface_hash(ns, &st->n->t[n0 + j]);
    /* L[i][j] = LCS of old[i..a) and new[j..b): filled backwards so the
     * walk below goes forwards. */
    for (size_t i = a + 1; i-- > 0;) {
        for (size_t j = b + 1; j-- > 0;) {
            if (i == a || j == b)
                L[i * w + j] = 0;
            else if (ho[i] == hn[j] && same_tok(os, &st->o->t[o0 + i], ns, &st->n->t[n0 + j]))
                L[i * w + j] = L[(i + 1) * w + j + 1] + 1;
            else
                L[i * w + j] = L[(i + 1) * w + j] > L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                     : L[i * w + j + 1];
        }
    }
    size_t i = 0, j = 0, ci = 0, cj = 0; /* ci, cj: start of the pending change */
    while (!rc && (i < a || j < b)) {
        if (i < a && j < b && ho[i] == hn[j] &&
            same_tok(os, &st->o->t[o0 + i], ns, &st->n->t[n0 + j]) &&
            L[i * w + j] == L[(i + 1) * w + j + 1] + 1) {
            rc = push_change(st, o0 + ci, o0 + i, n0 + cj, n0 + j);
            size_t i2 = i, j2 = j;
            while (i2 < a && j2 < b && ho[i2] == hn[j2] &&
                   same_tok(os, &st->o->t[o0 + i2], ns, &st->n->t[n0 + j2]) &&
                   L[i2 * w + j2] == L[(i2 + 1) * w + j2 + 1] + 1)
                i2++, j2++;
            if (!rc)
                rc = push_span(st, AM_DIFF_EQUAL, st->n, n0 + j, n0 + j2);
            i = ci = i2;
            j = cj = j2;
        } else if (j < b && (i == a || L[i * w + j + 1] >= L[(i + 1) * w + j])) {
            j++;
        } else {
            i++;
        }
    }
    if (!rc)
        rc = push_change(st, o0 + ci, o0 + a, n0 + cj, n0 + b);
cleanup:
    free(L);
    free(ho);
    return rc;
}

static int diff_tokens(diff_state *st, const char *os, const char *ns)
{
    size_t a = st->o->n, b = st->n->n, pre = 0, suf = 0;
    while (pre < a && pre < b && same_tok(os, &st->o->t[pre], ns, &st->n->t[pre]))
        pre++;
    while (suf < a - pre && suf < b - pre &&
           same_tok(os, &st->o->t[a - 1 - suf], ns, &st->n->t[b - 1 - suf]))
        suf++;
    int rc = push_span(st, AM_DIFF_EQUAL, st->n, 0, pre);
    if (!rc)
        rc = diff_middle(st, os, ns, pre, a - suf, pre, b - suf);
    if (!rc)
        rc = push_span(st, AM_DIFF_EQUAL, st->n, b - suf, b);
    return rc;
}

/* Join adjacent equal spans (the prefix and the first LCS run can touch). */
static void merge_equal(am_diff *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        am_diff_span *prev = k ? &d->spans[k - 1] : NULL, *cur = &d->spans[i];
        if (prev && prev->op == AM_DIFF_EQUAL && cur->op == AM_DIFF_EQUAL) {
            prev->length = cur->offset + cur->length - prev->offset;
            continue;
        }
        d->spans[k++] = *cur;
    }
    d->n = k;
}

int am_word_diff(am_diff **out, const char *old_text, size_t old_len, const char *new_text,
                 size_t new_len, am_error *err)
{
    am_mt_toks o = AM_MT_TOKS_INIT, n = AM_MT_TOKS_INIT;
    diff_state st = {NULL, 0, &o, &n};
    int rc;
    *out = NULL;
    st.d = calloc(1, sizeof *st.d);
    if (!st.d)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if ((rc = am_mt_tokenize(&o, old_text, old_len, AM_MT_KEYED, err)) ||
        (rc = am_mt_tokenize(&n, new_text, new_len, AM_MT_KEYED, err)))
        goto cleanup;
    rc = diff_tokens(&st, old_text, new_text);
    if (rc) {
        am_error_set(err, rc, "out of memory");
        goto cleanup;
    }
    merge_equal(st.d);
    *out = st.d;
    st.d = NULL;
cleanup:
    am_diff_free(st.d);
    am_mt_toks_free(&o);
    am_mt_toks_free(&n);
    return rc;
}

void am_diff_free(am_diff *d)
{
    if (!d)
        return;
    free(d->spans);
    free(d);
}

static const char *span_text(const am_diff_span *sp, const char *old_text, const char *new_text)
{
    return (sp->op == AM_DIFF_DELETE ? old_text : new_text) + sp->offset;
}

int am_diff_render(am_buf *out, const am_diff *d, const char *old_text, const char *new_text,
                   int style)
{
    static const char *const open[2][3] = {{"", "[-", "{+"}, {"", "\x1b[31;9m", "\x1b[32;4m"}};
    static const char *const close[2][3] = {{"", "-]", "+}"}, {"", "\x1b[0m", "\x1b[0m"}};
    int s = style == AM_DIFF_COLOR, rc = AM_OK;
    for (size_t i = 0; i < d->n && !rc; i++) {
        const am_diff_span *sp = &d->spans[i];
        /* A replacement reads as one place: no space between its halves. */
        int joined = sp->op == AM_DIFF_INSERT && i > 0 && d->spans[i - 1].op == AM_DIFF_DELETE;
        if (i > 0 && sp->space_before && !joined)
            rc = am_buf_putc(out, ' ');
        if (!rc)
            rc = am_buf_puts(out, open[s][sp->op]);
        if (!rc)
            rc = am_buf_append(out, span_text(sp, old_text, new_text), sp->length);
        if (!rc)
            rc = am_buf_puts(out, close[s][sp->op]);
    }
    return rc;
}

int am_diff_json(am_buf *out, const am_diff *d, const char *old_text, const char *new_text)
{
    static const char *const names[3] = {"equal", "delete", "insert"};
    am_buf text = AM_BUF_INIT;
    int rc = am_buf_putc(out, '[');
    for (size_t i = 0; i < d->n && !rc; i++) {
        const am_diff_span *sp = &d->spans[i];
        am_buf_clear(&text);
        rc = sp->space_before ? am_buf_putc(&text, ' ') : AM_OK;
        if (!rc)
            rc = am_buf_append(&text, span_text(sp, old_text, new_text), sp->length);
        if (!rc)
            rc = am_buf_printf(out, "%s{\"op\": \"%s\", \"text\": ", i ? ", " : "", names[sp->op]);
        if (!rc)
            rc = am_buf_json_string(out, text.data, text.len);
        if (!rc)
            rc = am_buf_putc(out, '}');
    }
    if (!rc)
        rc = am_buf_putc(out, ']');
    am_buf_free(&text);
    return rc;
}
