"""The in-memory records every metric family reads.

An article is prepared once (normalised, split into lines and sentences, quotes and speakers
marked; words are tokenised once per sentence by biascmp.lexicons.tokens_of) and every family consumes the same
:class:`PreparedArticle`. A family is a plain function::

    def measure(article: PreparedArticle, *, options: Options) -> FamilyResult

that returns per-sentence columns (aligned with ``article.sentences``), per-article values,
evidence rows and optional extra tables. Families never re-read the raw text, never look at
other articles (so chunks can run in parallel processes and give identical results) and
never format anything for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Sentence kinds. Only ``prose`` sentences enter the metrics; the others stay in the record.
SENTENCE_KINDS = ("prose", "headline", "byline", "metadata", "caption", "boilerplate")


@dataclass(slots=True)
class Sentence:
    """One sentence (or one non-prose line) of an article.

    Offsets ``start``/``end`` index into :attr:`PreparedArticle.text` (the normalised text),
    so ``article.text[s.start:s.end] == s.text``. ``quote_spans`` are (start, end) offsets
    into ``text`` of the characters inside quotation marks (marks excluded).
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0
    kind: str = "prose"
    in_quote: float = 0.0
    quote_spans: tuple[tuple[int, int], ...] = ()
    speaker: str | None = None
    #: the reporting verb or phrase that introduced the speaker ("said", "theorized", "according to")
    speaker_verb: str | None = None
    #: (start, end) of speaker_verb in ``text``, or None
    speaker_verb_span: tuple[int, int] | None = None
    #: word tokens as (start, end) offsets into ``text``; empty until biascmp.tokens.tokenize_article fills
    #: them (the engine does not: the lexicon families share biascmp.lexicons.tokens_of per sentence)
    tokens: list[tuple[int, int]] = field(default_factory=list)

    @property
    def is_prose(self) -> bool:
        return self.kind == "prose"

    def is_quoted_at(self, start: int, end: int) -> bool:
        """True when the span [start, end) of ``text`` lies inside a quotation."""
        return any(a <= start and end <= b for a, b in self.quote_spans)


@dataclass(slots=True)
class PreparedArticle:
    """An article after text preparation: normalised text plus its sentences."""

    article_id: str
    text: str
    sentences: list[Sentence]
    title: str | None = None
    outlet: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: values one family computes and a later one reuses for the same article (``n_words``: readability's
    #: count, which the generic frames divide by); a family that finds nothing here computes it itself
    shared: dict[str, Any] = field(default_factory=dict)

    def prose(self) -> list[Sentence]:
        return [s for s in self.sentences if s.kind == "prose"]


@dataclass(slots=True)
class Evidence:
    """One lexicon or rule hit: the words behind a number.

    ``start``/``end`` are character offsets into the sentence text, so
    ``sentence.text[start:end] == term`` (up to case) for lexicon hits.
    """

    sentence_index: int
    start: int
    end: int
    family: str
    category: str
    term: str
    weight: float = 1.0
    in_quote: bool = False


@dataclass(slots=True)
class FamilyResult:
    """What one metric family returns for one article."""

    sentence: dict[str, list[Any]] = field(default_factory=dict)
    article: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    #: extra long-format tables (e.g. "speakers", "actors", "terms"): name -> list of row dicts
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Options:
    """Analysis options every family may read. Frozen so it can be shipped to worker processes."""

    #: extra or replacement lexicons: family name -> path or loaded lexicon object
    lexicons: tuple[tuple[str, Any], ...] = ()
    #: actors: tuple of (name, (alias, ...)); empty = propose actors automatically
    actors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: per-article size cap in characters; larger articles get status "too_long"
    max_chars: int = 2_000_000
    #: threshold above which a sentence counts as loaded (see biascmp.loaded)
    loaded_threshold: float | None = None
    #: metric families to run (biascmp.registry.FAMILIES names, pipeline order); empty = all
    families: tuple[str, ...] = ()
    #: run every family's per-article reference instead of its columnar kernel (tests compare the two;
    #: the environment variable BIASCMP_REFERENCE=1 does the same)
    reference: bool = False
