/* path.c - where the memory lives when the user does not say. */
#include "alignmem.h"

#include <stdlib.h>
#include <string.h>

int am_tm_default_path(char **out, am_error *err)
{
    am_buf b = AM_BUF_INIT;
    const char *env = getenv("ALIGNMEM_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int rc;
    *out = NULL;
    if (env && *env)
        rc = am_buf_puts(&b, env);
    else if (xdg && *xdg)
        rc = am_buf_printf(&b, "%s/alignmem/memory.db", xdg);
    else if (home && *home)
        rc = am_buf_printf(&b, "%s/.local/share/alignmem/memory.db", home);
    else
        return am_error_set(err, AM_EARG,
                            "no memory given: use --db PATH or set ALIGNMEM_DB (HOME is not set)");
    if (rc) {
        am_buf_free(&b);
        return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    *out = am_buf_detach(&b, NULL);
    return AM_OK;
}
