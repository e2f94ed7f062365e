/*
** names.h — what names.c gives the loaders of runtime/data: a hashed index
** of names, the header row of a data file, and the normalized key of a
** row (norm_key). Internal to this folder.
*/
#ifndef KAOHE_NAMES_H
#define KAOHE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cells.h"
#include "csv.h"

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

/* Slots for n names: a power of two at least 2n. */
uint32_t index_cap(size_t n);
/* The slot of name: where it is, or the empty slot where it would go. */
uint32_t name_slot(const int *slots, uint32_t mask, const char *const *names,
                   const char *name);

/* Reads the header row. Duplicate names are errors; false when there is no
** header at all. */
bool read_header(CsvReader *r, Load *L, Header *h);
/* The first column named name, or -1. */
int header_find(const Header *h, const char *name);
/* "no column NAME", with a did-you-mean among near, else hint. */
void missing_column(Load *L, const char *name, const char *const *near, size_t nnear,
                    const char *hint);
/* A value where no column is named: past the header's last column, or under
** a blank header. Blank cells there are fine (spreadsheets leave them). */
void check_unnamed(Load *L, const CsvRecord *rec, const Header *h);

/* Room for most names normalized on the stack: a loader reads one key per
** row and keeps none of them. */
#define NAME_STACK 256

/* The normalized text of t in stack (NAME_STACK bytes) if it fits, else in
** new GC memory. */
char *norm_key(Text t, char *stack);

#endif
