#!/usr/bin/env python3
"""check_annexes.py — checks the annex tables of a rubric against themselves.

    check_annexes.py [--generic] [DIR]

DIR defaults to rules/xinjian-2021 (next to this repository's tests/). It
holds units.csv, annex3.csv, annex4.csv and annex5.csv as transcribed from
新府办发〔2021〕53号. Checked:

  * every file: UTF-8 without BOM, LF line ends, the exact header, no
    duplicate or unknown row names, numbers are decimals >= 0;
  * units.csv: 考核 是/否, 类型 乡镇/园区 for assessed units, aliases unique;
  * annex 3: each count column sums (over every row but 任务数) to the 任务数
    row; 创业担保贷款回收率 is a per-unit rate (total 100, each row <= 100);
    其中省内 <= 新增转移 on every row; every assessed unit has a row;
  * annex 4: 在校生 + 省外 + 省内县外 + 县内 + 未就业 = 脱贫劳动力总数 on every row
    (汇总 included); each column sums to 汇总 (a blank 汇总 cell states no
    total: reported as a note, not an error); every assessed unit has a row;
  * annex 5: 需转产人数 <= 退捕渔民人数; each column sums to 合计.

Without --generic it also checks the notice's own facts: the 17 assessed
units in annex-3 order, 新建经开区 the only 园区, the 石埠镇 alias, and the
non-assessed names 区本级, 区林业局, 矶山（二轻公司）. With --generic (used on
bench/gen.py output) only the structural checks run.

Standard library only. Exit status 0 when all checks pass, 1 otherwise;
every problem is printed on stderr as `file:row: message`.
"""
import os
import sys
from fractions import Fraction

HEADERS = {
    "units.csv": ["单位", "类型", "别名", "考核"],
    "annex3.csv": ["单位", "新增城镇就业", "新增转移农村劳动力", "省内新增转移农村劳动力",
                   "岗位技能培训", "创业培训", "创业担保贷款", "创业担保贷款回收率",
                   "城乡居民养老保险参保"],
    "annex4.csv": ["乡镇", "户数", "人数", "边缘户", "脱贫监测户", "脱贫劳动力总数",
                   "在校生", "省外", "省内县外", "县内", "未就业", "公益性岗位人数",
                   "扶贫车间个数", "扶贫车间吸纳人数"],
    "annex5.csv": ["乡镇", "退捕渔民人数", "需转产人数"],
}
TOTAL_ROW = {"annex3.csv": "任务数", "annex4.csv": "汇总", "annex5.csv": "合计"}

NOTICE_UNITS = ["松湖镇", "石岗镇", "流湖镇", "厚田乡", "西山镇", "望城镇", "石埠乡",
                "大塘坪乡", "象山镇", "昌邑乡", "溪霞镇", "铁河乡", "金桥乡", "联圩镇",
                "南矶乡", "长堎镇", "新建经开区"]
NOTICE_NOT_ASSESSED = ["区本级", "区林业局", "矶山（二轻公司）"]


class Checker:
    def __init__(self, folder):
        self.folder = folder
        self.errors = 0
        self.notes = []

    def err(self, fname, row, msg):
        self.errors += 1
        where = f"{fname}:{row}" if row else fname
        print(f"check_annexes: {os.path.join(self.folder, where)}: {msg}", file=sys.stderr)

    def note(self, fname, row, msg):
        self.notes.append(f"{os.path.join(self.folder, fname)}:{row}: note: {msg}")

    # -- reading ----------------------------------------------------------
    def read(self, fname):
        """Rows as lists of text, with spreadsheet row numbers (header = 1)."""
        path = os.path.join(self.folder, fname)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.err(fname, 0, f"cannot read: {e.strerror}")
            return None
        if raw.startswith(b"\xef\xbb\xbf"):
            self.err(fname, 1, "starts with a byte-order mark (write UTF-8 without BOM)")
            raw = raw[3:]
        if b"\r" in raw:
            self.err(fname, 0, "has CR characters (line ends must be LF)")
            raw = raw.replace(b"\r", b"")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(fname, 0, f"not UTF-8 (byte {e.start})")
            return None
        if text and not text.endswith("\n"):
            self.err(fname, 0, "last line has no LF")
        import csv
        import io
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            self.err(fname, 0, "empty file")
            return None
        want = HEADERS[fname]
        if rows[0] != want:
            self.err(fname, 1, f"header is {','.join(rows[0])}; expected {','.join(want)}")
            return None
        out = []
        for i, r in enumerate(rows[1:], start=2):
            if len(r) != len(want):
                self.err(fname, i, f"{len(r)} fields; expected {len(want)}")
                continue
            out.append((i, r))
        return out

    def number(self, fname, row, col, text):
        """A table cell: blank is 0 (the annexes leave zeros blank)."""
        if text == "":
            return Fraction(0)
        ok = text == text.strip() and text.count(".") <= 1 and \
            text.replace(".", "", 1).isdigit() and not text.startswith(".") \
            and not text.endswith(".")
        if not ok or not text.isascii():
            self.err(fname, row, f"{col}: '{text}' is not a number >= 0")
            return Fraction(0)
        return Fraction(text)

    # -- units ------------------------------------------------------------
    def units(self, notice):
        rows = self.read("units.csv")
        if rows is None:
            return None
        assessed, types, lookup = [], {}, {}
        for i, r in rows:
            name, kind, alias, flag = r
            if name == "" or name != name.strip():
                self.err("units.csv", i, f"bad unit name '{name}'")
                continue
            if flag not in ("是", "否"):
                self.err("units.csv", i, f"考核 is '{flag}'; expected 是 or 否")
                continue
            names = [name] + [a.strip() for a in alias.replace("、", ";").split(";") if a.strip()]
            for n in names:
                if n in lookup:
                    self.err("units.csv", i, f"name '{n}' appears twice")
                lookup[n] = name
            if flag == "是":
                if kind not in ("乡镇", "园区"):
                    self.err("units.csv", i, f"类型 of {name} is '{kind}'; expected 乡镇 or 园区")
                assessed.append(name)
                types[name] = kind
            elif kind != "":
                self.err("units.csv", i, f"类型 of the non-assessed {name} should be blank")
        if notice:
            if assessed != NOTICE_UNITS:
                self.err("units.csv", 0, "assessed units are not the notice's 17 in annex-3 order: "
                         + " ".join(assessed))
            parks = [n for n in assessed if types[n] == "园区"]
            if parks != ["新建经开区"]:
                self.err("units.csv", 0, f"园区 units are {parks}; expected only 新建经开区")
            if lookup.get("石埠镇") != "石埠乡":
                self.err("units.csv", 0, "石埠镇 must be an alias of 石埠乡")
            others = [r[0] for _, r in rows if r[3] == "否"]
            if others != NOTICE_NOT_ASSESSED:
                self.err("units.csv", 0, f"non-assessed rows are {others}; expected "
                         + " ".join(NOTICE_NOT_ASSESSED))
        return assessed, lookup

    # -- one keyed table --------------------------------------------------
    def table(self, fname, units, required):
        """Reads a table: (body rows [(row, canonical, values)], total row
        (row, values, blanks) or None). Checks names, duplicates, coverage."""
        rows = self.read(fname)
        if rows is None:
            return None, None
        assessed, lookup = units
        cols = HEADERS[fname][1:]
        body, total, seen = [], None, {}
        for i, r in rows:
            name = r[0]
            vals = [self.number(fname, i, c, t) for c, t in zip(cols, r[1:])]
            if name == TOTAL_ROW[fname]:
                if total is not None:
                    self.err(fname, i, f"second {name} row")
                total = (i, vals, [t == "" for t in r[1:]])
                continue
            canon = lookup.get(name)
            if canon is None:
                self.err(fname, i, f"unknown unit '{name}' (not in units.csv)")
                continue
            if canon in seen:
                self.err(fname, i, f"{canon} already has a row (row {seen[canon]})")
                continue
            seen[canon] = i
            body.append((i, canon, vals))
        if total is None:
            self.err(fname, 0, f"no {TOTAL_ROW[fname]} row")
        if required:
            for u in assessed:
                if u not in seen:
                    self.err(fname, 0, f"assessed unit {u} has no row")
        return body, total

    def sums(self, fname, body, total, skip=()):
        if total is None:
            return
        ti, tvals, tblank = total
        for k, col in enumerate(HEADERS[fname][1:]):
            if col in skip:
                continue
            s = sum(v[k] for _, _, v in body)
            if tblank[k]:
                self.note(fname, ti, f"{TOTAL_ROW[fname]} leaves {col} blank (states no total); "
                          f"the column sums to {fmt(s)}")
            elif s != tvals[k]:
                self.err(fname, ti, f"column {col} sums to {fmt(s)} but {TOTAL_ROW[fname]} "
                         f"says {fmt(tvals[k])}")

    # -- the annexes --------------------------------------------------------
    def annex3(self, units):
        f = "annex3.csv"
        body, total = self.table(f, units, required=True)
        if body is None:
            return
        h = HEADERS[f][1:]
        rate = h.index("创业担保贷款回收率")
        tr, inprov = h.index("新增转移农村劳动力"), h.index("省内新增转移农村劳动力")
        self.sums(f, body, total, skip=("创业担保贷款回收率",))
        rows = body + ([(total[0], TOTAL_ROW[f], total[1])] if total else [])
        for i, name, v in rows:
            if v[rate] > 100:
                self.err(f, i, f"{name}: 创业担保贷款回收率 {fmt(v[rate])} is over 100")
            if v[inprov] > v[tr]:
                self.err(f, i, f"{name}: 省内新增转移农村劳动力 {fmt(v[inprov])} exceeds "
                         f"新增转移农村劳动力 {fmt(v[tr])}")
        if total and total[1][rate] != 100:
            self.err(f, total[0], f"任务数 创业担保贷款回收率 is {fmt(total[1][rate])}; expected 100")

    def annex4(self, units):
        f = "annex4.csv"
        body, total = self.table(f, units, required=True)
        if body is None:
            return
        h = HEADERS[f][1:]
        parts = [h.index(c) for c in ("在校生", "省外", "省内县外", "县内", "未就业")]
        whole = h.index("脱贫劳动力总数")
        self.sums(f, body, total)
        rows = body + ([(total[0], TOTAL_ROW[f], total[1])] if total else [])
        for i, name, v in rows:
            s = sum(v[k] for k in parts)
            if s != v[whole]:
                self.err(f, i, f"{name}: 在校生+省外+省内县外+县内+未就业 = {fmt(s)} but "
                         f"脱贫劳动力总数 = {fmt(v[whole])}")

    def annex5(self, units):
        f = "annex5.csv"
        body, total = self.table(f, units, required=False)
        if body is None:
            return
        self.sums(f, body, total)
        rows = body + ([(total[0], TOTAL_ROW[f], total[1])] if total else [])
        for i, name, v in rows:
            if v[1] > v[0]:
                self.err(f, i, f"{name}: 需转产人数 {fmt(v[1])} exceeds 退捕渔民人数 {fmt(v[0])}")


def fmt(x):
    if x.denominator == 1:
        return str(x.numerator)
    return str(float(x))  # messages only; never used in a comparison


def main(argv):
    notice = True
    args = []
    for a in argv[1:]:
        if a == "--generic":
            notice = False
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    if len(args) > 1:
        print("usage: check_annexes.py [--generic] [DIR]", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    folder = args[0] if args else os.path.join(here, "..", "..", "rules", "xinjian-2021")
    folder = os.path.normpath(folder)
    c = Checker(folder)
    units = c.units(notice)
    if units is not None:
        c.annex3(units)
        c.annex4(units)
        c.annex5(units)
    for n in c.notes:
        print(f"check_annexes: {n}", file=sys.stderr)
    if c.errors:
        print(f"check_annexes: {folder}: {c.errors} problem(s)", file=sys.stderr)
        return 1
    print(f"check_annexes: {folder}: all annex checks pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
