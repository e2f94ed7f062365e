/*
** fuzz.c — replays the kept fuzz inputs through the harnesses of
** tests/fuzz/: the seed and minimised corpora (tests/fuzz/corpus/NAME/)
** and every input that once broke kaohe (tests/fuzz/crashers/NAME/). One
** Check test per harness; a harness aborts on a broken invariant, which
** Check reports as an error, and the input being replayed is named.
*/
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fuzz/fuzz.h"
#include "suites.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#include <sanitizer/common_interface_defs.h>
#define HAVE_SANITIZER 1
#endif

static const struct {
    const char *name;
    int (*run)(const uint8_t *, size_t);
} harnesses[] = {
    { "parse", fuzz_parse },
    { "compile", fuzz_compile },
    { "csv", fuzz_csv },
    { "eval", fuzz_eval },
    { "rules_facts", fuzz_rules_facts },
    { "commands", fuzz_commands },
    { "xlsx", fuzz_xlsx },
};
#define NHARNESSES ((int)(sizeof harnesses / sizeof harnesses[0]))

static char current[PATH_MAX];

/* Says which input was being replayed when the harness died. */
static void name_current(void)
{
    static const char head[] = "fuzz replay died on ";
    if (write(2, head, sizeof head - 1) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
        return;
}

static void on_signal(int sig)
{
    name_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of dir through the harness; how many there were. */
static int replay_dir(const char *dir, int (*run)(const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, sizeof *names * (size_t)(cap = cap ? cap * 2 : 64));
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n) qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        snprintf(current, sizeof current, "%s/%s", dir, names[i]);
        size_t len;
        uint8_t *data = slurp(current, &len);
        ck_assert_int_eq(run(data, len), 0);
        free(data);
        free(names[i]);
    }
    free(names);
    return n;
}

START_TEST(replay)
{
    signal(SIGSEGV, on_signal);
    signal(SIGABRT, on_signal);
    signal(SIGBUS, on_signal);
    signal(SIGFPE, on_signal);
#ifdef HAVE_SANITIZER
    __sanitizer_set_death_callback(name_current);
#endif
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", harnesses[_i].name);
    int n = replay_dir(dir, harnesses[_i].run);
    snprintf(dir, sizeof dir, "tests/fuzz/crashers/%s", harnesses[_i].name);
    n += replay_dir(dir, harnesses[_i].run);
    /* an empty corpus replays nothing: that is a broken checkout, not a pass */
    ck_assert_msg(n > 0, "no inputs for the %s harness under tests/fuzz/", harnesses[_i].name);
}
END_TEST

/* The mutator turns a clean two-file rubric folder into the
** declaration-stage errors that once made check die (a name declared
** twice, two items with one number), and the commands harness runs every
** command on each mutant without dying (issue 17). */
START_TEST(mutator_reaches_declaration_errors)
{
    static const char seed[] =
        "rubric \"t\"\nunits from \"units.csv\"\nperiod 全年\nfact 人数 : count\n"
        "table 任务 from \"t.csv\" key 单位\nparam 标准 = 3\n"
        "%% items.kh\nsection \"一\" 10 {\n  item 1 \"x\" 5 { score 人数 }\n  item 2 \"y\" 5 { score 标准 }\n}\n"
        "%% facts.csv\n单位,期别,人数\n甲镇,全年,3\n乙镇,全年,1\n丙园区,全年,2\n";
    uint8_t buf[4096];
    int twice = 0, same_number = 0, changed = 0;
    for (unsigned k = 1; k <= 400; k++) {
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        n = fuzz_mutate_rules(buf, n, sizeof buf, k, NULL);
        changed += n != strlen(seed) || memcmp(buf, seed, n) != 0;
        ck_assert_int_eq(fuzz_commands(buf, n), 0);
        twice += strstr(fuzz_last_check(), "is already declared") != NULL;
        same_number += strstr(fuzz_last_check(), "two items have the same number") != NULL;
    }
    ck_assert_int_ge(changed, 300);
    ck_assert_int_ge(twice, 5);
    ck_assert_int_ge(same_number, 5);
}
END_TEST

Suite *fuzz_suite(void)
{
    Suite *s = suite_create("fuzz");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, replay, 0, NHARNESSES);
    suite_add_tcase(s, tc);
    TCase *mut = tcase_create("mutator");
    tcase_set_timeout(mut, 120);
    tcase_add_test(mut, mutator_reaches_declaration_errors);
    suite_add_tcase(s, mut);
    return s;
}
