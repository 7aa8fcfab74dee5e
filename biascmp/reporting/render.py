"""Render a report spec: Jinja (autoescape, StrictUndefined) to HTML, WeasyPrint to PDF."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from . import charts as _charts
from .filters import FILTERS


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


def chart_svgs(spec: dict[str, Any]) -> dict[str, str]:
    """chart id -> SVG string, drawn from the numbers in the spec."""
    colors = {o["name"]: o["color"] for o in spec["outlets"]}
    out: dict[str, str] = {}
    for c in spec["charts"]:
        d = c["data"]
        if c["kind"] == "distribution":
            out[c["id"]] = _charts.distribution(d["values"], colors, xlabel=d["xlabel"],
                                                xlim=tuple(d["xlim"]) if d["xlim"] else None)
        elif c["kind"] == "grouped_bars":
            out[c["id"]] = _charts.grouped_bars(d["table"], colors, ylabel=d["ylabel"], series_order=d["series"])
        elif c["kind"] == "dots":
            out[c["id"]] = _charts.dots(d["table"], colors, xlabel=d["xlabel"], series_order=d["series"])
        elif c["kind"] == "heatmap":
            out[c["id"]] = _charts.heatmap(d["matrix"], row_order=d["rows"], col_order=d["cols"],
                                           cbar_label=d["cbar"], diverging=d["diverging"], fmt=d["fmt"])
        else:  # pragma: no cover - spec and render are written together
            raise ValueError(f"unknown chart kind {c['kind']!r}")
    return out


def render_component(name: str, spec: dict[str, Any], *, templates: Any = None,
                     svgs: dict[str, str] | None = None) -> str:
    """One component template (e.g. "cover") rendered alone: used by the snapshot tests."""
    env = environment(templates)
    return env.get_template(f"components/{name}.html").render(spec=spec, svgs=svgs or {})


def render_html(spec: dict[str, Any], *, templates: Any = None) -> str:
    env = environment(templates)
    return env.get_template("base.html").render(spec=spec, svgs=chart_svgs(spec))


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


def write_pdf(html: str, path: str | os.PathLike[str], *, epoch: int) -> list[str]:
    """HTML -> PDF with a fetcher that refuses every URL; returns the URLs it refused."""
    import weasyprint

    from .fetcher import RefusingURLFetcher

    fetcher = RefusingURLFetcher()
    with _source_date_epoch(epoch):
        doc = weasyprint.HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
        doc.write_pdf(str(path), url_fetcher=fetcher)
    return fetcher.refused
