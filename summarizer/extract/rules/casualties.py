"""Casualty figures: how many people were killed, wounded, missing or detained, and by whose count.

Each sentence is cut into tokens, runs of tokens into noun phrases ("at least 12 people",
"four other aid workers", "the assailant") and casualty words between them. A casualty
word takes its figures from the phrases it governs:

- the object after an active or nominal form: "a raid that killed four guards",
  "killing two troops and a civilian and wounding three others", "the loss of 3,000 sailors";
- the subject before a passive, adjectival or intransitive form: "two troops and a civilian
  were killed", "four aid workers injured Tuesday" (auxiliary elided), "12 people
  remain missing", "the gunman who was later killed", "five people died";
- the count a toll noun's clause gives it: "the death toll rose to 45", "put the death toll
  at 38", "a lower toll of 38", "the ministry's count stood at 38", "put the number of injured
  officers at 23". A bare "count", "tally" or "figure" counts what its sentence counted before
  it, or else the sentences just before (same or previous paragraph): an interview's "We
  have nine confirmed dead. ... The fire service's number is six" and "And the injured?"
  "Seven, by our count." A bare "number" needs a source's possessor and a copula ("the coast
  guard's number is", not "their number grew"); a count borrowed from earlier sentences must
  be a bare number or people ("the figure of 2 million displaced" is no toll of the dead);
- care in a medical context, for the wounded: "treated 14 people for burns", "at
  least 14 had been taken to hospital", "20 passengers were hospitalised", care given by
  medics ("Field nurses said they treated 48 marchers"), and care received ("only five
  marchers needed treatment", "had needed medical treatment");
- custody, for the detained: "has been put under the custody of the harbour police", "were
  taken into police custody", "remain in custody", "took two men into custody" (a custody "of"
  someone must be an authority's: not "in the custody of her grandmother").

A bare number set off by commas after one person is an age, never a count: "His grandmother,
71, and a neighbour were also killed" is two people, one each.

Coordination ("and", ",", "including", "as well as") extends a figure to its neighbours.
Negated or hypothetical clauses ("were not hurt", "could have killed") give nothing. A figure
whose count and group are both empty ("victims were killed") says nothing and is dropped, and
so are counts of things rather than people ("killed two days ago") and arrest tallies ("71
arrests": a count of operations' results, not of people held after the event at hand).
``count_text`` is the count as written ("three", "at least 12", "more than 48,000", "a"), or
"" when the count is implied ("the gunman", "its contractor" count one).

Who a figure counts: the category of its head noun ("soldiers", "attackers"), else what the
words around it say (``_refine``): "the man" takes the category of the single person it refers
back to; a bare count shares the noun of the figure it is coordinated with ("two police
officers were killed and 5 wounded"); in an article about an attack, "people" killed or
wounded are its victims (civilians), never lumped with the attackers ("the gunman", "the
suspect"). A "the man" that repeats a person the article already counted is dropped.

Parts of a figure are kept, but apart. A part set off by a condition ("five of the wounded
were in critical condition", "19 of whom were in intensive care", "two of them seriously")
or named among a figure ("including six children", "among the dead were ...") gets a
``part_of`` and ``background`` set, and its ``category`` is the part itself ("in critical
condition", "children"): merge keeps it out of an event's toll rows, as a part compared with
its whole would read as a discrepancy that is not there.

The source is the figure's own when it has one: the possessor of its toll ("the Health
Ministry's count"), the subject of the verb giving it ("The Health Ministry put the death toll
at 38"), or a source right after it ("the six wounded initially reported by firefighters", "five
people, according to the hospital,"). Otherwise it is the nearest attribution clause of the
sentence ("X said", "according to X", "said X", "figures released by X"), with pronouns and
descriptions ("the ministry") resolved to a name the article gives; "It said" is the
organisation that was the subject of that sentence or the one before, and an indefinite "a
hospital spokeswoman" is nobody named before. The verb right before the figure names its own
source ("clinic reports 17 dead"); a headline's label before a colon is a source when it
names an organisation, office or known name ("Fire service: 6 dead", not "Live: ..."); and a
";" splits a sentence into clauses of their own ("army says; clinic reports 17 dead", "12
missing, Red Cross says"). A figure inside a quotation is its speaker's (as quote attribution
finds them, even across sentences and paragraphs), unless the speaker credits someone else
before it in the quote ("'The army says 14 died,' she said"). Cumulative and historical
figures ("so far", "since 2011", "in 2015") are marked ``background`` so that merge never adds
them to an event's toll.

A figure the text says was replaced keeps its count and says so in ``superseded``: "an
earlier toll of 12", "the ministry initially put the toll at 30", "Earlier in the
afternoon the hospital had given a figure of 16", "the nine wounded initially reported by
police". A plain pluperfect is not enough ("By Friday, officials had raised the toll to 41" is
the latest).

Claims the article doubts ("a claim that could not be independently verified") are kept as
the figure their source gave, attributed to that source: the doubt is the reader's to weigh,
and the figure is what was claimed. Title-case headlines ("Gunman Kills Five At Mall") are
skipped: capitals hide which word is the verb. A headline in sentence case that repeats the
body's figure is kept; merge lists both citations in one row. One person inside a quotation
("'The death of a young woman is a loss to us all,' the minister said") is dropped when the article
already counted one person of that status the words may describe (same category or none): the
quote comments on a death, it does not add one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ...models import Article, CasualtyFigure, CasualtyStatus, Quote, Sentence, Span
from ..budget import check
from .casualty_lexicon import (
    ANY_YEAR_RE,
    ASSAILANTS,
    ATTACK_WORDS,
    AUX,
    BACKGROUND_RE,
    BARE_TOLL_ADJECTIVES,
    BE,
    BEATING_PARTICIPLES,
    BEATING_PLACES,
    BODY_NOUNS,
    CARE_FORMS,
    CATEGORY_HEADS,
    CATEGORY_MODIFIERS,
    CLAIM_VERBS,
    CLAUSE_OPENERS,
    CLOSED,
    CONDITIONS,
    COUNTED,
    CUSTODIANS,
    CUSTODY_ACTIVE,
    CUSTODY_NOUNS,
    CUSTODY_VERBS,
    DENIAL_OPENERS,
    DENIALS,
    DENIED,
    DETERMINERS,
    FINDING_VERBS,
    FUTURE_AUXILIARIES,
    FUTURE_FACTS,
    GAP_WORDS,
    GENERIC_PEOPLE,
    HANDOVER_VERBS,
    HARMS,
    HEDGES,
    HONORIFICS,
    HOSPITALS,
    INJURY_NOUNS,
    IRREGULAR_PLURALS,
    LONGEST_SOURCE,
    MEDICAL_ADJECTIVES,
    MEDICAL_WORDS,
    MODALS,
    NEGATIONS,
    NEWS_DAYS,
    NOMINALS,
    NON_PERSON_HEADS,
    OTHER_EVENT_RE,
    PARTITIVE_PRONOUNS,
    PAST_RE,
    PEOPLE_ONLY_STATUSES,
    PERSON_PRONOUNS,
    PERSON_SUFFIXES,
    POSTMODIFIERS,
    PREPOSITIONS,
    PRONOUN_OBJECTS,
    PRONOUNS,
    QUANTIFIERS,
    RECOVERY_VERBS,
    RELATIVES,
    ROLE_PEOPLE,
    SOURCE_ADVERBS,
    SOURCE_PARTICIPLES,
    SUFFERING_VERBS,
    SUPERSEDED_ADJECTIVES,
    SUPERSEDED_ADVERBS,
    TALLY_NOUNS,
    TIME_WORDS,
    TOLL_KINDS,
    TOLL_NOUNS,
    TOLL_STOPS,
    TOLL_VERBS_AFTER,
    TREATMENT_VERBS,
    TRIGGER_GUARDS,
    TRIGGER_PHRASES,
    TRIGGERS,
    VAGUE_HEADS,
    VICTIM_HEADS,
    YEAR_RE,
    Form,
)
from .doc import Doc, Word
from .entities import Entity, Mention, Registry, Token
from .lexicon import (
    COUNT_PHRASES,
    COUNT_QUALIFIERS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    ORG_WORDS,
    REPORTING_VERBS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    TOLL_VERBS,
    VAGUE_COUNTS,
    nationality,
)
from .quotes import Attributor, attribute
from .spans import Overlaps

# The source of a first-person clause ("we have counted"): whoever speaks, inside a quotation.
_SPEAKER = ""


# --- tokens and phrases ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    value: int | None
    end: int  # index of the first token after the count
    vague: bool = False


@dataclass
class _Phrase:
    """A noun phrase: [qualifier] [determiner] [count] words [of/aligned with ... words]."""

    first: int
    last: int
    count: _Count | None = None
    count_first: int | None = None
    determiner: int | None = None
    group_first: int | None = None
    head: int | None = None
    words: list[int] = field(default_factory=list)
    coordinated: bool = False  # "Norwegian and Dutch personnel"


# Every word ``_Sentence._trigger`` can read as a casualty word, each test of it being on the
# token's own word first: any other token is none, and is not asked about again.
_TRIGGER_WORDS = frozenset(
    set(TOLL_NOUNS)  # ``frozenset | dict.keys()`` is a set, which compiled code must be told
    | {"in", "under"}
    | CUSTODY_VERBS
    | CUSTODY_ACTIVE
    | CARE_FORMS.keys()
    | SUFFERING_VERBS
    | RECOVERY_VERBS
    | HANDOVER_VERBS
    | BEATING_PARTICIPLES
    | BODY_NOUNS
    | TREATMENT_VERBS
    | NOMINALS.keys()
    | {second for _, second in TRIGGER_PHRASES}
    | TRIGGERS.keys()
)

# The words ``_Sentence.last_status`` reads as naming the counted.
_COUNTED_WORDS = frozenset(COUNTED.keys() | NOMINALS.keys() | TALLY_NOUNS.keys())

# Unions of word lists asked about per token: made once here, not at every question.
_DETERMINERS_A = DETERMINERS | {"a", "an"}
_ORG_OR_ROLE = ORG_WORDS | ROLE_NOUNS
_CUSTODY_ANY = CUSTODY_VERBS | CUSTODY_ACTIVE
_AUX_MODAL_NEG = AUX | MODALS | NEGATIONS
_SUPERSEDED_OR_TIME = SUPERSEDED_ADVERBS | TIME_WORDS
_REPORTING_OR_CLAIM = REPORTING_VERBS | CLAIM_VERBS
# The words an attribution clause opens at (``_Sources.clauses``): "released by", "according
# to", a reporting verb.
_CLAUSE_OPENERS = SOURCE_PARTICIPLES | {"according"} | REPORTING_VERBS
# The words ``_attack`` looks for: one of them in a sentence, or it names no attack.
_ATTACK_CUES = CATEGORY_HEADS["attackers"] | ATTACK_WORDS | {"fire"}
# Patterns asked per token or per name: compiled here, not looked up in ``re``'s cache.
_AGE_RE = re.compile(r"\d{1,3}")
_NON_SPACE_RE = re.compile(r"\S+")
_TOLL_ADJECTIVES = BARE_TOLL_ADJECTIVES | SUPERSEDED_ADJECTIVES
_BE_OR_AUX = BE | AUX

# What every ``YEAR_RE`` match holds (digits have no case), found far faster than the match.
_YEAR_DIGITS_RE = re.compile(r"(?:19|20)\d\d")

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def _number(token: Word) -> float | None:
    raw = token.text.replace(",", "")
    if not _NUMBER_RE.fullmatch(raw):  # float() would also take "inf", "nan", "1e9"
        return None
    value = float(raw)
    # A bare four-digit year is a date, not a count; news style writes "2,000 people".
    if "," not in token.text and "." not in token.text and 1900 <= value <= 2099:
        return None
    return value


@lru_cache(maxsize=4096)
def _word_number(low: str) -> int | None:
    """'three' -> 3, 'twenty-five' -> 25; None for words that are not plain numbers."""
    parts = low.split("-")
    if not all(p in NUMBER_WORDS and p not in ("a", "an", "single", "both") for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)


# The words a count can open with (``_count_at``), digits and word numbers aside.
_COUNT_OPENERS = frozenset(
    {words[0] for words in COUNT_PHRASES}
    | {"a", "an", "another", "both"}
    | VAGUE_COUNTS
    | NUMBER_WORDS.keys()
)


def _may_count(tok: Word) -> bool:
    """Whether a count may start at ``tok``: a digit (``_number`` reads only digits), a word
    number ("twenty-five": its first part is one) or another word a count opens with. Asked
    of every token, so that most are passed over at once."""
    return (
        tok.low in _COUNT_OPENERS
        or tok.text[:1].isdecimal()
        or tok.low.split("-", 1)[0] in NUMBER_WORDS
    )


def _low(toks: list[Word], k: int) -> str:
    """The lower-cased token at ``k``, or "" past the end."""
    return toks[k].low if k < len(toks) else ""


def _count_at(toks: list[Word], i: int) -> _Count | None:
    """The count that starts at token ``i``: "12", "2,000", "two dozen", "several", "no one".

    A following "of" is left to the phrase ("dozens of people", "three of the soldiers").
    """
    if i >= len(toks) or not _may_count(toks[i]):
        return None
    first = toks[i].low
    if first in _FIXED_OPENERS and (fixed := _fixed_count(toks, i)) is not None:
        return fixed
    if first == "another" and _count_at(toks, i + 1) is None:
        return _Count(1, i + 1)
    if first in ("a", "an", "both"):
        if first == "both" or _low(toks, i + 1) not in _SCALE_WORDS:
            return _Count(NUMBER_WORDS[first], i + 1)
        return _scaled_count(toks, i + 1, 1.0)  # "a dozen", "a hundred"
    value = _number(toks[i])
    spelled = _word_number(first)
    if value is None and spelled is not None:
        value = float(spelled)
    if value is not None:
        return _scaled_count(toks, i + 1, value)
    return _vague_count(toks, i)


_FIXED_OPENERS = frozenset(words[0] for words in COUNT_PHRASES)
_SCALE_WORDS = frozenset({"dozen", *NUMBER_SCALES})


def _fixed_count(toks: list[Word], i: int) -> _Count | None:
    """A count written as a fixed phrase (``COUNT_PHRASES``) at ``i``, the longest first."""
    for size in (3, 2, 1):
        words = tuple(t.low for t in toks[i : i + size])
        if len(words) == size and words in COUNT_PHRASES:
            value = COUNT_PHRASES[words]
            return _Count(value, i + size, vague=value is None)
    return None


def _scaled_count(toks: list[Word], end: int, value: float) -> _Count | None:
    """The count whose number ``value`` ends before ``end``, with what follows it: a second
    word number ("twenty five"), scales ("two hundred", "1.5 million") and "more"."""
    follower = _word_number(_low(toks, end))  # "twenty five"
    if follower is not None and follower < 10 <= value < 100:
        value, end = value + follower, end + 1
    while _low(toks, end) in _SCALE_WORDS:
        value *= NUMBER_SCALES.get(_low(toks, end), 12)
        end += 1
    if value != int(value):
        return None
    return _Count(int(value), end + (_low(toks, end) == "more"))  # "12 more", "two more"


def _vague_count(toks: list[Word], i: int) -> _Count | None:
    """A count with no number ("several", "dozens"). "other(s)" and "more" belong to the
    group ("two others"); "some 40" is a hedge."""
    first = toks[i].low
    if (
        first in VAGUE_COUNTS
        and first not in ("other", "others", "more")
        and not (first == "some" and _count_at(toks, i + 1) is not None)
    ):
        return _Count(None, i + 1 + (_low(toks, i + 1) == "more"), vague=True)
    return None


# The first words of the hedges: a token that is none of them opens no hedge.
_QUALIFIER_OPENERS = frozenset(q.split(" ")[0] for q in COUNT_QUALIFIERS)
_PART_OPENERS = _QUALIFIER_OPENERS | _COUNT_OPENERS


def _qualifier_at(toks: list[Word], i: int) -> int:
    """Index after a hedge such as "at least" or "more than" at ``i`` (``i`` if none)."""
    if i >= len(toks) or toks[i].low not in _QUALIFIER_OPENERS:
        return i
    for size in (3, 2, 1):
        words = " ".join(t.low for t in toks[i : i + size])
        if len(toks[i : i + size]) == size and words in COUNT_QUALIFIERS:
            after = _count_at(toks, i + size)
            if after is not None and not after.vague:
                return i + size
    return i


class _People:
    """The people an article names, for figures that count one named person: "Ana Ruiz was
    arrested", "Mr Lund had received hospital treatment", "he was detained" (the person "he"
    is). A name counts one person; the figure's group is the fullest form of the name that
    the article uses, so that every outlet's figure for that person reads alike."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._names: dict[int, tuple[int, str]] = {}  # mention end -> (start, name)
        self._ends: dict[int, int] = {}  # mention start -> end
        # What depends on the entity alone is asked once per entity, not once per mention
        # (nothing read here changes while the people are gathered).
        kinds: dict[int, bool | None] = {}
        names: dict[int, str] = {}

        def person(mention: Mention) -> bool:
            key = id(mention.entity)
            if key not in kinds:
                kinds[key] = self._person_kind(mention.entity)
            kind = kinds[key]
            return self._after_honorific(mention) if kind is None else kind

        def name_of(entity: Entity) -> str:
            name = names.get(id(entity))
            if name is None:
                name = names[id(entity)] = self._name(entity)
            return name

        people = [m for m in registry.mentions if person(m)]
        person_mentions = {id(m) for m in people}
        # A surname alone names the one person of the article with that surname ("Lund"
        # after "Piet Lund"), even where the registry could not tell it was a person.
        by_surname: dict[str, set[str]] = {}
        for m in people:
            name = name_of(m.entity)
            if len(name.split()) > 1:
                by_surname.setdefault(name.split()[-1].casefold(), set()).add(name)
        self._surnames = {
            word: next(iter(full)) for word, full in by_surname.items() if len(full) == 1
        }
        for m in registry.mentions:
            name = name_of(m.entity) if id(m) in person_mentions else ""
            if not name and len(m.entity.tokens) == 1:
                name = self._surnames.get(registry.text[m.start : m.end].casefold(), "")
            if name:
                start = m.start + self._dated(registry.text[m.start : m.end])
                self._names[m.end] = (start, name)
                self._ends[start] = m.end

    def _person_kind(self, entity: Entity) -> bool | None:
        """Whether ``entity`` names a person: one the registry takes for a person (True), a
        place (False); None when that depends on the mention (``_after_honorific``)."""
        registry = self.registry
        if registry.is_place(entity):
            return False
        if entity.kind == "person" or registry.could_be_person(entity):
            return True
        return None

    def _after_honorific(self, mention: Mention) -> bool:
        """A name after "Mr", "Dr": a person's."""
        before = self.registry.text[max(0, mention.start - 6) : mention.start].split()
        return bool(before) and before[-1].casefold().rstrip(".") in HONORIFICS

    @staticmethod
    def _dated(written: str) -> int:
        """How many characters of a name as written are a day run into it ("Friday Lund")."""
        offset = 0
        for word in _NON_SPACE_RE.finditer(written):
            if word.group().casefold() not in TIME_WORDS or word.end() == len(written):
                break
            offset = word.end() + 1
        return offset

    def _name(self, entity: Entity) -> str:
        """The fullest name, without a day the copy ran into it ("on Friday Lund")."""
        words = self.registry.canonical(entity).split()
        while len(words) > 1 and words[0].casefold() in TIME_WORDS:
            words = words[1:]
        return " ".join(words)

    def name_ending(self, first: Word, last: Word) -> str | None:
        """The person whose name ends at ``last`` and lies within ``first`` .. ``last``; a
        surname alone also where no mention was made of it ("the death of English", a surname
        that is also a nationality)."""
        found = self._names.get(last.end)
        if found is None:
            return self._surnames.get(last.low) if first.start == last.start else None
        return found[1] if found[0] >= first.start else None

    def holder(self, role: str) -> str | None:
        """The one person the article names with ``role`` ("the ex-minister" after "Former
        Minister Ana Ruiz"); None when nobody or several do."""
        holders = self.registry.holders(role.removeprefix("ex-"))
        return self._name(holders[0]) if len(holders) == 1 else None

    def end_of_name(self, first: Word) -> int | None:
        """Where the person's name that starts at ``first`` ends (a character offset)."""
        return self._ends.get(first.start)

    def pronoun(self, tok: Word) -> str | None:
        """The named person "he", "she" or "her" stands for at ``tok``; None when unknown."""
        gender = PERSON_PRONOUNS.get(tok.low)
        if gender is None:
            return None
        entity = self.registry.person_at(tok.start, gender)
        return self._name(entity) if entity is not None else None


class _Lows(dict[int, str]):
    """A sentence's folded tokens by index (``_Sentence.low``): "" for an index outside it
    (before the first, after the last), as a dict's lookups that miss ask ``__missing__``."""

    def __missing__(self, index: int) -> str:
        return ""


class _Sentence:
    """One sentence as tokens, the casualty words among them, and its noun phrases."""

    def __init__(
        self,
        toks: tuple[Word, ...],
        sentence: Sentence,
        context: CasualtyStatus | None = None,
        people: _People | None = None,
    ) -> None:
        self.toks = list(toks)
        self.context = context  # what the sentences just before counted
        self.people = people
        self.heading = sentence.heading
        # Casualty words that report on their subject alone: "five marchers needed treatment".
        self.subject_only: set[int] = set()
        self.object_only: set[int] = set()  # "took two men into custody"
        self.contextual: set[int] = set()  # bare tolls that count what sentences before did
        self.triggers: dict[int, tuple[CasualtyStatus, Form]] = {}
        lows = [t.low for t in self.toks]
        self.lows = frozenset(lows)
        # ``low(i)``, asked hundreds of times per article, as a lookup made in C: each token's
        # folded text by index, "" for any index outside the sentence (``_Lows``).
        self.low: Callable[[int], str] = _Lows(enumerate(lows)).__getitem__
        # Most tokens are no casualty word by their word alone: not asked further (and most
        # sentences hold none at all).
        if not self.lows.isdisjoint(_TRIGGER_WORDS):
            for i in [k for k, t in enumerate(self.toks) if t.low in _TRIGGER_WORDS]:
                if (trigger := self._trigger(i)) is not None:
                    self.triggers[i] = trigger
        # Noun phrases are read only for sentences that count something (or that a later
        # sentence refers back to), so they are found on first use (``_parse``).
        self._phrases: dict[int, _Phrase] | None = None
        self._phrase_at: dict[int, _Phrase] = {}
        self._ages: set[int] = set()

    def _parse(self) -> dict[int, _Phrase]:
        """Find the noun phrases, once. They depend only on the tokens and the triggers."""
        if self._phrases is not None:
            return self._phrases
        self._phrases = {}
        i = 0
        while i < len(self.toks):
            if self._age(i):
                self._ages.add(i)
                i += 1
                continue
            phrase = self._phrase_from(i)
            if phrase is None:
                i += 1
                continue
            self._phrases[phrase.first] = phrase
            for k in range(phrase.first, phrase.last + 1):
                self._phrase_at[k] = phrase
            i = phrase.last + 1
        return self._phrases

    @property
    def phrases(self) -> dict[int, _Phrase]:
        """The noun phrases by first token."""
        return self._parse()

    @property
    def phrase_at(self) -> dict[int, _Phrase]:
        """Every token of a phrase to the phrase (while parsing: the phrases found so far)."""
        self._parse()
        return self._phrase_at

    @property
    def ages(self) -> set[int]:
        """ "Her uncle, 64, and ...": tokens that give an age, never a count."""
        self._parse()
        return self._ages

    def preceded_by(self, i: int, *words: str) -> bool:
        """Whether ``words`` are the tokens just before token ``i``: ("among", "the")."""
        return all(self.low(i - len(words) + k) == w for k, w in enumerate(words))

    def followed_by(self, i: int, *words: str) -> bool:
        """Whether ``words`` are the tokens just after token ``i``: (",", "including")."""
        return all(self.low(i + 1 + k) == w for k, w in enumerate(words))

    def low_between(self, start: int, end: int) -> list[str]:
        """The tokens between two character offsets."""
        return [t.low for t in self.toks if start <= t.start and t.end <= end]

    def _trigger(self, i: int) -> tuple[CasualtyStatus, Form] | None:
        """The casualty word at token ``i``, if it is one (asked only of ``_TRIGGER_WORDS``)."""
        tok = self.toks[i]
        if not tok.is_word or (tok.text[0].isupper() and i > 0):
            return None
        if tok.low in TOLL_NOUNS:
            toll = self._toll_status(i)
            return None if toll is None else (toll, "toll")
        custody = self._custody(i)
        if custody is not None:  # before care: "taken into custody" is not "taken to hospital"
            (self.subject_only if custody == "subject" else self.object_only).add(i)
            return "detained", "participle"
        if tok.low in CARE_FORMS:
            return ("wounded", CARE_FORMS[tok.low]) if self._medical(i) else None
        if self._suffered_harm(i) or self._in_care(i) or self._in_condition(i):
            self.subject_only.add(i)  # "she suffered a broken arm", "is recovering in hospital"
            return "wounded", "predicate"
        if self._handed_over(i):
            self.subject_only.add(i)  # "was handed over to the border police"
            return "detained", "participle"
        if tok.low in BEATING_PARTICIPLES:
            return self._beating(i)
        if tok.low in BODY_NOUNS:
            return ("killed", "nominal") if self._found_body(i) else None
        if self._treatment(i):
            self.subject_only.add(i)
            return "wounded", "predicate"
        guard = TRIGGER_GUARDS.get(tok.low)
        if guard is not None and not guard.holds(self.low(i + guard.offset)):
            return None
        if tok.low in NOMINALS and self.followed_by(i, "of"):
            return NOMINALS[tok.low], "nominal"
        return TRIGGER_PHRASES.get((self.low(i - 1), tok.low)) or TRIGGERS.get(tok.low)

    def _toll_status(self, i: int) -> CasualtyStatus | None:
        """What a toll noun counts: "death toll", "the number of injured guards"; a bare
        "toll" the dead; a bare "count", "tally" or "figure" what the sentence counted before
        it, or the sentences just before it."""
        low, before = self.low(i), self.low(i - 1)
        if low in ("number", "count", "tally") and self.followed_by(i, "of"):
            if before in ("a", "an", "any"):  # "a number of" is a vague count
                return None
            for k in range(i + 2, min(i + 6, len(self.toks))):
                if self.low(k) in COUNTED:
                    return COUNTED[self.low(k)]
                if not self.toks[k].is_word or self.low(k) in CLOSED:
                    break
            return None
        if before in TOLL_KINDS:
            return TOLL_KINDS[before]
        if low == "toll":  # a bare toll counts the dead unless a toll before it says otherwise
            return next(
                (status for status, form in reversed(self.triggers.values()) if form == "toll"),
                "killed",
            )
        # "12 dead ..., though the Red Cross's tally stood at 15": what was counted before
        earlier = next(reversed(self.triggers.values()), None)
        if not self._noun_position(i):  # "we count", "to tally"
            return None
        # A bare "number" is a source's ("the fire service's number is six", not "their
        # number grew").
        if low == "number" and not (
            self._source_possessor(i - 1)
            and (self.low(i + 1) in BE or self.low(i + 1) in TOLL_VERBS_AFTER)
        ):
            return None
        if earlier is not None:
            return earlier[0]
        # What the sentences just before counted: "We have nine confirmed dead." ... "The
        # fire service's number is six"; "And the injured?" "Seven, by our count."
        if self.context is None or not self._bare_toll(i):
            return None
        self.contextual.add(i)
        return self.context

    def last_status(self) -> CasualtyStatus | None:
        """What the sentence counts last: a casualty word's status, or a word that names the
        counted ("deaths", "the missing") even without a count."""
        toks, triggers = self.toks, self.triggers
        for k in range(len(toks) - 1, -1, -1):
            if k in triggers:
                return triggers[k][0]
            low = toks[k].low
            if low not in _COUNTED_WORDS:  # most words: none of the three tables
                continue
            status = COUNTED.get(low) or NOMINALS.get(low) or TALLY_NOUNS.get(low)
            if status is not None and toks[k].text[0].islower():
                return status
        return None

    def _bare_toll(self, i: int) -> bool:
        """Only a determiner or possessor and adjectives such as "latest" before the noun."""
        k = i - 1
        while self.low(k) in BARE_TOLL_ADJECTIVES:
            k -= 1
        return self.low(k) in _DETERMINERS_A or (k >= 0 and _possessive(self.toks[k]))

    def _source_possessor(self, k: int) -> bool:
        """ "the fire service's", "ERA's", "our": whose figure a bare "number" is."""
        tok = self.toks[k] if k >= 0 else None
        if tok is None or tok.low in ("our", "my"):
            return tok is not None
        if not _possessive(tok):
            return False
        owner = tok.low[: -2 if tok.low.endswith("'s") else -1]
        return owner in _ORG_OR_ROLE or tok.text[0].isupper()

    def _noun_position(self, i: int) -> bool:
        """After a determiner or possessor, maybe with an adjective: "the official count"."""

        def opens(k: int) -> bool:
            return self.low(k) in _DETERMINERS_A or (k >= 0 and _possessive(self.toks[k]))

        before = self.toks[i - 1] if i > 0 else None
        return opens(i - 1) or (
            before is not None
            and before.is_word
            and before.text[0].islower()
            and before.low not in CLOSED
            and opens(i - 2)
        )

    def _medical(self, i: int) -> bool:
        """ "treated ... for gunshot wounds", "treated in hospital", "taken to (the) hospital",
        "admitted 7 patients with burns"."""
        treated = self.low(i).startswith("treat") or self.low(i) == "admitted"
        if self.low(i).startswith("treat") and self._medical_clause(i):
            return True
        for k in range(i + 1, min(i + 10, len(self.toks))):
            low = self.low(k)
            if not self.toks[k].is_word or low in ("and", "but", "who", "which"):
                return False
            if low == "to" or (treated and low in ("in", "at", "for", "with")):
                ahead = [self.low(n) for n in range(k + 1, min(k + 5, len(self.toks)))]
                for word in ahead:
                    if word in HOSPITALS or (low in ("for", "with") and word in INJURY_NOUNS):
                        return True
                    if word in (",", ".", "and", "to", "for", "in", "at"):
                        break
                return False
        return False

    def _medical_clause(self, i: int) -> bool:
        """Care given by medics ("Field nurses said they treated 48 marchers") or for
        an injury further on ("treated 40 people, most of them for burns")."""
        if any(self.low(k) in MEDICAL_WORDS for k in range(i)):
            return True
        end = next(
            (k for k in range(i + 1, len(self.toks)) if self.low(k) in (".", ";")), len(self.toks)
        )
        return any(
            self.low(k) == "for"
            and any(self.low(n) in INJURY_NOUNS for n in range(k + 1, min(k + 7, end)))
            for k in range(i + 1, end)
        )

    def _treatment(self, i: int) -> bool:
        """ "needed treatment", "had needed medical treatment", "required hospital care"."""
        if self.low(i) not in TREATMENT_VERBS:
            return False
        k = i + 1
        medical = False
        while self.low(k) in MEDICAL_ADJECTIVES:
            medical, k = True, k + 1
        follower = self.toks[k + 1] if k + 1 < len(self.toks) else None
        if (
            follower is not None
            and follower.is_word
            and follower.low not in CLOSED
            and (follower.low not in TIME_WORDS)
        ):
            return False  # "needed treatment chemicals"
        return self.low(k) in ("treatment", "treatments") or (
            medical and self.low(k) in ("care", "attention")
        )

    def denial(self) -> tuple[int, int] | None:
        """Character offsets of a clause denying what the sentence reports: "although the
        police have denied this", "the army rejected the claims"."""
        for k, tok in enumerate(self.toks):
            if tok.low not in DENIALS or not tok.text[0].islower():
                continue
            if self.low(k + 1) not in DENIED:
                continue
            opener = next((n for n in range(k - 1, -1, -1) if self.low(n) in DENIAL_OPENERS), -1)
            first = opener + 1 if opener < 0 or not self.toks[opener].is_word else opener
            last = k + 1
            while (
                last + 1 < len(self.toks)
                and self.toks[last + 1].is_word
                and (self.low(last) == "the")
            ):
                last += 1  # "the claims"
            return self.toks[first].start, self.toks[last].end
        return None

    def _words_ahead(self, i: int, most: int) -> list[str]:
        """The words after token ``i`` up to the next punctuation, at most ``most``."""
        ahead: list[str] = []
        for k in range(i + 1, min(i + 1 + most, len(self.toks))):
            if not self.toks[k].is_word:
                break
            ahead.append(self.low(k))
        return ahead

    def _suffered_harm(self, i: int) -> bool:
        """ "suffered a broken wrist", "sustained burns", "suffered a broken leg"."""
        return self.low(i) in SUFFERING_VERBS and any(w in HARMS for w in self._words_ahead(i, 5))

    def _in_care(self, i: int) -> bool:
        """ "is recovering in a city hospital", "recovering from gunshot wounds"."""
        if self.low(i) not in RECOVERY_VERBS:
            return False
        ahead = self._words_ahead(i, 5)
        if ahead[:1] in (["in"], ["at"]):
            return any(w in HOSPITALS for w in ahead[1:])
        return ahead[:1] == ["from"] and any(w in HARMS for w in ahead[1:])

    def _in_condition(self, i: int) -> bool:
        """ "remains in critical condition", "was in stable condition" (at "in")."""
        return (
            self.low(i) == "in"
            and self.low(i - 1) in _BE_OR_AUX
            and self.low(i + 1) in CONDITIONS
            and self.followed_by(i + 1, "condition")
        )

    def _handed_over(self, i: int) -> bool:
        """ "was handed over to the border police", "turned over to the authorities"."""
        return (
            self.low(i) in HANDOVER_VERBS
            and self.followed_by(i, "over", "to")
            and any(w in CUSTODIANS for w in self._words_ahead(i + 2, 3))
        )

    def _beating(self, i: int) -> tuple[CasualtyStatus, Form] | None:
        """ "beaten to death" kills; "beaten up", "badly beaten", "beaten in detention",
        "beaten by soldiers" wound; a side "beaten 3-1" is no casualty."""
        ahead = self._words_ahead(i, 4)
        if ahead[:2] == ["to", "death"]:
            return "killed", "participle"
        violent = (
            ahead[:1] == ["up"]
            or (i > 0 and _adverb(self.toks[i - 1]))
            or (ahead[:1] in (["in"], ["while"]) and any(w in BEATING_PLACES for w in ahead))
            or (ahead[:1] == ["by"] and any(w in ASSAILANTS for w in ahead))
        )
        return ("wounded", "participle") if violent else None

    def _found_body(self, i: int) -> bool:
        """A body found is a death: "found the body of a hiker", "police found her body", "the
        bodies of three men were recovered"; "a body of evidence" is not."""
        if self.low(i + 1) != "of" and self.low(i - 1) not in ("his", "her"):
            return False
        near = range(max(0, i - 4), min(len(self.toks), i + 10))
        return any(self.low(k) in FINDING_VERBS for k in near)

    def _custody(self, i: int) -> Literal["subject", "object"] | None:
        """Held in custody: "has been put under the custody of the harbour police", "were
        taken into police custody", "remain in custody" say it of their subject; "took two
        men into custody", "placed the driver under arrest" of their object."""
        low = self.low(i)
        found: Literal["subject", "object"]
        if low in ("in", "under") and self.low(i - 1) in _BE_OR_AUX:
            k, found = i, "subject"  # "two men are in custody", "remain under arrest"
        elif low in CUSTODY_VERBS and self.low(i + 1) in ("in", "into", "under"):
            k, found = i + 1, "subject"
        elif low in _CUSTODY_ANY:
            k = next(
                (
                    n
                    for n in range(i + 1, min(i + 7, len(self.toks)))
                    if not self.toks[n].is_word or self.low(n) in ("in", "into", "under")
                ),
                i,
            )
            found = "object"
            if k in (i, i + 1) or self.low(k) not in ("in", "into", "under"):
                return None
        else:
            return None
        for n in range(k + 1, min(k + 5, len(self.toks))):
            if self.low(n) in CUSTODY_NOUNS:
                # "the custody of the harbour police", not "the custody of her grandmother"
                keeper = [
                    self.low(m)
                    for m in range(n + 2, min(n + 7, len(self.toks)))
                    if self.toks[m].is_word
                ]
                authority = any(w in ORG_WORDS or w.rstrip("s") in ORG_WORDS for w in keeper)
                return found if self.low(n + 1) != "of" or authority else None
            if not self.toks[n].is_word or self.low(n) in ("protective", "care", "and"):
                return None
        return None

    def _age(self, i: int) -> bool:
        """A bare number set off by commas after one person: "Her uncle, 64, and",
        "Ana Ruiz, 34, was". An appositive gives the person's age; it counts no one."""
        tok = self.toks[i]
        if not _AGE_RE.fullmatch(tok.text) or int(tok.text) > 120:
            return False
        if self.low(i - 1) != "," or self.low(i + 1) not in (",", ".", ";", ")", ""):
            return False
        person = self.phrase_at.get(i - 2)
        if person is None or person.last != i - 2 or person.head is None:
            return False
        one = person.count is None or person.count.value == 1
        return (
            one
            and _singular_head(self.head(person))
            and (self.is_person(person) or self.toks[person.head].text[0].isupper())
        )

    # -- noun phrases ------------------------------------------------------------------------

    def _np_word(self, i: int) -> bool:
        if i >= len(self.toks) or i in self.triggers:
            return False
        tok = self.toks[i]
        if not tok.is_word or tok.low in DETERMINERS:
            return False
        if tok.acronym:
            return True
        if tok.low in CLOSED or tok.low.endswith("n't"):
            return False
        return tok.low in HEDGES or not (
            _adverb(tok) or (tok.text[0].islower() and tok.low in SPEECH_VERBS)
        )

    def _phrase_from(self, i: int) -> _Phrase | None:
        if self.low(i - 1) == "how":
            return None  # "how many were killed" asks, it does not count
        phrase = _Phrase(first=i, last=i)
        j = _qualifier_at(self.toks, i)
        if j == i and self.low(i) in DETERMINERS:  # "the two soldiers", "the assailant"
            phrase.determiner = j
            j += 1
        count = _count_at(self.toks, j)
        if count is not None:
            phrase.count, phrase.count_first = count, i if phrase.determiner is None else j
            j = count.end
            if self.low(j) == "of":  # "three of the soldiers", "dozens of people"
                j += 1
                if self.low(j) in PARTITIVE_PRONOUNS:
                    phrase.last = j
                    return phrase
                if self.low(j) in DETERMINERS:
                    j += 1
                if j in self.triggers:
                    return None  # "two of the wounded" are a part of a figure stated elsewhere
        phrase.group_first = j
        j = self._words(phrase, j)
        if phrase.words:
            phrase.head = phrase.words[-1]
            j = self._postmodifier(phrase, j)
        elif phrase.count is None:
            return None
        phrase.last = j - 1
        if phrase.coordinated and self.low(phrase.count_first or 0) == "both":
            phrase.count = None  # "both Dutch and Norwegian victims" coordinates, not counts
        return phrase

    def _words(self, phrase: _Phrase, j: int) -> int:
        while j < len(self.toks):
            if (
                phrase.words
                and self.low(j) in POSTMODIFIERS
                and self.low(j + 1) in ("with", "to", "in", "by")
            ):
                break
            if phrase.words and self.toks[j].text in TOLL_VERBS_AFTER:
                break  # "the number of wounded soldiers stood at 40"
            if self._np_word(j) and (not phrase.words or _count_at(self.toks, j) is None):
                phrase.words.append(j)
                j += 1
                continue
            # "Norwegian and Dutch personnel": a nationality adjective coordinated with another.
            if (
                phrase.words
                and self.low(j) in ("and", "or")
                and j + 1 < len(self.toks)
                and self._adjective_nationality(phrase.words[-1])
                and self._adjective_nationality(j + 1)
            ):
                phrase.coordinated = True
                j += 1
                continue
            break
        # A phrase does not end in a verb: "two soldiers visited" is "two soldiers".
        while len(phrase.words) > 1 and _verb_form(self.toks[phrase.words[-1]]):
            j = phrase.words.pop()
        return j

    def _postmodifier(self, phrase: _Phrase, j: int) -> int:
        """ "members of the National Guard", "personnel aligned with the government"."""
        if self.low(j) == "of" and _count_at(self.toks, j + 1) is None:
            k = j + 1
        elif self.low(j) in POSTMODIFIERS and self.low(j + 1) in ("with", "to", "in", "by"):
            k = j + 2
        else:
            return j
        if self.low(k) in DETERMINERS:
            k += 1
        start = k
        while self._np_word(k) and (k == start or _count_at(self.toks, k) is None):
            k += 1
        if k == start:
            return j
        phrase.words.extend(range(j, k))
        return k

    def _adjective_nationality(self, i: int) -> bool:
        tok = self.toks[i]
        if tok.text in ("US", "U.S."):
            return True
        return (
            tok.text[0].isupper()
            and nationality(tok.text) is not None
            and not tok.text.endswith("s")
        )

    # -- reading a phrase --------------------------------------------------------------------

    def head(self, phrase: _Phrase) -> str:
        return self.low(phrase.head) if phrase.head is not None else ""

    def group_words(self, phrase: _Phrase) -> list[Word]:
        return [self.toks[k] for k in phrase.words]

    def counted(self, phrase: _Phrase) -> bool:
        """A count, a determiner or a name says how many: "two men", "the man", "Ana Ruiz"."""
        return (
            phrase.count is not None
            or phrase.determiner is not None
            or self.named(phrase) is not None
        )

    def named(self, phrase: _Phrase) -> str | None:
        """The person a phrase names ("Ana Ruiz", "Former Mayor Ana Ruiz", "he"), by the name
        the article gives them; None for a phrase that names no one or an unknown "he"."""
        if self.people is None or phrase.head is None:
            return None
        head = self.toks[phrase.head]
        if head.low in PERSON_PRONOUNS:
            return self.people.pronoun(head) if phrase.words == [phrase.head] else None
        if self._described(phrase):  # "the ex-minister": the one person of that office
            return self.people.holder(head.low)
        if not head.text[0].isupper() or _possessive(head):
            return None
        count = phrase.count
        if count is not None and self.low(phrase.count_first or 0) != "both":
            return None  # "two Ana Ruiz" is no one; "both Ana Ruiz and ..." is a list
        first = self.toks[phrase.group_first if phrase.group_first is not None else phrase.head]
        return self.people.name_ending(first, head)

    def _described(self, phrase: _Phrase) -> bool:
        """ "the ex-minister", "the envoy": "the" and an office, nothing more."""
        return (
            phrase.determiner is not None
            and self.low(phrase.determiner) == "the"
            and phrase.count is None
            and phrase.words == [phrase.head]
            and _role(self.low(phrase.head or 0))
            and _singular_head(self.low(phrase.head or 0))
        )

    def pronoun_only(self, phrase: _Phrase) -> bool:
        """ "he", "her" standing alone for one person."""
        return phrase.words == [phrase.head] and self.head(phrase) in PERSON_PRONOUNS

    def is_person(self, phrase: _Phrase) -> bool:
        head = self.head(phrase)
        if not head:
            return phrase.count is not None
        if self.pronoun_only(phrase):
            return True
        if head in NON_PERSON_HEADS:
            return False
        return (
            self.named(phrase) is not None
            or self.category(phrase) is not None
            or head in GENERIC_PEOPLE
            or nationality(self.toks[phrase.head or 0].text) is not None
            or (head.endswith(PERSON_SUFFIXES) and self.counted(phrase))
            or (self.counted(phrase) and _role(head))
        )

    def category(self, phrase: _Phrase) -> str | None:
        head = self.head(phrase)
        modifiers = {t.low for t in self.group_words(phrase)} - {head}
        for name, heads in CATEGORY_HEADS.items():
            if head in heads:
                return name
        if head in VAGUE_HEADS:
            for name, words in CATEGORY_MODIFIERS.items():
                if modifiers & words:
                    return name
            if head in ("forces", "force"):
                return "soldiers"
        if "civilian" in modifiers:
            return "civilians"
        return None


# --- linking casualty words to phrases ------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    phrase: _Phrase
    status: CasualtyStatus
    recollection: bool = False  # "the loss of 3,000 sailors"
    trigger: int | None = None  # the casualty word
    about: _Phrase | None = None  # "the number of injured guards at 31": whom a toll counts
    possessor: tuple[int, int] | None = None  # "the Interior Ministry's count": its tokens
    giver: int | None = None  # "The ministry put the death toll at 38": the verb after it
    part: bool = False  # "including six children", "among the dead were ...": a named subset
    members: tuple[_Phrase, ...] = ()  # "Ana Ruiz and Piet Lund": named people counted as one


class _Linker:
    """The phrases each casualty word of a sentence governs."""

    def __init__(self, sentence: _Sentence) -> None:
        self.s = sentence
        self.parts: set[int] = set()  # first tokens of phrases named as part of a figure

    def figures(self) -> list[_Found]:
        found: list[_Found] = []
        for i, (status, form) in sorted(self.s.triggers.items()):
            recollection = self.s.low(i) in ("loss", "losses")
            about = possessor = giver = None
            if form == "toll":
                about = self._about(i)
                possessor, giver = self._toll_source(i)
            governed = self._governed(i, form)
            if self._all_named(governed):  # "Ana Ruiz and Piet Lund were arrested": two
                first = governed[0]
                found.append(
                    _Found(
                        first,
                        status,
                        recollection,
                        i,
                        part=first.first in self.parts,
                        members=tuple(governed),
                    )
                )
                continue
            found.extend(
                _Found(p, status, recollection, i, about, possessor, giver, p.first in self.parts)
                for p in governed
            )
        # A tally ("a toll of 12", "38 casualties") needs a tally noun among the words.
        tallies = not self.s.lows.isdisjoint(TALLY_NOUNS)
        for phrase in self.s.phrases.values() if tallies else ():
            tally = TALLY_NOUNS.get(self.s.head(phrase))
            if tally is not None and phrase.count is not None and len(phrase.words) == 1:
                found.append(_Found(phrase, tally))
        return found

    def _whose_body(self, i: int) -> list[_Phrase]:
        """The dead whose body was found: "the body of a hiker" (people only), "her body"."""
        if self.s.low(i + 1) == "of":
            return [p for p in self._chain_right(i + 2) if self.s.is_person(p)]
        owner = i - 1  # "her body": one dead, by name when the article says who "she" is
        return [_Phrase(first=owner, last=owner, head=owner, words=[owner], group_first=owner)]

    def _apposition(self, person: _Phrase, name: _Phrase) -> bool:
        """ "his uncle, 61-year-old Piet Lund": a name set off after one unnamed person is
        that person's name, not a second person."""
        return (
            self.s.named(name) is not None
            and self.s.named(person) is None
            and self.s.is_person(person)
            and _singular(self.s, person)
            and (person.count is None or person.count.value == 1)
        )

    def _all_named(self, phrases: list[_Phrase]) -> bool:
        """A list of two or more named people, parts of a figure or not alike."""
        return (
            len(phrases) > 1
            and len({p.first in self.parts for p in phrases}) == 1
            and all(self.s.named(p) is not None for p in phrases)
        )

    def _part(self, phrases: list[_Phrase]) -> list[_Phrase]:
        """Mark phrases named as part of a figure ("including three children")."""
        self.parts.update(p.first for p in phrases)
        return phrases

    def _governed(self, i: int, form: Form) -> list[_Phrase]:
        if self.s.low(i) in BODY_NOUNS:
            return self._whose_body(i)
        if form == "nominal":
            return self._chain_right(i + 2)
        if form == "toll":
            return self._toll(i)
        if i in self.s.subject_only:  # "eight fans needed treatment", "remain in custody"
            subject = self._subject(i)
            return [p for p in subject[0] if self.s.counted(p)] if subject is not None else []
        if i in self.s.object_only:  # "took two stewards into custody"
            target = self._object(i)
            return (
                self._chain_right(target.first)
                if target is not None and self.s.counted(target)
                else []
            )
        if self.s.low(i) in CARE_FORMS:
            return self._cared_for(i, form)
        if form in ("gerund", "present"):
            target = self._object(i)
            if target is None or (form == "present" and not self.s.counted(target)):
                return []
            return self._chain_right(target.first)
        if self.s.preceded_by(i, "among", "the") and self.s.low(i + 1) in BE:
            return self._part(self._chain_right(i + 2))  # "Among the dead were three children"
        if form == "predicate" and self._object(i) is not None and self._np_start(i + 1):
            return []  # "a dead end", "missing persons": an adjective before its noun
        return self._by_subject(i, form)

    def _by_subject(self, i: int, form: Form) -> list[_Phrase]:
        """The figures a casualty word reports on its subject ("five people died", "four aid
        workers injured Tuesday"), or, for an active participle, on its object."""
        subject = self._subject(i)
        if subject is None:
            return []
        chain, passive = subject
        if chain and self.s.followed_by(i, ",", "including"):
            # "Six were killed, including a child"
            chain = chain + self._part(self._chain_right(i + 3))
        if form == "participle" and not passive:
            if self.s.low(i + 1) in PRONOUN_OBJECTS:
                return []  # "gunmen killed him"
            target = self._object(i)
            if target is not None:  # "a raid that killed four guards"
                return [] if self._adjectival(i) else self._chain_right(target.first)
        return chain  # "four aid workers injured Tuesday"

    def _cared_for(self, i: int, form: Form) -> list[_Phrase]:
        """ "treated 11 people for burns", "14 had been taken to hospital": a counted object or
        a passive subject; never the subject of an active verb ("volunteers rushed to hospital")."""
        if form == "participle":
            subject = self._subject(i)
            if subject is None:
                return []
            chain, passive = subject
            if passive:
                return chain
        target = self._object(i)
        if (
            target is None
            or not self.s.counted(target)
            or not self.s.is_person(target)
            or (form == "participle" and self._adjectival(i))
        ):
            return []
        return self._chain_right(target.first)

    def _phrase_ending(self, i: int) -> _Phrase | None:
        phrase = self.s.phrase_at.get(i)
        return phrase if phrase is not None and phrase.last == i else None

    def _chain_left(self, i: int) -> list[_Phrase]:
        """The phrase ending at token ``i`` and those coordinated before it."""
        first = self._phrase_ending(i)
        if first is None:
            return []
        chain = [first]
        k = first.first - 1
        # A bare comma joins list items only beyond an "and": "A, B and C were killed", but
        # not "Of the 40 passengers, 12 were killed".
        while self.s.low(k) in ("and", "including") or (self.s.low(k) == "," and len(chain) > 1):
            if self.s.low(k) == "including":  # "20 people including three children"
                self._part(chain)
            k -= 1
            comma = self.s.low(k) == ","
            if comma:  # ", and"
                k -= 1
            if k in self.s.ages:  # "Her uncle, 64, and a neighbour"
                k -= 2
            previous = self._phrase_ending(k)
            if previous is None or not self.s.is_person(previous):
                break
            if comma and self.s.low(previous.first - 1) == "including":
                break  # "..., including four children, and 40 injured": the aside is closed
            chain.insert(0, previous)
            k = previous.first - 1
        return chain

    def _chain_right(self, i: int) -> list[_Phrase]:
        """The phrase starting at token ``i`` and those coordinated after it."""
        first = self.s.phrases.get(i)
        if first is None:
            return []
        chain = [first]
        k = first.last + 1
        including = False
        while True:
            if self.s.low(k) == "," and k + 1 in self.s.ages:  # "a man, 45, and his son"
                k += 2
            comma = self.s.low(k) == ","
            k += comma
            if self.s.low(k) in ("and", "including"):
                including = including or self.s.low(k) == "including"
                k += 1
                bare_comma = False
            elif (self.s.low(k), self.s.low(k + 1), self.s.low(k + 2)) == ("as", "well", "as"):
                k += 3
                bare_comma = False
            elif comma:
                bare_comma = True
            else:
                break
            following = self.s.phrases.get(k)
            if bare_comma and following is not None and self._apposition(chain[-1], following):
                chain[-1] = following  # "his uncle, Piet Lund": one person, by name
                k = following.last + 1
                continue
            # After a bare comma only a counted phrase continues the list: ", officials said";
            # a phrase with a casualty word of its own starts a clause: "and 40 injured".
            if (
                following is None
                or not self.s.is_person(following)
                or (bare_comma and not self.s.counted(following))
                or (
                    bare_comma
                    and not following.words
                    and following.count is not None
                    and following.count.vague
                )
                or (  # "63 protesters, many for burns"
                    following.last + 1 in self.s.triggers
                )
            ):
                break
            chain.append(following)
            if including:
                self._part([following])
            k = following.last + 1
        return chain

    def _subject(self, i: int) -> tuple[list[_Phrase], bool] | None:
        """Subjects of the casualty word at ``i`` and whether a passive auxiliary precedes it.

        None when the clause is negated or hypothetical ("were not hurt", "could have died").
        """
        k = i - 1
        among = False
        joined = False  # "slipped and suffered": a verb joined to one before it
        while k >= 0:
            if self.s.low(k) in GAP_WORDS or _adverb(self.s.toks[k]):
                joined = joined or self.s.low(k) == "and"
                k -= 1
            elif self.s.low(k) in ("the", "those") and self.s.preceded_by(k, "among"):
                k -= 2  # "were among the dead"
                among = True
            else:
                break
        auxiliaries = set()
        while (
            self.s.low(k) in _AUX_MODAL_NEG
            or self.s.low(k).endswith("n't")
            or self._future_fact(k, i)
        ):
            auxiliaries.add(self.s.low(k))
            k -= 1
        if auxiliaries & (MODALS | NEGATIONS) or any(a.endswith("n't") for a in auxiliaries):
            return None
        if auxiliaries and self.s.low(k) in RELATIVES:
            k -= 1
            if self.s.low(k) == ",":  # "The officer, who was wounded in the leg,"
                k -= 1
        chain = self._chain_left(k)
        if not chain and self.s.low(k) == ",":
            chain = self._around_parenthetical(k)
        if not chain or (joined and not any(self.s.is_person(p) for p in chain)):
            # "he was arrested"; "Ana Ruiz faced two charges and was detained"
            pronoun = self._pronoun(k)
            chain = [pronoun] if pronoun is not None else self._coordinated_subject(k, joined)
        elif self._after_date(chain[0]) is not None:
            chain = [self._after_date(chain[0]) or chain[0], *chain[1:]]  # "on Friday Ana Ruiz"
        elif (auxiliaries or i in self.s.subject_only) and self._prepositional(chain[0]):
            # "A man wanted over the death of his neighbour was arrested": the
            # phrase before the verb is a preposition's object; the subject opens the clause.
            chain = self._clause_subject(chain[0].first)
        return self._part(chain) if among else chain, bool(auxiliaries & BE)

    def _after_date(self, phrase: _Phrase) -> _Phrase | None:
        """ "(said on) Friday Ana Ruiz (was ...)": the name after a day the phrase ran into."""
        words = phrase.words
        if len(words) < 2 or self.s.low(words[0]) not in TIME_WORDS:
            return None
        rest = words[1:]
        named = _Phrase(
            first=rest[0], last=phrase.last, head=phrase.head, words=rest, group_first=rest[0]
        )
        return named if self.s.named(named) is not None else None

    def _future_fact(self, k: int, i: int) -> bool:
        """ "will" before a casualty word whose future is a fact: "he will be detained"."""
        trigger = self.s.triggers.get(i)
        return (
            self.s.low(k) in FUTURE_AUXILIARIES
            and trigger is not None
            and trigger[0] in FUTURE_FACTS
        )

    def _pronoun(self, k: int) -> _Phrase | None:
        """ "he", "she" at ``k`` as a phrase, when the article names the person it is."""
        if self.s.low(k) not in ("he", "she"):
            return None
        phrase = _Phrase(first=k, last=k, head=k, words=[k], group_first=k)
        return phrase if self.s.named(phrase) is not None else None

    def _prepositional(self, phrase: _Phrase) -> bool:
        """The phrase is the object of a preposition: "of his uncle", "in the town"."""
        before = self.s.low(phrase.first - 1)
        return before == "of" or (before in PREPOSITIONS and before not in ("including",))

    def _coordinated_subject(self, k: int, joined: bool) -> list[_Phrase]:
        """The subject of a verb joined to an earlier one by "and": "One of the climbers
        slipped and suffered a broken leg", "was denied bail and held in custody"."""
        return self._clause_subject(k) if joined or self.s.low(k) == "and" else []

    def _clause_subject(self, k: int) -> list[_Phrase]:
        """The person that opens the clause holding token ``k``: after the last clause break
        before it ("When the guards arrived, one of them ...") or at the sentence's start.
        Nothing when the clause opens with anything else: precise or silent."""
        start = next((n + 1 for n in range(k - 1, -1, -1) if self.s.low(n) in CLAUSE_OPENERS), 0)
        pronoun = self._pronoun(start)
        if pronoun is not None:
            return [pronoun]
        phrase = self.s.phrases.get(start)
        if phrase is None or phrase.last >= k:
            return []
        if self.s.is_person(phrase) and self.s.counted(phrase):
            return [phrase]
        name = self._name_at(start)  # "Ana Ruiz faced charges": the phrase ran on past her
        return [name] if name is not None and name.last < k else []

    def _name_at(self, start: int) -> _Phrase | None:
        """The person's name that starts at token ``start``, as a phrase of its own."""
        people = self.s.people
        end = people.end_of_name(self.s.toks[start]) if people is not None else None
        last = next((n for n in range(start, len(self.s.toks)) if self.s.toks[n].end == end), None)
        if last is None:
            return None
        words = list(range(start, last + 1))
        phrase = _Phrase(first=start, last=last, head=last, words=words, group_first=start)
        return phrase if self.s.named(phrase) is not None else None

    def _around_parenthetical(self, close: int) -> list[_Phrase]:
        """The subject before ", including three children," or ", a 19-year-old man,"."""
        opening = next(
            (k for k in range(close - 1, max(close - 12, 0), -1) if self.s.low(k) == ","), None
        )
        if opening is None:
            return []
        outer = self._chain_left(opening - 1)
        if not outer:
            return []
        if self.s.low(opening + 1) == "including":
            inner = [p for p in self._chain_right(opening + 2) if p.last < close]
            return outer + self._part(inner)
        aside = range(opening + 1, close)  # ", a 19-year-old man,", ", most of them children,"
        return [] if any(k in self.s.triggers for k in aside) else outer

    def _np_start(self, i: int) -> bool:
        phrase = self.s.phrases.get(i)
        return phrase is not None and phrase.count is None and phrase.determiner is None

    def _object(self, i: int) -> _Phrase | None:
        """The object phrase right after the verb at ``i``; a bare day is no object."""
        phrase = self.s.phrases.get(i + 1)
        if phrase is None or (self.s.low(i + 1) in TIME_WORDS and phrase.count is None):
            return None
        if self.s.low(i + 1) in SOURCE_ADVERBS:
            return None  # "the four injured first reported by the army"
        return phrase

    def _adjectival(self, i: int) -> bool:
        """ "three wounded soldiers", "Injured personnel", "for wounded troops": not a verb."""
        if i == 0:
            return True
        before = self.s.low(i - 1)
        previous = self._phrase_ending(i - 1)
        return (
            before in DETERMINERS
            or before in PREPOSITIONS
            or before == "of"
            or (previous is not None and not previous.words)
        )  # "the number of wounded soldiers"

    def _toll(self, i: int) -> list[_Phrase]:
        """The count a toll noun's clause gives it: "the death toll rose from 30 to 45" (the
        last; a "from" count only when alone), "put the toll at 38", "a lower toll of 38"."""
        found: _Phrase | None = None
        earlier: _Phrase | None = None
        k = i + 1
        while k < min(len(self.s.toks), i + 16):
            low = self.s.low(k)
            if low in TOLL_STOPS or (k in self.s.triggers and self.s.triggers[k][1] == "toll"):
                break  # "... at 70 and the number of injured guards at 31"
            if low in NEGATIONS:
                return []  # "the number was not six"
            if low == "and" and (found is not None or self.s.low(k + 1) in DETERMINERS):
                break
            phrase = self.s.phrases.get(k)
            if phrase is not None and self._toll_count(phrase):
                if self.s.low(k - 1) == "from":
                    earlier = earlier or phrase
                else:
                    found = phrase
            k = phrase.last + 1 if phrase is not None else k + 1
        chosen = found or earlier or self._counted_by(i)
        if (
            chosen is not None
            and i in self.s.contextual
            and chosen.words
            and not (self.s.is_person(chosen))
        ):
            return []  # "Forty were killed. The figure of 2 million displaced ..."
        return [chosen] if chosen is not None else []

    def _counted_by(self, i: int) -> _Phrase | None:
        """The count before "by our count", "by the army's tally": "Seven, by our count"."""
        k = i - 1  # back over "the fire service's", "our", "the official"
        while (
            k >= 0
            and i - k <= 6
            and self.s.toks[k].is_word
            and self.s.low(k) != "by"
            and (k not in self.s.triggers)
        ):
            k -= 1
        if self.s.low(k) != "by" or k == i - 1:
            return None
        k -= 1 + (self.s.low(k - 1) == ",")
        phrase = self._phrase_ending(k)
        return phrase if phrase is not None and self._toll_count(phrase) else None

    def _toll_count(self, phrase: _Phrase) -> bool:
        """A number of people: not "a figure", "a day", "several", "30 villages"."""
        count = phrase.count
        if count is None or count.vague or count.value is None or phrase.count_first is None:
            return False
        if self.s.low(phrase.count_first) in ("a", "an", "another"):
            return False
        return self.s.head(phrase) not in NON_PERSON_HEADS

    def _about(self, i: int) -> _Phrase | None:
        """Whom "the number of ..." counts: "injured officers", "people killed"."""
        if self.s.low(i) not in ("number", "count", "tally") or self.s.low(i + 1) != "of":
            return None
        for k in range(i + 2, min(i + 5, len(self.s.toks))):
            phrase = self.s.phrases.get(k)
            if phrase is not None:
                return phrase if phrase.count is None and self.s.is_person(phrase) else None
        return None

    def _toll_source(self, i: int) -> tuple[tuple[int, int] | None, int | None]:
        """Who gives the toll: a possessor ("the Interior Ministry's count") or the subject of
        a verb such as "put" ("The ministry put the death toll at 38")."""
        k = i - 1
        while k >= max(i - 6, 0):
            tok = self.s.toks[k]
            if tok.low in TOLL_VERBS and tok.text[0].islower():
                return None, k
            if _possessive(tok):
                # "the Interior Ministry's count", "ERA's tally", not "the quake's death toll"
                owner = tok.text[: -2 if tok.low.endswith("'s") else -1]
                if not (owner.casefold() in _ORG_OR_ROLE or (len(owner) > 1 and owner.isupper())):
                    return None, None
                start = k
                while start > 0 and (
                    _subject_word(self.s.toks[start - 1]) or _name_joint(self.s.toks, start - 1)
                ):
                    start -= 1
                return (start, k + 1), None
            if not (
                tok.low in DETERMINERS
                or tok.low in ("a", "an")
                or (
                    tok.is_word
                    and tok.text[0].islower()
                    and tok.low not in CLOSED
                    and k not in self.s.triggers
                )
            ):
                break  # "the", "official", "lower", "death" may stand before a toll noun
            k -= 1
        return None, None


# --- sources and background -----------------------------------------------------------------


class _Sources:
    """Who a sentence credits for what it reports: "X said", "according to X", "said X"."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self.sentences = doc.sentences
        self.attributor = Attributor(doc)
        self.named: list[str] = []  # sources named so far, for "the ministry" later on

    def clauses(self, sentence: _Sentence) -> list[tuple[int, int, str]]:
        """(start, end, source) of each attribution clause of the sentence."""
        toks = sentence.toks
        out: list[tuple[int, int, str]] = []
        label = self._label(sentence)
        if label is not None:
            out.append(label)
        if sentence.lows.isdisjoint(_CLAUSE_OPENERS):
            return out  # no word below opens a clause: most sentences
        for i, tok in enumerate(toks):
            if tok.low not in _CLAUSE_OPENERS:
                continue
            # The budget is checked where a token costs more than a lookup (a source read).
            if tok.low in SOURCE_PARTICIPLES and sentence.low(i + 1) == "by":
                check()
                end = self._name_end(sentence, i + 2)  # "figures released by the ministry"
                source = self._resolve(toks, i + 2, end) if end > i + 2 else None
                if source is not None:
                    out.append((tok.start, toks[end - 1].end, source))
            elif tok.low == "according" and sentence.followed_by(i, "to"):
                check()
                end = i + 2
                while end < len(toks) and toks[end].is_word and end - i <= LONGEST_SOURCE:
                    end += 1
                # A run of words too long to be a name ("according to according to ...") is
                # no source, and reading it would cost time in its length at every "according".
                too_long = end - i > LONGEST_SOURCE
                source = self._resolve(toks, i + 2, end) if i + 2 < end and not too_long else None
                if source is not None:
                    out.append((tok.start, toks[end - 1].end, source))
            elif (
                tok.low in REPORTING_VERBS
                and tok.text[0].islower()
                and sentence.low(i - 1) not in _DETERMINERS_A
            ):  # "an estimated"
                check()
                found = self._subject(sentence, i) or self._inverted(sentence, i)
                k = i - 1
                while sentence.low(k) in ("has", "have", "had", "also") or (
                    k >= 0 and _adverb(toks[k])
                ):
                    k -= 1
                if found is None and sentence.low(k) in ("we", "i"):
                    found = toks[k].start, tok.end, _SPEAKER  # "we have counted 21 dead"
                if found is not None:
                    out.append(found)
        return out

    def _subject(self, sentence: _Sentence, verb: int) -> tuple[int, int, str] | None:
        """ "Northern Command said", ", police said.", "Rights observers reported that"."""
        toks = sentence.toks
        end = verb
        while end > 0 and (
            sentence.low(end - 1) in ("has", "have", "had", "also")
            or (_adverb(toks[end - 1]) and end - 1 != verb)
        ):
            end -= 1  # "The ministry had initially put"
        # An aside between subject and verb: "Ana Lima, the mayor, said", "ERA (the agency)
        # said". A name in the aside is the source: "A spokesman, Ivan Petrov, said".
        closing = sentence.low(end - 1)
        if closing in (",", ")"):
            opening = next(
                (
                    k
                    for k in range(end - 2, max(end - 30, 0), -1)
                    if sentence.low(k) == ("," if closing == "," else "(")
                ),
                0,
            )
            aside = toks[opening + 1 : end - 1]
            named = aside and all(t.text[0].isupper() for t in aside if t.is_word)
            end = end - 1 if named and closing == "," else opening
        start = end
        while start > 0 and (_subject_word(toks[start - 1]) or _name_joint(toks, start - 1)):
            start -= 1
        # "a figure it said": the pronoun is the subject, not the words before it
        start = max([k for k in range(start, end) if toks[k].low in PRONOUNS] + [start])
        opening = start
        if toks[start].low in _SUPERSEDED_OR_TIME or toks[start].low in (
            PREPOSITIONS
        ):  # "Earlier in the morning the clinic had given"
            start = max(
                [k for k in range(start + 1, end) if toks[k].low in ("the", "a", "an")] + [start]
            )
        bounded = (
            start == 0
            or start > opening
            or sentence.low(start - 1) in (",", ".", "“", '"', "”", ":", ";", "and", "but", "while")
        )
        if not (0 < end - start <= 8 and bounded) or any(
            k in sentence.triggers for k in range(start, end)
        ):
            return None
        source = self._resolve(toks, start, end)
        return None if source is None else (toks[start].start, toks[verb].end, source)

    def own(self, sentence: _Sentence, found: _Found) -> str | None:
        """The figure's own source, which outranks the sentence's: the possessor of its toll
        ("the Interior Ministry's count"), the subject of the verb giving it ("The ministry put
        the death toll at 38"), or a source right after it ("the nine wounded initially
        reported by police", "five people, according to the hospital,")."""
        toks = sentence.toks
        if found.possessor is not None:
            start, end = found.possessor
            owner = list(toks[start:end])
            last = owner[-1]
            cut = 2 if last.low.endswith("'s") else 1
            owner[-1] = Word(last.text[:-cut], last.start, last.end - cut)
            return self._resolve(owner, 0, len(owner))
        if found.giver is not None:
            subject = self._subject(sentence, found.giver)
            return subject[2] if subject is not None else None
        k = found.phrase.last + 1
        while k < len(toks) and (
            k == found.trigger or _adverb(toks[k]) or toks[k].low in SOURCE_ADVERBS
        ):
            k += 1
        if sentence.low(k) in SOURCE_PARTICIPLES and sentence.low(k + 1) == "by":
            first = k + 2
        elif sentence.low(k) == "," and sentence.followed_by(k, "according"):
            first = k + 3 if sentence.followed_by(k + 1, "to") else -1
        elif sentence.low(k) == "according" and sentence.followed_by(k, "to"):
            first = k + 2
        else:
            return self._claimant(sentence, found.phrase.first - 1)
        end = self._name_end(sentence, first) if first > 0 else first
        return self._resolve(toks, first, end) if end > first else None

    def _it(self, position: int) -> str | None:
        """ "It said": the organisation that was the subject of this sentence or the one
        before ("The border agency gave a much lower figure. It said ...")."""
        registry = self.attributor.registry
        here = next((k for k, s in enumerate(self.sentences) if s.start <= position < s.end), None)
        if here is None:
            return None
        subject = next(
            (
                m
                for m in reversed(registry.mentions)
                if m.start < position
                and m.sentence in (here - 1, here)
                and m.subject
                and m.entity.kind == "org"
            ),
            None,
        )
        return registry.canonical(subject.entity) if subject is not None else None

    def _label(self, sentence: _Sentence) -> tuple[int, int, str] | None:
        """A headline's speaker before a colon: "Fire service: 6 dead", "Clinic: toll now 17";
        not a rubric ("Live:", "Analysis:"): the label must be an organisation, an office or
        a name the article knows."""
        toks = sentence.toks
        if not sentence.heading:
            return None  # most sentences: no colon looked for
        colon = next((k for k in range(1, min(5, len(toks))) if toks[k].text == ":"), None)
        if colon is None or not all(t.is_word and t.text[0].isupper() for t in toks[:colon]):
            return None
        last = toks[colon - 1]
        mention = self.attributor.registry.mention_at(toks[0].start, last.end)
        if not (
            last.low in _ORG_OR_ROLE
            or last.acronym
            or (mention is not None and mention.entity.kind in ("person", "org"))
        ):
            return None
        source = self._resolve(toks, 0, colon)
        return None if source is None else (toks[0].start, last.end, source)

    def _claimant(self, sentence: _Sentence, verb: int) -> str | None:
        """Who states the figure that is the very next thing they say: "hospital reports 21
        dead", "the army says 14 were killed", "The ministry claims that 30 died"."""
        if sentence.low(verb) == "that":
            verb -= 1
        if (
            verb < 1
            or not sentence.toks[verb].text[0].islower()
            or sentence.low(verb) not in _REPORTING_OR_CLAIM
        ):
            return None
        subject = self._subject(sentence, verb)
        return subject[2] if subject is not None else None

    def _name_end(self, sentence: _Sentence, first: int) -> int:
        """The end of the source named from ``first`` ("police" in "by police on Sunday")."""
        toks = sentence.toks
        end = first
        while (
            end < len(toks)
            and end - first < 10
            and (
                (_subject_word(toks[end]) and toks[end].low not in TIME_WORDS)
                or _name_joint(toks, end)
            )
        ):
            end += 1
        return end

    def _inverted(self, sentence: _Sentence, verb: int) -> tuple[int, int, str] | None:
        """ ", said the ministry." at the end of a sentence."""
        if sentence.low(verb - 1) not in (",", "”", '"'):
            return None
        end = verb + 1
        while end < len(sentence.toks) and _subject_word(sentence.toks[end]):
            end += 1
        if end == verb + 1 or end - verb > 9 or sentence.low(end) not in (",", ".", ""):
            return None
        source = self._resolve(sentence.toks, verb + 1, end)
        toks = sentence.toks
        return None if source is None else (toks[verb].start, toks[end - 1].end, source)

    def _resolve(self, toks: list[Word], start: int, end: int) -> str | None:
        """The phrase as the article names it: a pronoun or "the ministry" to whom it means."""
        if end - start == 1 and toks[start].low == "it":
            return self._it(toks[start].start)
        if end - start == 1 and toks[start].low in PRONOUNS - {"he", "she"}:
            return None  # "they", "we": too vague to name a source
        lo, hi = toks[start].start, toks[end - 1].end
        # The phrase is the subject of whatever follows it: a zero-width stand-in will do.
        speaker = self.attributor.subject_before(lo, Token(hi, hi, ""))
        if speaker is None and toks[start].low in ("he", "she"):
            return None
        # A name counts when it is the phrase ("the ministry", "Hamidi") or ends it after a
        # title ("Interior Minister Tomas Velden"), not when a preposition puts it inside
        # ("Hospital officials in Gaza", "the Federal Ombudsman for Prisons").
        opening = toks[start + 1].start if end - start > 1 else lo
        titled = (
            speaker is not None
            and speaker.person
            and speaker.span is not None
            and not any(
                t.low in ("of", "for", "in", "at", "from")
                for t in toks[start:end]
                if t.start < speaker.span.start
            )
        )
        if speaker is not None and speaker.how == "role" and toks[start].low in ("a", "an"):
            speaker = None  # "a hospital spokeswoman" is someone new, not one named before
        if speaker is not None and (
            speaker.how in ("pronoun", "role")
            or titled
            or (speaker.span is not None and speaker.span.start <= opening)
        ):
            source = speaker.name
        else:
            source = self.text[lo:hi]
        words = source.casefold().split()
        described = all(w[:1].islower() for w in source.split()[1:-1])  # not "the Health Ministry"
        if words[0] == "the" and len(words) <= 3 and words[-1] in ORG_WORDS and described:
            # "the ministry" after "Turkey's health ministry said ...": the one named before.
            return next(
                (n for n in reversed(self.named) if n.casefold().split()[-1] == words[-1]), source
            )
        self.named.append(source)
        return source


def _possessive(tok: Word) -> bool:
    """ "Ministry's", "ERA’s", "Reuters'"."""
    return (
        tok.is_word
        and len(tok.text) > 2
        and (tok.low.endswith("'s") or (tok.low.endswith("'") and tok.low[-2] == "s"))
    )


def _adverb(tok: Word) -> bool:
    return (
        tok.text[0].islower()
        and tok.low.endswith("ly")
        and tok.low not in ("family", "ally", "assembly", "rally", "supply")
    )


def _verb_form(tok: Word) -> bool:
    """A lower-case past or present participle: "visited", "patrolling"."""
    return tok.text[0].islower() and tok.low.endswith(("ed", "ing")) and tok.low not in HEDGES


def _name_joint(toks: list[Word], i: int) -> bool:
    """ "and" or an abbreviation's period inside a name: "Disaster and Emergency", "St. Luke's"."""
    if not 0 < i < len(toks) - 1 or not toks[i + 1].text[0].isupper():
        return False
    before = toks[i - 1].text
    if toks[i].text == ".":
        return before[0].isupper() and len(before) <= 4
    return toks[i].low in ("and", "&") and before[0].isupper()


def _subject_word(tok: Word) -> bool:
    """A word that may stand in a source's name ("The Kessian Monitor for Civil Liberties")."""
    low = tok.low
    if not tok.is_word or low in TRIGGERS or low in REPORTING_VERBS:
        return False
    # "Hospital officials in Gaza", "a spokesman for the army", "he"
    return (
        low not in CLOSED
        or tok.acronym
        or low in PRONOUNS
        or low in ("of", "for", "in", "at", "from")
    )


def _present_year(article: Article) -> int | None:
    """The year of the story's publication, when the article carries one."""
    match = ANY_YEAR_RE.search(article.published or "")
    return int(match.group()) if match else None


def _is_background(sentence_text: str, present: int | None) -> bool:
    """Cumulative, historical or of another event: a cue such as "so far", "Separately," or
    "in an unrelated case", or a dated year other than the story's.

    Without a publication date any dated year counts: a report of the day's event says "on
    Tuesday", while "in 2019" or "the 2019 floods" look back.
    """
    if BACKGROUND_RE.search(sentence_text) or OTHER_EVENT_RE.search(sentence_text):
        return True
    return _other_year(sentence_text, present)


def _looks_back(sentence_text: str, present: int | None) -> bool:
    """A sentence set in the past: "A few years ago, ...", "in 2009"."""
    return _past_cue(sentence_text) or _other_year(sentence_text, present)


def _past_cue(sentence_text: str) -> bool:
    """``PAST_RE``, tried only where one of its words stands: each of its cues holds "ago",
    "year" or "as a" (case aside: under ``re.IGNORECASE`` these letters match only their two
    cases, but for "s", which also matches "ſ")."""
    low = sentence_text.lower()
    cue = "ago" in low or "year" in low or "as a" in low or "aſ a" in low
    return cue and PAST_RE.search(sentence_text) is not None


def _other_year(sentence_text: str, present: int | None) -> bool:
    """A dated year ("in 2019", "the 2019 floods") other than ``present`` (any, without one).
    ``YEAR_RE`` is tried only where four digits of a year stand: few sentences have them."""
    return _YEAR_DIGITS_RE.search(sentence_text) is not None and any(
        present is None or int(m.group(1)) != present for m in YEAR_RE.finditer(sentence_text)
    )


@dataclass
class _Past:
    """The paragraph whose sentences tell of the past: "A few years ago, Ana Ruiz was
    enjoying a drink ... She was arrested and jailed for it." The arrest is history too."""

    paragraph: int | None = None

    def read(self, s: _Sentence, evidence: Sentence, text: str, present: int | None) -> bool:
        """Whether the sentence stands in a past its paragraph opened (and note a new one)."""
        if self.paragraph != evidence.paragraph:
            self.paragraph = None
        if _looks_back(text, present):
            self.paragraph = evidence.paragraph
            return True
        if not s.lows.isdisjoint(NEWS_DAYS):
            self.paragraph = None  # "On Tuesday, ...": back to the news
        return self.paragraph is not None


# --- assembly -------------------------------------------------------------------------------


def _nationality(words: list[Word]) -> str | None:
    """Every nation a phrase names, in order: "Norwegian and Dutch staff" -> "Norwegian, Dutch"."""
    found: list[str] = []
    for tok in words:
        if not tok.text[0].isupper():
            continue
        for part in re.split(r"[-–]", tok.text) if not tok.acronym else [tok.text]:
            label = nationality(part) if part[:1].isupper() else None
            if label is not None and label not in found:
                found.append(label)
    return ", ".join(found) if found else None


def _figure(
    article: Article,
    s: _Sentence,
    found: _Found,
    evidence: Sentence,
    credit: _Credit,
    background: bool,
    own_source: str | None = None,
) -> CasualtyFigure | None:
    """The figure a linked casualty word reports, or None when it counts no one."""
    phrase = found.phrase
    if not _counts_people(s, found):
        return None
    people = [s.named(p) for p in found.members or (phrase,)]
    if all(people):
        return _named_figure(
            s, found, [n for n in people if n], evidence, credit, own_source, background
        )
    about = found.about or phrase  # "the number of injured guards at 31": guards
    category = s.category(about)
    if s.head(about) in ("suspect", "suspects") and found.status != "detained":
        category = "attackers"  # "suspect dead": the suspect of the attack at hand
    count, count_text = _count_of(article, s, phrase)
    if count is None and not count_text and (category is None or phrase.determiner is not None):
        return None  # "victims were killed" says nothing; "the soldiers" were counted before
    first, last = s.toks[phrase.first], s.toks[phrase.last]
    group = _group_of(article, s, about, tally=s.head(phrase) in TALLY_NOUNS)
    if found.part:  # "including six children": never compared with the toll they are part of
        named = " ".join(w for w in group.split() if nationality(w) is None)
        category = named or category or "people"
        background = True
    return CasualtyFigure(
        start=first.start,
        end=last.end,
        status=found.status,
        count=count,
        count_text=count_text,
        group=group,
        nationality=_nationality(s.group_words(about)),
        category=category,
        attributed_to=own_source or credit.source(first.start, last.end),
        evidence=Span(start=evidence.start, end=evidence.end),
        background=background or found.recollection,
        part_of=found.part,
        superseded=_superseded(s, found),  # "the hospital had earlier given a figure of 16"
    )


def _counts_people(s: _Sentence, found: _Found) -> bool:
    """ "killed two days of talks" counts no one; "captured three towns" and "tools missing"
    need a person head, while "killed 12 pilgrims" takes any head, as killing and wounding
    befall people."""
    if s.head(found.phrase) in NON_PERSON_HEADS:
        return False
    return found.status not in PEOPLE_ONLY_STATUSES or s.is_person(found.phrase)


def _count_of(article: Article, s: _Sentence, phrase: _Phrase) -> tuple[int | None, str]:
    """The phrase's count and its words: "three", "at least 12"; 1 and no words for a
    singular person with no count ("the assailant", "its contractor", headline "Soldier
    killed": "the", "its" are not counts)."""
    if phrase.count is None:
        head = s.head(phrase)
        quantified = phrase.determiner is not None and s.low(phrase.determiner) in QUANTIFIERS
        if _singular_head(head) and not quantified and s.is_person(phrase):
            return 1, ""
        return None, ""
    if phrase.count_first is None:
        return phrase.count.value, ""
    first, last = s.toks[phrase.count_first], s.toks[phrase.count.end - 1]
    return phrase.count.value, article.text[first.start : last.end]


def _group_of(article: Article, s: _Sentence, about: _Phrase, *, tally: bool) -> str:
    """The words that say who was counted ("other aid workers"); none for a tally noun ("12
    deaths": a count with no group) or for "her body" when nobody is named."""
    group_first = about.group_first if about.words and not tally else None
    if group_first is None or group_first > about.last or s.pronoun_only(about):
        return ""
    return article.text[s.toks[group_first].start : s.toks[about.last].end]


def _named_figure(
    s: _Sentence,
    found: _Found,
    names: list[str],
    evidence: Sentence,
    credit: _Credit,
    own_source: str | None,
    background: bool,
) -> CasualtyFigure:
    """Named people as one figure: "Ana Ruiz was arrested" (1), "Both Ana Ruiz and Piet Lund
    were reported missing" (2). A surname is no nationality ("Ana French")."""
    first = s.toks[found.phrase.first]
    last = s.toks[(found.members or (found.phrase,))[-1].last]
    group = " and ".join(dict.fromkeys(names))
    return CasualtyFigure(
        start=first.start,
        end=last.end,
        status=found.status,
        count=len(names),
        count_text="",
        group=group,
        category=group if found.part else None,
        attributed_to=own_source or credit.source(first.start, last.end),
        evidence=Span(start=evidence.start, end=evidence.end),
        person=group,
        background=background or found.part,
        part_of=found.part,
    )


def _superseded(s: _Sentence, found: _Found) -> bool:
    """A figure the text says a later one replaced: "an earlier toll of 12", "Earlier the
    hospital had given a figure of 16", "the ministry initially put the toll at 30", "the nine
    wounded initially reported by police". A plain pluperfect is not enough: "By Friday,
    officials had raised the toll to 41" gives the latest toll."""
    i = found.trigger
    if i is None or s.triggers.get(i, ("killed", "participle"))[1] != "toll":
        k = found.phrase.last + 1 + (found.trigger == found.phrase.last + 1)
        if s.low(k) in SUPERSEDED_ADVERBS and s.low(k + 1) in SOURCE_PARTICIPLES:
            return True  # "the six wounded initially reported by firefighters"
        verb = found.phrase.first - 1 - (s.low(found.phrase.first - 1) == "that")
        return s.low(verb) in REPORTING_VERBS and s.low(verb - 1) in SUPERSEDED_ADVERBS
    k = i - 1
    while s.low(k) in _TOLL_ADJECTIVES:
        if s.low(k) in SUPERSEDED_ADJECTIVES:
            return True
        k -= 1
    giver = found.giver
    if giver is None:
        return False
    if s.low(giver - 1) in SUPERSEDED_ADVERBS:  # "initially put the toll at 30"
        return True
    pluperfect = "had" in (s.low(giver - 1), s.low(giver - 2))
    return pluperfect and any(s.low(k) in SUPERSEDED_ADVERBS for k in range(i))


def _role(head: str) -> bool:
    """An office or trade, also a former one: "captain", "pilots", "ex-minister"."""
    word = head.removeprefix("ex-").removeprefix("former-")
    return word in ROLE_PEOPLE or word[:-1] in ROLE_PEOPLE


def _singular_head(head: str) -> bool:
    return (
        bool(head)
        and head not in IRREGULAR_PLURALS
        and not (head.endswith("s") and not head.endswith("ss"))
    )


def _singular(s: _Sentence, phrase: _Phrase) -> bool:
    """One person: "a man", "the gunman", "one soldier"."""
    if phrase.count is not None:
        return bool(s.head(phrase)) and phrase.count.value == 1
    return _singular_head(s.head(phrase))


def _referent(
    s: _Sentence, phrase: _Phrase, previous: _Sentence | None
) -> tuple[str | None, str | None]:
    """Category and nationality of the person "the man" or "the suspect" refers back to: the
    last single person named before it, in its sentence or the one before."""
    earlier = [(previous, p) for p in previous.phrases.values()] if previous is not None else []
    earlier += [(s, p) for p in s.phrases.values() if p.last < phrase.first]
    for sentence, candidate in reversed(earlier):
        if sentence.is_person(candidate) and _singular(sentence, candidate):
            return sentence.category(candidate), _nationality(sentence.group_words(candidate))
    return None, None


def _attack(s: _Sentence) -> bool:
    """Whether the sentence names an attack ("shooting", "opened fire") or an attacker."""
    if s.lows.isdisjoint(_ATTACK_CUES):
        return False  # none of the words below: most sentences, not read word by word
    for k, tok in enumerate(s.toks):
        if tok.low in CATEGORY_HEADS["attackers"] or (
            tok.low in ATTACK_WORDS and s.low(k - 1) != "heart"
        ):
            return True
        if tok.low == "fire" and s.low(k - 1) in ("opened", "open", "opens", "opening"):
            return True
    return False


def _refine(
    s: _Sentence,
    pairs: list[tuple[_Found, CasualtyFigure]],
    previous: _Sentence | None,
    attacked: bool,
) -> list[CasualtyFigure]:
    """Who a figure without a category is, from the words around it (one sentence, in order).

    - "the man", "the suspect" refer back to the last single person named: "Two officers
      confronted the gunman. The man was pronounced dead" is the gunman (attackers);
    - in an article about an attack (``attacked``: it names an attacker, a shooting, a
      bombing...), people killed or wounded in it are its victims, not its perpetrators:
      "A gunman opened fire, killing five people and wounding nine others", "the hospital
      treated 11 people", a headline's bare "5 killed" (civilians; "others" only right after
      such victims, as "two soldiers ... and two others" may be soldiers). The whole article
      counts, not the sentence, so that every outlet's "people" of one attack agree;
    - a bare count coordinated with a figure shares its noun: "dozens of protesters were hurt
      and at least 11 taken to hospital".
    """
    described = _Described(s, previous, attacked)
    return [described.figure(found, figure) for found, figure in pairs]


class _Described:
    """Who the figures of one sentence are, read in order (see ``_refine``)."""

    def __init__(self, s: _Sentence, previous: _Sentence | None, attacked: bool) -> None:
        self.s = s
        self.previous = previous
        self.attacked = attacked
        # Figures that are not parts: "and 40 injured" are not of "four children".
        self.wholes: list[CasualtyFigure] = []
        self.victims = False  # the figure before was an attack's victims

    def figure(self, found: _Found, figure: CasualtyFigure) -> CasualtyFigure:
        category, nation, self.victims = self._category(found, figure)
        if (category, nation) != (figure.category, figure.nationality):
            figure = figure.model_copy(update={"category": category, "nationality": nation})
        if not found.part:
            self.wholes.append(figure)
        return figure

    def _category(
        self, found: _Found, figure: CasualtyFigure
    ) -> tuple[str | None, str | None, bool]:
        """The figure's category and nationality, and whether it counts an attack's victims."""
        head = self.s.head(found.about or found.phrase)
        category, nation = figure.category, figure.nationality
        if category is None and self._refers_back(found.phrase, figure, head):
            category, referred = _referent(self.s, found.phrase, self.previous)
            return category, nation or (referred if category is not None else None), False
        if self._shares_noun(figure):
            # "Two police officers were killed and 5 wounded": five police officers
            return self.wholes[-1].category, self.wholes[-1].nationality, self.victims
        if self._victims(found, figure, head):
            return "civilians", nation, True
        return category, nation, False

    def _refers_back(self, phrase: _Phrase, figure: CasualtyFigure, head: str) -> bool:
        """ "the man", "this suspect": one person the sentences before named."""
        definite = phrase.determiner is not None and self.s.low(phrase.determiner) in (
            "the",
            "this",
            "that",
        )
        return definite and figure.count == 1 and head in GENERIC_PEOPLE

    def _shares_noun(self, figure: CasualtyFigure) -> bool:
        """A bare count coordinated with the figure before it."""
        return (
            figure.category is None
            and figure.nationality is None
            and not figure.group
            and bool(self.wholes)
            and ("and" in self.s.low_between(self.wholes[-1].end, figure.start))
        )

    def _victims(self, found: _Found, figure: CasualtyFigure, head: str) -> bool:
        """People killed or wounded in the attack the article tells of."""
        return (
            self.attacked
            and figure.category is None
            and figure.nationality is None
            and found.phrase.determiner is None
            and figure.status in ("killed", "wounded")
            and not figure.background
            and (
                head in VICTIM_HEADS
                or (not head and found.about is None)
                or (head in ("others", "other") and self.victims)
            )
        )


def _condition(s: _Sentence, k: int, status: CasualtyStatus) -> tuple[int, int] | None:
    """The tokens that set a part of a figure apart: "(were) in critical condition",
    "seriously", "by firearms", "(were) children", "(were) taken to hospital"; None when
    nothing does, or when a casualty word of another status follows ("three of them died" is
    a figure of its own)."""
    while s.low(k) in AUX or s.low(k) in ("still", "also", "now", "currently"):
        k += 1
    if k >= len(s.toks) or not s.toks[k].is_word:
        return None
    tok = s.toks[k]
    last = k
    if k in s.triggers:  # "12 of whom were taken to hospital": a part, if of the same status
        if s.triggers[k][0] != status:
            return None  # "two of the wounded died" is a figure of its own
        while (
            last + 1 < len(s.toks)
            and last - k < 5
            and s.toks[last + 1].is_word
            and s.low(last + 1) not in ("and", "or", "but", "while", "who", "which")
        ):
            last += 1
        return k, last
    if _adverb(tok):  # "two of them seriously", "two critically injured"
        while last + 1 < len(s.toks) and _adverb(s.toks[last + 1]):
            last += 1
        if last + 1 in s.triggers and s.triggers[last + 1][0] == status:
            last += 1
        return k, last
    if tok.low in ("in", "with", "by", "on", "under", "at"):  # "in intensive care"
        while (
            last + 1 < len(s.toks)
            and last - k < 5
            and s.toks[last + 1].is_word
            and last + 1 not in s.triggers
            and s.low(last + 1) not in PREPOSITIONS
            and s.low(last + 1) not in ("and", "or", "but", "while", "who", "which")
        ):
            last += 1
        return (k, last) if last > k else None

    def word(n: int) -> bool:
        t = s.toks[n]
        return (
            t.is_word
            and t.text[0].islower()
            and t.low not in CLOSED
            and n not in s.triggers
            and not _verb_form(t)
        )

    if not word(k):  # "were identified" is no condition
        return None
    while last + 1 < len(s.toks) and last - k < 2 and word(last + 1):
        last += 1
    return k, last


def _antecedent(
    article: Article,
    s: _Sentence,
    i: int,
    k: int,
    here: list[CasualtyFigure],
    before: list[CasualtyFigure],
) -> tuple[CasualtyStatus, str, str | None, int] | None:
    """What "N of ..." at token ``i`` (``k`` after "of") is a part of: status, wording,
    nationality, and where its condition starts. "five of the wounded", "the injured, 19 of
    whom", "31 guards were injured, two of them" (a figure before it)."""
    word = s.low(k)
    if (
        word in ("the", "those", "these")
        and k + 1 in s.triggers
        and s.triggers[k + 1][1] in ("participle", "predicate")
    ):
        wording = article.text[s.toks[k].start : s.toks[k + 1].end]
        return s.triggers[k + 1][0], wording, None, k + 2
    if word not in ("whom", "them") or not (s.low(i - 1) == "," or (i == 0 and word == "them")):
        return None
    if word == "whom" and i - 2 in s.triggers and s.low(i - 3) in ("the", "those"):
        wording = article.text[s.toks[i - 3].start : s.toks[i - 2].end]  # "the injured"
        return s.triggers[i - 2][0], wording, None, k + 1
    figures = [f for f in here if f.end <= s.toks[i].start] if i > 0 else before
    if not figures:
        return None
    figure = max(figures, key=lambda f: f.end)
    if word == "whom" and figure.end != s.toks[i - 2].end:
        return None  # "whom" follows what it refers to
    wording = f"the {figure.group}" if figure.group else "them"
    return figure.status, wording, figure.nationality, k + 1


def _subsets(
    article: Article,
    s: _Sentence,
    evidence: Sentence,
    here: list[CasualtyFigure],
    before: list[CasualtyFigure],
    credit: _Credit,
) -> list[CasualtyFigure]:
    """Parts of a figure set apart by a condition: "five of the wounded were in critical
    condition", "19 of whom were in intensive care", "two of them seriously".

    Each is kept with ``part_of`` and ``background`` set (``group`` "of <whole>:
    <condition>", ``category`` the condition): merge keeps it apart from an event's toll: a
    part must never be compared with the whole as if the two disagreed.
    """
    if "of" not in s.lows:
        return []  # every part is "N of ...", or "Of the N ..."
    parts = _Parts(article, s, evidence, credit)
    toks = s.toks
    i = parts.opening()
    while i < len(toks):
        low = toks[i].low
        # What every count or hedge opens with (``_may_count``, ``_QUALIFIER_OPENERS``): a
        # word of either list, a digit, or a hyphenated word ("twenty-five"). Most words are
        # none, and are passed over here.
        if not (low in _PART_OPENERS or low[:1].isdecimal() or "-" in low):
            i += 1
            continue
        count = parts.counted(i)
        if count is None or s.low(count.end) != "of" or s.low(i - 1) in DETERMINERS:
            i += 1
            continue
        whole = _antecedent(article, s, i, count.end + 1, here, before)
        after = parts.part(i, count, whole) if whole is not None else i
        i = after if after > i else i + 1
    return parts.found


class _Parts:
    """The parts of figures one sentence sets apart (``_subsets``), as they are found."""

    def __init__(self, article: Article, s: _Sentence, evidence: Sentence, credit: _Credit) -> None:
        self.article = article
        self.s = s
        self.evidence = evidence
        self.credit = credit
        self.found: list[CasualtyFigure] = []

    def counted(self, i: int) -> _Count | None:
        """A definite count at token ``i`` (after a qualifier: "at least 12")."""
        toks = self.s.toks
        tok = toks[i]
        # Most tokens open neither a hedge nor a count: passed over without the two readings.
        if not tok.is_word or (tok.low not in _QUALIFIER_OPENERS and not _may_count(tok)):
            return None
        count = _count_at(toks, _qualifier_at(toks, i))
        return None if count is None or count.vague or count.value is None else count

    def opening(self) -> int:
        """ "Of the 40 injured, eight remain in intensive care.": the part, if the sentence
        opens so; the token to read on from."""
        s = self.s
        if not (s.low(0) == "of" and s.low(1) in ("the", "those")):
            return 0
        close = next((k for k in range(2, min(6, len(s.toks))) if s.low(k) == ","), None)
        if close is None or close - 1 not in s.triggers or close + 1 >= len(s.toks):
            return 0
        count = self.counted(close + 1)
        if count is None:
            return 0
        wording = self.article.text[s.toks[1].start : s.toks[close - 1].end]
        return self.part(close + 1, count, (s.triggers[close - 1][0], wording, None, count.end))

    def part(
        self, i: int, count: _Count, whole: tuple[CasualtyStatus, str, str | None, int]
    ) -> int:
        """The part whose count starts at token ``i``; the token after it (``i`` if none)."""
        s, text = self.s, self.article.text
        status, wording, nation, after = whole
        condition = _condition(s, after, status)
        if condition is None:
            return i
        first, last = condition
        stated = text[s.toks[first].start : s.toks[last].end]
        start, end = s.toks[i].start, s.toks[last].end
        self.found.append(
            CasualtyFigure(
                start=start,
                end=end,
                status=status,
                count=count.value,
                count_text=text[start : s.toks[count.end - 1].end],
                group=f"of {wording}: {stated}",
                nationality=nation,
                category=stated,
                attributed_to=self.credit.source(start, end),
                evidence=Span(start=self.evidence.start, end=self.evidence.end),
                background=True,
                part_of=True,
            )
        )
        return last + 1


def _title_case(text: str) -> bool:
    """ "Gunman Kills Five At Festival": a headline whose words are capitalised says nothing
    reliable about which word is a verb."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _dedupe(
    text: str, figures: list[CasualtyFigure], quotes: list[tuple[int, int, str | None]]
) -> list[CasualtyFigure]:
    """Drop "the man" or "the suspect" when it refers back to a single person the article
    already counted with the same status and category ("suspect dead" ... "The man was
    pronounced dead"); and one person in a quotation when the article already counted one
    person of that status who may be them: "The death of a young woman is a loss to us all," said of
    the student reported killed, comments on a death, it does not add one."""
    out: list[CasualtyFigure] = []
    for figure in figures:
        words = text[figure.start : figure.end].casefold().split()
        back = (
            figure.count == 1
            and not figure.count_text
            and figure.category is not None
            and not figure.background
            and len(words) == 2
            and words[0] in ("the", "this", "that")
        )
        if back and any(
            earlier.status == figure.status
            and earlier.count == 1
            and earlier.category == figure.category
            and earlier.nationality == figure.nationality
            and not earlier.background
            for earlier in out
        ):
            continue
        quoted = any(lo <= figure.start and figure.end <= hi for lo, hi, _ in quotes)
        if (
            quoted
            and _one_person(figure)
            and any(
                _one_person(earlier)
                and earlier.status == figure.status
                and _compatible(figure.category, earlier.category)
                and _compatible(figure.nationality, earlier.nationality)
                for earlier in out
            )
        ):
            continue
        out.append(figure)
    return out


def _compatible(a: str | None, b: str | None) -> bool:
    """Two descriptions that may be of one person: equal, or one of them says nothing."""
    return a is None or b is None or a == b


def _one_person(figure: CasualtyFigure) -> bool:
    """ "a young man", "the student", "one protester": a single person, no more."""
    return (
        figure.count == 1
        and figure.count_text.casefold() in ("", "a", "an", "one")
        and (not figure.background or figure.part_of)
    )


@dataclass(frozen=True)
class _Credit:
    """Whom a sentence credits: its attribution clauses, the ";" that split it into clauses
    of their own, and the quotations it stands in (span and speaker)."""

    clauses: list[tuple[int, int, str]]
    stops: list[int] = field(default_factory=list)
    quotes: list[tuple[int, int, str | None]] = field(default_factory=list)

    def source(self, start: int, end: int) -> str | None:
        """A figure inside a quotation is its speaker's, unless the speaker credits someone
        else in the quote ("'The army says 14 died,' she said"); otherwise the nearest clause
        of its own part of the sentence ("army says; clinic reports 17 dead"), else of the
        whole sentence."""
        quote = next(
            ((lo, hi, who) for lo, hi, who in self.quotes if lo <= start and end <= hi), None
        )
        if quote is not None:  # "'The army says 14 died,' she said": the army's
            inside = _source_for(
                [c for c in self.clauses if quote[0] <= c[0] and c[1] <= start], start, end
            )
            if inside == _SPEAKER:  # "'..., but we have counted 21 dead,' she said"
                inside = None
            if inside is not None or quote[2] is not None:
                return inside or quote[2]
        clauses = [c for c in self.clauses if c[2] != _SPEAKER]
        lo = max((s for s in self.stops if s < start), default=-1)
        hi = min((s for s in self.stops if s >= end), default=1 << 62)
        own = _source_for([c for c in clauses if lo < c[0] and c[1] <= hi], start, end)
        return own or _source_for(clauses, start, end)


def _source_for(clauses: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The clause before the figure nearest to it, else the first one after it."""
    before = [c for c in clauses if c[1] <= start]
    if before:
        return max(before, key=lambda c: c[1])[2]
    after = [c for c in clauses if c[0] >= end]
    return min(after, key=lambda c: c[0])[2] if after else None


def _inherit_nationality(figures: list[CasualtyFigure]) -> list[CasualtyFigure]:
    """ "four other aid workers" are of the nation of the aid workers before them."""
    out: list[CasualtyFigure] = []
    for figure in figures:
        other = (
            re.search(r"\bother", figure.group, re.IGNORECASE)
            or figure.count_text.casefold() == "another"
        )
        if other and figure.nationality is None and figure.category is not None:
            earlier = next(
                (
                    f
                    for f in reversed(out)
                    if f.category == figure.category and f.nationality is not None
                ),
                None,
            )
            if earlier is not None:
                figure = figure.model_copy(update={"nationality": earlier.nationality})
        out.append(figure)
    return out


def _read(doc: Doc, people: _People) -> list[tuple[_Sentence, Sentence]]:
    """Every sentence read for casualty words, each knowing what the sentences just before it
    counted (in its paragraph or the one before), for a bare "by our count"."""
    sentences: list[tuple[_Sentence, Sentence]] = []
    counted: tuple[int, CasualtyStatus] | None = None  # paragraph and status last counted
    for evidence, toks in zip(doc.sentences, doc.words, strict=True):
        check()
        context = counted[1] if counted and evidence.paragraph - counted[0] <= 1 else None
        sentence = _Sentence(toks, evidence, context, people)
        sentences.append((sentence, evidence))
        status = sentence.last_status()
        if status is not None:
            counted = evidence.paragraph, status
    return sentences


class _Reading:
    """The figures of one article, sentence by sentence in text order: what each sentence
    reads depends on the one before (its figures, a past the paragraph tells of)."""

    def __init__(
        self,
        article: Article,
        sources: _Sources,
        quotes: list[tuple[int, int, str | None]],
        attacked: bool,
    ) -> None:
        self.article = article
        self.sources = sources
        self.quotes = quotes
        self.overlapping = Overlaps([(q[0], q[1]) for q in quotes])
        self.attacked = attacked  # the article tells of an attack: "people" are its victims
        self.present = _present_year(article)
        self.past = _Past()
        self.seen: set[tuple[int, int, str]] = set()
        self.previous: _Sentence | None = None
        self.before: list[CasualtyFigure] = []  # the previous sentence's figures

    def sentence(self, s: _Sentence, evidence: Sentence) -> list[CasualtyFigure]:
        """The figures of one sentence, parts of them included."""
        # Every sentence's clauses, figures or not: resolving a source teaches the registry
        # (a name is a person, "the ministry" is the one named last) what later ones read.
        clauses = self.sources.clauses(s)
        text = self.article.slice(evidence)
        if evidence.heading and _title_case(text):
            self.previous, self.before = s, []
            return []
        if not self._may_count(s):
            self.past.read(s, evidence, text, self.present)  # a past the paragraph opens
            self.previous, self.before = s, []
            return []
        credit = _Credit(
            clauses,
            [t.start for t in s.toks if t.text == ";"] if ";" in s.lows else [],
            [self.quotes[k] for k in self.overlapping.indices(evidence.start, evidence.end)],
        )
        found = _Linker(s).figures()
        in_past = self.past.read(s, evidence, text, self.present)
        background = bool(found) and (in_past or _is_background(text, self.present))
        pairs = self._figures(s, evidence, found, credit, background)
        here = _refine(s, pairs, self.previous, self.attacked)
        parts = _subsets(self.article, s, evidence, here, self.before, credit)
        here = [f for f in here if not any(p.start <= f.start and f.end <= p.end for p in parts)]
        denial = s.denial() if here else None
        if denial is not None:  # "..., although the prison service has denied this": a claim
            span = Span(start=denial[0], end=denial[1])
            here = [f.model_copy(update={"denial": span}) for f in here]
        self.previous, self.before = s, here + parts
        return here + parts

    def _may_count(self, s: _Sentence) -> bool:
        """Whether the sentence can give a figure at all. One needs a casualty word
        (``triggers``) or a tally noun ("a toll of 12"); or else a part of the previous
        sentence's figures ("Two of them ..."), which needs an "of" and figures before it.
        Most sentences have none of these, and are passed over after what later sentences
        read of them (their clauses, a past their paragraph opens)."""
        return (
            bool(s.triggers)
            or not s.lows.isdisjoint(TALLY_NOUNS)
            or ("of" in s.lows and bool(self.before))
        )

    def _figures(
        self,
        s: _Sentence,
        evidence: Sentence,
        found: list[_Found],
        credit: _Credit,
        background: bool,
    ) -> list[tuple[_Found, CasualtyFigure]]:
        """Each linked casualty word's figure, once per span and status, in text order."""
        pairs: list[tuple[_Found, CasualtyFigure]] = []
        for item in found:
            own = self.sources.own(s, item)
            figure = _figure(self.article, s, item, evidence, credit, background, own)
            if figure is None or (figure.start, figure.end, figure.status) in self.seen:
                continue
            self.seen.add((figure.start, figure.end, figure.status))
            pairs.append((item, figure))
        pairs.sort(key=lambda pair: (pair[1].start, pair[1].end))
        return pairs


def find_casualties(doc: Doc, *, quoted: list[Quote] | None = None) -> list[CasualtyFigure]:
    """Every reported count of people killed, wounded, missing or detained, in text order.

    Sources such as "he" or "the ministry" are resolved with a resolution of the ``Doc`` of
    their own. ``quoted`` is the article's quotations as ``attribute`` finds them; they are
    found here when not given.
    """
    sources = _Sources(doc)
    people = _People(sources.attributor.registry)
    if quoted is None:
        quoted = attribute(doc)
    quotes = [(q.start, q.end, q.speaker) for q in quoted]
    sentences = _read(doc, people)
    reading = _Reading(doc.article, sources, quotes, any(_attack(s) for s, _ in sentences))
    figures: list[CasualtyFigure] = []
    for s, evidence in sentences:
        check()
        figures.extend(reading.sentence(s, evidence))
    figures.sort(key=lambda f: (f.start, f.end))
    return _dedupe(doc.text, _inherit_nationality(figures), quotes)


__all__ = ["find_casualties"]
