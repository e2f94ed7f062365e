# example.sh — sourced by gcstress.sh and valgrind.sh: the 2021 example
# (R, F), a scratch folder T removed on exit, and the example's facts saved
# as GB18030 in $T/gb.csv (what Excel and WPS on Chinese Windows write).
#   NAME=gcstress; . tools/example.sh
# (sh's `.` passes no arguments: the caller's own $1 would name the folder)
set -u
cd "$(dirname "$0")/.." || exit 2
R=rules/xinjian-2021 F=examples/xinjian-2021/facts.csv
T=$(mktemp -d "/tmp/kaohe-$NAME-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
python3 -c "import sys; sys.stdout.buffer.write(open('$F', encoding='utf-8').read().encode('gb18030'))" > "$T/gb.csv"
