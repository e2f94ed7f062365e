#!/usr/bin/env python3
"""Walks the JSON of `kaohe explain` for every unit and checks that the
numbers add up: an item's start plus its steps' changes is its raw score,
the raw score clamped to [0, points] and rounded is its score, items sum
to their section, sections to their period (penalties subtracted), the
weighted periods round to 综合得分, and every period score equals the
plain `kaohe run --format csv` output. Exact fractions throughout.

usage: check_explain.py EXPLAIN.json RUN.csv
"""
import csv
import json
import sys
from fractions import Fraction


def num(s):
    return Fraction(s)


def round_half_up(x, places=2):
    q = Fraction(10) ** places
    scaled = x * q
    n = scaled.numerator // scaled.denominator
    if scaled - n >= Fraction(1, 2):
        n += 1
    return Fraction(n) / q


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_item(unit, it):
    where = "%s %s item %s" % (unit, it["period"], it["item"])
    total = num(it["start"])
    for s in it["steps"]:
        if s["status"] == "applied":
            if num(s["after"]) - num(s["before"]) != num(s["delta"]):
                fail(where + ": a step's delta is not after - before")
            if num(s["before"]) != total:
                fail("%s: step %r starts from %s, not %s" % (where, s["rule"], s["before"], total))
            total = num(s["after"])
    if total != num(it["raw"]):
        fail("%s: start + steps = %s but raw = %s" % (where, total, it["raw"]))
    clamped = max(total, Fraction(0))
    if "points" in it:
        clamped = min(clamped, num(it["points"]))
    if round_half_up(clamped) != num(it["score"]):
        fail("%s: clamp+round of %s is not the score %s" % (where, it["raw"], it["score"]))
    return num(it["score"])


def main():
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    run = {r["单位"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
    nunits = nitems = nsteps = 0
    for u in doc["units"]:
        name = u["unit"]
        periods = {}
        for per in u["periods"]:
            total = Fraction(0)
            for sec in per["sections"]:
                s = sum((check_item(name, it) for it in sec["items"]), Fraction(0))
                if "cap" in sec:        # section … max N counts for at most N
                    s = min(s, num(sec["cap"]))
                nitems += len(sec["items"])
                nsteps += sum(len(it["steps"]) for it in sec["items"])
                if s != num(sec["score"]):
                    fail("%s %s %s: items sum to %s, section says %s" % (name, per["period"], sec["title"], s, sec["score"]))
                total += -s if sec["kind"] == "penalty" else s
            if total != num(per["score"]):
                fail("%s %s: sections sum to %s, period says %s" % (name, per["period"], total, per["score"]))
            if num(run[name][per["label"]]) != total:
                fail("%s %s: explain says %s, run says %s" % (name, per["period"], total, run[name][per["label"]]))
            periods[per["period"]] = total
        result = next(v for v in u["values"] if v["name"] == "综合得分")
        weighted, weight = Fraction(0), None
        for r in result["reads"]:
            if r["kind"] == "param":
                weight = num(r["value"])
            elif r["kind"] == "period":
                if num(r["value"]) != periods[r["name"]]:
                    fail("%s: 综合得分 read %s = %s" % (name, r["name"], r["value"]))
                weighted += weight * num(r["value"])
        if round_half_up(weighted) != num(result["value"]) or num(run[name]["综合得分"]) != num(result["value"]):
            fail("%s: weighted periods give %s, 综合得分 is %s" % (name, round_half_up(weighted), result["value"]))
        band = u.get("next_band")
        if band and not band["top"]:
            if num(band["threshold"]) - num(band["value"]) != num(band["gap"]) or num(band["gap"]) <= 0:
                fail("%s: distance to %s is wrong" % (name, band["band"]))
        if band and band["value"] != result["value"]:
            fail("%s: the band is measured from %s, not 综合得分 %s" % (name, band["value"], result["value"]))
        nunits += 1
    if nunits != len(run):
        fail("explained %d units, run scored %d" % (nunits, len(run)))
    print("%d units, %d items, %d steps: every sum holds" % (nunits, nitems, nsteps))


main()
