/*
 * schema.c - the SQLite schema of a memory, its version and migrations.
 *
 * A memory is marked by PRAGMA application_id = AM_TM_APPLICATION_ID and
 * carries its schema version in PRAGMA user_version. Migrations are a table
 * of SQL steps: steps[i] takes version i to version i + 1, all applied in
 * one transaction, so a memory is never left half-migrated. A memory with a
 * higher version than ours was written by a newer alignmem: we refuse it
 * before writing anything (not even the WAL switch, which rewrites the file
 * header).
 *
 * Version 1:
 *   documents  one row per added statement or imported document; checksum
 *              is its identity (re-adding is a no-op).
 *   units      one row per translation unit (TMX tu, or an aligned bead):
 *              provenance (document, position = bead number, confidence =
 *              bead score) and the TMX attributes; usagecount counts merges.
 *   variants   one row per language version (TMX tuv): text exactly as
 *              written, markup = the <seg> XML when it held inline codes,
 *              key = am_normalize(text), khash = hash of (lang, key) for
 *              exact matches through a small integer index (an index on
 *              (lang, key) would copy every key once more: ~40% of the file).
 *   props      TMX prop (kind 0) and note (kind 1) of a unit (variant NULL)
 *              or of one variant.
 *   sources    further provenance of a merged unit (the first is in units).
 *   variants_fts  FTS5 over variants.key, external content, unicode61
 *              without diacritics removal (й, ї, ё stay distinct letters).
 *              New variants are indexed in batches by the store (one
 *              INSERT ... SELECT per batch: FTS5 flushes its pending terms
 *              at every statement savepoint, so a row at a time made it
 *              write a tiny segment per variant); deletes and key updates
 *              go through triggers, so cascaded deletes update it too.
 *
 * Version 2 adds the lexicon counts (see sqlite_lex.c), per language pair:
 *   lex_pairs  a language pair (primary subtags, lang_a < lang_b) and the
 *              number of units learned from.
 *   lex_stems  stem texts per language, numbered.
 *   lex_words  (pair, stem): units of the pair holding the stem.
 *   lex_links  (pair, a, b): units holding stem a (lang_a) and stem b
 *              (lang_b); lex_links_b finds the pairs of a stem b.
 *   lex_state  'watermark': the last unit id learned from.
 *
 * Version 3 adds lex_cand (pair, a, b): the pairs that were linkable (the
 * aligner's thresholds, LX_LINK_* in src/lexicon/lexicon.h) when their
 * count last grew. A pair's Dice score rises only when its own count
 * does (a unit holding one stem alone lowers it), so every pair linkable
 * now is there, and loading for aligning reads a few candidates per stem
 * instead of all its pairs (on 1M units, a frequent stem has thousands).
 * Pairs that fell below stay; the loader checks each. Changing LX_LINK_*
 * needs a migration that rebuilds it.
 */
#include "sqlite_lex.h"
#include "store.h"

#include "lexicon/lexicon.h"

#include <stdio.h>

static const char *const steps[AM_TM_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE documents("
    " id INTEGER PRIMARY KEY,"
    " title TEXT, origin TEXT, date TEXT, langs TEXT,"
    " checksum TEXT NOT NULL UNIQUE,"
    " added TEXT NOT NULL);"
    "CREATE TABLE units("
    " id INTEGER PRIMARY KEY,"
    " document INTEGER REFERENCES documents(id) ON DELETE SET NULL,"
    " position INTEGER, confidence REAL,"
    " tuid TEXT, srclang TEXT,"
    " creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT,"
    " usagecount INTEGER NOT NULL DEFAULT 0, lastusagedate TEXT);"
    "CREATE INDEX units_document ON units(document);"
    "CREATE TABLE variants("
    " id INTEGER PRIMARY KEY,"
    " unit INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
    " lang TEXT NOT NULL, text TEXT NOT NULL, markup TEXT,"
    " key TEXT NOT NULL, khash INTEGER NOT NULL,"
    " creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT);"
    "CREATE INDEX variants_unit ON variants(unit, lang);"
    "CREATE INDEX variants_khash ON variants(khash);"
    "CREATE TABLE props("
    " id INTEGER PRIMARY KEY,"
    " unit INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
    " variant INTEGER," /* no FK: deleted with its unit */
    " kind INTEGER NOT NULL,"
    " type TEXT, lang TEXT, value TEXT NOT NULL);"
    "CREATE INDEX props_unit ON props(unit);"
    "CREATE TABLE sources("
    " unit INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
    " document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY(unit, document, position)) WITHOUT ROWID;"
    "CREATE INDEX sources_document ON sources(document);"
    "CREATE VIRTUAL TABLE variants_fts USING fts5(key, content='variants',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 0');"
    /* FTS5 keeps new terms in a hash and writes a segment when it holds
     * 'hashsize' bytes (default 1 MB); segments are then merged again and
     * again. 32 MB cut the FTS share of a large import by two thirds. */
    "INSERT INTO variants_fts(variants_fts, rank) VALUES ('hashsize', 33554432);"
    "CREATE TRIGGER variants_ad AFTER DELETE ON variants BEGIN"
    " INSERT INTO variants_fts(variants_fts, rowid, key)"
    " VALUES ('delete', old.id, old.key); END;"
    "CREATE TRIGGER variants_au AFTER UPDATE OF key ON variants BEGIN"
    " INSERT INTO variants_fts(variants_fts, rowid, key)"
    " VALUES ('delete', old.id, old.key);"
    " INSERT INTO variants_fts(rowid, key) VALUES (new.id, new.key); END;",
    /* 1 -> 2: the lexicon counts (sqlite_lex.c). Integer stem ids keep
     * the big tables small (a stem text once, in lex_stems); WITHOUT ROWID
     * tables are their own primary-key index. */
    "CREATE TABLE lex_pairs("
    " id INTEGER PRIMARY KEY,"
    " lang_a TEXT NOT NULL, lang_b TEXT NOT NULL,"
    " units INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(lang_a, lang_b));"
    "CREATE TABLE lex_stems("
    " id INTEGER PRIMARY KEY,"
    " lang TEXT NOT NULL, stem TEXT NOT NULL,"
    " UNIQUE(lang, stem));"
    "CREATE TABLE lex_words("
    " pair INTEGER NOT NULL, stem INTEGER NOT NULL, units INTEGER NOT NULL,"
    " PRIMARY KEY(pair, stem)) WITHOUT ROWID;"
    "CREATE TABLE lex_links("
    " pair INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL,"
    " units INTEGER NOT NULL,"
    " PRIMARY KEY(pair, a, b)) WITHOUT ROWID;"
    "CREATE INDEX lex_links_b ON lex_links(pair, b);"
    "CREATE TABLE lex_state(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;",
    /* 2 -> 3: the candidate links, from the counts already there. */
    "CREATE TABLE lex_cand("
    " pair INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL,"
    " PRIMARY KEY(pair, a, b)) WITHOUT ROWID;" SQ_LEX_CAND_FILL ";",
};

int am_sqlite_error(am_error *err, sqlite3 *db, int rc, const char *doing)
{
    int code;
    const char *hint = "";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = AM_EBUSY;
        hint = " (another program is writing the memory; try again later)";
        break;
    case SQLITE_FULL: code = AM_EFULL; break;
    case SQLITE_NOMEM: code = AM_ENOMEM; break;
    case SQLITE_NOTADB: code = AM_ESCHEMA; hint = " (not an alignmem memory)"; break;
    case SQLITE_CANTOPEN: code = AM_EIO; break;
    case SQLITE_IOERR: code = AM_EIO; break;
    case SQLITE_READONLY: code = AM_EDB; hint = " (the memory is read-only)"; break;
    default: code = AM_EDB;
    }
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return am_error_set(err, code, "%s: %s%s", doing, msg, hint);
}

static int pragma_int(sqlite3 *db, const char *sql, int *out, am_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        am_sqlite_error(err, db, rc, "cannot read the memory");
        sqlite3_finalize(st);
        return err ? err->code : AM_EDB;
    }
    sqlite3_finalize(st);
    return AM_OK;
}

int am_schema_check(sqlite3 *db, int *version_out, am_error *err)
{
    int app = 0, version = 0, objects = 0, rc;
    *version_out = 0;
    if ((rc = pragma_int(db, "PRAGMA application_id", &app, err)) ||
        (rc = pragma_int(db, "PRAGMA user_version", &version, err)) ||
        (rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &objects, err)))
        return rc;
    if (version > AM_TM_SCHEMA_VERSION && app == AM_TM_APPLICATION_ID)
        return am_error_set(err, AM_ESCHEMA,
                            "the memory has schema version %d, newer than this alignmem "
                            "understands (%d): upgrade alignmem",
                            version, AM_TM_SCHEMA_VERSION);
    if ((version == 0 && objects > 0) || (version > 0 && app != AM_TM_APPLICATION_ID))
        return am_error_set(err, AM_ESCHEMA, "an SQLite database, but not an alignmem memory");
    *version_out = version;
    return AM_OK;
}

int am_schema_migrate(sqlite3 *db, int from_version, am_error *err)
{
    char sql[128];
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return am_sqlite_error(err, db, rc, "cannot lock the memory to set it up");
    /* Re-check under the lock: another process may have migrated it. */
    int now = 0;
    if (am_schema_check(db, &now, err))
        goto fail;
    for (int v = now; v < AM_TM_SCHEMA_VERSION; v++) {
        rc = sqlite3_exec(db, steps[v], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            am_sqlite_error(err, db, rc, "cannot set up the memory schema");
            goto fail;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             AM_TM_APPLICATION_ID, AM_TM_SCHEMA_VERSION);
    if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        am_sqlite_error(err, db, rc, "cannot set up the memory schema");
        goto fail;
    }
    (void)from_version;
    return AM_OK;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return err && err->code ? err->code : AM_EDB;
}
