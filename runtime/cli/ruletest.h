/*
** ruletest.h — the rule-test runner as a plain function (ruletest.c): the
** tests of RULES/tests run on the compiled rubric, and their coverage.
*/
#ifndef KAOHE_RULETEST_H
#define KAOHE_RULETEST_H

/* Runs every test, prints failures and the coverage. min_coverage: a whole
** percentage the coverage must reach, or -1. Returns an exit status. */
int ruletest_run(const char *rules, int min_coverage);

#endif
