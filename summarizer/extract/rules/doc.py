"""One article as the rules read it: built once per article, read by every rules extractor.

A ``Doc`` holds what does not depend on who reads it: the article's sentences and quotation
spans (with an index of which quotations overlap a stretch), each sentence's tokens, and the
people, organisations and places the article names (its mentions and typed entities). Quotes,
casualties and stances all read the same ``Doc``; none of them tokenizes a sentence or scans
the article for names again.

The tokens come in two layers, each made once per sentence by one tokenizer of this module:

- ``names``: words as names are read ("U.S.", "Al-Baba", "Whitlock’s"; a glued
  "SecretaryDanaWhitlock" split into its words), what entities and attribution need;
- ``words``: the casualty grammar's tokens, punctuation and numbers included ("2,000",
  "1.5", "12-year-old", "Prisoners'"), what counting needs.

Resolution is not part of the ``Doc``: who "he" or "the envoy" is changes as an extractor
reads on (a quote's speaker becomes the centre of attention, a pronoun teaches a gender). Each
extractor that resolves asks for its own ``resolution()``, an independent ``Registry`` that
starts from the article's entities as scanned; the ``Doc`` itself never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from ...models import Article, QuoteSpan, Sentence
from .entities import Registry, Token, tokens
from .spans import Overlaps

# The casualty grammar's tokens.
_WORD_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w’'-])"  # 2,000
    r"|\d+\.\d+(?![\w’'-])"  # 1.5 (million)
    r"|(?:[A-Za-z]\.){2,}"  # U.S.
    r"|[^\W_]+(?:[’'\-–][^\W_]+)*(?:(?<=s)[’'](?!\w))?"  # "12-year-old", "Syria’s", "Prisoners'"
    r"|[^\w\s]"  # punctuation
)


# Each distinct token text's (low, is_word), for ``Word``: a pure function of the text, kept
# for every token seen (a vocabulary, cleared should it ever grow past the max).
_WORD_FACTS: dict[str, tuple[str, bool]] = {}
_WORD_FACTS_MAX = 100_000


def _word_facts(text: str) -> tuple[str, bool]:
    """What a ``Word`` derives from its text alone: the text folded, with a typographic
    apostrophe as a plain one, and whether it is a word or number (not punctuation)."""
    if len(_WORD_FACTS) >= _WORD_FACTS_MAX:
        _WORD_FACTS.clear()
    facts = _WORD_FACTS[text] = (text.casefold().replace("’", "'"), text[:1].isalnum())
    return facts


class Word:
    """A token of the casualty grammar: a word, a number or a punctuation mark, with what is
    derived from its text alone (read millions of times: computed once, with the token). A
    plain class with slots for the speed of making it (see ``entities.Token``); read-only
    (``Final``), equal by text and position."""

    __slots__ = ("end", "is_word", "low", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text: Final = text
        self.start: Final = start
        self.end: Final = end
        # Looked up, as ``entities.Token`` does: a few hundred distinct words, written many times.
        facts = _WORD_FACTS.get(text) or _word_facts(text)
        self.low: Final = facts[0]
        self.is_word: Final = facts[1]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Word:
            return NotImplemented
        assert isinstance(other, Word)
        return (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Word(text={self.text!r}, start={self.start!r}, end={self.end!r})"

    @property
    def acronym(self) -> bool:
        """ "US", "IS" in capitals are names, not the pronoun or the verb."""
        return len(self.text) > 1 and self.text.replace(".", "").isupper()


def words(text: str, start: int, end: int) -> tuple[Word, ...]:
    """The casualty grammar's tokens of ``text[start:end]``."""
    return tuple([Word(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text, start, end)])


@dataclass(frozen=True, eq=False)
class Doc:
    """One article, segmented and tokenized, with the names it mentions; read-only."""

    article: Article
    names: tuple[tuple[Token, ...], ...]  # each sentence's tokens as names are read
    words: tuple[tuple[Word, ...], ...]  # each sentence's tokens for the casualty grammar
    quotes: Overlaps  # which quotation spans overlap a stretch of text
    _scanned: Registry = field(repr=False)  # never handed out: see ``resolution``

    @classmethod
    def of(cls, article: Article) -> Doc:
        text = article.text
        names = tuple(tuple(tokens(text, s.start, s.end)) for s in article.sentences)
        return cls(
            article=article,
            names=names,
            words=tuple(words(text, s.start, s.end) for s in article.sentences),
            quotes=Overlaps([(q.start, q.end) for q in article.quote_spans]),
            _scanned=Registry(article, names),
        )

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def sentences(self) -> list[Sentence]:
        return self.article.sentences

    @property
    def quote_spans(self) -> list[QuoteSpan]:
        return self.article.quote_spans

    def resolution(self) -> Registry:
        """The article's people and organisations as scanned, for one extractor to resolve
        pronouns and descriptions with: each call gives an independent registry (a copy, not a
        second scan), so what one extractor learns never changes what another reads."""
        return self._scanned.copy()


__all__ = ["Doc", "Word", "words"]
