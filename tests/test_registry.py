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


def test_every_metric_has_a_label_and_a_known_format():
    for m in registry.metrics():
        assert m.label.strip() and m.label != m.name, m.name
        assert m.fmt in registry.FORMATS, m.name
    assert set(registry.DISPLAY) <= {m.name for m in registry.metrics()}, "DISPLAY names an unknown metric"
    fmts = registry.formats()
    assert fmts["n_words"] == "int" and fmts["share_negative"] == "pct" and fmts["sentiment_mean"] == "signed"
    assert fmts["frame_primary"] == "text" and fmts["readability_note"] == "text"


def test_text_metrics_are_text_in_the_output(seed_analysis):
    """A metric shown as text holds text, and a text column is not shown as a number."""
    fmts = registry.formats()
    for level, frame in (("article", seed_analysis.articles), ("sentence", seed_analysis.sentences)):
        for m in registry.metrics():
            if m.level == level and m.name in frame.columns:
                is_text = not pd.api.types.is_numeric_dtype(frame[m.name])
                assert is_text == (fmts[m.name] == "text"), (m.name, frame[m.name].dtype, fmts[m.name])


def test_comparison_labels_come_from_the_registry():
    from biascmp import comparison

    assert comparison.label("share_negative") == "share of negative sentences"
    assert comparison.label("flesch_kincaid_grade") == registry.get("flesch_kincaid_grade").label  # proper name
    assert not hasattr(comparison, "LABELS")


def test_one_quoted_threshold():
    from biascmp import actors, comparison, loaded, sentiment

    assert registry.QUOTED_THRESHOLD == 0.5
    for mod in (actors, comparison, loaded, sentiment):
        assert mod.QUOTED is registry.QUOTED_THRESHOLD, mod.__name__
    import re

    pattern = re.compile(r"^\s*QUOTED\w*\s*=\s*0\.5", re.M)  # no second definition anywhere
    for path in (REPO / "biascmp").rglob("*.py"):
        if path.name != "registry.py":
            assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_one_family_list():
    from biascmp import analysis

    assert registry.FAMILY_MODULES[1:] == tuple(f"biascmp.{f}" for f in registry.FAMILIES)
    assert not hasattr(analysis, "FAMILY_MODULES")


def test_local_tables_have_the_registry_schema(seed_analysis):
    assert set(seed_analysis.tables) == set(registry.TABLES)
    for name, frame in seed_analysis.tables.items():
        assert {c: str(t) for c, t in frame.dtypes.items()} == registry.TABLES[name], name
        meta = registry.table_meta(name)
        assert list(meta.columns) == list(frame.columns) and len(meta) == 0


def test_registry_import_errors_are_not_swallowed(monkeypatch):
    import importlib

    real = importlib.import_module

    def boom(name, *a, **k):
        if name == "biascmp.terms":
            raise ImportError("broken lexicon")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", boom)
    import pytest

    with pytest.raises(ImportError, match="broken lexicon"):
        registry.metrics()
