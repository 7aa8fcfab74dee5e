"""Readability: agreement with textstat (independent implementation), known values, MTLD, offline."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biascmp
from biascmp import readability as rd
from biascmp.readability import FORMULAS, MIN_WORDS, mtld, readability

textstat = pytest.importorskip("textstat")


@pytest.fixture(scope="module", autouse=True)
def _offline_textstat():
    from biascmp.textstat_offline import install

    install()


def _textstat(name: str, text: str) -> float:
    if name == "consensus_grade":
        return textstat.text_standard(text, float_output=True)
    return getattr(textstat, name)(text)


TEXTS = [
    "The mayor said the city would not cooperate. Critics called the decision reckless and dangerous.",
    "Supt. Eddie Johnson met Gov. J.B. Pritzker in the U.S. capital on Monday... It wasn't easy.",
    "“We don’t need troops,” she said. “We need jobs, schools and opportunity!” The crowd cheered.",
    "Short.",
    "",
    "Incomprehensibilities notwithstanding, the administration's unprecedented reorganization "
    "disproportionately affected municipalities. " * 12,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("name", FORMULAS)
def test_formulas_agree_with_textstat(name, text):
    assert readability(text)[name] == pytest.approx(_textstat(name, text), abs=1e-9)


def test_agrees_with_textstat_on_seed_prose():
    res = biascmp.analyze(biascmp.datasets.seeds_path())
    for aid, group in res.sentences[res.sentences["kind"] == "prose"].groupby("article_id", sort=False):
        text = " ".join(group.sort_values("sentence_index")["text"])
        row = res.articles.set_index("article_id").loc[aid]
        for name in FORMULAS:
            assert row[name] == pytest.approx(_textstat(name, text), abs=1e-9), (aid, name)
        assert row["n_words"] == textstat.lexicon_count(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghij klmnop.!?',-\"’AEIOU\n")), max_size=300))
def test_formulas_agree_with_textstat_on_arbitrary_text(text):
    ours = readability(text)
    for name in FORMULAS:
        assert ours[name] == pytest.approx(_textstat(name, text), abs=1e-9), name


def test_known_values_by_hand():
    # 2 sentences, 10 words; syllables (CMU): the1 cat1 sat1 on1 the1 mat1 / dogs1 run1 very2 quickly2 = 12
    text = "The cat sat on the mat. Dogs run very quickly."
    r = readability(text)
    assert r["_n_words"] == 10
    assert r["_n_syllables"] == 12
    assert r["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 5 - 84.6 * 1.2)
    assert r["flesch_kincaid_grade"] == pytest.approx(0.39 * 5 + 11.8 * 1.2 - 15.59)
    # letters 35 (3+3+3+2+3+3+4+3+4+7), characters without spaces 37 (two periods), 10 tokens
    assert r["coleman_liau_index"] == pytest.approx(0.058 * 350 - 0.296 * 20 - 15.8)
    assert r["automated_readability_index"] == pytest.approx(4.71 * 3.7 + 0.5 * 5 - 21.43)


def test_short_text_is_flagged_not_scored():
    res = biascmp.analyze(biascmp.read_articles(
        __import__("pandas").DataFrame({"outlet": ["A"], "text": ["Extraordinarily unbelievable developments happened."]})))
    row = res.articles.iloc[0]
    assert all(math.isnan(row[n]) for n in FORMULAS)
    assert str(MIN_WORDS) in row["readability_note"]


def test_mtld_known_values():
    assert mtld(["a", "a", "a", "a"]) == pytest.approx(2.0)  # TTR 0.5 after every 2nd token: 2 factors
    assert math.isnan(mtld(["a", "b", "c", "d"]))  # TTR never falls: no factor
    # forward "a b a b": TTR 1, 1, 2/3 (<= .72: factor) | b: partial (1-1)/.28 = 0 -> 4/1 = 4; same backwards
    assert mtld(["a", "b", "a", "b"]) == pytest.approx(4.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from("ab cd ef gh ij kl".split()), min_size=1, max_size=200))
def test_mtld_positive_and_at_most_length_bound(tokens):
    v = mtld(tokens)
    assert math.isnan(v) or 0 < v


def _mtld_reference(tokens, threshold):
    """MTLD as first written: every token tests the TTR (the module tests only repeated tokens)."""

    def one_way(seq):
        factors, types, count = 0.0, set(), 0
        for tok in seq:
            count += 1
            types.add(tok)
            if len(types) / count <= threshold:
                factors, types, count = factors + 1, set(), 0
        if count:
            factors += (1 - len(types) / count) / (1 - threshold)
        return len(seq) / factors if factors > 0 else math.nan

    if not tokens:
        return math.nan
    fwd, bwd = one_way(tokens), one_way(tokens[::-1])
    return math.nan if math.isnan(fwd) or math.isnan(bwd) else (fwd + bwd) / 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("a b c d e f g h".split()), max_size=120),
       st.sampled_from([0.72, 0.5, 0.9, 0.99, 1.0, 1.5, 0.0, -0.5]))
def test_mtld_equals_reference(tokens, threshold):
    got, want = mtld(tokens, threshold=threshold), _mtld_reference(tokens, threshold)
    assert got == want or (math.isnan(got) and math.isnan(want))


# sentences of 1-5 "words" (some without a word character, some holding . ! ?), so pieces of 2, 3 and more
# words all occur
_WORD = st.sampled_from(["ab", "Z1", "x_y", "’s", "'", "—", "-", '"', "“ab", "ab,", "U.S.", "e.g",
                         "?!"])
_SENTENCE = st.tuples(st.lists(_WORD, min_size=1, max_size=5), st.sampled_from([" ", "  ", "\n", " \t"]),
                      st.sampled_from([".", "!", "?", "...", "", '."', "?!", ". "]))
SENTENCE_TEXT = st.lists(_SENTENCE.map(lambda t: t[1].join(t[0]) + t[2]), max_size=6).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(_SENTENCE.map(lambda t: t[1].join(t[0]) + t[2]), min_size=20, max_size=50).map(" ".join))
def test_formulas_agree_with_textstat_past_100_tokens(text):
    # Linsear Write reads the first 100 words; tokens without a word character fall in between
    ours = readability(text)
    for name in FORMULAS:
        assert ours[name] == pytest.approx(_textstat(name, text), abs=1e-9), name


@settings(max_examples=300, deadline=None)
@given(SENTENCE_TEXT)
def test_sentence_count_equals_textstat(text):
    # one findall with a "short piece" branch instead of textstat's word count per piece
    assert rd._ts_sentence_count(text) == textstat.sentence_count(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz.'-éİ")), max_size=30))
def test_hyphenation_points_equal_pyphen(word):
    from pyphen import Pyphen

    from biascmp import syllables

    assert syllables.hyphenation_points(word) == len(Pyphen(lang="en_US").positions(word))


def test_hyphenation_points_equal_pyphen_on_real_words():
    from pyphen import Pyphen

    from biascmp import syllables

    ref = Pyphen(lang="en_US")
    words = {w.lower() for text in TEXTS for w in rd._words(text)}
    words |= set(list(syllables.cmu_counts())[::50])  # 2,500 dictionary words
    words |= {"antichoice", "outofcontrol", "scottforflorida", "selfreporting", "trumpian", "5500"}
    assert all(syllables.hyphenation_points(w) == len(ref.positions(w)) for w in words)


def test_token_caches_restart_without_changing_results(monkeypatch):
    text = TEXTS[2] + " " + TEXTS[5]
    want = readability(text)
    monkeypatch.setattr(rd, "CACHE_LIMIT", 3)  # caches clear while an article is being counted
    rd._TOKENS.clear()
    assert readability(text) == want
    assert len(rd._TOKENS) <= 4


def test_word_syllables_cache_consistent():
    assert rd.word_syllables("Chicago") == 3
    assert rd.word_syllables("chicago") == 3


OFFLINE = textwrap.dedent("""
    import socket, sys
    def refuse(*a, **k):
        raise OSError("network disabled by test")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    mode = sys.argv[1]
    if mode == "plain":
        import textstat
        try:
            textstat.flesch_reading_ease("The cat sat on the mat. It was happy there today.")
        except BaseException as exc:
            print("FAILED", type(exc).__name__)
        else:
            print("WORKED")
    else:
        import biascmp
        from biascmp.textstat_offline import install
        install()
        import textstat
        print(textstat.flesch_reading_ease("The cat sat on the mat. It was happy there today."))
        res = biascmp.analyze(biascmp.datasets.seeds_path())
        print(res.articles["flesch_reading_ease"].notna().sum())
""")


def test_works_with_network_disabled(tmp_path):
    env = {**os.environ, "NLTK_DATA": str(tmp_path / "nltk"), "HOME": str(tmp_path)}
    plain = subprocess.run([sys.executable, "-c", OFFLINE, "plain"], env=env, capture_output=True,
                           text=True, timeout=120)
    # the control: textstat alone cannot count syllables without network and its NLTK data
    assert "FAILED" in plain.stdout, plain.stdout + plain.stderr
    ours = subprocess.run([sys.executable, "-c", OFFLINE, "biascmp"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr
    fre, n_ok = ours.stdout.split()
    assert float(fre) == pytest.approx(206.835 - 1.015 * 5.5 - 84.6 * (13 / 11))  # happy, today: 2 syllables each
    assert int(n_ok) == 4


def test_agrees_with_textstat_on_real_articles():
    from conftest import data_file

    df = pd.read_json(data_file("allsides_dev.jsonl"), lines=True, dtype=False)
    sample = df["text"].astype(str).sample(120, random_state=1).tolist()
    for text in sample:
        ours = readability(text)
        for name in FORMULAS:
            assert ours[name] == pytest.approx(_textstat(name, text), abs=1e-9), name
        assert ours["_n_words"] == textstat.lexicon_count(text)
