"""Safe file outputs: atomic writes and spreadsheet-formula neutralisation.

Every file biascmp writes goes through :func:`atomic_path`: the data is written to a temporary
file in the target directory and renamed over the target only when complete, so a crash or
Ctrl-C never leaves a truncated file that looks finished.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

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


def write_frame(frame: pd.DataFrame, path: str | os.PathLike[str], *, format: str | None = None,
                safe_csv: bool = True) -> Path:
    """Write ``frame`` to CSV, Parquet or JSON Lines (by ``format`` or the file suffix), atomically."""
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
            frame.to_json(tmp, orient="records", lines=True, date_format="iso", force_ascii=False,
                                  double_precision=15)
    return target
