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
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import is_
from typing import Any

import numpy as np
import pandas as pd

from .. import readability as _rd
from .. import vader_fast as _vf
from ..records import PreparedArticle
from . import EVIDENCE_COLUMNS

#: the vocabulary starts over (between chunks, never inside one) past this many raw tokens, or past this
#: many characters in them (memory stays bounded whatever the text: long tokens count by their length)
VOCAB_LIMIT = 50_000
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
}
# readability bits: the token has a word (textstat's count); 3+ syllables; Gunning's hard word; not a
# Dale-Chall easy word; textstat's sentence rule: a word character before its first [.!?] run (the whole
# token when it has none), a [.!?] run in it, a word character after its last run
R_WORD, R_POLY, R_FOG, R_DC, R_LEAD, R_CLOSE, R_TRAIL = 1, 2, 4, 8, 16, 32, 64
R_LINW_SHIFT = 7
# VADER bits: ALL CAPS, "but", holds an emoji, scored (lexicon word, not a booster), in the lexicon,
# booster word, negation
V_UPPER, V_BUT, V_EMOJI, V_SCORED, V_HAS, V_BOOST, V_NEG = 1, 2, 4, 8, 16, 32, 64
#: the readability counts summed per article (besides the R_* bits)
SUM_COLS = ("rd_letters", "rd_syll", "rd_chars")


def _ts_parts(token: str) -> tuple[int, int, int]:
    runs = list(_TERMINATORS.finditer(token))
    if not runs:
        return (1 if _HAS_WORD.search(token) else 0), 0, 0
    lead = token[:runs[0].start()]
    trail = token[runs[-1].end():]
    return (1 if _HAS_WORD.search(lead) else 0), len(runs), (1 if _HAS_WORD.search(trail) else 0)


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
        self.reset()

    def reset(self) -> None:
        self.generation = getattr(self, "generation", -1) + 1
        self.index = _Index()
        self.chars = 0
        self.tokens: list[str] = []
        self.lower_index: dict[str, int] = {}
        self.cols: dict[str, np.ndarray] = {k: np.zeros(1024, dtype=t) for k, t in _COLUMNS.items()}
        self.vtoks: list[Any] = []  # vader_fast _Tok per id (idiom fallback reads .low)
        self.ids([SENTINEL])  # id 0

    def ids(self, tokens: list[str]) -> np.ndarray:
        index = self.index
        ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        if index.new:
            new, index.new = index.new, []
            self._add(new)
        return ids

    def _add(self, new: list[str]) -> None:
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
        rows: dict[str, list[Any]] = {k: [] for k in _COLUMNS}
        rd_tokens = _rd._TOKENS
        vf_tokens = _vf._TOKENS
        lower_index = self.lower_index
        mask = _rd._MASK
        F = _rd._FIELD
        emoji_set = _vf._tables()[2]
        self.chars += sum(map(len, new))
        for t in new:
            self.tokens.append(t)
            w, wl, counts, lin = rd_tokens[t]
            lead, runs, trail = _ts_parts(t)
            rows["rd_flags"].append(
                R_WORD * (counts & mask) + R_POLY * ((counts >> 3 * F) & mask) + R_FOG * ((counts >> 4 * F) & mask)
                + R_DC * ((counts >> 5 * F) & mask) + R_LEAD * lead + R_CLOSE * (runs > 0) + R_TRAIL * trail
                + ((lin >> 8) << R_LINW_SHIFT))
            rows["rd_letters"].append((counts >> F) & mask)
            rows["rd_syll"].append((counts >> 2 * F) & mask)
            rows["rd_chars"].append(len(t))
            if w:
                lid = lower_index.get(wl)
                if lid is None:
                    lid = lower_index[wl] = len(lower_index)
                rows["rd_lower"].append(lid)
            else:
                rows["rd_lower"].append(-1)
            vt = vf_tokens[t]
            self.vtoks.append(vt)
            rows["v_flags"].append(
                V_UPPER * vt.upper + V_BUT * (vt.low == "but") + V_SCORED * vt.scored
                + V_EMOJI * (not t.isascii() and _vf._has_emoji(t, emoji_set))
                + V_HAS * (vt.valence is not None) + V_BOOST * (vt.boost is not None) + V_NEG * vt.negation)
            rows["v_val"].append(np.nan if vt.valence is None else vt.valence)
            rows["v_boost"].append(0.0 if vt.boost is None else vt.boost)
            rows["v_code"].append(CODE.get(vt.low, 0))
            rows["v_punct"].append(min(t.count("!"), 4) + (min(t.count("?"), 4) << 3))
        for k, vals in rows.items():
            cols[k][start:n] = vals


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
            VOCAB.reset()
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
