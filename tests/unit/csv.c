/*
** tests/unit/csv.c — the CSV reader: RFC 4180 quoting, line ends, BOM, the
** exact error messages with their positions, encoding detection, and records
** that straddle buffer boundaries (tiny buffers and a file past the default).
*/
#include <check.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "capture.h"
#include "diag.h"

/* ---- helpers ----------------------------------------------------------------*/


/* A growing string. */
typedef struct Str {
    char *s;
    size_t len, cap;
} Str;

static void put(Str *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->s = realloc(o->s, o->cap);
        ck_assert_ptr_nonnull(o->s);
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = 0;
}

static void puts_(Str *o, const char *s) { put(o, s, strlen(s)); }

/* Every record as "row@line: f1|f2|...\n", line breaks in fields shown as
** \n, then "rc=N" — one string to compare with the expected reading. The
** field lengths are checked against the NUL terminators on the way. */
static char *read_all(CsvReader *r)
{
    Str o = {0};
    CsvRecord rec;
    int rc;
    char head[64];
    while ((rc = csv_next(r, &rec)) == 1) {
        snprintf(head, sizeof head, "%ld@%ld:", rec.row, rec.line);
        puts_(&o, head);
        for (size_t k = 0; k < rec.nfields; k++) {
            const CsvField *f = &rec.fields[k];
            ck_assert_uint_eq(strlen(f->text), f->len);
            puts_(&o, k ? "|" : " ");
            for (size_t j = 0; j < f->len; j++) {
                if (f->text[j] == '\n')
                    puts_(&o, "\\n");
                else if (f->text[j] == '\r')
                    puts_(&o, "\\r");
                else
                    put(&o, f->text + j, 1);
            }
        }
        puts_(&o, "\n");
    }
    snprintf(head, sizeof head, "rc=%d", rc);
    puts_(&o, head);
    return o.s;
}

static char *read_mem(const char *data, size_t len, CsvEncoding enc)
{
    CsvReader *r = csv_open_mem("t.csv", data, len, enc);
    ck_assert_ptr_nonnull(r);
    char *s = read_all(r);
    csv_close(r);
    return s;
}

#define READ(lit, enc) read_mem(lit, sizeof lit - 1, enc)

static void expect_read(const char *data, size_t len, CsvEncoding enc, const char *want)
{
    char *got = read_mem(data, len, enc);
    ck_assert_str_eq(got, want);
    free(got);
}

#define EXPECT(lit, want) expect_read(lit, sizeof lit - 1, CSV_ENC_UTF8, want)

/* Reads data with the given encoding and returns what diag printed. */
static char *errors_of(const char *data, size_t len, CsvEncoding enc, char **reading)
{
    capture();
    CsvReader *r = csv_open_mem("t.csv", data, len, enc);
    char *s = r ? read_all(r) : strdup("(not opened)");
    csv_close(r);
    char *d = captured();
    if (reading)
        *reading = s;
    else
        free(s);
    return d;
}

static char *to_gb18030(const char *utf8, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), cap = inleft * 2 + 8, oleft = cap;
    char *out = malloc(cap), *o = out, *in = (char *)utf8;
    ck_assert(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    iconv_close(cd);
    *outlen = cap - oleft;
    return out;
}

/* ---- syntax -----------------------------------------------------------------*/

START_TEST(plain_and_quoted)
{
    EXPECT("a,b,c\n1,2,3\n", "1@1: a|b|c\n2@2: 1|2|3\nrc=0");
    EXPECT("a,\"b,c\",\"d\"\"e\",\"\"\n", "1@1: a|b,c|d\"e|\nrc=0");
    /* a quote inside an unquoted field is kept as text */
    EXPECT("5\"x,y\n", "1@1: 5\"x|y\nrc=0");
    /* no final line break; a trailing comma is an empty last field */
    EXPECT("a,b", "1@1: a|b\nrc=0");
    EXPECT("a,\n,", "1@1: a|\n2@2: |\nrc=0");
    EXPECT("", "rc=0");
}
END_TEST

START_TEST(embedded_newlines_count_lines)
{
    EXPECT("\"专窗\n人员\",2\nnext,\"x\r\ny\"\nlast\n",
           "1@1: 专窗\\n人员|2\n2@3: next|x\\r\\ny\n3@5: last\nrc=0");
}
END_TEST

START_TEST(line_ends_and_blank_lines)
{
    EXPECT("a,b\r\nc\r\n\r\nd", "1@1: a|b\n2@2: c\n3@3: \n4@4: d\nrc=0");
    EXPECT("a\rb\r\rc\r", "1@1: a\n2@2: b\n3@3: \n4@4: c\nrc=0");
    EXPECT("a\n\nb\n", "1@1: a\n2@2: \n3@3: b\nrc=0");
    /* a quoted field ending at CR, then LF */
    EXPECT("\"a\"\r\n\"b\"", "1@1: a\n2@2: b\nrc=0");
}
END_TEST

START_TEST(bom_skipped)
{
    EXPECT("\xEF\xBB\xBF单位,期别\n", "1@1: 单位|期别\nrc=0");
    EXPECT("\xEF\xBB\xBF", "rc=0");
    /* only at the start */
    EXPECT("a\n\xEF\xBB\xBF" "b\n", "1@1: a\n2@2: \xEF\xBB\xBF" "b\nrc=0");
}
END_TEST

START_TEST(nul_byte_position)
{
    static const char data[] = "ab,c\n专窗,x\0y\n";
    char *reading;
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_AUTO, &reading);
    ck_assert_str_eq(d,
        "t.csv:2:5: error: NUL byte in the file\n"
        "  hint: a text file has no NUL bytes: is this a spreadsheet (.xlsx) or a "
        "UTF-16 file? Save it as CSV\n");
    ck_assert_str_eq(reading, "1@1: ab|c\nrc=-1");
    free(d);
    free(reading);
    /* inside quotes too */
    static const char q[] = "\"a\n\0\"\n";
    d = errors_of(q, sizeof q - 1, CSV_ENC_UTF8, NULL);
    ck_assert_str_eq(d,
        "t.csv:2:1: error: NUL byte in the file\n"
        "  hint: a text file has no NUL bytes: is this a spreadsheet (.xlsx) or a "
        "UTF-16 file? Save it as CSV\n");
    free(d);
}
END_TEST

START_TEST(unclosed_quote_points_at_opening)
{
    static const char data[] = "单位,x\n石岗镇,\"open\nmore\nlines,\n";
    char *reading;
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_UTF8, &reading);
    ck_assert_str_eq(d,
        "t.csv:2:5: error: unclosed quote\n"
        "  hint: close it with a quote; a quote inside a quoted field is written "
        "twice: \"\"\n");
    ck_assert_str_eq(reading, "1@1: 单位|x\nrc=-1");
    ck_assert_int_eq(diag_errors(), 1);
    free(d);
    free(reading);
}
END_TEST

START_TEST(text_after_closing_quote)
{
    static const char data[] = "a\n\"专窗\"人员,b\n";
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_UTF8, NULL);
    ck_assert_str_eq(d,
        "t.csv:2:5: error: text after the closing quote\n"
        "  hint: a quote inside a quoted field is written twice: \"\"\n");
    free(d);
}
END_TEST

/* The column of an error counts the raw text of the line, doubled quotes of
** an earlier field included: they are undone only once a record is whole. */
START_TEST(error_column_after_doubled_quotes)
{
    static const char data[] = "\"\"\"\"\"是\",\"b\"x\n";
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_UTF8, NULL);
    ck_assert_str_eq(d,
        "t.csv:1:12: error: text after the closing quote\n"
        "  hint: a quote inside a quoted field is written twice: \"\"\n");
    free(d);
}
END_TEST

/* Unquoted fields are cut 64 bytes at a time: fields of every length put
** commas, quoted fields after them and line ends at every offset of those
** blocks, and of the buffer when it is small. */
START_TEST(fields_at_every_offset)
{
    Str raw = {0}, want = {0};
    char head[64];
    long line = 1;
    for (int k = 1; k <= 150; k++) {
        snprintf(head, sizeof head, "%d@%ld: ", k, line);
        puts_(&want, head);
        for (int j = 0; j < k % 71; j++) {
            puts_(&raw, "x");
            puts_(&want, "x");
        }
        /* a quoted field right after a comma, with a doubled quote */
        puts_(&raw, k % 3 ? ",\"q\"\"r\"," : ",\"q,\n\"\"\",");
        puts_(&want, k % 3 ? "|q\"r|" : "|q,\\n\"|");
        line += k % 3 == 0;
        for (int j = 0; j < (k * 7) % 67; j++) {
            puts_(&raw, "是");
            puts_(&want, "是");
        }
        puts_(&raw, ",,");
        puts_(&want, "||");
        if (k % 5 == 0) {            /* a quoted field last in its record */
            puts_(&raw, "\"\"");
        }
        puts_(&raw, k % 4 ? "\n" : "\r\n");
        puts_(&want, "\n");
        line++;
    }
    puts_(&want, "rc=0");
    expect_read(raw.s, raw.len, CSV_ENC_UTF8, want.s);
    expect_read(raw.s, raw.len, CSV_ENC_AUTO, want.s);
    for (size_t size = 16; size <= 160; size += 9) {
        csv_set_buffer_size(size);
        expect_read(raw.s, raw.len, CSV_ENC_UTF8, want.s);
    }
    csv_set_buffer_size(0);
    free(raw.s);
    free(want.s);
}
END_TEST

/* A NUL far into a line of unquoted fields is still found where it is. */
START_TEST(nul_after_many_fields)
{
    Str raw = {0};
    for (int k = 0; k < 40; k++)
        puts_(&raw, "ab,");
    put(&raw, "c\0", 2);
    char *d = errors_of(raw.s, raw.len, CSV_ENC_UTF8, NULL);
    ck_assert_str_eq(d,
        "t.csv:1:122: error: NUL byte in the file\n"
        "  hint: a text file has no NUL bytes: is this a spreadsheet (.xlsx) or a "
        "UTF-16 file? Save it as CSV\n");
    free(d);
    free(raw.s);
}
END_TEST

/* After an error the reader stays failed. */
START_TEST(error_is_sticky)
{
    static const char data[] = "\"a\"b\nc\n";
    capture();
    CsvReader *r = csv_open_mem("t.csv", data, sizeof data - 1, CSV_ENC_UTF8);
    CsvRecord rec;
    ck_assert_int_eq(csv_next(r, &rec), -1);
    ck_assert_int_eq(csv_next(r, &rec), -1);
    csv_close(r);
    free(captured());
}
END_TEST

/* ---- encodings ----------------------------------------------------------------*/

START_TEST(encoding_names)
{
    CsvEncoding e;
    ck_assert(csv_encoding_parse("UTF-8", &e) && e == CSV_ENC_UTF8);
    ck_assert(csv_encoding_parse("utf8", &e) && e == CSV_ENC_UTF8);
    ck_assert(csv_encoding_parse("GBK", &e) && e == CSV_ENC_GB18030);
    ck_assert(csv_encoding_parse("gb2312", &e) && e == CSV_ENC_GB18030);
    ck_assert(csv_encoding_parse("Auto", &e) && e == CSV_ENC_AUTO);
    ck_assert(!csv_encoding_parse("latin1", &e));
    ck_assert_str_eq(csv_encoding_name(CSV_ENC_GB18030), "GB18030");
    ck_assert_str_eq(csv_encoding_name(CSV_ENC_UTF8), "UTF-8");
}
END_TEST

START_TEST(gb18030_detected)
{
    size_t n;
    char *gb = to_gb18030("单位,期别,专窗负责人职务\n石埠乡,年度,\"副主任\"\n", &n);
    ck_assert(memcmp(gb, "\xB5\xA5", 2) == 0);    /* 单 in GB18030 */
    capture();
    CsvReader *r = csv_open_mem("facts.csv", gb, n, CSV_ENC_AUTO);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(csv_encoding(r), CSV_ENC_GB18030);
    char *s = read_all(r);
    csv_close(r);
    char *d = captured();
    ck_assert_str_eq(s, "1@1: 单位|期别|专窗负责人职务\n2@2: 石埠乡|年度|副主任\nrc=0");
    ck_assert_str_eq(d,
        "facts.csv: note: not UTF-8, so read as GB18030 (as Excel/WPS on Chinese "
        "Windows save CSV)\n"
        "  hint: --encoding utf-8 or --encoding gb18030 forces one\n");
    ck_assert_int_eq(diag_errors(), 0);
    free(s);
    free(d);
    /* forced GB18030 reads it silently */
    capture();
    s = read_mem(gb, n, CSV_ENC_GB18030);
    d = captured();
    ck_assert_str_eq(s, "1@1: 单位|期别|专窗负责人职务\n2@2: 石埠乡|年度|副主任\nrc=0");
    ck_assert_str_eq(d, "");
    free(s);
    free(d);
    free(gb);
}
END_TEST

START_TEST(utf8_stays_utf8)
{
    CsvReader *r = csv_open_mem("t.csv", "单位\n", 7, CSV_ENC_AUTO);
    ck_assert_int_eq(csv_encoding(r), CSV_ENC_UTF8);
    csv_close(r);
}
END_TEST

START_TEST(forced_utf8_rejects_gb18030)
{
    size_t n;
    char *gb = to_gb18030("a,b\nx,单位\n", &n);
    char *reading;
    char *d = errors_of(gb, n, CSV_ENC_UTF8, &reading);
    ck_assert_str_eq(d,
        "t.csv:2:3: error: not UTF-8 text (byte 0xB5)\n"
        "  hint: Excel/WPS on Chinese Windows save GB18030: --encoding gb18030 or "
        "auto reads it\n");
    ck_assert_str_eq(reading, "1@1: a|b\nrc=-1");
    free(d);
    free(reading);
    free(gb);
}
END_TEST

/* A BOM is not a character of the text: a bad byte on line 1 after it is
** at the column it would have without the BOM (the same as in a file
** without one), and lines after the first are not corrected at all. */
START_TEST(bom_column)
{
    static const struct { const char *data, *at, *byte; } cases[] = {
        { "\xEF\xBB\xBF\xFF,a\n", "t.csv:1:1:", "FF" },           /* right after the BOM */
        { "\xEF\xBB\xBF单位,\xFF\n", "t.csv:1:4:", "FF" },         /* after three characters */
        { "单位,\xFF\n", "t.csv:1:4:", "FF" },                       /* no BOM: the same column */
        { "\xEF\xBB\xBF" "a,b\n\xFF\n", "t.csv:2:1:", "FF" },      /* line 2: nothing to take off */
        { "\xEF\xBB\xBF" "a\r专\xFF\n", "t.csv:2:2:", "FF" },       /* after a CR alone */
        { "a\n\xEF\xBB\xBF\xFF\n", "t.csv:2:2:", "FF" },           /* a BOM not at the start is a character */
        { "\xEF\xBB\xFF,a\n", "t.csv:1:1:", "EF" },                /* two bytes of a BOM are no BOM */
    };
    /* forced UTF-8 stops in the scanner (fail_at); auto finds the byte
    ** again from the start (locate), and must count the same */
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        for (int e = 0; e < 2; e++) {
            char *d = errors_of(cases[k].data, strlen(cases[k].data), e ? CSV_ENC_AUTO : CSV_ENC_UTF8, NULL);
            char want[160];
            snprintf(want, sizeof want, "%s error: %s text (byte 0x%s)\n", cases[k].at,
                     e ? "neither UTF-8 nor GB18030" : "not UTF-8", cases[k].byte);
            ck_assert_msg(strncmp(d, want, strlen(want)) == 0, "case %zu, %s: %s", k, e ? "auto" : "utf-8", d);
            free(d);
        }
    }
}
END_TEST

START_TEST(neither_encoding)
{
    /* 0xFF is neither UTF-8 nor GB18030; the column counts characters and
    ** not the BOM, the line counts CRLF once */
    static const char data[] = "\xEF\xBB\xBF" "a\r\n专窗\xFF\n";
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_AUTO, NULL);
    ck_assert_str_eq(d,
        "t.csv:2:3: error: neither UTF-8 nor GB18030 text (byte 0xFF)\n"
        "  hint: save it as UTF-8 (Excel: \"CSV UTF-8\"), or name the encoding with "
        "--encoding\n");
    free(d);
    /* a sequence cut by the end of the file */
    static const char cut[] = "ab,\xE4\xB8";
    d = errors_of(cut, sizeof cut - 1, CSV_ENC_UTF8, NULL);
    ck_assert_str_eq(d,
        "t.csv:1:4: error: not UTF-8 text (byte 0xE4)\n"
        "  hint: Excel/WPS on Chinese Windows save GB18030: --encoding gb18030 or "
        "auto reads it\n");
    free(d);
}
END_TEST

/* UTF-8 is checked 64 bytes at a time: a long text with one, two, three and
** four byte characters (the edge cases included) reads whole, and a bad
** sequence anywhere in it is reported at its own place, with the buffer
** large or small. */
START_TEST(utf8_checked_everywhere)
{
    static const char *const chars[] = {
        "a", ",", "\xC3\xA9", "是", "\xF0\x9F\x98\x80", "\xE0\xA0\x80", "\xED\x9F\xBF",
        "\xEE\x80\x80", "\xF4\x8F\xBF\xBF", "\xF0\x90\x80\x80", "\xC2\x80", "\xDF\xBF",
        "\xEF\xBF\xBF", "0123456789"};
    static const char *const bad[] = {
        "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF",
        "\xED\xA0\x80", "\xED\xBF\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3" "a", "\xE6\x98" "a",
        "\xF0\x9F\x98" "a"};
    size_t nchars = sizeof chars / sizeof chars[0], nbad = sizeof bad / sizeof bad[0];
    Str good = {0};
    for (size_t k = 0; k < 400; k++)
        puts_(&good, chars[(k * 7 + k / 13) % nchars]);
    CsvReader *r = csv_open_mem("t.csv", good.s, good.len, CSV_ENC_AUTO);
    ck_assert_int_eq(csv_encoding(r), CSV_ENC_UTF8);
    csv_close(r);
    for (size_t at = 0; at < 400; at += 3) {
        /* the good text up to character `at`, a bad sequence, the rest */
        Str t = {0};
        long col = 1;                   /* characters before the bad one, + 1 */
        for (size_t k = 0; k < 400; k++) {
            if (k == at) {
                for (size_t j = 0; j < t.len; j++)
                    col += ((unsigned char)t.s[j] & 0xC0) != 0x80;
                puts_(&t, bad[at % nbad]);
            }
            puts_(&t, chars[(k * 7 + k / 13) % nchars]);
        }
        unsigned char first = (unsigned char)bad[at % nbad][0];
        char want[256];
        snprintf(want, sizeof want,
                 "t.csv:1:%ld: error: not UTF-8 text (byte 0x%02X)\n"
                 "  hint: Excel/WPS on Chinese Windows save GB18030: --encoding gb18030 or "
                 "auto reads it\n", col, first);
        for (size_t size = 0; size <= 100; size += 50) {
            csv_set_buffer_size(size);
            char *d = errors_of(t.s, t.len, CSV_ENC_UTF8, NULL);
            ck_assert_str_eq(d, want);
            free(d);
        }
        csv_set_buffer_size(0);
        free(t.s);
    }
    free(good.s);
}
END_TEST

START_TEST(forced_gb18030_bad_byte)
{
    static const char data[] = "a\nb,\xFF\n";
    char *d = errors_of(data, sizeof data - 1, CSV_ENC_GB18030, NULL);
    ck_assert_str_eq(d,
        "t.csv:2:3: error: not GB18030 text (byte 0xFF)\n"
        "  hint: is the file UTF-8? --encoding utf-8 or auto reads it\n");
    free(d);
}
END_TEST

START_TEST(missing_file)
{
    capture();
    CsvReader *r = csv_open("/nonexistent/facts.csv", CSV_ENC_AUTO);
    char *d = captured();
    ck_assert_ptr_null(r);
    ck_assert_str_eq(d, "kaohe: error: cannot open /nonexistent/facts.csv: No such file "
                        "or directory\n");
    free(d);
}
END_TEST

/* ---- buffer boundaries -------------------------------------------------------*/

/* A text with every kind of construct, so that with a tiny buffer some
** boundary falls inside each of them. */
static const char tricky[] =
    "\xEF\xBB\xBF单位,\"期\"\"别\",x\r\n"
    "石埠乡,\"a\r\nb\",\"\"\"\"\r\n"
    "\r"
    ",,\n"
    "\"长\n堎\n镇\",年度,\"末\"";
static const char tricky_want[] =
    "1@1: 单位|期\"别|x\n"
    "2@2: 石埠乡|a\\r\\nb|\"\n"
    "3@4: \n"
    "4@5: ||\n"
    "5@6: 长\\n堎\\n镇|年度|末\n"
    "rc=0";

START_TEST(tiny_buffers)
{
    size_t gblen;
    char *gb = to_gb18030(tricky, &gblen);
    for (size_t size = 16; size <= 48; size++) {
        csv_set_buffer_size(size);
        expect_read(tricky, sizeof tricky - 1, CSV_ENC_UTF8, tricky_want);
        expect_read(tricky, sizeof tricky - 1, CSV_ENC_AUTO, tricky_want);
        capture();
        expect_read(gb, gblen, CSV_ENC_AUTO, tricky_want);
        free(captured());
    }
    csv_set_buffer_size(0);
    free(gb);
}
END_TEST

/* Errors keep their positions when the buffer moves under them. */
START_TEST(tiny_buffer_error_positions)
{
    static const char data[] = "aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbb\n"
                               "专窗专窗专窗,\"cccccccccccccccccccccc\nddddddddddddddddd\n";
    for (size_t size = 16; size <= 40; size += 3) {
        csv_set_buffer_size(size);
        char *d = errors_of(data, sizeof data - 1, CSV_ENC_UTF8, NULL);
        ck_assert_str_eq(d,
            "t.csv:2:8: error: unclosed quote\n"
            "  hint: close it with a quote; a quote inside a quoted field is written "
            "twice: \"\"\n");
        free(d);
    }
    csv_set_buffer_size(0);
}
END_TEST

/* The text of field j of record k in the big file: quoted ones carry commas,
** doubled quotes and line breaks, and lengths vary so records fall across
** buffer boundaries at every offset. */
static void big_field(Str *raw, Str *want, long k, int j)
{
    char tmp[128];
    if ((k + j) % 5 == 0) {
        snprintf(tmp, sizeof tmp, "\"石埠乡%ld,\"\"%d\"\"\n行%ld\"", k, j, k % 97);
        puts_(raw, tmp);
        snprintf(tmp, sizeof tmp, "石埠乡%ld,\"%d\"\\n行%ld", k, j, k % 97);
        puts_(want, tmp);
    } else {
        snprintf(tmp, sizeof tmp, "%ld.%0*d", k * 31 + j, (int)((k + j) % 7) + 1, j);
        puts_(raw, tmp);
        puts_(want, tmp);
    }
}

START_TEST(file_larger_than_buffer)
{
    Str raw = {0}, want = {0};
    long line = 1, k;
    char head[64];
    for (k = 1; raw.len < 3 * CSV_BUFFER_SIZE + 1000; k++) {
        snprintf(head, sizeof head, "%ld@%ld:", k, line);
        puts_(&want, head);
        int nf = 1 + (int)(k % 9);
        for (int j = 0; j < nf; j++) {
            if (j)
                puts_(&raw, ",");
            puts_(&want, j ? "|" : " ");
            big_field(&raw, &want, k, j);
            line += (k + j) % 5 == 0;
        }
        puts_(&raw, k % 2 ? "\r\n" : "\n");
        puts_(&want, "\n");
        line++;
    }
    /* one record far bigger than the buffer: the buffer must grow for it
    ** (in four fields, as one may hold at most CSV_MAX_FIELD bytes) */
    snprintf(head, sizeof head, "%ld@%ld: ", k, line);
    puts_(&want, head);
    for (int f = 0; f < 4; f++) {
        puts_(&raw, f ? ",\"" : "\"");
        if (f) puts_(&want, "|");
        for (int i = 0; i < 10000; i++) {
            puts_(&raw, "专窗\"\"");
            puts_(&want, "专窗\"");
        }
        puts_(&raw, "\"");
    }
    puts_(&raw, "\n");
    puts_(&want, "\nrc=0");

    char path[] = "/tmp/kaohe-csv-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, raw.s, raw.len), (ssize_t)raw.len);
    close(fd);
    CsvEncoding encs[] = {CSV_ENC_AUTO, CSV_ENC_UTF8};
    for (size_t e = 0; e < 2; e++) {
        CsvReader *r = csv_open(path, encs[e]);
        ck_assert_ptr_nonnull(r);
        char *got = read_all(r);
        csv_close(r);
        ck_assert(strcmp(got, want.s) == 0);
        free(got);
    }
    /* the same as GB18030, through the streaming converter */
    size_t gblen;
    char *gb = to_gb18030(raw.s, &gblen);
    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, gb, gblen), (ssize_t)gblen);
    close(fd);
    capture();
    CsvReader *r = csv_open(path, CSV_ENC_AUTO);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(csv_encoding(r), CSV_ENC_GB18030);
    char *got = read_all(r);
    csv_close(r);
    free(captured());
    ck_assert(strcmp(got, want.s) == 0);
    free(got);
    free(gb);
    unlink(path);
    free(raw.s);
    free(want.s);
}
END_TEST

Suite *csv_suite(void);
Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("syntax");
    tcase_add_test(tc, plain_and_quoted);
    tcase_add_test(tc, embedded_newlines_count_lines);
    tcase_add_test(tc, line_ends_and_blank_lines);
    tcase_add_test(tc, bom_skipped);
    tcase_add_test(tc, nul_byte_position);
    tcase_add_test(tc, unclosed_quote_points_at_opening);
    tcase_add_test(tc, text_after_closing_quote);
    tcase_add_test(tc, error_column_after_doubled_quotes);
    tcase_add_test(tc, fields_at_every_offset);
    tcase_add_test(tc, nul_after_many_fields);
    tcase_add_test(tc, error_is_sticky);
    suite_add_tcase(s, tc);
    tc = tcase_create("encoding");
    tcase_add_test(tc, encoding_names);
    tcase_add_test(tc, gb18030_detected);
    tcase_add_test(tc, utf8_stays_utf8);
    tcase_add_test(tc, forced_utf8_rejects_gb18030);
    tcase_add_test(tc, neither_encoding);
    tcase_add_test(tc, bom_column);
    tcase_add_test(tc, utf8_checked_everywhere);
    tcase_add_test(tc, forced_gb18030_bad_byte);
    tcase_add_test(tc, missing_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("buffers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, tiny_buffers);
    tcase_add_test(tc, tiny_buffer_error_positions);
    tcase_add_test(tc, file_larger_than_buffer);
    suite_add_tcase(s, tc);
    return s;
}
