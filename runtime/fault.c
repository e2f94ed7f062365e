/*
** fault.c — the one way out when memory is exhausted, and the signal set-up
** that lets a failing write be reported instead of killing the process.
** It must not allocate on the way out: it runs when nothing can be had.
*/
#include "fault.h"

#include <gc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

/* Temporary files alive at once: the output's, and the workbook's. */
#define MAX_TEMPS 4

/* Copies, so a path freed by its owner can still be removed. */
static char temps[MAX_TEMPS][4096];

void fault_temp_file(const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof temps[0]) return;
    for (int i = 0; i < MAX_TEMPS; i++) {
        /* a slot whose file is gone (renamed into place, or removed) is free */
        if (temps[i][0] && access(temps[i], F_OK) == 0) continue;
        memcpy(temps[i], path, n + 1);
        return;
    }
}

void fault_out_of_memory(void)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temps[i][0]) unlink(temps[i]);
    diag_plain(DIAG_ERROR, "close other programs, or split the fact file and score the parts separately",
               "out of memory");
    exit(EXIT_MEMORY);
}

/* The collector asks this for a block it could not get; never returns. */
static void *on_oom(size_t bytes)
{
    (void)bytes;
    fault_out_of_memory();
}

/* The collector's warnings ("repeated allocation of very large block",
** "out of memory, returning NULL") are C-level chatter, not for users. */
static void quiet(char *msg, GC_word arg)
{
    (void)msg;
    (void)arg;
}

void fault_init(void)
{
    GC_set_oom_fn(on_oom);
    GC_set_warn_proc(quiet);
    signal(SIGXFSZ, SIG_IGN);
}
