"""The metric registry: one entry per output column, with formula, range, direction and reference.

Every metric family module defines ``METRICS: list[Metric]``. This module collects them, so the
docs (``docs/metrics.md``), the report's methods appendix and the tests all read one source.
A test checks that every numeric column analyze() produces has an entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

LEVELS = ("sentence", "article", "outlet")

#: modules that hold METRICS lists, in the order they are documented
FAMILY_MODULES = (
    "biascmp.prepare",
    "biascmp.readability",
    "biascmp.sentiment",
    "biascmp.framing",
    "biascmp.loaded",
    "biascmp.attribution",
    "biascmp.terms",
    "biascmp.actors",
)


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


#: the metric families analyze(families=...) can select (text preparation always runs)
FAMILIES = tuple(name.rsplit(".", 1)[1] for name in FAMILY_MODULES[1:])


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
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:  # a family not written yet
            if exc.name != name:
                raise
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
