#!/usr/bin/env python3
"""data/extract_csf_export.py: reads an export of the NIST CSF 2.0 Reference
Tool (csf2.xlsx, "CSF 2.0" sheet: Function, Category, Subcategory,
Implementation Examples, Informative References) and writes
data/nist/csf2-core-iso27001.csv: per Function, Category and Subcategory its
id, type, whether it is withdrawn, its text as NIST prints it, and the
informative-reference lines that name ISO/IEC 27001:2022, exactly as printed
(joined by " | ").  The other informative references (CCM, CIS, SCF, ...)
are left out: they are not ours to ship.  Standard library only.

  python3 data/extract_csf_export.py csf2.xlsx [OUT.csv]

data/README.md names the export used (repository, commit, sha256)."""
import csv
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "nist", "csf2-core-iso27001.csv")
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_rows(path, name):
    z = zipfile.ZipFile(path)
    strings = ["".join(t.text or "" for t in si.iter(NS + "t"))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(NS + "si")]
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = None
    for s in wb.iter(NS + "sheet"):
        if s.get("name") == name:
            rid = s.get("{%s}id" % SHEET_REL)
            for r in rels:
                if r.get("Id") == rid:
                    target = "xl/" + r.get("Target").lstrip("/").removeprefix("xl/")
    if target is None:
        sys.exit(f"extract_csf_export: no sheet {name!r} in {path}")
    for row in ET.fromstring(z.read(target)).iter(NS + "row"):
        cells = {}
        for c in row.findall(NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find(NS + "v")
            if v is not None:
                cells[col] = strings[int(v.text)] if c.get("t") == "s" else v.text
            else:
                inline = c.find(NS + "is")
                if inline is not None:
                    cells[col] = "".join(t.text or "" for t in inline.iter(NS + "t"))
        yield cells


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    rows = list(sheet_rows(sys.argv[1], "CSF 2.0"))
    if [rows[1].get(c) for c in "ABCDE"] != ["Function", "Category", "Subcategory",
                                               "Implementation Examples", "Informative References"]:
        sys.exit("extract_csf_export: unexpected header row %r" % rows[1])
    result = []
    for r in rows[2:]:
        if r.get("A") and re.match(r"^[A-Z]+ \([A-Z]{2}\)$", r["A"]) and not r.get("E"):
            continue    # the export repeats each Function's name alone on a row
        if r.get("A"):
            kind, cell = "function", r["A"]
            m = re.match(r"^[A-Z]+ \(([A-Z]{2})\): (.*)$", cell, re.S)
        elif r.get("B"):
            kind, cell = "category", r["B"]
            m = re.match(r"^.*? \(([A-Z]{2}\.[A-Z]{2})\): (.*)$", cell, re.S)
        elif r.get("C"):
            kind, cell = "subcategory", r["C"]
            m = re.match(r"^([A-Z]{2}\.[A-Z]{2}-[0-9]{2}): (.*)$", cell, re.S)
        else:
            continue
        if not m:
            sys.exit(f"extract_csf_export: cannot read {kind} {cell!r}")
        text = " ".join(m.group(2).split())
        withdrawn = text.startswith("[Withdrawn")
        iso = [line.strip() for line in (r.get("E") or "").split("\n")
               if line.strip().startswith("ISO/IEC 27001:2022:")]
        result.append({"element_id": m.group(1), "element_type": kind,
                       "withdrawn": "true" if withdrawn else "false",
                       "text": text, "iso27001_2022": " | ".join(iso)})
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["element_id", "element_type", "withdrawn", "text", "iso27001_2022"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(result)


if __name__ == "__main__":
    main()
