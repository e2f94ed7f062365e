/*
** vm_batch_lanes.h — the batch interpreter's work on the lanes of one slot,
** included once by vm.c after vm_batch.h: fact and table columns read into
** lanes (a group of consecutive units is a run of adjacent cells), the
** arithmetic kernels on a number's two words, an item's clamp and rounding
** for every lane, and equality of any type. Nothing here decodes bytecode
** or raises an error: a lane that cannot be computed is reported to the
** caller (a blank cell) and fails there. No include guard, on purpose.
*/

/* ---- reading data ------------------------------------------------------------ */

static ValueTag tag_of_fact(FactType t)
{
    switch (t) {
    case FT_BOOL: return V_BOOL;
    case FT_ENUM: return V_ENUM;
    case FT_TEXT: return V_TEXT;
    case FT_COUNT: case FT_DECIMAL: case FT_PERCENT: return V_NUM;
    }
    return V_NUM;
}

/* Lane i of s := the cell; false when it is blank. */
static inline bool read_cell(const FactColumn *c, size_t cell, Slot *s, size_t i)
{
    switch (c->type) {
    case FT_BOOL: {
        uint8_t b = c->small[cell];
        if (b == FACT_BLANK) return false;
        s->bits = (s->bits & ~BIT(i)) | ((Mask)(b != 0) << i);
        return true;
    }
    case FT_ENUM:
        if (c->small[cell] == FACT_BLANK) return false;
        s->num[i] = c->small[cell];
        return true;
    case FT_TEXT:
        if (!c->text[cell]) return false;
        s->num[i] = (int64_t)(intptr_t)c->text[cell];
        return true;
    case FT_COUNT: case FT_DECIMAL: case FT_PERCENT: {
        Num n;
        if (!fact_num(c, cell, &n)) return false;
        set_num(s, i, n);
        return true;
    }
    }
    return false;   /* not reached: every fact type is a case above */
}

/* Lanes of m := the numbers of column c at cells cell0 + lane; returns the
** lanes whose cell is blank. A full group whose cells share one scale (a
** column of counts, of two-place decimals) is two plain copies. */
static Mask column_numbers(const FactColumn *c, size_t cell0, Slot *s, Mask m)
{
    const uint8_t *sc = c->scale + cell0;
    const int32_t *m32 = c->mant32 ? c->mant32 + cell0 : NULL;
    const int64_t *m64 = c->mant ? c->mant + cell0 : NULL;
    if (m == ~(Mask)0) {
        uint8_t k0 = sc[0];
        unsigned differ = 0;
        for (size_t i = 0; i < LANES; i++) differ |= (unsigned)(sc[i] ^ k0);
        if (!differ && k0 != FACT_BLANK) {
            int64_t d = num_pow10[k0];
            if (m32) for (size_t i = 0; i < LANES; i++) s->num[i] = m32[i];
            else memcpy(s->num, m64, sizeof s->num);
            for (size_t i = 0; i < LANES; i++) s->den[i] = d;
            return 0;
        }
    }
    Mask blank = 0;
    EACH_LANE(i, m, {
        uint8_t k = sc[i];
        if (k == FACT_BLANK) { blank |= BIT(i); k = 0; }
        s->num[i] = m32 ? m32[i] : m64[i];
        s->den[i] = num_pow10[k];
    });
    return blank;
}

/* The yes/no cells small[0 .. LANES) as lane masks: which say yes, which
** are blank. */
static inline void bool_masks(const uint8_t *small, Mask *yes, Mask *blank)
{
#if defined(__SSE2__)
    Mask y = 0, k = 0;
    const __m128i one = _mm_set1_epi8(1), none = _mm_set1_epi8((char)FACT_BLANK);
    for (int q = 0; q < LANES / 16; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(small + 16 * q));
        y |= (Mask)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, one)) << (16 * q);
        k |= (Mask)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, none)) << (16 * q);
    }
    *yes = y;
    *blank = k;
#else
    Mask y = 0, k = 0;
    for (size_t i = 0; i < LANES; i++) {
        y |= (Mask)(small[i] == 1) << i;
        k |= (Mask)(small[i] == FACT_BLANK) << i;
    }
    *yes = y;
    *blank = k;
#endif
}

/* Pushes column col of period `period` for the lanes of the flow. The
** cells of one period of consecutive units are adjacent (fact_cell). */
static void push_column(Eval *ev, Flow *f, const BFrame *fr, int col, int period)
{
    const FactData *facts = ev->f;
    const FactColumn *c = &facts->cols[col];
    size_t cell0 = fact_cell(facts, fr->base, period);
    Slot *s = f->sp++;
    s->tag = tag_of_fact(c->type);
    s->uni = false;
    Mask blank = 0;
    if (c->type == FT_BOOL) {
        const uint8_t *sm = c->small + cell0;
        Mask r = 0;
        if (f->A == ~(Mask)0) {   /* all 64 units of the group exist */
            bool_masks(sm, &r, &blank);
        } else {
            EACH_LANE(i, f->A, {
                uint8_t b = sm[i];
                blank |= (Mask)(b == FACT_BLANK) << i;
                r |= (Mask)(b & 1) << i;
            });
        }
        s->bits = (s->bits & ~f->A) | (r & ~blank & f->A);
    } else if (c->type != FT_ENUM && c->type != FT_TEXT) {
        blank = column_numbers(c, cell0, s, f->A);
    } else {
        EACH_LANE(i, f->A, if (!read_cell(c, cell0 + i, s, i)) blank |= BIT(i););
    }
    if (blank) flow_fail(f, blank & f->A);
}

/* ---- lane arithmetic ------------------------------------------------------------- */

/* Lane kernels: r := x OP y on the two words of each number, so that lane
** loops keep them in registers (a Num passed whole goes through vector
** registers and the stack). The common small cases are here; the num_*
** functions do the rest, and are the definition: each kernel returns what
** they return. */
static inline void set_words(int64_t *rn, int64_t *rd, Num r)
{
    *rn = r.num;
    *rd = r.den;
}

/* a + b, or a - b when minus (a constant where it is inlined). */
static inline void k_addsub(int64_t an, int64_t ad, int64_t bn, int64_t bd, bool minus, int64_t *rn, int64_t *rd)
{
    int64_t n, x, y, d;
    if (__builtin_expect(ad == bd && ad != 0, 1)) {
        if (!(minus ? __builtin_sub_overflow(an, bn, &n) : __builtin_add_overflow(an, bn, &n))) {
            *rn = n; *rd = ad; return;
        }
    } else if (ad != 0 && bd != 0 && !__builtin_mul_overflow(an, bd, &x) && !__builtin_mul_overflow(bn, ad, &y) &&
               !__builtin_mul_overflow(ad, bd, &d) &&
               !(minus ? __builtin_sub_overflow(x, y, &n) : __builtin_add_overflow(x, y, &n))) {
        *rn = n; *rd = d; return;
    }
    Num a = { an, ad }, b = { bn, bd };
    set_words(rn, rd, minus ? num_sub_general(a, b) : num_add_general(a, b));
}

static inline void k_add(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    k_addsub(an, ad, bn, bd, false, rn, rd);
}

static inline void k_sub(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    k_addsub(an, ad, bn, bd, true, rn, rd);
}

static inline void k_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    int64_t n, d;
    if (__builtin_expect(!__builtin_mul_overflow(an, bn, &n) && !__builtin_mul_overflow(ad, bd, &d) && d != 0, 1)) {
        *rn = n; *rd = d; return;
    }
    set_words(rn, rd, num_mul_general((Num){ an, ad }, (Num){ bn, bd }));
}

/* num_cmp's order of two numbers given as words. */
static inline int k_cmp(int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
    if (__builtin_expect(ad == bd && ad != 0, 1)) return (an > bn) - (an < bn);
    return num_cmp((Num){ an, ad }, (Num){ bn, bd });
}

/* num_min and num_max: on a tie the first. */
static inline void k_min(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    bool b = k_cmp(bn, bd, an, ad) < 0;
    *rn = b ? bn : an;
    *rd = b ? bd : ad;
}

static inline void k_max(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    bool b = k_cmp(bn, bd, an, ad) > 0;
    *rn = b ? bn : an;
    *rd = b ? bd : ad;
}

/* finish_item for the lanes of the flow: held to [0, points], rounded as
** the rubric says. The common case (points and rounding to 0..18 places
** that a small value meets) on words, the item's constants out of the
** loop; finish_item for everything else (a big value, a real rounding). */
static void finish_lanes(const Program *p, const ItemDef *item, Slot *acc, Mask m, int base)
{
    if (item->unit_points) {    /* points by 类型: each lane its unit's points */
        fill(acc, m);
        acc->uni = false;
        EACH_LANE(i, m, set_num(acc, i, finish_item(p, item, (Num){ acc->num[i], acc->den[i] }, base + (int)i)););
        return;
    }
    if (acc->uni) {
        Num x = finish_item(p, item, (Num){ acc->un, acc->ud }, -1);
        acc->un = x.num;
        acc->ud = x.den;
        return;
    }
    if (!(item->has_points && item->points.den != 0 && p->round_items && (unsigned)p->round_places <= 18)) {
        EACH_LANE(i, m, set_num(acc, i, finish_item(p, item, (Num){ acc->num[i], acc->den[i] }, -1)););
        return;
    }
    int64_t pn = item->points.num, pd = item->points.den, P = num_pow10[p->round_places];
    bool half_up = p->round_mode == ROUND_HALF_UP;
    int64_t *num = acc->num, *den = acc->den;
    EACH_LANE(i, m, {
        int64_t n = num[i], d = den[i], r, t;
        if (d == 0) {
            Num x = finish_item(p, item, (Num){ n, d }, -1);
            n = x.num, d = x.den;
        } else {
            if (n < 0) n = 0, d = 1;
            /* over the points: n/d > pn/pd, in 64 bits where the products fit */
            if (pd == 1 && !__builtin_mul_overflow(pn, d, &t) ? n > t : k_cmp(n, d, pn, pd) > 0) n = pn, d = pd;
            if (d == P) {
                /* already exact to the places */
            } else if (d == 1 && !__builtin_mul_overflow(n, P, &r)) {
                n = r, d = P;
            } else if (half_up && !__builtin_mul_overflow(n, P, &r)) {
                /* n >= 0 here: the quotient, and up when the remainder is half or more */
                int64_t q = r / d, rem = r % d;
                n = q + (rem >= d - rem), d = P;
            } else {
                Num x = num_round_general((Num){ n, d }, p->round_places, p->round_mode);
                n = x.num, d = x.den;
            }
        }
        num[i] = n;
        den[i] = d;
    });
}

/* a = b (or a != b when negate) for values of any type. */
static void equal_lanes(Flow *f, bool negate)
{
    Slot *b = --f->sp, *a = f->sp - 1;
    Mask r = 0;
    if (a->tag == V_BOOL) {
        r = ~(a->bits ^ b->bits);
    } else if (a->uni && b->uni) {
        r = val_equal(slot_value(a, 0), slot_value(b, 0)) ? ~(Mask)0 : 0;
    } else if (a->tag == V_NUM) {
        EACH_LANE(i, f->A, r |= (Mask)num_eq(lane_num(a, i), lane_num(b, i)) << i;);
    } else if (a->tag == V_TEXT) {
        EACH_LANE(i, f->A, {
            const char *x = (const char *)(intptr_t)(a->uni ? a->un : a->num[i]);
            const char *y = (const char *)(intptr_t)(b->uni ? b->un : b->num[i]);
            r |= (Mask)(strcmp(x, y) == 0) << i;
        });
    } else {   /* choices */
        EACH_LANE(i, f->A, r |= (Mask)((a->uni ? a->un : a->num[i]) == (b->uni ? b->un : b->num[i])) << i;);
    }
    if (negate) r = ~r;
    a->tag = V_BOOL;
    a->uni = false;
    a->bits = (a->bits & ~f->A) | (r & f->A);
}
