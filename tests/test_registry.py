"""The metric registry documents every numeric output column, and docs/metrics.md is generated from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from biascmp import registry

REPO = Path(__file__).resolve().parents[1]
IDENTITY = {"sentence_index", "paragraph", "start", "end", "date"}


def test_every_entry_is_complete():
    for m in registry.metrics():
        assert m.level in registry.LEVELS, m
        for field in ("description", "formula", "range", "direction", "reference"):
            assert getattr(m, field).strip(), f"{m.name}: empty {field}"


def test_names_are_unique_per_level():
    seen = [(m.name, m.level) for m in registry.metrics()]
    assert len(seen) == len(set(seen))


def test_every_numeric_article_and_sentence_column_is_documented(seed_analysis):
    documented = {(m.name, m.level) for m in registry.metrics()}
    for level, frame in (("article", seed_analysis.articles), ("sentence", seed_analysis.sentences)):
        numeric = [c for c in frame.columns
                   if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
                   and c not in IDENTITY]
        missing = [c for c in numeric if (c, level) not in documented]
        assert not missing, f"undocumented {level} columns: {missing}"


def test_docs_metrics_md_is_in_sync():
    path = REPO / "docs" / "metrics.md"
    assert path.read_text(encoding="utf-8") == registry.to_markdown(), \
        "docs/metrics.md is stale: run `python -m biascmp.registry > docs/metrics.md`"
