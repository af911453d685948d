/* placeholder until the text module lands; keeps the object library non-empty. */
#include "alignmem.h"
typedef int am_text_placeholder_t;
