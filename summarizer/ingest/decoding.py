"""Decoding: bytes to text (UTF-8 first, else a declared or detected encoding,
``readers.encoding``), refusing what is no text (empty, binary, cut-off UTF-8), and telling
an article's text from markup or JSON saved as text."""

from __future__ import annotations

import json
import re
import shlex

from ..errors import InputError
from ..readers.encoding import detect_text

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


def iconv(source: str, path: str) -> str:
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


def eight_bit_encoding(data: bytes) -> str:
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


# Byte-order marks of the wide encodings; UTF-32's first (its little-endian mark starts
# with UTF-16's).
_WIDE_MARKS: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "UTF-32"),
    ((b"\xff\xfe", b"\xfe\xff"), "UTF-16"),
)


def _whitespace_only(path: str) -> InputError:
    return InputError(
        f"{path}: the file is empty: it holds only whitespace; remove it or add the article text",
        path=path,
    )


def refuse_bytes(data: bytes, path: str, *, encodings: bool = False) -> None:
    """InputError for bytes that are no text at all: empty, binary; and, unless ``encodings``
    (text in any encoding is welcome), UTF-16/32, which a line-based format cannot hold."""
    if not data:
        raise InputError(
            f"{path}: the file is empty (0 bytes); remove it or add the article text", path=path
        )
    for marks, name in _WIDE_MARKS:
        if data.startswith(marks):
            if encodings:
                return
            raise InputError(
                f"{path}: the file is {name}, not UTF-8; convert it ({iconv(name, path)})",
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
                f"UTF-8; convert it ({iconv(utf16, path)})",
                path=path,
            )
        raise _binary(path, "it holds NUL bytes")
    if not data.strip():
        raise _whitespace_only(path)


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
    refuse_bytes(data, path, encodings=True)
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
        raise _whitespace_only(path)
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


def encoding_warning(encoding: str | None) -> tuple[str, ...]:
    """What the brief says of an article that was not UTF-8 (nothing when it was)."""
    if encoding is None:
        return ()
    return (
        f"not UTF-8; decoded as {encoding_name(encoding)}, and offsets index the decoded "
        "text; convert the file to UTF-8 if the text looks wrong",
    )


# --- what the text is -----------------------------------------------------------------------

_HTML_START_RE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
XML_START_RE = re.compile(r"\A\s*<\?xml\b|\A\s*<(?:rss|feed)\b", re.I)
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


def html_evidence(text: str) -> str | None:
    """Why ``text`` reads as an HTML page, or None: a doctype or <html> start, or at least 10
    tags making up a tenth of the characters (a few inline tags in Markdown do not count)."""
    if _HTML_START_RE.match(text):
        return "it starts with <!DOCTYPE html> or <html>"
    tags = _HTML_TAG_RE.findall(text)
    if len(tags) >= 10 and sum(map(len, tags)) >= 0.1 * len(text.strip()):
        return f"{len(tags)} HTML tags"
    return None


def check_text(text: str, where: str) -> None:
    """Raise InputError when a decoded text is not an article's text (markup, nothing)."""
    if not any(ch.isalnum() for ch in text):
        raise InputError(
            f"{where}: the text holds no words (only whitespace, punctuation or invisible "
            "characters); remove it or add the article text",
            path=where,
        )
    evidence = html_evidence(text)
    if evidence is not None:
        raise InputError(
            f"{where}: looks like an HTML page ({evidence}), not article text; {_HTML_HELP}",
            path=where,
        )
    if XML_START_RE.match(text):
        raise InputError(
            f"{where}: looks like an XML document (an RSS or Atom feed?), not article text; "
            "save each article's text as a .txt file, or as .jsonl with one object per line",
            path=where,
        )


def looks_like_json(text: str) -> bool:
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
