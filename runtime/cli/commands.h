/*
** commands.h — the commands that live beside the code they drive: check
** (lang/check.c), fmt (lang/fmt.c) and test (runtime/ruletest.c). main.c
** only dispatches to them. Their exit statuses are output.h's.
*/
#ifndef KAOHE_COMMANDS_H
#define KAOHE_COMMANDS_H

#include "output.h"

/* "kaohe: error: …" with the hint "see 'kaohe --help'"; fmt has exactly one
** %s, filled with arg. Returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);

int cmd_check(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_test(int argc, char **argv);

#endif
