"""The one engine: a chunk of article rows in, every output frame out.

Every driver calls :func:`run_chunk` (``analyze()`` serial and in worker processes, the streamed file
writer, Dask partitions) and :func:`assemble` to put chunks back together, so they all give the same
frames. Per chunk:

1. each row is checked (a row the loader did not mark ``ok``, a missing text, a text over
   ``options.max_chars``) and every other row is prepared once (:func:`biascmp.prepare.prepare_article`);
2. for each selected family, in registry order, the family's columnar kernel
   (``biascmp.columnar.<family>.measure_chunk``) runs once on the chunk's prepared ``ok`` articles; a
   family without a kernel (or every family, under ``BIASCMP_REFERENCE=1`` or ``Options(reference=True)``)
   runs its per-article ``measure`` through :func:`biascmp.columnar.reference_chunk`. Families run in
   order on the same :class:`~biascmp.records.PreparedArticle` objects (framing reads the ``n_words``
   readability's reference leaves in ``article.shared``; a family that finds nothing there computes it);
3. the results become frames built from column arrays, never from rows of dicts.

Evidence is returned in a canonical order: by article (input order), ``sentence_index``, ``start``,
``end``, family (registry order), ``category``, ``term``; ``family``, ``category`` and ``term`` are
pandas Categoricals (``article_id`` too: a few hundred hits per article), ``sentence_index``/``start``/``end``
int32, ``in_quote`` bool.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from . import registry
from .columnar import ChunkResult, forget_chunks, reference_chunk
from .records import Options, PreparedArticle

#: set to 1 to run every family's per-article reference instead of its columnar kernel
REFERENCE_ENV = "BIASCMP_REFERENCE"

SENTENCE_BASE_COLUMNS = [
    "article_id", "sentence_index", "paragraph", "kind", "start", "end", "text",
    "in_quote", "speaker", "speaker_verb",
]
EVIDENCE_COLUMNS = ["article_id", "sentence_index", "start", "end", "family", "category", "term", "weight",
                    "in_quote"]
#: the frames a chunk can return; drivers that write one level ask for fewer
FRAMES = frozenset(("sentences", "evidence", "tables"))


# ---------------------------------------------------------------------------------------------------
# Families: kernel or reference
# ---------------------------------------------------------------------------------------------------

def use_reference(options: Options) -> bool:
    """True when every family must run its per-article reference (option or environment variable)."""
    return options.reference or os.environ.get(REFERENCE_ENV, "") not in ("", "0")


@functools.cache
def _family_module(name: str) -> Any:
    return importlib.import_module(f"biascmp.{name}")


@functools.cache
def kernel(name: str) -> Callable[..., ChunkResult] | None:
    """The columnar kernel ``biascmp.columnar.<name>.measure_chunk``, or None when there is none yet.
    Errors inside an existing kernel module are not swallowed."""
    modname = f"biascmp.columnar.{name}"
    try:
        mod = importlib.import_module(modname)
    except ModuleNotFoundError as exc:
        if exc.name != modname:
            raise
        return None
    return getattr(mod, "measure_chunk", None)


def measure_family(name: str, articles: Sequence[PreparedArticle], options: Options) -> ChunkResult:
    """One family on a chunk's prepared ok articles: its kernel, or its reference."""
    fn = None if use_reference(options) else kernel(name)
    if fn is not None:
        return fn(articles, options=options)
    return reference_chunk(_family_module(name).measure, articles, options=options)


# ---------------------------------------------------------------------------------------------------
# One chunk
# ---------------------------------------------------------------------------------------------------

@dataclass
class ChunkFrames:
    """A chunk's results as frames (cheap to pickle from a worker: column arrays).

    ``articles`` has one row per input row of the chunk (same order): the metric columns, plus
    ``status``/``status_detail`` where analysis changed them (missing elsewhere).
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    evidence: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _selected(options: Options) -> tuple[str, ...]:
    return options.families or registry.FAMILIES


def _row_status(row: dict[str, Any], options: Options) -> tuple[str, str] | None:
    """(status, detail) for a row that is not measured at all, else None."""
    if row.get("status", "ok") != "ok":
        return ("", "")  # the loader's status stands: nothing to add
    text = row.get("text")
    if not isinstance(text, str):
        return ("empty_text", "text is missing")
    if len(text) > options.max_chars:
        return ("too_long", f"text has {len(text):,} characters, over the cap max_chars={options.max_chars:,}; "
                            "raise max_chars to analyse it")
    return None


def prepare_rows(rows: Sequence[dict[str, Any]], options: Options) -> tuple[list[PreparedArticle | None],
                                                                          list[Any], list[Any]]:
    """Prepare each measurable row once. Returns (prepared or None per row, status per row, detail per row);
    status/detail are NaN where analysis leaves the loader's values."""
    from .prepare import prepare_article

    prepared: list[PreparedArticle | None] = []
    status: list[Any] = []
    detail: list[Any] = []
    for row in rows:
        skip = _row_status(row, options)
        if skip is not None:
            prepared.append(None)
            status.append(skip[0] or np.nan)
            detail.append(skip[1] or np.nan)
            continue
        title = row.get("title")
        p = prepare_article(row["article_id"], row["text"], title=title if isinstance(title, str) else None,
                            outlet=row.get("outlet"))
        prepared.append(p)
        st = p.meta.get("status", "ok")
        status.append(st if st != "ok" else np.nan)
        detail.append(p.meta.get("status_detail", "") if st != "ok" else np.nan)
    return prepared, status, detail


def _infer(values: Any) -> Any:
    """Column values as pandas would type them from rows (object arrays of numbers become numbers, of
    text become text)."""
    arr = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
    if arr.dtype == object:
        return pd.Series(arr, dtype=object).infer_objects().array
    return arr


def _scatter(values: np.ndarray, positions: np.ndarray | None, n: int) -> Any:
    """Values for some rows (at ``positions``) spread over ``n`` rows, missing elsewhere."""
    if positions is None:
        return values
    kind = values.dtype.kind
    out = np.full(n, np.nan, dtype=float if kind in "fiu" else object)
    out[positions] = values
    return out


def _sentence_base(prepared: Sequence[PreparedArticle]) -> dict[str, Any]:
    sents = [s for p in prepared for s in p.sentences]
    n = len(sents)
    per_article = np.fromiter((len(p.sentences) for p in prepared), dtype=np.int64, count=len(prepared))

    def ints(name: str) -> np.ndarray:
        return np.fromiter(map(attrgetter(name), sents), dtype=np.int64, count=n)

    def objects(name: str) -> np.ndarray:
        out = np.empty(n, dtype=object)
        out[:] = list(map(attrgetter(name), sents))
        return out

    cols: dict[str, Any] = {
        "article_id": np.repeat(np.asarray([p.article_id for p in prepared], dtype=object), per_article),
        "sentence_index": ints("index"),
        "paragraph": ints("paragraph"),
        "kind": objects("kind"),
        "start": ints("start"),
        "end": ints("end"),
        "text": objects("text"),
        "in_quote": np.fromiter(map(attrgetter("in_quote"), sents), dtype=np.float64, count=n),
        "speaker": objects("speaker"),
        "speaker_verb": objects("speaker_verb"),
    }
    return cols


def _family_order() -> dict[str, int]:
    return {f: i for i, f in enumerate(registry.FAMILIES)}


def _categorical(codes: np.ndarray, values: np.ndarray) -> pd.Categorical:
    """``pd.Categorical(values[codes])`` from codes into distinct ``values`` (categories sorted, as the
    constructor sorts them), without hashing every row again."""
    present = np.unique(codes)
    names = values[present]
    srt = np.argsort(names, kind="stable")
    recode = np.empty(len(values), dtype=np.int32)
    recode[present[srt]] = np.arange(len(present), dtype=np.int32)
    return pd.Categorical.from_codes(recode[codes], categories=pd.Index(names[srt]))


def _codes(parts: Sequence[pd.DataFrame], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Column ``name`` of the frames ``parts``, end to end, as (codes, distinct values): each frame's
    values factorised once (a categorical column by its categories, no row hashed), then the frames'
    values merged."""
    index: dict[Any, int] = {}
    out = []
    for f in parts:
        s = f[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes, uniq = s.cat.codes.to_numpy(), s.cat.categories.tolist()
        else:
            codes, values = pd.factorize(s.to_numpy(dtype=object))
            uniq = list(values)
        if len(codes) and codes.min() < 0:
            raise ValueError(f"evidence column {name!r} has a missing value")
        m = np.fromiter((index.setdefault(v, len(index)) for v in uniq), dtype=np.int64, count=len(uniq))
        out.append(m[codes])
    return np.concatenate(out), np.asarray(list(index), dtype=object)


def compact_evidence(evidence: pd.DataFrame | Sequence[pd.DataFrame], article_ids: Sequence[str]) -> pd.DataFrame:
    """Evidence in the canonical order and compact dtypes (see the module docstring).

    ``evidence``: a frame of evidence rows, or several (the families' frames: their columns are joined as
    arrays, cheaper than a frame concatenation). ``article_ids``: the chunk's article ids in input order
    (the first sort key).
    """
    parts = [evidence] if isinstance(evidence, pd.DataFrame) else [f for f in evidence if len(f)]
    if not sum(map(len, parts)):
        return empty_evidence()

    def col(name: str, dtype: Any = None) -> np.ndarray:
        return np.concatenate([f[name].to_numpy(dtype=dtype) for f in parts])

    ids = np.asarray(article_ids, dtype=object)
    aid_codes, aid_names = _codes(parts, "article_id")
    pos = pd.Index(ids).get_indexer(aid_names)[aid_codes]
    fam_codes, fam_names = _codes(parts, "family")
    order_of = _family_order()
    fam_rank = np.asarray([order_of.get(f, len(registry.FAMILIES)) for f in fam_names.tolist()],
                          dtype=np.int64)[fam_codes]
    cat = _categorical(*_codes(parts, "category"))
    term = _categorical(*_codes(parts, "term"))
    sent, start, end = col("sentence_index", np.int64), col("start", np.int64), col("end", np.int64)
    # category and term codes follow sorted categories, so ranking by code is ranking by value
    order = np.lexsort((term.codes, cat.codes, fam_rank, end, start, sent, pos))
    return pd.DataFrame({
        "article_id": _categorical(pos[order], ids),
        "sentence_index": sent[order].astype(np.int32),
        "start": start[order].astype(np.int32),
        "end": end[order].astype(np.int32),
        "family": _categorical(fam_codes[order], fam_names),
        "category": cat[order],
        "term": term[order],
        "weight": col("weight", np.float64)[order],
        "in_quote": col("in_quote", bool)[order],
    })


def empty_evidence() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": pd.Categorical([]), "sentence_index": pd.Series(dtype=np.int32),
        "start": pd.Series(dtype=np.int32), "end": pd.Series(dtype=np.int32),
        "family": pd.Categorical([]), "category": pd.Categorical([]), "term": pd.Categorical([]),
        "weight": pd.Series(dtype=np.float64), "in_quote": pd.Series(dtype=bool),
    })


def run_chunk(rows: Sequence[dict[str, Any]] | pd.DataFrame, options: Options | None = None, *,
              frames: frozenset[str] | None = None, sentence_columns: Sequence[str] | None = None) -> ChunkFrames:
    """Measure one chunk of article rows (dicts or a frame, as :func:`biascmp.read_articles` returns).

    Args:
        rows: the chunk's rows, with at least ``article_id`` and ``text`` (``status``, ``title`` and
            ``outlet`` read when present).
        options: the analysis options (default :class:`~biascmp.records.Options`).
        frames: which of ``sentences``, ``evidence``, ``tables`` to build (default all; the article
            metrics are always built). Drivers that write one level skip the others.
        sentence_columns: drop every other sentence column (a driver that only aggregates).

    Per-article results depend on nothing but the article, so any split into chunks gives the same rows.
    """
    options = options if options is not None else Options()
    frames = FRAMES if frames is None else frames
    records: list[dict[str, Any]] = (rows.to_dict("records") if isinstance(rows, pd.DataFrame)  # type: ignore[assignment]
                                     else list(rows))
    n = len(records)
    prepared, status, detail = prepare_rows(records, options)
    done = [p for p in prepared if p is not None]
    ok_pos = [i for i, p in enumerate(prepared) if p is not None and p.meta.get("status", "ok") == "ok"]
    ok = [p for p in (prepared[i] for i in ok_pos) if p is not None]
    all_ok = len(ok) == len(done)

    # sentence positions of the ok articles among all sentences of the prepared articles
    sent_pos: np.ndarray | None = None
    n_sent = sum(len(p.sentences) for p in done)
    if not all_ok:
        mask = np.concatenate([np.full(len(p.sentences), p.meta.get("status", "ok") == "ok") for p in done]) \
            if done else np.zeros(0, bool)
        sent_pos = np.flatnonzero(mask)

    art_cols: dict[str, Any] = {}
    sent_cols: dict[str, Any] = _sentence_base(done) if "sentences" in frames else {}
    evidence: list[pd.DataFrame] = []
    tables: dict[str, list[pd.DataFrame]] = {}
    art_pos = None if len(ok) == n else np.asarray(ok_pos, dtype=np.int64)
    if ok:
        for fam in _selected(options):
            res = measure_family(fam, ok, options)
            for col, values in res.article.items():
                art_cols[col] = _scatter(np.asarray(values), art_pos, n)
            if "sentences" in frames:
                for col, values in res.sentence.items():
                    sent_cols[col] = _scatter(np.asarray(values), sent_pos, n_sent)
            if "evidence" in frames and len(res.evidence):
                evidence.append(res.evidence)
            if "tables" in frames:
                for name, t in res.tables.items():  # an empty table too: "ran, found none" != "not run"
                    tables.setdefault(name, []).append(t)
    forget_chunks()  # the chunk's tokenisations, shared by its families, are not needed any more
    art_cols = {"status": np.asarray(status, dtype=object), "status_detail": np.asarray(detail, dtype=object),
                **art_cols}
    articles = pd.DataFrame({k: _infer(v) for k, v in art_cols.items()}, index=pd.RangeIndex(n))
    if sentence_columns is not None:
        sent_cols = {k: v for k, v in sent_cols.items() if k in sentence_columns}
    sentences = (pd.DataFrame({k: _infer(v) for k, v in sent_cols.items()}, index=pd.RangeIndex(n_sent))
                 if sent_cols else pd.DataFrame(columns=SENTENCE_BASE_COLUMNS))
    ev = (compact_evidence(evidence, [p.article_id for p in ok]) if evidence
          else empty_evidence())
    out_tables = {k: _concat(v) for k, v in tables.items()}
    del prepared, done, ok, evidence, tables, sent_cols, art_cols
    release_memory()
    return ChunkFrames(articles, sentences, ev, out_tables)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return None


def release_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; nothing elsewhere).

    A chunk's prepared articles, token arrays and temporary frames are freed once its frames are built,
    but glibc keeps the pages, and the next chunk's allocations land elsewhere in the fragmented heap: the
    resident size then ratchets up chunk after chunk. Trimming after each chunk and after assembly keeps it
    near what is live: in-memory ``analyze()`` of allsides_dev (2,971 articles) peaks at 413 MiB instead of
    446 MiB (measured, docs/performance.md). Takes about a millisecond; changes no value."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def arrow_system_pool() -> Iterator[None]:
    """Let pandas' Arrow strings allocate from the system allocator during a run, then restore the pool.

    pandas 3 stores text as Arrow strings; a run builds many short-lived ones (a few per chunk), and
    Arrow's default mimalloc pool keeps the freed pages, which glibc's malloc would reuse for the next
    chunk: measured on allsides_dev (2,971 articles), peak RSS 456 MB with mimalloc, 420 MB with the
    system pool. Buffers remember their pool, so restoring it afterwards is safe."""
    try:
        import pyarrow as pa
    except ImportError:  # pandas without pyarrow: nothing to do
        yield
        return
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


# ---------------------------------------------------------------------------------------------------
# Chunks back together
# ---------------------------------------------------------------------------------------------------

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


def _concat_evidence(frames: list[pd.DataFrame]) -> pd.DataFrame:
    full = [f for f in frames if len(f)]
    if len(full) <= 1:
        return full[0].reset_index(drop=True) if full else empty_evidence()
    from pandas.api.types import union_categoricals

    cols = {c: union_categoricals([f[c] for f in full], sort_categories=True)
            for c in ("article_id", "family", "category", "term")}
    out = pd.concat([f.drop(columns=list(cols)) for f in full], ignore_index=True)
    for c, v in cols.items():
        out[c] = v
    return out[EVIDENCE_COLUMNS]


def assemble(articles: pd.DataFrame, chunks: list[ChunkFrames],
             families: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                               pd.DataFrame, dict[str, pd.DataFrame]]:
    """Combine chunks (in input order) with the input frame (same rows, same order): the articles frame
    (identity columns, status, metrics in registry order), sentences, evidence and tables.

    The chunks' sentence and evidence frames are emptied once they are in the result (memory)."""
    n_out = sum(len(c.articles) for c in chunks)
    if n_out != len(articles):  # rows in equals rows out, always
        raise RuntimeError(f"internal error: {len(articles)} articles in, {n_out} results out")
    arts = articles.drop(columns=["text"], errors="ignore").reset_index(drop=True).copy()
    metric_rows = _concat([c.articles for c in chunks]) if chunks else pd.DataFrame(index=arts.index)
    metric_rows.index = arts.index
    if "status" in metric_rows:
        upd = metric_rows.pop("status")
        mask = upd.notna()
        if mask.any():
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
    # each kind of frame is put together, then released from the chunks: the memory of a run peaks at
    # its result plus one kind of frame, not plus every chunk
    sentences = (_concat([c.sentences for c in chunks]) if chunks
                 else pd.DataFrame(columns=SENTENCE_BASE_COLUMNS))
    for c in chunks:
        c.sentences = sentences.iloc[:0]
    evidence = _concat_evidence([c.evidence for c in chunks])
    for c in chunks:
        c.evidence = evidence.iloc[:0]
    names = list(dict.fromkeys(k for c in chunks for k in c.tables))
    tables = {k: _concat([c.tables[k] for c in chunks if k in c.tables]) for k in names}
    # a table its family returned with no rows anywhere: present, empty, with its registry columns
    tables = {k: registry.table_meta(k) if not len(t) and k in registry.TABLES else t for k, t in tables.items()}
    release_memory()
    return arts, sentences, evidence, tables


# ---------------------------------------------------------------------------------------------------
# Options and provenance: built here for every driver
# ---------------------------------------------------------------------------------------------------

def make_options(*, actors: Any = None, lexicons: Any = None, max_chars: int | None = None,
                 loaded_threshold: float | None = None, families: Any = None,
                 reference: bool = False) -> Options:
    """The :class:`~biascmp.records.Options` of a run, from the arguments every driver accepts (each
    checked, errors naming the argument)."""
    from ._validation import check_positive_int

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
        try:
            kw["loaded_threshold"] = float(loaded_threshold)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Invalid loaded_threshold={loaded_threshold!r}: expected a number") from exc
    if reference:
        kw["reference"] = True
    return Options(**kw)


def input_hash(articles: pd.DataFrame) -> str:
    """SHA-256 over article ids, outlets and texts, in order: identifies the input of a run."""
    import hashlib

    h = hashlib.sha256()
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        for part in (aid, outlet, text):
            h.update(str(part).encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
    return h.hexdigest()


def dependency_versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("pandas", "numpy", "textstat", "vaderSentiment", "jinja2", "weasyprint", "matplotlib", "pyphen"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def provenance(options: Options, **extra: Any) -> dict[str, Any]:
    """The ``params`` of a run: versions, the options, and what the driver adds (input hash, row count,
    engine name...)."""
    from . import __version__

    return {
        "biascmp_version": __version__,
        "versions": dependency_versions(),
        **extra,
        "options": {"actors": [a for a, _ in options.actors], "lexicons": [k for k, _ in options.lexicons],
                    "max_chars": options.max_chars, "loaded_threshold": options.loaded_threshold,
                    "families": list(_selected(options)),
                    "path": "reference" if use_reference(options) else "columnar"},
    }
