/* suites.h — declares every suite listed in suites.def. */
#ifndef KAOHE_TEST_SUITES_H
#define KAOHE_TEST_SUITES_H
#include <check.h>
#define SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef SUITE
#endif
