"""Text preparation: normalise, mark non-prose lines, split sentences, mark quotations and speakers.

Every metric family reads the :class:`~biascmp.records.PreparedArticle` built here, so this
module decides what counts as prose. Pipeline (all linear in the text length):

1. :func:`normalize` -- strip HTML when the text carries markup (stdlib ``html.parser``),
   Unicode NFC, unify newlines, drop zero-width/control characters, collapse blanks. Idempotent.
2. Lines (non-empty) are paragraphs. :func:`classify_line` marks non-prose lines:
   ``metadata`` (``date 2020-07-27`` prefixes, bare dates, "From The Daily Wire:" source lines),
   ``byline`` ("By Kevin Beese Staff reporter"), ``headline`` (first line matching the title,
   or a short title-case line without terminal punctuation; short unpunctuated lines later on
   are sub-headings and get the same kind), ``caption`` (name-only lines, photo credits) and
   ``boilerplate`` ("Advertisement", "Tags:", "Watch the clip above via MSNBC.", newsletter,
   share and "click here" prompts, separators).
3. Prose lines are split into sentences by :func:`split_sentences`.
4. Quotations are tracked across the sentences of a paragraph (and into the next paragraph when a
   paragraph opens a quote and never closes it, the news convention for a quote that goes on);
   each sentence gets ``quote_spans`` and ``in_quote``.
5. Speakers: a reporting verb next to a name or noun phrase ("…,” Lightfoot said.", "said Peters",
   "according to ABC News") sets ``speaker``/``speaker_verb``/``speaker_verb_span``. Quoted
   sentences without their own attribution inherit the speaker of the quote they continue, of the
   paragraph's attributed quote, or of the directly preceding quote paragraph. A date next to the
   verb is no speaker: weekday and month names are skipped ("Trump on Monday said" -> Trump).
   ``he``/``she`` are resolved to the last *named* speaker earlier in the article (a deliberate,
   simple choice: news copy nearly always names the speaker just before the pronoun); without
   one, the pronoun is kept.

One module per step: :mod:`.normalise`, :mod:`.lines`, :mod:`.sentences`, :mod:`.quotes`,
:mod:`.speakers`, :mod:`.language`; this one puts them together in :func:`prepare_article`.
"""

from __future__ import annotations

from ..records import PreparedArticle, Sentence
from ..registry import Metric
from .language import _LANG_SAMPLE, detect_language
from .lines import _META_PREFIX_RE, classify_line
from .normalise import normalize
from .quotes import _in_quote_share, _quote_intervals
from .sentences import split_sentences
from .speakers import REPORTING_VERBS, VERBS_BY_LINE_MIN, _find_speaker, _verbs_by_line, _verbs_in

__all__ = ["normalize", "split_sentences", "classify_line", "detect_language", "prepare_article",
           "REPORTING_VERBS", "METRICS"]

METRICS: list[Metric] = [
    Metric(
        name="in_quote", level="sentence", family="quotes",
        description="Share of the sentence's characters that lie inside quotation marks (straight or "
                    "curly double quotes; single quotes only as headline/nested quotes). Quotes may "
                    "open in an earlier sentence or paragraph.",
        formula="in_quote = (# non-space characters inside quotation marks) / "
                "(# non-space characters of the sentence, quotation marks excluded)",
        range="[0, 1]", direction="higher = more of the sentence is quoted speech",
        reference="biascmp rule-based quotation tracker (biascmp.prepare); convention after "
                  "Pareti (2016) 'PARC 3.0' attribution relations",
        aggregate="sentence-weighted", compare=False,
    ),
]


def prepare_article(article_id: str, text: str, *, title: str | None = None,
                    outlet: str | None = None) -> PreparedArticle:
    """Normalise ``text`` and split it into classified sentences with quotes and speakers.

    Returns a :class:`PreparedArticle` whose ``text`` is the normalised text; every sentence
    satisfies ``article.text[s.start:s.end] == s.text``. ``meta["status"]`` is set to
    ``"no_prose"`` when no prose sentence remains, ``"not_english"`` when
    :func:`detect_language` says "other" for the prose (``meta["status_detail"]`` explains).
    """
    if not isinstance(text, str):
        raise TypeError(f"Invalid text={text!r} for article_id={article_id!r}: expected str")
    norm = normalize(text)
    sents: list[Sentence] = []
    meta: dict = {}
    pos = 0
    para_i = -1
    first = True
    prev_open_speaker: str | None = None  # speaker of a quote left open by the previous paragraph
    prev_para_quote_speaker: str | None = None  # speaker of the previous paragraph's quotes
    prev_para_speaker: str | None = None  # last speaker of the previous prose paragraph
    last_named: str | None = None
    lines = norm.split("\n")
    single_line: bool | None = None  # computed when first needed: only headline and caption lines ask
    text_verbs: set[str] | None = None
    # the verbs of each line (one numpy pass), or None: each prose paragraph finds its own
    line_verbs = _verbs_by_line(norm) if len(norm) >= VERBS_BY_LINE_MIN else None
    no_verbs: set[str] = set()
    for li, line in enumerate(lines):
        lstart = pos
        pos += len(line) + 1
        if not line:
            continue
        para_i += 1
        body_off = 0
        # the prefix opens with date/published/posted/updated/last updated/dateline (re.I: ASCII letters only)
        mp = _META_PREFIX_RE.match(line) if line[0] in "dDpPuUlL" else None
        if mp and mp.end() < len(line):
            end = mp.end()
            while end > 0 and line[end - 1] == " ":
                end -= 1
            sents.append(Sentence(len(sents), line[:end], lstart, lstart + end, para_i, "metadata"))
            body_off = mp.end()
        body = line[body_off:]
        kind = classify_line(body, first=first, title=title)
        if kind in ("headline", "caption"):
            if single_line is None:
                single_line = sum(1 for ln in lines if ln.strip()) == 1
            if single_line:
                kind = "prose"  # a one-line text (a tweet, a one-sentence item) is its own body, not a title
        first = False
        if kind != "prose":
            sents.append(Sentence(len(sents), body, lstart + body_off, lstart + len(line), para_i, kind))
            if kind != "caption":
                prev_open_speaker = prev_para_quote_speaker = prev_para_speaker = None
            continue
        # The reporting verbs of the paragraph: a sentence holding none of them has no speaker (no
        # _find_speaker), one that does passes just those it holds. Same speakers as filtering with the verbs
        # of the whole text: a verb _find_speaker accepts is a whole word run of the sentence outside its
        # quotes (the characters next to a quote span are quotation marks), so a whole ASCII-letter run of the
        # paragraph, and of the text unless the body starts right after a letter (a metadata prefix ending
        # inside a word): then the text's verbs filter too.
        # (The line's verbs may add those of a metadata prefix: harmless, a sentence keeps those it holds.)
        if body_off and line[body_off - 1].isascii() and line[body_off - 1].isalpha():
            para_verbs = _verbs_in(body)
            if para_verbs:
                if text_verbs is None:
                    text_verbs = _verbs_in(norm)
                para_verbs &= text_verbs
        elif line_verbs is not None:
            para_verbs = line_verbs.get(li, no_verbs)
        else:
            para_verbs = _verbs_in(body)
        intervals, still_open = _quote_intervals(body)
        para_sents: list[Sentence] = []
        base = lstart + body_off
        for a, b in split_sentences(body):
            st = body[a:b]
            if intervals:
                spans = tuple((max(x, a) - a, min(y, b) - a) for x, y in intervals if x < b and y > a
                              and min(y, b) > max(x, a))
                in_quote = _in_quote_share(st, list(spans)) if spans else 0.0
            else:
                spans, in_quote = (), 0.0
            s = Sentence(len(sents), st, base + a, base + b, para_i, "prose", in_quote, spans)
            if para_verbs:
                words = [w for w in para_verbs if w in st]
                found = _find_speaker(st, list(spans), words) if words else None
                if found:
                    who, verb, vspan, pron = found
                    if pron and who in ("he", "she") and last_named:
                        who = last_named
                    elif not pron and who[:1].isupper() and verb.lower() != "according to":
                        last_named = who
                    s.speaker, s.speaker_verb, s.speaker_verb_span = who, verb, vspan
            sents.append(s)
            para_sents.append(s)
        if not intervals:  # no quotation: nothing to inherit, no quote speaker to pass on
            named = [s.speaker for s in para_sents if s.speaker]
            prev_open_speaker = prev_para_quote_speaker = None
            prev_para_speaker = named[-1] if named else None
            continue
        # inheritance: quoted sentences without attribution
        para_speaker = next((s.speaker for s in para_sents if s.speaker and s.quote_spans), None)
        carry = prev_open_speaker
        starts_quoted = bool(intervals) and intervals[0][0] <= 1
        for s in para_sents:
            if s.speaker is None and s.quote_spans:
                inherited = carry or para_speaker or (prev_para_speaker if starts_quoted else None)
                if inherited:
                    s.speaker = inherited
            if s.quote_spans:
                carry = s.speaker or carry
        quote_speakers = [s.speaker for s in para_sents if s.quote_spans and s.speaker]
        prev_para_quote_speaker = quote_speakers[-1] if quote_speakers else None
        prev_open_speaker = prev_para_quote_speaker if still_open else None
        named = [s.speaker for s in para_sents if s.speaker]
        prev_para_speaker = prev_para_quote_speaker or (named[-1] if named else None)
    prose = [s for s in sents if s.kind == "prose"]
    if not prose:
        meta["status"] = "no_prose"
        meta["status_detail"] = ("no prose sentence: every line was classified as "
                                 + (", ".join(sorted({s.kind for s in sents})) or "empty"))
    else:
        head: list[str] = []  # detect_language reads the first _LANG_SAMPLE characters of the prose
        size = -1
        for s in prose:
            head.append(s.text)
            size += len(s.text) + 1
            if size >= _LANG_SAMPLE:
                break
        lang = detect_language(" ".join(head))
        meta["language"] = lang
        if lang == "other":
            meta["status"] = "not_english"
            meta["status_detail"] = ("prose looks non-English: mostly non-Latin script or fewer than "
                                     "8% common English function words (biascmp.prepare.detect_language)")
    return PreparedArticle(article_id, norm, sents, title=title, outlet=outlet, meta=meta)
