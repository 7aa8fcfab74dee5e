"""Hostile and broken input: every zoo case gets a clear error or a row with a status; rows in == rows out;
the CLI never prints a traceback; outputs are safe. docs/input.md lists each case and its behaviour."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biascmp
from biascmp._validation import InputError
from biascmp.cli import main
from biascmp.prepare import prepare_article
from biascmp.stream import analyze_to_file

NEWS = "The mayor said the city would not cooperate with federal agents. Critics called the plan reckless."


def analyze_rows(df: pd.DataFrame, **kw) -> pd.DataFrame:
    res = biascmp.analyze(df, **kw)
    assert len(res.articles) == len(df)  # rows in == rows out, always
    return res.articles


def cli(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# ------------------------------------------------------------------------------------------- files
def test_empty_file(tmp_path, capsys):
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv.*empty"):
        biascmp.read_articles(f)
    code, err = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "empty.csv" in err and not (tmp_path / "o.csv").exists()


def test_header_only_csv(tmp_path, capsys):
    f = tmp_path / "h.csv"
    f.write_text("outlet,text\n", encoding="utf-8")
    assert len(biascmp.read_articles(f)) == 0
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    assert code == 0 and len(pd.read_csv(tmp_path / "o.csv")) == 0


def test_wrong_delimiter(tmp_path, capsys):
    f = tmp_path / "semi.csv"
    f.write_text(f"outlet;text\nA;{NEWS}\n", encoding="utf-8")
    with pytest.raises(InputError, match="semi.csv.*semicolon.*sep=';'"):
        biascmp.read_articles(f)
    assert biascmp.read_articles(f, sep=";")["outlet"].tolist() == ["A"]
    code, err = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "semicolon" in err


def test_missing_column_names_it_and_suggests_mapping(tmp_path, capsys):
    f = tmp_path / "m.csv"
    f.write_text(f"source,content\nA,{NEWS}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing required column\(s\) \['outlet', 'text'\].*source.*content"):
        biascmp.read_articles(f)
    ok = biascmp.read_articles(f, columns={"source": "outlet", "content": "text"})
    assert ok["status"].tolist() == ["ok"]
    code, err = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "--columns" in err


def test_latin1_file(tmp_path, capsys):
    f = tmp_path / "l.csv"
    f.write_bytes(f"outlet,text\nA,\"Café owners met. {NEWS}\"\n".encode("latin-1"))
    default = biascmp.read_articles(f)
    assert default["status"].tolist() == ["decode_error"] and "encoding=" in default["status_detail"].item()
    right = biascmp.read_articles(f, encoding="latin-1")
    assert right["status"].tolist() == ["ok"] and right["text"].item().startswith("Café")
    assert analyze_rows(default)["status"].tolist() == ["decode_error"]
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    assert code == 0 and pd.read_csv(tmp_path / "o.csv")["status"].tolist() == ["decode_error"]
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o2.csv"), "--quiet", "--encoding", "latin-1"], capsys)
    assert pd.read_csv(tmp_path / "o2.csv")["status"].tolist() == ["ok"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom(tmp_path, encoding, capsys):
    f = tmp_path / "u.csv"
    f.write_bytes(f"outlet,text\nA,\"{NEWS}\"\n".encode(encoding))
    a = biascmp.read_articles(f)
    assert a["outlet"].tolist() == ["A"] and a["status"].tolist() == ["ok"]  # BOM not glued to "outlet"
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    assert code == 0 and pd.read_csv(tmp_path / "o.csv")["status"].tolist() == ["ok"]


def test_invalid_utf8_bytes_in_jsonl(tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_bytes(b'{"outlet": "A", "text": "Fine text. More."}\n{"outlet": "B", "text": "bad \xff\xfe bytes. Here."}\n')
    a = analyze_rows(biascmp.read_articles(f))
    assert a["status"].tolist() == ["ok", "decode_error"]
    out = tmp_path / "o.csv"
    analyze_to_file(f, out, chunksize=1)
    assert pd.read_csv(out)["status"].tolist() == ["ok", "decode_error"]


def test_invalid_json_line_names_the_line(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"outlet": "A", "text": "ok"}\n{"outlet": "B", "text": \n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 of .*x.jsonl"):
        biascmp.read_articles(f)


def test_nul_and_control_characters(tmp_path):
    df = pd.DataFrame({"outlet": ["A"], "text": ["The mayor\x00 said\x07 the plan\x1b was fine. " + NEWS]})
    a = analyze_rows(df)
    assert a["status"].item() == "ok" and "control character" in a["status_detail"].item()
    res = biascmp.analyze(df)
    assert not res.sentences["text"].str.contains("[\x00-\x08]", regex=True).any()


def test_unknown_format_and_missing_file(tmp_path):
    f = tmp_path / "a.xlsx"
    f.write_bytes(b"PK")
    with pytest.raises(InputError, match="a.xlsx.*suffix"):
        biascmp.read_articles(f)
    with pytest.raises(InputError, match="does not exist"):
        biascmp.read_articles(tmp_path / "nope.csv")


# ------------------------------------------------------------------------------------------- texts
def test_giant_article_gets_a_status_not_a_hang():
    big = "The mayor said the plan was fine. " * 150_000  # 5.1 MB
    t0 = time.perf_counter()
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [big]}))
    assert a["status"].item() == "too_long" and "max_chars" in a["status_detail"].item()
    assert time.perf_counter() - t0 < 60  # generous: a hang would take far longer
    small_cap = analyze_rows(pd.DataFrame({"outlet": ["A", "B"], "text": [big[:5000], NEWS]}), max_chars=1000)
    assert small_cap["status"].tolist() == ["too_long", "ok"]


def test_giant_article_is_measured_when_the_cap_allows():
    text = "The mayor said the plan was fine. Critics disagreed on Monday.\n" * 20_000  # ~1.3 MB
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [text]}))
    assert a["status"].item() == "ok" and a["n_words"].item() > 200_000


def test_100000_one_word_articles_load():
    df = pd.DataFrame({"outlet": ["A"] * 100_000, "text": [f"w{i}" for i in range(100_000)]})
    t0 = time.perf_counter()
    a = biascmp.read_articles(df)
    assert len(a) == 100_000 and a["article_id"].is_unique
    assert time.perf_counter() - t0 < 60


@pytest.mark.slow
def test_100000_one_word_articles_analyze():
    df = pd.DataFrame({"outlet": ["A"] * 100_000, "text": [f"w{i}" for i in range(100_000)]})
    a = analyze_rows(df, n_jobs=2)
    assert (a["status"] == "ok").all() and (a["n_words"] == 1).all()  # one word is one word of prose
    assert a["article_id"].tolist() == biascmp.read_articles(df)["article_id"].tolist()  # same order


@pytest.mark.parametrize("name, text, status", [
    ("punctuation", "!!! ... ??? --- ;;;", "no_prose"),
    ("emoji", "😀😀 🎉🎉🎉 👍", "no_prose"),
    ("whitespace", "   \n\t  ", "empty_text"),
    ("empty", "", "empty_text"),
    ("spanish", "El alcalde de Chicago dijo que la ciudad no cooperará con los agentes federales. La gobernadora "
                "pidió calma y dijo que la policía estaba preparada para proteger a los residentes.", "not_english"),
    ("chinese", "芝加哥市长表示，该市不会与联邦特工合作。州长呼吁保持冷静，并表示警方已准备好保护居民。", "not_english"),
    ("arabic", "قال عمدة شيكاغو إن المدينة لن تتعاون مع العملاء الفيدراليين. ودعا الحاكم إلى الهدوء.", "not_english"),
])
def test_texts_without_english_prose_get_a_status_and_no_metrics(name, text, status):
    a = analyze_rows(pd.DataFrame({"outlet": ["A", "B"], "text": [text, NEWS]}))
    assert a["status"].tolist() == [status, "ok"]
    assert a["status_detail"].iloc[0]
    assert pd.isna(a["sentiment_mean"].iloc[0]) and pd.isna(a["flesch_reading_ease"].iloc[0])
    assert a["sentiment_mean"].notna().iloc[1]


def test_html_page_source_is_stripped():
    html = ("<!DOCTYPE html><html><head><title>News</title><script>alert('x')</script><style>p{color:red}</style>"
            "</head><body><h1>Mayor speaks</h1><p>" + NEWS + "</p><p>Residents &amp; critics met.</p></body></html>")
    res = biascmp.analyze(pd.DataFrame({"outlet": ["A"], "text": [html]}))
    assert res.articles["status"].item() == "ok"
    joined = " ".join(res.sentences["text"])
    assert "<" not in joined and "alert" not in joined and "color:red" not in joined
    assert "Residents & critics met." in joined


def test_markdown_is_read_as_text():
    md = "# Mayor speaks\n\n**The mayor** said the city would *not* cooperate with [federal agents](http://x.y).\n\n- Critics called it reckless."
    res = biascmp.analyze(pd.DataFrame({"outlet": ["A"], "text": [md]}))
    prose = res.sentences[res.sentences["kind"] == "prose"]["text"].tolist()
    assert prose == ["The mayor said the city would not cooperate with federal agents.", "Critics called it reckless."]


def test_same_text_under_two_ids():
    df = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["A", "A", "B"], "text": [NEWS, NEWS, NEWS]})
    a = analyze_rows(df)
    assert a["status"].tolist() == ["ok", "duplicate_text", "ok"]
    assert "'a'" in a["status_detail"].iloc[1] and "syndicated" in a["status_detail"].iloc[2]
    # identical rows without ids: derived ids stay unique, the copy is flagged
    b = biascmp.read_articles(pd.DataFrame({"outlet": ["A", "A"], "text": [NEWS, NEWS]}))
    assert len(b) == 2 and b["article_id"].is_unique and b["status"].tolist() == ["ok", "duplicate_text"]


def test_duplicate_given_ids_are_listed():
    with pytest.raises(InputError, match=r"duplicate article_id values \['x'\]"):
        biascmp.read_articles(pd.DataFrame({"article_id": ["x", "x"], "outlet": ["A", "B"], "text": [NEWS, "Other."]}))


def test_outlet_spellings_and_aliases(tmp_path):
    df = pd.DataFrame({"outlet": ["Fox News", " fox  news ", "FOX NEWS", "Fox Online News", None, "CNN"],
                       "text": [f"{NEWS} {i}." for i in range(6)]})
    a = analyze_rows(df, outlet_aliases={"Fox Online News": "Fox News"})
    assert a["outlet"].tolist() == ["Fox News"] * 4 + ["(unknown)", "CNN"]
    assert a["outlet_raw"].iloc[1] == " fox  news " and "outlet missing" in a["status_detail"].iloc[4]
    y = tmp_path / "aliases.yaml"
    y.write_text("Fox News: [Fox Online News]\n", encoding="utf-8")
    assert biascmp.read_articles(df, outlet_aliases=y)["outlet"].iloc[3] == "Fox News"


def test_dates_in_many_formats_and_impossible_dates():
    raw = ["2020-07-27", "July 27, 2020", "27 Jul 2020", "2020-07-27T10:00:00-05:00", 1595808000, "2020-02-30",
           "not a date", None]
    a = analyze_rows(pd.DataFrame({"outlet": ["A"] * 8, "text": [f"{NEWS} {i}." for i in range(8)], "date": raw}))
    d = a["date"]
    assert all(x == pd.Timestamp("2020-07-27") for x in d.iloc[:3])
    assert d.iloc[3] == pd.Timestamp("2020-07-27 15:00")  # converted to UTC
    assert d.iloc[4] == pd.Timestamp("2020-07-27")  # epoch seconds
    assert d.iloc[5:].isna().all()
    assert (a["status"] == "ok").all()  # a bad date does not stop the text from being measured
    assert "unparseable date '2020-02-30'" in a["status_detail"].iloc[5]
    assert a["status_detail"].iloc[7] == ""  # missing is not an error


# ------------------------------------------------------------------------------------------- fuzz
_REF: list[pd.DataFrame] = []


def _reference_articles() -> pd.DataFrame:
    """Articles table of one plain English article (computed once): the schema every input must keep."""
    if not _REF:
        _REF.append(biascmp.analyze(pd.DataFrame({"outlet": ["A"], "text": [NEWS], "title": ["t"]})).articles)
    return _REF[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=30)),
                          st.one_of(st.none(), st.text(max_size=40))), min_size=1, max_size=4))
def test_fuzz_analyze_never_crashes_and_keeps_schema(rows):
    df = pd.DataFrame({"text": [r[0] for r in rows], "outlet": [r[1] for r in rows], "title": [r[2] for r in rows]})
    res = biascmp.analyze(df)
    assert len(res.articles) == len(df)
    ref = _reference_articles()
    got = list(res.articles.columns)
    # same columns as a normal article; only outlet_raw may be added (a renamed outlet). The order is
    # checked in test_unmeasured_batch_keeps_column_order (known to differ when nothing is measured).
    assert set(got) - {"outlet_raw"} == set(ref.columns) and len(got) == len(set(got))
    for c in ref.columns:  # numeric metric columns stay numeric (NaN when not measured), never text
        if pd.api.types.is_numeric_dtype(ref[c]) and not pd.api.types.is_bool_dtype(ref[c]):
            assert pd.api.types.is_numeric_dtype(res.articles[c]), c
    assert res.articles["status"].isin(["ok", "empty_text", "no_prose", "not_english", "duplicate_text",
                                        "too_long", "decode_error"]).all()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=200), st.text(max_size=30))
def test_fuzz_report_html_never_crashes(tmp_path_factory, text, outlet):
    df = pd.DataFrame({"outlet": [outlet or "X", "Y"], "text": [text, NEWS], "title": [text[:40], "Plain"]})
    res = biascmp.analyze(df)
    out = tmp_path_factory.mktemp("r") / "r.html"
    biascmp.report(res, out, format="html")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.split("<body", 1)[1]


# ------------------------------------------------------------------------------------------- outputs
def test_csv_formulas_are_neutralised_by_default(tmp_path, capsys):
    f = tmp_path / "in.csv"
    pd.DataFrame({"outlet": ["=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)"],
                  "text": [NEWS, NEWS + " Two.", NEWS + " Three."]}).to_csv(f, index=False)
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "safe.csv"), "--quiet"], capsys)
    out = pd.read_csv(tmp_path / "safe.csv")
    assert code == 0 and all(o.startswith("'") for o in out["outlet"])
    cli(["analyze", str(f), "-o", str(tmp_path / "raw.csv"), "--quiet", "--no-safe-csv"], capsys)
    assert pd.read_csv(tmp_path / "raw.csv")["outlet"].iloc[0].startswith("=")


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    from biascmp import outputs

    def boom(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError):
        outputs.write_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_cli_usage_errors_and_missing_files(tmp_path, capsys):
    code, err = cli(["analyze", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "nope.csv" in err
    code, err = cli(["analyze", "seeds", "-o", str(tmp_path / "o.xlsx")], capsys)
    assert code == 2 and "o.xlsx" in err
    code, err = cli(["analyze", "seeds", "-o", str(tmp_path / "o.csv"), "--columns", "broken"], capsys)
    assert code == 2 and "src=dst" in err


# ------------------------------------------------------------------------------------------- regex guards
@pytest.mark.parametrize("text", ['"' * 200_000, "." * 200_000, " " * 200_000 + "a", "a. " * 70_000,
                                  "“" * 100_000 + "”" * 100_000, "Mr. " * 50_000, "-" * 200_000])
def test_no_catastrophic_backtracking(text):
    t0 = time.perf_counter()
    art = prepare_article("x", text)
    assert time.perf_counter() - t0 < 30  # linear-time rules: seconds at most, never minutes
    assert art.text == art.text.strip()
    if not any(c.isalpha() for c in text):  # no letters at all: nothing that could be prose
        assert art.meta.get("status") == "no_prose" and art.meta.get("status_detail")
    else:
        assert art.meta.get("status", "ok") in {"ok", "no_prose", "not_english"}


# ------------------------------------------------------------------------------------------- the zoo, end to end
# Every row-level zoo case in one corpus: (case, outlet, text, date, the status analyze() must give).
ZOO_ROWS = [
    ("plain English", "Fox News", NEWS, "2020-07-27", "ok"),
    ("outlet by case and whitespace", "  fox   NEWS ", NEWS + " Officials disagreed.", "July 27, 2020", "ok"),
    ("outlet alias", "Fox Online News", NEWS + " The council met.", "27/07/2020", "ok"),
    ("missing outlet", None, NEWS + " Residents waited.", None, "ok"),
    ("impossible date", "CNN", NEWS + " Police said nothing.", "2020-02-30", "ok"),
    ("epoch date", "CNN", NEWS + " The governor spoke.", "1595808000", "ok"),
    ("NUL and control characters", "CNN", "The mayor\x00 said\x07 the plan was fine. " + NEWS, "", "ok"),
    ("same text, same outlet", "CNN", NEWS + " Police said nothing.", "", "duplicate_text"),
    ("same text, another outlet", "MSNBC", NEWS, "", "ok"),
    ("empty text", "CNN", "", "", "empty_text"),
    ("whitespace text", "CNN", " \t\n ", "", "empty_text"),
    ("punctuation only", "CNN", "!!! ... ??? --- ;;;", "", "no_prose"),
    ("emoji only", "CNN", "😀😀 🎉🎉🎉 👍", "", "no_prose"),
    ("Spanish", "El País", "El alcalde de Chicago dijo que la ciudad no cooperará con los agentes federales. La "
                          "gobernadora pidió calma y dijo que la policía estaba preparada para proteger a los "
                          "residentes de la ciudad.", "", "not_english"),
    ("Chinese", "新华社", "芝加哥市长表示，该市不会与联邦特工合作。州长呼吁保持冷静，并表示警方已准备好保护居民。", "", "not_english"),
    ("Arabic (right-to-left)", "الجزيرة", "قال عمدة شيكاغو إن المدينة لن تتعاون مع العملاء الفيدراليين. ودعا الحاكم إلى "
                                       "الهدوء.", "", "not_english"),
    ("HTML page source", "CNN", "<html><head><script>alert('x')</script></head><body><p>" + NEWS
     + " Schools reopened.</p></body></html>", "", "ok"),
    ("Markdown", "CNN", "# Mayor speaks\n\n**The mayor** said the city would *not* cooperate with "
                        "[federal agents](http://x.y).\n\n- Critics called it reckless.", "", "ok"),
    ("formula-looking outlet", "=HYPERLINK(\"http://x\")", NEWS + " Critics met.", "", "ok"),
]


def _zoo_frame() -> pd.DataFrame:
    return pd.DataFrame({"outlet": [r[1] for r in ZOO_ROWS], "text": [r[2] for r in ZOO_ROWS],
                         "date": [r[3] for r in ZOO_ROWS], "case": [r[0] for r in ZOO_ROWS]})


def test_zoo_through_analyze():
    a = analyze_rows(_zoo_frame(), outlet_aliases={"Fox Online News": "Fox News"})
    assert a["case"].tolist() == [r[0] for r in ZOO_ROWS]  # same rows, same order
    assert dict(zip(a["case"], a["status"], strict=True)) == {r[0]: r[4] for r in ZOO_ROWS}
    assert (a["status_detail"][a["status"] != "ok"] != "").all()  # every non-ok row says why
    assert a["outlet"].iloc[:3].tolist() == ["Fox News"] * 3 and a["outlet"].iloc[3] == "(unknown)"
    assert pd.isna(a["date"].iloc[4]) and a["date"].iloc[5] == pd.Timestamp("2020-07-27")
    measured = a["status"] == "ok"
    assert a.loc[measured, "n_words"].gt(0).all() and a.loc[~measured, "n_words"].isna().all()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_zoo_through_the_cli(tmp_path, suffix, capsys):
    df = _zoo_frame()
    src = tmp_path / f"zoo.{suffix}"
    if suffix == "csv":
        df.to_csv(src, index=False)
    elif suffix == "jsonl":
        df.to_json(src, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(src, index=False)
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Fox News: [Fox Online News]\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, err = cli(["analyze", str(src), "-o", str(out), "--quiet", "--outlet-aliases", str(aliases)], capsys)
    assert code == 0 and f"{len(df)} articles in" in err
    got = pd.read_csv(out, keep_default_na=False)
    assert len(got) == len(df)
    assert dict(zip(got["case"], got["status"], strict=True)) == {r[0]: r[4] for r in ZOO_ROWS}
    assert got["outlet"].iloc[-1].startswith("'=")  # formulas neutralised in the CSV output


def test_cli_subprocess_data_error_and_zoo_have_no_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text("source,content\nA,text\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "biascmp", "analyze", str(bad), "-o", str(tmp_path / "o.csv")],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and "Traceback" not in p.stderr and "bad.csv" in p.stderr and "--columns" in p.stderr
    zoo = tmp_path / "zoo.jsonl"
    _zoo_frame().to_json(zoo, orient="records", lines=True, force_ascii=False)
    p = subprocess.run([sys.executable, "-m", "biascmp", "analyze", str(zoo), "-o", str(tmp_path / "z.jsonl"),
                        "--quiet"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert len(pd.read_json(tmp_path / "z.jsonl", lines=True)) == len(ZOO_ROWS)


def test_text_files_zoo_folder(tmp_path):
    """The zoo as a folder of .txt files in several encodings: one row per file, statuses per file."""
    d = tmp_path / "corpus"
    d.mkdir()
    fm = "---\noutlet: Fox News\ndate: 2020-07-27\n---\n"
    (d / "a_utf8.txt").write_text(fm + NEWS, encoding="utf-8")
    (d / "b_bom.txt").write_bytes((fm + NEWS + " Two.").encode("utf-8-sig"))
    (d / "c_utf16.txt").write_bytes((fm + NEWS + " Three.").encode("utf-16"))
    (d / "d_latin1.txt").write_bytes((fm + "Café owners met. " + NEWS).encode("latin-1"))
    (d / "e_badbytes.md").write_bytes(fm.encode() + b"Bad \xff\xfe bytes. " + NEWS.encode())
    (d / "f_empty.txt").write_bytes(b"")
    (d / "g_nofm.txt").write_text(NEWS + " Seven.", encoding="utf-8")
    a = analyze_rows(biascmp.read_articles(d))
    assert a["status"].tolist() == ["ok", "ok", "ok", "decode_error", "decode_error", "empty_text", "ok"]
    assert a["outlet"].tolist() == ["Fox News"] * 5 + ["(unknown)"] * 2
    assert "encoding=" in a["status_detail"].iloc[3]


# ------------------------------------------------------------------------------------------- fuzz: metadata
_any_text = st.text(st.characters(blacklist_categories=()), max_size=60)  # lone surrogates included
_any_value = st.one_of(st.none(), _any_text, st.integers(-2**63, 2**63 - 1),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                       st.datetimes().map(pd.Timestamp))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), _any_text), _any_value, _any_value, _any_value,
                          _any_value), min_size=1, max_size=6))
def test_fuzz_loader_metadata_never_crashes(rows):
    df = pd.DataFrame({"text": [r[0] for r in rows], "outlet": [r[1] for r in rows], "date": [r[2] for r in rows],
                       "title": [r[3] for r in rows], "url": [r[4] for r in rows]}, dtype=object)
    a = biascmp.read_articles(df)
    assert len(a) == len(df) and a["article_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(a["date"])
    assert a["outlet"].map(lambda v: isinstance(v, str) and v == v.strip() and v != "").all()


def test_lone_surrogate_date_is_a_note_not_a_crash():
    # found by the fuzz test above: Series.map inferred Arrow strings, which refuse lone surrogates
    df = pd.DataFrame({"text": ["one text", "another text"], "outlet": ["A", "B"],
                       "date": ["\ud800", "2020-01-02\udc00"]}, dtype=object)
    a = biascmp.read_articles(df)
    assert a["date"].isna().all() and len(a) == 2
    assert a["status_detail"].str.contains("unparseable date").all()


# ------------------------------------------------------------------------------------------- safe outputs
def test_neutralise_formulas_cells():
    from biascmp.outputs import neutralise_formulas

    df = pd.DataFrame({"s": ["=1+1", "+1", "-cmd", "@SUM(A1)", "\t=x", "plain", "a=b", None],
                       "n": [-1.5, 2, -3, 0, 1, 1, 1, 1]})
    out = neutralise_formulas(df)
    assert out["s"].iloc[:5].tolist() == ["'" + v for v in df["s"].iloc[:5]]
    assert out["s"].iloc[5:7].tolist() == ["plain", "a=b"] and pd.isna(out["s"].iloc[7])
    assert out["n"].tolist() == df["n"].tolist()  # negative numbers stay numbers
    assert df["s"].iloc[0] == "=1+1"  # the input frame is not modified
    cat = neutralise_formulas(pd.DataFrame({"c": pd.Categorical(["=id", "ok", "=id"])}))  # evidence ids
    assert cat["c"].tolist() == ["'=id", "ok", "'=id"]


def test_evidence_csv_neutralises_a_formula_article_id(tmp_path):
    res = biascmp.analyze(pd.DataFrame({"article_id": ["=HYPERLINK(1)"], "outlet": ["A"],
                                        "text": ["Critics slammed the disastrous, reckless plan on Monday."]}))
    assert len(res.evidence) and isinstance(res.evidence["article_id"].dtype, pd.CategoricalDtype)
    path = tmp_path / "e.csv"
    res.to_csv(path, level="evidence")
    assert set(pd.read_csv(path)["article_id"]) == {"'=HYPERLINK(1)"}


def test_analysis_to_csv_safe_by_default_and_off(tmp_path):
    res = biascmp.analyze(pd.DataFrame({"outlet": ["@evil", "-minus"], "text": [NEWS, NEWS + " Two."]}))
    res.to_csv(tmp_path / "safe.csv")
    res.to_csv(tmp_path / "raw.csv", safe=False)
    assert pd.read_csv(tmp_path / "safe.csv")["outlet"].tolist() == ["'@evil", "'-minus"]
    assert pd.read_csv(tmp_path / "raw.csv")["outlet"].tolist() == ["@evil", "-minus"]


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    from biascmp import outputs

    target = tmp_path / "x.csv"
    outputs.write_frame(pd.DataFrame({"a": [1, 2]}), target)
    before = target.read_bytes()

    def half_then_boom(self, path, *a, **k):
        open(path, "w").write("a\n1")  # a partial file...
        raise KeyboardInterrupt  # ...then the process is interrupted

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_boom)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_frame(pd.DataFrame({"a": [3]}), target)
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_report_html_escapes_input(tmp_path):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    res = biascmp.analyze(pd.DataFrame({"outlet": [evil, "Plain"], "title": [evil, "t"],
                                        "text": [NEWS, NEWS + " Two."]}))
    out = biascmp.report(res, tmp_path / "r.html", format="html")
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_report_html_write_is_atomic(tmp_path, monkeypatch):
    from pathlib import Path

    res = biascmp.analyze(pd.DataFrame({"outlet": ["A"], "text": [NEWS]}))
    real = Path.write_text

    def half_then_boom(self, data, *a, **k):
        real(self, data[: len(data) // 2], *a, **k)
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_boom)
    with pytest.raises(OSError):
        biascmp.report(res, tmp_path / "r.html", format="html")
    assert not (tmp_path / "r.html").exists()


# ------------------------------------------------------------------------------------------- loader guards
@pytest.mark.parametrize("body", ["---\n" + "-" * 200_000, "---\n" + "\n" * 200_000 + "--", "---" + " " * 200_000,
                                  "---\n" + "a: b\n" * 40_000 + "---\n" + NEWS])
def test_front_matter_regex_is_linear(tmp_path, body):
    f = tmp_path / "x.txt"
    f.write_text(body, encoding="utf-8")
    t0 = time.perf_counter()
    a = biascmp.read_articles(f)
    assert len(a) == 1 and time.perf_counter() - t0 < 30


def test_control_character_flood_is_linear():
    text = "\x00" * 1_000_000 + NEWS
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [text]}))
    assert a["status"].item() == "ok" and "1000000 control" in a["status_detail"].item()


def test_lone_surrogates_from_json_escapes_and_frames(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text('{"outlet": "A\\udc00", "text": "Bad \\ud800 escape. The mayor said so."}\n'
                 '{"outlet": "B", "text": "Fine text. The council met."}\n', encoding="utf-8")
    a = biascmp.read_articles(f)
    assert a["status"].tolist() == ["decode_error", "ok"] and "surrogate" in a["status_detail"].iloc[0]
    df = pd.DataFrame({"outlet": ["A\ud800", "B"], "title": ["t\udfff", "u"], "text": [NEWS + " \udcff", NEWS]},
                      dtype=object)
    res = biascmp.analyze(df)
    assert len(res.articles) == 2 and res.articles["status"].tolist() == ["decode_error", "ok"]
    for name in ("a.csv", "a.jsonl", "a.parquet"):  # every writer accepts the repaired strings
        getattr(res, "to_" + name.split(".")[1])(tmp_path / name)
    biascmp.report(res, tmp_path / "r.html", format="html")
    assert "\ufffd" in (tmp_path / "r.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- CLI: one-line errors
def cli_error(args: list[str], capsys, *names: str) -> str:
    """A bad input through the CLI: exit code 1, one message line naming ``names``, no traceback."""
    code, err = cli([*args, "--quiet"], capsys)
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert code == 1, (code, err)
    assert len(lines) == 1, err
    assert lines[0].startswith("biascmp analyze: error:")
    for n in names:
        assert n in lines[0], (n, err)
    return lines[0]


@pytest.mark.parametrize("name, data, what", [
    ("empty.csv", b"", "is empty"),
    ("semi.csv", f"outlet;text\nA;{NEWS}\n".encode(), "sep=';'"),
    ("cols.csv", f"source,content\nA,{NEWS}\n".encode(), "--columns source=outlet content=text"),
    ("badline.jsonl", b'{"outlet": "A", "text": "ok"}\n{"outlet": "B", "text": \n', "line 2"),
    ("notobj.jsonl", b'{"outlet": "A", "text": "ok"}\n[1, 2]\n', "Line 2"),
    ("dupid.csv", f"article_id,outlet,text\nx,A,{NEWS}\nx,B,Other text.\n".encode(), "duplicate article_id"),
    ("book.xlsx", b"PK\x03\x04", "suffix"),
    ("arr.json", b'{"a": 1}', "JSON array"),
    ("fm_list.txt", b"---\n- a\n- b\n---\nThe mayor spoke.\n", "mapping"),
])
def test_cli_bad_file_one_line_exit_1(tmp_path, capsys, name, data, what):
    f = tmp_path / name
    f.write_bytes(data)
    cli_error(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys, name, what)
    assert not (tmp_path / "o.csv").exists()  # nothing half-written
    with pytest.raises(InputError, match=name.replace(".", r"\.")):  # the library names the file too
        biascmp.read_articles(f)


def test_cli_missing_file_and_unknown_encoding(tmp_path, capsys):
    cli_error(["analyze", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")], capsys, "nope.csv",
              "does not exist")
    f = tmp_path / "ok.csv"
    f.write_text(f"outlet,text\nA,{NEWS}\n", encoding="utf-8")
    cli_error(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--encoding", "klingon"], capsys, "ok.csv",
              "klingon")


def test_cli_bad_yaml_front_matter_is_one_line(tmp_path, capsys):
    f = tmp_path / "fm.txt"
    f.write_bytes(b"---\noutlet: [A\ntitle: x\n---\nThe mayor spoke.\n")
    cli_error(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys, "fm.txt", "front matter")


def test_cli_corrupt_parquet_names_the_file(tmp_path, capsys):
    f = tmp_path / "broken.parquet"
    f.write_bytes(b"not a parquet file at all")
    with pytest.raises(InputError, match="broken.parquet"):
        biascmp.read_articles(f)  # the library path is fine
    cli_error(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys, "broken.parquet")


def test_ragged_csv_row_is_an_error_not_a_silent_shift(tmp_path):
    f = tmp_path / "ragged.csv"
    f.write_text(f"outlet,text\nA,{NEWS},extra,fields\nB,{NEWS} Two.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ragged\.csv.*line 2 has 4 fields but the header has 2"):
        biascmp.read_articles(f)


def test_ragged_later_csv_row_error_is_one_line(tmp_path):
    f = tmp_path / "ragged2.csv"
    f.write_text(f"outlet,text\nB,{NEWS}\nA,{NEWS},extra,fields\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ragged2\.csv.*line 3") as info:
        biascmp.read_articles(f)
    assert "\n" not in str(info.value)


def test_cli_ragged_csv_is_an_error(tmp_path, capsys):
    f = tmp_path / "ragged.csv"
    f.write_text(f"outlet,text\nA,{NEWS},extra,fields\nB,{NEWS} Two.\n", encoding="utf-8")
    cli_error(["analyze", str(f), "-o", str(tmp_path / "o.csv")], capsys, "ragged.csv", "line 2")


# ------------------------------------------------------------------------------------------- more zoo rows
def test_header_only_csv_through_analyze(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("outlet,text,date\n", encoding="utf-8")
    res = biascmp.analyze(f)
    assert len(res.articles) == 0 and {"status", "status_detail", "n_words"} <= set(res.articles.columns)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
def test_unicode_encodings_analyze_rows_in_rows_out(tmp_path, encoding):
    f = tmp_path / "u.csv"
    body = f"outlet,text\nA,\"{NEWS}\"\nB,\"Café owners said prices rose. {NEWS}\"\n"
    f.write_bytes(body.encode(encoding))
    loaded = biascmp.read_articles(f)
    assert loaded["text"].iloc[1].startswith("Café")  # decoded, not mojibake
    a = analyze_rows(loaded)
    assert a["status"].tolist() == ["ok", "ok"] and a["outlet"].tolist() == ["A", "B"]


def test_invalid_utf8_bytes_in_one_csv_row(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes(b"outlet,text\nA,\"" + NEWS.encode() + b"\"\nB,\"Bad \xff\xfe bytes here. More.\"\nC,\""
                  + NEWS.encode() + b" Three.\"\n")
    a = analyze_rows(biascmp.read_articles(f))
    assert a["status"].tolist() == ["ok", "decode_error", "ok"]
    assert "bad.csv" in a["status_detail"].iloc[1] and "encoding=" in a["status_detail"].iloc[1]
    assert pd.isna(a["n_words"].iloc[1]) and a["n_words"].iloc[[0, 2]].gt(0).all()


def test_five_mb_article_small_cap_is_too_long():
    big = "The mayor said the plan was fine. " * 150_000
    assert len(big) > 5_000_000
    a = analyze_rows(pd.DataFrame({"outlet": ["A", "B"], "text": [big, NEWS]}), max_chars=10_000)
    assert a["status"].tolist() == ["too_long", "ok"]
    assert f"{len(big):,}" in a["status_detail"].iloc[0] and "max_chars=10,000" in a["status_detail"].iloc[0]
    assert pd.isna(a["sentiment_mean"].iloc[0])


@pytest.mark.slow
def test_five_mb_article_is_measured_when_the_cap_is_raised():
    big = "The mayor said the plan was fine. " * 150_000
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [big]}), max_chars=6_000_000)
    assert a["status"].item() == "ok" and a["n_words"].item() == 7 * 150_000


@pytest.mark.parametrize("lang, status", [("es", "not_english"), ("zh-CN", "not_english"), ("en", "ok"),
                                          ("en-GB", "ok"), ("und", "ok"), ("", "ok")])
def test_language_column(lang, status):
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [NEWS], "language": [lang]}))
    assert a["status"].item() == status
    if status != "ok":
        assert "language column" in a["status_detail"].item() and pd.isna(a["sentiment_mean"].item())


def test_language_column_und_still_detects_spanish():
    es = ("El alcalde de Chicago dijo que la ciudad no cooperará con los agentes federales. La gobernadora "
          "pidió calma y dijo que la policía estaba preparada para proteger a los residentes.")
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [es], "language": ["und"]}))
    assert a["status"].item() == "not_english"


def test_an_input_status_column_is_kept_apart():
    df = pd.DataFrame({"outlet": ["A"], "text": [NEWS], "status": ["published"], "status_detail": ["front page"]})
    a = analyze_rows(df)
    assert a["status"].item() == "ok" and a["input_status"].item() == "published"


def test_statuses_survive_a_second_pass():
    """analyze(read_articles(x)) must not forget the statuses read_articles gave."""
    df = pd.DataFrame({"outlet": ["A", "A", "B"], "text": [NEWS, NEWS, ""]})
    first = biascmp.read_articles(df)
    a = analyze_rows(first)
    assert a["status"].tolist() == first["status"].tolist() == ["ok", "duplicate_text", "empty_text"]


# ------------------------------------------------------------------------------------------- regex guards, status
_PUNCT_RUNS = ['"' * 200_000, "." * 200_000, "“" * 100_000 + "”" * 100_000, "-" * 200_000, "!?" * 100_000]


@pytest.mark.parametrize("text", _PUNCT_RUNS)
def test_long_punctuation_runs_get_no_prose(text):
    a = analyze_rows(pd.DataFrame({"outlet": ["A", "B"], "text": [text, NEWS]}))
    assert a["status"].tolist() == ["no_prose", "ok"]  # no letters: nothing to measure


@pytest.mark.parametrize("text", [" " * 200_000 + "a", "a. " * 70_000, "Mr. " * 50_000, "a " * 100_000,
                                  "\n" * 200_000 + NEWS, "'" * 100_000 + NEWS])
def test_long_runs_with_words_finish_with_a_known_status(text):
    a = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [text]}))
    st_ = a["status"].item()
    assert st_ in {"ok", "no_prose", "not_english"}
    assert (st_ == "ok") == (a["n_words"].notna().item() and a["n_words"].item() > 0)
    if st_ != "ok":
        assert a["status_detail"].item()


def test_cli_jsonl_with_surrogate_escapes(tmp_path, capsys):
    f = tmp_path / "s.jsonl"
    f.write_text('{"outlet": "A", "text": "Bad \\ud800 escape. The mayor said so."}\n'
                 '{"outlet": "B", "text": "Fine text. The council met."}\n', encoding="utf-8")
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    assert code == 0 and pd.read_csv(tmp_path / "o.csv")["status"].tolist() == ["decode_error", "ok"]


def test_cli_bomless_utf16_csv(tmp_path, capsys):
    f = tmp_path / "u.csv"
    f.write_bytes(f"outlet,text\nA,\"{NEWS}\"\n".encode("utf-16-le"))
    assert biascmp.read_articles(f)["status"].tolist() == ["ok"]
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    assert code == 0 and pd.read_csv(tmp_path / "o.csv")["status"].tolist() == ["ok"]


def test_unmeasured_batch_keeps_column_order():
    empty = analyze_rows(pd.DataFrame({"outlet": ["A"], "text": [""], "title": ["t"]}))
    assert list(empty.columns) == list(_reference_articles().columns)


# ------------------------------------------------------------------------------------------- streamed = in memory
def _two_chunk_jsonl(tmp_path):
    import json

    f = tmp_path / "k.jsonl"
    f.write_text(json.dumps({"outlet": "Fox News", "text": NEWS}) + "\n"
                 + json.dumps({"outlet": " fox  NEWS ", "text": NEWS + " Two.", "section": "metro"}) + "\n",
                 encoding="utf-8")
    return f


def test_streamed_outlet_spellings_whole_file_chunk(tmp_path):
    f = _two_chunk_jsonl(tmp_path)
    analyze_to_file(f, tmp_path / "o.csv", chunksize=10, progress=False)
    o = pd.read_csv(tmp_path / "o.csv")
    assert len(o) == 2 and o["outlet"].tolist() == ["Fox News", "Fox News"] and o["section"].iloc[1] == "metro"


def test_streamed_outlet_spellings_merge_across_chunks(tmp_path):
    f = _two_chunk_jsonl(tmp_path)
    analyze_to_file(f, tmp_path / "o.csv", chunksize=1, progress=False)
    o = pd.read_csv(tmp_path / "o.csv")
    assert len(o) == 2 and o["outlet"].tolist() == ["Fox News", "Fox News"]


def test_streamed_late_columns_are_kept(tmp_path):
    f = _two_chunk_jsonl(tmp_path)
    analyze_to_file(f, tmp_path / "o.csv", chunksize=1, progress=False)
    o = pd.read_csv(tmp_path / "o.csv")
    assert len(o) == 2 and "section" in o.columns


def test_cli_same_text_in_one_chunk(tmp_path, capsys):
    f = tmp_path / "dup.csv"
    pd.DataFrame({"outlet": ["A", "A", "B"], "text": [NEWS, NEWS, NEWS]}).to_csv(f, index=False)
    code, _ = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet"], capsys)
    o = pd.read_csv(tmp_path / "o.csv")
    assert code == 0 and o["status"].tolist() == ["ok", "duplicate_text", "ok"] and o["article_id"].is_unique


def test_cli_same_text_in_two_chunks(tmp_path, capsys):
    f = tmp_path / "dup.csv"
    pd.DataFrame({"outlet": ["A", "A", "B"], "text": [NEWS, NEWS, NEWS]}).to_csv(f, index=False)
    code, err = cli(["analyze", str(f), "-o", str(tmp_path / "o.csv"), "--quiet", "--chunksize", "1"], capsys)
    assert code == 0, err
    o = pd.read_csv(tmp_path / "o.csv")
    assert o["status"].tolist() == ["ok", "duplicate_text", "ok"] and o["article_id"].is_unique


# ------------------------------------------------------------------------------------------- CLI: atomic output
@pytest.mark.parametrize("exc, code", [(OSError("disk full"), 1), (KeyboardInterrupt(), 130)])
def test_cli_failure_midway_leaves_no_output(tmp_path, capsys, monkeypatch, exc, code):
    """A crash after the first chunk was written: no output file, no .partial leftovers, no traceback."""
    from biascmp import stream

    f = tmp_path / "in.csv"
    pd.DataFrame({"outlet": ["A", "B", "C"], "text": [NEWS, NEWS + " Two.", NEWS + " Three."]}).to_csv(f, index=False)
    out = tmp_path / "out" / "o.csv"
    out.parent.mkdir()
    real, calls = stream._Writer.write, []

    def write_then_fail(self, frame):
        calls.append(len(frame))
        if len(calls) == 2:
            raise exc
        real(self, frame)

    monkeypatch.setattr(stream._Writer, "write", write_then_fail)
    got, err = cli(["analyze", str(f), "-o", str(out), "--quiet", "--chunksize", "1"], capsys)
    assert got == code and len(calls) == 2
    assert len([x for x in err.splitlines() if x.strip()]) == 1
    assert list(out.parent.iterdir()) == []  # neither o.csv nor a temporary file


def test_cli_failure_keeps_the_previous_output(tmp_path, capsys, monkeypatch):
    from biascmp import stream

    f = tmp_path / "in.csv"
    pd.DataFrame({"outlet": ["A"], "text": [NEWS]}).to_csv(f, index=False)
    out = tmp_path / "o.csv"
    assert cli(["analyze", str(f), "-o", str(out), "--quiet"], capsys)[0] == 0
    before = out.read_bytes()

    def fail(self, frame):
        raise OSError("disk full")

    monkeypatch.setattr(stream._Writer, "write", fail)
    code, err = cli(["analyze", str(f), "-o", str(out), "--quiet"], capsys)
    assert code == 1 and "disk full" in err
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]


def test_report_pdf_write_is_atomic(tmp_path, monkeypatch):
    from biascmp.reporting import render

    res = biascmp.analyze(pd.DataFrame({"outlet": ["A", "B"], "text": [NEWS, NEWS + " Two."]}))

    def half_pdf_then_boom(html, path, **kw):  # epoch=, assets= (the chart images)
        open(path, "wb").write(b"%PDF-1.7\n% truncated")
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_pdf", half_pdf_then_boom)
    with pytest.raises(OSError):
        biascmp.report(res, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_analyze_status_keeps_the_loader_notes():
    df = pd.DataFrame({"outlet": ["A"], "text": ["!!! ... ???"], "date": ["2020-02-30"]})
    assert "unparseable date" in biascmp.read_articles(df)["status_detail"].item()
    a = analyze_rows(df)
    assert a["status"].item() == "no_prose"
    assert "no prose" in a["status_detail"].item() and "unparseable date" in a["status_detail"].item()


def test_written_files_get_the_usual_permissions(tmp_path):
    """The atomic write goes through mkstemp (0600); the result must have what open() would give."""
    import os
    import stat

    from biascmp.outputs import atomic_path

    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.csv") as tmp:
            tmp.write_text("a\n", encoding="utf-8")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644
