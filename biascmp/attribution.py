"""Attribution: how speech is reported, and who gets quoted.

Each prose sentence in which text preparation found a reporting verb tied to a speaker
(``Sentence.speaker_verb``, e.g. "…,” Lightfoot said." / "according to ABC News") is one attribution.
Its verb is classed with ``lexicons/attribution_verbs.csv`` (Bergler 1992; the AP Stylebook's advice to
prefer "said"):

- ``neutral``: plain verbs of saying ("said", "told", "stated", "according to");
- ``descriptive``: verbs that name the kind of speech act without judging the claim ("argued", "warned",
  "urged", "denied");
- ``evaluative``: verbs that presuppose the claim is true or false, or characterise the speaker's manner
  ("claimed", "admitted", "insisted", "theorized", "decried", "begged", "slammed", "conceded");
- ``other``: verbs in none of the lists (the evidence row shows them, so users can extend the lexicon).

Speakers are classed by :func:`source_type`:

- ``named``: a proper name ("Lightfoot", "Chicago Police Chief David Brown", "ABC News");
- ``role``: a definite description of one office, body or document ("the mayor", "the report");
- ``pronoun``: "he", "she", "they" (the antecedent is usually named earlier; not anonymous);
- ``unnamed``: anonymous or collective sourcing ("officials", "sources familiar with the matter",
  "a spokeswoman", "police", "critics").

Per article::

    attribution_loaded_share = #evaluative attributions / #attributions         (NaN without attributions)
    n_named_sources          = #distinct named speakers (as written: "Trump" and "Donald Trump" are two)
    unnamed_source_share     = #attributions to unnamed speakers / #attributions (NaN without attributions)

Table ``speakers`` (one row per speaker of the article): ``speaker``, ``quoted_words`` (words inside
quotation marks in sentences attributed to the speaker), ``share_quoted_words`` (of all attributed quoted
words in the article), ``n_quotes`` (sentences with quoted words attributed to the speaker), ``named``
(bool) and ``source_type``.

References:
    Bergler, S. (1992). Evidential analysis of reported speech. PhD thesis, Brandeis University.
    Associated Press Stylebook, entry "say, said".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from .lexicons import resolve
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric

SOURCE_TYPES = ("named", "role", "pronoun", "unnamed")

_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "him", "her", "them"})
_DETERMINERS = r"(?:a|an|the|some|several|many|two|three|four|other|one|another)"
_GENERIC = (r"(?:officials?|sources?|spokes(?:man|woman|person|people)|aides?|people|persons?|experts?|critics?|"
            r"residents?|witnesses|witness|authorities|police|officers?|analysts?|observers?|insiders?|"
            r"staff(?:ers)?|advis[eo]rs?|lawmakers|legislators|leaders|democrats|republicans|activists|"
            r"organizers|protesters|neighbors|neighbours|relatives|friends|family|someone|others|many|some|"
            r"employees|workers|members|supporters|opponents|economists|scientists|researchers|doctors)")
_MODIFIERS = (r"(?:senior|top|local|federal|city|state|police|administration|government|white house|campaign|"
              r"department|company|military|intelligence|law enforcement|u\.s\.|american|foreign|former|current|"
              r"two|three|several|other|some|many|anonymous|unnamed)")
#: anonymous or collective sourcing: determiners and modifiers, a generic noun, optional qualifier
_UNNAMED_RE = re.compile(rf"^(?:{_DETERMINERS}\s+)?(?:{_MODIFIERS}\s+)*{_GENERIC}"
                         r"(?:\s+(?:familiar with|who|close to|with knowledge|briefed on|to|in|at|of|from|for)\b.*)?$", re.I)
#: words that are capitalised but name nobody (text preparation sometimes takes a date for a speaker)
_NOT_NAMES = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                        "february", "march", "april", "may", "june", "july", "august", "september", "october",
                        "november", "december", "today", "yesterday", "the", "a", "an"})
#: speakers that are only a date name nobody at all; they are not counted as sources
_DATE_ONLY = frozenset(_NOT_NAMES - {"the", "a", "an", "may"})


def source_type(speaker: str) -> str:
    """``named``, ``role``, ``pronoun`` or ``unnamed`` for a speaker string (see the module docstring).

    >>> [source_type(s) for s in ("Lightfoot", "the mayor", "he", "officials", "a spokeswoman")]
    ['named', 'role', 'pronoun', 'unnamed']
    """
    s = " ".join(speaker.split())
    low = s.lower()
    if not s or low in _PRONOUNS:
        return "pronoun" if s else "unnamed"
    if _UNNAMED_RE.match(s):
        return "unnamed"
    if any(w[:1].isupper() and w.lower().strip(".,") not in _NOT_NAMES for w in s.split()):
        return "named"
    if low.startswith(("the ", "this ", "that ", "his ", "her ", "their ", "its ")):
        return "role"
    return "unnamed"


def is_named(speaker: str) -> bool:
    """True when the speaker contains a proper name (``source_type(speaker) == "named"``)."""
    return source_type(speaker) == "named"


def _is_speaker(speaker: str | None) -> bool:
    return bool(speaker and speaker.strip() and speaker.strip().lower() not in _DATE_ONLY)


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Attribution verbs, source types and the speakers table of one article (see the module docstring)."""
    verbs = resolve("attribution", "attribution_verbs", options.lexicons)
    classes: dict[str, str] = {}
    for e in verbs.entries:
        classes.setdefault(" ".join(e.term.lower().split()), e.category)
    n = len(article.sentences)
    col: list[str | None] = [None] * n
    evidence: list[Evidence] = []
    counts: Counter[str] = Counter()
    named: set[str] = set()
    unnamed = 0
    quoted_words: Counter[str] = Counter()
    n_quotes: Counter[str] = Counter()
    for i, s in enumerate(article.sentences):
        if not s.is_prose:
            continue
        speaker = s.speaker.strip() if s.speaker and _is_speaker(s.speaker) else None
        if speaker and s.quote_spans:
            words = sum(len(s.text[a:b].split()) for a, b in s.quote_spans)
            if words:
                quoted_words[speaker] += words
                n_quotes[speaker] += 1
        if not s.speaker_verb:
            continue
        verb = " ".join(s.speaker_verb.lower().replace("’", "'").split())
        cls = classes.get(verb, "other")
        col[i] = cls
        counts[cls] += 1
        if s.speaker_verb_span:
            a, b = s.speaker_verb_span
            evidence.append(Evidence(i, a, b, "attribution", cls, s.text[a:b], 1.0, s.is_quoted_at(a, b)))
        if speaker:
            kind = source_type(speaker)
            if kind == "named":
                named.add(speaker)
            elif kind == "unnamed":
                unnamed += 1
    total = sum(counts.values())
    all_quoted = sum(quoted_words.values())
    speakers: list[dict[str, Any]] = []
    for sp, w in sorted(quoted_words.items(), key=lambda kv: (-kv[1], kv[0])):
        kind = source_type(sp)
        speakers.append({"speaker": sp, "quoted_words": w, "share_quoted_words": w / all_quoted,
                         "n_quotes": n_quotes[sp], "named": kind == "named", "source_type": kind})
    art = {"attribution_loaded_share": counts["evaluative"] / total if total else math.nan,
           "n_attributions": total, "n_named_sources": len(named),
           "unnamed_source_share": unnamed / total if total else math.nan}
    return FamilyResult(sentence={"attribution": col}, article=art, evidence=evidence, tables={"speakers": speakers})


_REF = ("Bergler (1992), Evidential analysis of reported speech; AP Stylebook, 'say, said' ('said' is neutral); "
        "biascmp lexicon attribution_verbs; speakers and reporting verbs from biascmp.prepare")

METRICS: list[Metric] = [
    Metric("attribution_loaded_share", "article", "attribution", "Share of the article's attributions whose "
           "reporting verb is evaluative ('claimed', 'admitted', 'slammed') rather than neutral ('said') or "
           "descriptive ('argued', 'warned').",
           "#evaluative attributions / #attributions", "[0, 1]; NaN without attributions",
           "higher = more evaluative verbs of saying", _REF),
    Metric("n_attributions", "article", "attribution", "Sentences with a reporting verb tied to a speaker.",
           "count", "integer >= 0", "higher = more reported speech", _REF, compare=False),
    Metric("n_named_sources", "article", "attribution", "Distinct named speakers quoted or paraphrased (as "
           "written: no coreference, so 'Trump' and 'Donald Trump' count twice).",
           "count of distinct speaker strings with source_type 'named'", "integer >= 0",
           "higher = more named sources", _REF),
    Metric("unnamed_source_share", "article", "attribution", "Share of attributions to anonymous or collective "
           "sources ('officials said', 'sources say', 'a spokeswoman', 'police'); pronouns and roles such as "
           "'the mayor' do not count as unnamed.",
           "#attributions to speakers with source_type 'unnamed' / #attributions", "[0, 1]; NaN without attributions",
           "higher = more anonymous sourcing", _REF),
]
