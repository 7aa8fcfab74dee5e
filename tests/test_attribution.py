"""Attribution: verb classes, source types, the speakers table, known seed cases, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp import attribution
from biascmp.lexicons import load_lexicon
from biascmp.prepare import prepare_article
from biascmp.records import Options

OPTS = Options()


def _measure(text: str, options: Options = OPTS):
    return attribution.measure(prepare_article("t", text), options=options)


def test_neutral_evaluative_and_sources_counted_by_hand():
    text = ('“We will fight this,” Lightfoot said. Trump claimed the city was lawless. '
            'Officials said the plan was ready. “No comment,” a spokeswoman said.')
    r = _measure(text)
    classes = [c for c in r.sentence["attribution"] if c]
    assert sorted(classes) == ["evaluative", "neutral", "neutral", "neutral"]
    assert r.article["n_attributions"] == 4
    assert r.article["attribution_loaded_share"] == pytest.approx(1 / 4)
    assert r.article["n_named_sources"] == 2  # Lightfoot, Trump
    assert r.article["unnamed_source_share"] == pytest.approx(2 / 4)  # officials, a spokeswoman
    sp = {row["speaker"]: row for row in r.tables["speakers"]}
    assert sp["Lightfoot"]["quoted_words"] == len("We will fight this".split())
    assert sp["Lightfoot"]["named"] and not sp["spokeswoman"]["named"]
    assert sp["spokeswoman"]["quoted_words"] == 2 and sp["spokeswoman"]["n_quotes"] == 1


@pytest.mark.parametrize("verb, cls", [
    ("said", "neutral"), ("told reporters", "neutral"), ("stated", "neutral"),
    ("claimed", "evaluative"), ("admitted", "evaluative"), ("insisted", "evaluative"), ("theorized", "evaluative"),
    ("decried", "evaluative"), ("conceded", "evaluative"), ("slammed", "evaluative"),
    ("argued", "descriptive"), ("warned", "descriptive"),
])
def test_verb_classes(verb, cls):
    r = _measure(f"Mayor Lori Lightfoot {verb} that the plan would work.")
    ev = [e for e in r.evidence if e.family == "attribution"]
    assert [e.category for e in ev] == [cls]


def test_no_attribution_gives_nan_not_zero():
    r = _measure("The council met on Tuesday. The plan passed.")
    assert r.article["n_attributions"] == 0
    assert math.isnan(r.article["attribution_loaded_share"]) and math.isnan(r.article["unnamed_source_share"])
    assert r.tables["speakers"] == []


@pytest.mark.parametrize("speaker, kind", [
    ("Lightfoot", "named"), ("Mayor Lori Lightfoot", "named"), ("ABC News", "named"), ("Mr. Trump", "named"),
    ("Chicago’s Police Chief David Brown", "named"),
    ("officials", "unnamed"), ("a spokeswoman", "unnamed"), ("police", "unnamed"), ("Police", "unnamed"),
    ("sources familiar with the matter", "unnamed"), ("senior administration officials", "unnamed"),
    ("an aide to Pelosi", "unnamed"), ("critics", "unnamed"),
    ("the mayor", "role"), ("the report", "role"),
    ("he", "pronoun"), ("They", "pronoun"),
])
def test_source_types(speaker, kind):
    assert attribution.source_type(speaker) == kind
    assert attribution.is_named(speaker) is (kind == "named")


def test_seed_000_theorized_is_an_evaluative_attribution(seed_analysis):
    arts = seed_analysis.articles
    aid = arts.loc[arts["outlet"] == "The Daily Wire", "article_id"].item()
    ev = seed_analysis.evidence
    hit = ev[(ev["article_id"] == aid) & (ev["family"] == "attribution") & (ev["term"] == "theorized")]
    assert hit["category"].tolist() == ["evaluative"]
    s = seed_analysis.sentences
    row = s[(s["article_id"] == aid) & (s["sentence_index"] == hit["sentence_index"].item())]
    assert "theorized" in row["text"].item()


def test_seed_article_share_recomputes_from_evidence(seed_analysis):
    ev = seed_analysis.evidence
    ev = ev[ev["family"] == "attribution"]
    arts = seed_analysis.articles.set_index("article_id")
    for aid, g in ev.groupby("article_id"):
        assert arts.loc[aid, "n_attributions"] == len(g)
        assert arts.loc[aid, "attribution_loaded_share"] == pytest.approx((g["category"] == "evaluative").mean())


def test_speaker_table_columns_and_shares_on_seeds(seed_analysis):
    sp = seed_analysis.tables["speakers"]
    assert {"article_id", "speaker", "quoted_words", "share_quoted_words", "n_quotes", "named"} <= set(sp.columns)
    sums = sp.groupby("article_id")["share_quoted_words"].sum()
    assert sums.to_numpy() == pytest.approx([1.0] * len(sums))


def test_user_lexicon_replaces_builtin(tmp_path):
    path = tmp_path / "verbs.csv"
    path.write_text("# name: my_verbs\n# version: 0.1\n# provenance: test\n# license: MIT\n"
                    "# categories: neutral, evaluative\nterm,category,weight\nsaid,evaluative,1\n", encoding="utf-8")
    opts = Options(lexicons=(("attribution", str(path)),))
    r = _measure("“We will fight this,” Lightfoot said.", opts)
    assert r.article["attribution_loaded_share"] == 1.0
    assert load_lexicon(str(path)).name == "my_verbs"


_NAMES = ["Lightfoot", "Trump", "Pritzker", "Johnson"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.integers(1, 12)), min_size=1, max_size=8))
def test_quoted_words_add_up(quotes):
    """Each sentence '“w w w,” NAME said.' gives NAME exactly that many quoted words; shares sum to 1."""
    text = " ".join(f"“{' '.join(['word'] * k)},” {name} said." for name, k in quotes)
    r = _measure(text)
    got = {row["speaker"]: row["quoted_words"] for row in r.tables["speakers"]}
    want: dict[str, int] = {}
    for name, k in quotes:
        want[name] = want.get(name, 0) + k
    assert got == want
    assert sum(row["share_quoted_words"] for row in r.tables["speakers"]) == pytest.approx(1.0)
    assert r.article["n_named_sources"] == len(want)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["Lightfoot said the plan works.", "Trump claimed the plan failed.",
                                 "Officials said it was ready.", "The plan passed on Monday.",
                                 "“It is done,” he insisted."]), min_size=1, max_size=8))
def test_evidence_offsets_slice_to_the_verb(sentences):
    a = prepare_article("t", " ".join(sentences))
    r = attribution.measure(a, options=OPTS)
    for e in r.evidence:
        s = a.sentences[e.sentence_index]
        assert s.text[e.start:e.end] == e.term
    share = r.article["attribution_loaded_share"]
    assert math.isnan(share) or 0.0 <= share <= 1.0


def test_pronouns_and_roles_are_not_anonymous_sources():
    text = ("The plan is ready, he said. The budget will pass, the mayor said. "
            "The vote was delayed, sources said. The plan is bold, Lightfoot said.")
    r = _measure(text)
    assert r.article["n_attributions"] == 4
    assert r.article["unnamed_source_share"] == pytest.approx(1 / 4)  # only "sources"
    assert r.article["n_named_sources"] == 1


def test_a_date_taken_for_a_speaker_is_not_a_source():
    a = prepare_article("t", "The plan passed, officials said.")
    s = a.sentences[0]
    s.speaker = "Thursday"  # what text preparation sometimes returns for "..., officials said Thursday"
    r = attribution.measure(a, options=OPTS)
    assert r.article["n_named_sources"] == 0 and r.article["unnamed_source_share"] == 0.0


@pytest.mark.parametrize("speakers, expected", [
    # full name at first mention, surname later: one person, labelled by the longest spelling
    (["Lightfoot", "Chicago Mayor Lori Lightfoot", "Mayor Lightfoot"],
     {"Lightfoot": "Chicago Mayor Lori Lightfoot", "Mayor Lightfoot": "Chicago Mayor Lori Lightfoot"}),
    (["Trump", "President Donald Trump", "Mr. Trump", "Trump's"],
     {"Trump": "President Donald Trump", "Mr. Trump": "President Donald Trump",
      "Trump's": "President Donald Trump"}),
    # two given names: two people, nothing merged
    (["Donald Trump", "Melania Trump", "Trump"], {"Trump": "Trump", "Donald Trump": "Donald Trump"}),
    # different surnames and non-names stay apart
    (["Peters", "Dart", "the mayor"], {"Peters": "Peters", "Dart": "Dart", "the mayor": "the mayor"}),
])
def test_merge_surnames_known_cases(speakers, expected):
    from biascmp.attribution import merge_surnames

    got = merge_surnames(speakers)
    assert set(got) == set(speakers)
    for k, v in expected.items():
        assert got[k] == v


def test_speakers_table_merges_surname_variants_within_an_article():
    text = ('"We will not stand for this," Chicago Mayor Lori Lightfoot said on Monday. '
            '"Not in our city, not ever," Lightfoot said. "The plan is bad," said Mayor Lightfoot. '
            '"I disagree," Peters said.')
    r = _measure(text)
    sp = {row["speaker"]: row for row in r.tables["speakers"]}
    assert set(sp) == {"Chicago Mayor Lori Lightfoot", "Peters"}
    lf = sp["Chicago Mayor Lori Lightfoot"]
    # words inside the marks, counted by hand: 6 + 6 + 4
    assert lf["quoted_words"] == 6 + 6 + 4 and lf["n_quotes"] == 3
    assert lf["variants"] == "Chicago Mayor Lori Lightfoot; Lightfoot; Mayor Lightfoot"
    assert r.article["n_named_sources"] == 2
    assert sum(row["share_quoted_words"] for row in r.tables["speakers"]) == pytest.approx(1.0)
