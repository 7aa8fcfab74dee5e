"""Same-story matching (biascmp/stories.py): hand-made cases, invariants, bad input, API contract, and
the dev-set figures (skipped without ../shared/data)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from conftest import data_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from biascmp import stories
from biascmp.stories import (
    StoryFeatures,
    average_linkage,
    cluster_stories,
    find_stories,
    match_stories,
    pairwise_scores,
    stories_table,
    story_features,
)

# Three events, two outlets each, plus an unrelated article; texts written for these tests.
QUAKE_A = ("A magnitude 6.4 earthquake struck near Ridgecrest, California on Thursday, shaking buildings in "
           "Los Angeles. The United States Geological Survey said the quake was centred in the Mojave Desert. "
           "Kern County fire officials reported minor injuries and damaged roads.")
QUAKE_B = ("Residents of Ridgecrest, California cleaned up on Thursday after a strong earthquake rattled the "
           "Mojave Desert town. Geological Survey scientists measured the quake at magnitude 6.4. Kern County "
           "officials said roads were damaged and a few people were hurt.")
BUDGET_A = ("The Senate passed a sweeping budget bill on Thursday after Majority Leader Chuck Schumer secured "
            "the last votes. The bill funds highways, broadband and water systems. Republicans led by Mitch "
            "McConnell said the spending would fuel inflation.")
BUDGET_B = ("Chuck Schumer rallied Democrats to pass the budget bill in the Senate on Thursday, sending billions "
            "to highways and broadband. Mitch McConnell warned the spending would worsen inflation and "
            "Republicans voted against the bill.")
TENNIS_A = ("Serena Williams won the Wimbledon final on Saturday, beating Angelique Kerber in straight sets on "
            "Centre Court. It was her seventh Wimbledon title and her twenty-third Grand Slam.")
TENNIS_B = ("Angelique Kerber lost to Serena Williams in the Wimbledon final on Saturday. Williams took her "
            "seventh title at the All England Club, her twenty-third Grand Slam singles crown.")
ODD = ("A bakery in Vermont has started selling maple doughnuts shaped like cows, and the owner says the line "
       "goes around the block every morning.")


def corpus() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["Daily A", "Herald B", "Daily A", "Herald B", "Daily A", "Herald B", "Gazette C"],
        "title": ["Earthquake hits Ridgecrest", "Ridgecrest cleans up after quake", "Senate passes budget bill",
                  "Schumer pushes budget through Senate", "Williams wins Wimbledon",
                  "Kerber falls to Williams at Wimbledon", "Cow doughnuts draw crowds"],
        "date": ["2021-07-01", "2021-07-01", "2021-07-01", "2021-07-02", "2021-07-03", "2021-07-03", "2021-07-02"],
        "text": [QUAKE_A, QUAKE_B, BUDGET_A, BUDGET_B, TENNIS_A, TENNIS_B, ODD],
    })


def groups(ids: pd.Series) -> set[frozenset[int]]:
    """The partition of row positions the ids make (rows without a story left out)."""
    out: dict[str, set[int]] = {}
    for i, v in enumerate(ids):
        if not pd.isna(v):
            out.setdefault(v, set()).add(i)
    return {frozenset(s) for s in out.values()}


# ---------------------------------------------------------------------------------------------------
# Hand-made cases
# ---------------------------------------------------------------------------------------------------

def test_three_events_two_outlets_each():
    assert groups(match_stories(corpus())) == {frozenset({0, 1}), frozenset({2, 3}), frozenset({4, 5}),
                                               frozenset({6})}


CASES = [
    # (name, dates of QUAKE_A and QUAKE_B, window_days, same story?)
    ("same day", ("2021-07-01", "2021-07-01"), 3, True),
    ("two days apart, window 3", ("2021-07-01", "2021-07-03"), 3, True),
    ("30 days apart, window 3", ("2021-07-01", "2021-07-31"), 3, False),
    ("10 days apart, window 30", ("2021-07-01", "2021-07-11"), 30, True),
    ("two days apart, window 0", ("2021-07-01", "2021-07-03"), 0, False),
    ("one date missing: text alone", ("2021-07-01", None), 3, True),
    ("both dates missing: text alone", (None, None), 3, True),
    ("one date unparseable: text alone", ("2021-07-01", "next Thursday-ish"), 3, True),
]


@pytest.mark.parametrize("name, dates, window, same", CASES, ids=[c[0] for c in CASES])
def test_date_window_cases(name, dates, window, same):
    arts = pd.DataFrame({"outlet": ["Daily A", "Herald B", "Gazette C"],
                         "title": ["Earthquake hits Ridgecrest", "Ridgecrest cleans up after quake", "Cow doughnuts"],
                         "date": [dates[0], dates[1], "2021-07-01"], "text": [QUAKE_A, QUAKE_B, ODD]})
    ids = match_stories(arts, window_days=window)
    assert (ids[0] == ids[1]) is same
    assert ids[2] != ids[0]


def test_undated_rows_are_flagged_text_only():
    arts = corpus()
    arts.loc[1, "date"] = None
    arts.loc[3, "date"] = "not a date"
    res = find_stories(arts)
    status = res.assignments["story_status"]
    assert status.tolist() == ["matched", "text_only", "matched", "text_only", "matched", "matched", "matched"]
    assert res.assignments["story_detail"][1].startswith("no usable date")
    assert groups(res.ids) == groups(match_stories(corpus()))  # the dated neighbours are found anyway


def test_empty_texts_get_no_story_and_a_status():
    arts = corpus()
    arts.loc[2, "text"] = "   "
    arts.loc[5, "text"] = None
    res = find_stories(arts)
    assert res.ids.isna().tolist() == [False, False, True, False, False, True, False]
    assert (res.assignments["story_status"][[2, 5]] == "no_text").all()
    assert len(res.assignments) == len(arts)  # rows in equals rows out


def test_duplicate_texts_far_apart_join_one_story():
    arts = corpus()
    copy = arts.iloc[[4]].assign(outlet="Wire D", date="2021-12-25", title="Another headline")
    arts = pd.concat([arts, copy], ignore_index=True)
    ids = match_stories(arts)
    assert ids[7] == ids[4] == ids[5]


def test_threshold_one_only_joins_identical_texts():
    arts = pd.concat([corpus(), corpus().iloc[[0]].assign(outlet="Wire D")], ignore_index=True)
    assert groups(match_stories(arts, threshold=1.0)) == {frozenset({i}) for i in range(1, 7)} | {frozenset({0, 7})}


def test_stories_table_values():
    table = stories_table(corpus())
    assert list(table.columns) == stories.TABLE_COLUMNS
    assert table["n_articles"].tolist() == [2, 2, 2, 1]
    quake = table[table["label"].isin(["Earthquake hits Ridgecrest", "Ridgecrest cleans up after quake"])].iloc[0]
    assert quake["outlets"] == "Daily A, Herald B"
    assert quake["first_date"] == pd.Timestamp("2021-07-01") and quake["last_date"] == pd.Timestamp("2021-07-01")
    # mean within-story similarity against an independent cosine of the two rows' vectors
    feats = story_features(corpus())
    X = stories.node_vectors(feats, np.arange(len(feats))).toarray()
    assert quake["mean_similarity"] == pytest.approx(X[0] @ X[1], abs=1e-9)
    single = table[table["n_articles"] == 1].iloc[0]
    assert single["label"] == "Cow doughnuts draw crowds" and np.isnan(single["mean_similarity"])


def test_label_is_the_most_central_title():
    # three articles: the middle one shares words with both others, so it is the most central
    arts = pd.DataFrame({
        "outlet": ["A", "B", "C"], "date": "2021-07-01",
        "title": ["Quake in Ridgecrest", "Quake and cleanup", "Cleanup in Kern"],
        "text": [QUAKE_A, QUAKE_A + " " + QUAKE_B, QUAKE_B]})
    res = find_stories(arts, threshold=0.3)
    assert res.ids.nunique() == 1
    assert res.table["label"].iloc[0] == "Quake and cleanup"
    assert res.assignments["story_centrality"].idxmax() == 1


def test_single_outlet_gets_a_note_instead_of_stories():
    arts = corpus().assign(outlet="Daily A")
    res = find_stories(arts)
    assert res.table.empty and list(res.table.columns) == stories.TABLE_COLUMNS
    assert "one outlet (Daily A)" in res.note and res.table.attrs["note"] == res.note
    assert res.ids.notna().all()  # the ids are still given


# ---------------------------------------------------------------------------------------------------
# Average linkage against scipy, pairwise scores against brute force
# ---------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.integers(2, 11), st.integers(0, 10_000), st.floats(0.05, 0.95), st.floats(0.0, 0.6))
def test_average_linkage_equals_scipy(n, seed, threshold, sparsity):
    rng = np.random.default_rng(seed)
    sim = rng.random((n, n))
    sim[rng.random((n, n)) < sparsity] = 0.0  # missing pairs count as similarity 0 in both
    sim = np.triu(sim, 1)
    sim = sim + sim.T
    i, j = np.nonzero(np.triu(sim, 1))
    ours = average_linkage(n, i, j, sim[i, j], threshold)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    ref = fcluster(linkage(squareform(dist, checks=False), method="average"), 1.0 - threshold,
                   criterion="distance")
    assert groups(pd.Series(ours)) == groups(pd.Series(ref))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=2, max_size=6), st.integers(0, 10_000), st.floats(0.1, 0.9))
def test_weighted_nodes_equal_their_copies(weights, seed, threshold):
    # a node of weight w behaves like w identical copies (similarity 1 among them)
    rng = np.random.default_rng(seed)
    n = len(weights)
    sim = np.triu(rng.random((n, n)), 1)
    i, j = np.nonzero(np.triu(np.ones((n, n)), 1))
    ours = average_linkage(n, i, j, sim[i, j], threshold, np.array(weights, float))
    owner = np.repeat(np.arange(n), weights)
    m = len(owner)
    full = np.where(owner[:, None] == owner[None, :], 1.0, (sim + sim.T)[owner][:, owner])
    a, b = np.nonzero(np.triu(np.ones((m, m)), 1))
    copies = average_linkage(m, a, b, full[a, b], threshold)
    assert groups(pd.Series(ours[owner])) == groups(pd.Series(copies))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 11), st.integers(0, 10_000), st.floats(0.05, 0.95), st.integers(1, 4))
def test_cannot_link_keeps_keyed_nodes_apart(n, seed, threshold, n_keys):
    # the constraint holds in every cluster; nodes with no keys cluster exactly as without the constraint
    rng = np.random.default_rng(seed)
    sim = np.triu(rng.random((n, n)), 1)
    i, j = np.nonzero(np.triu(np.ones((n, n)), 1))
    keys = [frozenset({int(rng.integers(n_keys))}) for _ in range(n)]
    got = average_linkage(n, i, j, sim[i, j], threshold, cannot=keys)
    for g in groups(pd.Series(got)):
        assert len({k for node in g for k in keys[node]}) == len(g)  # no key twice
    free = average_linkage(n, i, j, sim[i, j], threshold, cannot=[frozenset()] * n)
    assert groups(pd.Series(free)) == groups(pd.Series(average_linkage(n, i, j, sim[i, j], threshold)))


def test_cannot_link_same_outlet_same_day(monkeypatch):
    # two Daily A reports of the quake on one day: one story without the constraint, apart with it
    arts = pd.concat([corpus(), corpus().iloc[[1]].assign(outlet="Daily A")], ignore_index=True)
    assert match_stories(arts)[7] == match_stories(arts)[0]
    monkeypatch.setattr(stories, "CANNOT_LINK", "day")
    ids = match_stories(arts)
    assert ids[7] != ids[0] and ids[1] in (ids[0], ids[7])
    assert find_stories(arts).params["cannot_link"] == "day"


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from([None, "x", "y", "z"])), max_size=12))
def test_pairwise_scores_equal_brute_force(labels):
    pred = [p for p, _ in labels]
    gold = [g for _, g in labels]
    pairs = list(itertools.combinations(range(len(labels)), 2))
    pp = {(a, b) for a, b in pairs if pred[a] == pred[b]}
    gp = {(a, b) for a, b in pairs if gold[a] is not None and gold[a] == gold[b]}
    res = pairwise_scores(pred, gold)
    assert res["precision"] == pytest.approx(len(pp & gp) / len(pp) if pp else 1.0)
    assert res["recall"] == pytest.approx(len(pp & gp) / len(gp) if gp else 1.0)


def test_pairwise_scores_known_values():
    # pred {0,1,2} {3}; gold {0,1} {2,3}: pred pairs 3, gold pairs 2, common 1
    res = pairwise_scores(["a", "a", "a", "b"], ["x", "x", "y", "y"])
    assert (res["precision"], res["recall"]) == pytest.approx((1 / 3, 1 / 2))
    assert res["f1"] == pytest.approx(0.4)


# ---------------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------------

@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(7)))
def test_row_order_does_not_change_the_ids(perm):
    arts = corpus()
    base = match_stories(arts)
    shuffled = match_stories(arts.iloc[list(perm)].reset_index(drop=True))
    assert shuffled.tolist() == base.iloc[list(perm)].tolist()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 6), st.sampled_from(["2021-07-01", "2022-03-01", None]), st.sampled_from(["Daily A", "Z"]))
def test_duplicate_texts_join_one_story(row, date, outlet):
    arts = corpus()
    copy = arts.iloc[[row]].assign(date=date, outlet=outlet, title="Retitled copy")
    ids = match_stories(pd.concat([arts, copy], ignore_index=True))
    assert ids.iloc[-1] == ids.iloc[row]


def test_features_in_chunks_equal_features_at_once():
    arts = corpus()
    whole = cluster_stories(story_features(arts))
    chunks = StoryFeatures.concat([story_features(arts.iloc[:3]), story_features(arts.iloc[3:5]),
                                   story_features(arts.iloc[5:])])
    parts = cluster_stories(chunks)
    pd.testing.assert_frame_equal(parts.assignments, whole.assignments)
    pd.testing.assert_frame_equal(parts.table, whole.table)


def test_same_input_same_output():
    a, b = find_stories(corpus()), find_stories(corpus())
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.table, b.table)


# ---------------------------------------------------------------------------------------------------
# Bad arguments and the API contract
# ---------------------------------------------------------------------------------------------------

BAD_ARGS = [
    ({"threshold": 0}, "threshold=0"),
    ({"threshold": -0.2}, "threshold=-0.2"),
    ({"threshold": 1.5}, "threshold=1.5"),
    ({"threshold": float("nan")}, "threshold=nan"),
    ({"threshold": "0.5"}, "threshold='0.5'"),
    ({"threshold": True}, "threshold=True"),
    ({"window_days": -1}, "window_days=-1"),
    ({"window_days": float("inf")}, "window_days=inf"),
    ({"window_days": "3"}, "window_days='3'"),
]


@pytest.mark.parametrize("kwargs, named", BAD_ARGS, ids=[n for _, n in BAD_ARGS])
def test_bad_arguments_are_refused_naming_them(kwargs, named):
    with pytest.raises(ValueError, match=re.escape(f"Invalid {named}")):
        match_stories(corpus(), **kwargs)


def test_missing_text_column_names_it():
    from biascmp._validation import InputError

    with pytest.raises(InputError, match="text"):
        match_stories(pd.DataFrame({"outlet": ["A"], "body_text": ["x"]}))


def test_api_contract():
    arts = corpus()
    arts.index = [10, 20, 30, 40, 50, 60, 70]  # any index in; positions out
    ids = match_stories(arts)
    assert isinstance(ids, pd.Series) and ids.name == "story" and len(ids) == len(arts)
    assert ids.index.equals(pd.RangeIndex(len(arts)))
    assert ids.dtype == "string"
    assert all(re.fullmatch(r"st-[0-9a-f]{12}", v) for v in ids)
    res = find_stories(arts)
    assert list(res.assignments.columns) == stories.ASSIGNMENT_COLUMNS
    assert set(res.table["story"]) == set(ids)
    assert res.table["n_articles"].sum() == ids.notna().sum()


def test_accepts_a_file_path(tmp_path):
    path = tmp_path / "arts.jsonl"
    corpus().to_json(path, orient="records", lines=True)
    assert match_stories(path).tolist() == match_stories(corpus()).tolist()


def test_empty_and_tiny_inputs():
    assert match_stories(pd.DataFrame({"outlet": [], "text": []})).empty
    one = match_stories(corpus().iloc[[0]])
    assert one.notna().all() and len(one) == 1


# ---------------------------------------------------------------------------------------------------
# Dev-set figures (docs/stories.md); benchmarks/stories.py prints the full table
# ---------------------------------------------------------------------------------------------------

def _dev_frames():
    dev = pd.read_json(data_file("allsides_stories_dev.jsonl"), lines=True, dtype=False)
    dev = dev.rename(columns={"story": "gold", "story_date": "date"})
    dis = pd.read_json(data_file("allsides_dev.jsonl"), lines=True, dtype=False)
    dis = dis[["outlet", "title", "date", "text"]].assign(gold=None)
    return dev[["outlet", "title", "date", "text", "gold"]], dis


def test_dev_set_pairwise_f1():
    """docs/stories.md: 0.835 alone, 0.812 with distractors at the defaults (targets 0.85 / 0.80; anchors:
    average linkage within 3 days 0.74, connected components 0.47 / 0.31). Floors a little below the
    measured figures catch regressions."""
    dev, dis = _dev_frames()
    alone = pairwise_scores(match_stories(dev.drop(columns="gold")).astype(object), dev["gold"])
    assert alone["f1"] >= 0.83
    mixed = pd.concat([dev, dis], ignore_index=True)
    pred = match_stories(mixed.drop(columns="gold")).astype(object)
    is_dis = mixed["gold"].isna().to_numpy()
    strict = pairwise_scores(pred, mixed["gold"])
    dd = pairwise_scores(pred[is_dis], mixed["gold"][is_dis])["pred_pairs"]
    precision = strict["true_pairs"] / (strict["pred_pairs"] - dd)
    f1 = 2 * precision * strict["recall"] / (precision + strict["recall"])
    assert f1 >= 0.80


def test_top_level_export():
    import biascmp

    assert biascmp.match_stories is match_stories and "match_stories" in biascmp.__all__


# ---------------------------------------------------------------------------------------------------
# In analyze(), compare(), the CLI and the report data
# ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def story_analysis():
    import biascmp

    return biascmp.analyze(corpus(), story="auto", families=["sentiment", "framing", "loaded"])


def test_analyze_story_auto_adds_columns_and_table(story_analysis):
    arts = story_analysis.articles
    assert arts["story"].tolist() == match_stories(corpus()).tolist()
    assert set(arts["story_status"]) == {"matched"}
    table = story_analysis.tables["stories"]
    assert list(table.columns) == stories.TABLE_COLUMNS and len(table) == 4
    assert story_analysis.params["stories"]["threshold"] == stories.DEFAULT_THRESHOLD


def test_analyze_keeps_an_input_story_column():
    import biascmp

    res = biascmp.analyze(corpus().assign(story="mine"), story="auto", families=["sentiment"])
    assert (res.articles["story_input"] == "mine").all() and res.articles["story"].str.startswith("st-").all()


def test_analyze_story_argument_is_checked():
    import biascmp

    with pytest.raises(ValueError, match=re.escape("Invalid story='yes'")):
        biascmp.analyze(corpus(), story="yes", families=["sentiment"])


def test_analyze_single_outlet_note():
    import biascmp

    res = biascmp.analyze(corpus().assign(outlet="Daily A"), story="auto", families=["sentiment"])
    assert res.tables["stories"].empty and "one outlet" in res.params["stories"]["note"]


def test_compare_is_paired_over_shared_stories(story_analysis):
    import biascmp

    cmp = biascmp.compare(story_analysis, by="outlet", story="story", metrics=["sentiment_mean"])
    pair = cmp.pairs[(cmp.pairs["group_a"].isin(["Daily A", "Herald B"]))
                     & (cmp.pairs["group_b"].isin(["Daily A", "Herald B"]))]
    # Daily A and Herald B both covered the quake, the budget and the final: three shared stories
    assert pair["n_pairs"].tolist() == [3]


def test_same_story_table(story_analysis):
    tab = stories.same_story_table(story_analysis, by="outlet", top=5)
    assert list(tab.columns) == stories.SAME_STORY_COLUMNS
    assert len(tab) == 6 and tab["story"].nunique() == 3 and set(tab["group"]) == {"Daily A", "Herald B"}
    arts = story_analysis.articles.set_index("article_id")
    for _, r in tab.iterrows():
        assert r["headline"] == arts.at[r["article_id"], "title"]
        assert r["sentiment"] == pytest.approx(arts.at[r["article_id"], "sentiment_mean"], nan_ok=True)
        text = corpus().set_index("title").at[r["headline"], "text"]
        assert text.startswith(r["lead"])  # the first sentence of that article
    assert len(stories.same_story_table(story_analysis, by="outlet", top=1)) == 2


def test_same_story_table_needs_story_ids(story_analysis):
    from types import SimpleNamespace

    bare = SimpleNamespace(articles=story_analysis.articles.drop(columns="story"),
                           sentences=story_analysis.sentences, tables={})
    with pytest.raises(ValueError, match="story='story'"):
        stories.same_story_table(bare, by="outlet")
    with pytest.raises(ValueError, match="by='leaning'"):
        stories.same_story_table(story_analysis, by="leaning")


def test_cli_story_auto(tmp_path):
    from biascmp.cli import main

    src = tmp_path / "arts.jsonl"
    corpus().to_json(src, orient="records", lines=True)
    out = tmp_path / "arts.csv"
    assert main(["analyze", str(src), "-o", str(out), "--story", "auto", "--quiet", "--families", "sentiment"]) == 0
    assert pd.read_csv(out)["story"].tolist() == match_stories(corpus()).tolist()
    pairs = tmp_path / "pairs.csv"
    assert main(["compare", str(src), "-o", str(pairs), "--story", "auto", "--quiet", "--families", "sentiment",
                 "--metrics", "sentiment_mean"]) == 0
    got = pd.read_csv(pairs)
    ab = got[got["group_a"].isin(["Daily A", "Herald B"]) & got["group_b"].isin(["Daily A", "Herald B"])]
    assert ab["method"].str.contains("paired").all() and ab["n_pairs"].tolist() == [3]


# ---------------------------------------------------------------------------------------------------
# The streamed and Dask drivers: features per chunk, clustering on the driver, the same ids
# ---------------------------------------------------------------------------------------------------

def chunked_corpus() -> pd.DataFrame:
    """The engine's self-contained corpus (seeds, articles generated from their sentences, edge rows,
    duplicates) with seeded dates over two weeks (some missing), plus the hand-made stories above: many
    stories across outlets and dates, text-only rows and rows without text, spread over several chunks."""
    import random

    from corpus import corpus as engine_corpus

    rng = random.Random(7)
    arts = engine_corpus(60, seed=3)
    arts["date"] = [None if rng.random() < 0.1 else f"2021-07-{rng.randint(1, 14):02d}" for _ in range(len(arts))]
    mine = corpus().assign(article_id=[f"h{i}" for i in range(len(corpus()))])
    return pd.concat([arts.iloc[:40], mine, arts.iloc[40:]], ignore_index=True)


def test_streamed_story_ids_equal_in_memory(tmp_path):
    import biascmp
    from biascmp.stream import analyze_to_file, stories_path

    arts = chunked_corpus()
    local = biascmp.analyze(arts, story="auto", families=["sentiment"])
    out = tmp_path / "out.parquet"
    summary = analyze_to_file(arts, out, chunksize=16, story="auto", families=["sentiment"])  # 6 chunks
    got = pd.read_parquet(out)
    assert len(got) == len(arts) and got["article_id"].tolist() == local.articles["article_id"].tolist()
    want = local.articles
    assert got["story"].astype(object).where(got["story"].notna(), None).tolist() == \
        want["story"].astype(object).where(want["story"].notna(), None).tolist()
    assert got["story_status"].tolist() == want["story_status"].tolist()
    np.testing.assert_allclose(got["story_centrality"].to_numpy(float), want["story_centrality"].to_numpy(float),
                               rtol=1e-12)
    # more than one multi-outlet story, rows without date and without text: the case is not trivial
    assert (local.tables["stories"]["n_outlets"] >= 2).sum() >= 3
    assert {"matched", "text_only", "no_text"} <= set(want["story_status"])
    # the stories table beside the output and in the summary, equal to the in-memory one
    assert summary.stories_output == stories_path(out) == tmp_path / "out.stories.parquet"
    written = pd.read_parquet(summary.stories_output)
    for table in (summary.stories, written):
        pd.testing.assert_frame_equal(table.reset_index(drop=True), local.tables["stories"].reset_index(drop=True),
                                      check_dtype=False)


def test_streamed_story_ids_from_a_file_in_chunks(tmp_path):
    from biascmp.stream import analyze_to_file

    arts = chunked_corpus()
    src = tmp_path / "arts.jsonl"
    arts.to_json(src, orient="records", lines=True)
    out = tmp_path / "out.csv"
    analyze_to_file(src, out, chunksize=25, story="auto", families=["sentiment"])
    got = pd.read_csv(out)["story"]
    assert groups(got) == groups(match_stories(arts))
    assert got.fillna("").tolist() == match_stories(arts).fillna("").tolist()


def test_streamed_story_argument_is_checked(tmp_path):
    from biascmp.stream import analyze_to_file

    with pytest.raises(ValueError, match="story='yes'"):
        analyze_to_file(corpus(), tmp_path / "o.csv", story="yes")
    assert not (tmp_path / "o.csv").exists()


def test_dask_story_ids_equal_in_memory():
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    import biascmp
    import biascmp.dask as bd

    arts = chunked_corpus()
    local = biascmp.analyze(arts, story="auto", families=["sentiment"])
    with dask.config.set(scheduler="synchronous"):
        res = bd.analyze(dd.from_pandas(arts, npartitions=5), story="auto", families=["sentiment"])
        got = res.compute_analysis()
    assert res.articles.npartitions == 5
    a, b = got.articles, local.articles
    assert a["article_id"].tolist() == b["article_id"].tolist()
    assert a["story"].astype(object).where(a["story"].notna(), None).tolist() == \
        b["story"].astype(object).where(b["story"].notna(), None).tolist()
    assert a["story_status"].tolist() == b["story_status"].tolist()
    np.testing.assert_allclose(a["story_centrality"].to_numpy(float), b["story_centrality"].to_numpy(float),
                               rtol=1e-12)
    pd.testing.assert_frame_equal(got.tables["stories"], local.tables["stories"], check_dtype=False)
    assert got.params["stories"] == local.params["stories"]


def test_dask_story_argument_is_checked():
    pytest.importorskip("dask")
    import biascmp.dask as bd

    with pytest.raises(ValueError, match="story='yes'"):
        bd.analyze(corpus(), story="yes")


def test_cli_analyze_story_auto_streams_and_writes_the_table(tmp_path, capsys):
    from biascmp.cli import main

    arts = chunked_corpus()
    src = tmp_path / "arts.csv"
    arts.to_csv(src, index=False)
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(src), "-o", str(out), "--story", "auto", "--quiet", "--families", "sentiment",
                 "--chunksize", "20"]) == 0
    got = pd.read_json(out, lines=True)
    assert got["story"].fillna("").tolist() == match_stories(arts).fillna("").tolist()
    table = pd.read_json(tmp_path / "out.stories.jsonl", lines=True)
    assert table["n_articles"].sum() == got["story"].notna().sum()
    err = capsys.readouterr().err
    assert f"{len(table)} stories" in err and "out.stories.jsonl" in err
