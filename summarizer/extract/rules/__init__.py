"""The ``rules`` backend: deterministic, offline extraction from the text itself.

It needs no model and no network, so a new user gets a real brief on a fresh machine, and it
anchors the ``llm`` backend, which falls back to its answers item by item.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ...models import Article, ArticleExtraction
from .casualties import find_casualties
from .doc import Doc
from .quotes import Attributor, attribute
from .stances import find_stances
from .summary import summarize


def _source_hash() -> str:
    """A hash of the rules' own code: edit a rule and cached answers stop being served."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class RulesBackend:
    """Deterministic extraction: quotes and speakers, casualty figures, stances, a summary."""

    name = "rules"
    model: str | None = None

    def __init__(self) -> None:
        self._version = _source_hash()

    def cache_key(self) -> dict[str, str]:
        return {"backend": self.name, "rules": self._version}

    def extract(self, article: Article) -> ArticleExtraction:
        doc = Doc.of(article)
        # Stances read on where quotes left off (a speaker quoted is who "he" is next);
        # casualties resolve from the article as scanned, with an attributor of their own.
        attributor = Attributor(doc)
        quotes = attribute(doc, attributor)
        return ArticleExtraction(
            article_id=article.id,
            backend=self.name,
            quotes=quotes,
            casualties=find_casualties(doc, quoted=quotes),
            stances=find_stances(doc, attributor),
            summary=summarize(article),
        )


__all__ = ["RulesBackend"]
