"""Columnar kernel of :func:`biascmp.framing.measure` (policy frames and generic frames) over a chunk.

Rule by rule (reference -> here):

- ``pf.find`` / ``gf.find`` per prose sentence -> :func:`._lex.match` over the chunk;
- per-sentence category sums (``sent``), ``frame_cues`` and ``frame_top`` (largest sum among the
  categories present, ties to the codebook's order) -> ``np.bincount`` over (sentence, dimension) in hit
  order (the same float additions in the same order);
- article ``totals`` -> ``np.bincount`` over (article, dimension) in hit order; shares, ``frame_primary``
  and ``frame_entropy`` -> the same formulas on the count matrix, dimension by dimension in codebook order;
- ``_agent_positions`` and the responsibility window -> a per-word agent table, a capitalised-first-letter
  test for tokens after the first, and a cumulative count of agents per token;
- ``n_words``: ``article.shared["n_words"]`` when readability ran first, else textstat's word rule
  (``readability._words``: punctuation removed, split on whitespace) counted over the chunk's code points
  (:func:`_textstat_n_words`).

Dimensions, generic frames, agent words and the window are read from :mod:`biascmp.framing` at call time,
and lexicon categories are mapped to them by name, so changes to the lexicons or those lists flow through.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import framing as ref
from .. import readability
from ..lexicons import resolve
from ..records import Options, PreparedArticle
from . import ChunkResult, _lex

#: the generic frame whose cues need an agent nearby (framing.measure's ``c == "responsibility"``)
_RESPONSIBILITY = "responsibility"


#: the punctuation rule _textstat_n_words implements (readability._PUNCTUATION)
_PUNCTUATION_PATTERN = r"[^\w\s']|'(?!(?:[tsd]|ve|ll|re))"


def _word_classes(codes: np.ndarray) -> np.ndarray:
    """Per code point, for textstat's punctuation rule: 0 whitespace, 1 word character (kept), 2 other
    (removed), 3 apostrophe (kept or removed by what follows)."""
    cls = np.full(len(codes), 2, np.uint8)
    cls[_lex.char_class("word", codes)] = 1
    cls[_lex.char_class("isspace", codes)] = 0
    cls[codes == ord("'")] = 3
    return cls


def _textstat_n_words(ch: _lex.Chunk) -> np.ndarray:
    """Per article: ``len(readability._words(" ".join(prose texts)))``, i.e. textstat's list_words: remove
    the characters of ``readability._PUNCTUATION`` (not a word character, whitespace or apostrophe; or an
    apostrophe not followed by t, s, d, ve, ll or re), split on whitespace. So: the maximal runs of
    non-whitespace characters (sentences are joined by a space in the reference, by the separator here,
    which counts as whitespace) that keep at least one character."""
    codes = ch.codes
    n = len(codes)
    cls = _word_classes(codes)  # 0 whitespace, 1 word character, 2 punctuation, 3 apostrophe
    cls[codes == ord(ch.sep)] = 0
    apos = np.flatnonzero(cls == 3)
    if len(apos):
        pad = np.concatenate([codes, np.zeros(2, codes.dtype)])
        c1, c2 = pad[apos + 1], pad[apos + 2]
        ok = (c1 == ord("t")) | (c1 == ord("s")) | (c1 == ord("d")) | ((c1 == ord("v")) & (c2 == ord("e"))) | \
            ((c1 == ord("l")) & (c2 == ord("l"))) | ((c1 == ord("r")) & (c2 == ord("e")))
        cls[apos] = np.where(ok, 1, 2)
    space = cls == 0
    starts = np.flatnonzero(~space & np.concatenate([[True], space[:-1]]))
    ends = np.flatnonzero(~space & np.concatenate([space[1:], [True]])) + 1
    cum = np.zeros(n + 1, np.int32)
    np.cumsum(cls == 1, out=cum[1:])
    counted = cum[ends] > cum[starts]
    art = ch.p_art[np.searchsorted(ch.p_off, starts[counted], side="right") - 1]
    return np.bincount(art, minlength=len(ch.articles)).astype(np.float64)


def _agent_words_table(voc: _lex._Vocab) -> np.ndarray:
    """Per vocabulary word: ``base in AGENT_WORDS or low in AGENT_WORDS`` (framing._agent_positions)."""
    words = ref.AGENT_WORDS
    cache = _AGENT_CACHE
    if cache.get("gen") != voc.gen or cache.get("words") is not words:
        cache.clear()
        cache.update(gen=voc.gen, words=words, table=np.zeros(0, bool))
    table = cache["table"]
    n = len(voc.words)
    if len(table) < n:
        new = np.asarray([w in words or b in words for w, b in zip(voc.words[len(table):n], voc.bases[len(table):n])],
                         dtype=bool)
        table = cache["table"] = np.concatenate([table, new])
    return table  # type: ignore[no-any-return]


_AGENT_CACHE: dict[str, Any] = {}


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options) -> ChunkResult:
    if not articles:
        return ChunkResult()
    pf = resolve("policy_frames", options.lexicons)
    gf = resolve("generic_frames", options.lexicons)
    dims, generic = ref.DIMENSIONS, ref.GENERIC
    ref._check(pf, dims, "policy_frames")
    ref._check(gf, generic, "generic_frames")
    ch = _lex.chunk_tokens(articles)
    n_art = len(ch.articles)
    n_prose = len(ch.sentences)
    D, G = len(dims), len(generic)
    dim_of = {d: i for i, d in enumerate(dims)}
    gen_of = {g: i for i, g in enumerate(generic)}

    # -- policy frames
    h = _lex.match(ch, pf)
    t = h.tables
    e_dim = np.asarray([dim_of[c] for c in t.e_category], np.int64)
    hd = e_dim[h.entry]
    hw = t.e_weight[h.entry]
    sent_w = _lex.wsum(h.sent * D + hd, hw, n_prose * D).reshape(n_prose, D)
    sent_n = np.bincount(h.sent * D + hd, minlength=n_prose * D).reshape(n_prose, D)
    present = sent_n > 0
    # frame_cues = sum(sent.values()) (0.0 without cues); frame_top: the codebook-first category with the
    # largest sum among those present
    cues_p = np.where(present, sent_w, 0.0).sum(axis=1)
    masked = np.where(present, sent_w, -np.inf)
    best = masked.max(axis=1, initial=-np.inf)
    any_hit = present.any(axis=1)
    top_idx = np.argmax(masked == best[:, None], axis=1)
    cues = np.full(ch.n_rows, np.nan)
    cues[ch.p_row] = cues_p
    top = np.full(ch.n_rows, None, dtype=object)
    dims_arr = np.asarray(dims, dtype=object)
    top[ch.p_row[any_hit]] = dims_arr[top_idx[any_hit]]
    h_art = ch.p_art[h.sent]
    totals = _lex.wsum(h_art * D + hd, hw, n_art * D).reshape(n_art, D)

    # -- generic frames
    g = _lex.match(ch, gf)
    gt = g.tables
    e_gen = np.asarray([gen_of[c] for c in gt.e_category], np.int64)
    gg = e_gen[g.entry]
    keep = np.ones(len(g.tok), bool)
    resp = gen_of.get(_RESPONSIBILITY)
    if resp is not None and len(g.tok):
        is_resp = gg == resp
        if is_resp.any():
            # framing._agent_positions: an agent word, or a capitalised word that is not the sentence's first
            voc = ch.voc
            first_tok = ch.p_tok[ch.t_sent]
            upper = (ch.flags[ch.t_start] & _lex._CHAR_BIT["isupper"]) != 0
            agent = _agent_words_table(voc)[ch.t_vid] | ((np.arange(len(ch.t_vid)) > first_tok) & upper)
            cum = np.zeros(len(agent) + 1, np.int64)
            np.cumsum(agent, out=cum[1:])
            k0 = g.tok[is_resp]
            s = g.sent[is_resp]
            lo = np.maximum(k0 - ref.AGENT_WINDOW, ch.p_tok[s])
            hi = np.minimum(k0 + ref.AGENT_WINDOW, ch.p_tok[s + 1] - 1)
            keep[np.flatnonzero(is_resp)] = cum[hi + 1] - cum[lo] > 0
    gsel = np.flatnonzero(keep)
    g_art = ch.p_art[g.sent[gsel]]
    gw = gt.e_weight[g.entry[gsel]]
    gtotals = _lex.wsum(g_art * G + gg[gsel], gw, n_art * G).reshape(n_art, G)
    # evidence: policy-frame hits, then the generic-frame hits that count, in one frame
    e_sent = np.concatenate([h.sent, g.sent[gsel]])
    e_start = np.concatenate([h.start, g.start[gsel]])
    e_end = np.concatenate([h.end, g.end[gsel]])
    evidence = _lex.evidence_frame(
        ch, sent=e_sent, start=e_start, end=e_end, family="framing",
        cat_codes=np.concatenate([hd, D + gg[gsel]]),
        cat_names=["frame:" + d for d in dims] + ["gframe:" + x for x in generic],
        term=_lex.hit_texts(ch, e_start, e_end, np.concatenate([h.tok, g.tok[gsel]])), weight=np.concatenate([hw, gw]),
        in_quote=_lex.quoted(ch, e_start, e_end, e_sent))

    # -- n_words: readability's count when it ran first, else textstat's word rule on the prose
    given = [a.shared.get("n_words") for a in ch.articles]
    if all(nw is not None for nw in given):
        n_words = np.zeros(n_art)
    elif readability._PUNCTUATION.pattern == _PUNCTUATION_PATTERN:
        n_words = _textstat_n_words(ch)
    else:  # the reference's punctuation rule changed: its own word list, until _textstat_n_words follows it
        n_words = np.asarray([float(len(readability._words(" ".join(s.text for s in a.sentences
                                                                     if s.kind == "prose"))))
                              for a in ch.articles])
    for ai, nw in enumerate(given):
        if nw is not None:
            n_words[ai] = nw

    # -- article columns (framing.measure's formulas, dimension by dimension in codebook order)
    art: dict[str, np.ndarray] = {}
    total = np.zeros(n_art)
    for j in range(D):
        total = total + totals[:, j]
    pos = total > 0
    safe = np.where(pos, total, 1.0)
    for j, d in enumerate(dims):
        art["frame_" + d] = np.where(pos, totals[:, j] / safe, 0.0)
    best_a = totals.max(axis=1, initial=-np.inf) if D else np.zeros(n_art)
    prim = np.argmax(totals == best_a[:, None], axis=1) if D else np.zeros(n_art, np.int64)
    art["frame_primary"] = np.where(pos, dims_arr[prim] if D else "none", "none").astype(object)
    ent = np.zeros(n_art)
    for j in range(D):
        p = totals[:, j] / safe
        lp = np.log2(np.where(totals[:, j] > 0, p, 1.0))
        ent = ent + np.where(totals[:, j] > 0, p * lp, 0.0)
    art["frame_entropy"] = np.where(pos, np.maximum(0.0, -ent), math.nan)
    nz = n_words != 0
    for j, gname in enumerate(generic):
        art["gframe_" + gname] = np.where(nz, 100 * gtotals[:, j] / np.where(nz, n_words, 1.0), math.nan)
    return ChunkResult(sentence={"frame_cues": cues, "frame_top": top}, article=art,
                       evidence=evidence)
