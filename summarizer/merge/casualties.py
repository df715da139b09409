"""Casualties: one row per group and status of a story, every source's figure in it.

Which figures may be compared decides everything here, because a wrong comparison invents a
discrepancy ("3 Americans killed" vs "2 soldiers killed" is 2 soldiers + 1 civilian, not a
disagreement; "six children" among "41 people killed" is a subset) and a missing one hides a
real one. The rules:

- a figure naming nationality and category ("two US soldiers") is keyed by both;
- a figure naming a nationality only ("three Americans") is that nationality's total row,
  never compared with its soldiers or civilians rows;
- a figure naming a category only ("two soldiers") joins the most-cited row of that status and
  category, whatever its nationality: outlets drop the nationality they said earlier; a
  category is read off the head noun when the extractor gave none ("officers", "suspect");
- a figure naming neither joins a row without a category when it says "people"; when it says
  nothing at all ("two others", a bare "41" in a headline) it may join any row but the
  attackers', keeping its wording (``group_as_stated``) and a note, so the reader can judge;
- victims and attackers are never one row;
- within a row every figure is compatible with every other: at most one specific head noun
  ("children", "interpreter"), and a specific group shares a row with a general one
  ("civilians", "people") only while they agree on the number. "Six children" never stands
  in the row of "41 people" killed; when in doubt rows stay apart;
- figures without a number ("several") are listed but never make a discrepancy;
- background figures (earlier events, cumulative tolls) stay in rows of their own, and so do
  parts the extractor set apart (``part_of``: "including six children", "27 of whom were in
  intensive care"); their row is a ``part`` whose group is the part as the figure's
  ``category`` names it ("children"), else its head noun.

Each row has a ``kind``. Figures that differ are a **dispute** only when they stand at the same
time; a figure is **superseded** (an **update**) when a later figure replaced it and either
the same source gave both, or the text says which came first ("initially 16", "rose from 235
to 305", "had earlier said"; the extractor's ``superseded``: "the nine wounded initially
reported by police"). Times come from the article's publication time (used only when
every numbered figure of the row has one, so an undated article never orders itself) and from
the sentence (its earlier-cues; a weekday "on Sunday" dated from the publication time).
Counts that still differ once the superseded are set aside are a dispute; so is a row with a
figure the text says another party denies ("said he was beaten in custody, although the
police have denied this"): the count is not in question, whether it happened is. A row of
background figures is **scope**. An update's ``values`` are its counts latest first.

Named individuals ("Ana Ruiz was detained") are rows of their own, labelled with the fullest
name the figures give; a surname alone ("Ruiz") joins the row of that name.

Each figure keeps ``attributed_to`` as its article states it and gets the ``source`` the brief
credits it to: the authority as the story names it, a headline's bare repeat credited to the
authority its article names for that number, else the outlet (``_credited``); render shows
exactly that.

``consensus`` is the number every current figure agrees on; ``discrepancy`` says two differ.
The ``note`` says only what the figures do not: which placed figure named no group, and the
words of a denial. Nothing is averaged or picked.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..aliases import canonical_tokens
from ..ingest import parse_time
from ..models import (
    Article,
    ArticleExtraction,
    CasualtyFigure,
    CasualtyRow,
    CasualtyStatus,
    Figure,
    RowKind,
)
from ..textutil import STATUS_NOUNS, STOPWORDS, count_label, fold
from .grounding import citation_fields, grounded
from .names import NameResolver

__all__ = ["merge_casualties"]

_STATUS_ORDER = {"killed": 0, "wounded": 1, "missing": 2, "detained": 3}
_ATTACKERS = "attackers"
# A group that says nothing of who ("two others", or no noun at all: "41" in a headline).
_WILDCARD_HEADS = frozenset({"", "other"})
# A group that says "people" and no more.
_PEOPLE_HEADS = frozenset({"person", "individual", "victim", "citizen"})
# Head nouns (singular) that stand for a whole category: figures with them describe the
# group as a whole. Any other head names a part of it ("children", "interpreter").
_CATEGORY_HEADS: dict[str, frozenset[str]] = {
    "soldiers": frozenset(
        """soldier troop serviceman servicewoman servicemember marine sailor airman guardsman
        paratrooper commando peacekeeper reservist conscript member personnel force staff
        man""".split()
    ),
    "security personnel": frozenset(
        """police policeman policewoman guard gendarme officer agent member personnel force
        staff""".split()
    ),
    "civilians": frozenset("civilian resident".split()) | _PEOPLE_HEADS,
    _ATTACKERS: frozenset(
        """attacker assailant gunman militant bomber shooter insurgent terrorist jihadist
        perpetrator hijacker suspect fighter""".split()
    ),
}
# Heads that say no more than "people" of a nationality (a capitalised head, a demonym such
# as "Americans", does the same).
_NATIONAL_HEADS = frozenset("member personnel force national".split())
# Heads that name one category only, so a figure without a category takes it from them;
# "men" and "fighters" may be anyone's.
_HEAD_CATEGORY: dict[str, str] = {
    head: name
    for name, heads in _CATEGORY_HEADS.items()
    for head in heads
    if sum(head in other for other in _CATEGORY_HEADS.values()) == 1
    and head not in _PEOPLE_HEADS | {"man", "fighter"}
}
# Two words for one role.
_SAME_HEAD = {"translator": "interpreter"}
# Words after the head noun: "members of the guard", "personnel aligned with the government".
_AFTER_HEAD = frozenset(
    """of in at on from with who that which near during including among after before aligned
    affiliated loyal linked belonging attached assigned stationed based serving
    deployed""".split()
)
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "staff": "staff",
    "police": "police",
    "personnel": "personnel",
}


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("men") and len(word) > 3:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _head_word(group: str, count_text: str = "") -> str:
    """The head noun as written: "members" of "other Iowa National Guard members"; "" when
    the group is only its number ("41")."""
    number = set(fold(count_text).split())
    tokens = [
        t
        for t in group.split()
        if not t.replace(",", "").replace(".", "").isdigit() and fold(t) not in number
    ]
    for i, token in enumerate(tokens):
        if i and fold(token) in _AFTER_HEAD:
            tokens = tokens[:i]
            break
    return tokens[-1].strip(".,;:'’\"“”()") if tokens else ""


def _head_key(group: str, count_text: str = "") -> str:
    """The head noun, folded and singular, for comparing groups: "members" -> "member"."""
    word = fold(_head_word(group, count_text)).removesuffix("'s")
    head = _singular(word.split()[-1]) if word else ""
    return _SAME_HEAD.get(head, head)


@dataclass
class _Entry:
    order: int
    article: Article
    figure: CasualtyFigure
    category: str | None = None
    head: str = ""
    specific: str | None = None
    groupless: bool = False

    @classmethod
    def of(cls, order: int, article: Article, figure: CasualtyFigure) -> _Entry:
        category, head, specific = _group_of(
            figure.group, figure.count_text, figure.nationality, figure.category, figure.status
        )
        return cls(order, article, figure, category, head, specific)

    @property
    def wildcard(self) -> bool:
        return self.category is None and self.head in _WILDCARD_HEADS


@lru_cache(maxsize=4096)
def _group_of(
    group: str,
    count_text: str,
    nationality: str | None,
    category: str | None,
    status: CasualtyStatus,
) -> tuple[str | None, str, str | None]:
    """A figure's category, head noun and specific head (``_Entry``), read off its wording:
    once per wording, as outlets repeat figures word for word."""
    head = _head_key(group, count_text)
    national = bool(_clean(nationality))
    category = _clean(category)
    if (
        category is None
        and not national
        and not (head == "suspect" and status == "detained")  # suspects held, not attackers
    ):
        category = _HEAD_CATEGORY.get(head)
    if category:
        general = _CATEGORY_HEADS.get(category.casefold(), frozenset())
    elif national:
        # A nationality's total: "three Americans", "three U.S. personnel".
        general = _PEOPLE_HEADS | _NATIONAL_HEADS
        if _head_word(group, count_text)[:1].isupper():
            general = general | {head}
    else:
        general = _PEOPLE_HEADS
    return category, head, None if head in _WILDCARD_HEADS | general else head


@dataclass
class _Row:
    status: CasualtyStatus
    nationality: str | None
    category: str | None
    background: bool
    count: int | None = None
    part: bool = False  # a part of the toll the extractor set apart (``part_of``)
    entries: list[_Entry] = field(default_factory=list)
    articles: dict[str, None] = field(default_factory=dict)
    numbered: dict[str, None] = field(default_factory=dict)
    # What ``accepts`` asks of the entries, kept as they are added so that placing a figure
    # costs the same however many figures the row already holds.
    heads: set[str] = field(default_factory=set)  # specific heads
    counts: set[int] = field(default_factory=set)  # numbers stated
    general_counted: bool = False  # an entry without a specific head states a number

    def add(self, entry: _Entry) -> None:
        self.entries.append(entry)
        self.articles[entry.article.id] = None
        if entry.figure.count is not None:
            self.numbered[entry.article.id] = None
            self.counts.add(entry.figure.count)
            if entry.specific is None:
                self.general_counted = True
        if entry.specific:
            self.heads.add(entry.specific)

    def weight(self) -> tuple[int, int, int]:
        """How widely the row is cited: articles giving a number, articles, figures."""
        return (len(self.numbered), len(self.articles), len(self.entries))

    def accepts(self, entry: _Entry) -> bool:
        """At most one specific head; a specific and a general group only at one number."""
        count = entry.figure.count
        heads = len(self.heads) + bool(entry.specific and entry.specific not in self.heads)
        if heads > 1:
            return False
        # A count-less general mention ("dozens were hurt") never blocks a row.
        if heads and (self.general_counted or (entry.specific is None and count is not None)):
            return len(self.counts) + (count is not None and count not in self.counts) <= 1
        return True


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None


def _part(row: _Row) -> str | None:
    """The part of the toll the row counts, when the extractor set it apart: its category
    ("children", "in critical condition"), else its head noun as written, else "people"."""
    if not row.part:
        return None
    heads = (_head_word(e.figure.group, e.figure.count_text) for e in row.entries)
    return row.category or next(heads, "") or "people"


def _label(row: _Row) -> str:
    """Readable group: "US soldiers", "civilians (interpreter)", "US (total)", "people"."""
    specific = next((e for e in row.entries if e.specific), None)
    head = _head_word(specific.figure.group, specific.figure.count_text) if specific else None
    person = max((e.figure.person or "" for e in row.entries), key=len)
    if person and row.category is None and row.nationality is None:
        return person  # named individuals: "Ana Ruiz", "Ana Ruiz and Piet Lund"
    part = _part(row)
    if part is not None:
        return f"{row.nationality} {part}" if row.nationality else part
    if row.category is None and row.nationality is None:
        return head or "people"
    if row.category is None:
        return f"{row.nationality} (total)"
    label = f"{row.nationality} {row.category}" if row.nationality else row.category
    if head and row.category.casefold() != _ATTACKERS:
        label = f"{label} ({head})"
    return label


def _note(row: _Row, names: NameResolver) -> str | None:
    """Which figures were placed in the row though they name no group, and by whom; which
    figures the article says someone denies, in its words."""
    parts: dict[str, None] = {}  # in order, each once
    for entry in row.entries:
        denial = entry.figure.denial
        if denial is not None:
            said = " ".join(entry.article.text[denial.start : denial.end].split())
            part = f"denied: '{said.strip(' ,;')}'"
            parts[part] = None
        if not entry.groupless:
            continue
        f, article = entry.figure, entry.article
        stated = " ".join(article.text[f.start : f.end].split())
        count = count_label(f.count, f.count_text)
        source = names.resolve(f.attributed_to) or _clean(article.outlet)
        said = f"{count} per {source}" if source else f"{count} in an unattributed report"
        part = f"{said}, which does not say who the {STATUS_NOUNS[row.status]} were ('{stated}')"
        parts[part] = None
    return "; ".join(parts) or None


# Words before a count that place it before another: "initially 16", "up from 235",
# "had earlier said 16", "rose from 235 to 305" (the 235).
_EARLIER_RE = re.compile(
    r"(?:\b(?:initially|originally|earlier|previously|at first|first reported|preliminary|"
    r"had (?:earlier |initially |previously |first )?(?:said|put|given|reported|counted))\b"
    r"[^;:.]{0,60}$)|(?:\bfrom\s+(?:an?\s+|the\s+)?(?:earlier\s+|previous\s+|initial\s+)?"
    r"(?:(?:death\s+)?toll\s+|figure\s+|count\s+|tally\s+)?(?:of\s+)?$)",
    re.IGNORECASE,
)
# A clause break: a cue before it says nothing of the figure after it.
_CLAUSE_BREAK_RE = re.compile(r"[;:]|,\s*(?:but|while|and now)\b|\bbut\b|\bnow\b", re.IGNORECASE)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_WEEKDAY_RE = re.compile(r"\b(?:on|late on|early on|by)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)


# The missing found: "the four hikers reported missing were found alive", "rescued safe".
_FOUND_RE = re.compile(
    r"\b(?:(?:were|was|have been|has been|had been)\s+(?:later\s+|since\s+|now\s+)?"
    r"(?:found|located|rescued|traced)\s+(?:alive|safe|unharmed|well)|"
    r"turned up (?:alive|safe)|(?:are|is) (?:now )?safe and sound)\b",
    re.IGNORECASE,
)


# A later sentence that finds the missing, alive or dead: "The missing sailor was eventually
# found by a fishing crew", "She was located on Thursday", "Lind was rescued". Its subject must
# be the missing themselves: a pronoun of the right number, the figure's own head noun or a
# word for a person, or the named person's surname; "his car was found" finds nobody.
_FOUND_LATER_RE = re.compile(
    r"\b(?P<subject>(?i:he|she|they)|[A-Z][\w'’-]+|(?i:the|both|all)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?P<noun>[a-z]+))\s+(?:was|were|has been|have been|had been)\s+(?:[a-z]+ly\s+)?"
    r"(?:found|discovered|located|rescued|traced|spotted)\b",
)
_PERSON_NOUNS = frozenset(
    """man men woman women boy boys girl girls teen teens teenager teenagers child children
    person people hiker hikers climber climbers fisherman fishermen sailor sailors driver
    drivers pilot pilots student students swimmer swimmers walker walkers skier skiers
    resident residents worker workers miner miners tourist tourists victim victims""".split()
)


def _found(entry: _Entry) -> bool:
    """A missing figure whose own sentence says they were found alive, or a later sentence of
    the same article that they were found (alive or dead): none is missing now."""
    f, text = entry.figure, entry.article.text
    if f.status != "missing":
        return False
    if _FOUND_RE.search(text, f.end, f.evidence.end):
        return True
    return any(_finds(entry, m) for m in _FOUND_LATER_RE.finditer(text, f.evidence.end))


def _finds(entry: _Entry, match: re.Match[str]) -> bool:
    """Whether the found-sentence ``match`` is about the missing of ``entry``."""
    f = entry.figure
    subject, noun = match.group("subject"), match.group("noun")
    subject = subject.casefold() if subject.casefold() in ("he", "she", "they") else subject
    one = f.count == 1
    if subject in ("he", "she"):
        return one
    if subject == "they":
        return not one
    if noun is not None:
        return noun in _PERSON_NOUNS or _singular(noun) == _singular(entry.head or "")
    surnames = {name.split()[-1] for name in (f.person or "").split(" and ") if name.strip()}
    return subject in surnames


# Words before a count that say it is the newest: "rose to 21", "climbed from 12 to 19", "now
# says 21", "revised up to".
_LATER_RE = re.compile(
    r"\b(?:(?:rose|risen|rises|rising|climbed|climbs|increased|jumped|grew|mounted|revised|"
    r"raised|updated|lowered|fell|dropped)\b[^;:.]{0,40}\bto|now(?: stands at| says| puts)?|"
    r"latest|new toll of)\s+(?:at least\s+|about\s+|nearly\s+|more than\s+)?$",
    re.IGNORECASE,
)


def _stage(entry: _Entry) -> int:
    """Where the sentence puts the figure in time: 0 before another ("initially 16", "from
    235 to"), 2 the newest ("rose to 21", "now 21"), 1 when it says nothing."""
    f, text = entry.figure, entry.article.text
    return _stage_after(text[max(f.evidence.start, f.start - 80) : f.start])


@lru_cache(maxsize=4096)
def _stage_after(before: str) -> int:
    """``_stage`` of a figure after the words ``before`` it: wire copy repeats them."""
    if _LATER_RE.search(before[-60:]):
        return 2
    breaks = list(_CLAUSE_BREAK_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    return 0 if _EARLIER_RE.search(before) else 1


def _as_of(entry: _Entry) -> str | None:
    """When the figure held: the weekday its sentence gives, dated back from the article's
    publication time, else the publication time itself; None when the article has none."""
    published = parse_time(entry.article.published or "")
    if published is None:
        return None
    f = entry.figure
    day = _WEEKDAY_RE.search(entry.article.text, f.evidence.start, f.evidence.end)
    if day is None:
        return published
    when = date.fromisoformat(published[:10])
    back = (when.weekday() - _WEEKDAYS.index(day.group(1).casefold())) % 7
    return (when - timedelta(days=back)).isoformat() if back else published


def _source_key(entry: _Entry, names: NameResolver) -> tuple[str, str]:
    """Who gives the figure: two figures have one source when they name the same authority,
    or when neither names one and they stand in one article."""
    attributed = entry.figure.attributed_to
    source = names.resolve(attributed) if attributed else None
    return ("authority", fold(source)) if source is not None else ("article", entry.article.id)


def _outdated(
    members: list[int], keys: dict[int, tuple[str, int]], counts: dict[int, int | None]
) -> set[int]:
    """The members for which another member with a later key gives a different count.

    Read latest first, each key's members are compared with the distinct counts of the keys
    after theirs (two of them: whatever a member's count, one differs), so a row costs a
    sort rather than every member against every other.
    """
    outdated: set[int] = set()
    later: set[int | None] = set()
    ordered = sorted(members, key=keys.__getitem__, reverse=True)
    for _, same_key in itertools.groupby(ordered, key=keys.__getitem__):
        group = list(same_key)
        outdated.update(i for i in group if len(later) > 1 or (later and counts[i] not in later))
        later.update(counts[i] for i in group)
    return outdated


def _timeline(
    row: _Row, names: NameResolver
) -> tuple[RowKind, list[int], set[int], list[str | None]]:
    """The row's kind, its update values (latest first), which entries are superseded (by
    index) and each entry's ``as_of``."""
    entries = row.entries
    as_of = [_as_of(e) for e in entries]
    if row.background:
        return "scope", [], set(), as_of
    numbered = [i for i, e in enumerate(entries) if e.figure.count is not None]
    found = {i for i in numbered if _found(entries[i])}
    if any(e.figure.denial is not None for e in entries):
        return "dispute", [], set(), as_of  # "although the police have denied this"
    if len({entries[i].figure.count for i in numbered}) <= 1 and not found:
        return "consistent", [], set(), as_of
    dated = all(as_of[i] is not None for i in numbered)
    # The extractor's ``superseded`` is the text saying so where no cue precedes the count.
    stage = {i: 0 if entries[i].figure.superseded else _stage(entries[i]) for i in numbered}
    earlier = {i: stage[i] == 0 for i in numbered}

    def key(i: int) -> tuple[str, int]:
        return ((as_of[i] or "") if dated else "", stage[i])

    # A figure is superseded by a later, different one: from anyone when the text places it
    # earlier, else from its own source.
    keys = {i: key(i) for i in numbered}
    counts = {i: entries[i].figure.count for i in numbered}
    by_source: dict[tuple[str, str], list[int]] = {}
    for i in numbered:
        by_source.setdefault(_source_key(entries[i], names), []).append(i)
    superseded = found | {i for i in _outdated(numbered, keys, counts) if earlier[i]}
    for members in by_source.values():
        superseded |= _outdated(members, keys, counts)
    current = {entries[i].figure.count for i in numbered if i not in superseded}
    if found:
        current.add(0)  # those reported missing were found: none is missing now
    if len(current) > 1 or not superseded:
        return "dispute", [], superseded, as_of
    order = sorted(numbered, key=keys.__getitem__, reverse=True)  # latest first
    order.sort(key=lambda i: i in superseded)  # stable: the current count first
    values: list[int] = [0] if found else []
    for i in order:
        count = entries[i].figure.count
        if count is not None and count not in values:
            values.append(count)
    return "update", values, superseded, as_of


def _says(figure: CasualtyFigure) -> frozenset[str]:
    """What a figure's wording says of who, beyond its number: "two American troops" says
    {american, troop}; a bare "41" in a headline says nothing."""
    number = {t.casefold() for t in canonical_tokens(figure.count_text)}
    return frozenset(
        t.removesuffix("s") if len(t) > 3 else t
        for t in canonical_tokens(figure.group)
        if t.casefold() not in STOPWORDS
        and t.casefold() not in number
        and not t.replace(",", "").isdigit()
    )


def _credited(entries: list[_Entry], names: NameResolver) -> list[str | None]:
    """Who the brief credits each figure of a row to (``Figure.source``).

    An article that repeats a figure in its own voice (a headline's "41") which it attributes
    elsewhere to one authority credits it to that authority. Only a repeat that says no more
    than the attributed figure counts: "two American soldiers" in the outlet's voice is not
    the ministry's "two soldiers". Any other figure in the outlet's voice is the outlet's, or
    nobody's (None) when the article names no outlet.
    """
    stated = [names.resolve(_clean(e.figure.attributed_to)) for e in entries]
    named: dict[tuple[str, int], dict[str, list[CasualtyFigure]]] = {}
    for entry, name in zip(entries, stated, strict=True):
        if name is not None and entry.figure.count is not None:
            key = (entry.article.id, entry.figure.count)
            named.setdefault(key, {}).setdefault(name, []).append(entry.figure)
    credited: list[str | None] = []
    for entry, name in zip(entries, stated, strict=True):
        f = entry.figure
        if name is None and f.count is not None:
            same = named.get((entry.article.id, f.count), {})
            if len(same) == 1:
                [(authority, attributed)] = same.items()
                if any(_says(f) <= _says(other) for other in attributed):
                    name = authority
        credited.append(name or entry.article.outlet or None)
    return credited


def _row(story: str, row: _Row, names: NameResolver) -> CasualtyRow:
    row.entries.sort(key=lambda e: (e.order, e.figure.start, e.figure.end))
    kind, values, superseded, as_of = _timeline(row, names)
    credited = _credited(row.entries, names)
    figures = []
    for index, entry in enumerate(row.entries):
        f = entry.figure
        figures.append(
            Figure(
                **citation_fields(entry.article, f.start, f.end),
                count=f.count,
                count_text=f.count_text,
                group_as_stated=f.group,
                attributed_to=_clean(f.attributed_to),
                as_of=as_of[index],
                superseded=index in superseded,
                source=credited[index],
            )
        )
    current = {f.count for f in figures if f.count is not None and not f.superseded}
    if kind == "update":
        current = {values[0]}
    return CasualtyRow(
        id="",
        story=story,
        status=row.status,
        group=_label(row),
        figures=figures,
        consensus=current.pop() if len(current) == 1 else None,
        discrepancy=kind == "dispute",
        background=row.background,
        note=_note(row, names),
        kind=kind,
        values=values,
        part=row.part,
    )


def _most_cited(rows: list[_Row]) -> _Row | None:
    # max() keeps the first of equals, and rows are in creation order.
    return max(rows, key=_Row.weight) if rows else None


def _same(a: str | None, b: str | None) -> bool:
    return (a and a.casefold()) == (b and b.casefold())


def _place(entries: list[_Entry]) -> list[_Row]:
    rows: list[_Row] = []

    def new_row(entry: _Entry, nationality: str | None, category: str | None) -> _Row:
        f = entry.figure
        # A part is kept out of the toll as background is: never compared with its whole.
        apart = f.background or f.part_of
        # Background rows also split by count: two background tolls need not be one period.
        rows.append(
            _Row(f.status, nationality, category, apart, f.count if apart else None, f.part_of)
        )
        return rows[-1]

    def event_rows(entry: _Entry) -> list[_Row]:
        return [
            r
            for r in rows
            if r.status == entry.figure.status and not r.background and r.accepts(entry)
        ]

    later: list[_Entry] = []
    for entry in entries:
        f = entry.figure
        nationality = _clean(f.nationality)
        apart = f.background or f.part_of
        if not (apart or nationality):
            later.append(entry)
            continue
        keyed = next(
            (
                r
                for r in rows
                if r.status == f.status
                and r.background == apart
                and r.part == f.part_of
                and _same(r.nationality, nationality)
                and _same(r.category, entry.category)
                and r.count == (f.count if apart else None)
                and r.accepts(entry)
            ),
            None,
        )
        (keyed or new_row(entry, nationality, entry.category)).add(entry)
    for entry in [e for e in later if e.category]:
        matching = [r for r in event_rows(entry) if _same(r.category, entry.category)]
        (_most_cited(matching) or new_row(entry, None, entry.category)).add(entry)
    for entry in [e for e in later if not e.category]:
        if entry.wildcard:
            candidates = [r for r in event_rows(entry) if not _same(r.category, _ATTACKERS)]
        else:
            candidates = [
                r for r in event_rows(entry) if r.category is None and r.nationality is None
            ]
        target = _most_cited(candidates) or new_row(entry, None, None)
        entry.groupless = bool(target.category or target.nationality)
        target.add(entry)
    return rows


def merge_casualties(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    names: NameResolver,
) -> tuple[list[CasualtyRow], int]:
    """One story's casualty rows (event rows by status and support, background last); drops.

    ``names`` resolves sources in the notes ("the ministry" is "Syria's Interior Ministry");
    each figure keeps its ``attributed_to`` as the article stated it.
    """
    entries: list[_Entry] = []
    dropped = 0
    for order, article, extraction in sources:
        for figure in sorted(extraction.casualties, key=lambda f: (f.start, f.end)):
            if not grounded(article, figure.start, figure.end):
                dropped += 1
                continue
            entries.append(_Entry.of(order, article, figure))
    rows = _place(entries)
    ranked = sorted(
        enumerate(rows),
        key=lambda ir: (
            ir[1].background,
            _STATUS_ORDER.get(ir[1].status, 9),
            tuple(-n for n in ir[1].weight()),
            ir[0],
        ),
    )
    return [_row(story, row, names) for _, row in ranked], dropped
