"""ROC AUC of biascmp's loaded_language for BABE's Biased vs Non-biased sentences (SG1 dev file).

    python benchmarks/babe_auc.py                 # tuning part, held-out part and the whole file
    python benchmarks/babe_auc.py --part tuning   # what the weights in biascmp/loaded.py were set on

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
    from biascmp import loaded
    from biascmp.prepare import prepare_article
    from biascmp.records import Options
    from biascmp.tokens import tokenize_article

    out = []
    opts = Options()
    for i, t in enumerate(texts):
        art = prepare_article(str(i), str(t))
        tokenize_article(art)
        v = loaded.measure(art, options=opts).article["loaded_language"]
        out.append(0.0 if v != v else v)
    return np.array(out)


def vader_intensity(texts: list[str]) -> np.ndarray:
    from biascmp.vader_fast import polarity_scores

    return np.array([1 - polarity_scores(str(t))["neu"] for t in texts])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["tuning", "heldout", "all"], default=None)
    args = ap.parse_args()
    df = load()
    parts = [args.part] if args.part else ["tuning", "heldout", "all"]
    s = score(df["text"].tolist())
    v = vader_intensity(df["text"].tolist())
    for p in parts:
        m = np.ones(len(df), bool) if p == "all" else (df["part"] == p).to_numpy()
        print(f"{p:8s} n={m.sum():5d}  loaded_language AUC={auc(s[m], df['y'].to_numpy()[m]):.3f}  "
              f"(VADER intensity 1-neu: {auc(v[m], df['y'].to_numpy()[m]):.3f})")


if __name__ == "__main__":
    main()
