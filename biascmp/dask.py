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
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import aggregate_outlets, sentence_partials
from .analysis import Analysis
from .engine import arrow_system_pool, assemble, make_options, provenance, run_chunk
from .io import SeenTexts
from .records import Options
from .registry import FAMILIES, TABLE_FAMILY, TABLES, table_meta

#: the frames a partition returns, in order: articles, sentences, evidence, then every table
FRAMES = ("articles", "sentences", "evidence", *TABLES)


class _Recorder(SeenTexts):
    """First pass: keep each partition's text digests (12 bytes a row), mark nothing yet."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[list[Any], list[Any], list[bytes], np.ndarray] = ([], [], [], np.zeros(0, bool))

    def mark(self, ids: pd.Series, outlets: pd.Series, texts: pd.Series,
             candidates: pd.Series) -> tuple[pd.Series, pd.Series]:
        cand = candidates.to_numpy(dtype=bool)
        self.rows = (ids.tolist(), outlets.tolist(),
                     [self.digest(t) if c else b"" for t, c in zip(texts.tolist(), cand.tolist(), strict=True)],
                     cand)
        return pd.Series(False, index=ids.index), pd.Series("", index=ids.index, dtype=object)


class _Given(SeenTexts):
    """Second pass: the marks the whole corpus gave this partition's rows (by article id)."""

    def __init__(self, marks: dict[str, tuple[bool, str]]) -> None:
        super().__init__()
        self.marks = marks

    def mark(self, ids: pd.Series, outlets: pd.Series, texts: pd.Series,
             candidates: pd.Series) -> tuple[pd.Series, pd.Series]:
        got = [self.marks.get(i, (False, "")) for i in ids.tolist()]
        return (pd.Series([d for d, _ in got], index=ids.index, dtype=bool),
                pd.Series([n for _, n in got], index=ids.index, dtype=object))


def _text_keys(part: pd.DataFrame, columns: dict[str, str] | None,
               read_kwargs: dict[str, Any]) -> tuple[list[Any], list[Any], list[bytes], np.ndarray]:
    from .io import read_articles

    rec = _Recorder()
    read_articles(part, columns=columns, seen=rec, **read_kwargs)
    return rec.rows


def _duplicate_marks(*keys: tuple[list[Any], list[Any], list[bytes], np.ndarray]) -> list[dict[str, tuple[bool, str]]]:
    """Duplicate and syndicated texts over the whole corpus, partitions in order (as one read_articles)."""
    seen = SeenTexts()
    out = []
    for ids, outlets, digests, cand in keys:
        dup, notes = seen.mark_digests(ids, outlets, digests, cand)
        out.append({ids[i]: (bool(dup[i]), notes[i]) for i in np.flatnonzero(notes != "").tolist()})
    return out


def _story_features(part: pd.DataFrame, columns: dict[str, str] | None, read_kwargs: dict[str, Any]) -> Any:
    """First pass of ``story="auto"``: a partition's story features (no text kept)."""
    from .io import read_articles
    from .stories import story_features

    return story_features(read_articles(part, columns=columns, **read_kwargs))


def _cluster_stories(*feats: Any) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """On the driver (one task): all partitions' features clustered; the assignments cut back into
    partitions, and the stories table."""
    from .stories import StoryFeatures, cluster_stories, split_assignments, story_table

    found = cluster_stories(StoryFeatures.concat(list(feats)))
    return split_assignments(found, [len(f) for f in feats]), story_table(found)


_STORY_TABLE_DTYPES = {"story": "object", "label": "object", "n_articles": "int64", "n_outlets": "int64",
                       "outlets": "object", "first_date": "datetime64[ns]", "last_date": "datetime64[ns]",
                       "mean_similarity": "float64"}


def _stories_table(found: tuple[list[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    return found[1]


def _analyze_partition(part: pd.DataFrame, options: Options, columns: dict[str, str] | None,
                       read_kwargs: dict[str, Any], marks: list[dict[str, tuple[bool, str]]] | None = None,
                       index: int = 0, found: tuple[list[pd.DataFrame], pd.DataFrame] | None = None,
                       story_meta: bool = False) -> tuple[pd.DataFrame, ...]:
    with arrow_system_pool():
        seen = _Given(marks[index]) if marks is not None else None
        assign = found[0][index] if found is not None else None
        return _partition_frames(part, options, columns, {**read_kwargs, "seen": seen}, assign, story_meta)


def _partition_frames(part: pd.DataFrame, options: Options, columns: dict[str, str] | None,
                      read_kwargs: dict[str, Any], assign: pd.DataFrame | None = None,
                      story_meta: bool = False) -> tuple[pd.DataFrame, ...]:
    from .io import read_articles
    from .stories import attach_stories

    arts = read_articles(part, columns=columns, **read_kwargs)
    if story_meta:  # the meta of a story="auto" run: the columns and dtypes the assignments have
        assign = pd.DataFrame({"story": pd.Series(pd.NA, index=range(len(arts)), dtype="string"),
                               "story_status": "matched", "story_centrality": np.nan})
    if assign is not None:
        arts = attach_stories(arts, assign)
    if "outlet_raw" not in arts.columns:  # the column every partition has (see DaskAnalysis.compute_analysis)
        arts["outlet_raw"] = arts["outlet"]
    a, s, e, tables = assemble(arts, [run_chunk(arts, options)], options.families)
    return (a, s, e, *(tables.get(name, table_meta(name)) for name in TABLES))


def _conform(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Give a partition's frame exactly the meta's columns and dtypes (an empty partition included)."""
    out = frame.reindex(columns=meta.columns)
    for col, dtype in meta.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):  # each partition's own categories (unknown to the meta)
            out[col] = out[col].astype(str).astype("category")
        elif out[col].dtype != dtype:
            try:
                out[col] = out[col].astype(dtype)
            except (TypeError, ValueError):  # e.g. counts with NaN where an article was not measured
                try:
                    out[col] = out[col].astype("float64")
                except (TypeError, ValueError):
                    out[col] = out[col].astype(object)
    return out


def _component(parts: tuple[pd.DataFrame, ...], i: int, meta: pd.DataFrame) -> pd.DataFrame:
    return _conform(parts[i], meta)


@dataclass
class DaskAnalysis:
    """Lazy result of :func:`analyze`: Dask DataFrames with the columns of :class:`biascmp.Analysis`,
    and ``tables`` (speakers, actors, terms) with the columns :data:`biascmp.registry.TABLES` names."""

    articles: Any
    sentences: Any
    evidence: Any
    tables: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    #: ``story="auto"``: the stories table, lazy (a one-partition Dask DataFrame); None otherwise
    stories: Any = None

    def outlets(self, *, by: str = "outlet") -> pd.DataFrame:
        """Outlet aggregates (as ``Analysis.outlets``): sentence sums per partition, added up; article
        metrics (numbers only, no text) gathered for the medians."""
        import dask

        art_cols = [c for c in self.articles.columns if c not in ("title", "url", "status_detail")]
        arts = self.articles[art_cols]
        parts = [dask.delayed(sentence_partials)(a, s, by=by) for a, s in
                 zip(arts.to_delayed(), self.sentences.to_delayed(), strict=True)]
        arts_pd, *partials = dask.compute(arts, *parts)
        summed = pd.concat(partials).groupby(level=0).sum() if partials else None
        return aggregate_outlets(arts_pd, by=by, partials=summed)

    def compute_analysis(self) -> Analysis:
        """Compute everything into an ordinary :class:`biascmp.Analysis` (needs the memory for it)."""
        import dask

        names = list(self.tables)
        arts, sents, ev, stories, *tabs = dask.compute(self.articles, self.sentences, self.evidence,
                                                       self.stories, *(self.tables[n] for n in names))
        arts = arts.reset_index(drop=True).infer_objects()  # int partitions + float ones: float, as locally
        if "outlet_raw" in arts.columns and arts["outlet_raw"].astype(object).equals(arts["outlet"].astype(object)):
            arts = arts.drop(columns="outlet_raw")  # as read_articles: kept only where a spelling changed
        sents = sents.reset_index(drop=True)
        ev = ev.reset_index(drop=True)
        for col in ("article_id", "family", "category", "term"):  # partitions differ: one set of categories
            ev[col] = pd.Categorical(ev[col].astype(str))
        # as the local engine: a table is there when its family ran (empty when it found nothing)
        ran = self.params.get("options", {}).get("families") or list(FAMILIES)
        tables = {n: t.reset_index(drop=True) if len(t) else table_meta(n)
                  for n, t in zip(names, tabs, strict=True) if TABLE_FAMILY[n] in ran}
        params = dict(self.params)
        if stories is not None:  # as analyze(..., story="auto")
            stories = stories.reset_index(drop=True)
            tables["stories"] = stories
            params["stories"] = {"note": stories.attrs.get("note", ""), **stories.attrs.get("params", {})}
        return Analysis(arts, sents, aggregate_outlets(arts, sents), ev, tables, params)


def analyze(ddf: Any, *, columns: dict[str, str] | None = None, actors: Any = None, lexicons: Any = None,
            max_chars: int | None = None, loaded_threshold: float | None = None, families: Any = None,
            story: str | None = None, **read_kwargs: Any) -> DaskAnalysis:
    """Analyse a Dask DataFrame of articles partition by partition (lazy; nothing runs until computed).

    ``ddf`` has the columns :func:`biascmp.read_articles` accepts (``outlet``, ``text``, optional
    ``article_id``, ``title``, ``date``...; ``columns=`` renames). A pandas DataFrame is accepted too
    and split into partitions of about 500 rows. ``actors``, ``lexicons``, ``max_chars``,
    ``loaded_threshold`` and ``families`` as in :func:`biascmp.analyze` (the same options).

    ``story="auto"`` matches same-story articles as :func:`biascmp.analyze` does: each partition's
    story features (no text) are computed in parallel, clustered in one task (the driver's work: all
    features in one place), and each partition gets its rows' ``story``, ``story_status`` and
    ``story_centrality`` by position; ``result.stories`` is the (lazy) stories table, and
    ``compute_analysis()`` puts it in ``tables["stories"]``. Ids equal the local engine's.
    """
    import dask
    import dask.dataframe as dd

    from .stories import check_story

    check_story(story)
    if isinstance(ddf, pd.DataFrame):
        ddf = dd.from_pandas(ddf, npartitions=max(1, len(ddf) // 500))
    options = make_options(actors=actors, lexicons=lexicons, max_chars=max_chars,
                           loaded_threshold=loaded_threshold, families=families)
    sample = ddf.head(2, npartitions=-1) if ddf.npartitions else ddf._meta
    metas: tuple[pd.DataFrame, ...] = _analyze_partition(sample, options, columns, read_kwargs,
                                                         story_meta=story is not None)
    metas = tuple(m.iloc[:0] for m in metas[:3]) + tuple(table_meta(n) for n in TABLES)
    pieces = ddf.to_delayed()
    # duplicate texts across partitions: one cheap pass over text digests first, then each partition
    # gets the marks the whole corpus gives its rows (identical to one local read)
    marks = dask.delayed(_duplicate_marks)(*[dask.delayed(_text_keys)(p, columns, read_kwargs) for p in pieces])
    found = stories = None
    if story is not None:  # features per partition, clustered in one task, ids handed back by position
        found = dask.delayed(_cluster_stories)(*[dask.delayed(_story_features)(p, columns, read_kwargs)
                                                 for p in pieces])
        meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _STORY_TABLE_DTYPES.items()})
        # a Dask DataFrame (one partition), not a bare delayed: dask.compute() of delayed objects mixed
        # with DataFrame expressions returns them out of order (seen with dask 2025)
        stories = dd.from_delayed([dask.delayed(_stories_table)(found)], meta=meta, verify_meta=False)
    parts = [dask.delayed(_analyze_partition)(p, options, columns, read_kwargs, marks, i, found)
             for i, p in enumerate(pieces)]
    frames = []
    for i, meta in enumerate(metas):
        comps = [dask.delayed(_component)(p, i, meta) for p in parts]
        frames.append(dd.from_delayed(comps, meta=meta, verify_meta=False))
    params = provenance(options, engine="dask", npartitions=ddf.npartitions)
    return DaskAnalysis(frames[0], frames[1], frames[2], dict(zip(TABLES, frames[3:], strict=True)), params,
                        stories)
