"""Who said each quotation, from the grammar of news copy. Precise or silent.

This is the attribution module casualty sources and stances use too (through ``Attributor``).
In order of trust, for each quotation span found by ingest:

1. echo: a scare-quoted fragment that repeats the same words (case kept) of another quotation
   in the same article belongs to that quotation's speaker, identical words first;
2. explicit: a reporting frame next to the quote and its subject: `"...," X said`, `"...,"
   said X`, `X said (that) ... "..."`, `X did confirm that "..."`, `X slammed it as "..."`,
   `X told the paper: "..."` (also when the colon ends the paragraph before), participles
   (`calling it "..."`) taking the subject of their clause or the noun they follow
   (`announcements urging "..."`), coordinated verbs (`X did this and warned "..."`),
   `according to X` (a document's author when it names one), `quoted X as saying`;
3. context: a quotation with no frame of its own continues the previous speaker in the same
   or the next paragraph, unless someone else took the floor in between.

A frame whose subject is no speaker leaves the quote unattributed and stops any guess from
context (``SILENT``): an outlet relaying words ("the Kessel Courier reported", call signs), a
place ("Port Aldous warned" after "in Port Aldous"), a document ("the declaration says"), a
passive subject ("X was accused of"), a claim ("X denied claims that") or an inner clause ("a
call in which Y ordered") that the quote belongs to, a description nothing names ("the senator"
when another senator is named, "a spokeswoman").

Subjects are names (linked to the fullest form of the name, offices and portfolios removed),
pronouns (the person at the centre of attention: a sentence's subject or the last explicit
speaker, never a name inside a quotation), "it" (the body that spoke just before), descriptions
("the envoy", "the ministry") resolved to who holds them, unnamed sources as the text
introduced them ("the source" after "a senior ministry source"), crowds for chants, a country
or its capital for its government (named as written, so always grounded in the text).
Vocabulary lives in ``lexicon``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from ...models import Article, Attribution, Quote, QuoteSpan, Span
from ...textutil import fold
from ..budget import check
from .doc import Doc
from .entities import PARTICLES, Mention, Registry, Token, tokens
from .lexicon import (
    CAPITALS,
    CLAIM_NOUNS,
    DOCUMENT_NOUNS,
    GOVERNMENT_SEATS,
    GROUP_NOUNS,
    ORG_WORDS,
    OUTLET_NAMES,
    OUTLET_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    SPEECH_BASE_FORMS,
    SPEECH_VERBS,
    TITLE_WORDS,
    UNNAMED_SOURCE_NOUNS,
    country_demonym,
)

_AUXILIARIES = frozenset(
    """has have had was is were are will would also later then meanwhile again once
    previously earlier subsequently further reportedly publicly repeatedly did does do
    ultimately""".split()
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


# A reporting frame whose subject cannot be a quote's speaker: an outlet relaying the words, a
# place, a document. The quote is framed (so no guess from context), but nobody said it.
SILENT = Speaker("", None, "none", person=False)

# Outlet words that end an outlet's name ("The Kessel Tribune"); "network" or "channel" also
# end the names of other bodies.
_OUTLET_ENDINGS = (OUTLET_WORDS | {"press"}) - {
    "network",
    "station",
    "channel",
    "website",
    "outlet",
}
# Words that end newspapers' names and companies' names alike: a newspaper's takes "the".
_NEWSPAPER_ENDINGS = frozenset(
    """post star sun mail express globe independent observer standard mirror guardian
    review record sentinel bulletin""".split()
)
_OUTLET_PARTS = frozenset({"news", "tv", "radio", "television", "broadcasting"})
_CALL_SIGN = re.compile(r"[KW][A-Z]{3}(?:-(?:TV|FM|AM))?")
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TIME_BEFORE_VERB = re.compile(
    r"(?<=\w)\s+(?:(?:on|late|early)\s+"
    + _WEEKDAYS
    + r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|on)\s+(?:week|month|year|night|morning|weekend)"
    r"|(?:yesterday|today|tonight))\s*$"
)  # not after a comma: ", who visited on Monday," is a clause of its own
_PREPOSITIONS = frozenset(
    "in at on of for from with by to into near outside inside across over under after".split()
)
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
_DO = frozenset({"did", "does", "do"})
_COORDINATORS = frozenset({"and", "but"})
# Documents someone issues, and the verbs that issue them ("X released a statement").
# Unions of word lists asked about per token: made once here, not at every question.
_NOT_BEFORE_SPEAKER = _AUXILIARIES | _CLAUSE_OPENERS | _DETERMINERS
_DETERMINERS_ONE = _DETERMINERS | {"one"}
_SOURCE_GROUP_ROLE = UNNAMED_SOURCE_NOUNS | GROUP_NOUNS | ROLE_NOUNS
_ROLE_OR_UNNAMED = ROLE_NOUNS | UNNAMED_SOURCE_NOUNS
_COORD_OR_AUX = _COORDINATORS | _AUXILIARIES

_ISSUED = frozenset({"statement", "release", "announcement", "communique", "communiqué"})
_ISSUING_VERBS = frozenset({"released", "issued", "published", "sent", "put"})
# What may follow a closing quotation mark for a frame after it (``Attributor.after``).
_FRAME_AFTER_RE = re.compile(r"\s*[,—–-]?\s*\w")
_SPACED_WORD_RE = re.compile(r"\s+\w")
# The words ``Attributor.before`` can find a frame at ("according to", "quoted ... as
# saying", a speech verb, "did confirm", "issued a statement"): every other word is passed.
_FRAME_WORDS = (
    frozenset({"according", "quotes", "quoted", "quoting"})
    | SPEECH_VERBS
    | SPEECH_BASE_FORMS
    | _ISSUING_VERBS
)


def _word_end(token: Token) -> int:
    """Where the word ends, without a sentence's full stop ("source." -> "source")."""
    return token.start + len(token.bare)


# A name right after these stands where the speakers are ("leaders in Nairobi", "students
# from Lisbon"): it never speaks for them.
_IN_A_PLACE_RE = re.compile(
    r"\b(?:in|at|from|near|into|across|around|outside|inside|throughout)\s+(?:the\s+)?$"
)


def _country_or_capital(name: str) -> bool:
    """Whether ``name`` is a country, a capital or a seat of government ("U.S.", "North Korea",
    "Moscow", "the Kremlin"): when it speaks, its government does (a city or a street never
    speaks)."""
    return any(
        written in CAPITALS or written in GOVERNMENT_SEATS or country_demonym(written) is not None
        for written in (name.casefold(), fold(name))
    )


def is_outlet(name: str, before: str = "") -> bool:
    """Whether ``name`` (with the words ``before`` it) names a news outlet: a known outlet
    name, an outlet word ending it ("Kessel Tribune", "CBS News"), a broadcast call sign, or
    an outlet noun describing it ("affiliate WKXR", "the newspaper Hoy")."""
    words = [fold(w) for w in name.split()]
    if not words:
        return False
    if any(w in OUTLET_NAMES for w in words) or any(w in _OUTLET_PARTS for w in words):
        return True
    if words[-1] in _OUTLET_ENDINGS or _CALL_SIGN.fullmatch(name.strip()) is not None:
        return True
    if words[-1] in _NEWSPAPER_ENDINGS and re.search(r"\bthe\s*$", before, re.IGNORECASE):
        return True  # "the Kessel Post", "the Morning Star"; "Harbour Post" is a company
    previous = before.split()[-1:] if before.strip() else []
    return bool(previous) and fold(previous[0]) in OUTLET_WORDS


def _is_speech_verb(token: Token) -> bool:
    return token.lower in SPEECH_VERBS


def _is_participle(token: Token) -> bool:
    return token.lower.endswith("ing")


# What a speech verb before a quotation says of it (``Attributor._verb_frame``).
_Verdict = Literal["found", "silent", "stop", "next"]


class Attributor:
    """Who says what in one ``Doc``: reporting frames, resolved with a registry of its own
    (``Doc.resolution``) that learns as it reads (who spoke last, a pronoun's gender)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.article = doc.article
        self.text = doc.text
        self.registry = doc.resolution()

    # -- noun phrases ------------------------------------------------------------------------

    def subject_before(self, lo: int, verb: Token) -> Speaker | None:
        """The subject of ``verb``: the phrase ending just before it.

        Adverbs and auxiliaries ("meanwhile", "has") are skipped, and so is an appositive or
        relative clause between commas ("Trump, who was sworn in on January 20, 2025, vowed").
        """
        prefix = self.text[lo : verb.start]
        # "X on Thursday urged", "X last week said": a time between subject and verb.
        prefix = _TIME_BEFORE_VERB.sub("", prefix)
        for _ in range(3):
            stripped = prefix.rstrip()
            words = stripped.split()
            if words and words[-1].rstrip(",").casefold() in _AUXILIARIES:
                if words[-1].casefold() in _PASSIVE and not verb.lower.endswith("ing"):
                    return None  # "X was accused of ...", "X was told": X did not say it
                prefix = stripped[: len(stripped) - len(words[-1])]
                continue
            break
        end = lo + len(prefix.rstrip().rstrip(","))
        if prefix.rstrip().endswith(","):
            # "X, editor of the magazine Y, said": the subject ends at an earlier comma when
            # what follows it reads as an appositive or relative clause.
            commas: list[int] = []  # the last four commas before the verb, the nearest first
            comma = self.text.rfind(",", lo, end)
            while comma >= 0 and len(commas) < 4:
                commas.append(comma)
                comma = self.text.rfind(",", lo, comma)
            for comma in commas:
                clause = self.text[comma + 1 : end].lstrip()
                described = any(
                    t.lower in TITLE_WORDS or t.lower in ROLE_NOUNS
                    for t in tokens(self.text, comma + 1, end)
                )  # "X, Southern Region Director of Y, said", "X, Labour’s MEP, said"
                if described or re.match(r"(?:who|which|a|an|the|[a-z]|\d)", clause):
                    found = self._phrase(lo, comma)
                    if found is not None and found.person:
                        return found
        return self._phrase(lo, end)

    def _phrase(self, lo: int, end: int) -> Speaker | None:
        """Resolve the noun phrase that ends at ``end`` (its start is at or after ``lo``)."""
        toks = self.registry.tokens_between(lo, end)
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
        if last.lower == "it":
            return self._body_before(last.start)
        if last.lower == "who" and len(toks) > 1:
            # "X, who said": the relative pronoun stands for the name before it.
            before = self.registry.mention_at(lo, toks[-2].end)
            if before is not None and re.fullmatch(r",?\s*", self.text[before.end : last.start]):
                return self._phrase(lo, before.end)
            return None
        mention = self.registry.mention_at(lo, end)
        if mention is not None and mention.end >= last.start:
            return self._named(lo, toks, mention)
        return self._government(toks) or self._role_in(toks, last.start)

    def _named(self, lo: int, toks: list[Token], mention: Mention) -> Speaker | None:
        """The speaker a phrase ending in a name stands for (``toks`` from ``lo``, the name
        ``mention`` at their end): the person named, the organisation, the government of a
        country, SILENT for an outlet or a place."""
        last = toks[-1]
        entity = mention.entity
        name = self.text[mention.start : mention.end]
        if is_outlet(name, self.text[lo : mention.start]) and (
            entity.kind != "person"
            or (not entity.roles and fold(name).split()[-1] in _OUTLET_ENDINGS)
        ):
            # An outlet relays words; it is never their speaker ("the Kessel Courier
            # reported" reads like a person's name to the registry, but for its ending).
            return SILENT
        if self.registry.could_be_person(entity) and mention.end == last.end:
            entity.kind = "person"  # a full name as the subject of a speech verb
        if entity.kind == "person":
            return Speaker(
                self.registry.canonical(entity), self.registry.best_span(entity), "explicit"
            )
        span = Span(start=mention.start, end=mention.end)
        owner = self._person_of(lo, mention)
        if owner is not None:
            return owner
        if entity.kind == "org" or last.lower in ORG_WORDS:
            return Speaker(name, span, "explicit", person=False)
        if _IN_A_PLACE_RE.search(self.text[lo : mention.start]):
            # "Farmers in Rabat said", "students from Lisbon vowed": where the speakers are,
            # not who they are.
            return self._role_in(toks, last.start) or SILENT
        # A country or its capital speaking is its government ("Moscow said"), named as
        # the text names it: the speaker is always grounded in the article's words.
        if _country_or_capital(name) and mention.end == last.end:
            return Speaker(name, span, "explicit", person=False)
        if self.registry.is_place(entity):
            return SILENT  # a place never speaks
        return self._role_in(toks, last.start) or Speaker(name, span, "explicit", False)

    def _person_of(self, lo: int, mention: Mention) -> Speaker | None:
        """ "Deniz Kaya of the Guild of Structural Surveyors said": the person before "of",
        "from", "at", "with" or "for" and the organisation ``mention`` is the head."""
        head = re.search(
            r"\s+(?:of|from|at|with|for)\s+(?:the\s+)?$", self.text[lo : mention.start]
        )
        if head is None:
            return None
        owner = self.registry.mention_at(lo, lo + head.start())
        if (
            owner is None
            or owner.end != lo + head.start()
            or not self.registry.could_be_person(owner.entity)
        ):
            return None
        owner.entity.kind = "person"  # the subject of a speech verb
        return Speaker(
            self.registry.canonical(owner.entity),
            self.registry.best_span(owner.entity),
            "explicit",
        )

    def _body_before(self, position: int) -> Speaker | None:
        """ "it said": the organisation that was the subject of this sentence or the one before,
        or that spoke there, with no person and no document ("a statement") in between."""
        sentences = self.article.sentences
        here = next((k for k, s in enumerate(sentences) if s.start <= position < s.end), None)
        if here is None:
            return None
        quoted = [(q.start, q.end) for q in self.article.quote_spans]
        for mention in reversed(self.registry.mentions):
            if mention.start >= position or any(a <= mention.start < b for a, b in quoted):
                continue
            if mention.sentence < here - 1:
                return None  # too far back
            if mention.entity.kind == "person" and not self.registry.is_possessor(mention):
                return None  # a person in between: "it" is not theirs
            if mention.entity.kind != "org":
                continue
            if not (mention.subject or self.registry.speaks_at(mention.end)):
                return None
            between = [
                t
                for t in tokens(self.text, mention.end, position)
                if not any(a <= t.start < b for a, b in quoted)
            ]
            if any(
                t.lower in _ISSUED and (k < 2 or between[k - 2].lower != "in")
                for k, t in enumerate(between)
            ):
                # "X put out a statement ... It calls": the statement ("X said in a
                # statement ... it said" is X).
                return None
            name = self.text[mention.start : mention.end]
            return Speaker(name, Span(start=mention.start, end=mention.end), "pronoun", False)
        return None

    def _government(self, toks: list[Token]) -> Speaker | None:
        """ "Moscow said", "Iran called ...": a country or its capital that opens the sentence
        (so the registry did not take it as a name) speaks for its government; it is named as
        written."""
        names: list[Token] = []
        for tok in reversed(toks):
            if not tok.capitalized or len(names) > 3:
                break
            names.insert(0, tok)
        if not names or len(names) > 3:
            return None
        span = Span(start=names[0].start, end=names[-1].end)
        written = self.text[span.start : span.end]
        if not _country_or_capital(written) or _IN_A_PLACE_RE.search(
            self.text[toks[0].start : span.start]
        ):
            return None  # "protesters in Moscow said" is not Moscow speaking
        return Speaker(written, span, "explicit", person=False)

    def _description(self, toks: list[Token], position: int) -> Speaker | None:
        """An unnamed speaker as the text describes it, with its affiliation ("a Harbour
        Freight spokeswoman" -> "Harbour Freight spokeswoman"). A definite one ("the source")
        is the one introduced before ("a senior ministry source"); with nothing to describe it ("the
        senator" when no senator was named or introduced) it is nobody we can name."""
        last = toks[-1]
        start = len(toks) - 1
        while (
            start > 0
            and toks[start - 1].lower not in _DETERMINERS_ONE
            and len(toks) - start < 5
            and toks[start - 1].lower not in SPEECH_VERBS
            and toks[start - 1].lower not in _PREPOSITIONS
            and self.text[toks[start - 1].end : toks[start].start] == " "
        ):
            start -= 1  # the description's own words: not across a comma or a preposition
        determiner = toks[start - 1].lower if start > 0 else ""
        if determiner in ("the", "this", "that") and start == len(toks) - 1:
            introduced = None
            for match in re.finditer(
                r"\b(?:a|an|one)\s+((?:[\w’'.-]+\s+){1,3}?)" + re.escape(last.text) + r"\b",
                self.text[:position],
            ):
                introduced = match
            if introduced is not None:
                span = Span(start=introduced.start(1), end=introduced.end())
                return Speaker(self.text[span.start : span.end], span, "role", person=False)
            if self.registry.holders(last.lower) or last.lower in UNNAMED_SOURCE_NOUNS:
                # "the senator" when a senator is named only later, or an unnamed one was
                # introduced otherwise: it may or may not be the named one; "the source"
                # that was never introduced says nothing of who it is.
                return SILENT
        if start == len(toks) - 1 and (
            determiner in ("a", "an", "one") or last.lower in UNNAMED_SOURCE_NOUNS
        ):
            return SILENT  # "a spokeswoman said", "officials said": nothing says whose
        if start > 0 and toks[start - 1].lower in _DETERMINERS_ONE:
            start -= 1
        span = Span(start=toks[start].start, end=_word_end(last))
        return Speaker(self.text[span.start : span.end], span, "role", person=False)

    def _role_in(self, toks: list[Token], position: int) -> Speaker | None:
        """A description ("the envoy", "US envoy", "the ministry") to the one it describes."""
        last = toks[-1]
        if last.lower in OUTLET_WORDS:
            return SILENT  # "the newspaper reported": it relays, it does not speak
        if last.lower in DOCUMENT_NOUNS:
            return self._issuer(last, position)
        if last.lower in GROUP_NOUNS:
            start = len(toks) - 1
            while start > 0 and toks[start - 1].lower not in _DETERMINERS and start > len(toks) - 3:
                start -= 1
            span = Span(start=toks[start].start, end=_word_end(last))
            return Speaker(self.text[span.start : span.end], span, "role", person=False)
        if last.lower in ROLE_NOUNS or last.lower in UNNAMED_SOURCE_NOUNS:
            qualifiers = toks[-4:-1]
            indefinite = next(
                (t.lower for t in reversed(qualifiers) if t.lower in _DETERMINERS_ONE),
                None,
            ) in ("a", "an", "one")
            if indefinite or any(t.text[-2:] in ("’s", "'s") for t in qualifiers):
                # "Kessland’s foreign minister": someone's own, not whoever else holds the
                # office in the article; "a spokeswoman": someone new. Kept as written.
                return self._description(toks, position)
            person = self.registry.by_role(last.lower, position)
            if person is not None:
                return Speaker(
                    self.registry.canonical(person), self.registry.best_span(person), "role"
                )
            return self._description(toks, position)
        if last.lower in ORG_WORDS and len(toks) >= 2 and toks[-2].lower in _DETERMINERS:
            for entity in reversed(self.registry.entities):
                if (
                    entity.kind == "org"
                    and last.lower in fold(entity.name).split()
                    and (entity.span.start < position)
                ):
                    return Speaker(entity.name, entity.span, "role", person=False)
        return None

    def _according_to(self, start: int, end: int) -> Speaker | None:
        """The source after "according to": "a statement signed by the group's spokesman,
        Dana Whitlock," is Dana Whitlock; "the Kessel Courier" relays, so it is nobody."""
        toks = tokens(self.text, start, end)
        for k in range(len(toks) - 2, 0, -1):
            if toks[k].lower in ("by", "from") and any(t.lower in DOCUMENT_NOUNS for t in toks[:k]):
                start = toks[k + 1].start  # the document's author
                break
        named = self._named_after(end)
        if named is not None and toks and toks[-1].lower in _ROLE_OR_UNNAMED:
            return named  # "the group's spokesman, Dana Whitlock"
        return self._phrase(start, end)

    def _named_after(self, end: int) -> Speaker | None:
        """The person whose name stands in apposition right after ``end`` (", Dana Whitlock,")."""
        gap = re.match(r",\s+", self.text[end : end + 3])
        if gap is None:
            return None
        mention = next((m for m in self.registry.mentions if m.start == end + gap.end()), None)
        if mention is None or not self.registry.could_be_person(mention.entity):
            return None
        if self.text[mention.end : mention.end + 1] not in (",", ".", ";", ""):
            return None
        mention.entity.kind = "person"
        return Speaker(
            self.registry.canonical(mention.entity),
            self.registry.best_span(mention.entity),
            "explicit",
        )

    def _issuer(self, noun: Token, position: int) -> Speaker:
        """ "the statement said": whoever the text says issued it ("X said in a statement",
        "X released a statement") in the sentences before; a document nobody is said to have
        issued ("the declaration says") is nobody's remark."""
        if noun.lower not in _ISSUED:
            return SILENT
        sentences = self.article.sentences
        here = next((k for k, s in enumerate(sentences) if s.start <= position < s.end), None)
        if here is None:
            return SILENT
        for index in range(here, max(-1, here - 4), -1):
            sentence = sentences[index]
            stop = min(sentence.end, noun.start)
            for match in re.finditer(r"\b" + re.escape(noun.text) + r"\b", self.text):
                if not (sentence.start <= match.start() <= stop):
                    continue
                head = [
                    t
                    for t in tokens(self.text, sentence.start, match.start())
                    if _is_speech_verb(t) or t.lower in _ISSUING_VERBS
                ]
                if head:
                    found = self.subject_before(sentence.start, head[0])
                    if found is not None and found is not SILENT:
                        return Speaker(found.name, found.span, "role", found.person)
        return SILENT

    # -- attribution patterns ----------------------------------------------------------------

    def after(self, quote: QuoteSpan, sentence_end: int) -> Speaker | None:
        """`"...," X said` or `"...," said X` right after the closing mark."""
        close = quote.end + 1
        tail = self.text[close:sentence_end]
        if not _FRAME_AFTER_RE.match(tail) and not _SPACED_WORD_RE.match(tail):
            return None
        toks = tokens(self.text, close, sentence_end)[:12]
        if toks and toks[0].lower in _CLAUSE_OPENERS:
            return None  # '"...," and X said "..."': X speaks the next quote, not this one
        if len(toks) > 2 and toks[0].lower == "according" and toks[1].lower == "to":
            return self._according_after(close, toks)
        gap_start = close
        for i, tok in enumerate(toks):
            # Punctuation between the words ends the clause; inside a word ("U.S.") it does not.
            if any(ch in self.text[gap_start : tok.start] for ch in ".!?;" + _QUOTE_MARKS):
                return None
            gap_start = tok.end
            quoted = self._quoted_as(toks, i)
            if quoted is not None:
                return quoted
            if not _is_speech_verb(tok):
                continue
            if i == 0:  # "..., said X"
                return self._said_after(toks[1:10])
            # A speech verb right after the quote frames it: whoever its subject is, the
            # quote is not left to a guess from context.
            return self.subject_before(close, tok) or SILENT
        return None

    def _according_after(self, close: int, toks: list[Token]) -> Speaker | None:
        """`"...," according to X`: X, or SILENT when X cannot be named."""
        if any(ch in self.text[close : toks[0].start] for ch in ".!?;" + _QUOTE_MARKS):
            return None
        end = next(
            (t.end for t in toks[2:] if self.text[t.end : t.end + 1] in (",", ".", ";")),
            toks[-1].end,
        )
        return self._according_to(toks[2].start, end) or SILENT

    def _said_after(self, following: list[Token]) -> Speaker | None:
        """`"...," said X`: the speaker named by the words ``following`` the verb."""
        if not following:
            return None
        stop = self._speaker_words(following)
        if stop == 0:
            return SILENT  # framed ('"...," said the') but by nobody we can name
        head = following[stop - 1]
        if head.lower in _ROLE_OR_UNNAMED:
            named = self._named_after(head.end)  # "said the mayor, Tom Ruiz"
            if named is not None:
                return named
        found = self._phrase(following[0].start, following[stop - 1].end)
        return found or SILENT

    def _speaker_words(self, following: list[Token]) -> int:
        """How many of the words after "said" name or describe the speaker: capitalised and
        title words up to the first other lower-case word or gap; "said a senior ministry
        source", "chanted the crowd": lower-case words up to the noun that describes the
        speaker; "said port director Tom Baker": with the name right after the description,
        which is who it describes."""
        stop = next(
            (
                k
                for k, t in enumerate(following)
                if (
                    t.text[0].islower()
                    and t.lower not in _DETERMINERS
                    and t.lower not in ROLE_NOUNS
                    and t.lower not in TITLE_WORDS
                    and t.text not in PARTICLES
                )
                or (k > 0 and self.text[following[k - 1].end : t.start] != " ")
            ),
            len(following),
        )
        noun = next(
            (
                k
                for k, t in enumerate(following[:5])
                if t.lower in _SOURCE_GROUP_ROLE
                and all(self.text[a.end : b.start] == " " for a, b in pairwise(following[: k + 1]))
            ),
            None,
        )
        if noun is None or stop > noun:
            return stop
        stop = noun + 1
        while (
            stop < len(following)
            and following[stop].text[0].isupper()
            and self.text[following[stop - 1].end : following[stop].start] == " "
        ):
            stop += 1
        return stop

    def before(self, quote: QuoteSpan, sentence_start: int) -> Speaker | None:
        """`X said ... "..."`: the nearest speech verb before the quote and its subject."""
        opening = quote.start - 1
        lo = self._after_last_quote(sentence_start, opening)
        toks = tokens(self.text, lo, opening)
        silent = False
        for i in range(len(toks) - 1, -1, -1):
            if toks[i].lower not in _FRAME_WORDS:
                continue
            found = self._according_before(toks, i)
            if found is SILENT:
                silent = True
            elif found is not None:
                return found
            quoted = self._quoted_as(toks, i)
            if quoted is not None and quoted is not SILENT:
                return quoted
            if not self._speech_verb_at(toks, i):
                continue
            verdict, speaker = self._verb_frame(lo, toks, i)
            if verdict == "found":
                return speaker
            if verdict == "stop":
                silent = True
                break
            if verdict == "silent":
                silent = True  # "..., the paper reported": look for who said it before that
        # Only participles: their subject is the sentence's subject, if the sentence opens
        # with it ("He praised X, calling him ...": he, never X).
        if not silent and any(_is_speech_verb(t) and _is_participle(t) for t in toks):
            return self._sentence_subject(lo, toks, opening)
        return SILENT if silent else None

    def _after_last_quote(self, sentence_start: int, opening: int) -> int:
        """Where the words before a quotation start: after any closing mark earlier in the
        sentence (an apostrophe inside a word is no mark)."""
        lo = sentence_start
        for match in re.finditer(r"[”\"’]", self.text[sentence_start:opening]):
            if match.group() != "’" or not self.text[sentence_start + match.start() - 1].isalpha():
                lo = sentence_start + match.end()
        return max(lo, sentence_start)

    def _according_before(self, toks: list[Token], i: int) -> Speaker | None:
        """ "according to X, ..." at token ``i``: X (SILENT when X cannot be named)."""
        if not (toks[i].lower == "according" and i + 1 < len(toks) and toks[i + 1].lower == "to"):
            return None
        end = next((t.end for t in toks[i + 2 :] if self.text[t.end : t.end + 1] == ","), None)
        return None if end is None else self._according_to(toks[i + 2].start, end)

    def _verb_frame(self, lo: int, toks: list[Token], i: int) -> tuple[_Verdict, Speaker | None]:
        """What the speech verb at ``i`` says of the quotation after it: "found" (its
        speaker), "silent" (framed by nobody we can name: look further back), "stop" (the
        quote belongs to someone else's words: look no further), "next" (not its frame)."""
        tok = toks[i]
        between = toks[i + 1 :]
        author = self._claim_author(between)
        if author is not None:
            return "found", author
        if any(
            (a.lower in CLAIM_NOUNS and b.lower in ("that", "from", "of", "by"))
            or (a.lower in ("in", "during", "by", "on") and b.lower in ("which", "whom"))
            for a, b in pairwise(between)
        ):
            # "X denied claims that ...", "X said ... a call in which Y ordered ...": the
            # quote belongs to the claim or to the inner clause, not to X.
            return "stop", None
        if _is_participle(tok):
            return self._participle_frame(lo, toks, i)
        speaker = self.subject_before(lo, tok)
        if speaker is None and i > 0 and toks[i - 1].lower in _COORD_OR_AUX:
            # "X has traded insults with Y and warned that ...": the sentence's subject.
            k = i - 1
            while k > 0 and toks[k].lower in _AUXILIARIES:
                k -= 1
            if toks[k].lower in _COORDINATORS:
                speaker = self._sentence_subject(lo, toks, toks[k].start)
        if speaker is SILENT:
            return "silent", None
        return ("found", speaker) if speaker is not None else ("next", None)

    def _participle_frame(
        self, lo: int, toks: list[Token], i: int
    ) -> tuple[_Verdict, Speaker | None]:
        """A speech participle: "notices urging residents to ..." (the noun before it
        speaks); "..., calling it "..."" (the clause's main verb has the subject: "next")."""
        tok = toks[i]
        glued = i > 0 and self.text[toks[i - 1].end : tok.start] == " "
        if not (
            glued
            and toks[i - 1].text[:1].islower()
            and toks[i - 1].lower not in _NOT_BEFORE_SPEAKER
        ):
            return "next", None
        noun = self._phrase(lo, toks[i - 1].end)
        if noun is None or noun is SILENT:
            return "stop", None
        return "found", noun

    def _sentence_subject(self, lo: int, toks: list[Token], before: int) -> Speaker | None:
        """The person the clause from ``lo`` opens with: its pronoun, or a name that is the
        sentence's subject ("He praised X, calling him ...": he, never X)."""
        opener = toks[0] if toks else None
        if opener is not None and opener.lower in PRONOUNS:
            person = self.registry.person_at(opener.start, opener.lower)
            if person is None:
                return None
            return Speaker(
                self.registry.canonical(person), self.registry.best_span(person), "pronoun"
            )
        first = next(
            (m for m in self.registry.mentions if lo <= m.start < before and m.subject), None
        )
        if (
            first is not None
            and first.entity.kind == "person"
            and not any(t.lower in PRONOUNS for t in toks if t.start < first.start)
        ):
            return Speaker(
                self.registry.canonical(first.entity),
                self.registry.best_span(first.entity),
                "explicit",
            )
        return None

    def _claim_author(self, between: list[Token]) -> Speaker | None:
        """ "X dismissed claims from Y that ...": the quote after it is Y's, when Y can be
        named; None when there is no such claim."""
        for k, tok in enumerate(between[:-2]):
            if tok.lower not in CLAIM_NOUNS or between[k + 1].lower not in ("from", "by"):
                continue
            that = next((j for j in range(k + 2, len(between)) if between[j].lower == "that"), None)
            if that is None or that == k + 2:
                return None
            found = self._phrase(between[k + 2].start, between[that - 1].end)
            return found if found is not None and found is not SILENT else None
        return None

    def _quoted_as(self, toks: list[Token], i: int) -> Speaker | None:
        """ "the broadcaster quoted the court as saying": the one quoted speaks (or, when it
        cannot be named, nobody: the outlet only relays)."""
        if toks[i].lower not in ("quotes", "quoted", "quoting"):
            return None
        said = next((k for k in range(i + 2, len(toks) - 1) if toks[k].lower == "as"), None)
        if said is None or toks[said + 1].lower not in ("saying", "telling", "writing"):
            return None
        return self._phrase(toks[i + 1].start, toks[said - 1].end) or SILENT

    def _speech_verb_at(self, toks: list[Token], i: int) -> bool:
        """A speech verb, or issuing a statement: "X released the following statement:"."""
        if _is_speech_verb(toks[i]):
            return True
        if toks[i].lower in SPEECH_BASE_FORMS and i > 0 and toks[i - 1].lower in _DO:
            return True  # "X did confirm that ..."
        return toks[i].lower in _ISSUING_VERBS and any(
            t.lower in _ISSUED for t in toks[i + 1 : i + 4]
        )


_SPACE = re.compile(r"\s+")


def _may_echo(speaker: Speaker | None) -> bool:
    """Whether a quotation with this speaker can lend it to an echo of its words."""
    return speaker is not None and speaker.how != "echo" and speaker.person


class _Echoes:
    """Where ``_echo_source`` looks, made once per pass over the quotations.

    The best source is the first by (words not exactly the same, fragment, distance, order).
    So the quotations that could lend their speaker (``_may_echo``) are kept in lists by their
    exact folded words and by each word they hold, split by ``fragment``, and each list is
    walked outward from the target, nearest first: the first that qualifies is the best of its
    tier, and the tiers are tried in that order. A quotation given an echo leaves the lists
    (``became_echo``). Where the quotations are not in strict text order, every quotation is
    compared, as before.
    """

    def __init__(self, quotes: list[QuoteSpan], text: str, speakers: dict[int, Speaker]) -> None:
        self.quotes = quotes
        self.speakers = speakers
        self.starts = [q.start for q in quotes]
        self.folded = [fold(text[q.start : q.end]) for q in quotes]
        self.raw_words = [" ".join(re.findall(r"\w+", text[q.start : q.end])) for q in quotes]
        self.words = [set(_SPACE.split(f)) for f in self.folded]
        self.ordered = all(a < b for a, b in pairwise(self.starts))
        self.exact: dict[tuple[str, bool], list[int]] = {}
        self.holding: dict[tuple[str, bool], list[int]] = {}
        for k, quote in enumerate(quotes):
            if not _may_echo(speakers.get(quote.id)):
                continue
            self.exact.setdefault((self.folded[k], quote.fragment), []).append(k)
            for word in self.words[k]:
                self.holding.setdefault((word, quote.fragment), []).append(k)

    def became_echo(self, k: int) -> None:
        """Quotation ``k`` now has an echo for speaker: it lends no more."""
        fragment = self.quotes[k].fragment
        for members in [
            self.exact.get((self.folded[k], fragment)),
            *(self.holding.get((w, fragment)) for w in self.words[k]),
        ]:
            if members:
                at = bisect.bisect_left(members, k)
                if at < len(members) and members[at] == k:
                    del members[at]

    def _nearest(
        self, members: list[int], start: int, earlier_only: bool, ok: Callable[[int], bool]
    ) -> int | None:
        """The first of ``members`` (indices in text order) that is ``ok``, by distance from
        ``start`` and, at equal distance, the earlier."""
        starts = self.starts
        j = bisect.bisect_left(members, start, key=lambda k: starts[k])
        i = j - 1
        if earlier_only:
            j = len(members)
        while i >= 0 or j < len(members):
            if j >= len(members) or (
                i >= 0 and start - starts[members[i]] <= starts[members[j]] - start
            ):
                k = members[i]
                i -= 1
            else:
                k = members[j]
                j += 1
            if ok(k):
                return k
        return None

    def source(
        self, k: int, needle: str, earlier_only: bool, ok: Callable[[int], bool]
    ) -> int | None:
        """The quotation whose speaker quotation ``k`` (folded: ``needle``) echoes."""
        start = self.starts[k]
        for fragment in (False, True):
            found = self._nearest(self.exact.get((needle, fragment), []), start, earlier_only, ok)
            if found is not None:
                return found
        pieces = [p for p in _SPACE.split(needle) if p] or [""]
        for fragment in (False, True):
            # Every piece of the needle is a word of a quotation it stands in, whole: the
            # quotations holding the rarest piece are all there is to try.
            members = min((self.holding.get((p, fragment), []) for p in pieces), key=len)
            found = self._nearest(members, start, earlier_only, ok)
            if found is not None:
                return found
        return None


def _echo_source(
    target: QuoteSpan,
    quotes: list[QuoteSpan],
    speakers: dict[int, Speaker],
    text: str,
    *,
    earlier_only: bool,
    echoes: _Echoes | None = None,
) -> Speaker | None:
    """The speaker of another quotation in the article whose words contain this one's."""
    needle = fold(text[target.start : target.end])
    if not needle:
        return None
    # Compiled when a quotation first passes the cheap tests: most targets meet none.
    patterns: list[tuple[re.Pattern[str], re.Pattern[str]]] = []

    def qualifies(q: QuoteSpan, folded: str, raw_words: str) -> bool:
        if not (
            q.id != target.id
            and _may_echo(speakers.get(q.id))
            and (q.start < target.start or not earlier_only)
            and q.end - q.start >= target.end - target.start
        ):
            return False
        if not patterns:
            patterns.append(_echo_patterns(needle, text[target.start : target.end]))
        pattern, raw_pattern = patterns[0]
        return bool(pattern.search(folded) and raw_pattern.search(raw_words))

    at = -1
    if echoes is not None and echoes.ordered and echoes.speakers is speakers:
        at = bisect.bisect_left(echoes.starts, target.start)
    if echoes is not None and 0 <= at < len(quotes) and echoes.quotes[at] is target:
        e = echoes
        best = e.source(
            at, needle, earlier_only, lambda k: qualifies(e.quotes[k], e.folded[k], e.raw_words[k])
        )
        if best is None:
            return None
        source = speakers[quotes[best].id]
        return Speaker(source.name, source.span, "echo")
    candidates = [
        q
        for q in quotes
        if qualifies(
            q, fold(text[q.start : q.end]), " ".join(re.findall(r"\w+", text[q.start : q.end]))
        )
    ]
    if not candidates:
        return None
    return _best_echo(candidates, target, needle, speakers, text)


def _echo_patterns(needle: str, quoted: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What another quotation must hold to contain ``quoted`` (folded: ``needle``): its
    words, folded; and as written, where case counts but for the first letter ("urgent
    care" is not the name "Urgent Care Centre")."""
    pattern = re.compile(r"(?:^|\s)" + re.escape(needle) + r"(?:\s|$)")
    raw = " ".join(re.findall(r"\w+", quoted))
    raw_pattern = re.compile(
        r"(?<!\w)["
        + re.escape(raw[:1].lower() + raw[:1].upper())
        + "]"
        + re.escape(raw[1:])
        + r"(?!\w)"
    )
    return pattern, raw_pattern


def _best_echo(
    candidates: list[QuoteSpan],
    target: QuoteSpan,
    needle: str,
    speakers: dict[int, Speaker],
    text: str,
) -> Speaker:
    """The speaker of the best candidate: the same words quoted as they stand beat the same
    words inside a longer quotation; then a full quotation beats a fragment; then the
    nearest."""
    candidates = sorted(
        candidates,
        key=lambda q: (
            fold(text[q.start : q.end]) != needle,
            q.fragment,
            abs(q.start - target.start),
        ),
    )
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


def _someone_else_between(
    article: Article, registry: Registry, start: int, end: int, speaker: Speaker
) -> bool:
    """Whether the narrative between ``start`` and ``end`` (quotations aside) names a person or
    body other than ``speaker``: then a quotation after it is no longer that speaker's."""
    inside = [(q.start, q.end) for q in article.quote_spans]
    for mention in registry.mentions:
        if not (start <= mention.start < end) or mention.entity.kind not in ("person", "org"):
            continue
        if any(a <= mention.start < b for a, b in inside):
            continue
        if re.search(
            r"\b(?:of|at|for|from|with|to|by)\s+(?:the\s+)?$",
            article.text[max(0, mention.start - 12) : mention.start],
        ):
            continue  # "X of Harbour Freight", "told the Courier": an affiliation, an audience
        takes_floor = (
            mention.subject or registry.is_possessor(mention) or registry.speaks_at(mention.end)
        )  # not an audience ("told the Kessel Courier") or an affiliation ("at the university")
        if takes_floor and registry.canonical(mention.entity) != speaker.name:
            return True
    return False


def _continue_previous(article: Article, registry: Registry, found: dict[int, Speaker]) -> None:
    """An unattributed quote right after an attributed one goes on with its speaker, unless
    the text in between (or the quote's own sentence) brings in someone else."""
    spans = article.quote_spans
    for index, quote in enumerate(spans[1:], start=1):
        previous = spans[index - 1]
        if quote.id in found or previous.id not in found:
            continue
        if article.sentences[quote.sentence].heading:
            continue  # a heading quoting someone is not the previous speaker going on
        if _someone_else_between(
            article,
            registry,
            previous.end,
            article.sentences[quote.sentence].end,
            found[previous.id],
        ):
            continue
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
        if person is None:
            continue
        speaker = Speaker(registry.canonical(person), registry.best_span(person), "context")
        since = registry.last_focal(person, quote.start)
        if since is None or _someone_else_between(article, registry, since, quote.start, speaker):
            continue  # someone else took the floor since: a guess would be a coin toss
        found[quote.id] = speaker


def _framed(attributor: Attributor) -> dict[int, Speaker]:
    """Each quotation's speaker as its own frame gives it: after it (`"...," X said`), before
    it (`X said "..."`), or a sentence before ending in a colon. SILENT where a frame names
    nobody. Each person quoted becomes the centre of attention after the quote."""
    article = attributor.article
    found: dict[int, Speaker] = {}
    for quote in article.quote_spans:
        check()
        sentence = article.sentences[quote.sentence]
        speaker = attributor.after(quote, sentence.end)
        if speaker is None or speaker is SILENT:
            # '"...," the paper reported' frames the quote but names nobody: look before it.
            speaker = attributor.before(quote, sentence.start) or speaker
        if speaker is None and quote.sentence > 0:
            # "X said:" ending the sentence (or paragraph) before the one the quote opens.
            previous = article.sentences[quote.sentence - 1]
            opens = not article.text[sentence.start : quote.start - 1].strip()
            if opens and article.text[previous.start : previous.end].rstrip().endswith(":"):
                speaker = attributor.before(quote, previous.start)
        if speaker is not None:
            found[quote.id] = speaker  # SILENT too: framed, so never guessed from context
            if speaker.person and speaker.span is not None:
                attributor.registry.attend(speaker.span, quote.end + 1)
    return found


def _echo_pass(
    spans: list[QuoteSpan], text: str, found: dict[int, Speaker], *, unattributed_only: bool
) -> None:
    """Echoes: a fragment (or an unattributed quote) repeating another quotation's words is
    that speaker's. A fragment with a named speaker of its own yields only to an earlier
    quotation: a later one is more likely someone else repeating the word. With
    ``unattributed_only``, only quotations with no speaker yet (a headline quoting words the
    body attributes)."""
    echoes = _Echoes(spans, text, found)
    for k, quote in enumerate(spans):
        own = found.get(quote.id)
        if unattributed_only:
            if own is not None:
                continue
        elif not (quote.fragment or own is None or not own.person):
            continue
        earlier_only = own is not None and own.person
        echo = _echo_source(quote, spans, found, text, earlier_only=earlier_only, echoes=echoes)
        if echo is not None:
            found[quote.id] = echo
            echoes.became_echo(k)


def _as_quote(article: Article, quote: QuoteSpan, speaker: Speaker | None) -> Quote:
    if speaker is not None and not speaker.name:
        speaker = None
    return Quote(
        start=quote.start,
        end=quote.end,
        text=article.text[quote.start : quote.end],
        speaker=speaker.name if speaker else None,
        speaker_span=speaker.span if speaker else None,
        fragment=quote.fragment,
        attribution=speaker.how if speaker else "none",
    )


def attribute(doc: Doc, attributor: Attributor | None = None) -> list[Quote]:
    """Every quotation span of ``doc`` as a Quote with its speaker (or None).

    ``attributor`` (by default a new one) is left as the quotes leave it: a speaker quoted is
    the centre of attention from there, which stances read on from."""
    article = doc.article
    attributor = attributor or Attributor(doc)
    registry = attributor.registry
    spans = article.quote_spans
    found = _framed(attributor)
    _follow_chains(spans, found)
    _echo_pass(spans, article.text, found, unattributed_only=False)
    _continue_previous(article, registry, found)
    _follow_chains(spans, found)
    _standalone_paragraphs(article, registry, found)
    _follow_chains(spans, found)
    _echo_pass(spans, article.text, found, unattributed_only=True)
    return [_as_quote(article, quote, found.get(quote.id)) for quote in spans]
