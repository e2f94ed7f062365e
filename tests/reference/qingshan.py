#!/usr/bin/env python3
"""qingshan.py — reference scorer for the 青山县 2025 rubric (test oracle).

    qingshan.py [--detail] UNITS FACTS      score, CSV on stdout
    qingshan.py --generate SEED UNITS       a random fact file for UNITS, on stdout

The rubric is rules/qingshan-2025/细则.md, an invented county notice of
another shape than the 2021 one: one period, units of two types, a rank
across units, tiers, points by unit type, a comparison with the county
mean, a capped section, capped bonus and penalty groups, a veto and a
quota on the top grade. This scorer is written from that page alone, plain
and deliberately independent of kaohe; it uses exact rationals
(fractions.Fraction) everywhere and never binary floating point.

Output, UTF-8 CSV with LF line ends, numbers with exactly two decimals:
  summary (default): 单位,年度考核,综合得分,等次,奖励资金
  --detail:          单位,期别,项目,名称,分值,得分
                     (items 1..8, 加分1, 加分2, 扣分1, 扣分2; a penalty's 得分
                     is negative; 分值 is the unit's own points, blank for
                     bonus and penalty items)
Errors go to stderr as `file:row: message`; exit status 1.
"""
import csv
import random
import sys
from fractions import Fraction as F

PERIOD = "年度"
WINDOW_STAFF = 2                     # item 7: 窗口工作人员少于2人
SECTION2_CAP = F(40)
BONUS_CAP = F(5)
PENALTY_CAP = F(10)
EXCELLENT_SHARE = F(3, 10)           # 优秀不超过参评单位数的30%, rounded down
BANDS = [("优秀", F(90)), ("良好", F(80)), ("合格", F(60))]
REWARD = {"优秀": F(50000), "良好": F(30000), "合格": F(10000), "不合格": F(0)}

# item → (title, points by unit type)
ITEMS = [
    ("1", "城镇新增就业", {"乡镇": F(10), "街道": F(10)}),
    ("2", "失业人员再就业", {"乡镇": F(8), "街道": F(8)}),
    ("3", "就业困难人员就业", {"乡镇": F(10), "街道": F(6)}),
    ("4", "创业担保贷款发放", {"乡镇": F(10), "街道": F(10)}),
    ("5", "职业技能培训", {"乡镇": F(12), "街道": F(16)}),
    ("6", "就业信息台账", {"乡镇": F(15), "街道": F(15)}),
    ("7", "公共就业服务平台", {"乡镇": F(15), "街道": F(15)}),
    ("8", "政策宣传", {"乡镇": F(15), "街道": F(15)}),
]
BONUS = [("加分1", "获市级以上表彰"), ("加分2", "新认定创业孵化基地")]
PENALTY = [("扣分1", "被通报批评"), ("扣分2", "信访投诉经查实")]

COUNTS = ["新增就业任务数", "新增就业人数", "再就业任务数", "再就业人数",
          "困难人员任务数", "困难人员就业人数", "台账错误数", "窗口人员数",
          "宣传活动次数", "市级以上表彰数", "通报批评次数", "查实投诉件数"]
BOOLS = ["建立就业台账", "台账健全", "设立服务窗口", "新认定孵化基地",
         "重大群体性事件", "弄虚作假"]
DECIMALS = ["创业贷款发放额"]
PERCENTS = ["培训完成率"]
COLUMNS = COUNTS[:6] + DECIMALS + PERCENTS + BOOLS[:2] + ["台账错误数"] + \
    ["设立服务窗口", "窗口人员数", "宣传活动次数", "市级以上表彰数", "新认定孵化基地",
     "通报批评次数", "查实投诉件数", "重大群体性事件", "弄虚作假"]


class Bad(Exception):
    pass


def decimal(text, where):
    t = text.strip()
    pct = t.endswith("%")
    if pct:
        t = t[:-1]
    neg = t.startswith("-")
    digits = t[1:] if neg else t
    whole, dot, frac = digits.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()):
        raise Bad(f"{where}: not a number: {text!r}")
    v = F(int(whole + frac), 10 ** len(frac))
    v = -v if neg else v
    return v / 100 if pct else v


def read_units(path):
    units = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if (row.get("考核") or "是").strip() == "是":
                units.append((row["单位"].strip(), row["类型"].strip()))
    return units


def read_facts(path, units):
    names = {u for u, _ in units}
    facts = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            where = f"{path}:{n}"
            unit = row["单位"].strip()
            if unit not in names:
                raise Bad(f"{where}: unknown unit {unit!r}")
            if row["期别"].strip() != PERIOD:
                raise Bad(f"{where}: unknown period {row['期别']!r}")
            fx = {}
            for c in COUNTS:
                v = decimal(row[c], where)
                if v.denominator != 1 or v < 0:
                    raise Bad(f"{where}: {c} is not a count: {row[c]!r}")
                fx[c] = v
            for c in DECIMALS:
                fx[c] = decimal(row[c], where)
            for c in PERCENTS:
                if not row[c].strip().endswith("%"):
                    raise Bad(f"{where}: {c} needs a % sign: {row[c]!r}")
                fx[c] = decimal(row[c], where)
            for c in BOOLS:
                v = row[c].strip()
                if v not in ("是", "否"):
                    raise Bad(f"{where}: {c} is not 是/否: {v!r}")
                fx[c] = v == "是"
            facts[unit] = fx
    missing = [u for u, _ in units if u not in facts]
    if missing:
        raise Bad(f"{path}: no row for {missing[0]}")
    return facts


def round2(x):
    """Half-up (away from zero) to two decimals, exactly."""
    scaled = abs(x) * 100
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    v = F(q, 100)
    return -v if x < 0 else v


def clamp(x, hi):
    return max(F(0), min(hi, x))


def rank_best(values):
    """Competition ranking, ties share the better rank: 1, 2, 2, 4."""
    return [1 + sum(1 for w in values if w > v) for v in values]


def item_scores(units, facts):
    """unit → {item id: rounded score}; bonus and penalty items positive."""
    rates1 = [facts[u]["新增就业人数"] / facts[u]["新增就业任务数"] for u, _ in units]
    ranks = rank_best(rates1)
    mean_loan = sum(facts[u]["创业贷款发放额"] for u, _ in units) / len(units)
    out = {}
    for (u, kind), rank in zip(units, ranks):
        fx = facts[u]
        pts = {i: p[kind] for i, _, p in ITEMS}
        s = {}
        s["1"] = clamp(10 - F(1, 2) * (rank - 1), pts["1"])
        r2 = fx["再就业人数"] / fx["再就业任务数"]
        s["2"] = F(8) if r2 >= 1 else F(6) if r2 >= F(9, 10) else F(4) if r2 >= F(8, 10) else F(0)
        r3 = fx["困难人员就业人数"] / fx["困难人员任务数"]
        s["3"] = pts["3"] * min(F(1), r3)
        s["4"] = F(10) if fx["创业贷款发放额"] >= mean_loan else 10 * fx["创业贷款发放额"] / mean_loan
        s["5"] = clamp(pts["5"] - F(1, 2) * max(F(0), (1 - fx["培训完成率"]) * 100), pts["5"])
        if not fx["建立就业台账"]:
            s["6"] = F(0)
        else:
            v = F(15) - (0 if fx["台账健全"] else 5) - fx["台账错误数"]
            s["6"] = clamp(v, pts["6"])
        if not fx["设立服务窗口"]:
            s["7"] = F(0)
        else:
            s["7"] = clamp(F(15) - 3 * max(0, WINDOW_STAFF - fx["窗口人员数"]), pts["7"])
        s["8"] = clamp(3 * fx["宣传活动次数"], pts["8"])
        s["加分1"] = 2 * fx["市级以上表彰数"]
        s["加分2"] = F(3) if fx["新认定孵化基地"] else F(0)
        s["扣分1"] = 3 * fx["通报批评次数"]
        s["扣分2"] = 2 * fx["查实投诉件数"]
        out[u] = ({k: round2(v) for k, v in s.items()}, pts)
    return out, rates1


def score(units, facts):
    items, rates1 = item_scores(units, facts)
    rows = []
    for (u, _), rate in zip(units, rates1):
        s, pts = items[u]
        sec1 = sum(s[i] for i in "12345")
        sec2 = min(SECTION2_CAP, sum(s[i] for i in "678"))
        bonus = min(BONUS_CAP, s["加分1"] + s["加分2"])
        penalty = min(PENALTY_CAP, s["扣分1"] + s["扣分2"])
        total = sec1 + sec2 + bonus - penalty
        vetoed = facts[u]["重大群体性事件"] or facts[u]["弄虚作假"]
        rows.append({"unit": u, "total": total, "vetoed": vetoed, "rate": rate,
                     "items": s, "points": pts})
    seats = (EXCELLENT_SHARE * len(units)).numerator // (EXCELLENT_SHARE * len(units)).denominator
    order = sorted(range(len(rows)), key=lambda k: (-rows[k]["total"], -rows[k]["rate"], k))
    taken = 0
    for k in order:
        r = rows[k]
        if r["vetoed"]:
            r["grade"] = "不合格"
            continue
        band = next((g for g, lo in BANDS if r["total"] >= lo), "不合格")
        if band == "优秀":
            if taken < seats:
                taken += 1
            else:
                band = "良好"
        r["grade"] = band
    for r in rows:
        r["reward"] = REWARD[r["grade"]]
    return rows


def two(x):
    """Two decimals, half-up, from the exact value."""
    v = round2(x)
    cents = abs(v) * 100           # a whole number after round2
    sign = "-" if v < 0 else ""
    return f"{sign}{cents.numerator // 100}.{cents.numerator % 100:02d}"


def write_summary(rows, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["单位", "年度考核", "综合得分", "等次", "奖励资金"])
    for r in rows:
        w.writerow([r["unit"], two(r["total"]), two(r["total"]), r["grade"], two(r["reward"])])


def write_detail(rows, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["单位", "期别", "项目", "名称", "分值", "得分"])
    for r in rows:
        for i, title, _ in ITEMS:
            w.writerow([r["unit"], PERIOD, i, title, two(r["points"][i]), two(r["items"][i])])
        for i, title in BONUS:
            w.writerow([r["unit"], PERIOD, i, title, "", two(r["items"][i])])
        for i, title in PENALTY:
            w.writerow([r["unit"], PERIOD, i, title, "", two(-r["items"][i])])


def generate(seed, units, out):
    """A random but valid fact file: every task > 0, rates around the bands,
    ties in item 1's rate likely, some vetoes and caps hit."""
    rng = random.Random(seed)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["单位", "期别"] + COLUMNS)
    for u, _ in units:
        task1 = rng.choice([100, 120, 150, 200])
        done1 = task1 * rng.choice([80, 90, 95, 100, 100, 105, 110]) // 100
        task2 = rng.randint(20, 80)
        task3 = rng.randint(5, 40)
        row = {
            "新增就业任务数": task1, "新增就业人数": done1,
            "再就业任务数": task2, "再就业人数": rng.randint(task2 * 7 // 10, task2 * 11 // 10),
            "困难人员任务数": task3, "困难人员就业人数": rng.randint(task3 // 2, task3 + 3),
            "创业贷款发放额": f"{rng.randint(50, 800)}.{rng.randint(0, 99):02d}",
            "培训完成率": f"{rng.randint(85, 105)}.{rng.randint(0, 9)}%",
            "建立就业台账": rng.choice(["是"] * 9 + ["否"]),
            "台账健全": rng.choice(["是", "是", "否"]),
            "台账错误数": rng.choice([0, 0, 1, 2, 5, 20]),
            "设立服务窗口": rng.choice(["是"] * 9 + ["否"]),
            "窗口人员数": rng.choice([0, 1, 2, 2, 3]),
            "宣传活动次数": rng.randint(0, 7),
            "市级以上表彰数": rng.choice([0, 0, 1, 2, 3]),
            "新认定孵化基地": rng.choice(["是", "否", "否"]),
            "通报批评次数": rng.choice([0, 0, 0, 1, 2, 4]),
            "查实投诉件数": rng.choice([0, 0, 1, 3]),
            "重大群体性事件": rng.choice(["否"] * 15 + ["是"]),
            "弄虚作假": rng.choice(["否"] * 15 + ["是"]),
        }
        w.writerow([u, PERIOD] + [row[c] for c in COLUMNS])


def main(argv):
    try:
        if argv[:1] == ["--generate"] and len(argv) == 3:
            generate(int(argv[1]), read_units(argv[2]), sys.stdout)
            return 0
        detail = argv[:1] == ["--detail"]
        args = argv[1:] if detail else argv
        if len(args) != 2:
            print(__doc__, file=sys.stderr)
            return 2
        units = read_units(args[0])
        rows = score(units, read_facts(args[1], units))
        (write_detail if detail else write_summary)(rows, sys.stdout)
        return 0
    except Bad as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
