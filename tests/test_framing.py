"""Framing, generic frames, term choice, actors and lexicons: known cases, evidence, hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biascmp
from biascmp import framing, terms
from biascmp.actors import normalise_actors, propose_in_text
from biascmp.lexicons import LexiconError, load_lexicon, parse_lexicon
from biascmp.prepare import prepare_article
from biascmp.records import Options
from biascmp.tokens import tokenize_article

OPTS = Options()


def _art(text: str):
    a = prepare_article("t", text)
    tokenize_article(a)
    return a


def test_known_frames():
    r = framing.measure(_art("Police arrested two suspects after the shooting. The budget for the program "
                             "was cut by lawmakers."), options=OPTS).article
    assert r["frame_crime_and_punishment"] > 0 and r["frame_economic"] > 0
    assert r["frame_primary"] == "crime_and_punishment"
    assert sum(r[f"frame_{d}"] for d in framing.DIMENSIONS) == pytest.approx(1.0)


def test_no_cue_gives_all_zero_shares_and_none():
    r = framing.measure(_art("The blue chair stood by the window."), options=OPTS).article
    assert all(r[f"frame_{d}"] == 0 for d in framing.DIMENSIONS)
    assert r["frame_primary"] == "none" and math.isnan(r["frame_entropy"])


def test_responsibility_needs_an_agent():
    no_agent = framing.measure(_art("Something must change soon."), options=OPTS).article
    agent = framing.measure(_art("The city must change its policy soon."), options=OPTS).article
    assert no_agent["gframe_responsibility"] == 0 and agent["gframe_responsibility"] > 0


NEUTRAL = ["The blue chair stood by the window.", "A green lamp was on the table.", "It rained in the morning."]
CUED = ["Police arrested the suspect.", "The governor blamed lawmakers for the budget.",
        "Protesters clashed with officers downtown.", "The family mourned their son at a vigil.",
        "The court ruled the law unconstitutional."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CUED + NEUTRAL), min_size=1, max_size=8), st.sampled_from(NEUTRAL))
def test_adding_a_no_cue_sentence_never_raises_a_rate(sentences, extra):
    before = framing.measure(_art(" ".join(sentences)), options=OPTS).article
    after = framing.measure(_art(" ".join(sentences + [extra])), options=OPTS).article
    for g in framing.GENERIC:
        assert after[f"gframe_{g}"] <= before[f"gframe_{g}"] + 1e-12
    total = sum(before[f"frame_{d}"] for d in framing.DIMENSIONS)
    assert total == pytest.approx(1.0) or total == 0


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["illegal aliens", "Illegal  Aliens", "ILLEGAL ALIENS", "illegal\naliens", "Illegal alien"]))
def test_case_and_whitespace_variants_match(variant):
    lex = load_lexicon("terms")
    hits = lex.find(f"He spoke about {variant} today.")
    assert [h.category for h in hits] == ["immigrants_restrictive"]
    assert hits[0].text == variant


def test_no_match_inside_words_or_hyphenated_compounds():
    lex = load_lexicon("policy_frames")
    assert [m.text for m in lex.find("antitax views, taxes")] == ["taxes"]  # not inside "antitax"
    assert not lex.find("non-police")  # "police" after a hyphen is part of another word


def test_evidence_slices_exactly_and_reproduces_article_numbers(seed_analysis):
    res = seed_analysis
    sents = res.sentences.set_index(["article_id", "sentence_index"])["text"]
    ev = res.evidence
    assert len(ev)
    for r in ev.itertuples():
        assert sents[(r.article_id, r.sentence_index)][r.start:r.end] == r.term
    arts = res.articles.set_index("article_id")
    fr = ev[ev["category"].str.startswith("frame:")]
    for aid, row in arts.iterrows():
        w = fr[fr["article_id"] == aid].groupby("category")["weight"].sum()
        tot = w.sum()
        for d in framing.DIMENSIONS:
            assert row[f"frame_{d}"] == pytest.approx(w.get(f"frame:{d}", 0.0) / tot if tot else 0.0)
        g = ev[(ev["article_id"] == aid) & ev["category"].str.startswith("gframe:")].groupby("category")["weight"].sum()
        for name in framing.GENERIC:
            assert row[f"gframe_{name}"] == pytest.approx(100 * g.get(f"gframe:{name}", 0.0) / row["n_words"])
        # term slant from the terms evidence (narrator only)
        t = ev[(ev["article_id"] == aid) & (ev["family"] == "terms") & ~ev["in_quote"]]
        for pair, (a, b) in terms.pairs_of(load_lexicon("terms")).items():
            na, nb = (t["category"] == a).sum(), (t["category"] == b).sum()
            exp = (na - nb) / (na + nb) if na + nb else np.nan
            assert row[f"term_slant_{pair}"] == pytest.approx(exp, nan_ok=True)


def test_seed_003_illegal_aliens_is_quoted_restrictive_usage(seed_analysis):
    t = seed_analysis.tables["terms"]
    arts = seed_analysis.articles
    aid = arts.loc[arts["outlet"] == "Chronicle Media", "article_id"].item()
    row = t[(t["article_id"] == aid) & (t["variant"] == "illegal aliens")]
    assert len(row) == 1
    assert row["side"].item() == "immigrants_restrictive"
    assert row["count_quoted"].item() >= 1 and row["count_narrator"].item() == 0


def test_term_profile_per_outlet(seed_analysis):
    prof = terms.term_profile(seed_analysis)
    assert {"outlet", "pair", "side", "count_narrator", "count_quoted", "narrator_share_in_pair"} <= set(prof.columns)
    assert (prof["count"] == prof["count_narrator"] + prof["count_quoted"]).all()


def test_actors_proposed_from_title_cues():
    text = ("Mayor Lori Lightfoot said the city would not cooperate. President Donald Trump threatened to send "
            "troops. Gov. J.B. Pritzker objected, and police said ICE agents were not in the city. Lightfoot "
            "spoke again later.")
    names = dict(propose_in_text(text))
    assert {"Lightfoot", "Trump", "Pritzker", "Police", "ICE"} <= set(names)
    assert "the president" in names["Trump"]


def test_actor_table_sentiment_is_mean_of_mentioning_sentences():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    text = ("Mayor Jane Doe praised the wonderful new park. Critics said Doe was a disaster. "
            "The weather was mild.")
    res = biascmp.analyze(pd.DataFrame({"outlet": ["X"], "text": [text]}), actors={"Doe": ["Doe", "Jane Doe"]})
    row = res.tables["actors"].set_index("actor").loc["Doe"]
    sents = [s for s in res.sentences["text"] if "Doe" in s]
    assert row["mentions"] == 2 and row["sentences"] == 2
    assert row["sentiment"] == pytest.approx(np.mean([sia.polarity_scores(s)["compound"] for s in sents]))


def test_normalise_actors_from_dict_yaml_and_csv(tmp_path):
    assert normalise_actors({"Trump": ["President Trump"]}) == (("Trump", ("Trump", "President Trump")),)
    y = tmp_path / "a.yaml"
    y.write_text("Trump: [Trump, the president]\nLightfoot: Lori Lightfoot\n", encoding="utf-8")
    assert dict(normalise_actors(y))["Lightfoot"] == ("Lightfoot", "Lori Lightfoot")
    c = tmp_path / "a.csv"
    c.write_text("actor,alias\nTrump,the president\n", encoding="utf-8")
    assert normalise_actors(c) == (("Trump", ("Trump", "the president")),)
    bad = tmp_path / "b.csv"
    bad.write_text("name,x\n", encoding="utf-8")
    with pytest.raises(biascmp._validation.InputError, match="actor.*alias"):
        normalise_actors(bad)


def test_lexicons_ship_with_provenance_and_license():
    for name in ("policy_frames", "generic_frames", "terms", "loaded", "attribution_verbs"):
        lex = load_lexicon(name)
        assert lex.version and lex.provenance and "MIT" in lex.license and len(lex) > 20


def test_malformed_lexicon_names_file_and_line(tmp_path):
    head = "# name: x\n# version: 1\n# provenance: test\n# license: MIT\n# categories: a, b\nterm,category,weight\n"
    with pytest.raises(LexiconError, match=r"line 8: unknown category 'c'"):
        parse_lexicon(head + "foo,a,1\nbar,c,1\n", source="my.csv")
    with pytest.raises(LexiconError, match=r"line 7: weight 'heavy'"):
        parse_lexicon(head + "foo,a,heavy\n", source="my.csv")
    with pytest.raises(LexiconError, match="header is missing"):
        parse_lexicon("term,category\nfoo,a\n", source="my.csv")


def test_user_lexicon_replaces_builtin(tmp_path):
    f = tmp_path / "terms.csv"
    f.write_text("# name: mine\n# version: 1\n# provenance: test\n# license: MIT\n"
                 "# categories: cars_slang, cars_plain\nterm,category,weight\nwheels,cars_slang,1\n"
                 "car*,cars_plain,1\n", encoding="utf-8")
    res = biascmp.analyze(pd.DataFrame({"outlet": ["X"], "text": ["Nice wheels. My car is red. Cars are fast."]}),
                          lexicons={"terms": str(f)})
    assert res.articles["term_slant_cars"].item() == pytest.approx((1 - 2) / 3)
