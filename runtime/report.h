/*
** report.h — the auditor's HTML report (report.c).
*/
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include <stdio.h>

#include "vm.h"

/* Traces every unit (after a plain run of all units) and writes the whole
** report to out. Returns an exit status (output.h). */
int report_write(FILE *out, Eval *ev, const Program *p, const FactData *f);

#endif
