"""The public API: discoverable (dir, completion), typed (mypy sees real signatures, not Any), cheap to
import, consistent errors, and round trips between what biascmp writes and what it reads."""

from __future__ import annotations

import inspect
import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biascmp
from biascmp._validation import InputError, InputFileNotFound
from biascmp.outputs import jsonl_text, write_frame

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PUBLIC = ["read_articles", "read_analysis", "analyze", "Analysis", "compare", "Comparison", "report",
          "datasets", "registry", "InputError", "InputFileNotFound"]


@pytest.fixture(scope="module")
def res() -> biascmp.Analysis:
    return biascmp.analyze(SEEDS)


@pytest.fixture(scope="module")
def cmp(res: biascmp.Analysis) -> biascmp.Comparison:
    return biascmp.compare(res, by="outlet", n_resamples=200)


# ------------------------------------------------------------------ discoverable, typed, cheap
def test_dir_offers_the_api_not_import_helpers():
    # measured: biascmp.<TAB> offered Any, annotations, stats, vader_fast, but not read_articles
    names = dir(biascmp)
    for n in PUBLIC:
        assert n in names
    for helper in ("Any", "annotations", "importlib", "TYPE_CHECKING"):
        assert helper not in names
    assert set(biascmp.__all__) <= set(names)


def test_import_is_cheap_and_lazy():
    code = ("import sys, biascmp; heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'weasyprint') "
            "if m in sys.modules]; print(heavy); print(biascmp.analyze.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "biascmp.analysis"]


def test_every_public_name_resolves():
    for n in biascmp.__all__:
        assert getattr(biascmp, n) is not None


def test_missing_optional_module_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(biascmp._LAZY, "not_there", (".no_such_module", "f"))
    with pytest.raises(AttributeError, match=r"biascmp\.not_there needs the module biascmp\.no_such_module"):
        biascmp.__getattr__("not_there")
    assert not hasattr(biascmp, "not_there")  # tools that probe attributes are not broken by it
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        biascmp.nope  # noqa: B018


def test_compare_signature_has_no_private_parameter():
    # measured: compare() showed a private _min_groups parameter
    params = inspect.signature(biascmp.compare).parameters
    assert not [p for p in params if p.startswith("_")]
    assert list(params)[:2] == ["analysis", "by"]


def test_mypy_sees_real_types_in_a_user_script(tmp_path):
    pytest.importorskip("mypy")
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent("""
        import biascmp

        arts = biascmp.read_articles("seeds")
        res = biascmp.analyze(arts, families=["sentiment"])
        cmp = biascmp.compare(res, by="outlet", n_resamples=500)
        path = biascmp.report(cmp, "r.pdf")
        table = cmp.table("groups")
        reveal_type(biascmp.read_articles)
        reveal_type(arts)
        reveal_type(res)
        reveal_type(cmp)
        reveal_type(path)
        reveal_type(table)
        reveal_type(biascmp.Analysis.to_jsonl)
    """), encoding="utf-8")
    bad = tmp_path / "bad_script.py"  # and a wrong call is caught
    bad.write_text("import biascmp\nbiascmp.compare(biascmp.analyze('x'), by=3)\n", encoding="utf-8")
    # an incremental cache of its own (gitignored): the first run reads pandas-stubs (about 30 s), later ones
    # take seconds; the cache is keyed on file contents, so a changed biascmp is checked again
    cmd = [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
           "--config-file", os.devnull, "--cache-dir", str(ROOT / ".mypy_cache" / "test_api")]
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    run = subprocess.run([*cmd, str(script)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    revealed = [ln.split("Revealed type is ", 1)[1] for ln in run.stdout.splitlines() if "Revealed type" in ln]
    assert len(revealed) == 7, run.stdout
    assert not [r for r in revealed if r.strip('"') == "Any"], run.stdout
    assert "-> pandas.core.frame.DataFrame" in revealed[0]
    assert revealed[2:5] == ['"biascmp.analysis.Analysis"', '"biascmp.comparison.Comparison"', '"pathlib.Path"']
    assert "DataFrame" in revealed[5]
    run = subprocess.run([*cmd, str(bad)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 1 and 'Argument "by" to "compare" has incompatible type "int"' in run.stdout


# ------------------------------------------------------------------ errors: a missing file is the same everywhere
def test_missing_file_is_file_not_found_everywhere(tmp_path, cmp):
    # measured: InputError (a ValueError) from read_articles, FileNotFoundError from report()
    calls = [
        lambda: biascmp.read_articles(tmp_path / "nope.csv"),
        lambda: biascmp.analyze(tmp_path / "nope.jsonl"),
        lambda: biascmp.read_analysis(tmp_path / "nope.csv"),
        lambda: biascmp.read_articles(str(tmp_path / "*.nothing")),
        lambda: biascmp.analyze(SEEDS, actors=tmp_path / "actors.yaml"),
        lambda: biascmp.report(cmp, tmp_path / "no_folder" / "r.html"),
        lambda: biascmp.report(cmp, tmp_path / "r.html", templates=tmp_path / "no_templates"),
    ]
    for call in calls:
        with pytest.raises(InputFileNotFound) as info:
            call()
        assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, InputError)
        msg = str(info.value)
        assert str(tmp_path) in msg and ("does not exist" in msg or "not a folder" in msg or "match" in msg)
        assert not msg.startswith("[Errno")  # biascmp's message, not OSError's formatting


# ------------------------------------------------------------------ formats from the suffix
def test_report_format_comes_from_the_suffix(tmp_path, cmp):
    # measured: report(cmp, "nb.html") wrote a PDF into nb.html
    html = biascmp.report(cmp, tmp_path / "nb.html")
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    pdf = biascmp.report(cmp, tmp_path / "nb.PDF")
    assert pdf.read_bytes().startswith(b"%PDF-")
    for name in ("r.docx", "r", "r.pdf.txt"):
        with pytest.raises(ValueError, match=r"\.pdf or \.html"):
            biascmp.report(cmp, tmp_path / name)
    with pytest.raises(ValueError, match="suffix '.html' says html"):
        biascmp.report(cmp, tmp_path / "x.html", format="pdf")
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "r.docx").exists()


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_analysis_table_reads_back(tmp_path, res, suffix):
    path = tmp_path / f"a{suffix}"
    getattr(res, "to_" + suffix.lstrip("."))(path)
    back = biascmp.read_analysis(path)
    assert len(back.articles) == len(res.articles)
    assert back.articles["article_id"].tolist() == res.articles["article_id"].tolist()
    numeric = [c for c in res.articles.columns if pd.api.types.is_float_dtype(res.articles[c])]
    assert numeric
    for c in numeric:  # numbers read back exactly (shortest round-trip form in CSV and JSON Lines)
        assert back.articles[c].to_numpy(float).tolist() == pytest.approx(
            res.articles[c].to_numpy(float).tolist(), rel=0, abs=0, nan_ok=True), c
    pd.testing.assert_frame_equal(back.outlets[["outlet", "n_articles"]], res.outlets[["outlet", "n_articles"]])
    a = biascmp.compare(res, by="outlet", n_resamples=200).groups
    b = biascmp.compare(back, by="outlet", n_resamples=200).groups
    pd.testing.assert_frame_equal(a.drop(columns=["n_sentences", "sentence_sd"]),
                                  b.drop(columns=["n_sentences", "sentence_sd"]))


def test_reading_biascmp_output_as_articles_keeps_its_provenance(tmp_path, res):
    # measured: "cannot insert source_file, already exists" when biascmp's own output was read again
    sent = tmp_path / "s.csv"
    res.to_csv(sent, level="sentence")
    raw = pd.read_csv(sent).rename(columns={"article_id": "sid"})
    raw["outlet"] = "X"
    raw["source_file"] = "original.txt"
    raw.to_csv(tmp_path / "again.csv", index=False)
    arts = biascmp.read_articles(tmp_path / "again.csv")
    assert arts["source_file"].unique().tolist() == [str(tmp_path / "again.csv")]
    assert arts["input_source_file"].unique().tolist() == ["original.txt"]


def test_read_analysis_refuses_raw_articles(tmp_path):
    f = tmp_path / "raw.csv"
    pd.DataFrame({"article_id": ["1"], "outlet": ["A"], "status": ["ok"], "text": ["Hi."]}).to_csv(f, index=False)
    with pytest.raises(InputError, match="raw.csv.*not an article table.*text column"):
        biascmp.read_analysis(f)


def test_comparison_to_jsonl_and_shortest_numbers(tmp_path, cmp):
    # measured: Comparison had no to_jsonl; JSONL numbers carried noise such as 22.199999999999999
    for table in ("groups", "pairs", "findings"):
        out = cmp.to_jsonl(tmp_path / f"{table}.jsonl", table=table)
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == len(cmp.table(table))
    frame = pd.DataFrame({"x": [22.2, 0.1 + 0.2, np.nan, 1e-300], "s": ["a", None, "é", "=1"]})
    text = jsonl_text(frame)
    assert '"x":22.2,' in text and "22.19999" not in text and '"x":null' in text
    write_frame(frame, tmp_path / "f.jsonl")
    assert (tmp_path / "f.jsonl").read_text(encoding="utf-8") == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=False, width=64), min_size=1, max_size=20))
def test_jsonl_numbers_read_back_bit_for_bit(values):
    back = [json.loads(line)["v"] for line in jsonl_text(pd.DataFrame({"v": values})).splitlines()]
    for v, b in zip(values, back, strict=True):
        assert (b is None) if math.isnan(v) else (b == v and math.copysign(1, b) == math.copysign(1, v))


# ------------------------------------------------------------------ docs
def _public_callables() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for n in biascmp.__all__:
        obj = getattr(biascmp, n)
        if inspect.isfunction(obj):
            out.append((n, obj))
    for cls in (biascmp.Analysis, biascmp.Comparison):
        for n, member in vars(cls).items():
            if inspect.isfunction(member) and not n.startswith("_"):
                out.append((f"{cls.__name__}.{n}", member))
    from biascmp import display, reload

    for mod in (display, reload):
        out += [(f"{mod.__name__}.{n}", f) for n, f in vars(mod).items()
                if inspect.isfunction(f) and not n.startswith("_") and f.__module__ == mod.__name__]
    return out


def test_every_public_function_and_method_documents_what_it_returns():
    found = _public_callables()
    names = {n for n, _ in found}
    assert {"read_articles", "analyze", "compare", "report", "Analysis.to_csv", "Analysis.to_parquet",
            "Analysis.to_jsonl", "Comparison.table", "Comparison.to_jsonl", "Comparison.plot"} <= names
    missing = [n for n, f in found if "Returns" not in (inspect.getdoc(f) or "")]
    assert not missing, f"docstrings without a Returns section: {missing}"


def test_api_reference_builds(tmp_path):
    pytest.importorskip("mkdocstrings", reason="the docs extra is not installed (pip install -e '.[docs]')")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    page = (tmp_path / "site" / "api" / "comparison" / "index.html").read_text(encoding="utf-8")
    assert "to_jsonl" in page and "Returns" in page and ":class:" not in page


def test_library_errors_suggest_the_closest_name(res):
    with pytest.raises(ValueError, match=r"Did you mean 'sentence'\?"):
        res.frame("sentense")
    with pytest.raises(ValueError, match=r"Did you mean 'sentiment'\?"):
        biascmp.analyze(SEEDS, families=["sentimen"])
    with pytest.raises(ValueError, match=r"Invalid by='outlt'.*Did you mean 'outlet'") as info:
        biascmp.compare(res, by="outlt")
    assert "flesch_kincaid_grade" not in str(info.value)  # metrics are not offered as groups
