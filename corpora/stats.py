#!/usr/bin/env python3
"""stats.py - count sentences and bead types in the team's corpora.

Prints a Markdown table: per statement, the sentences per version and the
bead types of each pair (en-uk, en-ru, uk-ru) summed; then the totals over
all statements per pair.  corpora/README.md holds this output between the
markers <!-- stats --> and <!-- /stats -->; tests/corpora checks it is current.

Usage: corpora/stats.py [--update-readme]
--update-readme rewrites the table in corpora/README.md instead of printing it.
"""
import collections
import pathlib
import sys

CORPORA = pathlib.Path(__file__).resolve().parent
PAIRS = (("en", "uk"), ("en", "ru"), ("uk", "ru"))


def n_sents(path):
    return sum(1 for line in path.read_text(encoding="utf-8").split("\n") if line)


def bead_types(path):
    """Counter of 'a-b' bead types in a gold file."""
    types = collections.Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        a, b = line.split("\t")
        types[f"{len(a.split(',')) if a else 0}-{len(b.split(',')) if b else 0}"] += 1
    return types


def type_key(t):
    a, b = map(int, t.split("-"))
    return (t != "1-1", a + b, -a)


def fmt(counter):
    return " · ".join(f"{t} {counter[t]}" for t in sorted(counter, key=type_key))


def table():
    rows = ["| statement | sentences en/uk/ru | bead types (all three pairs) |",
            "|---|---|---|"]
    totals = {p: collections.Counter() for p in PAIRS}
    for d in sorted(p.parent for p in CORPORA.glob("*/en.sent")):
        sents = "/".join(str(n_sents(d / f"{l}.sent")) for l in ("en", "uk", "ru"))
        all_pairs = collections.Counter()
        for a, b in PAIRS:
            c = bead_types(d / f"gold.{a}-{b}.tsv")
            totals[(a, b)] += c
            all_pairs += c
        rows.append(f"| `{d.name}` | {sents} | {fmt(all_pairs)} |")
    rows.append("")
    rows.append("| pair | bead types over all statements |")
    rows.append("|---|---|")
    grand = collections.Counter()
    for a, b in PAIRS:
        rows.append(f"| {a}-{b} | {fmt(totals[(a, b)])} |")
        grand += totals[(a, b)]
    rows.append(f"| all | {fmt(grand)} |")
    return "\n".join(rows) + "\n"


def update_readme():
    readme = CORPORA / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- stats -->\n", "<!-- /stats -->"
    if start not in text or end not in text:
        print(f"stats.py: {readme}: no {start.strip()} ... {end} markers", file=sys.stderr)
        return 1
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(head + start + table() + end + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--update-readme"]:
        sys.exit(update_readme())
    sys.stdout.write(table())
