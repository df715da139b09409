"""One error tree for the whole library; every message says what to do next.

    SummarizerError
    ├── ConfigError      bad settings: unknown backend, missing model, unreadable config file
    ├── UsageError       the command asks for what cannot be done (``-o`` naming an input or a
    │                    folder); the CLI exits 2 before any work
    ├── InputError       an article cannot be read: empty, binary, undecodable, too large, bad JSON
    ├── OutputError      the brief cannot be written (disk full, no permission); the old file
    │                    at that path is left whole
    ├── BackendError     the extraction backend failed: server unreachable, model unknown, refusals
    └── InternalError    a bug in summarizer itself: please report it

The CLI prints ``error: <message>`` for any of these and never a traceback (``--debug``
re-raises). Library callers can catch ``SummarizerError`` and read ``str(error)``.

Secrets are redacted here, in one place (``redact``), for every message: the text of every
SummarizerError, and (through the CLI's logging filter) every log line. What is redacted: the
API key and any other secret registered by the settings (``add_secret``: the password or user
of a base URL such as ``https://user:KEY@host/v1`` and the value of a key-like query parameter
such as ``?api-key=KEY``), ``Bearer <token>`` anywhere, and, in any URL, its user information
and the values of key-like query parameters, registered or not.
"""

from __future__ import annotations

import base64
import logging
import re
import traceback
import urllib.parse
from typing import Any

REDACTED = "[redacted]"
# An Authorization value: RFC 6750's b64token after Bearer, or Basic credentials.
_BEARER = re.compile(r"(?i)\b(?:bearer|basic)\s+[\w.~+/-]+=*")
# user:password@ (or a bare token@) after a URL scheme.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@")
# Query or fragment parameters that carry credentials by name.
SECRET_PARAMETERS = (
    "api-key",
    "api_key",
    "apikey",
    "key",
    "token",
    "access_token",
    "access-token",
    "auth",
    "password",
    "secret",
    "sig",
    "signature",
    "code",
)
_PARAMETER = re.compile(
    r"(?i)([?&;#](?:" + "|".join(re.escape(p) for p in SECRET_PARAMETERS) + r")=)[^&#\s'\"]+"
)
_SECRETS: set[str] = set()
MIN_SECRET = 4  # shorter strings are not redacted by value (they would mangle any text)


def add_secret(value: str | None) -> None:
    """Redact ``value`` from every message from now on (process-wide; never removed)."""
    if value and len(value) >= MIN_SECRET:
        _SECRETS.add(value)
        quoted = urllib.parse.quote(value, safe="")
        if quoted != value:
            _SECRETS.add(quoted)


def secrets_of_url(url: str) -> list[str]:
    """The credentials a URL carries: its user and password, and key-like query values."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return []
    found = [p for p in (parts.username, parts.password) if p]
    if parts.username or parts.password:  # as an HTTP client sends them (Basic auth)
        pair = f"{urllib.parse.unquote(parts.username or '')}:"
        pair += urllib.parse.unquote(parts.password or "")
        found.append(base64.b64encode(pair.encode()).decode())
    for query in (parts.query, parts.fragment):
        for name, value in urllib.parse.parse_qsl(query, keep_blank_values=False):
            if name.lower() in SECRET_PARAMETERS and value:
                found.append(value)
    return [urllib.parse.unquote(s) for s in found] + found


def redact(text: str, secret: str | None = None) -> str:
    """``text`` without ``secret``, any registered secret, any ``Bearer <token>``, any URL's
    user information or key-like query values."""
    text = _BEARER.sub(REDACTED, text)
    text = _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    text = _PARAMETER.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    for value in sorted({*_SECRETS, *([secret] if secret else [])}, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def install_log_redaction() -> None:
    """Every log record from now on carries its message redacted (``redact``), whatever the
    handler: the CLI calls this, so that ``--debug`` logs of the HTTP libraries never show a
    key. Installed once per process."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "summarizer_redacts", False):
        return

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's to report
            return record
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatted now, redacted, and kept as text only: a handler cannot print the
            # exception's own (unredacted) message.
            text = "".join(traceback.format_exception(record.exc_info[1]))
            record.exc_text, record.exc_info = redact(text.rstrip("\n")), None
        return record

    redacting.summarizer_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting)


class SummarizerError(Exception):
    """Base of every error summarizer raises on purpose; its message is redacted (``redact``)."""

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(redact(str(message)), *args)


class ConfigError(SummarizerError):
    """The settings are wrong; the message names the setting and a valid value."""


class UsageError(SummarizerError):
    """The command line asks for something that cannot be done; nothing was read or written."""


class OutputError(SummarizerError):
    """The brief could not be written; the message names the real cause (disk full, ...)."""


class InputError(SummarizerError):
    """An article cannot be used; the message names the file and what to do with it."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class BackendError(SummarizerError):
    """The extraction backend failed after its retries."""

    def __init__(self, message: str, *, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


class InternalError(SummarizerError):
    """An invariant of summarizer itself broke: a bug to report, not a user mistake."""
