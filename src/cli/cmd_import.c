/*
 * cmd_import.c - `alignmem import`: TMX files into the memory, streamed
 * (am_tmx_read -> am_tm_add_unit), one transaction per file: a file that
 * fails half-way stores nothing, and the error names file, line and column.
 *
 * Two threads share the work (issue #5: a million units in a minute on two
 * cores): the reader thread parses the TMX, copies each unit and normalises
 * its texts (about a third of the CPU time); the writer thread stores the units
 * in SQLite, which allows one writer per connection anyway. A bounded ring
 * of slots between them keeps memory flat. The writer is the slower side
 * (~2/3 of the CPU of a large import, mostly SQLite and FTS5), so what
 * matters is that it never waits: see RING.
 *
 * The provenance props that `alignmem export` writes (x-alignmem-document,
 * -origin, -date, -checksum, -position) become a document and the unit's
 * position again, so import(export(memory)) gives the same units; every
 * other prop and note is kept as it is.
 */
#include "cli.h"
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct provenance {
    const char *title, *origin, *date, *checksum, *position;
} provenance;

/* A unit copied out of the reader's buffers with its normalised keys. */
typedef struct slot {
    am_unit u;
    provenance p;
    char *mem; /* arrays and strings of u and p, one block, reused */
    size_t cap;
    char **keys; /* from am_normalize, freed once stored */
    size_t *lens;
} slot;

/* Slots between the threads. The writer is the slower side (its FTS5
 * indexing alone is ~40% of an import's CPU); the ring lets the reader run
 * ahead while the writer indexes a batch for search (FTS_BATCH variants,
 * sqlite_store.c), so that the writer never waits for parsed units. The
 * writer stores units ~1.5x as fast as the reader parses them and indexes
 * them at about the parser's pace, so the ring is full after each batch
 * and between two batches the writer drains about a third of a batch's
 * units (FTS_BATCH / 3 units of three variants): 16,384 slots cover a
 * 65,536-variant batch with room to spare, for ~25 MB when full (~1.5 KB a
 * unit). With 4,096 slots and 200,000-variant batches the writer waited
 * for the parser most of the time between batches, and the parser for the
 * writer during each batch. */
#define RING 16384
/* A waiting thread is woken for this many slots, not for each one: a
 * wake-up per unit cost a context switch per unit. */
#define HANDOFF 64

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    slot *ring;         /* RING slots */
    size_t head, count; /* ring[head] is the next to store */
    int closed;         /* the reader is done */
    int aborted;        /* the reader failed: store no more */
    int failed;         /* the writer stopped on an error (in werr) */
    int wwait, rwait;   /* the writer (reader) waits for slots */
    am_error werr;
} pipeline;

typedef struct import_ctx {
    am_tm *tm;
    int on_dup;
    long counts[4]; /* by AM_TM_ADDED, _MERGED, _SKIPPED, _REPLACED */
    am_prop *pbuf;
    size_t cap_p;
    am_buf doc_key;  /* the document of the previous unit, and its id */
    int64_t doc_id;
    am_error *err;   /* the writer's (pipe.werr) */
    am_error *rerr;  /* the reader's */
    pipeline pipe;
} import_ctx;

static void usage(void)
{
    printf("Usage: alignmem import [options] FILE.tmx...\n\n"
           "Import TMX 1.1-1.4 files (UTF-8 or UTF-16) into the memory, one transaction\n"
           "per file: a malformed file stores nothing. Identical units are merged.\n\n"
           "  --db PATH                the memory (default: $ALIGNMEM_DB, else the XDG data folder)\n"
           "  --on-duplicate MODE      a unit whose source text is stored with another\n"
           "                           rendering: keep both (keep, default), skip the new\n"
           "                           one (skip), or replace the stored one (replace)\n"
           "  -q, --quiet              no summary on stderr\n"
           "  -h, --help               show this help\n");
}

/* Split the unit's props into ours (provenance) and the others. */
static int split_props(import_ctx *x, const am_unit *u, provenance *p, size_t *n_other)
{
    static const char prefix[] = "x-alignmem-";
    memset(p, 0, sizeof *p);
    if (u->n_props > x->cap_p) {
        am_prop *q = realloc(x->pbuf, u->n_props * 2 * sizeof *q);
        if (!q)
            return AM_ENOMEM;
        x->pbuf = q;
        x->cap_p = u->n_props * 2;
    }
    size_t n = 0;
    for (size_t i = 0; i < u->n_props; i++) {
        const am_prop *q = &u->props[i];
        const char *t = q->type && !strncmp(q->type, prefix, sizeof prefix - 1)
                            ? q->type + sizeof prefix - 1
                            : "";
        if (!strcmp(t, "document")) p->title = q->value;
        else if (!strcmp(t, "origin")) p->origin = q->value;
        else if (!strcmp(t, "date")) p->date = q->value;
        else if (!strcmp(t, "checksum")) p->checksum = q->value;
        else if (!strcmp(t, "position")) p->position = q->value;
        else x->pbuf[n++] = *q;
    }
    *n_other = n;
    return AM_OK;
}

/* The document id of the unit's provenance; 0 when it has none. Units of
 * one document come together, so the previous answer is usually right. */
static int document_of(import_ctx *x, const provenance *p, int64_t *id)
{
    *id = 0;
    if (!p->title && !p->checksum)
        return AM_OK;
    am_buf key = AM_BUF_INIT;
    if (am_buf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", p->checksum ? p->checksum : "",
                      p->title ? p->title : "", p->origin ? p->origin : "",
                      p->date ? p->date : ""))
        return am_error_set(x->err, AM_ENOMEM, "out of memory");
    int rc = AM_OK;
    if (x->doc_key.data && !strcmp(key.data, x->doc_key.data)) {
        *id = x->doc_id;
    } else {
        am_document d = {0, p->title, p->origin, p->date, NULL, p->checksum};
        rc = am_tm_add_document(x->tm, &d, &x->doc_id, NULL, x->err);
        am_buf_clear(&x->doc_key);
        if (!rc && am_buf_append(&x->doc_key, key.data, key.len))
            rc = am_error_set(x->err, AM_ENOMEM, "out of memory");
        *id = x->doc_id;
    }
    am_buf_free(&key);
    return rc;
}

/* ---- the copy handed from the reader thread to the writer thread ---- */

typedef struct sizes {
    size_t arr, str; /* bytes of arrays (aligned, first) and of strings */
} sizes;

typedef struct arena {
    char *arr, *str;
} arena;

static void size_str(sizes *z, const char *s)
{
    if (s)
        z->str += strlen(s) + 1;
}

static void size_props(sizes *z, const am_prop *p, size_t n)
{
    z->arr += n * sizeof *p;
    for (size_t i = 0; i < n; i++) {
        size_str(z, p[i].type);
        size_str(z, p[i].value);
        size_str(z, p[i].lang);
    }
}

static const char *put_str(arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = memcpy(a->str, s, n);
    a->str += n;
    return d;
}

static const am_prop *put_props(arena *a, const am_prop *src, size_t n)
{
    am_prop *d = (am_prop *)(void *)a->arr;
    a->arr += n * sizeof *d;
    for (size_t i = 0; i < n; i++) {
        d[i].type = put_str(a, src[i].type);
        d[i].value = put_str(a, src[i].value);
        d[i].lang = put_str(a, src[i].lang);
    }
    return n ? d : NULL;
}

static sizes unit_sizes(const am_unit *u, const provenance *p)
{
    sizes z = {u->n_variants * (sizeof(char *) + sizeof(size_t) + sizeof(am_variant)), 0};
    const char *str[] = {u->tuid,     u->srclang,  u->creationdate, u->creationid,
                         u->changedate, u->changeid, u->lastusagedate, p->title,
                         p->origin,   p->date,     p->checksum,     p->position};
    for (size_t i = 0; i < sizeof str / sizeof *str; i++)
        size_str(&z, str[i]);
    size_props(&z, u->props, u->n_props);
    size_props(&z, u->notes, u->n_notes);
    for (size_t i = 0; i < u->n_variants; i++) {
        const am_variant *v = &u->variants[i];
        const char *vs[] = {v->lang,       v->text,       v->markup,    v->creationdate,
                            v->creationid, v->changedate, v->changeid};
        for (size_t j = 0; j < sizeof vs / sizeof *vs; j++)
            size_str(&z, vs[j]);
        size_props(&z, v->props, v->n_props);
        size_props(&z, v->notes, v->n_notes);
    }
    return z;
}

static void put_variant(arena *a, am_variant *d, const am_variant *v)
{
    *d = *v;
    d->lang = put_str(a, v->lang);
    d->text = put_str(a, v->text);
    d->markup = put_str(a, v->markup);
    d->creationdate = put_str(a, v->creationdate);
    d->creationid = put_str(a, v->creationid);
    d->changedate = put_str(a, v->changedate);
    d->changeid = put_str(a, v->changeid);
    d->props = put_props(a, v->props, v->n_props);
    d->notes = put_props(a, v->notes, v->n_notes);
}

static void slot_free_keys(slot *s)
{
    for (size_t i = 0; s->keys && i < s->u.n_variants; i++) {
        free(s->keys[i]);
        s->keys[i] = NULL;
    }
}

/* Copy u and p into the slot (its block grows as needed) and normalise
 * the texts: the keys are the store's, computed here to share the work. */
static int fill_slot(slot *s, const am_unit *u, const provenance *p, am_error *err)
{
    sizes z = unit_sizes(u, p);
    size_t nv = u->n_variants;
    if (z.arr + z.str > s->cap) {
        char *m = realloc(s->mem, z.arr + z.str);
        if (!m)
            return am_error_set(err, AM_ENOMEM, "out of memory");
        s->mem = m;
        s->cap = z.arr + z.str;
    }
    arena a = {s->mem, s->mem + z.arr};
    s->keys = (char **)(void *)a.arr;
    a.arr += nv * sizeof(char *);
    s->lens = (size_t *)(void *)a.arr;
    a.arr += nv * sizeof(size_t);
    am_variant *v = (am_variant *)(void *)a.arr;
    a.arr += nv * sizeof *v;
    s->u = *u;
    s->u.tuid = put_str(&a, u->tuid);
    s->u.srclang = put_str(&a, u->srclang);
    s->u.creationdate = put_str(&a, u->creationdate);
    s->u.creationid = put_str(&a, u->creationid);
    s->u.changedate = put_str(&a, u->changedate);
    s->u.changeid = put_str(&a, u->changeid);
    s->u.lastusagedate = put_str(&a, u->lastusagedate);
    s->p.title = put_str(&a, p->title);
    s->p.origin = put_str(&a, p->origin);
    s->p.date = put_str(&a, p->date);
    s->p.checksum = put_str(&a, p->checksum);
    s->p.position = put_str(&a, p->position);
    s->u.props = put_props(&a, u->props, u->n_props);
    s->u.notes = put_props(&a, u->notes, u->n_notes);
    for (size_t i = 0; i < nv; i++)
        put_variant(&a, &v[i], &u->variants[i]);
    s->u.variants = v;
    memset(s->keys, 0, nv * sizeof(char *));
    memset(s->lens, 0, nv * sizeof(size_t));
    /* A variant without text is left to the store to refuse. */
    for (size_t i = 0; i < nv; i++) {
        if (v[i].text && am_normalize(&s->keys[i], &s->lens[i], v[i].text, strlen(v[i].text), err)) {
            slot_free_keys(s);
            return err->code;
        }
    }
    return AM_OK;
}

/* Writer thread: store one slot. */
static int store_slot(import_ctx *x, slot *s)
{
    int outcome = AM_TM_ADDED;
    int rc = document_of(x, &s->p, &s->u.document);
    if (!rc && s->p.position) {
        char *end;
        long pos = strtol(s->p.position, &end, 10);
        s->u.position = *end || pos < 0 ? -1 : pos;
    }
    if (!rc)
        rc = am_tm_add_unit_keyed(x->tm, &s->u, s->keys, s->lens, x->on_dup, NULL, &outcome,
                                  x->err);
    slot_free_keys(s);
    if (!rc)
        x->counts[outcome]++;
    return rc;
}

static void *writer_main(void *arg)
{
    import_ctx *x = arg;
    pipeline *q = &x->pipe;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        if (!q->count) {
            q->wwait = 1;
            while (q->count < HANDOFF && !q->closed && !q->aborted)
                pthread_cond_wait(&q->filled, &q->mu);
            q->wwait = 0;
        }
        slot *s = q->count && !q->aborted ? &q->ring[q->head] : NULL;
        pthread_mutex_unlock(&q->mu);
        if (!s)
            break;
        int rc = store_slot(x, s);
        pthread_mutex_lock(&q->mu);
        q->head = (q->head + 1) % RING;
        q->count--;
        q->failed = rc != AM_OK;
        if (q->failed || (q->rwait && q->count <= RING - HANDOFF))
            pthread_cond_signal(&q->freed);
        pthread_mutex_unlock(&q->mu);
        if (rc)
            break;
    }
    return NULL;
}

/* Reader thread: hand the unit to the writer; 1 stops the reader when the
 * writer has failed. */
static int on_unit(const am_unit *u, void *ctx)
{
    import_ctx *x = ctx;
    pipeline *q = &x->pipe;
    provenance p;
    size_t n_other;
    am_unit copy = *u;
    if (split_props(x, u, &p, &n_other)) {
        am_error_set(x->rerr, AM_ENOMEM, "out of memory");
        return 1;
    }
    copy.props = x->pbuf;
    copy.n_props = n_other;
    pthread_mutex_lock(&q->mu);
    if (q->count == RING) {
        q->rwait = 1;
        while (q->count > RING - HANDOFF && !q->failed)
            pthread_cond_wait(&q->freed, &q->mu);
        q->rwait = 0;
    }
    int failed = q->failed;
    slot *s = &q->ring[(q->head + q->count) % RING];
    pthread_mutex_unlock(&q->mu);
    if (failed || fill_slot(s, &copy, &p, x->rerr))
        return 1;
    pthread_mutex_lock(&q->mu);
    q->count++;
    if (q->wwait && q->count >= HANDOFF)
        pthread_cond_signal(&q->filled);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static void on_warning(const char *where, long line, const char *msg, void *ctx)
{
    (void)ctx;
    if (line > 0)
        cli_warn("%s:%ld: %s", where ? where : "", line, msg);
    else
        cli_warn("%s: %s", where ? where : "", msg);
}

static void on_progress(long long done, long long total, void *ctx)
{
    (void)ctx;
    if (total > 0)
        cli_progress_set_total((size_t)total);
    cli_progress_update((size_t)done);
}

/* Read the file on this thread while a writer thread stores the units;
 * the first error wins: the writer's, else the reader's (in *err). */
static int read_and_store(import_ctx *x, const char *path, am_tmx_callbacks *cb, am_error *err)
{
    pipeline *q = &x->pipe;
    pthread_t writer;
    q->head = q->count = 0;
    q->closed = q->aborted = q->failed = q->wwait = q->rwait = 0;
    am_error_clear(&q->werr);
    x->err = &q->werr;
    x->rerr = err;
    if (pthread_create(&writer, NULL, writer_main, x) != 0)
        return am_error_set(err, AM_ENOMEM, "cannot start the writer thread");
    cli_progress_start("importing", 0);
    int rc = am_tmx_read(path, cb, err);
    cli_progress_end();
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    q->aborted = rc != AM_OK;
    pthread_cond_signal(&q->filled);
    pthread_mutex_unlock(&q->mu);
    pthread_join(writer, NULL);
    /* Slots the writer did not reach (after an error) still hold keys. */
    for (size_t i = 0; i < q->count; i++)
        slot_free_keys(&q->ring[(q->head + i) % RING]);
    if (q->failed) {
        *err = q->werr;
        return err->code ? err->code : AM_EDB;
    }
    if (rc == AM_ESTOP && err->code)
        rc = err->code;
    return rc;
}

/* One file, one transaction. */
static int import_file(import_ctx *x, const char *path, int quiet)
{
    am_error err;
    am_error_clear(&err);
    memset(x->counts, 0, sizeof x->counts);
    am_buf_free(&x->doc_key);
    am_tmx_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.on_unit = on_unit;
    cb.on_warning = on_warning;
    cb.on_progress = on_progress;
    cb.ctx = x;
    int rc = am_tm_begin(x->tm, &err);
    if (!rc) {
        rc = read_and_store(x, path, &cb, &err);
        if (!rc)
            rc = am_tm_commit(x->tm, &err);
        else
            am_tm_rollback(x->tm);
    }
    if (rc) {
        am_error_at(&err, path, -1, -1, -1);
        cli_report(&err);
        cli_warn("%s: nothing imported from this file", path);
        return EXIT_FAIL;
    }
    if (!quiet) {
        long total = x->counts[0] + x->counts[1] + x->counts[2] + x->counts[3];
        fprintf(stderr, "%s: %ld units: %ld added, %ld merged, %ld skipped, %ld replaced\n", path,
                total, x->counts[AM_TM_ADDED], x->counts[AM_TM_MERGED], x->counts[AM_TM_SKIPPED],
                x->counts[AM_TM_REPLACED]);
    }
    return EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"on-duplicate", required_argument, NULL, 'u'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int on_dup = AM_DUP_KEEP, quiet = 0, c;
    while ((c = cli_getopt(argc, argv, "hq", opts)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = 1; break;
        case 'u':
            if (!strcmp(optarg, "skip")) on_dup = AM_DUP_SKIP;
            else if (!strcmp(optarg, "replace")) on_dup = AM_DUP_REPLACE;
            else if (!strcmp(optarg, "keep")) on_dup = AM_DUP_KEEP;
            else return cli_usage(argv[0], "--on-duplicate is skip, replace or keep, not '%s'", optarg);
            break;
        case 'h': usage(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no TMX file given");
    import_ctx x;
    memset(&x, 0, sizeof x);
    x.on_dup = on_dup;
    x.tm = cli_open_db(db, AM_TM_CREATE);
    if (!x.tm)
        return EXIT_FAIL;
    x.pipe.ring = calloc(RING, sizeof *x.pipe.ring);
    if (!x.pipe.ring) {
        am_tm_close(x.tm);
        return cli_fail("out of memory");
    }
    pthread_mutex_init(&x.pipe.mu, NULL);
    pthread_cond_init(&x.pipe.filled, NULL);
    pthread_cond_init(&x.pipe.freed, NULL);
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++)
        if (import_file(&x, argv[i], quiet) != EXIT_OK)
            rc = EXIT_FAIL;
    free(x.pbuf);
    am_buf_free(&x.doc_key);
    for (size_t i = 0; i < RING; i++)
        free(x.pipe.ring[i].mem);
    free(x.pipe.ring);
    pthread_cond_destroy(&x.pipe.freed);
    pthread_cond_destroy(&x.pipe.filled);
    pthread_mutex_destroy(&x.pipe.mu);
    am_tm_close(x.tm);
    return rc;
}
