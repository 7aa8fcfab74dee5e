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
