#!/usr/bin/env python3
"""segment_score.py GOLD PRED [--show N]: boundary precision, recall and F1
of a sentence segmentation against a gold one (both one sentence a line,
blank lines ignored). A boundary is the position after a sentence in the
text with all white space removed, so the two sides may differ in spacing;
the end of the text is not counted. Prints "P R F1 gold pred" and, with
--show, the first N disagreements with context."""
import sys


def boundaries(path):
    text, cuts = [], set()
    pos = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = "".join(line.split())
            if not s:
                continue
            text.append(s)
            pos += len(s)
            cuts.add(pos)
    whole = "".join(text)
    cuts.discard(pos)
    return whole, cuts


def main():
    args = sys.argv[1:]
    show = 0
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i:i + 2]
    gtext, gold = boundaries(args[0])
    ptext, pred = boundaries(args[1])
    if gtext != ptext:
        sys.exit("segment_score: the two files do not hold the same text")
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{p:.4f} {r:.4f} {f:.4f} {len(gold)} {len(pred)}")
    for kind, cuts in (("missed", sorted(gold - pred)), ("extra", sorted(pred - gold))):
        for c in cuts[:show]:
            print(f"  {kind}: ...{gtext[max(0, c - 40):c]} | {gtext[c:c + 30]}...")


main()
