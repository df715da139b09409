"""Policy stances: who takes which position, and the exact words that say so.

A stance is a clause whose verb takes a position ("vowed", "condemned", "urged") or reports
one about the future ("said ... will", "warned ... would"). The actor is that verb's subject,
resolved like a quote's speaker; the position is the text from the verb to the end of the
sentence, so it is always a verbatim span.
"""

from __future__ import annotations

import re

from ...models import Article, Sentence, Stance
from ..budget import check
from .doc import Doc
from .entities import Token
from .lexicon import SPEECH_VERBS, STANCE_VERBS
from .quotes import Attributor
from .spans import Overlaps

_MODAL_RE = re.compile(
    r"\b(?:will|would|must|should|cannot|can't|won't|plans? to|intends? to|"
    r"aims? to|vows? to|seeks? to)\b",
    re.IGNORECASE,
)


# Where a modal can start: every position, overlapping ones too (``search`` from any point
# finds the first of them at or after it).
_MODAL_AT = re.compile(f"(?={_MODAL_RE.pattern})", re.IGNORECASE)
# The words ``_first_stance`` reads a position at; every other token is passed over at once.
_VERBS = SPEECH_VERBS | STANCE_VERBS


def _attributes_a_quote(
    article: Article, quotes: Overlaps, sentence_start: int, verb_start: int
) -> bool:
    """'"...," the spokeswoman said': a verb just after a quotation attributes it.

    The quotations ending before the verb are tried from the nearest back: the text between
    an earlier one and the verb holds the later one's, so once punctuation or a seventh word
    comes between, no earlier quotation can qualify.
    """
    for k in reversed(quotes.ending_in(sentence_start, verb_start)):
        between = article.text[article.quote_spans[k].end + 1 : verb_start]
        if len(between.split()) <= 6 and not any(c in between for c in ".;!?"):
            return True
        if quotes.ordered:
            break
    return False


def find_stances(doc: Doc, attributor: Attributor | None = None) -> list[Stance]:
    """Each sentence's first position taken, with its actor resolved by ``attributor`` (by
    default a new one; the rules backend passes the one quotes read with)."""
    attributor = attributor or Attributor(doc)
    stances: list[Stance] = []
    for index, sentence in enumerate(doc.sentences):
        if sentence.heading:
            continue
        stance = _first_stance(doc, attributor, index, sentence)
        if stance is not None:
            stances.append(stance)
    return stances


def _first_stance(
    doc: Doc, attributor: Attributor, index: int, sentence: Sentence
) -> Stance | None:
    """The first position a verb of sentence ``index`` takes."""
    text = doc.text
    # The last place in the sentence a modal starts: a speech verb before it is followed
    # by one (one scan of the sentence, not one from each verb).
    last_modal: int | None = -1
    # Only a speech or stance verb can take a position: the others are passed over at once.
    for token in [t for t in doc.names[index] if t.lower in _VERBS]:
        check()
        if last_modal == -1 and token.lower in SPEECH_VERBS:
            last_modal = None
            for modal in _MODAL_AT.finditer(text, sentence.start, sentence.end):
                last_modal = modal.start()  # found in order: the last is the latest
        takes_position = token.lower in STANCE_VERBS or (
            token.lower in SPEECH_VERBS
            and not token.lower.endswith("ing")
            and last_modal is not None
            and last_modal >= token.end
        )
        if not takes_position or _attributes_a_quote(
            doc.article, doc.quotes, sentence.start, token.start
        ):
            continue
        if token.lower.startswith("call") and not re.match(
            r"\s+(?:for|on)\b", text[token.end : token.end + 5]
        ):
            continue  # "calls it a fund" names something; "calls for" takes a position
        stance = _stance_at(doc, attributor, sentence, token)
        if stance is not None:
            return stance
    return None


def _stance_at(doc: Doc, attributor: Attributor, sentence: Sentence, token: Token) -> Stance | None:
    """The position the verb ``token`` takes, from it to the end of the sentence, with its
    subject as the actor; None when no actor can be named, the actor is a share of a poll,
    or the words are too few or mostly a quotation."""
    text = doc.text
    actor = attributor.subject_before(sentence.start, token)
    if actor is None or actor.span is None:
        return None
    if re.search(
        r"(?:%|\bper ?cent|\bpercent|\bmost|\bmany|\bsome) of\s+(?:the\s+)?$",
        text[sentence.start : actor.span.start],
    ):
        return None  # "61% of Danes opposed": a poll result, not an actor's position
    end = sentence.end - 1 if text[sentence.end - 1] == "." else sentence.end
    quoted = sum(
        min(q.end, end) - max(q.start, token.start)
        for q in (doc.quote_spans[k] for k in doc.quotes.indices(token.start, end))
    )
    if len(text[token.start : end].split()) < 5 or quoted > 0.6 * (end - token.start):
        return None  # too short or mostly a quotation to stand as a position
    return Stance(
        actor=actor.name,
        actor_span=actor.span,
        start=token.start,
        end=end,
        position=text[token.start : end],
    )
