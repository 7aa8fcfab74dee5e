"""Charts as inline vector SVG strings, made by matplotlib from numbers only.

The SVG strings are the one piece of markup made in Python; the templates insert them with ``|safe``.
Text in them (outlet, metric and actor names) goes through matplotlib, which XML-escapes it; ``$``
is escaped first so a name is never parsed as mathtext. ``svg_of`` strips the XML prolog so the SVG
can sit inline in HTML, and fixes the hash salt and drops the date so the bytes are reproducible.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette, black last; then Paul Tol's "muted" scheme.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
OTHER = "#BBBBBB"

RC = {
    "svg.hashsalt": "biascmp",
    "svg.fonttype": "none",  # keep text as <text>: smaller, selectable, rendered with the page's DejaVu Sans
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.usetex": False,
    "path.simplify": True,
}

_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)


def colors_for(names: Sequence[str]) -> dict[str, str]:
    """One colour per name, in the given (stable) order; names beyond the palette share grey."""
    return {n: (PALETTE[i] if i < len(PALETTE) else OTHER) for i, n in enumerate(names)}


def label(text: object, width: int = 28) -> str:
    """A name safe for matplotlib: no mathtext, shortened to ``width`` characters."""
    s = str(text).replace("\n", " ")
    if len(s) > width:
        s = s[: width - 1] + "\u2026"
    return s.replace("$", r"\$")


def svg_of(fig: matplotlib.figure.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    svg = _PROLOG.sub("", buf.getvalue(), count=1)
    # matplotlib's one <style> rule (round line joins) is dropped: the report body then carries no
    # <style> element at all, which keeps the "no markup from outside" check simple and strict
    svg = _STYLE.sub("", svg)
    # matplotlib sets width/height in pt; let CSS scale the chart to the column instead
    return re.sub(r'^<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', svg, count=1)


def _fig(height: float, width: float = 6.3) -> tuple[matplotlib.figure.Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


#: dots drawn per group at most in distribution charts
MAX_DOTS = 1500


def distribution(values: dict[str, Sequence[float]], colors: dict[str, str], *, xlabel: str,
                 xlim: tuple[float, float] | None = None) -> str:
    """One row per group: a box plot with every value as a jittered dot (deterministic jitter)."""
    with plt.rc_context(RC):
        names = list(values)
        fig, ax = _fig(0.45 * len(names) + 0.9)
        for i, name in enumerate(names):
            y = len(names) - 1 - i
            v = np.asarray([x for x in values[name] if not math.isnan(x)], dtype=float)
            if v.size == 0:
                continue
            kw = dict(positions=[y], widths=0.55, showfliers=False, medianprops={"color": "black"},
                      boxprops={"color": "#444444"}, whiskerprops={"color": "#444444"},
                      capprops={"color": "#444444"})
            try:  # matplotlib >= 3.10
                ax.boxplot(v, orientation="horizontal", **kw)
            except TypeError:  # older matplotlib
                ax.boxplot(v, vert=False, **kw)
            # dots: every value, or MAX_DOTS evenly spaced quantiles of a large group (same shape, bounded
            # SVG size: 140,000 sentence dots made a 3 GB, 2-minute PDF)
            dots = v if v.size <= MAX_DOTS else np.quantile(v, np.linspace(0, 1, MAX_DOTS))
            jitter = (np.arange(dots.size) * 0.6180339887 % 1.0 - 0.5) * 0.4
            ax.scatter(dots, y + jitter, s=6, color=colors[name], alpha=0.75, linewidths=0, zorder=3)
        ax.set_yticks(range(len(names)), [label(n) for n in reversed(names)])
        ax.set_ylim(-0.7, len(names) - 0.3)
        if xlim:
            ax.set_xlim(*xlim)
        ax.axvline(0, color="#999999", lw=0.6, zorder=0) if xlim and xlim[0] < 0 < xlim[1] else None
        ax.set_xlabel(label(xlabel, 80))
        return svg_of(fig)


def grouped_bars(table: dict[str, dict[str, float]], colors: dict[str, str], *, ylabel: str,
                 series_order: Sequence[str]) -> str:
    """Groups on the x axis (``table[group][series]``), one bar per series; outlets are the series."""
    with plt.rc_context(RC):
        groups = list(table)
        fig, ax = _fig(2.6)
        n = max(len(series_order), 1)
        width = 0.8 / n
        for j, s in enumerate(series_order):
            xs = [i - 0.4 + width * (j + 0.5) for i in range(len(groups))]
            ys = [table[g].get(s, float("nan")) for g in groups]
            ax.bar(xs, ys, width=width * 0.92, color=colors.get(s, OTHER), label=label(s))
        ax.set_xticks(range(len(groups)), [label(g, 30) for g in groups])
        ax.axhline(0, color="#666666", lw=0.6)
        ax.set_ylabel(label(ylabel, 60))
        ax.legend(frameon=False, fontsize=7, ncols=min(n, 4), loc="upper center",
                  bbox_to_anchor=(0.5, -0.12))
        return svg_of(fig)


def dots(table: dict[str, dict[str, float]], colors: dict[str, str], *, xlabel: str,
         series_order: Sequence[str]) -> str:
    """A dot plot: one row per measure (``table[measure][outlet]``), one coloured dot per outlet."""
    with plt.rc_context(RC):
        rows = list(table)
        fig, ax = _fig(0.4 * len(rows) + 1.1)
        for s in series_order:
            xs = [table[r].get(s, float("nan")) for r in rows]
            ax.scatter(xs, [len(rows) - 1 - i for i in range(len(rows))], s=28, color=colors.get(s, OTHER),
                       label=label(s), zorder=3, edgecolors="white", linewidths=0.5)
        ax.set_yticks(range(len(rows)), [label(r, 34) for r in reversed(rows)])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.grid(axis="x", color="#dddddd", lw=0.5)
        ax.set_xlabel(label(xlabel, 80))
        ax.legend(frameon=False, fontsize=7, ncols=min(len(series_order), 4), loc="upper center",
                  bbox_to_anchor=(0.5, -0.18 if len(rows) > 3 else -0.3))
        return svg_of(fig)


def heatmap(matrix: dict[str, dict[str, float]], *, row_order: Sequence[str], col_order: Sequence[str],
            cbar_label: str, diverging: bool = False, fmt: str = "{:.2f}") -> str:
    """Rows x columns heat map with the value printed in each cell (so colour is never the only cue)."""
    with plt.rc_context(RC):
        data = np.array([[matrix.get(r, {}).get(c, float("nan")) for c in col_order] for r in row_order],
                        dtype=float)
        fig, ax = _fig(0.28 * len(row_order) + 1.3, width=6.3)
        finite = data[np.isfinite(data)]
        if diverging:
            lim = float(np.max(np.abs(finite))) if finite.size else 1.0
            lim = lim or 1.0
            im = ax.pcolormesh(np.ma.masked_invalid(data), cmap="RdBu", vmin=-lim, vmax=lim)
            ax.invert_yaxis()
        else:
            vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
            im = ax.pcolormesh(np.ma.masked_invalid(data), cmap="Blues", vmin=0, vmax=vmax)
        # pcolormesh, not imshow: imshow embeds a PNG as a data: URL, which the refusing fetcher blocks
        ax.invert_yaxis()
        norm = im.norm
        for i in range(len(row_order)):
            for j in range(len(col_order)):
                v = data[i, j]
                if np.isfinite(v):
                    dark = abs(norm(v) - (0.5 if diverging else 0.0)) > (0.35 if diverging else 0.6)
                    ax.text(j + 0.5, i + 0.5, fmt.format(v).replace("-", "\u2212"), ha="center", va="center", fontsize=6.5,
                            color="white" if dark else "black")
        ax.set_xticks(np.arange(len(col_order)) + 0.5, [label(c, 20) for c in col_order], rotation=30, ha="right")
        ax.set_yticks(np.arange(len(row_order)) + 0.5, [label(r, 34) for r in row_order])
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cb.set_label(label(cbar_label, 40))
        return svg_of(fig)
