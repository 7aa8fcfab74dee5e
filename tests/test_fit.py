"""fit_lexicon: API and errors, a known separable toy set, save/load round trip, evidence rows, the CLI, and
the development-set figures (skip without ../shared/data)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import data_file

import biascmp
from biascmp import cli
from biascmp._validation import InputError
from biascmp.fit import FITTED, fit_lexicon, ngrams, read_labelled
from biascmp.framing import DIMENSIONS
from biascmp.lexicons import load_lexicon, parse_lexicon, write_lexicon

FILLER = ["the council met on a weekday", "a report came out this week", "the new plan was shown to people",
          "members of the board spoke about it", "the city posted the notice online", "residents read the note"]
# "zorblax" marks the positive class and "quibbit" the negative one; neither word is a built-in cue
TOY_TEXTS = [f"{f} and zorblax followed." for f in FILLER] * 3 + [f"{f} and quibbit followed." for f in FILLER] * 3
TOY_LABELS = [1] * 18 + [0] * 18


@pytest.fixture(scope="module")
def toy():
    return fit_lexicon(TOY_TEXTS, TOY_LABELS, family="loaded", date="2024-01-01")


def test_separable_toy_set(toy):
    w = {e.term: e.weight for e in toy.entries if e.category == FITTED}
    # the marker is matched as "and zorblax" (a phrase takes its words from shorter terms, so the model's
    # features count it there): every term holding a marker carries its class's sign ...
    pos = {t: v for t, v in w.items() if "zorblax" in t}
    neg = {t: v for t, v in w.items() if "quibbit" in t}
    assert pos and neg and all(v > 0 for v in pos.values()) and all(v < 0 for v in neg.values())
    # ... and the largest weights, equal and opposite by symmetry; the shared filler words weigh less
    top = max(abs(v) for v in w.values())
    assert max(pos.values()) == pytest.approx(top) and min(neg.values()) == pytest.approx(-top)
    assert all(abs(v) < top for t, v in w.items() if t not in pos and t not in neg)
    assert "cross-validated ROC AUC 1.000" in toy.provenance
    # no built-in cue separates these texts: the built-in score is left out, the weights are the raw ones
    assert "built-in score left out" in toy.provenance
    assert {e.category for e in toy.entries} == {FITTED}


def test_builtin_cues_kept_when_they_help():
    texts = [f"{f}, a shocking and outrageous disaster." for f in FILLER] * 3 + [f"{f} on Monday." for f in FILLER] * 3
    lex = fit_lexicon(texts, [1] * 18 + [0] * 18, family="loaded", date="2024-01-01")
    assert "built-in score kept" in lex.provenance
    assert set(load_lexicon("loaded").entries) <= set(lex.entries)  # unchanged, with their own weights
    # no fitted term shares a word with a built-in cue (so the built-in cues keep all their hits)
    assert not any(w in {"shocking", "outrageous", "disaster"} for e in lex.entries if e.category == FITTED
                   for w in e.term.split())


def test_provenance_names_data_date_and_settings(toy):
    p = toy.provenance
    assert "36 labelled texts (0: 18, 1: 18)" in p and "2024-01-01" in p
    assert "L2 logistic regression" in p and "C=" in p and "5-fold" in p
    assert toy.name == "fitted_loaded" and FITTED in toy.categories


def test_fitted_lexicon_plugs_into_analyze_with_evidence(toy, tmp_path):
    arts = pd.DataFrame({"outlet": ["a", "b"], "text": ["The council met and zorblax followed.",
                                                        "The council met and quibbit followed."]})
    res = biascmp.analyze(arts, lexicons={"loaded": toy}, families="loaded")
    ev = res.evidence[res.evidence["category"] == FITTED]
    w = {e.term: e.weight for e in toy.entries if e.category == FITTED}
    # every fitted hit is an evidence row with the lexicon's weight, offsets into the sentence text
    assert set(ev["term"]) <= set(w)
    for _, row in ev.iterrows():
        assert row["weight"] == pytest.approx(w[row["term"].lower()])
    sents = res.sentences.set_index(["article_id", "sentence_index"])
    for _, row in ev.iterrows():
        text = sents.loc[(row["article_id"], row["sentence_index"]), "text"]
        assert text[row["start"]:row["end"]].lower() == row["term"]
    a = res.articles.set_index("outlet")
    assert a.loc["a", "loaded_language"] > a.loc["b", "loaded_language"]
    # saved and loaded back, the file gives the same numbers
    path = write_lexicon(toy, tmp_path / "my_loaded.csv")
    res2 = biascmp.analyze(arts, lexicons={"loaded": str(path)}, families="loaded")
    pd.testing.assert_frame_equal(res.articles, res2.articles)


def test_save_load_round_trip(toy, tmp_path):
    path = write_lexicon(toy, tmp_path / "lex.csv")
    back = load_lexicon(str(path))
    assert (back.name, back.version, back.provenance, back.license, back.categories) == \
        (toy.name, toy.version, toy.provenance, toy.license, toy.categories)
    assert back.entries == toy.entries
    # a term with a comma or quote survives the CSV
    odd = parse_lexicon('# name: x\n# version: 1\n# provenance: p\n# license: MIT\nterm,category,weight\n'
                        '"a, b",c,0.25\n')
    assert load_lexicon(str(write_lexicon(odd, tmp_path / "odd.csv"))).entries == odd.entries


def test_frames_family_learns_dimensions():
    texts = ([f"{f}; the zorblax levy rose." for f in FILLER] * 3 + [f"{f}; the quibbit ballot won." for f in FILLER] * 3)
    labels = ["economic"] * 18 + ["political"] * 18
    uni = fit_lexicon(texts, labels, family="frames", date="2024-01-01", bigrams=False)
    assert set(uni.categories) == set(DIMENSIONS)
    assert {e.category for e in uni.entries if e.term == "zorblax"} == {"economic"}
    assert {e.category for e in uni.entries if e.term == "quibbit"} == {"political"}
    assert all(e.weight > 0 for e in uni.entries)  # frame shares need non-negative weights
    res = biascmp.analyze(pd.DataFrame({"outlet": ["x", "y"], "text": ["Then zorblax came.", "Then quibbit came."]}),
                          lexicons={"policy_frames": uni}, families="framing")
    assert list(res.articles["frame_primary"]) == ["economic", "political"]
    # with bigrams (the default) the lexicon gives every training text its label back
    lex = fit_lexicon(texts, labels, family="frames", date="2024-01-01")
    unique = texts[:6] + texts[18:24]  # (analyze marks repeated texts as duplicates)
    res = biascmp.analyze(pd.DataFrame({"outlet": "x", "text": unique}), lexicons={"policy_frames": lex},
                          families="framing")
    assert list(res.articles["frame_primary"]) == labels[:6] + labels[18:24]
    assert "cross-validated accuracy 1.000" in lex.provenance


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"texts": ["a b", "c d"], "labels": [1], "family": "loaded"}, "2 texts but 1 labels"),
    ({"texts": ["a b", "c d"], "labels": [1, 0], "family": "sentiment"}, "family='sentiment'"),
    ({"texts": ["a b", "c d"], "labels": [1, 2], "family": "loaded"}, "label 2 at row 1 is not binary"),
    ({"texts": ["a b", "c d"], "labels": [1, 1], "family": "loaded"}, "both labels 0 and 1"),
    ({"texts": ["a b", ""], "labels": [1, 0], "family": "loaded"}, "texts at rows [1]"),
    ({"texts": ["a b", "c d"], "labels": ["economic", "weather"], "family": "frames"}, "['weather']"),
    ({"texts": ["a b", "c d", "e f"], "labels": [1, 0, 0], "family": "loaded"}, "at least 2 texts"),
    ({"texts": ["a b", "c d"], "labels": [1, float("nan")], "family": "loaded"}, "not binary"),
])
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        fit_lexicon(kwargs.pop("texts"), kwargs.pop("labels"), **kwargs)


def test_ngrams_read_words_like_the_matcher():
    assert ngrams("Trump's far-left plan") == ["trump", "far-left", "plan", "trump far-left", "far-left plan"]
    assert ngrams("A b", bigrams=False) == ["a", "b"]


def test_cli_fit(tmp_path, capsys):
    src = tmp_path / "labelled.csv"
    pd.DataFrame({"sentence": TOY_TEXTS + ["unclear case"], "y": ["yes"] * 18 + ["no"] * 18 + ["maybe"]}).to_csv(
        src, index=False)
    out = tmp_path / "fitted.csv"
    rc = cli.main(["fit", str(src), "--family", "loaded", "--text-column", "sentence", "--label-column", "y",
                   "--positive", "yes", "--negative", "no", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "left out 1 rows" in err and "'maybe'" in err and "--lexicon loaded=" in err
    lex = load_lexicon(str(out))
    assert "36 labelled texts" in lex.provenance
    rc = cli.main(["fit", str(src), "--family", "loaded", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1 and "no column 'text'" in err and "Traceback" not in err
    texts, labels, note = read_labelled(str(src), family="loaded", text_column="sentence", label_column="y",
                                        positive="yes")
    assert len(texts) == 37 and sum(labels) == 18  # without --negative every other label is 0


@pytest.mark.slow
def test_babe_fitted_beats_builtin_on_heldout():
    """BABE SG1 dev (AGPL: fitted at test time, never shipped): fitted on benchmarks/babe_auc.py's tuning
    part, the fitted lexicon's held-out AUC is above the built-in score's (docs/validity.md)."""
    import hashlib

    df = pd.read_csv(data_file("babe_sg1_dev.csv"))
    df = df[df["label_bias"].isin(["Biased", "Non-biased"])]
    held = df["text"].map(lambda t: int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) % 10 >= 7)
    t, h = df[~held], df[held]
    lex = fit_lexicon(t["text"].tolist(), (t["label_bias"] == "Biased").astype(int).tolist(), family="loaded")
    y = (h["label_bias"] == "Biased").to_numpy()

    def scores(lexicons):
        res = biascmp.analyze(pd.DataFrame({"outlet": "x", "text": h["text"].tolist()}), lexicons=lexicons,
                              families="loaded")
        return res.articles["loaded_language"].fillna(0.0).to_numpy()

    def auc(s):
        r = pd.Series(s).rank().to_numpy()
        return (r[y].sum() - y.sum() * (y.sum() + 1) / 2) / (y.sum() * (~y).sum())

    builtin, fitted = auc(scores(None)), auc(scores({"loaded": lex}))
    assert builtin >= 0.74
    assert fitted > builtin


@pytest.mark.slow
def test_gvfc_fitted_cross_validated():
    from sklearn.model_selection import StratifiedKFold

    g = pd.read_csv(data_file("gvfc_dev.csv"))
    label = {1: "legality_constitutionality", 2: "policy_prescription", 3: "political", 4: "health_and_safety",
             5: "security_and_defense", 6: "fairness_and_equality", 7: "public_opinion", 8: "cultural_identity",
             9: "economic"}
    texts = g["headline"].tolist()
    y1, y2 = g["theme1"].map(label).to_numpy(), g["theme2"].map(label).to_numpy()
    hits = np.zeros(len(texts), bool)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y1):
        lex = fit_lexicon([texts[i] for i in train], y1[train].tolist(), family="frames")
        for i in test:
            w: dict[str, float] = {}
            for m in lex.find(texts[i]):
                w[m.category] = w.get(m.category, 0.0) + m.weight
            if w:
                top = min((c for c, v in w.items() if v == max(w.values())), key=DIMENSIONS.index)
                hits[i] = top == y1[i] or (isinstance(y2[i], str) and top == y2[i])
    assert hits.mean() >= 0.65
    assert not math.isnan(hits.mean())
