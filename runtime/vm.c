/*
** vm.c — the bytecode interpreter and the order of evaluation.
** A unit is scored period by period: each item's chunk runs once, lets are
** computed on first read and kept for the unit-period, and an item that a
** cohort reads (item 8 of units where …) is kept across units, computed on
** demand — so a cohort's values are ready before any unit needs the mean,
** and a real cycle is reported instead of looping. Results, grades and
** outcomes run last, over the period scores.
** Runtime errors go through one function, vm_error, which longjmps back to
** eval_unit. The dispatch loop keeps ip and the stack top in locals.
*/
#include <gc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vm.h"

/* Deep enough for any chain of lets reading lets; checked on every entry. */
#define STACK_VALUES 65536

enum { MEMO_TODO = 0, MEMO_BUSY = 1, MEMO_DONE = 2 };

/* What one unit-period keeps while it is scored. */
typedef struct Frame {
    int unit, period;
    Value *lets;
    uint8_t *let_state;
} Frame;

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
    Frame frame;                 /* reused for each period of the unit */
    /* across units: [memo slot][period][unit] */
    Num *memo_vals;
    uint8_t *memo_state;
    /* cohort lists per [cohort][period] */
    NumList **cohort_lists;
    uint8_t *cohort_state;
    Value *param_vals;           /* [param * nperiods + period] */
    int scoring_unit, scoring_period;   /* for the error's context line */
    bool facts_error;            /* the last error was a blank fact cell */
    StepObserver observer;       /* rule tests: told at every OP_NOTE */
    void *observer_ctx;
};

/* ---- errors ---------------------------------------------------------------- */

static void vm_error(Eval *ev, Loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));

static void vm_error(Eval *ev, Loc loc, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(DIAG_ERROR, loc, hint, fmt, ap);
    va_end(ap);
    const Program *p = ev->p;
    if (ev->scoring_unit >= 0) {
        if (ev->scoring_period >= 0)
            diag_plain(DIAG_NOTE, NULL, "while scoring %s, period %s", p->units->names[ev->scoring_unit],
                       p->periods[ev->scoring_period]);
        else
            diag_plain(DIAG_NOTE, NULL, "while scoring %s", p->units->names[ev->scoring_unit]);
    }
    longjmp(*ev->on_error, 1);
}

/* ---- reading data ------------------------------------------------------------- */

/* Where an instruction came from, for error messages only: computed when an
** error is raised, never on the path that succeeds. */
typedef struct At {
    const Chunk *chunk;
    const uint8_t *ip;
} At;

static Loc at_loc(At at)
{
    return at.chunk ? chunk_loc_at(at.chunk, (uint32_t)(at.ip - at.chunk->code)) : (Loc){ NULL, 0, 0 };
}

static Value read_fact(Eval *ev, int col, int unit, int period, At at)
{
    const FactColumn *c = &ev->f->cols[col];
    int cell = unit * ev->f->nperiods + period;
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
    const char *column = ev->p->schema.cols[col].column;
    diag_cell(DIAG_ERROR, ev->f->path, ev->f->row_of[cell], column, NULL,
              "fill in the cell; a blank is allowed only where no rule reads it",
              "the cell is blank, but a rule reads it");
    diag_at(DIAG_NOTE, at_loc(at), NULL, "read here, for %s, period %s", ev->p->units->names[unit],
            ev->p->periods[period]);
    ev->facts_error = true;
    longjmp(*ev->on_error, 1);
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

static Value run(Eval *ev, const Chunk *ch, Frame *fr, const ItemDef *item);

static Value get_let(Eval *ev, Frame *fr, int i, At at)
{
    if (fr->let_state[i] == MEMO_DONE) return fr->lets[i];
    if (fr->let_state[i] == MEMO_BUSY)
        vm_error(ev, at_loc(at), NULL, "let '%s' depends on itself", ev->p->lets[i].name);
    fr->let_state[i] = MEMO_BUSY;
    fr->lets[i] = run(ev, ev->p->lets[i].chunk, fr, NULL);
    fr->let_state[i] = MEMO_DONE;
    return fr->lets[i];
}

static Num item_score(Eval *ev, int unit, int period, int i, Frame *fr)
{
    const Program *p = ev->p;
    const ItemDef *item = &p->items[i];
    if (item->memo < 0)
        return run(ev, item->chunk, fr, item).as.num;
    size_t at = ((size_t)item->memo * (size_t)p->nperiods + (size_t)period) * (size_t)p->units->n + (size_t)unit;
    if (ev->memo_state[at] == MEMO_DONE) return ev->memo_vals[at];
    if (ev->memo_state[at] == MEMO_BUSY)
        vm_error(ev, item->loc, "an item's cohort must not include the unit being scored",
                 "item %s of %s depends on itself", item->id, p->units->names[unit]);
    ev->memo_state[at] = MEMO_BUSY;
    Num n = run(ev, item->chunk, fr, item).as.num;
    ev->memo_vals[at] = n;
    ev->memo_state[at] = MEMO_DONE;
    return n;
}

static NumList *cohort_list(Eval *ev, int k, int period, At from)
{
    const Program *p = ev->p;
    size_t at = (size_t)k * (size_t)p->nperiods + (size_t)period;
    if (ev->cohort_state[at] == MEMO_DONE) return ev->cohort_lists[at];
    if (ev->cohort_state[at] == MEMO_BUSY)
        vm_error(ev, at_loc(from), NULL, "this comparison across units depends on itself");
    ev->cohort_state[at] = MEMO_BUSY;
    const CohortDef *cd = &p->cohorts[k];
    NumList *l = GC_NEW(NumList);
    l->items = GC_MALLOC(sizeof(Num) * (size_t)p->units->n + 1);
    l->units = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)p->units->n + 1);
    Frame *fr = frame_new(p, 0, period);   /* one scratch frame, reset per unit */
    for (int u = 0; u < p->units->n; u++) {
        fr->unit = u;
        memset(fr->let_state, 0, (size_t)p->nlets + 1);
        if (cd->cond && !run(ev, cd->cond, fr, NULL).as.b) continue;
        l->items[l->n] = item_score(ev, u, period, cd->item, fr);
        l->units[l->n] = u;
        l->n++;
    }
    ev->cohort_lists[at] = l;
    ev->cohort_state[at] = MEMO_DONE;
    return l;
}

static Value unit_value(Eval *ev, int kind, int i, At at);

/* ---- the interpreter --------------------------------------------------------- */

static bool values_equal(Value a, Value b)
{
    switch (a.tag) {
    case V_NUM: return num_eq(a.as.num, b.as.num);
    case V_BOOL: return a.as.b == b.as.b;
    case V_ENUM: return a.as.e == b.as.e;
    case V_TEXT: return strcmp(a.as.s, b.as.s) == 0;
    default: return false;
    }
}

static Num finish_item(const Program *p, const ItemDef *item, Num acc)
{
    if (num_sign(acc) < 0) acc = num_int(0);
    if (item->has_points && num_cmp(acc, item->points) > 0) acc = item->points;
    if (p->round_items) acc = num_round(acc, p->round_places, p->round_mode);
    return acc;
}

/* One loop body, two dispatchers: computed goto where the compiler has it
** (a jump per opcode, better branch prediction), a switch otherwise; build
** with -DKAOHE_SWITCH_DISPATCH to test the switch. Both set op_at, the
** start of the current instruction, which errors use for their location. */
#if defined(__GNUC__) && !defined(KAOHE_SWITCH_DISPATCH)
#define CASE(name) L_##name:
#define NEXT do { op_at = ip; goto *dispatch[*ip++]; } while (0)
#define DISPATCH_START()                                          \
    static const void *const dispatch[OP__COUNT] = {              \
        KAOHE_OPCODES(LABEL_ADDR)                                  \
    };                                                             \
    NEXT;
#define LABEL_ADDR(name, operands, effect, doc) &&L_##name,
#define DISPATCH_END()
#else
#define CASE(name) case OP_##name:
#define NEXT break
#define DISPATCH_START() for (;;) { op_at = ip; switch ((OpCode)*ip++) {
#define DISPATCH_END()                                                            \
    default: vm_error(ev, LOC(), NULL, "internal error: bad opcode %d", ip[-1]); \
    } }
#endif

#define READ_A() (ip += 2, chunk_read_u16(ip - 2))
#define LOC() chunk_loc_at(ch, (uint32_t)(op_at - ch->code))
#define AT() ((At){ ch, op_at })

static Value run(Eval *ev, const Chunk *ch, Frame *fr, const ItemDef *item)
{
    const Program *p = ev->p;
    if (ev->sp + ch->nlocals + ch->max_stack + 1 > STACK_VALUES)
        vm_error(ev, chunk_loc_at(ch, 0), "a let may not read a chain of more than a few thousand lets",
                 "rules nest too deeply to evaluate");
    Value *locals = ev->stack + ev->sp;
    Value *base = locals + ch->nlocals;
    Value *sp = base;
    int saved_sp = ev->sp;
    ev->sp += ch->nlocals + ch->max_stack + 1;
    const uint8_t *ip = ch->code;
    const uint8_t *op_at = ip;
    Num acc = num_int(0);
    int unit = fr ? fr->unit : ev->unit;
    int period = fr ? fr->period : -1;
    const FactData *facts = ev->f;
    const int nper = p->nperiods;
    const Value *consts = ch->consts;

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])

    DISPATCH_START();
        CASE(CONST) PUSH(consts[READ_A()]); NEXT;
        CASE(TRUE) PUSH(val_bool(true)); NEXT;
        CASE(FALSE) PUSH(val_bool(false)); NEXT;
        CASE(FACT) { int a = READ_A(); PUSH(read_fact(ev, a, unit, period, AT())); NEXT; }
        CASE(FACT_NUM) {
            int a = READ_A();
            Value v;
            v.tag = V_NUM;
            if (!fact_num(&facts->cols[a], unit * nper + period, &v.as.num))
                read_fact(ev, a, unit, period, AT());   /* raises the blank-cell error */
            PUSH(v);
            NEXT;
        }
        CASE(FACT_BOOL) {
            int a = READ_A();
            uint8_t b = facts->cols[a].small[unit * nper + period];
            if (b == FACT_BLANK) read_fact(ev, a, unit, period, AT());
            PUSH(val_bool(b != 0));
            NEXT;
        }
        CASE(FACT_AT) { int a = READ_A(); int b = READ_A(); PUSH(read_fact(ev, a, unit, b, AT())); NEXT; }
        CASE(FACT_ELEM) {
            int a = READ_A();
            const FactDef *f = &p->facts[a];
            Num idx = POP().as.num;
            int64_t i;
            if (!num_to_int64(idx, &i) || i < f->lo || i > f->hi)
                vm_error(ev, LOC(), NULL, "index %s is outside %s[%d..%d]", num_to_string(idx), f->name, f->lo, f->hi);
            PUSH(read_fact(ev, f->col + (int)(i - f->lo), unit, period, AT()));
            NEXT;
        }
        CASE(PARAM) {
            int a = READ_A();
            PUSH(ev->param_vals[(size_t)a * (size_t)p->nperiods + (size_t)(period < 0 ? 0 : period)]);
            NEXT;
        }
        CASE(PARAM_AT) { int a = READ_A(); int b = READ_A(); PUSH(ev->param_vals[(size_t)a * (size_t)p->nperiods + (size_t)b]); NEXT; }
        CASE(LET) { int a = READ_A(); PUSH(get_let(ev, fr, a, AT())); NEXT; }
        CASE(LET_AT) {
            int a = READ_A(); int b = READ_A();
            Frame *other = frame_new(p, unit, b);
            PUSH(get_let(ev, other, a, AT()));
            NEXT;
        }
        CASE(TABLE) {
            int a = READ_A(); int b = READ_A();
            const Table *t = p->tables[a];
            PUSH(val_num(t->cells[(size_t)unit * (size_t)t->ncols + (size_t)b]));
            NEXT;
        }
        CASE(UNIT_ATTR) {
            int a = READ_A();
            PUSH(val_text(p->units->attr_values[(size_t)unit * (size_t)p->units->nattrs + (size_t)a]));
            NEXT;
        }
        CASE(PERIOD_ID) PUSH(val_enum(period)); NEXT;
        CASE(PERIOD_SCORE) PUSH(val_num(ev->period_scores[READ_A()])); NEXT;
        CASE(RESULT) { int a = READ_A(); PUSH(unit_value(ev, 0, a, AT())); NEXT; }
        CASE(GRADE) { int a = READ_A(); PUSH(unit_value(ev, 1, a, AT())); NEXT; }
        CASE(OUTCOME) { int a = READ_A(); PUSH(unit_value(ev, 2, a, AT())); NEXT; }
        CASE(COHORT) {
            int a = READ_A();
            Value v;
            v.tag = V_LIST;
            v.as.list = cohort_list(ev, a, period, AT());
            PUSH(v);
            NEXT;
        }
        CASE(LOCAL) PUSH(locals[READ_A()]); NEXT;
        CASE(SET_LOCAL) locals[READ_A()] = POP(); NEXT;
        CASE(POP) sp--; NEXT;
        CASE(ADD) { Num b = POP().as.num; TOP().as.num = num_add(TOP().as.num, b); NEXT; }
        CASE(SUB) { Num b = POP().as.num; TOP().as.num = num_sub(TOP().as.num, b); NEXT; }
        CASE(MUL) { Num b = POP().as.num; TOP().as.num = num_mul(TOP().as.num, b); NEXT; }
        CASE(DIV) {
            Num b = POP().as.num;
            if (!num_div(TOP().as.num, b, &TOP().as.num))
                vm_error(ev, LOC(), "guard the division, e.g. if 目标 = 0 then 1 else 实际 / 目标, or use ratio()",
                         "division by zero");
            NEXT;
        }
        CASE(NEG) TOP().as.num = num_neg(TOP().as.num); NEXT;
        CASE(NOT) TOP().as.b = !TOP().as.b; NEXT;
        CASE(EQ) { Value b = POP(); TOP() = val_bool(values_equal(TOP(), b)); NEXT; }
        CASE(NE) { Value b = POP(); TOP() = val_bool(!values_equal(TOP(), b)); NEXT; }
        CASE(LT) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) < 0); NEXT; }
        CASE(LE) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) <= 0); NEXT; }
        CASE(GT) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) > 0); NEXT; }
        CASE(GE) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) >= 0); NEXT; }
        CASE(MIN) { Num b = POP().as.num; TOP().as.num = num_min(TOP().as.num, b); NEXT; }
        CASE(MAX) { Num b = POP().as.num; TOP().as.num = num_max(TOP().as.num, b); NEXT; }
        CASE(ABS) if (num_sign(TOP().as.num) < 0) TOP().as.num = num_neg(TOP().as.num); NEXT;
        CASE(ROUND) {
            int a = READ_A(); int b = READ_A();
            TOP().as.num = num_round(TOP().as.num, a - 32768, (RoundMode)b);
            NEXT;
        }
        CASE(SUM_LIST) {
            NumList *l = TOP().as.list;
            if (!l->summed) {
                Num s = num_int(0);
                for (int i = 0; i < l->n; i++) s = num_add(s, l->items[i]);
                l->sum = s;
                l->summed = true;
            }
            TOP() = val_num(l->sum);
            NEXT;
        }
        CASE(COUNT_LIST) TOP() = val_num(num_int(TOP().as.list->n)); NEXT;
        CASE(JUMP) { int a = READ_A(); ip += a; NEXT; }
        CASE(JUMP_IF_FALSE) { int a = READ_A(); if (!POP().as.b) ip += a; NEXT; }
        CASE(JUMP_IF_TRUE) { int a = READ_A(); if (POP().as.b) ip += a; NEXT; }
        CASE(AND_JUMP) { int a = READ_A(); if (!TOP().as.b) ip += a; else sp--; NEXT; }
        CASE(OR_JUMP) { int a = READ_A(); if (TOP().as.b) ip += a; else sp--; NEXT; }
        CASE(LOOP) { int a = READ_A(); ip -= a; NEXT; }
        CASE(ITEM_START) acc = POP().as.num; NEXT;
        CASE(STEP_ZERO) (void)READ_A(); acc = num_int(0); NEXT;
        CASE(STEP_DEDUCT) (void)READ_A(); acc = num_sub(acc, POP().as.num); NEXT;
        CASE(STEP_ADD) (void)READ_A(); acc = num_add(acc, POP().as.num); NEXT;
        CASE(STEP_SCORE) (void)READ_A(); acc = POP().as.num; NEXT;
        CASE(STEP_SCALE) (void)READ_A(); acc = num_mul(acc, POP().as.num); NEXT;
        CASE(ITEM_END)
            ev->sp = saved_sp;
            return val_num(finish_item(p, item, acc));
        CASE(NOTE) {
            int a = READ_A();
            if (ev->observer)
                ev->observer(ev->observer_ctx, unit, period, (int)(item - p->items), a, acc);
            NEXT;
        }
        CASE(NO_BAND) {
            int a = READ_A();
            vm_error(ev, LOC(), "add a last band such as: 不合格 otherwise",
                     "the value %s fits no band of grade '%s'", num_to_string(locals[0].as.num), p->grades[a].name);
        }
        CASE(RETURN) {
            Value v = POP();
            ev->sp = saved_sp;
            return v;
        }
    DISPATCH_END();
#undef PUSH
#undef POP
#undef TOP
}

/* results (0), grades (1), outcomes (2) of the unit being scored */
static Value unit_value(Eval *ev, int kind, int i, At at)
{
    const Program *p = ev->p;
    Value *vals = kind == 0 ? ev->results : kind == 1 ? ev->grades : ev->outcomes;
    uint8_t *state = kind == 0 ? ev->result_state : kind == 1 ? ev->grade_state : ev->outcome_state;
    const ValueDef *d = kind == 0 ? &p->results[i] : kind == 1 ? &p->grades[i] : &p->outcomes[i];
    if (state[i] == MEMO_DONE) return vals[i];
    if (state[i] == MEMO_BUSY) vm_error(ev, at_loc(at), NULL, "'%s' depends on itself", d->name);
    state[i] = MEMO_BUSY;
    vals[i] = run(ev, d->chunk, NULL, NULL);
    state[i] = MEMO_DONE;
    return vals[i];
}

/* ---- driver ---------------------------------------------------------------- */

bool eval_failed_on_facts(const Eval *ev)
{
    return ev->facts_error;
}

void eval_observe(Eval *ev, StepObserver fn, void *ctx)
{
    ev->observer = fn;
    ev->observer_ctx = ctx;
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
    ev->cohort_state = GC_MALLOC_ATOMIC(ncoh + 1);
    memset(ev->cohort_state, 0, ncoh + 1);
    ev->frame = *frame_new(p, 0, 0);
    ev->param_vals = GC_MALLOC(sizeof(Value) * ((size_t)p->nparams * np + 1));

    jmp_buf jb;
    ev->on_error = &jb;
    if (setjmp(jb)) return NULL;
    for (int i = 0; i < p->nparams; i++) {
        for (size_t per = 0; per < np; per++) {
            Frame fr = { -1, (int)per, NULL, NULL };
            ev->param_vals[(size_t)i * np + per] = run(ev, p->params[i].chunk, &fr, NULL);
        }
    }
    return ev;
}

void eval_reset(Eval *ev)
{
    const Program *p = ev->p;
    size_t np = (size_t)p->nperiods;
    memset(ev->memo_state, 0, (size_t)p->nmemo * np * (size_t)p->units->n + 1);
    memset(ev->cohort_state, 0, (size_t)p->ncohorts * np + 1);
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
    Frame *fr = &ev->frame;
    fr->unit = unit;
    fr->period = period;
    memset(fr->let_state, 0, (size_t)p->nlets + 1);
    ev->scoring_period = period;
    Num total = num_int(0);
    for (int s = 0; s < p->nsections; s++) {
        const SectionDef *sec = &p->sections[s];
        Num sum = num_int(0);
        for (int i = sec->first_item; i < sec->first_item + sec->nitems; i++) {
            Num v = item_score(ev, unit, period, i, fr);
            out->items[(size_t)period * (size_t)p->nitems + (size_t)i] = v;
            sum = num_add(sum, v);
        }
        out->sections[(size_t)period * (size_t)p->nsections + (size_t)s] = sum;
        total = sec->kind == SEC_PENALTY ? num_sub(total, sum) : num_add(total, sum);
    }
    out->periods[period] = total;
    ev->period_scores[period] = total;
}

bool eval_unit(Eval *ev, int unit, UnitScores *out)
{
    const Program *p = ev->p;
    jmp_buf jb;
    ev->on_error = &jb;
    ev->sp = 0;
    if (setjmp(jb)) {
        ev->scoring_unit = -1;
        return false;
    }
    ev->unit = unit;
    ev->scoring_unit = unit;
    for (int per = 0; per < p->nperiods; per++)
        score_period(ev, unit, per, out);
    ev->scoring_period = -1;
    memset(ev->result_state, 0, (size_t)p->nresults + 1);
    memset(ev->grade_state, 0, (size_t)p->ngrades + 1);
    memset(ev->outcome_state, 0, (size_t)p->noutcomes + 1);
    for (int i = 0; i < p->nresults; i++) out->results[i] = unit_value(ev, 0, i, (At){ NULL, NULL });
    for (int i = 0; i < p->ngrades; i++) out->grades[i] = unit_value(ev, 1, i, (At){ NULL, NULL });
    for (int i = 0; i < p->noutcomes; i++) out->outcomes[i] = unit_value(ev, 2, i, (At){ NULL, NULL });
    ev->scoring_unit = -1;
    return true;
}
