"""Tests for biascmp.prepare: normalisation, line kinds, sentence splitting, quotes, speakers.

Expected splits and kinds below were written by reading the seed texts and allsides_dev articles,
not copied from the code's output.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from conftest import data_file
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp.prepare import classify_line, detect_language, normalize, prepare_article, split_sentences
from biascmp.records import SENTENCE_KINDS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(prefix: str):
    path = next(SEEDS.glob(prefix + "_*.txt"))
    raw = path.read_text(encoding="utf-8")
    front, body = raw.split("\n---\n", 1)
    title = re.search(r'^title: "(.*)"$', front, re.M).group(1)
    return prepare_article(path.stem, body, title=title)


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# --- segmentation table ---------------------------------------------------------------------

SPLIT_CASES = [
    # abbreviations and titles (seed 003)
    ("The mayor said that she directed — and Chicago police Supt. Eddie Johnson confirmed — that "
     "the department act.", 1),
    # initials and (D) (seed 002)
    ("Illinois Gov. J.B. Pritzker (D) has called it “a manufactured crisis,” and told CBS News so. "
     "He left.", 2),
    # (D-Chicago) and a U.S. mid-sentence (seed 001)
    ("State Senator Robert Peters (D-Chicago) signed it. The letter says Chicago has more police "
     "than any other major U.S. city, and it is not safer.", 2),
    # Washington, D.C., followed by lowercase
    ("It follows Los Angeles and Washington, D.C., in the crackdown. It is the latest.", 2),
    # U.S. at the end of a sentence before a sentence starter
    ("The migrants headed to the U.S. The president said so.", 2),
    # closing quote belongs to the sentence; a new quote starts a new sentence (seed 003)
    ("“I have voiced my strong objection to any such raids,” Lightfoot said. “Further, I "
     "reiterated that CPD will not cooperate.”", 2),
    # question inside a quote followed by a lowercase attribution stays one sentence
    ("“Why would we do that?” she asked. Nobody answered.", 2),
    ("“Stop!” he shouted at them.", 1),
    # ellipsis inside a sentence before "I" (seed 001) and a spaced ellipsis + period (seed 003)
    ("“These are not troops, that’s not what’s coming to Chicago… I draw a very firm line "
     "against that,” Lightfoot said.", 1),
    ("“They will be removed as fast as they come in … .” Trump left.", 2),
    # decimals, times, numbers after abbreviations, months
    ("Unemployment rose to 3.5 percent at 10 a.m. on Jan. 5 in St. Louis. Prices fell.", 2),
    ("He wore No. 5 for the team. Dr. Smith and Mr. Jones agreed.", 2),
    ("Shares of Apple Inc. rose. The index fell 1.2%.", 2),
    ("The vote was 52-48... It passed.", 2),
    ("Rep. Alexandria Ocasio-Cortez (D-N.Y.) and Sen. Ted Cruz (R-Texas) disagreed. Both spoke.", 2),
    ("Wait... what happened?", 1),
]


@pytest.mark.parametrize("text, n", SPLIT_CASES)
def test_split_count(text, n):
    assert len(_split(text)) == n


def test_split_keeps_closing_quote_with_sentence():
    parts = _split("“Next week ICE will begin removing them,” the president wrote. “They will be "
                   "removed as fast as they come in … .”")
    assert parts == ["“Next week ICE will begin removing them,” the president wrote.",
                     "“They will be removed as fast as they come in … .”"]


def test_split_question_attribution_one_sentence():
    assert _split("“Is this legal?” she asked.") == ["“Is this legal?” she asked."]


# --- line classification ----------------------------------------------------------------------

LINE_CASES = [
    ("By Kevin Beese Staff reporter", {}, "byline"),
    ("Lori Lightfoot", {}, "caption"),
    ("Donald Trump", {}, "caption"),
    ("Photo by Alex Wong/Getty Images.", {}, "caption"),
    ("Watch the clip above via MSNBC.", {}, "boilerplate"),
    ("Tags:", {}, "boilerplate"),
    ("Advertisement", {}, "boilerplate"),
    ("ADVERTISEMENT", {}, "boilerplate"),
    ("CLICK HERE TO GET THE FOX NEWS APP", {}, "boilerplate"),
    ("Sign up for Daily Newsletters Manage Newsletters", {}, "boilerplate"),
    ("Story Continued Below", {}, "boilerplate"),
    ("___", {}, "boilerplate"),
    ("* * *", {}, "boilerplate"),
    ("From The Daily Wire:", {}, "metadata"),
    ("Published June 17, 2019", {}, "metadata"),
    ("Chicago Mayor Lightfoot says city will not help ICE with raids",
     {"first": True, "title": "Chicago Mayor Lightfoot says city will not help ICE with raids"}, "headline"),
    ("Chicago Mayor Defies Trump, Orders Police Not To Aid Crackdown", {"first": True}, "headline"),
    ("Lightfoot said Tuesday that she has been in contact with the White House.", {"first": True}, "prose"),
    ("She then turned her attention to the federal government.", {}, "prose"),
]


@pytest.mark.parametrize("line, kw, kind", LINE_CASES)
def test_classify_line(line, kw, kind):
    assert classify_line(line, **kw) == kind


def test_seed_003_non_prose_lines():
    art = _seed("003")
    kinds = {s.text: s.kind for s in art.sentences}
    assert kinds["By Kevin Beese Staff reporter"] == "byline"
    assert kinds["Lori Lightfoot"] == "caption"
    assert kinds["Donald Trump"] == "caption"
    assert kinds["Chicago Mayor Lightfoot says city will not help ICE with raids"] == "headline"
    assert all("Kevin Beese" not in s.text for s in art.prose())


def test_seed_002_non_prose_lines():
    art = _seed("002")
    kinds = {s.text: s.kind for s in art.sentences}
    assert art.sentences[0].kind == "headline"
    assert kinds["Watch the clip above via MSNBC."] != "prose"
    assert kinds["Tags:"] != "prose"
    # J.B. Pritzker is not split
    assert any(s.text.startswith("Illinois Gov. J.B. Pritzker (D) has called") for s in art.prose())


def test_seed_001_date_prefix_is_metadata():
    art = _seed("001")
    first, second = art.sentences[0], art.sentences[1]
    assert (first.kind, first.text) == ("metadata", "date 2020-07-27")
    assert second.kind == "prose" and second.text.startswith("CHICAGO — Three dozen")
    assert first.paragraph == second.paragraph


def test_seed_003_illegal_aliens_in_trump_quote():
    art = _seed("003")
    s = next(s for s in art.sentences if "illegal aliens" in s.text)
    i = s.text.index("illegal aliens")
    assert s.kind == "prose"
    assert s.in_quote > 0.5
    assert s.is_quoted_at(i, i + len("illegal aliens"))
    assert s.speaker in ("the president", "Trump", "President Donald Trump")
    assert s.speaker_verb == "wrote"
    a, b = s.speaker_verb_span
    assert s.text[a:b] == "wrote"
    # the next sentence continues the same quote and inherits the speaker
    nxt = art.sentences[s.index + 1]
    assert nxt.in_quote == pytest.approx(1.0) and nxt.speaker == s.speaker


SPEAKER_CASES = [
    ("“We need resources and support,” Peters said.", "Peters", "said"),
    ("“We need resources,” said Peters.", "Peters", "said"),
    ("“Electronic monitoring endangers our residents,” Chicago’s Police Chief David Brown said.",
     "Chicago’s Police Chief David Brown", "said"),
    ("“We must acknowledge this,” Lightfoot stated.", "Lightfoot", "stated"),
    ("Lightfoot said Tuesday that she has been in contact with the White House, according to ABC News.",
     "Lightfoot", "said"),
    ("The city is suffering, according to ABC News.", "ABC News", "according to"),
    ("“Is this legal?” the mayor asked.", "the mayor", "asked"),
    ("The weather was fine on Tuesday.", None, None),
]


@pytest.mark.parametrize("text, speaker, verb", SPEAKER_CASES)
def test_speaker(text, speaker, verb):
    s = prepare_article("x", text).sentences[0]
    assert (s.speaker, s.speaker_verb) == (speaker, verb)


@pytest.mark.parametrize("text, speaker", [
    ("Trump on Monday said the deal was done.", "Trump"),
    ("YouTube later Monday said it had banned several channels.", "YouTube"),
    ("Officials on Friday said the roads were closed.", "Officials"),
    ("NASA in April announced another partnership.", "NASA"),
    ("“We will win,” Smith said Tuesday.", "Smith"),
    ("“We will win,” said Tuesday.", None),
    ("“Fine,” Ruddy told Fox News Monday.", "Ruddy"),
    ("“It is fine,” said Gov. Nikki Haley Monday.", "Gov. Nikki Haley"),
    ("On Thursday President Trump tweeted as much.", "President Trump"),
    ("It will last, according to a March news release.", None),
    ("“It's kinda nice,” said April Powers, 54.", "April Powers"),  # a month name can start a name
    ("“We will leave,” Theresa May said.", "Theresa May"),  # a surname, not the modal verb
    ("“We will leave,” officials may say.", "officials"),
])
def test_speaker_is_never_a_date(text, speaker):
    s = prepare_article("x", text).sentences[0]
    assert s.speaker == speaker


def test_pronoun_resolves_to_last_named_speaker():
    art = prepare_article("x", "“We will act,” Lightfoot said.\n\nShe then theorized that guns were the cause.")
    assert art.sentences[1].speaker == "Lightfoot"
    assert art.sentences[1].speaker_verb == "theorized"


def test_open_quote_continues_into_next_paragraph():
    text = ("“We have not called for this,” Johnson said. “We will protect our people.\n\n"
            "“Protecting Chicago is our job.”")
    art = prepare_article("x", text)
    last = art.sentences[-1]
    assert last.in_quote == pytest.approx(1.0) and last.speaker == "Johnson"


def test_apostrophes_are_not_quotes():
    s = prepare_article("x", "Trump’s troops don’t belong in the mayor’s city.").sentences[0]
    assert s.quote_spans == () and s.in_quote == 0.0


def test_single_quotes_in_headline_style():
    s = prepare_article("x", "Johnson says ‘our people have not asked for this’ and leaves.").sentences[0]
    assert s.text[slice(*s.quote_spans[0])] == "our people have not asked for this"


# --- offsets, bounds, normalisation -----------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seed_offsets_and_bounds(prefix):
    art = _seed(prefix)
    for s in art.sentences:
        assert art.text[s.start:s.end] == s.text
        assert s.kind in SENTENCE_KINDS
        assert 0.0 <= s.in_quote <= 1.0
        assert all(0 <= a < b <= len(s.text) for a, b in s.quote_spans)
    assert art.meta.get("status", "ok") == "ok"


def test_normalize_examples():
    assert normalize("a\u200b  b\t\tc\r\nd\x00e") == "a b c\nde"
    assert normalize("Cafe\u0301") == "Caf\u00e9"
    assert normalize("<p>One &amp; two</p><script>var x = 1;</script><p>Three</p>") == "One & two\n\nThree"
    assert normalize("5 < 6 and AT&T stays") == "5 < 6 and AT&T stays"


_ALPHABET = st.sampled_from(list("ab .,“”\"’'\n\t\r\u00a0\u200b\x00&;<>/p#1é\u0301") + ["&amp;", "<p>", "</p>",
                                                                                  "<br>", "&lt;", "<script>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_normalize_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=80, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_offsets_slice_exactly(text):
    art = prepare_article("x", text)
    assert all(art.text[s.start:s.end] == s.text and
               all(0 <= a <= b <= len(s.text) for a, b in s.quote_spans) for s in art.sentences)


def _steps():
    """Every name of the preparation steps (biascmp.prepare.normalise, .lines, ...), private ones included."""
    import types

    from biascmp.prepare import language, lines, normalise, quotes, sentences, speakers

    mods = (normalise, lines, sentences, quotes, speakers, language)
    return types.SimpleNamespace(**{k: v for m in mods for k, v in vars(m).items()})


_FAST_ALPHABET = st.sampled_from(list("aAs .,:“”\"’'\n\t\r\u00a0\u2028\u200b\x00_-#*+>[]()/1é\ud800") + [
    " said", "said ", "According to ", "according to", " the ", " of ", " to ", " and ", "**", "__", "](x)",
    "(AP Photo/X)", "Getty Images", "Photo:", "Reuters", " Monday", "ſ", "İ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_FAST_ALPHABET, max_size=60).map("".join))
def test_fast_paths_match_their_regex_definitions(text):
    """The hand-written fast paths of biascmp.prepare give what the regexes they replace give."""
    P = _steps()

    assert P._clean_chars(text) == P._DROP_RE.sub("", P._NEWLINES_RE.sub("\n", text))
    stripped = "\n".join(line.strip() for line in P._SPACES_RE.sub(" ", text).split("\n"))
    assert P._collapse_spaces(text) == stripped
    if P._MD_HINT_RE.search(stripped):
        assert P._maybe_markdown(stripped)
    if P._PHOTO_CREDIT_RE.fullmatch(text):
        assert P._maybe_photo_credit(text)
    assert P._inner_apostrophes(text) == len(re.findall(r"(?<=\w)[’'](?=\w)", text))
    runs = P._RUN_RE.findall(text)
    assert P._VERB_WORDS.intersection(runs) <= P._verbs_in(text)
    assert P._verb_matches(text) == [(m.start(), m.end(), m.group()) for m in P._VERB_RE.finditer(text)]
    assert P._verb_matches(text, P._verbs_in(text)) == P._verb_matches(text)


_WORDS = st.sampled_from(["the", "of", "to", "and", "The", "x", "said", "é", "日本", "’", "'", "-", "2020", "_", ".", ",",
                          "“", " ", "\n", "İ", "don’t", "a-b"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=20, max_size=300).map(" ".join))
def test_surely_english_only_when_the_exact_share_says_english(text):
    P = _steps()

    low = text.lower()
    if P._surely_english(low):
        words = P._WORD_RE.findall(low)
        assert len(words) >= 20 and sum(w in P._FUNCTION_WORDS for w in words) / len(words) >= 0.08


@pytest.mark.parametrize("hostile", ["“" * 100_000, "." * 100_000, " " * 100_000, ". " * 50_000,
                                     "a." * 50_000 + "x", "\"a " * 30_000, "<p>" * 30_000,
                                     "Mr. " * 30_000, "’" * 100_000, "said " * 20_000])
def test_hostile_inputs_are_fast(hostile):
    t0 = time.perf_counter()
    prepare_article("x", hostile)
    assert time.perf_counter() - t0 < 3.0


# --- language and status ----------------------------------------------------------------------

def test_detect_language():
    en = "The mayor said that the city will not help the agents, and she is going to fight it in court. " * 2
    de = "Der Bürgermeister sagte, dass die Stadt den Beamten nicht helfen wird und sie vor Gericht ziehen will. " * 2
    assert detect_language(en) == "en"
    assert detect_language(de) == "other"
    assert detect_language("Москва заявила, что переговоры продолжатся на следующей неделе в Женеве.") == "other"
    assert detect_language("Short text.") == "unknown"


def test_status_no_prose_and_not_english():
    assert prepare_article("x", "Advertisement\n\nTags:").meta["status"] == "no_prose"
    de = "Der Bürgermeister sagte, dass die Stadt den Beamten nicht helfen wird und sie vor Gericht ziehen will."
    art = prepare_article("x", de + " " + de)
    assert art.meta["status"] == "not_english" and art.meta["status_detail"]


def test_allsides_dev_offsets_and_speed():
    path = data_file("allsides_dev.jsonl")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")][:400]
    t0 = time.perf_counter()
    arts = [prepare_article(r["id"], r["text"] or "", title=r.get("title")) for r in rows]
    elapsed = time.perf_counter() - t0
    assert elapsed < 10.0  # full 2,971 articles take ~6.5 s here; 400 leave a wide margin
    for art in arts:
        assert all(art.text[s.start:s.end] == s.text for s in art.sentences)
    texts = [s.text for a in arts for s in a.sentences]
    assert "Advertisement" in texts
    assert all(s.kind != "prose" for a in arts for s in a.sentences if s.text == "Advertisement")
