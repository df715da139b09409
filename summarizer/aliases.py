"""Names that denote the same organisation or country, shared by extract and merge.

Outlets rewrite names inside quotation marks ("Daesh" where the speaker said "ISIS"), so
comparing two quotes or two stances needs one label per organisation. The table lives here,
below both stages, because merge must not import from extract.
"""

from __future__ import annotations

import unicodedata

from .textutil import words

# Canonical label -> every spelling that denotes it, folded (lower case, no accents).
ALIASES: dict[str, tuple[str, ...]] = {
    "ISIS": (
        "isis",
        "isil",
        "daesh",
        "is",
        "islamic state",
        "islamic state group",
        "islamic state of iraq and syria",
        "islamic state of iraq and the levant",
    ),
    "US": ("us", "u.s", "u.s.", "usa", "united states", "america"),
    "UN": ("un", "u.n", "u.n.", "united nations"),
    "UK": ("uk", "u.k", "u.k.", "united kingdom", "britain", "great britain"),
}

# Short spellings that are also ordinary words ("is", "us", "un") count only in capitals.
_MAX_CASELESS_SHORT = 3


def _phrase(alias: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in words(alias))


_PHRASES: dict[tuple[str, ...], str] = {
    _phrase(alias): label for label, spellings in ALIASES.items() for alias in spellings
}
_LONGEST = max(len(p) for p in _PHRASES)
# The words an alias can start with: at any other word no alias starts, and the word is
# kept as it is without trying every phrase length (most words of a text).
_FIRST_WORDS = frozenset(p[0] for p in _PHRASES)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def canonical_tokens(text: str) -> list[str]:
    """Folded word tokens with every alias replaced by its label ("Daesh" -> "ISIS").

    Hyphenated words are split so that "anti-Daesh" and "anti-ISIS" agree. Labels keep their
    capitals and every other token is lower case, so the label "US" never equals the pronoun.
    """
    raw = [part for w in words(_strip_accents(text)) for part in w.split("-") if part]
    folded = [w.casefold().replace("’", "'") for w in raw]
    out: list[str] = []
    i = 0
    while i < len(folded):
        if folded[i] not in _FIRST_WORDS:
            out.append(folded[i])
            i += 1
            continue
        for size in range(min(_LONGEST, len(folded) - i), 0, -1):
            label = _PHRASES.get(tuple(folded[i : i + size]))
            if label is None:
                continue
            short = size == 1 and len(folded[i]) <= _MAX_CASELESS_SHORT and "." not in folded[i]
            if short and not raw[i].isupper():
                continue
            out.append(label)
            i += size
            break
        else:
            out.append(folded[i])
            i += 1
    return out
