"""Ingest: files to Articles with sentences, quotation spans and excluded stretches.

The text is kept exactly as decoded (UTF-8, a BOM removed, nothing else changed) because every
offset downstream indexes it. Page furniture is not deleted but *marked* (``Article.excluded``)
and left out of sentences and quote spans, so nothing inside it can reach the brief:

- metadata: "Updated ..." / "date 2025-12-14" stamps, bare datelines;
- boilerplate: short interface lines ("Follow", "Short Url"), lines repeated verbatim, and
  paragraphs that address the site's reader (comment policies, newsletters, cookies);
- captions: photo captions (a picture credit in parentheses, "This photograph ... shows");
- off_topic: a second, unrelated story glued to the end (a headline followed by its own
  timestamp, repeated title or dateline, with vocabulary the first story does not share).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import InputError
from .models import Article, ArticleFailure, Excluded, ExclusionKind, QuoteSpan, Sentence
from .textutil import bag, content_words, cosine, words

SUPPORTED_SUFFIXES = (".txt", ".md", ".json", ".jsonl")
DEFAULT_MAX_BYTES = 2_000_000

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


def discover(paths: list[Path]) -> list[Path]:
    """The article files named by ``paths`` (folders are searched recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder; check the path", path=str(path))
    return found


def decode(data: bytes, path: str) -> str:
    """UTF-8 (a BOM removed) or a clear InputError; never a silent guess."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty; remove it or add the article text", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path}: the file is UTF-16; convert it to UTF-8 "
            f"(iconv -f UTF-16 -t UTF-8 '{path}' > fixed.txt)",
            path=path,
        )
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{path}: the file is binary, not text; remove it from the folder", path=path
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not valid UTF-8 (byte {data[error.start]:#04x} at offset {error.start}); "
            f"convert it to UTF-8 (iconv -f LATIN1 -t UTF-8 '{path}' > fixed.txt)",
            path=path,
        ) from None
    if not text.strip():
        raise InputError(f"{path}: the file holds only whitespace; remove it", path=path)
    return text


def _field(record: dict[str, object], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _from_record(record: object, article_id: str, path: str) -> RawArticle:
    if not isinstance(record, dict):
        raise InputError(f"{path}: expected a JSON object with a 'text' or 'body' field", path=path)
    text = record.get("text", record.get("body"))
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"{path}: the JSON object has no non-empty string 'text' or 'body' field; add one",
            path=path,
        )
    return RawArticle(
        id=article_id,
        path=path,
        text=text,
        title=_field(record, "title", "headline"),
        outlet=_field(record, "source", "outlet", "publisher"),
        url=_field(record, "url", "link"),
        published=_field(record, "published", "date", "published_at"),
    )


def read(
    path: Path, article_id: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[RawArticle | ArticleFailure]:
    """Read one file: one article (.txt, .md, .json) or one per line (.jsonl).

    A whole-file problem raises InputError; a bad line of a JSON Lines file becomes an
    ArticleFailure for that line only, and the other lines are still read.
    """
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{shown}: unsupported file type '{suffix}'; use {', '.join(SUPPORTED_SUFFIXES)}",
            path=shown,
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{shown}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for "
                "one article; split it, or raise the limit with --max-article-bytes",
                path=shown,
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"{shown}: cannot be read ({error.strerror}); check its permissions", path=shown
        ) from None
    text = decode(data, shown)
    if suffix in (".txt", ".md"):
        return [RawArticle(id=article_id, path=shown, text=text)]
    if suffix == ".json":
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{shown}: invalid JSON ({error.msg}, line {error.lineno}); fix it", path=shown
            ) from None
        return [_from_record(record, article_id, shown)]
    items: list[RawArticle | ArticleFailure] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_id, where = f"{article_id}#{number}", f"{shown}:{number}"
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"{where}: invalid JSON ({error.msg}); fix that line", path=shown
                ) from None
            items.append(_from_record(record, line_id, where))
        except InputError as error:
            items.append(ArticleFailure(id=line_id, path=where, error=str(error)))
    return items


def load(
    paths: list[Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | ArticleFailure]:
    """Every article under ``paths``, parsed, or a failure naming the file and the fix.

    Article ids are the file's path relative to the folder it was found in (the file name for
    files given directly), with ``#N`` for line N of a JSON Lines file.
    """
    for root in paths:
        for file in discover([root]):
            article_id = file.relative_to(root).as_posix() if root.is_dir() else file.name
            try:
                items = read(file, article_id, max_bytes)
            except InputError as error:
                yield ArticleFailure(id=article_id, path=str(file), error=str(error))
                continue
            for item in items:
                yield item if isinstance(item, ArticleFailure) else parse(item)


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
    for i in range(2, len(lines)):
        if sum(body[:i]) < 3 or not _is_headline_like(lines[i]):
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
        before = bag(line.text for line, keep in zip(lines[:i], body[:i], strict=True) if keep)
        after = bag(line.text for line in lines[i:])
        if cosine(before, after) < 0.2:
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


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:,;") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-…\"”'’")


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
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


def _split_sentences(
    text: str, start: int, end: int, protected: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    out = []
    cursor = start
    for match in _BOUNDARY_RE.finditer(text, start, end):
        cut = match.end()
        if any(s < cut < e for s, e in protected):
            continue
        token_match = re.search(r"(\S+)$", text[cursor : match.start() + 1])
        token = token_match.group(1).rstrip(".").casefold().lstrip("(\"“'‘") if token_match else ""
        if match.group() == "." and (token in _ABBREVIATIONS or len(token) == 1):
            following = re.match(r"\s+[\"“]?(\w+)", text[cut:end])
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

    def is_excluded(line: _Line) -> bool:
        return any(
            x.start <= line.start + (len(line.text) - len(line.text.lstrip()))
            and line.end - (len(line.text) - len(line.text.rstrip())) <= x.end
            for x in excluded
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


def parse(raw: RawArticle) -> Article:
    """Segment a raw article: exclusions, paragraphs, sentences and quotation spans."""
    text = raw.text
    lines = _lines(text)
    excluded = _exclusions(text, lines)
    paragraphs = _paragraphs(text, lines, excluded)
    pieces = find_quotes(text, paragraphs)
    protected = [(q.start, q.end) for q in pieces]
    sentences: list[Sentence] = []
    title = raw.title
    for number, (p_start, p_end) in enumerate(paragraphs):
        heading = (
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
    quote_spans: list[QuoteSpan] = []
    span_ids: dict[int, int] = {}  # piece index -> QuoteSpan id
    for index, piece in enumerate(pieces):
        sentence = next(
            (k for k, sent in enumerate(sentences) if sent.start <= piece.start < sent.end), None
        )
        if sentence is None:
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
        title=title,
        outlet=raw.outlet,
        url=raw.url,
        published=raw.published,
        sentences=sentences,
        quote_spans=quote_spans,
        excluded=excluded,
    )


def body_words(article: Article) -> list[str]:
    """Content words of the article's sentences (what is left once exclusions are out)."""
    return [w for s in article.sentences for w in content_words(article.slice(s))]
