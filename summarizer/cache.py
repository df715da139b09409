"""On-disk cache of extractions, keyed by everything that changes the answer.

The key hashes the article as ingest segmented it (text, sentences, quote spans, exclusions:
so a change to ingest invalidates too; not its id or path, so the same text under another
file name is served from the cache), the backend's own key (backend, model, prompt template
hash, generation options, or the rules' code hash), the extraction schema and the package
version. Keys are hashes and values are the extraction's JSON: neither holds a setting's value
(the API key in particular).

What can go wrong, and what happens:

- **Several processes at once** on one cache dir: safe. ``diskcache`` stores entries in SQLite
  (WAL, with a busy timeout), so two briefs run together both complete; when both compute the
  same article, the later write replaces an identical entry, and the cache ends with one entry
  per distinct article.
- **A corrupted entry** (a value that is not an extraction's JSON, or that cannot be read at
  all): logged as a warning naming the article, removed, and recomputed; the new answer is
  written under the same key, replacing it. A failed write is a warning too. A broken entry
  never costs the brief.
- **A cache dir that cannot be used at all** (a file where the folder should be or above it,
  no permission, a damaged database): a ``ConfigError`` when ``ExtractionCache`` (so
  ``Summarizer``) is made, so the CLI exits 1 with one line saying how to fix it: pass another
  ``--cache-dir``, set ``SUMMARIZER_CACHE_DIR``, or ``--no-cache``. We do not fall back to
  running without the cache: the dir is the user's explicit (or default) setting, and a
  silently uncached run with the ``llm`` backend pays for every article again, each morning,
  with nothing to show why.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import diskcache
from pydantic import ValidationError

from ._version import __version__
from .errors import ConfigError
from .extract import Backend
from .ingest import RawArticle
from .ingest import segment as segmentation
from .models import Article, ArticleExtraction

log = logging.getLogger(__name__)

_SCHEMA_HASH = hashlib.sha256(
    json.dumps(ArticleExtraction.model_json_schema(), sort_keys=True).encode()
).hexdigest()[:16]


def _package_hash() -> str:
    """A hash of the package's own code (every module): a parsed article is served from the
    cache only to the very code that parsed it. Coarser than ingest alone, so that no module
    ingest comes to use can be forgotten; re-parsing after an upgrade is cheap."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CODE_HASH = _package_hash()
PARSED_DIR = "parsed"  # parsed articles, in a store of their own inside the cache dir
MAPPED_DIR = "mapped"  # each file's whole map (parsed, extracted, profiled), another store

_R = TypeVar("_R")
_FIX = "pass --cache-dir DIR, set SUMMARIZER_CACHE_DIR, or use --no-cache"


@runtime_checkable
class Store(Protocol):
    """Where extractions are kept: string keys to JSON strings. ``diskcache.Cache`` (the
    default, on local disk) is one; a store shared by many machines (Redis, an object store)
    needs only these three methods, e.g. ``get = redis.get``, ``set = redis.set``,
    ``delete = redis.delete`` on a client that decodes responses."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: str) -> Any: ...

    def delete(self, key: str) -> Any: ...


def cache_key(article: Article, backend: Backend) -> str:
    """The key of ``article``'s extraction by ``backend`` (independent of its id and path)."""
    parts: dict[str, Any] = {
        "article": hashlib.sha256(
            article.model_dump_json(exclude={"id", "path"}).encode()
        ).hexdigest(),
        "backend": backend.cache_key(),
        "schema": _SCHEMA_HASH,
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def parse_key(raw: RawArticle) -> str:
    """The key of ``raw``'s parsed Article: the file's content as read (text and metadata,
    not its id or path, so a renamed file is not parsed again) and the package's code."""
    parts: dict[str, Any] = {
        "parsed": [raw.text, raw.title, raw.outlet, raw.url, raw.published, raw.warnings],
        "code": _CODE_HASH,
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def map_key(raw: RawArticle, backend: Backend) -> str:
    """The key of ``raw``'s whole map by ``backend``: what ``parse_key`` reads (the file's
    content and the package's code, which covers every stage of the map), the backend's own
    key and the extraction schema."""
    parts: dict[str, Any] = {
        "mapped": parse_key(raw),
        "backend": backend.cache_key(),
        "schema": _SCHEMA_HASH,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class ExtractionCache:
    """A persistent map from cache key to ArticleExtraction (a no-op when disabled).

    Checked when made, so an unusable directory is a ConfigError here rather than a failure
    of every article later: an existing cache is opened at once (a damaged database shows
    now); a missing one is only checked to be creatable (under a folder, writable) and is
    made on first use, so making a ``Summarizer`` leaves no folder behind.
    """

    def __init__(
        self, directory: Path, *, enabled: bool = True, store: Store | None = None
    ) -> None:
        self.directory = directory
        self.enabled = enabled
        # A store given by the caller (shared by several machines, say) is used as it is: the
        # directory checks are for the default on-disk store, and the caller closes its own.
        self._given = store
        self._store: diskcache.Cache | None = None
        self._local: dict[str, diskcache.Cache] = {}  # PARSED_DIR, MAPPED_DIR: opened on use
        if enabled and store is None:
            self._check()

    def _check(self) -> None:
        where = self.directory
        existing = next((p for p in (where, *where.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            what = "it is" if existing == where else f"{existing} is"
            raise ConfigError(f"cannot use cache dir {where}: {what} a file, not a folder; {_FIX}")
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            raise ConfigError(
                f"cannot use cache dir {where}: no permission to write {existing}; {_FIX}"
            )
        if existing == where:
            self._open()

    def _open(self) -> Store:
        if self._given is not None:
            return self._given
        if self._store is None:
            where = self.directory
            if where.exists() and not where.is_dir():
                raise ConfigError(
                    f"cannot use cache dir {where}: it is a file, not a folder; {_FIX}"
                )
            try:
                self._store = diskcache.Cache(str(where))
            except OSError as error:
                raise ConfigError(
                    f"cannot use cache dir {where} ({error.strerror or error}); {_FIX}"
                ) from None
            except sqlite3.DatabaseError as error:
                raise ConfigError(
                    f"cannot use cache dir {where} ({error}); if it is damaged, delete the "
                    f"folder (every entry can be recomputed), or {_FIX}"
                ) from None
        store: Store = self._store
        return store

    @property
    def shared(self) -> bool:
        """Whether the store is a caller's (``store=``) rather than the local directory."""
        return self._given is not None

    def key(self, article: Article, backend: Backend) -> str | None:
        """``cache_key(article, backend)``, or None without the cache: what a caller that
        reads and then writes one article's entry passes to ``get`` and ``put``, so that
        the article is hashed once."""
        return cache_key(article, backend) if self.enabled else None

    def get(
        self, article: Article, backend: Backend, key: str | None = None
    ) -> ArticleExtraction | None:
        """The cached extraction, or None (absent, or corrupted: then removed, with a warning).
        ``key``: the entry's key when the caller has it (``key()``)."""
        if not self.enabled:
            return None
        store = self._open()
        key = key or cache_key(article, backend)
        try:
            raw = store.get(key)
        except Exception as error:  # noqa: BLE001 - a broken cache must never cost the brief
            self._discard(store, key, article.id, f"unreadable ({type(error).__name__}: {error})")
            return None
        if raw is None:
            return None
        try:
            cached = ArticleExtraction.model_validate_json(raw)
        except (ValidationError, TypeError, ValueError) as error:
            self._discard(store, key, article.id, f"corrupted ({type(error).__name__})")
            return None
        # The same text may have been cached under another file name.
        return cached.model_copy(update={"article_id": article.id})

    def parse(self, raw: RawArticle) -> Article:
        """``parse(raw)`` (``summarizer.ingest.segment``) through the cache, so that a warm run
        does not segment an unchanged file again (``parse_key``). The same guarantees as
        extractions: a broken entry is removed with a warning and the article parsed again; a
        failed write is a warning; an error while parsing is not cached (it is the article's
        failure).
        """
        store = self._local_store(PARSED_DIR)
        if store is None:
            return segmentation.parse(raw)
        key = parse_key(raw)
        try:
            stored = store.get(key)
        except Exception as error:  # noqa: BLE001 - a broken cache must never cost the brief
            self._discard(store, key, raw.id, f"unreadable ({type(error).__name__}: {error})")
            stored = None
        if stored is not None:
            try:
                cached = Article.model_validate_json(stored)
            except (ValidationError, TypeError, ValueError) as error:
                self._discard(store, key, raw.id, f"corrupted ({type(error).__name__})")
            else:
                return cached.model_copy(update={"id": raw.id, "path": raw.path})
        article = segmentation.parse(raw)
        try:
            store.set(key, article.model_dump_json())
        except Exception as error:  # noqa: BLE001 - failing to cache is not failing the brief
            log.warning("could not cache %s (%s: %s)", raw.id, type(error).__name__, error)
        return article

    @staticmethod
    def _discard(store: Store, key: str, article_id: str, why: str) -> None:
        log.warning("cache entry for %s is %s; recomputing it", article_id, why)
        try:
            store.delete(key)
        except Exception as error:  # noqa: BLE001 - the recomputed entry will overwrite it
            log.debug("could not remove the cache entry for %s (%s)", article_id, error)

    def put(
        self,
        article: Article,
        backend: Backend,
        extraction: ArticleExtraction,
        *,
        key: str | None = None,
        dumped: str | None = None,
    ) -> None:
        """Keep ``extraction``; ``key`` (``key()``) and ``dumped`` (its JSON) when the caller
        has them already (the worker sends that JSON on: it is made once)."""
        if not self.enabled:
            return
        store = self._open()
        try:
            store.set(key or cache_key(article, backend), dumped or extraction.model_dump_json())
        except Exception as error:  # noqa: BLE001 - failing to cache is not failing the brief
            log.warning("could not cache %s (%s: %s)", article.id, type(error).__name__, error)

    def map_key(self, raw: RawArticle, backend: Backend) -> str | None:
        """The key of ``raw``'s whole map by ``backend`` (``map_key``), or None where maps are
        not kept (no cache, or a caller's store)."""
        if self._local_store(MAPPED_DIR) is None:
            return None
        return map_key(raw, backend)

    def has_mapped(self, key: str, article_id: str) -> bool:
        """Whether a map is kept under ``key`` (``map_key``; not read yet: ``mapped`` reads
        it); a store that cannot be asked is taken to hold none."""
        store = self._local_store(MAPPED_DIR)
        if store is None:
            return False
        try:
            return key in store
        except Exception as error:  # noqa: BLE001 - a broken cache must never cost the brief
            log.debug("could not look up the map of %s (%s)", article_id, error)
            return False

    def mapped(self, key: str, article_id: str, read: Callable[[bytes], _R]) -> _R | None:
        """``read`` of the whole map kept under ``key`` (``has_mapped``), or None: gone since,
        or not read (``read`` raised ValueError: the entry is removed, with a warning naming
        ``article_id``, and the file is mapped again). A warm run takes each unchanged file's
        answer here, with no parsing, extraction or worker process."""
        store = self._local_store(MAPPED_DIR)
        if store is None:
            return None
        try:
            stored = store.get(key)
        except Exception as error:  # noqa: BLE001 - a broken cache must never cost the brief
            self._discard(store, key, article_id, f"unreadable ({type(error).__name__}: {error})")
            return None
        if stored is None:
            return None
        try:
            if not isinstance(stored, bytes):
                raise TypeError("not bytes")
            return read(stored)
        except (ValidationError, TypeError, ValueError) as error:
            self._discard(store, key, article_id, f"corrupted ({type(error).__name__})")
            return None

    def put_all(self, extractions: list[tuple[str, str]], maps: list[tuple[str, bytes]]) -> None:
        """Keep many extractions (key, JSON: ``key()``) and maps (key, record: ``map_key``; the
        record's format is the caller's) at once: one transaction for each store, where each
        write alone is one of its own (about three times the work). A failed write is a
        warning, and what it held is computed again next time."""
        if self.enabled:
            _put_together(self._open(), extractions)
            _put_together(self._local_store(MAPPED_DIR), maps)

    def _local_store(self, name: str) -> diskcache.Cache | None:
        """The store ``name`` inside the cache dir (``PARSED_DIR``, ``MAPPED_DIR``), apart from
        the extractions (so "one entry per distinct article" stays true of those); None
        without the cache or with a caller's store (this is local work, cheap to redo)."""
        if not self.enabled or self._given is not None:
            return None
        if name not in self._local:
            self._open()  # the checks and errors of the cache dir itself
            self._local[name] = diskcache.Cache(str(self.directory / name))
        return self._local[name]

    def stats(self) -> dict[str, Any]:
        store = self._disk()
        parsed, mapped = self._local_store(PARSED_DIR), self._local_store(MAPPED_DIR)
        return {
            "directory": str(self.directory),
            "entries": len(store),
            "bytes": int(store.volume()),
            "parsed": len(parsed) if parsed is not None else 0,
            "mapped": len(mapped) if mapped is not None else 0,
        }

    def clear(self) -> int:
        """Remove every extraction, parsed article and map; how many extractions were removed."""
        for name in (PARSED_DIR, MAPPED_DIR):
            local = self._local_store(name)
            if local is not None:
                local.clear()
        return int(self._disk().clear())

    def _disk(self) -> diskcache.Cache:
        """The on-disk store (statistics and clearing are about the local cache)."""
        store = self._open()
        if not isinstance(store, diskcache.Cache):
            raise ConfigError("statistics and clearing are for the on-disk cache only")
        return store

    def close(self) -> None:
        for local in self._local.values():
            local.close()
        self._local.clear()
        if self._store is not None:
            self._store.close()
            self._store = None


def _put_together(
    store: Store | diskcache.Cache | None, entries: Sequence[tuple[str, Any]]
) -> None:
    """``entries`` written to ``store`` in one transaction (where it has them: a caller's
    store may not); a failure is a warning."""
    if store is None or not entries:
        return
    together = getattr(store, "transact", None)
    try:
        with together() if together is not None else contextlib.nullcontext():
            for key, value in entries:
                store.set(key, value)
    except Exception as error:  # noqa: BLE001 - failing to cache is not failing the brief
        log.warning(
            "could not cache %d articles (%s: %s)", len(entries), type(error).__name__, error
        )
