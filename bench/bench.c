/*
** bench.c — the figures `make bench` prints: compile time of a rubric,
** evaluation rate with facts in memory, a what-if sweep, and end-to-end
** time and peak memory of `kaohe run --format csv` (a child process,
** measured with wait4).
** Timing is integer nanoseconds; nothing here is on the scoring path.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "trace.h"
#include "vm.h"
#include "whatif.h"

static long long clock_ns(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine, what one core spent on
** the work, whatever else was running. */
static long long cpu_ns(void)
{
    return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* "1.234" from a count of thousandths */
static void print_milli(const char *label, long long milli, const char *unit)
{
    printf("%-44s %lld.%03lld %s\n", label, milli / 1000, milli % 1000, unit);
}

static int cmd_compile(const char *rules, int rounds)
{
    long long best = -1;
    for (int r = 0; r < rounds; r++) {
        long long t0 = now_ns();
        Program *p = compile_rubric(rules);
        long long dt = now_ns() - t0;
        if (!p) return 1;
        if (best < 0 || dt < best) best = dt;
    }
    print_milli("compile the rubric (best of runs, ms)", best / 1000, "ms");
    return 0;
}

/* traced: record every derivation (what explain and report do), to show
** what tracing costs and that the plain path does not pay it. */
static int cmd_eval(const char *rules, const char *facts_path, long long min_ns, bool traced)
{
    Program *p = compile_rubric(rules);
    if (!p) return 1;
    FactData *facts = facts_load(facts_path, CSV_ENC_AUTO, &p->schema, p->units);
    if (!facts) return 1;
    UnitScores *s = eval_scores_new(p);
    Eval *ev = eval_new(p, facts);
    if (!ev) return 1;
    long long done = 0, t0 = now_ns(), c0 = cpu_ns(), dt;
    do {
        eval_reset(ev);   /* each round scores from scratch: cohorts too */
        for (int u = 0; u < p->units->n; u++)
            if (!(traced ? eval_unit_traced(ev, u, s, trace_new(p, u)) : eval_unit(ev, u, s))) return 1;
        done += (long long)p->units->n * p->nperiods;
        dt = now_ns() - t0;
    } while (dt < min_ns);
    long long dc = cpu_ns() - c0;
    long long rate = done * 1000000000LL / dt;
    printf("%-44s %lld unit-periods/s (%lld in %lld ms; per CPU second: %lld)\n",
           traced ? "evaluation rate, facts in memory, tracing ON" : "evaluation rate, facts in memory, tracing off",
           rate, done, dt / 1000000, dc > 0 ? done * 1000000000LL / dc : 0);
    return 0;
}

/* kaohe whatif RULES FACTS --sweep SPEC --format csv, in process: the
** rubric built under the sweep, the facts, every value scored, the CSV
** written (to /dev/null). Best of 5: the build machine is shared. */
static int cmd_sweep(const char *rules, const char *facts_path, const char *spec)
{
    long long best = -1;
    int nvalues = 0, nunits = 0, nperiods = 0;
    for (int r = 0; r < 5; r++) {
        long long t0 = now_ns();
        Scenario *s = scenario_new();
        Program *base, *p;
        if (!scenario_add(s, SCENARIO_SWEEP, spec) || scenario_compile(s, rules, &base, &p) != 0) return 1;
        FactData *facts = facts_load(facts_path, CSV_ENC_AUTO, &base->schema, base->units);
        FILE *out = fopen("/dev/null", "w");
        if (!facts || !out || whatif_sweep(out, p, facts, s, FMT_CSV) != 0) return 1;
        fclose(out);
        long long dt = now_ns() - t0;
        if (best < 0 || dt < best) best = dt;
        nvalues = scenario_sweep(s)->nvalues;
        nunits = p->units->n;
        nperiods = p->nperiods;
    }
    char label[160];
    snprintf(label, sizeof label, "sweep of %.*s, %d values × %d units × %d periods (ms)",
             (int)(strchr(spec, '=') ? strchr(spec, '=') - spec : (long)strlen(spec)), spec, nvalues, nunits, nperiods);
    print_milli(label, best / 1000, "ms");
    return 0;
}

/* One run of the command: wall time, user and system CPU (ms), max RSS. */
static int e2e_once(char **argv, long long *wall, long long *user, long long *sys, long *rss)
{
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return 1;
    *wall = now_ns() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: kaohe failed (status %d)\n", status);
        return 1;
    }
    *user = (long long)ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000;
    *sys = (long long)ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
    *rss = ru.ru_maxrss;
    return 0;
}

/* The best of three runs: on a shared virtual machine one run's page faults
** alone can cost from 0.03 s to over 0.6 s of system time. */
static int cmd_e2e(char **argv)
{
    long long best = -1, bu = 0, bs = 0;
    long rss = 0;
    for (int run = 0; run < 3; run++) {
        long long w, u, s;
        long r;
        if (e2e_once(argv, &w, &u, &s, &r)) return 1;
        if (best < 0 || w < best) best = w, bu = u, bs = s;
        if (r > rss) rss = r;
    }
    printf("%-44s %lld.%03lld s (CPU: user %lld.%03lld s, system %lld.%03lld s)\n",
           "end-to-end kaohe run --format csv, best of 3", best / 1000000000, best / 1000000 % 1000,
           bu / 1000, bu % 1000, bs / 1000, bs % 1000);
    printf("%-44s %ld MB\n", "peak memory (max RSS)", rss / 1024);
    return 0;
}

int main(int argc, char **argv)
{
    GC_INIT();
    num_init();
    if (argc >= 3 && strcmp(argv[1], "compile") == 0) return cmd_compile(argv[2], 20);
    if (argc >= 4 && strcmp(argv[1], "eval") == 0) return cmd_eval(argv[2], argv[3], 2000000000LL, false);
    if (argc >= 4 && strcmp(argv[1], "eval-traced") == 0) return cmd_eval(argv[2], argv[3], 2000000000LL, true);
    if (argc >= 5 && strcmp(argv[1], "sweep") == 0) return cmd_sweep(argv[2], argv[3], argv[4]);
    if (argc >= 3 && strcmp(argv[1], "e2e") == 0) return cmd_e2e(argv + 2);
    fprintf(stderr, "usage: bench compile RULES | eval RULES FACTS | eval-traced RULES FACTS"
                    " | sweep RULES FACTS NAME=LOW..HIGH:STEP | e2e KAOHE ARGS...\n");
    return 2;
}
