"""Casualty figures: how many people were killed, wounded, missing or detained, and by whose count.

Each sentence is cut into tokens, runs of tokens into noun phrases ("at least 12 people",
"three other service members", "the assailant") and casualty words between them. A casualty
word takes its figures from the phrases it governs:

- the object after an active or nominal form: "an ambush that killed three Americans",
  "killing two troops and a civilian and wounding three others", "the loss of 2,000 men";
- the subject before a passive, adjectival or intransitive form: "two troops and a civilian
  were killed", "three service members injured Saturday" (auxiliary elided), "12 people
  remain missing", "the gunman who was later killed", "five people died";
- the count after "death toll": "the death toll rose to 45".

Coordination ("and", ",", "including", "as well as") extends a figure to its neighbours. A
figure whose count and group are both empty ("victims were killed") says nothing and is
dropped, and so are counts of things rather than people ("killed two days ago", "71 arrests":
an arrest tally counts operations' results, not people held after the event at hand).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ...models import Article, CasualtyFigure, CasualtyStatus, Sentence, Span
from .entities import Registry
from .lexicon import (
    COUNT_QUALIFIERS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    VAGUE_COUNTS,
    nationality,
)
from .quotes import Attributor

Form = Literal["ed", "ing", "s", "adj", "intrans", "nominal", "toll"]

# --- vocabulary -----------------------------------------------------------------------------

_STATUS_WORDS: dict[CasualtyStatus, dict[str, Form]] = {
    "killed": {
        "killed": "ed", "slain": "ed", "murdered": "ed", "massacred": "ed", "executed": "ed",
        "killing": "ing", "murdering": "ing", "massacring": "ing", "kills": "s",
        "dead": "adj", "died": "intrans", "perished": "intrans",
        "death": "nominal", "deaths": "nominal", "killings": "nominal", "murder": "nominal",
        "loss": "nominal", "losses": "nominal", "lives": "nominal",
    },
    "wounded": {
        "wounded": "ed", "injured": "ed", "hurt": "ed", "wounding": "ing", "injuring": "ing",
        "injures": "s",
    },
    "missing": {"missing": "adj", "unaccounted": "adj"},
    "detained": {
        "arrested": "ed", "detained": "ed", "captured": "ed", "abducted": "ed",
        "kidnapped": "ed", "kidnaped": "ed", "arresting": "ing", "detaining": "ing",
        "capturing": "ing", "abducting": "ing", "kidnapping": "ing", "arrests": "s",
        "detains": "s", "captures": "s", "abducts": "s", "kidnaps": "s",
        "hostage": "adj", "captive": "adj", "arrest": "nominal", "detention": "nominal",
        "abduction": "nominal", "kidnappings": "nominal",
    },
}
_TRIGGERS = {word: (status, form) for status, words in _STATUS_WORDS.items()
             for word, form in words.items()}
# Nouns that are a tally themselves: "12 deaths", "30 injuries".
_TALLY_NOUNS: dict[str, CasualtyStatus] = {
    "deaths": "killed", "fatalities": "killed", "injuries": "wounded",
}
# "held hostage", "taken captive": these adjectives mean detained only after such a verb.
_CAPTIVE_VERBS = frozenset({"taken", "held", "seized", "kept"})

_BE = frozenset("is are was were be been being am get gets got getting".split())
_AUX = _BE | frozenset(
    "has have had having remain remains remained remaining went gone go goes".split())
_MODALS = frozenset("could would might may should must can".split())
_NEGATIONS = frozenset({"not", "never", "n't"})
# Words that may stand between an auxiliary and its participle: "were also critically
# injured", "were shot and killed", "were found dead", "were among the dead".
_GAP_WORDS = frozenset(
    """also all both each reportedly allegedly later subsequently then since still now
    believed reported confirmed found pronounced presumed left shot and among the
    those""".split()
) | _CAPTIVE_VERBS
_RELATIVES = frozenset({"who", "that", "which"})
_DETERMINERS = frozenset("the his her their its our my your these those this".split())
_PREPOSITIONS = frozenset(
    """in on at near during after before by for to into onto from with across inside outside
    over under since through throughout amid amidst against toward towards including
    following despite without within upon via per as like than about around between beyond
    along""".split()
)
_CLOSED = _BE | _AUX | _MODALS | _NEGATIONS | _RELATIVES | _PREPOSITIONS | frozenset(
    """and or but nor whom whose when where while because if although though until unless
    whether once so there here he she it they we i you him them us me himself herself
    themselves itself not also then still now already even just later again yet
    reportedly allegedly subsequently""".split()
)
_PRONOUN_OBJECTS = frozenset("him her them it us me himself herself themselves itself".split())
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today tonight yesterday
    overnight earlier later last this next morning evening night afternoon week weekend month
    year january february march april may june july august september october november
    december""".split()
)
# Participles that hedge a noun rather than report speech: "an alleged militant".
_HEDGES = frozenset({"alleged", "suspected", "reported", "purported", "presumed"})
_PARTITIVE_PRONOUNS = frozenset({"them", "whom", "those", "these", "us"})
# Participles that open a post-modifier: "personnel aligned with the government".
_POSTMODIFIERS = frozenset(
    """aligned affiliated loyal linked belonging attached assigned stationed based serving
    deployed""".split()
)
_IRREGULAR_PLURALS = frozenset(
    """people men women children police personnel staff crew gunmen policemen policewomen
    servicemen servicewomen airmen guardsmen militia""".split()
)

# Heads (and the modifiers that qualify vague heads) of each category.
_CATEGORY_HEADS: dict[str, frozenset[str]] = {
    "attackers": frozenset(
        """attacker attackers assailant assailants gunman gunmen militant militants bomber
        bombers shooter shooters insurgent insurgents terrorist terrorists jihadist jihadists
        perpetrator perpetrators hijacker hijackers""".split()),
    "soldiers": frozenset(
        """troops troop soldier soldiers servicemember servicemembers serviceman servicemen
        servicewoman servicewomen marine marines sailor sailors airman airmen guardsman
        guardsmen paratrooper paratroopers commando commandos peacekeeper peacekeepers
        reservist reservists conscript conscripts""".split()),
    "security personnel": frozenset(
        """police policeman policemen policewoman policewomen guard guards gendarme
        gendarmes""".split()),
    "civilians": frozenset(
        """civilian civilians interpreter interpreters translator translators contractor
        contractors journalist journalists reporter reporters photographer photographers
        child children schoolchildren kid kids infant infants baby babies boy boys
        schoolboys girl girls schoolgirls teenager
        teenagers minor minors woman women resident residents villager villagers student
        students worshipper worshippers worshipers pilgrim pilgrims passenger passengers
        tourist tourists bystander bystanders shopper shoppers refugee refugees farmer
        farmers teacher teachers protester protesters protestor protestors demonstrator
        demonstrators doctor doctors nurse nurses medic medics paramedic paramedics
        volunteer volunteers""".split()),
}
# Vague heads ("members", "personnel") take their category from a modifier.
_VAGUE_HEADS = frozenset(
    "members member personnel forces force officers officer staff workers worker".split())
_CATEGORY_MODIFIERS: dict[str, frozenset[str]] = {
    "soldiers": frozenset("service military army armed naval navy guard coalition".split()),
    "security personnel": frozenset("security police border".split()),
    "civilians": frozenset("civilian aid humanitarian".split()),
}
# People without a category: they make a figure, but say nothing of who.
_GENERIC_PEOPLE = frozenset(
    """people persons person individuals individual man men others victims personnel members
    member staff crew workers worker employees officials official officers officer fighters
    prisoners detainees suspects hostages relatives family families migrants""".split()
)
_PERSON_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "man", "men",
                    "ant", "ants", "ee", "ees")
# Counted things that are not people: "killed two days ago", "injured three times".
_NON_PERSON_HEADS = frozenset(
    """day days week weeks month months year years hour hours minute minutes time times
    percent per cent kilometers kilometres km miles meters metres attack attacks operation
    operations raid raids strike strikes rocket rockets missile missiles drone drones vehicle
    vehicles building buildings house houses home homes tank tanks attempt attempts incident
    incidents village villages town towns city cities""".split()
)

_BACKGROUND_RE = re.compile(
    r"\b(?:so far|to date|in total|altogether|cumulative|over the (?:years|decades?|past|last|"
    r"course)|in the past|since (?:the (?:start|beginning|outbreak|war|conflict)|its|their|"
    r"(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|last|then)|throughout the|years ago|decades? ago|last year)\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\b(?:in|during|between|from|of|the)\s+(?:early |late |mid-)?"
                      r"((?:19|20)\d\d)\b(?!,\d)")
_ANY_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b(?!,\d)")

_TOKEN_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w’'-])"  # 2,000
    r"|\d+\.\d+(?![\w’'-])"  # 1.5 (million)
    r"|(?:[A-Za-z]\.){2,}"  # U.S.
    r"|[^\W_]+(?:[’'\-–][^\W_]+)*"  # words, "12-year-old", "Syria’s", "Syrian–American"
    r"|[^\w\s]"  # punctuation
)


# --- tokens and phrases ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold().replace("’", "'")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def acronym(self) -> bool:
        """"US", "IS" in capitals are names, not the pronoun or the verb."""
        return len(self.text) > 1 and self.text.replace(".", "").isupper()


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
    coordinated: bool = False  # "Syrian and U.S. personnel"


def _tokenize(text: str, start: int, end: int) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


def _number(token: _Token) -> float | None:
    raw = token.text.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    # A bare four-digit year is a date, not a count; news style writes "2,000 people".
    if "," not in token.text and "." not in token.text and 1900 <= value <= 2099:
        return None
    return value


def _word_number(low: str) -> int | None:
    """'three' -> 3, 'twenty-five' -> 25; None for words that are not plain numbers."""
    parts = low.split("-")
    if not all(p in NUMBER_WORDS and p not in ("a", "an", "single", "both") for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)


def _count_at(toks: list[_Token], i: int) -> _Count | None:
    """The count that starts at token ``i``: "12", "2,000", "two dozen", "several", "dozens of"."""
    if i >= len(toks):
        return None

    def low(k: int) -> str:
        return toks[k].low if k < len(toks) else ""

    first = low(i)
    if first in ("no", "nobody", "none") or (first == "no" and low(i + 1) == "one"):
        return _Count(0, i + 2 if low(i + 1) == "one" else i + 1)
    if first in ("a", "an") and low(i + 1) in ("few", "handful", "number"):
        end = i + 3 if low(i + 2) == "of" else i + 2
        return _Count(None, end, vague=True)
    if first == "half" and low(i + 1) == "a" and low(i + 2) == "dozen":
        return _Count(6, i + 3)
    if first == "tens" and low(i + 1) == "of":
        end = i + 3 if low(i + 3) == "of" else i + 2
        return _Count(None, end + (1 if low(end) in VAGUE_COUNTS else 0), vague=True)
    value: float | None = _number(toks[i])
    if value is None:
        whole = _word_number(first)
        value = float(whole) if whole is not None else None
    if first == "another" and _count_at(toks, i + 1) is None:
        return _Count(1, i + 1)
    if value is None and first in ("a", "an", "one", "both"):
        value = float(NUMBER_WORDS[first])
        if low(i + 1) in ("dozen", "hundred", "thousand", "million"):
            value = 1.0
        else:
            return _Count(int(value), i + 1)
    if value is not None:
        end = i + 1
        # "twenty five", "two hundred", "1.5 million", "two dozen"
        follower = _word_number(low(end))
        if follower is not None and follower < 10 <= value < 100:
            value, end = value + follower, end + 1
        while low(end) in NUMBER_SCALES or low(end) == "dozen":
            value *= NUMBER_SCALES.get(low(end), 12)
            end += 1
        if value != int(value):
            return None
        return _Count(int(value), end + (low(end) == "more"))  # "12 more", "two more"
    if first in VAGUE_COUNTS and first not in ("other", "others", "more", "some"):
        end = i + 1
        if low(end) == "of" and first in ("dozens", "scores", "hundreds", "thousands"):
            end += 1
        return _Count(None, end + (low(end) == "more"), vague=True)
    if first == "some" and i + 1 < len(toks) and _count_at(toks, i + 1) is None:
        return _Count(None, i + 1, vague=True)
    return None


def _qualifier_at(toks: list[_Token], i: int) -> int:
    """Index after a hedge such as "at least" or "more than" at ``i`` (``i`` if none)."""
    for size in (3, 2, 1):
        words = " ".join(t.low for t in toks[i : i + size])
        if len(toks[i : i + size]) == size and words in COUNT_QUALIFIERS:
            after = _count_at(toks, i + size)
            if after is not None and not after.vague:
                return i + size
    return i


class _Sentence:
    """One sentence as tokens, the casualty words among them, and its noun phrases."""

    def __init__(self, text: str, sentence: Sentence) -> None:
        self.text = text
        self.toks = _tokenize(text, sentence.start, sentence.end)
        self.triggers: dict[int, tuple[CasualtyStatus, Form]] = {}
        for i in range(len(self.toks)):
            trigger = self._trigger(i)
            if trigger is not None:
                self.triggers[i] = trigger
        self.phrases: dict[int, _Phrase] = {}  # by first token
        self.phrase_at: dict[int, _Phrase] = {}  # every token of a phrase to the phrase
        i = 0
        while i < len(self.toks):
            phrase = self._phrase_from(i)
            if phrase is None:
                i += 1
                continue
            self.phrases[phrase.first] = phrase
            for k in range(phrase.first, phrase.last + 1):
                self.phrase_at[k] = phrase
            i = phrase.last + 1

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def _trigger(self, i: int) -> tuple[CasualtyStatus, Form] | None:
        tok = self.toks[i]
        if not tok.is_word or (tok.text[0].isupper() and i > 0):
            return None
        if tok.low == "toll" and self.low(i - 1) == "death":
            return "killed", "toll"
        found = _TRIGGERS.get(tok.low)
        if found is None:
            return None
        status, form = found
        if form == "nominal" or (form == "ing" and self.low(i + 1) == "of"):
            if self.low(i + 1) != "of":
                return None
            # "the lives of": only after "claimed", "took", "cost".
            if tok.low == "lives" and not re.match(r"claim|took|tak|cost", self.low(i - 2)):
                return None
            return status, "nominal"
        if tok.low in ("hostage", "captive") and self.low(i - 1) not in _CAPTIVE_VERBS:
            return None
        if tok.low == "unaccounted" and self.low(i + 1) != "for":
            return None
        return status, form

    # -- noun phrases ------------------------------------------------------------------------

    def _np_word(self, i: int) -> bool:
        if i >= len(self.toks) or i in self.triggers:
            return False
        tok = self.toks[i]
        if not tok.is_word or tok.low in _DETERMINERS:
            return False
        if tok.acronym:
            return True
        if tok.low in _CLOSED:
            return False
        return tok.low in _HEDGES or not (
            _adverb(tok) or (tok.text[0].islower() and tok.low in SPEECH_VERBS))

    def _phrase_from(self, i: int) -> _Phrase | None:
        phrase = _Phrase(first=i, last=i)
        j = _qualifier_at(self.toks, i)
        if self.low(j) in _DETERMINERS and self.toks[j].is_word:
            phrase.determiner = j
            j += 1
        count = _count_at(self.toks, j)
        if count is not None and j not in self.triggers:
            phrase.count, phrase.count_first = count, i
            j = count.end
        elif j != i and phrase.determiner is None:
            j = i  # a hedge without a count ("about the attack") is no phrase
        if phrase.count is not None and self.low(j) == "of":  # "three of the soldiers"
            j += 1
            if self.low(j) in _PARTITIVE_PRONOUNS:
                phrase.last = j
                return phrase
            if self.low(j) in _DETERMINERS:
                j += 1
        phrase.group_first = j
        j = self._words(phrase, j)
        if phrase.words:
            phrase.head = phrase.words[-1]
            j = self._postmodifier(phrase, j)
        elif phrase.count is None:
            return None
        phrase.last = j - 1
        if phrase.count is not None and self.low(phrase.count_first or i) == "both" and (
                phrase.coordinated):
            phrase.count = None  # "both American and Syrian victims" coordinates, not counts
        return phrase

    def _words(self, phrase: _Phrase, j: int) -> int:
        while j < len(self.toks):
            if phrase.words and self.low(j) in _POSTMODIFIERS and self.low(j + 1) in (
                    "with", "to", "in", "by"):
                break
            if self._np_word(j) and (not phrase.words or _count_at(self.toks, j) is None):
                phrase.words.append(j)
                j += 1
                continue
            # "Syrian and U.S. personnel": a nationality adjective coordinated with another.
            if (phrase.words and self.low(j) in ("and", "or") and j + 1 < len(self.toks)
                    and self._adjective_nationality(phrase.words[-1])
                    and self._adjective_nationality(j + 1)):
                phrase.coordinated = True
                j += 1
                continue
            break
        return j

    def _postmodifier(self, phrase: _Phrase, j: int) -> int:
        """"members of the National Guard", "personnel aligned with the government"."""
        if self.low(j) == "of" and _count_at(self.toks, j + 1) is None:
            k = j + 1
        elif self.low(j) in _POSTMODIFIERS and self.low(j + 1) in ("with", "to", "in", "by"):
            k = j + 2
        else:
            return j
        if self.low(k) in _DETERMINERS:
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
        return (tok.text[0].isupper() and nationality(tok.text) is not None
                and not tok.text.endswith("s"))

    # -- reading a phrase --------------------------------------------------------------------

    def head(self, phrase: _Phrase) -> str:
        return self.low(phrase.head) if phrase.head is not None else ""

    def group_words(self, phrase: _Phrase) -> list[_Token]:
        return [self.toks[k] for k in phrase.words]

    def is_person(self, phrase: _Phrase) -> bool:
        head = self.head(phrase)
        if not head:
            return phrase.count is not None
        if head in _NON_PERSON_HEADS:
            return False
        return (
            self.category(phrase) is not None or head in _GENERIC_PEOPLE
            or nationality(self.toks[phrase.head or 0].text) is not None
            or (head.endswith(_PERSON_SUFFIXES) and phrase.count is not None)
        )

    def category(self, phrase: _Phrase) -> str | None:
        head = self.head(phrase)
        modifiers = {t.low for t in self.group_words(phrase)} - {head}
        for name, heads in _CATEGORY_HEADS.items():
            if head in heads:
                return name
        if head in _VAGUE_HEADS or head in ("forces", "force"):
            for name, words in _CATEGORY_MODIFIERS.items():
                if modifiers & words:
                    return name
            if head in ("forces", "force"):
                return "soldiers"
        if "civilian" in modifiers:
            return "civilians"
        return None

    def counted(self, phrase: _Phrase) -> bool:
        return phrase.count is not None or phrase.determiner is not None


# --- linking casualty words to phrases ------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    phrase: _Phrase
    status: CasualtyStatus
    recollection: bool = False  # "the loss of 2,000 men"


class _Linker:
    """The phrases each casualty word of a sentence governs."""

    def __init__(self, sentence: _Sentence) -> None:
        self.s = sentence

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
        while k >= 1:
            if self.s.low(k) in ("and", "including"):
                k -= 1
                if self.s.low(k) == ",":
                    k -= 1
            elif self.s.low(k) == ",":
                k -= 1
            else:
                break
            previous = self._phrase_ending(k)
            if previous is None or not self.s.is_person(previous):
                break
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
        while k < len(self.s.toks):
            comma = self.s.low(k) == ","
            k += 1 if comma else 0
            if self.s.low(k) in ("and", "including"):
                k += 1
            elif self.s.low(k) == "as" and self.s.low(k + 1) == "well" and self.s.low(
                    k + 2) == "as":
                k += 3
            elif not comma:
                break
            following = self.s.phrases.get(k)
            if following is None or not self.s.is_person(following) or (
                    comma and self.s.low(k - 1) == "," and not self.s.counted(following)):
                break
            chain.append(following)
            k = following.last + 1
        return chain

    def _subject(self, i: int) -> tuple[list[_Phrase], bool] | None:
        """Subjects of the casualty word at ``i`` and whether a passive auxiliary precedes it.

        None when the clause is negated or hypothetical ("were not hurt", "could have died").
        """
        k = i - 1
        while k >= 0 and (self.s.low(k) in _GAP_WORDS or _adverb(self.s.toks[k])):
            k -= 1
        auxiliaries = []
        while k >= 0 and (self.s.low(k) in _AUX | _MODALS | _NEGATIONS):
            auxiliaries.append(self.s.low(k))
            k -= 1
        if set(auxiliaries) & (_MODALS | _NEGATIONS) or self.s.low(i - 1) in _NEGATIONS:
            return None
        if auxiliaries and self.s.low(k) in _RELATIVES:
            k -= 1
        chain = self._chain_left(k)
        if not chain and auxiliaries and self.s.low(k) == ",":
            chain = self._around_parenthetical(k)
        return chain, bool(set(auxiliaries) & _BE)

    def _around_parenthetical(self, close: int) -> list[_Phrase]:
        """The subject before ", including three children," or ", a 19-year-old man,"."""
        opening = next((k for k in range(close - 1, max(close - 12, 0), -1)
                        if self.s.low(k) == ","), None)
        if opening is None:
            return []
        outer = self._chain_left(opening - 1)
        if not outer:
            return []
        if self.s.low(opening + 1) == "including":
            inner = [p for p in self._chain_right(opening + 2) if p.last < close]
            return outer + inner
        appositive = self.s.phrases.get(opening + 1)
        return outer if appositive is not None and appositive.last == close - 1 else []

    def _object(self, i: int) -> int | None:
        """Index of the object phrase right after the verb at ``i``, if it has one."""
        k = i + 1
        if self.s.low(k) in _PRONOUN_OBJECTS:
            return -1
        phrase = self.s.phrases.get(k)
        if phrase is None or (self.s.low(k) in _TIME_WORDS and phrase.count is None):
            return None
        return k

    def _adjectival(self, i: int) -> bool:
        """"the injured", "three wounded soldiers", "Injured personnel": not a verb."""
        if i == 0:
            return True
        before = self.s.low(i - 1)
        previous = self._phrase_ending(i - 1)
        return before in _DETERMINERS or before in _PREPOSITIONS or (
            previous is not None and not previous.words)

    def figures(self) -> list[_Found]:
        found: list[_Found] = []
        for i, (status, form) in sorted(self.s.triggers.items()):
            for phrase in self._governed(i, form):
                found.append(_Found(phrase, status, self.s.low(i) in ("loss", "losses")))
        for phrase in self.s.phrases.values():
            tally = _TALLY_NOUNS.get(self.s.head(phrase))
            if tally is not None and phrase.count is not None and len(phrase.words) == 1:
                found.append(_Found(phrase, tally))
        return found

    def _governed(self, i: int, form: Form) -> list[_Phrase]:
        if form == "nominal":
            return self._chain_right(i + 2)
        if form == "toll":
            return self._toll(i)
        if form in ("ing", "s"):
            target = self._object(i)
            if target is None or target < 0:
                return []
            chain = self._chain_right(target)
            return chain if form == "ing" or self.s.counted(chain[0]) else []
        subject = self._subject(i)
        if subject is None:
            return []
        chain, passive = subject
        if form == "ed" and not passive:
            target = self._object(i)
            if target is not None:
                if target < 0 or self._adjectival(i):
                    return []
                return self._chain_right(target)
        if not chain and self.s.low(i - 1) == "the" and self.s.low(
                i - 2) == "among" and self.s.low(i + 1) in _BE:
            return self._chain_right(i + 2)  # "Among the dead were three children"
        return chain

    def _toll(self, i: int) -> list[_Phrase]:
        """"The death toll rose from 30 to 45": the last count before the clause ends."""
        last: _Phrase | None = None
        k = i + 1
        while k < len(self.s.toks) and k < i + 14 and self.s.low(k) not in (
                ",", ".", ";", ":", "as", "after", "when", "while"):
            phrase = self.s.phrases.get(k)
            if phrase is not None and phrase.count is not None and not phrase.count.vague:
                last = phrase
            k = phrase.last + 1 if phrase is not None else k + 1
        return [last] if last is not None else []


# --- sources and background -----------------------------------------------------------------


class _Sources:
    """Who a sentence credits for what it reports: "X said", "according to X", "said X"."""

    def __init__(self, article: Article, registry: Registry) -> None:
        self.text = article.text
        self.attributor = Attributor(article, registry)

    def clauses(self, sentence: _Sentence) -> list[tuple[int, int, str]]:
        """(start, end, source) of each attribution clause of the sentence."""
        toks = sentence.toks
        out: list[tuple[int, int, str]] = []
        for i, tok in enumerate(toks):
            if tok.low == "according" and sentence.low(i + 1) == "to":
                end = i + 2
                while end < len(toks) and toks[end].is_word:
                    end += 1
                source = self._resolve(toks, i + 2, end)
                if source is not None:
                    out.append((tok.start, toks[end - 1].end, source))
            elif tok.low in REPORTING_VERBS and tok.text[0].islower():
                found = self._subject(sentence, i) or self._inverted(sentence, i)
                if found is not None:
                    out.append((min(toks[found[0]].start, tok.start),
                                max(toks[found[1] - 1].end, tok.end),
                                found[2]))
        return out

    def _subject(self, sentence: _Sentence, verb: int) -> tuple[int, int, str] | None:
        """"US Central Command said", ", police said.", "Monitoring groups reported that"."""
        end = verb
        while end > 0 and sentence.low(end - 1) in ("has", "have", "had", "also"):
            end -= 1
        start = end
        while start > 0 and _subject_word(sentence.toks[start - 1]):
            start -= 1
        if start == end or end - start > 8:
            return None
        before = sentence.low(start - 1)
        if start > 0 and before not in (",", "“", '"', "”", ":", "and", "but", "while"):
            return None
        if any(k in sentence.triggers for k in range(start, end)):
            return None
        source = self._resolve(sentence.toks, start, end)
        return (start, end, source) if source is not None else None

    def _inverted(self, sentence: _Sentence, verb: int) -> tuple[int, int, str] | None:
        """", said the ministry." at the end of a sentence."""
        if sentence.low(verb - 1) not in (",", "”", '"'):
            return None
        end = verb + 1
        while end < len(sentence.toks) and _subject_word(sentence.toks[end]):
            end += 1
        if end == verb + 1 or end - verb > 9 or sentence.low(end) not in (",", ".", ""):
            return None
        source = self._resolve(sentence.toks, verb + 1, end)
        return (verb + 1, end, source) if source is not None else None

    def _resolve(self, toks: list[_Token], start: int, end: int) -> str | None:
        """The phrase as the article names it: a pronoun or "the ministry" to whom it means."""
        if end - start == 1 and toks[start].low in ("it", "they", "we", "i", "you"):
            return None
        lo, hi = toks[start].start, toks[end - 1].end
        speaker = self.attributor._phrase(lo, hi)
        if speaker is not None:
            return speaker.name
        if toks[start].low in ("he", "she"):
            return None
        return self.text[lo:hi]


def _adverb(tok: _Token) -> bool:
    return tok.text[0].islower() and tok.low.endswith("ly") and tok.low not in (
        "family", "ally", "assembly", "rally", "supply")


def _subject_word(tok: _Token) -> bool:
    """A word that may stand in a source's name ("The Syrian Observatory for Human Rights")."""
    low = tok.low
    if not tok.is_word or low in _TRIGGERS or low in REPORTING_VERBS:
        return False
    return low in ("the", "of", "for", "a", "an") or low not in _CLOSED or tok.acronym or (
        low in ("he", "she", "it", "they"))


def _present_year(article: Article) -> int | None:
    """The story's year: its publication date, else the latest year the body mentions."""
    if article.published:
        match = _ANY_YEAR_RE.search(article.published)
        if match:
            return int(match.group())
    years = [int(m.group()) for s in article.sentences
             for m in _ANY_YEAR_RE.finditer(article.slice(s))]
    return max(years) if years else None


def _is_background(sentence_text: str, present: int | None) -> bool:
    if _BACKGROUND_RE.search(sentence_text):
        return True
    return present is not None and any(
        int(m.group(1)) < present for m in _YEAR_RE.finditer(sentence_text))


# --- assembly -------------------------------------------------------------------------------


def _nationality(words: list[_Token]) -> str | None:
    """Every nation a phrase names, in order: "Syrian and U.S. personnel" -> "Syrian, US"."""
    found: list[str] = []
    for tok in words:
        if not tok.text[0].isupper():
            continue
        for part in re.split(r"[-–]", tok.text) if not tok.acronym else [tok.text]:
            label = nationality(part) if part[:1].isupper() else None
            if label is not None and label not in found:
                found.append(label)
    return ", ".join(found) if found else None


def _figure(article: Article, s: _Sentence, found: _Found, evidence: Sentence,
            source: str | None, background: bool) -> CasualtyFigure | None:
    phrase = found.phrase
    head = s.head(phrase)
    if head in _NON_PERSON_HEADS or (found.status == "detained" and not s.is_person(phrase)):
        return None  # things can be captured, but only people are killed or hurt
    count = phrase.count.value if phrase.count is not None else None
    count_text = ""
    if phrase.count is not None and phrase.count_first is not None:
        count_text = article.text[s.toks[phrase.count_first].start
                                  : s.toks[phrase.count.end - 1].end]
    category = s.category(phrase)
    singular = head and head not in _IRREGULAR_PLURALS and not (
        head.endswith("s") and not head.endswith("ss"))
    if phrase.count is None and phrase.determiner is not None and singular and category:
        count = 1  # "the assailant", "the gunman"
        count_text = s.toks[phrase.determiner].text
    tally = head in _TALLY_NOUNS  # "12 deaths": a count with no group
    group_first = phrase.group_first if phrase.words and not tally else None
    if count is None and not count_text and category is None:
        return None  # "victims were killed": no count, no one in particular
    first = s.toks[min(k for k in (phrase.first, phrase.count_first, phrase.determiner)
                       if k is not None)]
    last = s.toks[phrase.last]
    group = ""
    if group_first is not None and group_first <= phrase.last:
        group = article.text[s.toks[group_first].start : last.end]
    return CasualtyFigure(
        start=first.start,
        end=last.end,
        status=found.status,
        count=count,
        count_text=count_text,
        group=group,
        nationality=_nationality(s.group_words(phrase)),
        category=category,
        attributed_to=source,
        evidence=Span(start=evidence.start, end=evidence.end),
        background=background or found.recollection,
    )


def _source_for(clauses: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The clause before the figure nearest to it, else the first one after it."""
    before = [c for c in clauses if c[1] <= start]
    if before:
        return max(before, key=lambda c: c[1])[2]
    after = [c for c in clauses if c[0] >= end]
    return min(after, key=lambda c: c[0])[2] if after else None


def _inherit_nationality(figures: list[CasualtyFigure]) -> list[CasualtyFigure]:
    """"three other service members" are of the nation of the service members before them."""
    out: list[CasualtyFigure] = []
    for figure in figures:
        other = re.search(r"\bother", figure.group, re.IGNORECASE) or figure.count_text.casefold(
            ) == "another"
        if other and figure.nationality is None and figure.category is not None:
            earlier = next((f for f in reversed(out) if f.category == figure.category
                            and f.nationality is not None), None)
            if earlier is not None:
                figure = figure.model_copy(update={"nationality": earlier.nationality})
        out.append(figure)
    return out


def find_casualties(article: Article, registry: Registry | None = None) -> list[CasualtyFigure]:
    """Every reported count of people killed, wounded, missing or detained, in text order.

    ``registry`` (the article's people and organisations) resolves sources such as "he" or
    "the ministry"; it is built from the article when not given.
    """
    sources = _Sources(article, registry or Registry(article))
    present = _present_year(article)
    figures: list[CasualtyFigure] = []
    seen: set[tuple[int, int, str]] = set()
    for evidence in article.sentences:
        s = _Sentence(article.text, evidence)
        found = _Linker(s).figures()
        if not found:
            continue
        clauses = sources.clauses(s)
        background = _is_background(article.slice(evidence), present)
        for item in found:
            figure = _figure(article, s, item, evidence, None, background)
            if figure is None or (figure.start, figure.end, figure.status) in seen:
                continue
            seen.add((figure.start, figure.end, figure.status))
            source = _source_for(clauses, figure.start, figure.end)
            figures.append(figure.model_copy(update={"attributed_to": source}))
    figures.sort(key=lambda f: (f.start, f.end))
    return _inherit_nationality(figures)


__all__ = ["find_casualties"]
