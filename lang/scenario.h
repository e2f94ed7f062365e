/*
** scenario.h — what-if: the rubric built with changed measures. The options
** --set NAME[.KEY]=VALUE, --scenario FILE, --table NAME=FILE and --sweep
** NAME[.KEY]=LOW..HIGH[:STEP] are kept in command-line order in a Scenario;
** scenario_compile builds the rubric as it is and as the scenario changes it.
** Every command that scores (run, whatif, explain, report) takes the same
** options this way. Rule files, tables and facts on disk are only read.
*/
#ifndef KAOHE_SCENARIO_H
#define KAOHE_SCENARIO_H

#include "program.h"

/* What scenario_option and scenario_compile return: the exit status kaohe
** uses for each (README, "Exit status"). */
enum { SCENARIO_OK = 0, SCENARIO_USAGE = 2, SCENARIO_RULES = 3 };

typedef struct Scenario Scenario;

Scenario *scenario_new(void);

/* If argv[*i] is one of the what-if options (also written --set=VALUE),
** records it, moves *i to its value and returns 1. Returns 0 when argv[*i]
** is some other argument, and SCENARIO_USAGE after printing an error (the
** value is missing; --sweep where allow_sweep is false; a second --sweep). */
int scenario_option(Scenario *s, int argc, char **argv, int *i, bool allow_sweep);

/* The same for an option already split from its value (option is "--set",
** "--scenario", "--table" or "--sweep"), as the command line's option
** parser hands it over: 1 recorded, 0 not a what-if option,
** SCENARIO_USAGE after printing an error. */
int scenario_add(Scenario *s, const char *option, const char *value, bool allow_sweep);

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
** params, see eval_params). */
typedef struct Sweep {
    const char *target;
    Num *values;
    int nvalues;
    int param;
} Sweep;
const Sweep *scenario_sweep(const Scenario *s);
void sweep_set_value(Program *p, const Sweep *sw, Num v);

#endif
