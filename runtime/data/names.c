/*
** names.c — the names a loader matches: a hashed index over an array of
** names (a header's columns, units.c's names and aliases), a header row
** read with its duplicates reported, a missing column with its
** did-you-mean, and values under no header.
*/
#include "names.h"

#include <gc.h>
#include <string.h>

#include "diag.h"

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
uint32_t index_cap(size_t n)
{
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

/* The slot of name: where it is, or the empty slot where it would go. */
uint32_t name_slot(const int *slots, uint32_t mask, const char *const *names,
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
bool read_header(CsvReader *r, Load *L, Header *h)
{
    CsvRecord rec;
    int rc = csv_next(r, &rec);
    if (rc < 0) {
        L->errors++;
        return false;
    }
    if (rc == 0 && csv_sheet(r)) {
        diag_file(DIAG_ERROR, L->path, 0, 0,
                  gc_printf("the workbook's sheets: %s; name the one to read (--sheet NAME for facts, "
                            "sheet \"NAME\" after a table's file)", csv_sheet_list(r)),
                  "sheet %s has no header row (the row naming the columns)", csv_sheet(r));
        L->errors++;
        return false;
    }
    if (rc == 0) {
        diag_file(DIAG_ERROR, L->path, 0, 0, "the first row names the columns",
                  "empty file (no header row)");
        L->errors++;
        return false;
    }
    if (rec.nfields == 1 && !csv_sheet(r)) {
        /* one column holding tabs or semicolons: another separator, said
        ** once rather than as every column the rubric needs */
        const char *sep = memchr(rec.fields[0].text, '\t', rec.fields[0].len) ? "tabs"
                        : memchr(rec.fields[0].text, ';', rec.fields[0].len) ? "semicolons" : NULL;
        if (sep) {
            diag_file(DIAG_ERROR, L->path, rec.row, 0,
                      "kaohe reads comma-separated files: in Excel or WPS, 另存为 → CSV UTF-8（逗号分隔）(*.csv)",
                      "the columns are separated by %s, not commas", sep);
            L->errors++;
            return false;
        }
    }
    h->n = (int)rec.nfields;
    h->names = GC_MALLOC(rec.nfields * sizeof *h->names);
    h->labels = GC_MALLOC(rec.nfields * sizeof *h->labels);
    h->all_named = true;
    L->sheet = csv_sheet(r);
    L->header_row = rec.row;
    L->labels = (const char *const *)h->labels;
    L->nlabels = h->n;
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
int header_find(const Header *h, const char *name)
{
    return h->index[header_slot(h, name)] - 1;
}

void missing_column(Load *L, const char *name, const char *const *near, size_t nnear,
                           const char *hint)
{
    const char *s = diag_suggest(name, near, nnear);
    cell_error(L, 1, NULL, NULL, s ? gc_printf("did you mean %s?", s) : hint,
               "no column %s", name);
}

/* A value where no column is named: past the header's last column, or under
** a blank header. Blank cells there are fine (spreadsheets leave them). */
void check_unnamed(Load *L, const CsvRecord *rec, const Header *h)
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

/* The normalized text of t in stack (NAME_STACK bytes) if it fits, else in
** new GC memory. */
char *norm_key(Text t, char *stack)
{
    char *o = t.len < NAME_STACK ? stack : GC_MALLOC_ATOMIC(t.len + 1);
    norm_into(t.s, t.len, o);
    return o;
}
