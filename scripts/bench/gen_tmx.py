#!/usr/bin/env python3
"""gen_tmx.py N OUT.tmx [SHARED_DIR] - a deterministic synthetic memory of
N three-language (en, uk, ru) units as TMX 1.4b, for scripts/bench/tm.sh.

Sentences come from the sentence-parallel NTREX-128 sample in
SHARED_DIR/data/ntrex128 (1,997 lines per language). Unit k splices the
first half of the words of line a = k mod 1997 onto the second half of
line b = (k div 1997) mod 1997, in each language at the same fraction, so
the units keep real lengths, alphabets and vocabulary, and the first
3,988,009 are distinct. Past that a counter is appended. The same N always
gives the same bytes (dates are fixed).
"""
import os
import sys
from xml.sax.saxutils import escape


def load(shared, lang):
    path = os.path.join(shared, "data", "ntrex128", lang + ".txt")
    try:
        with open(path, encoding="utf-8") as f:
            return [line.split() for line in f.read().splitlines()]
    except OSError as e:
        sys.exit(f"gen_tmx.py: cannot read the shared corpus: {e}")


def splice(a, b):
    return " ".join(a[: (len(a) + 1) // 2] + b[len(b) // 2:])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    langs = ("en", "uk", "ru")
    lines = [load(shared, l) for l in langs]
    m = min(len(x) for x in lines)
    with open(out, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '  <header creationtool="gen_tmx.py" creationtoolversion="1" '
                'segtype="sentence" o-tmf="alignmem" adminlang="en" srclang="en" '
                'datatype="plaintext" creationdate="20260101T000000Z"/>\n  <body>\n')
        buf = []
        for k in range(n):
            a, b = k % m, (k // m) % m
            extra = f" ({k // (m * m)})" if k >= m * m else ""
            day = 1 + k % 28
            buf.append(f'    <tu tuid="{k + 1}" creationdate="202601{day:02d}T120000Z" '
                       f'changedate="202602{day:02d}T120000Z" usagecount="{k % 5}">\n')
            for i, l in enumerate(langs):
                text = escape(splice(lines[i][a], lines[i][b]) + extra)
                buf.append(f'      <tuv xml:lang="{l}"><seg>{text}</seg></tuv>\n')
            buf.append("    </tu>\n")
            if len(buf) > 40000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
        f.write("  </body>\n</tmx>\n")


if __name__ == "__main__":
    main()
