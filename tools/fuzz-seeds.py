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
import shlex

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


def run_section(path):
    """The `=== run` section of a case file, or ''."""
    text = read(path).decode("utf-8", "replace")
    if "\n=== run\n" not in text:
        return ""
    return text.split("\n=== run\n", 1)[1].split("\n=== ", 1)[0]


def whatif_options(run):
    """The what-if options of a case's commands, one per line, as the
    commands harness reads them ("--set 标准=4")."""
    out = []
    for line in run.split("\n"):
        try:
            words = shlex.split(line)
        except ValueError:
            continue
        for i, w in enumerate(words):
            name, eq, value = w.partition("=")
            if name not in ("--set", "--scenario", "--table", "--sweep"):
                continue
            if not eq:
                value = words[i + 1] if i + 1 < len(words) else ""
            if value and "$" not in value:
                out.append(name + " " + value)
    return out


def folder_input(files, options):
    """A rubric folder as the commands harness reads it: rules.kh's text,
    then "%% NAME" parts."""
    files = dict(files)
    data = files.pop("rules.kh", b"")
    for name in sorted(files):
        data += b"\n%% " + name.encode() + b"\n" + files[name]
    if options:
        data += b"\n%% whatif\n" + "\n".join(options).encode() + b"\n"
    return data


def commands_seeds(cases, rubric, facts):
    """Every case's folder (a case with DIR/ files gives one per DIR, with
    the shared top-level files), and the 2021 rubric whole and cut down."""
    for c in cases:
        s = sections(c)
        if not any(n.endswith(".kh") for n in s):
            continue
        top = {n: d for n, d in s.items() if "/" not in n or n.startswith(("tests/", "scenarios/"))}
        dirs = sorted({n.split("/")[0] for n in s if "/" in n and not n.startswith(("tests/", "scenarios/"))})
        opts = whatif_options(run_section(c))
        if any(n.endswith(".kh") for n in top):
            put("commands", folder_input(top, opts))
        for d in dirs:
            sub = {n[len(d) + 1:]: v for n, v in s.items() if n.startswith(d + "/")}
            sub.update({n: v for n, v in top.items() if n not in sub})
            put("commands", folder_input(sub, opts))
    whole = {os.path.basename(p): read(p) for p in glob.glob(os.path.join(rubric, "*.kh"))}
    whole.update({os.path.basename(p): read(p) for p in glob.glob(os.path.join(rubric, "*.csv"))})
    whole["rubric.kh"], whole["rules.kh"] = whole.get("rules.kh", b""), whole.pop("rubric.kh")
    del whole["rubric.kh"]
    tests = {"tests/" + os.path.basename(p): read(p) for p in glob.glob(os.path.join(rubric, "tests", "*.kh"))}
    scen = {"scenarios/" + os.path.basename(p): read(p) for p in glob.glob(os.path.join(rubric, "scenarios", "*.kh"))}
    full = dict(whole, **tests, **scen)
    full["facts.csv"] = facts
    put("commands", folder_input(full, ["--set 人员标准=4", "--scenario scenarios/提高人员标准.kh"]))
    # cut down for speed: section one's items, two rule tests files, the first units' facts
    items = whole["items.kh"].decode()
    small = dict(whole)
    small["items.kh"] = (items.split('section "二')[0]).encode()
    small["tests/defaults.kh"] = tests["tests/defaults.kh"]
    small["tests/section1.kh"] = tests["tests/section1.kh"]
    small["facts.csv"] = facts
    put("commands", folder_input(small, ["--sweep 人员标准=2..4"]))


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

    bad = sorted(glob.glob(os.path.join(ROOT, "tests", "bad", "rules-*.test")))
    commands_seeds(cases + bad, rubric, facts)


if __name__ == "__main__":
    main()
