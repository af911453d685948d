#!/usr/bin/env python3
"""check_corpora.py - check that the team's corpora (corpora/*/) are consistent.

For every statement:
  * the nine files exist, are UTF-8 (NFC), end with one newline, have no
    CR, tab, stray white space, or empty paragraph;
  * each .txt is exactly its .sent with paragraph lines joined by one space;
  * every version has 15-40 sentences, the same paragraphs, a headline
    (one line without final punctuation) as its first paragraph, and a line
    without final punctuation only at the end of a paragraph;
  * each gold.A-B.tsv covers every sentence of both sides exactly once, in
    order (beads monotone), never across a paragraph break, and only pairs
    paragraph k with paragraph k;
  * the three pairwise golds agree: their join (the three-way gold) is a
    monotone alignment of contiguous sentence ranges, and a three-way bead
    holding sentences of both A and B has at least one A-B link;
  * the files are what corpora/make_corpus.py builds from source.aligned,
    and corpora/README.md holds the current output of corpora/stats.py.

Usage: check_corpora.py [--self-test] CORPORA_DIR
--self-test also breaks copies of a statement in several ways and fails
unless every break is reported (so the checks themselves are checked).
Exit 0 if all is well, 1 with one line per problem on stderr otherwise.
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

LANGS = ("en", "uk", "ru")
PAIRS = (("en", "uk"), ("en", "ru"), ("uk", "ru"))
FILES = [f"{l}.{e}" for l in LANGS for e in ("txt", "sent")] + \
        [f"gold.{a}-{b}.tsv" for a, b in PAIRS]
MIN_SENTS, MAX_SENTS = 15, 40
# Sentence-final punctuation, possibly followed by closing quotes/brackets.
FINAL = re.compile(r"[.!?…][»”\"’)]*$")
ID_LIST = re.compile(r"^([1-9][0-9]*(,[1-9][0-9]*)*)?$")


class Checker:
    def __init__(self):
        self.problems = []

    def bad(self, where, msg):
        self.problems.append(f"{where}: {msg}")

    # -- files -------------------------------------------------------------
    def read(self, path):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.bad(path, f"cannot read as UTF-8: {e}")
            return None
        if text != unicodedata.normalize("NFC", text):
            self.bad(path, "not in Unicode NFC")
        if "\r" in text:
            self.bad(path, "has a carriage return")
        if not text.endswith("\n") or text.endswith("\n\n") or text.startswith("\n"):
            self.bad(path, "must start with text and end with exactly one newline")
        return text

    def sentences(self, path, text):
        """Return the paragraphs of a .sent file as lists of sentences."""
        paras, cur = [], []
        for no, line in enumerate(text.rstrip("\n").split("\n"), 1):
            if line != line.strip() or "\t" in line or "  " in line:
                self.bad(f"{path}:{no}", "stray white space or tab")
            if line:
                cur.append(line)
            elif not cur:
                self.bad(f"{path}:{no}", "empty paragraph")
            else:
                paras.append(cur)
                cur = []
        if cur:
            paras.append(cur)
        return paras

    # -- one statement -----------------------------------------------------
    def statement(self, d):
        texts = {}
        for f in FILES:
            if not (d / f).is_file():
                self.bad(d, f"missing {f}")
                return
            texts[f] = self.read(d / f)
            if texts[f] is None:
                return
        paras = {}
        for l in LANGS:
            paras[l] = self.version(d, l, texts[f"{l}.sent"], texts[f"{l}.txt"])
        if len({len(paras[l]) for l in LANGS}) != 1:
            self.bad(d, "paragraph counts differ: " +
                     ", ".join(f"{l} {len(paras[l])}" for l in LANGS))
            return
        links = {}
        for a, b in PAIRS:
            beads = self.gold(d / f"gold.{a}-{b}.tsv", texts[f"gold.{a}-{b}.tsv"],
                              paras[a], paras[b])
            if beads is None:
                return
            links[(a, b)] = beads
        self.three_way(d, paras, links)

    def version(self, d, lang, sent, txt):
        paras = self.sentences(d / f"{lang}.sent", sent)
        want = "\n\n".join(" ".join(p) for p in paras) + "\n"
        if txt != want:
            self.bad(d / f"{lang}.txt", f"differs from {lang}.sent rebuilt as raw text")
        n = sum(len(p) for p in paras)
        if not MIN_SENTS <= n <= MAX_SENTS:
            self.bad(d / f"{lang}.sent", f"{n} sentences, want {MIN_SENTS}-{MAX_SENTS}")
        if paras and (len(paras[0]) != 1 or FINAL.search(paras[0][0])):
            self.bad(d / f"{lang}.sent", "first paragraph must be one headline line "
                     "without final punctuation")
        for p in paras:
            for line in p[:-1]:
                if not FINAL.search(line):
                    self.bad(d / f"{lang}.sent", f"a line without final punctuation must "
                             f"end its paragraph, or raw text is not segmentable: {line!r}")
        return paras

    def gold(self, path, text, pa, pb):
        """Check one pairwise gold; return its beads as (a_ids, b_ids) lists."""
        para_a = [k for k, p in enumerate(pa) for _ in p]
        para_b = [k for k, p in enumerate(pb) for _ in p]
        beads, next_a, next_b = [], 1, 1
        for no, line in enumerate(text.rstrip("\n").split("\n"), 1):
            where = f"{path}:{no}"
            cells = line.split("\t")
            if len(cells) != 2 or not all(ID_LIST.match(c) for c in cells):
                self.bad(where, f"not 'ids<TAB>ids': {line!r}")
                return None
            a = [int(x) for x in cells[0].split(",")] if cells[0] else []
            b = [int(x) for x in cells[1].split(",")] if cells[1] else []
            if not a and not b:
                self.bad(where, "empty bead")
                return None
            if a != list(range(next_a, next_a + len(a))) or \
                    b != list(range(next_b, next_b + len(b))):
                self.bad(where, f"bead {line!r} is not the next sentences "
                         f"(expected from {next_a} and {next_b}): not monotone or not contiguous")
                return None
            next_a, next_b = next_a + len(a), next_b + len(b)
            if any(i > len(para_a) for i in a) or any(i > len(para_b) for i in b):
                self.bad(where, "sentence number beyond the end of the text")
                return None
            ks = {para_a[i - 1] for i in a} | {para_b[i - 1] for i in b}
            if len(ks) != 1:
                self.bad(where, f"bead {line!r} crosses a paragraph break or pairs "
                         "different paragraphs")
            beads.append((a, b))
        if next_a != len(para_a) + 1 or next_b != len(para_b) + 1:
            self.bad(path, f"covers {next_a - 1}/{len(para_a)} and "
                     f"{next_b - 1}/{len(para_b)} sentences")
            return None
        return beads

    def three_way(self, d, paras, links):
        """Join the pairwise golds and check the three-way result."""
        parent = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for l in LANGS:
            for i in range(1, sum(len(p) for p in paras[l]) + 1):
                find((l, i))
        for (a, b), beads in links.items():
            for ai, bi in beads:
                members = [(a, i) for i in ai] + [(b, i) for i in bi]
                for m in members[1:]:
                    parent[find(m)] = find(members[0])
        comps = {}
        for node in list(parent):
            comps.setdefault(find(node), []).append(node)
        order = []
        for comp in comps.values():
            ranges = {}
            for l in LANGS:
                ids = sorted(i for ll, i in comp if ll == l)
                if ids and ids != list(range(ids[0], ids[-1] + 1)):
                    self.bad(d, f"three-way bead {sorted(comp)} is not contiguous in {l}")
                ranges[l] = (ids[0], ids[-1]) if ids else None
            order.append(ranges)
            for a, b in PAIRS:
                if ranges[a] and ranges[b] and not any(
                        ai and bi and (a, ai[0]) in comp for ai, bi in links[(a, b)]):
                    self.bad(d, f"three-way bead {sorted(comp)} joins {a} and {b} "
                             f"sentences but gold.{a}-{b}.tsv links none of them")
        for l in LANGS:
            seq = sorted((r[l] for r in order if r[l]), key=lambda r: r[0])
            for x, y in zip(seq, seq[1:]):
                if x[1] >= y[0]:
                    self.bad(d, f"three-way beads overlap in {l}: {x} and {y}")
        self.crossing(d, order)

    def crossing(self, d, order):
        """Three-way beads must be ordered the same way in every version."""
        for a, b in PAIRS:
            both = sorted((r[a][0], r[b][0]) for r in order if r[a] and r[b])
            for x, y in zip(both, both[1:]):
                if y[1] < x[1]:
                    self.bad(d, f"three-way beads cross between {a} and {b}: {x} {y}")


def regenerated(corpora, d, checker):
    """The files must be what make_corpus.py builds from source.aligned."""
    src = d / "source.aligned"
    if not src.is_file():
        checker.bad(d, "missing source.aligned")
        return
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, str(corpora / "make_corpus.py"), "--out", tmp,
                            str(d)], capture_output=True, text=True)
        if r.returncode != 0:
            checker.bad(src, f"make_corpus.py failed: {r.stderr.strip()}")
            return
        for f in FILES:
            built = pathlib.Path(tmp) / d.name / f
            if built.read_bytes() != (d / f).read_bytes():
                checker.bad(d / f, "differs from what make_corpus.py builds from "
                            "source.aligned (run corpora/make_corpus.py)")


def readme_current(corpora, checker):
    r = subprocess.run([sys.executable, str(corpora / "stats.py")],
                       capture_output=True, text=True)
    readme = corpora / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    m = re.search(r"<!-- stats -->\n(.*?)<!-- /stats -->", text, re.S)
    if r.returncode != 0 or not m or m.group(1) != r.stdout:
        checker.bad(readme, "bead table missing or stale: paste the output of "
                    "corpora/stats.py between <!-- stats --> and <!-- /stats -->")


def statements(corpora):
    return sorted(p for p in corpora.iterdir() if p.is_dir() and
                  ((p / "source.aligned").exists() or (p / "en.sent").exists()))


def check_all(corpora):
    checker = Checker()
    dirs = statements(corpora)
    if len(dirs) < 6:
        checker.bad(corpora, f"{len(dirs)} statements, issue #2 asks for at least six")
    for d in dirs:
        checker.statement(d)
        regenerated(corpora, d, checker)
    readme_current(corpora, checker)
    return checker.problems, dirs


# -- self-test: each break below must be caught ----------------------------
def edit(d, name, old, new, rebuild=True):
    """Replace the first OLD by NEW in d/name; rebuild the .txt files so
    that only the intended check can notice."""
    p = d / name
    text = p.read_text(encoding="utf-8")
    assert old in text, f"self-test: {old!r} not in {p}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    if rebuild:
        for l in LANGS:
            sent = (d / f"{l}.sent").read_text(encoding="utf-8")
            paras = [q.split("\n") for q in sent.rstrip("\n").split("\n\n")]
            (d / f"{l}.txt").write_text("\n\n".join(" ".join(q) for q in paras) + "\n",
                                        encoding="utf-8")


def drop_last_line(d, name):
    lines = (d / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    edit(d, name, "\n".join(lines) + "\n", "\n".join(lines[:-1]) + "\n")


def swap_gold_lines(d, name):
    lines = (d / name).read_text(encoding="utf-8").split("\n")
    lines[2], lines[3] = lines[3], lines[2]
    (d / name).write_text("\n".join(lines), encoding="utf-8")


# (what is broken, how, a fragment of the problem it must cause)
BREAKS = [
    ("txt edited", lambda d: edit(d, "uk.txt", " ", "  ", rebuild=False),
     "differs from uk.sent"),
    ("sentence dropped", lambda d: drop_last_line(d, "ru.sent"),
     "beyond the end"),
    ("gold beads swapped", lambda d: swap_gold_lines(d, "gold.en-uk.tsv"),
     "not monotone"),
    ("sentence in two beads", lambda d: edit(d, "gold.en-ru.tsv", "\n2\t", "\n1,2\t"),
     "not monotone"),
    ("pairwise golds disagree", lambda d: edit(d, "gold.uk-ru.tsv", "2\t2\n", "2\t\n\t2\n"),
     "links none of them"),
    ("bead across paragraphs", lambda d: edit(d, "gold.en-uk.tsv", "1\t1\n2\t2\n",
                                              "1\t1,2\n2\t\n"),
     "paragraph"),
    ("headline punctuated", lambda d: edit(d, "en.sent", "\n", ".\n"), "headline"),
    ("unpunctuated line inside a paragraph",
     lambda d: edit(d, "uk.sent", ".\n", "\n"), "without final punctuation must"),
]


def self_test(corpora):
    dirs = statements(corpora)
    if not dirs:
        return ["self-test: no statement to break"]
    failures = []
    for name, brk, expect in BREAKS:
        with tempfile.TemporaryDirectory() as tmp:
            d = pathlib.Path(tmp) / dirs[0].name
            shutil.copytree(dirs[0], d)
            brk(d)
            c = Checker()
            c.statement(d)
            if not any(expect in p for p in c.problems):
                failures.append(f"self-test: break '{name}' was not reported as "
                                f"'{expect}' (got {c.problems})")
    return failures


def main(argv):
    selftest = "--self-test" in argv
    args = [a for a in argv if a != "--self-test"]
    if len(args) != 1:
        print("usage: check_corpora.py [--self-test] CORPORA_DIR", file=sys.stderr)
        return 2
    corpora = pathlib.Path(args[0])
    if not (corpora / "make_corpus.py").is_file():
        print(f"check_corpora: {corpora}: not the corpora folder (no make_corpus.py)",
              file=sys.stderr)
        return 1
    problems, dirs = check_all(corpora)
    if selftest:
        problems += self_test(corpora)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(dirs)} statements checked, {len(problems)} problems"
          + (f", {len(BREAKS)} deliberate breaks caught" if selftest and not problems else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
