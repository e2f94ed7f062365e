/*
** program.h — a compiled rubric: what the compiler (lang/compile.c) hands the
** VM. Declarations become numbered definitions with their chunks; citations,
** clause texts and assumptions stay attached as data for reports. The loaded
** unit list and annex tables belong to the program (they ship with the rules);
** facts do not.
*/
#ifndef KAOHE_PROGRAM_H
#define KAOHE_PROGRAM_H

#include "kinds.h"
#include "chunk.h"
#include "data.h"

typedef struct EnumType {
    const char *name;
    int n;
    const char **members;
} EnumType;

typedef struct FactDef {
    const char *name;
    FactType type;
    int enum_id;            /* FT_ENUM */
    int col;                /* schema column (first element for a vector) */
    bool vector;
    int lo, hi;             /* vector index range, inclusive */
    const Attrs *at;
    Loc loc;
} FactDef;

typedef struct ParamDef {
    const char *name;
    Chunk *chunk;
    Value *values;          /* [nperiods], set before evaluation */
    bool by_period;         /* depends on the period */
    Type type;
    const Attrs *at;
    Loc loc;
} ParamDef;

typedef struct LetDef {
    const char *name;
    Chunk *chunk;
    Type type;
    const Attrs *at;
    Loc loc;
} LetDef;

/* A step of an item, for the trace: where its code lies in the item's
** chunk, so that what the traced VM reads there can be told to the step. */
typedef struct StepInfo {
    StepKind kind;
    Loc loc;
    const Attrs *at;
    bool unless;
    int parent;             /* the enclosing 'when' step, or -1 */
    bool in_otherwise;      /* under the parent's 'otherwise' */
    uint32_t code_start, code_end;  /* [start, end) in the item's chunk */
    uint32_t cond_pc;       /* the jump that tests its condition, or NO_PC */
    Loc cond_loc, amount_loc;       /* source of the condition and the amount */
} StepInfo;

#define NO_PC UINT32_MAX

typedef struct ItemDef {
    const char *id;
    const char *title;
    bool has_points;
    Num points;             /* with unit_points, the largest */
    const Num *unit_points; /* [units] `points by 类型 { … }`: each unit's own, or NULL */
    int points_attr;        /* the unit attribute they go by (unit_points), else -1 */
    int section;
    Chunk *chunk;
    StepInfo *steps;
    int nsteps;
    int memo;               /* slot in the cross-unit memo (read by a cohort), or -1 */
    const Attrs *at;
    Loc loc;
} ItemDef;

/* An item's points for one unit: its own under `points by`, else the item's. */
static inline Num item_points(const ItemDef *it, int unit)
{
    return it->unit_points && unit >= 0 ? it->unit_points[unit] : it->points;
}

typedef struct SectionDef {
    const char *title;
    SectionKind kind;
    bool has_total;
    Num total;
    bool has_cap;           /* max N: the section counts for at most cap */
    Num cap;
    int first_item, nitems;
    const Attrs *at;
    Loc loc;
} SectionDef;

/* 一票否决: `veto if 条件 -> 不合格 "…"`. The grade's (or outcome's) own
** chunk tests it first; cond is the condition alone, so explanations can
** say which veto fired. */
typedef struct VetoDef {
    Chunk *cond;
    int member;             /* grades: the band it gives */
    const Attrs *at;
    Loc loc;                /* the `veto` line */
    Loc cond_loc;
} VetoDef;

/* `优秀 >= 90 at most 30% by 综合得分, ties by 完成率, then unit order`:
** among the units whose value reaches the band, at most share × (assessed
** units), rounded by mode, keep it, ranked by keys (higher first, then unit
** order); the others are graded on the bands below. */
typedef struct QuotaDef {
    Chunk *share;
    RoundMode mode;
    Chunk **keys; int nkeys;
    const char **key_names; /* the keys' source text */
    bool unit_order;        /* `then unit order` written */
    Loc loc;
} QuotaDef;

/* results, outcomes (and grades, whose chunk yields a member of enum_id) */
/* One band of a grade, best first: member if key >= (or >) threshold. */
typedef struct GradeBand {
    int member;
    bool strict;            /* > rather than >= */
    Chunk *threshold;       /* NULL for 'otherwise' */
    Loc loc;
    QuotaDef *quota;        /* at most N% of the units, or NULL */
} GradeBand;

typedef struct ValueDef {
    const char *name;
    Chunk *chunk;
    Type type;
    int enum_id;
    const Attrs *at;
    Loc loc;
    /* grades only: what the grade is decided on, and the bands */
    Chunk *key;
    GradeBand *bands;
    int nbands;
    /* grades with a quota: the chunk without quotas (bands and vetoes),
    ** run for every unit before any is graded; chunk then reads the result
    ** of that pass (OP_QUOTA_GRADE) */
    Chunk *raw;
    bool has_quota;
    /* grades and outcomes: 一票否决, tested before anything else */
    VetoDef *vetoes; int nvetoes;
} ValueDef;

/* A list across units in a period: an item's scores (item >= 0) or the
** numbers of value, for the units where cond holds. */
typedef struct CohortDef {
    int item;               /* -1: value lists it */
    Chunk *value;           /* the number listed, run for each unit */
    Chunk *cond;            /* NULL: every unit */
    Loc loc;
    /* read in a result, grade or outcome: a list of values each unit has
    ** after all its periods (综合得分 of units), made once for the whole run
    ** before any unit is graded, in unit_cohort_order */
    bool unit_level;
    /* its where reads the unit that reads the list (本单位.X, SELF): made
    ** afresh for each reader, never kept */
    bool per_reader;
} CohortDef;


typedef struct Program {
    const char *title, *source;
    Num year, total;
    bool has_year, has_total;
    const Attrs *rubric_at;

    Units *units;
    const Attrs *units_at;

    int nperiods;
    const char **periods;
    const char **period_labels;
    int period_enum;
    const Attrs *period_at;

    bool round_items;
    int round_places;
    RoundMode round_mode;
    const Attrs *round_at;

    EnumType *enums; int nenums;
    FactDef *facts; int nfacts;
    FactSchema schema;
    ParamDef *params; int nparams;
    int *param_order;       /* [nparams] a param after every param it reads */
    TableSpec *table_specs; Table **tables; const Attrs **table_at; Loc *table_loc; int ntables;
    LetDef *lets; int nlets;
    ItemDef *items; int nitems;
    SectionDef *sections; int nsections;
    ValueDef *results; int nresults;
    ValueDef *grades; int ngrades;
    ValueDef *outcomes; int noutcomes;
    CohortDef *cohorts; int ncohorts;
    int *unit_cohort_order; int nunit_cohorts;   /* each after every one it reads */
    int nself;              /* slots for 本单位.X: values of the reader, for a where */
    int nmemo;              /* items kept across units (read by cohorts) */

    const char *rules_path; /* directory or file given on the command line */
    PtrVec files;           /* SrcFile * of the rule files, stdlib first */
} Program;

#endif
