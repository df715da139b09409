"""What a red team found, each a test that failed before its fix (issue "CI that passes on any
host, and what a red team found", items 2-6, 8-10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.ingest import RawArticle, parse
from summarizer.merge.names import NameResolver
from summarizer.merge.quotes import merge_quotes
from summarizer.models import Article, ArticleExtraction, Quote

from .conftest import ARTICLES

runner = CliRunner()

# --- 3: untrusted text stays text ------------------------------------------------------------

EVIL_TITLE = 'Ceasefire talks <img src=x onerror="alert(1)"> resume'
EVIL_OUTLET = "Daily <script>alert(2)</script> [News](javascript:alert(3))"
EVIL_QUOTE = "we will <iframe src=https://evil.example></iframe> rebuild the bridge by spring"
EVIL_NAME = "evil\n<script src=a.js>.json"
LIVE_TAG_RE = re.compile(r"<(?:script|img|iframe)\b", re.IGNORECASE)


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(ARTICLES.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    record = {
        "title": EVIL_TITLE,
        "source": EVIL_OUTLET,
        "text": f'The mayor spoke on Monday.\n\n"{EVIL_QUOTE}," Mayor Lena Brandt said on '
        "Monday in the town hall.\n",
    }
    (folder / EVIL_NAME).write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_markdown_brief_never_carries_live_html_or_a_broken_sources_list(
    hostile_folder: Path,
) -> None:
    result = runner.invoke(app, ["brief", str(hostile_folder), "--format", "md"])
    assert result.exit_code == 0, result.output
    markdown = result.stdout
    html = MarkdownIt("commonmark").render(markdown)
    assert not LIVE_TAG_RE.search(html), LIVE_TAG_RE.search(html)
    assert 'href="javascript' not in html
    # Shown as the article wrote it (escaped, not deleted).
    assert "&lt;iframe src=https://evil.example&gt;" in html
    assert "rebuild the bridge by spring" in html
    # The sources list: one item per article, the newline in the file name shown as \n.
    sources = html.split("<h2>Sources</h2>", 1)[1]
    assert sources.split("</ol>", 1)[0].count("<li>") == 3
    assert "evil\\n&lt;script src=a.js&gt;.json" in sources


def test_html_page_escapes_the_same_hostile_article(hostile_folder: Path) -> None:
    result = runner.invoke(app, ["brief", str(hostile_folder), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    for raw in ('<img src=x onerror="alert(1)">', "<script>alert(2)</script>", "<iframe src="):
        assert raw not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


# --- 10: quotes differing in a number are different quotes -----------------------------------


Sources = list[tuple[int, Article, ArticleExtraction]]


def _quoted_by_two_outlets(first: str, second: str) -> Sources:
    sources: Sources = []
    for order, said in enumerate([first, second]):
        text = f'The commander spoke on Monday. "{said}," Colonel Hana Idris said.\n'
        article = parse(RawArticle(id=f"{order}.txt", path=f"{order}.txt", text=text))
        start = article.text.index(said)
        quote = Quote(
            text=said,
            start=start,
            end=start + len(said),
            speaker="Hana Idris",
            fragment=False,
            attribution="explicit",
        )
        extraction = ArticleExtraction(article_id=article.id, backend="rules", quotes=[quote])
        sources.append((order, article, extraction))
    return sources


def test_quotes_differing_in_a_figure_are_not_one_quote_in_two_wordings() -> None:
    sources = _quoted_by_two_outlets(
        "We counted 28 wounded in sector 10", "We counted 22 wounded in sector 0"
    )
    quotes, dropped = merge_quotes("s1", sources, NameResolver(["Hana Idris"]))
    assert dropped == 0
    assert [q.text for q in quotes] == [
        "We counted 28 wounded in sector 10",
        "We counted 22 wounded in sector 0",
    ]
    assert not any(q.wordings_differ for q in quotes)


def test_a_quote_cut_short_still_joins_the_full_one() -> None:
    sources = _quoted_by_two_outlets(
        "We counted 28 wounded in sector 10 before dawn", "We counted 28 wounded in sector 10"
    )
    quotes, _ = merge_quotes("s1", sources, NameResolver(["Hana Idris"]))
    assert len(quotes) == 1 and len(quotes[0].citations) == 2
