"""Loaded language: known cases, recomputation from evidence, properties, BABE validation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import data_file
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp import loaded
from biascmp.lexicons import builtin_dir, load_lexicon
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


def test_seed_000_begging_is_loaded_narration(seed_analysis):
    arts = seed_analysis.articles
    aid = arts.loc[arts["outlet"] == "The Daily Wire", "article_id"].item()
    ev = seed_analysis.evidence
    ev = ev[ev["article_id"] == aid]
    begging = ev[(ev["family"] == "loaded") & (ev["term"].str.lower() == "begging")]
    assert len(begging) and not begging["in_quote"].any()
    assert (begging["category"] == "loaded").all() and (begging["weight"] > 0).all()
    s = seed_analysis.sentences
    s = s[(s["article_id"] == aid) & s["sentence_index"].isin(begging["sentence_index"])]
    assert (s["in_quote"] < 0.5).all() and (s["loaded_language"] > 0).all()


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


def _vader_valence(word: str) -> float:
    """The word's valence read straight from vaderSentiment's installed vader_lexicon.txt."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] == word:
            return float(parts[1])
    return 0.0


def test_one_cue_sentence_matches_the_documented_formula():
    """'The plan is disastrous.': 4 words (length factor 1), one subjective adjective (weight from
    the lexicon file) and its VADER valence; no reporting marker."""
    lex = {e.term: e for e in load_lexicon(builtin_dir() / "loaded.csv").entries}
    e = lex["disastrous"]
    want = loaded.COMPONENTS[e.category] * e.weight + loaded.VADER_WEIGHT * abs(_vader_valence("disastrous")) / 4
    assert _score("The plan is disastrous.") == pytest.approx(want)


@pytest.mark.parametrize("variant", ["a POWER GRAB", "a Power  Grab", "a power\u00a0grab", "a power\tgrab"])
def test_case_and_whitespace_variants_of_a_phrase_match(variant):
    a = _art(f"It was {variant} by the board.")
    ev = loaded.measure(a, options=OPTS).evidence
    hits = [x for x in ev if x.category == "loaded"]
    assert len(hits) == 1
    assert " ".join(hits[0].term.lower().split()) == "power grab"


def test_non_prose_lines_get_nan_and_columns_align():
    text = "BREAKING: Mayor's disastrous plan\n\nBy Jane Doe\n\nThe reckless plan failed badly. The vote was 7-2."
    a = _art(text)
    res = loaded.measure(a, options=OPTS)
    col = res.sentence["loaded_language"]
    assert len(col) == len(a.sentences)
    for s, v in zip(a.sentences, col, strict=True):
        assert math.isnan(v) == (s.kind != "prose")
    assert all(a.sentences[e.sentence_index].kind == "prose" for e in res.evidence)


def test_user_lexicon_replaces_the_builtin(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("# name: mine\n# version: 0.1\n# provenance: test\n# license: MIT\n# categories: loaded\n"
                    "term,category,weight\nwidget*,loaded,2\n", encoding="utf-8")
    opts = Options(lexicons=(("loaded", str(path)),))
    res = loaded.measure(_art("The reckless widgets were disastrous."), options=opts)
    cues = [e.term for e in res.evidence if e.category == "loaded" or e.category == "subjective"]
    assert cues == ["widgets"]


_SENTENCES = ["The plan is reckless!", "Officials said the meeting is on Monday.", "It was a very, very shocking "
              "disaster.", "The budget is $5 million.", "Critics claimed the mayor lied.", "Sales rose 3% in May.",
              "“This is a ‘sham’,” she said.", "The so-called ‘experts’ were wrong!!!"]
_NO_CUE = ["The meeting is on Monday.", "The council has 50 members.", "Sen. Warren spoke on Tuesday."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES + _NO_CUE), min_size=1, max_size=8))
def test_evidence_offsets_slice_exactly_to_the_term(sentences):
    a = _art(" ".join(sentences))
    for e in loaded.measure(a, options=OPTS).evidence:
        assert a.sentences[e.sentence_index].text[e.start:e.end] == e.term


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES + _NO_CUE), min_size=1, max_size=6), st.sampled_from(_NO_CUE))
def test_adding_a_sentence_without_cues_never_raises_the_mean(sentences, plain):
    before = _score(" ".join(sentences))
    after = _score(" ".join([*sentences, plain]))
    assert loaded.score_sentence(_art(plain).sentences[0], load_lexicon("loaded"),
                                 load_lexicon("attribution_verbs"))[0] == 0.0
    assert after <= before + 1e-12


def test_babe_heldout_auc():
    """Held-out part of BABE SG1 (30 % by text hash, never used for tuning): measured 0.740 (bootstrap
    95 % CI about 0.70-0.78); VADER intensity alone 0.56 there. The bound is the measured value minus 0.02,
    so a lexicon or rule change that costs more than that fails here."""
    import sys
    from pathlib import Path

    data_file("babe_sg1_dev.csv")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import babe_auc

    df = babe_auc.load()
    held = df[df["part"] == "heldout"]
    s = babe_auc.score(held["text"].tolist())
    auc = babe_auc.auc(s, held["y"].to_numpy())
    assert auc >= 0.72
    assert auc > babe_auc.auc(babe_auc.vader_intensity(held["text"].tolist()), held["y"].to_numpy()) + 0.1
    assert np.isfinite(s).all() and (s >= 0).all()
