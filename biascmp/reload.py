"""Read an article table that biascmp wrote back into an :class:`~biascmp.analysis.Analysis`.

``biascmp analyze corpus.jsonl -o a.csv`` (or ``Analysis.to_csv/to_parquet/to_jsonl``) writes one row per
article with its metrics and no text. :func:`read_analysis` turns such a file into an Analysis again, so
``biascmp compare a.csv`` and ``biascmp report a.csv`` work on it without measuring anything twice.

What a file of article rows cannot carry is absent, not invented: the reloaded Analysis has no
sentences and no evidence (empty frames with their columns), so comparisons have no sentence-level
spread (``sentence_sd`` NaN) and the report shows no excerpts; outlet aggregates are recomputed from
the article rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._validation import InputError, InputFileNotFound

if TYPE_CHECKING:
    from .analysis import Analysis

#: columns an article table written by biascmp always has
ARTICLE_TABLE_COLUMNS = ("article_id", "outlet", "status")
_READERS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
            ".pq": "parquet"}
#: identity columns kept as text even when they look like numbers
_TEXT_COLUMNS = ("article_id", "outlet", "title", "url", "outlet_type", "status", "status_detail")


def _read(path: Path) -> pd.DataFrame:
    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"Cannot tell the format of {str(path)!r} from its suffix {path.suffix!r}: "
                         "an article table is a .csv, .jsonl or .parquet file")
    if not path.is_file():
        raise InputFileNotFound(f"Input file {str(path)!r} does not exist")
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        if kind == "jsonl":
            return pd.read_json(path, lines=True, dtype=False, precise_float=True)
        return pd.read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",",
                           dtype={c: str for c in _TEXT_COLUMNS}, keep_default_na=False, na_values=[""])
    except (ValueError, OSError) as exc:  # pandas/pyarrow parse errors
        msg = " ".join(str(exc).split())
        raise InputError(f"Cannot read the article table {str(path)!r}: {msg}") from exc


def columns_of(path: str | os.PathLike[str]) -> list[str] | None:
    """The column names of a CSV/JSONL/Parquet file, read cheaply (header, first line or schema).

    Returns:
        The names, or None when the file is not a readable table of a known suffix.
    """
    p = Path(path)
    kind = _READERS.get(p.suffix.lower())
    if kind is None or not p.is_file():
        return None
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return [str(n) for n in pq.read_schema(p).names if not str(n).startswith("__index_level_")]
        if kind == "csv":
            head = pd.read_csv(p, nrows=0, sep="\t" if p.suffix.lower() == ".tsv" else ",")
            return [str(c) for c in head.columns]
        import json

        with open(p, encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    obj = json.loads(line)
                    return [str(k) for k in obj] if isinstance(obj, dict) else None
    except (ValueError, OSError, UnicodeError):
        return None
    return None


def is_article_table(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds measured article rows (biascmp's article-level output), not raw articles.

    Returns:
        True when the file has ``article_id``, ``outlet`` and ``status`` columns and no ``text`` column.
    """
    cols = columns_of(path)
    return cols is not None and "text" not in cols and all(c in cols for c in ARTICLE_TABLE_COLUMNS)


def read_analysis(source: str | os.PathLike[str] | pd.DataFrame) -> Analysis:
    """An :class:`~biascmp.analysis.Analysis` from an article table biascmp wrote (or its DataFrame).

    Args:
        source: a .csv, .jsonl or .parquet file written by ``biascmp analyze`` / ``Analysis.to_csv`` etc.
            at the article level, or that table as a DataFrame.

    Returns:
        An Analysis whose ``articles`` are the table's rows (same order, metrics as numbers), whose
        ``outlets`` are recomputed from them, and whose ``sentences`` and ``evidence`` are empty (a table
        of articles does not hold them).

    Raises:
        InputFileNotFound: the file does not exist.
        InputError: the file is not an article table (it misses ``article_id``, ``outlet`` or ``status``,
            or it holds raw articles with a ``text`` column).
    """
    from . import __version__, registry
    from .analysis import EVIDENCE_COLUMNS, SENTENCE_BASE_COLUMNS, Analysis, aggregate_outlets

    if isinstance(source, pd.DataFrame):
        arts, where = source.copy(), "the DataFrame"
    else:
        path = Path(os.fspath(source))
        arts, where = _read(path), repr(str(path))
    missing = [c for c in ARTICLE_TABLE_COLUMNS if c not in arts.columns]
    if missing or "text" in arts.columns:
        why = (f"it has no {missing} column(s)" if missing else "it has a text column (raw articles)")
        raise InputError(f"{where} is not an article table written by biascmp analyze: {why}. "
                         "Pass raw articles to biascmp.analyze() instead")
    for c in _TEXT_COLUMNS:
        if c in arts.columns:
            arts[c] = arts[c].astype(object).where(arts[c].notna(), None)
    for name in registry.names("article"):
        if name in arts.columns and arts[name].dtype == object:  # numbers written as text stay text otherwise
            conv = pd.to_numeric(arts[name], errors="coerce")
            if conv.notna().sum() == arts[name].notna().sum():
                arts[name] = conv
    if "date" in arts.columns:
        arts["date"] = pd.to_datetime(arts["date"], errors="coerce", format="ISO8601")
    arts = arts.reset_index(drop=True).copy()  # one block per dtype again after the conversions
    sentences = pd.DataFrame(columns=SENTENCE_BASE_COLUMNS)
    evidence = pd.DataFrame(columns=EVIDENCE_COLUMNS)
    outlets = aggregate_outlets(arts, sentences)
    params = {"biascmp_version": __version__, "reloaded_from": where, "n_rows": len(arts),
              "note": "article table read back with biascmp.read_analysis: no sentences or evidence"}
    return Analysis(arts, sentences, outlets, evidence, {}, params)


def load_source(source: Any, **analyze_kwargs: Any) -> Analysis:
    """``read_analysis(source)`` when ``source`` is one article table biascmp wrote, else
    ``analyze(source, **analyze_kwargs)``: what ``biascmp compare`` and ``biascmp report`` read.

    Returns:
        An Analysis.
    """
    if isinstance(source, (str, os.PathLike)):
        if is_article_table(source):
            return read_analysis(source)
        cols = set(columns_of(source) or ())
        level = ("outlet" if {"n_articles", "n_rows"} <= cols else
                 "sentence" if {"article_id", "sentence_index", "kind"} <= cols else
                 "evidence" if {"article_id", "sentence_index", "family", "term"} <= cols else None)
        if level:
            raise InputError(f"{str(source)!r} looks like biascmp's {level}-level output; comparisons and "
                             "reports need the article level (biascmp analyze ... --level article, the default) "
                             "or the raw articles")
    from .analysis import analyze

    return analyze(source, **analyze_kwargs)
