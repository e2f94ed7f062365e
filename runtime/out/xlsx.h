/*
** xlsx.h — the results as an .xlsx workbook (xlsx.c).
*/
#ifndef KAOHE_XLSX_H
#define KAOHE_XLSX_H

#include "vm.h"

/* Scores and traces every unit (after a plain run of all units) and writes
** the workbook to path atomically. Returns an exit status (output.h). */
int xlsx_write(const char *path, Eval *ev, const Program *p, const FactData *f);

#endif
