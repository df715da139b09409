"""The casualty grammar's vocabulary: which words count whom, and how (data, not code).

``casualties`` reads sentences with these tables: trigger words by status and form
(``STATUS_WORDS``), guards on trigger words that count only beside certain words
(``TRIGGER_GUARDS``), toll nouns and what they count, words of care, custody and harm, group
heads by category, and the cues of background figures. Adding a word here changes what is
found without touching the grammar; every entry is covered by a grammar case in
``tests/test_casualties.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ...models import CasualtyStatus
from .lexicon import (
    ROLE_NOUNS,
)

# How a casualty word finds its figures: a participle is passive ("were killed") or active
# ("that killed three"); a gerund or present tense is active; a predicate word ("dead",
# "missing", "died") reports on its subject; a nominal takes "of" ("the loss of 3,000 sailors").
Form = Literal["participle", "gerund", "present", "predicate", "nominal", "toll"]

# --- vocabulary -----------------------------------------------------------------------------

STATUS_WORDS: dict[CasualtyStatus, dict[Form, str]] = {
    "killed": {
        "participle": "killed slain murdered massacred executed",
        "gerund": "killing murdering massacring",
        "present": "kills",
        "predicate": "dead died perished drowned",
        "nominal": "death deaths killing killings murder loss losses lives",
    },
    "wounded": {
        "participle": "wounded injured hurt hospitalised hospitalized",
        "gerund": "wounding injuring",
        "present": "injures",
        "nominal": "wounding",
    },
    "missing": {"predicate": "missing unaccounted"},
    "detained": {
        "participle": "arrested detained captured abducted kidnapped kidnaped",
        "gerund": "arresting detaining capturing abducting kidnapping",
        "present": "arrests detains captures abducts kidnaps",
        "predicate": "hostage captive",
        "nominal": "arrest detention abduction kidnapping kidnappings",
    },
}


def _index() -> tuple[dict[str, tuple[CasualtyStatus, Form]], dict[str, CasualtyStatus]]:
    """Word to (status, form), and nominal to status (read as such only before "of")."""
    triggers: dict[str, tuple[CasualtyStatus, Form]] = {}
    nominals: dict[str, CasualtyStatus] = {}
    for status, forms in STATUS_WORDS.items():
        for form, words in forms.items():
            for word in words.split():
                if form == "nominal":
                    nominals[word] = status
                else:
                    triggers[word] = (status, form)
    return triggers, nominals


TRIGGERS, NOMINALS = _index()
# Nouns that are a tally themselves: "12 deaths", "30 injuries".
TALLY_NOUNS: dict[str, CasualtyStatus] = {
    "deaths": "killed",
    "fatalities": "killed",
    "injuries": "wounded",
}
# Nouns that hold a count the clause gives them: "the death toll rose to 45", "the ministry's
# count stood at 38", "put the number of injured guards at 31".
TOLL_NOUNS = frozenset({"toll", "count", "tally", "number", "figure"})
# What may stand between a determiner and a bare toll noun that counts what was counted in
# the sentences before it ("the latest count", "a lower figure"); "the vote count" counts votes.
BARE_TOLL_ADJECTIVES = frozenset(
    """official latest new final initial earlier previous original preliminary lower higher
    own updated revised first provisional""".split()
)
# What makes a toll an earlier figure that a later one replaced: "an earlier toll of 12".
SUPERSEDED_ADJECTIVES = frozenset("earlier initial previous original".split())
SUPERSEDED_ADVERBS = frozenset("earlier initially previously originally".split())
# The word before a toll noun that says what it counts; "casualty" mixes the dead and the hurt.
TOLL_KINDS: dict[str, CasualtyStatus | None] = {
    "death": "killed",
    "body": "killed",
    "fatality": "killed",
    "injury": "wounded",
    "arrest": "detained",
    "detention": "detained",
    "casualty": None,
    "casualties": None,
}
# What "the number of ..." counts: "the number of dead", "of people killed", "of detentions".
COUNTED: dict[str, CasualtyStatus] = {
    "dead": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "killed": "killed",
    "injured": "wounded",
    "wounded": "wounded",
    "injuries": "wounded",
    "hurt": "wounded",
    "missing": "missing",
    "detained": "detained",
    "detainees": "detained",
    "detentions": "detained",
    "arrests": "detained",
    "arrested": "detained",
}
# Verbs that follow a toll's noun phrase: "wounded soldiers stood at 40" ends at "soldiers".
TOLL_VERBS_AFTER = frozenset(
    """stood stands rose rises risen climbed climbs reached reaches jumped jumps soared
    soars""".split()
)
TOLL_STOPS = frozenset(
    {",", ".", ";", ":", "as", "after", "when", "while", "but", "which", "who", "because"}
)
# Verbs of care that report the hurt only in a medical context: "treated 11 people for gunshot
# wounds", "at least 14 had been taken to hospital", "rushed three children to hospital".
CARE_FORMS: dict[str, Form] = {
    "treated": "participle",
    "treating": "gerund",
    "treats": "present",
    "taken": "participle",
    "taking": "gerund",
    "took": "present",
    "takes": "present",
    "rushed": "participle",
    "rushing": "gerund",
    "admitted": "participle",
    "airlifted": "participle",
    "evacuated": "participle",
    "brought": "participle",
    "transported": "participle",
    "flown": "participle",
    "sent": "participle",
}
HOSPITALS = frozenset({"hospital", "hospitals", "clinic", "clinics", "infirmary"})
# Who gives care: "nurses said they treated 48 marchers".
MEDICAL_WORDS = HOSPITALS | frozenset(
    """medic medics paramedic paramedics doctor doctors nurse nurses surgeon surgeons medical
    ambulance ambulances first-aid""".split()
)
# "put under the custody of", "taken into custody", "remain in custody": held.
CUSTODY_VERBS = frozenset("placed taken held remanded kept put".split())
CUSTODY_ACTIVE = frozenset("took takes take taking places placing puts putting".split())
CUSTODY_NOUNS = frozenset({"custody", "arrest", "detention"})
# "five marchers needed treatment", "had needed medical treatment": the hurt, as subject.
TREATMENT_VERBS = frozenset(
    """needed need needs needing required require requires requiring received receive
    receives receiving sought seeking underwent undergoing""".split()
)
MEDICAL_ADJECTIVES = frozenset(
    "medical hospital emergency urgent immediate further first-aid".split()
)
INJURY_NOUNS = frozenset("wounds wound injuries injury burns fractures inhalation trauma".split())
# Participles that credit a figure to whoever released it: "the nine initially reported by
# police", "figures released by the Civil Defence Agency".
SOURCE_PARTICIPLES = frozenset(
    """reported released published issued given provided compiled confirmed cited announced
    recorded counted""".split()
)
# Verbs that are as often plural nouns ("media reports"); they credit a source only when the
# figure follows them at once: "clinic reports 17 dead".
CLAIM_VERBS = frozenset({"reports", "claims"})
SOURCE_ADVERBS = frozenset("initially first earlier previously originally officially".split())
# What makes killed or wounded "people" the victims of an attack rather than its perpetrators.
ATTACK_WORDS = frozenset(
    """shooting shootings gunfire stabbing stabbings rampage massacre attack attacks bombing
    bombings""".split()
)
VICTIM_HEADS = frozenset("people persons person individuals individual victims victim".split())
# "held hostage", "taken captive": these adjectives mean detained only after such a verb.
CAPTIVE_VERBS = frozenset({"taken", "held", "seized", "kept"})


@dataclass(frozen=True)
class Guard:
    """A trigger word counts only with one of ``words`` ``offset`` tokens from it (a word
    starting with one of them, when ``prefix``)."""

    offset: int
    words: frozenset[str]
    prefix: bool = False

    def holds(self, word: str) -> bool:
        """Whether ``word``, the token at ``offset``, lets the trigger count."""
        if self.prefix:
            return word.startswith(tuple(self.words))
        return word in self.words


# Trigger words that count only beside certain words.
TRIGGER_GUARDS: dict[str, Guard] = {
    # "the flood claimed the lives of", "took", "cost": not "the lives of the villagers".
    "lives": Guard(-2, frozenset({"claim", "took", "tak", "cost"}), prefix=True),
    "hostage": Guard(-1, CAPTIVE_VERBS),  # "held hostage", not "a hostage negotiator"
    "captive": Guard(-1, CAPTIVE_VERBS),
    "unaccounted": Guard(1, frozenset({"for"})),  # "still unaccounted for"
}
# Two words that are a trigger together, whatever the second is alone: (word before, word).
TRIGGER_PHRASES: dict[tuple[str, str], tuple[CasualtyStatus, Form]] = {
    ("shot", "dead"): ("killed", "participle"),  # "police shot dead two gunmen"
}

# Harm a person suffered, reported of the subject: "suffered a broken leg", "sustained head
# injuries". The verb counts only with one of these harms in its object.
SUFFERING_VERBS = frozenset(
    "suffered suffers suffer suffering sustained sustains sustain sustaining".split()
)
HARMS = INJURY_NOUNS | frozenset(
    """lacerations laceration cuts bruises bruising fracture concussion broken fractured
    gunshot stab""".split()
)
# Where the hurt are, said of the subject: "is recovering in hospital", "remains in critical
# condition". A condition word counts only before "condition"; recovering only in care or from
# a harm ("recovering from surgery" is no casualty).
CONDITIONS = frozenset("critical serious stable grave fair life-threatening".split())
RECOVERY_VERBS = frozenset({"recovering", "recovers", "recovered"})
# A body found is a death: "rescuers found the body of a hiker", "police found her body".
BODY_NOUNS = frozenset({"body", "bodies", "remains"})
FINDING_VERBS = frozenset(
    """found find finds finding recovered recover recovers recovering discovered discover
    discovers discovering retrieved pulled located identified""".split()
)
# Beatings count as wounds only where the words make them violence done to a person: "beaten
# up", "badly beaten", "beaten in detention", "beaten by soldiers" (a team "beaten 3-1" is not).
BEATING_PARTICIPLES = frozenset({"beaten", "tortured"})
BEATING_PLACES = frozenset("custody detention prison jail cell cells captivity".split())
# Words after which a new clause, with a subject of its own, begins.
CLAUSE_OPENERS = frozenset({",", ";", ":", "that", "when", "while", "after", "because", "but"})
# Statuses that only people have: "captured three towns", "several tools were missing".
PEOPLE_ONLY_STATUSES: frozenset[CasualtyStatus] = frozenset({"detained", "missing"})
# "Handed over to the border police" puts someone in custody, as "taken into custody" does; only
# a holder of custody makes it so ("handed over to his family" does not).
HANDOVER_VERBS = frozenset({"handed", "turned"})
CUSTODIANS = frozenset(
    "police authorities army military soldiers troops prosecutors court courts guards".split()
)
# Who beats a person in violence rather than in a game: "beaten by soldiers", "by a mob".
ASSAILANTS = frozenset(
    """police army military soldiers troops guards officers members men mob gang crowd militia
    militants attackers assailants captors""".split()
)
# Statuses whose future is a fact rather than a forecast: "she will be detained until Friday"
# states a court's order; "thousands will be killed" is a prediction and counts no one.
FUTURE_AUXILIARIES = frozenset({"will", "shall"})
FUTURE_FACTS: frozenset[CasualtyStatus] = frozenset({"detained"})
# Titles that make the name after them a person's: "Mr Lund".
HONORIFICS = frozenset("mr mrs ms miss dr sir dame madam".split())
# Pronouns that stand for one named person: "he was arrested" counts the person "he" is.
PERSON_PRONOUNS: dict[str, str] = {"he": "he", "she": "she", "his": "he", "her": "she"}
# What another party says of a figure, making it a claim in dispute: "although the police
# have denied this", "a claim the army rejects".
DENIALS = frozenset(
    """denied denies deny denying rejected rejects reject rejecting disputed disputes dispute
    disputing refuted refutes""".split()
)
# What a denial denies, right after its verb: "denied this", "rejected the allegations"; "was
# denied bail" denies no figure.
DENIED = frozenset(
    """this it that these those any the claim claims allegation allegations report reports
    account accounts""".split()
)
# Where a denial's clause opens: "..., although the prison service has denied this".
DENIAL_OPENERS = frozenset({",", ";", "although", "though", "but", "while", "whereas"})

BE = frozenset("is are was were be been being am get gets got getting".split())
AUX = BE | frozenset(
    "has have had having remain remains remained remaining went gone go goes".split()
)
MODALS = frozenset("could would might may should must can".split())
NEGATIONS = frozenset({"not", "never"})
# Words that may stand between an auxiliary and its participle: "were also critically
# injured", "were shot and killed", "were found dead", "were among the dead".
GAP_WORDS = (
    frozenset(
        """also all both each reportedly allegedly later subsequently then since still now
    believed reported confirmed found pronounced presumed left shot and""".split()
    )
    | CAPTIVE_VERBS
)
RELATIVES = frozenset({"who", "that", "which"})
# Determiners that quantify over a group rather than pick one: "every person" is not 1.
QUANTIFIERS = frozenset({"every", "each", "any"})
DETERMINERS = frozenset("the his her their its our my your these those this".split()) | (
    QUANTIFIERS
)
PREPOSITIONS = frozenset(
    """in on at near during after before by for to into onto from with across inside outside
    over under since through throughout amid amidst against toward towards including
    following despite without within upon via per as like than about around between beyond
    along off out up down aboard behind beside below above except""".split()
)
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
PRONOUN_OBJECTS = frozenset("him her them it us me himself herself themselves itself".split())
# Words that never stand in a noun phrase; "of" is taken only by a post-modifier.
CLOSED = (
    BE
    | AUX
    | MODALS
    | NEGATIONS
    | RELATIVES
    | PREPOSITIONS
    | PRONOUNS
    | PRONOUN_OBJECTS
    | frozenset(
        """and or but nor of whom whose when where while because if although though
               until unless whether once so there here also then still now already even just
               later again yet reportedly allegedly subsequently shot""".split()
    )
    | FUTURE_AUXILIARIES
)
TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today tonight yesterday
    overnight earlier later last this next morning evening night afternoon week weekend month
    year january february march april may june july august september october november
    december""".split()
)
# Participles that hedge a noun rather than report speech: "an alleged militant".
HEDGES = frozenset({"alleged", "suspected", "reported", "purported", "presumed"})
PARTITIVE_PRONOUNS = frozenset({"them", "whom", "those", "these", "us"})
# Participles that open a post-modifier: "personnel aligned with the government".
POSTMODIFIERS = frozenset(
    """aligned affiliated loyal linked belonging attached assigned stationed based serving
    deployed""".split()
)
IRREGULAR_PLURALS = frozenset(
    """people men women children police personnel staff crew gunmen policemen policewomen
    servicemen servicewomen airmen guardsmen militia family grandchildren""".split()
)

# Heads (and the modifiers that qualify vague heads) of each category.
CATEGORY_HEADS: dict[str, frozenset[str]] = {
    "attackers": frozenset(
        """attacker attackers assailant assailants gunman gunmen militant militants bomber
        bombers shooter shooters insurgent insurgents terrorist terrorists jihadist jihadists
        perpetrator perpetrators hijacker hijackers""".split()
    ),
    "soldiers": frozenset(
        """troops troop soldier soldiers servicemember servicemembers serviceman servicemen
        servicewoman servicewomen marine marines sailor sailors airman airmen guardsman
        guardsmen paratrooper paratroopers commando commandos peacekeeper peacekeepers
        reservist reservists conscript conscripts""".split()
    ),
    "security personnel": frozenset(
        """police policeman policemen policewoman policewomen guard guards gendarme
        gendarmes""".split()
    ),
    "civilians": frozenset(
        """civilian civilians interpreter interpreters translator translators contractor
        contractors journalist journalists reporter reporters photographer photographers
        child children schoolchildren kid kids infant infants baby babies boy boys
        schoolboys girl girls schoolgirls teenager
        teenagers teen teens minor minors woman women resident residents villager villagers student
        students worshipper worshippers worshipers pilgrim pilgrims passenger passengers
        tourist tourists bystander bystanders shopper shoppers refugee refugees farmer
        farmers teacher teachers protester protesters protestor protestors demonstrator
        demonstrators doctor doctors nurse nurses medic medics paramedic paramedics
        volunteer volunteers""".split()
    ),
}
# Vague heads ("members", "personnel") take their category from a modifier.
VAGUE_HEADS = frozenset(
    "members member personnel forces force officers officer staff workers worker".split()
)
CATEGORY_MODIFIERS: dict[str, frozenset[str]] = {
    "soldiers": frozenset("service military army armed naval navy guard coalition".split()),
    "security personnel": frozenset("security police border".split()),
    "civilians": frozenset("civilian aid humanitarian".split()),
}
# People without a category: they make a figure, but say nothing of who.
GENERIC_PEOPLE = frozenset(
    """people persons person individuals individual man men others victims personnel members
    member staff crew workers worker employees officials official officers officer fighters
    prisoners detainees suspects hostages relatives family families migrants victim fighter
    prisoner detainee suspect hostage relative migrant employee wife wives husband husbands
    son sons daughter daughters mother mothers father fathers brother brothers sister
    sisters parent parents patients patient nephew nephews niece nieces cousin cousins uncle
    uncles aunt aunts grandmother grandmothers grandfather grandfathers grandson grandsons
    granddaughter granddaughters grandchild grandchildren grandparent grandparents friend
    friends client clients""".split()
)
# Offices and trades a counted phrase may name: "the barge's skipper", "two pilots".
ROLE_PEOPLE = ROLE_NOUNS | frozenset(
    """captain skipper pilot copilot co-pilot conductor mechanic operator manager guide
    boss crewman crewmember""".split()
)
PERSON_SUFFIXES = (
    "er",
    "ers",
    "or",
    "ors",
    "ist",
    "ists",
    "ian",
    "ians",
    "man",
    "men",
    "ant",
    "ants",
    "ee",
    "ees",
)
# Counted things that are not people: "killed two days ago", "injured three times".
NON_PERSON_HEADS = frozenset(
    """day days week weeks month months year years hour hours minute minutes time times
    percent per cent kilometers kilometres km miles meters metres attack attacks operation
    operations raid raids strike strikes rocket rockets missile missiles drone drones vehicle
    vehicles building buildings house houses home homes tank tanks attempt attempts incident
    incidents village villages town towns city cities""".split()
)

# Cues of a cumulative or historical figure. "In the past 24 hours" is today's news, not history.
BACKGROUND_RE = re.compile(
    r"\b(?:so far|to date|in total|altogether|cumulative|over the (?:years|decades?|course)|"
    r"(?:over|in|during) the (?:past|last)\b(?!\s+(?:[\w-]+\s+)?(?:hours?|days?|night)\b)|"
    r"since (?:the (?:start|beginning|outbreak|war|conflict)|its|their|(?:19|20)\d\d|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|last|"
    r"then)|throughout the|years ago|decades? ago|last year)\b",
    re.IGNORECASE,
)
# Cues of another event than the article's: "Separately, ...", "in an unrelated case".
OTHER_EVENT_RE = re.compile(
    r"^\W*separately\b|\bin (?:a separate|an unrelated|another) (?:case|incident|attack|"
    r"development|ruling|hearing|raid|operation)\b",
    re.IGNORECASE,
)
# Cues that a paragraph tells of the past: "A few years ago, ...". The sentences after such a
# cue in its paragraph stay in that past until one names a day of the news ("on Tuesday").
PAST_RE = re.compile(
    r"\b(?:(?:[\w-]+ )?years ago|decades? ago|years (?:earlier|before)|last year|as a (?:child|"
    r"boy|girl|student))\b",
    re.IGNORECASE,
)
NEWS_DAYS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today tonight yesterday
    overnight""".split()
)
YEAR_RE = re.compile(
    r"\b(?:in|during|between|from|of|the|a|an)\s+(?:early |late |mid-)?(?:(?:january|february|"
    r"march|april|may|june|july|august|september|october|november|december) )?"
    r"((?:19|20)\d\d)\b(?!,\d)",
    re.IGNORECASE,
)
ANY_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b(?!,\d)")

# The most words an "according to" source may have: a longer run is not a name.
LONGEST_SOURCE = 40


__all__ = [
    "ANY_YEAR_RE",
    "ASSAILANTS",
    "ATTACK_WORDS",
    "AUX",
    "BACKGROUND_RE",
    "BARE_TOLL_ADJECTIVES",
    "BE",
    "BEATING_PARTICIPLES",
    "BEATING_PLACES",
    "BODY_NOUNS",
    "CAPTIVE_VERBS",
    "CARE_FORMS",
    "CATEGORY_HEADS",
    "CATEGORY_MODIFIERS",
    "CLAIM_VERBS",
    "CLAUSE_OPENERS",
    "CLOSED",
    "CONDITIONS",
    "COUNTED",
    "CUSTODIANS",
    "CUSTODY_ACTIVE",
    "CUSTODY_NOUNS",
    "CUSTODY_VERBS",
    "DENIALS",
    "DENIAL_OPENERS",
    "DENIED",
    "DETERMINERS",
    "FINDING_VERBS",
    "FUTURE_AUXILIARIES",
    "FUTURE_FACTS",
    "GAP_WORDS",
    "GENERIC_PEOPLE",
    "HANDOVER_VERBS",
    "HARMS",
    "HEDGES",
    "HONORIFICS",
    "HOSPITALS",
    "INJURY_NOUNS",
    "IRREGULAR_PLURALS",
    "LONGEST_SOURCE",
    "MEDICAL_ADJECTIVES",
    "MEDICAL_WORDS",
    "MODALS",
    "NEGATIONS",
    "NEWS_DAYS",
    "NOMINALS",
    "NON_PERSON_HEADS",
    "OTHER_EVENT_RE",
    "PARTITIVE_PRONOUNS",
    "PAST_RE",
    "PEOPLE_ONLY_STATUSES",
    "PERSON_PRONOUNS",
    "PERSON_SUFFIXES",
    "POSTMODIFIERS",
    "PREPOSITIONS",
    "PRONOUNS",
    "PRONOUN_OBJECTS",
    "QUANTIFIERS",
    "RECOVERY_VERBS",
    "RELATIVES",
    "ROLE_PEOPLE",
    "SOURCE_ADVERBS",
    "SOURCE_PARTICIPLES",
    "STATUS_WORDS",
    "SUFFERING_VERBS",
    "SUPERSEDED_ADJECTIVES",
    "SUPERSEDED_ADVERBS",
    "TALLY_NOUNS",
    "TIME_WORDS",
    "TOLL_KINDS",
    "TOLL_NOUNS",
    "TOLL_STOPS",
    "TOLL_VERBS_AFTER",
    "TREATMENT_VERBS",
    "TRIGGERS",
    "TRIGGER_GUARDS",
    "TRIGGER_PHRASES",
    "VAGUE_HEADS",
    "VICTIM_HEADS",
    "YEAR_RE",
    "Form",
    "Guard",
]
