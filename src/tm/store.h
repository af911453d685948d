/*
 * store.h - the storage backend interface of the translation memory.
 *
 * The public am_tm_* functions (tm.c) dispatch through an am_tm_backend, a
 * table of function pointers, so that a second backend (PostgreSQL for a
 * team memory) can be added later without touching align, tmx or cli. The
 * only backend today is SQLite (sqlite_store.c, schema in schema.c).
 *
 * For the lookup and concordance code (fuzzy.c, lookup.c, concord.c), the
 * SQLite schema they may query directly through am_tm_sqlite():
 *
 *   variants(id INTEGER PRIMARY KEY, unit, lang, text, markup, key, khash)
 *       key   = am_normalize(text): NFC, case folded, ё -> е, apostrophes,
 *               quotes and dashes unified, white space collapsed.
 *       khash = am_tm_key_hash(lang, key): indexed (variants_khash), for
 *               exact matches use
 *               "WHERE khash = ?1 AND lang = ?2 AND key = ?3".
 *       lang  = canonical code as imported ("uk", "en-US"); use
 *               am_tm_lang_matches() to compare with a user's code.
 *   variants_fts(key): FTS5, external content (content='variants',
 *       content_rowid='id'), tokenize='unicode61 remove_diacritics 0';
 *       rowid = variants.id, the indexed text = variants.key. Join with
 *       variants on rowid to filter by language:
 *       "SELECT v.id, v.unit, v.text, v.key, bm25(variants_fts) FROM
 *        variants_fts JOIN variants v ON v.id = variants_fts.rowid
 *        WHERE variants_fts MATCH ?1 AND v.lang = ?2 ORDER BY rank".
 *   units(id, document, position, confidence, tuid, srclang, creationdate,
 *       creationid, changedate, changeid, usagecount)
 *   documents(id, title, origin, date, langs, checksum, added)
 *   props(id, unit, variant, kind 0 prop / 1 note, type, lang, value)
 * Read only; all writes go through the backend so that indexes stay right.
 * New variants reach variants_fts in batches (at commit at the latest; see
 * schema.c): inside a write transaction of the same connection, search
 * through am_tm_candidates(), which indexes the pending rows first.
 */
#ifndef AM_TM_STORE_H
#define AM_TM_STORE_H

#include "alignmem.h"

#include <sqlite3.h>

/* What a backend's lexicon_load reads. */
enum { TM_LEX_ALL, TM_LEX_WITHIN, TM_LEX_LINKABLE };

/* A candidate search (lookup, concordance): variants in lang whose key
 * holds any of words (ranked by BM25), or, with phrase set, all of them in
 * sequence. words are normalised keys (am_normalize). */
typedef struct am_tm_query {
    const char *lang;
    const char *const *words;
    size_t n_words;
    int phrase;
    size_t limit; /* most candidates; 0 = no limit */
} am_tm_query;

/* One candidate; strings borrowed for the duration of the callback. */
typedef struct am_tm_candidate {
    int64_t variant;
    int64_t unit;
    const char *lang;
    const char *text;
    const char *key;
    double rank; /* BM25 from FTS5: lower is better */
} am_tm_candidate;

typedef struct am_tm_backend {
    const char *name;
    int (*open)(void **out, const char *path, int flags, am_error *err);
    void (*close)(void *impl);
    int (*begin)(void *impl, am_error *err);
    int (*commit)(void *impl, am_error *err);
    void (*rollback)(void *impl);
    int (*add_document)(void *impl, const am_document *doc, int64_t *id_out, int *existed,
                        am_error *err);
    /* keys, key_lens: am_normalize of each variant's text, or NULL. */
    int (*add_unit)(void *impl, const am_unit *unit, char *const *keys, const size_t *key_lens,
                    int on_duplicate, int64_t *id_out, int *outcome, am_error *err);
    int (*foreach)(void *impl, const am_tm_filter *filter,
                   int (*cb)(const am_unit *unit, void *ctx), void *ctx, am_error *err);
    int (*candidates)(void *impl, const am_tm_query *q,
                      int (*cb)(const am_tm_candidate *c, void *ctx), void *ctx, am_error *err);
    int (*stats)(void *impl, am_tm_stats *out, am_error *err);
    int (*documents)(void *impl, int (*cb)(const am_document *doc, void *ctx), void *ctx,
                     am_error *err);
    /* The memory's lexicons: see am_tm_lexicon_* in alignmem.h. */
    int (*lexicon_update)(void *impl, int rebuild, void (*progress)(size_t, size_t, void *),
                          void *ctx, am_error *err);
    /* what: TM_LEX_ALL (am_tm_lexicon_load), TM_LEX_WITHIN or
     * TM_LEX_LINKABLE (am_tm_lexicon_load_within). */
    int (*lexicon_load)(void *impl, am_lexicon *lx, int what, am_error *err);
    int (*lexicon_status)(void *impl, int64_t *learned, int64_t *last, am_error *err);
    int (*outdated)(const void *impl); /* am_tm_outdated */
    int (*lexicon_load_linkable)(void *impl, am_lexicon *lx, size_t max_pairs, int *loaded,
                                 am_error *err);
    int (*lexicon_pairs)(void *impl, int (*cb)(const char *a, const char *b, uint64_t units,
                                               void *ctx),
                         void *ctx, am_error *err);
} am_tm_backend;

extern const am_tm_backend am_sqlite_backend;

struct am_tm {
    const am_tm_backend *be;
    void *impl;
    char *path;
};

/* Run a candidate search on the memory's backend (for lookup/concord). */
int am_tm_candidates(am_tm *tm, const am_tm_query *q,
                     int (*cb)(const am_tm_candidate *c, void *ctx), void *ctx, am_error *err);

/* The SQLite connection of a memory opened with the SQLite backend, or
 * NULL. Borrowed: it lives until am_tm_close(). For read-only queries of
 * lookup and concordance (schema above). */
sqlite3 *am_tm_sqlite(am_tm *tm);
sqlite3 *am_sqlite_store_db(void *impl);

/* 64-bit FNV-1a over lang, a NUL, and key[0..n): the indexed exact-match
 * hash stored in variants.khash (as a signed SQLite integer). */
int64_t am_tm_key_hash(const char *lang, const char *key, size_t n);

/* schema.c: create or migrate the schema of an open connection, refusing
 * a newer or foreign database (AM_ESCHEMA) without writing to it. */
#define AM_TM_SCHEMA_VERSION 3
/* The oldest version a read-only connection can read without migrating. */
#define AM_TM_SCHEMA_READABLE 1
#define AM_TM_APPLICATION_ID 0x416c4d6d /* "AlMm" */
int am_schema_check(sqlite3 *db, int *version_out, am_error *err);
int am_schema_migrate(sqlite3 *db, int from_version, am_error *err);

/* Map an SQLite result code to an AM_E* code and set the message with the
 * SQLite message, prefixed by what we were doing. */
int am_sqlite_error(am_error *err, sqlite3 *db, int rc, const char *doing);

/* Dates: normalise "2026-11-28", "2026-11-28T10:20:30Z" or the TMX form
 * "20261128T102030Z" into the TMX form (out must hold 17 bytes). Returns
 * AM_EARG when the string is none of these. */
int am_tm_date_tmx(char *out, const char *in);
/* The current UTC time in TMX form (17 bytes). */
void am_tm_date_now(char *out);

#endif
