"""Shared fixtures. Real datasets live outside the repo (../shared/data); tests that need them skip
with a clear reason when they are absent. Set BIASCMP_DATA to point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("BIASCMP_DATA", REPO.parent / "shared" / "data"))


def data_file(name: str) -> Path:
    """Path to a development dataset, or skip the test saying where it was looked for."""
    path = DATA_DIR / name
    if not path.is_file():
        pytest.skip(f"development dataset {name} not found at {path} (set BIASCMP_DATA to its folder)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture(scope="session")
def seed_analysis():
    import biascmp

    return biascmp.analyze(REPO / "seeds")
