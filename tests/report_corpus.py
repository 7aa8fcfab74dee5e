"""Deterministic input corpora for the report tests and the report benchmark: real sentences, real analyze().

The texts are rearranged seed sentences (``seeds/``), so every metric value in a report test comes from
``biascmp.analyze`` on text, never from a made-up column. Outlets draw their sentences with different
weights (outlet k favours sentences of seed article k), so the groups really differ. Not test_*.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def seed_sentences() -> list[tuple[int, str]]:
    """(seed article index, paragraph) for every body paragraph of the seed articles, in file order."""
    out: list[tuple[int, str]] = []
    for i, f in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        body = f.read_text(encoding="utf-8").split("---", 2)[2]
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(para.split())
            if len(para.split()) >= 6:
                out.append((i, para))
    return out


def generated_articles(n_outlets: int = 3, n_stories: int = 10, *, per_story: int = 1, paragraphs: int = 6,
                       seed: int = 0, outlet_names: list[str] | None = None) -> pd.DataFrame:
    """``n_outlets * n_stories * per_story`` articles: every outlet covers every story (a ``story``
    column), each article ``paragraphs`` seed paragraphs drawn with outlet-specific weights."""
    pool = seed_sentences()
    src = np.array([s for s, _ in pool])
    n_src = int(src.max()) + 1
    rng = np.random.default_rng(seed)
    names = outlet_names or [f"Outlet {chr(65 + k)}" if k < 26 else f"Outlet {k:03d}" for k in range(n_outlets)]
    rows = []
    for st in range(n_stories):
        for k, name in enumerate(names):
            w = np.where(src == k % n_src, 6.0, 1.0)
            w /= w.sum()
            for j in range(per_story):
                pick = rng.choice(len(pool), size=paragraphs, replace=False, p=w)
                rows.append({"article_id": f"s{st:03d}-o{k:02d}-{j}", "outlet": name, "story": f"story {st:03d}",
                             "title": f"Story {st} as told by {name}",
                             "date": f"2021-{1 + st % 12:02d}-{1 + st % 28:02d}",
                             "text": "\n\n".join(pool[p][1] for p in sorted(pick))})
    return pd.DataFrame(rows)
