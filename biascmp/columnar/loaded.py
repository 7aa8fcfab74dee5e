"""Columnar kernel of :func:`biascmp.loaded.measure` (the loaded-language score) over a chunk.

Rule by rule (reference ``score_sentence`` -> here), each producing arrays of (sentence, weight, span):

1. ``loaded_lex.find`` hits, weight ``COMPONENTS.get(category, 1.0) * entry weight`` -> :func:`._lex.match`;
2. ``verbs_lex.find`` hits of category ``evaluative`` -> :func:`._lex.match`, weight ``EVALUATIVE_VERB``;
3. ``_scare_quotes`` -> the reference function itself, on the few sentences with quote spans and no speaker;
4. the first ``MAX_EXCLAIM`` exclamation marks -> positions of ``!`` in the chunk's joined text, ranked per
   sentence;
5. VADER intensity per token ``|valence(low)|`` -> a per-word valence table by token id;
6. ``_REPORTING_MARKERS`` (pattern, cap, precheck) -> for each kind, the pattern itself tried only at the
   places where one of its matches can start (:data:`_FIRST_RUN`: the start of a run of word characters
   that is one of the marker's first words, or starts with a digit, read from a per-spelling table), left
   to right in the chunk's joined text as ``finditer`` would (the separator is neither a word, space nor
   dot character, so no match reaches across two sentences and ``\\b`` and look-arounds behave as at
   the ends of a sentence), the first ``cap`` matches per sentence, in sentences that pass the precheck
   (asked only where a match does not imply it, :data:`_HINT_IMPLIED`). A pattern without a first-run
   entry takes the earlier path (:func:`_marker_hits_scan`: a token-level prefilter of the precheck,
   the precheck, then the pattern over the passing sentences).

``raw`` is the sum of these weights per sentence in exactly the reference's order (components in the order
above, hits in text order), so ``np.bincount`` performs the same float additions and thresholds agree
bit for bit; the score is ``max(0, raw) / length_factor(tokens)``, the article means and shares as in
``measure`` (narration first, then quotes).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import loaded as ref
from ..lexicons import resolve
from ..records import Options, PreparedArticle
from ..vader_fast import lexicon as vader_lexicon
from . import ChunkResult, _lex

#: evidence categories of the rules after the lexicon's (loaded.score_sentence)
_RULE_CATEGORIES = ["evaluative_verb", "scare_quote", "exclamation", "vader_intensity", "reporting_marker"]
_VALENCE: dict[str, object] = {}


def _valence_table(voc: _lex._Vocab) -> np.ndarray:
    """Per vocabulary word: VADER's valence of the lower-cased word (0 when absent)."""
    lex = vader_lexicon()
    if _VALENCE.get("gen") != voc.gen or _VALENCE.get("lex") is not lex:
        _VALENCE.clear()
        _VALENCE.update(gen=voc.gen, lex=lex, table=np.zeros(0))
    table = _VALENCE["table"]
    n = len(voc.words)
    if len(table) < n:  # type: ignore[arg-type]
        new = np.fromiter(map(lex.get, voc.words[len(table):n], itertools.repeat(0.0)),  # type: ignore[arg-type]
                          dtype=np.float64, count=n - len(table))  # type: ignore[arg-type]
        table = _VALENCE["table"] = np.concatenate([table, new])  # type: ignore[list-item]
    return table  # type: ignore[return-value]


_SPEAKER = operator.attrgetter("speaker")
_IN_QUOTE = operator.attrgetter("in_quote")
_ATOM = re.compile(r"\\(.)|([^\\.^$*+?{}\[\]()|])", re.S)
_WORDCHAR = re.compile(r"\w")


def _prefilter(hint: Any) -> re.Pattern[str] | None:
    """A pattern for single tokens that finds, in some token of every sentence where ``hint`` (a marker's
    precheck) matches, the word-character head of the precheck's literal: every precheck match contains
    one of its literals, the literal's leading run of word characters lies inside one token (a run of
    word characters never spans two of the tokeniser's pieces), so sentences without such a token cannot
    pass the precheck. None (no prefilter) unless the precheck is the ``search`` of a pattern that is an
    alternation of literals (``\\d`` and escaped punctuation allowed) without flags, each starting with a
    word character."""
    pat = getattr(hint, "__self__", None)
    if not isinstance(pat, re.Pattern) or getattr(hint, "__name__", "") != "search" \
            or not isinstance(pat.pattern, str) or pat.flags & ~re.UNICODE:
        return None
    heads = []
    for alt in pat.pattern.split("|"):
        atoms: list[tuple[str, bool]] = []  # (regex of one character, is a word character)
        pos = 0
        while pos < len(alt):
            m = _ATOM.match(alt, pos)
            if m is None:
                return None
            esc, lit = m.group(1), m.group(2)
            if esc is not None:
                if esc == "d":
                    atoms.append((r"\d", True))
                elif esc.isalnum() or esc == "_":
                    return None  # another class or assertion (\w, \s, \b, ...): not a literal
                else:
                    atoms.append((re.escape(esc), False))
            else:
                atoms.append((re.escape(lit), bool(_WORDCHAR.fullmatch(lit))))
            pos = m.end()
        head = []
        for rx_atom, is_word in atoms:
            if not is_word:
                break
            head.append(rx_atom)
        if not head:
            return None
        heads.append("".join(head))
    return re.compile("|".join(heads))


_PREFILTER: dict[int, Any] = {}


def _candidates(ch: _lex.Chunk, hint: Any) -> list[int]:
    """Prose sentences of the chunk where the precheck ``hint`` can match (all when it has no prefilter)."""
    voc = ch.voc
    st = _PREFILTER.get(id(hint))
    if st is None or st["hint"] is not hint or st["gen"] != voc.gen:
        st = _PREFILTER[id(hint)] = {"hint": hint, "gen": voc.gen, "rx": _prefilter(hint), "table": np.zeros(0, bool)}
    if st["rx"] is None:
        return list(range(len(ch.sentences)))
    table = st["table"]
    n = len(voc.form_list)
    if len(table) < n:
        search = st["rx"].search
        new = np.fromiter((search(f) is not None for f in voc.form_list[len(table):n]), dtype=bool,
                          count=n - len(table))
        table = st["table"] = np.concatenate([table, new])
    hit = np.zeros(len(ch.sentences), bool)
    hit[ch.a_sent[table[ch.a_form]]] = True
    return np.flatnonzero(hit).tolist()


#: per reporting-marker pattern of the reference (loaded._REPORTING_MARKERS, as written there): the first
#: run of word characters of every one of its matches, as (starts with a decimal digit, one of these
#: words). Every marker match starts at the start of a run of word characters (after ``\b`` or
#: ``(?<![\w.])``, with a word character), and that run is one of the words below (each alternative of
#: the marker ends its first word at a ``\b``, a dot or a space) or, for numbers, starts with a digit
#: (``\d`` is Unicode's decimal digits, str.isdecimal). Only those places are tried, with the marker's own
#: pattern (:func:`_marker_hits`); a marker pattern not listed here is scanned sentence by sentence as
#: before (:func:`_marker_hits_scan`).
_FIRST_RUN: dict[str, tuple[bool, frozenset[str]]] = {
    r"(?<![\w.])\d[\d,.]*%?(?!\w)": (True, frozenset()),
    r"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|yesterday|last (?:week|month|year))\b|"
    r"(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)":
        (False, frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
                          "May June July August September October November December yesterday last Jan Feb Aug "
                          "Sep Sept Oct Nov Dec".split())),
    r"\b(?:(?:Sen|Rep|Gov|Supt|Sgt|Lt|Capt|Dr|Det|Atty|Gen|Cmdr|Insp)\.\s+[A-Z][\w'’-]*|"
    r"(?:spokes(?:man|woman|person)|press secretary|department|agency|officials?)\b)":
        (False, frozenset("Sen Rep Gov Supt Sgt Lt Capt Dr Det Atty Gen Cmdr Insp spokesman spokeswoman "
                          "spokesperson press department agency official officials".split())),
    r"\b(?:said|says|told|[Aa]ccording to|stated|reported|announced|added)\b":
        (False, frozenset("said says told According according stated reported announced added".split())),
}
#: per marker pattern: the precheck pattern that every one of its matches contains a match of (checked
#: alternative by alternative: a weekday holds "day", a month its first three letters, "yesterday" "day",
#: "last week" "last ", a title its "Sen." etc., "spokesman" "spokes", "According to" "ccording to"; a
#: number a digit), so a sentence with a match passes that precheck and it need not be asked
_HINT_IMPLIED = {
    r"(?<![\w.])\d[\d,.]*%?(?!\w)": r"\d",
    r"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|yesterday|last (?:week|month|year))\b|"
    r"(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)": "day|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|last ",
    r"\b(?:(?:Sen|Rep|Gov|Supt|Sgt|Lt|Capt|Dr|Det|Atty|Gen|Cmdr|Insp)\.\s+[A-Z][\w'’-]*|"
    r"(?:spokes(?:man|woman|person)|press secretary|department|agency|officials?)\b)":
        r"Sen\.|Rep\.|Gov\.|Supt\.|Sgt\.|Lt\.|Capt\.|Dr\.|Det\.|Atty\.|Gen\.|Cmdr\.|Insp\.|"
        r"spokes|press secretary|department|agency|official",
    r"\b(?:said|says|told|[Aa]ccording to|stated|reported|announced|added)\b":
        "said|says|told|ccording to|stated|reported|announced|added",
}
_RUNS: dict[str, Any] = {}


_WORD_RUN = re.compile(r"\w+")


def _run_offsets(voc: _lex._Vocab, pattern: str) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Per form of the vocabulary: whether it holds a run of word characters that can start a match of the
    marker ``pattern`` (:data:`_FIRST_RUN`), and for those forms the runs' offsets. The runs of a chunk's
    new forms are found at once, in the forms joined by U+0000 (no word character, and no form holds it)."""
    with _lex._LOCK:  # (the tables are shared by threads)
        st = _RUNS.get("state")
        if st is None or st["gen"] != voc.gen or st["table"] is not _FIRST_RUN:
            st = _RUNS["state"] = {"gen": voc.gen, "table": _FIRST_RUN, "n": 0,
                                   "has": {p: np.zeros(0, bool) for p in _FIRST_RUN},
                                   "offs": {p: {} for p in _FIRST_RUN}}
            words: dict[str, list[str]] = {}
            for p, (_digit, ws) in _FIRST_RUN.items():
                for w in ws:
                    words.setdefault(w, []).append(p)
            st["words"] = words
            st["digit"] = [p for p, (digit, _ws) in _FIRST_RUN.items() if digit]
        n = len(voc.form_list)
        if st["n"] < n:
            base = st["n"]
            new = voc.form_list[base:n]
            joined = "\x00".join(new)
            lens = np.fromiter(map(len, new), dtype=np.int64, count=len(new))
            starts = np.zeros(len(new), np.int64)
            np.cumsum(lens[:-1] + 1, out=starts[1:])
            get, digit = st["words"].get, st["digit"]
            found: list[tuple[int, str]] = []
            for m in _WORD_RUN.finditer(joined):
                run = m.group()
                pats = get(run)
                if pats is not None:
                    found.extend((m.start(), p) for p in pats)
                if digit and run[0].isdecimal():
                    found.extend((m.start(), p) for p in digit)
            more = {p: np.zeros(len(new), bool) for p in _FIRST_RUN}
            if found:
                k = (np.searchsorted(starts, np.asarray([f[0] for f in found], np.int64), side="right") - 1).tolist()
                for (pos, p), kk in zip(found, k):
                    more[p][kk] = True
                    st["offs"][p].setdefault(base + kk, []).append(pos - int(starts[kk]))
            for p in _FIRST_RUN:
                st["has"][p] = np.concatenate([st["has"][p], more[p]])
            st["n"] = n
        return st["has"][pattern], st["offs"][pattern]


def _marker_hits(ch: _lex.Chunk, rx: re.Pattern[str], cap: int, hint: Any
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The reference's marker rule on every prose sentence (precheck, then the first ``cap`` matches of
    ``rx``), trying ``rx`` only where :data:`_FIRST_RUN` says a match can start: in the chunk's joined text, left
    to right, a place inside the previous match skipped, as ``finditer`` would (the separator between
    sentences is no word, space or dot character, so matching in the joined text is matching in the
    sentence). The precheck is then asked only of the sentences with a match, unless every match implies
    it (:data:`_HINT_IMPLIED`)."""
    has, offs = _run_offsets(ch.voc, rx.pattern)
    cand = np.flatnonzero(has[ch.a_form])
    text = ch.text
    match = rx.match
    places = [a + o for a, f in zip(ch.a_start[cand].tolist(), ch.a_form[cand].tolist()) for o in offs[f]]
    found = []
    cur = -1
    for p in places:
        if p >= cur:
            m = match(text, p)
            if m is not None:
                cur = m.end()
                found.append(m)
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), []
    span = np.asarray([m.span() for m in found], np.int64)
    mt = [m.group() for m in found]
    m_sent = np.searchsorted(ch.p_off, span[:, 0], side="right") - 1
    ms = m_sent.tolist()
    keep = _rank_in_sentence(m_sent) < cap
    hint_rx = getattr(hint, "__self__", None)
    implied = isinstance(hint_rx, re.Pattern) and getattr(hint, "__name__", "") == "search" and \
        hint_rx.flags == re.UNICODE and _HINT_IMPLIED.get(rx.pattern) == hint_rx.pattern
    if not implied:
        sentences = ch.sentences
        passed = {si: bool(hint(sentences[si].text)) for si in dict.fromkeys(ms)}
        if not all(passed.values()):
            keep &= np.fromiter((passed[si] for si in ms), dtype=bool, count=len(ms))
    if keep.all():
        return m_sent, span[:, 0], span[:, 1], mt
    idx = np.flatnonzero(keep)
    return m_sent[idx], span[idx, 0], span[idx, 1], [mt[i] for i in idx.tolist()]


def _marker_hits_scan(ch: _lex.Chunk, rx: re.Pattern[str], cap: int, hint: Any
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The marker rule for a pattern without a :data:`_FIRST_RUN` entry: the sentences that a token-level
    prefilter of the precheck keeps (see _prefilter) and that then pass the precheck itself; the pattern
    runs once over those sentences joined by the separator (no match can reach across it: it is no word,
    space or dot character), matches mapped back to their sentences."""
    sentences = ch.sentences
    passed = [si for si in _candidates(ch, hint) if hint(sentences[si].text)]
    m_sent = np.zeros(0, np.int64)
    m_start = m_end = m_sent
    mt: list[str] = []
    if passed:
        texts = [sentences[si].text for si in passed]
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        sub_off = np.zeros(len(texts), np.int64)
        sub_off[1:] = np.cumsum(lens[:-1] + 1)
        spans = []
        for mm in rx.finditer(ch.sep.join(texts)):
            spans.append(mm.span())
            mt.append(mm.group())
        if spans:
            sp = np.asarray(spans, np.int64)
            k = np.searchsorted(sub_off, sp[:, 0], side="right") - 1
            first = _rank_in_sentence(k) < cap
            idx = np.flatnonzero(first)
            m_sent = np.asarray(passed, np.int64)[k[idx]]
            shift = ch.p_off[m_sent] - sub_off[k[idx]]
            m_start, m_end = sp[idx, 0] + shift, sp[idx, 1] + shift
            if len(idx) != len(mt):
                mt = [mt[i] for i in idx.tolist()]
    return m_sent, m_start, m_end, mt


def _objects(values: Any) -> np.ndarray:
    """A list of strings (or an object array) as a one-dimensional object array."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _rank_in_sentence(sent: np.ndarray) -> np.ndarray:
    """For hits sorted by sentence: 0, 1, 2, ... within each sentence."""
    if not len(sent):
        return np.zeros(0, np.int64)
    new = np.concatenate([[True], sent[1:] != sent[:-1]])
    first = np.maximum.accumulate(np.where(new, np.arange(len(sent)), 0))
    return np.arange(len(sent)) - first


def measure_chunk(articles: Sequence[PreparedArticle], *, options: Options) -> ChunkResult:
    if not articles:
        return ChunkResult()
    loaded_lex = resolve("loaded", options.lexicons)
    verbs_lex = resolve("attribution", options.lexicons)
    threshold = options.loaded_threshold if options.loaded_threshold is not None else ref.THRESHOLD
    ch = _lex.chunk_tokens(articles)
    n_prose = len(ch.sentences)
    n_art = len(ch.articles)
    # components, each: (sent, start, end, category code (into ``names``), term (list of str), weight, in_quote)
    comps: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Any, np.ndarray, np.ndarray | None]] = []
    text = ch.text

    # 1. loaded lexicon
    h = _lex.match(ch, loaded_lex)
    t = h.tables
    comp_w = np.asarray([ref.COMPONENTS.get(c, 1.0) for c in t.e_category], np.float64)
    w = comp_w[h.entry] * t.e_weight[h.entry]
    names = list(dict.fromkeys(t.e_category))
    code_of = {c: i for i, c in enumerate(names)}
    names += _RULE_CATEGORIES
    code = {c: names.index(c) for c in _RULE_CATEGORIES}
    e_code = np.asarray([code_of[c] for c in t.e_category], np.int64)
    comps.append((h.sent, h.start, h.end, e_code[h.entry],
                  _lex.hit_texts(ch, h.start, h.end, h.tok), w, None))

    # 2. evaluative verbs of saying
    v = _lex.match(ch, verbs_lex)
    vt = v.tables
    ev_mask = np.asarray([c == "evaluative" for c in vt.e_category], bool)
    sel = np.flatnonzero(ev_mask[v.entry]) if len(v.entry) else np.zeros(0, np.int64)
    comps.append((v.sent[sel], v.start[sel], v.end[sel], np.full(len(sel), code["evaluative_verb"]),
                  _lex.hit_texts(ch, v.start[sel], v.end[sel], v.tok[sel]), np.full(len(sel), ref.EVALUATIVE_VERB), None))

    # 3. scare quotes (the reference's own rule; only sentences with quote spans and no speaker)
    ss, sa, sb = [], [], []
    sentences = ch.sentences
    with_spans = np.flatnonzero(ch.p_nq).tolist()
    for si, speaker in zip(with_spans, map(_SPEAKER, [sentences[i] for i in with_spans])):
        if not speaker:
            for a, b in ref._scare_quotes(sentences[si]):
                ss.append(si)
                sa.append(a)
                sb.append(b)
    s_sent = np.asarray(ss, np.int64)
    s_start = ch.p_off[s_sent] + np.asarray(sa, np.int64)
    s_end = ch.p_off[s_sent] + np.asarray(sb, np.int64)
    comps.append((s_sent, s_start, s_end, np.full(len(ss), code["scare_quote"]),
                  _lex.slices(text, s_start, s_end), np.full(len(ss), ref.SCARE_QUOTE), np.zeros(len(ss), bool)))

    # 4. exclamation marks: the first MAX_EXCLAIM per sentence
    x = np.flatnonzero(ch.codes == 0x21)
    x_sent = np.searchsorted(ch.p_off, x, side="right") - 1
    keep = _rank_in_sentence(x_sent) < ref.MAX_EXCLAIM
    x, x_sent = x[keep], x_sent[keep]
    comps.append((x_sent, x, x + 1, np.full(len(x), code["exclamation"]), ["!"] * len(x),
                  np.full(len(x), ref.EXCLAIM), None))

    # 5. VADER intensity per token (valence of the lower-cased word)
    val = _valence_table(ch.voc)[ch.t_vid]
    vk = np.flatnonzero(val != 0)
    comps.append((ch.t_sent[vk], ch.t_start[vk], ch.t_end[vk], np.full(len(vk), code["vader_intensity"]),
                  _lex.hit_texts(ch, ch.t_start[vk], ch.t_end[vk], vk), ref.VADER_WEIGHT * np.abs(val[vk]) / 4, None))

    # 6. reporting markers, as the reference (precheck, pattern, first ``cap`` matches per sentence)
    for rx, cap, hint in ref._REPORTING_MARKERS:
        fast = rx.pattern in _FIRST_RUN and rx.flags == re.UNICODE
        m_sent, m_start, m_end, mt = (_marker_hits(ch, rx, cap, hint) if fast
                                      else _marker_hits_scan(ch, rx, cap, hint))
        comps.append((m_sent, m_start, m_end, np.full(len(m_sent), code["reporting_marker"]), mt,
                      np.full(len(m_sent), -ref.REPORTING), None))

    sent = np.concatenate([c[0] for c in comps]).astype(np.int64)
    weight = np.concatenate([c[5] for c in comps]).astype(np.float64)
    raw = _lex.wsum(sent, weight, n_prose)  # the reference's additions, in its order
    n_tok = np.diff(ch.p_tok)
    lf = np.sqrt(np.maximum(n_tok, 8) / 8)  # loaded.length_factor
    score = np.maximum(0.0, raw) / lf
    col = np.full(ch.n_rows, np.nan)
    col[ch.p_row] = score

    start = np.concatenate([c[1] for c in comps]).astype(np.int64)
    end = np.concatenate([c[2] for c in comps]).astype(np.int64)
    inq = np.zeros(len(sent), bool)
    pos = 0
    for c in comps:
        n = len(c[0])
        if c[6] is None and n:
            inq[pos:pos + n] = _lex.quoted(ch, c[1], c[2], c[0])
        pos += n
    term = np.concatenate([_objects(c[4]) for c in comps])
    cats = np.concatenate([c[3] for c in comps]).astype(np.int64)
    evidence = _lex.evidence_frame(ch, sent=sent, start=start, end=end, family="loaded", cat_codes=cats,
                                   cat_names=names,
                                   term=term, weight=weight, in_quote=inq) if len(sent) else \
        _lex.concat_evidence([])

    # article level: narration (in_quote < QUOTED) then quotes, in sentence order
    isq = np.fromiter(map(_IN_QUOTE, ch.sentences), dtype=np.float64, count=n_prose) >= ref.QUOTED
    art_of = ch.p_art
    order = np.lexsort((np.arange(n_prose), isq, art_of))
    n_all = np.bincount(art_of, minlength=n_art)
    s_all = _lex.wsum(art_of[order], score[order], n_art)
    narr = ~isq
    n_n = np.bincount(art_of[narr], minlength=n_art)
    n_q = np.bincount(art_of[isq], minlength=n_art)
    s_n = _lex.wsum(art_of[narr], score[narr], n_art)
    s_q = _lex.wsum(art_of[isq], score[isq], n_art)
    above = score > threshold
    a_n = np.bincount(art_of[narr & above], minlength=n_art)
    a_q = np.bincount(art_of[isq & above], minlength=n_art)

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.where(den > 0, num / np.maximum(den, 1), math.nan)

    art = {"loaded_language": ratio(s_all, n_all), "loaded_language_narrator_mean": ratio(s_n, n_n),
           "loaded_language_quoted_mean": ratio(s_q, n_q), "loaded_share_narrator": ratio(a_n, n_n),
           "loaded_share_quoted": ratio(a_q, n_q)}
    return ChunkResult(sentence={"loaded_language": col}, article=art, evidence=evidence)
