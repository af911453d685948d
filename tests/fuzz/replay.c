/* replay.c - a main() for the fuzz targets without libFuzzer: feeds every
 * file of the folders (or files) given on the command line to
 * LLVMFuzzerTestOneInput, in name order. Built with the normal compiler
 * (ASan + UBSan under scripts/test.sh, valgrind under scripts/valgrind.sh)
 * and registered with CTest, so every input a fuzzer once broke the code
 * with, kept in tests/fuzz/regress/<target>/, stays fixed. A target aborts
 * on a broken invariant; a folder without inputs is a failure (a replay
 * of nothing could not fail). */
#include "alignmem.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    am_error err;
    am_error_clear(&err);
    char *data = NULL;
    size_t len = 0;
    if (am_read_file(&data, &len, path, &err) != AM_OK) {
        fprintf(stderr, "replay: %s: %s\n", path, err.message);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay the regular files of a folder in name order; returns how many,
 * or -1 on an error. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    long count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                count = -1;
                goto cleanup;
            }
            names = p;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
            count = -1;
            goto cleanup;
        }
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && count >= 0; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            count = replay_file(names[i]) ? -1 : count + 1;
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        struct stat st;
        long n = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? replay_dir(argv[i])
                                                                : (replay_file(argv[i]) ? -1 : 1);
        if (n < 0)
            rc = 1;
        else
            total += n;
    }
    am_shutdown();
    if (!rc && total == 0) {
        fprintf(stderr, "replay: no inputs found: nothing was tested\n");
        rc = 1;
    }
    if (!rc)
        printf("replayed %ld inputs\n", total);
    return rc;
}
