/* cmd_segment.c - `alignmem segment [--lang L] [--format lines|jsonl]
 * [-o FILE] FILE|-`: print the sentences of a text. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf("Usage: alignmem segment [options] FILE|-\n\n"
           "Split a UTF-8 text into sentences: one sentence a line, a blank line\n"
           "between paragraphs.\n\n"
           "Options:\n"
           "  -l, --lang L       language (BCP 47: uk, ru, en, de-AT ...); default: from\n"
           "                     the file name (statement.uk.txt), else detected\n"
           "  -f, --format F     lines (default) or jsonl: one JSON object a sentence,\n"
           "                     {\"text\", \"offset\", \"length\", \"paragraph\"}, offsets in\n"
           "                     bytes of the input after a BOM, paragraphs from 0\n"
           "  -o, --output FILE  write to FILE instead of standard output\n"
           "  -h, --help         show this help\n");
}

static int write_lines(FILE *fp, const am_text *t)
{
    for (size_t i = 0; i < t->n_segs; i++) {
        const am_segment *s = &t->segs[i];
        if (i > 0 && s->paragraph != t->segs[i - 1].paragraph)
            fputc('\n', fp);
        const char *text = t->data + s->offset;
        if (!memchr(text, '\n', s->length) && !memchr(text, '\r', s->length)) {
            fwrite(text, 1, s->length, fp);
            fputc('\n', fp);
            continue;
        }
        /* A sentence may span lines (a wrapped line): keep one a line. */
        for (size_t k = 0; k < s->length; k++) {
            char c = t->data[s->offset + k];
            if (c == '\r' && k + 1 < s->length && t->data[s->offset + k + 1] == '\n')
                continue;
            fputc(c == '\n' || c == '\r' ? ' ' : c, fp);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

static int write_jsonl(FILE *fp, const am_text *t)
{
    am_buf b = AM_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < t->n_segs && !rc; i++) {
        const am_segment *s = &t->segs[i];
        am_buf_clear(&b);
        rc = am_buf_puts(&b, "{\"text\": ") ||
             am_buf_json_string(&b, t->data + s->offset, s->length) ||
             am_buf_printf(&b, ", \"offset\": %zu, \"length\": %zu, \"paragraph\": %d}\n",
                           s->offset, s->length, s->paragraph);
        if (!rc && fwrite(b.data, 1, b.len, fp) != b.len)
            rc = -1;
    }
    am_buf_free(&b);
    return rc || ferror(fp) ? -1 : 0;
}

static int output(const am_text *t, const char *path, int jsonl)
{
    FILE *fp = path ? fopen(path, "wb") : stdout;
    if (!fp)
        return cli_fail("%s: cannot open: %s", path, strerror(errno));
    int rc = jsonl ? write_jsonl(fp, t) : write_lines(fp, t);
    if (path && fclose(fp) != 0)
        rc = -1;
    if (rc)
        return cli_fail("%s: cannot write output", path ? path : "<stdout>");
    return EXIT_OK;
}

int cmd_segment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *lang = NULL, *format = "lines", *outpath = NULL;
    int c;
    while ((c = cli_getopt(argc, argv, "l:f:o:h", opts)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'f': format = optarg; break;
        case 'o': outpath = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    int jsonl = strcmp(format, "jsonl") == 0;
    if (!jsonl && strcmp(format, "lines") != 0)
        return cli_usage(argv[0], "unknown format '%s' (lines or jsonl)", format);
    if (optind != argc - 1)
        return cli_usage(argv[0], optind >= argc ? "no input file (use - for stdin)"
                                                 : "one input file only");
    char canon[32];
    if (lang && am_lang_canonical(canon, sizeof canon, lang) != AM_OK)
        return cli_usage(argv[0], "not a language code: '%s'", lang);
    am_error err;
    am_error_clear(&err);
    am_text *t = NULL;
    if (am_text_load(&t, argv[optind], lang ? canon : NULL, 0, &err))
        return cli_report(&err);
    int rc = output(t, outpath, jsonl);
    am_text_free(t);
    return rc;
}
