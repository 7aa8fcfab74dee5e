"""Load articles from a DataFrame, CSV, JSON Lines, JSON, Parquet, or folders/globs of .txt/.md files.

:func:`read_articles` returns one row per input article with the canonical columns first
(``article_id, outlet, title, date, url, outlet_type, text, status, status_detail``) and every other
input column kept after them. It never drops a row: problems that affect one row give it a ``status``
(or a note in ``status_detail``); problems that make the whole input unusable raise
:class:`~biascmp._validation.InputError` with a message naming the file, row or column and what to do.

Statuses set here (``docs/input.md`` lists every status biascmp uses):

- ``ok``: measured. ``status_detail`` may still carry notes: an unparseable date (set to NaT), control
  characters removed, an outlet name normalised, a text shared with another outlet (syndicated copy).
- ``empty_text``: text missing, empty or whitespace only. Not measured.
- ``decode_error``: the bytes were not valid in the encoding (UTF-8 by default); the text was decoded
  with replacement characters and is not measured. Pass ``encoding=`` to read it correctly.
- ``duplicate_text``: the same text as an earlier article of the same outlet (named in the detail).
  Not measured, so it is not counted twice.
"""

from __future__ import annotations

import glob as _glob
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ._validation import InputError

CANONICAL = ["article_id", "outlet", "title", "date", "url", "outlet_type", "text", "status", "status_detail"]
REQUIRED = ["outlet", "text"]
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
UNKNOWN_OUTLET = "(unknown)"
#: every status code biascmp sets (read_articles here; no_prose, not_english and too_long at analyze time)
STATUSES = ("ok", "empty_text", "decode_error", "duplicate_text", "no_prose", "not_english", "too_long")

_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"\s+")
_DELIMS = {";": "semicolon", "\t": "tab", "|": "pipe", ",": "comma"}


# ---------------------------------------------------------------------------------------------------
# Reading bytes
# ---------------------------------------------------------------------------------------------------

def _decode(raw: bytes, encoding: str | None, where: str) -> tuple[str, str | None]:
    """Decode file bytes. Returns (text, problem or None). UTF-8 (BOM optional) and UTF-16/32 with a BOM
    are recognised by default; invalid bytes are replaced (U+FFFD) and reported."""
    if encoding:
        enc = encoding
    elif raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        enc = "utf-32"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        enc = "utf-8-sig"
    try:
        return raw.decode(enc), None
    except LookupError as exc:
        raise InputError(f"Unknown encoding={encoding!r} for {where}: {exc}") from exc
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
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc.strerror or exc}") from exc


def _front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---") and text[3:4] in ("\n", "\r"):
        m = re.match(r"---\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
        if m:
            try:
                meta = yaml.safe_load(m.group(1)) or {}
            except yaml.YAMLError as exc:
                raise InputError(f"Invalid YAML front matter in {where}: {exc}. Fix the block between the "
                                 "'---' lines, or remove it") from exc
            if not isinstance(meta, dict):
                raise InputError(f"Front matter of {where} is not a mapping of key: value lines")
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


def _read_tabular(path: Path, kind: str, encoding: str | None, kwargs: dict[str, Any]) -> pd.DataFrame:
    where = repr(str(path))
    if kind == "parquet":
        try:
            return pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            raise InputError(f"Cannot read Parquet file {where}: {exc}") from exc
    raw = _read_bytes(path)
    if not raw.strip():
        raise InputError(f"{where} is empty: nothing to analyse")
    text, problem = _decode(raw, encoding, where)
    if kind == "csv":
        sep = kwargs.get("sep") or kwargs.get("delimiter")
        if sep is None and path.suffix.lower() == ".tsv":
            sep = "\t"
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep or ",", dtype=str, keep_default_na=False,
                             na_values=[""], **{k: v for k, v in kwargs.items() if k in ("quotechar", "escapechar")})
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise InputError(f"Cannot parse CSV {where}: {exc}. Check the delimiter (sep=...) and quoting") from exc
        if len(df.columns) == 1 and not sep:
            header = str(df.columns[0])
            found = [name for d, name in _DELIMS.items() if d in header and d != ","]
            if found:
                raise InputError(f"CSV {where} has a single column {header[:80]!r}: it looks {found[0]}-separated. "
                                 f"Pass sep={next(d for d, n in _DELIMS.items() if n == found[0])!r} "
                                 "(CLI: use a comma-separated file)")
    else:
        try:
            if kind == "jsonl":
                rows = []
                for i, line in enumerate(text.splitlines(), start=1):
                    if line.strip():
                        try:
                            obj = json.loads(line)
                        except json.JSONDecodeError as exc:
                            raise InputError(f"Invalid JSON on line {i} of {where}: {exc.msg}. Each line must "
                                             "be one JSON object") from exc
                        if not isinstance(obj, dict):
                            raise InputError(f"Line {i} of {where} is not a JSON object (got {type(obj).__name__})")
                        rows.append(obj)
                df = pd.DataFrame(rows)
            else:
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
                df = pd.DataFrame(obj)
        except json.JSONDecodeError as exc:
            raise InputError(f"Invalid JSON in {where}: {exc.msg} at line {exc.lineno}. For one object per "
                             "line use the .jsonl suffix") from exc
    df.insert(0, "source_row", range(1, len(df) + 1))
    df.insert(0, "source_file", str(path))
    if problem:
        bad = df["text"].astype(str).str.contains("\ufffd", regex=False) if "text" in df else pd.Series(
            True, index=df.index)
        df["_decode_problem"] = bad.map({True: problem, False: None})
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
            tab = sorted(p for p in path.iterdir() if p.suffix.lower() in _KINDS)
            if tab:
                return _read_source(tab, encoding, kwargs)
            raise InputError(f"Folder {str(path)!r} has no .txt, .md, .csv, .jsonl, .json or .parquet files")
        return pd.DataFrame([_read_text_file(p, encoding) for p in files])
    if not path.exists() and any(ch in str(source) for ch in "*?["):
        matches = sorted(_glob.glob(str(source)))
        if not matches:
            raise InputError(f"No files match the pattern {str(source)!r}")
        return _read_source(matches, encoding, kwargs)
    if not path.exists():
        raise InputError(f"Input file {str(path)!r} does not exist")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return pd.DataFrame([_read_text_file(path, encoding)])
    if suffix not in _KINDS:
        raise InputError(f"Cannot tell the format of {str(path)!r} from its suffix {suffix!r}: use .csv, .tsv, "
                         ".jsonl, .json, .parquet, or .txt/.md (one article per file)")
    return _read_tabular(path, _KINDS[suffix], encoding, kwargs)


# ---------------------------------------------------------------------------------------------------
# Cleaning columns
# ---------------------------------------------------------------------------------------------------

def _load_aliases(aliases: Any) -> dict[str, str]:
    if aliases is None:
        return {}
    if isinstance(aliases, dict):
        return {str(k): str(v) for k, v in aliases.items()}
    path = Path(os.fspath(aliases))
    if not path.is_file():
        raise InputError(f"outlet_aliases file {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        df = pd.read_csv(io.StringIO(text), dtype=str)
        if not {"alias", "outlet"} <= set(df.columns):
            raise InputError(f"outlet_aliases CSV {str(path)!r} needs columns 'alias' and 'outlet'; "
                             f"it has {list(df.columns)}")
        return dict(zip(df["alias"], df["outlet"]))
    data = yaml.safe_load(text) or {}
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


def _clean_outlets(df: pd.DataFrame, aliases: dict[str, str], notes: list[list[str]]) -> None:
    """Trim and collapse whitespace, apply aliases, merge names that differ only by case (keeping the
    most frequent spelling). The original value is kept in ``outlet_raw`` when anything changed."""
    raw = df["outlet"]
    missing = raw.isna() | raw.astype(str).str.strip().eq("")
    cleaned = raw.where(~missing, UNKNOWN_OUTLET).astype(str).map(lambda s: _SPACES_RE.sub(" ", s).strip())
    alias_fold = {_SPACES_RE.sub(" ", k).strip().casefold(): v for k, v in aliases.items()}
    cleaned = cleaned.map(lambda s: alias_fold.get(s.casefold(), s))
    spelling: dict[str, str] = {}
    counts = cleaned.value_counts(sort=False)
    for name in cleaned.drop_duplicates():
        key = name.casefold()
        best = spelling.get(key)
        if best is None or counts[name] > counts[best]:
            spelling[key] = name
    cleaned = cleaned.map(lambda s: spelling[s.casefold()])
    changed = (cleaned != raw.astype("string").fillna("")) & ~missing
    if changed.any() or missing.any():
        df["outlet_raw"] = raw
    for i in range(len(df)):
        if missing.iat[i]:
            notes[i].append(f"outlet missing: set to {UNKNOWN_OUTLET!r}")
        elif changed.iat[i]:
            notes[i].append(f"outlet {str(raw.iat[i])!r} read as {cleaned.iat[i]!r}")
    df["outlet"] = cleaned.astype(object)


def _parse_one_date(value: Any) -> pd.Timestamp | None:
    """One date value -> naive UTC Timestamp, or None when it cannot be parsed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        unit = "ms" if abs(value) > 1e11 else "s"  # epoch seconds or milliseconds
        try:
            return pd.Timestamp(value, unit=unit)
        except (ValueError, OverflowError):
            return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        try:
            import dateutil.parser

            ts = pd.Timestamp(dateutil.parser.parse(str(value), fuzzy=False))
        except (ValueError, TypeError, OverflowError):
            return None
    if ts is pd.NaT or ts != ts:
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _parse_dates(values: pd.Series, notes: list[list[str]]) -> pd.Series:
    """Parse each distinct value once (many formats; time zones converted to UTC)."""
    cache: dict[Any, pd.Timestamp | None] = {}
    out = []
    for i, v in enumerate(values.tolist()):
        if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()) \
                or v is pd.NaT:
            out.append(pd.NaT)
            continue
        if isinstance(v, pd.Timestamp):
            out.append(v.tz_convert("UTC").tz_localize(None) if v.tzinfo else v)
            continue
        key = v if isinstance(v, (str, int, float)) else str(v)
        if key not in cache:
            cache[key] = _parse_one_date(v.strip() if isinstance(v, str) else v)
        ts = cache[key]
        if ts is None:
            notes[i].append(f"unparseable date {str(v)[:40]!r}: set to NaT")
            out.append(pd.NaT)
        else:
            out.append(ts)
    return pd.Series(pd.to_datetime(pd.Series(out, dtype=object), errors="coerce"), index=values.index)


def _article_ids(df: pd.DataFrame) -> list[str]:
    ids = []
    for o, t, x in zip(df["outlet"], df["title"], df["text"]):
        h = hashlib.sha256()
        for part in (o, t, x):
            h.update(("" if part is None or part is pd.NA or (isinstance(part, float) and part != part)
                      else str(part)).encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        ids.append(h.hexdigest()[:16])
    return ids


def _unique(ids: list[str]) -> list[str]:
    """Derived ids of identical rows (same outlet, title and text) get "-2", "-3", ... in input order, so
    the rows stay apart; the duplicate-text check then flags the copies."""
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        k = seen.get(i, 0) + 1
        seen[i] = k
        out.append(i if k == 1 else f"{i}-{k}")
    return out


def _as_text(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    return v if isinstance(v, str) else str(v)


# ---------------------------------------------------------------------------------------------------
# The public function
# ---------------------------------------------------------------------------------------------------

def read_articles(source: Any, *, columns: dict[str, str] | None = None, encoding: str | None = None,
                  outlet_aliases: Any = None, sep: str | None = None, source_name: str | None = None,
                  **kwargs: Any) -> pd.DataFrame:
    """Read articles into one tidy frame, one row per input article, in input order.

    Args:
        source: a DataFrame; a .csv/.tsv, .jsonl/.ndjson, .json or .parquet file; a .txt/.md file, a folder
            of them or a glob (optional YAML front matter between ``---`` lines: outlet, title, date...);
            or a list of any of these.
        columns: rename input columns to biascmp's, e.g. ``{"source": "outlet", "content": "text"}``.
        encoding: text encoding of the files (default UTF-8 with or without BOM; UTF-16/32 with a BOM).
        outlet_aliases: ``{"Fox Online News": "Fox News"}`` or a YAML/CSV file of them; outlet names are
            also trimmed and merged across case and whitespace variants.
        sep: CSV delimiter (default ``,``; ``\\t`` for .tsv).
        source_name: how error messages name the input (default: the path, or "the DataFrame").

    Returns:
        Canonical columns ``article_id, outlet, title, date, url, outlet_type, text, status,
        status_detail``, then the other input columns (``source_file``/``source_row`` for files).

    Raises:
        InputError: a missing required column (outlet, text), an unreadable or empty file, duplicate
        ``article_id`` values, or ``columns=`` naming columns that do not exist.
    """
    kw = dict(kwargs)
    if sep is not None:
        kw["sep"] = sep
    df = _read_source(source, encoding, kw)
    where = source_name or _describe(source)
    if columns:
        if not isinstance(columns, dict):
            raise TypeError(f"Invalid columns={columns!r}: expected a dict of input name -> biascmp name")
        absent = [c for c in columns if c not in df.columns]
        if absent:
            raise InputError(f"columns= renames {absent}, which {where} does not have; it has columns "
                             f"{list(df.columns)}")
        df = df.rename(columns=columns)
    if df.columns.duplicated().any():
        dup = sorted(set(df.columns[df.columns.duplicated()]))
        raise InputError(f"{where} has duplicate column names {dup} (after renaming): keep one of each")
    if len(df) == 0 and not len(df.columns):
        df = pd.DataFrame(columns=REQUIRED)
    missing = [c for c in REQUIRED if c not in df.columns]
    if "outlet" in missing and "text" not in missing and "source_file" in df.columns:
        df["outlet"] = None  # text files without front matter: outlet unknown, per row
        missing.remove("outlet")
    if missing:
        hint = ""
        guess = {c: next((k for k in df.columns if k.lower() in _GUESSES[c]), None) for c in missing}
        pairs = {v: k for k, v in guess.items() if v}
        if pairs:
            hint = f" Map yours with columns={pairs!r} (CLI: --columns " + \
                   " ".join(f"{a}={b}" for a, b in pairs.items()) + ")."
        raise InputError(f"{where} is missing required column(s) {missing}; it has columns "
                         f"{[str(c) for c in df.columns]}.{hint or ' Rename yours with columns={...}.'}")
    df = df.reset_index(drop=True)
    n = len(df)
    notes: list[list[str]] = [[] for _ in range(n)]
    status = ["ok"] * n

    for col in ("title", "url", "outlet_type"):
        if col not in df.columns:
            df[col] = None
        else:
            df[col] = df[col].map(_as_text).astype(object)
    texts = df["text"].map(_as_text)
    decode = df.pop("_decode_problem") if "_decode_problem" in df.columns else pd.Series([None] * n)
    clean_texts: list[str | None] = []
    for i, t in enumerate(texts.tolist()):
        problem = decode.iat[i]
        if isinstance(problem, str) and problem:
            status[i] = "decode_error"
            notes[i].append(problem)
        if t is None or not t.strip():
            if status[i] == "ok":
                status[i] = "empty_text"
            notes[i].append("text is missing or empty" if t is None or not t else "text is whitespace only")
            clean_texts.append(t if t is not None else "")
            continue
        if _CONTROL_RE.search(t):
            k = len(_CONTROL_RE.findall(t))
            t = _CONTROL_RE.sub("", t)
            notes[i].append(f"removed {k} control character(s) (NUL etc.)")
            if not t.strip() and status[i] == "ok":
                status[i] = "empty_text"
        clean_texts.append(t)
    df["text"] = clean_texts

    _clean_outlets(df, _load_aliases(outlet_aliases), notes)
    df["date"] = _parse_dates(df["date"], notes) if "date" in df.columns else pd.Series(
        pd.NaT, index=df.index, dtype="datetime64[ns]")

    if "article_id" in df.columns:
        ids = df["article_id"].map(_as_text)
        no_id = ids.isna() | ids.fillna("").str.strip().eq("")
        if no_id.any():
            gen = _article_ids(df[no_id])
            ids = ids.copy()
            ids[no_id] = gen
        df["article_id"] = ids.astype(object)
    else:
        df["article_id"] = _unique(_article_ids(df))
    dup = df["article_id"][df["article_id"].duplicated(keep=False)]
    if len(dup):
        shown = sorted(set(dup))[:10]
        raise InputError(f"{where} has duplicate article_id values {shown} ({len(set(dup))} in all, rows "
                         f"{[int(i) + 1 for i in dup.index[:10]]}). Give each article a unique id, or drop "
                         "the article_id column to let biascmp derive one from outlet, title and text.")

    # duplicate texts: the same outlet twice is a duplicate; two outlets are a syndicated copy (kept)
    first_by_text: dict[bytes, tuple[str, str]] = {}
    for i, (aid, outlet, t) in enumerate(zip(df["article_id"], df["outlet"], df["text"])):
        if status[i] != "ok" or not t:
            continue
        key = hashlib.blake2b(_SPACES_RE.sub(" ", t).strip().encode("utf-8", "surrogatepass"),
                              digest_size=16).digest()
        if key in first_by_text:
            first_id, first_outlet = first_by_text[key]
            if first_outlet == outlet:
                status[i] = "duplicate_text"
                notes[i].append(f"same text as article {first_id!r} of the same outlet: not measured twice")
            else:
                notes[i].append(f"same text as article {first_id!r} ({first_outlet}): a syndicated copy")
        else:
            first_by_text[key] = (aid, outlet)

    prior = df["status"] if "status" in df.columns else None
    if prior is not None and prior.isin(STATUSES).all():
        # a frame that read_articles already returned: its statuses and notes stand
        prior_detail = df["status_detail"] if "status_detail" in df.columns else pd.Series([""] * n)
        for i in range(n):
            if prior.iat[i] != "ok" and status[i] == "ok":
                status[i] = prior.iat[i]
            old = prior_detail.iat[i]
            if isinstance(old, str) and old:
                notes[i] = [old] + [x for x in notes[i] if x not in old]
        df = df.drop(columns=[c for c in ("status", "status_detail") if c in df.columns])
    else:
        if "status" in df.columns:  # an input column of that name is kept under another name
            df = df.rename(columns={"status": "input_status"})
        if "status_detail" in df.columns:
            df = df.rename(columns={"status_detail": "input_status_detail"})
    df["status"] = status
    df["status_detail"] = ["; ".join(ns) for ns in notes]
    rest = [c for c in df.columns if c not in CANONICAL]
    return df[CANONICAL + rest]


_GUESSES = {
    "outlet": {"source", "publisher", "publication", "site", "media", "outlet_name", "news_source", "domain"},
    "text": {"content", "body", "article", "article_text", "full_text", "story", "maintext", "fulltext"},
}


def _describe(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return "the DataFrame"
    if isinstance(source, (list, tuple)):
        return f"the input ({len(source)} sources)"
    return f"{str(source)!r}"


def read_many(sources: Iterable[Any], **kwargs: Any) -> pd.DataFrame:
    """Read several sources into one frame (same as ``read_articles(list(sources))``)."""
    return read_articles(list(sources), **kwargs)
