/*
** lint.h — `kaohe check` as a plain function: the lint of a rubric without
** facts (check.c). The command line parses the options and calls it.
*/
#ifndef KAOHE_LINT_H
#define KAOHE_LINT_H

#include <stdbool.h>

/* Builds and checks the rubric at rules (a folder or one .kh file),
** printing each finding through diag and a summary line "RULES: N errors,
** M warnings" on stdout. Returns EXIT_RULES on an error, EXIT_FAILED on a
** warning under strict, EXIT_OUTPUT if stdout failed, else EXIT_OK. */
int check_rubric(const char *rules, bool strict);

#endif
