#!/bin/sh
# po-check.sh — no untranslated message ships: every string the code marks
# with _() or N_() is in po/zh_CN.po, and the catalogue is complete (no
# fuzzy or untranslated entry), as msgfmt --check --statistics reports.
#   tools/po-check.sh [ROOT]     (run by make test from the root)
set -eu
root=${1:-.}
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find lang runtime -name '*.[chy]' | LC_ALL=C sort >"$tmp/files"
xgettext --from-code=UTF-8 --language=C -k --keyword=_ --keyword=N_ \
    --add-comments=TRANSLATORS: -f "$tmp/files" -o "$tmp/kaohe.pot"
[ -s "$tmp/kaohe.pot" ] || { echo "po-check: no marked message found in the code" >&2; exit 1; }
# Merge without guessing (no fuzzy matches): a message of the code that the
# catalogue lacks comes out untranslated, with its place in the source.
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" po/zh_CN.po "$tmp/kaohe.pot"
msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" |
    awk '/^#: / { where = $2 } /^msgid "[^"]/ { print "po-check: " where ": not translated in po/zh_CN.po: " substr($0, 7) }' \
    >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
    cat "$tmp/missing" >&2
    echo "po-check: translate them in po/zh_CN.po ('make pot' lists every message for a translator)" >&2
    exit 1
fi
msgfmt --check --statistics -o /dev/null po/zh_CN.po 2>"$tmp/stat"
case $(cat "$tmp/stat") in
    *fuzzy*|*untranslated*) echo "po-check: po/zh_CN.po is incomplete: $(cat "$tmp/stat")" >&2; exit 1 ;;
esac
echo "po-check: $(cat "$tmp/stat")"
