/* fuzz_align.c - the aligner's input path: the input is cut into two or
 * three versions at 0xFF bytes (never valid UTF-8, so never inside a
 * version), each loaded pre-segmented, then aligned. Every alignment must
 * be monotone and cover every sentence exactly once, or we abort. */
#include "alignmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {"uk", "ru", "en"};

static void check(const am_alignment *a, am_text *const *v, size_t n)
{
    if (a->n_versions != n)
        abort();
    for (size_t k = 0; k < n; k++) {
        size_t next = 0;
        for (size_t b = 0; b < a->n_beads; b++) {
            if (AM_BEAD_BEGIN(a, b, k) != next || AM_BEAD_END(a, b, k) < next)
                abort();
            next = AM_BEAD_END(a, b, k);
        }
        if (next != v[k]->n_segs)
            abort();
    }
    for (size_t b = 0; b < a->n_beads; b++)
        if (!(a->score[b] >= 0.0 && a->score[b] <= 1.0))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    am_text *v[3] = {NULL, NULL, NULL};
    size_t n = 0, start = 0;
    am_error err;
    am_error_clear(&err);
    for (size_t i = 0; i <= size && n < 3; i++) {
        if (i == size || data[i] == 0xFF) {
            if (am_text_from_bytes(&v[n], (const char *)data + start, i - start, "fuzz",
                                   langs[n], 1, &err) != AM_OK)
                goto cleanup;
            n++;
            start = i + 1;
        }
    }
    if (n >= 2) {
        am_alignment *a = NULL;
        if (am_align(&a, (const am_text *const *)v, n, NULL, &err) == AM_OK) {
            check(a, v, n);
            am_alignment_free(a);
        }
    }
cleanup:
    for (size_t k = 0; k < 3; k++)
        am_text_free(v[k]);
    return 0;
}
