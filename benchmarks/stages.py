"""Time per article of each stage, one core: where biascmp spends its time.

    python benchmarks/stages.py [generated|allsides] [N]     # default: generated 1000

Stages run as ``biascmp.analyze`` runs them: article by article, every family on one article before the
next, so per-sentence caches shared between families (the lexicon tokens of
``biascmp.lexicons.tokens_of``) are charged to the first family that fills them (framing). A warm-up on
100 other articles fills the per-word caches first, so the numbers are steady-state costs. "assemble"
is putting the engine's chunk frames together (biascmp.engine.assemble).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from run import _frame, _texts  # noqa: E402

from biascmp import engine, registry  # noqa: E402
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Options  # noqa: E402


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else "generated"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    texts = _texts(corpus, n + 100)
    warm, texts = texts[:100], texts[100:]
    opts = Options()
    families = [engine._family_module(f).measure for f in registry.FAMILIES]  # the per-article references
    names = ["prepare"] + [f.__module__.split(".")[-1] for f in families]
    spent = dict.fromkeys(names + ["assemble"], 0.0)
    clock = time.perf_counter
    for i, t in enumerate(warm):
        a = prepare_article(f"w{i}", t)
        for f in families:
            f(a, options=opts)
    for i, t in enumerate(texts):
        t0 = clock()
        a = prepare_article(str(i), t)
        t1 = clock()
        spent["prepare"] += t1 - t0
        for name, f in zip(names[1:], families, strict=True):
            f(a, options=opts)
            t2 = clock()
            spent[name] += t2 - t1
            t1 = t2
    frame = _frame(texts)
    rows = frame.to_dict("records")
    chunks = [engine.run_chunk(rows[i:i + 64], opts) for i in range(0, len(rows), 64)]
    t0 = clock()
    engine.assemble(frame, chunks)
    spent["assemble"] = clock() - t0
    total = sum(spent.values())
    for name, v in spent.items():
        print(f"{name:12s} {1000 * v / len(texts):.3f} ms/article  {100 * v / total:4.1f} %")
    print(f"{'total':12s} {1000 * total / len(texts):.3f} ms/article  ({len(texts) / total:.0f} articles/s)")


if __name__ == "__main__":
    main()
