#!/usr/bin/env python3
"""check_dom.py - check the review page's DOM as Chromium rendered it.

    check_dom.py DOM.html FLAG_BELOW [GOLD.tsv]

Checks, printing one line per failure and exiting 1 on any:
- the page is self-contained: no script, link, img, iframe, object, no URL;
- each bead row has data-bead 1..N in order, a data-type "m-n[-k]" whose
  counts equal the sentences shown in its cells, and a data-score in [0, 1];
- a row is flagged (class "flag") exactly when its score is below FLAG_BELOW;
- every version's sentences appear once each, in order (data-s 1..n), and
  the header count of each version equals its number of sentences;
- with GOLD.tsv (ids<TAB>ids, 1-based, comma lists): the beads are exactly
  the gold beads.
Prints "beads=N flagged=F paragraphs=P" on success.
"""
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = []         # per bead: dict(attrs, cells=[[sentence ids]])
        self.para_rows = 0
        self.header_counts = []
        self.forbidden = []
        self.urls = []
        self._cell = None
        self._in_bead = False
        self._in_th = False
        self._in_count = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.forbidden.append(tag)
        for k, v in attrs:
            if v and re.search(r"(https?|ftp)://", v):
                self.urls.append(f"{tag} {k}={v}")
        if tag == "tr":
            self._in_bead = "bead" in cls
            if self._in_bead:
                self.rows.append({"attrs": a, "cls": cls, "cells": []})
            self.para_rows += "para" in cls
        elif tag == "td" and self._in_bead and "meta" not in cls and self._cell is None:
            self._cell = []
            self.rows[-1]["cells"].append(self._cell)
        elif tag == "span" and "s" in cls and self._cell is not None:
            self._cell.append(int(a["data-s"]))
        elif tag == "th":
            self._in_th = True
        elif tag == "span" and "count" in cls and self._in_th:
            self._in_count = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "th":
            self._in_th = False
        elif tag == "span":
            self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.header_counts.append(int(data))


def gold_beads(path):
    beads = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            sides = line.split("\t")
            beads.append([[int(x) for x in s.split(",")] if s else [] for s in sides])
    return beads


def main():
    dom_path, flag_below = sys.argv[1], float(sys.argv[2])
    page = Page()
    with open(dom_path, encoding="utf-8") as f:
        page.feed(f.read())
    errors = []
    if page.forbidden:
        errors.append(f"external or active elements: {sorted(set(page.forbidden))}")
    if page.urls:
        errors.append(f"URLs in attributes: {page.urls[:3]}")
    if not page.rows:
        errors.append("no bead rows")
    nver = len(page.header_counts)
    seen = [[] for _ in range(nver)]
    flagged = 0
    for i, row in enumerate(page.rows, 1):
        a = row["attrs"]
        if a.get("data-bead") != str(i):
            errors.append(f"row {i}: data-bead={a.get('data-bead')}")
        score = float(a.get("data-score", "nan"))
        if not 0 <= score <= 1:
            errors.append(f"bead {i}: score {score} outside [0, 1]")
        want_flag = score < flag_below
        if ("flag" in row["cls"]) != want_flag:
            errors.append(f"bead {i}: score {score}, flag={'flag' in row['cls']}, threshold {flag_below}")
        flagged += "flag" in row["cls"]
        counts = "-".join(str(len(c)) for c in row["cells"])
        if a.get("data-type") != counts or len(row["cells"]) != nver:
            errors.append(f"bead {i}: data-type {a.get('data-type')} but cells hold {counts}")
        for v, cell in enumerate(row["cells"][:nver]):
            seen[v].extend(cell)
    for v in range(nver):
        if seen[v] != list(range(1, page.header_counts[v] + 1)):
            errors.append(f"version {v + 1}: sentences shown {seen[v][:20]}..., "
                          f"expected 1..{page.header_counts[v]} once each, in order")
    if len(sys.argv) > 3:
        gold = gold_beads(sys.argv[3])
        got = [row["cells"] for row in page.rows]
        if got != gold:
            diff = next((k for k, (g, p) in enumerate(zip(gold, got)) if g != p), min(len(gold), len(got)))
            errors.append(f"beads differ from the gold from bead {diff + 1}: "
                          f"gold {gold[diff:diff + 2]}, page {got[diff:diff + 2]}")
    for e in errors:
        print("FAIL:", e)
    if errors:
        return 1
    print(f"beads={len(page.rows)} flagged={flagged} paragraphs={page.para_rows + 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
