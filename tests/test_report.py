"""The comparative report: seed PDF text, component snapshots, safety, determinism, installed wheel."""

from __future__ import annotations

import dataclasses
import http.server
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import biascmp
from biascmp.reporting import build_spec, report
from biascmp.reporting import filters as F
from biascmp.reporting.render import render_component

sys.path.insert(0, str(Path(__file__).parent))
from report_fakes import enrich, fake_comparison, tiny_analysis  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "snapshots"
COMPONENTS = ["cover", "summary", "outlet_table", "charts", "speakers", "articles", "methods", "reproducibility"]


@pytest.fixture(scope="module")
def seeds():
    return biascmp.analyze(ROOT / "seeds")


@pytest.fixture(scope="module")
def rich(seeds):
    return fake_comparison(enrich(seeds))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


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


# ------------------------------------------------------------------ seeds: the PDF says what the Analysis says
def test_seed_pdf_shows_outlets_titles_and_numbers(seeds, rich, tmp_path):
    out = tmp_path / "seeds.pdf"
    report(rich, out, articles="all")
    text = _pdf_text(out)
    a = rich.analysis.articles
    for outlet in a["outlet"].unique():
        assert outlet in text
    for title in a["title"]:
        assert re.sub(r"\s+", " ", title) in text
    assert f"{len(a)} in the input" in text
    assert f"{len(seeds.sentences)} sentences" in text
    # per-article values, at the precision the article pages print them (3 decimals, true minus sign)
    for v in a["sentiment_mean"]:
        assert F.signed(v, 3) in text
    for v in a["flesch_kincaid_grade"]:
        assert f"{v:.1f}" in text
    assert re.search(r"Page 1 of \d+", text)


def test_real_seed_analysis_renders(seeds, tmp_path):
    out = report(seeds, tmp_path / "s.pdf", title="Seeds")
    text = _pdf_text(out)
    for outlet in seeds.articles["outlet"].unique():
        assert outlet in text


def _speakers_table(rows):
    cols = ["article_id", "speaker", "quoted_words", "share_quoted_words", "n_quotes", "named", "source_type"]
    return pd.DataFrame(rows, columns=cols)


def tiny_with_speakers():
    """tiny_analysis() with a speakers table: one speaker in two articles, all four source types, a
    missing speaker and a missing word count (both dropped), and no quotes at all in the Beta group."""
    rows = [("a1", "Lightfoot", 10, 10 / 15, 2, True, "named"), ("a1", "the mayor", 5, 5 / 15, 1, False, "role"),
            ("a2", "Lightfoot", 6, 6 / 13, 1, True, "named"), ("a2", "she", 4, 4 / 13, 1, False, "pronoun"),
            ("a2", "officials <b>", 3, 3 / 13, 1, False, "unnamed"), ("a2", None, 7, np.nan, 1, False, "unnamed"),
            ("a2", "Zed", np.nan, np.nan, np.nan, True, "named")]
    a = tiny_analysis()
    return dataclasses.replace(a, tables={"speakers": _speakers_table(rows)})


# ------------------------------------------------------------------ snapshots of each component
@pytest.mark.parametrize("name", COMPONENTS)
def test_component_snapshot(name):
    spec = build_spec(fake_comparison(tiny_with_speakers()), title="Snapshot report", articles="all")
    svgs = {c["id"]: f"<svg id='{c['id']}'></svg>" for c in spec["charts"]}
    html = render_component(name, spec, svgs=svgs)
    snap = SNAPSHOTS / f"{name}.html"
    if os.environ.get("BIASCMP_SNAPSHOT_UPDATE"):
        snap.parent.mkdir(exist_ok=True)
        snap.write_text(html, encoding="utf-8")
    assert snap.exists(), f"no snapshot {snap}; run with BIASCMP_SNAPSHOT_UPDATE=1 and review it"
    assert html == snap.read_text(encoding="utf-8")


# ------------------------------------------------------------------ who is quoted
def test_speakers_match_a_direct_groupby(seeds):
    sp = build_spec(seeds)["speakers"]
    t = seeds.tables["speakers"].merge(seeds.articles[["article_id", "outlet"]], on="article_id")
    total = t.groupby("outlet")["quoted_words"].sum()
    per = (t.groupby(["outlet", "speaker"]).agg(w=("quoted_words", "sum"), q=("n_quotes", "sum"),
                                                 ty=("source_type", "first")).reset_index())
    by_type = t.groupby(["outlet", "source_type"])["quoted_words"].sum()
    assert sp["status"] == "ok" and sp["per_group"] == 8
    assert [g["group"] for g in sp["groups"]] == sorted(seeds.articles["outlet"].unique())
    for g in sp["groups"]:
        name = g["group"]
        assert g["quoted_words"] == total[name]
        exp = per[per["outlet"] == name].sort_values(["w", "speaker"], ascending=[False, True]).head(8)
        assert [(s["name"], s["source_type"], s["n_quotes"], s["quoted_words"]) for s in g["speakers"]] == \
            list(zip(exp["speaker"], exp["ty"], exp["q"], exp["w"]))
        assert [s["share"] for s in g["speakers"]] == pytest.approx(list(exp["w"] / total[name]))
        assert {x["type"]: x["share"] for x in g["source_types"]} == pytest.approx(
            {k: by_type.get((name, k), 0) / total[name] for k in ("named", "role", "pronoun", "unnamed")})
    # the seed words these rest on (attribution's own tests check the table against the text)
    wire = next(g for g in sp["groups"] if g["group"] == "The Daily Wire")
    assert wire["speakers"][0]["name"] == "Lightfoot" and wire["speakers"][0]["quoted_words"] > 100


def test_speakers_known_values_nan_and_empty_group():
    sp = build_spec(fake_comparison(tiny_with_speakers()))["speakers"]
    alpha, beta = sp["groups"]
    assert alpha["quoted_words"] == 28 and alpha["n_speakers"] == 4 and alpha["n_more"] == 0
    assert [(s["name"], s["source_type"], s["n_quotes"], s["quoted_words"]) for s in alpha["speakers"]] == [
        ("Lightfoot", "named", 3, 16), ("the mayor", "role", 1, 5), ("she", "pronoun", 1, 4),
        ("officials <b>", "unnamed", 1, 3)]
    assert [s["share"] for s in alpha["speakers"]] == pytest.approx([16 / 28, 5 / 28, 4 / 28, 3 / 28])
    assert [(x["type"], x["quoted_words"]) for x in alpha["source_types"]] == [
        ("named", 16), ("role", 5), ("pronoun", 4), ("unnamed", 3)]
    assert beta["group"] == "Beta & Sons <News>" and beta["quoted_words"] == 0 and beta["speakers"] == []
    assert all(x["share"] is None for x in beta["source_types"])
    html = render_component("speakers", build_spec(fake_comparison(tiny_with_speakers())))
    assert "28 quoted words from 4 speakers: 57% named, 18% role, 14% pronoun, 11% unnamed." in html
    assert "officials &lt;b&gt;" in html and "<b>" not in html
    assert "No attributed quotations found." in html  # the Beta group
    assert "nan" not in html.lower().replace("nance", "")


def test_speakers_top_eight_ties_by_name_and_untyped_rows():
    names = ["Kim", "adams", "Baker", "Cruz", "Diaz", "Evans", "Ford", "Gray", "Hall", "Ito"]
    rows = [("a1", n, 5, 0.1, 1, True, None) for n in names] + [("b1", "Zoe", 1, 1.0, 1, True, "named")]
    a = dataclasses.replace(tiny_analysis(), tables={"speakers": _speakers_table(rows).drop(columns="named")})
    alpha = build_spec(fake_comparison(a))["speakers"]["groups"][0]
    assert [s["name"] for s in alpha["speakers"]] == ["adams", "Baker", "Cruz", "Diaz", "Evans", "Ford", "Gray",
                                                      "Hall"]
    assert alpha["n_speakers"] == 10 and alpha["n_more"] == 2
    # no source_type given: classed again from the speaker string (lower case is not a proper name)
    assert [s["source_type"] for s in alpha["speakers"]] == ["unnamed"] + ["named"] * 7
    assert "2 more speakers not listed." in render_component("speakers", build_spec(fake_comparison(a)))


@pytest.mark.parametrize("tables, status, message", [
    ({}, "missing", "this analysis has no speakers table"),
    ({"speakers": pd.DataFrame()}, "empty", "no quotation in these articles was attributed"),
    ({"speakers": _speakers_table([("a1", "Lightfoot", 0, np.nan, 0, True, "named")])}, "empty",
     "no quotation in these articles was attributed"),
])
def test_speakers_missing_or_empty_table(tables, status, message):
    spec = build_spec(fake_comparison(dataclasses.replace(tiny_analysis(), tables=tables)))
    assert spec["speakers"]["status"] == status and spec["speakers"]["groups"] == []
    html = render_component("speakers", spec)
    assert "No quoted speakers found" in html and message in html and "<table" not in html


def test_speakers_only_for_the_groups_shown():
    from biascmp.analysis import Analysis

    n = 14  # more than MAX_GROUPS = 12: the report keeps the 12 largest (ties by name)
    ids = [f"x{i:02d}" for i in range(n)] + ["x00b"]
    outlets = [f"Outlet {i:02d}" for i in range(n)] + ["Outlet 00"]
    arts = pd.DataFrame({"article_id": ids, "outlet": outlets, "title": ids, "status": "ok",
                         "sentiment_mean": np.linspace(-0.5, 0.5, len(ids))})
    sents = pd.DataFrame({"article_id": ids, "sentence_index": 0, "kind": "prose", "text": "Text.",
                          "in_quote": 0.0, "compound": 0.0})
    rows = [(aid, f"Speaker {aid}", 10, 1.0, 1, True, "named") for aid in ids]
    a = Analysis(articles=arts, sentences=sents, outlets=pd.DataFrame(), evidence=pd.DataFrame(),
                 tables={"speakers": _speakers_table(rows)}, params={})
    spec = build_spec(a)
    groups = spec["speakers"]["groups"]
    assert [g["group"] for g in groups] == [o["name"] for o in spec["outlets"]] == \
        ["Outlet 00"] + [f"Outlet {i:02d}" for i in range(1, 12)]
    assert groups[0]["quoted_words"] == 20 and [s["name"] for s in groups[0]["speakers"]] == \
        ["Speaker x00", "Speaker x00b"]


def test_spec_leaves_out_absent_sections(seeds):
    bare = build_spec(seeds)
    ids = {c["id"] for c in bare["charts"]}
    has = set(seeds.articles.columns) | set(seeds.sentences.columns)
    assert ("frames" in ids) == any(c.startswith("frame_") and c not in ("frame_primary", "frame_entropy") for c in has)


def test_outlet_names_are_escaped_everywhere(tmp_path):
    c = fake_comparison(tiny_analysis())
    html = report(c, tmp_path / "r.html", format="html").read_text(encoding="utf-8")
    assert "Beta &amp; Sons &lt;News&gt;" in html
    assert "<News>" not in html


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
    f = RefusingURLFetcher()
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
    body = html.split("<body>", 1)[1]
    assert "<style" not in body and "<link" not in body


# ------------------------------------------------------------------ determinism
def test_same_input_gives_identical_pdf(rich, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    p1, p2 = tmp_path / "a.pdf", tmp_path / "b.pdf"
    report(rich, p1)
    report(rich, p2)
    assert p1.read_bytes() == p2.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # restored


def test_source_date_epoch_is_honoured(rich, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_spec(rich)["cover"]["generated_at"] == "2023-11-14 22:13 UTC"


# ------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize("kw, match", [
    ({"format": "docx"}, "format"), ({"articles": -1}, "articles"), ({"articles": "some"}, "articles"),
    ({"by": "nope"}, "by"), ({"templates": "/nonexistent/dir"}, "templates"),
])
def test_bad_arguments(seeds, tmp_path, kw, match):
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        report(seeds, tmp_path / "x.pdf", **kw)


def test_user_templates_override(tmp_path):
    d = tmp_path / "tpl" / "components"
    d.mkdir(parents=True)
    (d / "cover.html").write_text("<p>MY COVER {{ spec.cover.n_articles }}</p>")
    html = report(fake_comparison(tiny_analysis()), tmp_path / "r.html", format="html",
                  templates=tmp_path / "tpl").read_text()
    assert "<p>MY COVER 4</p>" in html


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
