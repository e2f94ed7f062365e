/*
** trace.c — the records of the traced VM (trace.h). Appending only: the
** nodes are built while a unit is scored and read afterwards.
*/
#include <gc.h>
#include <string.h>

#include "trace.h"

static void *grow(void *arr, int *cap, int need, size_t elem)
{
    if (need <= *cap) return arr;
    int ncap = *cap ? *cap * 2 : 8;
    while (ncap < need) ncap *= 2;
    void *fresh = GC_MALLOC(elem * (size_t)ncap);
    if (*cap) memcpy(fresh, arr, elem * (size_t)*cap);
    *cap = ncap;
    return fresh;
}

UnitTrace *trace_new(const Program *p, int unit)
{
    UnitTrace *t = GC_NEW(UnitTrace);
    size_t np = (size_t)p->nperiods;
    t->unit = unit;
    t->items = GC_MALLOC(sizeof(TraceNode *) * (np * (size_t)p->nitems + 1));
    t->lets = GC_MALLOC(sizeof(TraceNode *) * (np * (size_t)p->nlets + 1));
    t->results = GC_MALLOC(sizeof(TraceNode *) * ((size_t)p->nresults + 1));
    t->grades = GC_MALLOC(sizeof(TraceNode *) * ((size_t)p->ngrades + 1));
    t->outcomes = GC_MALLOC(sizeof(TraceNode *) * ((size_t)p->noutcomes + 1));
    return t;
}

void trace_read(TraceNode *n, ReadKind kind, uint32_t pc, int a, int b, int period, Value v)
{
    n->reads = grow(n->reads, &n->creads, n->nreads + 1, sizeof *n->reads);
    n->reads[n->nreads++] = (TraceRead){ kind, pc, a, b, period, v };
}

void trace_step(TraceNode *n, int step, Num before, Num amount, Num after)
{
    n->steps = grow(n->steps, &n->csteps, n->nsteps + 1, sizeof *n->steps);
    n->steps[n->nsteps++] = (TraceStep){ step, before, amount, after };
}

void trace_branch(TraceNode *n, uint32_t pc, bool value)
{
    n->branches = grow(n->branches, &n->cbranches, n->nbranches + 1, sizeof *n->branches);
    n->branches[n->nbranches++] = (TraceBranch){ pc, value };
}

bool trace_branch_at(const TraceNode *n, uint32_t pc, bool *value)
{
    for (int i = 0; i < n->nbranches; i++)
        if (n->branches[i].pc == pc) {
            *value = n->branches[i].value;
            return true;
        }
    return false;
}
