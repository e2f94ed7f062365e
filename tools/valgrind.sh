#!/bin/sh
# valgrind.sh — memcheck over the parts of kaohe that manage memory by hand
# (the CSV reader, diagnostics, output files, iconv, nettle, libxlsxwriter):
# the csv and diag Check suites in one process, and the command on the 2021
# example in every output format, as GB18030, and on bad input. The Boehm
# collector's conservative scan is suppressed (tools/valgrind.supp); every
# other error, and every malloc'd block lost, fails the run.
#   tools/valgrind.sh KAOHE CHECK_RUNNER
K=$1 C=$2
NAME=valgrind
. "$(dirname "$0")/example.sh"
VG="valgrind -q --error-exitcode=99 --suppressions=tools/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite"
status=0
run() {   # WHAT COMMAND...   (a non-zero exit other than 99 is the command's own)
    what=$1
    shift
    start=$(date +%s)
    $VG "$@" > /dev/null 2> "$T/err"
    if [ $? = 99 ]; then
        echo "valgrind: $what: ERRORS"
        grep '^==' "$T/err" | head -40
        status=1
    else
        echo "valgrind: $what: clean, $(( $(date +%s) - start )) s"
    fi
}
sed '3s/,3,/,x,/' $F > "$T/bad.csv"
printf 'rubric "t"\nunits from "units.csv"\nperiod 全年\nfact 人数 : count\nsection "一" 10 { item 1 "x" 10 { score 人树 } }\n' > "$T/bad.kh"
CK_FORK=no CK_RUN_SUITE=csv run "csv suite" "$C"
CK_FORK=no CK_RUN_SUITE=diag run "diag suite" "$C"
run "run, table" "$K" run $R $F
run "run, CSV detail, GB18030" "$K" run $R "$T/gb.csv" --format csv --detail
run "run, JSON to a file" "$K" run $R $F --format json -o "$T/out.json"
run "run, workbook" "$K" run $R $F --format xlsx -o "$T/out.xlsx"
run "explain" "$K" explain $R $F --unit 西山镇
run "report" "$K" report $R $F -o "$T/report.html"
run "disasm" "$K" disasm $R
run "bad facts" "$K" run $R "$T/bad.csv"
run "bad rules" "$K" run "$T/bad.kh" $F
exit $status
