"""The comparative report, built from real ``analyze()`` output only: the seeds and generated corpora
(tests/report_corpus.py rearranges seed paragraphs into articles; every number is then measured)."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import biascmp
from biascmp.comparison import compare_groups
from biascmp.reporting import build_spec, report
from biascmp.reporting import filters as F
from biascmp.reporting import spec as S
from biascmp.reporting.render import render_component

sys.path.insert(0, str(Path(__file__).parent))
from report_corpus import generated_articles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds(seed_analysis):
    return seed_analysis


@pytest.fixture(scope="module")
def seed_pdf(seeds, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "seeds.pdf"
    report(seeds, out, articles="all", title="Seeds")
    return out


@pytest.fixture(scope="module")
def paired():
    a = biascmp.analyze(generated_articles(3, 8, seed=2))
    return biascmp.compare(a, by="outlet", story="story", n_resamples=300)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


# ------------------------------------------------------------------ filters (known values)
@pytest.mark.parametrize("fn, x, args, expected", [
    (F.num, 1.23456, (2,), "1.23"), (F.num, -0.5, (1,), "\u22120.5"), (F.num, -0.0001, (2,), "0.00"),
    (F.num, float("nan"), (), "\u2013"), (F.num, None, (), "\u2013"), (F.signed, 0.25, (2,), "+0.25"),
    (F.signed, -0.25, (2,), "\u22120.25"), (F.pct, 0.1234, (1,), "12.3%"), (F.pct, None, (), "\u2013"),
    (F.ci, (0.1, 0.25), (2,), "[0.10, 0.25]"), (F.ci, (float("nan"), 1), (), "\u2013"),
    (F.pvalue, 0.0004, (), "<0.001"), (F.pvalue, 0.0312, (), "0.031"),
])
def test_filters_known_values(fn, x, args, expected):
    assert fn(x, *args) == expected


# ------------------------------------------------------------------ the seed PDF says what the Analysis says
def test_seed_pdf_shows_outlets_titles_and_numbers(seeds, seed_pdf):
    text = _pdf_text(seed_pdf)
    a = seeds.articles
    for outlet in a["outlet"].unique():
        assert outlet in text
    for title in a["title"]:
        assert re.sub(r"\s+", " ", title) in text
    assert f"{len(a)} in the input" in text and f"{len(seeds.sentences)} sentences" in text
    # per-article values at the precision the article pages print them (3 decimals, true minus sign)
    for v in a["sentiment_mean"]:
        assert F.signed(v, 3) in text
    for v in a["flesch_kincaid_grade"]:
        assert f"{v:.1f}" in text
    assert re.search(r"Page 1 of \d+", text)


def test_seed_report_fits_in_twelve_pages_with_overview_on_page_two(seed_pdf):
    from pypdf import PdfReader

    pages = PdfReader(str(seed_pdf)).pages
    assert len(pages) <= 12
    second = re.sub(r"\s+", " ", pages[1].extract_text())
    assert "How the groups differ" in second and "Descriptive comparison" in second
    assert "Key metrics by group" in second


def test_group_table_is_the_pandas_group_mean(seeds):
    spec = build_spec(seeds)
    t = spec.group_table
    ok = seeds.articles[seeds.articles["status"] == "ok"]
    means = ok.groupby("outlet")[[c.metric for c in t.columns]].mean()
    for row in t.rows:
        for col, cell in zip(t.columns, row.cells):
            assert cell.estimate == pytest.approx(means.loc[row.group.name, col.metric])
    html = render_component("details", spec)
    for row in t.rows:
        assert F.signed(means.loc[row.group.name, "sentiment_mean"], 3) in html


def test_caveat_stated_once_not_on_every_finding(seeds, tmp_path):
    cmp = compare_groups(seeds, by="outlet", min_groups=0)
    rep = [t for t in cmp.findings["text"] if "describes these articles only" in t]
    assert len(rep) >= 2  # compare() repeats it on every bullet ...
    html = report(cmp, tmp_path / "r.html", format="html").read_text(encoding="utf-8")
    # ... the report says it once, in the overview's caveats
    assert html.count("it is not evidence of a difference between the groups") == 1
    spec = build_spec(cmp)
    assert spec.overview.findings and not any("not evidence" in f for f in spec.overview.findings)


def test_paired_overview_and_differences_follow_the_comparison(paired):
    spec = build_spec(paired)
    assert spec.overview.mode == "paired" and spec.overview.forest is not None
    assert spec.differences is not None and spec.differences.paired
    p = paired.pairs.set_index(["metric", "group_a", "group_b"])
    for d in spec.differences.rows:
        r = p.loc[(d.metric, d.group_a.name, d.group_b.name)]
        assert (d.difference, d.ci_low, d.ci_high, d.q_value, d.n_pairs) == pytest.approx(
            (r["difference"], r["ci_low"], r["ci_high"], r["q_value"], r["n_pairs"]))
    qs = [d.q_value for d in spec.differences.rows]
    assert qs == sorted(qs) and len(qs) <= S.MAX_DIFFERENCES
    arts = paired.analysis.articles
    per = arts.groupby(["outlet", "story"])["sentiment_mean"].mean().unstack("outlet")
    d = next(x for x in paired.pairs.itertuples() if x.metric == "sentiment_mean" and x.group_a == "Outlet A"
             and x.group_b == "Outlet B")
    assert d.difference == pytest.approx((per["Outlet A"] - per["Outlet B"]).mean())


def test_many_groups_are_cut_to_the_largest_with_a_note():
    names = [f"Outlet {i:02d}" for i in range(14)]
    df = generated_articles(14, 1, outlet_names=names, paragraphs=3)
    df = pd.concat([df, generated_articles(2, 1, outlet_names=names[:2], paragraphs=3, seed=5)
                    .assign(article_id=lambda d: d["article_id"] + "b")], ignore_index=True)
    spec = build_spec(biascmp.analyze(df))
    shown = [g.name for g in spec.groups]
    assert len(shown) == S.MAX_GROUPS and shown[:2] == ["Outlet 00", "Outlet 01"]
    assert shown == ["Outlet 00", "Outlet 01"] + names[2:12]  # the two larger, then ties by name
    assert any("12 largest of 14" in c for c in spec.overview.caveats)
    assert {g.group.name for g in spec.speakers.groups} <= set(shown)


# ------------------------------------------------------------------ right
def _ytick_order(fig):
    """The heat map's row labels as a reader sees them, top to bottom (by their position on the page)."""
    ax = fig.axes[0]
    ticks = [(ax.transData.transform((0, y))[1], t.get_text()) for y, t in zip(ax.get_yticks(), ax.get_yticklabels())]
    return [t for _, t in sorted(ticks, reverse=True)]


def test_actor_heatmap_rows_follow_the_caption(seeds):
    from biascmp.reporting import charts

    spec = build_spec(seeds)
    chart = next(c for c in spec.charts if c.id == "actors")
    assert "Most-mentioned actors first" in chart.caption
    act = seeds.tables["actors"]
    n = act.groupby("actor")["article_id"].nunique()
    m = act.groupby("actor")["mentions"].sum()
    expected = sorted(n.index, key=lambda x: (-n[x], -m[x], x))[: S.MAX_HEATMAP_ROWS]
    fig = charts.draw(chart, spec.colors)
    shown = [t.replace("\n", " ") for t in _ytick_order(fig)]
    assert shown == [f"{x} ({n[x]})" for x in expected]
    assert n[expected[0]] >= n[expected[-1]] and n[expected[0]] > 1  # most-mentioned at the top


def test_chart_labels_are_never_cut(seeds):
    """Every tick label, title and axis label of every chart lies inside the figure, whole (no "consequenc…")."""
    from biascmp.reporting import charts

    spec = build_spec(seeds)
    for chart in (spec.overview.forest, *spec.charts):
        fig = charts.draw(chart, spec.colors)
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        W, H = fig.bbox.width, fig.bbox.height
        def shown(ax, axis):  # matplotlib keeps labels for ticks outside the view limits; they are not drawn
            lo, hi = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
            locs = ax.get_xticks() if axis == "x" else ax.get_yticks()
            labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
            return [t for v, t in zip(locs, labels) if lo - 1e-9 <= v <= hi + 1e-9]

        texts = [t for ax in fig.axes if ax.get_visible()
                 for t in (*shown(ax, "x"), *shown(ax, "y"), ax.title, ax.xaxis.label, ax.yaxis.label) if t.get_text()]
        for t in texts:
            bb = t.get_window_extent(r)
            assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= W + 1 and bb.y1 <= H + 1, (chart.id, t.get_text())
            assert "\u2026" not in t.get_text(), (chart.id, t.get_text())
        for ax in fig.axes[:1]:  # neighbouring labels of one axis never overlap
            for axis in ("x", "y"):
                # (slanted labels: their axis-aligned boxes overlap by construction; the slant is the remedy)
                boxes = sorted((t.get_window_extent(r) for t in shown(ax, axis) if t.get_text()
                                and t.get_rotation() == 0),
                               key=lambda b: (b.x0, b.y0))
                for a, b in zip(boxes, boxes[1:]):
                    assert not a.overlaps(b) or a.intersection(a, b).width * a.intersection(a, b).height < 4, \
                        (chart.id, axis)
        if chart.id == "generic_frames":
            labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_xticklabels()]
            assert "economic consequences" in labels and "human interest" in labels


def test_blank_group_values_are_named_and_counted(tmp_path):
    df = generated_articles(2, 3, paragraphs=3)
    df["leaning"] = ["left", "", "left", None, "right", "right"]
    res = biascmp.analyze(df)
    spec = build_spec(res, by="leaning")
    g = {x.name: x.n_articles for x in spec.groups}
    assert g == {"left": 2, "right": 2, S.NO_VALUE: 2}
    assert any("2 article(s) have no value in the column 'leaning'" in c for c in spec.overview.caveats)
    html = report(res, tmp_path / "r.html", format="html", by="leaning").read_text(encoding="utf-8")
    assert f"{S.NO_VALUE} (2 articles)" in html and "\u25a0 (2 articles)" not in html
    # a Comparison made on the raw column is computed again, so its tables name the group too
    spec2 = build_spec(compare_groups(res, by="leaning", min_groups=0))
    assert {x.name for x in spec2.groups} == set(g)
    assert {r.group.name for r in spec2.group_table.rows} == set(g)
    assert all(c.estimate is not None for r in spec2.group_table.rows for c in r.cells[:1])


def test_methods_lists_every_lexicon_with_provenance_and_licence(seeds):
    from biascmp import lexicons as L

    spec = build_spec(seeds)
    lex = {x.name: x for x in spec.methods.lexicons}
    for name in L.REPLACEABLE.values():
        d = L.load_lexicon(name).describe()
        x = lex[d["name"]]
        assert (x.version, x.license, x.n_entries) == (d["version"], d["license"], d["n_entries"])
        assert x.provenance[:60] == d["provenance"][:60]
    assert "VADER lexicon" in lex
    html = render_component("methods", spec)
    for x in spec.methods.lexicons:
        assert x.name in html and x.version in html
    assert "docs/metrics.md" in html


def test_methods_lexicons_follow_the_families_run():
    res = biascmp.analyze(ROOT / "seeds", families=("readability", "sentiment"))
    names = {x.name for x in build_spec(res).methods.lexicons}
    assert "VADER lexicon" in names and "policy_frames" not in names and "loaded" not in names


def test_glossary_is_one_line_per_metric_shown(seeds):
    from biascmp import registry

    g = build_spec(seeds).methods.glossary
    names = [x.name for x in g]
    assert len(names) == len(set(zip(names, [x.level for x in g])))
    assert "frame_<dimension>" in names and "frame_economic" not in names
    assert "flesch_kincaid_grade" in names and len(g) < len(registry.metrics())
    assert all(len(x.description) <= 110 for x in g)


def test_speakers_match_a_direct_groupby(seeds):
    sp = build_spec(seeds).speakers
    t = seeds.tables["speakers"].merge(seeds.articles[["article_id", "outlet"]], on="article_id")
    total = t.groupby("outlet")["quoted_words"].sum()
    per = (t.groupby(["outlet", "speaker"]).agg(w=("quoted_words", "sum"), q=("n_quotes", "sum"),
                                                 ty=("source_type", "first")).reset_index())
    assert sp.status == "ok" and sp.per_group == S.SPEAKERS_PER_GROUP
    assert [g.group.name for g in sp.groups] == sorted(seeds.articles["outlet"].unique())
    for g in sp.groups:
        name = g.group.name
        assert g.quoted_words == total[name]
        exp = per[per["outlet"] == name].assign(k=lambda d: d["speaker"].str.casefold()) \
            .sort_values(["w", "k"], ascending=[False, True]).head(S.SPEAKERS_PER_GROUP)
        assert [(s.name, s.source_type, s.n_quotes, s.quoted_words) for s in g.speakers] == \
            list(zip(exp["speaker"], exp["ty"], exp["q"], exp["w"]))
        assert sum(x.share for x in g.source_types) == pytest.approx(1.0)


@pytest.mark.parametrize("families, status", [(("readability", "sentiment"), "missing"), (None, "empty")])
def test_speakers_missing_or_empty(families, status):
    df = pd.DataFrame({"outlet": ["A", "B"], "text": ["The council met on Tuesday. It approved a budget.",
                                                      "The mayor spoke at noon. Officials agreed with her."]})
    res = biascmp.analyze(df, families=families) if families else biascmp.analyze(df)
    spec = build_spec(res)
    assert spec.speakers.status == status and spec.speakers.groups == ()
    assert "No quoted speakers found" in render_component("speakers", spec)


# ------------------------------------------------------------------ bounded
def test_display_shortens_tokens_and_caps_length():
    s = S.display("start " + "A" * 200_000 + " end", 300)
    assert len(s) <= 300 and "[200,000 characters]" in s and s.startswith("start AAAA")
    assert max(len(w) for w in s.split()) <= S.TOKEN_CHARS
    assert S.display("x" * 10_000_000, 50).endswith("\u2026")


_BOUNDED = """
import sys, json, biascmp, pandas as pd
from biascmp.reporting import report, build_spec
kind, out = sys.argv[1], sys.argv[2]
base = "The council met on Tuesday. Officials said the plan was fine."
if kind == "token":
    text = base + " data:" + "QUJD" * 50_000 + " " + base
else:
    words = ["The.", "And.", "It.", "Was.", "Said.", "Police.", "Yes.", "Good."]  # English enough to analyse
    text = " ".join(words[i % len(words)] for i in range(20_000))
res = biascmp.analyze(pd.DataFrame({"outlet": ["Big", "Plain"], "title": ["T" * 5000, "B"], "text": [text, base]}))
report(res, out, articles="all")
spec = build_spec(res, articles="all")
page = next(p for p in spec.articles.pages if p.group.name == "Big")
big = res.articles.loc[res.articles["outlet"] == "Big"].iloc[0]
assert big["status"] == "ok", big["status_detail"]
print(json.dumps({"n_words": int(big["n_words"]), "shown_n_words": page.metrics[-1].article,
                  "title": len(page.title), "excerpt": sum(len(s.text) for x in page.excerpt for s in x)}))
"""


@pytest.mark.parametrize("kind", ["token", "sentences"])
def test_pathological_text_renders_in_bounded_time(kind, tmp_path):
    """One article with a 200,000-character token, or 20,000 one-word sentences: the whole report (analysis
    included) finishes well under a generous limit. The timing itself is in benchmarks/report.py."""
    import json

    out = tmp_path / "r.pdf"
    r = subprocess.run([sys.executable, "-c", _BOUNDED, kind, str(out)], capture_output=True, text=True,
                       timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads(r.stdout.strip().splitlines()[-1])
    assert info["title"] <= S.TITLE_CHARS and info["excerpt"] <= S.EXCERPT_CHARS + S.SENTENCE_CHARS + 200
    assert info["shown_n_words"] == info["n_words"]  # display cuts never reach the metrics
    assert out.read_bytes()[:5] == b"%PDF-" and _pages(out) <= 20


def test_article_pages_are_capped(tmp_path):
    res = biascmp.analyze(generated_articles(3, 16, paragraphs=2))
    spec = build_spec(res, articles="all")
    n_ok = int((res.articles["status"] == "ok").sum())
    assert n_ok > S.MAX_ARTICLE_PAGES
    assert len(spec.articles.pages) == S.MAX_ARTICLE_PAGES and spec.articles.n_wanted == n_ok
    assert any(f"{n_ok} articles were asked for a page" in c for c in spec.overview.caveats)


# ------------------------------------------------------------------ HTML on screen
def test_html_has_viewport_toc_and_unique_ids(seeds, tmp_path):
    html = report(seeds, tmp_path / "r.html", format="html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, sorted(dup)[:10]
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) >= 8 and set(anchors) <= set(ids)
    # every in-SVG reference points to an id of the same document
    refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', html)) - set(anchors)
    assert refs <= set(ids)
    assert "@media screen" in html and "max-width: 46rem" in html
    # charts keep their intrinsic size
    assert re.search(r'<svg[^>]*\bwidth="[\d.]+pt"', html)


def test_html_in_chromium_at_two_widths(seeds, tmp_path):
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium); the HTML checks above "
                    "still run")
    from PIL import Image

    page = report(seeds, tmp_path / "r.html", format="html")
    for width in (1280, 420):
        png = tmp_path / f"shot{width}.png"
        r = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={tmp_path / f'profile{width}'}", f"--window-size={width},2000",
                            f"--screenshot={png}", page.as_uri()], capture_output=True, text=True, timeout=120)
        assert png.exists(), r.stderr[-2000:]
        im = Image.open(png).convert("RGB")
        assert im.size[0] == width
        # the text column: white main area narrower than the window at 1280 px, margins grey (#fafafa)
        row = [im.getpixel((x, 400)) for x in range(0, width, 4)]
        if width == 1280:
            assert row[0] == (250, 250, 250) and row[len(row) // 2] == (255, 255, 255)


# ------------------------------------------------------------------ safety
PAYLOAD = ('<img src="http://127.0.0.1:{p}/img"> <link rel=stylesheet href=http://127.0.0.1:{p}/s.css> '
           '<div style="background: url(http://127.0.0.1:{p}/u)">x</div> <img src="file:///etc/passwd"> '
           '<script>fetch("http://127.0.0.1:{p}/js")</script> <iframe src="http://127.0.0.1:{p}/f"></iframe>')


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if "img" in self.path else "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    _Recorder.hits = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


@pytest.mark.network
def test_server_sees_default_fetcher_but_not_ours(server, tmp_path):
    """Control: WeasyPrint's default fetcher does hit the server, so a zero count below means something."""
    import weasyprint

    from biascmp.reporting.fetcher import RefusingURLFetcher

    html = PAYLOAD.format(p=server)
    weasyprint.HTML(string=html).write_pdf(str(tmp_path / "default.pdf"))
    assert _Recorder.hits, "control failed: the default fetcher made no request"
    _Recorder.hits = []
    f = RefusingURLFetcher(assets={"biascmp-chart:x": b"not used"})
    weasyprint.HTML(string=html, url_fetcher=f).write_pdf(str(tmp_path / "ours.pdf"), url_fetcher=f)
    assert _Recorder.hits == [] and f.refused


@pytest.mark.network
def test_untrusted_markup_is_inert(server, tmp_path):
    payload = PAYLOAD.format(p=server)
    df = pd.DataFrame({
        "outlet": ["Evil " + payload[:60], "Plain"],
        "title": ["Title " + payload, "Quiet title"],
        "text": ["A sentence before. " + payload + " And a sentence after, it was terrible.",
                 "Nothing to see here. The council met on Tuesday."],
        "url": [f"http://127.0.0.1:{server}/url", ""],
    })
    res = biascmp.analyze(df)
    html = report(res, tmp_path / "r.html", format="html", articles="all").read_text(encoding="utf-8")
    report(res, tmp_path / "r.pdf", articles="all")
    assert _Recorder.hits == []
    for raw in ("<img", "<link rel=stylesheet", "<script", "<iframe", 'style="background: url'):
        assert raw not in html
    assert "&lt;img" in html  # shown as text in the title at least
    body = html.split("<body", 1)[1]
    assert "<style" not in body and "<link" not in body


def test_pdf_charts_are_served_only_by_our_fetcher(seeds):
    from biascmp.reporting import render

    html, assets = render.render_html(build_spec(seeds), format="pdf")
    assert set(re.findall(r'src="([^"]+)"', html)) == set(assets) and all(
        u.startswith(render.CHART_SCHEME) for u in assets)
    assert all(b[:8] == b"\x89PNG\r\n\x1a\n" for b in assets.values())


# ------------------------------------------------------------------ determinism
def test_same_input_gives_identical_pdf_and_nothing_is_refused(seeds, seed_pdf, tmp_path):
    from biascmp.reporting import render

    # the whole pipeline again (spec, charts, HTML, WeasyPrint), compared with the module's seed PDF
    spec = build_spec(seeds, articles="all", title="Seeds")
    html, assets = render.render_html(spec, format="pdf")
    out = tmp_path / "again.pdf"
    assert render.write_pdf(html, out, epoch=spec.cover.source_date_epoch, assets=assets) == []
    assert out.read_bytes() == seed_pdf.read_bytes()
    h1 = report(seeds, tmp_path / "a.html", format="html").read_bytes()
    assert h1 == report(seeds, tmp_path / "b.html", format="html").read_bytes()


def test_source_date_epoch_is_restored(monkeypatch):
    from biascmp.reporting.render import _source_date_epoch

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with _source_date_epoch(1234):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1234"
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99")
    with _source_date_epoch(1234):
        assert os.environ["SOURCE_DATE_EPOCH"] == "99"


def test_source_date_epoch_is_honoured(seeds, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_spec(seeds).cover.generated_at == "2023-11-14 22:13 UTC"


def test_spec_is_frozen_and_takes_an_extra_section(seeds, tmp_path):
    import dataclasses

    spec = build_spec(seeds)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.cover.title = "x"  # type: ignore[misc]
    tpl = tmp_path / "tpl" / "components"
    tpl.mkdir(parents=True)
    (tpl / "same_story.html").write_text("<p>{{ x.data.n_stories }} shared stories</p>")
    extra = spec.with_extra(S.ExtraSection("same-story", "Same story, different outlets", "same_story",
                                           data={"n_stories": 3}))
    anchors = [t.anchor for t in extra.toc]
    assert anchors.index("charts") < anchors.index("same-story") < anchors.index("speakers")
    from biascmp.reporting.render import render_html

    html = render_html(extra, templates=tmp_path / "tpl")[0]
    assert '<section class="extra" id="same-story">' in html and "<p>3 shared stories</p>" in html


def test_no_report_test_uses_synthetic_metric_values():
    assert not (ROOT / "tests" / "report_fakes.py").exists()
    for f in (ROOT / "tests").glob("test_report*.py"):
        src = f.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+report_fakes", src, re.M)
        assert not re.search(r"\b(enrich|fake_comparison|tiny_analysis)\(", src)


# ------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize("kw, match", [
    ({"format": "docx"}, "format"), ({"articles": -1}, "articles"), ({"articles": "some"}, "articles"),
    ({"by": "nope"}, "by"), ({"templates": "/nonexistent/dir"}, "templates"),
])
def test_bad_arguments(seeds, tmp_path, kw, match):
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        report(seeds, tmp_path / "x.pdf", **kw)


def test_user_templates_override(seeds, tmp_path):
    d = tmp_path / "tpl" / "components"
    d.mkdir(parents=True)
    (d / "cover.html").write_text("<p>MY COVER {{ spec.cover.n_articles }}</p>")
    html = report(seeds, tmp_path / "r.html", format="html", templates=tmp_path / "tpl").read_text()
    assert f"<p>MY COVER {len(seeds.articles)}</p>" in html


# ------------------------------------------------------------------ installed wheel
@pytest.mark.slow
def test_wheel_demo_outside_source_tree(tmp_path):
    wheels = tmp_path / "w"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    whl = next(wheels.glob("biascmp-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(whl) as z:
        names = z.namelist()
        z.extractall(site)
    assert "biascmp/report_templates/base.html" in names
    assert any(n.startswith("biascmp/seeds/") for n in names)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import biascmp, biascmp.datasets as d; "
            "assert biascmp.__file__.startswith(sys.argv[1]), biascmp.__file__; "
            "assert str(d.templates_path()).startswith(sys.argv[1]); "
            "from biascmp.cli import main; sys.exit(main(['demo', '-o', 'demo.pdf']))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-c", code, str(site)], cwd=work, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert (work / "demo.pdf").read_bytes()[:5] == b"%PDF-"
