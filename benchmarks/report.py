"""Report speed, input file to PDF, the three cases of issue 12.

    python benchmarks/report.py                 # best of 3 each; prints a table
    python benchmarks/report.py --repeat 1 --profile story   # one run, cProfile of the story case

1. ``story``: 300 articles, 3 outlets, 100 shared stories, ``--story story`` (paired). Built
   deterministically: the first 300 articles of allsides_dev (file order), outlet = "Outlet A/B/C"
   by position, story = position // 3; without allsides_dev, 300 articles of rearranged seed paragraphs
   (tests/report_corpus.py). The corpus is written to a temporary JSONL and read back, as a user would.
2. ``demo``: the seed corpus, ``biascmp demo``.
3. ``leaning``: allsides_dev ``--by leaning`` (skipped when the file is absent).
4. ``bounded``: one article holding a 200,000-character token, and one of 20,000 one-word sentences
   (the worst cases the report must finish in bounded time).

Each case runs through the CLI entry point (``biascmp.cli.main``) in this process, so it includes
reading, analysis, comparison, spec, HTML and WeasyPrint (imports are warmed once first). Targets
(wall clock): story <= 10 s, demo <= 4 s, leaning <= 20 s. Printed: the best wall time and the best
CPU time of this process over ``--repeat`` runs, and the load average. On a shared machine the wall
time includes waiting for a core; the CPU time is what the run costs, and equals the wall time on an
idle machine (the report is single-threaded).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("BIASCMP_DATA", ROOT.parent / "shared" / "data"))
TARGETS = {"story": 10.0, "demo": 4.0, "leaning": 20.0}


def story_corpus(path: Path) -> str:
    src = DATA / "allsides_dev.jsonl"
    rows = []
    if src.is_file():
        with src.open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= 300:
                    break
                r = json.loads(line)
                rows.append({"article_id": f"b{i:03d}", "outlet": f"Outlet {'ABC'[i % 3]}", "story": f"story {i // 3:03d}",
                             "title": r.get("title") or "", "date": r.get("date"), "text": r["text"]})
        origin = "allsides_dev (first 300 articles)"
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        from report_corpus import generated_articles

        rows = generated_articles(3, 100, seed=0).to_dict("records")
        origin = "rearranged seed paragraphs (allsides_dev absent)"
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return origin


def bounded_corpora(folder: Path) -> tuple[Path, Path]:
    token = folder / "token.jsonl"
    words = folder / "sentences.jsonl"
    base = "The council met on Tuesday. Officials said the plan was fine."
    with token.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"outlet": "Scrape", "title": "A", "text": base + " data:" + "QUJD" * 50_000 + " " + base})
                + "\n")
        f.write(json.dumps({"outlet": "Plain", "title": "B", "text": base}) + "\n")
    with words.open("w", encoding="utf-8") as f:
        w = ["The.", "And.", "It.", "Was.", "Said.", "Police.", "Yes.", "Good."]  # English enough to analyse
        f.write(json.dumps({"outlet": "Words", "title": "C", "text": " ".join(w[i % 8] for i in range(20_000))}) + "\n")
        f.write(json.dumps({"outlet": "Plain", "title": "D", "text": base}) + "\n")
    return token, words


def run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one CLI run."""
    import contextlib
    import io

    from biascmp.cli import main

    t, c = time.perf_counter(), time.process_time()
    with contextlib.redirect_stderr(io.StringIO()):  # progress bars and "wrote ..." lines
        rc = main(argv)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    if rc != 0:
        raise SystemExit(f"biascmp {' '.join(argv)} exited {rc}")
    return dt, dc


def stages(src: Path, by: str, story: str | None, out: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each stage: read+analyze, compare, spec, charts+HTML, WeasyPrint."""
    import contextlib
    import io

    import biascmp
    from biascmp.reporting import build_spec
    from biascmp.reporting.render import render_html, write_pdf

    res: dict[str, tuple[float, float]] = {}

    @contextlib.contextmanager
    def clock(name: str):
        t, c = time.perf_counter(), time.process_time()
        yield
        res[name] = (time.perf_counter() - t, time.process_time() - c)

    with contextlib.redirect_stderr(io.StringIO()):
        with clock("analyze"):
            a = biascmp.analyze(src)
        with clock("compare"):
            cmp = biascmp.compare(a, by=by, story=story)
        with clock("spec"):
            spec = build_spec(cmp)
        with clock("charts+html"):
            html, assets = render_html(spec, format="pdf")
        with clock("weasyprint"):
            write_pdf(html, out, epoch=spec.cover.source_date_epoch, assets=assets)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None, help="cases to run (story demo leaning bounded)")
    ap.add_argument("--profile", default=None, help="case to run once under cProfile (top 30 by cumulative)")
    ap.add_argument("--keep", default=None, help="folder to keep the PDFs in")
    ap.add_argument("--stages", action="store_true", help="also time each stage (CPU seconds) once per case")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="biascmp-bench-"))
    out = Path(args.keep) if args.keep else tmp
    out.mkdir(parents=True, exist_ok=True)
    origin = story_corpus(tmp / "story.jsonl")
    token, words = bounded_corpora(tmp)
    cases = {
        "story": ["report", str(tmp / "story.jsonl"), "--story", "story", "-o", str(out / "story.pdf")],
        "demo": ["demo", "-o", str(out / "demo.pdf")],
        "leaning": ["report", str(DATA / "allsides_dev.jsonl"), "--by", "leaning", "-o", str(out / "leaning.pdf")],
        "token": ["report", str(token), "-o", str(out / "token.pdf")],
        "sentences": ["report", str(words), "-o", str(out / "sentences.pdf")],
    }
    if not (DATA / "allsides_dev.jsonl").is_file():
        print(f"leaning: skipped, {DATA / 'allsides_dev.jsonl'} not found")
        cases.pop("leaning")
    only = args.only
    if only is not None:
        want = set(only) | ({"token", "sentences"} if "bounded" in only else set())
        cases = {k: v for k, v in cases.items() if k in want}
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run(cases[args.profile])
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        return
    print(f"story corpus: {origin}")
    import biascmp

    biascmp.analyze(ROOT / "seeds")  # warm imports and caches once, outside the timings
    from pypdf import PdfReader

    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'case':<10} {'wall s':>7} {'cpu s':>6} {'wall runs (s)':<24} {'pages':>5} {'target':>7}")
    for name, argv in cases.items():
        runs = [run(argv) for _ in range(args.repeat)]
        wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        pages = len(PdfReader(argv[argv.index("-o") + 1]).pages)
        target = TARGETS.get(name)
        ok = "" if target is None else ("ok" if wall <= target else ("OVER (cpu ok)" if cpu <= target else "OVER"))
        print(f"{name:<10} {wall:7.2f} {cpu:6.2f} {', '.join(f'{r[0]:.2f}' for r in runs):<24} {pages:>5} "
              f"{'' if target is None else f'<= {target:g}':>7} {ok}", flush=True)
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.stages:
        src = {"story": (tmp / "story.jsonl", "outlet", "story"), "demo": (ROOT / "seeds", "outlet", None),
               "leaning": (DATA / "allsides_dev.jsonl", "leaning", None)}
        print("CPU seconds per stage (one run each):")
        for name in (k for k in ("story", "demo", "leaning") if k in cases):
            st = stages(*src[name], out / f"{name}-stages.pdf")
            print(f"  {name:<8} " + "  ".join(f"{k} {v[1]:.2f}" for k, v in st.items())
                  + f"  | report part (spec+charts+weasyprint) {sum(st[k][1] for k in ('spec', 'charts+html', 'weasyprint')):.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
