#!/bin/sh
# check-install.sh — what an installation holds, checked as the bureau's IT
# would see it. Called by .ci/run after `make deb`.
#   tools/check-install.sh [PACKAGE.deb]
# 1. `make install DESTDIR=stage PREFIX=/usr` into a scratch folder: the
#    binary, both man pages in English and Chinese (rendered by man -l with
#    no groff warning), the completion files, the editor files, the rubric;
#    the staged binary scores the staged example like the golden file.
# 2. With a .deb: dpkg -i, `kaohe run` on the installed rubric, `man -L
#    zh_CN kaohe` in Chinese, then dpkg --purge (only as root).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/kaohe-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

make -s install DESTDIR="$work/stage" PREFIX=/usr >/dev/null
s=$work/stage/usr
for f in bin/kaohe share/man/man1/kaohe.1 share/man/man5/kaohe-rules.5 \
         share/man/zh_CN/man1/kaohe.1 share/man/zh_CN/man5/kaohe-rules.5 \
         share/bash-completion/completions/kaohe share/zsh/vendor-completions/_kaohe \
         share/kaohe/editors/vscode/package.json share/kaohe/editors/vim/syntax/kaohe.vim \
         share/kaohe/rules/xinjian-2021/items.kh share/doc/kaohe/language.md \
         share/locale/zh_CN/LC_MESSAGES/kaohe.mo; do
    [ -f "$s/$f" ] || fail "make install did not install $f"
done
for page in man1/kaohe.1 man5/kaohe-rules.5 zh_CN/man1/kaohe.1 zh_CN/man5/kaohe-rules.5; do
    MANWIDTH=80 man -l "$s/share/man/$page" >"$work/page.txt" 2>"$work/warn.txt" || fail "man -l $page failed"
    [ -s "$work/warn.txt" ] && { cat "$work/warn.txt" >&2; fail "man -l $page printed warnings"; }
    grep -q "kaohe" "$work/page.txt" || fail "man -l $page rendered nothing"
done
grep -q "评分细则" "$work/page.txt" || fail "the Chinese kaohe-rules(5) is not Chinese"
"$s/bin/kaohe" run "$s/share/kaohe/rules/xinjian-2021" "$s/share/kaohe/examples/xinjian-2021/facts.csv" \
    --format csv | cmp - tests/golden/xinjian-2021-summary.csv || fail "the staged kaohe scores differently"
printf 'rubric "x" 2024\nparam a =\n' >"$work/bad.kh"
LANG=zh_CN.UTF-8 "$s/bin/kaohe" check "$work/bad.kh" 2>&1 >/dev/null | grep -q "错误" ||
    fail "the staged kaohe does not find its Chinese catalogue under share/locale"
make -s uninstall DESTDIR="$work/stage" PREFIX=/usr >/dev/null
left=$(find "$work/stage" -type f | wc -l)
[ "$left" = 0 ] || fail "make uninstall left $left files"
echo "check-install: make install and uninstall: binary, man pages (en, zh_CN), completion, editor files, rubric; staged kaohe scores the example as the golden file"

[ $# = 1 ] || exit 0
deb=$1
[ "$(id -u)" = 0 ] || { echo "check-install: not root, the .deb is not installed"; exit 0; }
dpkg -s kaohe >/dev/null 2>&1 && fail "kaohe is already installed from a package; not touching it"
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"
trap 'dpkg --purge kaohe >/dev/null 2>&1; rm -rf "$work"' EXIT
cd "$work"
/usr/bin/kaohe run /usr/share/kaohe/rules/xinjian-2021 /usr/share/kaohe/examples/xinjian-2021/facts.csv \
    --format csv | cmp - "$root/tests/golden/xinjian-2021-summary.csv" || fail "the installed kaohe scores differently"
MANWIDTH=80 man -L zh_CN kaohe 2>/dev/null | grep -q "按写成规则文件的考核细则" || fail "man -L zh_CN kaohe is not the Chinese page"
LANG=zh_CN.UTF-8 /usr/bin/kaohe check "$work/bad.kh" 2>&1 >/dev/null | grep -q "错误" ||
    fail "the installed kaohe does not speak Chinese under LANG=zh_CN.UTF-8"
MANWIDTH=80 man kaohe 2>/dev/null | grep -q "score assessed units" || fail "man kaohe is not the English page"
dpkg --purge kaohe >/dev/null || fail "dpkg --purge kaohe failed"
[ ! -e /usr/bin/kaohe ] || fail "dpkg --purge left /usr/bin/kaohe"
echo "check-install: $deb installs, scores the shipped example from /usr/share/kaohe, man -L zh_CN kaohe is Chinese, and purges cleanly"
