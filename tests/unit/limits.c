/*
** limits.c — limits kept below the command line, checked at the limit and
** one past it: the size of exact numbers (num.c), and the CSV reader's
** guard against a runaway line. The limits users meet are case files in
** tests/limits/, each at limit − 1, limit and limit + 1.
*/
#include <gc.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "csv.h"
#include "num.h"
#include "suites.h"

static jmp_buf escape;
static int too_large_calls;

static void on_too_large(void)
{
    too_large_calls++;
    longjmp(escape, 1);
}

/* 2^e, made by multiplying powers 2^(2^k): only num.c arithmetic. */
static Num pow2(unsigned e)
{
    Num r = num_int(1), p = num_int(2);
    for (; e; e >>= 1) {
        if (e & 1) r = num_mul(r, p);
        if (e > 1) p = num_mul(p, p);
    }
    return r;
}

/* Does computing f() call the too-large handler? */
static bool too_large(Num (*f)(void))
{
    too_large_calls = 0;
    num_set_too_large(on_too_large);
    volatile bool hit = false;
    if (setjmp(escape) == 0) (void)f();
    else hit = true;
    num_set_too_large(NULL);
    return hit;
}

/* 2^e has e + 1 bits: NUM_MAX_BITS - 1, NUM_MAX_BITS, NUM_MAX_BITS + 1 */
static Num num_below(void) { return pow2(NUM_MAX_BITS - 2); }
static Num num_at(void) { return pow2(NUM_MAX_BITS - 1); }
static Num num_above(void) { return pow2(NUM_MAX_BITS); }
static Num den_at(void)
{
    Num q;
    ck_assert(num_div(num_int(1), pow2(NUM_MAX_BITS - 1), &q));
    return q;
}
static Num den_above(void)
{
    Num q;
    ck_assert(num_div(num_int(3), pow2(NUM_MAX_BITS), &q));
    return q;
}

START_TEST(number_size_limit)
{
    ck_assert(!too_large(num_below));
    ck_assert(!too_large(num_at));
    ck_assert(too_large(num_above));
    ck_assert_int_eq(too_large_calls, 1);
    ck_assert(!too_large(den_at));
    ck_assert(too_large(den_above));
    /* without a handler (outside evaluation) nothing is checked */
    Num big = num_above();
    ck_assert(!num_is_integer(num_add(big, num_frac(1, 2))));
}
END_TEST

/* GMP chains the temporaries of a large multiplication through headers in
** the blocks; they must survive a collection in the middle. Before the fix
** squaring a fraction 22 times aborted ("Duplicate large block
** deallocation"). */
START_TEST(big_multiplication_survives_collection)
{
    Num x = num_frac(10, 3);
    for (int i = 0; i < 22; i++) {
        x = num_mul(x, x);
        GC_gcollect();
    }
    /* (10/3)^(2^22), computed again in another order */
    Num y = num_frac(10, 3);
    for (int i = 0; i < 21; i++) y = num_mul(y, y);
    Num z = num_mul(y, y);
    ck_assert(num_eq(x, z));
    Num q;
    ck_assert(num_div(x, y, &q) && num_eq(q, y));
}
END_TEST

/* A line of a million commas stops at the column limit instead of growing
** the field table to match. */
START_TEST(runaway_line_of_commas)
{
    size_t n = 1000000;
    char *line = malloc(n + 2);
    memset(line, ',', n);
    line[n] = '\n';
    line[n + 1] = '\0';
    capture();
    CsvReader *r = csv_open_mem("wide.csv", line, n + 1, CSV_ENC_UTF8);
    ck_assert_ptr_nonnull(r);
    CsvRecord rec;
    ck_assert_int_eq(csv_next(r, &rec), -1);
    csv_close(r);
    char *out = captured();
    ck_assert_str_eq(out, "wide.csv:1: error: a row with more than 16384 columns\n"
                          "  hint: a spreadsheet has at most 16,384 columns\n");
    free(out);
    free(line);
}
END_TEST

Suite *limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, number_size_limit);
    tcase_add_test(tc, big_multiplication_survives_collection);
    tcase_add_test(tc, runaway_line_of_commas);
    suite_add_tcase(s, tc);
    return s;
}
