#!/usr/bin/env python3
"""make_txt.py - rebuild the raw statements (*.txt) from the segmented ones (*.sent).

A .sent file holds one sentence a line and a blank line between paragraphs.
The raw text is what a ministry or a wire publishes: each paragraph's
sentences joined by one space, paragraphs separated by one blank line, and a
final newline.  This is the same convention as ../shared/bench, so raw-text
runs of the segmenter can be scored against the .sent files.

Usage: corpora/make_txt.py [--check] [STATEMENT_DIR...]
With no directory, every statement under corpora/ is rebuilt.  --check
writes nothing and exits 1 if a .txt differs from what the .sent gives.
"""
import pathlib
import sys

LANGS = ("uk", "ru", "en")
CORPORA = pathlib.Path(__file__).resolve().parent


def paragraphs(sent_text):
    """Split .sent text into paragraphs, each a list of sentences."""
    paras, cur = [], []
    for line in sent_text.split("\n"):
        if line == "":
            if cur:
                paras.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        paras.append(cur)
    return paras


def sent_to_txt(sent_text):
    """Return the raw text for the .sent text given."""
    return "\n\n".join(" ".join(p) for p in paragraphs(sent_text)) + "\n"


def statement_dirs(args):
    if args:
        return [pathlib.Path(a) for a in args]
    return sorted(p.parent for p in CORPORA.glob("*/en.sent"))


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    stale = 0
    for d in statement_dirs(args):
        for lang in LANGS:
            want = sent_to_txt((d / f"{lang}.sent").read_text(encoding="utf-8"))
            txt = d / f"{lang}.txt"
            have = txt.read_text(encoding="utf-8") if txt.exists() else None
            if have == want:
                continue
            if check:
                print(f"{txt}: differs from {lang}.sent", file=sys.stderr)
                stale += 1
            else:
                txt.write_text(want, encoding="utf-8")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
