"""Step 3: split a prose paragraph into sentences (abbreviations, initials, numbers and quotes handled)."""

from __future__ import annotations

import re

from .lines import _WORD_RE

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
_ANY_ABBREV = _ABBREV | _FINAL_ABBREV | _NUMBER_ABBREV
_STARTERS = frozenset("""
the a an he she it they we i you his her its their our this that these those there here but and so
yet or if when while after before since although though however meanwhile still in on at for as
according many some most one two no not mr mrs ms dr in what why how who where which despite
""".split())
#: a run of sentence-final punctuation with the closing quotes/brackets after it. Written ``[.!?…][.!?…]*``
#: rather than ``(?:[.!?]|…)+`` (the same matches): a pattern that opens with a character set lets ``re``
#: skip to the next candidate character in C, about twice as fast on prose
#: The lookahead group captures the whitespace after the run (its end is where the next sentence starts).
_CANDIDATE_RE = re.compile(r"[.!?…][.!?…]*(?: [.!?…]+)*[\"”’')\]]*(?=(\s*))")
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
    if lw in _ANY_ABBREV:  # the abbreviation rules (one set lookup for the ordinary words)
        if c.isdigit():
            return lw not in _ABBREV and lw not in _NUMBER_ABBREV
        if lw in _NUMBER_ABBREV and lw not in _ABBREV:
            return True
        if lw in _FINAL_ABBREV:
            return _next_word(p, nxt).lower() in _STARTERS or c in _OPENERS
        if lw in _ABBREV:
            return False if lw not in ("no",) else _next_word(p, nxt).lower() in _STARTERS
    elif c.isdigit():
        return True
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
        nxt = m.end(1)  # after the whitespace that follows the run
        e = m.end()
        if nxt == e:  # no whitespace after the run: no boundary, or the paragraph's end
            if e < n:
                continue
            break
        if nxt >= n:
            break
        if not paragraph[nxt].islower() and _is_boundary(paragraph, m, nxt):  # (lowercase: never one)
            a = start
            while a < e and paragraph[a].isspace():
                a += 1
            if e > a:  # _add_span(paragraph, start, e, spans): the run's last character is no space
                spans.append((a, e))
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
