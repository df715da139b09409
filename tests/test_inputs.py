"""Real inputs end to end: saved pages, feeds, URLs, e-mail, any encoding, standard input.

Everything fetched comes from ``tests/web_server.py``, a real HTTP server on 127.0.0.1 that
the tests start, serving invented pages and feeds (``tests/web``) and misbehaving on purpose;
the page cache is a real ``diskcache`` on disk.
"""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.ingest import load
from summarizer.models import Article, ArticleFailure, Briefing
from summarizer.readers.fetch import USER_AGENT, Fetcher
from summarizer.readers.mail import strip_furniture

from .web_server import WEB, WebServer, web_server

REPO = Path(__file__).resolve().parent.parent
NEWSLETTER = REPO / "fixtures" / "newsletter" / "marlow-ridge-digest.eml"
PAGES = ("plant-fire", "two-dead", "investigators")
runner = CliRunner()


@pytest.fixture
def web() -> Iterator[WebServer]:
    with web_server() as server:
        yield server


def brief_json(*args: str, input: str | bytes | None = None) -> tuple[Result, dict[str, Any]]:
    result = runner.invoke(
        app, ["brief", *args, "--format", "json", "--backend", "rules"], input=input
    )
    assert result.exit_code in (0, 3), result.stdout + result.stderr
    return result, json.loads(result.stdout)


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in data["articles"]}


def assert_cited_text(briefing: Briefing, articles: list[Article]) -> None:
    """Every citation is its article's text[start:end] (the text the reader extracted)."""
    texts = {a.id: a.text for a in articles}
    for citation in briefing.citations():
        assert texts[citation.article_id][citation.start : citation.end] == citation.text


# --- saved pages ----------------------------------------------------------------------------


def test_a_saved_page_is_its_main_text_with_title_outlet_date_and_url(tmp_path: Path) -> None:
    [article] = list(load([WEB / "news" / "plant-fire.html"]))
    assert isinstance(article, Article)
    assert article.text == (WEB / "txt" / "plant-fire.txt").read_text()  # no menu, no footer
    assert article.title == "Fire at Marlow Ridge chemical plant kills two workers"
    assert article.outlet == "Valley Herald"
    assert article.published == "2026-03-03"
    assert article.url == "https://valleyherald.example/news/plant-fire"
    for furniture in ("Related stories", "newsletter", "Share on", "analytics", "<p>"):
        assert furniture not in article.text

    result = runner.invoke(app, ["brief", str(WEB / "news"), "--backend", "rules"])
    assert result.exit_code == 0, result.stderr
    assert (
        ". **Valley Herald**: *Fire at Marlow Ridge chemical plant kills two workers* "
        "(2026-03-03) <https://valleyherald.example/news/plant-fire> —" in result.stdout
    )
    page = runner.invoke(app, ["brief", str(WEB / "news"), "--format", "html"]).stdout
    assert '<a href="https://northernwire.example/news/two-dead"' in page
    _, data = brief_json(str(WEB / "news"))
    assert by_id(data)["investigators.html"]["url"] == (
        "https://coastlinetimes.example/news/investigators"
    )


# --- feeds ----------------------------------------------------------------------------------


def _shape(briefing: Briefing) -> dict[str, Any]:
    """What a brief says, with articles named by their position and no metadata."""
    order = {a.id: n for n, a in enumerate(a for a in briefing.articles if a.status == "ok")}

    def cites(citations: Any) -> list[tuple[int, str]]:
        return sorted((order[c.article_id], c.text) for c in citations)

    return {
        "quotes": sorted(
            (q.text, q.speaker, q.fragment, str(cites(q.citations))) for q in briefing.quotes
        ),
        "casualties": sorted(
            (r.status, r.group, r.consensus, r.discrepancy, str(cites(r.figures)))
            for r in briefing.casualties
        ),
        "stances": sorted((s.actor, s.position) for s in briefing.stances),
        "summary": [(line.text, str(cites(line.citations))) for line in briefing.summary],
        "stories": [len(s.article_ids) for s in briefing.stories],
    }


def test_a_feed_of_saved_pages_briefs_as_the_same_articles_as_txt(web: WebServer) -> None:
    summarizer = Summarizer(backend="rules")
    from_feed = summarizer.brief([f"{web.base}/feed.rss"])
    from_txt = summarizer.brief([WEB / "txt" / f"{name}.txt" for name in PAGES])  # feed order
    summarizer.close()

    assert [a.status for a in from_feed.articles] == ["ok"] * 3
    assert from_feed.quotes and from_feed.casualties and from_feed.summary
    assert _shape(from_feed) == _shape(from_txt)

    feed = {a.id: a for a in from_feed.articles}
    first = feed[f"{web.base}/feed.rss#1"]
    assert first.title == "Fire at Marlow Ridge chemical plant kills two workers"
    assert first.published == "2026-03-03T21:40:00+00:00"  # the entry's time, to the minute
    assert first.outlet == "Valley Herald"  # the page's site name, not the feed's title
    assert first.url == "https://valleyherald.example/news/plant-fire"
    assert first.path == f"{web.base}/feed.rss#1"
    # The timeline reads the entries' times: each figure holds as of its article's time.
    times = {a.id: a.published for a in from_feed.articles}
    figures = [f for row in from_feed.casualties for f in row.figures]
    assert figures and all(f.as_of is not None for f in figures)
    assert {f.as_of[:10] for f in figures} <= {t[:10] for t in times.values() if t}
    assert web.downloads() == 3
    assert all(agent == USER_AGENT for agent in web.agents)


def test_a_feed_file_with_full_content_needs_no_fetch() -> None:
    items = list(load([WEB / "harbour.atom"]))
    article, failure = items
    assert isinstance(article, Article) and isinstance(failure, ArticleFailure)
    assert article.id == "harbour.atom#1"
    assert article.title == "Ferry service resumes after storm"
    assert article.outlet == "Harbour Gazette"
    assert article.published == "2026-03-05T07:45:00+00:00"
    assert article.url == "https://harbourgazette.example/ferry-resumes"
    assert article.text.startswith("The ferry between Port Ellis and the island of Skerra")
    assert '\n\n"The crossing is safe again' in article.text
    assert "only a summary and no link" in failure.error and failure.id == "harbour.atom#2"


# --- URLs -----------------------------------------------------------------------------------


def test_urls_on_the_command_line_are_cached_and_revalidated(
    web: WebServer, tmp_path: Path
) -> None:
    urls = [f"{web.base}/news/{name}.html" for name in PAGES]
    cache = str(tmp_path / "cache")
    result, data = brief_json(*urls, "--cache-dir", cache)
    assert result.exit_code == 0
    assert [a["id"] for a in data["articles"]] == urls
    assert [a["url"] for a in data["articles"]] == [
        "https://valleyherald.example/news/plant-fire",
        "https://northernwire.example/news/two-dead",
        "https://coastlinetimes.example/news/investigators",
    ]
    assert web.downloads() == 3 and web.revalidations() == 0
    assert web.hits[("/robots.txt", 200)] == 1  # once per site, not per page

    again, second = brief_json(*urls, "--cache-dir", cache)
    assert again.exit_code == 0
    assert second["quotes"] == data["quotes"]
    assert web.downloads() == 3 and web.revalidations() == 3  # nothing downloaded twice

    runner.invoke(app, ["brief", *urls, "--no-cache"])
    assert web.downloads() == 6  # --no-cache: neither read nor written

    assert (
        json.loads(runner.invoke(app, ["cache", "stats", "--cache-dir", cache]).stdout)["pages"]
        == 3
    )
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", cache])
    assert "and 3 cached pages" in cleared.stderr
    brief_json(*urls, "--cache-dir", cache)
    assert web.downloads() == 9  # cleared: downloaded again


def test_a_url_list_file_and_the_urls_option(web: WebServer, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(
        "# this morning\n"
        + "".join(f"{web.base}/news/{name}.html\n" for name in PAGES[:2])
        + f"\n{web.base}/moved.html\n"
    )
    result, data = brief_json(str(listed))
    assert result.exit_code == 0
    assert [a["id"] for a in data["articles"]] == ["urls.txt#1", "urls.txt#2", "urls.txt#3"]
    assert [a["path"] for a in data["articles"]][2] == f"{web.base}/moved.html"
    assert data["articles"][2]["title"] == "Investigators begin work at burned Marlow Ridge plant"

    result, option = brief_json("--urls", str(listed))
    assert result.exit_code == 0
    assert [a["id"] for a in option["articles"]] == [a["path"] for a in data["articles"]]
    assert [(q["text"], q["speaker"]) for q in option["quotes"]] == [
        (q["text"], q["speaker"]) for q in data["quotes"]
    ]

    listed.write_text(f"{web.base}/news/plant-fire.html\nnot a url\n")
    bad = runner.invoke(app, ["brief", "--urls", str(listed)])
    assert bad.exit_code == 1 and "urls.txt:2: not an http:// or https:// URL" in bad.stderr


def test_every_failing_url_is_a_failed_article_with_its_reason(web: WebServer) -> None:
    Path("summarizer.toml").write_text("fetch_timeout = 1.0\n")
    good = f"{web.base}/news/plant-fire.html"
    cases = {
        f"{web.base}/slow.html": "timed out",
        f"{web.base}/news/gone.html": "HTTP 404 Not Found",
        f"{web.base}/huge.html": "too large (more than 4,000,000 bytes sent",
        f"{web.base}/loop/a": "more than 5 redirects",
        f"{web.base}/photo.png": "not a web page, a feed or text: the server sent image/png",
        f"{web.base}/private/plant-fire.html": "robots.txt disallows fetching",
        "http://127.0.0.1:9/closed.html": "cannot be fetched (ConnectError",
    }
    result, data = brief_json(good, *cases)
    assert result.exit_code == 3
    articles = by_id(data)
    assert articles[good]["status"] == "ok" and data["quotes"]
    for url, reason in cases.items():
        assert articles[url]["status"] == "failed"
        assert reason in articles[url]["error"], articles[url]["error"]
        assert (
            f"warning: {articles[url]['error']}" in result.stderr.replace("\n", " ")
            or url in result.stderr
        )
    assert web.hits[("/private/plant-fire.html", 200)] == 0  # never asked for
    assert web.hits[("/huge.html", 200)] == 1


def test_retries_on_429_and_503_with_retry_after_then_reads_the_page(
    web: WebServer, tmp_path: Path
) -> None:
    fetcher = Fetcher(tmp_path / "pages", attempts=3, backoff=0.01)
    try:
        fetched = fetcher.fetch(f"{web.base}/flaky.html")
    finally:
        fetcher.close()
    assert fetched.content_type == "text/html" and b"Investigators" in fetched.data
    assert web.hits[("/flaky.html", 429)] == 1 and web.hits[("/flaky.html", 503)] == 1
    assert web.hits[("/flaky.html", 200)] == 1

    web.flaky_left = 6
    fetcher = Fetcher(None, attempts=2, backoff=0.01)
    [failure] = list(load([f"{web.base}/flaky.html"], fetcher=fetcher))
    fetcher.close()
    assert isinstance(failure, ArticleFailure)
    assert "HTTP 503 Service Unavailable after 2 attempts; try again later" in failure.error


def test_a_fetched_text_keeps_its_declared_charset(web: WebServer) -> None:
    fetcher = Fetcher(None)
    [article] = list(load([f"{web.base}/latin.txt"], fetcher=fetcher))
    fetcher.close()
    assert isinstance(article, Article)
    assert article.text == "Le port rouvre jeudi, a déclaré la capitainerie.\n"
    assert article.warnings and "ISO-8859-1" in article.warnings[0]


def test_nothing_is_fetched_at_import_or_when_a_summarizer_is_made(tmp_path: Path) -> None:
    cache, page = str(tmp_path / "cache"), str(WEB / "news" / "two-dead.html")
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise AssertionError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import summarizer, summarizer.ingest, summarizer.readers.fetch, summarizer.cli\n"
        f"s = summarizer.Summarizer(backend='rules', cache_dir={cache!r})\n"
        f"b = s.brief([{page!r}]); s.close(); print(len(b.articles))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


# --- standard input -------------------------------------------------------------------------


def test_standard_input_is_one_article_or_json_lines() -> None:
    text = (WEB / "txt" / "two-dead.txt").read_text()
    result, data = brief_json("-", input=text)
    assert result.exit_code == 0
    assert [(a["id"], a["path"], a["status"]) for a in data["articles"]] == [
        ("stdin", "<stdin>", "ok")
    ]
    assert any(q["speaker"] == "Tomas Ekberg" for q in data["quotes"])

    lines = "".join(
        json.dumps({"text": (WEB / "txt" / f"{n}.txt").read_text(), "source": n}) + "\n"
        for n in PAGES
    )
    result, data = brief_json("-", input=lines)
    assert [a["id"] for a in data["articles"]] == ["stdin#1", "stdin#2", "stdin#3"]
    assert [a["outlet"] for a in data["articles"]] == list(PAGES)

    page = (WEB / "news" / "plant-fire.html").read_bytes()
    result, data = brief_json("-", input=page)
    assert data["articles"][0]["url"] == "https://valleyherald.example/news/plant-fire"


# --- encodings ------------------------------------------------------------------------------

ENCODED = [
    (
        "windows-1252",
        "cp1252",
        "The minister said “we will rebuild” — twice, in the café.\n",
        "Windows-1252",
    ),
    (
        "latin-1",
        "latin-1",
        "Les dockers ont voté la grève à Marseille, a déclaré Hélène.\n",
        "Windows-1252",
    ),
    ("gbk", "gbk", "北京市政府周一表示，大桥将在全面检查后重新开放，市长对记者说。\n", "GB18030"),
    (
        "cp1251",
        "cp1251",
        "Мэр города сказал журналистам, что мост будет закрыт до весны.\n",
        "Windows-1251",
    ),
    ("utf-16le", "utf-16-le", "Plain words in UTF-16 without a byte-order mark.\n", "UTF-16LE"),
    ("utf-32", "utf-32", "Words in UTF-32, with its byte-order mark.\n", "UTF-32"),
]


@pytest.mark.parametrize(("name", "codec", "text", "shown"), ENCODED, ids=[e[0] for e in ENCODED])
def test_text_in_any_encoding_is_decoded_with_a_warning(
    tmp_path: Path, name: str, codec: str, text: str, shown: str
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(text.encode(codec))
    warned: list[str] = []
    [article] = list(load([path], on_warning=warned.append))
    assert isinstance(article, Article), article
    assert article.text == text
    [note] = article.warnings
    assert f"decoded as {shown}" in note
    assert warned == [f"{path}: {note}"]


def test_binary_that_no_encoding_reads_stays_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(128, 256)) * 40 + bytes(range(1, 9)) * 40)
    [failure] = list(load([path]))
    assert isinstance(failure, ArticleFailure) and "binary" in failure.error


# --- e-mail ---------------------------------------------------------------------------------


def test_the_newsletter_fixture_briefs_with_its_subject_sender_and_date() -> None:
    [article] = list(load([NEWSLETTER]))
    assert isinstance(article, Article)
    assert article.title == "Plant fire: what we know this morning"
    assert article.outlet == "Marlow Ridge Morning Digest"
    assert article.published == "2026-03-04T06:30:00+00:00"
    assert "Nobody has told the parents" not in article.text  # a quoted reply
    assert "Dana Price" not in article.text and "reply STOP" not in article.text  # signature
    assert "Mayor Tomas Ekberg said" in article.text

    result = runner.invoke(app, ["brief", str(NEWSLETTER), "--backend", "rules"])
    assert result.exit_code == 0, result.stderr
    assert "# Morning brief: Plant fire: what we know this morning" in result.stdout
    assert (
        "1. **Marlow Ridge Morning Digest**: *Plant fire: what we know this morning* "
        "(2026-03-04T06:30:00+00:00) —" in result.stdout
    )
    assert "**Tomas Ekberg**" in result.stdout
    assert "Nobody has told" not in result.stdout


def test_each_message_of_an_mbox_is_an_article_and_html_mail_uses_the_html_path(
    tmp_path: Path,
) -> None:
    box_path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(box_path)
    box.add(NEWSLETTER.read_bytes())
    html_only = (
        "From: Harbour Gazette <news@harbourgazette.example>\n"
        "Subject: Ferry back on time\n"
        "Date: Thu, 05 Mar 2026 07:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><body><nav><a href='/'>Home</a></nav><article><p>The ferry to Skerra ran on "
        'time on Thursday, the operator said, after three days of storms.</p><p>"Every '
        'sailing this week will run," harbour master Ingrid Solberg said.</p></article>'
        "</body></html>\n"
    )
    box.add(html_only.encode())
    box.flush()
    box.close()
    first, second = list(load([box_path]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, second.id) == ("inbox.mbox#1", "inbox.mbox#2")
    assert first.title == "Plant fire: what we know this morning"
    assert second.outlet == "Harbour Gazette" and second.title == "Ferry back on time"
    assert second.text.startswith("The ferry to Skerra ran on time")
    assert "Home" not in second.text


def test_quoted_replies_and_signatures_are_left_out() -> None:
    body = (
        "The council met on Monday.\n\n"
        'On Sun, 1 Mar 2026, Kim wrote:\n> "Will the bridge open?" she asked.\n>> older\n\n'
        "It voted to open the bridge.\n-- \nKim's newsletter\nUnsubscribe\n"
    )
    assert strip_furniture(body) == "The council met on Monday.\n\nIt voted to open the bridge.\n"


def test_extract_article_shows_the_text_that_offsets_index(web: WebServer) -> None:
    url = f"{web.base}/news/two-dead.html"
    shown = runner.invoke(app, ["extract", "--article", url])
    assert shown.exit_code == 0, shown.stderr
    article = Article.model_validate_json(shown.stdout)
    assert article.text == (WEB / "txt" / "two-dead.txt").read_text()
    assert article.url == "https://northernwire.example/news/two-dead"
    extraction = json.loads(runner.invoke(app, ["extract", url]).stdout)
    assert extraction["quotes"]
    for quote in extraction["quotes"]:
        assert article.text[quote["start"] : quote["end"]] == quote["text"]
