/*
** kinds.h — the vocabulary the front end and the machine share: the types
** the checker assigns, the kinds of an item's steps and of a section, and
** the citations, clause texts and assumptions kept for reports. lang/ast.h
** builds its tree from these; program.h hands them to the VM and outputs.
*/
#ifndef KAOHE_KINDS_H
#define KAOHE_KINDS_H

#include "diag.h"
#include "vec.h"

/* Types the checker assigns. Enum-like types (fact enums, grades, periods)
** carry the index of their EnumType in the program. */
typedef enum Type {
    T_UNKNOWN, T_NUM, T_BOOL, T_TEXT, T_ENUM, T_LIST, T_MODE
} Type;

/* Citation, clause text and assumptions: data kept for reports. */
typedef struct Attrs {
    const char *cite;
    const char *clause;     /* the rule's own words (a bare string) */
    const char *standard;   /* 考核标准: what the item asks for */
    const char *unit_note;  /* e.g. "万元" on a fact: the clause string */
    const char *limit;      /* items: the notice's words that make the clamp to
                            ** [0, points] intended ("扣完为止", "最高加2分") */
    PtrVec assumes;         /* const char * */
    Loc loc;
} Attrs;

typedef enum StepKind {
    S_ZERO,     /* zero if/unless cond */
    S_DEDUCT,   /* deduct amount [per per] [if/unless cond] */
    S_ADD,      /* add amount [per per] [if/unless cond] */
    S_SCORE,    /* score amount */
    S_SCALE,    /* scale amount */
    S_WHEN,     /* when cond { body } [else when ...] [otherwise { other }] */
    S_LET       /* let name = amount (item-local) */
} StepKind;

typedef enum SectionKind { SEC_NORMAL, SEC_PENALTY, SEC_BONUS } SectionKind;

#endif
