/* test_band.c - the band of the banded DP grows only where the path
 * comes near its edge (al_band_grow, used by banded_pass in nway.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "align/align.h"

/* A path of 1-1 beads from (0,0) to (n,n), but for k in [from, to) bead
 * k ends at (k + 1, k + 1 + shift): a 1-(1+shift) bead out, then 1-0
 * beads back to the diagonal. */
static al_path diagonal_path(size_t n, size_t from, size_t to, size_t shift)
{
    al_path p;
    memset(&p, 0, sizeof p);
    p.b = calloc(n, sizeof *p.b);
    assert_non_null(p.b);
    p.n = p.cap = n;
    size_t pj = 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = k + 1 + (k >= from && k < to ? shift : 0);
        if (j < pj)
            j = pj;
        if (k + 1 == n)
            j = n;
        p.b[k] = (al_bead){k, k + 1, pj, j, 0, 1};
        pj = j;
    }
    return p;
}

static void test_grow_where_touched(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    const size_t n = 30, w = 3;
    al_path straight = diagonal_path(n, 0, 0, 0);
    al_band band, grown;
    memset(&band, 0, sizeof band);
    memset(&grown, 0, sizeof grown);
    assert_int_equal(al_band_around(&band, &straight, n, n, w, &err), AM_OK);
    /* Row 10's cells: the beads ending at (10,10) and (11,11), +-3. */
    assert_int_equal(band.lo[10], 6);
    assert_int_equal(band.hi[10], 14);
    /* One bead end two columns short of the edge: (10, 13). */
    al_path detour = diagonal_path(n, 9, 10, 3);
    assert_int_equal(detour.b[9].q1, 13);
    assert_int_equal(al_band_grow(&grown, &band, &detour, n, w, &err), AM_OK);
    assert_int_equal(grown.rows, band.rows);
    for (size_t i = 0; i < band.rows; i++) {
        size_t hi = band.hi[i];
        if (i >= 7 && i <= 13 && hi < 16)
            hi = 16; /* rows 10 +- 3 take columns 13 +- 3 */
        assert_int_equal(grown.lo[i], band.lo[i]);
        assert_int_equal(grown.hi[i], hi);
    }
    assert_true(grown.off[grown.rows] > band.off[band.rows]);
    assert_true(grown.off[grown.rows] < band.off[band.rows] + 7 * 6);
    al_band_free(&grown);
    /* A path that stays clear of the edges grows nothing. */
    assert_int_equal(al_band_grow(&grown, &band, &straight, n, w, &err), AM_OK);
    assert_memory_equal(grown.lo, band.lo, band.rows * sizeof *band.lo);
    assert_memory_equal(grown.hi, band.hi, band.rows * sizeof *band.hi);
    al_band_free(&grown);
    /* The matrix edges are not band edges: the last rows end at n. */
    assert_int_equal(band.hi[n], n);
    al_band_free(&band);
    al_path_free(&straight);
    al_path_free(&detour);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_where_touched),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
