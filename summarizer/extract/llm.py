"""The ``llm`` backend: instructor over any OpenAI-compatible server, grounded by ids.

One article, one conversation:

1. The prompt (``prompts/extract.j2``) shows the article as numbered sentences ``[S3]`` and
   numbered quotations ``[Q2]``. The model answers with ids and its own labels only
   (``ArticleLabels``: who said Q2; in S5, how many were killed and who; whose stance S7 is).
   It never copies text, so it writes few tokens, and every quote we return is
   ``article.text[start:end]`` of a span ingest found: verbatim by construction.
2. The validators (``llm_schema``) read the article from instructor's validation context and
   check every item: ids exist, speakers and actors are named in the article or described
   with its words near the item ("Harbour Freight spokeswoman", "striking dockers"), a count stands
   in the sentence it cites, lists are bounded. Every grounded answer passes, so a right
   answer never costs a re-ask.
3. What fails is re-asked by instructor with the validators' messages, at most ``max_reasks``
   times and only while the article's tokens, plus the estimated size of the next request,
   stay within ``token_budget``.
4. What is still invalid then is judged item by item, on the best answer received (so one bad
   item costs only itself): a quote takes the rules backend's answer for the same span, a
   casualty figure or stance the rules items of the same sentence, or it is dropped. Quotation
   spans the model left out take the rules answer too. Every case is listed in
   ``ArticleExtraction.fallbacks`` and every drop counted in ``dropped``.
5. Every speaker is cross-checked with the rules' reading of the text (``Quote.speaker_check``):
   agreed, model_only (the text has no frame), rules_only (the rules' answer stands alone), or
   disputed. Where they differ, a strong frame next to the quote ('"...," X said') wins and
   the model's answer is kept as ``model_speaker``; a weak one (a pronoun, a description, a
   previous speaker carried over, a headline) yields to the model's grounded answer and is
   kept as ``rules_speaker``. Either way the quote is disputed, never silently settled. Where
   the rules are silent, the model's answer is model_only only when the text frames that
   speaker next to the quote (named, outside any quotation, in its sentence, the one before
   or the paragraph before, followed by a verb of speech: "The government says", after
   "according to", as a document's author: "a letter from X"; never a passive's subject), or
   when the quote's frame names no person and the model names who stands behind it (the
   document itself: "according to the document"; whoever the text says issued "the
   statement"; a court's presiding judge: "court heard"); else it is disputed (a name from
   elsewhere, or the person the quote is about). ``merge`` then checks each quote across the
   story's outlets.

Two kinds of retry, kept apart
------------------------------
- Transport (``llm_transport.Transport``, tenacity): 429 honouring Retry-After, 408/409/5xx,
  timeouts and connection errors; exponential backoff with full jitter; ``max_attempts`` per
  request and one ``deadline`` per article. The SDK's own retries are off (``max_retries=0``).
  instructor is patched over ``Transport.create`` (``instructor.patch(create=...)``), so it
  only ever sees a completion or a final ``BackendError``.
- Validation (instructor's ``max_retries``): a tenacity ``Retrying`` that retries only parse
  and validation errors and stops on ``max_reasks`` or the budget. A re-ask is a new request
  with its own transport retries; transport failures never count as re-asks.

Every answered request, re-asks included, is counted (instructor's ``completion:response``
hook) in ``ArticleExtraction.usage``.

Modes: ``tools`` (default; forced function call), ``json_schema`` (OpenAI structured
outputs), ``json`` (``response_format`` ``json_object`` with the schema, which llama.cpp turns
into a grammar). llama.cpp answers HTTP 500 to ``json_schema``; the transport then switches
to ``json_object`` with the schema, once, for the rest of the backend's life.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import httpx2
import instructor
import jiter
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorError
from instructor.core.hooks import Hooks
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception_type
from tenacity.stop import stop_after_attempt, stop_base

from ..config import Settings
from ..errors import BackendError, ConfigError
from ..models import (
    Article,
    ArticleExtraction,
    CasualtyFigure,
    Fallback,
    Quote,
    QuoteSpan,
    Span,
    SpeakerCheck,
    Stance,
    Usage,
    attribution_evidence,
)
from ..textutil import STOPWORDS, fold
from .llm_prompt import render_extract, template_sha256
from .llm_schema import (
    CONTEXT_KEY,
    VAGUE_RE,
    ArticleLabels,
    CasualtyLabel,
    Grounding,
    Judged,
    QuoteLabel,
    StanceLabel,
    judge,
    numbers_in,
    same_speaker,
)
from .llm_transport import ServerQuirks, Transport
from .rules.lexicon import CAPITALS, DOCUMENT_NOUNS, SPEECH_VERBS, country_demonym

__all__ = ["LLMBackend"]

OPENAI_URL = "https://api.openai.com/v1"
# Local servers want no key, but the SDK insists on one.
PLACEHOLDER_KEY = "sk-no-key-needed"
MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}
# instructor renders message contents as Jinja templates with the validation context. The
# prompt therefore travels as a context variable, so article text is never read as a template.
_MESSAGES = [
    {"role": "system", "content": "{{ summarizer_system }}"},
    {"role": "user", "content": "{{ summarizer_user }}"},
]
# pydantic's ValidationError, JSON errors and instructor's ResponseParsingError are ValueErrors.
_REASKABLE = (ValidationError, ValueError)
_Item = TypeVar("_Item", bound=Span)
_WORD_RE = re.compile(r"\w+")
_FRAME_WORDS = 6  # "The senator said", "Ostrova's public statement, when she boasted"
_FRAME_BEFORE = 1  # sentences before the quote's own where its speaker may be framed
# Verbs of speech, and what someone issues ("Marsh's statement also included").
_SPEAKING = SPEECH_VERBS | {
    "ruled",
    "rules",
    "bragged",
    "boasted",
    "notes",
    "chanted",
    "statement",
    "remarks",
    "comments",
    "letter",
    "speech",
}
_PREPOSITIONS = frozenset({"of", "on", "for", "at", "in", "from"})
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
# "according to X", "according to the regional council": a few lower-case words between.
_ACCORDING_TO_RE = re.compile(
    r"\b[Aa]ccording to\s+(?:(?!(?:of|on|for|at|in|from|to|by|with)\s)[a-z][\w-]*\s+){0,3}$"
)
# Documents someone authors, and their author after them ("a letter from the harbour
# authority's chair, Dame Ada Lind", "a statement by X").
_AUTHORED = (
    "letter|statement|release|announcement|communiqu[eé]|message|memo|email|tweet|note|report"
)
_AUTHORED_BY_RE = re.compile(
    rf"\b(?P<noun>{_AUTHORED})s?\s+(?:signed\s+|written\s+|sent\s+)?(?:from|by)\s+"
    r"(?:[^.;:!?\"“”,]{0,60},\s+)?(?:(?:the|Sir|Dame|Dr\.?|Mr\.?|Mrs\.?|Ms\.?)\s+)?$"
)
# A document its issuer issued, after the issuer's name ("X provided a charter statement",
# "X's letter", "X said in a statement").
_ISSUED_RE = re.compile(
    r"(?:['’]s\s+|[^.;:!?\"“”]{0,40}?\b(?:issued|released|published|sent|put\s+out|provided"
    r"|delivered|wrote|signed|filed|tabled|submitted|posted|tweeted|(?:said|wrote)\s+in)\s+"
    r"(?:a|an|the|its|his|her|their)\s+)(?P<noun>(?:[a-z][\w-]*\s+){0,2}[a-z]+)\b"
)
# A frame naming no person: a court ...
_COURT_FRAME_RE = re.compile(r"\b[Cc]ourt\s+(?:heard|was\s+told)\b|\bheard\s+in\s+court\b")
# ... or a document with its determiner ("the document", "a release", "That statement").
_DETERMINED_RE = re.compile(
    r"\b(?P<det>[Tt]he|[Aa]n?|[Tt]hat|[Tt]his|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w-]*\s+){0,2}$"
)
_NO_LABELS = ArticleLabels(quotes=[], casualties=[], stances=[])


class FallbackExtractor(Protocol):
    """What the backend needs of its fallback: the rules backend's ``extract``."""

    def extract(self, article: Article) -> ArticleExtraction: ...


def _source_hash() -> str:
    """The grounding code's own hash: change a validator and cached answers stop being served."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("llm*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


SCHEMA_SHA256 = hashlib.sha256(
    json.dumps(ArticleLabels.model_json_schema(), sort_keys=True).encode()
).hexdigest()


# --- one article's bookkeeping ----------------------------------------------------------------


@dataclass
class _Tracker:
    """Every completion of one article (re-asks included), with its tokens."""

    responses: list[ChatCompletion] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    budget_stopped: bool = False

    def on_response(self, response: Any) -> None:
        if not isinstance(response, ChatCompletion):
            return
        self.responses.append(response)
        if response.usage is not None:
            self.prompt_tokens += response.usage.prompt_tokens
            self.completion_tokens += response.usage.completion_tokens

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:response", self.on_response)
        return hooks

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def usage(self) -> Usage:
        requests = len(self.responses)
        return Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            requests=requests,
            reasks=max(requests - 1, 0),
        )


class _WithinBudget(stop_base):
    """Stop re-asking when the next request would overrun the article's token budget.

    A re-ask resends the conversation plus the last answer and the errors, so it costs about
    the last prompt, twice the last completion and the error text.
    """

    def __init__(self, tracker: _Tracker, budget: int) -> None:
        self._tracker = tracker
        self._budget = budget

    def __call__(self, retry_state: RetryCallState) -> bool:
        if not self._tracker.responses:
            return False
        usage = self._tracker.responses[-1].usage
        last_prompt = usage.prompt_tokens if usage else 0
        last_completion = usage.completion_tokens if usage else 0
        outcome = retry_state.outcome
        error_tokens = len(str(outcome.exception())) // 3 if outcome else 0
        upcoming = last_prompt + 2 * last_completion + error_tokens
        stop = self._tracker.tokens + upcoming > self._budget
        self._tracker.budget_stopped = self._tracker.budget_stopped or stop
        return stop


@dataclass
class _Call:
    """Everything one article's extraction needs and learns."""

    article: Article
    grounding: Grounding
    transport: Transport
    tracker: _Tracker = field(default_factory=_Tracker)
    failure: str | None = None

    def context(self) -> dict[str, Any]:
        prompt = render_extract(self.article)
        return {
            CONTEXT_KEY: self.grounding,
            "summarizer_system": prompt.system,
            "summarizer_user": prompt.user,
        }


def raw_answer(response: ChatCompletion) -> Any:
    """The JSON a completion carries (tool arguments or content), parsed leniently, or None.

    A truncated answer is read as far as it goes (jiter's partial mode), so the items it
    completed can still be judged.
    """
    if not response.choices:
        return None
    message = response.choices[0].message
    text: str | None = None
    for call in message.tool_calls or []:
        function = getattr(call, "function", None)
        text = getattr(function, "arguments", None)
        break
    if text is None and message.function_call is not None:
        text = message.function_call.arguments
    if text is None:
        text = message.content
    if not text:
        return None
    fenced = re.search(r"```(?:json)?\s*(.*?)(?:```|$)", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    start = text.find("{")
    if start < 0:
        return None
    # Small models put raw newlines in strings; as spaces they cost nothing and parse.
    text = re.sub(r"[\x00-\x1f]", " ", text[start:])
    try:
        return jiter.from_json(text.encode(), partial_mode=True)
    except ValueError:
        return None


def _backend_error(error: BaseException) -> BackendError | None:
    """The transport's BackendError, if that is what instructor wrapped."""
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:  # a chain can loop back on itself
        visited.add(id(seen))
        if isinstance(seen, BackendError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _as_country(label: str) -> str:
    """A country or its capital as the country's demonym ("France", "Paris" ->
    "French"; "Paris's naval staff" -> "French naval staff")."""
    demonym = country_demonym(label)
    if demonym is not None:
        return demonym
    words = [CAPITALS.get(w.casefold(), w) for w in re.sub(r"['’]s\b", "", label).split()]
    out: list[str] = []
    i = 0
    while i < len(words):  # "South Korea's Joint Chiefs" -> "South Korean Joint Chiefs"
        for n in (3, 2, 1):
            demonym = country_demonym(" ".join(words[i : i + n])) if i + n <= len(words) else None
            if demonym is not None and words[i][:1].isupper():
                out.append(demonym)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _one_speaker(model: str, rules: str) -> bool:
    """Whether the model's and the rules' labels name one speaker: ``same_speaker``, a
    country or its capital read as its government ("North Korea", "North Korean government")
    included."""
    if same_speaker(model, rules):
        return True
    return same_speaker(_as_country(model), _as_country(rules))


# --- the backend ------------------------------------------------------------------------------


class LLMBackend:
    """Extraction by a model behind an OpenAI-compatible API, grounded and re-asked.

    ``rules`` answers what the model gets wrong (``RulesBackend()`` when not given).
    ``http_client`` and ``async_http_client`` (a factory: one client per article, closed after
    it) are the transport seam for tests and proxies; ``sleep`` / ``asleep`` replace the
    backoff's waits in tests.
    """

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        rules: FallbackExtractor | None = None,
        *,
        http_client: httpx2.Client | None = None,
        async_http_client: Callable[[], httpx2.AsyncClient] | None = None,
        sleep: Callable[[float], None] | None = None,
        asleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        if not settings.model:
            raise ConfigError(
                "the llm backend needs a model: pass --model, set SUMMARIZER_MODEL, or put "
                'model = "..." in summarizer.toml'
            )
        if settings.api_key is None and not settings.base_url:
            raise ConfigError(
                "the llm backend needs an API key for OpenAI: set OPENAI_API_KEY, or point "
                "--base-url at a local OpenAI-compatible server"
            )
        if rules is None:
            from .rules import RulesBackend

            rules = RulesBackend()
        self.settings = settings
        self.model: str = settings.model
        self.base_url = (settings.base_url or OPENAI_URL).rstrip("/")
        self._rules = rules
        self._mode = MODES[settings.mode]
        self._api_key = settings.api_key.get_secret_value() if settings.api_key else PLACEHOLDER_KEY
        self._http_client = http_client
        self._async_http_client = async_http_client
        self._sleep = sleep
        self._asleep = asleep
        self._quirks = ServerQuirks()
        self._client: openai.OpenAI | None = None
        self._source = _source_hash()

    # -- identity ----------------------------------------------------------------------------

    def cache_key(self) -> dict[str, str]:
        """Everything besides the article that changes the answer (not timeouts or retries)."""
        key = {
            "backend": self.name,
            "model": self.model,
            "base_url": self.base_url,
            "mode": self.settings.mode,
            "temperature": repr(self.settings.temperature),
            "max_output_tokens": str(self.settings.max_output_tokens),
            "max_reasks": str(self.settings.max_reasks),
            "token_budget": str(self.settings.token_budget),
            "prompt_sha256": template_sha256(),
            "schema_sha256": SCHEMA_SHA256,
            "grounding": self._source,
        }
        rules_key = getattr(self._rules, "cache_key", None)
        if callable(rules_key):
            key["fallback"] = json.dumps(rules_key(), sort_keys=True)
        return key

    # -- clients -----------------------------------------------------------------------------

    def _sync_client(self) -> openai.OpenAI:
        if self._client is None:
            self._client = openai.OpenAI(
                base_url=self.base_url,
                api_key=self._api_key,
                max_retries=0,
                timeout=self.settings.timeout,
                http_client=self._http_client,
            )
        return self._client

    def close(self) -> None:
        """Close the synchronous client (and its connections); a later call opens a new one.
        Async clients need no closing here: each is closed when its article is done."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _async_client(self) -> openai.AsyncOpenAI:
        # One per article, closed when it is done: an async client belongs to the event loop
        # it was opened in, and callers may run each batch in a new loop (asyncio.run).
        return openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=self._api_key,
            max_retries=0,
            timeout=self.settings.timeout,
            http_client=self._async_http_client() if self._async_http_client else None,
        )

    def _transport(self, **clients: Any) -> Transport:
        options: dict[str, Any] = {}
        if self._sleep is not None:
            options["sleep"] = self._sleep
        if self._asleep is not None:
            options["asleep"] = self._asleep
        return Transport(
            base_url=self.base_url,
            model=self.model,
            timeout=self.settings.timeout,
            deadline=self.settings.deadline,
            max_attempts=self.settings.max_attempts,
            mode=self.settings.mode,
            schema=ArticleLabels.model_json_schema(),
            quirks=self._quirks,
            secret=self.settings.api_key.get_secret_value() if self.settings.api_key else None,
            **clients,
            **options,
        )

    def _request(self, call: _Call, reasks: Retrying | AsyncRetrying) -> dict[str, Any]:
        return {
            "response_model": ArticleLabels,
            "messages": [dict(m) for m in _MESSAGES],
            "context": call.context(),
            "max_retries": reasks,
            "strict": False,  # lenient on types ("Q3" for 3), strict on grounding
            "hooks": call.tracker.hooks(),
            "model": self.model,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_output_tokens,
        }

    def _policy(self, tracker: _Tracker) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.settings.max_reasks + 1)
            | _WithinBudget(tracker, self.settings.token_budget),
            "retry": retry_if_exception_type(_REASKABLE),
            "reraise": True,
        }

    # -- extraction --------------------------------------------------------------------------

    def extract(self, article: Article) -> ArticleExtraction:
        client = self._sync_client()
        call = _Call(
            article, Grounding(article), self._transport(create=client.chat.completions.create)
        )
        if not article.sentences:  # all furniture: nothing to ask about
            return self._assemble(call, _NO_LABELS)
        create = instructor.patch(create=call.transport.create, mode=self._mode)
        labels: ArticleLabels | None = None
        try:
            labels = create(**self._request(call, Retrying(**self._policy(call.tracker))))
        except InstructorError as error:
            call.failure = self._failure(error, call)
        return self._assemble(call, labels)

    async def aextract(self, article: Article) -> ArticleExtraction:
        async with self._async_client() as client:
            return await self._aextract(article, client)

    async def _aextract(self, article: Article, client: openai.AsyncOpenAI) -> ArticleExtraction:
        call = _Call(
            article, Grounding(article), self._transport(acreate=client.chat.completions.create)
        )
        if not article.sentences:
            return self._assemble(call, _NO_LABELS)
        create = cast(
            Callable[..., Awaitable[ArticleLabels]],
            instructor.patch(create=call.transport.acreate, mode=self._mode),
        )
        labels: ArticleLabels | None = None
        try:
            labels = await create(
                **self._request(call, AsyncRetrying(**self._policy(call.tracker)))
            )
        except InstructorError as error:
            call.failure = self._failure(error, call)
        return self._assemble(call, labels)

    def _failure(self, error: InstructorError, call: _Call) -> str:
        """Why the model's answer was not accepted whole; a transport failure is raised."""
        backend = _backend_error(error)
        if backend is not None and not call.tracker.responses:
            raise backend from None
        if backend is not None:  # a re-ask failed: the answers already paid for still count
            return f"re-ask failed: {backend}"
        if isinstance(error, IncompleteOutputException):
            return f"answer cut off at max_output_tokens={self.settings.max_output_tokens}"
        cause = error.__cause__
        if cause is not None and not isinstance(cause, ValueError):
            return f"no usable answer ({type(cause).__name__}: {cause})"  # e.g. a refusal
        if call.tracker.budget_stopped:
            return f"still invalid when the token budget ({self.settings.token_budget}) ran out"
        return f"still invalid after {max(len(call.tracker.responses) - 1, 0)} re-ask(s)"

    # -- from labels to an extraction --------------------------------------------------------

    def _judged(self, call: _Call, labels: ArticleLabels | None) -> Judged:
        if labels is not None:
            return Judged(
                quotes=list(labels.quotes),
                casualties=list(labels.casualties),
                stances=list(labels.stances),
            )
        # Every answer was paid for: judge each one item by item and keep the one with the
        # most valid items; among equals, one that parsed (so the fallbacks say what was wrong)
        # with the fewest rejections (small models degrade as they loop), then the latest.
        ranked = [judge(raw_answer(r), call.grounding) for r in call.tracker.responses]
        return max(
            reversed(ranked),
            key=lambda j: (j.accepted, bool(j.rejected), -len(j.rejected)),
            default=Judged(),
        )

    def _assemble(self, call: _Call, labels: ArticleLabels | None) -> ArticleExtraction:
        article = call.article
        judged = self._judged(call, labels)
        rules = self._rules.extract(article)
        out = _Assembly(article, call.grounding, rules, call.failure)
        out.add_quotes(judged)
        out.add_casualties(judged)
        out.add_stances(judged)
        return ArticleExtraction(
            article_id=article.id,
            backend=self.name,
            model=self.model,
            quotes=out.quotes,
            casualties=sorted(out.casualties, key=lambda c: (c.start, c.end)),
            stances=sorted(out.stances, key=lambda s: (s.start, s.end)),
            summary=rules.summary,
            fallbacks=out.fallbacks,
            dropped=out.dropped,
            usage=call.tracker.usage(),
        )


@dataclass
class _Assembly:
    """Turns judged labels into grounded items, with the rules answer where the model failed."""

    article: Article
    grounding: Grounding
    rules: ArticleExtraction
    failure: str | None
    quotes: list[Quote] = field(default_factory=list)
    casualties: list[CasualtyFigure] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)
    dropped: int = 0

    def _why(self, reason: str) -> str:
        return f"{reason} ({self.failure})" if self.failure else reason

    def _fall_back(self, item: str, reason: str) -> None:
        self.fallbacks.append(Fallback(item=item, reason=f"{reason}; rules answer used"))

    def _drop(self, item: str, reason: str) -> None:
        self.dropped += 1
        self.fallbacks.append(Fallback(item=item, reason=f"{reason}; dropped"))

    def _sentence_span(self, index: int) -> Span:
        sentence = self.article.sentences[index]
        return Span(start=sentence.start, end=sentence.end)

    # quotes

    def _quote(self, span: QuoteSpan, speaker: str, rule: Quote | None) -> Quote:
        """The model's grounded speaker, cross-checked with the rules' reading of the text.

        Agreed when both name the same speaker; model_only when the text has no frame; where
        they differ, the text's strong frame ('"...," X said') wins over the model, and a weak
        one (a pronoun, a description, context) yields to it: disputed either way, both
        candidates kept on the quote.
        """
        sentence = self._sentence_span(span.sentence)
        speaker_span = self.grounding.find_name(speaker, near=sentence)
        if speaker_span is None:  # a description ("Harbour Freight spokeswoman"): its word nearest
            window = self.grounding.quote_window(span.id)
            speaker_span = self.grounding.find_description(speaker, window) if window else None
        explicit = speaker_span is not None and (
            sentence.start <= speaker_span.start and speaker_span.end <= sentence.end
        )
        text = self.article.text[span.start : span.end]
        if rule is None or rule.speaker is None:
            # No frame to compare with: the model's answer stands only where the text names
            # that speaker next to the quote (its sentence or the one before, outside any
            # quotation); a name from elsewhere, or from inside the words, is disputed.
            near = self._beside(span, speaker, speaker_span)
            if not near:  # "according to the document", "court heard": the one behind it
                frame = self._unnamed_frame(span)
                near = frame is not None and self._answers_frame(span, speaker, frame)
            check: SpeakerCheck = "model_only" if near else "disputed"
        elif _one_speaker(speaker, rule.speaker):
            check = "agreed"
        else:
            check = "disputed"
        evidence = attribution_evidence(rule.attribution) if rule and rule.speaker else None
        if evidence == "strong" and self.article.sentences[span.sentence].heading:
            evidence = "weak"  # a headline's frame compresses: "U.S. warns of '...'"
        if check == "disputed" and rule is not None and evidence == "strong":
            return rule.model_copy(
                update={
                    "model_speaker": speaker,
                    "rules_speaker": None,
                    "rules_evidence": evidence,
                    "speaker_check": check,
                }
            )
        return Quote(
            start=span.start,
            end=span.end,
            text=text,
            speaker=speaker,
            speaker_span=speaker_span,
            fragment=span.fragment,
            attribution="explicit" if explicit else "context",
            rules_speaker=rule.speaker if rule is not None and check == "disputed" else None,
            rules_evidence=evidence,
            speaker_check=check,
        )

    def _beside(self, span: QuoteSpan, speaker: str, speaker_span: Span | None) -> bool:
        """Whether the text frames ``speaker`` as the one speaking next to quotation ``span``:
        in its sentence or the one before, outside any quotation (the person a quote is
        about is no speaker), its name (or last word: a surname, a description's head noun;
        or its initials: "HSO") followed within a few words by a verb of speech ("The
        government says", "Lind's statement, when she boasted"), following "according to"
        ("according to the county council"), or named as a document's author ("a letter
        from the harbour authority's chair, Dame Ada Lind"); never as a passive's subject
        ("X was accused of")."""
        sentences = self.article.sentences
        first = sentences[max(span.sentence - _FRAME_BEFORE, 0)]
        # ... or anywhere from the paragraph before on: a quote paragraph after its speaker
        # was framed.
        para = sentences[span.sentence].paragraph - 1
        first = next(
            (x for x in sentences if x.paragraph >= para and x.start <= first.start), first
        )
        last = sentences[span.sentence]
        text = self.article.text
        named = set(_WORD_RE.findall(fold(speaker))) | {"s"}  # the rest of the name, "'s"

        def speaks(start: int, end: int) -> bool:
            after = _WORD_RE.findall(fold(text[end : min(end + 80, last.end)]))[:_FRAME_WORDS]
            verb = next((i for i, w in enumerate(after) if w not in named), len(after))
            passive = after[verb : verb + 1] and after[verb] in _PASSIVE
            if passive and after[verb + 1 : verb + 2] and after[verb + 1] in SPEECH_VERBS:
                return False  # "X was accused of '...'", "X was told": X did not say it
            before = text[max(first.start, start - 120) : start]
            return (
                any(w in _SPEAKING for w in after)
                or _ACCORDING_TO_RE.search(before) is not None
                or _AUTHORED_BY_RE.search(before) is not None
            )

        spans = {q.id: q for q in self.article.quote_spans}
        chain = {span.id}  # with the quotations this one continues: they share its frame
        current = span
        while current.continues in spans and current.continues not in chain:
            chain.add(current.continues)
            current = spans[current.continues]

        def frames_another(at: int) -> bool:
            """The name's sentence frames a quotation of its own ('X said: "..."' before an
            unframed quote): that frame is spent on that quotation, not on this one."""
            own = next((x for x in sentences if x.start <= at < x.end), last)
            return own is not last and any(
                own.start <= q.start < own.end and q.id not in chain
                for q in self.article.quote_spans
            )

        return any(
            speaks(a, b) and not frames_another(a)
            for a, b in self._places(speaker, speaker_span, first.start, last.end)
        )

    def _places(
        self, speaker: str, speaker_span: Span | None, lo: int, hi: int
    ) -> list[tuple[int, int]]:
        """Where ``speaker`` is named in ``[lo, hi)`` outside any quotation: its span, its
        last word and its head noun ("Ana Ruiz", "High Court of Kessland"), each
        capitalised word of a name ("Kim" of "Kim Jong Un"), its initials ("HCSO" for
        "Harlow County Sheriff's Office")."""
        text = self.article.text
        places: list[tuple[int, int]] = []
        if speaker_span is not None and lo <= speaker_span.start < hi:
            places.append((speaker_span.start, speaker_span.end))
        words = _WORD_RE.findall(fold(re.sub(r"['’]s\b", "", speaker)))
        head = next((i for i, w in enumerate(words) if i and w in _PREPOSITIONS), len(words))
        heads = {w for w in words[head - 1 : head] + words[-1:] if w not in STOPWORDS}
        capitals = [
            w
            for w in _WORD_RE.findall(re.sub(r"['’]s\b", "", speaker))
            if w[:1].isupper() and fold(w) not in STOPWORDS
        ]
        heads |= {fold(w) for w in capitals if len(w) >= 3}
        initials = "".join(w[0] for w in capitals) if len(capitals) >= 2 else ""
        for m in _WORD_RE.finditer(text, lo, hi):
            if fold(m.group()) in heads or (initials and m.group() == initials):
                places.append((m.start(), m.end()))
        return [
            (a, b)
            for a, b in places
            if not any(q.start <= a < q.end for q in self.article.quote_spans)
        ]

    def _unnamed_frame(self, span: QuoteSpan) -> tuple[str, bool] | None:
        """The frame of quotation ``span`` when it names no person, and whether it is
        definite (a document the text spoke of before): a document ("according to the
        document", "The statement ..., saying", "a release notes": its noun) or a court
        ("court heard": "court"), in its sentence or the one before, outside any
        quotation."""
        sentences = self.article.sentences
        first = sentences[max(span.sentence - _FRAME_BEFORE, 0)]
        last = sentences[span.sentence]
        text = self.article.text
        spans = self.article.quote_spans

        def outside(at: int) -> bool:
            return not any(q.start <= at < q.end for q in spans)

        for m in _COURT_FRAME_RE.finditer(text, first.start, last.end):
            if outside(m.start()):
                return "court", True
        for m in _WORD_RE.finditer(text, first.start, last.end):
            noun = fold(m.group())
            if noun not in DOCUMENT_NOUNS or not outside(m.start()):
                continue
            determined = _DETERMINED_RE.search(text[max(first.start, m.start() - 40) : m.start()])
            if determined is None:
                continue  # "Lind's letter" names its author; "the report" names none
            before = text[max(first.start, m.start() - 60) : m.start()]
            quoted = [q.start for q in spans if q.start >= m.end()]  # not the words quoted
            clause = re.split(r"[.;:!?]", text[m.end() : min([last.end, *quoted])])[0]
            verbs = _WORD_RE.findall(fold(clause))
            if _ACCORDING_TO_RE.search(before) or any(w in SPEECH_VERBS for w in verbs):
                return noun, fold(determined.group("det")) not in ("a", "an")
        return None

    def _answers_frame(self, span: QuoteSpan, speaker: str, found: tuple[str, bool]) -> bool:
        """Whether ``speaker`` is who stands behind a frame naming no person: the document
        itself ("the draft declaration"); for a document the text spoke of before ("the
        statement"), whoever the text says issued one before the quote ("The minister
        provided a charter statement", "X's letter", "a letter from X"; not "X defended
        the document"); for a court, its judge ("Justice X", "X, who presided")."""
        frame, definite = found
        text = self.article.text
        words = _WORD_RE.findall(fold(re.sub(r"['’]s\b", "", speaker)))
        head = next((i for i, w in enumerate(words) if i and w in _PREPOSITIONS), len(words))
        if frame != "court" and any(w in DOCUMENT_NOUNS for w in words[head - 1 : head]):
            return True  # the document speaking for itself
        if not definite:
            return False  # "according to a release": which one, and whose, is not said
        end = self.article.sentences[span.sentence].end
        for start, stop in self._places(speaker, None, 0, end):
            if frame == "court":
                if re.search(
                    r"\b(?:Justice|Judge)\s+(?:[A-Z][\w.'’-]*\s+){0,2}$",
                    text[max(0, start - 40) : start],
                ) or re.match(r"[\w\s.'’-]{0,30},\s+who\s+presided", text[stop : stop + 40]):
                    return True
                continue
            issued = _ISSUED_RE.match(text, stop, min(stop + 80, len(text)))
            nouns = _WORD_RE.findall(fold(issued.group("noun"))) if issued else []
            if frame.rstrip("s") in [n.rstrip("s") for n in nouns]:
                return True  # "X provided a charter statement", "X's letter"
            before = text[max(0, start - 120) : start]
            authored = _AUTHORED_BY_RE.search(before)
            if authored is not None and fold(authored.group("noun")) == frame:
                return True  # "a letter from the ambassador, Sir X"
        return False

    def _rules_quote(self, rule: Quote) -> Quote:
        """The rules' answer standing alone (no model answer for it), its evidence shown."""
        if rule.speaker is None:
            return rule
        return rule.model_copy(
            update={
                "rules_evidence": attribution_evidence(rule.attribution),
                "speaker_check": "rules_only",
            }
        )

    def add_quotes(self, judged: Judged) -> None:
        answers: dict[int, QuoteLabel] = {}
        for label in judged.quotes:
            answers.setdefault(label.quote, label)
        rejected: dict[int, str] = {}
        for bad in judged.rejected:
            if bad.kind != "quote":
                continue
            if bad.quote is None:
                self._drop(bad.label, self._why(bad.reason))
            else:
                rejected.setdefault(bad.quote.id, bad.reason)
        rules = {(q.start, q.end): q for q in self.rules.quotes}
        for span in self.article.quote_spans:
            answer = answers.get(span.id)
            rule = rules.get((span.start, span.end))
            item = f"quote Q{span.id}"
            if answer is not None and answer.speaker is not None:
                self.quotes.append(self._quote(span, answer.speaker, rule))
            elif answer is not None:  # the model says nobody is named
                if rule is not None and rule.speaker is not None:
                    self._fall_back(item, "no speaker from the model")
                    self.quotes.append(self._rules_quote(rule))
                elif rule is not None:
                    self.quotes.append(self._rules_quote(rule))
                else:
                    self.quotes.append(
                        Quote(
                            start=span.start,
                            end=span.end,
                            text=self.article.text[span.start : span.end],
                            speaker=None,
                            fragment=span.fragment,
                            attribution="none",
                        )
                    )
            elif span.id in rejected:
                if rule is not None:
                    self._fall_back(item, self._why(rejected[span.id]))
                    self.quotes.append(self._rules_quote(rule))
                else:
                    self._drop(item, self._why(rejected[span.id]))
            elif rule is not None:
                self._fall_back(item, self._why("omitted by model"))
                self.quotes.append(self._rules_quote(rule))

    # casualties

    def _figure(self, label: CasualtyLabel) -> CasualtyFigure | None:
        """The model's figure, grounded. Named people are counted by their names when the
        model gives no number ("Ana Ruiz was arrested": the text states none, 1 was arrested)
        and listed in ``person``. The scope is the model's ("context": background, kept out
        of the toll); where it gives none, the rules' reading of the same figure in that
        sentence (an earlier event, a cumulative toll set apart stays apart). Whether it is a
        part of a larger figure the text gives, or a figure the text says was replaced, is
        the rules' reading of it too (the schema does not ask the model)."""
        sentence = self._sentence_span(label.sentence)
        people = self.grounding.named_people(label.group)
        count = label.count if label.count is not None else (len(people) or None)
        named = bool(people) and count == len(people)
        span = None
        if label.count is not None or not named:
            span = self.grounding.count_span(label.sentence, label.count, label.group)
        counterparts = self._counterparts(label, count, people if named else [])
        if span is None and named:
            span = self.grounding.name_in(people, sentence) or next(
                (Span(start=c.start, end=c.end) for c in counterparts), sentence
            )
        if span is None:
            return None
        # start/end cover the figure as stated ("three soldiers"); count_text is the count as
        # written ("three", "several", or "" when the text gives none), as the rules set it.
        phrase = self.article.text[span.start : span.end]
        if count is None:
            vague = VAGUE_RE.match(phrase)
            count_text = vague.group() if vague else ""
        else:
            count_text = next(
                (phrase[n.start : n.end] for n in numbers_in(phrase) if n.value == count), ""
            )
        return CasualtyFigure(
            start=span.start,
            end=span.end,
            status=label.status,
            count=count,
            count_text=count_text,
            group=" ".join(label.group.split()),
            attributed_to=label.reported_by,
            evidence=sentence,
            background=(
                label.scope == "context"
                if label.scope is not None
                else any(c.background for c in counterparts)
            ),
            person=" and ".join(people) if named else None,
            denial=next((c.denial for c in counterparts if c.denial is not None), None),
            part_of=any(c.part_of for c in counterparts),
            superseded=any(c.superseded for c in counterparts),
        )

    def _counterparts(
        self, label: CasualtyLabel, count: int | None, people: list[str]
    ) -> list[CasualtyFigure]:
        """The rules' figures of the label's status in its sentence that are the model's
        figure: the same named people, or (none named) the same count."""

        def same(rule: CasualtyFigure) -> bool:
            if people and rule.person:
                return any(same_speaker(a, b) for a in people for b in rule.person.split(" and "))
            return count is not None and rule.count == count

        in_sentence = self._in_sentence(self.rules.casualties, label.sentence)
        return [f for f in in_sentence if f.status == label.status and same(f)]

    def _add_figure(self, figure: CasualtyFigure) -> None:
        key = (figure.status, figure.count, figure.start, figure.end)
        if all((f.status, f.count, f.start, f.end) != key for f in self.casualties):
            self.casualties.append(figure)

    def add_casualties(self, judged: Judged) -> None:
        for label in judged.casualties:
            figure = self._figure(label)
            if figure is not None:
                self._add_figure(figure)
        for item in judged.rejected:
            if item.kind != "casualty":
                continue
            counterparts = self._in_sentence(self.rules.casualties, item.sentence)
            if counterparts:
                self._fall_back(item.label, self._why(item.reason))
                for figure in counterparts:
                    self._add_figure(figure)
            else:
                self._drop(item.label, self._why(item.reason))
        self._fill_omitted(self.rules.casualties, judged, "casualty", self._add_figure)

    def _fill_omitted(
        self, items: list[_Item], judged: Judged, kind: str, add: Callable[[Any], None]
    ) -> None:
        """Rules items in sentences the model said nothing about (neither answered nor
        rejected) are kept, so a weak model never yields a thinner brief than no model."""
        answered = judged.casualties if kind == "casualty" else judged.stances
        covered = {label.sentence for label in answered}
        covered |= {
            r.sentence for r in judged.rejected if r.kind == kind and r.sentence is not None
        }
        for index in range(len(self.article.sentences)):
            if index in covered:
                continue
            for item in self._in_sentence(items, index):
                self._fall_back(f"{kind} in S{index}", self._why("omitted by model"))
                add(item)

    # stances

    def _add_stance(self, stance: Stance) -> None:
        key = (fold(stance.actor), stance.start, stance.end)
        if all((fold(s.actor), s.start, s.end) != key for s in self.stances):
            self.stances.append(stance)

    def add_stances(self, judged: Judged) -> None:
        for label in judged.stances:
            self._add_stance(self._stance(label))
        for item in judged.rejected:
            if item.kind != "stance":
                continue
            counterparts = self._in_sentence(self.rules.stances, item.sentence)
            if counterparts:
                self._fall_back(item.label, self._why(item.reason))
                for stance in counterparts:
                    self._add_stance(stance)
            else:
                self._drop(item.label, self._why(item.reason))
        self._fill_omitted(self.rules.stances, judged, "stance", self._add_stance)

    def _stance(self, label: StanceLabel) -> Stance:
        sentence = self._sentence_span(label.sentence)
        window = self.grounding.sentence_window(label.sentence)
        return Stance(
            start=sentence.start,
            end=sentence.end,
            actor=label.actor,
            actor_span=self.grounding.find_label(label.actor, near=window),
            position=self.article.text[sentence.start : sentence.end],
        )

    def _in_sentence(self, items: list[_Item], sentence: int | None) -> list[_Item]:
        if sentence is None:
            return []
        span = self._sentence_span(sentence)
        return [x for x in items if span.start <= x.start < span.end]
