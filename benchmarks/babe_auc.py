"""ROC AUC of biascmp's loaded_language for BABE's Biased vs Non-biased sentences (SG1 dev file).

    python benchmarks/babe_auc.py                 # tuning part, held-out part and the whole file
    python benchmarks/babe_auc.py --part tuning   # what the weights in biascmp/loaded.py were set on
    python benchmarks/babe_auc.py --ablate        # tuning part only: AUC with each component switched off
    python benchmarks/babe_auc.py --speed         # articles/s of loaded + attribution on allsides_dev.jsonl

The data folder defaults to ../shared/data beside the repository (set BIASCMP_DATA to change it).

Split (fixed before any tuning): a sentence belongs to the held-out part when the first 8 hex digits of
sha256(text) modulo 10 are 7, 8 or 9 (30 %); everything else is the tuning part. "No agreement" rows are
left out. Each sentence is scored as a one-sentence article (prepare -> tokens -> loaded.measure), so
quotation and attribution handling are the same as in real articles.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = Path(os.environ.get("BIASCMP_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def part_of(text: str) -> str:
    return "heldout" if int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 10 >= 7 else "tuning"


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney U / (n_pos * n_neg), ties counted half (rank-based ROC AUC)."""
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def load(path: Path | None = None) -> pd.DataFrame:
    df = pd.read_csv(path or DATA / "babe_sg1_dev.csv")
    df = df[df["label_bias"].isin(["Biased", "Non-biased"])].reset_index(drop=True)
    df["y"] = (df["label_bias"] == "Biased").astype(int)
    df["part"] = df["text"].astype(str).map(part_of)
    return df


def score(texts: list[str]) -> np.ndarray:
    """loaded_language of each text as a one-sentence article (benchmarks/validity.py's scorer)."""
    from validity import loaded_scores  # this folder is on sys.path (script, or tests/test_loaded.py)

    return loaded_scores(texts)


def vader_intensity(texts: list[str]) -> np.ndarray:
    from biascmp.vader_fast import polarity_scores

    return np.array([1 - polarity_scores(str(t))["neu"] for t in texts])


def ablate(df: pd.DataFrame) -> None:
    """Tuning part only: the AUC with one component's weight set to zero at a time."""
    from biascmp import loaded

    t = df[df["part"] == "tuning"]
    texts, y = t["text"].tolist(), t["y"].to_numpy()
    print(f"all components: {auc(score(texts), y):.3f}")
    for cat in list(loaded.COMPONENTS):
        old = loaded.COMPONENTS[cat]
        loaded.COMPONENTS[cat] = 0.0
        print(f"without {cat:16s} {auc(score(texts), y):.3f}")
        loaded.COMPONENTS[cat] = old
    for name in ("EVALUATIVE_VERB", "SCARE_QUOTE", "EXCLAIM", "VADER_WEIGHT", "REPORTING"):
        old = getattr(loaded, name)
        setattr(loaded, name, 0.0)
        print(f"without {name:16s} {auc(score(texts), y):.3f}")
        setattr(loaded, name, old)


def speed(path: Path | None = None) -> None:
    """Articles per second of the loaded and attribution families (preparation timed separately)."""
    import json
    import time

    from biascmp import attribution, loaded
    from biascmp.prepare import prepare_article
    from biascmp.records import Options
    from biascmp.tokens import tokenize_article

    with open(path or DATA / "allsides_dev.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    t0 = time.perf_counter()
    arts = []
    for r in rows:
        a = prepare_article(str(r["id"]), r.get("text") or "", title=r.get("title"))
        tokenize_article(a)
        arts.append(a)
    t1 = time.perf_counter()
    opts = Options()
    for fam in (loaded, attribution):
        t = time.perf_counter()
        for a in arts:
            fam.measure(a, options=opts)
        print(f"{fam.__name__:22s} {len(arts) / (time.perf_counter() - t):8.0f} articles/s")
    print(f"{'(prepare + tokens)':22s} {len(arts) / (t1 - t0):8.0f} articles/s   n={len(arts)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["tuning", "heldout", "all"], default=None)
    ap.add_argument("--ablate", action="store_true", help="tuning part: AUC without each component")
    ap.add_argument("--speed", action="store_true", help="articles/s on allsides_dev.jsonl")
    args = ap.parse_args()
    if args.speed:
        speed()
        return
    df = load()
    if args.ablate:
        ablate(df)
        return
    parts = [args.part] if args.part else ["tuning", "heldout", "all"]
    s = score(df["text"].tolist())
    v = vader_intensity(df["text"].tolist())
    for p in parts:
        m = np.ones(len(df), bool) if p == "all" else (df["part"] == p).to_numpy()
        print(f"{p:8s} n={m.sum():5d} biased={df['y'].to_numpy()[m].mean():.2f}  loaded_language AUC={auc(s[m], df['y'].to_numpy()[m]):.3f}  "
              f"(VADER intensity 1-neu: {auc(v[m], df['y'].to_numpy()[m]):.3f})")


if __name__ == "__main__":
    main()
