"""Attribution: how speech is reported, and who gets quoted.

Each prose sentence in which text preparation found a reporting verb tied to a speaker
(``Sentence.speaker_verb``, e.g. "…,” Lightfoot said." / "according to ABC News") is one attribution.
Its verb is classed with ``lexicons/attribution_verbs.csv``: ``neutral`` ("said", "told", "stated",
"according to") or ``evaluative`` ("claimed", "admitted", "insisted", "theorized", "decried", "begged",
"slammed", "conceded"): verbs that tell the reader what to think of the speaker or the claim (Bergler
1992; the AP Stylebook's advice to prefer "said"). Verbs in neither list count as ``other``.

Per article: ``attribution_loaded_share`` = evaluative / all attributions (NaN without attributions),
``n_attributions``, ``n_named_sources`` (distinct named speakers) and ``unnamed_source_share`` (share
of attributions to unnamed sources: "officials said", "sources say", "a spokeswoman", "police said").
Table ``speakers``: per speaker, the words inside quotation marks attributed to them, their share of all
quoted words, the number of quoting sentences, and whether the speaker is named.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .lexicons import resolve
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric

#: speakers that name nobody: generic roles and collectives
_UNNAMED = re.compile(
    r"^(?:(?:a|an|the|some|several|many|two|three|other|senior|top|local|federal|city|state|police|"
    r"administration|government|white house|campaign|department|company)\s+)*"
    r"(?:officials?|sources?|spokes(?:man|woman|person|people)|aides?|people|experts?|critics?|residents?|"
    r"witnesses|authorities|police|officers?|analysts?|observers|insiders?|staff(?:ers)?|advisers?|advisors?|"
    r"lawmakers|leaders|democrats|republicans|activists|organizers|protesters|neighbors|family|reports?|"
    r"statement|he|she|they|i|we|you|person|someone|others|many|some|critics)"
    r"(?:\s+(?:familiar with .*|who .*|close to .*|with knowledge .*))?$", re.I)
_PRONOUNS = {"he", "she", "they", "i", "we", "you", "it"}


def is_named(speaker: str) -> bool:
    """A speaker is named when it contains a proper name (a capitalised word that is not a generic role)."""
    s = speaker.strip()
    if not s or s.lower() in _PRONOUNS or _UNNAMED.match(s):
        return False
    return any(w[:1].isupper() for w in s.split() if w.lower() not in ("the", "a", "an"))


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    verbs = resolve("attribution", "attribution_verbs", options.lexicons)
    classes: dict[str, str] = {}
    for e in verbs.entries:
        classes.setdefault(e.term.lower(), e.category)
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
        if s.speaker and s.quote_spans:
            words = sum(len(s.text[a:b].split()) for a, b in s.quote_spans)
            quoted_words[s.speaker] += words
            n_quotes[s.speaker] += 1
        if not s.speaker_verb:
            continue
        verb = " ".join(s.speaker_verb.lower().split())
        cls = classes.get(verb, "other")
        col[i] = cls
        counts[cls] += 1
        if s.speaker_verb_span:
            a, b = s.speaker_verb_span
            evidence.append(Evidence(i, a, b, "attribution", cls, s.text[a:b], 1.0, s.is_quoted_at(a, b)))
        if s.speaker:
            if is_named(s.speaker):
                named.add(s.speaker)
            else:
                unnamed += 1
    total = sum(counts.values())
    all_quoted = sum(quoted_words.values())
    speakers = [{"speaker": sp, "quoted_words": w, "share_quoted_words": w / all_quoted if all_quoted else math.nan,
                 "n_quotes": n_quotes[sp], "named": is_named(sp)}
                for sp, w in sorted(quoted_words.items(), key=lambda kv: (-kv[1], kv[0]))]
    art = {"attribution_loaded_share": counts["evaluative"] / total if total else math.nan,
           "n_attributions": total, "n_named_sources": len(named),
           "unnamed_source_share": unnamed / total if total else math.nan}
    return FamilyResult(sentence={"attribution": col}, article=art, evidence=evidence, tables={"speakers": speakers})


_REF = ("Bergler (1992), Evidential analysis of reported speech; AP Stylebook ('said' is neutral); biascmp lexicon "
        "attribution_verbs 1.0.0; speakers from biascmp.prepare")

METRICS: list[Metric] = [
    Metric("attribution_loaded_share", "article", "attribution", "Share of the article's attributions whose "
           "reporting verb is evaluative ('claimed', 'admitted', 'slammed') rather than neutral ('said').",
           "#evaluative attributions / #attributions", "[0, 1]; NaN without attributions",
           "higher = more evaluative verbs of saying", _REF),
    Metric("n_attributions", "article", "attribution", "Sentences with a reporting verb tied to a speaker.",
           "count", "integer >= 0", "higher = more reported speech", _REF, compare=False),
    Metric("n_named_sources", "article", "attribution", "Distinct named speakers quoted or paraphrased.",
           "count of distinct named speakers", "integer >= 0", "higher = more named sources", _REF),
    Metric("unnamed_source_share", "article", "attribution", "Share of attributions to unnamed sources "
           "('officials said', 'sources say', 'a spokeswoman', pronouns without a named antecedent).",
           "#attributions to unnamed speakers / #attributions", "[0, 1]; NaN without attributions",
           "higher = more anonymous sourcing", _REF),
]
