/* fuzz_tmx.c - the TMX reader on arbitrary bytes: it must either deliver
 * units or fail with AM_EXML/AM_ELIMIT/AM_EINPUT, never crash, leak or
 * touch the network. The bytes reach it through a memfd so the reader is
 * exercised exactly as on a file. */
#define _GNU_SOURCE
#include "alignmem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_unit(const am_unit *u, void *ctx)
{
    size_t *count = ctx;
    /* Touch every string so ASan sees any dangling pointer. */
    for (size_t i = 0; i < u->n_variants; i++)
        if (!u->variants[i].lang || !u->variants[i].text)
            abort();
    (*count)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.tmx", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    size_t count = 0;
    am_tmx_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.on_unit = on_unit;
    cb.ctx = &count;
    am_error err;
    am_error_clear(&err);
    int rc = am_tmx_read(path, &cb, &err);
    if (rc != AM_OK && rc != AM_EXML && rc != AM_ELIMIT && rc != AM_EINPUT && rc != AM_ELANG)
        abort();
    close(fd);
    return 0;
}
