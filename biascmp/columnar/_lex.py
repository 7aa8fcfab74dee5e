"""Shared machinery of the columnar lexicon kernels (framing, loaded, terms): a chunk's prose sentences
tokenised once into arrays, and lexicon matching over those arrays.

Correspondence with the per-article reference (a rule changed there must be changed here):

- :func:`chunk_tokens` is :func:`biascmp.lexicons.tokens_of` for every prose sentence of the chunk at
  once, over the sentences joined by a separator that no token, gap or marker pattern can match:
  :func:`token_spans` finds the matches of the reference's token regex (``lexicons._TOKEN_RE``) from runs
  of word characters in numpy (tested against the regex; the regex itself is used if its pattern
  changes), then the same hyphen rule (a word glued to a preceding ``-`` is dropped), the same
  lower-casing (``’`` as ``'``) and the same possessive rule (``'s`` stripped for the base form).
- :class:`_Vocab` holds each distinct spelling ("form") and lower-cased word once, with persistent ids;
  :func:`_form_ids` finds a token's form by an exact key of its code points (up to 16 characters below
  U+0100 or ’, one byte each, in two 64-bit words: distinct strings, distinct keys) in a numpy
  open-addressing table, so known tokens need no Python string; other tokens, new ones and keys beyond a
  probe cap are looked up by string. New forms and words are added in batches (one lower() of the joined
  forms where that equals lower() form by form; possessives found in the joined words).
- :class:`_LexTables` classifies each vocabulary word once per lexicon with the reference's own
  :meth:`biascmp.lexicons._Index._info` (phrases, exact words, stems, possessives, a trailing dot), so
  no matching rule is re-implemented per word; the tables of all lexicons in use are extended together,
  and only the words that pass the union of their exact prefilters are asked (:func:`_extend_all`).
- :func:`match` is :meth:`biascmp.lexicons._Index.find` over the whole chunk: phrase candidates are
  tested with shifted comparisons of token-id arrays (middle words by lower-cased form, the last word by
  base form or prefix for a stem, whitespace-only gaps, a required dot), the leftmost-then-longest
  greedy scan is resolved over the (rare) phrase hits, and single words and dotted words are table
  lookups by token id.
- :func:`quoted` is :meth:`biascmp.records.Sentence.is_quoted_at` for arrays of hits.

All arrays use global character offsets into the chunk's joined text; kernels convert to sentence
offsets when they build evidence.

Why by hand: the matching rules (whole words with inner hyphens and apostrophes, possessives, stems,
phrases over any whitespace, leftmost-then-longest) are the reference's own, and no array or automaton
library has them with word offsets (see biascmp.lexicons); what is new here is only doing each step once
per chunk over arrays instead of once per sentence in Python. numpy suffices: no step needs a compiled
per-token loop. (numba was considered for tokenising and key lookup: a process pays ~0.75 s of CPU to
import it and load cached code, more than it would save on a corpus of allsides_dev's size.)

Speed (benchmarks/kernels_lex.py, allsides_dev, CPU time per article): framing + loaded + terms went from
about 1.15 ms to about 0.55 ms with the exact keys, the marker first runs, batched vocabulary growth and
cheaper evidence frames; see that script's docstring for the command.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import lexicons as _lexicons
from ..lexicons import Lexicon
from ..records import PreparedArticle
from . import EVIDENCE_COLUMNS

#: the reference token regex as one capturing group, so re.split yields gap, token, gap, token, ...
_SPLIT = re.compile("(" + _lexicons._TOKEN_RE.pattern + ")")
#: separators tried in turn: not a word, space, dot, hyphen, quote or '!' character, so no token,
#: whitespace gap, phrase, marker pattern or exclamation can reach across two sentences
_SEPARATORS = ("\x00", "\x01", "\x02", "\x03", "\x04", "\x05", "\x06", "\x07", "\x08",
               *map(chr, range(0x0E, 0x1C)), "\x7f",   # (0x09-0x0D and 0x1C-0x1F are whitespace)
               *map(chr, range(0xE000, 0xF900)))        # private use: no word, space or cased character
#: a word table that grows past this many words (or twice as many forms) starts over (bounded memory on
#: any corpus). allsides_dev's 62k words fit: an in-memory analyze() of it peaked at 426 MB RSS with a
#: limit of 100k against 404 MB with 40k (two restarts), and took 0.7 s less CPU (/usr/bin/time -v)
VOCAB_LIMIT = 70_000
#: the key table's first size (log2 slots; it doubles as forms arrive)
KEY_TABLE_BITS = 12

_LOCK = threading.RLock()
#: how often a rare input took the slower exact path (benchmarks/kernels_lex.py prints these): chunks
#: with sentences lower-cased sentence by sentence (a character whose lower case is longer, or a capital sigma), hits
#: tested against overlapping quote spans one by one, and tokens looked up by string (new forms, tokens
#: without an exact key: longer than PACK_MAX or with other characters, keys beyond the probe cap)
STATS = {"lowercase_by_sentence_chunks": 0, "quote_span_hits_one_by_one": 0, "tokens_by_string": 0}
_GENERATION = itertools.count()


def _append(owner: Any, name: str, values: np.ndarray) -> None:
    """``owner.<name> = np.concatenate([owner.<name>, values])`` in amortised time: the array is the front
    of a buffer (in ``owner._bufs``) with room to spare, so a table grown chunk by chunk is not copied
    whole every time (arrays handed out before stay as they were)."""
    cur = getattr(owner, name)
    n = len(cur)
    m = n + len(values)
    buf = owner._bufs.get(name)
    if buf is None or m > len(buf):
        buf = owner._bufs[name] = np.empty(max(m, 2 * n, 1024), dtype=cur.dtype)
        buf[:n] = cur
    buf[n:m] = values
    setattr(owner, name, buf[:m])


class _Vocab:
    """Distinct lower-cased words (``low`` of tokens_of), each with a persistent id, its base form's id and
    the length of the possessive trimmed from it; and distinct tokens as written ("forms"), each with the
    id of the word it lower-cases to, found by string or by an exact key of its code points (see
    :func:`_form_ids`)."""

    def __init__(self) -> None:
        self.gen = next(_GENERATION)
        self._bufs: dict[str, np.ndarray] = {}
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.bases: list[str] = []
        self._base_parts: list[np.ndarray] = []  # base ids and trimmed lengths of words not yet frozen
        self._trim_parts: list[np.ndarray] = []
        self.base_id = np.zeros(0, np.int64)
        self.trimlen = np.zeros(0, np.int64)
        #: a token as written (a "form") -> its form id; per form, the id of the word it lower-cases to
        #: (token by token: exact only where _build says so)
        self.forms: dict[str, int] = {}
        self.form_list: list[str] = []
        self._form_vid: list[int] = []
        self.form_vid = np.zeros(0, np.int64)
        self.form_obj = np.zeros(0, dtype=object)  # form_list as an array
        #: open-addressing table (linear probing) from a packable form's key (k1, k2) to its form id, -1
        #: for an empty slot; and every stored key (to grow the table)
        self.tab_bits = KEY_TABLE_BITS
        self.tab_k1 = np.zeros(1 << self.tab_bits, np.uint64)
        self.tab_k2 = np.zeros(1 << self.tab_bits, np.uint64)
        self.tab_v = np.full(1 << self.tab_bits, -1, np.int64)
        self.key_k1 = np.zeros(0, np.uint64)
        self.key_k2 = np.zeros(0, np.uint64)
        self.key_f = np.zeros(0, np.int64)

    def add_forms(self, tokens: list[str]) -> list[int]:
        """Form ids of ``tokens``, adding the new ones: each new form's word is its lower case with ’ as '
        (:meth:`add_words`), lower-cased all at once when that is the same as one by one."""
        forms = self.forms
        new = list(itertools.filterfalse(forms.__contains__, dict.fromkeys(tokens)))
        if new:
            joined = "\x00".join(new)
            low = joined.lower()
            # one lower() over the joined forms equals lower() form by form unless a length changes, a
            # capital sigma (its only context-dependent rule) is met, or a form holds the joiner
            if len(low) == len(joined) and "\u03a3" not in joined and joined.count("\x00") == len(new) - 1:
                lows = low.replace("\u2019", "'").split("\x00")
            else:
                lows = [t.lower().replace("\u2019", "'") for t in new]
            n0 = len(self.form_list)
            forms.update(zip(new, range(n0, n0 + len(new))))
            self.form_list.extend(new)
            self._form_vid.extend(self.add_words(lows))
        return list(map(forms.__getitem__, tokens))

    def add_form(self, token: str) -> int:
        return self.add_forms([token])[0]

    def add_words(self, words: list[str]) -> list[int]:
        """Word ids of the lower-cased words ``words``, adding the new ones with their base forms
        (lexicons.tokens_of: a possessive 's is dropped for the base form when the word is longer)."""
        ids = self.ids
        new = list(itertools.filterfalse(ids.__contains__, dict.fromkeys(words)))
        if new:
            n0 = len(self.words)
            ids.update(zip(new, range(n0, n0 + len(new))))
            self.words.extend(new)
            self.bases.extend(new)
            base_id = np.arange(n0, n0 + len(new), dtype=np.int64)
            trim = np.zeros(len(new), np.int64)
            self._base_parts.append(base_id)
            self._trim_parts.append(trim)
            # the possessives: "'s" ending a word of more than two characters (found in the joined words)
            joined = "\x00".join(new) + "\x00"
            if "'s\x00" in joined:
                if joined.count("\x00") == len(new):
                    ends = np.cumsum(np.fromiter(map(len, new), dtype=np.int64, count=len(new)) + 1)
                    at = [m.start() + 3 for m in _POSSESSIVE.finditer(joined)]
                    poss = np.searchsorted(ends, np.asarray(at, np.int64), side="left").tolist()
                else:  # a word holds the joiner
                    poss = [k for k, w in enumerate(new) if w[-2:] == "'s" and len(w) > 2]
                bases = [new[k][:-2] for k in poss]
                for k, bw in zip(poss, bases):
                    self.bases[n0 + k] = bw
                    trim[k] = 2
                base_id[poss] = self.add_words(bases)
        return list(map(ids.__getitem__, words))

    def add(self, w: str) -> int:
        i = self.ids.get(w)
        return i if i is not None else self.add_words([w])[0]

    def freeze(self) -> None:
        """Refresh the array views after words were added."""
        f, g = len(self.form_vid), len(self._form_vid)
        if f != g:
            _append(self, "form_vid", np.asarray(self._form_vid[f:], dtype=np.int64))
            new = np.empty(g - f, dtype=object)
            new[:] = self.form_list[f:g]
            _append(self, "form_obj", new)
        if self._base_parts:
            _append(self, "base_id", np.concatenate(self._base_parts))
            _append(self, "trimlen", np.concatenate(self._trim_parts))
            self._base_parts, self._trim_parts = [], []

    # -- the key table
    @staticmethod
    def _slots_hash(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        return (k1 + k2 * _MUL2) * _MUL1

    def _slots(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        return (self._slots_hash(k1, k2) >> np.uint64(64 - self.tab_bits)).view(np.int64)

    def lookup(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        """Form id of each key, -1 when absent (or still unresolved after :data:`MAX_PROBES` probes: the
        caller then looks the token up by string, so time stays bounded whatever the keys)."""
        if not len(k1) or not len(self.key_f):
            return np.full(len(k1), -1, np.int64)
        tk1, tk2, tv = self.tab_k1, self.tab_k2, self.tab_v
        mask = (1 << self.tab_bits) - 1
        # the first probe for every key at once (no key is (0, 0), the keys of an empty slot)
        s = self._slots(k1, k2)
        hit = (tk1[s] == k1) & (tk2[s] == k2)
        v = tv[s]
        out = np.where(hit, v, -1)
        pend = np.flatnonzero(~hit & (v >= 0))
        k1, k2, slot = k1[pend], k2[pend], (s[pend] + 1) & mask
        for _ in range(MAX_PROBES - 1):
            if not len(pend):
                break
            s = slot
            v = tv[s]
            hit = (tk1[s] == k1) & (tk2[s] == k2) & (v >= 0)
            out[pend[hit]] = v[hit]
            go = ~hit & (v >= 0)
            if not go.all():
                pend, k1, k2, slot = pend[go], k1[go], k2[go], s[go]
            slot = (slot + 1) & mask
        return out

    def insert(self, k1: np.ndarray, k2: np.ndarray, f: np.ndarray) -> None:
        """Store distinct new keys (absent from the table) with their form ids."""
        _append(self, "key_k1", k1)
        _append(self, "key_k2", k2)
        _append(self, "key_f", f)
        if 2 * len(self.key_f) > (1 << self.tab_bits):  # load above 1/2: a table twice as large, all keys
            while 2 * len(self.key_f) > (1 << self.tab_bits):
                self.tab_bits += 1
            self.tab_k1 = np.zeros(1 << self.tab_bits, np.uint64)
            self.tab_k2 = np.zeros(1 << self.tab_bits, np.uint64)
            self.tab_v = np.full(1 << self.tab_bits, -1, np.int64)
            k1, k2, f = self.key_k1, self.key_k2, self.key_f
        self._place(k1, k2, f)

    def _place(self, k1: np.ndarray, k2: np.ndarray, f: np.ndarray) -> None:
        mask = (1 << self.tab_bits) - 1
        slot = self._slots(k1, k2)
        tv = self.tab_v
        claim = np.empty(1 << self.tab_bits, np.int64)  # per slot: which key wrote there last
        for _ in range(MAX_PROBES):  # (a key not placed within the cap is found by string, see lookup)
            if not len(f):
                break
            cand = np.flatnonzero(tv[slot] < 0)
            # among the keys wanting a free slot, one of each slot takes it (the one whose write stayed);
            # the others probe on
            s = slot[cand]
            claim[s] = cand
            win = cand[claim[s] == cand]
            s = slot[win]
            self.tab_k1[s] = k1[win]
            self.tab_k2[s] = k2[win]
            tv[s] = f[win]
            rest = np.ones(len(f), bool)
            rest[win] = False
            k1, k2, f, slot = k1[rest], k2[rest], f[rest], (slot[rest] + 1) & mask


_VOCAB = _Vocab()


def vocab() -> _Vocab:
    return _VOCAB


_WORD_CHAR = re.compile(r"\w")
#: per-character tests, each a bit of :func:`char_flags`: re's \w for str patterns, str.isspace,
#: str.isupper, and "lower() of the character is not one character, or it is a capital sigma" (the
#: characters that keep a text's lower case from being its characters' lower cases)
_CHAR_TESTS = {"word": lambda c: _WORD_CHAR.match(c) is not None, "isspace": str.isspace, "isupper": str.isupper,
               "lower_special": lambda c: len(c.lower()) != 1 or c == "\u03a3"}
_CHAR_BIT = {name: 1 << i for i, name in enumerate(_CHAR_TESTS)}
#: flags per code point, 0x80 until the character is first seen (nothing is computed for the 1.1 million
#: code points a text never uses)
_FLAGS = np.full(0x110000, 0x80, np.uint8)


def char_flags(codes: np.ndarray) -> np.ndarray:
    """The bits of :data:`_CHAR_BIT` for every code point of ``codes``."""
    v = np.take(_FLAGS, codes)  # (take: indexing converts a uint32 index to intp first, twice as slow)
    if v.max(initial=0) >= 0x80:
        unknown = np.flatnonzero(v >= 0x80)
        for c in np.unique(codes[unknown]).tolist():
            ch = chr(c)
            _FLAGS[c] = sum(bit for name, bit in _CHAR_BIT.items() if _CHAR_TESTS[name](ch))
        v[unknown] = _FLAGS[codes[unknown]]
    return v


def char_class(name: str, codes: np.ndarray) -> np.ndarray:
    """``test(chr(c))`` for every code point of ``codes``, for the tests of :data:`_CHAR_TESTS`."""
    return (char_flags(codes) & _CHAR_BIT[name]) != 0


@dataclass
class Chunk:
    """A chunk's prose sentences tokenised once. ``p_*`` arrays have one value per prose sentence (chunk
    order), ``t_*`` one per kept token (the tokens of tokens_of), in order."""

    articles: tuple[PreparedArticle, ...]
    gen: int
    text: str                   # prose sentences joined by ``sep``
    sep: str
    codes: np.ndarray           # code points of ``text`` plus one separator code at the end
    n_rows: int                 # all sentences of the chunk (every kind)
    art_rows: np.ndarray        # first row of each article
    sentences: list[Any]        # the prose Sentence objects
    p_art: np.ndarray           # article position in the chunk
    p_index: np.ndarray         # the sentence's index in article.sentences
    p_row: np.ndarray           # the sentence's row among all sentences of the chunk
    p_off: np.ndarray           # offset of the sentence in ``text``
    p_tok: np.ndarray           # first token of each sentence (len n_prose + 1)
    t_start: np.ndarray
    t_end: np.ndarray
    t_sent: np.ndarray          # prose sentence of the token
    t_vid: np.ndarray           # vocabulary id of the lower-cased word
    t_form: np.ndarray          # form id of the token as written
    p_nq: np.ndarray            # quote spans of each prose sentence
    q_start: np.ndarray         # quote spans, global offsets, sorted
    q_end: np.ndarray
    q_simple: bool              # spans sorted and disjoint (else quoted() asks the sentences)
    a_form: np.ndarray          # every token piece of the split (hyphen-glued ones too): its form id
    a_sent: np.ndarray          # ... and its prose sentence
    a_start: np.ndarray         # ... and its start
    flags: np.ndarray           # char_flags of ``codes``
    voc: _Vocab                 # the vocabulary the ids index
    cache: dict[str, Any]       # per-chunk results shared between kernels (lexicon matches)


_CHUNKS: list[Chunk] = []

#: the token regex that :func:`token_spans` implements (lexicons._TOKEN_RE)
_TOKEN_PATTERN = r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*"


#: the key table's multipliers (odd constants of splitmix64 / xxhash) and the probes a lookup or an
#: insertion makes before it gives up (the token is then looked up by string: bounded time whatever keys
#: a text makes)
_MUL1 = np.uint64(0x9E3779B97F4A7C15)
_MUL2 = np.uint64(0xC2B2AE3D27D4EB4F)
MAX_PROBES = 32
#: tokens of at most this many characters, each below 256 or a ’, have an exact key (two 8-byte words)
PACK_MAX = 16
_BYTE_MASK = np.asarray([(1 << (8 * j)) - 1 for j in range(8)] + [(1 << 64) - 1], np.uint64)
_ONES = np.uint64(0x0101010101010101)
_HIGHS = np.uint64(0x8080808080808080)


def _keys(codes: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact keys of tokens [start, end) of the code points ``codes``: each character as one byte (a code
    point below 256 as itself, ’ as 1: no token holds U+0001, nor U+0000), the first eight bytes little-end
    first in ``k1``, the next eight in ``k2``, the rest zero. Tokens of at most :data:`PACK_MAX`
    characters that are all such bytes (``ok``) get distinct keys for distinct strings (no byte of a token
    is zero, so the zeros mark its end); the others are looked up by string."""
    n = len(codes)
    buf = np.zeros(n + 24, np.uint8)
    body = buf[:n]
    body[:] = codes.astype(np.uint8)  # (the low byte; set below where the code point is larger)
    big = np.flatnonzero(codes > 255)
    curly = codes[big] == 0x2019
    body[big] = curly  # ’ as 1, the others 0
    # the eight bytes starting at each position, read as one little-endian word (an overlapping view)
    word_at = np.lib.stride_tricks.as_strided(buf, shape=(n + 9, 8), strides=(1, 1)).view("<u8")[:, 0]
    lens = end - start
    l1 = np.minimum(lens, 8)
    l2 = np.clip(lens - 8, 0, 8)
    k1 = word_at[start] & _BYTE_MASK[l1]
    k2 = word_at[start + 8] & _BYTE_MASK[l2]
    # without a key: longer tokens, and tokens holding a character that has no byte (one of the few
    # characters above U+00FF other than ’, found by the token around it)
    ok = lens <= PACK_MAX
    other = big[~curly]
    if len(other):
        k = np.searchsorted(start, other, side="right") - 1
        inside = (k >= 0) & (other < end[np.maximum(k, 0)])
        ok[k[inside]] = False
    return k1, k2, ok


def _form_ids(voc: _Vocab, text: str, codes: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Form ids of the tokens [start, end) of ``text`` (code points ``codes``), adding new forms: by exact
    key (:func:`_keys`) in the vocabulary's key table without building a string per token; tokens without
    a key, new ones, and any the table did not resolve within :data:`MAX_PROBES` probes by string."""
    n = len(start)
    if not n:
        return np.zeros(0, np.int64)
    k1, k2, ok = _keys(codes, start, end)
    fid = np.where(ok, voc.lookup(k1, k2), -1)  # (a token without a key may share a shorter form's key)
    miss = np.flatnonzero(fid < 0)
    if len(miss):
        STATS["tokens_by_string"] += len(miss)
        before = len(voc.form_list)
        # one string per distinct key among the missing tokens with a key (grouped by a hash of the key,
        # each group checked to hold one key), one per token for the others
        keyed = miss[ok[miss]]
        rest = miss[~ok[miss]]
        group, uniq = pd.factorize(voc._slots_hash(k1[keyed], k2[keyed]), sort=False)
        rep = np.empty(len(uniq), np.int64)
        rep[group] = keyed  # (a member of each group)
        if not (np.array_equal(k1[rep[group]], k1[keyed]) and np.array_equal(k2[rep[group]], k2[keyed])):
            rest, keyed, rep = miss, miss[:0], miss[:0]  # two keys shared a hash: all by string
        take = np.concatenate([rep, rest])
        got = np.asarray(voc.add_forms([text[a:b] for a, b in zip(start[take].tolist(), end[take].tolist())]),
                         np.int64)
        if len(keyed):
            fid[keyed] = got[group]
        fid[rest] = got[len(rep):]
        # the keys of the forms added now (forms seen before are in the table, or beyond the probe cap)
        new = miss[ok[miss] & (fid[miss] >= before)]
        if len(new):
            _, first = np.unique(fid[new], return_index=True)
            new = new[first]
            voc.insert(k1[new], k2[new], fid[new])
        voc.freeze()
    return fid


def token_spans(codes: np.ndarray, word: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of every match of ``lexicons._TOKEN_RE`` (``(?:[A-Za-z]\\.){2,}|\\w+(?:[-'’]\\w+)*``,
    scanned left to right) in the code points ``codes``, whose last code must not be a word character.

    Over maximal runs of word characters: the second alternative takes a run and every following run
    joined to it by one hyphen or apostrophe; the first, tried first at each place a match can start,
    takes two or more single ASCII letters each followed by a dot ("U.S.", "J.B."). A run is consumed by
    the token before it when joined to it; a group of linked letter-dot runs becomes one token from its
    first run not so consumed, when at least two remain (greedy, as the regex).
    """
    if word is None:
        word = char_class("word", codes)
    n = len(codes)
    pad = np.zeros(n + 2, bool)
    pad[1:-1] = word
    edge = np.flatnonzero(pad[1:] != pad[:-1])
    if not len(edge):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rs, re_ = edge[0::2], edge[1::2]  # runs [rs, re_)
    nr = len(rs)
    after = codes[np.minimum(re_, n - 1)]  # the character after each run
    adjacent = np.zeros(nr, bool)
    adjacent[:-1] = rs[1:] == re_[:-1] + 1
    joinable = adjacent & ((after == 0x2D) | (after == 0x27) | (after == 0x2019))
    c0 = codes[rs]
    atom = (re_ - rs == 1) & (((c0 >= 65) & (c0 <= 90)) | ((c0 >= 97) & (c0 <= 122))) & (after == 0x2E)
    link = np.zeros(nr, bool)
    link[:-1] = atom[:-1] & atom[1:] & adjacent[:-1]
    consumed = np.zeros(nr, bool)
    consumed[1:] = joinable[:-1]
    abbrev = np.zeros(nr, bool)   # first run of a letter-dot token
    inside = np.zeros(nr, bool)   # later runs of a letter-dot token
    idx = np.flatnonzero(atom)
    if len(idx):
        linked_prev = np.zeros(len(idx), bool)
        linked_prev[idx > 0] = link[idx[idx > 0] - 1]
        first = ~linked_prev
        a = idx[first]
        b = idx[np.concatenate([first[1:], [True]])]
        s = a + consumed[a]
        ok = b > s
        s, b = s[ok], b[ok]
        abbrev[s] = True
        diff = np.zeros(nr + 1, np.int64)
        np.add.at(diff, s + 1, 1)
        np.add.at(diff, b + 1, -1)
        inside = np.cumsum(diff[:-1]) > 0
    starts = np.flatnonzero(~consumed & ~inside)
    last = np.concatenate([starts[1:] - 1, [nr - 1]])
    return rs[starts], re_[last] + abbrev[starts]


def forget_chunks() -> None:
    """Drop the cached tokenised chunks (see :func:`biascmp.columnar.forget_chunks`)."""
    with _LOCK:
        _CHUNKS.clear()


def chunk_tokens(articles: Sequence[PreparedArticle]) -> Chunk:
    """The tokenised chunk, shared by every lexicon kernel run on the same articles (the two most recent
    chunks are kept; the chunk holds its articles, so ids cannot be reused while it is cached)."""
    arts = tuple(articles)
    with _LOCK:
        for c in _CHUNKS:
            if c.gen == _VOCAB.gen and len(c.articles) == len(arts) and \
                    all(a is b for a, b in zip(c.articles, arts)):
                return c
        c = _build(arts)
        _CHUNKS.insert(0, c)
        del _CHUNKS[2:]
        return c


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates too) as uint32: numpy's own str array holds them."""
    codes = np.array(text).reshape(1).view(np.uint32)
    if len(codes) != len(text):  # (not expected: numpy sizes a str array by the string's length)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes


_KIND = operator.attrgetter("kind")
#: the end of a possessive word among words joined by U+0000: a character, then 's (see _Vocab.add_words)
_POSSESSIVE = re.compile("[^\x00]'s\x00")
_TEXT = operator.attrgetter("text")
_QUOTE_SPANS = operator.attrgetter("quote_spans")


def _build(arts: tuple[PreparedArticle, ...]) -> Chunk:
    global _VOCAB
    if len(_VOCAB.words) > VOCAB_LIMIT or len(_VOCAB.forms) > 2 * VOCAB_LIMIT:
        _VOCAB = _Vocab()
    voc = _VOCAB
    n_sent = [len(a.sentences) for a in arts]
    art_rows = np.zeros(len(arts) + 1, np.int64)
    np.cumsum(n_sent, out=art_rows[1:])
    every = [s for a in arts for s in a.sentences]
    kinds = list(map(_KIND, every))
    prose = np.fromiter(map("prose".__eq__, kinds), dtype=bool, count=len(every))
    p_row = np.flatnonzero(prose)
    sents = every if len(p_row) == len(every) else [every[i] for i in p_row.tolist()]
    p_art = np.repeat(np.arange(len(arts)), n_sent)[p_row]
    p_index = p_row - art_rows[p_art]
    row = len(every)
    texts = list(map(_TEXT, sents))
    sep = "\x00"
    text = sep.join(texts)
    if text.count(sep) != max(len(texts) - 1, 0):  # a sentence holds U+0000: another separator
        present = set(text)
        sep = next((x for x in _SEPARATORS if x not in present), "")
        if not sep:
            raise ValueError(f"columnar lexicon kernels: the chunk's text uses all {len(_SEPARATORS)} "
                             "separator characters (control and private-use characters); run it with "
                             "BIASCMP_REFERENCE=1")
        text = sep.join(texts)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    p_off = np.zeros(len(texts), np.int64)
    if len(texts) > 1:
        p_off[1:] = np.cumsum(lens[:-1] + 1)
    codes = _code_points(text + sep)
    flags = char_flags(codes)
    a_form: np.ndarray | None = None
    if _lexicons._TOKEN_RE.pattern == _TOKEN_PATTERN:
        t_start, t_end = token_spans(codes, (flags & _CHAR_BIT["word"]) != 0)
    else:  # the reference's token rule changed: its own regex (slower), until token_spans follows it
        pieces = _SPLIT.split(text)
        plen = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ends = np.cumsum(plen)
        t_start = (ends - plen)[1::2]
        t_end = ends[1::2]
    # every token as written, by form id (the hyphen-glued ones too: the loaded kernel's marker
    # candidates read them)
    with _LOCK:
        a_form = _form_ids(voc, text, codes, t_start, t_end)
    a_start = t_start
    # the sentence of each token: tokens and sentences are both in text order
    a_bounds = np.searchsorted(t_start, p_off, side="left")
    a_sent = np.repeat(np.arange(len(texts)), np.diff(np.append(a_bounds, len(t_start))))
    # lexicons.tokens_of: a word glued to a preceding hyphen belongs to another word ("anti-police")
    keep = np.ones(len(t_start), bool)
    if len(t_start):
        keep = ~((t_start > 0) & (codes[np.maximum(t_start - 1, 0)] == 0x2D))
    all_kept = bool(keep.all())
    if not all_kept:
        t_start, t_end = t_start[keep], t_end[keep]
    # lexicons.tokens_of lower-cases the sentence (’ as '); lower-casing each distinct token instead is the
    # same unless lower() changes a length or meets a capital sigma (its only context-dependent rule): the
    # tokens of sentences with such a character are lower-cased as the reference does, by sentence
    t_sent = a_sent if all_kept else a_sent[keep]
    special = np.flatnonzero(flags & _CHAR_BIT["lower_special"])
    with _LOCK:
        t_vid = voc.form_vid[a_form if all_kept else a_form[keep]]
        if len(special):
            STATS["lowercase_by_sentence_chunks"] += 1
            add = voc.add
            for si in np.unique(np.searchsorted(p_off, special, side="right") - 1).tolist():
                t = texts[si]
                low = t.lower().replace("’", "'")
                if len(low) != len(t):
                    low = "".join(c.lower()[:1] for c in t).replace("’", "'")
                lo, hi = np.searchsorted(t_sent, [si, si + 1])
                off = int(p_off[si])
                for k in range(int(lo), int(hi)):
                    t_vid[k] = add(low[int(t_start[k]) - off:int(t_end[k]) - off])
        voc.freeze()
    p_tok = np.searchsorted(t_sent, np.arange(len(texts) + 1), side="left")
    # quote spans in global offsets
    qspans = list(map(_QUOTE_SPANS, sents))
    q_count = np.fromiter(map(len, qspans), dtype=np.int64, count=len(qspans))
    q = np.asarray([sp for spans in qspans if spans for sp in spans], np.int64).reshape(-1, 2)
    q_off = np.repeat(p_off, q_count)
    q_start = q[:, 0] + q_off
    q_end = q[:, 1] + q_off
    q_simple = bool(np.all(q_start <= q_end) and np.all(q_end[:-1] <= q_start[1:])) if len(q) else True
    return Chunk(arts, voc.gen, text, sep, codes, row, art_rows, sents, p_art,
                 p_index, p_row, p_off, p_tok, t_start, t_end,
                 t_sent, t_vid, a_form if all_kept else a_form[keep], q_count, q_start, q_end, q_simple, a_form, a_sent,
                 a_start, flags, voc, {})


def gap_ok(ch: Chunk, k: np.ndarray) -> np.ndarray:
    """For tokens ``k``: the text between token k and token k + 1 is whitespace only (and not empty), in
    the same sentence: the reference's ``text[end_k:start_k+1].isspace()`` between words of a phrase."""
    out = np.zeros(len(k), bool)
    if not len(k):
        return out
    nxt = np.minimum(k + 1, len(ch.t_start) - 1)
    a, b = ch.t_end[k], ch.t_start[nxt]
    ln = b - a
    ok = (k + 1 < len(ch.t_start)) & (ch.t_sent[k] == ch.t_sent[nxt]) & (ln > 0)
    one = np.flatnonzero(ok & (ln == 1))
    out[one] = (ch.flags[a[one]] & _CHAR_BIT["isspace"]) != 0
    text = ch.text
    for q in np.flatnonzero(ok & (ln > 1)).tolist():  # longer gaps are rare between words of a phrase
        out[q] = text[a[q]:b[q]].isspace()
    return out


def quoted(ch: Chunk, start: np.ndarray, end: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """Sentence.is_quoted_at for hits [start, end) (global offsets) of prose sentences ``sent``: some quote
    span (a, b) of the sentence has a <= start and end <= b."""
    if not len(start) or not len(ch.q_start):
        return np.zeros(len(start), bool)
    if ch.q_simple:
        # disjoint sorted spans: only the last span starting at or before ``start`` can contain the hit
        # (a span of an earlier sentence ends before this sentence starts)
        k = np.searchsorted(ch.q_start, start, side="right") - 1
        kk = np.maximum(k, 0)
        return (k >= 0) & (ch.q_end[kk] >= end)
    out = np.zeros(len(start), bool)
    STATS["quote_span_hits_one_by_one"] += len(start)
    for j, (a, b, s) in enumerate(zip(start.tolist(), end.tolist(), sent.tolist())):
        off = int(ch.p_off[s])
        out[j] = ch.sentences[s].is_quoted_at(a - off, b - off)
    return out


class _LexTables:
    """One lexicon's per-word tables over the shared vocabulary, and its phrases as arrays (see
    :data:`_TABLES`)."""

    def __init__(self, lex: Lexicon, voc: _Vocab):
        idx = lex._index()
        self.idx = idx
        self.gen = voc.gen
        self._bufs: dict[str, np.ndarray] = {}
        self.n = 0
        # entry groups: the lists of Entry objects the reference emits together, by identity
        self._group_of: dict[int, int] = {}
        self.g_entries: list[list[Any]] = []
        for d in (idx.single, idx.stems, idx.single_dot):
            for lst in d.values():
                self._group(lst)
        # phrases: per first-word list (in the reference's order: longest first)
        self._plist_of = {id(pl): i for i, pl in enumerate(idx.phrases.values())}
        ph_list, ph_rank, ph_len, ph_stem, ph_dot, ph_group, ph_words = [], [], [], [], [], [], []
        for li, plist in enumerate(idx.phrases.values()):
            for r, (words, stem, needs_dot, es) in enumerate(plist):
                ph_list.append(li)
                ph_rank.append(r)
                ph_len.append(len(words))
                ph_stem.append(stem)
                ph_dot.append(needs_dot)
                ph_group.append(self._group(es))
                ph_words.append(words)
        self.ph_list = np.asarray(ph_list, np.int64)
        self.ph_len = np.asarray(ph_len, np.int64)
        self.ph_stem = np.asarray(ph_stem, bool)
        self.ph_dot = np.asarray(ph_dot, bool)
        self.ph_group = np.asarray(ph_group, np.int64)
        self.ph_words = ph_words
        self.max_len = max(ph_len, default=1)
        # target word ids per phrase and position (j >= 1): middle words by lower-cased form, the last by
        # base form (a stem's last word is tested by prefix below)
        self.ph_target = np.full((len(ph_words), self.max_len), -1, np.int64)
        for p, words in enumerate(ph_words):
            for j in range(1, len(words)):
                self.ph_target[p, j] = voc.add(words[j])
        # per first-word list: its phrases, ordered by rank (for expanding candidate positions)
        order = np.lexsort((np.asarray(ph_rank, np.int64), self.ph_list)) if ph_list else np.zeros(0, np.int64)
        self.pl_phrases = order
        self.pl_start = np.searchsorted(self.ph_list[order], np.arange(len(idx.phrases) + 1))
        # flat entry table
        ents = [e for g in self.g_entries for e in g]
        self.e_category = [e.category for e in ents]
        self.e_term = [e.term for e in ents]
        self.e_weight = np.asarray([e.weight for e in ents], np.float64)
        sizes = np.asarray([len(g) for g in self.g_entries], np.int64)
        self.g_size = sizes
        self.g_start = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=self.g_start[1:])
        # per-word tables (grown with the vocabulary)
        self.fw = np.zeros(0, np.int64)    # first-word phrase list, -1
        self.sg = np.zeros(0, np.int64)    # entry group of the whole word (exact or stem), -1
        self.trim = np.zeros(0, np.int64)  # characters trimmed from the hit's end (possessive)
        self.dg = np.zeros(0, np.int64)    # entry group when a dot follows, -1
        self.starts = np.zeros(0, bool)    # a term can start at the word (the reference's _info is not None)
        # the exact prefilter of lexicons._Shared (a word can start a term only if it, its base or its
        # first ``head`` letters are here)
        self.exact = {w for d in (idx.phrases, idx.single, idx.single_dot) for w in d}
        self.head = min((len(w) for w in idx.stems), default=0)
        self.heads = {w[:self.head] for w in idx.stems}
        self.stems = tuple(idx.stems)
        self._stem_cache: dict[tuple[int, int], bool] = {}

    def _group(self, lst: list[Any]) -> int:
        g = self._group_of.get(id(lst))
        if g is None:
            g = self._group_of[id(lst)] = len(self.g_entries)
            self.g_entries.append(lst)
        return g

    def extend(self, voc: _Vocab, cand: list[int] | None = None) -> None:
        """Classify the vocabulary words added since the last call (lexicons._Index._info per word); with
        ``cand``, only those of the new words (positions among them) can start a term of the lexicon."""
        n = len(voc.words)
        if n == self.n:
            return
        m = n - self.n
        fw = np.full(m, -1, np.int64)
        sg = np.full(m, -1, np.int64)
        trim = np.zeros(m, np.int64)
        dg = np.full(m, -1, np.int64)
        info = self.idx._info
        exact, heads, head = self.exact, self.heads, self.head
        words, bases = voc.words, voc.bases
        for j in (range(m) if cand is None else cand):
            low = words[self.n + j]
            base = bases[self.n + j]
            if not (low in exact or base in exact or low[:head] in heads):
                continue
            r = info(low, base)
            if r is None:
                continue
            cands, single, tr, dot = r
            if cands:
                fw[j] = self._plist_of[id(cands)]
            if single:  # (every entry list of the index was numbered at construction)
                sg[j] = self._group_of[id(single)]
                trim[j] = int(tr)  # type: ignore[call-overload]
            if dot:
                dg[j] = self._group_of[id(dot)]
        _append(self, "fw", fw)
        _append(self, "sg", sg)
        _append(self, "trim", trim)
        _append(self, "dg", dg)
        _append(self, "starts", (fw >= 0) | (sg >= 0) | (dg >= 0))
        self.n = n


#: per lexicon object (by id, checked through a weak reference): its tables. Kept here, not in the
#: lexicon's ``_compiled``: those tables index this process's vocabulary, and a lexicon pickled to a worker
#: process must not carry them along
_TABLES: dict[int, tuple[Any, _LexTables]] = {}


def tables(lex: Lexicon) -> _LexTables:
    """The lexicon's tables, up to date with the shared vocabulary (cached per lexicon object)."""
    with _LOCK:
        voc = _VOCAB
        got = _TABLES.get(id(lex))
        t = got[1] if got is not None and got[0]() is lex else None
        if t is None or t.gen != voc.gen:
            if len(_TABLES) >= 64:  # lexicons made and dropped (tests, user loops): start over
                _TABLES.clear()
            t = _LexTables(lex, voc)
            _TABLES[id(lex)] = (weakref.ref(lex), t)
        voc.freeze()
        if t.n < len(voc.words):
            _extend_all(voc)
        return t


#: per group of lexicon tables (by identity): the union of their prefilters (see _extend_all)
_UNIONS: dict[tuple[int, ...], tuple[list[_LexTables], Any]] = {}


def _extend_all(voc: _Vocab) -> None:
    """Bring every cached lexicon table up to date with the vocabulary. Tables that stand at the same word
    share one pass over the new words with the union of their prefilters: a word can start a term of one
    of them only if it or its base is one of their exact words (phrase first words, single words, dotted
    words) or it starts with one of their stems (``_Index._info``'s stem test reads the base, a prefix of
    the word); each table then classifies only those candidates, with its own test."""
    n = len(voc.words)
    groups: dict[int, list[_LexTables]] = {}
    for ref_, t in list(_TABLES.values()):
        if ref_() is not None and t.gen == voc.gen and t.n < n:
            groups.setdefault(t.n, []).append(t)
    for n0, ts in groups.items():
        key = tuple(id(t) for t in ts)
        got = _UNIONS.get(key)
        if got is None or any(a is not b for a, b in zip(got[0], ts)):
            if len(_UNIONS) >= 16:
                _UNIONS.clear()
            exact: set[str] = set().union(*(t.exact for t in ts))
            head = min((len(x) for t in ts for x in t.stems), default=0)
            by_head: dict[str, list[str]] = {}
            for t in ts:
                for stem in t.stems:
                    by_head.setdefault(stem[:head], []).append(stem)
            got = _UNIONS[key] = (ts, (exact, head, {h: tuple(v) for h, v in by_head.items()}))
        exact, head, stems = got[1]
        words, bases = voc.words[n0:n], voc.bases[n0:n]
        m = range(n - n0)
        # (C-level passes over the new words: membership by map, positions by compress)
        found = set(itertools.compress(m, map(exact.__contains__, words)))
        found.update(itertools.compress(m, map(exact.__contains__, bases)))
        if head:
            for j in itertools.compress(m, map(stems.__contains__, map(operator.itemgetter(slice(0, head)), words))):
                w = words[j]
                if w.startswith(stems[w[:head]]):
                    found.add(j)
        cand = sorted(found)
        for t in ts:
            t.extend(voc, cand)


@dataclass
class Hits:
    """Lexicon hits of a chunk in the reference's order (by position, then entry order): token of the
    hit's first word, global [start, end), prose sentence, and the entry's index in the tables."""

    tok: np.ndarray
    start: np.ndarray
    end: np.ndarray
    sent: np.ndarray
    entry: np.ndarray
    tables: _LexTables

    def category(self) -> list[str]:
        c = self.tables.e_category
        return [c[e] for e in self.entry.tolist()]

    def weight(self) -> np.ndarray:
        return self.tables.e_weight[self.entry]


def _expand(pos: np.ndarray, group: np.ndarray, start: np.ndarray, end: np.ndarray, t: _LexTables
            ) -> tuple[np.ndarray, ...]:
    size = t.g_size[group]
    rep = np.repeat(np.arange(len(pos)), size)
    first = np.repeat(t.g_start[group], size)
    within = np.arange(len(rep)) - np.repeat(np.cumsum(size) - size, size)
    return pos[rep], start[rep], end[rep], first + within


def match(ch: Chunk, lex: Lexicon) -> Hits:
    """lexicons._Index.find on every prose sentence of the chunk (cached per chunk and lexicon)."""
    key = f"match:{id(lex)}"
    got = ch.cache.get(key)
    if got is not None and got[0] is lex:
        return got[1]
    t = tables(lex)
    vid = ch.t_vid
    n_tok = len(vid)
    # the positions where one of the lexicon's terms can start (lexicons._starts_of), and their words
    spos = np.flatnonzero(t.starts[vid]) if n_tok else np.zeros(0, np.int64)
    svid = vid[spos]
    fw = t.fw[svid]
    # -- phrases: every (candidate position, phrase of its first word's list) pair, tested word by word
    has_fw = fw >= 0
    cpos = spos[has_fw]
    fw = fw[has_fw]
    ph_pos = np.zeros(0, np.int64)
    ph_p = np.zeros(0, np.int64)
    if len(cpos):
        li = fw
        cnt = t.pl_start[li + 1] - t.pl_start[li]
        pair_pos = np.repeat(cpos, cnt)
        within = np.arange(len(pair_pos)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        pair_p = t.pl_phrases[np.repeat(t.pl_start[li], cnt) + within]
        m = t.ph_len[pair_p]
        voc = ch.voc
        base_id = voc.base_id
        # the pairs still possible, narrowed word by word: the word test first (it fails most often), then
        # the gap before the word (whitespace only, in the same sentence), then a stem's prefix test
        alive = np.flatnonzero(pair_pos + m <= n_tok)
        for j in range(1, t.max_len):
            test = alive[m[alive] > j]
            if not len(test):
                break
            pp = pair_p[test]
            k = pair_pos[test] + j
            w = vid[k]
            target = t.ph_target[pp, j]
            last = m[test] == j + 1
            stem = last & t.ph_stem[pp]
            good = np.where(last, base_id[w] == target, w == target) | stem
            gi = np.flatnonzero(good)
            good[gi] = gap_ok(ch, k[gi] - 1)
            for i in np.flatnonzero(good & stem).tolist():  # a stem as last word: the base starts with it
                wid = int(w[i])
                ph = int(pp[i])
                hit = t._stem_cache.get((wid, ph))
                if hit is None:
                    hit = t._stem_cache[(wid, ph)] = voc.bases[wid].startswith(t.ph_words[ph][j])
                good[i] = hit
            if not good.all():
                dead = np.zeros(len(pair_pos), bool)
                dead[test[~good]] = True
                alive = alive[~dead[alive]]
        ok = np.zeros(len(pair_pos), bool)
        ok[alive] = True
        # a phrase ending in a dotted word needs the dot after its last word
        need = ok & t.ph_dot[pair_p]
        if need.any():
            lastk = pair_pos + m - 1
            ok &= ~need | (ch.codes[ch.t_end[np.where(need, lastk, 0)]] == 0x2E)
        good = np.flatnonzero(ok)
        if len(good):
            # the first phrase of the list that matches (pairs are ordered by position, then rank)
            gpos = pair_pos[good]
            first = np.concatenate([[True], gpos[1:] != gpos[:-1]])
            ph_pos = gpos[first]
            ph_p = pair_p[good][first]
    # -- leftmost, then longest: a phrase hit consumes the next tokens (greedy, in order; rare)
    covered = np.zeros(n_tok, bool)
    keep_ph = np.ones(len(ph_pos), bool)
    if len(ph_pos):
        cur = -1
        for q, (pk, mm) in enumerate(zip(ph_pos.tolist(), t.ph_len[ph_p].tolist())):
            if pk < cur:
                keep_ph[q] = False
                continue
            covered[pk:pk + mm] = True
            cur = pk + mm
        ph_pos, ph_p = ph_pos[keep_ph], ph_p[keep_ph]
    parts = []
    if len(ph_pos):
        lastk = ph_pos + t.ph_len[ph_p] - 1
        e_end = np.where(t.ph_dot[ph_p], ch.t_end[lastk] + 1, ch.t_end[lastk] - ch.voc.trimlen[vid[lastk]])
        parts.append(_expand(ph_pos, t.ph_group[ph_p], ch.t_start[ph_pos], e_end, t))
    # -- single words: a dotted entry when a dot follows, else the word's entry (exact or stem)
    sg = t.sg[svid]
    dg = t.dg[svid]
    free = ~covered[spos]
    dot_follows = ch.codes[ch.t_end[spos]] == 0x2E
    use_dot = free & (dg >= 0) & dot_follows
    use_single = free & ~use_dot & (sg >= 0)
    k = np.flatnonzero(use_dot | use_single)
    if len(k):
        sel = spos[k]
        d = use_dot[k]
        group = np.where(d, dg[k], sg[k])
        end = np.where(d, ch.t_end[sel] + 1, ch.t_end[sel] - t.trim[svid[k]])
        parts.append(_expand(sel, group, ch.t_start[sel], end, t))
    if parts:
        tok = np.concatenate([p[0] for p in parts])
        order = np.argsort(tok, kind="stable")
        tok = tok[order]
        start = np.concatenate([p[1] for p in parts])[order]
        end = np.concatenate([p[2] for p in parts])[order]
        entry = np.concatenate([p[3] for p in parts])[order]
    else:
        tok = start = end = entry = np.zeros(0, np.int64)
    hits = Hits(tok, start, end, ch.t_sent[tok], entry, t)
    ch.cache[key] = (lex, hits)
    return hits


def wsum(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Float sums of ``weights`` per ``index`` (length ``n``), added one by one in array order, like the
    reference's ``+=`` (np.bincount is a sequential loop; float64 even when empty)."""
    return np.bincount(index, weights=weights, minlength=n).astype(np.float64, copy=False)


def slices(text: str, start: np.ndarray, end: np.ndarray) -> list[str]:
    """``text[a:b]`` for each hit."""
    return [text[a:b] for a, b in zip(start.tolist(), end.tolist())]


def hit_texts(ch: Chunk, start: np.ndarray, end: np.ndarray, tok: np.ndarray | None = None) -> np.ndarray:
    """``ch.text[a:b]`` for each hit [a, b), as an object array: a hit that spans exactly its token ``tok``
    (a kept token's index) is that token's form, the string the vocabulary already holds; the others are
    sliced."""
    out = np.empty(len(start), dtype=object)
    if not len(start):
        return out
    if tok is None:
        out[:] = slices(ch.text, start, end)
        return out
    whole = (ch.t_start[tok] == start) & (ch.t_end[tok] == end)
    out[whole] = ch.voc.form_obj[ch.t_form[tok[whole]]]
    rest = np.flatnonzero(~whole)
    if len(rest):
        out[rest] = slices(ch.text, start[rest], end[rest])
    return out


_DTYPES: dict[tuple[str, ...], pd.CategoricalDtype] = {}


def _dtype(labels: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical dtype of these (sorted, distinct) labels, made once (a bounded cache)."""
    dt = _DTYPES.get(labels)
    if dt is None:
        if len(_DTYPES) >= 512:
            _DTYPES.clear()
        dt = _DTYPES[labels] = pd.CategoricalDtype(pd.Index(list(labels), dtype=object))
    return dt


def categorical(codes: np.ndarray, names: Sequence[str]) -> pd.Categorical:
    """Values ``names[codes]`` as a categorical whose categories are the distinct names used, sorted (so
    ordering by code is ordering by value; ``names`` may repeat a name)."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(names))) if len(codes) else np.zeros(0, np.int64)
    labels = sorted({names[i] for i in used.tolist()})
    pos = {x: i for i, x in enumerate(labels)}
    remap = np.zeros(len(names), np.int64)
    for i in used.tolist():
        remap[i] = pos[names[i]]
    return pd.Categorical.from_codes(remap[codes], dtype=_dtype(tuple(labels)), validate=False)


def _article_categorical(ch: Chunk, art: np.ndarray) -> Any:
    """``categorical(art, ids)`` of the chunk's article ids (the ids sorted once per chunk), or plain values
    when ids repeat."""
    st: Any = ch.cache.get("article_ids")
    if st is None:
        ids = [a.article_id for a in ch.articles]
        if len(set(ids)) != len(ids):
            st = (np.asarray(ids, dtype=object), None, None)
        else:
            order = sorted(range(len(ids)), key=ids.__getitem__)
            rank = np.empty(len(ids), np.int64)
            rank[order] = np.arange(len(ids))
            sorted_ids = np.asarray([ids[i] for i in order], dtype=object)
            st = (sorted_ids, rank, pd.CategoricalDtype(pd.Index(sorted_ids, dtype=object)))
        ch.cache["article_ids"] = st
    sorted_ids, rank, every = st
    if rank is None:  # duplicate article ids: plain values
        return pd.Series(sorted_ids[art], dtype=object)
    r = rank[art]
    used = np.zeros(len(rank), bool)
    used[r] = True
    if used.all():
        return pd.Categorical.from_codes(r, dtype=every, validate=False)
    code = np.cumsum(used) - 1
    return pd.Categorical.from_codes(code[r], categories=pd.Index(sorted_ids[used], dtype=object),
                                     validate=False)


def evidence_frame(ch: Chunk, *, sent: np.ndarray, start: np.ndarray, end: np.ndarray, family: str,
                   cat_codes: np.ndarray, cat_names: Sequence[str], term: Sequence[str] | np.ndarray,
                   weight: np.ndarray, in_quote: np.ndarray) -> pd.DataFrame:
    """Evidence rows (EVIDENCE_COLUMNS) from arrays of hits in global offsets; article_id, family and
    category as categoricals with sorted categories, term as plain (object) strings, sentence_index, start
    and end as int32. (The columns are new arrays, handed to the frame without a copy.)"""
    art = ch.p_art[sent]
    art_col = _article_categorical(ch, art)
    off = ch.p_off[sent]
    n = len(sent)
    if not isinstance(term, np.ndarray) or term.dtype != object:
        term = np.asarray(term, dtype=object) if n else np.zeros(0, dtype=object)
    cols = {
        "article_id": art_col,
        "sentence_index": ch.p_index[sent].astype(np.int32),
        "start": (start - off).astype(np.int32),
        "end": (end - off).astype(np.int32),
        "family": pd.Categorical.from_codes(np.zeros(n, np.int8), dtype=_dtype((family,)), validate=False),
        "category": categorical(np.asarray(cat_codes, np.int64), cat_names),
        "term": pd.Series(term, dtype=object, copy=False),
        "weight": np.array(weight, np.float64),
        "in_quote": np.array(in_quote, bool),
    }
    if list(cols) != EVIDENCE_COLUMNS:
        raise AssertionError(f"evidence_frame builds {list(cols)}, not EVIDENCE_COLUMNS {EVIDENCE_COLUMNS}")
    return pd.DataFrame(cols, copy=False)


def concat_evidence(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    if len(frames) == 1:
        return frames[0]
    from pandas.api.types import union_categoricals
    cols: dict[str, Any] = {}
    for c in EVIDENCE_COLUMNS:
        if all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in frames):
            cols[c] = union_categoricals([f[c] for f in frames], sort_categories=True)
        else:
            cols[c] = np.concatenate([np.asarray(f[c], dtype=object if f[c].dtype == object
                                                 or isinstance(f[c].dtype, pd.CategoricalDtype) else None)
                                      for f in frames])
    return pd.DataFrame(cols, columns=EVIDENCE_COLUMNS)
