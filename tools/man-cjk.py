#!/usr/bin/env python3
"""man-cjk.py — makes a Chinese man page breakable for groff.

    man-cjk.py SRC DEST

groff 1.22 breaks lines only at spaces, and Chinese has none between words:
every long sentence would overflow the page ("can't break line"). This
inserts groff's zero-width break point \\: between two CJK characters of
text, except before closing punctuation and after opening punctuation (no
line may start with ， 。 ） or end with （, as Chinese typesetting rules
have it). A sentence wrapped in the source joins without the space a line
end would make (\\c). Comment lines (.\\") are copied unchanged. Called by the Makefile
for docs/man/zh_CN/*; the result goes to the build folder.
"""
import re
import sys

CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019"
CLOSING = "，。、；：？！）】」』》〉〕”’％"
OPENING = "（【「『《〈〔“‘"
BREAK = re.compile(rf"(?<=[{CJK}])(?<![{OPENING}])(?=[{CJK}])(?![{CLOSING}])")


CJK_CHAR = re.compile(rf"[{CJK}]")


def is_text(line):
    return not line.startswith((".", "'"))


def main(src, dest):
    lines = open(src, encoding="utf-8").read().split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith('.\\"'):
            out.append(line)
            continue
        line = BREAK.sub(r"\\:", line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (is_text(line) and line and CJK_CHAR.match(line[-1]) and is_text(nxt)
                and nxt and CJK_CHAR.match(nxt[0])):
            line += r"\:\c"
        out.append(line)
    with open(dest, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: man-cjk.py SRC DEST")
    main(sys.argv[1], sys.argv[2])
