/* file.c - whole-file input, and process-wide shutdown. */
#include "alignmem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static int read_stream(am_buf *b, FILE *fp, const char *name, am_error *err)
{
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (am_buf_append(b, chunk, n))
            return am_error_set(err, AM_ENOMEM, "out of memory reading %s", name);
    }
    if (ferror(fp)) {
        am_error_set(err, AM_EIO, "cannot read: %s", strerror(errno));
        am_error_at(err, name, -1, -1, -1);
        return AM_EIO;
    }
    return AM_OK;
}

int am_read_file(char **out, size_t *len_out, const char *path, am_error *err)
{
    am_buf b = AM_BUF_INIT;
    int rc;
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        rc = read_stream(&b, stdin, "<stdin>", err);
    } else {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            am_error_set(err, AM_EIO, "is a directory");
            am_error_at(err, path, -1, -1, -1);
            return AM_EIO;
        }
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            am_error_set(err, AM_EIO, "cannot open: %s", strerror(errno));
            am_error_at(err, path, -1, -1, -1);
            return AM_EIO;
        }
        rc = read_stream(&b, fp, path, err);
        fclose(fp);
    }
    if (rc == AM_OK && am_buf_reserve(&b, 0))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
    if (rc) {
        am_buf_free(&b);
        return rc;
    }
    *out = am_buf_detach(&b, len_out);
    return AM_OK;
}

