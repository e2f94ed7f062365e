#!/usr/bin/env python3
"""fuzz-seeds.py — writes the seed inputs of the fuzz harnesses from what the
repository already holds: the 2021 rubric, its data, the stdlib, and the
rules and data files of the language test cases. Seeds go to
tests/fuzz/corpus/NAME/seed-*; inputs the fuzzers add later (make fuzz,
then tools/fuzz.sh --keep) sit beside them. Run from the repository root:

    python3 tools/fuzz-seeds.py
"""
import glob
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def sections(path):
    """The `=== file NAME` sections of a case file, as {NAME: bytes}."""
    files, name, body = {}, None, []
    with open(path, "rb") as f:
        for line in f.read().split(b"\n"):
            if line.startswith(b"=== "):
                if name is not None:
                    files[name] = b"\n".join(body)
                head = line[4:].decode()
                name = head[5:] if head.startswith("file ") else None
                body = []
            elif name is not None:
                body.append(line)
    if name is not None:
        files[name] = b"\n".join(body)
    return files


def read(path):
    with open(path, "rb") as f:
        return f.read()


def put(harness, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    rubric = os.path.join(ROOT, "rules", "xinjian-2021")
    rule_files = sorted(glob.glob(os.path.join(rubric, "*.kh")))
    rule_files.append(os.path.join(ROOT, "stdlib", "std.kh"))
    whole = b"\n".join(read(p) for p in sorted(glob.glob(os.path.join(rubric, "*.kh"))))
    cases = sorted(glob.glob(os.path.join(ROOT, "tests", "lang", "*.test")))

    for p in rule_files:
        put("parse", read(p))
    put("parse", whole)
    for c in cases:
        rules = sections(c).get("rules.kh")
        if rules:
            put("parse", rules)
            put("compile", rules)

    facts = read(os.path.join(ROOT, "examples", "xinjian-2021", "facts.csv"))
    for p in sorted(glob.glob(os.path.join(rubric, "*.csv"))):
        put("csv", read(p))
    put("csv", facts)
    put("csv", facts.decode().encode("gb18030"))
    put("csv", b"\xef\xbb\xbf" + facts.replace(b"\n", b"\r\n"))
    put("csv", b'a,"b ""quoted"" text",c\r\n"multi\nline",,"x"\n\n')
    for c in cases:
        f = sections(c).get("facts.csv")
        if f:
            put("csv", f)

    put("eval", facts)
    put("eval", facts.decode().encode("gb18030"))
    lines = facts.split(b"\n")
    put("eval", b"\n".join(lines[:5]) + b"\n")                   # rows missing
    put("eval", b"\n".join([lines[0]] + [l.replace(b",3,", b",,") for l in lines[1:]]))  # blanks

    for c in cases:
        s = sections(c)
        if "rules.kh" in s and "facts.csv" in s:
            data = s["rules.kh"] + b"\n%%\n" + s["facts.csv"]
            if "units.csv" in s:
                data += b"\n%%\n" + s["units.csv"]
            put("rules_facts", data)


if __name__ == "__main__":
    main()
