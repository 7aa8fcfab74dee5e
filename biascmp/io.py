"""PLACEHOLDER loader (to be replaced by the loading work): DataFrame or folder of .txt with front matter."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import yaml


def _front_matter(raw: str) -> tuple[dict[str, Any], str]:
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end != -1:
            return yaml.safe_load(raw[4:end]) or {}, raw[end + 5:]
    return {}, raw


def read_articles(source: Any, *, columns: dict[str, str] | None = None, **_: Any) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    else:
        rows = []
        for p in sorted(Path(source).glob("*.txt")):
            meta, text = _front_matter(p.read_text(encoding="utf-8-sig"))
            rows.append({**meta, "text": text, "source_file": p.name})
        df = pd.DataFrame(rows)
    if columns:
        df = df.rename(columns=columns)
    if "article_id" not in df:
        df.insert(0, "article_id", [hashlib.sha256(f"{o}\x00{t}".encode()).hexdigest()[:16]
                                    for o, t in zip(df["outlet"], df["text"])])
    for c in ("title", "url", "outlet_type"):
        if c not in df:
            df[c] = pd.NA
    df["date"] = pd.to_datetime(df.get("date"), errors="coerce")
    df["status"] = "ok"
    df["status_detail"] = ""
    return df.reset_index(drop=True)
