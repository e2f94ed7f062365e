#!/usr/bin/python3
"""Prints kaohe's report.html to PDF with headless Chromium and reads the
pages back with pdftotext (poppler-utils): every page carries its page
number in the running header (@page margin box), every unit starts a new
page (its first page opens with its own heading), and every page of a
unit's table repeats the header rows (the thead: the unit and period, then
项目 分值 得分 …).

usage: check_report_print.py REPORT.html UNITS.csv TMPDIR
Exits 77 (skipped, saying why) where chromium or pdftotext is missing.
"""
import csv
import re
import shutil
import subprocess
import sys

for tool in ("chromium", "pdftotext"):
    if not shutil.which(tool):
        print("%s is not installed (make test-deps installs it)" % tool)
        sys.exit(77)
report, units_csv, tmp = sys.argv[1:4]
pdf = tmp + "/report.pdf"
subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=" + tmp + "/profile", "--print-to-pdf=" + pdf, "file://" + report],
               check=True, capture_output=True, timeout=300)
text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                      text=True).stdout
pages = [p for p in text.split("\f") if p.strip()]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


for i, page in enumerate(pages):
    if not re.search(r"第\s*%d\s*页" % (i + 1), page):
        fail("page %d has no page number" % (i + 1))
units = [r["单位"] for r in csv.DictReader(open(units_csv, encoding="utf-8")) if r.get("考核", "是") != "否"]
first = {}
for i, page in enumerate(pages):
    for line in page.splitlines():
        m = re.match(r"^\s*(\S+) · (\S+)\s*$", line)
        if m:
            first.setdefault(m.group(1), i)
            if "项目" not in page:
                fail("page %d repeats the unit row but not the table header" % (i + 1))
            break
for u in units:
    if u not in first:
        fail("%s has no page with its running header" % u)
    head = [l.strip() for l in pages[first[u]].splitlines() if l.strip()]
    if u not in head[1:4] and u not in head[0]:
        fail("%s does not start a page" % u)
continued = sum(1 for p in pages if re.search(r"^\s*\S+ · \S+\s*$", p, re.M))
if continued < len(units) * 2:
    fail("only %d pages repeat a unit's header" % continued)
# the page count depends on the fonts installed: not printed
print("every page numbered; %d units, each starting a page; every page of a unit's tables repeats "
      "the unit, the period and the table header" % len(units))
