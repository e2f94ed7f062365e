/*
** tests/unit/num.c — Check suite for runtime/num.c: parsing and printing,
** arithmetic and its int64 edges (promotion to GMP and demotion back),
** every rounding mode, the rubric's acceptance cases, and algebraic
** identities over pseudo-random values. Exact values only: no floating point.
*/
#include <check.h>
#include <gc.h>
#include <stdint.h>
#include <string.h>

#include "num.h"

/* ---- helpers ---------------------------------------------------------- */

static Num P(const char *s)
{
    Num x;
    ck_assert_msg(num_parse(s, strlen(s), &x), "num_parse(\"%s\") failed", s);
    return x;
}

static Num F(int64_t n, int64_t d)
{
    return num_frac(n, d);
}

static bool is_small(Num x)
{
    return x.den > 0;
}

#define ck_num_str(x, expect)                                                 \
    do {                                                                      \
        const char *got_ = num_to_string(x);                                  \
        ck_assert_msg(strcmp(got_, (expect)) == 0, "%s: got %s, want %s", #x, \
                      got_, (expect));                                        \
    } while (0)

#define ck_num_eq(x, y)                                                       \
    do {                                                                      \
        Num x_ = (x), y_ = (y);                                               \
        ck_assert_msg(num_eq(x_, y_) && num_cmp(x_, y_) == 0,                 \
                      "%s = %s, but %s = %s", #x, num_to_string(x_), #y,      \
                      num_to_string(y_));                                     \
    } while (0)

static Num DIV(Num a, Num b)
{
    Num r;
    ck_assert(num_div(a, b, &r));
    return r;
}

static const char *R(const char *x, int places, RoundMode m)
{
    return num_to_string(num_round(P(x), places, m));
}

/* ---- parsing and printing --------------------------------------------- */

START_TEST(parse_valid)
{
    static const char *cases[][2] = {
        {"12", "12"},
        {"-0.5", "-0.5"},
        {"007.250", "7.25"},
        {"+3", "3"},
        {"-0", "0"},
        {"0.000", "0"},
        {"-0.000", "0"},
        {"81.825", "81.825"},
        {"100", "100"},
        {"0.1", "0.1"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"9223372036854775808", "9223372036854775808"},
        {"-9223372036854775809", "-9223372036854775809"},
        {"0.000000000000000001", "0.000000000000000001"},
        {"0.0000000000000000001", "0.0000000000000000001"},
        {"922337203685477580.7", "922337203685477580.7"},
        {"922337203685477580.8", "922337203685477580.8"},
        {"1.500000000000000000000000000000", "1.5"},
        {"000000000000000000000000000000042", "42"},
        {"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
        {"-0.00000000000000000000000000001", "-0.00000000000000000000000000001"},
        /* 2^-53 has 53 decimals but its reduced form fits int64 */
        {"0.00000000000000011102230246251565404236316680908203125",
         "0.00000000000000011102230246251565404236316680908203125"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Num x = P(cases[i][0]);
        const char *got = num_to_string(x);
        ck_assert_msg(strcmp(got, cases[i][1]) == 0, "parse %s -> %s, want %s",
                      cases[i][0], got, cases[i][1]);
    }
    ck_assert(is_small(P("9223372036854775807")));
    ck_assert(is_small(P("-9223372036854775808")));
    ck_assert(!is_small(P("9223372036854775808")));
    ck_assert(!is_small(P("-9223372036854775809")));
    ck_assert(!is_small(P("0.0000000000000000001")));
    ck_assert(is_small(P("0.00000000000000011102230246251565404236316680908203125")));
    ck_assert(is_small(P("1.500000000000000000000000000000")));
    ck_num_eq(P("0.00000000000000011102230246251565404236316680908203125"),
              F(1, INT64_C(1) << 53));
}
END_TEST

START_TEST(parse_invalid)
{
    static const char *bad[] = {
        "", "+", "-", ".", "1.", ".5", "-.5", "+.", "1..2", "1.2.3", " 1", "1 ",
        "1e5", "1E5", "--1", "+-1", "-+1", "0x10", "1,000", "1_000", "abc",
        "12a", "inf", "nan", "1/2", "\xef\xbc\x91",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Num x = num_int(777);
        ck_assert_msg(!num_parse(bad[i], strlen(bad[i]), &x), "accepted \"%s\"", bad[i]);
        ck_assert_msg(num_eq(x, num_int(777)), "\"%s\" wrote *out", bad[i]);
    }
    /* an embedded NUL is not a digit */
    Num x;
    ck_assert(!num_parse("1\0002", 3, &x));
}
END_TEST

START_TEST(parse_uses_len)
{
    Num x;
    ck_assert(num_parse("12abc", 2, &x));
    ck_num_eq(x, num_int(12));
    ck_assert(num_parse("3.25.7", 4, &x));
    ck_num_str(x, "3.25");
    ck_assert(!num_parse("3.25", 2, &x));   /* "3." */
    ck_assert(!num_parse("5", 0, &x));
}
END_TEST

START_TEST(to_string_forms)
{
    ck_num_str(F(237, 255), "79/85");
    ck_num_str(F(1, 3), "1/3");
    ck_num_str(F(-1, 3), "-1/3");
    ck_num_str(F(1, -3), "-1/3");
    ck_num_str(F(-2, -6), "1/3");
    ck_num_str(F(1, 8), "0.125");
    ck_num_str(F(6, 4), "1.5");
    ck_num_str(F(1, -4), "-0.25");
    ck_num_str(F(6, 2), "3");
    ck_num_str(F(0, 7), "0");
    ck_num_str(F(0, -7), "0");
    ck_num_str(F(7, 1), "7");
    ck_num_str(F(1, 6), "1/6");
    ck_num_str(F(-22, 7), "-22/7");
    ck_num_str(F(1, INT64_C(1) << 62), "0.00000000000000000021684043449710088680149056017398834228515625");
    ck_num_str(F(INT64_MIN, 1), "-9223372036854775808");
    ck_num_str(F(INT64_MIN, 3), "-9223372036854775808/3");
    ck_num_str(F(INT64_MIN, INT64_MAX), "-9223372036854775808/9223372036854775807");
    ck_num_str(F(INT64_MIN, INT64_C(1) << 62), "-2");
    ck_num_str(F(3, 1000000000000000000), "0.000000000000000003");
    ck_num_str(F(1, 5), "0.2");
    ck_num_str(F(-7, 20), "-0.35");
}
END_TEST

START_TEST(write_bounded)
{
    char buf[64];
    memset(buf, 'X', sizeof buf);
    ck_assert_uint_eq(num_write(P("81.825"), buf, sizeof buf), 6);
    ck_assert_str_eq(buf, "81.825");
    ck_assert_uint_eq(num_write(P("81.825"), buf, 4), 3);
    ck_assert_str_eq(buf, "81.");
    ck_assert_uint_eq(num_write(P("81.825"), buf, 1), 0);
    ck_assert_str_eq(buf, "");
    buf[0] = 'X';
    ck_assert_uint_eq(num_write(P("81.825"), buf, 0), 0);
    ck_assert_int_eq(buf[0], 'X');
    ck_assert_uint_eq(num_write(F(-2, 3), buf, sizeof buf), 4);
    ck_assert_str_eq(buf, "-2/3");
    ck_assert_uint_eq(num_write(P("123456789012345678901234567890.5"), buf, sizeof buf), 32);
    ck_assert_str_eq(buf, "123456789012345678901234567890.5");
    ck_assert_uint_eq(num_write(P("123456789012345678901234567890.5"), buf, 6), 5);
    ck_assert_str_eq(buf, "12345");
    ck_assert_uint_eq(num_write_fixed(P("2.5"), 2, buf, sizeof buf), 4);
    ck_assert_str_eq(buf, "2.50");
    ck_assert_uint_eq(num_write_fixed(P("-2.345"), 2, buf, 3), 2);
    ck_assert_str_eq(buf, "-2");
}
END_TEST

START_TEST(format_fixed)
{
    static const struct {
        const char *x;
        int places;
        const char *want;
    } cases[] = {
        {"81.825", 2, "81.83"},
        {"89.995", 2, "90.00"},
        {"99.995", 2, "100.00"},
        {"9.995", 2, "10.00"},
        {"3", 2, "3.00"},
        {"2.5", 0, "3"},
        {"-2.5", 0, "-3"},
        {"0.5", 0, "1"},
        {"-0.4", 0, "0"},
        {"-0.001", 2, "0.00"},
        {"-0.004999", 2, "0.00"},
        {"-0.005", 2, "-0.01"},
        {"0.005", 2, "0.01"},
        {"-0", 2, "0.00"},
        {"0", 0, "0"},
        {"0", 3, "0.000"},
        {"12.3", 5, "12.30000"},
        {"-12.3", 1, "-12.3"},
        {"0.0001", 4, "0.0001"},
        {"0.00005", 4, "0.0001"},
        {"-0.00005", 4, "-0.0001"},
        {"1.23456789", 18, "1.234567890000000000"},
        {"9223372036854775807", 2, "9223372036854775807.00"},
        {"-9223372036854775808", 18, "-9223372036854775808.000000000000000000"},
        {"-9223372036854775808.5", 0, "-9223372036854775809"},
        {"123456789012345678901234567890.125", 2, "123456789012345678901234567890.13"},
        {"-123456789012345678901234567890.125", 2, "-123456789012345678901234567890.13"},
        {"-0.0000000000000000000000001", 2, "0.00"},
        {"1.5", 20, "1.50000000000000000000"},
        {"2", -1, "2"},   /* negative places print as 0 places */
    };
    char buf[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Num x = P(cases[i].x);
        const char *got = num_format_fixed(x, cases[i].places);
        ck_assert_msg(strcmp(got, cases[i].want) == 0, "fixed(%s, %d) = %s, want %s",
                      cases[i].x, cases[i].places, got, cases[i].want);
        size_t n = num_write_fixed(x, cases[i].places, buf, sizeof buf);
        ck_assert_msg(n == strlen(cases[i].want) && strcmp(buf, cases[i].want) == 0,
                      "write_fixed(%s, %d) = %s, want %s", cases[i].x,
                      cases[i].places, buf, cases[i].want);
    }
    ck_assert_str_eq(num_format_fixed(F(1, 3), 2), "0.33");
    ck_assert_str_eq(num_format_fixed(F(2, 3), 2), "0.67");
    ck_assert_str_eq(num_format_fixed(F(-2, 3), 2), "-0.67");
    ck_assert_str_eq(num_format_fixed(F(-1, 3), 0), "0");
    ck_assert_str_eq(num_format_fixed(F(1, 3), 18), "0.333333333333333333");
    ck_assert_str_eq(num_format_fixed(F(2, 3), 25), "0.6666666666666666666666667");
    ck_assert_str_eq(num_format_fixed(num_add(P("18446744073709551616"), F(1, 3)), 2),
                     "18446744073709551616.33");
    ck_assert_str_eq(num_format_fixed(num_neg(P("18446744073709551616")), 2),
                     "-18446744073709551616.00");
    /* "-0.00" never appears, whatever the sign of the tiny value */
    ck_assert_str_eq(num_format_fixed(num_neg(F(1, 1000)), 2), "0.00");
    ck_assert_str_eq(num_format_fixed(num_neg(num_int(0)), 2), "0.00");
}
END_TEST

START_TEST(round_trip_text)
{
    /* to_string of a terminating value parses back to the same value */
    static const char *vals[] = {
        "0", "1", "-1", "0.1", "-0.125", "81.825", "4.005", "7",
        "9223372036854775807", "-9223372036854775808", "1234567890.0987654321",
        "-99999999999999999999999999.999999999999999999999999",
        "0.000000000000000000000000000000000000001",
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        Num x = P(vals[i]);
        const char *s = num_to_string(x);
        ck_assert_str_eq(s, vals[i]);
        ck_num_eq(P(s), x);
    }
    /* and the denominators that are 2^a 5^b print exactly */
    for (int a = 0; a <= 62; a++) {
        int64_t p5 = 1;
        for (int b = 0; b <= 27; b++) {
            int64_t d;
            if (b > 0 && __builtin_mul_overflow(p5, 5, &p5)) break;
            if (__builtin_mul_overflow(INT64_C(1) << a, p5, &d)) break;
            Num x = F(-3, d);
            const char *s = num_to_string(x);
            ck_assert_msg(strchr(s, '/') == NULL, "%s not decimal", s);
            ck_num_eq(P(s), x);
        }
    }
}
END_TEST

/* ---- arithmetic ------------------------------------------------------- */

START_TEST(add_sub_signs)
{
    ck_num_eq(num_add(P("0.1"), P("0.2")), P("0.3"));
    ck_num_str(num_add(P("0.1"), P("0.2")), "0.3");
    ck_assert(num_eq(num_add(P("0.1"), P("0.2")), P("0.3")));
    ck_num_str(num_add(P("-1.5"), P("0.25")), "-1.25");
    ck_num_str(num_sub(P("0.25"), P("1.5")), "-1.25");
    ck_num_str(num_sub(P("-0.25"), P("-1.5")), "1.25");
    ck_num_str(num_sub(F(1, 3), F(1, 2)), "-1/6");
    ck_num_str(num_add(F(1, 3), F(2, 3)), "1");
    ck_num_str(num_add(F(-1, 3), F(1, 3)), "0");
    ck_num_str(num_add(num_int(2), num_int(-5)), "-3");
    ck_num_str(num_sub(num_int(2), num_int(-5)), "7");
    ck_num_str(num_neg(P("81.825")), "-81.825");
    ck_num_str(num_neg(num_neg(P("81.825"))), "81.825");
    ck_num_str(num_neg(num_int(0)), "0");
    ck_assert_int_eq(num_sign(num_neg(num_int(0))), 0);
    Num s = num_int(0);
    for (int i = 0; i < 10; i++) s = num_add(s, P("0.1"));
    ck_num_eq(s, num_int(1));
}
END_TEST

START_TEST(mul_div)
{
    ck_num_str(num_mul(P("0.3"), P("85.5")), "25.65");
    ck_num_str(num_mul(P("-0.3"), P("85.5")), "-25.65");
    ck_num_str(num_mul(P("-0.3"), P("-85.5")), "25.65");
    ck_num_str(num_mul(F(2, 3), F(3, 4)), "0.5");
    ck_num_str(num_mul(num_int(0), F(-3, 4)), "0");
    ck_num_str(DIV(F(-3, 4), F(1, 2)), "-1.5");
    ck_num_str(DIV(F(3, 4), F(-1, 2)), "-1.5");
    ck_num_str(DIV(F(-3, 4), F(-1, 2)), "1.5");
    ck_num_str(DIV(num_int(237), num_int(255)), "79/85");
    ck_num_str(DIV(num_int(0), num_int(-5)), "0");
    ck_num_str(DIV(num_int(1), num_int(-3)), "-1/3");
    ck_num_str(DIV(P("0.875"), num_int(700)), "0.00125");
    ck_assert_int_eq(num_sign(DIV(num_int(1), num_int(-3))), -1);

    /* division by zero: false and *out untouched, in both forms */
    Num out = num_int(42);
    ck_assert(!num_div(num_int(1), num_int(0), &out));
    ck_assert(!num_div(num_int(1), F(0, 5), &out));
    ck_assert(!num_div(num_int(0), num_int(0), &out));
    ck_assert(!num_div(P("123456789012345678901234567890"), num_int(0), &out));
    ck_assert(!num_div(num_int(1), num_sub(F(1, 3), F(2, 6)), &out));
    ck_num_eq(out, num_int(42));
}
END_TEST

START_TEST(int64_edges)
{
    Num max = num_int(INT64_MAX), min = num_int(INT64_MIN), one = num_int(1);

    Num up = num_add(max, one);
    ck_assert(!is_small(up));
    ck_num_str(up, "9223372036854775808");
    Num back = num_sub(up, one);
    ck_assert(is_small(back));            /* demoted */
    ck_assert_int_eq(back.num, INT64_MAX);
    ck_assert_int_eq(back.den, 1);

    Num down = num_sub(min, one);
    ck_assert(!is_small(down));
    ck_num_str(down, "-9223372036854775809");
    ck_assert(is_small(num_add(down, one)));
    ck_num_eq(num_add(down, one), min);

    ck_num_str(num_mul(min, num_int(-1)), "9223372036854775808");
    ck_num_str(num_neg(min), "9223372036854775808");
    ck_assert(!is_small(num_neg(min)));
    ck_assert(is_small(num_neg(num_neg(min))));
    ck_num_eq(num_neg(num_neg(min)), min);
    ck_num_str(DIV(min, num_int(-1)), "9223372036854775808");
    ck_num_str(num_frac(INT64_MIN, -1), "9223372036854775808");
    ck_num_str(num_frac(INT64_MIN, -2), "4611686018427387904");
    ck_assert(is_small(num_frac(INT64_MIN, -2)));
    ck_num_str(num_frac(1, INT64_MIN), "-0.000000000000000000108420217248550443400745280086994171142578125");
    ck_num_str(num_frac(3, INT64_MIN), "-0.000000000000000000325260651745651330202235840260982513427734375");
    ck_num_str(num_frac(INT64_MAX, INT64_MIN), "-0.999999999999999999891579782751449556599254719913005828857421875");
    ck_num_str(num_frac(INT64_MIN, 3), "-9223372036854775808/3");
    ck_num_str(num_frac(INT64_MIN + 1, INT64_MIN), "0.999999999999999999891579782751449556599254719913005828857421875");
    ck_num_str(DIV(num_int(1), num_frac(3, INT64_MIN)), "-9223372036854775808/3");
    ck_num_str(num_frac(INT64_MIN, INT64_MIN), "1");
    ck_num_str(DIV(one, min), "-0.000000000000000000108420217248550443400745280086994171142578125");
    ck_num_str(DIV(min, min), "1");
    ck_num_str(num_sub(min, min), "0");
    ck_num_str(num_add(min, max), "-1");

    Num sq = num_mul(max, max);
    ck_num_str(sq, "85070591730234615847396907784232501249");
    ck_num_eq(DIV(sq, max), max);
    ck_assert(is_small(DIV(sq, max)));
    ck_num_str(num_mul(min, min), "85070591730234615865843651857942052864");
    ck_num_eq(DIV(num_mul(min, min), min), min);
    ck_assert(is_small(DIV(num_mul(min, min), min)));

    /* (2^62/3)^4: a big fraction, then back down */
    Num x = F(INT64_C(1) << 62, 3);
    Num x4 = num_mul(num_mul(x, x), num_mul(x, x));
    ck_num_str(x4, "452312848583266388373324160190187140051835877600158453279131187530910662656/81");
    Num x2 = DIV(x4, num_mul(x, x));
    ck_num_str(x2, "21267647932558653966460912964485513216/9");
    Num x1 = DIV(x2, x);
    ck_assert(is_small(x1));
    ck_num_eq(x1, x);

    /* unreduced products overflow, the reduced result fits: stays small */
    Num a = F(1, INT64_C(1) << 40), b = F(1, INT64_C(3) << 40);
    Num s = num_add(a, b);
    ck_assert(is_small(s));
    ck_num_eq(s, F(1, INT64_C(3) << 38));
    Num m = num_mul(F(INT64_C(1) << 40, 3), F(3, INT64_C(1) << 40));
    ck_assert(is_small(m));
    ck_num_eq(m, one);
    ck_num_eq(num_sub(F(INT64_MAX, 2), F(INT64_MAX, 2)), num_int(0));
    /* (2^63 - 1 + 1) / (2^63 - 2) = 2^62 / (2^62 - 1): the sum overflows,
    ** the reduced value fits */
    Num q = num_add(F(INT64_MAX, INT64_MAX - 1), F(1, INT64_MAX - 1));
    ck_assert(is_small(q));
    ck_num_eq(q, F(INT64_C(1) << 62, (INT64_C(1) << 62) - 1));
    ck_assert_int_eq(q.num, INT64_C(1) << 62);
}
END_TEST

START_TEST(int64_same_den_overflow)
{
    /* same denominator, numerator sum overflows: exact, and reduced if it can */
    Num a = F(INT64_MAX, 2), b = F(INT64_MAX, 2);
    ck_num_str(num_add(a, b), "9223372036854775807");
    ck_assert(is_small(num_add(a, b)));
    Num c = F(INT64_MAX, 3);
    ck_num_str(num_add(c, c), "18446744073709551614/3");
    ck_num_str(num_sub(F(INT64_MIN, 3), F(INT64_MAX, 3)), "-6148914691236517205");
    ck_assert(is_small(num_sub(F(INT64_MIN, 3), F(INT64_MAX, 3))));
    ck_num_str(num_sub(F(INT64_MIN, 7), F(1, 7)), "-9223372036854775809/7");
}
END_TEST

START_TEST(mixed_small_big)
{
    Num big = P("18446744073709551616");        /* 2^64 */
    Num nbig = num_neg(big);
    Num third = F(1, 3);
    ck_num_str(num_add(big, third), "55340232221128654849/3");
    ck_num_str(num_mul(big, F(1, 4)), "4611686018427387904");
    ck_assert(is_small(num_mul(big, F(1, 4))));
    ck_num_str(num_sub(third, big), "-55340232221128654847/3");
    ck_num_str(DIV(big, num_int(-2)), "-9223372036854775808");
    ck_assert(is_small(DIV(big, num_int(-2))));
    ck_num_str(DIV(num_int(1), big), "0.0000000000000000000542101086242752217003726400434970855712890625");
    ck_num_str(DIV(third, nbig), "-1/55340232221128654848");
    ck_num_str(num_add(big, nbig), "0");
    ck_assert(is_small(num_add(big, nbig)));
    ck_num_str(num_mul(big, num_int(0)), "0");
    ck_assert(is_small(num_mul(big, num_int(0))));

    /* the same big value reached two ways */
    Num b2 = num_mul(num_int(INT64_C(1) << 32), num_int(INT64_C(1) << 32));
    ck_assert(!is_small(b2));
    ck_assert(num_eq(big, b2));
    ck_assert_int_eq(num_cmp(big, b2), 0);
    ck_assert(num_eq(num_sub(b2, num_int(2)), num_add(num_int(INT64_MAX), num_int(INT64_MAX))));
    ck_assert(!num_eq(num_sub(b2, num_int(1)), num_add(num_int(INT64_MAX), num_int(INT64_MAX))));
}
END_TEST

START_TEST(compare)
{
    Num big = P("9223372036854775808");
    Num nbig = P("-9223372036854775809");
    Num huge = P("1000000000000000000000");
    Num max = num_int(INT64_MAX), min = num_int(INT64_MIN);

    ck_assert_int_eq(num_cmp(big, max), 1);
    ck_assert_int_eq(num_cmp(max, big), -1);
    ck_assert_int_eq(num_cmp(min, nbig), 1);
    ck_assert_int_eq(num_cmp(nbig, min), -1);
    ck_assert_int_eq(num_cmp(big, nbig), 1);
    ck_assert_int_eq(num_cmp(nbig, big), -1);
    ck_assert_int_eq(num_cmp(huge, big), 1);
    ck_assert_int_eq(num_cmp(big, huge), -1);
    ck_assert_int_eq(num_cmp(big, big), 0);
    ck_assert_int_eq(num_cmp(F(-1, 3), big), -1);
    ck_assert_int_eq(num_cmp(big, F(-1, 3)), 1);
    ck_assert(!num_eq(big, max));
    ck_assert(!num_eq(max, big));

    /* unreduced forms compare by value */
    ck_assert(num_eq(F(2, 4), F(1, 2)));
    ck_assert(num_eq(F(-3, 9), F(1, -3)));
    ck_assert_int_eq(num_cmp(F(2, 4), F(1, 2)), 0);
    ck_assert_int_eq(num_cmp(F(1, 3), P("0.333333")), 1);
    ck_assert_int_eq(num_cmp(F(-1, 3), P("-0.333333")), -1);
    ck_assert_int_eq(num_cmp(F(INT64_MAX, INT64_MAX - 1), F(INT64_MAX - 1, INT64_MAX - 2)), -1);
    ck_assert_int_eq(num_cmp(F(INT64_MIN, INT64_MAX), num_int(-1)), -1);
    ck_assert_int_eq(num_cmp(F(INT64_MIN + 1, INT64_MAX), num_int(-1)), 0);
    ck_assert_int_eq(num_cmp(num_int(-5), num_int(3)), -1);
    ck_assert_int_eq(num_cmp(num_int(3), num_int(3)), 0);

    ck_num_eq(num_min(big, max), max);
    ck_num_eq(num_max(big, max), big);
    ck_num_eq(num_min(nbig, F(1, 3)), nbig);
    ck_num_eq(num_max(nbig, F(1, 3)), F(1, 3));
    ck_num_eq(num_min(P("0.5"), F(1, 3)), F(1, 3));
    ck_num_eq(num_max(P("-0.5"), F(-1, 3)), F(-1, 3));
    ck_num_eq(num_min(num_int(1), num_int(0)), num_int(0));

    ck_assert_int_eq(num_sign(big), 1);
    ck_assert_int_eq(num_sign(nbig), -1);
    ck_assert_int_eq(num_sign(F(-1, 3)), -1);
    ck_assert_int_eq(num_sign(F(0, 3)), 0);
    ck_assert_int_eq(num_sign(F(1, -3)), -1);
}
END_TEST

START_TEST(integers_and_reduce)
{
    int64_t v = 0;
    ck_assert(num_is_integer(F(6, 3)));
    ck_assert(num_to_int64(F(6, 3), &v));
    ck_assert_int_eq(v, 2);
    ck_assert(num_to_int64(F(-6, 3), &v));
    ck_assert_int_eq(v, -2);
    ck_assert(!num_is_integer(F(7, 2)));
    v = 99;
    ck_assert(!num_to_int64(F(7, 2), &v));
    ck_assert_int_eq(v, 99);
    ck_assert(num_to_int64(num_int(INT64_MIN), &v));
    ck_assert_int_eq(v, INT64_MIN);
    ck_assert(num_to_int64(F(INT64_MIN, 1), &v));
    Num big = P("9223372036854775808");
    ck_assert(num_is_integer(big));
    ck_assert(!num_to_int64(big, &v));
    ck_assert(!num_is_integer(num_add(big, F(1, 2))));
    ck_assert(num_is_integer(P("5.000")));
    ck_assert(num_is_integer(num_int(0)));

    Num r = num_reduce(F(6, 4));
    ck_assert_int_eq(r.num, 3);
    ck_assert_int_eq(r.den, 2);
    r = num_reduce(F(-6, 4));
    ck_assert_int_eq(r.num, -3);
    ck_assert_int_eq(r.den, 2);
    r = num_reduce(F(0, 5));
    ck_assert_int_eq(r.num, 0);
    ck_assert_int_eq(r.den, 1);
    r = num_reduce(F(INT64_MIN, INT64_C(1) << 62));
    ck_assert_int_eq(r.num, -2);
    ck_assert_int_eq(r.den, 1);
    r = num_reduce(P("81.825"));
    ck_assert_int_eq(r.num, 3273);
    ck_assert_int_eq(r.den, 40);
    r = num_reduce(num_mul(P("0.1"), P("0.1")));
    ck_assert_int_eq(r.num, 1);
    ck_assert_int_eq(r.den, 100);
    ck_assert(num_eq(num_reduce(big), big));
}
END_TEST

/* ---- rounding --------------------------------------------------------- */

START_TEST(round_modes)
{
    static const struct {
        const char *x;
        int places;
        const char *want[6];   /* half_up, half_even, down, up, floor, ceiling */
    } cases[] = {
        {"2.345", 2, {"2.35", "2.34", "2.34", "2.35", "2.34", "2.35"}},
        {"-2.345", 2, {"-2.35", "-2.34", "-2.34", "-2.35", "-2.35", "-2.34"}},
        {"2.355", 2, {"2.36", "2.36", "2.35", "2.36", "2.35", "2.36"}},
        {"-2.355", 2, {"-2.36", "-2.36", "-2.35", "-2.36", "-2.36", "-2.35"}},
        {"2.3451", 2, {"2.35", "2.35", "2.34", "2.35", "2.34", "2.35"}},
        {"-2.3449", 2, {"-2.34", "-2.34", "-2.34", "-2.35", "-2.35", "-2.34"}},
        {"2.35", 2, {"2.35", "2.35", "2.35", "2.35", "2.35", "2.35"}},
        {"-2.35", 2, {"-2.35", "-2.35", "-2.35", "-2.35", "-2.35", "-2.35"}},
        {"0.005", 2, {"0.01", "0", "0", "0.01", "0", "0.01"}},
        {"-0.005", 2, {"-0.01", "0", "0", "-0.01", "-0.01", "0"}},
        {"0.0001", 2, {"0", "0", "0", "0.01", "0", "0.01"}},
        {"-0.0001", 2, {"0", "0", "0", "-0.01", "-0.01", "0"}},
        {"2.5", 0, {"3", "2", "2", "3", "2", "3"}},
        {"-2.5", 0, {"-3", "-2", "-2", "-3", "-3", "-2"}},
        {"3.5", 0, {"4", "4", "3", "4", "3", "4"}},
        {"-3.5", 0, {"-4", "-4", "-3", "-4", "-4", "-3"}},
        {"0.5", 0, {"1", "0", "0", "1", "0", "1"}},
        {"-0.5", 0, {"-1", "0", "0", "-1", "-1", "0"}},
        {"1.5", 0, {"2", "2", "1", "2", "1", "2"}},
        {"7", 0, {"7", "7", "7", "7", "7", "7"}},
        {"-7", 3, {"-7", "-7", "-7", "-7", "-7", "-7"}},
        {"25", -1, {"30", "20", "20", "30", "20", "30"}},
        {"35", -1, {"40", "40", "30", "40", "30", "40"}},
        {"-15", -1, {"-20", "-20", "-10", "-20", "-20", "-10"}},
        {"-14.99", -1, {"-10", "-10", "-10", "-20", "-20", "-10"}},
        {"149.5", -2, {"100", "100", "100", "200", "100", "200"}},
        {"150", -2, {"200", "200", "100", "200", "100", "200"}},
        {"250", -2, {"300", "200", "200", "300", "200", "300"}},
        {"0.123456789012345678", 18, {"0.123456789012345678", "0.123456789012345678",
                                       "0.123456789012345678", "0.123456789012345678",
                                       "0.123456789012345678", "0.123456789012345678"}},
        {"0.0000000000000000005", 18, {"0.000000000000000001", "0", "0",
                                        "0.000000000000000001", "0", "0.000000000000000001"}},
        {"-9223372036854775808.5", 0, {"-9223372036854775809", "-9223372036854775808",
                                        "-9223372036854775808", "-9223372036854775809",
                                        "-9223372036854775809", "-9223372036854775808"}},
        {"9223372036854775807", -1, {"9223372036854775810", "9223372036854775810",
                                      "9223372036854775800", "9223372036854775810",
                                      "9223372036854775800", "9223372036854775810"}},
        {"9223372036854775807", -18, {"9000000000000000000", "9000000000000000000",
                                       "9000000000000000000", "10000000000000000000",
                                       "9000000000000000000", "10000000000000000000"}},
        /* big values */
        {"18446744073709551616.5", 0, {"18446744073709551617", "18446744073709551616",
                                        "18446744073709551616", "18446744073709551617",
                                        "18446744073709551616", "18446744073709551617"}},
        {"-18446744073709551617.5", 0, {"-18446744073709551618", "-18446744073709551618",
                                         "-18446744073709551617", "-18446744073709551618",
                                         "-18446744073709551618", "-18446744073709551617"}},
        {"-18446744073709551615", -1, {"-18446744073709551620", "-18446744073709551620",
                                        "-18446744073709551610", "-18446744073709551620",
                                        "-18446744073709551620", "-18446744073709551610"}},
        {"0.12345678901234567890125", 22, {"0.1234567890123456789013", "0.1234567890123456789012",
                                           "0.1234567890123456789012", "0.1234567890123456789013",
                                           "0.1234567890123456789012", "0.1234567890123456789013"}},
    };
    static const RoundMode modes[6] = {ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN,
                                       ROUND_UP, ROUND_FLOOR, ROUND_CEILING};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int m = 0; m < 6; m++) {
            const char *got = R(cases[i].x, cases[i].places, modes[m]);
            ck_assert_msg(strcmp(got, cases[i].want[m]) == 0, "round(%s, %d, %s) = %s, want %s",
                          cases[i].x, cases[i].places, round_mode_name(modes[m]), got,
                          cases[i].want[m]);
        }
    }
}
END_TEST

START_TEST(round_fractions)
{
    ck_num_str(num_round(F(1, 3), 2, ROUND_HALF_UP), "0.33");
    ck_num_str(num_round(F(2, 3), 2, ROUND_HALF_UP), "0.67");
    ck_num_str(num_round(F(2, 3), 2, ROUND_DOWN), "0.66");
    ck_num_str(num_round(F(-2, 3), 2, ROUND_HALF_EVEN), "-0.67");
    ck_num_str(num_round(F(-2, 3), 2, ROUND_CEILING), "-0.66");
    ck_num_str(num_round(F(1, 3), 18, ROUND_HALF_UP), "0.333333333333333333");
    ck_num_str(num_round(F(2, 3), 18, ROUND_HALF_UP), "0.666666666666666667");
    ck_num_str(num_round(F(1, 3), 20, ROUND_HALF_UP), "0.33333333333333333333");
    ck_num_str(num_round(F(2, 3), 20, ROUND_HALF_UP), "0.66666666666666666667");
    ck_num_str(num_round(F(2, 3), 20, ROUND_FLOOR), "0.66666666666666666666");
    ck_num_str(num_round(F(-2, 3), 20, ROUND_FLOOR), "-0.66666666666666666667");
    ck_num_str(num_round(F(INT64_MAX, 3), -19, ROUND_HALF_UP), "0");
    ck_num_str(num_round(num_int(INT64_MAX), -19, ROUND_HALF_UP), "10000000000000000000");
    ck_num_str(num_round(num_int(INT64_MAX), -19, ROUND_DOWN), "0");
    ck_num_str(num_round(F(1, 7), 0, ROUND_UP), "1");
    ck_num_str(num_round(F(-1, 7), 0, ROUND_UP), "-1");
    /* 237/255 = 0.929411..., the item-style division */
    ck_num_str(num_round(num_mul(num_int(2), F(237, 255)), 2, ROUND_HALF_UP), "1.86");
    /* rounding an already-rounded value changes nothing */
    Num once = num_round(P("2.675"), 2, ROUND_HALF_UP);
    ck_num_eq(num_round(once, 2, ROUND_HALF_UP), once);
    ck_num_str(once, "2.68");
    /* ties are judged on the true value, not on a truncated expansion */
    Num almost = num_sub(P("0.125"), F(1, INT64_C(1000000000000000000)));
    ck_num_str(num_round(almost, 2, ROUND_HALF_UP), "0.12");
    ck_num_str(num_round(num_add(P("0.125"), F(1, INT64_C(3) << 60)), 2, ROUND_HALF_EVEN), "0.13");
}
END_TEST

START_TEST(round_mode_names)
{
    static const char *names[] = {"half_up", "half_even", "down", "up", "floor", "ceiling"};
    static const RoundMode modes[] = {ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN,
                                      ROUND_UP, ROUND_FLOOR, ROUND_CEILING};
    for (int i = 0; i < 6; i++) {
        RoundMode m = (RoundMode)-1;
        ck_assert(round_mode_parse(names[i], &m));
        ck_assert_int_eq(m, modes[i]);
        ck_assert_str_eq(round_mode_name(modes[i]), names[i]);
    }
    RoundMode m = ROUND_UP;
    ck_assert(!round_mode_parse("HALF_UP", &m));
    ck_assert(!round_mode_parse("", &m));
    ck_assert(!round_mode_parse("half-up", &m));
    ck_assert(!round_mode_parse("half_upx", &m));
    ck_assert_int_eq(m, ROUND_UP);
    ck_assert_ptr_null(round_mode_name((RoundMode)42));
}
END_TEST

/* ---- the rubric's acceptance cases ------------------------------------ */

START_TEST(acceptance_combined_score)
{
    /* 综合得分 = 0.3 × 过程 + 0.7 × 年度 */
    Num total = num_add(num_mul(P("0.3"), P("85.5")), num_mul(P("0.7"), P("80.25")));
    ck_num_eq(total, P("81.825"));
    ck_num_str(total, "81.825");
    Num r = num_round(total, 2, ROUND_HALF_UP);
    ck_num_eq(r, P("81.83"));
    ck_assert_str_eq(num_format_fixed(total, 2), "81.83");
    ck_assert_str_eq(num_format_fixed(r, 2), "81.83");
    ck_num_str(num_round(total, 2, ROUND_HALF_EVEN), "81.82");
}
END_TEST

START_TEST(acceptance_thirds)
{
    Num third = F(1, 3);
    Num sum = num_add(num_add(num_add(third, third), third), P("0.00125"));
    Num x = num_mul(num_int(4), sum);
    ck_num_eq(x, P("4.005"));
    ck_num_str(x, "4.005");
    ck_num_str(num_round(x, 2, ROUND_HALF_UP), "4.01");
    ck_assert_str_eq(num_format_fixed(x, 2), "4.01");

    /* 4 × (85/255 + 150/450 + 0.875/700 + 2500/7500) = 4 × 1.00125 */
    Num t = num_add(num_add(num_add(DIV(num_int(85), num_int(255)),
                                    DIV(num_int(150), num_int(450))),
                            DIV(P("0.875"), num_int(700))),
                    DIV(num_int(2500), num_int(7500)));
    ck_num_eq(t, P("1.00125"));
    Num y = num_mul(num_int(4), t);
    ck_num_eq(y, P("4.005"));
    ck_num_str(num_round(y, 2, ROUND_HALF_UP), "4.01");
    ck_assert_str_eq(num_format_fixed(y, 2), "4.01");
    /* a decimal type that cut 1/3 to 18 digits would get 4.00 */
    Num cut = num_mul(num_int(4), num_add(num_mul(num_int(3), num_round(third, 18, ROUND_DOWN)),
                                          P("0.00125")));
    ck_num_str(num_round(cut, 2, ROUND_HALF_UP), "4");
}
END_TEST

START_TEST(acceptance_grade_boundary)
{
    Num x = P("89.995");
    Num r = num_round(x, 2, ROUND_HALF_UP);
    ck_num_eq(r, num_int(90));
    ck_assert_str_eq(num_format_fixed(r, 2), "90.00");
    ck_assert_str_eq(num_format_fixed(x, 2), "90.00");
    ck_assert_int_ge(num_cmp(r, num_int(90)), 0);   /* 优秀 */
    ck_assert_int_lt(num_cmp(x, num_int(90)), 0);
    ck_num_eq(num_add(P("0.1"), P("0.2")), P("0.3"));
}
END_TEST

/* ---- the hot path does not allocate ----------------------------------- */

START_TEST(small_paths_do_not_allocate)
{
    Num a = P("85.5"), b = P("0.3"), c = F(1, 3), d = F(-237, 255);
    char buf[128];
    size_t before = num_alloc_count();
    Num acc = num_int(0);
    for (int i = 0; i < 1000; i++) {
        acc = num_add(acc, num_mul(a, b));
        acc = num_sub(acc, num_mul(c, d));
        acc = num_min(num_max(acc, d), num_int(1000000));
        Num q;
        if (num_div(acc, a, &q)) acc = num_add(acc, q);
        acc = num_round(acc, 4, (RoundMode)(i % 6));
        acc = num_neg(num_neg(acc));
        (void)num_cmp(acc, c);
        (void)num_eq(acc, c);
        (void)num_sign(acc);
        (void)num_is_integer(acc);
        (void)num_reduce(acc);
        (void)num_write(acc, buf, sizeof buf);
        (void)num_write(c, buf, sizeof buf);
        (void)num_write_fixed(acc, 2, buf, sizeof buf);
        (void)num_write_fixed(c, 18, buf, sizeof buf);
    }
    Num parsed;
    (void)num_parse("-12345.678", 10, &parsed);
    size_t after = num_alloc_count();
    ck_assert_uint_eq(after, before);
    ck_assert(is_small(acc));
    /* and the counter does move when something is made */
    (void)num_to_string(acc);
    (void)num_add(num_int(INT64_MAX), num_int(1));
    ck_assert_uint_gt(num_alloc_count(), after);
}
END_TEST

/* Big values live in collector memory: they must survive collections while
** reachable (from the stack or from other GC blocks), and GMP must keep
** working while the collector runs. */
START_TEST(big_values_survive_gc)
{
    enum { N = 200 };
    Num *kept = GC_MALLOC(N * sizeof *kept);
    ck_assert_ptr_nonnull(kept);
    Num x = P("123456789012345678901234567890.5");
    for (int i = 0; i < N; i++) {
        kept[i] = x;
        x = num_add(num_mul(x, F(3, 2)), F(1, 7));
        if (i % 16 == 0) GC_gcollect();
    }
    for (int i = 0; i < 20000; i++) (void)GC_MALLOC_ATOMIC(64);   /* churn */
    GC_gcollect();
    /* walk back down: every kept value must still be exactly what it was */
    for (int i = N - 1; i > 0; i--) {
        Num prev;
        ck_assert(num_div(num_sub(kept[i], F(1, 7)), F(3, 2), &prev));
        ck_assert_msg(num_eq(prev, kept[i - 1]), "kept[%d] damaged after GC", i - 1);
    }
    ck_num_str(kept[0], "123456789012345678901234567890.5");
}
END_TEST

/* The same, made as hard as the test can make it. A big Num keeps its BigQ
** only through the address in its int64 num field (num.h), so this checks
** that the conservative collector honours that reference when the Nums live
** nowhere but in a scanned GC block: 2000 big values (big numerators and
** big denominators) are written straight into such an array, stale copies
** on the stack are scrubbed, and then the collector runs repeatedly while
** blocks of the BigQ's size and limb-sized atomic blocks are allocated and
** filled with junk, so that anything freed by mistake is reused and
** overwritten. Each BigQ carries a finalizer: the collector calls it only
** for an object it found unreachable, so none may run. Finally every value
** is compared with a fresh recomputation. */

#define GC_BIG_N 2000

static Num gc_big_value(int i)
{
    /* about 2^126 + i/7; odd i take the reciprocal (a big denominator) */
    Num x = num_mul(num_int(INT64_MAX - i), num_int(INT64_MAX - 2 * i));
    x = num_add(x, F(i + 1, 7));
    if (i % 2) x = DIV(num_int(1), x);
    return x;
}

static int gc_big_finalized;

static void gc_big_finalizer(void *obj, void *data)
{
    (void)obj;
    (void)data;
    gc_big_finalized++;
}

__attribute__((noinline)) static void gc_big_fill(Num *kept)
{
    for (int i = 0; i < GC_BIG_N; i++) kept[i] = gc_big_value(i);
}

/* Overwrites the stack below the caller, where gc_big_fill and GMP left
** copies of the addresses that would keep the BigQs alive on their own. */
__attribute__((noinline)) static void gc_scrub_stack(void)
{
    volatile char junk[64 * 1024];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = 0;
}

__attribute__((noinline)) static void gc_churn(void)
{
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 20000; i++) {
            size_t n = 16 + (size_t)(i % 5) * 16;   /* 16..80 bytes: BigQ-sized too */
            unsigned char *p = i % 2 ? GC_MALLOC(n) : GC_MALLOC_ATOMIC(n);
            ck_assert_ptr_nonnull(p);
            memset(p, 0xA5, n);
        }
        GC_gcollect();
    }
}

START_TEST(big_values_survive_gc_heap_only)
{
    Num *kept = GC_MALLOC(GC_BIG_N * sizeof *kept);
    ck_assert_ptr_nonnull(kept);
    gc_big_fill(kept);
    gc_big_finalized = 0;
    for (int i = 0; i < GC_BIG_N; i++) {
        ck_assert_msg(!is_small(kept[i]), "value %d is not big", i);
        void *q = (void *)(intptr_t)kept[i].num;
        /* the address is stored as is: the start of a collector block */
        ck_assert_ptr_eq(GC_base(q), q);
        GC_register_finalizer_no_order(q, gc_big_finalizer, NULL, NULL, NULL);
    }
    gc_scrub_stack();
    GC_gcollect();
    gc_churn();
    GC_invoke_finalizers();
    ck_assert_int_eq(gc_big_finalized, 0);
    for (int i = 0; i < GC_BIG_N; i++) {
        Num want = gc_big_value(i);
        ck_assert_msg(num_eq(kept[i], want) && num_cmp(kept[i], want) == 0,
                      "kept[%d] damaged after GC", i);
        ck_assert_str_eq(num_to_string(kept[i]), num_to_string(want));
    }
    for (int i = 0; i < GC_BIG_N; i++)
        GC_register_finalizer_no_order((void *)(intptr_t)kept[i].num, NULL, NULL, NULL, NULL);
}
END_TEST

/* ---- identities over pseudo-random values ----------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* Values in every size class: tiny, decimal-like, int32-ish, near INT64
** limits, and big ones made by multiplying. */
static Num random_num(void)
{
    uint64_t k = rng() % 8;
    int64_t n, d;
    switch (k) {
    case 0:
        n = (int64_t)(rng() % 201) - 100;
        d = (int64_t)(rng() % 12) + 1;
        break;
    case 1: {
        static const int64_t p10[] = {1, 10, 100, 1000, 100000, 1000000000};
        n = (int64_t)(rng() % 2000001) - 1000000;
        d = p10[rng() % 6];
        break;
    }
    case 2:
        n = (int64_t)(rng() >> 32) - (INT64_C(1) << 31);
        d = (int64_t)(rng() >> 33) + 1;
        break;
    case 3:
        n = (int64_t)rng();
        d = 1;
        break;
    case 4:
        n = rng() & 1 ? INT64_MAX - (int64_t)(rng() % 4) : INT64_MIN + (int64_t)(rng() % 4);
        d = (int64_t)(rng() % 7) + 1;
        break;
    case 5:
        n = (int64_t)rng();
        d = (int64_t)(rng() >> 1) | 1;
        break;
    case 6:
        return num_mul(num_frac((int64_t)rng(), (int64_t)(rng() >> 2) + 1),
                       num_frac((int64_t)rng(), 3));
    default:
        return num_add(num_int((int64_t)rng()), num_frac(1, (int64_t)(rng() >> 1) | 1));
    }
    return num_frac(n, d);
}

static void check_identities(Num a, Num b, Num c)
{
    const char *as = num_to_string(a), *bs = num_to_string(b);
    ck_assert_msg(num_eq(num_sub(num_add(a, b), b), a), "(a+b)-b: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_add(num_sub(a, b), b), a), "(a-b)+b: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_add(a, b), num_add(b, a)), "a+b=b+a: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_mul(a, b), num_mul(b, a)), "ab=ba: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_sub(a, b), num_neg(num_sub(b, a))), "a-b: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_mul(a, num_add(b, c)), num_add(num_mul(a, b), num_mul(a, c))),
                  "distributive: a=%s b=%s", as, bs);
    ck_assert_msg(num_cmp(a, b) == num_sign(num_sub(a, b)), "cmp: a=%s b=%s", as, bs);
    ck_assert_msg(num_cmp(a, b) == -num_cmp(b, a), "cmp antisymmetric: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(a, b) == (num_cmp(a, b) == 0), "eq/cmp: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(num_reduce(a), a), "reduce: a=%s", as);
    ck_assert(num_eq(num_min(a, b), num_cmp(a, b) <= 0 ? a : b));
    ck_assert(num_eq(num_max(a, b), num_cmp(a, b) >= 0 ? a : b));
    if (num_sign(b) != 0) {
        Num q, back;
        ck_assert(num_div(a, b, &q));
        ck_assert_msg(num_eq(num_mul(q, b), a), "(a/b)b: a=%s b=%s", as, bs);
        ck_assert(num_div(num_mul(a, b), b, &back));
        ck_assert_msg(num_eq(back, a), "(ab)/b: a=%s b=%s", as, bs);
    }
    /* the printed form reads back as the same value */
    const char *s = num_to_string(a);
    const char *slash = strchr(s, '/');
    if (slash) {
        Num n, d, q;
        ck_assert(num_parse(s, (size_t)(slash - s), &n));
        ck_assert(num_parse(slash + 1, strlen(slash + 1), &d));
        ck_assert(num_div(n, d, &q));
        ck_assert_msg(num_eq(q, a), "n/d text: %s", s);
    } else {
        ck_assert_msg(num_eq(P(s), a), "decimal text: %s", s);
    }
}

START_TEST(random_identities)
{
    for (int i = 0; i < 4000; i++) check_identities(random_num(), random_num(), random_num());
}
END_TEST

/* The inline fast paths in num.h against the complete functions in num.c:
** the same value, and for a small result the very same num/den (the fast
** path must not even differ in how far it reduces). Half the pairs share a
** denominator, the case the fast paths take. */
static void check_inline_agrees(Num a, Num b)
{
    const char *as = num_to_string(a), *bs = num_to_string(b);
    Num r[3][2] = {
        {num_add(a, b), num_add_general(a, b)},
        {num_sub(a, b), num_sub_general(a, b)},
        {num_mul(a, b), num_mul_general(a, b)},
    };
    for (int k = 0; k < 3; k++) {
        Num x = r[k][0], y = r[k][1];
        ck_assert_msg(num_eq(x, y), "op %d: a=%s b=%s", k, as, bs);
        if (is_small(y))
            ck_assert_msg(x.num == y.num && x.den == y.den, "op %d form: a=%s b=%s", k, as, bs);
        else
            ck_assert_msg(!is_small(x), "op %d not big: a=%s b=%s", k, as, bs);
    }
    ck_assert_msg(num_cmp(a, b) == num_cmp_general(a, b), "cmp: a=%s b=%s", as, bs);
    ck_assert_msg(num_eq(a, b) == num_eq_general(a, b), "eq: a=%s b=%s", as, bs);
    ck_assert_msg(num_sign(a) == num_sign_general(a), "sign: a=%s", as);
}

START_TEST(inline_matches_general)
{
    for (int i = 0; i < 4000; i++) {
        Num a = random_num(), b = random_num();
        check_inline_agrees(a, b);
        if (is_small(a)) {
            /* the same denominator, numerators of every size */
            Num c = {(int64_t)rng() >> (rng() % 64), a.den};
            check_inline_agrees(a, c);
            check_inline_agrees(c, a);
            check_inline_agrees(a, a);
        }
    }
    Num max = num_int(INT64_MAX), min = num_int(INT64_MIN);
    check_inline_agrees(max, num_int(1));
    check_inline_agrees(min, num_int(1));
    check_inline_agrees(min, num_int(-1));
    check_inline_agrees(min, min);
    check_inline_agrees(max, max);
    check_inline_agrees(F(INT64_MAX, 3), F(2, 3));
    check_inline_agrees(F(INT64_MIN, 7), F(1, 7));
}
END_TEST

static void check_rounding(Num x, int p)
{
    const char *xs = num_to_string(x);
    Num fl = num_round(x, p, ROUND_FLOOR), ce = num_round(x, p, ROUND_CEILING);
    Num dn = num_round(x, p, ROUND_DOWN), up = num_round(x, p, ROUND_UP);
    Num hu = num_round(x, p, ROUND_HALF_UP), he = num_round(x, p, ROUND_HALF_EVEN);
    /* unit = 10^-p */
    Num unit = num_int(1);
    for (int i = 0; i < (p < 0 ? -p : p); i++) {
        if (p > 0) ck_assert(num_div(unit, num_int(10), &unit));
        else unit = num_mul(unit, num_int(10));
    }
    ck_assert_msg(num_cmp(fl, x) <= 0 && num_cmp(x, ce) <= 0, "floor/ceil %s p=%d", xs, p);
    Num gap = num_sub(ce, fl);
    ck_assert_msg(num_sign(gap) == 0 ? num_eq(fl, x) : num_eq(gap, unit), "gap %s p=%d", xs, p);
    /* every result is a multiple of the unit */
    Num m;
    ck_assert(num_div(hu, unit, &m));
    ck_assert_msg(num_is_integer(m), "half_up not on grid: %s p=%d", xs, p);
    ck_assert(num_div(he, unit, &m));
    ck_assert_msg(num_is_integer(m), "half_even not on grid: %s p=%d", xs, p);
    if (num_sign(x) >= 0) {
        ck_assert(num_eq(dn, fl) && num_eq(up, ce));
    } else {
        ck_assert(num_eq(dn, ce) && num_eq(up, fl));
    }
    /* half modes land within half a unit, and pick a side correctly */
    Num half = num_mul(unit, F(1, 2));
    Num below = num_sub(x, fl), above = num_sub(ce, x);
    Num want_hu = num_cmp(below, above) < 0 ? fl
                : num_cmp(below, above) > 0 ? ce
                : num_sign(x) >= 0 ? ce : fl;
    ck_assert_msg(num_eq(hu, want_hu), "half_up %s p=%d", xs, p);
    ck_assert(num_cmp(num_sub(num_max(x, hu), num_min(x, hu)), half) <= 0);
    if (num_cmp(below, above) != 0 || num_sign(gap) == 0) {
        ck_assert_msg(num_eq(he, hu), "half_even (no tie) %s p=%d", xs, p);
    } else {
        Num k;
        ck_assert(num_div(he, num_mul(unit, num_int(2)), &k));
        ck_assert_msg(num_is_integer(k), "half_even tie not even: %s p=%d", xs, p);
    }
    /* the fixed text is the half-up value */
    if (p >= 0) ck_num_eq(P(num_format_fixed(x, p)), hu);
    /* the small path (|p| <= 18) agrees with the GMP path (|p| > 18) */
    if (p >= 0 && p <= 2) {
        Num scale = num_int(1);
        for (int i = 0; i < 19 + p; i++) scale = num_mul(scale, num_int(10));
        Num viabig = num_round(num_mul(x, scale), -19, ROUND_HALF_EVEN);
        ck_assert(num_div(viabig, scale, &viabig));
        ck_assert_msg(num_eq(viabig, he), "small vs gmp rounding: %s p=%d", xs, p);
    }
}

START_TEST(random_rounding)
{
    for (int i = 0; i < 3000; i++) {
        Num x = random_num();
        int p = (int)(rng() % 25) - 5;   /* -5 .. 19: both paths */
        check_rounding(x, p);
    }
    /* exact ties on purpose */
    for (int i = 0; i < 500; i++) {
        int64_t n = (int64_t)(rng() % 2000001) - 1000000;
        check_rounding(num_frac(n * 10 + 5, 1000), 2);
        check_rounding(num_frac(n * 10 + 5, 10), 0);
        check_rounding(num_frac(n * 10 + 5, 1), -1);
    }
}
END_TEST

Suite *num_suite(void);
Suite *num_suite(void)
{
    Suite *s = suite_create("num");
    TCase *text = tcase_create("text");
    tcase_add_test(text, parse_valid);
    tcase_add_test(text, parse_invalid);
    tcase_add_test(text, parse_uses_len);
    tcase_add_test(text, to_string_forms);
    tcase_add_test(text, write_bounded);
    tcase_add_test(text, format_fixed);
    tcase_add_test(text, round_trip_text);
    suite_add_tcase(s, text);

    TCase *arith = tcase_create("arith");
    tcase_add_test(arith, add_sub_signs);
    tcase_add_test(arith, mul_div);
    tcase_add_test(arith, int64_edges);
    tcase_add_test(arith, int64_same_den_overflow);
    tcase_add_test(arith, mixed_small_big);
    tcase_add_test(arith, compare);
    tcase_add_test(arith, integers_and_reduce);
    suite_add_tcase(s, arith);

    TCase *round = tcase_create("round");
    tcase_add_test(round, round_modes);
    tcase_add_test(round, round_fractions);
    tcase_add_test(round, round_mode_names);
    suite_add_tcase(s, round);

    TCase *acc = tcase_create("acceptance");
    tcase_add_test(acc, acceptance_combined_score);
    tcase_add_test(acc, acceptance_thirds);
    tcase_add_test(acc, acceptance_grade_boundary);
    tcase_add_test(acc, small_paths_do_not_allocate);
    tcase_add_test(acc, big_values_survive_gc);
    tcase_add_test(acc, big_values_survive_gc_heap_only);
    suite_add_tcase(s, acc);

    TCase *prop = tcase_create("properties");
    tcase_set_timeout(prop, 60);
    tcase_add_test(prop, random_identities);
    tcase_add_test(prop, inline_matches_general);
    tcase_add_test(prop, random_rounding);
    suite_add_tcase(s, prop);
    return s;
}
