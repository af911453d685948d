#!/usr/bin/env python3
"""align_memory.py - the memory-lexicon protocols of issue #9.

Usage: align_memory.py ALIGNMEM BENCH_DIR WORK_DIR [--langs en,uk,ru]

On BENCH_DIR (pre-segmented, see shared/README.md), with strict bead F1
(the scoring of align_score.py, whose functions this reuses):

  none    each document aligned alone (`align`), as align_score.py does;
  online  documents in name order into an empty memory: each aligned with
          `align --db M` (what the memory knows at that moment), then added
          (`add`, three-way, so every pair learns);
  batch   all documents in one `add --list` into an empty memory (one
          memory per pair and one three-way), then their beads read back
          from the memory: each document's units by position (and the
          units they merged into, from `sources`), the sentences no unit
          holds as 1-0 beads.

No gold is used for learning. Prints one line per pair and three-way.
"""
import json
import os
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from align_score import (Score, plain_beads, read_gold, read_sent,  # noqa: E402
                         run, three_way_gold)


def flat(paras):
    return [s for p in paras for s in p]


def gold_of(doc, pairs):
    g = {}
    for a, b in pairs:
        path = os.path.join(doc, "gold.%s-%s.tsv" % (a, b))
        if not os.path.exists(path):
            sys.exit("align_memory: missing gold file " + path)
        g[(a, b)] = read_gold(path)
    return g


def add(alignmem, db, files, langs):
    cmd = [alignmem, "add", "-q", "-p", "--db", db, "--lang", ",".join(langs)] + files
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), out.stderr.strip()))


def run_db(alignmem, files, langs, db):
    """align_score.run with --db (the same command otherwise)."""
    cmd = [alignmem, "align", "--format", "jsonl", "--lang", ",".join(langs), "--presegmented",
           "-q", "--db", db]
    out = subprocess.run(cmd + files, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd + files), out.stderr.strip()))
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def score_runs(scores, group_runs, gold, langs, pairs):
    for a, b in pairs:
        if (a, b) in group_runs:
            scores["%s-%s" % (a, b)].add(group_runs[(a, b)], [tuple(x) for x in gold[(a, b)]])
    if tuple(langs) in group_runs:
        scores["3-way"].add(group_runs[tuple(langs)], three_way_gold(gold, langs))


def match_side(sents, cur, text):
    """The first sentences sents[i:j] (i >= cur) joined by a space that give
    text: (i, j), or None."""
    for i in range(cur, len(sents)):
        joined = ""
        for j in range(i, len(sents)):
            joined = sents[j] if j == i else joined + " " + sents[j]
            if joined == text:
                return i, j + 1
            if len(joined) >= len(text):
                break
    return None


def beads_from_memory(db, title_of, docs, langs):
    """{doc: [(sides, score)]} rebuilt from the stored units."""
    con = sqlite3.connect(db)
    ids = {t: i for i, t in con.execute("SELECT id, title FROM documents")}
    rows = con.execute("SELECT id, document, position, coalesce(confidence, 1) FROM units"
                       " WHERE document IS NOT NULL UNION ALL"
                       " SELECT s.unit, s.document, s.position, coalesce(u.confidence, 1)"
                       " FROM sources s JOIN units u ON u.id = s.unit").fetchall()
    texts = {}
    for unit, lang, text in con.execute("SELECT unit, lang, text FROM variants"):
        texts.setdefault(unit, {})[lang] = text
    by_doc = {}
    for unit, doc, pos, conf in rows:
        by_doc.setdefault(doc, []).append((pos, unit, conf))
    out = {}
    for d in docs:
        sents = {l: flat(read_sent(os.path.join(d, l + ".sent"))) for l in langs}
        cur = {l: 0 for l in langs}
        beads = []
        for pos, unit, conf in sorted(by_doc.get(ids.get(title_of[d]), [])):
            sides = []
            for l in langs:
                t = texts[unit].get(l)
                m = match_side(sents[l], cur[l], t) if t is not None else None
                if t is not None and m is None:
                    raise RuntimeError("%s: unit %d (%s) not found in the text" % (d, unit, l))
                if m is None:
                    sides.append(())
                    continue
                for k in range(cur[l], m[0]):  # sentences no unit holds
                    beads.append((tuple((k + 1,) if x == l else () for x in langs), 1.0))
                sides.append(tuple(range(m[0] + 1, m[1] + 1)))
                cur[l] = m[1]
            beads.append((tuple(sides), conf))
        for l in langs:
            for k in range(cur[l], len(sents[l])):
                beads.append((tuple((k + 1,) if x == l else () for x in langs), 1.0))
        out[d] = beads
    con.close()
    return out


def new_scores(pairs):
    return {k: Score() for k in ["%s-%s" % p for p in pairs] + ["3-way"]}


def online(alignmem, docs, langs, pairs, work):
    db = os.path.join(work, "online.db")
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    none, mem = new_scores(pairs), new_scores(pairs)
    t_none = t_mem = 0.0
    for d in docs:
        files = {l: os.path.join(d, l + ".sent") for l in langs}
        gold = gold_of(d, pairs)
        runs_none, runs_mem = {}, {}
        for group in [tuple(langs)] + pairs:
            fl = [files[l] for l in group]
            t0 = time.time()
            runs_none[group] = plain_beads(run(alignmem, fl, list(group), False), group)
            t1 = time.time()
            if os.path.exists(db):
                runs_mem[group] = plain_beads(run_db(alignmem, fl, list(group), db), group)
            else:  # the first document: an empty memory is no memory
                runs_mem[group] = runs_none[group]
            t_none += t1 - t0
            t_mem += time.time() - t1
        score_runs(none, runs_none, gold, langs, pairs)
        score_runs(mem, runs_mem, gold, langs, pairs)
        add(alignmem, db, [files[l] for l in langs], langs)
    return none, mem, t_none, t_mem


def batch(alignmem, docs, langs, pairs, work):
    scores = new_scores(pairs)
    secs = {}
    for group in pairs + [tuple(langs)]:
        name = "-".join(group)
        db = os.path.join(work, "batch-%s.db" % name)
        lst = os.path.join(work, "batch-%s.list" % name)
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(db + ext):
                os.remove(db + ext)
        with open(lst, "w", encoding="utf-8") as f:
            for d in docs:
                f.write("\t".join(os.path.join(d, l + ".sent") for l in group) + "\n")
        cmd = [alignmem, "add", "-q", "--db", db, "--list", lst, "--lang", ",".join(group)]
        t0 = time.time()
        out = subprocess.run(cmd, capture_output=True, text=True)
        secs[name] = time.time() - t0
        if out.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(cmd), out.stderr.strip()))
        title_of = {d: os.path.join(d, group[0] + ".sent") for d in docs}
        beads = beads_from_memory(db, title_of, docs, list(group))
        for d in docs:
            gold = gold_of(d, pairs)
            score_runs(scores, {group: beads[d]}, gold, langs, pairs)
    return scores, secs


def main():
    args = sys.argv[1:]
    langs = ["en", "uk", "ru"]
    if "--langs" in args:
        i = args.index("--langs")
        langs = args[i + 1].split(",")
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    alignmem, bench, work = args
    if not os.path.isdir(bench):
        sys.exit("align_memory: benchmark folder %s is missing" % bench)
    os.makedirs(work, exist_ok=True)
    docs = sorted(os.path.join(bench, d) for d in os.listdir(bench)
                  if os.path.isdir(os.path.join(bench, d)))
    pairs = [(langs[i], langs[j]) for i in range(len(langs)) for j in range(i + 1, len(langs))]
    none, mem, t_none, t_mem = online(alignmem, docs, langs, pairs, work)
    bat, secs = batch(alignmem, docs, langs, pairs, work)
    print("%s (%d documents, presegmented): strict bead F1 (P / R)" %
          (os.path.basename(bench.rstrip("/")), len(docs)))
    print("  %-8s %-21s %-21s %-21s" % ("", "no memory", "online (align --db)", "batch (add --list)"))
    for k in list(none):
        cells = []
        for s in (none[k], mem[k], bat[k]):
            p, r, f = s.prf()
            cells.append("%.3f (%.3f / %.3f)" % (f, p, r))
        print("  %-8s %-21s %-21s %-21s" % (k, *cells))
    print("  align time, all runs: %.1f s without --db, %.1f s with --db (+%.0f%%, wall, "
          "one process a run)" % (t_none, t_mem, 100 * (t_mem / t_none - 1) if t_none else 0))
    print("  batch add time: " + ", ".join("%s %.1f s" % kv for kv in secs.items()))


if __name__ == "__main__":
    main()
