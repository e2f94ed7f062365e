#!/bin/sh
# deps.sh — installs the Debian packages kaohe builds and tests with, when it
# can (root with apt-get); otherwise prints the exact command and fails.
# Called by `make run` and `make test`; quiet when everything is present.
#   tools/deps.sh [PKG...]             the build packages (and PKG...); fails if missing
#   tools/deps.sh --optional PKG...    test-only packages: installed when possible,
#                                      never fails (their tests say when they skip)
set -u
optional=0
if [ "${1:-}" = "--optional" ]; then
    optional=1
    shift
    pkgs="$*"
else
    pkgs="gcc make flex bison pkg-config libgc-dev check libgmp-dev nettle-dev libxlsxwriter-dev libzip-dev libexpat1-dev gettext python3 $*"
fi
missing=""
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
echo "kaohe: installing missing Debian packages:$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null && exit 0
    echo "kaohe: apt-get failed; run it yourself:" >&2
else
    echo "kaohe: not root (or no apt-get); please run:" >&2
fi
echo "  sudo apt-get install$missing" >&2
[ "$optional" = 1 ] && { echo "kaohe: the tests that need them will be skipped" >&2; exit 0; }
exit 1
