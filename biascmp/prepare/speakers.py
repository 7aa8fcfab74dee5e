"""Step 5: speakers: a reporting verb next to a name or noun phrase gives a sentence its speaker."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from .sentences import _STARTERS

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


@lru_cache(maxsize=1 << 16)  # a pure function of the token, called in the subject loops
def _date_word(tok: str, months: bool = True) -> bool:
    """A weekday (or month) name, possibly possessive ("Monday’s") or with a period or comma."""
    w = _strip_possessive(tok.rstrip(".,"))
    return w in _WEEKDAYS or (months and w in _MONTH_NAMES)


_SPACE_RE = re.compile(r"\s")
#: characters before the verb tokenised first (the 80 of the rule only when these do not decide)
_SHORT_WINDOW = 40


def _subject_before(masked: str, vstart: int) -> tuple[str | None, bool]:
    """Noun phrase right before a reporting verb: a run of capitalised words, "the president",
    or a pronoun, looked for among the tokens of the 80 characters before it. Returns (phrase, is_pronoun).

    The rule reads those tokens from the end and only ever looks at the last two left. So the tokens of a
    shorter window are tried first: those after its first whitespace are the 80-character window's last
    tokens (no token holds whitespace), and when at least two of them are left over, the rule never
    looked further and the result is the same. And the rule stops at a masked quotation character: the
    token "\x01" (a token of its own) passes none of its tests, so the tokens before the window's last
    "\x01" are never read (a quotation masked before the verb yields one token per character)."""
    lo = max(0, vstart - 80)
    barrier = masked.rfind("\x01", lo, vstart)
    if barrier >= 0:
        lo = barrier
    if vstart - _SHORT_WINDOW > lo:
        ws = _SPACE_RE.search(masked, vstart - _SHORT_WINDOW, vstart)
        if ws is not None:
            toks = _TOKEN_RE.findall(masked, ws.end(), vstart)
            found = _subject_from_tokens(toks)
            if len(toks) >= 2:
                return found
    return _subject_from_tokens(_TOKEN_RE.findall(masked, lo, vstart))


def _subject_from_tokens(toks: list[str]) -> tuple[str | None, bool]:
    """:func:`_subject_before` on the window's tokens (pops the ones it reads from ``toks``)."""
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


_VERB_MAX = max(map(len, _VERB_WORDS))


def _verb_key(length, first, second, last):  # on ints and on numpy arrays alike; letters as byte & 31
    return ((length * 32 + (first & 31)) * 32 + (second & 31)) * 32 + (last & 31)


#: (length, first, second, last letter) of some verb, letters case-folded: a cheap filter before the lookup
_VERB_KEYS = np.zeros(_verb_key(_VERB_MAX + 2, 0, 0, 0), bool)
for _w in _VERB_WORDS:
    _VERB_KEYS[_verb_key(len(_w), ord(_w[0]), ord(_w[1]), ord(_w[-1]))] = True
#: texts shorter than this take _verbs_in per paragraph (numpy's per-call cost)
VERBS_BY_LINE_MIN = 1500


def _verbs_by_line(text: str) -> dict[int, set[str]]:
    """``{i: _verbs_in(line)}`` for the lines of ``text.split("\\n")`` that hold a verb (a line's verbs are
    the maximal ASCII-letter runs of it that are words of ``_VERB_WORDS``; no run crosses a newline).

    One numpy pass over the UTF-8 bytes of the whole text instead of a translate/split per line: the runs
    are cut from the letter mask, and only those whose length, first, second and last letter fit some verb
    are looked up (about 40 of ~1,000 runs in a news article)."""
    raw = text.encode("utf-8", "surrogatepass")
    b = np.frombuffer(raw + b"\0", np.uint8)  # a non-letter after the last run: starts + 1 stays in range
    letter = np.zeros(len(b) + 1, bool)
    np.less((b | 32) - 97, 26, out=letter[1:])  # ASCII letters (uint8: every other byte wraps to >= 26)
    edges = np.flatnonzero(letter[1:] != letter[:-1])
    starts, ends = edges[0::2], edges[1::2]
    length = np.minimum(ends - starts, _VERB_MAX + 1)  # no verb has the length of a shorter or longer run
    low5 = b & 31  # a letter's place in the alphabet, either case
    hit = np.flatnonzero(_VERB_KEYS[_verb_key(length, low5[starts], low5[starts + 1], low5[ends - 1])])
    out: dict[int, set[str]] = {}
    if not hit.size:
        return out
    starts, ends = starts[hit], ends[hit]
    line_of = np.searchsorted(np.flatnonzero(b == 10), starts)  # the newlines before the run
    get = _VERB_BYTES.get
    for s, e, li in zip(starts.tolist(), ends.tolist(), line_of.tolist()):
        w = get(raw[s:e])
        if w is not None:
            if li in out:
                out[li].add(w)
            else:
                out[li] = {w}
    return out


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
            if who is None:
                j = m_start  # masked[:m_start].rstrip() ends at j
                while j and masked[j - 1].isspace():
                    j -= 1
            if who is None and (not j or masked[j - 1] in ',”"\x01—–:'):
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
