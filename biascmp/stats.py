"""Vectorised resampling statistics for :mod:`biascmp.comparison`.

Everything works on a matrix ``X`` (articles x metrics) with NaN for missing values, so one set of
resamples serves every metric at once:

- bootstrap: each resample is a row of multiplicities ``W`` (resamples x articles, or x stories for a
  cluster bootstrap); resampled means are ``(W @ X0) / (W @ V)`` with ``X0`` = X with NaN as 0 and
  ``V`` = 1 where X is present (a BLAS matrix product instead of a Python loop);
- permutation test: each permutation is a 0/1 row ``M`` marking which pooled articles play group A;
  group means again come from ``M @ X0`` and ``M @ V``;
- sign-flip test for paired (same-story) differences: ``S @ D`` with random signs ``S``.

Hand-written because scipy.stats.bootstrap/permutation_test handle one statistic at a time (30 metrics x
45 pairs would be 1,350 separate runs) and scipy is not otherwise a dependency. References: Efron &
Tibshirani (1993) percentile bootstrap; Good (2005) permutation tests, p = (b + 1) / (m + 1) (Phipson &
Smyth 2010); Hedges & Olkin (1985) g with small-sample correction; Cliff (1993) delta; Benjamini &
Hochberg (1995).
"""

from __future__ import annotations

import warnings

import numpy as np

#: resamples processed per batch (bounds memory: batch x articles floats)
BATCH = 500


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = ~np.isnan(x)
    return np.where(v, x, 0.0), v.astype(float)


def nanmean_cols(x: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN (NaN for an all-NaN column), without warnings."""
    x0, v = _split(x)
    n = v.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, x0.sum(axis=0) / np.where(n > 0, n, 1), np.nan)


def multiplicities(rng: np.random.Generator, n_resamples: int, n: int) -> np.ndarray:
    """Bootstrap multiplicities: row r counts how often each of n items is drawn in resample r."""
    idx = rng.integers(0, n, size=(n_resamples, n))
    flat = idx + (np.arange(n_resamples)[:, None] * n)
    return np.bincount(flat.ravel(), minlength=n_resamples * n).reshape(n_resamples, n).astype(float)


def _design(x0: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[x0 | v[:, gaps]]`` and the indices of columns with missing values: one matrix product then gives
    the weighted sums and, only where a column has gaps, the weighted counts."""
    gaps = np.flatnonzero(v.min(axis=0) < 1) if v.size else np.array([], dtype=int)
    return np.hstack([x0, v[:, gaps]]), gaps


def _means_from(prod: np.ndarray, total: np.ndarray, k: int, gaps: np.ndarray) -> np.ndarray:
    """Column means from ``prod = W @ design``: sums / counts (counts = row totals of W where no gaps)."""
    counts = np.repeat(total[:, None], k, axis=1)
    counts[:, gaps] = prod[:, k:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return prod[:, :k] / counts


def bootstrap_means(x: np.ndarray, rng: np.random.Generator, n_resamples: int, *,
                    clusters: np.ndarray | None = None) -> np.ndarray:
    """Resampled column means, shape (n_resamples, metrics).

    ``clusters`` (one integer label per row) switches to a cluster bootstrap: whole clusters (stories)
    are drawn with replacement and every article of a drawn cluster enters the mean.
    """
    x0, v = _split(x)
    design, gaps = _design(x0, v)
    k = x.shape[1]
    out = np.empty((n_resamples, k))
    if clusters is not None:
        labels, inv = np.unique(clusters, return_inverse=True)
        n_clusters = len(labels)
    for start in range(0, n_resamples, BATCH):
        m = min(BATCH, n_resamples - start)
        if clusters is None:
            w = multiplicities(rng, m, x.shape[0])
        else:
            w = multiplicities(rng, m, n_clusters)[:, inv]
        out[start:start + m] = _means_from(w @ design, w.sum(axis=1), k, gaps)
    return out


def bootstrap_medians(x: np.ndarray, rng: np.random.Generator, n_resamples: int, *,
                      clusters: np.ndarray | None = None) -> np.ndarray:
    """Resampled column medians (a loop over metrics; medians are not linear)."""
    out = np.empty((n_resamples, x.shape[1]))
    if clusters is None:
        idx = rng.integers(0, x.shape[0], size=(n_resamples, x.shape[0]))
    else:
        labels, inv = np.unique(clusters, return_inverse=True)
        members = [np.flatnonzero(inv == i) for i in range(len(labels))]
        draws = rng.integers(0, len(labels), size=(n_resamples, len(labels)))
        idx = None
    for j in range(x.shape[1]):
        col = x[:, j]
        if idx is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN resamples give NaN
                out[:, j] = np.nanmedian(col[idx], axis=1)
        else:
            for r in range(n_resamples):
                vals = col[np.concatenate([members[c] for c in draws[r]])]
                vals = vals[~np.isnan(vals)]
                out[r, j] = np.median(vals) if len(vals) else np.nan
    return out


def percentile_ci(samples: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per column, ignoring NaN resamples (NaN when fewer than half are finite)."""
    alpha = (1 - confidence) / 2
    finite = np.isfinite(samples)
    lo = np.full(samples.shape[1], np.nan)
    hi = np.full(samples.shape[1], np.nan)
    full = finite.all(axis=0)
    if full.any():  # the common case: one vectorised quantile call for every complete column
        lo[full], hi[full] = np.quantile(samples[:, full], [alpha, 1 - alpha], axis=0)
    for j in np.flatnonzero(~full):
        s = samples[finite[:, j], j]
        if len(s) >= max(2, samples.shape[0] // 2):
            lo[j], hi[j] = np.quantile(s, [alpha, 1 - alpha])
    return lo, hi


def _group_indicators(rng: np.random.Generator, m: int, n: int, n_a: int) -> np.ndarray:
    """m random 0/1 rows with exactly n_a ones: the n_a smallest of n uniform random keys per row
    (a uniformly random subset; argpartition finds them in linear time, no full sort needed)."""
    keys = rng.random((m, n))
    chosen = np.argpartition(keys, n_a - 1, axis=1)[:, :n_a]
    ind = np.zeros((m, n))
    ind.ravel()[(chosen + (np.arange(m) * n)[:, None]).ravel()] = 1.0  # flat scatter: faster than put_along_axis
    return ind


def permutation_pvalues(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, n_resamples: int, *,
                        order: np.ndarray | None = None) -> np.ndarray:
    """Two-sided permutation p-values for the difference of column means, one per metric.

    Articles (rows, with their missing values) are shuffled between the two groups; the statistic is
    |mean_a - mean_b| over present values. p = (#{|perm| >= |observed|} + 1) / (n_resamples + 1),
    so p lies in (0, 1]. NaN where a group has no value of the metric.

    ``order`` (a permutation of the pooled rows ``[a; b]``) puts the pool in a canonical order, e.g. by
    article id; each random split takes the smaller group's size from it. The statistic is symmetric, so
    swapping ``a`` and ``b`` (or reordering rows) gives exactly the same p-values for the same ``rng``.
    """
    x = np.vstack([a, b])
    if order is not None:
        x = x[order]
    x0, v = _split(x)
    design, gaps = _design(x0, v)
    k = x.shape[1]
    n_a, n = min(a.shape[0], b.shape[0]), x.shape[0]
    tot = design.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.abs(nanmean_cols(a) - nanmean_cols(b))
    hits = np.zeros(k)
    tol = 1e-12 * np.maximum(1.0, np.abs(obs))
    for start in range(0, n_resamples, BATCH):
        m = min(BATCH, n_resamples - start)
        ind = _group_indicators(rng, m, n, n_a)
        prod = ind @ design  # one BLAS product: sums (and counts where values are missing) of group A
        mean_a = _means_from(prod, np.full(m, float(n_a)), k, gaps)
        mean_b = _means_from(tot - prod, np.full(m, float(n - n_a)), k, gaps)
        d = np.abs(mean_a - mean_b)
        hits += np.sum(d >= obs - tol, axis=0)  # NaN (a side without values) never counts
    p = (hits + 1) / (n_resamples + 1)
    return np.where(np.isnan(obs), np.nan, p)


def signflip_pvalues(d: np.ndarray, rng: np.random.Generator, n_resamples: int) -> np.ndarray:
    """Two-sided sign-flip p-values for the mean of paired differences (rows = stories), per metric."""
    d0, v = _split(d)
    cnt = v.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.abs(d0.sum(axis=0) / cnt)
    hits = np.zeros(d.shape[1])
    tol = 1e-12 * np.maximum(1.0, np.nan_to_num(obs))
    for start in range(0, n_resamples, BATCH):
        m = min(BATCH, n_resamples - start)
        s = rng.choice(np.array([-1.0, 1.0]), size=(m, d.shape[0]))
        with np.errstate(invalid="ignore", divide="ignore"):
            stat = np.abs((s @ d0) / cnt)
        hits += np.sum(stat >= obs - tol, axis=0)
    p = (hits + 1) / (n_resamples + 1)
    return np.where(cnt > 0, p, np.nan)


def hedges_g(a: np.ndarray, b: np.ndarray) -> float:
    """Hedges' g: standardised mean difference with the small-sample correction J = 1 - 3/(4 df - 1)."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return float("nan")
    sp2 = ((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2)
    if sp2 <= 0:
        return float("nan")
    j = 1 - 3 / (4 * (na + nb - 2) - 1)
    return float((a.mean() - b.mean()) / np.sqrt(sp2) * j)


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    """Cliff's delta = P(A > B) - P(A < B) over all pairs, in [-1, 1] (ranks only: robust to skew)."""
    a, b = a[~np.isnan(a)], np.sort(b[~np.isnan(b)])
    if not len(a) or not len(b):
        return float("nan")
    less = np.searchsorted(b, a, side="left")          # b values below each a
    greater = len(b) - np.searchsorted(b, a, side="right")  # b values above each a
    return float((less.sum() - greater.sum()) / (len(a) * len(b)))


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN p-values are ignored and stay NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if not len(ok):
        return q
    order = ok[np.argsort(p[ok], kind="mergesort")]
    m = len(order)
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q[order] = np.minimum(ranked, 1.0)
    return q
