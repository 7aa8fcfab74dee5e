"""Lexicons as data: versioned CSV files with a header naming provenance and license, and a fast matcher.

File format (``biascmp/lexicons/*.csv``, UTF-8)::

    # name: policy_frames
    # version: 1.0.0
    # provenance: written for biascmp from the definitions of Boydstun et al. (2014) ...
    # license: MIT
    # categories: economic, capacity_and_resources, ...
    term,category,weight
    budget,economic,1.0
    tax*,economic,1.0
    "law enforcement",crime_and_punishment,0.5

- ``term``: a word or multi-word phrase, matched case-insensitively on word boundaries, with any run
  of whitespace between words. A trailing ``*`` matches any word ending (``terroriz*`` matches
  "terrorize", "terrorizing").
- ``category``: must be one of the header's ``categories`` (when the header lists them).
- ``weight``: a float (default 1.0).

Malformed rows, unknown categories and missing header fields raise :class:`LexiconError` naming the
file and line. Users add or replace lexicons with :func:`load_lexicon` on their own file, or through
``analyze(..., lexicons={"family": path})``.

Why a hand-written matcher: we need character offsets for every hit (evidence), phrases, stems and
possessives on whole words, and one pass per sentence shared by every lexicon. Per-term loops (the
usual notebook approach) cost O(terms) per sentence; one compiled regex alternation per lexicon costs
~70 us per sentence and lexicon; word-level libraries lack stems and offsets (flashtext) or match
substrings rather than words (Aho-Corasick automata). Here each new word is classified once for all
lexicons in one shared table, each sentence is scanned once, and a lexicon only visits the token
positions where one of its terms can start (tests/test_lexicons.py checks it against an independent
slow reference of the matching rules of :meth:`Lexicon.find`).
"""

from __future__ import annotations

import csv
import io
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ._validation import BiascmpError

REQUIRED_HEADER = ("name", "version", "provenance", "license")


class LexiconError(BiascmpError, ValueError):
    """A lexicon file is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class Entry:
    term: str
    category: str
    weight: float = 1.0


class Match(NamedTuple):
    """One lexicon hit (a named tuple: created hundreds of times per article, ~4x cheaper than a frozen
    dataclass)."""

    start: int
    end: int
    text: str
    term: str
    category: str
    weight: float


@dataclass(frozen=True)
class Lexicon:
    name: str
    version: str
    provenance: str
    license: str
    categories: tuple[str, ...]
    entries: tuple[Entry, ...]
    source: str = ""
    _compiled: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.entries)

    def _index(self) -> _Index:
        idx = self._compiled.get("i")
        if idx is None:
            idx = _Index(self.entries)
            self._compiled["i"] = idx
        return idx  # type: ignore[return-value]

    def find(self, text: str) -> list[Match]:
        """All non-overlapping hits in ``text`` (leftmost, then longest phrase), with offsets into ``text``.

        Matching is case-insensitive on whole words: a word is a run of letters/digits with inner hyphens
        or apostrophes ("far-left", "state's"), so "police" does not match inside "anti-police" or
        "policeman"; a possessive "'s" is ignored ("Trump's" matches "trump"; in a phrase, on its first and
        last word). Words of a phrase may be
        separated by any whitespace. A trailing ``*`` matches any word ending.
        """
        return self._index().find(text)

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "version": self.version, "provenance": self.provenance,
                "license": self.license, "n_entries": len(self.entries), "categories": list(self.categories),
                "source": self.source}


_WS = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*")


class _Index:
    """Token-level lookup tables for one lexicon (hand-written: a regex alternation of hundreds of terms
    cost ~70 us per sentence per lexicon; dictionary lookups on shared tokens cost a few)."""

    def __init__(self, entries: tuple[Entry, ...]):
        # first word -> [(words, last_is_stem, needs_dot, entries)], longest phrase first
        self.phrases: dict[str, list[tuple[tuple[str, ...], bool, bool, list[Entry]]]] = {}
        self.single: dict[str, list[Entry]] = {}
        self.single_dot: dict[str, list[Entry]] = {}
        self.stems: dict[str, list[Entry]] = {}
        grouped: dict[tuple[tuple[str, ...], bool], list[Entry]] = {}
        for e in entries:
            stem = e.term.endswith("*")
            key = _norm_key(e.term.rstrip("*"))
            grouped.setdefault((tuple(key.split(" ")), stem), []).append(e)
        for (words, stem), es in grouped.items():
            needs_dot = False
            if words[-1].endswith(".") and not _TOKEN_RE.fullmatch(words[-1]):
                words = (*words[:-1], words[-1][:-1])
                needs_dot = True
            if len(words) == 1 and not needs_dot:
                (self.stems if stem else self.single).setdefault(words[0], []).extend(es)
            elif len(words) == 1:
                self.single_dot.setdefault(words[0], []).extend(es)
            else:
                self.phrases.setdefault(words[0], []).append((words, stem, needs_dot, es))
        for lst in self.phrases.values():
            lst.sort(key=lambda t: (-len(t[0]), -sum(map(len, t[0]))))
        self.stem_lengths = sorted({len(k) for k in self.stems}, reverse=True)
        #: this index's place in the shared word table (_Shared.indexes)
        self._slot = -1

    def _word(self, w: str) -> list[Entry] | None:
        """Entries for one whole word (exact first, then the longest stem)."""
        res = self.single.get(w)
        if res is None:
            for n in self.stem_lengths:
                if n <= len(w) and w[:n] in self.stems:
                    return self.stems[w[:n]]
        return res

    def _info(self, low: str, base: str) -> tuple[object, ...] | None:
        """(phrase candidates, entries for the word, end trim, entries needing a dot) for a token; None
        when nothing can start there."""
        cands = self.phrases.get(base) or (self.phrases.get(low) if low != base else None)
        single = self._word(low)
        trim = 0
        if single is None and base != low:
            single = self._word(base)
            trim = len(low) - len(base)
        dot = self.single_dot.get(low)
        return None if not (cands or single or dot) else (cands, single, trim, dot)

    def find(self, text: str) -> list[Match]:
        shared, slot = _SHARED, self._slot
        # by identity: an index unpickled in a worker process arrives with a stale slot
        known = 0 <= slot < len(shared.indexes) and shared.indexes[slot] is self
        if not known or len(shared.words) >= _CACHE_LIMIT:
            shared, slot = _register(self)
        starts = _starts_of(text, shared)[slot]
        if not starts:
            return []
        toks = tokens_of(text)
        infos = shared.infos[slot]
        out: list[Match] = []
        n = len(toks)
        i = -1
        for k in starts:
            if k < i:
                continue  # inside an earlier phrase match
            i = k
            start, end, low, base, key = toks[i]
            cands, single, trim, dot = infos[key]  # type: ignore[misc]
            done = False
            if cands:
                for words, stem, needs_dot, es in cands:  # type: ignore[attr-defined,union-attr]
                    m = len(words)
                    if i + m > n:
                        continue
                    ok = True
                    for j in range(1, m):
                        t = toks[i + j]
                        w = t[3] if j == m - 1 else t[2]
                        if not (w.startswith(words[j]) if (stem and j == m - 1) else w == words[j]):
                            ok = False  # (the word test first: it fails more often than the gap test)
                            break
                        if not text[toks[i + j - 1][1]:t[0]].isspace():
                            ok = False
                            break
                    if ok and needs_dot and not text.startswith(".", toks[i + m - 1][1]):
                        ok = False
                    if ok:
                        last = toks[i + m - 1]
                        e_end = last[1] + 1 if needs_dot else last[1] - (len(last[2]) - len(last[3]))
                        for e in es:
                            out.append(Match(start, e_end, text[start:e_end], e.term, e.category, e.weight))
                        i += m
                        done = True
                        break
            if done:
                continue
            i += 1
            if dot and text.startswith(".", end):
                for e in dot:  # type: ignore[attr-defined,union-attr]
                    out.append(Match(start, end + 1, text[start:end + 1], e.term, e.category, e.weight))
            elif single:
                e_end = end - trim  # type: ignore[operator]
                for e in single:  # type: ignore[attr-defined,union-attr]
                    out.append(Match(start, e_end, text[start:e_end], e.term, e.category, e.weight))
        return out


class _Shared:
    """One word table for every lexicon in use (hand-written: the families match five lexicons against
    each sentence; classifying each word once for all of them, and scanning a sentence once, replaces
    five set operations and five token loops per sentence).

    ``words`` maps a token's cache key to the slots of the lexicons where a phrase or word can start
    there (``infos[slot]`` holds that lexicon's :meth:`_Index._info` for it); ``starts`` maps a sentence
    to, per slot, the token indices where its terms can start. A table is never restructured in place:
    a new lexicon or a full cache makes a new table, so a thread still using the old one stays consistent.
    """

    def __init__(self, indexes: tuple[_Index, ...]) -> None:
        self.indexes = indexes
        self.words: dict[str, tuple[int, ...]] = {}
        self.infos: list[dict[str, tuple[object, ...]]] = [{} for _ in indexes]
        self.starts: dict[str, tuple[tuple[int, ...], ...]] = {}
        # a quick exact test for a new word: every word, phrase start and stem head of the lexicons (a
        # word can start a term only if it, its base or its first ``head`` letters are here)
        self.exact = {w for i in indexes for d in (i.phrases, i.single, i.single_dot) for w in d}
        self.head = min((len(w) for i in indexes for w in i.stems), default=0)
        self.heads = {w[:self.head] for i in indexes for w in i.stems}


_SHARED = _Shared(())
_SHARED_LOCK = threading.Lock()
#: lexicons that share the word table before it starts over
_MAX_LEXICONS = 32


def _register(idx: _Index) -> tuple[_Shared, int]:
    """The current word table with ``idx`` in it, and its slot: a new table when ``idx`` is not in the
    current one (it knows only the earlier slots) or the current one is full."""
    global _SHARED
    with _SHARED_LOCK:
        shared = _SHARED
        if 0 <= idx._slot < len(shared.indexes) and shared.indexes[idx._slot] is idx:
            if len(shared.words) >= _CACHE_LIMIT:  # bounded caches: flat memory on any corpus size
                shared = _SHARED = _Shared(shared.indexes)
        else:
            # many lexicons made and dropped (tests, user loops): start over rather than grow
            indexes = shared.indexes if len(shared.indexes) < _MAX_LEXICONS else ()
            idx._slot = len(indexes)
            shared = _SHARED = _Shared((*indexes, idx))
        return shared, idx._slot


def _starts_of(text: str, shared: _Shared) -> tuple[tuple[int, ...], ...]:
    """Per lexicon slot of ``shared``, the indices of the tokens where one of its terms can start, in
    order; cached per sentence like :func:`tokens_of` (as tuples of ints, which the garbage collector
    stops tracking)."""
    res = shared.starts.get(text)
    if res is not None:
        return res
    toks = tokens_of(text)
    words = shared.words
    indexes = shared.indexes
    infos = shared.infos
    found: list[list[int]] = [[] for _ in indexes]
    get = words.get
    exact, heads, head = shared.exact, shared.heads, shared.head
    for k, t in enumerate(toks):
        e = get(t[4])
        if e is None:  # a word not seen yet: classify it once for every lexicon
            low, base = t[2], t[3]
            slots = []
            if low in exact or base in exact or low[:head] in heads:  # else no lexicon has it
                for slot, idx in enumerate(indexes):
                    info = idx._info(low, base)
                    if info is not None:
                        infos[slot][t[4]] = info
                        slots.append(slot)
            e = words[t[4]] = tuple(slots)
        for slot in e:
            found[slot].append(k)
    res = tuple(map(tuple, found))
    if len(shared.starts) > 4096:
        shared.starts.clear()
    shared.starts[text] = res
    return res


#: words the shared word table remembers before a new one starts over
_CACHE_LIMIT = 60_000


_TOKENS_CACHE: dict[str, list[tuple[int, int, str, str, str]]] = {}


def tokens_of(text: str) -> list[tuple[int, int, str, str, str]]:
    """(start, end, lower-cased word, the same without a possessive 's, cache key) per word of ``text``;
    cached for the most recent sentences, since every lexicon reads the same sentence."""
    toks = _TOKENS_CACHE.get(text)
    if toks is None:
        lt = text.lower().replace("’", "'")
        if len(lt) != len(text):  # a character whose lower case is longer (rare): lower word by word
            lt = "".join(ch.lower()[:1] for ch in text).replace("’", "'")
        toks = []
        for a, b in [m.span() for m in _TOKEN_RE.finditer(text)]:
            if a and text[a - 1] == "-":
                continue  # a word glued to a hyphen belongs to another word ("anti-police")
            low = lt[a:b]
            if low[-2:] == "'s" and len(low) > 2:
                base = low[:-2]
                toks.append((a, b, low, base, low + "\x00" + base))
            else:
                toks.append((a, b, low, low, low))
        if len(_TOKENS_CACHE) > 4096:
            _TOKENS_CACHE.clear()
        _TOKENS_CACHE[text] = toks
    return toks


def _norm_key(s: str) -> str:
    return _WS.sub(" ", s.strip().lower().replace("’", "'"))


def parse_lexicon(text: str, *, source: str = "<string>") -> Lexicon:
    header: dict[str, str] = {}
    body_lines: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            if ":" in line:
                k, v = line[1:].split(":", 1)
                header[k.strip().lower()] = v.strip()
            continue
        if line.strip():
            body_lines.append((lineno, line))
    missing = [k for k in REQUIRED_HEADER if not header.get(k)]
    if missing:
        raise LexiconError(f"{source}: lexicon header is missing {missing}; start the file with lines like "
                           "'# name: ...', '# version: ...', '# provenance: ...', '# license: ...'")
    categories = tuple(c.strip() for c in header.get("categories", "").split(",") if c.strip())
    if not body_lines:
        raise LexiconError(f"{source}: lexicon has no 'term,category,weight' header row and no entries")
    first_no, first = body_lines[0]
    cols = [c.strip().lower() for c in next(csv.reader([first]))]
    if cols[:2] != ["term", "category"]:
        raise LexiconError(f"{source}, line {first_no}: expected the column row 'term,category,weight', got {first!r}")
    entries: list[Entry] = []
    for lineno, line in body_lines[1:]:
        row = next(csv.reader(io.StringIO(line)))
        if len(row) < 2 or len(row) > len(cols) or not row[0].strip() or not row[1].strip():
            raise LexiconError(f"{source}, line {lineno}: malformed row {line!r}; expected term,category[,weight]")
        term, cat = row[0].strip(), row[1].strip()
        if categories and cat not in categories:
            raise LexiconError(f"{source}, line {lineno}: unknown category {cat!r} for term {term!r}; "
                               f"known categories: {list(categories)}")
        weight = 1.0
        if len(row) > 2 and row[2].strip():
            try:
                weight = float(row[2])
            except ValueError:
                raise LexiconError(f"{source}, line {lineno}: weight {row[2]!r} is not a number") from None
        if term.count("*") > 1 or ("*" in term and not term.endswith("*")):
            raise LexiconError(f"{source}, line {lineno}: '*' is allowed only at the end of a term, got {term!r}")
        entries.append(Entry(term, cat, weight))
    return Lexicon(header["name"], header["version"], header["provenance"], header["license"], categories,
                   tuple(entries), source)


def format_lexicon(lex: Lexicon) -> str:
    """The lexicon as the CSV text :func:`parse_lexicon` reads (header with provenance, then one row per
    entry): ``parse_lexicon(format_lexicon(lex))`` has the same name, version, provenance, license,
    categories and entries."""
    out = io.StringIO()
    for key, value in (("name", lex.name), ("version", lex.version), ("provenance", lex.provenance),
                       ("license", lex.license), ("categories", ", ".join(lex.categories))):
        out.write(f"# {key}: {' '.join(str(value).split())}\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["term", "category", "weight"])
    for e in lex.entries:
        w.writerow([e.term, e.category, repr(float(e.weight))])
    return out.getvalue()


def write_lexicon(lex: Lexicon, path: str | Path) -> Path:
    """Save a lexicon (e.g. from :func:`biascmp.fit_lexicon`) as a CSV file that :func:`load_lexicon` and
    ``analyze(lexicons={family: path})`` read back.

    Returns:
        The path written, as a :class:`pathlib.Path`.
    """
    p = Path(path)
    try:
        p.write_text(format_lexicon(lex), encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot write lexicon file {str(p)!r}: {exc}") from None
    return p


def builtin_dir() -> Path:
    return Path(__file__).resolve().parent / "lexicons"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.csv"))


@lru_cache(maxsize=64)
def _load_path(path: str, mtime: float) -> Lexicon:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LexiconError(f"cannot read lexicon file {path}: {exc}") from None
    return parse_lexicon(text, source=str(p))


_BUILTIN: dict[str, Lexicon] = {}


def load_lexicon(name_or_path: str | Path) -> Lexicon:
    """Load a built-in lexicon by name (see :func:`builtin_names`) or a user's lexicon file by path."""
    if isinstance(name_or_path, str) and name_or_path in _BUILTIN:
        return _BUILTIN[name_or_path]
    p = Path(name_or_path)
    if not p.suffix:
        cand = builtin_dir() / f"{name_or_path}.csv"
        if not cand.is_file():
            raise LexiconError(f"unknown lexicon {str(name_or_path)!r}; built-in lexicons: {builtin_names()}")
        lex = _load_path(str(cand.resolve()), cand.stat().st_mtime)
        _BUILTIN[str(name_or_path)] = lex  # built-in files do not change while running
        return lex
    if not p.is_file():
        raise LexiconError(f"lexicon file {str(p)!r} not found")
    return _load_path(str(p.resolve()), p.stat().st_mtime)


#: the families whose lexicon a user can replace: family -> its built-in lexicon
REPLACEABLE = {"policy_frames": "policy_frames", "generic_frames": "generic_frames", "loaded": "loaded",
               "attribution": "attribution_verbs", "terms": "terms"}


def check_overrides(lexicons: object) -> tuple[tuple[str, object], ...]:
    """Validate ``analyze(lexicons=...)``: known families, readable files; loaded now so that a bad file is
    reported before any article is measured (not from inside a worker)."""
    if not isinstance(lexicons, dict):
        raise LexiconError(f"lexicons must be a dict {{family: path}}, got {type(lexicons).__name__}")
    out = []
    for fam, value in sorted(lexicons.items(), key=lambda kv: str(kv[0])):
        if fam not in REPLACEABLE:
            raise LexiconError(f"lexicons: unknown family {fam!r}; families that take a lexicon: "
                               f"{sorted(REPLACEABLE)}")
        lex = value if isinstance(value, Lexicon) else load_lexicon(str(value))
        out.append((str(fam), lex))
    return tuple(out)


def resolve(family: str, options_lexicons: tuple[tuple[str, object], ...] = ()) -> Lexicon:
    """The lexicon a family should use: the user's override from ``Options.lexicons`` or the built-in
    one named in :data:`REPLACEABLE`."""
    for fam, value in options_lexicons:
        if fam == family:
            return value if isinstance(value, Lexicon) else load_lexicon(str(value))
    return load_lexicon(REPLACEABLE[family])
