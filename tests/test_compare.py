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
from biascmp.comparison import GROUP_COLUMNS, PAIR_COLUMNS, compare, compare_groups


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


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=10),
       st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=10),
       st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=10), st.integers(0, 2**31))
def test_row_order_never_changes_results(a, b, c, shuffle_seed):
    an = fake_analysis({"A": a, "B": b, "C": c})
    shuffled = SimpleNamespace(articles=an.articles.sample(frac=1, random_state=shuffle_seed % 2**32),
                               sentences=an.sentences.sample(frac=1, random_state=1), params={})
    c1 = compare(an, metrics=["sentiment_mean"], n_resamples=100)
    c2 = compare(shuffled, metrics=["sentiment_mean"], n_resamples=100)
    pd.testing.assert_frame_equal(c1.pairs, c2.pairs)
    pd.testing.assert_frame_equal(c1.groups, c2.groups)


def test_seed_estimates_equal_pandas_group_means(seed_analysis):
    arts = seed_analysis.articles[seed_analysis.articles["status"] == "ok"]
    want = arts.groupby("outlet")["sentiment_narrator_mean"].mean()
    g = biascmp.compare(seed_analysis).groups
    got = g[g["metric"] == "sentiment_narrator_mean"].set_index("group")["estimate"]
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)


def test_estimates_equal_independent_computation():
    a, b = [0.1, 0.5, -0.2, 0.3], [-0.4, -0.1, -0.6]
    c = compare(fake_analysis({"A": a, "B": b}), metrics=["sentiment_mean"], n_resamples=500)
    g = c.groups.set_index("group")
    assert g.loc["A", "estimate"] == pytest.approx(np.mean(a)) and g.loc["B", "median"] == pytest.approx(-0.4)
    assert g.loc["A", "sd"] == pytest.approx(np.std(a, ddof=1))
    assert c.pairs.iloc[0]["difference"] == pytest.approx(np.mean(a) - np.mean(b))


def _aa_rate(n: int, n_resamples: int, seed: int = 42) -> float:
    """Share of p < 0.05 over ``n`` random splits of one skewed group of 60 into two pseudo-groups of 30."""
    rng = np.random.default_rng(seed)
    pool = rng.lognormal(size=60)  # skewed, like many text metrics
    hits = 0
    for i in range(n):
        perm = rng.permutation(60)
        c = compare(fake_analysis({"A": list(pool[perm[:30]]), "B": list(pool[perm[30:]])}),
                    metrics=["sentiment_mean"], n_resamples=n_resamples, seed=i)
        hits += c.pairs.iloc[0]["p_value"] < 0.05
    return hits / n


def _power(n: int, n_resamples: int, shift: float = 0.8, seed: int = 7) -> float:
    """Share of p < 0.05 for 30 vs 30 normal values, the second shifted by ``shift`` SD."""
    rng = np.random.default_rng(seed)
    hits = 0
    for i in range(n):
        a, b = rng.normal(size=30), rng.normal(size=30) + shift
        c = compare(fake_analysis({"A": list(a), "B": list(b)}), metrics=["sentiment_mean"],
                    n_resamples=n_resamples, seed=i)
        hits += c.pairs.iloc[0]["p_value"] < 0.05
    return hits / n


def test_aa_false_positive_rate_at_most_nominal():
    """Splitting one group's articles at random into two pseudo-groups, many times: with no real difference,
    p < 0.05 should happen in at most ~5% of splits (nominal + 2 binomial SE, 200 splits)."""
    n = 200
    assert _aa_rate(n, 199) <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / n)


def test_planted_shift_detected_with_expected_power():
    """Normal data, 30 articles per group, shift of 0.8 SD: a two-sided t-test at 0.05 has power 0.86
    (noncentral t, df 58, ncp 0.8 * sqrt(15) = 3.10); the permutation test should come close."""
    n = 150
    assert abs(_power(n, 199) - 0.86) < 3 * np.sqrt(0.86 * 0.14 / n) + 0.02


@pytest.mark.slow
def test_aa_and_power_large_study():
    """1,000 splits / simulations with 999 permutations each; prints the measured rates (docs/compare.md)."""
    n = 1000
    fpr, power = _aa_rate(n, 999, seed=1), _power(n, 999, seed=2)
    print(f"\nA/A false-positive rate {fpr:.3f} ({n} splits); power at 0.8 SD, 30 vs 30: {power:.3f}")
    assert fpr <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / n)
    assert abs(power - 0.86) < 3 * np.sqrt(0.86 * 0.14 / n) + 0.01


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


def test_infinite_values_are_missing_with_a_caveat():
    c = compare(fake_analysis({"A": [0.1, 0.2, 0.3, float("inf")], "B": [0.4, 0.5, 0.6]}),
                metrics=["sentiment_mean"], n_resamples=200)
    g = c.groups.set_index("group")
    assert g.loc["A", "estimate"] == pytest.approx(0.2) and g.loc["A", "n_articles"] == 3
    assert any("infinite" in x for x in c.caveats)


@pytest.mark.parametrize("kwargs, match", [
    ({"metrics": []}, r"metrics=\[\]"),
    ({"seed": -1}, "seed=-1"),
    ({"estimator": "mode"}, "estimator='mode'"),
    ({"story": "nope"}, "story='nope'"),
    ({"confidence": 0}, "confidence=0"),
])
def test_more_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        compare(fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.6]}), **{"metrics": ["sentiment_mean"], **kwargs})


def test_only_ok_articles_enter():
    an = fake_analysis({"A": [0.1, 0.2, 0.3, 9.0], "B": [0.4, 0.5, 0.6]})
    an.articles.loc[an.articles["sentiment_mean"] == 9.0, "status"] = "empty_text"
    g = compare(an, metrics=["sentiment_mean"], n_resamples=200).groups.set_index("group")
    assert g.loc["A", "estimate"] == pytest.approx(0.2) and g.loc["A", "n_articles"] == 3


def test_sentence_spread_from_the_sentence_counterpart():
    an = fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.9]})
    an.articles["quote_share"] = 0.5
    extra = pd.DataFrame({"article_id": ["A-0000", "B-0001"], "kind": ["byline", "prose"], "compound": [5.0, -0.3]})
    an.sentences = pd.concat([an.sentences, extra], ignore_index=True)
    g = compare(an, metrics=["sentiment_mean", "quote_share"], n_resamples=200).groups.set_index(["group", "metric"])
    # prose sentences only: A's byline line (5.0) is left out; B has an extra prose sentence (-0.3)
    assert g.loc[("A", "sentiment_mean"), "sentence_sd"] == pytest.approx(np.std([0.1, 0.2, 0.3], ddof=1))
    assert g.loc[("B", "sentiment_mean"), "sentence_sd"] == pytest.approx(np.std([0.4, 0.5, 0.9, -0.3], ddof=1))
    assert g.loc[("B", "sentiment_mean"), "n_sentences"] == 4
    assert np.isnan(g.loc[("A", "quote_share"), "sentence_sd"])  # no sentence-level counterpart


def test_narrator_metric_spread_uses_narration_sentences_only():
    an = fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.9]}, metric="sentiment_narrator_mean")
    an.sentences["in_quote"] = [0.0, 1.0, 0.2, 0.0, 0.0, 0.6]  # A-0001 and B-0002 are quoted speech
    g = compare(an, metrics=["sentiment_narrator_mean"], n_resamples=200).groups.set_index("group")
    assert g.loc["A", "sentence_sd"] == pytest.approx(np.std([0.1, 0.3], ddof=1))
    assert g.loc["B", "sentence_sd"] == pytest.approx(np.std([0.4, 0.5], ddof=1))


def test_baseline_compares_each_group_with_it():
    rng = np.random.default_rng(1)
    an = fake_analysis({g: list(rng.normal(size=6)) for g in ("A", "B", "C", "D")})
    c = compare(an, metrics=["sentiment_mean"], baseline="B", n_resamples=200)
    assert sorted(zip(c.pairs["group_a"], c.pairs["group_b"])) == [("A", "B"), ("C", "B"), ("D", "B")]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=15),
       st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=15),
       st.floats(0, 1.5))
def test_findings_only_claim_significant_differences(a, b, shift):
    c = compare(fake_analysis({"A": a, "B": [x + shift for x in b]}), metrics=["sentiment_mean"], n_resamples=200)
    diff = c.findings[c.findings["kind"] == "difference"]
    sig = c.pairs[c.pairs["significant"]]
    assert len(diff) == len(sig)  # one sentence per significant difference, none for the rest
    assert (diff["q_value"] <= 0.05).all() and (diff["difference"] > 0).all()  # phrased as "higher"


def test_story_column_resamples_stories_in_group_intervals():
    stories = {"A": ["s1", "s1", "s2", "s3"], "B": ["s1", "s2", "s3", "s3"]}
    c = compare(fake_analysis({"A": [0.1, 0.2, 0.3, 0.4], "B": [0.2, 0.4, 0.1, 0.3]}, story=stories),
                metrics=["sentiment_mean"], story="story", n_resamples=200)
    assert c.mode == "paired" and c.groups["inference"].str.contains("stories resampled").all()
    assert c.pairs.iloc[0]["n_pairs"] == 3 and any("Paired analysis" in x for x in c.caveats)


def test_single_group_for_reports_is_descriptive():
    c = compare_groups(fake_analysis({"A": [0.1, 0.2, 0.3]}), metrics=["sentiment_mean"], min_groups=0)
    assert c.mode == "descriptive" and len(c.pairs) == 0 and list(c.pairs.columns) == PAIR_COLUMNS


def test_positional_table_argument(tmp_path):
    c = compare(fake_analysis({"A": [0.1, 0.2, 0.3], "B": [0.4, 0.5, 0.6]}), metrics=["sentiment_mean"],
                n_resamples=200)
    c.to_csv(tmp_path / "g.csv", "groups")
    assert list(pd.read_csv(tmp_path / "g.csv").columns) == GROUP_COLUMNS


@pytest.mark.slow
def test_allsides_by_leaning():
    """The acceptance run: AllSides dev set compared by leaning (prints the findings; ~2 minutes)."""
    from conftest import data_file

    res = biascmp.analyze(data_file("allsides_dev.jsonl"))
    c = biascmp.compare(res, by="leaning")
    print("\n" + "\n".join(f"- {t}" for t in c.findings["text"]))
    assert c.mode == "inferential" and set(c.groups["group"]) == {"left", "center", "right"}
    assert c.pairs["p_value"].between(0, 1, inclusive="right").all()
    assert len(c.findings)
