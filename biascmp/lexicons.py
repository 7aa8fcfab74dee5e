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

Why a hand-written matcher: we need character offsets for every hit (evidence), phrase and stem
support and one pass per sentence; one compiled alternation per lexicon does all three, where
per-term loops (the usual notebook approach) cost O(terms) per sentence.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ._validation import BiascmpError

REQUIRED_HEADER = ("name", "version", "provenance", "license")


class LexiconError(BiascmpError, ValueError):
    """A lexicon file is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class Entry:
    term: str
    category: str
    weight: float = 1.0


@dataclass(frozen=True)
class Match:
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

    def _matcher(self) -> tuple[re.Pattern[str], dict[str, list[Entry]], list[tuple[str, list[Entry]]]]:
        cached = self._compiled.get("m")
        if cached is None:
            exact: dict[str, list[Entry]] = {}
            stems: dict[str, list[Entry]] = {}
            for e in self.entries:
                key = _norm_key(e.term.rstrip("*"))
                (stems if e.term.endswith("*") else exact).setdefault(key, []).append(e)
            parts = []
            for key in sorted(set(exact) | set(stems), key=lambda k: (-len(k), k)):
                body = r"\s+".join(re.escape(w) for w in key.split(" "))
                if key in stems:
                    parts.append(body + r"\w*")
                if key in exact:
                    parts.append(body)
            pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE) if parts \
                else re.compile(r"(?!x)x")
            stem_list = sorted(stems.items(), key=lambda kv: -len(kv[0]))
            cached = (pattern, exact, stem_list)
            self._compiled["m"] = cached
        return cached  # type: ignore[return-value]

    def find(self, text: str) -> list[Match]:
        """All non-overlapping hits in ``text`` (longest phrase first), with offsets into ``text``."""
        pattern, exact, stems = self._matcher()
        out: list[Match] = []
        for m in pattern.finditer(text):
            key = _norm_key(m.group())
            entries = exact.get(key)
            if entries is None:
                entries = next((es for stem, es in stems if key.startswith(stem)), [])
            for e in entries:
                out.append(Match(m.start(), m.end(), m.group(), e.term, e.category, e.weight))
        return out

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "version": self.version, "provenance": self.provenance,
                "license": self.license, "n_entries": len(self.entries), "categories": list(self.categories),
                "source": self.source}


_WS = re.compile(r"\s+")


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


def load_lexicon(name_or_path: str | Path) -> Lexicon:
    """Load a built-in lexicon by name (see :func:`builtin_names`) or a user's lexicon file by path."""
    p = Path(name_or_path)
    if not p.suffix:
        cand = builtin_dir() / f"{name_or_path}.csv"
        if not cand.is_file():
            raise LexiconError(f"unknown lexicon {str(name_or_path)!r}; built-in lexicons: {builtin_names()}")
        p = cand
    if not p.is_file():
        raise LexiconError(f"lexicon file {str(p)!r} not found")
    return _load_path(str(p.resolve()), p.stat().st_mtime)


def resolve(family: str, default: str, options_lexicons: tuple[tuple[str, object], ...] = ()) -> Lexicon:
    """The lexicon a family should use: the user's override from ``Options.lexicons`` or the built-in."""
    for fam, value in options_lexicons:
        if fam == family:
            return value if isinstance(value, Lexicon) else load_lexicon(str(value))
    return load_lexicon(default)
