"""Columnar kernels vs the per-article reference: speed (ms/article) and equality, family by family.

    python benchmarks/kernels.py [N] [--chunk 128] [--check-all] [--wall]

For each corpus (a corpus generated from the seeds' sentences, always; allsides_dev articles and the
generated-from-allsides corpus of benchmarks/run.py when ../shared/data is present), on the same prepared
articles, in this process, back to back:

- reference: ``reference_chunk(<family>.measure, chunk)`` (the per-article implementation);
- kernel: ``biascmp.columnar.<family>.measure_chunk(chunk)``, each family tokenising the chunk itself;
- shared: both kernels on one tokenisation (``prose_chunk`` once per chunk), as an engine can call them.

Per-word caches of both implementations are warmed on other articles first, so the numbers are steady
state. Times are CPU time of this process (``time.process_time``: on a shared machine, wall time mostly
measures waiting for a core), best of 3 repeats; ``--wall`` uses wall-clock time instead. Every kernel result is
compared with the reference (``assert_chunk_equal``, floats within 1e-12) and the count of differing
chunks printed; ``--check-all`` also compares all allsides_dev articles (the equivalence check).
The last lines give the rules that ran through per-word or per-sentence Python (counted by the kernel)
and numba's cold start (compile, then cache load) measured in fresh processes.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from biascmp import readability, sentiment  # noqa: E402
from biascmp.columnar import (  # noqa: E402
    _jit_rs,  # noqa: E402
    assert_chunk_equal,
    reference_chunk,
)
from biascmp.columnar import readability as k_readability  # noqa: E402
from biascmp.columnar import sentiment as k_sentiment  # noqa: E402
from biascmp.columnar._tokens_rs import prose_chunk  # noqa: E402
from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Options  # noqa: E402

ALLSIDES = Path(os.environ.get("BIASCMP_DATA", REPO.parent / "shared" / "data")) / "allsides_dev.jsonl"
CLOCK = time.perf_counter if "--wall" in sys.argv else time.process_time
FAMILIES = {"readability": (readability.measure, k_readability.measure_chunk),
            "sentiment": (sentiment.measure, k_sentiment.measure_chunk)}


def seeds_corpus(n: int, seed: int = 0, words: int = 410) -> list[str]:
    """~410-word articles of the seeds' prose sentences, each sentence made unique (two of its words
    swapped, or a number appended) so that no per-sentence cache of the reference can flatter it."""
    sents = []
    for p in sorted((REPO / "seeds").glob("*.txt")):
        art = prepare_article(p.stem, p.read_text(encoding="utf-8"))
        sents += [s.text for s in art.sentences if s.kind == "prose" and len(s.text.split()) >= 4]
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for i in range(n):
        parts: list[str] = []
        count = 0
        while count < words:
            toks = rng.choice(sents).split()
            a, b = rng.randrange(len(toks)), rng.randrange(len(toks))
            toks[a], toks[b] = toks[b], toks[a]
            s = " ".join(toks)
            while s in seen:
                s = f"{s} {rng.randrange(10**6)}."
            seen.add(s)
            parts.append(s)
            count += len(toks)
        out.append(f"Article {i}.\n" + "\n".join(" ".join(parts[j:j + 3]) for j in range(0, len(parts), 3)))
    return out


def allsides_texts(n: int | None) -> list[str]:
    with open(ALLSIDES, encoding="utf-8") as f:
        texts = [str(json.loads(line)["text"]) for line in f if line.strip()]
    return texts[:n] if n else texts


def allsides_generated(n: int) -> list[str]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from run import _texts  # the generated corpus of benchmarks/run.py

    return _texts("generated", n)


def prepared(texts: list[str], tag: str) -> list:
    arts = [prepare_article(f"{tag}{i}", t) for i, t in enumerate(texts)]
    return [a for a in arts if a.meta.get("status", "ok") == "ok"]


def chunks(arts: list, size: int) -> list[list]:
    return [arts[i:i + size] for i in range(0, len(arts), size)]


def best_of(fn, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeats):
        sentiment.score.cache_clear()  # the reference's per-sentence cache must not serve a repeat
        t0 = CLOCK()
        fn()
        best = min(best, CLOCK() - t0)
    return best


def bench(name: str, arts: list, warm: list, size: int, opts: Options, texts: list[str] | None = None) -> None:
    for ch in chunks(warm, size):
        for ref, ker in FAMILIES.values():
            reference_chunk(ref, ch, options=opts)
            ker(ch, options=opts)
    cs = chunks(arts, size)
    n = len(arts)
    print(f"\n{name}: {n} articles, chunks of {size}, "
          f"{sum(len(a.text.split()) for a in arts) / n:.0f} words/article")
    print(f"  {'family':12s} {'reference':>10s} {'kernel':>10s} {'ratio':>7s}  differing chunks")
    tot_ref = tot_ker = t_ref_rd = 0.0
    for fam, (ref, ker) in FAMILIES.items():
        t_ref = best_of(lambda ref=ref: [reference_chunk(ref, ch, options=opts) for ch in cs])
        t_ker = best_of(lambda ker=ker: [ker(ch, options=opts) for ch in cs])
        bad = 0
        for ch in cs:
            try:
                assert_chunk_equal(ker(ch, options=opts), reference_chunk(ref, ch, options=opts))
            except AssertionError as e:
                bad += 1
                print(f"    DIFFERENCE in {fam}: {e}")
        tot_ref += t_ref
        tot_ker += t_ker
        if fam == "readability":
            t_ref_rd = t_ref
        print(f"  {fam:12s} {1000 * t_ref / n:8.3f}ms {1000 * t_ker / n:8.3f}ms {t_ref / t_ker:6.1f}x  {bad}")

    def shared() -> None:
        for ch in cs:
            pc = prose_chunk(ch)
            k_readability.measure_chunk(ch, options=opts, chunk=pc)
            k_sentiment.measure_chunk(ch, options=opts, chunk=pc)

    t_tok = best_of(lambda: [prose_chunk(ch) for ch in cs])
    t_sh = best_of(shared)
    mode = _jit_rs.MODE
    _jit_rs.MODE = "never"
    t_py = best_of(lambda: [k_readability.measure_chunk(ch, options=opts) for ch in cs])
    t_sh_py = best_of(shared)
    _jit_rs.MODE = mode
    print(f"  {'both':12s} {1000 * tot_ref / n:8.3f}ms {1000 * tot_ker / n:8.3f}ms {tot_ref / tot_ker:6.1f}x")
    print(f"  {'both, shared':12s} {'':10s} {1000 * t_sh / n:8.3f}ms {tot_ref / t_sh:6.1f}x  "
          f"(one tokenisation per chunk: {1000 * t_tok / n:.3f} ms/article of it)")
    if texts is not None:
        # the notebook baseline of DESIGN.md (textstat + VADER per regex sentence), one pass (textstat caches
        # per text), and prepare, on the same texts: the ratio the issue asks for (>= 10x, prepare included)
        sys.path.insert(0, str(REPO / "benchmarks"))
        from baseline import make

        base = make()
        for t in texts[:20]:
            base(t + " warm")
        t0 = CLOCK()
        for t in texts:
            base(t)
        t_base = CLOCK() - t0
        t0 = CLOCK()
        for i, t in enumerate(texts):
            prepare_article(f"p{i}", t)
        t_prep = CLOCK() - t0
        m = len(texts)
        print(f"  notebook baseline {1000 * t_base / m:.3f}ms; prepare {1000 * t_prep / m:.3f}ms; "
              f"baseline / kernels (shared) {t_base / m / (t_sh / n):.0f}x; "
              f"baseline / (prepare + kernels) {t_base / m / (t_prep / m + t_sh / n):.1f}x")
    print(f"  with MTLD in Python (a process's first {_jit_rs.NUMBA_AFTER} articles): readability kernel "
          f"{1000 * t_py / n:.3f}ms ({t_ref_rd / t_py:.1f}x), both shared {1000 * t_sh_py / n:.3f}ms "
          f"({tot_ref / t_sh_py:.1f}x)")


def cold_start() -> str:
    """numba's first-call cost of the MTLD loop in a fresh process: compiling (empty cache directory),
    then loading the cached machine code (the next process); imports are timed apart."""
    code = ("import time; t0 = time.perf_counter(); import numpy as np; "
            "from biascmp.columnar import _jit_rs, readability; t1 = time.perf_counter(); "
            "_jit_rs.mtld_many(np.arange(40) % 7, np.array([0, 40]), np.array([True]), 0.72); "
            "t2 = time.perf_counter(); "
            "_jit_rs.mtld_many(np.arange(40) % 5, np.array([0, 40]), np.array([True]), 0.72); "
            "print(t1 - t0, t2 - t1, time.perf_counter() - t2)")
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "NUMBA_CACHE_DIR": d, "BIASCMP_NUMBA": "always"}
        runs = [[float(x) for x in subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                                  text=True, check=True).stdout.split()] for _ in range(2)]
    return (f"numba cold start (wall): import biascmp.columnar {runs[0][0]:.2f} s; first MTLD call "
            f"{runs[0][1]:.2f} s in the first process (compiles), {runs[1][1]:.2f} s in the next one "
            f"(loads the cache); a later call {1000 * runs[1][2]:.3f} ms")


def one_corpus(corpus: str, n: int, size: int, check_all: bool) -> None:
    opts = Options()
    _jit_rs.MODE = "always"  # the table: steady state of a long run (numba MTLD); Python MTLD on its own line
    if corpus == "seeds":
        texts = seeds_corpus(n + 128)
        bench("seeds-generated", prepared(texts[128:], "s"), prepared(texts[:128], "w"), size, opts,
              texts[128:])
    elif corpus == "generated":
        texts = allsides_generated(n + 128)
        bench("allsides-generated (benchmarks/run.py)", prepared(texts[128:], "g"),
              prepared(texts[:128], "w"), size, opts, texts[128:])
    else:
        texts = allsides_texts(None)
        bench("allsides_dev", prepared(texts[128:128 + n], "a"), prepared(texts[:128], "w"), size, opts,
              texts[128:128 + n])
        if check_all:
            arts = prepared(texts, "a")
            bad = 0
            for ch in chunks(arts, size):
                for ref, ker in FAMILIES.values():
                    try:
                        assert_chunk_equal(ker(ch, options=opts), reference_chunk(ref, ch, options=opts))
                    except AssertionError as e:
                        bad += 1
                        print(f"    DIFFERENCE: {e}")
            print(f"\n  equivalence, all allsides_dev: {len(arts)} articles, {bad} differing chunk results "
                  "(readability and sentiment)")
    print(f"  per-word / per-sentence Python in the sentiment kernel (this process): {k_sentiment.STATS}")


def main() -> None:
    args = sys.argv[1:]
    size = 128
    if "--chunk" in args:
        k = args.index("--chunk")
        size = int(args[k + 1])
        del args[k:k + 2]
    if "--corpus" in args:  # one corpus, in this process (main runs each in a fresh one)
        k = args.index("--corpus")
        corpus = args[k + 1]
        del args[k:k + 2]
        one_corpus(corpus, int(args[0]), size, "--check-all" in args)
        return
    n = int([a for a in args if not a.startswith("--")][0]) if any(not a.startswith("--") for a in args) \
        else 1000
    print(f"python {sys.version.split()[0]}, MTLD compiled (numba) unless said, "
          f"{'wall-clock' if CLOCK is time.perf_counter else 'CPU'} time, ms per article; "
          "each corpus in a fresh process")
    corpora = ["seeds"] + (["generated", "allsides"] if ALLSIDES.is_file() else [])
    for corpus in corpora:
        subprocess.run([sys.executable, __file__, str(n), "--corpus", corpus, "--chunk", str(size),
                        *[a for a in args if a in ("--check-all", "--wall")]], check=True)
    if not ALLSIDES.is_file():
        print(f"\n(allsides_dev not found at {ALLSIDES}: seeds corpus only)")
    print(cold_start())


if __name__ == "__main__":
    main()
