"""Readers: what turns a saved page, a feed, an e-mail, a URL or a text in any encoding into
an article's text and metadata, for ``ingest`` to segment.

One module per kind of input, each importing only ``models``, ``errors`` and ``textutil``
(and each other), never ``ingest``: the import direction is ``ingest`` -> ``readers``.

- ``encoding``: bytes that are not UTF-8 decoded with the encoding ``charset-normalizer``
  detects (the caller warns, naming it);
- ``html``: a web page's main text, title, site name, date and canonical URL (``trafilatura``);
- ``feeds``: RSS and Atom entries (``feedparser``);
- ``mail``: an ``.eml`` message or each message of an ``.mbox`` (the standard ``email`` package);
- ``fetch``: URLs over HTTP (``httpx``), with robots.txt, limits, retries (``tenacity``) and
  an on-disk cache revalidated by ETag and Last-Modified (``diskcache``).

Whatever a reader extracts *is* the article's text: offsets in the brief index it, not the
page's markup or the message's raw bytes.
"""

from __future__ import annotations

from ._types import Extracted

__all__ = ["Extracted"]
