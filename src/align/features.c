/* features.c - per-sentence features for the bead score, computed once.
 *
 * Each sentence gets its length in characters (Gale & Church 1993 count
 * characters) and a sorted set of anchor keys, language-independent so
 * that any two versions can be compared key by key:
 *  - numbers, with the digit grouping of every language removed
 *    ("20,000", "20 000" and "20000" give one key; "12,4" = "12.4"), and
 *    times of day in 24-hour form ("2 p.m." = "14:00");
 *  - name/cognate keys: the consonant skeleton of the Latin
 *    transliteration of each word, first four letters ("Olympic",
 *    "Олімпійський", "Олимпийский" -> "olmp"): names across scripts and
 *    the shared Ukrainian-Russian vocabulary (a cheap cousin of the
 *    character n-gram cognates of Simard et al. 1992);
 *  - the punctuation profile: ? ! quotes brackets % and colon;
 *  - URLs, e-mail addresses and @handles, verbatim.
 * Which classes carry evidence for a given pair, and how much, is estimated
 * from the input itself (score.c), so none of this is tuned per language.
 * Word ids (the normalised word keys of am_tokenize) feed lexicon.c.
 */
#include "align.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small open-addressing map from 64-bit hashes to dense ids ---- */

typedef struct idmap {
    uint64_t *h;
    uint32_t *id;
    size_t cap, n;
} idmap;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1; /* 0 marks an empty slot */
}

static int idmap_grow(idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *h = calloc(cap, sizeof *h);
    uint32_t *id = malloc(cap * sizeof *id);
    if (!h || !id) {
        free(h);
        free(id);
        return AM_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->h[i])
            continue;
        size_t j = m->h[i] & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = m->h[i];
        id[j] = m->id[i];
    }
    free(m->h);
    free(m->id);
    m->h = h;
    m->id = id;
    m->cap = cap;
    return AM_OK;
}

/* The id of hash hv, a new one if unseen. Returns AM_ENOMEM or AM_OK. */
static int idmap_get(idmap *m, uint64_t hv, uint32_t *out)
{
    if ((m->n + 1) * 2 > m->cap && idmap_grow(m))
        return AM_ENOMEM;
    size_t j = hv & (m->cap - 1);
    while (m->h[j] && m->h[j] != hv)
        j = (j + 1) & (m->cap - 1);
    if (!m->h[j]) {
        m->h[j] = hv;
        m->id[j] = (uint32_t)m->n++;
    }
    *out = m->id[j];
    return AM_OK;
}

static void idmap_free(idmap *m)
{
    free(m->h);
    free(m->id);
}

/* ---- growable uint32 arrays ---- */

typedef struct u32v {
    uint32_t *a;
    size_t n, cap;
} u32v;

static int u32v_push(u32v *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        uint32_t *a = realloc(v->a, cap * sizeof *a);
        if (!a)
            return AM_ENOMEM;
        v->a = a;
        v->cap = cap;
    }
    v->a[v->n++] = x;
    return AM_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A sentence has a few dozen keys or stems: insertion sort there
 * (qsort's calls were 2 % of the run). */
size_t al_sort_unique(uint32_t *a, size_t n)
{
    if (n < 2)
        return n;
    if (n <= 64) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > x; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
    } else {
        qsort(a, n, sizeof *a, cmp_u32);
    }
    size_t w = 1;
    for (size_t r = 1; r < n; r++)
        if (a[r] != a[w - 1])
            a[w++] = a[r];
    return w;
}

/* Sort and deduplicate v->a[from..n). Nothing to do for fewer than two
 * (and v->a may still be NULL: no offset to it then). */
static void u32v_sort_unique(u32v *v, size_t from)
{
    if (v->n - from >= 2)
        v->n = from + al_sort_unique(v->a + from, v->n - from);
}

/* ---- key extraction ---- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* A thousands separator between digit groups: ',' '.' ' ' '\'' and the
 * UTF-8 no-break spaces U+00A0, U+202F. Returns its byte length or 0. */
static size_t group_sep(const unsigned char *s, size_t i, size_t n)
{
    if (i < n && (s[i] == ',' || s[i] == '.' || s[i] == ' ' || s[i] == '\''))
        return 1;
    if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0xAF)
        return 3;
    return 0;
}

static size_t digit_run(const unsigned char *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && is_digit(s[k]))
        k++;
    return k - i;
}

/* "a.m."/"am"/"p.m."/"pm" at s[i] (after optional space): 1 am, 2 pm. */
static int meridiem(const unsigned char *s, size_t i, size_t n, size_t *end)
{
    if (i < n && s[i] == ' ')
        i++;
    if (i + 1 >= n || (s[i] != 'a' && s[i] != 'p' && s[i] != 'A' && s[i] != 'P'))
        return 0;
    int pm = s[i] == 'p' || s[i] == 'P';
    size_t k = i + 1;
    if (k < n && s[k] == '.')
        k++;
    if (k >= n || (s[k] != 'm' && s[k] != 'M'))
        return 0;
    k++;
    if (k < n && s[k] == '.')
        k++;
    if (k < n && ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
        return 0;
    *end = k;
    return pm ? 2 : 1;
}

/* A time of day at s[i]: "14:00", "2 p.m.", "2:30 pm", all as "H:MM" in
 * 24-hour form, so "from 2 p.m." matches "з 14:00". Returns the key
 * length in buf (0: not a time) and sets *end. */
static size_t time_key(const unsigned char *s, size_t i, size_t n, size_t *end, char *buf)
{
    size_t d = digit_run(s, i, n), k = i + d;
    if (d < 1 || d > 2)
        return 0;
    int h = d == 1 ? s[i] - '0' : (s[i] - '0') * 10 + s[i + 1] - '0', m = 0, mer;
    int colon = k + 2 < n && s[k] == ':' && digit_run(s, k + 1, n) == 2;
    if (colon) {
        m = (s[k + 1] - '0') * 10 + s[k + 2] - '0';
        k += 3;
    }
    size_t after = k;
    mer = meridiem(s, k, n, &after);
    if ((!colon && !mer) || h > 23 || m > 59 || (mer && (h < 1 || h > 12)))
        return 0;
    if (mer == 2 && h < 12)
        h += 12;
    else if (mer == 1 && h == 12)
        h = 0;
    *end = mer ? after : k;
    return (size_t)snprintf(buf, 16, "%d:%02d", h, m);
}

/* Numbers of s as keys: groups of exactly three digits after a separator
 * join the number ("20 000"); a ',' or '.' before other digit counts is a
 * decimal point ("12,4" -> "12.4"). */
static int number_keys(u32v *keys, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    char buf[64];
    size_t i = 0;
    while (i < n) {
        if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) {
            i++;
            continue;
        }
        size_t len = 0, k = i, d;
        if ((len = time_key(s, i, n, &k, buf)) > 0) {
            if (u32v_push(keys, AL_KEY(AL_K_NUM, fnv1a(buf, len))))
                return AM_ENOMEM;
            i = k;
            continue;
        }
        while ((d = digit_run(s, k, n)) > 0) {
            if (len + d + 2 < sizeof buf) {
                memcpy(buf + len, s + k, d);
                len += d;
            }
            k += d;
            size_t sep = group_sep(s, k, n);
            size_t next = sep ? digit_run(s, k + sep, n) : 0;
            if (next == 3) {
                k += sep; /* a thousands group */
            } else if (next > 0 && (s[k] == ',' || s[k] == '.')) {
                if (len + 1 < sizeof buf)
                    buf[len++] = '.';
                k += sep;
            } else {
                break;
            }
        }
        if (u32v_push(keys, AL_KEY(AL_K_NUM, fnv1a(buf, len))))
            return AM_ENOMEM;
        i = k;
    }
    return AM_OK;
}

/* URLs, e-mail addresses and @handles: a run of non-space bytes holding
 * "://", "www." or '@', trailing punctuation dropped. */
static int link_keys(u32v *keys, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            i++;
        size_t e = i;
        while (e > b && strchr(".,;:!?)\"'", s[e - 1]))
            e--;
        if (e - b < 4)
            continue;
        int link = 0;
        for (size_t k = b; k < e && !link; k++)
            link = s[k] == '@' || (k + 3 <= e && !memcmp(s + k, "://", 3)) ||
                   (k + 4 <= e && !memcmp(s + k, "www.", 4));
        if (link && u32v_push(keys, AL_KEY(AL_K_LINK, fnv1a(s + b, e - b))))
            return AM_ENOMEM;
    }
    return AM_OK;
}

/* Punctuation classes that translators keep: 1 ?, 2 !, 3 quotes, 4
 * brackets, 5 colon, 6 percent. */
static int punct_class(const unsigned char *s, size_t i, size_t n, size_t *len)
{
    *len = 1;
    switch (s[i]) {
    case '?': return 1;
    case '!': return 2;
    case '"': return 3;
    case '(': return 4;
    case ':': return 5;
    case '%': return 6;
    default: break;
    }
    /* « » U+00AB U+00BB; “ ” „ U+201C U+201D U+201E */
    if (i + 1 < n && s[i] == 0xC2 && (s[i + 1] == 0xAB || s[i + 1] == 0xBB)) {
        *len = 2;
        return 3;
    }
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] >= 0x9C && s[i + 2] <= 0x9E) {
        *len = 3;
        return 3;
    }
    return 0;
}

static int punct_keys(u32v *keys, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned seen = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        int c = punct_class(s, i, n, &len);
        /* A colon between digits is a time or a score, already a number. */
        if (c == 5 && i > 0 && i + 1 < n && is_digit(s[i - 1]) && is_digit(s[i + 1]))
            c = 0;
        if (c)
            seen |= 1u << c;
        i += len;
    }
    for (int c = 1; c <= 6; c++)
        if ((seen & (1u << c)) && u32v_push(keys, AL_KEY(AL_K_PUNCT, (uint32_t)c)))
            return AM_ENOMEM;
    return AM_OK;
}

/* The consonant skeleton of a Latin transliteration, first four letters:
 * vowels (and y, j, the apostrophe of soft signs) dropped after the first
 * letter, sound-alike consonants merged (c/k/q, v/w, g/h: Ukrainian г is
 * "h", Russian "g"), doubled letters collapsed. 0 when too short to mean
 * anything. */
static uint32_t skeleton_key(const char *tr)
{
    char sk[8];
    size_t n = 0, letters = 0;
    for (const char *p = tr; *p && n < 4; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch < 'a' || ch > 'z')
            continue;
        letters++;
        if (ch == 'c' || ch == 'q')
            ch = 'k';
        else if (ch == 'w')
            ch = 'v';
        else if (ch == 'h')
            ch = 'g';
        int vowel = ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y' ||
                    ch == 'j';
        if (vowel && n > 0)
            continue;
        if (vowel)
            ch = 'a'; /* an initial vowel: only that there is one */
        if (n > 0 && sk[n - 1] == ch)
            continue;
        sk[n++] = ch;
    }
    if (n < 3 || letters < 4)
        return 0;
    return AL_KEY(AL_K_NAME, fnv1a(sk, n));
}

static int word_keys(u32v *keys, u32v *words, idmap *vocab, const am_tokens *tk)
{
    for (size_t k = 0; k < tk->n; k++) {
        const am_token *t = &tk->toks[k];
        if (t->kind != AM_TOK_WORD || !t->key)
            continue;
        uint32_t id, sk = t->translit ? skeleton_key(t->translit) : 0;
        if (sk && u32v_push(keys, sk))
            return AM_ENOMEM;
        if (idmap_get(vocab, fnv1a(t->key, strlen(t->key)), &id) || u32v_push(words, id))
            return AM_ENOMEM;
    }
    return AM_OK;
}

/* Characters (code points) of s that are not white space. */
static double char_length(const char *s, size_t n)
{
    double len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80 && c != ' ' && c != '\t' && c != '\n' && c != '\r')
            len += 1;
    }
    return len;
}

/* Where the semicolons inside sentence i fall, as fractions of its length
 * (score.c: merge_cost). A semicolon is a common mark of two sentences
 * joined into one, so a semicolon that splits the sentence in the
 * proportion of two sentences of the other version is evidence for a 2-1
 * bead that length alone does not give. A semicolon at the very end splits
 * nothing. */
static void clause_breaks(al_feat *f, const char *s, size_t n, size_t i)
{
    double total = f->cum_len[i + 1] - f->cum_len[i], before = 0;
    int k = 0;
    for (int j = 0; j < AL_SPLITS; j++)
        f->split[i * AL_SPLITS + j] = -1;
    for (size_t b = 0; b < n && k < AL_SPLITS; b++) {
        before += char_length(s + b, 1);
        if (s[b] == ';' && before < total)
            f->split[i * AL_SPLITS + k++] = (float)(before / total);
    }
}

static int sentence_features(al_feat *f, u32v *keys, u32v *words, idmap *vocab,
                             const am_lang *lang, const char *s, size_t n, size_t i,
                             am_error *err)
{
    am_tokens *tk = NULL;
    size_t k0 = keys->n, w0 = words->n;
    int rc = am_tokenize(&tk, lang, s, n, err);
    if (rc)
        return rc;
    rc = number_keys(keys, s, n);
    if (!rc)
        rc = link_keys(keys, s, n);
    if (!rc)
        rc = punct_keys(keys, s, n);
    if (!rc)
        rc = word_keys(keys, words, vocab, tk);
    am_tokens_free(tk);
    if (rc)
        return am_error_set(err, rc, "out of memory");
    u32v_sort_unique(keys, k0);
    u32v_sort_unique(words, w0);
    f->cum_len[i + 1] = f->cum_len[i] + char_length(s, n);
    clause_breaks(f, s, n, i);
    f->key_off[i + 1] = (uint32_t)keys->n;
    f->word_off[i + 1] = (uint32_t)words->n;
    return AM_OK;
}

static int count_classes(al_feat *f, am_error *err)
{
    f->ncls = calloc(f->n * AL_NCLASS + 1, sizeof *f->ncls);
    if (!f->ncls)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t s = 0; s < f->n; s++)
        for (uint32_t k = f->key_off[s]; k < f->key_off[s + 1]; k++)
            f->ncls[s * AL_NCLASS + AL_KEY_CLASS(f->keys[k])]++;
    return AM_OK;
}

static int count_words(al_feat *f, am_error *err)
{
    f->word_freq = calloc(f->n_word_ids ? f->n_word_ids : 1, sizeof *f->word_freq);
    if (!f->word_freq)
        return am_error_set(err, AM_ENOMEM, "out of memory");
    for (size_t k = 0; k < f->word_off[f->n]; k++)
        f->word_freq[f->words[k]]++;
    return AM_OK;
}

int al_feat_build(al_feat *out, const am_text *t, am_error *err)
{
    const am_lang *lang = NULL;
    u32v keys = {0}, words = {0};
    idmap vocab = {0};
    memset(out, 0, sizeof *out);
    int rc = am_lang_get(&lang, t->lang[0] ? t->lang : "und", err);
    if (rc)
        return rc;
    out->n = t->n_segs;
    out->cum_len = calloc(t->n_segs + 1, sizeof *out->cum_len);
    out->key_off = calloc(t->n_segs + 1, sizeof *out->key_off);
    out->word_off = calloc(t->n_segs + 1, sizeof *out->word_off);
    out->split = calloc(t->n_segs * AL_SPLITS + 1, sizeof *out->split);
    if (!out->cum_len || !out->key_off || !out->word_off || !out->split) {
        rc = am_error_set(err, AM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < t->n_segs && !rc; i++)
        rc = sentence_features(out, &keys, &words, &vocab, lang, t->data + t->segs[i].offset,
                               t->segs[i].length, i, err);
    if (rc)
        goto cleanup;
    out->keys = keys.a;
    out->words = words.a;
    keys.a = words.a = NULL;
    out->n_word_ids = (uint32_t)vocab.n;
    rc = count_words(out, err);
    if (!rc)
        rc = count_classes(out, err);
cleanup:
    free(keys.a);
    free(words.a);
    idmap_free(&vocab);
    if (rc)
        al_feat_free(out);
    return rc;
}

void al_feat_free(al_feat *f)
{
    if (!f)
        return;
    free(f->cum_len);
    free(f->key_off);
    free(f->keys);
    free(f->word_off);
    free(f->words);
    free(f->word_freq);
    free(f->ncls);
    free(f->split);
    memset(f, 0, sizeof *f);
}
