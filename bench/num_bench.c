/*
** num_bench.c — times small-form Num arithmetic (runtime/num.c), the VM's
** hot path: 10^7 operations of a rubric-like mix, then each kind alone.
** Not a test and not linked into kaohe. Integer nanoseconds only: no
** floating point here either. The inline fast paths of num.h (add, sub,
** mul, cmp, eq, sign, min, max) are inlined into these loops as they are
** into the VM; the "general" rows call the out-of-line num.c function for
** the same work, which shows what a call costs. Build and run from the
** repo root:
**   gcc -std=gnu11 -O2 -Iruntime bench/num_bench.c runtime/num.c \
**       $(pkg-config --cflags --libs bdw-gc) -lgmp -o build/num_bench
**   ./build/num_bench
*/
#include <gc.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "num.h"

#define OPS 10000000

static volatile int64_t sink;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void consume(Num x)
{
    sink += x.num ^ x.den;
}

/* "12.34 ns/op" from integer nanoseconds. */
static void report(const char *what, int64_t ns, int64_t ops)
{
    int64_t centi = ns * 100 / ops;
    printf("%-44s %6" PRId64 ".%02" PRId64 " ns/op  (%" PRId64 " ops, %" PRId64 " ms)\n",
           what, centi / 100, centi % 100, ops, ns / 1000000);
}

/* Inputs like a rubric's: counts, percentages, decimal weights, ratios. */
static Num inputs[64];

static void make_inputs(void)
{
    for (int i = 0; i < 64; i++) {
        switch (i % 4) {
        case 0: inputs[i] = num_int(i * 7 + 1); break;                  /* counts */
        case 1: inputs[i] = num_frac(i * 13 + 5, 100); break;           /* 0.xx */
        case 2: inputs[i] = num_frac(i * 3 + 1, 10); break;             /* weights */
        default: inputs[i] = num_frac(i + 1, 255); break;               /* ratios */
        }
    }
}

/* One item-like evaluation: about 10 operations, counted exactly. */
static int64_t mixed(int64_t rounds)
{
    int64_t ops = 0;
    Num total = num_int(0);
    Num cap = num_int(10);
    for (int64_t r = 0; r < rounds; r++) {
        Num a = inputs[r & 63], b = inputs[(r * 7 + 3) & 63];
        Num w = inputs[(r * 5 + 2) & 63];
        Num q;
        Num x = num_mul(a, w);                       /* 1 */
        x = num_add(x, b);                           /* 2 */
        if (!num_div(x, inputs[(r | 1) & 63], &q))   /* 3 */
            q = x;
        q = num_min(q, cap);                         /* 4 */
        q = num_max(q, num_int(0));                  /* 5 */
        q = num_sub(cap, q);                         /* 6 */
        if (num_cmp(q, w) > 0) q = num_mul(q, w);    /* 7, 8 */
        q = num_round(q, 2, ROUND_HALF_UP);          /* 9 */
        total = num_add(total, q);                   /* 10 */
        ops += 10;
        if ((r & 15) == 15) {                        /* an item is done */
            consume(total);
            total = num_int(0);
        }
    }
    consume(total);
    return ops;
}

static int64_t run_mixed(void)
{
    return mixed(OPS / 10);
}

static int64_t run_add_same(void)
{
    Num acc = num_int(0);
    Num d1 = num_frac(1, 100);
    for (int64_t i = 0; i < OPS; i++) {
        acc = num_add(acc, d1);
        if ((i & 1023) == 1023) {
            consume(acc);
            acc = num_int(0);
        }
    }
    consume(acc);
    return OPS;
}

static int64_t run_add_same_general(void)
{
    Num acc = num_int(0);
    Num d1 = num_frac(1, 100);
    for (int64_t i = 0; i < OPS; i++) {
        acc = num_add_general(acc, d1);
        if ((i & 1023) == 1023) {
            consume(acc);
            acc = num_int(0);
        }
    }
    consume(acc);
    return OPS;
}

static int64_t run_add_diff(void)
{
    for (int64_t i = 0; i < OPS; i++) consume(num_add(inputs[i & 63], inputs[(i + 1) & 63]));
    return OPS;
}

static int64_t run_mul(void)
{
    for (int64_t i = 0; i < OPS; i++) consume(num_mul(inputs[i & 63], inputs[(i + 2) & 63]));
    return OPS;
}

static int64_t run_cmp(void)
{
    int64_t c = 0;
    for (int64_t i = 0; i < OPS; i++) c += num_cmp(inputs[i & 63], inputs[(i + 3) & 63]);
    sink += c;
    return OPS;
}

static int64_t run_cmp_general(void)
{
    int64_t c = 0;
    for (int64_t i = 0; i < OPS; i++) c += num_cmp_general(inputs[i & 63], inputs[(i + 3) & 63]);
    sink += c;
    return OPS;
}

static int64_t run_round(void)
{
    for (int64_t i = 0; i < OPS; i++) consume(num_round(inputs[i & 63], 2, (RoundMode)(i % 6)));
    return OPS;
}

static int64_t run_write_fixed(void)
{
    char buf[64];
    for (int64_t i = 0; i < OPS / 10; i++)
        sink += (int64_t)num_write_fixed(inputs[i & 63], 2, buf, sizeof buf);
    return OPS / 10;
}

/* Best of five runs: the machine is shared, the minimum is the signal. */
static void bench(const char *what, int64_t (*fn)(void))
{
    int64_t best = INT64_MAX, ops = 0;
    for (int i = 0; i < 5; i++) {
        int64_t t0 = now_ns();
        ops = fn();
        int64_t t = now_ns() - t0;
        if (t < best) best = t;
    }
    report(what, best, ops);
}

int main(void)
{
    GC_INIT();
    num_init();
    make_inputs();
    size_t allocs = num_alloc_count();
    printf("sizeof(Num) = %zu\n", sizeof(Num));

    bench("mixed (mul add div min max sub cmp round)", run_mixed);
    bench("add, same denominator (dependent chain)", run_add_same);
    bench("  the same through num_add_general", run_add_same_general);
    bench("add, different denominators", run_add_diff);
    bench("mul", run_mul);
    bench("cmp", run_cmp);
    bench("  the same through num_cmp_general", run_cmp_general);
    bench("round to 2 places (all modes)", run_round);
    bench("write_fixed, 2 places", run_write_fixed);

    printf("allocations during the run: %zu\n", num_alloc_count() - allocs);
    return 0;
}
