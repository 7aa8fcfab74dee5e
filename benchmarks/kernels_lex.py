"""Lexicon families, per-article reference vs columnar kernel, on the same prepared articles.

    python benchmarks/kernels_lex.py [--n N] [--chunk C] [--corpus seeds|allsides|both]
    python benchmarks/kernels_lex.py --n 0 --corpus allsides     # all of allsides_dev: the full check

For each corpus the articles are prepared once (not timed); a warm-up on other articles fills the
per-word caches of both paths; then chunk by chunk, back to back: the per-article reference as the
per-article engine ran it (every family on one article, then the next, so its per-sentence token
caches serve them all) and the kernels on the chunk in pipeline order (framing first, so on both
paths the first family pays for the shared tokenisation). Times are CPU time of this process. Each
article carries readability's word count in ``shared["n_words"]`` (set up untimed), as in the engine.
Prints ms/article per family and the ratio reference / kernel, and checks that every kernel result
(warm-up included) equals the reference (biascmp.columnar.assert_chunk_equal); the last line counts
the inputs that took a slower exact path (biascmp.columnar._lex.STATS: chunks with sentences lower-cased
one by one, hits tested against overlapping quote spans one by one, tokens looked up by string: new
spellings, and tokens without an exact key).

Corpora: ``seeds``: ~410-word articles of the seed articles' sentences, shuffled, each sentence given a
unique leading word ('Meanwhile qbd, ...') so that no per-sentence cache flatters either path (no
outside data needed); ``allsides``: ../shared/data/allsides_dev.jsonl (skipped when absent). Timings
on a shared machine are noisy: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from biascmp.columnar import _lex, assert_chunk_equal, from_family_results, reference_chunk  # noqa: E402
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.readability import _words as textstat_words  # noqa: E402
from biascmp.records import Options  # noqa: E402

DATA = Path(os.environ.get("BIASCMP_DATA", HERE.parent.parent / "shared" / "data"))
FAMILIES = ("framing", "loaded", "terms")  # pipeline order (biascmp.registry.FAMILIES); attribution has no kernel
_WORDS = ("Meanwhile", "Separately", "Still", "Indeed", "Later", "Also", "Earlier", "Now", "Then", "Yet")


def _tag(k: int) -> str:
    """A unique lower-case letters-only word for k (no digit: it must not add a number marker)."""
    out = ""
    while True:
        k, r = divmod(k, 26)
        out += chr(97 + r)
        if not k:
            return "q" + out


def seeds_texts(n: int, seed: int = 0) -> list[str]:
    sents = []
    for p in sorted((HERE.parent / "seeds").glob("*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            sents += [s for s in re.split(r"(?<=[.!?])\s+", para) if 40 <= len(s) <= 400]
    rng = random.Random(seed)
    out = []
    k = 0
    for i in range(n):
        parts, words = [], 0
        while words < 410:
            s = rng.choice(sents)
            k += 1
            parts.append(f"{_WORDS[k % len(_WORDS)]} {_tag(k)}, {s[0].lower()}{s[1:]}")
            words += len(parts[-1].split())
        out.append(f"Article {i}.\n" + "\n".join(" ".join(parts[j:j + 3]) for j in range(0, len(parts), 3)))
    return out


def allsides_texts(n: int) -> list[str] | None:
    path = DATA / "allsides_dev.jsonl"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as f:
        texts = [str(json.loads(line)["text"]) for line in f if line.strip()]
    return texts[:n] if n else texts


def run(name: str, texts: list[str], chunk: int, warm: int = 100) -> None:
    arts = [prepare_article(f"{name}{i}", t) for i, t in enumerate(texts)]
    arts = [a for a in arts if a.meta.get("status", "ok") == "ok"]
    for a in arts:  # as in the engine, where readability runs first and shares its word count with framing
        a.shared["n_words"] = len(textstat_words(" ".join(s.text for s in a.sentences if s.kind == "prose")))
    warm_arts, arts = arts[:warm], arts[warm:]
    opts = Options()
    refs = {f: importlib.import_module(f"biascmp.{f}").measure for f in FAMILIES}
    kers = {f: importlib.import_module(f"biascmp.columnar.{f}").measure_chunk for f in FAMILIES}
    for f in FAMILIES:  # the warm-up is compared too, so every article of the corpus is checked
        assert_chunk_equal(kers[f](warm_arts, options=opts), reference_chunk(refs[f], warm_arts, options=opts))
    t_ref = dict.fromkeys(FAMILIES, 0.0)
    t_ker = dict.fromkeys(FAMILIES, 0.0)
    clock = time.process_time  # CPU time: on a shared machine wall time mostly measures the neighbours
    n_ev = 0
    gc.disable()
    try:
        for lo in range(0, len(arts), chunk):
            c = arts[lo:lo + chunk]
            # the reference as the per-article engine ran it: every family on one article, then the next
            # (so its per-sentence token caches serve every family)
            res: dict[str, list] = {f: [] for f in FAMILIES}
            for a in c:
                for f in FAMILIES:
                    t0 = clock()
                    res[f].append(refs[f](a, options=opts))
                    t_ref[f] += clock() - t0
            want = {f: from_family_results(c, res[f]) for f in FAMILIES}
            got = {}
            for f in FAMILIES:
                t0 = clock()
                got[f] = kers[f](c, options=opts)
                t_ker[f] += clock() - t0
            for f in FAMILIES:
                assert_chunk_equal(got[f], want[f])
                n_ev += len(want[f].evidence)
            gc.collect()
    finally:
        gc.enable()
    n = len(arts)
    words = sum(len(s.text.split()) for a in arts for s in a.sentences if s.kind == "prose") / max(n, 1)
    print(f"\n## {name}: {n} articles timed (~{words:.0f} prose words each), chunks of {chunk}; all "
          f"{n + len(warm_arts)} ok articles (warm-up included; {n_ev} evidence rows timed) equal to the reference")
    print("| family | reference ms/article | kernel ms/article | ratio |")
    print("|---|---:|---:|---:|")
    for f in FAMILIES:
        print(f"| {f} | {1000 * t_ref[f] / n:.3f} | {1000 * t_ker[f] / n:.3f} | {t_ref[f] / t_ker[f]:.1f}x |")
    tr, tk = sum(t_ref.values()), sum(t_ker.values())
    print(f"| **{' + '.join(FAMILIES)}** | {1000 * tr / n:.3f} | {1000 * tk / n:.3f} | {tr / tk:.1f}x |")
    print(f"slower exact paths: {dict(_lex.STATS)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles per corpus (allsides: 0 = all)")
    ap.add_argument("--chunk", type=int, default=128)
    ap.add_argument("--corpus", default="both", choices=["seeds", "allsides", "both"])
    a = ap.parse_args()
    if a.corpus in ("seeds", "both"):
        run("seeds", seeds_texts(a.n + 100), a.chunk)
    if a.corpus in ("allsides", "both"):
        texts = allsides_texts(a.n + 100 if a.n else 0)
        if texts is None:
            print(f"\nallsides: skipped, {DATA / 'allsides_dev.jsonl'} not found")
        else:
            run("allsides", texts, a.chunk)


if __name__ == "__main__":
    main()
