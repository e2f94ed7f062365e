/*
** tmpdir.c — test helper: each test that writes files gets its own folder
** under /tmp, removed by its teardown.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "tmpdir.h"

void tmpdir_make(char *dir, size_t cap, const char *name)
{
    ck_assert_int_lt(snprintf(dir, cap, "/tmp/kaohe-%s-XXXXXX", name), (int)cap);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void tmpdir_remove(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
