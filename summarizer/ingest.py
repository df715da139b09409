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
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import os
import re
import shlex
import stat
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .errors import InputError
from .models import Article, ArticleFailure, Excluded, ExclusionKind, QuoteSpan, Sentence
from .readers import Extracted
from .readers.encoding import detect_text
from .readers.feeds import is_feed, parse_feed
from .readers.fetch import Fetched, Fetcher
from .readers.html import extract_page
from .readers.mail import mbox_messages, read_message
from .textutil import content_words, squared_norm, words
from .unwrap import unwrap

log = logging.getLogger(__name__)

_HTML_SUFFIXES = (".html", ".htm")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".json", ".jsonl", *_HTML_SUFFIXES)
SUPPORTED_SUFFIXES += (*_FEED_SUFFIXES, ".eml", ".mbox")
# Written by render into every Markdown and HTML brief; a file carrying it is never an input.
GENERATOR = "generator: summarizer"
_GENERATOR_RE = re.compile(r"<!--\s*generator:\s*summarizer\b")
# A JSON brief (the Briefing, which has no room for a marker) is known by its keys.
BRIEFING_KEYS = frozenset(
    {"title", "backend", "articles", "stories", "summary", "quotes", "casualties", "stances"}
)
DEFAULT_MAX_BYTES = 2_000_000
# A saved or fetched page, a feed or a message carries markup and furniture around its text.
DEFAULT_MAX_PAGE_BYTES = 4_000_000
STDIN = "-"

Warn = Callable[[str], None]

# --- reading --------------------------------------------------------------------------------


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


class WrittenBySummarizer(InputError):
    """The file is a brief that summarizer wrote: skipped, never read as an article."""


def _log_warning(message: str) -> None:
    log.warning("%s", message)


def _written_reason(where: str, what: str) -> str:
    return (
        f"{where}: a brief written by summarizer ({what}), not an article; earlier briefs are "
        "never inputs"
    )


def is_brief_text(text: str) -> bool:
    """Whether a text is a Markdown or HTML brief that summarizer wrote: its marker comment on
    the first or the last non-empty line (or in the HTML head)."""
    lines = [line for line in text[:4096].splitlines() if line.strip()][:8]
    tail = [line for line in text[-4096:].splitlines() if line.strip()][-1:]
    return any(_GENERATOR_RE.search(line) for line in lines + tail)


def is_brief_record(record: object) -> bool:
    """Whether a JSON value is a brief that summarizer wrote (the Briefing: its keys, and no
    article text of its own)."""
    return (
        isinstance(record, dict)
        and set(record) >= BRIEFING_KEYS
        and not any(name in record for name in ("text", "body"))
    )


def is_brief_file(path: Path) -> bool:
    """Whether the file at ``path`` is a brief that summarizer wrote (False if unreadable)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(size - 4096, len(head)))
            tail = handle.read(4096)
    except OSError:
        return False
    text = (head + b"\n" + tail).decode("utf-8", "replace")
    if is_brief_text(text):
        return True
    if path.suffix.lower() != ".json" or not head.lstrip().startswith(b"{"):
        return False
    try:
        return is_brief_record(json.loads(path.read_bytes()))
    except (OSError, ValueError, RecursionError):
        return False


def _shown(path: Path | str) -> str:
    """``path`` as text that can be printed and written to JSON: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _escapes(path: Path, real_root: str) -> bool:
    """Whether ``path`` is a symbolic link (or lies under one) resolving outside ``real_root``."""
    real = os.path.realpath(path)
    return os.path.commonpath([real, real_root]) != real_root


def _walk(
    root: Path,
) -> tuple[list[Path], list[Path], list[tuple[Path, str]], list[Path]]:
    """Article files, other files, unlistable folders and links leading outside ``root``
    under ``root`` (hidden ones left out), in the order ``sorted(root.rglob("*"))`` gives.
    Links to folders are not followed."""
    files: list[Path] = []
    others: list[Path] = []
    problems: list[tuple[Path, str]] = []
    outside: list[Path] = []
    real_root = os.path.realpath(root)

    def unlistable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        problems.append((where, error.strerror or str(error)))

    for folder, folders, names in os.walk(root, onerror=unlistable):
        base = Path(folder)
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names + [n for n in folders if os.path.islink(base / n)]:
            path = base / name
            if _hidden(path, root):
                continue
            if os.path.islink(path) and _escapes(path, real_root):
                outside.append(path)
                continue
            if name in folders:
                continue  # a link to a folder inside: not followed (its files are read there)
            (files if path.suffix.lower() in SUPPORTED_SUFFIXES else others).append(path)
    return sorted(files), sorted(others), problems, sorted(outside)


def discover(paths: list[Path]) -> list[Path]:
    """The article files named by ``paths`` (folders are searched recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path)[0])
        elif path.exists():
            found.append(path)
        else:
            where = _shown(path)
            raise InputError(f"{where}: no such file or folder; check the path", path=where)
    return found


# --- decoding -------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an office document (.docx, .odt)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Zero-width and invisible characters: kept in the text (offsets), ignored beside quote marks.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _iconv(source: str, path: str) -> str:
    return f"iconv -f {source} -t UTF-8 {shlex.quote(path)} > fixed.txt"


def _utf16_without_bom(data: bytes) -> str | None:
    """``UTF-16LE``/``UTF-16BE`` when every other byte is NUL (ASCII-range UTF-16 text)."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "UTF-16LE"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "UTF-16BE"
    return None


def _eight_bit_encoding(data: bytes) -> str:
    """The likelier 8-bit encoding of non-UTF-8 text, as ``iconv`` spells it."""
    if any(0x80 <= b <= 0x9F for b in data):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "LATIN1"
        return "WINDOWS-1252"
    return "LATIN1"


def _binary(path: str, what: str) -> InputError:
    return InputError(
        f"{path}: binary file ({what}), not text; remove it from the inputs, or save the "
        "article as a UTF-8 .txt file",
        path=path,
    )


def _refuse_bytes(data: bytes, path: str, *, encodings: bool = False) -> None:
    """InputError for bytes that are no text at all: empty, binary; and, unless ``encodings``
    (text in any encoding is welcome), UTF-16/32, which a line-based format cannot hold."""
    if not data:
        raise InputError(
            f"{path}: the file is empty (0 bytes); remove it or add the article text", path=path
        )
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        if encodings:
            return
        raise InputError(
            f"{path}: the file is UTF-32, not UTF-8; convert it ({_iconv('UTF-32', path)})",
            path=path,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if encodings:
            return
        raise InputError(
            f"{path}: the file is UTF-16, not UTF-8; convert it ({_iconv('UTF-16', path)})",
            path=path,
        )
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise _binary(path, what)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            if encodings:
                return
            raise InputError(
                f"{path}: the file looks like {utf16} (UTF-16 without a byte-order mark), not "
                f"UTF-8; convert it ({_iconv(utf16, path)})",
                path=path,
            )
        raise _binary(path, "it holds NUL bytes")
    if not data.strip():
        raise InputError(
            f"{path}: the file is empty: it holds only whitespace; remove it or add the "
            "article text",
            path=path,
        )


_ENCODING_NAMES = {"latin_1": "Latin-1 (ISO-8859-1)", "utf_16": "UTF-16", "utf_32": "UTF-32"}


def encoding_name(codec: str) -> str:
    """A Python codec name as people write it: ``cp1252`` -> ``Windows-1252``."""
    if codec in _ENCODING_NAMES:
        return _ENCODING_NAMES[codec]
    if codec.startswith("cp125"):
        return f"Windows-{codec[2:]}"
    return codec.replace("_", "-").upper()


def decode_text(data: bytes, path: str, charset: str | None = None) -> tuple[str, str | None]:
    """The text of ``data`` and, when it was not UTF-8, the encoding it was decoded with.

    UTF-8 first (a BOM removed, nothing else changed); else the ``charset`` a server declared;
    else the encoding ``charset-normalizer`` detects (UTF-16 without a byte-order mark by its
    NUL bytes). Offsets index the decoded text. Binary data, and UTF-8 cut off inside a
    character, are an InputError.
    """
    _refuse_bytes(data, path, encodings=True)
    encoding: str | None = None
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    try:
        if utf16 is not None:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "UTF-16 without a byte-order mark")
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if utf16 is None and error.end >= len(data) and "unexpected end" in error.reason:
            raise InputError(
                f"{path}: not valid UTF-8: the file ends inside a character (byte offset "
                f"{error.start}), so it was probably cut off; save the article again",
                path=path,
            ) from None
        text, encoding = _other_encoding(data, path, utf16 or charset)
    if not text.strip():
        raise InputError(
            f"{path}: the file is empty: it holds only whitespace; remove it or add the "
            "article text",
            path=path,
        )
    if len(_CONTROL_RE.findall(text)) > 0.01 * len(text):
        raise _binary(path, "control characters")
    return text, encoding


def _other_encoding(data: bytes, path: str, declared: str | None) -> tuple[str, str]:
    if declared:
        try:
            return data.decode(declared).removeprefix("\ufeff"), declared.casefold()
        except (LookupError, UnicodeDecodeError):
            pass
    detected = detect_text(data)
    if detected is None:
        raise _binary(path, "not text in any encoding charset-normalizer recognises")
    return detected.text, detected.encoding


def decode(data: bytes, path: str) -> str:
    """The text of ``data`` (see ``decode_text``), or a clear InputError."""
    return decode_text(data, path)[0]


def _encoding_warning(encoding: str | None) -> tuple[str, ...]:
    """What the brief says of an article that was not UTF-8 (nothing when it was)."""
    if encoding is None:
        return ()
    return (
        f"not UTF-8; decoded as {encoding_name(encoding)}, and offsets index the decoded "
        "text; convert the file to UTF-8 if the text looks wrong",
    )


# --- what the text is -----------------------------------------------------------------------

_HTML_START_RE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_XML_START_RE = re.compile(r"\A\s*<\?xml\b|\A\s*<(?:rss|feed)\b", re.I)
_HTML_TAG_RE = re.compile(
    r"</?(?:a|article|aside|b|blockquote|body|br|button|div|em|figcaption|figure|footer|form|"
    r"h[1-6]|head|header|hr|i|iframe|img|input|li|link|main|meta|nav|noscript|ol|p|script|"
    r"section|span|strong|style|svg|table|tbody|td|th|thead|title|tr|ul)\b[^<>]{0,2000}>",
    re.I,
)
_HTML_HELP = (
    "save the article's text instead (copy it from the page, a browser's reader view helps, "
    "into a .txt file), or extract it with a tool such as trafilatura"
)


def _html_evidence(text: str) -> str | None:
    """Why ``text`` reads as an HTML page, or None: a doctype or <html> start, or at least 10
    tags making up a tenth of the characters (a few inline tags in Markdown do not count)."""
    if _HTML_START_RE.match(text):
        return "it starts with <!DOCTYPE html> or <html>"
    tags = _HTML_TAG_RE.findall(text)
    if len(tags) >= 10 and sum(map(len, tags)) >= 0.1 * len(text.strip()):
        return f"{len(tags)} HTML tags"
    return None


def _check_text(text: str, where: str) -> None:
    """Raise InputError when a decoded text is not an article's text (markup, nothing)."""
    if not any(ch.isalnum() for ch in text):
        raise InputError(
            f"{where}: the text holds no words (only whitespace, punctuation or invisible "
            "characters); remove it or add the article text",
            path=where,
        )
    evidence = _html_evidence(text)
    if evidence is not None:
        raise InputError(
            f"{where}: looks like an HTML page ({evidence}), not article text; {_HTML_HELP}",
            path=where,
        )
    if _XML_START_RE.match(text):
        raise InputError(
            f"{where}: looks like an XML document (an RSS or Atom feed?), not article text; "
            "save each article's text as a .txt file, or as .jsonl with one object per line",
            path=where,
        )


def _looks_like_json(text: str) -> bool:
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")) and not (
        stripped.startswith("[") and stripped.endswith("]")
    ):
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


# --- JSON records ---------------------------------------------------------------------------

_TEXT_FIELDS = ("text", "body")
_OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "outlet": ("source", "outlet", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at"),
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "empty" if not value.strip() else "a string"
    return type(value).__name__


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _repaired(value: str, name: str, where: str, warn: Warn) -> str:
    """``value`` with each lone surrogate (a broken ``\\ud800`` escape in the JSON, which no
    UTF-8 text can hold) replaced by U+FFFD, one for one, so offsets into it stay valid; the
    repair is warned of, naming the field."""
    found = _SURROGATE_RE.search(value)
    if found is None:
        return value
    count = len(_SURROGATE_RE.findall(value))
    warn(
        f"{where}: '{name}' holds {count} lone surrogate escape(s) (\\u{ord(found.group()):04x} "
        f"at character {found.start()}), which are not characters; replaced by U+FFFD. Fix "
        "the program that wrote the JSON"
    )
    return _SURROGATE_RE.sub("\ufffd", value)


def _text_of(record: dict[str, object], where: str, warn: Warn) -> str:
    problems: list[str] = []
    for name in _TEXT_FIELDS:
        if name not in record:
            continue
        value = record[name]
        if isinstance(value, str) and value.strip():
            for problem in problems:
                warn(f"{where}: {problem}; '{name}' used instead")
            return _repaired(value, name, where, warn)
        problems.append(
            f"'{name}' is {_kind(value)}" + ("" if isinstance(value, str) else ", not a string")
        )
    if problems:
        raise InputError(
            f"{where}: {' and '.join(problems)}; put the article text in 'text' or 'body' as a "
            "non-empty string",
            path=where,
        )
    keys = ", ".join(repr(_SURROGATE_RE.sub("\ufffd", str(k))) for k in list(record)[:8]) or "none"
    raise InputError(
        f"{where}: the JSON object has no 'text' or 'body' field (its fields: {keys}); add the "
        "article text as a string in 'text' or 'body'",
        path=where,
    )


def _optional(
    record: dict[str, object], names: tuple[str, ...], where: str, warn: Warn
) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str):
            if value.strip():
                return _repaired(value, name, where, warn)
            continue
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
            # {"source": {"id": ..., "name": "BBC News"}}
            return _repaired(str(value["name"]), f"{name}.name", where, warn)
        if value is not None:
            warn(f"{where}: '{name}' is {_kind(value)}, not a string; ignored")
    return None


def _from_record(record: object, article_id: str, path: str, warn: Warn) -> RawArticle:
    if isinstance(record, list):
        raise InputError(
            f"{path}: holds a JSON list, not an object; give one article object per .json file, "
            "or one object per line in a .jsonl file",
            path=path,
        )
    if not isinstance(record, dict):
        raise InputError(
            f"{path}: holds {_kind(record)}, not a JSON object; give an object with the article "
            "text in 'text' or 'body'",
            path=path,
        )
    text = _text_of(record, path, warn)
    _check_text(text, path)
    fields = {
        field: _optional(record, names, path, warn) for field, names in _OPTIONAL_FIELDS.items()
    }
    return RawArticle(
        id=article_id,
        path=path,
        text=text,
        title=fields["title"],
        outlet=fields["outlet"],
        url=fields["url"],
        published=fields["published"],
    )


def _json(text: str, where: str, fix: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}: invalid JSON ({error.msg}, line {error.lineno} column {error.colno}); {fix}",
            path=where,
        ) from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read; {fix}", path=where) from None


# --- files ----------------------------------------------------------------------------------


def _too_big(where: str, size: int, max_bytes: int, what: str = "one article") -> InputError:
    return InputError(
        f"{where}: {size / 1e6:.1f} MB ({size:,} bytes) is over the {max_bytes / 1e6:.1f} MB "
        f"limit for {what}; split it, or raise the limit with --max-article-bytes {size} "
        "(max_article_bytes in summarizer.toml)",
        path=where,
    )


def _read_bytes(path: Path, where: str, max_bytes: int | None) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{where}: not a regular file (a folder, pipe or device); give article files",
                path=where,
            )
        if max_bytes is not None and info.st_size > max_bytes:
            raise _too_big(where, info.st_size, max_bytes)
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            f"{where}: cannot be read ({error.strerror or error}); check that it exists and that "
            "you may read it (its permissions)",
            path=where,
        ) from None


def _jsonl(
    data: bytes, article_id: str, where: str, max_bytes: int, warn: Warn
) -> list[RawArticle | ArticleFailure]:
    items: list[RawArticle | ArticleFailure] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        line_id, at = f"{article_id}#{number}", f"{where}:{number}"
        try:
            if len(raw) > max_bytes:
                raise _too_big(at, len(raw), max_bytes, "one article (one line)")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{at}: not valid UTF-8 (byte {raw[error.start]:#04x}); convert the file "
                    f"to UTF-8 ({_iconv(_eight_bit_encoding(data), where)})",
                    path=at,
                ) from None
            record = _json(line, at, "fix that line")
            items.append(_from_record(record, line_id, at, warn))
        except InputError as error:
            items.append(ArticleFailure(id=line_id, path=at, error=str(error)))
    if not items:
        raise InputError(f"{where}: no JSON object in the file; add one per line", path=where)
    return items


@dataclass(frozen=True)
class _Reading:
    """How one load reads: where warnings go, the size limits, the fetcher for URLs."""

    warn: Warn
    max_bytes: int = DEFAULT_MAX_BYTES
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    fetcher: Fetcher | None = None


_URL_RE = re.compile(r"https?://[^\s<>\"]+\Z", re.IGNORECASE)
# What a server's Content-Type says the body is, as the suffix of a file of that kind.
_KIND_OF_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rdf+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": "",
    "text/markdown": "",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "message/rfc822": ".eml",
}


def is_url(value: object) -> bool:
    """Whether a command-line input is an http(s) URL (fetched) rather than a path."""
    return isinstance(value, str) and bool(_URL_RE.match(value.strip()))


def _url_list(text: str) -> list[str] | None:
    """The URLs of a text that holds one URL a line and nothing else (blank lines and ``#``
    comments aside), or None."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and all(_URL_RE.match(line) for line in lines):
        return lines
    return None


def read_url_list(path: Path) -> list[str]:
    """The URLs of a list file (``--urls FILE``): one a line, blank lines and ``#`` comments
    skipped; InputError naming the first line that is not a URL."""
    where = _shown(path)
    text = decode(_read_bytes(path, where, DEFAULT_MAX_BYTES), where)
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _URL_RE.match(line):
            raise InputError(
                f"{where}:{number}: not an http:// or https:// URL ({line[:80]!r}); give one "
                "URL a line",
                path=where,
            )
        urls.append(line)
    if not urls:
        raise InputError(f"{where}: holds no URL; give one URL a line", path=where)
    return urls


def _raw(extracted: Extracted, article_id: str, where: str) -> RawArticle:
    return RawArticle(
        id=article_id,
        path=where,
        text=extracted.text,
        title=extracted.title,
        outlet=extracted.outlet,
        url=extracted.url,
        published=extracted.published,
    )


def _page(markup: str | bytes, article_id: str, where: str, url: str | None) -> RawArticle:
    """An HTML page's article (``readers.html``: trafilatura's main text and metadata)."""
    return _raw(extract_page(markup, where, url), article_id, where)


def _feed(
    data: bytes, article_id: str, where: str, reading: _Reading
) -> list[RawArticle | ArticleFailure]:
    """Each entry of a feed as an article: its full content when the feed has it, else its
    page, fetched from its link. The entry's title and time win over the page's; the page's
    canonical URL and site name over the entry's link and the feed's title."""
    entries = parse_feed(data, where)
    items: list[RawArticle | ArticleFailure | None] = [None] * len(entries)
    pending: list[int] = []
    for index, entry in enumerate(entries):
        entry_id, at = f"{article_id}#{index + 1}", f"{where}#{index + 1}"
        try:
            if entry.content is not None:
                page = _page(f"<html><body>{entry.content}</body></html>", entry_id, at, None)
                items[index] = replace(
                    page,
                    title=entry.title or page.title,
                    published=entry.published,
                    url=entry.link,
                    outlet=entry.outlet,
                )
            elif entry.link is not None:
                pending.append(index)
            else:
                raise InputError(
                    f"{at}: the entry holds only a summary and no link to its article", path=at
                )
        except InputError as error:
            items[index] = ArticleFailure(id=entry_id, path=at, error=str(error))
    links = [str(entries[i].link) for i in pending]
    for index, outcome in zip(pending, _fetch_all(links, reading), strict=True):
        entry_id, at = f"{article_id}#{index + 1}", f"{where}#{index + 1}"
        try:
            if isinstance(outcome, InputError):
                raise outcome
            found = _fetched(outcome, entry_id, at, reading, feeds=False)[0]
            if isinstance(found, RawArticle):
                entry = entries[index]
                found = replace(
                    found,
                    title=entry.title or found.title,
                    published=entry.published or found.published,
                    outlet=found.outlet or entry.outlet,
                )
            items[index] = found
        except InputError as error:
            items[index] = ArticleFailure(
                id=entry_id, path=at, error=f"{at}: its page could not be read: {error}"
            )
    return [item for item in items if item is not None]


def _fetch_all(urls: list[str], reading: _Reading) -> list[Fetched | InputError]:
    if reading.fetcher is None:
        return [
            InputError(f"{url}: not fetched (no fetcher: this reader reads files only)", path=url)
            for url in urls
        ]
    return reading.fetcher.fetch_all(urls)


def _fetched(
    fetched: Fetched, article_id: str, where: str, reading: _Reading, *, feeds: bool = True
) -> list[RawArticle | ArticleFailure]:
    """The article(s) in a fetched body, read by what the server says it is."""
    kind = _KIND_OF_TYPE.get(fetched.content_type)
    if kind is None or (kind == ".xml" and not feeds):
        raise InputError(
            f"{where}: not a web page, a feed or text: the server sent {fetched.content_type} "
            f"({len(fetched.data):,} bytes); give the address of an article's page",
            path=where,
        )
    items = _from_bytes(
        fetched.data,
        article_id,
        where,
        kind,
        reading,
        url=fetched.final_url,
        charset=fetched.charset,
        urls=False,
    )
    return [
        replace(item, url=item.url or fetched.final_url) if isinstance(item, RawArticle) else item
        for item in items
    ]


def _urls(urls: list[str], article_id: str, reading: _Reading) -> list[RawArticle | ArticleFailure]:
    """The articles at ``urls`` (a URL list file's), fetched concurrently, in order."""
    items: list[RawArticle | ArticleFailure] = []
    for number, (url, outcome) in enumerate(zip(urls, _fetch_all(urls, reading), strict=True)):
        items += _url_items(url, outcome, f"{article_id}#{number + 1}", reading)
    return items


def _url_items(
    url: str, outcome: Fetched | InputError, article_id: str, reading: _Reading
) -> list[RawArticle | ArticleFailure]:
    try:
        if isinstance(outcome, InputError):
            raise outcome
        return _fetched(outcome, article_id, url, reading)
    except InputError as error:
        return [ArticleFailure(id=article_id, path=url, error=str(error))]


def _looks_like_jsonl(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines)


def _from_bytes(
    data: bytes,
    article_id: str,
    where: str,
    kind: str,
    reading: _Reading,
    *,
    url: str | None = None,
    charset: str | None = None,
    urls: bool = True,
) -> list[RawArticle | ArticleFailure]:
    """The article(s) in ``data``, read as ``kind`` (a file suffix; "" for text of unknown
    kind: standard input, a fetched text/plain). ``urls``: a text of URLs, one a line, is a
    list of articles to fetch (not for what was itself fetched)."""
    warn = reading.warn
    if kind == ".jsonl":
        _refuse_bytes(data, where)  # empty, binary, UTF-16: the whole file is not JSON Lines
        return _jsonl(data, article_id, where, reading.max_bytes, warn)
    if kind == ".eml":
        _refuse_bytes(data, where)
        return [_raw(read_message(data, where), article_id, where)]
    if kind in _HTML_SUFFIXES:
        _refuse_bytes(data, where, encodings=True)
        if is_brief_text((data[:4096] + b"\n" + data[-4096:]).decode("utf-8", "replace")):
            raise WrittenBySummarizer(_written_reason(where, "its generator marker"), path=where)
        return [_page(data, article_id, where, url)]
    if kind in _FEED_SUFFIXES:
        _refuse_bytes(data, where, encodings=True)
        return _feed(data, article_id, where, reading)
    text, encoding = decode_text(data, where, charset)
    notes = _encoding_warning(encoding)
    for note in notes:
        warn(f"{where}: {note}")
    if kind == ".json" or (kind == "" and _looks_like_json(text)):
        record = _json(text, where, "fix it")
        if is_brief_record(record):
            raise WrittenBySummarizer(_written_reason(where, "a JSON brief"), path=where)
        return [replace(_from_record(record, article_id, where, warn), warnings=notes)]
    if is_brief_text(text):
        raise WrittenBySummarizer(_written_reason(where, "its generator marker"), path=where)
    if _html_evidence(text) is not None:
        return [_page(text, article_id, where, url)]
    if _XML_START_RE.match(text) and is_feed(data):
        return _feed(data, article_id, where, reading)
    listed = _url_list(text) if urls else None
    if listed is not None:
        return _urls(listed, article_id, reading)
    if kind == "" and _looks_like_jsonl(text):
        return _jsonl(text.encode("utf-8"), article_id, where, reading.max_bytes, warn)
    _check_text(text, where)
    if _looks_like_json(text):
        raise InputError(
            f"{where}: holds JSON, not plain text; rename it to .json (or .jsonl with one "
            "object per line)",
            path=where,
        )
    return [RawArticle(id=article_id, path=where, text=text, url=url, warnings=notes)]


def _mbox(
    path: Path, article_id: str, where: str, reading: _Reading
) -> list[RawArticle | ArticleFailure]:
    """Each message of a mailbox as an article (``file.mbox#N``)."""
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as error:
        raise InputError(
            f"{where}: cannot be read ({error.strerror or error}); check that it exists and "
            "that you may read it (its permissions)",
            path=where,
        ) from None
    if not regular:
        raise InputError(
            f"{where}: not a regular file (a folder, pipe or device); give article files",
            path=where,
        )
    items: list[RawArticle | ArticleFailure] = []
    for number, message in enumerate(mbox_messages(path, reading.max_page_bytes), start=1):
        message_id, at = f"{article_id}#{number}", f"{where}#{number}"
        try:
            if isinstance(message, InputError):
                raise InputError(f"{at}: {message}", path=at)
            items.append(_raw(read_message(message, at), message_id, at))
        except InputError as error:
            items.append(ArticleFailure(id=message_id, path=at, error=str(error)))
    if not items:
        raise InputError(
            f"{where}: no message in this mailbox (an mbox file starts each message with a "
            "'From ' line)",
            path=where,
        )
    return items


def read(
    path: Path,
    article_id: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    on_warning: Warn | None = None,
    fetcher: Fetcher | None = None,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
) -> list[RawArticle | ArticleFailure]:
    """Read one file: one article (.txt, .md, .json, .html, .htm, .eml), one per line
    (.jsonl), per feed entry (.rss, .atom, .xml) or per message (.mbox); a .txt file holding
    only URLs, one a line, is a list of pages fetched with ``fetcher``.

    A whole-file problem raises InputError; a bad line, entry, message or URL becomes an
    ArticleFailure for that one only, and the others are still read. For JSON Lines the size
    limit applies to each line; pages, feeds and mailbox messages have ``max_page_bytes``.
    """
    reading = _Reading(on_warning or _log_warning, max_bytes, max_page_bytes, fetcher)
    where = _shown(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{where}: unsupported file type '{suffix}'; give the article as "
            f"{', '.join(SUPPORTED_SUFFIXES)}",
            path=where,
        )
    if suffix == ".mbox":
        return _mbox(path, article_id, where, reading)
    paged = suffix in (*_HTML_SUFFIXES, *_FEED_SUFFIXES, ".eml")
    limit = None if suffix == ".jsonl" else max_page_bytes if paged else max_bytes
    data = _read_bytes(path, where, limit)
    kind = ".txt" if suffix == ".md" else suffix
    return _from_bytes(data, article_id, where, kind, reading)


def _stdin(stream: BinaryIO | None, reading: _Reading) -> list[RawArticle | ArticleFailure]:
    """One article (or JSON Lines, a page, a feed) from standard input, as ``stdin``."""
    source = stream if stream is not None else sys.stdin.buffer
    limit = max(reading.max_bytes, reading.max_page_bytes)
    data = source.read(limit + 1)
    if len(data) > limit:
        raise _too_big("<stdin>", len(data), limit, "standard input (read so far)")
    return _from_bytes(data, "stdin", "<stdin>", "", reading)


def _inputs(
    root: Path, on_skipped: Callable[[Skipped], None]
) -> Iterator[tuple[Path, str] | ArticleFailure]:
    """The files under one command-line path with their ids, or failures of the path itself."""
    where = _shown(root)
    try:
        is_dir, exists = root.is_dir(), root.exists()
    except OSError as error:
        yield ArticleFailure(
            id=where, path=where, error=f"{where}: cannot be checked ({error.strerror or error})"
        )
        return
    if not exists:
        yield ArticleFailure(
            id=where, path=where, error=f"{where}: no such file or folder; check the path"
        )
        return
    if not is_dir:
        yield root, _shown(root.name)
        return
    files, others, problems, outside = _walk(root)
    for link in outside:
        on_skipped(
            Skipped(
                id=_shown(link.relative_to(root).as_posix()),
                path=_shown(link),
                reason=f"{_shown(link)}: a symbolic link to {_shown(os.path.realpath(link))}, "
                f"outside {where}; skipped (only what is under the folders you name is read: "
                "name the file itself to include it)",
            )
        )
    for folder, reason in problems:
        yield ArticleFailure(
            id=where if folder == root else _shown(folder.relative_to(root).as_posix()) + "/",
            path=_shown(folder),
            error=f"{_shown(folder)}: cannot list this folder ({reason}); check its permissions",
        )
    if not files and not problems:
        listed = ", ".join(_shown(p.name) for p in others[:3]) + (
            ", ..." if len(others) > 3 else ""
        )
        yield ArticleFailure(
            id=where,
            path=where,
            error=f"{where}: no article file in this folder ("
            + (f"{len(others)} other file(s): {listed}" if others else "it is empty")
            + f"); articles must be {', '.join(SUPPORTED_SUFFIXES)} files",
        )
        return
    for other in others:
        suffix = other.suffix.lower() or "(none)"
        reason = (
            f"{_shown(other)}: not an article file (type {suffix}); save articles as "
            f"{', '.join(SUPPORTED_SUFFIXES)} to include them"
        )
        on_skipped(
            Skipped(
                id=_shown(other.relative_to(root).as_posix()), path=_shown(other), reason=reason
            )
        )
    for file in files:
        yield file, _shown(file.relative_to(root).as_posix())


def _unique(article_id: str, file: Path, used: set[str]) -> str:
    candidate = article_id
    if candidate in used:
        candidate = _shown(file.as_posix())
    number = 2
    while candidate in used:
        candidate, number = f"{_shown(file.as_posix())}~{number}", number + 1
    return candidate


def as_input(value: Path | str) -> Path | str:
    """A command-line input as ``load`` takes it: an http(s) URL or ``-`` (standard input)
    stays a string, anything else is a path."""
    if isinstance(value, str) and (value.strip() == STDIN or is_url(value)):
        return value.strip()
    return Path(value)


def load(
    paths: Sequence[Path | str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    on_warning: Warn | None = None,
    on_skipped: Callable[[Skipped], None] | None = None,
    fetcher: Fetcher | None = None,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    stdin: BinaryIO | None = None,
    segment: Callable[[RawArticle], Article] | None = None,
) -> Iterator[Article | ArticleFailure]:
    """Every article under ``paths``, parsed, or a failure naming the file and the fix.

    ``paths`` holds files and folders, http(s) URLs (strings, fetched with ``fetcher``, all
    of them at once up front) and ``"-"`` (standard input, or ``stdin``). Article ids are
    the file's path relative to the folder it was found in (the file name for files given
    directly; the URL for a URL; ``stdin``), with ``#N`` for line N of a JSON Lines file,
    entry N of a feed, message N of a mailbox or URL N of a list; when two paths give the
    same id, the later one is named by its path. A file or URL named twice is read once.

    ``segment`` parses the articles of files in place of ``parse`` (the cache's ``parse``:
    the same Article, not segmented again for a file read before).
    """
    warn = on_warning or _log_warning
    skipped = on_skipped or (lambda item: warn(item.reason))
    reading = _Reading(warn, max_bytes, max_page_bytes, fetcher)
    roots = [as_input(p) for p in paths]
    addresses = list(dict.fromkeys(r for r in roots if isinstance(r, str) and r != STDIN))
    fetched = dict(zip(addresses, _fetch_all(addresses, reading), strict=True))
    used: set[str] = set()
    seen: set[str] = set()
    for root in roots:
        if isinstance(root, str):
            if root in seen:
                continue
            seen.add(root)
            yield from _not_files(root, fetched.get(root), stdin, reading, used, skipped)
            continue
        for entry in _inputs(root, skipped):
            if isinstance(entry, ArticleFailure):
                if entry.id in used:
                    entry = entry.model_copy(
                        update={"id": _unique(entry.id, Path(entry.path), used)}
                    )
                used.add(entry.id)
                yield entry
                continue
            file, article_id = entry
            key = os.path.realpath(file)
            if key in seen:
                continue
            seen.add(key)
            article_id = _unique(article_id, file, used)
            used.add(article_id)
            try:
                items = read(
                    file,
                    article_id,
                    max_bytes,
                    on_warning=warn,
                    fetcher=fetcher,
                    max_page_bytes=max_page_bytes,
                )
            except WrittenBySummarizer as written:
                skipped(Skipped(id=article_id, path=_shown(file), reason=str(written)))
                continue
            except InputError as error:
                yield ArticleFailure(id=article_id, path=_shown(file), error=str(error))
                continue
            for item in items:
                used.add(item.id)
                yield item if isinstance(item, ArticleFailure) else _parsed(item, segment)


def _not_files(
    root: str,
    outcome: Fetched | InputError | None,
    stdin: BinaryIO | None,
    reading: _Reading,
    used: set[str],
    skipped: Callable[[Skipped], None],
) -> Iterator[Article | ArticleFailure]:
    """The articles of a URL (already fetched: ``outcome``) or of standard input."""
    where = "<stdin>" if root == STDIN else root
    try:
        if outcome is None:
            items = _stdin(stdin, reading)
        else:
            items = _url_items(root, outcome, root, reading)
    except WrittenBySummarizer as written:
        skipped(Skipped(id=where, path=where, reason=str(written)))
        return
    except InputError as error:
        items = [ArticleFailure(id="stdin", path=where, error=str(error))]
    for item in items:
        if item.id in used:
            number = 2
            while f"{item.id}~{number}" in used:
                number += 1
            item = (
                replace(item, id=f"{item.id}~{number}")
                if isinstance(item, RawArticle)
                else item.model_copy(update={"id": f"{item.id}~{number}"})
            )
        used.add(item.id)
        yield item if isinstance(item, ArticleFailure) else _parsed(item)


def _parsed(
    raw: RawArticle, segment: Callable[[RawArticle], Article] | None = None
) -> Article | ArticleFailure:
    """``parse(raw)`` (or ``segment(raw)``), or a failure of this article only if segmentation
    hits a bug. The reader's warnings on the article (an encoding) go with it into the brief."""
    try:
        article = (segment or parse)(raw)
    except Exception as error:
        log.exception("segmenting %s failed", raw.path)
        return ArticleFailure(
            id=raw.id,
            path=raw.path,
            error=f"{raw.path}: internal error while segmenting ({type(error).__name__}: "
            f"{error}); please report it with this file",
        )
    if raw.warnings:  # the reader's notes first, then what segmentation found
        article = article.model_copy(update={"warnings": [*raw.warnings, *article.warnings]})
    return article


_ENGLISH_WORDS = frozenset(
    """the of and to that is was for on with as by at from his her their its said says have has
    had it this which were are been after would will who not but they he she be or than when
    about over into also there what""".split()
)


def english_share(article: Article) -> float | None:
    """The share of the article's words that are common English function words (about a
    third in English news, under a tenth in other languages), or None below 40 words."""
    tokens = [w.casefold() for s in article.sentences for w in words(article.slice(s))]
    if len(tokens) < 40:
        return None
    return sum(t in _ENGLISH_WORDS for t in tokens) / len(tokens)


# --- segmentation ---------------------------------------------------------------------------


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def n_words(self) -> int:
        return len(words(self.text))


_TERMINAL = ".!?:;\"”’'…)"
_TIMESTAMP_RE = re.compile(
    r"^\s*(?:last\s+)?(?:updated|published|posted|modified|date)\b[:\s]", re.IGNORECASE
)
_META_PREFIX_RE = re.compile(
    r"^\s*(?:date|published|updated|posted)[:\s]+\d{4}-\d{2}-\d{2}(?:[T ][\d:]+Z?)?\s*",
    re.IGNORECASE,
)
# "LONDON: ", "ERBIL (Kurdistan24) - ", "PARIS (AFP) — " at the start of a paragraph.
_DATELINE_RE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\- ]{1,40}[A-Z.])(?:,\s*[A-Z][\w.]*(?:\s\d{1,2})?)?"
    r"(?:\s*\([^)]{1,40}\))?\s*(?::|-|—|–)\s+(?=[\"“‘A-Z0-9])"
)
_BYLINE_RE = re.compile(r"^\s*By\s+[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|and|de|van))*\s*$")
# Lines that point elsewhere: "Read more: ...", "Related: ...", "(Reporting by ...)".
_LINK_LINE_RE = re.compile(
    r"^\s*(?:\(?(?:reporting|writing|editing|additional reporting) by\b|"
    r"(?:read more|related|see also|also read|watch|listen|recommended|more on this)\s*[:|»›-]|"
    r"sign up\b)",
    re.IGNORECASE,
)
_UI_WORDS = frozenset(
    """share follow click tap enlarge print email comment comments subscribe login loading
    close menu search more next previous back video photo photos gallery caption copy link
    url advertisement sponsored""".split()
)
_CREDIT_RE = re.compile(r"\((?:[^()]{0,60})\)\s*$")
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:photo|photos|photograph|courtesy|file|via|images?|getty|afp|reuters|ap|epa|"
    r"anadolu|sana|pool|handout|credit)\b",
    re.IGNORECASE,
)
_CAPTION_OPEN_RE = re.compile(
    r"^\s*(?:this|a|an|the)?\s*(?:handout\s+|undated\s+|file\s+|drone\s+|general\s+|aerial\s+)?"
    r"(?:photo(?:graph)?|picture|image|view|screenshot|still)\b[^.]{0,120}?\b(?:shows|showing|taken)\b",
    re.IGNORECASE,
)
# Words of the page speaking to its own reader: comment rules, sign-ups, cookies, sharing.
_READER_RE = re.compile(
    r"\b(?:comments?|our site|this site|our website|newsletter|subscribe|sign up|log ?in|"
    r"cookies?|privacy policy|terms of (?:use|service)|all rights reserved|copyright|"
    r"advertisement|sponsored|share this|click here|read more|related articles?|"
    r"please be respectful|community guidelines)\b",
    re.IGNORECASE,
)
_YOU_RE = re.compile(r"\b(?:you|your|please)\b", re.IGNORECASE)
# A paragraph that addresses an AI model, not the reader: it opens with a role tag or with an
# order to drop earlier instructions. Only at the start of a paragraph, so an article that
# reports on prompt injection ('He typed "ignore previous instructions" and ...') is kept.
_INJECTION_RE = re.compile(
    r"^\s*(?:(?:SYSTEM|ASSISTANT|DEVELOPER|USER)\s*:|\[/?INST\]|<\|?(?:im_start|system)\|?>"
    r"|(?i:(?:please\s+)?(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|"
    r"of\s+)*(?:previous|prior|above|earlier|preceding|former|system|original)\s+"
    r"(?:instructions?|prompts?|directions|directives|rules|messages|context)\b"
    r"|(?:new|updated)\s+(?:system\s+)?instructions\s*:"
    r"|you\s+are\s+now\s+(?:in\s+)?(?:developer|dan|jailbreak|unrestricted)\b))"
)
_BULLET_RE = re.compile(r"^\s*[•\-*–]\s+")


def _lines(text: str) -> list[_Line]:
    out = []
    for match in re.finditer(r"[^\r\n]+", text):
        if match.group().strip():
            out.append(_Line(match.start(), match.end(), match.group()))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_headline_like(line: _Line) -> bool:
    stripped = line.text.strip()
    return (
        3 <= line.n_words <= 25
        and stripped[0].isupper()
        and stripped[-1] not in ".!;:,"
        and not _BULLET_RE.match(stripped)
    )


def _is_title_line(line: _Line) -> bool:
    stripped = line.text.strip().lstrip("#").strip()
    return bool(stripped) and _is_headline_like(line) and not stripped.isupper()


def _is_caption(line: _Line) -> bool:
    stripped = line.text.strip()
    credit = _CREDIT_RE.search(stripped)
    if credit and line.n_words >= 6:
        inner = credit.group()[1:-1].strip().rstrip(")").strip()
        if _CREDIT_WORDS_RE.search(inner) or (inner and inner.replace("/", " ").isupper()):
            return True
    return bool(_CAPTION_OPEN_RE.match(stripped)) and line.n_words >= 6


def _is_reader_boilerplate(line: _Line) -> bool:
    hits = len(_READER_RE.findall(line.text))
    return hits >= 2 or (hits >= 1 and bool(_YOU_RE.search(line.text)))


def _is_interface_line(line: _Line, *, first: bool) -> bool:
    """A short line of page furniture ("Follow", "Short Url", "Share on X"), not a subhead
    ("Unions call national strike"): no more than two words, or up to four whose longer
    lower-case words are all interface vocabulary."""
    stripped = line.text.strip()
    if (
        line.n_words > 4
        or (first and _is_title_line(line))
        or (stripped[-1] in _TERMINAL and line.n_words >= 3)
        or stripped.isupper()
        or _ends_with_title(stripped)
    ):
        return False
    content = [w for w in words(stripped) if w[0].islower() and len(w) >= 4]
    return line.n_words <= 2 or all(w.casefold() in _UI_WORDS for w in content)


def _second_story_start(lines: list[_Line], body: list[bool]) -> int | None:
    """Index of the line where an unrelated story glued to the end begins, if any.

    A story starts with a headline-like line followed within a few lines by its own
    timestamp, a repeat of that headline, or a dateline. It is unrelated when its words
    share little with what came before.
    """
    # The words before and after line i are kept as running counts, with their dot product
    # and squared norms: moving one line across costs its own words, so the whole scan is
    # linear in the text (recounting both sides at each candidate was quadratic). The counts
    # are integers, so the cosine is exactly what ``cosine(bag(before), bag(after))`` gives.
    counts = [Counter(content_words(line.text)) for line in lines]
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for count in counts:
        after.update(count)
    dot, before_norm2, after_norm2 = 0, 0, squared_norm(after)
    kept = 0
    for i in range(len(lines)):
        if i >= 1:  # line i - 1 moves from after to before
            moved, keep = counts[i - 1], body[i - 1]
            kept += keep
            for word, n in moved.items():
                a, b = after[word], before[word]
                after_norm2 += (a - n) ** 2 - a * a
                dot -= n * b
                after[word] = a - n
                if keep:
                    before_norm2 += (b + n) ** 2 - b * b
                    dot += n * (a - n)
                    before[word] = b + n
        if i < 2 or kept < 3 or not _is_headline_like(lines[i]):
            continue
        window = lines[i + 1 : i + 6]
        marker = any(
            _TIMESTAMP_RE.match(later.text)
            or later.text.strip() == lines[i].text.strip()
            or _DATELINE_RE.match(later.text)
            for later in window
        )
        if not marker:
            continue
        alike = dot / math.sqrt(before_norm2 * after_norm2) if before_norm2 and after_norm2 else 0.0
        if alike < 0.2:
            return i
    return None


def _exclusions(text: str, lines: list[_Line]) -> list[Excluded]:
    excluded: list[Excluded] = []
    seen: dict[str, int] = {}
    body = [True] * len(lines)

    def mark(i: int, kind: ExclusionKind, reason: str) -> None:
        s, e = _trimmed(text, lines[i].start, lines[i].end)
        excluded.append(Excluded(start=s, end=e, kind=kind, reason=reason))
        body[i] = False

    for i, line in enumerate(lines):
        stripped = line.text.strip()
        key = " ".join(stripped.split()).casefold()
        repeat = key in seen
        seen.setdefault(key, i)
        if i == 0 and _META_PREFIX_RE.match(line.text):
            prefix = _META_PREFIX_RE.match(line.text)
            assert prefix is not None
            if prefix.end() < len(line.text):
                s, e = _trimmed(text, line.start, line.start + prefix.end())
                excluded.append(Excluded(start=s, end=e, kind="metadata", reason="date stamp"))
                continue
        if _INJECTION_RE.match(line.text):
            mark(i, "boilerplate", "instructions addressed to an AI model, not article text")
            continue
        dateline = _DATELINE_RE.match(line.text)
        if dateline and dateline.end() < len(line.text) and line.n_words > 8:
            s, e = _trimmed(text, line.start, line.start + dateline.end())
            excluded.append(Excluded(start=s, end=e, kind="metadata", reason="dateline"))
        if _TIMESTAMP_RE.match(line.text) and line.n_words <= 8:
            mark(i, "metadata", "timestamp line")
        elif _BYLINE_RE.match(line.text) and line.n_words <= 6:
            mark(i, "metadata", "byline")
        elif _LINK_LINE_RE.match(line.text):
            mark(i, "boilerplate", "link or credit line")
        elif (
            stripped.isupper()
            and line.n_words <= 3
            and i <= 2
            and not any(c in stripped for c in ".!?")
        ):
            mark(i, "metadata", "dateline")
        elif repeat:
            mark(i, "boilerplate", "line repeated verbatim")
        elif _is_caption(line):
            mark(i, "caption", "photo caption")
        elif _is_reader_boilerplate(line):
            mark(i, "boilerplate", "addressed to the site's reader")
        elif _is_interface_line(line, first=i == 0):
            mark(i, "boilerplate", "short interface line")

    start = _second_story_start(lines, body)
    if start is not None:
        excluded = [x for x in excluded if x.start < lines[start].start]
        s, e = _trimmed(text, lines[start].start, len(text))
        excluded.append(
            Excluded(
                start=s, end=e, kind="off_topic", reason="an unrelated story appended to the page"
            )
        )
    return sorted(excluded, key=lambda x: x.start)


# --- quotation marks ------------------------------------------------------------------------

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_MAX_QUOTE_CHARS = 3000


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The visible characters before and after ``text[i]`` (zero-width ones skipped)."""
    b = i - 1
    while b >= 0 and text[b] in _INVISIBLE:
        b -= 1
    a = i + 1
    while a < len(text) and text[a] in _INVISIBLE:
        a += 1
    return (text[b] if b >= 0 else " "), (text[a] if a < len(text) else " ")


def _can_open(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return (before.isspace() or before in "([{—–-/:,;") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-…\"”'’")


def _is_apostrophe(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return before.isalnum() and after.isalnum()


class QuotePiece(NamedTuple):
    """The inner span of a quotation within one paragraph; ``previous`` links the pieces of a
    quotation that runs over several paragraphs (the index of the piece before, else None)."""

    start: int
    end: int
    previous: int | None = None


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotePiece]:
    """Inner spans of quotations: straight and curly, double and single, over paragraphs.

    A double quotation still open at the end of a paragraph continues when the next paragraph
    opens with a quotation mark (the newspaper convention for multi-paragraph quotes); each
    paragraph's part is its own piece, linked to the part before, so no piece ever contains
    the re-opening mark. Single marks count only outside double quotes, and an apostrophe
    never closes a quote.
    """
    pieces: list[QuotePiece] = []
    carried: int | None = None  # index of the open piece carried from the previous paragraph

    def add(start: int, end: int, previous: int | None = None) -> int | None:
        if end - start > _MAX_QUOTE_CHARS or not text[start:end].strip():
            return None
        pieces.append(QuotePiece(start, end, previous))
        return len(pieces) - 1

    for index, (p_start, p_end) in enumerate(paragraphs):
        double_open: int | None = None
        single_open: int | None = None
        previous, carried = carried, None
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch in _OPEN_DOUBLE or ch in _CLOSE_DOUBLE or ch == '"':
                if double_open is None:
                    if ch in _OPEN_DOUBLE or (ch == '"' and _can_open(text, i)):
                        double_open = i
                        single_open = None
                elif ch in _CLOSE_DOUBLE or (ch == '"' and _can_close(text, i)):
                    add(double_open + 1, i, previous)
                    double_open = previous = None
            elif double_open is None and ch in _OPEN_SINGLE + _CLOSE_SINGLE + "'":
                if single_open is None:
                    if (
                        (ch in _OPEN_SINGLE or ch in "'’")
                        and _can_open(text, i)
                        and not (_is_apostrophe(text, i))
                    ):
                        single_open = i
                elif (
                    (ch in _CLOSE_SINGLE or ch == "'")
                    and _can_close(text, i)
                    and not _is_apostrophe(text, i)
                ):
                    add(single_open + 1, i)
                    single_open = None
            i += 1
        following = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
        if (
            double_open is not None
            and following is not None
            and (text[following] in _OPEN_DOUBLE + '"')
        ):
            carried = add(double_open + 1, _trimmed(text, double_open + 1, p_end)[1], previous)
    return pieces


_DOUBLE_MARKS = frozenset(_OPEN_DOUBLE + _CLOSE_DOUBLE + '"')


def quote_warnings(
    text: str, paragraphs: list[tuple[int, int]], pieces: list[QuotePiece]
) -> list[str]:
    """What the reader should know about quotation marks that were not read: marks with no
    quotation read at all, or marks that open or close nothing (a quotation there may be
    missing or cut). A straight mark after a digit is an inch mark, not a quotation mark."""
    used = {p.start - 1 for p in pieces} | {p.end for p in pieces}
    marks = stray = 0
    unbalanced = 0
    for start, end in paragraphs:
        here = [
            i
            for i in range(start, end)
            if text[i] in _DOUBLE_MARKS and not (text[i] == '"' and text[i - 1 : i].isdigit())
        ]
        marks += len(here)
        unused = sum(1 for i in here if i not in used)
        stray += unused
        unbalanced += unused > 0
    if marks and not pieces:
        return [f"{marks} quotation mark{'s' if marks != 1 else ''} but no quotation read"]
    if stray:
        where = f"{unbalanced} paragraph{'s' if unbalanced != 1 else ''}"
        return [f"unbalanced quotation marks in {where}: a quotation there may be missing or cut"]
    return []


# --- sentences ------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sgt gen col lt capt maj cpl pvt adm cmdr gov sen rep rev st jr sr
    inc corp ltd co no vs etc e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n u.s.a e.u a.m p.m""".split()
)
_TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sgt gen col lt capt maj cpl pvt adm cmdr gov sen rep rev st".split()
)
_SENTENCE_STARTERS = frozenset(
    "he she it they we i the a an in but this that his her its their there on at after when".split()
)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9•])")


_NEXT_WORD_RE = re.compile(r"\s+[\"“]?(\w+)")


class _Stabbing:
    """Whether a position lies strictly inside one of some spans (``s < at < e``): the spans by
    start, with the furthest end reached so far, so each question is one bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def strictly(self, at: int) -> bool:
        k = bisect.bisect_left(self.starts, at)  # the spans starting before ``at``
        return k > 0 and self.reach[k - 1] > at

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds ``[start, end)``: ``s <= start`` and ``end <= e``."""
        k = bisect.bisect_right(self.starts, start)  # the spans starting at or before it
        return k > 0 and self.reach[k - 1] >= end


def _split_sentences(
    text: str, start: int, end: int, protected: list[tuple[int, int]] | _Stabbing
) -> list[tuple[int, int]]:
    out = []
    cursor = start
    inside = protected if isinstance(protected, _Stabbing) else _Stabbing(protected)
    for match in _BOUNDARY_RE.finditer(text, start, end):
        cut = match.end()
        if inside.strictly(cut):
            continue
        # The last run of non-space characters up to the mark, from ``cursor`` on (what
        # ``(\S+)$`` finds in that stretch), read backwards from the mark: no copy of the
        # stretch per mark.
        first = match.start() + 1
        while first > cursor and not text[first - 1].isspace():
            first -= 1
        word = text[first : match.start() + 1]
        token = word.rstrip(".").casefold().lstrip("(\"“'‘") if word else ""
        if match.group() == "." and (token in _ABBREVIATIONS or len(token) == 1):
            following = _NEXT_WORD_RE.match(text, cut, end)
            next_word = following.group(1).casefold() if following else ""
            if token in _TITLE_ABBREVIATIONS or next_word not in _SENTENCE_STARTERS:
                continue
        s, e = _trimmed(text, cursor, cut)
        if s < e:
            out.append((s, e))
        cursor = cut
    s, e = _trimmed(text, cursor, end)
    if s < e:
        out.append((s, e))
    return out


def _ends_with_title(text: str) -> bool:
    """A line broken after a title ("Sgt.") continues on the next line."""
    last = text.split()[-1] if text.split() else ""
    return last.endswith(".") and last.rstrip(".").casefold() in _TITLE_ABBREVIATIONS


def _paragraphs(text: str, lines: list[_Line], excluded: list[Excluded]) -> list[tuple[int, int]]:
    """Body paragraphs: non-excluded lines, a line ending in a title ("Sgt.") joined to the next."""

    covering = _Stabbing([(x.start, x.end) for x in excluded])

    def is_excluded(line: _Line) -> bool:
        """Whether one excluded stretch holds the line's text (spaces around it aside)."""
        return covering.covers(
            line.start + (len(line.text) - len(line.text.lstrip())),
            line.end - (len(line.text) - len(line.text.rstrip())),
        )

    paragraphs: list[tuple[int, int]] = []
    joining = False
    for line in lines:
        if is_excluded(line):
            joining = False
            continue
        start = _trimmed(text, line.start, line.end)[0]
        for x in excluded:  # an excluded prefix inside the line (a date stamp, a dateline)
            if x.start <= start < x.end:
                start = x.end
        s, e = _trimmed(text, start, line.end)
        if s >= e:
            continue
        if joining and paragraphs:
            paragraphs[-1] = (paragraphs[-1][0], e)
        else:
            paragraphs.append((s, e))
        joining = _ends_with_title(text[s:e])
    return paragraphs


_MONTHS = {
    m[:3]: i
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
}
_ISO_TIME_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?")
_TIME_OF_DAY_RE = r"(?:\s*(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?)?"
_MONTH_FIRST_RE = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b,?" + _TIME_OF_DAY_RE,
    re.IGNORECASE,
)
_DAY_FIRST_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b,?" + _TIME_OF_DAY_RE,
    re.IGNORECASE,
)
_LEADING_TIME_RE = re.compile(r"^\D{0,40}?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)
# Lines that state when the article appeared: "Updated 10:15 a.m. Nov. 25, 2018",
# "Published: 2018-11-24", a bare date.
_DATE_LINE_MAX_WORDS = 12


def _clock(hour: str | None, minute: str | None, half: str | None) -> str:
    if hour is None or half is None:
        return ""
    h = int(hour) % 12 + (12 if half.casefold() == "p" else 0)
    return f"T{h:02d}:{int(minute or 0):02d}"


def parse_time(stated: str) -> str | None:
    """A stated date (and time) as ISO 8601 ("2018-11-25", "2018-11-25T10:15"), or None.

    Reads ISO stamps, "Nov. 25, 2018 10:15 a.m.", "25 November 2018", and a time of day
    written before the date ("10:15 a.m. Nov. 25, 2018"). Nothing is guessed: no year, no date.
    """
    iso = _ISO_TIME_RE.search(stated)
    if iso:
        year, month, day, hour, minute = iso.groups()
        clock = f"T{int(hour):02d}:{minute}" if hour is not None else ""
        return f"{year}-{month}-{day}{clock}"
    for pattern, month_at, day_at in ((_MONTH_FIRST_RE, 1, 2), (_DAY_FIRST_RE, 2, 1)):
        found = pattern.search(stated)
        if not found:
            continue
        month = _MONTHS.get(found.group(month_at)[:3].casefold())
        day = int(found.group(day_at))
        if month is None or not 1 <= day <= 31:
            continue
        clock = _clock(found.group(4), found.group(5), found.group(6))
        if not clock:
            before = _LEADING_TIME_RE.match(stated[: found.start()])
            clock = _clock(*before.groups()) if before else ""
        return f"{found.group(3)}-{month:02d}-{day:02d}{clock}"
    return None


def _published_in_text(lines: list[_Line]) -> str | None:
    """When the article says it appeared: a timestamp or date line near its top or end."""
    near = lines[:6] + lines[-3:]
    for line in near:
        if line.n_words > _DATE_LINE_MAX_WORDS:
            continue
        stamped = _TIMESTAMP_RE.match(line.text) or _META_PREFIX_RE.match(line.text)
        bare = not any(c.isalpha() for c in _MONTH_FIRST_RE.sub("", line.text).strip(" ,.|-"))
        if stamped or bare:
            when = parse_time(line.text)
            if when:
                return when
    return None


_DATELINE_OUTLET_RE = re.compile(r"\(([^()]{2,40})\)\s*(?::|-|—|–)\s*$")


def _outlet_in_dateline(text: str, excluded: list[Excluded]) -> str | None:
    """The outlet a dateline names: "ERBIL (Kurdistan24) - " gives "Kurdistan24"."""
    for x in excluded[:6]:
        if x.kind != "metadata" or x.reason != "dateline":
            continue
        found = _DATELINE_OUTLET_RE.search(text[x.start : x.end])
        if found and found.group(1).strip()[:1].isupper():
            return " ".join(found.group(1).split())
    return None


# Words a lede opens with and a headline almost never does.
_LEDE_OPENERS = frozenset(
    """a an he she it they we i you there this these those when while after before as
    with if although though""".split()
)
_HEADLINE_MAX_WORDS = 16


def _headline_paragraph(
    text: str,
    lines: list[_Line],
    paragraphs: list[tuple[int, int]],
    protected: list[tuple[int, int]] | _Stabbing,
) -> bool:
    """True when the first paragraph is a headline that ends with a full stop ("Three dead
    in workplace accident."): one short line, one sentence, not opening like a lede ("A man
    ...", "He ..."), followed by a longer paragraph."""
    if len(paragraphs) < 2 or not lines:
        return False
    start, end = paragraphs[0]
    first = text[start:end]
    n_words = len(words(first))
    if (
        "\n" in first
        or "\r" in first
        or not first.endswith(".")
        or first.endswith("..")
        or not 3 <= n_words <= _HEADLINE_MAX_WORDS
        or not first[:1].isupper()
        or first.isupper()
        or words(first)[0].casefold() in _LEDE_OPENERS
        or _DATELINE_RE.match(first)
        or len(_split_sentences(text, start, end, protected)) != 1
    ):
        return False
    return len(words(text[paragraphs[1][0] : paragraphs[1][1]])) > n_words


def parse(raw: RawArticle) -> Article:
    """Segment a raw article: exclusions, paragraphs, sentences and quotation spans, over its
    reading text (soft line breaks of hard-wrapped copy folded, ``summarizer.unwrap``)."""
    text, shifts = unwrap(raw.text)
    lines = _lines(text)
    excluded = _exclusions(text, lines)
    paragraphs = _paragraphs(text, lines, excluded)
    pieces = find_quotes(text, paragraphs)
    warnings = quote_warnings(text, paragraphs, pieces)
    protected = _Stabbing([(q.start, q.end) for q in pieces])  # built once, asked per mark
    sentences: list[Sentence] = []
    title = raw.title
    headline_first = _headline_paragraph(text, lines, paragraphs, protected)
    for number, (p_start, p_end) in enumerate(paragraphs):
        heading = (number == 0 and headline_first) or (
            text[p_start:p_end].rstrip().rstrip("\"”’')]")[-1:] not in ".!?…:;"
            and len(words(text[p_start:p_end])) <= 25
        )
        for s, e in _split_sentences(text, p_start, p_end, protected):
            sentences.append(Sentence(start=s, end=e, paragraph=number, heading=heading))
    if title is None and lines and paragraphs and _is_title_line(lines[0]):
        first = text[paragraphs[0][0] : paragraphs[0][1]]
        title = (
            first.lstrip("#").strip()
            if paragraphs[0][0] == _trimmed(text, lines[0].start, lines[0].end)[0]
            else None
        )
    elif title is None and headline_first:
        title = text[paragraphs[0][0] : paragraphs[0][1]]
    quote_spans: list[QuoteSpan] = []
    span_ids: dict[int, int] = {}  # piece index -> QuoteSpan id
    starts = [sent.start for sent in sentences]  # in text order: bisect, not a scan per quote
    for index, piece in enumerate(pieces):
        sentence = bisect_right(starts, piece.start) - 1
        if sentence < 0 or piece.start >= sentences[sentence].end:
            continue
        span_ids[index] = len(quote_spans)
        quote_spans.append(
            QuoteSpan(
                id=len(quote_spans),
                start=piece.start,
                end=piece.end,
                sentence=sentence,
                fragment=len(text[piece.start : piece.end].split()) < 4,
                continues=None if piece.previous is None else span_ids.get(piece.previous),
            )
        )
    return Article(
        id=raw.id,
        path=raw.path,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=None if text == raw.text else raw.text,
        shifts=shifts,
        title=title,
        outlet=raw.outlet or _outlet_in_dateline(text, excluded),
        url=raw.url,
        published=raw.published or _published_in_text(lines),
        sentences=sentences,
        quote_spans=quote_spans,
        excluded=excluded,
        warnings=warnings,
    )


def body_words(article: Article) -> list[str]:
    """Content words of the article's sentences (what is left once exclusions are out)."""
    return [w for s in article.sentences for w in content_words(article.slice(s))]
