/*
** parser.y — the grammar of the rule language. Builds the AST (ast.h) and
** nothing else: names are resolved and types checked in resolve.c. Syntax
** errors say what was expected in words ("expected a number, found 'deduct'"),
** never bison's token names, and a missing '}' names the '{' it should close.
** The grammar is newline-free: every statement starts with a keyword and a
** clause text is the string written after it. The actions build with the
** helpers of parse_build.c.
*/
%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%define api.location.type {KLoc}
%expect 0
%param {void *scanner}
%parse-param {ParseState *ps}

%code requires {
#include "parse_build.h"
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
}

%code {
#include <gc.h>
#include <stdlib.h>
#include <string.h>
#include "lexstate.h"
#include "lexer.h"
#include "synerr.h"

/* Bison's stack moves to YYMALLOC memory past its initial size; the GC must
** see the AST pointers held there, so it is uncollectable-but-scanned. */
#define YYMALLOC GC_MALLOC_UNCOLLECTABLE
#define YYFREE GC_FREE
/* Nesting beyond this is refused with a message (not a crash): each level
** of parentheses takes a few stack entries, so this is ~2500 levels, and the
** AST depth check (MAX_EXPR_DEPTH) catches what stays shallow here. */
#define YYMAXDEPTH 10000

static void yyerror(YYLTYPE *loc, void *scanner, ParseState *ps, const char *msg);
}

%union {
    Num num;
    const char *str;
    Expr *expr;
    Step *step;
    ItemDecl *item;
    Decl *decl;
    PtrVec *vec;
    AttrSet *attrs;
    TestDecl *test;
    TestGiven *given;
    TestValue *tvalue;
    void *ptr;
}

%token <str> IDENT "a name"
%token <num> NUMBER "a number"
%token <str> STRING "text in quotes"
%token RUBRIC "'rubric'" SOURCE "'source'" TOTAL "'total'" UNITS "'units'"
       FROM "'from'" PERIOD "'period'" LABEL "'label'" ROUND "'round'"
       ITEMS "'items'" TO "'to'" PARAM "'param'" BY "'by'" TABLE "'table'"
       KEY "'key'" OPTIONAL "'optional'" EXCEPT "'except'" FACT "'fact'"
       ONE "'one'" OF "'of'" COLUMN "'column'" LET "'let'" DEF "'def'"
       SECTION "'section'" PENALTY "'penalty'" BONUS "'bonus'" ITEM "'item'"
       CITE "'cite'" ASSUME "'assume'" STANDARD "'standard'" ZERO "'zero'"
       IF "'if'" UNLESS "'unless'" DEDUCT "'deduct'" ADD "'add'" PER "'per'"
       SCORE "'score'" SCALE "'scale'" WHEN "'when'" ELSE "'else'"
       OTHERWISE "'otherwise'" THEN "'then'" RESULT "'result'" GRADE "'grade'"
       OUTCOME "'outcome'" AND "'and'" OR "'or'" NOT "'not'" IS "'is'"
       WHERE "'where'" FOR "'for'" IN "'in'" TRUE "'true'" FALSE "'false'"
       TEST "'test'" GIVEN "'given'" EXPECT "'expect'" LIMIT "'limit'"
       SCENARIO "'scenario'" SET "'set'" ROW "'row'" TIERS "'tiers'"
       VETO "'veto'" AT "'at'"
       DOTDOT "'..'" ARROW "'->'" LE "'<='" GE "'>='" NE "'!='"

%type <expr> expr primary arg rank_where
%type <vec> args arg_list name_list param_list steps items by_cases bands members periods tier_cases tier_case
%type <vec> vetoes rank_order
%type <ptr> veto quota quota_ties
%type <step> step when_tail
%type <item> item
%type <str> row_key table_sheet
%type <attrs> attrs
%type <str> item_id
%type <test> test_body
%type <given> givens
%type <vec> fact_entries fact_values
%type <tvalue> test_value

%precedence ELSE WHERE
%left OR
%left AND
%precedence NOT
%nonassoc '=' NE '<' LE '>' GE IS
%left '+' '-'
%left '*' '/'
%precedence UMINUS


%%

file
    : %empty
    | file decl
    ;

decl
    : RUBRIC STRING attrs
        { Decl *d = mk_decl(ps, D_RUBRIC, @$, $3); d->name = $2;
          attrs_only(ps, $3, ATTRS_DOC | BIT(A_SOURCE) | BIT(A_TOTAL), "a rubric");
          d->text = $3->source; d->aux = $3->total_num; add_decl(ps, d); }
    | RUBRIC STRING NUMBER attrs
        { Decl *d = mk_decl(ps, D_RUBRIC, @$, $4); d->name = $2;
          d->value = expr_new(E_NUM, L(ps, @3)); d->value->num = $3;
          attrs_only(ps, $4, ATTRS_DOC | BIT(A_SOURCE) | BIT(A_TOTAL), "a rubric");
          d->text = $4->source; d->aux = $4->total_num; add_decl(ps, d); }
    | UNITS FROM STRING attrs
        { Decl *d = mk_decl(ps, D_UNITS, @$, $4); d->text = $3; d->text_loc = L(ps, @3);
          attrs_only(ps, $4, ATTRS_DOC, "a unit list"); add_decl(ps, d); }
    | PERIOD periods attrs
        { Decl *d = mk_decl(ps, D_PERIOD, @$, $3);
          for (int i = 0; i < $2->n; i += 3) {
              vec_push(&d->names, $2->items[i]);
              vec_push(&d->name_locs, $2->items[i + 1]);
              vec_push(&d->labels, $2->items[i + 2]);
          }
          attrs_only(ps, $3, ATTRS_DOC, "a period list"); add_decl(ps, d); }
    | ROUND ITEMS TO NUMBER IDENT attrs
        { Decl *d = mk_decl(ps, D_ROUND_ITEMS, @$, $6);
          d->value = expr_new(E_NUM, L(ps, @4)); d->value->num = $4;
          d->text = $5; d->text_loc = L(ps, @5);
          attrs_only(ps, $6, ATTRS_DOC, "a rounding rule"); add_decl(ps, d); }
    | PARAM IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_PARAM, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; attrs_only(ps, $5, ATTRS_DOC, "a param"); add_decl(ps, d); }
    | TABLE IDENT FROM STRING table_sheet KEY IDENT attrs
        { Decl *d = mk_decl(ps, D_TABLE, @$, $8); d->name = $2; d->name_loc = L(ps, @2);
          d->text = $4; d->text_loc = L(ps, @4); d->key = $7; d->key_loc = L(ps, @7);
          d->sheet = $5; d->sheet_loc = L(ps, @5);
          attrs_only(ps, $8, ATTRS_DOC | BIT(A_TOTAL) | BIT(A_OPTIONAL), "a table");
          d->optional = $8->optional; d->aux = NULL;
          if ($8->total_num) {
              diag_at(DIAG_ERROR, $8->total_num->loc, "write the label of the totals row in quotes, e.g. total \"合计\"",
                      "a table's total is the name of its totals row, not a number");
              ps->failed = true;
          }
          d->labels.n = 0;
          if ($8->total_row) vec_push(&d->labels, (void *)$8->total_row);
          d->names = $8->except; d->name_locs = $8->except_locs;
          add_decl(ps, d); }
    | FACT name_list ':' IDENT attrs
        { Decl *d = mk_decl(ps, D_FACT, @$, $5);
          for (int i = 0; i < $2->n; i += 2) {
              vec_push(&d->names, $2->items[i]); vec_push(&d->name_locs, $2->items[i + 1]);
          }
          d->type_name = $4; d->type_loc = L(ps, @4);
          attrs_only(ps, $5, ATTRS_DOC, "a fact"); add_decl(ps, d); }
    | FACT name_list ':' ONE OF members attrs
        { Decl *d = mk_decl(ps, D_FACT, @$, $7);
          for (int i = 0; i < $2->n; i += 2) {
              vec_push(&d->names, $2->items[i]); vec_push(&d->name_locs, $2->items[i + 1]);
          }
          d->type_name = "one of"; d->type_loc = L(ps, @4); d->members = *$6;
          attrs_only(ps, $7, ATTRS_DOC, "a fact"); add_decl(ps, d); }
    | FACT IDENT '[' expr DOTDOT expr ']' ':' IDENT COLUMN STRING attrs
        { Decl *d = mk_decl(ps, D_FACT, @$, $12);
          vec_push(&d->names, (void *)$2); vec_push(&d->name_locs, loc_box(L(ps, @2)));
          d->lo = $4; d->hi = $6; d->type_name = $9; d->type_loc = L(ps, @9);
          d->text = $11; d->text_loc = L(ps, @11);
          attrs_only(ps, $12, ATTRS_DOC, "a fact"); add_decl(ps, d); }
    | LET IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_LET, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; attrs_only(ps, $5, ATTRS_DOC, "a let"); add_decl(ps, d); }
    | DEF IDENT '(' param_list ')' '=' expr attrs
        { Decl *d = mk_decl(ps, D_DEF, @$, $8); d->name = $2; d->name_loc = L(ps, @2);
          for (int i = 0; i < $4->n; i += 2) {
              vec_push(&d->names, $4->items[i]); vec_push(&d->name_locs, $4->items[i + 1]);
          }
          d->value = $7; attrs_only(ps, $8, ATTRS_DOC, "a def"); add_decl(ps, d); }
    | SECTION STRING NUMBER attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $4); d->name = $2; d->name_loc = L(ps, @2);
          d->value = expr_new(E_NUM, L(ps, @3)); d->value->num = $3;
          d->section_kind = SEC_NORMAL; d->items = *$6;
          attrs_only(ps, $4, ATTRS_DOC, "a section"); add_decl(ps, d); }
    | SECTION STRING IDENT NUMBER attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          section_max_word(ps, $3, @3);
          d->value = expr_new(E_NUM, L(ps, @4)); d->value->num = $4; d->cap = d->value; d->items = *$7;
          attrs_only(ps, $5, ATTRS_DOC, "a section"); add_decl(ps, d); }
    | PENALTY STRING IDENT NUMBER attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          section_max_word(ps, $3, @3);
          d->cap = expr_new(E_NUM, L(ps, @4)); d->cap->num = $4;
          d->section_kind = SEC_PENALTY; d->items = *$7;
          attrs_only(ps, $5, ATTRS_DOC, "a penalty section"); add_decl(ps, d); }
    | BONUS STRING IDENT NUMBER attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          section_max_word(ps, $3, @3);
          d->cap = expr_new(E_NUM, L(ps, @4)); d->cap->num = $4;
          d->section_kind = SEC_BONUS; d->items = *$7;
          attrs_only(ps, $5, ATTRS_DOC, "a bonus section"); add_decl(ps, d); }
    | PENALTY STRING attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $3); d->name = $2; d->name_loc = L(ps, @2);
          d->section_kind = SEC_PENALTY; d->items = *$5;
          attrs_only(ps, $3, ATTRS_DOC, "a penalty section"); add_decl(ps, d); }
    | BONUS STRING attrs '{' items '}'
        { Decl *d = mk_decl(ps, D_SECTION, @$, $3); d->name = $2; d->name_loc = L(ps, @2);
          d->section_kind = SEC_BONUS; d->items = *$5;
          attrs_only(ps, $3, ATTRS_DOC, "a bonus section"); add_decl(ps, d); }
    | RESULT IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_RESULT, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; attrs_only(ps, $5, ATTRS_DOC, "a result"); add_decl(ps, d); }
    | GRADE IDENT OF IDENT attrs '{' bands '}'
        { Decl *d = mk_decl(ps, D_GRADE, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->key = $4; d->key_loc = L(ps, @4);
          for (int i = 0; i < $7->n; i += 5) {
              if (!$7->items[i]) { vec_push(&d->vetoes, $7->items[i + 2]); continue; }
              vec_push(&d->names, $7->items[i]); vec_push(&d->name_locs, $7->items[i + 1]);
              vec_push(&d->ops, $7->items[i + 2]); vec_push(&d->exprs, $7->items[i + 3]);
              vec_push(&d->quotas, $7->items[i + 4]);
          }
          attrs_only(ps, $5, ATTRS_DOC, "a grade"); add_decl(ps, d); }
    | OUTCOME IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_OUTCOME, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; attrs_only(ps, $5, ATTRS_DOC, "an outcome"); add_decl(ps, d); }
    | OUTCOME IDENT '=' expr attrs vetoes
        { Decl *d = mk_decl(ps, D_OUTCOME, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; d->vetoes = *$6; attrs_only(ps, $5, ATTRS_DOC, "an outcome"); add_decl(ps, d); }
    | SCENARIO STRING attrs '{'
        { $<vec>$ = ps->sink; ps->sink = GC_NEW(PtrVec); }
      scenario_body '}'
        { Decl *d = mk_decl(ps, D_SCENARIO, @$, $3); d->name = $2; d->name_loc = L(ps, @2);
          d->body = *ps->sink; ps->sink = $<vec>5;
          attrs_only(ps, $3, ATTRS_DOC, "a scenario"); add_decl(ps, d); }
    | TEST STRING attrs '{' test_body '}'
        { Decl *d = mk_decl(ps, D_TEST, @$, $3); d->name = $2; d->name_loc = L(ps, @2);
          d->test = $5; attrs_only(ps, $3, ATTRS_DOC, "a test"); add_decl(ps, d); }
    | TEST IDENT attrs '{' test_body '}'
        { test_given_word(ps, $2, @2, "defaults");
          Decl *d = mk_decl(ps, D_TEST, @$, $3); d->name = $2; d->name_loc = L(ps, @2);
          d->test = $5; d->test->is_defaults = true;
          attrs_only(ps, $3, ATTRS_DOC, "test defaults"); add_decl(ps, d); }
    ;

/* A scenario's body: declarations that replace (or add to) the rubric's,
** and the changes only a scenario makes. lang/scenario.c applies them. */
scenario_body
    : %empty
    | scenario_body decl
    | scenario_body scenario_change
    ;

scenario_change
    : SET IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_SET, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->value = $4; attrs_only(ps, $5, ATTRS_DOC, "a set"); add_decl(ps, d); }
    | SET IDENT '.' IDENT '=' expr attrs
        { Decl *d = mk_decl(ps, D_SET, @$, $7); d->name = $2; d->name_loc = L(ps, @2);
          d->key = $4; d->key_loc = L(ps, @4);
          d->value = $6; attrs_only(ps, $7, ATTRS_DOC, "a set"); add_decl(ps, d); }
    | TABLE IDENT FROM STRING table_sheet attrs
        { Decl *d = mk_decl(ps, D_TABLE_FILE, @$, $6); d->name = $2; d->name_loc = L(ps, @2);
          d->text = $4; d->text_loc = L(ps, @4); d->sheet = $5; d->sheet_loc = L(ps, @5);
          attrs_only(ps, $6, ATTRS_DOC, "a table"); add_decl(ps, d); }
    | TABLE IDENT ROW row_key attrs '{' by_cases '}'
        { Decl *d = mk_decl(ps, D_ROW, @$, $5); d->name = $2; d->name_loc = L(ps, @2);
          d->key = $4; d->key_loc = L(ps, @4);
          for (int i = 0; i < $7->n; i += 3) {
              vec_push(&d->names, $7->items[i]); vec_push(&d->name_locs, $7->items[i + 1]);
              vec_push(&d->exprs, $7->items[i + 2]);
          }
          attrs_only(ps, $5, ATTRS_DOC, "a table row"); add_decl(ps, d); }
    | item
        { Decl *d = mk_decl(ps, D_SECTION, @$, GC_NEW(AttrSet)); vec_push(&d->items, $1); add_decl(ps, d); }
    ;

row_key
    : IDENT                  { $$ = $1; }
    | STRING                 { $$ = $1; }
    ;

/* The body of a rule test: `given` sets up the unit, the period and facts;
** `expect` names a value and what it must be. */
test_body
    : %empty                 { $$ = GC_NEW(TestDecl); }
    | test_body GIVEN givens
        { $$ = $1; $3->loc = loc_span(L(ps, @2), L(ps, @3));
          if (!$3->unit && !$3->period && !$3->has_facts) {
              diag_at(DIAG_ERROR, L(ps, @2), "e.g. given unit 松湖镇 period 年度 facts { 专窗人员数: 2 }",
                      "'given' names nothing");
              ps->failed = true;
          }
          vec_push(&$$->givens, $3); }
    | test_body EXPECT ITEM item_id '=' test_value
        { $$ = $1; TestExpect *x = GC_NEW(TestExpect); x->item = $4; x->name = $4;
          x->target_loc = loc_span(L(ps, @3), L(ps, @4)); x->value = $6; x->loc = loc_span(L(ps, @2), $6->loc);
          vec_push(&$$->expects, x); }
    | test_body EXPECT ITEM item_id IN IDENT '=' test_value
        { $$ = $1; TestExpect *x = GC_NEW(TestExpect); x->item = $4; x->name = $4;
          x->target_loc = loc_span(L(ps, @3), L(ps, @4)); x->period = $6; x->period_loc = L(ps, @6);
          x->value = $8; x->loc = loc_span(L(ps, @2), $8->loc);
          vec_push(&$$->expects, x); }
    | test_body EXPECT IDENT '=' test_value
        { $$ = $1; TestExpect *x = GC_NEW(TestExpect); x->name = $3;
          x->target_loc = L(ps, @3); x->value = $5; x->loc = loc_span(L(ps, @2), $5->loc);
          vec_push(&$$->expects, x); }
    ;

givens
    : %empty                 { $$ = GC_NEW(TestGiven); }
    | givens IDENT IDENT
        { $$ = $1; test_given_word(ps, $2, @2, "unit");
          if ($$->unit) { diag_at(DIAG_ERROR, L(ps, @2), "write a second 'given' for another unit",
                                  "one 'given' names one unit"); ps->failed = true; }
          $$->unit = $3; $$->unit_loc = L(ps, @3); }
    | givens PERIOD IDENT
        { $$ = $1;
          if ($$->period) { diag_at(DIAG_ERROR, L(ps, @2), "write a second 'given' for another period",
                                    "one 'given' names one period"); ps->failed = true; }
          $$->period = $3; $$->period_loc = L(ps, @3); }
    | givens IDENT '{' fact_values '}'
        { $$ = $1; test_given_word(ps, $2, @2, "facts");
          for (int i = 0; i < $4->n; i++) vec_push(&$$->facts, $4->items[i]);
          $$->has_facts = true; }
    ;

fact_values
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | fact_entries           { $$ = $1; }
    | fact_entries ','       { $$ = $1; }
    ;

fact_entries
    : IDENT ':' test_value
        { $$ = GC_NEW(PtrVec); TestFact *f = GC_NEW(TestFact); f->name = $1; f->loc = L(ps, @1);
          f->value = $3; vec_push($$, f); }
    | IDENT '[' NUMBER ']' ':' test_value
        { $$ = GC_NEW(PtrVec); TestFact *f = GC_NEW(TestFact); f->name = $1; f->loc = L(ps, @$);
          f->has_index = true; f->index = $3; f->value = $6; vec_push($$, f); }
    | fact_entries ',' IDENT ':' test_value
        { $$ = $1; TestFact *f = GC_NEW(TestFact); f->name = $3; f->loc = L(ps, @3);
          f->value = $5; vec_push($$, f); }
    | fact_entries ',' IDENT '[' NUMBER ']' ':' test_value
        { $$ = $1; TestFact *f = GC_NEW(TestFact); f->name = $3; f->loc = loc_span(L(ps, @3), L(ps, @6));
          f->has_index = true; f->index = $5; f->value = $8; vec_push($$, f); }
    ;

/* A value as a cell of the fact file would hold it: the source text is kept,
** so `95` for a percent fact means 95%, as in facts.csv. */
test_value
    : NUMBER                 { $$ = test_value(ps, @1, TV_NUMBER, NULL, $1); }
    | '-' NUMBER             { $$ = test_value(ps, @$, TV_NUMBER, NULL, num_neg($2)); }
    | IDENT                  { $$ = test_value(ps, @1, TV_NAME, $1, num_int(0)); }
    | TRUE                   { $$ = test_value(ps, @1, TV_BOOL, "true", num_int(1)); }
    | FALSE                  { $$ = test_value(ps, @1, TV_BOOL, "false", num_int(0)); }
    | STRING                 { $$ = test_value(ps, @1, TV_TEXT, $1, num_int(0)); }
    ;

periods
    : IDENT
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)$1); vec_push($$, loc_box(L(ps, @1))); vec_push($$, NULL); }
    | IDENT LABEL STRING
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)$1); vec_push($$, loc_box(L(ps, @1))); vec_push($$, (void *)$3); }
    | periods ',' IDENT
        { $$ = $1; vec_push($$, (void *)$3); vec_push($$, loc_box(L(ps, @3))); vec_push($$, NULL); }
    | periods ',' IDENT LABEL STRING
        { $$ = $1; vec_push($$, (void *)$3); vec_push($$, loc_box(L(ps, @3))); vec_push($$, (void *)$5); }
    ;

attrs
    : %empty                 { $$ = GC_NEW(AttrSet); }
    | attrs CITE STRING      { $$ = attr_add(ps, $1, A_CITE, @2); $$->at.cite = $3; }
    | attrs ASSUME STRING    { $$ = attr_add(ps, $1, A_ASSUME, @2); vec_push(&$$->at.assumes, (void *)$3); }
    | attrs STANDARD STRING  { $$ = attr_add(ps, $1, A_STANDARD, @2); $$->at.standard = $3; }
    | attrs SOURCE STRING    { $$ = attr_add(ps, $1, A_SOURCE, @2); $$->source = $3; }
    | attrs STRING           { $$ = attr_add(ps, $1, A_CLAUSE, @2); $$->at.clause = $2; }
    | attrs TOTAL NUMBER
        { $$ = attr_add(ps, $1, A_TOTAL, @2);
          $$->total_num = expr_new(E_NUM, L(ps, @3)); $$->total_num->num = $3; }
    | attrs TOTAL STRING     { $$ = attr_add(ps, $1, A_TOTAL, @2); $$->total_row = $3; }
    | attrs TOTAL STRING EXCEPT name_list
        { $$ = attr_add(ps, $1, A_TOTAL, @2); $$->total_row = $3;
          for (int i = 0; i < $5->n; i += 2) {
              vec_push(&$$->except, $5->items[i]); vec_push(&$$->except_locs, $5->items[i + 1]);
          } }
    | attrs OPTIONAL         { $$ = attr_add(ps, $1, A_OPTIONAL, @2); $$->optional = true; }
    | attrs LIMIT STRING     { $$ = attr_add(ps, $1, A_LIMIT, @2); $$->at.limit = $3; }
    ;

name_list
    : IDENT                  { $$ = GC_NEW(PtrVec); vec_push($$, (void *)$1); vec_push($$, loc_box(L(ps, @1))); }
    | name_list ',' IDENT    { $$ = $1; vec_push($$, (void *)$3); vec_push($$, loc_box(L(ps, @3))); }
    ;

param_list
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | name_list              { $$ = $1; }
    ;

members
    : IDENT                  { $$ = GC_NEW(PtrVec); vec_push($$, (void *)$1); }
    | members ',' IDENT
        { $$ = $1;
          for (int i = 0; i < $$->n; i++)
              if (strcmp($$->items[i], $3) == 0) {
                  diag_at(DIAG_ERROR, L(ps, @3), "write each choice once: one of 主任, 副主任",
                          "the choice '%s' is listed twice", $3);
                  ps->failed = true;
              }
          vec_push($$, (void *)$3); }
    ;

/* Five entries a band: name, its Loc, the comparison, the threshold, the
** quota (or NULL). A veto is a band with no name: NULL, NULL, the VetoDecl. */
bands
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | bands IDENT GE expr quota
                             { $$ = $1; vec_push($$, (void *)$2); vec_push($$, loc_box(L(ps, @2)));
                               vec_push($$, (void *)(intptr_t)OP_B_GE); vec_push($$, $4); vec_push($$, $5); }
    | bands IDENT '>' expr quota
                             { $$ = $1; vec_push($$, (void *)$2); vec_push($$, loc_box(L(ps, @2)));
                               vec_push($$, (void *)(intptr_t)OP_B_GT); vec_push($$, $4); vec_push($$, $5); }
    | bands IDENT OTHERWISE  { $$ = $1; vec_push($$, (void *)$2); vec_push($$, loc_box(L(ps, @2)));
                               vec_push($$, (void *)(intptr_t)OP_B_GE); vec_push($$, NULL); vec_push($$, NULL); }
    | bands IDENT expr DOTDOT expr quota
                             { $$ = $1; vec_push($$, (void *)$2); vec_push($$, loc_box(L(ps, @2)));
                               Expr *r = expr_new(E_BINARY, L(ps, @3)); r->op = OP_B_LE; r->a = $3; r->b = $5;
                               r->loc = loc_span($3->loc, $5->loc);
                               vec_push($$, (void *)(intptr_t)OP_B_LE); vec_push($$, r); vec_push($$, $6); }
    | bands VETO IF expr ARROW IDENT attrs
                             { $$ = $1; VetoDecl *v = GC_NEW(VetoDecl); v->cond = $4; v->member = $6;
                               v->member_loc = L(ps, @6); v->loc = L(ps, @2); v->at = $7->at;
                               attrs_only(ps, $7, ATTRS_DOC, "a veto");
                               vec_push($$, NULL); vec_push($$, NULL); vec_push($$, v); vec_push($$, NULL);
                               vec_push($$, NULL); }
    | bands ';'              { $$ = $1; }
    ;

/* `at most 30% [round MODE] by 综合得分, ties by 完成率, then unit order` */
quota
    : %empty                 { $$ = NULL; }
    | AT IDENT expr BY expr quota_ties
        { QuotaDecl *q = $6; expect_word(ps, $2, @2, "most", QUOTA_HINT); q->share = $3; q->loc = L(ps, @$);
          quota_first_key(q, $5); $$ = q; }
    | AT IDENT expr ROUND IDENT BY expr quota_ties
        { QuotaDecl *q = $8; expect_word(ps, $2, @2, "most", QUOTA_HINT); q->share = $3; q->loc = L(ps, @$);
          q->mode = $5; q->mode_loc = L(ps, @5); quota_first_key(q, $7); $$ = q; }
    ;

quota_ties
    : %empty                 { $$ = GC_NEW(QuotaDecl); }
    | quota_ties ',' IDENT BY expr
        { $$ = $1; expect_word(ps, $3, @3, "ties", QUOTA_HINT); vec_push(&((QuotaDecl *)$$)->keys, $5); }
    | quota_ties ',' THEN BY expr
        { $$ = $1; vec_push(&((QuotaDecl *)$$)->keys, $5); }
    | quota_ties ',' THEN IDENT IDENT
        { $$ = $1; expect_word(ps, $4, @4, "unit", QUOTA_HINT); expect_word(ps, $5, @5, "order", QUOTA_HINT);
          ((QuotaDecl *)$$)->unit_order = true; }
    ;

vetoes
    : veto                   { $$ = GC_NEW(PtrVec); vec_push($$, $1); }
    | vetoes veto            { $$ = $1; vec_push($$, $2); }
    ;

veto
    : VETO IF expr ARROW expr attrs
        { VetoDecl *v = GC_NEW(VetoDecl); v->cond = $3; v->value = $5; v->loc = L(ps, @1); v->at = $6->at;
          attrs_only(ps, $6, ATTRS_DOC, "a veto"); $$ = v; }
    ;

items
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | items item             { $$ = $1; vec_push($$, $2); }
    ;

item_id
    : NUMBER                 { $$ = num_to_string($1); }
    | IDENT                  { $$ = $1; }
    ;

item
    : ITEM item_id STRING attrs '{' steps '}'
        { $$ = item_new(L(ps, @$)); $$->id = $2; $$->id_loc = L(ps, @2); $$->title = $3;
          $$->steps = *$6; $$->at = $4->at; attrs_only(ps, $4, ATTRS_DOC | BIT(A_STANDARD) | BIT(A_LIMIT), "an item"); }
    | ITEM item_id STRING NUMBER attrs '{' steps '}'
        { $$ = item_new(L(ps, @$)); $$->id = $2; $$->id_loc = L(ps, @2); $$->title = $3;
          $$->points = expr_new(E_NUM, L(ps, @4)); $$->points->num = $4;
          $$->steps = *$7; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC | BIT(A_STANDARD) | BIT(A_LIMIT), "an item"); }
    | ITEM item_id STRING IDENT BY IDENT '{' by_cases '}' attrs '{' steps '}'
        { $$ = item_new(L(ps, @$)); $$->id = $2; $$->id_loc = L(ps, @2); $$->title = $3;
          expect_word(ps, $4, @4, "points", POINTS_HINT); points_by(ps, $$, $6, @6, $8, @7);
          $$->steps = *$12; $$->at = $10->at; attrs_only(ps, $10, ATTRS_DOC | BIT(A_STANDARD) | BIT(A_LIMIT), "an item"); }
    | ITEM item_id STRING IDENT BY IDENT '{' by_cases '}' FROM expr attrs '{' steps '}'
        { $$ = item_new(L(ps, @$)); $$->id = $2; $$->id_loc = L(ps, @2); $$->title = $3;
          expect_word(ps, $4, @4, "points", POINTS_HINT); points_by(ps, $$, $6, @6, $8, @7); $$->from = $11;
          $$->steps = *$14; $$->at = $12->at; attrs_only(ps, $12, ATTRS_DOC | BIT(A_STANDARD) | BIT(A_LIMIT), "an item"); }
    | ITEM item_id STRING NUMBER FROM expr attrs '{' steps '}'
        { $$ = item_new(L(ps, @$)); $$->id = $2; $$->id_loc = L(ps, @2); $$->title = $3;
          $$->points = expr_new(E_NUM, L(ps, @4)); $$->points->num = $4; $$->from = $6;
          $$->steps = *$9; $$->at = $7->at; attrs_only(ps, $7, ATTRS_DOC | BIT(A_STANDARD) | BIT(A_LIMIT), "an item"); }
    ;

steps
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | steps step             { $$ = $1; vec_push($$, $2); }
    ;

step
    : ZERO IF expr attrs
        { $$ = step_new(S_ZERO, L(ps, @$)); $$->cond = $3; $$->at = $4->at;
          attrs_only(ps, $4, ATTRS_DOC, "a step"); }
    | ZERO UNLESS expr attrs
        { $$ = step_new(S_ZERO, L(ps, @$)); $$->cond = $3; $$->unless = true; $$->at = $4->at;
          attrs_only(ps, $4, ATTRS_DOC, "a step"); }
    | DEDUCT expr attrs
        { $$ = step_new(S_DEDUCT, L(ps, @$)); $$->amount = $2; $$->at = $3->at; attrs_only(ps, $3, ATTRS_DOC, "a step"); }
    | DEDUCT expr PER expr attrs
        { $$ = step_new(S_DEDUCT, L(ps, @$)); $$->amount = $2; $$->per = $4; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | DEDUCT expr IF expr attrs
        { $$ = step_new(S_DEDUCT, L(ps, @$)); $$->amount = $2; $$->cond = $4; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | DEDUCT expr UNLESS expr attrs
        { $$ = step_new(S_DEDUCT, L(ps, @$)); $$->amount = $2; $$->cond = $4; $$->unless = true; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | ADD expr attrs
        { $$ = step_new(S_ADD, L(ps, @$)); $$->amount = $2; $$->at = $3->at; attrs_only(ps, $3, ATTRS_DOC, "a step"); }
    | ADD expr PER expr attrs
        { $$ = step_new(S_ADD, L(ps, @$)); $$->amount = $2; $$->per = $4; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | ADD expr IF expr attrs
        { $$ = step_new(S_ADD, L(ps, @$)); $$->amount = $2; $$->cond = $4; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | ADD expr UNLESS expr attrs
        { $$ = step_new(S_ADD, L(ps, @$)); $$->amount = $2; $$->cond = $4; $$->unless = true; $$->at = $5->at; attrs_only(ps, $5, ATTRS_DOC, "a step"); }
    | SCORE expr attrs
        { $$ = step_new(S_SCORE, L(ps, @$)); $$->amount = $2; $$->at = $3->at; attrs_only(ps, $3, ATTRS_DOC, "a step"); }
    | SCALE expr attrs
        { $$ = step_new(S_SCALE, L(ps, @$)); $$->amount = $2; $$->at = $3->at; attrs_only(ps, $3, ATTRS_DOC, "a step"); }
    | LET IDENT '=' expr
        { $$ = step_new(S_LET, L(ps, @$)); $$->name = $2; $$->amount = $4; }
    | WHEN expr '{' steps '}' when_tail
        { $$ = step_new(S_WHEN, L(ps, @$)); $$->cond = $2; $$->body = *$4;
          if ($6) { $$->has_other = true;
                    if ($6->kind == S_WHEN && $6->name == NULL) vec_push(&$$->other, $6);
                    else $$->other = $6->body; } }
    ;

/* An `otherwise` block comes back as a pseudo-step whose body is the block
** (name "otherwise"); an `else when` comes back as a real S_WHEN. */
when_tail
    : %empty                 { $$ = NULL; }
    | OTHERWISE '{' steps '}'
        { $$ = step_new(S_WHEN, L(ps, @$)); $$->name = "otherwise"; $$->body = *$3; }
    | ELSE WHEN expr '{' steps '}' when_tail
        { $$ = step_new(S_WHEN, L(ps, @$)); $$->cond = $3; $$->body = *$5;
          if ($7) { $$->has_other = true;
                    if ($7->kind == S_WHEN && $7->name == NULL) vec_push(&$$->other, $7);
                    else $$->other = $7->body; } }
    ;

expr
    : primary                { $$ = $1; }
    | IF expr THEN expr ELSE expr %prec ELSE
        { $$ = expr_new(E_IF, L(ps, @$)); $$->a = $2; $$->b = $4; $$->c = $6; $$ = deepen(ps, $$); }
    | expr OR expr           { $$ = mk_bin(ps, @$, OP_B_OR, $1, $3); }
    | expr AND expr          { $$ = mk_bin(ps, @$, OP_B_AND, $1, $3); }
    | NOT expr               { $$ = mk_un(ps, @$, E_NOT, $2); }
    | expr '=' expr          { $$ = mk_bin(ps, @$, OP_B_EQ, $1, $3); }
    | expr NE expr           { $$ = mk_bin(ps, @$, OP_B_NE, $1, $3); }
    | expr '<' expr          { $$ = mk_bin(ps, @$, OP_B_LT, $1, $3); }
    | expr LE expr           { $$ = mk_bin(ps, @$, OP_B_LE, $1, $3); }
    | expr '>' expr          { $$ = mk_bin(ps, @$, OP_B_GT, $1, $3); }
    | expr GE expr           { $$ = mk_bin(ps, @$, OP_B_GE, $1, $3); }
    | expr IS IDENT
        { $$ = expr_new(E_IS, L(ps, @$)); $$->a = $1; $$->name = $3; $$->name_loc = L(ps, @3); $$ = deepen(ps, $$); }
    | expr '+' expr          { $$ = mk_bin(ps, @$, OP_B_ADD, $1, $3); }
    | expr '-' expr          { $$ = mk_bin(ps, @$, OP_B_SUB, $1, $3); }
    | expr '*' expr          { $$ = mk_bin(ps, @$, OP_B_MUL, $1, $3); }
    | expr '/' expr          { $$ = mk_bin(ps, @$, OP_B_DIV, $1, $3); }
    | '-' expr %prec UMINUS  { $$ = mk_un(ps, @$, E_NEG, $2); }
    | ITEM item_id OF UNITS WHERE expr %prec WHERE
        { $$ = expr_new(E_COHORT, L(ps, @$)); $$->name = $2; $$->name_loc = L(ps, @2); $$->a = $6; $$ = deepen(ps, $$); }
    | primary OF UNITS WHERE expr %prec WHERE
        { $$ = expr_new(E_COHORT, L(ps, @$)); $$->b = $1; $$->a = $5; $$ = deepen(ps, $$); }
    ;

primary
    : NUMBER                 { $$ = expr_new(E_NUM, L(ps, @$)); $$->num = $1; }
    | TRUE                   { $$ = expr_new(E_BOOL, L(ps, @$)); $$->boolean = true; }
    | FALSE                  { $$ = expr_new(E_BOOL, L(ps, @$)); $$->boolean = false; }
    | IDENT                  { $$ = expr_new(E_NAME, L(ps, @$)); $$->name = $1; $$->name_loc = L(ps, @1); }
    | '(' expr ')'           { $$ = deepen(ps, $2); }
    | IDENT '(' args ')'
        { $$ = expr_new(E_CALL, L(ps, @$)); $$->name = $1; $$->name_loc = L(ps, @1); $$->args = *$3; $$ = deepen(ps, $$); }
    | ROUND '(' args ')'
        { $$ = expr_new(E_CALL, L(ps, @$)); $$->name = "round"; $$->name_loc = L(ps, @1); $$->args = *$3; $$ = deepen(ps, $$); }
    | primary '.' IDENT
        { $$ = expr_new(E_MEMBER, L(ps, @$)); $$->a = $1; $$->name = $3; $$->name_loc = L(ps, @3); $$ = deepen(ps, $$); }
    | primary '[' expr ']'
        { $$ = expr_new(E_INDEX, L(ps, @$)); $$->a = $1; $$->b = $3; $$ = deepen(ps, $$); }
    | BY IDENT '{' by_cases '}'
        { $$ = expr_new(E_BY, L(ps, @$)); $$->name = $2; $$->name_loc = L(ps, @2);
          for (int i = 0; i < $4->n; i += 3) {
              vec_push(&$$->keys, $4->items[i]); vec_push(&$$->key_locs, $4->items[i + 1]);
              vec_push(&$$->args, $4->items[i + 2]);
          }
          $$ = deepen(ps, $$); }
    | BY PERIOD '{' by_cases '}'
        { $$ = expr_new(E_BY, L(ps, @$)); $$->name = "period"; $$->name_loc = L(ps, @2);
          for (int i = 0; i < $4->n; i += 3) {
              vec_push(&$$->keys, $4->items[i]); vec_push(&$$->key_locs, $4->items[i + 1]);
              vec_push(&$$->args, $4->items[i + 2]);
          }
          $$ = deepen(ps, $$); }
    | ITEM item_id OF UNITS
        { $$ = expr_new(E_COHORT, L(ps, @$)); $$->name = $2; $$->name_loc = L(ps, @2); }
    | primary OF UNITS
        { $$ = expr_new(E_COHORT, L(ps, @$)); $$->b = $1; $$ = deepen(ps, $$); }
    | IDENT '(' expr IDENT UNITS rank_where rank_order ')'
        { $$ = expr_new(E_RANK, L(ps, @$)); $$->name = $1; $$->name_loc = L(ps, @1); $$->a = $3;
          expect_word(ps, $4, @4, "among", RANK_HINT); $$->b = $6; $$->args = *$7; $$ = deepen(ps, $$); }
    | TIERS expr '{' tier_cases '}'
        { $$ = expr_new(E_TIERS, L(ps, @$)); $$->a = $2;
          for (int i = 0; i < $4->n; i += 3) {
              vec_push(&$$->bound_ops, $4->items[i]); vec_push(&$$->bounds, $4->items[i + 1]);
              vec_push(&$$->args, $4->items[i + 2]);
          }
          $$ = deepen(ps, $$); }
    ;

/* `sheet "附件3"`: the sheet of a workbook a table is read from, or NULL. */
table_sheet
    : %empty                 { $$ = NULL; }
    | IDENT STRING           { expect_word(ps, $1, @1, "sheet", "a table in a workbook reads: table 民生任务 from "
                                           "\"annex3.xlsx\" sheet \"附件3\" key 单位"); $$ = $2; }
    ;

/* rank(完成率 among units [where …], ties best): the where condition, or NULL. */
rank_where
    : %empty                 { $$ = NULL; }
    | WHERE expr             { $$ = $2; }
    ;

/* `, ties best` / `, ties dense` / `, lowest first`: pairs of words as name
** expressions, checked by the compiler (which says what each may be). */
rank_order
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | rank_order ',' IDENT IDENT
        { $$ = $1; Expr *w = expr_new(E_NAME, L(ps, @3)); w->name = $3; w->name_loc = L(ps, @3);
          Expr *v = expr_new(E_NAME, L(ps, @4)); v->name = $4; v->name_loc = L(ps, @4);
          w->a = v; vec_push($$, w); }
    ;

/* The tiers of a 分档 clause, best first: `>= 100%: 8`, `> 0: 2`,
** `otherwise: 0` (its bound NULL). Triples: op, bound, value. */
tier_cases
    : tier_case              { $$ = $1; }
    | tier_cases ',' tier_case
        { $$ = $1; for (int i = 0; i < $3->n; i++) vec_push($$, $3->items[i]); }
    ;

tier_case
    : GE expr ':' expr
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)(intptr_t)OP_B_GE); vec_push($$, $2); vec_push($$, $4); }
    | '>' expr ':' expr
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)(intptr_t)OP_B_GT); vec_push($$, $2); vec_push($$, $4); }
    | OTHERWISE ':' expr
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)(intptr_t)OP_B_GE); vec_push($$, NULL); vec_push($$, $3); }
    ;

by_cases
    : IDENT ':' expr
        { $$ = GC_NEW(PtrVec); vec_push($$, (void *)$1); vec_push($$, loc_box(L(ps, @1))); vec_push($$, $3); }
    | by_cases ',' IDENT ':' expr
        { $$ = $1; vec_push($$, (void *)$3); vec_push($$, loc_box(L(ps, @3))); vec_push($$, $5); }
    ;

args
    : %empty                 { $$ = GC_NEW(PtrVec); }
    | arg_list               { $$ = $1; }
    ;

arg_list
    : arg                    { $$ = GC_NEW(PtrVec); vec_push($$, $1); }
    | arg_list ',' arg       { $$ = $1; vec_push($$, $3); }
    ;

arg
    : expr                   { $$ = $1; }
    | expr FOR IDENT IN expr DOTDOT expr
        { $$ = expr_new(E_GEN, L(ps, @$)); $$->a = $1; $$->name = $3; $$->name_loc = L(ps, @3);
          $$->b = $5; $$->c = $7; $$ = deepen(ps, $$); }
    ;

%%

static void yyerror(YYLTYPE *loc, void *scanner, ParseState *ps, const char *msg)
{
    (void)scanner;
    ps->failed = true;
    /* Bison calls this only for stack exhaustion in custom mode. */
    if (strstr(msg, "exhausted"))
        diag_at(DIAG_ERROR, L(ps, *loc), "split the formula into named parts with 'let'",
                "nesting too deep for the parser");
    else
        diag_at(DIAG_ERROR, L(ps, *loc), NULL, "%s", msg);
}

/* The token number (parser.h) of a terminal symbol, for synerr.c, which
** knows tokens as the lexer returns them. */
static int token_number(yysymbol_kind_t sym)
{
    static int number[YYNTOKENS];
    static bool ready;
    if (!ready) {
        for (int t = YYMAXUTOK; t >= 0; t--)
            if (YYTRANSLATE(t) != YYSYMBOL_YYUNDEF)
                number[YYTRANSLATE(t)] = t;
        number[YYSYMBOL_YYUNDEF] = YYUNDEF;
        ready = true;
    }
    return sym >= 0 && sym < YYNTOKENS ? number[sym] : -1;
}

/* Bison finds the error (with LAC, before any default reduction, so the
** expected tokens are exact); synerr.c says it. The symbols just read come
** from the state stack: each state is reached by one symbol
** (YY_ACCESSING_SYMBOL), and state 0 is the bottom. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, ParseState *ps)
{
    (void)scanner;
    ps->failed = true;
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    int expected[YYNTOKENS];
    for (int i = 0; i < n; i++) expected[i] = token_number(exp[i]);
    SynErr e = { ps->lex, yypcontext_location(ctx)->start, yypcontext_location(ctx)->end,
                 token_number(yypcontext_token(ctx)), expected, n < 0 ? 0 : n, {{0, NULL}}, 0 };
    for (const yy_state_t *s = ctx->yyssp; *s != 0 && e.nread < SYN_READ; s--) {
        yysymbol_kind_t sym = YY_ACCESSING_SYMBOL(*s);
        e.read[e.nread].token = token_number(sym);
        e.read[e.nread].rule = sym >= YYNTOKENS ? yysymbol_name(sym) : NULL;
        e.nread++;
    }
    synerr_report(&e);
    return 0;
}

/* The whole file becomes flex's buffer (a copy ending in the two NULs
** flex needs), scanned in place. Reading through a small buffer made one
** long token quadratic: on every refill flex scans the token so far again,
** and a 16 MiB comment line took minutes. */
static void scan_whole(const SrcFile *file, void *scanner)
{
    char *buf = GC_MALLOC_ATOMIC(file->len + 2);
    memcpy(buf, file->text, file->len);
    buf[file->len] = buf[file->len + 1] = '\0';
    yy_scan_buffer(buf, file->len + 2, scanner);
}

bool parse_file(Ast *ast, const SrcFile *file)
{
    LexState ls;
    memset(&ls, 0, sizeof ls);
    ls.file = file;
    ParseState ps = { ast, file, &ls, false, NULL };
    void *scanner;
    if (yylex_init_extra(&ls, &scanner) != 0) {
        diag_plain(DIAG_ERROR, NULL, "out of memory while reading %s", file->path);
        return false;
    }
    scan_whole(file, scanner);
    vec_push(&ast->files, (void *)file);
    int rc = yyparse(scanner, &ps);
    yylex_destroy(scanner);
    return rc == 0 && !ps.failed;
}

/* Tokens of a source text, for tests and tools: kind (a token number from
** parser.h, 0 at the end, YYerror after a lexical error) and byte span. */
int lex_tokenize(const SrcFile *file, LexToken *out, int max)
{
    LexState ls;
    memset(&ls, 0, sizeof ls);
    ls.file = file;
    void *scanner;
    if (yylex_init_extra(&ls, &scanner) != 0) return -1;
    scan_whole(file, scanner);
    int n = 0;
    while (n < max) {
        YYSTYPE val;
        YYLTYPE loc = { 0, 0 };
        int tok = yylex(&val, &loc, scanner);
        out[n].kind = tok;
        out[n].start = loc.start;
        out[n].end = loc.end;
        out[n].text = (tok == IDENT || tok == STRING) ? val.str : NULL;
        out[n].num = tok == NUMBER ? val.num : num_int(0);
        n++;
        if (tok == YYEOF || tok == YYerror) break;
    }
    yylex_destroy(scanner);
    return n;
}

