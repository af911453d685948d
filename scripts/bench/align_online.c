/* align_online.c - does the aligner learn from the memory? In-process
 * driver over a gold benchmark (../shared/bench/align-ntrex, pre-segmented
 * .sent files, gold.A-B.tsv), scored with strict bead F1 as
 * scripts/bench/align_score.py scores (micro over documents; pairwise F1
 * from pairwise runs, three-way from a three-version run):
 *   none    no lexicon;
 *   online  documents in name order, each aligned with the lexicons
 *           (en-uk, en-ru, uk-ru) learned so far, then the beads of its
 *           three-way alignment with a confidence >= AM_LEXICON_MIN_CONFIDENCE
 *           counted into them (what `align --db` then `add` does);
 *   batch   all aligned without, the confident beads of all counted, all
 *           aligned again (a first `add` of many documents).
 * No gold is used for learning. Then the cost: aligning two versions of
 * N sentences (the documents concatenated and repeated, as align.sh builds
 * them) without and with the batch lexicon, CPU time.
 * Usage: align_online BENCH_DIR [N [--time-only]]   (N: sentences a
 * version, default 20000; 0 skips the timing; --time-only skips the
 * protocols but the batch learning, for profiling). Built and run by
 * align_online.sh. */
#include "alignmem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NL 3
static const char *const LANG[NL] = {"en", "uk", "ru"};
/* The groups aligned per document: the three pairs, then all three. */
static const int GROUP[4][3] = {{0, 1, -1}, {0, 2, -1}, {1, 2, -1}, {0, 1, 2}};
static const char *const GNAME[4] = {"en-uk", "en-ru", "uk-ru", "3-way"};

typedef struct bead {
    int n[NL];     /* sentences per language, -1 when not in the group */
    int first[NL]; /* 1-based */
} bead;

typedef struct beads {
    bead *b;
    size_t n;
} beads;

typedef struct doc {
    char name[256];
    am_text *text[NL];
    beads gold[4]; /* pairs as in GROUP, then the three-way join */
} doc;

typedef struct score {
    double tp, npred, ngold;
} score;

static void die(const char *what, const am_error *err)
{
    fprintf(stderr, "align_online: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static double cpu(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static void push(beads *bs, bead b)
{
    bs->b = realloc(bs->b, (bs->n + 1) * sizeof *bs->b);
    if (!bs->b)
        die("out of memory", NULL);
    bs->b[bs->n++] = b;
}

/* "3,4" -> first 3, n 2 (ids are consecutive in a bead). */
static void parse_ids(const char *s, int *first, int *n)
{
    *first = 0;
    *n = 0;
    while (*s) {
        int x = (int)strtol(s, (char **)&s, 10);
        if (!*n)
            *first = x;
        (*n)++;
        if (*s == ',')
            s++;
    }
}

static void read_gold(beads *out, const char *path, int la, int lb)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    if (!f)
        die(path, NULL);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        char *tab = strchr(line, '\t');
        bead b;
        for (int l = 0; l < NL; l++)
            b.n[l] = -1, b.first[l] = 0;
        if (tab)
            *tab = '\0';
        parse_ids(line, &b.first[la], &b.n[la]);
        parse_ids(tab ? tab + 1 : "", &b.first[lb], &b.n[lb]);
        push(out, b);
    }
    fclose(f);
}

/* The three-way gold: sentences linked in any pair are in one bead. With
 * monotone pairwise beads the components are runs; a union-find over
 * (language, sentence) nodes finds them. */
static int uf(int *p, int x)
{
    while (p[x] != x)
        x = p[x] = p[p[x]];
    return x;
}

static void three_way(doc *d)
{
    int off[NL + 1] = {0};
    for (int l = 0; l < NL; l++)
        off[l + 1] = off[l] + (int)d->text[l]->n_segs;
    int *p = malloc((size_t)off[NL] * sizeof *p);
    for (int x = 0; x < off[NL]; x++)
        p[x] = x;
    for (int g = 0; g < 3; g++)
        for (size_t k = 0; k < d->gold[g].n; k++) {
            const bead *b = &d->gold[g].b[k];
            int root = -1;
            for (int l = 0; l < NL; l++)
                for (int i = 0; b->n[l] > 0 && i < b->n[l]; i++) {
                    int x = off[l] + b->first[l] - 1 + i;
                    if (root < 0)
                        root = uf(p, x);
                    else
                        p[uf(p, x)] = root;
                }
        }
    /* Components in order of their first sentence of any language. */
    int *seen = calloc((size_t)off[NL], sizeof *seen);
    for (int l = 0; l < NL; l++)
        for (int i = 0; i < (int)d->text[l]->n_segs; i++) {
            int r = uf(p, off[l] + i);
            if (seen[r])
                continue;
            seen[r] = 1;
            bead b;
            for (int m = 0; m < NL; m++) {
                b.n[m] = 0;
                b.first[m] = 0;
                for (int j = 0; j < (int)d->text[m]->n_segs; j++)
                    if (uf(p, off[m] + j) == r) {
                        if (!b.n[m])
                            b.first[m] = j + 1;
                        b.n[m]++;
                    }
            }
            push(&d->gold[3], b);
        }
    free(seen);
    free(p);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const doc *)a)->name, ((const doc *)b)->name);
}

static doc *load_docs(const char *dir, size_t *n_out)
{
    DIR *dh = opendir(dir);
    if (!dh)
        die(dir, NULL);
    doc *docs = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        docs = realloc(docs, (n + 1) * sizeof *docs);
        memset(&docs[n], 0, sizeof docs[n]);
        snprintf(docs[n].name, sizeof docs[n].name, "%s", e->d_name);
        n++;
    }
    closedir(dh);
    qsort(docs, n, sizeof *docs, cmp_name);
    for (size_t k = 0; k < n; k++) {
        char path[1024];
        am_error err;
        am_error_clear(&err);
        for (int l = 0; l < NL; l++) {
            snprintf(path, sizeof path, "%s/%s/%s.sent", dir, docs[k].name, LANG[l]);
            if (am_text_load(&docs[k].text[l], path, LANG[l], 1, &err))
                die(path, &err);
        }
        for (int g = 0; g < 3; g++) {
            snprintf(path, sizeof path, "%s/%s/gold.%s-%s.tsv", dir, docs[k].name,
                     LANG[GROUP[g][0]], LANG[GROUP[g][1]]);
            read_gold(&docs[k].gold[g], path, GROUP[g][0], GROUP[g][1]);
        }
        three_way(&docs[k]);
    }
    *n_out = n;
    return docs;
}

static int group_size(int g)
{
    return GROUP[g][2] < 0 ? 2 : 3;
}

static am_alignment *align_group(const doc *d, int g, am_lexicon *const *lex, size_t nlex)
{
    const am_text *v[NL];
    am_align_opts opts = AM_ALIGN_OPTS_INIT;
    am_alignment *a = NULL;
    am_error err;
    am_error_clear(&err);
    for (int k = 0; k < group_size(g); k++)
        v[k] = d->text[GROUP[g][k]];
    opts.lexicons = (const am_lexicon *const *)lex;
    opts.n_lexicons = nlex;
    if (am_align(&a, v, (size_t)group_size(g), &opts, &err))
        die(d->name, &err);
    return a;
}

static int same(const bead *x, const bead *y)
{
    for (int l = 0; l < NL; l++) {
        if (x->n[l] != y->n[l])
            return 0;
        if (x->n[l] > 0 && x->first[l] != y->first[l])
            return 0;
    }
    return 1;
}

static void add_score(score *s, const doc *d, int g, const am_alignment *a)
{
    const beads *gold = &d->gold[g];
    s->ngold += (double)gold->n;
    s->npred += (double)a->n_beads;
    unsigned char *used = calloc(gold->n + 1, 1);
    for (size_t i = 0; i < a->n_beads; i++) {
        bead b;
        for (int l = 0; l < NL; l++)
            b.n[l] = group_size(g) == 3 ? 0 : -1, b.first[l] = 0;
        for (int x = 0; x < group_size(g); x++) {
            int l = GROUP[g][x];
            size_t b0 = a->begin[i * a->n_versions + x], b1 = a->end[i * a->n_versions + x];
            b.n[l] = (int)(b1 - b0);
            b.first[l] = b1 > b0 ? (int)b0 + 1 : 0;
        }
        for (size_t j = 0; j < gold->n; j++)
            if (!used[j] && same(&b, &gold->b[j])) {
                s->tp += 1;
                used[j] = 1;
                break;
            }
    }
    free(used);
}

static double f1(const score *s)
{
    double p = s->npred ? s->tp / s->npred : 0, r = s->ngold ? s->tp / s->ngold : 0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* The text of version x's sentences [b, e) of a bead, joined by spaces. */
static void side_text(am_buf *out, const am_text *t, size_t b, size_t e)
{
    am_buf_clear(out);
    for (size_t i = b; i < e; i++) {
        if (i > b)
            am_buf_putc(out, ' ');
        am_buf_append(out, t->data + t->segs[i].offset, t->segs[i].length);
    }
}

/* Count the confident beads of a three-way alignment of d into the
 * lexicons of the three pairs (lex[0..2] as GROUP[0..2]). */
static void learn(am_lexicon *const *lex, const doc *d, const am_alignment *a)
{
    am_buf x = AM_BUF_INIT, y = AM_BUF_INIT;
    am_error err;
    am_error_clear(&err);
    for (size_t i = 0; i < a->n_beads; i++) {
        if (a->score[i] < AM_LEXICON_MIN_CONFIDENCE)
            continue;
        for (int g = 0; g < 3; g++) {
            int la = GROUP[g][0], lb = GROUP[g][1];
            size_t a0 = a->begin[i * 3 + la], a1 = a->end[i * 3 + la];
            size_t b0 = a->begin[i * 3 + lb], b1 = a->end[i * 3 + lb];
            if (a1 == a0 || b1 == b0)
                continue;
            side_text(&x, d->text[la], a0, a1);
            side_text(&y, d->text[lb], b0, b1);
            if (am_lexicon_count(lex[g], x.data, x.len, y.data, y.len, 0, 1, &err))
                die("counting", &err);
        }
    }
    am_buf_free(&x);
    am_buf_free(&y);
}

static void new_lexicons(am_lexicon **lex)
{
    am_error err;
    am_error_clear(&err);
    for (int g = 0; g < 3; g++)
        if (am_lexicon_new(&lex[g], LANG[GROUP[g][0]], LANG[GROUP[g][1]], &err))
            die("lexicon", &err);
}

static void print_row(const char *label, const score *s, double secs)
{
    printf("  %-8s", label);
    for (int g = 0; g < 4; g++)
        printf("  %s %.4f", GNAME[g], f1(&s[g]));
    printf("   (%.1f s CPU)\n", secs);
}

static void append_doc(am_buf *b, const am_text *t)
{
    int para = t->n_segs ? t->segs[0].paragraph : 0;
    for (size_t i = 0; i < t->n_segs; i++) {
        if (t->segs[i].paragraph != para)
            am_buf_putc(b, '\n');
        para = t->segs[i].paragraph;
        am_buf_append(b, t->data + t->segs[i].offset, t->segs[i].length);
        am_buf_putc(b, '\n');
    }
    am_buf_putc(b, '\n');
}

/* Versions la and lb of the documents concatenated (a paragraph break
 * between them) and repeated until la has n sentences, as align.sh does. */
static void corpus(am_text **out, const doc *docs, size_t nd, int la, int lb, size_t n)
{
    am_buf b[2] = {AM_BUF_INIT, AM_BUF_INIT};
    size_t sents = 0;
    while (sents < n)
        for (size_t k = 0; k < nd; k++) {
            append_doc(&b[0], docs[k].text[la]);
            append_doc(&b[1], docs[k].text[lb]);
            sents += docs[k].text[la]->n_segs;
        }
    for (int x = 0; x < 2; x++) {
        am_error err;
        am_error_clear(&err);
        if (am_text_from_bytes(&out[x], b[x].data, b[x].len, "corpus", LANG[x ? lb : la], 1, &err))
            die("corpus", &err);
        am_buf_free(&b[x]);
    }
}

static double time_align(const am_text *const *v, am_lexicon *const *lex, size_t nlex, int reps)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        am_align_opts opts = AM_ALIGN_OPTS_INIT;
        am_alignment *a = NULL;
        am_error err;
        am_error_clear(&err);
        opts.lexicons = (const am_lexicon *const *)lex;
        opts.n_lexicons = nlex;
        double t0 = cpu();
        if (am_align(&a, v, 2, &opts, &err))
            die("timing", &err);
        double dt = cpu() - t0;
        best = dt < best ? dt : best;
        am_alignment_free(a);
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: align_online BENCH_DIR [N]\n");
        return 2;
    }
    size_t nd, N = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000;
    doc *docs = load_docs(argv[1], &nd);
    am_lexicon *online[3], *batch[3];
    score s_none[4] = {{0}}, s_online[4] = {{0}}, s_batch[4] = {{0}};
    am_alignment **first = calloc(nd, sizeof *first);
    new_lexicons(online);
    new_lexicons(batch);
    printf("%s: %zu documents, pre-segmented, strict bead F1 (min confidence to learn %.2f)\n",
           argv[1], nd, AM_LEXICON_MIN_CONFIDENCE);
    int time_only = argc > 3 && !strcmp(argv[3], "--time-only"); /* for profiling */
    double t0 = cpu();
    for (size_t k = 0; k < nd; k++)
        for (int g = time_only ? 3 : 0; g < 4; g++) {
            am_alignment *a = align_group(&docs[k], g, NULL, 0);
            add_score(&s_none[g], &docs[k], g, a);
            if (g == 3)
                first[k] = a;
            else
                am_alignment_free(a);
        }
    print_row("none", s_none, cpu() - t0);
    t0 = cpu();
    for (size_t k = 0; k < nd && !time_only; k++) {
        am_alignment *three = NULL;
        for (int g = 0; g < 4; g++) {
            am_alignment *a = align_group(&docs[k], g, online, 3);
            add_score(&s_online[g], &docs[k], g, a);
            if (g == 3)
                three = a;
            else
                am_alignment_free(a);
        }
        learn(online, &docs[k], three);
        am_alignment_free(three);
    }
    print_row("online", s_online, cpu() - t0);
    t0 = cpu();
    for (size_t k = 0; k < nd; k++)
        learn(batch, &docs[k], first[k]);
    for (size_t k = 0; k < nd && !time_only; k++)
        for (int g = 0; g < 4; g++) {
            am_alignment *a = align_group(&docs[k], g, batch, 3);
            add_score(&s_batch[g], &docs[k], g, a);
            am_alignment_free(a);
        }
    print_row("batch", s_batch, cpu() - t0);
    printf("  lexicon units learned: en-uk %llu, en-ru %llu, uk-ru %llu (online)\n",
           (unsigned long long)am_lexicon_units(online[0]),
           (unsigned long long)am_lexicon_units(online[1]),
           (unsigned long long)am_lexicon_units(online[2]));
    if (N) {
        am_text *t[2];
        corpus(t, docs, nd, 0, 1, N);
        const am_text *v[2] = {t[0], t[1]};
        double without = time_align(v, NULL, 0, 3), with = time_align(v, batch, 3, 3);
        printf("  time en-uk, %zu sentences a version (best of 3, CPU): without %.3f s, with the "
               "batch lexicon %.3f s (%+.1f %%)\n",
               v[0]->n_segs, without, with, 100 * (with / without - 1));
        am_text_free((am_text *)v[0]);
        am_text_free((am_text *)v[1]);
    }
    for (size_t k = 0; k < nd; k++) {
        am_alignment_free(first[k]);
        for (int l = 0; l < NL; l++)
            am_text_free(docs[k].text[l]);
        for (int g = 0; g < 4; g++)
            free(docs[k].gold[g].b);
    }
    free(first);
    free(docs);
    for (int g = 0; g < 3; g++) {
        am_lexicon_free(online[g]);
        am_lexicon_free(batch[g]);
    }
    am_shutdown();
    return 0;
}
