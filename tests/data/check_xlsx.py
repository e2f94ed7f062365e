#!/usr/bin/python3
"""Reads kaohe's .xlsx with a real reader (Debian's python3-openpyxl) and
checks it against the CSV outputs: the 汇总 sheet equals the summary CSV,
the 明细 sheet's scores equal the detail CSV, every number cell is a number
(not text) equal to the CSV's exact two-decimal value, and the 依据 sheet
names every input with its SHA-256. Each period score in 汇总 is a live
formula, =SUM('明细'!Fa:Fb), over that unit's and period's item cells:
the formula re-computed from those cells and its cached value (what Excel
shows before recalculating) both equal kaohe's score; 项目 is a number
where the item number is one (sorts in rubric order); money has a
thousands separator; both sheets have an autofilter, a repeated header row
and A4 page setup. 来源 lists every value the items read, and each fact
cell it names holds that text in the fact file.

usage: check_xlsx.py RESULT.xlsx SUMMARY.csv DETAIL.csv SHA256SUMS
Exits 77 (skipped, saying why) when openpyxl is not installed.
"""
import csv
import re
import sys
from decimal import Decimal

try:
    import openpyxl
except ImportError:
    print("python3-openpyxl is not installed (make test installs it when run as root)")
    sys.exit(77)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def same(cell, text, where):
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        # the cell holds the nearest binary number; 2 decimals read back exactly
        if Decimal(repr(cell)).quantize(Decimal("0.01")) != Decimal(text) or round(cell, 2) != cell:
            fail("%s: the cell holds %r, the CSV %s" % (where, cell, text))
    elif (cell or "") != text:
        fail("%s: the cell holds %r, the CSV %r" % (where, cell, text))


def is_number(text):
    try:
        Decimal(text)
        return True
    except Exception:
        return False


wb = openpyxl.load_workbook(sys.argv[1], data_only=True)   # cached values
fwb = openpyxl.load_workbook(sys.argv[1])                   # formulas
summary = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
detail = list(csv.reader(open(sys.argv[3], encoding="utf-8")))
rows = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
if len(rows) != len(summary):
    fail("汇总 has %d rows, the CSV %d" % (len(rows), len(summary)))
for i, (xr, cr) in enumerate(zip(rows, summary)):
    for j, text in enumerate(cr):
        if i and is_number(text) and not isinstance(xr[j], (int, float)):
            fail("汇总 row %d column %s: a number stored as text" % (i + 1, cr[0]))
        same(xr[j], text, "汇总 row %d column %d" % (i + 1, j + 1))
drows = [list(r) for r in wb["明细"].iter_rows(values_only=True)]
if len(drows) != len(detail):
    fail("明细 has %d rows, the detail CSV %d" % (len(drows), len(detail)))
for i, (xr, cr) in enumerate(zip(drows, detail)):
    for j, text in enumerate(cr):
        same(xr[j], text, "明细 row %d column %d" % (i + 1, j + 1))
formula = re.compile(r"^=SUM\('明细'!F(\d+):F(\d+)\)$")
fsum = fwb["汇总"]
dsheet = wb["明细"]
nform = 0
for i in range(2, fsum.max_row + 1):
    for j in range(2, 2 + len([h for h in summary[0] if h.endswith("考核")])):
        f = fsum.cell(i, j).value
        m = formula.match(f or "")
        if not m:
            fail("汇总 %s%d is not a SUM formula over 明细: %r" % ("ABCDEFGH"[j - 1], i, f))
        a, b = int(m.group(1)), int(m.group(2))
        if {dsheet.cell(r, 1).value for r in range(a, b + 1)} != {summary[i - 1][0]}:
            fail("汇总 %s%d sums rows %d..%d of another unit" % ("ABCDEFGH"[j - 1], i, a, b))
        total = sum(Decimal(detail[r - 1][5]) for r in range(a, b + 1))
        if total != Decimal(summary[i - 1][j - 1]):
            fail("汇总 %s%d: %s re-computed is %s, kaohe says %s" % ("ABCDEFGH"[j - 1], i, f, total, summary[i - 1][j - 1]))
        nform += 1
if not isinstance(dsheet.cell(2, 3).value, int):
    fail("明细 项目 is not a number: %r" % dsheet.cell(2, 3).value)
money_col = summary[0].index("能力建设补助") + 1
if fsum.cell(2, money_col).number_format != "#,##0.00":
    fail("money is formatted %r" % fsum.cell(2, money_col).number_format)
for name in ("汇总", "明细"):
    ws = fwb[name]
    if not ws.auto_filter.ref or ws.print_title_rows not in ("1:1", "$1:$1") or ws.page_setup.paperSize not in (9, "9"):
        fail("%s: autofilter %r, print titles %r, paper %r" % (name, ws.auto_filter.ref, ws.print_title_rows,
                                                            ws.page_setup.paperSize))
# 来源: every unit's item reads; a fact cell named there holds what it says
src_rows = list(wb["来源"].iter_rows(values_only=True))
if {r[0] for r in src_rows[1:]} != {r[0] for r in summary[1:]}:
    fail("来源 does not cover every unit")
cell_re = re.compile(r"^(\S+facts\.csv) 第(\d+)行 ([A-Z]+)列 (\S+)“(.*)”$")


def letters(k):
    """Excel's letters of 0-based column k: 0 → A, 26 → AA."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


facts_cache = {}
checked = 0
for r in src_rows[1:]:
    m = cell_re.match(r[8] or "")
    if not m:
        continue
    path, line, letter, col, text = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
    if path not in facts_cache:
        facts_cache[path] = list(csv.reader(open(path, encoding="utf-8-sig")))
    table = facts_cache[path]
    if letters(table[0].index(col)) != letter:
        fail("来源 puts %s in column %s, the file has it in %s" % (col, letter, letters(table[0].index(col))))
    if table[line - 1][table[0].index(col)] != text:
        fail("来源 names %s row %d %s as %r, the file holds %r" % (path, line, col, text, table[line - 1][table[0].index(col)]))
    checked += 1
if checked == 0:
    fail("来源 names no fact cell")
moves = sum(1 for r in drows[1:] if r[6])
sums = dict(line.split()[::-1] for line in open(sys.argv[4], encoding="utf-8"))
src = [list(r) for r in wb["依据"].iter_rows(values_only=True)]
named = {r[1]: r[2] for r in src[2:]}
for path, digest in sums.items():
    if named.get(path) != digest:
        fail("依据 gives %r for %s, sha256sum says %s" % (named.get(path), path, digest))
print("汇总 %d rows, 明细 %d rows (%d with deductions or additions), 依据 %d files: equal to the CSV"
      % (len(rows) - 1, len(drows) - 1, moves, len(named)))
print("来源 %d reads, %d fact cells checked against the fact file" % (len(src_rows) - 1, checked))
print("%d period formulas: re-computed and cached values equal to kaohe's" % nform)
