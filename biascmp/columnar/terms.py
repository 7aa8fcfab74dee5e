"""Columnar kernel of :func:`biascmp.terms.measure` (term choice) over a chunk.

Rule by rule (reference -> here): ``lex.find`` per prose sentence -> :func:`._lex.match`; ``is_quoted_at``
-> :func:`._lex.quoted`; the (category, term, variant) counter and its table rows -> a group-by over the
hits (the variant is the matched words lower-cased with whitespace collapsed, built per hit like the
reference: term hits are few); per-side narrator / quoted counts and the narrator slant per pair ->
``np.bincount`` over (article, side). Sides and pairs come from the reference's ``_plan`` of the lexicon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import terms as ref
from ..lexicons import resolve
from ..records import Options, PreparedArticle
from . import ChunkResult, _lex

_TABLE_COLUMNS = ["article_id", "pair", "side", "term", "variant", "count", "count_narrator", "count_quoted"]


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options) -> ChunkResult:
    if not articles:
        return ChunkResult()
    lex = resolve("terms", options.lexicons)
    sides, pairs, pair_of = ref._plan(lex)
    ch = _lex.chunk_tokens(articles)
    n_art = len(ch.articles)
    h = _lex.match(ch, lex)
    t = h.tables
    cats = h.category()
    q = _lex.quoted(ch, h.start, h.end, h.sent)
    texts = _lex.hit_texts(ch, h.start, h.end, h.tok)
    w = t.e_weight[h.entry]
    names = list(dict.fromkeys(t.e_category))
    code_of = {c: i for i, c in enumerate(names)}
    e_code = np.asarray([code_of[c] for c in t.e_category], np.int64)
    evidence = (_lex.evidence_frame(ch, sent=h.sent, start=h.start, end=h.end, family="terms",
                                    cat_codes=e_code[h.entry], cat_names=names, term=texts, weight=w, in_quote=q)
                if len(h.tok) else _lex.concat_evidence([]))
    art_pos = ch.p_art[h.sent]
    # per-side counts (a category not among the sides still counts in the table, as in the reference)
    side_of = {c: i for i, c in enumerate(sides)}
    S = len(sides)
    sidx = np.asarray([side_of.get(c, -1) for c in cats], np.int64)
    known = sidx >= 0
    narr = np.bincount(art_pos[known & ~q] * S + sidx[known & ~q], minlength=n_art * S).reshape(n_art, S)
    quot = np.bincount(art_pos[known & q] * S + sidx[known & q], minlength=n_art * S).reshape(n_art, S)
    art: dict[str, np.ndarray] = {}
    for j, c in enumerate(sides):
        art[f"term_{c}_narrator"] = narr[:, j].astype(np.int64)
        art[f"term_{c}_quoted"] = quot[:, j].astype(np.int64)
    for pair, (a, b) in pairs.items():
        na, nb = narr[:, side_of[a]], narr[:, side_of[b]]
        tot = na + nb
        art[f"term_slant_{pair}"] = np.where(tot > 0, (na - nb) / np.maximum(tot, 1), math.nan)
    # the ``terms`` table: one row per article and (side, term, variant), as the reference's Counter
    # (term hits are few: a plain dict)
    counts: dict[tuple[int, str, str, str], list[int]] = {}
    e_term = t.e_term
    for ap, c, e, x, qq in zip(art_pos.tolist(), cats, h.entry.tolist(), texts, q.tolist()):
        key = (ap, c, e_term[e], " ".join(x.lower().split()))
        got = counts.get(key)
        if got is None:
            counts[key] = [1, int(qq)]
        else:
            got[0] += 1
            got[1] += qq
    ids = [a.article_id for a in ch.articles]
    # rows in the reference's order: by article, then sorted by (side, term, variant)
    rows = [(ids[ap], pair_of.get(c, c), c, term, variant, n, n - nq, nq)
            for (ap, c, term, variant), (n, nq) in sorted(counts.items())]
    tables = {"terms": pd.DataFrame.from_records(rows, columns=_TABLE_COLUMNS)}
    return ChunkResult(article=art, evidence=evidence, tables=tables)
