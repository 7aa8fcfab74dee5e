"""Learning new tokens' properties: the batch path (``_Vocab._add``) against the per-token reference
(``_Vocab._add_reference``), in the same process, back to back, repeated.

    python benchmarks/learn_bench.py [--repeats 5] [--batch 5000] [--articles N]

1. every distinct whitespace token of allsides_dev (``text.split()``), learnt in batches of ``--batch`` into
   a fresh vocabulary: CPU time (``time.process_time``) per token, fast and reference, and the ratio per
   pair (the reference modules' own caches, which the reference fills and the batch path skips, are
   cleared before every run so both start cold);
2. the real mix: ``tokenise`` over the allsides chunks (64 articles, prose sentences as the engine reads
   them) in a fresh vocabulary: total tokenise CPU ms per article with each learning path;
3. which tokens the batch path hands to the reference modules' per-token functions, and how often.

Needs /work/shared/data/allsides_dev.jsonl (or BIASCMP_DATA). The machine may be shared: compare the ratios
measured in the same run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from biascmp import names as _names  # noqa: E402
from biascmp import readability as _rd  # noqa: E402
from biascmp import syllables as _sy  # noqa: E402
from biascmp import vader_fast as _vf  # noqa: E402
from biascmp.columnar import _learn  # noqa: E402
from biascmp.columnar import _tokens_rs as tr  # noqa: E402

DATA = Path(os.environ.get("BIASCMP_DATA", "/work/shared/data")) / "allsides_dev.jsonl"


def texts(limit: int | None) -> list[str]:
    out = []
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
            if limit and len(out) >= limit:
                break
    return out


def clear_caches() -> None:
    """The per-token caches of the reference modules and of the batch path (both paths start cold)."""
    _rd._TOKENS.clear()
    _rd._BY_WORD.clear()
    _rd._word_syllables.clear()
    _vf._TOKENS.clear()
    _sy._cache.clear()
    _names._kind.cache_clear()
    _learn._MADE.clear()  # the batch path's own per-word cache


def warm_tables() -> None:
    """Tables built once per process (not part of learning a token)."""
    _sy.cmu_counts()
    _sy._trie()
    _rd._easy_words()
    _vf._tables()
    _learn._hyphenation_tables()
    _learn._char_tables()
    _learn._special_words()


def learn_all(tokens: list[str], batch: int, reference: bool) -> float:
    """CPU seconds to learn ``tokens`` in batches into a fresh vocabulary."""
    clear_caches()
    gc.collect()
    v = tr._Vocab()
    add = v._add_reference if reference else v._add
    t = time.process_time()
    for i in range(0, len(tokens), batch):
        add(tokens[i:i + batch])
    return time.process_time() - t


def prose_chunks(docs: list[str], size: int = 64) -> list[list[str]]:
    """Each chunk's prose sentences, as ``prose_chunk`` hands them to ``tokenise``."""
    from biascmp.prepare import prepare_article

    arts = [prepare_article(f"a{i}", d) for i, d in enumerate(docs)]
    arts = [a for a in arts if a.meta.get("status", "ok") == "ok"]
    return [[s.text for a in arts[i:i + size] for s in a.sentences if s.kind == "prose"]
            for i in range(0, len(arts), size)]


def tokenise_all(chunks: list[list[str]], reference: bool) -> float:
    clear_caches()
    gc.collect()
    tr.VOCAB = tr._Vocab()
    tr.LEARN_REFERENCE = reference
    try:
        t = time.process_time()
        for c in chunks:
            tr.tokenise(c)
        return time.process_time() - t
    finally:
        tr.LEARN_REFERENCE = False


def fallbacks(tokens: list[str], batch: int) -> dict[str, int]:
    """How many tokens took each path of the batch learner (its own counters), in one cold run."""
    _learn.STATS.clear()
    learn_all(tokens, batch, reference=False)
    return dict(sorted(_learn.STATS.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--articles", type=int, default=None, help="first N allsides_dev articles (default all)")
    ap.add_argument("--no-tokenise", action="store_true", help="skip part 2 (the real mix)")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"learn_bench: {DATA} not found; set BIASCMP_DATA to the folder holding allsides_dev.jsonl")
    docs = texts(args.articles)
    tokens = list(dict.fromkeys(t for d in docs for t in d.split()))
    warm_tables()
    print(f"allsides_dev: {len(docs)} articles, {len(tokens)} distinct tokens, batches of {args.batch}")
    ratios, fast_us, ref_us = [], [], []
    for r in range(args.repeats):
        ref = learn_all(tokens, args.batch, reference=True)
        fast = learn_all(tokens, args.batch, reference=False)
        ref_us.append(ref / len(tokens) * 1e6)
        fast_us.append(fast / len(tokens) * 1e6)
        ratios.append(ref / fast)
        print(f"  run {r + 1}: reference {ref_us[-1]:.2f} us/token, batch {fast_us[-1]:.2f} us/token, "
              f"ratio {ratios[-1]:.2f}x")
    print(f"learn: reference {statistics.median(ref_us):.2f} us/token, batch {statistics.median(fast_us):.2f} "
          f"us/token (medians); ratio median {statistics.median(ratios):.2f}x, min {min(ratios):.2f}x")
    if not args.no_tokenise:
        chunks = prose_chunks(docs)
        n_art = len(docs)
        tr_ref, tr_fast, tr_ratio = [], [], []
        for r in range(max(1, args.repeats // 2)):
            ref = tokenise_all(chunks, reference=True)
            fast = tokenise_all(chunks, reference=False)
            tr_ref.append(ref / n_art * 1e3)
            tr_fast.append(fast / n_art * 1e3)
            tr_ratio.append(ref / fast)
            print(f"  tokenise run {r + 1}: reference learning {tr_ref[-1]:.3f} ms/article, batch learning "
                  f"{tr_fast[-1]:.3f} ms/article, ratio {tr_ratio[-1]:.2f}x")
        print(f"tokenise (64-article chunks, fresh vocabulary): {statistics.median(tr_ref):.3f} -> "
              f"{statistics.median(tr_fast):.3f} ms/article (medians), ratio {statistics.median(tr_ratio):.2f}x")
    print("paths of the batch learner (one cold run; 'per token' = a reference function called per token):")
    for k, v in fallbacks(tokens, args.batch).items():
        print(f"  {k}: {v} ({v / len(tokens):.1%} of the tokens)")


if __name__ == "__main__":
    main()
