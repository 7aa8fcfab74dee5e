"""A chunk's prose as arrays, shared by the readability and sentiment kernels.

Both families read the whitespace tokens of the prose sentences (``text.split()``): readability over the
prose joined by single spaces (whose split is the concatenation of the sentences' splits), VADER per
sentence. So a chunk is tokenised once: every prose sentence's whitespace tokens, flattened in chunk
order, as ids into a vocabulary of raw tokens that lives for the process (bounded, like the reference
caches), with sentence and article offsets.

Everything a rule reads of a token is computed once per distinct raw token, by the reference modules'
own per-token code (``readability._TOKENS`` entries, ``vader_fast._TOKENS`` entries), and stored in
numpy arrays indexed by token id. The kernels then read those arrays by id; no rule is re-implemented
per token here, so a change of the reference's per-token rules reaches the kernels.

That per-token code is ``_Vocab._add_reference``. By default a batch of new tokens is learnt at once by
:mod:`._learn` (the same rules over the whole batch, about 2.7x cheaper per token, equal on every column:
tests/test_columnar_learn.py); ``BIASCMP_LEARN=reference`` selects the per-token code.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import is_
from typing import Any

import numpy as np
import pandas as pd

from .. import names as _names
from .. import readability as _rd
from .. import vader_fast as _vf
from ..records import PreparedArticle
from . import EVIDENCE_COLUMNS, _learn

#: learn new tokens through the per-token reference (``_Vocab._add_reference``) instead of the batch path
LEARN_REFERENCE = os.environ.get("BIASCMP_LEARN", "") == "reference"

#: the vocabulary starts over (between chunks, never inside one) past this many raw tokens, or past this
#: many characters in them (memory stays bounded whatever the text: long tokens count by their length).
#: 80k: on allsides_dev 190k tokens learnt instead of 235k at 50k (0.60 vs 0.67 ms/article of tokenising,
#: CPU), for +7 MiB of peak memory (in-memory analysis 411 -> 418 MiB)
VOCAB_LIMIT = 80_000
VOCAB_CHARS_LIMIT = 5_000_000
#: joins the texts of a chunk so that one ``split`` tokenises them all; it is its own token (id 0)
SENTINEL = "\x00"

_TERMINATORS = re.compile(r"[.!?]+")
_HAS_WORD = re.compile(r"\w")

#: VADER rule words compared by their text; code 0 is every other word
RULE_WORDS: tuple[str, ...] = tuple(sorted(_vf._RULE_WORDS))
CODE: dict[str, int] = {w: k + 1 for k, w in enumerate(RULE_WORDS)}
N_CODES = len(RULE_WORDS) + 1


def _idiom_pairs() -> np.ndarray:
    """code(first) * N_CODES + code(second) of the first two words of every multi-word SPECIAL_CASES
    idiom and BOOSTER_DICT n-gram (vader_fast._FOLLOW): where an idiom can start."""
    keys = [CODE[a] * N_CODES + CODE[b] for a, seconds in _vf._FOLLOW.items() for b in seconds]
    return np.unique(np.asarray(keys, dtype=np.int64))


IDIOM_PAIRS = _idiom_pairs()
#: IDIOM_START[code(a), code(b)]: an idiom (or multi-word booster) starts with the words a b
IDIOM_START = np.zeros((N_CODES, N_CODES), dtype=bool)
IDIOM_START.flat[IDIOM_PAIRS] = True

# Per-token property columns: name -> dtype. Small types and bit flags: a chunk reads them by token id
# (random access into the vocabulary), so fewer and narrower columns mean fewer cache misses.
_COLUMNS: dict[str, Any] = {
    # readability (textstat's rules, from readability._TOKENS): R_* bits, Linsear Write weight in bits 7-8
    "rd_flags": np.uint16, "rd_letters": np.int32, "rd_syll": np.int32, "rd_chars": np.int32,
    "rd_lower": np.int32,  # id of the lower-cased word (MTLD), -1 for a token without a word
    # VADER (from vader_fast._TOKENS): V_* bits, lexicon valence (NaN outside), booster value (0 if none),
    # the word's code when a rule compares it (CODE, else 0), "!" and "?" counts capped at 4 (bits 0-2, 3-5)
    "v_flags": np.uint8, "v_val": np.float64, "v_boost": np.float64, "v_code": np.int16, "v_punct": np.uint8,
    # the name rule (biascmp.names, on the token's VADER word): N_* bits, and the id of the word's core (the
    # word without surrounding punctuation) so that a word repeated next to itself is found by comparing ids
    "n_flags": np.uint8, "n_core": np.int32,
}
# readability bits: the token has a word (textstat's count); 3+ syllables; Gunning's hard word; not a
# Dale-Chall easy word; textstat's sentence rule: a word character before its first [.!?] run (the whole
# token when it has none), a [.!?] run in it, a word character after its last run
R_WORD, R_POLY, R_FOG, R_DC, R_LEAD, R_CLOSE, R_TRAIL = 1, 2, 4, 8, 16, 32, 64
R_LINW_SHIFT = 7
# VADER bits: ALL CAPS, "but", holds an emoji, scored (lexicon word, not a booster), in the lexicon,
# booster word, negation
V_UPPER, V_BUT, V_EMOJI, V_SCORED, V_HAS, V_BOOST, V_NEG = 1, 2, 4, 8, 16, 32, 64
# name-rule bits: name-like, connector ("of", "the"), has a letter (can be the sentence start)
N_NAME, N_CONNECTOR, N_ALPHA = 1, 2, 4
#: the readability counts summed per article (besides the R_* bits)
SUM_COLS = ("rd_letters", "rd_syll", "rd_chars")


def _ts_parts(token: str) -> tuple[int, int, int]:
    runs = list(_TERMINATORS.finditer(token))
    if not runs:
        return (1 if _HAS_WORD.search(token) else 0), 0, 0
    lead = token[:runs[0].start()]
    trail = token[runs[-1].end():]
    return (1 if _HAS_WORD.search(lead) else 0), len(runs), (1 if _HAS_WORD.search(trail) else 0)


def _self_module() -> Any:
    return sys.modules[__name__]


class _Index(dict[str, int]):
    """raw token -> id; a token not seen before gets the next id (its properties follow in _add)."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[str] = []

    def __missing__(self, token: str) -> int:
        i = self[token] = len(self)
        self.new.append(token)
        return i


class _Vocab:
    """raw token -> id, and the per-token property arrays."""

    def __init__(self) -> None:
        self.generation = -1
        self.reset()

    def _recent(self) -> np.ndarray:
        """The ids to carry into the next generation: the most recently used tokens, at most half of
        VOCAB_LIMIT of them and half of VOCAB_CHARS_LIMIT in characters (so the bounds still hold)."""
        n = len(self.tokens)
        used = self.last_used[:n]
        order = np.argsort(-used, kind="stable")
        order = order[(used[order] > 0) & (order > 0)][:VOCAB_LIMIT // 2]
        chars = np.cumsum(self.cols["rd_chars"][order])
        return order[chars <= VOCAB_CHARS_LIMIT // 2]

    def reset(self, carry: bool = False) -> None:
        """Start a new generation of ids: empty, or (``carry``) holding the most recently used tokens of
        the old one (:meth:`_recent`; their rows copied, so a common word need not be learnt again)."""
        keep = self._recent() if carry else None
        old = (self.tokens, self.cols, self.vtoks, self.lowers, self.cores) if keep is not None else None
        self.generation += 1
        self.index = _Index()
        self.chars = 0
        self.tokens: list[str] = []
        self.lower_index: dict[str, int] = {}
        self.lowers: list[str] = []  # lower-cased word by id (the rd_lower ids)
        self.core_index: dict[str, int] = {}
        self.cores: list[str] = []  # name-rule core by id (the n_core ids)
        self.cols: dict[str, np.ndarray] = {k: np.zeros(1024, dtype=t) for k, t in _COLUMNS.items()}
        self.vtoks: list[Any] = []  # vader_fast _Tok per id (idiom fallback reads .low)
        self.calls = 1
        self.last_used = np.zeros(1024, dtype=np.int64)  # per id: the last call of ids() that read it
        if old is None:
            self.ids([SENTINEL])  # id 0
            return
        tokens, cols, vtoks, lowers, cores = old
        keep = np.unique(np.r_[0, keep])  # the sentinel stays id 0
        kl = keep.tolist()
        self.tokens = [tokens[k] for k in kl]
        self.index.update(zip(self.tokens, range(len(kl))))
        self.vtoks = [vtoks[k] for k in kl]
        self.chars = sum(map(len, self.tokens))
        cap = max(1024, 2 * len(kl))
        self.last_used = np.zeros(cap, dtype=np.int64)
        for name, arr in cols.items():
            self.cols[name] = np.zeros(cap, dtype=arr.dtype)
            self.cols[name][:len(kl)] = arr[keep]
        # the secondary ids (lower-cased words, cores) are renumbered over the rows kept
        for col, words, index, out in (("rd_lower", lowers, self.lower_index, self.lowers),
                                        ("n_core", cores, self.core_index, self.cores)):
            v = self.cols[col][:len(kl)]
            has = v >= 0
            uniq, inv = np.unique(v[has], return_inverse=True)
            out.extend(words[u] for u in uniq.tolist())
            index.update(zip(out, range(len(out))))
            v[has] = inv

    def ids(self, tokens: list[str]) -> np.ndarray:
        index = self.index
        ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        if index.new:
            new, index.new = index.new, []
            self._add(new)
        self.calls += 1
        self.last_used[ids] = self.calls
        return ids

    def _add(self, new: list[str]) -> None:
        """Learn the properties of tokens not seen before: the whole batch at once (:mod:`._learn`), or
        through :meth:`_add_reference` when ``LEARN_REFERENCE`` is set (env ``BIASCMP_LEARN=reference``)
        or the batch is not one the batch path takes (tokens that are empty or hold whitespace)."""
        if not new:
            return
        learnt = None if LEARN_REFERENCE else _learn.learn(new, _self_module(), self)
        if learnt is None:
            self._add_reference(new)
            return
        start, n = self._grow(new)
        cols = self.cols
        for k, v in learnt.cols.items():
            cols[k][start:n] = v
        self.vtoks.extend(learnt.vtoks)
        cols["n_core"][start:n] = _learn._ids(learnt.cores, self.core_index, self.cores)

    def _grow(self, new: list[str]) -> tuple[int, int]:
        """Room for ``new`` in the columns; the tokens appended. Returns their id range."""
        start = len(self.tokens)
        n = start + len(new)
        cols = self.cols
        cap = len(cols["v_flags"])
        if n > cap:
            cap = max(n, 2 * cap)
            for k, arr in cols.items():
                grown = np.zeros(cap, dtype=arr.dtype)
                grown[:start] = arr[:start]
                cols[k] = grown
        if n > len(self.last_used):
            self.last_used = np.r_[self.last_used, np.zeros(cap - len(self.last_used), dtype=np.int64)]
        self.tokens.extend(new)
        self.chars += sum(map(len, new))
        return start, n

    def _add_reference(self, new: list[str]) -> None:
        """Learn the properties of tokens not seen before, column by column over the batch (each value
        from the reference modules' own per-token code). The reference of the batch path (:meth:`_add`)."""
        start, n = self._grow(new)
        cols = self.cols
        m = len(new)
        # readability: textstat's counts of each token's word, packed in one int (readability._FIELD bits
        # each): unpacked for the whole batch at once through their bytes
        rd = list(map(_rd._TOKENS.__getitem__, new))
        nbytes = _rd._FIELD // 8
        packed = np.frombuffer(b"".join([e[2].to_bytes(nbytes * _rd._N_FIELDS, "little") for e in rd]),
                               dtype=np.uint64).reshape(m, _rd._N_FIELDS)
        lin = np.fromiter([e[3] for e in rd], dtype=np.int64, count=m)
        parts = np.array([_ts_parts(t) if ("." in t or "!" in t or "?" in t)
                          else (1 if t.isalnum() or _HAS_WORD.search(t) else 0, 0, 0) for t in new],
                         dtype=np.int64).reshape(m, 3)
        cols["rd_flags"][start:n] = (
            R_WORD * packed[:, 0] + R_POLY * packed[:, 3] + R_FOG * packed[:, 4] + R_DC * packed[:, 5]
            + R_LEAD * parts[:, 0] + R_CLOSE * (parts[:, 1] > 0) + R_TRAIL * parts[:, 2]
            + ((lin >> 8) << R_LINW_SHIFT))
        cols["rd_letters"][start:n] = packed[:, 1]
        cols["rd_syll"][start:n] = packed[:, 2]
        cols["rd_chars"][start:n] = np.fromiter(map(len, new), dtype=np.int64, count=m)
        lower_index, lowers = self.lower_index, self.lowers
        lids = []
        for e in rd:
            if e[0]:
                lid = lower_index.get(e[1])
                if lid is None:
                    lid = lower_index[e[1]] = len(lowers)
                    lowers.append(e[1])
                lids.append(lid)
            else:
                lids.append(-1)
        cols["rd_lower"][start:n] = lids
        # VADER
        vts = list(map(_vf._TOKENS.__getitem__, new))
        self.vtoks.extend(vts)
        emoji_set = _vf._tables()[2]
        cols["v_flags"][start:n] = [
            V_UPPER * vt.upper + V_BUT * (vt.low == "but") + V_SCORED * vt.scored
            + V_EMOJI * (not t.isascii() and _vf._has_emoji(t, emoji_set))
            + V_HAS * (vt.valence is not None) + V_BOOST * (vt.boost is not None) + V_NEG * vt.negation
            for t, vt in zip(new, vts)]
        cols["v_val"][start:n] = [np.nan if vt.valence is None else vt.valence for vt in vts]
        cols["v_boost"][start:n] = [0.0 if vt.boost is None else vt.boost for vt in vts]
        cols["v_code"][start:n] = [CODE.get(vt.low, 0) for vt in vts]
        cols["v_punct"][start:n] = [min(t.count("!"), 4) + (min(t.count("?"), 4) << 3) for t in new]
        # the name rule, on the token's VADER word
        words = list(map(_vf._strip, new))
        kinds = list(map(_names._kind, words))
        cols["n_flags"][start:n] = [
            N_NAME * (kind == 1) + N_CONNECTOR * (kind == 2) + N_ALPHA * (w.isalpha() or any(ch.isalpha() for ch in w))
            for (kind, _core), w in zip(kinds, words)]
        core_index, cores = self.core_index, self.cores
        cids = []
        for _kind, core in kinds:
            cid = core_index.get(core)
            if cid is None:
                cid = core_index[core] = len(cores)
                cores.append(core)
            cids.append(cid)
        cols["n_core"][start:n] = cids


VOCAB = _Vocab()
_LOCK = threading.Lock()
#: the last chunk tokenised (the next family of the same chunk reuses its tokens)
_LAST: dict[str, ProseChunk] = {}


@dataclass(frozen=True)
class Tokens:
    """Whitespace tokens of some texts: ids, ``off[k]:off[k + 1]`` the tokens of text k, ``sent`` the text
    of each token, and the vocabulary's property columns as they were when the ids were made.

    The columns are a snapshot (the arrays, not the vocabulary): the vocabulary may grow, start over or be
    used by another thread afterwards; rows for these ids never change, so the snapshot stays valid."""

    ids: np.ndarray
    off: np.ndarray
    sent: np.ndarray
    cols: dict[str, np.ndarray]
    vtoks: list[Any]
    generation: int


@dataclass
class ProseChunk:
    """The prose sentences of a chunk and their whitespace tokens, as arrays.

    Sentence arrays are over the chunk's prose sentences in chunk order; ``row`` is each one's position
    in the chunk's all-sentences order (``[s for a in articles for s in a.sentences]``). Token arrays are
    over the prose sentences' whitespace tokens, flattened; ``tok_off[k]:tok_off[k + 1]`` are sentence
    k's. ``art_sent_off[a]:art_sent_off[a + 1]`` are article a's prose sentences.
    """

    n_articles: int
    n_rows: int
    texts: list[str]
    row: np.ndarray
    article: np.ndarray
    in_quote: np.ndarray
    paragraph: np.ndarray
    length: np.ndarray
    art_sent_off: np.ndarray
    tokens: Tokens

    @property
    def ids(self) -> np.ndarray:
        return self.tokens.ids

    @property
    def tok_off(self) -> np.ndarray:
        return self.tokens.off

    @property
    def tok_sent(self) -> np.ndarray:
        return self.tokens.sent

    @property
    def cols(self) -> dict[str, np.ndarray]:
        return self.tokens.cols

    @property
    def art_tok_off(self) -> np.ndarray:
        return self.tok_off[self.art_sent_off]


_NO_EVIDENCE = pd.DataFrame(columns=EVIDENCE_COLUMNS)


def no_evidence() -> pd.DataFrame:
    """An empty evidence frame (a shallow copy of one built once: building one costs ~0.5 ms)."""
    return _NO_EVIDENCE.copy(deep=False)


def forget_chunks() -> None:
    """Drop the last tokenised chunk (see :func:`biascmp.columnar.forget_chunks`)."""
    _LAST.clear()


def prose_chunk(articles: Sequence[PreparedArticle]) -> ProseChunk:
    """Tokenise the prose of a chunk once (whitespace tokens, as the reference families do).

    When the chunk's prose sentences are the very string objects of the previous call (the next family
    of the same chunk), the previous call's tokens are reused."""
    texts: list[str] = []
    rows: list[int] = []
    arts: list[int] = []
    quote: list[float] = []
    para: list[int] = []
    n_prose = [0] * len(articles)
    r = 0
    for a, art in enumerate(articles):
        k = 0
        for s in art.sentences:
            if s.kind == "prose":
                texts.append(s.text)
                rows.append(r)
                arts.append(a)
                quote.append(s.in_quote)
                para.append(s.paragraph)
                k += 1
            r += 1
        n_prose[a] = k
    art_sent_off = np.zeros(len(articles) + 1, dtype=np.int64)
    np.cumsum(np.asarray(n_prose, dtype=np.int64), out=art_sent_off[1:])
    last = _LAST.get("chunk")
    if last is not None and len(last.texts) == len(texts) and all(map(is_, last.texts, texts)):
        # holding ``last.texts`` keeps those strings alive, so identity means the same text
        tokens = last.tokens
    else:
        tokens = tokenise(texts)
    pc = ProseChunk(
        n_articles=len(articles), n_rows=r, texts=texts, row=np.asarray(rows, dtype=np.int64),
        article=np.asarray(arts, dtype=np.int64), in_quote=np.asarray(quote, dtype=np.float64),
        paragraph=np.asarray(para, dtype=np.int64),
        length=np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
        art_sent_off=art_sent_off, tokens=tokens)
    _LAST["chunk"] = pc
    return pc


def tokenise(texts: list[str]) -> Tokens:
    """Whitespace tokens of ``texts`` as vocabulary ids, with offsets per text and the text of each token.

    One ``str.split`` of the texts joined by a sentinel token (a NUL between spaces: the tokens of each
    text are unchanged, since the spaces split there anyway); texts holding a NUL themselves are split
    one by one instead. Thread-safe: the vocabulary changes under a lock, and the result carries a
    snapshot of its columns."""
    S = len(texts)
    joined = f" {SENTINEL} ".join(texts)
    one_split = joined.count(SENTINEL) == max(S - 1, 0)
    if one_split:
        toks = joined.split()
    else:
        split = [t.split() for t in texts]
        toks = list(chain.from_iterable(split))
    with _LOCK:
        if len(VOCAB.tokens) > VOCAB_LIMIT or VOCAB.chars > VOCAB_CHARS_LIMIT:
            # start over, keeping the most recently used tokens (the common words, which would otherwise
            # be learnt again at once)
            VOCAB.reset(carry=True)
        try:
            ids = VOCAB.ids(toks)
        except BaseException:
            VOCAB.reset()  # never leave ids without their properties
            raise
        cols = dict(VOCAB.cols)
        vtoks = VOCAB.vtoks
        generation = VOCAB.generation
    if one_split:
        sep = ids == 0
        bounds = np.flatnonzero(sep)
        ids = ids[~sep]
        off = np.empty(S + 1, dtype=np.int64)
        off[0] = 0
        off[1:S] = bounds - np.arange(S - 1)
        off[S] = len(ids)
    else:
        off = np.zeros(S + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, split), dtype=np.int64, count=S), out=off[1:])
    return Tokens(ids, off, np.repeat(np.arange(S, dtype=np.int64), np.diff(off)), cols, vtoks, generation)
