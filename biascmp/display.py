"""Rich display in Jupyter: the HTML that ``Analysis._repr_html_`` and ``Comparison._repr_html_`` return.

Small by construction: at most :data:`MAX_ROWS` outlets or groups, :data:`MAX_FINDINGS` findings and
:data:`MAX_METRICS` metric columns, whatever the corpus size (the full tables stay in ``.outlets``,
``.groups``...). Every piece of text from the data (outlet names, statuses, findings) goes through
:func:`html.escape`; the HTML has no scripts, no external resources and one inline ``<style>`` scoped
to the ``biascmp-repr`` class. Written by hand (about 100 lines) rather than with pandas' Styler
because the view mixes a summary line, a status list, a table with "estimate [CI]" cells and
findings, and must stay bounded and escaped whatever the input.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: rows (outlets, groups) shown at most
MAX_ROWS = 12
#: findings shown at most
MAX_FINDINGS = 5
#: metric columns shown at most
MAX_METRICS = 4
#: characters of a name (outlet, group) shown at most; longer names end in an ellipsis
MAX_NAME = 40
#: the metrics shown first, when present (then the comparison's own order)
KEY_METRICS = ("sentiment_mean", "sentiment_narrator_mean", "loaded_language", "share_negative",
               "attribution_loaded_share", "quote_share", "flesch_kincaid_grade")

_STYLE = (
    "<style>"
    ".biascmp-repr{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4}"
    ".biascmp-repr table{border-collapse:collapse;margin:4px 0 8px 0}"
    ".biascmp-repr th,.biascmp-repr td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}"
    ".biascmp-repr th:first-child,.biascmp-repr td:first-child{text-align:left;white-space:nowrap}"
    ".biascmp-repr thead th{border-bottom:2px solid #999}"
    ".biascmp-repr .muted{color:#666}"
    ".biascmp-repr ul{margin:2px 0 6px 0;padding-left:20px}"
    "</style>"
)


def esc(value: Any) -> str:
    """Text for HTML: ``html.escape`` of ``str(value)`` (quotes too); missing values as an en dash.

    Returns:
        The escaped string.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "\u2013"
    return html.escape(str(value), quote=True)


def name(value: Any, limit: int = MAX_NAME) -> str:
    """A name from the data (outlet, group) for a table cell: shortened to ``limit`` characters, escaped.

    Returns:
        The escaped, possibly shortened, name.
    """
    s = " ".join(str(value).split()) if value is not None else value
    if isinstance(s, str) and len(s) > limit:
        s = s[: limit - 1] + "\u2026"
    return esc(s)


def num(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` significant digits (minus sign as U+2212); missing as an en dash.

    Returns:
        The formatted number.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return esc(value)
    if not math.isfinite(v):
        return "\u2013"
    if v == 0:
        return "0"
    if abs(v) >= 10 ** digits:
        s = f"{v:,.0f}"
    else:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
        s = f"{v:.{min(decimals, 6)}f}"
    return s.replace("-", "\u2212")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table from already-escaped cells."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(n_shown: int, n_all: int, what: str, where: str, largest: bool = False) -> str:
    if n_all <= n_shown:
        return ""
    return (f"<div class='muted'>{'the ' + str(n_shown) + ' largest' if largest else n_shown} of {n_all:,} {what} "
            f"shown; all in <code>{where}</code></div>")


def _largest(names: Sequence[str], sizes: dict[str, int], limit: int) -> list[str]:
    """The ``limit`` names with the largest sizes (ties by name), in name order."""
    return sorted(sorted(names, key=lambda x: (-sizes.get(x, 0), x))[:limit])


def _key_metrics(available: Sequence[str], limit: int = MAX_METRICS) -> list[str]:
    first = [m for m in KEY_METRICS if m in available]
    return (first + [m for m in available if m not in first])[:limit]


def analysis_html(analysis: Any, *, max_rows: int = MAX_ROWS) -> str:
    """The notebook view of an Analysis: counts, statuses and the head of the outlet table.

    Returns:
        An HTML fragment (a ``<div>``), bounded in size whatever the corpus.
    """
    arts, outlets = analysis.articles, analysis.outlets
    n = len(arts)
    statuses = arts["status"].astype(str).value_counts() if "status" in arts.columns and n else pd.Series(dtype=int)
    n_ok = int(statuses.get("ok", 0))
    parts = [_STYLE, "<div class='biascmp-repr'>",
             f"<b>biascmp Analysis</b>: {n:,} articles ({n_ok:,} ok), {len(analysis.sentences):,} sentences, "
             f"{len(outlets):,} outlets, {len(analysis.evidence):,} evidence rows"]
    if len(statuses):
        items = [f"{esc(k)}: {int(v):,}" for k, v in statuses.head(max_rows).items()]
        parts.append("<div>Status: " + ", ".join(items) + ("" if len(statuses) <= max_rows else ", \u2026")
                     + "</div>")
        not_ok = arts[arts["status"].astype(str) != "ok"] if "status_detail" in arts.columns else arts.iloc[:0]
        if len(not_ok):
            first = not_ok.iloc[0]
            parts.append(f"<div class='muted'>e.g. article {esc(first.get('article_id'))}: "
                         f"{esc(first['status'])} ({esc(str(first.get('status_detail', ''))[:200])})</div>")
    if len(outlets):
        by = next((c for c in outlets.columns if c not in ("n_rows", "n_articles", "n_sentences")), "outlet")
        means = [c[: -len("_mean")] for c in outlets.columns if c.endswith("_mean") and not c.endswith("_sentence_mean")]
        metrics = _key_metrics(means)
        counts = [c for c in ("n_articles", "n_rows", "n_sentences") if c in outlets.columns]
        size_col = "n_articles" if "n_articles" in outlets.columns else counts[0] if counts else None
        sizes = dict(zip(outlets[by].astype(str), outlets[size_col])) if size_col else {}
        keep = set(_largest(outlets[by].astype(str).tolist(), sizes, max_rows))
        head = outlets[outlets[by].astype(str).isin(keep)].sort_values(by, kind="mergesort")
        rows = [[name(r[by]), *(f"{int(r[c]):,}" for c in counts), *(num(r[f"{m}_mean"]) for m in metrics)]
                for _, r in head.iterrows()]
        header = [esc(by), *(esc(c) for c in counts), *(esc(m) + " <span class='muted'>(mean)</span>"
                                                       for m in metrics)]
        parts += [_table(header, rows), _more(len(head), len(outlets), "outlets", ".outlets", largest=True)]
    parts.append("<div class='muted'>Tables: <code>.articles</code>, <code>.sentences</code>, "
                 "<code>.outlets</code>, <code>.evidence</code>; <code>.plot(metric)</code> draws one metric "
                 "per outlet.</div></div>")
    return "".join(parts)


def comparison_html(comparison: Any, *, max_rows: int = MAX_ROWS, max_findings: int = MAX_FINDINGS) -> str:
    """The notebook view of a Comparison: mode, findings, and groups with their CIs as a compact table.

    Returns:
        An HTML fragment (a ``<div>``), bounded in size whatever the number of groups and metrics.
    """
    g, p, f = comparison.groups, comparison.pairs, comparison.findings
    names = sorted(g["group"].astype(str).unique()) if len(g) else []
    n_tested = int(p["p_value"].notna().sum()) if len(p) else 0
    n_sig = int(p["significant"].fillna(False).astype(bool).sum()) if len(p) else 0
    level = comparison.params.get("confidence", 0.95) if comparison.params else 0.95
    parts = [_STYLE, "<div class='biascmp-repr'>",
             f"<b>biascmp Comparison</b> by <code>{name(comparison.by)}</code>, mode <b>{esc(comparison.mode)}</b>: "
             f"{len(names):,} groups, {n_tested:,} tests, {n_sig:,} significant"]
    if len(f):
        items = "".join(f"<li>{esc(str(t)[:600])}</li>" for t in f["text"].head(max_findings))
        parts += ["<div>Findings:</div><ul>", items, "</ul>",
                  _more(min(len(f), max_findings), len(f), "findings", ".findings")]
    metrics = _key_metrics(list(dict.fromkeys(g["metric"].astype(str)))) if len(g) else []
    if metrics:
        sub = g[g["metric"].isin(metrics)]
        counts = sub.groupby("group")["n_articles"].max()
        shown = _largest(names, {k: int(v) for k, v in counts.items()}, max_rows)
        cell = {(str(r.group), str(r.metric)): (r.estimate, r.ci_low, r.ci_high) for r in sub.itertuples()}

        def fmt(group: str, metric: str) -> str:
            est, lo, hi = cell.get((group, metric), (math.nan, math.nan, math.nan))
            ci = (f" <span class='muted'>[{num(lo)}, {num(hi)}]</span>"
                  if all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lo, hi)) else "")
            return num(est) + ci

        rows = [[name(x), f"{int(counts.get(x, 0)):,}", *(fmt(x, m) for m in metrics)] for x in shown]
        header = ["group", "n", *(esc(m) for m in metrics)]
        has_ci = bool(sub[["ci_low", "ci_high"]].notna().all(axis=1).any())
        heading = (f"Estimates with {round(float(level) * 100)}% CIs <span class='muted'>(none where a group is "
                   "too small to test)</span>:" if has_ci else
                   "Estimates <span class='muted'>(descriptive: no confidence intervals)</span>:")
        parts += [f"<div>{heading}</div>",
                  _table(header, rows), _more(len(shown), len(names), "groups", ".groups", largest=True)]
    if comparison.caveats:
        parts.append("<div class='muted'>" + " ".join(esc(str(c)[:600]) for c in comparison.caveats[:3]) + "</div>")
    parts.append("<div class='muted'>Tables: <code>.groups</code>, <code>.pairs</code>, <code>.findings</code>; "
                 "<code>.plot()</code> draws the estimates.</div></div>")
    return "".join(parts)


#: resolution of figures shown in a notebook
FIGURE_DPI = 110


def notebook_figure(fig: Figure) -> Figure:
    """Make ``fig`` show itself as a PNG when it is a notebook cell's value, whatever the backend.

    The figure is released from pyplot's registry (no "more than 20 figures" warning in loops, no second
    copy drawn by an inline backend) and gets a ``_repr_png_`` that IPython calls; ``fig.savefig`` works
    as before.

    Returns:
        The same Figure.
    """
    import io

    import matplotlib.pyplot as plt

    plt.close(fig)

    def _repr_png_() -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()

    fig._repr_png_ = _repr_png_  # type: ignore[attr-defined]
    return fig


def plots_module() -> Any:
    """:mod:`biascmp.plots`, imported without changing the user's matplotlib backend.

    The chart module selects the Agg backend when it is first imported (for the report), which in
    Jupyter would stop the user's own ``plt.plot`` cells from showing; the backend in use before is
    restored. (Figures from :meth:`Comparison.plot` show through :func:`notebook_figure` either way.)

    Returns:
        The module.
    """
    import sys

    if "biascmp.plots" in sys.modules:
        return sys.modules["biascmp.plots"]
    import matplotlib

    before = dict.__getitem__(matplotlib.rcParams, "backend")  # the setting, without resolving "auto"
    from . import plots

    after = dict.__getitem__(matplotlib.rcParams, "backend")
    if isinstance(before, str) and before != after:
        import matplotlib.pyplot as plt

        plt.switch_backend(before)
    return plots
