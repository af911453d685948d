/* sqlite_store.h - private to the SQLite backend (sqlite_store.c writes,
 * sqlite_read.c reads). */
#ifndef AM_TM_SQLITE_STORE_H
#define AM_TM_SQLITE_STORE_H

#include "store.h"

/* Statements prepared once per connection and reused (prepared lazily). */
enum {
    SQ_FIND_DOC,
    SQ_INS_DOC,
    SQ_FIND_SRC,
    SQ_UNIT_VARIANTS,
    SQ_INS_UNIT,
    SQ_INS_VARIANT,
    SQ_INS_PROP,
    SQ_MERGE,
    SQ_INS_SOURCE,
    SQ_DEL_UNIT,
    SQ_SAVEPOINT,
    SQ_RELEASE,
    SQ_ROLLBACK_TO,
    SQ_FTS_INDEX,
    SQ_ANY_VARIANT,
    SQ_COUNT
};

typedef struct sq_store {
    sqlite3 *db;
    int readonly;
    int version; /* schema version of the file; < current only read-only */
    int in_ram;  /* the file holds no memory yet: an empty one in RAM (read-only) */
    sqlite3_stmt *st[SQ_COUNT];
    int64_t fts_from, fts_to; /* variants stored but not yet in the FTS index */
    /* In a transaction begun on a memory without variants: a bit per hash
     * of every khash stored since (sqlite_store.c, find_related), else
     * NULL. Owned; freed at commit and rollback. */
    uint64_t *seen;
    int bulk; /* this transaction runs with a rollback journal (bulk_begin) */
    /* am_tm_date_now() of the second `now_t`, for the unit rows. */
    long long now_t;
    char now[20];
} sq_store;

/* Index the pending variants in FTS5 (see schema.c for why in batches).
 * Called before commit, before deletes and before FTS reads. */
int sq_fts_flush(sq_store *s, am_error *err);

/* The prepared statement `which`, reset and with bindings cleared;
 * borrowed (finalized at close). NULL with err set on failure. */
sqlite3_stmt *sq_stmt(sq_store *s, int which, am_error *err);
/* Step a statement that returns no rows; AM_OK or an error. */
int sq_exec_stmt(sq_store *s, sqlite3_stmt *st, const char *doing, am_error *err);

int sq_foreach(void *impl, const am_tm_filter *filter, int (*cb)(const am_unit *unit, void *ctx),
               void *ctx, am_error *err);
int sq_candidates(void *impl, const am_tm_query *q,
                  int (*cb)(const am_tm_candidate *c, void *ctx), void *ctx, am_error *err);
int sq_stats(void *impl, am_tm_stats *out, am_error *err);
int sq_documents(void *impl, int (*cb)(const am_document *doc, void *ctx), void *ctx,
                 am_error *err);
/* sqlite_lex.c: the lexicon counts (see am_tm_lexicon_* in alignmem.h). */
int sq_lexicon_update(void *impl, int rebuild, void (*progress)(size_t, size_t, void *),
                      void *ctx, am_error *err);
int sq_lexicon_load(void *impl, am_lexicon *lx, int what, am_error *err);
int sq_lexicon_status(void *impl, int64_t *learned, int64_t *last, am_error *err);
int sq_lexicon_load_linkable(void *impl, am_lexicon *lx, size_t max_pairs, int *loaded,
                             am_error *err);
int sq_lexicon_pairs(void *impl, int (*cb)(const char *a, const char *b, uint64_t units, void *ctx),
                     void *ctx, am_error *err);

#endif
