/*
** data.c — loads what a rubric is evaluated against: the unit list, keyed
** tables (the annexes) and the fact file, parsing every cell once by its
** type. It reads through csv.c and reports through diag.c; it runs no rules.
*/
#include "data.h"

#include <gc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diag.h"

/* Past this many errors in one file the rest is noise: stop reading. */
#define MAX_ERRORS 50
/* A cell is stored as int64 mantissa / 10^scale, and 10^18 is the largest
** power of ten an int64 holds. */
#define MAX_SCALE 18

static const int64_t pow10_tab[MAX_SCALE + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL,
    100000000000000000LL, 1000000000000000000LL};

const char *fact_type_name(FactType t)
{
    switch (t) {
    case FT_BOOL: return "bool";
    case FT_COUNT: return "count";
    case FT_DECIMAL: return "decimal";
    case FT_PERCENT: return "percent";
    case FT_ENUM: return "enum";
    case FT_TEXT: return "text";
    }
    return "?";
}

/* ---- small helpers ------------------------------------------------------------*/


/* Grows a GC array to hold at least `need` elements (doubling). */
static void *grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return p;
    int n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    *cap = n;
    return GC_REALLOC(p, (size_t)n * elem);
}

/* Zeroed pointer-free GC memory. */
static void *zalloc_atomic(size_t n)
{
    void *p = GC_MALLOC_ATOMIC(n ? n : 1);
    memset(p, 0, n ? n : 1);
    return p;
}

/* One loader's error count: every error goes through here so the cap holds. */
typedef struct Load {
    const char *path;
    int errors;
    bool stopped;
    const Loc *at;      /* a cell written in a rule file (a rule test): report there */
} Load;

static void cell_error(Load *L, long row, const char *col, const char *text,
                       const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void cell_error(Load *L, long row, const char *col, const char *text,
                       const char *hint, const char *fmt, ...)
{
    if (L->stopped)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (L->at)
        diag_vat(DIAG_ERROR, *L->at, hint, fmt, ap);
    else
        diag_vcell(DIAG_ERROR, L->path, row, col, text, hint, fmt, ap);
    va_end(ap);
    if (++L->errors == MAX_ERRORS) {
        diag_file(DIAG_NOTE, L->path, 0, 0, NULL, "stopped after %d errors", MAX_ERRORS);
        L->stopped = true;
    }
}

/* ---- cell text ----------------------------------------------------------------*/

typedef struct Text {
    const char *s;
    size_t len;
} Text;

/* Bytes of a space at the start (or end) of s[0, len): ASCII space, tab, a
** line break, or U+3000, the space a Chinese input method types. */
static size_t space_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    return len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

static size_t space_before(const char *s, size_t len)
{
    if (len >= 1) {
        char c = s[len - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return 1;
    }
    return len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

static Text trim_spaces(const char *s, size_t len)
{
    size_t k;
    while ((k = space_at(s, len)) > 0) {
        s += k;
        len -= k;
    }
    while ((k = space_before(s, len)) > 0)
        len -= k;
    return (Text){s, len};
}

/* s[0, len) without the spaces around it. A space starts with a byte below
** '!' or with E3 (U+3000 is E3 80 80) and ends with a byte below '!' or with
** 80, so one test passes most cells through untouched. */
static inline Text trim(const char *s, size_t len)
{
    if (len > 0) {
        unsigned char a = (unsigned char)s[0], z = (unsigned char)s[len - 1];
        if (a > ' ' && a != 0xE3 && z > ' ' && z != 0x80)
            return (Text){s, len};
    }
    return trim_spaces(s, len);
}

/* The trimmed text of cell k; a row shorter than the header reads blank. */
static Text cell(const CsvRecord *rec, int k)
{
    if ((size_t)k >= rec->nfields)
        return (Text){"", 0};
    return trim(rec->fields[k].text, rec->fields[k].len);
}

static const char *raw(const CsvRecord *rec, int k)
{
    return (size_t)k < rec->nfields ? rec->fields[k].text : "";
}

static bool text_is(Text t, const char *lit)
{
    size_t n = strlen(lit);
    return t.len == n && memcmp(t.s, lit, n) == 0;
}

static bool text_is_nocase(Text t, const char *lit)
{
    size_t n = strlen(lit);
    return t.len == n && strncasecmp(t.s, lit, n) == 0;
}

static bool row_blank(const CsvRecord *rec)
{
    for (size_t k = 0; k < rec->nfields; k++)
        if (cell(rec, (int)k).len)
            return false;
    return true;
}

/* A name as units and headers are matched: trimmed, line breaks dropped (a
** wrapped spreadsheet cell "新建\n经开区"). out has room for len + 1. */
static void norm_into(const char *s, size_t len, char *out)
{
    Text t = trim(s, len);
    size_t w = 0;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.s[i];
        if ((unsigned char)c > '\r' || (c != '\n' && c != '\r'))
            out[w++] = c;
    }
    out[w] = 0;
}

static char *norm_name(const char *s, size_t len)
{
    char *o = GC_MALLOC_ATOMIC(len + 1);
    norm_into(s, len, o);
    return o;
}

static char *text_dup(Text t)
{
    char *o = GC_MALLOC_ATOMIC(t.len + 1);
    memcpy(o, t.s, t.len);
    o[t.len] = 0;
    return o;
}

/* 1 for 是/1/true, 0 for 否/0/false (any case), -1 for anything else. */
static inline int parse_bool(Text t)
{
    switch (t.len) {
    case 1:
        return t.s[0] == '1' ? 1 : t.s[0] == '0' ? 0 : -1;
    case 3:                                   /* 是 and 否 are three bytes each */
        return text_is(t, "是") ? 1 : text_is(t, "否") ? 0 : -1;
    case 4:
        return text_is_nocase(t, "true") ? 1 : -1;
    case 5:
        return text_is_nocase(t, "false") ? 0 : -1;
    }
    return -1;
}

/* ---- decimal cells ---------------------------------------------------------------*/

/* value = mant / 10^scale. `point` remembers a written decimal point, which
** a count may not have even when the fraction is zero ("3.0"). */
typedef struct Dec {
    int64_t mant;
    int scale;
    bool point;
} Dec;

typedef enum DecStatus { DEC_OK, DEC_SYNTAX, DEC_RANGE, DEC_SCALE } DecStatus;

/* A decimal literal: optional sign, digits, optional point and digits (at
** least one digit in all). No exponent, separators or spaces inside.
** Trailing zeros of the fraction do not count towards the scale.
** The digits are summed as they are checked, in a uint64_t that may wrap;
** the sum is used only when at most 18 digits count (below 10^18, so it
** fits an int64_t), and a longer number is summed again with overflow
** checks. */
static DecStatus dec_parse_any(Text t, Dec *d)
{
    const char *s = t.s, *e = t.s + t.len;
    bool neg = false;
    if (s < e && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    const char *int_s = s;
    uint64_t m = 0;
    unsigned dig;
    while (s < e && (dig = (unsigned)(unsigned char)*s - '0') <= 9) {
        m = m * 10 + dig;
        s++;
    }
    const char *int_e = s, *frac_s = s, *frac_e = s;
    uint64_t kept = m;           /* the sum up to the last nonzero fraction digit */
    d->point = false;
    if (s < e && *s == '.') {
        d->point = true;
        frac_s = frac_e = ++s;
        while (s < e && (dig = (unsigned)(unsigned char)*s - '0') <= 9) {
            m = m * 10 + dig;
            s++;
            if (dig) {
                frac_e = s;
                kept = m;
            }
        }
    }
    if (s != e || (int_e == int_s && s == frac_s))
        return DEC_SYNTAX;
    if (frac_e - frac_s > MAX_SCALE)
        return DEC_SCALE;
    if ((int_e - int_s) + (frac_e - frac_s) > MAX_SCALE) {
        int64_t c = 0;
        for (const char *p = int_s; p < frac_e; p++) {
            if (p == int_e)
                p = frac_s;      /* jump over the point */
            if (p == frac_e)
                break;
            if (__builtin_mul_overflow(c, 10, &c) || __builtin_add_overflow(c, *p - '0', &c))
                return DEC_RANGE;
        }
        kept = (uint64_t)c;
    }
    d->mant = neg ? -(int64_t)kept : (int64_t)kept;
    d->scale = (int)(frac_e - frac_s);
    return DEC_OK;
}

/* dec_parse_any, with the common cell (a few digits, nothing else) taken
** inline: up to 18 digits cannot overflow. */
static inline DecStatus dec_parse(Text t, Dec *d)
{
    if (t.len > 0 && t.len <= MAX_SCALE) {
        uint64_t m = 0;
        size_t j = 0;
        for (; j < t.len; j++) {
            unsigned dig = (unsigned)(unsigned char)t.s[j] - '0';
            if (dig > 9)
                break;
            m = m * 10 + dig;
        }
        if (j == t.len) {
            *d = (Dec){(int64_t)m, 0, false};
            return DEC_OK;
        }
    }
    return dec_parse_any(t, d);
}

/* s[0, n) when it is digits with at most one point in them, and 1 to 18
** digits in all: true, with the value as dec_parse gives it (trailing zeros
** of the fraction dropped). */
static inline bool plain_decimal(const char *s, size_t n, int64_t *mant, int *scale)
{
    uint64_t m = 0;
    unsigned dig;
    size_t j = 0;
    while (j < n && (dig = (unsigned)(unsigned char)s[j] - '0') <= 9) {
        m = m * 10 + dig;
        j++;
    }
    int sc = 0;
    bool point = j < n && s[j] == '.';
    if (point) {
        uint64_t all = m;
        int frac = 0;
        for (j++; j < n && (dig = (unsigned)(unsigned char)s[j] - '0') <= 9; j++) {
            all = all * 10 + dig;
            frac++;
            if (dig) {
                m = all;
                sc = frac;
            }
        }
    }
    size_t digits = n - point;
    if (j != n || digits == 0 || digits > MAX_SCALE)
        return false;
    *mant = (int64_t)m;
    *scale = sc;
    return true;
}

/* A percent cell: a decimal with an optional trailing % (or ％), stored as
** the fraction, so the scale grows by 2: "95.5%" -> 955 / 10^3. */
static DecStatus percent_parse(Text t, Dec *d)
{
    if (t.len >= 1 && t.s[t.len - 1] == '%')
        t = trim(t.s, t.len - 1);
    else if (t.len >= 3 && memcmp(t.s + t.len - 3, "\xEF\xBC\x85", 3) == 0)
        t = trim(t.s, t.len - 3);
    DecStatus st = dec_parse(t, d);
    if (st != DEC_OK)
        return st;
    if (d->scale + 2 > MAX_SCALE)
        return DEC_SCALE;
    d->scale += 2;
    return DEC_OK;
}

/* Full-width digits (０-９) look right in a spreadsheet and are not numbers:
** worth naming when a number does not parse. */
static bool has_fullwidth_digit(Text t)
{
    for (size_t i = 0; i + 2 < t.len; i++)
        if ((unsigned char)t.s[i] == 0xEF && (unsigned char)t.s[i + 1] == 0xBC &&
            (unsigned char)t.s[i + 2] >= 0x90 && (unsigned char)t.s[i + 2] <= 0x99)
            return true;
    return false;
}

#define FULLWIDTH_HINT "full-width digits (０-９) are not numbers: type them half-width (0-9)"

/* Reports a number that did not parse; what says what was expected. */
static void number_error(Load *L, long row, const char *col, const char *rawtext, Text t,
                         DecStatus st, const char *what, const char *hint)
{
    if (st == DEC_RANGE)
        cell_error(L, row, col, rawtext, "is an ID or a telephone number in a number column?",
                   "number too large (more than 18 digits)");
    else if (st == DEC_SCALE)
        cell_error(L, row, col, rawtext, "round it in the spreadsheet; the rules round as the rubric says",
                   "too many decimal places (at most %d)",
                   strcmp(what, "percent") == 0 ? MAX_SCALE - 2 : MAX_SCALE);
    else
        cell_error(L, row, col, rawtext, has_fullwidth_digit(t) ? FULLWIDTH_HINT : hint,
                   "not a %s", what);
}

/* Exact sums for the totals check: an int128 at the largest scale seen. */
typedef struct Acc {
    __int128 v;
    int scale;
    bool over;
} Acc;

static bool scale_up(__int128 *v, int by)
{
    while (by-- > 0)
        if (__builtin_mul_overflow(*v, 10, v))
            return false;
    return true;
}

static void acc_add(Acc *a, Dec d)
{
    __int128 m = d.mant;
    if (a->over)
        return;
    if (d.scale == a->scale) {
        a->over = __builtin_add_overflow(a->v, m, &a->v);
        return;
    }
    if (d.scale > a->scale) {
        a->over = !scale_up(&a->v, d.scale - a->scale);
        a->scale = d.scale;
    }
    if (a->over || !scale_up(&m, a->scale - d.scale) || __builtin_add_overflow(a->v, m, &a->v))
        a->over = true;
}

/* The exact decimal text of v / 10^scale, without trailing zeros. */
static char *acc_text(__int128 v, int scale)
{
    char digits[64];
    int n = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= scale)
        digits[n++] = '0';
    int lo = 0;                     /* trailing fraction zeros to drop */
    while (lo < scale && digits[lo] == '0')
        lo++;
    char out[80];
    int w = 0;
    if (neg)
        out[w++] = '-';
    for (int i = n - 1; i >= scale; i--)
        out[w++] = digits[i];
    if (lo < scale) {
        out[w++] = '.';
        for (int i = scale - 1; i >= lo; i--)
            out[w++] = digits[i];
    }
    out[w] = 0;
    return gc_printf("%s", out);
}

/* ---- headers -------------------------------------------------------------------*/

typedef struct Header {
    int n;
    char **names;        /* normalized; "" for a blank header */
    const char **labels; /* names as messages show them (column_label) */
    bool all_named;      /* no blank header */
    /* The first column of each name, hashed (open addressing, at most half
    ** full; a slot holds index + 1, 0 when empty): a header may have
    ** CSV_MAX_COLUMNS names, and comparing each with each would take
    ** seconds. */
    int *index;
    uint32_t mask;
} Header;

/* Name indexes, for a header's columns and for units' names and aliases:
** open addressing over an array of names, a slot holding index + 1 (0 when
** empty), kept at most half full so probes stay short. */
static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;                 /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Slots for n names: a power of two at least 2n. */
static uint32_t index_cap(size_t n)
{
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

/* The slot of name: where it is, or the empty slot where it would go. */
static uint32_t name_slot(const int *slots, uint32_t mask, const char *const *names,
                          const char *name)
{
    uint32_t i = hash_name(name) & mask;
    while (slots[i] && strcmp(names[slots[i] - 1], name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* A header name as messages show it (cut when long); "column 7" for a
** blank one. */
static const char *column_label(const char *name, int k)
{
    return name[0] ? diag_short(name) : gc_printf("column %d", k + 1);
}

static uint32_t header_slot(const Header *h, const char *name)
{
    return name_slot(h->index, h->mask, (const char *const *)h->names, name);
}

/* Reads the header row. Duplicate names are errors; false when there is no
** header at all. */
static bool read_header(CsvReader *r, Load *L, Header *h)
{
    CsvRecord rec;
    int rc = csv_next(r, &rec);
    if (rc < 0) {
        L->errors++;
        return false;
    }
    if (rc == 0) {
        diag_file(DIAG_ERROR, L->path, 0, 0, "the first row names the columns",
                  "empty file (no header row)");
        L->errors++;
        return false;
    }
    h->n = (int)rec.nfields;
    h->names = GC_MALLOC(rec.nfields * sizeof *h->names);
    h->labels = GC_MALLOC(rec.nfields * sizeof *h->labels);
    h->all_named = true;
    uint32_t cap = index_cap(rec.nfields);
    h->mask = cap - 1;
    h->index = zalloc_atomic(cap * sizeof *h->index);
    for (int k = 0; k < h->n; k++) {
        h->names[k] = norm_name(rec.fields[k].text, rec.fields[k].len);
        h->all_named = h->all_named && h->names[k][0];
        h->labels[k] = column_label(h->names[k], k);
        uint32_t i = header_slot(h, h->names[k]);
        if (!h->index[i])
            h->index[i] = k + 1;
        else if (h->names[k][0])
            cell_error(L, 1, h->labels[k], NULL, "give each column its own name",
                       "column %s appears twice (columns %d and %d)", h->labels[k],
                       h->index[i], k + 1);
    }
    return true;
}

/* The first column named name, or -1. */
static int header_find(const Header *h, const char *name)
{
    return h->index[header_slot(h, name)] - 1;
}

static void missing_column(Load *L, const char *name, const char *const *near, size_t nnear,
                           const char *hint)
{
    const char *s = diag_suggest(name, near, nnear);
    cell_error(L, 1, NULL, NULL, s ? gc_printf("did you mean %s?", s) : hint,
               "no column %s", name);
}

/* A value where no column is named: past the header's last column, or under
** a blank header. Blank cells there are fine (spreadsheets leave them). */
static void check_unnamed(Load *L, const CsvRecord *rec, const Header *h)
{
    if (h->all_named && rec->nfields <= (size_t)h->n)
        return;                         /* every cell is under a name */
    for (int k = 0; k < (int)rec->nfields; k++) {
        if ((k < h->n && h->names[k][0]) || cell(rec, k).len == 0)
            continue;
        cell_error(L, rec->row, k < h->n ? h->labels[k] : gc_printf("column %d", k + 1),
                   raw(rec, k), "give the column a header, or clear the cell",
                   "a value in a column without a header");
    }
}

/* ---- units ---------------------------------------------------------------------*/

/* Index into lookup_names of a normalized name, or -1. */
static int lookup_index(const Units *u, const char *name)
{
    if (!u->hash) {
        for (int k = 0; k < u->nlookup; k++)
            if (strcmp(u->lookup_names[k], name) == 0)
                return k;
        return -1;
    }
    return u->hash[name_slot(u->hash, (uint32_t)u->hashcap - 1, u->lookup_names, name)] - 1;
}

static void hash_put(Units *u, int idx)
{
    const char *name = u->lookup_names[idx];
    u->hash[name_slot(u->hash, (uint32_t)u->hashcap - 1, u->lookup_names, name)] = idx + 1;
}

/* Makes room for n names, keeping the table at most half full so probes
** stay short. True when it rebuilt the table (with every name so far). */
static bool hash_reserve(Units *u, int n)
{
    if (u->hash && 2 * n <= u->hashcap)
        return false;
    int cap = (int)index_cap((size_t)n);
    GC_FREE(u->hash);          /* only units_load builds one: no one else holds it */
    u->hashcap = cap;
    u->hash = zalloc_atomic((size_t)cap * sizeof *u->hash);
    for (int k = 0; k < u->nlookup; k++)
        hash_put(u, k);
    return true;
}

/* Room for most names normalized on the stack: a loader reads one key per
** row and keeps none of them. */
#define NAME_STACK 256

/* The normalized text of t in stack (NAME_STACK bytes) if it fits, else in
** new GC memory. */
static char *norm_key(Text t, char *stack)
{
    char *o = t.len < NAME_STACK ? stack : GC_MALLOC_ATOMIC(t.len + 1);
    norm_into(t.s, t.len, o);
    return o;
}

/* units_find for a name normalized already. */
static int unit_of(const Units *u, const char *norm)
{
    int k = lookup_index(u, norm);
    return k < 0 ? UNIT_UNKNOWN : u->lookup_target[k];
}

/* unit_of for the rows of a file, trying first the lookup names at and just
** after *hint, the one the last row found: files list the units in the order
** of units.csv, so a row names the unit of the row before it or the next
** one, and a hit there spares hashing and a probe into a large table at a
** random place. Names are unique, so a match found this way is the match. */
static int unit_of_near(const Units *u, const char *norm, int *hint)
{
    int k = *hint;
    for (int j = k; j < k + 3 && j < u->nlookup; j++)
        if (strcmp(u->lookup_names[j], norm) == 0) {
            *hint = j;
            return u->lookup_target[j];
        }
    k = lookup_index(u, norm);
    if (k < 0)
        return UNIT_UNKNOWN;
    *hint = k;
    return u->lookup_target[k];
}

int units_find(const Units *u, const char *name)
{
    char stack[NAME_STACK];
    return unit_of(u, norm_key((Text){name, strlen(name)}, stack));
}

const char *units_suggest(const Units *u, const char *name)
{
    char *n = norm_name(name, strlen(name));
    return diag_suggest(n, u->lookup_names, (size_t)u->nlookup);
}

int units_attr_index(const Units *u, const char *attr)
{
    for (int k = 0; k < u->nattrs; k++)
        if (strcmp(u->attr_names[k], attr) == 0)
            return k;
    return -1;
}

/* The unit list while it is read: capacities of its growing arrays. */
typedef struct UnitsBuild {
    Units *u;
    int cap_names, cap_attrs, cap_lookup;
    long *lookup_row;        /* where each lookup name was given */
    const char **lookup_col;
    const char **shared;     /* [attr * ATTR_SHARED] values met so far */
    int *nshared;            /* [attr] */
} UnitsBuild;

/* Attribute values repeat (类型 is 乡镇 or 园区 for every unit), so units with
** the same text share one copy; the first this many distinct values of each
** attribute are remembered. */
#define ATTR_SHARED 16

static const char *attr_value(UnitsBuild *b, int a, Text t)
{
    const char **seen = b->shared + (size_t)a * ATTR_SHARED;
    for (int k = 0; k < b->nshared[a]; k++)
        if (text_is(t, seen[k]))
            return seen[k];
    const char *v = text_dup(t);
    if (b->nshared[a] < ATTR_SHARED)
        seen[b->nshared[a]++] = v;
    return v;
}

static void add_lookup(UnitsBuild *b, Load *L, char *name, int target, long row,
                       const char *col)
{
    Units *u = b->u;
    int prev = lookup_index(u, name);
    if (prev >= 0) {
        cell_error(L, row, col, NULL, "a name or alias may stand for one unit only",
                   "%s is already named on row %ld (%s)", diag_short(name), b->lookup_row[prev],
                   b->lookup_col[prev]);
        return;
    }
    int k = u->nlookup;
    if (k == b->cap_lookup) {
        int n = k ? 2 * k : 16;
        u->lookup_names = GC_REALLOC(u->lookup_names, (size_t)n * sizeof *u->lookup_names);
        u->lookup_target = GC_REALLOC(u->lookup_target, (size_t)n * sizeof *u->lookup_target);
        b->lookup_row = GC_REALLOC(b->lookup_row, (size_t)n * sizeof *b->lookup_row);
        b->lookup_col = GC_REALLOC(b->lookup_col, (size_t)n * sizeof *b->lookup_col);
        b->cap_lookup = n;
    }
    u->lookup_names[k] = name;
    u->lookup_target[k] = target;
    b->lookup_row[k] = row;
    b->lookup_col[k] = col;
    u->nlookup++;
    if (!hash_reserve(u, u->nlookup))
        hash_put(u, k);
}

/* Length of an alias separator at s: 、 ; , or their full-width forms. */
static size_t alias_sep(const char *s, size_t left)
{
    if (*s == ';' || *s == ',')
        return 1;
    if (left >= 3 && (memcmp(s, "\xE3\x80\x81", 3) == 0 ||      /* 、 */
                      memcmp(s, "\xEF\xBC\x9B", 3) == 0 ||      /* ； */
                      memcmp(s, "\xEF\xBC\x8C", 3) == 0))       /* ， */
        return 3;
    return 0;
}

static void add_aliases(UnitsBuild *b, Load *L, Text t, int target, long row)
{
    size_t start = 0, i = 0, k = 0;
    while (i <= t.len) {
        if (i == t.len || (k = alias_sep(t.s + i, t.len - i)) > 0) {
            char stack[NAME_STACK];
            const char *a = norm_key((Text){t.s + start, i - start}, stack);
            if (a[0])
                add_lookup(b, L, text_dup((Text){a, strlen(a)}), target, row, "别名");
            if (i == t.len)
                break;
            i += k;
            start = i;
        } else {
            i++;
        }
    }
}

Units *units_load(const char *path)
{
    CsvReader *r = csv_open(path, CSV_ENC_AUTO);
    if (!r)
        return NULL;
    Load L = {path, 0, false, NULL};
    Units *u = GC_MALLOC(sizeof *u);       /* GC_MALLOC memory is zeroed */
    u->path = GC_STRDUP(path);
    UnitsBuild b = {u, 0, 0, 0, NULL, NULL, NULL, NULL};
    Header h;
    if (!read_header(r, &L, &h))
        goto done;
    int kname = header_find(&h, "单位"), kalias = header_find(&h, "别名"),
        kassess = header_find(&h, "考核");
    if (kname < 0) {
        missing_column(&L, "单位", (const char *const *)h.names, (size_t)h.n,
                       "units.csv names the units in a column 单位");
        goto done;
    }
    /* every other named column is a text attribute; then 单位, 别名 and 考核
    ** follow as attributes too, so a rule can read every column
    ** (unit.单位 is the canonical name, 考核 is 是 for every assessed unit).
    ** They come last so the other columns keep their indexes. */
    int *attr_col = GC_MALLOC_ATOMIC(((size_t)h.n + 3) * sizeof *attr_col);
    u->attr_names = GC_MALLOC(((size_t)h.n + 3) * sizeof *u->attr_names);
    for (int k = 0; k < h.n; k++)
        if (k != kname && k != kalias && k != kassess && h.names[k][0]) {
            attr_col[u->nattrs] = k;
            u->attr_names[u->nattrs++] = h.names[k];
        }
    int aname = u->nattrs;
    attr_col[u->nattrs] = kname;
    u->attr_names[u->nattrs++] = "单位";
    if (kalias >= 0) {
        attr_col[u->nattrs] = kalias;
        u->attr_names[u->nattrs++] = "别名";
    }
    if (kassess >= 0) {
        attr_col[u->nattrs] = kassess;
        u->attr_names[u->nattrs++] = "考核";
    }
    b.shared = GC_MALLOC(((size_t)u->nattrs * ATTR_SHARED + 1) * sizeof *b.shared);
    b.nshared = zalloc_atomic(((size_t)u->nattrs + 1) * sizeof *b.nshared);

    CsvRecord rec;
    int rc = 0;
    while (!L.stopped && (rc = csv_next(r, &rec)) == 1) {
        if (row_blank(&rec))
            continue;
        check_unnamed(&L, &rec, &h);
        Text tn = cell(&rec, kname);
        if (tn.len == 0) {
            cell_error(&L, rec.row, "单位", NULL, "every row names a unit", "no unit name");
            continue;
        }
        bool assessed = true;
        Text ta = kassess >= 0 ? cell(&rec, kassess) : (Text){"", 0};
        if (ta.len) {
            int v = parse_bool(ta);
            if (v < 0)
                cell_error(&L, rec.row, "考核", raw(&rec, kassess),
                           "是 for an assessed unit, 否 for a name that only appears in "
                           "tables", "not 是 or 否");
            assessed = v != 0;
        }
        int target = assessed ? u->n : UNIT_NOT_ASSESSED;
        char *name = norm_name(tn.s, tn.len);
        add_lookup(&b, &L, name, target, rec.row, "单位");
        if (kalias >= 0)
            add_aliases(&b, &L, cell(&rec, kalias), target, rec.row);
        if (!assessed)
            continue;
        u->names = grow(u->names, &b.cap_names, u->n + 1, sizeof *u->names);
        u->attr_values = grow(u->attr_values, &b.cap_attrs, (u->n + 1) * u->nattrs,
                              sizeof *u->attr_values);
        u->names[u->n] = name;
        for (int a = 0; a < u->nattrs; a++)
            u->attr_values[u->n * u->nattrs + a] =
                a == aname ? name
                : attr_col[a] == kassess ? "是"
                : attr_value(&b, a, cell(&rec, attr_col[a]));
        u->n++;
    }
    if (rc < 0)
        L.errors++;
    else if (u->n == 0 && L.errors == 0)
        cell_error(&L, 0, NULL, NULL, "list the assessed units one per row under 单位",
                   "no assessed units");
done:
    csv_close(r);
    /* garbage now, and large for a large province: reusable at once */
    GC_FREE(b.lookup_row);
    GC_FREE(b.lookup_col);
    return L.errors ? NULL : u;
}

/* ---- columns of numbers ------------------------------------------------------*/

/* The cells are left unset: a load that succeeds has read one row for every
** unit-period, and the row loop stores every cell of a row it accepts, blank
** ones included (a missing or duplicate row fails the load). Filling them
** here first would write the whole table twice. */
static void alloc_column(FactColumn *col, FactType type, size_t ncells, int csv_col)
{
    memset(col, 0, sizeof *col);
    col->type = type;
    col->csv_col = csv_col;
    switch (type) {
    case FT_BOOL:
    case FT_ENUM:
        col->small = GC_MALLOC_ATOMIC(ncells + 1);
        col->small[ncells] = FACT_BLANK;
        break;
    case FT_COUNT:
    case FT_DECIMAL:
    case FT_PERCENT:
        col->mant32 = GC_MALLOC_ATOMIC((ncells + 1) * sizeof *col->mant32);
        col->scale = GC_MALLOC_ATOMIC(ncells + 1);
        col->mant32[ncells] = 0;
        col->scale[ncells] = FACT_BLANK;
        col->ncells = ncells;
        break;
    case FT_TEXT:
        col->text = GC_MALLOC((ncells + 1) * sizeof *col->text);   /* zeroed: blank */
        break;
    }
}

/* Stores a mantissa, moving the column to 64 bits the first time one does
** not fit in 32. */
static void put_mant_wide(FactColumn *col, size_t i, int64_t m)
{
    if (col->mant32) {
        int64_t *wide = GC_MALLOC_ATOMIC((col->ncells + 1) * sizeof *wide);
        for (size_t k = 0; k <= col->ncells; k++)
            wide[k] = col->mant32[k];
        GC_FREE(col->mant32);     /* no one else holds it while the file is read */
        col->mant32 = NULL;
        col->mant = wide;
    }
    col->mant[i] = m;
}

static inline void put_mant(FactColumn *col, size_t i, int64_t m)
{
    if (col->mant32 && m == (int32_t)m)
        col->mant32[i] = (int32_t)m;
    else
        put_mant_wide(col, i, m);
}

/* ---- tables ---------------------------------------------------------------------*/

int table_col_index(const Table *t, const char *col)
{
    for (int k = 0; k < t->ncols; k++)
        if (strcmp(t->cols[k], col) == 0)
            return k;
    return -1;
}

/* "unknown unit X", with a did-you-mean when one name is close. */
static void unknown_unit(Load *L, const Units *units, long row, const char *col,
                         const char *name)
{
    const char *s = units_suggest(units, name);
    cell_error(L, row, col, NULL,
               s ? gc_printf("did you mean %s?", s)
                 : gc_printf("the units and their aliases are listed in %s", units->path),
               "unknown unit %s", diag_short(name));
}

/* A table cell: a decimal, blank = 0, a trailing % dividing by 100. */
static bool table_cell(Load *L, const CsvRecord *rec, int k, const char *col, Dec *d)
{
    Text v = cell(rec, k);
    *d = (Dec){0, 0, false};
    if (v.len == 0)
        return true;
    bool pct = v.s[v.len - 1] == '%' ||
               (v.len >= 3 && memcmp(v.s + v.len - 3, "\xEF\xBC\x85", 3) == 0);
    DecStatus st = pct ? percent_parse(v, d) : dec_parse(v, d);
    if (st == DEC_OK)
        return true;
    number_error(L, rec->row, col, raw(rec, k), v, st, pct ? "percent" : "number",
                 "a table cell is a number such as 12 or 0.5, without separators or "
                 "units; a blank cell is 0");
    return false;
}

/* The name list "石岗镇、流湖镇" of the assessed units a table has no row for. */
static char *missing_units(const Units *units, const bool *present, int *count)
{
    size_t len = 1;
    *count = 0;
    for (int k = 0; k < units->n; k++)
        if (!present[k]) {
            len += strlen(units->names[k]) + 3;
            ++*count;
        }
    char *s = GC_MALLOC_ATOMIC(len);
    s[0] = 0;
    for (int k = 0; k < units->n; k++)
        if (!present[k]) {
            if (s[0])
                strcat(s, "、");
            strcat(s, units->names[k]);
        }
    return s;
}

/* The totals row against the sums of every other row (non-assessed rows
** included: the annexes' totals count them). */
static void check_totals(Load *L, const Table *t, const Acc *sum, const Dec *total,
                         const bool *exempt, long total_row)
{
    for (int c = 0; c < t->ncols; c++) {
        if (exempt[c])
            continue;
        Acc a = sum[c];
        __int128 want = total[c].mant;
        int scale = a.scale > total[c].scale ? a.scale : total[c].scale;
        bool ok = !a.over && scale_up(&a.v, scale - a.scale) &&
                  scale_up(&want, scale - total[c].scale);
        if (ok && a.v == want)
            continue;
        const char *got = a.over ? "more than the numbers can hold" : acc_text(a.v, scale);
        const char *col = diag_short(t->cols[c]);
        cell_error(L, total_row, col, NULL,
                   "correct the figures or the total; a column that is not a sum (a "
                   "rate) can be exempt from the check",
                   "column %s sums to %s, but the %s row says %s", col, got,
                   t->spec->total_row, acc_text(total[c].mant, total[c].scale));
    }
}

/* A table while it is read. */
typedef struct TableBuild {
    Load L;
    const TableSpec *spec;
    const Units *units;
    Table *t;
    Header h;
    int key;
    int *col_at;             /* CSV column -> numeric column, or -1 */
    bool *exempt;            /* [col] not checked against the totals row */
    Acc *sum;                /* [col] over every row but the totals row */
    Dec *total;              /* [col] the totals row */
    char *total_key;
    long total_row;
    const char **others;     /* non-assessed names seen, for duplicates */
    long *others_row;
    int nothers, cap_others, cap_others_row;
    int hint;                /* for unit_of_near */
} TableBuild;

/* Every named column but the key is numeric; exempt columns must exist. */
static void table_columns(TableBuild *b)
{
    Table *t = b->t;
    const Header *h = &b->h;
    size_t n = (size_t)h->n;
    b->col_at = GC_MALLOC_ATOMIC(n * sizeof *b->col_at);
    t->cols = GC_MALLOC(n * sizeof *t->cols);
    t->col_of = GC_MALLOC_ATOMIC(n * sizeof *t->col_of);
    for (int k = 0; k < h->n; k++) {
        b->col_at[k] = -1;
        if (k == b->key || !h->names[k][0])
            continue;
        b->col_at[k] = t->ncols;
        t->col_of[t->ncols] = k + 1;
        t->cols[t->ncols++] = h->names[k];
    }
    size_t nc = (size_t)t->ncols, nu = (size_t)b->units->n;
    b->exempt = zalloc_atomic(nc);
    for (int e = 0; e < b->spec->nexcept; e++) {
        int c = table_col_index(t, b->spec->except[e]);
        if (c >= 0)
            b->exempt[c] = true;
        else
            missing_column(&b->L, b->spec->except[e], t->cols, nc,
                           "a column exempt from the total check must exist");
    }
    /* a column per table column, as for facts: 0 until a row says more */
    t->data = GC_MALLOC((nc + 1) * sizeof *t->data);
    for (size_t c = 0; c < nc; c++) {
        alloc_column(&t->data[c], FT_DECIMAL, nu, 0);
        memset(t->data[c].mant32, 0, nu * sizeof *t->data[c].mant32);
        memset(t->data[c].scale, 0, nu);
    }
    t->present = zalloc_atomic(nu);
    t->row_of = zalloc_atomic(nu * sizeof *t->row_of);
    b->sum = zalloc_atomic(nc * sizeof *b->sum);
    b->total = zalloc_atomic(nc * sizeof *b->total);
}

/* Whom a row is for: an assessed unit (*u >= 0), a non-assessed name
** (UNIT_NOT_ASSESSED) or the totals row (*is_total). False, reported, for a
** row to skip: no key, an unknown name, a second row for the same one. */
static bool table_row_key(TableBuild *b, const CsvRecord *rec, int *u, bool *is_total)
{
    const char *key = b->spec->key;
    Text tk = cell(rec, b->key);
    if (tk.len == 0) {
        cell_error(&b->L, rec->row, key, NULL, "every row names its unit",
                   "no %s in this row", key);
        return false;
    }
    char stack[NAME_STACK];
    const char *name = norm_key(tk, stack);
    *is_total = b->total_key && strcmp(name, b->total_key) == 0;
    if (*is_total) {
        if (b->total_row) {
            cell_error(&b->L, rec->row, key, NULL, NULL,
                       "a second %s row (the first is row %ld)", diag_short(name), b->total_row);
            return false;
        }
        b->total_row = rec->row;
        return true;
    }
    *u = unit_of_near(b->units, name, &b->hint);
    if (*u == UNIT_UNKNOWN) {
        unknown_unit(&b->L, b->units, rec->row, key, name);
        return false;
    }
    long first = *u >= 0 ? b->t->row_of[*u] : 0;
    for (int k = 0; *u < 0 && k < b->nothers && !first; k++)
        if (strcmp(b->others[k], name) == 0)
            first = b->others_row[k];
    if (first) {
        cell_error(&b->L, rec->row, key, NULL,
                   "one row per unit (an alias names the same unit)",
                   "a second row for %s (the first is row %ld)",
                   diag_short(*u >= 0 ? b->units->names[*u] : name), first);
        return false;
    }
    if (*u >= 0) {
        b->t->present[*u] = true;
        b->t->row_of[*u] = rec->row;
    } else {
        b->others = grow(b->others, &b->cap_others, b->nothers + 1, sizeof *b->others);
        b->others_row = grow(b->others_row, &b->cap_others_row, b->nothers + 1,
                             sizeof *b->others_row);
        b->others[b->nothers] = text_dup((Text){name, strlen(name)});
        b->others_row[b->nothers++] = rec->row;
    }
    return true;
}

static void table_row(TableBuild *b, const CsvRecord *rec)
{
    int u = UNIT_UNKNOWN;
    bool is_total = false;
    if (!table_row_key(b, rec, &u, &is_total))
        return;
    Table *t = b->t;
    for (int k = 0; k < b->h.n; k++) {
        int c = b->col_at[k];
        if (c < 0)
            continue;
        Dec d = {0, 0, false};
        const CsvField *f = (size_t)k < rec->nfields ? &rec->fields[k] : NULL;
        /* the common cell, plain digits, needs neither trimming nor a call */
        if (!(f && f->len && plain_decimal(f->text, f->len, &d.mant, &d.scale)) &&
            !table_cell(&b->L, rec, k, b->h.labels[k], &d))
            continue;
        if (is_total) {
            b->total[c] = d;
            continue;
        }
        acc_add(&b->sum[c], d);
        if (u >= 0) {
            put_mant(&t->data[c], (size_t)u, d.mant);
            t->data[c].scale[u] = (uint8_t)d.scale;
        }
    }
}

bool table_set(Table *t, int unit, int col, Num v)
{
    Num r = num_reduce(v);      /* 0.50 may come as 50/100 or 5/10 */
    for (int k = 0; k <= MAX_SCALE; k++)
        if (r.den == pow10_tab[k]) {
            put_mant(&t->data[col], (size_t)unit, r.num);
            t->data[col].scale[unit] = (uint8_t)k;
            return true;
        }
    return false;               /* a big value, or not a decimal */
}

/* After the last row: units without a row, and the totals. */
static void table_finish(TableBuild *b)
{
    const TableSpec *spec = b->spec;
    if (!spec->optional && !b->L.stopped) {
        int n;
        char *list = missing_units(b->units, b->t->present, &n);
        if (n)
            cell_error(&b->L, 0, NULL, NULL,
                       "add a row (blank cells read as 0), or declare the table optional",
                       "no row for %s (%d %s)", list, n, n == 1 ? "unit" : "units");
    }
    /* with rows missing or wrong, a totals mismatch would only repeat them */
    if (!b->total_key || b->L.errors)
        return;
    if (!b->total_row)
        cell_error(&b->L, 0, NULL, NULL,
                   gc_printf("the row whose %s is %s holds the totals", spec->key,
                             b->total_key),
                   "no %s row", b->total_key);
    else
        check_totals(&b->L, b->t, b->sum, b->total, b->exempt, b->total_row);
}

Table *table_load(const TableSpec *spec, const Units *units)
{
    CsvReader *r = csv_open(spec->path, CSV_ENC_AUTO);
    if (!r)
        return NULL;
    TableBuild b;
    memset(&b, 0, sizeof b);
    b.L = (Load){spec->path, 0, false, NULL};
    b.spec = spec;
    b.units = units;
    b.t = GC_MALLOC(sizeof *b.t);
    b.t->spec = spec;
    b.t->nunits = units->n;
    if (spec->total_row)
        b.total_key = norm_name(spec->total_row, strlen(spec->total_row));
    if (!read_header(r, &b.L, &b.h))
        goto done;
    b.key = header_find(&b.h, spec->key);
    if (b.key < 0) {
        missing_column(&b.L, spec->key, (const char *const *)b.h.names, (size_t)b.h.n,
                       "the key column names the unit of each row");
        goto done;
    }
    table_columns(&b);
    CsvRecord rec;
    int rc = 0;
    while (!b.L.stopped && (rc = csv_next(r, &rec)) == 1) {
        if (row_blank(&rec))
            continue;
        check_unnamed(&b.L, &rec, &b.h);
        table_row(&b, &rec);
    }
    if (rc < 0)
        b.L.errors++;
    else
        table_finish(&b);
done:
    csv_close(r);
    return b.L.errors ? NULL : b.t;
}

/* ---- facts ----------------------------------------------------------------------*/

static const char *members_list(const FactColSpec *spec)
{
    size_t len = 1;
    for (int m = 0; m < spec->nmembers; m++)
        len += strlen(spec->members[m]) + 2;
    char *s = GC_MALLOC_ATOMIC(len);
    s[0] = 0;
    for (int m = 0; m < spec->nmembers; m++) {
        if (m)
            strcat(s, ", ");
        strcat(s, spec->members[m]);
    }
    return s;
}

#define COUNT_HINT "a count is a whole number ≥ 0, such as 3"
#define PERCENT_HINT "a percent is a number from 0 to 100, such as 95.5 or 95.5%"

/* One schema column as the row loop reads it. */
typedef struct Slot {
    FactColumn *col;
    const FactColSpec *spec;
    size_t k;                  /* its CSV column, from 0 */
    size_t *member_len;        /* FT_ENUM: [nmembers] */
} Slot;

/* Parses one fact cell by its type into column storage at index i: any
** cell, with every error reported. */
static void put_fact(Load *L, const Slot *sl, size_t i, const CsvRecord *rec)
{
    FactColumn *col = sl->col;
    switch (col->type) {                          /* blank until parsed */
    case FT_BOOL:
    case FT_ENUM:
        col->small[i] = FACT_BLANK;
        break;
    case FT_COUNT:
    case FT_DECIMAL:
    case FT_PERCENT:
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        break;
    case FT_TEXT:
        col->text[i] = NULL;
        break;
    }
    if (sl->k >= rec->nfields)
        return;                                   /* a short row: blank */
    const CsvField *f = &rec->fields[sl->k];
    Text v = trim(f->text, f->len);
    if (v.len == 0)
        return;                                   /* blank */
    const FactColSpec *spec = sl->spec;
    const char *rt = f->text, *name = spec->column;
    long row = rec->row;
    Dec d = {0, 0, false};
    DecStatus st;
    switch (spec->type) {
    case FT_BOOL: {
        int b = parse_bool(v);
        if (b < 0)
            cell_error(L, row, name, rt, "write 是 or 否 (1/0 and true/false also work)",
                       "not a bool");
        else
            col->small[i] = (uint8_t)b;
        return;
    }
    case FT_COUNT:
        st = dec_parse(v, &d);
        if (st != DEC_OK)
            number_error(L, row, name, rt, v, st, "count", COUNT_HINT);
        else if (d.mant < 0)
            cell_error(L, row, name, rt, COUNT_HINT, "negative count");
        else if (d.point)
            cell_error(L, row, name, rt, COUNT_HINT, "not a whole number");
        else
            break;
        return;
    case FT_DECIMAL:
        st = dec_parse(v, &d);
        if (st == DEC_OK)
            break;
        number_error(L, row, name, rt, v, st, "number",
                     "write a decimal number such as 12.5, without separators or units");
        return;
    case FT_PERCENT:
        st = percent_parse(v, &d);
        if (st != DEC_OK)
            number_error(L, row, name, rt, v, st, "percent", PERCENT_HINT);
        else if (d.mant < 0)
            cell_error(L, row, name, rt, PERCENT_HINT, "negative percent");
        else if (d.mant > pow10_tab[d.scale])
            cell_error(L, row, name, rt, PERCENT_HINT, "percent over 100");
        else
            break;
        return;
    case FT_ENUM:
        for (int m = 0; m < spec->nmembers; m++)
            if (text_is(v, spec->members[m])) {
                col->small[i] = (uint8_t)m;
                return;
            }
        {
            const char *s = diag_suggest(text_dup(v), spec->members, (size_t)spec->nmembers);
            cell_error(L, row, name, rt,
                       s ? gc_printf("did you mean %s?", s) : "write one of them exactly",
                       "not one of %s", members_list(spec));
        }
        return;
    case FT_TEXT:
        col->text[i] = text_dup(v);
        return;
    }
    put_mant(col, i, d.mant);
    col->scale[i] = (uint8_t)d.scale;
}

/* The cells most fact files are made of, stored without a call: exactly 是,
** 否, 1 or 0, a count of plain digits, a decimal or percent of plain digits and
** a point, an enum member written exactly, and a blank cell. Each returns
** false for anything else (spaces, signs, other spellings, every error),
** which put_fact decides in full, and may store a cell twice, to the same
** value. s[0, n) is the cell as read. */
static inline bool fast_bool(FactColumn *col, size_t i, const char *s, size_t n)
{
    if (n != 3) {
        if (n == 0)
            col->small[i] = FACT_BLANK;
        else if (n == 1 && (s[0] == '0' || s[0] == '1'))
            col->small[i] = (uint8_t)(s[0] - '0');
        else
            return false;
        return true;
    }
    /* 是 is E6 98 AF, 否 is E5 90 A6; s[3] is the cell's NUL terminator, so
    ** one 4-byte load compares the whole cell */
    static const char yes[4] = "\xE6\x98\xAF", no[4] = "\xE5\x90\xA6";
    uint32_t w, y, o;
    memcpy(&w, s, 4);
    memcpy(&y, yes, 4);
    memcpy(&o, no, 4);
    if (w == y)
        col->small[i] = 1;
    else if (w == o)
        col->small[i] = 0;
    else
        return false;
    return true;
}

static inline bool fast_count(FactColumn *col, size_t i, const char *s, size_t n)
{
    if (n > MAX_SCALE)
        return false;
    if (n == 0) {
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        return true;
    }
    uint64_t m = 0;
    for (size_t j = 0; j < n; j++) {
        unsigned dig = (unsigned)(unsigned char)s[j] - '0';
        if (dig > 9)
            return false;
        m = m * 10 + dig;
    }
    put_mant(col, i, (int64_t)m);
    col->scale[i] = 0;
    return true;
}

static inline bool fast_decimal(FactColumn *col, size_t i, const char *s, size_t n)
{
    int64_t m;
    int sc;
    if (n == 0) {
        m = 0;
        sc = FACT_BLANK;
    } else if (!plain_decimal(s, n, &m, &sc)) {
        return false;
    }
    put_mant(col, i, m);
    col->scale[i] = (uint8_t)sc;
    return true;
}

static inline bool fast_percent(FactColumn *col, size_t i, const char *s, size_t n)
{
    int64_t m;
    int sc;
    if (n == 0) {
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        return true;
    }
    if (n > 1 && s[n - 1] == '%')
        n--;
    if (!plain_decimal(s, n, &m, &sc) || sc + 2 > MAX_SCALE || m > pow10_tab[sc + 2])
        return false;
    put_mant(col, i, m);
    col->scale[i] = (uint8_t)(sc + 2);
    return true;
}

static inline bool fast_enum(const Slot *sl, size_t i, const char *s, size_t n)
{
    if (n == 0) {
        sl->col->small[i] = FACT_BLANK;
        return true;
    }
    unsigned char a = (unsigned char)s[0], z = (unsigned char)s[n - 1];
    if (!(a > ' ' && a != 0xE3 && z > ' ' && z != 0x80))
        return false;                       /* trim might change it: see trim */
    for (int m = 0; m < sl->spec->nmembers; m++)
        if (sl->member_len[m] == n && memcmp(s, sl->spec->members[m], n) == 0) {
            sl->col->small[i] = (uint8_t)m;
            return true;
        }
    return false;
}

static inline bool put_fast(const Slot *sl, size_t i, const CsvRecord *rec)
{
    if (sl->k >= rec->nfields)
        return false;
    const char *s = rec->fields[sl->k].text;
    size_t n = rec->fields[sl->k].len;
    switch (sl->col->type) {
    case FT_BOOL: return fast_bool(sl->col, i, s, n);
    case FT_COUNT: return fast_count(sl->col, i, s, n);
    case FT_DECIMAL: return fast_decimal(sl->col, i, s, n);
    case FT_PERCENT: return fast_percent(sl->col, i, s, n);
    case FT_ENUM: return fast_enum(sl, i, s, n);
    case FT_TEXT: return false;
    }
    return false;
}

/* The schema columns grouped by type, so that a row's cells of one type go
** through one tight loop. */
typedef struct SlotGroups {
    Slot *by_type[FT_TEXT + 1];
    int n[FT_TEXT + 1];
} SlotGroups;

/* Stores the cells of one row at index i: first every cell the fast paths
** take, type by type; then, if any is left, the whole row again in column
** order, so that put_fact reports the errors in the order of the columns. */
static void put_row(Load *L, const Slot *slots, int nslots, const SlotGroups *g, size_t i,
                    const CsvRecord *rec)
{
    const CsvField *fl = rec->fields;
    size_t nf = rec->nfields;
    bool ok = true;
    const Slot *sl = g->by_type[FT_BOOL], *end = sl + g->n[FT_BOOL];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_bool(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_COUNT], end = sl + g->n[FT_COUNT];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_count(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_DECIMAL], end = sl + g->n[FT_DECIMAL];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_decimal(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_PERCENT], end = sl + g->n[FT_PERCENT];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_percent(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_ENUM], end = sl + g->n[FT_ENUM];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_enum(sl, i, fl[sl->k].text, fl[sl->k].len);
    /* text cells have no errors to order */
    sl = g->by_type[FT_TEXT], end = sl + g->n[FT_TEXT];
    for (; sl < end; sl++)
        put_fact(L, sl, i, rec);
    if (ok)
        return;
    for (int c = 0; c < nslots; c++)
        if (slots[c].col->type != FT_TEXT && !put_fast(&slots[c], i, rec))
            put_fact(L, &slots[c], i, rec);
}

/* Which file column holds each schema column; missing ones and extra ones
** reported (errors and warnings). colpos[c] is -1 when missing. */
static void match_columns(Load *L, const Header *h, const FactSchema *schema, int *colpos)
{
    bool *used = zalloc_atomic((size_t)h->n);
    for (int k = 0; k < h->n; k++)
        used[k] = !h->names[k][0] || strcmp(h->names[k], "单位") == 0 ||
                  strcmp(h->names[k], "期别") == 0;
    const char **missing = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *missing);
    int nmissing = 0;
    for (int c = 0; c < schema->ncols; c++) {
        colpos[c] = header_find(h, schema->cols[c].column);
        if (colpos[c] >= 0)
            used[colpos[c]] = true;
        else
            missing[nmissing++] = schema->cols[c].column;
    }
    /* a second column of the same name is reported as a duplicate already */
    for (int k = 0; k < h->n; k++)
        used[k] = used[header_find(h, h->names[k])];
    const char **extra = GC_MALLOC(((size_t)h->n + 1) * sizeof *extra);
    int nextra = 0;
    for (int k = 0; k < h->n; k++)          /* a duplicate is warned of once */
        if (!used[k] && header_find(h, h->names[k]) == k)
            extra[nextra++] = h->names[k];
    for (int m = 0; m < nmissing; m++)
        missing_column(L, missing[m], extra, (size_t)nextra,
                       "the fact file has one column per fact the rubric declares");
    for (int e = 0; e < nextra; e++) {
        const char *s = diag_suggest(extra[e], missing, (size_t)nmissing);
        const char *label = diag_short(extra[e]);      /* never blank: see used */
        diag_cell(DIAG_WARNING, L->path, 1, label, NULL,
                  s ? gc_printf("did you mean %s?", s) : NULL,
                  "column %s is not a fact of the rubric (ignored)", label);
    }
}

/* The unit and period a fact row is for; false (reported) when either is
** wrong. */
static bool row_key(Load *L, const CsvRecord *rec, int kunit, int kper,
                    const FactSchema *schema, const Units *units, int *hint, int *u, int *p)
{
    Text tu = cell(rec, kunit), tp = cell(rec, kper);
    bool ok = true;
    *u = UNIT_UNKNOWN;
    *p = -1;
    if (tu.len == 0) {
        cell_error(L, rec->row, "单位", NULL, "every row names its unit", "no unit name");
        ok = false;
    } else {
        char stack[NAME_STACK];
        const char *name = norm_key(tu, stack);
        *u = unit_of_near(units, name, hint);
        if (*u == UNIT_UNKNOWN) {
            unknown_unit(L, units, rec->row, "单位", name);
            ok = false;
        } else if (*u == UNIT_NOT_ASSESSED) {
            cell_error(L, rec->row, "单位", NULL,
                       gc_printf("%s marks it 考核=否; remove this row", units->path),
                       "%s is not assessed", diag_short(name));
            ok = false;
        }
    }
    for (int k = 0; k < schema->nperiods; k++)
        if (text_is(tp, schema->periods[k]))
            *p = k;
    if (*p < 0) {
        const char *list = members_list(&(FactColSpec){
            "期别", FT_ENUM, schema->nperiods, schema->periods});
        const char *s = tp.len ? diag_suggest(text_dup(tp), schema->periods,
                                               (size_t)schema->nperiods) : NULL;
        cell_error(L, rec->row, "期别", tp.len ? raw(rec, kper) : NULL,
                   s ? gc_printf("did you mean %s?", s)
                     : gc_printf("the rubric's periods are %s", list),
                   tp.len ? "unknown 期别" : "no 期别");
        ok = false;
    }
    return ok;
}

FactData *facts_load(const char *path, CsvEncoding enc, const FactSchema *schema,
                     const Units *units)
{
    return facts_load_ex(path, enc, schema, units, false);
}

/* The cells as written, for explanations: the trimmed text of each schema
** column of one row. */
static void keep_raw(FactData *fd, size_t i, const int *colpos, const CsvRecord *rec)
{
    int nc = fd->schema->ncols;
    for (int c = 0; c < nc; c++) {
        size_t k = (size_t)colpos[c];
        const char *text = "";
        if (k < rec->nfields) {
            Text v = trim(rec->fields[k].text, rec->fields[k].len);
            text = GC_STRNDUP(v.s, v.len);
        }
        fd->raw[i * (size_t)nc + (size_t)c] = text;
    }
}

FactData *facts_load_ex(const char *path, CsvEncoding enc, const FactSchema *schema,
                        const Units *units, bool raw)
{
    CsvReader *r = csv_open(path, enc);
    if (!r)
        return NULL;
    Load L = {path, 0, false, NULL};
    FactData *fd = GC_MALLOC(sizeof *fd);
    fd->path = GC_STRDUP(path);
    fd->schema = schema;
    fd->nunits = units->n;
    fd->nperiods = schema->nperiods;
    fd->encoding = csv_encoding(r);
    Header h;
    if (!read_header(r, &L, &h))
        goto done;
    int kunit = header_find(&h, "单位"), kper = header_find(&h, "期别");
    if (kunit < 0)
        missing_column(&L, "单位", (const char *const *)h.names, (size_t)h.n,
                       "the fact file names each row's unit in a column 单位");
    if (kper < 0)
        missing_column(&L, "期别", (const char *const *)h.names, (size_t)h.n,
                       gc_printf("each row is for one period: %s",
                                 members_list(&(FactColSpec){"期别", FT_ENUM,
                                                             schema->nperiods,
                                                             schema->periods})));
    int *colpos = GC_MALLOC_ATOMIC(((size_t)schema->ncols + 1) * sizeof *colpos);
    match_columns(&L, &h, schema, colpos);
    if (L.errors)
        goto done;

    size_t ncells = (size_t)units->n * (size_t)schema->nperiods;
    fd->cols = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *fd->cols);
    Slot *slots = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *slots);
    SlotGroups groups;
    memset(&groups, 0, sizeof groups);
    for (int c = 0; c < schema->ncols; c++) {
        const FactColSpec *spec = &schema->cols[c];
        alloc_column(&fd->cols[c], spec->type, ncells, colpos[c] + 1);
        slots[c] = (Slot){&fd->cols[c], spec, (size_t)colpos[c], NULL};
        if (spec->type == FT_ENUM) {
            slots[c].member_len = GC_MALLOC_ATOMIC(((size_t)spec->nmembers + 1) *
                                                   sizeof *slots[c].member_len);
            for (int m = 0; m < spec->nmembers; m++)
                slots[c].member_len[m] = strlen(spec->members[m]);
        }
        groups.n[spec->type]++;
    }
    for (int t = 0; t <= FT_TEXT; t++) {
        groups.by_type[t] = GC_MALLOC(((size_t)groups.n[t] + 1) * sizeof *groups.by_type[t]);
        groups.n[t] = 0;
    }
    for (int c = 0; c < schema->ncols; c++) {
        FactType t = schema->cols[c].type;
        groups.by_type[t][groups.n[t]++] = slots[c];
    }
    fd->row_of = zalloc_atomic(ncells * sizeof *fd->row_of);
    if (raw)
        fd->raw = GC_MALLOC((ncells * (size_t)schema->ncols + 1) * sizeof *fd->raw);

    CsvRecord rec;
    int rc = 0, hint = 0;
    while (!L.stopped && (rc = csv_next(r, &rec)) == 1) {
        if (row_blank(&rec))
            continue;
        check_unnamed(&L, &rec, &h);
        int u, p;
        if (!row_key(&L, &rec, kunit, kper, schema, units, &hint, &u, &p))
            continue;
        size_t i = fact_cell(fd, u, p);
        if (fd->row_of[i]) {
            cell_error(&L, rec.row, NULL, NULL, "one row per unit and 期别",
                       "a second row for %s %s (the first is row %ld)", diag_short(units->names[u]),
                       schema->periods[p], fd->row_of[i]);
            continue;
        }
        fd->row_of[i] = rec.row;
        put_row(&L, slots, schema->ncols, &groups, i, &rec);
        if (raw)
            keep_raw(fd, i, colpos, &rec);
    }
    if (rc < 0) {
        L.errors++;
        goto done;
    }
    for (int u = 0; u < units->n && !L.stopped; u++)
        for (int p = 0; p < schema->nperiods; p++)
            if (!fd->row_of[fact_cell(fd, u, p)])
                cell_error(&L, 0, NULL, NULL, "every unit has one row per 期别",
                           "no row for %s %s", diag_short(units->names[u]), schema->periods[p]);
done:
    csv_close(r);
    return L.errors ? NULL : fd;
}

/* ---- facts written in rule tests ------------------------------------------------*/

FactData *facts_blank(const char *path, const FactSchema *schema, const Units *units)
{
    FactData *fd = GC_MALLOC(sizeof *fd);
    fd->path = path;
    fd->schema = schema;
    fd->nunits = units->n;
    fd->nperiods = schema->nperiods;
    fd->encoding = CSV_ENC_UTF8;
    size_t ncells = (size_t)units->n * (size_t)schema->nperiods;
    fd->cols = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *fd->cols);
    for (int c = 0; c < schema->ncols; c++) {
        FactColumn *col = &fd->cols[c];
        alloc_column(col, schema->cols[c].type, ncells, c + 1);
        for (size_t i = 0; i < ncells; i++) {
            if (col->small)
                col->small[i] = FACT_BLANK;
            if (col->scale)
                col->scale[i] = FACT_BLANK;
        }
    }
    fd->row_of = zalloc_atomic((ncells + 1) * sizeof *fd->row_of);
    return fd;
}

FactData *facts_copy(const FactData *from)
{
    FactData *fd = GC_MALLOC(sizeof *fd);
    *fd = *from;
    size_t n = (size_t)from->nunits * (size_t)from->nperiods + 1;
    int ncols = from->schema->ncols;
    fd->cols = GC_MALLOC(sizeof(FactColumn) * ((size_t)ncols + 1));
    for (int c = 0; c < ncols; c++) {
        const FactColumn *a = &from->cols[c];
        FactColumn *b = &fd->cols[c];
        *b = *a;
#define COPY(field, alloc)                                          \
        if (a->field) {                                             \
            b->field = alloc(n * sizeof *a->field);                 \
            memcpy(b->field, a->field, n * sizeof *a->field);       \
        }
        COPY(small, GC_MALLOC_ATOMIC)
        COPY(mant32, GC_MALLOC_ATOMIC)
        COPY(mant, GC_MALLOC_ATOMIC)
        COPY(scale, GC_MALLOC_ATOMIC)
        COPY(text, GC_MALLOC)
#undef COPY
    }
    fd->row_of = GC_MALLOC_ATOMIC(n * sizeof(long));
    memcpy(fd->row_of, from->row_of, n * sizeof(long));
    return fd;
}

bool facts_put(FactData *fd, int col, int unit, int period, const char *text, Loc at)
{
    Load L = {fd->path, 0, false, &at};
    CsvField field = {text, strlen(text)};
    CsvRecord rec = {1, &field, 0, 0};
    Slot sl = {&fd->cols[col], &fd->schema->cols[col], 0, NULL};
    put_fact(&L, &sl, fact_cell(fd, unit, period), &rec);
    return L.errors == 0;
}
