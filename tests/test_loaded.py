"""Loaded language and attribution: known cases, recomputation from evidence, properties, BABE validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import data_file
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp import attribution, loaded
from biascmp.prepare import prepare_article
from biascmp.records import Options
from biascmp.tokens import tokenize_article

OPTS = Options()


def _art(text: str):
    a = prepare_article("t", text)
    tokenize_article(a)
    return a


def _score(text: str) -> float:
    return loaded.measure(_art(text), options=OPTS).article["loaded_language"]


def test_loaded_wording_scores_higher_than_plain_reporting():
    plain = _score("The council voted 7-2 on Tuesday to approve the $4 million budget, officials said.")
    loaded_ = _score("The radical mayor's disastrous, reckless scheme is a shameful power grab!")
    assert plain == 0.0
    assert loaded_ > 1.0


def test_score_is_non_negative_and_recomputable_from_evidence(seed_analysis):
    s = seed_analysis.sentences
    ev = seed_analysis.evidence
    lev = ev[ev["family"] == "loaded"].groupby(["article_id", "sentence_index"])["weight"].sum()
    prose = s[s["kind"] == "prose"]
    assert (prose["loaded_language"] >= 0).all()
    for r in prose.itertuples():
        raw = lev.get((r.article_id, r.sentence_index), 0.0)
        exp = max(0.0, raw) / loaded.length_factor(loaded.count_words(r.text))
        assert r.loaded_language == pytest.approx(exp, abs=1e-12)
    arts = seed_analysis.articles.set_index("article_id")
    for aid, g in prose.groupby("article_id"):
        narr = g[g["in_quote"] < 0.5]["loaded_language"]
        assert arts.loc[aid, "loaded_language"] == pytest.approx(g["loaded_language"].mean())
        assert arts.loc[aid, "loaded_language_narrator_mean"] == pytest.approx(narr.mean(), nan_ok=True)


def test_seed_000_begging_is_loaded_narration_and_theorized_is_evaluative(seed_analysis):
    arts = seed_analysis.articles
    aid = arts.loc[arts["outlet"] == "The Daily Wire", "article_id"].item()
    ev = seed_analysis.evidence
    ev = ev[ev["article_id"] == aid]
    begging = ev[(ev["family"] == "loaded") & (ev["term"].str.lower() == "begging")]
    assert len(begging) and not begging["in_quote"].any()
    theorized = ev[(ev["family"] == "attribution") & (ev["term"] == "theorized")]
    assert theorized["category"].tolist() == ["evaluative"]


def test_narrator_and_quoted_are_separate():
    text = ('“This reckless, disgraceful scheme is a disaster,” the senator said. '
            'The council met on Tuesday and approved the plan.')
    r = loaded.measure(_art(text), options=OPTS).article
    assert r["loaded_language_quoted_mean"] > 0 and r["loaded_language_narrator_mean"] == 0
    assert r["loaded_share_quoted"] == 1.0 and r["loaded_share_narrator"] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["The plan is reckless!", "Officials said the meeting is on Monday.",
                                 "It was a very, very shocking disaster.", "The budget is $5 million.",
                                 "Critics claimed the mayor lied.", "Sales rose 3% in May."]), min_size=1, max_size=8))
def test_shares_in_unit_interval_and_scores_non_negative(sentences):
    a = _art(" ".join(sentences))
    res = loaded.measure(a, options=OPTS)
    vals = [v for v in res.sentence["loaded_language"] if not math.isnan(v)]
    assert all(v >= 0 for v in vals)
    for k in ("loaded_share_narrator", "loaded_share_quoted"):
        v = res.article[k]
        assert math.isnan(v) or 0 <= v <= 1


def test_threshold_option_changes_shares_only():
    a = _art("The radical mayor's reckless scheme is shameful. The meeting is on Monday.")
    lo = loaded.measure(a, options=Options(loaded_threshold=0.0)).article
    hi = loaded.measure(a, options=Options(loaded_threshold=100.0)).article
    assert lo["loaded_language"] == hi["loaded_language"]
    assert lo["loaded_share_narrator"] > hi["loaded_share_narrator"] == 0


def test_attribution_neutral_vs_evaluative_and_sources():
    text = ('“We will fight this,” Lightfoot said. Trump claimed the city was lawless. '
            'Officials said the plan was ready. “No comment,” a spokeswoman said.')
    r = attribution.measure(_art(text), options=OPTS)
    classes = [c for c in r.sentence["attribution"] if c]
    assert classes.count("evaluative") == 1 and classes.count("neutral") == 3
    assert r.article["attribution_loaded_share"] == pytest.approx(1 / 4)
    assert r.article["n_named_sources"] == 2
    assert r.article["unnamed_source_share"] == pytest.approx(2 / 4)
    sp = {row["speaker"]: row for row in r.tables["speakers"]}
    assert sp["Lightfoot"]["quoted_words"] == 4 and sp["Lightfoot"]["named"]
    assert sum(row["share_quoted_words"] for row in r.tables["speakers"]) == pytest.approx(1.0)


@pytest.mark.parametrize("speaker, named", [
    ("Lightfoot", True), ("Mayor Lori Lightfoot", True), ("officials", False), ("a spokeswoman", False),
    ("police", False), ("sources familiar with the matter", False), ("he", False), ("ABC News", True),
])
def test_named_sources(speaker, named):
    assert attribution.is_named(speaker) is named


def test_babe_heldout_auc():
    """Held-out part of BABE SG1 (30 % by text hash, never used for tuning): measured 0.734; VADER
    intensity alone 0.56 there. The bound leaves a small margin for library drift."""
    import sys
    from pathlib import Path

    data_file("babe_sg1_dev.csv")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import babe_auc

    df = babe_auc.load()
    held = df[df["part"] == "heldout"]
    s = babe_auc.score(held["text"].tolist())
    auc = babe_auc.auc(s, held["y"].to_numpy())
    assert auc >= 0.70
    assert auc > babe_auc.auc(babe_auc.vader_intensity(held["text"].tolist()), held["y"].to_numpy()) + 0.1
    assert np.isfinite(s).all() and (s >= 0).all()
