"""A wall-clock budget per article: past it, the article fails with its reason, the brief goes on.

The design is a cooperative deadline. ``article_budget(seconds, what)`` sets a deadline for
the current thread (``threading.local``: the in-process path, each worker process and each
``asyncio.to_thread`` worker have their own); ``check()`` raises ``ArticleTimeout`` once it
has passed. The rules' loops call ``check()`` once per sentence, clause, token run or
quotation, so an article stops within one such step of its budget, whether it runs in the
calling process (few articles, ``summarizer extract``) or in a worker process of the pool:
no thread to abandon, no process to kill, the worker goes on with the next article.
``check()`` is a comparison of two floats when a budget is set and a lookup when none is.

``ArticleTimeout`` is a ``SummarizerError``: the pipeline lists the article as failed with
its message ("took longer than 60 s: rules extraction of <path> ...").
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from ..errors import SummarizerError

_state = threading.local()


class ArticleTimeout(SummarizerError):
    """An article's extraction went past its ``article_seconds``."""


@contextlib.contextmanager
def article_budget(seconds: float | None, what: str) -> Iterator[None]:
    """Within the block, ``check()`` raises ArticleTimeout after ``seconds`` (None: never)."""
    previous = getattr(_state, "budget", None)
    _state.budget = None if seconds is None else (time.monotonic() + seconds, seconds, what)
    try:
        yield
    finally:
        _state.budget = previous


def check() -> None:
    """Raise ArticleTimeout when the current article's budget is spent."""
    budget = getattr(_state, "budget", None)
    if budget is not None and time.monotonic() > budget[0]:
        _state.budget = None  # raised once: the handlers above may still do a little work
        raise ArticleTimeout(
            f"took longer than {budget[1]:g} s: {budget[2]} was stopped; the article may be "
            "malformed (one pattern repeated, no sentence breaks); raise article_seconds in "
            "summarizer.toml to give it more time"
        )
