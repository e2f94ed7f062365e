/*
** xlsx_sheet.c — one worksheet of a workbook (xlsx_book.c), streamed as
** rows of cell texts: shared, inline and formula strings, numbers as their
** exact decimal text (a percent format multiplies by 100, a date format
** gives the date), booleans as TRUE/FALSE. An error value, a formula never
** computed or a malformed cell stops the sheet with a message naming the
** cell as Excel does. A first pass collects the merged ranges, which the
** file keeps after the rows.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "xlsx_book.h"
#include "xlsx_read.h"

/* Cells a sheet's vertical merges may fill in all, summed over merges: a
** unit merged down over its periods fills about one cell a row. */
#define MAX_MERGED_AREA (16 * XLSX_MAX_ROWS)
#define MAX_HIDDEN_COLS 1000

typedef struct Merge {
    int col;
    long r1, r2;
    const char *value;
} Merge;

struct XlsxSheet {
    XlsxBook *b;
    const char *path, *name, *part;
    XzStream *s;
    bool failed;

    Merge *merges;              /* vertical merges, by first row */
    long nmerges, next_merge;
    Merge **active;             /* those covering the current row */
    long nactive;
    unsigned long long merged_area;

    int nhidden;                /* hidden column ranges [min, max], 0-based */
    int hidden_min[MAX_HIDDEN_COLS], hidden_max[MAX_HIDDEN_COLS];
    bool warned_row, warned_col;

    long row, prev_row;         /* the row being read, the last one read */
    bool in_row;            /* between <row> and </row> */
    bool row_hidden, header_seen, ready;
    const char **cells;
    size_t *lens;
    int cap, ncells, nonempty;

    int col, next_col;          /* the cell being read */
    char type[12];
    long xf;
    bool has_f, in_v, in_is, in_t;
    int phonetic;
    XlsxText v;
};

static const char *here(const XlsxSheet *sh)
{
    return xlsx_cell_name(sh->path, sh->name, sh->col, sh->row);
}

static void sheet_fail(XlsxSheet *sh)
{
    sh->failed = true;
    xz_fail(sh->s);
}

static void too_many_rows(XlsxSheet *sh, const char *what)
{
    diag_file(DIAG_ERROR, sh->path, 0, 0,
              "a fact file has one row per unit and period; split the sheet",
              "sheet %s %s, more than the limit of %ld rows", sh->name, what, XLSX_MAX_ROWS);
    sheet_fail(sh);
}

/* ---- the first pass: merged ranges ------------------------------------------------*/

static void merge_start(void *ud, const char *name, const char **attrs)
{
    XlsxSheet *sh = ud;
    if (sh->failed || strcmp(name, "mergeCell") != 0)
        return;
    const char *ref = xz_attr(attrs, "ref");
    int c1, c2;
    long r1, r2;
    if (!ref || !xlsx_parse_range_(ref, &c1, &r1, &c2, &r2) || r2 == r1)
        return;                 /* only a merge down several rows fills cells */
    sh->merged_area += (unsigned long long)(r2 - r1);
    if (sh->nmerges >= XLSX_MAX_MERGES || sh->merged_area > MAX_MERGED_AREA) {
        diag_file(DIAG_ERROR, sh->path, 0, 0, "unmerge the cells in Excel and fill them in",
                  "sheet %s has more merged cells than kaohe reads (%ld ranges, %llu cells)",
                  sh->name, sh->nmerges + 1, sh->merged_area);
        sheet_fail(sh);
        return;
    }
    if (sh->nmerges % 64 == 0)
        sh->merges = GC_REALLOC(sh->merges, ((size_t)sh->nmerges + 64) * sizeof *sh->merges);
    sh->merges[sh->nmerges++] = (Merge){c1, r1, r2, ""};
}

static int by_first_row(const void *a, const void *b)
{
    const Merge *x = a, *y = b;
    return x->r1 < y->r1 ? -1 : x->r1 > y->r1;
}

static bool read_merges(XlsxSheet *sh)
{
    static const XzHandlers h = {merge_start, NULL, NULL};
    sh->s = xz_stream(xlsx_book_zip_(sh->b), sh->part, &h, sh);
    int rc = sh->s ? xz_run(sh->s) : -1;
    xz_stream_close(sh->s);
    sh->s = NULL;
    if (rc < 0 || sh->failed)
        return false;
    if (sh->nmerges > 0)        /* qsort of NULL, 0 is undefined */
        qsort(sh->merges, (size_t)sh->nmerges, sizeof *sh->merges, by_first_row);
    sh->active = GC_MALLOC(((size_t)sh->nmerges + 1) * sizeof *sh->active);
    return true;
}

/* ---- cells --------------------------------------------------------------------------*/

static bool leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* An Excel date serial as 2021-07-01 (1900 system: 1 is 1900-01-01 and 60
** the 29 February 1900 Lotus invented; 1904 system: 0 is 1904-01-01). */
static const char *serial_date(const XlsxSheet *sh, const char *text)
{
    char *end;
    long serial = strtol(text, &end, 10);
    if (*end || serial < 0 || serial > 2958465)
        return NULL;            /* a time of day, or past 9999-12-31 */
    if (!xlsx_book_date1904_(sh->b) && serial == 60)
        return "1900-02-29";
    /* days since 1900-01-01 (1904-01-01), counted off year by year */
    long days = xlsx_book_date1904_(sh->b) ? serial : serial - (serial < 60 ? 1 : 2);
    long y = xlsx_book_date1904_(sh->b) ? 1904 : 1900, m = 1;
    for (;;) {
        long len = leap(y) ? 366 : 365;
        if (days < len)
            break;
        days -= len;
        y++;
    }
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (; days >= month_days[m - 1] + (m == 2 && leap(y)); m++)
        days -= month_days[m - 1] + (m == 2 && leap(y));
    long d = days + 1;
    return gc_printf("%04ld-%02ld-%02ld", y, m, d);
}

static bool cell_error(XlsxSheet *sh, const char *text, const char *hint, const char *msg)
{
    diag_cell(DIAG_ERROR, here(sh), 0, NULL, text, hint, "%s", msg);
    sheet_fail(sh);
    return false;
}

/* A number cell's text by its number format. */
static bool number_text(XlsxSheet *sh, const char *v, const char **out)
{
    XlsxFormatKind kind = xlsx_book_style_(sh->b, sh->xf);
    if (kind == XF_DATE) {
        const char *d = serial_date(sh, v);
        *out = d ? d : xlsx_decimal_text(v, false);
    } else {
        *out = xlsx_decimal_text(v, kind == XF_PERCENT);
    }
    if (*out)
        return true;
    return cell_error(sh, v, "save the workbook again from Excel or WPS",
                      "the number cell holds no number kaohe can read");
}

/* The text a finished cell hands on; false (message printed) when the
** cell cannot be read. */
static bool cell_text(XlsxSheet *sh, const char **out)
{
    const char *v = sh->v.len ? sh->v.s : "";
    const char *t = sh->type;
    *out = "";
    if (sh->v.over)
        return cell_error(sh, NULL, "a spreadsheet cell holds at most 32,767 characters",
                          "the cell is longer than 128 KiB");
    if (strcmp(t, "e") == 0)
        return cell_error(sh, v, "fix the formula (or type the value) in Excel, then save",
                          gc_printf("the cell holds Excel's error value %s", v));
    if (sh->has_f && sh->v.len == 0 && strcmp(t, "inlineStr") != 0)
        return cell_error(sh, NULL,
                          "open the workbook in Excel or WPS and save it, so the formula's "
                          "value is stored, or type the value",
                          "the cell holds a formula whose value was never computed");
    if (strcmp(t, "s") == 0) {
        char *end;
        long i = strtol(v, &end, 10);
        const char *s = *end || !*v ? NULL : xlsx_book_string_(sh->b, i);
        if (!s)
            return cell_error(sh, v, "save the workbook again from Excel or WPS",
                              "the cell names a shared string the workbook does not hold");
        *out = s;
    } else if (strcmp(t, "b") == 0) {
        *out = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : NULL;
        if (!*out)
            return cell_error(sh, v, "save the workbook again from Excel or WPS",
                              "a true/false cell holds neither 1 nor 0");
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0 ||
               strcmp(t, "d") == 0) {
        *out = GC_STRNDUP(v, sh->v.len);
    } else if (sh->v.len) {
        return number_text(sh, v, out);
    }
    return true;
}

static bool col_hidden(const XlsxSheet *sh, int col)
{
    for (int i = 0; i < sh->nhidden; i++)
        if (col >= sh->hidden_min[i] && col <= sh->hidden_max[i])
            return true;
    return false;
}

static void store_cell(XlsxSheet *sh, const char *text)
{
    if (sh->col >= sh->cap) {
        int c = sh->cap ? sh->cap : 16;
        while (c <= sh->col)
            c *= 2;
        sh->cells = GC_REALLOC(sh->cells, (size_t)c * sizeof *sh->cells);
        sh->lens = GC_REALLOC(sh->lens, (size_t)c * sizeof *sh->lens);
        sh->cap = c;
    }
    for (int k = sh->ncells; k < sh->col; k++)
        sh->cells[k] = "", sh->lens[k] = 0;
    sh->cells[sh->col] = text;
    sh->lens[sh->col] = strlen(text);
    if (sh->col >= sh->ncells)
        sh->ncells = sh->col + 1;
    if (!*text)
        return;
    sh->nonempty++;
    if (!sh->warned_col && col_hidden(sh, sh->col)) {
        sh->warned_col = true;
        diag_cell(DIAG_WARNING, here(sh), 0, NULL, text,
                  "unhide the column in Excel to see what is scored; delete it if it "
                  "should not count",
                  "column %s is hidden; kaohe reads it like every other column",
                  xlsx_cell_ref(sh->col, 0));
    }
}

/* ---- rows ---------------------------------------------------------------------------*/

static void fill_merges(XlsxSheet *sh)
{
    long w = 0;
    for (long i = 0; i < sh->nactive; i++)
        if (sh->active[i]->r2 >= sh->row)
            sh->active[w++] = sh->active[i];
    sh->nactive = w;
    while (sh->next_merge < sh->nmerges && sh->merges[sh->next_merge].r1 <= sh->row) {
        Merge *m = &sh->merges[sh->next_merge++];
        if (m->r1 == sh->row && m->col < sh->ncells)
            m->value = sh->cells[m->col];
        if (m->r2 >= sh->row)
            sh->active[sh->nactive++] = m;
    }
    for (long i = 0; i < sh->nactive; i++) {
        Merge *m = sh->active[i];
        if (m->r1 == sh->row || !*m->value || (m->col < sh->ncells && *sh->cells[m->col]))
            continue;
        sh->col = m->col;
        store_cell(sh, m->value);
    }
}

static void row_start(XlsxSheet *sh, const char **attrs)
{
    const char *r = xz_attr(attrs, "r"), *hidden = xz_attr(attrs, "hidden");
    long n = r ? strtol(r, NULL, 10) : sh->prev_row + 1;
    if (sh->in_row) {               /* a row opened inside a row: no sheet Excel writes */
        diag_file(DIAG_ERROR, sh->path, 0, 0, "save the workbook again from Excel or WPS",
                  "sheet %s has a row inside row %ld", sh->name, sh->row);
        sheet_fail(sh);
        return;
    }
    sh->in_row = true;
    if (n > XLSX_MAX_ROWS) {
        too_many_rows(sh, gc_printf("has a row %ld", n));
        return;
    }
    if (n <= sh->prev_row) {
        diag_file(DIAG_ERROR, sh->path, 0, 0, "save the workbook again from Excel or WPS",
                  "sheet %s lists row %ld after row %ld", sh->name, n, sh->prev_row);
        sheet_fail(sh);
        return;
    }
    sh->row = n;
    sh->row_hidden = hidden && (strcmp(hidden, "1") == 0 || strcmp(hidden, "true") == 0);
    sh->ncells = sh->nonempty = 0;
    sh->next_col = 0;
}

static void row_end(XlsxSheet *sh)
{
    sh->in_row = false;
    sh->prev_row = sh->row;
    fill_merges(sh);
    if (sh->nonempty == 0 || (!sh->header_seen && sh->nonempty < 2))
        return;                 /* a blank row, or a title above the header */
    sh->header_seen = true;
    if (sh->row_hidden && !sh->warned_row) {
        sh->warned_row = true;
        sh->col = 0;
        diag_cell(DIAG_WARNING, here(sh), 0, NULL, NULL,
                  "unhide the row in Excel to see what is scored; delete it if it should "
                  "not count",
                  "row %ld is hidden; kaohe reads it like every other row", sh->row);
    }
    sh->ready = true;
    xz_pause(sh->s);
}

static void cell_start(XlsxSheet *sh, const char **attrs)
{
    const char *r = xz_attr(attrs, "r"), *t = xz_attr(attrs, "t"), *s = xz_attr(attrs, "s");
    int col;
    long row;
    sh->col = r && xlsx_parse_ref_(r, &col, &row) ? col : sh->next_col;
    if (sh->col >= CSV_MAX_COLUMNS || sh->col < sh->ncells) {
        diag_file(DIAG_ERROR, sh->path, 0, 0, "save the workbook again from Excel or WPS",
                  "sheet %s row %ld: a cell out of order or past column XFD", sh->name,
                  sh->row);
        sheet_fail(sh);
        return;
    }
    sh->next_col = sh->col + 1;
    snprintf(sh->type, sizeof sh->type, "%s", t ? t : "n");
    sh->xf = s ? strtol(s, NULL, 10) : 0;
    sh->v.len = 0;
    sh->v.over = sh->has_f = sh->in_v = sh->in_is = sh->in_t = false;
    sh->phonetic = 0;
}

static void dimension(XlsxSheet *sh, const char **attrs)
{
    const char *ref = xz_attr(attrs, "ref");
    int c1, c2;
    long r1, r2;
    if (ref && xlsx_parse_range_(ref, &c1, &r1, &c2, &r2) && r2 > XLSX_MAX_ROWS)
        too_many_rows(sh, gc_printf("spans %s", ref));
}

static void sheet_start(void *ud, const char *name, const char **attrs)
{
    XlsxSheet *sh = ud;
    if (sh->failed)
        return;
    if (strcmp(name, "c") == 0) {
        cell_start(sh, attrs);
    } else if (strcmp(name, "v") == 0) {
        sh->in_v = true;
    } else if (strcmp(name, "f") == 0) {
        sh->has_f = true;
    } else if (strcmp(name, "is") == 0) {
        sh->in_is = true;
    } else if (strcmp(name, "t") == 0) {
        sh->in_t = sh->in_is && sh->phonetic == 0;
    } else if (strcmp(name, "rPh") == 0) {
        sh->phonetic++;
    } else if (strcmp(name, "row") == 0) {
        row_start(sh, attrs);
    } else if (strcmp(name, "dimension") == 0) {
        dimension(sh, attrs);
    } else if (strcmp(name, "col") == 0 && sh->nhidden < MAX_HIDDEN_COLS) {
        const char *h = xz_attr(attrs, "hidden"), *lo = xz_attr(attrs, "min"),
                   *hi = xz_attr(attrs, "max");
        if (h && lo && hi && (strcmp(h, "1") == 0 || strcmp(h, "true") == 0)) {
            sh->hidden_min[sh->nhidden] = atoi(lo) - 1;
            sh->hidden_max[sh->nhidden++] = atoi(hi) - 1;
        }
    }
}

static void sheet_end(void *ud, const char *name)
{
    XlsxSheet *sh = ud;
    if (sh->failed)
        return;
    if (strcmp(name, "v") == 0) {
        sh->in_v = false;
    } else if (strcmp(name, "t") == 0) {
        sh->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        sh->phonetic--;
    } else if (strcmp(name, "is") == 0) {
        sh->in_is = false;
    } else if (strcmp(name, "c") == 0) {
        const char *text;
        if (cell_text(sh, &text))
            store_cell(sh, text);
    } else if (strcmp(name, "row") == 0) {
        row_end(sh);
    }
}

static void sheet_text(void *ud, const char *s, int len)
{
    XlsxSheet *sh = ud;
    if (!sh->failed && (sh->in_v || sh->in_t))
        xlsx_text_add(&sh->v, s, (size_t)len);
}

/* ---- opening and reading ----------------------------------------------------------*/

static int find_sheet(XlsxBook *b, const char *name)
{
    int n = xlsx_book_nsheets(b);
    if (name) {
        for (int i = 0; i < n; i++)
            if (strcmp(xlsx_book_sheet(b, i), name) == 0)
                return i;
        const char **names = GC_MALLOC(((size_t)n + 1) * sizeof *names);
        for (int i = 0; i < n; i++)
            names[i] = xlsx_book_sheet(b, i);
        const char *s = diag_suggest(name, names, (size_t)n);
        diag_file(DIAG_ERROR, xlsx_book_path_(b), 0, 0,
                  s ? gc_printf("did you mean %s?", s) : gc_printf("its first sheet is %s", names[0]),
                  "the workbook has no sheet %s", name);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (!xlsx_book_hidden(b, i))
            return i;
    return 0;
}

XlsxSheet *xlsx_sheet_open(XlsxBook *b, const char *name)
{
    int i = find_sheet(b, name);
    if (i < 0)
        return NULL;
    XlsxSheet *sh = GC_MALLOC(sizeof *sh);
    sh->b = b;
    sh->path = xlsx_book_path_(b);
    sh->name = xlsx_book_sheet(b, i);
    sh->part = xlsx_book_part_(b, i);
    if (!sh->part) {
        diag_file(DIAG_ERROR, sh->path, 0, 0, "save the workbook again from Excel or WPS",
                  "sheet %s has no part in the workbook", sh->name);
        return NULL;
    }
    if (!read_merges(sh))
        return NULL;
    static const XzHandlers h = {sheet_start, sheet_end, sheet_text};
    sh->s = xz_stream(xlsx_book_zip_(b), sh->part, &h, sh);
    return sh->s ? sh : NULL;
}

int xlsx_sheet_next(XlsxSheet *sh, XlsxRow *out)
{
    if (sh->failed)
        return -1;
    sh->ready = false;
    int rc = xz_step(sh->s);
    if (rc < 0 || sh->failed) {
        sh->failed = true;
        return -1;
    }
    if (!sh->ready)
        return 0;
    out->row = sh->row;
    out->ncells = sh->ncells;
    out->text = sh->cells;
    out->len = sh->lens;
    return 1;
}

const char *xlsx_sheet_name(const XlsxSheet *sh) { return sh->name; }

void xlsx_sheet_close(XlsxSheet *sh)
{
    if (sh)
        xz_stream_close(sh->s);
}
