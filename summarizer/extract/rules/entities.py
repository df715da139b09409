"""Who is who in one article: name mentions, people and organisations, and who "he" is.

Names are runs of capitalised words. Office words before a name ("EU Special Envoy to the
Sahel Mara Quist") become the person's role; an appositive after it ("Yusuf Al-Karimi, a ministry
spokesperson,") too. A single word links to the person whose surname it is ("Quist"),
else whose first name it is. A pronoun is the person who was most recently the subject of a
sentence or of a speech verb (the centre of attention), not merely the last name seen.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Final

from ...models import Article, Span
from ...textutil import STOPWORDS, fold
from ..budget import check
from .lexicon import (
    ORG_WORDS,
    PORTFOLIO_WORDS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STANCE_VERBS,
    TITLE_WORDS,
    UNNAMED_SOURCE_NOUNS,
    nationality,
)
from .spans import Overlaps

_TOKEN_RE = re.compile(r"(?:U\.S\.|U\.K\.|U\.N\.|[^\W\d_][\w’'\-]*\.?|\d[\d,.]*)", re.UNICODE)
# Lower-case parts of names: "Jean-Marc de la Fosse", "Tariq bin Saleh al-Amiri".
PARTICLES = frozenset(
    "al el bin ibn abu de van von da di le la du der den ben del della dos das ter ten".split()
)
_GENDERED_ROLES = {
    "she": frozenset(
        """mrs ms miss madam dame lady queen princess spokeswoman chairwoman
        congresswoman businesswoman mother daughter sister wife grandmother widow actress
        girl woman""".split()
    ),
    "he": frozenset(
        """mr sir lord king prince spokesman chairman congressman businessman
        father son brother husband grandfather widower actor boy man""".split()
    ),
}
_NOT_APPOSITIVE = frozenset("and or but who which was is were are has had have will would".split())
_NAME_JOINERS = frozenset({"of", "for", "to", "and", "the", "against", "on"})
# A name containing one of these is a place, not a person ("United States", "Middle East").
_PLACE_WORDS = frozenset(
    """states kingdom republic emirates nations islands east west north south city province
    county region strip valley sea gulf river mountains desert coast peninsula""".split()
)
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_SENTENCE_OPENERS = (
    _MONTHS
    | STOPWORDS
    | frozenset(
        """both meanwhile crucially however but while although as after before in on at for
    according during despite since though yet still also addressing such many most some
    earlier later today yesterday""".split()
    )
)


# Unions of word lists asked about per token: made once here, not at every question.
_ORG_OR_PLACE = ORG_WORDS | _PLACE_WORDS
_SPEECH_OR_STANCE = SPEECH_VERBS | STANCE_VERBS
_OFFICE_OR_PARTICLE = ROLE_NOUNS | TITLE_WORDS | PARTICLES
_OFFICE_WORDS = ROLE_NOUNS | TITLE_WORDS
_ARTICLES_AND_JOINERS = frozenset({"the", "a", "an", "of", "for", "to", "and"})


# Patterns asked once per name or mention: compiled here, not looked up in ``re``'s cache at
# each call.
_PREPOSITION_BEFORE_RE = re.compile(
    r"\b(?:in|at|from|of|near|to|into|across|around|outside|inside)\s+$"
)
_RELATIVE_RE = re.compile(r",\s+who\b")
_NUMBER_AFTER_RE = re.compile(r" \d")
_APPOSITIVE_RE = re.compile(
    r",\s+(?:\d{1,3},\s+)?((?:a|an|the)\s+[^,.;]{2,80}?|[a-z][^,.;]{1,80}?)"
    r"(?:,|\.|;| who\b| whose\b| which\b)"
)
_APPOSITIVE_WORD_RE = re.compile(r"[\w\-]+")
_SPEECH_AFTER_RE = re.compile(r"(?:, \d{1,3})?,? (?:\w+ly )?(?:has |have |had )?(\w+)")
_INTRODUCED_RE = re.compile(r",\s+(?:\d{1,3},\s+)?an?\s")
_PREFIX_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_SUBJECT_PRONOUN_RE = re.compile(r"\b(he|himself|she|herself)\b", re.IGNORECASE)


# ``Registry._find_by_token``'s lookups in order, as (people only, word position): the
# surname, then (a name not yet known as a person too) the surname, then the other parts.
_PEOPLE_PASSES = ((True, -1), (True, 1), (True, 2), (True, 0))
_NAME_PASSES = ((True, -1), (False, -1), (True, 1), (True, 2), (True, 0))


def _last_word(prefix: str) -> tuple[int, str] | None:
    r"""Where the last word of ``prefix`` starts, and the word: what ``([\w.’'\-]+)\s*$``
    finds, read backwards from the end rather than tried at every position of the prefix
    (``\s`` and ``str.isspace``, ``\w`` and ``str.isalnum`` or "_" are the same classes)."""
    end = len(prefix.rstrip())
    start = end
    while start > 0 and (prefix[start - 1].isalnum() or prefix[start - 1] in "_.’'-"):
        start -= 1
    return None if start == end else (start, prefix[start:end])


def _word_before(stretch: str) -> str | None:
    r"""The lower-case word that ends ``stretch`` before a space (and a comma): what
    ``([a-z][\w-]*),? $`` finds (``$`` also before a final line break), read backwards from
    the end rather than tried at every position of the stretch."""
    end = len(stretch) - 1 if stretch.endswith("\n") else len(stretch)
    if end < 1 or stretch[end - 1] != " ":
        return None
    stop = end - 2 if end >= 2 and stretch[end - 2] == "," else end - 1
    start = stop
    while start > 0 and (stretch[start - 1].isalnum() or stretch[start - 1] in "_-"):
        start -= 1
    while start < stop and not "a" <= stretch[start] <= "z":
        start += 1
    return stretch[start:stop] if start < stop else None


# Each distinct token text's (bare, lower, capitalized), for ``Token``: a pure function of
# the text, kept for every word seen (a vocabulary, cleared should it ever grow past the max).
_TOKEN_FACTS: dict[str, tuple[str, str, bool]] = {}
_TOKEN_FACTS_MAX = 100_000


def _token_facts(text: str) -> tuple[str, str, bool]:
    """What a ``Token`` derives from its text alone: the text without one final full stop
    ("Dr." but not "U.S."), that folded, and whether it is capitalised (a particle joined to
    a capitalised word, "al-Amiri", is)."""
    bare = text.rstrip(".") if text.count(".") == 1 else text
    capitalized = text[:1].isupper() or (
        "-" in text and text.split("-", 1)[0] in PARTICLES and text.split("-", 1)[1][:1].isupper()
    )
    if len(_TOKEN_FACTS) >= _TOKEN_FACTS_MAX:
        _TOKEN_FACTS.clear()
    facts = _TOKEN_FACTS[text] = (bare, bare.casefold(), capitalized)
    return facts


class Token:
    """A word as names are read, with what is derived from its text alone (read many times per
    token, so computed once, with it). A plain class with slots, not a frozen dataclass: an
    article makes hundreds of tokens and a frozen dataclass sets each field through
    ``object.__setattr__``. Read-only (``Final``), equal by position and text."""

    __slots__ = ("bare", "capitalized", "end", "lower", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start: Final = start
        self.end: Final = end
        self.text: Final = text
        # What the text alone gives is looked up (an article writes a few hundred distinct
        # words many times over): one dictionary lookup instead of five string operations.
        facts = _TOKEN_FACTS.get(text) or _token_facts(text)
        self.bare: Final = facts[0]
        self.lower: Final = facts[1]
        self.capitalized: Final = facts[2]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Token:
            return NotImplemented
        assert isinstance(other, Token)
        return (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Token(start={self.start!r}, end={self.end!r}, text={self.text!r})"


@dataclass
class Entity:
    name: str
    kind: str  # person | org | other
    span: Span
    roles: set[str] = field(default_factory=set)
    gender: str | None = None  # "he" | "she", learnt from titles, roles and pronouns
    # ``tokens``'s cache: a declared field, as a compiled class has no ``__dict__``.
    _tokens: tuple[str, list[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def tokens(self) -> list[str]:
        # ``name`` never changes once the entity exists; callers only read the list.
        cached = self._tokens
        if cached is None or cached[0] != self.name:
            cached = (self.name, [fold(t) for t in self.name.split()])
            self._tokens = cached
        return cached[1]


class Mention:
    """A name as it stands in the text, linked to an entity. A plain class with slots, as
    ``Token`` (each registry copy makes every mention again); read-only (``Final``), equal
    by its fields."""

    __slots__ = ("end", "entity", "sentence", "start", "subject")

    def __init__(self, start: int, end: int, entity: Entity, sentence: int, subject: bool) -> None:
        self.start: Final = start
        self.end: Final = end
        self.entity: Final = entity
        self.sentence: Final = sentence
        self.subject: Final = subject

    def _fields(self) -> tuple[int, int, Entity, int, bool]:
        return (self.start, self.end, self.entity, self.sentence, self.subject)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Mention:
            return NotImplemented
        assert isinstance(other, Mention)
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # as the frozen dataclass: its Entity is mutable

    def __repr__(self) -> str:
        return (
            f"Mention(start={self.start!r}, end={self.end!r}, entity={self.entity!r}, "
            f"sentence={self.sentence!r}, subject={self.subject!r})"
        )


_GLUED_PART = re.compile(r"[A-Z][a-z’'\-]{2,}")


def _glued_parts(word: str) -> list[tuple[int, int]] | None:
    """Where copy glued an office and a name together ("SecretaryDanaWhitlock"): the parts'
    offsets within ``word``; None for an ordinary word, "McDonald" or a brand ("FlightDeck")."""
    parts = list(_GLUED_PART.finditer(word))
    if len(parts) < 2 or "".join(p.group() for p in parts) != word:
        return None
    if parts[0].group().casefold() not in TITLE_WORDS:
        return None
    return [(p.start(), p.end()) for p in parts]


# Where a name may follow a preposition of place (``Registry._located``): each start is
# indexed by its first ``_PLACE_KEY`` characters.
_PLACE_BEFORE = re.compile(r"\b(?:in|near|into|across|outside|inside|around|throughout)\s+")
_PLACE_AT = re.compile(f"(?={_PLACE_BEFORE.pattern})")
_THE = re.compile(r"the\s+")
_NAME_END = re.compile(r"\b(?![’'\w-])")
_PLACE_KEY = 3


def _place_starts(text: str) -> dict[str, list[int]]:
    """Every position a name could start at in ``\b(?:in|...)\\s+(?:the\\s+)?NAME``: just after
    the preposition's spaces, and after a "the" there. (One preposition at most matches at a
    place, each being followed by a space; a name never starts with a space.)"""
    starts: dict[str, list[int]] = {}
    for at in _PLACE_AT.finditer(text):
        found = _PLACE_BEFORE.match(text, at.start())
        if found is None:
            continue
        after = [found.end()]
        the = _THE.match(text, found.end())
        if the is not None:
            after.append(the.end())
        for p in after:
            starts.setdefault(text[p : p + _PLACE_KEY], []).append(p)
    return starts


def _may_be_glued(word: str) -> bool:
    """Whether ``word`` is worth asking ``_glued_parts`` about: long, capitalised, with a
    capital after its first letter (a word with none is one part; most words are passed
    over here without a pattern tried)."""
    return len(word) > 6 and word[0].isupper() and not word[1:].islower()


def _add_word(found: list[Token], word: str, at: int) -> None:
    """Append the token(s) of the match ``word`` at ``at``: one, or a glued word's parts."""
    parts = _glued_parts(word) if _may_be_glued(word) else None
    if parts is None:
        found.append(Token(at, at + len(word), word))
    else:
        found.extend(Token(at + a, at + b, word[a:b]) for a, b in parts)


def tokens(text: str, start: int, end: int) -> list[Token]:
    """The words of ``text[start:end]`` as names are read (glued words split)."""
    found: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        word = m.group()
        if len(word) > 6 and word[0].isupper() and _may_be_glued(word):  # cheap tests first
            _add_word(found, word, m.start())
        else:
            at = m.start()
            found.append(Token(at, at + len(word), word))
    return found


class _Scan:
    """The tokens from one start on, scanned as far as asked and kept (``tokens_between``)."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self._matches = _TOKEN_RE.finditer(text, start)
        self.ends: list[int] = []  # each match's end
        self.counts: list[int] = []  # tokens made up to and with each match
        self.toks: list[Token] = []
        self.done = False

    def upto(self, end: int) -> list[Token]:
        """``tokens(text, start, end)``: the matches that end by ``end`` are those of the
        unbounded scan (the pattern has no look-around), and the one cut by ``end``, if
        any, is scanned again within it."""
        while not self.done and (not self.ends or self.ends[-1] <= end):
            m = next(self._matches, None)
            if m is None:
                self.done = True
                break
            _add_word(self.toks, m.group(), m.start())
            self.ends.append(m.end())
            self.counts.append(len(self.toks))
        k = bisect.bisect_right(self.ends, end)
        if k == 0:
            return tokens(self.text, self.start, end)
        return self.toks[: self.counts[k - 1]] + tokens(self.text, self.ends[k - 1], end)


def _is_title(token: Token) -> bool:
    word = token.lower.rstrip(".")
    if word in TITLE_WORDS:
        return True
    # "Vice-President", "Co-Chair", "Ex-Minister": a compound ending in an office word.
    parts = word.split("-")
    return len(parts) > 1 and parts[-1] in TITLE_WORDS and all(p.isalpha() for p in parts)


def _possessive(token: Token) -> Token | None:
    """ "Okafor’s" -> "Okafor" (None when the token is not a possessive)."""
    if len(token.text) > 2 and token.text[-2:] in ("’s", "'s"):
        return Token(token.start, token.end - 2, token.text[:-2])
    return None


def _person_then_org(run: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """A person's name, then "of", "for" or "at" and their organisation ("Dana Whitlock of
    Harbour Freight", "Chief Inspector Morag Lindqvist-Hale of Harrow Vale Police"): the two
    runs; None for one name ("Ministry of Health", "Bank of Kessland")."""
    if len(run) < 3:
        return None  # no room for a joiner between two names
    joiner = next((k for k, t in enumerate(run) if t.lower in ("of", "for", "at")), None)
    if joiner is None or not 0 < joiner < len(run) - 1:
        return None
    left = run[:joiner]
    right = [t.lower for t in run[joiner + 1 :]]
    plain_name = (
        len(left) >= 2
        and not any(_is_title(t) or t.lower in _ORG_OR_PLACE for t in left)
        and any(w in ORG_WORDS for w in right)
    )
    titled_name = any(_is_title(t) for t in left[:-1]) and not (
        _is_title(left[-1]) or left[-1].lower in ORG_WORDS
    )
    return (left, run[joiner + 1 :]) if plain_name or titled_name else None


def _last_title(run: list[Token]) -> int:
    """Where the last office word of the run before its last word is (-1 when none)."""
    for k in range(len(run) - 2, -1, -1):
        if _is_title(run[k]):
            return k
    return -1


def _names_org(lowered: list[str], last_title: int) -> bool:
    """Whether a run (its words folded) names an organisation: an organisation word after its
    last office word, or, with no office word, anywhere or around an inner "of"."""
    after_title = lowered[last_title + 1 :]
    return not ORG_WORDS.isdisjoint(after_title) or (
        last_title < 0
        and (not ORG_WORDS.isdisjoint(lowered) or (len(lowered) > 1 and "of" in lowered[1:-1]))
    )


@lru_cache(maxsize=1 << 14)
def _opens_on_subject(prefix: str) -> bool:
    """``Registry._is_subject`` of a name after ``prefix``, the sentence's text before it: a
    pure function of that text, memoised (a name opening its sentence has the same short
    prefix in every article, and outlets repeat sentences)."""
    # The name's own titles ("Dr", "Border Police commander") are not before it.
    while True:
        last = _last_word(prefix)
        if last is None or not (
            last[1][0].isupper() or last[1].casefold().rstrip(".") in _OFFICE_WORDS
        ):
            break
        prefix = prefix[: last[0]]
    found = _PREFIX_WORD_RE.findall(prefix)
    folded = [w.casefold() for w in found]
    if found and folded[-1] in SPEECH_VERBS and prefix.rstrip()[-1:].isalpha():
        return True  # '"...," said X': X is the speaker
    if not _SPEECH_OR_STANCE.isdisjoint(folded):
        return False
    lower = [
        w
        for w, f in zip(found, folded, strict=True)
        if w[0].islower() and f not in _OFFICE_OR_PARTICLE and f not in _ARTICLES_AND_JOINERS
    ]
    return len(lower) <= 2 or (prefix.rstrip().endswith(",") and prefix.count(",") == 1)


class Registry:
    """People and organisations of one article, with the mentions that name them."""

    def __init__(
        self, article: Article, names: Sequence[Sequence[Token]], *, scan: bool = True
    ) -> None:
        """Scan ``article`` for names; ``names`` is each sentence's tokens (``Doc.names``).

        ``scan=False`` (for ``copy``, which sets every other attribute) sets only the article,
        its tokens and the caches: a class compiled by mypyc (see ``setup.py``) cannot be made
        with ``__new__`` without ``__init__``.
        """
        self.article = article
        self.text = article.text
        # Each sentence's tokens, made once by the ``Doc`` and only read.
        self._tokens = names
        # Caches, made again when mentions were added (see ``_mention_starts``, ``canonical``,
        # ``_mentions_of``).
        self._starts_cache: tuple[int, list[int] | None] | None = None
        self._canonical_cache: tuple[int, dict[int, str]] | None = None
        self._by_entity_cache: tuple[int, dict[int, list[Mention]]] | None = None
        if not scan:
            return
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self._possessors: set[int] = set()  # starts of mentions followed by "’s"
        self._spelled: dict[tuple[int, int], str] = {}  # glued names, spaced
        self._standalone = self._standalone_words()
        # Lookups that would otherwise scan every entity, mention or the whole text per name.
        self._by_folded: dict[str, Entity] = {}  # folded name -> first entity of that name
        self._by_part: dict[tuple[int, str], list[Entity]] = {}  # (position, word) -> entities
        self._part_words: set[str] = set()  # every word of ``_by_part``'s keys
        self._by_last: dict[str, list[Entity]] = {}  # last word -> entities of 2+ words
        self._in_sentence: dict[int, list[Mention]] = {}
        self._places: dict[str, list[int]] | None = None  # see ``_located``
        self._located_names: dict[str, bool] = {}
        self._speaking: dict[int, bool] = {}  # see ``_speaks``
        self._scans: dict[int, _Scan] = {}  # see ``tokens_between``
        self._sentence_starts = {s.start for s in article.sentences}
        for index, sentence in enumerate(article.sentences):
            check()
            self._scan(index, sentence)
        self._learn_genders()
        # Mentions that put someone at the centre of attention (kind is checked when asked,
        # because attribution can still find that a name is a person).
        # A name inside a quotation is the speaker's words, never the narrative's focus.
        quoted = Overlaps([(q.start, q.end) for q in article.quote_spans])
        self._focal = sorted(
            (
                m
                for m in self.mentions
                if (m.subject or self._speaks(m.end)) and not quoted.indices(m.start, m.start + 1)
            ),
            key=lambda m: m.start,
        )

    def copy(self) -> Registry:
        """An independent registry as this one stands now, without scanning the article again.

        Resolution changes entities as it learns (a name becomes a person, a gender, a role),
        so two extractors that must each start from the fresh registry each take a copy.
        """
        clone = Registry(self.article, self._tokens, scan=False)
        twins = {
            id(e): Entity(
                name=e.name, kind=e.kind, span=e.span, roles=set(e.roles), gender=e.gender
            )
            for e in self.entities
        }
        clone.entities = [twins[id(e)] for e in self.entities]
        remapped = {
            id(m): Mention(m.start, m.end, twins[id(m.entity)], m.sentence, m.subject)
            for m in self.mentions
        }
        clone.mentions = [remapped[id(m)] for m in self.mentions]
        clone._standalone = set(self._standalone)
        clone._possessors = self._possessors
        clone._spelled = self._spelled
        clone._focal = [remapped[id(m)] for m in self._focal]
        # The lookups as they stand, each entity replaced by its twin: what indexing the twins
        # again, in the same order, would give.
        clone._by_folded = {k: twins[id(e)] for k, e in self._by_folded.items()}
        clone._by_part = {k: [twins[id(e)] for e in v] for k, v in self._by_part.items()}
        clone._part_words = self._part_words  # entities are only entered by the scan
        clone._by_last = {k: [twins[id(e)] for e in v] for k, v in self._by_last.items()}
        clone._in_sentence = {}
        for mention in clone.mentions:
            clone._in_sentence.setdefault(mention.sentence, []).append(mention)
        clone._places = self._places
        clone._scans = self._scans
        clone._sentence_starts = self._sentence_starts
        clone._located_names = self._located_names
        clone._speaking = self._speaking
        return clone

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """``tokens(text, start, end)``; from a sentence's start (where the subject of each of
        its verbs is looked for) the sentence is tokenized once, not once per verb."""
        if start not in self._sentence_starts:
            return tokens(self.text, start, end)
        scan = self._scans.get(start)
        if scan is None:
            scan = self._scans[start] = _Scan(self.text, start)
        return scan.upto(end)

    def _index(self, entity: Entity) -> None:
        """Enter a new entity in the lookups (its name never changes)."""
        self._by_folded.setdefault(fold(entity.name), entity)
        parts = entity.tokens
        if len(parts) in (2, 3, 4):
            for position in (-1, 0, 1, 2):
                if position < len(parts):
                    self._by_part.setdefault((position, parts[position]), []).append(entity)
                    self._part_words.add(parts[position])
        if len(parts) >= 2:
            self._by_last.setdefault(parts[-1], []).append(entity)

    # -- discovery ---------------------------------------------------------------------------

    def _standalone_words(self) -> set[str]:
        """Capitalised words that also stand alone mid-sentence (places, countries, groups)."""
        seen: set[str] = set()
        for toks in self._tokens:
            for i, tok in enumerate(toks):
                if i == 0 or not tok.capitalized:
                    continue
                before = toks[i - 1]
                after = toks[i + 1] if i + 1 < len(toks) else None
                gap_before = self.text[before.end : tok.start]
                gap_after = self.text[tok.end : after.start] if after else " "
                joined_before = gap_before == " " and (
                    before.capitalized or before.text in PARTICLES
                )
                joined_after = (
                    gap_after == " "
                    and after is not None
                    and (
                        after.capitalized
                        # a particle first: most words are none (``_particle_joins``)
                        or (after.text in PARTICLES and self._particle_joins(toks, i + 1))
                    )
                )
                if not joined_before and not joined_after:
                    seen.add(tok.lower)
        return seen

    def _runs(self, toks: Sequence[Token]) -> list[list[Token]]:
        """Runs of capitalised tokens separated by single spaces (or name joiners)."""
        runs: list[list[Token]] = []
        current: list[Token] = []
        for i, tok in enumerate(toks):
            if not current and not tok.capitalized:
                continue  # a lower-case word outside a name starts, joins and ends nothing
            gap = self.text[current[-1].end : tok.start] if current else ""
            # Glued parts of one word ("SecretaryDanaWhitlock") follow with no gap at all.
            contiguous = not current or gap in (" ", "\n") or (gap == "" and tok.text[:1].isupper())
            if (
                (tok.capitalized and tok.text[0].isalpha() and contiguous)
                or (
                    current
                    and gap == " "
                    and tok.text in PARTICLES  # first: most words are none
                    and self._particle_joins(toks, i)
                )
                or (
                    current
                    and tok.lower in _NAME_JOINERS
                    and gap == " "
                    and i + 1 < len(toks)
                    and toks[i + 1].capitalized
                    and self.text[tok.end : toks[i + 1].start] == " "
                    and (
                        any(t.lower in ORG_WORDS for t in current)
                        or _is_title(current[-1])
                        or self._org_ahead(toks, i + 1)
                    )
                )
            ):
                current.append(tok)
            else:
                if current:
                    runs.append(current)
                current = [tok] if tok.capitalized and tok.text[0].isalpha() else []
            if current and self.text[current[-1].end : current[-1].end + 2] in ("’s", "'s"):
                runs.append(current)
                current = []
            elif (
                current
                and current[-1] is tok
                and tok.text.endswith(("’s", "'s"))  # first: most words are no possessive
                and (owner := _possessive(tok)) is not None
                and not self._org_ahead(toks, i + 1)
                and not any(t.lower in ORG_WORDS for t in [*current[:-1], owner])
            ):
                # "Kowalski’s party": a person's name ends before the possessive (a body's
                # is left as it was: "Kessland’s Red Crescent" is one name).
                runs.append([*current[:-1], owner])
                current = []
        if current:
            runs.append(current)
        return runs

    def _scan(self, index: int, sentence: Span) -> None:
        for run in self._runs(self._tokens[index]):
            self._add_run(index, sentence, run)

    def _particle_joins(self, toks: Sequence[Token], i: int) -> bool:
        """Whether ``toks[i]`` is a name particle followed, through more particles, by the
        rest of a name ("de la Roche")."""
        j = i
        while j < len(toks) and toks[j].text in PARTICLES:
            if self.text[toks[j].end : toks[j].end + 1] != " ":
                return False
            j += 1
        return j > i and j < len(toks) and toks[j].capitalized

    def _org_ahead(self, toks: Sequence[Token], i: int) -> bool:
        """Whether the capitalised words from ``i`` end in an organisation word
        ("Water and Forestry Ministry")."""
        for tok in toks[i : i + 4]:
            if not tok.capitalized:
                return False
            if tok.lower in ORG_WORDS:
                return True
        return False

    def _add_run(self, index: int, sentence: Span, run: list[Token]) -> None:
        """Enter a run of capitalised words as the entity it names, if it names one."""
        trimmed = self._trimmed(sentence, run)
        if not trimmed:
            return
        split = _person_then_org(trimmed)
        if split is not None:
            # "Chief Inspector Morag Lindqvist-Hale of Harrow Vale Police",
            # "Dana Whitlock of Harbour Freight": a person, then their organisation.
            self._add_run(index, sentence, split[0])
            self._add_run(index, sentence, split[1])
            return
        run = trimmed
        lowered = [t.lower for t in run]
        # Office words, and the words they govern ("Envoy to the Sahel"), are the role: the name
        # starts after the last office word ("Police Chief Orla Brennick").
        last_title = _last_title(run)
        if _names_org(lowered, last_title):
            start = 1 if lowered[0] == "the" else 0
            self._link(index, sentence, run[start:], "org", set())
            return
        roles, body = self._roles_and_name(run, last_title)
        if not body:
            return
        roles |= self._office_before(run[0])
        titled = bool(roles)
        appositive = self._appositive_role(run[-1].end)
        roles |= appositive
        kind = self._kind(run, body, titled=titled, appositive=bool(appositive))
        if kind is not None:
            self._link(index, sentence, body, kind, roles)

    def _trimmed(self, sentence: Span, run: list[Token]) -> list[Token]:
        """The run without joiners at its end, nor a sentence opener ("Meanwhile") at its start;
        empty when what is left is one capitalised word opening the sentence that is no name
        elsewhere in the article."""
        while run and run[-1].lower in _NAME_JOINERS:
            run = run[:-1]
        if not run:
            return []
        at_start = self.text[sentence.start : run[0].start].strip() in ("", "“", '"', "‘", "'")
        if at_start and run[0].lower in _SENTENCE_OPENERS and not self._surname_speaks(run):
            run = run[1:]
            at_start = False
        # A capitalised word opening a sentence is only a name if it is one elsewhere too.
        if (
            run
            and at_start
            and len(run) == 1
            and run[0].lower not in self._standalone
            and (self._find_by_token(run[0].lower, people_only=False) is None)
        ):
            return []
        return run

    def _roles_and_name(self, run: list[Token], last_title: int) -> tuple[set[str], list[Token]]:
        """The office words of the run (up to ``last_title`` and any that open what follows)
        and the name after them, without nationalities, joiners or place words before it."""
        roles = {t.lower.rstrip(".") for t in run[: last_title + 1]}
        body = run[last_title + 1 :]
        while body and (
            _is_title(body[0])
            or (body[0].lower in ROLE_NOUNS and len(body) > 2)
            or (body[0].lower in PORTFOLIO_WORDS and len(body) > 2)
            or nationality(body[0].bare) is not None
            or body[0].lower in _NAME_JOINERS
            or (len(body) > 2 and body[0].lower in self._standalone)
        ):
            if _is_title(body[0]):
                roles.add(body[0].lower.rstrip("."))
            body = body[1:]
        return roles, body

    def _office_before(self, first: Token) -> set[str]:
        """A lower-case office just before the name: "ERA spokeswoman Mira Holt"."""
        before = _word_before(self.text[max(0, first.start - 30) : first.start])
        if before and (before in ROLE_NOUNS or before in TITLE_WORDS):
            return {before}
        return set()

    def _kind(
        self, run: list[Token], body: list[Token], *, titled: bool, appositive: bool
    ) -> str | None:
        """What the name ``body`` (ending ``run``) is: "person" or "other"; None when it is a
        sentence opener after all. ``titled``: an office names it; ``appositive``: an
        appositive after it describes it."""
        if not _PLACE_WORDS.isdisjoint([t.lower for t in body]) or self._is_date(body):
            return "other"
        # "in X said": the preposition is looked for only before a name a verb follows.
        speaks = self._speaks(run[-1].end) and not _PREPOSITION_BEFORE_RE.search(
            self.text[max(0, run[0].start - 12) : run[0].start],
        )
        if len(body) >= 2:
            # "X, who ...": the relative pronoun is for people.
            relative = _RELATIVE_RE.match(self.text[run[-1].end : run[-1].end + 8])
            if not (titled or appositive or speaks or relative):
                return "other"
            if not (titled or appositive) and self._located(
                self.text[body[0].start : body[-1].end]
            ):
                return "other"  # "Port Aldous warned" after "homes in Port Aldous": a place
            return "person"
        word = body[0].lower
        if word in _SENTENCE_OPENERS and not self._surname_speaks(body):
            return None
        known = self._find_by_token(word) is not None or (
            speaks and self._find_by_token(word, people_only=False) is not None
        )
        return "person" if known or (titled and word not in self._standalone) else "other"

    def _located(self, name: str) -> bool:
        """Whether ``name`` is written after a preposition of place somewhere ("in X").

        The places where a name could follow such a preposition are found once per article
        (``_place_starts``), keyed by their first characters; each name is then looked for
        there alone, and its answer kept.
        """
        known = self._located_names.get(name)
        if known is not None:
            return known
        if self._places is None:
            self._places = _place_starts(self.text)
        if len(name) >= _PLACE_KEY:
            candidates = self._places.get(name[:_PLACE_KEY], [])
        else:
            candidates = [p for ps in self._places.values() for p in ps]
        found = any(
            self.text.startswith(name, p) and _NAME_END.match(self.text, p + len(name))
            for p in candidates
        )
        self._located_names[name] = found
        return found

    def _surname_speaks(self, run: list[Token]) -> bool:
        """ "May said on Friday" after "Helen May": a word that is also a month or an
        opener is the surname of a person named before when a speech verb follows it."""
        return (
            len(run) == 1
            and self._speaks(run[0].end)
            and self._find_by_token(run[0].lower) is not None
        )

    def _is_date(self, body: list[Token]) -> bool:
        """ "January 20", "May 2025": a month name followed by a number."""
        for t in body:  # a loop, not ``any``: asked of every name, most of one word
            if (
                t.lower in _MONTHS
                and len(t.lower) > 3
                and _NUMBER_AFTER_RE.match(self.text[t.end : t.end + 2])
            ):
                return True
        return False

    def could_be_person(self, entity: Entity) -> bool:
        """A name that is neither an organisation nor a place: a person if it speaks."""
        return entity.kind == "person" or (
            entity.kind == "other"
            and len(entity.tokens) >= 2
            and not any(t in _PLACE_WORDS for t in entity.tokens)
            and not self._located(entity.name)
        )

    def _appositive_role(self, end: int) -> set[str]:
        """Role words of an appositive after a name: ", a ministry spokesperson," gives
        {"spokesperson"}, ", an economist at the bank," gives {"economist"}."""
        if not self.text.startswith(",", end):
            return set()  # no comma after the name (most names): no appositive
        match = _APPOSITIVE_RE.match(self.text[end : end + 100])
        first = match.group(1).split()[0].casefold() if match else ""
        if not match or first in _NOT_APPOSITIVE or first in _SPEECH_OR_STANCE:
            return set()  # ", said her son ..." is the verb phrase, not a description
        words = [w.casefold() for w in _APPOSITIVE_WORD_RE.findall(match.group(1))]
        head = next(
            (
                words[k - 1]
                for k, w in enumerate(words)
                if k > 0 and w in ("of", "at", "for", "in", "with", "from", "to")
            ),
            words[-1],
        )
        roles = {
            w
            for w in words
            if w in ROLE_NOUNS
            or (
                w in TITLE_WORDS
                and w not in {"state", "war", "general", "former", "interim", "acting", "head"}
            )
        }
        return roles | ({head} if words[0] in ("a", "an", "the") and head.isalpha() else set())

    def is_possessor(self, mention: Mention) -> bool:
        """Whether the mention is a possessor ("Okafor’s statement")."""
        return mention.start in self._possessors

    def speaks_at(self, end: int) -> bool:
        """Whether a speech verb follows the name that ends at ``end``."""
        return self._speaks(end)

    def _speaks(self, end: int) -> bool:
        """Whether a speech verb follows the name directly ("Quist said", "X has warned").
        Asked several times of one name (its kind, the centre of attention, attribution):
        the answer, a function of the text alone, is kept."""
        known = self._speaking.get(end)
        if known is None:
            following = _SPEECH_AFTER_RE.match(self.text[end : end + 40])
            verb = following.group(1).casefold() if following is not None else ""
            known = self._speaking[end] = verb in _SPEECH_OR_STANCE and not verb.endswith("ing")
        return known

    def _find_by_token(self, word: str, *, people_only: bool = True) -> Entity | None:
        """The person a single word names: a surname, else a first name.

        With ``people_only=False`` (the word is the subject of a speech verb) a multi-word name
        not yet known as a person may match by its surname too: "Brandt said" after "Lena
        Brandt" was only mentioned names Lena Brandt, not a "Brandt Olsen".
        """
        folded = fold(word)
        if folded not in self._part_words:
            return None  # no name of 2 to 4 words has it as a part: most words asked of
        # Entities of 2 to 4 words, by (position, word): the latest first. Kinds are read now,
        # as resolution may have made a name a person since it was entered.
        # Surname first (any later part: "Alvarado" in "Lucía Ferrer Ibáñez"), then first name.
        for people, position in _PEOPLE_PASSES if people_only else _NAME_PASSES:
            for entity in reversed(self._by_part.get((position, folded), ())):
                if entity.kind == "person" if people else entity.kind != "org":
                    return entity
        return None

    def _link(
        self, index: int, sentence: Span, body: list[Token], kind: str, roles: set[str]
    ) -> None:
        """Enter the name ``body`` of sentence ``index`` as a mention of the entity it names
        (one already known, else a new one of ``kind``) with ``roles`` learnt."""
        start, end = body[0].start, body[-1].end
        if self.text[end - 1] == "." and body[-1].text.count(".") == 1:
            end -= 1
        name = self.text[start:end]
        if len(body) > 1 and any(a.end == b.start for a, b in pairwise(body)):
            name = " ".join(t.text for t in body)  # glued in the copy: "DanaWhitlock"
            self._spelled[(start, end)] = name
        entity = self._known(fold(name), kind)
        if entity is None:
            entity = Entity(name=name, kind=kind, span=Span(start=start, end=end), roles=set())
            self.entities.append(entity)
            self._index(entity)
        elif kind == "person" and entity.kind != "person":
            entity.kind = "person"
        entity.roles |= roles
        # A possessor ("before Okafor’s speech, ...") is neither the subject nor in its way.
        possessor = self.text[end : end + 2] in ("’s", "'s")
        first_in_sentence = not possessor and not any(
            m.entity.kind == "person" and m.start not in self._possessors
            for m in self._in_sentence.get(index, ())
        )
        if possessor:
            self._possessors.add(start)
        # "..., was Nadia Okonkwo-Hale, a 41-year-old baker": a person introduced with
        # a description becomes what the next sentences are about.
        introduced = (
            kind != "org"
            and len(body) >= 2
            and bool(_INTRODUCED_RE.match(self.text[end : end + 12]))
        )
        subject = introduced or (first_in_sentence and self._is_subject(sentence, start))
        mention = Mention(start, end, entity, index, subject)
        self.mentions.append(mention)
        self._in_sentence.setdefault(index, []).append(mention)

    def _known(self, folded: str, kind: str) -> Entity | None:
        """The entity already known that the name ``folded`` (of ``kind``) names: the same
        name, or for a person a surname or an initial ("M. Quist" after "Mara Quist")."""
        entity = self._by_folded.get(folded)
        if (
            entity is not None
            and entity.kind != "person"
            and kind != "org"
            and (len(folded.split()) == 1)
        ):
            # "Brandvold-Nkemelu" first seen alone in a headline, later the surname of a person.
            entity = self._find_by_token(folded, people_only=kind != "person") or entity
        if entity is not None or kind == "org":
            return entity
        parts = folded.split()
        if len(parts) == 1:
            return self._find_by_token(parts[0], people_only=kind != "person")
        return next(
            (
                e
                for e in self._by_last.get(parts[-1], ())
                if (e.kind == "person" or (kind == "person" and e.kind == "other"))
                and len(e.tokens) >= 2
                and e.tokens[-1] == parts[-1]
                and (
                    e.tokens[0][:1] == parts[0][:1]  # "Mara Quist" ~ "M. Quist"
                    or e.tokens[-len(parts) :] == parts  # "de la Fosse"
                )
            ),
            None,
        )

    def _is_subject(self, sentence: Span, start: int) -> bool:
        """Whether the sentence's first person opens it: "For X, ...", "On Sunday, X ...",
        "Border Police commander Colonel X ...", but not "He said ... X"."""
        return _opens_on_subject(self.text[sentence.start : start])

    # -- resolution --------------------------------------------------------------------------

    def attend(self, span: Span, position: int) -> None:
        """The person named at ``span`` spoke just before ``position``: they are the centre of
        attention from there ("..., Dana Whitlock of Harbour Freight admitted. ... she said")."""
        mention = next(
            (m for m in self.mentions if m.start == span.start and m.end == span.end), None
        )
        if mention is None or mention.entity.kind != "person":
            return
        bisect.insort(
            self._focal,
            Mention(position, position, mention.entity, mention.sentence, True),
            key=lambda m: m.start,
        )

    def last_focal(self, entity: Entity, position: int) -> int | None:
        """Where ``entity`` was last the centre of attention before ``position``."""
        return next(
            (m.end for m in reversed(self._focal) if m.entity is entity and m.start < position),
            None,
        )

    def person_at(self, position: int, pronoun: str | None = None) -> Entity | None:
        """The person a pronoun at ``position`` refers to: the last person before it who was a
        sentence's subject or a speech verb's, and whose gender does not contradict it."""
        wanted = pronoun.casefold() if pronoun else None
        for mention in reversed(self._focal):
            entity = mention.entity
            if mention.start >= position or entity.kind != "person":
                continue
            if wanted and entity.gender and entity.gender != wanted:
                continue
            if wanted and entity.gender is None:
                entity.gender = wanted  # what "she" referred to is a she from now on
            return entity
        return None

    def _learn_genders(self) -> None:
        """Gender from roles ("spokeswoman", "Mr") and from a subject's own pronouns in its
        sentence ("Selin Aksoy said her son ...")."""
        for entity in self.entities:
            if entity.kind == "person" and entity.gender is None:
                entity.gender = next(
                    (g for g, words in _GENDERED_ROLES.items() if entity.roles & words), None
                )
        for mention in self.mentions:
            entity = mention.entity
            if entity.kind != "person" or entity.gender is not None or not mention.subject:
                continue
            sentence = self.article.sentences[mention.sentence]
            following = [
                m.start
                for m in self._in_sentence.get(mention.sentence, ())
                if m.start > mention.start
            ]
            stop = min(following, default=sentence.end)
            # Only a subject pronoun: "X said the boy lost his bag" says nothing of X.
            found = _SUBJECT_PRONOUN_RE.search(self.text[mention.end : stop])
            if found:
                male = found.group(1).casefold() in ("he", "himself")
                entity.gender = "he" if male else "she"

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention lying within [start, end), preferring the last one.

        Mentions are made in text order, so those starting in the range are found by
        bisection and tried from the last (a scan of them all where the order is not kept).
        """
        starts = self._mention_starts()
        if starts is None:
            inside = [m for m in self.mentions if start <= m.start and m.end <= end]
            return inside[-1] if inside else None
        for k in range(bisect.bisect_right(starts, end) - 1, -1, -1):
            m = self.mentions[k]
            if m.start < start:
                return None
            if m.end <= end:
                return m
        return None

    def _mention_starts(self) -> list[int] | None:
        """The mentions' starts, when they are in order (None otherwise); made again only
        when mentions were added."""
        cached = self._starts_cache
        if cached is None or cached[0] != len(self.mentions):
            starts = [m.start for m in self.mentions]
            ordered = all(a <= b for a, b in pairwise(starts))
            cached = (len(self.mentions), starts if ordered else None)
            self._starts_cache = cached
        result: list[int] | None = cached[1]
        return result

    def by_role(self, role: str, position: int) -> Entity | None:
        """The person described by ``role`` ("envoy"): the last one before, else the first after."""
        candidates = [
            m for m in self.mentions if m.entity.kind == "person" and role in m.entity.roles
        ]
        before = [m for m in candidates if m.start < position]
        if before:
            return before[-1].entity
        if candidates or role in UNNAMED_SOURCE_NOUNS:
            # Nobody named holds it yet: "the official" is an unnamed one, not a guess at a
            # person named later or at the topic of the story.
            return None
        # "the mayor" when nobody was introduced as one: the person the text is about.
        topic = next(
            (
                m.entity
                for m in reversed(self._focal)
                if m.start < position and self.could_be_person(m.entity)
            ),
            None,
        )
        if topic is not None:
            topic.kind = "person"
            topic.roles.add(role)
        return topic

    def holders(self, role: str) -> list[Entity]:
        """The people the article names with ``role``."""
        return [e for e in self.entities if e.kind == "person" and role in e.roles]

    def is_place(self, entity: Entity) -> bool:
        """A name the article uses as a place: a place word in it ("Gaza Strip") or written
        after a preposition of place somewhere ("in Kessel", "outside Kessel")."""
        if entity.kind == "person":
            return False
        if not _PLACE_WORDS.isdisjoint(entity.tokens):
            return True
        return self._located(entity.name)

    def canonical(self, entity: Entity) -> str:
        """The fullest form of a name the article uses (kept until a mention is added)."""
        known = self._canonical_cache
        if known is None or known[0] != len(self.mentions):
            known = (len(self.mentions), {})
            self._canonical_cache = known
        names: dict[int, str] = known[1]
        name = names.get(id(entity))
        if name is None:
            name = names[id(entity)] = self._canonical(entity)
        return name

    def _canonical(self, entity: Entity) -> str:
        forms = [self._form(m) for m in self._mentions_of(entity)]
        first: dict[str, int] = {}
        for k, f in enumerate(forms):
            first.setdefault(f, k)
        multi = [f for f in forms if len(f.split()) >= 2] or forms or [entity.name]
        return max(multi, key=lambda f: (len(f.split()) <= 4, len(f.split()), -first.get(f, -1)))

    def _mentions_of(self, entity: Entity) -> list[Mention]:
        """The entity's mentions, in order (a mention never changes its entity)."""
        by_entity = self._by_entity_cache
        if by_entity is None or by_entity[0] != len(self.mentions):
            grouped: dict[int, list[Mention]] = {}
            for m in self.mentions:
                grouped.setdefault(id(m.entity), []).append(m)
            by_entity = (len(self.mentions), grouped)
            self._by_entity_cache = by_entity
        found: list[Mention] = by_entity[1].get(id(entity), [])
        return found

    def _form(self, mention: Mention) -> str:
        """A mention's name as written, spaced where the copy glued it."""
        return self._spelled.get(
            (mention.start, mention.end), self.text[mention.start : mention.end]
        )

    def best_span(self, entity: Entity) -> Span:
        name = self.canonical(entity)
        for m in self._mentions_of(entity):
            if self._form(m) == name:
                return Span(start=m.start, end=m.end)
        return entity.span
