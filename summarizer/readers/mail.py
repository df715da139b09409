"""E-mail: an ``.eml`` message, or each message of an ``.mbox``, is an article.

The subject is the title, the sender's display name the outlet (its address when it has no
name), the ``Date`` header the publication time. The text is the message's ``text/plain``
part; a message with only an HTML part goes through the HTML path (``readers.html``).
Quoted replies (lines starting with ``>``, and the "On ... wrote:" line introducing them) and
the signature (from a ``-- `` line on) are not the article: they are left out of its text,
which, as for a web page, is what the reader extracts; offsets index it.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from collections.abc import Iterator
from email.message import EmailMessage, MIMEPart
from email.utils import getaddresses
from pathlib import Path

from ..errors import InputError
from ._types import Extracted
from .html import extract_page

_QUOTED_RE = re.compile(r"^[ \t]*>")
_WROTE_RE = re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE)
_SIGNATURE = ("-- ", "--")
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def strip_furniture(body: str) -> str:
    """``body`` without its quoted replies and its signature (line endings as LF)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for number, line in enumerate(lines):
        if line in _SIGNATURE:
            break
        if _QUOTED_RE.match(line):
            continue
        following = next((x for x in lines[number + 1 :] if x.strip()), "")
        if _WROTE_RE.match(line) and _QUOTED_RE.match(following):
            continue
        kept.append(line.rstrip())
    return _BLANK_RUN_RE.sub("\n\n", "\n".join(kept)).strip() + "\n"


def _header(message: EmailMessage, name: str) -> str | None:
    value = message.get(name)
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _sender(message: EmailMessage) -> str | None:
    value = message.get("from")
    if value is None:
        return None
    for name, address in getaddresses([str(value)]):
        if name.strip() or address.strip():
            return " ".join((name or address).split())
    return None


def _date(message: EmailMessage) -> str | None:
    value = message.get("date")
    when = getattr(value, "datetime", None)
    return when.isoformat() if when is not None else None


def _content(part: MIMEPart, where: str) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        raise InputError(f"{where}: the message has no readable text part", path=where)
    return content


def read_message(data: bytes, where: str) -> Extracted:
    """The article in one e-mail message's bytes; InputError when it has no text."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise InputError(
            f"{where}: not an e-mail message (no headers); save the message as .eml", path=where
        )
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise InputError(
            f"{where}: the message has no text/plain or text/html part (only attachments?)",
            path=where,
        )
    content = _content(part, where)
    if part.get_content_subtype() == "html":
        text = extract_page(content, where).text
    else:
        text = strip_furniture(content)
    if not text.strip():
        raise InputError(
            f"{where}: the message holds no text once quoted replies and the signature are "
            "left out",
            path=where,
        )
    return Extracted(
        text=text,
        title=_header(message, "subject"),
        outlet=_sender(message),
        published=_date(message),
    )


def mbox_messages(path: Path, max_bytes: int) -> Iterator[bytes | InputError]:
    """The raw bytes of each message of the mailbox at ``path``, in order (a message over
    ``max_bytes`` is an InputError in its place). The file is only read."""
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            data = box.get_bytes(key)
            if len(data) > max_bytes:
                yield InputError(
                    f"message of {len(data):,} bytes is over the {max_bytes:,}-byte limit"
                )
                continue
            yield data
    finally:
        box.close()
