"""Chunk kernel of :func:`biascmp.attribution.measure` (verbs of saying, source types, the speakers table).

Attribution reads what text preparation found per sentence (``speaker``, ``speaker_verb``, its span,
quote spans), a handful of sentences per article, not the tokens: there is nothing per token to put in
arrays. What the per-article reference repeats for every article is done once here:

- the verb table (``classes``: normalised term -> category, first entry wins) is built once per lexicon
  object (the reference builds it from every entry for every article: about 40 % of its time);
- ``source_type`` (a regex per speaker string) is memoised per distinct speaker string.

The per-sentence and per-article rules are the reference's, step by step (same order, same helpers:
``_is_speaker``, ``source_type``, ``merge_surnames``); evidence and the ``speakers`` table are built as
column lists straight into frames. A rule changed in ``biascmp.attribution.measure`` must be changed in
:func:`_article` below.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import attribution as ref
from ..lexicons import Lexicon, resolve
from ..records import Options, PreparedArticle
from . import EVIDENCE_COLUMNS, ChunkResult

_SPEAKER_COLUMNS = ["article_id", "speaker", "quoted_words", "share_quoted_words", "n_quotes", "named",
                    "source_type", "variants"]
_ART_COLUMNS = ("attribution_loaded_share", "n_attributions", "n_named_sources", "unnamed_source_share")

_SOURCE_TYPE: dict[str, str] = {}


def _source_type(speaker: str) -> str:
    """attribution.source_type, memoised per speaker string (bounded)."""
    got = _SOURCE_TYPE.get(speaker)
    if got is None:
        if len(_SOURCE_TYPE) > 100_000:
            _SOURCE_TYPE.clear()
        got = _SOURCE_TYPE[speaker] = ref.source_type(speaker)
    return got


def _classes(verbs: Lexicon) -> dict[str, str]:
    """The reference's verb table, once per lexicon object."""
    got: Any = verbs._compiled.get("attribution_classes")
    if got is None:
        table: dict[str, str] = {}
        for e in verbs.entries:
            table.setdefault(" ".join(e.term.lower().split()), e.category)
        verbs._compiled["attribution_classes"] = got = table
    return got  # type: ignore[no-any-return]


def _article(article: PreparedArticle, classes: dict[str, str], col: list[Any], row0: int,
             ev: list[tuple[Any, ...]], speakers: list[tuple[Any, ...]]) -> tuple[float, int, int, float]:
    """attribution.measure for one article: fills ``col`` (sentence classes, from row ``row0``), ``ev`` and
    ``speakers`` rows; returns the article values."""
    counts: Counter[str] = Counter()
    named: set[str] = set()
    unnamed = 0
    quoted_words: Counter[str] = Counter()
    n_quotes: Counter[str] = Counter()
    aid = article.article_id
    for i, s in enumerate(article.sentences):
        if s.kind != "prose":
            continue
        speaker = s.speaker.strip() if s.speaker and ref._is_speaker(s.speaker) else None
        if speaker and s.quote_spans:
            words = sum(len(s.text[a:b].split()) for a, b in s.quote_spans)
            if words:
                quoted_words[speaker] += words
                n_quotes[speaker] += 1
        if not s.speaker_verb:
            continue
        verb = " ".join(s.speaker_verb.lower().replace("’", "'").split())
        cls = classes.get(verb, "other")
        col[row0 + i] = cls
        counts[cls] += 1
        if s.speaker_verb_span:
            a, b = s.speaker_verb_span
            ev.append((aid, i, a, b, "attribution", cls, s.text[a:b], 1.0, s.is_quoted_at(a, b)))
        if speaker:
            kind = _source_type(speaker)
            if kind == "named":
                named.add(speaker)
            elif kind == "unnamed":
                unnamed += 1
    total = sum(counts.values())
    if quoted_words or len(named) > 1:
        all_quoted = sum(quoted_words.values())
        label = ref.merge_surnames(sorted({*named, *(sp for sp in quoted_words if _source_type(sp) == "named")}))
        merged_words: Counter[str] = Counter()
        merged_quotes: Counter[str] = Counter()
        variants: dict[str, set[str]] = {}
        for sp, lab in label.items():
            variants.setdefault(lab, set()).add(sp)
        for sp, w in quoted_words.items():
            lab = label.get(sp, sp)
            merged_words[lab] += w
            merged_quotes[lab] += n_quotes[sp]
            variants.setdefault(lab, set()).add(sp)
        for sp, w in sorted(merged_words.items(), key=lambda kv: (-kv[1], kv[0])):
            kind = _source_type(sp)
            speakers.append((aid, sp, w, w / all_quoted, merged_quotes[sp], kind == "named", kind,
                             "; ".join(sorted(variants[sp]))))
        named = {label.get(sp, sp) for sp in named}
    return (counts["evaluative"] / total if total else math.nan, total, len(named),
            unnamed / total if total else math.nan)


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options) -> ChunkResult:
    if not articles:
        return ChunkResult()
    classes = _classes(resolve("attribution", options.lexicons))
    n_rows = sum(len(a.sentences) for a in articles)
    col: list[Any] = [None] * n_rows
    ev: list[tuple[Any, ...]] = []
    speakers: list[tuple[Any, ...]] = []
    values = []
    row = 0
    for a in articles:
        values.append(_article(a, classes, col, row, ev, speakers))
        row += len(a.sentences)
    art_values = list(zip(*values))
    article = {name: np.asarray(v) for name, v in zip(_ART_COLUMNS, art_values, strict=True)}
    return ChunkResult(sentence={"attribution": np.asarray(col, dtype=object)}, article=article,
                       evidence=pd.DataFrame.from_records(ev, columns=EVIDENCE_COLUMNS),
                       tables={"speakers": pd.DataFrame.from_records(speakers, columns=_SPEAKER_COLUMNS)})
