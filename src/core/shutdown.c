/* shutdown.c - release process-wide state of the libraries we sit on.
 * It lives in core, the bottom module, because it is the one place that
 * must know every dependency: callers need a single call at exit so that
 * LeakSanitizer and valgrind reports show only our own leaks. */
#include "alignmem.h"

#include <libxml/parser.h>
#include <sqlite3.h>
#include <unicode/uclean.h>

void am_shutdown(void)
{
    am_lang_cleanup(); /* cached ICU objects first: u_cleanup() frees what they use */
    xmlCleanupParser();
    sqlite3_shutdown();
    u_cleanup();
}
