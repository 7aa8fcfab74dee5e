"""Safe file outputs: atomic writes and spreadsheet-formula neutralisation.

Every file biascmp writes goes through :func:`atomic_path`: the data is written to a temporary
file in the target directory and renamed over the target only when complete, so a crash or
Ctrl-C never leaves a truncated file that looks finished.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection guidance)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success, delete it on error."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give it the permissions a plain open() would have
        umask = os.umask(0)
        os.umask(umask)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy where text cells that a spreadsheet would run as a formula start with a quote.

    Only text columns (object, string and categorical) are touched; numbers (including negative numbers)
    stay numbers.
    """
    def fix(v: object) -> object:
        if isinstance(v, str) and v.startswith(FORMULA_PREFIXES):
            return "'" + v
        return v

    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):  # text as categories (evidence): fix each category once
            cats = s.cat.categories
            fixed = [fix(c) for c in cats]
            if fixed != list(cats):
                out[col] = s.astype(object).map(fix)
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.map(fix)
    return out


def _json_values(s: pd.Series) -> list[Any]:
    """A column as JSON-ready Python values: floats as Python floats (``json`` writes their shortest
    exact form, ``repr``), missing and non-finite numbers as None, dates as ISO 8601 strings."""
    if pd.api.types.is_bool_dtype(s.dtype) and not s.hasnans:
        return s.astype(bool).tolist()
    if pd.api.types.is_float_dtype(s.dtype):
        return [v if math.isfinite(v) else None for v in s.to_numpy(dtype=float, na_value=np.nan).tolist()]
    if pd.api.types.is_integer_dtype(s.dtype) and not s.hasnans:
        return s.astype("int64").tolist()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return [None if pd.isna(v) else v.isoformat() for v in s]
    out = s.astype(object).where(s.notna(), None).tolist()
    for i, v in enumerate(out):
        if isinstance(v, float) and not math.isfinite(v):
            out[i] = None
        elif isinstance(v, pd.Timestamp):
            out[i] = v.isoformat()
        elif isinstance(v, np.generic):
            out[i] = v.item()
    return out


def jsonl_text(frame: pd.DataFrame) -> str:
    """``frame`` as JSON Lines, one object per row, numbers in their shortest exact form.

    pandas' ``to_json`` rounds to at most 15 significant digits and prints binary noise
    (``22.199999999999999`` for 22.2); Python's ``json`` writes ``repr(float)``, the shortest string that
    reads back as the same float, so a written number reads back bit for bit. The cost: about 3x pandas'
    writer (100,000 rows of 18 columns: 3.7 s vs 1.2 s, measured back to back), small next to measuring
    the articles those rows come from.

    Returns:
        The text, each line ending in a newline ("" for a frame without rows). NaN and infinities are ``null``.
    """
    names = [str(c) for c in frame.columns]
    cols = [_json_values(frame.iloc[:, j]) for j in range(frame.shape[1])]
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=str, separators=(",", ":")).encode
    return "".join(dumps(dict(zip(names, row))) + "\n" for row in zip(*cols))


def write_frame(frame: pd.DataFrame, path: str | os.PathLike[str], *, format: str | None = None,
                safe_csv: bool = True) -> Path:
    """Write ``frame`` to CSV, Parquet or JSON Lines (by ``format`` or the file suffix), atomically.

    Returns:
        The path written. Numbers are written in their shortest exact form (CSV and JSON Lines).
    """
    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt in ("jsonl", "ndjson"):
        fmt = "jsonl"
    if fmt not in ("csv", "parquet", "jsonl"):
        raise ValueError(f"Invalid format={fmt!r} for path={str(path)!r}: use .csv, .parquet or .jsonl")
    with atomic_path(target) as tmp:
        if fmt == "csv":
            (neutralise_formulas(frame) if safe_csv else frame).to_csv(tmp, index=False)
        elif fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            tmp.write_text(jsonl_text(frame), encoding="utf-8")
    return target
