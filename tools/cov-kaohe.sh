#!/bin/sh
# cov-kaohe.sh — the kaohe that `make coverage` gives the suite as $KAOHE:
# build-cov/kaohe, except that a run under a file-size or address-space
# limit (tests/fault/) writes its gcov counts into a folder that is thrown
# away. gcov rewrites each .gcda at exit in place; under `ulimit -f` the
# rewrite stops part way, leaving old and new counts mixed (gcovr then
# fails on "call 0 returned -202"), and under `ulimit -v` it may not get
# the memory to merge. Those runs' coverage is lost; the rest stays whole.
#   KAOHE=tools/cov-kaohe.sh build-cov/check_kaohe
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(ulimit -f)" != unlimited ] || [ "$(ulimit -v)" != unlimited ]; then
    export GCOV_PREFIX=/tmp/kaohe-cov-discarded
fi
exec "$here/build-cov/kaohe" "$@"
