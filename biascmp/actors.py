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

import functools
import io
import itertools
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


def _by_first(alts: list[tuple[str, str]], after: Any = lambda c: "") -> str:
    """``(?:c1rest1|c2rest2|...)`` with the alternatives that start with the same literal grouped,
    ``c(?:after(c))(?:rest1|rest2)``, in their order. Alternatives with different first characters cannot
    match at the same place, so the order between groups does not matter; re then tries one group per
    position instead of every alternative."""
    groups: dict[str, list[str]] = {}
    for first, rest in alts:
        groups.setdefault(first, []).append(rest)
    return "(?:" + "|".join(f"{c}{after(c)}(?:{'|'.join(rests)})" for c, rests in groups.items()) + ")"


_STORY = load_lexicon("story_actors")  # the seed story's titles and institutions, with provenance
_PREFIXES = [e.term if e.term.endswith("-") else e.term + " " for e in _STORY.entries if e.category == "title_prefix"]
_TITLE_WORDS = [e.term for e in _STORY.entries if e.category == "title"]
TITLES = ("(?:" + "|".join(map(re.escape, _PREFIXES)) + ")?(?:" + "|".join(map(re.escape, _TITLE_WORDS)) + ")")
_PART = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-'’][A-Z][a-z]+)?"  # "Lightfoot", "DeSantis", "O'Brien"; not "Trump's"
_NAME = r"(?:[A-Z]\.(?:[A-Z]\.)*\s?|" + _PART + r"\s)(?:[A-Z]\.\s?)?"
_AFTER_TITLE = r"\s+((?:" + _NAME + r"){0,2}" + _PART + r")(?![\w.]*\w)"
# A titled person is (?=[A-Z])TITLES + _AFTER_TITLE. The regex below is that pattern with the optional
# prefix distributed over the titles ("(?:P1|P2)?T" -> "P1T|P2T|T": same matches, same priority) and the
# alternatives that cannot start with a capital dropped (the lookahead refused them): every alternative
# then starts with a literal, so re skips in C to the few characters a title can start with instead of
# trying every alternative at every position (2-3x faster on news text).
_TITLE_ALTS = [re.escape(p) + "(?:" + "|".join(map(re.escape, _TITLE_WORDS)) + ")" for p in _PREFIXES] \
    + [re.escape(t) for t in _TITLE_WORDS]
_TITLED_RE = re.compile(_by_first([(a[0], a[1:]) for a in _TITLE_ALTS if "A" <= a[:1] <= "Z"]) + _AFTER_TITLE)
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


#: the characters a case-insensitive regex matches for each ASCII lower-case letter: its two cases and,
#: for three letters, the non-ASCII letters Python's re folds onto them (the test checks every code point)
_FOLDS: dict[str, tuple[str, ...]] = {c: (c.upper(), c) for c in "abcdefghijklmnopqrstuvwxyz"}
_FOLDS.update({"i": ("I", "i", "\u0130", "\u0131"), "k": ("K", "k", "\u212a"), "s": ("S", "s", "\u017f")})


def _word_alternation(alts: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    r"""``(?<![\w-])(?:alt|alt|...)(?![\w-]*\w)`` (an alternative ``(body, folded)`` is the regex ``body``,
    case-insensitive when ``folded``) compiled in a form that matches exactly the same, but faster.

    The lookbehind moves behind each alternative's first character, ``c(?<![\w-]c)rest``, which checks the
    same character before ``c``; a case-insensitive alternative whose first character is an ASCII letter
    becomes one alternative per folding of that letter (:data:`_FOLDS`). When every alternative then starts
    with a literal, re skips in C to the characters an alias can start with instead of trying every
    alternative at every position of the text (1.3-3x faster on articles). ``body`` must start
    with one literal character, escaped (``re.escape`` of a word).
    """
    if not alts:
        return None
    out: list[tuple[str, str]] = []  # (first character, rest)
    for body, folded in alts:
        first, rest = (body[:2], body[2:]) if body[0] == "\\" else (body[:1], body[1:])
        if not folded:
            out.append((first, rest))
        elif first in _FOLDS:
            out.extend((c, f"(?i:{rest})") for c in _FOLDS[first])
        else:  # folding of another first character: the plain form (same matches, no skipping)
            return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?i:{b})" if f else b for b, f in alts)
                              + r")(?![\w-]*\w)")
    return re.compile(_by_first(out, lambda c: f"(?<![\\w-]{c})") + r"(?![\w-]*\w)")


@functools.lru_cache(maxsize=1024)  # the case-insensitive aliases proposals use are few ("the president")
def _alias_regex(body: str, folded: bool) -> re.Pattern[str]:
    """One alias as :func:`_word_alternation` of it alone."""
    return _word_alternation([(body, folded)])  # type: ignore[return-value]


def _literal_spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    r"""Every match in ``text`` (overlapping ones too) of the case-sensitive alias regex
    ``(?<![\w-])w1\s+w2...(?![\w-]*\w)``, found with ``str.find`` instead of a compiled regex.

    Proposed aliases are new in most articles ("Lightfoot", "Lori Lightfoot"), and compiling a regex for
    each took longer than all the matching. re's classes for str patterns are Python's string predicates:
    ``\w`` is ``isalnum()`` or "_", ``\s`` is ``isspace()``. The lookahead ``(?![\w-]*\w)`` fails exactly
    when the first character after the hyphens that follow the match is a word character.
    """
    out = []
    first, rest, n = words[0], words[1:], len(text)
    p = text.find(first)
    while p >= 0:
        c = text[p - 1] if p else " "
        if not (c.isalnum() or c == "_" or c == "-"):
            e = p + len(first)
            for w in rest:
                j = e
                while j < n and text[j].isspace():
                    j += 1
                if j == e or not text.startswith(w, j):
                    break
                e = j + len(w)
            else:
                j = e
                while j < n and text[j] == "-":
                    j += 1
                if j == n or not (text[j].isalnum() or text[j] == "_"):
                    out.append((p, e))
        p = text.find(first, p + 1)
    return out


def _regex_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Every match of a one-alias ``pattern`` in ``text``, overlapping ones too."""
    out = []
    m = pattern.search(text)
    while m is not None:
        out.append(m.span())
        m = pattern.search(text, m.start() + 1)
    return out


def _lowered(text: str) -> str | None:
    """``text.lower()`` when it is a per-character map onto the same positions in which every character a
    case-insensitive ASCII letter matches (:data:`_FOLDS`) became that letter; else None. The characters
    that break it: "İ" (its lower case is two characters), "ı" and "ſ" (they stay as they are)."""
    low = text.lower()
    return low if len(low) == len(text) and "\u0131" not in text and "\u017f" not in text else None


def _folded_spans(pattern: re.Pattern[str], text: str, lowered: str | None, first: str) -> list[tuple[int, int]]:
    """:func:`_regex_spans` of a case-insensitive alias whose first word ``first`` is ASCII letters, with the
    regex tried only where ``lowered`` (:func:`_lowered`) holds ``first``: a match can start nowhere else,
    and searching a string is several times faster than re's scan for a letter in two cases."""
    if lowered is None:
        return _regex_spans(pattern, text)
    out = []
    p = lowered.find(first)
    while p >= 0:
        m = pattern.match(text, p)
        if m is not None:
            out.append(m.span())
        p = lowered.find(first, p + 1)
    return out


def _leftmost_first(aliases: list[tuple[str, bool, tuple[str, ...]]], text: str) -> list[tuple[int, int]]:
    r"""The spans ``finditer`` of the alternation of ``aliases`` (``(body, folded, words)`` in priority
    order, as :class:`_Matcher` builds them) finds in ``text``, from each alias's own matches.

    re scans an alternation left to right: after a hit, the next one is the leftmost position where some
    alternative matches, with the first alternative that matches there. An alias matches at a start in at
    most one way (its words are literals, so ``\s+`` cannot give back), whatever was matched before (the
    lookbehind reads the text, not the scan). So: every match of every alias (overlapping ones too), sorted
    by (start, priority), taken greedily from the left.
    """
    found: list[tuple[int, int, int]] = []  # (start, priority, end)
    lowered: Any = False  # not computed yet
    for k, (body, folded, words) in enumerate(aliases):
        if not folded:
            spans = _literal_spans(text, words)
        elif words[0].isascii() and words[0].isalpha():
            if lowered is False:
                lowered = _lowered(text)
            spans = _folded_spans(_alias_regex(body, True), text, lowered, words[0])
        else:
            spans = _regex_spans(_alias_regex(body, True), text)
        found.extend((a, k, b) for a, b in spans)
    found.sort()
    out, pos = [], 0
    for a, _k, b in found:
        if a >= pos:
            out.append((a, b))
            pos = b
    return out


class _Matcher:
    """All aliases of a set of actors as one alternation, and alias -> actors lookups.

    ``compiled``: the alternation is one compiled regex (worth it for a given list, which serves the whole
    run); otherwise it is run as :func:`_leftmost_first`, alias by alias, without compiling (a proposed
    list is new in most articles, and compiling its alternation cost more than all the matching).
    """

    def __init__(self, actors: tuple[tuple[str, tuple[str, ...]], ...], *, compiled: bool = True):
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
                parts[(key.islower(), key)] = r"\s+".join(re.escape(w) for w in key.split())
        # longest alias first, so "President Trump" wins over "Trump" where both match
        order = sorted(parts, key=lambda t: (-len(t[1]), t[1], t[0]))
        self.regex = _word_alternation([(parts[k], k[0]) for k in order]) if compiled else None
        self.aliases = [(parts[k], k[0], tuple(k[1].split())) for k in order]
        self._names: dict[str, list[str]] = {}  # matched text -> actor names (aliases repeat in a text)
        self._speakers: dict[str, set[str]] = {}

    def names(self, matched: str) -> list[str]:
        """The actors an alias hit names: exact aliases first, then case-folded ones."""
        got = self._names.get(matched)
        if got is None:
            key = " ".join(matched.split())
            exact = self.exact.get(key, [])
            got = exact + [n for n in self.folded.get(key.lower(), []) if n not in exact]
            if len(self._names) >= 4096:  # a given list serves a whole corpus: keep memory bounded
                self._names.clear()
            self._names[matched] = got
        return got

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of the alternation's matches in ``text``, in order."""
        if self.regex is not None:
            return [m.span() for m in self.regex.finditer(text)]
        return _leftmost_first(self.aliases, text) if self.aliases else []

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, actor names) for every alias hit in ``text``."""
        out = []
        for a, b in self.spans(text):
            names = self.names(text[a:b])
            if names:
                out.append((a, b, names))
        return out

    def speakers(self, speakers: list[str]) -> dict[str, set[str]]:
        """The actors named in each speaker string, from one scan of the new ones joined."""
        if len(self._speakers) >= 4096:  # a given list serves a whole corpus: keep memory bounded
            self._speakers.clear()
        todo = [sp for sp in dict.fromkeys(speakers) if sp not in self._speakers]
        for sp, hits in zip(todo, self.find_joined(" ".join(todo), todo), strict=True):
            self._speakers[sp] = {n for _, _, ns in hits for n in ns}
        return {sp: self._speakers[sp] for sp in speakers}

    def find_joined(self, joined: str, parts: list[str]) -> list[list[tuple[int, int, list[str]]]]:
        """``[find(part) for part in parts]``, from one scan of ``joined == " ".join(parts)`` (an article's
        sentences, its speakers).

        The scan of the joined text finds what each part's own scan finds: the lookbehind and lookahead
        see a space or an end on both sides of every part (neither is a word character nor a hyphen), so
        they decide alike, and a scan that reaches a part's start is not inside a hit. Only a hit across a
        space between parts (an alias whose words span two sentences) differs: the parts it touches are
        then scanned on their own.
        """
        out: list[list[tuple[int, int, list[str]]]] = [[] for _ in parts]
        if not parts:
            return out
        ends = list(itertools.accumulate(len(part) + 1 for part in parts))  # one past each part's space
        starts = [0, *ends[:-1]]
        ends = [e - 1 for e in ends]
        alone = set()
        n, k = len(parts), 0
        for a, b in self.spans(joined):
            while ends[k] <= a:  # no hit starts on a space: this finds the part the hit starts in
                k += 1
            if b > ends[k]:  # across the space after part k: the parts it touches are scanned alone
                j = k
                while j < n and starts[j] < b:
                    alone.add(j)
                    j += 1
                continue
            names = self.names(joined[a:b])
            if names:
                out[k].append((a - starts[k], b - starts[k], names))
        for j in alone:
            out[j] = self.find(parts[j])
        return out


_MATCHERS: dict[tuple[Any, bool], _Matcher] = {}


def _matcher(actors: tuple[tuple[str, tuple[str, ...]], ...], *, compiled: bool = True) -> _Matcher:
    """The matcher of an actors tuple, built once (a given list is one tuple for the whole run)."""
    m = _MATCHERS.get((actors, compiled))
    if m is None:
        m = _Matcher(actors, compiled=compiled)
        if len(_MATCHERS) >= 512:  # proposals differ per article: keep the cache (and memory) bounded
            _MATCHERS.clear()
        _MATCHERS[(actors, compiled)] = m
    return m


_INSTITUTION_OF = {a: name for name, als in INSTITUTIONS.items() for a in als}
# institution aliases match as written (a space is one space), longest first
_INSTITUTIONS_RE: re.Pattern[str] = _word_alternation(  # type: ignore[assignment]  # (the lexicon has some)
    [(re.escape(a), a.islower()) for a in sorted(_INSTITUTION_OF, key=len, reverse=True)])


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


@functools.lru_cache(maxsize=65536)
def _has_valence(term: str) -> bool:
    """True when a word of an alias hit is a VADER word (:func:`biascmp.sentiment.spans_valence` of the whole
    hit); a pure function of the hit's text, which repeats ("Trump", "police"), so it is cached."""
    from .sentiment import spans_valence

    return spans_valence(term, [(0, len(term))])


def measure(article: PreparedArticle, *, options: Options) -> FamilyResult:
    """The ``actors`` table (see the module docstring), ``n_actors`` and one evidence row per alias hit."""
    from .columnar.sentiment import SHARED_COMPOUND
    from .sentiment import score, score_with

    prose = [(i, s) for i, s in enumerate(article.sentences) if s.kind == "prose"]
    texts = [s.text for _, s in prose]
    joined = " ".join(texts)
    given = bool(options.actors)
    actors = options.actors if given else propose_in_text(joined)
    if not actors:
        return FamilyResult(article={"n_actors": 0}, tables={"actors": []})
    matcher = _matcher(actors, compiled=given)
    # the sentence compounds the sentiment kernel left on this article (same values as score()), if it ran
    known = article.shared.get(SHARED_COMPOUND)
    stats: dict[str, dict[str, Any]] = {}
    evidence: list[Evidence] = []
    found = matcher.find_joined(joined, texts)  # one scan for all sentences
    named = matcher.speakers([s.speaker for _, s in prose if s.speaker])
    nobody: frozenset[str] = frozenset()
    for (i, s), hits in zip(prose, found, strict=True):
        speakers = named[s.speaker] if s.speaker else nobody
        if not hits and not speakers:  # most sentences name no actor
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
            masked = any(_has_valence(s.text[a:b]) for a, b in own)  # most names hold no VADER word
            c = score_with(s.text, own)["compound"] if masked else compound
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
