"""Run biascmp on a Dask cluster: partition-wise analysis, results identical to the local engine.

Use it when one machine is not enough::

    from dask.distributed import Client
    import dask.dataframe as dd
    import biascmp.dask

    client = Client("tcp://scheduler-address:8786")      # or LocalCluster() for one machine
    ddf = dd.read_parquet("s3://bucket/articles/*.parquet") # columns: outlet, text, title, date, ...
    res = biascmp.dask.analyze(ddf, columns={"source": "outlet"})
    res.articles.to_parquet("s3://bucket/biascmp/articles/") # lazy Dask DataFrames ...
    local = res.compute_analysis()                          # ... or an ordinary biascmp.Analysis
    cmp = biascmp.compare(local, by="outlet")               # compare() on the computed article metrics

Each partition is read with :func:`biascmp.read_articles` and measured with the same per-article code as
:func:`biascmp.analyze`; nothing in a partition depends on any other, so the numbers are identical
(tested on a ``LocalCluster``). Every worker needs biascmp installed (same version: ``params`` records
it). Outlet aggregates are computed from per-partition partial results (counts and sums; medians from
the article metric columns, which are small: no text). Duplicate ``article_id`` values across partitions
are not detected here (they are within a partition); check them with ``ddf.article_id.nunique()`` if
your ids come from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from .analysis import Analysis, _options, _run_chunk, aggregate_outlets, assemble, dependency_versions
from .records import Options
from .registry import FAMILIES


def _analyze_partition(part: pd.DataFrame, options: Options, columns: dict[str, str] | None,
                       read_kwargs: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from .io import read_articles

    arts = read_articles(part, columns=columns, **read_kwargs)
    rows = cast(list[dict[str, Any]], arts.to_dict("records"))  # column names are str
    a, s, e, _tables = assemble(arts, _run_chunk(rows, options), options.families)
    return a, s, e


def _conform(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Give a partition's frame exactly the meta's columns and dtypes (an empty partition included)."""
    out = frame.reindex(columns=meta.columns)
    for col, dtype in meta.dtypes.items():
        if out[col].dtype != dtype:
            try:
                out[col] = out[col].astype(dtype)
            except (TypeError, ValueError):
                out[col] = out[col].astype(object)
    return out


def _partial(arts: pd.DataFrame, sents: pd.DataFrame, by: str) -> pd.DataFrame:
    from .analysis import sentence_partials

    return sentence_partials(arts, sents, by=by)


def _component(parts: tuple[pd.DataFrame, ...], i: int, meta: pd.DataFrame) -> pd.DataFrame:
    return _conform(parts[i], meta)


@dataclass
class DaskAnalysis:
    """Lazy result of :func:`analyze`: Dask DataFrames with the columns of :class:`biascmp.Analysis`."""

    articles: Any
    sentences: Any
    evidence: Any
    params: dict[str, Any] = field(default_factory=dict)

    def outlets(self, *, by: str = "outlet") -> pd.DataFrame:
        """Outlet aggregates (as ``Analysis.outlets``): sentence sums per partition, added up; article
        metrics (numbers only, no text) gathered for the medians."""
        import dask

        art_cols = [c for c in self.articles.columns if c not in ("title", "url", "status_detail")]
        arts = self.articles[art_cols]
        parts = [dask.delayed(_partial)(a, s, by) for a, s in
                 zip(arts.to_delayed(), self.sentences.to_delayed(), strict=True)]
        arts_pd, *partials = dask.compute(arts, *parts)
        summed = pd.concat(partials).groupby(level=0).sum() if partials else None
        return aggregate_outlets(arts_pd, by=by, partials=summed)

    def compute_analysis(self) -> Analysis:
        """Compute everything into an ordinary :class:`biascmp.Analysis` (needs the memory for it)."""
        import dask

        arts, sents, ev = dask.compute(self.articles, self.sentences, self.evidence)
        arts = arts.reset_index(drop=True)
        sents = sents.reset_index(drop=True)
        ev = ev.reset_index(drop=True)
        return Analysis(arts, sents, aggregate_outlets(arts, sents), ev, {}, dict(self.params))


def analyze(ddf: Any, *, columns: dict[str, str] | None = None, actors: Any = None, lexicons: Any = None,
            max_chars: int | None = None, families: Any = None, **read_kwargs: Any) -> DaskAnalysis:
    """Analyse a Dask DataFrame of articles partition by partition (lazy; nothing runs until computed).

    ``ddf`` has the columns :func:`biascmp.read_articles` accepts (``outlet``, ``text``, optional
    ``article_id``, ``title``, ``date``...; ``columns=`` renames). A pandas DataFrame is accepted too
    and split into partitions of about 500 rows. ``families`` as in :func:`biascmp.analyze`.
    """
    import dask
    import dask.dataframe as dd

    if isinstance(ddf, pd.DataFrame):
        ddf = dd.from_pandas(ddf, npartitions=max(1, len(ddf) // 500))
    options = _options(actors, lexicons, max_chars, families=families)
    sample = ddf.head(2, npartitions=-1) if ddf.npartitions else ddf._meta
    metas: tuple[pd.DataFrame, ...] = _analyze_partition(sample, options, columns, read_kwargs)
    metas = tuple(m.iloc[:0] for m in metas)
    parts = [dask.delayed(_analyze_partition)(p, options, columns, read_kwargs) for p in ddf.to_delayed()]
    frames = []
    for i, meta in enumerate(metas):
        comps = [dask.delayed(_component)(p, i, meta) for p in parts]
        frames.append(dd.from_delayed(comps, meta=meta, verify_meta=False))
    from . import __version__

    params = {"biascmp_version": __version__, "versions": dependency_versions(), "engine": "dask",
              "npartitions": ddf.npartitions,
              "options": {"actors": [a for a, _ in options.actors], "lexicons": [k for k, _ in options.lexicons],
                          "max_chars": options.max_chars, "families": list(options.families or FAMILIES)}}
    return DaskAnalysis(frames[0], frames[1], frames[2], params)
