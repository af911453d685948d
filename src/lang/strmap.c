/* strmap.c - open-addressing hash map of byte strings (FNV-1a), used for
 * the abbreviation sets and the transliteration cache of a language. */
#include "lang/lang.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *key; /* NULL = empty slot; key and value share one allocation */
    size_t klen;
    const char *val;
    int ival;
    uint32_t hash;
} entry;

struct am_strmap {
    entry *slots;
    size_t cap; /* a power of two */
    size_t count;
};

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

am_strmap *am_strmap_new(void)
{
    am_strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void am_strmap_free(am_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

size_t am_strmap_count(const am_strmap *m)
{
    return m ? m->count : 0;
}

static entry *find_slot(entry *slots, size_t cap, const char *key, size_t n, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].key &&
           !(slots[i].hash == h && slots[i].klen == n && memcmp(slots[i].key, key, n) == 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

const char *am_strmap_get(const am_strmap *m, const char *key, size_t n, int *ival)
{
    if (!m)
        return NULL;
    entry *e = find_slot(m->slots, m->cap, key, n, hash_bytes(key, n));
    if (!e->key)
        return NULL;
    if (ival)
        *ival = e->ival;
    return e->val;
}

static int grow(am_strmap *m)
{
    size_t cap = m->cap * 2;
    entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return AM_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *find_slot(slots, cap, m->slots[i].key, m->slots[i].klen, m->slots[i].hash) =
                m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return AM_OK;
}

int am_strmap_put(am_strmap *m, const char *key, size_t n, const char *val, size_t vn, int ival)
{
    /* Keep the load under 1/2 so probes stay short. */
    if ((m->count + 1) * 2 > m->cap && grow(m))
        return AM_ENOMEM;
    uint32_t h = hash_bytes(key, n);
    entry *e = find_slot(m->slots, m->cap, key, n, h);
    char *mem = malloc(n + 1 + vn + 1);
    if (!mem)
        return AM_ENOMEM;
    memcpy(mem, key, n);
    mem[n] = '\0';
    if (val)
        memcpy(mem + n + 1, val, vn);
    mem[n + 1 + vn] = '\0';
    if (e->key)
        free(e->key);
    else
        m->count++;
    e->key = mem;
    e->klen = n;
    e->val = mem + n + 1; /* "" when no value: a hit is never NULL */
    e->ival = ival;
    e->hash = h;
    return AM_OK;
}
