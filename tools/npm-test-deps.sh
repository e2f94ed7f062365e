#!/bin/sh
# npm-test-deps.sh — installs the test-only npm packages of tests/editor/
# (VS Code's TextMate tokenizer) from the committed package-lock.json, once.
# Called by `make test-deps`; never fails the build: without node, npm or the
# registry, the editor-grammar case skips and says why.
set -u
cd "$(dirname "$0")/../tests/editor" || exit 0
[ -d node_modules/vscode-textmate ] && [ -d node_modules/vscode-oniguruma ] && exit 0
# Debian's npm is a package of its own; a Node.js from elsewhere brings npm
command -v npm >/dev/null 2>&1 || ../../tools/deps.sh --optional npm
command -v npm >/dev/null 2>&1 || { echo "kaohe: npm missing; the editor-grammar test will be skipped" >&2; exit 0; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
    echo "kaohe: npm ci in tests/editor failed; the editor-grammar test will be skipped" >&2
exit 0
