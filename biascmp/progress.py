"""Progress bar with ETA for long runs (``tqdm.auto``: a widget in Jupyter, text on a terminal).

The bar shows only where someone watches: an interactive terminal or a Jupyter kernel. In a pipe, a
log file or CI it stays silent unless asked for (:func:`forced`, the CLI's ``--progress``). It is drawn
at the first update, after the input has been read and validated, so an error never follows a bar.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
from collections.abc import Iterator
from typing import Any

_FORCE: contextvars.ContextVar[bool | None] = contextvars.ContextVar("biascmp_progress", default=None)


@contextlib.contextmanager
def forced(on: bool | None = True) -> Iterator[None]:
    """Within the block, progress bars show (``True``) or stay hidden (``False``) wherever stderr goes;
    ``None`` restores the automatic choice."""
    token = _FORCE.set(on)
    try:
        yield
    finally:
        _FORCE.reset(token)


def in_notebook() -> bool:
    """Whether this runs in a Jupyter (IPython kernel) session.

    Returns:
        True inside a kernel, False in a terminal IPython or plain Python.
    """
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except AttributeError:
        return False
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def interactive() -> bool:
    """Whether a person is likely watching: stderr is a terminal (and not CI), or a Jupyter kernel.

    Returns:
        True or False.
    """
    if in_notebook():
        return True
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not os.environ.get("CI")


class ProgressBar:
    """A progress bar over ``total`` articles, drawn lazily at the first :meth:`update`.

    Shown when :func:`forced` says so, else when :func:`interactive` and ``total >= min_total``.
    """

    def __init__(self, total: int | None, *, desc: str = "articles", min_total: int = 200) -> None:
        force = _FORCE.get()
        self.enabled = force if force is not None else (interactive() and (total or 0) >= min_total)
        self._total = total or None
        self._desc = desc
        self._bar: Any = None

    def update(self, n: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=self._total, unit="art", desc=self._desc, file=sys.stderr, smoothing=0.1)
        self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
