"""Readability and size of an article's prose: textstat's formulas, computed in one pass.

The eight readability formulas are the ones textstat implements (and the column names are textstat's
function names). biascmp computes them itself instead of calling textstat, for two reasons measured on
this machine (DESIGN.md): calling textstat per article is the 270 articles/s baseline (each formula
re-tokenises the text and re-counts syllables), and textstat 0.7.13 needs network access for its syllable
dictionary. Here the text is tokenised once, syllables come from a per-word cache
(:mod:`biascmp.syllables`), and every formula reads the same counts. The counting rules replicate
textstat 0.7.13 exactly (word, sentence, letter and syllable rules, Dale-Chall easy words read from the
installed textstat package), and a test checks agreement with textstat to 1e-9 on the same text.

Input text: the article's prose sentences (``kind == "prose"``) joined with single spaces, so
headlines, bylines, captions and metadata lines never count.

Short texts: below :data:`MIN_WORDS` words the formulas are not meaningful (a single long word gives a
Flesch score of -301); they are NaN and ``readability_note`` says why, instead of a number that looks valid.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import syllables
from .records import FamilyResult, Options, PreparedArticle
from .registry import Metric

#: per-word caches hold at most this many words, then start over (flat memory on any corpus size)
CACHE_LIMIT = 20_000
#: fewer prose words than this: readability formulas are NaN and flagged
MIN_WORDS = 30
#: MTLD's type-token-ratio threshold (McCarthy & Jarvis 2010)
MTLD_THRESHOLD = 0.72

FORMULAS = (
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
    "automated_readability_index", "dale_chall_readability_score", "consensus_grade",
)

# --- textstat 0.7.13's counting rules (textstat/backend/...) ------------------------------------------
# textstat removes apostrophes not starting a contraction, then all other punctuation but apostrophes;
# both sets are fixed by the original text (the look-ahead reads word characters only), so one pass
_PUNCTUATION = re.compile(r"[^\w\s']|'(?!(?:[tsd]|ve|ll|re))")

# textstat's sentence rule splits the text into pieces ``\b[^.!?]+[.!?]*`` and ignores the pieces of at
# most two words (whitespace runs that contain a word character; the closing . ! ? run holds none). Rather
# than a findall of words per piece, one findall marks the long pieces: the optional group captures the
# start of a piece body up to its third word, and the rest of the pattern takes the same span as textstat's.
_GAP = r"[^.!?\w]*+"  # spaces and runs without a word character
_RUN = r"\w[^.!?\s]*+"  # the rest of a run that has reached a word character
_TS_SENTENCE = re.compile(rf"\b(?=[^.!?])({_GAP}{_RUN}\s{_GAP}{_RUN}\s{_GAP}\w)?[^.!?]*[.!?]*")


def _remove_punctuation(text: str) -> str:
    """textstat's remove_punctuation(rm_apostrophe=False): keeps apostrophes of contractions only."""
    return _PUNCTUATION.sub("", text)


def _ts_sentence_count(text: str) -> int:
    """textstat's sentence rule: regex pieces ending in . ! ?, ignoring pieces of <= 2 words."""
    if not text:
        return 0
    pieces = _TS_SENTENCE.findall(text)  # "" for an ignored piece
    return max(1, len(pieces) - pieces.count(""))


@lru_cache(maxsize=1)
def _easy_words() -> frozenset[str]:
    """Dale-Chall easy words, read from the installed textstat package (same list textstat uses).

    The file is found without importing textstat: its ``__init__`` imports nltk, which imports scipy and
    scikit-learn (about 105 MB of resident memory in every analysing process, measured)."""
    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textstat is not installed: biascmp reads its Dale-Chall easy words list; "
                                  "pip install textstat")
    ref = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    with ref.open(encoding="utf-8") as f:
        return frozenset(ln.strip() for ln in f)


_word_syllables: dict[str, int] = {}


def word_syllables(word: str) -> int:
    """textstat's count_syllables(word) for one token (punctuation removed, lower-cased, cached)."""
    n = _word_syllables.get(word)
    if n is None:
        n = sum(syllables.count(w) for w in _remove_punctuation(word).lower().split())
        if len(_word_syllables) >= CACHE_LIMIT:
            _word_syllables.clear()
        _word_syllables[word] = n
    return n


# Per whitespace token (``text.split()``), everything the formulas count, so that after warm-up an
# article costs a few C-level passes over its tokens. textstat's punctuation removal never crosses
# whitespace (the apostrophe look-ahead only reads word characters), so a token's word is its own cleaned
# text, or nothing when no word character is left; tokens that differ only by punctuation share one entry.
#
# The counts a formula sums are packed into one int, a 64-bit field each, so one ``sum`` adds them all.
# A field sums at most 3 per character of the text (CMU's "w" has 3 syllables; Pyphen gives at most one
# more than a word's length), far below 2**64, so fields never carry into each other.
_FIELD = 64
_MASK = (1 << _FIELD) - 1
_N_FIELDS = 6  # words, letters, syllables, polysyllables, Gunning hard words, Dale-Chall hard words
_LETTERS, _SYLLABLES, _POLY, _FOG, _DALE_CHALL = (1 << (_FIELD * i) for i in range(1, _N_FIELDS))
_FLAGS = {(poly, fog, dc): poly * _POLY + fog * _FOG + dc * _DALE_CHALL
          for poly in (False, True) for fog in (False, True) for dc in (False, True)}
#: a token's entry: (word, word lower-cased, packed counts, Linsear Write entry: 1 + weight << 8; Linsear
#: Write sums at most 100 words, so the low byte never carries and the sums stay small ints)
_Entry = tuple[str, str, int, int]
_NO_WORD: _Entry = ("", "", 0, 0)
_lower_of, _counts_of, _linsear_of = (itemgetter(i) for i in range(1, 4))


class _PerToken(dict[str, _Entry]):
    """token -> _Entry; learns a missing token, so it can be cleared at any point."""

    def __missing__(self, token: str) -> _Entry:
        if len(self) >= CACHE_LIMIT:
            self.clear()
            _BY_WORD.clear()
        w = token if token.isalnum() else _remove_punctuation(token)  # isalnum() is re's \w, less "_"
        entry = (_BY_WORD.get(w) or _count_word(w)) if w else _NO_WORD
        self[token] = entry
        return entry


_TOKENS = _PerToken()
#: word -> its _Entry, shared by all the tokens that clean to it
_BY_WORD: dict[str, _Entry] = {}


def _count_word(w: str) -> _Entry:
    wl = w.lower()
    # = word_syllables(w): w is already clean, and lower() never makes whitespace
    n = syllables.count(wl)
    dc_hard = wl not in _easy_words()
    # Gunning's syllables are word_syllables(wl): n, unless lower-casing made a non-word character
    fog_hard = dc_hard and (n if wl.isascii() else word_syllables(wl)) >= 3
    counts = 1 + (len(w) - w.count("'")) * _LETTERS + n * _SYLLABLES + _FLAGS[n >= 3, fog_hard, dc_hard]
    entry = w, wl, counts, 1 | (3 if n >= 3 else 1 if n > 0 else 0) << 8
    _BY_WORD[w] = entry
    return entry


def _words(text: str) -> list[str]:
    """textstat's list_words(text): punctuation removed, split on whitespace.

    Not through the token cache: inside framing (its only caller, for n_words), with the other families
    running in between, this one regex pass took half the time of a dict lookup per token.
    """
    return _remove_punctuation(text).split()


def _linsear_write(raw_tokens: list[str], entries: list[_Entry]) -> float:
    """textstat's linsear_write_formula(strict_lower=False, strict_upper=True) (used by consensus).

    textstat strips punctuation from raw tokens one by one until it has 100 words; a raw token keeps a
    character exactly when it contains a word character, so only the position of the 100th such token
    has to be found (each round adds the number of words still missing, so it never overshoots).
    """
    i = len(raw_tokens)
    if i > 100:
        i = 100
        while True:
            total = sum(map(_linsear_of, entries[:i]))
            missing = 100 - (total & 0xFF)
            if not missing or i == len(raw_tokens):
                break
            i = min(i + missing, len(raw_tokens))
    else:
        total = sum(map(_linsear_of, entries))
    n_sent = _ts_sentence_count(" ".join(raw_tokens[:i]))
    if n_sent == 0:
        return 0.0
    number = float((total >> 8) / n_sent)
    if number <= 20:
        number -= 2
    return number / 2


def _grades(score: float) -> list[int]:
    return [math.floor(score), math.ceil(score), round(score)]


def _fre_band(score: float) -> list[int]:
    for low, grades in ((90, [5]), (80, [6]), (70, [7]), (60, [8, 9]), (50, [10]), (40, [11]), (30, [12])):
        if low <= score < low + 10:
            return grades
    return [13]


def readability(text: str) -> dict[str, Any]:
    """The eight textstat formulas plus the counts they use, for one text (no short-text guard).

    Agrees with ``textstat.<formula>(text)`` (textstat 0.7.13, ``en_US``) up to floating-point rounding.
    """
    raw_tokens = text.split()
    entries = list(map(_TOKENS.__getitem__, raw_tokens))
    total = sum(map(_counts_of, entries))
    n_words, n_letters, n_syll, poly, fog_hard, dc_hard = (
        (total >> (_FIELD * i)) & _MASK for i in range(_N_FIELDS))
    n_chars = sum(map(len, raw_tokens))  # str.split and re's \s agree on what whitespace is
    n_sent = _ts_sentence_count(text)

    wps = n_words / n_sent if n_sent else 0.0
    spw = n_syll / n_words if n_words else 0.0
    out: dict[str, float] = {}
    out["flesch_reading_ease"] = 0.0 if wps == 0 or spw == 0 else 206.835 - 1.015 * wps - 84.6 * spw
    out["flesch_kincaid_grade"] = 0.0 if wps == 0 or spw == 0 else 0.39 * wps + 11.8 * spw - 15.59
    out["gunning_fog"] = 0.0 if not n_words else 0.4 * (wps + 100 * fog_hard / n_words)
    out["smog_index"] = 0.0 if not n_sent else 1.043 * (30 * (poly / n_sent)) ** 0.5 + 3.1291
    letters = n_letters / n_words * 100 if n_words else 0.0
    sents = n_sent / n_words * 100 if n_words else 0.0
    out["coleman_liau_index"] = 0.0 if letters == 0 or sents == 0 else 0.058 * letters - 0.296 * sents - 15.8
    cpw = n_chars / len(raw_tokens) if raw_tokens else 0.0
    out["automated_readability_index"] = 0.0 if cpw == 0 or wps == 0 else 4.71 * cpw + 0.5 * wps - 21.43
    if n_words:
        pdw = 100 * dc_hard / n_words
        dc = 0.1579 * pdw + 0.0496 * wps + (3.6365 if pdw > 5 else 0.0)
    else:
        dc = 0.0
    out["dale_chall_readability_score"] = dc
    grades = _grades(out["flesch_kincaid_grade"]) + _fre_band(out["flesch_reading_ease"])
    for key in ("smog_index", "coleman_liau_index", "automated_readability_index",
                "dale_chall_readability_score"):
        grades += _grades(out[key])
    grades += _grades(_linsear_write(raw_tokens, entries)) + _grades(out["gunning_fog"])
    consensus = float(Counter(grades).most_common(1)[0][0])
    out["consensus_grade"] = float(max(1, min(consensus, 18)))
    out["_n_words"] = float(n_words)
    # per word, the same as lower-casing the joined words: lower() never makes whitespace, and its one
    # context rule (final sigma) does not look across whitespace
    out["_words_lower"] = list(filter(None, map(_lower_of, entries)))  # type: ignore[assignment]
    out["_n_syllables"] = float(n_syll)
    return out


def mtld(tokens: list[str], *, threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010), bidirectional.

    Walk the tokens keeping the type-token ratio (TTR) of the current segment; each time it falls to
    ``threshold`` or below, count one factor and start a new segment. The leftover segment adds a
    partial factor ``(1 - TTR) / (1 - threshold)``. MTLD = tokens / factors, averaged over the forward
    and the backward pass. NaN when no factor accumulates (all tokens distinct, or no tokens).
    Hand-written: the algorithm is a dozen lines; the packages that offer it pull in NLP stacks.
    """
    if not tokens:
        return math.nan
    if threshold >= 1:
        return 1.0  # every token's TTR is <= 1: each one closes a factor

    def one_way(seq: list[str]) -> float:
        # The TTR can only fall on a repeated token (a new type gives (n+1)/(c+1) >= n/c, and float
        # division keeps that order; a segment's first token has TTR 1 > threshold), so only repeats test it.
        factors = 0.0
        types: set[str] = set()
        add = types.add
        count = 0
        for tok in seq:
            count += 1
            if tok not in types:
                add(tok)
            elif len(types) / count <= threshold:
                factors += 1
                types = set()
                add = types.add
                count = 0
        if count:
            factors += (1 - len(types) / count) / (1 - threshold)
        return len(seq) / factors if factors > 0 else math.nan

    # both passes are needed: the segments, and so the factors, differ by direction
    fwd, bwd = one_way(tokens), one_way(tokens[::-1])
    if math.isnan(fwd) or math.isnan(bwd):
        return math.nan
    return (fwd + bwd) / 2


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Readability, size and quote share of the article's prose."""
    prose = article.prose()
    text = " ".join(s.text for s in prose)
    res = FamilyResult()
    art = res.article
    r = readability(text)
    n_words = int(r["_n_words"])
    article.shared["n_words"] = n_words
    n_sent = len(prose)
    art["n_words"] = n_words
    art["n_sentences"] = n_sent
    art["mean_sentence_length"] = n_words / n_sent if n_sent else math.nan
    art["syllables_per_word"] = r["_n_syllables"] / n_words if n_words else math.nan
    art["mtld"] = mtld(r["_words_lower"]) if n_words >= MIN_WORDS else math.nan  # type: ignore[arg-type]
    too_short = n_words < MIN_WORDS
    for key in FORMULAS:
        art[key] = math.nan if too_short else r[key]
    art["readability_note"] = (f"too short for readability formulas: {n_words} prose words < {MIN_WORDS}"
                               if too_short else "")
    chars = sum(len(s.text) for s in prose)
    art["quote_share"] = (sum(s.in_quote * len(s.text) for s in prose) / chars) if chars else math.nan
    return res


_TS = "textstat 0.7.13 rules (word: punctuation removed except contraction apostrophes, split on spaces)"
_NAN = f"NaN below {MIN_WORDS} prose words"


def _m(name: str, description: str, formula: str, range_: str, direction: str, reference: str,
       **kw: object) -> Metric:
    return Metric(name=name, level="article", family="readability", description=description,
                  formula=formula, range=range_, direction=direction, reference=reference, **kw)  # type: ignore[arg-type]


METRICS: list[Metric] = [
    _m("n_words", "Words in the article's prose (headlines, bylines, captions, metadata excluded).",
       f"count of words, {_TS}", "integer >= 0", "higher = longer article", "textstat lexicon_count",
       compare=False),
    _m("n_sentences", "Prose sentences found by biascmp's segmenter (abbreviation-, initial- and "
       "quote-aware). The readability formulas use textstat's own sentence rule instead, for agreement.",
       "count of sentences with kind == 'prose'", "integer >= 0", "higher = more sentences",
       "biascmp.prepare.split_sentences", compare=False),
    _m("mean_sentence_length", "Average words per prose sentence.", "n_words / n_sentences",
       "> 0 (NaN without prose)", "higher = longer sentences", "Flesch (1948) sentence-length factor"),
    _m("syllables_per_word", "Average syllables per word (CMU dictionary, Pyphen for unknown words).",
       "syllables / n_words", ">= 0 (typically 1.2-2.0)", "higher = longer words",
       "CMU Pronouncing Dictionary 1.1.3; Pyphen en_US"),
    _m("mtld", "Measure of Textual Lexical Diversity, bidirectional, TTR threshold 0.72, over "
       "lower-cased prose words.", "tokens / factors (mean of forward and backward passes)",
       f"> 0 (typically 50-150 for news); {_NAN} or when no factor completes",
       "higher = more varied vocabulary", "McCarthy & Jarvis (2010), Behavior Research Methods 42(2)"),
    _m("flesch_reading_ease", "Flesch Reading Ease.",
       "206.835 - 1.015 * words/sentence - 84.6 * syllables/word", f"<= 121.2, usually 0-100; {_NAN}",
       "higher = easier to read", "Flesch (1948); textstat.flesch_reading_ease"),
    _m("flesch_kincaid_grade", "Flesch-Kincaid grade level.",
       "0.39 * words/sentence + 11.8 * syllables/word - 15.59", f">= -3.4, US school grade; {_NAN}",
       "higher = harder", "Kincaid et al. (1975); textstat.flesch_kincaid_grade"),
    _m("gunning_fog", "Gunning Fog index (hard words: 3+ syllables and not a Dale-Chall easy word).",
       "0.4 * (words/sentence + 100 * hard words/words)", f">= 0, US grade; {_NAN}", "higher = harder",
       "Gunning (1952); textstat.gunning_fog"),
    _m("smog_index", "SMOG grade (no 30-sentence minimum, as in textstat).",
       "1.043 * sqrt(30 * polysyllables/sentences) + 3.1291", f">= 3.13, US grade; {_NAN}",
       "higher = harder", "McLaughlin (1969); textstat.smog_index"),
    _m("coleman_liau_index", "Coleman-Liau index.",
       "0.058 * letters per 100 words - 0.296 * sentences per 100 words - 15.8", f"US grade; {_NAN}",
       "higher = harder", "Coleman & Liau (1975); textstat.coleman_liau_index"),
    _m("automated_readability_index", "Automated Readability Index (characters exclude spaces; "
       "per whitespace token).", "4.71 * characters/token + 0.5 * words/sentence - 21.43",
       f"US grade; {_NAN}", "higher = harder", "Smith & Senter (1967); textstat.automated_readability_index"),
    _m("dale_chall_readability_score", "Dale-Chall score (difficult = not in the 3,000 easy words; "
       "no inflection matching, as in textstat).",
       "0.1579 * % difficult words + 0.0496 * words/sentence (+3.6365 if % difficult > 5)",
       f">= 0; 4.9 or lower = grade 4, 9.0-9.9 = college; {_NAN}", "higher = harder",
       "Dale & Chall (1948); textstat.dale_chall_readability_score"),
    _m("consensus_grade", "Most common grade among the formulas (floor, ceil and round of each, "
       "Flesch bands, Linsear Write), clamped to 1-18.", "mode of the grade votes",
       f"[1, 18]; {_NAN}", "higher = harder", "textstat.text_standard(float_output=True)"),
    _m("readability_note", "Why the readability formulas are missing, when they are (too few prose words); "
       "empty otherwise.", "text", "string", "not ordered", "biascmp.readability.MIN_WORDS", compare=False),
    _m("quote_share", "Share of the prose (by characters) inside quotation marks: how much of the "
       "article is quoted speech.", "sum(in_quote * sentence chars) / sum(sentence chars)",
       "[0, 1] (NaN without prose)", "higher = more quoted speech", "biascmp.prepare quotation tracker"),
]
