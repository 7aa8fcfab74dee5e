"""VADER's ``polarity_scores``, same results, several times faster.

Why this exists: after the one-pass engine, VADER dominated biascmp's run time. vaderSentiment 3.3.2
lower-cases the whole word list again inside every negation and idiom check (quadratic in sentence
length), walks each character of the text in Python to replace emoji, and evaluates all rules for words
that are not in its lexicon. This module runs the same rules, in the same order, with the same
floating-point operations (less additions of a zero, which cannot change a result), but reads what the
rules need of each distinct token (its lower case, lexicon valence, booster value, negation, ALL CAPS)
from a cache filled once (the many words that no rule reads by their text share two entries), skips the
emoji pass when the text has no emoji and the idiom pass when no idiom can start near the word, gives
non-lexicon words their zero valence directly, and keeps only the non-zero sentiments (a zero never
changes a sum, a share or the "but" rule).

The lexicon, emoji table, booster and negation lists and constants are read from the installed
vaderSentiment package (MIT licence), never copied, so a VADER update cannot silently diverge in data.
Faithfulness is tested with vaderSentiment as the oracle: a hypothesis test over random text in the
default run, and a slow study over >100,000 real sentences (``pytest -m slow tests/test_vader_fast.py``)
that must find zero mismatches.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import Any, cast

from vaderSentiment import vaderSentiment as _v

_PUNCT = string.punctuation
_NEGATE = frozenset(_v.NEGATE)
_BOOSTER: dict[str, float] = _v.BOOSTER_DICT
_SPECIAL: dict[str, float] = _v.SPECIAL_CASES
_N_SCALAR = _v.N_SCALAR
_C_INCR = _v.C_INCR
_B_INCR = _v.B_INCR  # noqa: F841  (documented for readers; the rules use _BOOSTER values)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, str], frozenset[str]]:
    sia = _v.SentimentIntensityAnalyzer()
    return sia.lexicon, sia.emojis, frozenset(sia.emojis)


def lexicon() -> dict[str, float]:
    """VADER's word -> valence lexicon (7,500 entries; vaderSentiment's vader_lexicon.txt, MIT)."""
    return _tables()[0]


@lru_cache(maxsize=1)
def _emoji_runs() -> re.Pattern[str]:
    """Runs of characters at or above the lowest one-character emoji (U+00A9 in 3.3.2).

    vaderSentiment compares each character of the text with its emoji table, so only one-character
    entries can ever match; none is ASCII, so an emoji can only sit in these runs."""
    lowest = min(ord(e) for e in _tables()[1] if len(e) == 1)
    return re.compile(f"[{re.escape(chr(lowest))}-\U0010ffff]+")


def _has_emoji(text: str, emoji_set: frozenset[str]) -> bool:
    return not text.isascii() and not emoji_set.isdisjoint("".join(_emoji_runs().findall(text)))


def _replace_emoji(text: str, emojis: dict[str, str]) -> str:
    out = []
    prev_space = True
    for ch in text:
        desc = emojis.get(ch)
        if desc is not None:
            if not prev_space:
                out.append(" ")
            out.append(desc)
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out)


def _strip(token: str) -> str:
    # SentiText._strip_punc_if_word: a token left with <= 2 characters was an emoticon, kept whole
    stripped = token.strip(_PUNCT)
    return token if len(stripped) <= 2 else stripped


_NON_SPACE = re.compile(r"\S+")
#: _strip with a bounded per-token cache (words() is called for every sentence the name rule reads)
_strip_cached = lru_cache(maxsize=16384)(_strip)


def _idiom_followers() -> dict[str, frozenset[str]]:
    """First word -> second words of the multi-word SPECIAL_CASES idioms and BOOSTER_DICT n-grams.

    _special_idioms_check joins lower-cased tokens with spaces; tokens hold no whitespace, so a key
    "a b ..." can only match where a token "a" is directly followed by a token "b"."""
    follow: dict[str, set[str]] = {}
    for key in (*_SPECIAL, *_BOOSTER):
        parts = key.split(" ")
        if len(parts) > 1:
            follow.setdefault(parts[0], set()).add(parts[1])
    return {first: frozenset(second) for first, second in follow.items()}


_FOLLOW = _idiom_followers()


#: every word a rule compares by its text, besides the lexicon's words and "n't" contractions
_RULE_WORDS = frozenset({*_NEGATE, *_BOOSTER, *(w for key in (*_SPECIAL, *_BOOSTER) for w in key.split(" ")),
                         "no", "or", "nor", "kind", "of", "never", "so", "this", "without", "doubt", "least",
                         "at", "very", "but"})


class _Tok:
    """What VADER's rules read of one whitespace token; computed once per distinct token."""

    __slots__ = ("low", "valence", "scored", "upper", "boost", "negation", "follow")

    def __init__(self, low: str, upper: bool, lex: dict[str, float]) -> None:
        #: the word lower-cased (every rule compares lower-cased words); "" for a plain word, see _token
        self.low = low
        #: lexicon valence, None for a word outside the lexicon
        self.valence = lex.get(low)
        #: polarity_scores sends a lexicon word to sentiment_valence unless it is a booster word
        #: ("kind" before "of" is the other skip, checked where the next word is known)
        self.scored = self.valence is not None and low not in _BOOSTER
        #: ALL CAPS (allcap_differential and the C_INCR emphasis)
        self.upper = upper
        #: scalar_inc_dec's BOOSTER_DICT value, None for a word that is not a booster
        self.boost = _BOOSTER.get(low)
        #: negated([word]): a NEGATE word or a contraction with "n't"
        self.negation = low in _NEGATE or "n't" in low
        #: second words of the idioms / multi-word boosters this word starts, None if it starts none
        self.follow = _FOLLOW.get(low)


#: the shared entries of plain words (no rule reads their text), lower case and ALL CAPS
_PLAIN = {upper: _Tok("", upper, {}) for upper in (False, True)}


def _token(token: str, lex: dict[str, float]) -> _Tok:
    """The _Tok of a whitespace token.

    Most words are plain: outside the lexicon and no word that a rule compares. All that VADER reads of
    them is that they are not special and whether they are ALL CAPS, so they share two entries (fewer
    objects, which keeps the per-token cache small and in the CPU cache). Their text is given as "":
    it equals no word a rule looks for, and an idiom n-gram holding it gets a leading, trailing or
    double space, which no SPECIAL_CASES or BOOSTER_DICT key has, just as the real word matches none."""
    word = _strip(token)  # an item of SentiText.words_and_emoticons
    low = word.lower()
    if low in lex or low in _RULE_WORDS or "n't" in low:
        return _Tok(low, word.isupper(), lex)
    return _PLAIN[word.isupper()]


#: per-word caches hold at most this many words, then start over (flat memory on any corpus size)
CACHE_LIMIT = 20_000


class _PerToken(dict[str, _Tok]):
    """raw token -> _Tok; learns a missing token, so it can be cleared at any point."""

    def __missing__(self, token: str) -> _Tok:
        if len(self) >= CACHE_LIMIT:  # bounded: memory stays flat however large the corpus
            self.clear()
        tok = self[token] = _token(token, lexicon())
        return tok


_TOKENS = _PerToken()
_low_of = attrgetter("low")
_scored_of = attrgetter("scored")


def _cap_diff(toks: list[_Tok]) -> bool:
    # allcap_differential: some, but not all, words are ALL CAPS
    n_caps = sum(1 for t in toks if t.upper)
    return 0 < len(toks) - n_caps < len(toks)


def _scalar(prev: _Tok, valence: float, toks: list[_Tok]) -> float:
    # scalar_inc_dec for a booster word before the lexicon word (prev.boost is not None)
    scalar = cast(float, prev.boost)  # the caller checked it is a booster
    if valence < 0:
        scalar *= -1
    if prev.upper and _cap_diff(toks):
        scalar = scalar + _C_INCR if valence > 0 else scalar - _C_INCR
    return scalar


def _idiom_may_match(toks: list[_Tok], low: list[str], i: int) -> bool:
    """False when _special_idioms_check cannot change the valence of the word at i (i >= 3).

    Its n-grams start at i-3, i-2, i-1 or i; each key needs its first two words there in a row."""
    for j in (i - 3, i - 2, i - 1, i):
        follow = toks[j].follow
        if follow is not None and j + 1 < len(low) and low[j + 1] in follow:
            return True
    return False


def _idioms(valence: float, low: list[str], i: int) -> float:
    # _special_idioms_check, unchanged but for reading the lower-cased words computed once
    n = len(low)
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if n - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in _SPECIAL:
            valence = _SPECIAL[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in _SPECIAL:
            valence = _SPECIAL[zeroonetwo]
    for ngram in (threetwoone, threetwo, twoone):
        if ngram in _BOOSTER:
            valence = valence + _BOOSTER[ngram]
    return valence


def _valence(toks: list[_Tok], low: list[str], i: int) -> float:
    """sentiment_valence of the lexicon word at i: its rules, in vaderSentiment's order."""
    tok = toks[i]
    lex_valence = cast(float, tok.valence)  # only lexicon words are scored
    valence = lex_valence
    # "no" before another lexicon word is neutral; a word after "no" (or "no ... or/nor") is negated
    if low[i] == "no" and i != len(toks) - 1 and toks[i + 1].valence is not None:
        valence = 0.0
    if ((i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no")
            or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))):
        valence = lex_valence * _N_SCALAR
    # ALL CAPS emphasis when the sentence mixes cases
    if tok.upper and _cap_diff(toks):
        valence = valence + _C_INCR if valence > 0 else valence - _C_INCR
    # The loop over the three preceding words, each only when it is not a lexicon word: scalar_inc_dec
    # (a booster adds its value, damped with distance), then _negation_check, then (three words back)
    # _special_idioms_check. A non-booster adds scalar 0.0, which cannot change a non-zero valence, and
    # VADER never reads the sign of a zero valence, so that addition is left out. "never" and "without"
    # are NEGATE words, so _negation_check's tests of them are only reached for a negation.
    if i > 0 and toks[i - 1].valence is None:
        prev = toks[i - 1]
        if prev.boost is not None:
            valence = valence + _scalar(prev, valence, toks)
        if prev.negation:
            valence = valence * _N_SCALAR
    if i > 1 and toks[i - 2].valence is None:
        prev = toks[i - 2]
        if prev.boost is not None:
            valence = valence + _scalar(prev, valence, toks) * 0.95
        if prev.negation:
            if low[i - 2] == "never" and low[i - 1] in ("so", "this"):
                valence = valence * 1.25
            elif not (low[i - 2] == "without" and low[i - 1] == "doubt"):
                valence = valence * _N_SCALAR
    if i > 2 and toks[i - 3].valence is None:
        prev = toks[i - 3]
        if prev.boost is not None:
            valence = valence + _scalar(prev, valence, toks) * 0.9
        if prev.negation:
            if (low[i - 3] == "never" and low[i - 2] in ("so", "this")) or low[i - 1] in ("so", "this"):
                valence = valence * 1.25
            elif not (low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt")):
                valence = valence * _N_SCALAR
        elif low[i - 1] in ("so", "this"):  # VADER's test, which also fires without a negation
            valence = valence * 1.25
        if _idiom_may_match(toks, low, i):
            valence = _idioms(valence, low, i)
    # _least_check
    if i > 0 and low[i - 1] == "least" and toks[i - 1].valence is None:
        if i == 1 or (low[i - 2] != "at" and low[i - 2] != "very"):
            valence = valence * _N_SCALAR
    return valence


def _but(at: list[int], values: list[float], bi: int) -> None:
    """_but_check on the non-zero sentiments (at their word positions), in place.

    vaderSentiment's rule, including its use of list.index (the first equal value), kept on purpose.
    Zeros are left out: list.index of a zero only ever finds a zero, which stays zero, and of a
    non-zero value only a non-zero one, so the non-zero values change exactly as in the full list."""
    for sentiment in values:
        si = values.index(sentiment)
        if at[si] < bi:
            values[si] = sentiment * 0.5
        elif at[si] > bi:
            values[si] = sentiment * 1.5


def _normalize(score: float, alpha: float = 15) -> float:
    norm = score / math.sqrt((score * score) + alpha)
    return -1.0 if norm < -1.0 else 1.0 if norm > 1.0 else norm


def words(text: str) -> list[str]:
    """vaderSentiment's ``words_and_emoticons`` of ``text`` (emoji replaced by their descriptions, split on
    whitespace, surrounding punctuation stripped unless that leaves two characters or fewer): the tokens a
    ``mask`` of :func:`polarity_scores` is aligned with."""
    _lex, emojis, emoji_set = _tables()
    if _has_emoji(text, emoji_set):
        text = _replace_emoji(text, emojis)
    return list(map(_strip_cached, text.split()))


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """:func:`words` with (start, end) character offsets of each word in ``text``. A word that emoji
    replacement created or changed gets the offsets of the whole whitespace token it came from."""
    _lex, emojis, emoji_set = _tables()
    has_emoji = _has_emoji(text, emoji_set)
    out: list[tuple[str, int, int]] = []
    for m in _NON_SPACE.finditer(text):  # the tokens of text.split() (re's \s is str.isspace)
        raw, a, b = m.group(), m.start(), m.end()
        # whitespace tokens are replaced one by one: the same words as replacing the whole text, since
        # a description never joins the tokens around it (tests/test_names.py checks against words())
        for part in (_replace_emoji(raw, emojis).split() if has_emoji else (raw,)):
            w = _strip_cached(part)
            k = raw.find(w)
            out.append((w, a + k, a + k + len(w)) if k >= 0 else (w, a, b))
    return out


def polarity_scores(text: str, mask: Sequence[bool] | None = None) -> dict[str, Any]:
    """Exactly ``SentimentIntensityAnalyzer().polarity_scores(text)`` of vaderSentiment 3.3.2.

    ``mask`` (optional): one boolean per word of :func:`words` (``text``); a True word's own sentiment is
    0, as if its lexicon valence were 0 and no rule could change it; every other rule is unchanged
    (:mod:`biascmp.names` masks words inside multi-word names this way). Without a mask, or with an
    all-False one, the result is vaderSentiment's."""
    lex, emojis, emoji_set = _tables()
    if _has_emoji(text, emoji_set):
        text = _replace_emoji(text, emojis)
    # (vaderSentiment strips the text here: split() and the "!" / "?" counts below ignore the ends)
    toks = list(map(_TOKENS.__getitem__, text.split()))
    n = len(toks)
    scored = list(compress(range(n), map(_scored_of, toks)))
    if mask is not None:
        if len(mask) != n:
            raise ValueError(f"mask has {len(mask)} entries but the text has {n} VADER words; build it "
                             "from biascmp.vader_fast.words(text)")
        scored = [i for i in scored if not mask[i]]
    if not scored:
        # no lexicon word to score: every valence is 0, so the rules cannot change anything
        return {"neg": 0.0, "neu": 1.0 if n else 0.0, "pos": 0.0, "compound": 0.0}
    low = list(map(_low_of, toks))
    # the non-zero sentiments and their word positions; every other word's sentiment is 0
    at: list[int] = []
    values: list[float] = []
    for i in scored:
        if low[i] == "kind" and i < n - 1 and low[i + 1] == "of":
            continue  # "kind of" is a booster, not the lexicon's "kind"
        valence = _valence(toks, low, i)
        if valence != 0:
            at.append(i)
            values.append(valence)
    if "but" in low:
        _but(at, values, low.index("but"))
    # score_valence. The sums add the same non-zero values in the same order as vaderSentiment's sums
    # over all words (adding 0 to a float that is never -0.0 changes nothing)
    sum_s = float(sum(values))
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = 0 if qm_count <= 1 else (qm_count * 0.18 if qm_count <= 3 else 0.96)
    amp = ep + qm
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    compound = _normalize(sum_s)
    pos_sum = 0.0
    neg_sum = 0.0
    for s in values:
        if s > 0:
            pos_sum += float(s) + 1
        else:
            neg_sum += float(s) - 1
    neu_count = n - len(values)
    if pos_sum > math.fabs(neg_sum):
        pos_sum += amp
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= amp
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return {"neg": round(math.fabs(neg_sum / total), 3), "neu": round(math.fabs(neu_count / total), 3),
            "pos": round(math.fabs(pos_sum / total), 3), "compound": round(compound, 4)}
