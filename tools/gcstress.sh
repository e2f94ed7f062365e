#!/bin/sh
# gcstress.sh — runs the GC-stress build (make gcstress: a collection at
# every allocation, see tests/gcstress/stress.c) on the 2021 example and
# checks what it prints against the golden files and the normal build.
# Any pointer the collector cannot see shows up as a wrong byte or a crash.
#   tools/gcstress.sh STRESSED_KAOHE NORMAL_KAOHE
S=$1 K=$2
NAME=gcstress
. "$(dirname "$0")/example.sh"
status=0
check() {   # WHAT EVERY WANT-FILE COMMAND...
    what=$1 every=$2 want=$3
    shift 3
    start=$(date +%s)
    if KAOHE_GC_EVERY=$every "$@" > "$T/got" 2> "$T/err" && cmp -s "$T/got" "$want"; then
        echo "gcstress: $what (a collection every $every allocations): same, $(( $(date +%s) - start )) s"
    else
        echo "gcstress: $what (a collection every $every allocations): DIFFERS or failed"
        head -20 "$T/err"
        status=1
    fi
}
"$K" explain $R $F --format json > "$T/explain.json"
"$K" report $R $F -o "$T/report.html"
check "summary of the example" 1 tests/golden/xinjian-2021-summary.csv "$S" run $R $F --format csv
check "detail of the example" 1 tests/golden/xinjian-2021-detail.csv "$S" run $R $F --format csv --detail
check "the example as GB18030" 1 tests/golden/xinjian-2021-summary.csv "$S" run $R "$T/gb.csv" --format csv
check "explain, JSON" 16 "$T/explain.json" "$S" explain $R $F --format json
check "report" 16 "$T/report.html" sh -c "\"$S\" report $R $F -o $T/stressed.html && cat $T/stressed.html"
exit $status
