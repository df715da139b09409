"""JSON records: one article per ``.json`` object or per ``.jsonl`` line, its text in
``text`` or ``body`` and its optional fields (a wrong-typed one ignored with a warning)."""

from __future__ import annotations

import json
import re

from ..errors import InputError
from ..models import ArticleFailure
from .decoding import check_text, eight_bit_encoding, iconv
from .files import too_big
from .raw import RawArticle, Warn

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


def from_record(record: object, article_id: str, path: str, warn: Warn) -> RawArticle:
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
    check_text(text, path)
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


def json_value(text: str, where: str, fix: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}: invalid JSON ({error.msg}, line {error.lineno} column {error.colno}); {fix}",
            path=where,
        ) from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read; {fix}", path=where) from None


def json_lines(
    data: bytes, article_id: str, where: str, max_bytes: int, warn: Warn
) -> list[RawArticle | ArticleFailure]:
    items: list[RawArticle | ArticleFailure] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        line_id, at = f"{article_id}#{number}", f"{where}:{number}"
        try:
            if len(raw) > max_bytes:
                raise too_big(at, len(raw), max_bytes, "one article (one line)")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{at}: not valid UTF-8 (byte {raw[error.start]:#04x}); convert the file "
                    f"to UTF-8 ({iconv(eight_bit_encoding(data), where)})",
                    path=at,
                ) from None
            record = json_value(line, at, "fix that line")
            items.append(from_record(record, line_id, at, warn))
        except InputError as error:
            items.append(ArticleFailure(id=line_id, path=at, error=str(error)))
    if not items:
        raise InputError(f"{where}: no JSON object in the file; add one per line", path=where)
    return items


def looks_like_jsonl(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines)
