"""Report charts: matplotlib figures from the spec's tidy frames, encoded for the two outputs.

The forest plot and the distributions are :mod:`biascmp.plots` (the same functions the notebook uses);
the heat maps, dot plot and grouped bars that only the report draws are here. :func:`draw` turns a
:class:`~biascmp.reporting.spec.Chart` into a Figure; :func:`png` and :func:`svg` encode it.

Formats, measured (benchmarks/report.py, docs/performance.md): WeasyPrint lays out and paints an inline
SVG element by element (a 3-outlet sentence-sentiment chart with 4,500 dots: 3.9 s), but places a PNG
as one image (0.04 s). The PDF therefore gets PNGs at :data:`PNG_DPI` (print resolution; deterministic
bytes: no date or software chunk), served to WeasyPrint by the report's own fetcher; the HTML gets
inline SVG at its intrinsic size, with every element id prefixed by the chart id so ids stay unique
across charts. Text in figures goes through :func:`biascmp.plots.wrap_label` (no mathtext; wrapped,
never cut mid-word; absurdly long user names shortened).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .. import plots  # noqa: E402
from ..plots import OTHER, RC, wrap_label  # noqa: E402

#: print resolution of the PDF's chart images
PNG_DPI = 200
WIDTH = 6.3  # inches: the A4 text column (174 mm) at 100 %

_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_IDS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


# ----------------------------------------------------------------------------- encoders
def png(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """RGB PNG bytes (no alpha channel, no metadata chunks: reproducible). The figure's own layout is
    kept (the builders call tight_layout), so matplotlib draws it once, not twice as
    ``bbox_inches="tight"`` would. RGB, not matplotlib's RGBA: WeasyPrint splits an alpha channel into
    a second image and re-encodes both (about a third of its time on the seed report)."""
    from PIL import Image

    fig.set_dpi(dpi)
    fig.patch.set_facecolor("white")
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]  # Agg canvas
    plt.close(fig)
    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3].copy(), "RGB").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


#: on screen, charts are drawn this much larger than on paper (8 pt text would be ~11 CSS px)
SCREEN_SCALE = 1.2
_SIZE = re.compile(r'^(<svg[^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"')


def svg(fig: Figure, prefix: str, scale: float = SCREEN_SCALE) -> str:
    """Inline SVG text: no XML prolog, no <style> element, every id and reference prefixed with
    ``prefix`` (unique across the charts of a page), width and height kept (the intrinsic size, times
    ``scale``; the viewBox keeps the drawing)."""
    buf = io.StringIO()
    with plt.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = _PROLOG.sub("", buf.getvalue(), count=1)
    # matplotlib's one <style> rule (round line joins) is dropped: the report body then carries no
    # <style> element at all, which keeps the "no markup from outside" check simple and strict
    text = _STYLE.sub("", text)
    text = _SIZE.sub(lambda m: f'{m.group(1)} width="{float(m.group(2)) * scale:.1f}pt" '
                               f'height="{float(m.group(3)) * scale:.1f}pt"', text, count=1)
    return _IDS.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)


# ----------------------------------------------------------------------------- report-only figures
def heatmap(cells: pd.DataFrame, *, rows: Sequence[str], cols: Sequence[str], value_label: str,
            diverging: bool = False, fmt: str = "{:.2f}", row_title: str = "", width: float = WIDTH) -> Figure:
    """``cells``: tidy frame with columns ``row``, ``col``, ``value``. Rows top to bottom in the order
    given (the caption's order), columns left to right; the value is printed in each cell, so colour is
    never the only cue; empty cells stay blank."""
    plots._need(cells, ["row", "col", "value"], "heatmap cells")
    table = cells.pivot_table(index="row", columns="col", values="value", aggfunc="first", sort=False)
    data = table.reindex(index=list(rows), columns=list(cols)).to_numpy(dtype=float)
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, 0.3 * len(rows) + 1.5))
        finite = data[np.isfinite(data)]
        if diverging:
            lim = float(np.max(np.abs(finite))) if finite.size else 1.0
            im = ax.pcolormesh(np.ma.masked_invalid(data), cmap="RdBu", vmin=-(lim or 1.0), vmax=lim or 1.0)
        else:
            vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
            im = ax.pcolormesh(np.ma.masked_invalid(data), cmap="Blues", vmin=0, vmax=vmax)
        # pcolormesh draws row i between y = i and i + 1; one inversion puts row 0 at the top
        ax.set_ylim(len(rows), 0)
        norm = im.norm
        for i in range(len(rows)):
            for j in range(len(cols)):
                v = data[i, j]
                if np.isfinite(v):
                    dark = abs(norm(v) - (0.5 if diverging else 0.0)) > (0.35 if diverging else 0.6)
                    ax.text(j + 0.5, i + 0.5, fmt.format(v).replace("-", "\u2212"), ha="center", va="center",
                            fontsize=6.5, color="white" if dark else "black")
        many = len(cols) > 6
        # many columns: one slanted line each (wrapped lines of neighbouring slanted labels collide)
        # few columns: wrapped to the cell's width (about 0.7 of the figure is cells; 4.6 pt per character)
        per_cell = max(8, int(width * 0.7 / max(len(cols), 1) * 72 / 4.6))
        ax.set_xticks(np.arange(len(cols)) + 0.5, [wrap_label(c, 40 if many else per_cell, max_lines=1 if many else 3)
                                                   for c in cols],
                      rotation=40 if many else 0, ha="right" if many else "center", rotation_mode="anchor")
        ax.set_yticks(np.arange(len(rows)) + 0.5, [wrap_label(r, 30, max_lines=2) for r in rows])
        if row_title:
            ax.set_ylabel(row_title)
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        cb = fig.colorbar(im, ax=ax, fraction=0.035, pad=0.02)
        cb.set_label(wrap_label(value_label, 30))
        cb.outline.set_visible(False)
        fig.tight_layout()
    return fig


def dots(values: pd.DataFrame, *, rows: Sequence[str], series: Sequence[str], colors: dict[str, str],
         xlabel: str, width: float = WIDTH) -> Figure:
    """A dot plot, one row per measure, one dot per series (group). Dots of a row are dodged: each series
    sits at its own small vertical offset, so equal values never hide each other. ``values``: tidy frame
    with columns ``row``, ``series``, ``value``."""
    plots._need(values, ["row", "series", "value"], "dot values")
    n = max(len(series), 1)
    step = min(0.6 / n, 0.14)
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, 0.45 * len(rows) + 1.0))
        for j, s in enumerate(series):
            sub = values[values["series"] == s].set_index("row")["value"]
            off = (j - (n - 1) / 2) * step
            ys = [len(rows) - 1 - i - off for i in range(len(rows))]
            xs = [float(sub.get(r, np.nan)) for r in rows]
            ax.scatter(xs, ys, s=26, color=colors.get(s, OTHER), label=wrap_label(s, 30, max_lines=1), zorder=3,
                       edgecolors="white", linewidths=0.5)
        ax.set_yticks(range(len(rows)), [wrap_label(r, 30) for r in reversed(rows)])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.grid(axis="x", color="#dddddd", lw=0.5)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(wrap_label(xlabel, 80))
        ax.legend(frameon=False, fontsize=7, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.2))
        fig.tight_layout()
    return fig


def grouped_bars(values: pd.DataFrame, *, categories: Sequence[str], series: Sequence[str],
                 colors: dict[str, str], ylabel: str, width: float = WIDTH) -> Figure:
    """Categories on the x axis, one bar per series (group). ``values``: columns ``category``,
    ``series``, ``value``."""
    plots._need(values, ["category", "series", "value"], "bar values")
    n = max(len(series), 1)
    w = 0.8 / n
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, 2.5))
        for j, s in enumerate(series):
            sub = values[values["series"] == s].set_index("category")["value"]
            xs = [i - 0.4 + w * (j + 0.5) for i in range(len(categories))]
            ax.bar(xs, [float(sub.get(c, np.nan)) for c in categories], width=w * 0.92, color=colors.get(s, OTHER),
                   label=wrap_label(s, 30, max_lines=1))
        ax.set_xticks(range(len(categories)), [wrap_label(c, 30) for c in categories])
        ax.axhline(0, color="#666666", lw=0.6)
        ax.set_ylabel(wrap_label(ylabel, 40))
        ax.tick_params(axis="x", length=0)
        ax.legend(frameon=False, fontsize=7, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.14))
        fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- dispatch
def draw(chart: Any, colors: dict[str, str]) -> Figure:
    """The Figure for one spec chart (see ``spec.Chart``: ``kind``, ``data`` and ``options``)."""
    o = dict(chart.options)
    if chart.kind == "forest":
        return plots.forest(chart.data, metrics=o["metrics"], colors=colors)
    if chart.kind == "distribution":
        return plots.distributions_of(chart.data, xlabel=o["xlabel"], colors=colors, xlim=o.get("xlim"))
    if chart.kind == "heatmap":
        return heatmap(chart.data, rows=o["rows"], cols=o["cols"], value_label=o["value_label"],
                       diverging=o.get("diverging", False), fmt=o.get("fmt", "{:.2f}"), row_title=o.get("row_title", ""))
    if chart.kind == "dots":
        return dots(chart.data, rows=o["rows"], series=o["series"], colors=colors, xlabel=o["xlabel"])
    if chart.kind == "grouped_bars":
        return grouped_bars(chart.data, categories=o["categories"], series=o["series"], colors=colors,
                            ylabel=o["ylabel"])
    raise ValueError(f"unknown chart kind {chart.kind!r}")  # pragma: no cover - spec and charts agree
