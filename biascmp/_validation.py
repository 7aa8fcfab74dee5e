"""Small argument checks called first in every public function.

Messages name the argument and show its value, so a user knows what to change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any


class BiascmpError(Exception):
    """Base class for errors biascmp raises about user input (the CLI prints these, exit code 1)."""


class InputError(BiascmpError, ValueError):
    """Bad input data: a missing column, an unreadable file, duplicate ids, ..."""


class InputFileNotFound(InputError, FileNotFoundError):
    """A file or folder biascmp was asked to read (or write into) does not exist.

    Both an :class:`InputError` and a :class:`FileNotFoundError`, so ``except FileNotFoundError`` and
    ``except InputError`` both catch it, from read_articles, analyze, report and the CLI alike.
    """

    def __str__(self) -> str:  # OSError would format (errno, strerror); keep biascmp's one-line message
        return str(self.args[0]) if self.args else ""


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


def did_you_mean(value: Any, choices: Iterable[Any], *, n: int = 3) -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices`` to ``value`` (difflib), or "" when none is close.

    Returns:
        The sentence, with a leading space, or "".
    """
    import difflib

    names = [str(c) for c in choices]
    close = difflib.get_close_matches(str(value), names, n=n, cutoff=0.6)
    if not close:  # a prefix or a different case ("Lean" for "leaning") is close too
        v = str(value).lower()
        close = [c for c in names if v and (c.lower().startswith(v) or v.startswith(c.lower()))][:n]
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


def short_list(choices: Collection[Any], limit: int = 12) -> str:
    """At most ``limit`` choices, then how many more there are.

    Returns:
        e.g. ``['a', 'b', ... (40 in all)]``.
    """
    names = [str(c) for c in choices]
    if len(names) <= limit:
        return repr(names)
    return repr(names[:limit])[:-1] + f", ... ({len(names)} in all)]"


def unknown_choice(name: str, value: Any, choices: Collection[Any], *, relevant: Collection[Any] | None = None,
                   what: str = "", limit: int = 12) -> str:
    """The message for an unknown name: what was given, the closest names (from every choice) and a short
    list of the ``relevant`` ones (default: all choices), never a wall of 100 names.

    Returns:
        The message, e.g. ``Invalid by='leanin': not an article column. Did you mean 'leaning'? ...``.
    """
    shown = list(relevant) if relevant is not None else list(choices)
    return (f"Invalid {name}={value!r}{': ' + what if what else ''}.{did_you_mean(value, choices)} "
            f"Choose from {short_list(shown, limit)}")
