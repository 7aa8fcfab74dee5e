"""Streaming, chunking and parallel runs give the same numbers as one in-memory analyze()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from corpus import corpus as make_corpus

import biascmp
from biascmp.stream import analyze_to_file


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    """Seeds, articles generated from them and rows with every status (tests/corpus.py): no outside data."""
    return make_corpus(90, seed=2)


@pytest.fixture(scope="module")
def reference(corpus):
    return biascmp.analyze(corpus)


def _numeric_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a["article_id"].astype(str)) == list(b["article_id"].astype(str))
    num = [c for c in a.columns if pd.api.types.is_numeric_dtype(a[c]) and c in b.columns]
    assert num, "no numeric columns to compare"
    assert np.array_equal(a[num].to_numpy(float), b[num].to_numpy(float), equal_nan=True)


@pytest.mark.parametrize("chunksize", [1, 7, 64, 1000])
def test_chunksize_does_not_change_results(corpus, reference, chunksize, tmp_path):
    out = tmp_path / "a.parquet"
    summary = analyze_to_file(corpus, out, chunksize=chunksize)
    assert summary.n_rows == len(corpus) == summary.n_written
    _numeric_equal(reference.articles, pd.read_parquet(out))


def test_parallel_equals_serial_and_keeps_order(corpus, reference, tmp_path):
    par = biascmp.analyze(corpus, n_jobs=2, chunksize=10)
    _numeric_equal(reference.articles, par.articles)
    # workers build their chunk's frames; put together they equal the frames built once from all rows
    pd.testing.assert_frame_equal(reference.articles, par.articles)
    pd.testing.assert_frame_equal(reference.sentences, par.sentences)
    pd.testing.assert_frame_equal(reference.evidence, par.evidence)
    assert reference.tables.keys() == par.tables.keys()
    for name in reference.tables:
        pd.testing.assert_frame_equal(reference.tables[name], par.tables[name])
    out = tmp_path / "s.jsonl"
    analyze_to_file(corpus, out, chunksize=9, n_jobs=2, level="sentence")
    got = pd.read_json(out, lines=True, dtype=False, precise_float=True)
    assert len(got) == len(reference.sentences)
    assert got["text"].tolist() == reference.sentences["text"].tolist()
    assert np.allclose(got["compound"].to_numpy(float), reference.sentences["compound"].to_numpy(float),
                       equal_nan=True, rtol=0, atol=1e-12)


@pytest.mark.parametrize("level", ["article", "sentence", "evidence", "speakers", "actors", "terms"])
def test_every_level_streamed_equals_in_memory(corpus, reference, level, tmp_path):
    """Each level written by the streamed driver (chunks of 11, two processes for the tables) holds the
    same rows as the in-memory frame."""
    out = tmp_path / f"{level}.parquet"
    analyze_to_file(corpus, out, chunksize=11, level=level, n_jobs=2 if level in ("speakers", "evidence") else 1)
    got = pd.read_parquet(out)
    want = reference.frame(level if level != "article" else "article")
    assert len(got) == len(want) > 0
    want = want.reset_index(drop=True)
    for col in want.columns:
        g, w = got[col], want[col]
        if isinstance(w.dtype, pd.CategoricalDtype) or w.dtype == object or pd.api.types.is_string_dtype(w):
            assert g.astype(object).where(g.notna(), None).tolist() == \
                w.astype(object).where(w.notna(), None).tolist(), col
        elif pd.api.types.is_datetime64_any_dtype(w):
            assert (g.isna() == w.isna()).all(), col
        else:
            assert np.array_equal(g.to_numpy(float), w.to_numpy(float), equal_nan=True), col


def test_outlet_level_from_partials_equals_in_memory(corpus, reference, tmp_path):
    out = tmp_path / "o.csv"
    analyze_to_file(corpus, out, chunksize=13, level="outlet")
    got = pd.read_csv(out)
    exp = reference.outlets
    assert got["outlet"].tolist() == exp["outlet"].astype(str).tolist()
    num = [c for c in exp.columns if c != "outlet"]
    assert np.allclose(got[num].to_numpy(float), exp[num].to_numpy(float), equal_nan=True, rtol=1e-12)


def test_an_article_is_never_split_across_chunks(corpus, tmp_path):
    out = tmp_path / "s.parquet"
    analyze_to_file(corpus, out, chunksize=5, level="sentence")
    sents = pd.read_parquet(out)
    # each article's sentence indexes are 0..n-1, contiguous, in order
    for _, g in sents.groupby("article_id", sort=False):
        assert g["sentence_index"].tolist() == list(range(len(g)))


def test_interrupted_run_leaves_no_output(corpus, tmp_path):
    out = tmp_path / "a.csv"
    calls = []

    def interrupt(n: int) -> None:
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyze_to_file(corpus, out, chunksize=10, progress=interrupt)
    assert calls
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary file is left


def test_duplicate_ids_across_chunks_are_an_error(corpus, tmp_path):
    dup = pd.concat([corpus.head(3), corpus.head(1)], ignore_index=True)
    with pytest.raises(biascmp._validation.InputError, match="Duplicate article_id"):
        analyze_to_file(dup, tmp_path / "a.csv", chunksize=3)
    assert list(tmp_path.iterdir()) == []


def test_bad_output_suffix_names_it(corpus, tmp_path):
    with pytest.raises(ValueError, match="a.xlsx"):
        analyze_to_file(corpus, tmp_path / "a.xlsx")


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_columns_that_appear_or_change_type_in_a_later_chunk(tmp_path, suffix):
    """A column only a later chunk has (outlet_raw, after a spelling fix in that chunk) and an extra key
    holding numbers in one chunk and text in another must not fail the write (allsides through the CLI
    failed this way on Parquet)."""
    import json

    src = tmp_path / "in.jsonl"
    text = "The council met on Monday. The mayor said the plan would pass. Critics disagreed loudly."
    rows = [{"outlet": "Fox News", "text": f"{text} Story {i}.", "extra": i} for i in range(4)]
    rows += [{"outlet": "  fox  news ", "text": f"{text} Story {i}.", "extra": f"note {i}"} for i in range(4, 8)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    summary = analyze_to_file(src, out, chunksize=4)
    assert summary.n_rows == 8 == summary.n_written
    got = (pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out) if suffix == ".csv"
           else pd.read_json(out, lines=True))
    assert len(got) == 8 and set(got["outlet"]) == {"Fox News"}
    assert "outlet_raw" in got.columns and got["outlet_raw"].notna().all()  # raw name kept in every chunk
    assert got["outlet_raw"].iloc[5].strip() != "" and got["extra"].notna().all()
    assert str(got["extra"].iloc[0]) == "0" and str(got["extra"].iloc[7]) == "note 7"


def test_loaded_threshold_passes_through_the_stream(corpus, tmp_path):
    out = tmp_path / "a.parquet"
    analyze_to_file(corpus, out, chunksize=25, loaded_threshold=0.3)
    got = pd.read_parquet(out)
    want = biascmp.analyze(corpus, loaded_threshold=0.3).articles
    default = biascmp.analyze(corpus).articles
    col = "loaded_share_narrator"
    assert not np.array_equal(want[col].to_numpy(float), default[col].to_numpy(float), equal_nan=True)
    assert np.array_equal(got[col].to_numpy(float), want[col].to_numpy(float), equal_nan=True)


def test_streamed_runs_never_start_numba(corpus, reference, tmp_path, monkeypatch):
    """numba adds ~120 MB of resident memory when it starts (docs/performance.md, streaming memory): a
    streamed run keeps MTLD's Python loop however many articles pass, with the same numbers; in memory,
    "auto" still starts it past NUMBA_AFTER articles (the spy would see it)."""
    from biascmp.columnar import _jit_rs

    calls: list[int] = []
    real = _jit_rs.compiled

    def spy():
        calls.append(1)
        return real()

    monkeypatch.setattr(_jit_rs, "MODE", "auto")
    monkeypatch.setattr(_jit_rs, "NUMBA_AFTER", 5)
    monkeypatch.setattr(_jit_rs, "compiled", spy)
    out = tmp_path / "a.parquet"
    analyze_to_file(corpus, out, chunksize=20)
    assert calls == []
    _numeric_equal(reference.articles, pd.read_parquet(out))
    assert _jit_rs._state["python_only"] == 0  # the block was left
    in_memory = biascmp.analyze(corpus)
    assert calls, "the spy must see numba start outside a streamed run"
    _numeric_equal(reference.articles, in_memory.articles)
