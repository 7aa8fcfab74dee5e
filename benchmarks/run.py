"""biascmp speed benchmark: one command, the table of DESIGN.md's baseline comparisons.

    python benchmarks/run.py            # full table (~5 minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller sizes, for a smoke run

Each measurement runs in a fresh subprocess (so peak RSS is that run's own) on UNIQUE texts (textstat
caches results per text; repeated texts would flatter the baseline):

- ``allsides``: ../shared/data/allsides_dev.jsonl (2,971 real articles, ~980 words each);
- ``generated``: articles of ~410 words (the size DESIGN.md's baseline was measured on) made of real
  allsides sentences drawn without replacement (seeded), so every text and (up to ~6,000 articles)
  every sentence is unique: no per-sentence cache can flatter biascmp.

Rows: the notebook baseline (8 textstat formulas + VADER per regex-split sentence; benchmarks/baseline.py),
the floor (one regex word-tokenisation pass), biascmp's full metric suite with 1 and 2 processes,
biascmp-rs (``families=["readability", "sentiment"]``: the metrics the baseline computes), and a
streamed run (``biascmp.stream.analyze_to_file``) at N and 10 N articles for peak memory. Ratios are
throughput relative to the baseline and to the floor measured on the same texts in the same session.
Results go to stdout as a Markdown table and to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("BIASCMP_DATA", HERE.parent.parent / "shared" / "data"))
ALLSIDES = DATA / "allsides_dev.jsonl"


#: the warm-up text of both the baseline and biascmp (one call each before the timing starts): it holds
#: an ASCII and a non-ASCII word missing from the CMU dictionary, so each side loads its hyphenation
#: patterns there rather than on the first such word of the corpus (one-time costs, as imports are)
WARM_UP = "Warm up {} once: qwertyuiop, Zoë."


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children included so process pools count
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def _texts(corpus: str, n: int, seed: int = 0) -> list[str]:
    return list(_iter_texts(corpus, n, seed))


def _iter_texts(corpus: str, n: int, seed: int = 0):
    """Unique article texts, one at a time (a streamed run must not hold the corpus to build it)."""
    # plain json, not pandas: the benchmark's own setup must not dominate the peak RSS it reports
    with open(ALLSIDES, encoding="utf-8") as f:
        raw = [str(json.loads(line)["text"]) for line in f if line.strip()]
    if corpus == "allsides":
        yield from (raw[:n] if n else raw)
        return
    # generated: ~410-word articles of shuffled real sentences, one unique shuffle per article
    sents = [s for t in raw for s in re.split(r"(?<=[.!?])\s+", t) if 40 <= len(s) <= 400]
    del raw
    rng = random.Random(seed)
    # sentences drawn without replacement (the pool reshuffled when used up, after ~6,000 articles), so no
    # sentence repeats within the first pass: biascmp's per-sentence caches must not flatter it
    order: list[int] = []
    for i in range(n):
        words = 0
        parts = []
        while words < 410:
            if not order:
                order = list(range(len(sents)))
                rng.shuffle(order)
            s = sents[order.pop()]
            parts.append(s)
            words += len(s.split())
        paras = [" ".join(parts[j:j + 3]) for j in range(0, len(parts), 3)]
        yield f"Article {i}.\n" + "\n".join(paras)


def _frame(texts: list[str]):
    import pandas as pd

    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                         "outlet": [f"Outlet {i % 10}" for i in range(len(texts))], "text": texts})


def one(kind: str, corpus: str, n: int, jobs: int) -> dict:
    """Run one measurement in this process; print a JSON line."""
    if kind == "stream":
        return _one_stream(corpus, n, jobs)
    texts = _texts(corpus, n)
    n = len(texts)
    words = sum(len(t.split()) for t in texts) / len(texts)
    if kind == "baseline":
        sys.path.insert(0, str(HERE))
        from baseline import make

        f = make()
        f(WARM_UP.format("the libraries") + " Nothing is cached for the texts below.")
        t0 = time.perf_counter()
        for t in texts:
            f(t)
        dt = time.perf_counter() - t0
    elif kind == "floor":
        rx = re.compile(r"\w+")
        t0 = time.perf_counter()
        for t in texts:
            rx.findall(t)
        dt = time.perf_counter() - t0
    elif kind in ("biascmp", "biascmp-rs"):
        import biascmp

        # biascmp-rs: only the families the baseline computes (readability and sentiment), for a like-for-like
        # comparison; "biascmp" is the full suite
        fams = ["readability", "sentiment"] if kind == "biascmp-rs" else None
        frame = _frame(texts)
        biascmp.analyze(_frame([WARM_UP.format("the lexicons and tables") + " It is not in the corpus."]),
                        families=fams)
        t0 = time.perf_counter()
        res = biascmp.analyze(frame, n_jobs=jobs, families=fams)  # the library's default chunk size
        dt = time.perf_counter() - t0
        assert len(res.articles) == len(texts)
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    row = {"kind": kind, "corpus": corpus, "n": n, "jobs": jobs, "seconds": dt, "articles_per_s": n / dt,
           "words_per_article": words, "peak_rss_mb": _peak_rss_mb()}
    print(json.dumps(row))
    return row


def _one_stream(corpus: str, n: int, jobs: int) -> dict:
    """A streamed run: the input is written one article at a time, then analysed in chunks of 500; the
    peak RSS is the whole process's, so it includes writing the input (the same for every size)."""
    import tempfile

    from biascmp.stream import analyze_to_file

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        words = 0
        with open(src, "w", encoding="utf-8") as f:
            for i, t in enumerate(_iter_texts(corpus, n)):
                words += len(t.split())
                f.write(json.dumps({"article_id": f"a{i}", "outlet": f"Outlet {i % 10}", "text": t}) + "\n")
        t0 = time.perf_counter()
        summary = analyze_to_file(src, Path(tmp) / "out.parquet", chunksize=500, n_jobs=jobs)
        dt = time.perf_counter() - t0
    assert summary.n_rows == n
    row = {"kind": "stream", "corpus": corpus, "n": n, "jobs": jobs, "seconds": dt, "articles_per_s": n / dt,
           "words_per_article": words / n, "peak_rss_mb": _peak_rss_mb()}
    print(json.dumps(row))
    return row


def _sub(kind: str, corpus: str, n: int, jobs: int = 1) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", kind, corpus, str(n), str(jobs)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark {kind} {corpus} {n} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--one", nargs=4, metavar=("KIND", "CORPUS", "N", "JOBS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        kind, corpus, n, jobs = args.one
        one(kind, corpus, int(n), int(jobs))
        return
    if not ALLSIDES.is_file():
        raise SystemExit(f"{ALLSIDES} not found: set BIASCMP_DATA to the folder of allsides_dev.jsonl")
    q = args.quick
    n_all = 600 if q else 0  # 0 = all 2,971
    n_gen = 500 if q else 2000
    n_stream = 500 if q else 2000
    rows = []
    for corpus, n in (("allsides", n_all), ("generated", n_gen)):
        base = _sub("baseline", corpus, n)
        floor = _sub("floor", corpus, n)
        rows += [base, floor]
        for jobs in (1, 2):
            r = _sub("biascmp", corpus, n, jobs)
            r["x_baseline"] = r["articles_per_s"] / base["articles_per_s"]
            r["x_floor"] = r["articles_per_s"] / floor["articles_per_s"]
            rows.append(r)
        r = _sub("biascmp-rs", corpus, n, 1)
        r["x_baseline"] = r["articles_per_s"] / base["articles_per_s"]
        r["x_floor"] = r["articles_per_s"] / floor["articles_per_s"]
        rows.append(r)
        one_p = next(r for r in rows if r["kind"] == "biascmp" and r["corpus"] == corpus and r["jobs"] == 1)
        two_p = next(r for r in rows if r["kind"] == "biascmp" and r["corpus"] == corpus and r["jobs"] == 2)
        two_p["speedup_2_vs_1"] = two_p["articles_per_s"] / one_p["articles_per_s"]
    s1 = _sub("stream", "generated", n_stream)
    s10 = _sub("stream", "generated", 10 * n_stream)
    s10["rss_ratio_10x"] = s10["peak_rss_mb"] / s1["peak_rss_mb"]
    rows += [s1, s10]
    import biascmp

    meta = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "biascmp": biascmp.__version__, "date": time.strftime("%Y-%m-%d")}
    from biascmp.analysis import dependency_versions

    meta["versions"] = dependency_versions()
    (HERE / "results.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    print(f"\n{meta['machine']}; biascmp {meta['biascmp']}; {meta['date']}\n")
    print("| run | corpus | articles | words/article | processes | articles/s | × baseline | × floor "
          "| peak RSS MB | notes |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        note = ""
        if "speedup_2_vs_1" in r:
            note = f"2-process speed-up {r['speedup_2_vs_1']:.2f}×"
        if "rss_ratio_10x" in r:
            note = f"10× articles: peak RSS {r['rss_ratio_10x']:.2f}× that of {n_stream}"
        xb = f"{r['x_baseline']:.2f}" if "x_baseline" in r else ""
        xf = f"{r['x_floor']:.3f}" if "x_floor" in r else ""
        print(f"| {r['kind']} | {r['corpus']} | {r['n']} | {r['words_per_article']:.0f} | {r['jobs']} | "
              f"{r['articles_per_s']:.0f} | {xb} | {xf} | {r['peak_rss_mb']:.0f} | {note} |")


if __name__ == "__main__":
    main()
