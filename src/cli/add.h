/* add.h - what cmd_add.c (one document) and add_batch.c (many) share. */
#ifndef AM_CLI_ADD_H
#define AM_CLI_ADD_H

#include "alignmem.h"

#define MAX_VERSIONS 16

typedef struct add_args {
    const char *db, *title, *origin, *date, *langs, *aligned;
    const char *list, *folder; /* batch */
    int presegmented, quiet;
} add_args;

/* Store one document and its beads in one transaction (nothing when the
 * same document is stored already); with learn, the memory's lexicon
 * learns the new units in that transaction. *stored (may be NULL) grows by
 * the units stored. Prints the summary line unless a->quiet. */
int add_store(const add_args *a, am_tm *tm, am_text *const *texts, size_t n,
              const am_alignment *al, const char *title, int learn, long *stored,
              am_error *err);

/* Join the sentences [b, e) of t with one space into out (cleared
 * first, NUL-terminated): a bead side as the memory stores it. */
int add_join_sentences(am_buf *out, const am_text *t, size_t b, size_t e);
/* Split a --lang list ("en,uk") in place: *list is a copy the caller
 * frees (NULL for no --lang), langs[] points into it. */
int add_split_langs(char **list, char *langs[MAX_VERSIONS], size_t *n, const char *arg,
                    am_error *err);

/* add_batch.c: check the options of a batch add (n positional files);
 * EXIT_OK or a usage error (printed). */
int add_batch_check(const add_args *a, const char *cmd, int n);
/* Align, learn, align again and store every document of --list/--folder;
 * returns an exit code. */
int add_batch(const add_args *a);

#endif
