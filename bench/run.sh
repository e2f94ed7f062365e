#!/bin/sh
# run.sh — `make bench`: generates a synthetic province and prints the
# figures the README quotes. Needs the built ./kaohe and build/bench.
set -eu
B=${BUILD:-build}
work=$(mktemp -d /tmp/kaohe-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
N=${BENCH_UNITS:-100000}
echo "kaohe bench — $(nproc) cores; synthetic province of $N units × 2 periods"
python3 bench/gen.py "$N" "$work/prov" >/dev/null
cp rules/xinjian-2021/*.kh "$work/prov/"
python3 bench/gen.py 2000 "$work/small" >/dev/null
cp rules/xinjian-2021/*.kh "$work/small/"
"$B/bench" compile rules/xinjian-2021
"$B/bench" eval rules/xinjian-2021 examples/xinjian-2021/facts.csv
"$B/bench" eval-traced rules/xinjian-2021 examples/xinjian-2021/facts.csv
"$B/bench" eval "$work/small" "$work/small/facts.csv"
# 10,001 values of the staffing standard (items 2 and 加分3 are scored again
# for each), then 10,001 thresholds of 良好 (only grades and outcomes are)
"$B/bench" sweep rules/xinjian-2021 examples/xinjian-2021/facts.csv 人员标准=2..6:0.0004
"$B/bench" sweep rules/xinjian-2021 examples/xinjian-2021/facts.csv 等次.良好=80..90:0.001
"$B/bench" e2e ./kaohe run "$work/prov" "$work/prov/facts.csv" --format csv
