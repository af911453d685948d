/* match.h - private to the lookup part of src/tm: the match tokenizer, the
 * token edit distance and the pieces the lookup (lookup*.c, see lookup.h)
 * and concord.c share.
 *
 * Why our own tokenizer instead of am_tokenize: candidates are scored by the
 * hundred per query from the normalised keys the store already holds, so
 * tokenising must cost a few hundred nanoseconds per sentence (no ICU break
 * iterator), and it must split a key where the FTS5 unicode61 tokenizer
 * splits it, so that what the index finds is what the score counts. */
#ifndef AM_TM_MATCH_H
#define AM_TM_MATCH_H

#include "alignmem.h"

#include <sqlite3.h>
#include <stdint.h>

typedef struct am_mt_tok {
    uint32_t off, len;         /* surface, in the tokenised string */
    uint32_t key_off, key_len; /* key, in am_mt_toks.keys */
    uint64_t hash;             /* of the key (words, numbers) or surface (punct) */
    uint8_t kind;              /* AM_TOK_WORD, AM_TOK_NUMBER, AM_TOK_PUNCT */
    uint8_t space_before;      /* white space precedes the token */
    uint8_t key_in_src;        /* the key is the surface: key_off is in src */
} am_mt_tok;

typedef struct am_mt_toks {
    am_mt_tok *t;
    size_t n, cap;
    uint64_t *words;   /* key hashes of the word and number tokens, in order */
    uint32_t *widx;    /* index in t of each of them */
    size_t n_words, cap_words;
    am_buf keys;
    const char *src;   /* the tokenised string (borrowed) */
} am_mt_toks;

#define AM_MT_TOKS_INIT {NULL, 0, 0, NULL, NULL, 0, 0, AM_BUF_INIT, NULL}

enum {
    AM_MT_KEYED = 0,     /* the input is a normalised key: keys are surfaces */
    AM_MT_NORMALIZE = 1  /* original text: keys come from am_normalize */
};

/* Tokenise s[0..n) into *t (cleared first; storage reused). Keys of words
 * are their normalised forms, keys of numbers their digits with group
 * spaces dropped and ',' read as '.'. t borrows s (keys of AM_MT_KEYED
 * words point into it): keep s alive while t's keys are used. */
int am_mt_tokenize(am_mt_toks *t, const char *s, size_t n, int mode, am_error *err);
void am_mt_toks_free(am_mt_toks *t);
/* The key of token i (not NUL-terminated; length t->t[i].key_len). */
const char *am_mt_key(const am_mt_toks *t, size_t i);

/* Token edit distance between two hash sequences; returns dmax + 1 as soon
 * as the distance is known to exceed dmax (Ukkonen's band, 1985). work must
 * hold 2 * (m + 2) entries. */
size_t am_mt_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m, size_t dmax,
                      uint32_t *work);
/* Largest distance that still gives a base score >= min for lengths n, m. */
size_t am_mt_dmax(size_t n, size_t m, double min);
/* 100 * (max(n,m) - d) / max(n,m); 100 when both are empty. */
double am_mt_base(size_t n, size_t m, size_t d);

/* The full score of a match (alignment, penalties, character similarity)
 * from tokens made with AM_MT_NORMALIZE. Returns AM_ENOMEM or AM_OK. */
int am_mt_score(am_fuzzy *out, const char *qs, size_t qn, const am_mt_toks *q, const char *ms,
                size_t mn, const am_mt_toks *m, int match_has_codes);

/* Allocations owned by a result (am_matches, am_concord), freed at once
 * (lookup_result.c). */
typedef struct am_mt_pool {
    void **p;
    size_t n, cap;
} am_mt_pool;
/* Keep x (frees it and returns NULL when out of memory). */
void *am_mt_pool_keep(am_mt_pool *pl, void *x);
char *am_mt_pool_dup(am_mt_pool *pl, const unsigned char *s);
/* v (n variants, in pl) when n < *cap, else a copy in twice the room,
 * also in pl (*cap doubled); NULL when out of memory. */
am_variant *am_mt_pool_room(am_mt_pool *pl, am_variant *v, size_t n, size_t *cap);
void am_mt_pool_free(am_mt_pool *pl); /* frees pl too */

/* Append s[0..n) as an FTS5 string ("..." with quotes doubled;
 * lookup_postings.c). */
int am_mt_fts_quote(am_buf *b, const char *s, size_t n);

/* A read transaction around one lookup or search, unless the caller has
 * one open; returns whether one was begun (pass it to am_mt_read_end).
 * In lookup.c, as is am_mt_use_mmap. */
int am_mt_read_begin(sqlite3 *db);
void am_mt_read_end(sqlite3 *db, int began);

/* Read the memory through mmap (unless the connection already does),
 * for concord.c; lookup.c no longer does, see lookup_cache_size there:
 * candidates are looked up by primary key all over a file of gigabytes,
 * and each page read through the page cache costs a pread system call and
 * a copy. Only reads use the map; SQLite keeps writing through the file. */
#define AM_MT_MMAP "4294967296"
void am_mt_use_mmap(sqlite3 *db);

/* The concordance search statement (for the query plan test). */
const char *am_mt_concord_sql(void);
/* The statement reading a term's postings through the am_postings FTS5
 * function (registered on a connection by am_lookup_new, in
 * lookup_postings.c; for the query plan test). */
const char *am_mt_postings_sql(void);

/* UTF-8 code point helpers shared with concord.c. */
int am_mt_is_word_char(int32_t c);

#endif
