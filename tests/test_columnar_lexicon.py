"""Columnar lexicon kernels (biascmp.columnar.framing / loaded / terms) equal their per-article
references.

Every comparison is kernel vs ``reference_chunk(biascmp.<family>.measure, ...)`` through
``assert_chunk_equal`` (floats within 1e-12, evidence and tables as sets of rows). The shared machinery
(biascmp.columnar._lex) is also checked directly against the reference tokeniser
(``biascmp.lexicons.tokens_of``), textstat's word rule and re's ``\\w``.
"""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pytest
from conftest import REPO, data_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biascmp import framing, loaded, terms
from biascmp.columnar import _lex, assert_chunk_equal, reference_chunk
from biascmp.columnar import framing as k_framing
from biascmp.columnar import loaded as k_loaded
from biascmp.columnar import terms as k_terms
from biascmp.lexicons import check_overrides, load_lexicon, tokens_of
from biascmp.prepare import prepare_article
from biascmp.readability import _words as textstat_words
from biascmp.records import Options

FAMILIES = [(framing.measure, k_framing.measure_chunk), (loaded.measure, k_loaded.measure_chunk),
            (terms.measure, k_terms.measure_chunk)]


def _ok(arts):
    return [a for a in arts if a.meta.get("status", "ok") == "ok"]


def _check(arts, options=None, chunk=None):
    options = options or Options()
    arts = _ok(arts)
    size = chunk or max(len(arts), 1)
    for lo in range(0, max(len(arts), 1), size):
        c = arts[lo:lo + size]
        for ref, ker in FAMILIES:
            assert_chunk_equal(ker(c, options=options), reference_chunk(ref, c, options=options))


def _seed_articles():
    return [prepare_article(p.stem, p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]


def _seed_sentences():
    out = []
    for p in sorted((REPO / "seeds").glob("*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            out += [s for s in re.split(r"(?<=[.!?])\s+", para) if len(s) > 20]
    return out


def test_seeds_equal_reference():
    arts = _seed_articles()
    assert len(arts) == 4
    _check(arts)
    # the kernels found something to compare: every family has evidence on the seeds
    for _ref, ker in FAMILIES:
        assert len(ker(_ok(arts), options=Options()).evidence) > 0


def test_seeds_one_article_per_chunk_equals_whole_chunk():
    arts = _ok(_seed_articles())
    for _ref, ker in FAMILIES:
        whole = ker(arts, options=Options())
        for i, a in enumerate(arts):
            one = ker([a], options=Options())
            for col, values in one.article.items():
                assert np.allclose(np.asarray(values, float), np.asarray(whole.article[col][i:i + 1], float),
                                   equal_nan=True) if values.dtype != object else \
                    list(values) == list(whole.article[col][i:i + 1])


@pytest.mark.parametrize("chunk", [1, 5, 32])
def test_corpus_from_seed_sentences(chunk):
    rng = random.Random(chunk)
    sents = _seed_sentences()
    texts = []
    for i in range(40):
        parts = rng.sample(sents, rng.randint(1, 25))
        texts.append(f"Story {i}\n" + "\n".join(" ".join(parts[j:j + 3]) for j in range(0, len(parts), 3)))
    _check([prepare_article(f"g{i}", t) for i, t in enumerate(texts)], chunk=chunk)


def test_threshold_option_reaches_the_kernel():
    arts = _seed_articles()
    for th in (0.0, 0.5, 2.0):
        opts = Options(loaded_threshold=th)
        c = _ok(arts)
        assert_chunk_equal(k_loaded.measure_chunk(c, options=opts), reference_chunk(loaded.measure, c, options=opts))


def test_n_words_from_readability_is_used():
    arts = _ok(_seed_articles())
    for a in arts:
        a.shared["n_words"] = 1000
    try:
        got = k_framing.measure_chunk(arts, options=Options())
        assert_chunk_equal(got, reference_chunk(framing.measure, arts, options=Options()))
    finally:
        for a in arts:
            a.shared.pop("n_words", None)


# -- generated texts built from lexicon terms ------------------------------------------------------------

def _lexicon_words() -> list[str]:
    words = []
    for name in ("policy_frames", "generic_frames", "loaded", "attribution_verbs", "terms"):
        for e in load_lexicon(name).entries:
            t = e.term.rstrip("*")
            words.append(t + ("ing" if e.term.endswith("*") else ""))
    return sorted(set(words))


WORDS = _lexicon_words()
EXTRA = ["the", "a", "city", "police", "Lightfoot", "Trump", "said", "told", "according to", "Sen. Warren",
         "Supt. Eddie Johnson", "U.S.", "J.B.", "Monday", "Jan.", "last week", "3.5%", "1,200", "officials",
         "department", "spokeswoman", "ICE", "mayor", "must", "blame", "failed to", "very", "!", "--", "-",
         "anti", "Σίσυφος", "İstanbul", "naïve", "co-op", "O’Hare", "don't", "it's", "they’re"]
SEPS = [" ", " ", " ", "  ", "\t", "-", "'s ", "’s ", ", ", ". ", "-", " -"]


@st.composite
def _sentence(draw):
    n = draw(st.integers(1, 14))
    out = []
    for _ in range(n):
        w = draw(st.sampled_from(WORDS) if draw(st.booleans()) else st.sampled_from(EXTRA))
        style = draw(st.integers(0, 5))
        if style == 1:
            w = w.upper()
        elif style == 2:
            w = w.title()
        elif style == 3:
            w = w.replace(" ", "  ")
        out.append(w)
        out.append(draw(st.sampled_from(SEPS)))
    text = "".join(out).strip()
    q = draw(st.integers(0, 4))
    if q == 1 and len(out) > 2:
        text = f"“{text}”"
    elif q == 2:
        k = len(text) // 2
        text = f'{text[:k]} "{text[k:k + 12]}" {text[k + 12:]}'
    elif q == 3:
        text = f'“{text},” {draw(st.sampled_from(["Lightfoot said", "she claimed", "officials told reporters"]))}'
    text = text[:1].upper() + text[1:]
    return text + draw(st.sampled_from([".", ".", "!", "?", "!!", "."]))


@st.composite
def _article(draw):
    sents = draw(st.lists(_sentence(), min_size=1, max_size=8))
    paras = []
    i = 0
    while i < len(sents):
        k = draw(st.integers(1, 3))
        paras.append(" ".join(sents[i:i + k]))
        i += k
    head = draw(st.sampled_from(["", "Headline about the city\n", "By Jane Doe\n"]))
    return head + "\n".join(paras)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_article(), min_size=1, max_size=6))
def test_generated_texts_equal_reference(texts):
    _check([prepare_article(f"h{i}", t) for i, t in enumerate(texts)])


# -- user-supplied replacement lexicons -------------------------------------------------------------------

def _write(path, name, categories, rows):
    head = (f"# name: {name}\n# version: 0.1\n# provenance: test\n# license: MIT\n"
            f"# categories: {', '.join(categories)}\nterm,category,weight\n")
    path.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_replacement_lexicons(tmp_path):
    pf = _write(tmp_path / "pf.csv", "my_pf", framing.DIMENSIONS, [
        "city,quality_of_life,0.3", "police,crime_and_punishment,0.7", "police,security_and_defense,0.7",
        '"police officer",crime_and_punishment,2', "tax*,economic,0.1", "gov.,political,0.2",
        '"u.s. marshals",security_and_defense,1', "mayor's,political,-0.5", "violen*,crime_and_punishment,0.3"])
    gf = _write(tmp_path / "gf.csv", "my_gf", framing.GENERIC, [
        "must,responsibility,0.25", '"failed to",responsibility,1', "fight*,conflict,0.7",
        "family,human_interest,0.2"])
    lo = _write(tmp_path / "lo.csv", "my_lo", ["loaded", "mycat"], [
        "very,mycat,0.3", "shocking,loaded,1.7", '"far left",loaded,1', "terror*,mycat,0.1"])
    at = _write(tmp_path / "at.csv", "my_at", ["neutral", "evaluative"], [
        "said,evaluative,1", "claimed,evaluative,1", '"according to",neutral,1'])
    te = _write(tmp_path / "te.csv", "my_te", ["cops_slang", "cops_formal", "lonely"], [
        "cops,cops_slang,1", '"police officers",cops_formal,1', "police,cops_formal,1", "mayor*,lonely,1"])
    opts = Options(lexicons=check_overrides({"policy_frames": str(pf), "generic_frames": str(gf),
                                             "loaded": str(lo), "attribution": str(at), "terms": str(te)}))
    arts = _seed_articles() + [prepare_article("x", "The police officer's report said the U.S. Marshals came. "
                                                    "Cops and police officers, the mayor's office claimed, "
                                                    "were very shocking, far left and terrorizing. Gov. "
                                                    "Pritzker must act; he failed to taxes.")]
    _check(arts, options=opts)
    got = k_terms.measure_chunk(_ok(arts), options=opts)
    assert "term_slant_cops" in got.article and "term_lonely_narrator" in got.article


def test_replacement_lexicon_with_foreign_category_is_refused(tmp_path):
    pf = _write(tmp_path / "pf.csv", "bad", ["not_a_dimension"], ["city,not_a_dimension,1"])
    opts = Options(lexicons=check_overrides({"policy_frames": str(pf)}))
    with pytest.raises(ValueError, match="not_a_dimension"):
        k_framing.measure_chunk(_ok(_seed_articles()), options=opts)


# -- the shared machinery against independent computations ------------------------------------------------

TEXT = st.lists(st.sampled_from(list("abcsXYZ .-'’,!\t\n\"“”0123") + ["Σ", "σ", "İ", "ß", "é", "Jan", "said",
                                                                          "U.S.", "e.g.", "A.B", "--", "Sen.",
                                                                          "last ", "day", "ve", "ll", "\u00a0"]),
                max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_chunk_tokens_equal_tokens_of(texts):
    from biascmp.records import PreparedArticle, Sentence

    sents = [Sentence(i, t, 0, len(t)) for i, t in enumerate(texts)]
    ch = _lex.chunk_tokens([PreparedArticle("a", "", sents)])
    voc = _lex.vocab()
    for si, t in enumerate(texts):
        want = tokens_of(t)
        lo, hi = ch.p_tok[si], ch.p_tok[si + 1]
        off = ch.p_off[si]
        got = [(int(a - off), int(b - off), voc.words[v], voc.bases[v])
               for a, b, v in zip(ch.t_start[lo:hi], ch.t_end[lo:hi], ch.t_vid[lo:hi])]
        assert got == [w[:4] for w in want]
        # whitespace-only gaps between consecutive tokens
        gaps = _lex.gap_ok(ch, np.arange(lo, hi))
        for k in range(len(want) - 1):
            assert bool(gaps[k]) == t[want[k][1]:want[k + 1][0]].isspace()
        if len(want):
            assert not gaps[len(want) - 1]  # never across sentences


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_textstat_word_count(texts):
    from biascmp.records import PreparedArticle, Sentence

    arts = [PreparedArticle("a", "", [Sentence(0, texts[0], 0, len(texts[0]))]),
            PreparedArticle("b", "", [Sentence(i, t, 0, len(t)) for i, t in enumerate(texts)])]
    ch = _lex.chunk_tokens(arts)
    got = k_framing._textstat_n_words(ch)
    assert got.tolist() == [len(textstat_words(texts[0])), len(textstat_words(" ".join(texts)))]


def test_character_classes():
    rng = random.Random(1)
    codes = np.asarray([0x5F, 0x30, 0x41, 0x2D, 0x27, 0x2019, 0xA0, 0x3A3, 0x130, 0x10FFFF] +
                       [rng.randrange(0x110000) for _ in range(3000)], np.uint32)
    for name, test in (("word", lambda c: bool(re.match(r"\w", c))), ("isspace", str.isspace),
                       ("isupper", str.isupper)):
        got = _lex.char_class(name, codes)
        assert got.tolist() == [test(chr(c)) for c in codes.tolist()], name
        assert _lex.char_class(name, codes).tolist() == got.tolist()  # from the filled table


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_marker_prefilter_keeps_every_sentence_the_precheck_passes(text):
    # every sentence in which the reference's precheck matches is among the prefilter's candidates
    from biascmp.records import PreparedArticle, Sentence

    ch = _lex.chunk_tokens([PreparedArticle("a", "", [Sentence(0, text, 0, len(text))])])
    for _rx, _cap, hint in loaded._REPORTING_MARKERS:
        assert k_loaded._prefilter(hint) is not None
        if hint(text):
            assert k_loaded._candidates(ch, hint) == [0]


def test_allsides_sample_equals_reference():
    path = data_file("allsides_dev.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(300), f)]
    arts = [prepare_article(str(r.get("article_id", i)), str(r["text"])) for i, r in enumerate(rows)]
    _check(arts, chunk=128)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("aZx. -'’_9\t\n,!") + ["é", "Σ", "’s", "U.S.", "a.", "B.", "--", "..", "-a"]),
                max_size=50).map("".join))
def test_token_spans_equal_the_token_regex(text):
    from biascmp.lexicons import _TOKEN_RE

    codes = np.frombuffer((text + "\x00").encode("utf-32-le"), dtype=np.uint32)
    s, e = _lex.token_spans(codes)
    assert list(zip(s.tolist(), e.tolist())) == [m.span() for m in _TOKEN_RE.finditer(text)]


def test_kernel_tables_stay_out_of_a_pickled_lexicon():
    # a lexicon shipped to a worker process must not carry tables indexed by this process's vocabulary
    import pickle

    arts = _ok(_seed_articles())
    k_framing.measure_chunk(arts, options=Options())
    lex = load_lexicon("policy_frames")
    assert all("columnar" not in str(k) for k in lex._compiled)
    clone = pickle.loads(pickle.dumps(lex))
    opts = Options(lexicons=(("policy_frames", clone),))
    assert_chunk_equal(k_framing.measure_chunk(arts, options=opts), reference_chunk(framing.measure, arts, options=opts))


def test_key_table_collisions_fall_back_to_strings(monkeypatch):
    # every key hashed to one slot: lookups and insertions give up after MAX_PROBES probes, the tokens are
    # looked up by string, and the results stay equal
    monkeypatch.setattr(_lex, "_VOCAB", _lex._Vocab())
    monkeypatch.setattr(_lex, "_MUL1", np.uint64(0))
    monkeypatch.setattr(_lex, "_MUL2", np.uint64(0))
    before = _lex.STATS["tokens_by_string"]
    arts = _ok(_seed_articles())
    _check(arts)
    _check(arts)  # known forms too
    voc = _lex.vocab()
    assert int((voc.tab_v >= 0).sum()) <= _lex.MAX_PROBES  # the placed keys: one cluster, capped
    assert _lex.STATS["tokens_by_string"] - before > 2 * len(voc.form_list)


_TOKEN_CHARS = st.characters(categories=("Ll", "Lu", "Nd", "Lo", "Mn"), include_characters="-'’.")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(_TOKEN_CHARS, min_size=1, max_size=20), min_size=1, max_size=30))
def test_exact_keys_are_distinct_for_distinct_tokens(tokens):
    # the keys of packable tokens determine the token (so no verification is needed); the others are
    # marked for the string path
    text = " ".join(tokens)
    codes = np.frombuffer((text + "\x00").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lens = np.asarray([len(t) for t in tokens])
    start = np.concatenate([[0], np.cumsum(lens + 1)[:-1]])
    k1, k2, ok = _lex._keys(codes, start, start + lens)
    want_ok = [len(t) <= _lex.PACK_MAX and all(ord(c) < 256 or c == "’" for c in t) for t in tokens]
    assert ok.tolist() == want_ok
    seen: dict[tuple[int, int], str] = {}
    for t, a, b, o in zip(tokens, k1.tolist(), k2.tolist(), ok.tolist()):
        if o:
            assert seen.setdefault((a, b), t) == t


def test_articles_without_prose_or_words():
    # the engine passes only ok articles, but a kernel must still agree on degenerate ones
    from biascmp.records import PreparedArticle, Sentence

    arts = [PreparedArticle("empty", "", []),
            PreparedArticle("headline", "Big News", [Sentence(0, "Big News", 0, 8, kind="headline")]),
            PreparedArticle("punct", "... !!", [Sentence(0, "... !!", 0, 6)]),
            PreparedArticle("one", "Police said.", [Sentence(0, "Police said.", 0, 12)])]
    for ref, ker in FAMILIES:
        assert_chunk_equal(ker(arts, options=Options()), reference_chunk(ref, arts, options=Options()))


def test_word_count_follows_a_changed_punctuation_rule(monkeypatch):
    # if readability's punctuation rule changes, the kernel uses the reference's word list, not its copy
    from biascmp import readability

    monkeypatch.setattr(readability, "_PUNCTUATION", re.compile(r"[^\w\s]"))
    arts = _ok(_seed_articles())
    assert_chunk_equal(k_framing.measure_chunk(arts, options=Options()),
                       reference_chunk(framing.measure, arts, options=Options()))


def test_key_table_grows_and_keeps_every_form(monkeypatch):
    # a fresh vocabulary: the table doubles as forms arrive, and every packable form is found by its key
    monkeypatch.setattr(_lex, "KEY_TABLE_BITS", 4)
    monkeypatch.setattr(_lex, "_VOCAB", _lex._Vocab())
    _check(_seed_articles())
    voc = _lex.vocab()
    assert voc.tab_bits > 8 and 2 * len(voc.key_f) <= len(voc.tab_v)
    assert np.array_equal(voc.lookup(voc.key_k1, voc.key_k2), voc.key_f)
    assert sorted(voc.key_f.tolist()) == sorted(set(voc.key_f.tolist()))


def test_vocabulary_starts_over_past_its_limit(monkeypatch):
    # bounded memory: a full word table starts over, and results stay equal across the restart
    monkeypatch.setattr(_lex, "VOCAB_LIMIT", 50)
    arts = _seed_articles()
    _check(arts[:2])
    gen = _lex.vocab().gen
    _check(arts[2:])
    assert _lex.vocab().gen != gen


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=()), max_size=40), min_size=1, max_size=4))
def test_any_characters(texts):
    # lone surrogates, control characters (the separators too), combining marks, any script
    from biascmp.records import PreparedArticle, Sentence

    arts = [PreparedArticle(f"u{i}", t, [Sentence(0, t, 0, len(t)), Sentence(1, t + " said!", 0, len(t) + 6)])
            for i, t in enumerate(texts)]
    for ref, ker in FAMILIES:
        assert_chunk_equal(ker(arts, options=Options()), reference_chunk(ref, arts, options=Options()))


def test_separator_chosen_outside_the_text():
    # a text that holds the first separator characters still gets one it does not contain
    from biascmp.records import PreparedArticle, Sentence

    t = "Police\x00said\x01 \x02 that" + "".join(map(chr, range(3, 9))) + " taxes rose 5%."
    arts = [PreparedArticle("c", t, [Sentence(0, t, 0, len(t)), Sentence(1, "Crime fell.", 0, 11)])]
    for ref, ker in FAMILIES:
        assert_chunk_equal(ker(arts, options=Options()), reference_chunk(ref, arts, options=Options()))
    assert _lex.chunk_tokens(arts).sep not in t


def test_every_reference_marker_has_its_first_runs():
    # the marker patterns the reference uses are the ones the kernel's first-run table covers (a changed
    # pattern still gives equal results through the sentence scan, tested below, but slower)
    for rx, _cap, hint in loaded._REPORTING_MARKERS:
        assert rx.pattern in k_loaded._FIRST_RUN
        assert k_loaded._HINT_IMPLIED[rx.pattern] == hint.__self__.pattern


def test_every_marker_match_passes_its_precheck():
    # the kernel skips the precheck where _HINT_IMPLIED says every match contains a precheck match: each
    # literal of each marker alternative, and marker matches in real text, pass the precheck
    words = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
             "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
             "yesterday", "last week", "last month", "last year", "Jan.", "Feb.", "Aug.", "Sep.", "Sept.", "Oct.",
             "Nov.", "Dec.", "spokesman", "spokeswoman", "spokesperson", "press secretary", "department", "agency",
             "official", "officials", "said", "says", "told", "According to", "according to", "stated",
             "reported", "announced", "added", "5", "3,000.5%"]
    words += [t + ". Warren" for t in ["Sen", "Rep", "Gov", "Supt", "Sgt", "Lt", "Capt", "Dr", "Det", "Atty", "Gen",
                                       "Cmdr", "Insp"]]
    texts = words + _seed_sentences()
    for rx, _cap, _hint in loaded._REPORTING_MARKERS:
        implied = re.compile(k_loaded._HINT_IMPLIED[rx.pattern])
        n = 0
        for t in texts:
            for m in rx.finditer(t):
                assert implied.search(m.group()), (rx.pattern, m.group())
                n += 1
        assert n > 0


def test_marker_precheck_asked_when_it_differs(monkeypatch):
    # a precheck other than the one _HINT_IMPLIED names is asked: one that never passes removes every marker
    never = re.compile(r"(?!)").search
    markers = tuple((rx, cap, never) for rx, cap, _hint in loaded._REPORTING_MARKERS)
    monkeypatch.setattr(loaded, "_REPORTING_MARKERS", markers)
    arts = _ok(_seed_articles())
    got = k_loaded.measure_chunk(arts, options=Options())
    assert_chunk_equal(got, reference_chunk(loaded.measure, arts, options=Options()))
    assert not (got.evidence["category"] == "reporting_marker").any()


def test_marker_scan_without_first_runs(monkeypatch):
    monkeypatch.setattr(k_loaded, "_FIRST_RUN", {})
    _check(_seed_articles())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["said", "Sen.", "Sen", "Warren", "5", "5.5%", "3,000", "x5", ".5", "May", "Mayor",
                                 "last", "week", "Sept.", "Sep.", "according", "to", "According", "officials",
                                 "department", "press", "secretary", "spokes-woman", "ex-officials", "12-34", "U.S.",
                                 "told", "'", "\u2019", "-", ".", ",", "\n", "  ", "Monday", "yesterday's", "Jan.",
                                 "agency", "Dr.", "A.B.", "_said", "said_", "1st", "\u0663"]),
                min_size=1, max_size=30))
def test_reporting_markers_at_their_first_runs(words):
    # word salads of marker words, their neighbours and the characters around them
    from biascmp.records import PreparedArticle, Sentence

    text = " ".join(words)
    variants = [text, text.replace(" ", ""), text.replace(" . ", ". ")]
    arts = [PreparedArticle(f"m{i}", t, [Sentence(0, t, 0, len(t))]) for i, t in enumerate(variants)]
    assert_chunk_equal(k_loaded.measure_chunk(arts, options=Options()),
                       reference_chunk(loaded.measure, arts, options=Options()))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(_TOKEN_CHARS, min_size=1, max_size=3)
                         | st.sampled_from(["said", "May", "Sen", "5", "3", "according", "press", "-", "."]),
                         min_size=1, max_size=5).map("".join),
                min_size=1, max_size=40))
def test_first_run_offsets_are_the_runs_where_a_marker_can_start(forms):
    # per form: the offsets of its runs of word characters that start with a decimal digit or are one of
    # the marker's first words (_FIRST_RUN), found in all new forms at once
    voc = _lex._Vocab()
    voc.add_forms(forms)
    for pat, (digit, words) in k_loaded._FIRST_RUN.items():
        has, offs = k_loaded._run_offsets(voc, pat)
        for f, form in enumerate(voc.form_list):
            want = [m.start() for m in re.finditer(r"\w+", form)
                    if m.group() in words or (digit and m.group()[0].isdecimal())]
            assert has[f] == bool(want)
            assert offs.get(f, []) == want


def test_marker_matches_start_at_their_first_runs():
    # _FIRST_RUN's claim, on real text and word salads: every marker match starts at the start of a run
    # of word characters that the table names
    texts = _seed_sentences() + ["Sen. Warren met Gov. Pritzker on Sept. 5 and last week, according to 3,000 "
                                 "officials; the department's spokeswoman said 12.5% rose yesterday (May 2)."]
    for rx, _cap, _hint in loaded._REPORTING_MARKERS:
        digit, words = k_loaded._FIRST_RUN[rx.pattern]
        n = 0
        for t in texts:
            for m in rx.finditer(t):
                run = re.match(r"\w+", t[m.start():])
                assert run is not None and (m.start() == 0 or not re.match(r"\w", t[m.start() - 1]))
                assert run.group() in words or (digit and run.group()[0].isdecimal()), m.group()
                n += 1
        assert n > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(["a", "'", "s", "\x00", "’", "é"]), max_size=6), min_size=1, max_size=20))
def test_vocabulary_words_and_bases(words):
    # every word's base is lexicons.tokens_of's (a possessive 's dropped when the word is longer), its id
    # stable, and the arrays follow the lists
    voc = _lex._Vocab()
    ids = voc.add_words(words)
    ids2 = voc.add_words(list(reversed(words)))
    voc.freeze()
    assert ids2 == list(reversed(ids))
    assert [voc.words[i] for i in ids] == words
    for w in set(words):
        i = voc.ids[w]
        want = w[:-2] if w[-2:] == "'s" and len(w) > 2 else w
        assert voc.bases[i] == want
        assert voc.words[voc.base_id[i]] == want
        assert voc.trimlen[i] == len(w) - len(want)
    assert len(voc.base_id) == len(voc.trimlen) == len(voc.words) == len(voc.bases)
