"""Learn the per-token property columns of a batch of new raw tokens at once (``_tokens_rs._Vocab._add``).

The reference (``_Vocab._add_reference``) computes each new token's properties through the reference
modules' per-token call chains (``readability._TOKENS`` -> ``_count_word`` -> ``syllables.count``,
``vader_fast._TOKENS`` -> ``_token``, ``names._kind``): about 9 us per token, most of it Python call
overhead. Here the batch is handled column by column, with the same rules (benchmarks/learn_bench.py
measures both):

- the batch's characters as one numpy array of code points (the tokens joined by spaces), with a few bits
  per character (``\\w``, letter, upper, lower, ``. ! ?``, string.punctuation; the batch's distinct non-ASCII
  characters are classified one by one with the same str methods); per-token counts and first/last
  positions by ``np.add/minimum/maximum.reduceat``;
- textstat's punctuation removal (``readability._PUNCTUATION``) as a mask over those code points: a token
  holds no whitespace, so it keeps its word characters and the apostrophes its look-ahead accepts;
- lower-casing, VADER's word (``str.strip`` of string.punctuation) and dictionary lookups (CMU syllables,
  Dale-Chall easy words, the VADER lexicon and rule words) in one C-level pass each over the batch; a
  lower-cased word already in the vocabulary takes its word counts from the row of a token that holds it;
- Pyphen's hyphenation for the words outside the CMU table (:func:`hyphenation_points`): Liang's patterns
  matched for all those words at once (numpy), exact against ``syllables.hyphenation_points``;
- what only a rarer token needs goes through the reference modules' own functions, for that token only:
  ``syllables.count`` for a non-ASCII word outside the CMU table, ``readability.word_syllables`` for a
  non-ASCII hard word, ``names._kind`` for an ALL-CAPS capitalised token (initials) or a non-ASCII one
  whose core is not plain ASCII mixed case, ``str.isupper`` for a non-ASCII word, ``vader_fast._Tok`` for
  a word a VADER rule reads (lexicon, rule words, "n't").

A batch that is not made of non-empty whitespace-free tokens (``text.split()`` never makes one, but the
vocabulary does not assume it) is returned as ``None``: the caller then uses the reference.
Equality with the reference on every column is tested in tests/test_columnar_learn.py.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np

from .. import names as _names
from .. import readability as _rd
from .. import syllables as _sy
from .. import vader_fast as _vf

_PUNCT = string.punctuation  # vader_fast._strip's characters
_RULE_WORDS = _vf._RULE_WORDS
_BOOSTER = _vf._BOOSTER
_NEGATE = _vf._NEGATE
_CONNECTORS = _names.CONNECTORS
_PRONOUN_I = _names._PRONOUN_I


#: hyphenation patterns up to this length are matched by an exact integer key (5 bits a character)
_KEY_CHARS = 12
#: up to this many characters, prefixes and patterns are found by indexing a table of every key
_DENSE_CHARS = 4
#: the characters of Pyphen's en_US patterns that an ASCII word can hold: "." (the word's ends), a-z, "'"
_PATTERN_ASCII = "." + string.ascii_lowercase + "'"


@lru_cache(maxsize=1)
def _hyphenation_tables() -> tuple[np.ndarray, list[np.ndarray], list[tuple[np.ndarray, np.ndarray]],
                                   dict[int, tuple[np.ndarray, np.ndarray]], dict[str, tuple[tuple[int, int], ...]],
                                   tuple[int, ...]]:
    """Pyphen's en_US patterns (the ones syllables.hyphenation_points walks) for matching a batch at once.

    Returns the character code of each byte (0: no pattern holds it); per length l up to _KEY_CHARS the
    sorted keys (character codes, 5 bits each) of the patterns' first l characters (where a match can still
    continue); for lengths up to _DENSE_CHARS, tables indexed by the key (a prefix? the row of the pattern
    or -1); per pattern length up to _KEY_CHARS the sorted keys of those patterns and each one's values by
    position (0 .. length); the longer patterns as (position, value) pairs, and their lengths. Patterns
    holding a non-ASCII character never match an ASCII word and are left out. About 4 MB (tracemalloc)."""
    code = np.zeros(256, dtype=np.uint64)
    for k, ch in enumerate(_PATTERN_ASCII):
        code[ord(ch)] = k + 1

    code_of = {ch: k + 1 for k, ch in enumerate(_PATTERN_ASCII)}  # = code, as a dict (built once per process:
    # numpy scalar reads per character made this table take ~0.1 s)
    short: dict[int, list[tuple[int, list[int]]]] = {}
    long: dict[str, tuple[tuple[int, int], ...]] = {}
    prefixes: list[set[int]] = [set() for _ in range(_KEY_CHARS)]
    for pattern, (start, values) in _sy._pyphen().hd.patterns.items():
        if not all(ch in code_of for ch in pattern):
            continue
        k = 0  # the key of the pattern's first n characters, grown one character at a time
        for n, ch in enumerate(pattern[:_KEY_CHARS]):
            k |= code_of[ch] << (5 * n)
            prefixes[n].add(k)
        pairs = tuple((start + j, v) for j, v in enumerate(values) if v)
        if len(pattern) > _KEY_CHARS:
            long[pattern] = pairs
            continue
        at_pos = [0] * (max([len(pattern)] + [p for p, _ in pairs]) + 1)
        for p, v in pairs:
            at_pos[p] = v
        short.setdefault(len(pattern), []).append((k, at_pos))
    tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for n, rows in short.items():
        rows.sort()
        width = max(len(v) for _, v in rows)
        vals = np.zeros((len(rows), width), dtype=np.int8)
        for r, (_, v) in enumerate(rows):
            vals[r, :len(v)] = v
        tables[n] = (np.array([k for k, _ in rows], dtype=np.uint64), vals)
    pre = [np.array(sorted(p), dtype=np.uint64) for p in prefixes]
    dense: list[tuple[np.ndarray, np.ndarray]] = []  # the shortest lengths, as tables indexed by the key: prefix of a pattern? which pattern?
    for n in range(1, _DENSE_CHARS + 1):
        is_prefix = np.zeros(1 << (5 * n), dtype=bool)
        is_prefix[pre[n - 1].astype(np.int64)] = True
        row = np.full(1 << (5 * n), -1, dtype=np.int16)
        if n in tables:
            row[tables[n][0].astype(np.int64)] = np.arange(len(tables[n][0]))
        dense.append((is_prefix, row))
    return code, pre, dense, tables, long, tuple(sorted({len(p) for p in long}))


def _member(keys: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``k`` are in the sorted ``keys``, and where."""
    pos = np.searchsorted(keys, k)
    np.minimum(pos, len(keys) - 1, out=pos)
    return keys[pos] == k, pos


def hyphenation_points(words: list[str]) -> np.ndarray:
    """``syllables.hyphenation_points`` of each ASCII word, for a batch at once.

    Liang's rule as the reference walks it: at every position of ".word." but the last, every pattern
    that occurs there raises the values at its positions; a point is an odd value at positions 3 ..
    len(word) - 1. The positions are followed one character at a time while some pattern still starts
    with what they read (as the reference's trie walk). Patterns cannot span two words: the words are
    joined by a character no pattern holds."""
    code, pre, dense, tables, long, long_lens = _hyphenation_tables()
    text = ("." + ".\x00.".join(words) + ".").lower()
    lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    first = np.zeros(len(words), dtype=np.int64)  # where each ".word." starts
    np.cumsum(lens[:-1] + 3, out=first[1:])
    n = len(text)
    c = np.zeros(n + _KEY_CHARS, dtype=np.uint64)
    c[:n] = code[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    start_ok = c[:n] != 0
    start_ok[first + lens + 1] = False  # the closing "." is never a start
    refs = np.zeros(n + 32, dtype=np.int8)
    at = np.flatnonzero(start_ok)
    key = np.zeros(len(at), dtype=np.uint64)
    for t in range(_KEY_CHARS):
        key |= c[at + t] << np.uint64(5 * t)
        if t < _DENSE_CHARS:
            is_prefix, rows = dense[t]
            keep = is_prefix[key]
            at, key = at[keep], key[keep]
            row = rows[key]
            hit = row >= 0
        else:
            keep, _ = _member(pre[t], key)
            at, key = at[keep], key[keep]
            if t + 1 not in tables:
                continue
            hit, row = _member(tables[t + 1][0], key)
        if not len(at):
            break
        table = tables.get(t + 1)
        if table is None:
            continue
        v = table[1][row[hit]]
        r, col = np.nonzero(v)
        np.maximum.at(refs, at[hit][r] + col, v[r, col])
    if long:  # positions where a pattern longer than _KEY_CHARS may start (rare): one by one
        for j in at.tolist():
            for size in long_lens:
                pairs = long.get(text[j:j + size])
                if pairs:
                    for p, v in pairs:
                        refs[j + p] = max(refs[j + p], v)
    odd = np.zeros(n + 33, dtype=np.int64)
    np.cumsum(refs & 1, out=odd[1:])
    lo = first + 3
    hi = np.maximum(first + lens, lo)
    return odd[hi] - odd[lo]


#: the _Tok of each (lower-cased VADER word, ALL CAPS) made so far: lexicon and rule words mostly, so it
#: stays small; bounded like the reference's per-token caches (cleared past the limit)
_MADE: dict[tuple[str, bool], Any] = {}
_MADE_LIMIT = 20_000

#: how many tokens took each path (a benchmark reads and clears it; a few increments per batch)
STATS: Counter[str] = Counter()


class Learnt(NamedTuple):
    """The property columns of a batch (arrays over the batch; ``rd_lower`` already ids of the vocabulary's
    lower-cased words), and per token its VADER ``_Tok`` and its name-rule core."""

    cols: dict[str, np.ndarray]
    vtoks: list[Any]
    cores: list[str]


@lru_cache(maxsize=1)
def _char_tables() -> tuple[np.ndarray, np.ndarray]:
    """Bits per ASCII character (word character, letter, upper case, lower case, sentence terminator,
    string.punctuation), and which code points are VADER's one-character emoji (by code point, up to the
    highest: about 130 kB)."""
    bits = np.array([_char_bits(chr(b)) for b in range(128)], dtype=np.uint8)
    one = [ord(e) for e in _vf._tables()[2] if len(e) == 1]
    emoji = np.zeros(max(one) + 1, dtype=np.uint8)
    emoji[one] = 1
    return bits, emoji


_WORD, _ALPHA, _UPPER, _LOWER, _TERM, _PUNCTUATION = 1, 2, 4, 8, 16, 32


def _char_bits(ch: str) -> int:
    """A character's bits: re's ``\\w`` (str.isalnum or "_"), str.isalpha, isupper, islower, one of . ! ?
    (textstat's terminators), in string.punctuation."""
    return (_WORD * (ch.isalnum() or ch == "_") + _ALPHA * ch.isalpha() + _UPPER * ch.isupper()
            + _LOWER * ch.islower() + _TERM * (ch in ".!?") + _PUNCTUATION * (ch in _PUNCT))


@lru_cache(maxsize=1)
def _special_words() -> frozenset[str]:
    """The words vader_fast._token gives their own _Tok (besides "n't" contractions): the lexicon's words
    and the rule words (about 7,600 entries)."""
    return frozenset(_vf.lexicon()) | _RULE_WORDS


_NT = re.compile("n't")


def _ids(words: list[str], index: dict[str, int], out: list[str], none: str | None = None) -> list[int]:
    """The id of each word in ``index`` (-1 for the word ``none``); a word not in it gets the next id, in
    order of first appearance, and is appended to ``out``."""
    ids = []
    get = index.get
    for w in words:
        i = get(w)
        if i is None:
            if w == none:
                ids.append(-1)
                continue
            i = index[w] = len(out)
            out.append(w)
        ids.append(i)
    return ids


def _word_bits(T: Any) -> int:
    """The rd_flags bits that depend on the lower-cased word only."""
    return int(T.R_POLY | T.R_FOG | T.R_DC | (3 << T.R_LINW_SHIFT))


def learn(new: list[str], T: Any, vocab: Any) -> Learnt | None:
    """The columns of ``new`` (``T`` is the ``_tokens_rs`` module: its bit constants and CODE), new
    lower-cased words added to ``vocab``'s (``lower_index``, ``lowers``)."""
    m = len(new)
    joined = " ".join(new)
    pieces = joined.split()
    if len(pieces) != m or len("".join(pieces)) != len(joined) - (m - 1):
        STATS["batches refused (reference path)"] += 1
        return None  # an empty token, or one with whitespace in it
    lens = np.fromiter(map(len, new), dtype=np.int64, count=m)
    starts = np.zeros(m, dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=starts[1:])
    ends = starts + lens
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    N = len(cp)
    bits_of, emoji_cps = _char_tables()
    bits = bits_of[np.where(cp < 128, cp, 0)]
    hi = np.flatnonzero(cp > 127)
    if len(hi):  # the few distinct non-ASCII characters of the batch, one by one
        uniq, inv = np.unique(cp[hi], return_inverse=True)
        bits[hi] = np.array([_char_bits(chr(c)) for c in uniq.tolist()], dtype=np.uint8)[inv]
    idx = np.arange(N)

    def per_token(bit: int) -> np.ndarray:
        # each segment runs from a token's start to the space after it, which has no bit
        return np.add.reduceat((bits & bit).astype(bool).view(np.uint8), starts, dtype=np.int64)

    bang = np.add.reduceat((cp == 33).view(np.uint8), starts, dtype=np.int64)
    quest = np.add.reduceat((cp == 63).view(np.uint8), starts, dtype=np.int64)
    term = per_token(_TERM) > 0
    alpha = per_token(_ALPHA) > 0
    has_lower = per_token(_LOWER) > 0
    wide = np.maximum.reduceat(cp, starts) > 127
    wide_ids = np.flatnonzero(wide).tolist()

    cols: dict[str, np.ndarray] = {}
    # --- readability: textstat's word of each token ------------------------------------------------------
    # readability._PUNCTUATION ([^\w\s']|'(?!(?:[tsd]|ve|ll|re))) over the batch: a token holds no
    # whitespace, so it keeps its word characters and the apostrophes followed (in the token as written)
    # by t, s, d, ve, ll or re; the spaces between tokens stay
    nxt = np.zeros(N + 2, dtype=np.uint32)
    nxt[:N] = cp
    c1, c2 = nxt[1:N + 1], nxt[2:N + 2]
    keep_apo = (cp == 39) & ((c1 == 116) | (c1 == 115) | (c1 == 100) | ((c1 == 118) & (c2 == 101))
                             | ((c1 == 108) & (c2 == 108)) | ((c1 == 114) & (c2 == 101)))
    keep = ((bits & _WORD) > 0) | (cp == 32) | keep_apo
    # lower-cased over the batch at once: the only context-dependent mapping of str.lower (a final sigma)
    # reads neighbours up to a character that is not case-ignorable, and the space between tokens is not
    wls = cp[keep].tobytes().decode("utf-32-le", "surrogatepass").lower().split(" ")
    if len(wls) != m:  # never seen (lower-casing makes no space): the reference decides
        STATS["batches refused (reference path)"] += 1
        return None
    STATS["batches"] += 1
    STATS["tokens"] += m
    # a token has a word <=> it has a word character (an apostrophe is kept only before one)
    letters = per_token(_WORD)  # len(w) less its apostrophes: the token's word characters
    has_word = letters > 0
    # the word's id among the vocabulary's lower-cased words; a word seen before (in this generation of the
    # vocabulary) has its counts in the row of a token that holds it: they depend on the word only
    n_low = len(vocab.lowers)
    lids = np.array(_ids(wls, vocab.lower_index, vocab.lowers, ""), dtype=np.int64)
    syl = np.zeros(m, dtype=np.int64)
    wbits = np.zeros(m, dtype=np.int64)  # R_POLY, R_FOG, R_DC and the Linsear Write weight
    known = np.flatnonzero((lids >= 0) & (lids < n_low))
    if len(known):
        rl = vocab.cols["rd_lower"][:len(vocab.tokens)]
        holder = np.full(n_low, -1, dtype=np.int64)
        with_word = np.flatnonzero(rl >= 0)
        holder[rl[with_word]] = with_word
        row = holder[lids[known]]
        known, row = known[row >= 0], row[row >= 0]
        STATS["word seen before: counts from a token row"] += len(known)
        syl[known] = vocab.cols["rd_syll"][row]
        wbits[known] = vocab.cols["rd_flags"][row] & _word_bits(T)
    todo = np.flatnonzero(has_word)
    if len(known):
        todo = np.setdiff1d(todo, known, assume_unique=True)
    if len(todo):
        todo_l = todo.tolist()
        sub = [wls[i] for i in todo_l]
        k = len(sub)
        n = np.fromiter(map(_sy.cmu_counts().get, sub, repeat(-1)), dtype=np.int64, count=k)
        miss = np.flatnonzero(n < 0).tolist()
        if miss:  # outside the CMU table: Pyphen's hyphenation points + 1
            plain = [j for j in miss if sub[j].isascii()]
            if plain:
                n[plain] = hyphenation_points([sub[j] for j in plain]) + 1
                STATS["word outside CMU: batch hyphenation"] += len(plain)
            for j in miss:
                if not sub[j].isascii():
                    n[j] = _sy.count(sub[j])
                    STATS["per token: syllables.count (non-ASCII word outside CMU)"] += 1
        dc = ~np.fromiter(map(_rd._easy_words().__contains__, sub), dtype=bool, count=k)
        poly = n >= 3
        fog = dc & poly
        for j in np.flatnonzero(dc).tolist():
            if not sub[j].isascii():  # Gunning's syllables of the lower-cased word (reference rule)
                fog[j] = _rd.word_syllables(sub[j]) >= 3
                STATS["per token: readability.word_syllables (non-ASCII hard word)"] += 1
        linw = np.where(poly, 3, np.where(n > 0, 1, 0))
        syl[todo] = n
        wbits[todo] = T.R_POLY * poly + T.R_FOG * fog + T.R_DC * dc + (linw << T.R_LINW_SHIFT)
    # len(w) less its apostrophes: the token's word characters (textstat keeps \w; no whitespace is there)
    # textstat's sentence rule: a word character before the first [.!?] run / after the last one; a token
    # without . ! ? has a word character <=> it has a word
    lead = has_word.copy()
    trail = np.zeros(m, dtype=bool)
    if term.any():
        is_term = (bits & _TERM) > 0
        first = np.minimum.reduceat(np.where(is_term, idx, N), starts)
        last = np.maximum.reduceat(np.where(is_term, idx, -1), starts)
        csw = np.zeros(N + 1, dtype=np.int64)
        np.cumsum((bits & _WORD) > 0, out=csw[1:])
        t_ids = np.flatnonzero(term)
        lead[t_ids] = csw[first[t_ids]] > csw[starts[t_ids]]
        trail[t_ids] = csw[ends[t_ids]] > csw[last[t_ids] + 1]
    cols["rd_flags"] = T.R_WORD * has_word + wbits + T.R_LEAD * lead + T.R_CLOSE * term + T.R_TRAIL * trail
    cols["rd_letters"] = letters
    cols["rd_syll"] = syl
    cols["rd_lower"] = lids
    cols["rd_chars"] = lens

    # --- VADER: the token's word (SentiText._strip_punc_if_word), lower-cased ------------------------------
    strips = list(map(str.strip, new, repeat(_PUNCT)))
    words = strips.copy()
    for i in np.flatnonzero(np.fromiter(map(len, strips), dtype=np.int64, count=m) <= 2).tolist():
        words[i] = new[i]  # left with <= 2 characters: an emoticon, kept whole
    words_joined = " ".join(words)
    lows_joined = words_joined.lower()
    lows = lows_joined.split(" ")
    lex = _vf.lexicon()
    # ALL CAPS: an ASCII word has the letters of its token (only punctuation is stripped)
    upper = (per_token(_UPPER) > 0) & ~has_lower
    for i in wide_ids:
        upper[i] = words[i].isupper()
    STATS["per token: str.isupper, strip (non-ASCII token)"] += len(wide_ids)
    special_mask = np.fromiter(map(_special_words().__contains__, lows), dtype=bool, count=m)
    if "n't" in lows_joined:  # a negation by contraction: "n't" inside the lower-cased word
        wstarts = np.zeros(m, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, lows), dtype=np.int64, count=m)[:-1] + 1, out=wstarts[1:])
        at = [mt.start() for mt in _NT.finditer(lows_joined)]
        special_mask[np.searchsorted(wstarts, at, side="right") - 1] = True
    special = np.flatnonzero(special_mask).tolist()
    vtoks: list[Any] = list(map(_vf._PLAIN.__getitem__, upper.tolist()))
    v_flags = T.V_UPPER * upper.astype(np.int64)
    v_val = np.full(m, np.nan)
    v_boost = np.zeros(m)
    v_code = np.zeros(m, dtype=np.int64)
    code = T.CODE
    made = _MADE  # a _Tok depends on (low, upper) only
    if len(made) > _MADE_LIMIT:
        made.clear()
    for i in special:
        u = bool(upper[i])
        vt = made.get((lows[i], u))
        if vt is None:
            vt = made[lows[i], u] = _vf._Tok(lows[i], u, lex)
            STATS["per token: vader_fast._Tok (word a VADER rule reads)"] += 1
        vtoks[i] = vt
        v_flags[i] += (T.V_BUT * (vt.low == "but") + T.V_SCORED * vt.scored + T.V_HAS * (vt.valence is not None)
                       + T.V_BOOST * (vt.boost is not None) + T.V_NEG * vt.negation)
        if vt.valence is not None:
            v_val[i] = vt.valence
        if vt.boost is not None:
            v_boost[i] = vt.boost
        v_code[i] = code.get(vt.low, 0)
    if wide_ids:  # vader_fast._has_emoji: a character of the token is a one-character emoji
        em = np.zeros(N, dtype=np.uint8)
        c = cp[hi]
        em[hi] = emoji_cps[np.minimum(c, len(emoji_cps) - 1)] & (c < len(emoji_cps))
        v_flags += T.V_EMOJI * (np.add.reduceat(em, starts, dtype=np.int64) > 0)
    cols["v_flags"] = v_flags
    cols["v_val"] = v_val
    cols["v_boost"] = v_boost
    cols["v_code"] = v_code
    cols["v_punct"] = np.minimum(bang, 4) + (np.minimum(quest, 4) << 3)

    # --- the name rule, on the VADER word ------------------------------------------------------------------
    # an ASCII token: its core is ``strips`` (names._PUNCT adds only non-ASCII characters to
    # string.punctuation), whose letters are the token's. It is name-like when the core starts with A-Z, is
    # not "I"/"I'm"..., and has a lower-case letter; or is ALL CAPS and an initial (names._kind decides)
    core_start = np.minimum.reduceat(np.where((bits & _PUNCTUATION) | (cp == 32), N, idx), starts)
    cap = np.zeros(m, dtype=bool)
    inside = core_start < ends
    cap[inside] = (bits[core_start[inside]] & _UPPER) > 0
    cap &= ~wide
    name = cap & has_lower
    for i in np.flatnonzero(name & (cp[np.minimum(core_start, N - 1)] == 73)).tolist():  # starts with "I"
        if strips[i] in _PRONOUN_I:
            name[i] = False
    caps = np.flatnonzero(cap & ~has_lower).tolist()
    STATS["per token: names._kind (ALL-CAPS capitalised, ASCII)"] += len(caps)
    for i in caps:
        name[i] = _names._kind(words[i])[0] == 1
    kinds = np.where(name, 1, 0)
    kinds[np.fromiter(map(_CONNECTORS.__contains__, words), dtype=bool, count=m) & ~name] = 2
    cores = strips
    if wide_ids:
        cores = list(strips)
        npunct = _names._PUNCT
        for i in wide_ids:
            w = words[i]
            core = cores[i] = w.strip(npunct)
            if core[:1].isupper():  # an ASCII core: the rule above; else names._kind itself
                if core.isascii() and not core.isupper():
                    kinds[i] = core not in _PRONOUN_I
                else:
                    kinds[i] = _names._kind(w)[0]
                    STATS["per token: names._kind (non-ASCII core or ALL CAPS)"] += 1
    cols["n_flags"] = T.N_NAME * (kinds == 1) + T.N_CONNECTOR * (kinds == 2) + T.N_ALPHA * alpha
    return Learnt(cols, vtoks, cores)
