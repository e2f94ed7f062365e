/*
** num.c — exact rational arithmetic behind num.h.
** Small form (int64 num/den) is the hot path: it must never allocate, never
** take a gcd unless a result would not fit, and never touch GMP. Anything
** larger goes through GMP rationals whose memory belongs to the Boehm GC.
** The commonest small cases of add, sub, mul, cmp, eq and sign are answered
** inline in num.h; the num_*_general functions here are the complete
** operations behind them.
** No binary floating point anywhere in this file.
*/
#include "num.h"

#include "fault.h"

#include <gc.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mpz_set_si/mpz_get_si/mpq_cmp_si take `long`; the small form is int64. */
_Static_assert(sizeof(long) == sizeof(int64_t), "kaohe needs an LP64 target");
/* The big form keeps its BigQ address in the int64 num field. */
_Static_assert(sizeof(intptr_t) == sizeof(int64_t), "a pointer must fit Num.num");

typedef __int128 i128;
typedef unsigned __int128 u128;

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define COLD __attribute__((noinline, cold))

/* The big form. Invariants: q is canonical (lowest terms, den > 0), and it
** does not fit the small form — every big result that fits is demoted — so a
** big value never equals a small one. A BigQ is never modified once made:
** Nums are copied by value and may share it. It is never cleared either; the
** collector reclaims it and its limbs. A Num refers to it only through the
** address kept in its num field (see num.h for why the conservative
** collector still sees that reference); big_of and make_big are the only
** places that convert. */
struct BigQ {
    mpq_t q;
};

/* 10^0 .. 10^18, every power of ten an int64 holds. */
const int64_t num_pow10[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL,
};
#define P10 num_pow10
#define P10_MAX 18

static size_t alloc_count;

static void count_alloc(void)
{
    __atomic_fetch_add(&alloc_count, 1, __ATOMIC_RELAXED);
}

size_t num_alloc_count(void)
{
    return __atomic_load_n(&alloc_count, __ATOMIC_RELAXED);
}

COLD static void out_of_memory(void)
{
    fault_out_of_memory();
}

COLD static void internal_error(const char *what)
{
    fprintf(stderr, "kaohe: internal error in num.c: %s\n", what);
    abort();
}

/* ---- GMP memory through the collector ---------------------------------
** A BigQ (which points at its limbs) is a normal, scanned block, and so is
** every block GMP asks for, limbs included: GMP chains the temporaries of a
** large multiplication (TMP_ALLOC past 32 KiB) through a header inside each
** block, and only the newest is held on the stack. In atomic blocks the
** older ones were invisible to the collector, which reclaimed them in the
** middle of the multiplication ("Duplicate large block deallocation" and an
** abort, found by squaring a fraction 22 times). Freeing is explicit for
** the temporaries num.c clears itself, which keeps collections rarer;
** nothing shared is ever cleared. */

static void *gmp_alloc(size_t n)
{
    count_alloc();
    void *p = GC_MALLOC(n);
    if (!p) out_of_memory();
    return p;
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
    (void)old;
    count_alloc();
    void *q = GC_REALLOC(p, n);
    if (!q) out_of_memory();
    return q;
}

static void gmp_free(void *p, size_t n)
{
    (void)n;
    GC_FREE(p);
}

/* GMP memory obtained before this call came from malloc and must not reach
** gmp_free/gmp_realloc, so this runs before any Num is made (check_main.c,
** main.c). Calling it again is harmless. */
void num_init(void)
{
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

static char *gc_string(size_t n)
{
    count_alloc();
    char *s = GC_MALLOC_ATOMIC(n);
    if (!s) out_of_memory();
    return s;
}

/* ---- small helpers ---------------------------------------------------- */

static inline Num small(int64_t n, int64_t d)
{
    return (Num){n, d};
}

static inline bool is_big(Num a)
{
    return a.den == 0;
}

/* The BigQ of a big value. */
static inline struct BigQ *big_of(Num a)
{
    return (struct BigQ *)(intptr_t)a.num;
}

/* A big value for b: its address, unaltered, in num (den 0 marks the form). */
static inline Num make_big(struct BigQ *b)
{
    return (Num){(int64_t)(intptr_t)b, 0};
}

static inline bool fits64(i128 v)
{
    return (i128)(int64_t)v == v;
}

/* |v| as unsigned: well defined for INT64_MIN too. */
static inline uint64_t mag64(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

static inline int ctz128(u128 v)
{
    uint64_t lo = (uint64_t)v;
    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(v >> 64));
}

/* Binary gcd; gcd(0, b) = b. */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (a == 0) return b;
    if (b == 0) return a;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

static u128 gcd128(u128 a, u128 b)
{
    if (a == 0) return b;
    if (b == 0) return a;
    int shift = ctz128(a | b);
    a >>= ctz128(a);
    b >>= ctz128(b);
    /* both odd now; drop to 64 bits as soon as both fit */
    while ((a >> 64) != 0 || (b >> 64) != 0) {
        if (a > b) {
            u128 t = a;
            a = b;
            b = t;
        }
        b -= a;
        if (b == 0) return a << shift;
        b >>= ctz128(b);
    }
    return (u128)gcd64((uint64_t)a, (uint64_t)b) << shift;
}

static void mpz_set_i128(mpz_ptr z, i128 v)
{
    u128 m = v < 0 ? 0 - (u128)v : (u128)v;
    uint64_t w[2] = {(uint64_t)m, (uint64_t)(m >> 64)};
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
    if (v < 0) mpz_neg(z, z);
}

static struct BigQ *new_bigq(void)
{
    count_alloc();
    struct BigQ *b = GC_MALLOC(sizeof *b);
    if (!b) out_of_memory();
    mpq_init(b->q);
    return b;
}

static void (*too_large)(void);

void num_set_too_large(void (*handler)(void))
{
    too_large = handler;
}

/* Takes a canonical rational r (and clears it): the small form when it
** fits, otherwise r's limbs move into a new BigQ. Every big result passes
** here, so this is where the size limit is kept. */
static Num take_mpq(mpq_ptr r)
{
    if (mpz_fits_slong_p(mpq_numref(r)) && mpz_fits_slong_p(mpq_denref(r))) {
        Num x = small(mpz_get_si(mpq_numref(r)), mpz_get_si(mpq_denref(r)));
        mpq_clear(r);
        return x;
    }
    if (too_large && (mpz_sizeinbase(mpq_numref(r), 2) > NUM_MAX_BITS ||
                      mpz_sizeinbase(mpq_denref(r), 2) > NUM_MAX_BITS)) {
        mpq_clear(r);
        too_large();
    }
    struct BigQ *b = new_bigq();
    mpq_swap(b->q, r);
    mpq_clear(r);
    return make_big(b);
}

/* The rational of a as a read-only GMP value: a big's own, or tmp (which
** must be initialised) set to a small's value. */
static mpq_srcptr view(Num a, mpq_ptr tmp)
{
    if (is_big(a)) return big_of(a)->q;
    mpq_set_si(tmp, a.num, (unsigned long)a.den);
    mpq_canonicalize(tmp);
    return tmp;
}

/* n/d with d > 0, whatever the size: reduced, then small if it fits. */
COLD static Num norm128_slow(i128 n, i128 d)
{
    if (n == 0) return small(0, 1);
    bool neg = n < 0;
    u128 un = neg ? 0 - (u128)n : (u128)n;
    u128 ud = (u128)d;
    u128 g = gcd128(un, ud);
    if (g != 1) {
        un /= g;
        ud /= g;
    }
    if (un <= (u128)INT64_MAX + neg && ud <= (u128)INT64_MAX) {
        int64_t sn = neg ? (int64_t)(0 - (uint64_t)un) : (int64_t)un;
        return small(sn, (int64_t)ud);
    }
    /* Lowest terms and too big for int64: already canonical. */
    struct BigQ *b = new_bigq();
    mpz_set_i128(mpq_numref(b->q), neg ? -(i128)un : (i128)un);
    mpz_set_i128(mpq_denref(b->q), (i128)ud);
    return make_big(b);
}

static inline Num norm128(i128 n, i128 d)
{
    if (LIKELY(fits64(n) && fits64(d))) return small((int64_t)n, (int64_t)d);
    return norm128_slow(n, d);
}

/* ---- construction ----------------------------------------------------- */

Num num_frac(int64_t n, int64_t d)
{
    if (d == 0) internal_error("num_frac with a zero denominator");
    if (d > 0) return small(n, d);
    return norm128(-(i128)n, -(i128)d);
}

/* ---- arithmetic -------------------------------------------------------
** The fast paths use int64 overflow builtins; on any overflow the exact
** 128-bit result (two int64 products never overflow 127 bits) is reduced
** and, only if still too wide, made big. */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

COLD static Num big_arith(Num a, Num b, int op)
{
    mpq_t ta, tb, r;
    mpq_inits(ta, tb, r, NULL);
    mpq_srcptr pa = view(a, ta);
    mpq_srcptr pb = view(b, tb);
    switch (op) {
    case OP_ADD: mpq_add(r, pa, pb); break;
    case OP_SUB: mpq_sub(r, pa, pb); break;
    case OP_MUL: mpq_mul(r, pa, pb); break;
    default: mpq_div(r, pa, pb); break;
    }
    mpq_clears(ta, tb, NULL);
    return take_mpq(r);
}

COLD static Num add_slow(Num a, Num b)
{
    if (a.den == b.den) return norm128((i128)a.num + b.num, a.den);
    return norm128((i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den);
}

COLD static Num sub_slow(Num a, Num b)
{
    if (a.den == b.den) return norm128((i128)a.num - b.num, a.den);
    return norm128((i128)a.num * b.den - (i128)b.num * a.den, (i128)a.den * b.den);
}

Num num_add_general(Num a, Num b)
{
    if (UNLIKELY(is_big(a) || is_big(b))) return big_arith(a, b, OP_ADD);
    int64_t n, x, y, d;
    if (a.den == b.den) {
        if (LIKELY(!__builtin_add_overflow(a.num, b.num, &n))) return small(n, a.den);
    } else if (LIKELY(!__builtin_mul_overflow(a.num, b.den, &x) &&
                      !__builtin_mul_overflow(b.num, a.den, &y) &&
                      !__builtin_mul_overflow(a.den, b.den, &d) &&
                      !__builtin_add_overflow(x, y, &n))) {
        return small(n, d);
    }
    return add_slow(a, b);
}

Num num_sub_general(Num a, Num b)
{
    if (UNLIKELY(is_big(a) || is_big(b))) return big_arith(a, b, OP_SUB);
    int64_t n, x, y, d;
    if (a.den == b.den) {
        if (LIKELY(!__builtin_sub_overflow(a.num, b.num, &n))) return small(n, a.den);
    } else if (LIKELY(!__builtin_mul_overflow(a.num, b.den, &x) &&
                      !__builtin_mul_overflow(b.num, a.den, &y) &&
                      !__builtin_mul_overflow(a.den, b.den, &d) &&
                      !__builtin_sub_overflow(x, y, &n))) {
        return small(n, d);
    }
    return sub_slow(a, b);
}

COLD static Num mul_slow(Num a, Num b)
{
    return norm128((i128)a.num * b.num, (i128)a.den * b.den);
}

Num num_mul_general(Num a, Num b)
{
    if (UNLIKELY(is_big(a) || is_big(b))) return big_arith(a, b, OP_MUL);
    int64_t n, d;
    if (LIKELY(!__builtin_mul_overflow(a.num, b.num, &n) &&
               !__builtin_mul_overflow(a.den, b.den, &d)))
        return small(n, d);
    return mul_slow(a, b);
}

COLD static Num div_slow(Num a, Num b)
{
    i128 n = (i128)a.num * b.den;
    i128 d = (i128)a.den * b.num;
    if (d < 0) {
        n = -n;
        d = -d;
    }
    return norm128(n, d);
}

bool num_div_general(Num a, Num b, Num *out)
{
    if (UNLIKELY(is_big(a) || is_big(b))) {
        if (num_sign(b) == 0) return false;
        *out = big_arith(a, b, OP_DIV);
        return true;
    }
    if (b.num == 0) return false;
    int64_t n, d;
    if (LIKELY(!__builtin_mul_overflow(a.num, b.den, &n) &&
               !__builtin_mul_overflow(a.den, b.num, &d))) {
        if (d > 0) {
            *out = small(n, d);
            return true;
        }
        if (n != INT64_MIN && d != INT64_MIN) {
            *out = small(-n, -d);
            return true;
        }
    }
    *out = div_slow(a, b);
    return true;
}

COLD static Num big_neg(Num a)
{
    mpq_t r;
    mpq_init(r);
    mpq_neg(r, big_of(a)->q);
    return take_mpq(r);
}

Num num_neg(Num a)
{
    if (UNLIKELY(is_big(a))) return big_neg(a);
    if (UNLIKELY(a.num == INT64_MIN)) return norm128(-(i128)a.num, a.den);
    return small(-a.num, a.den);
}

/* ---- comparison ------------------------------------------------------- */

static inline int sgn_int(int c)
{
    return (c > 0) - (c < 0);
}

COLD static int big_cmp(Num a, Num b)
{
    if (is_big(a) && is_big(b)) return sgn_int(mpq_cmp(big_of(a)->q, big_of(b)->q));
    if (is_big(a)) return sgn_int(mpq_cmp_si(big_of(a)->q, b.num, (unsigned long)b.den));
    return -sgn_int(mpq_cmp_si(big_of(b)->q, a.num, (unsigned long)a.den));
}

int num_cmp_general(Num a, Num b)
{
    if (UNLIKELY(is_big(a) || is_big(b))) return big_cmp(a, b);
    if (a.den == b.den) return (a.num > b.num) - (a.num < b.num);
    /* den > 0 on both sides, so cross-multiplying keeps the order */
    i128 l = (i128)a.num * b.den;
    i128 r = (i128)b.num * a.den;
    return (l > r) - (l < r);
}

bool num_eq_general(Num a, Num b)
{
    if (UNLIKELY(is_big(a) || is_big(b))) {
        if (is_big(a) && is_big(b)) return mpq_equal(big_of(a)->q, big_of(b)->q) != 0;
        return false;   /* a big never fits, so never equals, the small form */
    }
    if (a.den == b.den) return a.num == b.num;
    return (i128)a.num * b.den == (i128)b.num * a.den;
}

int num_sign_general(Num a)
{
    if (UNLIKELY(is_big(a))) return sgn_int(mpq_sgn(big_of(a)->q));
    return (a.num > 0) - (a.num < 0);
}

bool num_is_integer(Num a)
{
    if (UNLIKELY(is_big(a))) return mpz_cmp_ui(mpq_denref(big_of(a)->q), 1) == 0;
    return a.den == 1 || a.num % a.den == 0;
}

bool num_to_int64(Num a, int64_t *out)
{
    if (UNLIKELY(is_big(a))) {
        mpq_srcptr q = big_of(a)->q;
        if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(q)))
            return false;
        *out = mpz_get_si(mpq_numref(q));
        return true;
    }
    if (a.num % a.den != 0) return false;
    *out = a.num / a.den;
    return true;
}

Num num_reduce(Num x)
{
    if (is_big(x)) return x;   /* canonical already */
    uint64_t g = gcd64(mag64(x.num), (uint64_t)x.den);
    if (g == 1) return x;
    /* g divides both; INT64_MIN / g is exact and in range for g > 1 */
    return small(x.num / (int64_t)g, x.den / (int64_t)g);
}

/* ---- rounding ---------------------------------------------------------
** Everything rounds the true value q = N / D (D > 0) to an integer: truncate
** to Q with remainder R (sign of N), then decide from the mode, the sign,
** and how 2|R| compares with D. */

const char *round_mode_name(RoundMode m)
{
    switch (m) {
    case ROUND_HALF_UP: return "half_up";
    case ROUND_HALF_EVEN: return "half_even";
    case ROUND_DOWN: return "down";
    case ROUND_UP: return "up";
    case ROUND_FLOOR: return "floor";
    case ROUND_CEILING: return "ceiling";
    }
    return NULL;
}

bool round_mode_parse(const char *name, RoundMode *out)
{
    static const RoundMode all[] = {ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN,
                                    ROUND_UP, ROUND_FLOOR, ROUND_CEILING};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, round_mode_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

/* Whether a nonzero remainder moves Q one step away from zero.
** sign: sign of the value; half: 2|R| compared with D; q_odd: Q is odd. */
static inline bool round_away(RoundMode m, int sign, int half, bool q_odd)
{
    switch (m) {
    case ROUND_HALF_UP: return half >= 0;
    case ROUND_HALF_EVEN: return half > 0 || (half == 0 && q_odd);
    case ROUND_DOWN: return false;
    case ROUND_UP: return true;
    case ROUND_FLOOR: return sign < 0;
    case ROUND_CEILING: return sign > 0;
    }
    internal_error("unknown rounding mode");
    return false;
}

/* round(n/d * 10^p) for a small value and |p| <= 18. The scaled numerator
** or denominator needs at most 123 bits. */
static i128 round_small(int64_t n, int64_t d, int p, RoundMode m)
{
    i128 q, r, D;
    int64_t N64, D64;
    bool fits = p >= 0 ? !__builtin_mul_overflow(n, P10[p], &N64)
                       : !__builtin_mul_overflow(d, P10[-p], &D64);
    if (LIKELY(fits)) {
        if (p >= 0) D64 = d;
        else N64 = n;
        /* D64 > 0, so no INT64_MIN / -1 here */
        q = N64 / D64;
        r = N64 % D64;
        D = D64;
    } else {
        i128 N = p >= 0 ? (i128)n * P10[p] : n;
        D = p >= 0 ? d : (i128)d * P10[-p];
        q = N / D;
        r = N % D;
    }
    if (r == 0) return q;
    int sign = r < 0 ? -1 : 1;
    i128 ar = r < 0 ? -r : r;
    i128 rest = D - ar;   /* 2|R| vs D without risking overflow */
    int half = (ar > rest) - (ar < rest);
    return round_away(m, sign, half, (q & 1) != 0) ? q + sign : q;
}

/* Q = round(x * 10^p) for any value and any p. Q must be initialised. */
static void round_mpz(mpz_ptr Q, Num x, long p, RoundMode m)
{
    mpq_t tmp;
    mpz_t N, D, r;
    mpq_init(tmp);
    mpz_inits(N, D, r, NULL);
    mpq_srcptr q = view(x, tmp);
    if (p >= 0) {
        mpz_ui_pow_ui(N, 10, (unsigned long)p);
        mpz_mul(N, N, mpq_numref(q));
        mpz_set(D, mpq_denref(q));
    } else {
        mpz_ui_pow_ui(D, 10, (unsigned long)-p);
        mpz_mul(D, D, mpq_denref(q));
        mpz_set(N, mpq_numref(q));
    }
    mpz_tdiv_qr(Q, r, N, D);
    int sign = mpz_sgn(r);
    if (sign != 0) {
        mpz_abs(r, r);
        mpz_mul_2exp(r, r, 1);
        int half = sgn_int(mpz_cmp(r, D));
        if (round_away(m, sign, half, mpz_odd_p(Q) != 0)) {
            if (sign > 0) mpz_add_ui(Q, Q, 1);
            else mpz_sub_ui(Q, Q, 1);
        }
    }
    mpq_clear(tmp);
    mpz_clears(N, D, r, NULL);
}

COLD static Num round_big(Num x, long p, RoundMode m)
{
    mpq_t r;
    mpq_init(r);
    round_mpz(mpq_numref(r), x, p, m);
    if (p >= 0) {
        mpz_ui_pow_ui(mpq_denref(r), 10, (unsigned long)p);
        mpq_canonicalize(r);
    } else {
        mpz_t s;
        mpz_init(s);
        mpz_ui_pow_ui(s, 10, (unsigned long)-p);
        mpz_mul(mpq_numref(r), mpq_numref(r), s);
        mpz_clear(s);
    }
    return take_mpq(r);
}

Num num_round_general(Num x, int places, RoundMode mode)
{
    if (UNLIKELY(is_big(x) || places > P10_MAX || places < -P10_MAX))
        return round_big(x, places, mode);
    if (places >= 0) {
        /* Already exact to `places` when den is 10^k, k <= places (scores
        ** read as decimals, sums of rounded scores): rescale, with no
        ** division. Every small result has den 10^places, so sums of
        ** rounded values keep one denominator (num_round's inline part does
        ** k = 0 and k = places). */
        for (int k = 0; k <= places && P10[k] <= x.den; k++) {
            int64_t n;
            if (P10[k] == x.den && !__builtin_mul_overflow(x.num, P10[places - k], &n))
                return small(n, P10[places]);
        }
    }
    i128 q = round_small(x.num, x.den, places, mode);
    if (places >= 0) return norm128(q, P10[places]);
    return norm128(q * P10[-places], 1);
}

/* ---- text ------------------------------------------------------------- */

/* m = m * 10^n + digits, false once it would pass limit. */
static bool accumulate(const char *digits, size_t n, uint64_t limit, uint64_t *m)
{
    uint64_t v = *m;
    for (size_t i = 0; i < n; i++) {
        uint64_t dig = (uint64_t)(digits[i] - '0');
        if (v > (limit - dig) / 10) return false;
        v = v * 10 + dig;
    }
    *m = v;
    return true;
}

bool num_parse(const char *s, size_t len, Num *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    size_t int_end = i;
    if (int_end == int_start) return false;
    size_t frac_start = i, frac_end = i;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        frac_end = i;
        if (frac_end == frac_start) return false;
    }
    if (i != len) return false;
    /* trailing fraction zeros change nothing; dropping them keeps 10^k small */
    while (frac_end > frac_start && s[frac_end - 1] == '0') frac_end--;
    size_t k = frac_end - frac_start;

    if (k <= P10_MAX) {
        uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        uint64_t m = 0;
        if (accumulate(s + int_start, int_end - int_start, limit, &m) &&
            accumulate(s + frac_start, k, limit, &m)) {
            *out = small(neg ? (int64_t)(0 - m) : (int64_t)m, P10[k]);
            return true;
        }
    }

    /* Too long for int64: the digits without the point, through GMP. */
    size_t nint = int_end - int_start;
    char *digits = gc_string(nint + k + 1);
    memcpy(digits, s + int_start, nint);
    memcpy(digits + nint, s + frac_start, k);
    digits[nint + k] = '\0';
    mpq_t r;
    mpq_init(r);
    if (mpz_set_str(mpq_numref(r), digits, 10) != 0) internal_error("num_parse digits");
    GC_FREE(digits);
    if (neg) mpz_neg(mpq_numref(r), mpq_numref(r));
    mpz_ui_pow_ui(mpq_denref(r), 10, (unsigned long)k);
    mpq_canonicalize(r);
    *out = take_mpq(r);
    return true;
}

/* A bounded writer: keeps at most cap-1 characters, counts what it kept. */
typedef struct Out {
    char *buf;
    size_t cap;
    size_t len;
} Out;

static inline void out_c(Out *o, char c)
{
    if (o->len + 1 < o->cap) o->buf[o->len++] = c;
}

static void out_s(Out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) out_c(o, s[i]);
}

static size_t out_end(Out *o)
{
    if (o->cap > 0) o->buf[o->len] = '\0';
    return o->len;
}

/* Decimal digits of v into buf (at least 40 bytes), no leading zeros;
** returns the count. */
static size_t u128_digits(u128 v, char *buf)
{
    char tmp[40];
    size_t n = 0;
    while (v > UINT64_MAX) {
        /* peel 19 digits at a time so the digit loop stays 64-bit */
        uint64_t chunk = (uint64_t)(v % ((u128)P10[18] * 10));
        v /= (u128)P10[18] * 10;
        for (int i = 0; i < 19; i++) {
            tmp[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    uint64_t w = (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + w % 10);
        w /= 10;
    } while (w != 0);
    for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

static void out_u64(Out *o, uint64_t v)
{
    char d[40];
    out_s(o, d, u128_digits(v, d));
}

/* Writes ±digits / 10^places with exactly `places` decimals. digits is the
** magnitude without leading zeros ("0" for zero). */
static void out_fixed(Out *o, bool neg, const char *digits, size_t ndig, size_t places)
{
    if (neg) out_c(o, '-');
    if (ndig > places) out_s(o, digits, ndig - places);
    else out_c(o, '0');
    if (places == 0) return;
    out_c(o, '.');
    for (size_t i = ndig; i < places; i++) out_c(o, '0');
    size_t frac = ndig < places ? ndig : places;
    out_s(o, digits + ndig - frac, frac);
}

/* Exact text of a small value: reduce, then long division when the
** denominator is 2^a 5^b, else "n/d". */
static void write_small(Out *o, int64_t n, int64_t d)
{
    uint64_t m = mag64(n), ud = (uint64_t)d;
    uint64_t g = gcd64(m, ud);
    m /= g;
    ud /= g;
    uint64_t t = ud >> __builtin_ctzll(ud);
    while (t % 5 == 0) t /= 5;
    if (n < 0 && m != 0) out_c(o, '-');
    if (t != 1) {
        out_u64(o, m);
        out_c(o, '/');
        out_u64(o, ud);
        return;
    }
    out_u64(o, m / ud);
    uint64_t r = m % ud;
    if (r == 0) return;
    out_c(o, '.');
    /* ud = 2^a 5^b < 2^63, so this stops after max(a, b) <= 62 digits */
    if (ud <= UINT64_MAX / 10) {
        while (r != 0) {
            r *= 10;
            out_c(o, (char)('0' + r / ud));
            r %= ud;
        }
    } else {
        while (r != 0) {
            u128 w = (u128)r * 10;
            out_c(o, (char)('0' + (int)(w / ud)));
            r = (uint64_t)(w % ud);
        }
    }
}

/* A canonical big rational terminates in decimal iff its denominator is
** 2^a 5^b; then it has exactly max(a, b) decimals. */
COLD static char *big_to_string(Num x)
{
    mpq_srcptr q = big_of(x)->q;
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0) return mpz_get_str(NULL, 10, mpq_numref(q));
    mpz_t t, five;
    mpz_init(t);
    mpz_init_set_ui(five, 5);
    mp_bitcnt_t twos = mpz_scan1(mpq_denref(q), 0);
    mpz_tdiv_q_2exp(t, mpq_denref(q), twos);
    mp_bitcnt_t fives = mpz_remove(t, t, five);
    bool terminates = mpz_cmp_ui(t, 1) == 0;
    mpz_clears(t, five, NULL);
    if (!terminates) return mpq_get_str(NULL, 10, q);

    mp_bitcnt_t k = twos > fives ? twos : fives;
    mpz_t n;
    mpz_init(n);
    mpz_ui_pow_ui(n, 5, k - fives);
    mpz_mul(n, n, mpq_numref(q));
    mpz_mul_2exp(n, n, k - twos);
    bool neg = mpz_sgn(n) < 0;
    mpz_abs(n, n);
    char *digits = mpz_get_str(NULL, 10, n);
    mpz_clear(n);
    size_t ndig = strlen(digits);
    size_t cap = ndig + (size_t)k + 4;
    Out o = {gc_string(cap), cap, 0};
    out_fixed(&o, neg, digits, ndig, (size_t)k);
    out_end(&o);
    GC_FREE(digits);
    return o.buf;
}

char *num_to_string(Num x)
{
    if (UNLIKELY(is_big(x))) return big_to_string(x);
    char buf[128];
    Out o = {buf, sizeof buf, 0};
    write_small(&o, x.num, x.den);
    size_t n = out_end(&o);
    char *s = gc_string(n + 1);
    memcpy(s, buf, n + 1);
    return s;
}

size_t num_write(Num x, char *buf, size_t cap)
{
    Out o = {buf, cap, 0};
    if (UNLIKELY(is_big(x))) {
        const char *s = num_to_string(x);
        out_s(&o, s, strlen(s));
    } else {
        write_small(&o, x.num, x.den);
    }
    return out_end(&o);
}

/* Fixed text of any value with any places >= 0 (through GMP). */
COLD static char *fixed_big(Num x, long places)
{
    mpz_t Q;
    mpz_init(Q);
    round_mpz(Q, x, places, ROUND_HALF_UP);
    bool neg = mpz_sgn(Q) < 0;
    mpz_abs(Q, Q);
    char *digits = mpz_get_str(NULL, 10, Q);
    mpz_clear(Q);
    size_t ndig = strlen(digits);
    size_t cap = ndig + (size_t)places + 4;
    Out o = {gc_string(cap), cap, 0};
    out_fixed(&o, neg, digits, ndig, (size_t)places);
    out_end(&o);
    GC_FREE(digits);
    return o.buf;
}

/* Small value, 0 <= places <= 18: no allocation. */
static void write_fixed_small(Out *o, Num x, int places)
{
    /* scores rounded to `places` and whole amounts need no division */
    int64_t scaled;
    i128 q;
    if (x.den == P10[places])
        q = x.num;
    else if (x.den == 1 && !__builtin_mul_overflow(x.num, P10[places], &scaled))
        q = scaled;
    else
        q = round_small(x.num, x.den, places, ROUND_HALF_UP);
    u128 mag = q < 0 ? 0 - (u128)q : (u128)q;
    if (mag <= UINT64_MAX && o->len + 42 < o->cap) {
        /* the common case, written backwards straight into the buffer */
        char tmp[44], *e = tmp + sizeof tmp, *w = e;
        uint64_t m = (uint64_t)mag;
        int k = 0;
        do {
            if (k++ == places && places > 0) *--w = '.';
            *--w = (char)('0' + m % 10);
            m /= 10;
        } while (m != 0 || k <= places);
        if (q < 0) *--w = '-';
        memcpy(o->buf + o->len, w, (size_t)(e - w));
        o->len += (size_t)(e - w);
        return;
    }
    char digits[40];
    size_t n = u128_digits(q < 0 ? 0 - (u128)q : (u128)q, digits);
    out_fixed(o, q < 0, digits, n, (size_t)places);   /* q == 0 prints unsigned */
}

char *num_format_fixed(Num x, int places)
{
    if (places < 0) places = 0;
    if (UNLIKELY(is_big(x) || places > P10_MAX)) return fixed_big(x, places);
    char buf[64];
    Out o = {buf, sizeof buf, 0};
    write_fixed_small(&o, x, places);
    size_t n = out_end(&o);
    char *s = gc_string(n + 1);
    memcpy(s, buf, n + 1);
    return s;
}

size_t num_write_fixed(Num x, int places, char *buf, size_t cap)
{
    if (places < 0) places = 0;
    Out o = {buf, cap, 0};
    if (UNLIKELY(is_big(x) || places > P10_MAX)) {
        const char *s = fixed_big(x, places);
        out_s(&o, s, strlen(s));
    } else {
        write_fixed_small(&o, x, places);
    }
    return out_end(&o);
}
