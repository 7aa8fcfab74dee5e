"""The one engine: every driver and every chunking gives identical frames; kernels and the reference
path give identical frames; evidence is compact and in its canonical order. Self-contained corpora
(tests/corpus.py: the seeds and text generated from them), no outside data."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest
from corpus import corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biascmp
from biascmp import engine, registry
from biascmp.columnar import reference_chunk
from biascmp.records import Options


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return biascmp.read_articles(corpus(40, seed=1))


def _frames(arts: pd.DataFrame, options: Options, sizes: list[int]) -> tuple:
    chunks, i = [], 0
    for size in sizes:
        chunks.append(engine.run_chunk(arts.iloc[i:i + size], options))
        i += size
    assert i == len(arts)
    return engine.assemble(arts, chunks, options.families)


def assert_same(a: tuple, b: tuple, *, rtol: float = 0.0) -> None:
    """Every frame identical: values (exactly, or floats within ``rtol``), dtypes, column and row order.
    With ``rtol`` (a kernel against the reference) a number column may be float where the reference's is
    int: the reference's dtype depends on the data (a sum over no hits is the int 0), a kernel's does not."""
    kw = ({"check_exact": True} if rtol == 0
          else {"check_exact": False, "rtol": rtol, "atol": rtol, "check_dtype": False})
    for x, y in zip(a[:3], b[:3], strict=True):
        pd.testing.assert_frame_equal(x, y, **kw)
    assert a[3].keys() == b[3].keys()
    for k in a[3]:
        pd.testing.assert_frame_equal(a[3][k], b[3][k], **kw)


def test_chunk_sizes_give_identical_frames(articles):
    opts = Options(max_chars=1500)  # some articles too_long, so chunks mix statuses
    whole = _frames(articles, opts, [len(articles)])
    assert (whole[0]["status"] == "too_long").any() and (whole[0]["status"] == "ok").any()
    rng = np.random.default_rng(3)
    for sizes in ([1] * len(articles), [7] * (len(articles) // 7) + [len(articles) % 7],
                  list(np.diff([0, *sorted(rng.choice(np.arange(1, len(articles)), 6, replace=False)),
                                len(articles)]))):
        assert_same(whole, _frames(articles, opts, [int(s) for s in sizes if s]))


def test_a_measured_chunk_keeps_no_tokenised_chunk_alive(articles):
    # the families share one tokenisation per chunk through module caches; once the chunk is measured they
    # are emptied, so its prepared articles and token arrays are freed with it (memory of long runs)
    from biascmp.columnar import _lex, _tokens_rs

    got = engine.run_chunk(articles, Options())
    assert len(got.evidence)  # the lexicon kernels ran
    assert _lex._CHUNKS == [] and _tokens_rs._LAST == {}


def test_chunk_of_unmeasured_rows_only(articles):
    bad = articles[articles["status"] != "ok"]
    assert len(bad)
    got = engine.run_chunk(bad, Options())
    assert len(got.articles) == len(bad) and len(got.sentences) == 0 and len(got.evidence) == 0


def test_forced_reference_equals_the_engine(articles, monkeypatch):
    """Kernels (biascmp.columnar.<family>, where written) against every family's per-article reference:
    floats within 1e-12, everything else exact."""
    default = _frames(articles, Options(), [13, 13, len(articles) - 26])
    assert_same(default, _frames(articles, Options(reference=True), [len(articles)]), rtol=1e-12)
    monkeypatch.setenv(engine.REFERENCE_ENV, "1")
    assert engine.use_reference(Options())
    assert_same(default, _frames(articles, Options(), [len(articles)]), rtol=1e-12)


_PIECES = st.sampled_from([
    "The mayor said the plan was a disaster.", "\u201cIt is reckless,\u201d Johnson said.", "Police arrested 12.",
    "ICE agents", "illegal aliens", "undocumented immigrants", "!!!", "NOT good", "but", "very", "\n\n",
    " ", "Critics slammed the", "according to officials,", "Gov. JB Pritzker", "\"", "'", "By Jane Doe\n",
    "El alcalde dijo que", "<p>", "2020-01-01", "\u00e9", ":)", "...", "Mr.", "U.S.", "the", "and", "of"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=6))
def test_generated_texts_kernels_equal_reference(texts):
    """Hypothesis-generated texts: the engine (kernels where written) equals the reference path."""
    arts = biascmp.read_articles(pd.DataFrame({"outlet": [f"O{i % 2}" for i in range(len(texts))],
                                               "text": texts}))
    got = engine.assemble(arts, [engine.run_chunk(arts, Options())])
    want = engine.assemble(arts, [engine.run_chunk(arts, Options(reference=True))])
    assert_same(got, want, rtol=1e-12)


def test_a_kernel_is_used_and_its_hit_order_does_not_matter(articles, monkeypatch):
    """A kernel module that returns the reference's result with evidence and table rows shuffled: the
    engine calls it once per chunk and its frames equal the reference path's."""
    from biascmp import loaded

    calls = []

    def measure_chunk(arts, *, options):
        calls.append(len(arts))
        res = reference_chunk(loaded.measure, arts, options=options)
        res.evidence = res.evidence.sample(frac=1.0, random_state=0).reset_index(drop=True)
        return res

    fake = types.ModuleType("biascmp.columnar.loaded")
    fake.measure_chunk = measure_chunk  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "biascmp.columnar.loaded", fake)
    engine.kernel.cache_clear()
    try:
        got = _frames(articles, Options(), [20, len(articles) - 20])
        ref = _frames(articles, Options(reference=True), [len(articles)])
    finally:
        engine.kernel.cache_clear()
    assert len(calls) == 2  # once per chunk, not per article
    assert_same(got, ref)


def test_a_broken_kernel_module_is_an_error_not_a_silent_fallback(monkeypatch):
    import importlib

    real = importlib.import_module

    def boom(name, *a, **k):
        if name == "biascmp.columnar.terms":
            raise ModuleNotFoundError("No module named 'numba'", name="numba")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", boom)
    engine.kernel.cache_clear()
    try:
        with pytest.raises(ModuleNotFoundError, match="numba"):
            engine.kernel("terms")
    finally:
        engine.kernel.cache_clear()


def test_evidence_is_compact_and_canonically_ordered(articles):
    ev = _frames(articles, Options(), [len(articles)])[2]
    assert len(ev) > 1000
    assert list(ev.columns) == engine.EVIDENCE_COLUMNS
    for col in ("article_id", "family", "category", "term"):
        assert isinstance(ev[col].dtype, pd.CategoricalDtype)
    for col in ("sentence_index", "start", "end"):
        assert ev[col].dtype == np.int32
    assert ev["in_quote"].dtype == bool
    # the order: article (input order), sentence, start, end, family (registry order), category, term
    pos = ev["article_id"].astype(str).map({a: i for i, a in enumerate(articles["article_id"])})
    fam = ev["family"].astype(str).map({f: i for i, f in enumerate(registry.FAMILIES)})
    keys = pd.DataFrame({"p": pos, "s": ev["sentence_index"], "a": ev["start"], "b": ev["end"], "f": fam,
                         "c": ev["category"].astype(str), "t": ev["term"].astype(str)})
    assert keys.equals(keys.sort_values(list(keys.columns), kind="stable"))


def test_status_handling(articles):
    opts = Options(max_chars=1500)
    arts = _frames(articles, opts, [len(articles)])[0]
    by_id = arts.set_index("article_id")
    assert by_id.at["e0", "status"] == "empty_text"
    assert by_id.at["e1", "status"] == "not_english"
    assert by_id.at["e3", "status"] == "no_prose"
    assert by_id.at["dup-same-outlet", "status"] == "duplicate_text"
    assert "syndicated" in by_id.at["dup-syndicated", "status_detail"]
    long = [a for a, t in zip(articles["article_id"], articles["text"], strict=True) if len(t) > 1500]
    assert long and (by_id.loc[long, "status"] == "too_long").all()
    assert by_id.loc[long, "status_detail"].str.contains("max_chars=1,500").all()
    # metrics only for ok rows
    assert by_id.loc[by_id["status"] != "ok", "n_words"].isna().all()
    assert by_id.loc[by_id["status"] == "ok", "n_words"].notna().all()


def test_frames_subset_builds_only_what_is_asked(articles):
    full = engine.run_chunk(articles.iloc[:10])
    art_only = engine.run_chunk(articles.iloc[:10], frames=frozenset())
    pd.testing.assert_frame_equal(full.articles, art_only.articles)
    assert len(art_only.sentences) == 0 and len(art_only.evidence) == 0 and not art_only.tables


def test_make_options_names_bad_arguments():
    with pytest.raises(ValueError, match="max_chars=0"):
        engine.make_options(max_chars=0)
    with pytest.raises(ValueError, match="loaded_threshold='high'"):
        engine.make_options(loaded_threshold="high")
    with pytest.raises(ValueError, match="families"):
        engine.make_options(families=["nope"])


def test_provenance_records_the_options():
    opts = engine.make_options(loaded_threshold=0.7, families=["loaded", "readability"], max_chars=10_000)
    p = engine.provenance(opts, n_rows=3)
    assert p["options"]["loaded_threshold"] == 0.7
    assert p["options"]["families"] == ["readability", "loaded"]  # pipeline order
    assert p["options"]["max_chars"] == 10_000 and p["n_rows"] == 3
    assert p["options"]["path"] in ("columnar", "reference")


def test_a_table_whose_family_ran_is_there_even_empty():
    df = pd.DataFrame({"outlet": ["A"], "text": ["The council met on Tuesday. It approved a budget."]})
    res = biascmp.analyze(df)
    assert len(res.tables["speakers"]) == 0
    assert list(res.tables["speakers"].columns) == list(registry.TABLES["speakers"])
    assert "speakers" not in biascmp.analyze(df, families=["readability"]).tables  # not run: absent
