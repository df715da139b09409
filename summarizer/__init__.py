"""summarizer: many news articles in, one sourced morning brief out.

    >>> from summarizer import brief
    >>> briefing = brief("fixtures/articles", backend="rules")  # doctest: +SKIP
    >>> briefing.quotes[0].citations[0].text  # doctest: +SKIP

Every quote, figure, stance and summary sentence in a Briefing cites ``article_id``, ``start``
and ``end``, and ``article.text[start:end]`` is exactly the cited text.

The public surface is ``__all__``: the entry points (``brief``, ``abrief``, ``extract``,
``aextract``, ``Summarizer``), ``Settings``, the ``Backend`` protocols for a backend of your
own, every data type a Briefing or an ArticleExtraction is made of, and the error tree::

    SummarizerError
    ├── ConfigError     a setting, config file or backend configuration is wrong
    ├── UsageError      a call or command line that cannot work (a folder given as one file)
    ├── InputError      no article could be read
    ├── OutputError     the brief could not be written
    ├── BackendError    the backend failed (an unreachable server, a wrong answer)
    └── InternalError   a bug: please report it
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
from .extract import AsyncBackend, Backend
from .models import (
    Article,
    ArticleExtraction,
    ArticleFailure,
    ArticleHead,
    ArticleReport,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyFigure,
    CasualtyRow,
    Citation,
    Excluded,
    ExtractionTotals,
    Fallback,
    Figure,
    Quote,
    QuoteSpan,
    Sentence,
    Span,
    SpeakerCandidate,
    Stance,
    Story,
    SummaryLine,
    SummarySentence,
    Usage,
)
from .pipeline import Summarizer, abrief, aextract, brief, extract

__all__ = [
    "Article",
    "ArticleExtraction",
    "ArticleFailure",
    "ArticleHead",
    "ArticleReport",
    "AsyncBackend",
    "Backend",
    "BackendError",
    "BriefQuote",
    "BriefStance",
    "Briefing",
    "CasualtyFigure",
    "CasualtyRow",
    "Citation",
    "ConfigError",
    "Excluded",
    "ExtractionTotals",
    "Fallback",
    "Figure",
    "InputError",
    "InternalError",
    "OutputError",
    "Quote",
    "QuoteSpan",
    "Sentence",
    "Settings",
    "Span",
    "SpeakerCandidate",
    "Stance",
    "Story",
    "Summarizer",
    "SummarizerError",
    "SummaryLine",
    "SummarySentence",
    "Usage",
    "UsageError",
    "__version__",
    "abrief",
    "aextract",
    "brief",
    "extract",
]
