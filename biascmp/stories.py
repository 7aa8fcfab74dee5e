"""Same-story matching: group the articles that report one event, across outlets.

    >>> ids = biascmp.match_stories(arts)            # one story id per row, in input order
    >>> res = biascmp.analyze(arts, story="auto")    # the same, plus res.tables["stories"]

How it works (``docs/stories.md`` has the details and the validation):

1. **Features, per article** (:func:`story_features`): term counts of the title, of the lead (the first
   :data:`LEAD_WORDS` words of the text) and of the capitalised names in the lead, each hashed into
   :data:`N_FEATURES` columns (scikit-learn's ``HashingVectorizer``: stateless, so chunks of a streamed
   or Dask run give the same rows as one pass), plus the date and a hash of the text. Nothing here
   depends on the rest of the corpus.
2. **Vectors, on the driver** (:func:`cluster_stories`): TF-IDF over the distinct texts (scikit-learn's
   ``TfidfTransformer``, ``tf = 1 + log(count)``, ``idf(t) = log[(1 + n) / (1 + df(t))] + 1``), each part
   L2-normalised, weighted (:data:`WEIGHTS`) and normalised again, so the dot product of two rows is their
   cosine similarity in [0, 1].
3. **Neighbours within a date window**: days are cut into blocks of ``window_days + 1`` days; each block
   is multiplied (sparse) with itself and the next block only, and pairs more than ``window_days``
   apart are dropped. A pair's cosine is multiplied by the triangular time kernel
   ``1 - days_apart / (window_days + 1)`` (:data:`TIME_DECAY`); pairs below the threshold are not stored.
   Never all pairs. Articles without a date are compared with every article (text alone, through their
   rarest terms first) and flagged ``story_status = "text_only"``.
4. **Average linkage** on that sparse graph: the two groups with the highest mean pairwise similarity
   merge, until no pair reaches ``threshold``. Pairs that are not neighbours count as similarity 0 (so
   articles far apart in time never pull two groups together). Average linkage does not chain
   neighbouring stories together the way connected components do (docs/stories.md).
   Written here because scikit-learn's and scipy's average linkage need either the dense distance
   matrix (all pairs) or, with a connectivity graph, average over linked pairs only (which chains).
5. **Ids from content**: a story's id is ``"st-"`` plus the first 12 hex digits of the SHA-256 of its
   most central member's text (highest mean similarity to the others; ties by text hash). The same
   articles give the same ids whatever their order or the run. Identical texts (whitespace-insensitive)
   are one node before clustering, so duplicates always share a story.

Rows with an empty text get no story (``<NA>``) and ``story_status = "no_text"``.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

#: default similarity threshold (mean pairwise cosine two groups need to merge); chosen on one half of
#: the allsides_stories_dev stories with the other half held out (docs/stories.md, benchmarks/stories.py)
DEFAULT_THRESHOLD = 0.12
#: default date window: articles more than this many days apart are never neighbours
DEFAULT_WINDOW_DAYS = 3
#: hashed feature columns per part (collisions are negligible at 2**20 for news vocabularies)
N_FEATURES = 2 ** 20
#: words of the text used as the lead
LEAD_WORDS = 100
#: weights of the parts (title, lead, names) before the final normalisation
WEIGHTS = (1.0, 1.0, 0.5)
#: time decay (after Yang, Pierce & Carbonell, SIGIR 1998): a pair's cosine is multiplied by
#: ``1 - TIME_DECAY * days_apart / (window_days + 1)``; 1.0 is the triangular kernel that reaches 0 just
#: past the window (no cliff at its edge). 0.5 and 1.0 were measured on half A (docs/stories.md)
TIME_DECAY = 1.0
#: terms in more than MAX_DF of the texts and in more than MAX_DF_MIN texts are dropped: they say little
#: about the event and make the block products dense in large corpora (below 50,000 texts: none dropped)
MAX_DF = 0.02
MAX_DF_MIN = 1000
#: articles without a date find candidates through this many of their highest-weighted rare terms
TOP_TERMS = 10
RARE_DF = 0.002
RARE_DF_MIN = 50
_UNDATED_ROWS = 128
#: neighbour pairs below FLOOR_RATIO * threshold are not stored (they count as 0 in the averages)
FLOOR_RATIO = 1.0
#: cannot-link constraint (as in constrained event clustering): two groups holding articles of the same
#: outlet on the same calendar day never merge ("day"); "any": the same outlet at all; "none": off.
#: Articles without a date or an outlet constrain nothing. Chosen on half A (docs/stories.md)
CANNOT_LINK = "none"
#: rows per sparse product (bounds memory whatever the block size)
_ROWS_PER_PRODUCT = 2000

STATUS_MATCHED = "matched"
STATUS_TEXT_ONLY = "text_only"
STATUS_NO_TEXT = "no_text"
ASSIGNMENT_COLUMNS = ["story", "story_status", "story_detail", "story_centrality"]
TABLE_COLUMNS = ["story", "label", "n_articles", "n_outlets", "outlets", "first_date", "last_date",
                 "mean_similarity"]
SINGLE_OUTLET_NOTE = ("All articles come from one outlet ({outlet}): same-story matching groups coverage "
                      "across outlets, so there are no stories to compare. Add articles from other outlets.")

_NAME_RE = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|de|al|bin|von|van))*")
_WORD_RE = re.compile(r"(?u)\b\w\w+\b")


# ---------------------------------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------------------------------

def check_threshold(threshold: Any) -> float:
    """``threshold``: None (the default) or a number in (0, 1]."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    ok = isinstance(threshold, (int, float, np.floating, np.integer)) and not isinstance(threshold, bool)
    if not ok or not (0.0 < float(threshold) <= 1.0):
        raise ValueError(f"Invalid threshold={threshold!r}: must be a number in (0, 1] (a cosine similarity; "
                         f"default {DEFAULT_THRESHOLD})")
    return float(threshold)


def check_window(window_days: Any) -> float:
    """``window_days``: a number of days >= 0 (0: same calendar day only)."""
    ok = isinstance(window_days, (int, float, np.floating, np.integer)) and not isinstance(window_days, bool)
    if not ok or not math.isfinite(float(window_days)) or float(window_days) < 0:
        raise ValueError(f"Invalid window_days={window_days!r}: must be a number of days >= 0 "
                         f"(default {DEFAULT_WINDOW_DAYS})")
    return float(window_days)


# ---------------------------------------------------------------------------------------------------
# 1. Per-article features (stateless: chunks give the same rows as one pass)
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoryFeatures:
    """Per-article features for story matching, one row per input row, in input order.

    Rows of several chunks concatenate (:meth:`concat`) into the features of the whole corpus.
    """

    key: np.ndarray        #: SHA-256 hex of the whitespace-normalised text ("" when the text is empty)
    day: np.ndarray        #: float days since 1970-01-01 (NaN: no usable date)
    title: np.ndarray      #: object: title or None
    outlet: np.ndarray     #: object: outlet or None
    title_counts: sp.csr_matrix
    lead_counts: sp.csr_matrix
    name_counts: sp.csr_matrix

    def __len__(self) -> int:
        return len(self.key)

    @staticmethod
    def concat(parts: Sequence[StoryFeatures]) -> StoryFeatures:
        if not parts:
            return story_features(pd.DataFrame({"outlet": [], "text": []}))
        return StoryFeatures(
            np.concatenate([p.key for p in parts]), np.concatenate([p.day for p in parts]),
            np.concatenate([p.title for p in parts]), np.concatenate([p.outlet for p in parts]),
            sp.vstack([p.title_counts for p in parts], format="csr"),
            sp.vstack([p.lead_counts for p in parts], format="csr"),
            sp.vstack([p.name_counts for p in parts], format="csr"))


def _names(lead: str) -> list[str]:
    """Capitalised names in the lead: each name's words and the whole name, lower-cased
    (stop words such as a sentence-initial "The" dropped)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    out: list[str] = []
    for m in _NAME_RE.finditer(lead):
        words = [w.strip(".'’-").lower() for w in m.group().split()]
        words = [w for w in words if len(w) > 1 and w not in ENGLISH_STOP_WORDS]
        out.extend(words)
        if len(words) > 1:
            out.append("_".join(words))
    return out


def _vectorizer(**kw: Any) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float64, **kw)


def _as_articles(articles: Any, columns: dict[str, str] | None, read_kwargs: dict[str, Any]) -> pd.DataFrame:
    from .io import read_articles

    if isinstance(articles, pd.DataFrame) and columns is None and not read_kwargs and \
            {"text", "status", "date", "article_id"} <= set(articles.columns):
        return articles.reset_index(drop=True)  # already read_articles' frame
    return read_articles(articles, columns=columns, **read_kwargs)


def story_features(articles: Any, *, columns: dict[str, str] | None = None, **read_kwargs: Any) -> StoryFeatures:
    """Per-article features (see the module docstring); ``articles`` is anything
    :func:`biascmp.read_articles` accepts. Depends on nothing but each row itself."""
    arts = _as_articles(articles, columns, read_kwargs)
    n = len(arts)
    texts = arts["text"].fillna("").astype(str).to_numpy() if n else np.array([], dtype=object)
    norm = [" ".join(t.split()) for t in texts]
    key = np.array([hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() if t else "" for t in norm],
                   dtype=object)
    leads = [" ".join(t.split(" ", LEAD_WORDS)[:LEAD_WORDS]) for t in norm]
    titles = arts["title"].to_numpy(dtype=object) if "title" in arts else np.full(n, None, dtype=object)
    title_text = [t if isinstance(t, str) else "" for t in titles]
    if "date" in arts and n:
        dates = pd.to_datetime(arts["date"], errors="coerce")
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
        day = (dates.astype("datetime64[ns]").to_numpy().astype("int64") / 86_400e9).astype(float)
        day[dates.isna().to_numpy()] = np.nan
    else:
        day = np.full(n, np.nan)
    outlet = arts["outlet"].to_numpy(dtype=object) if "outlet" in arts else np.full(n, None, dtype=object)
    words = _vectorizer(stop_words="english")
    names = _vectorizer(analyzer=_names)

    def counts(vec: Any, docs: list[str]) -> sp.csr_matrix:
        return vec.transform(docs).tocsr() if docs else sp.csr_matrix((0, N_FEATURES))

    return StoryFeatures(key, day, titles, outlet, counts(words, title_text), counts(words, leads),
                         counts(names, leads))


# ---------------------------------------------------------------------------------------------------
# 2. Clustering on the driver
# ---------------------------------------------------------------------------------------------------

def _tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    from sklearn.feature_extraction.text import TfidfTransformer

    if counts.shape[0] == 0:
        return counts
    out = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    common = df > max(MAX_DF * counts.shape[0], MAX_DF_MIN)
    if common.any():  # terms in most articles say little about the event and make the products dense
        out.data[common[out.indices]] = 0.0
        out.eliminate_zeros()
    return out


def node_vectors(feats: StoryFeatures, rows: np.ndarray) -> sp.csr_matrix:
    """Unit-length TF-IDF vectors of the given feature rows (IDF over exactly those rows)."""
    from sklearn.preprocessing import normalize

    parts = [w * _tfidf(m[rows]) for w, m in zip(WEIGHTS, (feats.title_counts, feats.lead_counts,
                                                           feats.name_counts), strict=True)]
    X = normalize(sp.hstack(parts, format="csr"), norm="l2", copy=False).astype(np.float64)
    used = np.unique(X.indices)  # only the columns in use: cheaper transposes in the products
    return X[:, used].tocsr()


def _top_terms(M: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's k largest entries (ties by column), as a 0/1 matrix."""
    M = M.tocsr()
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    order = np.lexsort((M.indices, -M.data, rows))
    rank = np.arange(len(order)) - M.indptr[rows[order]]
    keep = order[rank < k]
    return sp.csr_matrix((np.ones(len(keep)), (rows[keep], M.indices[keep])), shape=M.shape)


def _keep(block: sp.csr_matrix, floor: float) -> sp.coo_matrix:
    block = block.tocoo()
    m = block.data >= floor
    return sp.coo_matrix((block.data[m], (block.row[m], block.col[m])), shape=block.shape)


def neighbour_pairs(X: sp.csr_matrix, day: np.ndarray, *, window_days: float,
                    floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows of X at most window_days apart, with their time-decayed cosine (see
    :data:`TIME_DECAY`) if it is >= floor; rows with a NaN day pair with every row, without decay.
    Sparse products per block of days: never all pairs of a dated corpus."""
    n = X.shape[0]
    pi: list[np.ndarray] = []
    pj: list[np.ndarray] = []
    ps: list[np.ndarray] = []

    def add(rows: np.ndarray, cols: np.ndarray, shared: np.ndarray, *, check_days: bool) -> None:
        # cols sorted; shared[c]: cols[c] is also one of rows (such pairs are kept once, as i < j)
        for s in range(0, len(rows), _ROWS_PER_PRODUCT):
            r = rows[s:s + _ROWS_PER_PRODUCT]
            block = _keep(X[r] @ X[cols].T, floor)
            i, j = r[block.row], cols[block.col]
            m = (i < j) | ~shared[block.col]
            apart = np.abs(day[i] - day[j])
            if check_days:
                m &= apart <= window_days + 1e-9
            sim = block.data * (1.0 - TIME_DECAY * np.nan_to_num(apart, nan=0.0) / (window_days + 1.0))
            m &= sim >= floor
            i, j = i[m], j[m]
            pi.append(np.minimum(i, j))
            pj.append(np.maximum(i, j))
            ps.append(sim[m])

    def add_undated(rows: np.ndarray) -> None:
        # the product with all n rows would cost n x n: candidates first, the rows sharing one of an
        # undated row's TOP_TERMS highest-weighted rare terms (in at most RARE_DF of the texts: names,
        # specifics), then the exact cosine with the candidates
        df = np.bincount(X.indices, minlength=X.shape[1])
        rare = sp.diags((df <= max(RARE_DF * n, RARE_DF_MIN)).astype(float))
        XT = (X @ rare).T.tocsr()
        XT.eliminate_zeros()
        top = _top_terms((X[rows] @ rare).tocsr(), TOP_TERMS)
        is_row = np.zeros(n, bool)
        for s in range(0, len(rows), _UNDATED_ROWS):
            r = rows[s:s + _UNDATED_ROWS]
            mark = np.zeros(n, bool)
            mark[(top[s:s + _UNDATED_ROWS] @ XT).indices] = True
            # not undated rows of earlier chunks (paired already)
            mark &= ~(np.isnan(day) & (np.arange(n) < r.min()))
            mark[r] = True
            cols = np.flatnonzero(mark)
            is_row[r] = True
            add(r, cols, is_row[cols], check_days=False)
            is_row[r] = False

    dated = np.flatnonzero(~np.isnan(day))
    undated = np.flatnonzero(np.isnan(day))
    if len(dated):
        width = window_days + 1.0
        blk = np.floor(day[dated] / width).astype(np.int64)
        order = np.argsort(blk, kind="stable")
        dated_b, blk = dated[order], blk[order]
        starts = np.flatnonzero(np.r_[True, blk[1:] != blk[:-1]])
        ends = np.r_[starts[1:], len(blk)]
        for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
            here = np.sort(dated_b[a:b])
            nxt = np.array([], np.int64)
            if k + 1 < len(starts) and blk[starts[k + 1]] == blk[a] + 1:  # the next block of days
                nxt = dated_b[starts[k + 1]:ends[k + 1]]
            cols = np.concatenate([here, nxt])
            order_c = np.argsort(cols, kind="stable")
            shared = np.r_[np.ones(len(here), bool), np.zeros(len(nxt), bool)][order_c]
            add(here, cols[order_c], shared, check_days=True)
    if len(undated):  # text alone: each undated row against every row, through the rarer terms
        add_undated(undated)
    if not pi:
        return np.array([], np.int64), np.array([], np.int64), np.array([], float)
    i, j, s = np.concatenate(pi), np.concatenate(pj), np.concatenate(ps)
    order = np.lexsort((j, i))  # each pair is found once; sorted for a deterministic order
    return i[order], j[order], s[order]


def average_linkage(n: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, threshold: float,
                    weights: np.ndarray | None = None,
                    cannot: Sequence[frozenset[Any]] | None = None) -> np.ndarray:
    """Average-linkage (UPGMA) clusters of n nodes from sparse similarities, cut at ``threshold``.

    The similarity of two groups A and B is ``sum(w_a * w_b * s(a, b)) / (W_A * W_B)`` over their node
    pairs, where a pair without an entry counts as 0 and ``w`` is a node's weight (its number of
    identical articles). The two groups of highest similarity merge while it is >= threshold (ties go to
    the lowest node numbers). Equals scipy's ``linkage(method="average")`` cut by ``fcluster(...,
    1 - threshold, "distance")`` on the dense matrix with ``1 - s`` and missing pairs at distance 1.

    ``cannot``: per node, a set of keys (e.g. outlet and day); two groups whose key sets meet never merge
    (a cannot-link constraint; groups only grow, so a refused pair stays refused).

    Returns a label per node: the smallest node number of its cluster.
    """
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    keys: list[set[Any]] | None = [set(c) for c in cannot] if cannot is not None else None
    size = w.copy()
    nbr: list[dict[int, float] | None] = [None] * n
    heap: list[tuple[float, int, int, int, int]] = []
    stamp = [0] * n
    for a, b, v in zip(i.tolist(), j.tolist(), s.tolist(), strict=True):
        if a == b:
            continue
        a, b = (a, b) if a < b else (b, a)
        da = nbr[a] if nbr[a] is not None else {}
        db = nbr[b] if nbr[b] is not None else {}
        nbr[a], nbr[b] = da, db
        total = da.get(b, 0.0) + w[a] * w[b] * v
        da[b] = db[a] = total
    for a in range(n):
        d = nbr[a]
        if d:
            for b, total in d.items():
                if a < b:
                    avg = total / (size[a] * size[b])
                    if avg >= threshold:
                        heap.append((-avg, a, b, 0, 0))
    heapq.heapify(heap)
    parent = np.arange(n)
    while heap:
        neg, a, b, sa, sb = heapq.heappop(heap)
        if -neg < threshold:
            break
        if stamp[a] != sa or stamp[b] != sb or parent[a] != a or parent[b] != b:
            continue
        if keys is not None and not keys[a].isdisjoint(keys[b]):
            continue
        keep, gone = (a, b) if a < b else (b, a)  # the merged group keeps its smallest node number
        if keys is not None:
            keys[keep] |= keys[gone]
        dk, dg = nbr[keep], nbr[gone]
        assert dk is not None and dg is not None
        for k, v in dg.items():
            if k == keep:
                continue
            dkk = nbr[k]
            assert dkk is not None
            del dkk[gone]
            total = dk.get(k, 0.0) + v
            dk[k] = dkk[keep] = total
        del dk[gone]
        nbr[gone] = None
        parent[gone] = keep
        size[keep] += size[gone]
        stamp[keep] += 1
        for k, total in dk.items():
            avg = total / (size[keep] * size[k])
            if avg >= threshold:
                x, y = (keep, k) if keep < k else (k, keep)
                heapq.heappush(heap, (-avg, x, y, stamp[x], stamp[y]))
    # resolve to the root
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


@dataclass(frozen=True)
class Stories:
    """Result of :func:`cluster_stories`.

    Attributes:
        assignments: one row per input row, in input order: ``story`` (id or <NA>), ``story_status``
            (``matched``; ``text_only``: no usable date, matched on text alone; ``no_text``: empty text,
            no story), ``story_detail`` and ``story_centrality`` (mean cosine to the story's other
            articles; NaN for single-article stories).
        table: one row per story (see :func:`stories_table`), empty with :attr:`note` for one outlet.
        note: why the table is empty, or "".
        params: threshold, window and the feature settings.
    """

    assignments: pd.DataFrame
    table: pd.DataFrame
    note: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> pd.Series:
        return self.assignments["story"]


def cluster_stories(feats: StoryFeatures, *, window_days: float = DEFAULT_WINDOW_DAYS,
                    threshold: float | None = None) -> Stories:
    """Group articles into stories from their :func:`story_features` (see the module docstring)."""
    threshold = check_threshold(threshold)
    window_days = check_window(window_days)
    n = len(feats)
    has_text = feats.key != ""
    # canonical order (text hash, then date, outlet, title): the result never depends on the row order
    day_key = np.where(np.isnan(feats.day), np.inf, feats.day)
    canon = np.lexsort((feats.title.astype(str), feats.outlet.astype(str), day_key, feats.key.astype(str)))
    canon = canon[has_text[canon]]
    # one node per distinct text: the first row in canonical order, the earliest date of its copies
    keys = feats.key[canon]
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.array([], bool)
    node_of_canon = np.cumsum(first) - 1
    node_rows = canon[first]
    n_nodes = len(node_rows)
    weights = np.bincount(node_of_canon, minlength=n_nodes).astype(float)
    node_day = np.full(n_nodes, np.nan)
    if n_nodes:
        d = pd.Series(feats.day[canon]).groupby(node_of_canon).min()  # NaN only when no copy has a date
        node_day = d.to_numpy()
    node = np.full(n, -1)
    node[canon] = node_of_canon
    X = node_vectors(feats, node_rows) if n_nodes else sp.csr_matrix((0, 1))
    labels = np.arange(n_nodes)
    if n_nodes > 1:
        i, j, s = neighbour_pairs(X, node_day, window_days=window_days, floor=FLOOR_RATIO * threshold)
        labels = average_linkage(n_nodes, i, j, s, threshold, weights,
                                 _cannot_keys(feats, canon, node_of_canon, n_nodes))
    # per-row cluster, centrality and ids
    row_cluster = np.full(n, -1)
    row_cluster[has_text] = labels[node[has_text]]
    assign, table = _describe(feats, X, node, row_cluster, has_text)
    note = ""
    outlets = pd.Series(feats.outlet[has_text]).dropna().astype(str).unique()
    if len(outlets) == 1:
        note = SINGLE_OUTLET_NOTE.format(outlet=outlets[0])
        table = table.iloc[0:0]
    table.attrs["note"] = note
    params = {"threshold": threshold, "window_days": window_days, "lead_words": LEAD_WORDS,
              "weights": dict(zip(("title", "lead", "names"), WEIGHTS, strict=True)),
              "floor_ratio": FLOOR_RATIO, "time_decay": TIME_DECAY, "n_features": N_FEATURES,
              "cannot_link": CANNOT_LINK}
    return Stories(assign, table, note, params)


def _cannot_keys(feats: StoryFeatures, canon: np.ndarray, node_of_canon: np.ndarray,
                 n_nodes: int) -> list[frozenset[Any]] | None:
    """Per node, the (outlet, day) or outlet keys of :data:`CANNOT_LINK` (None when it is off)."""
    if CANNOT_LINK == "none":
        return None
    out: list[set[Any]] = [set() for _ in range(n_nodes)]
    for node_, outlet, day in zip(node_of_canon.tolist(), feats.outlet[canon].tolist(),
                                  feats.day[canon].tolist(), strict=True):
        if not isinstance(outlet, str) or not outlet:
            continue
        if CANNOT_LINK == "any":
            out[node_].add(outlet)
        elif day == day:  # a date: the same outlet on the same calendar day
            out[node_].add((outlet, math.floor(day)))
    return [frozenset(k) for k in out]


def _describe(feats: StoryFeatures, X: sp.csr_matrix, node: np.ndarray, row_cluster: np.ndarray,
              has_text: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(feats)
    rows = np.flatnonzero(has_text)
    story = pd.Series(pd.NA, index=range(n), dtype="string")
    centrality = np.full(n, np.nan)
    status = np.where(has_text, np.where(np.isnan(feats.day), STATUS_TEXT_ONLY, STATUS_MATCHED), STATUS_NO_TEXT)
    detail = np.where(has_text, np.where(np.isnan(feats.day),
                                         "no usable date: matched on text alone, in any time window", ""),
                      "empty text: no story")
    if not len(rows):
        assign = pd.DataFrame({"story": story, "story_status": status, "story_detail": detail,
                               "story_centrality": centrality})
        return assign, pd.DataFrame({c: [] for c in TABLE_COLUMNS})
    codes, uniq = pd.factorize(row_cluster[rows], sort=True)
    k = len(uniq)
    Xr = X[node[rows]]  # every article's vector (copies share their text's)
    M = sp.csr_matrix((np.ones(len(rows)), (codes, np.arange(len(rows)))), shape=(k, len(rows)))
    sums = (M @ Xr).tocsr()  # per story: sum of its unit vectors
    n_c = np.bincount(codes, minlength=k).astype(float)
    own = np.asarray(Xr.multiply(sums[codes]).sum(axis=1)).ravel() - 1.0  # similarity to the others
    with np.errstate(invalid="ignore", divide="ignore"):
        cent = np.where(n_c[codes] > 1, own / (n_c[codes] - 1), np.nan)
        sq = np.asarray(sums.multiply(sums).sum(axis=1)).ravel()
        mean_sim = np.where(n_c > 1, (sq - n_c) / (n_c * (n_c - 1)), np.nan)
    centrality[rows] = np.clip(cent, -1.0, 1.0)
    # most central member per story: highest centrality, ties to the smallest text hash
    keys = feats.key[rows].astype(str)
    order = np.lexsort((keys, -np.nan_to_num(cent, nan=1.0), codes))
    head = order[np.r_[True, codes[order][1:] != codes[order][:-1]]]  # first row of each story
    head_of = np.empty(k, dtype=np.int64)
    head_of[codes[head]] = head
    sid = np.array(["st-" + keys[h][:12] for h in head_of], dtype=object)
    story[rows] = sid[codes]
    assign = pd.DataFrame({"story": story, "story_status": status, "story_detail": detail,
                           "story_centrality": centrality})
    # the table
    day = feats.day[rows]
    dates = pd.to_datetime(pd.Series(day * 86_400e9), unit="ns", errors="coerce")
    outlets = pd.Series(feats.outlet[rows], dtype=object).fillna("(unknown)").astype(str)
    g = pd.DataFrame({"c": codes, "outlet": outlets, "date": dates})
    by = g.groupby("c", sort=True)
    out_lists = by["outlet"].agg(lambda s: sorted(set(s)))
    titles = feats.title[rows]
    table = pd.DataFrame({
        "story": sid,
        "label": [titles[h] if isinstance(titles[h], str) else None for h in head_of],
        "n_articles": n_c.astype(np.int64),
        "n_outlets": out_lists.map(len).to_numpy().astype(np.int64),
        "outlets": out_lists.map(lambda v: ", ".join(v)).to_numpy(),
        "first_date": by["date"].min().to_numpy(),
        "last_date": by["date"].max().to_numpy(),
        "mean_similarity": np.clip(mean_sim, -1.0, 1.0),
    })
    table = table.sort_values(["n_outlets", "n_articles", "story"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)
    return assign, table


# ---------------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------------

def find_stories(articles: Any, *, window_days: float = DEFAULT_WINDOW_DAYS, threshold: float | None = None,
                 columns: dict[str, str] | None = None, **read_kwargs: Any) -> Stories:
    """Features and clustering in one call: a :class:`Stories` (assignments, table, note)."""
    threshold = check_threshold(threshold)
    window_days = check_window(window_days)
    return cluster_stories(story_features(articles, columns=columns, **read_kwargs),
                           window_days=window_days, threshold=threshold)


def match_stories(articles: Any, *, window_days: float = DEFAULT_WINDOW_DAYS, threshold: float | None = None,
                  columns: dict[str, str] | None = None, **read_kwargs: Any) -> pd.Series:
    """One story id per input row, in input order (``<NA>`` for rows with an empty text).

    Args:
        articles: anything :func:`biascmp.read_articles` accepts (DataFrame with title, text, date,
            outlet; CSV/JSONL/Parquet path; folder).
        window_days: articles more than this many days apart are never neighbours (>= 0).
        threshold: mean pairwise cosine similarity two groups need to merge, in (0, 1]; default
            :data:`DEFAULT_THRESHOLD`, chosen on development data (docs/stories.md).
        columns, read_kwargs: passed to :func:`biascmp.read_articles`.

    Returns:
        A string Series aligned with the input rows (same length and order), named ``story``. Ids are
        ``"st-"`` plus 12 hex digits derived from the most central article's text: the same articles get
        the same ids in any order. :func:`find_stories` also returns statuses and the stories table.
    """
    return find_stories(articles, window_days=window_days, threshold=threshold, columns=columns,
                        **read_kwargs).ids.rename("story")


def stories_table(articles: Any, *, window_days: float = DEFAULT_WINDOW_DAYS, threshold: float | None = None,
                  columns: dict[str, str] | None = None, **read_kwargs: Any) -> pd.DataFrame:
    """One row per story: ``story`` id, ``label`` (the most central article's title), ``n_articles``,
    ``n_outlets``, ``outlets`` (comma-separated), ``first_date``, ``last_date`` and ``mean_similarity``
    (mean cosine over the story's article pairs, NaN for one article). Stories covered by most outlets
    first. A single-outlet corpus gives an empty table whose ``attrs["note"]`` says why."""
    return find_stories(articles, window_days=window_days, threshold=threshold, columns=columns,
                        **read_kwargs).table


# ---------------------------------------------------------------------------------------------------
# Evaluation helper (pure function on labels)
# ---------------------------------------------------------------------------------------------------

def pairwise_scores(pred: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against gold groups.

    A pair of items is a predicted pair when both have the same ``pred`` label, a gold pair when both
    have the same ``gold`` label; ``precision = |pred ∩ gold| / |pred|``, ``recall = |pred ∩ gold| /
    |gold|``, ``F1 = 2PR / (P + R)``; all in [0, 1], higher is better. Missing labels (None/NaN) are
    items in a group of their own. Counted from the contingency table: ``sum C(n_ij, 2)``.
    """
    p = pd.Series(list(pred), dtype=object)
    g = pd.Series(list(gold), dtype=object)
    if len(p) != len(g):
        raise ValueError(f"pred has {len(p)} labels, gold {len(g)}: they must align")
    own = pd.Series([f"\x00{i}" for i in range(len(p))], dtype=object)
    p = p.where(p.notna(), own)
    g = g.where(g.notna(), own)

    def pairs(counts: pd.Series) -> float:
        c = counts.to_numpy(dtype=float)
        return float((c * (c - 1) / 2).sum())

    both = pairs(pd.DataFrame({"p": p, "g": g}).value_counts())
    n_pred, n_gold = pairs(p.value_counts()), pairs(g.value_counts())
    prec = both / n_pred if n_pred else 1.0
    rec = both / n_gold if n_gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "pred_pairs": n_pred, "gold_pairs": n_gold,
            "true_pairs": both}


# ---------------------------------------------------------------------------------------------------
# In the analysis and the report
# ---------------------------------------------------------------------------------------------------

def add_stories(articles: pd.DataFrame, story: Any, *, window_days: float = DEFAULT_WINDOW_DAYS,
                threshold: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``analyze(..., story="auto")``: read_articles' frame with ``story``, ``story_status`` and
    ``story_centrality`` columns added (an input column named ``story`` is kept as ``story_input``), and
    the stories table (``attrs["note"]`` says why it is empty for a single outlet)."""
    check_story(story)
    res = find_stories(articles, window_days=window_days, threshold=threshold)
    return attach_stories(articles, res.assignments), story_table(res)


def check_story(story: Any) -> None:
    """``story`` of analyze() and the drivers: ``"auto"`` (match stories) or None."""
    if story is not None and story != "auto":
        raise ValueError(f"Invalid story={story!r}: analyze() takes story='auto' (match stories) or None; "
                         "to compare within your own story column, pass story='column' to compare()")


#: the assignment columns an analysis carries (``story_detail`` repeats the status in words: not kept)
ATTACHED_COLUMNS = ["story", "story_status", "story_centrality"]


def attach_stories(articles: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """read_articles' frame (or one chunk of it) with the :data:`ATTACHED_COLUMNS` of ``assignments``
    added by position (the same rows, in the same order); an input column named ``story`` is kept as
    ``story_input``. The in-memory, streamed and Dask drivers all attach ids through here."""
    if len(assignments) != len(articles):
        raise ValueError(f"{len(assignments)} story assignments for {len(articles)} articles: they must align")
    out = articles.copy()
    if "story" in out.columns:
        out = out.rename(columns={"story": "story_input"})
    for col in ATTACHED_COLUMNS:
        out[col] = assignments[col].to_numpy()
    return out


def story_table(res: Stories) -> pd.DataFrame:
    """The stories table of a clustering, with ``attrs["note"]`` and ``attrs["params"]``."""
    table = res.table.copy()
    table.attrs["note"] = res.note
    table.attrs["params"] = res.params
    return table


def split_assignments(res: Stories, lengths: Sequence[int]) -> list[pd.DataFrame]:
    """The assignments of a clustering of concatenated chunks, cut back into chunks of ``lengths`` rows."""
    if sum(lengths) != len(res.assignments):
        raise ValueError(f"chunks of {sum(lengths)} rows for {len(res.assignments)} assignments: they must align")
    edges = np.cumsum([0, *lengths])
    return [res.assignments.iloc[a:b].reset_index(drop=True) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _lead_sentences(analysis: Any, ids: set[str]) -> dict[str, str]:
    sents = analysis.sentences
    if not len(sents) or "kind" not in sents:
        return {}
    prose = sents[(sents["kind"] == "prose") & sents["article_id"].isin(ids)]
    first = prose.sort_values(["article_id", "sentence_index"]).groupby("article_id", sort=False)["text"].first()
    return first.to_dict()


def _quoted(analysis: Any, ids: set[str], top: int = 3) -> dict[str, str]:
    sents = analysis.sentences
    if not len(sents) or "speaker" not in sents:
        return {}
    sp_ = sents[sents["article_id"].isin(ids) & sents["speaker"].notna()]
    sp_ = sp_[sp_["speaker"].astype(str).str.strip() != ""]
    out = {}
    for aid, g in sp_.groupby("article_id", sort=False):
        counts = g["speaker"].astype(str).value_counts()
        names = sorted(counts.index, key=lambda s: (-counts[s], s))[:top]
        out[aid] = ", ".join(names)
    return out


SAME_STORY_COLUMNS = ["story", "story_label", "n_groups", "group", "article_id", "outlet", "headline", "lead",
                      "sentiment", "loaded_language", "main_frame", "quotes"]


def same_story_table(analysis: Any, by: str = "outlet", top: int = 5, *, story: str = "story") -> pd.DataFrame:
    """Data for a "Same story, different outlets" section: for each of the ``top`` stories covered by
    the most groups of ``by`` (at least two), one row per group with its most central article's
    ``headline``, ``lead`` (first prose sentence), ``sentiment`` (sentiment_mean), ``loaded_language``,
    ``main_frame`` (frame_primary) and ``quotes`` (its most quoted speakers). Empty when no story is
    shared by two groups. Needs an Analysis with a story column (``analyze(..., story="auto")``)."""
    from ._validation import check_positive_int

    check_positive_int("top", top)
    arts = analysis.articles
    if by not in arts.columns:
        raise ValueError(f"Invalid by={by!r}: not an article column")
    if story not in arts.columns:
        raise ValueError(f"Invalid story={story!r}: not an article column; run analyze(..., story='auto') "
                         "for story ids")
    ok = arts[(arts["status"] == "ok") & arts[story].notna()].copy()
    ok["_group"] = ok[by].astype("string").fillna("(unknown)")
    ok["_story"] = ok[story].astype(str)
    if not len(ok):
        return pd.DataFrame(columns=SAME_STORY_COLUMNS)
    n_groups = ok.groupby("_story")["_group"].nunique()
    n_arts = ok.groupby("_story").size()
    rank = pd.DataFrame({"g": n_groups, "n": n_arts})
    rank = rank[rank["g"] >= 2]
    if not len(rank):
        return pd.DataFrame(columns=SAME_STORY_COLUMNS)
    rank = rank.reset_index().sort_values(["g", "n", "_story"], ascending=[False, False, True]).head(top)
    cent = ok["story_centrality"] if "story_centrality" in ok else pd.Series(np.nan, index=ok.index)
    ok["_cent"] = cent.fillna(-np.inf)
    chosen = ok[ok["_story"].isin(rank["_story"])]
    # each group's most central article of the story (ties by article id)
    chosen = chosen.sort_values(["_story", "_group", "_cent", "article_id"], ascending=[True, True, False, True])
    heads = chosen.groupby(["_story", "_group"], sort=False).head(1)
    ids = set(heads["article_id"])
    leads, quotes = _lead_sentences(analysis, ids), _quoted(analysis, ids)
    labels = {}
    table = getattr(analysis, "tables", {}).get("stories")
    if table is not None and len(table):
        labels = dict(zip(table["story"].astype(str), table["label"]))
    order = {s: k for k, s in enumerate(rank["_story"])}
    rows = []
    for _, r in heads.iterrows():
        rows.append({
            "story": r["_story"], "story_label": labels.get(r["_story"], r.get("title")),
            "n_groups": int(n_groups[r["_story"]]), "group": r["_group"], "article_id": r["article_id"],
            "outlet": r.get("outlet"), "headline": r.get("title"), "lead": leads.get(r["article_id"]),
            "sentiment": r.get("sentiment_mean", np.nan), "loaded_language": r.get("loaded_language", np.nan),
            "main_frame": r.get("frame_primary"), "quotes": quotes.get(r["article_id"], ""),
        })
    out = pd.DataFrame(rows, columns=SAME_STORY_COLUMNS)
    out["_o"] = out["story"].map(order)
    return out.sort_values(["_o", "group"], kind="stable").drop(columns="_o").reset_index(drop=True)
