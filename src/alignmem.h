/*
 * alignmem.h - the one public header of libalignmem.
 *
 * alignmem segments versions of a text (Ukrainian, Russian, English, or any
 * language given as data) into sentences, aligns them into beads, keeps the
 * aligned units in a translation memory and exchanges it as TMX 1.4b.
 *
 * Conventions (after libgit2 and cmark, see shared/STYLE.md):
 *  - Public names start with am_ / AM_.
 *  - Functions return 0 (AM_OK) or a negative AM_E* code; the message, and
 *    where known the file/line/offset, is in the caller's am_error.
 *  - Out-parameters come first and are named out; what comes back through a
 *    pointer-to-pointer is owned by the caller and freed by the matching
 *    am_*_free(), which accepts NULL.
 *  - Strings are UTF-8 with explicit lengths where they may contain NUL or
 *    are slices of a larger buffer.
 *  - The library never prints and never exits.
 *
 * Sections: core, lang, text, lexicon, align, tm (store, lookup,
 * concordance, the memory's lexicons), tmx, report. Each section is
 * implemented in src/<section>/.
 */
#ifndef ALIGNMEM_H
#define ALIGNMEM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AM_VERSION_STRING "0.1.0"

/* ======================================================================
 * core: error object, growable buffer, JSON string escaping
 * ==================================================================== */

typedef enum am_code {
    AM_OK = 0,
    AM_ENOMEM = -1,   /* out of memory */
    AM_EIO = -2,      /* a file could not be read or written */
    AM_EINPUT = -3,   /* bad input data: invalid UTF-8, malformed TSV ... */
    AM_EARG = -4,     /* invalid argument from the caller (a usage error) */
    AM_EDB = -5,      /* the memory (SQLite) failed */
    AM_EXML = -6,     /* malformed or hostile XML, or not TMX */
    AM_ELANG = -7,    /* language unknown or cannot be detected */
    AM_ESCHEMA = -8,  /* memory written by a newer alignmem, or not a memory */
    AM_ENOTFOUND = -9,
    AM_EBUSY = -10,   /* the memory is locked by another writer */
    AM_EFULL = -11,   /* disk or database full */
    AM_ELIMIT = -12,  /* input exceeds a built-in safety limit */
    AM_ESTOP = -13    /* a callback asked to stop; not an error of its own */
} am_code;

/*
 * The error object. Callers allocate it (usually on the stack) and pass it
 * down; the first error set wins until am_error_clear(). `where` names the
 * input (file name) when known; line/column are 1-based, offset is a byte
 * offset; each is -1 when unknown.
 */
typedef struct am_error {
    int code;
    long line;
    long column;
    long long offset;
    char where[512];
    char message[1024];
} am_error;

void am_error_clear(am_error *err);
/* Set code and message (printf-style) unless an error is already set.
 * Returns code, so that `return am_error_set(err, AM_EIO, ...)` reads well.
 * err may be NULL. */
int am_error_set(am_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int am_error_setv(am_error *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Attach a place to an error already set (or about to be): file name,
 * line, column, byte offset; pass NULL / -1 for unknown parts. Does not
 * overwrite a place already recorded. */
void am_error_at(am_error *err, const char *where, long line, long column, long long offset);
/* A short static description of a code ("out of memory"). */
const char *am_strerror(int code);

/* Growable byte buffer; always NUL-terminated when data != NULL. */
typedef struct am_buf {
    char *data;
    size_t len;
    size_t cap;
} am_buf;

#define AM_BUF_INIT {NULL, 0, 0}

int am_buf_reserve(am_buf *b, size_t extra);
int am_buf_append(am_buf *b, const char *s, size_t n);
int am_buf_puts(am_buf *b, const char *s);
int am_buf_putc(am_buf *b, char c);
int am_buf_printf(am_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s[0..n) as a JSON string literal, quotes included. */
int am_buf_json_string(am_buf *b, const char *s, size_t n);
void am_buf_clear(am_buf *b); /* len = 0, keeps storage */
void am_buf_free(am_buf *b);  /* frees storage, resets to AM_BUF_INIT */
/* Hand the storage to the caller (who frees it with free()); b is reset. */
char *am_buf_detach(am_buf *b, size_t *len_out);

/* Read a whole file ("-" is stdin) into *out (NUL-terminated, caller frees
 * with free()). Does not validate; see am_text_load for text input. */
int am_read_file(char **out, size_t *len_out, const char *path, am_error *err);

/* Release process-wide library state (ICU, libxml2, SQLite caches) so leak
 * checkers see a clean exit. Call once at the very end. */
void am_shutdown(void);

/* ======================================================================
 * lang: languages are data (an ICU locale plus a table)
 * ==================================================================== */

/* A table holds the ICU locale, abbreviations with their behaviour at a
 * sentence end, sentence starters, the decimal separator, marker letters
 * for detection and the transliteration to Latin (src/lang/lang_*.c). It
 * caches ICU objects created on first use, so one table must not be used
 * by two threads at once. */
typedef struct am_lang am_lang; /* opaque, static, never freed */

/*
 * Normalise a BCP 47 code: "EN_us" -> "en-US", "uk-ua" -> "uk-UA".
 * out receives at most outsz bytes including NUL. Returns AM_EARG for a
 * code that is not a plausible language tag.
 */
int am_lang_canonical(char *out, size_t outsz, const char *code);
/* The primary language subtag, lower case: "uk-UA" -> "uk". */
int am_lang_base(char *out, size_t outsz, const char *code);
/*
 * The table for a language (matched on its primary subtag). A language with
 * no table of its own gets a generic one built for that code, so every
 * language works; *out is borrowed and lives until am_shutdown().
 */
int am_lang_get(const am_lang **out, const char *code, am_error *err);
const char *am_lang_code(const am_lang *lang);   /* "uk" */
const char *am_lang_locale(const am_lang *lang); /* ICU locale, "uk_UA" */
int am_lang_has_table(const am_lang *lang);      /* 0 for the generic one */
/* Guess the language of a text from its letters; AM_ELANG when unsure.
 * out receives a primary subtag ("uk", "ru", "en", ...). */
int am_lang_detect(char *out, size_t outsz, const char *text, size_t len, am_error *err);
/* The language a file name declares: "statement.uk.txt" -> "uk", also
 * "uk.txt" and "a.uk-UA.sent" (a two-letter code ICU knows, before the
 * extension). Returns AM_ENOTFOUND when the name carries none. */
int am_lang_from_filename(char *out, size_t outsz, const char *path);
/* Free the ICU objects and generic tables the language tables cache; they
 * are re-created on demand. am_shutdown() calls it before u_cleanup(). */
void am_lang_cleanup(void);

/* ======================================================================
 * text: UTF-8 input, segmentation, normalisation, tokens
 * ==================================================================== */

typedef struct am_segment {
    size_t offset;  /* byte offset of the sentence in am_text.data */
    size_t length;  /* byte length, leading/trailing white space excluded */
    int paragraph;  /* 0-based paragraph number */
} am_segment;

/* One version of a document, segmented into sentences. */
typedef struct am_text {
    char *data;     /* UTF-8 text, BOM removed, otherwise as in the input */
    size_t size;
    char lang[32];  /* canonical language code */
    am_segment *segs;
    size_t n_segs;
    int n_paragraphs;
} am_text;

/*
 * Validate UTF-8. Returns AM_OK, or AM_EINPUT with *bad_offset set to the
 * byte offset of the first invalid sequence (overlong forms, surrogates,
 * truncated sequences and values above U+10FFFF are invalid; NUL is valid
 * here, am_text_load refuses it).
 */
int am_utf8_validate(const char *s, size_t n, size_t *bad_offset);

/*
 * Make an am_text from raw bytes: skips a UTF-8 BOM, refuses invalid
 * UTF-8 and NUL bytes (AM_EINPUT, error place = name, line, and the byte
 * offset in the input as given, BOM included; nothing is returned),
 * accepts LF, CRLF and CR line ends. lang may be NULL: then it comes from
 * name (am_lang_from_filename), else from detection. If presegmented, each
 * non-blank line is one sentence and a blank line ends a paragraph; else the
 * text is segmented (am_segment_text). The bytes are copied. *out is owned
 * by the caller: am_text_free().
 */
int am_text_from_bytes(am_text **out, const char *bytes, size_t len, const char *name,
                       const char *lang, int presegmented, am_error *err);
/* am_text_from_bytes on a file ("-" is stdin); the language may also
 * come from the file name ("statement.uk.txt"). */
int am_text_load(am_text **out, const char *path, const char *lang, int presegmented,
                 am_error *err);
void am_text_free(am_text *t);

/*
 * Segment t->data (already valid UTF-8) into t->segs with the rules of
 * t->lang: ICU sentence breaks plus the language table's repairs
 * (abbreviations, initials, numbers, quotes, headlines, paragraphs).
 */
int am_segment_text(am_text *t, am_error *err);

/*
 * The matching key of a string: NFC, case folded, apostrophes, quotes and
 * dashes unified, ё -> е, soft hyphens and zero-width characters dropped,
 * white space collapsed and trimmed. *out is NUL-terminated, owned by the
 * caller (free()).
 */
int am_normalize(char **out, size_t *out_len, const char *s, size_t n, am_error *err);

typedef enum am_token_kind { AM_TOK_WORD = 1, AM_TOK_NUMBER = 2, AM_TOK_PUNCT = 3 } am_token_kind;

typedef struct am_token {
    int kind;             /* am_token_kind */
    size_t offset;        /* in the tokenised string */
    size_t length;
    const char *key;      /* normalised key: folded word, or number digits "5000", "12.4" */
    const char *translit; /* Latin ASCII key for a word ("sevastopol"), == key for Latin */
} am_token;

typedef struct am_tokens {
    am_token *toks;
    size_t n;
    void *priv; /* storage for the keys */
} am_tokens;

/* Word tokens of s (ICU word breaks), with keys; white space gives no
 * token, other punctuation one PUNCT token a character. Number keys drop
 * grouping and write the decimal mark as '.' ("5 000" "5,000" -> "5000";
 * "12,4" -> "12.4"; lang's decimal separator decides "5,000" vs "5,5");
 * a number with several same marks that are not thousands groups is kept
 * ("12.04.2019"). translit keeps [a-z0-9] of the ICU transliteration of a
 * non-ASCII word (cached per word), and is the key itself for an ASCII
 * word. Keys are borrowed from *out. *out owned by the caller:
 * am_tokens_free(). lang may be NULL (generic rules). */
int am_tokenize(am_tokens **out, const am_lang *lang, const char *s, size_t n, am_error *err);
void am_tokens_free(am_tokens *t);
/* The Latin ASCII transliteration of a string (lower case). Caller frees. */
int am_transliterate(char **out, const am_lang *lang, const char *s, size_t n, am_error *err);

/* ======================================================================
 * lexicon: word associations between two languages, learned from aligned
 * units (the memory, or confident beads of a batch), kept as counts so
 * that they can be updated incrementally and stored (tm) without the
 * store knowing how they are used (align).
 * ==================================================================== */

/* Counts for one language pair (a, b): units seen, for each stem of either
 * side the number of units holding it, and for each (stem of a, stem of b)
 * the number of units holding both. */
typedef struct am_lexicon am_lexicon; /* opaque */

/* Units (beads) with a confidence under this are not learned from; units
 * without a confidence (imported from TMX) are. The store and batch add
 * use it. */
#define AM_LEXICON_MIN_CONFIDENCE 0.9

/*
 * Word stems of a text, for learning and using a lexicon: the text is
 * normalised (am_normalize) unless is_key says it already is, split into
 * words (letters, with inner apostrophes and hyphens), numbers and
 * one-letter words dropped, each word cut to the stem length of lang's
 * table (a prefix in code points; the generic table has one too). fn is
 * called once per distinct stem in order of first occurrence; a non-zero
 * return from fn stops and is returned. lang may be NULL (generic).
 */
typedef int (*am_stem_fn)(const char *stem, size_t len, void *ctx);
int am_stems(const am_lang *lang, const char *s, size_t n, int is_key, am_stem_fn fn, void *ctx,
             am_error *err);

/* An empty lexicon for languages a and b (canonical codes; matched on
 * their primary subtags). *out owned by the caller: am_lexicon_free(). */
int am_lexicon_new(am_lexicon **out, const char *lang_a, const char *lang_b, am_error *err);
void am_lexicon_free(am_lexicon *lx);
const char *am_lexicon_lang(const am_lexicon *lx, int side); /* side 0 = a, 1 = b */

/* Count one aligned unit: the text of side a and of side b (is_key as in
 * am_stems), weight times (normally 1). Stems pair only at similar
 * relative places in the two texts, and a stem in more than 1,000 units
 * and 1 % of lx's units (a function word) stops pairing; a side of more
 * than 80 stems counts its words, not its pairs (src/lexicon/lexicon.c).
 * Measured: ~50,000 three-language units a second into three lexicons. */
int am_lexicon_count(am_lexicon *lx, const char *a, size_t na, const char *b, size_t nb,
                     int is_key, unsigned weight, am_error *err);

/* Bulk access to the raw counts, for storing and loading them. */
int am_lexicon_add_units(am_lexicon *lx, uint64_t n, am_error *err);
int am_lexicon_add_word(am_lexicon *lx, int side, const char *stem, uint64_t units, am_error *err);
int am_lexicon_add_pair(am_lexicon *lx, const char *stem_a, const char *stem_b, uint64_t units,
                        am_error *err);
uint64_t am_lexicon_units(const am_lexicon *lx);
/* Iterate every word (side, stem, units) and every pair; a non-zero return
 * from the callback stops and is returned. Order unspecified. */
int am_lexicon_foreach_word(const am_lexicon *lx,
                            int (*cb)(int side, const char *stem, uint64_t units, void *ctx),
                            void *ctx);
int am_lexicon_foreach_pair(const am_lexicon *lx,
                            int (*cb)(const char *a, const char *b, uint64_t units, void *ctx),
                            void *ctx);
/* Forget all counts (after they were written to the store); the wanted
 * stems stay wanted. */
void am_lexicon_clear(am_lexicon *lx);

/* Vocabulary of interest: the stems of texts about to be aligned. A store
 * loads only the counts of these stems (and their pairs) into lx. */
int am_lexicon_want(am_lexicon *lx, int side, const char *s, size_t n, am_error *err);
int am_lexicon_foreach_wanted(const am_lexicon *lx, int side,
                              int (*cb)(const char *stem, void *ctx), void *ctx);
int am_lexicon_is_wanted(const am_lexicon *lx, int side, const char *stem);

/* The learned renderings of a word of side `side` (a stem or a whole
 * word; it is stemmed), best first by the association score in (0, 1]
 * (Dice, documented in lexicon.c; ties: more units together, then the
 * stem's bytes), at most max (0: all). A word never seen, or a number,
 * gives *n_out = 0 and *out NULL. Stems and arrays owned by the caller:
 * am_lexicon_matches_free(). */
typedef struct am_lexicon_match {
    char *stem;       /* on the other side */
    double score;     /* association in (0, 1] */
    uint64_t both;    /* units holding both */
    uint64_t units;   /* units holding this stem */
} am_lexicon_match;
int am_lexicon_lookup(am_lexicon_match **out, size_t *n_out, const am_lexicon *lx, int side,
                      const char *word, size_t max, am_error *err);
void am_lexicon_matches_free(am_lexicon_match *m, size_t n);

/* ======================================================================
 * align: bead scoring, dynamic programming, N-way
 * ==================================================================== */

typedef struct am_align_opts {
    int version;             /* AM_ALIGN_OPTS_VERSION */
    int max_side;            /* most sentences on one side of a bead; default 3 */
    /* Optional prior knowledge, borrowed: lexicons for pairs of the
     * versions' languages (either order; the first matching one is used
     * for a pair, none for a pair without one). */
    const am_lexicon *const *lexicons;
    size_t n_lexicons;
    void (*progress)(size_t done, size_t total, void *ctx); /* optional */
    void *progress_ctx;
} am_align_opts;

#define AM_ALIGN_OPTS_VERSION 2
#define AM_ALIGN_OPTS_INIT {AM_ALIGN_OPTS_VERSION, 3, NULL, 0, NULL, NULL}

/* A bead gives, for each version v, the half-open sentence range
 * [begin[v], end[v]); an empty range is an empty side. */
typedef struct am_alignment {
    size_t n_versions;
    size_t n_beads;
    size_t *begin;  /* n_beads * n_versions, bead-major */
    size_t *end;    /* n_beads * n_versions */
    double *score;  /* n_beads confidences in [0, 1] */
} am_alignment;

#define AM_BEAD_BEGIN(a, b, v) ((a)->begin[(b) * (a)->n_versions + (v)])
#define AM_BEAD_END(a, b, v) ((a)->end[(b) * (a)->n_versions + (v)])

/*
 * Align n >= 2 versions. Beads are monotone, cover every sentence exactly
 * once, never cross a paragraph break, and with n > 2 are built jointly.
 * A bead's score is its posterior probability given the texts (review the
 * beads under a threshold). At most 16 versions (AM_EARG beyond), opts may
 * be NULL. Time and memory are linear in the length (banded search).
 * With n > 2 a second thread, joined before the call returns, makes the
 * pairwise alignments; opts->progress is called from the caller's thread
 * only. *out owned by the caller: am_alignment_free().
 */
int am_align(am_alignment **out, const am_text *const *versions, size_t n,
             const am_align_opts *opts, am_error *err);
void am_alignment_free(am_alignment *a);

/* ======================================================================
 * tm: the translation memory (SQLite behind a small backend interface)
 * ==================================================================== */

typedef struct am_tm am_tm; /* opaque */

enum { AM_TM_READONLY = 1, AM_TM_CREATE = 2 };

/*
 * Default memory path: $ALIGNMEM_DB, else $XDG_DATA_HOME/alignmem/memory.db,
 * else $HOME/.local/share/alignmem/memory.db. Caller frees.
 */
int am_tm_default_path(char **out, am_error *err);
/* Open (and with AM_TM_CREATE create, with parent folders) a memory; a
 * memory of a newer schema is refused with AM_ESCHEMA and left untouched.
 * One am_tm must not be used by two threads at once (the connection is
 * opened without SQLite's mutex); open one per thread. A memory of an
 * older schema is migrated when opened for writing and read as it is
 * with AM_TM_READONLY. *out owned by the caller: am_tm_close(). */
int am_tm_open(am_tm **out, const char *path, int flags, am_error *err);
void am_tm_close(am_tm *tm);
int am_tm_begin(am_tm *tm, am_error *err);
int am_tm_commit(am_tm *tm, am_error *err);
void am_tm_rollback(am_tm *tm);

typedef struct am_prop {
    const char *type;
    const char *value;
    const char *lang;  /* xml:lang of the prop or note, may be NULL */
} am_prop;

typedef struct am_variant {
    const char *lang;   /* canonical code, "uk" or "uk-UA" */
    const char *text;   /* plain text, exactly as written, inline codes removed */
    const char *markup; /* the <seg> content as XML when it had inline codes, else NULL */
    const am_prop *props; size_t n_props;
    const am_prop *notes; size_t n_notes; /* type unused */
    /* tmx: per-variant TMX attributes (OmegaT dates its target tuv), ISO 8601
     * or TMX form; may be NULL. */
    const char *creationdate, *creationid, *changedate, *changeid;
} am_variant;

typedef struct am_unit {
    int64_t id;           /* set by the store; 0 when new */
    int64_t document;     /* document id, 0 for none */
    long position;        /* bead number in the document, -1 for none */
    double confidence;    /* [0,1], or -1 unknown */
    const char *tuid;     /* from TMX, may be NULL */
    const char *srclang;  /* from TMX, may be NULL */
    const char *creationdate, *creationid, *changedate, *changeid; /* ISO 8601 or TMX form; may be NULL */
    long usagecount;
    const am_variant *variants; size_t n_variants;
    const am_prop *props; size_t n_props;
    const am_prop *notes; size_t n_notes;
    const char *lastusagedate; /* tmx: from TMX (Trados writes it), may be NULL */
} am_unit;

typedef struct am_document {
    int64_t id;
    const char *title;
    const char *origin;
    const char *date;
    const char *langs;     /* comma list */
    const char *checksum;  /* identity of the content, for re-adding */
} am_document;

/* What to do with a unit whose source text (the srclang variant, else the
 * first) is already stored with a different rendering: skip the new unit,
 * replace the stored ones, or keep both side by side. Or AM_DUP_COUNT_USE
 * in: a merged identical unit counts one more use (add); without it the
 * larger usage count is kept, so re-importing a TMX changes nothing. */
enum { AM_DUP_SKIP = 0, AM_DUP_REPLACE = 1, AM_DUP_KEEP = 2, AM_DUP_COUNT_USE = 16 };
/* The *outcome of am_tm_add_unit. */
enum { AM_TM_ADDED = 0, AM_TM_MERGED = 1, AM_TM_SKIPPED = 2, AM_TM_REPLACED = 3 };

/* Insert a document, or find the one with the same checksum (*existed=1).
 * A NULL checksum is made from title, origin and date. */
int am_tm_add_document(am_tm *tm, const am_document *doc, int64_t *id_out, int *existed,
                       am_error *err);
/* Store a unit. Outside a transaction it is atomic; inside one (the way to
 * store many units fast), an error leaves the transaction to be rolled
 * back by the caller (am_tm_rollback), as import and add do. Identical
 * units (same languages, texts and markup), and units whose every variant
 * a stored unit already holds, are merged into it: usage count per
 * on_duplicate, the first provenance kept and the new one recorded. A unit
 * without variants is AM_EINPUT. id_out and outcome (AM_TM_*) may be NULL. */
int am_tm_add_unit(am_tm *tm, const am_unit *unit, int on_duplicate, int64_t *id_out,
                   int *outcome, am_error *err);
/* am_tm_add_unit with the keys computed by the caller: keys[i] (key_lens[i]
 * bytes) must be am_normalize(unit->variants[i].text). Lets an importer
 * normalise on one thread while another writes; keys stay the caller's. */
int am_tm_add_unit_keyed(am_tm *tm, const am_unit *unit, char *const *keys,
                         const size_t *key_lens, int on_duplicate, int64_t *id_out, int *outcome,
                         am_error *err);
/* 1 when the language of a stored variant (canonical) is what the user's
 * code asks for: "en" matches "en" and "en-US", "en-US" only "en-US". */
int am_tm_lang_matches(const char *wanted, const char *lang);

typedef struct am_tm_filter {
    const char *const *langs; size_t n_langs; /* units having all of them; NULL = all */
    int64_t document;   /* 0 = any */
    const char *since;  /* change date >= since; NULL = any */
    double min_score;   /* -1 = any */
    int64_t unit;       /* this unit only; 0 = any */
} am_tm_filter;

#define AM_TM_FILTER_INIT {NULL, 0, 0, NULL, -1, 0}

/* Call cb for every unit matching filter, in id order; the unit and its
 * strings are borrowed for the duration of the call. cb returns 0 to go on,
 * non-zero to stop (am_tm_foreach then returns AM_ESTOP). */
int am_tm_foreach(am_tm *tm, const am_tm_filter *filter,
                  int (*cb)(const am_unit *unit, void *ctx), void *ctx, am_error *err);

/* Call cb for every document, in id order; the document is borrowed for
 * the duration of the call. cb returns non-zero to stop (AM_ESTOP). */
int am_tm_foreach_document(am_tm *tm, int (*cb)(const am_document *doc, void *ctx), void *ctx,
                           am_error *err);

typedef struct am_tm_stats {
    long long documents;
    long long units;
    long long variants;
    long long file_bytes;
    /* units per language pair, one line each "en uk 123\n", sorted by
     * language; owned by the struct (am_tm_stats_free) */
    char *pairs;
    long long histogram[10]; /* confidence deciles: [0,.1) ... [.9,1] */
    long long unscored;      /* units without a confidence */
    long long props, notes;
} am_tm_stats;

int am_tm_stats_get(am_tm *tm, am_tm_stats *out, am_error *err);
void am_tm_stats_free(am_tm_stats *s);

/* ---- tm: the memory's lexicons (src/tm/sqlite_lex.c) ------------------
 * The memory keeps, per language pair (primary subtags), the counts of an
 * am_lexicon learned from its units: units, units per stem, units per stem
 * pair. Units with a confidence under AM_LEXICON_MIN_CONFIDENCE are not
 * learned from; units without one (TMX) are. A watermark (the last unit id
 * learned) makes updates incremental; import does not update the counts,
 * the next update catches up. */

/* Bring the counts up to date with the units stored since the last update
 * (rebuild: forget them and learn every unit again). Inside a transaction
 * of the caller it writes in it; else in one of its own. progress, may be
 * NULL, gets (units read, units to read). AM_EDB on a read-only memory. */
int am_tm_lexicon_update(am_tm *tm, int rebuild, void (*progress)(size_t done, size_t total,
                                                                  void *ctx),
                         void *ctx, am_error *err);
/* Load into lx (see am_lexicon_want) the counts of its language pair,
 * restricted to its wanted stems: the units, the wanted stems' counts, the
 * stem pairs holding a wanted stem and the counts of their partner stems.
 * Nothing is loaded when the memory has no counts for the pair. */
int am_tm_lexicon_load(am_tm *tm, am_lexicon *lx, am_error *err);
/* The same, but only the stem pairs whose two stems are both wanted (no
 * partner stems): far less to read from a large memory. linkable: only
 * what the aligner can link (both stems seen together in at least 2
 * units, Dice >= 0.2, no stem in more than 5 % of the units; see
 * src/lexicon/lexicon.h), which on a memory of a million units is a few
 * per cent of the pairs within; not for counts that will be added to. */
int am_tm_lexicon_load_within(am_tm *tm, am_lexicon *lx, int linkable, am_error *err);
/* Load into lx every pair of its language pair the aligner can link, with
 * its stems' counts, whatever is wanted - unless the memory holds more
 * than max_pairs candidates (or is too old to know them): then *loaded =
 * 0, nothing is loaded, and wanting the documents' stems for
 * am_tm_lexicon_load_within is the cheaper way. For documents long
 * against the memory: they need not be stemmed to be looked up. */
int am_tm_lexicon_load_linkable(am_tm *tm, am_lexicon *lx, size_t max_pairs, int *loaded,
                                am_error *err);
/* *learned = the watermark, *last = the highest unit id stored; the
 * counts are behind when last > learned. Either may be NULL. */
int am_tm_lexicon_status(am_tm *tm, int64_t *learned, int64_t *last, am_error *err);
/* 1 when tm, open read-only, has an older schema, which opening it for
 * writing would migrate (until then it is read as it is: a version 2
 * memory loads its lexicon for aligning more slowly); else 0. */
int am_tm_outdated(const am_tm *tm);
/* Call cb for each language pair with counts (a < b), sorted; a non-zero
 * return stops (AM_ESTOP). Strings borrowed for the call. */
int am_tm_lexicon_pairs(am_tm *tm, int (*cb)(const char *a, const char *b, uint64_t units,
                                             void *ctx),
                        void *ctx, am_error *err);

/* ---- tm: lookup (fuzzy match score, word diff, concordance) ----------
 * Implemented in src/tm/fuzzy.c, diff.c, lookup*.c (src/tm/lookup.h lists
 * them), concord.c. */

/* What kept a match below 100. The first four cost points (in brackets);
 * AM_FUZZY_NUMBERS only says that numbers were among the word edits. */
enum {
    AM_FUZZY_CASE = 1,     /* letter case differs (-1) */
    AM_FUZZY_PUNCT = 2,    /* punctuation, apostrophe/quote style, ё/е or spacing (-1) */
    AM_FUZZY_NUMFMT = 4,   /* the same numbers written differently, "5 000"/"5000" (-2) */
    AM_FUZZY_CODES = 8,    /* the match holds inline codes the query lacks (-1) */
    AM_FUZZY_NUMBERS = 16  /* numbers differ (counted as word edits) */
};

typedef struct am_fuzzy {
    double score;  /* base - penalty, >= 0; 100 only for identical text */
    double base;   /* 100 * (max(n,m) - edits) / max(n,m) over word tokens */
    double chars;  /* character similarity of the normalised words, 0..100:
                      orders equal scores, never changes them */
    int flags;     /* AM_FUZZY_* */
    int penalty;   /* points taken for the flags */
    size_t query_tokens, match_tokens, edits;
} am_fuzzy;

/* Score a stored segment (match) against a query; match_has_codes says
 * that the stored segment had inline codes. Fills *out; no allocation
 * survives the call. */
int am_fuzzy_score(am_fuzzy *out, const char *query, size_t query_len, const char *match,
                   size_t match_len, int match_has_codes, am_error *err);

/* A word-by-word difference from old_text (the stored segment) to
 * new_text (the query). Each span is a run of words and punctuation with
 * one operation; it lies in old_text for AM_DIFF_DELETE, in new_text
 * otherwise. space_before: white space precedes the span in its text. */
enum { AM_DIFF_EQUAL = 0, AM_DIFF_DELETE = 1, AM_DIFF_INSERT = 2 };
typedef struct am_diff_span {
    int op;
    size_t offset, length;
    int space_before;
} am_diff_span;
typedef struct am_diff {
    am_diff_span *spans;
    size_t n;
} am_diff;

/* *out owned by the caller: am_diff_free() (NULL is fine). */
int am_word_diff(am_diff **out, const char *old_text, size_t old_len, const char *new_text,
                 size_t new_len, am_error *err);
void am_diff_free(am_diff *d);
/* Append the diff as text: "a [-old-]{+new+} b" (AM_DIFF_PLAIN), or with
 * ANSI colours, red deleted and green inserted (AM_DIFF_COLOR). */
enum { AM_DIFF_PLAIN = 0, AM_DIFF_COLOR = 1 };
int am_diff_render(am_buf *out, const am_diff *d, const char *old_text, const char *new_text,
                   int style);
/* Append the diff as a JSON array of {"op": "equal"|"delete"|"insert",
 * "text": "..."}; a span's text starts with " " when space_before, so the
 * equal+insert texts give the query and the equal+delete ones the match. */
int am_diff_json(am_buf *out, const am_diff *d, const char *old_text, const char *new_text);

typedef struct am_lookup_opts {
    int version;                 /* AM_LOOKUP_OPTS_VERSION */
    const char *from;            /* language of the queries (required) */
    const char *const *to;       /* languages of the renderings; NULL = all */
    size_t n_to;
    double min_score;            /* matches below are dropped; default 70 */
    size_t max_matches;          /* per query; default 5 */
    size_t max_candidates;       /* scored exactly per query; 0 (default) =
                                    max(100, 20 * max_matches) */
} am_lookup_opts;

#define AM_LOOKUP_OPTS_VERSION 1
#define AM_LOOKUP_OPTS_INIT {AM_LOOKUP_OPTS_VERSION, NULL, NULL, 0, 70.0, 5, 0}

typedef struct am_match {
    double score;          /* fuzzy.score, or 101 for an in-context exact match */
    int context;           /* 1 when in context (batch lookups only) */
    am_fuzzy fuzzy;
    int64_t unit;
    int64_t document;      /* 0 for none */
    long position;         /* -1 for none */
    const char *document_title; /* NULL for none */
    const char *source;    /* the matched segment, in the query's language */
    const am_variant *variants; /* source first, then the renderings asked for */
    size_t n_variants;
    am_diff *diff;         /* from source to the query */
} am_match;

typedef struct am_matches {
    am_match *m;           /* best first: score, then chars, then unit id */
    size_t n;
    size_t candidates;     /* segments scored exactly */
    void *priv;
} am_matches;

typedef struct am_lookup am_lookup; /* prepared statements and context */

/* A lookup session on an open memory (borrowed; keep it open). Successive
 * am_lookup_run calls are successive segments of one text: a 100% match
 * following the unit that matched the previous segment becomes an
 * in-context match (101). *out owned by the caller: am_lookup_free(). */
int am_lookup_new(am_lookup **out, am_tm *tm, const am_lookup_opts *opts, am_error *err);
/* Look one segment up. *out owned by the caller: am_matches_free(). */
int am_lookup_run(am_matches **out, am_lookup *lk, const char *query, size_t len,
                  am_error *err);
/* Forget the previous segment (a new text starts). */
void am_lookup_reset(am_lookup *lk);
void am_lookup_free(am_lookup *lk);
void am_matches_free(am_matches *m);
/* One lookup without context. *out owned by the caller: am_matches_free(). */
int am_tm_lookup(am_matches **out, am_tm *tm, const char *query, size_t len,
                 const am_lookup_opts *opts, am_error *err);

typedef struct am_concord_opts {
    int version;           /* AM_CONCORD_OPTS_VERSION */
    const char *lang;      /* language searched; default "en" */
    size_t limit;          /* units returned; default 20 */
    size_t group_window;   /* first matches grouped by rendering; default 500 */
} am_concord_opts;

#define AM_CONCORD_OPTS_VERSION 1
#define AM_CONCORD_OPTS_INIT {AM_CONCORD_OPTS_VERSION, NULL, 20, 500}

typedef struct am_concord_hit {
    int64_t unit;
    int64_t document;
    const char *document_title; /* NULL for none */
    const char *text;           /* the segment in the searched language */
    size_t hl_offset, hl_length; /* first occurrence of the phrase in text;
                                    hl_length 0 when it cannot be placed */
    const am_variant *variants; /* the other languages */
    size_t n_variants;
    size_t group;               /* rank of its rendering: 0 = most frequent */
    size_t group_size;          /* units sharing that rendering */
} am_concord_hit;

typedef struct am_concord {
    long long total;       /* every matching unit, not only those returned */
    am_concord_hit *hits;  /* by group, then unit id */
    size_t n;
    void *priv;
} am_concord;

/* Units whose text in opts->lang holds phrase: word boundaries, case,
 * apostrophe and ё insensitive; "крим*" matches inflected forms. *out
 * owned by the caller: am_concord_free(). AM_EARG for a phrase without
 * words. */
int am_tm_concord(am_concord **out, am_tm *tm, const char *phrase, size_t len,
                  const am_concord_opts *opts, am_error *err);
void am_concord_free(am_concord *c);

/* ======================================================================
 * tmx: streaming TMX 1.4b reader and writer (knows no store)
 * ==================================================================== */

typedef struct am_tmx_header {
    const char *srclang;  /* "*all*" or a code */
    const char *adminlang;
    const char *datatype;
    const char *creationtool, *creationtoolversion, *o_tmf, *segtype, *creationdate;
    /* Appended by tmx; all may be NULL / 0. The writer fills unset required
     * attributes with alignmem defaults (creationtool "alignmem", segtype
     * "sentence", datatype "plaintext", adminlang "en", creationdate now). */
    const char *version;  /* reader: the tmx version attribute ("1.1".."1.4") */
    const char *o_encoding, *creationid, *changedate, *changeid;
    const am_prop *props; size_t n_props; /* header props (Trados writes them) */
    const am_prop *notes; size_t n_notes;
} am_tmx_header;

typedef struct am_tmx_writer am_tmx_writer;

/* Start a TMX document on an open FILE (not closed by the writer).
 * lang_style_region: write "uk-UA" style codes. *out owned by the caller:
 * am_tmx_writer_finish() (which also frees it), or am_tmx_writer_free() on
 * error paths. */
int am_tmx_writer_new(am_tmx_writer **out, FILE *fp, const am_tmx_header *h,
                      int lang_style_region, am_error *err);
/*
 * Write one tu; variants are written in the given order, so a pair export
 * puts the source first (translate-toolkit reads source/target by
 * position). Writes tuid (u->tuid, else u->id when > 0), dates converted to
 * YYYYMMDDThhmmssZ (ISO 8601 "2024-05-01", "2024-05-01 10:00:00",
 * "2024-05-01T10:00:00+02:00" and the TMX form are accepted), usagecount,
 * the confidence (when >= 0) as <prop type="x-alignmem-confidence">, then
 * the unit's props and notes. A variant's markup, when set, is written as
 * the seg content verbatim (it must be the well-formed inline XML the reader
 * produced); else its text, escaped. Text XML 1.0 cannot carry (C0 controls,
 * invalid UTF-8) and unparseable dates are AM_EINPUT naming the tuid.
 */
int am_tmx_write_unit(am_tmx_writer *w, const am_unit *u, am_error *err);
/* Close the document, flush, and free w (also on error). */
int am_tmx_writer_finish(am_tmx_writer *w, am_error *err);
void am_tmx_writer_free(am_tmx_writer *w);

typedef struct am_tmx_callbacks {
    /* header once, then each unit; a non-zero return stops the reader. The
     * structs are borrowed for the duration of the call. */
    int (*on_header)(const am_tmx_header *h, void *ctx);
    int (*on_unit)(const am_unit *u, void *ctx);
    void (*on_warning)(const char *where, long line, const char *msg, void *ctx);
    void *ctx;
    /* Appended by tmx, optional: input bytes consumed so far and the file
     * size (-1 for a pipe), called about every megabyte, for a progress bar. */
    void (*on_progress)(long long done, long long total, void *ctx);
} am_tmx_callbacks;

/* Reader limits: deeper nesting or a longer segment is AM_ELIMIT. */
#define AM_TMX_MAX_DEPTH 64
#define AM_TMX_MAX_SEG (10 * 1024 * 1024)

/*
 * Read a TMX file ("-" is stdin) streaming: TMX 1.1-1.4 (`lang` or
 * `xml:lang`), UTF-8 or UTF-16 with BOM, no network, no external entities,
 * no DTD loading, bounded sizes. What the callbacks get:
 *  - language codes canonical ("EN-US", "en_us" -> "en-US"); srclang "*all*"
 *    kept;
 *  - variant text = the seg's plain text exactly as written, with the
 *    content of <hi> kept (it is translatable text) and the content of
 *    bpt/ept/it/ph/ut (native codes) and of their <sub> flows dropped;
 *    markup = the seg content re-serialised as XML when it held any inline
 *    element, else NULL;
 *  - the prop x-alignmem-confidence becomes unit.confidence (the writer
 *    writes it), other props and notes are passed on in order; dates as in
 *    the file (an unparseable one is dropped with a warning).
 * Unknown elements are skipped with a warning (inside a seg their text is
 * kept). Malformed or hostile XML, an entity declaration or reference, a tu
 * without tuv, a tuv without language, or a root that is not <tmx> is
 * AM_EXML; limits are AM_ELIMIT; every error names file, line and column.
 * A non-zero callback return stops the reader with AM_ESTOP. Units already
 * delivered before an error stay delivered: callers wanting all-or-nothing
 * wrap the read in a transaction.
 */
int am_tmx_read(const char *path, const am_tmx_callbacks *cb, am_error *err);

/* ======================================================================
 * report: renderings of an alignment (jsonl, tsv, html)
 * ==================================================================== */

enum { AM_REPORT_JSONL = 1, AM_REPORT_TSV = 2, AM_REPORT_HTML = 3 };

typedef struct am_report_opts {
    int format;
    double flag_below; /* html: beads under this confidence are flagged */
    const char *title;
} am_report_opts;

/* Render an alignment of the given versions to fp. */
int am_report_write(FILE *fp, const am_alignment *a, const am_text *const *versions,
                    size_t n, const am_report_opts *opts, am_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ALIGNMEM_H */
