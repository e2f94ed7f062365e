/* tmpdir.h — a fresh folder for the files of one test (tmpdir.c). */
#ifndef KAOHE_TEST_TMPDIR_H
#define KAOHE_TEST_TMPDIR_H

#include <stddef.h>

/* Makes /tmp/kaohe-NAME-XXXXXX into dir (cap bytes), failing the test if it
** cannot. */
void tmpdir_make(char *dir, size_t cap, const char *name);
/* Removes it with everything in it. */
void tmpdir_remove(const char *dir);

#endif
