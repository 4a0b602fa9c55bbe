#!/usr/bin/env python3
"""Extract the SQL examples of the docs so the test suite can run them.

Every fenced block opened with ```sql in docs/*.md and docs/reference/*.md is
an example; a block opened with ```sql-norun is shown but not run (for
statements that need a server set-up the suite cannot make, such as COPY to
a client file).  Writes one psql script per markdown file into OUTDIR; the
blocks of one file run in order in one session, so a later example may use
what an earlier one created.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
outdir = pathlib.Path(sys.argv[2])
outdir.mkdir(parents=True, exist_ok=True)
fence = re.compile(r"^```(\S*)\s*$")
total = 0
for md in sorted(list(root.glob("docs/*.md")) + list(root.glob("docs/reference/*.md"))):
    blocks, cur, lang = [], None, None
    for lineno, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
        m = fence.match(line)
        if m and cur is None:
            lang, cur, start = m.group(1), [], lineno
        elif m and cur is not None and m.group(1) == "":
            if lang == "sql":
                blocks.append((start, "\n".join(cur)))
            cur = None
        elif cur is not None:
            cur.append(line)
    if not blocks:
        continue
    name = md.relative_to(root).with_suffix("").as_posix().replace("/", "__")
    with open(outdir / (name + ".sql"), "w", encoding="utf-8") as f:
        for start, body in blocks:
            f.write(f"\\echo '-- {md.relative_to(root)}:{start}'\n{body}\n;\n")
    total += len(blocks)
print(total)
