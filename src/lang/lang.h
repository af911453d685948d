/* lang.h - private: what a language table holds. A language is data; the
 * segmenter and tokenizer in src/text are generic code driven by these
 * tables, and the generic table (no abbreviations, no starters) is what
 * an unknown language such as de or fr gets.
 *
 * Thread-safety: the ICU objects cached in a table (break iterators,
 * transliterator, abbreviation hash, word cache) are created lazily and
 * reused without locks, so a table must not be used from two threads at
 * once. Open per-thread clones (ubrk_safeClone) if that is ever needed. */
#ifndef AM_LANG_H
#define AM_LANG_H

#include "alignmem.h"

#include <unicode/ubrk.h>
#include <unicode/utrans.h>

/* How an abbreviation behaves at a possible sentence end. */
enum {
    AM_ABBR_NEVER = 1, /* never ends a sentence: a title or a word before a
                          name or number (Mr., м., вул.) */
    AM_ABBR_NUM = 2,   /* does not end a sentence before a number (ст. 5,
                          p. 5); before a capital it may */
    AM_ABBR_END = 4,   /* may end a sentence: a boundary when a capitalised
                          word follows (etc., тис., р.) */
    AM_ABBR_ADJ = 8,   /* usually stands before a name (U.S. President,
                          10 a.m. Eastern): a boundary only before one of
                          the language's sentence starters (The, He ...) */
    AM_ABBR_CASE = 16, /* matched case-sensitively */
    AM_ABBR_UNIT = 32  /* after a number (or Roman numeral) it may end a
                          sentence (2019 р., 5 м., XX ст.), elsewhere it
                          never does (р. Дніпро, м. Київ, г. Москва) */
};

/* Whether initials may follow a surname and so end a sentence
 * ("... доповів Лобода Л. М. Він ..."); otherwise initials always stand
 * before a name ("О. М. Коваленко", "J. R. R. Tolkien"). */
enum {
    AM_SURNAME_NEVER = 0,
    AM_SURNAME_INITIALS = 1,      /* "Лобода Л. М." (Ukrainian, Russian) */
    AM_SURNAME_COMMA_INITIALS = 2 /* "Smith, J. R." (English references) */
};

typedef struct am_abbr {
    const char *text; /* as written, with its dots: "т. зв.", "U.S." */
    int flags;
} am_abbr;

/* A small string hash map (strmap.c): byte-string keys, each with a
 * string value and an int; keys and values are copied. */
typedef struct am_strmap am_strmap;
am_strmap *am_strmap_new(void); /* NULL when out of memory; free with am_strmap_free */
void am_strmap_free(am_strmap *m);
size_t am_strmap_count(const am_strmap *m);
/* Borrowed value ("" when put without one; valid until the map changes),
 * or NULL when key is absent; *ival set when found. */
const char *am_strmap_get(const am_strmap *m, const char *key, size_t n, int *ival);
/* Insert or replace. AM_OK or AM_ENOMEM. */
int am_strmap_put(am_strmap *m, const char *key, size_t n, const char *val, size_t vn, int ival);

struct am_lang {
    char code[16];            /* primary subtag: "uk" */
    char locale[32];          /* ICU locale: "uk_UA" */
    const char *translit_id;  /* ICU transform to Latin ASCII */
    char decimal_sep;         /* ',' or '.' */
    int script;               /* UScriptCode of the language's letters */
    const char *markers;      /* UTF-8 letters that tell this language from
                                 others of the same script ("іїєґ") */
    int initials_after_surname; /* AM_SURNAME_*: how names are cited */
    const am_abbr *abbrs;
    size_t n_abbrs;
    const char *const *starters; /* capitalised words that begin sentences */
    size_t n_starters;
    const char *const *months; /* lower-case month names, every form */
    size_t n_months;
    const char *const *continuers; /* capitalised words that continue a
                                     sentence after an abbreviation */
    size_t n_continuers;
    const struct am_lang *also; /* abbreviations also looked up here (the
                                   English table for Latin words in
                                   Ukrainian or Russian text), or NULL */
    int has_table;
    int stem_len;             /* code points of a word kept as its lexicon
                                 stem (a prefix: the poor man's stemmer
                                 for inflected languages), src/lexicon */

    /* Lazily created caches, freed by am_lang_cleanup(). */
    UBreakIterator *sent_bi;
    UBreakIterator *word_bi;
    UTransliterator *trans;
    int trans_failed;
    am_strmap *abbr_set; /* lower-cased compact abbreviation -> flags */
    am_strmap *abbr_last; /* their last words, lower case: a quick "no" */
    size_t abbr_maxlen;  /* longest compact key, bytes */
    am_strmap *words;    /* folded word -> transliteration */
    struct am_lang *next; /* generic tables created at run time */
};

/* The built-in tables (lang_uk.c, lang_ru.c, lang_en.c). */
extern struct am_lang am_lang_uk, am_lang_ru, am_lang_en;

/* Lazily opened, cached ICU objects of a language; borrowed, owned by the
 * table. NULL with err set on failure. */
UBreakIterator *am_lang_sentence_iter(am_lang *lang, am_error *err);
UBreakIterator *am_lang_word_iter(am_lang *lang, am_error *err);
UTransliterator *am_lang_transliterator(am_lang *lang, am_error *err);

/* Look an abbreviation up. key = the last words before a possible
 * boundary, joined by single spaces, ending in the final dot ("і т. ін.");
 * returns the flags of the longest entry that is a suffix of key starting
 * at a word (spaces after dots do not matter: "т.зв." = "т. зв."), then
 * in lang->also; 0 when none. */
int am_lang_abbr_flags(am_lang *lang, const char *key, size_t n);
/* 1 when word (UTF-8, as written) is one of the language's sentence
 * starters. */
int am_lang_is_starter(const am_lang *lang, const char *word, size_t n);
/* 1 when word (any case) is a month name of the language. */
int am_lang_is_month(const am_lang *lang, const char *word, size_t n);
/* 1 when word is one of the language's continuers (ET, Navy, Supreme). */
int am_lang_is_continuer(const am_lang *lang, const char *word, size_t n);

/* Cast away the const of a borrowed table to reach its caches. */
static inline am_lang *am_lang_mut(const am_lang *l) { return (am_lang *)l; }

#endif
