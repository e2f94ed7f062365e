/*
** xlsx.c — fuzz harness for the .xlsx reader. Input that starts with a zip
** signature is the whole workbook file; any other input is the XML of its
** first sheet, packed here (libzip) into a workbook with shared strings and
** number formats, so the fuzzer reaches the cell reader without first
** having to find a valid archive. Every sheet is read to its end through
** xlsx_book.h and the first visible one also through csv.h. Checks: no
** crash or hang; rows in increasing order, at most the row and column
** limits; every text NUL-terminated at its length; the same records both
** ways; messages well formed, and an error exactly when reading failed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "csv.h"
#include "fuzz.h"
#include "xlsx_book.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RELNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *const parts[][2] = {
    {"_rels/.rels", "<?xml version=\"1.0\"?><Relationships " RELNS "><Relationship Id=\"rId1\" "
                    "Type=\"" RT "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
    {"xl/workbook.xml",
     "<?xml version=\"1.0\"?><workbook " NS " xmlns:r=\"" RT "\"><sheets>"
     "<sheet name=\"考核数据\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<?xml version=\"1.0\"?><Relationships " RELNS ">"
     "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
     "<Relationship Id=\"rId2\" Type=\"" RT "sharedStrings\" Target=\"sharedStrings.xml\"/>"
     "<Relationship Id=\"rId3\" Type=\"" RT "styles\" Target=\"styles.xml\"/></Relationships>"},
    {"xl/sharedStrings.xml",
     "<?xml version=\"1.0\"?><sst " NS "><si><t>单位</t></si><si><t>期别</t></si>"
     "<si><r><t>甲</t></r><r><t>镇</t></r></si><si><t>是</t></si></sst>"},
    {"xl/styles.xml",
     "<?xml version=\"1.0\"?><styleSheet " NS "><numFmts><numFmt numFmtId=\"164\" "
     "formatCode=\"0.0%\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"9\"/>"
     "<xf numFmtId=\"164\"/><xf numFmtId=\"14\"/><xf numFmtId=\"49\"/></cellXfs></styleSheet>"},
};

/* A workbook around the sheet XML given. */
static void pack(const char *path, const uint8_t *data, size_t size)
{
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    FUZZ_ASSERT(z != NULL);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        zip_source_t *s = zip_source_buffer(z, parts[i][1], strlen(parts[i][1]), 0);
        FUZZ_ASSERT(s && zip_file_add(z, parts[i][0], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    zip_source_t *s = zip_source_buffer(z, data, size, 0);
    FUZZ_ASSERT(s && zip_file_add(z, "xl/worksheets/sheet1.xml", s, ZIP_FL_ENC_UTF_8) >= 0);
    zip_set_file_compression(z, 5, ZIP_CM_STORE, 0);
    FUZZ_ASSERT(zip_close(z) == 0);
}

static void check_row(long *last, long row, int ncells, const char *const *text, const size_t *len)
{
    FUZZ_ASSERT(row > *last && row <= XLSX_MAX_ROWS);
    FUZZ_ASSERT(ncells >= 1 && ncells <= CSV_MAX_COLUMNS);
    for (int k = 0; k < ncells; k++)
        FUZZ_ASSERT(text[k][len[k]] == '\0' && strlen(text[k]) == len[k]);
    *last = row;
}

/* Every row of sheet i (or the first visible, -1) as text. */
static char *read_sheet(XlsxBook *b, int i, int *rc)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *out = open_memstream(&text, &tlen);
    FUZZ_ASSERT(out != NULL);
    XlsxSheet *sh = xlsx_sheet_open(b, i < 0 ? NULL : xlsx_book_sheet(b, i));
    *rc = -1;
    if (sh) {
        XlsxRow row;
        long last = 0;
        while ((*rc = xlsx_sheet_next(sh, &row)) == 1) {
            check_row(&last, row.row, row.ncells, row.text, row.len);
            fprintf(out, "%ld:", row.row);
            for (int k = 0; k < row.ncells; k++)
                fprintf(out, "[%s]", row.text[k]);
            fputc('\n', out);
        }
        xlsx_sheet_close(sh);
    }
    FUZZ_ASSERT(fclose(out) == 0);
    return text;
}

/* The first visible sheet through csv.h, in read_sheet's form. */
static char *read_records(const char *path, int *rc)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *out = open_memstream(&text, &tlen);
    FUZZ_ASSERT(out != NULL);
    CsvReader *r = csv_open(path, CSV_ENC_AUTO);
    *rc = -1;
    if (r) {
        CsvRecord rec;
        while ((*rc = csv_next(r, &rec)) == 1) {
            fprintf(out, "%ld:", rec.row);
            for (size_t k = 0; k < rec.nfields; k++)
                fprintf(out, "[%s]", rec.fields[k].text);
            fputc('\n', out);
        }
        csv_close(r);
    }
    FUZZ_ASSERT(fclose(out) == 0);
    return text;
}

int fuzz_xlsx(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_input(data, size);
    const char *path = fuzz_path("fuzz.xlsx");
    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0)
        fuzz_write("fuzz.xlsx", data, size);
    else
        pack(path, data, size);

    fuzz_begin();
    XlsxBook *b = xlsx_book_open(path);
    bool failed = b == NULL;
    char *first = NULL;
    int first_rc = -1;
    if (b) {
        first = read_sheet(b, -1, &first_rc);
        for (int i = 0; i < xlsx_book_nsheets(b) && i < 8; i++) {
            int rc;
            free(read_sheet(b, i, &rc));
            failed = failed || rc < 0;
        }
        xlsx_book_close(b);
    }
    fuzz_check_messages(fuzz_end(), failed || first_rc < 0);

    /* the same first sheet through the CSV interface: the same records */
    fuzz_begin();
    int rc;
    char *records = read_records(path, &rc);
    fuzz_end();
    if (first) {
        FUZZ_ASSERT(rc == first_rc);
        FUZZ_ASSERT(strcmp(records, first) == 0);
    }
    free(first);
    free(records);
    unlink(path);
    return 0;
}
