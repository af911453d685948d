/* writer.c - streaming TMX 1.4b writer (libxml2 xmlTextWriter).
 *
 * Memory stays constant: xmlTextWriter writes into an output buffer that
 * flushes to the FILE every few kilobytes; we keep nothing per unit.
 * The output validates against tmx/tmx14b.dtd (written from TMX 1.4b
 * section 3 and the DTD in its appendix). We write no DOCTYPE: readers that
 * honour one (Java's default XML parsers) try to fetch the DTD and fail
 * when it is not beside the file.
 */
#include "tmx/tmx.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIDENCE_PROP "x-alignmem-confidence"

struct am_tmx_writer {
    xmlTextWriterPtr w;
    FILE *fp;
    int region;
    long units;
};

/* Every xmlTextWriter call returns -1 on failure (an I/O error or out of
 * memory); one check macro keeps the call sequences readable. */
#define W(call)                                                                          \
    do {                                                                                 \
        if ((call) < 0)                                                                  \
            return am_error_set(err, AM_EIO, "cannot write TMX (write error or out of memory)"); \
    } while (0)

static int indent(am_tmx_writer *tw, int level, am_error *err)
{
    static const char spaces[] = "\n            ";
    W(xmlTextWriterWriteRawLen(tw->w, (const xmlChar *)spaces, 1 + 2 * level));
    return AM_OK;
}

static int attr(am_tmx_writer *tw, const char *name, const char *value, am_error *err)
{
    if (!value)
        return AM_OK;
    W(xmlTextWriterWriteAttribute(tw->w, (const xmlChar *)name, (const xmlChar *)value));
    return AM_OK;
}

/* Refuse what XML 1.0 cannot carry: it would make a file no one can read. */
static int check(const char *s, const char *what, const am_unit *u, am_error *err)
{
    size_t bad;
    if (!s || tmx_xml_text_check(s, strlen(s), &bad) == 0)
        return AM_OK;
    char tuid[32];
    if (u && u->tuid)
        snprintf(tuid, sizeof tuid, "%s", u->tuid);
    else
        snprintf(tuid, sizeof tuid, "%lld", u ? (long long)u->id : 0LL);
    return am_error_set(err, AM_EINPUT,
                        "unit %s: %s has a byte XML 1.0 cannot carry (0x%02x at byte %zu: a "
                        "control character or invalid UTF-8)",
                        tuid, what, (unsigned)(unsigned char)s[bad], bad);
}

static int date_attr(am_tmx_writer *tw, const char *name, const char *value, const am_unit *u,
                     am_error *err)
{
    char tmx[17];
    if (!value)
        return AM_OK;
    if (tmx_date_format(tmx, value))
        return am_error_set(err, AM_EINPUT, "unit %s: %s '%s' is not an ISO 8601 date",
                            u && u->tuid ? u->tuid : "?", name, value);
    return attr(tw, name, tmx, err);
}

static int lang_attr(am_tmx_writer *tw, const char *name, const char *code, am_error *err)
{
    char canon[64], out[64];
    if (!code)
        return AM_OK;
    if (tmx_lang_canonical(canon, sizeof canon, code))
        return am_error_set(err, AM_EINPUT, "bad language code '%s'", code);
    if (tw->region && strcmp(canon, "*all*") != 0)
        tmx_lang_region(out, sizeof out, canon);
    else
        memcpy(out, canon, sizeof out);
    return attr(tw, name, out, err);
}

static int write_props(am_tmx_writer *tw, int level, const am_prop *p, size_t n, int notes,
                       const am_unit *u, am_error *err)
{
    int rc;
    for (size_t i = 0; i < n; i++) {
        if ((rc = check(p[i].value, notes ? "a note" : "a prop", u, err)) ||
            (rc = check(p[i].type, "a prop type", u, err)) || (rc = indent(tw, level, err)))
            return rc;
        W(xmlTextWriterStartElement(tw->w, (const xmlChar *)(notes ? "note" : "prop")));
        if ((!notes && (rc = attr(tw, "type", p[i].type ? p[i].type : "x-unknown", err))) ||
            (rc = lang_attr(tw, "xml:lang", p[i].lang, err)))
            return rc;
        W(xmlTextWriterWriteString(tw->w, (const xmlChar *)(p[i].value ? p[i].value : "")));
        W(xmlTextWriterEndElement(tw->w));
    }
    return AM_OK;
}

static const char *or_default(const char *v, const char *d)
{
    return v && v[0] ? v : d;
}

static int write_header(am_tmx_writer *tw, const am_tmx_header *h, am_error *err)
{
    static const am_tmx_header empty = {0};
    char now[17];
    time_t t = time(NULL);
    struct tm tm;
    int rc;
    if (!h)
        h = &empty;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y%m%dT%H%M%SZ", &tm);
    W(xmlTextWriterStartDocument(tw->w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"tmx"));
    W(xmlTextWriterWriteAttribute(tw->w, (const xmlChar *)"version", (const xmlChar *)"1.4"));
    if ((rc = indent(tw, 1, err)))
        return rc;
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"header"));
    if ((rc = attr(tw, "creationtool", or_default(h->creationtool, "alignmem"), err)) ||
        (rc = attr(tw, "creationtoolversion",
                   or_default(h->creationtoolversion, AM_VERSION_STRING), err)) ||
        (rc = attr(tw, "segtype", or_default(h->segtype, "sentence"), err)) ||
        (rc = attr(tw, "o-tmf", or_default(h->o_tmf, "alignmem"), err)) ||
        (rc = lang_attr(tw, "adminlang", or_default(h->adminlang, "en"), err)) ||
        (rc = lang_attr(tw, "srclang", or_default(h->srclang, "*all*"), err)) ||
        (rc = attr(tw, "datatype", or_default(h->datatype, "plaintext"), err)) ||
        (rc = attr(tw, "o-encoding", h->o_encoding, err)) ||
        (rc = date_attr(tw, "creationdate", or_default(h->creationdate, now), NULL, err)) ||
        (rc = attr(tw, "creationid", h->creationid, err)) ||
        (rc = date_attr(tw, "changedate", h->changedate, NULL, err)) ||
        (rc = attr(tw, "changeid", h->changeid, err)) ||
        (rc = write_props(tw, 2, h->props, h->n_props, 0, NULL, err)) ||
        (rc = write_props(tw, 2, h->notes, h->n_notes, 1, NULL, err)))
        return rc;
    if (h->n_props + h->n_notes > 0 && (rc = indent(tw, 1, err)))
        return rc;
    W(xmlTextWriterEndElement(tw->w));
    if ((rc = indent(tw, 1, err)))
        return rc;
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"body"));
    return AM_OK;
}

int am_tmx_writer_new(am_tmx_writer **out, FILE *fp, const am_tmx_header *h,
                      int lang_style_region, am_error *err)
{
    *out = NULL;
    if (!fp)
        return am_error_set(err, AM_EARG, "no output file");
    am_tmx_writer *tw = calloc(1, sizeof *tw);
    if (!tw)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    tw->fp = fp;
    tw->region = lang_style_region;
    xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(fp, NULL); /* does not close fp */
    if (ob)
        tw->w = xmlNewTextWriter(ob); /* owns ob from here, even on failure */
    if (!tw->w) {
        free(tw);
        return am_error_set(err, AM_ENOMEM, "cannot create an XML writer");
    }
    int rc = write_header(tw, h, err);
    if (rc) {
        am_tmx_writer_free(tw);
        return rc;
    }
    *out = tw;
    return AM_OK;
}

/* The shortest decimal that reads back as the same double. */
static void format_confidence(char *buf, size_t n, double c)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, c);
        if (strtod(buf, NULL) == c)
            return;
    }
}

static int write_variant(am_tmx_writer *tw, const am_unit *u, const am_variant *v, am_error *err)
{
    int rc;
    if (!v->lang)
        return am_error_set(err, AM_EINPUT, "unit %s: a variant without language",
                            u->tuid ? u->tuid : "?");
    if ((rc = check(v->text, "the text", u, err)) || (rc = check(v->markup, "the markup", u, err)) ||
        (rc = indent(tw, 3, err)))
        return rc;
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"tuv"));
    if ((rc = lang_attr(tw, "xml:lang", v->lang, err)) ||
        (rc = date_attr(tw, "creationdate", v->creationdate, u, err)) ||
        (rc = attr(tw, "creationid", v->creationid, err)) ||
        (rc = date_attr(tw, "changedate", v->changedate, u, err)) ||
        (rc = attr(tw, "changeid", v->changeid, err)) ||
        (rc = write_props(tw, 4, v->props, v->n_props, 0, u, err)) ||
        (rc = write_props(tw, 4, v->notes, v->n_notes, 1, u, err)) || (rc = indent(tw, 4, err)))
        return rc;
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"seg"));
    if (v->markup)
        W(xmlTextWriterWriteRaw(tw->w, (const xmlChar *)v->markup));
    else
        W(xmlTextWriterWriteString(tw->w, (const xmlChar *)(v->text ? v->text : "")));
    W(xmlTextWriterFullEndElement(tw->w));
    if ((rc = indent(tw, 3, err)))
        return rc;
    W(xmlTextWriterEndElement(tw->w));
    return AM_OK;
}

static int write_tu_attrs(am_tmx_writer *tw, const am_unit *u, am_error *err)
{
    char num[32];
    int rc;
    const char *tuid = u->tuid;
    if (!tuid && u->id > 0) {
        snprintf(num, sizeof num, "%lld", (long long)u->id);
        tuid = num;
    }
    if ((rc = check(tuid, "the tuid", u, err)) || (rc = attr(tw, "tuid", tuid, err)) ||
        (rc = date_attr(tw, "creationdate", u->creationdate, u, err)) ||
        (rc = attr(tw, "creationid", u->creationid, err)) ||
        (rc = date_attr(tw, "changedate", u->changedate, u, err)) ||
        (rc = attr(tw, "changeid", u->changeid, err)) ||
        (rc = date_attr(tw, "lastusagedate", u->lastusagedate, u, err)))
        return rc;
    snprintf(num, sizeof num, "%ld", u->usagecount > 0 ? u->usagecount : 0L);
    if ((rc = attr(tw, "usagecount", num, err)) || (rc = lang_attr(tw, "srclang", u->srclang, err)))
        return rc;
    return AM_OK;
}

int am_tmx_write_unit(am_tmx_writer *tw, const am_unit *u, am_error *err)
{
    int rc;
    if (!tw || !u)
        return am_error_set(err, AM_EARG, "no writer or no unit");
    if (u->n_variants == 0)
        return am_error_set(err, AM_EINPUT, "unit %s has no variant (TMX needs one)",
                            u->tuid ? u->tuid : "?");
    if ((rc = indent(tw, 2, err)))
        return rc;
    W(xmlTextWriterStartElement(tw->w, (const xmlChar *)"tu"));
    if ((rc = write_tu_attrs(tw, u, err)))
        return rc;
    if (u->confidence >= 0 && isfinite(u->confidence)) {
        char c[32];
        format_confidence(c, sizeof c, u->confidence);
        am_prop p = {CONFIDENCE_PROP, c, NULL};
        if ((rc = write_props(tw, 3, &p, 1, 0, u, err)))
            return rc;
    }
    if ((rc = write_props(tw, 3, u->props, u->n_props, 0, u, err)) ||
        (rc = write_props(tw, 3, u->notes, u->n_notes, 1, u, err)))
        return rc;
    for (size_t i = 0; i < u->n_variants; i++)
        if ((rc = write_variant(tw, u, &u->variants[i], err)))
            return rc;
    if ((rc = indent(tw, 2, err)))
        return rc;
    W(xmlTextWriterEndElement(tw->w));
    tw->units++;
    return AM_OK;
}

int am_tmx_writer_finish(am_tmx_writer *tw, am_error *err)
{
    int rc = AM_OK;
    if (!tw)
        return am_error_set(err, AM_EARG, "no writer");
    if ((rc = indent(tw, 1, err)) == AM_OK)
        rc = xmlTextWriterEndElement(tw->w) < 0 || indent(tw, 0, err) ||
                     xmlTextWriterEndDocument(tw->w) < 0 || xmlTextWriterFlush(tw->w) < 0
                 ? am_error_set(err, AM_EIO, "cannot write TMX")
                 : AM_OK;
    FILE *fp = tw->fp;
    am_tmx_writer_free(tw);
    if (rc == AM_OK && (fflush(fp) != 0 || ferror(fp)))
        rc = am_error_set(err, AM_EIO, "cannot write TMX: write error");
    return rc;
}

void am_tmx_writer_free(am_tmx_writer *tw)
{
    if (!tw)
        return;
    xmlFreeTextWriter(tw->w); /* flushes and frees the output buffer, not the FILE */
    free(tw);
}
