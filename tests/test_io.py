"""read_articles: formats, canonical columns, round trips, the bad-input table, outlets, dates, ids.

Expected values come from independent computations (hashlib, yaml, hand-written tables), never from
read_articles' own output; round trips and idempotence are properties (hypothesis).
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biascmp._validation import InputError
from biascmp.io import CANONICAL, STATUSES, read_articles, sniff_encoding

NEWS = "The mayor said the city would not cooperate with federal agents. Critics called the plan reckless."


def sha16(outlet: str, title: str, text: str) -> str:
    """The documented id formula, computed independently."""
    return hashlib.sha256(f"{outlet}\x00{title}\x00{text}\x00".encode()).hexdigest()[:16]


# ------------------------------------------------------------------------------------------- formats
def test_seed_folder_reads_front_matter_and_body(seeds_dir):
    a = read_articles(seeds_dir)
    files = sorted(seeds_dir.glob("*.txt"))
    assert len(a) == len(files) == 4
    assert list(a.columns[:len(CANONICAL)]) == CANONICAL
    for (_, row), f in zip(a.iterrows(), files, strict=True):
        raw = f.read_text(encoding="utf-8")
        _, head, body = raw.split("---\n", 2)  # the seed format: ---\nyaml\n---\ntext
        meta = yaml.safe_load(head)
        assert row["outlet"] == meta["outlet"] and row["title"] == meta["title"]
        assert row["text"] == body
        assert row["date"] == pd.Timestamp(str(meta["date"]))
        assert row["article_id"] == sha16(meta["outlet"], meta["title"], body)
        assert row["story"] == meta["story"]  # other front-matter keys become columns
        assert row["source_file"] == str(f) and row["status"] == "ok"


def test_text_file_without_front_matter(tmp_path):
    f = tmp_path / "plain.md"
    f.write_text("# Heading\n\n---\n\nBody text after a rule.", encoding="utf-8")
    a = read_articles(f)
    assert a["outlet"].item() == "(unknown)" and "outlet missing" in a["status_detail"].item()
    assert a["text"].item().startswith("# Heading")  # a rule later in the body is not front matter


def test_glob_and_list_of_sources(tmp_path):
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"---\noutlet: O{i}\n---\n{NEWS} {i}", encoding="utf-8")
    csv = tmp_path / "more.csv"
    pd.DataFrame({"outlet": ["C"], "text": [NEWS]}).to_csv(csv, index=False)
    assert read_articles(str(tmp_path / "a*.txt"))["outlet"].tolist() == ["O0", "O1", "O2"]
    both = read_articles([str(tmp_path / "a0.txt"), csv, pd.DataFrame({"outlet": ["D"], "text": ["x"]})])
    assert both["outlet"].tolist() == ["O0", "C", "D"]


def test_json_array_and_object_with_one_array(tmp_path):
    rows = [{"outlet": "A", "text": NEWS, "extra": 1}, {"outlet": "B", "text": NEWS + " B", "extra": 2}]
    (tmp_path / "a.json").write_text(json.dumps(rows), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"meta": "x", "articles": rows}), encoding="utf-8")
    for name in ("a.json", "b.json"):
        a = read_articles(tmp_path / name)
        assert a["outlet"].tolist() == ["A", "B"] and a["extra"].tolist() == [1, 2]
        assert a["source_row"].tolist() == [1, 2]


# ------------------------------------------------------------------------------------------- round trips
_safe_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)


@st.composite
def frames(draw):
    n = draw(st.integers(1, 5))
    ids = draw(st.lists(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True), min_size=n, max_size=n, unique=True))
    return pd.DataFrame({
        "article_id": ids,
        "outlet": draw(st.lists(st.sampled_from(["Fox News", "CNN", "The Guardian"]), min_size=n, max_size=n)),
        "title": draw(st.lists(_safe_text, min_size=n, max_size=n)),
        "date": draw(st.lists(st.dates(pd.Timestamp("1990-01-01").date(), pd.Timestamp("2030-01-01").date())
                              .map(str), min_size=n, max_size=n)),
        "text": draw(st.lists(_safe_text, min_size=n, max_size=n)),
    })


def _writers(a: pd.DataFrame, tmp) -> dict[str, object]:
    out = {}
    a.to_csv(tmp / "r.csv", index=False)
    out["csv"] = tmp / "r.csv"
    a.to_json(tmp / "r.jsonl", orient="records", lines=True, date_format="iso", force_ascii=False)
    out["jsonl"] = tmp / "r.jsonl"
    a.to_json(tmp / "r.json", orient="records", date_format="iso", force_ascii=False)
    out["json"] = tmp / "r.json"
    a.to_parquet(tmp / "r.parquet", index=False)
    out["parquet"] = tmp / "r.parquet"
    return out


def _same(x: pd.DataFrame, y: pd.DataFrame) -> None:
    cols = ["article_id", "outlet", "title", "date", "text", "status"]
    xx, yy = x[cols].copy(), y[cols].copy()
    for c in ("title", "text"):  # CSV has no way to tell an empty cell from a missing one
        xx[c], yy[c] = xx[c].fillna(""), yy[c].fillna("")
    pd.testing.assert_frame_equal(xx.reset_index(drop=True), yy.reset_index(drop=True), check_dtype=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(df=frames())
def test_round_trip_through_every_format(tmp_path_factory, df):
    a = read_articles(df)
    for fmt, path in _writers(a, tmp_path_factory.mktemp("rt")).items():
        b = read_articles(path)
        assert len(b) == len(a), fmt
        _same(a, b)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=20)), st.one_of(st.none(), st.text(max_size=60)),
                          st.one_of(st.none(), st.text(max_size=20))), min_size=1, max_size=6))
def test_reading_is_idempotent_and_keeps_every_row(rows):
    df = pd.DataFrame(rows, columns=["outlet", "text", "date"])
    a = read_articles(df)
    assert len(a) == len(df) and a["article_id"].is_unique
    assert a["status"].isin(STATUSES).all()
    b = read_articles(a)
    pd.testing.assert_frame_equal(a[CANONICAL], b[CANONICAL])


# ------------------------------------------------------------------------------------------- bad input
def _w(name: str, data: bytes):
    def make(tmp):
        p = tmp / name
        p.write_bytes(data)
        return p
    return make


ERRORS = [
    # (case, make source, kwargs, regex the InputError must match)
    ("missing text column", _w("m.csv", b"outlet,body\nA,x\n"), {},
     r"m\.csv.*missing required column\(s\) \['text'\].*\['outlet', 'body'\].*columns=\{'body': 'text'\}"),
    ("columns= names absent column", _w("c.csv", b"outlet,text\nA,x\n"), {"columns": {"content": "text"}},
     r"renames \['content'\].*has columns \['outlet', 'text'\]"),
    ("id_column absent", _w("i.csv", b"outlet,text\nA,x\n"), {"id_column": "doc_id"}, r"\['doc_id'\]"),
    ("duplicate ids", _w("d.csv", b"article_id,outlet,text\nx,A,one\ny,A,two\nx,B,three\n"), {},
     r"d\.csv.*duplicate article_id values \['x'\].*rows \[1, 3\]"),
    ("empty file", _w("e.csv", b""), {}, r"e\.csv.*empty"),
    ("blank jsonl", _w("e.jsonl", b"\n \n"), {}, r"e\.jsonl.*empty"),
    ("empty JSON array", _w("e.json", b"[]"), {}, r"e\.json.*no articles"),
    ("JSON scalar", _w("s.json", b"42"), {}, r"s\.json.*JSON array"),
    ("jsonl line not an object", _w("l.jsonl", b'{"outlet":"A","text":"x"}\n[1,2]\n'), {}, r"Line 2 of .*l\.jsonl"),
    ("invalid json", _w("j.json", b"{oops"), {}, r"Invalid JSON in .*j\.json"),
    ("unknown suffix", _w("a.docx", b"PK\x03\x04"), {}, r"a\.docx.*suffix '\.docx'"),
    ("tab-separated .csv", _w("t.csv", b"outlet\ttext\nA\tx\n"), {}, r"tab-separated.*sep='\\t'"),
    ("pipe-separated .csv", _w("p.csv", b"outlet|text\nA|x\n"), {}, r"pipe-separated.*sep='\|'"),
    ("ragged csv", _w("r.csv", b"outlet,text\nA,x\nB,y,z,w\n"), {}, r"Cannot parse CSV .*r\.csv.*line 3"),
    ("ragged first row (no silent shift)", _w("r1.csv", b"outlet,text\nA,x,y,z\nB,w\n"), {},
     r"r1\.csv.*line 2 has 4 fields but the header has 2"),
    ("multi-line YAML error stays one line", _w("y.txt", b"---\noutlet: [A\ntitle: x\n---\nText."), {},
     r"^[^\n]*y\.txt[^\n]*$"),
    ("bad front matter", _w("f.txt", b"---\noutlet: [unclosed\n---\nText."), {}, r"front matter in .*f\.txt"),
    ("unknown encoding", _w("u.csv", b"outlet,text\nA,x\n"), {"encoding": "klingon"}, r"encoding='klingon'"),
    ("corrupt parquet", _w("c.parquet", b"not parquet"), {}, r"Parquet file .*c\.parquet"),
]


@pytest.mark.parametrize("case, make, kwargs, pattern", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_raises_a_clear_error(tmp_path, case, make, kwargs, pattern):
    with pytest.raises(InputError, match=pattern):
        read_articles(make(tmp_path), **kwargs)


def test_path_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_articles(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="No files match"):
        read_articles(str(tmp_path / "*.txt"))
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError, match="has no .txt"):
        read_articles(tmp_path / "sub")
    with pytest.raises(InputError, match="empty list"):
        read_articles([])
    with pytest.raises(TypeError, match="source=42"):
        read_articles(42)


STATUS_CASES = [
    # (case, text or bytes for a .txt file, expected status, words the detail must contain)
    ("empty string", "", "empty_text", "empty"),
    ("whitespace", " \n\t ", "empty_text", "whitespace"),
    ("missing", None, "empty_text", "missing"),
    ("only control characters", "\x00\x01\x02", "empty_text", "control"),
    ("control characters in prose", "Fine\x00 text\x1b here.", "ok", "control"),
    ("invalid UTF-8 in a .txt", b"---\noutlet: A\n---\nCaf\xe9 owners met.", "decode_error", "encoding="),
    ("UTF-16 with BOM", "\ufeffStill fine.".encode("utf-16-le"), "ok", ""),
    ("UTF-16 without BOM", "Still fine, no BOM.".encode("utf-16-le"), "ok", ""),
    ("UTF-8 with BOM", "\ufeffFine.".encode(), "ok", ""),
]


@pytest.mark.parametrize("case, text, status, words", STATUS_CASES, ids=[c[0] for c in STATUS_CASES])
def test_bad_rows_keep_their_row_with_a_status(tmp_path, case, text, status, words):
    if isinstance(text, bytes):
        f = tmp_path / "x.txt"
        f.write_bytes(text)
        a = read_articles([f, pd.DataFrame({"outlet": ["B"], "text": [NEWS]})])
    else:
        a = read_articles(pd.DataFrame({"outlet": ["A", "B"], "text": [text, NEWS]}))
    assert len(a) == 2 and a["status"].tolist() == [status, "ok"]
    assert words in a["status_detail"].iloc[0]
    assert not a["text"].iloc[0].startswith("\ufeff")
    assert not any(ch in a["text"].iloc[0] for ch in "\x00\x01\x1b")


def test_latin1_with_encoding_argument(tmp_path):
    f = tmp_path / "l.txt"
    f.write_bytes("---\noutlet: A\n---\nCafé owners met.".encode("latin-1"))
    assert read_articles(f)["text"].item().count("\ufffd") == 1
    right = read_articles(f, encoding="latin-1")
    assert right["text"].item() == "Café owners met." and right["status"].item() == "ok"


@pytest.mark.parametrize("head, enc", [
    (b"\xef\xbb\xbfa,b", "utf-8-sig"), (b"\xff\xfea\x00", "utf-16"), (b"\xfe\xff\x00a", "utf-16"),
    (b"\xff\xfe\x00\x00a\x00\x00\x00", "utf-32"), ("outlet,text".encode("utf-16-le"), "utf-16-le"),
    ("outlet,text".encode("utf-16-be"), "utf-16-be"), ("naïve café".encode(), "utf-8-sig"), (b"", "utf-8-sig"),
])
def test_sniff_encoding(head, enc):
    assert sniff_encoding(head) == enc
    assert sniff_encoding(head, "cp1252") == "cp1252"


def test_language_column_marks_declared_non_english():
    df = pd.DataFrame({"outlet": ["A"] * 5, "text": [f"{NEWS} {i}" for i in range(5)],
                       "language": ["en", "en-US", "EN_gb", "es", None]})
    df.loc[len(df)] = ["A", NEWS + " und", "und"]  # undetermined: left to analyze()'s own detection
    a = read_articles(df)
    assert a["status"].tolist() == ["ok", "ok", "ok", "not_english", "ok", "ok"]
    assert "'es'" in a["status_detail"].iloc[3]


def test_an_input_status_column_is_kept_under_another_name():
    a = read_articles(pd.DataFrame({"outlet": ["A"], "text": [NEWS], "status": ["published"]}))
    assert a["status"].item() == "ok" and a["input_status"].item() == "published"


def test_header_only_csv_gives_the_canonical_empty_frame(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("outlet,text,leaning\n", encoding="utf-8")
    a = read_articles(f)
    assert len(a) == 0 and list(a.columns[:len(CANONICAL)]) == CANONICAL and "leaning" in a.columns
    assert pd.api.types.is_datetime64_any_dtype(a["date"])


# ------------------------------------------------------------------------------------------- outlets
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["fox news", "cnn"]), st.booleans(), st.integers(0, 3), st.integers(0, 3)),
                min_size=1, max_size=12))
def test_outlet_variants_by_case_and_whitespace_merge(variants):
    names = [(n.upper() if up else n.title()).replace(" ", " " * (1 + inner)) + " " * pad
             for n, up, pad, inner in variants]
    a = read_articles(pd.DataFrame({"outlet": names, "text": [f"{NEWS} {i}" for i in range(len(names))]}))
    # one spelling per outlet, equal to the input up to case and whitespace
    by_key = a.groupby(a["outlet"].str.casefold())["outlet"].nunique()
    assert (by_key == 1).all()
    assert sorted(set(a["outlet"].str.casefold())) == sorted({n for n, *_ in variants})


def test_aliases_win_and_original_is_kept(tmp_path):
    df = pd.DataFrame({"outlet": ["FOX ONLINE NEWS", "fox news", "fox news", "Fox  News", "CNN"],
                       "text": [f"{NEWS} {i}" for i in range(5)]})
    a = read_articles(df, outlet_aliases={"Fox Online News": "Fox News"})
    assert a["outlet"].tolist() == ["Fox News"] * 4 + ["CNN"]  # the alias target's spelling, not the majority's
    assert a["outlet_raw"].tolist() == df["outlet"].tolist()
    assert "read as 'Fox News'" in a["status_detail"].iloc[0] and a["status_detail"].iloc[4] == ""
    c = tmp_path / "aliases.csv"
    c.write_text("alias,outlet\nFox Online News,Fox News\n", encoding="utf-8")
    assert read_articles(df, outlet_aliases=c)["outlet"].iloc[0] == "Fox News"


# ------------------------------------------------------------------------------------------- dates
DATES = [
    ("2020-07-27", "2020-07-27"), ("July 27, 2020", "2020-07-27"), ("27 Jul 2020", "2020-07-27"),
    ("27/07/2020", "2020-07-27"), ("07/27/2020", "2020-07-27"), ("2020/07/27", "2020-07-27"),
    ("2020-07-27T12:00:00Z", "2020-07-27 12:00"), ("2020-07-27T08:00:00-04:00", "2020-07-27 12:00"),
    ("Mon, 27 Jul 2020 12:00:00 GMT", "2020-07-27 12:00"), ("20200727", "2020-07-27"),
    (1595851200, "2020-07-27 12:00"), ("1595851200", "2020-07-27 12:00"), (1595851200000, "2020-07-27 12:00"),
    (2020, "2020-01-01"), (pd.Timestamp("2020-07-27 08:00", tz="America/New_York"), "2020-07-27 12:00"),
    ("2020-02-30", None), ("2021-13-01", None), ("not a date", None), ("0001-01-01", None), (True, None),
]


def test_dates_table():
    raw = [d for d, _ in DATES] + [None, "  "]
    a = read_articles(pd.DataFrame({"outlet": ["A"] * len(raw), "text": [f"{NEWS} {i}" for i in range(len(raw))],
                                    "date": pd.Series(raw, dtype=object)}))
    assert pd.api.types.is_datetime64_any_dtype(a["date"]) and a["date"].dt.tz is None
    for (value, want), got, detail in zip(DATES, a["date"], a["status_detail"], strict=False):
        if want is None:
            assert pd.isna(got) and "date" in detail and "NaT" in detail, value
        else:
            assert got == pd.Timestamp(want), value
    assert (a["status"] == "ok").all()  # a bad date never stops the text from being measured
    assert a["date"].iloc[-2:].isna().all() and (a["status_detail"].iloc[-2:] == "").all()  # missing is no error


def test_datetime_column_is_kept_and_made_utc():
    s = pd.Series(pd.to_datetime(["2020-07-27 08:00", None]).tz_localize("America/New_York"))
    a = read_articles(pd.DataFrame({"outlet": ["A", "B"], "text": [NEWS, NEWS], "date": s}))
    assert a["date"].iloc[0] == pd.Timestamp("2020-07-27 12:00") and pd.isna(a["date"].iloc[1])


# ------------------------------------------------------------------------------------------- ids and duplicates
def test_ids_given_partly_given_and_derived():
    df = pd.DataFrame({"article_id": ["a", None, " "], "outlet": ["A", "B", "C"], "title": ["t", None, "u"],
                       "text": [NEWS, "Two.", "Three."]})
    a = read_articles(df)
    assert a["article_id"].tolist() == ["a", sha16("B", "", "Two."), sha16("C", "u", "Three.")]
    b = read_articles(df.rename(columns={"article_id": "doc"}), id_column="doc")
    assert b["article_id"].iloc[0] == "a"


def test_duplicate_text_is_judged_per_outlet():
    texts = [NEWS, NEWS + "  ", " " + NEWS, "\n" + NEWS, "Other text."]
    a = read_articles(pd.DataFrame({"article_id": list("abcde"), "outlet": ["A", "B", "B", "A", "B"], "text": texts}))
    assert a["status"].tolist() == ["ok", "ok", "duplicate_text", "duplicate_text", "ok"]
    assert "'b'" in a["status_detail"].iloc[2] and "'a'" in a["status_detail"].iloc[3]  # first of the same outlet
    assert "syndicated" in a["status_detail"].iloc[1] and "'a'" in a["status_detail"].iloc[1]


def test_hundred_thousand_rows_are_vectorised():
    n = 100_000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"outlet": rng.choice(["Fox News", " fox news", "CNN"], n),
                       "text": [f"w{i}" for i in range(n)], "date": rng.choice(["2020-07-27", "July 1, 2020"], n)})
    a = read_articles(df)
    assert len(a) == n and a["article_id"].is_unique and a["outlet"].nunique() == 2
    assert set(a["outlet"].str.casefold()) == {"fox news", "cnn"}
    assert a["date"].notna().all()


def test_docs_list_every_status_code():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "input.md").read_text(encoding="utf-8")
    table = doc.split("## Status codes", 1)[1].split("\n## ", 1)[0]
    listed = {line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")}
    assert listed == set(STATUSES)


def test_outlet_spellings_carry_across_chunks():
    from biascmp.io import load_aliases, outlet_spellings

    names = ["Fox News", "Fox News", "FOX NEWS", " fox  news", "FOX NEWS", "FOX NEWS", "cnn", "CNN"]
    df = pd.DataFrame({"outlet": names, "text": [f"{NEWS} {i}" for i in range(len(names))]})
    pinned = load_aliases({"Fox Online News": "Fox News"})
    got = []
    for start in range(0, len(df), 3):  # chunks of 3: a majority per chunk would flip the spelling
        arts = read_articles(df.iloc[start:start + 3], outlet_aliases=pinned)
        pinned.update(outlet_spellings(arts))
        got.extend(arts["outlet"])
    assert len(got) == len(df)
    assert {n.casefold(): {g for g in got if g.casefold() == n.casefold()} for n in got} == \
        {"fox news": {"Fox News"}, "cnn": {"cnn"}}  # the first chunk's choice holds in every later chunk
