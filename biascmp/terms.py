"""Term choice: which of two competing names for the same thing an article uses.

``lexicons/terms.csv`` lists pairs of sides, e.g. ``immigrants_restrictive`` ("illegal aliens", "illegals")
against ``immigrants_inclusive`` ("undocumented immigrants"), "crackdown" against "enforcement", "troops"
against "federal agents", "sanctuary city" against "welcoming city". A category is one side of a pair,
named ``<pair>_<side>``; the pair's first side in the header is side A. Users extend or replace the table
with a file of the same format (``analyze(..., lexicons={"terms": "my_terms.csv"})``).

Per article:

- table ``terms``: one row per matched term with ``pair``, ``side``, ``term`` (the lexicon entry),
  ``variant`` (the words as written, lower-cased), ``count``, ``count_narrator`` and ``count_quoted``
  (an outlet quoting a politician's "illegal aliens" is not the outlet's own choice);
- columns ``term_slant_<pair>``: (A - B) / (A + B) over the NARRATOR's uses, in [-1, 1]; NaN when the
  narrator used neither side. The sign only says which side; it is not a bias score by itself.

:func:`term_profile` aggregates the table per outlet (or any article column).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd

from .lexicons import Lexicon, resolve
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric


def pairs_of(lex: Lexicon) -> dict[str, tuple[str, str]]:
    """pair -> (side A category, side B category), in header order."""
    out: dict[str, list[str]] = {}
    cats = lex.categories or tuple(dict.fromkeys(e.category for e in lex.entries))
    for c in cats:
        pair = c.rsplit("_", 1)[0] if "_" in c else c
        out.setdefault(pair, []).append(c)
    return {p: (cs[0], cs[1]) for p, cs in out.items() if len(cs) == 2}


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    lex = resolve("terms", "terms", options.lexicons)
    pairs = pairs_of(lex)
    side_of = {c: (p, "A" if c == ab[0] else "B") for p, ab in pairs.items() for c in ab}
    counts: Counter[tuple[str, str, str]] = Counter()
    quoted: Counter[tuple[str, str, str]] = Counter()
    evidence: list[Evidence] = []
    for i, s in enumerate(article.sentences):
        if not s.is_prose:
            continue
        for m in lex.find(s.text):
            if m.category not in side_of:
                continue
            q = s.is_quoted_at(m.start, m.end)
            key = (m.category, m.term, " ".join(m.text.lower().split()))
            counts[key] += 1
            quoted[key] += q
            evidence.append(Evidence(i, m.start, m.end, "terms", m.category, m.text, m.weight, q))
    rows = []
    narr: Counter[str] = Counter()
    for (cat, term, variant), n in sorted(counts.items()):
        pair, side = side_of[cat]
        nq = quoted[(cat, term, variant)]
        rows.append({"pair": pair, "side": cat, "term": term, "variant": variant, "count": n,
                     "count_narrator": n - nq, "count_quoted": nq})
        narr[cat] += n - nq
    art: dict[str, Any] = {}
    for pair, (a, b) in pairs.items():
        na, nb = narr[a], narr[b]
        art[f"term_slant_{pair}"] = (na - nb) / (na + nb) if na + nb else math.nan
    return FamilyResult(article=art, evidence=evidence, tables={"terms": rows})


def term_profile(analysis: Any, *, by: str = "outlet") -> pd.DataFrame:
    """Per group and side: narrator and quoted uses, and the narrator share of each side within its pair."""
    t = analysis.tables.get("terms") if isinstance(getattr(analysis, "tables", None), dict) else None
    cols = [by, "pair", "side", "count", "count_narrator", "count_quoted", "narrator_share_in_pair"]
    if t is None or not len(t):
        return pd.DataFrame(columns=cols)
    t = t.merge(analysis.articles[["article_id", by]], on="article_id", how="left")
    g = t.groupby([by, "pair", "side"], sort=True)[["count", "count_narrator", "count_quoted"]].sum().reset_index()
    tot = g.groupby([by, "pair"])["count_narrator"].transform("sum")
    g["narrator_share_in_pair"] = (g["count_narrator"] / tot.where(tot > 0)).astype(float)
    return g[cols]


_REF = ("Gentzkow & Shapiro (2010), What drives media slant?, Econometrica 78(1) (the idea of competing "
        "phrases); biascmp lexicon terms 1.0.0")


def _metrics() -> list[Metric]:
    try:
        pairs = list(pairs_of(resolve("terms", "terms")))
    except Exception:  # the registry must load even if the lexicon is broken; the error shows at analyze time
        pairs = []
    return [Metric(f"term_slant_{p}", "article", "terms",
                   f"Which side of the '{p}' term pair the narrator uses (quotes excluded).",
                   "(narrator uses of side A - side B) / (A + B)", "[-1, 1]; NaN when neither side is used",
                   "+1 = only side A (listed first in lexicons/terms.csv), -1 = only side B", _REF)
            for p in pairs]


METRICS: list[Metric] = _metrics()
