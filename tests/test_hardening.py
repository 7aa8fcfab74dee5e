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
    a = biascmp.read_articles(f)
    assert a["status"].tolist() == ["ok", "decode_error"]
    out = tmp_path / "o.csv"
    biascmp.stream.analyze_to_file(f, out, chunksize=1)
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
    assert set(a["status"]) <= {"ok", "no_prose"}


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
    assert b["article_id"].is_unique and b["status"].tolist() == ["ok", "duplicate_text"]


def test_duplicate_given_ids_are_listed():
    with pytest.raises(InputError, match=r"duplicate article_id values \['x'\]"):
        biascmp.read_articles(pd.DataFrame({"article_id": ["x", "x"], "outlet": ["A", "B"], "text": [NEWS, "Other."]}))


def test_outlet_spellings_and_aliases(tmp_path):
    df = pd.DataFrame({"outlet": ["Fox News", " fox  news ", "FOX NEWS", "Fox Online News", None, "CNN"],
                       "text": [f"{NEWS} {i}." for i in range(6)]})
    a = biascmp.read_articles(df, outlet_aliases={"Fox Online News": "Fox News"})
    assert a["outlet"].tolist() == ["Fox News"] * 4 + ["(unknown)", "CNN"]
    assert a["outlet_raw"].iloc[1] == " fox  news " and "outlet missing" in a["status_detail"].iloc[4]
    y = tmp_path / "aliases.yaml"
    y.write_text("Fox News: [Fox Online News]\n", encoding="utf-8")
    assert biascmp.read_articles(df, outlet_aliases=y)["outlet"].iloc[3] == "Fox News"


def test_dates_in_many_formats_and_impossible_dates():
    raw = ["2020-07-27", "July 27, 2020", "27 Jul 2020", "2020-07-27T10:00:00-05:00", 1595808000, "2020-02-30",
           "not a date", None]
    a = biascmp.read_articles(pd.DataFrame({"outlet": ["A"] * 8, "text": [f"{NEWS} {i}." for i in range(8)],
                                            "date": raw}))
    d = a["date"]
    assert all(x == pd.Timestamp("2020-07-27") for x in d.iloc[:3])
    assert d.iloc[3] == pd.Timestamp("2020-07-27 15:00")  # converted to UTC
    assert d.iloc[4] == pd.Timestamp("2020-07-27")  # epoch seconds
    assert d.iloc[5:].isna().all()
    assert (a["status"] == "ok").all()  # a bad date does not stop the text from being measured
    assert "unparseable date '2020-02-30'" in a["status_detail"].iloc[5]
    assert a["status_detail"].iloc[7] == ""  # missing is not an error


# ------------------------------------------------------------------------------------------- fuzz
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=30)),
                          st.one_of(st.none(), st.text(max_size=40))), min_size=1, max_size=4))
def test_fuzz_analyze_never_crashes_and_keeps_schema(rows):
    df = pd.DataFrame({"text": [r[0] for r in rows], "outlet": [r[1] for r in rows], "title": [r[2] for r in rows]})
    res = biascmp.analyze(df)
    assert len(res.articles) == len(df)
    ref = biascmp.analyze(pd.DataFrame({"outlet": ["A"], "text": [NEWS], "title": ["t"]}))
    assert set(ref.articles.columns) <= set(res.articles.columns)
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
