#!/usr/bin/env python3
"""tmx_same.py ORIGINAL EXPORTED - check that EXPORTED keeps every unit of
ORIGINAL: same number of tu in the same order; per tu every attribute that
ORIGINAL sets (tuid, dates, ids, usagecount), its props and notes (the
x-alignmem-* provenance props of EXPORTED aside), and per tuv the language
(case and '_' aside: TMX 1.1 'lang' and 'xml:lang' alike), props, notes and
the seg content with its inline codes, compared as XML trees (attribute
order and <a/> versus <a></a> do not matter). Prints each difference;
exit 1 if any."""
import sys
import xml.etree.ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TU_ATTRS = ("tuid", "creationid", "changeid", "creationdate", "changedate",
            "lastusagedate", "usagecount", "srclang")


def tree(e):
    """A comparable form of an element and everything inside it."""
    return (e.tag, sorted(e.attrib.items()), e.text or "",
            [tree(c) for c in e], e.tail or "")


def lang(e):
    v = e.get(XML_LANG) or e.get("lang") or ""
    return v.replace("_", "-").lower()


def extras(e, skip_ours):
    props = [(p.get("type"), p.text or "") for p in e.findall("prop")
             if not (skip_ours and (p.get("type") or "").startswith("x-alignmem-"))]
    notes = [n.text or "" for n in e.findall("note")]
    return props, notes


def units(path, skip_ours):
    root = ET.parse(path).getroot()
    out = []
    for tu in root.iter("tu"):
        tuvs = []
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            body = (seg.text or "", [tree(c) for c in seg]) if seg is not None else None
            tuvs.append((lang(tuv), extras(tuv, False), body))
        out.append((dict(tu.attrib), extras(tu, skip_ours), tuvs))
    return out


def main():
    orig, got = units(sys.argv[1], False), units(sys.argv[2], True)
    bad = 0
    if len(orig) != len(got):
        print(f"{len(orig)} units in {sys.argv[1]}, {len(got)} exported")
        return 1
    for i, ((oa, oe, ov), (ga, ge, gv)) in enumerate(zip(orig, got), 1):
        for a in TU_ATTRS:
            if a in oa and a != "srclang" and oa[a] != ga.get(a):
                print(f"tu {i}: {a}={oa[a]!r} became {ga.get(a)!r}")
                bad += 1
        if oe != ge:
            print(f"tu {i}: props/notes {oe!r} became {ge!r}")
            bad += 1
        if ov != gv:
            print(f"tu {i}: variants {ov!r} became {gv!r}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
