/* tsv_read.h - reading back an alignment a reviewer corrected (issue #7).
 *
 * `alignmem align --format tsv` writes a header line naming the versions
 * (their language codes, "en.2" for a second English one) and "score", then
 * one line a bead: one cell a version holding the bead's sentences joined
 * by a space, then the confidence. A translator corrects it in a
 * spreadsheet or editor (moves a sentence to the neighbouring bead, splits
 * or joins beads) and the corrected beads are stored, not re-aligned.
 *
 * The edit is checked against the versions it was made from, segmented as
 * they were then (same files, same --lang and --presegmented), so that no
 * sentence is lost, duplicated, cut in two or changed on the way:
 *  - every sentence of every version appears exactly once, whole, in order;
 *    white space inside and between sentences does not matter, and cells a
 *    spreadsheet wrapped in double quotes ("" for ") are unquoted;
 *  - the header names every version once, and "score"; columns may be
 *    reordered; every line has as many cells as the header;
 *  - the score cell is a confidence in [0, 1] ("0,93" accepted), empty for
 *    a bead the reviewer made (stored as 1: a person confirmed it), or
 *    "delete" to keep that bead out of the memory. Deleting a whole line is
 *    refused as a lost sentence: a lost sentence and a deleted line look
 *    the same in the file, and silently losing text is the worse mistake;
 *  - lines whose cells are all empty are ignored; CRLF line ends and a
 *    UTF-8 byte order mark (as spreadsheets write them) are accepted.
 */
#ifndef AM_REPORT_TSV_READ_H
#define AM_REPORT_TSV_READ_H

#include "alignmem.h"

/*
 * Read the corrected TSV at path ("-" is stdin) made from versions[0..n).
 * On success *out holds the kept beads in file order (beads marked
 * "delete" are left out, so their sentences belong to no bead); it is owned
 * by the caller: am_alignment_free(). On a malformed edit returns AM_EINPUT
 * with the file and line in err and the fault in words (which sentence, of
 * which version, lost, duplicated, cut or changed); AM_EIO when the file
 * cannot be read; nothing is returned then.
 */
int am_aligned_tsv_read(am_alignment **out, const char *path, const am_text *const *versions,
                        size_t n, am_error *err);

#endif
