"""Segmentation (``parse``): a raw article's reading text cut into excluded stretches,
paragraphs, sentences and quotation spans, with its title, outlet and time."""

from __future__ import annotations

import hashlib
from bisect import bisect_right

from ..models import Article, Excluded, QuoteSpan, Sentence
from ..textutil import words
from .furniture import exclusions
from .lines import Line, lines_of, trimmed
from .metadata import headline_paragraph, outlet_in_dateline, published_in_text, title_in_text
from .quotes import QuotePiece, find_quotes, quote_warnings
from .raw import RawArticle
from .sentences import Stabbing, ends_with_title, split_sentences
from .unwrap import unwrap


def _paragraphs(text: str, lines: list[Line], excluded: list[Excluded]) -> list[tuple[int, int]]:
    """Body paragraphs: non-excluded lines, a line ending in a title ("Sgt.") joined to the next."""

    covering = Stabbing([(x.start, x.end) for x in excluded])

    def is_excluded(line: Line) -> bool:
        """Whether one excluded stretch holds the line's text (spaces around it aside)."""
        return covering.covers(
            line.start + (len(line.text) - len(line.text.lstrip())),
            line.end - (len(line.text) - len(line.text.rstrip())),
        )

    paragraphs: list[tuple[int, int]] = []
    joining = False
    for line in lines:
        if is_excluded(line):
            joining = False
            continue
        start = trimmed(text, line.start, line.end)[0]
        for x in excluded:  # an excluded prefix inside the line (a date stamp, a dateline)
            if x.start <= start < x.end:
                start = x.end
        s, e = trimmed(text, start, line.end)
        if s >= e:
            continue
        if joining and paragraphs:
            paragraphs[-1] = (paragraphs[-1][0], e)
        else:
            paragraphs.append((s, e))
        joining = ends_with_title(text[s:e])
    return paragraphs


def parse(raw: RawArticle) -> Article:
    """Segment a raw article: exclusions, paragraphs, sentences and quotation spans, over its
    reading text (soft line breaks of hard-wrapped copy folded, ``ingest.unwrap``)."""
    text, shifts = unwrap(raw.text)
    lines = lines_of(text)
    excluded = exclusions(text, lines)
    paragraphs = _paragraphs(text, lines, excluded)
    pieces = find_quotes(text, paragraphs)
    protected = Stabbing([(q.start, q.end) for q in pieces])  # built once, asked per mark
    headline_first = headline_paragraph(text, lines, paragraphs, protected)
    sentences = _sentences(text, paragraphs, protected, headline_first=headline_first)
    return Article(
        id=raw.id,
        path=raw.path,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=None if text == raw.text else raw.text,
        shifts=shifts,
        title=raw.title
        if raw.title is not None
        else title_in_text(text, lines, paragraphs, headline_first=headline_first),
        outlet=raw.outlet or outlet_in_dateline(text, excluded),
        url=raw.url,
        published=raw.published or published_in_text(lines),
        sentences=sentences,
        quote_spans=_quote_spans(text, pieces, sentences),
        excluded=excluded,
        warnings=quote_warnings(text, paragraphs, pieces),
    )


def _sentences(
    text: str, paragraphs: list[tuple[int, int]], protected: Stabbing, *, headline_first: bool
) -> list[Sentence]:
    """The sentences of each paragraph; a paragraph is a heading when it is the headline, or
    short and ends without a sentence's last mark."""
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        heading = (number == 0 and headline_first) or (
            text[p_start:p_end].rstrip().rstrip("\"”’')]")[-1:] not in ".!?…:;"
            and len(words(text[p_start:p_end])) <= 25
        )
        for s, e in split_sentences(text, p_start, p_end, protected):
            sentences.append(Sentence(start=s, end=e, paragraph=number, heading=heading))
    return sentences


def _quote_spans(text: str, pieces: list[QuotePiece], sentences: list[Sentence]) -> list[QuoteSpan]:
    """The quotation pieces that start inside a sentence, as spans; a piece continuing one
    that is left out continues nothing."""
    quote_spans: list[QuoteSpan] = []
    span_ids: dict[int, int] = {}  # piece index -> QuoteSpan id
    starts = [sent.start for sent in sentences]  # in text order: bisect, not a scan per quote
    for index, piece in enumerate(pieces):
        sentence = bisect_right(starts, piece.start) - 1
        if sentence < 0 or piece.start >= sentences[sentence].end:
            continue
        span_ids[index] = len(quote_spans)
        quote_spans.append(
            QuoteSpan(
                id=len(quote_spans),
                start=piece.start,
                end=piece.end,
                sentence=sentence,
                fragment=len(text[piece.start : piece.end].split()) < 4,
                continues=None if piece.previous is None else span_ids.get(piece.previous),
            )
        )
    return quote_spans
