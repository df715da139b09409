"""The rough edges a new user hits on the command line, each as that user would try it: the
version, the format from -o, -o naming a folder, extract on a folder, a key exported for
another tool, a base URL without http://, what -q, -v and --debug print, the environment in
--help, shell completion. Some run the installed command in a real subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import __version__
from summarizer.cli import app
from summarizer.config import ENVIRONMENT

from .conftest import ARTICLES
from .fault_server import Faults, FaultServer

pytestmark = pytest.mark.timeout(120)

runner = CliRunner()
SEED = sorted(ARTICLES.glob("*.txt"))[0]
LABELLED = re.compile(r"^(debug|info|warning|error|critical): ")


def summarizer(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: a new process, this test's environment (no key, its own
    cache dir, a working dir without summarizer.toml) plus ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, **env},
        check=False,
    )


def test_version() -> None:
    done = summarizer("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"summarizer {__version__}\n", "")


@pytest.mark.parametrize(
    ("name", "starts"), [("brief.html", "<!DOCTYPE html>"), ("brief.json", "{"), ("b.md", "# ")]
)
def test_the_format_follows_the_suffix_of_o(tmp_path: Path, name: str, starts: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["brief", str(ARTICLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(starts)


def test_o_naming_a_folder_is_refused_before_any_work(
    tmp_path: Path, isolated_environment: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = runner.invoke(app, ["brief", str(ARTICLES), "-o", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: -o {folder} is a folder; give a file name")
    assert list(folder.iterdir()) == []
    assert not isolated_environment.exists(), "no article was read or extracted"


def test_extract_on_a_folder_is_refused_not_its_first_file() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "is a folder; extract reads one article file" in result.stderr
    one = runner.invoke(app, ["extract", str(SEED)])
    assert one.exit_code == 0 and json.loads(one.stdout)["article_id"] == SEED.name


def test_the_quick_start_works_with_a_key_exported_for_another_tool(tmp_path: Path) -> None:
    """OPENAI_API_KEY set, no model: the offline quick start still makes the brief (rules),
    with one line saying why and how to choose."""
    key = "test-key-exported-for-another-tool-0123456789"
    done = summarizer("brief", str(ARTICLES), OPENAI_API_KEY=key)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Morning brief")
    notice, run_line = done.stderr.splitlines()
    assert notice.startswith(
        "warning: OPENAI_API_KEY is set but no model is: using the rules backend"
    )
    assert "--model" in notice and "--backend rules" in notice
    assert run_line.startswith("brief: 5 articles ok") and "(rules)" in run_line
    assert key not in done.stdout + done.stderr
    quiet = summarizer("brief", str(ARTICLES), "--backend", "rules", OPENAI_API_KEY=key)
    assert len(quiet.stderr.splitlines()) == 1, "--backend rules: no notice"


def test_a_base_url_without_http_is_told_to_add_it() -> None:
    result = runner.invoke(
        app, ["brief", str(ARTICLES), "--base-url", "127.0.0.1:8080", "--model", "m"]
    )
    assert result.exit_code == 1
    assert "add http:// (or https://) in front, e.g. http://127.0.0.1:8080" in result.stderr
    assert "(from --base-url)" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(Faults()) as running:
        yield running


def test_debug_lines_say_their_level(server: FaultServer) -> None:
    done = summarizer(
        "brief", str(SEED), "--base-url", server.base_url, "--model", "fake", "--debug"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    run_lines = [line for line in lines if line.startswith("brief: ")]
    labelled = [line for line in lines if LABELLED.match(line)]
    assert len(run_lines) == 1 and any(line.startswith("debug: ") for line in labelled)
    assert any(line.startswith("info: summarizer.pipeline: read 1 articles") for line in lines)
    assert len(labelled) + len(run_lines) == len(lines), "every line says its level"


def test_quiet_prints_nothing_but_errors(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(ARTICLES, folder)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # skipped, with a warning
    loud = runner.invoke(app, ["brief", str(folder), "-o", str(tmp_path / "a.md")])
    assert loud.exit_code == 0 and "warning: " in loud.stderr and "brief: " in loud.stderr
    quiet = runner.invoke(app, ["brief", str(folder), "-q", "-o", str(tmp_path / "b.md")])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    failed = runner.invoke(app, ["brief", str(folder), "--quiet", "-o", str(tmp_path / "c.md")])
    assert failed.exit_code == 3
    lines = failed.stderr.splitlines()  # only the failure that explains exit code 3
    assert lines and all("broken.txt" in line for line in lines)


def test_verbose_says_what_each_stage_did(tmp_path: Path) -> None:
    result = runner.invoke(app, ["brief", str(ARTICLES), "-v", "-o", str(tmp_path / "b.md")])
    assert result.exit_code == 0
    info = [line for line in result.stderr.splitlines() if line.startswith("info: ")]
    assert any("read 5 articles" in line for line in info)
    assert any("extracted 5 articles with the rules backend" in line for line in info)
    assert any(line.startswith("info: merged into 1 stories") for line in info)
    both = runner.invoke(app, ["brief", str(ARTICLES), "-q", "-v"])
    assert both.exit_code == 2 and "-q goes with neither -v nor --debug" in both.stderr


@pytest.mark.parametrize("command", [["brief"], ["extract"], ["eval"]])
def test_help_lists_the_environment_variables_and_the_shared_options(
    command: list[str],
) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    for name in ENVIRONMENT.values():
        assert name in shown, name
    for option in ("--backend", "--model", "--base-url", "--cache-dir", "--no-cache", "-q", "-v"):
        assert option in shown, option
    assert "--debug" in shown and "--max-article-bytes" in shown


def test_a_flag_still_wins_over_the_file_which_wins_over_the_environment(tmp_path: Path) -> None:
    """The variables are listed in --help but read by the settings, in their order."""
    Path("summarizer.toml").write_text('backend = "rules"\n', encoding="utf-8")
    result = runner.invoke(
        app, ["brief", str(SEED), "--format", "json"], env={"SUMMARIZER_BACKEND": "llm"}
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["backend"] == "rules"
    flag = runner.invoke(
        app, ["brief", str(SEED), "--backend", "llm"], env={"SUMMARIZER_BACKEND": "rules"}
    )
    assert flag.exit_code == 1 and "needs a model" in flag.stderr


def test_shell_completion_is_offered_and_completes() -> None:
    shown = " ".join(runner.invoke(app, ["--help"], terminal_width=200).stdout.split())
    assert "--install-completion" in shown and "--show-completion" in shown
    words = {
        "summarizer br": ["brief"],
        "summarizer brief --ba": ["--backend", "--base-url"],
        "summarizer brief --backend ": ["auto", "rules", "llm"],
    }
    for line, expected in words.items():
        done = subprocess.run(
            [str(Path(sys.executable).with_name("summarizer"))],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={
                **os.environ,
                "_SUMMARIZER_COMPLETE": "complete_bash",
                "COMP_WORDS": line,
                "COMP_CWORD": str(len(line.split()) - (0 if line.endswith(" ") else 1)),
            },
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == expected, line
