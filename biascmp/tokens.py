"""Word tokens for every prose sentence, computed once per article and shared by the metric families.

Tokens are (start, end) offsets into the sentence text: a run of word characters, with inner
apostrophes kept ("don't", "O’Hare"). Hyphenated words are separate tokens ("D-Chicago" -> "D",
"Chicago"), which is what the lexicon matchers want. The readability family applies textstat's own
word rule to the joined prose instead (see biascmp.readability), so its counts agree with textstat.
"""

from __future__ import annotations

import re

from .records import PreparedArticle

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def tokenize_article(article: PreparedArticle) -> None:
    """Fill ``sentence.tokens`` for every sentence of the article (in place)."""
    finditer = _WORD.finditer
    for s in article.sentences:
        s.tokens = [m.span() for m in finditer(s.text)]
