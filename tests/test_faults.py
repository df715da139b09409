"""Fault injection: the real llm backend over real HTTP against a misbehaving server.

``tests/fault_server.py`` is an OpenAI-compatible server (starlette + uvicorn on 127.0.0.1, a
free port, a background thread) that answers from the article in the prompt and, on a
deterministic schedule (a hash of seed, article and attempt: the same whatever the thread
timing), answers 429 with Retry-After, 500, 503, too slowly, with a cut-off body, a truncated
or schema-invalid answer, or speakers and ids that are not in the article. It records every
request. Each test drives ``Summarizer(backend="llm", base_url=..., ...).brief(...)`` (or the
CLI) on the seed articles and checks what reaches the brief:

- transient faults are retried by the transport and cost nothing: the brief equals a
  fault-free run's, and ``usage.reasks`` does not count them;
- a permanent failure fails that article only, with a reason, and the CLI exits 3;
- garbage answers never put an ungrounded item in the brief, and every fallback and drop is
  counted;
- Retry-After is waited, and one article's deadline bounds everything.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from typer.testing import CliRunner

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.errors import BackendError
from summarizer.extract import llm_transport
from summarizer.extract.llm_schema import Grounding
from summarizer.ingest import load
from summarizer.models import Article, Briefing

from .conftest import ARTICLES
from .fault_server import (
    GARBAGE,
    INVENTED_ACTOR,
    INVENTED_COUNT,
    INVENTED_NAME,
    PERMANENT_MESSAGE,
    TRANSIENT,
    Faults,
    FaultServer,
)

pytestmark = pytest.mark.timeout(60)

SEEDS = sorted(ARTICLES.glob("*.txt"))
# Well above a local answer's latency, so only the injected slow answers time out.
TIMEOUT = 1.0
# Scheduling slack on top of a deadline (a loaded 2-core machine).
SLACK = 0.5
# Article 004's own words: the permanent failure's target.
FAILING_TEXT = "Edgar Brian Torres Tovar"
FAILING_ID = "004_0193436aebcdaca5.txt"
TRANSIENT_SEED = 11  # a schedule with every transient kind in it (checked below)
GARBAGE_SEED = 4  # a schedule with every garbage kind in it (checked below)

StartServer = Callable[[Faults], FaultServer]


@pytest.fixture
def fault_server() -> Iterator[StartServer]:
    """Starts fault servers; every one is stopped (and its thread joined) at teardown."""
    servers: list[FaultServer] = []

    def start(faults: Faults) -> FaultServer:
        server = FaultServer(faults).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exponential backoff in milliseconds: a test's waits then come only from Retry-After
    and timeouts (the jitter's shape is tested in test_llm.py)."""
    monkeypatch.setattr(llm_transport, "BACKOFF_MULTIPLIER", 0.002)


def summarizer(server: FaultServer, **settings: Any) -> Summarizer:
    values: dict[str, Any] = {
        "backend": "llm",
        "base_url": server.base_url,
        "model": "fake",
        "timeout": TIMEOUT,
        "deadline": 20.0,
        "max_attempts": 6,
        "max_reasks": 1,
        "concurrency": 3,
        "use_cache": False,
        **settings,
    }
    return Summarizer(**values)


def make_brief(server: FaultServer, paths: list[Path] | None = None, **settings: Any) -> Briefing:
    summ = summarizer(server, **settings)
    try:
        return summ.brief(paths or [ARTICLES])
    finally:
        summ.close()


def articles() -> dict[str, Article]:
    return {a.id: a for a in load(SEEDS, 10_000_000) if isinstance(a, Article)}


def content(briefing: Briefing) -> dict[str, Any]:
    """What the brief says (everything but the token counts)."""
    return briefing.model_dump(exclude={"usage"})


def assert_grounded(briefing: Briefing, by_id: dict[str, Article]) -> None:
    """Every citation is its article's own characters; every name stands in a cited article."""
    for quote in briefing.quotes:
        cited = [by_id[c.article_id] for c in quote.citations]
        for citation, article in zip(quote.citations, cited, strict=True):
            assert citation.text == article.text[citation.start : citation.end]
        assert quote.speaker is None or any(
            Grounding(a).find_name(quote.speaker) is not None for a in cited
        ), quote.speaker
    for row in briefing.casualties:
        for figure in row.figures:
            article = by_id[figure.article_id]
            assert figure.text == article.text[figure.start : figure.end]
            assert figure.count != INVENTED_COUNT
    for stance in briefing.stances:
        cited = [by_id[c.article_id] for c in stance.citations]
        for citation, article in zip(stance.citations, cited, strict=True):
            assert citation.text == article.text[citation.start : citation.end]
        assert any(Grounding(a).find_name(stance.actor) is not None for a in cited), stance.actor


def test_the_fault_server_lists_its_model_and_records_requests(
    fault_server: StartServer,
) -> None:
    server = fault_server(Faults())
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as client:
        assert [m.id for m in client.models.list()] == ["fake"]
        answer = client.chat.completions.create(
            model="fake",
            messages=[{"role": "user", "content": '[S0] "Go," said Ann Lee.\n[Q0] "Go," (in S0)'}],
        )
    assert answer.choices[0].message.content is not None
    assert json.loads(answer.choices[0].message.content)["quotes"] == [
        {"quote": 0, "speaker": "Ann Lee"}
    ]
    (exchange,) = server.exchanges
    assert (exchange.status, exchange.fault, exchange.attempt) == (200, None, 0)


# --- 1. transient faults cost nothing ---------------------------------------------------------


@pytest.fixture(scope="module")
def fault_free() -> Briefing:
    with FaultServer(Faults()) as server:
        briefing = make_brief(server)
        assert len(server.exchanges) == briefing.usage.requests == len(SEEDS)
    return briefing


def test_the_fault_server_answers_are_grounded(fault_free: Briefing) -> None:
    """The baseline: every article answered at once, no re-ask, every item grounded."""
    assert [a.status for a in fault_free.articles] == ["ok"] * len(SEEDS)
    assert fault_free.usage.reasks == 0
    assert fault_free.quotes and fault_free.casualties
    assert_grounded(fault_free, articles())


def test_transient_faults_are_retried_and_lose_nothing(
    fault_server: StartServer, fault_free: Briefing
) -> None:
    server = fault_server(Faults(rate=0.3, kinds=TRANSIENT, seed=TRANSIENT_SEED))
    briefing = make_brief(server)

    faults = Counter(e.fault for e in server.exchanges if e.fault is not None)
    assert set(faults) == set(TRANSIENT), faults  # the schedule exercises every kind
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)
    assert len(briefing.quotes) == len(fault_free.quotes)
    assert content(briefing) == content(fault_free)  # the very same brief
    # Transport retries are not re-asks: usage counts the answers the model gave, and the
    # server saw those plus one request per injected fault.
    assert briefing.usage == fault_free.usage
    assert briefing.usage.reasks == 0
    assert len(server.exchanges) == briefing.usage.requests + faults.total()
    # Every fault was followed by a retry of the same article's request.
    by_article: dict[str, list[int]] = {}
    for exchange in server.exchanges:
        by_article.setdefault(exchange.article, []).append(exchange.attempt)
    for exchange in server.exchanges:
        if exchange.fault is not None:
            assert exchange.attempt + 1 in by_article[exchange.article]


def test_a_cut_off_body_is_a_transport_fault_not_a_reask(
    fault_server: StartServer, fault_free: Briefing, fast_backoff: None
) -> None:
    """A 200 whose JSON body stops half-way is retried like a 5xx, never re-asked."""
    server = fault_server(Faults(first_request_fault="cut_body"))
    briefing = make_brief(server)
    assert content(briefing) == content(fault_free)
    assert briefing.usage == fault_free.usage  # no re-ask spent on it
    assert len(server.exchanges) == 2 * len(SEEDS)
    assert [e.fault for e in server.exchanges].count("cut_body") == len(SEEDS)


def test_a_body_always_cut_fails_the_article_with_the_reason(
    fault_server: StartServer, fast_backoff: None
) -> None:
    server = fault_server(Faults(rate=1.0, kinds=("cut_body",)))
    with pytest.raises(
        BackendError, match=r"sent a broken answer after 2 attempts: .*not valid JSON"
    ):
        make_brief(server, [SEEDS[0]], max_attempts=2)
    assert len(server.exchanges) == 2


# --- 2. a permanent failure -------------------------------------------------------------------


def test_a_permanently_failing_article_is_listed_and_the_rest_are_ok(
    fault_server: StartServer, fast_backoff: None
) -> None:
    server = fault_server(Faults(fail_if_contains=FAILING_TEXT))
    briefing = make_brief(server, max_attempts=3)

    status = {a.id: a for a in briefing.articles}
    assert status.pop(FAILING_ID).status == "failed"
    assert {a.status for a in status.values()} == {"ok"}
    failed = next(a for a in briefing.articles if a.id == FAILING_ID)
    assert failed.error is not None
    assert f"{server.base_url} failed with HTTP 500 after 3 attempts" in failed.error
    assert PERMANENT_MESSAGE in failed.error
    # max_attempts requests for it, and none of them counted as a re-ask.
    assert len(server.requests_for(FAILING_TEXT)) == 3
    assert briefing.usage.requests == len(SEEDS) - 1 and briefing.usage.reasks == 0
    assert all(c.article_id != FAILING_ID for q in briefing.quotes for c in q.citations)


def test_the_cli_exits_3_and_says_why(fault_server: StartServer, fast_backoff: None) -> None:
    server = fault_server(Faults(fail_if_contains=FAILING_TEXT))
    # The working directory is the test's own (conftest): its summarizer.toml applies.
    Path("summarizer.toml").write_text(f"max_attempts = 2\ntimeout = {TIMEOUT}\ndeadline = 20\n")
    result = CliRunner().invoke(
        app,
        [
            "brief",
            str(ARTICLES),
            "--base-url",
            server.base_url,
            "--model",
            "fake",
            "--no-cache",
            "--format",
            "json",
            "--concurrency",
            "2",
        ],
    )
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit(3), not a crash
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    failed = [a for a in data["articles"] if a["status"] == "failed"]
    assert [a["id"] for a in failed] == [FAILING_ID]
    assert "HTTP 500 after 2 attempts" in failed[0]["error"]
    assert PERMANENT_MESSAGE in failed[0]["error"]
    assert {a["status"] for a in data["articles"] if a["id"] != FAILING_ID} == {"ok"}
    assert "HTTP 500 after 2 attempts" in result.stderr
    assert f"brief: {len(SEEDS) - 1} articles ok, 1 failed" in result.stderr
    assert len(server.requests_for(FAILING_TEXT)) == 2


# --- 3. garbage answers -----------------------------------------------------------------------


def test_garbage_answers_never_reach_the_brief(
    fault_server: StartServer, tmp_path: Path, fast_backoff: None
) -> None:
    server = fault_server(Faults(rate=0.7, kinds=GARBAGE, seed=GARBAGE_SEED))
    # A cache of its own: the extractions behind the brief are read back from it below.
    summ = summarizer(server, use_cache=True, cache_dir=tmp_path / "cache", max_reasks=1)
    try:
        briefing = summ.brief([ARTICLES])
        loaded, _, _ = summ.load([ARTICLES])
        asked = len(server.exchanges)
        extractions, failures = summ.extract_all(loaded)
    finally:
        summ.close()
    assert len(server.exchanges) == asked and failures == []  # all from the cache

    faults = Counter(e.fault for e in server.exchanges if e.fault is not None)
    assert set(faults) == set(GARBAGE), faults
    # Garbage is the model's problem, not the article's: every article makes the brief.
    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)
    by_id = articles()
    assert_grounded(briefing, by_id)
    everything = briefing.model_dump_json()
    for invented in (INVENTED_NAME, INVENTED_ACTOR, str(INVENTED_COUNT), f"{INVENTED_COUNT:,}"):
        assert invented not in everything
    # Every quotation span still has its quote (the rules answer stands in for garbage).
    cited = {(c.article_id, c.start, c.end) for q in briefing.quotes for c in q.citations}
    assert len(cited) == sum(len(a.quote_spans) for a in by_id.values())

    # Fallbacks and drops are counted in the brief, and say why.
    assert briefing.fallbacks == sum(len(x.fallbacks) for x in extractions)
    assert briefing.dropped >= sum(x.dropped for x in extractions) > 0
    reasons = " | ".join(f.reason for x in extractions for f in x.fallbacks)
    assert f"speaker '{INVENTED_NAME}' is not named in the article" in reasons
    assert "there is no quotation Q999" in reasons
    assert "cut off at max_output_tokens" in reasons
    # Re-asks: the server's non-first requests for an article, and nothing else (no transport
    # fault here); each carries the validators' complaint.
    reasks = [e for e in server.exchanges if e.attempt > 0]
    assert briefing.usage.reasks == len(reasks) > 0
    assert briefing.usage.requests == len(server.exchanges)
    assert all(len(e.body["messages"]) > 2 for e in reasks)


# --- 4. Retry-After and the deadline ----------------------------------------------------------


def test_retry_after_is_waited(fault_server: StartServer, fast_backoff: None) -> None:
    """Backoff is milliseconds here, so a gap of Retry-After can only come from the header."""
    retry_after = 0.25
    server = fault_server(Faults(first_request_fault="429", retry_after=retry_after))
    briefing = make_brief(server, concurrency=len(SEEDS))

    assert [a.status for a in briefing.articles] == ["ok"] * len(SEEDS)
    assert briefing.usage.requests == len(SEEDS) and briefing.usage.reasks == 0
    by_article: dict[str, dict[int, Any]] = {}
    for exchange in server.exchanges:
        by_article.setdefault(exchange.article, {})[exchange.attempt] = exchange
    assert len(by_article) == len(SEEDS)
    for attempts in by_article.values():
        limited, retried = attempts[0], attempts[1]
        assert limited.status == 429 and limited.headers["retry-after"] == "0.25"
        gap = retried.received - limited.answered
        assert retry_after <= gap < retry_after + 2.0, gap


def test_a_server_that_is_always_slow_fails_within_the_deadline(
    fault_server: StartServer, fast_backoff: None
) -> None:
    """Each request times out; the retries stop when the article's deadline is used up."""
    deadline, timeout = 1.2, 0.3
    server = fault_server(Faults(rate=1.0, kinds=("slow",), slow_seconds=10.0))
    with pytest.raises(BackendError) as raised:
        make_brief(server, [SEEDS[1]], timeout=timeout, deadline=deadline, max_attempts=10)
    # The deadline runs from the article's first request (start-up work is not counted).
    elapsed = time.monotonic() - server.exchanges[0].received
    assert elapsed < deadline + SLACK, elapsed
    assert 2 <= len(server.exchanges) < 10  # retried, then stopped by the deadline
    message = str(raised.value)
    assert message.startswith(f"{server.base_url} did not answer in time"), message
    assert f"timeout {timeout:g}s, {deadline:g}s deadline for one article reached" in message


def test_a_slow_article_fails_alone_within_the_deadline(
    fault_server: StartServer, fast_backoff: None
) -> None:
    """The deadline is per article: the others, answered at once, still make the brief."""
    deadline = 1.0
    server = fault_server(Faults(slow_if_contains=FAILING_TEXT, slow_seconds=10.0))
    briefing = make_brief(server, timeout=0.3, deadline=deadline, concurrency=len(SEEDS))

    failed = {a.id: a.error or "" for a in briefing.articles if a.status == "failed"}
    assert list(failed) == [FAILING_ID]
    assert "did not answer in time" in failed[FAILING_ID]
    assert f"{deadline:g}s deadline for one article reached" in failed[FAILING_ID]
    slow = server.requests_for(FAILING_TEXT)
    assert {e.fault for e in slow} == {"slow"}
    assert slow[-1].received - slow[0].received < deadline
