/* sqlite_lex.h - private to the SQLite backend's lexicon counts
 * (sqlite_lex.c; tables in schema.c, version 2); the backend entries are
 * declared in sqlite_store.h. */
#ifndef AM_TM_SQLITE_LEX_H
#define AM_TM_SQLITE_LEX_H

#include "sqlite_store.h"

/* Units counted in memory between two writes of the counts (default
 * SQ_LEX_FLUSH_UNITS); returns the previous value. For tests, which set a
 * small one to cross flush boundaries; n = 0 restores the default. */
#define SQ_LEX_FLUSH_UNITS 100000
size_t sq_lexicon_flush_every(size_t n);

#endif
