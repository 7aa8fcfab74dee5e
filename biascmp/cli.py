"""Command line: ``biascmp analyze|compare|report|demo`` (also ``python -m biascmp``).

Exit codes: 0 ok, 1 data error (bad input file, missing column, ...), 2 usage error.
Errors are printed as one message, never as a traceback (set BIASCMP_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from ._validation import unknown_choice

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parse_pairs(pairs: Sequence[str] | None, expects: str) -> dict[str, str] | None:
    """KEY=VALUE arguments as a dict; ``expects`` names the option and shows an example."""
    if not pairs:
        return None
    out = {}
    for p in pairs:
        if "=" not in p or p.startswith("=") or p.endswith("="):
            raise UsageError(f"{expects}, got {p!r}")
        key, value = p.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def _parse_columns(pairs: Sequence[str] | None) -> dict[str, str] | None:
    return _parse_pairs(pairs, "--columns expects src=dst pairs (e.g. content=text)")


def _parse_lexicons(pairs: Sequence[str] | None) -> dict[str, str] | None:
    return _parse_pairs(pairs, "--lexicon expects FAMILY=FILE (e.g. loaded=my_loaded.csv)")


def _source(inputs: Sequence[str]) -> Any:
    return inputs[0] if len(inputs) == 1 else list(inputs)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, with every option's default shown: ``(default: X)`` appended unless the help text
    already says what the default is; flags read ``(default: off)``."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default is argparse.SUPPRESS or action.required or not action.option_strings:
            return text
        if "default" in text.lower():
            return text
        if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
            return f"{text} (default: {'on' if action.default else 'off'})"
        if action.default is None:
            return f"{text} (default: none)"
        return f"{text} (default: %(default)s)"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--columns", nargs="+", metavar="SRC=DST",
                   help="rename input columns, e.g. --columns source=outlet content=text (default: names as they are)")
    p.add_argument("--encoding", default=None, help="input text encoding (default: UTF-8, with or without BOM)")
    p.add_argument("--actors", default=None, metavar="FILE",
                   help="actors and aliases (YAML or CSV) (default: proposed from the articles)")
    p.add_argument("--lexicon", action="append", default=None, metavar="FAMILY=FILE",
                   help="replace a built-in lexicon (policy_frames, generic_frames, loaded, attribution, terms) "
                        "with your CSV; repeat for several (default: the built-in lexicons)")
    p.add_argument("--outlet-aliases", default=None, metavar="FILE",
                   help="YAML/CSV mapping of outlet spellings to one name (default: case and spacing merged only)")
    p.add_argument("--families", default=None, metavar="NAME,...",
                   help="run only these metric families (readability, sentiment, framing, loaded, attribution, "
                        "terms, actors) (default: all)")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: all cores)")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true",
                     help="show a progress bar even when stderr is not a terminal (default: only on a terminal)")
    bar.add_argument("--quiet", action="store_true", help="no progress bar")


LEVELS = ("article", "sentence", "outlet", "evidence", "speakers", "actors", "terms")
TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Command:
    """A subcommand: its one-line help, a function adding its arguments, and the function running it."""

    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


def _analyze_arguments(a: argparse.ArgumentParser) -> None:
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="CSV, JSONL, Parquet, folder or glob of .txt/.md")
    a.add_argument("-o", "--output", required=True, help="output file: .csv, .parquet or .jsonl")
    a.add_argument("--level", default="article", metavar="LEVEL",
                   help="which table to write: " + ", ".join(LEVELS))
    a.add_argument("--chunksize", type=int, default=1000,
                   help="stream the input in chunks of this many articles (bounded memory)")
    a.add_argument("--no-safe-csv", action="store_true",
                   help="do not neutralise spreadsheet formulas (=, +, -, @) in CSV cells")
    a.add_argument("--story", default=None, choices=["auto"],
                   help="auto: match same-story articles across outlets and add a story column "
                        "(reads the whole input first: memory is no longer bounded by --chunksize)")
    _common(a)


def _input_help(what: str) -> str:
    return (f"raw articles (CSV, JSONL, Parquet, folder or glob of .txt/.md; analysed first) or the article "
            f"table that 'biascmp analyze' wrote (read as it is); {what}")


def _compare_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("inputs", nargs="+", metavar="INPUT", help=_input_help("compared by --by"))
    c.add_argument("-o", "--output", required=True, help="pairs table: .csv, .parquet or .jsonl")
    c.add_argument("--by", default="outlet", help="article column that defines the groups (outlet, leaning, ...)")
    c.add_argument("--story", default=None,
                   help="column that groups articles about one event: paired, within-story comparison; "
                        "auto: match same-story articles across outlets first (default: none, articles "
                        "compared as they are)")
    c.add_argument("--baseline", default=None, help="compare each group against this one (default: all pairs)")
    c.add_argument("--metrics", nargs="+", default=None,
                   help="metric columns to compare (default: the registry's comparable metrics)")
    c.add_argument("--resamples", type=int, default=2000,
                   help="bootstrap resamples and permutations per test (at least 100)")
    c.add_argument("--seed", type=int, default=0, help="random seed: same input and seed, same numbers")
    c.add_argument("--groups-output", default=None,
                   help="also write the per-group table (estimates with CIs) here (default: not written)")
    c.add_argument("--findings-output", default=None, help="also write the findings here (default: not written)")
    _common(c)


def _report_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("inputs", nargs="+", metavar="INPUT", help=_input_help("reported by --by"))
    r.add_argument("-o", "--output", required=True, help="report file: .pdf or .html (the suffix sets the format)")
    r.add_argument("--html", default=None, help="also write the HTML version here (default: not written)")
    r.add_argument("--title", default=None, help="the cover title (default: derived from the data)")
    r.add_argument("--by", default="outlet", help="article column that defines the groups")
    r.add_argument("--story", default=None,
                   help="column that groups articles about one event, or auto to match same-story articles "
                        "across outlets (default: none)")
    r.add_argument("--articles", default="top", help="per-article pages: top, all or a number")
    r.add_argument("--templates", default=None,
                   help="folder with your own Jinja templates (default: the shipped ones)")
    _common(r)


def _demo_arguments(d: argparse.ArgumentParser) -> None:
    d.add_argument("-o", "--output", default=None,
                   help="PDF report path (default: biascmp-demo.pdf, unless only --html is given)")
    d.add_argument("--html", default=None, help="HTML report path (default: not written)")


COMMANDS: dict[str, Command] = {}


def register(name: str, command: Command) -> None:
    """Add a subcommand ``biascmp NAME``: its arguments, help and run function (returning the exit code).

    The built-in subcommands are registered below; a new one (e.g. ``fit``) is one more call.
    """
    COMMANDS[name] = command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="biascmp", description="Compare how news outlets cover the same story.",
                                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"biascmp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        cmd.arguments(sub.add_parser(name, help=cmd.help, description=cmd.description or cmd.help,
                                     formatter_class=HelpFormatter))
    return parser


def _check_table_output(path: str, option: str = "-o/--output") -> None:
    if Path(path).suffix.lower() not in TABLE_SUFFIXES:
        raise UsageError(f"Invalid {option} {path!r}: use a .csv, .parquet or .jsonl file (the suffix sets "
                         "the format)")


def _fit_arguments(f: argparse.ArgumentParser) -> None:
    """``biascmp fit LABELLED.csv --family loaded -o my_loaded.csv`` (biascmp.fit.fit_lexicon)."""
    f.add_argument("input", metavar="LABELLED.csv", help="CSV with a text column and a label column")
    f.add_argument("--family", required=True, choices=["loaded", "frames"],
                   help="loaded: binary labels (plug in with --lexicon loaded=FILE); frames: labels naming "
                        "policy-frame dimensions (--lexicon policy_frames=FILE)")
    f.add_argument("-o", "--output", required=True, help="the fitted lexicon CSV to write")
    f.add_argument("--text-column", default="text", help="column holding the texts")
    f.add_argument("--label-column", default="label", help="column holding the labels")
    f.add_argument("--positive", default=None, help="loaded: the label of loaded texts (others are 0)")
    f.add_argument("--negative", default=None,
                   help="loaded: the label of not-loaded texts; rows with other labels are left out (counted)")
    f.add_argument("--penalty", default="l2", choices=["l1", "l2"], help="regularisation of the logistic regression")
    f.add_argument("--min-df", type=int, default=2, help="an n-gram needs this many texts (default 2)")


def _cmd_fit(args: argparse.Namespace) -> int:
    from .fit import PLUGS_INTO, fit_lexicon, read_labelled
    from .lexicons import write_lexicon

    texts, labels, note = read_labelled(args.input, family=args.family, text_column=args.text_column,
                                        label_column=args.label_column, positive=args.positive,
                                        negative=args.negative)
    print(f"biascmp fit: {note}", file=sys.stderr)
    lex = fit_lexicon(texts, labels, family=args.family, penalty=args.penalty, min_df=args.min_df)
    write_lexicon(lex, args.output)
    print(f"biascmp fit: wrote {args.output} ({len(lex.entries)} entries); {lex.provenance.rsplit('; ', 2)[-2]}. "
          f"Use it with --lexicon {PLUGS_INTO[args.family]}={args.output}", file=sys.stderr)
    return EXIT_OK




def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise UsageError(unknown_choice("--level", level, LEVELS))


def _check_families(families: str | None) -> None:
    if families is None:
        return
    from .registry import FAMILIES

    for f in (x.strip() for x in families.split(",")):
        if f and f not in FAMILIES:
            raise UsageError(unknown_choice("--families entry", f, FAMILIES))


def _progress(args: argparse.Namespace) -> Any:
    """The progress setting: forced on (--progress), off (--quiet) or automatic (terminals only)."""
    from .progress import forced

    return forced(True if args.progress else False if args.quiet else None)


def _check_group_columns(args: argparse.Namespace) -> None:
    """--by/--story checked against a single input file's columns before minutes of analysis (compare()
    checks again, against the analysed table, for every other input)."""
    from .io import CANONICAL
    from .registry import names
    from .reload import columns_of, is_article_table

    if len(args.inputs) != 1 or is_article_table(args.inputs[0]):  # an article table is read in a second
        return
    cols = columns_of(args.inputs[0])
    if cols is None:
        return
    renamed = _parse_columns(args.columns) or {}
    known = [renamed.get(c, c) for c in cols] + [c for c in CANONICAL if c not in cols]
    from .comparison import _NOT_GROUPS

    metrics = set(names("article"))
    for option, value in (("--by", args.by), ("--story", None if args.story == "auto" else args.story)):
        if value is not None and value not in known and value not in metrics:
            relevant = [c for c in known if c not in _NOT_GROUPS and c not in metrics]
            raise UsageError(unknown_choice(option, value, known, relevant=relevant,
                                            what=f"not a column of {args.inputs[0]!r}"))


def _analysis(args: argparse.Namespace) -> Any:
    """The Analysis of the inputs: an article table biascmp wrote is read as it is, raw articles are analysed."""
    from .reload import load_source

    _check_families(args.families)
    kw: dict[str, Any] = {}
    if getattr(args, "outlet_aliases", None):
        kw["outlet_aliases"] = args.outlet_aliases
    if args.encoding:
        kw["encoding"] = args.encoding
    if getattr(args, "story", None) == "auto":  # same-story matching (biascmp/stories.py)
        kw["story"] = "auto"
    with _progress(args):
        return load_source(_source(args.inputs), columns=_parse_columns(args.columns), actors=args.actors,
                           lexicons=_parse_lexicons(args.lexicon), families=args.families, n_jobs=args.jobs,
                           progress=True, **kw)


def _story_column(args: argparse.Namespace) -> str | None:
    """--story auto: the analysis holds matched ids in its ``story`` column."""
    return "story" if args.story == "auto" else args.story


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .stream import analyze_to_file

    _check_level(args.level)
    _check_table_output(args.output)
    _check_families(args.families)
    kw: dict[str, Any] = {}
    if getattr(args, "outlet_aliases", None):
        kw["outlet_aliases"] = args.outlet_aliases
    if args.encoding:
        kw["encoding"] = args.encoding
    if args.chunksize < 1:
        raise UsageError(f"--chunksize must be a positive number of articles, got {args.chunksize}")
    source, cols = _source(args.inputs), _parse_columns(args.columns)
    if args.story == "auto":  # two streamed passes: story features first, then the analysis (stream.py)
        kw["story"] = "auto"
    # always streamed: memory is bounded by --chunksize, rows are written as they are measured and the
    # output file appears only when the run is complete
    with _progress(args):
        summary = analyze_to_file(source, args.output, level=args.level,
                                  chunksize=args.chunksize, n_jobs=args.jobs,
                                  columns=cols, actors=args.actors,
                                  lexicons=_parse_lexicons(args.lexicon), families=args.families,
                                  safe_csv=not args.no_safe_csv, progress=True, **kw)
    not_ok = {k: v for k, v in summary.statuses.items() if k != "ok"}
    detail = ", ".join(f"{v} {k}" for k, v in sorted(not_ok.items())) or "all ok"
    print(f"biascmp: {summary.n_rows} articles in, {summary.n_rows} article rows accounted for ({detail}); "
          f"wrote {summary.n_written} {args.level} rows to {args.output}", file=sys.stderr)
    if summary.stories is not None:
        note = summary.stories.attrs.get("note", "")
        shared = int((summary.stories["n_outlets"] >= 2).sum()) if len(summary.stories) else 0
        print(f"biascmp: {len(summary.stories)} stories ({shared} covered by two or more outlets) written to "
              f"{summary.stories_output}" + (f". {note}" if note else ""), file=sys.stderr)
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from .comparison import compare
    from .outputs import write_frame

    for path, option in ((args.output, "-o/--output"), (args.groups_output, "--groups-output"),
                         (args.findings_output, "--findings-output")):
        if path:
            _check_table_output(path, option)
    _check_group_columns(args)
    res = _analysis(args)
    cmp = compare(res, by=args.by, story=_story_column(args), baseline=args.baseline, metrics=args.metrics,
                  n_resamples=args.resamples, seed=args.seed)
    write_frame(cmp.pairs, args.output)
    if args.groups_output:
        write_frame(cmp.groups, args.groups_output)
    if args.findings_output:
        write_frame(cmp.findings, args.findings_output)
    for line in cmp.findings["text"].head(10):
        print(f"- {line}")
    return EXIT_OK


def _report_format(path: str, option: str) -> str:
    from .reporting import format_of

    try:
        return format_of(path)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from exc


def _cmd_report(args: argparse.Namespace) -> int:
    from .reporting import report

    _report_format(args.output, "-o/--output")  # refuse a .docx before minutes of analysis
    if args.html and _report_format(args.html, "--html") != "html":
        raise UsageError(f"--html {args.html!r}: give an .html file (the PDF goes to -o)")
    _check_group_columns(args)
    res = _analysis(args)
    articles: Any = args.articles
    if isinstance(articles, str) and articles.isdigit():
        articles = int(articles)
    out = Path(args.output)
    kw = dict(title=args.title, by=args.by, story=_story_column(args), articles=articles, templates=args.templates)
    report(res, out, **kw)
    if args.html:
        report(res, args.html, **kw)
    print(f"biascmp: wrote {out}" + (f" and {args.html}" if args.html else ""), file=sys.stderr)
    return EXIT_OK


DEMO_TITLE = "biascmp demo: four outlets on Chicago and federal law enforcement"


def _cmd_demo(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .datasets import seeds_path
    from .reporting import report

    targets = [p for p in (args.output, args.html) if p] or ["biascmp-demo.pdf"]  # only what was asked for
    for p in targets:
        fmt = _report_format(p, "-o/--output" if p == args.output else "--html")
        if p == args.html and fmt != "html":
            raise UsageError(f"--html {p!r}: give an .html file")
    res = analyze(seeds_path())
    for p in targets:
        report(res, p, title=DEMO_TITLE)
    print("biascmp: wrote " + " and ".join(targets), file=sys.stderr)
    return EXIT_OK


register("analyze", Command("measure articles; write article/sentence/outlet tables", _analyze_arguments,
                             _cmd_analyze))
register("compare", Command("compare groups of articles with CIs, effect sizes and q-values",
                             _compare_arguments, _cmd_compare))
register("report", Command("render the comparative PDF (or HTML) report", _report_arguments, _cmd_report))
register("demo", Command("render the report for the built-in seed corpus", _demo_arguments, _cmd_demo))
register("fit", Command("fit a lexicon to your own labelled texts (opt-in; see biascmp.fit)", _fit_arguments,
                         _cmd_fit))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); messages go to stderr.

    Returns:
        The exit code: 0 ok, 1 data error (bad input file, missing column, ...), 2 usage error,
        130 interrupted.
    """
    from ._validation import BiascmpError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(os.environ.get("BIASCMP_DEBUG"))
    try:
        return COMMANDS[args.command].run(args)
    except UsageError as exc:
        print(f"biascmp {args.command}: usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"biascmp {args.command}: interrupted; no output was left half-written", file=sys.stderr)
        return 130
    except (BiascmpError, FileNotFoundError, PermissionError, IsADirectoryError, UnicodeError) as exc:
        if debug:
            raise
        print(f"biascmp {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except (ValueError, KeyError, TypeError) as exc:
        if debug:
            raise
        print(f"biascmp {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # never a traceback for users; BIASCMP_DEBUG=1 shows it
        if debug:
            raise
        print(f"biascmp {args.command}: unexpected error ({type(exc).__name__}): {exc}. "
              "Run again with BIASCMP_DEBUG=1 for details and report it.", file=sys.stderr)
        return EXIT_DATA
