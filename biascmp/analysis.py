"""analyze(): articles in, an :class:`Analysis` (articles, sentences, outlets, evidence) out.

The engine prepares each article once and hands the same :class:`~biascmp.records.PreparedArticle`
to every metric family (see :mod:`biascmp.records`). Per-article work depends on nothing but the
article itself, so chunks run in parallel processes (``n_jobs``) or Dask partitions and give the
same numbers as a serial run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from . import __version__, registry
from ._validation import check_positive_int
from .records import FamilyResult, Options, PreparedArticle

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: metric family modules, each with ``measure(article, *, options) -> FamilyResult``
FAMILY_MODULES = (
    "biascmp.readability",
    "biascmp.sentiment",
    "biascmp.framing",
    "biascmp.loaded",
    "biascmp.attribution",
    "biascmp.terms",
    "biascmp.actors",
)

ARTICLE_ID_COLUMNS = ["article_id", "outlet", "title", "date", "url", "outlet_type", "status", "status_detail"]
SENTENCE_BASE_COLUMNS = [
    "article_id", "sentence_index", "paragraph", "kind", "start", "end", "text",
    "in_quote", "speaker", "speaker_verb",
]
EVIDENCE_COLUMNS = ["article_id", "sentence_index", "start", "end", "family", "category", "term", "weight",
                    "in_quote"]


@functools.lru_cache(maxsize=8)
def _families(chosen: tuple[str, ...] = ()) -> tuple[Callable[..., FamilyResult], ...]:
    fams = []
    for name in FAMILY_MODULES:
        if chosen and name.rsplit(".", 1)[1] not in chosen:
            continue
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        fams.append(mod.measure)
    return tuple(fams)


@dataclass
class ArticleOutput:
    """Everything one article contributes to an Analysis (plain Python, cheap to pickle)."""

    article: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    #: tuples in the order of EVIDENCE_COLUMNS
    evidence: list[tuple[Any, ...]] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def analyze_one(row: dict[str, Any], options: Options | None = None) -> ArticleOutput:
    """Measure one article (a row of read_articles' frame, as a dict). Pure: depends on nothing else."""
    options = options if options is not None else Options()
    from .prepare import prepare_article

    art: dict[str, Any] = {}
    aid = row["article_id"]
    if row.get("status", "ok") != "ok":
        return ArticleOutput(art)
    text = row.get("text")
    if not isinstance(text, str):
        return ArticleOutput({"status": "empty_text", "status_detail": "text is missing"})
    if len(text) > options.max_chars:
        return ArticleOutput({
            "status": "too_long",
            "status_detail": f"text has {len(text):,} characters, over the cap max_chars={options.max_chars:,}; "
                             "raise max_chars to analyse it",
        })
    title = row.get("title")
    prepared: PreparedArticle = prepare_article(
        aid, text, title=title if isinstance(title, str) else None, outlet=row.get("outlet"))
    status = prepared.meta.get("status", "ok")
    if status != "ok":
        art["status"] = status
        art["status_detail"] = prepared.meta.get("status_detail", "")
    sents = prepared.sentences
    srows: list[dict[str, Any]] = [
        {
            "article_id": aid, "sentence_index": s.index, "paragraph": s.paragraph, "kind": s.kind,
            "start": s.start, "end": s.end, "text": s.text, "in_quote": s.in_quote,
            "speaker": s.speaker, "speaker_verb": s.speaker_verb,
        }
        for s in sents
    ]
    out = ArticleOutput(art, srows)
    if status != "ok":
        return out
    for measure in _families(options.families):
        res = measure(prepared, options=options)
        for col, values in res.sentence.items():
            for r, v in zip(srows, values, strict=True):  # families align with sentences
                r[col] = v
        art.update(res.article)
        out.evidence.extend((aid, e.sentence_index, e.start, e.end, e.family, e.category, e.term, e.weight,
                             e.in_quote) for e in res.evidence)  # tuples: a third of the memory of dicts
        for name, rows in res.tables.items():
            out.tables.setdefault(name, []).extend({"article_id": aid, **r} for r in rows)
    return out


def _run_chunk(rows: list[dict[str, Any]], options: Options) -> list[ArticleOutput]:
    return [analyze_one(r, options) for r in rows]


@dataclass
class ChunkFrames:
    """A chunk's results with its sentence, evidence and table rows already built into frames. Worker
    processes return this, so building the frames (a sixth of the work of the main process) runs in
    parallel; frames pickle as column arrays, cheaper than rows of dicts."""

    articles: list[dict[str, Any]]
    sentences: pd.DataFrame
    evidence: pd.DataFrame
    tables: dict[str, pd.DataFrame]


def chunk_frames(outputs: list[ArticleOutput]) -> ChunkFrames:
    sent_rows = [r for o in outputs for r in o.sentences]
    sentences = pd.DataFrame(sent_rows) if sent_rows else pd.DataFrame(columns=SENTENCE_BASE_COLUMNS)
    ev_rows = [r for o in outputs for r in o.evidence]
    evidence = pd.DataFrame.from_records(ev_rows, columns=EVIDENCE_COLUMNS)
    if not len(evidence):
        evidence = evidence.astype({"sentence_index": "int64", "start": "int64", "end": "int64",
                                    "weight": "float64", "in_quote": "bool"})
    tables: dict[str, list[dict[str, Any]]] = {}
    for o in outputs:
        for name, rows in o.tables.items():
            tables.setdefault(name, []).extend(rows)
    return ChunkFrames([o.article for o in outputs], sentences, evidence,
                       {k: pd.DataFrame(v) for k, v in tables.items()})


def _run_chunk_frames(rows: list[dict[str, Any]], options: Options) -> ChunkFrames:
    return chunk_frames(_run_chunk(rows, options))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise concatenation that gives the dtypes one frame built from all the rows would have (a
    column that is all missing in one chunk is object there; inferring again restores str / float)."""
    full = [f for f in frames if len(f)]
    if len(full) <= 1:
        return full[0].reset_index(drop=True) if full else frames[0]
    out = pd.concat(full, ignore_index=True)
    obj = [c for c in out.columns if out[c].dtype == object]
    if obj:
        out[obj] = out[obj].infer_objects()
    return out


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def run_frames(rows: list[dict[str, Any]], options: Options, *, n_jobs: int = 1, chunksize: int = 64,
               progress: Callable[[int], None] | None = None) -> list[ChunkFrames]:
    """Analyse rows chunk by chunk, serially or in ``n_jobs`` processes; chunks in input order."""
    if n_jobs == 1 or len(rows) <= chunksize:  # one process: the frames built once, from all rows
        return [chunk_frames(run_outputs(rows, options, chunksize=chunksize, progress=progress))]
    out = []
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        futures = [pool.submit(_run_chunk_frames, chunk, options) for chunk in _chunks(rows, chunksize)]
        for fut in futures:  # in submission order: output order equals input order
            res = fut.result()
            out.append(res)
            if progress:
                progress(len(res.articles))
    return out


def run_outputs(rows: list[dict[str, Any]], options: Options, *, chunksize: int = 64,
                progress: Callable[[int], None] | None = None) -> list[ArticleOutput]:
    """Analyse rows in this process, in input order, calling ``progress`` after each chunk."""
    outputs: list[ArticleOutput] = []
    for chunk in _chunks(rows, chunksize):
        outputs.extend(_run_chunk(chunk, options))
        if progress:
            progress(len(chunk))
    return outputs


def assemble(articles: pd.DataFrame, outputs: list[ArticleOutput],
             families: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                          pd.DataFrame, dict[str, pd.DataFrame]]:
    """Combine per-article outputs with the input frame (same rows, same order)."""
    return assemble_frames(articles, [chunk_frames(outputs)], families)


def assemble_frames(articles: pd.DataFrame, chunks: list[ChunkFrames],
                    families: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                      pd.DataFrame, dict[str, pd.DataFrame]]:
    """Combine chunks of results (in input order) with the input frame (same rows, same order)."""
    if not chunks:  # no rows: the empty frames with their columns
        chunks = [chunk_frames([])]
    art_rows = [a for c in chunks for a in c.articles]
    if len(art_rows) != len(articles):  # rows in equals rows out, always
        raise RuntimeError(f"internal error: {len(articles)} articles in, {len(art_rows)} results out")
    arts = articles.drop(columns=["text"]).reset_index(drop=True).copy()
    metric_rows = pd.DataFrame(art_rows, index=arts.index)
    if "status" in metric_rows:
        upd = metric_rows.pop("status")
        mask = upd.notna()
        arts.loc[mask, "status"] = upd[mask]
    if "status_detail" in metric_rows:  # the analyze-time reason first, then the loader's notes
        upd = metric_rows.pop("status_detail")
        for i in upd.index[upd.notna()]:
            old = arts.at[i, "status_detail"] if "status_detail" in arts.columns else ""
            old = old if isinstance(old, str) else ""
            arts.at[i, "status_detail"] = f"{upd[i]}; {old}" if old else upd[i]
    # registry order first, so the columns never depend on which articles were measured
    wanted = [n for n in registry.names("article", families or None) if n not in arts.columns]
    metric_rows = metric_rows.reindex(columns=list(dict.fromkeys(wanted + list(metric_rows.columns))))
    arts = pd.concat([arts, metric_rows], axis=1)
    sentences = _concat([c.sentences for c in chunks])
    evidence = _concat([c.evidence for c in chunks])
    names = list(dict.fromkeys(k for c in chunks for k in c.tables))
    tables = {k: _concat([c.tables[k] for c in chunks if k in c.tables]) for k in names}
    return arts, sentences, evidence, tables


def _groups(articles: pd.DataFrame, by: str) -> pd.Series:
    return articles[by].astype("string").fillna("(unknown)")


def sentence_partials(articles: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Per group: prose sentence count and, per numeric sentence metric, its sum and count.

    Partials of disjoint sets of articles add up (``pd.concat(parts).groupby(level=0).sum()``), which
    lets chunked, parallel and Dask runs aggregate without holding every sentence.
    """
    if not len(sentences) or "kind" not in sentences:
        return pd.DataFrame({"n_sentences": pd.Series(dtype="int64")})
    prose = sentences[sentences["kind"] == "prose"]
    sgroups = prose["article_id"].map(dict(zip(articles["article_id"], _groups(articles, by))))
    out = pd.DataFrame({"n_sentences": prose.groupby(sgroups).size()})
    for col in registry.names("sentence"):
        if col in prose.columns and pd.api.types.is_numeric_dtype(prose[col]):
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


def input_hash(articles: pd.DataFrame) -> str:
    """SHA-256 over article ids, outlets and texts, in order: identifies the input of a run."""
    h = hashlib.sha256()
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        for part in (aid, outlet, text):
            h.update(str(part).encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
    return h.hexdigest()


def _options(actors: Any = None, lexicons: Any = None, max_chars: int | None = None,
             loaded_threshold: float | None = None, families: Any = None) -> Options:
    kw: dict[str, Any] = {}
    if families is not None:
        chosen = registry.check_families(families)
        kw["families"] = () if chosen == registry.FAMILIES else chosen
    if actors:
        from .actors import normalise_actors

        kw["actors"] = normalise_actors(actors)
    if lexicons:
        from .lexicons import check_overrides

        kw["lexicons"] = check_overrides(lexicons)
    if max_chars is not None:
        check_positive_int("max_chars", max_chars)
        kw["max_chars"] = max_chars
    if loaded_threshold is not None:
        kw["loaded_threshold"] = float(loaded_threshold)
    return Options(**kw)


def analyze(source: Any, *, columns: dict[str, str] | None = None, actors: Any = None,
            lexicons: Any = None, n_jobs: int = 1, chunksize: int = 64, max_chars: int | None = None,
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
        chunksize: articles per task.
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
    from .io import read_articles

    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    check_positive_int("n_jobs", n_jobs)
    check_positive_int("chunksize", chunksize)
    articles = read_articles(source, columns=columns, **read_kwargs)
    story_table = None
    if story is not None:  # same-story matching on the whole corpus (biascmp/stories.py)
        from .stories import add_stories

        articles, story_table = add_stories(articles, story)
    options = _options(actors, lexicons, max_chars, loaded_threshold, families)
    rows = cast(list[dict[str, Any]], articles.to_dict("records"))  # column names are str
    bar = None
    callback: Callable[[int], None] | None = None
    if callable(progress):
        callback = progress
    elif progress:
        from .progress import ProgressBar

        bar = ProgressBar(total=len(rows))
        callback = bar.update
    try:
        chunks = run_frames(rows, options, n_jobs=n_jobs, chunksize=chunksize, progress=callback)
    finally:
        if bar is not None:
            bar.close()
    arts, sentences, evidence, tables = assemble_frames(articles, chunks, options.families)
    outlets = aggregate_outlets(arts, sentences)
    params = {
        "biascmp_version": __version__,
        "versions": dependency_versions(),
        "input_sha256": input_hash(articles),
        "n_rows": len(articles),
        "options": {"actors": [a for a, _ in options.actors], "lexicons": [k for k, _ in options.lexicons],
                    "max_chars": options.max_chars, "loaded_threshold": options.loaded_threshold,
                    "families": list(options.families or registry.FAMILIES)},
    }
    if story_table is not None:
        tables["stories"] = story_table
        params["stories"] = {"note": story_table.attrs.get("note", ""), **story_table.attrs.get("params", {})}
    return Analysis(arts, sentences, outlets, evidence, tables, params)


def dependency_versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("pandas", "numpy", "textstat", "vaderSentiment", "jinja2", "weasyprint", "matplotlib", "pyphen"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out
