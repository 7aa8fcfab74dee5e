"""Alias matching in biascmp.actors: the fast forms find exactly what one plain alternation regex finds.

The plain forms below are built here the straightforward way (one ``(?<![\\w-])(?:a|b|...)(?![\\w-]*\\w)``
regex, the titled-person regex with its lookahead and optional prefix) and are the reference the fast
forms (lookbehind after the first character, per-alias ``str.find`` scans, one scan of joined sentences)
must equal, on generated texts full of the characters where they could differ.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp import actors as A
from biascmp.prepare import prepare_article
from biascmp.records import Options

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def _plain_regex(actors):
    """The matcher's alternation written plainly: longest alias first, lower-case aliases in any case."""
    parts = {}
    for _name, aliases in actors:
        for a in aliases:
            key = " ".join(a.split())
            if key:
                body = r"\s+".join(re.escape(w) for w in key.split())
                parts[(key.islower(), key)] = f"(?i:{body})" if key.islower() else body
    order = sorted(parts, key=lambda t: (-len(t[1]), t[1], t[0]))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts[k] for k in order) + r")(?![\w-]*\w)") if parts else None


def _plain_find(actors, text):
    """(start, end, names) of every hit, names looked up as the module documents (exact, then folded)."""
    rx = _plain_regex(actors)
    if rx is None:
        return []
    exact, folded = {}, {}
    for name, aliases in actors:
        for a in aliases:
            key = " ".join(a.split())
            if key:
                table, k = (folded, key.lower()) if key.islower() else (exact, key)
                table.setdefault(k, [])
                if name not in table[k]:
                    table[k].append(name)
    out = []
    for m in rx.finditer(text):
        key = " ".join(m.group().split())
        names = exact.get(key, []) + [n for n in folded.get(key.lower(), []) if n not in exact.get(key, [])]
        if names:
            out.append((m.start(), m.end(), names))
    return out


# texts and aliases over a small alphabet with the characters where the forms could differ: letters that
# re folds onto ASCII ("İ", "ı", Kelvin sign, long s), hyphens, underscores, digits, apostrophes, dots,
# and several kinds of whitespace (newline, no-break space)
_ALPHA = "aAbBiIkKsS\u0130\u0131\u212a\u017fé-_1'. \n\u00a0"
_WORDS = st.text(alphabet="aAbBiIkKsS\u0130\u0131\u212a\u017fé-_1'.", min_size=1, max_size=3)
_ALIAS = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_ACTORS = st.lists(st.tuples(st.sampled_from(["P", "Q", "R"]), st.lists(_ALIAS, min_size=1, max_size=3)),
                   min_size=1, max_size=4).map(lambda xs: A.normalise_actors({n: als for n, als in xs}))


def _texts_with(actors, max_parts=12):
    """Texts made of the actors' alias words (in any case), stray characters and separators, so that
    aliases hit often, at text edges, next to hyphens and underscores, across whitespace."""
    words = sorted({w for _, als in actors for a in als for w in a.split()})
    piece = st.one_of(st.sampled_from(words), st.sampled_from(words).map(str.upper),
                      st.sampled_from(words).map(str.lower), st.text(alphabet=_ALPHA, max_size=3))
    sep = st.sampled_from([" ", " ", "  ", "\n", "", "-", "_", "'", "\u00a0", "."])
    return st.lists(st.tuples(piece, sep), max_size=max_parts).map(lambda xs: "".join(p + s for p, s in xs))


def test_folds_are_what_re_matches_case_insensitively():
    """_FOLDS lists, for each ASCII lower-case letter, every code point (?i:letter) matches."""
    any_letter = re.compile("(?i:[a-z])")
    hits = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and any_letter.fullmatch(chr(c))]
    for letter in string.ascii_lowercase:
        one = re.compile(f"(?i:{letter})")
        assert sorted(c for c in hits if one.fullmatch(c)) == sorted(A._FOLDS[letter]), letter


@settings(max_examples=300, deadline=None)
@given(actors=_ACTORS, data=st.data())
def test_fast_matchers_equal_the_plain_alternation(actors, data):
    text = data.draw(_texts_with(actors))
    want = _plain_find(actors, text)
    assert A._Matcher(actors).find(text) == want  # one compiled regex in the fast form
    assert A._Matcher(actors, compiled=False).find(text) == want  # alias by alias, str.find


@settings(max_examples=300, deadline=None)
@given(actors=_ACTORS, data=st.data())
def test_one_scan_of_joined_parts_equals_a_scan_of_each(actors, data):
    parts = data.draw(st.lists(_texts_with(actors, 4), max_size=5))
    want = [_plain_find(actors, p) for p in parts]
    for compiled in (True, False):
        m = A._Matcher(actors, compiled=compiled)
        assert m.find_joined(" ".join(parts), parts) == want
        assert m.speakers(parts) == {p: {n for _, _, ns in hits for n in ns} for p, hits in zip(parts, want)}


def test_a_hit_across_two_sentences_is_not_counted_in_either():
    actors = A.normalise_actors({"P": ["the president"], "T": ["the"]})
    parts = ["It was the", "President who spoke.", "the end"]
    for compiled in (True, False):
        got = A._Matcher(actors, compiled=compiled).find_joined(" ".join(parts), parts)
        assert got == [[(7, 10, ["T"])], [], [(0, 3, ["T"])]]


def _plain_titled():
    return re.compile("(?=[A-Z])" + A.TITLES + A._AFTER_TITLE)


def _plain_institutions():
    als = sorted(A._INSTITUTION_OF, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?i:{re.escape(a)})" if a.islower() else re.escape(a)
                                                  for a in als) + r")(?![\w-]*\w)")


_NEWS = st.lists(st.sampled_from(
    ["Mayor", "Lori", "Lightfoot", "Former", "Vice", "President", "Donald", "J.", "Trump's", "Gov.", "J.B.",
     "Pritzker", "Lt.", "Chicago", "Police", "Chief", "David", "Brown", "police", "POLICE", "ICE", "ice",
     "National", "Guard", "Ex-", "U.S.", "Sen.", "O'Brien", "DeSantis", "said", "-", "the", "Department",
     "of", "Justice", "Homeland", "Security", "CPD", "\n", ",", "Rep.", "State's", "Attorney", "Kim"]),
    max_size=30).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=_NEWS)
def test_proposal_regexes_equal_their_plain_forms(text):
    def spans(rx):
        return [(m.span(), m.groups()) for m in rx.finditer(text)]

    assert spans(A._TITLED_RE) == spans(_plain_titled())
    assert spans(A._INSTITUTIONS_RE) == spans(_plain_institutions())


def test_proposal_regexes_on_the_seeds():
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for fast, plain in ((A._TITLED_RE, _plain_titled()), (A._INSTITUTIONS_RE, _plain_institutions())):
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
                   [(m.span(), m.groups()) for m in plain.finditer(text)]


def test_measure_with_either_matcher_is_the_same(monkeypatch):
    """The family's output does not depend on which matcher form runs (given lists use the compiled one,
    proposals the uncompiled one): each list through both."""
    arts = [prepare_article(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]
    lists = [Options(), Options(actors=A.normalise_actors(
        {"Trump": ["Trump", "President Trump", "the president"], "Police": ["police", "CPD"], "ICE": ["ICE"],
         "Lightfoot": ["Lightfoot", "Lori Lightfoot", "the mayor"]}))]
    real = A._matcher
    for opts in lists:
        results = {}
        for compiled in (True, False):
            A._MATCHERS.clear()
            monkeypatch.setattr(A, "_matcher", lambda actors, compiled_=compiled, **_: real(actors, compiled=compiled_))
            results[compiled] = [A.measure(a, options=opts) for a in arts]
        monkeypatch.setattr(A, "_matcher", real)
        assert results[True] == results[False]
        assert sum(len(r.evidence) for r in results[True]) > 20  # the seeds do name these actors


def test_letters_re_folds_onto_ascii_match_case_insensitive_aliases():
    """"ı", "İ", "ſ" and the Kelvin sign match "i", "s", "k" in a lower-case alias, as in re (a hit whose
    text does not lower-case to the alias then names nobody, as before)."""
    actors = A.normalise_actors({"P": ["kiss", "police"]})
    plain = _plain_regex(actors)
    for text in ["\u212ai\u017fs me", "K\u0131SS", "k\u0130ss", "pol\u0130ce said", "pol\u0131ce", "the police",
                 "\u017f kiss"]:
        want = [m.span() for m in plain.finditer(text)]
        assert want, text  # each of these is a hit for re
        for compiled in (True, False):
            m = A._Matcher(actors, compiled=compiled)
            assert m.spans(text) == want, (text, compiled)
            assert m.find(text) == _plain_find(actors, text), (text, compiled)
