"""Fitting a lexicon to the user's own labels (opt-in): transparent term weights from logistic regression.

    lex = biascmp.fit_lexicon(texts, labels, family="loaded")     # labels: 1 loaded/biased, 0 not
    lex = biascmp.fit_lexicon(texts, labels, family="frames")     # labels: policy-frame dimension names
    biascmp.write_lexicon(lex, "my_loaded.csv")                   # a lexicon CSV with provenance
    res = biascmp.analyze(arts, lexicons={"loaded": lex})          # or {"policy_frames": lex}; or the path

The model is an L2-regularised logistic regression (``penalty="l1"`` for a sparser lexicon;
scikit-learn: a tested solver and cross-validation are exactly what a library does well) over

- unigrams and bigrams of the lexicon matcher's own words (:func:`biascmp.lexicons.tokens_of`: lower
  case, possessive "'s" dropped) that occur in at least ``min_df`` texts, counted by the lexicon matcher
  itself next to the built-in entries (a phrase takes its words from shorter terms, an exact word is
  matched before a stem), so the saved lexicon hits exactly what the model counted; and
- the built-in cues: ``loaded``: the built-in loaded score of the text before its floor at 0 (one
  feature: its cue lexicon, VADER intensity, evaluative verbs, reporting markers, length); ``frames``:
  per dimension, the summed weight of the built-in policy-frame cue hits.

For "loaded" the n-gram features are in the loaded score's own arithmetic: per text, the mean over its
prose sentences of the n-gram's count divided by the sentence's length factor, so that a lexicon weight
adds exactly its share to loaded_language (before the score's floor at 0); n-grams sharing a word with a
built-in cue are left out, and the built-in score's column is scaled up (almost unpenalised), so strong
regularisation falls back to the built-in score.

The strength ``C`` is chosen from ``C_grid`` by ``cv``-fold stratified cross-validation (ROC AUC for
"loaded": of the score the lexicon will give, floor at 0 included; accuracy for "frames"); the
cross-validated figure of the chosen ``C`` is written in the
lexicon's provenance (chosen on the same folds, so slightly optimistic; benchmarks/validity.py reports
held-out figures of the fitted lexicon applied by the real pipeline).

What the lexicon holds, so that the family's usual arithmetic reproduces the model's linear part:

- ``loaded``: the built-in cue entries unchanged, plus every n-gram that shares no word with a built-in
  cue (so the built-in cues keep all their hits; category ``fitted``) with
  weight = its coefficient / the built-in score's coefficient: the fitted terms add to the built-in score
  in its own units (negative weights mark words of neutral reporting). When the built-in score does not
  help on the user's labels (coefficient <= :data:`BUILTIN_MIN_COEF`), its entries are left out and the
  weights are the raw coefficients. The score's other terms (VADER intensity, evaluative verbs, scare
  quotes, reporting markers, length) stay as they are.
- ``frames``: for each dimension, the n-grams and built-in cues with a positive coefficient for it
  (frame shares need non-negative weights); a term may be listed under several dimensions.

Every hit of a fitted lexicon is an evidence row like a built-in one (per-word contributions). The fitted
weights belong to the user's data: check its licence before sharing the file. biascmp ships no fitted
weights (weights learned from AGPL data such as BABE must not ship inside a permissive package).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from ._validation import InputError
from .lexicons import Entry, Lexicon, load_lexicon, tokens_of, write_lexicon

FAMILIES = ("loaded", "frames")
#: the built-in lexicon whose cues enter the model, per family
BUILTIN = {"loaded": "loaded", "frames": "policy_frames"}
#: the analyze(lexicons=...) key a fitted lexicon plugs into, per family
PLUGS_INTO = {"loaded": "loaded", "frames": "policy_frames"}
DEFAULT_C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: the category of the fitted n-gram entries of a "loaded" lexicon
FITTED = "fitted"

__all__ = ["fit_lexicon", "write_lexicon", "ngrams", "FAMILIES"]


def ngrams(text: str, bigrams: bool = True) -> list[str]:
    """The unigrams (and bigrams) of ``text`` as the lexicon matcher reads words (lower case, no possessive)."""
    words = [t[3] for t in tokens_of(text)]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])] if bigrams else words


def _check_inputs(texts: Sequence[Any], labels: Sequence[Any], family: str) -> tuple[list[str], list[Any]]:
    if family not in FAMILIES:
        raise InputError(f"fit_lexicon: family={family!r} is not one of {list(FAMILIES)} "
                         "('loaded' for binary labels, 'frames' for labels naming policy-frame dimensions)")
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise InputError(f"fit_lexicon: {len(texts)} texts but {len(labels)} labels; give one label per text")
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
    if bad:
        raise InputError(f"fit_lexicon: texts at rows {bad[:10]} are empty or not strings; remove or fill them")
    if family == "loaded":
        out = []
        for i, y in enumerate(labels):
            if isinstance(y, (bool, np.bool_)) or (isinstance(y, (int, float, np.integer, np.floating))
                                                   and not (isinstance(y, float) and math.isnan(y)) and y in (0, 1)):
                out.append(int(y))
            else:
                raise InputError(f"fit_lexicon: label {y!r} at row {i} is not binary; family 'loaded' needs 1 "
                                 "(loaded/biased) or 0 (not), or True/False")
        if len(set(out)) < 2:
            raise InputError("fit_lexicon: family 'loaded' needs both labels 0 and 1 among the texts")
        return texts, out
    from .framing import DIMENSIONS

    unknown = sorted({str(y) for y in labels if y not in DIMENSIONS})
    if unknown:
        raise InputError(f"fit_lexicon: labels {unknown[:10]} are not policy-frame dimensions; family 'frames' "
                         f"needs labels among {list(DIMENSIONS)}")
    if len(set(labels)) < 2:
        raise InputError("fit_lexicon: family 'frames' needs at least two different dimensions among the labels")
    return texts, labels


#: the built-in loaded score enters the fitted lexicon only when its coefficient is above this
BUILTIN_MIN_COEF = 0.05
#: the built-in score's column is multiplied by this in the model (its L2 penalty is BASE_SCALE^2 times
#: smaller): the fitted terms are corrections to the built-in score
BASE_SCALE = 10.0


def _design(texts: list[str], family: str, builtin: Lexicon, cats: tuple[str, ...],
            min_df: int, bigrams: bool = True, max_candidates: int = 20_000) -> tuple[Any, list[str], np.ndarray]:
    """The model's features, computed by the lexicon matcher itself, so the fitted lexicon reproduces them.

    Candidate terms: the n-grams (:func:`ngrams`) found in at least ``min_df`` texts (for "loaded", only
    those that share no word with a built-in cue, so the built-in entries keep all their hits). They are matched together with the
    built-in entries, by the matcher's own rules (leftmost-longest phrase, an exact word before a stem),
    so each candidate's column counts exactly the hits it will have in the fitted lexicon.

    ``loaded``: per text, the mean over its prose sentences of each candidate's hits divided by the
    sentence's length factor (so a weight w adds exactly w x that to loaded_language, before the score's
    floor at 0), and one cue column: the text's built-in loaded score before the floor at 0 (mean over
    sentences of the summed evidence weights / length factor) with every candidate at weight 0 (the
    built-in score as it stands next to the candidates). ``frames``: per text, each candidate's hits in
    its prose sentences, and per dimension the summed weight of the built-in cue hits."""
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    from . import loaded
    from .prepare import prepare_article

    vocab = CountVectorizer(analyzer=partial(ngrams, bigrams=bigrams), binary=True, min_df=min(min_df, len(texts)),
                            max_features=max_candidates).fit(texts)
    # "loaded": a candidate never takes a word from a built-in cue (an exact word is matched before a
    # stem, and a phrase takes its words from shorter terms): n-grams with a word that a built-in entry
    # matches, or that starts a built-in phrase, are left out, so the built-in score stays whole and strong
    # regularisation falls back to it (measured on BABE's tuning part: with shadowing candidates even
    # C=0.001 lost 0.04 AUC). "frames": every candidate stays; a word's dimension may differ from its
    # built-in one, and the built-in cue columns are counted next to the candidates.
    starts = {e.term.split()[0].lower() for e in builtin.entries if " " in e.term}
    covered: dict[str, bool] = {}

    def free(term: str) -> bool:
        for w in term.split():
            if w not in covered:
                covered[w] = w in starts or bool(builtin.find(w))
            if covered[w]:
                return False
        return True

    terms = [str(t) for t in vocab.get_feature_names_out() if family != "loaded" or free(str(t))]
    col = {t: k for k, t in enumerate(terms)}
    lex0 = Lexicon(builtin.name, builtin.version, builtin.provenance, builtin.license, (*builtin.categories, FITTED),
                   tuple(Entry(t, FITTED, 0.0) for t in terms) + builtin.entries, source="<fit candidates>")
    verbs = load_lexicon("attribution_verbs")
    cat_col = {c: k for k, c in enumerate(cats)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    cues = np.zeros((len(texts), 1 if family == "loaded" else len(cats)))
    for i, t in enumerate(texts):
        art = prepare_article(str(i), t)
        prose = [s.text for s in art.sentences if s.is_prose]
        if family == "loaded" and prose:
            # the built-in score before its floor at 0: the sum of its evidence weights / length factor
            raws = [sum(e.weight for e in loaded.score_sentence(s, lex0, verbs)[1])
                    / loaded.length_factor(loaded.count_words(s.text)) for s in art.sentences if s.is_prose]
            cues[i, 0] = sum(raws) / len(raws)
        for text in prose:
            unit = 1.0 / (loaded.length_factor(loaded.count_words(text)) * len(prose)) if family == "loaded" else 1.0
            for m in lex0.find(text):
                if m.category == FITTED:
                    rows.append(i)
                    cols.append(col[m.term])
                    vals.append(unit)
                elif family == "frames" and m.category in cat_col:
                    cues[i, cat_col[m.category]] += m.weight
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(terms)))  # duplicates are summed
    return x, terms, cues


def fit_lexicon(texts: Sequence[str], labels: Sequence[Any], *, family: str,
                C_grid: Sequence[float] = DEFAULT_C_GRID, cv: int = 5, min_df: int = 2, bigrams: bool = True,
                penalty: str = "l2", max_candidates: int = 20_000, max_terms: int | None = None, seed: int = 0,
                name: str | None = None, date: str | None = None) -> Lexicon:
    """A lexicon of term weights learned from labelled texts (see the module docstring).

    Args:
        texts: the labelled texts (sentences, headlines or articles).
        labels: one per text. ``family="loaded"``: 1/True loaded (biased), 0/False not.
            ``family="frames"``: the name of a policy-frame dimension (``biascmp.framing.DIMENSIONS``).
        family: ``"loaded"`` (plugs into ``analyze(lexicons={"loaded": lex})``) or ``"frames"``
            (plugs into ``analyze(lexicons={"policy_frames": lex})``).
        C_grid: inverse regularisation strengths tried by cross-validation.
        cv: folds (stratified, shuffled with ``seed``); at most the size of the smallest class.
        min_df: an n-gram enters the model when it occurs in at least this many texts.
        bigrams: word pairs as well as single words (a matched pair takes its words from single-word
            terms, as the lexicon matcher does).
        max_terms: at most this many n-grams in the lexicon (largest |weight| first); default all. A
            pruned lexicon is smaller to read but no longer matches exactly as the model's features did
            (a dropped phrase no longer takes its words from shorter terms).
        penalty: "l2" (default) or "l1" (sparse: fewer terms with a weight).
        max_candidates: at most this many n-grams enter the model, the most frequent (bounds time and
            memory on large corpora).
        seed: the fold shuffle; same data and settings give the same lexicon.
        name: the lexicon's name (default ``fitted_<family>``).
        date: the date written in the provenance (default today, ISO format).

    Returns:
        A :class:`biascmp.lexicons.Lexicon` whose entries are the fitted term weights and whose provenance
        names the data size, date and settings; save it with :func:`biascmp.write_lexicon`.

    The solver runs with one BLAS thread: on a shared machine a multi-threaded BLAS made each small fit
    about 100x slower (measured: 11.6 s against 0.13 s for one 616 x 2,000 fit).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit(texts, labels, family=family, C_grid=C_grid, cv=cv, min_df=min_df, bigrams=bigrams,
                    penalty=penalty, max_candidates=max_candidates, max_terms=max_terms, seed=seed, name=name,
                    date=date)


def _fit(texts: Sequence[str], labels: Sequence[Any], *, family: str, C_grid: Sequence[float], cv: int,
         min_df: int, bigrams: bool, penalty: str, max_candidates: int, max_terms: int | None, seed: int,
         name: str | None, date: str | None) -> Lexicon:
    from scipy import sparse
    from sklearn import __version__ as skl_version
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, y = _check_inputs(texts, labels, family)
    if penalty not in ("l1", "l2"):
        raise InputError(f"fit_lexicon: penalty={penalty!r} must be 'l1' or 'l2'")
    if not C_grid or any(not (c > 0) for c in C_grid):
        raise InputError(f"fit_lexicon: C_grid={list(C_grid)!r} must hold positive numbers")
    smallest = min(np.unique(np.asarray(y, dtype=object), return_counts=True)[1])
    folds = min(int(cv), int(smallest))
    if folds < 2:
        raise InputError(f"fit_lexicon: every label needs at least 2 texts for cross-validation (cv={cv}); "
                         f"the rarest label has {smallest}")
    builtin = load_lexicon(BUILTIN[family])
    if family == "frames":
        from .framing import DIMENSIONS

        cats: tuple[str, ...] = DIMENSIONS
    else:
        cats = builtin.categories
    if max_candidates < 1:
        raise InputError(f"fit_lexicon: max_candidates={max_candidates!r} must be a positive number of n-grams")
    x_words, terms, x_cues = _design(texts, family, builtin, cats, min_df, bigrams, max_candidates)
    # the built-in loaded score enters scaled up, i.e. almost unpenalised: strong regularisation then
    # shrinks the fitted terms toward 0 and falls back to the built-in score, not toward a blank lexicon
    x_model = x_cues * (BASE_SCALE if family == "loaded" else 1.0)
    x = sparse.hstack([x_words, sparse.csr_matrix(x_model)]).tocsr()
    yy = np.asarray(y)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)

    def model(c: float) -> Any:
        if penalty == "l1":
            return LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", max_iter=5000)
        return LogisticRegression(C=c, max_iter=2000)

    def fit_loaded(c: float, rows: np.ndarray) -> np.ndarray:
        return np.asarray(model(c).fit(x[rows], yy[rows]).coef_[0], dtype=float)

    scores = {}
    for c in C_grid:
        if family == "loaded":
            # the score the lexicon will give (floor at 0 included), on each held-out fold
            p = np.zeros(len(yy))
            for train, test in splitter.split(x, yy):
                w = fit_loaded(c, train)
                p[test] = _loaded_score(x_words[test], x_cues[test, 0], w)
            scores[c] = _auc(p, yy)
        else:
            p = cross_val_predict(model(c), x, yy, cv=splitter)
            scores[c] = float(np.mean(p == yy))
    best_c = max(C_grid, key=lambda c: (scores[c], -c))  # ties: the stronger regularisation
    if family == "loaded":
        coef = fit_loaded(best_c, np.arange(len(yy)))[None, :]
        classes = ["0", "1"]
    else:
        clf = model(best_c).fit(x, yy)
        coef = np.atleast_2d(clf.coef_)
        classes = [str(c) for c in clf.classes_]
    n_words = len(terms)
    entries: list[Entry] = []
    if family == "loaded":
        w = coef[0]
        base = float(w[n_words]) * BASE_SCALE  # the coefficient of the built-in score (unscaled)
        # weights in the built-in score's units, so that built-in cues keep their weights and the fitted
        # terms add to them; a built-in score that does not help on these labels is left out
        scale = base if base > BUILTIN_MIN_COEF else 1.0
        keep = sorted((k for k in range(n_words) if abs(w[k]) > 1e-6), key=lambda k: (-abs(w[k]), terms[k]))
        entries += [Entry(terms[k], FITTED, round(float(w[k]) / scale, 4)) for k in keep[:max_terms]]
        if base > BUILTIN_MIN_COEF:
            entries += list(builtin.entries)
        out_cats = (*cats, FITTED)
        kept = "kept" if base > BUILTIN_MIN_COEF else "left out"
        metric = f"cross-validated ROC AUC {scores[best_c]:.3f}; built-in score {kept} (coefficient {base:.3f})"
    else:
        # binary problems give one row of coefficients, for classes_[1] (classes_[0] is its negative)
        rows = [(classes[1], coef[0]), (classes[0], -coef[0])] if len(classes) == 2 else list(zip(classes, coef))
        word_entries: list[tuple[float, Entry]] = []
        for cls, w in rows:
            for k in range(n_words):
                if w[k] > 1e-6:
                    word_entries.append((float(w[k]), Entry(str(terms[k]), cls, round(float(w[k]), 4))))
            cat_w = dict(zip(cats, w[n_words:]))
            for e in builtin.entries:
                v = cat_w[e.category] * e.weight
                if v > 1e-6:
                    entries.append(Entry(e.term, cls, round(float(v), 4)))
        word_entries.sort(key=lambda t: (-t[0], t[1].term, t[1].category))
        entries = [e for _, e in word_entries[:max_terms]] + entries
        from .framing import DIMENSIONS as out_dims

        out_cats = out_dims
        metric = f"cross-validated accuracy {scores[best_c]:.3f}"
    day = date or _dt.date.today().isoformat()
    counts = ", ".join(f"{k}: {v}" for k, v in zip(*np.unique(np.asarray([str(v) for v in y]), return_counts=True)))
    provenance = (f"fitted by biascmp.fit_lexicon on {len(texts)} labelled texts ({counts}), {day}; settings: "
                  f"family={family}, {penalty.upper()} logistic regression (scikit-learn {skl_version}), C={best_c} chosen from "
                  f"{list(C_grid)} by {folds}-fold stratified CV (seed {seed}), word {'unigrams+bigrams' if bigrams else 'unigrams'} in >= {min_df} texts "
                  f"(at most {max_candidates}, the most frequent; {n_words} features, "
                  f"{'all' if max_terms is None else f'at most {max_terms}'} kept), built-in cues of {builtin.name} "
                  f"{builtin.version} ({'its score' if family == 'loaded' else 'weight per dimension'}); {metric} "
                  f"(same folds that chose C)")
    return Lexicon(name or f"fitted_{family}", "1.0.0", provenance,
                   "the user's: weights learned from the user's labelled texts; check their licence before sharing",
                   tuple(out_cats), tuple(entries), source="<fit_lexicon>")


def _loaded_score(x_words: Any, base_raw: np.ndarray, w: np.ndarray) -> np.ndarray:
    """loaded_language of texts under the lexicon fitted with coefficients ``w`` (n-grams, then the built-in
    score): the built-in raw score plus the fitted terms in its units, floored at 0 (exact for one-sentence
    texts; for longer texts the floor applies per sentence in the real score)."""
    base = float(w[-1]) * BASE_SCALE
    scale = base if base > BUILTIN_MIN_COEF else 1.0
    raw = (base_raw if base > BUILTIN_MIN_COEF else 0.0) + x_words @ (w[:-1] / scale)
    return np.maximum(0.0, raw)


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Rank-based ROC AUC (Mann-Whitney U / n_pos n_neg, ties half)."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def read_labelled(path: str, *, family: str, text_column: str = "text", label_column: str = "label",
                  positive: str | None = None, negative: str | None = None) -> tuple[list[str], list[Any], str]:
    """Texts and labels from a labelled CSV file for :func:`fit_lexicon`, and a note on what was read.

    ``family="loaded"``: labels 1/0 or true/false; or give ``positive`` (the label of loaded texts) and
    optionally ``negative``: rows with any other label are left out, and the note says how many.
    ``family="frames"``: labels naming policy-frame dimensions. Errors name the file, column and row."""
    import pandas as pd

    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read labelled CSV {path!r}: {exc}") from None
    for col, opt in ((text_column, "--text-column"), (label_column, "--label-column")):
        if col not in df.columns:
            raise InputError(f"labelled CSV {path!r} has no column {col!r} (columns: {list(df.columns)}); "
                             f"name it with {opt}")
    texts = df[text_column].tolist()
    raw = [v.strip() for v in df[label_column].tolist()]
    note = f"read {len(df)} rows from {path}"
    if family != "loaded":
        return texts, raw, note
    if positive is None:
        table = {"1": 1, "0": 0, "true": 1, "false": 0}
        bad = [i for i, v in enumerate(raw) if v.lower() not in table]
        if bad:
            raise InputError(f"labelled CSV {path!r}, column {label_column!r}: row {bad[0] + 2} has label "
                             f"{raw[bad[0]]!r}; use 1/0 or true/false, or name the loaded label with --positive")
        return texts, [table[v.lower()] for v in raw], note
    keep = [i for i, v in enumerate(raw) if v == positive or (negative is None or v == negative)]
    left = len(raw) - len(keep)
    if left:
        others = sorted({raw[i] for i in range(len(raw)) if raw[i] != positive and raw[i] != negative})
        note += f"; left out {left} rows whose label is neither {positive!r} nor {negative!r}: {others[:5]}"
    return [texts[i] for i in keep], [int(raw[i] == positive) for i in keep], note
