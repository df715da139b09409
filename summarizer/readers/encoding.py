"""Text in an encoding other than UTF-8, decoded with the one ``charset-normalizer`` detects.

Ingest tries UTF-8 first (every offset contract starts there); only bytes that are not UTF-8
come here. The article's text is then the decoded characters, and offsets index them; the
caller warns, naming the encoding, so the brief says the file was not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

# Below this share of printable characters the "text" is binary that happened to decode.
_MIN_PRINTABLE = 0.95
# Western European, Central European, Cyrillic, Chinese, Japanese, Korean, Greek, Turkish.
_COMMON = (
    "cp1252", "latin_1", "cp1250", "cp1251", "gb18030", "big5", "shift_jis", "euc_kr",
    "cp1253", "cp1254",
)  # fmt: skip


@dataclass(frozen=True)
class Detected:
    text: str
    encoding: str  # as Python names it ("cp1252", "latin_1", "utf_16", "gb18030")


def detect_text(data: bytes) -> Detected | None:
    """``data`` decoded with its most likely encoding, or None when no encoding gives text
    (binary data, or characters mostly unprintable).

    On a short text many encodings score alike ("Café" reads as well in CP1006 as in
    Windows-1252, a Russian line as well in Mac Cyrillic as in Windows-1251); among those
    as free of mess as the best, one that gives the same characters as a common encoding of
    news text (``_COMMON``, in that order) wins.
    """
    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    tied = [m for m in results if m.chaos <= best.chaos]
    texts = {str(m) for m in tied}
    for codec in _COMMON:
        try:
            if data.decode(codec) in texts:
                return _checked(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> Detected | None:
    if text.startswith("\ufeff"):
        text = text[1:]
    printable = sum(ch.isprintable() or ch in "\r\n\t\f\v" for ch in text)
    if not text.strip() or printable < _MIN_PRINTABLE * len(text):
        return None
    return Detected(text=text, encoding=encoding)
