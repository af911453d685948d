/* inline.c - the content of a TMX <seg>: plain text and inline codes.
 *
 * TMX 1.4b section 3.7 ("Content markup"): a seg holds text and the inline
 * elements bpt/ept (paired native codes), it (isolated code), ph
 * (placeholder), ut (unknown code, deprecated), hi (highlight, whose
 * content is translatable text), and, inside the code elements, sub (a
 * sub-flow: text of another flow such as a footnote or an alt text).
 *
 * We keep two renderings. The markup is the seg content re-serialised from
 * the reader's nodes (same elements, attributes and text; attribute quoting
 * and empty-tag style may differ from the file), so an export gives the CAT
 * tool back its codes. The plain text is what matching sees: seg text plus
 * <hi> text; native code (bpt/ept/it/ph/ut content) is not language, and a
 * sub-flow is not part of this sentence, so both are dropped.
 */
#include "tmx/tmx.h"

#include <string.h>

int tmx_escape(am_buf *b, const char *s, size_t n, int attr)
{
    size_t run = 0; /* bytes copied in one go, for speed on long text */
    int rc = AM_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '\r': rep = "&#13;"; break;
        case '"': rep = attr ? "&quot;" : NULL; break;
        case '\t': rep = attr ? "&#9;" : NULL; break;
        case '\n': rep = attr ? "&#10;" : NULL; break;
        default: break;
        }
        if (!rep) {
            run++;
            continue;
        }
        rc = am_buf_append(b, s + i - run, run);
        if (!rc)
            rc = am_buf_puts(b, rep);
        run = 0;
    }
    if (!rc && run)
        rc = am_buf_append(b, s + n - run, run);
    return rc;
}

enum { EL_UNKNOWN = 0, EL_CODE = 1, EL_HI = 2, EL_SUB = 3 };

static int element_kind(const char *name)
{
    static const char *const codes[] = {"bpt", "ept", "it", "ph", "ut"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(name, codes[i]) == 0)
            return EL_CODE;
    if (strcmp(name, "hi") == 0)
        return EL_HI;
    if (strcmp(name, "sub") == 0)
        return EL_SUB;
    return EL_UNKNOWN;
}

/* The DTD's content models: seg, hi and sub hold text and bpt/ept/it/ph/
 * hi/ut; the code elements hold text and sub. An element out of place is
 * treated as unknown so that what we export stays valid. */
static int allowed_in(int parent, int kind)
{
    if (parent == EL_CODE)
        return kind == EL_SUB;
    return kind == EL_CODE || kind == EL_HI;
}

static int put_start_tag(am_buf *m, xmlTextReaderPtr r, const char *name, int empty)
{
    int rc = am_buf_putc(m, '<');
    if (!rc)
        rc = am_buf_puts(m, name);
    for (int more = xmlTextReaderMoveToFirstAttribute(r); more == 1 && !rc;
         more = xmlTextReaderMoveToNextAttribute(r)) {
        const char *an = (const char *)xmlTextReaderConstName(r);
        const char *av = (const char *)xmlTextReaderConstValue(r);
        if (!av)
            av = "";
        rc = am_buf_putc(m, ' ');
        if (!rc)
            rc = am_buf_puts(m, an);
        if (!rc)
            rc = am_buf_append(m, "=\"", 2);
        if (!rc)
            rc = tmx_escape(m, av, strlen(av), 1);
        if (!rc)
            rc = am_buf_putc(m, '"');
    }
    xmlTextReaderMoveToElement(r);
    if (!rc)
        rc = am_buf_puts(m, empty ? "/>" : ">");
    return rc;
}

typedef struct seg_state {
    const tmx_seg_ctx *c;
    am_buf *text, *markup;
    int kind[AM_TMX_MAX_DEPTH + 2]; /* per open element, relative depth */
    int known[AM_TMX_MAX_DEPTH + 2];
    int hidden[AM_TMX_MAX_DEPTH + 2]; /* text here is native code or sub-flow */
    int top;
    int has_codes;
} seg_state;

static int on_start(seg_state *s)
{
    xmlTextReaderPtr r = s->c->r;
    const char *name = (const char *)xmlTextReaderConstName(r);
    int empty = xmlTextReaderIsEmptyElement(r);
    int kind = element_kind(name);
    int parent = s->kind[s->top];
    int known = kind != EL_UNKNOWN && allowed_in(parent, kind) && s->known[s->top];
    int rc = AM_OK;
    if (!known)
        s->c->warn(s->c->rd, "<%s> is not allowed here; its tags are dropped, its text kept",
                   name);
    if (known) {
        s->has_codes = 1;
        rc = put_start_tag(s->markup, r, name, empty);
    }
    if (empty || rc)
        return rc;
    if (s->top + 1 >= AM_TMX_MAX_DEPTH + 2)
        return s->c->fail(s->c->rd, AM_ELIMIT, "inline codes nested too deep");
    s->top++;
    s->kind[s->top] = known ? kind : parent;
    s->known[s->top] = known;
    s->hidden[s->top] = s->hidden[s->top - 1] || (known && kind == EL_CODE);
    return AM_OK;
}

static int on_text(seg_state *s)
{
    const char *v = (const char *)xmlTextReaderConstValue(s->c->r);
    size_t n = v ? strlen(v) : 0;
    int rc = tmx_escape(s->markup, v, n, 0);
    if (!rc && !s->hidden[s->top])
        rc = am_buf_append(s->text, v, n);
    if (rc)
        return s->c->fail(s->c->rd, AM_ENOMEM, "out of memory");
    if (s->markup->len > AM_TMX_MAX_SEG)
        return s->c->fail(s->c->rd, AM_ELIMIT, "segment longer than %d bytes", AM_TMX_MAX_SEG);
    return AM_OK;
}

static int seg_node(seg_state *s, int type)
{
    xmlTextReaderPtr r = s->c->r;
    switch (type) {
    case XML_READER_TYPE_ELEMENT:
        return on_start(s);
    case XML_READER_TYPE_END_ELEMENT:
        if (s->known[s->top]) {
            const char *name = (const char *)xmlTextReaderConstName(r);
            if (am_buf_append(s->markup, "</", 2) || am_buf_puts(s->markup, name) ||
                am_buf_putc(s->markup, '>'))
                return s->c->fail(s->c->rd, AM_ENOMEM, "out of memory");
        }
        s->top--;
        return AM_OK;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        return on_text(s);
    case XML_READER_TYPE_ENTITY_REFERENCE:
        return s->c->fail(s->c->rd, AM_EXML, "entity reference &%s; (TMX uses no entities)",
                          (const char *)xmlTextReaderConstName(r));
    default: /* comments and processing instructions are not content */
        return AM_OK;
    }
}

int tmx_seg_read(const tmx_seg_ctx *c, am_buf *text, am_buf *markup, int *has_codes)
{
    seg_state s;
    s.c = c;
    s.text = text;
    s.markup = markup;
    s.top = 0;
    s.kind[0] = EL_HI; /* seg has hi's content model */
    s.known[0] = 1;
    s.hidden[0] = 0;
    s.has_codes = 0;
    am_buf_clear(text);
    am_buf_clear(markup);
    *has_codes = 0;
    /* Both buffers are read as strings even when empty. */
    if (am_buf_reserve(text, 0) || am_buf_reserve(markup, 0))
        return c->fail(c->rd, AM_ENOMEM, "out of memory");
    if (xmlTextReaderIsEmptyElement(c->r))
        return AM_OK;
    int depth = xmlTextReaderDepth(c->r);
    for (;;) {
        int rc = c->read(c->rd);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return c->fail(c->rd, AM_EXML, "file ends inside a <seg>");
        int type = xmlTextReaderNodeType(c->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(c->r) == depth)
            break;
        if ((rc = seg_node(&s, type)) != AM_OK)
            return rc;
    }
    *has_codes = s.has_codes;
    return AM_OK;
}
