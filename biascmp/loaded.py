"""Loaded language: a transparent per-sentence score from documented, weighted cues.

For each prose sentence::

    raw = sum(component weight * cue weight, over lexicon hits)       # lexicons/loaded.csv, attribution_verbs.csv
        + SCARE_QUOTE  * scare quotes                                  # a quoted span of <= 3 words in narration
        + EXCLAIM      * min(exclamation marks, 2)
        + VADER_WEIGHT * sum(|VADER valence| of words) / 4              # sentiment intensity (VADER lexicon, MIT)
        - REPORTING    * reporting markers                            # "said", numbers, dates, named officials
    loaded_language = max(0, raw) / sqrt(max(words, 8) / 8)

Components (``lexicons/loaded.csv``): loaded nouns and verbs ("plague", "carnage", "tirade", "terrorize",
"begging"), subjective adjectives ("reckless", "shocking"), intensifiers, boosters, hedges, factive and
assertive verbs (after Recasens et al. 2013), superlatives and partisan labels; plus evaluative verbs of
saying ("claimed", "slammed"; ``lexicons/attribution_verbs.csv``). Straight reporting is marked by neutral
attribution, figures, dates and named officials; those markers lower the score (see DESIGN.md: sentence
bias labels track register as much as vocabulary). The length term keeps long sentences from scoring
high just by being long.

The component weights below were set on 70 % of ../shared/data/babe_sg1_dev.csv (the rows whose
text hash falls in the tuning part, see benchmarks/babe_auc.py); the other 30 % was held out of all tuning
and only scored at the end. No word list or weight was taken from BABE's annotations or lexicon.

Every term of ``raw`` is an evidence row (family ``loaded``; categories: the lexicon component,
``evaluative_verb``, ``scare_quote``, ``exclamation``, ``vader_intensity`` and, with negative weight,
``reporting_marker``), so a sentence's score is ``max(0, sum of its evidence weights) /
length_factor(count_words(text))``, recomputable from ``Analysis.evidence`` (tested).

Article level: ``loaded_language`` (mean over prose sentences), the same over narration
(``in_quote < 0.5``) and quoted speech separately, and the share of sentences above
:data:`THRESHOLD` (or ``analyze(..., loaded_threshold=...)``) for each.
"""

from __future__ import annotations

import math
import re

from .lexicons import resolve, tokens_of
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric
from .vader_fast import lexicon as vader_lexicon

#: weight per loaded.csv category (multiplies each entry's own weight)
COMPONENTS = {
    "loaded": 1.5, "subjective": 1.0, "intensifier": 2.0, "booster": 1.0, "hedge": 1.0, "factive": 1.0,
    "assertive": 1.5, "superlative": 0.25, "partisan_label": 2.0,
}
EVALUATIVE_VERB = 0.25
SCARE_QUOTE = 0.5
EXCLAIM = 0.5
VADER_WEIGHT = 0.25
REPORTING = 1.0
#: default threshold for a "loaded" sentence (about the 75th percentile of news narration on allsides_dev)
THRESHOLD = 1.0
QUOTED = 0.5

_NUMBER_RE = re.compile(r"(?<![\w.])\d[\d,.]*%?(?!\w)")
_DATE_RE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                      r"April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|"
                      r"Sept?\.|Oct\.|Nov\.|Dec\.|yesterday|last week|last month|last year)\b")
_OFFICIAL_RE = re.compile(r"\b(?:Sen\.|Rep\.|Gov\.|Supt\.|Sgt\.|Lt\.|Capt\.|Dr\.|spokes(?:man|woman|person)|"
                          r"press secretary|department|agency|officials?|according to)\b")
_NEUTRAL_SAY_RE = re.compile(r"\b(?:said|says|told|according to|stated|reported|announced|added)\b")


def _scare_quotes(s) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Short quoted spans (1-3 words) in a sentence that has no quoted speaker: quoting a word to
    distance oneself from it ("so-called 'experts'")."""
    if s.speaker or not s.quote_spans:
        return []
    out = []
    for a, b in s.quote_spans:
        words = s.text[a:b].split()
        if 1 <= len(words) <= 3 and (b - a) < 0.5 * len(s.text):
            out.append((a, b))
    return out


def score_sentence(s, loaded_lex, verbs_lex) -> tuple[float, list[Evidence]]:  # type: ignore[no-untyped-def]
    """(loaded_language, evidence) for one prose sentence."""
    text = s.text
    raw = 0.0
    ev: list[Evidence] = []
    for m in loaded_lex.find(text):
        w = COMPONENTS.get(m.category, 1.0) * m.weight
        raw += w
        ev.append(Evidence(s.index, m.start, m.end, "loaded", m.category, m.text, w, s.is_quoted_at(m.start, m.end)))
    for m in verbs_lex.find(text):
        if m.category == "evaluative":
            raw += EVALUATIVE_VERB
            ev.append(Evidence(s.index, m.start, m.end, "loaded", "evaluative_verb", m.text, EVALUATIVE_VERB,
                               s.is_quoted_at(m.start, m.end)))
    for a, b in _scare_quotes(s):
        raw += SCARE_QUOTE
        ev.append(Evidence(s.index, a, b, "loaded", "scare_quote", text[a:b], SCARE_QUOTE, False))
    excl = [k for k, ch in enumerate(text) if ch == "!"][:2]
    for k in excl:
        raw += EXCLAIM
        ev.append(Evidence(s.index, k, k + 1, "loaded", "exclamation", "!", EXCLAIM, s.is_quoted_at(k, k + 1)))
    get = vader_lexicon().get
    toks = tokens_of(text)
    n_words = len(toks)
    for a, b, low, _base, _key in toks:
        v = get(low)
        if v:
            w = VADER_WEIGHT * abs(v) / 4
            raw += w
            ev.append(Evidence(s.index, a, b, "loaded", "vader_intensity", text[a:b], w, s.is_quoted_at(a, b)))
    for rx, cap in ((_NUMBER_RE, 3), (_DATE_RE, 2), (_OFFICIAL_RE, 2), (_NEUTRAL_SAY_RE, 2)):
        for k, mm in enumerate(rx.finditer(text)):
            if k >= cap:
                break
            raw -= REPORTING
            ev.append(Evidence(s.index, mm.start(), mm.end(), "loaded", "reporting_marker", mm.group(), -REPORTING,
                               s.is_quoted_at(mm.start(), mm.end())))
    return max(0.0, raw) / length_factor(n_words), ev


def length_factor(n_words: int) -> float:
    """sqrt(max(words, 8) / 8): the score's length normalisation (words as _WORD_RE counts them)."""
    return math.sqrt(max(n_words, 8) / 8)


def count_words(text: str) -> int:
    """Words as the loaded-language score counts them (biascmp.lexicons.tokens_of), for recomputing it."""
    return len(tokens_of(text))


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    loaded_lex = resolve("loaded", "loaded", options.lexicons)
    verbs_lex = resolve("attribution", "attribution_verbs", options.lexicons)
    threshold = options.loaded_threshold if options.loaded_threshold is not None else THRESHOLD
    n = len(article.sentences)
    col: list[float] = [math.nan] * n
    evidence: list[Evidence] = []
    narr: list[float] = []
    quot: list[float] = []
    for i, s in enumerate(article.sentences):
        if not s.is_prose:
            continue
        v, ev = score_sentence(s, loaded_lex, verbs_lex)
        col[i] = v
        evidence.extend(ev)
        (quot if s.in_quote >= QUOTED else narr).append(v)
    allv = narr + quot

    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else math.nan

    def share(xs: list[float]) -> float:
        return sum(x > threshold for x in xs) / len(xs) if xs else math.nan

    art = {"loaded_language": mean(allv), "loaded_language_narrator_mean": mean(narr),
           "loaded_language_quoted_mean": mean(quot), "loaded_share_narrator": share(narr),
           "loaded_share_quoted": share(quot)}
    return FamilyResult(sentence={"loaded_language": col}, article=art, evidence=evidence)


_REF = ("biascmp loaded-language score: cue categories after Recasens, Danescu-Niculescu-Mizil & Jurafsky (2013), "
        "Linguistic models for analyzing and detecting biased language, ACL; Hyland (2005) hedges and boosters; "
        "VADER lexicon (Hutto & Gilbert 2014); validated on BABE SG1 (Spinde et al. 2021)")
_FORMULA = ("max(0, weighted cues + scare quotes + exclamations + VADER intensity - reporting markers) / "
            "sqrt(max(words, 8) / 8)")

METRICS: list[Metric] = [
    Metric("loaded_language", "sentence", "loaded", "Loaded-language score of the sentence.", _FORMULA,
           ">= 0 (typically 0-3); NaN for non-prose lines", "higher = more loaded, evaluative wording", _REF,
           aggregate="sentence-weighted", compare=False),
    Metric("loaded_language", "article", "loaded", "Mean loaded-language score over the article's prose sentences.",
           "mean of sentence loaded_language", ">= 0; NaN without prose", "higher = more loaded wording", _REF),
    Metric("loaded_language_narrator_mean", "article", "loaded", "Mean loaded-language score of the outlet's own "
           "narration (in_quote < 0.5): quoting a politician's words is not the outlet's language.",
           "mean of loaded_language over sentences with in_quote < 0.5", ">= 0; NaN without narration",
           "higher = more loaded narration", _REF),
    Metric("loaded_language_quoted_mean", "article", "loaded", "Mean loaded-language score of quoted speech.",
           "mean of loaded_language over sentences with in_quote >= 0.5", ">= 0; NaN without quotes",
           "higher = more loaded quotes", _REF),
    Metric("loaded_share_narrator", "article", "loaded", f"Share of narration sentences scoring above the "
           f"threshold ({THRESHOLD} by default; analyze(loaded_threshold=...)).",
           "#(narration sentences with loaded_language > threshold) / #narration sentences", "[0, 1]",
           "higher = more loaded narration sentences", _REF),
    Metric("loaded_share_quoted", "article", "loaded", "Share of quoted sentences scoring above the threshold.",
           "#(quoted sentences with loaded_language > threshold) / #quoted sentences", "[0, 1]",
           "higher = more loaded quotes", _REF),
]
