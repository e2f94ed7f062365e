/*
** xlsx_book.h — an .xlsx workbook as kaohe reads it: the sheets (with their
** hidden state), the shared strings, the number formats, and one sheet as
** rows of cell texts, each cell as its own decimal text (never through a
** double). What a cell's number format means is decided here: a stored
** 0.8 under a percent format is handed on as "80%". It knows nothing of
** facts, units or tables: csv.c hands its rows on as records.
*/
#ifndef KAOHE_XLSX_BOOK_H
#define KAOHE_XLSX_BOOK_H

#include <stdbool.h>
#include <stddef.h>

/* A sheet past this many rows (a quarter of Excel's 1,048,576) is refused:
** a fact file holds one row per unit and period, an annex one per unit.
** Checked against the sheet's stated dimension before any row is read, and
** against every row number while reading. */
#define XLSX_MAX_ROWS 262144L
/* Shared strings a workbook may hold (one per distinct text). */
#define XLSX_MAX_STRINGS 1000000L
/* Merged ranges a sheet may hold. */
#define XLSX_MAX_MERGES 100000L

typedef struct XlsxBook XlsxBook;
typedef struct XlsxSheet XlsxSheet;

/* Opens a workbook and reads its sheet list, shared strings and number
** formats. NULL (message printed, naming the file) when it is not a
** workbook kaohe can read. */
XlsxBook *xlsx_book_open(const char *path);
void xlsx_book_close(XlsxBook *b);
int xlsx_book_nsheets(const XlsxBook *b);
const char *xlsx_book_sheet(const XlsxBook *b, int i);
bool xlsx_book_hidden(const XlsxBook *b, int i);

/* Opens a sheet by name, or (name NULL) the first visible sheet. NULL with
** a message when there is no such sheet. */
XlsxSheet *xlsx_sheet_open(XlsxBook *b, const char *name);

/* One row: cells [0, ncells) by column (A = 0), "" where empty. The texts
** are valid until the next call. */
typedef struct XlsxRow {
    long row;                  /* Excel's row number */
    int ncells;
    const char **text;
    size_t *len;
} XlsxRow;

/* Rows with a non-empty cell, in order; 1, 0 at the end, -1 on an error
** (printed, naming the cell as Excel does: `facts.xlsx 考核数据!K10`).
** Rows above the first row with at least two non-empty cells (a title
** above the header, a blank line) are skipped. A vertical merge (单位
** merged down over its two 期别 rows) gives its value to every row it
** covers, in its first column; the other cells of a merge are empty. A
** hidden row or column that holds data is read like any other, with one
** warning per sheet for each. */
int xlsx_sheet_next(XlsxSheet *s, XlsxRow *out);
const char *xlsx_sheet_name(const XlsxSheet *s);
void xlsx_sheet_close(XlsxSheet *s);

/* "K10": column 10 (0-based) and row 10; "K" for row 0. */
const char *xlsx_cell_ref(int col, long row);
/* "facts.xlsx 考核数据!K10", how messages name a cell. */
const char *xlsx_cell_name(const char *path, const char *sheet, int col, long row);

/* A number cell's stored text as kaohe's decimal text, exactly: "1E-3" →
** "0.001", "2.50" → "2.5"; with percent, multiplied by 100 with "%" after
** ("0.8" → "80%"). NULL when v is not a number in the form the file format
** allows, or its exponent is past ±400. */
const char *xlsx_decimal_text(const char *v, bool percent);

/* How a number format shows a number, from its id and (custom) code. */
typedef enum XlsxFormatKind { XF_NUMBER, XF_PERCENT, XF_DATE, XF_TEXT } XlsxFormatKind;
XlsxFormatKind xlsx_format_kind(int id, const char *code);

/* Between xlsx_book.c and xlsx_sheet.c only: what the sheet reader needs
** of the book. */
typedef struct XlsxZip XlsxZip;
const char *xlsx_book_path_(const XlsxBook *b);
XlsxZip *xlsx_book_zip_(const XlsxBook *b);
const char *xlsx_book_part_(const XlsxBook *b, int i);   /* NULL: no part */
const char *xlsx_book_string_(const XlsxBook *b, long i); /* NULL: no such */
XlsxFormatKind xlsx_book_style_(const XlsxBook *b, long xf);
bool xlsx_book_date1904_(const XlsxBook *b);
bool xlsx_parse_ref_(const char *s, int *col, long *row);
bool xlsx_parse_range_(const char *s, int *c1, long *r1, int *c2, long *r2);

#endif
