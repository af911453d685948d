/* lexicons.h - the memory's lexicons for the versions being aligned (align
 * --db, add): one am_lexicon per pair of their languages, holding the
 * counts of the stems they contain (am_tm_lexicon_load). */
#ifndef AM_CLI_LEXICONS_H
#define AM_CLI_LEXICONS_H

#include "alignmem.h"

typedef struct cli_lexicons {
    am_lexicon **lx;
    size_t n;
    const am_lexicon **use; /* those with counts, for am_align_opts */
    size_t n_use;
} cli_lexicons;

#define CLI_LEXICONS_INIT {NULL, 0, NULL, 0}

/* For each pair of different languages (primary subtags) among texts[0..n)
 * (the versions of one or of many documents), a lexicon wanting the stems
 * of those texts, loaded from tm when tm is not NULL. A pair the memory
 * knows nothing of is dropped unless keep_empty (batch add counts into
 * it, so then all the counts of the stem pairs within are loaded, else
 * only the pairs the aligner can link). Lexicons owned by out:
 * cli_lexicons_free(). */
int cli_lexicons_load(cli_lexicons *out, am_tm *tm, am_text *const *texts, size_t n,
                      int keep_empty, am_error *err);
/* The lexicon of languages a and b (either order), or NULL (borrowed). */
am_lexicon *cli_lexicons_find(const cli_lexicons *l, const char *a, const char *b, int *swapped);
/* Add every count of src to dst (same languages, same order). */
int cli_lexicon_merge(am_lexicon *dst, const am_lexicon *src, am_error *err);
/* Point opts at the lexicons holding any counts (borrowed: keep l alive
 * and unchanged while aligning). */
int cli_lexicons_opts(cli_lexicons *l, am_align_opts *opts);
void cli_lexicons_free(cli_lexicons *l);

/* Open the memory for align --db / lexicon: for writing when the file and
 * its folder are writable (then the lexicon is brought up to date), else
 * read-only. *missing = 1 (and NULL returned, nothing printed) when the
 * file does not exist; on other errors prints them and returns NULL. */
am_tm *cli_open_memory_for_lexicon(const char *opt_db, int *missing, int quiet);

#endif
