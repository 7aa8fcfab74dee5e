"""Build the report spec: plain data (dicts, lists, strings, numbers), no HTML.

Every section is keyed off what the Analysis holds: a chart or table whose columns are absent is
left out (its key is missing from ``spec["charts"]`` / the section is ``None``), never printed empty.
Numbers stay numbers here; the templates format them through the filters in ``filters.py``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from .._validation import check_type
from .charts import colors_for

#: key metrics for the outlet table and the article pages, in display order: name -> (label, format)
KEY_METRICS: dict[str, tuple[str, str]] = {
    "sentiment_mean": ("Sentiment, mean of sentences (VADER compound)", "signed"),
    "sentiment_narrator_mean": ("Narrator sentiment (outside quotes)", "signed"),
    "sentiment_quoted_mean": ("Quoted sentiment", "signed"),
    "share_negative": ("Share of negative sentences", "pct"),
    "flesch_kincaid_grade": ("Flesch\u2013Kincaid grade", "num1"),
    "consensus_grade": ("Consensus grade", "num1"),
    "loaded_language": ("Loaded language", "num"),
    "quote_share": ("Share of quoted text", "pct"),
    "attribution_loaded_share": ("Loaded attribution verbs", "pct"),
    "frame_entropy": ("Frame entropy (bits)", "num"),
    "n_words": ("Words", "int"),
}

READABILITY = {
    "flesch_kincaid_grade": "Flesch\u2013Kincaid grade",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG",
    "coleman_liau_index": "Coleman\u2013Liau",
    "automated_readability_index": "ARI",
    "consensus_grade": "Consensus grade",
}
GENERIC_FRAMES = "gframe_"
FRAME_NON_SHARES = {"frame_primary", "frame_entropy"}

#: evidence family -> highlight category shown in the excerpts
HIGHLIGHTS = {
    "loaded": ("Loaded term", "loaded"),
    "fram": ("Frame cue", "frame"),
    "term": ("Term choice", "term"),
    "attribution": ("Attribution verb", "attribution"),
    "quote": ("Quotation", "quote"),
}
#: evidence that is part of a score but not a word choice to highlight (VADER's sentiment words, the
#: reporting markers that lower the loaded-language score)
HIDDEN_CATEGORIES = {"vader_intensity", "reporting_marker"}
#: evidence families that are not word choices (who is mentioned: the actors table covers them)
HIDDEN_FAMILIES = {"actors"}
EXCERPT_CHARS = 1500
TOP_PER_GROUP = 2
#: speakers listed per group in "Who is quoted" (the summary line covers the rest)
SPEAKERS_PER_GROUP = 8
#: groups a report shows at most (the largest by analysed articles)
MAX_GROUPS = 12
_QUOTE_RE = re.compile(r"\u201c[^\u201d]*\u201d?|\"[^\"]*\"?")


# ----------------------------------------------------------------------------- helpers
def _f(x: Any) -> float | None:
    """A float, or None for missing (NaN/None/NaT/non-numeric)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _s(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT:
        return ""
    return str(x)


def _date(x: Any) -> str:
    if x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return ""
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        return str(x)
    return "" if pd.isna(ts) else ts.strftime("%Y-%m-%d")


def _numeric(df: pd.DataFrame, col: str) -> bool | np.bool_:  # callers only test its truth
    return col in df.columns and pd.api.types.is_numeric_dtype(df[col]) and df[col].notna().any()


def _category(family: str) -> str:
    fam = family.lower()
    for key, (_, cat) in HIGHLIGHTS.items():
        if key in fam:
            return cat
    return "other"


# ----------------------------------------------------------------------------- comparison
def as_comparison(obj: Any, *, by: str = "outlet", story: str | None = None) -> Any:
    """A Comparison from an Analysis (via biascmp.compare) or the Comparison itself."""
    if hasattr(obj, "groups") and hasattr(obj, "analysis"):
        return obj
    if not (hasattr(obj, "articles") and hasattr(obj, "sentences")):
        raise TypeError(
            f"report() needs an Analysis (from biascmp.analyze) or a Comparison (from biascmp.compare), "
            f"got analysis_or_comparison of type {type(obj).__name__}")
    from ..comparison import compare_groups, group_columns

    if by not in obj.articles.columns:
        from .._validation import unknown_choice

        raise ValueError(unknown_choice("by", by, list(map(str, obj.articles.columns)),
                                        relevant=group_columns(obj.articles), what="not an article column"))

    # a report is still useful for a single group (or none): described, not compared
    return compare_groups(obj, by=by, story=story, min_groups=0)


# ----------------------------------------------------------------------------- sections
def _generated_at(articles: pd.DataFrame) -> tuple[int, str]:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env), "SOURCE_DATE_EPOCH"
    if "date" in articles.columns:
        d = pd.to_datetime(articles["date"], errors="coerce", utc=True).dropna()
        if len(d):
            return int(d.max().timestamp()), "the latest article date"
    return 315532800, "a fixed placeholder (the input has no dates)"  # 1980-01-01, the zip epoch


def _cover(cmp: Any, title: str | None, groups: list[str]) -> dict[str, Any]:
    arts = cmp.analysis.articles
    epoch, source = _generated_at(arts)
    dates = pd.to_datetime(arts["date"], errors="coerce") if "date" in arts.columns else pd.Series(dtype=float)
    dates = dates.dropna()
    status = arts["status"] if "status" in arts.columns else pd.Series(["ok"] * len(arts))
    sents = cmp.analysis.sentences
    return {
        "title": title or f"How {len(groups)} {cmp.by} groups covered the story",
        "by": cmp.by,
        "groups": groups,
        "n_articles": int(len(arts)),
        "n_ok": int((status == "ok").sum()),
        "n_not_ok": int((status != "ok").sum()),
        "n_sentences": int(len(sents)),
        "date_min": _date(dates.min()) if len(dates) else "",
        "date_max": _date(dates.max()) if len(dates) else "",
        "n_undated": int(len(arts) - len(dates)),
        "generated_at": _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "generated_at_source": source,
        "source_date_epoch": epoch,
        "mode": cmp.mode,
    }


def _summary(cmp: Any, colors: dict[str, str]) -> dict[str, Any]:
    f = cmp.findings if cmp.findings is not None else pd.DataFrame()
    findings = [{"text": _s(r.get("text")), "kind": _s(r.get("kind")) or "descriptive"}
                for r in f.to_dict("records")] if len(f) else []
    pairs = []
    p = cmp.pairs if cmp.pairs is not None else pd.DataFrame()
    if len(p) and "metric" in p.columns:
        p = p[p["metric"].isin(KEY_METRICS)]  # the key metrics; the full table is Comparison.pairs
    if len(p) and "q_value" in p.columns:
        p = p[p["q_value"].notna()]  # tested pairs only: untested differences are for the findings to describe
    if len(p) and {"group_a", "group_b", "metric", "difference"} <= set(p.columns):
        order = p.sort_values(["q_value", "metric", "group_a", "group_b"] if "q_value" in p.columns
                              else ["metric", "group_a", "group_b"], kind="mergesort", na_position="last")
        for r in order.head(24).to_dict("records"):
            pairs.append({
                "metric": _s(r["metric"]), "label": KEY_METRICS.get(r["metric"], (r["metric"],))[0],
                "group_a": _s(r["group_a"]), "group_b": _s(r["group_b"]),
                "color_a": colors.get(_s(r["group_a"]), "#999999"), "color_b": colors.get(_s(r["group_b"]), "#999999"),
                "difference": _f(r.get("difference")), "ci_low": _f(r.get("ci_low")), "ci_high": _f(r.get("ci_high")),
                "hedges_g": _f(r.get("hedges_g")), "cliffs_delta": _f(r.get("cliffs_delta")),
                "q_value": _f(r.get("q_value")), "significant": bool(r.get("significant") is True
                                                                     or r.get("significant") == 1),
            })
    return {"mode": cmp.mode, "findings": findings, "caveats": [str(c) for c in (cmp.caveats or [])],
            "pairs": pairs, "n_pairs": int(len(p))}


def _fmt_kind(metric: str) -> str:
    return KEY_METRICS.get(metric, (metric, "num"))[1]


def _outlet_table(cmp: Any, colors: dict[str, str], groups: list[str]) -> list[dict[str, Any]]:
    g = cmp.groups
    if g is None or not len(g):
        return []
    # the key metrics only: every other metric is in the CSV/Parquet outputs and the charts (frames);
    # five pages of tables would bury the comparison
    metrics = [m for m in KEY_METRICS if m in set(g["metric"])]
    out = []
    for m in metrics:
        sub = g[g["metric"] == m]
        rows = []
        by_group = {str(r["group"]): r for r in sub.to_dict("records")}
        for name in groups:
            r = by_group.get(name)
            if r is None:
                continue
            rows.append({"group": name, "color": colors[name], "n": _f(r.get("n_articles")),
                         "estimate": _f(r.get("estimate")), "median": _f(r.get("median")),
                         "ci_low": _f(r.get("ci_low")), "ci_high": _f(r.get("ci_high"))})
        if rows:
            out.append({"metric": m, "label": KEY_METRICS.get(m, (m,))[0], "fmt": _fmt_kind(m), "rows": rows})
    return out


_FRAME_SHORT = {
    "capacity_and_resources": "capacity", "fairness_and_equality": "fairness",
    "legality_constitutionality": "legality", "policy_prescription": "policy", "crime_and_punishment": "crime",
    "security_and_defense": "security", "health_and_safety": "health", "cultural_identity": "culture",
    "external_regulation": "external", "public_opinion": "public opinion", "quality_of_life": "quality of life",
}


def _frame_label(col: str) -> str:
    """Short axis label for a frame_<dimension> column (the methods appendix has the full names)."""
    d = col[len("frame_"):]
    return _FRAME_SHORT.get(d, d.replace("_", " "))


def _sentences_with_group(a: Any, by: str) -> pd.DataFrame:
    s = a.sentences
    if not len(s):
        return s.assign(**{by: pd.Series(dtype=object)})
    key = a.articles[["article_id", by]].drop_duplicates("article_id")
    s = s.merge(key, on="article_id", how="left", sort=False)
    if "kind" in s.columns:
        s = s[s["kind"] == "prose"]
    return s


def _group_means(df: pd.DataFrame, by: str, cols: list[str], groups: list[str]) -> dict[str, dict[str, float]]:
    """{col: {group: mean}} over the columns present."""
    out: dict[str, dict[str, float]] = {}
    for c in cols:
        if not _numeric(df, c):
            continue
        means = df.groupby(by, sort=True)[c].mean()
        out[c] = {g: float(means[g]) for g in groups if g in means.index and not pd.isna(means[g])}
    return out


def _charts(cmp: Any, groups: list[str]) -> list[dict[str, Any]]:
    a, by = cmp.analysis, cmp.by
    arts = a.articles[a.articles["status"] == "ok"] if "status" in a.articles.columns else a.articles
    sents = _sentences_with_group(a, by)
    charts: list[dict[str, Any]] = []

    if _numeric(sents, "compound"):
        values = {g: [float(x) for x in sents.loc[sents[by] == g, "compound"].dropna()] for g in groups}
        charts.append({"id": "sentiment", "kind": "distribution", "title": "Sentence sentiment per " + by,
                       "caption": "VADER compound score of every prose sentence (dots; for more than 1,500 sentences, "
                                  "1,500 evenly spaced quantiles) and its quartiles (box, all sentences). "
                                  "\u22121 is most negative, +1 most positive; 0 is neutral.",
                       "data": {"values": values, "xlabel": "VADER compound (per sentence)", "xlim": [-1.05, 1.05]}})

    nq = {}
    if _numeric(sents, "compound") and _numeric(sents, "in_quote"):
        narr = sents[sents["in_quote"] < 0.5].groupby(by)["compound"].mean()
        quot = sents[sents["in_quote"] >= 0.5].groupby(by)["compound"].mean()
        nq = {"Narrator (outside quotes)": {g: float(narr[g]) for g in groups if g in narr.index},
              "Quoted speech": {g: float(quot[g]) for g in groups if g in quot.index}}
    elif _numeric(arts, "sentiment_narrator_mean") and _numeric(arts, "sentiment_quoted_mean"):
        m = _group_means(arts, by, ["sentiment_narrator_mean", "sentiment_quoted_mean"], groups)
        nq = {"Narrator (outside quotes)": m["sentiment_narrator_mean"], "Quoted speech": m["sentiment_quoted_mean"]}
    if nq and any(nq.values()):
        charts.append({"id": "narrator_quoted", "kind": "grouped_bars", "title": "Narrator versus quoted sentiment",
                       "caption": "Mean VADER compound of sentences mostly outside quotation marks (the outlet's own "
                                  "voice) and mostly inside them (the people it quotes). An outlet quoting an angry "
                                  "official is not itself angry.",
                       "data": {"table": nq, "ylabel": "mean compound", "series": groups}})

    read = _group_means(arts, by, list(READABILITY), groups)
    if read:
        charts.append({"id": "readability", "kind": "dots", "title": "Readability grades",
                       "caption": "Mean US school grade per formula (higher = harder), over prose only.",
                       "data": {"table": {READABILITY[k]: v for k, v in read.items()}, "xlabel": "US grade level",
                                "series": groups}})

    frame_cols = [c for c in arts.columns if c.startswith("frame_") and c not in FRAME_NON_SHARES
                  and _numeric(arts, c)]
    if frame_cols:
        m = _group_means(arts, by, frame_cols, groups)
        matrix = {g: {_frame_label(c): m[c].get(g, float("nan")) for c in m} for g in groups}
        charts.append({"id": "frames", "kind": "heatmap", "title": "Frame profile (Policy Frames Codebook)",
                       "caption": "Mean share of each article's frame cues per dimension (Boydstun et al. 2014). "
                                  "Read across a row: which frames an outlet leans on.",
                       "data": {"matrix": matrix, "rows": groups,
                                "cols": [_frame_label(c) for c in m],
                                "cbar": "mean share", "diverging": False, "fmt": "{:.2f}"}})
    gcols = [c for c in arts.columns if c.startswith(GENERIC_FRAMES) and _numeric(arts, c)]
    if gcols:
        m = _group_means(arts, by, gcols, groups)
        names = [c[len(GENERIC_FRAMES):].replace("_", " ") for c in m]
        matrix = {g: {c[len(GENERIC_FRAMES):].replace("_", " "): m[c].get(g, float("nan")) for c in m}
                  for g in groups}
        charts.append({"id": "generic_frames", "kind": "heatmap", "title": "Generic news frames",
                       "caption": "Mean article score per generic frame (Semetko & Valkenburg 2000).",
                       "data": {"matrix": matrix, "rows": groups, "cols": names, "cbar": "mean score",
                                "diverging": False, "fmt": "{:.2f}"}})

    if _numeric(arts, "loaded_language"):
        values = {g: [float(x) for x in arts.loc[arts[by] == g, "loaded_language"].dropna()] for g in groups}
        charts.append({"id": "loaded", "kind": "distribution", "title": "Loaded language per article",
                       "caption": "Article loaded-language score (dots) and its quartiles (box); higher = more "
                                  "evaluative, partisan or intensified wording.",
                       "data": {"values": values, "xlabel": "loaded language (article)", "xlim": None}})

    att = _group_means(arts, by, ["quote_share", "attribution_loaded_share"], groups)
    if att:
        lab = {"quote_share": "Share of quoted text", "attribution_loaded_share": "Loaded attribution verbs"}
        charts.append({"id": "attribution", "kind": "grouped_bars", "title": "Attribution and quotation",
                       "caption": "Mean share of each article's text inside quotation marks, and of its attribution "
                                  "verbs that are loaded (\u201cclaimed\u201d, \u201cadmitted\u201d) rather than "
                                  "neutral (\u201csaid\u201d).",
                       "data": {"table": {lab[k]: v for k, v in att.items()}, "ylabel": "share", "series": groups}})

    actors = a.tables.get("actors") if isinstance(getattr(a, "tables", None), dict) else None
    if actors is not None and len(actors) and "actor" in actors.columns:
        act = actors
        if by not in act.columns and "article_id" in act.columns:
            act = act.merge(a.articles[["article_id", by]], on="article_id", how="left")
        val = next((c for c in ("sentiment", "compound", "sentiment_mean", "mean_compound") if _numeric(act, c)), None)
        if val and by in act.columns:
            top = act["actor"].value_counts(sort=False).sort_index(kind="mergesort")
            top = top.sort_values(ascending=False, kind="mergesort").head(12).index.tolist()
            means = act[act["actor"].isin(top)].groupby(["actor", by], sort=True)[val].mean()
            matrix = {str(ac): {g: float(means[(ac, g)]) for g in groups if (ac, g) in means.index} for ac in top}
            charts.append({"id": "actors", "kind": "heatmap", "title": "Sentiment toward actors",
                           "caption": "Mean VADER compound of sentences mentioning each actor, per " + by +
                                      " (blank: not mentioned). Most-mentioned actors first.",
                           "data": {"matrix": matrix, "rows": [str(x) for x in top], "cols": groups,
                                    "cbar": "mean compound", "diverging": True, "fmt": "{:+.2f}"}})

    terms = a.tables.get("terms") if isinstance(getattr(a, "tables", None), dict) else None
    if terms is not None and len(terms) and "term" in terms.columns:
        t = terms
        if by not in t.columns and "article_id" in t.columns:
            t = t.merge(a.articles[["article_id", by]], on="article_id", how="left")
        cnt = next((c for c in ("count", "n", "hits") if _numeric(t, c)), None)
        label_col = "variant" if "variant" in t.columns else "term"
        if by in t.columns:
            tt = t.assign(_n=t[cnt] if cnt else 1)
            tot = tt.groupby(label_col, sort=True)["_n"].sum().sort_values(ascending=False, kind="mergesort")
            top = [str(x) for x in tot.head(15).index]
            sums = tt.groupby([label_col, by], sort=True)["_n"].sum()
            matrix = {x: {g: float(sums[(x, g)]) for g in groups if (x, g) in sums.index} for x in top}
            charts.append({"id": "terms", "kind": "heatmap", "title": "Term choice",
                           "caption": "How often each outlet used each contested term (most frequent first). "
                                      "Which of two names for the same thing an outlet uses is itself a signal "
                                      "(after Gentzkow & Shapiro 2010).",
                           "data": {"matrix": matrix, "rows": top, "cols": groups, "cbar": "uses",
                                    "diverging": False, "fmt": "{:.0f}"}})
    return charts


def _speaker_table(cmp: Any) -> pd.DataFrame | None:
    """The analysis' speakers table with the group column, cleaned: None when the analysis has none.

    Rows without a speaker are dropped; missing word and quote counts count as 0; a missing or unknown
    source_type is classed again from the speaker string, so the four types always add up to the total.
    """
    from ..attribution import SOURCE_TYPES, source_type

    a, by = cmp.analysis, cmp.by
    tables = getattr(a, "tables", None)
    t = tables.get("speakers") if isinstance(tables, dict) else None
    if t is None:
        return None
    if not len(t) or "speaker" not in t.columns or "quoted_words" not in t.columns:
        return t.iloc[0:0]
    if by not in t.columns:
        if "article_id" not in t.columns:
            return t.iloc[0:0]
        t = t.merge(a.articles[["article_id", by]].drop_duplicates("article_id"), on="article_id", how="left")
    name = t["speaker"].map(_s).str.strip()
    t = pd.DataFrame({
        "group": t[by].map(_s), "speaker": name,
        "quoted_words": pd.to_numeric(t["quoted_words"], errors="coerce").fillna(0),
        "n_quotes": pd.to_numeric(t["n_quotes"], errors="coerce").fillna(0) if "n_quotes" in t.columns else 0,
        "source_type": t["source_type"].map(_s) if "source_type" in t.columns else "",
    })
    t = t[(t["speaker"] != "") & (t["group"] != "")]
    bad = ~t["source_type"].isin(SOURCE_TYPES)
    t.loc[bad, "source_type"] = t.loc[bad, "speaker"].map(source_type)
    return t


def _speakers(cmp: Any, groups: list[str], colors: dict[str, str]) -> dict[str, Any]:
    """Who is quoted: per group, the speakers with the most quoted words and the share of quoted words by
    source type, from ``tables["speakers"]`` (quoted words, not sentences: one long quote outweighs a
    fragment). Speakers are the strings the attribution family keeps, summed over the group's articles."""
    from ..attribution import SOURCE_TYPES

    t = _speaker_table(cmp)
    if t is None:
        return {"status": "missing", "per_group": SPEAKERS_PER_GROUP, "groups": []}
    if not len(t) or not t["quoted_words"].sum() > 0:
        return {"status": "empty", "per_group": SPEAKERS_PER_GROUP, "groups": []}
    out: list[dict[str, Any]] = []
    for g in groups:
        sub = t[t["group"] == g]
        total = float(sub["quoted_words"].sum())
        # one row per speaker; a speaker string always gets the same source_type, so "first" is that type
        per = (sub.groupby("speaker", sort=True)
               .agg(quoted_words=("quoted_words", "sum"), n_quotes=("n_quotes", "sum"),
                    source_type=("source_type", "first"))
               .reset_index())
        per = per[per["quoted_words"] > 0]
        per = per.assign(_key=per["speaker"].str.casefold()).sort_values(
            ["quoted_words", "_key", "speaker"], ascending=[False, True, True], kind="mergesort")
        top = per.head(SPEAKERS_PER_GROUP)
        by_type = sub.groupby("source_type", sort=False)["quoted_words"].sum()
        out.append({
            "group": g, "color": colors.get(g, "#999999"), "quoted_words": int(total),
            "n_speakers": int(len(per)), "n_more": int(len(per) - len(top)),
            "source_types": [{"type": k, "quoted_words": int(by_type.get(k, 0)),
                              "share": float(by_type.get(k, 0.0)) / total if total else None}
                             for k in SOURCE_TYPES],
            "speakers": [{"name": r["speaker"], "source_type": r["source_type"], "n_quotes": int(r["n_quotes"]),
                          "quoted_words": int(r["quoted_words"]),
                          "share": float(r["quoted_words"]) / total if total else None}
                         for r in top.to_dict("records")],
        })
    return {"status": "ok", "per_group": SPEAKERS_PER_GROUP, "groups": out}


def _select_articles(arts: pd.DataFrame, by: str, articles: Any, primary: str | None) -> pd.DataFrame:
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    if articles == "all":
        return ok
    if primary is None:
        if articles == "top":
            return ok.groupby(by, sort=True, group_keys=False).head(TOP_PER_GROUP)
        return ok.head(int(articles))
    if articles == "top":
        picked = []
        for _, sub in ok.groupby(by, sort=True):
            sub = sub[sub[primary].notna()]
            if not len(sub):
                continue
            lo = sub[primary].idxmin()
            hi = sub[primary].idxmax()
            picked.extend([lo] if lo == hi else [lo, hi])
        return ok.loc[picked]
    dev = (ok[primary] - ok[primary].mean()).abs()
    idx = dev.sort_values(ascending=False, kind="mergesort").head(int(articles)).index
    return ok.loc[idx].sort_values(by, kind="mergesort")


def _segments(text: str, ev: list[dict[str, Any]], in_quote: float | None) -> list[dict[str, str]]:
    """Split a sentence into (text, category) runs; evidence wins over quotation marks."""
    cats: list[str] = ["quote" if (in_quote or 0) >= 0.99 else ""] * len(text)
    notes: list[str] = [""] * len(text)
    for m in _QUOTE_RE.finditer(text):
        for i in range(m.start(), m.end()):
            cats[i] = "quote"
    for e in sorted(ev, key=lambda e: (int(e["start"]), int(e["end"]))):
        lo, hi = max(0, int(e["start"])), min(len(text), int(e["end"]))
        for i in range(lo, hi):
            cats[i] = _category(str(e["family"]))
            notes[i] = f"{e['family']}: {e['category']}"
    segs: list[dict[str, str]] = []
    for i, ch in enumerate(text):
        if segs and segs[-1]["category"] == cats[i] and segs[-1]["note"] == notes[i]:
            segs[-1]["text"] += ch
        else:
            segs.append({"text": ch, "category": cats[i], "note": notes[i]})
    return segs


def _article_pages(cmp: Any, groups: list[str], colors: dict[str, str], articles: Any) -> list[dict[str, Any]]:
    a, by = cmp.analysis, cmp.by
    arts = a.articles
    metrics = [m for m in KEY_METRICS if _numeric(arts, m)]
    primary = next((m for m in ("sentiment_mean", "loaded_language") if m in metrics), None)
    chosen = _select_articles(arts, by, articles, primary)
    chosen = chosen[chosen[by].astype("string").isin(groups)]  # only the groups the report shows
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    group_mean = ok.groupby(by, sort=True)[metrics].mean() if metrics else None
    corpus_mean = ok[metrics].mean() if metrics else None
    sents = a.sentences
    if "kind" in sents.columns:
        sents = sents[sents["kind"] == "prose"]
    ids = set(chosen["article_id"])
    sents = sents[sents["article_id"].isin(ids)]
    by_art = {k: v for k, v in sents.groupby("article_id", sort=False)}
    ev = a.evidence
    ev = (ev[ev["article_id"].isin(ids) & ~ev["category"].isin(HIDDEN_CATEGORIES)
             & ~ev["family"].isin(HIDDEN_FAMILIES)] if len(ev) else ev)
    ev_by = {k: v for k, v in ev.groupby(["article_id", "sentence_index"], sort=False)} if len(ev) else {}
    pages = []
    for r in chosen.to_dict("records"):
        g = _s(r[by])
        rows = []
        for m in metrics:
            rows.append({"metric": m, "label": KEY_METRICS[m][0], "fmt": KEY_METRICS[m][1],
                         "article": _f(r.get(m)),
                         "group": _f(group_mean.loc[r[by], m]) if group_mean is not None and r[by] in group_mean.index
                         else None,
                         "corpus": _f(corpus_mean[m]) if corpus_mean is not None else None})
        s = by_art.get(r["article_id"])
        neg = pos = None
        excerpt: list[dict[str, Any]] = []
        if s is not None and len(s):
            s = s.sort_values("sentence_index", kind="mergesort")
            if _numeric(s, "compound"):
                lo, hi = s["compound"].idxmin(), s["compound"].idxmax()
                if s.loc[lo, "compound"] < 0:
                    neg = {"text": _s(s.loc[lo, "text"]), "compound": _f(s.loc[lo, "compound"])}
                if s.loc[hi, "compound"] > 0:
                    pos = {"text": _s(s.loc[hi, "text"]), "compound": _f(s.loc[hi, "compound"])}
            used = 0
            for sr in s.to_dict("records"):
                text = _s(sr["text"])
                if used and used + len(text) > EXCERPT_CHARS:
                    break
                e = ev_by.get((r["article_id"], sr["sentence_index"]))
                excerpt.append({"index": int(sr["sentence_index"]),
                                "segments": _segments(text, e.to_dict("records") if e is not None else [],
                                                      _f(sr.get("in_quote")))})
                used += len(text)
        pages.append({
            "article_id": _s(r["article_id"]), "title": _s(r.get("title")) or "(untitled)", "group": g,
            "color": colors.get(g, "#999999"), "outlet": _s(r.get("outlet")), "date": _date(r.get("date")),
            "url": _s(r.get("url")), "outlet_type": _s(r.get("outlet_type")),
            "n_sentences": int(len(by_art[r["article_id"]])) if r["article_id"] in by_art else 0,
            "metrics": rows, "most_negative": neg, "most_positive": pos, "excerpt": excerpt,
            "excerpt_truncated": bool(s is not None and len(excerpt) < len(s)),
        })
    return pages


def _methods(cmp: Any) -> dict[str, Any]:
    from .. import registry

    a = cmp.analysis
    present = set(a.articles.columns) | set(a.sentences.columns)
    for t in (getattr(a, "tables", None) or {}).values():
        present |= set(getattr(t, "columns", []))
    ms = []
    seen = set()
    for m in registry.metrics():
        if (m.name, m.level) in seen:
            continue
        hit = m.name in present or (m.name.endswith("_") and any(c.startswith(m.name) for c in present)) \
            or ("<" in m.name and any(c.startswith(m.name.split("<")[0]) for c in present))
        if hit:
            seen.add((m.name, m.level))
            ms.append({"name": m.name, "level": m.level, "family": m.family, "description": m.description,
                       "formula": m.formula, "range": m.range, "direction": m.direction, "reference": m.reference})
    params = getattr(a, "params", {}) or {}
    lex = params.get("lexicons") or (params.get("options") or {}).get("lexicons") or []
    if isinstance(lex, dict):
        lexicons = [{"name": str(k), "version": _plain(v)} for k, v in sorted(lex.items())]
    else:
        lexicons = [{"name": _plain(x), "version": ""} for x in lex]
    stats = [{"key": str(k), "value": _plain(v)} for k, v in sorted((cmp.params or {}).items(), key=lambda kv: str(kv[0]))]
    return {"metrics": ms, "lexicons": lexicons, "statistics": stats, "mode": cmp.mode}


def _plain(v: Any) -> str:
    if isinstance(v, str):
        return v
    try:
        return json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(v)


def _reproducibility(cmp: Any) -> dict[str, Any]:
    params = getattr(cmp.analysis, "params", {}) or {}
    versions = {"biascmp": params.get("biascmp_version", __version__), **(params.get("versions") or {})}
    try:
        import weasyprint

        versions.setdefault("weasyprint", weasyprint.__version__)
    except ImportError:  # pragma: no cover
        pass
    return {
        "versions": [{"name": k, "version": str(v)} for k, v in sorted(versions.items(), key=lambda kv: kv[0].lower())],
        "input_sha256": str(params.get("input_sha256", "")),
        "parameters": [{"key": str(k), "value": _plain(v)} for k, v in sorted(params.items())
                       if k not in ("versions", "input_sha256", "biascmp_version")],
        "comparison": [{"key": str(k), "value": _plain(v)} for k, v in sorted((cmp.params or {}).items(),
                                                                               key=lambda kv: str(kv[0]))],
    }


def _limit_groups(obj: Any, by: str) -> tuple[Any, str]:
    """An Analysis with more than MAX_GROUPS groups is cut to its largest groups before comparing: a
    report with hundreds of outlets is unreadable, and all-pairs tests grow with the square of the groups."""
    if not (hasattr(obj, "articles") and hasattr(obj, "sentences")) or hasattr(obj, "groups"):
        return obj, ""
    arts = obj.articles
    if by not in arts.columns:
        return obj, ""
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    counts = ok[by].astype("string").fillna("(unknown)").value_counts()
    if len(counts) <= MAX_GROUPS:
        return obj, ""
    keep = sorted(counts.index, key=lambda g: (-counts[g], g))[:MAX_GROUPS]
    mask = arts[by].astype("string").fillna("(unknown)").isin(keep)
    ids = set(arts.loc[mask, "article_id"])
    tables = {k: v[v["article_id"].isin(ids)] if "article_id" in v.columns else v
              for k, v in (getattr(obj, "tables", {}) or {}).items()}
    ev = obj.evidence
    cut = SimpleNamespace(articles=arts[mask].reset_index(drop=True),
                          sentences=obj.sentences[obj.sentences["article_id"].isin(ids)],
                          evidence=ev[ev["article_id"].isin(ids)] if len(ev) else ev,
                          tables=tables, params=getattr(obj, "params", {}), outlets=getattr(obj, "outlets", None))
    n_in = int(counts[keep].sum())
    note = (f"This report shows the {MAX_GROUPS} largest of {len(counts)} {by} groups ({n_in:,} of "
            f"{int(counts.sum()):,} analysed articles); the comparison and its q-values cover these groups. "
            "Every group is in the analysis tables (biascmp analyze --level article|outlet).")
    return cut, note


# ----------------------------------------------------------------------------- entry point
def build_spec(analysis_or_comparison: Any, *, title: str | None = None, by: str = "outlet",
               story: str | None = None, articles: Any = "top") -> dict[str, Any]:
    """The whole report as plain data. See docs/report.md for its keys."""
    check_type("by", by, str)
    if title is not None:
        check_type("title", title, str)
    if not (articles in ("top", "all") or (isinstance(articles, int) and not isinstance(articles, bool)
                                           and articles >= 0)):
        raise ValueError(f"Invalid articles={articles!r}: use 'top', 'all' or a number of articles >= 0")
    obj, shown_note = _limit_groups(analysis_or_comparison, by)
    cmp = as_comparison(obj, by=by, story=story)
    if shown_note:
        cmp.caveats = [*list(cmp.caveats or []), shown_note]
    arts = cmp.analysis.articles
    by = cmp.by
    gcol = arts[by].dropna().astype(str)
    groups = sorted(gcol.unique().tolist())
    if len(groups) > MAX_GROUPS:  # a Comparison passed in directly: show its largest groups
        counts = gcol.value_counts()
        groups = sorted(sorted(groups, key=lambda g: (-counts.get(g, 0), g))[:MAX_GROUPS])
    colors = colors_for(groups)
    return {
        "cover": _cover(cmp, title, groups),
        "outlets": [{"name": g, "color": colors[g], "n_articles": int((gcol == g).sum())} for g in groups],
        "summary": _summary(cmp, colors),
        "outlet_table": _outlet_table(cmp, colors, groups),
        "charts": _charts(cmp, groups),
        "speakers": _speakers(cmp, groups, colors),
        "articles": _article_pages(cmp, groups, colors, articles),
        "articles_mode": str(articles),
        "n_ok_articles": int((arts["status"] == "ok").sum()) if "status" in arts.columns else int(len(arts)),
        "legend": [{"category": cat, "label": lab} for lab, cat in HIGHLIGHTS.values()],
        "methods": _methods(cmp),
        "reproducibility": _reproducibility(cmp),
    }
