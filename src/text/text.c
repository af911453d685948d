/* text.c - am_text: input checks (BOM, UTF-8, NUL, line ends), the
 * language of a text, and pre-segmented input (one sentence a line). */
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 1-based line of byte offset off: LF, CRLF and CR each end a line. */
static long line_of(const char *s, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n')))
            line++;
    }
    return line;
}

/* Refuse invalid UTF-8 and NUL bytes, naming the earliest offending byte
 * by its offset in the input as given (BOM included, so a hex editor
 * finds it). */
static int check_bytes(const char *s, size_t n, size_t bom, const char *name, am_error *err)
{
    size_t bad = n;
    int invalid = am_utf8_validate(s, n, &bad) != AM_OK;
    size_t scan = invalid ? bad : n;
    const char *nul = scan ? memchr(s, '\0', scan) : NULL;
    if (!invalid && !nul)
        return AM_OK;
    if (nul) {
        bad = (size_t)(nul - s);
        am_error_set(err, AM_EINPUT, "NUL byte in text (binary file?)");
    } else {
        am_error_set(err, AM_EINPUT, "invalid UTF-8 (byte 0x%02X)", (unsigned char)s[bad]);
    }
    am_error_at(err, name, line_of(s, bad), -1, (long long)(bad + bom));
    return AM_EINPUT;
}

static int resolve_lang(am_text *t, const char *name, const char *lang, am_error *err)
{
    char code[32];
    if (lang) {
        if (am_lang_canonical(code, sizeof code, lang))
            return am_error_set(err, AM_ELANG, "not a language code: '%s'", lang);
    } else if (am_lang_from_filename(code, sizeof code, name) != AM_OK) {
        int rc = am_lang_detect(code, sizeof code, t->data, t->size, err);
        if (rc) {
            am_error_at(err, name, -1, -1, -1);
            return rc;
        }
    }
    snprintf(t->lang, sizeof t->lang, "%s", code);
    return AM_OK;
}

int am_text_push(am_text *t, size_t *cap, size_t off, size_t len, int para)
{
    if (t->n_segs == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        am_segment *ns = realloc(t->segs, ncap * sizeof *ns);
        if (!ns)
            return AM_ENOMEM;
        t->segs = ns;
        *cap = ncap;
    }
    t->segs[t->n_segs++] = (am_segment){off, len, para};
    return AM_OK;
}

void am_trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e) {
        size_t i = *b;
        if (!am_is_space(am_next_cp(s, &i, *e)))
            break;
        *b = i;
    }
    while (*e > *b) {
        size_t i = *e;
        if (!am_is_space(am_prev_cp(s, &i)))
            break;
        *e = i;
    }
}

/* One sentence a non-blank line; blank lines end paragraphs. */
static int split_lines(am_text *t, am_error *err)
{
    size_t cap = 0, i = 0, n = t->size;
    int para = 0, seen_blank = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && t->data[e] != '\n' && t->data[e] != '\r')
            e++;
        size_t next = e < n && t->data[e] == '\r' && e + 1 < n && t->data[e + 1] == '\n' ? e + 2
                                                                                         : e + 1;
        size_t b = i;
        am_trim(t->data, &b, &e);
        if (b == e) {
            seen_blank = 1;
        } else {
            if (seen_blank && t->n_segs > 0)
                para++;
            seen_blank = 0;
            if (am_text_push(t, &cap, b, e - b, para))
                return am_error_set(err, AM_ENOMEM, "out of memory");
        }
        i = next;
    }
    t->n_paragraphs = t->n_segs ? para + 1 : 0;
    return AM_OK;
}

/* Build the text around data (malloc'ed, NUL-terminated, BOM already
 * removed), which it takes over even on failure. */
static int text_adopt(am_text **out, char *data, size_t len, const char *name,
                      const char *where, const char *lang, int presegmented, am_error *err)
{
    am_text *t = calloc(1, sizeof *t);
    if (!t) {
        free(data);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    t->data = data;
    t->size = len;
    int rc = resolve_lang(t, name, lang, err);
    if (rc == AM_OK)
        rc = presegmented ? split_lines(t, err) : am_segment_text(t, err);
    if (rc) {
        am_error_at(err, where, -1, -1, -1);
        am_text_free(t);
        return rc;
    }
    *out = t;
    return AM_OK;
}

static size_t bom_size(const char *bytes, size_t len)
{
    return len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static const char *where_of(const char *name)
{
    return name && strcmp(name, "-") ? name : "<stdin>";
}

int am_text_from_bytes(am_text **out, const char *bytes, size_t len, const char *name,
                       const char *lang, int presegmented, am_error *err)
{
    *out = NULL;
    const char *where = where_of(name);
    size_t bom = bom_size(bytes, len);
    int rc = check_bytes(bytes + bom, len - bom, bom, where, err);
    if (rc)
        return rc;
    char *data = malloc(len - bom + 1);
    if (!data)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    if (len > bom)
        memcpy(data, bytes + bom, len - bom);
    data[len - bom] = '\0';
    return text_adopt(out, data, len - bom, name, where, lang, presegmented, err);
}

/* A regular file in one read of its known size: am_read_file grows its
 * buffer by doubling, and on big inputs the copies and page faults cost
 * as much as segmenting. Anything else (stdin, pipes, a file that changes
 * size) goes through am_read_file. */
static int read_input(char **out, size_t *len, const char *path, am_error *err)
{
    struct stat st;
    FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : NULL;
    if (fp && fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size < SIZE_MAX / 2) {
        size_t n = (size_t)st.st_size;
        char *d = malloc(n + 1);
        if (d && fread(d, 1, n, fp) == n && fgetc(fp) == EOF && !ferror(fp)) {
            d[n] = '\0';
            fclose(fp);
            *out = d;
            *len = n;
            return AM_OK;
        }
        free(d);
    }
    if (fp)
        fclose(fp);
    return am_read_file(out, len, path, err);
}

int am_text_load(am_text **out, const char *path, const char *lang, int presegmented,
                 am_error *err)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_input(&data, &len, path, err);
    if (rc)
        return rc;
    /* Take the file's buffer over rather than copy it: on big inputs the
     * copy (and its page faults) cost as much as segmenting. */
    const char *where = where_of(path);
    size_t bom = bom_size(data, len);
    rc = check_bytes(data + bom, len - bom, bom, where, err);
    if (rc) {
        free(data);
        return rc;
    }
    if (bom)
        memmove(data, data + bom, len - bom + 1);
    return text_adopt(out, data, len - bom, path, where, lang, presegmented, err);
}

void am_text_free(am_text *t)
{
    if (!t)
        return;
    free(t->data);
    free(t->segs);
    free(t);
}
