"""Matplotlib figures shared by the notebook (``Comparison.plot()``, ``Analysis.plot(metric)``) and the report.

Public functions (each returns a :class:`matplotlib.figure.Figure`; nothing is shown or saved):

``forest(comparison, metrics=None, *, max_groups=12) -> Figure``
    One panel per metric. Independent or descriptive comparisons: one row per group with its estimate
    and, where the comparison computed one, its confidence interval (``comparison.groups``: group,
    metric, estimate, ci_low, ci_high, n_articles). Paired comparisons (``comparison.mode == "paired"``):
    one row per pair with the within-story difference A - B, its CI and a zero line
    (``comparison.pairs``: group_a, group_b, metric, difference, ci_low, ci_high, q_value, significant).
    ``metrics``: metric column names (default: :data:`KEY_METRICS` present in the comparison).

``distributions(analysis, metric, by="outlet", *, max_groups=12) -> Figure``
    One row per group: a box plot of ``metric`` and every value as a dot, with deterministic jitter.
    ``metric`` is an article column of ``analysis.articles`` or, if not one, a sentence column of
    ``analysis.sentences`` (prose sentences only, e.g. ``"compound"``). Large groups draw at most
    :data:`MAX_DOTS` dots (evenly spaced quantiles, same shape).

Helpers: :func:`colors_for` (one stable colour per group), :func:`wrap_label` (labels wrapped, never
cut, except names longer than ``limit`` characters, which are shortened with an ellipsis),
:func:`metric_label`, :func:`figure_svg` and :func:`figure_png` (reproducible bytes).

Column names are the documented ones (docs/compare.md); a missing column raises ``ValueError`` naming
it, never a guess among aliases. Everything here is deterministic: the same input gives the same figure.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["forest", "distributions", "distributions_of", "colors_for", "wrap_label", "metric_label", "figure_svg", "figure_png",
           "KEY_METRICS", "PALETTE", "RC", "MAX_DOTS", "NO_VALUE"]

#: Okabe & Ito (2008) colour-blind-safe palette, black last; then Paul Tol's "muted" scheme.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
OTHER = "#BBBBBB"
#: how a blank or missing group value is shown
NO_VALUE = "(no value)"
#: the metrics the forest plot shows by default, in order (those present in the comparison)
KEY_METRICS = ("sentiment_mean", "sentiment_narrator_mean", "share_negative", "loaded_language",
               "attribution_loaded_share", "quote_share", "flesch_kincaid_grade")
#: dots drawn per group at most in distribution charts
MAX_DOTS = 1500

RC: dict[Any, Any] = {  # matplotlib types rc keys as Literals
    "svg.hashsalt": "biascmp",
    "svg.fonttype": "none",  # text stays <text>: small, selectable, drawn with the page's DejaVu Sans
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.usetex": False,
    "path.simplify": True,
}


# ----------------------------------------------------------------------------- helpers
def colors_for(names: Sequence[str]) -> dict[str, str]:
    """One colour per name, in the given (stable) order; names beyond the palette share grey."""
    return {n: (PALETTE[i] if i < len(PALETTE) else OTHER) for i, n in enumerate(names)}


def wrap_label(text: object, width: int = 24, *, limit: int = 60, max_lines: int = 3) -> str:
    """A label safe for matplotlib: wrapped at ``width`` characters on word boundaries (never cut mid-word
    for names up to ``limit`` characters), no mathtext (``$`` escaped). Longer names, which only come
    from user data (an outlet column holding a whole article), are shortened to ``limit`` characters
    with an ellipsis; a word is broken only when it is longer than both ``width`` and 24 characters."""
    s = re.sub(r"\s+", " ", str(text)).strip()
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "\u2026"
    # a word up to 24 characters is never split ("responsibilit|y"); only longer ones are broken
    width = max(width, min(max((len(w) for w in s.split()), default=0), 24))
    lines = textwrap.wrap(s, width=width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
    return "\n".join(lines).replace("$", r"\$")


def metric_label(metric: str) -> str:
    """The display label of a metric: the registry's ``label`` field when it has one, else the
    comparison's short label (``biascmp.comparison.label``)."""
    try:
        from . import registry

        m = registry.get(metric) if hasattr(registry, "get") else None
        lab = getattr(m, "label", None) if m is not None else None
        if lab:
            return str(lab)
    except (KeyError, ValueError, ImportError):
        pass
    from .comparison import label

    return label(metric)


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text with reproducible bytes (no date, fixed hash salt), closed afterwards."""
    buf = io.StringIO()
    with plt.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes with reproducible bytes (no software/date chunks), closed afterwards."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _need(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {missing}; it has {sorted(map(str, df.columns))}")


def _group_names(values: pd.Series) -> pd.Series:
    """Group values as display strings: blank and missing values become :data:`NO_VALUE`."""
    s = values.astype("string").str.strip()
    return s.mask(s.isna() | (s == ""), NO_VALUE).astype(str)


def _largest(names: Sequence[str], counts: dict[str, int], max_groups: int) -> list[str]:
    keep = sorted(names, key=lambda g: (-counts.get(g, 0), g))[:max_groups]
    return sorted(keep)


# ----------------------------------------------------------------------------- forest
def forest(comparison: Any, metrics: Sequence[str] | None = None, *, max_groups: int = 12,
           colors: dict[str, str] | None = None, width: float = 6.3) -> Figure:
    """Estimates with confidence intervals per group (paired comparisons: within-story differences per
    pair), one small panel per metric. See the module docstring."""
    groups = comparison.groups
    _need(groups, ["group", "metric", "estimate", "ci_low", "ci_high"], "comparison.groups")
    present = list(dict.fromkeys(groups["metric"].astype(str)))
    if metrics is None:
        metrics = [m for m in KEY_METRICS if m in present] or present[:6]
    else:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        bad = [m for m in metrics if m not in present]
        if bad:
            raise ValueError(f"Invalid metrics={bad!r}: not compared; the comparison has {present}")
    names = sorted(groups["group"].astype(str).unique())
    counts = {str(g): int(n) for g, n in groups.groupby("group")["n_articles"].max().items()} \
        if "n_articles" in groups.columns else {}
    names = _largest(names, counts, max_groups)
    colors = colors or colors_for(names)
    paired = getattr(comparison, "mode", "") == "paired"
    rows_per_panel: list[list[dict[str, Any]]] = []
    for m in metrics:
        if paired:
            p = comparison.pairs
            _need(p, ["group_a", "group_b", "metric", "difference", "ci_low", "ci_high"], "comparison.pairs")
            sub = p[(p["metric"] == m) & p["group_a"].astype(str).isin(names) & p["group_b"].astype(str).isin(names)]
            sub = sub.sort_values(["group_a", "group_b"], kind="mergesort")
            rows = [{"label": f"{a} \u2212 {b}", "x": r_d, "lo": lo, "hi": hi, "color": "#333333",
                     "strong": bool(sig) if sig is not None and not pd.isna(sig) else False}
                    for a, b, r_d, lo, hi, sig in zip(sub["group_a"].astype(str), sub["group_b"].astype(str),
                                                       sub["difference"], sub["ci_low"], sub["ci_high"],
                                                       sub["significant"] if "significant" in sub.columns
                                                       else [False] * len(sub))]
        else:
            sub = groups[groups["metric"] == m].set_index(groups.loc[groups["metric"] == m, "group"].astype(str))
            rows = [{"label": g, "x": sub.at[g, "estimate"], "lo": sub.at[g, "ci_low"], "hi": sub.at[g, "ci_high"],
                     "color": colors.get(g, OTHER), "strong": False} for g in names if g in sub.index]
        rows_per_panel.append(rows)

    n = len(metrics)
    ncols = 1 if n <= 3 else 2
    nrows = max(1, math.ceil(n / ncols))
    per_row = max((len(r) for r in rows_per_panel), default=1)
    panel_h = 0.22 * per_row + 0.55
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, panel_h * nrows + 0.15), squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= n:
                ax.set_visible(False)
                continue
            rows = rows_per_panel[k]
            ys = np.arange(len(rows))[::-1]
            for y, r in zip(ys, rows):
                x, lo, hi = (float(v) if v is not None and not pd.isna(v) else math.nan
                             for v in (r["x"], r["lo"], r["hi"]))
                if math.isfinite(lo) and math.isfinite(hi):
                    ax.plot([lo, hi], [y, y], color=r["color"], lw=1.6 if r["strong"] else 1.1,
                            solid_capstyle="butt", zorder=2)
                if math.isfinite(x):
                    ax.plot([x], [y], marker="o", ms=4.5, color=r["color"], mec="white", mew=0.6, zorder=3,
                            linestyle="none")
            if paired:
                ax.axvline(0, color="#555555", lw=0.8, ls=(0, (3, 2)), zorder=1)
            ax.set_yticks(ys, [wrap_label(r["label"], 26 if ncols == 2 else 40, max_lines=2) for r in rows])
            ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
            ax.set_title(wrap_label(metric_label(metrics[k]), 30 if ncols == 2 else 70), loc="left")
            ax.grid(axis="x", color="#e4e4e4", lw=0.5)
            ax.tick_params(axis="y", length=0)
            ax.margins(x=0.08)
        fig.tight_layout(h_pad=0.6, w_pad=1.2)
    return fig


# ----------------------------------------------------------------------------- distributions
def _values(analysis: Any, metric: str, by: str) -> tuple[pd.Series, pd.Series, str]:
    arts = analysis.articles
    _need(arts, [by], "analysis.articles")
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    if metric in arts.columns:
        return pd.to_numeric(ok[metric], errors="coerce"), _group_names(ok[by]), "article"
    s = analysis.sentences
    if metric not in s.columns:
        raise ValueError(f"Invalid metric={metric!r}: neither an article column nor a sentence column")
    if "kind" in s.columns:
        s = s[s["kind"] == "prose"]
    key = dict(zip(ok["article_id"], _group_names(ok[by])))
    g = s["article_id"].map(key)
    keep = g.notna()
    return pd.to_numeric(s.loc[keep, metric], errors="coerce"), g[keep].astype(str), "sentence"


def distributions(analysis: Any, metric: str, by: str = "outlet", *, max_groups: int = 12,
                  colors: dict[str, str] | None = None, xlim: tuple[float, float] | None = None,
                  width: float = 6.3) -> Figure:
    """One row per group: box plot and every value as a jittered dot. See the module docstring."""
    vals, grp, level = _values(analysis, metric, by)
    frame = pd.DataFrame({"group": grp.to_numpy(), "value": vals.to_numpy(dtype=float)})
    return distributions_of(frame, xlabel=f"{metric_label(metric)} (per {level})", max_groups=max_groups,
                            colors=colors, xlim=xlim, width=width)


def distributions_of(values: pd.DataFrame, *, xlabel: str, max_groups: int = 12,
                     colors: dict[str, str] | None = None, xlim: tuple[float, float] | None = None,
                     width: float = 6.3) -> Figure:
    """:func:`distributions` on a tidy frame with columns ``group`` and ``value`` (one row per value)."""
    _need(values, ["group", "value"], "values")
    grp = values["group"].astype(str)
    vals = pd.to_numeric(values["value"], errors="coerce")
    counts = {str(k): int(v) for k, v in grp.value_counts().items()}
    names = _largest(sorted(counts), counts, max_groups)
    colors = colors or colors_for(names)
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, 0.42 * len(names) + 0.9))
        for i, name in enumerate(names):
            y = len(names) - 1 - i
            v = vals[grp == name].to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            if v.size == 0:
                continue
            kw: dict[str, Any] = dict(positions=[y], widths=0.55, showfliers=False, medianprops={"color": "black"},
                      boxprops={"color": "#444444"}, whiskerprops={"color": "#444444"},
                      capprops={"color": "#444444"}, manage_ticks=False)
            try:  # matplotlib >= 3.10
                ax.boxplot(v, orientation="horizontal", **kw)
            except TypeError:  # older matplotlib
                ax.boxplot(v, vert=False, **kw)
            dots = np.sort(v) if v.size <= MAX_DOTS else np.quantile(v, np.linspace(0, 1, MAX_DOTS))
            # golden-ratio jitter: deterministic, spreads neighbours apart
            jitter = (np.arange(dots.size) * 0.6180339887 % 1.0 - 0.5) * 0.42
            ax.scatter(dots, y + jitter, s=6 if dots.size > 50 else 12, color=colors.get(name, OTHER),
                       alpha=0.75, linewidths=0, zorder=3)
        ax.set_yticks(range(len(names)), [wrap_label(f"{n} ({counts[n]:,})", 28, max_lines=2)
                                          for n in reversed(names)])
        ax.set_ylim(-0.7, len(names) - 0.3)
        if xlim:
            ax.set_xlim(*xlim)
        lo, hi = ax.get_xlim()
        if lo < 0 < hi:
            ax.axvline(0, color="#999999", lw=0.6, zorder=0)
        ax.set_xlabel(wrap_label(xlabel, 90, limit=120))
        ax.tick_params(axis="y", length=0)
        fig.tight_layout()
    return fig
