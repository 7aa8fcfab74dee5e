"""The Dask engine gives the same results as the local engine (on a LocalCluster, small data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import data_file

import biascmp

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def test_dask_equals_local_engine():
    import biascmp.dask as bd

    df = pd.read_json(data_file("allsides_dev.jsonl"), lines=True, dtype=False).head(40)
    df = df.rename(columns={"id": "article_id"})[["article_id", "outlet", "title", "text", "leaning"]]
    local = biascmp.analyze(df)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        res = bd.analyze(dd.from_pandas(df, npartitions=3))
        got = res.compute_analysis()
        outlets = res.outlets()
    num = [c for c in local.articles.columns if pd.api.types.is_numeric_dtype(local.articles[c])]
    assert got.articles["article_id"].tolist() == local.articles["article_id"].tolist()
    assert np.array_equal(local.articles[num].to_numpy(float), got.articles[num].to_numpy(float), equal_nan=True)
    assert got.sentences["text"].tolist() == local.sentences["text"].tolist()
    pd.testing.assert_frame_equal(local.outlets, outlets, check_dtype=False, rtol=1e-12)
    assert got.articles["leaning"].tolist() == local.articles["leaning"].tolist()  # user columns kept
