/* reader.c - streaming TMX reader (libxml2 xmlTextReader), hostile-input safe.
 *
 * Structure after TMX 1.4b section 3: tmx(header, body); header(note|ude|
 * prop)*; body(tu*); tu((note|prop)*, tuv+); tuv((note|prop)*, seg). TMX 1.1
 * wrote the language as `lang`, 1.2+ as `xml:lang`; both are read.
 *
 * Defences (issue #8): the parser runs with XML_PARSE_NONET and without
 * NOENT/DTDLOAD/DTDVALID/HUGE, so libxml2's own limits (depth 256, 10 MB
 * text nodes, entity amplification checks) stay on; an external entity
 * loader refuses every load while we read; the raw bytes of the prolog are
 * scanned and any "<!ENTITY" is refused before the parser sees it (TMX needs
 * no entities: this kills billion laughs, quadratic blow-up and XXE), with
 * a check of the DOCTYPE node behind it, and an entity reference is an
 * error; NUL bytes are caught in the raw input where they are; nesting
 * deeper than AM_TMX_MAX_DEPTH and segments longer than AM_TMX_MAX_SEG are
 * AM_ELIMIT. A DOCTYPE naming an external DTD (OmegaT writes
 * `<!DOCTYPE tmx SYSTEM "tmx11.dtd">`) is accepted and never fetched.
 *
 * Places: libxml2's errors carry line and column. For our own checks the
 * node's line is exact (XML_PARSE_BIG_LINES) but the reader API has no
 * column, so on an error we re-read the file to find the element's start
 * tag (the how-many-th element start on its line); from stdin the column
 * of those errors is unknown.
 */
#include "tmx/tmx.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONFIDENCE_PROP "x-alignmem-confidence"
#define PROGRESS_STEP (1LL << 20)

typedef struct prop_vec {
    am_prop *v;
    size_t n, cap;
} prop_vec;

typedef struct var_extra {
    prop_vec props, notes;
} var_extra;

/* The prolog guard: a scan of the raw bytes up to the root element that
 * refuses "<!ENTITY" before libxml2 ever sees the declaration, so no
 * entity exists to expand (libxml2 parses ahead of the nodes it hands us,
 * so a check on the DOCTYPE node alone comes too late). Markup in the
 * prolog is ASCII, so UTF-8 and UTF-16 are scanned as code units. */
enum { PG_NORMAL, PG_COMMENT, PG_PI, PG_QUOTE, PG_DONE };

typedef struct prolog_guard {
    int state, quote, enc; /* enc: 0 undecided, 1 bytes, 2 UTF-16LE, 3 UTF-16BE */
    int pending;           /* first byte of a UTF-16 unit split across reads, or -1 */
    char win[8];           /* the last 8 code units */
    long line, col;
} prolog_guard;

typedef struct rd {
    xmlTextReaderPtr r;
    const char *name; /* for messages: the path, or "<stdin>" */
    const char *path; /* NULL for stdin: no re-reading for columns */
    const am_tmx_callbacks *cb;
    am_error *err;
    FILE *fp;
    long long size, done, next_progress;
    prolog_guard guard;
    long raw_line, raw_col; /* where the raw input is, for NUL bytes */
    int in_root; /* the root element is open */
    /* The first error libxml2 reported (it parses ahead of our nodes). */
    int xml_failed, xml_code;
    long xml_line, xml_col;
    char xml_msg[400];
    /* Place of the current element: its line, and how many element starts
     * precede it on that line (to find its column when we need it). */
    long el_line;
    int el_index;
    /* Strings of the current header or unit (xmlStrdup), freed per unit. */
    xmlChar **strs;
    size_t n_strs, cap_strs;
    am_tmx_header hdr;
    prop_vec hprops, hnotes;
    int header_done;
    am_unit unit;
    prop_vec uprops, unotes;
    am_variant *vars;
    var_extra *vx;
    size_t n_vars, cap_vars;
    am_buf text, markup, scratch;
} rd;

/* ---- the guard against external loads ---------------------------------- */

static _Thread_local int reading; /* > 0 while am_tmx_read runs on this thread */
static xmlExternalEntityLoader previous_loader;
static pthread_once_t loader_once = PTHREAD_ONCE_INIT;

static xmlParserInputPtr refusing_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (reading)
        return NULL; /* no DTD, no external entity, no network: ever */
    return previous_loader ? previous_loader(url, id, ctxt) : NULL;
}

static void install_loader(void)
{
    previous_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(refusing_loader);
}

/* ---- places and messages ------------------------------------------------ */

static int is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

/* Next character of a re-read file: UTF-8 counted per code point, UTF-16
 * per code unit pair; enough to count columns the way an editor does. */
static int next_char(FILE *fp, int utf16)
{
    int a = fgetc(fp);
    if (a == EOF)
        return EOF;
    if (utf16) {
        int b = fgetc(fp);
        if (b == EOF)
            return EOF;
        return utf16 == 1 ? a | (b << 8) : (a << 8) | b;
    }
    while (a >= 0x80 && a < 0xC0) /* continuation bytes: part of the last char */
        if ((a = fgetc(fp)) == EOF)
            return EOF;
    return a;
}

/* The 1-based column of the index-th element start tag on a line, found by
 * re-reading the file (only on an error, so cost does not matter). -1 when
 * not found or not a file. Comments and CDATA on the line are skipped. */
static long find_column(const char *path, long line, int index)
{
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp)
        return -1;
    int b0 = fgetc(fp), b1 = fgetc(fp);
    int utf16 = b0 == 0xFF && b1 == 0xFE ? 1 : b0 == 0xFE && b1 == 0xFF ? 2 : 0;
    if (!utf16)
        rewind(fp);
    long ln = 1, col = 0, found = -1;
    int c, prev = 0, seen = 0, skip = 0; /* skip: 1 comment, 2 CDATA */
    while (found < 0 && (c = next_char(fp, utf16)) != EOF && ln <= line) {
        col++;
        if (c == '\n') {
            ln++;
            col = 0;
        } else if (ln == line && skip == 0 && prev == '<' && is_name_start(c)) {
            if (seen++ == index)
                found = col - 1;
        } else if (prev == '<' && c == '!') {
            int d = next_char(fp, utf16);
            col++;
            skip = d == '-' ? 1 : d == '[' ? 2 : 0;
        } else if (skip && c == '>' && (prev == '-' || prev == ']')) {
            skip = 0;
        }
        prev = c;
    }
    fclose(fp);
    return found;
}

static void vfail(rd *d, int code, long line, long col, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void vfail(rd *d, int code, long line, long col, const char *fmt, va_list ap)
{
    if (d->err && d->err->code == AM_OK) {
        am_error_setv(d->err, code, fmt, ap);
        am_error_at(d->err, d->name, line, col, -1);
    }
}

/* An error at the current element (our own checks, not libxml2's). */
static int fail(void *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(void *p, int code, const char *fmt, ...)
{
    rd *d = p;
    va_list ap;
    va_start(ap, fmt);
    vfail(d, code, d->el_line, find_column(d->path, d->el_line, d->el_index), fmt, ap);
    va_end(ap);
    return code;
}

/* An error at a remembered element place. */
static int fail_at(rd *d, long line, int index, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_at(rd *d, long line, int index, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(d, code, line, find_column(d->path, line, index), fmt, ap);
    va_end(ap);
    return code;
}

static void warn(void *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(void *p, const char *fmt, ...)
{
    rd *d = p;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (d->cb->on_warning)
        d->cb->on_warning(d->name, d->el_line, msg, d->cb->ctx);
}

static void on_xml_error(void *p, xmlErrorPtr e)
{
    rd *d = p;
    if (!e)
        return;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (e->level == XML_ERR_WARNING) {
        if (d->cb->on_warning)
            d->cb->on_warning(d->name, e->line, msg, d->cb->ctx);
        return;
    }
    if (d->xml_failed)
        return;
    for (char *q = msg; *q; q++) /* "...encoding !\nBytes: 0xFC..." on one line */
        if (*q == '\n')
            *q = ' ';
    d->xml_failed = 1;
    d->xml_code = e->code;
    d->xml_line = e->line;
    d->xml_col = e->int2;
    memcpy(d->xml_msg, msg, n + 1);
}

/* ---- input -------------------------------------------------------------- */

static int win_ends(const prolog_guard *g, const char *s)
{
    size_t n = strlen(s);
    return memcmp(g->win + sizeof g->win - n, s, n) == 0;
}

/* Feed one code unit; returns -1 when it completes "<!ENTITY". */
static int guard_unit(prolog_guard *g, int c)
{
    memmove(g->win, g->win + 1, sizeof g->win - 1);
    g->win[sizeof g->win - 1] = (char)(c < 0x80 ? c : 'x');
    if (c == '\n') {
        g->line++;
        g->col = 0;
    } else if (g->enc != 1 || c < 0x80 || c >= 0xC0) { /* not a UTF-8 continuation */
        g->col++;
    }
    switch (g->state) {
    case PG_NORMAL:
        if (c == '"' || c == '\'') {
            g->state = PG_QUOTE;
            g->quote = c;
        } else if (win_ends(g, "<!ENTITY")) {
            return -1;
        } else if (win_ends(g, "<!--")) {
            g->state = PG_COMMENT;
        } else if (win_ends(g, "<?")) {
            g->state = PG_PI;
        } else if (g->win[6] == '<' && c != '!' && c != '?' && c != '/') {
            g->state = PG_DONE; /* the root element: the prolog is over */
        }
        return 0;
    case PG_COMMENT:
        g->state = win_ends(g, "-->") ? PG_NORMAL : PG_COMMENT;
        return 0;
    case PG_PI:
        g->state = win_ends(g, "?>") ? PG_NORMAL : PG_PI;
        return 0;
    case PG_QUOTE:
        g->state = c == g->quote ? PG_NORMAL : PG_QUOTE;
        return 0;
    default:
        return 0;
    }
}

static int guard_scan(rd *d, const unsigned char *b, size_t n)
{
    prolog_guard *g = &d->guard;
    size_t i = 0;
    if (g->enc == 0 && n >= 2) {
        g->enc = (b[0] == 0xFF && b[1] == 0xFE) || (b[0] == '<' && b[1] == 0) ? 2
               : (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0 && b[1] == '<') ? 3 : 1;
    }
    for (; i < n && g->state != PG_DONE; i++) {
        int c = b[i];
        if (g->enc >= 2) {
            if (g->pending < 0) {
                g->pending = c;
                continue;
            }
            c = g->enc == 2 ? g->pending | (c << 8) : (g->pending << 8) | c;
            g->pending = -1;
        }
        if (c == 0xFEFF)
            continue;
        if (guard_unit(g, c)) {
            am_error_set(d->err, AM_EXML,
                         "entity declaration refused: TMX needs none, and entities are how "
                         "billion-laughs and external-entity attacks work");
            am_error_at(d->err, d->name, g->line, g->col - 7, -1);
            return -1;
        }
    }
    return 0;
}

/* A NUL byte is never XML. In an 8-bit encoding (UTF-16 has one in every
 * ASCII character) we catch it here, because libxml2 reports it a line
 * late as a tag mismatch. Counting lines costs one memchr pass. */
static int nul_check(rd *d, const char *buf, size_t n)
{
    const char *z = memchr(buf, 0, n);
    const char *p = buf, *end = z ? z : buf + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        d->raw_line++;
        d->raw_col = 0;
        p = nl + 1;
    }
    for (; p < end; p++) /* characters, not UTF-8 continuation bytes */
        d->raw_col += ((unsigned char)*p & 0xC0) != 0x80;
    if (!z)
        return 0;
    am_error_set(d->err, AM_EXML, "NUL byte (U+0000 is not allowed in XML)");
    am_error_at(d->err, d->name, d->raw_line, d->raw_col + 1, d->done + (long long)(z - buf));
    return -1;
}

static int io_read(void *p, char *buf, int len)
{
    rd *d = p;
    size_t n = fread(buf, 1, (size_t)len, d->fp);
    if (n == 0 && ferror(d->fp))
        return -1;
    if (d->guard.state != PG_DONE && guard_scan(d, (const unsigned char *)buf, n))
        return -1;
    if (d->guard.enc == 1 && nul_check(d, buf, n))
        return -1;
    d->done += (long long)n;
    if (d->cb->on_progress && d->done >= d->next_progress) {
        d->next_progress = d->done + PROGRESS_STEP;
        d->cb->on_progress(d->done, d->size, d->cb->ctx);
    }
    return (int)n;
}

static int io_close(void *p)
{
    (void)p; /* the FILE is closed by am_tmx_read */
    return 0;
}

/* The DOCTYPE: refuse entity declarations before anything uses them. */
static int check_doctype(rd *d)
{
    /* Not xmlTextReaderCurrentDoc(): after it the reader no longer frees
     * the document. */
    xmlNodePtr n = xmlTextReaderCurrentNode(d->r);
    xmlDtdPtr dtd = n && n->type == XML_DTD_NODE ? (xmlDtdPtr)n : NULL;
    if (dtd && (dtd->entities || dtd->pentities)) {
        long line = xmlTextReaderGetParserLineNumber(d->r);
        long col = xmlTextReaderGetParserColumnNumber(d->r);
        am_error_set(d->err, AM_EXML,
                     "the DOCTYPE declares entities; TMX needs none and they are refused");
        am_error_at(d->err, d->name, line, col, -1);
        return AM_EXML;
    }
    return AM_OK;
}

/* Turn the parser's failure into our error; returns its code. libxml2
 * words some of our cases its own way: say what they mean. */
static int xml_failure(rd *d)
{
    int code = AM_EXML;
    long line = d->xml_line, col = d->xml_col;
    if (d->err && d->err->code != AM_OK) /* the prolog guard spoke first */
        return d->err->code;
    if (d->done == 0) {
        am_error_set(d->err, code, "the file is empty");
        line = col = -1;
    } else if (d->xml_failed && d->xml_code == XML_ERR_DOCUMENT_END && d->in_root) {
        am_error_set(d->err, code, "the file ends before </tmx>: truncated");
    } else if (d->xml_failed && strstr(d->xml_msg, "huge text node")) {
        code = AM_ELIMIT; /* reported as an allocation failure; it is a limit */
        am_error_set(d->err, code,
                     "a text longer than libxml2's limit of 10,000,000 bytes per text node");
    } else if (d->xml_failed) {
        am_error_set(d->err, code, "%s", d->xml_msg);
    } else {
        am_error_set(d->err, code, "malformed XML");
        line = xmlTextReaderGetParserLineNumber(d->r);
        col = xmlTextReaderGetParserColumnNumber(d->r);
    }
    am_error_at(d->err, d->name, line, col, -1);
    return code;
}

/* Read one node. Returns 1, 0 at the end, or a negative code (error set). */
static int rd_read(void *p)
{
    rd *d = p;
    int rc = xmlTextReaderRead(d->r);
    if (rc < 0 || d->xml_failed)
        return xml_failure(d);
    if (rc == 0)
        return 0;
    int type = xmlTextReaderNodeType(d->r);
    if (type == XML_READER_TYPE_ELEMENT) {
        long line = xmlGetLineNo(xmlTextReaderCurrentNode(d->r));
        d->el_index = line == d->el_line ? d->el_index + 1 : 0;
        d->el_line = line;
        if (xmlTextReaderDepth(d->r) >= AM_TMX_MAX_DEPTH)
            return fail(d, AM_ELIMIT, "elements nested deeper than %d", AM_TMX_MAX_DEPTH);
    } else if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        return check_doctype(d) ? AM_EXML : 1;
    } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
        return fail(d, AM_EXML, "entity reference &%s; (TMX uses no entities)",
                    (const char *)xmlTextReaderConstName(d->r));
    }
    return 1;
}

/* ---- per-unit storage --------------------------------------------------- */

static const char *keep(rd *d, const xmlChar *s)
{
    if (!s)
        return NULL;
    if (d->n_strs == d->cap_strs) {
        size_t cap = d->cap_strs ? d->cap_strs * 2 : 32;
        xmlChar **v = realloc(d->strs, cap * sizeof *v);
        if (!v)
            return NULL;
        d->strs = v;
        d->cap_strs = cap;
    }
    xmlChar *c = xmlStrdup(s);
    if (c)
        d->strs[d->n_strs++] = c;
    return (const char *)c;
}

static void release_strings(rd *d)
{
    for (size_t i = 0; i < d->n_strs; i++)
        xmlFree(d->strs[i]);
    d->n_strs = 0;
}

/* The attribute's value kept for this unit; NULL when absent. *oom is set
 * when it was present but could not be copied. */
static const char *attr(rd *d, const char *name, int *oom)
{
    xmlChar *v = xmlTextReaderGetAttribute(d->r, (const xmlChar *)name);
    if (!v)
        return NULL;
    const char *k = keep(d, v);
    xmlFree(v);
    if (!k)
        *oom = 1;
    return k;
}

static int prop_push(prop_vec *pv, const char *type, const char *value, const char *lang)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 4;
        am_prop *v = realloc(pv->v, cap * sizeof *v);
        if (!v)
            return AM_ENOMEM;
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = (am_prop){type, value, lang};
    return AM_OK;
}

/* ---- structure ---------------------------------------------------------- */

typedef int (*child_fn)(rd *d, const char *name, void *arg);

/* Skip the current element and its content. */
static int skip_element(rd *d)
{
    if (xmlTextReaderIsEmptyElement(d->r))
        return AM_OK;
    int depth = xmlTextReaderDepth(d->r);
    for (;;) {
        int rc = rd_read(d);
        if (rc <= 0)
            return rc < 0 ? rc : fail(d, AM_EXML, "file ends inside an element");
        if (xmlTextReaderNodeType(d->r) == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(d->r) == depth)
            return AM_OK;
    }
}

static int skip_unknown(rd *d, const char *name, const char *parent)
{
    warn(d, "unknown element <%s> in <%s> ignored", name, parent);
    return skip_element(d);
}

/* Call fn for each child element of the current element; fn consumes the
 * child entirely. Stray text outside seg/prop/note is layout, ignored. */
static int each_child(rd *d, child_fn fn, void *arg)
{
    if (xmlTextReaderIsEmptyElement(d->r))
        return AM_OK;
    int depth = xmlTextReaderDepth(d->r);
    for (;;) {
        int rc = rd_read(d);
        if (rc <= 0)
            return rc < 0 ? rc : fail(d, AM_EXML, "file ends inside an element");
        int type = xmlTextReaderNodeType(d->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(d->r) == depth)
            return AM_OK;
        if (type == XML_READER_TYPE_ELEMENT &&
            (rc = fn(d, (const char *)xmlTextReaderConstName(d->r), arg)) != AM_OK)
            return rc;
    }
}

/* The text content of a prop or note (#PCDATA). */
static int read_pcdata(rd *d, const char **out)
{
    am_buf_clear(&d->scratch);
    if (am_buf_reserve(&d->scratch, 0))
        return fail(d, AM_ENOMEM, "out of memory");
    int depth = xmlTextReaderDepth(d->r);
    const char *name = (const char *)xmlTextReaderConstName(d->r);
    char parent[16];
    snprintf(parent, sizeof parent, "%s", name);
    while (!xmlTextReaderIsEmptyElement(d->r)) {
        int rc = rd_read(d);
        if (rc <= 0)
            return rc < 0 ? rc : fail(d, AM_EXML, "file ends inside <%s>", parent);
        int type = xmlTextReaderNodeType(d->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(d->r) == depth)
            break;
        if (type == XML_READER_TYPE_ELEMENT) {
            if ((rc = skip_unknown(d, (const char *)xmlTextReaderConstName(d->r), parent)))
                return rc;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_WHITESPACE ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (am_buf_puts(&d->scratch, (const char *)xmlTextReaderConstValue(d->r)))
                return fail(d, AM_ENOMEM, "out of memory");
            if (d->scratch.len > AM_TMX_MAX_SEG)
                return fail(d, AM_ELIMIT, "<%s> longer than %d bytes", parent, AM_TMX_MAX_SEG);
        }
    }
    *out = keep(d, (const xmlChar *)d->scratch.data);
    return *out ? AM_OK : fail(d, AM_ENOMEM, "out of memory");
}

/* xml:lang (TMX 1.2+) or lang (TMX 1.1), canonical; NULL when absent. */
static int read_lang(rd *d, const char **out, int required)
{
    int oom = 0;
    const char *v = attr(d, "xml:lang", &oom);
    if (!v && !oom)
        v = attr(d, "lang", &oom);
    *out = NULL;
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    if (!v)
        return required ? fail(d, AM_EXML, "<tuv> without xml:lang") : AM_OK;
    char canon[64];
    if (tmx_lang_canonical(canon, sizeof canon, v)) {
        if (required)
            return fail(d, AM_EXML, "bad language code '%s'", v);
        warn(d, "language code '%s' kept as written", v); /* a prop's: metadata */
        *out = v;
        return AM_OK;
    }
    *out = keep(d, (const xmlChar *)canon);
    return *out ? AM_OK : fail(d, AM_ENOMEM, "out of memory");
}

/* prop or note into pv (notes get type NULL). */
static int read_prop(rd *d, prop_vec *pv, int is_note)
{
    int oom = 0;
    const char *type = is_note ? NULL : attr(d, "type", &oom);
    const char *lang, *value;
    int rc = read_lang(d, &lang, 0);
    if (rc)
        return rc;
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    if (!is_note && !type) {
        warn(d, "<prop> without type ignored");
        return skip_element(d);
    }
    if ((rc = read_pcdata(d, &value)))
        return rc;
    return prop_push(pv, type, value, lang) ? fail(d, AM_ENOMEM, "out of memory") : AM_OK;
}

/* A date attribute, dropped with a warning when it is not a date. */
static const char *date_attr(rd *d, const char *name, int *oom)
{
    const char *v = attr(d, name, oom);
    char tmp[17];
    if (v && tmx_date_format(tmp, v)) {
        warn(d, "%s '%s' is not a date; dropped", name, v);
        return NULL;
    }
    return v;
}

/* ---- header ------------------------------------------------------------- */

static int header_child(rd *d, const char *name, void *arg)
{
    (void)arg;
    if (strcmp(name, "prop") == 0)
        return read_prop(d, &d->hprops, 0);
    if (strcmp(name, "note") == 0)
        return read_prop(d, &d->hnotes, 1);
    /* ude (user-defined encodings, section 3.4) maps private-use code
     * points of legacy encodings: nothing for a Unicode memory. */
    return skip_unknown(d, name, "header");
}

static int deliver_header(rd *d)
{
    d->header_done = 1;
    d->hdr.props = d->hprops.v;
    d->hdr.n_props = d->hprops.n;
    d->hdr.notes = d->hnotes.v;
    d->hdr.n_notes = d->hnotes.n;
    int stop = d->cb->on_header ? d->cb->on_header(&d->hdr, d->cb->ctx) : 0;
    release_strings(d);
    d->hprops.n = d->hnotes.n = 0;
    memset(&d->hdr, 0, sizeof d->hdr);
    return stop ? am_error_set(d->err, AM_ESTOP, "stopped by the caller") : AM_OK;
}

static int read_header(rd *d)
{
    am_tmx_header *h = &d->hdr;
    const char *version = h->version;
    int oom = 0, rc;
    memset(h, 0, sizeof *h);
    h->version = version;
    h->creationtool = attr(d, "creationtool", &oom);
    h->creationtoolversion = attr(d, "creationtoolversion", &oom);
    h->segtype = attr(d, "segtype", &oom);
    h->o_tmf = attr(d, "o-tmf", &oom);
    h->adminlang = attr(d, "adminlang", &oom);
    h->srclang = attr(d, "srclang", &oom);
    h->datatype = attr(d, "datatype", &oom);
    h->o_encoding = attr(d, "o-encoding", &oom);
    h->creationdate = date_attr(d, "creationdate", &oom);
    h->creationid = attr(d, "creationid", &oom);
    h->changedate = date_attr(d, "changedate", &oom);
    h->changeid = attr(d, "changeid", &oom);
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    char canon[64];
    if (h->srclang && tmx_lang_canonical(canon, sizeof canon, h->srclang) == AM_OK)
        h->srclang = keep(d, (const xmlChar *)canon);
    if (h->adminlang && tmx_lang_canonical(canon, sizeof canon, h->adminlang) == AM_OK)
        h->adminlang = keep(d, (const xmlChar *)canon);
    if ((rc = each_child(d, header_child, NULL)))
        return rc;
    return deliver_header(d);
}

/* ---- tu and tuv ------------------------------------------------------- */

typedef struct tuv_state {
    int has_seg;
} tuv_state;

static int seg_into_variant(rd *d, am_variant *v)
{
    tmx_seg_ctx c = {d->r, rd_read, fail, warn, d};
    int has_codes = 0;
    int rc = tmx_seg_read(&c, &d->text, &d->markup, &has_codes);
    if (rc)
        return rc;
    v->text = keep(d, (const xmlChar *)d->text.data);
    v->markup = has_codes ? keep(d, (const xmlChar *)d->markup.data) : NULL;
    if (!v->text || (has_codes && !v->markup))
        return fail(d, AM_ENOMEM, "out of memory");
    return AM_OK;
}

static int tuv_child(rd *d, const char *name, void *arg)
{
    tuv_state *st = arg;
    var_extra *x = &d->vx[d->n_vars - 1];
    if (strcmp(name, "seg") == 0) {
        if (st->has_seg)
            return fail(d, AM_EXML, "<tuv> with more than one <seg>");
        st->has_seg = 1;
        return seg_into_variant(d, &d->vars[d->n_vars - 1]);
    }
    if (strcmp(name, "prop") == 0)
        return read_prop(d, &x->props, 0);
    if (strcmp(name, "note") == 0)
        return read_prop(d, &x->notes, 1);
    return skip_unknown(d, name, "tuv");
}

static int add_variant(rd *d)
{
    if (d->n_vars == d->cap_vars) {
        size_t cap = d->cap_vars ? d->cap_vars * 2 : 4;
        am_variant *v = realloc(d->vars, cap * sizeof *v);
        if (!v)
            return AM_ENOMEM;
        d->vars = v;
        var_extra *x = realloc(d->vx, cap * sizeof *x);
        if (!x)
            return AM_ENOMEM;
        memset(x + d->cap_vars, 0, (cap - d->cap_vars) * sizeof *x);
        d->vx = x;
        d->cap_vars = cap;
    }
    memset(&d->vars[d->n_vars], 0, sizeof d->vars[0]);
    d->vx[d->n_vars].props.n = d->vx[d->n_vars].notes.n = 0;
    d->n_vars++;
    return AM_OK;
}

static int read_tuv(rd *d)
{
    long line = d->el_line;
    int index = d->el_index, oom = 0, rc;
    if (add_variant(d))
        return fail(d, AM_ENOMEM, "out of memory");
    am_variant *v = &d->vars[d->n_vars - 1];
    if ((rc = read_lang(d, &v->lang, 1)))
        return rc;
    v->creationdate = date_attr(d, "creationdate", &oom);
    v->creationid = attr(d, "creationid", &oom);
    v->changedate = date_attr(d, "changedate", &oom);
    v->changeid = attr(d, "changeid", &oom);
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    tuv_state st = {0};
    if ((rc = each_child(d, tuv_child, &st)))
        return rc;
    if (!st.has_seg)
        return fail_at(d, line, index, AM_EXML, "<tuv> without <seg>");
    return AM_OK;
}

static int tu_child(rd *d, const char *name, void *arg)
{
    (void)arg;
    if (strcmp(name, "tuv") == 0)
        return read_tuv(d);
    if (strcmp(name, "prop") == 0)
        return read_prop(d, &d->uprops, 0);
    if (strcmp(name, "note") == 0)
        return read_prop(d, &d->unotes, 1);
    return skip_unknown(d, name, "tu");
}

/* Our own confidence prop goes back into the field it came from. */
static void take_confidence(rd *d)
{
    am_unit *u = &d->unit;
    for (size_t i = 0; i < d->uprops.n; i++) {
        if (strcmp(d->uprops.v[i].type, CONFIDENCE_PROP) != 0)
            continue;
        char *end;
        double c = strtod(d->uprops.v[i].value, &end);
        if (end == d->uprops.v[i].value || *end || !(c >= 0 && c <= 1)) {
            warn(d, "%s '%s' is not a number in [0,1]; kept as a prop", CONFIDENCE_PROP,
                 d->uprops.v[i].value);
            continue;
        }
        u->confidence = c;
        memmove(&d->uprops.v[i], &d->uprops.v[i + 1], (d->uprops.n - i - 1) * sizeof(am_prop));
        d->uprops.n--;
        return;
    }
}

static int read_tu_attrs(rd *d)
{
    am_unit *u = &d->unit;
    int oom = 0;
    memset(u, 0, sizeof *u);
    u->position = -1;
    u->confidence = -1;
    u->tuid = attr(d, "tuid", &oom);
    u->srclang = attr(d, "srclang", &oom);
    u->creationdate = date_attr(d, "creationdate", &oom);
    u->creationid = attr(d, "creationid", &oom);
    u->changedate = date_attr(d, "changedate", &oom);
    u->changeid = attr(d, "changeid", &oom);
    u->lastusagedate = date_attr(d, "lastusagedate", &oom);
    const char *uc = attr(d, "usagecount", &oom);
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    char canon[64];
    if (u->srclang && tmx_lang_canonical(canon, sizeof canon, u->srclang) == AM_OK)
        u->srclang = keep(d, (const xmlChar *)canon);
    if (uc) {
        char *end;
        errno = 0;
        long n = strtol(uc, &end, 10);
        if (end == uc || *end || n < 0 || errno)
            warn(d, "usagecount '%s' is not a count; taken as 0", uc);
        else
            u->usagecount = n;
    }
    return AM_OK;
}

static int read_tu(rd *d)
{
    long line = d->el_line;
    int index = d->el_index, rc;
    d->n_vars = 0;
    d->uprops.n = d->unotes.n = 0;
    if ((rc = read_tu_attrs(d)) || (rc = each_child(d, tu_child, NULL)))
        return rc;
    if (d->n_vars == 0)
        return fail_at(d, line, index, AM_EXML, "<tu> without <tuv>");
    take_confidence(d);
    for (size_t i = 0; i < d->n_vars; i++) {
        d->vars[i].props = d->vx[i].props.v;
        d->vars[i].n_props = d->vx[i].props.n;
        d->vars[i].notes = d->vx[i].notes.v;
        d->vars[i].n_notes = d->vx[i].notes.n;
    }
    am_unit *u = &d->unit;
    u->variants = d->vars;
    u->n_variants = d->n_vars;
    u->props = d->uprops.v;
    u->n_props = d->uprops.n;
    u->notes = d->unotes.v;
    u->n_notes = d->unotes.n;
    int stop = d->cb->on_unit ? d->cb->on_unit(u, d->cb->ctx) : 0;
    release_strings(d);
    return stop ? am_error_set(d->err, AM_ESTOP, "stopped by the caller") : AM_OK;
}

/* ---- document ----------------------------------------------------------- */

static int body_child(rd *d, const char *name, void *arg)
{
    (void)arg;
    if (strcmp(name, "tu") == 0)
        return read_tu(d);
    return skip_unknown(d, name, "body");
}

static int tmx_child(rd *d, const char *name, void *arg)
{
    int *seen_body = arg;
    if (strcmp(name, "header") == 0 && !d->header_done)
        return read_header(d);
    if (strcmp(name, "body") == 0 && !*seen_body) {
        int rc;
        *seen_body = 1;
        if (!d->header_done) {
            warn(d, "<body> before any <header>");
            if ((rc = deliver_header(d)))
                return rc;
        }
        return each_child(d, body_child, NULL);
    }
    return skip_unknown(d, name, "tmx");
}

static int read_document(rd *d)
{
    int rc, seen_body = 0;
    while ((rc = rd_read(d)) == 1 && xmlTextReaderNodeType(d->r) != XML_READER_TYPE_ELEMENT) {
    }
    if (rc <= 0)
        return rc < 0 ? rc : fail(d, AM_EXML, "no root element: empty or not XML");
    const char *root = (const char *)xmlTextReaderConstName(d->r);
    if (strcmp(root, "tmx") != 0)
        return fail(d, AM_EXML, "not TMX: the root element is <%s>", root);
    int oom = 0;
    d->hdr.version = attr(d, "version", &oom);
    if (oom)
        return fail(d, AM_ENOMEM, "out of memory");
    d->in_root = 1;
    if ((rc = each_child(d, tmx_child, &seen_body)))
        return rc;
    d->in_root = 0;
    if (!d->header_done && (rc = deliver_header(d)))
        return rc;
    if (!seen_body)
        warn(d, "no <body>: no units");
    /* Read to the end so that junk after </tmx> is reported too. */
    while ((rc = rd_read(d)) == 1) {
    }
    return rc;
}

static void rd_free(rd *d)
{
    if (d->r)
        xmlFreeTextReader(d->r);
    release_strings(d);
    free(d->strs);
    free(d->hprops.v);
    free(d->hnotes.v);
    free(d->uprops.v);
    free(d->unotes.v);
    for (size_t i = 0; i < d->cap_vars; i++) {
        free(d->vx[i].props.v);
        free(d->vx[i].notes.v);
    }
    free(d->vx);
    free(d->vars);
    am_buf_free(&d->text);
    am_buf_free(&d->markup);
    am_buf_free(&d->scratch);
}

static int open_input(rd *d, const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    d->name = is_stdin ? "<stdin>" : path;
    d->path = is_stdin ? NULL : path;
    d->size = -1;
    d->fp = is_stdin ? stdin : fopen(path, "rb");
    if (!d->fp || (fstat(fileno(d->fp), &st) == 0 && S_ISDIR(st.st_mode))) {
        am_error_set(d->err, AM_EIO, "cannot open: %s", d->fp ? "is a directory" : strerror(errno));
        am_error_at(d->err, d->name, -1, -1, -1);
        return AM_EIO;
    }
    if (S_ISREG(st.st_mode))
        d->size = (long long)st.st_size;
    /* NONET: no network. No NOENT (entities stay references, which we
     * refuse), no DTDLOAD/DTDATTR/DTDVALID, no HUGE: libxml2's limits stay.
     * BIG_LINES: right line numbers past 65535. */
    d->r = xmlReaderForIO(io_read, io_close, d, is_stdin ? NULL : path, NULL,
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (!d->r)
        return am_error_set(d->err, AM_ENOMEM, "cannot create an XML reader");
    xmlTextReaderSetStructuredErrorHandler(d->r, on_xml_error, d);
    return AM_OK;
}

int am_tmx_read(const char *path, const am_tmx_callbacks *cb, am_error *err)
{
    static const am_tmx_callbacks none = {0};
    rd d;
    memset(&d, 0, sizeof d);
    d.cb = cb ? cb : &none;
    d.err = err;
    d.el_line = -1;
    d.guard.line = 1;
    d.raw_line = 1;
    d.guard.pending = -1;
    if (!path)
        return am_error_set(err, AM_EARG, "no TMX file given");
    pthread_once(&loader_once, install_loader);
    reading++;
    int rc = open_input(&d, path);
    if (rc == AM_OK)
        rc = read_document(&d);
    if (d.cb->on_progress && rc == AM_OK)
        d.cb->on_progress(d.done, d.size, d.cb->ctx);
    reading--;
    rd_free(&d);
    if (d.fp && d.fp != stdin)
        fclose(d.fp);
    return rc;
}
