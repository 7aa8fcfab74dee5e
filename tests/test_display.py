"""Notebook display: the HTML reprs say what the tables say, escape text, stay small; plot() gives figures
drawn from the comparison's own numbers."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import biascmp
from biascmp.analysis import EVIDENCE_COLUMNS, SENTENCE_BASE_COLUMNS, Analysis, aggregate_outlets
from biascmp.display import MAX_ROWS, num

ROOT = Path(__file__).resolve().parents[1]
EVIL = '<script>alert("x")</script> & <b>Co'


@pytest.fixture(scope="module")
def res() -> Analysis:
    return biascmp.analyze(ROOT / "seeds")


@pytest.fixture(scope="module")
def cmp(res):
    return biascmp.compare(res, by="outlet", n_resamples=200)


def _rows(fragment: str) -> int:
    return fragment.count("<tr>") - fragment.count("<thead><tr>")


def _synthetic(n_outlets: int, per_outlet: int, seed: int = 0) -> Analysis:
    """An Analysis of many outlets built from article rows (aggregates computed by biascmp itself)."""
    rng = np.random.default_rng(seed)
    n = n_outlets * per_outlet
    arts = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)],
        "outlet": [f"{EVIL} {i // per_outlet}" for i in range(n)],
        "status": ["ok"] * (n - 1) + ["empty_text"],
        "status_detail": [""] * (n - 1) + ["text is empty <i>"],
        "sentiment_mean": rng.uniform(-1, 1, n),
        "loaded_language": rng.uniform(0, 1, n),
    })
    sentences = pd.DataFrame(columns=SENTENCE_BASE_COLUMNS)
    return Analysis(arts, sentences, aggregate_outlets(arts, sentences), pd.DataFrame(columns=EVIDENCE_COLUMNS))


# ------------------------------------------------------------------ Analysis
def test_analysis_repr_html_says_what_the_tables_say(res):
    # measured: no _repr_html_; a notebook showed one line of text
    out = res._repr_html_()
    n_ok = int((res.articles["status"] == "ok").sum())
    assert f"{len(res.articles):,} articles ({n_ok:,} ok)" in out
    assert f"{len(res.sentences):,} sentences" in out and f"{len(res.evidence):,} evidence rows" in out
    assert _rows(out) == len(res.outlets)
    for _, r in res.outlets.iterrows():  # each outlet's row holds its count and its mean sentiment
        row = re.search(r"<tr><td>" + re.escape(html.escape(r["outlet"])) + r"</td>(.*?)</tr>", out)
        assert row, r["outlet"]
        cells = re.findall(r"<td>(.*?)</td>", row.group(1))
        assert cells[0] == f"{int(r['n_articles']):,}"
        assert num(r["sentiment_mean_mean"]) in cells


def test_analysis_repr_escapes_and_stays_small():
    big = _synthetic(n_outlets=3000, per_outlet=2)
    out = big._repr_html_()
    assert "<script>" not in out and "<b>Co" not in out and "<i>" not in out
    assert "&lt;script&gt;" in out
    assert _rows(out) == MAX_ROWS and f"{MAX_ROWS} largest of 3,000 outlets" in out
    assert len(out) < 12_000  # a few kilobytes, whatever the corpus
    assert "empty_text: 1" in out


# ------------------------------------------------------------------ Comparison
def test_comparison_repr_html_has_mode_findings_and_cis(cmp):
    out = cmp._repr_html_()
    assert f"mode <b>{cmp.mode}</b>" in out
    assert html.escape(cmp.findings["text"].iloc[0]) in out
    assert _rows(out) == cmp.groups["group"].nunique()


def test_comparison_repr_shows_intervals_when_inferential():
    rng = np.random.default_rng(1)
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(40)], "outlet": [EVIL, "B"] * 20,
                         "status": "ok", "sentiment_mean": rng.normal(0, 1, 40)})
    sentences = pd.DataFrame(columns=SENTENCE_BASE_COLUMNS)
    a = Analysis(arts, sentences, aggregate_outlets(arts, sentences), pd.DataFrame(columns=EVIDENCE_COLUMNS))
    c = biascmp.compare(a, by="outlet", n_resamples=200)
    out = c._repr_html_()
    assert c.mode == "inferential" and "<script>" not in out
    for r in c.groups.itertuples():  # estimate [ci_low, ci_high] of every group
        assert f"{num(r.estimate)} <span class='muted'>[{num(r.ci_low)}, {num(r.ci_high)}]</span>" in out


def test_comparison_repr_stays_small_with_many_groups():
    a = _synthetic(n_outlets=200, per_outlet=3)
    c = biascmp.compare(a, by="outlet", baseline=a.outlets["outlet"].iloc[0], n_resamples=100)  # 199 pairs
    out = c._repr_html_()
    assert _rows(out) == MAX_ROWS and "200 groups" in out and len(out) < 15_000
    assert "<script>" not in out


# ------------------------------------------------------------------ plots
def test_comparison_plot_is_a_forest_of_the_estimates(cmp):
    fig = cmp.plot(["sentiment_mean", "share_negative"])
    assert isinstance(fig, Figure)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    ax = axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == sorted(cmp.groups["group"].unique())
    xs = sorted(x for line in ax.get_lines() for x in line.get_xdata() if line.get_marker() == "o")
    want = cmp.groups[cmp.groups["metric"] == "sentiment_mean"]["estimate"]
    assert xs == pytest.approx(sorted(want))


def test_paired_comparison_plot_shows_differences():
    rng = np.random.default_rng(2)
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(30)], "outlet": ["A", "B", "C"] * 10,
                         "story": [f"s{i // 3}" for i in range(30)], "status": "ok",
                         "sentiment_mean": rng.normal(0, 1, 30)})
    sentences = pd.DataFrame(columns=SENTENCE_BASE_COLUMNS)
    a = Analysis(arts, sentences, aggregate_outlets(arts, sentences), pd.DataFrame(columns=EVIDENCE_COLUMNS))
    c = biascmp.compare(a, by="outlet", story="story", n_resamples=200)
    assert c.mode == "paired"
    ax = c.plot().axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == ["A \u2212 B", "A \u2212 C", "B \u2212 C"]
    xs = sorted(x for line in ax.get_lines() for x in line.get_xdata() if line.get_marker() == "o")
    assert xs == pytest.approx(sorted(c.pairs["difference"]))


def test_analysis_plot_shows_each_outlet(res):
    fig = res.plot("compound")
    assert isinstance(fig, Figure)
    labels = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    for outlet in res.outlets["outlet"]:
        assert outlet in labels.replace("\n", " ")
    with pytest.raises(ValueError, match="no_such_metric"):
        res.plot("no_such_metric")


def test_plot_keeps_the_users_matplotlib_backend():
    # the chart module selects Agg when first imported; in Jupyter that stopped the user's own plots showing
    import subprocess
    import sys

    code = ("import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot as plt; import biascmp; "
            f"res = biascmp.analyze({str(ROOT / 'seeds')!r}); fig = res.plot('compound'); "
            "print(matplotlib.get_backend(), type(fig).__name__, len(fig._repr_png_()) > 5000, plt.get_fignums())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["svg", "Figure", "True", "[]"]  # backend kept; figure released from pyplot, still drawable
