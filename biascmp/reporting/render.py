"""Render a report spec: Jinja (autoescape, StrictUndefined) to HTML, WeasyPrint to PDF.

Charts: the PDF's are PNG images at print resolution that only the report's own fetcher can serve
(``biascmp-chart:<id>``); the HTML's are inline SVG with ids prefixed per chart (see charts.py for why).
"""

from __future__ import annotations

import os
import struct
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import charts as _charts
from .filters import FILTERS

CHART_SCHEME = "biascmp-chart:"


def environment(templates: str | os.PathLike[str] | None = None) -> jinja2.Environment:
    """The Jinja environment: the user's folder first (if given), then the shipped templates."""
    from ..datasets import templates_path

    paths = [str(templates_path())]
    if templates is not None:
        t = Path(templates)
        if not t.is_dir():
            from .._validation import InputFileNotFound

            raise InputFileNotFound(f"Invalid templates={str(templates)!r}: not a folder; pass a folder holding "
                                    f"base.html (copy {paths[0]} to start from the shipped templates)")
        paths.insert(0, str(t))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


def _png_size(data: bytes) -> tuple[int, int]:
    w, h = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return int(w), int(h)


def draw_charts(spec: Any, format: str) -> tuple[dict[str, Markup], dict[str, bytes]]:
    """chart id -> markup for the template, and the PNG bytes the PDF fetcher may serve (by URL)."""
    charts = ([spec.overview.forest] if spec.overview.forest is not None else []) + list(spec.charts)
    colors = spec.colors
    markup: dict[str, Markup] = {}
    assets: dict[str, bytes] = {}
    for c in charts:
        fig = _charts.draw(c, colors)
        if format == "pdf":
            data = _charts.png(fig)
            url = f"{CHART_SCHEME}{c.id}"
            assets[url] = data
            w, h = _png_size(data)
            markup[c.id] = Markup(  # size in inches: the figure's own size, so text prints at its point size
                f'<img class="chart" src="{url}" alt="{escape(c.title)}" '
                f'style="width: {w / _charts.PNG_DPI:.3f}in; height: {h / _charts.PNG_DPI:.3f}in">')
        else:
            markup[c.id] = Markup(f'<div class="chart" role="img" aria-label="{escape(c.title)}">'
                                  f"{_charts.svg(fig, f'c-{c.id}')}</div>")
    return markup, assets


def render_component(name: str, spec: Any, *, templates: Any = None, figures: dict[str, Any] | None = None) -> str:
    """One component template (e.g. "cover") rendered alone."""
    env = environment(templates)
    return env.get_template(f"components/{name}.html").render(spec=spec, figures=figures or {}, format="html")


def render_html(spec: Any, *, templates: Any = None, format: str = "html") -> tuple[str, dict[str, bytes]]:
    """The report's HTML and the chart images it refers to (PDF only; the HTML inlines its charts)."""
    env = environment(templates)
    figures, assets = draw_charts(spec, format)
    html = env.get_template("base.html").render(spec=spec, figures=figures, format=format)
    return html, assets


@contextmanager
def _source_date_epoch(epoch: int):
    old = os.environ.get("SOURCE_DATE_EPOCH")
    usable = old is not None and old.strip().isdigit()
    if not usable:  # unset, empty or not a number (fontTools would crash on it): use the report's epoch
        os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        yield
    finally:
        if not usable:
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old


def write_pdf(html: str, path: str | os.PathLike[str], *, epoch: int, assets: dict[str, bytes] | None = None) -> list[str]:
    """HTML -> PDF with a fetcher that serves only the report's own chart images; returns the URLs it refused."""
    import weasyprint

    from .fetcher import RefusingURLFetcher

    fetcher = RefusingURLFetcher(assets=assets or {})
    with _source_date_epoch(epoch):
        doc = weasyprint.HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
        doc.write_pdf(str(path), url_fetcher=fetcher)
    return fetcher.refused
