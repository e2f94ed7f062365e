/*
** checker.h — what the parts of `kaohe check` share (check.c: points,
** weights, unused names, aliases and the command; check_items.c: each
** item's reach and its steps that never apply; check_bands.c: grade bands).
** Internal to lang/.
*/
#ifndef KAOHE_CHECKER_H
#define KAOHE_CHECKER_H

#include <string.h>

#include "absint.h"

/* Items are analysed once per combination of the yes/no facts, choices and
** unit attributes their conditions test; past this many combinations the
** rest are left open (the answer is then coarser, never wrong). */
#define MAX_COMBINATIONS 4096

typedef struct Checker {
    Build *b;
    Compiler *c;
    Program *p;
    Absint ai;
} Checker;

static inline const char *fmt_num(Num n) { return num_to_string(n); }

static inline bool from_stdlib(const Decl *d)
{
    return d->file && strcmp(d->file->path, "<stdlib>") == 0;
}

/* check_items.c: item `index`'s reach against its points, and its steps
** that can never apply or never change the score. */
void analyse_item(Checker *k, int index);
/* check_bands.c: the bands of one grade: gaps, overlaps, bands never
** reached, on the grid of the graded value's decimal places. */
void check_grade(Checker *k, Decl *g);

#endif
