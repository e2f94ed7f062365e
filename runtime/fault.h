/*
** fault.h — what kaohe does when the machine says no: memory runs out, or
** a write hits a full disk or a file-size limit. One place, so every such
** failure ends the same way: a message through diag, no partial output
** file, a non-zero exit. It must not be used for errors in the inputs.
*/
#ifndef KAOHE_FAULT_H
#define KAOHE_FAULT_H

/* Exit status after memory ran out (README, "Exit status"). */
#define EXIT_MEMORY 7

/* Call once after GC_INIT: allocation failures (the collector's and GMP's,
** which goes through it) end in fault_out_of_memory; the collector's own
** warnings stay off stderr; SIGXFSZ is ignored so that writing past a
** file-size limit fails with EFBIG, which the writers report, instead of
** killing the process with a temporary file left behind. */
void fault_init(void);

/* Prints "out of memory", removes every temporary output file still
** registered, exits with EXIT_MEMORY. */
void fault_out_of_memory(void) __attribute__((noreturn));

/* A temporary output file (temp_beside) that must not outlive an exit
** through fault_out_of_memory. Renaming or removing it needs no call: a
** registered path that no longer exists is skipped. */
void fault_temp_file(const char *path);

#endif
