"""The Dask driver gives the same frames as the local engine, every table included (self-contained corpora:
tests/corpus.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from corpus import corpus, generated

import biascmp

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """Values only: Dask stores text as its own string dtype (missing = <NA>), evidence categories per
    partition; numbers must be equal, text equal, missing where missing."""
    out = {}
    for col in frame.columns:
        v = frame[col]
        if pd.api.types.is_numeric_dtype(v) and not pd.api.types.is_bool_dtype(v):
            out[col] = v.to_numpy(float)
        elif pd.api.types.is_datetime64_any_dtype(v):
            out[col] = v.to_numpy("datetime64[ns]")
        else:
            o = v.astype(object)
            out[col] = np.asarray(o.where(o.notna(), None).tolist(), dtype=object)
    return pd.DataFrame(out)


def _same_analysis(got: biascmp.Analysis, local: biascmp.Analysis) -> None:
    for level in ("articles", "sentences", "evidence", "outlets"):
        pd.testing.assert_frame_equal(_values(getattr(got, level)), _values(getattr(local, level)), rtol=1e-12,
                                      obj=level)
    assert got.tables.keys() == local.tables.keys() == {"speakers", "actors", "terms"}
    for name, frame in local.tables.items():
        pd.testing.assert_frame_equal(_values(got.tables[name]), _values(frame), obj=name)


def test_dask_equals_local_every_frame_and_table():
    import dask

    import biascmp.dask as bd

    df = corpus(50, seed=4)
    df["leaning"] = np.where(np.arange(len(df)) % 2, "left", "right")  # a user column, kept
    local = biascmp.analyze(df, loaded_threshold=0.3)
    with dask.config.set(scheduler="synchronous"):
        res = bd.analyze(dd.from_pandas(df, npartitions=4), loaded_threshold=0.3)
        got = res.compute_analysis()
        outlets = res.outlets()
    _same_analysis(got, local)
    pd.testing.assert_frame_equal(_values(local.outlets), _values(outlets), rtol=1e-12)
    assert got.params["options"] == local.params["options"]
    assert list(res.tables) == ["speakers", "actors", "terms"]


def test_dask_on_a_local_cluster_of_processes():
    import biascmp.dask as bd

    df = corpus(24, seed=5)
    local = biascmp.analyze(df)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        got = bd.analyze(dd.from_pandas(df, npartitions=3)).compute_analysis()
    _same_analysis(got, local)


@pytest.mark.slow
def test_dask_local_cluster_20000_generated_articles():
    import biascmp.dask as bd

    df = generated(20_000, seed=7)
    local = biascmp.analyze(df)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        got = bd.analyze(dd.from_pandas(df, npartitions=40)).compute_analysis()
    _same_analysis(got, local)
