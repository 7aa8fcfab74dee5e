"""Step 1 of text preparation: normalise the raw text (HTML and Markdown stripped when present, NFC, newlines
unified, zero-width and control characters dropped, blanks collapsed). Idempotent."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_HTML_TAGS = ("a|abbr|article|aside|b|blockquote|body|br|caption|center|cite|code|dd|div|dl|dt|em|"
              "figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|li|link|main|meta|"
              "nav|noscript|ol|p|pre|q|s|script|section|small|source|span|strong|style|sub|sup|svg|"
              "table|tbody|td|th|thead|title|tr|u|ul|video")
_TAG_RE = re.compile(r"<(?:/?(?:" + _HTML_TAGS + r")(?=[\s/>])[^<>]{0,2000}>|!--)", re.I)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_BLOCK_TAGS = frozenset(("p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "section",
                         "article", "header", "footer", "figure", "figcaption", "h1", "h2", "h3",
                         "h4", "h5", "h6", "pre", "dl", "dt", "dd", "main", "nav", "aside", "title"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "head", "svg", "iframe"))

_NEWLINES_RE = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# zero-width and formatting characters, soft hyphen, BOM, C0/C1 controls except \n and \t
_DROP_RE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u180e\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES_RE = re.compile(r"[^\S\n]+")  # any whitespace except newline (NBSP, tabs, thin spaces ...)
_MANY_NL_RE = re.compile(r"\n{3,}")


def _clean_chars(text: str) -> str:
    """Unify newlines and drop zero-width/control characters (the two substitutions above)."""
    return _clean(text)[0]


def _clean(text: str) -> tuple[str, bool]:
    """:func:`_clean_chars` and whether ``text``'s lines are all printable.

    Every character either substitution touches is non-printable (``str.isprintable``), so a
    text whose lines are printable -- nearly every article -- skips both regex scans."""
    if text.replace("\n", " ").isprintable():
        return text, True
    return _DROP_RE.sub("", _NEWLINES_RE.sub("\n", text)), False


def _collapse_spaces(t: str, printable: bool = False) -> str:
    r"""``_SPACES_RE.sub(" ", t)`` and strip every line, done per line with str methods.

    Regex ``\s`` and ``str.split()`` use the same whitespace set, so ``" ".join(line.split())``
    is the same collapse; a printable line without a double space (all whitespace in it is single
    ASCII spaces: every other whitespace character is non-printable) only needs its ends stripped.
    ``printable=True`` says every line of ``t`` is printable (not tested again).
    """
    if printable:
        return "\n".join(ln.strip() if "  " not in ln else " ".join(ln.split()) for ln in t.split("\n"))
    return "\n".join(ln.strip() if ln.isprintable() and "  " not in ln else " ".join(ln.split())
                     for ln in t.split("\n"))


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment; block tags become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _has_markup(text: str) -> bool:
    if _TAG_RE.search(text):
        return True
    return any(html.unescape(m.group()) != m.group() for m in _ENTITY_RE.finditer(text))


def _strip_html(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


_MD_HINT_RE = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|[-*+][ \t]|>[ \t]?)|\*\*[^*\n]+\*\*|__[^_\n]+__|"
                         r"!?\[[^\]\n]+\]\([^)\s]+\)", re.M)
_MD_RULES = (
    (re.compile(r"!?\[([^\]\n]+)\]\([^)\s]+\)"), r"\1"),                 # [text](url), ![alt](url)
    (re.compile(r"\*\*([^*\n]+)\*\*|__([^_\n]+)__"), lambda m: m.group(1) or m.group(2)),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),   # *italic*
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""),                      # headings
    (re.compile(r"^[ \t]{0,3}[-*+][ \t]+", re.M), ""),                       # list bullets
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),                           # block quotes
)


def _maybe_markdown(t: str) -> bool:
    """Cheap necessary condition for ``_MD_HINT_RE`` on a text with stripped lines: a line opening
    with a Markdown character, "**", "__" or a link's "](" (single characters are checked first:
    one "[" or "#" alone is common in news copy)."""
    if t.startswith(("#", "-", "*", "+", ">")) or "\n-" in t:
        return True
    return any(c in t and (c + c in t or "\n" + c in t) for c in "#*+>_") or ("[" in t and "](" in t)


def _strip_markdown(text: str) -> str:
    """Remove common Markdown markup (links keep their text; no URL survives)."""
    for rx, rep in _MD_RULES:
        text = rx.sub(rep, text)  # type: ignore[arg-type]
    return text


def normalize(text: str) -> str:
    """Normalise an article's text; ``normalize(normalize(t)) == normalize(t)``.

    When the text carries HTML markup (known tags or entities) it is parsed with the stdlib
    ``html.parser`` (script/style content dropped, block tags become paragraph breaks, entities
    unescaped), repeated while markup remains (each pass strictly shortens the text). Then:
    Unicode NFC; ``\\r\\n``, ``\\r``, U+2028/2029 become ``\\n``; zero-width characters, soft
    hyphens, NUL and other control characters are removed; runs of spaces/tabs/NBSP become one
    space; lines are stripped; three or more newlines become a blank line; the text is stripped.
    """
    if not isinstance(text, str):
        raise TypeError(f"Invalid text={text!r}: expected str, got {type(text).__name__}")
    for _ in range(20):
        cleaned, printable = _clean(text)
        t = unicodedata.normalize("NFC", cleaned)
        if not (("<" in t or "&" in t) and _has_markup(t)):  # markup needs a tag or an entity
            break
        text = _strip_html(t)
    nfc = t
    # NFC keeps a printable text printable (no printable character decomposes to a non-printable one, and
    # composition only yields printable characters: tests/test_prepare_fast.py checks every code point of
    # the running Python's Unicode data), so the lines need no second isprintable test
    t = _collapse_spaces(t, printable=printable)
    for _ in range(5):  # Markdown: keep the words, drop the markup (repeated until stable: idempotent)
        if not _maybe_markdown(t) or not _MD_HINT_RE.search(t):
            break
        t = _collapse_spaces(_strip_markdown(t))
    if "\n\n\n" in t:
        t = _MANY_NL_RE.sub("\n\n", t)
    t = t.strip()
    if t == nfc:  # nothing below changed the NFC text (the usual case): NFC again would change nothing
        return nfc
    return unicodedata.normalize("NFC", t)
