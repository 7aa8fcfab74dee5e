"""Outlet aggregation: one row per outlet (or any grouping column) from the engine's article and sentence
frames. Runs after the engine, on its outputs; partial sums of disjoint chunks add up, so chunked,
parallel, streamed and Dask runs aggregate without holding every sentence."""

from __future__ import annotations

import pandas as pd

from . import registry


def _groups(articles: pd.DataFrame, by: str) -> pd.Series:
    return articles[by].astype("string").fillna("(unknown)")


def sentence_partials(articles: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Per group: prose sentence count and, per numeric sentence metric, its sum and count.

    Partials of disjoint sets of articles add up (``pd.concat(parts).groupby(level=0).sum()``), which
    lets chunked, parallel and Dask runs aggregate without holding every sentence.
    """
    if not len(sentences) or "kind" not in sentences:
        return pd.DataFrame({"n_sentences": pd.Series(dtype="int64")})
    metrics = [c for c in registry.names("sentence")
               if c in sentences.columns and pd.api.types.is_numeric_dtype(sentences[c])]
    # only the columns summed: a copy of every sentence's text would double the memory at the end of a run
    prose = sentences.loc[(sentences["kind"] == "prose").to_numpy(), ["article_id", *metrics]]
    sgroups = prose["article_id"].map(dict(zip(articles["article_id"], _groups(articles, by))))
    out = pd.DataFrame({"n_sentences": prose.groupby(sgroups).size()})
    for col in metrics:
        g = prose[col].groupby(sgroups)
        out[f"{col}__sum"] = g.sum()
        out[f"{col}__count"] = g.count()
    return out


def aggregate_outlets(articles: pd.DataFrame, sentences: pd.DataFrame | None = None, *, by: str = "outlet",
                      partials: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per group: n_articles (status ok), n_rows, n_sentences (prose), mean and median of
    every numeric article metric (article-weighted), and sentence-weighted means of sentence metrics.

    Sentence aggregates come from ``sentences`` or from pre-summed :func:`sentence_partials`.
    """
    articles = articles.reset_index(drop=True)
    groups = _groups(articles, by)
    ok_mask = articles["status"] == "ok"
    ok = articles[ok_mask]
    out = pd.DataFrame({"n_rows": articles.groupby(groups, sort=True).size()})
    out.index.name = by
    out["n_articles"] = ok.groupby(groups[ok_mask]).size().reindex(out.index, fill_value=0)
    numeric = [c for c in registry.names("article") if c in ok.columns and pd.api.types.is_numeric_dtype(ok[c])]
    if partials is None:
        partials = sentence_partials(articles, sentences if sentences is not None else pd.DataFrame(), by=by)
    out["n_sentences"] = partials["n_sentences"].reindex(out.index, fill_value=0).astype("int64")
    for col in registry.names("sentence"):
        if f"{col}__sum" in partials.columns:
            mean = partials[f"{col}__sum"] / partials[f"{col}__count"].where(partials[f"{col}__count"] > 0)
            out[f"{col}_sentence_mean"] = mean.reindex(out.index)
    if numeric:
        g = ok[numeric].groupby(groups[ok_mask])
        out = out.join(g.mean().add_suffix("_mean")).join(g.median().add_suffix("_median"))
    return out.reset_index()
