"""What a red team found, each a test that failed before its fix (issue "CI that passes on any
host, and what a red team found", items 2-6, 8-10)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.errors import BackendError, ConfigError
from summarizer.extract import llm_transport
from summarizer.ingest import RawArticle, parse
from summarizer.merge.names import NameResolver
from summarizer.merge.quotes import merge_quotes
from summarizer.models import Article, ArticleExtraction, Quote

from .conftest import ARTICLES

runner = CliRunner()

# --- 2: never destroy or ingest the user's files --------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two seed articles in a folder of their own."""
    target = tmp_path / "in"
    target.mkdir()
    for seed in sorted(ARTICLES.glob("*.txt"))[:2]:
        (target / seed.name).write_bytes(seed.read_bytes())
    return target


def _cache_entries(cache: Path) -> int:
    stats = runner.invoke(app, ["cache", "stats"])
    return int(json.loads(stats.stdout)["entries"])


@pytest.mark.parametrize("how", ["file", "folder"])
def test_output_naming_an_input_article_is_refused_before_any_work(
    folder: Path, isolated_environment: Path, how: str
) -> None:
    article = sorted(folder.iterdir())[0]
    before = article.read_bytes()
    given = str(article) if how == "file" else str(folder)
    result = runner.invoke(app, ["brief", given, "-o", str(article)])
    assert result.exit_code == 2, result.output
    assert "one of the input articles" in result.stderr and "Traceback" not in result.stderr
    assert article.read_bytes() == before
    assert _cache_entries(isolated_environment) == 0  # nothing was extracted


def test_output_that_is_a_folder_is_refused_before_any_work(
    folder: Path, tmp_path: Path, isolated_environment: Path
) -> None:
    result = runner.invoke(app, ["brief", str(folder), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in result.stderr
    assert _cache_entries(isolated_environment) == 0


@pytest.mark.parametrize("name", ["brief.md", "brief.json", "brief.html", "brief.txt"])
def test_a_brief_written_into_the_input_folder_is_never_read_as_an_article(
    folder: Path, name: str
) -> None:
    first = runner.invoke(app, ["brief", str(folder), "-o", str(folder / name)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["brief", str(folder), "--format", "json", "-o", "-"])
    assert second.exit_code == 0, second.output
    articles = json.loads(second.stdout)["articles"]
    assert [a["status"] for a in articles].count("ok") == 2
    [skipped] = [a for a in articles if a["status"] == "skipped"]
    assert skipped["path"].endswith(name)
    assert "written by summarizer" in skipped["error"]
    # And -o may name it again: it is overwritten, not refused.
    again = runner.invoke(app, ["brief", str(folder), "-o", str(folder / name)])
    assert again.exit_code == 0, again.output


class _FailingWrites:
    """A file whose writes put half the bytes on disk, then fail (a disk filling up)."""

    def __init__(self, handle: Any, error: BaseException) -> None:
        self._handle = handle
        self._error = error

    def write(self, data: Any) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise self._error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _FailingWrites:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.fixture
def failing_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, BaseException], None]:
    """Writes under a folder fail half-way with ``error`` (every open for writing there)."""

    def install(where: Path, error: BaseException) -> None:
        real_open = io.open

        def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(file, mode, *args, **kwargs)
            writing = any(flag in mode for flag in "wax+")
            inside = isinstance(file, int) or str(file).startswith(str(where))
            return _FailingWrites(handle, error) if writing and inside else handle

        monkeypatch.setattr(io, "open", opener)

    return install


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk full"),
        (KeyboardInterrupt(), None),
    ],
    ids=["disk-full", "ctrl-c"],
)
def test_a_failed_write_leaves_the_old_brief_whole(
    folder: Path,
    tmp_path: Path,
    failing_writes: Callable[[Path, BaseException], None],
    error: BaseException,
    message: str | None,
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "brief.md"
    old = "# Yesterday's brief\n\nstill needed\n"
    output.write_text(old)
    failing_writes(out_dir, error)
    result = runner.invoke(app, ["brief", str(folder), "-o", str(output)])
    assert result.exit_code == (1 if message else 130)
    assert output.read_text() == old
    assert sorted(p.name for p in out_dir.iterdir()) == ["brief.md"]  # no temporary file left
    if message:
        assert message in result.stderr and "check the folder" not in result.stderr


def test_dash_writes_to_stdout_and_the_suffix_chooses_the_format(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dash = runner.invoke(app, ["brief", str(folder), "-o", "-"])
    assert dash.exit_code == 0 and dash.stdout.startswith("# ")
    assert not (tmp_path / "-").exists()
    for name, start in [("b.json", "{"), ("b.html", "<!DOCTYPE html>"), ("b.htm", "<!DOCTYPE")]:
        assert runner.invoke(app, ["brief", str(folder), "-o", name]).exit_code == 0
        assert (tmp_path / name).read_text().startswith(start), name
    assert runner.invoke(app, ["brief", str(folder), "-o", "c.json", "-f", "md"]).exit_code == 0
    assert (tmp_path / "c.json").read_text().startswith("# ")


# --- 4: paths stay inside what the user named ------------------------------------------------

SECRET_LINE = "The vault code is 4711 and nobody must read it."


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the input folder, holding an article-like file and a sub-folder."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    secret = f"Vault notes\n\n{SECRET_LINE} The banker said so on Monday.\n"
    (elsewhere / "secret.txt").write_text(secret)
    (elsewhere / "sub" / "more.txt").write_text(secret.replace("4711", "4712"))
    return elsewhere


def test_a_link_in_an_input_folder_leading_outside_it_is_skipped_with_a_warning(
    folder: Path, outside: Path
) -> None:
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "leakdir").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "inside.txt").symlink_to(sorted(folder.glob("0*.txt"))[0])  # stays inside
    result = runner.invoke(app, ["brief", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "4711" not in result.stdout and "4712" not in result.stdout
    articles = json.loads(result.stdout)["articles"]
    skipped = {Path(a["path"]).name: a["error"] for a in articles if a["status"] == "skipped"}
    assert set(skipped) == {"leak.txt", "leakdir"}
    assert all("outside" in reason for reason in skipped.values())
    assert "leak.txt" in result.stderr and "outside" in result.stderr
    assert [a["status"] for a in articles].count("ok") == 2  # the inside link is read once


def test_a_file_named_directly_is_read_wherever_its_link_points(
    folder: Path, outside: Path
) -> None:
    link = folder.parent / "named.txt"
    link.symlink_to(outside / "secret.txt")
    result = runner.invoke(app, ["brief", str(link), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"][0]["status"] == "ok"


def test_an_unreadable_file_named_directly_is_a_failed_article(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 3 with the article listed, not a usage error (simulated: root reads anything)."""
    good, locked = sorted(folder.glob("*.txt"))
    read_bytes, open_ = Path.read_bytes, Path.open

    def refuse(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return read_bytes(self)

    def refuse_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return open_(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "open", refuse_open)
    out = folder.parent / "brief.json"
    result = runner.invoke(app, ["brief", str(good), str(locked), "-o", str(out)])
    assert result.exit_code == 3, result.output
    [failed] = [a for a in json.loads(out.read_text())["articles"] if a["status"] == "failed"]
    assert "Permission denied" in failed["error"] and "Traceback" not in result.stderr


# --- 5: bad bytes anywhere -------------------------------------------------------------------

SURROGATE_RECORD = (
    '{"title": "Bridge \\ud800 talks", "source": "Daily \\udfff Post", "text": "The minister '
    'spoke on Monday.\\n\\n\\"We will rebuild the bridge by spring \\ud800,\\" minister Ana '
    'Ruiz said.\\n"}'
)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_lone_surrogates_in_a_json_article_are_repaired_and_the_brief_made(
    tmp_path: Path, suffix: str, fmt: str
) -> None:
    article = tmp_path / f"broken{suffix}"
    article.write_text(SURROGATE_RECORD + "\n", encoding="ascii")
    out = tmp_path / f"brief.{fmt}"
    result = runner.invoke(app, ["brief", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.stderr
    assert "lone surrogate" in result.stderr and "'title'" in result.stderr
    written = out.read_text(encoding="utf-8")  # valid UTF-8
    assert "Bridge \ufffd talks" in written or "Bridge \\ufffd talks" in written
    assert "rebuild the bridge by spring" in written


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'backend = "rules"\nmodel = "caf\xe9"\n', "byte 0xe9 at offset 30, line 2"),
        (b'\xef\xbb\xbfbackend = "rules"\n', "byte-order mark"),
    ],
    ids=["latin-1", "bom"],
)
def test_a_config_file_that_is_not_plain_utf8_is_one_line_naming_file_and_byte(
    folder: Path, content: bytes, needle: str
) -> None:
    config = Path.cwd() / "summarizer.toml"
    config.write_bytes(content)
    result = runner.invoke(app, ["brief", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(config) in result.stderr and needle in result.stderr
    assert "internal error" not in result.stderr


def test_every_settings_error_names_where_the_value_came_from(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path.cwd() / "summarizer.toml"
    config.write_text("max_reasks = 99\n")
    from_file = runner.invoke(app, ["brief", str(folder)])
    assert from_file.exit_code == 1 and "max_reasks" in from_file.stderr
    assert f"(from {config})" in from_file.stderr
    config.unlink()
    monkeypatch.setenv("SUMMARIZER_BACKEND", "bogus")
    from_env = runner.invoke(app, ["brief", str(folder)])
    assert "(from environment variable SUMMARIZER_BACKEND)" in from_env.stderr
    monkeypatch.delenv("SUMMARIZER_BACKEND")
    from_flag = runner.invoke(app, ["brief", str(folder), "--base-url", "ftp://x/v1"])
    assert from_flag.exit_code == 1 and "(from --base-url)" in from_flag.stderr
    with pytest.raises(ConfigError, match=r"concurrency: .*\(from the concurrency= argument\)"):
        Summarizer(concurrency=0)


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


# --- 6: a key inside the base URL is never printed -------------------------------------------

URL_USER = "alice-" + "URLUSER42"
URL_KEY = "sk-" + "URLPASS-0987654321fedcba"
QUERY_KEY = "qk-" + "QUERYKEY-5555aaaa"
URL_NEEDLES = (URL_USER, URL_KEY, QUERY_KEY, "0987654321fedcba", "5555aaaa")


def _assert_no_url_secret(where: str, text: str | bytes) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for needle in URL_NEEDLES:
        at = text.find(needle)
        assert at < 0, f"URL secret leaked into {where}: ...{text[max(at - 100, 0) : at + 40]!r}"


def _with_credentials(base_url: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{scheme}://{URL_USER}:{URL_KEY}@{rest}?api-key={QUERY_KEY}"


def test_a_key_inside_the_base_url_is_never_printed(
    tmp_path: Path, isolated_environment: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from .test_secrets import KeyServer, run_cli

    server = KeyServer()

    def echo(body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        # A careless server: its error quotes what it got, key included.
        message = f"bad credentials {authorization} {URL_KEY} for {QUERY_KEY}"
        return 500, {"error": {"message": message, "type": "server_error"}}

    server.policy = echo
    (Path.cwd() / "summarizer.toml").write_text("max_attempts = 2\nmax_reasks = 0\n")
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in sorted(ARTICLES.glob("*.txt"))[:2]:
        (articles / seed.name).write_bytes(seed.read_bytes())
    try:
        url = _with_credentials(server.base_url)
        common = ["--base-url", url, "--model", "m", "--debug"]
        for fmt in ("md", "json", "html"):
            out = tmp_path / f"brief.{fmt}"
            result, emitted = run_cli(caplog, "brief", str(articles), "-o", str(out), *common)
            # every article failed: nothing to brief, one error line (a traceback with --debug)
            assert result.exit_code == 1, emitted
            assert "[redacted]" in emitted
            _assert_no_url_secret(f"the CLI's output and logs ({fmt})", emitted)
            assert not out.exists()
            caplog.clear()
        assert server.authorizations, "the server got no request"
        # Unreachable: the connection error names the URL, redacted.
        server.stop()
        result, emitted = run_cli(caplog, "extract", str(sorted(articles.iterdir())[0]), *common)
        assert result.exit_code == 1
        _assert_no_url_secret("an unreachable server's error", emitted)
        # The same URL from the environment, without --debug: one redacted line.
        result, emitted = run_cli(caplog, "brief", str(articles), "--model", "m")
    finally:
        server.stop()
    for path in isolated_environment.rglob("*"):
        if path.is_file():
            _assert_no_url_secret(f"cache file {path.name}", path.read_bytes())


def test_settings_and_config_errors_never_show_a_url_key() -> None:
    from summarizer.config import resolve

    settings = resolve({"base_url": "http://127.0.0.1:9/v1".replace("//", f"//u:{URL_KEY}@")})
    _assert_no_url_secret("repr(Settings)", repr(settings))
    with pytest.raises(ConfigError) as bad:
        resolve({"base_url": f"ftp://{URL_USER}:{URL_KEY}@example.com/v1"})
    _assert_no_url_secret("a base_url error", str(bad.value))
    assert "(from the base_url= argument)" in str(bad.value)


# --- 8: the llm path is bounded -------------------------------------------------------------

DRIP_SECONDS = 2.0
MAX_DRIPS = 12  # the server gives up by itself after this many bytes (24 s)
ENDLESS_LIMIT = 100_000_000  # bytes an "endless" body sends at most before the server stops
CHUNK = b" " * 65_536


class RawServer:
    """A misbehaving HTTP server on 127.0.0.1 (raw asyncio in a thread of its own).

    ``behaviour`` is ``drip_body`` (headers at once, then one byte every two seconds),
    ``drip_headers`` (the status line itself one byte every two seconds) or ``endless`` (a
    chunked 200 whose body never ends). Every loop is bounded, a client hanging up ends it,
    and ``stop()`` ends the server's loop and joins its thread.
    """

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.requests = 0
        self.sent = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._stopping: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await self._handle(reader, writer)
            finally:
                self._tasks.discard(task)

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stopping.wait()
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> RawServer:
        self._thread.start()
        assert self._ready.wait(10), "the raw server did not start"
        return self

    def stop(self) -> None:
        if self._thread.is_alive() and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.requests += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            await getattr(self, f"_{self.behaviour}")(writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()
        self.sent += len(data)

    async def _drip(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        for byte in data[:MAX_DRIPS]:
            await self._send(writer, bytes([byte]))
            await asyncio.sleep(DRIP_SECONDS)

    async def _drip_body(self, writer: asyncio.StreamWriter) -> None:
        await self._send(
            writer,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\n\r\n",
        )
        await self._drip(writer, b"{" + b" " * 4095)

    async def _drip_headers(self, writer: asyncio.StreamWriter) -> None:
        await self._drip(writer, b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")

    async def _endless(self, writer: asyncio.StreamWriter) -> None:
        await self._send(
            writer,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"transfer-encoding: chunked\r\n\r\n",
        )
        piece = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
        while self.sent < ENDLESS_LIMIT:
            await self._send(writer, piece)


@pytest.fixture
def raw_server() -> Iterator[Callable[[str], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: str) -> RawServer:
        servers.append(RawServer(behaviour).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _llm(server: RawServer, **settings: Any) -> Summarizer:
    options: dict[str, Any] = {
        "backend": "llm",
        "base_url": server.base_url,
        "model": "m",
        "deadline": 3.0,
        "timeout": 60.0,
        "max_attempts": 2,
        "max_reasks": 0,
        "use_cache": False,
    }
    return Summarizer(**{**options, **settings})


SEED = sorted(ARTICLES.glob("*.txt"))[0]
SLACK = 2.5  # scheduling on a loaded 2-core machine, and one last piece of the body


@pytest.mark.timeout(60)
@pytest.mark.parametrize("behaviour", ["drip_body", "drip_headers"])
def test_the_deadline_holds_against_a_server_sending_a_byte_every_two_seconds(
    raw_server: Callable[[str], RawServer], behaviour: str
) -> None:
    server = raw_server(behaviour)
    summarizer = _llm(server)
    started = time.monotonic()
    with pytest.raises(BackendError, match="deadline"):
        summarizer.brief([SEED])  # the async path, as the CLI's brief takes it
    assert time.monotonic() - started < 3.0 + SLACK
    assert server.requests >= 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize("behaviour", ["drip_body", "drip_headers"])
def test_the_sync_path_deadline_holds_against_a_dripping_server(
    raw_server: Callable[[str], RawServer], behaviour: str
) -> None:
    server = raw_server(behaviour)
    started = time.monotonic()
    with pytest.raises(BackendError, match="deadline"):
        _llm(server).extract(SEED)
    assert time.monotonic() - started < 3.0 + SLACK


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", ["async", "sync"])
def test_an_endless_answer_is_cut_off_and_not_retried(
    raw_server: Callable[[str], RawServer], path: str
) -> None:
    server = raw_server("endless")
    summarizer = _llm(server, deadline=30.0)
    with pytest.raises(BackendError, match="too large"):
        summarizer.brief([SEED]) if path == "async" else summarizer.extract(SEED)
    assert server.requests == 1  # not retried
    assert server.sent < 4 * llm_transport.MAX_RESPONSE_BYTES  # stopped reading early


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/v1", "127.0.0.1:8080/v1", "http:///v1"]
)
def test_an_unusable_base_url_is_refused_at_once(folder: Path, url: str) -> None:
    started = time.monotonic()
    result = runner.invoke(app, ["brief", str(folder), "--base-url", url, "--model", "m"])
    assert result.exit_code == 1 and "base_url" in result.stderr
    assert "(from --base-url)" in result.stderr and "cannot reach" not in result.stderr
    assert time.monotonic() - started < 5


# --- 9: workers die with their parent ---------------------------------------------------------


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _many_articles(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for number in range(copies):
        for seed in sorted(ARTICLES.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\n\nEditor's note {number}: filed late.\n"
            (folder / f"{number:03d}_{seed.name}").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.timeout(120)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_to_the_cli_ends_its_worker_processes_and_keeps_the_cache_consistent(
    tmp_path: Path, signum: int
) -> None:
    # 1,500 uncached articles: the process pool, busy for several seconds after it starts
    folder = _many_articles(tmp_path / "many", 300)
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "summarizer", "brief", str(folder), "--cache-dir", str(cache)]
    environment = {**os.environ, "SUMMARIZER_CACHE_DIR": str(cache)}
    process = subprocess.Popen(
        [*command, "-o", str(tmp_path / "brief.md")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,  # a group of its own: cleaned up below whatever happens
        # A shell running this suite in the background (CI may) starts it with SIGINT
        # ignored, and an ignored signal stays ignored across exec: give the CLI the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = _children(process.pid)
            time.sleep(0.05)
        assert workers, "no worker process appeared"
        time.sleep(0.2)  # the workers are extracting
        process.send_signal(signum)
        process.wait(timeout=30)
        gone_by = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), f"workers left running: {workers}"
        assert process.returncode != 0, "the brief was finished before the signal came"
        assert b"Traceback" not in process.stderr.read() if process.stderr else True
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if process.stderr:
            process.stderr.close()
    # The cache was left consistent: a second run completes from it with no warning.
    again = subprocess.run(
        [*command, "-o", str(tmp_path / "again.md")],
        capture_output=True,
        text=True,
        env=environment,
        timeout=100,
    )
    assert again.returncode == 0, again.stderr
    assert "cache" not in again.stderr.replace(str(cache), "")


_FORKED_PARENT = """
import os, sys, time
from summarizer.merge import forked

def started():
    pass

def pid():
    return os.getpid()

def busy():
    time.sleep(120)

pool = forked.pool(1, started, ())
if pool is None:
    sys.exit(3)
print(pool.submit(pid).result(), flush=True)
pool.submit(busy)
time.sleep(120)
"""


@pytest.mark.timeout(60)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_forked_merge_worker_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """Merge's forked workers wait for work on a pipe whose ends they inherited: killed, the
    parent tells them nothing, and a worker busy or waiting would outlive it for good."""
    script = tmp_path / "parent.py"
    script.write_text(_FORKED_PARENT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    worker = 0
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line and process.wait(timeout=10) == 3:
            pytest.skip("no process can be forked here")
        worker = int(line)
        assert _alive(worker)
        process.kill()
        process.wait(timeout=10)
        gone_by = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not _alive(worker), f"the worker {worker} outlived its killed parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        if worker:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
        if process.stdout:
            process.stdout.close()
