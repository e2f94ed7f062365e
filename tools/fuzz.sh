#!/bin/sh
# fuzz.sh — runs the libFuzzer harnesses built by `make fuzz` (build-fuzz/),
# each for SECONDS at the lowest CPU priority, starting from the kept corpus
# tests/fuzz/corpus/NAME/. New interesting inputs go to build-fuzz/corpus/NAME/,
# crashes to build-fuzz/crashes/. Prints one line per harness (executions,
# crashes) and appends it to build-fuzz/executions.log. Exits 1 if anything
# crashed.
#   tools/fuzz.sh SECONDS NAME...        (what `make fuzz` calls)
#   tools/fuzz.sh --keep NAME...         merge build-fuzz/corpus/NAME into the
#                                        kept corpus, adding only inputs that
#                                        reach an edge the kept ones do not
#                                        (-use_counters=0: hit counts would
#                                        keep thousands of near-copies)
set -u
cd "$(dirname "$0")/.." || exit 2
B=build-fuzz
# Boehm GC roots hide in ASan's fake stacks (see the Makefile); the GC heap is
# not malloc's, so LeakSanitizer would only see false leaks.
# The last three make each run about 1.4 times as fast (measured on the csv
# harness): shorter allocation stacks, a smaller quarantine, no fill of new
# blocks. A crash still shows its full stack; a kept crasher replayed by
# `make test SAN=1` shows the full allocation stack too.
export ASAN_OPTIONS="detect_stack_use_after_return=0:detect_leaks=0:allocator_may_return_null=1:malloc_context_size=4:quarantine_size_mb=16:max_malloc_fill_size=0"
export UBSAN_OPTIONS="print_stacktrace=1"

# Inputs longer than this are not generated (seeds may be longer): small
# inputs run many times faster and reach the same code; facts for the 2021
# rubric need the 17 units' rows (14 KB) to get past loading.
max_len_for() {
    case "$1" in
        eval) echo "-max_len=16384" ;;
        *) echo "-max_len=8192" ;;
    esac
}

dict_for() {
    case "$1" in
        parse|compile|rules_facts) echo "-dict=tests/fuzz/rules.dict" ;;
        csv|eval) echo "-dict=tests/fuzz/csv.dict" ;;
        xlsx) echo "-dict=tests/fuzz/xlsx.dict" ;;
    esac
}

if [ "${1:-}" = "--keep" ]; then
    shift
    for t in "$@"; do
        [ -d "$B/corpus/$t" ] || continue
        before=$(ls "tests/fuzz/corpus/$t" | wc -l)
        nice -n 19 "$B/fuzz-$t" -merge=1 -use_counters=0 "tests/fuzz/corpus/$t" "$B/corpus/$t" >"$B/merge-$t.log" 2>&1
        echo "$t: $before -> $(ls "tests/fuzz/corpus/$t" | wc -l) inputs kept"
    done
    exit 0
fi

secs=$1
shift
mkdir -p "$B/crashes"
status=0
for t in "$@"; do
    mkdir -p "$B/corpus/$t"
    log="$B/fuzz-$t.log"
    before=$(ls "$B/crashes" | grep -c "^$t-" )
    # -timeout: no input may take 10 s (the step budget bounds evaluation);
    # -rss_limit_mb: the collector's heap is not malloc's, so limit the whole.
    nice -n 19 "$B/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=3072 \
        -detect_leaks=0 -print_final_stats=1 $(dict_for "$t") $(max_len_for "$t") \
        -artifact_prefix="$B/crashes/$t-" "$B/corpus/$t" "tests/fuzz/corpus/$t" \
        $(ls -d "tests/fuzz/crashers/$t" 2>/dev/null) >"$log" 2>&1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    after=$(ls "$B/crashes" | grep -c "^$t-")
    new=$((after - before))
    line="$(date -u +%Y-%m-%dT%H:%MZ) $t: ${runs:-?} executions in ${secs} s, $new crashes"
    echo "$line"
    echo "$line" >>"$B/executions.log"
    if [ "$new" -gt 0 ] || [ -z "$runs" ]; then
        status=1
        echo "  see $log; crashing inputs are in $B/crashes/$t-*" >&2
        echo "  fix the cause, then keep each input: git mv it to tests/fuzz/crashers/$t/" >&2
    fi
done
exit $status
