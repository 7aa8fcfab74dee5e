"""biascmp.vader_fast against vaderSentiment (the oracle): identical dicts, always."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import data_file
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from biascmp.vader_fast import polarity_scores

ORACLE = SentimentIntensityAnalyzer()

TRICKY = [
    "", "   ", "!!!", "???", "but", "BUT", "kind of good", "Kind Of GREAT!!", ":) :D :(", "no", "No good",
    "not bad at all", "Not BAD at all", "never so good", "without doubt good", "at least it is good",
    "the least good", "very least good", "The book was good, but the characters are bad and the dialog is "
    "not great.", "good but good but bad", "yeah right", "the shit", "kiss of death was good",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "I 💘it", "VADER is VERY SMART, uber handsome, and "
    "FRIGGIN FUNNY!!!", "It isn't horrible", "He can't stand it, nor will he", "no or nor good",
    "sort of good", "just enough good", "cut the mustard", "ALL CAPS GOOD", "good good good good good",
    # idioms and multi-word boosters next to plain words (the idiom precheck and the shared plain entries)
    "that movie was the shit", "it is the bomb dude", "a real bad ass", "the kiss of death, sadly",
    "a view to die for", "a beating heart", "Yeah right, great.", "just enough good", "missed the bus stop",
    "the good shit", "kind of the bomb", "sort of a kiss of death", "I am just... enough good",
    # so / this after three words, never / without with and without negation
    "it is really so good", "never in this good", "not so very good", "without any doubt, good",
    "without a doubt good", "he never was so good", "no, or nor good", "no good no bad",
    # the "but" rule's list.index: equal values before and after "but"
    "good and good but good and good", "bad but bad, bad but good", "great! but GREAT but great",
    # emoji among other non-ASCII characters; non-ASCII text without emoji
    "“I ❤ it,” she said — really ©", "café’s “good” food…", "good™ stuff‼", "😁😁 good 😁",
    # contractions and ALL CAPS boosters
    "It wasn't VERY good", "He DOESN'T like it", "EXTREMELY bad but not TOO bad", "the least bit good",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_cases_match_oracle(text):
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


WORDS = ["good", "bad", "not", "no", "never", "so", "this", "very", "kind", "of", "but", "least", "at",
         "GOOD", "BAD", "Great!", "horrible.", "isn't", "without", "doubt", "nor", "or", "the", "shit",
         "😁", ":)", "sort", "extremely", "barely", "love", "hate", "ok", "?", "!", "lol", "sux",
         "kiss", "death", "to", "die", "for", "yeah", "right", "just", "enough", "bomb", "ass", "heart",
         "council", "Budget,", "“", "’s", "THE", "table"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([" ", "  ", "\n"]))
def test_random_word_sequences_match_oracle(words, sep):
    text = sep.join(words)
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_unicode_matches_oracle(text):
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


def test_token_cache_starting_over_changes_nothing(monkeypatch):
    from biascmp import vader_fast as vf

    monkeypatch.setattr(vf, "CACHE_LIMIT", 3)  # the per-token cache clears inside sentences
    vf._TOKENS.clear()
    for text in TRICKY:
        assert polarity_scores(text) == ORACLE.polarity_scores(text)
    assert len(vf._TOKENS) <= 3
    vf._TOKENS.clear()


def test_what_the_shortcuts_rely_on():
    """The facts about vaderSentiment's tables that vader_fast's shortcuts are exact under."""
    from vaderSentiment import vaderSentiment as v

    from biascmp import vader_fast as vf

    # plain words are given the text "": no idiom or booster key has an empty word
    assert all("" not in key.split(" ") for key in (*v.SPECIAL_CASES, *v.BOOSTER_DICT))
    # _negation_check's "never" / "without" tests only run for a negation word
    assert {"never", "without"} <= set(v.NEGATE)
    # the emoji precheck: no one-character emoji is ASCII
    assert all(not e.isascii() for e in vf._tables()[1] if len(e) == 1)


def test_real_sentences_sample_matches_oracle():
    path = data_file("allsides_dev.jsonl")
    from biascmp.prepare import prepare_article

    df = pd.read_json(path, lines=True).head(150)
    sents = [s.text for i, t in enumerate(df["text"]) for s in prepare_article(str(i), t).sentences]
    assert len(sents) > 3000
    assert [polarity_scores(s) for s in sents] == [ORACLE.polarity_scores(s) for s in sents]


@pytest.mark.slow
def test_over_100000_real_sentences_zero_mismatches():
    from biascmp.prepare import prepare_article

    df = pd.read_json(data_file("allsides_dev.jsonl"), lines=True)
    texts = [s.text for i, t in enumerate(df["text"]) for s in prepare_article(str(i), t).sentences]
    for name in ("vader_tweets_GroundTruth.tsv", "vader_movie_reviews_GroundTruth.tsv"):
        texts += pd.read_csv(data_file(name), sep="\t", header=None, quoting=3)[2].astype(str).tolist()
    assert len(texts) > 100_000
    mismatches = [t for t in texts if polarity_scores(t) != ORACLE.polarity_scores(t)]
    assert mismatches == []
