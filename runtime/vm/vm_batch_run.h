/*
** vm_batch_run.h — the batch interpreter's loop and drivers, included once
** by vm.c after vm_batch_lanes.h: memoized values (lets, results, grades,
** outcomes) and cohorts for the lanes that need them, batch_run (one chunk
** for a mask of lanes, decoding each instruction once by the opcode list's
** columns), and scoring groups of LANES units for eval_unit. The loop's
** switch names every opcode and has no default label, so -Wswitch reports an
** opcode added to opcodes.h and not handled here; an opcode the batch does
** not compute fails its lanes explicitly, and run_plain scores them.
** No include guard, on purpose.
*/

/* ---- lets, results, items, cohorts -------------------------------------------- */

static void bframe_clear(const Program *p, BFrame *fr)
{
    memset(fr->let_done, 0, sizeof(Mask) * (size_t)(p->nlets + 1));
    memset(fr->let_busy, 0, sizeof(Mask) * (size_t)(p->nlets + 1));
}

static void bframe_init(const Program *p, BFrame *fr, Slot *lets, int base, int period, Mask *failed)
{
    fr->base = base;
    fr->period = period;
    fr->lets = lets;
    fr->let_done = GC_MALLOC_ATOMIC(sizeof(Mask) * (size_t)(p->nlets + 1));
    fr->let_busy = GC_MALLOC_ATOMIC(sizeof(Mask) * (size_t)(p->nlets + 1));
    fr->failed = failed;
    fr->set = NULL;
    bframe_clear(p, fr);
}

/* The frames of every period for one group, as run_plain's frame set: a let
** read from another period (年度.x) is computed once per group and period.
** Reading it afresh each time made a chain of such lets exponential. */
static BFrame *bframe_set_new(const Program *p, Mask *failed)
{
    BFrame *set = GC_MALLOC(sizeof(BFrame) * (size_t)(p->nperiods + 1));
    for (int per = 0; per < p->nperiods; per++) {
        bframe_init(p, &set[per], NULL, 0, per, failed);
        set[per].set = set;
    }
    return set;
}

/* The set starts on the group of units base .. base + LANES - 1. */
static void bframe_set_start(const Program *p, BFrame *set, int base)
{
    for (int per = 0; per < p->nperiods; per++) {
        set[per].base = base;
        bframe_clear(p, &set[per]);
    }
}

/* One step of the group's budget (see the top of this file). */
static inline void batch_step(Eval *ev)
{
    if (__builtin_expect(--ev->batch->steps_left < 0, 0)) longjmp(*ev->batch_abort, 1);
}

/* Computes what the lanes of m have not yet computed of a memoized value
** (a let, a result ...) into vals; returns the lanes that have it. */
static Mask memo_lanes(Eval *ev, const Chunk *ch, BFrame *fr, Mask m, Slot *vals, Mask *done, Mask *busy)
{
    Mask need = m & ~*done;
    if (!need) return m;
    Mask cycle = need & *busy;   /* run_plain names the cycle */
    *fr->failed |= cycle;
    need &= ~cycle;
    if (need) {
        *busy |= need;
        *done |= batch_run(ev, ch, fr, NULL, need, vals);
        *busy &= ~need;
    }
    return m & *done;
}

/* Item i for the lanes of m: from the cross-unit memo where a cohort has
** computed it, otherwise run. Returns the lanes with a score in out. */
static Mask batch_item(Eval *ev, BFrame *fr, int i, Mask m, Slot *out)
{
    const Program *p = ev->p;
    const ItemDef *item = &p->items[i];
    if (item->memo < 0) return batch_run(ev, item->chunk, fr, item, m, out);
    size_t row = ((size_t)item->memo * (size_t)p->nperiods + (size_t)fr->period) * (size_t)p->units->n +
                 (size_t)fr->base;
    Mask run = 0, known = 0;
    out->tag = V_NUM;
    out->uni = false;
    for (Mask k = m; k; k &= k - 1) {
        size_t l = (size_t)__builtin_ctzll(k);
        uint8_t st = ev->memo_state[row + l];
        if (st == MEMO_DONE) {
            set_num(out, l, ev->memo_vals[row + l]);
            known |= BIT(l);
        } else if (st == MEMO_BUSY) {
            *fr->failed |= BIT(l);   /* left by an error: run_plain says which */
        } else {
            run |= BIT(l);
        }
    }
    Mask ok = run ? batch_run(ev, item->chunk, fr, item, run, out) : 0;
    for (Mask k = ok; k; k &= k - 1) {
        size_t l = (size_t)__builtin_ctzll(k);
        ev->memo_vals[row + l] = lane_num(out, l);
        ev->memo_state[row + l] = MEMO_DONE;
    }
    return known | ok;
}

/* Takes n slots from the pool, or NULL when it is used up. */
static Slot *pool_take(Batch *b, int n)
{
    if (b->pool_top + n > BATCH_POOL) return NULL;
    Slot *s = b->pool + b->pool_top;
    b->pool_top += n;
    return s;
}

/* The list of a cohort in a period, computed for every unit in groups of
** lanes; NULL when some lane failed (run_plain then computes it and raises
** the error, or finds the cycle). */
static NumList *batch_cohort(Eval *ev, int k, int period)
{
    const Program *p = ev->p;
    Batch *b = ev->batch;
    if (p->cohorts[k].per_reader) return NULL;   /* never kept: run_plain makes it for its reader */
    if (p->cohorts[k].unit_level) {      /* made before any unit (vm_quota.h); else run_plain says why */
        size_t at = (size_t)k * (size_t)p->nperiods;
        return ev->cohort_state[at] == MEMO_DONE ? ev->cohort_lists[at] : NULL;
    }
    size_t at = (size_t)k * (size_t)p->nperiods + (size_t)period;
    if (ev->cohort_state[at] == MEMO_DONE) return ev->cohort_lists[at];
    if (ev->cohort_state[at] == MEMO_BUSY) return NULL;
    int mark = b->pool_top;
    Slot *lets = pool_take(b, p->nlets + 1);
    Slot *cond = pool_take(b, 1), *vals = pool_take(b, 1);
    if (!vals) {
        b->pool_top = mark;
        return NULL;
    }
    ev->cohort_state[at] = MEMO_BUSY;
    long saved_steps = b->steps_left;   /* each group's work is its own, as each unit's in run_plain */
    const CohortDef *cd = &p->cohorts[k];
    int n = p->units->n;
    NumList *l = GC_NEW(NumList);
    l->items = GC_MALLOC(sizeof(Num) * (size_t)n + 1);
    l->units = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)n + 1);
    Mask failed = 0;
    BFrame *set = bframe_set_new(p, &failed), *fr = &set[period];
    fr->lets = lets;
    for (int base = 0; base < n && !failed; base += LANES) {
        Mask all = lanes_of(n - base);
        bframe_set_start(p, set, base);
        b->steps_left = EVAL_MAX_STEPS;
        Mask in = all;
        if (cd->cond) {
            Mask ok = batch_run(ev, cd->cond, fr, NULL, all, cond);
            if (ok != all) { failed |= all & ~ok; break; }
            in = cond->bits & all;
        }
        Mask ok = cd->item >= 0 ? batch_item(ev, fr, cd->item, in, vals)
                                : batch_run(ev, cd->value, fr, NULL, in, vals);
        if (ok != in) { failed |= in & ~ok; break; }
        for (Mask m = in; m; m &= m - 1) {
            size_t i = (size_t)__builtin_ctzll(m);
            l->items[l->n] = lane_num(vals, i);
            l->units[l->n] = base + (int)i;
            l->n++;
        }
    }
    b->pool_top = mark;
    b->steps_left = saved_steps;
    if (failed) {
        ev->cohort_state[at] = MEMO_TODO;
        return NULL;
    }
    ev->cohort_lists[at] = l;
    ev->cohort_state[at] = MEMO_DONE;
    return l;
}

/* ---- the interpreter ------------------------------------------------------------- */

/* The lists a slot holds for the lanes of m, the slot made a number slot
** in their place: written lane by lane from then on, so that a parked
** flow's lanes keep what the slot holds for them. */
static void take_lists(Slot *s, Mask m, NumList **lists)
{
    EACH_LANE(i, m, lists[i] = (NumList *)(intptr_t)(s->uni ? s->un : s->num[i]););
    s->uni = false;
    s->tag = V_NUM;
}

/* d := K(x, y) on the lanes of the flow, x from d and y from s (numbers).
** Both uniform: computed once. Otherwise one loop per case, so that a
** uniform operand is a register. */
#define NUM_BINARY(dst, src, K)                                                \
    do {                                                                       \
        Slot *d_ = (dst);                                                      \
        const Slot *s_ = (src);                                                \
        if (d_->uni && s_->uni) {                                              \
            K(d_->un, d_->ud, s_->un, s_->ud, &d_->un, &d_->ud);               \
        } else if (d_->uni) {                                                  \
            int64_t xn = d_->un, xd = d_->ud;                                  \
            EACH_LANE(i, f.A, K(xn, xd, s_->num[i], s_->den[i], &d_->num[i], &d_->den[i]););  \
            d_->uni = false;                                                   \
        } else if (s_->uni) {                                                  \
            int64_t yn = s_->un, yd = s_->ud;                                  \
            EACH_LANE(i, f.A, K(d_->num[i], d_->den[i], yn, yd, &d_->num[i], &d_->den[i]););  \
        } else {                                                               \
            EACH_LANE(i, f.A, K(d_->num[i], d_->den[i], s_->num[i], s_->den[i], &d_->num[i], &d_->den[i]);); \
        }                                                                      \
    } while (0)

/* d := EXPR(x) on the lanes of the flow. */
#define NUM_UNARY(dst, EXPR)                                                   \
    do {                                                                       \
        Slot *d_ = (dst);                                                      \
        if (d_->uni) {                                                         \
            Num x = { d_->un, d_->ud }, r = (EXPR);                            \
            d_->un = r.num;                                                    \
            d_->ud = r.den;                                                    \
        } else {                                                               \
            EACH_LANE(i, f.A, Num x = { d_->num[i], d_->den[i] }; set_num(d_, i, (EXPR)););   \
        }                                                                      \
    } while (0)

/* a := (a CMP b) as yes/no, from c = num_cmp(x, y); b is popped. */
#define NUM_COMPARE(COND)                                                      \
    do {                                                                       \
        Slot *b_ = --f.sp, *a_ = f.sp - 1;                                     \
        Mask r_ = 0;                                                           \
        if (a_->uni && b_->uni) {                                              \
            int c = k_cmp(a_->un, a_->ud, b_->un, b_->ud);                    \
            r_ = (COND) ? f.A : 0;                                             \
        } else {                                                               \
            bool ua_ = a_->uni, ub_ = b_->uni;                                 \
            EACH_LANE(i, f.A, int c = k_cmp(ua_ ? a_->un : a_->num[i], ua_ ? a_->ud : a_->den[i],   \
                                            ub_ ? b_->un : b_->num[i], ub_ ? b_->ud : b_->den[i]);  \
                      r_ |= (Mask)(COND) << i;);                               \
        }                                                                      \
        a_->tag = V_BOOL;                                                      \
        a_->uni = false;                                                       \
        a_->bits = (a_->bits & ~f.A) | r_;                                     \
    } while (0)

/* A value the lanes of the flow read through a memo (let, result ...). */
static void push_memo(Flow *f, Mask ok, const Slot *vals)
{
    f->A &= ok;   /* the others failed */
    slot_copy(f->sp++, vals, f->A);
}

/* Runs ch for the lanes of mask in frame fr (item: the item it scores).
** Returns the lanes that finished; their values are in out. */
static Mask batch_run(Eval *ev, const Chunk *ch, BFrame *fr, const ItemDef *item, Mask mask, Slot *out)
{
    const Program *p = ev->p;
    Batch *b = ev->batch;
    int mark = b->pool_top;
    Slot *slots = pool_take(b, ch->nlocals + 1 + ch->max_stack + 1);
    if (!slots || b->depth >= BATCH_DEPTH) {
        b->pool_top = mark;
        *fr->failed |= mask;
        return 0;
    }
    batch_step(ev);
    b->depth++;
    Flow f;
    f.A = mask;
    f.locals = slots;
    f.nlocals = ch->nlocals;
    f.acc = slots + ch->nlocals;
    f.stack = f.sp = f.acc + 1;
    f.npend = 0;
    f.next_pc = NO_PC;
    f.failed = fr->failed;
    for (Slot *s = slots; s < f.stack; s++) s->uni = false;
    f.acc->tag = V_NUM;
    f.acc->uni = true;
    f.acc->un = 0;
    f.acc->ud = 1;

    const uint8_t *code = ch->code;
    const Value *consts = ch->consts;
    const int period = fr->period;
    const size_t np = (size_t)p->nperiods;
    Mask done = 0;
    uint32_t pc = 0;

    for (;;) {
        if (pc == f.next_pc) arrive(&f);
        if (!f.A) {
            if (!f.npend) break;
            pc = f.next_pc;
            continue;
        }
        /* decoded by the opcode list's columns; pc is then the next instruction */
        Instr in = instr_at(code, pc);
        OpCode op = in.op;
        int a = in.a, bb = in.b;
        pc = in.next;
        switch (op) {
        case OP_CONST: slot_set(f.sp++, consts[a], f.A); break;
        case OP_TRUE: slot_set(f.sp++, val_bool(true), f.A); break;
        case OP_FALSE: slot_set(f.sp++, val_bool(false), f.A); break;
        case OP_FACT: case OP_FACT_NUM: case OP_FACT_BOOL: push_column(ev, &f, fr, a, period); break;
        case OP_FACT_AT: push_column(ev, &f, fr, a, bb); break;
        case OP_FACT_ELEM: {
            const FactDef *fd = &p->facts[a];
            Slot *s = --f.sp;
            int64_t k;
            if (s->uni) {   /* one column for every lane, as in sum(x[m] for m in ...) */
                if (!num_to_int64((Num){ s->un, s->ud }, &k) || k < fd->lo || k > fd->hi) flow_fail(&f, f.A);
                else push_column(ev, &f, fr, fd->col + (int)(k - fd->lo), period);
                break;
            }
            const FactData *facts = ev->f;
            Mask bad = 0;
            int col[LANES];
            EACH_LANE(i, f.A, {
                col[i] = -1;
                if (num_to_int64((Num){ s->num[i], s->den[i] }, &k) && k >= fd->lo && k <= fd->hi)
                    col[i] = fd->col + (int)(k - fd->lo);
            });
            f.sp++;
            s->tag = tag_of_fact(fd->type);
            EACH_LANE(i, f.A, {
                if (col[i] < 0 || !read_cell(&facts->cols[col[i]], fact_cell(facts, fr->base + (int)i, period), s, i))
                    bad |= BIT(i);
            });
            if (bad) flow_fail(&f, bad);
            break;
        }
        case OP_PARAM:
            slot_set(f.sp++, ev->param_vals[(size_t)a * np + (size_t)(period < 0 ? 0 : period)], f.A);
            break;
        case OP_PARAM_AT: slot_set(f.sp++, ev->param_vals[(size_t)a * np + (size_t)bb], f.A); break;
        case OP_LET:
            push_memo(&f, memo_lanes(ev, p->lets[a].chunk, fr, f.A, &fr->lets[a], &fr->let_done[a], &fr->let_busy[a]),
                      &fr->lets[a]);
            break;
        case OP_LET_AT: {
            /* the group's frame of period bb, as run_plain's period_frame */
            BFrame *o = &fr->set[bb];
            if (!o->lets) o->lets = GC_MALLOC(sizeof(Slot) * (size_t)(p->nlets + 1));
            push_memo(&f, memo_lanes(ev, p->lets[a].chunk, o, f.A, &o->lets[a], &o->let_done[a], &o->let_busy[a]),
                      &o->lets[a]);
            break;
        }
        case OP_TABLE: {
            /* a table column is stored as a fact column with one cell per unit */
            Slot *s = f.sp++;
            s->tag = V_NUM;
            s->uni = false;
            column_numbers(&p->tables[a]->data[bb], (size_t)fr->base, s, f.A);
            break;
        }
        case OP_UNIT_ATTR: {
            const Units *u = p->units;
            size_t na = (size_t)u->nattrs;
            const char *const *attrs = u->attr_values + (size_t)fr->base * na + (size_t)a;
            Slot *s = f.sp++;
            s->tag = V_TEXT;
            s->uni = false;
            EACH_LANE(i, f.A, s->num[i] = (int64_t)(intptr_t)attrs[i * na];);
            break;
        }
        case OP_PERIOD_ID: slot_set(f.sp++, val_enum(period), f.A); break;
        case OP_PERIOD_SCORE: {
            Slot *s = f.sp++;
            s->tag = V_NUM;
            s->uni = false;
            EACH_LANE(i, f.A, set_num(s, i, b->pscore[(size_t)a * LANES + i]););
            break;
        }
        case OP_RESULT: case OP_GRADE: case OP_OUTCOME: {
            int kind = op == OP_RESULT ? 0 : op == OP_GRADE ? 1 : 2;   /* not by opcode order */
            const ValueDef *d = kind == 0 ? &p->results[a] : kind == 1 ? &p->grades[a] : &p->outcomes[a];
            Slot *vals = &b->uvals[kind][a];
            push_memo(&f, memo_lanes(ev, d->chunk, &b->uframe, f.A, vals, &b->udone[kind][a], &b->ubusy[kind][a]),
                      vals);
            break;
        }
        case OP_QUOTA_GRADE: {
            const int *g = quota_lanes(ev, a);
            if (!g) { flow_fail(&f, f.A); break; }
            Slot *s = f.sp++;
            s->tag = V_ENUM;
            s->uni = false;
            EACH_LANE(i, f.A, s->num[i] = g[fr->base + (int)i];);
            break;
        }
        /* a list whose where reads its reader (本单位.X) is made for each
        ** reader: run_plain makes it, unit by unit */
        case OP_SELF_SET: f.sp--; flow_fail(&f, f.A); break;
        case OP_SELF: flow_fail(&f, f.A); break;
        case OP_COHORT: {
            NumList *l = batch_cohort(ev, a, period);
            if (!l) { flow_fail(&f, f.A); break; }
            Value v;
            v.tag = V_LIST;
            v.as.list = l;
            slot_set(f.sp++, v, f.A);
            break;
        }
        case OP_RANK: {
            /* in place, lane by lane: a parked flow's lanes keep what this
            ** slot holds for them (the false of an 'and' before the rank) */
            Slot *v = --f.sp, *s = f.sp - 1;
            NumList *lists[LANES];
            take_lists(s, f.A, lists);
            Mask outside = 0;   /* run_plain says which unit and why */
            EACH_LANE(i, f.A, {
                if (!list_has_unit(lists[i], fr->base + (int)i)) outside |= BIT(i);
                else set_num(s, i, list_rank(lists[i], lane_num(v, i), a));
            });
            if (outside) flow_fail(&f, outside);
            break;
        }
        case OP_LOCAL: slot_copy(f.sp++, &f.locals[a], f.A); break;
        case OP_SET_LOCAL: slot_copy(&f.locals[a], --f.sp, f.A); break;
        case OP_POP: f.sp--; break;
        case OP_ADD: f.sp--; NUM_BINARY(f.sp - 1, f.sp, k_add); break;
        case OP_SUB: f.sp--; NUM_BINARY(f.sp - 1, f.sp, k_sub); break;
        case OP_MUL: f.sp--; NUM_BINARY(f.sp - 1, f.sp, k_mul); break;
        case OP_MIN: f.sp--; NUM_BINARY(f.sp - 1, f.sp, k_min); break;
        case OP_MAX: f.sp--; NUM_BINARY(f.sp - 1, f.sp, k_max); break;
        case OP_DIV: {
            /* a zero divisor fails its lane */
            Slot *y = --f.sp, *x = f.sp - 1;
            Mask zero = 0;
            if (x->uni && y->uni) {
                Num q;
                if (num_div((Num){ x->un, x->ud }, (Num){ y->un, y->ud }, &q)) { x->un = q.num; x->ud = q.den; }
                else zero = f.A;
            } else {
                bool ux = x->uni, uy = y->uni;
                EACH_LANE(i, f.A, {
                    Num q;
                    if (num_div((Num){ ux ? x->un : x->num[i], ux ? x->ud : x->den[i] },
                                (Num){ uy ? y->un : y->num[i], uy ? y->ud : y->den[i] }, &q))
                        set_num(x, i, q);
                    else
                        zero |= BIT(i);
                });
                x->uni = false;
            }
            if (zero) flow_fail(&f, zero);
            break;
        }
        case OP_NEG: NUM_UNARY(f.sp - 1, num_neg(x)); break;
        case OP_ABS: NUM_UNARY(f.sp - 1, num_sign(x) < 0 ? num_neg(x) : x); break;
        case OP_ROUND: NUM_UNARY(f.sp - 1, num_round(x, a - 32768, (RoundMode)bb)); break;
        case OP_NOT: f.sp[-1].bits ^= f.A; break;
        case OP_EQ: equal_lanes(&f, false); break;
        case OP_NE: equal_lanes(&f, true); break;
        case OP_LT: NUM_COMPARE(c < 0); break;
        case OP_LE: NUM_COMPARE(c <= 0); break;
        case OP_GT: NUM_COMPARE(c > 0); break;
        case OP_GE: NUM_COMPARE(c >= 0); break;
        case OP_PERCENTILE: {
            /* lane by lane, in place (see RANK); a bad share or an empty
            ** list leaves the lane to run_plain, which says which */
            Slot *v = --f.sp, *s = f.sp - 1;
            NumList *lists[LANES];
            take_lists(s, f.A, lists);
            Mask bad = 0;
            EACH_LANE(i, f.A, {
                Num share = lane_num(v, i);
                if (lists[i]->n == 0 || num_sign(share) < 0 || num_cmp(share, num_int(1)) > 0) bad |= BIT(i);
                else set_num(s, i, percentile_of(lists[i], share));
            });
            if (bad) flow_fail(&f, bad);
            break;
        }
        case OP_MAX_LIST: case OP_MIN_LIST: {
            Slot *s = f.sp - 1;
            Mask empty = 0;    /* run_plain raises the error */
            NumList *lists[LANES];
            take_lists(s, f.A, lists);
            EACH_LANE(i, f.A, {
                NumList *list = lists[i];
                if (list->n == 0) {
                    empty |= BIT(i);
                } else {
                    list_sort(list);
                    set_num(s, i, list->desc[op == OP_MAX_LIST ? 0 : list->n - 1]);
                }
            });
            if (empty) flow_fail(&f, empty);
            break;
        }
        case OP_SUM_LIST: case OP_COUNT_LIST: {
            Slot *s = f.sp - 1;
            EACH_LANE(i, s->uni ? 1 : f.A, {
                NumList *list = (NumList *)(intptr_t)(s->uni ? s->un : s->num[i]);
                Num n;
                if (op == OP_COUNT_LIST) {
                    n = num_int(list->n);
                } else {
                    if (!list->summed) {
                        Num sum = num_int(0);
                        for (int k = 0; k < list->n; k++) sum = num_add(sum, list->items[k]);
                        list->sum = sum;
                        list->summed = true;
                    }
                    n = list->sum;
                }
                if (s->uni) { s->un = n.num; s->ud = n.den; }
                else set_num(s, i, n);
            });
            s->tag = V_NUM;
            break;
        }
        case OP_JUMP: jump_all(&f, &pc, pc + (uint32_t)a); break;
        case OP_LOOP: batch_step(ev); pc -= (uint32_t)a; break;   /* every lane: nothing waits behind */
        case OP_JUMP_IF_FALSE: f.sp--; branch(&f, &pc, f.A & ~f.sp->bits, pc + (uint32_t)a); break;
        case OP_JUMP_IF_TRUE: f.sp--; branch(&f, &pc, f.A & f.sp->bits, pc + (uint32_t)a); break;
        case OP_AND_JUMP: case OP_OR_JUMP: {
            /* the deciding lanes jump keeping the value; the others pop it */
            Mask bits = f.sp[-1].bits;
            Mask t = f.A & (op == OP_AND_JUMP ? ~bits : bits);
            if (t == f.A) {
                jump_all(&f, &pc, pc + (uint32_t)a);
            } else {
                if (t) park(&f, t, pc + (uint32_t)a);
                f.sp--;
            }
            break;
        }
        case OP_ITEM_START: slot_copy(f.acc, --f.sp, f.A); break;
        case OP_STEP_ZERO: slot_set(f.acc, val_num(num_int(0)), f.A); break;
        case OP_STEP_DEDUCT: f.sp--; NUM_BINARY(f.acc, f.sp, k_sub); break;
        case OP_STEP_ADD: f.sp--; NUM_BINARY(f.acc, f.sp, k_add); break;
        case OP_STEP_SCALE: f.sp--; NUM_BINARY(f.acc, f.sp, k_mul); break;
        case OP_STEP_SCORE: slot_copy(f.acc, --f.sp, f.A); break;
        case OP_ITEM_END:
            finish_lanes(p, item, f.acc, f.A, fr->base);
            slot_store(out, f.acc, f.A);
            done |= f.A;
            f.A = 0;
            break;
        case OP_RETURN:
            slot_store(out, --f.sp, f.A);
            done |= f.A;
            f.A = 0;
            break;
        /* Not batched: raising the error is run_plain's, with its message. */
        case OP_NO_BAND: flow_fail(&f, f.A); break;
        /* Not an opcode (the compiler never writes it); named so that the
        ** switch covers the whole enum and -Wswitch checks the rest. */
        case OP__COUNT: flow_fail(&f, f.A); break;
        }
    }
    b->depth--;
    b->pool_top = mark;
    return done;
}

#undef NUM_BINARY
#undef NUM_UNARY
#undef NUM_COMPARE

/* ---- scoring units in groups ------------------------------------------------------ */

static Batch *batch_new(const Program *p)
{
    Batch *b = GC_NEW(Batch);
    size_t np = (size_t)p->nperiods;
    /* scanned: lanes hold GC pointers (texts, lists, big numbers) */
    b->pool = GC_MALLOC(sizeof(Slot) * BATCH_POOL);
    b->frames = bframe_set_new(p, &b->failed);
    for (size_t per = 0; per < np; per++) b->frames[per].lets = GC_MALLOC(sizeof(Slot) * (size_t)(p->nlets + 1));
    int counts[3] = { p->nresults, p->ngrades, p->noutcomes };
    for (int k = 0; k < 3; k++) {
        b->uvals[k] = GC_MALLOC(sizeof(Slot) * (size_t)(counts[k] + 1));
        b->udone[k] = GC_MALLOC_ATOMIC(sizeof(Mask) * (size_t)(counts[k] + 1));
        b->ubusy[k] = GC_MALLOC_ATOMIC(sizeof(Mask) * (size_t)(counts[k] + 1));
    }
    bframe_init(p, &b->uframe, NULL, 0, -1, &b->failed);
    b->uframe.set = b->frames;
    b->pscore = GC_MALLOC(sizeof(Num) * np * LANES);
    b->out = GC_MALLOC(sizeof(Slot));
    b->items = GC_MALLOC(sizeof(Num) * LANES * (np * (size_t)p->nitems + 1));
    b->sections = GC_MALLOC(sizeof(Num) * LANES * (np * (size_t)p->nsections + 1));
    b->periods = GC_MALLOC(sizeof(Num) * LANES * (np + 1));
    b->nvals = p->nresults + p->ngrades + p->noutcomes;
    b->vals = GC_MALLOC(sizeof(Value) * LANES * (size_t)(b->nvals + 1));
    return b;
}

/* Scores units base .. base + n - 1 (n <= LANES) into the batch's copy. */
static void batch_units(Eval *ev, int base, int n)
{
    const Program *p = ev->p;
    Batch *b = ev->batch;
    size_t np = (size_t)p->nperiods;
    Mask all = lanes_of(n);
    b->base = base;
    b->n = n;
    b->failed = 0;
    b->ok = 0;
    b->depth = 0;
    b->pool_top = 0;
    b->steps_left = EVAL_MAX_STEPS;
    Slot *out = b->out;
    bframe_set_start(p, b->frames, base);
    for (size_t per = 0; per < np; per++) {
        BFrame *fr = &b->frames[per];
        int64_t tn[LANES], td[LANES];      /* the period's total */
        for (int i = 0; i < n; i++) tn[i] = 0, td[i] = 1;
        for (int s = 0; s < p->nsections; s++) {
            const SectionDef *sec = &p->sections[s];
            int64_t sn[LANES], sd[LANES];  /* the section's sum */
            for (int i = 0; i < n; i++) sn[i] = 0, sd[i] = 1;
            for (int it = sec->first_item; it < sec->first_item + sec->nitems; it++) {
                Mask run = all & ~b->failed;
                Mask ok = run ? batch_item(ev, fr, it, run, out) : 0;
                Num *dst = b->items + (per * (size_t)p->nitems + (size_t)it) * LANES;
                EACH_LANE(i, ok, {
                    dst[i] = (Num){ out->num[i], out->den[i] };
                    k_add(sn[i], sd[i], out->num[i], out->den[i], &sn[i], &sd[i]);
                });
            }
            Num *dst = b->sections + (per * (size_t)p->nsections + (size_t)s) * LANES;
            for (int i = 0; i < n; i++) {
                /* max N: a literal of the rule file, always in the small form */
                if (sec->has_cap && num_cmp((Num){ sn[i], sd[i] }, sec->cap) > 0)
                    sn[i] = sec->cap.num, sd[i] = sec->cap.den;
                dst[i] = (Num){ sn[i], sd[i] };
                if (sec->kind == SEC_PENALTY) k_sub(tn[i], td[i], sn[i], sd[i], &tn[i], &td[i]);
                else k_add(tn[i], td[i], sn[i], sd[i], &tn[i], &td[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            b->periods[per * LANES + (size_t)i] = (Num){ tn[i], td[i] };
            b->pscore[per * LANES + (size_t)i] = (Num){ tn[i], td[i] };
        }
    }
    int counts[3] = { p->nresults, p->ngrades, p->noutcomes };
    const ValueDef *defs[3] = { p->results, p->grades, p->outcomes };
    b->uframe.base = base;
    for (int k = 0; k < 3; k++) {
        memset(b->udone[k], 0, sizeof(Mask) * (size_t)(counts[k] + 1));
        memset(b->ubusy[k], 0, sizeof(Mask) * (size_t)(counts[k] + 1));
    }
    for (int k = 0, col = 0; k < 3; k++) {
        for (int i = 0; i < counts[k]; i++, col++) {
            Slot *vals = &b->uvals[k][i];
            Mask ok = memo_lanes(ev, defs[k][i].chunk, &b->uframe, all & ~b->failed, vals, &b->udone[k][i],
                                 &b->ubusy[k][i]);
            EACH_LANE(l, ok, b->vals[(size_t)col * LANES + l] = slot_value(vals, l););
        }
    }
    b->ok = all & ~b->failed;
}

/* batch_units with the limits kept: a group abandoned for its step budget
** or an oversized number has no lane ok, and a cohort it left half computed
** is computed again by run_plain. */
static void batch_group(Eval *ev, int base, int n)
{
    jmp_buf jb;
    eval_begin(ev);
    ev->batch_abort = &jb;
    if (setjmp(jb) == 0) {
        batch_units(ev, base, n);
    } else {
        ev->batch->ok = 0;
        size_t nc = (size_t)ev->p->ncohorts * (size_t)ev->p->nperiods;
        for (size_t k = 0; k < nc; k++)
            if (ev->cohort_state[k] == MEMO_BUSY) ev->cohort_state[k] = MEMO_TODO;
    }
    ev->batch_abort = NULL;
    eval_end();
    ev->batch->dropped += __builtin_popcountll(lanes_of(n) & ~ev->batch->ok);
}

/* The batch's scores are stale once params or cross-unit memos change. */
static void batch_forget(Eval *ev)
{
    if (ev->batch) ev->batch->base = ev->batch->n = 0;
}

/* eval_unit's fast path: the unit's scores from the batch that holds it,
** scoring the next LANES units when the caller goes through them in order.
** false: score the unit with run_plain (it failed here, or is asked for out
** of order). */
static bool batch_scores(Eval *ev, int unit, UnitScores *out)
{
    const Program *p = ev->p;
    if (!ev->batch) ev->batch = batch_new(p);
    Batch *b = ev->batch;
    if (unit < b->base || unit >= b->base + b->n) {
        if (unit != b->base + b->n && unit != 0) return false;
        int n = p->units->n - unit;
        batch_group(ev, unit, n < LANES ? n : LANES);
    }
    int l = unit - b->base;
    if (!(b->ok & BIT(l))) return false;
    size_t np = (size_t)p->nperiods, ni = np * (size_t)p->nitems, ns = np * (size_t)p->nsections;
    for (size_t k = 0; k < ni; k++) out->items[k] = b->items[k * LANES + (size_t)l];
    for (size_t k = 0; k < ns; k++) out->sections[k] = b->sections[k * LANES + (size_t)l];
    for (size_t k = 0; k < np; k++) out->periods[k] = ev->period_scores[k] = b->periods[k * LANES + (size_t)l];
    /* as eval_unit leaves them: eval_for_unit reads this unit's values */
    Value *dst[3] = { out->results, out->grades, out->outcomes };
    Value *memo[3] = { ev->results, ev->grades, ev->outcomes };
    uint8_t *state[3] = { ev->result_state, ev->grade_state, ev->outcome_state };
    int counts[3] = { p->nresults, p->ngrades, p->noutcomes };
    for (int k = 0, col = 0; k < 3; k++) {
        for (int i = 0; i < counts[k]; i++, col++)
            dst[k][i] = memo[k][i] = b->vals[(size_t)col * LANES + (size_t)l];
        memset(state[k], MEMO_DONE, (size_t)counts[k]);
    }
    ev->unit = unit;
    return true;
}

#undef LANES
#undef BIT
#undef EACH_LANE
