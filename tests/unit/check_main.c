/*
** check_main.c — the test runner: every Check suite in suites.def, run in
** one SRunner so `make test` ends with one Check summary line. Language and
** end-to-end case files are one suite too (see cases.c).
*/
#include <check.h>
#include <gc.h>
#include <stdlib.h>

#include "fault.h"
#include "num.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef SUITE

int main(void)
{
    GC_INIT();
    num_init();
    fault_init();
    SRunner *sr = NULL;
#define SUITE(name)                                      \
    if (!sr) sr = srunner_create(name##_suite());        \
    else srunner_add_suite(sr, name##_suite());
#include "suites.def"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
