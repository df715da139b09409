"""Policy stances: who takes which position, and the exact words that say so.

A stance is a clause whose verb takes a position ("vowed", "condemned", "urged") or reports
one about the future ("said ... will", "warned ... would"). The actor is that verb's subject,
resolved like a quote's speaker; the position is the text from the verb to the end of the
sentence, so it is always a verbatim span.
"""

from __future__ import annotations

import re

from ...models import Article, Stance
from .entities import Registry
from .lexicon import SPEECH_VERBS, STANCE_VERBS
from .quotes import Attributor

_MODAL_RE = re.compile(
    r"\b(?:will|would|must|should|cannot|can't|won't|plans? to|intends? to|"
    r"aims? to|vows? to|seeks? to)\b",
    re.IGNORECASE,
)


def _attributes_a_quote(article: Article, sentence_start: int, verb_start: int) -> bool:
    """'"...," the spokeswoman said': a verb just after a quotation attributes it."""
    for quote in article.quote_spans:
        if sentence_start <= quote.end < verb_start:
            between = article.text[quote.end + 1 : verb_start]
            if len(between.split()) <= 6 and not any(c in between for c in ".;!?"):
                return True
    return False


def find_stances(article: Article, registry: Registry) -> list[Stance]:
    attributor = Attributor(article, registry)
    stances: list[Stance] = []
    for index, sentence in enumerate(article.sentences):
        if sentence.heading:
            continue
        for token in registry.sentence_tokens(index):
            takes_position = token.lower in STANCE_VERBS or (
                token.lower in SPEECH_VERBS
                and not token.lower.endswith("ing")
                and _MODAL_RE.search(article.text, token.end, sentence.end) is not None
            )
            if not takes_position or _attributes_a_quote(article, sentence.start, token.start):
                continue
            if token.lower.startswith("call") and not re.match(
                r"\s+(?:for|on)\b", article.text[token.end : token.end + 5]
            ):
                continue  # "calls it a fund" names something; "calls for" takes a position
            actor = attributor.subject_before(sentence.start, token)
            if actor is None or actor.span is None:
                continue
            if re.search(
                r"(?:%|\bper ?cent|\bpercent|\bmost|\bmany|\bsome) of\s+(?:the\s+)?$",
                article.text[sentence.start : actor.span.start],
            ):
                continue  # "58% of Poles opposed": a poll result, not an actor's position
            end = sentence.end - 1 if article.text[sentence.end - 1] == "." else sentence.end
            quoted = sum(
                min(q.end, end) - max(q.start, token.start)
                for q in article.quote_spans
                if q.start < end and token.start < q.end
            )
            if len(article.text[token.start : end].split()) < 5 or quoted > 0.6 * (
                end - token.start
            ):
                continue  # too short or mostly a quotation to stand as a position
            stances.append(
                Stance(
                    actor=actor.name,
                    actor_span=actor.span,
                    start=token.start,
                    end=end,
                    position=article.text[token.start : end],
                )
            )
            break
    return stances
