"""Live: the llm backend against a real llama.cpp server over HTTP, no recordings.

Skipped unless ``SUMMARIZER_LIVE=1``. The ``llama_server`` fixture (tests/conftest.py) starts
SmolLM2-135M on llama.cpp at 127.0.0.1 on a free port, waits until /v1/models answers, and
terminates it by pid afterwards. About a minute on 2 cores:

    SUMMARIZER_LIVE=1 python -m pytest tests/test_llm_live.py -m live
"""

from __future__ import annotations

import asyncio
import os

import pytest

from summarizer.config import Settings
from summarizer.extract.llm import LLMBackend
from summarizer.extract.rules import RulesBackend

from .test_llm import SEEDS, _article, assert_grounded

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("SUMMARIZER_LIVE") != "1", reason="live: set SUMMARIZER_LIVE=1 to run"
    ),
    pytest.mark.timeout(600),
]


def _backend(base_url: str, **settings: object) -> LLMBackend:
    values: dict[str, object] = {
        "backend": "llm",
        "base_url": base_url,
        "model": "smollm2",
        "max_output_tokens": 256,
        "max_reasks": 1,
        **settings,
    }
    return LLMBackend(Settings.model_validate(values), rules=RulesBackend())


def test_live_extraction_is_grounded(llama_server: str) -> None:
    article = _article(SEEDS[1])
    backend = _backend(llama_server)
    try:
        extraction = backend.extract(article)
    finally:
        backend.close()  # its HTTP client: an unclosed socket is a ResourceWarning at exit
    assert extraction.backend == "llm" and extraction.model == "smollm2"
    assert 1 <= extraction.usage.requests <= 2
    assert extraction.usage.prompt_tokens > 0 and extraction.usage.completion_tokens > 0
    assert_grounded(extraction, article)


def test_live_json_schema_mode_async(llama_server: str) -> None:
    """llama.cpp refuses json_schema with HTTP 500; users never see it."""
    article = _article(SEEDS[1])
    extraction = asyncio.run(_backend(llama_server, mode="json_schema").aextract(article))
    assert extraction.usage.requests >= 1
    assert_grounded(extraction, article)


def test_live_brief_of_one_seed_over_http(llama_server: str, tmp_path: object) -> None:
    """The whole pipeline, as `summarizer brief SEED --base-url URL --model smollm2` runs it."""
    from summarizer import brief

    briefing = brief(
        [SEEDS[1]],
        backend="llm",
        base_url=llama_server,
        model="smollm2",
        max_output_tokens=256,
        max_reasks=1,
        concurrency=1,
        use_cache=False,
    )
    assert briefing.backend == "llm" and briefing.model == "smollm2"
    assert [a.status for a in briefing.articles] == ["ok"]
    assert briefing.usage.requests >= 1
    text = SEEDS[1].read_text(encoding="utf-8")
    for quote in briefing.quotes:
        for citation in quote.citations:
            assert text[citation.start : citation.end] == citation.text
        assert quote.speaker is None or quote.speaker.split()[-1] in text
