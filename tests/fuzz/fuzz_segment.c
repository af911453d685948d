/* fuzz_segment.c - the text input path: UTF-8 validation, BOM/CRLF
 * handling, language tables and the segmenter's repair pass. The first
 * byte picks the language and whether the input is pre-segmented; every
 * result must satisfy the segment invariants, or we abort. */
#include "alignmem.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {"uk", "ru", "en", "de"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    am_error err;
    am_error_clear(&err);
    am_text *t = NULL;
    int preseg = (data[0] >> 2) & 1;
    if (am_text_from_bytes(&t, (const char *)data + 1, size - 1, "fuzz", langs[data[0] & 3],
                           preseg, &err) != AM_OK)
        return 0;
    size_t prev_end = 0;
    int prev_par = 0;
    for (size_t i = 0; i < t->n_segs; i++) {
        const am_segment *s = &t->segs[i];
        /* Sentences are non-empty, in order, inside the text, and
         * paragraph numbers never go back. */
        if (s->length == 0 || s->offset < prev_end || s->offset + s->length > t->size ||
            s->paragraph < prev_par || s->paragraph >= t->n_paragraphs)
            abort();
        prev_end = s->offset + s->length;
        prev_par = s->paragraph;
    }
    am_text_free(t);
    return 0;
}
