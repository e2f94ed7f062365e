#!/usr/bin/env python3
"""layers.py — checks that every include and every call points down the layers.

The layers and what each may use are written once, here and in README.md
("Layout"): cli → out, lang, vm; out → vm; vm → code; lang → code; code →
data → base. lang and vm never reach each other; nothing reaches cli.
Two checks, both over the whole product tree:
  * includes: each `#include "x.h"` of a file resolves to a header of its own
    layer or of one it may use;
  * links: each symbol an object file needs (nm -u) is defined in an object
    of its own layer or one it may use; and no two product files need each
    other, directly or around a longer loop (a cycle between files).
Usage: tools/layers.py BUILD_DIR          both checks (exit 1, one line a fault)
       tools/layers.py --includes-only [--root DIR]
                                          the include check alone, on the
                                          sources under DIR (default: this tree)
"""
import os
import re
import subprocess
import sys

# layer → the layers it may use besides itself
ALLOWED = {
    "runtime/base": set(),
    "runtime/data": {"runtime/base"},
    "runtime/code": {"runtime/data", "runtime/base"},
    "lang":         {"runtime/code", "runtime/data", "runtime/base"},
    "runtime/vm":   {"runtime/code", "runtime/data", "runtime/base"},
    "runtime/out":  {"runtime/vm", "runtime/code", "runtime/data", "runtime/base"},
    "runtime/cli":  {"runtime/out", "lang", "runtime/vm", "runtime/code",
                     "runtime/data", "runtime/base"},
}
# Files the build generates from a layer's sources belong to that layer.
GENERATED = {"parser.h": "lang", "lexer.h": "lang", "stdlib.inc": "lang",
             "parser.c": "lang", "lexer.c": "lang"}
SOURCE_EXT = (".c", ".h", ".y", ".l")


def product_files():
    for layer in ALLOWED:
        for name in sorted(os.listdir(layer)):
            if name.endswith(SOURCE_EXT):
                yield layer, os.path.join(layer, name)


def header_layers():
    where = dict(GENERATED)
    for layer, path in product_files():
        base = os.path.basename(path)
        if base in where and not path.endswith((".c", ".y", ".l")):
            sys.exit(f"layers: two headers named {base}")
        if path.endswith(".h"):
            where[base] = layer
    return where


def check_includes(faults):
    where = header_layers()
    pat = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for layer, path in product_files():
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = pat.match(line)
                if not m:
                    continue
                target = where.get(os.path.basename(m.group(1)))
                if target is None:
                    faults.append(f"{path}:{lineno}: includes \"{m.group(1)}\", which is no product header")
                elif target != layer and target not in ALLOWED[layer]:
                    faults.append(f"{path}:{lineno}: {layer} includes \"{m.group(1)}\" of {target}, "
                                  f"which it may not use")


def nm(obj, *flags):
    out = subprocess.run(["nm", "--format=posix", *flags, obj], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def object_layer(build, obj):
    rel = os.path.relpath(obj, build)[:-2]          # strip .o
    base = os.path.basename(rel)
    if base in ("parser", "lexer"):
        return "lang", "lang/" + base + (".y" if base == "parser" else ".l")
    return os.path.dirname(rel), rel + ".c"


def check_links(build, faults):
    objs = {}
    for layer in ALLOWED:
        d = os.path.join(build, layer)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith(".o"):
                    objs[os.path.join(d, name)] = None
    for gen in ("parser.o", "lexer.o"):
        objs[os.path.join(build, gen)] = None
    defined = {}
    for obj in objs:
        for sym in nm(obj, "--defined-only", "--extern-only"):
            defined[sym] = obj
    needs = {}      # source file → {source file: first symbol}
    for obj in objs:
        layer, src = object_layer(build, obj)
        for sym in nm(obj, "--undefined-only"):
            owner = defined.get(sym)
            if owner is None:
                continue                             # a library's
            olayer, osrc = object_layer(build, owner)
            if olayer != layer and olayer not in ALLOWED[layer]:
                faults.append(f"{src}: {layer} calls {sym} in {osrc} ({olayer}), which it may not use")
            if osrc != src:
                needs.setdefault(src, {}).setdefault(osrc, sym)
    return needs


def find_cycles(needs, faults):
    """Tarjan's strongly connected components over file → file links."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in needs.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(needs):
        if v not in index:
            visit(v)
    for comp in out:
        links = []
        for a in comp:
            for b, sym in needs.get(a, {}).items():
                if b in comp:
                    links.append(f"{a} → {b} ({sym})")
        faults.append("cycle between files: " + "; ".join(links))


def main():
    args = sys.argv[1:]
    includes_only = "--includes-only" in args
    args = [a for a in args if a != "--includes-only"]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    if args[:1] == ["--root"] and len(args) >= 2:
        root, args = args[1], args[2:]
    if len(args) != (0 if includes_only else 1):
        sys.exit("usage: tools/layers.py BUILD_DIR | --includes-only [--root DIR]")
    build = os.path.abspath(args[0]) if args else None
    os.chdir(root)
    faults = []
    check_includes(faults)
    if not includes_only:
        find_cycles(check_links(build, faults), faults)
    for f in faults:
        print("layers: " + f)
    if faults:
        print(f"layers: {len(faults)} faults")
        return 1
    if includes_only:
        print("layers: every include points down")
    else:
        print("layers: every include and call points down; no cycle between files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
