"""Command line: ``biascmp analyze|compare|report|demo`` (also ``python -m biascmp``).

Exit codes: 0 ok, 1 data error (bad input file, missing column, ...), 2 usage error.
Errors are printed as one message, never as a traceback (set BIASCMP_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__

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


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--columns", nargs="+", metavar="SRC=DST",
                   help="rename input columns, e.g. --columns source=outlet content=text")
    p.add_argument("--encoding", default=None, help="input text encoding (default: UTF-8, with or without BOM)")
    p.add_argument("--actors", default=None, metavar="FILE", help="actors and aliases (YAML or CSV)")
    p.add_argument("--lexicon", action="append", default=None, metavar="FAMILY=FILE",
                   help="replace a built-in lexicon (policy_frames, generic_frames, loaded, attribution, terms) "
                        "with your CSV; repeat for several")
    p.add_argument("--outlet-aliases", default=None, metavar="FILE",
                   help="YAML/CSV mapping of outlet spellings to one name")
    p.add_argument("--families", default=None, metavar="NAME,...",
                   help="run only these metric families (readability, sentiment, framing, loaded, attribution, "
                        "terms, actors); default all")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="biascmp", description="Compare how news outlets cover the same story.")
    parser.add_argument("--version", action="version", version=f"biascmp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("analyze", help="measure articles; write article/sentence/outlet tables")
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="CSV, JSONL, Parquet, folder or glob of .txt/.md")
    a.add_argument("-o", "--output", required=True, help="output file: .csv, .parquet or .jsonl")
    a.add_argument("--level", default="article",
                   choices=["article", "sentence", "outlet", "evidence", "speakers", "actors", "terms"])
    a.add_argument("--chunksize", type=int, default=None,
                   help="stream the input in chunks of this many articles (bounded memory)")
    a.add_argument("--no-safe-csv", action="store_true",
                   help="do not neutralise spreadsheet formulas (=, +, -, @) in CSV cells")
    a.add_argument("--story", default=None, choices=["auto"],
                   help="auto: match same-story articles across outlets and add a story column "
                        "(reads the whole input first: memory is no longer bounded by --chunksize)")
    _common(a)

    c = sub.add_parser("compare", help="compare groups of articles with CIs, effect sizes and q-values")
    c.add_argument("inputs", nargs="+", metavar="INPUT")
    c.add_argument("-o", "--output", required=True, help="pairs table: .csv, .parquet or .jsonl")
    c.add_argument("--by", default="outlet", help="article column that defines the groups")
    c.add_argument("--story", default=None, help="column that groups articles about one event (paired analysis); "
                                                 "auto: match same-story articles across outlets first")
    c.add_argument("--baseline", default=None, help="compare each group against this one")
    c.add_argument("--metrics", nargs="+", default=None, help="metric columns (default: the registry's)")
    c.add_argument("--resamples", type=int, default=2000)
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--groups-output", default=None, help="also write the per-group table here")
    c.add_argument("--findings-output", default=None, help="also write the findings here")
    _common(c)

    r = sub.add_parser("report", help="render the comparative PDF (and HTML) report")
    r.add_argument("inputs", nargs="+", metavar="INPUT")
    r.add_argument("-o", "--output", required=True, help="report path (.pdf or .html)")
    r.add_argument("--html", default=None, help="also write the HTML version here")
    r.add_argument("--title", default=None)
    r.add_argument("--by", default="outlet")
    r.add_argument("--story", default=None, help="story column, or auto to match same-story articles")
    r.add_argument("--articles", default="top", help="per-article pages: top, all or a number")
    r.add_argument("--templates", default=None, help="folder with your own Jinja templates")
    _common(r)

    d = sub.add_parser("demo", help="render the report for the built-in seed corpus")
    d.add_argument("-o", "--output", default="biascmp-demo.pdf")
    d.add_argument("--html", default=None)
    return parser


def _analysis(args: argparse.Namespace) -> Any:
    from .analysis import analyze

    kw: dict[str, Any] = {}
    if getattr(args, "outlet_aliases", None):
        kw["outlet_aliases"] = args.outlet_aliases
    if args.encoding:
        kw["encoding"] = args.encoding
    if getattr(args, "story", None) == "auto":  # same-story matching (biascmp/stories.py)
        kw["story"] = "auto"
    return analyze(_source(args.inputs), columns=_parse_columns(args.columns), actors=args.actors,
                   lexicons=_parse_lexicons(args.lexicon), families=args.families, n_jobs=args.jobs, progress=not args.quiet, **kw)


def _story_column(args: argparse.Namespace) -> str | None:
    """--story auto: the analysis holds matched ids in its ``story`` column."""
    return "story" if args.story == "auto" else args.story


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .stream import analyze_to_file

    kw: dict[str, Any] = {}
    if getattr(args, "outlet_aliases", None):
        kw["outlet_aliases"] = args.outlet_aliases
    if args.encoding:
        kw["encoding"] = args.encoding
    if args.chunksize is not None and args.chunksize < 1:
        raise UsageError(f"--chunksize must be a positive number of articles, got {args.chunksize}")
    source, cols = _source(args.inputs), _parse_columns(args.columns)
    if args.story == "auto":  # stories need the whole corpus: read it, match, then stream the frame
        from .io import read_articles
        from .stories import add_stories

        source, _ = add_stories(read_articles(source, columns=cols, **kw), "auto")
        cols, kw = None, {}
    # always streamed: memory is bounded by --chunksize, rows are written as they are measured and the
    # output file appears only when the run is complete
    summary = analyze_to_file(source, args.output, level=args.level,
                              chunksize=args.chunksize or 1000, n_jobs=args.jobs,
                              columns=cols, actors=args.actors,
                              lexicons=_parse_lexicons(args.lexicon), families=args.families, safe_csv=not args.no_safe_csv, progress=not args.quiet, **kw)
    not_ok = {k: v for k, v in summary.statuses.items() if k != "ok"}
    detail = ", ".join(f"{v} {k}" for k, v in sorted(not_ok.items())) or "all ok"
    print(f"biascmp: {summary.n_rows} articles in, {summary.n_rows} article rows accounted for ({detail}); "
          f"wrote {summary.n_written} {args.level} rows to {args.output}", file=sys.stderr)
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from .comparison import compare
    from .outputs import write_frame

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


def _cmd_report(args: argparse.Namespace) -> int:
    from .reporting import report

    res = _analysis(args)
    articles: Any = args.articles
    if isinstance(articles, str) and articles.isdigit():
        articles = int(articles)
    out = Path(args.output)
    fmt = "html" if out.suffix.lower() in (".html", ".htm") else "pdf"
    kw = dict(title=args.title, by=args.by, story=_story_column(args), articles=articles, templates=args.templates)
    report(res, out, format=fmt, **kw)
    if args.html:
        report(res, args.html, format="html", **kw)
    print(f"biascmp: wrote {out}" + (f" and {args.html}" if args.html else ""), file=sys.stderr)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .datasets import seeds_path
    from .reporting import report

    res = analyze(seeds_path())
    report(res, args.output, format="pdf", title="biascmp demo: four outlets on Chicago and federal law enforcement")
    if args.html:
        report(res, args.html, format="html", title="biascmp demo: four outlets on Chicago and federal law enforcement")
    print(f"biascmp: wrote {args.output}" + (f" and {args.html}" if args.html else ""), file=sys.stderr)
    return EXIT_OK


COMMANDS = {"analyze": _cmd_analyze, "compare": _cmd_compare, "report": _cmd_report, "demo": _cmd_demo}


def main(argv: Sequence[str] | None = None) -> int:
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
        return COMMANDS[args.command](args)
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
