/* dict.c - the two hash tables behind a lexicon: interned stems with dense
 * ids, and a map from a pair of ids to a count. Both use open addressing
 * with linear probing at a load factor of at most 1/2: counting a large
 * memory is dominated by these look-ups, and a probe sequence in one
 * cache line beats chained buckets. */
#include "lexicon/lexicon.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a, then a finaliser */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static int dict_rehash(lx_dict *d, size_t cap)
{
    uint64_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return AM_ENOMEM;
    for (size_t id = 0; id < d->n; id++) {
        size_t j = d->hash[id] & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = (d->hash[id] >> 32 << 32) | (id + 1);
    }
    free(d->slot);
    d->slot = slot;
    d->cap = cap;
    return AM_OK;
}

static int dict_reserve(lx_dict *d, size_t n)
{
    if (d->n == d->id_cap) {
        size_t cap = d->id_cap ? d->id_cap * 2 : 256;
        uint64_t *h = realloc(d->hash, cap * sizeof *h);
        if (h)
            d->hash = h;
        size_t *off = realloc(d->off, cap * sizeof *off);
        if (off)
            d->off = off;
        uint32_t *len = realloc(d->len, cap * sizeof *len);
        if (len)
            d->len = len;
        if (!h || !off || !len)
            return AM_ENOMEM;
        d->id_cap = cap;
    }
    if (d->text_len + n + 1 > d->text_cap) {
        size_t cap = d->text_cap ? d->text_cap * 2 : 4096;
        while (cap < d->text_len + n + 1)
            cap *= 2;
        char *t = realloc(d->text, cap);
        if (!t)
            return AM_ENOMEM;
        d->text = t;
        d->text_cap = cap;
    }
    if ((d->n + 1) * 2 > d->cap)
        return dict_rehash(d, d->cap ? d->cap * 2 : 1024);
    return AM_OK;
}

/* The slot of s: its own, or the empty one where it would go. The high
 * half of the hash in the slot spares most visits to the strings. */
static size_t dict_probe(const lx_dict *d, const char *s, size_t n, uint64_t h)
{
    size_t j = h & (d->cap - 1);
    uint64_t tag = h >> 32 << 32;
    for (;;) {
        uint64_t e = d->slot[j];
        if (!e)
            return j;
        if ((e >> 32 << 32) == tag) {
            uint32_t id = (uint32_t)e - 1;
            if (d->len[id] == n && !memcmp(d->text + d->off[id], s, n))
                return j;
        }
        j = (j + 1) & (d->cap - 1);
    }
}

static inline uint32_t slot_id(uint64_t e)
{
    return (uint32_t)e - 1;
}

int lx_dict_intern(lx_dict *d, const char *s, size_t n, uint32_t *id_out)
{
    if (n > UINT32_MAX || d->n >= LX_NONE - 1)
        return AM_ELIMIT;
    uint64_t h = hash_bytes(s, n);
    if (d->cap) {
        size_t j = dict_probe(d, s, n, h);
        if (d->slot[j]) {
            *id_out = slot_id(d->slot[j]);
            return AM_OK;
        }
    }
    if (dict_reserve(d, n))
        return AM_ENOMEM;
    size_t j = dict_probe(d, s, n, h);
    uint32_t id = (uint32_t)d->n++;
    d->hash[id] = h;
    d->off[id] = d->text_len;
    d->len[id] = (uint32_t)n;
    memcpy(d->text + d->text_len, s, n);
    d->text[d->text_len + n] = '\0';
    d->text_len += n + 1;
    d->slot[j] = (h >> 32 << 32) | ((uint64_t)id + 1);
    *id_out = id;
    return AM_OK;
}

uint32_t lx_dict_find(const lx_dict *d, const char *s, size_t n)
{
    if (!d->cap)
        return LX_NONE;
    size_t j = dict_probe(d, s, n, hash_bytes(s, n));
    return d->slot[j] ? slot_id(d->slot[j]) : LX_NONE;
}

void lx_dict_free(lx_dict *d)
{
    free(d->slot);
    free(d->hash);
    free(d->off);
    free(d->len);
    free(d->text);
    memset(d, 0, sizeof *d);
}

/* ---- pair counts ---- */

static size_t pair_slot(uint64_t key, size_t cap)
{
    uint64_t x = key;
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

static int pairs_grow(lx_pairs *m)
{
    size_t cap = m->cap ? m->cap * 2 : 4096;
    lx_pair_slot *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return AM_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        slot[i].key = UINT64_MAX;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].key == UINT64_MAX)
            continue;
        size_t j = pair_slot(m->slot[i].key, cap);
        while (slot[j].key != UINT64_MAX)
            j = (j + 1) & (cap - 1);
        slot[j] = m->slot[i];
    }
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return AM_OK;
}

int lx_pairs_add(lx_pairs *m, uint64_t key, uint64_t v)
{
    if ((m->n + 1) * 2 > m->cap && pairs_grow(m))
        return AM_ENOMEM;
    size_t j = pair_slot(key, m->cap);
    while (m->slot[j].key != UINT64_MAX && m->slot[j].key != key)
        j = (j + 1) & (m->cap - 1);
    if (m->slot[j].key == UINT64_MAX) {
        m->slot[j].key = key;
        m->slot[j].val = 0;
        m->n++;
    }
    m->slot[j].val += v;
    return AM_OK;
}

int lx_pairs_add_many(lx_pairs *m, const uint64_t *keys, size_t n, uint64_t v)
{
    enum { CHUNK = 32 };
    while ((m->n + n) * 2 > m->cap)
        if (pairs_grow(m))
            return AM_ENOMEM;
    /* The slots of a unit's pairs are scattered over a table far larger
     * than the caches: asking for a chunk of them at once lets the memory
     * fetch them in parallel instead of one miss after another. */
    for (size_t c0 = 0; c0 < n; c0 += CHUNK) {
        size_t at[CHUNK], c1 = c0 + CHUNK < n ? c0 + CHUNK : n;
        for (size_t i = c0; i < c1; i++) {
            at[i - c0] = pair_slot(keys[i], m->cap);
            __builtin_prefetch(&m->slot[at[i - c0]], 1);
        }
        for (size_t i = c0; i < c1; i++) {
            size_t j = at[i - c0];
            while (m->slot[j].key != UINT64_MAX && m->slot[j].key != keys[i])
                j = (j + 1) & (m->cap - 1);
            if (m->slot[j].key == UINT64_MAX) {
                m->slot[j].key = keys[i];
                m->slot[j].val = 0;
                m->n++;
            }
            m->slot[j].val += v;
        }
    }
    return AM_OK;
}

uint64_t lx_pairs_get(const lx_pairs *m, uint64_t key)
{
    if (!m->cap)
        return 0;
    size_t j = pair_slot(key, m->cap);
    while (m->slot[j].key != UINT64_MAX) {
        if (m->slot[j].key == key)
            return m->slot[j].val;
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void lx_pairs_free(lx_pairs *m)
{
    free(m->slot);
    memset(m, 0, sizeof *m);
}
