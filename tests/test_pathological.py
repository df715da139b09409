"""Bounded work on pathological input, and the per-article budget.

Growth is measured by counting operations, never by timing: the number of lines of Python the
rules backend executes (``sys.settrace`` line events, comprehensions' iterations included) on
an input of n and of 4n characters. Linear work grows about 4x; the quadratic paths this guards
against (re-tokenizing a sentence's prefix per match, a scan of every entity per name) grew 16x.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.extract.budget import ArticleTimeout, article_budget, check
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.models import Article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import pathological


def _lines_executed(article: Article) -> int:
    return _count_lines(RulesBackend().extract, article)


def _count_lines(function: Callable[..., Any], *args: Any) -> int:
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def _article(text: str) -> Article:
    return parse(RawArticle(id="p.txt", path="p.txt", text=text))


@pytest.mark.parametrize("pattern", ["according", "said", "yes_said", "liveblog", "ordinary"])
def test_rules_work_grows_linearly(pattern: str) -> None:
    make: Callable[[int], str] = pathological.SINGLE[pattern]
    small = _lines_executed(_article(make(2_000)))
    large = _lines_executed(_article(make(8_000)))
    # 4x the text: linear is about 4x; allow 6x (setup, a few more distinct names).
    assert large <= 6 * small, (pattern, small, large, large / small)


@pytest.mark.parametrize("pattern", ["according", "said", "yes_said", "liveblog", "ordinary"])
def test_ingest_work_grows_linearly(pattern: str) -> None:
    make: Callable[[int], str] = pathological.SINGLE[pattern]
    small = _count_lines(_article, make(2_000))
    large = _count_lines(_article, make(8_000))
    assert large <= 6 * small, (pattern, small, large, large / small)


def test_modals_are_looked_for_once_per_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "said said said ...": whether a modal follows a speech verb was a regex search from
    each verb to the sentence's end (C code, which line counts do not see): count the
    characters the modal pattern is run over instead."""
    from summarizer.extract.rules import stances

    scanned = 0
    real = stances._MODAL_AT

    class Counting:
        pattern = real.pattern

        def finditer(self, text: str, start: int, end: int) -> Any:
            nonlocal scanned
            scanned += end - start
            return real.finditer(text, start, end)

    monkeypatch.setattr(stances, "_MODAL_AT", Counting())
    runs = []
    for size in (2_000, 8_000):
        scanned = 0
        RulesBackend().extract(_article(pathological.said(size)))
        runs.append(scanned)
    assert runs[1] <= 6 * runs[0], runs


def test_check_raises_past_the_budget_only() -> None:
    with article_budget(60, "x"):
        check()  # well within
    with article_budget(0.001, "rules extraction of slow.txt"):
        time.sleep(0.01)
        with pytest.raises(ArticleTimeout, match=r"took longer than 0.001 s: rules extraction"):
            check()
    check()  # no budget outside


class _SlowOn(RulesBackend):
    """The rules backend, but one article loops (as a quadratic path would) until stopped."""

    def extract(self, article: Article) -> Any:
        if "slow" in Path(article.path).name:
            while True:
                check()
                time.sleep(0.01)
        return super().extract(article)


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "a_ok.txt").write_text(
        'Ships were late at the port. "We are working on it," Amina Okafor said.\n'
    )
    (tmp_path / "b_slow.txt").write_text(
        '"Yes," Wei Haddad said. The strike went on at the port for a week.\n'
    )
    (tmp_path / "c_ok.txt").write_text(
        'The port reopened on Monday. "It is over," Priya Sharma told reporters.\n'
    )
    return tmp_path


@pytest.mark.parametrize("threshold", [1000, 1], ids=["in-process", "worker-processes"])
def test_a_slow_article_fails_with_its_reason_and_the_rest_is_briefed(
    tmp_path: Path, threshold: int
) -> None:
    summarizer = Summarizer(backend="rules", use_cache=False, article_seconds=0.3)
    summarizer.backend = _SlowOn()
    summarizer.parallel_threshold = threshold
    briefing = summarizer.brief([_folder(tmp_path)])
    status = {Path(a.path).name: (a.status, a.error) for a in briefing.articles}
    assert status["a_ok.txt"][0] == "ok" and status["c_ok.txt"][0] == "ok"
    assert status["b_slow.txt"][0] == "failed"
    assert "took longer than 0.3 s" in (status["b_slow.txt"][1] or "")
    assert {q.speaker for q in briefing.quotes} >= {"Amina Okafor", "Priya Sharma"}
