"""ms per article of the actors and attribution families, the working tree against a git revision, same run.

    python benchmarks/actors_bench.py [allsides|generated] [N] [--rev main] [--user] [--gc] [--chunks]

Prepares N articles once, runs the sentiment kernel on them chunk by chunk (so ``article.shared`` holds the
sentence compounds, as in the engine), then times each family as the engine runs it
(:func:`biascmp.engine.measure_family`: the columnar kernel if there is one, else the per-article
reference) and the same family's per-article ``measure`` loaded from ``--rev`` (default ``main``) with
:func:`biascmp.columnar.reference_chunk`, chunk by chunk, back to back (alternating which goes first).
``--user`` passes a user actors list (benchmarks/actors_check.py's) instead of proposing actors.

The prepared corpus is moved out of the garbage collector's reach (``gc.freeze``) so that a full
collection does not land on one side; ``--gc`` keeps it, as in a real run, where code that allocates less
also triggers fewer collections (part of the larger gap benchmarks/stages.py shows: it does not freeze).
``--chunks`` prints every chunk's times. The machine is shared: read the ratios, which are taken back to
back, rather than the absolute numbers.
"""

from __future__ import annotations

import gc
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from actors_check import USER_ACTORS  # noqa: E402
from run import _texts  # noqa: E402

from biascmp import engine  # noqa: E402
from biascmp.actors import normalise_actors  # noqa: E402
from biascmp.columnar import reference_chunk  # noqa: E402
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Options  # noqa: E402

CHUNK = 64


def _old_module(family: str, rev: str, tmp: Path):
    """biascmp/<family>.py as of ``rev``, imported as a sibling module of biascmp (its relative imports work)."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:biascmp/{family}.py"], check=True,
                         capture_output=True, text=True).stdout
    path = tmp / f"_old_{family}.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"biascmp._old_{family}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = args[0] if args else "allsides"
    n = int(args[1]) if len(args) > 1 else 600
    rev = sys.argv[sys.argv.index("--rev") + 1] if "--rev" in sys.argv else "main"
    opts = Options(actors=normalise_actors(USER_ACTORS)) if "--user" in sys.argv else Options()
    texts = _texts(corpus, n + CHUNK)
    articles = [prepare_article(str(i), t) for i, t in enumerate(texts)]
    chunks = [articles[i:i + CHUNK] for i in range(0, len(articles), CHUNK)]
    for c in chunks:
        engine.measure_family("sentiment", c, opts)  # leaves the sentence compounds in article.shared
    warm, chunks = chunks[0], chunks[1:]
    gc.collect()
    if "--gc" not in sys.argv:  # the prepared corpus is long-lived: a full collection would land on one pass
        gc.freeze()
    with tempfile.TemporaryDirectory() as tmp:
        for family in ("actors", "attribution"):
            old = _old_module(family, rev, Path(tmp))
            runs = {"new": lambda c, f=family: engine.measure_family(f, c, opts),
                    rev: lambda c, m=old: reference_chunk(m.measure, c, options=opts)}
            for fn in runs.values():  # warm-up: lexicons and regexes built before timing
                fn(warm)
            spent = dict.fromkeys(runs, 0.0)
            ratios = []
            # each chunk once per implementation (a corpus is read once; each keeps its own caches), the
            # two back to back and in alternating order, so that load from other processes hits both alike
            for r, c in enumerate(chunks):
                took = {}
                for label in (list(runs) if r % 2 == 0 else list(runs)[::-1]):
                    t0 = time.perf_counter()
                    runs[label](c)
                    took[label] = time.perf_counter() - t0
                    spent[label] += took[label]
                ratios.append(took[rev] / took["new"])
                if "--chunks" in sys.argv:
                    print(family, r, {k: round(1000 * v, 1) for k, v in took.items()})
            done = sum(map(len, chunks))
            new_ms, before = (1000 * spent[k] / done for k in ("new", rev))
            print(f"{family:12s} {rev}: {before:.3f} ms/article  new: {new_ms:.3f} ms/article  "
                  f"speed-up {before / new_ms:.2f}x (median over chunks {statistics.median(ratios):.2f}x; "
                  f"{done} {corpus} articles, {'user list' if opts.actors else 'proposed actors'})")


if __name__ == "__main__":
    main()
