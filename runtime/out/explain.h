/*
** explain.h — a unit's derivation, ready to show: built once from the
** traced VM's nodes (trace.h), then written as terminal text or JSON
** (explain.c) or as the report's HTML (report.c). Building never
** evaluates; writing never decides what a value means.
*/
#ifndef KAOHE_EXPLAIN_H
#define KAOHE_EXPLAIN_H

#include <stdio.h>

#include "trace.h"
#include "vm.h"

typedef struct ExplNode ExplNode;

/* One value a step or a value read, and where it came from. */
typedef struct ExplRead {
    ReadKind kind;
    const char *name;       /* 专窗人员数, 人员标准, 民生任务.新增城镇就业, 过程 ... */
    const char *value;      /* as shown: 2, 是, 0.3, 85.50 */
    const char *exact;      /* numbers: the exact value ("1/3" stays a fraction); else = value */
    /* where it came from: a cell of the fact file or of a table, or a rule */
    const char *file;       /* facts.csv, annex3.csv, rubric.kh */
    long row;               /* spreadsheet row (facts, tables), or rule line */
    const char *column;     /* facts, tables */
    const char *cell;       /* the cell as written (facts) */
    const char *where;      /* a workbook's cell as Excel names it ("facts.xlsx
                               考核数据!K10"), or NULL for a CSV file */
    const char *letter;     /* a CSV cell's column as Excel shows the file: "D" */
    const ExplNode *derived;/* lets, results: their own derivation */
    /* cohort lists: the units averaged over and their values (a rank's:
    ** best first, and `how` says how the places were counted) */
    int n;
    const char **units, **values;
    const char *how;
} ExplRead;

typedef enum ExplStatus {
    ST_APPLIED,             /* ran and moved the score (or set it) */
    ST_NOT_MET,             /* its condition did not hold */
    ST_NOT_REACHED,         /* an earlier step ended the item, or another branch ran */
    ST_BRANCH_TRUE,         /* 'when': its condition held */
    ST_BRANCH_FALSE         /* 'when': it did not; 'otherwise' ran */
} ExplStatus;

typedef struct ExplStep {
    const StepInfo *info;
    int depth;              /* nesting under 'when' */
    const char *rule;       /* the step's whole rule, as written (its lines joined) */
    const char *cond, *amount;   /* source text, NULL where none */
    const char *clause, *cite;
    const PtrVec *assumes;
    ExplStatus status;
    Num before, amount_value, after, delta;   /* ST_APPLIED */
    ExplRead *reads; int nreads;
} ExplStep;

/* An item in one period, or a let / result / grade / outcome. */
struct ExplNode {
    const TraceNode *trace;
    const char *name;       /* 第2项 专窗人员队伍配备, 综合得分 */
    const char *rule;       /* values: the defining source line */
    const char *cite, *clause, *standard;
    const PtrVec *assumes;
    const char *value;      /* as shown */
    const char *exact;
    /* items */
    const ItemDef *item;
    Num start, raw, score;
    const char *clamp;      /* "原始 −3，保底为 0" or NULL */
    ExplStep *steps; int nsteps;
    ExplRead *reads; int nreads;   /* reads outside any step (items), or all (values) */
};

typedef struct ExplLoss {
    int item;
    Num total;              /* points lost over all periods */
    Num *by_period;         /* [nperiods] */
} ExplLoss;

/* A veto that fired (一票否决), for a grade or an outcome (explain_grade.c). */
typedef struct ExplVeto {
    bool grade;             /* a grade's veto, else an outcome's */
    int index;              /* the grade or outcome */
    const VetoDef *def;
    const char *name;       /* 等次, 奖励资金 */
    const char *value;      /* 不合格, 0 */
    const char *cond;       /* the condition as written */
    const char *clause, *cite;
} ExplVeto;

typedef struct ExplUnit {
    int unit;
    const UnitScores *scores;
    ExplNode **items;       /* [period * nitems + item] */
    ExplNode **results, **grades, **outcomes;
    /* distance to the next band of the first grade */
    bool has_band;
    bool top;               /* already in the best band */
    int next_member;        /* the better band's member */
    const char *key_name;   /* 综合得分 */
    Num key, threshold, gap;
    bool strict;
    ExplLoss *losses; int nlosses;   /* items by points lost, most first */
    /* 一票否决 and grade quotas (explain_grade.c) */
    ExplVeto *vetoes; int nvetoes;
    bool vetoed;            /* the first grade was decided by a veto: no distance to a band */
    bool has_quota;         /* the first grade's quota ranked the unit */
    QuotaInfo quota;
    const char *quota_band; /* 优秀 */
    const char *quota_share;/* 30% */
    const char *quota_by;   /* 综合得分、年度.完成率、单位顺序 */
    const char *quota_text; /* 第4名，超出30%名额（3个），定为良好 */
} ExplUnit;

/* explain_grade.c: the vetoes that fired and the first grade's quota, found
** before the distance to the next band (which neither has). */
void explain_grade_facts(Eval *ev, const Program *p, ExplUnit *u);
void explain_grade_text(FILE *out, const Program *p, const ExplUnit *u);
void explain_grade_json(FILE *out, const Program *p, const ExplUnit *u);

/* Traces unit `unit` (after the plain run has scored every unit, so cohort
** values are known) and builds its explanation. NULL after a runtime error. */
ExplUnit *explain_unit(Eval *ev, const Program *p, const FactData *f, int unit);

/* Which part to show: period -1 = all, item NULL = all. */
typedef struct ExplFilter {
    int period;
    const char *item;
} ExplFilter;

void explain_text(FILE *out, const Program *p, const ExplUnit *u, ExplFilter flt);
/* One JSON object; units are written by the caller as an array. */
void explain_json(FILE *out, const Program *p, const ExplUnit *u, ExplFilter flt);

/* Display helpers shared with the report. */
const char *expl_num(Num x);            /* exact when short, else ≈ four places */
const char *expl_status_text(const ExplStep *s);
const char *expl_read_source(const ExplRead *r);   /* "facts.csv 第12行 专窗人员数 “2”" */
const char *expl_loc(Loc loc);          /* "rules/xinjian-2021/rubric.kh:22" */

#endif
