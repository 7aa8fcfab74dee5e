"""Time per article of each stage, one core: where biascmp spends its time.

    python benchmarks/stages.py [generated|allsides] [N]     # default: generated 1000

Each family is run over all articles after a warm-up on 100 of them (per-word caches filled), so the
numbers are steady-state costs; lexicon families read the shared per-sentence tokens.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from run import _texts  # noqa: E402

from biascmp import actors, attribution, framing, loaded, readability, sentiment, terms  # noqa: E402
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Options  # noqa: E402
from biascmp.tokens import tokenize_article  # noqa: E402


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else "generated"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    texts = _texts(corpus, n)
    opts = Options()

    def timed(name: str, f):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        r = f()
        print(f"{name:12s} {1000 * (time.perf_counter() - t0) / len(texts):.3f} ms/article")
        return r

    arts = timed("prepare", lambda: [prepare_article(str(i), x) for i, x in enumerate(texts)])
    timed("tokens", lambda: [tokenize_article(a) for a in arts])
    for mod in (readability, sentiment, framing, loaded, attribution, terms, actors):
        [mod.measure(a, options=opts) for a in arts[:100]]
        timed(mod.__name__.split(".")[-1], lambda mod=mod: [mod.measure(a, options=opts) for a in arts])


if __name__ == "__main__":
    main()
