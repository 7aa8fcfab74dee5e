"""Progress bar with ETA for long runs (tqdm on stderr; silent when stderr is not a terminal and CI is set)."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


class ProgressBar:
    def __init__(self, total: int, *, desc: str = "articles", min_total: int = 200) -> None:
        disable = total < min_total or (not sys.stderr.isatty() and bool(os.environ.get("CI")))
        self._bar = tqdm(total=total, unit="art", desc=desc, disable=disable, file=sys.stderr, smoothing=0.1)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()
