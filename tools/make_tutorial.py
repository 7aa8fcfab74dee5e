"""Write docs/tutorial.ipynb from the cells below and execute it in place (outputs saved).

    .venv/bin/python tools/make_tutorial.py          # rebuild after editing a cell here

tests/test_tutorial.py executes the notebook on every default test run, so it cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "tutorial.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """# biascmp tutorial: from articles to a comparison and a report

Read articles, measure them, compare outlets with honest statistics, look at the numbers and the
charts, and write the report. Everything runs offline. The first part uses the four seed articles
shipped with biascmp; the second a slice of a real corpus (skipped when that data is not installed)."""),
    ("code", """import biascmp

biascmp.__version__"""),
    ("md", """## 1. Read articles

`read_articles` takes a DataFrame, CSV, JSON Lines, Parquet, or a folder of `.txt`/`.md` files (here, with
YAML front matter). It never drops a row: problems become a `status` with a reason."""),
    ("code", """arts = biascmp.read_articles(biascmp.datasets.seeds_path())
arts[["outlet", "title", "leaning", "status"]]"""),
    ("md", """## 2. Analyze

`analyze` measures every sentence, article and outlet. In a notebook the result shows counts, statuses and
the outlet table (the full tables are `res.articles`, `res.sentences`, `res.outlets`, `res.evidence`)."""),
    ("code", """res = biascmp.analyze(arts)
res"""),
    ("md", """`Analysis.plot(metric)` draws one metric per outlet: an article column such as `sentiment_mean`, or a
sentence column such as `compound` (every prose sentence is a dot)."""),
    ("code", """res.plot("compound")"""),
    ("md", """## 3. Compare

With one article per outlet there is nothing to test: the comparison says it is *descriptive* and its
findings describe these articles only."""),
    ("code", """cmp = biascmp.compare(res, by="outlet")
cmp"""),
    ("code", """cmp.plot()"""),
    ("md", """The tables are tidy DataFrames, and every table can be written as CSV, Parquet or JSON Lines
(`cmp.to_jsonl(path, table="groups")`); `biascmp.read_analysis` reads an article table back."""),
    ("code", """cmp.table("groups").head()"""),
    ("md", """## 4. Report

`report` writes the comparative report; the suffix sets the format (`.pdf` or `.html`)."""),
    ("code", """import tempfile
from pathlib import Path

out = biascmp.report(cmp, Path(tempfile.mkdtemp()) / "seeds-report.html")
print(out.name, f"{out.stat().st_size:,} bytes")"""),
    ("md", """## 5. A slice of real data

A few dozen articles per leaning from the AllSides development corpus (`allsides_dev.jsonl`, Baly et al.
2020). The data lives outside the project; set `BIASCMP_DATA` to its folder. Without it this part is skipped."""),
    ("code", """import os

import pandas as pd

DATA = Path(os.environ.get("BIASCMP_DATA", Path(biascmp.__file__).resolve().parents[2] / "shared" / "data"))
have_data = (DATA / "allsides_dev.jsonl").is_file() and (DATA / "allsides_stories_dev.jsonl").is_file()
print("data: found" if have_data else f"data: not found at {DATA}; the cells below skip")"""),
    ("code", """if have_data:
    corpus = pd.read_json(DATA / "allsides_dev.jsonl", lines=True)
    # 15 articles of each leaning, in file order: small enough to run in seconds
    sample = corpus.groupby("leaning", group_keys=False).head(15).drop(columns=["id"])
    real = biascmp.analyze(sample, families=["readability", "sentiment", "loaded", "attribution"])
    by_leaning = biascmp.compare(real, by="leaning")
    display(by_leaning)
    display(by_leaning.plot(["sentiment_mean", "loaded_language", "flesch_kincaid_grade"]))"""),
    ("md", """Outlets cover different stories, and topic differences can look like outlet differences. When articles
are grouped by story (`story=`), the comparison is *paired*: differences within the same story, and the
plot shows each pair's difference with its interval and a zero line."""),
    ("code", """if have_data:
    stories = pd.read_json(DATA / "allsides_stories_dev.jsonl", lines=True)
    first = sorted(stories["story"].unique())[:60]
    same = biascmp.analyze(stories[stories["story"].isin(first)], families=["readability", "sentiment", "loaded"])
    paired = biascmp.compare(same, by="leaning", story="story")
    display(paired)
    display(paired.plot(["sentiment_mean", "loaded_language", "flesch_kincaid_grade"]))"""),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, src in CELLS:
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src))
    return nb


def this_python_kernel(folder: Path) -> str:
    """A kernelspec running this interpreter (the one biascmp is installed in), under ``folder``; put
    ``folder`` on JUPYTER_PATH. A system-wide "python3" kernelspec may point at another Python.

    Returns:
        The kernel name.
    """
    import json
    import sys

    spec = folder / "kernels" / "biascmp-python"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (biascmp)", "language": "python"}), encoding="utf-8")
    return "biascmp-python"


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 300) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in a kernel of this interpreter, with ``cwd`` as working folder.

    Returns:
        The notebook, with outputs.
    """
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        name = this_python_kernel(Path(tmp))
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = tmp + (os.pathsep + old if old else "")
        try:
            NotebookClient(nb, timeout=timeout, kernel_name=name,
                           resources={"metadata": {"path": str(cwd)}}).execute()
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


if __name__ == "__main__":
    nb = execute(build(), OUT.parent)
    for i, cell in enumerate(nb.cells):  # stable ids, no timings: the file changes only where a cell changed
        cell["id"] = f"cell-{i:02d}"
        cell.metadata.pop("execution", None)
    nbformat.write(nb, OUT)
    print(f"wrote {OUT}")
