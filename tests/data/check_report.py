#!/usr/bin/env python3
"""Checks kaohe's report.html the way an auditor's browser sees it.

1. The file stands alone: no src/href other than #anchors, no url(),
   @import, <link> or <script>.
2. Debian's Chromium, headless, renders it to a PNG screenshot and dumps
   its DOM, with a network log: no request may leave the file (a page
   with an external image is checked the same way first, to show that
   the log would catch one).
3. The DOM has every unit of the rubric, a deduction's clause text, the
   fact cell behind it, and the highlighted assumptions.

usage: check_report.py REPORT.html UNITS.csv
Exits 77 (skipped, saying why) where chromium is not installed.
"""
import csv
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
         "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,SpellCheck"]


def chromium(args, tmp):
    profile = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run([CHROMIUM, "--user-data-dir=" + profile] + FLAGS + args,
                       capture_output=True, timeout=120)
    return r.stdout


def page_requests(html_path, tmp):
    """The rendered DOM, and the URLs the page itself asked for, from
    Chromium's network log."""
    log = os.path.join(tmp, "net-%d.json" % len(os.listdir(tmp)))
    dom = chromium(["--log-net-log=" + log, "--dump-dom", "file://" + html_path], tmp)
    d = json.load(open(log))
    names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    urls = set()
    for e in d["events"]:
        p = e.get("params", {})
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in p.get("network_isolation_key", ""):
            if not p.get("url", "file:").startswith("file:"):
                urls.add(p["url"])
    return dom.decode("utf-8"), urls


report = os.path.abspath(sys.argv[1])
html = open(report, encoding="utf-8").read()
for pat in [r'\b(?:src|href|action|srcset)\s*=\s*"(?!#)', r"url\(", r"@import", r"<link\b", r"<script\b"]:
    m = re.search(pat, html, re.I)
    if m:
        fail("the report refers to something outside itself: %r" % html[m.start():m.start() + 60])

CHROMIUM = shutil.which("chromium")
if not CHROMIUM:
    print("chromium is not installed (make test installs it when run as root)")
    sys.exit(77)

tmp = tempfile.mkdtemp()
bad = os.path.join(tmp, "bad.html")
open(bad, "w").write('<html><body><img src="http://kaohe-test.invalid/x.png"></body></html>')
if "http://kaohe-test.invalid/x.png" not in page_requests(bad, tmp)[1]:
    fail("the network log did not catch an external image; the check below would prove nothing")
dom, leaks = page_requests(report, tmp)
if leaks:
    fail("the report made requests: %s" % sorted(leaks))

shot = os.path.join(tmp, "shot.png")
chromium(["--screenshot=" + shot, "--window-size=1200,1600", "file://" + report], tmp)
png = open(shot, "rb").read()
if png[:8] != b"\x89PNG\r\n\x1a\n":
    fail("no PNG screenshot")
width, height = struct.unpack(">II", png[16:24])

units = [r["单位"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")) if r.get("考核", "是") != "否"]
missing = [u for u in units if ('<h2>%s</h2>' % u) not in dom]
if missing:
    fail("units missing from the rendered page: %s" % missing)
section = dom[dom.index("<h2>西山镇</h2>"):]
section = section[:section.index("</section>")]
for want in ["扣 1：5 → 4", "人员配备不到位，每少1人扣1分，扣完为止", "附件2 第2项", "专窗人员数“2”"]:
    if want not in section:
        fail("西山镇's section lacks %r" % want)
assumes = dom.count('class="assume"')
shutil.rmtree(tmp)
print("%d units rendered; 西山镇's deduction with clause, citation and fact cell; assumptions highlighted: %s; "
      "PNG screenshot %dx%d; no request left the file" % (len(units), "yes" if assumes else "no", width, height))
