/* placeholder until the lang module lands; keeps the object library non-empty. */
#include "alignmem.h"
typedef int am_lang_placeholder_t;
