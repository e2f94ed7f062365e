/*
** fault.h — what kaohe does when the machine says no: memory runs out, or
** a write hits a full disk or a file-size limit. One place, so every such
** failure ends the same way: a message through diag, no partial output
** file, a non-zero exit. It must not be used for errors in the inputs.
*/
#ifndef KAOHE_FAULT_H
#define KAOHE_FAULT_H

#include <signal.h>

#include "status.h"     /* EXIT_MEMORY: the exit status after memory ran out */

/* Call once, first (before GC_INIT, so a collector that cannot start is
** covered too), or right after it: allocation failures (the collector's and GMP's,
** which goes through it) end in fault_out_of_memory; the collector's own
** warnings stay off stderr; SIGXFSZ is ignored so that writing past a
** file-size limit fails with EFBIG, which the writers report, instead of
** killing the process with a temporary file left behind. */
void fault_init(void);

/* Prints "out of memory", removes every temporary output file still
** registered, exits with EXIT_MEMORY. */
void fault_out_of_memory(void) __attribute__((noreturn));

/* Libraries that print their own errors to stderr (libxlsxwriter:
** "[ERROR][packager.c:1541] …") are hushed while they work: stderr goes to
** /dev/null until fault_unhush(the value returned). A message of
** fault_out_of_memory still reaches the real stderr. */
int fault_hush(void);
void fault_unhush(int saved);

/* Set around calls into a library that does not check its own allocations
** (FAULT_LIB); after fault_guard_library, a crash inside one is reported
** as running out of memory, with the temporary files removed. */
extern volatile sig_atomic_t fault_in_library;
void fault_guard_library(void);
#define FAULT_LIB(call) \
    __extension__({ fault_in_library = 1; __typeof__(call) r_ = (call); fault_in_library = 0; r_; })
#define FAULT_LIB_VOID(call) \
    do { fault_in_library = 1; call; fault_in_library = 0; } while (0)

/* A temporary output file (safe_write.c) that must not outlive an exit
** through fault_out_of_memory. Renaming or removing it needs no call: a
** registered path that no longer exists is skipped. */
void fault_temp_file(const char *path);

#endif
