"""Equivalence check for the actors and attribution families: today's output against a saved golden dump.

    python benchmarks/actors_check.py --save      # dump the golden output (before changing anything)
    python benchmarks/actors_check.py             # compare the current code with the dump (exact)

Runs the full :func:`biascmp.analyze` on ../shared/data/allsides_dev.jsonl (when present) and on the seed
articles, each with proposed actors and with a user actors list, and keeps what these two families write:
their article columns, the sentence column ``attribution``, their evidence rows and the ``speakers`` and
``actors`` tables. Comparison is ``pandas.testing.assert_frame_equal`` with ``check_exact=True``. The dump
lives in /tmp (``--dir`` to change): it is a before/after aid for one working session, not a test fixture.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import biascmp  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "allsides_dev.jsonl"
#: a user list that exercises every alias rule: lower-case aliases (any case), exact ones ("ICE"),
#: multi-word aliases, an alias shared by two actors ("the president"), one matched inside another
USER_ACTORS = {
    "Trump": ["Trump", "Donald Trump", "President Trump", "the president"],
    "Biden": ["Biden", "Joe Biden", "the president", "Vice President Biden"],
    "Obama": ["Obama", "Barack Obama"],
    "Police": ["police", "CPD", "police officers"],
    "ICE": ["ICE", "Immigration and Customs Enforcement"],
    "Democrats": ["Democrats", "democrats", "Democratic Party"],
    "Lightfoot": ["Lightfoot", "Lori Lightfoot", "the mayor"],
    "China": ["China", "Beijing", "chinese government"],
}
ARTICLE_COLUMNS = ["article_id", "n_actors", "attribution_loaded_share", "n_attributions", "n_named_sources",
                   "unnamed_source_share"]


def _inputs() -> dict[str, pd.DataFrame]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    out = {"seeds": pd.DataFrame({"article_id": [p.stem for p in seeds], "outlet": [p.stem[:3] for p in seeds],
                                  "text": [p.read_text(encoding="utf-8") for p in seeds]})}
    if DATA.is_file():
        df = pd.read_json(DATA, lines=True)
        out["allsides"] = pd.DataFrame({"article_id": df["id"].astype(str), "outlet": df["outlet"].astype(str),
                                        "text": df["text"].astype(str)})
    else:
        print(f"note: {DATA} is absent; only the seeds are checked")
    return out


def _extract(res: biascmp.Analysis) -> dict[str, pd.DataFrame]:
    ev = res.evidence
    fam = ev["family"].astype(str)
    return {
        "articles": res.articles[[c for c in ARTICLE_COLUMNS if c in res.articles.columns]],
        "sentences": res.sentences[["article_id", "sentence_index", "attribution"]]
        if "sentence_index" in res.sentences.columns else res.sentences[["article_id", "attribution"]],
        "evidence": ev[fam.isin(["actors", "attribution"])].reset_index(drop=True),
        "speakers": res.tables.get("speakers", pd.DataFrame()),
        "actors": res.tables.get("actors", pd.DataFrame()),
    }


def collect() -> dict[str, dict[str, pd.DataFrame]]:
    out = {}
    for name, frame in _inputs().items():
        for label, kw in (("proposed", {}), ("user", {"actors": USER_ACTORS})):
            t0 = time.perf_counter()
            out[f"{name}/{label}"] = _extract(biascmp.analyze(frame, **kw))
            print(f"{name}/{label}: analyze {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--save", action="store_true", help="write the golden dump instead of comparing")
    p.add_argument("--dir", default="/tmp/biascmp_actors_golden", help="where the dump lives")
    args = p.parse_args()
    path = Path(args.dir) / "golden.pkl"
    got = collect()
    if args.save:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(got))
        print(f"saved {path}: " + ", ".join(f"{k}: {len(v['actors'])} actor rows, {len(v['evidence'])} evidence"
                                            for k, v in got.items()))
        return 0
    want = pickle.loads(path.read_bytes())
    bad = 0
    for run, frames in want.items():
        if run not in got:
            print(f"MISSING run {run}")
            bad += 1
            continue
        for name, w in frames.items():
            try:
                pd.testing.assert_frame_equal(got[run][name], w, check_exact=True)
            except AssertionError as exc:
                bad += 1
                print(f"DIFF {run} {name}: {exc}")
            else:
                print(f"ok   {run} {name} ({len(w)} rows)")
    print("IDENTICAL" if not bad else f"{bad} DIFFERENCES")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
