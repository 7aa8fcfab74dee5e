"""compare(): properties (hypothesis), A/A false-positive rate, power for a planted shift, bad arguments,
the seeds' descriptive comparison, and the CLI."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biascmp
from biascmp.comparison import GROUP_COLUMNS, PAIR_COLUMNS, compare


def fake_analysis(groups: dict[str, list[float]], *, metric: str = "sentiment_mean", story=None) -> SimpleNamespace:
    rows = []
    for g, vals in groups.items():
        for i, v in enumerate(vals):
            rows.append({"article_id": f"{g}-{i:04d}", "outlet": g, "status": "ok", metric: v,
                         "story": (story[g][i] if story else None)})
    arts = pd.DataFrame(rows)
    sents = pd.DataFrame({"article_id": arts["article_id"], "kind": "prose", "compound": arts[metric]})
    return SimpleNamespace(articles=arts, sentences=sents, params={})


values = st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=12)


@settings(max_examples=30, deadline=None)
@given(values, values)
def test_ci_contains_estimate_and_p_in_unit_interval(a, b):
    c = compare(fake_analysis({"A": a, "B": b}), metrics=["sentiment_mean"], n_resamples=200)
    g = c.groups
    tol = 1e-12
    assert ((g["ci_low"] <= g["estimate"] + tol) & (g["estimate"] <= g["ci_high"] + tol)).all()
    p = c.pairs.iloc[0]
    assert 0 < p["p_value"] <= 1
    assert p["ci_low"] - tol <= p["difference"] <= p["ci_high"] + tol


@settings(max_examples=25, deadline=None)
@given(values, values)
def test_swapping_groups_negates_difference_and_keeps_p(a, b):
    an = fake_analysis({"A": a, "B": b})
    swapped = SimpleNamespace(articles=an.articles.assign(outlet=an.articles["outlet"].map({"A": "B", "B": "A"})),
                              sentences=an.sentences, params={})
    c1 = compare(an, metrics=["sentiment_mean"], n_resamples=200)
    c2 = compare(swapped, metrics=["sentiment_mean"], n_resamples=200)
    p1, p2 = c1.pairs.iloc[0], c2.pairs.iloc[0]
    assert p2["difference"] == pytest.approx(-p1["difference"])
    assert p2["p_value"] == p1["p_value"]
    assert p2["hedges_g"] == pytest.approx(-p1["hedges_g"], nan_ok=True)
    assert p2["cliffs_delta"] == pytest.approx(-p1["cliffs_delta"])


def test_row_order_does_not_change_results():
    rng = np.random.default_rng(0)
    an = fake_analysis({"A": list(rng.normal(size=10)), "B": list(rng.normal(size=8) + 1), "C": list(rng.normal(size=5))})
    shuffled = SimpleNamespace(articles=an.articles.sample(frac=1, random_state=3), sentences=an.sentences, params={})
    c1 = compare(an, metrics=["sentiment_mean"], n_resamples=300)
    c2 = compare(shuffled, metrics=["sentiment_mean"], n_resamples=300)
    pd.testing.assert_frame_equal(c1.groups, c2.groups)
    pd.testing.assert_frame_equal(c1.pairs, c2.pairs)
    assert list(c1.groups.columns) == GROUP_COLUMNS and list(c1.pairs.columns) == PAIR_COLUMNS


def test_estimates_equal_independent_computation():
    a, b = [0.1, 0.5, -0.2, 0.3], [-0.4, -0.1, -0.6]
    c = compare(fake_analysis({"A": a, "B": b}), metrics=["sentiment_mean"], n_resamples=500)
    g = c.groups.set_index("group")
    assert g.loc["A", "estimate"] == pytest.approx(np.mean(a)) and g.loc["B", "median"] == pytest.approx(-0.4)
    assert g.loc["A", "sd"] == pytest.approx(np.std(a, ddof=1))
    assert c.pairs.iloc[0]["difference"] == pytest.approx(np.mean(a) - np.mean(b))


def test_aa_false_positive_rate_at_most_nominal():
    """Split one group's articles at random into two pseudo-groups, many times: with no real difference,
    p < 0.05 should happen in at most ~5% of splits (upper binomial bound, 200 splits)."""
    rng = np.random.default_rng(42)
    pool = rng.lognormal(size=60)  # skewed, like many text metrics
    hits = 0
    n = 200
    for i in range(n):
        perm = rng.permutation(60)
        c = compare(fake_analysis({"A": list(pool[perm[:30]]), "B": list(pool[perm[30:]])}),
                    metrics=["sentiment_mean"], n_resamples=199, seed=i)
        hits += c.pairs.iloc[0]["p_value"] < 0.05
    fpr = hits / n
    assert fpr <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / n)


def test_planted_shift_detected_with_expected_power():
    """Normal data, 30 articles per group, shift of 0.8 SD: a two-sided test at 0.05 has power 0.86
    (t-test, noncentral t); the permutation test should come close."""
    rng = np.random.default_rng(7)
    n = 150
    hits = 0
    for i in range(n):
        a, b = rng.normal(size=30), rng.normal(size=30) + 0.8
        c = compare(fake_analysis({"A": list(a), "B": list(b)}), metrics=["sentiment_mean"], n_resamples=199, seed=i)
        hits += c.pairs.iloc[0]["p_value"] < 0.05
    power = hits / n
    assert abs(power - 0.86) < 3 * np.sqrt(0.86 * 0.14 / n) + 0.02


def test_small_groups_are_described_not_tested():
    c = compare(fake_analysis({"A": [0.1, 0.2, 0.3, 0.4], "B": [0.5, 0.6, 0.7], "C": [0.9, 0.8]}),
                metrics=["sentiment_mean"], n_resamples=200)
    g = c.groups.set_index("group")
    assert np.isnan(g.loc["C", "ci_low"]) and "fewer than 3" in g.loc["C", "inference"]
    tested = c.pairs[c.pairs["p_value"].notna()]
    assert set(zip(tested["group_a"], tested["group_b"])) == {("A", "B")}
    assert any("C" in t for t in c.findings["text"]) and c.mode == "inferential"


def test_seeds_are_a_descriptive_comparison(seed_analysis):
    c = biascmp.compare(seed_analysis)
    assert c.mode == "descriptive"
    assert c.pairs["p_value"].isna().all() and c.groups["ci_low"].isna().all()
    assert any("Descriptive comparison" in x for x in c.caveats)
    assert len(c.findings) and all("not evidence of a difference" in t for t in c.findings["text"])


def test_paired_story_analysis_removes_topic_effect():
    # two stories with very different levels; B is consistently 0.2 below A within each story
    rng = np.random.default_rng(0)
    stories = {"A": [], "B": []}
    vals = {"A": [], "B": []}
    for s in range(12):
        base = 1.0 if s % 2 else -1.0
        for g, shift in (("A", 0.0), ("B", -0.2)):
            vals[g].append(base + shift + rng.normal(scale=0.02))
            stories[g].append(f"s{s}")
    c = compare(fake_analysis(vals, story=stories), metrics=["sentiment_mean"], story="story", n_resamples=999)
    assert c.mode == "paired"
    p = c.pairs.iloc[0]
    assert p["difference"] == pytest.approx(0.2, abs=0.02) and p["n_pairs"] == 12 and p["significant"]
    unpaired = compare(fake_analysis(vals), metrics=["sentiment_mean"], n_resamples=999)
    assert not unpaired.pairs.iloc[0]["significant"]  # swamped by the topic effect without pairing


@pytest.mark.parametrize("kwargs, match", [
    ({"by": "nope"}, "by='nope'"),
    ({"metrics": ["outlet"]}, "'outlet'.*not numeric"),
    ({"metrics": ["missing"]}, "'missing'"),
    ({"confidence": 1.5}, "confidence=1.5"),
    ({"n_resamples": 10}, "n_resamples=10"),
    ({"baseline": "Z"}, "baseline='Z'"),
    ({"fdr": 0}, "fdr=0"),
])
def test_bad_arguments_name_argument_and_value(kwargs, match):
    an = fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.6]})
    kw = {"metrics": ["sentiment_mean"], **kwargs}
    with pytest.raises(ValueError, match=match):
        compare(an, **kw)


def test_one_group_only_is_an_error():
    with pytest.raises(ValueError, match="at least two"):
        compare(fake_analysis({"A": [0.1, 0.2, 0.3]}), metrics=["sentiment_mean"])


def test_outputs_and_cli(tmp_path, seed_analysis):
    from biascmp.cli import main

    c = compare(fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.6]}), metrics=["sentiment_mean"],
                n_resamples=200)
    c.to_csv(tmp_path / "p.csv")
    c.to_parquet(tmp_path / "g.parquet", table="groups")
    assert len(pd.read_csv(tmp_path / "p.csv")) == 1 and len(pd.read_parquet(tmp_path / "g.parquet")) == 2
    assert main(["compare", str(biascmp.datasets.seeds_path()), "--by", "outlet", "-o", str(tmp_path / "x.csv"),
                 "--quiet", "--findings-output", str(tmp_path / "f.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "x.csv")) > 0 and len(pd.read_csv(tmp_path / "f.csv")) > 0
