"""A WeasyPrint URL fetcher that fetches nothing from outside.

Everything the report needs is inline (CSS) or made in memory by the report itself (chart PNGs, served
under ``biascmp-chart:<id>`` from the ``assets`` given). Any other URL WeasyPrint meets came from
untrusted input (an article's text or metadata that slipped through) or from a user's template: refuse
it. WeasyPrint 70 needs a ``URLFetcher`` subclass (a plain function crashes), and treats an ordinary
exception from ``fetch`` as "resource unavailable" and goes on rendering, which is what we want;
``FatalURLFetchingError`` would abort the whole render (it derives from BaseException).
"""

from __future__ import annotations

from typing import Any

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse


class RefusingURLFetcher(URLFetcher):
    """Serve the report's own in-memory assets; refuse every other URL (http, https, file, data, ftp...)
    and remember what was asked for."""

    def __init__(self, *args: Any, assets: dict[str, bytes] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused: list[str] = []
        self.assets = dict(assets or {})

    def fetch(self, url: str, headers: Any = None) -> Any:  # noqa: ARG002 - WeasyPrint's signature
        data = self.assets.get(url)
        if data is not None:
            return URLFetcherResponse(url, body=data, headers={"Content-Type": "image/png"})
        self.refused.append(url)
        raise ValueError(f"biascmp report: refused to fetch {url[:200]!r} (the report is self-contained)")

    # belt and braces: OpenerDirector.open is what the base fetch would call
    def open(self, fullurl: Any, data: Any = None, timeout: Any = None) -> Any:  # noqa: ARG002
        url = getattr(fullurl, "full_url", fullurl)
        self.refused.append(str(url))
        raise ValueError(f"biascmp report: refused to open {str(url)[:200]!r}")
