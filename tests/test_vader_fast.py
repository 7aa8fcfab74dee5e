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
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_cases_match_oracle(text):
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


WORDS = ["good", "bad", "not", "no", "never", "so", "this", "very", "kind", "of", "but", "least", "at",
         "GOOD", "BAD", "Great!", "horrible.", "isn't", "without", "doubt", "nor", "or", "the", "shit",
         "😁", ":)", "sort", "extremely", "barely", "love", "hate", "ok", "?", "!", "lol", "sux"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([" ", "  ", "\n"]))
def test_random_word_sequences_match_oracle(words, sep):
    text = sep.join(words)
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_unicode_matches_oracle(text):
    assert polarity_scores(text) == ORACLE.polarity_scores(text)


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
