"""The report's "Same story, different outlets" section, built from real ``analyze()`` output only
(tests/report_corpus.py rearranges seed paragraphs into articles; every number is then measured)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import biascmp
from biascmp.reporting import build_spec, report
from biascmp.reporting import spec as S
from biascmp.reporting.render import render_html

sys.path.insert(0, str(Path(__file__).parent))
from conftest import data_file  # noqa: E402
from report_corpus import generated_articles, seed_sentences  # noqa: E402

FIELDS = ("Headline", "Lead", "Sentiment", "Loaded language", "Main frame", "Quotes")


def _norm(s: str) -> str:
    return " ".join(str(s).split())


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return generated_articles(3, 6, paragraphs=4, seed=5)


@pytest.fixture(scope="module")
def analysed(corpus):
    return biascmp.analyze(corpus)


def test_section_shows_the_shared_stories_paired_over_them(corpus, analysed):
    spec = build_spec(analysed, by="outlet", story="story")
    ss = spec.same_story
    assert ss is not None
    shared = corpus.groupby("story")["outlet"].nunique()
    assert ss.n_shared == int((shared >= 2).sum()) == 6 and ss.n_stories == 6
    assert len(ss.stories) == S.MAX_STORIES
    assert [g.name for g in ss.groups] == sorted(corpus["outlet"].unique())
    # paired over the shared stories: every pair of outlets covered all 6 stories
    assert ss.paired and spec.overview.mode == "paired" and ss.n_pairs_min == ss.n_pairs_max == 6
    arts = analysed.articles.set_index("article_id")
    sents = analysed.sentences
    for st in ss.stories:
        assert st.n_groups == 3 and all(c is not None for c in st.coverage)
        for g, c in zip(ss.groups, st.coverage):
            assert c.group == g
            # the cell is an article of this outlet about this story (one per outlet and story here)
            row = corpus[(corpus["story"] == st.story_id) & (corpus["outlet"] == g.name)]
            assert len(row) == 1 and c.headline == row["title"].iloc[0]
            aid = row["article_id"].iloc[0]
            assert c.sentiment == pytest.approx(arts.loc[aid, "sentiment_mean"])
            assert c.loaded_language == pytest.approx(arts.loc[aid, "loaded_language"])
            assert c.main_frame.replace(" ", "_") in {arts.loc[aid, "frame_primary"], "no_frame_cue"}
            first = sents[(sents["article_id"] == aid) & (sents["kind"] == "prose")].sort_values("sentence_index")
            assert _norm(first["text"].iloc[0]).startswith(c.lead.rstrip("\u2026"))
            assert _norm(c.lead) in _norm(row["text"].iloc[0]) or c.lead.endswith("\u2026")


def test_section_is_rendered_after_the_details_and_listed_in_the_contents(analysed, tmp_path):
    spec = build_spec(analysed, by="outlet", story="story")
    anchors = [t.anchor for t in spec.toc]
    assert anchors.index("details") + 1 == anchors.index("stories")
    i = anchors.index("stories")
    assert anchors[i + 1: i + 1 + S.MAX_STORIES] == [st.anchor for st in spec.same_story.stories]
    assert all(t.level == 2 for t in spec.toc[i + 1: i + 1 + S.MAX_STORIES])
    html = render_html(spec)[0]
    assert html.count('id="stories"') == 1 and 'href="#stories"' in html
    section = html[html.index('id="stories"'):]
    section = section[:section.index("</section>")]
    assert "Same story, different outlets" in html
    assert "6 stories are covered by two or more outlet groups" in section
    assert "paired over them" in section and "(6 stories per pair)" in section
    assert section.count('<table class="story-table">') == S.MAX_STORIES
    for field in FIELDS:
        assert section.count(f'<th scope="row">{field}</th>') == S.MAX_STORIES
    assert html.index('id="details"') < html.index('id="stories"') < html.index('id="charts"')


def test_pdf_has_the_section(analysed, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "s.pdf"
    report(analysed, out, by="outlet", story="story")
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages))
    assert "Same story, different outlets" in text and "stories per pair" in text


def test_not_paired_when_the_comparison_ignores_the_story_column(analysed):
    spec = build_spec(analysed, by="outlet")  # the analysis has a column named story, the report is unpaired
    assert spec.overview.mode != "paired"
    ss = spec.same_story
    assert ss is not None and not ss.paired and ss.n_pairs_min is None
    assert "not paired over them" in render_html(spec)[0]


def test_absent_without_a_story_column_or_a_shared_story(corpus):
    plain = biascmp.analyze(corpus.drop(columns="story"))
    spec = build_spec(plain, by="outlet")
    assert spec.same_story is None and "stories" not in [t.anchor for t in spec.toc]
    assert 'id="stories"' not in render_html(spec)[0]
    # a story column in which no story is covered by two outlets
    own = biascmp.analyze(corpus.assign(story=corpus["story"] + " / " + corpus["outlet"]))
    assert build_spec(own, by="outlet", story="story").same_story is None
    # one group only: nothing to put side by side
    one = biascmp.analyze(corpus[corpus["outlet"] == "Outlet A"])
    assert build_spec(one, by="outlet", story="story").same_story is None


def test_more_than_four_groups_show_the_four_largest():
    df = generated_articles(6, 5, paragraphs=3, seed=7)
    # outlet k covers the first 5, 5, 4, 3, 2, 1 stories
    sizes = dict(zip(sorted(df["outlet"].unique()), [5, 5, 4, 3, 2, 1], strict=True))
    df = df[df.apply(lambda r: int(r["story"][-3:]) < sizes[r["outlet"]], axis=1)].reset_index(drop=True)
    a = biascmp.analyze(df)
    spec = build_spec(a, by="outlet", story="story")
    ss = spec.same_story
    ok = a.articles[a.articles["status"] == "ok"]
    counts = ok["outlet"].value_counts()
    largest = sorted(counts.index, key=lambda o: (-counts[o], o))[: S.MAX_STORY_GROUPS]
    assert [g.name for g in ss.groups] == sorted(largest) and ss.n_groups == 6
    per = ok.groupby("story")["outlet"].nunique()
    assert ss.n_shared == int((per >= 2).sum())
    # stories ranked by the shown groups covering them, then their articles in those groups, then id
    shown = ok[ok["outlet"].isin(largest)]
    rank = shown.groupby("story")["outlet"].agg(["nunique", "size"]).reset_index()
    rank = rank[rank["nunique"] >= 2].sort_values(["nunique", "size", "story"], ascending=[False, False, True])
    assert [st.story_id for st in ss.stories] == list(rank["story"].head(S.MAX_STORIES))
    for st in ss.stories:
        assert st.n_groups == per[st.story_id]  # every group, not only the columns shown
        assert {c.group.name for c in st.coverage if c is not None} == set(
            shown.loc[shown["story"] == st.story_id, "outlet"])
    html = render_html(spec)[0]
    assert "Only the 4 largest of the 6 outlet groups are shown as columns" in html
    assert "not covered" in html  # a column whose group did not cover a shown story


def test_hostile_text_is_escaped_and_bounded(corpus):
    evil = corpus.copy()
    token = "x" * 5000
    first = evil.index[evil["outlet"] == "Outlet A"][0]
    evil.loc[first, "title"] = "<script>alert(1)</script> " + token + " " + "word " * 400
    evil.loc[first, "text"] = ("<script>alert(2)</script> The mayor said " + "y" * 3000 + " was fine. "
                               + evil.loc[first, "text"])
    evil.loc[first, "outlet"] = "Outlet A"
    a = biascmp.analyze(evil)
    spec = build_spec(a, by="outlet", story="story")
    cells = [c for st in spec.same_story.stories for c in st.coverage if c is not None]
    hit = [c for c in cells if c.headline.startswith("<script>alert(1)")]
    assert hit, "the hostile article is in a shown story"
    for c in cells:
        assert len(c.headline) <= S.TITLE_CHARS and len(c.lead) <= S.LEAD_CHARS
        assert len(c.quotes) <= S.QUOTES_CHARS
        assert max(len(w) for w in (c.headline + " " + c.lead).split()) <= S.TOKEN_CHARS
    assert "[5,000 characters]" in hit[0].headline and hit[0].headline.endswith("\u2026")
    for st in spec.same_story.stories:
        assert len(st.label) <= S.TITLE_CHARS
    html = render_html(spec)[0]
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x" * 100 not in html and "y" * 100 not in html


def _shared_text_corpus() -> pd.DataFrame:
    """3 outlets telling 4 stories: per story the same four seed paragraphs in an outlet's own order,
    with the outlet's own headline; a gold ``story`` column the matcher must not read."""
    pool = [p for _, p in seed_sentences()]
    rows = []
    for st in range(4):
        paras = pool[st * 7: st * 7 + 4]
        for k, outlet in enumerate(["Left", "Centre", "Right"]):
            order = paras[k:] + paras[:k]
            words = paras[0].split()
            rows.append({"article_id": f"a{st}{k}", "outlet": outlet, "story": f"gold {st}",
                         "title": f"{outlet}: {' '.join(words[k: k + 8])}",
                         "date": f"2021-0{st + 1}-0{k + 1}", "text": "\n\n".join(order)})
    return pd.DataFrame(rows)


def test_story_auto_end_to_end():
    df = _shared_text_corpus()
    a = biascmp.analyze(df, story="auto")
    assert "story_input" in a.articles.columns and "stories" in a.tables
    spec = build_spec(a, by="outlet", story="story")
    ss = spec.same_story
    assert ss is not None and ss.story_column == "story" and ss.paired
    ok = a.articles[a.articles["story"].notna()]
    per = ok.groupby(ok["story"].astype(str))["outlet"].nunique()
    assert ss.n_shared == int((per >= 2).sum()) >= 1
    labels = dict(zip(a.tables["stories"]["story"].astype(str), a.tables["stories"]["label"]))
    for st in ss.stories:
        covered = set(ok.loc[ok["story"].astype(str) == st.story_id, "outlet"])
        assert {c.group.name for c in st.coverage if c is not None} == covered
        assert st.n_groups == len(covered) >= 2 and st.label == labels[st.story_id]
    assert ss.n_text_only == int((a.articles["story_status"] == "text_only").sum()) == 0


def test_cli_report_story_auto(tmp_path):
    src = tmp_path / "in.jsonl"
    _shared_text_corpus().to_json(src, orient="records", lines=True)
    out = tmp_path / "s.html"
    r = subprocess.run([sys.executable, "-m", "biascmp", "report", str(src), "--by", "outlet", "--story", "auto",
                        "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    html = out.read_text(encoding="utf-8")
    assert 'id="stories"' in html and "Same story, different outlets" in html and "paired over them" in html


@pytest.mark.slow
def test_allsides_stories_acceptance(tmp_path):
    """The issue's acceptance command on the AllSides same-story dev set (text and date matching)."""
    path = data_file("allsides_stories_dev.jsonl")
    out, html = tmp_path / "s.pdf", tmp_path / "s.html"
    r = subprocess.run([sys.executable, "-m", "biascmp", "report", str(path), "--by", "leaning", "--story", "auto",
                        "--columns", "story_date=date", "-o", str(out), "--html", str(html)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    text = html.read_text(encoding="utf-8")
    section = text[text.index('id="stories"'):]
    section = section[:section.index("</section>")]
    assert section.count('<table class="story-table">') == S.MAX_STORIES
    assert "paired over them" in section and "matched on text alone" not in section
