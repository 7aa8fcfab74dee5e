"""numba-compiled loops of the readability kernel (imported lazily by :mod:`biascmp.columnar._jit_rs`)."""

from __future__ import annotations

import math

import numba
import numpy as np

try:
    _jit = numba.njit(cache=True)

    @_jit
    def _probe() -> int:  # fails at decoration when numba finds no writable cache directory
        return 0
except RuntimeError:  # pragma: no cover - compile in memory only
    _jit = numba.njit(cache=False)


@_jit
def _one_way(ids, s, e, step, threshold, stamp, seg):  # type: ignore[no-untyped-def]
    # readability.mtld's one_way on ids[s:e] (step 1) or reversed (step -1); stamp[id] == seg marks the
    # types of the current segment, so a new segment costs one increment instead of a new set
    factors = 0.0
    types = 0
    count = 0
    seg += 1
    idx = s if step == 1 else e - 1
    for _ in range(e - s):
        tok = ids[idx]
        idx += step
        count += 1
        if stamp[tok] != seg:
            stamp[tok] = seg
            types += 1
        elif types / count <= threshold:
            factors += 1
            seg += 1
            types = 0
            count = 0
    if count:
        factors += (1 - types / count) / (1 - threshold)
    res = (e - s) / factors if factors > 0 else math.nan
    return res, seg


@_jit
def mtld_many(ids, offs, do, threshold):  # type: ignore[no-untyped-def]
    n = len(offs) - 1
    out = np.full(n, math.nan)
    size = 1
    for k in range(len(ids)):
        if ids[k] + 1 > size:
            size = ids[k] + 1
    stamp = np.full(size, -1, np.int64)
    seg = 0
    for a in range(n):
        s = offs[a]
        e = offs[a + 1]
        if not do[a] or e == s:
            continue
        if threshold >= 1:
            out[a] = 1.0
            continue
        fwd, seg = _one_way(ids, s, e, 1, threshold, stamp, seg)
        bwd, seg = _one_way(ids, s, e, -1, threshold, stamp, seg)
        if math.isnan(fwd) or math.isnan(bwd):
            continue
        out[a] = (fwd + bwd) / 2
    return out
