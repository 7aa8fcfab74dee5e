"""Columnar kernels: one metric family computed over a whole chunk of prepared articles at once.

The contract every kernel keeps (and the engine relies on):

    def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options) -> ChunkResult

``articles`` are the chunk's prepared articles whose status is ``ok``, in chunk order. The result must
equal :func:`reference_chunk` of the family's per-article ``measure`` on the same articles
(:func:`assert_chunk_equal`), which stays the reference implementation that tests compare against.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..records import FamilyResult, Options, PreparedArticle

EVIDENCE_COLUMNS = ["article_id", "sentence_index", "start", "end", "family", "category", "term", "weight",
                    "in_quote"]


@dataclass
class ChunkResult:
    """What one family returns for one chunk.

    Attributes:
        sentence: column name -> values aligned with every sentence (all kinds) of every article, in chunk
            order, i.e. ``[s for a in articles for s in a.sentences]``.
        article: column name -> values aligned with ``articles``; NaN where the per-article measure gave
            no value for that article.
        evidence: one row per hit, columns :data:`EVIDENCE_COLUMNS`.
        tables: extra long-format tables by name, each with ``article_id`` as first column.
    """

    sentence: dict[str, np.ndarray] = field(default_factory=dict)
    article: dict[str, np.ndarray] = field(default_factory=dict)
    evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVIDENCE_COLUMNS))
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def forget_chunks() -> None:
    """Drop the per-chunk caches: the last tokenised chunks, kept so that the families of one chunk share
    one tokenisation (``_lex._CHUNKS``, ``_tokens_rs._LAST``). The engine calls this once a chunk's
    families have run, so the chunk's articles and token arrays are freed with the chunk instead of
    staying alive until the next chunks replace them (a streamed run's chunks of 500 articles held
    about 60 MB there). A family run after this only tokenises again: nothing changes but time."""
    import sys

    for name in ("_lex", "_tokens_rs"):  # only modules a run has imported hold anything
        mod = sys.modules.get(f"{__name__}.{name}")
        if mod is not None:
            mod.forget_chunks()


def from_family_results(articles: Sequence[PreparedArticle], results: Sequence[FamilyResult]) -> ChunkResult:
    """Stack per-article :class:`FamilyResult` objects into one :class:`ChunkResult`."""
    sent_cols = list(dict.fromkeys(k for r in results for k in r.sentence))
    art_cols = list(dict.fromkeys(k for r in results for k in r.article))
    sentence: dict[str, np.ndarray] = {}
    for col in sent_cols:
        values: list[Any] = []
        for a, r in zip(articles, results, strict=True):
            values.extend(r.sentence[col] if col in r.sentence else [None] * len(a.sentences))
        sentence[col] = np.asarray(values, dtype=object if any(isinstance(v, str) for v in values) else None)
    article = {col: np.asarray([r.article.get(col, np.nan) for r in results],
                               dtype=object if any(isinstance(r.article.get(col), str) for r in results) else None)
               for col in art_cols}
    ev = [(a.article_id, e.sentence_index, e.start, e.end, e.family, e.category, e.term, e.weight, e.in_quote)
          for a, r in zip(articles, results, strict=True) for e in r.evidence]
    evidence = pd.DataFrame.from_records(ev, columns=EVIDENCE_COLUMNS)
    names = list(dict.fromkeys(k for r in results for k in r.tables))
    tables = {n: pd.DataFrame([{"article_id": a.article_id, **row}
                               for a, r in zip(articles, results, strict=True) for row in r.tables.get(n, [])])
              for n in names}
    return ChunkResult(sentence, article, evidence, tables)


def reference_chunk(measure: Callable[..., FamilyResult], articles: Sequence[PreparedArticle], *,
                    options: Options) -> ChunkResult:
    """The reference: a family's per-article ``measure`` run on each article, stacked."""
    return from_family_results(articles, [measure(a, options=options) for a in articles])


def _values_equal(name: str, got: Any, want: Any, rtol: float) -> None:
    g = np.asarray(got, dtype=object)
    w = np.asarray(want, dtype=object)
    if g.shape != w.shape:
        raise AssertionError(f"{name}: shape {g.shape} != reference {w.shape}")
    for i, (x, y) in enumerate(zip(g.tolist(), w.tolist(), strict=True)):
        x_na = x is None or (isinstance(x, float) and np.isnan(x))
        y_na = y is None or (isinstance(y, float) and np.isnan(y))
        if x_na or y_na:
            if x_na != y_na:
                raise AssertionError(f"{name}[{i}]: {x!r} != reference {y!r}")
            continue
        if isinstance(x, (int, float, np.number)) and isinstance(y, (int, float, np.number)) \
                and not isinstance(x, bool) and not isinstance(y, bool):
            if not abs(float(x) - float(y)) <= rtol * max(1.0, abs(float(y))):
                raise AssertionError(f"{name}[{i}]: {x!r} != reference {y!r}")
        elif x != y:
            raise AssertionError(f"{name}[{i}]: {x!r} != reference {y!r}")


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    if not len(frame):
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


def assert_chunk_equal(got: ChunkResult, want: ChunkResult, *, rtol: float = 1e-12) -> None:
    """Raise AssertionError naming the first difference between a kernel's result and the reference.

    Floats must agree within ``rtol`` (relative, absolute below 1); everything else exactly. Evidence and
    tables are compared as sets of rows (sorted by every column), so kernels may emit hits in any order.
    """
    for kind in ("sentence", "article"):
        g, w = getattr(got, kind), getattr(want, kind)
        if set(g) != set(w):
            raise AssertionError(f"{kind} columns differ: extra {sorted(set(g) - set(w))}, "
                                 f"missing {sorted(set(w) - set(g))}")
        for col in w:
            _values_equal(f"{kind}.{col}", g[col], w[col], rtol)
    for name, g_frame, w_frame in [("evidence", got.evidence, want.evidence),
                                   *[(f"tables[{k!r}]", got.tables.get(k, pd.DataFrame()), v)
                                     for k, v in want.tables.items()]]:
        if list(g_frame.columns) != list(w_frame.columns) and len(w_frame):
            raise AssertionError(f"{name}: columns {list(g_frame.columns)} != reference {list(w_frame.columns)}")
        if len(g_frame) != len(w_frame):
            raise AssertionError(f"{name}: {len(g_frame)} rows != reference {len(w_frame)}")
        if len(w_frame):
            gs, ws = _canonical(g_frame[list(w_frame.columns)]), _canonical(w_frame)
            for col in ws.columns:
                _values_equal(f"{name}.{col}", gs[col], ws[col], rtol)
    extra = set(got.tables) - set(want.tables)
    if any(len(got.tables[k]) for k in extra):
        raise AssertionError(f"tables not in the reference: {sorted(extra)}")
