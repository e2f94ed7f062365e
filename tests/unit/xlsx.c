/*
** tests/unit/xlsx.c — the .xlsx reader: exact decimal text of number cells
** (exponents, percent formats), what a number format means, cell names,
** and whole workbooks built here with libzip (not kaohe's writer): shared,
** rich and inline strings, booleans, dates, title rows, vertical merges,
** prefixed XML names, and the limits (rows, missing sheets), each message
** exactly.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "capture.h"
#include "csv.h"
#include "diag.h"
#include "tmpdir.h"
#include "xlsx_book.h"

/* ---- numbers and formats ------------------------------------------------------*/

static void dec_is(const char *v, bool percent, const char *want)
{
    const char *got = xlsx_decimal_text(v, percent);
    if (!want)
        ck_assert_msg(got == NULL, "%s: expected no number, got %s", v, got);
    else
        ck_assert_msg(got && strcmp(got, want) == 0, "%s: expected %s, got %s", v, want,
                      got ? got : "NULL");
}

START_TEST(decimal_text_exact)
{
    dec_is("0.8", true, "80%");
    dec_is("0.805", true, "80.5%");
    dec_is("1", true, "100%");
    dec_is("0", true, "0%");
    dec_is("0.0001", true, "0.01%");
    dec_is("1E-3", false, "0.001");
    dec_is("1.5E+3", false, "1500");
    dec_is("2.5e2", false, "250");
    dec_is("-2.50", false, "-2.5");
    dec_is("-0", false, "0");
    dec_is("007", false, "7");
    dec_is("100", false, "100");
    dec_is("1E-20", false, "0.00000000000000000001");
    dec_is("0.30000000000000004", false, "0.30000000000000004");
    dec_is("123456789012345678901234567890", false, "123456789012345678901234567890");
    dec_is("8E-3", true, "0.8%");
    dec_is("", false, NULL);
    dec_is("abc", false, NULL);
    dec_is("1.2.3", false, NULL);
    dec_is("1E", false, NULL);
    dec_is("1E401", false, NULL);
    const char *big = xlsx_decimal_text("1E400", false);
    ck_assert_uint_eq(strlen(big), 401);
    ck_assert_uint_eq(strspn(big + 1, "0"), 400);
    dec_is("12 ", false, NULL);
}
END_TEST

START_TEST(format_kinds)
{
    ck_assert_int_eq(xlsx_format_kind(0, NULL), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(2, NULL), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(9, NULL), XF_PERCENT);
    ck_assert_int_eq(xlsx_format_kind(10, NULL), XF_PERCENT);
    ck_assert_int_eq(xlsx_format_kind(14, NULL), XF_DATE);
    ck_assert_int_eq(xlsx_format_kind(31, NULL), XF_DATE);
    ck_assert_int_eq(xlsx_format_kind(49, NULL), XF_TEXT);
    ck_assert_int_eq(xlsx_format_kind(164, "0.0%"), XF_PERCENT);
    ck_assert_int_eq(xlsx_format_kind(164, "\"%\"0"), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(164, "0\\%"), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(164, "yyyy-mm-dd"), XF_DATE);
    ck_assert_int_eq(xlsx_format_kind(164, "[$-804]yyyy\"年\"m\"月\"d\"日\""), XF_DATE);
    ck_assert_int_eq(xlsx_format_kind(164, "[Red]0.00;[Blue]-0.00"), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(164, "0.00E+00"), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(164, "#,##0.00_);(#,##0.00)"), XF_NUMBER);
    ck_assert_int_eq(xlsx_format_kind(164, "@"), XF_TEXT);
    ck_assert_int_eq(xlsx_format_kind(164, "General"), XF_NUMBER);
}
END_TEST

START_TEST(cell_refs)
{
    ck_assert_str_eq(xlsx_cell_ref(0, 1), "A1");
    ck_assert_str_eq(xlsx_cell_ref(25, 1), "Z1");
    ck_assert_str_eq(xlsx_cell_ref(26, 10), "AA10");
    ck_assert_str_eq(xlsx_cell_ref(701, 2), "ZZ2");
    ck_assert_str_eq(xlsx_cell_ref(702, 2), "AAA2");
    ck_assert_str_eq(xlsx_cell_ref(16383, 1048576), "XFD1048576");
    ck_assert_str_eq(xlsx_cell_ref(10, 0), "K");
    ck_assert_str_eq(xlsx_cell_name("facts.xlsx", "考核数据", 10, 10), "facts.xlsx 考核数据!K10");
}
END_TEST

/* ---- workbooks built here -----------------------------------------------------*/

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RELNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *ROOT_RELS =
    "<?xml version=\"1.0\"?><Relationships " RELNS "><Relationship Id=\"rId1\" Type=\"" RT
    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char *BOOK_RELS =
    "<?xml version=\"1.0\"?><Relationships " RELNS ">"
    "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" RT "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" RT "styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
/* A hidden sheet first: the first visible one is read. */
static const char *BOOK =
    "<?xml version=\"1.0\"?><workbook " NS
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"说明\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
    "<sheet name=\"考核数据\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *SST =
    "<?xml version=\"1.0\"?><sst " NS " count=\"4\" uniqueCount=\"4\">"
    "<si><t>单位</t></si><si><t>期别</t></si>"
    "<si><r><rPr><b/></rPr><t>甲</t></r><r><t xml:space=\"preserve\">镇 </t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>jia</t></rPh></si>"
    "<si><t>人数</t></si></sst>";
static const char *STYLES =
    "<?xml version=\"1.0\"?><styleSheet " NS "><numFmts count=\"1\">"
    "<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"9\"/></cellStyleXfs>"
    "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"9\"/>"
    "<xf numFmtId=\"14\"/></cellXfs></styleSheet>";

static void add(zip_t *z, const char *name, const char *text)
{
    char *copy = strdup(text);
    zip_source_t *src = zip_source_buffer(z, copy, strlen(copy), 1);
    ck_assert_ptr_nonnull(src);
    ck_assert_int_ge(zip_file_add(z, name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8), 0);
}

/* dir/name as a workbook whose first visible sheet is sheet1. */
static const char *write_book(const char *dir, const char *name, const char *sheet1)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    ck_assert_ptr_nonnull(z);
    add(z, "_rels/.rels", ROOT_RELS);
    add(z, "xl/workbook.xml", BOOK);
    add(z, "xl/_rels/workbook.xml.rels", BOOK_RELS);
    add(z, "xl/sharedStrings.xml", SST);
    add(z, "xl/styles.xml", STYLES);
    add(z, "xl/worksheets/sheet1.xml", sheet1);
    add(z, "xl/worksheets/sheet2.xml",
        "<worksheet " NS "><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>x</t></is></c>"
        "<c t=\"inlineStr\"><is><t>y</t></is></c></row></sheetData></worksheet>");
    ck_assert_int_eq(zip_close(z), 0);
    return path;
}

/* Every record as "row: a|b|c\n", then "rc=N". */
static char *read_records(const char *path)
{
    CsvReader *r = csv_open(path, CSV_ENC_AUTO);
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap);
    if (!r) {
        strcpy(out, "open failed");
        return out;
    }
    ck_assert_ptr_nonnull(csv_sheet(r));
    CsvRecord rec;
    int rc;
    while ((rc = csv_next(r, &rec)) == 1) {
        char line[1024];
        int w = snprintf(line, sizeof line, "%ld:", rec.row);
        for (size_t k = 0; k < rec.nfields; k++)
            w += snprintf(line + w, sizeof line - (size_t)w, "%s%s", k ? "|" : " ",
                          rec.fields[k].text);
        line[w++] = '\n';
        line[w] = 0;
        if (len + (size_t)w + 16 > cap)
            out = realloc(out, cap *= 2);
        memcpy(out + len, line, (size_t)w + 1);
        len += (size_t)w;
    }
    snprintf(out + len, cap - len, "rc=%d", rc);
    csv_close(r);
    return out;
}

START_TEST(cells_of_every_kind)
{
    char dir[256];
    tmpdir_make(dir, sizeof dir, "xlsx");
    const char *path = write_book(dir, "facts.xlsx",
        "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:dimension ref=\"A1:F7\"/><x:sheetData>"
        "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>2021年考核数据</x:t></x:is></x:c></x:row>"
        "<x:row r=\"3\"><x:c r=\"A3\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B3\" t=\"s\"><x:v>1</x:v></x:c>"
        "<x:c r=\"C3\" t=\"s\"><x:v>3</x:v></x:c><x:c r=\"D3\" t=\"inlineStr\"><x:is><x:t>完成率</x:t></x:is></x:c>"
        "<x:c r=\"E3\" t=\"inlineStr\"><x:is><x:t>达标</x:t></x:is></x:c>"
        "<x:c r=\"F3\" t=\"inlineStr\"><x:is><x:t>日期</x:t></x:is></x:c></x:row>"
        "<x:row r=\"4\"><x:c r=\"A4\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"B4\" t=\"str\"><x:f>\"过\"&amp;\"程\"</x:f><x:v>过程</x:v></x:c>"
        "<x:c r=\"C4\"><x:v>3E0</x:v></x:c><x:c r=\"D4\" s=\"1\"><x:v>0.805</x:v></x:c>"
        "<x:c r=\"E4\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"F4\" s=\"3\"><x:v>44378</x:v></x:c></x:row>"
        "<x:row r=\"5\"><x:c r=\"B5\" t=\"inlineStr\"><x:is><x:t>年度</x:t></x:is></x:c>"
        "<x:c r=\"C5\"><x:v>1.2E+1</x:v></x:c><x:c r=\"D5\" s=\"2\"><x:v>1</x:v></x:c>"
        "<x:c r=\"E5\" t=\"b\"><x:v>0</x:v></x:c><x:c r=\"F5\" s=\"3\"><x:v>61</x:v></x:c></x:row>"
        "<x:row r=\"7\"><x:c r=\"C7\" s=\"2\"><x:v>8E-3</x:v></x:c></x:row>"
        "</x:sheetData><x:mergeCells count=\"2\"><x:mergeCell ref=\"A4:A5\"/><x:mergeCell ref=\"A1:F1\"/>"
        "</x:mergeCells></x:worksheet>");
    capture();
    char *got = read_records(path);
    char *msgs = captured();
    ck_assert_str_eq(msgs, "");
    ck_assert_str_eq(got,
                     "3: 单位|期别|人数|完成率|达标|日期\n"
                     "4: 甲镇 |过程|3|80.5%|TRUE|2021-07-01\n"
                     "5: 甲镇 |年度|12|100%|FALSE|1900-03-01\n"
                     "7: ||0.8%\n"
                     "rc=0");
    free(got);
    free(msgs);
    tmpdir_remove(dir);
}
END_TEST

static void one_error(const char *sheet, const char *want)
{
    char dir[256];
    tmpdir_make(dir, sizeof dir, "xlsx");
    const char *path = write_book(dir, "t.xlsx", sheet);
    capture();
    char *got = read_records(path);
    char *msgs = captured();
    char *p = strstr(msgs, "/t.xlsx");
    ck_assert_msg(p != NULL, "no message: %s (%s)", msgs, got);
    ck_assert_str_eq(p + 1, want);
    ck_assert_msg(strstr(got, "rc=-1") || strcmp(got, "open failed") == 0, "%s", got);
    free(got);
    free(msgs);
    tmpdir_remove(dir);
}

#define HEAD "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>" \
             "<c r=\"B1\" t=\"s\"><v>1</v></c></row>"

START_TEST(cells_refused)
{
    one_error(HEAD "<row r=\"2\"><c r=\"B2\" t=\"e\"><v>#DIV/0!</v></c></row></sheetData></worksheet>",
              "t.xlsx 考核数据!B2: error: the cell holds Excel's error value #DIV/0!\n"
              "  cell: \"#DIV/0!\"\n"
              "  hint: fix the formula (or type the value) in Excel, then save\n");
    one_error(HEAD "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>",
              "t.xlsx 考核数据!A2: error: the cell names a shared string the workbook does not hold\n"
              "  cell: \"9\"\n"
              "  hint: save the workbook again from Excel or WPS\n");
    one_error(HEAD "<row r=\"2\"><c r=\"A2\"><v>1,5</v></c></row></sheetData></worksheet>",
              "t.xlsx 考核数据!A2: error: the number cell holds no number kaohe can read\n"
              "  cell: \"1,5\"\n"
              "  hint: save the workbook again from Excel or WPS\n");
    one_error(HEAD "<row r=\"2\"><c r=\"C2\"><f>A2+1</f></c></row></sheetData></worksheet>",
              "t.xlsx 考核数据!C2: error: the cell holds a formula whose value was never computed\n"
              "  hint: open the workbook in Excel or WPS and save it, so the formula's value "
              "is stored, or type the value\n");
    one_error(HEAD "<row r=\"1\"/></sheetData></worksheet>",
              "t.xlsx: error: sheet 考核数据 lists row 1 after row 1\n"
              "  hint: save the workbook again from Excel or WPS\n");
    one_error(HEAD "<row r=\"262145\"><c r=\"A262145\"><v>1</v></c></row></sheetData></worksheet>",
              "t.xlsx: error: sheet 考核数据 has a row 262145, more than the limit of 262144 rows\n"
              "  hint: a fact file has one row per unit and period; split the sheet\n");
    one_error("<?xml version=\"1.0\"?><!DOCTYPE w SYSTEM \"file:///etc/passwd\"><worksheet/>",
              "t.xlsx: error: the workbook part xl/worksheets/sheet1.xml declares a DOCTYPE "
              "(entities are refused)\n"
              "  hint: a workbook saved by Excel, WPS or LibreOffice never has one; this file "
              "was made to attack an XML reader\n");
}
END_TEST

/* A dense sheet one row past the limit is refused at that row, soon. */
START_TEST(too_many_rows_dense)
{
    size_t cap = (size_t)(XLSX_MAX_ROWS + 10) * 64, len = 0;
    char *xml = malloc(cap);
    len += (size_t)sprintf(xml, "<worksheet " NS "><sheetData>");
    for (long r = 1; r <= XLSX_MAX_ROWS + 1; r++)
        len += (size_t)sprintf(xml + len, "<row r=\"%ld\"><c><v>%ld</v></c><c><v>1</v></c></row>",
                               r, r);
    strcpy(xml + len, "</sheetData></worksheet>");
    char dir[256];
    tmpdir_make(dir, sizeof dir, "xlsx");
    const char *path = write_book(dir, "t.xlsx", xml);
    free(xml);
    capture();
    CsvReader *r = csv_open(path, CSV_ENC_AUTO);
    ck_assert_ptr_nonnull(r);
    CsvRecord rec;
    long n = 0;
    int rc;
    while ((rc = csv_next(r, &rec)) == 1)
        n++;
    csv_close(r);
    char *msgs = captured();
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(n, XLSX_MAX_ROWS);
    ck_assert_ptr_nonnull(strstr(msgs, "sheet 考核数据 has a row 262145, more than the limit"));
    free(msgs);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(sheets_by_name)
{
    char dir[256];
    tmpdir_make(dir, sizeof dir, "xlsx");
    const char *path = write_book(dir, "t.xlsx", HEAD "</sheetData></worksheet>");
    capture();
    XlsxBook *b = xlsx_book_open(path);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(xlsx_book_nsheets(b), 2);
    ck_assert(xlsx_book_hidden(b, 0));
    ck_assert(!xlsx_book_hidden(b, 1));
    XlsxSheet *sh = xlsx_sheet_open(b, "说明");
    ck_assert_ptr_nonnull(sh);
    XlsxRow row;
    ck_assert_int_eq(xlsx_sheet_next(sh, &row), 1);
    ck_assert_str_eq(row.text[0], "x");
    xlsx_sheet_close(sh);
    ck_assert_ptr_null(xlsx_sheet_open(b, "考核数椐"));
    xlsx_book_close(b);
    char *msgs = captured();
    ck_assert_ptr_nonnull(strstr(msgs, "t.xlsx: error: the workbook has no sheet 考核数椐\n"
                                       "  hint: did you mean 考核数据?\n"));
    free(msgs);
    tmpdir_remove(dir);
}
END_TEST

Suite *xlsx_suite(void);
Suite *xlsx_suite(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("cells");
    tcase_add_test(tc, decimal_text_exact);
    tcase_add_test(tc, format_kinds);
    tcase_add_test(tc, cell_refs);
    tcase_add_test(tc, cells_of_every_kind);
    tcase_add_test(tc, cells_refused);
    tcase_add_test(tc, sheets_by_name);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, too_many_rows_dense);
    suite_add_tcase(s, tc);
    return s;
}
