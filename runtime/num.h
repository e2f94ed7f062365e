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
** Big form: den == 0 and `big` points at a GC-allocated GMP rational. */
typedef struct Num {
    int64_t num;
    int64_t den;
    struct BigQ *big;
} Num;

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

Num num_int(int64_t i);
/* n / d with d != 0 (the sign is moved to the numerator). */
Num num_frac(int64_t n, int64_t d);

/* Parses a decimal literal: optional sign, digits, optional '.' and digits
** ("12", "-0.5", "007.250"). No exponent, no thousands separators, no spaces.
** Any digit count is accepted (long ones become big). Returns false on
** anything else. */
bool num_parse(const char *s, size_t len, Num *out);

Num num_add(Num a, Num b);
Num num_sub(Num a, Num b);
Num num_mul(Num a, Num b);
/* false when b is zero (the caller raises the error with a position). */
bool num_div(Num a, Num b, Num *out);
Num num_neg(Num a);
Num num_min(Num a, Num b);
Num num_max(Num a, Num b);

int num_cmp(Num a, Num b);       /* -1, 0, 1 */
int num_sign(Num a);             /* -1, 0, 1 */
bool num_eq(Num a, Num b);
bool num_is_integer(Num a);
/* The integer value when a is an integer that fits in int64. */
bool num_to_int64(Num a, int64_t *out);

/* Rounds to `places` decimal places (0..18; negative rounds to tens...). */
Num num_round(Num x, int places, RoundMode mode);

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

/* Must be called once after GC_INIT: routes GMP's memory through the GC. */
void num_init(void);

/* How many allocations num.c has made so far (GMP limbs, big rationals,
** strings). A statistic for tests and benchmarks: the small-form paths
** (add, sub, mul, div, cmp, min, max, round, num_write*) must leave it
** unchanged. */
size_t num_alloc_count(void);

#endif
