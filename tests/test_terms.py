"""Term choice: narrator vs quoted counts, slant, evidence, user tables and the per-outlet profile."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biascmp
from biascmp import registry, terms
from biascmp.lexicons import load_lexicon
from biascmp.prepare import prepare_article
from biascmp.records import Options

LEX = load_lexicon("terms")


def _table(text: str) -> tuple[dict, pd.DataFrame]:
    res = terms.measure(prepare_article("t", text), options=Options())
    return res.article, pd.DataFrame(res.tables["terms"])


def test_quoted_and_narrator_uses_are_split():
    # by construction: one restrictive term inside quotation marks, one inclusive term in narration
    art, t = _table('"Illegal aliens are not welcome here," the senator said. '
                    'Undocumented immigrants gathered downtown on Monday.')
    r = t.set_index("variant")
    assert r.loc["illegal aliens", ["count", "count_narrator", "count_quoted"]].tolist() == [1, 0, 1]
    assert r.loc["undocumented immigrants", ["count", "count_narrator", "count_quoted"]].tolist() == [1, 1, 0]
    assert art["term_immigrants_restrictive_quoted"] == 1 and art["term_immigrants_restrictive_narrator"] == 0
    assert art["term_immigrants_inclusive_narrator"] == 1
    assert art["term_slant_immigrants"] == -1.0  # narrator used only side B
    assert math.isnan(art["term_slant_sanctuary"])  # neither side used


def test_seed_003_illegal_aliens_is_quoted_restrictive_usage(seed_analysis):
    t = seed_analysis.tables["terms"]
    arts = seed_analysis.articles
    aid = arts.loc[arts["title"].str.contains("will not help ICE", na=False), "article_id"].item()
    row = t[(t["article_id"] == aid) & (t["variant"] == "illegal aliens")]
    assert len(row) == 1
    assert row["side"].item() == "immigrants_restrictive" and row["pair"].item() == "immigrants"
    assert row["count_quoted"].item() >= 1 and row["count_narrator"].item() == 0
    art = arts.set_index("article_id").loc[aid]
    assert art["term_immigrants_restrictive_quoted"] >= 1 and art["term_immigrants_restrictive_narrator"] == 0


def test_article_columns_and_table_reproduce_from_evidence(seed_analysis):
    ev = seed_analysis.evidence
    ev = ev[ev["family"] == "terms"]
    sents = seed_analysis.sentences.set_index(["article_id", "sentence_index"])["text"]
    for r in ev.itertuples():
        assert sents[(r.article_id, r.sentence_index)][r.start:r.end] == r.term
    arts = seed_analysis.articles.set_index("article_id")
    table = seed_analysis.tables["terms"]
    for aid, row in arts.iterrows():
        e = ev[ev["article_id"] == aid]
        for side in LEX.categories:
            es = e[e["category"] == side]
            assert row[f"term_{side}_narrator"] == (~es["in_quote"]).sum()
            assert row[f"term_{side}_quoted"] == es["in_quote"].sum()
            tt = table[(table["article_id"] == aid) & (table["side"] == side)]
            assert tt["count"].sum() == len(es)
        n = e[~e["in_quote"]]
        for pair, (a, b) in terms.pairs_of(LEX).items():
            na, nb = (n["category"] == a).sum(), (n["category"] == b).sum()
            exp = (na - nb) / (na + nb) if na + nb else np.nan
            assert row[f"term_slant_{pair}"] == pytest.approx(exp, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["illegal aliens", "Illegal  Aliens", "ILLEGAL ALIENS", "illegal\naliens", "Illegal alien"]))
def test_case_and_whitespace_variants_match(variant):
    hits = LEX.find(f"He spoke about {variant} today.")
    assert [h.category for h in hits] == ["immigrants_restrictive"]
    assert hits[0].text == variant


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["troops", "federal agents", "the park", "a crackdown", "enforcement", "rain"]),
                min_size=1, max_size=6),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_counts_add_up_and_quotes_are_respected(phrases, quote):
    parts = [f'"{p}"' if q else p for p, q in zip(phrases, quote)]
    text = "They mentioned " + ", ".join(parts) + "."
    art, t = _table(text)
    exp_q = sum(1 for p, q in zip(phrases, quote) if q and p != "the park" and p != "rain")
    exp_n = sum(1 for p, q in zip(phrases, quote) if not q and p != "the park" and p != "rain")
    got_q = sum(v for k, v in art.items() if k.endswith("_quoted"))
    got_n = sum(v for k, v in art.items() if k.endswith("_narrator"))
    assert (got_q, got_n) == (exp_q, exp_n)
    if len(t):
        assert (t["count"] == t["count_narrator"] + t["count_quoted"]).all()


def test_user_lexicon_replaces_builtin(tmp_path):
    f = tmp_path / "terms.csv"
    f.write_text("# name: mine\n# version: 1\n# provenance: test\n# license: MIT\n"
                 "# categories: cars_slang, cars_plain, boats\nterm,category,weight\nwheels,cars_slang,1\n"
                 "car*,cars_plain,1\nboat,boats,1\n", encoding="utf-8")
    res = biascmp.analyze(pd.DataFrame({"outlet": ["X"], "text": ["Nice wheels. My car is red. Cars and a boat."]}),
                          lexicons={"terms": str(f)})
    a = res.articles.iloc[0]
    assert a["term_slant_cars"] == pytest.approx((1 - 2) / 3)
    assert a["term_boats_narrator"] == 1 and "term_slant_boats" not in res.articles.columns  # no pair: no slant


def test_term_profile_per_outlet(seed_analysis):
    prof = terms.term_profile(seed_analysis)
    assert {"outlet", "pair", "side", "count_narrator", "count_quoted", "narrator_share_in_pair"} <= set(prof.columns)
    assert (prof["count"] == prof["count_narrator"] + prof["count_quoted"]).all()
    t = seed_analysis.tables["terms"]
    assert prof["count"].sum() == t["count"].sum()
    share = prof.groupby(["outlet", "pair"])["narrator_share_in_pair"].sum(min_count=1).dropna()
    assert np.allclose(share, 1.0)
    with pytest.raises(ValueError, match="by='nope'"):
        terms.term_profile(seed_analysis, by="nope")


def test_every_terms_column_is_registered(seed_analysis):
    names = set(registry.names("article"))
    cols = [c for c in seed_analysis.articles.columns if c.startswith("term_")]
    assert cols and set(cols) <= names
