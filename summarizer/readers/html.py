"""A web page's article: main text, title, site name, date and canonical URL (``trafilatura``).

trafilatura separates the article from the page's furniture (menus, share buttons, comment
sections, related links) and reads the page's metadata (``<title>``, Open Graph and JSON-LD,
``<link rel="canonical">``, the date by ``htmldate``). The article's text is **what
trafilatura extracts**, its paragraphs separated by a blank line (trafilatura puts one line
break between them; a blank line keeps each a paragraph for ingest): offsets in the brief
index that text, not the page's HTML. ``summarizer extract --article page.html`` shows it.
"""

from __future__ import annotations

import trafilatura

from ..errors import InputError
from ._types import Extracted

_HELP = (
    "save the article's own page (not a front page, a search result or a page that needs "
    "JavaScript to show its text), or its text as a .txt file"
)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_page(markup: str | bytes, where: str, url: str | None = None) -> Extracted:
    """The article of the HTML page ``markup`` (bytes are decoded by the page's own charset).

    ``url`` is where the page was fetched from: the article's URL when the page names no
    canonical one. InputError when the page holds no article text.
    """
    document = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no article text found in this HTML page; {_HELP}", path=where)
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    canonical = _clean(getattr(document, "url", None))
    if canonical is not None and not canonical.startswith(("http://", "https://")):
        canonical = None
    return Extracted(
        text="\n\n".join(paragraphs) + "\n",
        title=_clean(getattr(document, "title", None)),
        outlet=_clean(getattr(document, "sitename", None)),
        url=canonical or url,
        published=_clean(getattr(document, "date", None)),
    )
