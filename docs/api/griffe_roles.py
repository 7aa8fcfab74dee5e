"""A Griffe extension for the API reference: biascmp's docstrings use Sphinx roles (:class:`X`,
:func:`x`, :data:`X`, :mod:`x`, :meth:`x`), which Markdown would show raw; they become code spans.
Double backticks (reStructuredText literals) become single ones."""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|data|mod|attr|exc|obj):`~?([^`]+)`")


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        doc = obj.docstring
        if doc is not None:
            doc.value = _ROLE.sub(r"`\1`", doc.value).replace("``", "`")
