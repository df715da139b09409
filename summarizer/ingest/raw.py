"""What reading hands to segmentation (``RawArticle``), what a folder holds that is not an
article (``Skipped``), and the defaults of how one load reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 2_000_000
# A saved or fetched page, a feed or a message carries markup and furniture around its text.
DEFAULT_MAX_PAGE_BYTES = 4_000_000
STDIN = "-"

Warn = Callable[[str], None]


@dataclass(frozen=True)
class RawArticle:
    """An article's text and metadata before segmentation."""

    id: str
    path: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    # Said of this article in the brief (not UTF-8, decoded as ...); also sent to on_warning.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file found in a folder that is not an article type (``.pdf``, ``.html``, ``.jpg``)."""

    id: str
    path: str
    reason: str
