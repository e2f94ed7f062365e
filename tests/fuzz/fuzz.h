/*
** fuzz.h — the fuzz harnesses, one per stage of kaohe, and what they share.
** Each harness is a function over bytes that returns 0 and aborts when an
** invariant breaks (a crash, a wrong message, two paths that disagree).
** libfuzzer.c makes one of them a libFuzzer target (`make fuzz`); the
** `fuzz` Check suite (tests/unit/fuzz.c) replays the kept corpora through
** all of them in `make test`. They must not print, exit or leave files.
*/
#ifndef KAOHE_FUZZ_H
#define KAOHE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int fuzz_parse(const uint8_t *data, size_t size);        /* lexer + parser */
int fuzz_compile(const uint8_t *data, size_t size);      /* resolve, compile, disassemble */
int fuzz_csv(const uint8_t *data, size_t size);          /* the CSV reader */
int fuzz_eval(const uint8_t *data, size_t size);         /* facts against the 2021 rubric */
int fuzz_rules_facts(const uint8_t *data, size_t size);  /* rules, facts and units together */
int fuzz_commands(const uint8_t *data, size_t size);     /* check, run, test, whatif, fmt on a folder */
/* What check printed in the last fuzz_commands run (tests). */
const char *fuzz_last_check(void);
int fuzz_xlsx(const uint8_t *data, size_t size);         /* a workbook, or a sheet's XML */

/* Once per process: the collector, GMP, the fault handler, and a scratch
** folder holding the data files the fuzzed rules may name. Idempotent. */
void fuzz_setup(void);
const char *fuzz_dir(void);
/* path in the scratch folder (a static buffer per call site's use). */
const char *fuzz_path(const char *name);
void fuzz_write(const char *name, const void *data, size_t len);

/* The input of this run: words a message must never contain (bison's
** token names, C library wording) are allowed when the input holds them,
** as a message may quote it. Each harness calls it first. */
void fuzz_input(const void *data, size_t size);

/* Diagnostics printed between these two are kept in memory; fuzz_end
** returns them (valid until the next fuzz_begin). */
void fuzz_begin(void);
const char *fuzz_end(void);

/* What every message printed must look like: each line a header
** ("file…: error: …"), a source excerpt, a hint or a quoted cell; valid
** UTF-8; no bison or C library wording; and at least one error when the
** stage failed (failed) or none when it succeeded (!failed). */
void fuzz_check_messages(const char *text, bool failed);
/* The same without the count of errors (a command that may or may not
** print one, as a rule test that fails). */
void fuzz_check_lines(const char *text);

/* Checks the bytecode of a chunk: every opcode known, operands in range,
** jumps inside the chunk, and the stack depth the same on every path into
** an instruction, never below zero, never above the chunk's max_stack. */
struct Chunk;
void fuzz_check_chunk(const struct Chunk *ch);

/* Loads a fact file for a compiled rubric and scores it with every check
** of fuzz_eval (eval.c); shared with rules_facts.c. */
struct Program;
void fuzz_score(const struct Program *p, const char *facts_path);

/* mutate.c: one structural change of a rule file or an encoded rubric
** folder in place (duplicate, drop, swap, move a declaration; swap names;
** renumber; an edge number), or bytes(data, size, max) — libFuzzer's own
** mutations — when none applies or one call in eight. The new size. */
size_t fuzz_mutate_rules(uint8_t *data, size_t size, size_t max, unsigned seed,
                         size_t (*bytes)(uint8_t *, size_t, size_t));

void fuzz_fail(const char *what, const char *file, int line) __attribute__((noreturn));
#define FUZZ_ASSERT(cond) \
    do { if (!(cond)) fuzz_fail(#cond, __FILE__, __LINE__); } while (0)

#endif
