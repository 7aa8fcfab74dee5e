"""The readability kernel equals the per-article reference (biascmp.readability.measure) on every input.

The reference itself is tested against textstat 0.7.13 (tests/test_readability.py); here the kernel is
compared with it: whole chunk results (assert_chunk_equal, floats within 1e-12), the counts and formulas
before the short-text guard (against readability.readability on the joined prose), textstat's sentence
rule (against readability._ts_sentence_count), MTLD compiled and in Python (against readability.mtld).
"""

from __future__ import annotations

import json
import math

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

from biascmp import readability as rd
from biascmp.columnar import _jit_rs, _tokens_rs, assert_chunk_equal, reference_chunk
from biascmp.columnar import readability as kr
from biascmp.prepare import prepare_article
from biascmp.records import Options

OPTS = Options()


def check(articles) -> None:  # type: ignore[no-untyped-def]
    want = reference_chunk(rd.measure, articles, options=OPTS)
    ref_words = [a.shared.pop("n_words") for a in articles]
    got = kr.measure_chunk(articles, options=OPTS)
    assert_chunk_equal(got, want)
    assert [a.shared["n_words"] for a in articles] == ref_words
    assert got.article["n_words"].dtype == np.int64


@pytest.fixture(scope="module")
def textstat_offline():  # type: ignore[no-untyped-def]
    textstat = pytest.importorskip("textstat")
    from biascmp.textstat_offline import install

    install()
    return textstat


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("abcdefghij klmnop.!?',-\"’AEIOU")), max_size=80),
                min_size=1, max_size=6))
def test_formulas_agree_with_textstat(textstat_offline, sentences) -> None:  # type: ignore[no-untyped-def]
    # the independent computation: textstat 0.7.13 itself on the joined prose (texts unique per call:
    # textstat caches per text)
    text = " ".join(sentences)
    f = kr.formulas(kr.counts(_tokens_rs.prose_chunk([article(sentences)])))
    for name in rd.FORMULAS:
        want = (textstat_offline.text_standard(text, float_output=True) if name == "consensus_grade"
                else getattr(textstat_offline, name)(text))
        assert f[name][0] == pytest.approx(want, abs=1e-9), name
    assert kr.counts(_tokens_rs.prose_chunk([article(sentences)]))["n_words"][0] == \
        textstat_offline.lexicon_count(text)


def test_known_values_by_hand() -> None:
    # 2 sentences, 10 words; syllables (CMU): the1 cat1 sat1 on1 the1 mat1 / dogs1 run1 very2 quickly2 = 12
    a = article(["The cat sat on the mat.", "Dogs run very quickly."])
    c = kr.counts(_tokens_rs.prose_chunk([a]))
    assert (c["n_words"][0], c["n_syll"][0], c["n_sent"][0], c["n_letters"][0], c["n_chars"][0]) == \
        (10, 12, 2, 35, 37)
    f = kr.formulas(c)
    assert f["flesch_reading_ease"][0] == pytest.approx(206.835 - 1.015 * 5 - 84.6 * 1.2)
    assert f["coleman_liau_index"][0] == pytest.approx(0.058 * 350 - 0.296 * 20 - 15.8)


def test_seeds_equal_reference() -> None:
    arts = seed_articles()
    check(arts)
    # and the values are real: the seeds are full news articles
    got = kr.measure_chunk(arts, options=OPTS)
    assert (got.article["n_words"] > 200).all()
    assert np.isfinite(got.article["flesch_reading_ease"]).all()


def test_generated_corpus_from_seed_sentences() -> None:
    arts = generated_articles(60)
    for k in range(0, 60, 20):
        check(arts[k:k + 20])


def test_edge_case_sentences() -> None:
    arts = [article([s], article_id=f"e{i}") for i, s in enumerate(EDGE_SENTENCES)]
    arts.append(article(EDGE_SENTENCES, article_id="all"))
    arts.append(article(EDGE_SENTENCES * 3, article_id="long"))  # past MIN_WORDS: every formula runs
    arts.append(article([], article_id="none"))
    arts.append(article(["A headline", "By Someone"], kinds=["headline", "byline"], article_id="noprose"))
    arts.append(article([""], article_id="one-empty"))
    arts.append(article(["", ""], article_id="two-empty"))
    check(arts)
    got = kr.measure_chunk(arts, options=OPTS).article
    assert np.isfinite(got["flesch_reading_ease"][-5])  # the long one
    assert math.isnan(got["mean_sentence_length"][-4])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hand_articles())
def test_hypothesis_hand_built_chunks(arts) -> None:  # type: ignore[no-untyped-def]
    check(arts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(sentence_text(), min_size=1, max_size=12).map(lambda ss: "\n\n".join(ss)),
                min_size=1, max_size=3))
def test_hypothesis_prepared_texts(texts) -> None:  # type: ignore[no-untyped-def]
    arts = [prepare_article(f"p{i}", t) for i, t in enumerate(texts)]
    check(arts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence_text(), min_size=0, max_size=20))
def test_counts_and_formulas_equal_readability_of_the_joined_prose(sentences) -> None:  # type: ignore[no-untyped-def]
    # no short-text guard here: every formula and count, also for 1-word texts
    a = article(sentences)
    pc = _tokens_rs.prose_chunk([a])
    c = kr.counts(pc)
    f = kr.formulas(c)
    text = " ".join(sentences)
    want = rd.readability(text)
    assert c["n_sent"][0] == rd._ts_sentence_count(text)
    raw = text.split()
    assert c["lw_sent"][0] == rd._ts_sentence_count(" ".join(raw[:c["lw_tokens"][0]]))
    assert c["n_words"][0] == want["_n_words"]
    assert c["n_syll"][0] == want["_n_syllables"]
    for key in rd.FORMULAS:
        assert f[key][0] == pytest.approx(want[key], rel=1e-12, abs=1e-12), key
    entries = [rd._TOKENS[t] for t in raw]
    assert f["linsear_write"][0] == pytest.approx(rd._linsear_write(raw, entries), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("text", [
    "", " ", "a", "a b", "a b c", "a b c.", "3.5 million people came.", "U.S. officials met on Monday. Then",
    "Hello. . . there my friend", "one two three!!! four five six??? seven", "...Hello there friend...",
    "end.Next word here now", "“We won,” he said. “Again and again.” Then silence fell on all.",
    "x.y.z a b c d. e f g", "Mr. and Mrs. Smith went to Washington D.C. yesterday afternoon.",
])
def test_textstat_sentence_rule_by_tokens(text: str) -> None:
    pc = _tokens_rs.prose_chunk([article([text])])
    assert kr.counts(pc)["n_sent"][0] == rd._ts_sentence_count(text)


def test_linsear_write_sample_cut_at_the_hundredth_word() -> None:
    # 150 tokens, every third one without a word character: the 100th word is token 149 or so
    tokens = [("—" if k % 3 == 2 else f"w{k}") + ("." if k % 17 == 0 else "") for k in range(150)]
    text = " ".join(tokens)
    pc = _tokens_rs.prose_chunk([article([text])])
    c = kr.counts(pc)
    words = np.cumsum([1 if any(ch.isalnum() for ch in t) else 0 for t in tokens])
    assert c["lw_tokens"][0] == int(np.searchsorted(words, 100)) + 1
    f = kr.formulas(c)
    entries = [rd._TOKENS[t] for t in tokens]
    assert f["linsear_write"][0] == pytest.approx(rd._linsear_write(tokens, entries), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=0, max_size=200), min_size=1, max_size=5),
       st.sampled_from([0.72, 0.5, 0.9]))
def test_mtld_compiled_and_python_equal_reference(runs, threshold) -> None:  # type: ignore[no-untyped-def]
    ids = np.asarray([x for r in runs for x in r], dtype=np.int64)
    offs = np.concatenate([[0], np.cumsum([len(r) for r in runs])]).astype(np.int64)
    do = np.asarray([len(r) > 0 for r in runs])
    want = [rd.mtld(r, threshold=threshold) if r else math.nan for r in runs]
    numba_loop = _jit_rs.compiled()
    assert numba_loop is not None, "numba is a dependency: its loop must compile"
    for got in (numba_loop(ids, offs, do, threshold), _jit_rs._mtld_python(ids, offs, do, threshold)):
        for g, w in zip(got.tolist(), want):
            assert (math.isnan(g) and math.isnan(w)) or g == pytest.approx(w, rel=1e-12)


@pytest.mark.parametrize("mode", ["never", "always", "auto"])
def test_mtld_paths_give_the_reference(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    monkeypatch.setattr(_jit_rs, "MODE", mode)
    monkeypatch.setattr(_jit_rs, "NUMBA_AFTER", 15)  # auto: Python for the first chunk, numba after
    arts = generated_articles(20, seed=3)
    check(arts[:10])
    check(arts[10:])


def test_mtld_without_numba(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jit_rs, "MODE", "always")
    monkeypatch.setitem(_jit_rs._state, "numba", None)  # as when numba is missing or cannot compile
    check(generated_articles(10, seed=3))


def test_chunking_does_not_change_results() -> None:
    arts = generated_articles(12, seed=5)
    whole = kr.measure_chunk(arts, options=OPTS).article
    for k, a in enumerate(arts):
        one = kr.measure_chunk([a], options=OPTS).article
        for col, vals in whole.items():
            x, y = one[col][0], vals[k]
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), col


def test_vocabulary_starting_over_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tokens_rs, "VOCAB_LIMIT", 50)
    arts = generated_articles(30, seed=7)
    generation = _tokens_rs.VOCAB.generation
    for k in range(0, 30, 5):
        check(arts[k:k + 5])
    assert _tokens_rs.VOCAB.generation > generation + 2  # it started over several times


def test_vocabulary_bounded_by_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tokens_rs, "VOCAB_CHARS_LIMIT", 5_000)
    long_words = [article([" ".join(f"{k}{'x' * 2000}{j}" for j in range(3)) + " and more words here."],
                          article_id=f"L{k}") for k in range(6)]
    generation = _tokens_rs.VOCAB.generation
    for a in long_words:
        check([a])
    assert _tokens_rs.VOCAB.generation >= generation + 4
    assert _tokens_rs.VOCAB.chars <= 5_000 + 3 * 2010 + 100


def test_allsides_dev_300_articles() -> None:
    path = data_file("allsides_dev.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(300), f)]
    arts = [prepare_article(r["id"], r["text"]) for r in rows]
    arts = [a for a in arts if a.meta.get("status", "ok") == "ok"]
    assert len(arts) > 250
    for k in range(0, len(arts), 100):
        check(arts[k:k + 100])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(list("ab Z9_'’.!?,;:-\"()\t\n\x1c\x1f\x85\xa0\u2028\u3000")),
                                  st.characters(blacklist_categories=("Cs",))), max_size=120))
def test_textstat_sentence_rule_on_arbitrary_unicode(text: str) -> None:
    pc = _tokens_rs.prose_chunk([article([text])])
    c = kr.counts(pc)
    assert c["n_sent"][0] == rd._ts_sentence_count(text)
    raw = text.split()
    assert c["lw_sent"][0] == rd._ts_sentence_count(" ".join(raw[:c["lw_tokens"][0]]))
