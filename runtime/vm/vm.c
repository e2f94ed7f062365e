/*
** vm.c — the bytecode interpreter and the order of evaluation.
** A unit is scored period by period: each item's chunk runs once, lets are
** computed on first read and kept for the unit-period, and an item that a
** cohort reads (item 8 of units where …) is kept across units, computed on
** demand — so a cohort's values are ready before any unit needs the mean,
** and a real cycle is reported instead of looping. Results, grades and
** outcomes run last, over the period scores.
** Runtime errors leave by one path (below, "errors"): the position is the
** failing instruction's, looked up in its chunk's line table, and the run
** longjmps back to its driver. The dispatch loop keeps ip and the stack top
** in locals and stores the instruction into ev->at only before arithmetic,
** which num.c may stop for a number past its size limit.
*/
#include <gc.h>
#if defined(__SSE2__)
#include <emmintrin.h>   /* vm_batch.h: 16 yes/no cells compared at once */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "trace.h"
#include "vm.h"
#include "xlsx_book.h"

/* Deep enough for any chain of lets reading lets; checked on every entry. */
#define STACK_VALUES 65536

enum { MEMO_TODO = 0, MEMO_BUSY = 1, MEMO_DONE = 2 };

/* An instruction: a chunk and a code address in it. Where a runtime error
** happened; turned into a source position (the line table) only when an
** error is raised, never on the path that succeeds. */
typedef struct At {
    const Chunk *chunk;
    const uint8_t *ip;
} At;

/* No instruction: a value asked for by the caller, not by a rule. A named
** constant, not a compound literal, since a literal's stack slot after
** setjmp is one the compiler may warn could be clobbered. */
static const At AT_CALLER = { NULL, NULL };

/* What one unit-period keeps while it is scored. */
typedef struct Frame {
    int unit, period;
    Value *lets;
    uint8_t *let_state;
    struct Frame *set;          /* the frames of every period of this unit, or NULL */
} Frame;

typedef Value (*RunFn)(Eval *ev, const Chunk *ch, Frame *fr, const ItemDef *item);

struct Eval {
    const Program *p;
    const FactData *f;
    Value *stack;
    int sp;
    jmp_buf *on_error;
    /* the unit being scored and its per-unit memo */
    int unit;
    Num *period_scores;
    Value *results, *grades, *outcomes;
    uint8_t *result_state, *grade_state, *outcome_state;
    Frame *frames;               /* one per period, reused for each unit */
    long steps_left;             /* of EVAL_MAX_STEPS, for the unit being scored */
    At at;                       /* the instruction running, as of the last sync (vm_loop.h SYNC):
                                 ** where num.c's size limit, raised inside num.c, points */
    /* across units: [memo slot][period][unit] */
    Num *memo_vals;
    uint8_t *memo_state;
    /* cohort lists per [cohort][period] */
    NumList **cohort_lists;
    Value *self_vals;         /* [nself] 本单位.X of the unit reading a list (SELF) */
    uint8_t *cohort_state;
    Value *param_vals;           /* [param * nperiods + period] */
    int scoring_unit, scoring_period;   /* for the error's context line */
    bool facts_error;            /* the last error was a blank fact cell */
    const uint8_t *only_items;   /* [nitems] or NULL: see eval_only_items */
    RunFn run;                   /* run_plain, or run_traced while a unit is traced */
    UnitTrace *trace;            /* the unit being traced */
    struct Batch *batch;         /* scores units 64 at a time (vm_batch.h) */
    jmp_buf *batch_abort;        /* while it scores a group: where a limit abandons it */
    long units_alone;            /* see eval_units_alone */
    /* grade quotas (vm_quota.h): every unit's grade, found once before any
    ** unit is graded; [grade * units + unit] */
    int *quota_final;
    QuotaInfo *quota_info;
    uint8_t *quota_state;        /* [ngrades] MEMO_* */
    bool quota_ready;
};

/* ---- errors ---------------------------------------------------------------- */

/* The one path out of a run that failed. Every runtime error about a rule
** (vm_error), a blank cell a rule reads (read_fact) and a number past the
** size limit (number_too_large) takes its position from the instruction
** that failed, through its chunk's line table, and leaves through
** vm_unwind to the driver's setjmp (eval_unit, eval_params, eval_for_unit). */

/* The source span of an instruction; none for AT_CALLER. */
static Loc at_loc(At at)
{
    return at.chunk ? chunk_loc_at(at.chunk, (uint32_t)(at.ip - at.chunk->code)) : (Loc){ NULL, 0, 0 };
}

static void vm_unwind(Eval *ev) __attribute__((noreturn));
static void vm_unwind(Eval *ev)
{
    longjmp(*ev->on_error, 1);
}

/* The message at loc, then which unit and period was being scored. */
static void vm_verror(Eval *ev, Loc loc, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0), noreturn));
static void vm_verror(Eval *ev, Loc loc, const char *hint, const char *fmt, va_list ap)
{
    diag_vat(DIAG_ERROR, loc, hint, fmt, ap);
    const Program *p = ev->p;
    if (ev->scoring_unit >= 0) {
        if (ev->scoring_period >= 0)
            diag_plain(DIAG_NOTE, NULL, "while scoring %s, period %s", p->units->names[ev->scoring_unit],
                       p->periods[ev->scoring_period]);
        else
            diag_plain(DIAG_NOTE, NULL, "while scoring %s", p->units->names[ev->scoring_unit]);
    }
    vm_unwind(ev);
}

/* An error raised by the instruction at. */
static void vm_error(Eval *ev, At at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));
static void vm_error(Eval *ev, At at, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vm_verror(ev, at_loc(at), hint, fmt, ap);
}

/* An error found before any instruction of the rule ran (an item whose
** cohort reaches itself): at the rule's declaration. */
static void vm_error_decl(Eval *ev, Loc decl, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));
static void vm_error_decl(Eval *ev, Loc decl, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vm_verror(ev, decl, hint, fmt, ap);
}

/* ---- reading data ------------------------------------------------------------- */

static Value read_fact(Eval *ev, int col, int unit, int period, At at)
{
    const FactColumn *c = &ev->f->cols[col];
    size_t cell = fact_cell(ev->f, unit, period);
    switch (c->type) {
    case FT_BOOL:
        if (c->small[cell] != FACT_BLANK) return val_bool(c->small[cell] != 0);
        break;
    case FT_ENUM:
        if (c->small[cell] != FACT_BLANK) return val_enum(c->small[cell]);
        break;
    case FT_TEXT:
        if (c->text[cell]) return val_text(c->text[cell]);
        break;
    default: {
        Num n;
        if (fact_num(c, cell, &n)) return val_num(n);
        break;
    }
    }
    /* the cell as the officer finds it: sheet!K10 in a workbook, the
    ** column's letter in a CSV file */
    const char *column = ev->p->schema.cols[col].column;
    const FactData *f = ev->f;
    long row = f->row_of[cell];
    int csv_col = f->cols[col].csv_col;
    const char *hint = "fill in the cell; a blank is allowed only where no rule reads it";
    if (f->sheet && row > 0 && csv_col > 0)
        diag_cell(DIAG_ERROR, gc_printf("%s %s", xlsx_cell_name(f->path, f->sheet, csv_col - 1, row), column), 0,
                  NULL, NULL, hint, "the cell is blank, but a rule reads it");
    else
        diag_cell(DIAG_ERROR, f->path, row,
                  row > 0 && csv_col > 0 ? gc_printf("%s %s", column_letters(csv_col), column) : column,
                  NULL, hint, "the cell is blank, but a rule reads it");
    diag_at(DIAG_NOTE, at_loc(at), NULL, "read here, for %s, period %s", ev->p->units->names[unit],
            ev->p->periods[period]);
    ev->facts_error = true;
    vm_unwind(ev);
}

static Frame *frame_new(const Program *p, int unit, int period)
{
    Frame *fr = GC_NEW(Frame);
    fr->unit = unit;
    fr->period = period;
    fr->lets = GC_MALLOC(sizeof(Value) * (size_t)(p->nlets + 1));
    fr->let_state = GC_MALLOC_ATOMIC((size_t)p->nlets + 1);
    memset(fr->let_state, 0, (size_t)p->nlets + 1);
    return fr;
}

/* One frame per period for one unit at a time: a let is computed once per
** unit-period even when another period reads it (年度.x). A fresh frame
** per such read made a chain of lets reading each other's 年度 value
** exponential: forty of them never finished. */
static Frame *frame_set_new(const Program *p)
{
    Frame *set = GC_MALLOC(sizeof(Frame) * (size_t)p->nperiods);
    for (int i = 0; i < p->nperiods; i++) {
        set[i] = *frame_new(p, -1, i);
        set[i].set = set;
    }
    return set;
}

static void frame_set_reset(const Program *p, Frame *set, int unit)
{
    for (int i = 0; i < p->nperiods; i++) {
        set[i].unit = unit;
        memset(set[i].let_state, 0, (size_t)p->nlets + 1);
    }
}

/* The frame of this unit in period b, for a let read as 年度.x. */
static Frame *period_frame(Eval *ev, Frame *fr, int unit, int b)
{
    Frame *f = fr && fr->set ? &fr->set[b] : &ev->frames[b];
    if (f->unit != unit) {
        f->unit = unit;
        memset(f->let_state, 0, (size_t)ev->p->nlets + 1);
    }
    return f;
}

static void out_of_steps(Eval *ev, const Chunk *ch, const uint8_t *at)
    __attribute__((noreturn, cold));

/* Every way evaluation can take long passes a chunk's entry or a loop's
** back jump, where the budget is counted; so no rule file hangs the VM. */
static void out_of_steps(Eval *ev, const Chunk *ch, const uint8_t *at)
{
    vm_error(ev, (At){ ch, at ? at : ch->code },
             at ? "check the ends of the 'for … in' range: one may come from a wrong fact or param"
                : "lets, items and cohorts read each other so often that scoring would not end",
             "scoring one unit takes more than %s steps (a step is one run of a rule or one turn of a loop)",
             EVAL_MAX_STEPS_TEXT);
}

/* The evaluation num.c reports an oversized number to, while one runs
** (num.c's handler takes no argument). */
static Eval *running;

static void number_too_large(void) __attribute__((noreturn));
static void number_too_large(void)
{
    Eval *ev = running;
    if (ev->batch_abort) longjmp(*ev->batch_abort, 1);   /* run_plain says where */
    vm_error(ev, ev->at,
             "round the value before it is multiplied again, e.g. round(x, 4, half_up)",
             "a number grew too large to keep exact (over 315,000 digits)");
}

/* Marks the start and end of an evaluation: the step budget restarts, and
** num.c's size limit reports to this evaluation only while it runs. */
static void eval_begin(Eval *ev)
{
    ev->steps_left = EVAL_MAX_STEPS;
    ev->at = AT_CALLER;
    running = ev;
    num_set_too_large(number_too_large);
}

static void eval_end(void)
{
    num_set_too_large(NULL);
    running = NULL;
}

static Value run_plain(Eval *ev, const Chunk *ch, Frame *fr, const ItemDef *item);

static Value get_let(Eval *ev, Frame *fr, int i, At at)
{
    if (fr->let_state[i] == MEMO_DONE) return fr->lets[i];
    if (fr->let_state[i] == MEMO_BUSY)
        vm_error(ev, at, NULL, "let '%s' depends on itself", ev->p->lets[i].name);
    fr->let_state[i] = MEMO_BUSY;
    fr->lets[i] = ev->run(ev, ev->p->lets[i].chunk, fr, NULL);
    fr->let_state[i] = MEMO_DONE;
    return fr->lets[i];
}

static Num item_score(Eval *ev, int unit, int period, int i, Frame *fr)
{
    const Program *p = ev->p;
    const ItemDef *item = &p->items[i];
    if (item->memo < 0)
        return ev->run(ev, item->chunk, fr, item).as.num;
    size_t at = ((size_t)item->memo * (size_t)p->nperiods + (size_t)period) * (size_t)p->units->n + (size_t)unit;
    if (ev->memo_state[at] == MEMO_DONE) return ev->memo_vals[at];
    if (ev->memo_state[at] == MEMO_BUSY)
        vm_error_decl(ev, item->loc, "an item's cohort must not include the unit being scored",
                 "item %s of %s depends on itself", item->id, p->units->names[unit]);
    ev->memo_state[at] = MEMO_BUSY;
    Num n = ev->run(ev, item->chunk, fr, item).as.num;
    ev->memo_vals[at] = n;
    ev->memo_state[at] = MEMO_DONE;
    return n;
}

/* ---- ranks ---------------------------------------------------------------------- */

static int num_desc(const void *a, const void *b)
{
    return num_cmp(*(const Num *)b, *(const Num *)a);
}

/* The list sorted best first, once (a list is shared by a period's units). */
static void list_sort(NumList *l)
{
    if (l->desc) return;
    Num *d = GC_MALLOC_ATOMIC(sizeof(Num) * (size_t)l->n + 1);
    if (l->n) memcpy(d, l->items, sizeof(Num) * (size_t)l->n);
    qsort(d, (size_t)l->n, sizeof(Num), num_desc);
    Num *u = GC_MALLOC_ATOMIC(sizeof(Num) * (size_t)l->n + 1);
    int nu = 0;
    for (int i = 0; i < l->n; i++)
        if (nu == 0 || num_cmp(u[nu - 1], d[i]) != 0) u[nu++] = d[i];
    l->distinct = u;
    l->ndistinct = nu;
    l->desc = d;
}

/* How many of the n values of d (best first) come before v: are above it
** (highest first) or below it (lowest first). A binary search. */
static int places_before(const Num *d, int n, Num v, bool lowest_first)
{
    int lo = 0, hi = n;   /* highest first: the first index whose value is <= v */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = num_cmp(d[mid], v);
        if (lowest_first ? c >= 0 : c > 0) lo = mid + 1;
        else hi = mid;
    }
    /* lowest first: lo is the first index whose value is < v */
    return lowest_first ? n - lo : lo;
}

/* Is unit among the units of list l (in unit order)? A rank places only
** a unit its list holds: ranking one the where left out would compare it
** with units it is not measured against. */
static bool list_has_unit(const NumList *l, int unit)
{
    int lo = 0, hi = l->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (l->units[mid] < unit) lo = mid + 1;
        else hi = mid;
    }
    return lo < l->n && l->units[lo] == unit;
}

/* RANK: the place of v among the list's values; 1 is the best. */
static Num list_rank(NumList *l, Num v, int order)
{
    list_sort(l);
    bool low = order & RANK_LOWEST_FIRST;
    int before = order & RANK_DENSE ? places_before(l->distinct, l->ndistinct, v, low)
                                    : places_before(l->desc, l->n, v, low);
    return num_int(before + 1);
}

/* MAX_LIST, MIN_LIST: the largest or smallest of a list; an empty list
** has neither. */
static Num list_end(Eval *ev, NumList *l, bool largest, At at)
{
    if (l->n == 0)
        vm_error(ev, at, "guard it: when count(… of units where …) > 0 { … }",
                 "the %s of an empty list: no unit is in it", largest ? "largest" : "smallest");
    list_sort(l);
    return l->desc[largest ? 0 : l->n - 1];
}

/* The value at share (0..1) of a non-empty list, by nearest rank. */
static Num percentile_of(NumList *l, Num share)
{
    list_sort(l);
    int64_t k = 0;
    num_to_int64(num_round(num_mul(share, num_int(l->n)), 0, ROUND_CEILING), &k);
    if (k < 1) k = 1;
    return l->desc[l->n - k];      /* desc is highest first: the k-th lowest */
}

/* PERCENTILE: nearest rank, no interpolation (a notice's 前20%): the
** smallest value with at least a share p of the values at or below it,
** the ceil(p × n)-th from the lowest (the lowest for p = 0). */
static Num list_percentile(Eval *ev, NumList *l, Num share, At at)
{
    if (l->n == 0)
        vm_error(ev, at, "guard it: when count(… of units where …) > 0 { … }",
                 "the percentile of an empty list: no unit is in it");
    if (num_sign(share) < 0 || num_cmp(share, num_int(1)) > 0)
        vm_error(ev, at, "write the share as a percentage, e.g. percentile(完成率 of units, 80%)",
                 "a percentile's share is %s%%, not between 0%% and 100%%",
                 num_to_string(num_mul(share, num_int(100))));
    return percentile_of(l, share);
}

static NumList *cohort_list(Eval *ev, int k, int period, At from)
{
    const Program *p = ev->p;
    if (p->cohorts[k].unit_level) {      /* made by the pass over all units (vm_quota.h) */
        size_t at = (size_t)k * (size_t)p->nperiods;
        if (ev->cohort_state[at] != MEMO_DONE)
            vm_error(ev, from, "a list in a result must not depend on itself",
                     "this list of units is read before it is made");
        return ev->cohort_lists[at];
    }
    size_t at = (size_t)k * (size_t)p->nperiods + (size_t)period;
    if (ev->cohort_state[at] == MEMO_DONE && !p->cohorts[k].per_reader) return ev->cohort_lists[at];
    if (ev->cohort_state[at] == MEMO_BUSY)
        vm_error(ev, from, NULL, "this comparison across units depends on itself");
    ev->cohort_state[at] = MEMO_BUSY;
    const CohortDef *cd = &p->cohorts[k];
    NumList *l = GC_NEW(NumList);
    l->items = GC_MALLOC(sizeof(Num) * (size_t)p->units->n + 1);
    l->units = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)p->units->n + 1);
    Frame *set = frame_set_new(p);         /* scratch frames, reset per unit */
    Frame *fr = &set[period];
    RunFn saved_run = ev->run;             /* other units' items are not traced */
    int traced = ev->trace ? ev->trace->unit : -1;
    long saved_steps = ev->steps_left;     /* each unit's work is its own */
    At saved_at = ev->at;
    for (int u = 0; u < p->units->n; u++) {
        frame_set_reset(p, set, u);
        ev->steps_left = EVAL_MAX_STEPS;
        ev->run = run_plain;
        if (cd->cond && !run_plain(ev, cd->cond, fr, NULL).as.b) continue;
        /* the traced unit's own item, first scored here, is recorded as if
        ** scored in its turn: its memo keeps it, so this is its one run */
        if (u == traced) ev->run = saved_run;
        l->items[l->n] = cd->item >= 0 ? item_score(ev, u, period, cd->item, fr)
                                       : run_plain(ev, cd->value, fr, NULL).as.num;
        l->units[l->n] = u;
        l->n++;
    }
    ev->steps_left = saved_steps;
    ev->at = saved_at;
    ev->run = saved_run;
    ev->cohort_lists[at] = l;
    ev->cohort_state[at] = MEMO_DONE;
    return l;
}

static Value unit_value(Eval *ev, int kind, int i, At at);
static Value quota_grade(Eval *ev, int g, int unit, At at);
static void score_period(Eval *ev, int unit, int period, UnitScores *out);

/* ---- the interpreter --------------------------------------------------------- */

static inline Num finish_item(const Program *p, const ItemDef *item, Num acc, int unit)
{
    if (num_sign(acc) < 0) acc = num_int(0);
    if (item->has_points) {
        Num pts = item_points(item, unit);   /* points by 类型: the unit's own */
        if (num_cmp(acc, pts) > 0) acc = pts;
    }
    if (p->round_items) acc = num_round(acc, p->round_places, p->round_mode);
    return acc;
}

/* The interpreter loop is written once, in vm_loop.h, and compiled twice:
** run_plain records nothing; run_traced also fills the unit's trace (a
** node per chunk run, its reads, branches and steps). Which one runs is
** chosen per evaluation (ev->run), never tested per instruction. */
#define VM_TRACED 0
#define VM_RUN run_plain
#include "vm_loop.h"
#undef VM_TRACED
#undef VM_RUN

/* The node of a traced chunk, filed in the unit's trace by what it computes. */
static TraceNode *trace_begin(Eval *ev, const Chunk *ch, const Frame *fr, const ItemDef *item)
{
    const Program *p = ev->p;
    UnitTrace *t = ev->trace;
    TraceNode *n = GC_NEW(TraceNode);
    n->chunk = ch;
    n->unit = fr ? fr->unit : ev->unit;
    n->period = fr ? fr->period : -1;
    n->kind = TN_OTHER;
    n->index = -1;
    if (item) {
        n->kind = TN_ITEM;
        n->index = (int)(item - p->items);
        t->items[(size_t)n->period * (size_t)p->nitems + (size_t)n->index] = n;
        return n;
    }
    for (int i = 0; i < p->nlets; i++)
        if (p->lets[i].chunk == ch) {
            n->kind = TN_LET;
            n->index = i;
            t->lets[(size_t)n->period * (size_t)p->nlets + (size_t)i] = n;
            return n;
        }
    const ValueDef *defs[3] = { p->results, p->grades, p->outcomes };
    int counts[3] = { p->nresults, p->ngrades, p->noutcomes };
    TraceNode **slots[3] = { t->results, t->grades, t->outcomes };
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < counts[k]; i++)
            if (defs[k][i].chunk == ch) {
                n->kind = (TraceKind)(TN_RESULT + k);
                n->index = i;
                slots[k][i] = n;
                return n;
            }
    return n;
}

#define VM_TRACED 1
#define VM_RUN run_traced
#include "vm_loop.h"
#undef VM_TRACED
#undef VM_RUN

/* Grade quotas: the pass over all units before any is graded. */
#include "vm_quota.h"

/* The batch interpreter: eval_unit's fast path when tracing is off. Three
** parts, in this order: lanes and control flow, lane arithmetic, the loop. */
#include "vm_batch.h"
#include "vm_batch_lanes.h"
#include "vm_batch_run.h"

/* results (0), grades (1), outcomes (2) of the unit being scored */
static Value unit_value(Eval *ev, int kind, int i, At at)
{
    const Program *p = ev->p;
    Value *vals = kind == 0 ? ev->results : kind == 1 ? ev->grades : ev->outcomes;
    uint8_t *state = kind == 0 ? ev->result_state : kind == 1 ? ev->grade_state : ev->outcome_state;
    const ValueDef *d = kind == 0 ? &p->results[i] : kind == 1 ? &p->grades[i] : &p->outcomes[i];
    if (state[i] == MEMO_DONE) return vals[i];
    if (state[i] == MEMO_BUSY) vm_error(ev, at, NULL, "'%s' depends on itself", d->name);
    state[i] = MEMO_BUSY;
    vals[i] = ev->run(ev, d->chunk, NULL, NULL);
    state[i] = MEMO_DONE;
    return vals[i];
}

/* ---- driver ---------------------------------------------------------------- */

bool eval_failed_on_facts(const Eval *ev)
{
    return ev->facts_error;
}

Value eval_param(const Eval *ev, int param, int period)
{
    return ev->param_vals[(size_t)param * (size_t)ev->p->nperiods + (size_t)period];
}

Eval *eval_new(const Program *p, const FactData *facts)
{
    Eval *ev = GC_NEW(Eval);
    ev->p = p;
    ev->f = facts;
    ev->stack = GC_MALLOC(sizeof(Value) * STACK_VALUES);
    ev->unit = -1;
    ev->run = run_plain;
    ev->scoring_unit = -1;
    ev->scoring_period = -1;
    size_t nu = (size_t)p->units->n, np = (size_t)p->nperiods;
    /* scanned: a Num in big form holds a pointer the GC must see */
    ev->period_scores = GC_MALLOC(sizeof(Num) * np);
    ev->results = GC_MALLOC(sizeof(Value) * (size_t)(p->nresults + 1));
    ev->grades = GC_MALLOC(sizeof(Value) * (size_t)(p->ngrades + 1));
    ev->outcomes = GC_MALLOC(sizeof(Value) * (size_t)(p->noutcomes + 1));
    ev->result_state = GC_MALLOC_ATOMIC((size_t)p->nresults + 1);
    ev->grade_state = GC_MALLOC_ATOMIC((size_t)p->ngrades + 1);
    ev->outcome_state = GC_MALLOC_ATOMIC((size_t)p->noutcomes + 1);
    size_t nmemo = (size_t)p->nmemo * np * nu;
    ev->memo_vals = GC_MALLOC(sizeof(Num) * (nmemo + 1));
    ev->memo_state = GC_MALLOC_ATOMIC(nmemo + 1);
    memset(ev->memo_state, 0, nmemo + 1);
    size_t ncoh = (size_t)p->ncohorts * np;
    ev->cohort_lists = GC_MALLOC(sizeof(NumList *) * (ncoh + 1));
    ev->self_vals = GC_MALLOC(sizeof(Value) * ((size_t)p->nself + 1));
    ev->cohort_state = GC_MALLOC_ATOMIC(ncoh + 1);
    memset(ev->cohort_state, 0, ncoh + 1);
    ev->frames = frame_set_new(p);
    ev->param_vals = GC_MALLOC(sizeof(Value) * ((size_t)p->nparams * np + 1));
    ev->quota_final = GC_MALLOC_ATOMIC(sizeof(int) * ((size_t)p->ngrades * nu + 1));
    ev->quota_info = GC_MALLOC_ATOMIC(sizeof(QuotaInfo) * ((size_t)p->ngrades * nu + 1));
    ev->quota_state = GC_MALLOC_ATOMIC((size_t)p->ngrades + 1);
    return eval_params(ev) ? ev : NULL;
}

bool eval_params(Eval *ev)
{
    const Program *p = ev->p;
    size_t np = (size_t)p->nperiods;
    batch_forget(ev);
    ev->quota_ready = false;
    jmp_buf jb;
    ev->on_error = &jb;
    ev->sp = 0;
    if (setjmp(jb)) {
        eval_end();
        return false;
    }
    eval_begin(ev);
    for (int k = 0; k < p->nparams; k++) {
        int i = p->param_order[k];   /* a param may read one declared after it */
        for (size_t per = 0; per < np; per++) {
            Frame fr = { -1, (int)per, NULL, NULL, NULL };
            ev->param_vals[(size_t)i * np + per] = run_plain(ev, p->params[i].chunk, &fr, NULL);
        }
    }
    eval_end();
    return true;
}

void eval_only_items(Eval *ev, const uint8_t *items)
{
    ev->only_items = items;
}

void eval_reset(Eval *ev)
{
    const Program *p = ev->p;
    size_t np = (size_t)p->nperiods;
    memset(ev->memo_state, 0, (size_t)p->nmemo * np * (size_t)p->units->n + 1);
    memset(ev->cohort_state, 0, (size_t)p->ncohorts * np + 1);
    batch_forget(ev);
    ev->quota_ready = false;
}

UnitScores *eval_scores_new(const Program *p)
{
    UnitScores *s = GC_NEW(UnitScores);
    size_t np = (size_t)p->nperiods;
    s->items = GC_MALLOC(sizeof(Num) * (np * (size_t)p->nitems + 1));
    s->sections = GC_MALLOC(sizeof(Num) * (np * (size_t)p->nsections + 1));
    s->periods = GC_MALLOC(sizeof(Num) * (np + 1));
    s->results = GC_MALLOC(sizeof(Value) * (size_t)(p->nresults + 1));
    s->grades = GC_MALLOC(sizeof(Value) * (size_t)(p->ngrades + 1));
    s->outcomes = GC_MALLOC(sizeof(Value) * (size_t)(p->noutcomes + 1));
    return s;
}

static void score_period(Eval *ev, int unit, int period, UnitScores *out)
{
    const Program *p = ev->p;
    Frame *fr = period_frame(ev, NULL, unit, period);
    ev->scoring_period = period;
    Num total = num_int(0);
    for (int s = 0; s < p->nsections; s++) {
        const SectionDef *sec = &p->sections[s];
        Num *section = &out->sections[(size_t)period * (size_t)p->nsections + (size_t)s];
        /* only_items: a section none of whose items is scored again keeps its sum */
        bool again = !ev->only_items;
        for (int i = sec->first_item; i < sec->first_item + sec->nitems && !again; i++) again = ev->only_items[i];
        Num sum = again ? num_int(0) : *section;
        for (int i = sec->first_item; i < sec->first_item + sec->nitems && again; i++) {
            Num *slot = &out->items[(size_t)period * (size_t)p->nitems + (size_t)i];
            Num v = ev->only_items && !ev->only_items[i] ? *slot : item_score(ev, unit, period, i, fr);
            *slot = v;
            sum = num_add(sum, v);
        }
        if (sec->has_cap && num_cmp(sum, sec->cap) > 0) sum = sec->cap;
        *section = sum;
        total = sec->kind == SEC_PENALTY ? num_sub(total, sum) : num_add(total, sum);
    }
    out->periods[period] = total;
    ev->period_scores[period] = total;
}

bool eval_unit(Eval *ev, int unit, UnitScores *out)
{
    const Program *p = ev->p;
    if (!quota_ensure(ev)) return false;
    /* only_items merges with the caller's scores: one unit at a time */
    if (ev->run == run_plain && !ev->only_items && batch_scores(ev, unit, out)) return true;
    ev->units_alone++;
    jmp_buf jb;
    ev->on_error = &jb;
    ev->sp = 0;
    if (setjmp(jb)) {
        eval_end();
        ev->scoring_unit = -1;
        return false;
    }
    eval_begin(ev);
    ev->unit = unit;
    ev->scoring_unit = unit;
    frame_set_reset(p, ev->frames, unit);
    for (int per = 0; per < p->nperiods; per++)
        score_period(ev, unit, per, out);
    ev->scoring_period = -1;
    memset(ev->result_state, 0, (size_t)p->nresults + 1);
    memset(ev->grade_state, 0, (size_t)p->ngrades + 1);
    memset(ev->outcome_state, 0, (size_t)p->noutcomes + 1);
    for (int i = 0; i < p->nresults; i++) out->results[i] = unit_value(ev, 0, i, AT_CALLER);
    for (int i = 0; i < p->ngrades; i++) out->grades[i] = unit_value(ev, 1, i, AT_CALLER);
    for (int i = 0; i < p->noutcomes; i++) out->outcomes[i] = unit_value(ev, 2, i, AT_CALLER);
    eval_end();
    ev->scoring_unit = -1;
    return true;
}

long eval_units_alone(const Eval *ev)
{
    return ev->units_alone;
}

long eval_batch_dropped(const Eval *ev)
{
    return ev->batch ? ev->batch->dropped : 0;
}

bool eval_unit_traced(Eval *ev, int unit, UnitScores *out, UnitTrace *trace)
{
    const Program *p = ev->p;
    if (!quota_ensure(ev)) return false;   /* before this unit's memos are forgotten */
    /* An item kept across units may already be known for this unit (a
    ** cohort read it); forget it so that its derivation is recorded. The
    ** cohort lists stay: they hold other units' values, not this one's. */
    for (int i = 0; i < p->nitems; i++) {
        if (p->items[i].memo < 0) continue;
        for (int per = 0; per < p->nperiods; per++)
            ev->memo_state[((size_t)p->items[i].memo * (size_t)p->nperiods + (size_t)per) * (size_t)p->units->n +
                           (size_t)unit] = MEMO_TODO;
    }
    ev->trace = trace;
    ev->run = run_traced;
    bool ok = eval_unit(ev, unit, out);
    ev->run = run_plain;
    ev->trace = NULL;
    return ok;
}

bool eval_for_unit(Eval *ev, int unit, const Chunk *ch, Value *out)
{
    if (!quota_ensure(ev)) return false;
    jmp_buf jb;
    ev->on_error = &jb;
    ev->sp = 0;
    if (setjmp(jb)) {
        eval_end();
        ev->scoring_unit = -1;
        return false;
    }
    eval_begin(ev);
    ev->unit = unit;
    ev->scoring_unit = unit;
    frame_set_reset(ev->p, ev->frames, unit);   /* the batch scores lets elsewhere */
    *out = run_plain(ev, ch, NULL, NULL);
    eval_end();
    ev->scoring_unit = -1;
    return true;
}
