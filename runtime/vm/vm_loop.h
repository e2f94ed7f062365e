/*
** vm_loop.h — the interpreter loop, included twice by vm.c: with
** VM_TRACED 0 as run_plain and with VM_TRACED 1 as run_traced. T_(...)
** statements exist only in the traced copy, so the plain loop is exactly
** the loop without tracing. No include guard, on purpose.
**
** One loop body, two dispatchers: computed goto where the compiler has it
** (a jump per opcode, better branch prediction), a switch otherwise; build
** with -DKAOHE_SWITCH_DISPATCH to test the switch. Both set op_at, the
** start of the current instruction, which errors use for their location
** (AT(), vm.c's one error path). Arithmetic may be stopped inside num.c for
** a number past its size limit, where op_at cannot be seen: SYNC() stores
** it into ev->at first (a store per arithmetic instruction, none for the
** others), and a chunk run sets ev->at on entry and restores it on exit. */
#if VM_TRACED
#define T_(...) do { __VA_ARGS__; } while (0)
#else
#define T_(...) ((void)0)
#endif
#define PC() ((uint32_t)(op_at - ch->code))

#if defined(__GNUC__) && !defined(KAOHE_SWITCH_DISPATCH)
#define CASE(name) L_##name:
#define NEXT do { op_at = ip; goto *dispatch[*ip++]; } while (0)
#define DISPATCH_START()                                          \
    static const void *const dispatch[OP__COUNT] = {              \
        KAOHE_OPCODES(LABEL_ADDR)                                  \
    };                                                             \
    NEXT;
#define LABEL_ADDR(name, ...) &&L_##name,
#define DISPATCH_END()
#else
#define CASE(name) case OP_##name:
#define NEXT break
#define DISPATCH_START() for (;;) { op_at = ip; switch ((OpCode)*ip++) {
#define DISPATCH_END()                                                            \
    default: vm_error(ev, AT(), NULL, "internal error: bad opcode %d", ip[-1]); \
    } }
#endif

#define READ_A() (ip += 2, chunk_read_u16(ip - 2))
#define AT() ((At){ ch, op_at })
#define SYNC() (ev->at.ip = op_at)

static Value VM_RUN(Eval *ev, const Chunk *ch, Frame *fr, const ItemDef *item)
{
    const Program *p = ev->p;
    if (--ev->steps_left < 0) out_of_steps(ev, ch, NULL);
    if (ev->sp + ch->nlocals + ch->max_stack + 1 > STACK_VALUES)
        vm_error(ev, (At){ ch, ch->code }, "a let may not read a chain of more than a few thousand lets",
                 "rules nest too deeply to evaluate");
    Value *locals = ev->stack + ev->sp;
    Value *base = locals + ch->nlocals;
    Value *sp = base;
    int saved_sp = ev->sp;
    ev->sp += ch->nlocals + ch->max_stack + 1;
    At outer = ev->at;
    ev->at = (At){ ch, ch->code };
    const uint8_t *ip = ch->code;
    const uint8_t *op_at = ip;
    Num acc = num_int(0);
    int unit = fr ? fr->unit : ev->unit;
    int period = fr ? fr->period : -1;
    const FactData *facts = ev->f;
    const Value *consts = ch->consts;
#if VM_TRACED
    TraceNode *tn = trace_begin(ev, ch, fr, item);
#endif

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])

    DISPATCH_START();
        CASE(CONST) PUSH(consts[READ_A()]); NEXT;
        CASE(TRUE) PUSH(val_bool(true)); NEXT;
        CASE(FALSE) PUSH(val_bool(false)); NEXT;
        CASE(FACT) {
            int a = READ_A();
            PUSH(read_fact(ev, a, unit, period, AT()));
            T_(trace_read(tn, RD_FACT, PC(), a, 0, period, TOP()));
            NEXT;
        }
        CASE(FACT_NUM) {
            int a = READ_A();
            Value v;
            v.tag = V_NUM;
            if (!fact_num(&facts->cols[a], fact_cell(facts, unit, period), &v.as.num))
                read_fact(ev, a, unit, period, AT());   /* raises the blank-cell error */
            PUSH(v);
            T_(trace_read(tn, RD_FACT, PC(), a, 0, period, v));
            NEXT;
        }
        CASE(FACT_BOOL) {
            int a = READ_A();
            uint8_t b = facts->cols[a].small[fact_cell(facts, unit, period)];
            if (b == FACT_BLANK) read_fact(ev, a, unit, period, AT());
            PUSH(val_bool(b != 0));
            T_(trace_read(tn, RD_FACT, PC(), a, 0, period, TOP()));
            NEXT;
        }
        CASE(FACT_AT) {
            int a = READ_A(); int b = READ_A();
            PUSH(read_fact(ev, a, unit, b, AT()));
            T_(trace_read(tn, RD_FACT, PC(), a, 0, b, TOP()));
            NEXT;
        }
        CASE(FACT_ELEM) {
            int a = READ_A();
            const FactDef *f = &p->facts[a];
            Num idx = POP().as.num;
            int64_t i;
            if (!num_to_int64(idx, &i) || i < f->lo || i > f->hi)
                vm_error(ev, AT(), NULL, "index %s is outside %s[%d..%d]", num_to_string(idx), f->name, f->lo, f->hi);
            PUSH(read_fact(ev, f->col + (int)(i - f->lo), unit, period, AT()));
            T_(trace_read(tn, RD_FACT, PC(), f->col + (int)(i - f->lo), 0, period, TOP()));
            NEXT;
        }
        CASE(PARAM) {
            int a = READ_A();
            PUSH(ev->param_vals[(size_t)a * (size_t)p->nperiods + (size_t)(period < 0 ? 0 : period)]);
            T_(trace_read(tn, RD_PARAM, PC(), a, 0, period, TOP()));
            NEXT;
        }
        CASE(PARAM_AT) {
            int a = READ_A(); int b = READ_A();
            PUSH(ev->param_vals[(size_t)a * (size_t)p->nperiods + (size_t)b]);
            T_(trace_read(tn, RD_PARAM, PC(), a, 0, b, TOP()));
            NEXT;
        }
        CASE(LET) {
            int a = READ_A();
            PUSH(get_let(ev, fr, a, AT()));
            T_(trace_read(tn, RD_LET, PC(), a, 0, period, TOP()));
            NEXT;
        }
        CASE(LET_AT) {
            int a = READ_A(); int b = READ_A();
            Frame *other = period_frame(ev, fr, unit, b);
            PUSH(get_let(ev, other, a, AT()));
            T_(trace_read(tn, RD_LET, PC(), a, 0, b, TOP()));
            NEXT;
        }
        CASE(TABLE) {
            int a = READ_A(); int b = READ_A();
            PUSH(val_num(table_num(p->tables[a], unit, b)));
            T_(trace_read(tn, RD_TABLE, PC(), a, b, period, TOP()));
            NEXT;
        }
        CASE(UNIT_ATTR) {
            int a = READ_A();
            PUSH(val_text(p->units->attr_values[(size_t)unit * (size_t)p->units->nattrs + (size_t)a]));
            T_(trace_read(tn, RD_UNIT_ATTR, PC(), a, 0, period, TOP()));
            NEXT;
        }
        CASE(PERIOD_ID) PUSH(val_enum(period)); NEXT;
        CASE(PERIOD_SCORE) {
            int a = READ_A();
            PUSH(val_num(ev->period_scores[a]));
            T_(trace_read(tn, RD_PERIOD_SCORE, PC(), a, 0, a, TOP()));
            NEXT;
        }
        CASE(RESULT) {
            int a = READ_A();
            PUSH(unit_value(ev, 0, a, AT()));
            T_(trace_read(tn, RD_RESULT, PC(), a, 0, -1, TOP()));
            NEXT;
        }
        CASE(GRADE) {
            int a = READ_A();
            PUSH(unit_value(ev, 1, a, AT()));
            T_(trace_read(tn, RD_GRADE, PC(), a, 0, -1, TOP()));
            NEXT;
        }
        CASE(QUOTA_GRADE) {
            int a = READ_A();
            PUSH(quota_grade(ev, a, unit, AT()));   /* not a read: the grade itself (explain says how) */
            NEXT;
        }
        CASE(OUTCOME) {
            int a = READ_A();
            PUSH(unit_value(ev, 2, a, AT()));
            T_(trace_read(tn, RD_OUTCOME, PC(), a, 0, -1, TOP()));
            NEXT;
        }
        CASE(COHORT) {
            int a = READ_A();
            Value v;
            v.tag = V_LIST;
            v.as.list = cohort_list(ev, a, period, AT());
            PUSH(v);
            T_(trace_read(tn, RD_COHORT, PC(), a, 0, period, v));
            NEXT;
        }
        CASE(RANK) {
            int a = READ_A();
            Num v = POP().as.num;
            Value list = TOP();
            if (!list_has_unit(list.as.list, unit))
                vm_error(ev, AT(), "rank a unit only where its list holds it, e.g. inside when unit.类型 is 乡镇 { … }",
                         "%s is not among the units this rank lists (its 'where' leaves it out)",
                         p->units->names[unit]);
            TOP() = val_num(list_rank(list.as.list, v, a));
            T_(trace_read(tn, RD_RANK, PC(), a, (int)TOP().as.num.num, period, list));
            NEXT;
        }
        CASE(SELF_SET) ev->self_vals[READ_A()] = POP(); NEXT;
        CASE(SELF) PUSH(ev->self_vals[READ_A()]); NEXT;
        CASE(LOCAL) PUSH(locals[READ_A()]); NEXT;
        CASE(SET_LOCAL) locals[READ_A()] = POP(); NEXT;
        CASE(POP) sp--; NEXT;
        CASE(ADD) { SYNC(); Num b = POP().as.num; TOP().as.num = num_add(TOP().as.num, b); NEXT; }
        CASE(SUB) { SYNC(); Num b = POP().as.num; TOP().as.num = num_sub(TOP().as.num, b); NEXT; }
        CASE(MUL) { SYNC(); Num b = POP().as.num; TOP().as.num = num_mul(TOP().as.num, b); NEXT; }
        CASE(DIV) {
            SYNC();
            Num b = POP().as.num;
            if (!num_div(TOP().as.num, b, &TOP().as.num))
                vm_error(ev, AT(), "guard the division, e.g. if 目标 = 0 then 1 else 实际 / 目标, or use ratio()",
                         "division by zero");
            NEXT;
        }
        CASE(NEG) TOP().as.num = num_neg(TOP().as.num); NEXT;
        CASE(NOT) TOP().as.b = !TOP().as.b; NEXT;
        CASE(EQ) { Value b = POP(); TOP() = val_bool(val_equal(TOP(), b)); NEXT; }
        CASE(NE) { Value b = POP(); TOP() = val_bool(!val_equal(TOP(), b)); NEXT; }
        CASE(LT) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) < 0); NEXT; }
        CASE(LE) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) <= 0); NEXT; }
        CASE(GT) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) > 0); NEXT; }
        CASE(GE) { Num b = POP().as.num; TOP() = val_bool(num_cmp(TOP().as.num, b) >= 0); NEXT; }
        CASE(MIN) { Num b = POP().as.num; TOP().as.num = num_min(TOP().as.num, b); NEXT; }
        CASE(MAX) { Num b = POP().as.num; TOP().as.num = num_max(TOP().as.num, b); NEXT; }
        CASE(ABS) if (num_sign(TOP().as.num) < 0) TOP().as.num = num_neg(TOP().as.num); NEXT;
        CASE(ROUND) {
            SYNC();
            int a = READ_A(); int b = READ_A();
            TOP().as.num = num_round(TOP().as.num, a - 32768, (RoundMode)b);
            NEXT;
        }
        CASE(SUM_LIST) {
            SYNC();
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
        CASE(MAX_LIST) { SYNC(); TOP() = val_num(list_end(ev, TOP().as.list, true, AT())); NEXT; }
        CASE(MIN_LIST) { SYNC(); TOP() = val_num(list_end(ev, TOP().as.list, false, AT())); NEXT; }
        CASE(PERCENTILE) {
            SYNC();
            Num share = POP().as.num;
            TOP() = val_num(list_percentile(ev, TOP().as.list, share, AT()));
            NEXT;
        }
        CASE(JUMP) { int a = READ_A(); ip += a; NEXT; }
        CASE(JUMP_IF_FALSE) {
            int a = READ_A();
            T_(trace_branch(tn, PC(), TOP().as.b));
            if (!POP().as.b) ip += a;
            NEXT;
        }
        CASE(JUMP_IF_TRUE) {
            int a = READ_A();
            T_(trace_branch(tn, PC(), TOP().as.b));
            if (POP().as.b) ip += a;
            NEXT;
        }
        CASE(AND_JUMP) { int a = READ_A(); if (!TOP().as.b) ip += a; else sp--; NEXT; }
        CASE(OR_JUMP) { int a = READ_A(); if (TOP().as.b) ip += a; else sp--; NEXT; }
        CASE(LOOP) {
            int a = READ_A();
            if (--ev->steps_left < 0) out_of_steps(ev, ch, op_at);
            ip -= a;
            NEXT;
        }
        CASE(ITEM_START) acc = POP().as.num; T_(tn->start = acc); NEXT;
        /* In the traced copy each step records the score before and after
        ** it and the amount it worked with (the operand names the step). */
        CASE(STEP_ZERO) {
            int a = READ_A(); (void)a;
            T_(trace_step(tn, a, acc, acc, num_int(0)));
            acc = num_int(0);
            NEXT;
        }
        CASE(STEP_DEDUCT) {
            SYNC();
            int a = READ_A(); (void)a;
            Num amount = POP().as.num;
            Num before = acc; (void)before;
            acc = num_sub(acc, amount);
            T_(trace_step(tn, a, before, amount, acc));
            NEXT;
        }
        CASE(STEP_ADD) {
            SYNC();
            int a = READ_A(); (void)a;
            Num amount = POP().as.num;
            Num before = acc; (void)before;
            acc = num_add(acc, amount);
            T_(trace_step(tn, a, before, amount, acc));
            NEXT;
        }
        CASE(STEP_SCORE) {
            int a = READ_A(); (void)a;
            Num before = acc; (void)before;
            acc = POP().as.num;
            T_(trace_step(tn, a, before, acc, acc));
            NEXT;
        }
        CASE(STEP_SCALE) {
            SYNC();
            int a = READ_A(); (void)a;
            Num factor = POP().as.num;
            Num before = acc; (void)before;
            acc = num_mul(acc, factor);
            T_(trace_step(tn, a, before, factor, acc));
            NEXT;
        }
        CASE(ITEM_END) {
            SYNC();   /* the clamp and rounding are the item's own */
            Num final = finish_item(p, item, acc, unit);
            ev->sp = saved_sp;
            ev->at = outer;
            T_(tn->raw = acc; tn->value = val_num(final));
            return val_num(final);
        }
        CASE(NO_BAND) {
            int a = READ_A();
            vm_error(ev, AT(), "add a last band such as: 不合格 otherwise",
                     "the value %s fits no band of grade '%s'", num_to_string(locals[0].as.num), p->grades[a].name);
        }
        CASE(RETURN) {
            Value v = POP();
            ev->sp = saved_sp;
            ev->at = outer;
            T_(tn->value = v);
            return v;
        }
    DISPATCH_END();
#undef PUSH
#undef POP
#undef TOP
}

#undef T_
#undef PC
#undef CASE
#undef NEXT
#undef DISPATCH_START
#undef DISPATCH_END
#undef LABEL_ADDR
#undef READ_A
#undef AT
#undef SYNC
