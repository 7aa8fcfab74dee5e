"""Self-contained corpora for the engine tests: the seed articles plus articles generated from their
paragraphs and sentences with a seeded RNG (no outside data), and the rows that exercise every status.

Generated articles keep the seeds' real structure (quotations, speakers, attributions, loaded words,
frame cues, named actors) because they are made of the seeds' own sentences and paragraphs.
"""

from __future__ import annotations

import random
from functools import lru_cache

import pandas as pd

import biascmp

OUTLETS = ("Daily Wire", "Chicago Tribune", "Fox News", "The Guardian", "Chicago Sun-Times", "NPR")

EDGE_ROWS = [
    {"outlet": "NPR", "title": "Blank", "text": "   "},
    {"outlet": "NPR", "title": "Spanish", "text": "El alcalde dijo que la ciudad no cooperará con los agentes "
                                                  "federales. La policía de la ciudad vigila las protestas."},
    {"outlet": "Fox News", "title": "Markup", "text": "<p>The mayor <b>said</b> the plan was a disaster.</p>"
                                                      "<p>Critics slammed the &quot;reckless&quot; move.</p>"},
    {"outlet": "Fox News", "title": "Only a byline", "text": "By John Smith"},
    {"outlet": None, "title": "No outlet", "text": "Officials said the budget passed on Monday. It was close."},
]


@lru_cache(maxsize=1)
def _pieces() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The seeds' prose paragraphs and prose sentences (each as text)."""
    from biascmp.prepare import prepare_article

    paragraphs: list[str] = []
    sentences: list[str] = []
    for row in biascmp.datasets.seeds().itertuples():
        art = prepare_article(row.article_id, row.text, title=row.title)
        by_para: dict[int, list[str]] = {}
        for s in art.sentences:
            if s.kind == "prose":
                by_para.setdefault(s.paragraph, []).append(s.text)
                sentences.append(s.text)
        paragraphs += [" ".join(v) for v in by_para.values()]
    return tuple(paragraphs), tuple(sentences)


def generated(n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` articles: each 2-6 paragraphs, mixing whole seed paragraphs and recombined seed sentences."""
    rng = random.Random(seed)
    paragraphs, sentences = _pieces()
    rows = []
    for i in range(n):
        paras = []
        for _ in range(rng.randint(2, 6)):
            if rng.random() < 0.5:
                paras.append(rng.choice(paragraphs))
            else:
                paras.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4))))
        rows.append({"article_id": f"g{seed}-{i}", "outlet": OUTLETS[rng.randrange(len(OUTLETS))],
                     "title": f"Generated story {i}", "text": "\n\n".join(paras)})
    return pd.DataFrame(rows)


def corpus(n: int = 60, *, seed: int = 0) -> pd.DataFrame:
    """Seeds + ``n`` generated articles + the edge rows (blank, Spanish, HTML, byline only, no outlet) + a
    same-outlet duplicate and a syndicated copy of generated articles: every status the engine sets."""
    seeds = biascmp.datasets.seeds()[["article_id", "outlet", "title", "text"]]
    gen = generated(n, seed=seed)
    edge = pd.DataFrame([{"article_id": f"e{i}", **r} for i, r in enumerate(EDGE_ROWS)])
    copies = pd.DataFrame([
        {"article_id": "dup-same-outlet", "outlet": gen["outlet"].iat[0], "title": "Copy",
         "text": gen["text"].iat[0]},
        {"article_id": "dup-syndicated", "outlet": "Syndicator", "title": "Copy", "text": gen["text"].iat[1]},
    ])
    return pd.concat([seeds, gen.iloc[: n // 2], edge, gen.iloc[n // 2:], copies], ignore_index=True)
