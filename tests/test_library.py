"""The library as a developer meets it: one path or many, async inside an event loop, a
context manager that closes its clients, a backend of one's own, the exported types, a short
repr. Real files, a real cache, the real llm backend over HTTP to a local test server."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest

import summarizer
from summarizer import (
    Article,
    ArticleExtraction,
    Backend,
    Briefing,
    BriefQuote,
    CasualtyRow,
    Citation,
    Figure,
    Quote,
    Summarizer,
    SummarySentence,
    UsageError,
    abrief,
    aextract,
    brief,
    extract,
)
from summarizer import models as models_module

from .conftest import ARTICLES
from .fault_server import Faults, FaultServer

pytestmark = pytest.mark.timeout(120)

SEEDS = sorted(ARTICLES.glob("*.txt"))


def content(briefing: Briefing) -> dict[str, Any]:
    return briefing.model_dump(exclude={"usage"})


@pytest.fixture(scope="module")
def rules_briefing() -> Briefing:
    return brief([ARTICLES], backend="rules", use_cache=False)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(Faults()) as running:
        yield running


def llm_options(server: FaultServer) -> dict[str, Any]:
    return {
        "backend": "llm",
        "base_url": server.base_url,
        "model": "fake",
        "use_cache": False,
        "max_reasks": 0,
        "concurrency": 3,
    }


# --- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", [str(ARTICLES), ARTICLES], ids=["str", "Path"])
def test_one_path_given_alone_is_one_path(given: str | Path, rules_briefing: Briefing) -> None:
    """``brief("fixtures/articles")`` is that folder, not the characters of its name."""
    briefing = brief(given, backend="rules", use_cache=False)
    assert content(briefing) == content(rules_briefing)
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)


def test_a_relative_string_path_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ARTICLES.parent.parent)
    briefing = brief("fixtures/articles", backend="rules", use_cache=False)
    assert {a.path for a in briefing.articles} == {f"fixtures/articles/{p.name}" for p in SEEDS}


def test_any_iterable_of_paths(rules_briefing: Briefing) -> None:
    briefing = brief((str(p) for p in SEEDS), backend="rules", use_cache=False)
    assert content(briefing) == content(rules_briefing)


def test_extract_refuses_a_folder() -> None:
    with pytest.raises(UsageError, match="is a folder; extract reads one article file"):
        extract(ARTICLES, backend="rules", use_cache=False)


# --- async ---------------------------------------------------------------------------------


def test_abrief_inside_asyncio_run_leaves_the_loop_free(rules_briefing: Briefing) -> None:
    """Reading, the rules and merging run in threads: a task beside the brief keeps running."""

    async def main() -> tuple[Briefing, int]:
        ticks = 0
        done = asyncio.Event()

        async def tick() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.001)

        ticker = asyncio.create_task(tick())
        briefing = await abrief(str(ARTICLES), backend="rules", use_cache=False)
        done.set()
        await ticker
        return briefing, ticks

    briefing, ticks = asyncio.run(main())
    assert content(briefing) == content(rules_briefing)
    assert ticks > 1


def test_aextract_gives_what_extract_gives() -> None:
    sync = extract(SEEDS[0], backend="rules", use_cache=False)
    assert asyncio.run(aextract(str(SEEDS[0]), backend="rules", use_cache=False)) == sync


@pytest.mark.asyncio
async def test_the_llm_backend_briefs_in_the_callers_event_loop(server: FaultServer) -> None:
    """pytest-asyncio's running loop: ``await summarizer.abrief(...)`` sends the requests
    from it, and gives the brief the synchronous call gives."""
    async with Summarizer(**llm_options(server)) as summ:
        briefing = await summ.abrief(ARTICLES)
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)
    assert briefing.backend == "llm" and briefing.usage.requests == len(SEEDS)
    assert len(server.exchanges) == len(SEEDS)
    with Summarizer(**llm_options(server)) as summ:
        assert content(summ.brief(ARTICLES)) == content(briefing)


@pytest.mark.asyncio
async def test_the_synchronous_call_works_inside_a_running_loop(server: FaultServer) -> None:
    """A notebook cell or an async handler calling ``brief()``: no 'asyncio.run() cannot be
    called from a running event loop'."""
    asyncio.get_running_loop()
    briefing = brief(ARTICLES, **llm_options(server))
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)


# --- context manager -----------------------------------------------------------------------------


def test_leaving_with_closes_the_http_client_and_the_cache(
    server: FaultServer, isolated_environment: Path
) -> None:
    with Summarizer(**{**llm_options(server), "use_cache": True}) as summ:
        summ.extract(SEEDS[0])
        client = summ.backend._client  # type: ignore[attr-defined]  # the backend's own
        store = summ.cache._store
        assert client is not None and not client.is_closed()
        assert store is not None
    assert client.is_closed()
    assert summ.cache._store is None
    summ.close()  # twice is fine


@pytest.mark.asyncio
async def test_async_with_closes_too(server: FaultServer) -> None:
    async with Summarizer(**llm_options(server)) as summ:
        await summ.aextract(SEEDS[0])
        summ.extract(SEEDS[1])
        client = summ.backend._client  # type: ignore[attr-defined]
    assert client is not None and client.is_closed()


# --- a backend of one's own ----------------------------------------------------------------------


class FirstSentence:
    """A user's backend: no base class, just the members of ``summarizer.Backend``. It cites
    each article's first sentence as the summary and its quotations without speakers."""

    name = "first-sentence"
    model = None

    def __init__(self) -> None:
        self.calls = 0
        self.closed = False

    def cache_key(self) -> dict[str, str]:
        return {"backend": self.name, "version": "1"}

    def extract(self, article: Article) -> ArticleExtraction:
        self.calls += 1
        first = article.sentences[0]
        return ArticleExtraction(
            article_id=article.id,
            backend=self.name,
            summary=[
                SummarySentence(
                    start=first.start, end=first.end, text=article.slice(first), score=1.0
                )
            ],
            quotes=[
                Quote(
                    start=s.start,
                    end=s.end,
                    text=article.slice(s),
                    speaker=None,
                    fragment=s.fragment,
                    attribution="none",
                )
                for s in article.quote_spans
            ],
        )

    def close(self) -> None:
        self.closed = True


def test_a_users_backend_class_makes_the_brief(isolated_environment: Path) -> None:
    mine = FirstSentence()
    assert isinstance(mine, Backend)
    with Summarizer(backend=mine) as summ:
        briefing = summ.brief(ARTICLES)
    assert briefing.backend == "first-sentence" and mine.calls == len(SEEDS)
    assert briefing.quotes and all(q.speaker is None for q in briefing.quotes)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS}
    for citation in briefing.citations():
        assert texts[citation.article_id][citation.start : citation.end] == citation.text
    assert not mine.closed, "a backend passed in is the caller's to close"
    # Its answers are cached under its own key: a second run asks it nothing.
    again = brief(ARTICLES, backend=mine)
    assert mine.calls == len(SEEDS) and content(again) == content(briefing)


class Lying(FirstSentence):
    """Answers garbage for one article and out-of-text offsets for another."""

    name = "lying"

    def extract(self, article: Article) -> ArticleExtraction:
        answer = super().extract(article)
        if article.id == SEEDS[0].name:
            return {"quotes": []}  # type: ignore[return-value]
        if article.id == SEEDS[1].name:
            end = len(article.text) + 50
            bogus = Quote(
                start=end - 10, end=end, text="invented", speaker="Nobody", fragment=False,
                attribution="explicit",
            )  # fmt: skip
            return answer.model_copy(update={"quotes": [bogus]})
        return answer


def test_a_users_backend_that_answers_wrong_costs_one_article_and_grounds_the_rest() -> None:
    briefing = brief(ARTICLES, backend=Lying(), use_cache=False)
    status = {a.id: (a.status, a.error) for a in briefing.articles}
    assert status[SEEDS[0].name][0] == "failed"
    assert "returned dict" in str(status[SEEDS[0].name][1])
    assert [s for s, _ in status.values()].count("ok") == len(SEEDS) - 1
    assert all(q.speaker != "Nobody" for q in briefing.quotes)
    assert briefing.dropped >= 1


class Concurrent(FirstSentence):
    """An async backend: the pipeline runs ``concurrency`` of them at once in one loop."""

    name = "concurrent"

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most = 0

    async def aextract(self, article: Article) -> ArticleExtraction:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        return self.extract(article)


def test_a_users_async_backend_runs_concurrently() -> None:
    mine = Concurrent()
    briefing = brief(ARTICLES, backend=mine, use_cache=False, concurrency=3)
    assert mine.most == 3 and mine.calls == len(SEEDS)
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)


def test_the_built_in_backends_meet_the_protocols() -> None:
    from summarizer.extract.llm import LLMBackend
    from summarizer.extract.rules import RulesBackend

    llm = LLMBackend(summarizer.Settings(backend="llm", base_url="http://x/v1", model="m"))
    assert isinstance(llm, summarizer.AsyncBackend) and isinstance(RulesBackend(), Backend)
    assert not isinstance(RulesBackend(), summarizer.AsyncBackend)


def test_an_object_that_is_not_a_backend_is_refused_with_what_it_lacks() -> None:
    class Half:
        name = "half"

        def extract(self, article: Article) -> ArticleExtraction:
            raise NotImplementedError

    with pytest.raises(UsageError, match="lacks model, cache_key"):
        Summarizer(backend=Half())  # type: ignore[arg-type]


# --- auto with a key but no model --------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("OPENAI_API_KEY", "test-key-exported-for-another-tool", "OPENAI_API_KEY is set"),
        ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "a base URL is set"),
    ],
)
def test_a_server_without_a_model_falls_back_to_the_rules_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    told: list[str] = []
    with Summarizer(on_warning=told.append, use_cache=False) as summ:
        assert summ.backend.name == "rules"
    (notice,) = told
    assert notice.startswith(f"{said} but no model is: using the rules backend")
    assert "sk-test" not in notice
    with Summarizer(on_warning=told.append, use_cache=False, model="m") as summ:
        assert summ.backend.name == "llm", "with a model, auto means the llm backend"
    with Summarizer(on_warning=told.append, use_cache=False, backend="rules"):
        assert len(told) == 1, "an explicit backend says nothing"


# --- the public surface --------------------------------------------------------------------------


def test_the_item_types_are_exported() -> None:
    assert (summarizer.BriefQuote, summarizer.CasualtyRow) == (BriefQuote, CasualtyRow)
    assert (summarizer.Citation, summarizer.Figure) == (Citation, Figure)
    public_models = {
        name
        for name, value in vars(models_module).items()
        if inspect.isclass(value)
        and issubclass(value, pydantic.BaseModel)
        and value.__module__ == models_module.__name__
        and not name.startswith("_")
    }
    assert public_models <= set(summarizer.__all__), public_models - set(summarizer.__all__)


def test_all_is_sorted_and_every_name_exists() -> None:
    assert summarizer.__all__ == sorted(summarizer.__all__)
    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name


def test_the_repr_of_a_briefing_is_short_and_counts(rules_briefing: Briefing) -> None:
    shown = repr(rules_briefing)
    assert len(shown) < 300 < len(rules_briefing.model_dump_json())
    assert shown.startswith("Briefing(title=")
    for name in ("stories", "summary", "quotes", "casualties", "stances"):
        assert f"{name}={len(getattr(rules_briefing, name))}" in shown
    assert f"articles={len(SEEDS)}" in shown and "failed" not in shown
    failed = rules_briefing.model_copy(
        update={
            "articles": [
                rules_briefing.articles[0].model_copy(update={"status": "failed"}),
                *rules_briefing.articles[1:],
            ]
        }
    )
    assert "failed=1" in repr(failed) and "failed=1" in str(failed)
