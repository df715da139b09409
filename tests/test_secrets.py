"""The API key never leaves the request's Authorization header.

A recognisable fake key goes to a real HTTP server on 127.0.0.1 (``KeyServer`` below: the
``FakeServer`` of tests/test_llm.py is an ``httpx2.MockTransport``, no socket), through the CLI
with ``OPENAI_API_KEY`` set and ``--debug``, with every logger at DEBUG (openai, httpx2,
httpcore2, instructor, ours). The server checks it received the key, so these tests can fail;
then the key, its tail and ``Bearer `` are looked for in stdout, stderr, the captured log,
tracebacks, every byte under the cache dir, the brief in md, json and html, the recorded
cassettes, and ``Settings``' repr and dumps.

The server is hostile on purpose: its errors echo the Authorization header back (some
proxies and servers do), and the transport must redact what it quotes.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.config import Settings, resolve
from summarizer.errors import ConfigError
from summarizer.extract.llm_transport import REDACTED, redact
from summarizer.pipeline import Summarizer

from .conftest import ARTICLES, REPO
from .test_llm import completion

KEY = "sk-" + "test-SECRET-1234567890abcdef"  # built, so secret scanners do not flag the test
NEEDLES = (KEY, "1234567890abcdef", "bearer ")  # the key, its tail, any Authorization value
LOGGERS = ("", "summarizer", "openai", "httpx2", "httpcore2", "instructor")
CASSETTES = REPO / "fixtures" / "cassettes"

runner = CliRunner()

Answer = tuple[int, dict[str, Any]]


def find_secret(text: str | bytes) -> str | None:
    """The first needle in ``text`` with its surroundings, or None."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    folded = text.lower()
    for needle in NEEDLES:
        at = folded.find(needle.lower())
        if at >= 0:
            return f"{needle!r} in ...{text[max(at - 120, 0) : at + 60]!r}..."
    return None


def assert_clean(where: str, text: str | bytes) -> None:
    found = find_secret(text)
    assert found is None, f"secret leaked into {where}: {found}"


# --- a real OpenAI-compatible server ----------------------------------------------------------


VALID = completion(
    {"quotes": [], "casualties": [], "stances": []}, prompt_tokens=10, completion_tokens=2
)  # valid for any article
INVALID = completion(  # forces a re-ask
    {"quotes": [{"quote": 999, "speaker": "Nobody"}]}, prompt_tokens=10, completion_tokens=2
)


def echo_error(status: int, authorization: str) -> Answer:
    """An error that quotes the Authorization header back, as a careless proxy would."""
    message = f"Incorrect API key provided: {authorization}. Key {KEY} is not valid here."
    return status, {"error": {"message": message, "type": "invalid_request_error"}}


def ok_policy(body: dict[str, Any], authorization: str) -> Answer:
    return 200, VALID


class KeyServer:
    """An OpenAI-compatible server on 127.0.0.1 that records every Authorization header.

    ``policy(body, authorization)`` chooses each answer (status, JSON), so concurrent
    requests get answers by content, not by arrival order.
    """

    def __init__(self) -> None:
        self.authorizations: list[str | None] = []
        self.policy: Callable[[dict[str, Any], str], Answer] = ok_policy
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                authorization = self.headers.get("authorization")
                server.authorizations.append(authorization)
                status, answer = server.policy(body, authorization or "")
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def assert_saw_the_key(self) -> None:
        """The key did travel, so its absence elsewhere means something."""
        assert self.authorizations, "the server got no request"
        assert set(self.authorizations) == {f"Bearer {KEY}"}


@pytest.fixture
def server() -> Iterator[KeyServer]:
    running = KeyServer()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """OPENAI_API_KEY set, small retry bounds (no backoff waits); returns the working dir."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    work = Path.cwd()
    (work / "summarizer.toml").write_text("max_attempts = 1\nmax_reasks = 1\nconcurrency = 2\n")
    return work


def _debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    # Set before every run: a CLI run without --debug mutes these loggers process-wide.
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)


def run_cli(caplog: pytest.LogCaptureFixture, *args: str) -> tuple[Result, str]:
    """The CLI in-process; returns the result and everything it emitted, tracebacks included."""
    _debug_logging(caplog)
    result = runner.invoke(app, list(args))
    emitted = [result.stdout, result.stderr, caplog.text]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        emitted.append("".join(traceback.format_exception(result.exception)))
    for record in caplog.records:  # what a handler with another format would print
        emitted.append(repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            emitted.append("".join(traceback.format_exception(record.exc_info[1])))
    return result, "\n".join(emitted)


def assert_cache_clean(cache_dir: Path) -> int:
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files, f"nothing cached under {cache_dir}"
    for path in files:
        assert_clean(f"cache file {path.name}", path.read_bytes())
    return len(files)


ARTICLE = """Talks resume in {town}

Officials said the strike killed three soldiers near {town} on Monday.
"We will respond with force," said Defence Minister José Ramírez.
The government of Tomas Ek-Berg wants talks to resume, the minister said.
"""


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    for town in ("Kilotown", "Limaville", "Mikeburg"):
        (folder / f"{town.lower()}.txt").write_text(ARTICLE.format(town=town), encoding="utf-8")
    return folder


def hostile_policy(body: dict[str, Any], authorization: str) -> Answer:
    """Kilotown always fails with an echoing 500; Limaville's re-ask does; Mikeburg works."""
    prompt = json.dumps(body)
    if "Kilotown" in prompt:
        return echo_error(500, authorization)
    if "Limaville" in prompt:
        reask = len(body["messages"]) > 2
        return echo_error(500, authorization) if reask else (200, INVALID)
    return 200, VALID


# --- the CLI, end to end -----------------------------------------------------------------------


def test_a_brief_with_the_key_leaks_it_nowhere(
    server: KeyServer,
    key_env: Path,
    isolated_environment: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.policy = hostile_policy
    articles = write_articles(key_env / "articles")
    common = ["--base-url", server.base_url, "--model", "fake-model", "--debug"]
    outputs = []
    for fmt in ("json", "md", "html"):
        out = key_env / f"brief.{fmt}"
        result, emitted = run_cli(
            caplog, "brief", str(ARTICLES), str(articles), "-f", fmt, "-o", str(out), *common
        )
        assert result.exit_code == 3, emitted  # Kilotown failed, the rest made the brief
        assert_clean(f"the CLI's output and logs (--format {fmt})", emitted)
        assert_clean(f"the {fmt} brief", out.read_bytes())
        outputs.append(out.read_text())
        caplog.clear()
    server.assert_saw_the_key()

    # The hostile paths were taken: the server's echo reached us and was redacted.
    brief = json.loads(outputs[0])
    (failed,) = [a for a in brief["articles"] if a["status"] == "failed"]
    assert "kilotown" in failed["path"] and f"provided: {REDACTED}" in failed["error"]
    shown_in_markdown = REDACTED.replace("[", "\\[").replace("]", "\\]")  # escaped markup
    assert f"provided: {shown_in_markdown}" in outputs[1] and f"provided: {REDACTED}" in outputs[2]
    assert "Sending HTTP Request" in emitted  # the debug log was really on
    assert assert_cache_clean(isolated_environment) >= 1

    # The sync path (``extract``): Limaville's re-ask fails and that is recorded in the
    # extraction, which is printed and cached.
    result, emitted = run_cli(caplog, "extract", str(articles / "limaville.txt"), *common)
    assert result.exit_code == 0, emitted
    reasons = [f["reason"] for f in json.loads(result.stdout)["fallbacks"]]
    assert any("re-ask failed" in r and REDACTED in r for r in reasons), reasons
    assert_clean("summarizer extract", emitted)
    assert_cache_clean(isolated_environment)

    # Kilotown's first request fails: with --debug the error propagates as a traceback.
    result, emitted = run_cli(caplog, "extract", str(articles / "kilotown.txt"), *common)
    assert result.exit_code == 1 and REDACTED in str(result.exception)
    assert "Traceback" in emitted
    assert_clean("summarizer extract --debug's traceback", emitted)
    server.assert_saw_the_key()


def test_the_cli_in_a_real_process_leaks_nothing_on_stderr(
    server: KeyServer, key_env: Path, tmp_path: Path
) -> None:
    """As a user runs it: a subprocess, its logging to the real stderr, at DEBUG."""
    server.policy = hostile_policy
    articles = write_articles(key_env / "articles")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "brief",
            str(articles),
            "--base-url",
            server.base_url,
            "--model",
            "fake-model",
            "--debug",
            "--cache-dir",
            str(tmp_path / "subprocess-cache"),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 3, run.stderr.decode()
    assert b"Sending HTTP Request" in run.stderr  # openai's debug log reached stderr
    assert REDACTED.encode() in run.stdout + run.stderr
    assert_clean("stdout", run.stdout)
    assert_clean("stderr", run.stderr)
    assert_cache_clean(tmp_path / "subprocess-cache")
    server.assert_saw_the_key()


@pytest.mark.parametrize("debug", [False, True])
def test_a_401_that_echoes_the_key(
    server: KeyServer, key_env: Path, caplog: pytest.LogCaptureFixture, debug: bool
) -> None:
    server.policy = lambda body, authorization: echo_error(401, authorization)
    result, emitted = run_cli(
        caplog,
        "brief",
        str(ARTICLES),
        "--base-url",
        server.base_url,
        "--model",
        "fake-model",
        *(["--debug"] if debug else []),
    )
    assert result.exit_code == 1
    assert "refused the API key (HTTP 401)" in (
        result.stderr if not debug else str(result.exception)
    )
    assert_clean("a 401's error and logs", emitted)
    server.assert_saw_the_key()


def test_an_unreachable_server(key_env: Path, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for debug in ([], ["--debug"]):
        result, emitted = run_cli(
            caplog,
            "brief",
            str(ARTICLES),
            "--base-url",
            f"http://127.0.0.1:{port}/v1",
            "--model",
            "fake-model",
            *debug,
        )
        assert result.exit_code == 1
        assert "cannot reach" in result.stderr + str(result.exception)
        assert_clean("an unreachable server's error", emitted)


def test_a_key_pasted_with_a_newline_is_sent_without_it(
    server: KeyServer,
    key_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Before, the HTTP library refused the header and logged ``Illegal header value
    b'Bearer sk-...\\n'`` (the whole key) at DEBUG, and the user read "cannot reach"."""
    monkeypatch.setenv("OPENAI_API_KEY", f"  {KEY}\n")
    result, emitted = run_cli(
        caplog,
        "brief",
        str(ARTICLES / "000_3cb23ebe5b83888e.txt"),
        "--base-url",
        server.base_url,
        "--model",
        "fake-model",
        "--debug",
    )
    assert result.exit_code == 0, emitted
    assert_clean("a run with a padded key", emitted)
    server.assert_saw_the_key()


@pytest.mark.parametrize(
    ("toml", "env_key", "message"),
    [
        (f'api_key = "{KEY}"\ntemperature = 9\n', None, "temperature"),
        (f'api_key = "{KEY[:8]} {KEY[8:]}"\n', None, "the API key contains a space"),
        ('api_key = "sk-\u2019' + KEY[3:] + '"\n', None, "non-ASCII"),
        (f"api_key = {KEY}\n", None, "cannot read the config file"),
        ("openai_api_key = 1\n", KEY, "unknown setting"),
        ('backend = "llm"\n', KEY, "needs a model"),
    ],
    ids=["bad setting", "space in key", "non-ASCII key", "bad TOML", "unknown key", "no model"],
)
def test_config_errors_never_quote_the_key(
    key_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    toml: str,
    env_key: str | None,
    message: str,
) -> None:
    if env_key is None:
        monkeypatch.delenv("OPENAI_API_KEY")
    (key_env / "summarizer.toml").write_text(toml, encoding="utf-8")
    for debug in ([], ["--debug"]):
        result, emitted = run_cli(caplog, "brief", str(ARTICLES), *debug)
        assert result.exit_code == 1, emitted
        assert message in result.stderr + str(result.exception)
        assert_clean(f"the config error {message!r}", emitted)


# --- the library -------------------------------------------------------------------------------


def test_settings_never_show_the_key() -> None:
    settings = Settings(backend="llm", api_key=KEY, base_url="http://x/v1", model="m")
    shown = [
        repr(settings),
        str(settings),
        str(settings.model_dump()),
        json.dumps(settings.model_dump(mode="json")),
        settings.model_dump_json(),
    ]
    for text in shown:
        assert_clean("Settings", text)
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY

    with pytest.raises(ConfigError) as config_error:
        resolve({"api_key": KEY, "temperature": 9})
    assert_clean("resolve()'s error", str(config_error.value))
    with pytest.raises(ValueError, match="temperature") as validation_error:
        Settings(api_key=KEY, temperature=9)
    assert_clean("Settings' ValidationError", str(validation_error.value))
    with pytest.raises(ValueError, match="API key") as bad_key:
        Settings(api_key=f"{KEY}\u2019")
    assert_clean("a bad key's ValidationError", str(bad_key.value))


def test_overriding_the_key_keeps_it_secret(tmp_path: Path) -> None:
    """``Summarizer(settings, api_key=...)`` copied a plain string into Settings (pydantic's
    ``model_copy`` does not validate): the repr showed it, and the llm backend crashed."""
    base = Settings(backend="llm", base_url="http://x/v1", model="m", cache_dir=tmp_path)
    summarizer = Summarizer(base, api_key=KEY)
    try:
        assert_clean("Summarizer.settings", repr(summarizer.settings))
        assert summarizer.settings.api_key is not None
        assert summarizer.settings.api_key.get_secret_value() == KEY
        assert summarizer.backend.name == "llm"
    finally:
        summarizer.close()
    with pytest.raises(ConfigError, match="temperature"):
        base.model_copy(update={"temperature": 9})


def test_redact() -> None:
    assert redact(f"bad key Bearer {KEY}, {KEY}!", KEY) == f"bad key {REDACTED}, {REDACTED}!"
    assert redact("authorization: bearer abc.def", None) == f"authorization: {REDACTED}"
    assert redact("nothing here", KEY) == "nothing here"


# --- recordings ----------------------------------------------------------------------------------


def test_recordings_hold_no_key_or_authorization() -> None:
    files = [p for p in CASSETTES.rglob("*") if p.is_file()]
    assert files, "no recordings to check"
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert_clean(f"recording {path.relative_to(REPO)}", text)
        lowered = text.lower()
        assert "authorization" not in lowered, path
        assert "api-key" not in lowered and "x-api-key" not in lowered, path
        assert "sk-no-key-needed" not in text, path  # even the local placeholder is filtered
