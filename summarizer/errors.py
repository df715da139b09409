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
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base of every error summarizer raises on purpose."""


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
