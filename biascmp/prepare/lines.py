"""Step 2: classify each line (paragraph) as prose or as metadata, byline, headline, caption or boilerplate."""

from __future__ import annotations

import re

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
    or ends with Getty: "Getty Images" or "via Getty" and at most 3 more characters, so "getty" lies in
    the last 15 (``re.I`` matches "getty" only as upper/lower-case ASCII)."""
    return "(" in s or "/" in s or s.endswith(":") or s[:1] in "aArRgG" or "getty" in s[-15:].lower()


_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'\-]+|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,}|Mc[A-Z][a-z]+|O[’'][A-Z][a-z]+|de|van|von|da|del|la|le|bin|al|Jr\.?|Sr\.?|III|II)"
_NAME_LINE_RE = re.compile(_NAME_WORD + r"(?:[ -]" + _NAME_WORD + r"){0,4}(?:,? (?:[A-Z][\w.&’'-]*(?: |$)){1,4})?")
_TERMINALS = tuple(".!?\"”’:;)")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")


_ALNUM_RUN_RE = re.compile(r"[^\W_]+")


def _tokens_lower(text: str, limit: int | None = None) -> set[str]:
    """The lower-cased letter/digit runs of ``text``; with ``limit``, tokenising stops once more than
    ``limit`` distinct ones are found. (The title test needs no more: when the line has over 5/4 as many
    distinct tokens as the title, |a & b| / |a | b| <= |b| / |a| < 0.8.)"""
    if limit is None:
        return {w.lower() for w in _ALNUM_RUN_RE.findall(text)}
    out: set[str] = set()
    for m in _ALNUM_RUN_RE.finditer(text):
        out.add(m.group().lower())
        if len(out) > limit:
            break
    return out


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
    if n > 300 and not first:  # every rule below needs a short line or the first one
        return "prose"
    if n <= 120 and _BOILERPLATE_RE.fullmatch(s) and len(s.split()) <= 12 and (
            len(s.split()) <= 3 or s.split()[0].rstrip(":.").isupper() or s.split()[0].endswith(":")):
        return "boilerplate"
    if n <= 300 and _BOILERPLATE_START_RE.match(s):
        return "boilerplate"
    if n <= 250 and _maybe_photo_credit(s) and _PHOTO_CREDIT_RE.fullmatch(s):
        return "caption"
    unpunct = not s.endswith(_TERMINALS) or s.endswith(("’", "”", '"')) and not s[:-1].endswith((".", "!", "?", ","))
    if first and title:
        b = _tokens_lower(title)
        a = _tokens_lower(s, limit=len(b) * 5 // 4)
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
