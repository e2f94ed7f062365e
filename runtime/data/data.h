/*
** data.h — the data a rubric is evaluated against: the unit list (with
** aliases and non-assessed names), keyed tables (the annexes) and the fact
** file. Every cell is parsed once, by its declared type, into compact
** column storage; the VM reads cells by index and never re-parses text.
** Loaders print diagnostics (file:row:column) and return NULL on bad input.
** This header only gathers the folder's public headers: units.h,
** tables.h, facts.h and csv.h.
*/
#ifndef KAOHE_DATA_H
#define KAOHE_DATA_H

#include "csv.h"
#include "facts.h"
#include "tables.h"
#include "units.h"

#endif
