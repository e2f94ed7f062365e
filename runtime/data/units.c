/*
** units.c — the unit list (units.csv): canonical names, aliases, names that
** are not assessed, text attributes; and the look-up of a row's unit that
** the table and fact loaders share (unit_of_near, unknown_unit).
*/
#include "units.h"

#include <gc.h>
#include <string.h>

#include "cells.h"
#include "diag.h"
#include "names.h"
#include "unit_lookup.h"

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
int unit_of_near(const Units *u, const char *norm, int *hint)
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

/* "unknown unit X", with a did-you-mean when one name is close. */
void unknown_unit(Load *L, const Units *units, long row, const char *col,
                         const char *name)
{
    const char *s = units_suggest(units, name);
    cell_error(L, row, col, NULL,
               s ? gc_printf("did you mean %s?", s)
                 : gc_printf("the units and their aliases are listed in %s", units->path),
               "unknown unit %s", diag_short(name));
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
    Load L = {.path = path};
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
