/*
** scenario.h — what-if: the rubric built with changed measures. The
** changes (on the command line --set NAME[.KEY]=VALUE, --scenario FILE,
** --table NAME=FILE and --sweep NAME[.KEY]=LOW..HIGH[:STEP]) are kept in
** the order given in a Scenario; scenario_compile builds the rubric as it
** is and as the scenario changes it. Rule files, tables and facts on disk
** are only read. Which commands take these changes is runtime/cli's.
*/
#ifndef KAOHE_SCENARIO_H
#define KAOHE_SCENARIO_H

#include "program.h"

/* What scenario_compile returns: the exit status kaohe
** uses for each (README, "Exit status"). */
enum { SCENARIO_OK = 0, SCENARIO_USAGE = 2, SCENARIO_RULES = 3 };

typedef struct Scenario Scenario;

Scenario *scenario_new(void);

/* The four kinds of change (on the command line --set NAME=VALUE,
** --scenario FILE, --table NAME=FILE, --sweep NAME=LOW..HIGH[:STEP]). */
typedef enum ScenarioOpt { SCENARIO_SET, SCENARIO_FILE, SCENARIO_TABLE, SCENARIO_SWEEP } ScenarioOpt;

/* Records one change, its value as typed; changes apply in the order they
** were added. Returns false, recording nothing, for a second sweep (one
** measure is swept at a time). Values are checked by scenario_compile;
** which commands take which changes is the command line's business. */
bool scenario_add(Scenario *s, ScenarioOpt kind, const char *value);

bool scenario_is_empty(const Scenario *s);
bool scenario_has_sweep(const Scenario *s);

/* Builds the rubric at path as it is (*base) and under the scenario
** (*what); with an empty scenario both are the same Program. Returns
** SCENARIO_OK, or after printing diagnostics SCENARIO_USAGE (a --set,
** --table or --sweep value is wrong) or SCENARIO_RULES (the rubric or a
** scenario file is wrong). */
int scenario_compile(Scenario *s, const char *path, Program **base, Program **what);

/* One change the scenario makes, for the headings of outputs and reports:
** a scenario file (its name, the file, and its cite/assume/clause text) or
** an option as typed ("--set 人员标准=4"). Valid after scenario_compile. */
typedef struct ScenarioPart {
    const char *name;       /* 提高人员标准, or the option as typed */
    const char *file;       /* the scenario file, or NULL for an option */
    const Attrs *at;        /* NULL for an option */
} ScenarioPart;
int scenario_parts(const Scenario *s, const ScenarioPart **parts);

/* The swept values of --sweep, low to high, and what is swept as typed
** ("人员标准", "等次.良好"). In the program built by scenario_compile the
** sweep is one param (index *param) whose chunk is a single constant;
** sweep_set_value makes that constant v (the caller then re-evaluates the
** params, see eval_params). `percent`: the range or the value it replaces
** was written as a percentage (30%), so the values are shown as 30%. */
typedef struct Sweep {
    const char *target;
    Num *values;
    int nvalues;
    int param;
    bool percent;
} Sweep;
const Sweep *scenario_sweep(const Scenario *s);
void sweep_set_value(Program *p, const Sweep *sw, Num v);

#endif
