"""summarizer: many news articles in, one sourced morning brief out.

    >>> from summarizer import brief
    >>> briefing = brief(["fixtures/articles"], backend="rules")  # doctest: +SKIP
    >>> briefing.quotes[0].citations[0].text  # doctest: +SKIP

Every quote, figure, stance and summary sentence in a Briefing cites ``article_id``, ``start``
and ``end``, and ``article.text[start:end]`` is exactly the cited text.
"""

from ._version import __version__
from .config import Settings
from .errors import (
    BackendError,
    ConfigError,
    InputError,
    InternalError,
    OutputError,
    SummarizerError,
    UsageError,
)
from .models import ArticleExtraction, Briefing
from .pipeline import Summarizer, brief, extract

__all__ = [
    "ArticleExtraction",
    "BackendError",
    "Briefing",
    "ConfigError",
    "InputError",
    "InternalError",
    "OutputError",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "UsageError",
    "__version__",
    "brief",
    "extract",
]
