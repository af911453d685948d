/* util.c - language codes, dates and character checks for TMX. */
#include "tmx/tmx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- language codes (BCP 47, RFC 5646 section 2.1.1 case conventions) -- */

static int all_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

static int all_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Case one subtag by its position and shape; returns 0 or -1. */
static int case_subtag(char *t, size_t n, int first, int *private_use)
{
    if (n == 0 || n > 8 || !all_alnum(t, n))
        return -1;
    for (size_t i = 0; i < n; i++)
        t[i] = (char)tolower((unsigned char)t[i]);
    if (first)
        return all_alpha(t, n) ? 0 : -1;
    if (*private_use)
        return 0;
    if (n == 1) {
        /* A singleton: "x" starts private use, after which no casing rule. */
        *private_use = t[0] == 'x';
        return 0;
    }
    if (n == 2 && all_alpha(t, n)) {
        t[0] = (char)toupper((unsigned char)t[0]);
        t[1] = (char)toupper((unsigned char)t[1]);
    } else if (n == 4 && all_alpha(t, n)) {
        t[0] = (char)toupper((unsigned char)t[0]);
    }
    return 0;
}

/* Private-use and grandfathered tags ("x-klingon", "i-navajo"), which the
 * lang module's am_lang_canonical does not take: lower case throughout. */
static int private_canonical(char *out, size_t outsz, const char *code)
{
    size_t len = code ? strlen(code) : 0;
    if (outsz == 0)
        return AM_EARG;
    out[0] = '\0';
    if (len == 0 || len >= outsz || len > 63)
        return AM_EARG;
    memcpy(out, code, len + 1);
    int first = 1, private_use = 0;
    char *t = out;
    for (size_t i = 0; i <= len; i++) {
        if (out[i] == '_')
            out[i] = '-';
        if (out[i] != '-' && out[i] != '\0')
            continue;
        size_t n = (size_t)(out + i - t);
        /* The primary subtag is 2-3 letters, 4-8 (registered), or a
         * singleton x/i (private use, grandfathered). */
        if (first && n == 1 && (t[0] == 'x' || t[0] == 'X' || t[0] == 'i' || t[0] == 'I'))
            private_use = 1;
        else if (first && n < 2)
            goto bad;
        if (case_subtag(t, n, first, &private_use))
            goto bad;
        first = 0;
        t = out + i + 1;
    }
    if (private_use)
        return AM_OK;
bad:
    out[0] = '\0';
    return AM_EARG;
}

int tmx_lang_canonical(char *out, size_t outsz, const char *code)
{
    if (code && strcmp(code, "*all*") == 0 && outsz > 5) {
        memcpy(out, code, 6);
        return AM_OK;
    }
    /* One normaliser for the whole library, so the store and TMX agree. */
    if (am_lang_canonical(out, outsz, code) == AM_OK)
        return AM_OK;
    return private_canonical(out, outsz, code);
}

/* The region CAT tools expect for a bare language (Trados insists on one).
 * The usual choices of the tools' own language lists, not a claim about
 * where a language is spoken. */
static const char *const default_region[][2] = {
    {"ar", "SA"}, {"be", "BY"}, {"bg", "BG"}, {"cs", "CZ"}, {"da", "DK"}, {"de", "DE"},
    {"el", "GR"}, {"en", "US"}, {"es", "ES"}, {"et", "EE"}, {"fi", "FI"}, {"fr", "FR"},
    {"he", "IL"}, {"hu", "HU"}, {"it", "IT"}, {"ja", "JP"}, {"ka", "GE"}, {"kk", "KZ"},
    {"ko", "KR"}, {"lt", "LT"}, {"lv", "LV"}, {"nb", "NO"}, {"nl", "NL"}, {"pl", "PL"},
    {"pt", "PT"}, {"ro", "RO"}, {"ru", "RU"}, {"sk", "SK"}, {"sv", "SE"}, {"tr", "TR"},
    {"uk", "UA"}, {"zh", "CN"},
};

void tmx_lang_region(char *out, size_t outsz, const char *canon)
{
    snprintf(out, outsz, "%s", canon);
    if (strchr(canon, '-'))
        return;
    for (size_t i = 0; i < sizeof default_region / sizeof default_region[0]; i++) {
        if (strcmp(canon, default_region[i][0]) == 0) {
            snprintf(out, outsz, "%s-%s", canon, default_region[i][1]);
            return;
        }
    }
}

/* ---- dates -------------------------------------------------------------- */

/* Read exactly n digits at *p; advances *p. Returns -1 if not digits. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static int parse_time(const char **p, struct tm *tm, int colons)
{
    if ((tm->tm_hour = digits(p, 2)) < 0)
        return -1;
    if (colons && *(*p)++ != ':')
        return -1;
    if ((tm->tm_min = digits(p, 2)) < 0)
        return -1;
    tm->tm_sec = 0;
    if (!colons || **p == ':') {
        *p += colons;
        if ((tm->tm_sec = digits(p, 2)) < 0)
            return -1;
    }
    if (colons && **p == '.') /* fractions of a second: TMX has none */
        for ((*p)++; isdigit((unsigned char)**p); (*p)++) {
        }
    return 0;
}

/* Time zone suffix: Z, +hh:mm, +hhmm, -hh; *off = seconds east of UTC. */
static int parse_zone(const char *p, long *off)
{
    *off = 0;
    if (*p == '\0' || (p[0] == 'Z' && p[1] == '\0'))
        return 0;
    if (*p != '+' && *p != '-')
        return -1;
    int sign = *p++ == '-' ? -1 : 1;
    int h = digits(&p, 2), m = 0;
    if (h < 0)
        return -1;
    if (*p == ':')
        p++;
    if (*p && (m = digits(&p, 2)) < 0)
        return -1;
    if (*p || h > 23 || m > 59)
        return -1;
    *off = sign * (h * 3600L + m * 60L);
    return 0;
}

int tmx_date_format(char out[17], const char *s)
{
    struct tm tm = {0};
    const char *p = s;
    long off = 0;
    if (!s)
        return -1;
    int tmx_form = strlen(s) == 16 && s[8] == 'T';
    if ((tm.tm_year = digits(&p, 4)) < 0 || (!tmx_form && *p++ != '-') ||
        (tm.tm_mon = digits(&p, 2)) < 0 || (!tmx_form && *p++ != '-') ||
        (tm.tm_mday = digits(&p, 2)) < 0)
        return -1;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (parse_time(&p, &tm, !tmx_form))
            return -1;
    }
    if (parse_zone(p, &off))
        return -1;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1000)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) - off;
    struct tm u;
    if (!gmtime_r(&t, &u) || u.tm_year + 1900 > 9999)
        return -1;
    /* strftime: the fields are in range, so exactly 16 characters. */
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &u);
    return 0;
}

/* ---- characters XML 1.0 can carry (XML 1.0, production [2] Char) ------- */

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, or 0
 * when invalid (overlong, surrogate, above U+10FFFF, truncated). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || s[0] > 0xF4 || len > n)
        return 0;
    unsigned long v = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int tmx_xml_text_check(const char *s, size_t n, size_t *bad_off)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t len = utf8_next(u + i, n - i, &cp);
        if (len == 0 || (cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || cp == 0xFFFE ||
            cp == 0xFFFF) {
            *bad_off = i;
            return -1;
        }
        i += len;
    }
    return 0;
}
