#!/usr/bin/env python3
"""make_corpus.py - build a statement's .sent, gold and .txt files from its source.

Each statement is written once, in corpora/<name>/source.aligned, as a
sequence of *units*: the smallest pieces of content that correspond across
the three versions.  Writing the alignment at unit level and deriving the
pairwise golds from it keeps the three golds consistent by construction
(a hand-written gold.en-uk.tsv could disagree with gold.uk-ru.tsv).

source.aligned format (UTF-8):
  # comment                    a line starting with '#'
  (blank line)                 ends a unit
  ---                          a paragraph break (same in all versions)
  en: TEXT / uk: TEXT / ru: TEXT
                               a sentence of that version lying in this unit;
                               several lines of one version = that version
                               split the content into several sentences
  en: ^                        the previous sentence of that version goes on
                               into this unit (it merges two units' content)
A version without a line in a unit does not have that content at all (a
dropped sentence, or a "Read also" line present in one version only).

Derived beads.  For the pair A-B, A and B sentences that share a unit are
linked; each connected set is one bead (1-1, 2-1, 1-2, ...); a sentence
linked to nothing is a 1-0 or 0-1 bead.  The three-way gold is the join of
the three pairwise ones, as in ../shared/bench.

Usage: corpora/make_corpus.py [--out DIR] [STATEMENT_DIR...]
With no directory, every corpora/*/source.aligned is built.  --out writes
the files under DIR/<name>/ instead of beside the source (the test uses it
to check that the committed files are up to date).
"""
import pathlib
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import make_txt  # noqa: E402  (the sibling script, for sent_to_txt)

LANGS = ("uk", "ru", "en")
PAIRS = (("en", "uk"), ("en", "ru"), ("uk", "ru"))
CORPORA = pathlib.Path(__file__).resolve().parent


class SourceError(Exception):
    pass


class Statement:
    """Sentences per version, paragraph ends, and units (sets of sentence ids)."""

    def __init__(self):
        self.sents = {l: [] for l in LANGS}      # sentence texts, 0-based
        self.para_end = {l: set() for l in LANGS}  # 0-based ids ending a paragraph
        self.units = []                          # list of {lang: [ids]}


def parse(path):
    st = Statement()
    unit = {}
    lines = path.read_text(encoding="utf-8").split("\n")

    def close_unit():
        nonlocal unit
        if unit:
            st.units.append(unit)
        unit = {}

    for no, line in enumerate(lines, 1):
        where = f"{path}:{no}"
        if line.startswith("#"):
            continue
        if line.strip() == "":
            close_unit()
            continue
        if line == "---":
            close_unit()
            for l in LANGS:
                if st.sents[l]:
                    st.para_end[l].add(len(st.sents[l]) - 1)
            continue
        lang, sep, text = line.partition(": ")
        if lang not in LANGS or not sep or text != text.strip() or not text:
            raise SourceError(f"{where}: expected 'en|uk|ru: TEXT', got {line!r}")
        if "\t" in text:
            raise SourceError(f"{where}: tab in sentence")
        ids = unit.setdefault(lang, [])
        if text == "^":
            if ids or new_paragraph(st, lang):
                raise SourceError(f"{where}: '^' needs a previous sentence in this paragraph")
            ids.append(len(st.sents[lang]) - 1)
        else:
            st.sents[lang].append(text)
            ids.append(len(st.sents[lang]) - 1)
    close_unit()
    for l in LANGS:
        if not st.sents[l]:
            raise SourceError(f"{path}: no {l} sentence")
        st.para_end[l].add(len(st.sents[l]) - 1)
    return st


def new_paragraph(st, lang):
    """True if LANG has no sentence yet in the current paragraph."""
    if not st.sents[lang]:
        return True
    return (len(st.sents[lang]) - 1) in st.para_end[lang]


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def pair_beads(st, a, b):
    """Beads of the pair A-B as [(a_ids, b_ids)], 1-based, in text order."""
    nodes = [(a, i) for i in range(len(st.sents[a]))] + \
            [(b, i) for i in range(len(st.sents[b]))]
    parent = {n: n for n in nodes}
    for unit in st.units:
        members = [(a, i) for i in unit.get(a, [])] + [(b, i) for i in unit.get(b, [])]
        if unit.get(a) and unit.get(b):
            for m in members[1:]:
                parent[find(parent, m)] = find(parent, members[0])
    groups = {}
    for n in nodes:
        groups.setdefault(find(parent, n), []).append(n)
    beads = []
    for g in groups.values():
        ai = sorted(i + 1 for l, i in g if l == a)
        bi = sorted(i + 1 for l, i in g if l == b)
        beads.append((ai, bi))
    # Text order = order of the first unit a bead's sentences appear in,
    # which also places 1-0 and 0-1 beads where the writer put them.
    first = {}
    for n, unit in enumerate(st.units):
        for lang in (a, b):
            for i in unit.get(lang, []):
                first.setdefault((lang, i + 1), n)

    def key(bead):
        ai, bi = bead
        return (min([first[(a, i)] for i in ai] + [first[(b, i)] for i in bi]), ai, bi)

    return sorted(beads, key=key)


def check_paragraphs(st, path):
    """Every version must have the same number of paragraphs and no unit
    may hold sentences from two paragraphs."""
    counts = {l: len(st.para_end[l]) for l in LANGS}
    if len(set(counts.values())) != 1:
        raise SourceError(f"{path}: paragraph counts differ: {counts}")
    def para_of(l, i):
        return sum(1 for e in st.para_end[l] if e < i)
    for n, unit in enumerate(st.units, 1):
        paras = {para_of(l, i) for l, ids in unit.items() for i in ids}
        if len(paras) != 1:
            raise SourceError(f"{path}: unit {n} spans paragraphs {sorted(paras)}")


def sent_text(st, lang):
    lines = []
    for i, s in enumerate(st.sents[lang]):
        lines.append(s)
        if i in st.para_end[lang] and i != len(st.sents[lang]) - 1:
            lines.append("")
    return "\n".join(lines) + "\n"


def tsv_text(beads):
    return "".join(",".join(map(str, a)) + "\t" + ",".join(map(str, b)) + "\n"
                   for a, b in beads)


def build(src_dir, out_dir):
    path = src_dir / "source.aligned"
    st = parse(path)
    check_paragraphs(st, path)
    out_dir.mkdir(parents=True, exist_ok=True)
    for l in LANGS:
        s = sent_text(st, l)
        (out_dir / f"{l}.sent").write_text(s, encoding="utf-8")
        (out_dir / f"{l}.txt").write_text(make_txt.sent_to_txt(s), encoding="utf-8")
    for a, b in PAIRS:
        (out_dir / f"gold.{a}-{b}.tsv").write_text(tsv_text(pair_beads(st, a, b)),
                                                   encoding="utf-8")


def main(argv):
    out = None
    if argv[:1] == ["--out"]:
        out, argv = pathlib.Path(argv[1]), argv[2:]
    dirs = [pathlib.Path(a) for a in argv] or \
        sorted(p.parent for p in CORPORA.glob("*/source.aligned"))
    try:
        for d in dirs:
            build(d, out / d.name if out else d)
    except SourceError as e:
        print(f"make_corpus: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
