/* buf.c - growable NUL-terminated byte buffer and JSON escaping. */
#include "alignmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int am_buf_reserve(am_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return AM_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return AM_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return AM_ENOMEM;
    p[b->len] = '\0'; /* keep the NUL-termination promise from the first byte */
    b->data = p;
    b->cap = cap;
    return AM_OK;
}

int am_buf_append(am_buf *b, const char *s, size_t n)
{
    int rc = am_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return AM_OK;
}

int am_buf_puts(am_buf *b, const char *s)
{
    return am_buf_append(b, s, strlen(s));
}

int am_buf_putc(am_buf *b, char c)
{
    return am_buf_append(b, &c, 1);
}

int am_buf_printf(am_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return AM_EARG;
    int rc = am_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return AM_OK;
}

int am_buf_json_string(am_buf *b, const char *s, size_t n)
{
    /* Measure, reserve once, then write without a call per byte (a byte
     * at a time through am_buf_putc was 8 % of aligning 2 x 21,000
     * sentences, all of it writing JSONL). */
    size_t len = n + 2;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\')
            len += c == '\n' || c == '\r' || c == '\t' || c >= 0x20 ? 1 : 5;
    }
    int rc = len < n ? AM_ENOMEM : am_buf_reserve(b, len);
    if (rc)
        return rc;
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = "0123456789abcdef"[c >> 4];
            *o++ = "0123456789abcdef"[c & 15];
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return AM_OK;
}

void am_buf_clear(am_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void am_buf_free(am_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *am_buf_detach(am_buf *b, size_t *len_out)
{
    if (!b->data && am_buf_reserve(b, 0))
        return NULL;
    char *p = b->data;
    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
