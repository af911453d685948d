/* test_tmx.c - the TMX module: reader, writer, inline codes, hostile input.
 *
 * Reference files in <repo>/tmx/ were written by the team in the styles of
 * OmegaT, translate-toolkit po2tmx, Trados (Level 1 and 2), a UTF-16 file
 * and a TMX 1.1 file; hostile ones are in tmx/hostile/ or generated here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alignmem.h"
#include "tmx/tmx.h"
#include "tmx_dump.h"

#define REF(name) AM_SOURCE_DIR "/tmx/" name
#define HOSTILE(name) AM_SOURCE_DIR "/tmx/hostile/" name

static const char header_attrs[] =
    "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
    "adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>";

/* A temporary file name (the file exists, empty); caller unlinks and frees. */
static char *temp_path(void)
{
    char *p = strdup("/tmp/am-test-tmx-XXXXXX");
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    return p;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_read_file(&data, &len, path, &err), AM_OK);
    return data;
}

static const char omegat_units[] =
    "tu usagecount=0\n"
    "  tuv lang=\"en-US\" text=\"The ferry to the island leaves at seven.\"\n"
    "  tuv lang=\"uk\" creationdate=\"20240312T101200Z\" creationid=\"oksana\" changedate=\"20240312T101500Z\" changeid=\"oksana\" text=\"Пором на острів відходить о сьомій.\"\n"
    "tu usagecount=0\n"
    "  tuv lang=\"en-US\" text=\"Tickets are sold at the pier & online.\"\n"
    "  tuv lang=\"uk\" creationdate=\"20240312T101731Z\" creationid=\"oksana\" changedate=\"20240312T101731Z\" changeid=\"oksana\" text=\"Квитки продають на причалі й онлайн.\"\n"
    "tu usagecount=0\n"
    "  prop type=\"file\" value=\"harbour-guide.txt\"\n"
    "  prop type=\"prev\" value=\"The ferry to the island leaves at seven.\"\n"
    "  prop type=\"next\" value=\"Bring a warm coat.\"\n"
    "  tuv lang=\"en-US\" text=\"The crossing takes forty minutes.\"\n"
    "  tuv lang=\"uk\" creationdate=\"20240313T080000Z\" creationid=\"taras\" changedate=\"20240313T080000Z\" changeid=\"taras\" text=\"Переправа триває сорок хвилин.\"\n"
    "    note value=\"Checked against the printed timetable.\"\n"
    "tu usagecount=0\n"
    "  tuv lang=\"en-US\" text=\"Press Start to board.\" markup=\"Press <bpt i=\\\"0\\\" x=\\\"0\\\">&lt;b0&gt;</bpt>Start<ept i=\\\"0\\\">&lt;/b0&gt;</ept> to board.\"\n"
    "  tuv lang=\"uk\" creationdate=\"20240314T090000Z\" creationid=\"oksana\" changedate=\"20240314T090000Z\" changeid=\"oksana\" text=\"Натисніть Старт, щоб сісти.\" markup=\"Натисніть <bpt i=\\\"0\\\" x=\\\"0\\\">&lt;b0&gt;</bpt>Старт<ept i=\\\"0\\\">&lt;/b0&gt;</ept>, щоб сісти.\"\n";

static const char trados_l2_units[] =
    "tu usagecount=1 creationdate=\"20120901T120500Z\" creationid=\"IRYNA\"\n"
    "  tuv lang=\"en-US\" text=\"Click Save to keep the changes.\" markup=\"Click <bpt i=\\\"1\\\" type=\\\"bold\\\" x=\\\"1\\\">{\\\\b </bpt>Save<ept i=\\\"1\\\">}</ept> to keep the changes.\"\n"
    "  tuv lang=\"uk-UA\" text=\"Натисніть Зберегти, щоб зберегти зміни.\" markup=\"Натисніть <bpt i=\\\"1\\\" type=\\\"bold\\\" x=\\\"1\\\">{\\\\b </bpt>Зберегти<ept i=\\\"1\\\">}</ept>, щоб зберегти зміни.\"\n"
    "tu usagecount=0 creationdate=\"20120901T121000Z\" creationid=\"IRYNA\"\n"
    "  tuv lang=\"en-US\" text=\"See the figure below.\" markup=\"See the figure<ph type=\\\"fnote\\\" x=\\\"2\\\">{\\\\super <sub type=\\\"fnote\\\">Drawn by the author.</sub>}</ph> below.\"\n"
    "  tuv lang=\"uk-UA\" text=\"Див. рисунок нижче.\" markup=\"Див. рисунок<ph type=\\\"fnote\\\" x=\\\"2\\\">{\\\\super <sub type=\\\"fnote\\\">Рисунок автора.</sub>}</ph> нижче.\"\n"
    "tu usagecount=0 creationdate=\"20120901T121500Z\" creationid=\"IRYNA\"\n"
    "  tuv lang=\"en-US\" text=\"continued from the previous page, not a newsection.\" markup=\"<it pos=\\\"end\\\" x=\\\"3\\\" type=\\\"italic\\\">}</it>continued from the previous page, <hi type=\\\"ul\\\">not</hi> a new<ut>{\\\\line}</ut>section.\"\n"
    "  tuv lang=\"uk-UA\" text=\"продовження з попередньої сторінки, не новийрозділ.\" markup=\"<it pos=\\\"end\\\" x=\\\"3\\\" type=\\\"italic\\\">}</it>продовження з попередньої сторінки, <hi type=\\\"ul\\\">не</hi> новий<ut>{\\\\line}</ut>розділ.\"\n"
    "tu usagecount=0 creationdate=\"20190611T095310Z\" creationid=\"SDL\\\\iryna\" changedate=\"20190611T095400Z\" changeid=\"SDL\\\\iryna\" lastusagedate=\"20190611T095400Z\"\n"
    "  prop type=\"x-Origin\" value=\"TM\"\n"
    "  prop type=\"x-ConfirmationLevel\" value=\"Translated\"\n"
    "  tuv lang=\"en-US\" text=\"Tap Next twice <fast>.\" markup=\"Tap <bpt i=\\\"1\\\" type=\\\"1\\\" x=\\\"1\\\"/>Next<ept i=\\\"1\\\"/> twice &lt;fast&gt;.\"\n"
    "  tuv lang=\"uk-UA\" text=\"Двічі торкніться Далі <швидко>.\" markup=\"Двічі торкніться <bpt i=\\\"1\\\" type=\\\"1\\\" x=\\\"1\\\"/>Далі<ept i=\\\"1\\\"/> &lt;швидко&gt;.\"\n";

static const char utf16_units[] =
    "tu usagecount=0 tuid=\"1\"\n"
    "  tuv lang=\"en-US\" text=\"Snow closed the mountain road overnight.\"\n"
    "  tuv lang=\"uk-UA\" text=\"Сніг за ніч перекрив гірську дорогу.\"\n"
    "  tuv lang=\"ru-RU\" text=\"Снег за ночь перекрыл горную дорогу.\"\n"
    "tu usagecount=0 tuid=\"2\"\n"
    "  tuv lang=\"en-US\" text=\"Emoji survive too: 🏔️ ✓\"\n"
    "  tuv lang=\"uk-UA\" text=\"Емодзі теж зберігаються: 🏔️ ✓\"\n";

/* ---- helpers of the module ------------------------------------------- */

static void check_lang(const char *in, const char *want)
{
    char out[64];
    int rc = tmx_lang_canonical(out, sizeof out, in);
    if (!want) {
        assert_int_equal(rc, AM_EARG);
        return;
    }
    assert_int_equal(rc, AM_OK);
    assert_string_equal(out, want);
}

static void test_lang_canonical(void **state)
{
    (void)state;
    check_lang("EN-US", "en-US");
    check_lang("en_us", "en-US");
    check_lang("uk-UA", "uk-UA");
    check_lang("UK", "uk");
    check_lang("sr-latn-rs", "sr-Latn-RS");
    check_lang("es-419", "es-419");
    check_lang("x-klingon", "x-klingon");
    check_lang("de-CH-x-Phonebk", "de-CH-x-phonebk");
    check_lang("*all*", "*all*");
    check_lang("", NULL);
    check_lang("e", NULL);
    check_lang("12", NULL);
    check_lang("en--us", NULL);
    check_lang("en-toolongsubtag", NULL);
    check_lang("en us", NULL);
    char out[64];
    tmx_lang_region(out, sizeof out, "uk");
    assert_string_equal(out, "uk-UA");
    tmx_lang_region(out, sizeof out, "en-GB");
    assert_string_equal(out, "en-GB");
    tmx_lang_region(out, sizeof out, "tt");
    assert_string_equal(out, "tt");
}

static void check_date(const char *in, const char *want)
{
    char out[17];
    int rc = tmx_date_format(out, in);
    if (!want) {
        assert_int_equal(rc, -1);
        return;
    }
    assert_int_equal(rc, 0);
    assert_string_equal(out, want);
}

static void test_date_format(void **state)
{
    (void)state;
    check_date("20240312T101500Z", "20240312T101500Z");
    check_date("2024-03-12", "20240312T000000Z");
    check_date("2024-03-12 10:15:00", "20240312T101500Z");
    check_date("2024-03-12T10:15", "20240312T101500Z");
    check_date("2024-03-12T10:15:00.123Z", "20240312T101500Z");
    check_date("2024-03-12T01:15:00+02:00", "20240311T231500Z");
    check_date("2024-03-12T23:15:00-0130", "20240313T004500Z");
    check_date("2024-13-01", NULL);
    check_date("2024-03-12T25:00:00", NULL);
    check_date("20240312", NULL);
    check_date("yesterday", NULL);
    check_date("2024-03-12T10:15:00+2", NULL);
}

static void test_xml_text_check(void **state)
{
    (void)state;
    size_t bad = 99;
    const char ok[] = "tab\there\r\n «ї» 🏔";
    assert_int_equal(tmx_xml_text_check(ok, sizeof ok - 1, &bad), 0);
    assert_int_equal(tmx_xml_text_check("ab\x01", 3, &bad), -1);
    assert_int_equal(bad, 2);
    assert_int_equal(tmx_xml_text_check("a\xc3", 2, &bad), -1); /* truncated */
    assert_int_equal(bad, 1);
    assert_int_equal(tmx_xml_text_check("\xed\xa0\x80", 3, &bad), -1); /* surrogate */
    assert_int_equal(tmx_xml_text_check("\xc0\xaf", 2, &bad), -1);     /* overlong */
    assert_int_equal(tmx_xml_text_check("\xef\xbf\xbe", 3, &bad), -1); /* U+FFFE */
}

/* ---- reading the reference files ------------------------------------------ */

static void read_ok(tmx_dump *d, const char *path)
{
    am_error err;
    am_error_clear(&err);
    int rc = tmx_dump_read(d, path, &err);
    if (rc)
        fail_msg("%s:%ld:%ld: %s", err.where, err.line, err.column, err.message);
    assert_string_equal(d->warnings.data, "");
}

static void test_read_omegat(void **state)
{
    (void)state;
    tmx_dump d;
    read_ok(&d, REF("omegat.tmx"));
    assert_string_equal(d.header.data,
                        "header srclang=\"en-US\" adminlang=\"en-US\" datatype=\"plaintext\" "
                        "creationtool=\"OmegaT\" creationtoolversion=\"3.6.0_10\" "
                        "o-tmf=\"OmegaT TMX\" segtype=\"sentence\"\n");
    assert_string_equal(d.hdr_copy.version, "1.4");
    assert_string_equal(d.units.data, omegat_units);
    tmx_dump_free(&d);
}

static void test_read_trados_level2(void **state)
{
    (void)state;
    tmx_dump d;
    read_ok(&d, REF("trados-l2.tmx"));
    assert_string_equal(d.units.data, trados_l2_units);
    assert_int_equal(d.n_units, 4);
    tmx_dump_free(&d);
}

static void test_read_utf16(void **state)
{
    (void)state;
    tmx_dump d;
    read_ok(&d, REF("utf16.tmx"));
    assert_string_equal(d.units.data, utf16_units);
    tmx_dump_free(&d);
}

static void test_read_tmx11_lang(void **state)
{
    (void)state;
    tmx_dump d;
    read_ok(&d, REF("tmx11-lang.tmx"));
    assert_string_equal(d.hdr_copy.version, "1.1");
    assert_string_equal(d.hdr_copy.srclang, "en-US");
    assert_string_equal(d.units.data,
                        "tu usagecount=0\n"
                        "  tuv lang=\"en-US\" text=\"The library closes early on Fridays.\"\n"
                        "  tuv lang=\"uk-UA\" text=\"У п'ятницю бібліотека зачиняється раніше.\"\n"
                        "  tuv lang=\"ru\" text=\"По пятницам библиотека закрывается раньше.\"\n");
    tmx_dump_free(&d);
}

static void test_read_po2tmx_and_trados_level1(void **state)
{
    (void)state;
    tmx_dump d;
    read_ok(&d, REF("po2tmx.tmx"));
    assert_int_equal(d.n_units, 3);
    /* po2tmx writes the note after the tuvs, on one line. */
    assert_non_null(strstr(d.units.data, "tu usagecount=0\n  note value=\"Shown after copying; %d "
                                         "is a number\"\n  tuv lang=\"en\" text=\"%d files were "
                                         "copied.\"\n  tuv lang=\"ru\" text=\"Скопировано файлов: "
                                         "%d.\"\n"));
    tmx_dump_free(&d);
    read_ok(&d, REF("trados-l1.tmx"));
    assert_int_equal(d.n_units, 3);
    assert_string_equal(d.header.data,
                        "header srclang=\"en-GB\" adminlang=\"en-US\" datatype=\"rtf\" "
                        "creationtool=\"TRADOS Translator's Workbench for Windows\" "
                        "creationtoolversion=\"Edition 7 Build 720\" o-tmf=\"TW4Win 2.0 Format\" "
                        "segtype=\"sentence\" creationdate=\"20110420T093012Z\" "
                        "creationid=\"MYKOLA\"\n"
                        "  prop type=\"RTFFontTable\" value=\"{\\\\fonttbl{\\\\f1 Arial;}}\"\n"
                        "  prop type=\"x-Client:SinglePicklist\" value=\"Regional council\"\n"
                        "  note value=\"Council minutes, 2011.\"\n");
    /* White space inside a seg is text: kept exactly. */
    assert_non_null(strstr(d.units.data, "text=\"  Протокол затверджено одноголосно.  \""));
    assert_non_null(strstr(d.units.data, "tu usagecount=3 creationdate=\"20110420T093522Z\" "
                                         "creationid=\"MYKOLA\" changedate=\"20110421T140100Z\" "
                                         "changeid=\"MYKOLA\" lastusagedate=\"20110502T081500Z\"\n"));
    tmx_dump_free(&d);
}

/* export(import(F)) keeps every unit, variant, inline code, prop and note:
 * read F, write it, read the result: both reads deliver the same. */
static void roundtrip(const char *path, long want_units)
{
    tmx_dump a, b;
    am_error err;
    am_error_clear(&err);
    read_ok(&a, path);
    assert_int_equal(a.n_units, want_units);
    char *tmp = temp_path();
    FILE *fp = fopen(tmp, "wb");
    assert_non_null(fp);
    int rc = tmx_copy(fp, path, 0, &err);
    fclose(fp);
    if (rc)
        fail_msg("copy %s: %s", path, err.message);
    read_ok(&b, tmp);
    /* A header without creationdate gets the time of writing. */
    char *cd = strstr(b.header.data, " creationdate=\"");
    if (!strstr(a.header.data, " creationdate=") && cd)
        memmove(cd, cd + 32, strlen(cd + 32) + 1);
    assert_string_equal(a.header.data, b.header.data);
    assert_string_equal(a.units.data, b.units.data);
    assert_string_equal(b.hdr_copy.version, "1.4");
    unlink(tmp);
    free(tmp);
    tmx_dump_free(&a);
    tmx_dump_free(&b);
}

static void test_roundtrip_reference_files(void **state)
{
    (void)state;
    roundtrip(REF("omegat.tmx"), 4);
    roundtrip(REF("po2tmx.tmx"), 3);
    roundtrip(REF("trados-l1.tmx"), 3);
    roundtrip(REF("trados-l2.tmx"), 4);
    roundtrip(REF("tmx11-lang.tmx"), 1);
    roundtrip(REF("utf16.tmx"), 2);
}

static void test_unknown_elements_warn(void **state)
{
    (void)state;
    tmx_dump d;
    am_error err;
    am_error_clear(&err);
    assert_int_equal(tmx_dump_read(&d, HOSTILE("unknown-elements.tmx"), &err), AM_OK);
    assert_string_equal(d.warnings.data,
                        "3: unknown element <extension> in <tmx> ignored\n"
                        "5: unknown element <x-flag> in <tu> ignored\n"
                        "5: <mrk> is not allowed here; its tags are dropped, its text kept\n");
    /* The unknown <mrk> is not an inline code: no markup, its text kept. */
    assert_string_equal(d.units.data, "tu usagecount=0\n"
                                      "  tuv lang=\"en\" text=\"Keep this text.\"\n"
                                      "  tuv lang=\"uk\" text=\"Залиш цей текст.\"\n");
    tmx_dump_free(&d);
}

/* ---- hostile input ------------------------------------------------------- */

typedef struct hostile_case {
    const char *file;
    int code;
    long line, column;
    const char *message; /* a part of it */
} hostile_case;

static void expect_error(const char *path, int code, long line, long column, const char *message)
{
    tmx_dump d;
    am_error err;
    am_error_clear(&err);
    int rc = tmx_dump_read(&d, path, &err);
    /* column -2: any column (libxml2's own count in a 10 MB line) */
    int col_ok = column == -2 ? err.column > 0 : err.column == column;
    if (rc != code || !strstr(err.message, message) || err.line != line || !col_ok)
        fail_msg("%s: got %d %ld:%ld '%s', want %d %ld:%ld '%s'", path, rc, err.line, err.column,
                 err.message, code, line, column, message);
    assert_string_equal(err.where, path);
    tmx_dump_free(&d);
}

static void test_hostile_files(void **state)
{
    (void)state;
    static const hostile_case cases[] = {
        {"billion-laughs.tmx", AM_EXML, 3, 3, "entity declaration refused"},
        {"external-entity-file.tmx", AM_EXML, 3, 3, "entity declaration refused"},
        {"external-entity-http.tmx", AM_EXML, 3, 3, "entity declaration refused"},
        {"parameter-entity.tmx", AM_EXML, 3, 3, "entity declaration refused"},
        {"external-dtd.tmx", AM_EXML, 5, 70, "Entity 'payload' not defined"},
        {"truncated.tmx", AM_EXML, 6, 1, "the file ends before </tmx>: truncated"},
        {"wrong-encoding.tmx", AM_EXML, 4, 31, "Input is not proper UTF-8"},
        {"declared-utf16.tmx", AM_EXML, 1, 38, "Document labelled UTF-16 but has UTF-8 content"},
        {"control-char.tmx", AM_EXML, 4, 34, "PCDATA invalid Char value 7"},
        {"control-char-ref.tmx", AM_EXML, 4, 41, "invalid xmlChar value 27"},
        {"tu-without-tuv.tmx", AM_EXML, 5, 3, "<tu> without <tuv>"},
        {"tuv-without-lang.tmx", AM_EXML, 4, 46, "<tuv> without xml:lang"},
        {"tuv-bad-lang.tmx", AM_EXML, 7, 3, "bad language code 'ukrainian language'"},
        {"not-tmx.xml", AM_EXML, 2, 1, "not TMX: the root element is <html>"},
        {"junk-after-root.tmx", AM_EXML, 3, 1, "Extra content at the end of the document"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s", HOSTILE("") );
        strncat(path, cases[i].file, sizeof path - strlen(path) - 1);
        expect_error(path, cases[i].code, cases[i].line, cases[i].column, cases[i].message);
    }
}

static void write_file(const char *path, const char *head, const char *unit, long repeat,
                       const char *tail)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(head, fp);
    for (long i = 0; i < repeat; i++)
        fputs(unit, fp);
    fputs(tail, fp);
    assert_int_equal(fclose(fp), 0);
}

static void test_hostile_generated(void **state)
{
    (void)state;
    char *tmp = temp_path();
    char head[1024];
    snprintf(head, sizeof head, "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">%s<body>\n"
             "<tu><tuv xml:lang=\"en\"><seg>", header_attrs);

    /* 10,000-deep nesting inside a seg: stopped at depth 64 (tmx is 0,
     * the seg 4, so the 60th <hi>), at its place. */
    write_file(tmp, head, "<hi>", 10000, "\n");
    expect_error(tmp, AM_ELIMIT, 3, 29 + 4 * 59, "elements nested deeper than 64");
    /* ... and outside one, in elements nobody knows. */
    write_file(tmp, "<tmx version=\"1.4\"><body>\n", "<x>", 10000, "\n");
    expect_error(tmp, AM_ELIMIT, 2, 1 + 3 * 62, "elements nested deeper than 64");

    /* A 100 MB segment: libxml2's own 10,000,000-byte text node limit. */
    static char block[1 << 20];
    memset(block, 'a', sizeof block - 1);
    write_file(tmp, head, block, 100, "</seg></tuv></tu></body></tmx>\n");
    expect_error(tmp, AM_ELIMIT, 3, -2, "text longer than libxml2's limit");
    /* Split by inline codes into small text nodes: our own 10 MiB limit. */
    snprintf(block, sizeof block, "%0*d<ph/>", 60000, 0);
    write_file(tmp, head, block, 200, "</seg></tuv></tu></body></tmx>\n");
    expect_error(tmp, AM_ELIMIT, 3, -2, "segment longer than 10485760 bytes");

    /* Quadratic blow-up: one 100 KB entity used 10,000 times. */
    FILE *fp = fopen(tmp, "wb");
    assert_non_null(fp);
    fprintf(fp, "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY big \"%0*d\">]>\n<tmx>", 100000, 0);
    for (int i = 0; i < 10000; i++)
        fputs("&big;", fp);
    fputs("</tmx>\n", fp);
    fclose(fp);
    expect_error(tmp, AM_EXML, 2, 16, "entity declaration refused");

    /* A NUL byte: named where it is (libxml2 would say a line later). */
    write_file(tmp, head, "", 0, "nul \xd1\x97 ");
    fp = fopen(tmp, "ab");
    fputc(0, fp);
    fputs(" byte</seg></tuv></tu>\n</body></tmx>\n", fp);
    fclose(fp);
    expect_error(tmp, AM_EXML, 3, 35, "NUL byte (U+0000 is not allowed in XML)");

    /* The guard reads UTF-16 too. */
    const char *u16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!-- <!ENTITY in a comment> -->\n"
                      "<!DOCTYPE tmx [\n  <!ENTITY x \"y\">]><tmx/>\n";
    fp = fopen(tmp, "wb");
    fputs("\xff\xfe", fp);
    for (const char *p = u16; *p; p++) {
        fputc(*p, fp);
        fputc(0, fp);
    }
    fclose(fp);
    expect_error(tmp, AM_EXML, 4, 3, "entity declaration refused");
    unlink(tmp);
    free(tmp);
}

static void test_missing_and_empty(void **state)
{
    (void)state;
    expect_error("/nonexistent/m.tmx", AM_EIO, -1, -1, "cannot open");
    char *tmp = temp_path();
    expect_error(tmp, AM_EXML, -1, -1, "the file is empty");
    unlink(tmp);
    free(tmp);
}

static int stop_after_one(const am_unit *u, void *ctx)
{
    (void)u;
    ++*(int *)ctx;
    return 1;
}

static void test_callback_stops(void **state)
{
    (void)state;
    int n = 0;
    am_tmx_callbacks cb = {NULL, stop_after_one, NULL, &n, NULL};
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tmx_read(REF("omegat.tmx"), &cb, &err), AM_ESTOP);
    assert_int_equal(n, 1);
}

static void on_progress(long long done, long long total, void *ctx)
{
    long long *p = ctx;
    assert_true(done >= p[0]); /* never backwards */
    p[0] = done;
    p[1] = total;
    p[2]++;
}

static void test_progress(void **state)
{
    (void)state;
    long long p[3] = {0, 0, 0};
    am_tmx_callbacks cb = {NULL, NULL, NULL, p, on_progress};
    am_error err;
    am_error_clear(&err);
    assert_int_equal(am_tmx_read(REF("trados-l2.tmx"), &cb, &err), AM_OK);
    char *data = slurp(REF("trados-l2.tmx"));
    long long size = (long long)strlen(data);
    free(data);
    assert_true(p[2] >= 2); /* the first read, and the end */
    assert_int_equal(p[0], size);
    assert_int_equal(p[1], size);
}

/* ---- writer ----------------------------------------------------------------- */

static void test_writer_exact(void **state)
{
    (void)state;
    am_error err;
    am_error_clear(&err);
    char *tmp = temp_path();
    FILE *fp = fopen(tmp, "wb");
    am_tmx_header h = {0};
    h.srclang = "en";
    h.creationdate = "2026-01-02T03:04:05Z";
    am_tmx_writer *w = NULL;
    assert_int_equal(am_tmx_writer_new(&w, fp, &h, 0, &err), AM_OK);
    am_prop uprop = {"x-alignmem-origin", "https://example.org/a?b=1&c=2", NULL};
    am_prop unote = {NULL, "check <this>", "en"};
    am_prop vprop = {"x-style", "tab\there", "uk"};
    am_variant v[2] = {{0}, {0}};
    v[0].lang = "en";
    v[0].text = "Press Start now.";
    v[0].markup = "Press <bpt i=\"1\">&lt;b&gt;</bpt>Start<ept i=\"1\">&lt;/b&gt;</ept> now.";
    v[1].lang = "UK";
    v[1].text = "Тисни \"Старт\" & йди\r\n";
    v[1].props = &vprop;
    v[1].n_props = 1;
    am_unit u = {0};
    u.tuid = "u7";
    u.confidence = 0.1;
    u.creationdate = "2024-05-01T12:30:00+02:00";
    u.changeid = "ed";
    u.usagecount = 2;
    u.variants = v;
    u.n_variants = 2;
    u.props = &uprop;
    u.n_props = 1;
    u.notes = &unote;
    u.n_notes = 1;
    assert_int_equal(am_tmx_write_unit(w, &u, &err), AM_OK);
    assert_int_equal(am_tmx_writer_finish(w, &err), AM_OK);
    fclose(fp);
    char *out = slurp(tmp);
    assert_string_equal(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<tmx version=\"1.4\">\n"
        "  <header creationtool=\"alignmem\" creationtoolversion=\"" AM_VERSION_STRING "\" "
        "segtype=\"sentence\" o-tmf=\"alignmem\" adminlang=\"en\" srclang=\"en\" "
        "datatype=\"plaintext\" creationdate=\"20260102T030405Z\"/>\n"
        "  <body>\n"
        "    <tu tuid=\"u7\" creationdate=\"20240501T103000Z\" changeid=\"ed\" usagecount=\"2\">\n"
        "      <prop type=\"x-alignmem-confidence\">0.1</prop>\n"
        "      <prop type=\"x-alignmem-origin\">https://example.org/a?b=1&amp;c=2</prop>\n"
        "      <note xml:lang=\"en\">check &lt;this&gt;</note>\n"
        "      <tuv xml:lang=\"en\">\n"
        "        <seg>Press <bpt i=\"1\">&lt;b&gt;</bpt>Start<ept i=\"1\">&lt;/b&gt;</ept> now.</seg>\n"
        "      </tuv>\n"
        "      <tuv xml:lang=\"uk\">\n"
        "        <prop type=\"x-style\" xml:lang=\"uk\">tab\there</prop>\n"
        "        <seg>Тисни &quot;Старт&quot; &amp; йди&#13;\n</seg>\n"
        "      </tuv>\n"
        "    </tu>\n"
        "  </body>\n"
        "</tmx>\n");
    free(out);
    /* Reading it back gives the unit back: confidence, CR and all. */
    tmx_dump d;
    read_ok(&d, tmp);
    am_buf want = AM_BUF_INIT;
    u.creationdate = "20240501T103000Z";
    v[1].lang = "uk";
    assert_int_equal(tmx_dump_unit(&want, &u), AM_OK);
    assert_string_equal(d.units.data, want.data);
    am_buf_free(&want);
    tmx_dump_free(&d);
    unlink(tmp);
    free(tmp);
}

static int write_one(const am_unit *u, int region, char **out)
{
    am_error err;
    am_error_clear(&err);
    char *tmp = temp_path();
    FILE *fp = fopen(tmp, "wb");
    am_tmx_writer *w = NULL;
    am_tmx_header h = {0};
    int rc = am_tmx_writer_new(&w, fp, &h, region, &err);
    assert_int_equal(rc, AM_OK);
    rc = am_tmx_write_unit(w, u, &err);
    if (rc == AM_OK)
        assert_int_equal(am_tmx_writer_finish(w, &err), AM_OK);
    else
        am_tmx_writer_free(w);
    fclose(fp);
    *out = slurp(tmp);
    unlink(tmp);
    free(tmp);
    return rc;
}

static void test_writer_refuses_bad_units(void **state)
{
    (void)state;
    char *out;
    am_variant v = {0};
    v.lang = "en";
    am_unit u = {0};
    u.tuid = "9";
    u.confidence = -1;
    u.variants = &v;
    u.n_variants = 1;
    v.text = "bell \x07";
    assert_int_equal(write_one(&u, 0, &out), AM_EINPUT);
    free(out);
    v.text = "bad \xff byte";
    assert_int_equal(write_one(&u, 0, &out), AM_EINPUT);
    free(out);
    v.text = "fine";
    u.changedate = "last Tuesday";
    assert_int_equal(write_one(&u, 0, &out), AM_EINPUT);
    free(out);
    u.changedate = NULL;
    v.lang = "not a language";
    assert_int_equal(write_one(&u, 0, &out), AM_EINPUT);
    free(out);
    u.n_variants = 0;
    assert_int_equal(write_one(&u, 0, &out), AM_EINPUT);
    free(out);
}

static void test_writer_region_style(void **state)
{
    (void)state;
    char *out;
    am_variant v[2] = {{0}, {0}};
    v[0].lang = "uk";
    v[0].text = "так";
    v[1].lang = "en-GB";
    v[1].text = "yes";
    am_unit u = {0};
    u.id = 42;
    u.confidence = -1;
    u.variants = v;
    u.n_variants = 2;
    assert_int_equal(write_one(&u, 1, &out), AM_OK);
    assert_non_null(strstr(out, "srclang=\"*all*\""));
    assert_non_null(strstr(out, "adminlang=\"en-US\""));
    assert_non_null(strstr(out, "<tu tuid=\"42\" usagecount=\"0\">"));
    assert_non_null(strstr(out, "<tuv xml:lang=\"uk-UA\">"));
    assert_non_null(strstr(out, "<tuv xml:lang=\"en-GB\">"));
    assert_null(strstr(out, "x-alignmem-confidence"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_canonical),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_xml_text_check),
        cmocka_unit_test(test_read_omegat),
        cmocka_unit_test(test_read_trados_level2),
        cmocka_unit_test(test_read_utf16),
        cmocka_unit_test(test_read_tmx11_lang),
        cmocka_unit_test(test_read_po2tmx_and_trados_level1),
        cmocka_unit_test(test_roundtrip_reference_files),
        cmocka_unit_test(test_unknown_elements_warn),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_hostile_generated),
        cmocka_unit_test(test_missing_and_empty),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_writer_exact),
        cmocka_unit_test(test_writer_refuses_bad_units),
        cmocka_unit_test(test_writer_region_style),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    am_shutdown();
    return rc;
}
