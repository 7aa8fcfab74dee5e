"""Names do not carry sentiment: which words of a sentence sit inside a multi-word proper name.

VADER scores words, and many names are made of its lexicon's words: "Department of Homeland
*Security*", "Naval Station *Great* Lakes", "*United* States", "*Justice* Department", "*Liberty*
University". Left alone, a memo from DHS about a naval station becomes the most positive sentence of an
article. :func:`mask_names` marks those words so that the sentiment family gives them no valence.

The rule (pure, on a sentence's VADER tokens, i.e. vaderSentiment's ``words_and_emoticons``: whitespace
tokens with surrounding punctuation stripped unless that leaves two characters or fewer):

1. A token is *name-like* when its core (the token without surrounding punctuation) starts with an
   upper-case letter and is not ALL CAPS (so "GREAT" shouted is not a name), or when it is an initial
   ("F.", "J.B."). The pronoun "I" ("I'm", "I've", "I'll", "I'd") is never name-like.
2. A *name* is a maximal run of name-like tokens, where the lower-case words "of" and "the" (one or
   both, "of the") may join two name-like tokens ("Department of Homeland Security", "Bank of the
   West", "Alexander the Great").
3. The *sentence start* is the first token with a letter. It is capitalised by grammar, so it is never
   masked itself, but it counts as a member of a name ("United States officials": "States").
4. Every name-like token of a name with at least two name-like members is masked, except the sentence
   start. Connectors ("of", "the") are never masked.
5. A name-like word repeated next to itself ("Damn Damn Damn", "Blah Blah") is emphasis, not a name: it
   is not name-like (so it neither is masked nor joins a neighbouring name).

What masking means (the same in :mod:`biascmp.vader_fast` and any other scorer): a masked word's own
sentiment is 0 (as if its lexicon valence were 0 and no rule could change it), so it counts as a
neutral word in pos/neu/neg; every other VADER rule is unchanged, including rules that read a masked word
as the context of another word. A text made of several sentences is masked sentence by sentence (the
concatenation of each sentence's mask), so a word that opens a later sentence is still a sentence start.

Known limits, by design of a rule without a model: a one-word name ("Liberty said") is not masked; a
name at the very start ("Great Lakes Naval Station ...") keeps its first word; a Title Case headline or
tweet ("Happy Birthday To My Best Friend") reads as one long name, so its capitalised words after the
first are masked.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import lru_cache

_PUNCT = string.punctuation + "“”‘’«»…—–"
#: lower-case words that may join two name-like words inside a name
CONNECTORS = frozenset({"of", "the"})
#: the pronoun I and its contractions (never part of a name)
_PRONOUN_I = frozenset({"I", "I'm", "I’m", "I've", "I’ve", "I'll", "I’ll", "I'd", "I’d"})
#: a quick test that passes whenever a name may exist (a superset of the rule, never narrower): two
#: tokens whose first character after leading punctuation is a letter other than a-z, next to each other
#: or joined by one or two "of"/"the"
_CAP = r"(?:[^\w\s]|_)*[^\W\d_a-z]"
_MAYBE_NAME = re.compile(r"(?:^|\s)" + _CAP + r"\S*\s+(?:(?:of|the)\s+){0,2}" + _CAP)
_INITIAL = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?|[A-Z](?:\.[A-Z])+")


@lru_cache(maxsize=16384)
def _kind(word: str) -> tuple[int, str]:
    """(1 name-like / 2 connector / 0 other, the word without surrounding punctuation); cached per token."""
    return (1 if _name_like(word) else 2 if word in CONNECTORS else 0), word.strip(_PUNCT)


def _name_like(word: str) -> bool:
    core = word.strip(_PUNCT)
    if not core or not core[0].isupper() or core in _PRONOUN_I:
        return False
    if any(ch.islower() for ch in core):
        return True  # "Security", "McDonald's", "DeSantis"
    # ALL CAPS: shouting ("GREAT") or an acronym, not a name word; initials ("F.", "J.B.") are
    return "." in word and _INITIAL.fullmatch(word.strip("".join(set(_PUNCT) - {"."}))) is not None


def _kinds(kinds: list[int], cores: list[str]) -> list[int]:
    """Per token: 1 name-like, 2 connector, 0 anything else (a name-like word next to itself: 0)."""
    n = len(kinds)
    return [0 if k == 1 and ((j > 0 and kinds[j - 1] == 1 and cores[j - 1] == cores[j])
                             or (j + 1 < n and kinds[j + 1] == 1 and cores[j + 1] == cores[j])) else k
            for j, k in enumerate(kinds)]


def mask_names(words: Sequence[str]) -> list[bool]:
    """True for each token of one sentence that lies inside a multi-word name (see the module docstring).

    ``words`` are the sentence's VADER tokens (:func:`biascmp.vader_fast.words`). The result has one
    boolean per token, in order."""
    n = len(words)
    mask = [False] * n
    if not _MAYBE_NAME.search(" ".join(words)):
        return mask  # no two capitalised words next to each other or joined by "of"/"the"
    pairs = list(map(_kind, words))
    kinds = [p[0] for p in pairs]
    if kinds.count(1) < 2:
        return mask  # a name needs two name-like words
    start = next((k for k, w in enumerate(words) if any(ch.isalpha() for ch in w)), n)
    kinds = _kinds(kinds, [p[1] for p in pairs])
    if kinds.count(1) < 2:
        return mask
    k = 0
    while k < n:
        if kinds[k] != 1:
            k += 1
            continue
        members = [k]  # a run starts at a name-like token
        j = k + 1
        while j < n:
            if kinds[j] == 1:
                members.append(j)
                j += 1
                continue
            # one or two connectors followed by a name-like token continue the name
            if kinds[j] == 2:
                nxt = j + 1 if j + 1 < n and kinds[j + 1] != 2 else j + 2
                if nxt < n and kinds[nxt] == 1:
                    j = nxt
                    continue
            break
        if len(members) >= 2:
            for m in members:
                if m != start:
                    mask[m] = True
        k = j
    return mask
