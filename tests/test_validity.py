"""benchmarks/validity.py: its helpers against independent computations (the figures themselves are tested in
test_sentiment, test_framing and test_fit, and recorded in docs/validity.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from biascmp.framing import DIMENSIONS

_SPEC = importlib.util.spec_from_file_location("validity_bench", Path(__file__).parents[1] / "benchmarks" / "validity.py")
V = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
_SPEC.loader.exec_module(V)  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=40))
def test_auc_equals_sklearn(pairs):
    s = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs])
    if y.all() or not y.any():
        assert np.isnan(V.auc(s, y))
    else:
        assert V.auc(s, y) == pytest.approx(roc_auc_score(y, s))


def test_bootstrap_interval_is_seeded_and_brackets_the_mean():
    x = np.random.default_rng(1).normal(size=200)
    lo, hi = V.bootstrap(lambda i: float(x[i].mean()), len(x), 500)
    assert (lo, hi) == V.bootstrap(lambda i: float(x[i].mean()), len(x), 500)
    assert lo < x.mean() < hi and hi - lo < 4 * 1.96 * x.std() / np.sqrt(len(x))


def test_gvfc_mapping_names_real_dimensions():
    assert set(V.GVFC_TO_DIMENSIONS) == set(range(1, 10)) == set(V.GVFC_LABEL)
    assert all(d in DIMENSIONS for ds in V.GVFC_TO_DIMENSIONS.values() for d in ds)
    # the one-dimension labels for fitting are among each frame's mapped dimensions
    assert all(V.GVFC_LABEL[k] in V.GVFC_TO_DIMENSIONS[k] for k in V.GVFC_LABEL)
    hits = V.gvfc_hits(["political", "economic", None, "health_and_safety"], np.array([3, 3, 3, 5]),
                       np.array([99, 99, 99, 99]))
    assert hits.tolist() == [True, False, False, True]


def test_missing_data_is_reported_not_raised(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(V, "DATA", tmp_path)
    assert V.gvfc(10) == {} and V.nfc(10) == {} and V.babe(10) == {}
    assert capsys.readouterr().out.count("skipped:") == 3
