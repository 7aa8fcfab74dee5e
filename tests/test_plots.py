"""biascmp.plots: the figures shared by the notebook and the report, read back from the artists."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import biascmp
from biascmp import plots
from biascmp.comparison import compare_groups

sys.path.insert(0, str(Path(__file__).parent))
from report_corpus import generated_articles  # noqa: E402


@pytest.fixture(scope="module")
def seeds(seed_analysis):
    return seed_analysis


@pytest.fixture(scope="module")
def paired():
    a = biascmp.analyze(generated_articles(3, 8, seed=1))
    return biascmp.compare(a, by="outlet", story="story", n_resamples=200)


def _points(ax):
    """(x, y) of every single-point marker line in an axes."""
    out = []
    for ln in ax.get_lines():
        x, y = ln.get_xdata(), ln.get_ydata()
        if len(x) == 1 and ln.get_marker() == "o":
            out.append((float(x[0]), float(y[0])))
    return out


def _ticklabels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_forest_descriptive_dots_are_group_means(seeds):
    cmp = compare_groups(seeds, by="outlet", min_groups=0)
    fig = plots.forest(cmp, metrics=["sentiment_mean", "quote_share"])
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    arts = seeds.articles[seeds.articles["status"] == "ok"]
    for ax, m in zip(axes, ["sentiment_mean", "quote_share"]):
        means = arts.groupby("outlet")[m].mean()  # independent of compare()
        labels = _ticklabels(ax)
        assert labels == sorted(means.index)
        ys = ax.get_yticks()
        got = {labels[list(ys).index(y)]: x for x, y in _points(ax)}
        assert got == pytest.approx(means.to_dict())
    # descriptive: no interval is drawn (only the dots)
    assert all(len(ln.get_xdata()) == 1 for ax in axes for ln in ax.get_lines())


def test_forest_paired_shows_within_story_differences(paired):
    assert paired.mode == "paired"
    fig = plots.forest(paired, metrics=["sentiment_mean"])
    ax = fig.axes[0]
    arts = paired.analysis.articles
    per = arts.groupby(["outlet", "story"])["sentiment_mean"].mean().unstack("outlet")
    labels = _ticklabels(ax)
    assert labels == ["Outlet A \u2212 Outlet B", "Outlet A \u2212 Outlet C", "Outlet B \u2212 Outlet C"]
    ys = list(ax.get_yticks())
    for x, y in _points(ax):
        a, b = labels[ys.index(y)].split(" \u2212 ")
        assert x == pytest.approx((per[a] - per[b]).mean())
    # one interval per pair, containing its estimate, and a zero line
    spans = [ln.get_xdata() for ln in ax.get_lines() if len(ln.get_xdata()) == 2 and ln.get_ydata()[0] == ln.get_ydata()[1]]
    assert len(spans) == 3
    assert any(ln.get_xdata()[0] == 0 for ln in ax.get_lines() if len(ln.get_xdata()) == 2
               and ln.get_ydata()[0] != ln.get_ydata()[1])


def test_forest_rejects_unknown_metric(paired):
    with pytest.raises(ValueError, match="no_such_metric"):
        plots.forest(paired, metrics=["no_such_metric"])


def test_distributions_draw_every_prose_sentence(seeds):
    fig = plots.distributions(seeds, "compound", by="outlet")
    ax = fig.axes[0]
    s = seeds.sentences[seeds.sentences["kind"] == "prose"].merge(seeds.articles[["article_id", "outlet"]])
    counts = s.groupby("outlet")["compound"].count()
    sizes = [len(c.get_offsets()) for c in ax.collections]
    assert sorted(sizes) == sorted(counts.tolist())
    assert _ticklabels(ax) == [f"{o} ({counts[o]})" for o in sorted(counts.index, reverse=True)]


def test_distributions_blank_group_is_named_and_large_groups_capped():
    n = plots.MAX_DOTS + 500
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(n + 3)], "status": "ok",
                         "outlet": ["Big"] * n + ["", None, "  "], "x": np.linspace(0, 1, n + 3)})
    a = type("A", (), {"articles": arts, "sentences": pd.DataFrame()})()
    ax = plots.distributions(a, "x").axes[0]
    assert sorted(len(c.get_offsets()) for c in ax.collections) == [3, plots.MAX_DOTS]
    assert f"{plots.NO_VALUE} (3)" in _ticklabels(ax)


def test_wrap_label_never_cuts_names_and_bounds_long_ones():
    assert plots.wrap_label("economic consequences", 12) == "economic\nconsequences"
    assert plots.wrap_label("responsibility", 10) == "responsibility"  # a word is not split
    long = plots.wrap_label("x" * 200_000)
    assert len(long) <= 70 and long.endswith("\u2026")
    assert plots.wrap_label("costs $5 and $6") == r"costs \$5 and \$6"


def test_svg_bytes_are_reproducible(seeds):
    cmp = compare_groups(seeds, by="outlet", min_groups=0)
    assert plots.figure_svg(plots.forest(cmp)) == plots.figure_svg(plots.forest(cmp))
