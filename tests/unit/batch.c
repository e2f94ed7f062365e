/*
** tests/unit/batch.c — the batch interpreter (runtime/vm/vm_batch*.h) against
** run_plain. One rubric uses every opcode the compiler writes but NO_BAND (lets and lets of another period,
** fact vectors read at a varying index, cohorts, choices, texts, by, and/or,
** every step kind, results, grades, outcomes); 150 generated units make two
** full groups of lanes and a partial one. The data has what a mutant of the
** batch path hid behind before: items of non-whole points (2.5, 7.25) whose
** raw score passes them, cohorts whose first unit is a member, and blank
** count and decimal cells on plain rows that a rule reads only for some
** lanes (and, as a fault, one that it reads). eval_unit (batch) and
** eval_unit_traced (run_plain, one unit at a time) must agree on every
** number, and on the first error: the same unit, the same message. Then
** the limits (step budget, number size, lets of another period kept) on
** both paths. Each test states how many units the batch may leave to
** run_plain (eval_units_alone, eval_batch_dropped): a fallback no test
** means fails, since scores alone cannot see one. Last, the rubric's
** bytecode: every opcode present, and chunk_verify's refusals.
*/
#include <check.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "capture.h"
#include "tmpdir.h"
#include "suites.h"
#include "program.h"
#include "trace.h"
#include "vm.h"

#define NUNITS 150

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "batch");
}

static void teardown(void)
{
    if (!getenv("KEEP_BATCH_DIR")) tmpdir_remove(dir);
}

static FILE *open_in_dir(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    return f;
}

static const char rules[] =
    "rubric \"批量对照\" 2024\n"
    "units from \"units.csv\"\n"
    "period 上半年, 全年\n"
    "round items to 2 half_up\n"
    "param 标准 = 3\n"
    "param 进度 = by period { 上半年: 0.5, 全年: 1 }\n"
    "param 月数 = by period { 上半年: 6, 全年: 12 }\n"
    "table 任务 from \"task.csv\" key 单位 optional\n"
    "fact 人数 : count\n"
    "fact 有窗口, 有档案 : bool\n"
    "fact 完成率 : percent\n"
    "fact 金额 : decimal\n"
    "fact 职务 : one of 无, 副, 正\n"
    "fact 备注 : text\n"
    "fact 月数据[1..12] : count column \"{}月\"\n"
    "fact 选月 : count\n"
    "fact 加班 : count\n"
    "fact 补贴 : decimal\n"
    "let 缺口 = shortfall(人数, 标准)\n"
    "let 双缺口 = 缺口 * 2 + by period { 上半年: 1, 全年: 2 }\n"
    "let 达标 = 人数 >= 标准 and 有窗口\n"
    "section \"一\" 40 {\n"
    "  item 1 \"门\" 10 {\n"
    "    zero unless 有窗口 and 有档案\n"
    "    deduct 1 per 缺口\n"
    "    deduct 0.5 unless 达标\n"
    "    add 1 if 职务 is 副\n"
    "    add 2 if 职务 is 正 or 备注 is 好\n"
    "    scale 完成率\n"
    "  }\n"
    "  item 2 \"任务\" 10 from 0 {\n"
    "    add 5 * completion(金额, 任务.目标 * 进度)\n"
    "    add 5 * min(completion(人数, 任务.人 * 进度), ratio(人数 + 1, 标准), 0.9)\n"
    "  }\n"
    "  item 3 \"月\" 10 {\n"
    "    let 月缺 = sum(shortfall(月数据[m], 2) for m in 1..月数)\n"
    "    deduct 0.25 per 月缺\n"
    "    deduct 0.5 per 月数据[选月]\n"
    "    deduct 1 if not 有窗口 and 职务 != 全年.职务 and not (备注 is 坏)\n"
    "  }\n"
    "  item 5 \"零头\" 7.25 from 0 {\n"
    "    add 0.5 * 加班 if unit.类型 is 园区\n"
    "    add 金额 / 40\n"
    "    add 补贴 / 100 if 月数 > 6 and 有窗口\n"
    "  }\n"
    "  item 4 \"分支\" 10 {\n"
    "    when 任务.人 > 0 {\n"
    "      score 10 * completion(人数, 任务.人)\n"
    "    } else when 金额 > 100 {\n"
    "      score max(abs(金额 - 200) / 20, 3) - -1\n"
    "    } otherwise {\n"
    "      score mean(item 4 of units where 任务.人 > 0)\n"
    "    }\n"
    "  }\n"
    "}\n"
    "penalty \"二\" {\n"
    "  item 罚 \"罚\" {\n"
    "    score min(上半年.人数, 3) * 0.5 + (if not 全年.有窗口 then 1 else 0) + 0.01 / (人数 - 99)\n"
    "  }\n"
    "}\n"
    "bonus \"三\" {\n"
    "  item 加 \"加\" 2.5 from 0 {\n"
    "    add 1 if unit.类型 is 园区\n"
    "    add by 职务 { 无: 0, 副: 0.5, 正: 1 }\n"
    "    add 0.5 if 人数 < 全年.人数 or 人数 > 10\n"
    "    add 1 if 上半年.双缺口 != 全年.双缺口 and count(item 4 of units) >= 1\n"
    "    add 0.25 if sum(item 5 of units where unit.类型 is 园区 or 有窗口) > 500\n"
    "    add round(金额 / 7, 1, half_even) / 100\n"
    "    add 0.5 if 有窗口 and rank(金额 among units where 有窗口, ties best) <= 2\n"
    "    add 0.25 if rank(金额 + 完成率 among units, ties dense, lowest first) = 1\n"
    "    add 0.125 if 金额 > mean(金额 of units where unit.类型 is 园区)\n"
    "    add 0.0625 if 金额 = max(金额 of units) or 金额 = min(金额 of units where 有窗口)\n"
    "    add 0.03125 if 金额 >= percentile(金额 of units, 完成率)\n"
    "    add 0.015625 if -人数 < -3 and 3 < 人数 and max(3, 金额) > max(人数, 2) and 金额 - 1 >= 人数\n"
    "    add 0.0078125 if -金额 <= -100 or max(金额, 人数) < 50 or min(2, 人数) > 1\n"
    "  }\n"
    "}\n"
    "result 总分 = round(0.3 * 上半年 + 0.7 * 全年, 2, half_up)\n"
    "result 差额 = 全年 - 上半年 + 全年.双缺口 + 上半年.进度\n"
    "outcome 资格 = 等次 is 好 and 全年.有窗口\n"
    "outcome 比 = round(全年.金额 / 3, 3, down)\n"
    "outcome 又 = (资格 or false) and true\n";

/* The grade and the first outcome, in two forms. The plain one leaves a
** fault in the middle of a group of lanes where it is: a grade quota
** scores every unit before the first is graded, so its fault would stop
** the first unit (same_first_error). The other has a veto on each and a
** quota, whose grades the batch reads from that pass (QUOTA_GRADE). */
static const char grade_plain[] =
    "grade 等次 of 总分 { 好 >= 30  中 > 20  差 otherwise }\n"
    "outcome 奖 = 1000 * by 等次 { 好: 100%, 中: 50%, 差: 0% }\n";
static const char grade_quota[] =
    "grade 等次 of 总分 {\n"
    "  veto if 全年.人数 > 5 and not 全年.有窗口 -> 差\n"
    "  好 >= 30 at most 40% by 总分, ties by 全年.金额, then unit order\n"
    "  中 > 20  差 otherwise\n"
    "}\n"
    "outcome 奖 = 1000 * by 等次 { 好: 100%, 中: 50%, 差: 0% }\n"
    "  veto if 全年.职务 is 正 and 全年.人数 = 0 -> 0\n"
    "outcome 名次 = rank(总分 among units, ties best) + max(总分 of units where 全年.有窗口) / 1000\n";

/* A small generator with a fixed seed: the same data every run. */
static unsigned long long seed;

static int rnd(int n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((seed >> 33) % (unsigned long long)n);
}

enum Fault { CLEAN, BLANK_READ, DIV_ZERO, BAD_INDEX, BLANK_PLAIN };

/* A 园区 reads 加班 (item 5); unit 0 is one, and so is a BLANK_PLAIN unit. */
static bool is_park(enum Fault fault, int at, int u)
{
    return u % 7 == 3 || u == 0 || (fault == BLANK_PLAIN && u == at);
}

/* Writes the rubric and its data; unit `at` gets the fault. */
static void write_case(enum Fault fault, int at)
{
    seed = 42;
    FILE *f = open_in_dir("rules.kh");
    fputs(rules, f);
    fputs(fault == CLEAN ? grade_quota : grade_plain, f);
    fclose(f);

    f = open_in_dir("units.csv");
    fputs("单位,类型\n", f);
    for (int u = 0; u < NUNITS; u++) fprintf(f, "单位%03d,%s\n", u, is_park(fault, at, u) ? "园区" : "乡镇");
    fclose(f);

    f = open_in_dir("task.csv");
    fputs("单位,目标,人\n", f);
    for (int u = 0; u < NUNITS; u++)
        if (u % 5 != 2) /* unit 0, the first, is in the cohort of item 4 */
            fprintf(f, "单位%03d,%d.%d,%d\n", u, rnd(300), rnd(10), u == 0 ? 4 : u % 3 == 0 ? 0 : rnd(9));
    fclose(f);

    f = open_in_dir("facts.csv");
    fputs("单位,期别,人数,有窗口,有档案,完成率,金额,职务,备注", f);
    for (int m = 1; m <= 12; m++) fprintf(f, ",%d月", m);
    fputs(",选月,加班,补贴\n", f);
    static const char *const roles[] = { "无", "副", "正" };
    static const char *const notes[] = { "好", "一般", "坏" };
    for (int u = 0; u < NUNITS; u++) {
        for (int per = 0; per < 2; per++) {
            bool window = rnd(6) != 0;
            int people = rnd(7);
            if (fault == DIV_ZERO && u == at && per == 1) people = 99;
            fprintf(f, "单位%03d,%s,", u, per ? "全年" : "上半年");
            if (!(fault == BLANK_READ && u == at && per == 1)) fprintf(f, "%d", people);
            /* 有档案 is blank where 有窗口 is 否: 'and' never reads it */
            fprintf(f, ",%s,%s,%d.%d%%,%d.%02d,%s,%s", window ? "是" : "否", window ? (rnd(4) ? "是" : "否") : "",
                    rnd(101) % 101, 0, rnd(400), rnd(100), roles[rnd(3)], notes[rnd(3)]);
            for (int m = 1; m <= 12; m++) {
                if (per == 0 && m > 6) fputs(",", f);   /* unread in 上半年 */
                else fprintf(f, ",%d", rnd(5));
            }
            int month = 1 + rnd(per ? 12 : 6);
            if (fault == BAD_INDEX && u == at && per == 0) month = 13;
            fprintf(f, ",%d,", month);
            /* 加班 is read only for a 园区, 补贴 only in 全年 with a window:
            ** blank elsewhere, on rows the fast path stores whole */
            bool blank_read = fault == BLANK_PLAIN && u == at && per == 1;
            if ((is_park(fault, at, u) || rnd(3) == 0) && !blank_read) fprintf(f, "%d", rnd(6));
            fputs(",", f);
            if (per == 1 ? window || rnd(2) : rnd(4) == 0) fprintf(f, "%d.%02d", rnd(50), rnd(100));
            fputs("\n", f);
        }
    }
    fclose(f);
}

static bool same_value(Value a, Value b)
{
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case V_NUM: return num_eq(a.as.num, b.as.num);
    case V_BOOL: return a.as.b == b.as.b;
    case V_ENUM: return a.as.e == b.as.e;
    default: return false;
    }
}

/* What the batch path left to run_plain, at the end of compare_paths: the
** units eval_unit scored alone, and the units a group dropped. A test says
** how many it means; any other fallback fails it (an opcode the batch
** stopped computing would pass every score check by falling back). */
typedef struct Fallbacks {
    long alone, dropped;
} Fallbacks;

static Fallbacks fallbacks_of(const Eval *ev)
{
    return (Fallbacks){ eval_units_alone(ev), eval_batch_dropped(ev) };
}

static void expect_fallbacks(Fallbacks got, long alone, long dropped)
{
    ck_assert_msg(got.alone == alone && got.dropped == dropped,
                  "the batch left %ld units to run_plain (%ld dropped by a group); the test expects %ld (%ld)",
                  got.alone, got.dropped, alone, dropped);
}

/* Scores every unit both ways, in order, up to the first failure; returns
** the unit that failed, or -1. *fb: what the batch path left to run_plain. */
static int compare_paths(Fallbacks *fb)
{
    char path[128];
    snprintf(path, sizeof path, "%s/rules.kh", dir);
    capture();
    Program *p = compile_rubric(path);
    char *msg = captured();
    ck_assert_msg(p != NULL, "%s", msg);
    free(msg);
    snprintf(path, sizeof path, "%s/facts.csv", dir);
    capture();
    FactData *facts = facts_load(path, CSV_ENC_AUTO, &p->schema, p->units);
    msg = captured();
    ck_assert_msg(facts != NULL, "%s", msg);
    free(msg);
    Eval *fast = eval_new(p, facts), *slow = eval_new(p, facts);
    ck_assert(fast && slow);
    UnitScores *a = eval_scores_new(p), *b = eval_scores_new(p);
    int np = p->nperiods;
    for (int u = 0; u < p->units->n; u++) {
        capture();
        bool oka = eval_unit(fast, u, a);
        char *ma = captured();
        capture();
        bool okb = eval_unit_traced(slow, u, b, trace_new(p, u));
        char *mb = captured();
        ck_assert_msg(oka == okb, "unit %d: batch %d, run_plain %d\n%s\n%s", u, oka, okb, ma, mb);
        ck_assert_str_eq(ma, mb);
        free(ma);
        free(mb);
        *fb = fallbacks_of(fast);
        if (!oka) return u;
        for (int i = 0; i < np * p->nitems; i++)
            ck_assert_msg(num_eq(a->items[i], b->items[i]), "unit %d item %d: %s vs %s", u, i,
                          num_to_string(a->items[i]), num_to_string(b->items[i]));
        for (int i = 0; i < np * p->nsections; i++) ck_assert(num_eq(a->sections[i], b->sections[i]));
        for (int i = 0; i < np; i++) ck_assert(num_eq(a->periods[i], b->periods[i]));
        for (int i = 0; i < p->nresults; i++) ck_assert(same_value(a->results[i], b->results[i]));
        for (int i = 0; i < p->ngrades; i++) ck_assert(same_value(a->grades[i], b->grades[i]));
        for (int i = 0; i < p->noutcomes; i++) ck_assert(same_value(a->outcomes[i], b->outcomes[i]));
        /* what eval_for_unit sees after each path */
        if (p->ngrades) {
            Value ka, kb;
            ck_assert(eval_for_unit(fast, u, p->grades[0].key, &ka));
            ck_assert(eval_for_unit(slow, u, p->grades[0].key, &kb));
            ck_assert(same_value(ka, kb));
        }
    }
    return -1;
}

START_TEST(same_scores)
{
    write_case(CLEAN, -1);
    Fallbacks fb;
    ck_assert_int_eq(compare_paths(&fb), -1);
    expect_fallbacks(fb, 0, 0);   /* every unit, every opcode, in the batch */
}
END_TEST

START_TEST(same_first_error)
{
    /* each fault in the middle of a group of lanes */
    static const enum Fault faults[] = { BLANK_READ, DIV_ZERO, BAD_INDEX, BLANK_PLAIN };
    static const int at[] = { 70, 100, 131, 90 };
    /* 90's item 5 is read by the cohort of item 加, which unit 0 needs first */
    static const int failing[] = { 70, 100, 131, 0 };
    for (int i = 0; i < 4; i++) {
        write_case(faults[i], at[i]);
        Fallbacks fb;
        ck_assert_int_eq(compare_paths(&fb), failing[i]);
        /* the faulty unit alone, its group's others batched; a cohort that
        ** fails drops the group it was computed for */
        expect_fallbacks(fb, 1, faults[i] == BLANK_PLAIN ? 64 : 1);
    }
}
END_TEST

/* A sweep sets a param's constant and evaluates the params again, without
** eval_reset when no cohort is reached: scores taken from the batch must
** be those of the new value, as a fresh Eval gives them. */
START_TEST(params_changed)
{
    write_case(CLEAN, -1);
    char path[128];
    snprintf(path, sizeof path, "%s/rules.kh", dir);
    Program *p = compile_rubric(path);
    snprintf(path, sizeof path, "%s/facts.csv", dir);
    FactData *facts = facts_load(path, CSV_ENC_AUTO, &p->schema, p->units);
    ck_assert(p && facts);
    int k = -1;
    for (int i = 0; i < p->nparams; i++)
        if (strcmp(p->params[i].name, "标准") == 0) k = i;
    ck_assert_int_ge(k, 0);
    Chunk *ch = p->params[k].chunk;
    Eval *ev = eval_new(p, facts);
    UnitScores *a = eval_scores_new(p), *b = eval_scores_new(p);
    for (int u = 0; u < p->units->n; u++) ck_assert(eval_unit(ev, u, a));
    ch->consts[chunk_read_u16(ch->code + 1)] = val_num(num_int(5));
    ck_assert(eval_params(ev));
    Eval *fresh = eval_new(p, facts);
    /* first a unit of the group scored last, then all of them in order */
    for (int j = -1; j < p->units->n; j++) {
        int u = j < 0 ? p->units->n - 1 : j;
        ck_assert(eval_unit(ev, u, a));
        ck_assert(eval_unit(fresh, u, b));
        for (int i = 0; i < p->nperiods * p->nitems; i++) ck_assert(num_eq(a->items[i], b->items[i]));
        ck_assert(same_value(a->results[0], b->results[0]));
    }
    /* the last unit asked for out of order, once on each; nothing dropped */
    expect_fallbacks(fallbacks_of(ev), 1, 0);
    expect_fallbacks(fallbacks_of(fresh), 1, 0);
}
END_TEST

/* ---- limits: the batch keeps them as run_plain does ---------------------- */

/* 70 units (a full group and a partial one) with 人数 = the unit's number,
** except unit `at`, whose 人数 is `value`; then rules. */
static void write_limit_case(int at, const char *value, const char *rules_text)
{
    FILE *f = open_in_dir("units.csv");
    fputs("单位\n", f);
    for (int u = 0; u < 70; u++) fprintf(f, "镇%d\n", u);
    fclose(f);
    f = open_in_dir("facts.csv");
    fputs("单位,期别,人数\n", f);
    for (int u = 0; u < 70; u++)
        for (int per = 0; per < 2; per++)
            fprintf(f, "镇%d,%s,", u, per ? "全年" : "上半年"), fprintf(f, u == at ? "%s\n" : "%.0s%d\n", value, u);
    fclose(f);
    f = open_in_dir("rules.kh");
    fputs("rubric \"限\"\nunits from \"units.csv\"\nperiod 上半年, 全年\nfact 人数 : count\n", f);
    fputs(rules_text, f);
    fclose(f);
}

/* Forty lets, each reading the one before twice in the other period, and
** a loop of 100 turns per 人数: the batch scores every unit itself (its
** frames of other periods keep lets as run_plain's do; read afresh each
** time, the chain took 2^40 runs). */
static const char *chain_rules(void)
{
    static char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "let a0 = 人数\n");
    for (int i = 1; i <= 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "let a%d = 全年.a%d + 全年.a%d\n", i, i - 1, i - 1);
    snprintf(text + n, sizeof text - n, "%s",
             "section \"一\" 10 {\n"
             "  item 1 \"链\" 10 { score a40 / 1099511627776 }\n"
             "  item 2 \"圈\" 10 from 0 { add min(sum(1 for m in 1..人数 * 100), 1000) / 100 }\n"
             "}\n"
             "result 合计 = 全年.a40\n");
    return text;
}

START_TEST(limits_kept_in_batch)
{
    write_limit_case(-1, "", chain_rules());
    Fallbacks fb;
    ck_assert_int_eq(compare_paths(&fb), -1);
    expect_fallbacks(fb, 0, 0);
}
END_TEST

/* Unit 67, in the second group of 64, fails at a limit: both paths stop
** there with the same message, and the batch scored the first group. */
static void fails_at_67(const char *value, const char *rules_text)
{
    write_limit_case(67, value, rules_text);
    Fallbacks fb;
    ck_assert_int_eq(compare_paths(&fb), 67);
    /* the second group (units 64..69) dropped whole; 64..67 asked for alone */
    expect_fallbacks(fb, 67 - 64 + 1, 70 - 64);
}

/* A loop that would run for hours: the group runs out of steps, its units
** are scored alone, and unit 67 gets run_plain's error. */
START_TEST(step_budget_in_batch)
{
    fails_at_67("1000000000000", chain_rules());
}
END_TEST

/* A number past the size limit (squared 19 times): the same, through
** num.c's handler, which abandons the group instead of raising the error. */
START_TEST(number_size_in_batch)
{
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text, "let b0 = if 人数 > 100 then 人数 + 7/3 else 1\n");
    for (int i = 1; i <= 19; i++) n += (size_t)snprintf(text + n, sizeof text - n, "let b%d = b%d * b%d\n", i, i - 1, i - 1);
    snprintf(text + n, sizeof text - n, "section \"一\" 10 { item 1 \"方\" 10 { score min(b19, 10) } }\n");
    fails_at_67("101", text);
}
END_TEST

/* The loop in an item a cohort reads: the group is abandoned in the middle
** of the cohort, which run_plain then computes from the start (a cohort
** left marked busy would be reported as a cycle). */
START_TEST(step_budget_in_cohort)
{
    static const char cohort[] =
        "section \"一\" 10 {\n"
        "  item 1 \"圈\" 10 from 0 { add min(sum(1 for m in 1..人数), 10) }\n"
        "  item 2 \"均\" 10 { score mean(item 1 of units) }\n"
        "}\n";
    write_limit_case(67, "1000000000000", cohort);
    Fallbacks fb;
    ck_assert_int_eq(compare_paths(&fb), 0);
    expect_fallbacks(fb, 1, 64);  /* the first group, abandoned in the cohort */
    write_limit_case(-1, "", cohort);
    ck_assert_int_eq(compare_paths(&fb), -1);
    expect_fallbacks(fb, 0, 0);
}
END_TEST

/* ---- the bytecode the differential tests run ------------------------------- */

/* Every chunk of a program, in one list. */
static int all_chunks(const Program *p, const Chunk **out, int max)
{
    int n = 0;
#define ADD(ch) do { if ((ch) && n < max) out[n++] = (ch); } while (0)
    for (int i = 0; i < p->nparams; i++) ADD(p->params[i].chunk);
    for (int i = 0; i < p->nlets; i++) ADD(p->lets[i].chunk);
    for (int i = 0; i < p->nitems; i++) ADD(p->items[i].chunk);
    for (int i = 0; i < p->ncohorts; i++) ADD(p->cohorts[i].cond);
    for (int i = 0; i < p->ncohorts; i++) ADD(p->cohorts[i].value);
    for (int i = 0; i < p->nresults; i++) ADD(p->results[i].chunk);
    for (int i = 0; i < p->ngrades; i++) ADD(p->grades[i].chunk);
    for (int i = 0; i < p->noutcomes; i++) ADD(p->outcomes[i].chunk);
    for (int i = 0; i < p->ngrades; i++) {
        const ValueDef *g = &p->grades[i];
        ADD(g->raw);
        for (int v = 0; v < g->nvetoes; v++) ADD(g->vetoes[v].cond);
        for (int b = 0; b < g->nbands; b++) {
            const QuotaDef *q = g->bands[b].quota;
            if (!q) continue;
            ADD(q->share);
            for (int k = 0; k < q->nkeys; k++) ADD(q->keys[k]);
        }
    }
    for (int i = 0; i < p->noutcomes; i++)
        for (int v = 0; v < p->outcomes[i].nvetoes; v++) ADD(p->outcomes[i].vetoes[v].cond);
#undef ADD
    return n;
}

/* The rubric of same_scores holds every opcode but NO_BAND (its grade has
** an otherwise band), POP (the compiler writes none) and SELF, SELF_SET, so "the same scores, no fallback" covers each case of
** the batch loop; and chunk_verify passes what the compiler wrote. */
START_TEST(every_opcode_in_the_rubric)
{
    write_case(CLEAN, -1);
    char path[128];
    snprintf(path, sizeof path, "%s/rules.kh", dir);
    Program *p = compile_rubric(path);
    ck_assert(p != NULL);
    const Chunk *chunks[512];
    int n = all_chunks(p, chunks, 512);
    bool seen[OP__COUNT] = { false };
    for (int k = 0; k < n; k++) {
        const char *bad = chunk_verify(chunks[k]);
        ck_assert_msg(bad == NULL, "%s: %s", chunks[k]->name, bad);
        for (uint32_t at = 0; at < chunks[k]->len;) {
            Instr in = instr_at(chunks[k]->code, at);
            seen[in.op] = true;
            at = in.next;
        }
    }
    /* SELF_SET and SELF (本单位.X in a where) leave the batch for run_plain,
    ** which makes such a list for each reader: lang/where-reader.test */
    for (int op = 0; op < OP__COUNT; op++)
        ck_assert_msg(seen[op] == (op != OP_NO_BAND && op != OP_POP && op != OP_SELF_SET && op != OP_SELF),
                      "opcode %s %s", op_names[op], seen[op] ? "seen" : "not used");
}
END_TEST

/* chunk_verify refuses what the interpreters would misrun. */
START_TEST(verify_refuses_bad_bytecode)
{
    Loc none = { NULL, 0, 0 };
    Chunk *c = chunk_new("test");
    int k = chunk_add_const(c, val_num(num_int(1)));
    chunk_emit_op(c, OP_CONST, none);          /* 0: push K[0]      depth 1 */
    chunk_emit_u16(c, (uint16_t)k);
    chunk_emit_op(c, OP_TRUE, none);           /* 3: push true      depth 2 */
    chunk_emit_op(c, OP_AND_JUMP, none);       /* 4: keeps it when jumping */
    chunk_emit_u16(c, 1);                      /*    → 8 at depth 2, falls to 7 at depth 1 */
    chunk_emit_op(c, OP_TRUE, none);           /* 7: depth 2 */
    chunk_emit_op(c, OP_ADD, none);            /* 8: depth 1 (both paths arrive at 2) */
    chunk_emit_op(c, OP_RETURN, none);         /* 9 */
    c->max_stack = 2;
    ck_assert_ptr_null(chunk_verify(c));
    c->max_stack = 1;
    ck_assert_str_eq(chunk_verify(c), "at 0003: the stack grows past max_stack");
    c->max_stack = 2;
    c->code[8] = OP_POP;                       /* depth 1 at 9: RETURN has a value still */
    ck_assert_ptr_null(chunk_verify(c));
    c->code[7] = OP_POP;                       /* 8 reached at depths 2 and 0 */
    ck_assert_str_eq(chunk_verify(c), "at 0008: two paths arrive with different stack depths");
    c->code[7] = OP_TRUE;
    c->code[9] = OP_POP;                       /* the last instruction falls off the end */
    ck_assert_str_eq(chunk_verify(c), "at 0009: a path off the end or into an instruction");
    c->code[9] = OP_RETURN;
    c->code[5] = 3;                            /* 7 + 3 = 10: past the end */
    ck_assert_str_eq(chunk_verify(c), "at 0004: a path off the end or into an instruction");
    c->code[5] = 1;
    c->code[1] = 5;                            /* a constant that is not there */
    ck_assert_str_eq(chunk_verify(c), "at 0000: a constant out of range");
    c->code[1] = 0;
    c->code[3] = OP__COUNT;                    /* not an opcode */
    ck_assert_str_eq(chunk_verify(c), "at 0003: an unknown opcode or a cut instruction");
    c->code[3] = OP_TRUE;
    c->len = 6;                                /* AND_JUMP cut after one operand byte */
    ck_assert_str_eq(chunk_verify(c), "at 0004: an unknown opcode or a cut instruction");
}
END_TEST

Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, same_scores);
    tcase_add_test(tc, same_first_error);
    tcase_add_test(tc, params_changed);
    tcase_add_test(tc, limits_kept_in_batch);
    tcase_add_test(tc, step_budget_in_batch);
    tcase_add_test(tc, number_size_in_batch);
    tcase_add_test(tc, step_budget_in_cohort);
    tcase_add_test(tc, every_opcode_in_the_rubric);
    tcase_add_test(tc, verify_refuses_bad_bytecode);
    suite_add_tcase(s, tc);
    return s;
}
