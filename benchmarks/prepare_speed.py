"""ms per article of prepare_article on allsides_dev, this checkout against another git revision, interleaved.

    python benchmarks/prepare_speed.py [REV] [--rounds R] [--corpus allsides|generated]
                                                  # default: REV=main, R=5, allsides (all 2,971 texts)

The other revision's ``biascmp/prepare/`` is extracted (``git archive``) into a temporary package next to
this one's, both are warmed up, then the 2,971 texts are prepared with each in turn, R rounds (A, B, A, B,
...), so the machine's load hits both alike (interleaved in chunks of 100 articles, CPU time). Prints each round and
the median ratio old/new.
"""

from __future__ import annotations

import importlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path("/work/shared/data/allsides_dev.jsonl")


def _old_package(rev: str) -> object:
    blob = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "biascmp/prepare"], check=True,
                          capture_output=True).stdout
    tmp = Path(tempfile.mkdtemp())
    with tarfile.open(fileobj=io.BytesIO(blob)) as tf:
        tf.extractall(tmp, filter="data")
    # mount it as biascmp.prepare_old so its relative imports (..records, ..registry) resolve
    target = ROOT / "biascmp"
    import biascmp

    biascmp.__path__.append(str(tmp / "biascmp"))  # type: ignore[attr-defined]
    (tmp / "biascmp" / "prepare").rename(tmp / "biascmp" / "prepare_old")
    del target
    return importlib.import_module("biascmp.prepare_old")


def main(argv: list[str]) -> None:
    rev = argv[0] if argv and not argv[0].startswith("--") else "main"
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 5
    if "--corpus" in argv and argv[argv.index("--corpus") + 1] == "generated":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from run import _texts  # benchmarks/run.py's generated corpus (shuffled real sentences)

        items = [(t, None) for t in _texts("generated", 2000)]
    else:
        with open(DATA, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        items = [(str(r["text"]), r.get("title")) for r in rows]
    import biascmp.prepare as new

    old = _old_package(rev)
    fns = {"old": old.prepare_article, "new": new.prepare_article}  # type: ignore[attr-defined]
    for f in fns.values():
        for t, title in items[:200]:
            f("w", t, title=title)
    spent: dict[str, list[float]] = {"old": [], "new": []}
    clock = time.process_time  # CPU time: less sensitive than wall time to other processes on the machine
    for r in range(rounds):
        acc = {"old": 0.0, "new": 0.0}
        for c in range(0, len(items), 100):  # interleaved in chunks of 100 articles: load drifts hit both
            for name in ("old", "new") if (r + c // 100) % 2 == 0 else ("new", "old"):
                f = fns[name]
                t0 = clock()
                for t, title in items[c:c + 100]:
                    f("a", t, title=title)
                acc[name] += clock() - t0
        for name in acc:
            spent[name].append(acc[name] / len(items) * 1e3)
        print(f"round {r}: old({rev}) {spent['old'][-1]:.3f} ms/article  new {spent['new'][-1]:.3f}  "
              f"ratio {spent['old'][-1] / spent['new'][-1]:.2f}", flush=True)
    ratios = [a / b for a, b in zip(spent["old"], spent["new"], strict=True)]
    print(f"median: old {statistics.median(spent['old']):.3f} ms/article, new {statistics.median(spent['new']):.3f}"
          f" ms/article, ratio old/new {statistics.median(ratios):.2f} (rounds {rounds}, {len(items)} articles)")


if __name__ == "__main__":
    main(sys.argv[1:])
