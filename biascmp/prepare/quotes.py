"""Step 4: quotation marks tracked across a paragraph: quote spans and each sentence's in-quote share."""

from __future__ import annotations

import re

from .speakers import _is_word_char

_QUOTE_CHARS_RE = re.compile("[\"“”‘’«»„]")
#: the marks that matter in a paragraph without "‘": a "’" only closes a single quote that "‘" opened, so
#: there every "’" (mostly apostrophes: "Trump’s", "don’t") is passed over
_QUOTE_CHARS_NO_SINGLE_RE = re.compile("[\"“”«»„]")


def _quote_intervals(p: str) -> tuple[list[tuple[int, int]], bool]:
    """Intervals of ``p`` inside quotation marks (marks excluded) and whether a double quote is
    still open at the end of the paragraph (the quote continues into the next paragraph)."""
    out: list[tuple[int, int]] = []
    dbl: int | None = None  # start of open double quote
    sgl: int | None = None  # start of open single quote (only outside double quotes)
    n = len(p)
    for m in (_QUOTE_CHARS_RE if "‘" in p else _QUOTE_CHARS_NO_SINGLE_RE).finditer(p):
        i = m.start()
        ch = p[i]
        prev = p[i - 1] if i else " "
        nxt = p[i + 1] if i + 1 < n else " "
        if ch in "“«„":
            if dbl is None:
                sgl = None
                dbl = i + 1
        elif ch in "”»":
            if dbl is not None:
                out.append((dbl, i))
                dbl = None
        elif ch == '"':
            if dbl is None:
                if not (prev.isalnum() and (nxt.isspace() or i + 1 == n)):  # 5'10" is not a quote
                    sgl = None
                    dbl = i + 1
            else:
                out.append((dbl, i))
                dbl = None
        elif dbl is None:  # single quotes, only as top-level (headline) quotes
            if ch == "‘" and not prev.isalnum():
                sgl = i + 1
            elif ch == "’" and sgl is not None and not nxt.isalnum():
                out.append((sgl, i))
                sgl = None
    if dbl is not None and dbl < n:
        out.append((dbl, n))
    return out, dbl is not None


def _inner_apostrophes(text: str) -> int:
    r"""Number of ``’``/``'`` with a word character on both sides (``(?<=\w)[’'](?=\w)``), found with
    ``str.find``: a lookbehind regex tries every position of the sentence."""
    n = 0
    last = len(text) - 1
    for mark in "’'":
        i = text.find(mark, 1)
        while 0 < i < last:
            if _is_word_char(text[i - 1]) and _is_word_char(text[i + 1]):
                n += 1
            i = text.find(mark, i + 1)
    return n


def _in_quote_share(text: str, spans: list[tuple[int, int]]) -> float:
    total = len(text) - text.count(" ") - len(_QUOTE_CHARS_RE.findall(text))
    # curly apostrophes inside words are not quotation marks: count them back
    total += _inner_apostrophes(text)
    if total <= 0:
        return 0.0
    if len(spans) == 1:  # the usual case, without a generator
        a, b = spans[0]
        inside = b - a - text.count(" ", a, b)
    else:
        inside = sum(b - a - text.count(" ", a, b) for a, b in spans)
    return max(0.0, min(1.0, inside / total))
