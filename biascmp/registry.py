"""The registry: the single source of the metric families, their metrics (formula, range, direction,
reference, display label and format), the quoted-speech threshold and the extra tables' columns.

Every metric family module defines ``METRICS: list[Metric]``. This module collects them, so the
docs (``docs/metrics.md``), the report's methods appendix, comparison labels and the tests all read one
source. A test checks that every numeric column analyze() produces has an entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

LEVELS = ("sentence", "article", "outlet")

#: the metric families, in pipeline order: ``biascmp.<name>`` holds ``measure(article, *, options)``,
#: ``biascmp.columnar.<name>`` (when present) its chunk kernel; analyze(families=...) selects among them
FAMILIES = ("readability", "sentiment", "framing", "loaded", "attribution", "terms", "actors")

#: modules that hold METRICS lists, in the order they are documented (text preparation first)
FAMILY_MODULES = ("biascmp.prepare", *(f"biascmp.{f}" for f in FAMILIES))

#: a sentence is quoted speech when its in-quote share (``in_quote``, the share of its characters inside
#: quotation marks) is at least this; below it, narration. Every family that splits narrator from quoted
#: speech (sentiment, loaded, terms, actors) and the comparison use it.
QUOTED_THRESHOLD = 0.5

#: the extra long-format tables the families return, with their columns and dtypes (Dask partitions
#: are conformed to these; a test checks the local engine's tables have exactly these)
TABLES: dict[str, dict[str, str]] = {
    "speakers": {"article_id": "str", "speaker": "str", "quoted_words": "int64", "share_quoted_words": "float64",
                 "n_quotes": "int64", "named": "bool", "source_type": "str", "variants": "str"},
    "actors": {"article_id": "str", "actor": "str", "mentions": "int64", "mentions_narrator": "int64",
               "mentions_quoted": "int64", "sentences": "int64", "sentiment": "float64",
               "sentiment_narrator": "float64", "speaker_share": "float64", "subject_share": "float64",
               "source": "str"},
    "terms": {"article_id": "str", "pair": "str", "side": "str", "term": "str", "variant": "str",
              "count": "int64", "count_narrator": "int64", "count_quoted": "int64"},
}


#: the family that returns each extra table (a table is in the result when its family ran, even empty)
TABLE_FAMILY = {"speakers": "attribution", "actors": "actors", "terms": "terms"}


def table_meta(name: str) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of extra table ``name`` (see :data:`TABLES`)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TABLES[name].items()})


@dataclass(frozen=True)
class Metric:
    name: str
    level: str  # "sentence" | "article" | "outlet"
    family: str
    description: str
    formula: str
    range: str
    direction: str  # what a higher value means
    reference: str
    #: how outlet aggregates treat it: "article-weighted" (mean/median of article values) or
    #: "sentence-weighted" (pooled over sentences)
    aggregate: str = "article-weighted"
    #: whether compare() treats it as a default comparison metric
    compare: bool = True
    #: short human label for tables and figures (default: the name with spaces)
    label: str = ""
    #: display format: "num" (plain number), "pct" (a share shown as a percentage), "int" (a count),
    #: "signed" (a signed score) or "text"
    fmt: str = ""

    def __post_init__(self) -> None:
        label, fmt = DISPLAY.get(self.name, ("", ""))
        if not self.label:
            object.__setattr__(self, "label", label or default_label(self.name))
        if not self.fmt:
            object.__setattr__(self, "fmt", fmt or default_fmt(self.name, self.range))
        if self.fmt not in FORMATS:
            raise ValueError(f"Metric {self.name!r}: fmt={self.fmt!r} is not one of {FORMATS}")


#: display formats: "num" (a number), "num1" (one decimal), "signed" (a signed score), "pct" (a share
#: shown as a percentage), "int" (a count), "text"
FORMATS = ("num", "num1", "signed", "pct", "int", "text")

#: display label and format of metrics whose defaults (:func:`default_label`, :func:`default_fmt`) do not
#: fit; the report's tables and compare()'s findings read labels from here, nowhere else
DISPLAY: dict[str, tuple[str, str]] = {
    "in_quote": ("Share of the sentence inside quotes", "pct"),
    "n_words": ("Words", "int"),
    "n_sentences": ("Sentences", "int"),
    "mean_sentence_length": ("Mean sentence length (words)", "num1"),
    "syllables_per_word": ("Syllables per word", "num"),
    "mtld": ("Lexical diversity (MTLD)", "num1"),
    "flesch_reading_ease": ("Flesch reading ease", "num1"),
    "flesch_kincaid_grade": ("Flesch\u2013Kincaid grade", "num1"),
    "gunning_fog": ("Gunning fog", "num1"),
    "smog_index": ("SMOG", "num1"),
    "coleman_liau_index": ("Coleman\u2013Liau", "num1"),
    "automated_readability_index": ("ARI", "num1"),
    "dale_chall_readability_score": ("Dale\u2013Chall score", "num1"),
    "consensus_grade": ("Consensus grade", "num1"),
    "quote_share": ("Share of quoted text", "pct"),
    "compound": ("Sentiment (VADER compound)", "signed"),
    "pos": ("Positive share (VADER)", "pct"),
    "neu": ("Neutral share (VADER)", "pct"),
    "neg": ("Negative share (VADER)", "pct"),
    "sentiment_mean": ("Sentiment, mean of sentences (VADER compound)", "signed"),
    "sentiment_median": ("Sentiment, median of sentences", "signed"),
    "sentiment_narrator_mean": ("Narrator sentiment (outside quotes)", "signed"),
    "sentiment_quoted_mean": ("Quoted sentiment", "signed"),
    "share_negative": ("Share of negative sentences", "pct"),
    "share_neutral": ("Share of neutral sentences", "pct"),
    "share_positive": ("Share of positive sentences", "pct"),
    "frame_cues": ("Frame cue weight", "num"),
    "frame_top": ("Top frame of the sentence", "text"),
    "frame_primary": ("Primary frame", "text"),
    "frame_entropy": ("Frame entropy (bits)", "num"),
    "frame_legality_constitutionality": ("Legality", "pct"),
    "frame_fairness_and_equality": ("Fairness", "pct"),
    "frame_capacity_and_resources": ("Capacity", "pct"),
    "frame_policy_prescription": ("Policy", "pct"),
    "frame_crime_and_punishment": ("Crime", "pct"),
    "frame_security_and_defense": ("Security", "pct"),
    "frame_health_and_safety": ("Health", "pct"),
    "frame_quality_of_life": ("Quality of life", "pct"),
    "frame_cultural_identity": ("Cultural identity", "pct"),
    "frame_public_opinion": ("Public opinion", "pct"),
    "frame_external_regulation": ("External regulation", "pct"),
    "loaded_language": ("Loaded language", "num"),
    "loaded_language_narrator_mean": ("Loaded language in narration", "num"),
    "loaded_language_quoted_mean": ("Loaded language in quotes", "num"),
    "loaded_share_narrator": ("Share of loaded narration sentences", "pct"),
    "loaded_share_quoted": ("Share of loaded quoted sentences", "pct"),
    "attribution_loaded_share": ("Loaded attribution verbs", "pct"),
    "n_attributions": ("Attributions", "int"),
    "n_named_sources": ("Named sources", "int"),
    "unnamed_source_share": ("Share of unnamed sources", "pct"),
    "n_actors": ("Actors", "int"),
}
#: words kept capitalised when a label is used inside a sentence (compare()'s findings)
PROPER_WORDS = ("Flesch", "Gunning", "Coleman", "Dale", "SMOG", "ARI", "MTLD", "VADER")


def default_label(name: str) -> str:
    """A readable label from a column name: ``gframe_human_interest`` -> "Generic frame: human interest",
    ``term_slant_protest`` -> "Term slant: protest", else the name with spaces, capitalised."""
    for prefix, head in (("gframe_", "Generic frame: "), ("term_slant_", "Term slant: "), ("frame_", "")):
        if name.startswith(prefix):
            rest = name[len(prefix):].replace("_", " ")
            return head + rest if head else rest[:1].upper() + rest[1:]
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def default_fmt(name: str, range_: str = "") -> str:
    """The display format of a metric the :data:`DISPLAY` table does not list: from its name and range."""
    if "string" in range_ or range_.startswith(("one of", "'")):
        return "text"
    if name.startswith("n_") or (name.startswith("term_") and not name.startswith("term_slant")):
        return "int"
    if range_.startswith("[-1, 1]"):
        return "signed"
    if "share" in name or range_.startswith("[0, 1]"):
        return "pct"
    return "num"


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: first letter lower-case unless a proper word starts it."""
    if label.startswith(PROPER_WORDS) or label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def labels() -> dict[str, str]:
    """Metric name -> display label, for every registered metric (the single label table)."""
    return {m.name: m.label for m in metrics()}


def formats() -> dict[str, str]:
    """Metric name -> display format (see :data:`FORMATS`)."""
    return {m.name: m.fmt for m in metrics()}


def check_families(families: Any) -> tuple[str, ...]:
    """``analyze(families=...)``: None (all) or names from :data:`FAMILIES`, returned in pipeline order."""
    if families is None:
        return FAMILIES
    if isinstance(families, str):
        families = [f.strip() for f in families.split(",") if f.strip()]
    chosen = [str(f) for f in families]
    unknown = [f for f in chosen if f not in FAMILIES]
    if unknown or not chosen:
        from ._validation import did_you_mean

        hint = did_you_mean(unknown[0], FAMILIES).strip() + " " if unknown else ""
        raise ValueError(f"families={list(chosen)!r}: " + (f"unknown {unknown}; " if unknown else "empty; ")
                         + f"{hint}choose from {list(FAMILIES)}")
    return tuple(f for f in FAMILIES if f in chosen)


def _modules(families: tuple[str, ...] | None = None) -> list[Any]:
    mods = []
    for name in FAMILY_MODULES:
        if families is not None and name != FAMILY_MODULES[0] and name.rsplit(".", 1)[1] not in families:
            continue
        mods.append(importlib.import_module(name))  # errors at import are never swallowed
    return mods


def metrics(families: tuple[str, ...] | None = None) -> list[Metric]:
    """All registered metrics (or those of the chosen families and of text preparation)."""
    out: list[Metric] = []
    for mod in _modules(families):
        out.extend(getattr(mod, "METRICS", []))
    return out


def get(name: str, *, level: str | None = None) -> Metric:
    for m in metrics():
        if m.name == name and (level is None or m.level == level):
            return m
    raise KeyError(f"Unknown metric name={name!r}; see biascmp.registry.table() for the list")


def names(level: str, families: tuple[str, ...] | None = None) -> list[str]:
    return [m.name for m in metrics(families) if m.level == level]


def table() -> pd.DataFrame:
    """The registry as a DataFrame (one row per metric)."""
    return pd.DataFrame([asdict(m) for m in metrics()])


def to_markdown() -> str:
    """Render the registry as the Markdown page docs/metrics.md."""
    lines = [
        "# Metrics",
        "",
        "Generated from `biascmp.registry` (`python -m biascmp.registry > docs/metrics.md`); "
        "a test keeps this file in sync.",
        "",
    ]
    by_family: dict[str, list[Metric]] = {}
    for m in metrics():
        by_family.setdefault(m.family, []).append(m)
    for family, ms in by_family.items():
        lines += [f"## {family}", ""]
        for m in ms:
            lines += [
                f"### `{m.name}` ({m.level})",
                "",
                m.description,
                "",
                f"- Formula: {m.formula}",
                f"- Range: {m.range}",
                f"- Direction: {m.direction}",
                f"- Outlet aggregate: {m.aggregate}",
                f"- Reference: {m.reference}",
                "",
            ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(to_markdown(), end="")
