/*
** cmd_rules.c — the commands that read rule files without facts: check,
** test, fmt and disasm. Each parses its options here and calls the plain
** function of the layer that does the work (lang/lint.h, lang/fmt.h,
** ruletest.h, code/disasm.h).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lint.h"
#include "commands.h"
#include "diag.h"
#include "disasm.h"
#include "fmt.h"
#include "ruletest.h"

enum { OPT_STRICT = 256, OPT_MIN_COVERAGE, OPT_CHECK };

const CliOption check_options[] = {
    { "strict", OPT_STRICT, NULL, "a warning fails the check too (exit 1)", NULL, NULL },
    { 0 }
};
const CliOption test_options[] = {
    { "min-coverage", OPT_MIN_COVERAGE, "N", "fail (exit 1) unless the tests reach N % of the rules", "a percentage", NULL },
    { 0 }
};
const CliOption fmt_options[] = {
    { "check", OPT_CHECK, NULL, "change nothing; exit 1 if a file is not laid out", NULL, NULL },
    { 0 }
};
const CliOption disasm_options[] = { { 0 } };

/* The arguments of check, test and disasm: one RULES, some flags. */
typedef struct RulesArgs {
    const char *rules;
    bool flag;              /* check --strict, fmt --check */
    int min_coverage;       /* test: -1 when not asked for */
    char **paths;           /* fmt: every PATH, in order */
    int npaths;
    bool many;              /* fmt takes many paths */
} RulesArgs;

static int rules_option(void *ctx, int key, const char *option, const char *v)
{
    (void)option;
    RulesArgs *a = ctx;
    switch (key) {
    case CLI_POSITIONAL:
        if (a->many) {
            a->paths[a->npaths++] = (char *)v;
            return 0;
        }
        if (a->rules) return usage_error("unexpected argument '%s'", v);
        a->rules = v;
        return 0;
    case OPT_STRICT:
    case OPT_CHECK: a->flag = true; return 0;
    case OPT_MIN_COVERAGE: {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (*end == '%') end++;
        if (*end || end == v || errno || n < 0 || n > 100)
            return usage_error("--min-coverage takes a whole percentage from 0 to 100, not '%s'", v);
        a->min_coverage = (int)n;
        return 0;
    }
    }
    return usage_error("unknown option '%s'", v);
}

/* true when parsed; else *status is the usage error's. */
static bool parse_rules_args(const char *cmd, const CliOption *table, int argc, char **argv, RulesArgs *a,
                             int *status)
{
    *status = cli_parse(cmd, table, argc, argv, rules_option, a);
    return *status == 0;
}

static int needs_rules(const char *cmd)
{
    char msg[80];
    snprintf(msg, sizeof msg, "%s needs RULES (a rubric folder or .kh file)", cmd);
    return usage_error("%s", msg);
}

int cmd_check(int argc, char **argv)
{
    RulesArgs a = { .min_coverage = -1 };
    int status;
    if (!parse_rules_args("check", check_options, argc, argv, &a, &status)) return status;
    if (!a.rules) return needs_rules("check");
    return check_rubric(a.rules, a.flag);
}

int cmd_test(int argc, char **argv)
{
    RulesArgs a = { .min_coverage = -1 };
    int status;
    if (!parse_rules_args("test", test_options, argc, argv, &a, &status)) return status;
    if (!a.rules) return needs_rules("test");
    return ruletest_run(a.rules, a.min_coverage);
}

int cmd_fmt(int argc, char **argv)
{
    RulesArgs a = { .min_coverage = -1, .many = true };
    a.paths = malloc(sizeof(char *) * (size_t)(argc + 1));
    if (!a.paths) return EXIT_MEMORY;
    int status;
    if (!parse_rules_args("fmt", fmt_options, argc, argv, &a, &status)) {
        free(a.paths);
        return status;
    }
    int rc = a.npaths ? fmt_paths(a.paths, a.npaths, a.flag)
                      : usage_error("%s", "fmt needs at least one rule file or folder");
    free(a.paths);
    return rc;
}

int cmd_disasm(int argc, char **argv)
{
    RulesArgs a = { .min_coverage = -1 };
    int status;
    if (!parse_rules_args("disasm", disasm_options, argc, argv, &a, &status)) return status;
    if (!a.rules) return usage_error("%s", "disasm needs exactly one RULES argument");
    Program *p = compile_rubric(a.rules);
    if (!p) return EXIT_RULES;
    disasm_program(p, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_plain(DIAG_ERROR, NULL, "cannot write the output: %s", strerror(errno));
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}
