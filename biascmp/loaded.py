"""Loaded language: a transparent per-sentence score from documented, weighted cues.

Higher value => more loaded, evaluative wording. For each prose sentence::

    raw = sum(COMPONENTS[category] * entry weight, over hits of lexicons/loaded.csv)
        + EVALUATIVE_VERB * evaluative verbs of saying      # lexicons/attribution_verbs.csv ("claimed", "slammed")
        + SCARE_QUOTE     * scare quotes                    # a quoted span of 1-3 words in a sentence without speaker
        + EXCLAIM         * min(exclamation marks, 2)
        + VADER_WEIGHT    * sum(|VADER valence| / 4, over words)   # sentiment intensity, VADER lexicon (MIT)
        - REPORTING       * reporting markers               # numbers (<= 3), dates (<= 2), officials (<= 2),
                                                            # neutral attribution "said", "according to" (<= 2)
    loaded_language = max(0, raw) / sqrt(max(words, 8) / 8)

Components (``lexicons/loaded.csv``, categories): ``loaded`` nouns and verbs ("plague", "carnage",
"tirade", "terrorize", "begging"), ``subjective`` adjectives ("reckless", "shocking"), ``intensifier``
adverbs ("very", "utterly"), ``booster`` and ``hedge`` words (Hyland 2005), ``factive`` and ``assertive``
verbs (Hooper 1975; the categories of Recasens et al. 2013), ``superlative`` forms and
``partisan_label`` s. Straight reporting is marked by neutral attribution, figures, dates and named
officials ("Sen. Warren"); those markers lower the score (DESIGN.md: sentence bias labels track register
as much as vocabulary). The length term keeps long sentences from scoring high just by being long.
VADER's lexicon is looked up per word (VADER itself lower-cases a word for the lookup); the text is never
lower-cased or altered for the sentiment family.

Weights: the component weights below were chosen on the tuning part (70 %) of the BABE SG1 dev file;
the other 30 % (fixed by a hash of the sentence text, see ``benchmarks/babe_auc.py``) was kept out of
tuning and scored only to report the result. Only these dozen constants were set that way: no word, list
or per-word weight comes from BABE's labels, its annotators' word marks or its lexicon, and none is
specific to a sentence. See docs/loaded.md for the numbers.

Every term of ``raw`` is an evidence row (family ``loaded``; categories: the lexicon component,
``evaluative_verb``, ``scare_quote``, ``exclamation``, ``vader_intensity`` and, with negative weight,
``reporting_marker``), so a sentence's score is ``max(0, sum of its evidence weights) /
length_factor(count_words(text))``, recomputable from ``Analysis.evidence`` (tested).

Article level: ``loaded_language`` (mean over prose sentences), the same over narration
(``in_quote < 0.5``) and quoted speech (``in_quote >= 0.5``) separately, and the share of each whose
score is above :data:`THRESHOLD` (or ``analyze(..., loaded_threshold=...)``).

References:
    Recasens, Danescu-Niculescu-Mizil & Jurafsky (2013). Linguistic models for analyzing and detecting
    biased language. ACL.  Hyland (2005). Metadiscourse. Continuum.  Hooper (1975). On assertive
    predicates. Syntax and Semantics 4.  Hutto & Gilbert (2014). VADER. ICWSM.  Spinde et al. (2021).
    Neural media bias detection using distant supervision with BABE. Findings of EMNLP.
"""

from __future__ import annotations

import math
import re

from .lexicons import resolve, tokens_of
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import QUOTED_THRESHOLD, Metric
from .vader_fast import lexicon as vader_lexicon

#: weight per loaded.csv category (multiplies each entry's own weight)
COMPONENTS = {
    "loaded": 1.5, "subjective": 1.0, "intensifier": 2.0, "booster": 1.0, "hedge": 1.0, "factive": 1.0,
    "assertive": 1.5, "superlative": 0.25, "partisan_label": 2.0,
}
#: per evaluative verb of saying, per scare quote, per exclamation mark, per unit of |VADER valence| / 4,
#: per reporting marker (subtracted)
EVALUATIVE_VERB = 0.25
SCARE_QUOTE = 0.5
EXCLAIM = 0.5
#: exclamation marks counted per sentence
MAX_EXCLAIM = 2
VADER_WEIGHT = 0.25
REPORTING = 1.0
#: default threshold for a "loaded" sentence: about the 90th percentile of narration sentences in
#: ../shared/data/allsides_dev.jsonl (0.91; 8.7 % of narration sentences score above 1.0)
THRESHOLD = 1.0
#: a sentence with at least this share of its characters inside quotation marks counts as quoted speech
QUOTED = QUOTED_THRESHOLD

_NUMBER_RE = re.compile(r"(?<![\w.])\d[\d,.]*%?(?!\w)")
_HAS_DIGIT = re.compile(r"\d").search
# Month abbreviations end in a dot, so they sit outside the closing \b (a dot followed by a space is
# no word boundary).
_DATE_RE = re.compile(r"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                      r"April|May|June|July|August|September|October|November|December|yesterday|"
                      r"last (?:week|month|year))\b|(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)")
#: named officials (an abbreviated title before a capitalised name: "Sen. Warren", "Supt. Eddie Johnson")
#: and the roles of official sourcing ("a spokeswoman", "officials", "the department"). Spelled-out titles
#: ("President Trump", "Mayor Lightfoot") are left out on purpose: commentary names officials that way as
#: often as straight reporting does (on the BABE tuning part they lowered the AUC from 0.707 to 0.688).
_OFFICIAL_RE = re.compile(r"\b(?:(?:Sen|Rep|Gov|Supt|Sgt|Lt|Capt|Dr|Det|Atty|Gen|Cmdr|Insp)\.\s+[A-Z][\w'’-]*|"
                          r"(?:spokes(?:man|woman|person)|press secretary|department|agency|officials?)\b)")
_NEUTRAL_SAY_RE = re.compile(r"\b(?:said|says|told|[Aa]ccording to|stated|reported|announced|added)\b")

# Exact prechecks: every match of a marker pattern contains one of its hint's literals. Most sentences
# have none, and a literal alternation is ~3x quicker to rule out than a pattern that starts with \b
# (which keeps the regex engine from skipping ahead by first character).
_DATE_HINT = re.compile(r"day|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|last ").search
_OFFICIAL_HINT = re.compile(r"Sen\.|Rep\.|Gov\.|Supt\.|Sgt\.|Lt\.|Capt\.|Dr\.|Det\.|Atty\.|Gen\.|Cmdr\.|Insp\.|"
                            r"spokes|press secretary|department|agency|official").search
_NEUTRAL_SAY_HINT = re.compile(r"said|says|told|ccording to|stated|reported|announced|added").search

#: (pattern, at most this many hits per sentence count, precheck) for each kind of reporting marker
_REPORTING_MARKERS = ((_NUMBER_RE, 3, _HAS_DIGIT), (_DATE_RE, 2, _DATE_HINT), (_OFFICIAL_RE, 2, _OFFICIAL_HINT),
                      (_NEUTRAL_SAY_RE, 2, _NEUTRAL_SAY_HINT))

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
    """(loaded_language, evidence) for one prose sentence ``s`` (a :class:`~biascmp.records.Sentence`)."""
    text = s.text
    idx = s.index
    spans = s.quote_spans
    inq = s.is_quoted_at if spans else _never_quoted
    raw = 0.0
    ev: list[Evidence] = []
    add = ev.append
    for m in loaded_lex.find(text):
        w = COMPONENTS.get(m.category, 1.0) * m.weight
        raw += w
        add(Evidence(idx, m.start, m.end, "loaded", m.category, m.text, w, inq(m.start, m.end)))
    for m in verbs_lex.find(text):
        if m.category == "evaluative":
            raw += EVALUATIVE_VERB
            add(Evidence(idx, m.start, m.end, "loaded", "evaluative_verb", m.text, EVALUATIVE_VERB,
                         inq(m.start, m.end)))
    if spans:
        for a, b in _scare_quotes(s):
            raw += SCARE_QUOTE
            add(Evidence(idx, a, b, "loaded", "scare_quote", text[a:b], SCARE_QUOTE, False))
    if "!" in text:
        k = text.find("!")
        for _ in range(MAX_EXCLAIM):
            if k < 0:
                break
            raw += EXCLAIM
            add(Evidence(idx, k, k + 1, "loaded", "exclamation", "!", EXCLAIM, inq(k, k + 1)))
            k = text.find("!", k + 1)
    get = vader_lexicon().get
    toks = tokens_of(text)
    for t in toks:
        v = get(t[2])
        if v:
            a, b = t[0], t[1]
            w = VADER_WEIGHT * abs(v) / 4
            raw += w
            add(Evidence(idx, a, b, "loaded", "vader_intensity", text[a:b], w, inq(a, b)))
    for rx, cap, hint in _REPORTING_MARKERS:
        if not hint(text):
            continue  # most sentences have no digit, date, official or "said": a quick scan rules them out
        for k, mm in enumerate(rx.finditer(text)):
            if k >= cap:
                break
            raw -= REPORTING
            add(Evidence(idx, mm.start(), mm.end(), "loaded", "reporting_marker", mm.group(), -REPORTING,
                         inq(mm.start(), mm.end())))
    return max(0.0, raw) / length_factor(len(toks)), ev


def _never_quoted(start: int, end: int) -> bool:  # noqa: ARG001
    return False


def length_factor(n_words: int) -> float:
    """sqrt(max(words, 8) / 8): the score's length normalisation (words as _WORD_RE counts them)."""
    return math.sqrt(max(n_words, 8) / 8)


def count_words(text: str) -> int:
    """Words as the loaded-language score counts them (biascmp.lexicons.tokens_of), for recomputing it."""
    return len(tokens_of(text))


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Sentence ``loaded_language`` (NaN for non-prose lines), the article means and shares, and one
    evidence row per cue (see the module docstring). Lexicons: ``options.lexicons`` entries ``loaded``
    and ``attribution`` replace the built-in files."""
    loaded_lex = resolve("loaded", options.lexicons)
    verbs_lex = resolve("attribution", options.lexicons)
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
