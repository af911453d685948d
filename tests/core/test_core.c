/* test_core.c - error object and buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignmem.h"

static void test_error_first_wins(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(err.code, AM_OK);
    assert_int_equal(am_error_set(&err, AM_EINPUT, "bad byte %d", 7), AM_EINPUT);
    assert_int_equal(am_error_set(&err, AM_EIO, "later"), AM_EIO);
    assert_int_equal(err.code, AM_EINPUT);
    assert_string_equal(err.message, "bad byte 7");
    am_error_at(&err, "a.txt", 3, 5, 42);
    am_error_at(&err, "b.txt", 9, 9, 9);
    assert_string_equal(err.where, "a.txt");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 5);
    assert_int_equal(err.offset, 42);
    assert_string_equal(am_strerror(AM_ENOMEM), "out of memory");
    /* NULL error objects are allowed everywhere. */
    assert_int_equal(am_error_set(NULL, AM_EIO, "x"), AM_EIO);
}

static void test_buf_grow_and_detach(void **state)
{
    (void)state;
    am_buf b = AM_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(am_buf_printf(&b, "%d,", i), AM_OK);
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    size_t len;
    char *p = am_buf_detach(&b, &len);
    assert_non_null(p);
    assert_null(b.data);
    assert_int_equal(len, strlen(p));
    free(p);
    /* Detaching an empty buffer gives an empty string, not NULL. */
    p = am_buf_detach(&b, &len);
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
}

static void test_json_escape(void **state)
{
    (void)state;
    am_buf b = AM_BUF_INIT;
    const char in[] = "a\"b\\c\nd\x01 «ї»";
    assert_int_equal(am_buf_json_string(&b, in, sizeof in - 1), AM_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001 «ї»\"");
    /* Appended after what is there; every escape, DEL and UTF-8 raw; the
     * empty string; a string of nothing but escapes (its exact size is
     * reserved: ASan would see one byte too few). */
    const char more[] = "\r\t\x1f\x7f\\\"\x00z";
    assert_int_equal(am_buf_json_string(&b, more, sizeof more - 1), AM_OK);
    assert_int_equal(am_buf_json_string(&b, "", 0), AM_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001 «ї»\""
                                "\"\\r\\t\\u001f\x7f\\\\\\\"\\u0000z\"\"\"");
    am_buf_free(&b);
    char all[64];
    memset(all, '\x01', sizeof all);
    assert_int_equal(am_buf_json_string(&b, all, sizeof all), AM_OK);
    assert_int_equal(b.len, 2 + 6 * sizeof all);
    assert_memory_equal(b.data + 1, "\\u0001\\u0001", 12);
    am_buf_free(&b);
}

static void test_read_file_errors(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(am_read_file(&data, &len, "/nonexistent/x.txt", &err), AM_EIO);
    assert_null(data);
    assert_string_equal(err.where, "/nonexistent/x.txt");
    am_error_clear(&err);
    assert_int_equal(am_read_file(&data, &len, "/", &err), AM_EIO);
    assert_string_equal(err.message, "is a directory");
    am_error_clear(&err);
    assert_int_equal(am_read_file(&data, &len, AM_SOURCE_DIR "/CMakeLists.txt", &err), AM_OK);
    assert_true(len > 100);
    assert_int_equal(strlen(data), len);
    free(data);
}

static void test_default_path(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    char *p = NULL;
    setenv("ALIGNMEM_DB", "/tmp/x.db", 1);
    assert_int_equal(am_tm_default_path(&p, &err), AM_OK);
    assert_string_equal(p, "/tmp/x.db");
    free(p);
    unsetenv("ALIGNMEM_DB");
    setenv("XDG_DATA_HOME", "/data", 1);
    assert_int_equal(am_tm_default_path(&p, &err), AM_OK);
    assert_string_equal(p, "/data/alignmem/memory.db");
    free(p);
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/t", 1);
    assert_int_equal(am_tm_default_path(&p, &err), AM_OK);
    assert_string_equal(p, "/home/t/.local/share/alignmem/memory.db");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_first_wins),
        cmocka_unit_test(test_buf_grow_and_detach),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_read_file_errors),
        cmocka_unit_test(test_default_path),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
