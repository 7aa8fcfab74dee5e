"""Time per article of each stage, one core: where biascmp spends its time.

    python benchmarks/stages.py [generated|allsides] [N] [--reference]     # default: generated 1000

Default: the engine's path (:func:`biascmp.engine.run_chunk`'s steps), chunk by chunk (128 articles, as
``analyze()``): prepare (the rows' :func:`~biascmp.prepare.prepare_article`), then each family's columnar
kernel on the chunk (:func:`biascmp.engine.measure_family`; a family without a kernel runs its per-article
reference there), then building the chunk's frames ("frames"), then putting the chunks together
(:func:`biascmp.engine.assemble`). Kernels that share a tokenised chunk (the lexicon kernels' tokens, the
readability/sentiment tokens) charge it to the first family that builds it.

``--reference``: the per-article references instead, article by article, every family on one article
before the next (per-sentence caches shared between families are charged to the first family that fills
them). A warm-up on 100 other articles fills the per-word caches first in both modes, so the numbers are
steady-state costs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from run import _frame, _texts  # noqa: E402

from biascmp import engine, registry  # noqa: E402
from biascmp.analysis import CHUNKSIZE as CHUNK  # noqa: E402  (the engine default)
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Options  # noqa: E402


def _reference(texts: list[str], warm: list[str], opts: Options) -> dict[str, float]:
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
    chunks = [engine.run_chunk(rows[i:i + CHUNK], opts) for i in range(0, len(rows), CHUNK)]
    t0 = clock()
    engine.assemble(frame, chunks)
    spent["assemble"] = clock() - t0
    return spent


def _kernels(texts: list[str], warm: list[str], opts: Options) -> dict[str, float]:
    clock = time.perf_counter
    spent = dict.fromkeys(["prepare", *registry.FAMILIES, "frames", "assemble"], 0.0)
    engine.run_chunk(_frame(warm).to_dict("records"), opts)
    prepare_rows, measure_family = engine.prepare_rows, engine.measure_family

    def timed_prepare(*a: Any, **k: Any) -> Any:
        t0 = clock()
        out = prepare_rows(*a, **k)
        spent["prepare"] += clock() - t0
        return out

    def timed_family(name: str, *a: Any, **k: Any) -> Any:
        t0 = clock()
        out = measure_family(name, *a, **k)
        spent[name] += clock() - t0
        return out

    frame = _frame(texts)
    rows = frame.to_dict("records")
    chunks = []
    engine.prepare_rows, engine.measure_family = timed_prepare, timed_family  # run_chunk's own calls
    try:
        for i in range(0, len(rows), CHUNK):
            t0 = clock()
            chunks.append(engine.run_chunk(rows[i:i + CHUNK], opts))
            spent["frames"] += clock() - t0  # the whole chunk, less its stages below
    finally:
        engine.prepare_rows, engine.measure_family = prepare_rows, measure_family
    spent["frames"] -= sum(spent[k] for k in ["prepare", *registry.FAMILIES])
    t0 = clock()
    engine.assemble(frame, chunks)
    spent["assemble"] = clock() - t0
    return spent


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = args[0] if args else "generated"
    n = int(args[1]) if len(args) > 1 else 1000
    texts = _texts(corpus, n + 100)
    warm, texts = texts[:100], texts[100:]
    opts = Options()
    spent = _reference(texts, warm, opts) if "--reference" in sys.argv else _kernels(texts, warm, opts)
    total = sum(spent.values())
    for name, v in spent.items():
        print(f"{name:12s} {1000 * v / len(texts):.3f} ms/article  {100 * v / total:4.1f} %")
    print(f"{'total':12s} {1000 * total / len(texts):.3f} ms/article  ({len(texts) / total:.0f} articles/s)")


if __name__ == "__main__":
    main()
