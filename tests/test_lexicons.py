"""User lexicons: analyze(lexicons=...) and the CLI's --lexicon replace a family's built-in list."""

from __future__ import annotations

import pandas as pd
import pytest

import biascmp
from biascmp.cli import main
from biascmp.lexicons import REPLACEABLE, LexiconError, builtin_dir

ARTICLES = pd.DataFrame({"outlet": ["A", "B"],
                         "text": ["The zorbly plan failed. Officials met on Monday to talk about it.",
                                  "The plan failed. Officials met on Monday to talk about it."]})


def _user_loaded(tmp_path):
    header = [ln for ln in (builtin_dir() / "loaded.csv").read_text(encoding="utf-8").splitlines()
              if ln.startswith("#")]
    path = tmp_path / "my_loaded.csv"
    path.write_text("\n".join([*header, "term,category,weight", "zorbly,loaded,3.0"]) + "\n", encoding="utf-8")
    return path


def test_user_lexicon_replaces_the_builtin(tmp_path):
    path = _user_loaded(tmp_path)
    mine = biascmp.analyze(ARTICLES, lexicons={"loaded": str(path)})
    ev = mine.evidence[(mine.evidence["family"] == "loaded") & (mine.evidence["category"] == "loaded")]
    # (VADER intensity and reporting markers are loaded-family evidence of other categories)
    # the only loaded cue is the user's invented word, in article A's first sentence
    assert set(ev["term"].str.lower()) == {"zorbly"}
    assert mine.articles.loc[0, "loaded_language"] > 0
    builtin = biascmp.analyze(ARTICLES)
    assert "zorbly" not in set(builtin.evidence["term"].str.lower())
    assert mine.params["options"]["lexicons"] == ["loaded"]


def test_unknown_family_and_missing_file_are_errors(tmp_path):
    with pytest.raises(LexiconError, match="unknown family 'lodaed'"):
        biascmp.analyze(ARTICLES, lexicons={"lodaed": str(_user_loaded(tmp_path))})
    with pytest.raises(LexiconError, match="nope.csv"):
        biascmp.analyze(ARTICLES, lexicons={"loaded": str(tmp_path / "nope.csv")})
    assert set(REPLACEABLE) == {"policy_frames", "generic_frames", "loaded", "attribution", "terms"}


def test_cli_lexicon_option(tmp_path, capsys):
    src = tmp_path / "in.csv"
    ARTICLES.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    path = _user_loaded(tmp_path)
    assert main(["analyze", str(src), "-o", str(out), "--lexicon", f"loaded={path}", "--quiet",
                 "--level", "evidence"]) == 0
    ev = pd.read_csv(out)
    assert set(ev.loc[(ev["family"] == "loaded") & (ev["category"] == "loaded"), "term"].str.lower()) == {"zorbly"}
    assert main(["analyze", str(src), "-o", str(out), "--lexicon", "loaded"]) == 2
    assert "FAMILY=FILE" in capsys.readouterr().err
    assert main(["analyze", str(src), "-o", str(out), "--lexicon", f"nope={path}"]) == 1
    err = capsys.readouterr().err
    assert "unknown family 'nope'" in err and "Traceback" not in err


def test_shared_word_table_starts_over_without_changing_matches(monkeypatch):
    """More lexicons than the shared table keeps, and a full word cache, give the same hits as fresh ones."""
    from biascmp import lexicons as lx

    head = "# name: t\n# version: 1\n# provenance: test\n# license: MIT\nterm,category,weight\n"
    text = "The plan failed, and the law enforcement plan's critics plan more."
    lexs = [lx.parse_lexicon(head + f"plan,c{k}\nlaw enforcement,d\ncritic*,e\n")
            for k in range(lx._MAX_LEXICONS + 3)]
    want = [(m.start, m.end, m.text, m.term) for m in lexs[0].find(text)]
    assert want == [(4, 8, "plan", "plan"), (25, 40, "law enforcement", "law enforcement"),
                    (41, 45, "plan", "plan"), (48, 55, "critics", "critic*"), (56, 60, "plan", "plan")]
    monkeypatch.setattr(lx, "_CACHE_LIMIT", 2)
    for _ in range(2):
        for k, lex in enumerate(lexs):
            got = lex.find(text + " " * (k % 3))  # new sentences: the table is refilled and cleared
            assert [(m.start, m.end, m.text, m.term) for m in got] == want
            assert {m.category for m in got} == {f"c{k}", "d", "e"}


def test_unpickled_lexicon_does_not_use_another_lexicons_slot():
    """A lexicon shipped to a worker process arrives with the slot it had in the parent."""
    import pickle

    from biascmp import lexicons as lx

    head = "# name: t\n# version: 1\n# provenance: test\n# license: MIT\nterm,category,weight\n"
    text = "The budget plan failed."
    mine = lx.parse_lexicon(head + "budget,a\n")
    assert [m.text for m in mine.find(text)] == ["budget"]
    shipped = pickle.dumps(mine)
    others = [lx.parse_lexicon(head + "plan,b\n") for _ in range(lx._MAX_LEXICONS + 1)]
    for o in others:  # the table starts over: mine's old slot now belongs to another lexicon
        assert [m.text for m in o.find(text)] == ["plan"]
    assert [m.text for m in pickle.loads(shipped).find(text)] == ["budget"]


def test_lexicons_first_used_in_several_threads_at_once_match_as_in_one():
    """Threads (Dask's threaded scheduler) register lexicons and fill the shared table concurrently."""
    import sys
    import threading

    from biascmp import lexicons as lx

    texts = [f"Officials said the budget plan {k} failed; critics blamed the police and tax law {k}."
             for k in range(300)]
    names = ("policy_frames", "generic_frames", "loaded", "attribution_verbs", "terms")

    def fresh():
        return [lx.parse_lexicon((builtin_dir() / f"{n}.csv").read_text(encoding="utf-8")) for n in names]

    want = [[lex.find(t) for t in texts] for lex in fresh()]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    got: list[object] = [None] * 4
    try:
        def run(j: int, lexs: list) -> None:
            got[j] = [[lex.find(t) for t in texts] for lex in (lexs if j % 2 else lexs[::-1])]

        lexs = fresh()
        threads = [threading.Thread(target=run, args=(j, lexs)) for j in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    assert got[1] == got[3] == want
    assert got[0] == got[2] == want[::-1]


# ----------------------------------------------------------------------------- matcher vs a reference
# An independent, slow reference of the documented matching rules (biascmp.lexicons module docstring):
# whole words (letters/digits with inner hyphens or apostrophes; a word glued to a preceding hyphen is
# part of another word), case-insensitive, a possessive 's ignored, phrase words separated by
# whitespace, a trailing * matching any ending, leftmost then longest phrase, no overlaps.
# The test found one rule the docstring did not spell out: a phrase's first word may carry the possessive
# ("Police's officer" matches "police officer"); the docstring now says so.
import re as _re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from biascmp.lexicons import parse_lexicon  # noqa: E402

_REF_LEX = [("tax", "a"), ("tax cut*", "b"), ("police", "a"), ("police officer", "b"), ("riot*", "b"),
            ("law and order", "a"), ("crime", "b"), ("crime", "a"), ("border", "a"), ("open border*", "b")]
_VOCAB = ["tax", "Tax", "taxes", "cut", "cuts", "cutting", "police", "Police's", "officer", "officers",
          "riot", "rioters", "law", "and", "order", "crime", "Crime's", "border", "borders", "open", "the",
          "anti-police", "tax-free", "syntax", "policeman", "a", "of"]


def _reference(text: str) -> list[tuple[int, int, str, str]]:
    toks = []
    for m in _re.finditer(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*", text):
        a, b = m.span()
        if a and text[a - 1] == "-":
            continue
        low = m.group().lower().replace("’", "'")
        base = low[:-2] if low.endswith("'s") and len(low) > 2 else low
        toks.append((a, b, low, base))
    entries = [(term.rstrip("*").split(), term.endswith("*"), term, cat) for term, cat in _REF_LEX]

    def word_ok(tok_word: str, want: str, stem: bool) -> bool:
        return tok_word.startswith(want) if stem else tok_word == want

    out, i = [], 0
    while i < len(toks):
        best = None  # (n_words, [(end, term, cat)])
        for words, stem, term, cat in entries:
            m = len(words)
            if i + m > len(toks) or m == 1:
                continue
            gaps_ok = all(text[toks[i + j - 1][1]:toks[i + j][0]].isspace() for j in range(1, m))
            # the possessive is ignored on a phrase's first and last word ("Trump's border wall"),
            # not inside it
            words_ok = (toks[i][3] == words[0] or toks[i][2] == words[0]) and all(
                word_ok(toks[i + j][3] if j == m - 1 else toks[i + j][2], words[j], stem and j == m - 1)
                for j in range(1, m))
            if gaps_ok and words_ok and (best is None or m > best[0]):
                best = (m, [])
            if gaps_ok and words_ok and best[0] == m:
                last = toks[i + m - 1]
                best[1].append((last[1] - (len(last[2]) - len(last[3])), term, cat))
        if best:
            out += [(toks[i][0], end, term, cat) for end, term, cat in best[1]]
            i += best[0]
            continue
        a, b, low, base = toks[i]
        for form, end in ((low, b), (base, b - (len(low) - len(base)))):
            hits = [(term, cat) for words, stem, term, cat in entries
                    if len(words) == 1 and not stem and form == words[0]]
            if not hits:  # the longest stem
                stems = [(len(words[0]), term, cat) for words, stem, term, cat in entries
                         if len(words) == 1 and stem and form.startswith(words[0])]
                if stems:
                    n = max(s[0] for s in stems)
                    hits = [(term, cat) for k, term, cat in stems if k == n]
            if hits:
                out += [(a, end, term, cat) for term, cat in hits]
                break
            if form == base:
                break
        i += 1
    return out


_LEX = parse_lexicon("# name: ref\n# version: 1\n# provenance: test\n# license: MIT\n# categories: a, b\n"
                     "term,category,weight\n" + "".join(f"{t},{c},1.0\n" for t, c in _REF_LEX))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_VOCAB), st.sampled_from([" ", "  ", ", ", ". ", "\n", " - ", "-"])),
                min_size=1, max_size=14))
def test_matcher_equals_an_independent_reference(parts):
    text = "".join(w + sep for w, sep in parts)
    got = sorted((m.start, m.end, m.term, m.category) for m in _LEX.find(text))
    assert got == sorted(_reference(text)), text


def test_reference_sees_the_documented_cases():
    text = ("The police officer said tax cuts and Police's riots, open borders - crime's law and  order "
            "anti-police tax-free syntax")
    got = sorted((m.start, m.end, m.term, m.category) for m in _LEX.find(text))
    assert got == sorted(_reference(text))
    terms = [t for _, _, t, _ in got]
    assert terms.count("crime") == 2 and "police officer" in terms and "law and order" in terms
    assert "tax" not in terms  # "tax-free" is one word; "syntax" is not "tax"; "tax cuts" is the phrase
