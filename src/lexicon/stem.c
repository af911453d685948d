/* stem.c - the word stems a lexicon counts.
 *
 * A stem is a prefix of the case-folded word, stem_len code points long
 * (the language table's; words no longer are kept whole): "вважають" and
 * "вважати" meet in "вважа", "government" and "governments" in "govern".
 * Truncation is the crudest stemmer there is, but it needs no data, works
 * for any alphabetic language, and for Ukrainian and Russian, whose
 * inflection is mostly in the endings, it merges the forms of a word about
 * as well as a light stemmer does for alignment purposes. The length was
 * chosen by alignment F1 on align-ntrex with lexicons learned online and in
 * batch (scripts/bench/align_online.sh): 5 for uk, ru and en was best or
 * within 0.002 of the best of 4, 5, 6, 7, 8 and of 5/5/6 (uk/ru/en), and
 * the generic table takes it too.
 *
 * Words are runs of letters (and combining marks) with inner apostrophes
 * and hyphens ("м'ясо", "п'ять", "well-known"); a run that touches a digit
 * is a number or a code ("10th", "5G") and is dropped with the numbers;
 * one-letter words are dropped. A stem never ends in an apostrophe or a
 * hyphen.
 */
#include "lang/lang.h"
#include "lexicon/lexicon.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#define LX_DEFAULT_STEM 5

int lx_stem_len(const am_lang *lang)
{
    return lang && lang->stem_len > 0 ? lang->stem_len : LX_DEFAULT_STEM;
}

enum { C_OTHER, C_LETTER, C_DIGIT, C_JOIN };

static int cp_class_slow(UChar32 c);

/* ASCII and lower-case Cyrillic inline: nearly every character of a key. */
static inline int cp_class(UChar32 c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_LETTER;
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        return c == '\'' || c == '-' ? C_JOIN : C_OTHER;
    }
    if (c >= 0x0430 && c <= 0x045F)
        return C_LETTER;
    return cp_class_slow(c);
}

static int cp_class_slow(UChar32 c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_LETTER;
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        return c == '\'' || c == '-' ? C_JOIN : C_OTHER;
    }
    if (c >= 0x0430 && c <= 0x045F) /* Cyrillic lower case: the common case */
        return C_LETTER;
    if (c == 0x2019 || c == 0x02BC || c == 0x2010 || c == 0x2011)
        return C_JOIN; /* apostrophes and hyphens of text that is not a key */
    uint32_t m = U_GET_GC_MASK(c);
    if (m & (U_GC_L_MASK | U_GC_M_MASK))
        return C_LETTER;
    if (m & U_GC_ND_MASK)
        return C_DIGIT;
    return C_OTHER;
}

/* Words and their stems in one pass: a stem is the word's first stem_len
 * code points, cut after the last letter among them. */
int lx_scan_stems(const char *s, size_t n, int stem_len,
                  int (*fn)(const char *stem, size_t len, void *ctx), void *ctx)
{
    size_t i = 0, wb = 0, stem_end = 0, cps = 0, lim = stem_len > 0 ? (size_t)stem_len : 0;
    int in_word = 0, digit = 0, prev = C_OTHER, rc;
    while (i < n) {
        size_t at = i;
        int cls = cp_class(am_next_cp(s, &i, n));
        if (cls == C_JOIN && in_word && prev == C_LETTER && i < n) {
            size_t j = i; /* inner only between two letters */
            if (cp_class(am_next_cp(s, &j, n)) == C_LETTER) {
                cps++;
                prev = C_JOIN;
                continue;
            }
        }
        prev = cls;
        if (cls == C_LETTER || cls == C_DIGIT) {
            if (!in_word) {
                in_word = 1;
                wb = stem_end = at;
                cps = 0;
                digit = 0;
            }
            digit |= cls == C_DIGIT;
            if (++cps <= lim && cls == C_LETTER)
                stem_end = i; /* a stem ends after a letter */
            continue;
        }
        /* One-letter words and words touching a digit are not counted. */
        if (in_word && !digit && cps >= 2 && (rc = fn(s + wb, stem_end - wb, ctx)) != 0)
            return rc;
        in_word = 0;
    }
    if (in_word && !digit && cps >= 2 && (rc = fn(s + wb, stem_end - wb, ctx)) != 0)
        return rc;
    return 0;
}

/* Simple case folding of the characters the fast path knows: ASCII and
 * the Cyrillic of U+0400..U+045F and Ґ; -1 for any other letter-like
 * character (which needs ICU). Punctuation and spaces of Latin-1 and of
 * General Punctuation have no case and no composition. */
static UChar32 fast_fold(UChar32 c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0x0400 && c <= 0x040F)
        return c + 0x50;
    if (c >= 0x0410 && c <= 0x042F)
        return c + 0x20;
    if ((c >= 0x0430 && c <= 0x045F) || c == 0x0491)
        return c;
    if (c == 0x0490)
        return 0x0491;
    if ((c >= 0x00A0 && c <= 0x00BF && c != 0x00AA && c != 0x00B5 && c != 0x00BA) ||
        (c >= 0x2000 && c <= 0x206F) || c == 0x02BC || c == 0x02B9)
        return c;
    return -1;
}

/* Append to out the key of a run of text without white space through
 * am_normalize (after a space when *space). */
static int key_run_icu(am_buf *out, int *space, const char *s, size_t n, am_error *err)
{
    char *key = NULL;
    size_t kn = 0;
    int rc = am_normalize(&key, &kn, s, n, err);
    if (rc)
        return rc;
    if (kn && ((*space && am_buf_append(out, " ", 1)) || am_buf_append(out, key, kn)))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    if (kn)
        *space = 0;
    free(key);
    return rc;
}

/* Where a run between white space starts, for going back to it. */
typedef struct key_run {
    size_t in, out; /* its first input byte, the key's length before it */
    int space;      /* a space was pending before it */
} key_run;

/* The run that begins at r->in holds a character fast_fold leaves to
 * ICU: key it again whole through am_normalize. Returns its end. */
static int redo_run(am_buf *k, int *space, size_t *end, const key_run *r, const char *s,
                    size_t n, am_error *err)
{
    size_t e = r->in;
    while (e < n) {
        size_t j = e;
        if (am_is_space(am_next_cp(s, &j, n)))
            break;
        e = j;
    }
    k->len = r->out;
    *space = r->space;
    *end = e;
    int rc = key_run_icu(k, space, s + r->in, e - r->in, err);
    /* The fast path writes no more than it reads: room for the rest. */
    if (!rc && am_buf_reserve(k, n - e + 1))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    return rc;
}

/* The matching key of s, as am_normalize makes it, without ICU for the
 * common text of the built-in languages: there case folding and NFC are
 * the identity or a fixed offset, the rest is am_key_char's mapping and
 * the white space rule. A run between white space holding anything else
 * goes through am_normalize alone (folding maps each character by itself,
 * and NFC composes nothing across white space), so one "é" or "№" in a
 * long text costs its word, not the text: wanting the stems of a 21,000-
 * line document with a few dozen of them took 0.4 s through ICU. */
static int fast_key(char **out, size_t *out_len, const char *s, size_t n, am_error *err)
{
    am_buf k = AM_BUF_INIT;
    key_run run = {0, 0, 0};
    int space = 0, in_run = 0, rc = AM_OK;
    if (am_buf_reserve(&k, n + 1)) /* folded keys are no longer */
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc;) {
        size_t at = i;
        unsigned char b = (unsigned char)s[i], b2 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        /* ASCII, and the lower-case Cyrillic а..я, copied without the
         * general path below (the same result): most of every text. */
        size_t copy = 0;
        if (b < 0x80 && b > ' ' && b != '`')
            copy = 1;
        else if ((b == 0xD0 && b2 >= 0xB0) || (b == 0xD1 && b2 >= 0x80 && b2 < 0x90))
            copy = 2;
        UChar32 c = 0;
        if (!copy && am_is_space(c = am_next_cp(s, &i, n))) {
            space = k.len > 0;
            in_run = 0;
            continue;
        }
        if (!in_run) { /* where to go back to if the run needs ICU */
            run = (key_run){at, k.len, space};
            in_run = 1;
        }
        if (!copy) {
            if ((c = fast_fold(c)) < 0) {
                rc = redo_run(&k, &space, &i, &run, s, n, err);
                in_run = 0;
                continue;
            }
            if ((c = am_key_char(c)) < 0)
                continue;
        }
        if (space)
            k.data[k.len++] = ' ';
        space = 0;
        if (copy) {
            k.data[k.len++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            if (copy == 2)
                k.data[k.len++] = (char)b2;
            i += copy;
            continue;
        }
        if (c < 0x80) {
            k.data[k.len++] = (char)c;
            continue;
        }
        int32_t w = 0;
        UBool bad = 0;
        U8_APPEND((uint8_t *)k.data + k.len, w, 4, c, bad);
        (void)bad; /* a folded valid code point */
        k.len += (size_t)w;
    }
    if (rc) {
        am_buf_free(&k);
        return rc;
    }
    k.data[k.len] = '\0';
    *out = am_buf_detach(&k, out_len);
    return AM_OK;
}

int lx_key(char **out, size_t *out_len, const char *s, size_t n, am_error *err)
{
    size_t bad;
    *out = NULL;
    if (am_utf8_validate(s, n, &bad))
        return am_error_set(err, AM_EINPUT, "invalid UTF-8 at byte %zu", bad);
    return fast_key(out, out_len, s, n, err);
}

typedef struct stems_ctx {
    lx_dict seen;
    am_stem_fn fn;
    void *ctx;
    int oom;
} stems_ctx;

static int distinct(const char *stem, size_t len, void *ctx)
{
    stems_ctx *sc = ctx;
    size_t before = sc->seen.n;
    uint32_t id;
    if (lx_dict_intern(&sc->seen, stem, len, &id)) {
        sc->oom = 1;
        return AM_ENOMEM;
    }
    return sc->seen.n > before ? sc->fn(stem, len, sc->ctx) : 0;
}

int am_stems(const am_lang *lang, const char *s, size_t n, int is_key, am_stem_fn fn, void *ctx,
             am_error *err)
{
    char *key = NULL;
    size_t kn = n;
    if (!fn || (!s && n))
        return am_error_set(err, AM_EARG, "am_stems: NULL argument");
    if (!is_key) {
        int rc = lx_key(&key, &kn, s ? s : "", n, err);
        if (rc)
            return rc;
    }
    stems_ctx sc = {.fn = fn, .ctx = ctx};
    int rc = lx_scan_stems(key ? key : s, kn, lx_stem_len(lang), distinct, &sc);
    if (sc.oom)
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    lx_dict_free(&sc.seen);
    free(key);
    return rc;
}
