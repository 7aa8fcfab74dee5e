"""Load articles from a DataFrame, CSV, JSON Lines, JSON, Parquet, or folders/globs of .txt/.md files.

:func:`read_articles` returns one row per input article with the canonical columns first
(``article_id, outlet, title, date, url, outlet_type, text, status, status_detail``) and every other
input column kept after them. It never drops a row: problems that affect one row give it a ``status``
(or a note in ``status_detail``); problems that make the whole input unusable raise
:class:`~biascmp._validation.InputError` with a message naming the file, row or column and what to do.

Statuses set here (``docs/input.md`` lists every status biascmp uses):

- ``ok``: measured. ``status_detail`` may still carry notes: an unparseable date (set to NaT), control
  characters removed, an outlet name normalised or missing, a text shared with another outlet
  (syndicated copy).
- ``empty_text``: text missing, empty or whitespace only. Not measured.
- ``decode_error``: the bytes were not valid in the encoding (UTF-8 by default); the text was decoded
  with replacement characters and is not measured. Pass ``encoding=`` to read it correctly.
- ``duplicate_text``: the same text (whitespace-insensitive) as an earlier article of the same outlet
  (named in the detail). Not measured, so it is not counted twice.
- ``not_english``: a ``language`` column names another language. Not measured. (Without such a column,
  analyze() detects non-English prose itself.)

Everything per row is done with pandas' column operations or once per *distinct* value (outlet names,
date strings); the only per-row Python is the sha256 of derived ids (100,000 rows load in about 0.5 s).
"""

from __future__ import annotations

import glob as _glob
import hashlib
import io
import itertools
import json
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import yaml

from ._validation import InputError, InputFileNotFound

CANONICAL = ["article_id", "outlet", "title", "date", "url", "outlet_type", "text", "status", "status_detail"]
REQUIRED = ["outlet", "text"]
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
UNKNOWN_OUTLET = "(unknown)"
#: every status code biascmp sets (read_articles here; no_prose, not_english and too_long at analyze time)
STATUSES = ("ok", "empty_text", "decode_error", "duplicate_text", "no_prose", "not_english", "too_long")
#: columns read_articles adds itself (not listed as "the input's columns" in error messages)
_OWN_COLUMNS = ("source_file", "source_row", "_decode_problem")
#: values of a ``language`` column taken as English
_ENGLISH = {"en", "eng", "english"}
#: values of a ``language`` column that say nothing (left to analyze()'s own detection)
_UNDETERMINED = {"und", "unknown", "none", "null", "n/a", "na", "?"}

# C0 controls except tab, newline and carriage return, plus DEL. Character classes only: linear time.
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_RE = re.compile(_CONTROL)
_SPACES_RE = re.compile(r"\s+")
# lone UTF-16 surrogates: invalid Unicode that JSON escapes ("\ud800") and Python strings can carry, and
# that pandas' Arrow-backed strings and every UTF-8 writer refuse
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
SURROGATE_NOTE = ("text holds lone UTF-16 surrogates (invalid Unicode, e.g. a JSON \\ud800 escape); "
                  "replaced with U+FFFD")
_DELIMS = {";": "semicolon", "\t": "tab", "|": "pipe"}


# ---------------------------------------------------------------------------------------------------
# Reading bytes
# ---------------------------------------------------------------------------------------------------

def sniff_encoding(head: bytes, encoding: str | None = None) -> str:
    """The encoding to decode a file with, from its first bytes.

    ``encoding`` wins when given. Otherwise: UTF-32/UTF-16 when the bytes start with their byte-order
    mark; UTF-16-LE/BE without a BOM when every other byte of the first kilobyte is NUL (what a
    UTF-16 file of mostly Latin text looks like; UTF-8 text never has that pattern); else UTF-8 with an
    optional BOM (``utf-8-sig``).
    """
    if encoding:
        return encoding
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:1024]
    if len(sample) >= 8 and len(sample) % 2 == 0:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
            return "utf-16-be"
    return "utf-8-sig"


def _decode(raw: bytes, encoding: str | None, where: str) -> tuple[str, str | None]:
    """Decode file bytes. Returns (text, problem or None); invalid bytes are replaced (U+FFFD) and
    reported, never fatal."""
    enc = sniff_encoding(raw, encoding)
    try:
        return raw.decode(enc), None
    except LookupError as exc:
        raise InputError(f"Unknown encoding={encoding!r} for {where}: {exc}. Use a Python codec name such as "
                         "'utf-8', 'latin-1', 'cp1252' or 'utf-16'") from exc
    except UnicodeDecodeError as exc:
        text = raw.decode(enc, errors="replace")
        return text, (f"invalid {enc} bytes at byte {exc.start} of {where}; decoded with replacement "
                      f"characters. Pass encoding=... (e.g. 'latin-1', 'cp1252') to read it correctly")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{str(path)!r} is a folder; give the folder itself as source to read its "
                         ".txt/.md files") from exc
    except FileNotFoundError as exc:
        raise InputFileNotFound(f"Input file {str(path)!r} does not exist") from exc
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc.strerror or exc}. Check the path and its "
                         "permissions") from exc


#: libyaml's safe loader when installed (about 10x faster), else PyYAML's pure-Python one
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_RE = re.compile(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", re.S)


def _front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """Split optional YAML front matter (between ``---`` lines at the very start) from the body."""
    if text.startswith("---"):
        m = _FRONT_RE.match(text)
        if m:
            try:
                meta = yaml.load(m.group(1), Loader=_YAML_LOADER) or {}
            except yaml.YAMLError as exc:
                msg = " ".join(str(exc).split())  # PyYAML's message spans lines; keep errors one line
                raise InputError(f"Invalid YAML front matter in {where}: {msg}. Fix the block between the "
                                 "'---' lines, or remove it") from exc
            if not isinstance(meta, dict):
                raise InputError(f"Front matter of {where} is not a mapping of 'key: value' lines")
            return {str(k): v for k, v in meta.items()}, text[m.end():]
    return {}, text


def _read_text_file(path: Path, encoding: str | None) -> dict[str, Any]:
    text, problem = _decode(_read_bytes(path), encoding, repr(str(path)))
    meta, body = _front_matter(text, repr(str(path)))
    row: dict[str, Any] = {**meta, "text": body, "source_file": str(path)}
    if "outlet" not in row:
        row["outlet"] = None
    if problem:
        row["_decode_problem"] = problem
    return row


def parse_jsonl_line(line: str, lineno: int, where: str) -> dict[str, Any]:
    """One JSON Lines record: an object, with lone surrogates repaired (``_decode_problem`` set when the
    text had any); errors name the line and the file."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"Invalid JSON on line {lineno} of {where}: {exc.msg}. Each line must be one JSON "
                         "object") from exc
    if not isinstance(obj, dict):
        raise InputError(f"Line {lineno} of {where} is not a JSON object (got {type(obj).__name__}): each line "
                         "must be one article")
    if "\\u" in line:  # only JSON escapes can produce lone surrogates
        obj, bad_text = clean_json_record(obj)
        if bad_text:
            obj["_decode_problem"] = bad_text
    return obj


def clean_json_record(obj: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Replace lone surrogates in a parsed JSON object's string values with U+FFFD.

    Returns (object, problem): problem is :data:`SURROGATE_NOTE` when the ``text`` value had any (the row
    then gets ``decode_error``), else None. Other fields are repaired silently.
    """
    problem = None
    for k, v in obj.items():
        if isinstance(v, str) and _SURROGATE_RE.search(v):
            obj[k] = _SURROGATE_RE.sub("\ufffd", v)
            if k == "text":
                problem = SURROGATE_NOTE
    return obj, problem


def file_encoding(path: Path, encoding: str | None) -> str:
    """The encoding of a file, from its first kilobyte (:func:`sniff_encoding`)."""
    with open(path, "rb") as f:
        return sniff_encoding(f.read(1024), encoding)


def has_invalid_bytes(path: Path, enc: str) -> bool:
    """One streaming pass with a strict incremental decoder: does the file hold bytes invalid in ``enc``?
    Only then are rows with replacement characters flagged (a U+FFFD written in the input is not an
    error)."""
    import codecs

    dec = codecs.getincrementaldecoder(enc)(errors="strict")
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                dec.decode(block)
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return True
    return False


def decode_note(enc: str, where: str) -> str:
    return (f"invalid {enc} bytes in {where}; decoded with replacement characters. Pass encoding=... "
            "(e.g. 'latin-1', 'cp1252') to read it correctly")


def jsonl_records(path: Path, encoding: str | None = None) -> Iterator[dict[str, Any]]:
    """The articles of a JSON Lines file, one object at a time (memory: one line, whatever the file).

    Each object gets ``source_file`` and ``source_row`` (its line number); lines with bytes invalid in the
    encoding are decoded with replacement characters and get ``_decode_problem`` (the row's status becomes
    ``decode_error``); blank lines are skipped. Errors name the file and the line.
    """
    where = repr(str(path))
    try:
        size = path.stat().st_size
    except OSError:
        _read_bytes(path)  # raises the error that names the problem
        raise
    if path.is_dir():
        _read_bytes(path)
    if size == 0:
        raise InputError(f"{where} is empty: nothing to analyse. Give a file with one JSON object per line")
    try:
        enc = file_encoding(path, encoding)
        "".encode(enc)
    except LookupError as exc:
        raise InputError(f"Unknown encoding={encoding!r} for {where}: {exc}. Use a Python codec name such as "
                         "'utf-8', 'latin-1', 'cp1252' or 'utf-16'") from exc
    note = decode_note(enc, where) if has_invalid_bytes(path, enc) else None
    with open(path, encoding=enc, errors="replace", newline="") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            obj = {"source_file": str(path), "source_row": lineno, **parse_jsonl_line(line, lineno, where)}
            if note and "\ufffd" in line:
                obj["_decode_problem"] = note
            yield obj


def _check_delimiter(df: pd.DataFrame, where: str) -> None:
    """A CSV that came out as one column whose name holds ; tab or | was split on the wrong delimiter."""
    header = str(df.columns[0])
    for d, name in _DELIMS.items():
        if d in header:
            raise InputError(f"CSV {where} has a single column {header[:80]!r}: it looks {name}-separated. "
                             f"Pass sep={d!r} (CLI: convert the file to commas, or use a .tsv suffix for tabs)")


def _ragged_line(text: str, sep: str) -> str:
    """Name the first CSV line whose field count differs from the header's (error path only)."""
    import csv

    reader = csv.reader(io.StringIO(text), delimiter=sep[0] if len(sep) == 1 else ",")
    header = next(reader, [])
    for row in reader:
        if len(row) != len(header):
            return (f"line {reader.line_num} has {len(row)} fields but the header has {len(header)} "
                    f"({header[:10]})")
    return f"some rows have more fields than the header ({header[:10]})"


def _tag_source(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Add ``source_file`` and ``source_row`` (1-based) first. A file biascmp wrote already has them (its
    own input's): those are kept as ``input_source_file``/``input_source_row``, so reading biascmp's
    output again works and still says where each row first came from."""
    own = [c for c in ("source_file", "source_row") if c in df.columns]
    if own:
        df = df.rename(columns={c: f"input_{c}" for c in own})
    df.insert(0, "source_row", range(1, len(df) + 1))
    df.insert(0, "source_file", str(path))
    return df


def _read_tabular(path: Path, kind: str, encoding: str | None, kwargs: dict[str, Any]) -> pd.DataFrame:
    where = repr(str(path))
    if kind == "parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            raise InputError(f"Cannot read Parquet file {where}: {exc}. Is it a complete Parquet file?") from exc
        return _tag_source(df.reset_index(drop=True), path)
    if kind == "jsonl":  # line by line: never the whole file as one string
        df = pd.DataFrame(list(jsonl_records(path, encoding)))
        if not len(df):
            raise InputError(f"{where} is empty (blank lines only): nothing to analyse. Give one JSON object "
                             "with outlet and text per line")
        df["source_row"] = range(1, len(df) + 1)  # the row number, as for every other format
        return df
    raw = _read_bytes(path)
    if not raw.strip():
        raise InputError(f"{where} is empty: nothing to analyse. Give a file with a header row and articles")
    text, problem = _decode(raw, encoding, where)
    if kind == "csv":
        sep = kwargs.get("sep") or kwargs.get("delimiter")
        if sep is None and path.suffix.lower() == ".tsv":
            sep = "\t"
        extra = {k: v for k, v in kwargs.items() if k in ("quotechar", "escapechar")}
        try:
            with warnings.catch_warnings():
                # index_col=False: a first row with more fields than the header must not silently become
                # an index (shifting every value one column); pandas warns instead, and we raise
                warnings.simplefilter("error", pd.errors.ParserWarning)
                df = pd.read_csv(io.StringIO(text), sep=sep or ",", dtype=str, keep_default_na=False,
                                 na_values=[""], index_col=False, **extra)
        except pd.errors.ParserWarning as exc:
            raise InputError(f"Cannot parse CSV {where}: {_ragged_line(text, sep or ',')}. Quote text cells "
                             "that hold the delimiter, or pass sep=...") from exc
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            msg = " ".join(str(exc).split())  # pandas' message spans lines; errors stay one line
            raise InputError(f"Cannot parse CSV {where}: {msg}. Check the delimiter (sep=...) and that text "
                             "cells holding commas or line breaks are quoted") from exc
        if len(df.columns) == 1 and not sep:
            _check_delimiter(df, where)
    else:
        try:
            obj = json.loads(text)
            if isinstance(obj, dict):
                lists = [v for v in obj.values() if isinstance(v, list)]
                if "text" in obj:
                    obj = [obj]
                elif len(lists) == 1:
                    obj = lists[0]
            if not isinstance(obj, list) or not all(isinstance(o, dict) for o in obj):
                raise InputError(f"{where} must hold a JSON array of article objects "
                                 "(or an object with one such array)")
            fixed = [clean_json_record(o) for o in obj] if "\\u" in text else [(o, None) for o in obj]
            df = pd.DataFrame([{**o, "_decode_problem": p} if p else o for o, p in fixed])
        except json.JSONDecodeError as exc:
            raise InputError(f"Invalid JSON in {where}: {exc.msg} at line {exc.lineno}. For one object per "
                             "line use the .jsonl suffix") from exc
        if not len(df):
            raise InputError(f"{where} holds no articles: give at least one JSON object with outlet and text")
    df = _tag_source(df, path)
    if problem and "_decode_problem" not in df:
        if "text" in df:
            bad = df["text"].astype(str).str.contains("\ufffd", regex=False)
        else:
            bad = pd.Series(True, index=df.index)
        df["_decode_problem"] = [problem if b else None for b in bad.tolist()]
    return df


_KINDS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
          ".parquet": "parquet", ".pq": "parquet"}


def _read_source(source: Any, encoding: str | None, kwargs: dict[str, Any]) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source.copy()
    if isinstance(source, (list, tuple)):
        if not source:
            raise InputError("source is an empty list: give at least one file, folder or DataFrame")
        text_files = [s for s in source if isinstance(s, (str, os.PathLike))
                      and Path(os.fspath(s)).suffix.lower() in TEXT_SUFFIXES and Path(os.fspath(s)).is_file()]
        if len(text_files) == len(source):
            return pd.DataFrame([_read_text_file(Path(os.fspath(s)), encoding) for s in source])
        return pd.concat([_read_source(s, encoding, kwargs) for s in source], ignore_index=True)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"Invalid source={source!r}: expected a DataFrame, a path (file, folder or glob) or "
                        f"a list of them, got {type(source).__name__}")
    path = Path(os.fspath(source))
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES and p.is_file())
        if not files:
            tab = sorted(p for p in path.iterdir() if p.suffix.lower() in _KINDS and p.is_file())
            if tab:
                return _read_source(tab, encoding, kwargs)
            raise InputError(f"Folder {str(path)!r} has no .txt, .md, .csv, .jsonl, .json or .parquet files")
        return pd.DataFrame([_read_text_file(p, encoding) for p in files])
    if not path.exists() and any(ch in str(source) for ch in "*?["):
        matches = sorted(_glob.glob(str(source), recursive=True))
        if not matches:
            raise InputFileNotFound(f"No files match the pattern {str(source)!r}")
        return _read_source(matches, encoding, kwargs)
    if not path.exists():
        raise InputFileNotFound(f"Input file {str(path)!r} does not exist")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return pd.DataFrame([_read_text_file(path, encoding)])
    if suffix not in _KINDS:
        raise InputError(f"Cannot tell the format of {str(path)!r} from its suffix {suffix!r}: use .csv, .tsv, "
                         ".jsonl, .json, .parquet, or .txt/.md (one article per file)")
    return _read_tabular(path, _KINDS[suffix], encoding, kwargs)


# ---------------------------------------------------------------------------------------------------
# Cleaning columns: each helper returns new values plus a Series of notes ("" = nothing to say)
# ---------------------------------------------------------------------------------------------------

def _as_text(v: Any) -> str | None:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v if isinstance(v, str) else str(v)


def _text_column(s: pd.Series) -> pd.Series:
    """An object Series of ``str`` or ``None`` (numbers become their string; NaN, NA and NaT become None)."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        out = s.astype(object)
        return out.where(s.notna(), None)
    arr = np.empty(len(s), dtype=object)
    arr[:] = [_as_text(v) for v in s.tolist()]
    if s.name != "text":  # metadata: lone surrogates repaired here (text: in read_articles, with a status)
        arr[:] = [_SURROGATE_RE.sub("\ufffd", v) if v and _SURROGATE_RE.search(v) else v for v in arr]
    return pd.Series(arr, index=s.index, dtype=object)


def _join_notes(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """Join per-row notes with "; ", skipping empty ones."""
    out = pd.Series("", index=index, dtype=object)
    for p in parts:
        p = p.reindex(index).fillna("").astype(object)
        sep = np.where((out != "") & (p != ""), "; ", "")
        out = out + sep + p
    return out


def _load_aliases(aliases: Any) -> dict[str, str]:
    if aliases is None:
        return {}
    if isinstance(aliases, dict):
        return {str(k): str(v) for k, v in aliases.items()}
    if not isinstance(aliases, (str, os.PathLike)):
        raise TypeError(f"Invalid outlet_aliases={aliases!r}: expected a dict or a YAML/CSV file path")
    path = Path(os.fspath(aliases))
    if not path.is_file():
        raise InputFileNotFound(f"outlet_aliases file {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        df = pd.read_csv(io.StringIO(text), dtype=str)
        if not {"alias", "outlet"} <= set(df.columns):
            raise InputError(f"outlet_aliases CSV {str(path)!r} needs columns 'alias' and 'outlet'; "
                             f"it has {list(df.columns)}")
        return dict(zip(df["alias"], df["outlet"], strict=True))
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"outlet_aliases YAML {str(path)!r} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"outlet_aliases YAML {str(path)!r} must map names: either 'alias: outlet' lines "
                         "or 'outlet: [alias, ...]'")
    out: dict[str, str] = {}
    for k, v in data.items():
        if isinstance(v, list):
            out.update({str(a): str(k) for a in v})
        else:
            out[str(k)] = str(v)
    return out


def _squash(s: str) -> str:
    return _SPACES_RE.sub(" ", s).strip()


def _clean_outlets(raw: pd.Series, aliases: dict[str, str]) -> tuple[pd.Series, pd.Series, bool]:
    """Outlet names: trimmed, inner whitespace collapsed, aliases applied (case-insensitively), and
    spellings that differ only by case merged. The spelling kept is the alias target when one matches,
    else the most frequent spelling (ties: the first seen). Work is per distinct name, not per row.

    Returns (cleaned, notes, anything_changed).
    """
    txt = _text_column(raw)
    missing = txt.isna() | txt.fillna("").str.strip().eq("")
    present = txt[~missing]
    alias_fold = {_squash(k).casefold(): _squash(v) for k, v in aliases.items()}
    targets = {v.casefold(): v for v in alias_fold.values()}
    distinct = pd.unique(present.to_numpy())
    first_clean = {}
    for name in distinct:  # per distinct name
        s = _squash(name)
        first_clean[name] = alias_fold.get(s.casefold(), s)
    cleaned = present.map(first_clean)
    counts = cleaned.value_counts(sort=False)
    spelling: dict[str, str] = {}
    for name in pd.unique(cleaned.to_numpy()):
        key = name.casefold()
        best = spelling.get(key)
        if key in targets:
            spelling[key] = targets[key]
        elif best is None or counts[name] > counts[best]:
            spelling[key] = name
    final = {raw_name: spelling[c.casefold()] for raw_name, c in first_clean.items()}
    out = pd.Series(UNKNOWN_OUTLET, index=raw.index, dtype=object)
    out[~missing] = present.map(final)
    changed_names = {k: v for k, v in final.items() if k != v}
    notes = pd.Series("", index=raw.index, dtype=object)
    if changed_names:
        msg = {k: f"outlet {k!r} read as {v!r}" for k, v in changed_names.items()}
        notes[~missing] = present.map(lambda k: msg.get(k, ""))
    notes[missing] = f"outlet missing: set to {UNKNOWN_OUTLET!r}"
    return out, notes, bool(changed_names) or bool(missing.any())


_DIGITS_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_NS_MIN, _NS_MAX = pd.Timestamp.min, pd.Timestamp.max


def _parse_one_date(value: Any) -> pd.Timestamp | str:
    """One date value -> naive UTC Timestamp, or why not ("unparseable" or "out-of-range").

    Numbers (and strings of 9 or more digits) are Unix epoch seconds, or milliseconds above 1e11;
    whole numbers 1000-2999 are years. Strings go to pandas' parser, then dateutil's.
    """
    if isinstance(value, bool):
        return "unparseable"
    if isinstance(value, str):
        value = value.strip()
        if _DIGITS_RE.fullmatch(value) and len(value.lstrip("+-").split(".")[0]) >= 9:
            value = float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        num = float(value)
        if num != num:
            return "unparseable"
        if num.is_integer() and 1000 <= num <= 2999:
            return pd.Timestamp(year=int(num), month=1, day=1)
        unit = "ms" if abs(num) > 1e11 else "s"
        try:
            ts = pd.Timestamp(num, unit=unit)
        except (ValueError, OverflowError):
            return "out-of-range"
    else:
        try:
            ts = pd.Timestamp(value)
        except (ValueError, TypeError, OverflowError):
            try:
                import dateutil.parser

                ts = pd.Timestamp(dateutil.parser.parse(str(value), fuzzy=False))
            except (ValueError, TypeError, OverflowError):
                return "unparseable"
    if ts is pd.NaT or ts != ts:
        return "unparseable"
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if not (_NS_MIN <= ts <= _NS_MAX):
        return "out-of-range"
    return ts


def _date_key(v: Any) -> Any:
    """A hashable key that keeps True apart from 1 (equal in Python) and lists apart from each other."""
    if isinstance(v, bool):
        return ("bool", v)
    try:
        hash(v)
    except TypeError:
        return repr(v)
    return v


def _is_blank(v: Any) -> bool:
    return (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
            or (isinstance(v, str) and not v.strip()))


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates of many formats to naive UTC ``datetime64[ns]``; NaT plus a note when a value cannot be read.

    The column is factorised once; only its *distinct* values are parsed (ISO 8601 strings in one
    vectorised call, the rest one by one), so 100,000 rows with a few hundred dates cost little.
    """
    index = values.index
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        s = values
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return s.astype("datetime64[ns]"), pd.Series("", index=index, dtype=object)
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        keys = values  # str or missing only
    else:
        # built as object: Series.map would infer Arrow strings, which refuse lone surrogates ("\ud800")
        keys = pd.Series([_date_key(v) for v in values.astype(object)], index=index, dtype=object)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    u = np.empty(len(uniques), dtype=object)
    u[:] = [k[1] if isinstance(k, tuple) and len(k) == 2 and k[0] == "bool" else k for k in uniques]
    parsed = np.full(len(u), np.datetime64("NaT"), dtype="datetime64[ns]")
    why = np.full(len(u), "", dtype=object)
    blank = np.array([_is_blank(v) for v in u], dtype=bool)
    is_str = np.array([isinstance(v, str) for v in u], dtype=bool) & ~blank
    todo = ~blank
    if is_str.any():
        fast = pd.to_datetime(pd.Series(u[is_str], dtype=object).str.strip(), format="ISO8601",
                              errors="coerce", utc=True).dt.tz_localize(None)
        ok = (fast.notna() & fast.between(_NS_MIN, _NS_MAX)).to_numpy()  # out of range: the slow path says why
        pos = np.flatnonzero(is_str)[ok]
        parsed[pos] = fast[ok].to_numpy().astype("datetime64[ns]")
        todo[pos] = False
    for i in np.flatnonzero(todo):  # once per distinct value
        r = _parse_one_date(u[i])
        if isinstance(r, pd.Timestamp):
            parsed[i] = r.to_datetime64().astype("datetime64[ns]")
        else:
            why[i] = (f"{r} date {str(u[i])[:40]!r}"
                      + (" (pandas dates span 1677-2262)" if r == "out-of-range" else "") + ": set to NaT")
    valid = codes >= 0
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[valid] = parsed[codes[valid]]
    notes = np.full(len(codes), "", dtype=object)
    notes[valid] = why[codes[valid]]
    return pd.Series(out, index=index), pd.Series(notes, index=index, dtype=object)


def _article_ids(outlet: pd.Series, title: pd.Series, text: pd.Series) -> list[str]:
    """sha256 over outlet, title and text (NUL-separated, missing = ""), first 16 hex digits.

    Per-row Python is unavoidable here (hashlib has no vectorised form); about 2 us per row.
    """
    parts = [s.fillna("").astype(str).tolist() for s in (outlet, title, text)]
    return [hashlib.sha256(f"{o}\x00{t}\x00{x}\x00".encode("utf-8", "surrogatepass")).hexdigest()[:16]
            for o, t, x in zip(*parts, strict=True)]


def _unique(ids: pd.Series) -> pd.Series:
    """Identical derived ids (rows with the same outlet, title and text) get "-2", "-3", ... in input
    order, so the rows stay apart; the duplicate-text check then flags the copies."""
    k = ids.groupby(ids, sort=False).cumcount() + 1
    return ids.where(k == 1, ids + "-" + k.astype(str))


def _empty_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The 0-row result: canonical columns with stable dtypes, then the input's other columns."""
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in CANONICAL})
    out["date"] = pd.Series(dtype="datetime64[ns]")
    for c in df.columns:
        if c not in out.columns and c not in ("_decode_problem",):
            out[c] = df[c].iloc[:0]
    return out


class DigestIndex:
    """12-byte digests (:meth:`SeenTexts.digest`) -> ints in [0, 2**31), in two flat arrays: an
    open-addressing table (linear probing, at most 3/4 full) of 12-byte keys and 4-byte values, so 21 to 43
    bytes per entry.

    A ``dict[bytes, int]`` costs ~130 bytes per entry (a bytes object, an int object and the dict slot);
    whole-corpus state of a streamed run grows by one entry per article, so this is what its memory grows
    by. Digests are uniformly random, so their first bytes are the hash. Hand-written: a dozen lines, and
    no library offers a compact bytes-keyed map without a compiled extension."""

    __slots__ = ("_keys", "_vals", "_mask", "n")
    _EMPTY = -1

    def __init__(self, capacity: int = 1024) -> None:
        import array

        cap = 1 << max(4, (capacity - 1).bit_length())
        self._keys = bytearray(12 * cap)
        self._vals = array.array("i", [self._EMPTY]) * cap
        self._mask = cap - 1
        self.n = 0

    def __len__(self) -> int:
        return self.n

    @property
    def nbytes(self) -> int:
        return len(self._keys) + self._vals.itemsize * len(self._vals)

    def _slot(self, digest: bytes) -> int:
        keys, vals, mask = self._keys, self._vals, self._mask
        i = int.from_bytes(digest[:8], "little") & mask
        while vals[i] != -1 and keys[12 * i:12 * i + 12] != digest:
            i = (i + 1) & mask
        return i

    def get(self, digest: bytes) -> int | None:
        """The value of ``digest``, or None."""
        if len(digest) != 12:
            raise ValueError(f"Invalid digest of {len(digest)} bytes: DigestIndex keys are 12-byte digests")
        v = self._vals[self._slot(digest)]
        return None if v == -1 else v

    def add(self, digest: bytes, value: int) -> None:
        """Set ``digest`` to ``value`` (0 <= value < 2**31)."""
        if len(digest) != 12 or not 0 <= value < 1 << 31:
            raise ValueError(f"Invalid DigestIndex entry: a 12-byte digest (got {len(digest)}) and a value "
                             f">= 0 and < 2**31 (got {value})")
        i = self._slot(digest)
        if self._vals[i] == -1:
            self.n += 1
            self._keys[12 * i:12 * i + 12] = digest
        self._vals[i] = value
        if 4 * self.n > 3 * (self._mask + 1):
            self._grow()

    def _grow(self) -> None:
        keys, vals = self._keys, self._vals
        bigger = DigestIndex(2 * len(vals))  # power of two: the new mask keeps the hash's low bits
        for i in (i for i, v in enumerate(vals) if v != -1):
            bigger.add(bytes(keys[12 * i:12 * i + 12]), vals[i])
        self._keys, self._vals, self._mask = bigger._keys, bigger._vals, bigger._mask


class SeenTexts:
    """The texts a run has seen so far, for duplicate-text detection (one implementation for a whole read
    and for a corpus read in chunks).

    A text (whitespace-insensitive) seen before under the same outlet is a duplicate (``duplicate_text``,
    not measured twice); seen before under another outlet, a syndicated copy (kept, noted).

    Grows by one entry per recorded (not duplicate) article, so it is kept compact, about 60 bytes per
    article plus its id's characters (measured, docs/performance.md "Streaming memory"; it was ~330 with
    two dicts of digests, ids and outlets): each recorded article gets a serial number; the first article
    of each text is found by its text digest in a :class:`DigestIndex`; ids are kept joined per call with
    their offsets, outlets as small codes. Only a text seen under a second outlet (syndicated copies, rare)
    takes a dict entry, keyed by outlet and text.
    """

    def __init__(self) -> None:
        import array

        self._first = DigestIndex()          # text digest -> serial of the first article with that text
        self._other: dict[bytes, int] = {}   # outlet digest + text digest -> serial, for every later outlet
        self._outlet_code: dict[str, int] = {}
        self._outlets: list[str] = []
        self._outlet_of = array.array("I")   # serial -> outlet code
        self._batch_start: list[int] = []    # first serial of each batch of ids
        self._batch_ids: list[tuple[str, Any] | list[Any]] = []  # (joined ids, end offsets) or the ids
        self._pending: list[Any] = []        # ids of the batch being marked

    @staticmethod
    def _h(*parts: str) -> bytes:
        return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).digest()

    @classmethod
    def digest(cls, text: str) -> bytes:
        """The key of a text, whitespace-insensitive (``" ".join(text.split())``; 5x faster than re.sub)."""
        return cls._h(" ".join(text.split()))

    def __len__(self) -> int:
        """Articles recorded (candidates that were not duplicates)."""
        return len(self._outlet_of)

    def _id(self, serial: int) -> Any:
        """The id of a recorded article."""
        import bisect

        pending = serial - (len(self._outlet_of) - len(self._pending))
        if pending >= 0:  # recorded by the call still running
            return self._pending[pending]
        b = bisect.bisect_right(self._batch_start, serial) - 1
        k = serial - self._batch_start[b]
        batch = self._batch_ids[b]
        if isinstance(batch, list):
            return batch[k]
        joined, ends = batch
        return joined[(ends[k - 1] if k else 0):ends[k]]

    def _record(self, id_: Any, code: int) -> int:
        serial = len(self._outlet_of)
        self._outlet_of.append(code)
        self._pending.append(id_)
        return serial

    def _close_batch(self) -> None:
        """Pack the ids recorded by one call: a str per id costs ~50 bytes plus its characters."""
        ids, self._pending = self._pending, []
        if not ids:
            return
        import array

        self._batch_start.append(len(self._outlet_of) - len(ids))
        if all(type(i) is str for i in ids):
            ends = array.array("q", itertools.accumulate(map(len, ids)))
            self._batch_ids.append(("".join(ids), ends))
        else:  # ids of other types keep their type (the notes show their repr)
            self._batch_ids.append(list(ids))

    def mark(self, ids: pd.Series, outlets: pd.Series, texts: pd.Series,
             candidates: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Record the candidate rows (in order); return (duplicate mask, notes) for all rows."""
        cand = candidates.to_numpy(dtype=bool)
        digests = [self.digest(t) if c else b"" for t, c in zip(texts.tolist(), cand.tolist(), strict=True)]
        dup, notes = self.mark_digests(ids.tolist(), outlets.tolist(), digests, cand)
        return pd.Series(dup, index=ids.index), pd.Series(notes, index=ids.index, dtype=object)

    def mark_digests(self, ids: list[Any], outlets: list[Any], digests: list[bytes],
                     candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`mark` on text digests (:meth:`digest`): what a driver that sees every text once, before
        the analysis (Dask), passes around instead of texts."""
        dup = np.zeros(len(ids), dtype=bool)
        notes = np.full(len(ids), "", dtype=object)
        first_of, other, codes = self._first, self._other, self._outlet_code
        try:
            for i in np.flatnonzero(candidates).tolist():
                outlet = str(outlets[i])
                code = codes.get(outlet)
                if code is None:
                    code = codes[outlet] = len(self._outlets)
                    self._outlets.append(outlet)
                d = digests[i]
                first = first_of.get(d)
                if first is None:  # a new text
                    first_of.add(d, self._record(ids[i], code))
                    continue
                if self._outlet_of[first] == code:  # the first article of this text has this outlet
                    dup[i] = True
                    notes[i] = f"same text as article {self._id(first)!r} of the same outlet: not measured twice"
                    continue
                k_ot = self._h(outlet) + d
                same = other.get(k_ot)
                if same is not None:
                    dup[i] = True
                    notes[i] = f"same text as article {self._id(same)!r} of the same outlet: not measured twice"
                    continue
                other[k_ot] = self._record(ids[i], code)
                notes[i] = (f"same text as article {self._id(first)!r} ({self._outlets[self._outlet_of[first]]}): "
                            "a syndicated copy")
        finally:
            self._close_batch()
        return dup, notes


# ---------------------------------------------------------------------------------------------------
# The public function
# ---------------------------------------------------------------------------------------------------

def read_articles(source: Any, *, columns: dict[str, str] | None = None, encoding: str | None = None,
                  outlet_aliases: Any = None, id_column: str | None = None, sep: str | None = None,
                  source_name: str | None = None, seen: SeenTexts | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read articles into one tidy frame, one row per input article, in input order.

    Args:
        source: a DataFrame; a .csv/.tsv, .jsonl/.ndjson, .json or .parquet file; a .txt/.md file, a folder
            of them or a glob (optional YAML front matter between ``---`` lines: outlet, title, date...);
            or a list of any of these.
        columns: rename input columns to biascmp's, e.g. ``{"source": "outlet", "content": "text"}``.
        encoding: text encoding of the files (default UTF-8 with or without BOM; UTF-16/32 with a BOM
            and BOM-less UTF-16 are recognised).
        outlet_aliases: ``{"Fox Online News": "Fox News"}`` or a YAML/CSV file of them; outlet names are
            also trimmed and merged across case and whitespace variants.
        id_column: the input column holding article ids (same as ``columns={id_column: "article_id"}``).
        sep: CSV delimiter (default ``,``; ``\\t`` for .tsv).
        source_name: how error messages name the input (default: the path, or "the DataFrame").
        seen: texts of earlier pieces of the same corpus (a chunked reader passes one
            :class:`SeenTexts` to every piece, so duplicates across pieces are found as in one read).

    Returns:
        Canonical columns ``article_id, outlet, title, date, url, outlet_type, text, status,
        status_detail``, then the other input columns (``source_file``/``source_row`` for files,
        ``outlet_raw`` when an outlet name was changed). A header-only CSV gives 0 rows.

    Raises:
        InputError: a missing required column (outlet, text), an unreadable, empty or unknown-format file,
            duplicate ``article_id`` values, or ``columns=``/``id_column=`` naming columns that do not exist.
    """
    kw = dict(kwargs)
    if sep is not None:
        kw["sep"] = sep
    df = _read_source(source, encoding, kw)
    where = source_name or _describe(source)
    df = map_columns(df, columns, id_column, where)
    if len(df) == 0:
        return _empty_frame(df)
    status = pd.Series("ok", index=df.index, dtype=object)
    notes: list[pd.Series] = []
    clean_text(df, status, notes)
    declared_language(df, status, notes)
    clean_outlets(df, notes, outlet_aliases)
    parse_dates(df, notes)
    assign_ids(df, where)
    # duplicate texts: the same outlet twice is a duplicate (not measured twice); the same text under
    # another outlet is a syndicated copy, a real coverage choice, kept and noted
    seen = seen if seen is not None else SeenTexts()
    dup, dup_notes = seen.mark(df["article_id"], df["outlet"], df["text"], status.eq("ok"))
    status[dup] = "duplicate_text"
    notes.append(dup_notes)
    return finish_statuses(df, status, notes)


def map_columns(df: pd.DataFrame, columns: dict[str, str] | None, id_column: str | None,
                where: str) -> pd.DataFrame:
    """Step: rename input columns (``columns=``, ``id_column=``) and check the required ones are there."""
    visible = [str(c) for c in df.columns if c not in _OWN_COLUMNS]
    if columns is not None and not isinstance(columns, dict):
        raise TypeError(f"Invalid columns={columns!r}: expected a dict of input name -> biascmp name")
    columns = dict(columns or {})
    if id_column is not None:
        columns[id_column] = "article_id"
    if columns:
        absent = [c for c in columns if c not in df.columns]
        if absent:
            raise InputError(f"columns= renames {absent}, which {where} does not have; it has columns "
                             f"{visible}. Fix the names on the left of the mapping")
        df = df.rename(columns=columns)
    if df.columns.duplicated().any():
        dup_names = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise InputError(f"{where} has duplicate column names {dup_names} (after renaming): keep one of each")
    if len(df) == 0 and not len(df.columns):
        df = pd.DataFrame(columns=REQUIRED)
    missing = [c for c in REQUIRED if c not in df.columns]
    if "outlet" in missing and "text" not in missing and "source_file" in df.columns:
        df["outlet"] = None  # text files without front matter: outlet unknown, per row
        missing.remove("outlet")
    if missing:
        guess = {c: next((k for k in df.columns if str(k).lower() in _GUESSES[c]), None) for c in missing}
        pairs = {v: k for k, v in guess.items() if v}
        hint = " Rename yours with columns={'your_name': 'text', ...} (CLI: --columns your_name=text)."
        if pairs:
            hint = (f" Map yours with columns={pairs!r} (CLI: --columns "
                    + " ".join(f"{a}={b}" for a, b in pairs.items()) + ").")
        raise InputError(f"{where} is missing required column(s) {missing}; it has columns {visible}.{hint}")
    return df.reset_index(drop=True)


def clean_text(df: pd.DataFrame, status: pd.Series, notes: list[pd.Series]) -> None:
    """Step: text and the other text columns as text; decoding problems, lone surrogates, control
    characters and empty texts as statuses and notes."""
    idx = df.index
    for col in ("title", "url", "outlet_type"):
        df[col] = _text_column(df[col] if col in df.columns else pd.Series(None, index=idx, dtype=object))

    # text: decoding problems, control characters, emptiness
    decode = df.pop("_decode_problem") if "_decode_problem" in df.columns else None
    if decode is not None:
        bad = decode.map(lambda v: isinstance(v, str) and bool(v))
        status[bad] = "decode_error"
        notes.append(decode.where(bad, ""))
    text = _text_column(df["text"])
    if text.dtype == object:  # Arrow-backed string columns cannot hold surrogates
        surr = text.map(lambda v: isinstance(v, str) and _SURROGATE_RE.search(v) is not None).astype(bool)
        if surr.any():
            text[surr] = text[surr].map(lambda v: _SURROGATE_RE.sub("\ufffd", v))
            status[surr & status.eq("ok")] = "decode_error"
            notes.append(pd.Series(np.where(surr, SURROGATE_NOTE, ""), index=idx))
    absent_text = text.isna()
    filled = text.fillna("").astype(object)
    n_ctrl = filled.str.count(_CONTROL)
    has_ctrl = n_ctrl > 0
    if has_ctrl.any():
        filled[has_ctrl] = filled[has_ctrl].str.replace(_CONTROL, "", regex=True)
        notes.append(pd.Series(np.where(has_ctrl, "removed " + n_ctrl.astype(str)
                                        + " control character(s) (NUL etc.)", ""), index=idx))
    blank = filled.str.strip().eq("")
    status[blank & status.eq("ok")] = "empty_text"
    notes.append(pd.Series(np.select([absent_text, blank & filled.eq(""), blank],
                                     ["text is missing", "text is empty", "text is whitespace only"], ""),
                           index=idx))
    df["text"] = filled


def declared_language(df: pd.DataFrame, status: pd.Series, notes: list[pd.Series]) -> None:
    """Step: a ``language`` column naming another language gives ``not_english`` (English-only metrics)."""
    idx = df.index
    lang_col = next((c for c in ("language", "lang") if c in df.columns), None)
    if lang_col:
        lang = _text_column(df[lang_col]).fillna("").str.strip().str.lower()
        primary = lang.str.split(r"[-_]", n=1, regex=True).str[0].fillna("")
        other = (lang.ne("") & ~primary.isin(_ENGLISH) & ~lang.isin(_ENGLISH) & ~lang.isin(_UNDETERMINED)
                 & status.eq("ok"))
        status[other] = "not_english"
        notes.append(pd.Series(np.where(other, f"{lang_col} column says " + lang.map(repr)
                                        + ": English-only metrics not computed", ""), index=idx))



def clean_outlets(df: pd.DataFrame, notes: list[pd.Series], outlet_aliases: Any) -> None:
    """Step: outlet names trimmed, merged across case and whitespace variants and aliases
    (``outlet_raw`` keeps the input's names when any changed)."""
    outlet, outlet_notes, changed = _clean_outlets(df["outlet"], _load_aliases(outlet_aliases))
    if changed and "outlet_raw" not in df.columns:
        df["outlet_raw"] = df["outlet"]
    df["outlet"] = outlet
    notes.append(outlet_notes)


def parse_dates(df: pd.DataFrame, notes: list[pd.Series]) -> None:
    """Step: dates in many formats parsed once per distinct value; unparseable ones NaT with a note."""
    idx = df.index
    if "date" in df.columns:
        df["date"], date_notes = _parse_dates(df["date"])
        notes.append(date_notes)
    else:
        df["date"] = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")


def assign_ids(df: pd.DataFrame, where: str) -> None:
    """Step: ids given, derived (from outlet, title and text) for blanks, unique (else an error)."""
    idx = df.index
    derived = pd.Series(_article_ids(df["outlet"], df["title"], df["text"]), index=idx, dtype=object)
    if "article_id" in df.columns:
        ids = _text_column(df["article_id"])
        no_id = ids.isna() | ids.fillna("").str.strip().eq("")
        ids = ids.astype(object)
        ids[no_id] = _unique(derived[no_id])
        df["article_id"] = ids
    else:
        df["article_id"] = _unique(derived).astype(object)
    dup = df["article_id"][df["article_id"].duplicated(keep=False)]
    if len(dup):
        shown = sorted(set(dup))[:10]
        rows = [int(i) + 1 for i in dup.index[:10]]
        raise InputError(f"{where} has duplicate article_id values {shown} ({dup.nunique()} in all, at rows "
                         f"{rows}). Give each article a unique id, or drop the article_id column to let "
                         "biascmp derive one from outlet, title and text.")



def finish_statuses(df: pd.DataFrame, status: pd.Series, notes: list[pd.Series]) -> pd.DataFrame:
    """Last step: statuses and notes joined into ``status``/``status_detail`` (a frame read before keeps its
    own; an input column of that name is kept under another name), canonical columns first."""
    idx = df.index
    detail = _join_notes(notes, idx)
    prior = df["status"] if "status" in df.columns else None
    if prior is not None and prior.isin(STATUSES).all():
        # a frame that read_articles (or analyze) already returned: its statuses and notes stand
        keep = prior.ne("ok") & status.eq("ok")
        status[keep] = prior[keep]
        old = _text_column(df["status_detail"]) if "status_detail" in df.columns else pd.Series(None, index=idx)
        has_old = old.fillna("").ne("")
        for i in idx[has_old]:  # rows with notes already: add only notes of a new kind (first two words)
            old_i, detail_i = cast(str, old.at[i]), cast(str, detail.at[i])  # text columns: str on these rows
            kinds = {" ".join(x.split()[:2]) for x in old_i.split("; ")}
            new = [x for x in detail_i.split("; ") if x and " ".join(x.split()[:2]) not in kinds]
            detail.at[i] = "; ".join([old_i, *new])
        df = df.drop(columns=[c for c in ("status", "status_detail") if c in df.columns])
    else:
        if "status" in df.columns:  # an input column of that name is kept under another name
            df = df.rename(columns={"status": "input_status"})
        if "status_detail" in df.columns:
            df = df.rename(columns={"status_detail": "input_status_detail"})
    df["status"] = status
    df["status_detail"] = detail
    rest = [c for c in df.columns if c not in CANONICAL]
    return df[CANONICAL + rest]


_GUESSES = {
    "outlet": {"source", "publisher", "publication", "site", "media", "outlet_name", "news_source", "domain",
               "source_name", "newspaper"},
    "text": {"content", "body", "article", "article_text", "full_text", "story", "maintext", "fulltext",
             "text_body", "content_text"},
}


def _describe(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return "the DataFrame"
    if isinstance(source, (list, tuple)):
        return f"the input ({len(source)} sources)"
    return f"{str(source)!r}"


def load_aliases(aliases: Any) -> dict[str, str]:
    """``outlet_aliases`` as a dict {alias: outlet}: from a dict, a YAML file (``alias: outlet`` or
    ``outlet: [alias, ...]``) or a CSV file with ``alias,outlet`` columns."""
    return _load_aliases(aliases)


def outlet_spellings(articles: pd.DataFrame) -> dict[str, str]:
    """The outlet spellings a read chose, as identity aliases ``{name: name}``.

    Alias targets win over majority spellings, so passing these (merged into ``outlet_aliases``) when
    reading the next chunk of a corpus keeps one spelling per outlet across chunks::

        pinned = load_aliases(user_aliases)
        for piece in pieces:
            arts = read_articles(piece, outlet_aliases=pinned)
            pinned.update(outlet_spellings(arts))
    """
    names = pd.unique(articles["outlet"].dropna().astype(str).to_numpy())
    return {n: n for n in names if n != UNKNOWN_OUTLET}
