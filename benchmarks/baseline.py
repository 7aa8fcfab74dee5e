"""The notebook baseline of DESIGN.md: per article, 8 textstat formulas + VADER on each regex-split sentence.

This is what a researcher writes by hand; biascmp's speed is reported as a ratio to it. textstat is made
to work offline with biascmp's syllable table (same counts as NLTK's CMU dictionary lookups).
"""

from __future__ import annotations

import re

_SENT = re.compile(r"(?<=[.!?])\s+")
FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
            "automated_readability_index", "dale_chall_readability_score", "text_standard")


def make():
    from biascmp.textstat_offline import install

    install()
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    funcs = [getattr(textstat, f) for f in FORMULAS]

    def baseline(text: str) -> dict[str, float]:
        row = {f.__name__: f(text) for f in funcs}
        comps = [sia.polarity_scores(s)["compound"] for s in _SENT.split(text) if s.strip()]
        row["sentiment_mean"] = sum(comps) / len(comps) if comps else 0.0
        return row

    return baseline
