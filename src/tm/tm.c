/*
 * tm.c - the public am_tm_* functions: argument checks, then dispatch to
 * the backend (SQLite today; see store.h), plus small helpers every
 * backend shares (dates, key hash, language matching).
 */
#include "store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int am_tm_open(am_tm **out, const char *path, int flags, am_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return am_error_set(err, AM_EARG, "no memory path given");
    am_tm *tm = calloc(1, sizeof *tm);
    if (!tm || !(tm->path = strdup(path))) {
        free(tm);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    tm->be = &am_sqlite_backend;
    int rc = tm->be->open(&tm->impl, path, flags, err);
    if (rc) {
        free(tm->path);
        free(tm);
        return rc;
    }
    *out = tm;
    return AM_OK;
}

void am_tm_close(am_tm *tm)
{
    if (!tm)
        return;
    tm->be->close(tm->impl);
    free(tm->path);
    free(tm);
}

int am_tm_begin(am_tm *tm, am_error *err)
{
    return tm->be->begin(tm->impl, err);
}

int am_tm_commit(am_tm *tm, am_error *err)
{
    return tm->be->commit(tm->impl, err);
}

void am_tm_rollback(am_tm *tm)
{
    if (tm)
        tm->be->rollback(tm->impl);
}

int am_tm_add_document(am_tm *tm, const am_document *doc, int64_t *id_out, int *existed,
                       am_error *err)
{
    int dummy;
    int64_t id = 0;
    int rc = tm->be->add_document(tm->impl, doc, &id, existed ? existed : &dummy, err);
    if (!rc && id_out)
        *id_out = id;
    return rc;
}

int am_tm_add_unit(am_tm *tm, const am_unit *unit, int on_duplicate, int64_t *id_out,
                   int *outcome, am_error *err)
{
    return tm->be->add_unit(tm->impl, unit, NULL, NULL, on_duplicate, id_out, outcome, err);
}

int am_tm_add_unit_keyed(am_tm *tm, const am_unit *unit, char *const *keys,
                         const size_t *key_lens, int on_duplicate, int64_t *id_out, int *outcome,
                         am_error *err)
{
    return tm->be->add_unit(tm->impl, unit, keys, key_lens, on_duplicate, id_out, outcome, err);
}

int am_tm_foreach(am_tm *tm, const am_tm_filter *filter,
                  int (*cb)(const am_unit *unit, void *ctx), void *ctx, am_error *err)
{
    return tm->be->foreach(tm->impl, filter, cb, ctx, err);
}

int am_tm_candidates(am_tm *tm, const am_tm_query *q,
                     int (*cb)(const am_tm_candidate *c, void *ctx), void *ctx, am_error *err)
{
    return tm->be->candidates(tm->impl, q, cb, ctx, err);
}

int am_tm_foreach_document(am_tm *tm, int (*cb)(const am_document *doc, void *ctx), void *ctx,
                           am_error *err)
{
    return tm->be->documents(tm->impl, cb, ctx, err);
}

int am_tm_stats_get(am_tm *tm, am_tm_stats *out, am_error *err)
{
    return tm->be->stats(tm->impl, out, err);
}

void am_tm_stats_free(am_tm_stats *s)
{
    if (!s)
        return;
    free(s->pairs);
    s->pairs = NULL;
}

int am_tm_lexicon_update(am_tm *tm, int rebuild, void (*progress)(size_t done, size_t total,
                                                                  void *ctx),
                         void *ctx, am_error *err)
{
    return tm->be->lexicon_update(tm->impl, rebuild, progress, ctx, err);
}

int am_tm_lexicon_load(am_tm *tm, am_lexicon *lx, am_error *err)
{
    return tm->be->lexicon_load(tm->impl, lx, TM_LEX_ALL, err);
}

int am_tm_lexicon_load_within(am_tm *tm, am_lexicon *lx, int linkable, am_error *err)
{
    return tm->be->lexicon_load(tm->impl, lx, linkable ? TM_LEX_LINKABLE : TM_LEX_WITHIN, err);
}

int am_tm_lexicon_load_linkable(am_tm *tm, am_lexicon *lx, size_t max_pairs, int *loaded,
                                am_error *err)
{
    *loaded = 0;
    return tm->be->lexicon_load_linkable
               ? tm->be->lexicon_load_linkable(tm->impl, lx, max_pairs, loaded, err)
               : AM_OK;
}

int am_tm_outdated(const am_tm *tm)
{
    return tm && tm->be->outdated ? tm->be->outdated(tm->impl) : 0;
}

int am_tm_lexicon_status(am_tm *tm, int64_t *learned, int64_t *last, am_error *err)
{
    return tm->be->lexicon_status(tm->impl, learned, last, err);
}

int am_tm_lexicon_pairs(am_tm *tm, int (*cb)(const char *a, const char *b, uint64_t units,
                                             void *ctx),
                        void *ctx, am_error *err)
{
    return tm->be->lexicon_pairs(tm->impl, cb, ctx, err);
}

sqlite3 *am_tm_sqlite(am_tm *tm)
{
    return tm && tm->be == &am_sqlite_backend ? am_sqlite_store_db(tm->impl) : NULL;
}

int64_t am_tm_key_hash(const char *lang, const char *key, size_t n)
{
    /* FNV-1a, 64 bits (Fowler, Noll, Vo): fast, good spread on short text. */
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = lang; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0) * 1099511628211ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    return (int64_t)h;
}

int am_tm_lang_matches(const char *wanted, const char *lang)
{
    if (!wanted || !lang)
        return 0;
    size_t n = strlen(wanted);
    if (strncasecmp(wanted, lang, n) != 0)
        return 0;
    /* "en" matches "en" and "en-US"; "e" must not match "en". */
    return lang[n] == '\0' || (lang[n] == '-' && !strchr(wanted, '-'));
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int am_tm_date_tmx(char *out, const char *in)
{
    size_t n = strlen(in);
    /* TMX 1.4b dates are "YYYYMMDDThhmmssZ" (ISO 8601 basic format, UTC). */
    if (n == 16 && digits(in, 8) && in[8] == 'T' && digits(in + 9, 6) && in[15] == 'Z') {
        memcpy(out, in, 17);
        return AM_OK;
    }
    if (n >= 10 && digits(in, 4) && in[4] == '-' && digits(in + 5, 2) && in[7] == '-' &&
        digits(in + 8, 2)) {
        char t[7] = "000000";
        if (n == 20 && in[10] == 'T' && digits(in + 11, 2) && in[13] == ':' &&
            digits(in + 14, 2) && in[16] == ':' && digits(in + 17, 2) && in[19] == 'Z') {
            memcpy(t, in + 11, 2);
            memcpy(t + 2, in + 14, 2);
            memcpy(t + 4, in + 17, 2);
        } else if (n != 10) {
            return AM_EARG;
        }
        snprintf(out, 17, "%.4s%.2s%.2sT%s", in, in + 5, in + 8, t);
        out[15] = 'Z';
        out[16] = '\0';
        return AM_OK;
    }
    return AM_EARG;
}

void am_tm_date_now(char *out)
{
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tmv);
}
