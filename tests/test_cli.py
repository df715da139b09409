"""The command line as a user meets it: help, exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import ARTICLES

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [[], ["brief"], ["extract"], ["eval"], ["cache"], ["cache", "stats"], ["cache", "clear"]],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.splitlines()) > 3


def test_brief_markdown_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["brief", str(ARTICLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# ") and "Key figures" in text and "Sources" in text


def test_brief_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["brief", str(ARTICLES), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"articles", "quotes", "casualties", "stances", "summary", "stories"} <= set(data)
    assert data["articles"][0].keys() >= {"id", "path", "status", "error"}
    assert all("story" in q and q["citations"] for q in data["quotes"])


def test_a_broken_article_is_listed_and_exit_code_is_3(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(ARTICLES, folder)
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = runner.invoke(app, ["brief", str(folder), "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    failed = [a for a in data["articles"] if a["status"] == "failed"]
    assert [a["id"] for a in failed] == ["broken.txt"]
    assert "binary" in failed[0]["error"]
    assert "broken.txt" in result.stderr and "Traceback" not in result.stderr


def test_nothing_readable_is_exit_1_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["brief", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_missing_path_is_a_clear_error() -> None:
    result = runner.invoke(app, ["brief", "no/such/folder"])
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr


def test_usage_error_is_exit_2() -> None:
    assert runner.invoke(app, ["brief", str(ARTICLES), "--format", "pdf"]).exit_code == 2


def test_extract_prints_one_articles_json() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES / "001_f19cc20113312dd6.txt")])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["backend"] == "rules" and data["quotes"]


def test_cache_is_filled_then_cleared(isolated_environment: Path) -> None:
    assert runner.invoke(app, ["brief", str(ARTICLES)]).exit_code == 0
    stats = json.loads(runner.invoke(app, ["cache", "stats"]).stdout)
    assert stats["entries"] == stats["mapped"] == 5  # extractions; each file's whole map
    assert stats["directory"] == str(isolated_environment)
    one = str(ARTICLES / "001_f19cc20113312dd6.txt")
    assert runner.invoke(app, ["extract", one]).exit_code == 0  # parsed, not mapped whole
    assert json.loads(runner.invoke(app, ["cache", "stats"]).stdout)["parsed"] == 1
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed 5" in cleared.stderr
    stats = json.loads(runner.invoke(app, ["cache", "stats"]).stdout)
    assert stats["entries"] == stats["parsed"] == stats["mapped"] == 0


def test_no_cache_writes_nothing(isolated_environment: Path) -> None:
    assert runner.invoke(app, ["brief", str(ARTICLES), "--no-cache"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["cache", "stats"]).stdout)["entries"] == 0
