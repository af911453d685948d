/* text.h - private helpers of the text module: UTF-8 <-> UTF-16 with an
 * offset map (ICU works on UTF-16, the API speaks UTF-8 byte offsets),
 * white space and letter classes, and the character mapping shared by
 * am_normalize and the token keys. */
#ifndef AM_TEXT_PRIV_H
#define AM_TEXT_PRIV_H

#include "alignmem.h"
#include "lang/lang.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* UTF-16 copy of a valid UTF-8 string. map[i] is the byte offset of the
 * code point that UTF-16 unit i belongs to; map[n16] = the byte length. */
typedef struct am_u16 {
    UChar *s;
    uint32_t *map;
    int32_t n;
    int32_t cap;
} am_u16;

#define AM_U16_INIT {NULL, NULL, 0, 0}

/* Convert s[0..n) (valid UTF-8) into u, reusing its storage. AM_ELIMIT
 * for text ICU cannot index (2^31 UTF-16 units), AM_ENOMEM. */
int am_u16_from_utf8(am_u16 *u, const char *s, size_t n);
void am_u16_free(am_u16 *u);

/* Decode the code point at s[*i] (valid UTF-8), advancing *i. */
static inline UChar32 am_next_cp(const char *s, size_t *i, size_t n)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && *i + 1 < n) { /* Cyrillic: the common case */
        UChar32 cp = ((UChar32)(c & 0x1F) << 6) | ((unsigned char)s[*i + 1] & 0x3F);
        *i += 2;
        return cp;
    }
    int32_t j = (int32_t)*i;
    UChar32 cp;
    U8_NEXT(s, j, (int32_t)(n > INT32_MAX ? INT32_MAX : n), cp);
    *i = (size_t)j;
    return cp;
}

/* Decode the code point ending just before s[i], moving *i back to it. */
static inline UChar32 am_prev_cp(const char *s, size_t *i)
{
    unsigned char c = (unsigned char)s[*i - 1];
    if (c < 0x80) {
        (*i)--;
        return c;
    }
    if (*i >= 2 && (c & 0xC0) == 0x80) {
        unsigned char l = (unsigned char)s[*i - 2];
        if (l >= 0xC2 && l < 0xE0) { /* Cyrillic: the common case */
            *i -= 2;
            return ((UChar32)(l & 0x1F) << 6) | (c & 0x3F);
        }
    }
    int32_t j = (int32_t)*i;
    UChar32 cp;
    U8_PREV(s, 0, j, cp);
    *i = (size_t)j;
    return cp;
}

/* White space as Unicode defines it (includes NBSP and the thin spaces). */
static inline int am_is_space(UChar32 c)
{
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r');
    /* The White_Space property (PropList.txt, stable since Unicode 6.3)
     * plus U+FEFF, spelt out: asking ICU per letter was a tenth of the
     * segmentation time. */
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
           c == 0xFEFF;
}

/* How a character maps in a matching key: the replacement, or -1 to drop
 * it. Apostrophes (’ ʼ ‘ ` ´) become ', quotes « » „ “ ” become ", the
 * dash family and minus become -, ё becomes е, soft hyphens and zero-width
 * characters disappear. Input is already case-folded. */
UChar32 am_key_char(UChar32 c);

/* A character that can close a sentence after its final punctuation
 * (quotes, brackets) or open one. */
int am_is_closer(UChar32 c);
int am_is_opener(UChar32 c);

/* Append a segment to t->segs (capacity *cap). AM_ENOMEM on failure. */
int am_text_push(am_text *t, size_t *cap, size_t off, size_t len, int para);
/* Trim white space (Unicode, not only ASCII) from both ends of [*b, *e). */
void am_trim(const char *s, size_t *b, size_t *e);

#endif
