"""VADER sentiment of a whole chunk at once (columnar twin of biascmp.sentiment).

Equal to ``reference_chunk(biascmp.sentiment.measure, ...)`` (tests/test_columnar_sentiment.py), and so
to vaderSentiment 3.3.2 sentence by sentence. :mod:`biascmp.vader_fast` is the reference; this module
applies its rules, in its order and with its floating-point operations, to every scored word of the
chunk at once:

- what a rule reads of a token (lexicon valence, booster value, negation, ALL CAPS, the word itself
  when a rule compares it) is read by token id from arrays filled once per distinct token by
  ``vader_fast``'s own per-token code (:mod:`biascmp.columnar._tokens_rs`);
- sentiment_valence's rules (the "no" rules, ALL-CAPS emphasis, boosters at distances 1-3 with their
  0.95 / 0.9 damping, negation windows with "never so/this" and "without doubt", "least") are
  ``np.where`` steps over the array of scored positions, each reading the neighbours by shifted index;
- ``_special_idioms_check`` runs only where an idiom can start near the word (an idiom's first two words
  in a row, rare); there the reference's own ``_idioms`` function is applied to the valence so far,
  word by word in Python, and counted (:data:`STATS`);
- ``_but_check``: the factor 0.5 before / 1.5 after the first "but", vectorised; VADER finds each value
  with ``list.index`` (the first equal value), which differs from position order only when a value
  equals one before it in its sentence, so such sentences run the reference ``_but`` (counted);
- score_valence's sums are ``np.bincount`` accumulations (the same additions in the same order as
  Python's ``sum`` before 3.12; a compensated column-wise sum reproduces 3.12's ``sum``), and the final
  ``round`` is numpy's except within 1e-7 of a rounding tie, where Python's ``round`` decides.

Sentences holding an emoji are scored on their emoji-replaced text, as VADER does. A short text (the
reference's SHORT_TEXT_CHARS rule) is scored whole by the same kernel.

Masking (words inside multi-word names, :mod:`biascmp.names` when present): ``mask`` gives one boolean
per VADER word of each sentence; a masked word's own sentiment is 0, every other rule unchanged (the
reference's semantics), and ``masked_evidence`` supplies the evidence rows of the sentences it touches.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import sentiment as _s
from .. import vader_fast as _vf
from ..records import Evidence, Options, PreparedArticle
from . import EVIDENCE_COLUMNS, ChunkResult
from ._tokens_rs import (
    CODE,
    IDIOM_START,
    N_ALPHA,
    N_CONNECTOR,
    N_NAME,
    V_BOOST,
    V_BUT,
    V_EMOJI,
    V_HAS,
    V_NEG,
    V_SCORED,
    V_UPPER,
    ProseChunk,
    Tokens,
    no_evidence,
    prose_chunk,
    tokenise,
)

#: what went through per-word or per-sentence Python in this process (for benchmark lines)
STATS: dict[str, int] = {"sentences": 0, "idiom_words": 0, "but_sentences_python": 0, "emoji_sentences": 0,
                         "short_texts_whole": 0, "round_ties": 0}

_NO, _OR, _NOR, _NEVER, _SO, _THIS, _WITHOUT, _DOUBT, _LEAST, _AT, _VERY, _KIND, _OF, _BUT = (
    CODE[w] for w in ("no", "or", "nor", "never", "so", "this", "without", "doubt", "least", "at", "very",
                      "kind", "of", "but"))
_N = _vf._N_SCALAR
_C = _vf._C_INCR
_COMPENSATED_SUM = sys.version_info >= (3, 12)

#: a mask function: one sentence's VADER words -> one boolean per word (True: no valence of its own)
MaskFn = Callable[[Sequence[str]], Sequence[bool]]


def _py_round(x: np.ndarray, digits: int) -> np.ndarray:
    """Python's ``round(x, digits)`` element-wise: numpy's, except near a tie, where Python decides.

    Away from a tie both give the integer nearest to x * 10**digits divided by 10**digits, which IEEE
    division rounds to the same double that Python's correctly rounded decimal gives."""
    out = np.round(x, digits)
    t = x * 10.0 ** digits
    near = np.abs(t - np.floor(t) - 0.5) < 1e-7
    if near.any():
        idx = np.flatnonzero(near)
        STATS["round_ties"] += len(idx)
        out[idx] = [round(v, digits) for v in x[idx].tolist()]
    return out


def _group_sum(group: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Python's ``sum`` of each group's values in order (groups ascending and contiguous)."""
    if not _COMPENSATED_SUM:
        return np.bincount(group, weights=values, minlength=n)
    # CPython >= 3.12: Neumaier-compensated sum, run column by column over the groups
    out = np.zeros(n)
    if not len(values):
        return out
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, len(group)])
    pos = np.arange(len(group)) - np.repeat(start, size)
    g = group[start]
    f = values[start].copy()
    c = np.zeros(len(start))
    for k in range(1, int(size.max())):
        sel = pos == k
        x = values[sel]
        rows = np.searchsorted(g, group[sel])
        fr = f[rows]
        t = fr + x
        c[rows] += np.where(np.abs(fr) >= np.abs(x), (fr - t) + x, (x - t) + fr)
        f[rows] = t
    fix = (c != 0) & np.isfinite(c)
    f[fix] += c[fix]
    out[g] = f
    return out


def _valences(tk: Tokens, flags: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """sentiment_valence of every scored word: (token positions, valences), in token order."""
    ids, tok_off, tok_sent, cols = tk.ids, tk.off, tk.sent, tk.cols
    T = len(ids)
    n_tok = np.diff(tok_off)
    # allcap_differential per sentence: some, but not all, words ALL CAPS
    n_caps = np.bincount(tok_sent, weights=flags & V_UPPER, minlength=len(n_tok)).astype(np.int64)
    capdiff = (n_tok - n_caps > 0) & (n_tok - n_caps < n_tok)
    scored = (flags & V_SCORED).astype(bool)
    if mask is not None:
        scored &= ~mask
    P = np.flatnonzero(scored)
    code_of, flags_of, boost_of = cols["v_code"], cols["v_flags"], cols["v_boost"]
    sent = tok_sent[P]
    r = P - tok_off[sent]
    last = r == n_tok[sent] - 1
    nxt = ids[np.minimum(P + 1, max(T - 1, 0))]
    # "kind" before "of" is skipped (a booster n-gram, not the lexicon's "kind")
    keep = ~((code_of[ids[P]] == _KIND) & ~last & (code_of[nxt] == _OF))
    P, sent, r, last, nxt = P[keep], sent[keep], r[keep], last[keep], nxt[keep]
    if not len(P):
        return P, np.zeros(0)
    cd = capdiff[sent]
    here = ids[P]
    back = [here] + [ids[np.maximum(P - d, 0)] for d in (1, 2, 3)]  # token ids at i, i-1, i-2, i-3
    c0, c1, c2, c3 = (code_of[x].astype(np.int64) for x in back)
    f0, f1, f2, f3 = (flags_of[x] for x in back)
    so_this1 = (c1 == _SO) | (c1 == _THIS)
    lex = cols["v_val"][here]
    v = lex.copy()
    # "no" before another lexicon word is neutral; a word after "no" (or "no ... or/nor") is negated
    v[(c0 == _NO) & ~last & ((flags_of[nxt] & V_HAS) > 0)] = 0.0
    after_no = (((r > 0) & (c1 == _NO)) | ((r > 1) & (c2 == _NO))
                | ((r > 2) & (c3 == _NO) & ((c1 == _OR) | (c1 == _NOR))))
    v = np.where(after_no, lex * _N, v)
    # ALL CAPS emphasis in a sentence of mixed case
    v = np.where(((f0 & V_UPPER) > 0) & cd, np.where(v > 0, v + _C, v - _C), v)
    for d, fd in ((1, f1), (2, f2), (3, f3)):
        prev = back[d]
        ok = (r >= d) & ((fd & V_HAS) == 0)
        # scalar_inc_dec: the booster's value, signed like the valence, ALL CAPS emphasis
        scalar = boost_of[prev]
        scalar = np.where(v < 0, scalar * -1, scalar)
        scalar = np.where(((fd & V_UPPER) > 0) & cd, np.where(v > 0, scalar + _C, scalar - _C), scalar)
        add = ok & ((fd & V_BOOST) > 0)
        negd = ok & ((fd & V_NEG) > 0)
        if d == 1:
            v = np.where(add, v + scalar, v)
            v = np.where(negd, v * _N, v)
        elif d == 2:
            v = np.where(add, v + scalar * 0.95, v)
            never_so = (c2 == _NEVER) & so_this1
            without_doubt = (c2 == _WITHOUT) & (c1 == _DOUBT)
            v = np.where(negd & never_so, v * 1.25, np.where(negd & ~without_doubt, v * _N, v))
        else:
            v = np.where(add, v + scalar * 0.9, v)
            never_so = ((c3 == _NEVER) & ((c2 == _SO) | (c2 == _THIS))) | so_this1
            without_doubt = (c3 == _WITHOUT) & ((c2 == _DOUBT) | (c1 == _DOUBT))
            v = np.where(negd & never_so, v * 1.25, np.where(negd & ~without_doubt, v * _N, v))
            v = np.where(ok & ((fd & V_NEG) == 0) & so_this1, v * 1.25, v)
            # _special_idioms_check, only where an idiom's first two words stand in a row at i-3 .. i
            # (the pair at i-1, i-2, i-3 is inside the sentence since r >= 3; the one at i needs i + 1)
            may = (IDIOM_START[c3, c2] | IDIOM_START[c2, c1] | IDIOM_START[c1, c0]
                   | (~last & IDIOM_START[c0, code_of[nxt]]))
            idiom_at = np.flatnonzero(ok & may)
            if len(idiom_at):
                STATS["idiom_words"] += len(idiom_at)
                vtoks = tk.vtoks
                new = v.copy()
                for j in idiom_at.tolist():
                    i = int(P[j])
                    a, b = int(tok_off[sent[j]]), int(tok_off[sent[j] + 1])
                    low = [vtoks[t].low for t in ids[a:b].tolist()]
                    new[j] = _vf._idioms(float(v[j]), low, i - a)
                v = new
    # _least_check
    least = (r > 0) & (c1 == _LEAST) & ((f1 & V_HAS) == 0) & ((r == 1) | ((c2 != _AT) & (c2 != _VERY)))
    v = np.where(least, v * _N, v)
    return P, v


def _but(P: np.ndarray, v: np.ndarray, flags: np.ndarray, tok_off: np.ndarray, tok_sent: np.ndarray
          ) -> np.ndarray:
    """_but_check on the non-zero valences (positions P, token order)."""
    but = np.flatnonzero(flags & V_BUT)
    if not len(but) or not len(P):
        return v
    sent_of_but = tok_sent[but]
    first = np.r_[True, sent_of_but[1:] != sent_of_but[:-1]]  # positions ascend: a sentence's first "but"
    bi = np.full(len(tok_off) - 1, -1, dtype=np.int64)
    bi[sent_of_but[first]] = but[first]  # token position of each sentence's first "but"
    sent = tok_sent[P]
    b = bi[sent]
    inside = b >= 0
    out = np.where(inside & (P < b), v * 0.5, np.where(inside & (P > b), v * 1.5, v))
    # list.index finds the first equal value: position order unless a value equals an earlier one's
    # value (modified) in the same sentence; those sentences take the reference function
    sel = np.flatnonzero(inside)
    if len(sel) > 1:
        s_sel = sent[sel]
        multi = np.r_[s_sel[1:] == s_sel[:-1], False] | np.r_[False, s_sel[1:] == s_sel[:-1]]
        check = sel[multi]
        if len(check):
            key_mod = s_sel[multi] + 1j * out[check]
            key_org = s_sel[multi] + 1j * v[check]
            if np.isin(key_org, key_mod).any():
                for s in np.unique(s_sel[multi][np.isin(key_org, key_mod)]).tolist():
                    k = check[s_sel[multi] == s]
                    at = (P[k] - tok_off[s]).tolist()
                    vals = v[k].tolist()
                    _vf._but(at, vals, int(bi[s] - tok_off[s]))
                    out[k] = vals
                    STATS["but_sentences_python"] += 1
    return out


def vader_texts(texts: list[str], has_emoji: np.ndarray | None = None, *, count: bool = True) -> list[str]:
    """The texts VADER splits: emoji replaced by their descriptions (only texts that hold one change).

    ``has_emoji``: one flag per text when known (from the tokens' flags)."""
    emojis, emoji_set = _vf._tables()[1:]
    if has_emoji is None:
        which = [k for k, t in enumerate(texts) if not t.isascii() and _vf._has_emoji(t, emoji_set)]
    else:
        which = np.flatnonzero(has_emoji).tolist()
    if not which:
        return texts
    out = list(texts)
    for k in which:
        out[k] = _vf._replace_emoji(texts[k], emojis)
    if count:
        STATS["emoji_sentences"] += len(which)
    return out


def _retokenise(tokens: Tokens, texts: list[str], vtexts: list[str], changed: list[int]) -> Tokens:
    """``tokenise(vtexts)`` from ``tokens = tokenise(texts)``, tokenising again only the texts that changed
    (``changed``, ascending)."""
    new = tokenise([vtexts[k] for k in changed])
    if new.generation != tokens.generation:  # the vocabulary started over in between: ids differ
        return tokenise(vtexts)
    ids, tok_off = tokens.ids, tokens.off
    parts = []
    counts = np.diff(tok_off)
    prev = 0
    for j, k in enumerate(changed):
        parts.append(ids[tok_off[prev]:tok_off[k]])
        parts.append(new.ids[new.off[j]:new.off[j + 1]])
        counts[k] = new.off[j + 1] - new.off[j]
        prev = k + 1
    parts.append(ids[tok_off[prev]:])
    off = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=off[1:])
    # the later snapshot holds every row of the earlier one (same vocabulary, only grown)
    return Tokens(np.concatenate(parts), off, np.repeat(np.arange(len(texts), dtype=np.int64), counts),
                  new.cols, new.vtoks, new.generation)


def word_mask(vtexts: Sequence[str], mask: MaskFn) -> np.ndarray:
    """``mask`` applied to each text's VADER words (vaderSentiment's words_and_emoticons), flattened."""
    strip = _vf._strip
    flags: list[bool] = []
    for k, t in enumerate(vtexts):
        words = [strip(w) for w in t.split()]
        m = list(mask(words))
        if len(m) != len(words):
            raise ValueError(f"mask returned {len(m)} flags for the {len(words)} VADER words of text {k} "
                             f"({t[:60]!r}); it must return one per word")
        flags.extend(bool(x) for x in m)
    return np.asarray(flags, dtype=bool)


def mask_flags(vtexts: Sequence[str], mask: MaskFn, tokens: Tokens | None = None) -> np.ndarray:
    """``mask`` of each text's VADER words, flattened: the names rule (:func:`biascmp.names.mask_names`)
    as array steps over the texts' tokens (``tokens``: :func:`tokenise` of ``vtexts`` when already made),
    any other mask function word by word."""
    from ..names import mask_names

    if mask is mask_names:
        return name_mask_tokens(tokens if tokens is not None else tokenise(list(vtexts)))
    return word_mask(vtexts, mask)


def name_mask_tokens(tk: Tokens) -> np.ndarray:
    """:func:`biascmp.names.mask_names` of every text of ``tk`` at once, flattened (one boolean per token).

    The rule of :mod:`biascmp.names` as array steps over the tokens (each token's kind, letter flag and
    core read by id, ``_tokens_rs`` N_* columns): a name-like word next to an equal one is not name-like;
    consecutive name-like words p < q of a sentence belong to one name when q = p + 1, or q = p + 2 with a
    connector between, or q = p + 3 with two connectors between (exactly the reference's scan: one or two
    connectors followed by a name-like word continue the name); a name with two or more name-like words
    has them all masked except the sentence start (its first token with a letter)."""
    ids, sent = tk.ids, tk.sent
    N = len(ids)
    out = np.zeros(N, dtype=bool)
    if N < 2:
        return out
    nf = tk.cols["n_flags"][ids]
    name = (nf & N_NAME) != 0
    if np.count_nonzero(name) < 2:
        return out
    same = sent[1:] == sent[:-1]  # token j and j + 1 are in one text
    core = tk.cols["n_core"][ids]
    rep = name[1:] & name[:-1] & same & (core[1:] == core[:-1])  # rep[j]: tokens j, j + 1 repeat a word
    name[1:] &= ~rep
    name[:-1] &= ~rep
    P = np.flatnonzero(name)
    if len(P) < 2:
        return out
    conn = (nf & N_CONNECTOR) != 0
    p, q = P[:-1], P[1:]
    gap = q - p
    link = (sent[p] == sent[q]) & (
        (gap == 1)
        | ((gap == 2) & conn[np.minimum(p + 1, N - 1)])
        | ((gap == 3) & conn[np.minimum(p + 1, N - 1)] & conn[np.minimum(p + 2, N - 1)]))
    run = np.r_[0, np.cumsum(~link)]
    size = np.bincount(run)
    out[P[size[run] >= 2]] = True
    # the sentence start (first token with a letter) is never masked
    alpha = np.flatnonzero(nf & N_ALPHA)
    if len(alpha):
        first = alpha[np.r_[True, sent[alpha[1:]] != sent[alpha[:-1]]]]
        out[first] = False
    return out


def score_texts(texts: list[str], *, mask: MaskFn | np.ndarray | None = None, tokens: Tokens | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """VADER ``polarity_scores`` of each text: (compound, pos, neu, neg) arrays.

    ``mask``: a :data:`MaskFn`, or one boolean per VADER word of all the texts, flattened. ``tokens``:
    :func:`tokenise` of ``texts`` when already made."""
    S = len(texts)
    STATS["sentences"] += S
    if tokens is None:
        tokens = tokenise(texts)
    emoji = np.bincount(tokens.sent, weights=tokens.cols["v_flags"][tokens.ids] & V_EMOJI, minlength=S) > 0
    vtexts = vader_texts(texts, emoji)
    tk = tokens if vtexts is texts else _retokenise(tokens, texts, vtexts, np.flatnonzero(emoji).tolist())
    ids, tok_off, tok_sent = tk.ids, tk.off, tk.sent
    tok_mask = mask_flags(vtexts, mask, tk) if callable(mask) else mask
    if tok_mask is not None and len(tok_mask) != len(ids):
        raise ValueError(f"mask has {len(tok_mask)} entries for {len(ids)} VADER words")
    flags = tk.cols["v_flags"][ids]
    P, v = _valences(tk, flags, tok_mask)
    nz = v != 0
    P, v = P[nz], v[nz]
    v = _but(P, v, flags, tok_off, tok_sent)
    sent = tok_sent[P]
    n_tok = np.diff(tok_off)
    # score_valence
    sum_s = _group_sum(sent, v, S)
    punct = tk.cols["v_punct"][ids]
    # counts capped at 4 per token: VADER reads min(count, 4) of "!", and of "?" only whether it is > 3
    n_bang = np.bincount(tok_sent, weights=punct & 7, minlength=S)
    n_q = np.bincount(tok_sent, weights=punct >> 3, minlength=S)
    ep = np.minimum(n_bang, 4) * 0.292
    qm = np.where(n_q <= 1, 0.0, np.where(n_q <= 3, n_q * 0.18, 0.96))
    amp = ep + qm
    sum_s = np.where(sum_s > 0, sum_s + amp, np.where(sum_s < 0, sum_s - amp, sum_s))
    norm = sum_s / np.sqrt((sum_s * sum_s) + 15)
    compound = np.clip(norm, -1.0, 1.0)
    positive = v > 0
    pos_sum = np.bincount(sent[positive], weights=v[positive] + 1, minlength=S)
    neg_sum = np.bincount(sent[~positive], weights=v[~positive] - 1, minlength=S)
    neu_count = n_tok - np.bincount(sent, minlength=S)
    pos_sum = np.where(pos_sum > np.abs(neg_sum), pos_sum + amp, pos_sum)
    neg_sum = np.where(pos_sum < np.abs(neg_sum), neg_sum - amp, neg_sum)
    total = pos_sum + np.abs(neg_sum) + neu_count
    empty = n_tok == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = np.where(empty, 0.0, _py_round(np.abs(neg_sum / total), 3))
        neu = np.where(empty, 0.0, _py_round(np.abs(neu_count / total), 3))
        pos = np.where(empty, 0.0, _py_round(np.abs(pos_sum / total), 3))
    return _py_round(compound, 4), pos, neu, neg


#: evidence for one masked sentence: (sentence index in the article, sentence text, quoted?) -> rows
MaskedEvidenceFn = Callable[[int, str, bool], Sequence[Evidence]]


class _ReferenceRules:
    """Default of measure_chunk's ``mask``/``masked_evidence``: the reference's own rules
    (:func:`biascmp.names.mask_names`, :func:`biascmp.sentiment.masked_evidence`)."""

    def __repr__(self) -> str:
        return "REFERENCE_RULES"


#: pass ``mask=None`` to score plain VADER (no name mask) instead
REFERENCE_RULES: Any = _ReferenceRules()


#: ``PreparedArticle.shared`` key of the article's sentence compounds (one per sentence, NaN off prose),
#: left by :func:`measure_chunk` for :mod:`biascmp.actors`
SHARED_COMPOUND = "sentiment.compound"


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options, chunk: ProseChunk | None = None,
                  mask: MaskFn | None = REFERENCE_RULES,
                  masked_evidence: MaskedEvidenceFn | None = REFERENCE_RULES) -> ChunkResult:
    """Sentence VADER scores and article aggregates for the chunk; equal to
    ``reference_chunk(sentiment.measure, ...)``.

    ``chunk``: a tokenisation of ``articles`` already made (:func:`prose_chunk`). ``mask``: a function
    from one sentence's VADER words to one boolean per word; a True word gets no valence of its own
    (every other rule unchanged), as the reference does with :func:`biascmp.names.mask_names`.
    Both default to the reference's rules; ``mask=None`` scores plain VADER.
    ``masked_evidence``: called for each prose sentence with at least one masked word (its index in the
    article's sentences, its text, ``in_quote >= QUOTED``); the rows it returns are the evidence.
    """
    reference_mask = mask is REFERENCE_RULES
    from ..names import mask_names

    if mask is REFERENCE_RULES:
        mask = mask_names
    if masked_evidence is REFERENCE_RULES:
        masked_evidence = _s.masked_evidence
    pc = chunk if chunk is not None else prose_chunk(articles)
    n = pc.n_articles
    S = len(pc.texts)
    flat = None
    evidence = no_evidence()
    if mask is not None:
        tokens = pc.tokens
        emoji = np.bincount(tokens.sent, weights=tokens.cols["v_flags"][tokens.ids] & V_EMOJI, minlength=S) > 0
        vtexts = vader_texts(pc.texts, emoji, count=False)
        vt = tokens if vtexts is pc.texts else _retokenise(tokens, pc.texts, vtexts,
                                                           np.flatnonzero(emoji).tolist())
        flat = mask_flags(vtexts, mask, vt)
        first_row = np.r_[0, np.cumsum([len(a.sentences) for a in articles])]
        rows: list[tuple[Any, ...]] = []
        if masked_evidence is _s.masked_evidence and mask is mask_names:
            # the reference's rows, from the arrays: each masked word with a VADER valence that is not a
            # booster, at its word_spans offsets, weighted by its valence (= lexicon[word.lower()])
            vf = vt.cols["v_flags"][vt.ids]
            hits = np.flatnonzero(flat & ((vf & V_HAS) != 0) & ((vf & V_BOOST) == 0))
            spans: list[tuple[str, int, int]] = []
            last = -1
            text, aid, index, in_q = "", "", 0, False
            for j in hits.tolist():
                k = int(vt.sent[j])
                if k != last:
                    text = pc.texts[k]
                    spans = _vf.word_spans(text)
                    art_k = int(pc.article[k])
                    aid = articles[art_k].article_id
                    index = int(pc.row[k] - first_row[art_k])
                    in_q = bool(pc.in_quote[k] >= _s.QUOTED)
                    last = k
                _w, b, e = spans[j - int(vt.off[k])]
                rows.append((aid, index, b, e, "sentiment", "masked_name", text[b:e],
                             float(vt.cols["v_val"][vt.ids[j]]), in_q))
        elif masked_evidence is not None:
            masked = np.flatnonzero(np.bincount(vt.sent, weights=flat, minlength=S) > 0)
            rows = [(articles[a].article_id, e.sentence_index, e.start, e.end, e.family, e.category, e.term,
                     e.weight, e.in_quote)
                    for k in masked.tolist()
                    for a in [int(pc.article[k])]
                    for e in masked_evidence(int(pc.row[k] - first_row[a]), pc.texts[k],
                                             bool(pc.in_quote[k] >= _s.QUOTED))]
        if rows:
            evidence = pd.DataFrame.from_records(rows, columns=EVIDENCE_COLUMNS)
    compound, pos, neu, neg = score_texts(pc.texts, mask=flat if mask is not None else None, tokens=pc.tokens)
    sentence: dict[str, np.ndarray] = {}
    for name, vals in (("compound", compound), ("pos", pos), ("neu", neu), ("neg", neg)):
        col = np.full(pc.n_rows, np.nan)
        col[pc.row] = vals
        sentence[name] = col
    if reference_mask:
        # each article's sentence compounds (NaN off prose), = sentiment.score(text)["compound"]: the actors
        # family, run next on the same articles, reads them instead of scoring its sentences again
        cut = np.r_[0, np.cumsum([len(a.sentences) for a in articles])]
        for a, article in enumerate(articles):
            article.shared[SHARED_COMPOUND] = sentence["compound"][cut[a]:cut[a + 1]]
    art_of = pc.article
    n_sent = np.diff(pc.art_sent_off)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(art_of, weights=compound, minlength=n) / n_sent
        scope = np.asarray(["sentences" if k else None for k in n_sent.tolist()], dtype=object)
        # short texts: prose of one paragraph, more than one sentence, at most SHORT_TEXT_CHARS joined
        if S:
            first = pc.art_sent_off[:-1]
            lastk = np.maximum(pc.art_sent_off[1:] - 1, 0)
            joined_len = np.bincount(art_of, weights=pc.length, minlength=n) + n_sent - 1
            short = (n_sent > 1) & (pc.paragraph[np.minimum(first, S - 1)] == pc.paragraph[lastk]) \
                & (joined_len <= _s.SHORT_TEXT_CHARS)
            for a in np.flatnonzero(short).tolist():
                texts = pc.texts[pc.art_sent_off[a]:pc.art_sent_off[a + 1]]
                # masked: the concatenation of the sentences' masks (each keeps its own sentence start)
                flat = None if mask is None else mask_flags(vader_texts(texts), mask)
                mean[a] = score_texts([" ".join(texts)], mask=flat)[0][0]
                scope[a] = "text"
                STATS["short_texts_whole"] += 1
        # median: sort each article's compounds
        order = np.lexsort((compound, art_of))
        srt = compound[order]
        lo = pc.art_sent_off[:-1] + (n_sent - 1) // 2
        hi = pc.art_sent_off[:-1] + n_sent // 2
        has = n_sent > 0
        lo_v = srt[np.minimum(lo, max(S - 1, 0))] if S else np.zeros(n)
        hi_v = srt[np.minimum(hi, max(S - 1, 0))] if S else np.zeros(n)
        median = np.where(has, np.where(lo == hi, lo_v, (lo_v + hi_v) / 2), np.nan)
        n_negative = np.bincount(art_of, weights=compound <= _s.NEG_THRESHOLD, minlength=n)
        n_positive = np.bincount(art_of, weights=compound >= _s.POS_THRESHOLD, minlength=n)
        quoted = pc.in_quote >= _s.QUOTED
        q_n = np.bincount(art_of[quoted], minlength=n)
        q_sum = np.bincount(art_of[quoted], weights=compound[quoted], minlength=n)
        r_n = np.bincount(art_of[~quoted], minlength=n)
        r_sum = np.bincount(art_of[~quoted], weights=compound[~quoted], minlength=n)
        art: dict[str, Any] = {
            "sentiment_mean": np.where(has, mean, np.nan),
            "sentiment_scope": scope,
            "sentiment_median": median,
            "share_negative": np.where(has, n_negative / n_sent, np.nan),
            "share_positive": np.where(has, n_positive / n_sent, np.nan),
            "share_neutral": np.where(has, (n_sent - n_negative - n_positive) / n_sent, np.nan),
            "sentiment_narrator_mean": np.where(r_n > 0, r_sum / r_n, np.nan),
            "sentiment_quoted_mean": np.where(q_n > 0, q_sum / q_n, np.nan),
        }
    return ChunkResult(sentence=sentence, article=art, evidence=evidence)
