#!/bin/sh
# deb.sh — `make deb`: builds the Debian package with dpkg-buildpackage and
# checks it with lintian. The packaging lives in tools/debian/ (the top level
# of the repository keeps only the project's own folders), so the package is
# built from a copy of the committed tree with tools/debian/ as debian/.
# Leaves build/deb/kaohe_VERSION_ARCH.deb; exits non-zero if the build fails
# or lintian reports an error or a warning.
set -eu
cd "$(dirname "$0")/.."
# the packaging tools, and the Build-Depends of tools/debian/control that
# the plain build does not need (dpkg-buildpackage checks every one)
tools/deps.sh dpkg-dev debhelper lintian fakeroot libzip-dev libexpat1-dev
version=$(sed -n '1s/^kaohe (\([^)]*\)).*/\1/p' tools/debian/changelog)
out=build/deb
rm -rf "$out"
mkdir -p "$out/kaohe-$version"
git archive HEAD | tar -x -C "$out/kaohe-$version"
cp -R tools/debian "$out/kaohe-$version/debian"
(cd "$out/kaohe-$version" && dpkg-buildpackage -us -uc -b >../build.log 2>&1) || {
    tail -30 "$out/build.log" >&2
    echo "kaohe: dpkg-buildpackage failed (log: $out/build.log)" >&2
    exit 1
}
deb=$(ls "$out"/kaohe_"$version"_*.deb)
lintian --fail-on error,warning --suppress-tags-from-file /dev/null "$deb"
echo "$deb"
