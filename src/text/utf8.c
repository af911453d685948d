/* utf8.c - UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) and conversion to UTF-16 with an offset map. */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid sequence at s[i], or 0 when it is invalid. The
 * second-byte ranges are those of RFC 3629 section 4 (Table 3-7 of the
 * Unicode Standard), which exclude overlongs and surrogates. */
static size_t seq_len(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n - i < len)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
    return len;
}

int am_utf8_validate(const char *str, size_t n, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            /* ASCII runs, eight bytes at a time. */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        /* Two-byte sequences (Cyrillic) without the general path. */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        size_t len = seq_len(s, i, n);
        if (!len) {
            if (bad_offset)
                *bad_offset = i;
            return AM_EINPUT;
        }
        i += len;
    }
    return AM_OK;
}

int am_u16_from_utf8(am_u16 *u, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    /* Each byte gives at most one UTF-16 unit. */
    if (n >= (size_t)INT32_MAX)
        return AM_ELIMIT;
    if ((int32_t)n + 1 > u->cap) {
        int32_t cap = (int32_t)n + 1;
        UChar *ns = realloc(u->s, (size_t)cap * sizeof *ns);
        if (ns)
            u->s = ns;
        uint32_t *nm = realloc(u->map, (size_t)cap * sizeof *nm);
        if (nm)
            u->map = nm;
        if (!ns || !nm)
            return AM_ENOMEM;
        u->cap = cap;
    }
    int32_t o = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            u->map[o] = (uint32_t)i;
            u->s[o++] = c;
            i++;
            continue;
        }
        size_t start = i;
        UChar32 cp = am_next_cp(str, &i, n);
        if (cp < 0)
            cp = 0xFFFD;
        if (cp <= 0xFFFF) {
            u->map[o] = (uint32_t)start;
            u->s[o++] = (UChar)cp;
        } else {
            u->map[o] = (uint32_t)start;
            u->s[o++] = U16_LEAD(cp);
            u->map[o] = (uint32_t)start;
            u->s[o++] = U16_TRAIL(cp);
        }
    }
    u->map[o] = (uint32_t)n;
    u->s[o] = 0;
    u->n = o;
    return AM_OK;
}

void am_u16_free(am_u16 *u)
{
    free(u->s);
    free(u->map);
    u->s = NULL;
    u->map = NULL;
    u->n = u->cap = 0;
}

UChar32 am_key_char(UChar32 c)
{
    if (c < 0x80)
        return c == '`' ? '\'' : c;
    switch (c) {
    case 0x2019: case 0x02BC: case 0x2018: case 0x00B4: case 0x02B9: case 0x2032:
    case 0x201A: case 0x201B: case 0xFF07:
        return '\'';
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x2033: case 0x2039: case 0x203A: case 0x301D: case 0x301E: case 0xFF02:
        return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
        return '-';
    case 0x0451: /* ё */
        return 0x0435;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
    case 0x180E:
        return -1;
    default:
        return c;
    }
}

int am_is_closer(UChar32 c)
{
    switch (c) {
    case '"': case '\'': case ')': case ']': case '}': case 0x00BB: case 0x201D:
    case 0x2019: case 0x203A: case 0x201C:
        return 1;
    default:
        return 0;
    }
}

int am_is_opener(UChar32 c)
{
    switch (c) {
    case '"': case '\'': case '(': case '[': case '{': case 0x00AB: case 0x201C:
    case 0x201E: case 0x2018: case 0x2039:
        return 1;
    default:
        return 0;
    }
}
