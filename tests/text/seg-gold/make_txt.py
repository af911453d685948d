#!/usr/bin/env python3
"""Rebuild LANG.txt from LANG.sent in this folder, or check that they agree.

LANG.sent holds the expected sentences, one per line, with one blank line
between paragraphs. LANG.txt is the raw text a segmenter gets: each paragraph
is its sentences joined by ONE space (U+0020), paragraphs are separated by one
blank line, and the file ends with a newline. The rule is the same for every
paragraph, so the .txt is a pure function of the .sent.

Usage: make_txt.py            rewrite every LANG.txt, print counts
       make_txt.py --check    write nothing; exit 1 if a .sent is malformed
                              or a .txt differs from what it would be
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
# Horizontal whitespace that must not begin or end a sentence line.
EDGE_SPACE = " \t\u00a0\u202f\u2009\u3000"


def paragraphs(path):
    """Return the paragraphs of a .sent file as lists of sentences; raise
    ValueError naming the line of the first format error."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("\ufeff"):
        raise ValueError(f"{path.name}: starts with a BOM")
    if "\r" in text:
        raise ValueError(f"{path.name}: contains CR")
    if not text.endswith("\n") or text.endswith("\n\n"):
        raise ValueError(f"{path.name}: must end with exactly one newline")
    paras, cur = [], []
    for no, line in enumerate(text[:-1].split("\n"), 1):
        where = f"{path.name}:{no}"
        if line == "":
            if not cur:
                raise ValueError(f"{where}: blank line not between paragraphs")
            paras.append(cur)
            cur = []
            continue
        if line.strip(EDGE_SPACE) != line:
            raise ValueError(f"{where}: leading or trailing space")
        if "\t" in line or "  " in line:
            raise ValueError(f"{where}: tab or double space")
        cur.append(line)
    if not cur:
        raise ValueError(f"{path.name}: ends with a blank line")
    paras.append(cur)
    return paras


def render(paras):
    return "\n\n".join(" ".join(p) for p in paras) + "\n"


def main(argv):
    check = "--check" in argv[1:]
    sents = sorted(HERE.glob("*.sent"))
    if not sents:
        print(f"make_txt.py: no .sent files in {HERE}", file=sys.stderr)
        return 1
    bad = 0
    for sent in sents:
        txt = sent.with_suffix(".txt")
        try:
            paras = paragraphs(sent)
        except ValueError as e:
            print(f"make_txt.py: {e}", file=sys.stderr)
            bad += 1
            continue
        want = render(paras)
        n = sum(len(p) for p in paras)
        if check:
            have = txt.read_text(encoding="utf-8") if txt.exists() else None
            if have != want:
                print(f"make_txt.py: {txt.name} is stale; run make_txt.py",
                      file=sys.stderr)
                bad += 1
                continue
        else:
            txt.write_text(want, encoding="utf-8")
        print(f"{sent.stem}: {n} sentences, {len(paras)} paragraphs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
