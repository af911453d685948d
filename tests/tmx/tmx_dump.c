/* tmx_dump.c - see tmx_dump.h. */
#include "tmx_dump.h"

#include <stdlib.h>
#include <string.h>

static int put_str(am_buf *b, const char *key, const char *s)
{
    if (!s)
        return AM_OK;
    int rc = am_buf_printf(b, " %s=", key);
    return rc ? rc : am_buf_json_string(b, s, strlen(s));
}

static int put_props(am_buf *b, const char *indent, const char *kind, const am_prop *p, size_t n)
{
    int rc = AM_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = am_buf_printf(b, "%s%s", indent, kind);
        if (!rc)
            rc = put_str(b, "type", p[i].type);
        if (!rc)
            rc = put_str(b, "lang", p[i].lang);
        if (!rc)
            rc = put_str(b, "value", p[i].value);
        if (!rc)
            rc = am_buf_putc(b, '\n');
    }
    return rc;
}

int tmx_dump_unit(am_buf *b, const am_unit *u)
{
    int rc = am_buf_puts(b, "tu");
    if (!rc && u->confidence >= 0)
        rc = am_buf_printf(b, " confidence=%.17g", u->confidence);
    if (!rc)
        rc = am_buf_printf(b, " usagecount=%ld", u->usagecount);
    const char *keys[] = {"tuid", "srclang", "creationdate", "creationid", "changedate", "changeid", "lastusagedate"};
    const char *vals[] = {u->tuid, u->srclang, u->creationdate, u->creationid, u->changedate, u->changeid, u->lastusagedate};
    for (size_t i = 0; i < 7 && !rc; i++)
        rc = put_str(b, keys[i], vals[i]);
    if (!rc)
        rc = am_buf_putc(b, '\n');
    if (!rc)
        rc = put_props(b, "  ", "prop", u->props, u->n_props);
    if (!rc)
        rc = put_props(b, "  ", "note", u->notes, u->n_notes);
    for (size_t i = 0; i < u->n_variants && !rc; i++) {
        const am_variant *v = &u->variants[i];
        rc = am_buf_puts(b, "  tuv");
        const char *vk[] = {"lang", "creationdate", "creationid", "changedate", "changeid", "text", "markup"};
        const char *vv[] = {v->lang, v->creationdate, v->creationid, v->changedate, v->changeid, v->text, v->markup};
        for (size_t k = 0; k < 7 && !rc; k++)
            rc = put_str(b, vk[k], vv[k]);
        if (!rc)
            rc = am_buf_putc(b, '\n');
        if (!rc)
            rc = put_props(b, "    ", "prop", v->props, v->n_props);
        if (!rc)
            rc = put_props(b, "    ", "note", v->notes, v->n_notes);
    }
    return rc;
}

/* Owned copies of the header's strings and props. */
typedef struct hdr_store {
    char *s[13];
    am_prop *props, *notes;
    char **pstr;
    size_t n_pstr;
} hdr_store;

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static am_prop *copy_props(hdr_store *st, const am_prop *p, size_t n)
{
    am_prop *c = calloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        c[i].type = st->pstr[st->n_pstr++] = dup(p[i].type);
        c[i].value = st->pstr[st->n_pstr++] = dup(p[i].value);
        c[i].lang = st->pstr[st->n_pstr++] = dup(p[i].lang);
    }
    return c;
}

static int on_header(const am_tmx_header *h, void *ctx)
{
    tmx_dump *d = ctx;
    hdr_store *st = calloc(1, sizeof *st);
    d->hdr_store = st;
    const char *src[13] = {h->srclang, h->adminlang, h->datatype, h->creationtool,
                           h->creationtoolversion, h->o_tmf, h->segtype, h->creationdate,
                           h->version, h->o_encoding, h->creationid, h->changedate, h->changeid};
    const char *keys[13] = {"srclang", "adminlang", "datatype", "creationtool", "creationtoolversion",
                            "o-tmf", "segtype", "creationdate", "version", "o-encoding",
                            "creationid", "changedate", "changeid"};
    am_buf_puts(&d->header, "header");
    for (int i = 0; i < 13; i++) {
        st->s[i] = dup(src[i]);
        if (i != 8) /* the version is the input's, the writer always says 1.4 */
            put_str(&d->header, keys[i], src[i]);
    }
    am_buf_putc(&d->header, '\n');
    put_props(&d->header, "  ", "prop", h->props, h->n_props);
    put_props(&d->header, "  ", "note", h->notes, h->n_notes);
    st->pstr = calloc(3 * (h->n_props + h->n_notes) + 1, sizeof(char *));
    st->props = copy_props(st, h->props, h->n_props);
    st->notes = copy_props(st, h->notes, h->n_notes);
    am_tmx_header *c = &d->hdr_copy;
    c->srclang = st->s[0]; c->adminlang = st->s[1]; c->datatype = st->s[2];
    c->creationtool = st->s[3]; c->creationtoolversion = st->s[4]; c->o_tmf = st->s[5];
    c->segtype = st->s[6]; c->creationdate = st->s[7]; c->version = st->s[8];
    c->o_encoding = st->s[9]; c->creationid = st->s[10]; c->changedate = st->s[11];
    c->changeid = st->s[12];
    c->props = st->props; c->n_props = h->n_props;
    c->notes = st->notes; c->n_notes = h->n_notes;
    return 0;
}

static int on_unit(const am_unit *u, void *ctx)
{
    tmx_dump *d = ctx;
    d->n_units++;
    return tmx_dump_unit(&d->units, u);
}

static void on_warning(const char *where, long line, const char *msg, void *ctx)
{
    tmx_dump *d = ctx;
    (void)where;
    d->n_warnings++;
    am_buf_printf(&d->warnings, "%ld: %s\n", line, msg);
}

int tmx_dump_read(tmx_dump *d, const char *path, am_error *err)
{
    memset(d, 0, sizeof *d);
    am_tmx_callbacks cb = {on_header, on_unit, on_warning, d, NULL};
    am_buf_reserve(&d->header, 0);
    am_buf_reserve(&d->units, 0);
    am_buf_reserve(&d->warnings, 0);
    return am_tmx_read(path, &cb, err);
}

void tmx_dump_free(tmx_dump *d)
{
    am_buf_free(&d->header);
    am_buf_free(&d->units);
    am_buf_free(&d->warnings);
    hdr_store *st = d->hdr_store;
    if (st) {
        for (int i = 0; i < 13; i++)
            free(st->s[i]);
        for (size_t i = 0; i < st->n_pstr; i++)
            free(st->pstr[i]);
        free(st->pstr);
        free(st->props);
        free(st->notes);
        free(st);
    }
    memset(d, 0, sizeof *d);
}

typedef struct copy_ctx {
    FILE *fp;
    int region;
    am_tmx_writer *w;
    am_error *err;
} copy_ctx;

static int copy_header(const am_tmx_header *h, void *ctx)
{
    copy_ctx *c = ctx;
    return am_tmx_writer_new(&c->w, c->fp, h, c->region, c->err) != AM_OK;
}

static int copy_unit(const am_unit *u, void *ctx)
{
    copy_ctx *c = ctx;
    return am_tmx_write_unit(c->w, u, c->err) != AM_OK;
}

int tmx_copy(FILE *fp, const char *in_path, int region, am_error *err)
{
    copy_ctx c = {fp, region, NULL, err};
    am_tmx_callbacks cb = {copy_header, copy_unit, NULL, &c, NULL};
    int rc = am_tmx_read(in_path, &cb, err);
    if (rc == AM_ESTOP && err->code != AM_ESTOP)
        rc = err->code; /* the writer's own error came first */
    if (rc) {
        am_tmx_writer_free(c.w);
        return rc;
    }
    return am_tmx_writer_finish(c.w, err);
}

int tmx_write_sample(FILE *fp, const char *src, const char *tgt, int region, am_error *err)
{
    static const char *const text[3][3] = {
        {"The lighthouse keeper counted seven gulls.", "Доглядач маяка нарахував сім чайок.",
         "Смотритель маяка насчитал семь чаек."},
        {"Rain is expected in the valley tomorrow.", "Завтра в долині очікується дощ.",
         "Завтра в долине ожидается дождь."},
        {"The bakery opens at six.", "Пекарня відчиняється о шостій.", NULL},
    };
    static const char *const langs[3] = {"en", "uk", "ru"};
    am_prop doc = {"x-alignmem-document", "Harbour notes", NULL};
    am_tmx_header h = {0};
    h.srclang = src ? src : "*all*";
    h.creationdate = "2026-01-02T03:04:05Z";
    am_tmx_writer *w = NULL;
    int rc = am_tmx_writer_new(&w, fp, &h, region, err);
    for (int i = 0; i < 3 && !rc; i++) {
        am_variant v[3];
        size_t n = 0;
        for (int k = 0; k < 3; k++) {
            int li = k;
            if (src) /* pair export: source first, then target, nothing else */
                li = k == 0 ? (strcmp(src, "en") ? strcmp(src, "uk") ? 2 : 1 : 0)
                   : k == 1 ? (strcmp(tgt, "en") ? strcmp(tgt, "uk") ? 2 : 1 : 0)
                   : -1;
            if (li < 0 || !text[i][li])
                continue;
            memset(&v[n], 0, sizeof v[n]);
            v[n].lang = langs[li];
            v[n].text = text[i][li];
            n++;
        }
        if (src && n < 2)
            continue;
        char tuid[8];
        snprintf(tuid, sizeof tuid, "%d", i + 1);
        am_unit u = {0};
        u.tuid = tuid;
        u.confidence = 0.5 + 0.125 * i;
        u.creationdate = "2026-01-02 03:04:05";
        u.usagecount = 1;
        u.variants = v;
        u.n_variants = n;
        u.props = &doc;
        u.n_props = 1;
        rc = am_tmx_write_unit(w, &u, err);
    }
    if (rc) {
        am_tmx_writer_free(w);
        return rc;
    }
    return am_tmx_writer_finish(w, err);
}
