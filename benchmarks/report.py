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
reading, analysis, comparison, spec, HTML and WeasyPrint. Targets: story <= 10 s, demo <= 4 s,
leaning <= 20 s. The machine is shared (2 cores, several agents): take the best of several runs and
read the ratios, not the absolute numbers, when comparing changes.
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


def run(argv: list[str]) -> float:
    from biascmp.cli import main

    t = time.perf_counter()
    rc = main(argv)
    dt = time.perf_counter() - t
    if rc != 0:
        raise SystemExit(f"biascmp {' '.join(argv)} exited {rc}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None, help="cases to run (story demo leaning bounded)")
    ap.add_argument("--profile", default=None, help="case to run once under cProfile (top 30 by cumulative)")
    ap.add_argument("--keep", default=None, help="folder to keep the PDFs in")
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

    print(f"{'case':<10} {'best s':>7} {'all runs (s)':<28} {'pages':>5} {'target':>7}")
    for name, argv in cases.items():
        times = [run(argv) for _ in range(args.repeat)]
        pages = len(PdfReader(argv[argv.index("-o") + 1]).pages)
        target = TARGETS.get(name)
        ok = "" if target is None else ("ok" if min(times) <= target else "OVER")
        print(f"{name:<10} {min(times):7.2f} {', '.join(f'{t:.2f}' for t in times):<28} {pages:>5} "
              f"{'' if target is None else f'<= {target:g}':>7} {ok}", flush=True)


if __name__ == "__main__":
    main()
