/*
 * sqlite_store.c - the SQLite backend: opening, transactions and writes.
 * Reads (foreach, candidates, stats) are in sqlite_read.c.
 *
 * Every statement is prepared once with bound parameters and reused: at a
 * million units the cost of re-preparing would dominate. Callers write in
 * big transactions (am_tm_begin/commit, one per file or document) and roll
 * back on error; a unit written outside one gets a savepoint of its own.
 *
 * Measured with scripts/bench/tm.sh: FTS5 rows inserted one statement at a
 * time made an import ~1.9x slower (each statement savepoint flushes FTS5's
 * pending terms), hence the batches below; the 32 MB 'hashsize' (schema.c)
 * took a third off a 100k-unit import, and 8 KB pages instead of 4 KB
 * another third off the CPU time of a 1M-unit import (136 s -> 86 s).
 * Profiled after that (callgrind, 10k units): normalising the texts was a
 * quarter of the instructions of an import, FTS5 indexing 29%, the other
 * SQLite writes 16%; so `import` normalises on its reader thread and hands
 * the keys in (am_tm_add_unit_keyed) while this one writes.
 * Session 2 (1,000,000 units, 68 s wall / 85 s CPU): the writer thread was
 * the long pole and FTS5 ~40% of all CPU; a 200,000-variant FTS batch
 * stalled the parser, and commit + checkpoint of the 1.8 GB WAL took
 * another ~10 s after the last unit. Hence FTS batches the import's ring
 * covers (FTS_BATCH), bulk mode for a first import (bulk_begin: the pages
 * are written once, not to the WAL and again by the checkpoint), the
 * "seen" filter that skips the duplicate lookup of units that cannot have
 * one, and no per-connection mutex.
 */
#include "sqlite_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const sq_sql[SQ_COUNT] = {
    [SQ_FIND_DOC] = "SELECT id FROM documents WHERE checksum = ?1",
    [SQ_INS_DOC] = "INSERT INTO documents(title, origin, date, langs, checksum, added)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [SQ_FIND_SRC] = "SELECT unit FROM variants WHERE khash = ?1 AND lang = ?2 AND text = ?3",
    [SQ_UNIT_VARIANTS] = "SELECT lang, text, markup FROM variants WHERE unit = ?1",
    [SQ_INS_UNIT] = "INSERT INTO units(document, position, confidence, tuid, srclang,"
                    " creationdate, creationid, changedate, changeid, usagecount, lastusagedate)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [SQ_INS_VARIANT] = "INSERT INTO variants(unit, lang, text, markup, key, khash,"
                       " creationdate, creationid, changedate, changeid)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [SQ_INS_PROP] = "INSERT INTO props(unit, variant, kind, type, lang, value)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [SQ_MERGE] = "UPDATE units SET usagecount = CASE WHEN ?4 THEN usagecount + ?2"
                 " ELSE max(usagecount, ?2) END,"
                 " changedate = coalesce(max(changedate, ?3), changedate, ?3) WHERE id = ?1",
    [SQ_INS_SOURCE] = "INSERT OR IGNORE INTO sources(unit, document, position)"
                      " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM units"
                      " WHERE id = ?1 AND document IS ?2 AND position IS ?3)",
    [SQ_DEL_UNIT] = "DELETE FROM units WHERE id = ?1",
    [SQ_SAVEPOINT] = "SAVEPOINT am_unit",
    [SQ_RELEASE] = "RELEASE am_unit",
    [SQ_ROLLBACK_TO] = "ROLLBACK TO am_unit",
    [SQ_FTS_INDEX] = "INSERT INTO variants_fts(rowid, key)"
                     " SELECT id, key FROM variants WHERE id BETWEEN ?1 AND ?2",
    [SQ_ANY_VARIANT] = "SELECT 1 FROM variants LIMIT 1",
};

/* Past this many pending variants the batch is indexed. Each batch is one
 * statement, so one FTS5 segment (schema.c); a batch stalls the writer for
 * a while, which `import` covers with its ring of parsed units only when
 * the batch is short enough (cmd_import.c, RING): 200,000 took ~2 s and the
 * parser stood still meanwhile. Indexing 900,000 variants in batches of
 * 900k, 200k, 64k, 16k and 4k cost 8.9, 11.1, 10.8, 12.5 and 15.0 s of CPU
 * (sqlite3 shell, loaded machine: +-20%): below ~64k the extra segments and
 * merges start to cost. The last batch is indexed at commit, after the
 * parser is done, so a small one also shortens that tail. */
#define FTS_BATCH 65536

int sq_fts_flush(sq_store *s, am_error *err)
{
    if (!s->fts_from)
        return AM_OK;
    sqlite3_stmt *st = sq_stmt(s, SQ_FTS_INDEX, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_int64(st, 1, s->fts_from);
    sqlite3_bind_int64(st, 2, s->fts_to);
    int rc = sq_exec_stmt(s, st, "cannot index the memory for search", err);
    if (!rc)
        s->fts_from = s->fts_to = 0;
    return rc;
}

/* Note a new variant for the FTS index; a gap in ids flushes first. */
static int fts_pending(sq_store *s, int64_t vid, am_error *err)
{
    if (s->fts_from && vid != s->fts_to + 1) {
        int rc = sq_fts_flush(s, err);
        if (rc)
            return rc;
    }
    if (!s->fts_from)
        s->fts_from = vid;
    s->fts_to = vid;
    return s->fts_to - s->fts_from >= FTS_BATCH ? sq_fts_flush(s, err) : AM_OK;
}

/* The "seen" filter: one bit per hash of a stored khash, 2^SEEN_BITS
 * bits (8 MB). A clear bit proves that no variant with that khash exists,
 * so find_related() can skip its query (a random B-tree descent per unit,
 * into an index of millions of rows on a large import); a set bit may be
 * another khash (~4% of bits set at 3,000,000 variants), then the query
 * runs as usual. Only complete for a transaction begun on a memory without
 * variants, where every khash is stored through insert_unit(). */
#define SEEN_BITS 26

static uint64_t seen_bit(int64_t khash)
{
    uint64_t h = (uint64_t)khash;
    h ^= h >> 33; /* murmur3 finaliser step: FNV's low bits mix poorly */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h >> (64 - SEEN_BITS);
}

static void seen_add(sq_store *s, int64_t khash)
{
    if (s->seen) {
        uint64_t b = seen_bit(khash);
        s->seen[b >> 6] |= 1ULL << (b & 63);
    }
}

/* 0 when no stored variant can have this khash. */
static int seen_maybe(const sq_store *s, int64_t khash)
{
    if (!s->seen)
        return 1;
    uint64_t b = seen_bit(khash);
    return (s->seen[b >> 6] >> (b & 63)) & 1;
}

static void seen_end(sq_store *s)
{
    free(s->seen);
    s->seen = NULL;
}

/* *empty = 1 when the memory holds no variant (nothing to match yet). */
static int memory_empty(sq_store *s, int *empty, am_error *err)
{
    *empty = 0;
    sqlite3_stmt *st = sq_stmt(s, SQ_ANY_VARIANT, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return am_sqlite_error(err, s->db, rc, "cannot read the memory");
    *empty = rc == SQLITE_DONE;
    return AM_OK;
}

/* At the start of a transaction: the filter, when the memory holds no
 * variant (a first import); else none. Without memory for it, none. */
static int seen_begin(sq_store *s, am_error *err)
{
    int empty, rc;
    seen_end(s);
    if ((rc = memory_empty(s, &empty, err)))
        return rc;
    if (empty)
        s->seen = calloc((size_t)1 << (SEEN_BITS - 6), sizeof *s->seen);
    return AM_OK;
}

sqlite3_stmt *sq_stmt(sq_store *s, int which, am_error *err)
{
    if (!s->st[which]) {
        int rc = sqlite3_prepare_v3(s->db, sq_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->st[which], NULL);
        if (rc != SQLITE_OK) {
            am_sqlite_error(err, s->db, rc, "cannot prepare a query");
            return NULL;
        }
    } else {
        sqlite3_reset(s->st[which]);
        sqlite3_clear_bindings(s->st[which]);
    }
    return s->st[which];
}

int sq_exec_stmt(sq_store *s, sqlite3_stmt *st, const char *doing, am_error *err)
{
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return am_sqlite_error(err, s->db, rc, doing);
    return AM_OK;
}

static int exec_sql(sq_store *s, const char *sql, const char *doing, am_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? AM_OK : am_sqlite_error(err, s->db, rc, doing);
}

/* mkdir -p of the folder holding path. */
static int make_parents(const char *path, am_error *err)
{
    char *dir = strdup(path);
    if (!dir)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    int rc = AM_OK;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p && !rc; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST)
                rc = am_error_set(err, AM_EIO, "cannot create folder %s: %s", dir, strerror(errno));
            *p = '/';
        }
        if (!rc && mkdir(dir, 0777) != 0 && errno != EEXIST)
            rc = am_error_set(err, AM_EIO, "cannot create folder %s: %s", dir, strerror(errno));
    }
    free(dir);
    return rc;
}

static void bulk_end(sq_store *s);

static void sq_close(void *impl)
{
    sq_store *s = impl;
    if (!s)
        return;
    seen_end(s);
    for (int i = 0; i < SQ_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s->db)
        bulk_end(s);
    sqlite3_close_v2(s->db);
    free(s);
}

#ifndef AM_TM_PAGE_SIZE
#define AM_TM_PAGE_SIZE "8192"
#endif
#define AM_TM_BUSY_MS 5000
#ifndef AM_TM_CACHE_KB
#define AM_TM_CACHE_KB "-65536"
#endif

/* Connection settings. WAL lets readers (lookup) work while one writer
 * imports; synchronous=NORMAL is durable across application crashes and,
 * in WAL mode, loses at most the last commits on power loss. The 64 MB page
 * cache holds the hot index pages of a million-unit import. */
static int configure(sq_store *s, int fresh, am_error *err)
{
    int rc = AM_OK;
    /* Larger pages for a new memory: rows of three sentences with their keys
     * are ~1.5 KB, and a full export reads every page once. */
    if (fresh && !s->readonly)
        rc = exec_sql(s, "PRAGMA page_size = " AM_TM_PAGE_SIZE, "cannot configure the memory", err);
    if (!rc)
        rc = exec_sql(s, "PRAGMA foreign_keys = ON; PRAGMA cache_size = " AM_TM_CACHE_KB,
                      "cannot configure the memory", err);
    if (!rc && !s->readonly)
        rc = exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                      "cannot configure the memory", err);
    return rc;
}

static int open_db(sq_store *s, const char *path, int flags, am_error *err)
{
    struct stat st;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (stat(path, &st) != 0) {
        if (!(flags & AM_TM_CREATE) || s->readonly)
            return am_error_set(err, AM_ENOTFOUND,
                                "no memory here yet (add or import something first)");
        int rc = make_parents(path, err);
        if (rc)
            return rc;
        oflags |= SQLITE_OPEN_CREATE;
    } else if (S_ISDIR(st.st_mode)) {
        return am_error_set(err, AM_EIO, "is a directory, not a memory");
    }
    /* No mutex of the connection's own: a memory is used by one thread at a
     * time (import hands it to its writer thread and back, never shares it),
     * and SQLite otherwise locks it on every call: ~4% of an import's writer
     * thread (perf). */
    oflags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK)
        return am_sqlite_error(err, s->db, rc, "cannot open the memory");
    sqlite3_extended_result_codes(s->db, 1);
    /* Two writers: the second waits up to 5 s for the first, then fails
     * with AM_EBUSY instead of corrupting anything. */
    sqlite3_busy_timeout(s->db, AM_TM_BUSY_MS);
    return AM_OK;
}

/* A WAL memory needs its -shm file even to be read, and in a folder the
 * user may not write that file cannot be made (SQLite: "WAL mode: read-only
 * databases"). Nobody can write the memory there either, so when no -wal
 * file holds unsaved pages it is safe to read it as immutable: a read-only
 * share or a colleague's memory still serves lookups. Returns AM_ENOTFOUND
 * when that does not apply, so the caller keeps the first error. */
static int reopen_immutable(sq_store *s, const char *path, am_error *err)
{
    int code = sqlite3_extended_errcode(s->db);
    if (code != SQLITE_READONLY_CANTINIT && code != SQLITE_CANTOPEN &&
        (code & 0xff) != SQLITE_READONLY)
        return AM_ENOTFOUND;
    am_buf dir = AM_BUF_INIT, uri = AM_BUF_INIT;
    const char *slash = strrchr(path, '/');
    struct stat st;
    int rc = am_buf_append(&dir, path, slash ? (size_t)(slash - path) + 1 : 0);
    if (!rc && !slash)
        rc = am_buf_puts(&dir, ".");
    if (!rc && am_buf_printf(&uri, "%s-wal", path) == AM_OK && stat(uri.data, &st) == 0 &&
        st.st_size > 0)
        rc = AM_ENOTFOUND; /* unsaved pages: immutable would hide them */
    if (!rc && access(dir.data, W_OK) == 0)
        rc = AM_ENOTFOUND; /* the folder is writable: a real error */
    am_buf_clear(&uri);
    if (!rc)
        rc = am_buf_puts(&uri, "file:");
    for (const char *p = path; !rc && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/._-~", c))
            rc = am_buf_putc(&uri, (char)c);
        else
            rc = am_buf_printf(&uri, "%%%02X", c);
    }
    if (!rc)
        rc = am_buf_puts(&uri, "?immutable=1");
    if (!rc) {
        sqlite3_close(s->db);
        s->db = NULL;
        int src = sqlite3_open_v2(uri.data, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        if (src != SQLITE_OK)
            rc = AM_ENOTFOUND;
        else
            sqlite3_extended_result_codes(s->db, 1);
    }
    am_buf_free(&dir);
    am_buf_free(&uri);
    if (rc == AM_OK)
        am_error_clear(err);
    return rc;
}

/* A first import killed in bulk mode (bulk_begin) leaves a hot rollback
 * journal, which a read-only connection may not roll back (SQLite:
 * SQLITE_READONLY_ROLLBACK), so until the next write every lookup would
 * fail. When we may write the file, roll it back with a short read-write
 * connection (SQLite does so on the first read) and reopen read-only.
 * Returns AM_ENOTFOUND when that does not apply (the caller keeps its
 * error). */
static int recover_journal(sq_store *s, const char *path, am_error *err)
{
    sqlite3 *rw = NULL;
    if (sqlite3_extended_errcode(s->db) != SQLITE_READONLY_ROLLBACK)
        return AM_ENOTFOUND;
    int rc = sqlite3_open_v2(path, &rw, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(rw, AM_TM_BUSY_MS);
        rc = sqlite3_exec(rw, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
    sqlite3_close(rw);
    if (rc != SQLITE_OK)
        return AM_ENOTFOUND;
    sqlite3_close(s->db);
    s->db = NULL;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return AM_ENOTFOUND;
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, AM_TM_BUSY_MS);
    am_error_clear(err);
    return AM_OK;
}

/* A file without a memory in it yet, read-only: an empty file, or one
 * whose creation was killed before its first commit (the rollback leaves
 * it empty). There is nothing to read, so the reader gets an empty memory
 * of the current schema in RAM rather than "no such table". */
static int open_empty(sq_store *s, am_error *err)
{
    sqlite3_close(s->db);
    s->db = NULL;
    int rc = sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK)
        return am_sqlite_error(err, s->db, rc, "cannot open the memory");
    sqlite3_extended_result_codes(s->db, 1);
    s->in_ram = 1;
    rc = am_schema_migrate(s->db, 0, err);
    /* Read-only like the file: a write fails as it would there. */
    if (!rc && sqlite3_exec(s->db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK)
        rc = am_sqlite_error(err, s->db, sqlite3_errcode(s->db), "cannot open the memory");
    return rc;
}

static int sq_outdated(const void *impl)
{
    const sq_store *s = impl;
    return s->version < AM_TM_SCHEMA_VERSION;
}

static int sq_open(void **out, const char *path, int flags, am_error *err)
{
    int version = 0, rc;
    sq_store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    s->readonly = (flags & AM_TM_READONLY) != 0;
    if ((rc = open_db(s, path, flags, err)))
        goto fail;
    /* SQLite silently opens a file it may not write read-only; say so now
     * rather than at the first write, half-way through an import. */
    if (!s->readonly && sqlite3_db_readonly(s->db, "main") == 1) {
        rc = am_error_set(err, AM_EDB, "the memory is read-only: no permission to write it");
        goto fail;
    }
    /* Check before any write: a newer or foreign file stays untouched. */
    rc = am_schema_check(s->db, &version, err);
    if (rc && s->readonly && recover_journal(s, path, err) == AM_OK)
        rc = am_schema_check(s->db, &version, err);
    if (rc && s->readonly && reopen_immutable(s, path, err) == AM_OK)
        rc = am_schema_check(s->db, &version, err);
    if (!rc && version == 0 && s->readonly && (rc = open_empty(s, err)) == AM_OK)
        version = AM_TM_SCHEMA_VERSION;
    if (rc)
        goto fail;
    /* Versions 2 and 3 only added lexicon tables: a read-only reader of a
     * version 1 memory (one it may not upgrade) reads it and sees an empty
     * lexicon, of a version 2 one loads it the slow way (sqlite_lex.c). */
    if (version < AM_TM_SCHEMA_READABLE && version > 0 && s->readonly) {
        rc = am_error_set(err, AM_ESCHEMA, "the memory needs an upgrade; open it for writing once");
        goto fail;
    }
    s->version = version < AM_TM_SCHEMA_VERSION && s->readonly ? version : AM_TM_SCHEMA_VERSION;
    if ((rc = configure(s, version == 0, err)))
        goto fail;
    if (version < AM_TM_SCHEMA_VERSION && !s->readonly &&
        (rc = am_schema_migrate(s->db, version, err)))
        goto fail;
    *out = s;
    return AM_OK;
fail:
    am_error_at(err, path, -1, -1, -1);
    sq_close(s);
    return rc;
}

/* Bulk mode: a transaction begun on a memory without variants (a first
 * import) runs with a rollback journal instead of the WAL. In WAL mode
 * every page is written twice, to the WAL and by the checkpoint at close
 * into the database; a rollback journal only saves the pages that existed
 * before (none of the new ones: the rollback cuts the file back to its old
 * size), so the pages are written once. Measured on 300,000 units: 24%
 * less CPU, and 1.3 s instead of 7 s from the last unit to the end (commit,
 * checkpoint, deleting the WAL). It is as all-or-nothing as the WAL (a
 * killed import leaves a hot journal that the next open rolls back) and
 * synchronous=FULL keeps it safe on power loss; the price is that readers
 * wait (and time out) while the first import writes, instead of seeing an
 * empty memory. Leaving the WAL needs the memory to ourselves: with another
 * connection open the switch fails at once and the import uses the WAL. */
static void bulk_begin(sq_store *s)
{
    int empty = 0;
    s->bulk = 0;
    if (s->readonly || memory_empty(s, &empty, NULL) || !empty)
        return;
    sqlite3_stmt *st = NULL;
    sqlite3_busy_timeout(s->db, 0);
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        s->bulk = mode && strcmp(mode, "delete") == 0;
    }
    sqlite3_finalize(st);
    sqlite3_busy_timeout(s->db, AM_TM_BUSY_MS);
    if (s->bulk)
        sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
}

/* Back to the WAL after the transaction. Should that fail (a reader holds
 * the file), the memory stays consistent in rollback mode until the next
 * open for writing switches it (configure). */
static void bulk_end(sq_store *s)
{
    if (!s->bulk)
        return;
    s->bulk = 0;
    sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL,
                 NULL);
}

static int sq_begin(void *impl, am_error *err)
{
    sq_store *s = impl;
    bulk_begin(s);
    /* IMMEDIATE takes the write lock now, so two writers queue here rather
     * than deadlocking when both try to upgrade a read lock later. */
    int rc = exec_sql(s, "BEGIN IMMEDIATE", "cannot start writing the memory", err);
    if (!rc && (rc = seen_begin(s, err)) != AM_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc)
        bulk_end(s);
    return rc;
}

static int sq_commit(void *impl, am_error *err)
{
    sq_store *s = impl;
    seen_end(s);
    int rc = sq_fts_flush(s, err);
    /* A first import leaves one FTS5 segment per batch, and every term a
     * lookup reads then costs a seek per segment: merging them (6 s CPU
     * for 1M units) took batch lookup from ~400 to ~540 queries/s. Inside
     * the transaction, so it is all or nothing with the import. */
    if (!rc && s->bulk)
        rc = exec_sql(s, "INSERT INTO variants_fts(variants_fts) VALUES('optimize')",
                      "cannot merge the full-text index", err);
    if (!rc)
        rc = exec_sql(s, "COMMIT", "cannot save to the memory", err);
    if (rc && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    bulk_end(s);
    return rc;
}

static void sq_rollback(void *impl)
{
    sq_store *s = impl;
    if (s && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s) {
        s->fts_from = s->fts_to = 0;
        seen_end(s);
        bulk_end(s);
    }
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* A checksum for a document given without one: FNV-1a over its fields. */
static void doc_checksum(char out[40], const am_document *doc)
{
    const char *f[3] = {doc->title, doc->origin, doc->date};
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 3; i++) {
        const char *p = f[i] ? f[i] : "";
        for (; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL; /* field separator */
    }
    snprintf(out, 40, "meta:%016llx", (unsigned long long)h);
}

static int sq_add_document(void *impl, const am_document *doc, int64_t *id_out, int *existed,
                           am_error *err)
{
    sq_store *s = impl;
    char sum[40], now[40];
    const char *checksum = doc->checksum;
    if (!checksum) {
        doc_checksum(sum, doc);
        checksum = sum;
    }
    *existed = 0;
    sqlite3_stmt *st = sq_stmt(s, SQ_FIND_DOC, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_text(st, 1, checksum, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        *existed = 1;
        sqlite3_reset(st);
        return AM_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, s->db, rc, "cannot look up a document");
    if (!(st = sq_stmt(s, SQ_INS_DOC, err)))
        return err && err->code ? err->code : AM_EDB;
    am_tm_date_now(now);
    bind_opt_text(st, 1, doc->title);
    bind_opt_text(st, 2, doc->origin);
    bind_opt_text(st, 3, doc->date);
    bind_opt_text(st, 4, doc->langs);
    sqlite3_bind_text(st, 5, checksum, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    if ((rc = sq_exec_stmt(s, st, "cannot store a document", err)))
        return rc;
    *id_out = sqlite3_last_insert_rowid(s->db);
    return AM_OK;
}

/* ---------------------------------------------------------------------
 * Units
 * ------------------------------------------------------------------- */

/* Per-variant data computed before writing. */
typedef struct vkey {
    char *key;
    size_t len;
    int64_t khash;
} vkey;

typedef struct add_ctx {
    sq_store *s;
    const am_unit *u;
    vkey *keys;
    size_t src;           /* index of the source variant */
    int64_t merged;       /* an existing unit holding all of ours, or 0 */
    int64_t *conflicts;   /* units with our source and another rendering */
    size_t n_conflicts;
    int scan_all;         /* find every conflict even after a merge target */
    unsigned char *matched, *langseen;
    int borrowed;         /* keys[].key belong to the caller */
} add_ctx;

static size_t source_index(const am_unit *u)
{
    if (u->srclang && strcmp(u->srclang, "*all*") != 0) {
        for (size_t i = 0; i < u->n_variants; i++)
            if (am_tm_lang_matches(u->srclang, u->variants[i].lang))
                return i;
    }
    return 0;
}

static int same_opt(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Compare the stored unit `id` with ours: does it hold every variant of
 * ours (then we merge into it), or a different text in a language we share
 * (a conflicting rendering of the same source)? */
static int compare_unit(add_ctx *c, int64_t id, int *contains, int *conflicts, am_error *err)
{
    const am_unit *u = c->u;
    sqlite3_stmt *st = sq_stmt(c->s, SQ_UNIT_VARIANTS, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    memset(c->matched, 0, u->n_variants);
    memset(c->langseen, 0, u->n_variants);
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        const char *markup = (const char *)sqlite3_column_text(st, 2);
        for (size_t i = 0; i < u->n_variants; i++) {
            const am_variant *v = &u->variants[i];
            if (!lang || strcmp(lang, v->lang) != 0)
                continue;
            c->langseen[i] = 1;
            if (text && strcmp(text, v->text) == 0 && same_opt(markup, v->markup))
                c->matched[i] = 1;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return am_sqlite_error(err, c->s->db, rc, "cannot read a unit");
    *contains = 1;
    *conflicts = 0;
    for (size_t i = 0; i < u->n_variants; i++) {
        if (!c->matched[i])
            *contains = 0;
        if (c->langseen[i] && !c->matched[i])
            *conflicts = 1;
    }
    return AM_OK;
}

/* The stored units sharing our source text, classified. */
static int find_related(add_ctx *c, am_error *err)
{
    const am_variant *sv = &c->u->variants[c->src];
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = AM_OK, step;
    if (!seen_maybe(c->s, c->keys[c->src].khash))
        return AM_OK; /* nothing stored shares the source text */
    sqlite3_stmt *st = sq_stmt(c->s, SQ_FIND_SRC, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_int64(st, 1, c->keys[c->src].khash);
    sqlite3_bind_text(st, 2, sv->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sv->text, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *p = realloc(ids, (cap = cap ? cap * 2 : 8) * sizeof *ids);
            if (!p) {
                rc = am_error_set(err, AM_ENOMEM, "out of memory");
                goto cleanup;
            }
            ids = p;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        rc = am_sqlite_error(err, c->s->db, step, "cannot look up a unit");
        goto cleanup;
    }
    /* The conflicting ids are compacted in place into ids, now owned by c. */
    c->conflicts = ids;
    ids = NULL;
    for (size_t i = 0; i < n && (!c->merged || c->scan_all); i++) {
        int contains = 0, conflicts = 0; /* compare_unit sets both on success */
        int64_t id = c->conflicts[i];
        if (i > 0 && id == c->conflicts[i - 1])
            continue; /* two variants of one unit with our source text */
        if ((rc = compare_unit(c, id, &contains, &conflicts, err)))
            goto cleanup;
        if (contains && !c->merged)
            c->merged = id;
        else if (conflicts)
            c->conflicts[c->n_conflicts++] = id;
    }
cleanup:
    free(ids);
    return rc;
}

static int merge_into(add_ctx *c, int64_t id, int count_use, am_error *err)
{
    const am_unit *u = c->u;
    char date[20];
    sqlite3_stmt *st = sq_stmt(c->s, SQ_MERGE, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, count_use ? (u->usagecount > 0 ? u->usagecount : 1) : u->usagecount);
    if (u->changedate && am_tm_date_tmx(date, u->changedate) == AM_OK)
        sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, count_use);
    int rc = sq_exec_stmt(c->s, st, "cannot update a unit", err);
    if (rc || u->document <= 0)
        return rc;
    if (!(st = sq_stmt(c->s, SQ_INS_SOURCE, err)))
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, u->document);
    sqlite3_bind_int64(st, 3, u->position);
    return sq_exec_stmt(c->s, st, "cannot record where a unit comes from", err);
}

static int insert_props(add_ctx *c, int64_t unit, int64_t variant, int kind, const am_prop *p,
                        size_t n, am_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = sq_stmt(c->s, SQ_INS_PROP, err);
        if (!st)
            return err && err->code ? err->code : AM_EDB;
        sqlite3_bind_int64(st, 1, unit);
        if (variant)
            sqlite3_bind_int64(st, 2, variant);
        sqlite3_bind_int(st, 3, kind);
        bind_opt_text(st, 4, p[i].type);
        bind_opt_text(st, 5, p[i].lang);
        sqlite3_bind_text(st, 6, p[i].value ? p[i].value : "", -1, SQLITE_STATIC);
        int rc = sq_exec_stmt(c->s, st, "cannot store a property", err);
        if (rc)
            return rc;
    }
    return AM_OK;
}

/* Bind a date in TMX form when it parses, else as given (a foreign TMX
 * may carry any string; we keep it rather than lose it). */
static void bind_date(sqlite3_stmt *st, int i, const char *in, char buf[20], const char *dflt)
{
    if (in && am_tm_date_tmx(buf, in) == AM_OK)
        sqlite3_bind_text(st, i, buf, -1, SQLITE_STATIC);
    else
        bind_opt_text(st, i, in ? in : dflt);
}

/* am_tm_date_now(), formatted once a second: strftime per unit was ~1.5%
 * of the writer thread of an import. */
static const char *date_now(sq_store *s)
{
    long long t = (long long)time(NULL);
    if (t != s->now_t || !s->now[0]) {
        am_tm_date_now(s->now);
        s->now_t = t;
    }
    return s->now;
}

static int insert_unit_row(add_ctx *c, int64_t *id_out, am_error *err)
{
    const am_unit *u = c->u;
    char cdate[20], mdate[20], udate[20];
    sqlite3_stmt *st = sq_stmt(c->s, SQ_INS_UNIT, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    const char *now = date_now(c->s);
    if (u->document > 0)
        sqlite3_bind_int64(st, 1, u->document);
    if (u->position >= 0)
        sqlite3_bind_int64(st, 2, u->position);
    if (u->confidence >= 0)
        sqlite3_bind_double(st, 3, u->confidence);
    bind_opt_text(st, 4, u->tuid);
    bind_opt_text(st, 5, u->srclang);
    bind_date(st, 6, u->creationdate, cdate, now);
    bind_opt_text(st, 7, u->creationid);
    bind_date(st, 8, u->changedate ? u->changedate : u->creationdate, mdate, now);
    bind_opt_text(st, 9, u->changeid);
    sqlite3_bind_int64(st, 10, u->usagecount > 0 ? u->usagecount : 0);
    bind_date(st, 11, u->lastusagedate, udate, NULL);
    int rc = sq_exec_stmt(c->s, st, "cannot store a unit", err);
    if (!rc)
        *id_out = sqlite3_last_insert_rowid(c->s->db);
    return rc;
}

static int insert_unit(add_ctx *c, int64_t *id_out, am_error *err)
{
    const am_unit *u = c->u;
    int64_t id = 0;
    int rc = insert_unit_row(c, &id, err);
    if (!rc)
        rc = insert_props(c, id, 0, 0, u->props, u->n_props, err);
    if (!rc)
        rc = insert_props(c, id, 0, 1, u->notes, u->n_notes, err);
    for (size_t i = 0; i < u->n_variants && !rc; i++) {
        const am_variant *v = &u->variants[i];
        sqlite3_stmt *st = sq_stmt(c->s, SQ_INS_VARIANT, err);
        if (!st)
            return err && err->code ? err->code : AM_EDB;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, v->lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, v->text, -1, SQLITE_STATIC);
        bind_opt_text(st, 4, v->markup);
        sqlite3_bind_text(st, 5, c->keys[i].key, (int)c->keys[i].len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, c->keys[i].khash);
        char cdate[20], mdate[20];
        bind_date(st, 7, v->creationdate, cdate, NULL);
        bind_opt_text(st, 8, v->creationid);
        bind_date(st, 9, v->changedate, mdate, NULL);
        bind_opt_text(st, 10, v->changeid);
        if ((rc = sq_exec_stmt(c->s, st, "cannot store a variant", err)))
            break;
        int64_t vid = sqlite3_last_insert_rowid(c->s->db);
        seen_add(c->s, c->keys[i].khash);
        rc = fts_pending(c->s, vid, err);
        if (!rc)
            rc = insert_props(c, id, vid, 0, v->props, v->n_props, err);
        if (!rc)
            rc = insert_props(c, id, vid, 1, v->notes, v->n_notes, err);
    }
    *id_out = id;
    return rc;
}

static int delete_unit(add_ctx *c, int64_t id, am_error *err)
{
    /* The delete trigger removes the rows from FTS: they must be in it. */
    int rc = sq_fts_flush(c->s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = sq_stmt(c->s, SQ_DEL_UNIT, err);
    if (!st)
        return err && err->code ? err->code : AM_EDB;
    sqlite3_bind_int64(st, 1, id);
    return sq_exec_stmt(c->s, st, "cannot replace a unit", err);
}

/* The keys given by the caller (borrowed: c->borrowed) or computed here. */
static int prepare_keys(add_ctx *c, char *const *given, const size_t *lens, am_error *err)
{
    const am_unit *u = c->u;
    c->borrowed = given != NULL;
    for (size_t i = 0; i < u->n_variants; i++) {
        const am_variant *v = &u->variants[i];
        if (!v->lang || !v->lang[0] || !v->text)
            return am_error_set(err, AM_EINPUT, "a variant without language or text");
        if (given) {
            c->keys[i].key = given[i];
            c->keys[i].len = lens[i];
        } else {
            int rc = am_normalize(&c->keys[i].key, &c->keys[i].len, v->text, strlen(v->text),
                                  err);
            if (rc)
                return rc;
        }
        c->keys[i].khash = am_tm_key_hash(v->lang, c->keys[i].key, c->keys[i].len);
    }
    return AM_OK;
}

/* Decide and write, inside the unit's savepoint. */
static int add_unit_body(add_ctx *c, int on_dup, int64_t *id, int *outcome, am_error *err)
{
    int mode = on_dup & ~AM_DUP_COUNT_USE;
    c->scan_all = mode == AM_DUP_REPLACE;
    int rc = find_related(c, err);
    if (rc)
        return rc;
    if (c->merged) {
        /* With replace, other renderings go even when ours is stored. */
        *id = c->merged;
        *outcome = c->n_conflicts && mode == AM_DUP_REPLACE ? AM_TM_REPLACED : AM_TM_MERGED;
        for (size_t i = 0; i < c->n_conflicts && mode == AM_DUP_REPLACE && !rc; i++)
            rc = delete_unit(c, c->conflicts[i], err);
        return rc ? rc : merge_into(c, c->merged, (on_dup & AM_DUP_COUNT_USE) != 0, err);
    }
    *outcome = AM_TM_ADDED;
    if (c->n_conflicts && mode == AM_DUP_SKIP) {
        *id = c->conflicts[0];
        *outcome = AM_TM_SKIPPED;
        return AM_OK;
    }
    if (c->n_conflicts && mode == AM_DUP_REPLACE) {
        for (size_t i = 0; i < c->n_conflicts && !rc; i++)
            rc = delete_unit(c, c->conflicts[i], err);
        *outcome = AM_TM_REPLACED;
    }
    return rc ? rc : insert_unit(c, id, err);
}

static int sq_add_unit(void *impl, const am_unit *u, char *const *keys, const size_t *key_lens,
                       int on_dup, int64_t *id_out, int *outcome, am_error *err)
{
    sq_store *s = impl;
    add_ctx c = {.s = s, .u = u};
    int64_t id = 0;
    int out = AM_TM_ADDED, rc;
    if (u->n_variants == 0)
        return am_error_set(err, AM_EINPUT, "a unit without variants");
    c.keys = calloc(u->n_variants, sizeof *c.keys);
    c.matched = calloc(u->n_variants, 2);
    if (!c.keys || !c.matched) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    c.langseen = c.matched + u->n_variants;
    c.src = source_index(u);
    if ((rc = prepare_keys(&c, keys, key_lens, err)))
        goto cleanup;
    /* Outside a transaction the unit gets its own (a savepoint). Inside
     * one there is none: a savepoint per unit makes SQLite journal every
     * page a unit touches, which cost 80% of a large import; the caller
     * rolls back its transaction on error instead. */
    int own = sqlite3_get_autocommit(s->db);
    if (own && (rc = sq_exec_stmt(s, sq_stmt(s, SQ_SAVEPOINT, err), "cannot write the memory", err)))
        goto cleanup;
    rc = add_unit_body(&c, on_dup, &id, &out, err);
    if (!rc && own)
        rc = sq_fts_flush(s, err);
    if (rc && own) {
        sq_exec_stmt(s, sq_stmt(s, SQ_ROLLBACK_TO, NULL), "", NULL);
        sq_exec_stmt(s, sq_stmt(s, SQ_RELEASE, NULL), "", NULL);
        s->fts_from = s->fts_to = 0;
    } else if (own) {
        rc = sq_exec_stmt(s, sq_stmt(s, SQ_RELEASE, err), "cannot write the memory", err);
    }
cleanup:
    for (size_t i = 0; c.keys && !c.borrowed && i < u->n_variants; i++)
        free(c.keys[i].key);
    free(c.keys);
    free(c.matched);
    free(c.conflicts);
    if (!rc) {
        if (id_out)
            *id_out = id;
        if (outcome)
            *outcome = out;
    }
    return rc;
}

sqlite3 *am_sqlite_store_db(void *impl)
{
    return ((sq_store *)impl)->db;
}

const am_tm_backend am_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .add_document = sq_add_document,
    .add_unit = sq_add_unit,
    .foreach = sq_foreach,
    .candidates = sq_candidates,
    .stats = sq_stats,
    .documents = sq_documents,
    .lexicon_update = sq_lexicon_update,
    .lexicon_load = sq_lexicon_load,
    .lexicon_status = sq_lexicon_status,
    .outdated = sq_outdated,
    .lexicon_load_linkable = sq_lexicon_load_linkable,
    .lexicon_pairs = sq_lexicon_pairs,
};
