/*
** commands.h — the exit statuses of the kaohe command (README.md lists
** them) and the commands that live beside the code they drive: check
** (lang/check.c), fmt (lang/fmt.c) and test (runtime/ruletest.c). main.c
** only dispatches to them.
*/
#ifndef KAOHE_COMMANDS_H
#define KAOHE_COMMANDS_H

enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,      /* what was checked did not pass: a rule test, a layout (fmt --check),
                          ** coverage below --min-coverage, warnings under check --strict */
    EXIT_USAGE = 2,       /* bad command line */
    EXIT_RULES = 3,       /* rule files, unit list or annex tables are wrong */
    EXIT_FACTS = 4,       /* the fact file is wrong (including a blank cell a rule reads) */
    EXIT_EVAL = 5,        /* a rule failed while scoring (division by zero, no grade band) */
    EXIT_OUTPUT = 6       /* the output could not be written */
};

/* "kaohe: error: …" with the hint "see 'kaohe --help'"; fmt has exactly one
** %s, filled with arg. Returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);

int cmd_check(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_test(int argc, char **argv);

#endif
