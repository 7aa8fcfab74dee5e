"""Text preparation: normalise, mark non-prose lines, split sentences, mark quotations and speakers.

Every metric family reads the :class:`~biascmp.records.PreparedArticle` built here, so this
module decides what counts as prose. Pipeline (all linear in the text length):

1. :func:`normalize` -- strip HTML when the text carries markup (stdlib ``html.parser``),
   Unicode NFC, unify newlines, drop zero-width/control characters, collapse blanks. Idempotent.
2. Lines (non-empty) are paragraphs. :func:`classify_line` marks non-prose lines:
   ``metadata`` (``date 2020-07-27`` prefixes, bare dates, "From The Daily Wire:" source lines),
   ``byline`` ("By Kevin Beese Staff reporter"), ``headline`` (first line matching the title,
   or a short title-case line without terminal punctuation; short unpunctuated lines later on
   are sub-headings and get the same kind), ``caption`` (name-only lines, photo credits) and
   ``boilerplate`` ("Advertisement", "Tags:", "Watch the clip above via MSNBC.", newsletter,
   share and "click here" prompts, separators).
3. Prose lines are split into sentences by :func:`split_sentences`.
4. Quotations are tracked across the sentences of a paragraph (and into the next paragraph when a
   paragraph opens a quote and never closes it, the news convention for a quote that goes on);
   each sentence gets ``quote_spans`` and ``in_quote``.
5. Speakers: a reporting verb next to a name or noun phrase ("…,” Lightfoot said.", "said Peters",
   "according to ABC News") sets ``speaker``/``speaker_verb``/``speaker_verb_span``. Quoted
   sentences without their own attribution inherit the speaker of the quote they continue, of the
   paragraph's attributed quote, or of the directly preceding quote paragraph. A date next to the
   verb is no speaker: weekday and month names are skipped ("Trump on Monday said" -> Trump).
   ``he``/``she`` are resolved to the last *named* speaker earlier in the article (a deliberate,
   simple choice: news copy nearly always names the speaker just before the pronoun); without
   one, the pronoun is kept.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser

from .records import PreparedArticle, Sentence
from .registry import Metric

__all__ = ["normalize", "split_sentences", "classify_line", "detect_language", "prepare_article",
           "REPORTING_VERBS", "METRICS"]

METRICS: list[Metric] = [
    Metric(
        name="in_quote", level="sentence", family="quotes",
        description="Share of the sentence's characters that lie inside quotation marks (straight or "
                    "curly double quotes; single quotes only as headline/nested quotes). Quotes may "
                    "open in an earlier sentence or paragraph.",
        formula="in_quote = (# non-space characters inside quotation marks) / "
                "(# non-space characters of the sentence, quotation marks excluded)",
        range="[0, 1]", direction="higher = more of the sentence is quoted speech",
        reference="biascmp rule-based quotation tracker (biascmp.prepare); convention after "
                  "Pareti (2016) 'PARC 3.0' attribution relations",
        aggregate="sentence-weighted", compare=False,
    ),
]

# ---------------------------------------------------------------------------------------------
# 1. Normalisation
# ---------------------------------------------------------------------------------------------

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
    """Unify newlines and drop zero-width/control characters (the two substitutions above).

    Every character either substitution touches is non-printable (``str.isprintable``), so a
    text whose lines are printable -- nearly every article -- skips both regex scans."""
    if text.replace("\n", " ").isprintable():
        return text
    return _DROP_RE.sub("", _NEWLINES_RE.sub("\n", text))


def _collapse_spaces(t: str) -> str:
    r"""``_SPACES_RE.sub(" ", t)`` and strip every line, done per line with str methods.

    Regex ``\s`` and ``str.split()`` use the same whitespace set, so ``" ".join(line.split())``
    is the same collapse; a printable line without a double space (all whitespace in it is single
    ASCII spaces: every other whitespace character is non-printable) only needs its ends stripped.
    """
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
        t = unicodedata.normalize("NFC", _clean_chars(text))
        if not (("<" in t or "&" in t) and _has_markup(t)):  # markup needs a tag or an entity
            break
        text = _strip_html(t)
    t = _collapse_spaces(t)
    for _ in range(5):  # Markdown: keep the words, drop the markup (repeated until stable: idempotent)
        if not _maybe_markdown(t) or not _MD_HINT_RE.search(t):
            break
        t = _collapse_spaces(_strip_markdown(t))
    if "\n\n\n" in t:
        t = _MANY_NL_RE.sub("\n\n", t)
    return unicodedata.normalize("NFC", t.strip())


# ---------------------------------------------------------------------------------------------
# 2. Line classification
# ---------------------------------------------------------------------------------------------

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (r"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?|"
         r"\d{1,2}/\d{1,2}/\d{2,4}|" + _MONTHS + r" \d{1,2},? \d{4}|\d{1,2} " + _MONTHS + r" \d{4})")
# "date 2020-07-27 CHICAGO — ..." : a metadata prefix on the same line as prose
_META_PREFIX_RE = re.compile(
    r"(?:date|published|posted|updated|last updated|dateline)\s*:?\s*" + _DATE
    + r"(?:,? \d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?)?\s*", re.I)
_META_LINE_RE = re.compile(
    r"(?:(?:published|posted|updated|last updated|date)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?"
    + _DATE + r"(?:,? (?:at )?\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?)?\.?", re.I)
# "From The Daily Wire:" -- a republisher's source line. Kept out of the metrics as metadata.
_SOURCE_LINE_RE = re.compile(r"(?:From|Via|Source|Originally published (?:by|in|at)) [A-Z][^.!?]{0,60}:?")
_BYLINE_RE = re.compile(
    r"(?:By|BY|Written by|Reported by)\s+[A-Z][\w.'’-]*(?:[ ,]+(?:and |& )?[A-Z][\w.'’-]*){0,8}"
    r"(?:[ ,|]+.{0,60})?", )
_BOILERPLATE_RE = re.compile(
    r"(?:advertisement|ad|advertising|sponsored(?: content)?|story continues below|story continued below|"
    r"continue reading|read more|more|related|see also|also read|watch|listen|tags?|topics?|"
    r"share(?: this)?(?: article| story)?|print|email|e-mail|twitter|facebook|whatsapp|linkedin|reddit|"
    r"pocket|tweet|close|comments?|photos?|video|play facebook|copyright|all rights reserved|"
    r"trending|recommended|subscribe|newsletter|analysis/opinion|opinion|editor'?s note)"
    r"\s*[:.]?\s*(?:\W.{0,80})?", re.I)
_BOILERPLATE_START_RE = re.compile(
    r"(?:click here|sign up|subscribe|get (?:the|our) .{0,40}(?:newsletter|app)|download the|"
    r"follow (?:us|@)|like us on|watch the (?:clip|video)|read (?:the|more|or share)|"
    r"the associated press contributed|contact us at|this (?:story|article) (?:was|has been) "
    r"(?:updated|corrected)|©|\(c\) |copyright |all rights reserved|thanks for watching|"
    r"share this|support (?:our|independent) journalism|visit .{0,40}homepage|we may earn|"
    r"this (?:article|story) originally appeared|a version of this (?:article|story))", re.I)
_SEPARATOR_RE = re.compile(r"[\W_]+")  # "___", "* * *", "...", "—"
_PHOTO_CREDIT_RE = re.compile(
    r"(?:\(?(?:AP|Reuters|AFP|Getty)(?: Photo)?(?:/[^)]{0,40})?\)?|(?:Photo|Image|Credit|Photograph)"
    r"(?: by| credit)?\s*[:/]|.{0,200}(?:\((?:AP|Reuters|AFP) Photo[^)]{0,60}\)|Getty Images|"
    r"/ ?(?:AP|Reuters|AFP|Getty Images)|\bvia Getty\b)\W{0,3})", re.I)


def _maybe_photo_credit(s: str) -> bool:
    """Cheap necessary condition for ``_PHOTO_CREDIT_RE.fullmatch(s)``, whose ``.{0,200}`` branch is
    slow on prose: a credit holds "(" or "/", ends with ":", starts with an agency's first letter,
    or names Getty (``re.I`` matches "getty" only as upper/lower-case ASCII)."""
    return "(" in s or "/" in s or s.endswith(":") or s[:1] in "aArRgG" or "getty" in s.lower()


_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'\-]+|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,}|Mc[A-Z][a-z]+|O[’'][A-Z][a-z]+|de|van|von|da|del|la|le|bin|al|Jr\.?|Sr\.?|III|II)"
_NAME_LINE_RE = re.compile(_NAME_WORD + r"(?:[ -]" + _NAME_WORD + r"){0,4}(?:,? (?:[A-Z][\w.&’'-]*(?: |$)){1,4})?")
_TERMINALS = tuple(".!?\"”’:;)")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")


def _tokens_lower(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def _title_like(line: str) -> bool:
    words = _WORD_RE.findall(line)
    if not words or len(words) > 20:
        return False
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in _TITLE_SMALL)
    return caps / len(words) >= 0.8 and sum(1 for w in words if w[0].isupper()) >= 1


_TITLE_SMALL = frozenset("a an the and or but of in on at to for by from with vs via as is it its not".split())


def classify_line(line: str, *, first: bool = False, title: str | None = None) -> str:
    """Kind of a whole (stripped, normalised) line: one of records.SENTENCE_KINDS.

    ``first`` says the line is the article's first non-empty line (where headlines live);
    ``title`` is compared with it (token Jaccard >= 0.8 means the title repeated in the body).
    Rules are checked in order: metadata, byline, boilerplate, caption, headline, else prose.
    """
    s = line.strip()
    if not s:
        return "boilerplate"
    n = len(s)
    if _META_LINE_RE.fullmatch(s) or (n <= 80 and _SOURCE_LINE_RE.fullmatch(s) and s.endswith(":")):
        return "metadata"
    if n <= 120 and _BYLINE_RE.fullmatch(s) and (not s.endswith((".", "?", "!")) or len(s.split()) <= 6):
        return "byline"
    if _SEPARATOR_RE.fullmatch(s):
        return "boilerplate"
    if n <= 120 and _BOILERPLATE_RE.fullmatch(s) and len(s.split()) <= 12 and (
            len(s.split()) <= 3 or s.split()[0].rstrip(":.").isupper() or s.split()[0].endswith(":")):
        return "boilerplate"
    if _BOILERPLATE_START_RE.match(s) and n <= 300:
        return "boilerplate"
    if n <= 250 and _maybe_photo_credit(s) and _PHOTO_CREDIT_RE.fullmatch(s):
        return "caption"
    unpunct = not s.endswith(_TERMINALS) or s.endswith(("’", "”", '"')) and not s[:-1].endswith((".", "!", "?", ","))
    if first and title:
        a, b = _tokens_lower(s), _tokens_lower(title)
        if a and b and len(a & b) / len(a | b) >= 0.8:
            return "headline"
    if unpunct and n <= 100 and len(s.split()) >= 2 and s.isupper():
        return "headline"  # an all-caps section heading ("VOTER SUPPRESSION")
    if n <= 60 and unpunct and _NAME_LINE_RE.fullmatch(s):
        return "caption"
    if first and unpunct and _title_like(s):
        return "headline"
    if unpunct and n <= 100 and len(s.split()) <= 12 and not s.endswith(","):
        return "headline"  # a sub-heading ("What’s next", "Why there’s debate")
    return "prose"


# ---------------------------------------------------------------------------------------------
# 3. Sentence splitting
# ---------------------------------------------------------------------------------------------
# Written by hand: the offline, dependency-light splitters we know either mishandle quotations
# ("…?” she asked." split in two; the closing quote stranded at the start of the next sentence)
# or news abbreviations (Supt., Gov., J.B., U.S. mid-sentence), and the accurate ones need
# downloads (NLTK punkt, spaCy models). The rules below are linear in the text length.

#: abbreviations after which a period never ends a sentence when a word follows
_ABBREV = frozenset("""
mr mrs ms messrs dr prof sr jr supt gov sen rep reps sens st mt ft gen col lt sgt capt cmdr adm maj
cpl pvt rev hon pres atty amb sec treas insp det ofc dept assn univ bros vs v cf ca approx est fig
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
ave blvd rd hwy ln calif ala ariz ark colo conn del fla ga ill ind kan ky la md mass mich minn miss
mo mont neb nev okla ore pa tenn tex va vt wash wis wyo gov't no nos vol pp op ed al inc corp co ltd
ald prop props del supv comm commr
""".split())
#: abbreviations that can also end a sentence: split when a common sentence starter follows
_FINAL_ABBREV = frozenset("inc corp co ltd jr sr etc al".split())
#: abbreviations that need a following number ("No. 5", "Vol. 3", "p. 12")
_NUMBER_ABBREV = frozenset("no nos vol pp p art fig op prop props".split())
_STARTERS = frozenset("""
the a an he she it they we i you his her its their our this that these those there here but and so
yet or if when while after before since although though however meanwhile still in on at for as
according many some most one two no not mr mrs ms dr in what why how who where which despite
""".split())
_CANDIDATE_RE = re.compile(r"(?:[.!?]|…)+(?: (?:[.!?]|…)+)*[\"”’')\]]*")
_INITIALISM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?")
_OPENERS = "\"“‘'([¿¡—–-"


def _next_word(p: str, nxt: int) -> str:
    """The word starting at ``nxt`` ("" when ``p[nxt]`` is no letter)."""
    m = _WORD_RE.match(p, nxt) if p[nxt].isalpha() else None
    return m.group() if m else ""


def _is_boundary(p: str, m: re.Match, nxt: int) -> bool:
    """Decide whether the punctuation run ``m`` ending before position ``nxt`` ends a sentence."""
    c = p[nxt]
    if c.islower():
        return False  # "…?” she asked." / "Washington, D.C., in ..." / "U.S. city"
    punct = m.group()
    lead = punct[0]
    if lead in "!?":
        return True
    if lead == "…" or punct.startswith("..."):
        if "." in punct.lstrip(".…").replace(" ", ""):  # "come in … ." : the final period ends it
            return c.isupper() or c in _OPENERS or c.isdigit()
        return (c.isupper() and _next_word(p, nxt) != "I") or c in "\"“"
    # a single period: look at the word before it
    mstart = m.start()
    lo = mstart - 40 if mstart > 40 else 0
    ws = max(p.rfind(" ", lo, mstart), p.rfind("\n", lo, mstart))
    word = p[ws + 1:mstart].lstrip(_OPENERS)
    lw = word.lower()
    if c.isdigit():
        return lw not in _ABBREV and lw not in _NUMBER_ABBREV
    if lw in _NUMBER_ABBREV and lw not in _ABBREV:
        return True
    if lw in _FINAL_ABBREV:
        return _next_word(p, nxt).lower() in _STARTERS or c in _OPENERS
    if lw in _ABBREV:
        return False if lw not in ("no",) else _next_word(p, nxt).lower() in _STARTERS
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Pritzker", "Robert F. Kennedy"
    if "." in word and _INITIALISM_RE.fullmatch(word):
        # "J.B. Pritzker" stays; "... in the U.S. The letter" splits
        return _next_word(p, nxt).lower() in _STARTERS or c in _OPENERS
    return True


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of one paragraph, stripped of surrounding spaces.

    A sentence ends at ``.``, ``!``, ``?`` or an ellipsis, together with any closing quotes and
    brackets that follow, when whitespace and a plausible sentence start follow. Not a boundary:
    a lowercase continuation ("…?” she asked."), abbreviations and titles (Supt., Gov., Mr., St.,
    Jan., No. 5), single initials and initialisms before a name (J.B. Pritzker, U.S. city), and
    an ellipsis inside a sentence before "I" or a lowercase word. Decimals never match because a
    boundary needs whitespace after the punctuation.
    """
    spans: list[tuple[int, int]] = []
    n = len(paragraph)
    start = 0
    for m in _CANDIDATE_RE.finditer(paragraph):
        e = m.end()
        if e < n and not paragraph[e].isspace():
            continue
        nxt = e
        while nxt < n and paragraph[nxt].isspace():
            nxt += 1
        if nxt >= n:
            break
        if _is_boundary(paragraph, m, nxt):
            _add_span(paragraph, start, e, spans)
            start = nxt
    _add_span(paragraph, start, n, spans)
    return spans


def _add_span(p: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and p[a].isspace():
        a += 1
    while b > a and p[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


# ---------------------------------------------------------------------------------------------
# 4. Quotations
# ---------------------------------------------------------------------------------------------

_QUOTE_CHARS_RE = re.compile("[\"“”‘’«»„]")


def _quote_intervals(p: str) -> tuple[list[tuple[int, int]], bool]:
    """Intervals of ``p`` inside quotation marks (marks excluded) and whether a double quote is
    still open at the end of the paragraph (the quote continues into the next paragraph)."""
    out: list[tuple[int, int]] = []
    dbl: int | None = None  # start of open double quote
    sgl: int | None = None  # start of open single quote (only outside double quotes)
    n = len(p)
    for m in _QUOTE_CHARS_RE.finditer(p):
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
    inside = sum(b - a - text.count(" ", a, b) for a, b in spans)
    return max(0.0, min(1.0, inside / total))


# ---------------------------------------------------------------------------------------------
# 5. Speakers
# ---------------------------------------------------------------------------------------------

#: reporting verbs (all inflections listed, matched case-insensitively as whole words)
REPORTING_VERBS = frozenset("""
say says said saying tell tells told telling states stated write writes wrote written
add adds added ask asks asked explain explains explained notes noted claims claimed
admit admits admitted insist insists insisted theorize theorizes theorized theorise theorised
decry decries decried beg begs begged slam slams slammed concede concedes conceded argue argues
argued warn warns warned tweets tweeted posts posted announce announces announced
declare declares declared assert asserts asserted acknowledge acknowledges acknowledged
replied respond responds responded remarked comments
commented continued recall recalls recalled predict predicts predicted
suggest suggests suggested contend contends contended maintain maintains maintained
complain complains complained lament laments lamented urge urges urged vows vowed
promise promises promised pledged boast boasts boasted blasted
charged allege alleges alleged accuse accuses accused testify testifies testified
confirm confirms confirmed deny denies denied reiterate reiterates reiterated emphasize
emphasizes emphasized stressed observe observes observed recount recounts
recounted joked quipped shout shouts shouted yell yells yelled scream
screams screamed whisper whispers whispered mutter muttered exclaim exclaims exclaimed
retort retorts retorted countered protest protests protested demanded declare declared thunder thundered fume fumed snapped sneer sneered scoff scoffed
mock mocks mocked gush gushed railed rant ranted concluded conclude concludes agreed
 insisting wondered  mused  figured acknowledged estimated
reported revealed reveals reveal disclosed discloses disclose
""".split())
_VERB_RE = re.compile(r"\b(?:[Aa]ccording to|" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True))
                      + r")\b")
_PRONOUNS = frozenset("he she they i we you".split())
_DETERMINERS = frozenset("the a an his her their its our this that".split())
_SKIP_BEFORE = frozenset("""also then later previously earlier has had have was were is are will would
could might may once again further additionally reportedly publicly privately repeatedly simply
quickly flatly later, first last recently subsequently initially""".split())
_TOKEN_RE = re.compile(r"[A-Za-zÀ-ÿ][\wÀ-ÿ’'.\-]*|[^\sA-Za-zÀ-ÿ]")
_NOT_SUBJECT = frozenset("""it this that which who what there here  statement letter
order study memo document poll survey data figures""".split())
#: unnamed collective or role speakers ("officials said"): attributions to unnamed sources
_GENERIC_SPEAKERS = frozenset("""officials official sources source authorities experts critics analysts
residents witnesses aides spokesperson spokesman spokeswoman insiders observers""".split())

#: dates are no speakers ("Trump on Monday said", "said Tuesday", "according to a March report"). "May" is
#: left out (Theresa May); month names end a phrase but may start one ("April Powers" is a person)
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_MONTH_NAMES = frozenset("January February March April June July August September October November December"
                         .split())
#: words that open a date before a reporting verb ("on Monday", "last Thursday", "in early April")
_DATE_OPENERS = frozenset("on in last this next early late earlier later since until through by from".split())
_LEADING_WORDS = _DETERMINERS | _STARTERS  # dropped from the start of a capitalised run
_NOT_LAST_WORDS = _STARTERS | _NOT_SUBJECT  # a capitalised run ending in one is no speaker
_STARTERS_BUT_THE = _STARTERS - {"the"}


def _strip_possessive(w: str) -> str:
    return w[:-2] if w.endswith(("’s", "'s")) else w


def _date_word(tok: str, months: bool = True) -> bool:
    """A weekday (or month) name, possibly possessive ("Monday’s") or with a period or comma."""
    w = _strip_possessive(tok.rstrip(".,"))
    return w in _WEEKDAYS or (months and w in _MONTH_NAMES)


def _subject_before(masked: str, vstart: int) -> tuple[str | None, bool]:
    """Noun phrase right before a reporting verb: a run of capitalised words, "the president",
    or a pronoun. Returns (phrase, is_pronoun)."""
    window = masked[max(0, vstart - 80):vstart]
    toks = _TOKEN_RE.findall(window)
    while toks and toks[-1].lower() in _SKIP_BEFORE:
        if toks[-1] == "May" and len(toks) > 1 and toks[-2][:1].isupper():
            break  # a surname after a given name ("Theresa May said"), not the modal verb
        toks.pop()
    # a date between speaker and verb ("Trump on Monday said", "YouTube later Monday said") is skipped;
    # "Super Tuesday" is an event, not a date
    while toks and _date_word(toks[-1]) and not (len(toks) > 1 and toks[-2] == "Super"):
        toks.pop()
        while toks and (toks[-1].lower() in _DATE_OPENERS or toks[-1].lower() in _SKIP_BEFORE):
            toks.pop()
    if not toks:
        return None, False
    last = toks[-1]
    if last.lower() in _PRONOUNS:
        return (last if last == "I" else last.lower()), True
    if last.lower() in _GENERIC_SPEAKERS:  # "officials said", "City officials said", "sources say"
        role = [toks.pop()]
        while toks and len(role) < 4 and toks[-1][:1].isalpha() and toks[-1].lower() not in _STARTERS \
                and not _date_word(toks[-1]):
            role.append(toks.pop())
        return " ".join(reversed(role)), False
    caps: list[str] = []
    while toks and toks[-1][:1].isupper() and toks[-1][0].isalpha():
        caps.append(toks.pop())
        if len(caps) >= 7:
            break
    if caps:
        caps.reverse()
        while caps and (caps[0].lower() in _LEADING_WORDS or _date_word(caps[0], months=False)) and len(caps) > 1:
            caps.pop(0)  # sentence-initial "The", "But", "(On) Thursday"
        if caps and caps[-1].lower() not in _NOT_LAST_WORDS:
            phrase = " ".join(caps).rstrip(".,")
            return phrase, False
        return None, False
    # "the president", "the Illinois governor", "a spokeswoman"
    low: list[str] = []
    while toks and len(low) < 4 and toks[-1][:1].isalpha():
        t = toks.pop()
        low.append(t)
        if t.lower() in ("the", "a", "an", "his", "her", "their"):
            break
    if len(low) >= 2 and low[-1].lower() in ("the", "a", "an", "his", "her", "their") \
            and low[0].lower() not in _NOT_SUBJECT and low[0].isalpha():
        low.reverse()
        return " ".join(low), False
    return None, False


def _object_after(masked: str, vend: int) -> str | None:
    """Noun phrase right after a reporting verb ("said Peters", "according to ABC News")."""
    window = masked[vend:vend + 80]
    toks = _TOKEN_RE.findall(window)
    out: list[str] = []
    for t in toks:
        if _date_word(t, months=False):
            break  # "said Tuesday", "told Fox News Monday"
        if t[:1].isupper() or (out and t.lower() in ("of", "for", "and", "the")) or \
                (not out and t.lower() in ("the", "a", "an")):
            out.append(t)
            if len(out) >= 8:
                break
        elif out and out[-1].lower() in ("the", "a", "an") and t[:1].isalpha():
            out.append(t)
            break
        else:
            break
    while out and (out[-1].lower() in ("of", "for", "and", "the", "a", "an") or _date_word(out[-1])):
        out.pop()  # "according to a March report": no named source
    if not out:
        return None
    if out[0].lower() in _PRONOUNS and len(out) == 1:
        return None
    return _strip_possessive(" ".join(out).rstrip(".,"))


_RUN_RE = re.compile(r"\w+")
_VERB_WORDS = REPORTING_VERBS | {"according", "According"}


def _verb_matches(masked: str, verbs: Iterable[str] | None = None) -> list[tuple[int, int, str]]:
    r"""The matches of ``_VERB_RE`` (lower-case reporting verbs as whole words, "[Aa]ccording to"),
    in text order: the same spans, several times faster than the alternation.

    ``verbs`` are the words of ``_VERB_WORDS`` the text may hold (a superset, e.g. those of its
    paragraph); by default they are found by a set lookup over the word runs. Each is then located
    with ``str.find`` and kept when it is a whole run (no ``\w`` character on either side)."""
    if verbs is None:
        verbs = _VERB_WORDS.intersection(_RUN_RE.findall(masked))
    out = []
    n = len(masked)
    for w in verbs:
        i = masked.find(w)
        while i >= 0:
            e = i + len(w)
            if (i == 0 or not _is_word_char(masked[i - 1])) and (e == n or not _is_word_char(masked[e])):
                if w in REPORTING_VERBS:
                    out.append((i, e, w))
                elif masked.startswith(" to", e) and (e + 3 == n or not _RUN_RE.match(masked, e + 3)):
                    out.append((i, e + 3, masked[i:e + 3]))  # "according to"
            i = masked.find(w, e)  # a whole-run match cannot start inside a word match
    if len(out) > 1:
        out.sort()
    return out


#: bytes table keeping ASCII letters and turning every other byte into a space
_ASCII_LETTERS_ONLY = bytes(b if chr(b).isascii() and chr(b).isalpha() else 32 for b in range(256))
_VERB_BYTES = {w.encode(): w for w in _VERB_WORDS}
_VERB_BYTES_SET = frozenset(_VERB_BYTES)


def _verbs_in(text: str) -> set[str]:
    r"""The words of ``_VERB_WORDS`` that may occur in ``text`` as whole word runs (a superset).

    A verb run is all ASCII letters with no ``\w`` character on either side, so it is a maximal run
    of ASCII letters of the UTF-8 bytes (non-ASCII characters encode to bytes >= 0x80): one
    translate and split in C, about three times faster than ``_RUN_RE.findall``."""
    runs = text.encode("utf-8", "surrogatepass").translate(_ASCII_LETTERS_ONLY).split()
    return {_VERB_BYTES[b] for b in _VERB_BYTES_SET.intersection(runs)}


def _is_word_char(c: str) -> bool:
    r"""``re``'s ``\w`` for one character of a str pattern."""
    return c.isalnum() or c == "_"


def _find_speaker(text: str, spans: list[tuple[int, int]], verbs: Iterable[str] | None = None):
    """(speaker, verb, (start, end), is_pronoun) found outside the quotations of ``text``;
    ``verbs`` as in :func:`_verb_matches`."""
    if spans:
        parts = []
        prev = 0
        for a, b in sorted(spans):
            a = max(a, prev)
            if b <= a:
                continue
            parts.append(text[prev:a])
            parts.append("\x01" * (b - a))
            prev = b
        parts.append(text[prev:])
        masked = "".join(parts)
    else:
        masked = text
    best = None
    best_dist = None
    for m_start, m_end, verb in _verb_matches(masked, verbs):
        who: str | None
        pron = False
        if verb.lower() == "according to":
            who = _object_after(masked, m_end)
        else:
            if verb[0].isupper() and m_start == 0 and verb.lower() not in ("said", "says"):
                continue
            who, pron = _subject_before(masked, m_start)
            before = masked[:m_start].rstrip()
            if who is None and (not before or before[-1] in ',”"\x01—–:'):
                who = _object_after(masked, m_end)
                if who is not None and who.split()[0].lower() in _STARTERS_BUT_THE:
                    who = None
        if who is None:
            continue
        dist = min((min(abs(m_start - b), abs(a - m_end)) for a, b in spans), default=0)
        if best is None or best_dist is None or dist < best_dist:
            best, best_dist = (who, verb, (m_start, m_end), pron), dist
            if not spans:
                break
    return best


# ---------------------------------------------------------------------------------------------
# 6. Language heuristic
# ---------------------------------------------------------------------------------------------

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
    n_fw = sum(map(raw.count, _SPACED_FUNCTION_WORDS))
    if n_fw < 20:
        return False
    view = raw.translate(_ASCII_WORD_CHARS)
    max_words = view.count(b" a") + view.startswith(b"a") + len(raw) - len(low)
    return n_fw * 10_000 >= 801 * max_words


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


# ---------------------------------------------------------------------------------------------
# 7. The article
# ---------------------------------------------------------------------------------------------

def prepare_article(article_id: str, text: str, *, title: str | None = None,
                    outlet: str | None = None) -> PreparedArticle:
    """Normalise ``text`` and split it into classified sentences with quotes and speakers.

    Returns a :class:`PreparedArticle` whose ``text`` is the normalised text; every sentence
    satisfies ``article.text[s.start:s.end] == s.text``. ``meta["status"]`` is set to
    ``"no_prose"`` when no prose sentence remains, ``"not_english"`` when
    :func:`detect_language` says "other" for the prose (``meta["status_detail"]`` explains).
    """
    if not isinstance(text, str):
        raise TypeError(f"Invalid text={text!r} for article_id={article_id!r}: expected str")
    norm = normalize(text)
    sents: list[Sentence] = []
    meta: dict = {}
    pos = 0
    para_i = -1
    first = True
    prev_open_speaker: str | None = None  # speaker of a quote left open by the previous paragraph
    prev_para_quote_speaker: str | None = None  # speaker of the previous paragraph's quotes
    prev_para_speaker: str | None = None  # last speaker of the previous prose paragraph
    last_named: str | None = None
    lines = norm.split("\n")
    single_line = sum(1 for ln in lines if ln.strip()) == 1
    verbs = _verbs_in(norm)  # a sentence holding none of them has no speaker: skips _find_speaker
    for line in lines:
        lstart = pos
        pos += len(line) + 1
        if not line:
            continue
        para_i += 1
        body_off = 0
        mp = _META_PREFIX_RE.match(line)
        if mp and mp.end() < len(line):
            end = mp.end()
            while end > 0 and line[end - 1] == " ":
                end -= 1
            sents.append(Sentence(index=len(sents), text=line[:end], start=lstart, end=lstart + end,
                                  paragraph=para_i, kind="metadata"))
            body_off = mp.end()
        body = line[body_off:]
        kind = classify_line(body, first=first, title=title)
        if single_line and kind in ("headline", "caption"):
            kind = "prose"  # a one-line text (a tweet, a one-sentence item) is its own body, not a title
        first = False
        if kind != "prose":
            sents.append(Sentence(index=len(sents), text=body, start=lstart + body_off,
                                  end=lstart + len(line), paragraph=para_i, kind=kind))
            if kind != "caption":
                prev_open_speaker = prev_para_quote_speaker = prev_para_speaker = None
            continue
        intervals, still_open = _quote_intervals(body)
        para_verbs = [v for v in verbs if v in body]
        para_sents: list[Sentence] = []
        for a, b in split_sentences(body):
            st = body[a:b]
            if intervals:
                spans = tuple((max(x, a) - a, min(y, b) - a) for x, y in intervals if x < b and y > a
                              and min(y, b) > max(x, a))
                in_quote = _in_quote_share(st, list(spans)) if spans else 0.0
            else:
                spans, in_quote = (), 0.0
            s = Sentence(index=len(sents), text=st, start=lstart + body_off + a,
                         end=lstart + body_off + b, paragraph=para_i, kind="prose",
                         in_quote=in_quote, quote_spans=spans)
            found = (_find_speaker(st, list(spans), para_verbs)
                     if para_verbs and any(map(st.__contains__, para_verbs)) else None)
            if found:
                who, verb, vspan, pron = found
                if pron and who in ("he", "she") and last_named:
                    who = last_named
                elif not pron and who[:1].isupper() and verb.lower() != "according to":
                    last_named = who
                s.speaker, s.speaker_verb, s.speaker_verb_span = who, verb, vspan
            sents.append(s)
            para_sents.append(s)
        if not intervals:  # no quotation: nothing to inherit, no quote speaker to pass on
            named = [s.speaker for s in para_sents if s.speaker]
            prev_open_speaker = prev_para_quote_speaker = None
            prev_para_speaker = named[-1] if named else None
            continue
        # inheritance: quoted sentences without attribution
        para_speaker = next((s.speaker for s in para_sents if s.speaker and s.quote_spans), None)
        carry = prev_open_speaker
        starts_quoted = bool(intervals) and intervals[0][0] <= 1
        for s in para_sents:
            if s.speaker is None and s.quote_spans:
                inherited = carry or para_speaker or (prev_para_speaker if starts_quoted else None)
                if inherited:
                    s.speaker = inherited
            if s.quote_spans:
                carry = s.speaker or carry
        quote_speakers = [s.speaker for s in para_sents if s.quote_spans and s.speaker]
        prev_para_quote_speaker = quote_speakers[-1] if quote_speakers else None
        prev_open_speaker = prev_para_quote_speaker if still_open else None
        named = [s.speaker for s in para_sents if s.speaker]
        prev_para_speaker = prev_para_quote_speaker or (named[-1] if named else None)
    prose = [s for s in sents if s.kind == "prose"]
    if not prose:
        meta["status"] = "no_prose"
        meta["status_detail"] = ("no prose sentence: every line was classified as "
                                 + (", ".join(sorted({s.kind for s in sents})) or "empty"))
    else:
        lang = detect_language(" ".join(s.text for s in prose))
        meta["language"] = lang
        if lang == "other":
            meta["status"] = "not_english"
            meta["status_detail"] = ("prose looks non-English: mostly non-Latin script or fewer than "
                                     "8% common English function words (biascmp.prepare.detect_language)")
    return PreparedArticle(article_id, norm, sents, title=title, outlet=outlet, meta=meta)
