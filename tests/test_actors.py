"""Actors: aliases from dict/YAML/CSV, proposals from title cues, actor-directed sentiment, evidence."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import biascmp
from biascmp._validation import InputError
from biascmp.actors import normalise_actors, propose_actors, propose_in_text

SIA = SentimentIntensityAnalyzer()  # the reference implementation, independent of biascmp's scorer


def _analyze(text: str, **kw):
    return biascmp.analyze(pd.DataFrame({"outlet": ["X"], "text": [text]}), **kw)


def test_actors_proposed_from_title_cues():
    text = ("Mayor Lori Lightfoot said the city would not cooperate. President Donald Trump's aides threatened to "
            "send troops. Gov. J.B. Pritzker objected, and police said ICE agents were not in the city. Sen. Dick "
            "Durbin and Supt. Eddie Johnson spoke later. Lightfoot spoke again.")
    names = dict(propose_in_text(text))
    assert {"Lightfoot", "Trump", "Pritzker", "Durbin", "Johnson", "Police", "ICE"} <= set(names)
    assert "the president" in names["Trump"] and "Lori Lightfoot" in names["Lightfoot"]
    assert "Trump's" not in names and not any("'s" in a for a in names["Trump"])


def test_seed_actors_without_a_list(seed_analysis):
    t = seed_analysis.tables["actors"]
    assert {"Lightfoot", "Trump", "Police", "ICE", "Pritzker", "Johnson"} <= set(t["actor"])
    assert (t["source"] == "proposed").all()
    assert (seed_analysis.articles["n_actors"] == t.groupby("article_id").size()
            .reindex(seed_analysis.articles["article_id"]).to_numpy()).all()


def test_sentiment_is_the_mean_over_mentioning_sentences():
    text = ("Mayor Jane Doe praised the wonderful new park. Critics said Doe was a disaster. "
            "The weather was mild.")
    res = _analyze(text, actors={"Doe": ["Doe", "Jane Doe"]})
    row = res.tables["actors"].set_index("actor").loc["Doe"]
    sents = [s for s in res.sentences["text"] if "Doe" in s]
    assert row["mentions"] == 2 and row["sentences"] == 2
    assert row["sentiment"] == pytest.approx(np.mean([SIA.polarity_scores(s)["compound"] for s in sents]))
    assert row["source"] == "given"


def test_narrator_sentiment_leaves_quoted_sentences_out_and_speakers_count():
    text = ('"Doe is a wonderful, brilliant leader," a supporter said. Doe cut the budget. '
            '"We will fight for every family," Doe said. The weather was mild.')
    res = _analyze(text, actors={"Doe": ["Doe"]})
    row = res.tables["actors"].set_index("actor").loc["Doe"]
    s = res.sentences[res.sentences["kind"] == "prose"]
    mention = s[s["text"].str.contains("Doe")]
    narr = mention[mention["in_quote"] < 0.5]
    assert len(narr) >= 1 and len(narr) < len(mention)
    assert row["sentiment_narrator"] == pytest.approx(np.mean([SIA.polarity_scores(x)["compound"]
                                                               for x in narr["text"]]))
    spoken = (mention["speaker"].fillna("") == "Doe").sum()
    assert spoken >= 1
    assert row["speaker_share"] == pytest.approx(spoken / row["sentences"])
    assert row["speaker_share"] + row["subject_share"] == pytest.approx(1.0)


def test_alias_case_rules_and_evidence():
    text = "The President met ICE officials. They put ice on the ice rink. Police, and the police chief, came."
    res = _analyze(text, actors={"Trump": ["the president"], "ICE": ["ICE"], "Police": ["police"]})
    t = res.tables["actors"].set_index("actor")
    assert t.loc["Trump", "mentions"] == 1  # lower-case alias: any case
    assert t.loc["ICE", "mentions"] == 1  # upper-case alias: as written, not "ice"
    assert t.loc["Police", "mentions"] == 2
    ev = res.evidence[res.evidence["family"] == "actors"]
    sents = res.sentences.set_index(["article_id", "sentence_index"])["text"]
    for r in ev.itertuples():
        assert sents[(r.article_id, r.sentence_index)][r.start:r.end] == r.term
    counts = ev.groupby("category").size()
    for actor, row in t.iterrows():
        assert counts[f"actor:{actor}"] == row["mentions"]
        e = ev[ev["category"] == f"actor:{actor}"]
        assert e["in_quote"].sum() == row["mentions_quoted"]


def test_no_match_inside_other_words():
    res = _analyze("The policeman and the police-state critics met Trumpet players.",
                   actors={"Police": ["police"], "Trump": ["Trump"]})
    assert len(res.tables.get("actors", [])) == 0 or res.tables["actors"]["mentions"].sum() == 0


def test_normalise_actors_from_dict_list_yaml_and_csv(tmp_path):
    assert normalise_actors({"Trump": ["President Trump"]}) == (("Trump", ("Trump", "President Trump")),)
    assert normalise_actors(["ICE", "FBI"]) == (("FBI", ("FBI",)), ("ICE", ("ICE",)))
    y = tmp_path / "a.yaml"
    y.write_text("Trump: [Trump, the president]\nLightfoot: Lori Lightfoot\n", encoding="utf-8")
    assert dict(normalise_actors(y))["Lightfoot"] == ("Lightfoot", "Lori Lightfoot")
    assert dict(normalise_actors(str(y)))["Trump"] == ("Trump", "the president")
    c = tmp_path / "a.csv"
    c.write_text("actor,alias\nTrump,the president\nTrump,Donald Trump\n", encoding="utf-8")
    assert normalise_actors(c) == (("Trump", ("Trump", "the president", "Donald Trump")),)
    bad = tmp_path / "b.csv"
    bad.write_text("name,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="actor.*alias"):
        normalise_actors(bad)
    with pytest.raises(InputError, match="does not exist"):
        normalise_actors(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="aliases for actor 'X'"):
        normalise_actors({"X": 3})
    bad_yaml = tmp_path / "c.yaml"
    bad_yaml.write_text("just a string\n", encoding="utf-8")
    with pytest.raises(InputError, match="c.yaml"):
        normalise_actors(bad_yaml)


def test_analyze_accepts_an_actors_file(tmp_path):
    y = tmp_path / "actors.yaml"
    y.write_text("Doe: [Jane Doe]\n", encoding="utf-8")
    res = _analyze("Jane Doe spoke. Doe left.", actors=str(y))
    assert res.tables["actors"].set_index("actor").loc["Doe", "mentions"] == 2


def test_propose_actors_over_a_corpus():
    df = pd.DataFrame({"text": ["Mayor Lori Lightfoot spoke.", "Lightfoot and Gov. J.B. Pritzker met police.",
                                "Mayor Lori Lightfoot left."]})
    p = propose_actors(df)
    top = p.set_index("actor")
    assert top.loc["Lightfoot", "articles"] == 2 and p["actor"].iloc[0] == "Lightfoot"
    assert not math.isnan(top.loc["Pritzker", "articles"])
