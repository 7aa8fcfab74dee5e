"""Actors: who the story is about, and how the sentences that mention them sound.

Give actors with aliases (``{"Trump": ["Trump", "President Trump", "the president"]}``, or a YAML/CSV
file: ``biascmp analyze ... --actors actors.yaml``). An alias written in lower case ("the president",
"police") matches in any case; any other alias matches as written ("ICE" is not "ice"); words of an alias
match across any whitespace, on whole words ("Trump's" counts for "Trump").

Without a list, biascmp proposes actors in each article from title cues, without any model: a person
named after a title ("Mayor Lori Lightfoot", "Gov. J.B. Pritzker", "Supt. Eddie Johnson", "President
Donald Trump") becomes an actor keyed by surname (so "Lightfoot" alone also counts; "the president" is
added when the article names exactly one president), and institutions are found by name (police, ICE, FBI,
National Guard, DHS, ...). Proposals depend on the article only, never on the corpus; use
:func:`propose_actors` on a corpus to get a starting list to edit.

Table ``actors`` (one row per actor and article, for actors mentioned or quoted at least once):
``actor``, ``mentions`` (alias hits in prose), ``mentions_narrator`` / ``mentions_quoted`` (hits outside /
inside quotation marks), ``sentences`` (prose sentences that mention the actor or have the actor as
quoted speaker), ``sentiment`` (mean VADER compound of those sentences; the column the report reads,
"sentiment_all" in the issue), ``sentiment_narrator`` (the same over narration only: ``in_quote`` < 0.5,
as in :mod:`biascmp.sentiment`), ``speaker_share`` (share of those sentences in which the actor is the
quoted speaker) and ``subject_share`` (1 - speaker_share: talked about rather than talking), ``source``
("given" or "proposed").

The sentence compound is :func:`biascmp.sentiment.score`, the same cached scorer the sentiment family
uses (VADER on the original text, never lower-cased, words inside multi-word names masked), so the value
equals the sentence's ``compound`` column, with one rule more: an actor's own name never scores that
actor. The VADER words overlapping the actor's alias hits in the sentence are masked too
(:func:`biascmp.sentiment.score_with`), so "Liberty" does not make the sentences about Liberty University
positive, nor "Hope" those about Hope Hicks. Every alias hit is an evidence row (family ``actors``, category ``actor:<name>``), so the
``mentions`` columns can be recomputed from ``Analysis.evidence``.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ._validation import InputError
from .lexicons import load_lexicon
from .records import Evidence, FamilyResult, Options, PreparedArticle
from .registry import QUOTED_THRESHOLD, Metric

_STORY = load_lexicon("story_actors")  # the seed story's titles and institutions, with provenance
_PREFIXES = [e.term if e.term.endswith("-") else e.term + " " for e in _STORY.entries if e.category == "title_prefix"]
TITLES = ("(?:" + "|".join(map(re.escape, _PREFIXES)) + ")?(?:"
          + "|".join(re.escape(e.term) for e in _STORY.entries if e.category == "title") + ")")
_PART = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-'’][A-Z][a-z]+)?"  # "Lightfoot", "DeSantis", "O'Brien"; not "Trump's"
_NAME = r"(?:[A-Z]\.(?:[A-Z]\.)*\s?|" + _PART + r"\s)(?:[A-Z]\.\s?)?"
_TITLED_RE = re.compile(r"(?=[A-Z])" + TITLES + r"\s+((?:" + _NAME + r"){0,2}" + _PART + r")(?![\w.]*\w)")
#: institutions found by name: canonical name -> aliases (lower-case aliases match in any case); from the
#: story_actors lexicon
INSTITUTIONS: dict[str, tuple[str, ...]] = {}
for _e in _STORY.entries:
    if _e.category not in ("title", "title_prefix"):
        INSTITUTIONS[_e.category] = (*INSTITUTIONS.get(_e.category, ()), _e.term)
QUOTED = QUOTED_THRESHOLD  # a sentence is quoted speech when in_quote >= QUOTED (the registry's rule)


def _read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        if not {"actor", "alias"} <= set(df.columns):
            raise InputError(f"actors CSV {str(path)!r} needs columns 'actor' and 'alias' (one alias per row); "
                             f"it has {list(df.columns)}")
        data: dict[str, list[str]] = {}
        for a, al in zip(df["actor"], df["alias"]):
            data.setdefault(str(a), []).append(str(al))
        return data
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"actors file {str(path)!r} is not valid YAML: {exc}") from exc
    if not isinstance(data, (dict, list)):
        raise InputError(f"actors file {str(path)!r} must map each actor to a list of aliases "
                         "(e.g. 'Trump: [Trump, President Trump]')")
    return data


def normalise_actors(actors: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actors as ``((name, (alias, ...)), ...)``, sorted by name, from a dict ``{name: [aliases]}``, a list of
    names, or a YAML/CSV file path.

    YAML: ``Trump: [Trump, President Trump, the president]``. CSV: columns ``actor,alias`` (one alias per
    row). The name itself is always an alias; blank aliases are dropped; duplicates keep their first place.
    """
    if actors is None:
        return ()
    if isinstance(actors, (str, os.PathLike)):
        path = Path(os.fspath(actors))
        if not path.is_file():
            from ._validation import InputFileNotFound

            raise InputFileNotFound(f"actors file {str(path)!r} does not exist")
        actors = _read_file(path)
    if isinstance(actors, (list, tuple)):
        actors = {str(a): [str(a)] for a in actors}
    if not isinstance(actors, dict):
        raise InputError(f"Invalid actors={actors!r}: expected a dict {{name: [aliases]}}, a list of names or "
                         "a YAML/CSV file path")
    out = []
    for name, aliases in actors.items():
        if name is None or not str(name).strip():
            raise InputError(f"Invalid actors: an actor name is empty (aliases {aliases!r})")
        if aliases is None:
            aliases = []
        elif isinstance(aliases, str):
            aliases = [aliases]
        elif not isinstance(aliases, (list, tuple, set)):
            raise InputError(f"Invalid aliases for actor {name!r}: {aliases!r}; expected a list of strings")
        als = tuple(dict.fromkeys(a for a in [str(name).strip(), *(str(x).strip() for x in aliases)] if a))
        out.append((str(name).strip(), als))
    return tuple(sorted(out))


class _Matcher:
    """One compiled alternation for all aliases of a set of actors, and alias -> actors lookups."""

    def __init__(self, actors: tuple[tuple[str, tuple[str, ...]], ...]):
        self.exact: dict[str, list[str]] = {}
        self.folded: dict[str, list[str]] = {}
        parts = {}
        for name, aliases in actors:
            for a in aliases:
                key = " ".join(a.split())
                if not key:
                    continue
                table, k = (self.folded, key.lower()) if key.islower() else (self.exact, key)
                if name not in table.setdefault(k, []):
                    table[k].append(name)
                body = r"\s+".join(re.escape(w) for w in key.split())
                parts[(key.islower(), key)] = f"(?i:{body})" if key.islower() else body
        order = sorted(parts, key=lambda t: (-len(t[1]), t[1], t[0]))
        self.regex = (re.compile(r"(?<![\w-])(?:" + "|".join(parts[k] for k in order) + r")(?![\w-]*\w)")
                      if parts else None)

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, actor names) for every alias hit in ``text``."""
        if self.regex is None:
            return []
        out = []
        for m in self.regex.finditer(text):
            key = " ".join(m.group().split())
            names = self.exact.get(key, []) + [n for n in self.folded.get(key.lower(), [])
                                                if n not in self.exact.get(key, [])]
            if names:
                out.append((m.start(), m.end(), names))
        return out


_MATCHERS: dict[tuple[tuple[str, tuple[str, ...]], ...], _Matcher] = {}


def _matcher(actors: tuple[tuple[str, tuple[str, ...]], ...]) -> _Matcher:
    m = _MATCHERS.get(actors)
    if m is None:
        m = _Matcher(actors)
        if len(_MATCHERS) >= 512:  # proposals differ per article: keep the cache (and memory) bounded
            _MATCHERS.clear()
        _MATCHERS[actors] = m
    return m


_INSTITUTION_OF = {a: name for name, als in INSTITUTIONS.items() for a in als}
_INSTITUTIONS_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?i:{re.escape(a)})" if a.islower() else re.escape(a)
                                for a in sorted(_INSTITUTION_OF, key=len, reverse=True)) + r")(?![\w-]*\w)")


def propose_in_text(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actors proposed for one text: titled people keyed by surname, and institutions named in it."""
    people: dict[str, set[str]] = {}
    presidents = set()
    for m in _TITLED_RE.finditer(text):
        full = " ".join(m.group(1).split())
        surname = full.split()[-1]
        people.setdefault(surname, set()).update({surname, full})
        if "President" in m.group(0) and "Vice" not in m.group(0):
            presidents.add(surname)
    if len(presidents) == 1:
        people[next(iter(presidents))].add("the president")
    out = [(k, tuple(sorted(v))) for k, v in people.items()]
    found = set()
    for m in _INSTITUTIONS_RE.finditer(text):
        key = " ".join(m.group().split())
        found.add(_INSTITUTION_OF.get(key) or _INSTITUTION_OF[key.lower()])
    out += [(name, INSTITUTIONS[name]) for name in found if name not in people]
    return tuple(sorted(out))


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """The ``actors`` table (see the module docstring), ``n_actors`` and one evidence row per alias hit."""
    from .columnar.sentiment import SHARED_COMPOUND
    from .sentiment import score, score_with, spans_valence

    prose = [(i, s) for i, s in enumerate(article.sentences) if s.kind == "prose"]
    given = bool(options.actors)
    actors = options.actors if given else propose_in_text(" ".join(s.text for _, s in prose))
    if not actors:
        return FamilyResult(article={"n_actors": 0}, tables={"actors": []})
    matcher = _matcher(actors)
    # the sentence compounds the sentiment kernel left on this article (same values as score()), if it ran
    known = article.shared.get(SHARED_COMPOUND)
    stats: dict[str, dict[str, Any]] = {}
    evidence: list[Evidence] = []
    for i, s in prose:
        hits = matcher.find(s.text)
        speakers = {n for _, _, ns in matcher.find(s.speaker) for n in ns} if s.speaker else set()
        if not hits and not speakers:
            continue
        here: set[str] = set(speakers)
        for a, b, names in hits:
            q = s.is_quoted_at(a, b)
            for name in names:
                st = stats.setdefault(name, {"m": 0, "mq": 0, "c": [], "cn": [], "sp": 0})
                st["m"] += 1
                st["mq"] += q
                here.add(name)
                evidence.append(Evidence(i, a, b, "actors", f"actor:{name}", s.text[a:b], 1.0, q))
        compound = float(known[i]) if known is not None else math.nan
        if compound != compound:  # not left by the kernel (or not a sentence it scored): score it here
            compound = score(s.text)["compound"]
        for name in here:
            st = stats.setdefault(name, {"m": 0, "mq": 0, "c": [], "cn": [], "sp": 0})
            # an actor's own name never scores that actor: its alias hits are masked as well (own-name rule)
            own = [(a, b) for a, b, names in hits if name in names]
            c = score_with(s.text, own)["compound"] if own and spans_valence(s.text, own) else compound
            st["c"].append(c)
            if s.in_quote < QUOTED:
                st["cn"].append(c)
            st["sp"] += name in speakers
    rows = []
    for name, _aliases in actors:
        if name not in stats:
            continue
        st = stats[name]
        n = len(st["c"])
        rows.append({"actor": name, "mentions": st["m"], "mentions_narrator": st["m"] - st["mq"],
                     "mentions_quoted": st["mq"], "sentences": n, "sentiment": sum(st["c"]) / n,
                     "sentiment_narrator": sum(st["cn"]) / len(st["cn"]) if st["cn"] else math.nan,
                     "speaker_share": st["sp"] / n, "subject_share": 1 - st["sp"] / n,
                     "source": "given" if given else "proposed"})
    return FamilyResult(article={"n_actors": len(rows)}, evidence=evidence, tables={"actors": rows})


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
           "title cues and institution names); per-actor numbers are in the 'actors' table.",
           "count of actors with at least one mention or quote", "integer >= 0",
           "higher = more actors in the story", "biascmp.actors (rule-based, no model)", compare=False),
]
