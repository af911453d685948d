/* segment.c - sentence segmentation: one ICU sentence-break pass (UAX #29,
 * https://unicode.org/reports/tr29/#Sentence_Boundaries) over the text in
 * UTF-16, then a repair pass over the candidate boundaries, driven by the
 * language table (lang/lang.h). ICU 72 has no Ukrainian exceptions and
 * breaks after "м. Київ", "ст. 5", "В. В. Путин"; it never breaks after
 * "…", nor before a dialogue dash or a number followed by a lower-case
 * word. So we add those candidates and then keep or drop each one:
 *  - a blank line is always a boundary (a paragraph break);
 *  - a line end is a boundary unless the next line continues the sentence
 *    (starts in lower case, or the line ends with a comma): headlines,
 *    captions and list items stand alone;
 *  - after "?" or "!" (closing quotes allowed) a lower-case word continues
 *    the sentence; dashes and commas after them are ICU's own rule SB8a;
 *  - after a period: abbreviations by their table flags (lang.h), initials
 *    before a name and after a surname where the table allows, list
 *    numbers, lone lower-case letters before numbers;
 *  - "…" and a dialogue dash before a capital, a period before a number.
 * Performance: UTF-16 conversion in cache-sized chunks with a map back to
 * byte offsets; the break iterator is cached in the language table; every
 * look-around is bounded (MAX_WORD) so the whole pass is linear. */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* Words longer than this are neither abbreviations nor initials; the
 * bound keeps pathological input (a megabyte of "a?a?a?") linear. */
#define MAX_WORD 64

typedef enum { NEXT_END, NEXT_LOWER, NEXT_UPPER, NEXT_DIGIT, NEXT_OTHER } next_kind;

typedef struct seg_ctx {
    const char *s;
    size_t n;
    am_lang *lang;
} seg_ctx;

typedef struct offsets {
    size_t *v;
    size_t n, cap;
} offsets;

static int push_off(offsets *o, size_t x)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        size_t *nv = realloc(o->v, cap * sizeof *nv);
        if (!nv)
            return AM_ENOMEM;
        o->v = nv;
        o->cap = cap;
    }
    o->v[o->n++] = x;
    return AM_OK;
}

/* ---- looking around a candidate boundary ----------------------------- */

static size_t skip_space_fwd(const char *s, size_t i, size_t n)
{
    while (i < n) {
        size_t j = i;
        if (!am_is_space(am_next_cp(s, &j, n)))
            break;
        i = j;
    }
    return i;
}

static size_t skip_space_back(const char *s, size_t i)
{
    while (i > 0) {
        size_t j = i;
        if (!am_is_space(am_prev_cp(s, &j)))
            break;
        i = j;
    }
    return i;
}

/* A byte that is ASCII white space; for byte loops, where am_is_space
 * would take the continuation bytes 0x85 and 0xA0 (in "х", "Р") for
 * U+0085 and U+00A0. */
static int is_ascii_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Line ends (LF, CRLF, CR) in s[b..e). */
static int count_newlines(const char *s, size_t b, size_t e)
{
    int k = 0;
    for (size_t i = b; i < e; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= e || s[i + 1] != '\n')))
            k++;
    return k;
}

/* The kind of the first letter or digit at q, past opening quotes. */
static next_kind classify_next(const seg_ctx *x, size_t q)
{
    while (q < x->n) {
        size_t j = q;
        UChar32 c = am_next_cp(x->s, &j, x->n);
        if (!am_is_opener(c))
            break;
        q = j;
    }
    if (q >= x->n)
        return NEXT_END;
    UChar32 c = am_next_cp(x->s, &q, x->n);
    if (u_isdigit(c))
        return NEXT_DIGIT;
    if (u_islower(c))
        return NEXT_LOWER;
    if (u_isupper(c) || u_istitle(c))
        return NEXT_UPPER;
    return NEXT_OTHER;
}

/* The word at q (letters only, past openers) is a sentence starter of the
 * language, and not an initial ("В." is no starter even though "В" is). */
static int next_word_in(const seg_ctx *x, size_t q, int continuers);

static int next_is_starter(const seg_ctx *x, size_t q)
{
    return next_word_in(x, q, 0);
}

/* The word at q continues a sentence after an abbreviation ("Eastern"). */
static int next_is_continuer(const seg_ctx *x, size_t q)
{
    return next_word_in(x, q, 1);
}

static int next_word_in(const seg_ctx *x, size_t q, int continuers)
{
    size_t b = q, e;
    while (b < x->n) {
        size_t j = b;
        if (!am_is_opener(am_next_cp(x->s, &j, x->n)))
            break;
        b = j;
    }
    e = b;
    while (e < x->n && e - b < MAX_WORD) {
        size_t j = e;
        if (!u_isalpha(am_next_cp(x->s, &j, x->n)))
            break;
        e = j;
    }
    if (e == b || (!continuers && e < x->n && x->s[e] == '.'))
        return 0;
    return continuers ? am_lang_is_continuer(x->lang, x->s + b, e - b)
                      : am_lang_is_starter(x->lang, x->s + b, e - b);
}

/* Start of the white-space separated word ending at e (at most MAX_WORD
 * bytes back). */
static size_t word_start(const char *s, size_t e)
{
    size_t b = e;
    while (b > 0 && e - b < MAX_WORD) {
        size_t j = b;
        if (am_is_space(am_prev_cp(s, &j)))
            break;
        b = j;
    }
    return b;
}

static size_t skip_openers(const char *s, size_t b, size_t e)
{
    while (b < e) {
        size_t j = b;
        if (!am_is_opener(am_next_cp(s, &j, e)))
            break;
        b = j;
    }
    return b;
}

/* "В.", "В.В.", "J.R.R.", "Ж.-П.": capital letters each followed by a dot. */
static int is_initials(const char *s, size_t b, size_t e)
{
    int letters = 0;
    while (b < e) {
        UChar32 c = am_next_cp(s, &b, e);
        if (!(u_isupper(c) || u_istitle(c)) || b >= e || s[b] != '.')
            return 0;
        b++;
        letters++;
        if (b < e && s[b] == '-')
            b++;
    }
    return letters > 0;
}

/* A number, or what stands for one before a unit: "2019", "1990-х", a
 * Roman numeral in Latin or Cyrillic look-alike letters ("XX", "ХХ"). */
static int is_numberish(const char *s, size_t b, size_t e)
{
    int roman = b < e;
    for (size_t i = b; i < e;) {
        UChar32 c = am_next_cp(s, &i, e);
        if (u_isdigit(c))
            return 1;
        if (!strchr("IVXLCDM", c < 0x80 ? (int)c : 'a') && c != 0x0425 && c != 0x0406)
            roman = 0;
    }
    return roman;
}

/* The last few words before e (openers stripped), joined by single
 * spaces, for multi-word abbreviations such as "і т. ін.". */
static size_t build_tail(char *buf, size_t cap, const char *s, size_t e, size_t *prev_b,
                         size_t *prev_e)
{
    size_t starts[4], ends[4];
    int k = 0;
    size_t pos = e;
    *prev_b = *prev_e = 0;
    while (k < 4 && pos > 0) {
        size_t b = word_start(s, pos);
        starts[k] = skip_openers(s, b, pos);
        ends[k] = pos;
        k++;
        pos = skip_space_back(s, b);
        if (pos > 0 && count_newlines(s, pos, b))
            break; /* abbreviations do not span lines */
    }
    if (k > 1)
        *prev_b = starts[1], *prev_e = ends[1];
    size_t len = 0;
    for (int w = k - 1; w >= 0; w--) {
        size_t wl = ends[w] - starts[w];
        if (len + wl + 1 >= cap)
            break;
        memcpy(buf + len, s + starts[w], wl);
        len += wl;
        if (w > 0)
            buf[len++] = ' ';
    }
    buf[len] = '\0';
    return len;
}

/* The word after the one at q starts in lower case: "Others were", as
 * opposed to a name of several capitalised words ("Supreme Court"). */
static int next_next_is_lower(const seg_ctx *x, size_t q)
{
    size_t e = q;
    while (e < x->n && e - q < MAX_WORD) {
        size_t j = e;
        if (am_is_space(am_next_cp(x->s, &j, x->n)))
            break;
        e = j;
    }
    size_t r = skip_space_fwd(x->s, e, x->n);
    return r > e && r - e < MAX_WORD && r < x->n && classify_next(x, r) == NEXT_LOWER;
}

/* A capitalised word with lower-case letters: a name, not an initial. */
static int is_capitalised_word(const char *s, size_t b, size_t e)
{
    b = skip_openers(s, b, e);
    if (b >= e)
        return 0;
    UChar32 c = am_next_cp(s, &b, e);
    if (!u_isupper(c))
        return 0;
    while (b < e) {
        c = am_next_cp(s, &b, e);
        if (u_islower(c))
            return 1;
    }
    return 0;
}

/* Initials ending at w_e that follow a surname ("Лобода Л. М.", "Smith,
 * J. R.") as the table allows: then the period may end the sentence. */
static int initials_after_surname(const seg_ctx *x, size_t w_b, size_t w_e, size_t sent_start)
{
    const char *s = x->s;
    int mode = x->lang->initials_after_surname, letters = 0;
    size_t b = w_b, e = w_e;
    if (mode == AM_SURNAME_NEVER)
        return 0;
    for (;;) { /* walk back over the block of initials, counting them */
        for (size_t i = b; i < e; i++)
            letters += s[i] == '.';
        size_t pe = skip_space_back(s, b);
        if (pe == 0)
            return 0;
        size_t pb = word_start(s, pe);
        if (!is_initials(s, pb, pe)) {
            int comma = s[pe - 1] == ',';
            if (pb == sent_start || letters < 2 || (mode == AM_SURNAME_COMMA_INITIALS) != comma)
                return 0;
            return is_capitalised_word(s, pb, comma ? pe - 1 : pe);
        }
        b = pb;
        e = pe;
    }
}

/* The sentence so far, from sent_start to w_b, is only a fronted date or
 * number: numbers, month names and short words ("8 вересня 2019 р.",
 * "У 2020 р."). Then the abbreviation after it cannot end the sentence. */
static int fronted_date(const seg_ctx *x, size_t sent_start, size_t w_b)
{
    const char *s = x->s;
    if (w_b <= sent_start || w_b - sent_start > 4 * MAX_WORD)
        return 0;
    for (size_t b = sent_start; b < w_b;) {
        size_t e = b;
        while (e < w_b && !is_ascii_space(s[e]))
            e++;
        size_t we = e > b && s[e - 1] == ',' ? e - 1 : e, letters = 0;
        for (size_t i = b; i < we; letters++)
            am_next_cp(s, &i, we);
        if (!(is_numberish(s, b, we) || am_lang_is_month(x->lang, s + b, we - b) || letters <= 2))
            return 0;
        b = skip_space_fwd(s, e, w_b);
    }
    return 1;
}

/* After a period with no closing quote: 1 keeps the boundary, 0 drops it.
 * t is just past the period, q the start of the next word, sent_start
 * where the current sentence began. */
static int decide_period(const seg_ctx *x, size_t t, size_t q, next_kind nk, size_t sent_start)
{
    const char *s = x->s;
    size_t w_e = t, w_b = skip_openers(s, word_start(s, t), t);
    if (w_e - w_b >= 2 && s[w_e - 2] == '.')
        return nk != NEXT_LOWER; /* "..." ends a sentence before a capital */
    /* "1. Item": a list number opening a sentence is part of it. */
    if (w_b == sent_start && w_e - w_b <= 4) {
        size_t i = w_b;
        while (i < w_e - 1 && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == w_e - 1 && i > w_b)
            return 0;
    }
    size_t i = w_b;
    UChar32 c0 = am_next_cp(s, &i, w_e);
    int single = i + 1 == w_e && (u_isupper(c0) || u_istitle(c0));
    int flags = 0;
    if (!single) {
        char tail[192];
        size_t pb, pe;
        size_t tl = build_tail(tail, sizeof tail, s, t, &pb, &pe);
        flags = am_lang_abbr_flags(x->lang, tail, tl);
        if (flags & AM_ABBR_UNIT) /* "2019 р." but not "ч. 5 ст. 191" */
            flags = pe > pb && is_numberish(s, pb, pe) && nk != NEXT_DIGIT ? AM_ABBR_END
                                                                           : AM_ABBR_NEVER;
        if (flags && w_b == sent_start)
            return 0; /* an abbreviation alone is no sentence: "U.S. Secretary" */
        if ((flags & AM_ABBR_END) && fronted_date(x, sent_start, w_b))
            return 0;
    }
    if (flags & AM_ABBR_NEVER)
        return 0;
    if (flags & AM_ABBR_NUM)
        return nk != NEXT_DIGIT && nk != NEXT_LOWER;
    if (flags & AM_ABBR_END)
        return nk != NEXT_LOWER && !next_is_continuer(x, q);
    if (flags & AM_ABBR_ADJ)
        return nk == NEXT_UPPER && !next_is_continuer(x, q) &&
               (next_is_starter(x, q) || next_next_is_lower(x, q));
    /* A lone lower-case letter before a number is an abbreviation the
     * table lacks ("s. 5", "b. 1950"), not a sentence end. */
    if (!flags && nk == NEXT_DIGIT && i + 1 == w_e && u_islower(c0))
        return 0;
    if (single || is_initials(s, w_b, w_e)) {
        if (nk != NEXT_UPPER || next_is_starter(x, q))
            return 1;
        /* "Лобода Л. М. Він розповів" ends; "А.Б. Веденеев." does not. */
        return next_next_is_lower(x, q) && initials_after_surname(x, w_b, w_e, sent_start);
    }
    return nk != NEXT_LOWER;
}

/* Strip closing quotes and brackets back from p; *closers says if any. */
static size_t strip_closers(const char *s, size_t p, int *closers)
{
    size_t t = p;
    while (t > 0) {
        size_t j = t;
        if (!am_is_closer(am_prev_cp(s, &j)))
            break;
        t = j;
    }
    *closers = t != p;
    return t;
}

/* Keep a candidate inside a line (or at a line end when nl == 1)?
 * p = end of the text before it, q = start of the text after it. */
static int keep_candidate(const seg_ctx *x, size_t p, size_t q, int nl, size_t sent_start)
{
    const char *s = x->s;
    int closers;
    size_t t = strip_closers(s, p, &closers);
    if (t == 0)
        return 1;
    next_kind nk = classify_next(x, q);
    size_t j = t;
    UChar32 term = am_prev_cp(s, &j);
    if (term == '.' && !closers)
        return decide_period(x, t, q, nk, sent_start);
    if (term == '.' || term == '?' || term == '!' || term == 0x2026 || term == ';' ||
        term == ':')
        return nl ? 1 : nk != NEXT_LOWER;
    if (!nl)
        return 1;
    /* A line without final punctuation: a headline stands alone, but a
     * line wrapped inside a sentence continues in lower case or after a
     * comma. */
    if (nk == NEXT_LOWER)
        return 0;
    return !(term == ',' && nk != NEXT_OTHER);
}

/* ---- headlines running into a sentence -------------------------------- */

/* A headline, caption or "Read also" line has no final punctuation; when
 * text is joined into one line per paragraph it runs into the sentence
 * after it ("Six hurt in prison riot He said ...") and ICU sees one
 * sentence. A "Read also" line may sit inside a paragraph too, so we look
 * at the first HEADLINE_WORDS words of every sentence, and take two cues:
 *  - a capitalised sentence starter of the language (the table's list:
 *    "He", "But", "Він", "Однако") after a lower-case word or a closing
 *    quote or bracket, followed by a lower-case word: Title Case ("Man
 *    Shot In Park") and names ("the band The Who") are followed by a
 *    capital. A one-letter starter ("A", "У") only after a closer, since
 *    "vitamin A deficiency" is no sentence end;
 *  - a quotation of two or more words closed before a capital: headlines
 *    end in quoted phrases ("... 'looking like muppets' There is"), while
 *    a quoted name is one word ("ФК «Сандерленд» Джек Росс").
 * Languages without a table have no starters: only the second cue. */
#define HEADLINE_WORDS 30

typedef struct headline_scan {
    int on;          /* still looking in the current sentence */
    size_t pos;      /* scanned up to here */
    int words;       /* words seen since the sentence start */
    int quote_words; /* words since an opening quote, -1 outside one */
    int quote_from;  /* the word the quote opened at */
} headline_scan;

static void headline_reset(headline_scan *h, size_t pos)
{
    *h = (headline_scan){1, pos, 0, -1, 0};
}

/* The word at q: a capital letter, then letters up to white space, an
 * apostrophe ("It's") or , ; : (not "Де-Мойнсом", not "U.S.");
 * *letters = how many. */
static int plain_capitalised(const seg_ctx *x, size_t q, size_t *letters)
{
    size_t i = q;
    *letters = 0;
    while (i < x->n && *letters < MAX_WORD) {
        size_t k = i;
        unsigned char b = (unsigned char)x->s[i];
        UChar32 c = b < 0x80 ? (k++, (UChar32)b) : am_next_cp(x->s, &k, x->n);
        if (b < 0x80 ? !((b | 0x20) >= 'a' && (b | 0x20) <= 'z') : !u_isalpha(c))
            return *letters > 0 &&
                   (am_is_space(c) || c == ',' || c == ';' || c == ':' || c == '\'' || c == 0x2019);
        if (*letters == 0 && !u_isupper(c) && !u_istitle(c))
            return 0;
        i = k;
        ++*letters;
    }
    return 0;
}

/* The gap after the word s[wb..we) (q = start of the next word) ends a
 * headline? */
static int headline_cut(const seg_ctx *x, const headline_scan *h, size_t wb, size_t we, size_t q)
{
    int closers;
    size_t t = strip_closers(x->s, we, &closers), letters, i = skip_openers(x->s, wb, t);
    if (t <= i)
        return 0;
    unsigned char b0 = (unsigned char)x->s[i];
    if (!closers && !(b0 < 0x80 ? b0 >= 'a' && b0 <= 'z' : u_islower(am_next_cp(x->s, &i, t))))
        return 0; /* "Somerset Police said", "World War One as" */
    size_t j = t;
    if (!u_isalnum(am_prev_cp(x->s, &j)) || !plain_capitalised(x, q, &letters))
        return 0;
    /* A quoted phrase opened after the headline's first word: a quote
     * that opens the sentence is the speech a "Smith said" follows. */
    if (closers && h->quote_words >= 1 && h->quote_from > 0)
        return x->s[q + letters] != ',' && next_next_is_lower(x, q) && !next_is_continuer(x, q);
    return (letters >= 2 || closers) && next_next_is_lower(x, q) && next_is_starter(x, q);
}

/* Quick byte tests: this scan looks at most words of a text, and code
 * point look-ups would cost as much as the rest of the pass. A word may
 * open with a quote or bracket: an ASCII one, or a lead byte of « „ “ ‘ ‹
 * (C2, E2). It may end with one: an ASCII one, or the last byte of
 * » ” ’ › “ (some Cyrillic letters end in the same bytes: then we look). */
static int maybe_opener_byte(unsigned char c)
{
    return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == 0xC2 || c == 0xE2;
}

static int maybe_closer_byte(unsigned char c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0xBB || c == 0x9D ||
           c == 0x99 || c == 0xBA || c == 0x9C;
}

/* The code point at q is a capital letter. ASCII and the Cyrillic
 * lower-case block (U+0430..U+045F) are told without ICU. */
static int starts_capital(const seg_ctx *x, size_t q)
{
    unsigned char b = (unsigned char)x->s[q];
    if (b < 0x80)
        return b >= 'A' && b <= 'Z';
    if (b == 0xD1 || (b == 0xD0 && q + 1 < x->n && (unsigned char)x->s[q + 1] >= 0xB0))
        return 0;
    UChar32 c = am_next_cp(x->s, &q, x->n);
    return u_isupper(c) || u_istitle(c);
}

/* Scan the words of s[h->pos..e) for the end of a headline; 1 and *cut
 * (the start of the sentence after it) when found. Resumable: the repair
 * pass calls it once per candidate, each word is looked at once. Words
 * are split at ASCII spaces only (memchr): a line end is a candidate of
 * its own, and a gap of other white space is simply not looked at. */
static int headline_step(const seg_ctx *x, headline_scan *h, size_t e, size_t *cut)
{
    const char *s = x->s;
    while (h->on && h->pos < e) {
        size_t wb = h->pos;
        if (h->words >= HEADLINE_WORDS) {
            h->on = 0;
            break;
        }
        if (h->words == 0 && classify_next(x, wb) != NEXT_UPPER &&
            classify_next(x, wb) != NEXT_DIGIT) {
            h->on = 0; /* a headline starts with a capital or a number */
            break;
        }
        const char *sp = memchr(s + wb, ' ', e - wb);
        if (!sp) {
            /* The candidate at e decides. A longer word is no headline's,
             * and the bound keeps rescanning it linear. */
            h->on = e - wb <= 4 * MAX_WORD;
            break;
        }
        size_t we = (size_t)(sp - s), q = we;
        while (q < e && s[q] == ' ')
            q++;
        if (q >= e || we == wb)
            break;
        if (maybe_opener_byte((unsigned char)s[wb]) && skip_openers(s, wb, we) > wb) {
            h->quote_words = 0;
            h->quote_from = h->words;
        }
        int closers = 0;
        if (maybe_closer_byte((unsigned char)s[we - 1]))
            strip_closers(s, we, &closers);
        h->words++;
        int cut_here = starts_capital(x, q) && headline_cut(x, h, wb, we, q);
        if (h->quote_words >= 0)
            h->quote_words = closers ? -1 : h->quote_words + 1;
        h->pos = q;
        if (cut_here) {
            *cut = q;
            h->on = 0;
            return 1;
        }
    }
    return 0;
}

/* ---- candidates ---------------------------------------------------- */

/* ICU boundaries of s[base..base+len) (UTF-16 in u), as byte offsets. */
static int icu_candidates(offsets *o, const am_u16 *u, size_t base, UBreakIterator *bi,
                          am_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, u->s, u->n, &st);
    if (U_FAILURE(st))
        return am_error_set(err, AM_EINPUT, "ICU sentence break: %s", u_errorName(st));
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
        if (push_off(o, base + u->map[b]))
            return am_error_set(err, AM_ENOMEM, "out of memory");
    }
    /* Do not keep a pointer to our buffer inside the cached iterator. */
    ubrk_setText(bi, NULL, 0, &st);
    return AM_OK;
}

/* Run ICU over chunks of about CHUNK bytes ending at a line end: a line
 * end is a hard break for ICU anyway (UAX #29 rule SB4), and a small
 * UTF-16 buffer that stays in the cache is much faster than one the size
 * of the text (page faults dominated the first profile). */
#define CHUNK 65536

static int all_icu_candidates(offsets *o, const seg_ctx *x, UBreakIterator *bi, am_error *err)
{
    am_u16 u = AM_U16_INIT;
    int rc = AM_OK;
    for (size_t b = 0, e; b < x->n && rc == AM_OK; b = e) {
        e = b + CHUNK < x->n ? b + CHUNK : x->n;
        const char *nl = e < x->n ? memchr(x->s + e, '\n', x->n - e) : NULL;
        e = nl ? (size_t)(nl - x->s) + 1 : x->n;
        rc = am_u16_from_utf8(&u, x->s + b, e - b);
        if (rc) {
            am_error_set(err, rc, rc == AM_ELIMIT ? "a line too long to segment (2 GiB)"
                                                  : "out of memory");
            break;
        }
        rc = icu_candidates(o, &u, b, bi, err);
    }
    am_u16_free(&u);
    return rc;
}

/* The end of a sentence just before s[i] (white space, then closers, then
 * . ? ! or …)? */
static int sentence_end_before(const seg_ctx *x, size_t i)
{
    size_t p = skip_space_back(x->s, i);
    if (p == i || p == 0)
        return 0;
    int closers;
    size_t t = strip_closers(x->s, p, &closers);
    if (t == 0)
        return 0;
    UChar32 c = am_prev_cp(x->s, &t);
    return c == '.' || c == '?' || c == '!' || c == 0x2026;
}

/* ". 2 жовтня": a sentence that starts with a number. ICU does not break
 * there when a lower-case word follows the number (UAX #29 rule SB8); the
 * repair pass then decides, so "ст. 5" and "No. 5" stay together. */
static int digit_after_period(const seg_ctx *x, size_t i, size_t *cand)
{
    const char *s = x->s;
    size_t j = i + 1;
    if (i + 2 >= x->n || !am_is_space(am_next_cp(s, &j, x->n)))
        return 0;
    size_t q = skip_space_fwd(s, i + 1, x->n);
    if (q >= x->n || s[q] < '0' || s[q] > '9' || count_newlines(s, i + 1, q))
        return 0;
    *cand = q;
    return 1;
}

/* Boundaries ICU never makes: "…" + optional closers + space + capital,
 * a dialogue dash after a sentence end, before a capital ("...моста?
 * — Мы планируем"; ICU counts dashes as SContinue, UAX #29 rule SB8a),
 * and a period before a number. */
static int extra_candidates(offsets *o, const seg_ctx *x, am_error *err)
{
    const char *s = x->s;
    for (size_t i = 0; i < x->n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t cand;
        if (c == '.' && digit_after_period(x, i, &cand)) {
            if ((o->n == 0 || o->v[o->n - 1] != cand) && push_off(o, cand))
                return am_error_set(err, AM_ENOMEM, "out of memory");
            continue;
        }
        if (c != 0xE2 && c != '-')
            continue;
        size_t after = i + (c == '-' ? 1 : 3);
        if (after > x->n || (c == 0xE2 && (unsigned char)s[i + 1] != 0x80))
            continue;
        unsigned char c3 = c == 0xE2 ? (unsigned char)s[i + 2] : 0;
        if (c3 == 0xA6) { /* … */
            size_t k = after;
            while (k < x->n) {
                size_t j = k;
                if (!am_is_closer(am_next_cp(s, &j, x->n)))
                    break;
                k = j;
            }
            cand = skip_space_fwd(s, k, x->n);
            if (cand == k || cand >= x->n || count_newlines(s, k, cand))
                continue;
        } else if (c == '-' || c3 == 0x93 || c3 == 0x94) { /* - – — */
            size_t q = skip_space_fwd(s, after, x->n);
            if (q == after || !sentence_end_before(x, i))
                continue;
            cand = i;
            if (classify_next(x, q) != NEXT_UPPER)
                continue;
        } else {
            continue;
        }
        if (classify_next(x, cand) == NEXT_UPPER || cand == i) {
            if ((o->n == 0 || o->v[o->n - 1] != cand) && push_off(o, cand))
                return am_error_set(err, AM_ENOMEM, "out of memory");
        }
        i = after - 1;
    }
    return AM_OK;
}

static int merge_offsets(offsets *out, const offsets *a, const offsets *b)
{
    size_t i = 0, k = 0;
    while (i < a->n || k < b->n) {
        size_t v = k >= b->n || (i < a->n && a->v[i] <= b->v[k]) ? a->v[i++] : b->v[k++];
        if ((out->n == 0 || out->v[out->n - 1] != v) && push_off(out, v))
            return AM_ENOMEM;
    }
    return AM_OK;
}

/* ---- output -------------------------------------------------------- */

static int emit(am_text *t, const offsets *keep)
{
    size_t cap = 0, start = 0, last_end = 0;
    int para = 0;
    for (size_t k = 0; k <= keep->n; k++) {
        size_t b = start, e = k < keep->n ? keep->v[k] : t->size;
        start = e;
        am_trim(t->data, &b, &e);
        if (b == e)
            continue;
        if (t->n_segs > 0 && count_newlines(t->data, last_end, b) >= 2)
            para++;
        if (am_text_push(t, &cap, b, e - b, para))
            return AM_ENOMEM;
        last_end = e;
    }
    t->n_paragraphs = t->n_segs ? para + 1 : 0;
    return AM_OK;
}

static int repair(offsets *keep, const seg_ctx *x, const offsets *cands)
{
    size_t sent_start = skip_space_fwd(x->s, 0, x->n), gap_end = 0, cut;
    headline_scan h;
    headline_reset(&h, sent_start);
    for (size_t k = 0; k < cands->n; k++) {
        size_t c = cands->v[k];
        if (headline_step(x, &h, c, &cut)) {
            if (push_off(keep, cut))
                return AM_ENOMEM;
            sent_start = cut;
        }
        /* ICU gives one candidate per line end; a run of blank lines is
         * one gap, decided once (and walked once: no quadratic cost). */
        if (c < gap_end)
            continue;
        size_t p = skip_space_back(x->s, c), q = skip_space_fwd(x->s, c, x->n);
        gap_end = q;
        if (p == 0 || q >= x->n)
            continue;
        int nl = count_newlines(x->s, p, q);
        if (nl >= 2 || keep_candidate(x, p, q, nl, sent_start)) {
            if (push_off(keep, c))
                return AM_ENOMEM;
            sent_start = q;
            headline_reset(&h, q);
        } else if (h.on) {
            h.pos = q > h.pos ? q : h.pos; /* go on past a dropped candidate */
        }
    }
    return AM_OK;
}

int am_segment_text(am_text *t, am_error *err)
{
    const am_lang *cl;
    offsets icu = {0}, extra = {0}, all = {0}, keep = {0};
    int rc = am_lang_get(&cl, t->lang, err);
    if (rc)
        return rc;
    seg_ctx x = {t->data, t->size, am_lang_mut(cl)};
    free(t->segs);
    t->segs = NULL;
    t->n_segs = 0;
    UBreakIterator *bi = am_lang_sentence_iter(x.lang, err);
    if (!bi)
        return AM_ELANG;
    rc = all_icu_candidates(&icu, &x, bi, err);
    if (rc == AM_OK)
        rc = extra_candidates(&extra, &x, err);
    if (rc)
        goto cleanup;
    if (merge_offsets(&all, &icu, &extra) || repair(&keep, &x, &all) || emit(t, &keep))
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
cleanup:
    free(icu.v);
    free(extra.v);
    free(all.v);
    free(keep.v);
    return rc;
}
