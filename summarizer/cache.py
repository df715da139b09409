"""On-disk cache of extractions, keyed by everything that changes the answer.

The key hashes the article as ingest segmented it (text, sentences, quote spans, exclusions:
so a change to ingest invalidates too), the backend's own key (backend, model, prompt template
hash, generation options, or the rules' code hash), the extraction schema and the package
version. Entries are JSON, validated on read: an entry that does not parse is ignored with a
warning and recomputed. ``diskcache`` stores them in SQLite, safe across processes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import diskcache
from pydantic import ValidationError

from ._version import __version__
from .errors import ConfigError
from .extract import Backend
from .models import Article, ArticleExtraction

log = logging.getLogger(__name__)

_SCHEMA_HASH = hashlib.sha256(
    json.dumps(ArticleExtraction.model_json_schema(), sort_keys=True).encode()
).hexdigest()[:16]


def cache_key(article: Article, backend: Backend) -> str:
    parts: dict[str, Any] = {
        "article": hashlib.sha256(
            article.model_dump_json(exclude={"id", "path"}).encode()
        ).hexdigest(),
        "backend": backend.cache_key(),
        "schema": _SCHEMA_HASH,
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class ExtractionCache:
    """A persistent map from cache key to ArticleExtraction (a no-op when disabled)."""

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled
        self._store: diskcache.Cache | None = None

    def _open(self) -> diskcache.Cache:
        if self._store is None:
            try:
                self._store = diskcache.Cache(str(self.directory))
            except OSError as error:
                raise ConfigError(
                    f"cannot use cache dir {self.directory} ({error.strerror}); "
                    "pass --cache-dir DIR, set SUMMARIZER_CACHE_DIR, or use --no-cache"
                ) from None
        return self._store

    def get(self, article: Article, backend: Backend) -> ArticleExtraction | None:
        if not self.enabled:
            return None
        key = cache_key(article, backend)
        try:
            raw = self._open().get(key)
        except Exception as error:  # noqa: BLE001 - a broken cache must never cost the brief
            log.warning("cache entry for %s unreadable (%s); recomputing", article.id, error)
            return None
        if raw is None:
            return None
        try:
            cached = ArticleExtraction.model_validate_json(raw)
        except (ValidationError, TypeError, ValueError) as error:
            log.warning(
                "cache entry for %s is corrupted (%s); recomputing",
                article.id,
                type(error).__name__,
            )
            return None
        # The same text may have been cached under another file name.
        return cached.model_copy(update={"article_id": article.id})

    def put(self, article: Article, backend: Backend, extraction: ArticleExtraction) -> None:
        if not self.enabled:
            return
        try:
            self._open().set(cache_key(article, backend), extraction.model_dump_json())
        except Exception as error:  # noqa: BLE001 - failing to cache is not failing the brief
            log.warning("could not cache %s (%s)", article.id, error)

    def stats(self) -> dict[str, Any]:
        store = self._open()
        return {
            "directory": str(self.directory),
            "entries": len(store),
            "bytes": int(store.volume()),
        }

    def clear(self) -> int:
        return int(self._open().clear())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
