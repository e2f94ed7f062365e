#!/usr/bin/env python3
"""score.py — reference scorer for the 2021 Xinjian rubric (test oracle).

    score.py [--detail] [--set NAME=VALUE]... DATADIR FACTS
    score.py --compare [--set NAME=VALUE]... DATADIR FACTS
    score.py --sweep NAME=LOW..HIGH[:STEP] [--set NAME=VALUE]... DATADIR FACTS

DATADIR holds units.csv, annex3.csv, annex4.csv and annex5.csv (as in
rules/xinjian-2021/); FACTS is a fact CSV (as examples/xinjian-2021/facts.csv).

What-if (the oracle of `kaohe run --set`, `kaohe whatif`): --set changes one
of the measures below, by the name the rule files give it; NAME.KEY names a
period (时序进度.过程), a grade's band (等次.良好) or a subsidy rate
(能力建设补助.良好). VALUE is a decimal, or a percentage such as 85%.
--compare prints the reading without changes against the reading with them,
unit by unit, in the CSV layout of `kaohe whatif --format csv`; --sweep
prints, for each value, the units per grade and the subsidy totals, in the
layout of `kaohe whatif --sweep … --format csv`.

This is an independent, deliberately plain implementation of
/work/shared/policy/xinjian-2021.md (the agreed reading of 新府办发〔2021〕53号),
written to check the C interpreter against. It uses exact rationals
(fractions.Fraction) everywhere and never binary floating point.

Output on stdout, UTF-8 CSV with LF line ends:
  summary (default): 单位,过程考核,年度考核,综合得分,等次,能力建设补助,评先评优资格,协管员岗位补助
  --detail:          单位,期别,项目,名称,分值,得分
                     (per unit, period 过程 then 年度: items 1..25, 问效, 加分1..3)
Numbers are printed with exactly two decimals; booleans as 是/否.
Errors go to stderr as `file:row: message`; exit status 1.
"""
import csv
import io
import os
import re
import sys
from fractions import Fraction as F

# ---------------------------------------------------------------------------
# The measures of the reading (policy page: items 2, 25, bonus 3, "Periods"
# and "Results"), by the names --set uses. Per-period ones are dicts.
PERIODS = ["过程", "年度"]
GRADE_NAMES = ["优秀", "良好", "合格", "不合格"]
MEASURES = {
    "人员标准": F(3),                              # staff standard (item 2, bonus 3)
    "每月评价标准": F(2),                          # ratings a month (item 25)
    "时序进度": {"过程": F(1, 2), "年度": F(1)},
    "应报季度数": {"过程": F(2), "年度": F(4)},
    "考核月数": {"过程": F(6), "年度": F(12)},
    "过程权重": F(3, 10),
    "年度权重": F(7, 10),
    "等次": {"优秀": F(90), "良好": F(80), "合格": F(70)},   # lower bounds; below 合格: 不合格
    "补助基数": F(90000),                          # 能力建设补助 per window at 100%
    "能力建设补助": {"优秀": F(1), "良好": F(9, 10), "合格": F(7, 10), "不合格": F(0)},
    "协管员月补助": F(300),                        # 协管员岗位补助 per person per month
}


def period_params(p):
    """时序进度, 应报季度数, 考核月数 of period p."""
    m = MEASURES
    return m["时序进度"][p], m["应报季度数"][p], int(m["考核月数"][p])

ITEMS = [  # (number, name, points)
    (1, "服务场所及设施设备", 5), (2, "专窗人员队伍配备", 5), (3, "协管员队伍建设", 2),
    (4, "制度建设", 1), (5, "目标管理", 2), (6, "民生工程", 24),
    (7, "巩固脱贫攻坚成果", 10), (8, "退捕渔民就业帮扶和养老保障", 10),
    (9, "就业失业登记", 2), (10, "职业介绍", 2), (11, "大学生就业", 2),
    (12, "劳动力转移就业", 2), (13, "困难群体就业", 2), (14, "就业培训", 2),
    (15, "创业服务", 3), (16, "开发就业岗位", 2), (17, "社保服务", 8),
    (18, "劳动关系服务", 2), (19, "社保卡服务", 2), (20, "政策宣传宣讲", 2),
    (21, "基础台帐", 3), (22, "统计报表", 2), (23, "信息上报", 1),
    (24, "“放管服”改革", 2), (25, "扫码评价", 2),
]
EXTRA = [  # (项目, 名称, 分值 or None)
    ("问效", "工作问效", None), ("加分1", "表彰", 2), ("加分2", "专窗负责人兼任", 2),
    ("加分3", "专职人员超配", 2),
]

# Fact columns and their types, in the order of the policy page's table.
B, C, D, P, E = "bool", "count", "decimal", "percent", "enum"
FACT_COLUMNS = [
    ("有独立窗口", B), ("有档案室", B), ("服务环境良好", B), ("档案室专人管理", B),
    ("办公设备齐全", B), ("接入金保专网", B), ("专网专人负责", B),
    ("建立专职队伍", B), ("专窗人员数", C),
    ("建立协管员队伍", B), ("协管员台账", B), ("协管员有效履职", B), ("协管员人数", C),
    ("制度健全", B), ("张贴办事告知", B),
    ("年度工作计划", B), ("目标任务分解", B), ("管理考核制度", B),
    ("新增城镇就业", C), ("新增转移农村劳动力", C), ("省内新增转移农村劳动力", C),
    ("岗位技能培训", C), ("创业担保贷款", D), ("创业担保贷款回收率", P),
    ("城乡居民养老保险参保", C),
    ("就业监测季度数", C), ("未就业脱贫劳动力已帮扶", C), ("公益性岗位签订协议", C),
    ("退捕渔民1131落实人数", C),
    ("登记证工作开展", B), ("登记证录入系统", B), ("登记证完成率", P),
    ("职业介绍开展", B), ("职业介绍完成率", P),
    ("大学生录入系统", B), ("掌握大学生情况", B), ("大学生针对性服务", B), ("大学生完成率", P),
    ("劳动力录入系统", B), ("掌握劳动力情况", B), ("劳动力针对性服务", B), ("企业用工监测", B),
    ("劳动力完成率", P),
    ("困难群体录入系统", B), ("困难群体针对性服务", B), ("零就业家庭动态清零", B),
    ("困难群体完成率", P),
    ("培训开展", B), ("培训录入系统", B), ("培训完成率", P),
    ("创业服务开展", B), ("创业贷款逾期", B), ("贷后跟踪", B), ("创业服务完成率", P),
    ("岗位开发开展", B), ("岗位开发到位", B),
    ("社保服务开展", B), ("社保服务到位", B),
    ("农民工上访事件", C), ("督促签订合同", B), ("建立调解机构", B), ("劳动关系完成率", P),
    ("社保卡完成率", P),
    ("设立宣传栏", B), ("专题政策宣讲", B), ("宣传完成率", P),
    ("建立台账", B), ("台账信息录入", B), ("台账动态管理", B), ("台账完成率", P),
    ("统计资料齐全", B), ("统计数据真实", B), ("统计准确", B), ("统计上报及时", B),
    ("信息上报季度数", C),
    ("只跑一次", B), ("一体化系统办件", B), ("放管服完成率", P),
] + [(f"{m}月评价数", C) for m in range(1, 13)] + [
    ("不满意评价数", C), ("曝光投诉次数", C),
    ("省级表彰次数", C), ("市级表彰次数", C), ("县级表彰次数", C),
    ("专窗负责人职务", E),
]
ROLE_MEMBERS = ("无", "副主任", "主任")


class InputError(Exception):
    pass


# ---------------------------------------------------------------------------
# Numbers

def round2(x):
    """Round half-up (half away from zero) to 2 decimals, exactly."""
    if x < 0:
        return -round2(-x)
    n = x * 100
    q, r = divmod(n.numerator, n.denominator)      # n = q + r/den, 0 <= r < den
    if 2 * r >= n.denominator:
        q += 1
    return F(q, 100)


def fmt2(x):
    """A value that is a multiple of 0.01, printed with exactly 2 decimals."""
    if (x * 100).denominator != 1:
        raise AssertionError(f"fmt2 of an unrounded value {x}")
    cents = int(x * 100)
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def ratio(actual, target):
    """min(1, actual / target); a target of 0 counts as complete."""
    if target == 0:
        return F(1)
    return min(F(1), F(actual) / target)


def yes(b):
    return 1 if b else 0


def no(b):
    return 0 if b else 1


# ---------------------------------------------------------------------------
# Reading

def read_csv(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 (byte {e.start})")
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise InputError(f"{path}: empty file")
    return rows


def clean_name(s):
    return re.sub(r"\s+", "", s)


class Units:
    def __init__(self, path):
        rows = read_csv(path)
        hdr = rows[0]
        for need in ("单位", "类型", "别名", "考核"):
            if need not in hdr:
                raise InputError(f"{path}:1: no column {need}")
        ix = {h: i for i, h in enumerate(hdr)}
        self.names, self.kind, self.lookup = [], {}, {}
        for rn, r in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in r):
                continue
            name = clean_name(r[ix["单位"]])
            flag = r[ix["考核"]].strip() or "是"
            if flag not in ("是", "否"):
                raise InputError(f"{path}:{rn}: 考核 must be 是 or 否")
            aliases = [clean_name(a) for a in re.split(r"[、;,，；]", r[ix["别名"]]) if a.strip()]
            target = name if flag == "是" else None
            for n in [name] + aliases:
                if n in self.lookup:
                    raise InputError(f"{path}:{rn}: name {n} given twice")
                self.lookup[n] = target
            if flag == "是":
                self.names.append(name)
                self.kind[name] = r[ix["类型"]].strip()

    def find(self, raw, where):
        """Canonical name; None for a known non-assessed name."""
        n = clean_name(raw)
        if n not in self.lookup:
            raise InputError(f"{where}: unknown unit '{raw}'")
        return self.lookup[n]


def read_table(path, units, key, total_name, required):
    """{unit: {column: Fraction}}; blank cells are 0; non-assessed rows and the
    total row are skipped."""
    rows = read_csv(path)
    hdr = rows[0]
    if not hdr or hdr[0] != key:
        raise InputError(f"{path}:1: first column must be {key}")
    out = {}
    for rn, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        if clean_name(r[0]) == total_name:
            continue
        u = units.find(r[0], f"{path}:{rn}")
        vals = {}
        for h, cell in zip(hdr[1:], r[1:]):
            cell = cell.strip()
            if cell == "":
                vals[h] = F(0)
            elif re.fullmatch(r"\d+(\.\d+)?", cell):
                vals[h] = F(cell)
            else:
                raise InputError(f"{path}:{rn}: {h}: '{cell}' is not a number")
        if u is None:
            continue
        if u in out:
            raise InputError(f"{path}:{rn}: second row for {u}")
        out[u] = vals
    if required:
        for u in units.names:
            if u not in out:
                raise InputError(f"{path}: no row for {u}")
    return out


def parse_fact(kind, text, where):
    t = text.strip()
    if kind == B:
        v = t.lower()
        if v in ("是", "1", "true"):
            return True
        if v in ("否", "0", "false"):
            return False
        raise InputError(f"{where}: '{text}' is not a boolean (是/否)")
    if kind == C:
        if not re.fullmatch(r"\d+", t):
            raise InputError(f"{where}: '{text}' is not a whole number >= 0")
        return int(t)
    if kind == D:
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
            raise InputError(f"{where}: '{text}' is not a decimal number")
        return F(t)
    if kind == P:
        m = re.fullmatch(r"(\d+(\.\d+)?)%?", t)
        if not m or F(m.group(1)) > 100:
            raise InputError(f"{where}: '{text}' is not a percentage 0..100")
        return F(m.group(1))          # the number, 0..100
    if kind == E:
        if t not in ROLE_MEMBERS:
            raise InputError(f"{where}: '{text}' is not one of {'/'.join(ROLE_MEMBERS)}")
        return t
    raise AssertionError(kind)


def read_facts(path, units):
    rows = read_csv(path)
    hdr = [h.strip() for h in rows[0]]
    ix = {}
    for i, h in enumerate(hdr):
        if h in ix:
            raise InputError(f"{path}:1: column {h} appears twice")
        ix[h] = i
    for need in ["单位", "期别"] + [c for c, _ in FACT_COLUMNS]:
        if need not in ix:
            raise InputError(f"{path}:1: no column {need}")
    facts = {}
    for rn, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        r = r + [""] * (len(hdr) - len(r))
        where = f"{path}:{rn}"
        u = units.find(r[ix["单位"]], where)
        if u is None:
            raise InputError(f"{where}: {r[ix['单位']]} is not an assessed unit")
        period = r[ix["期别"]].strip()
        if period not in PERIODS:
            raise InputError(f"{where}: 期别 '{period}' is not 过程 or 年度")
        if (u, period) in facts:
            raise InputError(f"{where}: second row for {u} {period}")
        months = period_params(period)[2]
        vals = {}
        for col, kind in FACT_COLUMNS:
            cell = r[ix[col]]
            m = re.fullmatch(r"(\d+)月评价数", col)
            if cell.strip() == "":
                if m and int(m.group(1)) > months:
                    vals[col] = None          # not read in this period
                    continue
                raise InputError(f"{where}: {col} is blank")
            vals[col] = parse_fact(kind, cell, f"{where}: {col}")
        facts[(u, period)] = vals
    for u in units.names:
        for p in PERIODS:
            if (u, p) not in facts:
                raise InputError(f"{path}: no row for {u} {p}")
    return facts


# ---------------------------------------------------------------------------
# The items. Each returns the item's exact value before rounding.
# f: facts of one unit-period; ctx: (unit, kind, annex rows, period parameters)

def r_(f, name):
    """r(X) = X完成率 / 100."""
    return f[name + "完成率"] / 100


def item1(f, c):
    if not (f["有独立窗口"] and f["有档案室"]):
        return F(0)
    return F(5 - no(f["服务环境良好"]) - no(f["档案室专人管理"]) - no(f["办公设备齐全"])
             - no(f["接入金保专网"] and f["专网专人负责"]))


def item2(f, c):
    if not f["建立专职队伍"]:
        return F(0)
    return max(F(0), 5 - max(0, MEASURES["人员标准"] - f["专窗人员数"]))


def item3(f, c):
    if not f["建立协管员队伍"]:
        return F(0)
    return 2 - F(1, 2) * no(f["协管员台账"]) - no(f["协管员有效履职"])


def item4(f, c):
    return 1 - F(1, 2) * no(f["制度健全"]) - F(1, 2) * no(f["张贴办事告知"])


def item5(f, c):
    return F(max(0, 2 - no(f["年度工作计划"]) - no(f["目标任务分解"]) - no(f["管理考核制度"])))


def item6(f, c):
    a3, pace = c["a3"], c["pace"]
    total = ratio(f["新增城镇就业"], a3["新增城镇就业"] * pace)
    transfer = min(ratio(f["新增转移农村劳动力"], a3["新增转移农村劳动力"] * pace),
                   ratio(f["省内新增转移农村劳动力"], a3["省内新增转移农村劳动力"] * pace))
    skills = ratio(f["岗位技能培训"], a3["岗位技能培训"] * pace)
    loans = ratio(f["创业担保贷款"], a3["创业担保贷款"] * pace)
    # a rate target: not scaled by 时序进度 (the annex gives 100 for every unit)
    recovery = ratio(f["创业担保贷款回收率"], a3["创业担保贷款回收率"])
    pension = ratio(f["城乡居民养老保险参保"], a3["城乡居民养老保险参保"] * pace)
    return 4 * (total + transfer + skills + loans + recovery + pension)


def item7(f, c):
    a4, pace, quarters = c["a4"], c["pace"], c["quarters"]
    return (4 * ratio(f["就业监测季度数"], quarters)
            + 3 * ratio(f["未就业脱贫劳动力已帮扶"], a4["未就业"] * pace)
            + 3 * ratio(f["公益性岗位签订协议"], a4["公益性岗位人数"] * pace))


def item8_with_task(f, c):
    return 10 * ratio(f["退捕渔民1131落实人数"], c["fisher"] * c["pace"])


def item9(f, c):
    if not (f["登记证工作开展"] and f["登记证录入系统"]):
        return F(0)
    return 2 * r_(f, "登记证")


def item10(f, c):
    if not f["职业介绍开展"]:
        return F(0)
    return 2 * r_(f, "职业介绍")


def item11(f, c):
    if not f["大学生录入系统"]:
        return F(0)
    return (2 - no(f["掌握大学生情况"]) - no(f["大学生针对性服务"])) * r_(f, "大学生")


def item12(f, c):
    if not f["劳动力录入系统"]:
        return F(0)
    park = c["kind"] == "园区"
    base = 2 - no(f["掌握劳动力情况"]) - no(f["劳动力针对性服务"]) \
        - yes(park and not f["企业用工监测"])
    return max(0, base) * r_(f, "劳动力")


def item13(f, c):
    if not f["困难群体录入系统"]:
        return F(0)
    return (2 - no(f["困难群体针对性服务"]) - no(f["零就业家庭动态清零"])) * r_(f, "困难群体")


def item14(f, c):
    if not (f["培训开展"] and f["培训录入系统"]):
        return F(0)
    return 2 * r_(f, "培训")


def item15(f, c):
    if not f["创业服务开展"]:
        return F(0)
    short = f["创业担保贷款"] < c["a3"]["创业担保贷款"] * c["pace"]
    base = 3 - 3 * yes(f["创业贷款逾期"]) - 2 * yes(short) - no(f["贷后跟踪"])
    return max(0, base) * r_(f, "创业服务")


def item16(f, c):
    if not f["岗位开发开展"]:
        return F(0)
    return F(2 - no(f["岗位开发到位"]))


def item17(f, c):
    if not f["社保服务开展"]:
        return F(0)
    return F(8 - 2 * no(f["社保服务到位"]))


def item18(f, c):
    if f["农民工上访事件"] > 0:
        return F(0)
    return (2 - no(f["督促签订合同"]) - no(f["建立调解机构"])) * r_(f, "劳动关系")


def item19(f, c):
    return 2 * r_(f, "社保卡")


def item20(f, c):
    return (2 - no(f["设立宣传栏"]) - no(f["专题政策宣讲"])) * r_(f, "宣传")


def item21(f, c):
    return (3 - no(f["建立台账"]) - no(f["台账信息录入"]) - no(f["台账动态管理"])) * r_(f, "台账")


def item22(f, c):
    falses = sum(no(f[k]) for k in ("统计资料齐全", "统计数据真实", "统计准确", "统计上报及时"))
    return max(F(0), 2 - F(1, 2) * falses)


def item23(f, c):
    missing = max(0, c["quarters"] - f["信息上报季度数"])
    return max(F(0), 1 - F(3, 10) * missing)


def item24(f, c):
    return (2 - no(f["只跑一次"]) - no(f["一体化系统办件"])) * r_(f, "放管服")


def item25(f, c):
    short = sum(max(0, MEASURES["每月评价标准"] - f[f"{m}月评价数"]) for m in range(1, c["months"] + 1))
    return max(F(0), 2 - F(1, 2) * short - F(1, 2) * f["不满意评价数"])


ITEM_FUNCS = {1: item1, 2: item2, 3: item3, 4: item4, 5: item5, 6: item6, 7: item7,
              9: item9, 10: item10, 11: item11, 12: item12, 13: item13, 14: item14,
              15: item15, 16: item16, 17: item17, 18: item18, 19: item19, 20: item20,
              21: item21, 22: item22, 23: item23, 24: item24, 25: item25}


def bonus1(f):
    return min(F(2), 2 * f["省级表彰次数"] + f["市级表彰次数"] + F(1, 2) * f["县级表彰次数"])


def bonus2(f):
    return F({"主任": 2, "副主任": 1, "无": 0}[f["专窗负责人职务"]])


def bonus3(f):
    if not f["建立专职队伍"]:
        return F(0)
    return min(F(2), F(1, 2) * max(0, f["专窗人员数"] - MEASURES["人员标准"]))


# ---------------------------------------------------------------------------

def score(datadir, facts_path):
    units = Units(os.path.join(datadir, "units.csv"))
    a3 = read_table(os.path.join(datadir, "annex3.csv"), units, "单位", "任务数", True)
    a4 = read_table(os.path.join(datadir, "annex4.csv"), units, "乡镇", "汇总", True)
    a5 = read_table(os.path.join(datadir, "annex5.csv"), units, "乡镇", "合计", False)
    facts = read_facts(facts_path, units)
    fisher = {u: a5.get(u, {}).get("需转产人数", F(0)) for u in units.names}

    # items[(unit, period)] = {item number: rounded score}
    items = {}
    for p in PERIODS:
        pace, quarters, months = period_params(p)
        for u in units.names:
            ctx = {"a3": a3[u], "a4": a4[u], "fisher": fisher[u], "kind": units.kind[u],
                   "pace": pace, "quarters": quarters, "months": months}
            f = facts[(u, p)]
            got = {}
            for n, fn in ITEM_FUNCS.items():
                got[n] = round2(fn(f, ctx))
            if fisher[u] > 0:
                got[8] = round2(item8_with_task(f, ctx))
            items[(u, p)] = got
        with_task = [items[(u, p)][8] for u in units.names if fisher[u] > 0]
        if not with_task:
            raise InputError(f"{datadir}: no assessed unit has a fisher task in annex5.csv; "
                             "item 8's average is undefined")
        mean = round2(sum(with_task) / len(with_task))
        for u in units.names:
            if fisher[u] <= 0:
                items[(u, p)][8] = mean

    detail, summary = [], []
    for u in units.names:
        period_score = {}
        for p in PERIODS:
            f = facts[(u, p)]
            got = items[(u, p)]
            penalty = 2 * f["曝光投诉次数"]
            bonuses = [round2(bonus1(f)), round2(bonus2(f)), round2(bonus3(f))]
            for n, name, pts in ITEMS:
                detail.append([u, p, str(n), name, fmt2(F(pts)), fmt2(got[n])])
            extra_scores = [F(-penalty)] + bonuses
            for (key, name, pts), s in zip(EXTRA, extra_scores):
                detail.append([u, p, key, name, "" if pts is None else fmt2(F(pts)), fmt2(s)])
            period_score[p] = sum(got.values()) - penalty + sum(bonuses)
        weights = {"过程": MEASURES["过程权重"], "年度": MEASURES["年度权重"]}
        combined = round2(sum(weights[p] * period_score[p] for p in PERIODS))
        grade = "不合格"
        for g in ("优秀", "良好", "合格"):
            if combined >= MEASURES["等次"][g]:
                grade = g
                break
        rate = MEASURES["能力建设补助"][grade]
        clean = all(facts[(u, p)]["曝光投诉次数"] == 0 for p in PERIODS)
        eligible = grade == "优秀" and clean
        coordinators = facts[(u, "年度")]["协管员人数"]
        summary.append([u, fmt2(period_score["过程"]), fmt2(period_score["年度"]),
                        fmt2(combined), grade, fmt2(MEASURES["补助基数"] * rate),
                        "是" if eligible else "否",
                        fmt2(MEASURES["协管员月补助"] * coordinators * 12)])
    return summary, detail


def decimal(text, where):
    """A value as written on the command line: 4, 0.6, -1, 85%."""
    m = re.fullmatch(r"(-?\d+(\.\d+)?)(%?)", text.strip())
    if not m:
        raise InputError(f"{where}: '{text}' is not a number")
    return F(m.group(1)) / (100 if m.group(3) else 1)


def set_measure(spec):
    """--set NAME[.KEY]=VALUE"""
    name, _, value = spec.partition("=")
    name, _, key = name.strip().partition(".")
    if name not in MEASURES:
        raise InputError(f"--set {spec}: no measure {name}")
    v = decimal(value, f"--set {spec}")
    if isinstance(MEASURES[name], dict):
        if key:
            if key not in MEASURES[name]:
                raise InputError(f"--set {spec}: {name} has no {key}")
            MEASURES[name][key] = v
        else:
            for k in MEASURES[name]:
                MEASURES[name][k] = v
    elif key:
        raise InputError(f"--set {spec}: {name} does not differ by {key}")
    else:
        MEASURES[name] = v


def text(x):
    """An exact value as the shortest decimal: 2, 2.5, 0.0004."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    places = 0
    while (x * 10 ** places).denominator != 1:
        places += 1
        if places > 30:
            raise AssertionError(f"{x} is not a short decimal")
    digits = str(int(x * 10 ** places)).rjust(places + 1, "0")
    whole, frac = digits[:len(digits) - places], digits[len(digits) - places:]
    return sign + whole + ("." + frac if frac else "")


def signed(x):
    return ("+" if x > 0 else "") + fmt2(x)


def compare(datadir, facts_path, changes):
    """The reading as it is against the reading with the changes, in the
    CSV layout of `kaohe whatif --format csv`."""
    base, _ = score(datadir, facts_path)
    for spec in changes:
        set_measure(spec)
    what, _ = score(datadir, facts_path)

    def ranks(rows):
        key = [F(r[3]) for r in rows]
        return [1 + sum(1 for k in key if k > mine) for mine in key]

    rb, rw = ranks(base), ranks(what)
    out = [["单位", "综合得分", "综合得分(方案)", "综合得分(变化)", "等次", "等次(方案)", "名次", "名次(方案)",
            "能力建设补助", "能力建设补助(方案)", "能力建设补助(变化)", "评先评优资格", "评先评优资格(方案)",
            "协管员岗位补助", "协管员岗位补助(方案)", "协管员岗位补助(变化)"]]
    for b, w, kb, kw in zip(base, what, rb, rw):
        out.append([b[0], b[3], w[3], signed(F(w[3]) - F(b[3])), b[4], w[4], str(kb), str(kw),
                    b[5], w[5], signed(F(w[5]) - F(b[5])), b[6], w[6],
                    b[7], w[7], signed(F(w[7]) - F(b[7]))])
    totals = ["合计"] + [""] * 7
    for col in (5, 7):
        sb, sw = sum(F(r[col]) for r in base), sum(F(r[col]) for r in what)
        totals += [fmt2(sb), fmt2(sw), signed(sw - sb)] + ([""] * 2 if col == 5 else [])
    out.append(totals)
    return out


def sweep(datadir, facts_path, spec):
    """For each value of --sweep: units per grade and the two subsidy sums."""
    name, _, rng = spec.partition("=")
    m = re.fullmatch(r"(.+?)\.\.([^:]+)(?::(.+))?", rng.strip())
    if not m:
        raise InputError(f"--sweep {spec}: not LOW..HIGH[:STEP]")
    lo, hi = decimal(m.group(1), "--sweep"), decimal(m.group(2), "--sweep")
    step = decimal(m.group(3), "--sweep") if m.group(3) else F(1)
    out = [[name.strip()] + GRADE_NAMES + ["能力建设补助", "协管员岗位补助"]]
    saved = {k: (dict(v) if isinstance(v, dict) else v) for k, v in MEASURES.items()}
    v = lo
    while v <= hi:
        MEASURES.update({k: (dict(x) if isinstance(x, dict) else x) for k, x in saved.items()})
        set_measure(f"{name}={text(v)}")
        rows, _ = score(datadir, facts_path)
        out.append([text(v)] + [str(sum(1 for r in rows if r[4] == g)) for g in GRADE_NAMES]
                   + [fmt2(sum(F(r[col]) for r in rows)) for col in (5, 7)])
        v += step
    return out


def main(argv):
    args, changes, mode, sweep_spec = [], [], "summary", None
    it = iter(argv[1:])
    for a in it:
        if a in ("--set", "--sweep"):
            value = next(it, None)
            if value is None:
                args = []
                break
            if a == "--set":
                changes.append(value)
            else:
                mode, sweep_spec = "sweep", value
        elif a == "--detail":
            mode = "detail"
        elif a == "--compare":
            mode = "compare"
        else:
            args.append(a)
    if len(args) != 2 or any(a.startswith("-") for a in args):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out = csv.writer(sys.stdout, lineterminator="\n")
    try:
        if mode == "compare":
            out.writerows(compare(args[0], args[1], changes))
            return 0
        for spec in changes:
            set_measure(spec)
        if mode == "sweep":
            out.writerows(sweep(args[0], args[1], sweep_spec))
            return 0
        summary, detail = score(args[0], args[1])
    except InputError as e:
        print(f"score.py: {e}", file=sys.stderr)
        return 1
    if mode == "detail":
        out.writerow(["单位", "期别", "项目", "名称", "分值", "得分"])
        out.writerows(detail)
    else:
        out.writerow(["单位", "过程考核", "年度考核", "综合得分", "等次", "能力建设补助",
                      "评先评优资格", "协管员岗位补助"])
        out.writerows(summary)
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main(sys.argv))
