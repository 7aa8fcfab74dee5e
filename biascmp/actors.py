"""Actors: who the story is about, and how the sentences that mention them sound.

Give actors with aliases (``{"Trump": ["Trump", "President Trump", "the president"]}``, or a YAML/CSV
file: ``biascmp analyze ... --actors actors.yaml``). Without a list, biascmp proposes actors in each
article from title cues, without any model: a person named after a title ("Mayor Lori Lightfoot",
"Gov. J.B. Pritzker", "Supt. Eddie Johnson", "President Donald Trump") becomes an actor keyed by surname
(so "Lightfoot" alone also counts), and well-known institutions are found by name (police, ICE, FBI,
National Guard, DHS ...). Proposals depend on the article only, never on the corpus; use
:func:`propose_actors` on a corpus to get a starting list to edit.

Table ``actors`` (one row per actor and article): ``actor``, ``mentions``, ``sentences``, ``sentiment``
(mean VADER compound of the prose sentences that mention the actor), ``sentiment_narrator`` (narration
only), ``speaker_share`` (share of those sentences in which the actor is the quoted speaker) and
``subject_share`` (1 - speaker_share: talked about rather than talking).
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ._validation import InputError
from .records import FamilyResult, Options, PreparedArticle
from .registry import Metric

TITLES = (r"(?:Former |Ex-|Chicago |Illinois |U\.S\. |Vice )?(?:Mayor|President|Gov\.|Governor|Sen\.|Senator|"
          r"Rep\.|Representative|Supt\.|Superintendent|Secretary|Attorney General|Police Chief|Chief|Judge|Ald\.|"
          r"Alderman|Alderwoman|Commissioner|Director|Speaker|Sheriff|Prosecutor|State's Attorney|Lt\. Gov\.)")
_NAME = r"(?:[A-Z]\.(?:[A-Z]\.)*\s?|[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\s)(?:[A-Z]\.\s?)?"
_TITLED_RE = re.compile(TITLES + r"\s+((?:" + _NAME + r"){0,2}[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)")
#: institutions found by name: canonical name -> aliases (case-sensitive where capitalisation matters)
INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "Police": ("police", "Police", "CPD", "Chicago Police Department", "police department", "officers"),
    "ICE": ("ICE", "Immigration and Customs Enforcement"),
    "FBI": ("FBI",),
    "DHS": ("DHS", "Department of Homeland Security", "Homeland Security"),
    "National Guard": ("National Guard",),
    "Border Patrol": ("Border Patrol",),
    "Justice Department": ("Justice Department", "Department of Justice", "DOJ"),
}
_SPEAKER_QUOTED = 0.0  # a sentence counts as the actor speaking when the actor is its speaker


def normalise_actors(actors: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actors as ((name, (alias, ...)), ...) from a dict, a list of names, or a YAML/CSV file path.

    YAML: ``Trump: [Trump, President Trump, the president]``. CSV: columns ``actor,alias`` (one alias per
    row). The name itself is always an alias.
    """
    if actors is None:
        return ()
    if isinstance(actors, (str, os.PathLike)):
        path = Path(os.fspath(actors))
        if not path.is_file():
            raise InputError(f"actors file {str(path)!r} does not exist")
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".csv":
            import io

            df = pd.read_csv(io.StringIO(text), dtype=str)
            if not {"actor", "alias"} <= set(df.columns):
                raise InputError(f"actors CSV {str(path)!r} needs columns 'actor' and 'alias'; it has "
                                 f"{list(df.columns)}")
            data: dict[str, list[str]] = {}
            for a, al in zip(df["actor"], df["alias"]):
                data.setdefault(str(a), []).append(str(al))
        else:
            import yaml

            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError as exc:
                raise InputError(f"actors file {str(path)!r} is not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise InputError(f"actors file {str(path)!r} must map each actor to a list of aliases")
        actors = data
    if isinstance(actors, (list, tuple)):
        actors = {str(a): [str(a)] for a in actors}
    if not isinstance(actors, dict):
        raise TypeError(f"Invalid actors={actors!r}: expected a dict {{name: [aliases]}}, a list or a file path")
    out = []
    for name, aliases in actors.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if aliases is None:
            aliases = []
        als = tuple(dict.fromkeys([str(name), *[str(a) for a in aliases if str(a).strip()]]))
        out.append((str(name), als))
    return tuple(sorted(out))


def _pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for a in sorted(aliases, key=lambda x: (-len(x), x)):
        body = r"\s+".join(re.escape(w) for w in a.split())
        # lower-case aliases ("the president", "police") match any case; names match as written
        parts.append(f"(?i:{body})" if a.islower() else body)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?!\w)")


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _compiled(aliases: tuple[str, ...]) -> re.Pattern[str]:
    p = _PATTERNS.get(aliases)
    if p is None:
        p = _pattern(aliases)
        if len(_PATTERNS) >= 512:  # proposals differ per article: keep the cache (and memory) small
            _PATTERNS.clear()
        _PATTERNS[aliases] = p
    return p


def propose_in_text(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actors proposed for one text: titled people keyed by surname, and institutions named in it."""
    people: dict[str, set[str]] = {}
    presidents = set()
    for m in _TITLED_RE.finditer(text):
        full = m.group(1).strip()
        surname = full.split()[-1]
        people.setdefault(surname, set()).update({surname, full})
        if "President" in m.group(0) and "Vice" not in m.group(0):
            presidents.add(surname)
    if len(presidents) == 1:
        people[next(iter(presidents))].add("the president")
    out = [(k, tuple(sorted(v))) for k, v in people.items()]
    found = {_INSTITUTION_OF[m.group()] for m in _INSTITUTIONS_RE.finditer(text)}
    out += [(name, INSTITUTIONS[name]) for name in found]
    return tuple(sorted(out))


_INSTITUTION_OF = {a: name for name, als in INSTITUTIONS.items() for a in als}
_INSTITUTIONS_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(_INSTITUTION_OF, key=len,
                                                                                         reverse=True)) + r")(?!\w)")


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    from .sentiment import score

    prose = [s for s in article.sentences if s.is_prose]
    actors = options.actors or propose_in_text(" ".join(s.text for s in prose))
    lowered = [s.text.lower() for s in prose]  # cheap substring test before any regex
    rows = []
    for name, aliases in actors:
        pat = _compiled(aliases)
        alias_low = [a.lower() for a in aliases]
        mentions = 0
        comps: list[float] = []
        narr: list[float] = []
        speaking = 0
        for s, low in zip(prose, lowered):
            hits = len(pat.findall(s.text)) if any(a in low for a in alias_low) else 0
            speaker = (s.speaker or "").lower()
            is_speaker = bool(speaker) and any(a in speaker for a in alias_low)
            if not hits and not is_speaker:
                continue
            mentions += hits
            c = score(s.text)["compound"]
            comps.append(c)
            if s.in_quote < 0.5:
                narr.append(c)
            speaking += is_speaker
        if not comps:
            continue
        rows.append({"actor": name, "mentions": mentions, "sentences": len(comps),
                     "sentiment": sum(comps) / len(comps),
                     "sentiment_narrator": sum(narr) / len(narr) if narr else math.nan,
                     "speaker_share": speaking / len(comps), "subject_share": 1 - speaking / len(comps)})
    art = {"n_actors": len(rows)}
    return FamilyResult(article=art, tables={"actors": rows})


def propose_actors(articles: Any, *, top: int = 20) -> pd.DataFrame:
    """Most frequent actors proposed across a corpus (a DataFrame with ``text``, or an Analysis), as a
    starting list to edit and pass back with ``actors=``: columns actor, articles, aliases."""
    if hasattr(articles, "tables") and "actors" in getattr(articles, "tables", {}):
        t = articles.tables["actors"]
        c = t.groupby("actor").size().sort_values(ascending=False, kind="mergesort").head(top)
        return pd.DataFrame({"actor": c.index, "articles": c.to_numpy(), "aliases": [[a] for a in c.index]})
    counts: Counter[str] = Counter()
    aliases: dict[str, set[str]] = {}
    for text in articles["text"].astype(str):
        for name, als in propose_in_text(text):
            counts[name] += 1
            aliases.setdefault(name, set()).update(als)
    names = sorted(counts, key=lambda k: (-counts[k], k))[:top]
    return pd.DataFrame({"actor": names, "articles": [counts[n] for n in names],
                         "aliases": [sorted(aliases[n]) for n in names]})


METRICS: list[Metric] = [
    Metric("n_actors", "article", "actors", "Actors found in the article (given with actors=, or proposed from "
           "title cues and institution names).", "count of actors with at least one mention or quote",
           "integer >= 0", "higher = more actors in the story", "biascmp.actors (rule-based, no model)",
           compare=False),
]
