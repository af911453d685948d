/* placeholder until the tmx module lands; keeps the object library non-empty. */
#include "alignmem.h"
typedef int am_tmx_placeholder_t;
