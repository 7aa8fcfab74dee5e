"""Framing: the 15 Policy Frames Codebook dimensions and the 5 generic news frames, from cue lexicons.

Policy frames (Boydstun, Card, Gross, Resnik & Smith 2014): every prose sentence (narration and quotes:
the journalist chose both) is matched against ``lexicons/policy_frames.csv``; each hit adds its weight
to its dimension. Per article, ``frame_<dimension>`` is the dimension's share of all cue weight (shares
sum to 1, or are all 0 when nothing matched), ``frame_primary`` the dimension with the largest share
("none" without cues; ties go to the dimension listed first in the codebook) and ``frame_entropy`` the
Shannon entropy of the shares in bits (0 = one frame only; log2 15 = 3.91 = all frames equally).

Generic frames (Semetko & Valkenburg 2000): cue weight per 100 prose words for conflict, human interest,
economic consequences, morality and responsibility (``gframe_<name>``). A responsibility cue ("must",
"blame", "failed to") counts only in a sentence that also names an agent who could be responsible: a
proper name after the first word, or an institution ("the city", "police", "the administration").

Every counted hit is an :class:`~biascmp.records.Evidence` row (family ``framing``, category
``frame:<dimension>`` or ``gframe:<name>``), so every article number can be recomputed from
``Analysis.evidence`` (tested). Cue lexicons are data; see docs/framing.md for how they were written.
"""

from __future__ import annotations

import math
import re

from .lexicons import resolve
from .readability import _words as words
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import Metric

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
GENERIC = ("conflict", "human_interest", "economic_consequences", "morality", "responsibility")

_AGENT_WORDS = re.compile(
    r"\b(?:government|administration|city|state|county|police|department|officials?|council|congress|"
    r"lawmakers?|legislature|mayor|governor|president|agency|agencies|authorities|leaders?|company|"
    r"companies|school board|prosecutors?|court|judges?|party|democrats?|republicans?)\b", re.I)
_PROPER_LATER = re.compile(r"(?<=[\s,;:(\"“])[A-Z][a-z]+")


def _has_agent(text: str) -> bool:
    return bool(_AGENT_WORDS.search(text) or _PROPER_LATER.search(text))


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    pf = resolve("policy_frames", "policy_frames", options.lexicons)
    gf = resolve("generic_frames", "generic_frames", options.lexicons)
    n = len(article.sentences)
    cues: list[float] = [math.nan] * n
    top: list[str | None] = [None] * n
    totals = dict.fromkeys(DIMENSIONS, 0.0)
    gtotals = dict.fromkeys(GENERIC, 0.0)
    evidence: list[Evidence] = []
    prose_text = " ".join(s.text for s in article.sentences if s.is_prose)
    n_words = len(words(prose_text))  # the article's n_words column (textstat's word rule)
    for i, s in enumerate(article.sentences):
        if not s.is_prose:
            continue
        sent = dict.fromkeys(DIMENSIONS, 0.0)
        for m in pf.find(s.text):
            if m.category not in totals:
                continue  # a user lexicon with extra categories: ignored (documented)
            sent[m.category] += m.weight
            totals[m.category] += m.weight
            evidence.append(Evidence(i, m.start, m.end, "framing", f"frame:{m.category}", m.text, m.weight,
                                     s.is_quoted_at(m.start, m.end)))
        cues[i] = sum(sent.values())
        if cues[i] > 0:
            top[i] = max(DIMENSIONS, key=lambda d: (sent[d], -DIMENSIONS.index(d)))
        agent = None
        for m in gf.find(s.text):
            if m.category not in gtotals:
                continue
            if m.category == "responsibility":
                if agent is None:
                    agent = _has_agent(s.text)
                if not agent:
                    continue
            gtotals[m.category] += m.weight
            evidence.append(Evidence(i, m.start, m.end, "framing", f"gframe:{m.category}", m.text, m.weight,
                                     s.is_quoted_at(m.start, m.end)))
    art: dict[str, object] = {}
    total = sum(totals.values())
    for d in DIMENSIONS:
        art[f"frame_{d}"] = totals[d] / total if total > 0 else 0.0
    if total > 0:
        art["frame_primary"] = max(DIMENSIONS, key=lambda d: (totals[d], -DIMENSIONS.index(d)))
        shares = [totals[d] / total for d in DIMENSIONS if totals[d] > 0]
        art["frame_entropy"] = max(0.0, -sum(p * math.log2(p) for p in shares))
    else:
        art["frame_primary"] = "none"
        art["frame_entropy"] = math.nan
    for g in GENERIC:
        art[f"gframe_{g}"] = 100 * gtotals[g] / n_words if n_words else math.nan
    return FamilyResult(sentence={"frame_cues": cues, "frame_top": top}, article=art, evidence=evidence)


_PF_REF = ("Boydstun, Card, Gross, Resnik & Smith (2014), Tracking the development of media frames within and "
           "across policy issues; Card et al. (2015) Media Frames Corpus; cues: biascmp lexicon policy_frames 1.0.0")
_GF_REF = ("Semetko & Valkenburg (2000), Framing European politics, Journal of Communication 50(2); cues: "
           "biascmp lexicon generic_frames 1.0.0")

METRICS: list[Metric] = [
    Metric("frame_cues", "sentence", "framing", "Total weight of policy-frame cues in the sentence.",
           "sum of cue weights over all 15 dimensions", ">= 0 (NaN for non-prose lines)",
           "higher = more framing vocabulary", _PF_REF, aggregate="sentence-weighted", compare=False),
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
             + (" (a cue counts only in a sentence naming an agent)" if g == "responsibility" else "") + ".",
             "100 * sum(cue weights) / n_words", ">= 0 (typically 0-5); NaN without prose",
             f"higher = more {g.replace('_', ' ')} framing", _GF_REF) for g in GENERIC],
]
