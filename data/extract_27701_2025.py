#!/usr/bin/env python3
"""data/extract_27701_2025.py: writes data/iso27701-2025-controls.csv from
probo's machine-readable list of ISO/IEC 27701:2025 (MIT licence, notice in
data/probo/LICENSE), keeping only each entry's id and name.  probo writes a
name as "heading - title" (the clause or control objective, then the title);
the CSV keeps the two apart, and joining them gives probo's name back.

  git -C <probo> show 5d717eaefbf631119dcb1fd405537dacd4cde93a:apps/console/public/data/frameworks/ISO27701-2025.json > ISO27701-2025.json
  python3 data/extract_27701_2025.py ISO27701-2025.json        # rewrites the CSV
  python3 data/extract_27701_2025.py ISO27701-2025.json OUT    # to OUT

The script stops unless the file is the one data/README.md names (sha256)
and holds what it is read as: 108 entries, clauses 4-10 and Annex A tables
A.1 (31), A.2 (18), A.3 (29), no id twice."""
import csv
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "iso27701-2025-controls.csv")
SHA256 = "acaa9478a3a284cecf12ab324a15fbfec42622898a43f91dae5b6ee3e8dda248"
COUNTS = {"clause": 30, "A.1": 31, "A.2": 18, "A.3": 29}


def part_of(cid):
    if re.fullmatch(r"(4|5|6|7|8|9|10)(\.[0-9]+){1,2}", cid):
        return "clause"
    m = re.fullmatch(r"(A\.[123])(\.[0-9]+){1,2}", cid)
    if not m:
        sys.exit(f"extract_27701_2025: unexpected id {cid!r}")
    return m.group(1)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        sys.exit(f"extract_27701_2025: {sys.argv[1]} has sha256 {digest}, not {SHA256}")
    doc = json.loads(raw)
    if doc.get("id") != "ISO/IEC 27701:2025":
        sys.exit("extract_27701_2025: not the ISO/IEC 27701:2025 list")
    rows, seen = [], set()
    for c in doc["controls"]:
        cid, name = c["id"], c["name"]
        if cid in seen:
            sys.exit(f"extract_27701_2025: {cid} twice")
        seen.add(cid)
        heading, sep, title = name.rpartition(" - ")
        if not sep or not heading or not title or title != title.strip():
            sys.exit(f"extract_27701_2025: name of {cid} is not 'heading - title': {name!r}")
        rows.append({"control_id": cid, "part": part_of(cid), "heading": heading, "title": title})
    got = {p: sum(1 for r in rows if r["part"] == p) for p in COUNTS}
    if got != COUNTS:
        sys.exit(f"extract_27701_2025: expected {COUNTS}, got {got}")
    out = sys.argv[2] if len(sys.argv) == 3 else OUT
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["control_id", "part", "heading", "title"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main()
