/*
** absint.h — what a formula can be, for every valid set of facts: the
** abstract evaluation `kaohe check` uses to bound item scores, find rules
** that can never fire and grade values no band covers. A number is an exact
** interval (ends may be infinite), a yes/no value says whether it can be
** true and whether it can be false, a choice is the set of members it can
** take. Every answer over-approximates: "can" may be wrong, "never" is not.
** It reads the syntax tree and the program's tables; it runs no bytecode.
*/
#ifndef KAOHE_ABSINT_H
#define KAOHE_ABSINT_H

#include "compiler.h"

typedef struct AV {
    Type t;                  /* T_UNKNOWN: could be anything */
    /* T_NUM, and the elements of a T_LIST */
    bool lo_inf, hi_inf;
    Num lo, hi;
    /* T_BOOL */
    bool can_t, can_f;
    /* T_ENUM: bit m set when member m is possible */
    uint64_t members;
    int enum_id;
    /* T_TEXT: the text when it is known; enum_id is the unit attribute it
    ** comes from, or -1 */
    const char *text;
    /* T_LIST: at most this many elements; lists and their sum and count
    ** carry the list they come from, so sum(l) / count(l) is the elements'
    ** range (the mean), not an unbounded quotient */
    int max_len;
    const void *origin;
    int agg;                 /* 1: sum of origin, 2: count of origin */
    bool poisoned;           /* reads a name that did not resolve: say nothing */
} AV;

/* An enumeration variable: a yes/no fact in one period, a choice fact in
** one period, or a column of units.csv. Items are analysed once for every
** combination of the values their conditions test, so two conditions on
** the same fact are never both assumed. */
typedef enum VarKind { VAR_BOOL, VAR_ENUM, VAR_ATTR } VarKind;
typedef struct Var {
    VarKind kind;
    int index;               /* fact or attribute */
    int period;              /* facts: the period read (-1 for attributes) */
    int nvalues;             /* 2 for yes/no, members, distinct attribute texts */
    const char **texts;      /* VAR_ATTR: the attribute's values */
    int value;               /* in the current combination; -1: not fixed */
} Var;

typedef struct Local {
    const char *name;
    AV v;
    bool used;
    Loc loc;
    struct Local *next;
} Local;

typedef struct Absint {
    Compiler *c;
    Program *p;
    Var *vars;
    int nvars, cvars;
    bool collecting;         /* gathering vars instead of evaluating */
    AV **params;             /* [param][period], computed on first use */
    uint8_t *param_state;    /* [param * nperiods + period]: 0 todo, 1 busy, 2 done */
    uint8_t *let_busy;
    int depth;
} Absint;

typedef struct AEnv {
    int period;              /* -1: a result, grade or outcome (no one period) */
    Local *scope;
} AEnv;

void ai_init(Absint *a, Compiler *c);
AV ai_eval(Absint *a, AEnv *env, Expr *e);
/* The scope of env where cond is known to come out `truth`: the names it
** compares with a number shadowed by their cut ranges (x > 4 false: x is at
** most 4). Nothing is cut while collecting. */
Local *ai_refine(Absint *a, AEnv *env, Expr *cond, bool truth);
/* The range a period's score can take (sums of item ranges). */
AV ai_period_score(Absint *a);
/* An item's final score range: [0, points], or [0, ∞) without points. */
AV ai_item_range(const ItemDef *it);

AV av_num(Num lo, Num hi);
AV av_unknown(void);
AV av_hull(AV a, AV b);
bool av_point(AV v, Num *out);       /* a single known number */
/* "at least 0", "between 0 and 1", "any number" */
const char *av_describe(AV v);

/* Variables of an item: collects (without evaluating) the yes/no and
** choice facts and unit attributes its conditions read. */
void ai_collect(Absint *a, AEnv *env, Expr *e);
/* Interval operations the checker needs too. */
AV av_sub(AV a, AV b);
AV av_add(AV a, AV b);
AV av_mul(AV a, AV b);

#endif
