/* fuzzy.c - the match tokenizer and the fuzzy match score.
 *
 * The score follows OmegaT's (org.omegat.core.matching.FuzzyMatcher):
 * Levenshtein distance over word tokens, 100 * (max(n,m) - d) / max(n,m)
 * (Levenshtein 1966), computed on normalised keys so that case, apostrophe
 * style and ё/е do not count as edits. What normalisation hides is then
 * charged as small, named penalties (as Trados and memoQ do for
 * "placeable" differences), so 100 means identical text and nothing else.
 * The exact formula is in the README (section lookup). */
#include "match.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define PEN_CASE 1
#define PEN_PUNCT 1
#define PEN_NUMFMT 2
#define PEN_CODES 1

/* ---- tokenizer ------------------------------------------------------ */

int am_mt_is_word_char(int32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (c >= 0x400 && c <= 0x52F) /* Cyrillic: letters and combining marks but one sign */
        return c != 0x482;
    return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/* Invisible characters am_normalize drops: they neither end nor start a word. */
static int is_invisible(int32_t c)
{
    return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

static int is_apostrophe(int32_t c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0x60 || c == 0x2018 || c == 0x02B9;
}

static int is_space(int32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D);
    return (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x202F || c == 0x2009 ||
           c == 0x2007 || u_isUWhiteSpace(c);
}

static int is_digit(int32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9';
    if (c >= 0x400 && c <= 0x52F)
        return 0;
    return u_isdigit(c);
}

/* The code point at s[i] (-1 at the end) and its length in *len. */
static int32_t decode(const char *s, int32_t i, int32_t n, int32_t *len)
{
    if (i >= n) {
        *len = 0;
        return -1;
    }
    if ((unsigned char)s[i] < 0x80) {
        *len = 1;
        return (unsigned char)s[i];
    }
    int32_t j = i, c;
    U8_NEXT(s, j, n, c);
    *len = j - i;
    return c;
}

static int32_t peek(const char *s, int32_t i, int32_t n)
{
    int32_t len;
    return decode(s, i, n, &len);
}

static int32_t peek_len(const char *s, int32_t i, int32_t n)
{
    int32_t len;
    decode(s, i, n, &len);
    return len;
}

/* A space inside a number: "5 000", "1 250 000" (groups of exactly three). */
static int group_space_continues(const char *s, int32_t i, int32_t n, int group)
{
    if (group < 1 || group > 3)
        return 0;
    int32_t j = i + peek_len(s, i, n);
    for (int k = 0; k < 3; k++) {
        int32_t c = peek(s, j, n);
        if (c < 0 || !is_digit(c))
            return 0;
        j += peek_len(s, j, n);
    }
    int32_t c = peek(s, j, n);
    return c < 0 || !is_digit(c);
}

/* End of the word or number starting at i; sets *kind. */
static int32_t scan_word(const char *s, int32_t i, int32_t n, uint8_t *kind)
{
    int all_digits = 1, group = 0, grouped = 0;
    while (i < n) {
        int32_t len, c = decode(s, i, n, &len);
        if (am_mt_is_word_char(c) || is_invisible(c)) {
            if (is_digit(c))
                group++;
            else if (!is_invisible(c))
                all_digits = 0;
            i += len;
            continue;
        }
        int32_t next = peek(s, i + len, n);
        if (is_apostrophe(c) && !all_digits && next >= 0 && u_isalpha(next)) {
            i += len;
            continue;
        }
        if (all_digits && (c == '.' || c == ',') && next >= 0 && is_digit(next)) {
            i += len;
            group = 0;
            continue;
        }
        if (all_digits && is_space(c) && c != '\n' && (grouped || group <= 3) &&
            group_space_continues(s, i, n, group)) {
            i += len;
            group = 0;
            grouped = 1;
            continue;
        }
        break;
    }
    *kind = all_digits ? AM_TOK_NUMBER : AM_TOK_WORD;
    return i;
}

/* FNV-1a, 64 bits: keys are short and the hash only speeds up equality. */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int push_tok(am_mt_toks *t, const am_mt_tok *tok)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        am_mt_tok *p = realloc(t->t, cap * sizeof *p);
        if (!p)
            return AM_ENOMEM;
        t->t = p;
        t->cap = cap;
    }
    t->t[t->n++] = *tok;
    return AM_OK;
}

static int number_key(am_buf *keys, const char *p, size_t n)
{
    int rc = AM_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ',' || c == '.')
            rc = am_buf_putc(keys, '.');
        else if (c >= '0' && c <= '9')
            rc = am_buf_putc(keys, (char)c);
        else if (c >= 0x80 && c < 0xC0)
            continue; /* continuation byte of a space or a non-ASCII digit */
        else if (c >= 0xC0) {
            int32_t j = (int32_t)i, cp;
            U8_NEXT(p, j, (int32_t)n, cp);
            if (is_digit(cp))
                rc = am_buf_append(keys, p + i, (size_t)j - i);
        }
    }
    return rc;
}

/* Split into tokens with keys equal to the surfaces (numbers aside). */
static int split(am_mt_toks *t, const char *s, int32_t n)
{
    int32_t i = 0;
    t->src = s;
    int space = 0, rc = AM_OK;
    while (i < n && !rc) {
        int32_t len, c = decode(s, i, n, &len);
        if (is_space(c) || is_invisible(c)) {
            space = 1;
            i += len;
            continue;
        }
        am_mt_tok tok = {(uint32_t)i, 0, (uint32_t)t->keys.len, 0, 0, AM_TOK_PUNCT, (uint8_t)space, 1};
        int32_t end = i + len;
        if (am_mt_is_word_char(c))
            end = scan_word(s, i, n, &tok.kind);
        tok.len = (uint32_t)(end - i);
        if (tok.kind == AM_TOK_NUMBER) {
            rc = number_key(&t->keys, s + i, tok.len);
            tok.key_in_src = 0;
            tok.key_len = (uint32_t)(t->keys.len - tok.key_off);
            tok.hash = hash_bytes(t->keys.data ? t->keys.data + tok.key_off : "", tok.key_len);
        } else { /* the surface is the key: no copy */
            tok.key_off = tok.off;
            tok.key_len = tok.len;
            tok.hash = hash_bytes(s + i, tok.len);
        }
        if (!rc)
            rc = push_tok(t, &tok);
        space = 0;
        i = end;
    }
    return rc;
}

static int index_words(am_mt_toks *t)
{
    if (t->cap_words < t->n) {
        free(t->words);
        free(t->widx);
        t->words = malloc((t->n + 1) * sizeof *t->words);
        t->widx = malloc((t->n + 1) * sizeof *t->widx);
        t->cap_words = t->n;
        if (!t->words || !t->widx) {
            t->cap_words = 0;
            return AM_ENOMEM;
        }
    }
    t->n_words = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->t[i].kind == AM_TOK_PUNCT)
            continue;
        t->words[t->n_words] = t->t[i].hash;
        t->widx[t->n_words++] = (uint32_t)i;
    }
    return AM_OK;
}

static void toks_clear(am_mt_toks *t)
{
    t->n = 0;
    t->n_words = 0;
    am_buf_clear(&t->keys);
}

/* Give every word token of t (original text) the key of the token at the
 * same place in k (its normalised text); 0 when the two do not line up. */
static int keys_from(am_mt_toks *t, const am_mt_toks *k)
{
    if (t->n != k->n)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->t[i].kind != k->t[i].kind)
            return 0;
    }
    return 1;
}

/* Per-token normalisation: the slow path when whole-text normalisation
 * changed the token structure (a rare character folding into two). */
static int normalize_each(am_mt_toks *t, const char *s, am_error *err)
{
    am_buf keys = AM_BUF_INIT;
    int rc = AM_OK;
    for (size_t i = 0; i < t->n && !rc; i++) {
        am_mt_tok *tok = &t->t[i];
        size_t start = keys.len;
        if (tok->kind == AM_TOK_WORD) {
            char *norm = NULL;
            size_t nlen = 0;
            rc = am_normalize(&norm, &nlen, s + tok->off, tok->len, err);
            if (!rc)
                rc = am_buf_append(&keys, norm, nlen);
            free(norm);
        } else {
            rc = am_buf_append(&keys, am_mt_key(t, i), tok->key_len);
        }
        tok->key_in_src = 0;
        tok->key_off = (uint32_t)start;
        tok->key_len = (uint32_t)(keys.len - start);
        tok->hash = hash_bytes(keys.data ? keys.data + start : "", tok->key_len);
    }
    am_buf_free(&t->keys);
    t->keys = keys;
    return rc;
}

static int tokenize_original(am_mt_toks *t, const char *s, size_t n, am_error *err)
{
    char *norm = NULL;
    size_t nlen = 0;
    am_mt_toks k = AM_MT_TOKS_INIT;
    int rc = split(t, s, (int32_t)n);
    if (!rc)
        rc = am_normalize(&norm, &nlen, s, n, err);
    if (!rc)
        rc = split(&k, norm, (int32_t)nlen);
    if (rc)
        goto cleanup;
    if (keys_from(t, &k)) {
        /* The keys of k point into norm, freed below: copy them. */
        am_buf keys = AM_BUF_INIT;
        for (size_t i = 0; i < t->n && !rc; i++) {
            t->t[i].key_off = (uint32_t)keys.len;
            t->t[i].key_len = k.t[i].key_len;
            t->t[i].hash = k.t[i].hash;
            t->t[i].key_in_src = 0;
            rc = am_buf_append(&keys, am_mt_key(&k, i), k.t[i].key_len);
        }
        am_buf_free(&t->keys);
        t->keys = keys;
    } else {
        rc = normalize_each(t, s, err);
    }
cleanup:
    free(norm);
    am_mt_toks_free(&k);
    return rc;
}

int am_mt_tokenize(am_mt_toks *t, const char *s, size_t n, int mode, am_error *err)
{
    toks_clear(t);
    if (n > INT32_MAX / 2)
        return am_error_set(err, AM_ELIMIT, "text too long to match (%zu bytes)", n);
    int rc = mode == AM_MT_NORMALIZE ? tokenize_original(t, s, n, err) : split(t, s, (int32_t)n);
    if (!rc)
        rc = index_words(t);
    if (rc == AM_ENOMEM)
        am_error_set(err, AM_ENOMEM, "out of memory");
    return rc;
}

void am_mt_toks_free(am_mt_toks *t)
{
    free(t->t);
    free(t->words);
    free(t->widx);
    am_buf_free(&t->keys);
    *t = (am_mt_toks)AM_MT_TOKS_INIT;
}

const char *am_mt_key(const am_mt_toks *t, size_t i)
{
    if (t->t[i].key_in_src)
        return t->src + t->t[i].key_off;
    return t->keys.data ? t->keys.data + t->t[i].key_off : "";
}

/* ---- distance --------------------------------------------------------- */

size_t am_mt_dmax(size_t n, size_t m, double min)
{
    size_t l = n > m ? n : m;
    double d = (double)l * (1.0 - min / 100.0) + 1e-9;
    return d < 0 ? 0 : (size_t)d;
}

double am_mt_base(size_t n, size_t m, size_t d)
{
    size_t l = n > m ? n : m;
    return l == 0 ? 100.0 : 100.0 * (double)(l - d) / (double)l;
}

size_t am_mt_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m, size_t dmax,
                      uint32_t *work)
{
    const uint32_t big = (uint32_t)dmax + 1;
    if (n > m + dmax || m > n + dmax)
        return big;
    uint32_t *prev = work, *cur = work + m + 2;
    for (size_t j = 0; j <= m + 1; j++)
        prev[j] = j <= dmax ? (uint32_t)j : big;
    for (size_t i = 1; i <= n; i++) {
        size_t lo = i > dmax ? i - dmax : 1, hi = i + dmax < m ? i + dmax : m;
        cur[lo - 1] = lo == 1 ? (i <= dmax ? (uint32_t)i : big) : big;
        uint32_t rowmin = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            uint32_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v > big ? big : v;
            if (cur[j] < rowmin)
                rowmin = cur[j];
        }
        cur[hi + 1] = big;
        if (rowmin >= big)
            return big;
        uint32_t *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    return prev[m] > big ? big : prev[m];
}

/* ---- the full score ---------------------------------------------------- */

/* Full Levenshtein table over the word tokens of q and m, then walk it
 * back to pair the tokens that were kept; pair[i] = index in m's words of
 * q's word i, or -1. Returns the distance, or (size_t)-1 out of memory. */
static size_t align_words(const am_mt_toks *q, const am_mt_toks *m, long *pair)
{
    size_t n = q->n_words, k = m->n_words, w = k + 1;
    uint32_t *d = malloc((n + 1) * w * sizeof *d);
    if (!d)
        return (size_t)-1;
    for (size_t i = 0; i <= n; i++)
        d[i * w] = (uint32_t)i;
    for (size_t j = 0; j <= k; j++)
        d[j] = (uint32_t)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= k; j++) {
            uint32_t v = d[(i - 1) * w + j - 1] + (q->words[i - 1] != m->words[j - 1]);
            if (d[(i - 1) * w + j] + 1 < v)
                v = d[(i - 1) * w + j] + 1;
            if (d[i * w + j - 1] + 1 < v)
                v = d[i * w + j - 1] + 1;
            d[i * w + j] = v;
        }
    }
    size_t dist = d[n * w + k], i = n, j = k;
    for (size_t x = 0; x < n; x++)
        pair[x] = -1;
    while (i > 0 && j > 0) {
        int same = q->words[i - 1] == m->words[j - 1];
        if (d[i * w + j] == d[(i - 1) * w + j - 1] + !same) {
            if (same)
                pair[i - 1] = (long)(j - 1);
            i--, j--;
        } else if (d[i * w + j] == d[(i - 1) * w + j] + 1) {
            i--;
        } else {
            j--;
        }
    }
    free(d);
    return dist;
}

/* Surfaces that differ only in letter case, code point by code point. */
static int same_but_case(const char *a, int32_t an, const char *b, int32_t bn)
{
    int32_t i = 0, j = 0;
    while (i < an && j < bn) {
        int32_t ca, cb;
        U8_NEXT(a, i, an, ca);
        U8_NEXT(b, j, bn, cb);
        if (ca != cb && u_tolower(ca) != u_tolower(cb))
            return 0;
    }
    return i == an && j == bn;
}

static int kept_token_flags(const char *qs, const am_mt_toks *q, const char *ms,
                            const am_mt_toks *m, const long *pair)
{
    int flags = 0;
    for (size_t i = 0; i < q->n_words; i++) {
        if (pair[i] < 0)
            continue;
        const am_mt_tok *a = &q->t[q->widx[i]], *b = &m->t[m->widx[pair[i]]];
        if (a->len == b->len && !memcmp(qs + a->off, ms + b->off, a->len))
            continue;
        if (a->kind == AM_TOK_NUMBER)
            flags |= AM_FUZZY_NUMFMT;
        else if (same_but_case(qs + a->off, (int32_t)a->len, ms + b->off, (int32_t)b->len))
            flags |= AM_FUZZY_CASE;
        else
            flags |= AM_FUZZY_PUNCT; /* apostrophe or quote style, ё/е, soft hyphen */
    }
    return flags;
}

static int punct_differs(const char *qs, const am_mt_toks *q, const char *ms, const am_mt_toks *m)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < q->n && q->t[i].kind != AM_TOK_PUNCT)
            i++;
        while (j < m->n && m->t[j].kind != AM_TOK_PUNCT)
            j++;
        if (i == q->n || j == m->n)
            return i != q->n || j != m->n;
        const am_mt_tok *a = &q->t[i++], *b = &m->t[j++];
        if (a->len != b->len || memcmp(qs + a->off, ms + b->off, a->len))
            return 1;
    }
}

static int numbers_changed(const am_mt_toks *q, const am_mt_toks *m, const long *pair)
{
    size_t kept = 0, nq = 0, nm = 0;
    for (size_t i = 0; i < q->n_words; i++) {
        if (q->t[q->widx[i]].kind == AM_TOK_NUMBER) {
            nq++;
            kept += pair[i] >= 0;
        }
    }
    for (size_t j = 0; j < m->n_words; j++)
        nm += m->t[m->widx[j]].kind == AM_TOK_NUMBER;
    return kept != nq || kept != nm;
}

/* Code points of the word keys joined by single spaces: the text the
 * character similarity is measured on. */
static size_t key_codepoints(const am_mt_toks *t, int32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t w = 0; w < t->n_words; w++) {
        const am_mt_tok *tok = &t->t[t->widx[w]];
        const char *k = am_mt_key(t, t->widx[w]);
        if (w && n < cap)
            out[n++] = ' ';
        for (int32_t i = 0; i < (int32_t)tok->key_len && n < cap;) {
            int32_t c;
            U8_NEXT(k, i, (int32_t)tok->key_len, c);
            out[n++] = c;
        }
    }
    return n;
}

#define CHAR_CAP 1024

/* Character similarity in [0,100]; it only orders equal scores, so texts
 * beyond CHAR_CAP code points are compared on their first CHAR_CAP. */
static double char_similarity(const am_mt_toks *q, const am_mt_toks *m)
{
    int32_t *a = malloc(2 * CHAR_CAP * sizeof *a);
    uint32_t *row = malloc(2 * (CHAR_CAP + 2) * sizeof *row);
    double sim = 0;
    if (!a || !row)
        goto cleanup;
    int32_t *b = a + CHAR_CAP;
    size_t n = key_codepoints(q, a, CHAR_CAP), k = key_codepoints(m, b, CHAR_CAP);
    size_t l = n > k ? n : k;
    if (l == 0) {
        sim = 100;
        goto cleanup;
    }
    uint32_t *prev = row, *cur = row + CHAR_CAP + 2;
    for (size_t j = 0; j <= k; j++)
        prev[j] = (uint32_t)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (uint32_t)i;
        for (size_t j = 1; j <= k; j++) {
            uint32_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v;
        }
        uint32_t *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    sim = 100.0 * (double)(l - prev[k]) / (double)l;
cleanup:
    free(a);
    free(row);
    return sim;
}

static int penalty_of(int flags)
{
    return ((flags & AM_FUZZY_CASE) ? PEN_CASE : 0) + ((flags & AM_FUZZY_PUNCT) ? PEN_PUNCT : 0) +
           ((flags & AM_FUZZY_NUMFMT) ? PEN_NUMFMT : 0) + ((flags & AM_FUZZY_CODES) ? PEN_CODES : 0);
}

int am_mt_score(am_fuzzy *out, const char *qs, size_t qn, const am_mt_toks *q, const char *ms,
                size_t mn, const am_mt_toks *m, int match_has_codes)
{
    memset(out, 0, sizeof *out);
    out->query_tokens = q->n_words;
    out->match_tokens = m->n_words;
    long *pair = malloc((q->n_words + 1) * sizeof *pair);
    if (!pair)
        return AM_ENOMEM;
    size_t d = align_words(q, m, pair);
    if (d == (size_t)-1) {
        free(pair);
        return AM_ENOMEM;
    }
    int identical = qn == mn && !memcmp(qs, ms, qn);
    out->edits = d;
    out->base = am_mt_base(q->n_words, m->n_words, d);
    if (!identical) {
        out->flags = kept_token_flags(qs, q, ms, m, pair);
        if (punct_differs(qs, q, ms, m))
            out->flags |= AM_FUZZY_PUNCT;
        if (numbers_changed(q, m, pair))
            out->flags |= AM_FUZZY_NUMBERS;
    }
    if (match_has_codes)
        out->flags |= AM_FUZZY_CODES;
    /* Only white space is left to explain a difference the flags miss. */
    if (!identical && out->base >= 100 && penalty_of(out->flags) == 0)
        out->flags |= AM_FUZZY_PUNCT;
    out->penalty = penalty_of(out->flags);
    out->score = out->base - out->penalty;
    if (out->score < 0)
        out->score = 0;
    out->chars = identical ? 100 : char_similarity(q, m);
    free(pair);
    return AM_OK;
}

int am_fuzzy_score(am_fuzzy *out, const char *query, size_t qlen, const char *match, size_t mlen,
                   int match_has_codes, am_error *err)
{
    am_mt_toks q = AM_MT_TOKS_INIT, m = AM_MT_TOKS_INIT;
    int rc = am_mt_tokenize(&q, query, qlen, AM_MT_NORMALIZE, err);
    if (!rc)
        rc = am_mt_tokenize(&m, match, mlen, AM_MT_NORMALIZE, err);
    if (!rc && am_mt_score(out, query, qlen, &q, match, mlen, &m, match_has_codes))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    am_mt_toks_free(&q);
    am_mt_toks_free(&m);
    return rc;
}
