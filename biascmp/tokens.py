"""PLACEHOLDER (to be replaced by the one-pass engine work): regex word tokens."""

from __future__ import annotations

import re

from .records import PreparedArticle

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def tokenize_article(article: PreparedArticle) -> None:
    for s in article.sentences:
        s.tokens = [m.span() for m in _WORD.finditer(s.text)]
