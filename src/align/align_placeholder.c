/* placeholder until the align module lands; keeps the object library non-empty. */
#include "alignmem.h"
typedef int am_align_placeholder_t;
