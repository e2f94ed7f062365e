/*
** unit_lookup.h — what units.c gives the table and fact loaders beside
** units.h: the unit a row names, found fast when rows follow the unit
** list's order, and the message for a name the list does not know.
** Internal to this folder.
*/
#ifndef KAOHE_UNIT_LOOKUP_H
#define KAOHE_UNIT_LOOKUP_H

#include "cells.h"
#include "units.h"

/* units_find for a name normalized already (norm_key), trying first the
** lookup names at and just after *hint, the one the last row found. */
int unit_of_near(const Units *u, const char *norm, int *hint);
/* "unknown unit X", with a did-you-mean when one name is close. */
void unknown_unit(Load *L, const Units *units, long row, const char *col,
                  const char *name);

#endif
