"""The loops of the readability and sentiment kernels that numpy cannot express, compiled with numba.

MTLD walks each article's words keeping a segment's type count, so where a segment ends depends on all
the words before it: a sequential loop. numba (PyPI wheels, no compiler at install) compiles it once per
machine; ``cache=True`` keeps the machine code on disk (numba's cache directory), so a later process
loads it instead of compiling. Without numba, or where it cannot compile, the reference Python function
(:func:`biascmp.readability.mtld`) runs on the same word ids, so results never depend on numba.

Cold start: the first process on a machine compiles (about a second, measured in benchmarks/kernels.py);
later processes load the cache (tens of milliseconds).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import readability as _rd

#: set BIASCMP_NO_NUMBA=1 to run the Python fallbacks (tests compare both)
DISABLED = os.environ.get("BIASCMP_NO_NUMBA", "") not in ("", "0")

_compiled: dict[str, Callable[..., Any] | None] = {}


def _mtld_python(ids: np.ndarray, offs: np.ndarray, do: np.ndarray, threshold: float) -> np.ndarray:
    out = np.full(len(offs) - 1, np.nan)
    for a in np.flatnonzero(do):
        out[a] = _rd.mtld(ids[offs[a]:offs[a + 1]].tolist(), threshold=threshold)
    return out


def _build_mtld() -> Callable[..., Any] | None:
    if DISABLED:
        return None
    try:
        from . import _numba_rs
    except ImportError:
        return None
    return _numba_rs.mtld_many


def mtld_many(ids: np.ndarray, offs: np.ndarray, do: np.ndarray, threshold: float) -> np.ndarray:
    """MTLD (:func:`biascmp.readability.mtld`) of each article's word-id run ``ids[offs[a]:offs[a+1]]``
    where ``do[a]``; NaN elsewhere."""
    if "mtld" not in _compiled:
        _compiled["mtld"] = _build_mtld()
    fn = _compiled["mtld"]
    if fn is None or not len(ids):
        return _mtld_python(ids, offs, do, threshold)
    return fn(np.ascontiguousarray(ids, dtype=np.int64), np.ascontiguousarray(offs, dtype=np.int64),
              np.ascontiguousarray(do, dtype=np.bool_), float(threshold))
