/* normalize.c - matching keys: case folding (Unicode full case folding),
 * NFC (UAX #15), then am_key_char's unification of apostrophes, quotes,
 * dashes and ё, soft hyphens and zero-width characters dropped, white
 * space collapsed and trimmed. The stored text is never changed; this is
 * for comparing only. */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* Fold, then compose: folding may decompose (e.g. U+0130), NFC puts the
 * result back into composed form so that "е\u0308" and "ё" meet. */
static int fold_nfc(UChar **out, int32_t *out_n, const UChar *src, int32_t n, am_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *fold = NULL, *nfc = NULL;
    int32_t fn = u_strFoldCase(NULL, 0, src, n, U_FOLD_CASE_DEFAULT, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        goto icu_fail;
    st = U_ZERO_ERROR;
    fold = malloc(((size_t)fn + 1) * sizeof *fold);
    if (!fold)
        goto oom;
    u_strFoldCase(fold, fn + 1, src, n, U_FOLD_CASE_DEFAULT, &st);
    const UNormalizer2 *norm = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        goto icu_fail;
    int32_t nn = unorm2_normalize(norm, fold, fn, NULL, 0, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        goto icu_fail;
    st = U_ZERO_ERROR;
    nfc = malloc(((size_t)nn + 1) * sizeof *nfc);
    if (!nfc)
        goto oom;
    unorm2_normalize(norm, fold, fn, nfc, nn + 1, &st);
    if (U_FAILURE(st))
        goto icu_fail;
    free(fold);
    *out = nfc;
    *out_n = nn;
    return AM_OK;
oom:
    free(fold);
    return am_error_set(err, AM_ENOMEM, "out of memory");
icu_fail:
    free(fold);
    free(nfc);
    return am_error_set(err, AM_EINPUT, "ICU normalisation failed: %s", u_errorName(st));
}

/* Append the key form of u[0..n) to b as UTF-8, collapsing white space.
 * One UTF-16 unit never yields more than 3 UTF-8 bytes (a surrogate pair,
 * two units, yields 4) and a space replaces a unit, so reserving 3n bytes
 * once lets the loop write straight into the buffer: per-character appends
 * were the top cost of a TMX import (callgrind, ~230M instructions per 10k
 * units). */
static int map_to_utf8(am_buf *b, const UChar *u, int32_t n)
{
    if (am_buf_reserve(b, 3 * (size_t)n))
        return AM_ENOMEM;
    char *p = b->data + b->len;
    const char *start = b->data;
    int pending_space = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (am_is_space(c)) {
            pending_space = p > start;
            continue;
        }
        c = am_key_char(c);
        if (c < 0)
            continue;
        if (pending_space)
            *p++ = ' ';
        int32_t k = 0;
        UBool bad = 0;
        U8_APPEND((uint8_t *)p, k, 4, c, bad);
        (void)bad; /* c came from valid UTF-16: always encodable */
        p += k;
        pending_space = 0;
    }
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
    return AM_OK;
}

int am_normalize(char **out, size_t *out_len, const char *s, size_t n, am_error *err)
{
    am_u16 u = AM_U16_INIT;
    UChar *key = NULL;
    int32_t kn = 0;
    am_buf b = AM_BUF_INIT;
    *out = NULL;
    size_t bad;
    if (am_utf8_validate(s, n, &bad))
        return am_error_set(err, AM_EINPUT, "invalid UTF-8 at byte %zu", bad);
    int rc = am_u16_from_utf8(&u, s, n);
    if (rc) {
        am_error_set(err, rc, "cannot normalise: %s", am_strerror(rc));
        goto cleanup;
    }
    rc = fold_nfc(&key, &kn, u.s, u.n, err);
    if (rc)
        goto cleanup;
    if (map_to_utf8(&b, key, kn) || am_buf_reserve(&b, 0)) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    *out = am_buf_detach(&b, out_len);
cleanup:
    am_u16_free(&u);
    free(key);
    am_buf_free(&b);
    return rc;
}
