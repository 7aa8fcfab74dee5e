"""MTLD over a chunk: the one loop of the readability kernel that numpy cannot express, compiled with
numba once it pays.

MTLD walks each article's words keeping a segment's type count, so where a segment ends depends on all
the words before it: a sequential loop. Two exact implementations of the same arithmetic run on the
chunk's lower-cased word ids:

- the reference Python function (:func:`biascmp.readability.mtld`), about 0.05 ms per 427-word article
  (CPU time, benchmarks/kernels.py);
- a numba-compiled loop (:mod:`biascmp.columnar._numba_rs`, ``cache=True``), about 0.003 ms per article,
  but a process pays to start it: importing numba and loading the cached machine code took 0.3-0.8 s
  here, and the first process on a machine compiles (about 3 s) and writes numba's cache.

So a process uses the Python loop for its first :data:`NUMBA_AFTER` articles and switches to numba after
(saving ~0.05 ms per article pays back the start-up within roughly 6,000-16,000 articles); short runs
never import numba. ``BIASCMP_NUMBA=always`` or ``never`` overrides; without numba installed, or where
it cannot compile, the Python loop runs. The results are the same either way (tests compare both).

Starting numba also costs memory: importing it and loading the loop's cached machine code (LLVM) added
about 120 MB of resident memory here (54 MB the import, 64 MB the load), for a saving of about 1% of a
run's time. A driver that promises flat memory (the streamed writer, :mod:`biascmp.stream`) therefore
runs inside :func:`python_loop`, where "auto" keeps the Python loop however many articles go by: without
it, a streamed run's peak RSS jumped by ~100 MB at article 5,000 (docs/performance.md, streaming memory).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import readability as _rd

#: "auto" (numba after NUMBA_AFTER articles), "always" or "never"
MODE = os.environ.get("BIASCMP_NUMBA", "auto").strip().lower() or "auto"
if MODE not in ("auto", "always", "never"):
    raise ValueError(f"Invalid BIASCMP_NUMBA={MODE!r}: use auto, always or never")
#: articles a process measures with the Python loop before it starts numba (MODE "auto")
NUMBA_AFTER = 5_000

_state: dict[str, Any] = {"articles": 0, "python_only": 0}
_LOCK = threading.Lock()


@contextlib.contextmanager
def python_loop() -> Iterator[None]:
    """Inside the block, mode "auto" never starts numba (the Python loop runs: same results, ~120 MB less
    resident memory, ~0.05 ms more per article). Nests; "always" still uses numba. Process-wide: a worker
    process needs its own block."""
    with _LOCK:
        _state["python_only"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["python_only"] -= 1


def _mtld_python(ids: np.ndarray, offs: np.ndarray, do: np.ndarray, threshold: float) -> np.ndarray:
    out = np.full(len(offs) - 1, np.nan)
    for a in np.flatnonzero(do).tolist():
        out[a] = _rd.mtld(ids[offs[a]:offs[a + 1]].tolist(), threshold=threshold)
    return out


def compiled() -> Callable[..., Any] | None:
    """The numba loop, compiled or loaded from numba's cache on first use; None without numba."""
    if "numba" not in _state:
        try:
            from . import _numba_rs
            fn = _numba_rs.mtld_many
            fn(np.zeros(1, np.int64), np.asarray([0, 1]), np.ones(1, np.bool_), 0.72)  # compile now
        except Exception:  # ImportError, or numba present but unusable: the Python loop is exact too
            fn = None
        _state["numba"] = fn
    return _state["numba"]


def mtld_many(ids: np.ndarray, offs: np.ndarray, do: np.ndarray, threshold: float) -> np.ndarray:
    """MTLD (:func:`biascmp.readability.mtld`) of each article's word-id run ``ids[offs[a]:offs[a+1]]``
    where ``do[a]``; NaN elsewhere."""
    _state["articles"] += len(offs) - 1
    use = MODE == "always" or (MODE == "auto" and _state["articles"] > NUMBA_AFTER
                               and not _state["python_only"])
    fn = compiled() if use and len(ids) else None
    if fn is None:
        return _mtld_python(ids, offs, do, threshold)
    return fn(np.ascontiguousarray(ids, dtype=np.int64), np.ascontiguousarray(offs, dtype=np.int64),
              np.ascontiguousarray(do, dtype=np.bool_), float(threshold))
