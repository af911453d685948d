/* tmx_dump.h - a canonical text rendering of everything am_tmx_read
 * delivers, so that tests compare whole files in one assertion. */
#ifndef AM_TEST_TMX_DUMP_H
#define AM_TEST_TMX_DUMP_H

#include "alignmem.h"

/* What a read produced: the header and units as text, warnings counted. */
typedef struct tmx_dump {
    am_buf header;
    am_buf units;
    am_buf warnings;
    long n_units, n_warnings;
    am_tmx_header hdr_copy; /* owned copies, for writing the file again */
    void *hdr_store;
} tmx_dump;

/* Read path into d (zeroed first); returns am_tmx_read's code. */
int tmx_dump_read(tmx_dump *d, const char *path, am_error *err);
void tmx_dump_free(tmx_dump *d);
/* Append one unit's rendering (the format of tmx_dump.units). */
int tmx_dump_unit(am_buf *b, const am_unit *u);

/* Read in_path and write it out again to fp as TMX (header kept). */
int tmx_copy(FILE *fp, const char *in_path, int region, am_error *err);

/* The fixed sample memory of the client tests: 3 units in en/uk/ru (the
 * third lacks ru), written as a pair export (src,tgt: only units having
 * both, source first) or, with src NULL, a full one. */
int tmx_write_sample(FILE *fp, const char *src, const char *tgt, int region, am_error *err);

#endif
