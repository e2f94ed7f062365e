/*
** num.h — exact numbers: every score, rate and amount in kaohe.
** A Num is an exact rational. The common case (integers, short decimals,
** fractions of small counts) lives inline as int64 numerator/denominator;
** anything that would overflow is promoted to a GMP rational, never rounded.
** Nothing here uses binary floating point, and nothing rounds unless asked.
*/
#ifndef KAOHE_NUM_H
#define KAOHE_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Small form: den > 0, value = num / den. The fraction need not be in lowest
** terms (reducing on every operation would cost a gcd each time); equality
** and comparison cross-multiply in 128 bits, and results are reduced only
** when they would not fit.
** Big form: den == 0, and num holds the address of a GC-allocated GMP
** rational (a struct BigQ *, stored as (int64_t)(intptr_t)). Only num.c
** makes or reads that address.
**
** Two 8-byte integer fields, 16 bytes: the x86-64 SysV ABI passes and
** returns such a struct in two registers, where a third field would send
** every Num argument and result through memory.
**
** Why the big form stays alive although its pointer is typed int64_t: the
** Boehm collector is conservative. It does not know field types; it scans
** every aligned word of the stacks, the registers, the static data and every
** block from GC_MALLOC (not GC_MALLOC_ATOMIC), and treats any word that holds
** the address of a GC block as a reference to it. The address in num is
** stored unaltered and 8-byte aligned, so a Num held in any of those places
** keeps its BigQ (and through it, the limbs) alive, exactly as a pointer
** field would. The same rules as for any GC pointer follow: a Num that may
** be big must not live only in malloc'd memory, in a GC_MALLOC_ATOMIC block,
** or in a disguised form (xor-ed, hashed, split across words). */
typedef struct Num {
    int64_t num;
    int64_t den;
} Num;

_Static_assert(sizeof(Num) == 16, "Num must stay two registers wide");

typedef enum RoundMode {
    ROUND_HALF_UP,    /* ties away from zero: 2.345 -> 2.35, -2.345 -> -2.35 */
    ROUND_HALF_EVEN,  /* ties to even: 2.345 -> 2.34, 2.355 -> 2.36 */
    ROUND_DOWN,       /* toward zero (truncate) */
    ROUND_UP,         /* away from zero */
    ROUND_FLOOR,      /* toward -infinity */
    ROUND_CEILING     /* toward +infinity */
} RoundMode;

/* Names as written in rule files ("half_up"); NULL for an unknown mode. */
const char *round_mode_name(RoundMode m);
bool round_mode_parse(const char *name, RoundMode *out);

static inline Num num_int(int64_t i);
/* n / d with d != 0 (the sign is moved to the numerator). */
Num num_frac(int64_t n, int64_t d);

/* Parses a decimal literal: optional sign, digits, optional '.' and digits
** ("12", "-0.5", "007.250"). No exponent, no thousands separators, no spaces.
** Any digit count is accepted (long ones become big). Returns false on
** anything else. */
bool num_parse(const char *s, size_t len, Num *out);

static inline Num num_add(Num a, Num b);
static inline Num num_sub(Num a, Num b);
static inline Num num_mul(Num a, Num b);
/* false when b is zero (the caller raises the error with a position). */
static inline bool num_div(Num a, Num b, Num *out);
Num num_neg(Num a);
static inline Num num_min(Num a, Num b);
static inline Num num_max(Num a, Num b);

static inline int num_cmp(Num a, Num b);   /* -1, 0, 1 */
static inline int num_sign(Num a);         /* -1, 0, 1 */
static inline bool num_eq(Num a, Num b);
bool num_is_integer(Num a);
/* The integer value when a is an integer that fits in int64. */
bool num_to_int64(Num a, int64_t *out);

/* Rounds to `places` decimal places (0..18; negative rounds to tens...).
** With places >= 0 a small result always has den 10^places. */
static inline Num num_round(Num x, int places, RoundMode mode);

/* Fixed-point text with exactly `places` decimals, rounding half-up when x has
** more (display only: rules round explicitly). Written into a GC string. */
char *num_format_fixed(Num x, int places);
/* The exact value as the shortest decimal when it terminates ("81.825",
** "3", "-0.5"); otherwise the reduced fraction "237/255". GC string. */
char *num_to_string(Num x);
/* Appends the same text as num_to_string into buf (size cap), returns length
** written (truncated at cap-1, always NUL terminated when cap > 0).
** Used by hot output paths that must not allocate. */
size_t num_write(Num x, char *buf, size_t cap);
size_t num_write_fixed(Num x, int places, char *buf, size_t cap);

/* Lowest terms (the canonical form; useful for tests and hashing). */
Num num_reduce(Num x);

/* Exact numbers may not grow without end: squaring a fraction twenty
** times makes one of a million digits, forty times one that no machine
** holds, and each step takes longer than the last. A result whose
** numerator or denominator needs more than NUM_MAX_BITS bits (about
** 315,000 decimal digits; a real rubric's numbers have a few dozen) calls
** the handler set here, which must not return (the VM raises a rule error
** there). With no handler set, nothing is checked. */
#define NUM_MAX_BITS ((size_t)1 << 20)
void num_set_too_large(void (*handler)(void));

/* Must be called once after GC_INIT: routes GMP's memory through the GC. */
void num_init(void);

/* How many allocations num.c has made so far (GMP limbs, big rationals,
** strings). A statistic for tests and benchmarks: the small-form paths
** (add, sub, mul, div, cmp, min, max, round, num_write*) must leave it
** unchanged. */
size_t num_alloc_count(void);

/* ---- inline fast paths -------------------------------------------------
** The VM does little else than add, compare and take minima, so the
** commonest small-form cases are answered here without a call. Each
** num_*_general in num.c is the complete operation for every input (small
** or big, any denominators); the inline code only shortcuts cases it can
** settle exactly and otherwise defers to it. Call num_add, never
** num_add_general. A den of 0 marks the big form, so "den != 0" below means
** "small". */

Num num_add_general(Num a, Num b);
bool num_div_general(Num a, Num b, Num *out);
Num num_round_general(Num x, int places, RoundMode mode);
extern const int64_t num_pow10[19];   /* 10^0 .. 10^18 */
Num num_sub_general(Num a, Num b);
Num num_mul_general(Num a, Num b);
int num_cmp_general(Num a, Num b);
bool num_eq_general(Num a, Num b);
int num_sign_general(Num a);

static inline Num num_int(int64_t i)
{
    return (Num){i, 1};
}

/* Same denominator, numerators sum without overflow: the sum over that
** denominator (unreduced, as the general path would give). */
static inline Num num_add(Num a, Num b)
{
    int64_t n;
    if (__builtin_expect(a.den == b.den && a.den != 0, 1) &&
        __builtin_expect(!__builtin_add_overflow(a.num, b.num, &n), 1))
        return (Num){n, a.den};
    return num_add_general(a, b);
}

static inline Num num_sub(Num a, Num b)
{
    int64_t n;
    if (__builtin_expect(a.den == b.den && a.den != 0, 1) &&
        __builtin_expect(!__builtin_sub_overflow(a.num, b.num, &n), 1))
        return (Num){n, a.den};
    return num_sub_general(a, b);
}

/* Both products fit and both operands are small: a big operand has den 0,
** so the den product is 0 exactly when one is big. (Its num, an address, is
** multiplied first; the overflow builtins are defined for any input.) */
static inline Num num_mul(Num a, Num b)
{
    int64_t n, d;
    if (__builtin_expect(!__builtin_mul_overflow(a.num, b.num, &n) &&
                         !__builtin_mul_overflow(a.den, b.den, &d) && d != 0, 1))
        return (Num){n, d};
    return num_mul_general(a, b);
}

/* Two small values: cross-multiplied in 128 bits, which cannot overflow
** (dens are positive, so the order is kept). */
static inline int num_cmp(Num a, Num b)
{
    if (__builtin_expect(a.den == b.den && a.den != 0, 1))
        return (a.num > b.num) - (a.num < b.num);
    if (__builtin_expect(a.den != 0 && b.den != 0, 1)) {
        __int128 l = (__int128)a.num * b.den, r = (__int128)b.num * a.den;
        return (l > r) - (l < r);
    }
    return num_cmp_general(a, b);
}

static inline bool num_eq(Num a, Num b)
{
    if (__builtin_expect(a.den == b.den && a.den != 0, 1)) return a.num == b.num;
    if (__builtin_expect(a.den != 0 && b.den != 0, 1))
        return (__int128)a.num * b.den == (__int128)b.num * a.den;
    return num_eq_general(a, b);
}

static inline int num_sign(Num a)
{
    if (__builtin_expect(a.den != 0, 1)) return (a.num > 0) - (a.num < 0);
    return num_sign_general(a);
}

/* A positive small divisor and products that fit: the unreduced quotient. */
static inline bool num_div(Num a, Num b, Num *out)
{
    int64_t n, d;
    if (__builtin_expect(a.den != 0 && b.den != 0 && b.num > 0 && !__builtin_mul_overflow(a.num, b.den, &n) &&
                         !__builtin_mul_overflow(a.den, b.num, &d), 1)) {
        *out = (Num){n, d};
        return true;
    }
    return num_div_general(a, b, out);
}

/* A small value whose den is 1 or already 10^places is exact there: no
** division needed. */
static inline Num num_round(Num x, int places, RoundMode mode)
{
    if (__builtin_expect((unsigned)places <= 18 && x.den != 0, 1)) {
        int64_t n, d = num_pow10[places];
        if (x.den == d) return x;
        if (x.den == 1 && !__builtin_mul_overflow(x.num, d, &n)) return (Num){n, d};
    }
    return num_round_general(x, places, mode);
}

/* On a tie, a (the first argument) is returned. */
static inline Num num_min(Num a, Num b)
{
    return num_cmp(b, a) < 0 ? b : a;
}

static inline Num num_max(Num a, Num b)
{
    return num_cmp(b, a) > 0 ? b : a;
}

#endif
