"""Names do not carry sentiment: the masking rule (a table of cases), masked VADER against vaderSentiment as
the oracle, evidence rows and the actors' own-name rule."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import biascmp
from biascmp.names import mask_names
from biascmp.prepare import prepare_article
from biascmp.records import Options
from biascmp.sentiment import measure
from biascmp.vader_fast import polarity_scores, word_spans, words


def masked(text: str) -> list[str]:
    w = words(text)
    return [x for x, m in zip(w, mask_names(w)) if m]


# (sentence, the words the rule masks), written by hand from the rule in biascmp/names.py
CASES = [
    ("The memo from the Department of Homeland Security requested use of the Naval Station Great Lakes.",
     ["Department", "Homeland", "Security", "Naval", "Station", "Great", "Lakes"]),
    ("Officials of the United States met on Monday.", ["United", "States"]),
    ("The Justice Department sued.", ["Justice", "Department"]),
    ("He spoke at Liberty University on Friday.", ["Liberty", "University"]),
    ("Bank of the West and Alexander the Great are names.", ["West", "Alexander", "Great"]),  # "Bank" starts
    ("United States officials said so.", ["States"]),  # sentence start kept, still a member
    ("Great news for the city.", []),  # "Great" opens the sentence
    ("Great Lakes Naval Station opened.", ["Lakes", "Naval", "Station"]),
    ("This is GREAT NEWS for all of us.", []),  # ALL CAPS is shouting, not a name
    ("Yesterday I Love you said the song.", []),  # "I" is never name-like: "Love" stands alone
    ("Then I said it was great.", []),
    ("The plan is good and Trump said so.", []),  # a one-word name is not masked
    ("It was written by John F. Kennedy of the U.S. Army.", ["John", "F.", "Kennedy", "U.S", "Army"]),
    ("Damn it Braves, Damn Damn Damn!", []),  # one word repeated is emphasis, and joins no name
    ("Blah Blah Blah, said the Walla Walla Times.", []),  # the price: "Walla Walla" is no name either
    ("They love the Great idea.", []),  # a lone capital word
    ('He said "Good Morning America" was fun.', ["Good", "Morning", "America"]),
    ("", []),
    ("“Great work,” she said.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_mask_table(text, expected):
    assert masked(text) == expected


def test_dhs_memo_loses_its_false_positivity():
    text = ("Mediaite obtained a memo from the Department of Homeland Security requesting use of the Naval "
            "Station Great Lakes in Illinois.")
    assert SentimentIntensityAnalyzer().polarity_scores(text)["compound"] > 0.7  # what VADER alone says
    assert polarity_scores(text, mask_names(words(text)))["compound"] == 0.0


class _MaskedVader(SentimentIntensityAnalyzer):
    """vaderSentiment itself, with the sentiment of the masked word positions set to 0 (the oracle)."""

    mask: list[bool] = []

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):
        if self.mask[i]:
            sentiments.append(0)
            return sentiments
        return super().sentiment_valence(valence, sentitext, item, i, sentiments)


ORACLE = _MaskedVader()
VOCAB = ["Great", "great", "Lakes", "Security", "United", "States", "of", "the", "not", "very", "no", "but",
         "Love", "love", "GOOD", "good", "I", "bad", "Kind", "kind", "of", "never", "so", "Justice", "!", "?",
         "Liberty", "University", "hate", "Hope", "Hicks", ":)", "\U0001f600", "sort", "of", "least", "at"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=14), st.data())
def test_masked_vader_equals_vader_with_masked_sentiments(ws, data):
    text = " ".join(ws)
    n = len(words(text))
    for mask in (mask_names(words(text)), data.draw(st.lists(st.booleans(), min_size=n, max_size=n))):
        ORACLE.mask = mask
        assert polarity_scores(text, mask) == ORACLE.polarity_scores(text)


def test_no_mask_is_vader_and_bad_mask_is_an_error():
    text = "The United States is a great country :)"
    assert polarity_scores(text, [False] * len(words(text))) == SentimentIntensityAnalyzer().polarity_scores(text)
    with pytest.raises(ValueError, match="mask has 2 entries"):
        polarity_scores(text, [True, False])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCAB + ["a\U0001f600b", "(x)", "--", "U.S.", "Trump's"]), max_size=12),
       st.sampled_from([" ", "  ", "\n", "\t "]))
def test_word_spans_align_with_words(ws, sep):
    text = sep.join(ws)
    spans = word_spans(text)
    assert [w for w, _, _ in spans] == words(text)
    for w, a, b in spans:
        assert 0 <= a < b <= len(text)
        # the word itself, or (a word of an emoji's description) the whole token holding the emoji
        assert w in text[a:b] or (not text[a:b].isascii() and text[a:b] == text[a:b].strip())


def test_masked_words_are_evidence_rows():
    text = ("The memo came from the Department of Homeland Security. It asked for the Naval Station Great "
            "Lakes. The plan is good.")
    art = prepare_article("t", text)
    res = measure(art, options=Options())
    rows = [(e.sentence_index, e.term, e.weight) for e in res.evidence]
    lex = SentimentIntensityAnalyzer().lexicon
    assert rows == [(0, "Security", lex["security"]), (1, "Great", lex["great"])]
    for e in res.evidence:
        assert e.family == "sentiment" and e.category == "masked_name"
        assert art.sentences[e.sentence_index].text[e.start:e.end] == e.term
    # the masked sentences score 0, the last one as VADER does
    assert res.sentence["compound"][:2] == [0.0, 0.0]
    assert res.sentence["compound"][2] == SentimentIntensityAnalyzer().polarity_scores("The plan is good.")["compound"]


def test_evidence_table_carries_masked_names():
    res = biascmp.analyze(pd.DataFrame({"outlet": ["x"], "text": [
        "Students at Liberty University protested on Monday.\n\nThe Justice Department said nothing."]}))
    ev = res.evidence[res.evidence["category"] == "masked_name"]
    assert list(ev["term"]) == ["Liberty", "Justice"] and set(ev["family"]) == {"sentiment"}


def test_short_text_masks_sentence_by_sentence():
    # joined whole, "Great" opens the second sentence: it stays a sentence start and keeps its valence
    res = biascmp.analyze(pd.DataFrame({"outlet": ["x"], "text": ["We went to the Great Lakes. Great day."]}))
    a = res.articles.iloc[0]
    assert a["sentiment_scope"] == "text"
    text = "We went to the Great Lakes. Great day."
    mask = [False] * 4 + [True, True] + [False, False]
    ORACLE.mask = mask
    assert a["sentiment_mean"] == ORACLE.polarity_scores(text)["compound"] > 0


def test_actor_own_name_never_scores_that_actor():
    text = ("Hope Hicks spoke on Monday.\n\nThe hearing was long. Liberty was cited by the lawyers on Tuesday.")
    res = biascmp.analyze(pd.DataFrame({"outlet": ["x"], "text": [text]}),
                          actors={"Hicks": ["Hope Hicks", "Hicks"], "Liberty": ["Liberty"]})
    actors = res.tables["actors"].set_index("actor")
    # "Hope" opens the sentence (not masked by the name rule), so the sentence itself scores positive ...
    sents = res.sentences.set_index("sentence_index")
    assert sents.loc[0, "compound"] > 0
    # ... but not for Hicks, whose own name it is; nor "Liberty" for Liberty
    assert actors.loc["Hicks", "sentiment"] == 0.0
    assert actors.loc["Liberty", "sentiment"] == 0.0


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB + ["_Great", "Émile", "Zola", "ÉTAT", "“Justice", "Department,", "of", "the",
                                         "F.", "(New", "York)", "Ⅻ", "van", "I'm", "x"]), max_size=10))
def test_quick_precheck_never_hides_a_name(ws):
    # the regex precheck in mask_names only skips work: the rule without it gives the same mask
    import biascmp.names as names

    words_ = words(" ".join(ws))
    fast = mask_names(words_)
    saved = names._MAYBE_NAME
    try:
        names._MAYBE_NAME = re.compile("")  # matches everything: the full rule always runs
        assert mask_names(words_) == fast
    finally:
        names._MAYBE_NAME = saved


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB + ['"Great', "(New", "York),", "of,", "the", "Of", "_Lake", "U.S.", "--",
                                         "States.", "Dept.", "x", "I'm"]), max_size=10),
       st.sampled_from([" ", "  ", "\n", " \t"]))
def test_sentence_mask_quick_path_matches_the_rule(ws, sep):
    from biascmp.sentiment import name_mask

    text = sep.join(ws)
    full = mask_names(words(text))
    assert name_mask(text) == (tuple(full) if any(full) else ())
