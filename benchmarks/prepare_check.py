"""Equivalence dump of the prepare stage: every field of every PreparedArticle, to compare code versions.

    python benchmarks/prepare_check.py OUT.pkl [--against GOLDEN.pkl] [--code DIR]

``--code DIR`` imports biascmp from another checkout (e.g. a worktree of main, for the golden dump).

Prepares every text of the corpus below with :func:`biascmp.prepare.prepare_article` and pickles one
canonical ``repr`` per article (article_id, normalised text, title, outlet, meta, shared, and every slot of
every sentence, in order). ``repr`` of str/int/float/tuple/None/dict is canonical (floats exactly), so the
file is byte-identical when and only when the outputs are equal -- including float bits, types and the
order of meta keys. With ``--against`` it also reports the first differing articles.

Corpus (texts read by path; a missing file is reported and left out, never copied into the project):

- allsides_dev.jsonl (``text``, with ``title``), allsides_stories_dev.jsonl and nfc_dev.jsonl (text + title),
  the BABE SG1 sentences and the VADER tweets/movie-review texts (short texts, one line each);
- the seed texts of ../shared/seeds and of the project's seeds/ (with their ``# title`` if any);
- the generated corpus of benchmarks/run.py (``_texts("generated", 2000)``);
- a seeded fuzz corpus: random concatenations of quote marks, HTML, Markdown, abbreviations, dates,
  reporting verbs, odd whitespace and control characters (the edge cases the rules special-case).
"""

from __future__ import annotations

import csv
import hashlib
import json
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(ROOT))

from biascmp.prepare import prepare_article  # noqa: E402
from biascmp.records import Sentence  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
SEEDS = [Path("/work/shared/seeds"), ROOT / "seeds"]

_FUZZ_PIECES = [
    "The mayor said", " said Peters.", "“We will fight,” Lightfoot said.", " “It is open", "”", "“", '"', "'",
    "‘", "’", "«", "»", "„", " according to ABC News,", " he said.", " she told reporters.", " Mr. Smith",
    " Gov. J.B. Pritzker", " U.S. The", " No. 5", " Jan. 5, 2020", " Trump on Monday said", " … ", "...",
    " ?", "!", ". ", ".\n", "\n\n", "\n\n\n", "\r\n", "\u2028", "\t", "\u00a0", "\u200b", "\x00", "\x85",
    "<p>", "</p>", "<b>bold</b>", "&amp;", "&quot;", "&#8220;", "<script>x</script>", "**strong**",
    "[link](http://x.y)", "# Heading\n", "- item\n", "> quote\n", "By Kevin Beese Staff reporter\n",
    "Advertisement\n", "date 2020-07-27 ", "From The Daily Wire:\n", "(AP Photo/Evan Vucci)\n",
    "VOTER SUPPRESSION\n", "What’s next\n", "Officials said", " the president said,", " Theresa May said",
    "5'10\" tall", " e.g. ", " Inc. The", " etc. He", " 3.5 percent", " Dijo que la ciudad", " Путин сказал",
    " 北京", "é", "e\u0301", " Super Tuesday said", " sources say", " It", " “I", " ”he said.",
    "\ud800", "  ", " - ", "—", " (", ")", " According to", " Reported by", " Photo: AP",
    "\ndate 2020-07-27, 10:00 ESTXsaid the mayor", "\nposted 2020-07-27, 10:00 ESTsaid he", "\nUpdated 1/2/2020",
    "\ndate 2020-07-27said Peters", " Getty Images", " via Getty", "Reuters/John Doe\n", " (AP Photo) ",
    "\nJan. 5, 2020 CHICAGO said", "\nBy Kevin Beese\n", " WASHINGTON (AP) — ",
]


def _fuzz(n: int, seed: int = 11, most: int = 60) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_FUZZ_PIECES) for _ in range(rng.randint(1, most))) for _ in range(n)]


def corpus() -> list[tuple[str, str, str | None]]:
    """(article_id, text, title) of every text of the check."""
    out: list[tuple[str, str, str | None]] = []

    def jsonl(name: str) -> None:
        path = DATA / name
        if not path.exists():
            print(f"missing {path}: left out", file=sys.stderr)
            return
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if line.strip():
                    row = json.loads(line)
                    title = row.get("title")
                    out.append((f"{name}:{i}", str(row["text"]), title if isinstance(title, str) else None))

    jsonl("allsides_dev.jsonl")
    jsonl("allsides_stories_dev.jsonl")
    jsonl("nfc_dev.jsonl")
    babe = DATA / "babe_sg1_dev.csv"
    if babe.exists():
        with open(babe, encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                out.append((f"babe:{i}", row.get("text") or row.get("sentence") or "", None))
    for name in ("vader_tweets_GroundTruth.tsv", "vader_movie_reviews_GroundTruth.tsv"):
        path = DATA / name
        if path.exists():
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                for i, line in enumerate(f):
                    parts = line.rstrip("\n").split("\t", 2)
                    if len(parts) == 3:
                        out.append((f"{name}:{i}", parts[2], None))
    for d in SEEDS:
        for p in sorted(d.glob("*.txt")):
            out.append((f"{d}/{p.name}", p.read_text(encoding="utf-8"), None))
    from run import _texts

    out.extend((f"gen:{i}", t, None) for i, t in enumerate(_texts("generated", 2000)))
    out.extend((f"fuzz:{i}", t, None) for i, t in enumerate(_fuzz(3000)))
    out.extend((f"fuzzlong:{i}", t, None) for i, t in enumerate(_fuzz(600, seed=12, most=400)))
    # each title as a text of its own, and a text with a title equal to its first line
    out.extend((f"title:{i}", title, title) for i, (_, _, title) in enumerate(list(out)) if title)
    return out


def canonical(art) -> str:
    sents = tuple(tuple(getattr(s, f) for f in Sentence.__slots__) for s in art.sentences)
    return repr((art.article_id, art.text, art.title, art.outlet, art.meta, art.shared, sents))


def main(argv: list[str]) -> int:
    out_path = Path(argv[0])
    golden = Path(argv[argv.index("--against") + 1]) if "--against" in argv else None
    texts = corpus()
    t0 = time.perf_counter()
    dump = [canonical(prepare_article(aid, text, title=title, outlet="o")) for aid, text, title in texts]
    spent = time.perf_counter() - t0
    blob = pickle.dumps(dump, protocol=4)
    out_path.write_bytes(blob)
    import biascmp

    print(f"biascmp from {Path(biascmp.__file__).parent}")
    print(f"{len(dump)} articles prepared in {spent:.1f} s; sha256 {hashlib.sha256(blob).hexdigest()[:16]}"
          f" -> {out_path}")
    if golden is not None:
        gold_blob = golden.read_bytes()
        if gold_blob == blob:
            print(f"IDENTICAL to {golden}")
            return 0
        gold = pickle.loads(gold_blob)
        bad = [i for i, (a, b) in enumerate(zip(gold, dump, strict=False)) if a != b]
        print(f"DIFFERENT from {golden}: {len(bad)} articles differ (of {len(dump)}, golden {len(gold)})")
        for i in bad[:5]:
            a, b = gold[i], dump[i]
            k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
            print(f"  {texts[i][0]}: golden ...{a[max(0, k - 150):k + 150]!r}\n{'':10}new ...{b[max(0, k - 150):k + 150]!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
