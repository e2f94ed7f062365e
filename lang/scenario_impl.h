/*
** scenario_impl.h — what scenario.c (applying changes) and scenario_read.c
** (reading options and scenario files) share: the Scenario itself and the
** changes it holds. Not for other files; they use scenario.h.
*/
#ifndef KAOHE_SCENARIO_IMPL_H
#define KAOHE_SCENARIO_IMPL_H

#include "compiler.h"
#include "scenario.h"

/* The param a sweep varies. Not a name a rule can write (it has brackets). */
#define SWEEP_PARAM "(sweep)"
/* A sweep longer than this is almost surely a mistyped step. */
#define MAX_SWEEP_VALUES 100000

typedef struct Opt {
    ScenarioOpt kind;
    const char *arg;
} Opt;

/* One change to the rubric: a declaration from a scenario's body, or one
** made from an option's value. */
typedef struct Change {
    Decl *d;
    const char *dir;        /* the scenario file's folder (its paths are relative to it); NULL: the current folder */
    bool from_option;
} Change;

struct Scenario {
    PtrVec opts;            /* Opt *, in command-line order */
    Opt *sweep_opt;
    /* made by scenario_compile */
    PtrVec changes;         /* Change *, in order */
    ScenarioPart *parts;
    int nparts;
    Sweep sweep;
    bool has_file;          /* some change comes from a scenario file */
    PtrVec files;           /* SrcFile * of the scenario files */
    PtrVec base_decls;      /* the rubric's declarations as compiled without changes (typed) */
    const Program *base;
    const Change *cur;      /* the change being applied, for errors */
    bool option_failed, file_failed;
    PtrVec banded;          /* Change * that set a band of a grade to a number */
};

/* The scenario's parts (its files and option changes) and changes, in order. */
void scenario_add_part(Scenario *s, const char *name, const char *file, const Attrs *at);
void scenario_add_change(Scenario *s, Decl *d, const char *dir, bool from_option);

/* An option's value as a declaration; NULL after an error at the value. */
Decl *scenario_read_set(const char *arg);
Decl *scenario_read_table(const char *arg);
/* --sweep's value into s->sweep (and its changes); false after an error. */
bool scenario_read_sweep(Scenario *s, const char *arg);
/* A scenario file's changes added to s; a SCENARIO_ status. */
int scenario_read_scenario_file(Scenario *s, const char *path);

#endif
