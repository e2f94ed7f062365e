/*
** whatif.h — `kaohe whatif`: every unit scored as the rubric stands and
** under a scenario (lang/scenario.h), side by side; or one measure swept
** over a range of values. Scoring goes through the VM; this file compares
** and writes, it never changes a rule.
*/
#ifndef KAOHE_WHATIF_H
#define KAOHE_WHATIF_H

#include <stdio.h>

#include "output.h"
#include "scenario.h"

/* Baseline against scenario for every unit (results, grades, rank,
** outcomes), the totals (units per grade, sums of the numeric outcomes) and
** the items that moved; with detail, every unit × period × item that
** changed. The fact data was loaded for base; what has the same facts.
** Returns 0, or 4 (a fact cell) / 5 (a rule failed) after printing. */
int whatif_compare(FILE *out, const Program *base, const Program *what, const FactData *facts,
                   const Scenario *s, OutFormat fmt, bool detail);

/* The comparison as a section of the HTML report (report.h): the scenario,
** the unit table, the totals and the items that moved. Same returns. */
int whatif_html(FILE *out, const Program *base, const Program *what, const FactData *facts, const Scenario *s);

/* For each value of the scenario's sweep: units per grade and the sums of
** the numeric outcomes; then each unit that changes grade between two
** neighbouring values. Only the items the swept param reaches are scored
** again for each value. Same return values. */
int whatif_sweep(FILE *out, Program *what, const FactData *facts, const Scenario *s, OutFormat fmt);

#endif
