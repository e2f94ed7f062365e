/*
** adapter.h — the one place where the fuzz harnesses call kaohe's commands
** (check, test, fmt, whatif) in-process, through the lowest plain function
** each command has today. When the commands' argument parsing moves to
** runtime/cli and check/fmt/test become plain functions, only adapter.c
** changes. Each returns the command's exit status (output.h); what the
** command writes to stdout goes to *out (valid until the next call).
*/
#ifndef KAOHE_FUZZ_ADAPTER_H
#define KAOHE_FUZZ_ADAPTER_H

#include <stdbool.h>

int fz_check(const char *rules, const char **out);
int fz_test(const char *rules, const char **out);
int fz_fmt(const char *path, bool check_only, const char **out);
/* `kaohe whatif RULES FACTS OPT...`: opts are the what-if options as typed
** (--set, --scenario, --table, --sweep and their values); without a sweep
** the comparison is written in each of its formats (table, csv, json) and
** with and without detail. */
int fz_whatif(const char *rules, const char *facts, int nopts, char **opts, const char **out);

#endif
