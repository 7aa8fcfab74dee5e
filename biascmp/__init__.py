"""biascmp: compare how news outlets cover the same story.

Articles in (a DataFrame or files), sentence-, article- and outlet-level metrics out
(sentiment, readability, framing, loaded language, attribution, who is quoted), honest
comparisons between outlets, and a comparative PDF/HTML report with the evidence behind
every number.

    >>> import biascmp
    >>> arts = biascmp.read_articles(biascmp.datasets.seeds_path())
    >>> res = biascmp.analyze(arts)
    >>> cmp = biascmp.compare(res, by="outlet")
    >>> biascmp.report(cmp, "report.pdf")
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

__all__ = [
    "__version__",
    "read_articles",
    "analyze",
    "Analysis",
    "compare",
    "Comparison",
    "report",
    "match_stories",
    "datasets",
    "registry",
]


def __getattr__(name: str) -> Any:
    # Lazy imports: `import biascmp` stays cheap (no pandas/matplotlib/weasyprint until used).
    if name == "read_articles":
        from .io import read_articles

        return read_articles
    if name in ("analyze", "Analysis"):
        from . import analysis

        return getattr(analysis, name)
    # the modules are named comparison/reporting (not compare/report) so that importing them never
    # replaces the functions biascmp.compare and biascmp.report with a module of the same name
    if name in ("compare", "Comparison"):
        from .comparison import Comparison, compare

        return compare if name == "compare" else Comparison
    if name == "report":
        from .reporting import report

        return report
    if name == "match_stories":
        from .stories import match_stories

        return match_stories
    if name in ("datasets", "registry"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'biascmp' has no attribute {name!r}")
