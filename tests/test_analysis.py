"""The analyze() contract: rows in equals rows out, order kept, per-article independence, exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import biascmp
from biascmp.analysis import Analysis

EXTRA = pd.DataFrame({
    "article_id": ["x1", "x2", "x3"],
    "outlet": ["Outlet A", "Outlet B", "Outlet A"],
    "title": ["One", "Two", "Three"],
    "text": [
        "The council approved the budget on Monday. Officials said the plan would cut taxes.",
        "Critics slammed the disastrous plan! \"It is a catastrophe,\" the senator claimed.",
        "   ",
    ],
})


def _corpus(seeds_dir) -> pd.DataFrame:
    seeds = biascmp.read_articles(seeds_dir)
    return pd.concat([seeds, biascmp.read_articles(EXTRA)], ignore_index=True)


def _metric_cols(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]


def test_rows_in_equal_rows_out_and_order(seeds_dir):
    arts = _corpus(seeds_dir)
    res = biascmp.analyze(arts)
    assert isinstance(res, Analysis)
    assert len(res.articles) == len(arts)
    assert res.articles["article_id"].tolist() == arts["article_id"].tolist()
    assert res.articles.loc[res.articles["article_id"] == "x3", "status"].item() == "empty_text"


def test_article_metrics_do_not_depend_on_the_rest_of_the_corpus(seeds_dir):
    arts = _corpus(seeds_dir)
    full = biascmp.analyze(arts).articles.set_index("article_id")
    rng = np.random.default_rng(7)
    subset = arts.iloc[rng.permutation(len(arts))[:4]]
    part = biascmp.analyze(subset).articles.set_index("article_id")
    cols = _metric_cols(part)
    pd.testing.assert_frame_equal(part[cols], full.loc[part.index, cols], check_dtype=False)


def test_seed_analysis_has_four_ok_rows_and_sentence_table(seed_analysis):
    res = seed_analysis
    assert len(res.articles) == 4
    assert (res.articles["status"] == "ok").all()
    for col in ("article_id", "sentence_index", "text", "kind", "in_quote", "speaker"):
        assert col in res.sentences.columns
    prose = res.sentences[res.sentences["kind"] == "prose"]
    counts = prose.groupby("article_id").size()
    outlets = res.outlets.set_index("outlet")
    by_outlet = res.articles.set_index("article_id")["outlet"]
    for aid, n in counts.items():
        assert outlets.loc[by_outlet[aid], "n_sentences"] == n


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_exports_round_trip_rows(seed_analysis, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    getattr(seed_analysis, f"to_{fmt}")(path)
    back = {"csv": pd.read_csv, "parquet": pd.read_parquet,
            "jsonl": lambda p: pd.read_json(p, lines=True)}[fmt](path)
    assert back["article_id"].astype(str).tolist() == seed_analysis.articles["article_id"].tolist()
    assert list(back.columns) == list(seed_analysis.articles.columns)


BAD_ARGS = [
    ({"n_jobs": 0}, "n_jobs"),
    ({"chunksize": -1}, "chunksize"),
    ({"max_chars": 0}, "max_chars"),
]


@pytest.mark.parametrize("kwargs, name", BAD_ARGS)
def test_bad_arguments_name_the_argument(seeds_dir, kwargs, name):
    with pytest.raises(ValueError, match=name):
        biascmp.analyze(seeds_dir, **kwargs)


def test_size_cap_gives_status_not_hang():
    arts = pd.DataFrame({"outlet": ["A"], "text": ["word " * 5000]})
    res = biascmp.analyze(arts, max_chars=1000)
    assert res.articles["status"].item() == "too_long"
    assert "max_chars" in res.articles["status_detail"].item()


@pytest.mark.parametrize("families", [["readability", "sentiment"], ["framing"], ["loaded", "attribution"]])
def test_families_subset_equals_the_full_run_on_its_columns(seed_analysis, seeds_dir, families):
    from biascmp import registry

    sub = biascmp.analyze(seeds_dir, families=families)
    mine = set(registry.names("article", tuple(families))) - set(registry.names("article", ()))
    others = set(registry.names("article")) - set(registry.names("article", tuple(families)))
    assert mine and not (others & set(sub.articles.columns))  # other families' columns absent, not NaN
    for col in mine:
        pd.testing.assert_series_equal(sub.articles[col], seed_analysis.articles[col], check_names=False)
    assert set(sub.evidence["family"]) <= set(families)
    assert len(sub.articles) == len(seed_analysis.articles)
    assert sub.params["options"]["families"] == [f for f in registry.FAMILIES if f in families]


def test_families_unknown_or_empty_is_an_error(seeds_dir):
    with pytest.raises(ValueError, match=r"unknown \['sentimnet'\].*choose from"):
        biascmp.analyze(seeds_dir, families=["sentimnet"])
    with pytest.raises(ValueError, match="empty"):
        biascmp.analyze(seeds_dir, families=[])


def test_families_in_stream_and_cli(seeds_dir, tmp_path):
    from biascmp.cli import main

    out = tmp_path / "a.csv"
    assert main(["analyze", str(seeds_dir), "-o", str(out), "--families", "sentiment", "--quiet"]) == 0
    cols = set(pd.read_csv(out).columns)
    assert "sentiment_mean" in cols and "flesch_reading_ease" not in cols and "frame_primary" not in cols
