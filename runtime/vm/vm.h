/*
** vm.h — evaluating a compiled rubric against a fact file. One Eval holds
** the memo tables (lets per unit-period, items read across units, cohort
** lists per period) and the value stack; eval_unit scores one unit in every
** period and then its results, grades and outcomes.
*/
#ifndef KAOHE_VM_H
#define KAOHE_VM_H

#include "program.h"

typedef struct UnitScores {
    Num *items;       /* [period * nitems + item], rounded as the rubric says */
    Num *sections;    /* [period * nsections + section] */
    Num *periods;     /* [period] */
    Value *results;   /* [nresults] */
    Value *grades;    /* [ngrades] (V_ENUM) */
    Value *outcomes;  /* [noutcomes] */
} UnitScores;

typedef struct Eval Eval;

/* The most steps scoring one unit may take: a step is one run of an item,
** let, param, result, grade or outcome, or one turn of a `for` loop. The
** 2021 rubric takes about 100 per unit; the limit stops a rule file that
** would never finish (a range 1..10^15) with an error instead of a hang.
** Params count as one evaluation, and so does each unit a cohort scores.
** eval_unit's batch path gives a group of units the same budget, a step
** counted once for the units that take it together; a group that runs out
** is scored again unit by unit, so the error is the same either way. */
#define EVAL_MAX_STEPS 10000000L
#define EVAL_MAX_STEPS_TEXT "10 million"

/* Evaluates the params (once per period). NULL after a diagnostic. */
Eval *eval_new(const Program *p, const FactData *facts);
/* Evaluates the params again, after a what-if sweep changed one (see
** scenario.h). false after a diagnostic. */
bool eval_params(Eval *ev);
/* With items non-NULL, eval_unit recomputes only the items i with items[i]
** set and takes the others, and the sums of sections without such an item,
** from the UnitScores it is given (as an earlier eval_unit left them);
** periods, results, grades and outcomes are always recomputed. A sweep uses
** it to redo only what its param reaches. */
void eval_only_items(Eval *ev, const uint8_t *items);
/* Forgets what was computed across units (cohort lists, memoized items), so
** the same Eval can score the units again, e.g. after a param changed. */
void eval_reset(Eval *ev);
UnitScores *eval_scores_new(const Program *p);
/* false after printing a runtime error (file:line:col of the rule, and the
** unit and period being scored). */
bool eval_unit(Eval *ev, int unit, UnitScores *out);
/* How many times eval_unit has scored a unit alone (run_plain or traced)
** rather than taken it from a group of units (vm_batch.h): a unit asked
** for out of order, one with an error, or one of a group abandoned at a
** limit. For tests and the benchmark. */
long eval_units_alone(const Eval *ev);
/* How many units a group of units left unscored: a lane that failed (an
** error, an opcode the batch does not compute, a limit of the batch such
** as its slot pool) or a whole group abandoned at the step budget or the
** number size. Each is scored alone if asked for. The batch tests assert
** it is 0 unless a test means a unit to fall back. */
long eval_batch_dropped(const Eval *ev);

/* After eval_unit failed: true when the cause was the fact file (a blank
** cell a rule reads), not the rules. */
bool eval_failed_on_facts(const Eval *ev);

/* eval_unit, recording the derivation of every value in trace (a
** trace_new of this unit). Slower; for explanations and reports. */
typedef struct UnitTrace UnitTrace;
bool eval_unit_traced(Eval *ev, int unit, UnitScores *out, UnitTrace *trace);

/* Runs a per-unit chunk (a grade's key or band threshold) for a unit that
** eval_unit has scored; false after a runtime error. */
bool eval_for_unit(Eval *ev, int unit, const Chunk *ch, Value *out);

/* How a grade's quota placed a unit (`优秀 >= 90 at most 30% by 综合得分`):
** the band whose quota it was ranked for, its place among the units that
** reached that band, the number of places, and whether it kept the band.
** band -1: no quota ranked it (it did not reach a band with one, or a veto
** decided its grade). */
typedef struct QuotaInfo {
    int band;               /* index in the grade's bands */
    int rank;               /* 1 = first */
    int places;
    int competitors;
    bool kept;
    int vetoed;             /* the veto that decided the grade, or -1 */
} QuotaInfo;

/* After a unit of a rubric with grade quotas was scored: how the quota of
** grade g placed it. false when g has no quota. */
bool eval_quota_info(Eval *ev, int grade, int unit, QuotaInfo *out);

/* A param's value in a period, as evaluated. */
Value eval_param(const Eval *ev, int param, int period);

#endif
