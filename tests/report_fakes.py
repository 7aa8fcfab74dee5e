"""Fakes for the report tests: the seed Analysis with synthetic metric columns and a fake Comparison.

The report must show every section that has data; until every metric family exists, these fill the
columns with deterministic synthetic numbers (same names as DESIGN.md) so each section is exercised.
Not test_*.py, so pytest does not collect it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


def enrich(analysis: Any, seed: int = 7) -> Any:
    """A copy of ``analysis`` with synthetic metric columns, evidence and tables added where missing."""
    import dataclasses

    rng = np.random.default_rng(seed)
    s = analysis.sentences.copy()
    a = analysis.articles.copy()
    if "compound" not in s.columns:
        s["compound"] = np.round(rng.uniform(-0.9, 0.9, len(s)), 4)
    if not s["in_quote"].any():
        s["in_quote"] = (np.arange(len(s)) % 4 == 0).astype(float)
        s["speaker"] = np.where(s["in_quote"] > 0, np.array(["Lori Lightfoot", "Donald Trump", "J.B. Pritzker"])[
            np.arange(len(s)) % 3], None)
    agg = s.groupby("article_id")["compound"].mean()
    a["sentiment_mean"] = a["article_id"].map(agg)
    a["sentiment_narrator_mean"] = a["article_id"].map(s[s.in_quote < 0.5].groupby("article_id")["compound"].mean())
    a["sentiment_quoted_mean"] = a["article_id"].map(s[s.in_quote >= 0.5].groupby("article_id")["compound"].mean())
    a["share_negative"] = a["article_id"].map(s.assign(neg=s.compound <= -0.05).groupby("article_id")["neg"].mean())
    for c, base in [("flesch_kincaid_grade", 10), ("gunning_fog", 12), ("smog_index", 11),
                    ("coleman_liau_index", 10.5), ("automated_readability_index", 10)]:
        a[c] = np.round(base + rng.normal(0, 2, len(a)), 3)
    a["loaded_language"] = np.round(rng.uniform(0, 0.3, len(a)), 4)
    a["quote_share"] = a["article_id"].map(s.groupby("article_id")["in_quote"].mean())
    a["attribution_loaded_share"] = np.round(rng.uniform(0, 0.5, len(a)), 4)
    dims = ["economic", "crime_and_punishment", "political", "security_and_defense", "public_opinion"]
    w = rng.dirichlet(np.ones(len(dims)), len(a))
    for i, d in enumerate(dims):
        a[f"frame_{d}"] = np.round(w[:, i], 4)
    a["frame_entropy"] = -(w * np.log2(w)).sum(axis=1)
    for g in ["conflict", "human_interest", "responsibility"]:
        a[f"gframe_{g}"] = np.round(rng.uniform(0, 1, len(a)), 3)
    ev = []
    for r in s.head(60).itertuples():
        words = [(m.start(), m.end()) for m in __import__("re").finditer(r"[A-Za-z]{6,}", r.text)]
        if words:
            st, en = words[0]
            fam = ["loaded", "framing", "terms", "attribution"][r.sentence_index % 4]
            ev.append(dict(article_id=r.article_id, sentence_index=r.sentence_index, start=st, end=en, family=fam,
                           category="x", term=r.text[st:en], weight=1.0, in_quote=False))
    evidence = pd.concat([analysis.evidence, pd.DataFrame(ev)], ignore_index=True) if ev else analysis.evidence
    actors = pd.DataFrame([dict(article_id=aid, actor=act, sentiment=float(rng.uniform(-1, 1)), mentions=2)
                           for aid in a.article_id for act in ["Lightfoot", "Trump", "Chicago police"]])
    terms = pd.DataFrame([dict(article_id=aid, term=t, count=int(rng.integers(0, 5)))
                          for aid in a.article_id for t in ["federal agents", "troops", "officers"]])
    tables = {**analysis.tables, "actors": actors, "terms": terms}
    return dataclasses.replace(analysis, articles=a, sentences=s, evidence=evidence, tables=tables)


@dataclass
class FakeComparison:
    analysis: Any
    by: str = "outlet"
    mode: str = "descriptive"
    caveats: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)


def fake_comparison(analysis: Any, by: str = "outlet") -> FakeComparison:
    """Group means with made-up intervals (mean +/- 0.1) and one pair per metric: only the shape is real."""
    a = analysis.articles
    metrics = [m for m in ("sentiment_mean", "flesch_kincaid_grade", "loaded_language", "quote_share")
               if m in a.columns]
    rows, pairs = [], []
    for m in metrics:
        means = a.groupby(by)[m].mean()
        for g, v in means.items():
            rows.append(dict(group=g, metric=m, n_articles=int((a[by] == g).sum()), estimate=v, median=v,
                             ci_low=v - 0.1, ci_high=v + 0.1, sd=np.nan, n_sentences=0, sentence_sd=np.nan,
                             inference=False))
        gs = list(means.index)
        if len(gs) >= 2:
            pairs.append(dict(group_a=gs[0], group_b=gs[1], metric=m, estimate_a=means[gs[0]], estimate_b=means[gs[1]],
                              difference=means[gs[0]] - means[gs[1]], ci_low=-0.2, ci_high=0.3, hedges_g=0.4,
                              cliffs_delta=0.2, p_value=0.04, q_value=0.08, significant=False, n_a=1, n_b=1,
                              method="fake"))
    findings = pd.DataFrame([
        dict(text="With one article per outlet, the comparison is descriptive.", kind="caveat", metric=None,
             group_a=None, group_b=None, q_value=np.nan, difference=np.nan),
        dict(text="The Daily Wire's sentences were more negative than WGN-TV's.", kind="descriptive",
             metric="sentiment_mean", group_a="The Daily Wire", group_b="WGN-TV", q_value=np.nan, difference=-0.2),
    ])
    return FakeComparison(analysis=analysis, by=by, caveats=["Only one article per outlet: describe, don't infer."],
                          params={"n_boot": 2000, "seed": 0, "alpha": 0.05}, groups=pd.DataFrame(rows),
                          pairs=pd.DataFrame(pairs), findings=findings)


def tiny_analysis() -> Any:
    """A hand-made 2-outlet, 4-article Analysis: stable input for the HTML snapshots."""
    from biascmp.analysis import Analysis

    arts = pd.DataFrame({
        "article_id": ["a1", "a2", "b1", "b2"],
        "outlet": ["Alpha Post", "Alpha Post", "Beta & Sons <News>", "Beta & Sons <News>"],
        "title": ["Council approves budget", "Mayor \u201cslams\u201d critics", "Budget passes", "Critics answer"],
        "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-02", None]),
        "url": ["https://alpha.example/1", "", "https://beta.example/1", ""],
        "status": ["ok"] * 4, "status_detail": [""] * 4,
        "sentiment_mean": [0.25, -0.5, 0.1, -0.125],
        "flesch_kincaid_grade": [8.25, 10.5, 9.0, 12.75],
        "quote_share": [0.5, 0.0, 0.25, 1.0],
    })
    texts = {"a1": ["The council approved the budget.", "\u201cIt is a good day,\u201d the mayor said."],
             "a2": ["The mayor slammed his critics.", "They called it a disaster."],
             "b1": ["The budget passed on Tuesday.", "Officials said it was fine."],
             "b2": ["Critics answered the mayor.", "\u201cWe are furious,\u201d one said."]}
    comp = {"a1": [0.0, 0.5], "a2": [-0.6, -0.4], "b1": [0.0, 0.2], "b2": [-0.05, -0.2]}
    rows = [dict(article_id=k, sentence_index=i, kind="prose", text=t, in_quote=1.0 if t.startswith("\u201c") else 0.0,
                 speaker="the mayor" if t.startswith("\u201c") and k == "a1" else None, compound=comp[k][i])
            for k, ts in texts.items() for i, t in enumerate(ts)]
    sents = pd.DataFrame(rows)
    evidence = pd.DataFrame([dict(article_id="a2", sentence_index=0, start=10, end=17, family="loaded",
                                  category="verb", term="slammed", weight=1.0, in_quote=False)])
    outlets = arts.groupby("outlet").size().rename("n_articles").reset_index()
    params = {"biascmp_version": "0.0-test", "versions": {"numpy": "x"}, "input_sha256": "0" * 64,
              "options": {"lexicons": []}}
    return Analysis(articles=arts, sentences=sents, outlets=outlets, evidence=evidence, tables={}, params=params)
