"""Ingest: files, URLs and standard input to Articles with sentences, quotation spans and
excluded stretches.

What is read, and what the article's text (which every offset indexes) is:

- ``.txt`` / ``.md``: the file's bytes decoded as UTF-8 (a BOM removed, nothing else
  changed). A file in another encoding (Latin-1, Windows-1252, UTF-16, GBK...) is decoded with
  the encoding ``charset-normalizer`` detects (``readers.encoding``) and the article carries a
  warning naming it, shown in the brief; its text is the decoded characters. A .txt file
  holding only URLs, one a line, is a list of pages to fetch;
- ``.json`` / ``.jsonl``: the ``text`` (or ``body``) field, with ``title``, ``source``,
  ``url`` and ``published`` when given;
- ``.html`` / ``.htm``, and HTML found in any text file: the main text trafilatura extracts,
  with the page's title, site name, date and canonical URL (``readers.html``);
- ``.rss`` / ``.atom`` / ``.xml`` feeds, and a feed found in a text file: one article per
  entry (``readers.feeds``), an entry with only a summary read from its fetched page;
- ``.eml``, and each message of an ``.mbox``: the text/plain part (else the HTML part through
  the HTML path) without quoted replies and signature (``readers.mail``);
- an http(s) URL (``readers.fetch``): read by the type the server gives (a page, a feed, text);
- ``-``: standard input, one article (or JSON Lines, a page, a feed).

The text is then kept exactly as read because every offset downstream indexes it. Page
furniture is not deleted but *marked* (``Article.excluded``)
and left out of sentences and quote spans, so nothing inside it can reach the brief:

- metadata: "Updated ..." / "date 2025-12-14" stamps, bare datelines;
- boilerplate: short interface lines ("Follow", "Short Url"), lines repeated verbatim,
  paragraphs that address the site's reader (comment policies, newsletters, cookies), and
  paragraphs that address an AI model ("Ignore previous instructions and ...", "SYSTEM: ...");
  a prompt injection is not the outlet's reporting, and once marked it never reaches a model's
  prompt or the brief;
- captions: photo captions (a picture credit in parentheses, "This photograph ... shows");
- off_topic: a second, unrelated story glued to the end (a headline followed by its own
  timestamp, repeated title or dateline, with vocabulary the first story does not share).

Bad input costs only itself. Every input that cannot become an Article becomes an
``ArticleFailure`` whose message names the file (or URL) and what to do; nothing raises out
of ``load``. What is refused, and why:

- empty or whitespace-only files, and files with no words at all;
- binary files (NUL bytes, control characters, or the signature of an image, PDF, archive or
  office document), named by kind, and bytes no encoding makes text of;
- UTF-8 cut off inside a character (the file was truncated);
- files over ``max_bytes`` (``--max-article-bytes``; for JSON Lines, per line); pages, feeds
  and messages over ``max_page_bytes``;
- a page with no article text, a feed with no entry, a message with no text part;
- a URL that cannot be fetched (HTTP error, timeout, too large, a redirect loop, robots.txt
  disallows it, not a page: an image, a PDF), with the reason;
- XML that is no feed, and JSON saved as .txt;
- JSON without a non-empty string ``text`` or ``body``. A wrong-typed *optional* field (a title
  that is a list, a numeric url) is ignored with a warning and the article kept.

What summarizer wrote itself is never an input: a brief (Markdown or HTML carrying the
``generator: summarizer`` marker on its first or last line, or a JSON object with the
Briefing's keys and no article text) found among the inputs is skipped with that reason, so
``-o`` may point into the input folder.

Inside a folder, a symbolic link that resolves outside the folder is skipped with a warning
(nothing outside the named paths is read); a file named directly is read wherever it points.

Warnings (a field ignored, a file skipped) go to ``on_warning`` (default: the ``logging``
module). Files of an unsupported type found inside a folder are not failures: they go to
``on_skipped`` (the brief lists them as skipped). A path that does not exist, a folder that
cannot be listed or holds no article file is a failure of that path; the other paths are still
read. Two paths naming the same file read it once, and article ids stay unique across paths.

How the package is cut (each module one concern; the import direction is checked by
import-linter, see pyproject.toml):

- reading: ``loading`` (``load_raw``: every input once, unique ids; ``load``: each of
  them parsed too, ``parse_raw``) over
  ``inputs`` (a file, URL or standard input read by its kind, through ``summarizer.readers``),
  ``records`` (JSON and JSON Lines), ``decoding`` (bytes to text, what is no text) and
  ``files`` (discovery, walking, size limits, briefs summarizer wrote);
- segmentation: ``segment`` (``parse``) over ``metadata`` (titles, dates, datelines),
  ``furniture`` (the ordered table of line matchers), ``quotes`` (quotation marks),
  ``sentences``, ``lines`` and ``unwrap`` (hard-wrapped text);
- ``raw``: what reading hands to segmentation (``RawArticle``), at the bottom.

Everything public is re-exported here; import from ``summarizer.ingest``.
"""

from __future__ import annotations

from .._version import GENERATOR
from .decoding import decode, decode_text, encoding_name
from .files import (
    BRIEFING_KEYS,
    SUPPORTED_SUFFIXES,
    WrittenBySummarizer,
    discover,
    is_brief_file,
    is_brief_record,
    is_brief_text,
)
from .inputs import is_url, read, read_url_list
from .loading import as_input, load, load_raw, parse_raw
from .metadata import parse_time
from .quotes import QuotePiece, find_quotes, quote_warnings
from .raw import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGE_BYTES, STDIN, RawArticle, Skipped, Warn
from .segment import parse
from .sentences import body_words, english_share

__all__ = [
    "BRIEFING_KEYS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGE_BYTES",
    "GENERATOR",
    "STDIN",
    "SUPPORTED_SUFFIXES",
    "QuotePiece",
    "RawArticle",
    "Skipped",
    "Warn",
    "WrittenBySummarizer",
    "as_input",
    "body_words",
    "decode",
    "decode_text",
    "discover",
    "encoding_name",
    "english_share",
    "find_quotes",
    "is_brief_file",
    "is_brief_record",
    "is_brief_text",
    "is_url",
    "load",
    "load_raw",
    "parse",
    "parse_raw",
    "parse_time",
    "quote_warnings",
    "read",
    "read_url_list",
]
