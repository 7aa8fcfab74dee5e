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
    n_named_sources          = #distinct named speakers, after merging surname variants (below)
    unnamed_source_share     = #attributions to unnamed speakers / #attributions (NaN without attributions)

Table ``speakers`` (one row per speaker of the article): ``speaker``, ``quoted_words`` (words inside
quotation marks in sentences attributed to the speaker), ``share_quoted_words`` (of all attributed quoted
words in the article), ``n_quotes`` (sentences with quoted words attributed to the speaker), ``named``
(bool), ``source_type`` and ``variants`` (the spellings merged into the row, "; "-separated).

Surname variants. News style names a person in full at first mention and by surname afterwards, so
within one article the named speakers that end in the same surname are one person ("Chicago Mayor Lori
Lightfoot", "Mayor Lightfoot", "Lightfoot"), labelled by the longest spelling, unless two of them carry
different given names ("Donald Trump" and "Melania Trump": then nothing is merged). This is a heuristic
of journalistic style, not coreference resolution: pronouns ("she said") and roles ("the mayor") stay
as written, and nothing is merged across articles.

References:
    Bergler, S. (1992). Evidential analysis of reported speech. PhD thesis, Brandeis University.
    Associated Press Stylebook, entry "say, said".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
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


@lru_cache(maxsize=65536)  # a pure function of the string; speakers repeat across articles
def source_type(speaker: str) -> str:
    """``named``, ``role``, ``pronoun`` or ``unnamed`` for a speaker string (see the module docstring).

    >>> [source_type(s) for s in ("Lightfoot", "the mayor", "he", "officials", "a spokeswoman")]
    ['named', 'role', 'pronoun', 'unnamed', 'unnamed']
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


#: words before a surname that are titles, not given names ("Mayor Lightfoot", "Mr. Trump")
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "president", "vice", "mayor", "gov", "governor", "sen", "senator",
    "rep", "representative", "supt", "superintendent", "chief", "secretary", "judge", "justice", "attorney",
    "general", "commissioner", "officer", "sgt", "sergeant", "lt", "capt", "captain", "det", "detective",
    "speaker", "leader", "chairman", "chairwoman", "chair", "minister", "prime", "ald", "alderman", "director",
    "spokesman", "spokeswoman", "former", "sheriff", "col", "gen", "adm", "rev", "pastor", "father", "sister",
    "dean", "coach", "ambassador", "deputy", "acting", "press", "house", "white", "u.s.", "state", "police",
})


def _name_words(speaker: str) -> list[str]:
    return [w.strip(".,").replace("’", "'") for w in speaker.split() if w.strip(".,")]


@lru_cache(maxsize=65536)  # pure functions of the string; named speakers repeat across articles
def _surname(speaker: str) -> str | None:
    """The last word of a named speaker, without a possessive ("Trump's" -> "trump"), or None."""
    words = _name_words(speaker)
    if not words or not words[-1][:1].isupper():
        return None
    last = words[-1]
    return (last[:-2] if last.endswith("'s") else last).lower()


@lru_cache(maxsize=65536)
def _given_name(speaker: str) -> str | None:
    """The word before the surname when it is a capitalised non-title word (a given name), else None."""
    words = _name_words(speaker)
    if len(words) < 2:
        return None
    w = words[-2]
    return w.lower() if w[:1].isupper() and w.lower() not in _TITLES and len(w.rstrip(".")) > 1 else None


def merge_surnames(speakers: list[str]) -> dict[str, str]:
    """Map each named speaker string of one article to its label: surname variants of one person merged
    (see the module docstring).

    >>> merge_surnames(["Lightfoot", "Chicago Mayor Lori Lightfoot", "Mayor Lightfoot"])["Lightfoot"]
    'Chicago Mayor Lori Lightfoot'
    >>> merge_surnames(["Donald Trump", "Melania Trump", "Trump"])["Trump"]
    'Trump'
    """
    by_surname: dict[str, list[str]] = {}
    for sp in dict.fromkeys(speakers):
        key = _surname(sp)
        if key is not None:
            by_surname.setdefault(key, []).append(sp)
    out = {sp: sp for sp in speakers}
    for variants in by_surname.values():
        if len(variants) < 2:
            continue
        given = {g for g in map(_given_name, variants) if g}
        if len(given) > 1:
            continue  # two people who share a surname
        label = max(variants, key=lambda v: (len(v), v))
        for v in variants:
            out[v] = label
    return out


def is_named(speaker: str) -> bool:
    """True when the speaker contains a proper name (``source_type(speaker) == "named"``)."""
    return source_type(speaker) == "named"


def _is_speaker(speaker: str | None) -> bool:
    return bool(speaker and speaker.strip() and speaker.strip().lower() not in _DATE_ONLY)


@lru_cache(maxsize=65536)  # a pure function of the string; speakers repeat
def _speaker_key(speaker: str) -> str | None:
    """The speaker as counted (stripped), or None when it names nobody (blank, or only a date)."""
    return speaker.strip() if _is_speaker(speaker) else None


def _classes(verbs: Any) -> dict[str, str]:
    """The verb table (normalised term -> category, first entry wins), built once per lexicon object
    (building it for every article took about 40 % of this family's time)."""
    got = verbs._compiled.get("attribution_classes")
    if got is None:
        got = {}
        for e in verbs.entries:
            got.setdefault(" ".join(e.term.lower().split()), e.category)
        verbs._compiled["attribution_classes"] = got
    return got  # type: ignore[no-any-return]


def _verb_classes(verbs: Any) -> dict[str, str]:
    """Reporting verb as written -> its class, filled as verbs are met (a few hundred distinct ones), one
    per lexicon object: normalising and looking up each verb again was a tenth of this family's time."""
    got = verbs._compiled.get("attribution_verb_classes")
    if got is None or len(got) > 65536:  # bounded, whatever the corpus
        got = verbs._compiled["attribution_verb_classes"] = {}
    return got  # type: ignore[no-any-return]


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Attribution verbs, source types and the speakers table of one article (see the module docstring)."""
    verbs = resolve("attribution", options.lexicons)
    classes, seen = _classes(verbs), _verb_classes(verbs)
    n = len(article.sentences)
    col: list[str | None] = [None] * n
    evidence: list[Evidence] = []
    counts: Counter[str] = Counter()
    named: set[str] = set()
    unnamed = 0
    quoted_words: Counter[str] = Counter()
    n_quotes: Counter[str] = Counter()
    for i, s in enumerate(article.sentences):
        # most sentences have neither a speaker nor a reporting verb: they count for nothing here
        if (not s.speaker and not s.speaker_verb) or s.kind != "prose":
            continue
        speaker = _speaker_key(s.speaker) if s.speaker else None
        if speaker and s.quote_spans:
            words = 0
            for a, b in s.quote_spans:  # a loop, not sum() of a generator: this line was a tenth of the family
                words += len(s.text[a:b].split())
            if words:
                quoted_words[speaker] += words
                n_quotes[speaker] += 1
        raw = s.speaker_verb
        if not raw:
            continue
        cls = seen.get(raw)
        if cls is None:
            cls = seen[raw] = classes.get(" ".join(raw.lower().replace("’", "'").split()), "other")
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
    label = merge_surnames(sorted({*named, *(sp for sp in quoted_words if source_type(sp) == "named")}))
    merged_words: Counter[str] = Counter()
    merged_quotes: Counter[str] = Counter()
    variants: dict[str, set[str]] = {}
    for sp, lab in label.items():  # every spelling of the person in the article, quoted or not
        variants.setdefault(lab, set()).add(sp)
    for sp, w in quoted_words.items():
        lab = label.get(sp, sp)
        merged_words[lab] += w
        merged_quotes[lab] += n_quotes[sp]
        variants.setdefault(lab, set()).add(sp)
    speakers: list[dict[str, Any]] = []
    for sp, w in sorted(merged_words.items(), key=lambda kv: (-kv[1], kv[0])):
        kind = source_type(sp)
        speakers.append({"speaker": sp, "quoted_words": w, "share_quoted_words": w / all_quoted,
                         "n_quotes": merged_quotes[sp], "named": kind == "named", "source_type": kind,
                         "variants": "; ".join(sorted(variants[sp]))})
    named = {label.get(sp, sp) for sp in named}
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
    Metric("n_named_sources", "article", "attribution", "Distinct named speakers quoted or paraphrased, "
           "surname variants of one person merged within the article ('Chicago Mayor Lori Lightfoot' and "
           "'Lightfoot' are one; 'Donald Trump' and 'Melania Trump' stay two).",
           "count of distinct named speakers after merging surname variants", "integer >= 0",
           "higher = more named sources", _REF),
    Metric("unnamed_source_share", "article", "attribution", "Share of attributions to anonymous or collective "
           "sources ('officials said', 'sources say', 'a spokeswoman', 'police'); pronouns and roles such as "
           "'the mayor' do not count as unnamed.",
           "#attributions to speakers with source_type 'unnamed' / #attributions", "[0, 1]; NaN without attributions",
           "higher = more anonymous sourcing", _REF),
]
