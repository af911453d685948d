/* tmx.h - private helpers of the TMX module (reader, writer, inline codes).
 *
 * TMX 1.4b is the LISA OSCAR "Translation Memory eXchange" specification
 * (version 1.4b, 2004-04-26, now kept by GALA); section numbers in comments
 * refer to it. */
#ifndef AM_TMX_H
#define AM_TMX_H

#include "alignmem.h"

#include <libxml/xmlreader.h>

/* ---- util.c ---------------------------------------------------------- */

/* Canonical BCP 47 form of a language code as TMX files write it: "_" ->
 * "-", primary subtag lower case, 2-letter region upper case, 4-letter
 * script title case ("EN_us" -> "en-US", "sr-latn-rs" -> "sr-Latn-RS").
 * "*all*" is kept. AM_EARG for anything that is not a plausible tag.
 * am_lang_canonical (lang module) does the work; private-use tags
 * ("x-klingon") and "*all*" are handled here. */
int tmx_lang_canonical(char *out, size_t outsz, const char *code);

/* "uk" -> "uk-UA" for languages whose usual region we know; a code that
 * already has a region, or an unknown language, is copied unchanged. */
void tmx_lang_region(char *out, size_t outsz, const char *canon);

/* Convert an ISO 8601 date/time (or a TMX date) to the TMX form
 * YYYYMMDDThhmmssZ (section 3.2 "creationdate"), in UTC. out must hold 17
 * bytes. Returns 0, or -1 when s is not such a date. */
int tmx_date_format(char out[17], const char *s);

/* Check that s[0..n) is UTF-8 that XML 1.0 can carry (section 2.2 of XML:
 * no C0 controls but TAB/LF/CR, no U+FFFE/U+FFFF, no surrogates). Returns 0,
 * or -1 with *bad_off at the first offending byte. */
int tmx_xml_text_check(const char *s, size_t n, size_t *bad_off);

/* ---- inline.c -------------------------------------------------------- */

/* What the reader needs to report a problem inside a seg. */
typedef struct tmx_seg_ctx {
    xmlTextReaderPtr r;
    /* Read one node; returns 1, 0 at end of input, or a negative AM_E*
     * code with the error already set. */
    int (*read)(void *rd);
    /* Report an error at the current node; returns code. */
    int (*fail)(void *rd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
    void (*warn)(void *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
    void *rd;
} tmx_seg_ctx;

/*
 * Read a <seg> element whose start tag is the current node, up to and
 * including its end tag. text receives the plain text (see am_tmx_read),
 * markup the content as XML; *has_codes is set when the seg held an inline
 * element (then markup is meaningful). Both buffers are cleared first.
 */
int tmx_seg_read(const tmx_seg_ctx *c, am_buf *text, am_buf *markup, int *has_codes);

/* Append s escaped for XML character data (&, <, > and CR as &#13; so it
 * survives a parser's line-end normalisation) or, with attr, for a
 * double-quoted attribute value (also ", TAB, LF, CR). */
int tmx_escape(am_buf *b, const char *s, size_t n, int attr);

#endif
