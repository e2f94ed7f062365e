#!/bin/sh
# fuzz.sh — runs the libFuzzer harnesses built by `make fuzz` ($FUZZ_BUILD:
# build-fuzz-fast/ for the fast tier, build-fuzz/ for the ASan one), each for
# SECONDS at the lowest CPU priority, starting from the kept corpus
# tests/fuzz/corpus/NAME/. New interesting inputs go to $FUZZ_BUILD/corpus/NAME/,
# crashes to $FUZZ_BUILD/crashes/. Prints one line per harness (executions,
# seconds, executions per second, crashes, libFuzzer's cov and ft) and
# appends it to $FUZZ_BUILD/executions.log. Exits 1 if anything crashed.
#   tools/fuzz.sh SECONDS NAME...        (what `make fuzz` calls)
#   tools/fuzz.sh --campaign SECONDS NAME...
#                                        the same, and each harness's line is
#                                        added to tests/fuzz/campaign.tsv (with
#                                        the commit and the tier), so a campaign
#                                        goes on across sessions; then the totals
#   tools/fuzz.sh --totals               the totals of campaign.tsv per harness
#   tools/fuzz.sh --keep NAME...         merge build-fuzz/corpus/NAME into the
#                                        kept corpus, adding only inputs that
#                                        reach an edge the kept ones do not
#                                        (-use_counters=0: hit counts would
#                                        keep thousands of near-copies)
set -u
cd "$(dirname "$0")/.." || exit 2
B=${FUZZ_BUILD:-build-fuzz}
CAMPAIGN=tests/fuzz/campaign.tsv
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
        parse|compile|rules_facts|commands) echo "-dict=tests/fuzz/rules.dict" ;;
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

# Per harness over every session: executions, seconds, crashes, and the
# coverage of its latest run.
totals() {
    awk -F'\t' 'NR > 1 {
            if (!($4 in runs)) order[n++] = $4
            runs[$4] += $6; secs[$4] += $5; crashes[$4] += $7; cov[$4] = $8; ft[$4] = $9; commit[$4] = $2
            all += $6
        }
        END {
            printf "%-12s %14s %9s %8s %7s %8s %s\n", "harness", "executions", "seconds", "crashes", "cov", "ft", "last commit"
            for (i = 0; i < n; i++) { h = order[i]
                printf "%-12s %14d %9d %8d %7s %8s %s\n", h, runs[h], secs[h], crashes[h], cov[h], ft[h], commit[h] }
            printf "total executions: %d\n", all
        }' "$CAMPAIGN"
}

if [ "${1:-}" = "--totals" ]; then
    totals
    exit 0
fi
campaign=0
if [ "${1:-}" = "--campaign" ]; then
    campaign=1
    shift
    [ -f "$CAMPAIGN" ] || printf 'date\tcommit\ttier\tharness\tseconds\texecutions\tcrashes\tcov\tft\n' >"$CAMPAIGN"
fi
case "$B" in
    *fast*) tier=fast
        # the entropic schedule's bookkeeping per feature took half the time
        # of a cheap input; plain coverage-guided scheduling does not
        extra="-entropic=0" ;;
    *) tier=asan; extra="" ;;
esac
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit+"

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
    start=$(date +%s)
    nice -n 19 "$B/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=3072 \
        -detect_leaks=0 -print_final_stats=1 $extra $(dict_for "$t") $(max_len_for "$t") \
        -artifact_prefix="$B/crashes/$t-" "$B/corpus/$t" "tests/fuzz/corpus/$t" \
        $(ls -d "tests/fuzz/crashers/$t" 2>/dev/null) >"$log" 2>&1
    took=$(( $(date +%s) - start ))
    [ "$took" -gt 0 ] || took=1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -a -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    c=$(echo "$cov" | awk '{print $2}')
    f=$(echo "$cov" | awk '{print $4}')
    after=$(ls "$B/crashes" | grep -c "^$t-")
    new=$((after - before))
    line="$(date -u +%Y-%m-%dT%H:%MZ) $tier $t: ${runs:-?} executions in $took s ($(( ${runs:-0} / took ))/s), $new crashes, cov ${c:-?} ft ${f:-?}"
    echo "$line"
    echo "$line" >>"$B/executions.log"
    if [ "$campaign" = 1 ] && [ -n "$runs" ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$tier" "$t" \
            "$took" "$runs" "$new" "${c:-?}" "${f:-?}" >>"$CAMPAIGN"
    fi
    if [ "$new" -gt 0 ] || [ -z "$runs" ]; then
        status=1
        echo "  see $log; crashing inputs are in $B/crashes/$t-*" >&2
        echo "  fix the cause, then keep each input: git mv it to tests/fuzz/crashers/$t/" >&2
    fi
done
[ "$campaign" = 1 ] && totals
exit $status
