"""Compare groups of articles honestly: estimates with bootstrap CIs, effect sizes, permutation tests,
Benjamini-Hochberg q-values, and findings in words that never claim more than the numbers support.

    cmp = biascmp.compare(res, by="outlet")                  # all pairs
    cmp = biascmp.compare(res, by="leaning", baseline="center")
    cmp = biascmp.compare(res, by="outlet", story="story")   # paired, within-story differences

Tables (tidy, documented in docs/compare.md):

- ``groups``: group, metric, n_articles, estimate, median, ci_low, ci_high, sd, n_sentences,
  sentence_sd, inference
- ``pairs``: group_a, group_b, metric, estimate_a, estimate_b, difference (a - b), ci_low, ci_high,
  hedges_g, cliffs_delta, p_value, q_value, significant, n_a, n_b, method, n_pairs
- ``findings``: text, kind, metric, group_a, group_b, q_value, difference

Only articles with ``status == "ok"`` enter. Groups with fewer than :data:`MIN_ARTICLES` articles get
estimates and their sentence-level spread but no interval, test or effect size; when fewer than two
groups qualify, the whole comparison is ``mode="descriptive"`` and says so.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from . import registry, stats
from ._validation import check_choice, check_open_interval, check_positive_int, unknown_choice

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: fewer articles than this in a group: described, never tested
MIN_ARTICLES = 3
#: article metric -> (sentence metric, which sentences) whose spread describes it: "all" prose sentences,
#: the "narrator"'s (in_quote < QUOTED) or "quoted" speech (in_quote >= QUOTED), as the article metric is
#: built (biascmp.sentiment, biascmp.loaded). Other metrics have no sentence counterpart: sentence_sd NaN.
SENTENCE_COUNTERPART = {
    "sentiment_mean": ("compound", "all"), "sentiment_median": ("compound", "all"),
    "sentiment_narrator_mean": ("compound", "narrator"), "sentiment_quoted_mean": ("compound", "quoted"),
    "loaded_language": ("loaded_language", "all"),
    "loaded_language_narrator_mean": ("loaded_language", "narrator"),
    "loaded_language_quoted_mean": ("loaded_language", "quoted"),
}
#: a sentence counts as quoted speech when in_quote >= QUOTED (the registry's rule, as every family uses)
QUOTED = registry.QUOTED_THRESHOLD
#: metrics the descriptive (small-sample) findings talk about, in order, when present
DESCRIBE = ("sentiment_narrator_mean", "sentiment_mean", "loaded_language_narrator_mean",
            "attribution_loaded_share", "quote_share", "flesch_kincaid_grade")

GROUP_COLUMNS = ["group", "metric", "n_articles", "estimate", "median", "ci_low", "ci_high", "sd",
                 "n_sentences", "sentence_sd", "inference"]
PAIR_COLUMNS = ["group_a", "group_b", "metric", "estimate_a", "estimate_b", "difference", "ci_low", "ci_high",
                "hedges_g", "cliffs_delta", "p_value", "q_value", "significant", "n_a", "n_b", "method",
                "n_pairs"]
FINDING_COLUMNS = ["text", "kind", "metric", "group_a", "group_b", "q_value", "difference"]


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    return {name: registry.in_sentence(text) for name, text in registry.labels().items()}


def label(metric: str) -> str:
    """A metric's label as findings use it inside a sentence (from the registry)."""
    return _labels().get(metric, metric.replace("_", " "))


@dataclass
class Comparison:
    """The result of :func:`compare` (see the module docstring for the columns)."""

    analysis: Any
    by: str
    groups: pd.DataFrame
    pairs: pd.DataFrame
    findings: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    mode: str = "inferential"  # "inferential" | "paired" | "descriptive"
    caveats: list[str] = field(default_factory=list)

    def table(self, name: str = "pairs") -> pd.DataFrame:
        """One of the tables by name.

        Args:
            name: ``groups``, ``pairs`` or ``findings``.

        Returns:
            The DataFrame (not a copy); columns in :data:`GROUP_COLUMNS`, :data:`PAIR_COLUMNS` or
            :data:`FINDING_COLUMNS`.
        """
        check_choice("table", name, ("groups", "pairs", "findings"))
        return cast(pd.DataFrame, getattr(self, name))

    def to_csv(self, path: str | os.PathLike[str], table: str = "pairs", *, safe: bool = True) -> Path:
        """Write a table (see :meth:`table`) as CSV, atomically; ``safe`` neutralises spreadsheet formulas.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.table(table), path, format="csv", safe_csv=safe)

    def to_parquet(self, path: str | os.PathLike[str], table: str = "pairs") -> Path:
        """Write a table (see :meth:`table`) as Parquet, atomically.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.table(table), path, format="parquet")

    def to_jsonl(self, path: str | os.PathLike[str], table: str = "pairs") -> Path:
        """Write a table (see :meth:`table`) as JSON Lines, atomically, numbers in their shortest exact form.

        Returns:
            The path written.
        """
        from .outputs import write_frame

        return write_frame(self.table(table), path, format="jsonl")

    def __repr__(self) -> str:
        n_sig = int(self.pairs["significant"].fillna(False).astype(bool).sum()) if len(self.pairs) else 0
        n_tested = int(self.pairs["p_value"].notna().sum()) if len(self.pairs) else 0
        n_groups = self.groups["group"].nunique() if len(self.groups) else 0
        return (f"<Comparison by={self.by!r} mode={self.mode!r}: {n_groups} groups, {len(self.pairs)} pair rows, "
                f"{n_tested} tested ({n_sig} significant), {len(self.findings)} findings>")

    def _repr_html_(self) -> str:
        """Jupyter's rich view: mode, findings, groups with CIs (see :mod:`biascmp.display`)."""
        from .display import comparison_html

        return comparison_html(self)

    def plot(self, metrics: list[str] | str | None = None) -> Figure:
        """Forest plot: each group's estimate with its confidence interval, one panel per metric; for a
        paired comparison, each pair's within-story difference with its CI and a zero line.

        Args:
            metrics: metric names (default: the key metrics present in the comparison).

        Returns:
            A matplotlib Figure (shown as the cell's output in Jupyter; ``fig.savefig(...)`` to keep it).
        """
        from .display import notebook_figure, plots_module

        return notebook_figure(plots_module().forest(self, metrics))


def default_metrics(articles: pd.DataFrame) -> list[str]:
    """Numeric article metrics registered for comparison and present in the frame.

    Returns:
        Metric names in registry order.
    """
    return [m.name for m in registry.metrics() if m.level == "article" and m.compare
            and m.name in articles.columns and pd.api.types.is_numeric_dtype(articles[m.name])
            and not pd.api.types.is_bool_dtype(articles[m.name])]


#: article columns that identify or describe one article: never useful to group by
_NOT_GROUPS = {"article_id", "title", "url", "date", "text", "status_detail", "source_file", "source_row",
               "original_url", "notes", "outlet_raw", "input_source_file", "input_source_row"}


def group_columns(articles: pd.DataFrame) -> list[str]:
    """Article columns that can define groups (``by=``, ``story=``): text or categorical columns of short
    labels, not ids, titles, URLs, dates or metrics.

    Returns:
        Column names in frame order.
    """
    out = []
    for c in articles.columns:
        s = articles[c]
        if str(c) in _NOT_GROUPS or str(c).endswith("_note") or pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        lengths = s.dropna().astype(str).str.len()
        if not len(lengths) or lengths.mean() <= 40:
            out.append(str(c))
    return out


def _validate(analysis: Any, by: str, metrics: list[str] | None, baseline: Any, story: str | None,
              n_resamples: int, confidence: float, fdr: float, estimator: str, seed: int,
              min_groups: int = 2) -> tuple[pd.DataFrame, list[str]]:
    if not hasattr(analysis, "articles"):
        raise TypeError(f"Invalid analysis={type(analysis).__name__}: expected the Analysis from biascmp.analyze()")
    arts = analysis.articles
    if not isinstance(by, str) or by not in arts.columns:
        raise ValueError(unknown_choice("by", by, list(map(str, arts.columns)), relevant=group_columns(arts),
                                        what="not an article column"))
    if story is not None and story not in arts.columns:
        raise ValueError(unknown_choice("story", story, list(map(str, arts.columns)),
                                        relevant=group_columns(arts), what="not an article column"))
    check_positive_int("n_resamples", n_resamples, minimum=100)
    check_positive_int("seed", seed, minimum=0)
    check_open_interval("confidence", confidence, 0, 1)
    check_open_interval("fdr", fdr, 0, 1)
    check_choice("estimator", estimator, ("mean", "median"))
    if metrics is None:
        metrics = default_metrics(arts)
    else:
        if isinstance(metrics, str):
            metrics = [metrics]
        metrics = list(dict.fromkeys(metrics))  # a metric named twice is compared once
        if not metrics:
            raise ValueError("Invalid metrics=[]: name at least one numeric article column, or pass None "
                             "for the registry's default metrics")
        for m in metrics:
            if m not in arts.columns:
                raise ValueError(unknown_choice("metrics entry", m, list(map(str, arts.columns)),
                                                relevant=default_metrics(arts), what="not an article column"))
            if not pd.api.types.is_numeric_dtype(arts[m]) or pd.api.types.is_bool_dtype(arts[m]):
                raise ValueError(f"Invalid metrics entry {m!r}: column is not numeric (dtype {arts[m].dtype})")
    if not metrics:
        raise ValueError("No numeric metrics to compare: pass metrics=[...] naming numeric article columns")
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    groups = ok[by].astype("string").fillna("(unknown)")
    names = sorted(groups.unique())
    if len(names) < min_groups:
        raise ValueError(f"Invalid by={by!r}: the analysed articles form {len(names)} group(s) {names}; "
                         "a comparison needs at least two")
    if baseline is not None and str(baseline) not in names:
        raise ValueError(f"Invalid baseline={baseline!r}: not a group of by={by!r}; groups are {names}")
    return ok.assign(_group=groups.to_numpy()), list(metrics)


def _sentence_spread(analysis: Any, ok: pd.DataFrame, metrics: list[str]) -> tuple[dict[str, int],
                                                                                    dict[tuple[str, str], float]]:
    s = getattr(analysis, "sentences", None)
    if s is None or not len(s) or "article_id" not in s:
        return {}, {}
    if "kind" in s:
        s = s[s["kind"] == "prose"]
    grp = s["article_id"].map(dict(zip(ok["article_id"], ok["_group"])))
    s = s.assign(_group=grp).dropna(subset=["_group"])
    n_sent = s.groupby("_group").size().to_dict()
    sd: dict[tuple[str, str], float] = {}
    quoted = s["in_quote"].astype(float) >= QUOTED if "in_quote" in s.columns else None
    for m in metrics:
        col, part = SENTENCE_COUNTERPART.get(m, (None, "all"))
        if not col or col not in s.columns or not pd.api.types.is_numeric_dtype(s[col]):
            continue
        if part != "all" and quoted is None:
            continue  # no quote marks to split on: no counterpart
        if part == "all" or quoted is None:
            sub = s
        else:
            sub = s[quoted] if part == "quoted" else s[~quoted]
        for g, v in sub.groupby("_group")[col].std().items():
            sd[(str(g), m)] = float(v)
    return {str(k): int(v) for k, v in n_sent.items()}, sd


def compare(analysis: Any, by: str = "outlet", *, metrics: list[str] | None = None, baseline: Any = None,
            story: str | None = None, n_resamples: int = 2000, confidence: float = 0.95, fdr: float = 0.05,
            seed: int = 0, estimator: str = "mean") -> Comparison:
    """Compare the groups of ``analysis.articles[by]`` on every metric.

    Args:
        analysis: the :class:`biascmp.Analysis` from :func:`biascmp.analyze`.
        by: article column that defines the groups (outlet, outlet_type, leaning, a user column).
        metrics: article metric columns (default: every numeric metric the registry marks comparable).
        baseline: compare each group with this one only (default: all pairs).
        story: column naming the event each article covers. CIs then resample whole stories, and pairs
            are compared within stories (paired analysis of within-story differences), which removes
            topic effects that confound outlet comparisons.
        n_resamples: bootstrap resamples and permutations (>= 100).
        confidence: CI level in (0, 1).
        fdr: Benjamini-Hochberg false discovery rate in (0, 1).
        seed: random seed (same inputs and seed, same numbers).
        estimator: "mean" or "median".

    Returns:
        The comparison, with the tidy tables ``groups``, ``pairs`` and ``findings``, its ``mode``
            (inferential, paired or descriptive) and ``caveats``.

    Raises:
        ValueError: an unknown column (with the closest names), metric, baseline or an invalid number.
    """
    return compare_groups(analysis, by, metrics=metrics, baseline=baseline, story=story,
                          n_resamples=n_resamples, confidence=confidence, fdr=fdr, seed=seed, estimator=estimator)


def compare_groups(analysis: Any, by: str = "outlet", *, metrics: list[str] | None = None, baseline: Any = None,
                   story: str | None = None, n_resamples: int = 2000, confidence: float = 0.95, fdr: float = 0.05,
                   seed: int = 0, estimator: str = "mean", min_groups: int = 2) -> Comparison:
    """:func:`compare` with ``min_groups``: the report passes 0 so that a corpus of one group is described
    rather than refused. Returns a :class:`Comparison`."""
    ok, metrics = _validate(analysis, by, metrics, baseline, story, n_resamples, confidence, fdr, estimator,
                            seed, min_groups)
    caveats: list[str] = []
    values = ok[metrics].to_numpy(dtype=float)
    n_inf = int(np.isinf(values).sum())
    if n_inf:  # an infinite value would make every mean it enters infinite: treat it as missing, and say so
        bad = [m for j, m in enumerate(metrics) if np.isinf(values[:, j]).any()]
        ok = ok.assign(**{m: ok[m].astype(float).where(np.isfinite(ok[m].astype(float))) for m in bad})
        caveats.append(f"{n_inf} infinite value(s) in {bad} were treated as missing.")
    ok = ok.sort_values(["_group", "article_id"], kind="mergesort")  # row order never matters
    names = sorted(ok["_group"].unique())
    X = {g: ok.loc[ok["_group"] == g, metrics].to_numpy(dtype=float) for g in names}
    ids = {g: ok.loc[ok["_group"] == g, "article_id"].astype(str).to_numpy() for g in names}
    S = {g: ok.loc[ok["_group"] == g, story].astype(str).to_numpy() if story else None for g in names}
    n_sent, sent_sd = _sentence_spread(analysis, ok, metrics)
    testable = [g for g in names if len(X[g]) >= MIN_ARTICLES]
    boot = stats.bootstrap_medians if estimator == "median" else stats.bootstrap_means

    group_rows = []
    boots: dict[str, np.ndarray] = {}
    for g in names:
        x = X[g]
        est = np.nanmedian(x, axis=0) if estimator == "median" else stats.nanmean_cols(x)
        with np.errstate(all="ignore"):
            med = np.array([np.median(c[~np.isnan(c)]) if (~np.isnan(c)).any() else np.nan for c in x.T])
            sd = np.array([np.std(c[~np.isnan(c)], ddof=1) if (~np.isnan(c)).sum() > 1 else np.nan for c in x.T])
        if g in testable:
            boots[g] = boot(x, _rng(seed, "group", g), n_resamples, clusters=S[g])
            lo, hi = stats.percentile_ci(boots[g], confidence)
            inference = f"bootstrap {int(confidence * 100)}% CI" + (" (stories resampled)" if story else "")
        else:
            lo = hi = np.full(len(metrics), np.nan)
            inference = f"descriptive: fewer than {MIN_ARTICLES} articles"
        counts = (~np.isnan(x)).sum(axis=0)
        for j, m in enumerate(metrics):
            group_rows.append({
                "group": g, "metric": m, "n_articles": int(counts[j]), "estimate": est[j], "median": med[j],
                "ci_low": lo[j], "ci_high": hi[j], "sd": sd[j], "n_sentences": n_sent.get(g, 0),
                "sentence_sd": sent_sd.get((g, m), np.nan), "inference": inference})
    groups = pd.DataFrame(group_rows, columns=GROUP_COLUMNS)

    if baseline is not None:
        pair_list = [(g, str(baseline)) for g in names if g != str(baseline)]
    else:
        pair_list = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    mode = "inferential" if len(testable) >= 2 else "descriptive"
    paired = story is not None and mode == "inferential"
    if paired:
        mode = "paired"
    pair_rows = []
    for a, b in pair_list:
        both = a in testable and b in testable
        rng = _rng(seed, "pair", *sorted((a, b)))
        if paired and both and story is not None:
            pair_rows += _paired_rows(ok, a, b, metrics, story, rng, n_resamples, confidence, estimator)
            continue
        xa, xb = X[a], X[b]
        ea = np.nanmedian(xa, axis=0) if estimator == "median" else stats.nanmean_cols(xa)
        eb = np.nanmedian(xb, axis=0) if estimator == "median" else stats.nanmean_cols(xb)
        if both:
            lo, hi = stats.percentile_ci(boots[a] - boots[b], confidence)
            pooled_ids = np.concatenate([ids[a], ids[b]])
            p = stats.permutation_pvalues(xa, xb, rng, n_resamples,
                                          order=np.argsort(pooled_ids, kind="stable"))
            method = "permutation test (difference of means), bootstrap CI"
        else:
            lo = hi = p = np.full(len(metrics), np.nan)
            method = f"descriptive: a group has fewer than {MIN_ARTICLES} articles"
        for j, m in enumerate(metrics):
            ca, cb = xa[:, j], xb[:, j]
            pair_rows.append({
                "group_a": a, "group_b": b, "metric": m, "estimate_a": ea[j], "estimate_b": eb[j],
                "difference": ea[j] - eb[j], "ci_low": lo[j], "ci_high": hi[j],
                "hedges_g": stats.hedges_g(ca, cb) if both else np.nan,
                "cliffs_delta": stats.cliffs_delta(ca, cb) if both else np.nan,
                "p_value": p[j], "n_a": int((~np.isnan(ca)).sum()), "n_b": int((~np.isnan(cb)).sum()),
                "method": method, "n_pairs": np.nan})
    pairs = pd.DataFrame(pair_rows)
    if len(pairs):
        pairs["q_value"] = stats.bh_qvalues(pairs["p_value"].to_numpy(dtype=float))
        pairs["significant"] = (pairs["q_value"] <= fdr).where(pairs["q_value"].notna(), False).astype(bool)
    pairs = pairs.reindex(columns=PAIR_COLUMNS)

    small = [g for g in names if g not in testable]
    if len(names) < 2:
        caveats.append(f"Only {len(names)} group of by={by!r} has analysed articles: nothing to compare; "
                       "the report describes it.")
    if mode == "descriptive":
        caveats.append(f"Descriptive comparison: fewer than two groups have at least {MIN_ARTICLES} analysed "
                       f"articles, so there are no confidence intervals, tests or q-values. The numbers "
                       f"describe these articles, not the outlets' coverage in general.")
    elif small:
        caveats.append(f"Groups with fewer than {MIN_ARTICLES} articles are described but not tested: "
                       + ", ".join(small) + ".")
    if mode == "inferential" and story is None:
        caveats.append("Articles about different stories are compared as they are: topic differences between "
                       "groups can look like outlet differences. Pass story= to compare within stories.")
    if paired:
        caveats.append(f"Paired analysis: each pair of groups is compared on the stories both covered "
                       f"(column {story!r}); differences are within-story, so topic effects cancel.")
    n_tests = int(pairs["p_value"].notna().sum()) if len(pairs) else 0
    if n_tests:
        caveats.append(f"q-values control the false discovery rate at {fdr:g} across all {n_tests} tests "
                       "(Benjamini-Hochberg), over every metric and pair.")
        floor = 1 / (n_resamples + 1)
        if (pairs["p_value"] <= floor * (1 + 1e-9)).any():
            caveats.append(f"With {n_resamples} permutations the smallest possible p-value is {floor:.2g}: "
                           "p-values at that floor mean 'at most', and more resamples would give smaller ones.")
        if estimator == "median":
            caveats.append("estimator='median': estimates and intervals are medians, but the permutation "
                           "p-values test the difference in means.")
    findings = _findings(groups, pairs, names, mode, testable, confidence, estimator)
    params = {"by": by, "metrics": list(metrics), "baseline": baseline, "story": story, "n_resamples": n_resamples,
              "confidence": confidence, "fdr": fdr, "seed": seed, "estimator": estimator,
              "min_articles": MIN_ARTICLES, "mode": mode,
              "method": ("sign-flip permutation on within-story differences" if paired else
                         "permutation test of the difference in means; percentile bootstrap CIs"
                         if mode == "inferential" else "descriptive (no inference)")}
    return Comparison(analysis, by, groups, pairs, findings, params, mode, caveats)


def _rng(seed: int, *parts: str) -> np.random.Generator:
    """A random stream per group or pair, independent of the order groups are listed or processed in."""
    import hashlib

    h = hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8", "surrogatepass")).digest()
    return np.random.default_rng([int(seed), int.from_bytes(h[:8], "little")])


def _paired_rows(ok: pd.DataFrame, a: str, b: str, metrics: list[str], story: str, rng: np.random.Generator,
                 n_resamples: int, confidence: float, estimator: str) -> list[dict[str, Any]]:
    """Within-story differences of group means for the stories both groups covered."""
    sub = ok[ok["_group"].isin([a, b])]
    agg = "median" if estimator == "median" else "mean"
    means = sub.groupby(["_group", sub[story].astype(str)])[metrics].agg(agg)
    try:
        ma, mb = means.loc[a], means.loc[b]
    except KeyError:
        ma = mb = pd.DataFrame(columns=metrics)
    common = ma.index.intersection(mb.index).sort_values()
    d = (ma.loc[common, metrics] - mb.loc[common, metrics]).to_numpy(dtype=float)
    rows = []
    if len(common) >= MIN_ARTICLES:
        bs = stats.bootstrap_means(d, rng, n_resamples)
        lo, hi = stats.percentile_ci(bs, confidence)
        p = stats.signflip_pvalues(d, rng, n_resamples)
        method = "paired: sign-flip permutation on within-story differences, bootstrap over stories"
    else:
        lo = hi = p = np.full(len(metrics), np.nan)
        method = f"paired: fewer than {MIN_ARTICLES} shared stories, not tested"
    diff = stats.nanmean_cols(d) if len(common) else np.full(len(metrics), np.nan)
    ea = stats.nanmean_cols(ma.loc[common, metrics].to_numpy(float)) if len(common) else diff
    eb = stats.nanmean_cols(mb.loc[common, metrics].to_numpy(float)) if len(common) else diff
    for j, m in enumerate(metrics):
        dj = d[:, j][~np.isnan(d[:, j])] if len(common) else np.array([])
        g = (dj.mean() / dj.std(ddof=1) * (1 - 3 / (4 * (len(dj) - 1) - 1))
             if len(dj) > 2 and dj.std(ddof=1) > 0 else np.nan)  # paired g_av-free: d_z with J correction
        rows.append({"group_a": a, "group_b": b, "metric": m, "estimate_a": ea[j], "estimate_b": eb[j],
                     "difference": diff[j], "ci_low": lo[j], "ci_high": hi[j], "hedges_g": g,
                     "cliffs_delta": stats.cliffs_delta(ma.loc[common, m].to_numpy(float),
                                                        mb.loc[common, m].to_numpy(float)) if len(common) else np.nan,
                     "p_value": p[j], "n_a": int((sub["_group"] == a).sum()), "n_b": int((sub["_group"] == b).sum()),
                     "method": method, "n_pairs": int(len(dj))})
    return rows


def _num(v: float, digits: int = 2, *, scale: float | None = None) -> str:
    """Format with ``digits`` decimals, more when ``scale`` (e.g. the difference) is small, so a
    difference never prints as 0.0."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if scale is not None and scale and math.isfinite(scale):
        digits = min(4, max(digits, 1 - math.floor(math.log10(abs(scale)))))
    s = f"{v:.{digits}f}"
    return s.replace("-", "\u2212") if s.startswith("-") else s


def _digits(metric: str) -> int:
    return 2 if any(k in metric for k in ("share", "sentiment", "compound", "frame", "loaded", "quote")) else 1


def _findings(groups: pd.DataFrame, pairs: pd.DataFrame, names: list[str], mode: str, testable: list[str],
              confidence: float, estimator: str = "mean") -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    level = int(round(confidence * 100))
    if mode == "descriptive":
        for m in [m for m in DESCRIBE if m in set(groups["metric"])][:5]:
            g = groups[(groups["metric"] == m) & groups["estimate"].notna()]
            if len(g) < 2:
                continue
            # groups has a RangeIndex: idxmax/idxmin give an int label and .loc that row as a Series
            hi = cast(pd.Series, g.loc[cast(int, g["estimate"].idxmax())])
            lo = cast(pd.Series, g.loc[cast(int, g["estimate"].idxmin())])
            k = _digits(m)
            rows.append({"text": f"On {label(m)}, {hi['group']} has the highest value ({_num(hi['estimate'], k)}) "
                                 f"and {lo['group']} the lowest ({_num(lo['estimate'], k)}). With so few articles "
                                 "per group this describes these articles only; it is not evidence of a "
                                 "difference between the groups.",
                         "kind": "descriptive", "metric": m, "group_a": hi["group"], "group_b": lo["group"],
                         "q_value": np.nan, "difference": hi["estimate"] - lo["estimate"]})
        return pd.DataFrame(rows, columns=FINDING_COLUMNS)
    # smallest q first; among equal q (permutation p-values tie at their floor) the metrics a reader asks
    # about first: narration sentiment and loaded language before readability formulas
    sig = pairs[pairs["significant"]].assign(_prio=lambda d: d["metric"].map(_priority))
    sig = sig.sort_values(["q_value", "_prio", "metric", "group_a", "group_b"], kind="mergesort")
    for r in sig.head(25).to_dict("records"):
        a, b, m = r["group_a"], r["group_b"], r["metric"]
        if r["difference"] < 0:
            a, b = b, a
            ea, eb, d, lo, hi = r["estimate_b"], r["estimate_a"], -r["difference"], -r["ci_high"], -r["ci_low"]
        else:
            ea, eb, d, lo, hi = r["estimate_a"], r["estimate_b"], r["difference"], r["ci_low"], r["ci_high"]
        k = _digits(m)
        direction = registry_direction(m)
        paired = " within the same stories" if str(r["method"]).startswith("paired") else ""
        sc = d
        # the CI is a separate bootstrap: when it reaches zero the test and the interval disagree, and the
        # sentence must not sound surer than the weaker of the two
        caution = (" The interval reaches zero, so the size, and even the sign, of the difference is uncertain."
                   if not (lo > 0) else "")
        rows.append({"text": f"{a} tends to score higher than {b} on {label(m)}{paired} ({direction}): "
                             f"{estimator} {_num(ea, k, scale=sc)} vs {_num(eb, k, scale=sc)}; difference "
                             f"{_num(d, k, scale=sc)}, {level}% CI {_num(lo, k, scale=sc)} to "
                             f"{_num(hi, k, scale=sc)}; q = {_q(r['q_value'])}.{caution}",
                     "kind": "difference", "metric": m, "group_a": a, "group_b": b, "q_value": r["q_value"],
                     "difference": d})
    tested = pairs[pairs["p_value"].notna()]
    if len(tested):
        for key, sub in tested.groupby("metric", sort=True):
            m = cast(str, key)  # metric names are str
            if not sub["significant"].any() and m in DESCRIBE:
                best = cast(pd.Series, sub.loc[cast(int, sub["q_value"].idxmin())])  # pairs: a RangeIndex too
                rows.append({"text": f"No reliable difference in {label(m)} between any two groups "
                                     f"(smallest q = {_q(best['q_value'])}, {best['group_a']} vs {best['group_b']}).",
                             "kind": "no_difference", "metric": m, "group_a": best["group_a"],
                             "group_b": best["group_b"], "q_value": best["q_value"],
                             "difference": best["difference"]})
    small = [g for g in names if g not in testable]
    if small:
        rows.append({"text": f"Too few articles to test: {', '.join(small)} (fewer than {MIN_ARTICLES} each); "
                             "their numbers are descriptive only.", "kind": "too_few", "metric": "",
                     "group_a": "", "group_b": "", "q_value": np.nan, "difference": np.nan})
    if not len(sig):
        rows.insert(0, {"text": "No difference between groups passed the false-discovery threshold; the "
                                "differences in the tables may be noise.", "kind": "no_difference", "metric": "",
                        "group_a": "", "group_b": "", "q_value": np.nan, "difference": np.nan})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


#: order of metrics in findings with equal q-values
PRIORITY = ("sentiment_narrator_mean", "loaded_language_narrator_mean", "attribution_loaded_share",
            "sentiment_mean", "loaded_language", "share_negative", "unnamed_source_share", "n_named_sources",
            "quote_share", "frame_entropy", "flesch_kincaid_grade")


def _priority(metric: str) -> int:
    if metric in PRIORITY:
        return PRIORITY.index(metric)
    if metric.startswith(("frame_", "gframe_", "term_slant_")):
        return len(PRIORITY)
    return len(PRIORITY) + 1


def _q(q: float) -> str:
    if q is None or (isinstance(q, float) and math.isnan(q)):
        return "n/a"
    return "< 0.001" if q < 0.001 else f"{q:.3f}" if q < 0.01 else f"{q:.2f}"


def registry_direction(metric: str) -> str:
    """What a higher value of ``metric`` means, from the registry.

    Returns:
        The registry's direction text, or "higher value" for an unregistered column.
    """
    try:
        return registry.get(metric, level="article").direction
    except KeyError:
        return "higher value"
