"""Extract: one Article to one ArticleExtraction, by a backend (``rules``, ``llm``, or yours).

Every backend answers with the same model, and every item it returns is grounded: quote text
is ``article.text[start:end]`` of a quotation span found by ingest, speakers and actors are
names that stand in the article, figures cite the sentence they come from. The pipeline does
not take a backend's word for it: an item whose span is outside the text, whose text is not
``text[start:end]``, or that falls in excluded page furniture is dropped at merge and counted.

A backend of your own is any object with the members of ``Backend`` (no base class needed)::

    class Keywords:
        name = "keywords"
        model = None

        def cache_key(self) -> dict[str, str]:
            return {"backend": "keywords", "version": "1"}

        def extract(self, article: Article) -> ArticleExtraction:
            return ArticleExtraction(article_id=article.id, backend=self.name)

    Summarizer(backend=Keywords()).brief("articles/")

Give it an ``async def aextract(article)`` too (``AsyncBackend``) and the pipeline runs it
``concurrency`` articles at a time; a synchronous one runs in the calling process, one
article at a time (only the built-in rules backend is sent to worker processes: yours may
hold what does not survive pickling). ``close()``, if it has one, is called by
``Summarizer.close()`` when the Summarizer made the backend; a backend you pass in stays
yours to close.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..models import Article, ArticleExtraction


@runtime_checkable
class Backend(Protocol):
    """What the pipeline needs of a backend."""

    @property
    def name(self) -> str:
        """A short label (``rules``, ``llm``): written into the brief."""
        ...

    @property
    def model(self) -> str | None:
        """The model that answers, if any: written into the brief."""
        ...

    def cache_key(self) -> dict[str, str]:
        """Everything besides the article text that changes this backend's answers (its name,
        model, options, a version of its code): the cache serves an answer again only for the
        same key."""
        ...

    def extract(self, article: Article) -> ArticleExtraction:
        """What the article says, every item citing ``article.text`` offsets."""
        ...


@runtime_checkable
class AsyncBackend(Backend, Protocol):
    """A backend that can also extract without blocking (the llm backend): the pipeline then
    runs ``concurrency`` articles at once in one event loop."""

    async def aextract(self, article: Article) -> ArticleExtraction: ...
