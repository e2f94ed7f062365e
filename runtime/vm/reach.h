/*
** reach.h — what a change of one param reaches, found by reading the
** bytecode: the params, lets, cross-unit lists (cohorts) and items whose
** chunks read it, directly or through one another. A what-if sweep scores
** again only what is reached. Reads the program; changes nothing.
*/
#ifndef KAOHE_REACH_H
#define KAOHE_REACH_H

#include <stdint.h>

#include "program.h"

/* One flag per param, let, cohort and item: 1 when reached. */
typedef struct Reach {
    uint8_t *params, *lets, *cohorts, *items;
} Reach;

/* Everything that reads param, until nothing more is marked. An item a
** cohort lists reaches that cohort (its list changes with the item). */
Reach reach_of_param(const Program *p, int param);

#endif
