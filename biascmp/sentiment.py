"""Sentiment: VADER per prose sentence, aggregated per article, narrator and quoted speech apart.

VADER (Hutto & Gilbert 2014; vaderSentiment 3.3.2, MIT) is scored on each sentence's original text:
never lower-cased (capitals and punctuation carry VADER's emphasis rules) and never a whole article in
one call (compound saturates toward +-1 on long text and the cost grows about quadratically; see
DESIGN.md). A sentence with ``in_quote >= 0.5`` counts as quoted speech: an outlet quoting an angry
mayor is not angry prose.

Short texts. A text whose prose is one paragraph of at most :data:`SHORT_TEXT_CHARS` characters (a
post, a headline with a standfirst, a tweet: VADER's own validation material) has ``sentiment_mean``
scored on the whole prose in one call, as VADER was designed and validated (Hutto & Gilbert 2014): on
such texts neither trap above applies, while a plain mean of sentence compounds is pulled toward 0 by
fragments such as "LOL." or ":D" (on VADER's 4,200 tweets the sentence mean correlates r = 0.82 with
the human ratings, the whole text 0.87). ``sentiment_scope`` says which rule an article got. News
articles are far longer than the cap; their ``sentiment_mean`` is always the sentence mean. The
median, the shares and the narrator/quoted means are always computed over sentences.

Names do not carry sentiment. Words inside multi-word proper names and institutions ("Department of
Homeland Security", "Naval Station Great Lakes", "United States", "Liberty University") get no VADER
valence: :func:`biascmp.names.mask_names` marks them on each sentence's VADER words and
:func:`biascmp.vader_fast.polarity_scores` gives a masked word sentiment 0 (every other VADER rule
unchanged). A short text scored whole uses the concatenation of its sentences' masks. Every masked word
that has a VADER valence is an evidence row (family ``sentiment``, category ``masked_name``, weight = the
valence it would have had), so the effect of the rule can be audited word by word.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

from .names import _MAYBE_NAME, mask_names
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import QUOTED_THRESHOLD, Metric
from .vader_fast import _BOOSTER, _strip_cached, lexicon, polarity_scores, word_spans, words

#: VADER's own thresholds for a positive / negative sentence (Hutto & Gilbert 2014, README)
POS_THRESHOLD = 0.05
NEG_THRESHOLD = -0.05
#: a sentence is quoted speech when at least this share of its characters is inside quotation marks
QUOTED = QUOTED_THRESHOLD
#: prose of one paragraph up to this many characters is scored whole for sentiment_mean (a tweet's limit)
SHORT_TEXT_CHARS = 280


@lru_cache(maxsize=1)
def analyzer() -> Any:
    """vaderSentiment's own analyzer (the reference; biascmp scores with :mod:`biascmp.vader_fast`)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=2048)
def _words(text: str) -> list[str]:
    """:func:`biascmp.vader_fast.words`, cached for the sentences being scored (read by the mask and the
    evidence rows)."""
    return words(text)


@lru_cache(maxsize=2048)
def name_mask(text: str) -> tuple[bool, ...]:
    """:func:`biascmp.names.mask_names` of one sentence's VADER words; ``()`` when nothing is masked.

    An ASCII sentence without two capitalised words side by side (or joined by "of"/"the") cannot hold a
    name: the quick test of :mod:`biascmp.names` on the raw text skips splitting it into VADER words
    (non-ASCII text always goes the full way: emoji descriptions are inserted before the split)."""
    if text.isascii() and not _MAYBE_NAME.search(text):
        return ()
    mask = tuple(mask_names(_words(text)))
    return mask if any(mask) else ()


def _full_mask(text: str) -> tuple[bool, ...]:
    """name_mask with one entry per VADER word (all False when nothing is masked)."""
    return name_mask(text) or (False,) * len(_words(text))


@lru_cache(maxsize=2048)
def score(text: str) -> dict[str, float]:
    """VADER's ``polarity_scores`` for one sentence (compound, pos, neu, neg), words inside multi-word
    names masked (:func:`name_mask`).

    Computed by :func:`biascmp.vader_fast.polarity_scores`, which returns exactly what
    vaderSentiment returns (tested against it as an oracle) about 2.5x faster; with a mask, exactly what
    vaderSentiment returns when the masked words' sentiments are set to 0 (tested the same way)."""
    return polarity_scores(text, name_mask(text) or None)


def score_joined(texts: tuple[str, ...]) -> dict[str, float]:
    """VADER on the sentences joined by spaces (the short-text rule), masked with the concatenation of
    the sentences' masks (so a word opening a later sentence stays a sentence start)."""
    if not any(name_mask(t) for t in texts):
        return polarity_scores(" ".join(texts))
    mask = [m for t in texts for m in _full_mask(t)]
    return polarity_scores(" ".join(texts), mask)


def spans_valence(text: str, extra: list[tuple[int, int]]) -> bool:
    """True when a word inside one of the ``extra`` character spans of ``text`` is in VADER's lexicon (only
    then does :func:`score_with` differ from :func:`score`)."""
    lex = lexicon()
    return any(_strip_cached(w).lower() in lex for s, e in extra for w in text[s:e].split())


def score_with(text: str, extra: list[tuple[int, int]]) -> dict[str, float]:
    """:func:`score` with, in addition, every VADER word overlapping one of the ``extra`` character spans
    of ``text`` masked (an actor's own name when scoring that actor: :mod:`biascmp.actors`)."""
    if not spans_valence(text, extra):
        return score(text)  # the name holds no VADER word (most do not: "Trump", "police"): nothing changes
    mask = list(_full_mask(text))
    for k, (_w, a, b) in enumerate(word_spans(text)):
        if not mask[k] and any(a < e and s < b for s, e in extra):
            mask[k] = True
    return polarity_scores(text, mask)


def masked_evidence(i: int, text: str, in_quote: bool) -> list[Evidence]:
    """Evidence rows (family sentiment, category masked_name) for the masked words of sentence ``i`` that
    have a VADER valence; weight = that lexicon valence, offsets into the sentence text."""
    mask = name_mask(text)
    if not any(mask):
        return []
    lex = lexicon()
    ws = _words(text)
    hit = [k for k, m in enumerate(mask) if m and ws[k].lower() in lex and ws[k].lower() not in _BOOSTER]
    if not hit:
        return []  # most masked words ("Department", "House") have no valence: no offsets needed
    spans = word_spans(text)
    out = []
    for k in hit:
        w, a, b = spans[k]
        out.append(Evidence(i, a, b, "sentiment", "masked_name", text[a:b], lex[w.lower()], in_quote))
    return out


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else math.nan


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Sentence compound/pos/neu/neg (NaN for non-prose lines) and the article aggregates."""
    n = len(article.sentences)
    compound, pos, neu, neg = ([math.nan] * n for _ in range(4))
    allc: list[float] = []
    narrator: list[float] = []
    quoted: list[float] = []
    prose: list[Any] = []
    evidence: list[Evidence] = []
    for i, s in enumerate(article.sentences):
        if not s.is_prose:
            continue
        prose.append(s)
        sc = score(s.text)
        if any(name_mask(s.text)):
            evidence += masked_evidence(i, s.text, s.in_quote >= QUOTED)
        compound[i] = c = sc["compound"]
        pos[i] = sc["pos"]
        neu[i] = sc["neu"]
        neg[i] = sc["neg"]
        allc.append(c)
        (quoted if s.in_quote >= QUOTED else narrator).append(c)
    art: dict[str, Any] = {}
    n_sent = len(allc)
    art["sentiment_mean"] = _mean(allc)
    art["sentiment_scope"] = "sentences" if n_sent else None
    if n_sent > 1 and prose[0].paragraph == prose[-1].paragraph:
        whole = " ".join(s.text for s in prose)
        if len(whole) <= SHORT_TEXT_CHARS:
            art["sentiment_mean"] = score_joined(tuple(s.text for s in prose))["compound"]
            art["sentiment_scope"] = "text"
    # the median and the three shares read one sorted copy: the shares are counts below / above the
    # thresholds (compounds are never NaN), found by bisection
    ranked = sorted(allc)
    art["sentiment_median"] = statistics.median(ranked) if ranked else math.nan
    n_negative = bisect_right(ranked, NEG_THRESHOLD)  # c <= -0.05
    n_positive = n_sent - bisect_left(ranked, POS_THRESHOLD)  # c >= 0.05
    art["share_negative"] = n_negative / n_sent if n_sent else math.nan
    art["share_positive"] = n_positive / n_sent if n_sent else math.nan
    art["share_neutral"] = (n_sent - n_negative - n_positive) / n_sent if n_sent else math.nan
    art["sentiment_narrator_mean"] = _mean(narrator)
    art["sentiment_quoted_mean"] = _mean(quoted)
    return FamilyResult(sentence={"compound": compound, "pos": pos, "neu": neu, "neg": neg}, article=art,
                        evidence=evidence)


_REF = "Hutto & Gilbert (2014), VADER, ICWSM; vaderSentiment 3.3.2; name masking: biascmp.names (docs/framing.md)"


def _s(name: str, description: str, formula: str, range_: str, direction: str) -> Metric:
    return Metric(name=name, level="sentence", family="sentiment", description=description, formula=formula,
                  range=range_, direction=direction, reference=_REF, aggregate="sentence-weighted",
                  compare=False)


def _a(name: str, description: str, formula: str, range_: str, direction: str) -> Metric:
    return Metric(name=name, level="article", family="sentiment", description=description, formula=formula,
                  range=range_, direction=direction, reference=_REF)


METRICS: list[Metric] = [
    _s("compound", "VADER compound score of the sentence (original text, not lower-cased); words inside "
       "multi-word proper names and institutions ('Department of Homeland Security', 'United States') carry "
       "no valence (biascmp.names; each such word with a VADER valence is an evidence row 'masked_name').",
       "normalised sum of valence scores: x / sqrt(x^2 + 15); masked name words add 0", "[-1, 1]",
       "higher = more positive wording; NaN for non-prose lines"),
    _s("pos", "Share of the sentence's valence that is positive.", "VADER pos", "[0, 1]",
       "higher = more positive words"),
    _s("neu", "Share of the sentence's tokens that are neutral.", "VADER neu", "[0, 1]",
       "higher = more neutral words"),
    _s("neg", "Share of the sentence's valence that is negative.", "VADER neg", "[0, 1]",
       "higher = more negative words"),
    _a("sentiment_mean", "Mean compound over the article's prose sentences; for a short text (prose of one "
       f"paragraph, at most {SHORT_TEXT_CHARS} characters, e.g. a tweet) the compound of the whole prose, "
       "as VADER was validated (see sentiment_scope).",
       "mean(compound); short text: VADER compound of the prose joined by spaces",
       "[-1, 1]; NaN without prose", "higher = more positive"),
    Metric(name="sentiment_scope", level="article", family="sentiment",
           description="Which rule gave sentiment_mean: 'sentences' (mean of sentence compounds: every news "
                       f"article) or 'text' (one VADER call on prose of one paragraph of at most "
                       f"{SHORT_TEXT_CHARS} characters with more than one sentence).",
           formula="'text' if one paragraph and len(prose) <= SHORT_TEXT_CHARS and > 1 sentence else 'sentences'",
           range="'sentences', 'text'; empty without prose", direction="label, not a score", reference=_REF,
           compare=False),
    _a("sentiment_median", "Median compound over prose sentences.", "median(compound)",
       "[-1, 1]; NaN without prose", "higher = more positive"),
    _a("share_negative", "Share of prose sentences with compound <= -0.05.", "#(compound <= -0.05) / #sentences",
       "[0, 1]", "higher = more negative sentences"),
    _a("share_neutral", "Share of prose sentences with -0.05 < compound < 0.05.",
       "#(|compound| < 0.05) / #sentences", "[0, 1]", "higher = more neutral sentences"),
    _a("share_positive", "Share of prose sentences with compound >= 0.05.", "#(compound >= 0.05) / #sentences",
       "[0, 1]", "higher = more positive sentences"),
    _a("sentiment_narrator_mean", "Mean compound of the outlet's own narration (sentences with "
       "in_quote < 0.5).", "mean(compound | in_quote < 0.5)", "[-1, 1]; NaN when there is none",
       "higher = more positive narration"),
    _a("sentiment_quoted_mean", "Mean compound of quoted speech (sentences with in_quote >= 0.5).",
       "mean(compound | in_quote >= 0.5)", "[-1, 1]; NaN when nothing is quoted",
       "higher = more positive quotes"),
]
