/*
** fault.c — the one way out when memory is exhausted, and the signal set-up
** that lets a failing write be reported instead of killing the process.
** It must not allocate on the way out: it runs when nothing can be had.
*/
#include "fault.h"

#include <fcntl.h>
#include <gc.h>
#include <signal.h>
#include <stdio.h>
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

/* stderr while a library is hushed (fault_hush), else -1. */
static int real_stderr = -1;

int fault_hush(void)
{
    fflush(stderr);
    int saved = dup(2);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0) dup2(null, 2);
    if (null >= 0) close(null);
    real_stderr = saved;
    return saved;
}

void fault_unhush(int saved)
{
    real_stderr = -1;
    if (saved < 0) return;
    dup2(saved, 2);
    close(saved);
}

static void remove_temps(void)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temps[i][0]) unlink(temps[i]);
}

void fault_out_of_memory(void)
{
    remove_temps();
    if (real_stderr >= 0) fault_unhush(real_stderr);
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

/* The collector gives up only when it cannot even start (no room for its
** first heap block) or finds itself broken; msg is NULL on the way to
** exit(1), which it takes for want of memory. */
static void on_abort(const char *msg)
{
    if (!msg) fault_out_of_memory();
    diag_plain(DIAG_ERROR, NULL, "the memory manager stopped: %s", msg);
}

volatile sig_atomic_t fault_in_library;

/* A crash inside a library call: that library did not check an allocation
** (libxlsxwriter 1.1 writes through the NULL of a failed malloc when the
** address space is exhausted). Only what is async-signal-safe is used. A
** crash anywhere else is left to be a crash, so it is seen and fixed. */
static void on_crash(int sig)
{
    if (!fault_in_library) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    remove_temps();
    if (real_stderr >= 0) dup2(real_stderr, 2);
    static const char msg[] = "kaohe: error: out of memory (the spreadsheet writer failed)\n"
                              "  hint: close other programs, or split the fact file and score the parts separately\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(EXIT_MEMORY);
    _exit(EXIT_MEMORY);
}

void fault_guard_library(void)
{
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
}

void fault_init(void)
{
    GC_set_warn_proc(quiet);
    GC_set_abort_func(on_abort);
    GC_set_oom_fn(on_oom);
    signal(SIGXFSZ, SIG_IGN);
}
