#!/usr/bin/env python3
"""mutate.py — a mutation campaign over the C code that decides scores and
messages. Each mutant changes one token of one file (`<` <-> `<=`, `>` <->
`>=`, `==` <-> `!=`, `&&` <-> `||`, a binary `+` <-> `-`, an integer
constant +1 or -1, a `!` dropped), is built, and is run against the suite
until the first failure: killed. A mutant no test notices has survived; one
that does not compile is stillborn and not counted. Not part of `make test`:
it takes minutes, and runs at the lowest CPU priority (nice 19).

The work happens in a copy of the repository's files (default
/tmp/kaohe-mutate, kept between runs so builds stay incremental); the
repository itself is never changed. Run from the repository root:

    python3 tools/mutate.py --sample 50 --seed 1      # 50 mutants drawn with seed 1
    python3 tools/mutate.py --list | wc -l             # every mutation site
    python3 tools/mutate.py --only runtime/vm/vm.c:312:21:<=   # one mutant (an id as printed)
    python3 tools/mutate.py --sample 50 --seed 1 --files runtime/base/num.c

The suite is run in the order that kills soonest: the Check suites but
`cases` (CK_RUN_SUITE=NAME, a few seconds), then the case files, read and
run here the way tests/unit/cases.c runs them, e2e and lang first, stopping
at the first one that differs. tests/fault/ and the slowest cases are left
out of that fast pass; a mutant that survives it is run again on the whole
suite (`build/check_kaohe`, as `make test`) before it is counted a survivor.
Each line of the report: the id (file:line:column:new token), what the
token was, and KILLED (by what), SURVIVED or STILLBORN; the last line the
score, killed / (killed + survived). --log FILE appends the lines as TSV.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The code that decides scores and messages.
DEFAULT_FILES = [
    "runtime/vm/vm.c", "runtime/vm/vm_loop.h", "runtime/vm/vm_batch.h",
    "runtime/vm/vm_batch_lanes.h", "runtime/vm/vm_batch_run.h", "runtime/vm/trace.c",
    "runtime/vm/reach.c", "lang/compile.c", "lang/compile_expr.c", "lang/compile_tiers.c",
    "runtime/base/num.c", "runtime/data/facts.c", "runtime/base/diag.c", "lang/check_bands.c",
]

# Check suites of the fast pass, cheapest and most telling first.
UNIT_SUITES = ["num", "batch", "data", "csv", "diag", "limits", "lexer", "syntax", "base", "xlsx", "fuzz"]
# Case files left to the confirming full run: slow (a browser, big inputs)
# or about the environment, not about scores and messages.
SLOW_CASES = ("tests/fault/", "report-render", "report-print", "synthetic-oracle", "bench-",
              "editor-grammar", "check-install", "deb-")

PUNCT = ["<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
         "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="]
SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "&&": "||", "||": "&&",
        "+": "-", "-": "+"}
VALUE_END = re.compile(r"[A-Za-z0-9_)\]]$")


def tokens(src):
    """(offset, text) of every token outside comments, strings, character
    literals and preprocessor lines."""
    i, n, line_start = 0, len(src), True
    out = []
    while i < n:
        c = src[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if line_start and c == "#":               # a directive, with its continuations
            while i < n and src[i] != "\n":
                i += 2 if src[i] == "\\" else 1
            continue
        line_start = False
        if src.startswith("//", i):
            i = src.find("\n", i)
            i = n if i < 0 else i
        elif src.startswith("/*", i):
            i = src.index("*/", i) + 2
        elif c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append((i, src[i:j + 1]))
            i = j + 1
        elif c.isalnum() or c == "_":
            m = re.compile(r"[A-Za-z0-9_.]+").match(src, i)
            out.append((i, m.group()))
            i = m.end()
        else:
            t = next((p for p in PUNCT if src.startswith(p, i)), c)
            out.append((i, t))
            i += len(t)
    return out


def sites(path, src):
    """Every one-token mutant of a file: (id, offset, old, new)."""
    toks = tokens(src)
    res = []

    def add(off, old, new):
        line = src.count("\n", 0, off) + 1
        col = off - (src.rfind("\n", 0, off) + 1) + 1
        res.append(("%s:%d:%d:%s" % (path, line, col, new or "drop" + old), off, old, new))

    for k, (off, t) in enumerate(toks):
        prev = toks[k - 1][1] if k else ""
        if t in SWAP:
            if t in "+-" and not VALUE_END.search(prev):
                continue                          # unary: a sign, not an operation
            add(off, t, SWAP[t])
        elif t == "!":
            add(off, t, "")
        elif re.fullmatch(r"[0-9]+[uUlL]*", t):
            digits = re.match(r"[0-9]+", t).group()
            if len(digits) > 1 and digits.startswith("0"):
                continue                          # octal
            suffix = t[len(digits):]
            v = int(digits)
            add(off, t, str(v + 1) + suffix)
            if v > 0:
                add(off, t, str(v - 1) + suffix)
    return res


def hand_mutant(spec, old, new):
    """(file, id, offset, old, new) of OLD replaced by NEW on FILE:LINE."""
    rel, line = spec.rsplit(":", 1)
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        src = f.read()
    start = 0
    for _ in range(int(line) - 1):
        start = src.index("\n", start) + 1
    end = src.find("\n", start)
    col = src.find(old, start, end if end >= 0 else len(src))
    if col < 0:
        sys.exit("%s: no '%s' on that line" % (spec, old))
    return (rel, "%s:%d:%s" % (spec, col - start + 1, new), col, old, new)


def sh(cmd, cwd, timeout, env=None):
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return r.returncode, r.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", ""


def sync(work, files):
    """Copies the repository's files (as they are in the work tree) into
    work, rewriting only what differs, so the build there stays
    incremental; the mutated files are touched, since a file restored
    after an interrupted run may have a mutated object."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = os.path.join(ROOT, rel)
        if not os.path.isfile(src):
            continue
        dst = os.path.join(work, rel)
        with open(src, "rb") as f:
            data = f.read()
        if os.path.exists(dst):
            with open(dst, "rb") as f:
                if f.read() == data:
                    continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        os.utime(dst)
    for rel in files:
        os.utime(os.path.join(work, rel))


def build(work):
    code, out = sh(["make", "-s", "-j2", "kaohe", "build/check_kaohe"], work, 600)
    return code == 0, out


def test_env(work):
    env = dict(os.environ)
    for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(v, None)
    env["KAOHE"] = os.path.join(work, "kaohe")
    env["ROOT"] = work
    return env


def load_case(path):
    """A case file's sections, as tests/unit/cases.c reads them."""
    with open(path, "rb") as f:
        text = f.read()
    c = {"files": [], "run": None, "stdout": None, "stderr": None, "exit": 0}
    head, body = None, None
    lines = text.split(b"\n")
    pos = 0
    for k, line in enumerate(lines):
        if line.startswith(b"=== "):
            if head is not None:
                end_section(c, head, text[body:pos])
            head, body = line[4:].decode(), pos + len(line) + 1
        pos += len(line) + 1
    if head is not None:
        end_section(c, head, text[body:])
    return c


def end_section(c, head, data):
    if head.startswith("file "):
        c["files"].append((head[5:], data))
    elif head == "exit":
        c["exit"] = int(data.decode().strip() or 0)
    else:
        c[head] = data


def run_case(path, env, timeout):
    """None when the case passes (or skips), else why it failed."""
    c = load_case(path)
    d = tempfile.mkdtemp(prefix="kaohe-mutcase-")
    try:
        for name, data in c["files"]:
            p = os.path.join(d, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        run = c["run"] if c["run"] is not None else b"$KAOHE run rules.kh facts.csv --format csv\n"
        with open(os.path.join(d, ".run.sh"), "wb") as f:
            f.write(b'cd "' + d.encode() + b'" || exit 99\n' + run + b"\n")
        try:
            r = subprocess.run(["sh", os.path.join(d, ".run.sh")], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout"
        code = r.returncode if r.returncode >= 0 else 128
        if code == 77:
            return None
        if c["stdout"] is not None and r.stdout != c["stdout"]:
            return "stdout"
        if c["stderr"] is not None and r.stderr != c["stderr"]:
            return "stderr"
        if code != c["exit"]:
            return "exit %d" % code
        return None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def case_files(work, full):
    found = []
    for folder in ("tests/e2e", "tests/lang", "tests/bad", "tests/limits", "tests/fault"):
        for name in sorted(os.listdir(os.path.join(work, folder))):
            rel = folder + "/" + name
            if name.endswith(".test") and (full or not any(s in rel for s in SLOW_CASES)):
                found.append(rel)
    return found


def fast_pass(work, suites, cases):
    """What killed the mutant first, or None."""
    env = test_env(work)
    for s in suites:
        env["CK_RUN_SUITE"] = s
        code, _ = sh([os.path.join(work, "build", "check_kaohe")], work, 300, env)
        if code != 0:
            return "suite %s (%s)" % (s, code)
    env.pop("CK_RUN_SUITE", None)
    for rel in cases:
        why = run_case(os.path.join(work, rel), env, 60)
        if why:
            return "%s (%s)" % (rel, why)
    return None


def full_suite(work):
    code, out = sh([os.path.join(work, "build", "check_kaohe")], work, 1800, test_env(work))
    if code == 0:
        return None
    failed = re.findall(r"^(\S+):\d+:[EF]:", out, re.M)
    return "make test (%s)" % (failed[0] if failed else code)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", nargs="+", default=DEFAULT_FILES)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="+", help="mutant ids, as printed")
    ap.add_argument("--hand", nargs=3, action="append", metavar=("FILE:LINE", "OLD", "NEW"),
                    help="a hand-made mutant: OLD replaced by NEW, once, on that line (repeatable)")
    ap.add_argument("--list", action="store_true", help="print every mutation site and stop")
    ap.add_argument("--work", default="/tmp/kaohe-mutate")
    ap.add_argument("--log", help="append a TSV line per mutant to this file")
    ap.add_argument("--no-confirm", action="store_true", help="count a fast-pass survivor without the full run")
    ap.add_argument("--tests", nargs="+", metavar="TEST",
                    help="run only these (case files, or suite:NAME for a Check suite), without checking the "
                         "unmutated copy first: does this test kill this mutant?")
    a = ap.parse_args()

    everything = []
    for rel in a.files:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            everything += [(rel,) + s for s in sites(rel, f.read())]
    if a.list:
        for rel, mid, off, old, new in everything:
            print("%s\twas %s" % (mid, old))
        return 0
    if a.hand:
        chosen = [hand_mutant(spec, old, new) for spec, old, new in a.hand]
    elif a.only:
        chosen = [m for m in everything if m[1] in a.only]
        missing = set(a.only) - {m[1] for m in chosen}
        if missing:
            sys.exit("no such mutant: " + ", ".join(sorted(missing)))
    else:
        chosen = random.Random(a.seed).sample(everything, min(a.sample, len(everything)))
        chosen.sort(key=lambda m: (m[0], m[2]))

    os.nice(19)
    os.makedirs(a.work, exist_ok=True)
    sync(a.work, a.files)
    ok, out = build(a.work)
    if not ok:
        sys.exit("the unmutated copy does not build:\n" + out)
    if a.tests:
        suites = [t[6:] for t in a.tests if t.startswith("suite:")]
        cases = [t for t in a.tests if not t.startswith("suite:")]
        a.no_confirm = True
    else:
        suites, cases = UNIT_SUITES, case_files(a.work, False)
    why = fast_pass(a.work, suites, cases) or (None if a.no_confirm else full_suite(a.work))
    if why:
        sys.exit("the unmutated copy fails %s: fix that first" % why)
    print("%d sites in %d files; %d mutants" % (len(everything), len(a.files), len(chosen)), flush=True)

    counts = {"KILLED": 0, "SURVIVED": 0, "STILLBORN": 0}
    log = open(a.log, "a") if a.log else None
    for rel, mid, off, old, new in chosen:
        path = os.path.join(a.work, rel)
        with open(path, encoding="utf-8") as f:
            src = f.read()
        assert src[off:off + len(old)] == old, mid
        t0 = time.time()
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(src[:off] + new + src[off + len(old):])
            ok, _ = build(a.work)
            if not ok:
                verdict, why = "STILLBORN", "does not compile"
            else:
                why = fast_pass(a.work, suites, cases) or (None if a.no_confirm else full_suite(a.work))
                verdict = "KILLED" if why else "SURVIVED"
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(src)
        counts[verdict] += 1
        line = "%s\t%s\t%s\t%s\t%.0fs" % (mid, old, verdict, why or "", time.time() - t0)
        print(line, flush=True)
        if log:
            log.write(line + "\n")
            log.flush()
    build(a.work)
    valid = counts["KILLED"] + counts["SURVIVED"]
    print("killed %d of %d valid mutants (%.1f%%); %d survived, %d stillborn" %
          (counts["KILLED"], valid, 100.0 * counts["KILLED"] / valid if valid else 0.0,
           counts["SURVIVED"], counts["STILLBORN"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
