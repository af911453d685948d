/* lang.c - language codes (BCP 47, RFC 5646), the table registry, the
 * generic table for languages without one, detection from letters, and
 * the lazily opened ICU objects each table caches. */
#include "lang/lang.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

static am_lang *const builtin[] = {&am_lang_uk, &am_lang_ru, &am_lang_en};
#define N_BUILTIN (sizeof builtin / sizeof builtin[0])

static am_lang *generic_tables; /* created on demand, freed by cleanup */

/* ---- codes ---------------------------------------------------------- */

static int all_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Case one subtag by its place (RFC 5646 section 2.1.1): the primary in
 * lower case, a 4-letter script in title case, a 2-letter region upper. */
static void case_subtag(char *s, size_t n, int index)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)s[i]);
    if (index > 0 && n == 4 && all_alpha(s, n))
        s[0] = (char)toupper((unsigned char)s[0]);
    else if (index > 0 && n == 2 && all_alpha(s, n))
        s[0] = (char)toupper((unsigned char)s[0]), s[1] = (char)toupper((unsigned char)s[1]);
}

int am_lang_canonical(char *out, size_t outsz, const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n >= outsz || n > 64)
        return AM_EARG;
    char tmp[72];
    size_t start = 0;
    int index = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? code[i] : '-';
        if (c != '-' && c != '_') {
            if (!isalnum((unsigned char)c))
                return AM_EARG;
            tmp[i] = c;
            continue;
        }
        size_t len = i - start;
        if (len < 1 || len > 8)
            return AM_EARG;
        /* The primary subtag is 2-3 letters (or 5-8 registered ones). */
        if (index == 0 && (!all_alpha(code + start, len) || len == 1 || len == 4))
            return AM_EARG;
        case_subtag(tmp + start, len, index);
        tmp[i] = '-';
        start = i + 1;
        index++;
    }
    memcpy(out, tmp, n);
    out[n] = '\0';
    return AM_OK;
}

int am_lang_base(char *out, size_t outsz, const char *code)
{
    char canon[72];
    int rc = am_lang_canonical(canon, sizeof canon, code);
    if (rc)
        return rc;
    size_t n = strcspn(canon, "-");
    if (n >= outsz)
        return AM_EARG;
    memcpy(out, canon, n);
    out[n] = '\0';
    return AM_OK;
}

/* A two-letter code ICU knows (ISO 639-1), so "doc" or "v2" in a file
 * name is not taken for a language. */
static int known_language(const char *base)
{
    if (strlen(base) != 2)
        return 0;
    const char *iso3 = uloc_getISO3Language(base);
    return iso3 && iso3[0];
}

int am_lang_from_filename(char *out, size_t outsz, const char *path)
{
    if (!path)
        return AM_ENOTFOUND;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    /* Look at each dot-separated part but the first of "a.uk.txt", or the
     * first of "uk.txt"; the last part is the extension. */
    char part[72];
    const char *p = name;
    int found = AM_ENOTFOUND;
    while (*p) {
        size_t n = strcspn(p, ".");
        if (p[n] == '\0')
            break; /* the extension (or a name without dots) */
        if (n > 0 && n < sizeof part) {
            memcpy(part, p, n);
            part[n] = '\0';
            char canon[72], base[16];
            if (am_lang_canonical(canon, sizeof canon, part) == AM_OK &&
                am_lang_base(base, sizeof base, canon) == AM_OK && known_language(base) &&
                strlen(canon) < outsz) {
                strcpy(out, canon);
                found = AM_OK; /* the last such part wins: "en.draft.uk.txt" */
            }
        }
        p += n + 1;
    }
    return found;
}

/* ---- tables --------------------------------------------------------- */

static char generic_decimal_sep(const char *locale)
{
    UErrorCode st = U_ZERO_ERROR;
    UNumberFormat *nf = unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &st);
    UChar sym[8];
    char sep = '.';
    if (U_SUCCESS(st)) {
        int32_t n = unum_getSymbol(nf, UNUM_DECIMAL_SEPARATOR_SYMBOL, sym, 8, &st);
        if (U_SUCCESS(st) && n == 1 && sym[0] == ',')
            sep = ',';
    }
    unum_close(nf);
    return sep;
}

static int generic_script(const char *locale)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode codes[4];
    int32_t n = uscript_getCode(locale, codes, 4, &st);
    return U_SUCCESS(st) && n > 0 ? codes[0] : USCRIPT_LATIN;
}

static int make_generic(am_lang **out, const char *base, am_error *err)
{
    am_lang *l = calloc(1, sizeof *l);
    if (!l)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    snprintf(l->code, sizeof l->code, "%s", base);
    snprintf(l->locale, sizeof l->locale, "%s", base);
    /* Any-Latin picks the right transform for each script it meets. */
    l->translit_id = "Any-Latin; Latin-ASCII";
    l->decimal_sep = generic_decimal_sep(base);
    l->script = generic_script(base);
    l->stem_len = 5; /* lexicon stems (src/lexicon/stem.c), as uk/ru/en */
    l->next = generic_tables;
    generic_tables = l;
    *out = l;
    return AM_OK;
}

int am_lang_get(const am_lang **out, const char *code, am_error *err)
{
    char base[16];
    *out = NULL;
    if (!code || am_lang_base(base, sizeof base, code))
        return am_error_set(err, AM_ELANG, "not a language code: '%s'", code ? code : "");
    for (size_t i = 0; i < N_BUILTIN; i++) {
        if (strcmp(builtin[i]->code, base) == 0) {
            *out = builtin[i];
            return AM_OK;
        }
    }
    for (am_lang *l = generic_tables; l; l = l->next) {
        if (strcmp(l->code, base) == 0) {
            *out = l;
            return AM_OK;
        }
    }
    am_lang *l = NULL;
    int rc = make_generic(&l, base, err);
    if (rc == AM_OK)
        *out = l;
    return rc;
}

const char *am_lang_code(const am_lang *lang) { return lang->code; }
const char *am_lang_locale(const am_lang *lang) { return lang->locale; }
int am_lang_has_table(const am_lang *lang) { return lang->has_table; }

/* ---- detection ------------------------------------------------------ */

typedef struct detect_counts {
    size_t letters, in_script[N_BUILTIN], markers[N_BUILTIN], latin_ascii, latin_other;
} detect_counts;

static int is_marker(const char *markers, UChar32 c)
{
    int32_t i = 0, n = markers ? (int32_t)strlen(markers) : 0;
    while (i < n) {
        UChar32 m;
        U8_NEXT(markers, i, n, m);
        if (m == c || m == u_tolower(c))
            return 1;
    }
    return 0;
}

static void count_letter(detect_counts *dc, UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &st);
    dc->letters++;
    if (sc == USCRIPT_LATIN) {
        if (c < 0x80)
            dc->latin_ascii++;
        else
            dc->latin_other++;
    }
    for (size_t k = 0; k < N_BUILTIN; k++) {
        if ((int)sc != builtin[k]->script)
            continue;
        dc->in_script[k]++;
        if (is_marker(builtin[k]->markers, u_tolower(c)))
            dc->markers[k]++;
    }
}

/* Among the tables of the dominant script, the one whose marker letters
 * dominate (>= 3 times any other); a table without markers (English for
 * Latin) wins only when it is the only one of its script. */
static int pick_language(const detect_counts *dc, am_error *err)
{
    size_t best = 0;
    for (size_t k = 1; k < N_BUILTIN; k++)
        if (dc->in_script[k] > dc->in_script[best])
            best = k;
    if (dc->letters == 0 || dc->in_script[best] * 2 < dc->letters)
        return am_error_set(err, AM_ELANG,
                            "cannot detect the language: no Ukrainian, Russian or English "
                            "letters dominate; give --lang");
    int script = builtin[best]->script, n_same = 0, winner = -1;
    size_t top = 0, second = 0;
    for (size_t k = 0; k < N_BUILTIN; k++) {
        if (builtin[k]->script != script)
            continue;
        n_same++;
        if (dc->markers[k] > top) {
            second = top, top = dc->markers[k], winner = (int)k;
        } else if (dc->markers[k] > second) {
            second = dc->markers[k];
        }
    }
    if (n_same == 1) {
        /* English only if Latin letters are mostly plain ASCII ones. */
        if (script == USCRIPT_LATIN && dc->latin_other * 50 > dc->latin_ascii)
            return am_error_set(err, AM_ELANG,
                                "cannot detect the language: Latin script with many accented "
                                "letters is not English; give --lang");
        return (int)best;
    }
    if (winner < 0 || top < 3 * second || (top == 0))
        return am_error_set(err, AM_ELANG,
                            "cannot detect the language: the Cyrillic text has no letters "
                            "that tell Ukrainian (і ї є ґ) from Russian (ы э ъ ё); give --lang");
    return winner;
}

int am_lang_detect(char *out, size_t outsz, const char *text, size_t len, am_error *err)
{
    detect_counts dc;
    memset(&dc, 0, sizeof dc);
    /* A sample is enough; 64 KiB keeps detection cheap on big files. */
    int32_t n = len > 65536 ? 65536 : (int32_t)len, i = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(text, i, n, c);
        if (c >= 0 && u_isalpha(c))
            count_letter(&dc, c);
    }
    int k = pick_language(&dc, err);
    if (k < 0)
        return k;
    if (strlen(builtin[k]->code) >= outsz)
        return am_error_set(err, AM_EARG, "buffer too small");
    strcpy(out, builtin[k]->code);
    return AM_OK;
}

/* ---- cached ICU objects --------------------------------------------- */

static UBreakIterator *open_iter(UBreakIterator **slot, UBreakIteratorType type, am_lang *lang,
                                 am_error *err)
{
    if (*slot)
        return *slot;
    UErrorCode st = U_ZERO_ERROR;
    *slot = ubrk_open(type, lang->locale, NULL, 0, &st);
    if (U_FAILURE(st)) {
        *slot = NULL;
        am_error_set(err, AM_ELANG, "ICU break iterator for '%s': %s", lang->locale,
                     u_errorName(st));
    }
    return *slot;
}

UBreakIterator *am_lang_sentence_iter(am_lang *lang, am_error *err)
{
    return open_iter(&lang->sent_bi, UBRK_SENTENCE, lang, err);
}

UBreakIterator *am_lang_word_iter(am_lang *lang, am_error *err)
{
    return open_iter(&lang->word_bi, UBRK_WORD, lang, err);
}

UTransliterator *am_lang_transliterator(am_lang *lang, am_error *err)
{
    if (lang->trans || lang->trans_failed)
        goto done;
    UChar id[128];
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(id, 128, NULL, lang->translit_id, -1, &st);
    if (U_SUCCESS(st))
        lang->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        lang->trans = NULL;
        lang->trans_failed = 1; /* do not retry an expensive failing open */
    }
done:
    if (!lang->trans)
        am_error_set(err, AM_ELANG, "ICU transliterator '%s' is not available",
                     lang->translit_id);
    return lang->trans;
}

/* ---- abbreviations and starters ------------------------------------- */

/* Lower-case UTF-8 code point by code point (simple case mapping), white
 * space after a dot dropped, other white space made one space: "т. зв."
 * and "т.зв." meet, while "в с." stays apart from "вс.". out must hold
 * 2 * n + 4 bytes. */
static size_t compact_lower(char *out, const char *s, size_t n, int lower)
{
    int32_t i = 0, o = 0;
    while (i < (int32_t)n) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)n, c);
        if (c >= 0 && u_isUWhiteSpace(c)) {
            if (o > 0 && out[o - 1] != '.' && out[o - 1] != ' ')
                out[o++] = ' ';
            continue;
        }
        if (c < 0)
            continue;
        if (lower)
            c = u_tolower(c);
        UBool bad = 0;
        U8_APPEND(out, o, (int32_t)(2 * n + 4), c, bad);
        (void)bad;
    }
    out[o] = '\0';
    return (size_t)o;
}

static int build_abbr_set(am_lang *lang)
{
    lang->abbr_set = am_strmap_new();
    lang->abbr_last = am_strmap_new();
    if (!lang->abbr_set || !lang->abbr_last)
        return AM_ENOMEM;
    for (size_t i = 0; i < lang->n_abbrs; i++) {
        const am_abbr *a = &lang->abbrs[i];
        size_t n = strlen(a->text);
        char key[256];
        if (2 * n + 4 > sizeof key)
            continue;
        size_t k = compact_lower(key, a->text, n, !(a->flags & AM_ABBR_CASE));
        if (am_strmap_put(lang->abbr_set, key, k, NULL, 0, a->flags))
            return AM_ENOMEM;
        /* Every way the entry's end may look as one word of the text:
         * "т. ін." ends in "ін."; written "т.ін." it ends in "т.ін.". */
        k = compact_lower(key, a->text, n, 1);
        for (size_t j = 0; j < k; j++) {
            if ((j == 0 || key[j - 1] == ' ' || key[j - 1] == '.') &&
                am_strmap_put(lang->abbr_last, key + j, k - j, NULL, 0, 0))
                return AM_ENOMEM;
        }
        if (k > lang->abbr_maxlen)
            lang->abbr_maxlen = k;
    }
    return AM_OK;
}

static int lookup_from(am_lang *lang, const char *s, size_t n)
{
    char key[256];
    int flags = 0;
    if (2 * n + 4 > sizeof key)
        return 0;
    size_t k = compact_lower(key, s, n, 0);
    if (k > lang->abbr_maxlen)
        return 0;
    if (am_strmap_get(lang->abbr_set, key, k, &flags) && (flags & AM_ABBR_CASE))
        return flags;
    k = compact_lower(key, s, n, 1);
    if (am_strmap_get(lang->abbr_set, key, k, &flags) && !(flags & AM_ABBR_CASE))
        return flags;
    return 0;
}

static int abbr_flags_own(am_lang *lang, const char *key, size_t n);

int am_lang_abbr_flags(am_lang *lang, const char *key, size_t n)
{
    int f = abbr_flags_own(lang, key, n);
    return f || !lang->also ? f : abbr_flags_own(am_lang_mut(lang->also), key, n);
}

static int abbr_flags_own(am_lang *lang, const char *key, size_t n)
{
    if (!lang->n_abbrs)
        return 0;
    if (!lang->abbr_set && build_abbr_set(lang))
        return 0;
    /* Most sentences end in a word no abbreviation ends in. */
    size_t w = n;
    while (w > 0 && key[w - 1] != ' ')
        w--;
    char last[64];
    if (2 * (n - w) + 4 > sizeof last)
        return 0;
    size_t k = compact_lower(last, key + w, n - w, 1);
    if (!am_strmap_get(lang->abbr_last, last, k, NULL))
        return 0;
    /* Try suffixes starting at a word start, longest first: "і т. ін."
     * before "т. ін." before "ін.". */
    for (size_t s = 0; s < n; s++) {
        if (s > 0 && key[s - 1] != ' ')
            continue;
        int f = lookup_from(lang, key + s, n - s);
        if (f)
            return f;
    }
    return 0;
}

/* The segmenter asks this for many capitalised words: compare the first
 * byte before anything else (no strlen of every entry). */
static int in_list(const char *const *list, size_t count, const char *word, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < count; i++)
        if (list[i][0] == word[0] && strncmp(list[i], word, n) == 0 && list[i][n] == '\0')
            return 1;
    return 0;
}

int am_lang_is_starter(const am_lang *lang, const char *word, size_t n)
{
    return in_list(lang->starters, lang->n_starters, word, n);
}

int am_lang_is_month(const am_lang *lang, const char *word, size_t n)
{
    char low[64];
    if (2 * n + 4 > sizeof low)
        return 0;
    size_t k = compact_lower(low, word, n, 1);
    return in_list(lang->months, lang->n_months, low, k);
}

int am_lang_is_continuer(const am_lang *lang, const char *word, size_t n)
{
    return in_list(lang->continuers, lang->n_continuers, word, n);
}

static void release_caches(am_lang *l)
{
    ubrk_close(l->sent_bi);
    ubrk_close(l->word_bi);
    if (l->trans)
        utrans_close(l->trans);
    am_strmap_free(l->abbr_set);
    am_strmap_free(l->abbr_last);
    am_strmap_free(l->words);
    l->sent_bi = l->word_bi = NULL;
    l->trans = NULL;
    l->trans_failed = 0;
    l->abbr_set = l->abbr_last = l->words = NULL;
    l->abbr_maxlen = 0;
}

void am_lang_cleanup(void)
{
    for (size_t i = 0; i < N_BUILTIN; i++)
        release_caches(builtin[i]);
    while (generic_tables) {
        am_lang *l = generic_tables;
        generic_tables = l->next;
        release_caches(l);
        free(l);
    }
}
