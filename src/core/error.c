/* error.c - the error object every library call reports through. */
#include "alignmem.h"

#include <stdio.h>
#include <string.h>

void am_error_clear(am_error *err)
{
    if (!err)
        return;
    err->code = AM_OK;
    err->line = -1;
    err->column = -1;
    err->offset = -1;
    err->where[0] = '\0';
    err->message[0] = '\0';
}

int am_error_setv(am_error *err, int code, const char *fmt, va_list ap)
{
    /* The first error wins: it is the cause, later ones are consequences. */
    if (!err || err->code != AM_OK)
        return code;
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int am_error_set(am_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    am_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void am_error_at(am_error *err, const char *where, long line, long column, long long offset)
{
    if (!err)
        return;
    if (where && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", where);
    if (line >= 0 && err->line < 0)
        err->line = line;
    if (column >= 0 && err->column < 0)
        err->column = column;
    if (offset >= 0 && err->offset < 0)
        err->offset = offset;
}

const char *am_strerror(int code)
{
    switch (code) {
    case AM_OK: return "success";
    case AM_ENOMEM: return "out of memory";
    case AM_EIO: return "input/output error";
    case AM_EINPUT: return "bad input";
    case AM_EARG: return "invalid argument";
    case AM_EDB: return "memory database error";
    case AM_EXML: return "bad XML";
    case AM_ELANG: return "unknown language";
    case AM_ESCHEMA: return "incompatible memory";
    case AM_ENOTFOUND: return "not found";
    case AM_EBUSY: return "memory busy";
    case AM_EFULL: return "disk full";
    case AM_ELIMIT: return "limit exceeded";
    case AM_ESTOP: return "stopped";
    default: return "unknown error";
    }
}
