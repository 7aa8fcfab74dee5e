"""Test material for the readability and sentiment kernels: seed articles, a corpus generated from the
seeds' sentences, hand-built articles with edge-case sentences, and hypothesis strategies."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import strategies as st

from biascmp.prepare import prepare_article
from biascmp.records import PreparedArticle, Sentence

REPO = Path(__file__).resolve().parents[1]


def seed_articles() -> list[PreparedArticle]:
    return [prepare_article(p.stem, p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]


def seed_sentences() -> list[str]:
    return [s.text for a in seed_articles() for s in a.sentences if s.kind == "prose"]


def generated_articles(n: int, seed: int = 0) -> list[PreparedArticle]:
    """Articles of 2-40 of the seeds' sentences in random order and paragraphs, some sentences cut,
    upper-cased or joined without their final stop (so textstat's pieces cross sentences)."""
    sents = seed_sentences()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts = []
        for _ in range(rng.randint(2, 40)):
            s = rng.choice(sents)
            roll = rng.random()
            if roll < 0.1:
                s = s.upper()
            elif roll < 0.2:
                s = s.rstrip(".!?\"”")
            elif roll < 0.25:
                s = " ".join(s.split()[: rng.randint(1, 4)])
            parts.append(s)
        paras = []
        k = 0
        while k < len(parts):
            step = rng.randint(1, 4)
            paras.append(" ".join(parts[k:k + step]))
            k += step
        out.append(prepare_article(f"g{i}", "\n\n".join(paras)))
    return out


def article(sentences: list[str], *, kinds: list[str] | None = None, quotes: list[float] | None = None,
            paragraphs: list[int] | None = None, article_id: str = "x") -> PreparedArticle:
    """A prepared article built by hand (no segmenter in between), sentences joined by spaces."""
    text = ""
    sents = []
    for i, s in enumerate(sentences):
        start = len(text) + (1 if text else 0)
        text = f"{text} {s}" if text else s
        sents.append(Sentence(index=i, text=s, start=start, end=start + len(s),
                              paragraph=paragraphs[i] if paragraphs else 0,
                              kind=kinds[i] if kinds else "prose",
                              in_quote=quotes[i] if quotes else 0.0))
    return PreparedArticle(article_id=article_id, text=text, sentences=sents)


EDGE_SENTENCES = [
    "", " ", "...", "!!!", "?!?", "—", "\"“”\"", ". . .", "!", "?",
    "😀", "I love it 😀!", "😡😡 terrible 😡", ":) :( :D", "<3",
    "x" * 300, "Supercalifragilisticexpialidocious" * 20 + ".",
    "THIS IS ALL CAPS AND GREAT!!!", "NOT GOOD at all.", "Very GOOD but BAD",
    "Zürich’s naïve café owners were not happy.", "東京の天気は良い。", "Ça va très bien, merci!",
    "U.S. officials said 3.5 million people (D-Chicago) left... Really?", "e.g. Mr. Smith isn't here.",
    "It was the shit, kind of, at least not bad.", "He never so much as smiled, without doubt.",
    "No problem or worries.", "The food was good but the service was horrible!!",
    "rock'n'roll ' '' don't 'tis it's", "_ __ a_b 1,000 50% $20", "\t\ttabs\tand\u00a0nbsp\u3000wide",
    "a NUL\x00inside a good token", "\x00", "bad \x00 sentinel-like token",  # the one-by-one split path
]


def _token() -> st.SearchStrategy[str]:
    words = ["good", "bad", "great", "horrible", "not", "never", "no", "nor", "or", "but", "BUT", "very",
             "extremely", "kind", "of", "least", "at", "so", "this", "without", "doubt", "the", "shit",
             "bomb", "kiss", "death", "cut", "mustard", "love", "hate", "LOVE", "Good", "GREAT", "isn't",
             "don't", "cannot", "barely", "hardly", "sort", "somewhat", "U.S.", "Mr.", "3.5", "e.g.",
             "...", "!", "?", "!!", "??", "?!", "—", "“quoted”", "'single'", "(D-Chicago)", "naïve", "Zürich",
             "東京", "😀", "😡", ":)", ":(", ":D", "<3", "x" * 40, "a", "I", "it", "was", "and", "well-known",
             "happy.", "sad!", "ok?", "wow!!!", "Lol", "meh", "1,000", "50%", "_", "'", "''", "it's", "'tis"]
    return st.one_of(st.sampled_from(words),
                     st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6))


def sentence_text() -> st.SearchStrategy[str]:
    seps = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", "\u3000"])
    return st.lists(st.tuples(_token(), seps), min_size=0, max_size=30).map(
        lambda parts: "".join(t + s for t, s in parts).strip(" "))


def hand_articles() -> st.SearchStrategy[list[PreparedArticle]]:
    """Chunks of 1-4 hand-built articles of 0-8 sentences (any text, kinds, quote shares, paragraphs)."""
    sent = st.tuples(sentence_text(), st.sampled_from(["prose", "prose", "prose", "headline", "caption"]),
                     st.sampled_from([0.0, 0.0, 0.3, 0.5, 1.0]), st.integers(0, 2))

    def build(arts: list[list[tuple[str, str, float, int]]]) -> list[PreparedArticle]:
        return [article([s[0] for s in a], kinds=[s[1] for s in a], quotes=[s[2] for s in a],
                        paragraphs=sorted(s[3] for s in a), article_id=f"h{i}") for i, a in enumerate(arts)]

    return st.lists(st.lists(sent, min_size=0, max_size=8), min_size=1, max_size=4).map(build)
