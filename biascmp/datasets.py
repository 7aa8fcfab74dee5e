"""Built-in demo corpus: the four seed articles (Chicago mayors and federal law enforcement, 2019-2025).

The seeds ship inside the wheel (``biascmp/seeds``) and live at the repository's top-level ``seeds/``
in a source checkout; :func:`seeds_path` finds whichever is there.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _resource_dir(name: str) -> Path:
    """A data folder shipped in the wheel as ``biascmp/<name>``, or the checkout's top-level ``<name>/``."""
    here = Path(__file__).resolve().parent
    for cand in (here / name, here.parent / name):
        if cand.is_dir():
            return cand
    raise FileNotFoundError(
        f"biascmp's {name!r} folder was not found beside the package ({here}); reinstall biascmp")


def seeds_path() -> Path:
    """Folder holding the seed articles (.txt with YAML front matter)."""
    return _resource_dir("seeds")


def seeds() -> pd.DataFrame:
    """The seed corpus as read_articles() returns it (4 rows)."""
    from .io import read_articles

    return read_articles(seeds_path())


def templates_path() -> Path:
    """Folder holding the report's Jinja templates and CSS."""
    return _resource_dir("report_templates")
