"""The sentiment kernel equals the per-article reference (biascmp.sentiment.measure), and its sentence
scores equal vaderSentiment 3.3.2 itself (the independent oracle), with and without a name mask."""

from __future__ import annotations

import json
import math
import sys

import numpy as np
import pytest
from columnar_rs_corpus import (
    EDGE_SENTENCES,
    article,
    generated_articles,
    hand_articles,
    seed_articles,
    sentence_text,
)
from conftest import data_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biascmp import sentiment as sm
from biascmp import vader_fast as vf
from biascmp.columnar import _tokens_rs, assert_chunk_equal, reference_chunk
from biascmp.columnar import sentiment as ks
from biascmp.prepare import prepare_article
from biascmp.records import Options

OPTS = Options()
SIA = sm.analyzer()  # vaderSentiment's own SentimentIntensityAnalyzer


class MaskedSIA(type(SIA)):  # type: ignore[misc]
    """vaderSentiment with the masked words' own sentiment set to 0, every other rule unchanged."""

    mask: list[bool] = []

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):  # type: ignore[no-untyped-def]
        if self.mask[i]:
            sentiments.append(0)
            return sentiments
        return super().sentiment_valence(valence, sentitext, item, i, sentiments)


MASKED = MaskedSIA()


def vader_words(text: str) -> list[str]:
    """vaderSentiment's words_and_emoticons (emoji replaced by their descriptions first)."""
    _lex, emojis, emoji_set = vf._tables()
    if vf._has_emoji(text, emoji_set):
        text = vf._replace_emoji(text, emojis)
    return [vf._strip(w) for w in text.split()]


def check(articles) -> None:  # type: ignore[no-untyped-def]
    assert_chunk_equal(ks.measure_chunk(articles, options=OPTS),
                       reference_chunk(sm.measure, articles, options=OPTS))


def oracle_equal(texts: list[str]) -> None:
    got = ks.score_texts(texts)
    for k, t in enumerate(texts):
        want = SIA.polarity_scores(t)
        assert [got[0][k], got[1][k], got[2][k], got[3][k]] == \
            [want["compound"], want["pos"], want["neu"], want["neg"]], t


def test_seeds_equal_reference() -> None:
    arts = seed_articles()
    check(arts)
    comp = ks.measure_chunk(arts, options=OPTS).sentence["compound"]
    assert np.nanmin(comp) < -0.3 and np.nanmax(comp) > 0.3  # real scores, not a constant


def test_generated_corpus_from_seed_sentences() -> None:
    arts = generated_articles(60, seed=1)
    for k in range(0, 60, 20):
        check(arts[k:k + 20])


def test_edge_case_sentences_against_vader() -> None:
    oracle_equal(EDGE_SENTENCES)
    arts = [article([s], article_id=f"e{i}") for i, s in enumerate(EDGE_SENTENCES)]
    arts += [article(EDGE_SENTENCES, quotes=[0.0, 1.0] * (len(EDGE_SENTENCES) // 2) + [0.0] * (len(EDGE_SENTENCES) % 2)),
             article([]), article(["Headline"], kinds=["headline"]), article([""]), article(["", ""])]
    check(arts)


def test_short_text_scored_whole() -> None:
    tweet = article(["I love it.", "LOL.", ":D"], article_id="tweet")  # one paragraph, <= 280 characters
    long_ = article(["I love it."] * 40, article_id="long")
    paras = article(["I love it.", "LOL."], paragraphs=[0, 1], article_id="paras")
    got = ks.measure_chunk([tweet, long_, paras], options=OPTS).article
    assert list(got["sentiment_scope"]) == ["text", "sentences", "sentences"]
    assert got["sentiment_mean"][0] == SIA.polarity_scores("I love it. LOL. :D")["compound"]
    check([tweet, long_, paras])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence_text(), min_size=1, max_size=8))
def test_hypothesis_sentences_equal_vader(texts) -> None:  # type: ignore[no-untyped-def]
    oracle_equal(texts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hand_articles())
def test_hypothesis_hand_built_chunks(arts) -> None:  # type: ignore[no-untyped-def]
    check(arts)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(sentence_text(), min_size=1, max_size=10).map(lambda ss: " ".join(ss)),
                min_size=1, max_size=3))
def test_hypothesis_prepared_texts(texts) -> None:  # type: ignore[no-untyped-def]
    check([prepare_article(f"p{i}", t) for i, t in enumerate(texts)])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(sentence_text(), st.randoms(use_true_random=False)), min_size=1, max_size=6))
def test_mask_equals_vader_with_masked_words_zeroed(items) -> None:  # type: ignore[no-untyped-def]
    texts = [t for t, _ in items]
    masks = [[rnd.random() < 0.4 for _ in vader_words(t)] for t, rnd in items]
    flat = np.asarray([m for ms in masks for m in ms], dtype=bool)
    got = ks.score_texts(texts, mask=flat)
    for k, (t, m) in enumerate(zip(texts, masks)):
        MASKED.mask = m
        want = MASKED.polarity_scores(t)
        assert [got[0][k], got[1][k], got[2][k], got[3][k]] == \
            [want["compound"], want["pos"], want["neu"], want["neg"]], (t, m)


def test_mask_function_on_capitalised_words() -> None:
    # a mask function of the sentence's VADER words, as biascmp.names.mask_names will be
    def caps_after_first(words):  # type: ignore[no-untyped-def]
        return [k > 0 and w[:1].isupper() for k, w in enumerate(words)]

    texts = ["The Department of Homeland Security praised Great Lakes Naval Station.",
             "Liberty University said it was a great and happy day.", "No names here, just bad news!"]
    got = ks.score_texts(texts, mask=caps_after_first)
    plain = ks.score_texts(texts)
    for k, t in enumerate(texts):
        MASKED.mask = caps_after_first(t.split())
        want = MASKED.polarity_scores(t)
        assert [got[0][k], got[1][k], got[2][k], got[3][k]] == \
            [want["compound"], want["pos"], want["neu"], want["neg"]]
    assert got[0][0] != plain[0][0] and got[0][2] == plain[0][2]
    arts = [article(texts[:2], article_id="short"), article(texts * 10, article_id="long")]
    res = ks.measure_chunk(arts, options=OPTS, mask=caps_after_first)
    assert res.article["sentiment_scope"][0] == "text"
    MASKED.mask = [b for t in texts[:2] for b in caps_after_first(t.split())]
    assert res.article["sentiment_mean"][0] == MASKED.polarity_scores(" ".join(texts[:2]))["compound"]
    with pytest.raises(ValueError, match="one per word"):
        ks.score_texts(texts, mask=lambda words: [True])


def test_rules_that_run_in_python_are_counted_and_exact() -> None:
    lex = vf.lexicon()
    # a value equal to half an earlier one before "but": list.index finds the earlier one
    half = next((a, b) for a, va in lex.items() for b, vb in lex.items()
                if a.isalpha() and b.isalpha() and a not in vf._BOOSTER and b not in vf._BOOSTER
                and va > 0 and vb == va * 0.5)
    texts = [f"{half[0]} and {half[1]} but fine", "It was the bomb, kind of, man", "I cut the mustard",
             "He is the shit!", "kiss of death for them", "This is to die for"]
    before = dict(ks.STATS)
    oracle_equal(texts)
    assert ks.STATS["but_sentences_python"] > before["but_sentences_python"]
    assert ks.STATS["idiom_words"] > before["idiom_words"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(-2, 2, allow_nan=False), st.integers(-20000, 20000).map(lambda k: (k + 0.5) / 1000),
                 st.integers(-20000, 20000).map(lambda k: (k + 0.5) / 10000)))
def test_round_like_python(x: float) -> None:
    for digits in (3, 4):
        assert ks._py_round(np.asarray([x]), digits)[0] == round(x, digits)


def _neumaier(xs: list[float]) -> float:
    # CPython 3.12's float sum (Objects/bltinmodule.c), written out
    f, c = 0.0, 0.0
    for k, x in enumerate(xs):
        if k == 0:
            f = 0 + x
            continue
        t = f + x
        c += (f - t) + x if abs(f) >= abs(x) else (x - t) + f
        f = t
    return f + c if c and math.isfinite(c) else f


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=12), min_size=1, max_size=6))
def test_group_sums_like_python(groups) -> None:  # type: ignore[no-untyped-def]
    g = np.repeat(np.arange(len(groups)), [len(x) for x in groups])
    vals = np.asarray([x for xs in groups for x in xs])
    old = ks._COMPENSATED_SUM
    try:
        ks._COMPENSATED_SUM = False
        plain = ks._group_sum(g, vals, len(groups))
        ks._COMPENSATED_SUM = True
        comp = ks._group_sum(g, vals, len(groups))
    finally:
        ks._COMPENSATED_SUM = old
    for k, xs in enumerate(groups):
        seq = 0.0
        for x in xs:
            seq += x
        assert plain[k] == seq
        assert comp[k] == _neumaier(xs)
        if sys.version_info >= (3, 12):
            assert comp[k] == sum(xs)
        else:
            assert plain[k] == sum(xs)


def test_chunking_and_shared_tokens_do_not_change_results() -> None:
    arts = generated_articles(10, seed=9)
    whole = ks.measure_chunk(arts, options=OPTS)
    pc = _tokens_rs.prose_chunk(arts)
    shared = ks.measure_chunk(arts, options=OPTS, chunk=pc)
    assert_chunk_equal(shared, whole, rtol=0)
    for k, a in enumerate(arts):
        one = ks.measure_chunk([a], options=OPTS).article
        for col, vals in whole.article.items():
            x, y = one[col][0], vals[k]
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), col


def test_vocabulary_starting_over_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tokens_rs, "VOCAB_LIMIT", 50)
    arts = generated_articles(20, seed=11)
    arts[3].sentences[1].text = "I 😀 this 😡 so much!"  # an emoji sentence is tokenised again
    for k in range(0, 20, 5):
        check(arts[k:k + 5])


def test_allsides_dev_300_articles() -> None:
    path = data_file("allsides_dev.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(300), f)]
    arts = [prepare_article(r["id"], r["text"]) for r in rows]
    arts = [a for a in arts if a.meta.get("status", "ok") == "ok"]
    assert len(arts) > 250
    for k in range(0, len(arts), 100):
        check(arts[k:k + 100])


def test_threads_share_the_vocabulary_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    # Dask's threaded scheduler may run chunks at once: the vocabulary grows and starts over (tiny limit)
    # under other chunks' feet; every result must still equal the reference
    from concurrent.futures import ThreadPoolExecutor

    from biascmp import readability as rd
    from biascmp.columnar import readability as kr

    monkeypatch.setattr(_tokens_rs, "VOCAB_LIMIT", 100)
    arts = generated_articles(48, seed=13)
    chunks = [arts[k:k + 4] for k in range(0, 48, 4)]
    want = [(reference_chunk(rd.measure, c, options=OPTS), reference_chunk(sm.measure, c, options=OPTS))
            for c in chunks]

    def run(c):  # type: ignore[no-untyped-def]
        return kr.measure_chunk(c, options=OPTS), ks.measure_chunk(c, options=OPTS)

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(run, chunks * 3))
    for k, (g_rd, g_sm) in enumerate(got):
        assert_chunk_equal(g_rd, want[k % len(chunks)][0])
        assert_chunk_equal(g_sm, want[k % len(chunks)][1])


def test_vader_fast_tricky_cases_against_vader() -> None:
    from test_vader_fast import TRICKY

    oracle_equal(list(TRICKY))


@pytest.mark.slow
def test_over_100000_real_texts_zero_mismatches_with_vader() -> None:
    # the oracle study of tests/test_vader_fast.py, run through the kernel in chunks of 2,000 texts
    import pandas as pd

    df = pd.read_json(data_file("allsides_dev.jsonl"), lines=True)
    texts = [s.text for i, t in enumerate(df["text"]) for s in prepare_article(str(i), t).sentences]
    for name in ("vader_tweets_GroundTruth.tsv", "vader_movie_reviews_GroundTruth.tsv"):
        texts += pd.read_csv(data_file(name), sep="\t", header=None, quoting=3)[2].astype(str).tolist()
    assert len(texts) > 100_000
    mismatches = []
    for k in range(0, len(texts), 2000):
        part = texts[k:k + 2000]
        got = ks.score_texts(part)
        for j, t in enumerate(part):
            want = SIA.polarity_scores(t)
            if [got[0][j], got[1][j], got[2][j], got[3][j]] != \
                    [want["compound"], want["pos"], want["neu"], want["neg"]]:
                mismatches.append(t)
    assert mismatches == []


def test_masked_evidence_rows_name_article_and_sentence() -> None:
    from biascmp.records import Evidence

    def caps_after_first(words):  # type: ignore[no-untyped-def]
        return [k > 0 and w[:1].isupper() for k, w in enumerate(words)]

    seen: list[tuple[int, str, bool]] = []

    def evidence(i: int, text: str, quoted: bool) -> list[Evidence]:
        # an independent re-statement: one row per masked word that has a VADER valence
        seen.append((i, text, quoted))
        words = [vf._strip(w) for w in text.split()]
        return [Evidence(i, 0, len(w), "sentiment", "masked_name", w, vf.lexicon()[w.lower()], quoted)
                for w, m in zip(words, caps_after_first(words)) if m and w.lower() in vf.lexicon()]

    a = article(["A Headline", "Officials praised Great Lakes Naval Station.", "Nothing to see.",
                 'He said "Liberty University is Great," today.'], kinds=["headline", "prose", "prose", "prose"],
                quotes=[0.0, 0.0, 0.0, 0.9], article_id="m1")
    b = article(["Plain words only."], article_id="m2")
    res = ks.measure_chunk([b, a], options=OPTS, mask=caps_after_first, masked_evidence=evidence)
    assert [(i, q) for i, _t, q in seen] == [(1, False), (3, True)]  # only sentences with a masked word
    ev = res.evidence
    assert set(ev["article_id"]) == {"m1"}
    assert sorted(ev["term"]) == ["Great", "Great", "Liberty"]
    assert ev.loc[ev["term"] == "Liberty", "sentence_index"].tolist() == [3]
    assert ev.loc[ev["term"] == "Liberty", "in_quote"].tolist() == [True]
    assert ev.loc[ev["term"] == "Liberty", "weight"].tolist() == [vf.lexicon()["liberty"]]


NAME_VOCAB = ["Great", "great", "Lakes", "Security", "United", "States", "of", "the", "of", "the", "Of", "The",
              "Department", "Department,", "(New", "York),", '"Great', "“Justice", "Justice", "F.", "J.B.", "U.S.",
              "I", "I'm", "GOOD", "Hope", "Hicks", "Hope", "Damn", "Damn", "Émile", "Zola", "ÉTAT", "_Lake",
              "--", "x", "a", "42", "Dept.", "Liberty", "University", "van", "Blah"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAME_VOCAB), max_size=9), min_size=1, max_size=6))
def test_array_name_mask_equals_the_rule(sents) -> None:  # type: ignore[no-untyped-def]
    # the array form of biascmp.names over a chunk of texts = mask_names on each text's VADER words
    from biascmp.names import mask_names

    texts = [" ".join(ws) for ws in sents]
    expected = [m for t in texts for m in mask_names(vf.words(t))]
    got = ks.name_mask_tokens(_tokens_rs.tokenise(texts))
    assert got.tolist() == expected
