"""Every validity figure of biascmp on the development sets, with bootstrap confidence intervals.

    python benchmarks/validity.py                  # all figures (about a minute on one core)
    python benchmarks/validity.py --only gvfc nfc  # some of them: tweets babe gvfc nfc fit
    python benchmarks/validity.py --resamples 2000

The data folder defaults to ../shared/data beside the repository (set BIASCMP_DATA to change it). Each
figure's meaning, and what it does not mean, is written down in docs/validity.md. CIs are percentile
bootstrap intervals (95 %, seeded, resampling the items of the set: tweets, sentences, headlines or
articles); a figure whose data file is absent is reported as skipped.

Reserved sets (other halves of GVFC and NFC, BABE SG2, VADER's NYT editorials, BASIL, SemEval-2023 T3)
are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = Path(os.environ.get("BIASCMP_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
SEED = 20240601

#: GVFC's nine frames (Liu et al. 2019) -> the Policy Frames Codebook dimensions that express them
#: (docs/framing.md explains each choice). A headline is a hit when its strongest non-crime dimension is
#: one of the dimensions of its theme1 or theme2.
GVFC_TO_DIMENSIONS: dict[int, tuple[str, ...]] = {
    1: ("legality_constitutionality",),                        # gun / 2nd Amendment rights
    2: ("policy_prescription",),                               # gun control / regulation
    3: ("political",),                                         # politics
    4: ("health_and_safety",),                                 # mental health
    5: ("security_and_defense", "health_and_safety"),          # school or public space safety
    6: ("cultural_identity", "fairness_and_equality"),         # race / ethnicity
    7: ("public_opinion",),                                    # public opinion
    8: ("cultural_identity", "quality_of_life", "morality"),   # society / culture
    9: ("economic",),                                          # economic consequences
}
GVFC_NAMES = {1: "gun rights", 2: "gun control", 3: "politics", 4: "mental health", 5: "school/public safety",
              6: "race/ethnicity", 7: "public opinion", 8: "society/culture", 9: "economic", 99: "none"}
#: NFC's frame columns -> biascmp's generic-frame columns
NFC_TO_GFRAME = {"frame_resolution": "gframe_resolution", "frame_human_interest": "gframe_human_interest",
                 "frame_conflict": "gframe_conflict", "frame_moral": "gframe_morality",
                 "frame_economic": "gframe_economic_consequences"}


# ---------------------------------------------------------------------------------------------- helpers
def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney U / (n_pos * n_neg), ties counted half (rank-based ROC AUC)."""
    scores = np.asarray(scores, float)
    labels = np.asarray(labels).astype(bool)
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def bootstrap(stat: Callable[[np.ndarray], float], n: int, resamples: int, seed: int = SEED) -> tuple[float, float]:
    """95 % percentile interval of ``stat(idx)`` over ``resamples`` resamples of the n items (with
    replacement); resamples where the statistic is undefined (NaN) are left out."""
    rng = np.random.default_rng(seed)
    vals = np.array([stat(rng.integers(0, n, n)) for _ in range(resamples)])
    vals = vals[~np.isnan(vals)]
    return float(np.quantile(vals, 0.025)), float(np.quantile(vals, 0.975))


def half_of(text: str, parts: int = 2) -> int:
    """A fixed split of the development set by sha256 of the text (for split-half checks)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % parts


def line(name: str, value: float, ci: tuple[float, float] | None = None, extra: str = "") -> str:
    ci_s = f"  95% CI [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    return f"  {name:44s} {value:7.3f}{ci_s}{('  ' + extra) if extra else ''}"


def _need(name: str) -> Path | None:
    p = DATA / name
    if not p.is_file():
        print(f"  skipped: {name} not found at {p} (set BIASCMP_DATA)")
        return None
    return p


# ---------------------------------------------------------------------------------------------- tweets
def tweets(resamples: int) -> dict[str, float]:
    """Pearson r of sentiment_mean with VADER's human ratings of 4,200 tweets (each tweet one article)."""
    import biascmp

    print("Sentiment: VADER tweets (Hutto & Gilbert 2014 ground truth), Pearson r with the mean human rating")
    p = _need("vader_tweets_GroundTruth.tsv")
    if p is None:
        return {}
    df = pd.read_csv(p, sep="\t", header=None, names=["id", "rating", "text"], quoting=3)
    res = biascmp.analyze(pd.DataFrame({"article_id": df["id"].astype(str), "outlet": "tweets", "text": df["text"]}))
    x = res.articles["sentiment_mean"].to_numpy(float)
    y = df["rating"].to_numpy(float)
    ok = ~np.isnan(x)
    x, y = x[ok], y[ok]

    def r(idx: np.ndarray) -> float:
        return float(np.corrcoef(x[idx], y[idx])[0, 1])

    from biascmp.vader_fast import polarity_scores

    whole = np.array([polarity_scores(str(t))["compound"] for t in df["text"]])
    r_whole = float(np.corrcoef(whole, df["rating"].to_numpy(float))[0, 1])
    value = r(np.arange(len(x)))
    n_masked = int((res.evidence["category"] == "masked_name").sum())
    print(line("biascmp sentiment_mean (names masked)", value, bootstrap(r, len(x), resamples),
               f"n={len(x)}, masked name words: {n_masked}"))
    print(line("vaderSentiment alone, each tweet whole", r_whole))
    return {"tweets_r": value, "tweets_r_vader": r_whole}


# ---------------------------------------------------------------------------------------------- BABE
def babe_split() -> pd.DataFrame:
    """BABE SG1 dev, Biased vs Non-biased, with benchmarks/babe_auc.py's fixed split (30 % held out)."""
    df = pd.read_csv(DATA / "babe_sg1_dev.csv")
    df = df[df["label_bias"].isin(["Biased", "Non-biased"])].reset_index(drop=True)
    df["y"] = (df["label_bias"] == "Biased").astype(int)
    df["part"] = df["text"].astype(str).map(
        lambda t: "heldout" if int(hashlib.sha256(t.encode("utf-8")).hexdigest()[:8], 16) % 10 >= 7 else "tuning")
    return df


def loaded_scores(texts: list[str], lexicon: object | None = None) -> np.ndarray:
    """loaded_language of each text as a one-sentence article (prepare -> loaded.measure), as in
    benchmarks/babe_auc.py; ``lexicon`` replaces the built-in loaded lexicon."""
    from biascmp import loaded
    from biascmp.prepare import prepare_article
    from biascmp.records import Options
    from biascmp.tokens import tokenize_article

    opts = Options(lexicons=(("loaded", lexicon),) if lexicon is not None else ())
    out = []
    for i, t in enumerate(texts):
        art = prepare_article(str(i), str(t))
        tokenize_article(art)
        v = loaded.measure(art, options=opts).article["loaded_language"]
        out.append(0.0 if v != v else v)
    return np.array(out)


def babe(resamples: int) -> dict[str, float]:
    print("Loaded language: BABE SG1 dev, Biased vs Non-biased, ROC AUC on the held-out 30 % (sha256 split)")
    if _need("babe_sg1_dev.csv") is None:
        return {}
    df = babe_split()
    h = df[df["part"] == "heldout"]
    s = loaded_scores(h["text"].tolist())
    y = h["y"].to_numpy()
    value = auc(s, y)
    print(line("built-in loaded_language, held-out", value, bootstrap(lambda i: auc(s[i], y[i]), len(y), resamples),
               f"n={len(y)}"))
    return {"babe_builtin_heldout_auc": value}


# ---------------------------------------------------------------------------------------------- GVFC
def gvfc_top_frames(headlines: list[str], lexicon: object | None = None) -> list[str | None]:
    """Each headline's strongest non-crime policy-frame dimension (ties: codebook order), None without cues."""
    from biascmp.framing import DIMENSIONS
    from biascmp.lexicons import load_lexicon

    pf = lexicon if lexicon is not None else load_lexicon("policy_frames")
    out: list[str | None] = []
    for h in headlines:
        t: dict[str, float] = {}
        for m in pf.find(str(h)):  # type: ignore[attr-defined]
            if m.category != "crime_and_punishment":
                t[m.category] = t.get(m.category, 0.0) + m.weight
        if not t:
            out.append(None)
            continue
        best = max(t.values())
        out.append(min((c for c, v in t.items() if v == best), key=DIMENSIONS.index))
    return out


def gvfc_hits(tops: list[str | None], theme1: np.ndarray, theme2: np.ndarray) -> np.ndarray:
    return np.array([tp is not None and (tp in GVFC_TO_DIMENSIONS.get(int(a), ()) or
                                         tp in GVFC_TO_DIMENSIONS.get(int(b), ()))
                     for tp, a, b in zip(tops, theme1, theme2)])


def gvfc(resamples: int, confusion: bool = True) -> dict[str, float]:
    print("Policy frames on headlines: GVFC dev (616 headlines), strongest non-crime dimension among the annotated frames")
    p = _need("gvfc_dev.csv")
    if p is None:
        return {}
    d = pd.read_csv(p)
    tops = gvfc_top_frames(d["headline"].tolist())
    hits = gvfc_hits(tops, d["theme1"].to_numpy(), d["theme2"].to_numpy())
    covered = np.array([t is not None for t in tops])
    half = d["headline"].astype(str).map(half_of).to_numpy()
    politics = ((d["theme1"] == 3) | (d["theme2"] == 3)).to_numpy()
    value = float(hits.mean())
    print(line("top-frame accuracy", value, bootstrap(lambda i: float(hits[i].mean()), len(hits), resamples),
               f"split halves {hits[half == 0].mean():.3f} / {hits[half == 1].mean():.3f}"))
    print(line("coverage (headlines with a non-crime cue)", float(covered.mean())))
    print(line("accuracy where covered", float(hits[covered].mean())))
    print(line("baseline: always 'politics'", float(politics.mean())))
    if confusion:
        tab = pd.crosstab(pd.Series([t or "none" for t in tops], name="dimension"),
                          d["theme1"].map(GVFC_NAMES).rename("theme1"))
        print("  confusion table, rows: strongest non-crime dimension, columns: annotated theme1")
        print("\n".join("    " + s for s in tab.to_string().splitlines()))
    return {"gvfc_accuracy": value, "gvfc_coverage": float(covered.mean())}


# ---------------------------------------------------------------------------------------------- NFC
def nfc_frame_scores(rows: list[dict]) -> pd.DataFrame:
    """gframe_<name> per article (analyze on the full text)."""
    import biascmp

    res = biascmp.analyze(pd.DataFrame({"article_id": [str(r["article_id"]) for r in rows],
                                        "outlet": [r["outlet"] for r in rows], "text": [r["text"] for r in rows]}))
    return res.articles


def nfc(resamples: int) -> dict[str, float]:
    print("Generic frames: NFC dev (209 climate articles), per-frame ROC AUC of gframe_<name> for the annotated frame")
    p = _need("nfc_dev.jsonl")
    if p is None:
        return {}
    rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = nfc_frame_scores(rows)
    out: dict[str, float] = {}
    per: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for label, col in NFC_TO_GFRAME.items():
        y = np.array([bool(r[label]) for r in rows])
        s = arts[col].fillna(0.0).to_numpy(float)
        per[label] = (s, y)
        out[label] = auc(s, y)
        print(line(f"{col} for {label}", out[label], bootstrap(lambda i, s=s, y=y: auc(s[i], y[i]), len(y), resamples),
                   f"positives {y.sum()}/{len(y)}"))

    def macro(i: np.ndarray) -> float:
        return float(np.nanmean([auc(s[i], y[i]) for s, y in per.values()]))

    value = float(np.mean(list(out.values())))
    half = np.array([half_of(r["text"]) for r in rows])
    halves = [macro(np.flatnonzero(half == k)) for k in (0, 1)]
    print(line("macro AUC (5 frames)", value, bootstrap(macro, len(rows), resamples),
               f"split halves {halves[0]:.3f} / {halves[1]:.3f}"))
    out["nfc_macro_auc"] = value
    return out


# ---------------------------------------------------------------------------------------------- fitted
#: GVFC's frames as the single dimension a fitted "frames" lexicon is asked to predict (one-to-one)
GVFC_LABEL = {1: "legality_constitutionality", 2: "policy_prescription", 3: "political", 4: "health_and_safety",
              5: "security_and_defense", 6: "fairness_and_equality", 7: "public_opinion", 8: "cultural_identity",
              9: "economic"}


def headline_primary(lex: object, text: str) -> str:
    """frame_primary of a one-sentence text under ``lex`` (the framing family's rule: largest summed
    weight, ties to the dimension listed first in the codebook; 'none' without cues)."""
    from biascmp.framing import DIMENSIONS

    t: dict[str, float] = {}
    for m in lex.find(text):  # type: ignore[attr-defined]
        t[m.category] = t.get(m.category, 0.0) + m.weight
    if not t:
        return "none"
    best = max(t.values())
    return min((c for c, v in t.items() if v == best), key=DIMENSIONS.index)


def fit(resamples: int) -> dict[str, float]:
    """Fitted lexicons (biascmp.fit_lexicon): BABE held-out AUC, GVFC 5-fold cross-validated accuracy."""
    import biascmp

    out: dict[str, float] = {}
    print("Fitted lexicons (biascmp.fit_lexicon, defaults): fitted on development data at run time, never shipped")
    if _need("babe_sg1_dev.csv") is not None:
        df = babe_split()
        t, h = df[df["part"] == "tuning"], df[df["part"] == "heldout"]
        y = h["y"].to_numpy()
        b = loaded_scores(h["text"].tolist())
        for penalty in ("l2", "l1"):
            lex = biascmp.fit_lexicon(t["text"].tolist(), t["y"].tolist(), family="loaded", penalty=penalty)
            s = loaded_scores(h["text"].tolist(), lex)
            print(line(f"BABE: fitted on tuning 70 % ({penalty}), held-out AUC", auc(s, y),
                       bootstrap(lambda i, s=s: auc(s[i], y[i]), len(y), resamples),
                       f"{len(lex.entries)} entries; built-in {auc(b, y):.3f}; difference CI "
                       "[{:.3f}, {:.3f}]".format(*bootstrap(lambda i, s=s: auc(s[i], y[i]) - auc(b[i], y[i]),
                                                            len(y), resamples))))
            out[f"babe_fitted_{penalty}_heldout_auc"] = auc(s, y)
    if _need("gvfc_dev.csv") is not None:
        from sklearn.model_selection import StratifiedKFold

        g = pd.read_csv(DATA / "gvfc_dev.csv")
        texts = g["headline"].astype(str).tolist()
        labels = g["theme1"].map(GVFC_LABEL).to_numpy()
        second = g["theme2"].map(GVFC_LABEL).to_numpy()
        pred = np.empty(len(texts), dtype=object)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
            lex = biascmp.fit_lexicon([texts[i] for i in train], labels[train].tolist(), family="frames")
            for i in test:
                pred[i] = headline_primary(lex, texts[i])
        strict = pred == labels
        among = strict | (pred == second)
        print(line("GVFC: 5-fold CV, frame_primary among the annotated frames", float(among.mean()),
                   bootstrap(lambda i: float(among[i].mean()), len(texts), resamples),
                   f"theme1 only: {strict.mean():.3f}; labels theme1 -> one dimension each (GVFC_LABEL)"))
        out["gvfc_fitted_cv_accuracy"] = float(among.mean())
        out["gvfc_fitted_cv_accuracy_theme1"] = float(strict.mean())
    return out


FIGURES: dict[str, Callable[[int], dict[str, float]]] = {"tweets": tweets, "babe": babe, "gvfc": gvfc, "nfc": nfc,
                                                         "fit": fit}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=list(FIGURES), default=list(FIGURES))
    ap.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    args = ap.parse_args(argv)
    print(f"biascmp validity figures; data: {DATA}; bootstrap: {args.resamples} resamples, seed {SEED}\n")
    for name in args.only:
        FIGURES[name](args.resamples)
        print()


if __name__ == "__main__":
    main()
