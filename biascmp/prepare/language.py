"""Step 6: a cheap language check on the prose (English function words and Latin script)."""

from __future__ import annotations

import re

from .lines import _WORD_RE

_FUNCTION_WORDS = frozenset("""the and of to is in that a for it was on with as he she by at from
his her be are have has had not this but they an or we said were which will you their its would
who been there about more than into after also""".split())


#: characters sampled by detect_language: a few hundred words decide the script and the language
_LANG_SAMPLE = 4000
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
#: everything that is not a letter
_NON_LETTER_RE = re.compile(r"[\W\d_]+")
#: everything that is not a Latin letter (letters below U+0250, Basic Latin to IPA, or in Latin Extended
#: Additional)
_NON_LATIN_RE = re.compile(r"(?:[\W\d_]|[\u0250-\u1dff\u1f00-\U0010ffff])+")


#: ASCII characters of ``_WORD_RE`` words ([\w’'-]) become "a", every other byte a space
_ASCII_WORD_CHARS = bytes(97 if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_'-") else 32
                          for b in range(256))
#: common function words between spaces: each occurrence is one function-word token
_SPACED_FUNCTION_WORDS = tuple(f" {w} ".encode() for w in ("the", "of", "to", "and"))


def _surely_english(low: str) -> bool:
    r"""True when bounds alone show that ``low`` (lower-cased) has >= 20 words of which >= 8 % are
    function words, without tokenizing it (tokenizing costs most of detect_language on English).

    Counted on the UTF-8 bytes, where ASCII bytes are exactly the ASCII characters. Lower bound
    on function words: occurrences of a few of them between spaces. Upper bound on words: each lies in
    its own maximal run of ``[\w’'-]``; a run holding an ASCII such character contains a run of
    them in the byte view (one ``bytes.count``), one without holds a non-ASCII character (at most
    the extra bytes they take). The bounds' ratio is compared in integers with 8.01 %, above the float
    0.08, so the exact share passes detect_language's float test as well."""
    raw = low.encode("utf-8", "surrogatepass")
    view = raw.translate(_ASCII_WORD_CHARS)
    bound = 801 * (view.count(b" a") + view.startswith(b"a") + len(raw) - len(low))
    n_fw = 0
    for pattern in _SPACED_FUNCTION_WORDS:  # partial sums: the test holds for one when it holds for the total
        n_fw += raw.count(pattern)
        if n_fw >= 20 and n_fw * 10_000 >= bound:
            return True
    return False


def detect_language(text: str) -> str:
    """"en", "other" or "unknown": a download-free heuristic.

    "other" when most letters are outside the Latin script, or when, among at least 20 Latin
    words, fewer than 8 % are common English function words (English news prose has ~35-45 %).
    "unknown" when there are fewer than 20 words (or no letters). Otherwise "en".
    """
    head = text[:_LANG_SAMPLE]
    ascii_part = head.encode("ascii", "ignore")
    n_ascii_letters = len(ascii_part.translate(None, _ASCII_NON_LETTERS))
    n_other = len(head) - len(ascii_part)
    if n_ascii_letters >= n_other:  # fast path: Latin letters are at least half of all letters
        if not n_ascii_letters:
            return "unknown"
    else:
        n_letters = len(_NON_LETTER_RE.sub("", head))
        if not n_letters:
            return "unknown"
        if len(_NON_LATIN_RE.sub("", head)) / n_letters < 0.5:
            return "other"
    low = head.lower()
    if _surely_english(low):
        return "en"
    words = _WORD_RE.findall(low)
    if len(words) < 20:
        return "unknown"
    share = sum(map(_FUNCTION_WORDS.__contains__, words)) / len(words)
    return "en" if share >= 0.08 else "other"
