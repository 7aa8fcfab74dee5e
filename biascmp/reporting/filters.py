"""Jinja filters: every number in the report is formatted here, not in templates or the spec.

None/NaN print as an en dash, so a missing value never shows as "nan".
"""

from __future__ import annotations

import math
from typing import Any

DASH = "\u2013"
MINUS = "\u2212"


def _bad(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _fmt(x: float, digits: int) -> str:
    s = f"{float(x):.{digits}f}"
    if s.startswith("-"):
        # "-0.00" after rounding is zero: print it without a sign
        s = s[1:] if float(s) == 0 else MINUS + s[1:]
    return s


def num(x: Any, digits: int = 2) -> str:
    """1.234 -> "1.23"; negative numbers with a true minus sign; missing -> en dash."""
    if _bad(x):
        return DASH
    return _fmt(float(x), digits)


def signed(x: Any, digits: int = 2) -> str:
    """Always show the sign: +0.12, \u22120.12, 0.00."""
    if _bad(x):
        return DASH
    s = _fmt(float(x), digits)
    return s if s.startswith(MINUS) or float(x) == 0 or set(s) <= {"0", "."} else "+" + s


def pct(x: Any, digits: int = 0) -> str:
    """A share in [0, 1] as a percent: 0.123 -> "12%"."""
    if _bad(x):
        return DASH
    return _fmt(100.0 * float(x), digits) + "%"


def ci(pair: Any, digits: int = 2) -> str:
    """(low, high) -> "[0.10, 0.35]"; missing -> en dash."""
    if pair is None:
        return DASH
    lo, hi = pair
    if _bad(lo) or _bad(hi):
        return DASH
    return f"[{_fmt(float(lo), digits)}, {_fmt(float(hi), digits)}]"


def pvalue(x: Any) -> str:
    """q/p values: 3 decimals, "<0.001" below that."""
    if _bad(x):
        return DASH
    return "<0.001" if float(x) < 0.001 else f"{float(x):.3f}"


def intcomma(x: Any) -> str:
    if _bad(x):
        return DASH
    return f"{int(x):,}"


FILTERS = {"num": num, "signed": signed, "pct": pct, "ci": ci, "pvalue": pvalue, "intcomma": intcomma}
