"""Small argument checks called first in every public function.

Messages name the argument and show its value, so a user knows what to change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


class BiascmpError(Exception):
    """Base class for errors biascmp raises about user input (the CLI prints these, exit code 1)."""


class InputError(BiascmpError, ValueError):
    """Bad input data: a missing column, an unreadable file, duplicate ids, ..."""


def check_type(name: str, value: Any, types: type | tuple[type, ...]) -> None:
    if not isinstance(value, types):
        want = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        raise TypeError(f"Invalid {name}={value!r}: expected {want}, got {type(value).__name__}")


def check_choice(name: str, value: Any, choices: Collection[Any]) -> None:
    if value not in choices:
        raise ValueError(f"Invalid {name}={value!r}: expected one of {sorted(map(str, choices))}")


def check_open_interval(name: str, value: float, low: float, high: float) -> None:
    try:
        ok = low < float(value) < high
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"Invalid {name}={value!r}: must lie strictly between {low} and {high}")


def check_positive_int(name: str, value: Any, *, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"Invalid {name}={value!r}: must be an integer >= {minimum}")
