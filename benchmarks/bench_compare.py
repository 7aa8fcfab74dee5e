"""compare() at scale and its error rates.

    python benchmarks/bench_compare.py           # timing + A/A false-positive rate + power (~1-2 min)

1. Timing: 3,000 articles x 30 metrics x 10 groups, 2,000 resamples (45 pairs: 1,350 permutation tests,
   10 group bootstraps), peak RSS.
2. A/A: 1,000 random splits of 60 skewed (log-normal) values into two pseudo-outlets of 30: share of
   p < 0.05 (nominal 0.05).
3. Power: 1,000 simulations, 30 vs 30 normal values with a 0.8 SD shift (t-test power 0.86).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from biascmp.comparison import compare  # noqa: E402


def synthetic(n: int, k: int, g: int, seed: int = 0) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    cols = {f"m{j:02d}": rng.normal(size=n) + (np.arange(n) % g) * 0.02 * (j % 3) for j in range(k)}
    arts = pd.DataFrame({"article_id": [f"a{i:05d}" for i in range(n)], "outlet": [f"Outlet {i % g}" for i in range(n)],
                         "status": "ok", **cols})
    return SimpleNamespace(articles=arts, sentences=pd.DataFrame(columns=["article_id", "kind"]), params={})


def main() -> None:
    an = synthetic(3000, 30, 10)
    metrics = [c for c in an.articles.columns if c.startswith("m")]
    times = []
    for _ in range(3):  # best of 3: the machine is shared; the minimum is the least disturbed run
        t0 = time.perf_counter()
        c = compare(an, metrics=metrics, n_resamples=2000)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()  # numpy reports its buffers to tracemalloc: the peak of compare()'s own allocations
    compare(an, metrics=metrics, n_resamples=2000)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"timing: 3000 articles x 30 metrics x 10 groups x 2000 resamples: best {min(times):.2f} s, "
          f"runs {', '.join(f'{t:.2f}' for t in times)} s ({len(c.pairs)} pair rows, "
          f"{int(c.pairs['p_value'].notna().sum())} permutation tests); peak allocations in compare() "
          f"{peak:.0f} MB, process peak RSS {rss:.0f} MB")
    rng = np.random.default_rng(1)
    pool = rng.lognormal(size=60)
    n = 1000
    hits = 0
    for i in range(n):
        perm = rng.permutation(60)
        arts = pd.DataFrame({"article_id": [f"x{j}" for j in range(60)], "outlet": ["A"] * 30 + ["B"] * 30,
                             "status": "ok", "v": pool[perm]})
        r = compare(SimpleNamespace(articles=arts, sentences=None, params={}), metrics=["v"], n_resamples=999, seed=i)
        hits += r.pairs.iloc[0]["p_value"] < 0.05
    print(f"A/A false-positive rate (p < 0.05, {n} splits): {hits / n:.3f} (nominal 0.05, binomial SE {np.sqrt(.05 * .95 / n):.3f})")
    hits = 0
    for i in range(n):
        v = np.concatenate([rng.normal(size=30), rng.normal(size=30) + 0.8])
        arts = pd.DataFrame({"article_id": [f"x{j}" for j in range(60)], "outlet": ["A"] * 30 + ["B"] * 30,
                             "status": "ok", "v": v})
        r = compare(SimpleNamespace(articles=arts, sentences=None, params={}), metrics=["v"], n_resamples=999, seed=i)
        hits += r.pairs.iloc[0]["p_value"] < 0.05
    print(f"power, shift 0.8 SD, 30 vs 30 ({n} simulations): {hits / n:.3f} (two-sample t-test: 0.86)")


if __name__ == "__main__":
    main()
