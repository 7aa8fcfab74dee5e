"""The comparative report: ``report(analysis_or_comparison, path)``, PDF or HTML by the suffix of ``path``.

Build, then render: :func:`spec.build_spec` turns an Analysis/Comparison into plain data,
the Jinja templates in ``report_templates/`` format it, WeasyPrint prints it. See docs/report.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["report", "build_spec", "render_html", "format_of"]


def build_spec(*args: Any, **kwargs: Any) -> Any:
    from .spec import build_spec as _b

    return _b(*args, **kwargs)


def render_html(spec: Any, *, templates: Any = None) -> str:
    """The standalone HTML report (charts inline) for a spec from :func:`build_spec`."""
    from .render import render_html as _r

    return _r(spec, templates=templates, format="html")[0]


#: report file suffix -> format
SUFFIX_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def format_of(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The report format for ``path``: taken from its suffix (.pdf, .html or .htm).

    Returns:
        ``"pdf"`` or ``"html"``.

    Raises:
        ValueError: the suffix is neither, or ``format`` is given and disagrees with the suffix.
    """
    suffix = Path(path).suffix.lower()
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        raise ValueError(f"Invalid path={str(path)!r}: a report is a .pdf or .html file, not "
                         f"{suffix or 'a file without suffix'!r}; name the file report.pdf or report.html")
    if format is not None and format != fmt:
        from .._validation import check_choice

        check_choice("format", format, ("pdf", "html"))
        raise ValueError(f"Invalid format={format!r} for path={str(path)!r}: the suffix {suffix!r} says {fmt}; "
                         "the format is taken from the suffix, so format= can be left out")
    return fmt


def report(analysis_or_comparison: Any, path: str | os.PathLike[str], *, format: str | None = None,
           title: str | None = None, by: str = "outlet", story: str | None = None, articles: Any = "top",
           templates: str | os.PathLike[str] | None = None) -> Path:
    """Render the comparative report to ``path`` (PDF or standalone HTML, from its suffix).

    Args:
        analysis_or_comparison: an Analysis (then ``biascmp.compare(analysis, by=by, story=story)`` is run)
            or a Comparison.
        path: ``.pdf`` or ``.html`` (``.htm``) file; any other suffix is refused. Its folder must exist.
        format: optional; when given it must agree with the suffix.
        title: the cover title (default: derived from the data).
        by: the column that defines the groups, when an Analysis is passed.
        story: the column naming each article's story (paired comparison), when an Analysis is passed.
        articles: which articles get a page: ``"top"`` (the most negative and most positive article of
            each group), ``"all"``, or a number (the N articles furthest from the corpus mean);
            at most ``spec.MAX_ARTICLE_PAGES`` in any case (the report says so when it cuts).
        templates: a folder whose templates override the shipped ones (same names).

    Returns:
        The path written, as a :class:`pathlib.Path`.

    Raises:
        ValueError: an unsupported suffix, or ``format`` disagreeing with it.
        InputFileNotFound: the folder is missing (a FileNotFoundError).
    """
    from .._validation import InputFileNotFound
    from .render import write_pdf

    fmt = format_of(path, format)
    out = Path(path)
    if not out.parent.is_dir():
        raise InputFileNotFound(f"Invalid path={str(path)!r}: folder {str(out.parent)!r} does not exist; "
                                "create it first")
    spec = build_spec(analysis_or_comparison, title=title, by=by, story=story, articles=articles)
    from ..outputs import atomic_path
    from .render import render_html as _render

    html, assets = _render(spec, templates=templates, format=fmt)
    with atomic_path(out) as tmp:  # a crash or Ctrl-C never leaves a half-written report
        if fmt == "html":
            tmp.write_text(html, encoding="utf-8")
        else:
            write_pdf(html, tmp, epoch=spec.cover.source_date_epoch, assets=assets)
    return out
