/*
** trace.h — what the traced VM records while it scores one unit. Every chunk
** it runs (an item, a let, a result, a grade, an outcome) gets a node: the
** values it read (fact cells, params, table cells, lets and results with
** their own nodes, cohort lists), the conditions it tested, and what each
** step did to the score. The plain VM records nothing; explain and report
** only read these nodes.
*/
#ifndef KAOHE_TRACE_H
#define KAOHE_TRACE_H

#include "program.h"

typedef enum TraceKind { TN_ITEM, TN_LET, TN_RESULT, TN_GRADE, TN_OUTCOME, TN_OTHER } TraceKind;

typedef enum ReadKind {
    RD_FACT,          /* a = fact column, period */
    RD_PARAM,         /* a = param, period */
    RD_TABLE,         /* a = table, b = column */
    RD_LET,           /* a = let, period: node in UnitTrace.lets */
    RD_UNIT_ATTR,     /* a = attribute */
    RD_PERIOD_SCORE,  /* period */
    RD_RESULT,        /* a = result */
    RD_GRADE,         /* a = grade */
    RD_OUTCOME,       /* a = outcome */
    RD_COHORT,        /* a = cohort; v is the list */
    RD_RANK           /* a = order (RANK_*), b = the place; v is the list ranked */
} ReadKind;

typedef struct TraceRead {
    ReadKind kind;
    uint32_t pc;            /* the reading instruction in the node's chunk */
    int a, b, period;
    Value v;
} TraceRead;

/* A step that ran to its end and changed the running score. */
typedef struct TraceStep {
    int step;               /* index into the item's StepInfo */
    Num before, amount, after;
} TraceStep;

/* A conditional jump: the value of the condition it tested. */
typedef struct TraceBranch {
    uint32_t pc;
    bool value;
} TraceBranch;

typedef struct TraceNode {
    TraceKind kind;
    int index;              /* item, let, result, grade or outcome number */
    int unit, period;       /* period -1 for per-unit values */
    const Chunk *chunk;
    TraceRead *reads; int nreads, creads;
    TraceStep *steps; int nsteps, csteps;
    TraceBranch *branches; int nbranches, cbranches;
    Num start, raw;         /* items: the starting score and the score before clamping */
    Value value;            /* what the chunk produced (items: clamped and rounded) */
} TraceNode;

/* Every node of one unit, by what it computed. */
typedef struct UnitTrace {
    int unit;
    TraceNode **items;      /* [period * nitems + item] */
    TraceNode **lets;       /* [period * nlets + let], NULL where not read */
    TraceNode **results, **grades, **outcomes;
} UnitTrace;

UnitTrace *trace_new(const Program *p, int unit);

/* Used by the traced VM. */
void trace_read(TraceNode *n, ReadKind kind, uint32_t pc, int a, int b, int period, Value v);
void trace_step(TraceNode *n, int step, Num before, Num amount, Num after);
void trace_branch(TraceNode *n, uint32_t pc, bool value);

/* The branch recorded at pc, if the condition there was tested. */
bool trace_branch_at(const TraceNode *n, uint32_t pc, bool *value);

#endif
