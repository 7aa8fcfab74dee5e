"""Framing: the 15 Policy Frames Codebook dimensions and the 5 generic news frames, from cue lexicons.

Policy frames (Boydstun, Card, Gross, Resnik & Smith 2014): every prose sentence (narration and quotes:
the journalist chose both) is matched against ``lexicons/policy_frames.csv``; each hit adds its weight
to its dimension. Per article, ``frame_<dimension>`` is the dimension's share of all cue weight (shares
sum to 1, or are all 0 when nothing matched), ``frame_primary`` the dimension with the largest share
("none" without cues; ties go to the dimension listed first in the codebook) and ``frame_entropy`` the
Shannon entropy of the shares in bits (0 = one frame only; log2 15 = 3.91 = all frames equally; NaN
without cues: no framing vocabulary is not the same as a single frame).

Generic frames (Semetko & Valkenburg 2000): cue weight per 100 prose words for conflict, human interest,
economic consequences, morality and responsibility, and resolution (the story presents a solution: the
frame of the Narrative Frames Corpus, Frermann et al. 2023, without a Semetko & Valkenburg counterpart)
(``gframe_<name>``; the word count is the article's ``n_words``, textstat's word rule over the prose). A responsibility cue ("must", "blame", "failed to")
counts only when an agent who could be responsible stands within :data:`AGENT_WINDOW` words of it: an
institution word ("city", "police", "administration", "lawmakers") or a capitalised word that is not the
first word of the sentence (a name: "Lightfoot", "ICE", "Congress").

Every counted hit is an :class:`~biascmp.records.Evidence` row (family ``framing``, category
``frame:<dimension>`` or ``gframe:<name>``), so every article number can be recomputed from
``Analysis.evidence`` and ``n_words`` (tested). Cue lexicons are data; see docs/framing.md for how they
were written. Users replace them with ``analyze(..., lexicons={"policy_frames": path})`` or
``{"generic_frames": path}``; a replacement must use the same category names.
"""

from __future__ import annotations

import math

from .lexicons import Lexicon, LexiconError, resolve, tokens_of
from .loaded import _never_quoted
from .readability import _words as textstat_words  # the n_words rule, so gframes share its denominator
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric

#: column suffixes, in the codebook's order (descriptive snake_case; ``frame_primary`` takes these values)
DIMENSIONS = ("economic", "capacity_and_resources", "morality", "fairness_and_equality",
              "legality_constitutionality", "policy_prescription", "crime_and_punishment",
              "security_and_defense", "health_and_safety", "quality_of_life", "cultural_identity",
              "public_opinion", "political", "external_regulation", "other")
LABELS = {
    "economic": "Economic", "capacity_and_resources": "Capacity and resources", "morality": "Morality",
    "fairness_and_equality": "Fairness and equality",
    "legality_constitutionality": "Legality, constitutionality and jurisprudence",
    "policy_prescription": "Policy prescription and evaluation", "crime_and_punishment": "Crime and punishment",
    "security_and_defense": "Security and defense", "health_and_safety": "Health and safety",
    "quality_of_life": "Quality of life", "cultural_identity": "Cultural identity",
    "public_opinion": "Public opinion", "political": "Political",
    "external_regulation": "External regulation and reputation", "other": "Other",
}
GENERIC = ("conflict", "human_interest", "economic_consequences", "morality", "responsibility", "resolution")
_ORDER = {d: i for i, d in enumerate(DIMENSIONS)}

#: words (lower case) that name an institution or office able to bear responsibility
AGENT_WORDS = frozenset(
    "government governments administration city state states county police department officials official "
    "council congress lawmakers lawmaker legislature legislators mayor governor president agency agencies "
    "authorities leaders leader company companies board prosecutors prosecutor court courts judge judges "
    "party democrats democrat republicans republican senate house washington officers officer superintendent "
    "administrator administrators school schools district minister ministry cabinet commission regulators "
    "employer employers".split())
#: a responsibility cue counts when an agent word is at most this many words before or after it
AGENT_WINDOW = 8


def _agent_positions(text: str) -> list[int]:
    """Token indices of agents in ``text`` (see the module docstring)."""
    out = []
    for k, (a, _b, low, base, _key) in enumerate(tokens_of(text)):
        if base in AGENT_WORDS or low in AGENT_WORDS:
            out.append(k)
        elif k > 0 and text[a].isupper():
            out.append(k)
    return out


def _check(lex: Lexicon, allowed: tuple[str, ...], family: str) -> None:
    """A replacement lexicon must use this family's categories (checked once per lexicon object)."""
    if lex._compiled.get("checked_" + family):
        return
    extra = [c for c in lex.categories if c not in allowed]
    if not extra:
        extra = sorted({e.category for e in lex.entries if e.category not in allowed})
    if extra:
        raise LexiconError(f"{lex.source or lex.name}: categories {extra} are not {family} categories; "
                           f"use {list(allowed)}")
    lex._compiled["checked_" + family] = True


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """Policy-frame shares, primary frame, entropy and generic-frame rates for one article."""
    pf = resolve("policy_frames", options.lexicons)
    gf = resolve("generic_frames", options.lexicons)
    _check(pf, DIMENSIONS, "policy_frames")
    _check(gf, GENERIC, "generic_frames")
    n = len(article.sentences)
    cues: list[float] = [math.nan] * n
    top: list[str | None] = [None] * n
    totals = dict.fromkeys(DIMENSIONS, 0.0)
    gtotals = dict.fromkeys(GENERIC, 0.0)
    evidence: list[Evidence] = []
    prose_texts = []
    for i, s in enumerate(article.sentences):
        if s.kind != "prose":
            continue
        text = s.text
        prose_texts.append(text)
        inq = s.is_quoted_at if s.quote_spans else _never_quoted
        sent: dict[str, float] = {}
        for m in pf.find(text):
            c = m.category
            sent[c] = sent.get(c, 0.0) + m.weight
            totals[c] += m.weight
            evidence.append(Evidence(i, m.start, m.end, "framing", "frame:" + c, m.text, m.weight,
                                     inq(m.start, m.end)))
        cues[i] = sum(sent.values())
        if sent:
            best = max(sent.values())
            top[i] = min((c for c, v in sent.items() if v == best), key=_ORDER.__getitem__)
        agents: list[int] | None = None
        starts: dict[int, int] | None = None
        for m in gf.find(text):
            c = m.category
            if c == "responsibility":
                if agents is None:
                    agents = _agent_positions(text)
                    starts = {t[0]: k for k, t in enumerate(tokens_of(text))}
                k0 = starts.get(m.start, -1)  # type: ignore[union-attr]
                if not any(abs(k - k0) <= AGENT_WINDOW for k in agents):
                    continue
            gtotals[c] += m.weight
            evidence.append(Evidence(i, m.start, m.end, "framing", "gframe:" + c, m.text, m.weight,
                                     inq(m.start, m.end)))
    n_words = article.shared.get("n_words")  # readability's count when it ran first (the same rule)
    if n_words is None:
        n_words = len(textstat_words(" ".join(prose_texts)))  # equals the article's n_words column
    art: dict[str, object] = {}
    total = sum(totals.values())
    for d in DIMENSIONS:
        art["frame_" + d] = totals[d] / total if total > 0 else 0.0
    if total > 0:
        best = max(totals.values())
        art["frame_primary"] = next(d for d in DIMENSIONS if totals[d] == best)
        shares = [totals[d] / total for d in DIMENSIONS if totals[d] > 0]
        art["frame_entropy"] = max(0.0, -sum(p * math.log2(p) for p in shares))
    else:
        art["frame_primary"] = "none"
        art["frame_entropy"] = math.nan
    for g in GENERIC:
        art["gframe_" + g] = 100 * gtotals[g] / n_words if n_words else math.nan
    return FamilyResult(sentence={"frame_cues": cues, "frame_top": top}, article=art, evidence=evidence)


_PF_REF = ("Boydstun, Card, Gross, Resnik & Smith (2014), Tracking the development of media frames within and "
           "across policy issues; Card et al. (2015) Media Frames Corpus; cues: biascmp lexicon policy_frames 1.2.0")
_GF_REF = ("Semetko & Valkenburg (2000), Framing European politics, Journal of Communication 50(2); resolution: "
           "Frermann, Li, Khanehzar & Haffari (2023), Conflicts, villains, resolutions, ACL; cues: "
           "biascmp lexicon generic_frames 1.2.0")

METRICS: list[Metric] = [
    Metric("frame_cues", "sentence", "framing", "Total weight of policy-frame cues in the sentence.",
           "sum of cue weights over all 15 dimensions", ">= 0 (NaN for non-prose lines)",
           "higher = more framing vocabulary", _PF_REF, aggregate="sentence-weighted", compare=False),
    Metric("frame_top", "sentence", "framing", "The policy-frame dimension with the most cue weight in the "
           "sentence (ties: the dimension listed first in the codebook); empty without cues.",
           "argmax over dimensions of the sentence's cue weight", "one of the 15 dimension names, or None",
           "categorical (not ordered)", _PF_REF, aggregate="sentence-weighted", compare=False),
    *[Metric(f"frame_{d}", "article", "framing",
             f"Share of the article's policy-frame cue weight in the '{LABELS[d]}' dimension.",
             f"cue weight of '{d}' / cue weight of all 15 dimensions (0 when no cue matched)", "[0, 1]; the 15 "
             "shares sum to 1 (or are all 0)", f"higher = the article leans more on the {LABELS[d].lower()} frame",
             _PF_REF) for d in DIMENSIONS],
    Metric("frame_primary", "article", "framing", "The policy-frame dimension with the largest share of cue "
           "weight (ties: the dimension listed first in the codebook); 'none' without cues.",
           "argmax over dimensions of frame_<dimension>", "one of the 15 dimension names, or 'none'",
           "categorical (not ordered)", _PF_REF, compare=False),
    Metric("frame_entropy", "article", "framing", "How spread the article's framing is over the 15 dimensions.",
           "-sum(p * log2 p) over dimensions with share p > 0", "[0, log2 15 = 3.91] bits; NaN without cues",
           "higher = framing spread over more dimensions; 0 = a single frame", _PF_REF),
    *[Metric(f"gframe_{g}", "article", "framing",
             f"Generic news frame '{g.replace('_', ' ')}': cue weight per 100 prose words"
             + (f" (a cue counts only with an agent within {AGENT_WINDOW} words)" if g == "responsibility" else "")
             + ".",
             "100 * sum(cue weights) / n_words", ">= 0 (typically 0-5); NaN without prose",
             f"higher = more {g.replace('_', ' ')} framing", _GF_REF) for g in GENERIC],
]
