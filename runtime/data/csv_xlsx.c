/*
** csv_xlsx.c — a workbook read through the CSV reader's interface: the
** first visible sheet's rows (xlsx_sheet.c) handed on as records, each with
** its Excel row number, so every loader reads .xlsx as it reads CSV. It
** holds no cell logic; that is xlsx_book.c's and xlsx_sheet.c's.
*/
#include "csv_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xlsx_book.h"

CsvReader *csv_open_workbook(const char *path, const char *sheet)
{
    XlsxBook *b = xlsx_book_open(path);
    XlsxSheet *sh = b ? xlsx_sheet_open(b, sheet) : NULL;
    CsvReader *r = sh ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        xlsx_sheet_close(sh);
        xlsx_book_close(b);
        if (sh)
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", path);
        return NULL;
    }
    r->fd = -1;
    r->cd = (iconv_t)-1;
    r->enc = CSV_ENC_UTF8;
    r->path = strdup(path);
    r->book = b;
    r->sheet = sh;
    return r;
}

int csv_next_workbook_row(CsvReader *r, CsvRecord *out)
{
    XlsxRow row;
    int rc = xlsx_sheet_next(r->sheet, &row);
    if (rc <= 0) {
        r->failed = rc < 0;
        return rc;
    }
    if (row.ncells > r->xcap) {
        int n = row.ncells + 16;
        CsvField *f = realloc(r->xfields, (size_t)n * sizeof *f);
        if (!f) {
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
            r->failed = true;
            return -1;
        }
        r->xfields = f;
        r->xcap = n;
    }
    for (int k = 0; k < row.ncells; k++)
        r->xfields[k] = (CsvField){row.text[k], row.len[k]};
    *out = (CsvRecord){(size_t)row.ncells, r->xfields, row.row, row.row};
    return 1;
}

void csv_close_workbook(CsvReader *r)
{
    xlsx_sheet_close(r->sheet);
    xlsx_book_close(r->book);
    free(r->xfields);
}

const char *csv_sheet(const CsvReader *r)
{
    return r->sheet ? xlsx_sheet_name(r->sheet) : NULL;
}

const char *csv_sheet_list(const CsvReader *r)
{
    if (!r->book) return NULL;
    char list[512] = "";
    size_t len = 0;
    int n = xlsx_book_nsheets(r->book);
    for (int i = 0; i < n && len < sizeof list - 80; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "、" : "", xlsx_book_sheet(r->book, i));
    return gc_printf("%s", list);
}
