/* placeholder until the report module lands; keeps the object library non-empty. */
#include "alignmem.h"
typedef int am_report_placeholder_t;
