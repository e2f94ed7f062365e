/*
** units.h — the unit list (units.c): every assessed unit in file order,
** with its aliases, the names that are not assessed, and text attributes.
*/
#ifndef KAOHE_UNITS_H
#define KAOHE_UNITS_H

#include <stdbool.h>

/* ---- units -------------------------------------------------------------
** units.csv: header row with at least 单位; optional 别名 (aliases separated
** by 、 or ; or ,), optional 考核 (是/否, default 是: 否 marks a name that may
** appear in annex tables but is not assessed, e.g. 区本级). Every other column
** is a text attribute of the unit (e.g. 类型: 乡镇 / 园区).
** Unit order is file order; it is the order of every output. */
typedef struct Units {
    int n;                     /* assessed units */
    const char **names;        /* [n] canonical names */
    int nattrs;
    const char **attr_names;   /* [nattrs] */
    const char **attr_values;  /* [n * nattrs], "" when blank */
    /* everything a name may be looked up by: canonical names, aliases, and
    ** non-assessed names; target is the unit index or UNIT_NOT_ASSESSED */
    int nlookup;
    const char **lookup_names;
    int *lookup_target;
    const char *path;
    /* lookup_names hashed for units_find (open addressing; a slot holds a
    ** lookup index + 1, 0 is free). A hand-built Units may leave it NULL:
    ** units_find then searches linearly. */
    int hashcap;
    int *hash;
} Units;

#define UNIT_UNKNOWN (-1)
#define UNIT_NOT_ASSESSED (-2)

Units *units_load(const char *path);
/* Index of an assessed unit by canonical name or alias, or UNIT_UNKNOWN /
** UNIT_NOT_ASSESSED. Surrounding spaces and embedded line breaks (a cell
** "新建\n经开区" from a wrapped spreadsheet cell) are ignored. */
int units_find(const Units *u, const char *name);
/* Closest known name for a "did you mean", or NULL. */
const char *units_suggest(const Units *u, const char *name);
int units_attr_index(const Units *u, const char *attr);   /* -1 if none */

#endif
