"""Extract: one Article to one ArticleExtraction, by a backend (``rules`` or ``llm``).

Every backend answers with the same model, and every item it returns is grounded: quote text
is ``article.text[start:end]`` of a quotation span found by ingest, speakers and actors are
names that stand in the article, figures cite the sentence they come from.
"""

from __future__ import annotations

from typing import Protocol

from ..models import Article, ArticleExtraction


class Backend(Protocol):
    """What the pipeline needs of a backend."""

    @property
    def name(self) -> str:
        """``rules`` or ``llm``: written into the brief."""
        ...

    @property
    def model(self) -> str | None:
        """The model that answers, if any: written into the brief."""
        ...

    def cache_key(self) -> dict[str, str]:
        """Everything besides the article text that changes this backend's answers."""
        ...

    def extract(self, article: Article) -> ArticleExtraction: ...
