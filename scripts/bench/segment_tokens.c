/* segment_tokens.c - tokenizer speed for scripts/bench/segment.sh: tokenise
 * every line of a file (one sentence a line) with a language's table and
 * print tokens per CPU second. Usage: segment_tokens LANG FILE [ROUNDS] */
#include "alignmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: segment_tokens LANG FILE [ROUNDS]\n");
        return 2;
    }
    am_error err;
    am_error_clear(&err);
    const am_lang *lang;
    char *data;
    size_t n, tokens = 0, words = 0;
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    if (am_lang_get(&lang, argv[1], &err) || am_read_file(&data, &n, argv[2], &err)) {
        fprintf(stderr, "segment_tokens: %s\n", err.message);
        return 1;
    }
    double t0 = cpu_now();
    for (int r = 0; r < rounds; r++) {
        for (char *p = data, *e; p < data + n; p = e + 1) {
            e = memchr(p, '\n', (size_t)(data + n - p));
            if (!e)
                e = data + n;
            am_tokens *t;
            if (am_tokenize(&t, lang, p, (size_t)(e - p), &err)) {
                fprintf(stderr, "segment_tokens: %s\n", err.message);
                return 1;
            }
            tokens += t->n;
            for (size_t i = 0; i < t->n; i++)
                words += t->toks[i].kind == AM_TOK_WORD;
            am_tokens_free(t);
        }
    }
    double dt = cpu_now() - t0;
    printf("%s: %zu tokens (%zu words) in %.2f s CPU: %.2f M tokens/s (target >= 1)\n", argv[1],
           tokens, words, dt, (double)tokens / dt / 1e6);
    free(data);
    am_lang_cleanup();
    am_shutdown();
    return 0;
}
