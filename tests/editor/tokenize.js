#!/usr/bin/env node
// tokenize.js — tokenizes rule files with tools/editors/vscode's TextMate grammar,
// through the same engine VS Code uses (vscode-textmate + vscode-oniguruma),
// and prints one line per token: FILE:LINE:COL<TAB>TEXT<TAB>SCOPE, the
// innermost scope of each token (whitespace-only tokens left out).
//   node tokenize.js GRAMMAR FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.kaohe');
  const out = [];
  for (const file of files) {
    let state = vsctm.INITIAL;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const r = grammar.tokenizeLine(line, state);
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (!text.trim()) continue;
        out.push(`${file}:${i + 1}:${t.startIndex + 1}\t${text}\t${t.scopes[t.scopes.length - 1]}`);
      }
      state = r.ruleStack;
    });
  }
  process.stdout.write(out.join('\n') + '\n');
}
main().catch((e) => { console.error('tokenize.js: ' + e.message); process.exit(2); });
