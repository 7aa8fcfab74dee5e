"""analyze(): articles in, an :class:`Analysis` (articles, sentences, outlets, evidence, tables) out.

A thin driver over :mod:`biascmp.engine`: it reads the input, cuts it into chunks, runs
:func:`biascmp.engine.run_chunk` on each (in this process or in ``n_jobs`` worker processes) and
assembles the chunks; outlet aggregation (:mod:`biascmp.aggregate`) runs on the result. Per-article
work depends on nothing but the article, so every chunking gives the same frames.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._validation import check_positive_int
from .aggregate import aggregate_outlets, sentence_partials
from .engine import (
    EVIDENCE_COLUMNS,
    SENTENCE_BASE_COLUMNS,
    ChunkFrames,
    arrow_system_pool,
    assemble,
    dependency_versions,
    input_hash,
    make_options,
    provenance,
    run_chunk,
)
from .records import Options

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ARTICLE_ID_COLUMNS", "EVIDENCE_COLUMNS", "SENTENCE_BASE_COLUMNS", "Analysis", "ChunkFrames",
           "aggregate_outlets", "analyze", "dependency_versions", "input_hash", "run_frames",
           "sentence_partials"]

ARTICLE_ID_COLUMNS = ["article_id", "outlet", "title", "date", "url", "outlet_type", "status", "status_detail"]


def _chunks(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for i in range(0, len(frame), size):
        yield frame.iloc[i:i + size]


#: articles per chunk of the engine: per-chunk costs (frames, evidence ordering, the kernels' set-up) are
#: shared by more articles at 128 than at 64 (generated 427-word articles: ~490 vs ~445 articles/s), at
#: the same peak memory (in-memory allsides_dev: 412 MiB at 128, 418 MiB at 64; docs/performance.md)
CHUNKSIZE = 128


def run_frames(articles: pd.DataFrame, options: Options, *, n_jobs: int = 1, chunksize: int = CHUNKSIZE,
               progress: Callable[[int], None] | None = None) -> list[ChunkFrames]:
    """Run the engine on ``articles`` (read_articles' frame) chunk by chunk, serially or in ``n_jobs``
    processes; chunks come back in input order."""
    if n_jobs == 1 or len(articles) <= chunksize:
        out = []
        for chunk in _chunks(articles, chunksize):
            out.append(run_chunk(chunk, options))
            if progress:
                progress(len(chunk))
        return out
    out = []
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        futures = [pool.submit(run_chunk, chunk, options) for chunk in _chunks(articles, chunksize)]
        for fut in futures:  # in submission order: output order equals input order
            res = fut.result()
            out.append(res)
            if progress:
                progress(len(res.articles))
    return out


@dataclass
class Analysis:
    """The result of :func:`analyze`.

    Attributes:
        articles: one row per input row, same order: identity columns, ``status``, metrics.
        sentences: one row per sentence or non-prose line (``kind``), with sentence metrics.
        outlets: one row per outlet with counts and aggregates (see :func:`aggregate_outlets`).
        evidence: one row per lexicon or rule hit (offsets into the sentence text).
        tables: extra long-format tables by name (``speakers``, ``actors``, ``terms``, ...).
        params: options, versions and the input hash, for reproducibility.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    outlets: pd.DataFrame
    evidence: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def frame(self, level: str = "article") -> pd.DataFrame:
        """One of the tables by name.

        Args:
            level: ``article``, ``sentence``, ``outlet``, ``evidence`` or an extra table's name.

        Returns:
            The DataFrame (not a copy).
        """
        frames = {"article": self.articles, "sentence": self.sentences, "outlet": self.outlets,
                  "evidence": self.evidence, **self.tables}
        if level not in frames:
            from ._validation import unknown_choice

            raise ValueError(unknown_choice("level", level, list(frames)))
        return frames[level]

    def to_csv(self, path: str | os.PathLike[str], *, level: str = "article", safe: bool = True) -> Path:
        """Write the ``level`` table (see :meth:`frame`) as CSV; ``safe`` neutralises spreadsheet formulas (a cell starting with =, +, -, @ gets a quote), atomically; numbers in their
        shortest exact form. :func:`biascmp.read_analysis` reads the article level back.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.frame(level), path, format="csv", safe_csv=safe)

    def to_parquet(self, path: str | os.PathLike[str], *, level: str = "article") -> Path:
        """Write the ``level`` table (see :meth:`frame`) as Parquet, atomically; numbers in their
        shortest exact form. :func:`biascmp.read_analysis` reads the article level back.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.frame(level), path, format="parquet")

    def to_jsonl(self, path: str | os.PathLike[str], *, level: str = "article") -> Path:
        """Write the ``level`` table (see :meth:`frame`) as JSON Lines (one object per row), atomically; numbers in their
        shortest exact form. :func:`biascmp.read_analysis` reads the article level back.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.frame(level), path, format="jsonl")

    def __repr__(self) -> str:
        n_ok = int((self.articles["status"] == "ok").sum()) if len(self.articles) else 0
        return (f"<Analysis: {len(self.articles)} articles ({n_ok} ok), {len(self.sentences)} sentences, "
                f"{len(self.outlets)} outlets, {len(self.evidence)} evidence rows>")

    def _repr_html_(self) -> str:
        """Jupyter's rich view: counts, statuses and the outlet table's head (see :mod:`biascmp.display`)."""
        from .display import analysis_html

        return analysis_html(self)

    def plot(self, metric: str = "sentiment_mean", by: str = "outlet") -> Figure:
        """Distribution of one metric per group: a box plot with every article (or sentence) as a dot.

        Args:
            metric: an article column (e.g. ``"sentiment_mean"``) or a sentence column (``"compound"``).
            by: the article column that defines the groups.

        Returns:
            A matplotlib Figure (shown as the cell's output in Jupyter; ``fig.savefig(...)`` to keep it).
        """
        from .display import notebook_figure, plots_module

        return notebook_figure(plots_module().distributions(self, metric, by=by))


def analyze(source: Any, *, columns: dict[str, str] | None = None, actors: Any = None,
            lexicons: Any = None, n_jobs: int = 1, chunksize: int = CHUNKSIZE, max_chars: int | None = None,
            loaded_threshold: float | None = None, families: Any = None,
            progress: bool | Callable[[int], None] = False, story: str | None = None,
            **read_kwargs: Any) -> Analysis:
    """Measure every article, sentence and outlet.

    Args:
        source: anything :func:`biascmp.read_articles` accepts (DataFrame, CSV/JSONL/Parquet path,
            folder or glob of .txt/.md files).
        columns: map input column names to biascmp's (``{"source": "outlet", "content": "text"}``).
        actors: dict ``{name: [alias, ...]}`` or a YAML/CSV path; default: proposed automatically.
        lexicons: extra or replacement lexicons, ``{family: path}``.
        n_jobs: worker processes (1 = in this process; -1 = all cores).
        chunksize: articles per task (each chunk is measured at once by the columnar engine; default 128).
        max_chars: per-article size cap (status ``too_long`` above it).
        families: run only these metric families (names in ``biascmp.registry.FAMILIES``, e.g.
            ``["readability", "sentiment"]``); default all. Text preparation always runs; the other
            families' columns are then absent, not NaN.
        progress: show a progress bar (True) or call ``progress(n_done)`` after each chunk.
        story: ``"auto"`` matches same-story articles across outlets (:mod:`biascmp.stories`): adds
            ``story``, ``story_status`` and ``story_centrality`` columns and ``tables["stories"]``.

    Returns:
        An :class:`Analysis`; ``.articles`` has one row per input row in input order.
    """

    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    check_positive_int("n_jobs", n_jobs)
    check_positive_int("chunksize", chunksize)
    with arrow_system_pool():  # the whole run: see biascmp.engine.arrow_system_pool
        return _analyze(source, columns, read_kwargs, n_jobs, chunksize, progress,
                        make_options(actors=actors, lexicons=lexicons, max_chars=max_chars,
                                     loaded_threshold=loaded_threshold, families=families), story)


def _analyze(source: Any, columns: dict[str, str] | None, read_kwargs: dict[str, Any], n_jobs: int,
             chunksize: int, progress: bool | Callable[[int], None], options: Options,
             story: str | None = None) -> Analysis:
    from .io import read_articles

    articles = read_articles(source, columns=columns, **read_kwargs)
    story_table = None
    if story is not None:  # same-story matching on the whole corpus (biascmp/stories.py)
        from .stories import add_stories

        articles, story_table = add_stories(articles, story)
    digest = input_hash(articles)
    bar = None
    callback: Callable[[int], None] | None = None
    if callable(progress):
        callback = progress
    elif progress:
        from .progress import ProgressBar

        bar = ProgressBar(total=len(articles))
        callback = bar.update
    try:
        chunks = run_frames(articles, options, n_jobs=n_jobs, chunksize=chunksize, progress=callback)
    finally:
        if bar is not None:
            bar.close()
    articles = articles.drop(columns=["text"])  # measured: the texts can go before the frames are built
    arts, sentences, evidence, tables = assemble(articles, chunks, options.families)
    del chunks
    outlets = aggregate_outlets(arts, sentences)
    params = provenance(options, input_sha256=digest, n_rows=len(articles))
    if story_table is not None:
        tables["stories"] = story_table
        params["stories"] = {"note": story_table.attrs.get("note", ""), **story_table.attrs.get("params", {})}
    return Analysis(arts, sentences, outlets, evidence, tables, params)
