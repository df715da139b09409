"""What the ``llm`` backend asks the model for, and the validators that ground each answer.

The model answers with ids and its own labels (``ArticleLabels``), never with copied text.
Every check that needs the article reads it from the pydantic validation context under
``CONTEXT_KEY`` (a ``Grounding``); instructor passes that context on every attempt, so a
failed check becomes a re-ask whose message tells the model what to fix. Validated without
a context, the models check only their shape.

Grounding rules:

- ids: ``Q#`` names a quotation span found by ingest, ``S#`` a sentence;
- names (speakers, actors, reporters): they stand in the article's body outside quotation
  marks, compared case- and accent-insensitively, as written ("Mara Quist", "the envoy",
  "U.S. Northern Command"), as a surname ("Hamdi" in "al-Hamdi"; one word must be
  capitalised there), or with the last word written as a proper noun in the body and every
  other word in the article ("Omar Hamdi" for "Omar al-Hamdi"); pronouns, placeholders
  ("he", "unknown") and stray JSON are not names;
- descriptions (an unnamed source with its affiliation, "Harbour Freight spokeswoman"; a body
  as the text calls it, "Kesslandic government"; a group for a chant, "striking dockers"):
  accepted for a speaker, actor or reporter when every content word of it stands in the body
  (case, accents and a possessive "'s" ignored; "unnamed"/"anonymous" may be added) and at
  least one of them stands near the item it labels: the quotation's sentence, the three before
  it and the one after; the cited sentence and the two before it. So "Harbour Freight
  spokeswoman" passes where "a spokeswoman for Harbour Freight said" stands near the quote,
  and an invented name or a word the article never writes does not;
- counts: the number stands in the cited sentence, as digits ("1,200") or words ("twenty-one",
  "a dozen"; "a"/"an" count as one), and that sentence speaks of the stated status;
- lists are bounded, so a looping model cannot run away with the output.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..models import Article, CasualtyStatus, QuoteSpan, Sentence, Span
from ..textutil import STOPWORDS, fold
from .rules.lexicon import ORG_WORDS, TITLE_WORDS, nationality

CONTEXT_KEY = "grounding"
# Whether a figure is this event's toll or context (another event, cumulative, hypothetical).
FigureScope = Literal["event", "context"]
MAX_QUOTES = 40
MAX_CASUALTIES = 12
MAX_STANCES = 12
MAX_NAME_WORDS = 8
MAX_NAME_CHARS = 80  # a body or a document can take many words to name
MAX_GROUP_CHARS = 60

# --- text helpers -----------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_TOKEN_RE = re.compile(r"\w+")
_NAME_CHARS_RE = re.compile(r"[^\W\d_](?:[^\W_]|[ .'’-])*")
_NOT_NAMES = frozenset(
    """he she it they we i you him her them his hers their its who whom someone somebody
    anyone anonymous unknown unnamed unidentified none null nil na n a an the speaker source
    narrator author writer article report""".split()
)
# Lower-case words inside a person's name ("Ahmed al-Sharaa", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset(
    "al el bin ibn abu de del della da di du dos van von der den la le".split()
)
# Where a casualty group's list of names is cut into names: commas, "and", "&", semicolons.
_NAME_LIST_RE = re.compile(r"\s*(,|;|&|\band\b)\s*")
# Words that say a source is unnamed: a description may add them without the article's words.
_QUALIFIERS = frozenset({"unnamed", "anonymous", "unidentified"})
# Around a quotation, the sentences where its speaker is named or described.
QUOTE_WINDOW_BEFORE = 3
QUOTE_WINDOW_AFTER = 1
# Before a cited sentence, the sentences where a stance's actor or a figure's source is named.
SENTENCE_WINDOW_BEFORE = 2


def fold_with_index(text: str) -> tuple[str, list[int]]:
    """``text`` case- and accent-folded, with the index in ``text`` of each folded character."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_APOSTROPHES)):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                chars.append(folded)
                index.append(i)
    return "".join(chars), index


def name_tokens(name: str) -> list[str]:
    """The folded words of a name, a possessive ending dropped ("Quist's" -> quist)."""
    folded, _ = fold_with_index(name.strip())
    folded = re.sub(r"'s\b", "", folded)
    return _TOKEN_RE.findall(folded)


def same_speaker(one: str, other: str) -> bool:
    """Whether two labels name the same speaker: the words of the shorter (stopwords aside)
    are all among the longer's ("Ramírez" and "Defence Minister José Ramírez"; "Trump" and
    "Donald Trump"), compared case- and accent-insensitively."""
    words = [{t for t in name_tokens(label) if t not in STOPWORDS} for label in (one, other)]
    if not words[0] or not words[1]:
        return name_tokens(one) == name_tokens(other)
    small, big = sorted(words, key=len)
    return small <= big


# --- numbers ----------------------------------------------------------------------------------

_SMALL = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_NUMBER_WORDS = {**_SMALL, **_TENS, **_SCALES, "dozen": 12, "a": 1, "an": 1}
_DIGITS_RE = re.compile(r"(?<![\w.,])\d[\d,.]*(?<![.,])")
_INTEGER_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_WORD_RE = re.compile(r"[A-Za-z]+")
VAGUE_RE = re.compile(
    r"\b(?:dozens|scores|hundreds|thousands|several|many|numerous|multiple|some|a number)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    """A number as written in a text: its value and where it stands."""

    value: int
    start: int
    end: int
    article: bool  # a bare "a"/"an", which counts as one but says little


def _word_value(words: list[str]) -> int:
    total, current = 0, 0
    for word in words:
        if word in ("a", "an"):
            current += 1
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "million"):
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            current += _NUMBER_WORDS[word]
    return total + current


def numbers_in(text: str) -> list[NumberMention]:
    """Every number written in ``text``: digits ("1,200") and runs of number words."""
    found = [
        NumberMention(int(m.group().replace(",", "")), m.start(), m.end(), False)
        for m in _DIGITS_RE.finditer(text)
        if _INTEGER_RE.fullmatch(m.group())  # "3.5" or "1.200" is no count
    ]
    tokens = list(_WORD_RE.finditer(text))
    i = 0
    while i < len(tokens):
        word = tokens[i].group().lower()
        if word not in _NUMBER_WORDS:
            i += 1
            continue
        run = [word]
        j = i + 1
        # A run continues over spaces and hyphens ("twenty-one", "a dozen", "two hundred").
        while j < len(tokens) and re.fullmatch(
            r"[\s-]+", text[tokens[j - 1].end() : tokens[j].start()]
        ):
            nxt = tokens[j].group().lower()
            if nxt == "and" and run[-1] in _SCALES and j + 1 < len(tokens):
                after = tokens[j + 1].group().lower()  # "two hundred and five"
                if after in _SMALL or after in _TENS:
                    j += 1
                    continue
            if nxt not in _NUMBER_WORDS or nxt in ("a", "an"):
                break
            run.append(nxt)
            j += 1
        found.append(
            NumberMention(
                _word_value(run), tokens[i].start(), tokens[j - 1].end(), run in (["a"], ["an"])
            )
        )
        i = j
    return sorted(found, key=lambda n: n.start)


# --- statuses ---------------------------------------------------------------------------------

_STATUS_RE: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"\b(?:kill\w*|dead|deaths?|deadly|died|die|dies|dying|slain|lives|fatalit\w*|bod(?:y|ies)|"
        r"massacr\w*|murder\w*|execut\w*|casualt\w*|martyr\w*|toll)\b",
        re.IGNORECASE,
    ),
    "wounded": re.compile(
        r"\b(?:wound\w*|injur\w*|hurt|casualt\w*|hospital\w*|lacerat\w*|bruis\w*|fractur\w*|"
        r"beat(?:en|ing)?|assault\w*|stabb\w*|shot|burn(?:s|ed)?|recovering)\b",
        re.IGNORECASE,
    ),
    "missing": re.compile(r"\b(?:missing|disappear\w*|unaccounted)\b", re.IGNORECASE),
    "detained": re.compile(
        r"\b(?:detain\w*|detention|arrest\w*|captur\w*|custody|prisoners?|held|hold|holding|"
        r"abduct\w*|kidnap\w*|hostages?|seiz\w*|apprehend\w*|jail\w*|imprison\w*|caught|"
        r"handed over to|taken into|remand\w*|locked up|behind bars)\b",
        re.IGNORECASE,
    ),
}


# --- grounding --------------------------------------------------------------------------------


@dataclass
class Grounding:
    """One article, indexed for the validators: ids, folded text, where names stand."""

    article: Article
    _folded: str = field(init=False, repr=False)
    _index: list[int] = field(init=False, repr=False)
    _quotes: dict[int, QuoteSpan] = field(init=False, repr=False)
    # The body as sorted, disjoint [start, end) stretches: in a sentence, outside quotations.
    _body_starts: list[int] = field(init=False, repr=False)
    _body_ends: list[int] = field(init=False, repr=False)
    _body_words: dict[str, list[tuple[int, int]]] | None = field(
        init=False, repr=False, default=None
    )
    _headings: list[tuple[int, int]] = field(init=False, repr=False)
    _found: dict[tuple[str, ...], list[Span]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._folded, self._index = fold_with_index(self.article.text)
        self._quotes = {q.id: q for q in self.article.quote_spans}
        self._headings = [(s.start, s.end) for s in self.article.sentences if s.heading]
        self._body_starts, self._body_ends = [], []
        quotes: list[list[int]] = []  # quotation spans merged: disjoint, sorted
        for q in sorted(self.article.quote_spans, key=lambda x: x.start):
            if quotes and q.start < quotes[-1][1]:
                quotes[-1][1] = max(quotes[-1][1], q.end)
            elif q.end > q.start:
                quotes.append([q.start, q.end])
        quote_ends = [end for _, end in quotes]
        for sentence in sorted(self.article.sentences, key=lambda x: x.start):
            start = sentence.start
            i = bisect.bisect_right(quote_ends, start)  # the first quotation ending after it
            while i < len(quotes) and quotes[i][0] < sentence.end:
                if quotes[i][0] > start:
                    self._add_body(start, quotes[i][0])
                start = max(start, quotes[i][1])
                i += 1
            if start < sentence.end:
                self._add_body(start, sentence.end)

    def _add_body(self, start: int, end: int) -> None:
        if self._body_ends and start < self._body_ends[-1]:  # overlapping sentences: merge
            self._body_ends[-1] = max(self._body_ends[-1], end)
        else:
            self._body_starts.append(start)
            self._body_ends.append(end)

    def window(self, sentence_id: int, before: int, after: int = 0) -> Span | None:
        """Sentences ``sentence_id - before`` to ``sentence_id + after``, as one span."""
        sentences = self.article.sentences
        if not 0 <= sentence_id < len(sentences):
            return None
        first = sentences[max(0, sentence_id - before)]
        last = sentences[min(len(sentences) - 1, sentence_id + after)]
        return Span(start=first.start, end=last.end)

    def quote_window(self, quote_id: int) -> Span | None:
        """Where quotation Q#'s speaker is named or described: its sentence and around it."""
        quote = self.quote(quote_id)
        if quote is None:
            return None
        return self.window(quote.sentence, QUOTE_WINDOW_BEFORE, QUOTE_WINDOW_AFTER)

    def sentence_window(self, sentence_id: int) -> Span | None:
        """Where the actor or source of what sentence S# states is named: it and just before."""
        return self.window(sentence_id, SENTENCE_WINDOW_BEFORE)

    # ids

    def quote(self, quote_id: int) -> QuoteSpan | None:
        return self._quotes.get(quote_id)

    def sentence(self, sentence_id: int) -> Sentence | None:
        sentences = self.article.sentences
        return sentences[sentence_id] if 0 <= sentence_id < len(sentences) else None

    def quote_ids(self) -> str:
        ids = sorted(self._quotes)
        return f"Q{ids[0]} to Q{ids[-1]}" if ids else "none (the article has no quotations)"

    def sentence_ids(self) -> str:
        return f"S0 to S{len(self.article.sentences) - 1}"

    # names

    def _in_body(self, start: int) -> bool:
        """In a sentence and outside quotation marks: a speaker is named by the text around them."""
        at = bisect.bisect_right(self._body_starts, start) - 1
        return at >= 0 and start < self._body_ends[at]

    def _occurrences(self, tokens: list[str]) -> list[Span]:
        """Where the words stand in the body, in order, separated only by spaces or hyphens."""
        key = tuple(tokens)
        if key not in self._found:  # a model names the same few people again and again
            self._found[key] = self._find_occurrences(tokens)
        return self._found[key]

    def _find_occurrences(self, tokens: list[str]) -> list[Span]:
        pattern = r"(?<!\w)" + r"[\s\-'.]{1,3}".join(map(re.escape, tokens)) + r"(?!\w)"
        spans = []
        for match in re.finditer(pattern, self._folded):
            start = self._index[match.start()]
            if self._in_body(start):
                spans.append(Span(start=start, end=self._index[match.end() - 1] + 1))
        return spans

    def _proper(self, span: Span) -> bool:
        """Capitalised in running text (a headline capitalises every word)."""
        return self.article.text[span.start].isupper() and not any(
            start <= span.start < end for start, end in self._headings
        )

    def _nearest(self, spans: list[Span], near: Span | None) -> Span:
        if near is None:
            return spans[0]
        inside = [s for s in spans if near.start <= s.start and s.end <= near.end]
        if inside:
            return inside[0]
        before = [s for s in spans if s.end <= near.start]
        return before[-1] if before else spans[0]

    def find_name(self, name: str, near: Span | None = None) -> Span | None:
        """Where ``name`` stands in the body (the occurrence nearest ``near``), or None."""
        tokens = name_tokens(name)
        if len(tokens) > MAX_NAME_WORDS or all(t in _NOT_NAMES or t in STOPWORDS for t in tokens):
            return None
        whole = self._occurrences(tokens)
        if len(tokens) == 1:  # one word names someone only as a proper noun ("Quist")
            whole = [s for s in whole if self._proper(s)]
        if whole:
            return self._nearest(whole, near)
        # Not written as given: accept it as the full name of someone who is, when every
        # meaningful word stands in the body and the last one is written as a proper noun.
        meaningful = [t for t in tokens if t not in STOPWORDS]
        if len(meaningful) < 2 or not all(self._in_text(t) for t in meaningful[:-1]):
            return None
        last = [s for s in self._occurrences([tokens[-1]]) if self._proper(s)]
        if not last:
            return None
        span = self._nearest(last, near)
        first = next(
            (
                s
                for s in self._occurrences([meaningful[0]])
                if span.start - 40 <= s.start < span.start
                and "\n" not in self.article.text[s.start : span.start]
            ),
            None,
        )
        return Span(start=first.start, end=span.end) if first else span

    def named_people(self, group: str) -> list[str]:
        """The people a casualty group names, as it names them: ["Ana Ruiz"] for "Ana Ruiz" or
        "Mr Ana Ruiz, 53, a teacher" (an appositive after a comma ends the list); ["Ana Ruiz",
        "Piet Lund"] for "Ana Ruiz and Piet Lund". Empty when the group is no list of people's
        names the article writes: "students", "Kesslandic soldiers", "the Harbour Authority",
        "Ana Ruiz and two others" (someone unnamed is counted too)."""
        names: list[str] = []
        parts = _NAME_LIST_RE.split(group.strip())
        for i in range(0, len(parts), 2):
            part = parts[i].strip()
            joined_by = parts[i - 1] if i else ""
            name = _person_name(part)
            if name is not None and self.find_name(name) is not None:
                names.append(name)
            elif joined_by in ("", "and", "&") or not names:
                return []  # "Ana Ruiz and two others": not a list of names
            else:
                break  # an appositive: "Ana Ruiz, 53, a teacher"
        return names

    def name_in(self, names: list[str], span: Span) -> Span | None:
        """Where ``names`` are written inside ``span``: from the first to the last of them
        (when they stand together), each as written, else by its surname, else by another word
        of it, as a proper noun ("Ruiz", "Ana" for "Ana Ruiz"); a possessor ("Ruiz's
        lawyer") is someone else. None when none is there."""
        found: list[Span] = []
        for name in names:
            parts = [w for w in name.split() if fold(w) not in STOPWORDS] or [name]
            for words in [" ".join(parts), parts[-1], *parts[:-1]]:
                tokens = name_tokens(words)
                spans = [
                    s
                    for s in self._occurrences(tokens)
                    if span.start <= s.start
                    and s.end <= span.end
                    and (" " in words or self._proper(s))
                    and not re.match(r"['’]s\b", self.article.text[s.end : s.end + 3])
                ]
                if spans:
                    found.append(spans[0])
                    break
        if not found:
            return None
        first = min(found, key=lambda s: s.start)
        last = max((s for s in found if s.start - first.end < 40), key=lambda s: s.end)
        return Span(start=first.start, end=last.end)

    def _in_text(self, token: str) -> bool:
        """Whether the folded word stands anywhere in the article (excluded stretches too)."""
        return re.search(rf"(?<!\w){re.escape(token)}(?!\w)", self._folded) is not None

    def _words(self) -> dict[str, list[tuple[int, int]]]:
        """Every folded word of the body (outside quotation marks) and where it stands."""
        if self._body_words is None:
            words: dict[str, list[tuple[int, int]]] = {}
            for match in _TOKEN_RE.finditer(self._folded):
                start = self._index[match.start()]
                if self._in_body(start):
                    end = self._index[match.end() - 1] + 1
                    words.setdefault(match.group(), []).append((start, end))
            self._body_words = words
        return self._body_words

    def find_description(self, name: str, near: Span) -> Span | None:
        """Where a description ("Harbour Freight spokeswoman", "striking dockers") is anchored near
        ``near``: every content word of it stands in the body and one of them in ``near``
        (the occurrence returned). None when it is no description of this article."""
        tokens = [t for t in name_tokens(name) if t not in STOPWORDS and t not in _QUALIFIERS]
        if not tokens or len(tokens) > MAX_NAME_WORDS or all(t in _NOT_NAMES for t in tokens):
            return None
        words = self._words()
        if not all(words.get(t) for t in tokens):
            return None
        anchors = [at for t in tokens for at in words[t] if near.start <= at[0] < near.end]
        if not anchors:
            return None
        start, end = min(anchors)
        return Span(start=start, end=end)

    def find_label(self, name: str, near: Span | None = None) -> Span | None:
        """Where a speaker, actor or reporter stands: a name anywhere in the body (nearest
        ``near``), else a description anchored in ``near``; None when ungrounded."""
        span = self.find_name(name, near=near)
        if span is None and near is not None:
            span = self.find_description(name, near)
        return span

    def anchored(self, name: str, window: Span) -> bool:
        """Whether ``name`` (grounded) is named or described inside ``window``: as written
        (a quotation in the window counts: "... the prime minister has gone ...," then "the prime
        minister insisted"), by its last word as a proper noun ("Sanchez" for "Pedro
        Sanchez"), or as a description one of whose words stands there."""
        span = self.find_name(name, near=window)
        if span is not None:
            if window.start <= span.start < window.end:
                return True
            tokens = name_tokens(name)
            surname = [s for s in self._occurrences(tokens[-1:]) if self._proper(s)]
            if any(window.start <= s.start < window.end for s in surname):
                return True
            pattern = r"(?<!\w)" + r"[\s\-'.]{1,3}".join(map(re.escape, tokens)) + r"(?!\w)"
            lo = bisect.bisect_left(self._index, window.start)
            hi = bisect.bisect_left(self._index, window.end)
            if re.search(pattern, self._folded[lo:hi]):
                return True
        return self.find_description(name, window) is not None

    def named_near(self, name: str, sentence_id: int, before: int = SENTENCE_WINDOW_BEFORE) -> bool:
        """Whether ``name`` stands in sentence S# or in the ``before`` sentences ahead of it,
        where a pronoun subject ("He warned ...") finds who it is."""
        window = self.window(sentence_id, before)
        return window is not None and self.anchored(name, window)

    def check_name(self, name: str, role: str, near: Span | None = None) -> str:
        """``name`` stripped, or a ValueError that tells the model how to fix it. ``near``:
        where a description of the speaker, actor or reporter must have a word (none: only
        names are accepted)."""
        cleaned = " ".join(name.split())
        if not cleaned:
            raise ValueError(f"{role} is empty: give a name written in the article, or null")
        if not _NAME_CHARS_RE.fullmatch(cleaned):
            raise ValueError(
                f"{role} {cleaned!r} is not a name: use only the name's own words, or null"
            )
        if self.find_label(cleaned, near) is None:
            raise ValueError(
                f"{role} {cleaned!r} is not named in the article: give a name as it is written "
                "there, or null"
            )
        return cleaned

    # counts

    def count_span(self, sentence_id: int, count: int | None, group: str) -> Span | None:
        """Where the figure stands in the sentence, extended over the group's words, or None."""
        sentence = self.sentence(sentence_id)
        if sentence is None:
            return None
        text = self.article.slice(sentence)
        head = _head_stem(group)
        if count is None:
            vague = VAGUE_RE.search(text)
            if vague:
                return self._extend(sentence, vague.start(), vague.end(), head)
            return self._group_or_status_span(sentence, head)
        mentions = [n for n in numbers_in(text) if n.value == count]
        if not mentions:
            return None
        # Prefer a real number over "a"/"an", and a mention followed by the group's word.
        mentions.sort(key=lambda n: (n.article, not self._followed_by(text, n.end, head)))
        best = mentions[0]
        return self._extend(sentence, best.start, best.end, head)

    @staticmethod
    def _followed_by(text: str, end: int, head: str | None) -> bool:
        if head is None:
            return False
        following = _WORD_RE.findall(text[end:])[:5]
        return any(w.lower().startswith(head) for w in following)

    def _extend(self, sentence: Sentence, start: int, end: int, head: str | None) -> Span:
        text = self.article.slice(sentence)
        if head is not None:
            for i, match in enumerate(_WORD_RE.finditer(text, end)):
                if i >= 5 or "," in text[end : match.start()]:
                    break
                if match.group().lower().startswith(head):
                    end = match.end()
                    break
        return Span(start=sentence.start + start, end=sentence.start + end)

    def _group_or_status_span(self, sentence: Sentence, head: str | None) -> Span:
        text = self.article.slice(sentence)
        if head is not None:
            for match in _WORD_RE.finditer(text):
                if match.group().lower().startswith(head):
                    return Span(
                        start=sentence.start + match.start(), end=sentence.start + match.end()
                    )
        return Span(start=sentence.start, end=sentence.end)

    def speaks_of(self, sentence_id: int, status: str) -> bool:
        sentence = self.sentence(sentence_id)
        return sentence is not None and bool(
            _STATUS_RE[status].search(self.article.slice(sentence))
        )


def _person_name(part: str) -> str | None:
    """``part`` without a leading title ("Mr", "former President") when it reads as one
    person's name: capitalised words (name particles aside), no digits, no organisation word
    ("Army", "Ministry"), not a nationality ("Kesslandic", "Syrians"). Else None."""
    words = part.split()
    while words and words[0].casefold().rstrip(".") in TITLE_WORDS:
        words = words[1:]
    if not 1 <= len(words) <= MAX_NAME_WORDS or not words[0][:1].isupper():
        return None
    if nationality(words[0].rstrip("'’s")) is not None:
        return None
    for word in words:
        folded = word.casefold()
        if any(c.isdigit() for c in word) or folded.strip(".") in ORG_WORDS:
            return None
        if not word[:1].isupper() and folded.split("-")[0] not in _NAME_PARTICLES:
            return None
    return " ".join(words)


def _head_stem(group: str) -> str | None:
    """The group's last meaningful word, a plural "s" dropped ("American troops" -> "troop")."""
    words: list[str] = [w.lower() for w in _WORD_RE.findall(group) if w.lower() not in STOPWORDS]
    if not words:
        return None
    head = words[-1]
    return head[:-1] if len(head) > 3 and head.endswith("s") else head


def _grounding(info: ValidationInfo) -> Grounding | None:
    context = info.context
    if isinstance(context, dict):
        value = context.get(CONTEXT_KEY)
        if isinstance(value, Grounding):
            return value
    return None


def parse_id(value: object, prefix: str) -> object:
    """Accept "Q3", "[Q3]" or "3" for an id the schema types as an integer."""
    if isinstance(value, str):
        match = re.fullmatch(rf"\s*\[?\s*{prefix}?\s*(\d+)\s*\]?\s*", value, re.IGNORECASE)
        if match:
            return int(match.group(1))
    return value


# --- the answer schema ------------------------------------------------------------------------


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuoteLabel(_Answer):
    """Who said quotation Q#."""

    quote: int = Field(description="the number of a [Q#] quotation")
    speaker: str | None = Field(
        max_length=MAX_NAME_CHARS,
        description="who said it, as named in the article; null if unsaid",
    )

    @field_validator("quote", mode="before")
    @classmethod
    def _quote_id(cls, value: object) -> object:
        return parse_id(value, "Q")

    @field_validator("quote")
    @classmethod
    def _quote_exists(cls, value: int, info: ValidationInfo) -> int:
        grounding = _grounding(info)
        if grounding is not None and grounding.quote(value) is None:
            raise ValueError(f"there is no quotation Q{value}: use ids {grounding.quote_ids()}")
        return value

    @field_validator("speaker")
    @classmethod
    def _speaker_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        grounding = _grounding(info)
        if grounding is None or value is None:
            return value
        quote = info.data.get("quote")
        near = grounding.quote_window(quote) if isinstance(quote, int) else None
        return grounding.check_name(value, "speaker", near)


class CasualtyLabel(_Answer):
    """A number of people killed, wounded, missing or detained, as sentence S# reports it."""

    sentence: int = Field(description="the number of the [S#] sentence that gives the figure")
    status: CasualtyStatus
    count: int | None = Field(ge=0, description="the number as stated; null if none is given")
    group: str = Field(min_length=1, max_length=MAX_GROUP_CHARS, description="who they were")
    reported_by: str | None = Field(
        max_length=MAX_NAME_CHARS, description="who gave the figure, as named; null if unsaid"
    )
    # Optional, so a model that leaves it out is not re-asked: the rules' reading fills it.
    scope: FigureScope | None = Field(
        default=None,
        description=(
            "event: part of this event's toll; context: another or earlier event, a "
            "cumulative total or a hypothetical; null if unsure"
        ),
    )

    @field_validator("sentence", mode="before")
    @classmethod
    def _sentence_id(cls, value: object) -> object:
        return parse_id(value, "S")

    @field_validator("status", mode="before")
    @classmethod
    def _status_lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("count", mode="before")
    @classmethod
    def _count_words(cls, value: object) -> object:
        if isinstance(value, str):
            mentions = numbers_in(value)
            if len(mentions) == 1 and not mentions[0].article:
                return mentions[0].value
        return value

    @field_validator("sentence")
    @classmethod
    def _sentence_exists(cls, value: int, info: ValidationInfo) -> int:
        grounding = _grounding(info)
        if grounding is not None and grounding.sentence(value) is None:
            raise ValueError(f"there is no sentence S{value}: use ids {grounding.sentence_ids()}")
        return value

    @field_validator("reported_by")
    @classmethod
    def _reporter_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        grounding = _grounding(info)
        if grounding is None or value is None:
            return value
        sentence = info.data.get("sentence")
        near = grounding.sentence_window(sentence) if isinstance(sentence, int) else None
        return grounding.check_name(value, "reported_by", near)

    @model_validator(mode="after")
    def _figure_in_sentence(self, info: ValidationInfo) -> CasualtyLabel:
        grounding = _grounding(info)
        if grounding is None:
            return self
        if not grounding.speaks_of(self.sentence, self.status):
            raise ValueError(
                f"sentence S{self.sentence} does not say anyone was {self.status}: "
                "cite the sentence that does, or fix the status"
            )
        if (
            self.count is not None
            and grounding.count_span(self.sentence, self.count, self.group) is None
            # Named people are counted by their names: "Ana Ruiz was arrested" is 1 arrested.
            and self.count != (len(grounding.named_people(self.group)) or None)
        ):
            raise ValueError(
                f"count {self.count} does not appear in sentence S{self.sentence}: give the "
                "number stated there, or null"
            )
        return self


class StanceLabel(_Answer):
    """A policy position stated in sentence S#, and whose position it is."""

    sentence: int = Field(description="the number of the [S#] sentence that states the position")
    actor: str = Field(
        max_length=MAX_NAME_CHARS, description="whose position it is, as named in the article"
    )

    @field_validator("sentence", mode="before")
    @classmethod
    def _sentence_id(cls, value: object) -> object:
        return parse_id(value, "S")

    @field_validator("sentence")
    @classmethod
    def _sentence_exists(cls, value: int, info: ValidationInfo) -> int:
        grounding = _grounding(info)
        if grounding is not None and grounding.sentence(value) is None:
            raise ValueError(f"there is no sentence S{value}: use ids {grounding.sentence_ids()}")
        return value

    @field_validator("actor")
    @classmethod
    def _actor_named(cls, value: str, info: ValidationInfo) -> str:
        grounding = _grounding(info)
        if grounding is None:
            return value
        sentence = info.data.get("sentence")
        near = grounding.sentence_window(sentence) if isinstance(sentence, int) else None
        return grounding.check_name(value, "actor", near)

    @model_validator(mode="after")
    def _actor_near_sentence(self, info: ValidationInfo) -> StanceLabel:
        grounding = _grounding(info)
        if grounding is not None and not grounding.named_near(self.actor, self.sentence):
            raise ValueError(
                f"actor {self.actor!r} is not named in S{self.sentence} or just before it: give "
                f"whose position S{self.sentence} states, or leave the stance out"
            )
        return self


class ArticleLabels(_Answer):
    """Labels for one article, by id: who said each quotation, casualty figures, stances."""

    quotes: list[QuoteLabel] = Field(max_length=MAX_QUOTES)
    casualties: list[CasualtyLabel] = Field(max_length=MAX_CASUALTIES)
    stances: list[StanceLabel] = Field(max_length=MAX_STANCES)


# --- item by item -----------------------------------------------------------------------------

Kind = Literal["quote", "casualty", "stance"]


@dataclass(frozen=True)
class Rejected:
    """An answer that failed validation, with the id it cites (if that id exists)."""

    kind: Kind
    label: str
    reason: str
    quote: QuoteSpan | None = None
    sentence: int | None = None


@dataclass
class Judged:
    """One answer judged item by item: what passed, and what did not and why."""

    quotes: list[QuoteLabel] = field(default_factory=list)
    casualties: list[CasualtyLabel] = field(default_factory=list)
    stances: list[StanceLabel] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.quotes) + len(self.casualties) + len(self.stances)


def reason_of(error: ValidationError) -> str:
    """The first problem of a validation error, in the words the model was told."""
    first = error.errors(include_url=False)[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {message}" if where and not message.startswith(where) else message


def _loose_id(item: object, key: str, prefix: str) -> int | None:
    value = parse_id(item.get(key), prefix) if isinstance(item, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def judge(raw: Any, grounding: Grounding) -> Judged:
    """Validate a raw answer (parsed JSON) one item at a time, so one bad item costs only itself."""
    judged = Judged()
    if not isinstance(raw, dict):
        return judged
    context = {CONTEXT_KEY: grounding}
    lists: list[tuple[Kind, type[_Answer], int]] = [
        ("quote", QuoteLabel, MAX_QUOTES),
        ("casualty", CasualtyLabel, MAX_CASUALTIES),
        ("stance", StanceLabel, MAX_STANCES),
    ]
    for kind, model, bound in lists:
        items = raw.get({"quote": "quotes", "casualty": "casualties", "stance": "stances"}[kind])
        if not isinstance(items, list):
            continue
        for item in items[:bound]:
            try:
                answer = model.model_validate(item, context=context, strict=False)
            except ValidationError as error:
                rejected = _rejected(kind, item, reason_of(error), grounding)
                if rejected not in judged.rejected:  # small models repeat themselves
                    judged.rejected.append(rejected)
                continue
            if isinstance(answer, QuoteLabel):
                judged.quotes.append(answer)
            elif isinstance(answer, CasualtyLabel):
                judged.casualties.append(answer)
            elif isinstance(answer, StanceLabel):
                judged.stances.append(answer)
    return judged


def _rejected(kind: Kind, item: object, reason: str, grounding: Grounding) -> Rejected:
    if kind == "quote":
        quote_id = _loose_id(item, "quote", "Q")
        quote = grounding.quote(quote_id) if quote_id is not None else None
        label = f"quote Q{quote_id}" if quote_id is not None else "quote"
        return Rejected(kind, label, reason, quote=quote)
    sentence_id = _loose_id(item, "sentence", "S")
    exists = sentence_id is not None and grounding.sentence(sentence_id) is not None
    label = f"{kind} in S{sentence_id}" if sentence_id is not None else kind
    return Rejected(kind, label, reason, sentence=sentence_id if exists else None)
