"""Statistics helpers against hand-worked values and independent formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp import stats


def test_hedges_g_known_value():
    # means 2 and 5, both variances 1 -> d = -3; J = 1 - 3 / (4 * 4 - 1) = 0.8 -> g = -2.4
    assert stats.hedges_g(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])) == pytest.approx(-2.4)


def test_cliffs_delta_known_values():
    assert stats.cliffs_delta(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])) == -1.0
    # a = 1,2,3,4 vs b = 2,3: a > b in 3 pairs (3>2, 4>2, 4>3), a < b in 3 (1<2, 1<3, 2<3), ties 2
    assert stats.cliffs_delta(np.array([1.0, 2, 3, 4]), np.array([2.0, 3])) == 0.0
    assert stats.cliffs_delta(np.array([5.0, np.nan]), np.array([1.0])) == 1.0


def test_bh_worked_example():
    # sorted p: .005 .01 .03 .04 -> p*m/rank: .02 .02 .04 .04 (already monotone)
    q = stats.bh_qvalues(np.array([0.01, 0.04, 0.03, 0.005, np.nan]))
    assert q[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(q[4])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_bh_properties(ps):
    p = np.array(ps)
    q = stats.bh_qvalues(p)
    assert np.all(q >= p - 1e-15) and np.all(q <= 1)
    order = np.argsort(p, kind="mergesort")
    assert np.all(np.diff(q[order]) >= -1e-15)  # monotone in p


def test_multiplicities_sum_to_n():
    w = stats.multiplicities(np.random.default_rng(0), 50, 7)
    assert w.shape == (50, 7) and np.all(w.sum(axis=1) == 7)


def test_bootstrap_means_match_explicit_resampling():
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.normal(size=20), np.where(rng.random(20) < 0.3, np.nan, rng.normal(size=20))])
    got = stats.bootstrap_means(x, np.random.default_rng(5), 40)
    w = stats.multiplicities(np.random.default_rng(5), 40, 20)
    for r in range(40):
        idx = np.repeat(np.arange(20), w[r].astype(int))
        assert got[r] == pytest.approx(np.nanmean(x[idx], axis=0))


def test_permutation_pvalue_exact_small_case():
    # a = [0, 0], b = [1, 1]: of the 6 splits of the pool only 2 are as extreme -> p ~ 1/3
    p = stats.permutation_pvalues(np.array([[0.0], [0.0]]), np.array([[1.0], [1.0]]),
                                  np.random.default_rng(0), 20000)
    assert p[0] == pytest.approx(1 / 3, abs=0.015)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=15), st.lists(st.floats(-5, 5), min_size=3, max_size=15))
def test_permutation_pvalues_in_unit_interval_and_symmetric(a, b):
    xa, xb = np.array(a)[:, None], np.array(b)[:, None]
    order_ab = np.arange(len(a) + len(b))
    p1 = stats.permutation_pvalues(xa, xb, np.random.default_rng(3), 200, order=order_ab)
    # swapping the groups: the pooled rows in the same canonical order
    order_ba = np.concatenate([np.arange(len(b), len(a) + len(b)), np.arange(len(b))])
    p2 = stats.permutation_pvalues(xb, xa, np.random.default_rng(3), 200, order=order_ba)
    assert 0 < p1[0] <= 1
    assert p1[0] == p2[0]


def test_signflip_pvalue_for_consistent_shift_is_small():
    d = np.full((12, 1), 0.5) + np.random.default_rng(0).normal(scale=0.01, size=(12, 1))
    p = stats.signflip_pvalues(d, np.random.default_rng(0), 4000)
    # only the all-plus and all-minus sign patterns reach the observed mean: 2 / 4096
    assert p[0] < 0.005


def test_hedges_g_unequal_sizes_hand_computed():
    # a = 1,2,3,4: mean 2.5, var 5/3; b = 2,4,6: mean 4, var 4
    # pooled var = (3 * 5/3 + 2 * 4) / 5 = 13/5 = 2.6 -> sd 1.6124515; d = -1.5 / 1.6124515 = -0.9302605
    # J = 1 - 3 / (4 * 5 - 1) = 16/19 = 0.8421053 -> g = -0.7833773
    assert stats.hedges_g(np.array([1.0, 2, 3, 4]), np.array([2.0, 4, 6])) == pytest.approx(-0.7833773, abs=1e-6)


def _hedges_plain(a, b):
    """Textbook formula with plain Python sums (independent of numpy's var)."""
    na, nb = len(a), len(b)
    ma, mb = sum(a) / na, sum(b) / nb
    ssa = sum((x - ma) ** 2 for x in a)
    ssb = sum((x - mb) ** 2 for x in b)
    sp = ((ssa + ssb) / (na + nb - 2)) ** 0.5
    return (ma - mb) / sp * (1 - 3 / (4 * (na + nb) - 9))


def _cliff_plain(a, b):
    """Definition: (#{a_i > b_j} - #{a_i < b_j}) / (n_a n_b), by a double loop."""
    return sum((x > y) - (x < y) for x in a for y in b) / (len(a) * len(b))


small = st.lists(st.integers(-20, 20).map(float), min_size=2, max_size=12)


@settings(max_examples=80, deadline=None)
@given(small, small)
def test_hedges_g_and_cliffs_delta_match_definitions(a, b):
    assert stats.cliffs_delta(np.array(a), np.array(b)) == pytest.approx(_cliff_plain(a, b))
    if len(set(a)) > 1 or len(set(b)) > 1:  # a pooled SD of zero has no standardised difference
        assert stats.hedges_g(np.array(a), np.array(b)) == pytest.approx(_hedges_plain(a, b))


def test_bh_published_example():
    # Benjamini & Hochberg (1995), section 4: 15 p-values; at q* = 0.05 the procedure rejects 4
    # hypotheses (the largest i with p_(i) <= i/15 * 0.05 is i = 4: 0.0095 <= 0.0133; 0.0201 > 0.0167)
    p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
                  0.4262, 0.5719, 0.6528, 0.7590, 1.000])
    q = stats.bh_qvalues(p)
    assert int((q <= 0.05).sum()) == 4
    # q of the 4th: min over i >= 4 of p_(i) * 15 / i = 0.0095 * 15 / 4 = 0.035625
    assert q[3] == pytest.approx(0.035625)


def test_percentile_ci_matches_per_column_quantiles():
    rng = np.random.default_rng(2)
    s = rng.normal(size=(400, 3))
    s[:50, 1] = np.nan  # a column with some failed resamples
    s[:300, 2] = np.nan  # mostly failed: no interval
    lo, hi = stats.percentile_ci(s, 0.9)
    assert lo[0] == pytest.approx(np.quantile(s[:, 0], 0.05)) and hi[0] == pytest.approx(np.quantile(s[:, 0], 0.95))
    assert lo[1] == pytest.approx(np.quantile(s[50:, 1], 0.05)) and hi[1] == pytest.approx(np.quantile(s[50:, 1], 0.95))
    assert np.isnan(lo[2]) and np.isnan(hi[2])


def test_cluster_bootstrap_matches_explicit_resampling():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(9, 2))
    x[3, 1] = np.nan
    clusters = np.array([0, 0, 1, 1, 1, 2, 3, 3, 4])
    got = stats.bootstrap_means(x, np.random.default_rng(8), 30, clusters=clusters)
    w = stats.multiplicities(np.random.default_rng(8), 30, 5)  # the same draws over the 5 clusters
    for r in range(30):
        idx = np.concatenate([np.repeat(np.flatnonzero(clusters == c), int(w[r, c])) for c in range(5)])
        assert got[r] == pytest.approx(np.nanmean(x[idx], axis=0))


def test_permutation_pvalue_matches_exact_enumeration_with_missing_values():
    from itertools import combinations

    a = np.array([[0.1, 1.0], [0.5, np.nan], [0.9, 2.0]])
    b = np.array([[1.2, 0.0], [1.5, 0.5], [np.nan, 0.2]])
    pool = np.vstack([a, b])
    obs = np.abs(np.nanmean(a, axis=0) - np.nanmean(b, axis=0))
    hits = np.zeros(2)
    splits = list(combinations(range(6), 3))  # all 20 ways to choose group A
    for sa in splits:
        sb = [i for i in range(6) if i not in sa]
        d = np.abs(np.nanmean(pool[list(sa)], axis=0) - np.nanmean(pool[sb], axis=0))
        hits += d >= obs - 1e-12
    exact = hits / len(splits)
    p = stats.permutation_pvalues(a, b, np.random.default_rng(1), 20000)
    assert p == pytest.approx(exact, abs=0.015)
