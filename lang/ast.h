/*
** ast.h — the syntax tree the parser builds and the resolver annotates.
** Nodes live in the GC heap and are never freed by hand. The parser fills
** the syntactic fields; resolve.c fills the `r*` fields and types; the
** compiler reads both and must not change the tree.
*/
#ifndef KAOHE_AST_H
#define KAOHE_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "kinds.h"
#include "num.h"
#include "vec.h"

/* Expressions nested deeper than this are refused at parse time, so every
** recursive walk over the tree (resolve, type check, compile) stays far from
** the C stack limit. 1000 is far beyond any rubric formula. */
#define MAX_EXPR_DEPTH 1000

typedef enum ExprKind {
    E_NUM,       /* num */
    E_BOOL,      /* boolean */
    E_NAME,      /* name */
    E_MEMBER,    /* a.name: table column, period fact, unit attribute */
    E_INDEX,     /* a[b]: element of a fact vector */
    E_CALL,      /* name(args) */
    E_GEN,       /* a for name in b..c — only as a call argument */
    E_NEG,       /* -a */
    E_NOT,       /* not a */
    E_BINARY,    /* a op b; op is a BinOp */
    E_IS,        /* a is name */
    E_IF,        /* if a then b else c */
    E_BY,        /* by name { keys[i]: args[i] } — name "period" for periods */
    E_COHORT,    /* item name of units [where a]; b of units [where a] (name NULL) */
    E_RANK,      /* name(a among units [where b], args: order words as E_NAME w with w->a) */
    E_TIERS      /* tiers a { bound_ops[i] bounds[i]: args[i] } — bound NULL: otherwise */
} ExprKind;

typedef enum BinOp {
    OP_B_ADD, OP_B_SUB, OP_B_MUL, OP_B_DIV,
    OP_B_EQ, OP_B_NE, OP_B_LT, OP_B_LE, OP_B_GT, OP_B_GE,
    OP_B_AND, OP_B_OR
} BinOp;

/* What a name turned out to mean (resolve.c). */
typedef enum RefKind {
    REF_NONE,
    REF_LOCAL,       /* ri = slot */
    REF_FACT,        /* ri = fact index */
    REF_FACT_AT,     /* ri = fact, rj = period */
    REF_FACT_ELEM,   /* ri = fact (vector); index is operand a */
    REF_PARAM,       /* ri = param */
    REF_LET,         /* ri = let */
    REF_LET_AT,      /* ri = let, rj = period */
    REF_TABLE,       /* ri = table, rj = column */
    REF_UNIT_ATTR,   /* ri = attribute */
    REF_PERIOD,      /* ri = period: that period's score */
    REF_RESULT,      /* ri = result */
    REF_GRADE,       /* ri = grade */
    REF_OUTCOME,     /* ri = outcome */
    REF_ENUM_MEMBER, /* ri = enum type, rj = member */
    REF_MODE,        /* ri = RoundMode */
    REF_BUILTIN      /* ri = Builtin */
} RefKind;

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    Loc loc;
    int depth;
    BinOp op;
    Num num;
    bool boolean;
    const char *name;      /* NAME/MEMBER/CALL/IS/BY/COHORT/GEN variable */
    Loc name_loc;
    Expr *a, *b, *c;
    PtrVec args;           /* CALL arguments; BY values */
    PtrVec keys;           /* BY keys (const char *) */
    PtrVec key_locs;       /* BY key locations (Loc *) */
    PtrVec bounds;         /* TIERS lower bounds (Expr *, NULL for otherwise) */
    PtrVec bound_ops;      /* TIERS comparisons (BinOp as intptr_t: GE or GT) */
    /* filled by resolve.c */
    RefKind ref;
    int ri, rj;
    Type type;
    int enum_id;           /* for T_ENUM */
    /* a value a what-if scenario put in place of the rubric's: the type of
    ** what it replaced, and the name of that (for the message) */
    Type want_type;
    const char *want_of;
};

typedef struct Step Step;
struct Step {
    StepKind kind;
    Loc loc;
    Expr *amount, *per, *cond;
    bool unless;
    const char *name;       /* S_LET */
    PtrVec body;            /* S_WHEN: Step * */
    PtrVec other;           /* S_WHEN: Step * (an else-when is one S_WHEN here) */
    bool has_other;
    Attrs at;
    int id;                 /* numbered by the compiler: trace step index */
    int slot;               /* S_LET: local slot */
};

typedef struct ItemDecl {
    const char *id;         /* "1", "问效", "加分1" */
    Loc id_loc;
    const char *title;
    Expr *points;           /* NULL: no upper bound; with points_by, the largest */
    /* `points by 类型 { 乡镇: 10, 街道: 6 }`: the points by a unit attribute */
    const char *points_by;
    Loc points_by_loc;
    PtrVec points_keys;     /* const char * */
    PtrVec points_key_locs; /* Loc * */
    PtrVec points_vals;     /* Expr * (numbers) */
    Expr *from;             /* NULL: starts at points */
    PtrVec steps;
    Attrs at;
    Loc loc;
    int section;
} ItemDecl;

typedef enum DeclKind {
    D_RUBRIC, D_UNITS, D_PERIOD, D_ROUND_ITEMS, D_PARAM, D_TABLE, D_FACT,
    D_LET, D_DEF, D_SECTION, D_RESULT, D_GRADE, D_OUTCOME, D_TEST,
    /* what-if (lang/scenario.c): a scenario file holds one D_SCENARIO; the
    ** other three occur only in its body */
    D_SCENARIO,     /* scenario "名称" { body } */
    D_SET,          /* set name[.key] = value */
    D_ROW,          /* table name row key { names[i]: exprs[i] } */
    D_TABLE_FILE    /* table name from "text" */
} DeclKind;

/* Rule tests (`kaohe test`): `test "名称" { given … expect … }`. Values keep
** the text as written, read like a cell of the fact file. */
enum { TV_NUMBER, TV_NAME, TV_BOOL, TV_TEXT };
typedef struct TestValue {
    int kind;
    const char *text;       /* as a fact cell: "95", "95%", "是", "主任" */
    Num num;                /* TV_NUMBER (a percent literal already divided) */
    Loc loc;
} TestValue;

typedef struct TestFact {
    const char *name;
    Loc loc;
    bool has_index;         /* 评价数[3]: one element of a fact vector */
    Num index;
    TestValue *value;
} TestFact;

typedef struct TestGiven {
    const char *unit, *period;     /* NULL when not named */
    Loc unit_loc, period_loc, loc;
    bool has_facts;
    PtrVec facts;                  /* TestFact * */
} TestGiven;

typedef struct TestExpect {
    const char *item;       /* the item id, or NULL for a named value */
    const char *name;       /* the item id, or a period, result, grade, outcome */
    const char *period;     /* `expect item 3 in 全年 = 4`, or NULL: the test's period */
    Loc target_loc, period_loc, loc;
    TestValue *value;
} TestExpect;

typedef struct TestDecl {
    bool is_defaults;       /* `test defaults { … }` */
    PtrVec givens;          /* TestGiven * */
    PtrVec expects;         /* TestExpect * */
} TestDecl;

/* `veto if 条件 -> 不合格 "…"` on a grade, `veto if 条件 -> 0 "…"` on an
** outcome (一票否决): when the condition holds, the grade is that band or
** the outcome that value, whatever the score (compile_grades.c). */
typedef struct VetoDecl {
    Expr *cond;
    Expr *value;            /* outcomes: the value it gives */
    const char *member;     /* grades: the band it gives */
    Loc member_loc, loc;
    Attrs at;
} VetoDecl;

/* `优秀 >= 90 at most 30% by 综合得分, ties by 完成率, then unit order`:
** at most that share of the assessed units in the band, best first. */
typedef struct QuotaDecl {
    Expr *share;            /* 30%: of the assessed units */
    const char *mode;       /* rounding of share × units ("down" unless written) */
    Loc mode_loc;
    PtrVec keys;            /* Expr *: by, then each tie, higher first */
    bool unit_order;        /* `then unit order` written */
    Loc loc;
} QuotaDecl;

typedef struct Decl Decl;
struct Decl {
    DeclKind kind;
    Loc loc;
    const char *name;       /* PARAM/TABLE/LET/DEF/RESULT/GRADE/OUTCOME; RUBRIC title; SECTION title */
    Loc name_loc;
    Expr *value;            /* PARAM/LET/DEF/RESULT/OUTCOME; RUBRIC year; SECTION total; ROUND places */
    Expr *aux;              /* RUBRIC total */
    const char *text;       /* UNITS/TABLE file; RUBRIC source; ROUND mode; TABLE total row; FACT column template */
    Loc text_loc;
    const char *sheet;      /* TABLE, TABLE_FILE: `sheet "附件3"` of a workbook, or NULL */
    Loc sheet_loc;
    const char *key;        /* TABLE key column; GRADE "of" name; SET key; ROW unit */
    Loc key_loc;
    bool optional;          /* TABLE */
    PtrVec names;           /* FACT names; PERIOD names; DEF params; TABLE except; GRADE band names; ROW columns */
    PtrVec name_locs;       /* Loc * for each of names */
    PtrVec labels;          /* PERIOD labels (const char * or NULL) */
    PtrVec exprs;           /* GRADE thresholds (Expr *, NULL = otherwise); a range
                            ** band `良好 80..89` is an E_BINARY with a = 80, b = 89; ROW values */
    PtrVec ops;             /* GRADE comparison (intptr_t BinOp): GE, GT, or LE for a range */
    PtrVec quotas;          /* GRADE: QuotaDecl * or NULL per band */
    PtrVec vetoes;          /* GRADE, OUTCOME: VetoDecl * */
    const char *type_name;  /* FACT type */
    Loc type_loc;
    PtrVec members;         /* FACT "one of" members */
    Expr *lo, *hi;          /* FACT vector index range */
    SectionKind section_kind;
    Expr *cap;              /* SECTION `max N`: the most its items count for (NULL: no cap) */
    PtrVec items;           /* SECTION: ItemDecl * (in a scenario, name NULL: items that replace the rubric's) */
    PtrVec body;            /* SCENARIO: Decl * */
    TestDecl *test;         /* TEST */
    Attrs at;
    const SrcFile *file;
};

typedef struct Ast {
    PtrVec decls;           /* Decl *, in file order over all files */
    PtrVec files;           /* SrcFile * */
} Ast;

Expr *expr_new(ExprKind kind, Loc loc);
Step *step_new(StepKind kind, Loc loc);
Decl *decl_new(DeclKind kind, Loc loc);
ItemDecl *item_new(Loc loc);
/* Joins the start of a with the end of b. */
Loc loc_span(Loc a, Loc b);
Loc *loc_box(Loc l);

/* Parses one file into ast (appending). false after printing diagnostics. */
bool parse_file(Ast *ast, const SrcFile *file);
/* Reads path into a SrcFile (NUL-terminated copy), or NULL with a diagnostic. */
SrcFile *src_load(const char *path);
SrcFile *src_from_string(const char *name, const char *text);

#endif
