"""Streaming analysis: read a large input in chunks, write results as they come, in bounded memory.

``biascmp analyze big.jsonl -o out.parquet --chunksize 2000`` (or :func:`analyze_to_file`) never holds
the corpus in memory: it reads ``chunksize`` articles, measures them (in ``n_jobs`` processes, at most
``2 * n_jobs`` chunks in flight), spools each chunk's rows beside the output and moves on; at the end the
output is written chunk by chunk with the union of all columns, to a temporary name that becomes the
output's name only when the whole run has finished; an interrupted run (Ctrl-C, a crash) leaves nothing
that looks complete, and the spool is removed.

Results are identical to :func:`biascmp.analyze` on the whole input: per-article work depends on
nothing but the article (tested). Two things need the whole corpus and are handled explicitly:
duplicate ``article_id`` values across chunks raise an error naming them, and the outlet level
(``level="outlet"``) keeps each article's metric row (numbers, the outlet and status; about
8 bytes per metric per article) to compute medians at the end, and per-chunk sentence sums.
``story="auto"`` (same-story matching) reads the input twice: story features first (no text), clustered
on the driver, then the analysis with each row's story id (see :func:`analyze_to_file`).
"""

from __future__ import annotations

import glob as _glob
import hashlib
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import registry
from ._validation import InputError, check_positive_int
from .aggregate import aggregate_outlets, sentence_partials
from .columnar._jit_rs import python_loop
from .engine import ChunkFrames, arrow_system_pool, assemble, make_options, run_chunk
from .io import (
    DigestIndex,
    SeenTexts,
    decode_note,
    file_encoding,
    has_invalid_bytes,
    jsonl_records,
    load_aliases,
    outlet_spellings,
)
from .outputs import atomic_path, jsonl_text, neutralise_formulas
from .records import Options

#: articles per worker task in parallel streamed runs
TASK_SIZE = 64
TABULAR = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def _count_rows(path: Path, kind: str) -> int | None:
    """Rows in a file, cheaply, for the progress bar's ETA (None when unknown)."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        n = 0
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                n += block.count(b"\n")
        return max(0, n - 1) if kind == "csv" else n
    except (OSError, ValueError):  # unreadable here: the reader itself will name the problem
        return None


def raw_chunks(source: Any, *, chunksize: int, encoding: str | None = None,
               **read_kwargs: Any) -> tuple[Iterator[Any], int | None]:
    """Split ``source`` into pieces that :func:`biascmp.read_articles` accepts, ``chunksize`` rows each.

    Returns (iterator of pieces, total row count or None). Tabular files are read incrementally
    (pandas/pyarrow chunked readers); folders and globs of text files are batched by file; a
    DataFrame is sliced.
    """
    check_positive_int("chunksize", chunksize)
    if isinstance(source, pd.DataFrame):
        return (source.iloc[i:i + chunksize] for i in range(0, len(source), chunksize)), len(source)
    if isinstance(source, (list, tuple)):
        pieces = [raw_chunks(s, chunksize=chunksize, encoding=encoding, **read_kwargs) for s in source]
        totals = [t for _, t in pieces]
        total = None if any(t is None for t in totals) else sum(t for t in totals if t is not None)
        return (c for it, _ in pieces for c in it), total
    path = Path(os.fspath(source))
    kind = TABULAR.get(path.suffix.lower())
    if kind and path.is_file():
        return _tabular_chunks(path, kind, chunksize, encoding, read_kwargs), _count_rows(path, kind)
    if path.is_dir() or any(ch in str(source) for ch in "*?["):
        files = (sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".md")) if path.is_dir()
                 else sorted(Path(p) for p in _glob.glob(str(source))))
        return ([str(f) for f in files[i:i + chunksize]] for i in range(0, len(files), chunksize)), len(files)
    return iter([source]), None  # anything else: read_articles reads it whole (and names the problem)


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _tabular_chunks(path: Path, kind: str, chunksize: int, encoding: str | None,
                    read_kwargs: dict[str, Any]) -> Iterator[pd.DataFrame]:
    """Chunked readers with the same rules as :func:`biascmp.read_articles` (encodings, BOMs, invalid
    bytes as row statuses, delimiter check, errors naming the file and line)."""
    where = repr(str(path))
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:
            raise InputError(f"Cannot read Parquet file {where}: {exc}") from exc
        row = 0
        for batch in pf.iter_batches(batch_size=chunksize):
            df = batch.to_pandas()
            df.insert(0, "source_row", range(row + 1, row + len(df) + 1))
            df.insert(0, "source_file", str(path))
            row += len(df)
            yield df
        return
    if kind == "jsonl":  # the loader's own step, one chunk at a time
        yield from (pd.DataFrame(rows) for rows in _batches(jsonl_records(path, encoding), chunksize))
        return
    if path.stat().st_size == 0:
        raise InputError(f"{where} is empty: nothing to analyse")
    try:
        enc = file_encoding(path, encoding)
        "".encode(enc)
    except LookupError as exc:
        raise InputError(f"Unknown encoding={encoding!r} for {where}: {exc}") from exc
    note = decode_note(enc, where) if has_invalid_bytes(path, enc) else None
    with open(path, encoding=enc, errors="replace", newline="") as f:
        sep = read_kwargs.get("sep") or read_kwargs.get("delimiter") or ("\t" if path.suffix.lower() == ".tsv" else None)
        try:
            with warnings.catch_warnings():
                # a row with more fields than the header makes pandas shift values silently (or use the
                # first column as an index): an error instead, as in read_articles
                warnings.simplefilter("error", pd.errors.ParserWarning)
                reader = pd.read_csv(f, chunksize=chunksize, sep=sep or ",", dtype=str, keep_default_na=False,
                                     na_values=[""], index_col=False)
                row = 0
                for df in reader:
                    if row == 0 and len(df.columns) == 1 and not sep:
                        header = str(df.columns[0])
                        for d, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
                            if d in header:
                                raise InputError(f"CSV {where} has a single column {header[:80]!r}: it looks "
                                                 f"{name}-separated. Pass sep={d!r} (CLI: convert it to commas)")
                    df.insert(0, "source_row", range(row + 1, row + len(df) + 1))
                    df.insert(0, "source_file", str(path))
                    row += len(df)
                    if note and "text" in df.columns:
                        bad = df["text"].astype(str).str.contains("\ufffd", regex=False)
                        if bad.any():
                            df["_decode_problem"] = bad.map({True: note, False: None})
                    yield df
        except pd.errors.ParserWarning as exc:
            from .io import _ragged_line

            with open(path, encoding=enc, errors="replace", newline="") as g:  # error path: find the line
                line = _ragged_line(g.read(), sep or ",")
            raise InputError(f"Cannot parse CSV {where}: {line}. Quote text cells that hold the delimiter, or "
                             "pass sep=...") from exc
        except pd.errors.EmptyDataError as exc:
            raise InputError(f"{where} has no header row: nothing to analyse") from exc
        except (pd.errors.ParserError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            msg = " ".join(str(exc).split())
            raise InputError(f"Cannot parse CSV {where}: {msg}. Check the delimiter (sep=...) and quoting") from exc


@dataclass
class StreamSummary:
    """What a streamed run did: rows in and out, statuses, output path."""

    n_rows: int
    n_ok: int
    n_written: int
    output: Path
    level: str
    statuses: dict[str, int]
    #: ``story="auto"``: the stories table (one row per story, ``attrs["note"]``) and where it was written
    stories: pd.DataFrame | None = None
    stories_output: Path | None = None


def stories_path(output: str | os.PathLike[str]) -> Path:
    """Where ``story="auto"`` writes the stories table: beside the output, ``out.parquet`` ->
    ``out.stories.parquet`` (same format)."""
    target = Path(output)
    return target.with_name(f"{target.stem}.stories{target.suffix}")


class _Writer:
    """Collect DataFrames chunk by chunk and write them as one CSV, JSONL or Parquet file.

    Chunks are spooled to a temporary folder beside the output (one pickle per chunk, our own files), and
    the file is written at :meth:`finish`, one chunk at a time, with the union of all columns in order of
    first appearance: a column that only a later chunk has (a JSONL key, ``outlet_raw``) is kept, and
    memory stays one chunk. :meth:`discard` removes the spool (always called).
    """

    def __init__(self, path: Path, fmt: str, safe_csv: bool):
        import tempfile

        self.path, self.fmt, self.safe_csv = path, fmt, safe_csv
        self.columns: list[str] = []
        self._spool = Path(tempfile.mkdtemp(prefix=".biascmp-chunks-", dir=path.parent))
        self._parts: list[Path] = []
        self.n = 0

    def write(self, frame: pd.DataFrame) -> None:
        self.columns += [c for c in frame.columns if c not in self.columns]
        part = self._spool / f"{len(self._parts):06d}.pkl"
        frame.to_pickle(part)
        self._parts.append(part)
        self.n += len(frame)

    def _frames(self) -> Iterator[pd.DataFrame]:
        for part in self._parts:
            frame = pd.read_pickle(part)  # noqa: S301 (our own spool files)
            # read_articles adds outlet_raw only to a chunk where an outlet spelling changed; in the others
            # the raw name is the outlet itself, not missing
            fill_raw = "outlet_raw" in self.columns and "outlet_raw" not in frame.columns and "outlet" in frame
            frame = frame.reindex(columns=self.columns)
            if fill_raw:
                frame["outlet_raw"] = frame["outlet"]
            yield frame

    def finish(self) -> None:
        if self.fmt == "csv":
            first = True
            for frame in self._frames():
                out = neutralise_formulas(frame) if self.safe_csv else frame
                out.to_csv(self.path, mode="w" if first else "a", header=first, index=False)
                first = False
        elif self.fmt == "jsonl":
            with open(self.path, "w", encoding="utf-8") as f:
                for frame in self._frames():
                    if len(frame):
                        f.write(jsonl_text(frame))  # shortest exact numbers, as write_frame
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            # Each column's type from the chunks where it has values: a chunk where a column is all missing
            # (absent there and reindexed to NaN, e.g. ``outlet_raw``) says nothing about its type. Numbers
            # of different kinds widen to float64; any other disagreement (numbers in one chunk, text in
            # another) makes the column text, so no chunk fails to convert.
            types: dict[str, Any] = {}
            weak: dict[str, Any] = {}  # from chunks where the column is all missing: used only if no other
            as_text: set[str] = set()
            for frame in self._frames():
                table = pa.Table.from_pandas(frame, preserve_index=False)
                filled = {c for c in frame.columns if frame[c].notna().any()}
                for fld in table.schema:
                    if fld.name not in filled:
                        if pa.types.is_null(weak.get(fld.name, pa.null())):
                            weak[fld.name] = fld.type
                        continue
                    old = types.get(fld.name)
                    if old is None or pa.types.is_null(old) or old == fld.type or pa.types.is_null(fld.type):
                        if old is None or pa.types.is_null(old):
                            types[fld.name] = fld.type
                    elif _numeric(old) and _numeric(fld.type):
                        types[fld.name] = pa.float64()
                    else:
                        as_text.add(fld.name)
            for c in as_text:
                types[c] = pa.string()
            for c, t in weak.items():
                types.setdefault(c, t)
            schema = pa.schema([pa.field(c, pa.string() if pa.types.is_null(types.get(c, pa.null()))
                                         else types[c]) for c in self.columns])
            with pq.ParquetWriter(self.path, schema) as w:
                for frame in self._frames():
                    for c in as_text:
                        frame[c] = frame[c].map(lambda v: v if v is None or v != v else str(v))  # NaN stays
                    w.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False, safe=False))

    def discard(self) -> None:
        import shutil

        shutil.rmtree(self._spool, ignore_errors=True)


def _numeric(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def _level_frame(level: str, arts: pd.DataFrame, sentences: pd.DataFrame, evidence: pd.DataFrame,
                 tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    if level == "article":
        return arts
    if level == "sentence":
        return sentences
    if level == "evidence":
        return evidence
    return tables.get(level, pd.DataFrame(columns=["article_id"]))


def analyze_to_file(source: Any, output: str | os.PathLike[str], *, level: str = "article",
                    chunksize: int = 1000, n_jobs: int = 1, columns: dict[str, str] | None = None,
                    actors: Any = None, lexicons: Any = None, max_chars: int | None = None,
                    loaded_threshold: float | None = None, families: Any = None, safe_csv: bool = True,
                    progress: bool | Callable[[int], None] = False, story: str | None = None,
                    **read_kwargs: Any) -> StreamSummary:
    """Analyse ``source`` chunk by chunk and write one level's rows to ``output`` (.csv/.jsonl/.parquet).

    Memory stays bounded by ``chunksize`` (and ``n_jobs``), not by the corpus. Output rows are in input
    order. ``level`` is article, sentence, evidence, outlet or an extra table's name (speakers, actors,
    terms). ``actors``, ``lexicons``, ``max_chars``, ``loaded_threshold`` and ``families`` as in
    :func:`biascmp.analyze` (the same options, built by :func:`biascmp.engine.make_options`).

    ``story="auto"`` matches same-story articles as ``analyze(..., story="auto")`` does, in two passes:
    the first reads the input chunk by chunk and keeps only each article's story features
    (:func:`biascmp.stories.story_features`: sparse term counts, date, outlet, title, a text hash; no
    text), clusters them on the driver (:func:`biascmp.stories.cluster_stories`), and the second pass
    is the normal streamed run with each row's ``story``, ``story_status`` and ``story_centrality``
    attached by position. The stories table is written beside the output (:func:`stories_path`) and
    returned in the summary (``summary.stories``). The input is read twice.
    """
    from .io import read_articles
    from .stories import check_story

    check_story(story)

    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    check_positive_int("n_jobs", n_jobs)
    target = Path(output)
    fmt = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet"}.get(
        target.suffix.lower().lstrip("."))
    if fmt is None:
        raise ValueError(f"Invalid output={str(output)!r}: use a .csv, .jsonl or .parquet file")
    options = make_options(actors=actors, lexicons=lexicons, max_chars=max_chars,
                           loaded_threshold=loaded_threshold, families=families)
    _, total = raw_chunks(source, chunksize=chunksize, **read_kwargs)
    encoding = read_kwargs.get("encoding")
    bar = None
    callback: Callable[[int], None] | None = progress if callable(progress) else None
    if progress is True:
        from .progress import ProgressBar

        bar = ProgressBar(total=total or 0, min_total=0 if total is None else 200)
        callback = bar.update
    statuses: dict[str, int] = {}
    n_rows = 0
    outlet_parts: list[tuple[pd.DataFrame, pd.DataFrame]] = []

    def _h(*parts: str) -> bytes:
        return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).digest()

    def prepared() -> Iterator[pd.DataFrame]:
        # whole-corpus state, kept small (~100 bytes per article plus its id, docs/performance.md
        # "Streaming memory"): one outlet spelling across chunks, ids seen (with their text) and the texts
        # seen (duplicate detection, the same as one read_articles); fresh for each pass over the input
        pinned = load_aliases(read_kwargs.get("outlet_aliases"))
        id_text = _IdTexts()
        seen = SeenTexts()
        chunks, _ = raw_chunks(source, chunksize=chunksize, **read_kwargs)
        for piece in chunks:
            kw = {k: v for k, v in read_kwargs.items() if k not in ("encoding", "outlet_aliases")}
            if encoding and not isinstance(piece, pd.DataFrame):
                kw["encoding"] = encoding
            if isinstance(piece, pd.DataFrame) and "source_file" in piece.columns and len(piece):
                kw["source_name"] = repr(str(piece["source_file"].iat[0]))
            given_ids = isinstance(piece, pd.DataFrame) and (
                "article_id" in piece.columns or bool(kw.get("id_column"))
                or "article_id" in (columns or {}).values())
            arts = read_articles(piece, columns=columns, outlet_aliases=dict(pinned), seen=seen, **kw)
            pinned.update(outlet_spellings(arts))
            arts["article_id"] = _ids_across_chunks(arts, given_ids, id_text)
            yield arts

    def _ids_across_chunks(arts: pd.DataFrame, given_ids: bool, id_text: _IdTexts) -> list[str]:
        """Ids checked against earlier chunks: a given id seen before is an error; a derived id seen
        before (the same row again in a later chunk) gets a suffix, so the rows stay apart."""
        dups = []
        ids = arts["article_id"].astype(str).tolist()
        for i, (aid, text) in enumerate(zip(ids, arts["text"].astype(str).tolist(), strict=True)):
            th = _h(" ".join(text.split()))
            key = _h(aid)
            if key in id_text:
                if given_ids or id_text[key] != th:
                    dups.append(aid)
                    continue
                k = 2
                while _h(f"{aid}-x{k}") in id_text:
                    k += 1
                aid = ids[i] = f"{aid}-x{k}"
                key = _h(aid)
            id_text[key] = th
        if dups:
            raise InputError(f"Duplicate article_id values across the input: {dups[:10]} "
                             f"({len(dups)} in all). Give each article a unique id, or drop the "
                             "article_id column to let biascmp derive one from outlet, title and text.")
        return ids

    def finish(arts: pd.DataFrame, parts: list[ChunkFrames], writer: _Writer) -> None:
        nonlocal n_rows
        a, s, e, t = assemble(arts, parts, options.families)
        n_rows += len(a)
        for k, v in a["status"].value_counts().items():
            statuses[str(k)] = statuses.get(str(k), 0) + int(v)
        if level == "outlet":
            outlet_parts.append((_outlet_rows(a), sentence_partials(a, s)))
        else:
            writer.write(_level_frame(level, a, s, e, t))
        if callback:
            callback(len(a))

    story_table = None
    rows = prepared()
    if story is not None:  # first pass: features only, clustered on the driver (biascmp/stories.py)
        from .stories import StoryFeatures, attach_stories, cluster_stories, split_assignments, story_features
        from .stories import story_table as _story_table

        feats = [story_features(arts) for arts in prepared()]
        found = cluster_stories(StoryFeatures.concat(feats))
        parts_of = split_assignments(found, [len(f) for f in feats])
        del feats
        story_table = _story_table(found)
        rows = (attach_stories(arts, part) for arts, part in zip(prepared(), parts_of, strict=True))
    try:
        with arrow_system_pool(), atomic_path(target) as tmp:
            writer = _Writer(tmp, fmt, safe_csv)
            try:
                if n_jobs == 1:
                    for arts in rows:
                        finish(arts, [_run_for_level(arts, options, level)], writer)
                else:
                    _parallel(rows, options, n_jobs, level, finish, writer)
                if level == "outlet":
                    arts_all = pd.concat([p[0] for p in outlet_parts], ignore_index=True) if outlet_parts \
                        else pd.DataFrame(columns=["outlet", "status", "article_id"])
                    summed = (pd.concat([p[1] for p in outlet_parts]).groupby(level=0).sum()
                              if outlet_parts else None)
                    writer.write(aggregate_outlets(arts_all, partials=summed))
                if writer.n == 0 and not writer.columns:
                    writer.write(pd.DataFrame(columns=["article_id"]))
                writer.finish()
            finally:
                writer.discard()
    finally:
        if bar is not None:
            bar.close()
    stories_output = None
    if story_table is not None:
        from .outputs import write_frame

        stories_output = write_frame(story_table, stories_path(target), safe_csv=safe_csv)
    return StreamSummary(n_rows=n_rows, n_ok=statuses.get("ok", 0), n_written=writer.n, output=target,
                         level=level, statuses=statuses, stories=story_table, stories_output=stories_output)


class _IdTexts:
    """Article id digest -> text digest, for the ids of a whole streamed run: a :class:`~biascmp.io.DigestIndex`
    to a serial and the text digests in one bytearray (~52 bytes per article instead of ~120 in a dict of
    bytes)."""

    def __init__(self) -> None:
        self._index = DigestIndex()
        self._texts = bytearray()

    def __contains__(self, key: bytes) -> bool:
        return self._index.get(key) is not None

    def __getitem__(self, key: bytes) -> bytes:
        k = self._index.get(key)
        if k is None:
            raise KeyError(key)
        return bytes(self._texts[12 * k:12 * k + 12])

    def __setitem__(self, key: bytes, text: bytes) -> None:
        if key in self:
            raise ValueError("an id's text is recorded once")  # the caller renames repeated ids first
        self._index.add(key, len(self._texts) // 12)
        self._texts += text


def _outlet_rows(arts: pd.DataFrame) -> pd.DataFrame:
    """What :func:`biascmp.aggregate.aggregate_outlets` reads of a chunk's articles, kept until the end of
    a ``level="outlet"`` run: the outlet, the status and the registry's article metrics, text columns as
    categoricals (a few distinct values): ~700 bytes per article with today's 83 numeric metrics, where the
    whole row without its texts took ~1,000."""
    keep = ["outlet", "status", *(c for c in registry.names("article") if c in arts.columns)]
    rows = arts[[c for c in dict.fromkeys(keep) if c in arts.columns]].copy()
    for c in rows.columns:
        if not pd.api.types.is_numeric_dtype(rows[c]) and not isinstance(rows[c].dtype, pd.CategoricalDtype):
            rows[c] = rows[c].astype("category")
    return rows


def _run_for_level(arts: pd.DataFrame, options: Options, level: str) -> ChunkFrames:
    """Run the engine on a chunk, building only what the output level needs (less to pickle back, less
    to assemble); MTLD stays in Python (:func:`biascmp.columnar._jit_rs.python_loop`: numba would add
    ~120 MB to the process after its 5,000th article, and streamed memory must stay flat). Here rather
    than around the whole run so that worker processes get it too."""
    with python_loop():
        return _run_chunk_for_level(arts, options, level)


def _run_chunk_for_level(arts: pd.DataFrame, options: Options, level: str) -> ChunkFrames:
    if level == "sentence":
        return run_chunk(arts, options, frames=frozenset({"sentences"}))
    if level == "outlet":
        keep = ["article_id", "kind", *registry.names("sentence")]
        return run_chunk(arts, options, frames=frozenset({"sentences"}), sentence_columns=keep)
    if level == "evidence":
        return run_chunk(arts, options, frames=frozenset({"evidence"}))
    if level == "article":
        return run_chunk(arts, options, frames=frozenset())
    return run_chunk(arts, options, frames=frozenset({"tables"}))


def _parallel(frames: Iterator[pd.DataFrame], options: Options, n_jobs: int, level: str,
              finish: Callable[[pd.DataFrame, list[ChunkFrames], _Writer], None], writer: _Writer) -> None:
    """Keep at most 2 chunks in flight; hand results on in input order."""
    # each read chunk is cut into tasks of TASK_SIZE articles, so both workers stay busy even when a
    # file has only a few chunks; results are put back together in input order
    pending: list[tuple[pd.DataFrame, list[Future[ChunkFrames]]]] = []
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        for arts in frames:
            futs = [pool.submit(_run_for_level, arts.iloc[i:i + TASK_SIZE], options, level)
                    for i in range(0, len(arts), TASK_SIZE)]
            pending.append((arts, futs))
            while len(pending) >= 2:
                a, fs = pending.pop(0)
                finish(a, [f.result() for f in fs], writer)
        for a, fs in pending:
            finish(a, [f.result() for f in fs], writer)
