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
"$B/bench" e2e ./kaohe run "$work/prov" "$work/prov/facts.csv" --format csv
