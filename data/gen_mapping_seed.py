#!/usr/bin/env python3
"""data/gen_mapping_seed.py: writes sql/271_nist_csf_seed.sql (and the update
part sql/updates/0.1.0--0.2.0/271_nist_csf_seed.sql, which includes it)
from two NIST files committed under data/nist/:

  NIST_CSF_v2.0_catalog.xml   the CSF 2.0 as NIST's OSCAL catalog (ids, titles,
                              statements; it also lists the withdrawn CSF 1.1
                              elements, without marking them)
  csf2-core-iso27001.csv      from NIST's CSF 2.0 Reference Tool export
                              (data/extract_csf_export.py): which elements are
                              withdrawn, their printed text, and the
                              informative references to ISO/IEC 27001:2022

The framework nist-csf-2.0 gets the 6 Functions as groups and the 22
Categories and 106 Subcategories that are not withdrawn as controls (a
Subcategory nested in its Category, as in the OSCAL catalog).  The text of
every shipped element must be the same in both files, or the script stops.
Each "ISO/IEC 27001:2022: Annex A Controls: N.N" reference of a Category or
Subcategory becomes a row of isms.control_relation from the Annex A control
to the CSF element, relationship NULL (the export states none), with the
provenance row isms.mapping_source 'nist-csf-2.0-iso27001-2022'.  Each
"Mandatory Clause: N.N" reference becomes, by the same rule and with the same
provenance, a row from the clause of iso27001-2022-clauses
(data/iso27001-2022-clauses.csv); those rows go to
sql/502_nist_csf_clause_relations.sql (and its update part), because the
clauses are seeded by sql/501_clause_seed.sql, after 271.  What is not
shipped is counted on stderr (see data/README.md).

  python3 data/gen_mapping_seed.py                # all four files
  python3 data/gen_mapping_seed.py OUT            # the 271 install file only, to OUT
  python3 data/gen_mapping_seed.py --clauses OUT  # the 502 install file only, to OUT"""
import csv
import os
import re
import sys
import uuid
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "sql/271_nist_csf_seed.sql")
OUT_UPDATE = os.path.join(ROOT, "sql/updates/0.1.0--0.2.0/271_nist_csf_seed.sql")
OUT_CLAUSES = os.path.join(ROOT, "sql/502_nist_csf_clause_relations.sql")
OUT_CLAUSES_UPDATE = os.path.join(ROOT, "sql/updates/0.1.0--0.2.0/502_nist_csf_clause_relations.sql")
CLAUSES = os.path.join(HERE, "iso27001-2022-clauses.csv")
CLAUSE_FW = "iso27001-2022-clauses"
# Clause references as printed that name no clause of ISO/IEC 27001:2022
# (there is no 6.11 or 6.13); not shipped, and not read as anything else.
NOT_CLAUSES = {"6.11", "6.13"}
CATALOG = os.path.join(HERE, "nist/NIST_CSF_v2.0_catalog.xml")
EXPORT = os.path.join(HERE, "nist/csf2-core-iso27001.csv")
ANNEX_A = os.path.join(HERE, "iso27001-2022-annex-a.csv")
O = "{http://csrc.nist.gov/ns/oscal/1.0}"
FW = "nist-csf-2.0"
SOURCE = "nist-csf-2.0-iso27001-2022"
# Where the two files came from (data/README.md has the details).
CATALOG_FROM = ("github.com/usnistgov/oscal-content@3b3cdee8f9f9f3e9f18dd70d89a58d6287ae433f:"
                "src/nist.gov/CSF/v2.0/xml/NIST_CSF_v2.0_catalog.xml")
EXPORT_FROM = ("github.com/madelere/RiskOnto-v1@77086e93b3d0a37b6cb82ccd126e6473cc7d3edc:csf2.xlsx "
               "(sha256 bfa0693d25528d718e75a9533cd2fb766f66448c3aa7457ee4b4ed288a54557e)")


def q(s):
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"


def norm(s):
    return " ".join(s.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").split())


def sort_id(el):
    # NIST's order (sort-id prop), not the order of the file
    return [p.get("value") for p in el.findall(O + "prop") if p.get("name") == "sort-id"][0]


def text_of(el):
    return norm("".join(el.itertext()))


def count(skipped, what):
    skipped[what] = skipped.get(what, 0) + 1


def clause_refs(cid, value, clauses, clause_pairs, skipped):
    """One "Mandatory Clause" reference of CSF element cid, as printed:
    "N.N", "N.N, N.N" (two clauses), "N.N," or an item of a clause, "4.2(a)"
    or "4.2 (a)" (the relation is to the clause; the note keeps the item).
    clause_pairs maps (clause, cid) to the printed forms that gave it."""
    if value in ("", "None"):
        count(skipped, f"clause references reading {value!r}")
        return
    for part in filter(None, (p.strip() for p in value.split(","))):
        m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)*)(?:\s*\(([a-z])\))?", part)
        if not m:
            sys.exit(f"gen_mapping_seed: unreadable clause reference of {cid}: {value!r}")
        clause = m.group(1)
        if clause in NOT_CLAUSES:
            count(skipped, f"clause references naming no clause ({', '.join(sorted(NOT_CLAUSES))})")
            continue
        if clause not in clauses:
            sys.exit(f"gen_mapping_seed: {cid} names clause {clause!r}, which does not exist")
        printed = clause_pairs.setdefault((clause, cid), [])
        if m.group(2):
            item = f"{clause}({m.group(2)})"
            if item not in printed:
                printed.append(item)
        elif printed is not None and clause not in printed:
            printed.append(clause)


def main():
    args = sys.argv[1:]
    root = ET.parse(CATALOG).getroot()
    md = root.find(O + "metadata")
    with open(EXPORT, newline="") as f:
        export = {r["element_id"]: r for r in csv.DictReader(f)}
    with open(ANNEX_A, newline="") as f:
        annex_a = {r["control_id"] for r in csv.DictReader(f)}
    with open(CLAUSES, newline="") as f:
        clauses = {r["clause_id"] for r in csv.DictReader(f)}

    groups, controls, problems = [], [], []
    for g in sorted(root.findall(O + "group"), key=sort_id):
        gid, gtitle = g.get("id"), norm(g.find(O + "title").text)
        overview = text_of(g.find(O + "part[@name='overview']"))
        e = export.get(gid)
        if e is None or e["element_type"] != "function" or norm(e["text"]) != overview:
            problems.append(f"function {gid}: catalog {overview!r} export {e and e['text']!r}")
        groups.append((gid, gtitle))
        for cat in sorted(g.findall(O + "control"), key=sort_id):
            for el, parent in [(cat, None)] + [(s, cat.get("id")) for s in sorted(cat.findall(O + "control"), key=sort_id)]:
                cid, cls = el.get("id"), el.get("class")
                e = export.get(cid)
                if e is None:
                    problems.append(f"{cls} {cid} is not in the export")
                    continue
                if e["withdrawn"] == "true":
                    continue
                stmt = text_of(el.find(O + "part[@name='statement']"))
                if norm(e["text"]) != stmt:
                    problems.append(f"{cls} {cid}: catalog {stmt!r} export {e['text']!r}")
                title = norm(el.find(O + "title").text) if cls == "category" else stmt
                controls.append((cid, title, gtitle, gid, parent, cls))
    shipped = {c[0] for c in controls}
    for eid, e in export.items():
        if e["withdrawn"] == "false" and e["element_type"] != "function" and eid not in shipped:
            problems.append(f"{e['element_type']} {eid} of the export is not in the catalog")
    if problems:
        sys.exit("gen_mapping_seed: the catalog and the export disagree:\n  " + "\n  ".join(problems))
    counts = {k: sum(1 for c in controls if c[5] == k) for k in ("category", "subcategory")}
    if (len(groups), counts["category"], counts["subcategory"]) != (6, 22, 106):
        sys.exit(f"gen_mapping_seed: expected 6 functions, 22 categories, 106 subcategories, got "
                 f"{len(groups)}, {counts['category']}, {counts['subcategory']}")

    # Informative references to ISO/IEC 27001:2022 Annex A.
    pairs, seen, skipped = [], set(), {}
    clause_pairs = {}
    for cid, *_ in controls:
        for line in filter(None, export[cid]["iso27001_2022"].split(" | ")):
            m = re.match(r"^ISO/IEC 27001:2022: (Annex A Controls|Mandatory Clause):\s*(.*?)\s*$", line)
            if not m:
                sys.exit(f"gen_mapping_seed: unreadable reference of {cid}: {line!r}")
            kind, value = m.groups()
            if kind == "Mandatory Clause":
                clause_refs(cid, value, clauses, clause_pairs, skipped)
                continue
            if value in ("", "None", "All applicable controls"):
                skipped[f"Annex A references reading {value!r}"] = skipped.get(f"Annex A references reading {value!r}", 0) + 1
                continue
            if value not in annex_a:
                sys.exit(f"gen_mapping_seed: {cid} names Annex A control {value!r}, which does not exist")
            if (value, cid) in seen:
                skipped["repeated references"] = skipped.get("repeated references", 0) + 1
                continue
            seen.add((value, cid))
            pairs.append((value, cid))
    fn_refs = sum(1 for g in groups for line in export[g[0]]["iso27001_2022"].split(" | ") if line)
    skipped["references of Functions (groups, not controls, here)"] = fn_refs
    for what, n in sorted(skipped.items()):
        print(f"gen_mapping_seed: not shipped: {n} {what}", file=sys.stderr)

    out = []
    w = out.append
    w("-- GENERATED by data/gen_mapping_seed.py from data/nist/NIST_CSF_v2.0_catalog.xml")
    w("-- and data/nist/csf2-core-iso27001.csv: edit those (or the script) and rerun,")
    w("-- never this file.  The NIST Cybersecurity Framework 2.0 (a US Government work:")
    w("-- ids, titles and outcome statements as NIST publishes them) and NIST's")
    w("-- informative references from it to ISO/IEC 27001:2022 Annex A (ids only);")
    w("-- builtin = true.")
    w("")
    w("INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified, builtin, created_at) VALUES")
    w(f"  ({q(FW)}, {q(norm(md.find(O + 'title').text) + ' (CSF 2.0)')}, '2.0', 'NIST',")
    w("   " + q("Functions (groups), Categories and Subcategories (controls, each Subcategory nested in its Category) "
              "of the NIST Cybersecurity Framework 2.0, NIST CSWP 29; withdrawn CSF 1.1 elements left out; "
              "from NIST's OSCAL catalog " + CATALOG_FROM) + ",")
    w(f"   {q(root.get('uuid'))}, {q(md.find(O + 'last-modified').text)}, true, NULL);")
    w("")
    w("INSERT INTO isms.control_group (framework, id, title, position, builtin) VALUES")
    w(",\n".join(f"  ({q(FW)}, {q(gid)}, {q(t)}, {i + 1}, true)" for i, (gid, t) in enumerate(groups)) + ";")
    w("")
    w("INSERT INTO isms.control (framework, ref, title, theme, group_id, parent_ref, position, attributes, builtin) VALUES")
    w(",\n".join(f"  ({q(FW)}, {q(cid)}, {q(t)}, {q(theme)}, {q(gid)}, {q(parent)}, {i + 1}, "
                 f"'{{\"class\": \"{cls}\"}}', true)"
                 for i, (cid, t, theme, gid, parent, cls) in enumerate(controls)) + ";")
    w("")
    w("INSERT INTO isms.mapping_source (id, title, version, publisher, url, licence, retrieved_from, description,")
    w("                                 oscal_uuid, last_modified, builtin, created_at) VALUES")
    w(f"  ({q(SOURCE)}, 'NIST CSF 2.0 informative references to ISO/IEC 27001:2022',")
    w("   'CSF 2.0 Reference Tool export generated 2025-07-28', 'NIST',")
    w("   'https://csrc.nist.gov/projects/cprt/catalog#/cprt/framework/version/CSF_2_0_0/home',")
    w("   'US Government work (public domain in the US, 17 U.S.C. 105); ISO/IEC control ids only, no ISO text',")
    w(f"   {q(EXPORT_FROM)},")
    w("   " + q("The \"ISO/IEC 27001:2022: Annex A Controls\" and \"Mandatory Clause\" informative references of the "
              "CSF 2.0 Categories and Subcategories, as NIST's CSF 2.0 Reference Tool lists them (the clause references "
              "are seeded by sql/502_nist_csf_clause_relations.sql); the export states no relationship type, "
              "so every row has relationship NULL (related, strength not stated)") + ",")
    w(f"   {q(str(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:pg-isms:mapping-source:' + SOURCE)))}, "
      "'2025-07-28 00:00:00+00', true, NULL);")
    w("")
    w("INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, builtin, source) VALUES")
    order = {c[0]: i for i, c in enumerate(controls)}
    pairs.sort(key=lambda p: (order[p[1]], [int(x) for x in p[0].split(".")]))
    w(",\n".join(f"  ('iso27001-2022', {q(a)}, {q(FW)}, {q(c)}, true, {q(SOURCE)})" for a, c in pairs) + ";")
    text = "\n".join(out) + "\n"

    # The references to the clauses, for sql/502 (the clauses exist there).
    out = []
    w = out.append
    w("-- GENERATED by data/gen_mapping_seed.py from data/nist/csf2-core-iso27001.csv")
    w("-- and data/iso27001-2022-clauses.csv: edit those (or the script) and rerun,")
    w("-- never this file.  NIST's CSF 2.0 informative references to the clauses")
    w("-- 4-10 of ISO/IEC 27001:2022 (ids only), the \"Mandatory Clause\" lines of")
    w("-- the Reference Tool export, with the provenance of sql/271_nist_csf_seed.sql;")
    w("-- relationship NULL (the export states none); builtin = true.  After")
    w("-- sql/501_clause_seed.sql, which seeds the clauses.")
    w("")
    w("INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, note, builtin, source) VALUES")
    ckey = lambda k: (order[k[1]], [int(x) for x in k[0].split(".")])
    rows = []
    for clause, cid in sorted(clause_pairs, key=ckey):
        printed = clause_pairs[(clause, cid)]
        note = None if printed == [clause] else "NIST reference: " + ", ".join(printed)
        rows.append(f"  ({q(CLAUSE_FW)}, {q(clause)}, {q(FW)}, {q(cid)}, {q(note)}, true, {q(SOURCE)})")
    w(",\n".join(rows) + ";")
    ctext = "\n".join(out) + "\n"
    print(f"gen_mapping_seed: shipped: {len(pairs)} Annex A relations, {len(rows)} clause relations", file=sys.stderr)
    if args:
        with open(args[1] if args[0] == "--clauses" else args[0], "w") as f:
            f.write(ctext if args[0] == "--clauses" else text)
        return
    with open(OUT, "w") as f:
        f.write(text)
    with open(OUT_UPDATE, "w") as f:
        f.write(update_part("sql/271_nist_csf_seed.sql"))
    with open(OUT_CLAUSES, "w") as f:
        f.write(ctext)
    with open(OUT_CLAUSES_UPDATE, "w") as f:
        f.write(update_part("sql/502_nist_csf_clause_relations.sql"))


def update_part(install):
    """The update part of a seed new in 0.2.0: the Makefile assembles the install file in."""
    return ("-- Update part, GENERATED by data/gen_mapping_seed.py: the seed is new in 0.2.0, so the\n"
            "-- part is the install file (the Makefile assembles it in).\n"
            "-- include: %s\n" % install)


if __name__ == "__main__":
    main()
