"""Who said each quotation, from the grammar of news copy.

In order of trust, for each quotation span found by ingest:

1. echo: a scare-quoted fragment that repeats words of a longer quotation in the same article
   belongs to that quotation's speaker ("talk of 'retaliation'" after "warned of 'very serious
   retaliation'");
2. explicit: a speech verb next to the quote and its subject: `"...," X said`, `"...," said X`,
   `X said (that) ... "..."`, `X warned of "..."`, participles (`calling it "..."`) taking the
   subject of their clause, `according to X`;
3. context: a quotation with no attribution of its own continues the previous speaker in the
   same or the previous paragraph.

Subjects are names (linked to the fullest form of the name), pronouns (the person at the centre
of attention), descriptions ("the envoy", "the ministry") resolved to who they describe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...models import Article, Attribution, Quote, QuoteSpan, Span
from ...textutil import fold
from .entities import PARTICLES, Registry, Token, tokens
from .lexicon import ORG_WORDS, PRONOUNS, ROLE_NOUNS, SPEECH_VERBS

_AUXILIARIES = frozenset(
    """has have had was is were are will would also later then meanwhile again once
    previously earlier subsequently further reportedly publicly repeatedly""".split()
)
_CLAUSE_OPENERS = frozenset(
    {
        "and",
        "but",
        "or",
        "while",
        "as",
        "because",
        "which",
        "who",
        "where",
        "when",
        "if",
        "though",
        "although",
    }
)
_DETERMINERS = frozenset({"the", "a", "an", "this", "that"})
_QUOTE_MARKS = "\"“”‘’'«»„"


@dataclass(frozen=True)
class Speaker:
    name: str
    span: Span | None
    how: Attribution
    person: bool = True


def _is_speech_verb(token: Token) -> bool:
    return token.lower in SPEECH_VERBS


def _is_participle(token: Token) -> bool:
    return token.lower.endswith("ing")


class Attributor:
    def __init__(self, article: Article, registry: Registry) -> None:
        self.article = article
        self.text = article.text
        self.registry = registry

    # -- noun phrases ------------------------------------------------------------------------

    def subject_before(self, lo: int, verb: Token) -> Speaker | None:
        """The subject of ``verb``: the phrase ending just before it.

        Adverbs and auxiliaries ("meanwhile", "has") are skipped, and so is an appositive or
        relative clause between commas ("Trump, who was sworn in on January 20, 2025, vowed").
        """
        prefix = self.text[lo : verb.start]
        for _ in range(3):
            stripped = prefix.rstrip()
            words = stripped.split()
            if words and words[-1].rstrip(",").casefold() in _AUXILIARIES:
                prefix = stripped[: len(stripped) - len(words[-1])]
                continue
            break
        end = lo + len(prefix.rstrip().rstrip(","))
        if prefix.rstrip().endswith(","):
            # "X, editor of the magazine Y, said": the subject ends at an earlier comma when
            # what follows it reads as an appositive or relative clause.
            commas = [lo + k for k, ch in enumerate(self.text[lo:end]) if ch == ","]
            for comma in sorted(commas, reverse=True)[:4]:
                clause = self.text[comma + 1 : end].lstrip()
                if re.match(r"(?:who|which|a|an|the|[a-z]|\d)", clause):
                    found = self._phrase(lo, comma)
                    if found is not None and found.person:
                        return found
        return self._phrase(lo, end)

    def _phrase(self, lo: int, end: int) -> Speaker | None:
        """Resolve the noun phrase that ends at ``end`` (its start is at or after ``lo``)."""
        toks = tokens(self.text, lo, end)
        if not toks or self.text[toks[-1].end : end].strip(" ,"):
            return None
        last = toks[-1]
        if last.lower in PRONOUNS:
            person = self.registry.person_at(last.start, last.lower)
            if person is None:
                return None
            return Speaker(
                self.registry.canonical(person), self.registry.best_span(person), "pronoun"
            )
        mention = self.registry.mention_at(lo, end)
        if mention is not None and mention.end >= last.start:
            entity = mention.entity
            if self.registry.could_be_person(entity) and mention.end == last.end:
                entity.kind = "person"  # a full name as the subject of a speech verb
            if entity.kind == "person":
                return Speaker(
                    self.registry.canonical(entity), self.registry.best_span(entity), "explicit"
                )
            name = self.text[mention.start : mention.end]
            span = Span(start=mention.start, end=mention.end)
            # "Levent Cakir of the Chamber of Civil Engineers said": the person is the head.
            head = re.search(
                r"\s+(?:of|from|at|with|for)\s+(?:the\s+)?$", self.text[lo : mention.start]
            )
            if head is not None:
                owner = self.registry.mention_at(lo, lo + head.start())
                if (
                    owner is not None
                    and owner.end == lo + head.start()
                    and self.registry.could_be_person(owner.entity)
                ):
                    owner.entity.kind = "person"  # the subject of a speech verb
                    return Speaker(
                        self.registry.canonical(owner.entity),
                        self.registry.best_span(owner.entity),
                        "explicit",
                    )
            if entity.kind == "org" or last.lower in ORG_WORDS:
                return Speaker(name, span, "explicit", person=False)
            return self._role_in(toks, last.start) or Speaker(name, span, "explicit", False)
        return self._role_in(toks, last.start)

    def _role_in(self, toks: list[Token], position: int) -> Speaker | None:
        """A description ("the envoy", "US envoy", "the ministry") to the one it describes."""
        last = toks[-1]
        if last.lower in ROLE_NOUNS:
            person = self.registry.by_role(last.lower, position)
            if person is not None:
                return Speaker(
                    self.registry.canonical(person), self.registry.best_span(person), "role"
                )
            start = len(toks) - 1
            while (
                start > 0
                and toks[start - 1].lower not in _DETERMINERS
                and len(toks) - start < 5
                and toks[start - 1].lower not in SPEECH_VERBS
            ):
                start -= 1
            if start > 0 and toks[start - 1].lower in _DETERMINERS:
                start -= 1
            span = Span(start=toks[start].start, end=last.end)
            return Speaker(self.text[span.start : span.end], span, "role", person=False)
        if last.lower in ORG_WORDS and len(toks) >= 2 and toks[-2].lower in _DETERMINERS:
            for entity in reversed(self.registry.entities):
                if (
                    entity.kind == "org"
                    and last.lower in fold(entity.name).split()
                    and (entity.span.start < position)
                ):
                    return Speaker(entity.name, entity.span, "role", person=False)
        return None

    # -- attribution patterns ----------------------------------------------------------------

    def after(self, quote: QuoteSpan, sentence_end: int) -> Speaker | None:
        """`"...," X said` or `"...," said X` right after the closing mark."""
        close = quote.end + 1
        tail = self.text[close:sentence_end]
        if not re.match(r"\s*[,—–-]?\s*\w", tail) and not re.match(r"\s+\w", tail):
            return None
        toks = tokens(self.text, close, sentence_end)[:12]
        if toks and toks[0].lower in _CLAUSE_OPENERS:
            return None  # '"...," and X said "..."': X speaks the next quote, not this one
        for i, tok in enumerate(toks):
            if any(ch in self.text[close : tok.start] for ch in ".!?;" + _QUOTE_MARKS):
                return None
            if not _is_speech_verb(tok):
                continue
            if i == 0:  # "..., said X"
                following = toks[1:10]
                if not following:
                    return None
                stop = next(
                    (
                        k
                        for k, t in enumerate(following)
                        if (
                            t.text[0].islower()
                            and t.lower not in _DETERMINERS
                            and t.lower not in ROLE_NOUNS
                            and t.text not in PARTICLES
                        )
                        or (k > 0 and self.text[following[k - 1].end : t.start] != " ")
                    ),
                    len(following),
                )
                if stop == 0:
                    return None
                return self._phrase(following[0].start, following[stop - 1].end)
            return self.subject_before(close, tok)
        return None

    def before(self, quote: QuoteSpan, sentence_start: int) -> Speaker | None:
        """`X said ... "..."`: the nearest speech verb before the quote and its subject."""
        opening = quote.start - 1
        lo = sentence_start
        for match in re.finditer(r"[”\"’]", self.text[sentence_start:opening]):
            if match.group() != "’" or not self.text[sentence_start + match.start() - 1].isalpha():
                lo = sentence_start + match.end()
        lo = max(lo, sentence_start)
        toks = tokens(self.text, lo, opening)
        for i in range(len(toks) - 1, -1, -1):
            tok = toks[i]
            if tok.lower == "according" and i + 1 < len(toks) and toks[i + 1].lower == "to":
                end = next(
                    (t.end for t in toks[i + 2 :] if self.text[t.end : t.end + 1] == ","), None
                )
                if end is not None:
                    return self._phrase(toks[i + 2].start, end)
            if not _is_speech_verb(tok):
                continue
            if _is_participle(tok):
                continue  # "..., calling it "..."": the clause's main verb has the subject
            speaker = self.subject_before(lo, tok)
            if speaker is not None:
                return speaker
        # Only participles: their subject is the sentence's subject.
        if any(_is_speech_verb(t) and _is_participle(t) for t in toks):
            first = next(
                (m for m in self.registry.mentions if lo <= m.start < opening and m.subject), None
            )
            if first is not None and first.entity.kind == "person":
                return Speaker(
                    self.registry.canonical(first.entity),
                    self.registry.best_span(first.entity),
                    "explicit",
                )
        return None


def _echo_source(
    target: QuoteSpan,
    quotes: list[QuoteSpan],
    speakers: dict[int, Speaker],
    text: str,
    *,
    earlier_only: bool,
) -> Speaker | None:
    """The speaker of another quotation in the article whose words contain this one's."""
    needle = fold(text[target.start : target.end])
    if not needle:
        return None
    pattern = re.compile(r"(?:^|\s)" + re.escape(needle) + r"(?:\s|$)")
    candidates = [
        q
        for q in quotes
        if q.id != target.id
        and q.id in speakers
        and speakers[q.id].how != "echo"
        and speakers[q.id].person
        and (q.start < target.start or not earlier_only)
        and q.end - q.start >= target.end - target.start
        and pattern.search(fold(text[q.start : q.end]))
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda q: (q.fragment, abs(q.start - target.start)))
    source = speakers[candidates[0].id]
    return Speaker(source.name, source.span, "echo")


def _follow_chains(spans: list[QuoteSpan], found: dict[int, Speaker]) -> None:
    """The paragraphs of one multi-paragraph quotation share its speaker."""
    by_id = {q.id: q for q in spans}
    for quote in spans:
        chain = [quote]
        while chain[-1].continues is not None and chain[-1].continues in by_id:
            chain.append(by_id[chain[-1].continues])
        known = next((found[q.id] for q in chain if q.id in found), None)
        if known is None:
            continue
        for piece in chain:
            found.setdefault(piece.id, Speaker(known.name, known.span, "context", known.person))


def _continue_previous(article: Article, found: dict[int, Speaker]) -> None:
    """An unattributed quote right after an attributed one goes on with its speaker."""
    spans = article.quote_spans
    for index, quote in enumerate(spans[1:], start=1):
        previous = spans[index - 1]
        if quote.id in found or previous.id not in found:
            continue
        if article.sentences[quote.sentence].heading:
            continue  # a heading quoting someone is not the previous speaker going on
        paragraphs_apart = (
            article.sentences[quote.sentence].paragraph
            - article.sentences[previous.sentence].paragraph
        )
        if paragraphs_apart in (0, 1) and quote.sentence - previous.sentence <= 1:
            source = found[previous.id]
            found[quote.id] = Speaker(source.name, source.span, "context", source.person)


def _standalone_paragraphs(article: Article, registry: Registry, found: dict[int, Speaker]) -> None:
    """A quotation that is its paragraph on its own, with no attribution anywhere (the answers
    of an interview, a quote paragraph after the speaker was introduced), is the person at the
    centre of attention."""
    paragraphs: dict[int, list[int]] = {}
    for sentence in article.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.start)
    for quote in article.quote_spans:
        if quote.id in found:
            continue
        sentence = article.sentences[quote.sentence]
        if sentence.heading:
            continue
        starts = [s.start for s in article.sentences if s.paragraph == sentence.paragraph]
        ends = [s.end for s in article.sentences if s.paragraph == sentence.paragraph]
        paragraph = article.text[min(starts) : max(ends)]
        if quote.end - quote.start < 0.7 * len(paragraph):
            continue
        person = registry.person_at(quote.start)
        if person is not None:
            found[quote.id] = Speaker(
                registry.canonical(person), registry.best_span(person), "context"
            )


def attribute(article: Article, registry: Registry) -> list[Quote]:
    """Every quotation span of ``article`` as a Quote with its speaker (or None)."""
    attributor = Attributor(article, registry)
    spans = article.quote_spans
    found: dict[int, Speaker] = {}
    for quote in spans:
        sentence = article.sentences[quote.sentence]
        speaker = attributor.after(quote, sentence.end) or attributor.before(quote, sentence.start)
        if speaker is not None:
            found[quote.id] = speaker
    _follow_chains(spans, found)
    # Echoes: a fragment (or an unattributed quote) repeating another quotation's words is
    # that speaker's. A fragment with a named speaker of its own yields only to an earlier
    # quotation: a later one is more likely someone else repeating the word.
    for quote in spans:
        own = found.get(quote.id)
        if quote.fragment or own is None or not own.person:
            echo = _echo_source(
                quote,
                spans,
                found,
                article.text,
                earlier_only=own is not None and own.person,
            )
            if echo is not None:
                found[quote.id] = echo
    _continue_previous(article, found)
    _follow_chains(spans, found)
    _standalone_paragraphs(article, registry, found)
    _follow_chains(spans, found)
    for quote in spans:  # a headline quoting words the body attributes
        if quote.id not in found:
            echo = _echo_source(quote, spans, found, article.text, earlier_only=False)
            if echo is not None:
                found[quote.id] = echo
    quotes = []
    for quote in spans:
        speaker = found.get(quote.id)
        quotes.append(
            Quote(
                start=quote.start,
                end=quote.end,
                text=article.text[quote.start : quote.end],
                speaker=speaker.name if speaker else None,
                speaker_span=speaker.span if speaker else None,
                fragment=quote.fragment,
                attribution=speaker.how if speaker else "none",
            )
        )
    return quotes
