"""Readability, size and quote share of a whole chunk at once (columnar twin of biascmp.readability).

Equal to ``reference_chunk(biascmp.readability.measure, ...)`` (tests/test_columnar_readability.py).
How the reference's per-article steps become array operations over the chunk:

- Tokens: the prose joined by spaces splits into the concatenation of the sentences' whitespace tokens;
  every count a formula needs is a property of the raw token, computed once per distinct token by the
  reference's own per-token code (:mod:`biascmp.columnar._tokens_rs`), read by token id and summed per
  article (``np.add.reduceat``; integer counts, so exact).
- textstat's sentence rule (regex pieces ``\\b[^.!?]+[.!?]*``, pieces of at most two words ignored): a
  piece starts at the first word character of the text and at the first word character after each
  ``[.!?]`` run, and runs to the end of the next ``[.!?]`` run. So the pieces with three or more words are
  the stretches between ``[.!?]`` runs holding three or more whitespace chunks with a word character, and
  those runs sit inside tokens: per token, whether the part before its first run has a word character,
  how many runs it has, whether the part after its last run has one. Counting is then a cumulative sum
  between run-bearing tokens. Linsear Write's count over the first 100 words is the same count cut at
  that token.
- The formulas and the consensus vote are the reference's expressions on count arrays, numpy-vectorised
  over articles (same floating-point operations in the same order; ``** 0.5`` stays Python's pow).
- MTLD's sequential segment walk runs on lower-cased word ids, in Python for a process's first articles
  and compiled with numba after (:mod:`biascmp.columnar._jit_rs`: when each pays).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import readability as _rd
from ..records import Options, PreparedArticle
from . import ChunkResult
from ._jit_rs import mtld_many
from ._tokens_rs import (
    R_CLOSE,
    R_DC,
    R_FOG,
    R_LEAD,
    R_LINW_SHIFT,
    R_POLY,
    R_TRAIL,
    R_WORD,
    ProseChunk,
    no_evidence,
    prose_chunk,
)


def _segment_sums(values: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Sums of ``values[off[k]:off[k+1]]`` along axis 0 (exact for integers; empty ranges give 0)."""
    cs = np.zeros((len(values) + 1, *values.shape[1:]), dtype=values.dtype)
    np.cumsum(values, axis=0, out=cs[1:])
    return cs[off[1:]] - cs[off[:-1]]


class _Pieces:
    """textstat's sentence count of any prefix of an article's tokens (see the module docstring).

    Per token: ``lead`` a word character before its first [.!?] run (or in the token, without a run),
    ``closes`` a run in it, ``trail`` a word character after its last run."""

    def __init__(self, lead: np.ndarray, closes: np.ndarray, trail: np.ndarray, tok_art: np.ndarray,
                 art_start: np.ndarray) -> None:
        self.cs = np.zeros(len(lead) + 1, dtype=np.int64)
        np.cumsum(lead, out=self.cs[1:])
        self.trail = trail
        self.art_start = art_start
        k = self.closes = np.flatnonzero(closes)
        art = tok_art[k]
        prev_same = np.zeros(len(k), dtype=bool)
        prev_same[1:] = art[1:] == art[:-1]
        prev = np.empty_like(k)
        prev[1:] = k[:-1]
        prev[:1] = 0
        start = np.where(prev_same, prev + 1, art_start[art])
        words = np.where(prev_same, trail[prev], 0) + self.cs[k + 1] - self.cs[start]
        self.long = np.zeros(len(k) + 1, dtype=np.int64)
        np.cumsum(words >= 3, out=self.long[1:])

    def count(self, end: np.ndarray) -> np.ndarray:
        """Pieces of three or more words in each article's tokens ``[art_start, end)``."""
        s = self.art_start
        lo = np.searchsorted(self.closes, s, side="left")
        hi = np.searchsorted(self.closes, end, side="left")
        n = self.long[hi] - self.long[lo]
        has = hi > lo
        last = self.closes[np.maximum(hi - 1, 0)] if len(self.closes) else np.zeros_like(hi)
        start = np.where(has, last + 1, s)
        tail = np.where(has, self.trail[last] if len(self.trail) else 0, 0) + self.cs[end] - self.cs[start]
        return n + (tail >= 3)


def _grades(x: np.ndarray) -> list[np.ndarray]:
    return [np.floor(x), np.ceil(x), np.rint(x)]


def _consensus(fk, fre, smog, cl, ari, dc, lw, fog) -> np.ndarray:  # type: ignore[no-untyped-def]
    """readability's consensus vote: the most common grade, the first one listed among ties, clamped."""
    n = len(fk)
    band_lo = np.full(n, 13.0)
    band_hi = np.full(n, np.nan)  # a second vote only in the 60-70 band
    for low, grades in ((90, [5]), (80, [6]), (70, [7]), (60, [8, 9]), (50, [10]), (40, [11]), (30, [12])):
        inside = (low <= fre) & (fre < low + 10)
        band_lo[inside] = grades[0]
        if len(grades) > 1:
            band_hi[inside] = grades[1]
    votes = np.column_stack([*_grades(fk), band_lo, band_hi, *_grades(smog), *_grades(cl), *_grades(ari),
                             *_grades(dc), *_grades(lw), *_grades(fog)])
    # count of each vote's value among the votes (a NaN placeholder equals nothing and is never chosen:
    # floor, ceil and round of one score always give a value at least twice)
    counts = (votes[:, :, None] == votes[:, None, :]).sum(axis=2)
    best = np.argmax(counts, axis=1)  # first position with the highest count = Counter's first-inserted
    consensus = votes[np.arange(n), best]
    return np.maximum(1.0, np.minimum(consensus, 18.0))


def formulas(c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """readability.readability's formulas on the count arrays of :func:`counts` (same operations, same
    order), with no short-text guard; ``linsear_write`` included."""
    n_words, n_letters, n_syll, poly, fog_hard, dc_hard, n_chars, n_raw, n_sent, lw_weight, lw_sent = (
        c[k] for k in ("n_words", "n_letters", "n_syll", "poly", "fog_hard", "dc_hard", "n_chars", "n_raw",
                       "n_sent", "lw_weight", "lw_sent"))
    nw = n_words.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        wps = np.where(n_sent > 0, nw / n_sent, 0.0)
        spw = np.where(n_words > 0, n_syll / nw, 0.0)
        flat = (wps == 0) | (spw == 0)
        out = {}
        out["flesch_reading_ease"] = np.where(flat, 0.0, 206.835 - 1.015 * wps - 84.6 * spw)
        out["flesch_kincaid_grade"] = np.where(flat, 0.0, 0.39 * wps + 11.8 * spw - 15.59)
        out["gunning_fog"] = np.where(n_words > 0, 0.4 * (wps + 100 * fog_hard / nw), 0.0)
        ratio = 30 * (poly / n_sent)
        root = np.asarray([x ** 0.5 for x in np.where(n_sent > 0, ratio, 0.0).tolist()], dtype=np.float64)
        out["smog_index"] = np.where(n_sent > 0, 1.043 * root + 3.1291, 0.0)
        letters = np.where(n_words > 0, n_letters / nw * 100, 0.0)
        sents = np.where(n_words > 0, n_sent / nw * 100, 0.0)
        out["coleman_liau_index"] = np.where((letters == 0) | (sents == 0), 0.0,
                                             0.058 * letters - 0.296 * sents - 15.8)
        cpw = np.where(n_raw > 0, n_chars / n_raw, 0.0)
        out["automated_readability_index"] = np.where((cpw == 0) | (wps == 0), 0.0,
                                                      4.71 * cpw + 0.5 * wps - 21.43)
        pdw = 100 * dc_hard / nw
        dc = 0.1579 * pdw + 0.0496 * wps + np.where(pdw > 5, 3.6365, 0.0)
        out["dale_chall_readability_score"] = np.where(n_words > 0, dc, 0.0)
        number = lw_weight / lw_sent
        number = np.where(number <= 20, number - 2, number)
        linsear = out["linsear_write"] = np.where(lw_sent > 0, number / 2, 0.0)
    out["consensus_grade"] = _consensus(out["flesch_kincaid_grade"], out["flesch_reading_ease"],
                                        out["smog_index"], out["coleman_liau_index"],
                                        out["automated_readability_index"],
                                        out["dale_chall_readability_score"], linsear, out["gunning_fog"])
    return out


def counts(pc: ProseChunk) -> dict[str, np.ndarray]:
    """Per article, every count the formulas read (readability.readability's, on the joined prose)."""
    n = pc.n_articles
    art_tok = pc.art_tok_off
    cols = pc.cols
    ids = pc.ids
    flags = cols["rd_flags"][ids]
    nonempty = np.flatnonzero(art_tok[1:] > art_tok[:-1])
    starts = art_tok[:-1][nonempty]
    c: dict[str, np.ndarray] = {}

    def per_article(values: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        if len(starts):
            out[nonempty] = np.add.reduceat(values, starts, dtype=np.int64)
        return out

    word = (flags & R_WORD).astype(np.int64)
    for name, bit in (("poly", R_POLY), ("fog_hard", R_FOG), ("dc_hard", R_DC)):
        c[name] = per_article((flags & bit) > 0)
    c["n_words"] = per_article(word)
    for name, col in (("n_letters", "rd_letters"), ("n_syll", "rd_syll"), ("n_chars", "rd_chars")):
        c[name] = per_article(cols[col][ids])
    c["n_raw"] = n_raw = np.diff(art_tok)
    c["n_prose"] = n_prose = np.diff(pc.art_sent_off)
    # textstat's sentence count of the joined prose, and of Linsear Write's first 100 words
    tok_art = np.repeat(np.arange(n, dtype=np.int64), n_raw)
    pieces = _Pieces((flags & R_LEAD) > 0, (flags & R_CLOSE) > 0, ((flags & R_TRAIL) > 0).astype(np.int64),
                     tok_art, art_tok[:-1])
    text_len = _segment_sums(pc.length, pc.art_sent_off) + np.maximum(n_prose - 1, 0)
    c["n_sent"] = np.where(text_len > 0, np.maximum(1, pieces.count(art_tok[1:])), 0)
    cw = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(word, out=cw[1:])
    # the 100th word-bearing token ends Linsear Write's sample (all the tokens when there are fewer)
    hundredth = np.searchsorted(cw, cw[art_tok[:-1]] + 100, side="left")
    lw_end = np.minimum(hundredth, art_tok[1:])
    c["lw_tokens"] = lw_end - art_tok[:-1]
    linw = (flags >> R_LINW_SHIFT).astype(np.int64)
    c["lw_weight"] = _segment_sums(linw, np.column_stack([art_tok[:-1], lw_end]).ravel())[::2]
    c["lw_sent"] = np.where(lw_end > art_tok[:-1], np.maximum(1, pieces.count(lw_end)), 0)
    return c


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options,
                  chunk: ProseChunk | None = None) -> ChunkResult:
    """Readability of every article of the chunk; equal to ``reference_chunk(readability.measure, ...)``.

    Like the reference, sets ``article.shared["n_words"]`` on each article (the generic frames read it).
    ``chunk`` may pass a tokenisation of ``articles`` already made (:func:`prose_chunk`).
    """
    pc = chunk if chunk is not None else prose_chunk(articles)
    c = counts(pc)
    f = formulas(c)
    n = pc.n_articles
    n_words, n_syll, n_prose = c["n_words"], c["n_syll"], c["n_prose"]
    cols = pc.cols
    ids = pc.ids
    too_short = n_words < _rd.MIN_WORDS
    lower = cols["rd_lower"][ids].astype(np.int64)
    has_word = lower >= 0
    words_off = np.zeros(n + 1, dtype=np.int64)
    words_off[1:] = np.cumsum(n_words)
    mtld = mtld_many(lower[has_word], words_off, ~too_short, _rd.MTLD_THRESHOLD)

    art: dict[str, np.ndarray] = {}
    nw = n_words.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        art["n_words"] = n_words.astype(np.int64)
        art["n_sentences"] = n_prose.astype(np.int64)
        art["mean_sentence_length"] = np.where(n_prose > 0, nw / n_prose, np.nan)
        art["syllables_per_word"] = np.where(n_words > 0, n_syll.astype(np.float64) / nw, np.nan)
        art["mtld"] = mtld
        for key in _rd.FORMULAS:
            art[key] = np.where(too_short, np.nan, f[key])
        art["readability_note"] = np.asarray(
            [f"too short for readability formulas: {k} prose words < {_rd.MIN_WORDS}" if k < _rd.MIN_WORDS
             else "" for k in n_words.tolist()], dtype=object)
        chars = _segment_sums(pc.length, pc.art_sent_off)
        quoted = np.bincount(pc.article, weights=pc.in_quote * pc.length, minlength=n)
        art["quote_share"] = np.where(chars > 0, quoted / chars, np.nan)
    for a, k in zip(articles, n_words.tolist(), strict=True):
        a.shared["n_words"] = k
    return ChunkResult(article=art, evidence=no_evidence())
