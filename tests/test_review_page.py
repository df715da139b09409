"""The HTML review page in a real browser: Debian's Chromium driven by Playwright.

An editor clicks a citation in the brief and must land on exactly the cited characters of the
article shown beside it; clicks a highlight and must find the brief items that cite it. These
tests click every citation link of the page and compare the one marked element's text with
the article's text sliced by the citation's offsets. Each takes a screenshot into its own
``tmp_path`` (kept by pytest under its base temp dir).

Chromium comes from the Debian packages (``apt-get install chromium``; ``.ci/run`` installs
it), driven through Playwright's Python package with ``executable_path`` (Playwright's own
browser download is never used). Without a local Chromium the tests are skipped, saying so,
except where ``SUMMARIZER_REQUIRE_BROWSER`` is set (``.ci/run``): there they fail.
``SUMMARIZER_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.models import (
    ArticleReport,
    Briefing,
    BriefQuote,
    Citation,
    Story,
    SummaryLine,
)
from summarizer.render import render

from .conftest import ARTICLES

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}

# For each citation link: click it, then read the one marked element and where it is.
LANDED_JS = """() => {
  const marks = document.querySelectorAll('mark.focus');
  if (marks.length !== 1) return {count: marks.length};
  const mark = marks[0], box = mark.closest('.text'), r = mark.getBoundingClientRect();
  const pane = document.getElementById('articles').getBoundingClientRect();
  return {count: 1, text: mark.textContent, box: box ? box.id : null,
          visible: r.bottom > pane.top && r.top < pane.bottom};
}"""

MISSING = f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) to run the review page's browser tests; .ci/run does"  # noqa: E501
if not os.access(CHROMIUM, os.X_OK) and os.environ.get("SUMMARIZER_REQUIRE_BROWSER"):
    # .ci/run installs Chromium and sets this: there the tests must run, never skip.
    pytest.fail(MISSING, pytrace=False)
pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=MISSING)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT)
    opened = context.new_page()
    opened.errors = []
    opened.requests = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("request", lambda request: opened.requests.append(request.url))
    yield opened
    context.close()


def click_every_citation(page: Any, texts: dict[int, str]) -> set[tuple[int, int, int]]:
    """Clicks each citation link; each must mark exactly its characters, in view. Returns
    the (source, start, end) of every link."""
    links = page.locator("a.cite[data-art]")
    clicked = set()
    for i in range(links.count()):
        link = links.nth(i)
        number = int(link.get_attribute("data-art"))
        start, end = int(link.get_attribute("data-start")), int(link.get_attribute("data-end"))
        link.click()
        landed = page.evaluate(LANDED_JS)
        assert landed["count"] == 1, (i, landed)
        assert landed["text"] == texts[number][start:end], (number, start, end)
        assert landed["box"] == f"text-{number}"
        assert landed["visible"], (number, start, end)
        clicked.add((number, start, end))
    return clicked


def test_every_citation_of_the_bundled_brief_lands_on_its_exact_text(
    page: Any, tmp_path: Path
) -> None:
    # The page the CLI writes for `-o brief.html` (the format follows the suffix).
    out = tmp_path / "brief.html"
    result = CliRunner().invoke(app, ["brief", str(ARTICLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    briefing, by_id = Summarizer(backend="rules").review([ARTICLES])
    texts = {n: by_id[a.id] for n, a in enumerate(briefing.articles, start=1)}
    page.goto(out.as_uri())
    assert page.locator("#articles article.source").count() == len(texts)
    for number, text in texts.items():  # every article whole, character for character
        assert page.eval_on_selector(f"#text-{number}", "e => e.textContent") == text
    numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    assert click_every_citation(page, texts) == {
        (numbers[c.article_id], c.start, c.end) for c in briefing.citations()
    }
    page.screenshot(path=str(tmp_path / "review.png"))
    assert (tmp_path / "review.png").stat().st_size > 10_000

    # Each highlight lists the brief items citing it, and those links go to them.
    marks = page.locator("#articles mark[data-refs]")
    assert marks.count() > 50
    refs = set(" ".join(marks.evaluate_all("ms => ms.map(m => m.dataset.refs)")).split())
    for ref in refs:
        assert page.locator(f"#brief [id='{ref}']").count() == 1, ref
    quote = next(q for q in briefing.quotes if q.within is None and not q.fragment)
    citation = quote.citations[0]
    number = next(n for n, a in enumerate(briefing.articles, 1) if a.id == citation.article_id)
    page.locator(f"a.cite[data-art='{number}'][data-start='{citation.start}']").first.click()
    page.locator("mark.focus").click()
    back = page.locator(f"#cited-by a[href='#{quote.id}']")
    assert back.is_visible()
    back.click()
    assert page.evaluate("location.hash") == f"#{quote.id}"
    assert page.locator(f"#{quote.id}:target").count() == 1

    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests


HOSTILE = (
    "Harbour row 🚢 deepens\r\n"
    "<script>window.pwned = 1</script> The mayor said the pier would reopen.\r\n"
    '"We will rebuild the pier by June, and not a day later," Mayor Ines Calder said.\r\n'
    "<img src=x onerror=\"window.pwned = 2\"> Calder's office called it a 'fresh start'.\r\n"
)


def hostile_briefing() -> tuple[Briefing, str]:
    """One invented article with markup, CRLF endings and a character beyond the BMP before
    every citation; a lead sentence and a quote whose spans cross, and one inside another."""
    text = HOSTILE

    def cite(needle: str) -> Citation:
        start = text.index(needle)
        return Citation(article_id="h1", start=start, end=start + len(needle), text=needle)

    quote = cite("We will rebuild the pier by June, and not a day later,")
    crossing = cite('by June, and not a day later," Mayor Ines Calder said.\r\n<img')
    inner = cite("rebuild the pier")
    script = cite("<script>window.pwned = 1</script> The mayor")
    return (
        Briefing(
            title="Morning brief: <script>alert(1)</script> harbour",
            backend="rules",
            articles=[
                ArticleReport(
                    id="h1",
                    path="articles/<b>h1</b>.txt",
                    status="ok",
                    title="Harbour <i>row</i>",
                    url="javascript:alert(1)",
                )
            ],
            stories=[Story(id="S1", title="Harbour", article_ids=["h1"])],
            summary=[
                SummaryLine(story="S1", text=crossing.text, citations=[crossing]),
                SummaryLine(story="S1", text=script.text, citations=[script]),
            ],
            quotes=[
                BriefQuote(
                    id="Q1",
                    story="S1",
                    text=quote.text,
                    speaker="Ines <b>Calder</b>",
                    fragment=False,
                    citations=[quote],
                ),
                BriefQuote(
                    id="Q2",
                    story="S1",
                    text=inner.text,
                    speaker=None,
                    fragment=True,
                    citations=[inner],
                    within="Q1",
                ),
            ],
            casualties=[],
            stances=[],
        ),
        text,
    )


def test_untrusted_article_text_is_shown_never_run_and_crossing_spans_land(
    page: Any, tmp_path: Path
) -> None:
    briefing, text = hostile_briefing()
    out = tmp_path / "hostile.html"
    out.write_text(render(briefing, "html", {"h1": text}), encoding="utf-8")
    page.goto(out.as_uri())
    assert page.evaluate("window.pwned") is None
    assert page.locator("#articles script, #articles img, #brief b, #brief i").count() == 0
    # Every character kept, the carriage returns and the ship included.
    assert page.eval_on_selector("#text-1", "e => e.textContent") == text
    assert len(click_every_citation(page, {1: text})) == 4
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=str(tmp_path / "hostile.png"))
    assert page.errors == []


def test_a_hard_wrapped_articles_citations_land_across_its_line_breaks(
    page: Any, tmp_path: Path
) -> None:
    """Hard-wrapped copy (CRLF, 60 columns): the page shows the article as read, and each
    citation marks its characters as read, line breaks included."""
    from tests.test_wrapped import ARTICLE, wrap

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "port.txt").write_bytes(wrap(ARTICLE, 60, crlf=True).encode("utf-8"))
    briefing, by_id = Summarizer(backend="rules", use_cache=False).review([folder])
    texts = {n: by_id[a.id] for n, a in enumerate(briefing.articles, start=1)}
    out = tmp_path / "wrapped.html"
    out.write_text(render(briefing, "html", by_id), encoding="utf-8")
    page.goto(out.as_uri())
    assert page.eval_on_selector("#text-1", "e => e.textContent") == texts[1]
    clicked = click_every_citation(page, texts)
    assert clicked == {(1, c.start, c.end) for c in briefing.citations()}
    assert any("\r\n" in texts[1][start:end] for _, start, end in clicked)
    assert page.errors == []
