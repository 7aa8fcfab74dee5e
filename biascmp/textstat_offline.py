"""Make textstat work offline, with the same syllable counts biascmp uses.

textstat 0.7.13 fetches NLTK's CMU dictionary on its first syllable count
(``nltk.download('cmudict')``), which raises ``LookupError`` without network and breaks every
syllable-based formula. :func:`install` replaces textstat's dictionary getter with one backed by the
table that ships with biascmp (see :mod:`biascmp.syllables`). biascmp's own readability code does not
call textstat at run time; this patch is for users who also call textstat directly, and for the tests
that check biascmp's formulas against textstat's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .syllables import cmu_counts


class _SyllableDict(Mapping[str, list[tuple[str, ...]]]):
    """Looks like ``nltk.corpus.cmudict.dict()`` to textstat: ``d[word][0]`` is a phone list whose
    stress-marked phones (ending in a digit) number the word's syllables."""

    def __init__(self, counts: dict[str, int]):
        self._counts = counts

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        return [("AH1",) * self._counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def _get_cmudict(lang: str) -> Mapping[str, list[tuple[str, ...]]] | None:
    from textstat.backend.utils._get_lang_root import get_lang_root

    return _SyllableDict(cmu_counts()) if get_lang_root(lang) == "en" else None


def install() -> None:
    """Patch textstat (idempotent). Call before the first textstat syllable count."""
    import textstat.backend.counts._count_syllables as cs
    import textstat.backend.utils as tu
    import textstat.backend.utils._get_cmudict as gc

    for mod in (cs, tu, gc):
        mod.get_cmudict = _get_cmudict  # type: ignore[attr-defined,assignment]
    import sys

    # textstat memoises results per text: drop anything computed before the patch
    for modname, mod in list(sys.modules.items()):
        if modname.startswith("textstat.backend") and mod is not None:
            for name in dir(mod):
                fn = getattr(mod, name, None)
                if callable(fn) and hasattr(fn, "cache_clear"):
                    fn.cache_clear()
