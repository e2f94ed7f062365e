/*
** vm_batch.h — the batch interpreter, included once by vm.c, which then
** includes its two other parts: vm_batch_lanes.h (reading columns into
** lanes, lane arithmetic) and vm_batch_run.h (the loop, memos and cohorts,
** scoring units in groups). This part: lanes, slots and control flow. It runs the
** same bytecode as vm_loop.h for up to 64 consecutive units at once: every
** value-stack slot holds one value per lane (lane i is unit base + i), and an
** instruction is decoded once and applied to every lane that reached it, so
** the cost of dispatch is shared by the lanes. eval_unit scores units this
** way when they are asked for in order and tracing is off.
**
** Control flow. The lanes that reach an instruction together are the flow.
** A jump taken by some lanes and not others parks the takers at its target
** until the flow gets there; code runs in increasing pc order (a LOOP goes
** back only when every lane of the flow does), so parked lanes are picked
** up when the flow reaches their target, or resumed there when the flow
** has no lane left. A stack slot, a local or the item's score may be
** uniform: one value for every lane of the flow (constants, params, what is
** computed from them alone), computed once. Lanes that park take their own
** copy of every uniform value first.
**
** Errors. Nothing here reports one. A lane that would raise an error (a
** blank cell, a division by zero, no band, a cycle, and also a limit of this
** interpreter such as its slot pool) is dropped and marked failed; eval_unit
** then scores that unit alone with run_plain, which raises the error with
** its exact message, or succeeds. Evaluation is a pure function of the
** rules and the data, so a unit scored either way gets the same numbers.
**
** Limits. A group of units has the step budget of one unit (EVAL_MAX_STEPS),
** a step counted once for every lane that takes it: a chunk run or a loop's
** back jump. A group that runs out, or makes a number past num.c's size
** limit, is abandoned whole (a longjmp to batch_group); its units are then
** scored one by one with run_plain, which raises the same error with its
** exact message and place, or scores a unit the group's lanes delayed.
*/

#define LANES 64
/* Slots for running chunks, their locals and stacks; nested lets, cohorts
** and deep expressions take more. Running out only sends lanes to run_plain. */
#define BATCH_POOL 1024
/* Nesting of chunk runs (lets reading lets, cohorts within cohorts). */
#define BATCH_DEPTH 48
/* Jump targets with lanes waiting at once, and the stack depth a parked
** lane may have; more sends the lanes to run_plain. */
#define MAX_PEND 16
#define PEND_TAGS 16

typedef uint64_t Mask;
#define BIT(i) ((Mask)1 << (i))

static inline Mask lanes_of(int n)
{
    return n >= LANES ? ~(Mask)0 : BIT(n) - 1;
}

/* Runs BODY for each lane i of mask, a run of consecutive lanes at a time
** (tight loops when most lanes are there, as they usually are). */
#define EACH_LANE(i, mask, ...)                                                   \
    do {                                                                          \
        Mask left_ = (mask);                                                      \
        while (left_) {                                                           \
            size_t lo_ = (size_t)__builtin_ctzll(left_);                          \
            Mask above_ = ~(left_ >> lo_);                                        \
            size_t hi_ = above_ ? lo_ + (size_t)__builtin_ctzll(above_) : LANES;  \
            left_ = hi_ >= LANES ? 0 : left_ & (~(Mask)0 << hi_);                 \
            for (size_t i = lo_; i < hi_; i++) { __VA_ARGS__ }                    \
        }                                                                         \
    } while (0)

/* One value per lane, numbers split into numerator and denominator arrays
** (loads and stores of plain words). A yes/no value is the bits of `bits`.
** Any other is in num[]: a choice index, or a text or list address (the
** block is scanned by the collector, which sees those addresses as it sees
** a big Num's). While `uni` is set, every lane of the flow holds un/ud and
** num[]/den[] are not read. The tag is kept once per slot, since the type of
** a slot at a given instruction is the same for every lane. */
typedef struct Slot {
    ValueTag tag;
    bool uni;
    Mask bits;
    int64_t un, ud;
    int64_t num[LANES];
    int64_t den[LANES];
} Slot;

static inline Num lane_num(const Slot *s, size_t i)
{
    return s->uni ? (Num){ s->un, s->ud } : (Num){ s->num[i], s->den[i] };
}

static inline void set_num(Slot *s, size_t i, Num n)
{
    s->num[i] = n.num;
    s->den[i] = n.den;
}

/* Lets of a unit-period for a group of lanes, like Frame. */
typedef struct BFrame {
    int base;               /* lane i is unit base + i */
    int period;             /* -1 for results, grades and outcomes */
    Slot *lets;             /* [nlets]; NULL until a let of the period is read */
    Mask *let_done, *let_busy;
    Mask *failed;           /* lanes dropped for run_plain to score */
    struct BFrame *set;     /* [nperiods] the group's frames, for 年度.x */
} BFrame;

/* Lanes waiting at a jump target, with the stack they wait with. */
typedef struct Pend {
    uint32_t pc;
    int depth;
    Mask lanes;
    uint8_t tags[PEND_TAGS];
} Pend;

/* The state of one chunk run. */
typedef struct Flow {
    Mask A;                 /* lanes running now */
    Slot *locals, *acc, *stack, *sp;
    int nlocals;
    Pend pend[MAX_PEND];    /* sorted by pc, highest first: the next is last */
    int npend;
    uint32_t next_pc;       /* pc of the last pend, or NO_PC */
    Mask *failed;
} Flow;

typedef struct Batch {
    Slot *pool;
    int pool_top, depth;
    long steps_left;        /* of EVAL_MAX_STEPS, for the group (or a cohort's group) */
    /* the units last scored: base .. base + n - 1, lanes ok succeeded */
    int base, n;
    Mask ok, failed;
    BFrame *frames;         /* [nperiods] */
    BFrame uframe;          /* results, grades and outcomes */
    Slot *uvals[3];         /* [nresults], [ngrades], [noutcomes] */
    Mask *udone[3], *ubusy[3];
    Num *pscore;            /* [period * LANES + lane] */
    Slot *out;              /* an item's scores */
    /* what eval_unit copies out, per lane */
    Num *items, *sections, *periods;    /* [(period * n{items,sections} + k) * LANES + lane] */
    Value *vals;            /* [(results, grades, outcomes) * LANES + lane] */
    int nvals;
    long dropped;           /* see eval_batch_dropped */
} Batch;

static Mask batch_run(Eval *ev, const Chunk *ch, BFrame *fr, const ItemDef *item, Mask mask, Slot *out);

/* ---- slots --------------------------------------------------------------- */

/* The payload word of a value that is not yes/no. */
static inline void value_words(Value v, int64_t *n, int64_t *d)
{
    *d = 0;
    switch (v.tag) {
    case V_NUM: *n = v.as.num.num; *d = v.as.num.den; break;
    case V_ENUM: *n = v.as.e; break;
    case V_TEXT: *n = (int64_t)(intptr_t)v.as.s; break;
    case V_LIST: *n = (int64_t)(intptr_t)v.as.list; break;
    case V_BOOL: case V_NONE: *n = 0; break;   /* yes/no lives in the bit mask */
    }
}

/* The value of lane i of s. */
static Value slot_value(const Slot *s, size_t i)
{
    Value v;
    v.tag = s->tag;
    int64_t n = s->uni ? s->un : s->num[i];
    switch (s->tag) {
    case V_BOOL: v.as.b = (s->bits >> i) & 1; break;
    case V_NUM: v.as.num = lane_num(s, i); break;
    case V_ENUM: v.as.e = (int)n; break;
    case V_TEXT: v.as.s = (const char *)(intptr_t)n; break;
    case V_LIST: v.as.list = (NumList *)(intptr_t)n; break;
    case V_NONE: v.as.num = num_int(0); break;
    }
    return v;
}

/* s := v on the lanes of m, as one uniform value. */
static inline void slot_set(Slot *s, Value v, Mask m)
{
    s->tag = v.tag;
    if (v.tag == V_BOOL) {
        s->bits = v.as.b ? s->bits | m : s->bits & ~m;
        s->uni = false;
    } else {
        s->uni = true;
        value_words(v, &s->un, &s->ud);
    }
}

/* d := s on the lanes of m; a uniform s stays uniform. */
static inline void slot_copy(Slot *d, const Slot *s, Mask m)
{
    d->tag = s->tag;
    if (s->tag == V_BOOL) {
        d->bits = (d->bits & ~m) | (s->bits & m);
        d->uni = false;
    } else if (s->uni) {
        d->uni = true;
        d->un = s->un;
        d->ud = s->ud;
    } else {
        d->uni = false;
        EACH_LANE(i, m, d->num[i] = s->num[i]; d->den[i] = s->den[i];);
    }
}

/* Writes a uniform slot's value into the lanes of m (uni stays set). */
static inline void fill(Slot *s, Mask m)
{
    if (!s->uni || s->tag == V_BOOL) return;
    int64_t n = s->un, d = s->ud;
    EACH_LANE(i, m, s->num[i] = n; s->den[i] = d;);
}

/* d := s on the lanes of m, never uniform (for values kept past the run). */
static inline void slot_store(Slot *d, const Slot *s, Mask m)
{
    if (s->uni && s->tag != V_BOOL) {
        d->tag = s->tag;
        d->uni = false;
        int64_t n = s->un, dd = s->ud;
        EACH_LANE(i, m, d->num[i] = n; d->den[i] = dd;);
        return;
    }
    slot_copy(d, s, m);
}

/* ---- control flow ---------------------------------------------------------- */

static void flow_fill(Flow *f, Mask m)
{
    for (int k = 0; k < f->nlocals; k++) fill(&f->locals[k], m);
    fill(f->acc, m);
    for (Slot *s = f->stack; s < f->sp; s++) fill(s, m);
}

static void flow_vary(Flow *f)
{
    for (int k = 0; k < f->nlocals; k++) f->locals[k].uni = false;
    f->acc->uni = false;
    for (Slot *s = f->stack; s < f->sp; s++) s->uni = false;
}

static inline void flow_fail(Flow *f, Mask m)
{
    *f->failed |= m;
    f->A &= ~m;
}

/* The lanes of m (in the flow) wait at target with the current stack. */
static void park(Flow *f, Mask m, uint32_t target)
{
    int depth = (int)(f->sp - f->stack);
    int k = f->npend;
    while (k > 0 && f->pend[k - 1].pc < target) k--;
    if (k > 0 && f->pend[k - 1].pc == target) {
        flow_fill(f, m);
        f->pend[k - 1].lanes |= m;
    } else if (f->npend == MAX_PEND || depth > PEND_TAGS) {
        flow_fail(f, m);
        return;
    } else {
        flow_fill(f, m);
        memmove(&f->pend[k + 1], &f->pend[k], sizeof(Pend) * (size_t)(f->npend - k));
        Pend *e = &f->pend[k];
        e->pc = target;
        e->depth = depth;
        e->lanes = m;
        for (int d = 0; d < depth; d++) e->tags[d] = (uint8_t)f->stack[d].tag;
        f->npend++;
    }
    f->A &= ~m;
    f->next_pc = f->pend[f->npend - 1].pc;
}

/* The flow reached next_pc: the lanes waiting there join it. */
static void arrive(Flow *f)
{
    Pend *e = &f->pend[--f->npend];
    if (f->A) {
        flow_fill(f, f->A);
    } else {
        f->sp = f->stack + e->depth;
        for (int d = 0; d < e->depth; d++) f->stack[d].tag = (ValueTag)e->tags[d];
    }
    flow_vary(f);
    f->A |= e->lanes;
    f->next_pc = f->npend ? f->pend[f->npend - 1].pc : NO_PC;
}

/* Every lane of the flow jumps forward to target. Lanes waiting before it
** must run first, so the flow then waits at target itself. */
static void jump_all(Flow *f, uint32_t *pc, uint32_t target)
{
    if (f->next_pc < target) park(f, f->A, target);
    else *pc = target;
}

/* A conditional jump taken by the lanes of t. */
static void branch(Flow *f, uint32_t *pc, Mask t, uint32_t target)
{
    if (t == f->A) jump_all(f, pc, target);
    else if (t) park(f, t, target);
}
