/*
** report.h — the auditor's HTML report (report.c).
*/
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include <stdio.h>

#include "vm.h"

/* Traces every unit (after a plain run of all units) and writes the whole
** report to out; extra_html (or NULL), a section of its own such as the
** what-if comparison (whatif.h), goes after the overview. Returns an exit
** status (output.h). */
int report_write(FILE *out, Eval *ev, const Program *p, const FactData *f, const char *extra_html);
/* Text escaped for HTML, for the writers of such sections. */
void report_esc(FILE *out, const char *s);

#endif
