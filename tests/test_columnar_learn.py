"""Learning new tokens in batches (biascmp.columnar._learn, ``_Vocab._add``) equals the per-token reference
(``_Vocab._add_reference``, the reference modules' own per-token code) on every column.

Compared: every property column of the vocabulary, the lower-cased words and name-rule cores behind the
rd_lower / n_core ids, and every field of each token's VADER ``_Tok``; the batch Liang hyphenation against
``syllables.hyphenation_points``. Inputs: hypothesis batches mixing the cases each rule reads (ASCII of
both cases, digits, apostrophes, hyphens, all of string.punctuation, "n't", VADER lexicon / booster /
negation words, emoticons, initials, non-ASCII letters, emoji, curly quotes) and every distinct token of
the seed articles. No outside data needed.
"""

from __future__ import annotations

import string

import numpy as np
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biascmp import names as _names
from biascmp import syllables as _sy
from biascmp import vader_fast as _vf
from biascmp.columnar import _learn
from biascmp.columnar import _tokens_rs as tr

TOK_FIELDS = ("low", "valence", "scored", "upper", "boost", "negation", "follow")


def learnt(batches: list[list[str]], reference: bool, carry_after: int | None = None) -> tr._Vocab:
    """A fresh vocabulary that learnt ``batches`` through ids() (as tokenise does), optionally starting a
    new generation (carrying the recent tokens) after batch ``carry_after``."""
    old = tr.LEARN_REFERENCE
    tr.LEARN_REFERENCE = reference
    try:
        v = tr._Vocab()
        for k, b in enumerate(batches):
            v.ids(b)
            if k == carry_after:
                v.reset(carry=True)
        return v
    finally:
        tr.LEARN_REFERENCE = old


def assert_same(ref: tr._Vocab, got: tr._Vocab) -> None:
    n = len(ref.tokens)
    assert got.tokens == ref.tokens
    for name, arr in ref.cols.items():
        a, b = arr[:n], got.cols[name][:n]
        same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
        bad = np.flatnonzero(~same)
        assert not len(bad), (name, [(ref.tokens[i], a[i], b[i]) for i in bad[:5]])
    assert got.lowers == ref.lowers
    assert got.cores == ref.cores
    assert len(got.vtoks) == len(ref.vtoks) == n
    for tok, x, y in zip(ref.tokens, ref.vtoks, got.vtoks):
        assert tuple(getattr(y, f) for f in TOK_FIELDS) == tuple(getattr(x, f) for f in TOK_FIELDS), tok


def compare(batches: list[list[str]], carry_after: int | None = None, batch_path: bool = True) -> None:
    for b in batches if batch_path else ():  # the batch path takes every batch of real tokens (else this compares the reference)
        assert not b or _learn.learn(list(dict.fromkeys(b)), tr, tr._Vocab()) is not None
    assert_same(learnt(batches, True, carry_after), learnt(batches, False, carry_after))


_lex = sorted(_vf.lexicon())
CURATED = ["don't", "DON'T", "isn't", "can't", "won't", "ain't", "n't", "but", "BUT", "of", "the", "Of", "THE",
       "I", "I'm", "I've", "I'll", "I'd", "I’m", "U.S.", "J.B.", "F.", "A.B.C", "USA", "NASA", "U.S.A.",
       "kind", "least", "very", "no", "nor", "without", "doubt", "so", "this", "never", ":)", ":-(", ":D",
       "<3", ":(", ";)", "=)", "xD", "self-reports", "well-known", "co-op", "'s", "'t", "'ve", "'ll",
       "'re", "'d", "o'clock", "rock'n'roll", "2020", "1,000", "3.5", "_", "__init__", "e.g.", "i.e.",
       "Mr.", "Dr.", "etc.", "...", "?!", "!!!", "???", "wow!!", "what?", "really?!", "Trump", "DeSantis",
       "McDonald's", "café", "naïve", "Zürich", "ΑΣ", "ΟΔΟΣ", "σς", "İstanbul", "ǅemal", "Ǆ", "ß", "ﬁne",
       "😀", "☺", "❤", "👍🏽", "©", "®", "½", "²", "٣", "“Hello", "world”", "don’t", "—", "–", "…", "«Oui»",
       "Good", "GOOD", "good", "Great", "GREAT", "Damn", "Liberty", "Security", "wow!!!!!", "?!?!?!?!",
       "x'lz", "'l", "'r", "'v", "'le", "'rex", "'vex", "it'S", "'T", "“I'm", "‘I've”", "“I”", "“Trump",
       "“USA”", "“U.S.”", "(I'd)", "“of", "the”", "“the"]
WORDS = st.sampled_from(_lex[::37] + sorted(_vf._BOOSTER)[::3] + sorted(_vf._NEGATE) + sorted(_vf._RULE_WORDS)[::5]
                        + CURATED)
_ASCII = string.ascii_letters + string.digits + string.punctuation
_WIDE = "éÉßçΣσςαΑİıǅǄǆ²½٣ﬁ“”‘’«»…—–😀☺❤©®™€ñÑ"
PIECES = st.one_of(
    WORDS,
    st.text(alphabet=_ASCII, min_size=1, max_size=12),
    st.text(alphabet=string.ascii_letters + "'-", min_size=1, max_size=10),
    st.text(alphabet=string.punctuation, min_size=1, max_size=4),
    st.text(alphabet=_ASCII + _WIDE, min_size=1, max_size=8),
)


@st.composite
def tokens(draw: st.DrawFn) -> str:
    """A token: a piece, maybe re-cased, maybe wrapped in punctuation (as words sit in text)."""
    tok = draw(PIECES)
    case = draw(st.sampled_from(["", "upper", "lower", "title", "capitalize"]))
    if case:
        tok = getattr(tok, case)()
    pre = draw(st.text(alphabet=string.punctuation + "“‘«(", max_size=2))
    post = draw(st.text(alphabet=string.punctuation + "”’»)", max_size=3))
    return "".join((pre + tok + post).split()) or "x"  # a token holds no whitespace (str.lower may add none)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(tokens(), min_size=1, max_size=60), min_size=1, max_size=4))
def test_batches_equal_the_reference(batches: list[list[str]]) -> None:
    compare(batches)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tokens(), min_size=2, max_size=80), st.lists(tokens(), min_size=1, max_size=80))
def test_equal_across_a_vocabulary_restart(first: list[str], second: list[str]) -> None:
    # the batch path reads the counts of a word seen before from a token row: rows renumbered by a restart
    compare([first, second, first + second], carry_after=0)


def test_curated_words_equal_the_reference() -> None:
    # every hand-picked case, re-cased and wrapped as words sit in text (hypothesis draws them only at times)
    toks = [f"{pre}{getattr(w, case)()}{post}" for w in CURATED + sorted(_vf._RULE_WORDS)
            for case in ("strip", "upper", "lower", "title") for pre, post in (("", ""), ("(", ")"), ("“", "”"),
                                                                              ("", "."), ("'", "!?"), ("--", ","))]
    toks = list(dict.fromkeys(t for tok in toks for t in tok.split()))  # "just enough" is a booster key
    assert _learn.learn(toks, tr, tr._Vocab()) is not None  # the batch path takes them all
    compare([toks[::2], toks[1::2]])


def seed_tokens() -> list[str]:
    files = sorted((REPO / "seeds").glob("*.txt"))
    assert files, "the project's seeds/ folder holds the seed articles"
    return list(dict.fromkeys(t for f in files for t in f.read_text(encoding="utf-8").split()))


def test_every_seed_token_equals_the_reference() -> None:
    toks = seed_tokens()
    assert len(toks) > 500
    assert _learn.learn(toks, tr, tr._Vocab()) is not None
    compare([toks[i:i + 700] for i in range(0, len(toks), 700)])
    compare([toks])


def test_batch_with_whitespace_or_empty_tokens_uses_the_reference() -> None:
    # text.split() never makes these, but the vocabulary does not assume it
    for batch in (["a", "", "b"], ["a b", ""], ["x\ty", "z"], [" a"]):
        assert _learn.learn(batch, tr, tr._Vocab()) is None
        compare([batch], batch_path=False)


def test_known_values() -> None:
    # independent of both paths: hand-read from the rules
    v = learnt([["Don't", "U.S.", "said.", "(Great)", "of,", "the,", "😀!!", "—"]], reference=False)
    c = v.cols
    # "Don't": a word (textstat keeps the apostrophe of n't), 4 letters, CMU "don't" = 1 syllable
    assert c["rd_letters"][1] == 4 and c["rd_syll"][1] == 1 and c["rd_flags"][1] & tr.R_WORD
    assert c["v_flags"][1] & tr.V_NEG and v.vtoks[1].low == "don't"
    # "U.S.": an initial, name-like; "said.": closes a sentence with a word before the run
    assert c["n_flags"][2] & tr.N_NAME
    assert c["rd_flags"][3] & tr.R_CLOSE and c["rd_flags"][3] & tr.R_LEAD and not c["rd_flags"][3] & tr.R_TRAIL
    # "(Great)": VADER strips it to "Great", a lexicon word (3.1), name-like
    assert c["v_val"][4] == _vf.lexicon()["great"] and c["n_flags"][4] & tr.N_NAME
    # "of," keeps its comma for VADER (stripped it has 2 characters): no connector; "the," is one
    assert not c["n_flags"][5] & tr.N_CONNECTOR and c["n_flags"][6] & tr.N_CONNECTOR
    # an emoji and two "!"; a dash has no word and no letter
    assert c["v_flags"][7] & tr.V_EMOJI and c["v_punct"][7] == 2
    assert c["rd_lower"][8] == -1 and not c["n_flags"][8] & tr.N_ALPHA


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters + "'" + string.digits + "_", min_size=1, max_size=30),
                min_size=1, max_size=40))
def test_batch_hyphenation_equals_syllables(words: list[str]) -> None:
    assert _learn.hyphenation_points(words).tolist() == [_sy.hyphenation_points(w) for w in words]


def test_batch_hyphenation_long_patterns() -> None:
    # words that meet en_US patterns longer than the exact keys (13+ characters)
    _code, _pre, _dense, _tables, long, _lens = _learn._hyphenation_tables()
    words = sorted({p.strip(".") for p in long if p.strip(".").isascii()})[:400]
    words += [w + "s" for w in words[:100]] + ["re" + w for w in words[:100]]
    assert _learn.hyphenation_points(words).tolist() == [_sy.hyphenation_points(w) for w in words]


@pytest.mark.parametrize("word", ["", "a", "'", "x" * 200])
def test_batch_hyphenation_edges(word: str) -> None:
    assert _learn.hyphenation_points([word, "hyphenation"]).tolist() == [
        _sy.hyphenation_points(word), _sy.hyphenation_points("hyphenation")]


def test_name_rule_tables_match_names_module() -> None:
    # the batch path's ASCII name rule assumes names._PUNCT adds only non-ASCII characters
    assert set(_names._PUNCT) - set(string.punctuation) <= {ch for ch in _names._PUNCT if not ch.isascii()}
