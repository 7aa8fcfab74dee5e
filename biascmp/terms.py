"""Term choice: which of two competing names for the same thing an article uses.

``lexicons/terms.csv`` lists pairs of sides, e.g. ``immigrants_restrictive`` ("illegal aliens", "illegals")
against ``immigrants_inclusive`` ("undocumented immigrants"), "crackdown" against "enforcement", "troops"
against "federal agents", "sanctuary city" against "welcoming city". A category is one side of a pair,
named ``<pair>_<side>``; the pair's first side in the header is side A. Users extend or replace the table
with a file of the same format (``analyze(..., lexicons={"terms": "my_terms.csv"})``); a category whose
pair has no second side is counted but gets no slant.

A use is *quoted* when the matched words lie inside quotation marks (``Sentence.quote_spans``), else it is
the *narrator's*: an outlet quoting a politician's "illegal aliens" is not the outlet's own choice.

Per article:

- table ``terms``: one row per matched term with ``pair``, ``side`` (the category), ``term`` (the lexicon
  entry), ``variant`` (the words as written, lower-cased, whitespace collapsed), ``count``,
  ``count_narrator`` and ``count_quoted``;
- columns ``term_<side>_narrator`` and ``term_<side>_quoted``: uses of each side, by narrator and quoted;
- columns ``term_slant_<pair>``: (A - B) / (A + B) over the narrator's uses, in [-1, 1]; NaN when the
  narrator used neither side. The sign only says which side; it is not a bias score by itself.

Every use is an evidence row (family ``terms``, category = side). :func:`term_profile` aggregates the
table per outlet (or any article column).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd

from .lexicons import Lexicon, resolve
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric


def sides_of(lex: Lexicon) -> list[str]:
    """The lexicon's categories (sides) in header order (entry order when the header lists none)."""
    return list(lex.categories or dict.fromkeys(e.category for e in lex.entries))


def pairs_of(lex: Lexicon) -> dict[str, tuple[str, str]]:
    """pair -> (side A category, side B category), in header order; only pairs with exactly two sides."""
    out: dict[str, list[str]] = {}
    for c in sides_of(lex):
        out.setdefault(c.rsplit("_", 1)[0] if "_" in c else c, []).append(c)
    return {p: (cs[0], cs[1]) for p, cs in out.items() if len(cs) == 2}


def _plan(lex: Lexicon) -> tuple[list[str], dict[str, tuple[str, str]], dict[str, str]]:
    """(sides, pairs, side -> pair) for a lexicon, computed once per lexicon object."""
    plan = lex._compiled.get("terms_plan")
    if plan is None:
        sides = sides_of(lex)
        pairs = pairs_of(lex)
        pair_of = {c: (c.rsplit("_", 1)[0] if "_" in c else c) for c in sides}
        plan = (sides, pairs, pair_of)
        lex._compiled["terms_plan"] = plan
    return plan  # type: ignore[return-value]


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Term uses per side (narrator / quoted), narrator slant per pair, the ``terms`` table, evidence."""
    lex = resolve("terms", options.lexicons)
    sides, pairs, pair_of = _plan(lex)
    counts: Counter[tuple[str, str, str]] = Counter()
    quoted: Counter[tuple[str, str, str]] = Counter()
    evidence: list[Evidence] = []
    for i, s in enumerate(article.sentences):
        if s.kind != "prose":
            continue
        for m in lex.find(s.text):
            q = s.is_quoted_at(m.start, m.end)
            key = (m.category, m.term, " ".join(m.text.lower().split()))
            counts[key] += 1
            quoted[key] += q
            evidence.append(Evidence(i, m.start, m.end, "terms", m.category, m.text, m.weight, q))
    rows = []
    narr: Counter[str] = Counter()
    quot: Counter[str] = Counter()
    for (cat, term, variant), n in sorted(counts.items()):
        nq = quoted[(cat, term, variant)]
        rows.append({"pair": pair_of.get(cat, cat), "side": cat, "term": term, "variant": variant, "count": n,
                     "count_narrator": n - nq, "count_quoted": nq})
        narr[cat] += n - nq
        quot[cat] += nq
    art: dict[str, Any] = {}
    for c in sides:
        art[f"term_{c}_narrator"] = narr[c]
        art[f"term_{c}_quoted"] = quot[c]
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
    if by not in analysis.articles.columns:
        raise ValueError(f"Invalid by={by!r}: not an article column; choose one of {sorted(analysis.articles.columns)}")
    t = t.merge(analysis.articles[["article_id", by]], on="article_id", how="left")
    g = t.groupby([by, "pair", "side"], sort=True)[["count", "count_narrator", "count_quoted"]].sum().reset_index()
    tot = g.groupby([by, "pair"])["count_narrator"].transform("sum")
    g["narrator_share_in_pair"] = (g["count_narrator"] / tot.where(tot > 0)).astype(float)
    return g[cols]


_REF = ("Gentzkow & Shapiro (2010), What drives media slant?, Econometrica 78(1) (the idea of competing "
        "phrases); biascmp lexicon terms 1.1.0")


def _metrics() -> list[Metric]:
    lex = resolve("terms")  # the built-in lexicon; a broken one is an error here, at import, not hidden
    sides, pairs = sides_of(lex), list(pairs_of(lex))
    out = []
    for c in sides:
        for who, where in (("narrator", "outside quotation marks (the outlet's own words)"),
                           ("quoted", "inside quotation marks")):
            out.append(Metric(f"term_{c}_{who}", "article", "terms",
                              f"Uses of the '{c}' side of a term pair {where}.",
                              f"count of '{c}' lexicon hits with in_quote = {who == 'quoted'}", "integer >= 0",
                              f"higher = more uses of the '{c}' terms (grows with article length)", _REF,
                              compare=False))
    out += [Metric(f"term_slant_{p}", "article", "terms",
                   f"Which side of the '{p}' term pair the narrator uses (quotes excluded).",
                   "(narrator uses of side A - side B) / (A + B)", "[-1, 1]; NaN when neither side is used",
                   "+1 = only side A (listed first in lexicons/terms.csv), -1 = only side B", _REF)
            for p in pairs]
    return out


METRICS: list[Metric] = _metrics()
