#!/usr/bin/python3
"""Reads kaohe's .xlsx with a real reader (Debian's python3-openpyxl) and
checks it against the CSV outputs: the 汇总 sheet equals the summary CSV,
the 明细 sheet's scores equal the detail CSV, every number cell is a number
(not text) equal to the CSV's exact two-decimal value, and the 依据 sheet
names every input with its SHA-256.

usage: check_xlsx.py RESULT.xlsx SUMMARY.csv DETAIL.csv SHA256SUMS
Exits 77 (skipped, saying why) when openpyxl is not installed.
"""
import csv
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


wb = openpyxl.load_workbook(sys.argv[1])
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
moves = sum(1 for r in drows[1:] if r[6])
sums = dict(line.split()[::-1] for line in open(sys.argv[4], encoding="utf-8"))
src = [list(r) for r in wb["依据"].iter_rows(values_only=True)]
named = {r[1]: r[2] for r in src[2:]}
for path, digest in sums.items():
    if named.get(path) != digest:
        fail("依据 gives %r for %s, sha256sum says %s" % (named.get(path), path, digest))
print("汇总 %d rows, 明细 %d rows (%d with deductions or additions), 依据 %d files: equal to the CSV"
      % (len(rows) - 1, len(drows) - 1, moves, len(named)))
