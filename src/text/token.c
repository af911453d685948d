/* token.c - word tokens (ICU word breaks, UAX #29 word boundaries) with
 * matching keys, number keys and Latin transliteration keys. The aligner
 * tokenises every sentence, so this path avoids ICU calls per character:
 * simple case folding per code point, and transliterations cached per
 * word in the language table (opening and running an ICU transliterator
 * costs microseconds per word). */
#include "text/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define MAX_WORD_CACHE 200000 /* entries before the cache starts afresh */

typedef struct tok_build {
    am_tokens *out;
    size_t cap;
    am_buf arena;      /* keys, NUL-separated; pointers fixed up at the end */
    size_t *key_off;   /* per token, into arena */
    size_t *tr_off;
    am_lang *lang;
    const am_u16 *u;
    UChar tmp[256];
} tok_build;

static int add_token(tok_build *tb, int kind, size_t off, size_t len, size_t key, size_t tr)
{
    am_tokens *t = tb->out;
    if (t->n == tb->cap) {
        size_t cap = tb->cap ? tb->cap * 2 : 32;
        am_token *nt = realloc(t->toks, cap * sizeof *nt);
        if (nt)
            t->toks = nt;
        size_t *nk = realloc(tb->key_off, cap * sizeof *nk);
        if (nk)
            tb->key_off = nk;
        size_t *nr = realloc(tb->tr_off, cap * sizeof *nr);
        if (nr)
            tb->tr_off = nr;
        if (!nt || !nk || !nr)
            return AM_ENOMEM;
        tb->cap = cap;
    }
    t->toks[t->n] = (am_token){kind, off, len, NULL, NULL};
    tb->key_off[t->n] = key;
    tb->tr_off[t->n] = tr;
    t->n++;
    return AM_OK;
}

/* Append a UTF-16 string to the arena as UTF-8 plus NUL; *at = its start. */
static int arena_put16(am_buf *a, const UChar *s, int32_t n, size_t *at)
{
    *at = a->len;
    if (am_buf_reserve(a, (size_t)n * 3 + 1))
        return AM_ENOMEM;
    int32_t o = 0;
    char *d = a->data + a->len;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        UBool bad = 0;
        U16_NEXT(s, i, n, c);
        U8_APPEND(d, o, n * 3, c, bad);
        (void)bad;
    }
    a->len += (size_t)o;
    return am_buf_putc(a, '\0');
}

/* ---- words ---------------------------------------------------------- */

/* The blocks of combining marks met in European text (cheaper than asking
 * ICU for the combining class of every letter). */
static int is_combining_block(UChar32 c)
{
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x483 && c <= 0x489) ||
           (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* Fold and map u[b..e) into out (cap units); returns its length, or -1
 * when it does not fit. Composes with NFC when a combining mark shows up,
 * so that "е" + U+0308 and "ё" give the same key. */
static int32_t word_key16(UChar *out, int32_t cap, const UChar *u, int32_t b, int32_t e)
{
    int32_t o = 0, combining = 0;
    for (int32_t i = b; i < e;) {
        UChar32 c;
        U16_NEXT(u, i, e, c);
        c = c < 0x80 ? (UChar32)tolower(c) : am_key_char(u_foldCase(c, U_FOLD_CASE_DEFAULT));
        if (c < 0)
            continue;
        if (is_combining_block(c))
            combining = 1;
        if (o + 2 > cap)
            return -1;
        U16_APPEND_UNSAFE(out, o, c);
    }
    if (combining) {
        UChar nfc[256];
        UErrorCode st = U_ZERO_ERROR;
        const UNormalizer2 *norm = unorm2_getNFCInstance(&st);
        int32_t n = U_SUCCESS(st) ? unorm2_normalize(norm, out, o, nfc, 256, &st) : -1;
        if (U_FAILURE(st) || n > cap)
            return o;
        for (int32_t i = 0; i < n; i++)
            out[i] = nfc[i] == 0x0451 ? 0x0435 : nfc[i];
        o = n;
    }
    return o;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* Latin ASCII key: transliterate, keep lower-case letters and digits. */
static int translit_word(am_buf *res, am_lang *lang, const char *key, am_error *err)
{
    UChar buf[512];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(buf, 128, &n, key, -1, &st);
    UTransliterator *tr = am_lang_transliterator(lang, NULL);
    if (U_FAILURE(st) || !tr) {
        (void)err;
        return am_buf_puts(res, key);
    }
    int32_t limit = n;
    utrans_transUChars(tr, buf, &n, 512, 0, &limit, &st);
    if (U_FAILURE(st))
        return am_buf_puts(res, key);
    for (int32_t i = 0; i < n; i++) {
        UChar c = buf[i];
        if (c < 0x80 && isalnum(c) && am_buf_putc(res, (char)tolower(c)))
            return AM_ENOMEM;
    }
    return res->len ? AM_OK : am_buf_puts(res, key);
}

static int cached_translit(tok_build *tb, size_t key_at, size_t *tr_at, am_error *err)
{
    am_lang *l = tb->lang;
    const char *key = tb->arena.data + key_at;
    size_t kn = strlen(key);
    if (is_ascii(key)) {
        *tr_at = key_at;
        return AM_OK;
    }
    if (l->words && am_strmap_count(l->words) >= MAX_WORD_CACHE) {
        am_strmap_free(l->words);
        l->words = NULL;
    }
    if (!l->words && !(l->words = am_strmap_new()))
        return AM_ENOMEM;
    const char *hit = am_strmap_get(l->words, key, kn, NULL);
    am_buf res = AM_BUF_INIT;
    if (!hit) {
        if (kn > 120 || translit_word(&res, l, key, err) ||
            am_strmap_put(l->words, key, kn, res.data, res.len, 0)) {
            am_buf_free(&res);
            if (kn > 120) {
                *tr_at = key_at; /* no word is that long; not worth it */
                return AM_OK;
            }
            return AM_ENOMEM;
        }
        hit = am_strmap_get(l->words, key, kn, NULL);
    }
    *tr_at = tb->arena.len;
    int rc = am_buf_append(&tb->arena, hit, strlen(hit)) || am_buf_putc(&tb->arena, '\0');
    am_buf_free(&res);
    return rc ? AM_ENOMEM : AM_OK;
}

static int add_word(tok_build *tb, int32_t b, int32_t e, am_error *err)
{
    const am_u16 *u = tb->u;
    int32_t kn = word_key16(tb->tmp, 256, u->s, b, e);
    if (kn < 0) { /* an absurdly long "word": keep it verbatim */
        kn = e - b > 256 ? 256 : e - b;
        memcpy(tb->tmp, u->s + b, (size_t)kn * sizeof(UChar));
    }
    size_t key_at, tr_at;
    if (arena_put16(&tb->arena, tb->tmp, kn, &key_at) ||
        cached_translit(tb, key_at, &tr_at, err))
        return AM_ENOMEM;
    return add_token(tb, AM_TOK_WORD, u->map[b], u->map[e] - u->map[b], key_at, tr_at);
}

/* ---- numbers -------------------------------------------------------- */

static int is_group_space(UChar c)
{
    return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009;
}

/* "5 000": ICU stops at the space; extend over " ddd" groups when the
 * number so far is a group of 1-3 digits or already grouped. */
static int32_t extend_spaced(const UChar *s, int32_t n, int32_t b, int32_t e)
{
    int32_t run = 0;
    for (int32_t i = e - 1; i >= b && u_isdigit(s[i]); i--)
        run++;
    if (run == 0 || run > 3 || (e - b != run && !is_group_space(s[e - run - 1])))
        return e;
    while (e + 4 <= n && is_group_space(s[e]) && u_isdigit(s[e + 1]) && u_isdigit(s[e + 2]) &&
           u_isdigit(s[e + 3]) && (e + 4 == n || !(u_isdigit(s[e + 4]) || u_isalpha(s[e + 4]))))
        e += 4;
    return e;
}

/* Digits of s[b..e) with grouping removed and the decimal separator as
 * '.': "5,000" "5 000" "5000" -> "5000"; "12,4" "12.4" -> "12.4". dec is
 * the language's decimal separator; the other one is a decimal mark only
 * when not followed by exactly three digits. */
static int number_key(am_buf *a, const UChar *s, int32_t b, int32_t e, char dec, size_t *at)
{
    int32_t seps = 0, last = -1, groups_ok = 1, run = 0, first = 1;
    int comma = 0, dot = 0;
    for (int32_t i = b; i < e; i++) {
        if (u_isdigit(s[i])) {
            run++;
            continue;
        }
        if (!first && run != 3)
            groups_ok = 0;
        first = 0;
        run = 0;
        seps++;
        last = i;
        comma |= s[i] == ',';
        dot |= s[i] == '.';
    }
    if (seps && run != 3)
        groups_ok = 0;
    int32_t dec_at = -1;
    if (last >= 0 && (s[last] == ',' || s[last] == '.')) {
        int once = 1;
        for (int32_t i = b; i < last; i++)
            once &= s[i] != s[last];
        if (comma && dot)
            dec_at = once ? last : -1;
        else if (once && (s[last] == dec || run != 3))
            dec_at = last;
        else if (!once && !groups_ok)
            dec_at = -2; /* a date or version: "12.04.2019", keep as written */
    }
    *at = a->len;
    for (int32_t i = b; i < e; i++) {
        int32_t d = u_charDigitValue(s[i]);
        char c = d >= 0 ? (char)('0' + d) : i == dec_at ? '.' : dec_at == -2 ? '.' : 0;
        if (c && am_buf_putc(a, c))
            return AM_ENOMEM;
    }
    return am_buf_putc(a, '\0');
}

static int add_number(tok_build *tb, int32_t b, int32_t e)
{
    size_t at;
    if (number_key(&tb->arena, tb->u->s, b, e, tb->lang->decimal_sep, &at))
        return AM_ENOMEM;
    const am_u16 *u = tb->u;
    return add_token(tb, AM_TOK_NUMBER, u->map[b], u->map[e] - u->map[b], at, at);
}

/* ---- the tokenizer -------------------------------------------------- */

static int add_punct(tok_build *tb, int32_t b, int32_t e)
{
    const am_u16 *u = tb->u;
    for (int32_t i = b; i < e;) {
        int32_t s0 = i;
        UChar32 c;
        U16_NEXT(u->s, i, e, c);
        if (am_is_space(c) || am_key_char(c) < 0)
            continue;
        UChar k[2];
        int32_t kn = 0;
        U16_APPEND_UNSAFE(k, kn, am_key_char(c));
        size_t at;
        if (arena_put16(&tb->arena, k, kn, &at) ||
            add_token(tb, AM_TOK_PUNCT, u->map[s0], u->map[i] - u->map[s0], at, at))
            return AM_ENOMEM;
    }
    return AM_OK;
}

static int scan(tok_build *tb, UBreakIterator *bi, am_error *err)
{
    const am_u16 *u = tb->u;
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, u->s, u->n, &st);
    if (U_FAILURE(st))
        return am_error_set(err, AM_EINPUT, "ICU word break: %s", u_errorName(st));
    int rc = AM_OK;
    int32_t b = ubrk_first(bi);
    for (int32_t e = ubrk_next(bi); e != UBRK_DONE && !rc; b = e, e = ubrk_next(bi)) {
        int32_t status = ubrk_getRuleStatus(bi);
        if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) {
            int32_t ext = extend_spaced(u->s, u->n, b, e);
            if (ext != e)
                e = ubrk_following(bi, ext - 1);
            rc = add_number(tb, b, e);
        } else if (status >= UBRK_WORD_LETTER) {
            rc = add_word(tb, b, e, err);
        } else {
            rc = add_punct(tb, b, e);
        }
    }
    ubrk_setText(bi, NULL, 0, &st);
    return rc ? am_error_set(err, rc, "out of memory") : AM_OK;
}

static int lang_or_generic(am_lang **out, const am_lang *lang, am_error *err)
{
    const am_lang *l = lang;
    if (!l && am_lang_get(&l, "und", err))
        return AM_ELANG;
    *out = am_lang_mut(l);
    return AM_OK;
}

int am_tokenize(am_tokens **out, const am_lang *lang, const char *s, size_t n, am_error *err)
{
    am_u16 u = AM_U16_INIT;
    tok_build tb;
    memset(&tb, 0, sizeof tb);
    *out = NULL;
    int rc = lang_or_generic(&tb.lang, lang, err);
    if (rc)
        return rc;
    size_t bad;
    if (am_utf8_validate(s, n, &bad))
        return am_error_set(err, AM_EINPUT, "invalid UTF-8 at byte %zu", bad);
    tb.out = calloc(1, sizeof *tb.out);
    UBreakIterator *bi = am_lang_word_iter(tb.lang, err);
    tb.u = &u;
    if (!tb.out) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (!bi) {
        rc = AM_ELANG;
        goto cleanup;
    }
    if ((rc = am_u16_from_utf8(&u, s, n)) != AM_OK) {
        am_error_set(err, rc, "cannot tokenise: %s", am_strerror(rc));
        goto cleanup;
    }
    if ((rc = scan(&tb, bi, err)) != AM_OK)
        goto cleanup;
    for (size_t i = 0; i < tb.out->n; i++) {
        tb.out->toks[i].key = tb.arena.data + tb.key_off[i];
        tb.out->toks[i].translit = tb.arena.data + tb.tr_off[i];
    }
    tb.out->priv = am_buf_detach(&tb.arena, NULL);
    *out = tb.out;
    tb.out = NULL;
cleanup:
    am_u16_free(&u);
    am_buf_free(&tb.arena);
    free(tb.key_off);
    free(tb.tr_off);
    am_tokens_free(tb.out);
    return rc;
}

void am_tokens_free(am_tokens *t)
{
    if (!t)
        return;
    free(t->toks);
    free(t->priv);
    free(t);
}

int am_transliterate(char **out, const am_lang *lang, const char *s, size_t n, am_error *err)
{
    am_lang *l;
    am_u16 u = AM_U16_INIT;
    UChar *buf = NULL;
    am_buf res = AM_BUF_INIT;
    *out = NULL;
    int rc = lang_or_generic(&l, lang, err);
    if (rc)
        return rc;
    size_t bad;
    if (am_utf8_validate(s, n, &bad))
        return am_error_set(err, AM_EINPUT, "invalid UTF-8 at byte %zu", bad);
    UTransliterator *tr = am_lang_transliterator(l, err);
    if (!tr)
        return AM_ELANG;
    if ((rc = am_u16_from_utf8(&u, s, n)) != AM_OK) {
        am_error_set(err, rc, "cannot transliterate: %s", am_strerror(rc));
        goto cleanup;
    }
    /* Latin output of a Cyrillic letter is at most 4 letters ("shch"). */
    int32_t cap = u.n * 4 + 16, len = u.n, limit = u.n;
    UErrorCode st = U_ZERO_ERROR;
    if (!(buf = malloc((size_t)cap * sizeof *buf))) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    u_memcpy(buf, u.s, u.n);
    utrans_transUChars(tr, buf, &len, cap, 0, &limit, &st);
    if (U_FAILURE(st)) {
        rc = am_error_set(err, AM_EINPUT, "transliteration failed: %s", u_errorName(st));
        goto cleanup;
    }
    size_t at;
    if (arena_put16(&res, buf, len, &at)) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < res.len; i++)
        res.data[i] = (char)tolower((unsigned char)res.data[i]);
    res.len--; /* the NUL arena_put16 counted */
    *out = am_buf_detach(&res, NULL);
cleanup:
    am_u16_free(&u);
    free(buf);
    am_buf_free(&res);
    return rc;
}
