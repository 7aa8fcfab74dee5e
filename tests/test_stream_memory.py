"""The whole-run state of a streamed run grows little per article: compact duplicate-text and id tables
that decide exactly as the plain dicts they replace (an independent model here), and their bytes per
article measured."""

from __future__ import annotations

import hashlib
import tracemalloc
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biascmp.io import DigestIndex, SeenTexts
from biascmp.stream import _IdTexts


def _d(x: Any) -> bytes:
    return hashlib.blake2b(repr(x).encode(), digest_size=12).digest()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 10**6)), max_size=400),
       st.integers(1, 64), st.booleans())
def test_digest_index_is_a_dict(ops, capacity, same_prefix) -> None:  # type: ignore[no-untyped-def]
    # same_prefix: every key shares its first 8 bytes (the hash), so each lookup must compare whole keys
    key = (lambda k: b"\x07" * 8 + _d(k)[:4]) if same_prefix else _d
    idx, model = DigestIndex(capacity), {}
    for k, v in ops:
        idx.add(key(k), v)
        model[key(k)] = v
        assert len(idx) == len(model)
    for k in range(301):
        assert idx.get(key(k)) == model.get(key(k))


def test_digest_index_names_a_bad_key() -> None:
    with pytest.raises(ValueError, match="12-byte"):
        DigestIndex().add(b"short", 1)
    with pytest.raises(ValueError, match=r">= 0 and < 2\*\*31"):
        DigestIndex().add(_d(1), -1)


def _model(batches: list[list[tuple[Any, str, int, bool]]]) -> list[tuple[bool, str]]:
    """Duplicate-text rules as stated in io.SeenTexts, on plain dicts of whole texts: a text seen before
    under the same outlet is a duplicate naming that outlet's first article; under another outlet only, a
    syndicated copy naming the text's first article and its outlet."""
    by_outlet: dict[tuple[str, int], Any] = {}
    first: dict[int, tuple[Any, str]] = {}
    out = []
    for batch in batches:
        for id_, outlet, text, cand in batch:
            if not cand:
                out.append((False, ""))
                continue
            if (outlet, text) in by_outlet:
                out.append((True, f"same text as article {by_outlet[outlet, text]!r} of the same outlet: "
                                  "not measured twice"))
                continue
            by_outlet[outlet, text] = id_
            if text in first:
                f_id, f_outlet = first[text]
                out.append((False, f"same text as article {f_id!r} ({f_outlet}): a syndicated copy"))
            else:
                first[text] = (id_, outlet)
                out.append((False, ""))
    return out


rows = st.tuples(st.one_of(st.text(max_size=6), st.integers()), st.sampled_from(["CNN", "Fox", "AP", "é"]),
                 st.integers(0, 8), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(rows, max_size=12), max_size=6))
def test_seen_texts_decides_as_the_model(batches) -> None:  # type: ignore[no-untyped-def]
    seen = SeenTexts()
    got: list[tuple[bool, str]] = []
    for b in batches:
        ids = [r[0] for r in b]
        dup, notes = seen.mark_digests(ids, [r[1] for r in b], [_d(r[2]) for r in b],
                                       np.asarray([r[3] for r in b], dtype=bool))
        got += list(zip(dup.tolist(), notes.tolist(), strict=True))
    assert got == _model(batches)


def test_id_texts_is_a_dict() -> None:
    ids = _IdTexts()
    model = {}
    for i in range(3000):
        ids[_d(("id", i))] = model[_d(("id", i))] = _d(("text", i % 7))
    assert all(_d(("id", i)) in ids and ids[_d(("id", i))] == model[_d(("id", i))] for i in range(3000))
    assert _d(("id", 3000)) not in ids
    with pytest.raises(KeyError):
        ids[_d(("id", 3000))]
    with pytest.raises(ValueError, match="once"):
        ids[_d(("id", 1))] = _d("x")


def _bytes_per_article(make: Any, n: int = 20_000) -> float:
    ids = [f"article-{i:06d}" for i in range(n)]
    outlets = [f"Outlet {i % 10}" for i in range(n)]
    digests = [_d(i) for i in range(n)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        state = make(ids, outlets, digests)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert state is not None
    return grown / n


def test_whole_run_state_grows_little_per_article() -> None:
    """Measured, not assumed: the duplicate-text table and the id table together stay under 150 bytes per
    article (14-character ids, 10 outlets), where the dicts they replace took ~450 (docs/performance.md)."""

    def seen(ids: list[str], outlets: list[str], digests: list[bytes]) -> SeenTexts:
        s = SeenTexts()
        for k in range(0, len(ids), 500):
            s.mark_digests(ids[k:k + 500], outlets[k:k + 500], digests[k:k + 500], np.ones(500, bool))
        return s

    def id_texts(ids: list[str], outlets: list[str], digests: list[bytes]) -> _IdTexts:
        t = _IdTexts()
        for i, d in zip(ids, digests, strict=True):
            t[_d(i)] = d
        return t

    per_seen = _bytes_per_article(seen)
    per_ids = _bytes_per_article(id_texts)
    assert per_seen + per_ids < 150, (per_seen, per_ids)


def test_outlet_rows_aggregate_exactly_as_the_whole_rows() -> None:
    """The outlet level keeps only what aggregate_outlets reads (outlet, status, registry metrics, texts as
    categoricals): aggregating the kept rows of several chunks gives exactly the aggregate of the full rows."""
    import pandas as pd
    from corpus import corpus as make_corpus

    import biascmp
    from biascmp.aggregate import aggregate_outlets, sentence_partials
    from biascmp.stream import _outlet_rows

    res = biascmp.analyze(make_corpus(40, seed=5))
    a = res.articles
    kept = pd.concat([_outlet_rows(a.iloc[k:k + 9]) for k in range(0, len(a), 9)], ignore_index=True)
    assert len(kept) == len(a) and kept.memory_usage(deep=True).sum() < a.memory_usage(deep=True).sum()
    partials = sentence_partials(a, res.sentences)  # summed per chunk from the full rows, as the stream does
    pd.testing.assert_frame_equal(aggregate_outlets(kept, partials=partials), aggregate_outlets(a, partials=partials))
