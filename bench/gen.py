#!/usr/bin/env python3
"""gen.py — a synthetic province for the benchmark.

    gen.py N OUTDIR [SEED]

Writes into OUTDIR (created if missing):
  units.csv    N assessed units 单位000001 … (every 20th a 园区), plus the
               non-assessed 区本级
  annex3.csv   任务数 row (column sums; 回收率 100), 区本级, then the N units
  annex4.csv   the N units, then 汇总 (every column summed, none blank);
               在校生 + 省外 + 省内县外 + 县内 + 未就业 = 脱贫劳动力总数 on every row
  annex5.csv   about 40% of the units (always at least 单位000001), then 合计
  facts.csv    N units × (过程, 年度), the columns of
               examples/xinjian-2021/facts.csv in the same order, every value valid
               (过程 rows leave 7月评价数 … 12月评价数 blank)

The tables pass `tests/data/check_annexes.py --generic OUTDIR`. Values are
random but reproducible: the same N and SEED (default 2021) give the same
bytes. Standard library only; N = 100000 takes a few seconds.
"""
import gc
import os
import random
import sys

# Fact columns, in the order of the policy page's table (and the example).
SEG_A = ["有独立窗口", "有档案室", "服务环境良好", "档案室专人管理", "办公设备齐全",
         "接入金保专网", "专网专人负责", "建立专职队伍", "专窗人员数",
         "建立协管员队伍", "协管员台账", "协管员有效履职", "协管员人数",
         "制度健全", "张贴办事告知", "年度工作计划", "目标任务分解", "管理考核制度"]
SEG_B = ["新增城镇就业", "新增转移农村劳动力", "省内新增转移农村劳动力", "岗位技能培训",
         "创业担保贷款", "创业担保贷款回收率", "城乡居民养老保险参保",
         "就业监测季度数", "未就业脱贫劳动力已帮扶", "公益性岗位签订协议",
         "退捕渔民1131落实人数"]
SEG_C = ["登记证工作开展", "登记证录入系统", "登记证完成率", "职业介绍开展", "职业介绍完成率",
         "大学生录入系统", "掌握大学生情况", "大学生针对性服务", "大学生完成率",
         "劳动力录入系统", "掌握劳动力情况", "劳动力针对性服务", "企业用工监测", "劳动力完成率",
         "困难群体录入系统", "困难群体针对性服务", "零就业家庭动态清零", "困难群体完成率",
         "培训开展", "培训录入系统", "培训完成率",
         "创业服务开展", "创业贷款逾期", "贷后跟踪", "创业服务完成率",
         "岗位开发开展", "岗位开发到位", "社保服务开展", "社保服务到位",
         "农民工上访事件", "督促签订合同", "建立调解机构", "劳动关系完成率", "社保卡完成率",
         "设立宣传栏", "专题政策宣讲", "宣传完成率",
         "建立台账", "台账信息录入", "台账动态管理", "台账完成率",
         "统计资料齐全", "统计数据真实", "统计准确", "统计上报及时", "信息上报季度数",
         "只跑一次", "一体化系统办件", "放管服完成率"] + \
        [f"{m}月评价数" for m in range(1, 13)] + \
        ["不满意评价数", "曝光投诉次数", "省级表彰次数", "市级表彰次数", "县级表彰次数",
         "专窗负责人职务"]
FACT_HEADER = ["单位", "期别"] + SEG_A + SEG_B + SEG_C

PERIODS = (("过程", 2, 2, 6), ("年度", 1, 4, 12))   # name, divisor of targets, quarters, months
POOL = 1024          # distinct random row segments per period (A and C)


def yn(rng, p_yes):
    return "是" if rng.random() < p_yes else "否"


def pct(rng):
    """A valid percentage: mostly 100, otherwise 50..99.5, sometimes with %."""
    x = rng.random()
    if x < 0.6:
        return "100"
    v = 50 + rng.randrange(100) / 2
    s = f"{v:g}"
    return s + "%" if x > 0.95 else s


def seg_a(rng):
    out = [yn(rng, 0.97), yn(rng, 0.95), yn(rng, 0.9), yn(rng, 0.9), yn(rng, 0.9),
           yn(rng, 0.95), yn(rng, 0.9), yn(rng, 0.96), str(rng.choice((1, 2, 3, 3, 3, 3, 4, 5, 6))),
           yn(rng, 0.97), yn(rng, 0.9), yn(rng, 0.85), str(rng.randrange(4, 30)),
           yn(rng, 0.9), yn(rng, 0.9), yn(rng, 0.9), yn(rng, 0.9), yn(rng, 0.9)]
    return ",".join(out)


def seg_c(rng, quarters, months):
    out = []
    for col in SEG_C:
        if col.endswith("完成率"):
            out.append(pct(rng))
        elif col == "创业贷款逾期":
            out.append(yn(rng, 0.05))
        elif col == "农民工上访事件":
            out.append("1" if rng.random() < 0.03 else "0")
        elif col == "信息上报季度数":
            out.append(str(quarters if rng.random() < 0.7 else rng.randrange(quarters + 1)))
        elif col.endswith("月评价数"):
            m = int(col[:-4])
            out.append(str(rng.choice((0, 1, 2, 2, 3, 4, 5, 6))) if m <= months else "")
        elif col == "不满意评价数":
            out.append(str(rng.choice((0, 0, 0, 0, 1, 2))))
        elif col == "曝光投诉次数":
            out.append("1" if rng.random() < 0.02 else "0")
        elif col.endswith("表彰次数"):
            out.append("1" if rng.random() < 0.05 else "0")
        elif col == "专窗负责人职务":
            out.append(rng.choice(("无", "无", "无", "副主任", "主任")))
        else:
            out.append(yn(rng, 0.92))
    return ",".join(out)


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: gen.py N OUTDIR [SEED]", file=sys.stderr)
        return 2
    try:
        n = int(argv[1])
        seed = int(argv[3]) if len(argv) == 4 else 2021
    except ValueError:
        print("gen.py: N and SEED must be whole numbers", file=sys.stderr)
        return 2
    if n < 1:
        print("gen.py: N must be at least 1", file=sys.stderr)
        return 2
    outdir = argv[2]
    gc.disable()        # only acyclic data here; the collector's passes cost seconds
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(seed)
    rand = rng.random

    def randrange(lo, hi):
        return lo + int(rand() * (hi - lo))

    def pick():
        return int(rand() * POOL)

    names = [f"单位{i:06d}" for i in range(1, n + 1)]

    def write(fname, lines):
        with open(os.path.join(outdir, fname), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines))
            f.write("\n")

    # units.csv
    write("units.csv", ["单位,类型,别名,考核"]
          + [f"{u},{'园区' if i % 20 == 19 else '乡镇'},,是" for i, u in enumerate(names)]
          + ["区本级,,,否"])

    # Annex rows are drawn from pools of POOL random profiles (drawing every
    # cell of 100000 rows one by one costs seconds); totals are exact sums.
    # annex 3
    pool3 = []
    for _ in range(POOL):
        transfer = 50 * randrange(4, 11)                      # 200..500
        pool3.append((5 * randrange(20, 600),                 # 新增城镇就业
                      transfer,
                      transfer - 50 * randrange(0, 3),        # 其中省内 <= 新增转移
                      10 * randrange(5, 40),                  # 岗位技能培训
                      0,                                      # 创业培训 (区本级's)
                      100 * randrange(3, 25),                 # 创业担保贷款 万元
                      100,                                    # 回收率 %
                      500 * randrange(8, 50)))                # 城乡居民养老保险参保
    text3 = [",".join(map(str, r)) for r in pool3]
    idx3 = [pick() for _ in range(n)]
    qbj = (0, 0, 0, 0, 650, 0, 0, 0)
    counts3 = [0] * POOL
    for j in idx3:
        counts3[j] += 1
    tot3 = [q + sum(c * r[k] for c, r in zip(counts3, pool3)) for k, q in enumerate(qbj)]
    tot3[6] = 100
    write("annex3.csv",
          ["单位,新增城镇就业,新增转移农村劳动力,省内新增转移农村劳动力,岗位技能培训,创业培训,"
           "创业担保贷款,创业担保贷款回收率,城乡居民养老保险参保",
           "任务数," + ",".join(map(str, tot3)),
           "区本级," + ",".join(map(str, qbj))]
          + [f"{u},{text3[j]}" for u, j in zip(names, idx3)])

    # annex 4
    pool4 = []
    for _ in range(POOL):
        school, out_prov, in_prov = randrange(0, 8), randrange(0, 100), randrange(0, 250)
        county, idle = randrange(0, 400), randrange(0, 130)
        labour = school + out_prov + in_prov + county + idle
        households = labour // 2 + randrange(1, 30)
        people = households * 2 + randrange(0, households + 1)
        shops = randrange(0, 3) if rand() < 0.4 else 0
        pool4.append((households, people, randrange(0, 16),
                      randrange(0, 5) if rand() < 0.3 else 0,
                      labour, school, out_prov, in_prov, county, idle,
                      randrange(0, 60), shops, shops * randrange(3, 14)))
    blank_if_zero = {3, 5, 11, 12}          # the source leaves these zeros blank
    text4 = [",".join("" if (k in blank_if_zero and v == 0) else str(v) for k, v in enumerate(r))
             for r in pool4]
    idx4 = [pick() for _ in range(n)]
    counts4 = [0] * POOL
    for j in idx4:
        counts4[j] += 1
    tot4 = [sum(c * r[k] for c, r in zip(counts4, pool4)) for k in range(len(pool4[0]))]
    write("annex4.csv",
          ["乡镇,户数,人数,边缘户,脱贫监测户,脱贫劳动力总数,在校生,省外,省内县外,县内,未就业,"
           "公益性岗位人数,扶贫车间个数,扶贫车间吸纳人数"]
          + [f"{u},{text4[j]}" for u, j in zip(names, idx4)]
          + ["汇总," + ",".join(map(str, tot4))])

    # annex 5: ~40% with a fisher task, always the first unit
    pool5 = []
    for _ in range(POOL):
        need = randrange(1, 800)
        pool5.append((need + randrange(0, need // 3 + 2), need))
    need_of = [0] * n
    lines, tot5a, tot5b = ["乡镇,退捕渔民人数,需转产人数"], 0, 0
    for i in range(n):
        if i == 0 or rand() < 0.4:
            a, b = pool5[pick()]
            need_of[i] = b
            tot5a += a
            tot5b += b
            lines.append(f"{names[i]},{a},{b}")
    lines.append(f"合计,{tot5a},{tot5b}")
    write("annex5.csv", lines)

    # facts: pooled random segments A and C, per-unit counts for segment B
    pools = {}
    for pname, _, quarters, months in PERIODS:
        pools[pname] = ([seg_a(rng) for _ in range(POOL)],
                        [seg_c(rng, quarters, months) for _ in range(POOL)])
    with open(os.path.join(outdir, "facts.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(FACT_HEADER) + "\n")
        buf = []
        for i, u in enumerate(names):
            t = pool3[idx3[i]]
            r4 = pool4[idx4[i]]
            idle, posts, need = r4[9], r4[10], need_of[i]
            for pname, div, quarters, _ in PERIODS:
                pa, pc = pools[pname]
                kk = (0.55 + 0.6 * rand()) / div       # share of the period's target reached
                rate = "100" if rand() < 0.8 else 85 + int(rand() * 15)
                watch = quarters if rand() < 0.8 else int(rand() * (quarters + 1))
                buf.append(f"{u},{pname},{pa[int(rand() * POOL)]},"
                           f"{int(t[0] * kk)},{int(t[1] * kk)},{int(t[2] * kk)},{int(t[3] * kk)},"
                           f"{t[5] * kk:.1f},{rate},{int(t[7] * kk)},{watch},"
                           f"{int(idle * kk)},{int(posts * kk)},{int(need * kk)},"
                           f"{pc[int(rand() * POOL)]}\n")
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
