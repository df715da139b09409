"""The shape of the package: imports flow one way, and the public surface stays small."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import summarizer

REPO = Path(__file__).resolve().parent.parent


def test_pipeline_stages_import_only_downstream() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [lint, "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_surface_is_small_and_sorted() -> None:
    assert summarizer.__all__ == sorted(summarizer.__all__)
    for name in summarizer.__all__:
        assert hasattr(summarizer, name)
    assert {"brief", "extract", "Summarizer", "Briefing", "SummarizerError"} <= set(
        summarizer.__all__
    )


def test_errors_form_one_tree() -> None:
    for error in (
        summarizer.ConfigError,
        summarizer.InputError,
        summarizer.BackendError,
        summarizer.InternalError,
    ):
        assert issubclass(error, summarizer.SummarizerError)
