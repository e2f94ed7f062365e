/*
** tests/unit/data.c — loading units, tables and facts: aliases, non-assessed
** names, typed cells and their storage, and the exact message of each kind
** of bad data (each test writes its CSV files into a fresh temp folder).
*/
#include <check.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "capture.h"
#include "tmpdir.h"
#include "diag.h"

/* ---- helpers ----------------------------------------------------------------*/

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "data");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

/* Writes dir/name and returns its path (a GC string). */
static char *put_file(const char *name, const char *text)
{
    char *path = GC_MALLOC_ATOMIC(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Replaces the temp folder in a message by "D", so expected texts are fixed. */
static char *undir(char *s)
{
    size_t n = strlen(dir);
    char *p;
    while ((p = strstr(s, dir)) != NULL) {
        *p = 'D';
        memmove(p + 1, p + n, strlen(p + n) + 1);
    }
    return s;
}

static const char units_csv[] =
    "单位,类型,别名,考核\n"
    "松湖镇,乡镇,,\n"
    "石埠乡,乡镇,石埠镇,是\n"
    "\"新建\n经开区\",园区,经开区、开发区,\n"
    "区本级,,,否\n";

static Units *good_units(void)
{
    Units *u = units_load(put_file("units.csv", units_csv));
    ck_assert_ptr_nonnull(u);
    return u;
}

/* Loads units from text that must fail; returns the messages. */
static char *units_errors(const char *text)
{
    char *path = put_file("units.csv", text);
    capture();
    Units *u = units_load(path);
    char *d = undir(captured());
    ck_assert_ptr_null(u);
    return d;
}

/* ---- units ---------------------------------------------------------------------*/

START_TEST(units_basic)
{
    Units *u = good_units();
    ck_assert_int_eq(u->n, 3);
    ck_assert_str_eq(u->names[0], "松湖镇");
    ck_assert_str_eq(u->names[1], "石埠乡");
    ck_assert_str_eq(u->names[2], "新建经开区");
    /* 类型, then the columns kaohe itself reads, also readable by rules */
    ck_assert_int_eq(u->nattrs, 4);
    ck_assert_str_eq(u->attr_names[0], "类型");
    ck_assert_int_eq(units_attr_index(u, "类型"), 0);
    ck_assert_int_eq(units_attr_index(u, "单位"), 1);
    ck_assert_int_eq(units_attr_index(u, "别名"), 2);
    ck_assert_int_eq(units_attr_index(u, "考核"), 3);
    ck_assert_int_eq(units_attr_index(u, "名称"), -1);
    ck_assert_str_eq(u->attr_values[2 * u->nattrs + 0], "园区");
    ck_assert_str_eq(u->attr_values[2 * u->nattrs + 1], "新建经开区");
    ck_assert_str_eq(u->attr_values[1 * u->nattrs + 2], "石埠镇");
    ck_assert_str_eq(u->attr_values[0 * u->nattrs + 3], "是");
    ck_assert_int_eq(units_find(u, "石埠乡"), 1);
    ck_assert_int_eq(units_find(u, "石埠镇"), 1);          /* alias */
    ck_assert_int_eq(units_find(u, " 新建\n经开区\u3000"), 2);
    ck_assert_int_eq(units_find(u, "开发区"), 2);
    ck_assert_int_eq(units_find(u, "区本级"), UNIT_NOT_ASSESSED);
    ck_assert_int_eq(units_find(u, "西山镇"), UNIT_UNKNOWN);
    ck_assert_str_eq(units_suggest(u, "松湖真"), "松湖镇");
    ck_assert_ptr_null(units_suggest(u, "完全不同"));
    /* a hand-built Units without the hash still finds names */
    Units hand = *u;
    hand.hash = NULL;
    ck_assert_int_eq(units_find(&hand, "石埠镇"), 1);
}
END_TEST

/* Attribute values that repeat, and more distinct ones than are shared. */
START_TEST(units_attribute_values)
{
    char text[4096] = "单位,类型,别名\n";
    for (int k = 0; k < 40; k++) {
        char line[64];
        snprintf(line, sizeof line, "单位%d,%s%d,\n", k, k % 2 ? "乡镇" : "园区", k % 3 ? 0 : k);
        strcat(text, line);
    }
    Units *u = units_load(put_file("units.csv", text));
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(u->n, 40);
    ck_assert_int_eq(u->nattrs, 3);     /* 类型, 单位, 别名 */
    for (int k = 0; k < 40; k++) {
        char want[32];
        snprintf(want, sizeof want, "%s%d", k % 2 ? "乡镇" : "园区", k % 3 ? 0 : k);
        ck_assert_str_eq(u->attr_values[k * u->nattrs], want);
        snprintf(want, sizeof want, "单位%d", k);
        ck_assert_int_eq(units_find(u, want), k);
    }
}
END_TEST

START_TEST(units_errors_reported)
{
    char *d = units_errors("单位,别名\n松湖镇,石埠镇\n石埠乡,石埠镇\n");
    ck_assert_str_eq(d,
        "D/units.csv:3:B 别名: error: 石埠镇 is already named on row 2 (别名)\n"
        "  hint: a name or alias may stand for one unit only\n");
    free(d);
    d = units_errors("单位,考核\n松湖镇,可能\n");
    ck_assert_str_eq(d,
        "D/units.csv:2:B 考核: error: not 是 or 否\n"
        "  cell: \"可能\"\n"
        "  hint: 是 for an assessed unit, 否 for a name that only appears in tables\n");
    free(d);
    d = units_errors("名称,类型\n松湖镇,乡镇\n");
    ck_assert_str_eq(d,
        "D/units.csv:1: error: no column 单位\n"
        "  hint: units.csv names the units in a column 单位\n");
    free(d);
    d = units_errors("单位,考核\n区本级,否\n");
    ck_assert_str_eq(d,
        "D/units.csv: error: no assessed units\n"
        "  hint: list the assessed units one per row under 单位\n");
    free(d);
    d = units_errors("");
    ck_assert_str_eq(d,
        "D/units.csv: error: empty file (no header row)\n"
        "  hint: the first row names the columns\n");
    free(d);
}
END_TEST

/* ---- tables --------------------------------------------------------------------*/

static const char *except_rate[] = {"回收率"};

static TableSpec spec_for(const char *path, bool optional)
{
    return (TableSpec){.name = "民生任务", .path = path, .key = "单位", .optional = optional, .total_row = "任务数",
                       .nexcept = 1, .except = except_rate};
}

static const char annex_csv[] =
    "单位,新增城镇就业,创业担保贷款,回收率\n"
    "松湖镇,100,50.5,100%\n"
    "石埠镇,200,,100%\n"
    "\"新建\n经开区\",300,10,100%\n"
    "区本级,50,1,\n"
    "任务数,650,61.5,\n";

/* Loads a table from text that must fail; returns the messages. Without
** totals, the spec has no totals row and no exempt column. */
static char *table_errors(const char *text, bool optional, bool totals)
{
    Units *u = good_units();
    TableSpec spec = spec_for(put_file("annex.csv", text), optional);
    if (!totals) {
        spec.total_row = NULL;
        spec.nexcept = 0;
    }
    capture();
    Table *t = table_load(&spec, u);
    char *d = undir(captured());
    ck_assert_ptr_null(t);
    return d;
}

START_TEST(table_basic)
{
    Units *u = good_units();
    TableSpec spec = spec_for(put_file("annex.csv", annex_csv), false);
    capture();
    Table *t = table_load(&spec, u);
    char *d = captured();
    ck_assert_str_eq(d, "");
    free(d);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->ncols, 3);
    ck_assert_int_eq(t->nunits, 3);
    ck_assert_int_eq(table_col_index(t, "创业担保贷款"), 1);
    ck_assert_int_eq(table_col_index(t, "单位"), -1);
    ck_assert_int_eq(t->col_of[0], 2);
    /* 石埠镇 is the alias of unit 1, 石埠乡 */
    Num n = table_num(t, 1, 0);
    ck_assert(n.num == 200 && n.den == 1);
    n = table_num(t, 1, 1);                 /* blank is 0 */
    ck_assert(n.num == 0 && n.den == 1);
    n = table_num(t, 0, 1);
    ck_assert(n.num == 505 && n.den == 10);
    n = table_num(t, 2, 2);                 /* 100% is 1 */
    ck_assert(n.num == 100 && n.den == 100);
    ck_assert(t->present[0] && t->present[1] && t->present[2]);
    ck_assert_int_eq(t->row_of[2], 4);
}
END_TEST

/* Cells plain and not: spaces, signs, leading zeros, percent signs, blanks. */
START_TEST(table_cell_forms)
{
    Units *u = good_units();
    TableSpec spec = {.name = "t", .path = put_file("annex.csv",
                                    "单位,a,b,c\n"
                                    "新建经开区, 12 ,0050,50%\n"
                                    "松湖镇,1.50,-3,50％\n"
                                    "石埠乡,+4,,\u3000\n"
                                    "区本级,x1,,\n"),
                      .key = "单位"};
    capture();
    Table *t = table_load(&spec, u);
    char *d = undir(captured());
    ck_assert_str_eq(d,
        "D/annex.csv:5:B a: error: not a number\n"
        "  cell: \"x1\"\n"
        "  hint: a table cell is a number such as 12 or 0.5, without separators or "
        "units; a blank cell is 0\n");
    free(d);
    ck_assert_ptr_null(t);
    spec.path = put_file("annex.csv",
                         "单位,a,b,c\n"
                         "新建经开区, 12 ,0050,50%\n"
                         "松湖镇,1.50,-3,50％\n"
                         "石埠乡,+4,,\u3000\n");
    t = table_load(&spec, u);
    ck_assert_ptr_nonnull(t);
    static const int64_t want[9][2] = {
        {15, 10}, {-3, 1}, {50, 100},      /* 松湖镇 */
        {4, 1}, {0, 1}, {0, 1},            /* 石埠乡 */
        {12, 1}, {50, 1}, {50, 100},       /* 新建经开区 */
    };
    for (int k = 0; k < 9; k++) {
        Num n = table_num(t, k / 3, k % 3);
        ck_assert(n.num == want[k][0] && n.den == want[k][1]);
    }
    ck_assert_int_eq(t->row_of[0], 3);
    ck_assert_int_eq(t->row_of[2], 2);
}
END_TEST

START_TEST(table_total_mismatch)
{
    char *d = table_errors("单位,新增城镇就业,创业担保贷款,回收率\n"
                           "松湖镇,100,50.5,100%\n"
                           "石埠乡,200,0.25,100%\n"
                           "新建经开区,300,10,\n"
                           "区本级,50,1,\n"
                           "任务数,640,61.5,1\n", false, true);
    ck_assert_str_eq(d,
        "D/annex.csv:6:B 新增城镇就业: error: column 新增城镇就业 sums to 650, but the "
        "任务数 row says 640\n"
        "  hint: correct the figures or the total; a column that is not a sum (a rate) "
        "can be exempt from the check\n"
        "D/annex.csv:6:C 创业担保贷款: error: column 创业担保贷款 sums to 61.75, but the "
        "任务数 row says 61.5\n"
        "  hint: correct the figures or the total; a column that is not a sum (a rate) "
        "can be exempt from the check\n");
    free(d);
    d = table_errors("单位,新增城镇就业,创业担保贷款,回收率\n"
                     "松湖镇,1,,\n石埠乡,1,,\n新建经开区,1,,\n", false, true);
    ck_assert_str_eq(d,
        "D/annex.csv: error: no 任务数 row\n"
        "  hint: the row whose 单位 is 任务数 holds the totals\n");
    free(d);
}
END_TEST

START_TEST(table_unknown_and_duplicate)
{
    char *d = table_errors("单位,新增城镇就业,回收率\n"
                           "松湖真,100,\n"
                           "石埠乡,200,\n"
                           "石埠镇,1,\n"
                           "新建经开区,x,\n"
                           "任务数,301,\n", false, true);
    ck_assert_str_eq(d,
        "D/annex.csv:2:A 单位: error: unknown unit 松湖真\n"
        "  hint: did you mean 松湖镇?\n"
        "D/annex.csv:4:A 单位: error: a second row for 石埠乡 (the first is row 3)\n"
        "  hint: one row per unit (an alias names the same unit)\n"
        "D/annex.csv:5:B 新增城镇就业: error: not a number\n"
        "  cell: \"x\"\n"
        "  hint: a table cell is a number such as 12 or 0.5, without separators or "
        "units; a blank cell is 0\n"
        "D/annex.csv: error: no row for 松湖镇 (1 unit)\n"
        "  hint: add a row (blank cells read as 0), or declare the table optional\n");
    free(d);
}
END_TEST

START_TEST(table_optional_and_missing)
{
    static const char text[] = "单位,需转产人数\n石埠乡,5\n";
    char *d = table_errors(text, false, false);
    ck_assert_str_eq(d,
        "D/annex.csv: error: no row for 松湖镇、新建经开区 (2 units)\n"
        "  hint: add a row (blank cells read as 0), or declare the table optional\n");
    free(d);
    Units *u = good_units();
    TableSpec spec = {.name = "退捕", .path = put_file("annex5.csv", text), .key = "单位", .optional = true};
    Table *t = table_load(&spec, u);
    ck_assert_ptr_nonnull(t);
    ck_assert(!t->present[0] && t->present[1] && !t->present[2]);
    ck_assert(table_num(t, 0, 0).num == 0 && table_num(t, 1, 0).num == 5);
    ck_assert_int_eq(t->row_of[0], 0);
}
END_TEST

START_TEST(table_missing_key_column)
{
    char *d = table_errors("单 位,x\n松湖镇,1\n", false, false);
    ck_assert_str_eq(d,
        "D/annex.csv:1: error: no column 单位\n"
        "  hint: did you mean 单 位?\n");
    free(d);
    d = table_errors("名称,x\n松湖镇,1\n", false, false);
    ck_assert_str_eq(d,
        "D/annex.csv:1: error: no column 单位\n"
        "  hint: the key column names the unit of each row\n");
    free(d);
    d = table_errors("单位,新增城镇就业\n松湖镇,1\n", true, true);
    ck_assert_str_eq(d,
        "D/annex.csv:1: error: no column 回收率\n"
        "  hint: a column exempt from the total check must exist\n");
    free(d);
}
END_TEST

/* ---- facts ---------------------------------------------------------------------*/

static const char *const posts[] = {"无", "副主任", "主任"};
static FactColSpec fact_cols[] = {
    {"有独立窗口", FT_BOOL, 0, NULL, false, false},
    {"专窗人员数", FT_COUNT, 0, NULL, false, false},
    {"创业担保贷款", FT_DECIMAL, 0, NULL, false, false},
    {"登记证完成率", FT_PERCENT, 0, NULL, false, false},
    {"专窗负责人职务", FT_ENUM, 3, (const char **)posts, false, false},
    {"备注", FT_TEXT, 0, NULL, false, false},
};
static const char *periods[] = {"过程", "年度"};
static const FactSchema schema = {6, fact_cols, 2, periods};

static const char facts_header[] =
    "单位,期别,有独立窗口,专窗人员数,创业担保贷款,登记证完成率,专窗负责人职务,备注\n";
/* spreadsheet rows 2..7 */
static const char *const good_rows[6] = {
    "松湖镇,过程,是,3,50.5,95.5%,主任,\n",
    "松湖镇,年度,否,0,-1.50,100,无,一般\n",
    "石埠镇,过程,1,12,,95.5,副主任,\n",
    "石埠乡,年度,TRUE,4,0,0%,主任,\n",
    "\"新建\n经开区\",过程,false,5,7,50,无,\"a,b\"\n",
    "\u3000新建经开区 ,年度,0,6,8, 100% ,主任,\n",
};

/* The good fact file with row `row` (2..7) replaced by `line` (NULL: left
** out); row 0 changes nothing. */
static char *facts_text(int row, const char *line)
{
    static char text[4096];
    strcpy(text, facts_header);
    for (int k = 0; k < 6; k++) {
        if (k + 2 == row) {
            if (line)
                strcat(text, line);
        } else {
            strcat(text, good_rows[k]);
        }
    }
    return text;
}

static char *facts_errors_in(const char *text)
{
    Units *u = good_units();
    char *path = put_file("facts.csv", text);
    capture();
    FactData *fd = facts_load(path, CSV_ENC_AUTO, &schema, u);
    char *d = undir(captured());
    ck_assert_ptr_null(fd);
    return d;
}

/* Replaces one row and checks the exact messages. */
static void expect_row_error(int row, const char *line, const char *want)
{
    char *d = facts_errors_in(facts_text(row, line));
    ck_assert_str_eq(d, want);
    free(d);
}

/* These tests number the cells as unit * 2 + period, the order of their
** rows; the store is period-major (fact_cell). */
#define OLD(i) fact_cell(fd, (int)(i) / 2, (int)(i) % 2)

START_TEST(facts_values)
{
    Units *u = good_units();
    FactData *fd = facts_load(put_file("facts.csv", facts_text(0, NULL)), CSV_ENC_AUTO,
                              &schema, u);
    ck_assert_ptr_nonnull(fd);
    ck_assert_int_eq(fd->nunits, 3);
    ck_assert_int_eq(fd->nperiods, 2);
    ck_assert_int_eq(fd->encoding, CSV_ENC_UTF8);
    const FactColumn *c = &fd->cols[0];
    uint8_t bools[6] = {1, 0, 1, 1, 0, 0};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(c->small[OLD(i)], bools[i]);
    ck_assert_int_eq(c->csv_col, 3);
    c = &fd->cols[1];
    ck_assert(fact_mant(c, OLD(0)) == 3 && c->scale[OLD(0)] == 0);
    ck_assert(fact_mant(c, OLD(2)) == 12 && c->scale[OLD(2)] == 0);
    c = &fd->cols[2];
    ck_assert(fact_mant(c, OLD(0)) == 505 && c->scale[OLD(0)] == 1);
    ck_assert(fact_mant(c, OLD(1)) == -15 && c->scale[OLD(1)] == 1);     /* -1.50 */
    ck_assert_int_eq(c->scale[OLD(2)], FACT_BLANK);
    Num n;
    ck_assert(!fact_num(c, OLD(2), &n));
    c = &fd->cols[3];
    ck_assert(fact_mant(c, OLD(0)) == 955 && c->scale[OLD(0)] == 3);     /* 95.5% = 0.955 */
    ck_assert(fact_mant(c, OLD(2)) == 955 && c->scale[OLD(2)] == 3);     /* 95.5 too */
    ck_assert(fact_mant(c, OLD(1)) == 100 && c->scale[OLD(1)] == 2);     /* 100 = 1 */
    ck_assert(fact_mant(c, OLD(3)) == 0);
    ck_assert(fact_mant(c, OLD(5)) == 100 && c->scale[OLD(5)] == 2);
    ck_assert(fact_num(c, OLD(0), &n));
    ck_assert(n.num == 955 && n.den == 1000);
    c = &fd->cols[4];
    ck_assert_int_eq(c->small[OLD(0)], 2);
    ck_assert_int_eq(c->small[OLD(1)], 0);
    ck_assert_int_eq(c->small[OLD(2)], 1);
    c = &fd->cols[5];
    ck_assert_ptr_null(c->text[OLD(0)]);
    ck_assert_str_eq(c->text[OLD(1)], "一般");
    ck_assert_str_eq(c->text[OLD(4)], "a,b");
    long rows[6] = {2, 3, 4, 5, 6, 7};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(fd->row_of[OLD(i)], rows[i]);
}
END_TEST

/* Every typed cell in forms written exactly and not (spaces, signs, other
** spellings, blanks, a short row), rows out of order and by alias: each
** cell holds its value, each blank cell FACT_BLANK (and a mantissa of 0). */
START_TEST(facts_cell_forms)
{
    Units *u = good_units();
    char text[2048];
    strcpy(text, facts_header);
    strcat(text, "\"新建\n经开区\",过程,FALSE, 3 ,12.340, 95.5 % ,主任,z\n");   /* cell 4 */
    strcat(text, "松湖镇,过程, 是 ,007,.5,100%, 主任 ,x\n");                   /* cell 0 */
    strcat(text, "石埠镇,年度,0,+2,-0.50,50％,无,\" y \"\n");                 /* cell 3 */
    strcat(text, "松湖镇,年度,否,123456789012345678,5.,0.5%,副主任,\n");       /* cell 1 */
    strcat(text, "新建经开区,年度,1,0,0,0,无,\r\n");                         /* cell 5 */
    strcat(text, "石埠乡,过程,true\n");                                        /* cell 2 */
    capture();
    FactData *fd = facts_load(put_file("facts.csv", text), CSV_ENC_AUTO, &schema, u);
    char *d = captured();
    ck_assert_str_eq(d, "");
    free(d);
    ck_assert_ptr_nonnull(fd);
    static const uint8_t bools[6] = {1, 0, 1, 0, 0, 1};
    static const int64_t counts[6] = {7, 123456789012345678LL, 0, 2, 3, 0};
    static const uint8_t count_scales[6] = {0, 0, FACT_BLANK, 0, 0, 0};
    static const int64_t decs[6] = {5, 5, 0, -5, 1234, 0};
    static const uint8_t dec_scales[6] = {1, 0, FACT_BLANK, 1, 2, 0};
    static const int64_t pcts[6] = {100, 5, 0, 50, 955, 0};
    static const uint8_t pct_scales[6] = {2, 3, FACT_BLANK, 2, 3, 2};
    static const uint8_t posts_at[6] = {2, 1, FACT_BLANK, 0, 2, 0};
    static const char *const texts[6] = {"x", NULL, NULL, "y", "z", NULL};
    static const long rows[6] = {3, 5, 7, 4, 2, 6};
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(fd->cols[0].small[OLD(i)], bools[i]);
        ck_assert(fact_mant(&fd->cols[1], OLD(i)) == counts[i]);
        ck_assert_int_eq(fd->cols[1].scale[OLD(i)], count_scales[i]);
        ck_assert(fact_mant(&fd->cols[2], OLD(i)) == decs[i]);
        ck_assert_int_eq(fd->cols[2].scale[OLD(i)], dec_scales[i]);
        ck_assert(fact_mant(&fd->cols[3], OLD(i)) == pcts[i]);
        ck_assert_int_eq(fd->cols[3].scale[OLD(i)], pct_scales[i]);
        ck_assert_int_eq(fd->cols[4].small[OLD(i)], posts_at[i]);
        if (texts[i])
            ck_assert_str_eq(fd->cols[5].text[OLD(i)], texts[i]);
        else
            ck_assert_ptr_null(fd->cols[5].text[OLD(i)]);
        ck_assert_int_eq(fd->row_of[OLD(i)], rows[i]);
    }
}
END_TEST

/* Errors in one row come in the order of the columns, whatever their types. */
START_TEST(facts_errors_in_column_order)
{
    static FactColSpec cols[] = {
        {"A", FT_COUNT, 0, NULL, false, false},
        {"B", FT_BOOL, 0, NULL, false, false},
        {"C", FT_ENUM, 3, (const char **)posts, false, false},
        {"D", FT_PERCENT, 0, NULL, false, false},
        {"E", FT_DECIMAL, 0, NULL, false, false},
    };
    static const FactSchema sch = {5, cols, 2, periods};
    Units *u = good_units();
    char *path = put_file("facts.csv",
                          "单位,期别,A,B,C,D,E\n"
                          "松湖镇,过程,x,好,主人,101,\"1,2\"\n"
                          "松湖镇,年度,1,是,无,100,1\n"
                          "石埠乡,过程,1,是,无,100,1\n"
                          "石埠乡,年度,1,是,无,100,1\n"
                          "新建经开区,过程,1,是,无,100,1\n"
                          "新建经开区,年度,1,是,无,100,1\n");
    capture();
    FactData *fd = facts_load(path, CSV_ENC_AUTO, &sch, u);
    char *d = undir(captured());
    ck_assert_ptr_null(fd);
    ck_assert_str_eq(d,
        "D/facts.csv:2:C A: error: not a count\n"
        "  cell: \"x\"\n"
        "  hint: a count is a whole number ≥ 0, such as 3\n"
        "D/facts.csv:2:D B: error: not a bool\n"
        "  cell: \"好\"\n"
        "  hint: write 是 or 否 (有/无, √/×, Y/N, true/false and 1/0 also work)\n"
        "D/facts.csv:2:E C: error: not one of 无, 副主任, 主任\n"
        "  cell: \"主人\"\n"
        "  hint: did you mean 主任?\n"
        "D/facts.csv:2:F D: error: percent over 100\n"
        "  cell: \"101\"\n"
        "  hint: a percent is a number from 0 to 100, such as 95.5 or 95.5%\n"
        "D/facts.csv:2:G E: error: not a number: the digits are not grouped by thousands\n"
        "  cell: \"1,2\"\n"
        "  hint: a comma separates thousands, every three digits (5,100); write the number without it\n");
    free(d);
}
END_TEST

START_TEST(facts_bad_cells)
{
    expect_row_error(2, "松湖镇,过程,好,三,1,95.5%,主任,\n",
        "D/facts.csv:2:C 有独立窗口: error: not a bool\n"
        "  cell: \"好\"\n"
        "  hint: write 是 or 否 (有/无, √/×, Y/N, true/false and 1/0 also work)\n"
        "D/facts.csv:2:D 专窗人员数: error: not a count\n"
        "  cell: \"三\"\n"
        "  hint: a count is a whole number ≥ 0, such as 3\n");
    expect_row_error(3, "松湖镇,年度,是,-1,1,100,无,\n",
        "D/facts.csv:3:D 专窗人员数: error: negative count\n"
        "  cell: \"-1\"\n"
        "  hint: a count is a whole number ≥ 0, such as 3\n");
    expect_row_error(3, "松湖镇,年度,是,3.5,1,100,无,\n",
        "D/facts.csv:3:D 专窗人员数: error: not a whole number\n"
        "  cell: \"3.5\"\n"
        "  hint: a count is a whole number ≥ 0, such as 3\n");
    expect_row_error(3, "松湖镇,年度,是,３,1,100,无,\n",
        "D/facts.csv:3:D 专窗人员数: error: not a count\n"
        "  cell: \"３\"\n"
        "  hint: full-width digits (０-９) are not numbers: type them half-width (0-9)\n");
    expect_row_error(4, "石埠乡,过程,是,3,\"1,2345\",100.5%,主人,\n",
        "D/facts.csv:4:E 创业担保贷款: error: not a number: the digits are not grouped by thousands\n"
        "  cell: \"1,2345\"\n"
        "  hint: a comma separates thousands, every three digits (5,100); write the number without it\n"
        "D/facts.csv:4:F 登记证完成率: error: percent over 100\n"
        "  cell: \"100.5%\"\n"
        "  hint: a percent is a number from 0 to 100, such as 95.5 or 95.5%\n"
        "D/facts.csv:4:G 专窗负责人职务: error: not one of 无, 副主任, 主任\n"
        "  cell: \"主人\"\n"
        "  hint: did you mean 主任?\n");
    expect_row_error(4, "石埠乡,过程,是,3,1,-5%,局长,\n",
        "D/facts.csv:4:F 登记证完成率: error: negative percent\n"
        "  cell: \"-5%\"\n"
        "  hint: a percent is a number from 0 to 100, such as 95.5 or 95.5%\n"
        "D/facts.csv:4:G 专窗负责人职务: error: not one of 无, 副主任, 主任\n"
        "  cell: \"局长\"\n"
        "  hint: write one of them exactly\n");
    expect_row_error(4, "石埠乡,过程,是,12345678901234567890,0.1234567890123456789,"
                        "1.12345678901234567,无,\n",
        "D/facts.csv:4:D 专窗人员数: error: number too large (more than 18 digits)\n"
        "  cell: \"12345678901234567890\"\n"
        "  hint: is an ID or a telephone number in a number column?\n"
        "D/facts.csv:4:E 创业担保贷款: error: too many decimal places (at most 18)\n"
        "  cell: \"0.1234567890123456789\"\n"
        "  hint: round it in the spreadsheet; the rules round as the rubric says\n"
        "D/facts.csv:4:F 登记证完成率: error: too many decimal places (at most 16)\n"
        "  cell: \"1.12345678901234567\"\n"
        "  hint: round it in the spreadsheet; the rules round as the rubric says\n");
}
END_TEST

START_TEST(facts_bad_rows)
{
    expect_row_error(2, "松湖真,过程,是,3,1,100,无,\n",
        "D/facts.csv:2:A 单位: error: unknown unit 松湖真\n"
        "  hint: did you mean 松湖镇?\n"
        "D/facts.csv: error: no row for 松湖镇 过程\n"
        "  hint: every unit has one row per 期别\n");
    expect_row_error(2, "区本级,过程,是,3,1,100,无,\n",
        "D/facts.csv:2:A 单位: error: 区本级 is not assessed\n"
        "  hint: D/units.csv marks it 考核=否; remove this row\n"
        "D/facts.csv: error: no row for 松湖镇 过程\n"
        "  hint: every unit has one row per 期别\n");
    /* 石埠镇 is 石埠乡: row 5 repeats row 4's unit and period */
    expect_row_error(5, "石埠镇,过程,是,3,1,100,无,\n",
        "D/facts.csv:5: error: a second row for 石埠乡 过程 (the first is row 4)\n"
        "  hint: one row per unit and 期别\n"
        "D/facts.csv: error: no row for 石埠乡 年度\n"
        "  hint: every unit has one row per 期别\n");
    expect_row_error(3, "松湖镇,年终,是,3,1,100,无,\n",
        "D/facts.csv:3:B 期别: error: unknown 期别\n"
        "  cell: \"年终\"\n"
        "  hint: did you mean 年度?\n"
        "D/facts.csv: error: no row for 松湖镇 年度\n"
        "  hint: every unit has one row per 期别\n");
    expect_row_error(3, NULL,
        "D/facts.csv: error: no row for 松湖镇 年度\n"
        "  hint: every unit has one row per 期别\n");
    expect_row_error(3, "松湖镇,年度,是,3,1,100,无,,多余\n",
        "D/facts.csv:3:I (column 9): error: a value in a column without a header\n"
        "  cell: \"多余\"\n"
        "  hint: give the column a header, or clear the cell\n");
}
END_TEST

START_TEST(facts_columns)
{
    char *d = facts_errors_in(
        "单位,期别,有独立窗口,专窗人数,创业担保贷款,登记证完成率,专窗负责人职务,备注\n");
    ck_assert_str_eq(d,
        "D/facts.csv:1: error: no column 专窗人员数\n"
        "  hint: did you mean 专窗人数?\n"
        "D/facts.csv:1:专窗人数: warning: column 专窗人数 is not a fact of the rubric "
        "(ignored)\n"
        "  hint: did you mean 专窗人员数?\n");
    free(d);
    d = facts_errors_in("单位,有独立窗口,专窗人员数,创业担保贷款,登记证完成率,"
                        "专窗负责人职务,备注,备注\n");
    ck_assert_str_eq(d,
        "D/facts.csv:1:G 备注: error: column 备注 appears twice (columns 7 and 8)\n"
        "  hint: give each column its own name\n"
        "D/facts.csv:1: error: no column 期别\n"
        "  hint: each row is for one period: 过程, 年度\n");
    free(d);
    /* a name three times: each later column is told of the first */
    d = facts_errors_in("单位,期别,有独立窗口,专窗人员数,创业担保贷款,登记证完成率,"
                        "专窗负责人职务,备注,备注,备注\n");
    ck_assert_str_eq(d,
        "D/facts.csv:1:H 备注: error: column 备注 appears twice (columns 8 and 9)\n"
        "  hint: give each column its own name\n"
        "D/facts.csv:1:H 备注: error: column 备注 appears twice (columns 8 and 10)\n"
        "  hint: give each column its own name\n");
    free(d);
    /* a name of 41 characters (an open quote in the header swallows rows
    ** into one name) is cut to 40 in messages; one of 40 is not */
    d = facts_errors_in("单位,期别,有独立窗口,专窗人员数,创业担保贷款,登记证完成率,专窗负责人职务,备注,"
                        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十甲,"
                        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十甲,"
                        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十,"
                        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n");
    ck_assert_str_eq(d,
        "D/facts.csv:1:I 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十… (41 characters): "
        "error: column 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十… (41 characters) "
        "appears twice (columns 9 and 10)\n"
        "  hint: give each column its own name\n"
        "D/facts.csv:1:K 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十: "
        "error: column 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十 "
        "appears twice (columns 11 and 12)\n"
        "  hint: give each column its own name\n"
        "D/facts.csv:1:一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十… (41 characters): "
        "warning: column 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十… (41 characters) "
        "is not a fact of the rubric (ignored)\n"
        "D/facts.csv:1:一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十: "
        "warning: column 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十 "
        "is not a fact of the rubric (ignored)\n");
    free(d);
}
END_TEST

/* An extra column is only a warning: the file loads. */
START_TEST(facts_extra_column_warns)
{
    Units *u = good_units();
    char text[4096];
    strcpy(text, "单位,期别,有独立窗口,专窗人员数,创业担保贷款,登记证完成率,"
                 "专窗负责人职务,备注,说明\n");
    for (int k = 0; k < 6; k++) {
        size_t n = strlen(text);
        strcat(text, good_rows[k]);
        text[n + strlen(good_rows[k]) - 1] = 0;
        strcat(text, ",x\n");
    }
    char *path = put_file("facts.csv", text);
    capture();
    FactData *fd = facts_load(path, CSV_ENC_UTF8, &schema, u);
    char *d = undir(captured());
    ck_assert_ptr_nonnull(fd);
    ck_assert_str_eq(d, "D/facts.csv:1:说明: warning: column 说明 is not a fact of the "
                        "rubric (ignored)\n");
    ck_assert_int_eq(diag_errors(), 0);
    free(d);
}
END_TEST

START_TEST(facts_error_cap)
{
    char text[16384];
    strcpy(text, facts_header);
    for (int k = 0; k < 60; k++)
        strcat(text, "松湖镇,过程,x,,,,,\n");
    char *d = facts_errors_in(text);
    ck_assert_int_eq(diag_errors(), 50);
    const char *tail = "D/facts.csv: note: stopped after 50 errors\n";
    ck_assert(strlen(d) > strlen(tail));
    ck_assert_str_eq(d + strlen(d) - strlen(tail), tail);
    free(d);
}
END_TEST

START_TEST(fact_type_names)
{
    ck_assert_str_eq(fact_type_name(FT_BOOL), "bool");
    ck_assert_str_eq(fact_type_name(FT_COUNT), "count");
    ck_assert_str_eq(fact_type_name(FT_DECIMAL), "decimal");
    ck_assert_str_eq(fact_type_name(FT_PERCENT), "percent");
    ck_assert_str_eq(fact_type_name(FT_ENUM), "enum");
    ck_assert_str_eq(fact_type_name(FT_TEXT), "text");
}
END_TEST

Suite *data_suite(void);
Suite *data_suite(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("units");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, units_basic);
    tcase_add_test(tc, units_attribute_values);
    tcase_add_test(tc, units_errors_reported);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, table_basic);
    tcase_add_test(tc, table_cell_forms);
    tcase_add_test(tc, table_total_mismatch);
    tcase_add_test(tc, table_unknown_and_duplicate);
    tcase_add_test(tc, table_optional_and_missing);
    tcase_add_test(tc, table_missing_key_column);
    suite_add_tcase(s, tc);
    tc = tcase_create("facts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, facts_values);
    tcase_add_test(tc, facts_cell_forms);
    tcase_add_test(tc, facts_errors_in_column_order);
    tcase_add_test(tc, facts_bad_cells);
    tcase_add_test(tc, facts_bad_rows);
    tcase_add_test(tc, facts_columns);
    tcase_add_test(tc, facts_extra_column_warns);
    tcase_add_test(tc, facts_error_cap);
    tcase_add_test(tc, fact_type_names);
    suite_add_tcase(s, tc);
    return s;
}
