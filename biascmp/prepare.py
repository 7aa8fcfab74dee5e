"""PLACEHOLDER (to be replaced by the text-preparation work): naive paragraph and sentence split."""

from __future__ import annotations

import re

from .records import PreparedArticle, Sentence

METRICS: list = []


def prepare_article(article_id: str, text: str, *, title: str | None = None,
                    outlet: str | None = None) -> PreparedArticle:
    sents: list[Sentence] = []
    for p_i, m in enumerate(re.finditer(r"[^\n]+", text)):
        para_start = m.start()
        for sm in re.finditer(r"[^.!?]+[.!?]*", m.group()):
            if sm.group().strip():
                a = para_start + sm.start() + (len(sm.group()) - len(sm.group().lstrip()))
                b = para_start + sm.end()
                sents.append(Sentence(index=len(sents), text=text[a:b], start=a, end=b, paragraph=p_i))
    return PreparedArticle(article_id, text, sents, title=title, outlet=outlet)
