"""The comparative report: ``report(analysis_or_comparison, path, format="pdf"|"html")``.

Build, then render: :func:`spec.build_spec` turns an Analysis/Comparison into plain data,
the Jinja templates in ``report_templates/`` format it, WeasyPrint prints it. See docs/report.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["report", "build_spec", "render_html"]


def build_spec(*args: Any, **kwargs: Any) -> Any:
    from .spec import build_spec as _b

    return _b(*args, **kwargs)


def render_html(spec: Any, *, templates: Any = None) -> str:
    """The standalone HTML report (charts inline) for a spec from :func:`build_spec`."""
    from .render import render_html as _r

    return _r(spec, templates=templates, format="html")[0]


def report(analysis_or_comparison: Any, path: str | os.PathLike[str], *, format: str = "pdf",
           title: str | None = None, by: str = "outlet", story: str | None = None, articles: Any = "top",
           templates: str | os.PathLike[str] | None = None) -> Path:
    """Render the comparative report to ``path`` (PDF or standalone HTML) and return the path.

    ``analysis_or_comparison``: an Analysis (then ``biascmp.compare(analysis, by=by, story=story)`` is run)
    or a Comparison. ``articles``: which articles get a page: ``"top"`` (the most negative and most
    positive article of each group), ``"all"``, or a number (the N articles furthest from the corpus mean);
    at most ``spec.MAX_ARTICLE_PAGES`` in any case (the report says so when it cuts).
    ``templates``: a folder whose templates override the shipped ones (same names).
    """
    from .._validation import check_choice
    from .render import write_pdf

    check_choice("format", format, ("pdf", "html"))
    out = Path(path)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"Invalid path={str(path)!r}: folder {str(out.parent)!r} does not exist")
    spec = build_spec(analysis_or_comparison, title=title, by=by, story=story, articles=articles)
    from ..outputs import atomic_path
    from .render import render_html as _render

    html, assets = _render(spec, templates=templates, format=format)
    with atomic_path(out) as tmp:  # a crash or Ctrl-C never leaves a half-written report
        if format == "html":
            tmp.write_text(html, encoding="utf-8")
        else:
            write_pdf(html, tmp, epoch=spec.cover.source_date_epoch, assets=assets)
    return out
