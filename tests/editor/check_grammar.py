#!/usr/bin/env python3
"""check_grammar.py — the editor grammars against the language itself.

    check_grammar.py ROOT

1. The keywords of tools/editors/vscode's TextMate grammar and of tools/editors/vim's
   syntax file are exactly lang/lex.c's keyword table: a keyword added to
   the language and forgotten in an editor fails here.
2. Every shipped rule file (rules/**/*.kh, stdlib/std.kh) is tokenized by
   VS Code's own engine (tokenize.js) and compared, token by token, with a
   plain reading of the language's lexical rules done here: comments,
   strings, numbers, keywords and names must get their own scopes, and no
   token of a valid file may be marked invalid.
3. A small file with mistakes an input method makes (a full-width comma, a
   full-width colon) is marked invalid exactly there, and a keyword inside a
   string stays string.
Prints one line per fault and exits 1, or prints a summary and exits 0.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
HERE = os.path.dirname(os.path.abspath(__file__))
GRAMMAR = os.path.join(ROOT, "tools/editors/vscode/syntaxes/kaohe.tmLanguage.json")
VIM = os.path.join(ROOT, "tools/editors/vim/syntax/kaohe.vim")
faults = []


def lex_keywords():
    src = open(os.path.join(ROOT, "lang/lex.c"), encoding="utf-8").read()
    table = src[src.index("static const Keyword keywords[]"):]
    table = table[:table.index("};")]
    return set(re.findall(r'\{"([^"]+)",\s*[A-Z_]+\}', table))


def grammar_keywords():
    g = json.load(open(GRAMMAR, encoding="utf-8"))
    words = set()
    for p in g["repository"]["keywords"]["patterns"]:
        if p["name"].startswith(("support.function", "support.constant")):
            continue
        m = re.search(r"\(([a-z_|]+)\)", p["match"])
        words |= set(m.group(1).split("|"))
    return words


def vim_keywords():
    words = set()
    for line in open(VIM, encoding="utf-8"):
        parts = line.split()
        if parts[:2] == ["syn", "keyword"] and parts[2] not in ("kaoheRounding",):
            words |= set(parts[3:])
    return words


def compare(what, got, want):
    for w in sorted(want - got):
        faults.append(f"{what}: keyword '{w}' of lang/lex.c is missing")
    for w in sorted(got - want):
        faults.append(f"{what}: '{w}' is no keyword of lang/lex.c")


TOKEN = re.compile(r"""
    (?P<comment>\#.*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>[0-9]+(?:\.[0-9]+)?%?)
  | (?P<word>[^\W\d]\w*)
  | (?P<space>[ \t\u3000]+)
  | (?P<other>.)
""", re.VERBOSE)


def plain_tokens(path, keywords):
    """(line, col, text, kind) for comments, strings, numbers and words."""
    out = []
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        for m in TOKEN.finditer(line):
            kind = m.lastgroup
            if kind in ("space", "other"):
                continue
            if kind == "word" and m.group() in keywords:
                kind = "keyword"
            out.append((n, m.start() + 1, m.group(), kind))
    return out


SCOPE_OF = {
    "comment": ("comment.",),
    "string": ("string.", "constant.character.escape"),
    "number": ("constant.numeric",),
    "keyword": ("keyword.", "storage.modifier", "constant.language"),
    "word": ("variable.", "support.function", "support.constant"),
}


def tokenize(files):
    out = subprocess.run(["node", os.path.join(HERE, "tokenize.js"), GRAMMAR, *files],
                         capture_output=True, text=True, cwd=HERE)
    if out.returncode != 0:
        sys.exit("check_grammar: tokenize.js failed: " + out.stderr.strip())
    scopes = {}     # (file, line, col) → (text, scope)
    for row in out.stdout.splitlines():
        if not row:
            continue
        where, text, scope = row.split("\t")
        f, line, col = where.rsplit(":", 2)
        scopes[(f, int(line), int(col))] = (text, scope)
    return scopes


def check_file(path, scopes, keywords):
    count = 0
    # the grammar may split a plain token (a string's quotes and body): look
    # up the scope at the token's first character and check the whole run
    for line, col, text, kind in plain_tokens(path, keywords):
        got = scopes.get((path, line, col))
        if got is None:
            faults.append(f"{path}:{line}:{col}: no token starts at '{text}'")
            continue
        if "invalid" in got[1]:
            faults.append(f"{path}:{line}:{col}: '{text}' is marked {got[1]} in a valid file")
        elif not got[1].startswith(SCOPE_OF[kind]):
            faults.append(f"{path}:{line}:{col}: '{text}' ({kind}) has scope {got[1]}")
        count += 1
    return count


def check_mistakes(scopes_fn):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mistakes.kh")
        with open(path, "w", encoding="utf-8") as f:
            f.write('param 人员标准 = max(3，4)  "deduct 是字符串里的词"\n'
                    'fact 人数： count\n')
        scopes = scopes_fn([path])
        want = {(path, 1, 19): "，", (path, 2, 8): "："}
        for key, text in want.items():
            got = scopes.get(key)
            if got is None or got[0] != text or "invalid" not in got[1]:
                faults.append(f"mistakes.kh:{key[1]}:{key[2]}: '{text}' should be marked invalid, got {got}")
        inside = [s for (p, ln, c), (t, s) in scopes.items() if ln == 1 and "deduct" in t]
        if not inside or any(not s.startswith("string.") for s in inside):
            faults.append(f"mistakes.kh:1: 'deduct' inside a string should stay string, got {inside}")


def main():
    keywords = lex_keywords()
    if len(keywords) < 40:
        sys.exit(f"check_grammar: read only {len(keywords)} keywords from lang/lex.c")
    compare("tools/editors/vscode grammar", grammar_keywords(), keywords)
    compare("tools/editors/vim syntax", vim_keywords(), keywords)
    files = sorted(glob.glob(os.path.join(ROOT, "rules/**/*.kh"), recursive=True))
    files.append(os.path.join(ROOT, "stdlib/std.kh"))
    if len(files) < 10:
        sys.exit(f"check_grammar: found only {len(files)} rule files under {ROOT}/rules")
    scopes = tokenize(files)
    tokens = sum(check_file(f, scopes, keywords) for f in files)
    check_mistakes(tokenize)
    for f in faults:
        print(f)
    if faults:
        return 1
    print(f"{len(keywords)} keywords in lex.c, the TextMate grammar and vim; "
          f"{len(files)} rule files, {tokens} tokens scoped as the language reads them; "
          f"input-method mistakes marked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
