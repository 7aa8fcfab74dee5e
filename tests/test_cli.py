"""The command line as a user meets it: help with defaults, suggestions for typos, formats from suffixes,
round trips between subcommands, and a progress bar only where someone watches."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from biascmp import progress
from biascmp.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = str(ROOT / "seeds")


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err
    return code, cap.out, cap.err


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# ------------------------------------------------------------------ help
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_option_has_help_and_shows_its_default(command):
    # measured: --resamples, --seed, --title and --by had no help text, and no option showed its default
    sub = _subparsers(build_parser())[command]
    text = sub.format_help()
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{command} {action.option_strings or action.dest} has no help text"
        if action.option_strings and not action.required:
            shown = sub._get_formatter()._get_help_string(action)
            assert shown and "default" in shown.lower(), (command, action.option_strings, shown)
    squashed = " ".join(text.split())
    if command == "compare":
        assert "(default: 2000)" in squashed and "(default: outlet)" in squashed and "(default: 0)" in squashed


def test_subcommands_are_registered_in_one_table():
    # the validity work adds `fit` the same way; the parser is built from COMMANDS
    assert set(_subparsers(build_parser())) == set(COMMANDS) >= {"analyze", "compare", "report", "demo"}


# ------------------------------------------------------------------ suggestions
def _one_line_error(code: int, err: str, expect_code: int) -> str:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert code == expect_code and len(lines) == 1, (code, err)
    return lines[0]


def test_unknown_by_column_suggests_and_lists_few(tmp_path, capsys):
    # measured: --by leanin listed about 100 columns, with no "did you mean"
    out = tmp_path / "p.csv"
    code, _, err = run(["compare", SEEDS, "--by", "leanin", "-o", str(out), "--quiet", "--resamples", "100"], capsys)
    line = _one_line_error(code, err, 2)  # a wrong argument: usage error
    assert "Did you mean 'leaning'?" in line
    listed = re.search(r"Choose from (\[.*\])", line)
    assert listed and len(eval(listed.group(1))) <= 12  # noqa: S307 - our own repr of a list of names
    assert "flesch_kincaid_grade" not in line and "n_words" not in line  # metrics are not groups
    assert not out.exists()


def test_unknown_by_on_a_raw_file_fails_before_analysis(tmp_path, capsys):
    f = tmp_path / "raw.csv"
    pd.DataFrame({"outlet": ["A", "B"], "leaning": ["left", "right"], "text": ["One. Two.", "Three."]}).to_csv(
        f, index=False)
    code, _, err = run(["report", str(f), "--by", "Leaning", "-o", str(tmp_path / "r.pdf")], capsys)
    line = _one_line_error(code, err, 2)
    assert "Did you mean 'leaning'?" in line and "raw.csv" in line and "articles:" not in err


@pytest.mark.parametrize("args, expected", [
    (["analyze", SEEDS, "-o", "{tmp}/x.csv", "--level", "sentense"], "Did you mean 'sentence'?"),
    (["analyze", SEEDS, "-o", "{tmp}/x.csv", "--families", "readability,sentimen"], "Did you mean 'sentiment'?"),
    (["compare", SEEDS, "-o", "{tmp}/x.csv", "--metrics", "sentiment_men", "--resamples", "100"],
     "Did you mean 'sentiment_mean'"),
])
def test_unknown_level_family_metric_suggest(tmp_path, capsys, args, expected):
    code, _, err = run([a.replace("{tmp}", str(tmp_path)) for a in args] + ["--quiet"], capsys)
    line = _one_line_error(code, err, 2)
    assert expected in line
    assert len(line) < 700  # a short list of choices, not every column


# ------------------------------------------------------------------ formats and round trips
def test_report_refuses_unknown_suffix_before_work(tmp_path, capsys):
    # measured: `biascmp report seeds -o r.docx` silently wrote a PDF
    code, _, err = run(["report", SEEDS, "-o", str(tmp_path / "r.docx")], capsys)
    line = _one_line_error(code, err, 2)
    assert "r.docx" in line and ".pdf or .html" in line
    assert list(tmp_path.iterdir()) == []


def test_demo_writes_only_what_was_asked(tmp_path, capsys, monkeypatch):
    # measured: `demo --html d.html` also wrote biascmp-demo.pdf in the current folder
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(["demo", "--html", "d.html"], capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.html"]
    assert (tmp_path / "d.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_analyze_output_feeds_compare_and_report(tmp_path, capsys, suffix):
    # measured: analyze -o a.csv then compare a.csv failed with "cannot insert source_file, already exists"
    table = tmp_path / f"a{suffix}"
    assert run(["analyze", SEEDS, "-o", str(table), "--quiet"], capsys)[0] == 0
    pairs = tmp_path / "p.jsonl"
    code, out, err = run(["compare", str(table), "--by", "outlet", "-o", str(pairs), "--resamples", "200",
                          "--groups-output", str(tmp_path / "g.csv")], capsys)
    assert code == 0, err
    assert out.startswith("- ")
    direct = tmp_path / "p_direct.jsonl"
    assert run(["compare", SEEDS, "--by", "outlet", "-o", str(direct), "--resamples", "200", "--quiet"],
               capsys)[0] == 0
    a, b = pd.read_json(pairs, lines=True), pd.read_json(direct, lines=True)
    cols = ["group_a", "group_b", "metric", "estimate_a", "estimate_b", "difference"]
    # the table gives exactly the numbers the raw articles give (written in their shortest exact form)
    pd.testing.assert_frame_equal(a[cols], b[cols], check_exact=True)
    code, _, err = run(["report", str(table), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 0, err
    assert "Chronicle Media" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_missing_file_is_one_message_without_a_bar(tmp_path, capsys):
    # measured: the progress bar was printed before the error ("articles: 0art ...", then "does not exist")
    for command in ("analyze", "compare"):
        code, _, err = run([command, str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.csv"), "--progress"],
                           capsys)
        line = _one_line_error(code, err, 1)
        assert "nope.jsonl" in line and "does not exist" in line and "art" not in err.split("error:")[0]


# ------------------------------------------------------------------ progress
def _many(tmp_path: Path, n: int = 210) -> Path:
    f = tmp_path / "many.csv"
    pd.DataFrame({"outlet": [f"O{i % 3}" for i in range(n)],
                  "text": [f"Article {i} says the council met. It voted." for i in range(n)]}).to_csv(f, index=False)
    return f


def test_no_bar_in_non_interactive_stderr_unless_asked(tmp_path, capsys):
    f = _many(tmp_path)
    code, _, err = run(["analyze", str(f), "-o", str(tmp_path / "a.csv"), "--families", "readability"], capsys)
    assert code == 0 and "art/s" not in err and "210/210" not in err  # capsys stderr is not a terminal
    code, _, err = run(["analyze", str(f), "-o", str(tmp_path / "b.csv"), "--families", "readability",
                        "--progress"], capsys)
    assert code == 0 and "210/210" in err


def test_progress_uses_tqdm_auto_and_draws_lazily(monkeypatch):
    from tqdm.auto import tqdm as auto_tqdm

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    with progress.forced():
        bar = progress.ProgressBar(5)
    assert bar._bar is None and stream.getvalue() == ""  # nothing drawn before the first update
    bar.update(2)
    assert isinstance(bar._bar, auto_tqdm)
    bar.close()
    assert "2/5" in stream.getvalue()
    with progress.forced(False):
        assert not progress.ProgressBar(10_000).enabled
    assert not progress.ProgressBar(10_000).enabled  # StringIO is not a terminal


@pytest.mark.parametrize("level", ["outlet", "sentence"])
def test_other_levels_are_refused_with_a_pointer_to_the_article_level(tmp_path, capsys, level):
    table = tmp_path / f"{level}.csv"
    assert run(["analyze", SEEDS, "-o", str(table), "--level", level, "--quiet"], capsys)[0] == 0
    code, _, err = run(["compare", str(table), "-o", str(tmp_path / "p.csv"), "--quiet"], capsys)
    line = _one_line_error(code, err, 1)
    assert f"{level}-level output" in line and "--level article" in line
