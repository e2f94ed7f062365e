/*
** capture.c — test helper: catch what diag prints, so a test can compare a
** message exactly. One capture at a time; captured() ends it.
*/
#include <check.h>
#include <stdio.h>

#include "capture.h"
#include "diag.h"

static char *buf;
static size_t buflen;
static FILE *mem;

void capture(void)
{
    mem = open_memstream(&buf, &buflen);
    ck_assert_ptr_nonnull(mem);
    diag_set_stream(mem);
    diag_reset();
}

char *captured(void)
{
    fclose(mem);
    diag_set_stream(NULL);
    return buf;
}
