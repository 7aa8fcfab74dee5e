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

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what type checkers, IDEs and completion see: the real objects and signatures
    # ("import X as X" marks a re-export, PEP 484)
    from . import datasets as datasets
    from . import registry as registry
    from ._validation import BiascmpError as BiascmpError
    from ._validation import InputError as InputError
    from ._validation import InputFileNotFound as InputFileNotFound
    from .analysis import Analysis as Analysis
    from .analysis import analyze as analyze
    from .comparison import Comparison as Comparison
    from .comparison import compare as compare
    from .fit import fit_lexicon as fit_lexicon
    from .io import read_articles as read_articles
    from .lexicons import write_lexicon as write_lexicon
    from .reload import read_analysis as read_analysis
    from .reporting import report as report
    from .stories import match_stories as match_stories

#: public name -> (module, attribute or None for the module itself). Imports happen on first use, so
#: ``import biascmp`` loads no pandas, matplotlib or WeasyPrint. The modules are named comparison/reporting
#: (not compare/report) so importing them never shadows the functions biascmp.compare and biascmp.report.
_LAZY: dict[str, tuple[str, str | None]] = {
    "read_articles": (".io", "read_articles"),
    "read_analysis": (".reload", "read_analysis"),
    "analyze": (".analysis", "analyze"),
    "Analysis": (".analysis", "Analysis"),
    "compare": (".comparison", "compare"),
    "Comparison": (".comparison", "Comparison"),
    "report": (".reporting", "report"),
    "BiascmpError": ("._validation", "BiascmpError"),
    "InputError": ("._validation", "InputError"),
    "InputFileNotFound": ("._validation", "InputFileNotFound"),
    "datasets": (".datasets", None),
    "registry": (".registry", None),
    "match_stories": (".stories", "match_stories"),
    "fit_lexicon": (".fit", "fit_lexicon"),
    "write_lexicon": (".lexicons", "write_lexicon"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> object:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'biascmp' has no attribute {name!r}") from None
    try:
        mod = importlib.import_module(module, __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}{module}":
            raise
        # AttributeError (not ImportError), so hasattr(biascmp, name) is simply False
        raise AttributeError(f"biascmp.{name} needs the module biascmp{module}, which this installation "
                             "does not have; reinstall biascmp") from exc
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value  # cache: later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    """The public API only (what ``biascmp.<TAB>`` offers), not the helpers this module imports."""
    return sorted(__all__)
