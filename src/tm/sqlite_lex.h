/* sqlite_lex.h - private to the SQLite backend's lexicon counts
 * (sqlite_lex.c; tables in schema.c, versions 2 and 3); the backend
 * entries are declared in sqlite_store.h. */
#ifndef AM_TM_SQLITE_LEX_H
#define AM_TM_SQLITE_LEX_H

#include "sqlite_store.h"

/* Units counted in memory between two writes of the counts (default
 * SQ_LEX_FLUSH_UNITS); returns the previous value. For tests, which set a
 * small one to cross flush boundaries; n = 0 restores the default. */
#define SQ_LEX_FLUSH_UNITS 100000
size_t sq_lexicon_flush_every(size_t n);
/* Units to learn past which an update is large (default 100,000; see
 * sqlite_lex.c); returns the previous value, n = 0 restores the default.
 * For tests. */
size_t sq_lexicon_big_update(size_t n);

/* Add to lex_cand every pair linkable now (schema.c): the migration to
 * version 3, and the end of a large update, run it. The test is
 * lx_link_pair's with a little slack for rounding (Dice in floating point
 * here and there): an extra candidate costs a row, a missing one a link. */
#define SQ_STR_(x) #x
#define SQ_STR(x) SQ_STR_(x)
#define SQ_LEX_CAND_FILL                                                                          \
    "INSERT OR IGNORE INTO lex_cand(pair, a, b) SELECT l.pair, l.a, l.b FROM lex_links l"        \
    " JOIN lex_words wa ON wa.pair = l.pair AND wa.stem = l.a"                                    \
    " JOIN lex_words wb ON wb.pair = l.pair AND wb.stem = l.b"                                    \
    " WHERE l.units >= " SQ_STR(LX_LINK_MIN_BOTH) " AND 2.000001 * l.units >= " SQ_STR(           \
        LX_LINK_MIN_SCORE) " * (max(wa.units, l.units) + max(wb.units, l.units))"

#endif
