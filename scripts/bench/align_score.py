#!/usr/bin/env python3
"""align_score.py - run `alignmem align` on a gold benchmark and score it.

Usage: align_score.py ALIGNMEM BENCH_DIR [--raw] [--jobs N] [--langs en,uk,ru]

BENCH_DIR holds one folder per document with L.sent files (one sentence a
line, blank line = paragraph break) and gold.A-B.tsv files (see
shared/README.md). For each document it runs the three-way alignment and
one alignment per pair, then prints strict bead precision/recall/F1 (a
predicted bead counts only when exactly the same sentences on each side
form a gold bead; 1-0 and 0-1 beads count too), per pair and three-way, and
the precision of the beads whose confidence is above 0.5/0.8/0.9/0.95.

--raw: the input is rebuilt as raw text (a paragraph's sentences joined by
one space, a blank line between paragraphs) and alignmem segments it; each
predicted sentence is projected onto the gold sentences it overlaps (by
position in the text with white space removed), predicted beads sharing a
gold sentence are merged, then scored strictly (shared/README.md).
"""
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys
import tempfile

THRESHOLDS = (0.5, 0.8, 0.9, 0.95)
WS = re.compile(r"\s+")


def read_sent(path):
    """Sentences and paragraphs of a .sent file: [[s, s], [s], ...]."""
    paras, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                cur.append(line.strip())
            elif cur:
                paras.append(cur)
                cur = []
    if cur:
        paras.append(cur)
    return paras


def read_gold(path):
    beads = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            a, b = (line.split("\t") + [""])[:2]
            ids = lambda s: tuple(int(x) for x in s.split(",") if x.strip())
            beads.append((ids(a), ids(b)))
    return beads


def three_way_gold(gold, langs):
    """Join of the pairwise gold beads: sentences linked in any pair."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (la, lb), beads in gold.items():
        for a, b in beads:
            nodes = [(la, i) for i in a] + [(lb, i) for i in b]
            for n in nodes:
                find(n)
            for n in nodes[1:]:
                parent[find(n)] = find(nodes[0])
    groups = {}
    for n in list(parent):
        groups.setdefault(find(n), []).append(n)
    return {tuple(tuple(sorted(i for l, i in g if l == lang)) for lang in langs)
            for g in groups.values()}


def run(alignmem, files, langs, raw):
    cmd = [alignmem, "align", "--format", "jsonl", "--lang", ",".join(langs)]
    if not raw:
        cmd.append("--presegmented")
    out = subprocess.run(cmd + files, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd + files), out.stderr.strip()))
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def projector(paras):
    """Map predicted sentence texts (in order) to gold sentence ids."""
    spans, pos, text = [], 0, []
    for p in paras:
        for s in p:
            t = WS.sub("", s)
            spans.append((pos, pos + len(t)))
            pos += len(t)
            text.append(t)
    return "".join(text), spans


def project_beads(beads, langs, paras_by_lang):
    """Predicted beads -> beads of gold ids (merging beads that share one)."""
    out = []
    state = {l: (projector(paras_by_lang[l]), 0) for l in langs}
    for b in beads:
        sides = []
        for l in langs:
            (text, spans), cur = state[l]
            ids = set()
            for s in b[l]:
                t = WS.sub("", s)
                if not t:
                    continue
                at = text.find(t, cur)
                if at < 0:
                    raise RuntimeError("predicted sentence not found in the text: %r" % s)
                end = at + len(t)
                cur = end
                ids.update(k + 1 for k, (a, e) in enumerate(spans) if a < end and e > at)
            state[l] = ((text, spans), cur)
            sides.append(ids)
        out.append([sides, b["score"]])
    # Merge beads that share a gold sentence (they are consecutive).
    merged = []
    for sides, score in out:
        if merged and any(merged[-1][0][k] & sides[k] for k in range(len(langs))):
            for k in range(len(langs)):
                merged[-1][0][k] |= sides[k]
            merged[-1][1] = min(merged[-1][1], score)
        else:
            merged.append([sides, score])
    return [(tuple(tuple(sorted(s)) for s in sides), score) for sides, score in merged]


def plain_beads(beads, langs):
    return [(tuple(tuple(b["ids"][l]) for l in langs), b["score"]) for b in beads]


def doc_task(args):
    alignmem, doc, langs, raw = args
    paras = {l: read_sent(os.path.join(doc, l + ".sent")) for l in langs}
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for l in langs:
            if raw:
                files[l] = os.path.join(tmp, l + ".txt")
                with open(files[l], "w", encoding="utf-8") as f:
                    f.write("\n\n".join(" ".join(p) for p in paras[l]) + "\n")
            else:
                files[l] = os.path.join(doc, l + ".sent")
        runs = {}
        pairs = [(langs[i], langs[j]) for i in range(len(langs)) for j in range(i + 1, len(langs))]
        for group in [tuple(langs)] + pairs:
            beads = run(alignmem, [files[l] for l in group], list(group), raw)
            runs[group] = (project_beads(beads, group, paras) if raw else plain_beads(beads, group))
    gold = {}
    for a, b in pairs:
        g = os.path.join(doc, "gold.%s-%s.tsv" % (a, b))
        if not os.path.exists(g):
            raise RuntimeError("missing gold file " + g)
        gold[(a, b)] = read_gold(g)
    return runs, gold


class Score:
    def __init__(self):
        self.tp = self.npred = self.ngold = 0
        self.conf = {t: [0, 0] for t in THRESHOLDS}

    def add(self, pred, gold):
        gold = set(gold)
        self.npred += len(pred)
        self.ngold += len(gold)
        for bead, score in pred:
            ok = bead in gold
            self.tp += ok
            for t in THRESHOLDS:
                if score > t:
                    self.conf[t][0] += ok
                    self.conf[t][1] += 1

    def prf(self):
        p = self.tp / self.npred if self.npred else 0.0
        r = self.tp / self.ngold if self.ngold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def project_pair(beads, group, a, b):
    ia, ib = group.index(a), group.index(b)
    out = []
    for sides, score in beads:
        if sides[ia] or sides[ib]:
            out.append(((sides[ia], sides[ib]), score))
    return out


def main():
    args = sys.argv[1:]
    raw = "--raw" in args
    jobs = 2
    langs = ["en", "uk", "ru"]
    if "--jobs" in args:
        jobs = int(args[args.index("--jobs") + 1])
    if "--langs" in args:
        langs = args[args.index("--langs") + 1].split(",")
    pos = [a for i, a in enumerate(args) if not a.startswith("--")
           and (i == 0 or args[i - 1] not in ("--jobs", "--langs"))]
    alignmem, bench = pos[0], pos[1]
    if not os.path.isdir(bench):
        sys.exit("align_score: benchmark folder %s is missing" % bench)
    docs = sorted(os.path.join(bench, d) for d in os.listdir(bench)
                  if os.path.isdir(os.path.join(bench, d)))
    pairs = [(langs[i], langs[j]) for i in range(len(langs)) for j in range(i + 1, len(langs))]
    scores = {k: Score() for k in ["%s-%s" % p for p in pairs] +
              ["%s-%s/3w" % p for p in pairs] + ["3-way"]}
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        for runs, gold in ex.map(doc_task, [(alignmem, d, langs, raw) for d in docs]):
            for a, b in pairs:
                scores["%s-%s" % (a, b)].add(runs[(a, b)], [tuple(x) for x in gold[(a, b)]])
                scores["%s-%s/3w" % (a, b)].add(project_pair(runs[tuple(langs)], langs, a, b),
                                                 [tuple(x) for x in gold[(a, b)]])
            scores["3-way"].add(runs[tuple(langs)], three_way_gold(gold, langs))
    mode = "raw" if raw else "presegmented"
    print("%s (%d documents, %s)" % (os.path.basename(bench.rstrip("/")), len(docs), mode))
    print("  %-10s %6s %6s %6s   %s" % ("pair", "P", "R", "F1",
                                          "precision (share) of beads with score > " +
                                          " / ".join(str(t) for t in THRESHOLDS)))
    for k, s in scores.items():
        p, r, f = s.prf()
        conf = " ".join("%.3f(%.2f)" % (c[0] / c[1] if c[1] else 0, c[1] / s.npred if s.npred else 0)
                        for c in (s.conf[t] for t in THRESHOLDS))
        print("  %-10s %6.3f %6.3f %6.3f   %s" % (k, p, r, f, conf))


if __name__ == "__main__":
    main()
