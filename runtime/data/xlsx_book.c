/*
** xlsx_book.c — the workbook model over xlsx_read.c: the package's
** relationships, workbook.xml (sheets and their state), sharedStrings.xml
** (plain and rich strings), styles.xml (each cell style's number format)
** and one worksheet, streamed row by row. Numbers stay decimal text from
** the file to the caller; no double is ever made of a cell.
*/
#include "xlsx_book.h"

#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "xlsx_read.h"

/* The longest exponent a number cell may carry: 10^400 is past anything a
** spreadsheet shows (Excel stops at 1E308) and keeps the text short. */
#define MAX_EXPONENT 400

typedef struct Strings {
    const char **s;
    long n, cap;
} Strings;

struct XlsxBook {
    const char *path;
    XlsxZip *zip;
    int nsheets;
    const char **sheet_names, **sheet_parts;
    bool *sheet_hidden;
    Strings sst;
    int nxf;
    XlsxFormatKind *xf_kind;   /* [cell style index] */
    bool date1904;             /* serial 0 is 1904-01-01 (old Mac workbooks) */
};

static const char *text_take(XlsxText *t)
{
    char *p = GC_MALLOC_ATOMIC(t->len + 1);
    if (t->len)
        memcpy(p, t->s, t->len);
    p[t->len] = 0;
    t->len = 0;
    return p;
}

/* ---- cell references and names --------------------------------------------------*/

const char *xlsx_cell_ref(int col, long row)
{
    char letters[8];
    int n = 0;
    for (int c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    char out[32];
    int w = 0;
    while (n > 0)
        out[w++] = letters[--n];
    out[w] = 0;
    if (row > 0)
        snprintf(out + w, sizeof out - (size_t)w, "%ld", row);
    return GC_STRDUP(out);
}

const char *xlsx_cell_name(const char *path, const char *sheet, int col, long row)
{
    return gc_printf("%s %s!%s", path, sheet, xlsx_cell_ref(col, row));
}

/* "K10" → column 10 (0-based), row 10; false when it is not a reference. */
static bool parse_ref(const char *s, int *col, long *row)
{
    long c = 0, r = 0;
    int i = 0;
    for (; s[i] >= 'A' && s[i] <= 'Z'; i++)
        if ((c = c * 26 + (s[i] - 'A' + 1)) > CSV_MAX_COLUMNS)
            return false;
    if (i == 0)
        return false;
    int j = i;
    for (; s[j] >= '0' && s[j] <= '9'; j++)
        if ((r = r * 10 + (s[j] - '0')) > CSV_MAX_ROWS)
            return false;
    if (j == i || s[j])
        return false;
    *col = (int)c - 1;
    *row = r;
    return true;
}

/* A range "A1:C3" (or one cell "A1"). */
static bool parse_range(const char *s, int *c1, long *r1, int *c2, long *r2)
{
    const char *colon = strchr(s, ':');
    if (!colon) {
        if (!parse_ref(s, c1, r1))
            return false;
        *c2 = *c1, *r2 = *r1;
        return true;
    }
    char first[32];
    size_t n = (size_t)(colon - s);
    if (n >= sizeof first)
        return false;
    memcpy(first, s, n);
    first[n] = 0;
    return parse_ref(first, c1, r1) && parse_ref(colon + 1, c2, r2) && *c1 <= *c2 && *r1 <= *r2;
}

/* ---- numbers --------------------------------------------------------------------*/

/* Digits of a number cell as written: [-]digits[.digits][E[+-]digits]. The
** value is sign × digits × 10^exp. */
static bool split_number(const char *v, bool *neg, XlsxText *digits, long *exp)
{
    const char *p = v;
    *neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    long frac = 0;
    bool any = false, point = false;
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !point); p++) {
        if (*p == '.') {
            point = true;
            continue;
        }
        xlsx_text_add(digits, p, 1);
        frac += point;
        any = true;
    }
    if (!any || digits->over)
        return false;
    long e = 0;
    if (*p == 'E' || *p == 'e') {
        p++;
        bool eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        for (; *p >= '0' && *p <= '9'; p++)
            if ((e = e * 10 + (*p - '0')) > MAX_EXPONENT)
                return false;
        e = eneg ? -e : e;
    }
    *exp = e - frac;
    return *p == 0;
}

const char *xlsx_decimal_text(const char *v, bool percent)
{
    XlsxText d = {0};
    bool neg;
    long exp;
    if (!split_number(v, &neg, &d, &exp))
        return NULL;
    if (percent)
        exp += 2;
    /* leading zeros of the digits, then trailing zeros moved into exp */
    size_t lead = 0;
    while (lead + 1 < d.len && d.s[lead] == '0')
        lead++;
    const char *s = d.s + lead;
    long n = (long)(d.len - lead);
    while (n > 1 && s[n - 1] == '0') {
        n--;
        exp++;
    }
    if (n == 1 && s[0] == '0')
        exp = 0, neg = false;
    XlsxText out = {0};
    if (neg)
        xlsx_text_add(&out, "-", 1);
    if (exp >= 0) {
        xlsx_text_add(&out, s, (size_t)n);
        for (long i = 0; i < exp && !(n == 1 && s[0] == '0'); i++)
            xlsx_text_add(&out, "0", 1);
    } else if (-exp >= n) {
        xlsx_text_add(&out, "0.", 2);
        for (long i = 0; i < -exp - n; i++)
            xlsx_text_add(&out, "0", 1);
        xlsx_text_add(&out, s, (size_t)n);
    } else {
        xlsx_text_add(&out, s, (size_t)(n + exp));
        xlsx_text_add(&out, ".", 1);
        xlsx_text_add(&out, s + n + exp, (size_t)-exp);
    }
    if (percent)
        xlsx_text_add(&out, "%", 1);
    return text_take(&out);
}

/* Excel's built-in formats: 9, 10 are percents; 14–22, 27–36, 45–47 and
** 50–58 (the Chinese and Japanese date forms) dates; 49 text. */
static XlsxFormatKind builtin_kind(int id)
{
    if (id == 9 || id == 10)
        return XF_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return XF_DATE;
    return id == 49 ? XF_TEXT : XF_NUMBER;
}

/* A custom format code: "@" is text; a % outside quotes makes a percent; a
** date or time letter (y m d h s) outside quotes and [...] a date. */
XlsxFormatKind xlsx_format_kind(int id, const char *code)
{
    if (!code)
        return builtin_kind(id);
    bool quoted = false, bracket = false, date = false;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (quoted) {
            quoted = c != '"';
        } else if (bracket) {
            bracket = c != ']';
        } else if (c == '"') {
            quoted = true;
        } else if (c == '[') {
            bracket = true;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (p[1])
                p++;                /* an escaped character or a fill/space width */
        } else if (c == '%') {
            return XF_PERCENT;
        } else if (c == '@') {
            return XF_TEXT;
        } else if (strchr("yYmMdDhHsS", c)) {
            date = true;
        }
    }
    return date ? XF_DATE : XF_NUMBER;
}

/* ---- the package: relationships -------------------------------------------------*/

typedef struct Rels {
    int n, cap;
    const char **id, **type, **target;
} Rels;

static void rels_start(void *ud, const char *name, const char **attrs)
{
    Rels *r = ud;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = xz_attr(attrs, "Id"), *target = xz_attr(attrs, "Target");
    if (!id || !target || r->n >= 10000)
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->id = GC_REALLOC(r->id, (size_t)r->cap * sizeof *r->id);
        r->type = GC_REALLOC(r->type, (size_t)r->cap * sizeof *r->type);
        r->target = GC_REALLOC(r->target, (size_t)r->cap * sizeof *r->target);
    }
    const char *type = xz_attr(attrs, "Type");
    r->id[r->n] = GC_STRDUP(id);
    r->type[r->n] = GC_STRDUP(type ? type : "");
    r->target[r->n] = GC_STRDUP(target);
    r->n++;
}

static bool read_rels(XlsxZip *z, const char *member, Rels *r)
{
    memset(r, 0, sizeof *r);
    if (!xz_has(z, member))
        return true;
    static const XzHandlers h = {rels_start, NULL, NULL};
    XzStream *s = xz_stream(z, member, &h, r);
    int rc = s ? xz_run(s) : -1;
    xz_stream_close(s);
    return rc == 0;
}

/* A relationship's target as a member name: absolute ("/xl/…") or relative
** to the folder of the part that holds the relationship. */
static const char *resolve(const char *dir, const char *target)
{
    if (target[0] == '/')
        return GC_STRDUP(target + 1);
    return gc_printf("%s%s", dir, target);
}

static const char *rel_by_type(const Rels *r, const char *suffix)
{
    size_t n = strlen(suffix);
    for (int i = 0; i < r->n; i++) {
        size_t m = strlen(r->type[i]);
        if (m >= n && strcmp(r->type[i] + m - n, suffix) == 0)
            return r->target[i];
    }
    return NULL;
}

static const char *rel_by_id(const Rels *r, const char *id)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->id[i], id) == 0)
            return r->target[i];
    return NULL;
}

/* ---- workbook.xml ---------------------------------------------------------------*/

typedef struct SheetList {
    XlsxBook *b;
    int cap;
    const char **rid;
} SheetList;

static void workbook_start(void *ud, const char *name, const char **attrs)
{
    SheetList *l = ud;
    XlsxBook *b = l->b;
    if (strcmp(name, "workbookPr") == 0) {
        const char *d = xz_attr(attrs, "date1904");
        b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    }
    if (strcmp(name, "sheet") != 0 || b->nsheets >= 10000)
        return;
    const char *sheet = xz_attr(attrs, "name"), *rid = xz_attr(attrs, "id");
    const char *state = xz_attr(attrs, "state");
    if (!sheet || !rid)
        return;
    if (b->nsheets == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        b->sheet_names = GC_REALLOC(b->sheet_names, (size_t)l->cap * sizeof(char *));
        b->sheet_parts = GC_REALLOC(b->sheet_parts, (size_t)l->cap * sizeof(char *));
        b->sheet_hidden = GC_REALLOC(b->sheet_hidden, (size_t)l->cap * sizeof(bool));
        l->rid = GC_REALLOC(l->rid, (size_t)l->cap * sizeof(char *));
    }
    b->sheet_names[b->nsheets] = GC_STRDUP(sheet);
    b->sheet_hidden[b->nsheets] = state && strcmp(state, "visible") != 0;
    l->rid[b->nsheets] = GC_STRDUP(rid);
    b->nsheets++;
}

static const char *dir_of(const char *member)
{
    const char *slash = strrchr(member, '/');
    return slash ? GC_STRNDUP(member, (size_t)(slash - member + 1)) : "";
}

/* The workbook part, its sheets and (through its relationships) the parts
** of the sheets, the shared strings and the styles. */
static bool read_workbook(XlsxBook *b, const char **sst_part, const char **styles_part)
{
    Rels root;
    if (!read_rels(b->zip, "_rels/.rels", &root))
        return false;
    const char *wb = rel_by_type(&root, "/officeDocument");
    wb = wb ? resolve("", wb) : "xl/workbook.xml";
    const char *dir = dir_of(wb);
    Rels rels;
    if (!read_rels(b->zip, gc_printf("%s_rels/%s.rels", dir, wb + strlen(dir)), &rels))
        return false;
    SheetList l = {b, 0, NULL};
    static const XzHandlers h = {workbook_start, NULL, NULL};
    XzStream *s = xz_stream(b->zip, wb, &h, &l);
    int rc = s ? xz_run(s) : -1;
    xz_stream_close(s);
    if (rc < 0)
        return false;
    b->sheet_parts = b->nsheets ? b->sheet_parts : NULL;
    for (int i = 0; i < b->nsheets; i++) {
        const char *t = rel_by_id(&rels, l.rid[i]);
        b->sheet_parts[i] = t ? resolve(dir, t) : NULL;
    }
    const char *t = rel_by_type(&rels, "/sharedStrings");
    *sst_part = t ? resolve(dir, t) : NULL;
    t = rel_by_type(&rels, "/styles");
    *styles_part = t ? resolve(dir, t) : NULL;
    return true;
}

/* ---- sharedStrings.xml ------------------------------------------------------------*/

typedef struct SstRead {
    XlsxBook *b;
    XzStream *s;
    XlsxText t;
    bool in_t;
    int phonetic;              /* inside <rPh>: the reading aid, not the text */
} SstRead;

static bool too_many_strings(SstRead *r, long n)
{
    if (n <= XLSX_MAX_STRINGS)
        return false;
    diag_file(DIAG_ERROR, r->b->path, 0, 0,
              "a workbook of kaohe's data holds a few thousand texts; save it again "
              "from Excel or WPS",
              "the workbook holds %ld shared strings, more than the limit of %ld", n,
              XLSX_MAX_STRINGS);
    xz_fail(r->s);
    return true;
}

static void sst_start(void *ud, const char *name, const char **attrs)
{
    SstRead *r = ud;
    if (strcmp(name, "sst") == 0) {
        const char *u = xz_attr(attrs, "uniqueCount");
        if (u && strlen(u) < 18)
            too_many_strings(r, atol(u));
    } else if (strcmp(name, "si") == 0) {
        r->t.len = 0;
        r->t.over = false;
    } else if (strcmp(name, "rPh") == 0) {
        r->phonetic++;
    } else if (strcmp(name, "t") == 0) {
        r->in_t = r->phonetic == 0;
    }
}

static void sst_end(void *ud, const char *name)
{
    SstRead *r = ud;
    Strings *st = &r->b->sst;
    if (strcmp(name, "t") == 0) {
        r->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        r->phonetic--;
    } else if (strcmp(name, "si") == 0) {
        if (too_many_strings(r, st->n + 1))
            return;
        if (st->n == st->cap) {
            st->cap = st->cap ? st->cap * 2 : 64;
            st->s = GC_REALLOC(st->s, (size_t)st->cap * sizeof *st->s);
        }
        st->s[st->n++] = text_take(&r->t);
    }
}

static void sst_text(void *ud, const char *s, int len)
{
    SstRead *r = ud;
    if (r->in_t)
        xlsx_text_add(&r->t, s, (size_t)len);
}

static bool read_sst(XlsxBook *b, const char *part)
{
    if (!part || !xz_has(b->zip, part))
        return true;
    SstRead r;
    memset(&r, 0, sizeof r);
    r.b = b;
    static const XzHandlers h = {sst_start, sst_end, sst_text};
    r.s = xz_stream(b->zip, part, &h, &r);
    int rc = r.s ? xz_run(r.s) : -1;
    xz_stream_close(r.s);
    return rc == 0;
}

/* ---- styles.xml --------------------------------------------------------------------*/

typedef struct StyleRead {
    XlsxBook *b;
    int nfmt, capfmt, capxf;
    int *fmt_id;
    const char **fmt_code;
    bool in_xfs;
    int *xf_fmt;
} StyleRead;

static void styles_start(void *ud, const char *name, const char **attrs)
{
    StyleRead *r = ud;
    if (strcmp(name, "cellXfs") == 0) {
        r->in_xfs = true;
    } else if (strcmp(name, "numFmt") == 0 && r->nfmt < 10000) {
        const char *id = xz_attr(attrs, "numFmtId"), *code = xz_attr(attrs, "formatCode");
        if (!id || !code)
            return;
        if (r->nfmt == r->capfmt) {
            r->capfmt = r->capfmt ? r->capfmt * 2 : 16;
            r->fmt_id = GC_REALLOC(r->fmt_id, (size_t)r->capfmt * sizeof *r->fmt_id);
            r->fmt_code = GC_REALLOC(r->fmt_code, (size_t)r->capfmt * sizeof *r->fmt_code);
        }
        r->fmt_id[r->nfmt] = atoi(id);
        r->fmt_code[r->nfmt++] = GC_STRDUP(code);
    } else if (strcmp(name, "xf") == 0 && r->in_xfs && r->b->nxf < 100000) {
        const char *id = xz_attr(attrs, "numFmtId");
        if (r->b->nxf == r->capxf) {
            r->capxf = r->capxf ? r->capxf * 2 : 16;
            r->xf_fmt = GC_REALLOC(r->xf_fmt, (size_t)r->capxf * sizeof *r->xf_fmt);
        }
        r->xf_fmt[r->b->nxf++] = id ? atoi(id) : 0;
    }
}

static void styles_end(void *ud, const char *name)
{
    StyleRead *r = ud;
    if (strcmp(name, "cellXfs") == 0)
        r->in_xfs = false;
}

static bool read_styles(XlsxBook *b, const char *part)
{
    if (!part || !xz_has(b->zip, part))
        return true;
    StyleRead r;
    memset(&r, 0, sizeof r);
    r.b = b;
    static const XzHandlers h = {styles_start, styles_end, NULL};
    XzStream *s = xz_stream(b->zip, part, &h, &r);
    int rc = s ? xz_run(s) : -1;
    xz_stream_close(s);
    if (rc < 0)
        return false;
    b->xf_kind = GC_MALLOC_ATOMIC(((size_t)b->nxf + 1) * sizeof *b->xf_kind);
    for (int i = 0; i < b->nxf; i++) {
        const char *code = NULL;
        for (int k = 0; k < r.nfmt; k++)
            if (r.fmt_id[k] == r.xf_fmt[i])
                code = r.fmt_code[k];
        b->xf_kind[i] = xlsx_format_kind(r.xf_fmt[i], code);
    }
    return true;
}

/* ---- the book ------------------------------------------------------------------------*/

XlsxBook *xlsx_book_open(const char *path)
{
    XlsxZip *z = xz_open(path);
    if (!z)
        return NULL;
    XlsxBook *b = GC_MALLOC(sizeof *b);
    b->path = GC_STRDUP(path);
    b->zip = z;
    const char *sst = NULL, *styles = NULL;
    if (!read_workbook(b, &sst, &styles) || !read_sst(b, sst) || !read_styles(b, styles)) {
        xlsx_book_close(b);
        return NULL;
    }
    if (b->nsheets == 0) {
        diag_file(DIAG_ERROR, path, 0, 0, "save the workbook again from Excel or WPS",
                  "the workbook has no sheet");
        xlsx_book_close(b);
        return NULL;
    }
    return b;
}

void xlsx_book_close(XlsxBook *b)
{
    if (b)
        xz_close(b->zip);
}

int xlsx_book_nsheets(const XlsxBook *b) { return b->nsheets; }
const char *xlsx_book_sheet(const XlsxBook *b, int i) { return b->sheet_names[i]; }
bool xlsx_book_hidden(const XlsxBook *b, int i) { return b->sheet_hidden[i]; }

const char *xlsx_book_path_(const XlsxBook *b) { return b->path; }
XlsxZip *xlsx_book_zip_(const XlsxBook *b) { return b->zip; }
const char *xlsx_book_part_(const XlsxBook *b, int i) { return b->sheet_parts[i]; }

const char *xlsx_book_string_(const XlsxBook *b, long i)
{
    return i >= 0 && i < b->sst.n ? b->sst.s[i] : NULL;
}

bool xlsx_book_date1904_(const XlsxBook *b) { return b->date1904; }

XlsxFormatKind xlsx_book_style_(const XlsxBook *b, long xf)
{
    return xf >= 0 && xf < b->nxf ? b->xf_kind[xf] : XF_NUMBER;
}

bool xlsx_parse_ref_(const char *s, int *col, long *row)
{
    return parse_ref(s, col, row);
}

bool xlsx_parse_range_(const char *s, int *c1, long *r1, int *c2, long *r2)
{
    return parse_range(s, c1, r1, c2, r2);
}
