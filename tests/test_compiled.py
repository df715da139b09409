"""The rules compiled by mypyc (``SUMMARIZER_MYPYC=1``, ``setup.py``) answer as the source does.

A wheel is built with the flag, as a user would (``pip wheel``, its build requirements from
the package registry), and installed into a folder of its own; then, in processes that
import the package from there (and are checked to run the compiled modules), every bundled
article is extracted and must give the very JSON the source gives here, and the rules' own
tests must pass. Building takes about two minutes, so the test runs where
``SUMMARIZER_TEST_COMPILED=1`` (``.ci/run`` sets it) and is skipped elsewhere, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Every article the repository carries (23): the seeds (the fixtures), held-out and blind.
ARTICLE_FOLDERS = [REPO / "fixtures" / "articles", *sorted((REPO / "tests").glob("*/articles"))]
# The rules' own tests, run again against the compiled modules.
RULES_TESTS = [
    REPO / "tests" / name
    for name in (
        "test_attribution.py",
        "test_casualties.py",
        "test_quotes.py",
        "test_pathological.py",
        "test_timeline.py",
        "test_wrapped.py",
    )
]

# What building the package reads (pyproject.toml's package-dir and readme included).
BUILD_INPUTS = [
    "pyproject.toml",
    "setup.py",
    "build_backend.py",
    "README.md",
    "LICENSE",
    "summarizer",
    "prompts",
    "schemas",
]

pytestmark = pytest.mark.skipif(
    os.environ.get("SUMMARIZER_TEST_COMPILED") != "1",
    reason="builds the compiled wheel (about 2 minutes): set SUMMARIZER_TEST_COMPILED=1",
)

# Run in a process importing the package from the folder the wheel went to: the modules
# ``_compiled_modules`` names must be extension modules there, and each article's extraction
# is printed as a JSON line.
_EXTRACT = """
import importlib, json, sys
from pathlib import Path
compiled, folders = json.loads(sys.argv[1])
for name in compiled:
    module = importlib.import_module(name)
    assert module.__file__.endswith(".so"), f"{name} is not compiled: {module.__file__}"
from summarizer.pipeline import load_raw, parse_raw
rules = importlib.import_module("summarizer.extract.rules").RulesBackend()
paths = sorted(p for folder in folders for p in Path(folder).rglob("*") if p.is_file())
for raw in load_raw(paths):
    article = parse_raw(raw)
    print(json.dumps([str(raw.path), rules.extract(article).model_dump_json()]))
"""


def _compiled_modules() -> list[str]:
    """The modules ``SUMMARIZER_MYPYC=1`` compiles (``[tool.summarizer.mypyc]``), dotted."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    paths: list[str] = settings["tool"]["summarizer"]["mypyc"]["modules"]
    return [p.removesuffix(".py").replace("/", ".") for p in paths]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run ``python ARGS``; its output, or the test fails with the end of what it said."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    return done.stdout


def test_compiled_rules_answer_as_the_source(tmp_path: Path) -> None:
    wheels, site, source_tree = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    # Built from a copy of what the build reads: pip builds in the tree it is given, and the
    # checkout is left as it was.
    source_tree.mkdir()
    for name in BUILD_INPUTS:
        if (REPO / name).is_dir():
            skipped = shutil.ignore_patterns("__pycache__", "*.so")
            shutil.copytree(REPO / name, source_tree / name, ignore=skipped)
        else:
            shutil.copy2(REPO / name, source_tree / name)
    pure_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = ["-m", "pip", "wheel", str(source_tree), "--no-deps", "-q", "-w", str(wheels)]
    _run(build, {**pure_env, "SUMMARIZER_MYPYC": "1"}, tmp_path)
    (wheel,) = wheels.glob("summarizer-*.whl")
    assert "-cp3" in wheel.name, f"not a compiled wheel: {wheel.name}"
    _run(
        ["-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        pure_env,
        tmp_path,
    )
    compiled = _compiled_modules()
    assert "summarizer.extract.rules.entities" in compiled

    # Every article extracted by the source (this checkout, as the tests import it), then by
    # the wheel's modules (``site`` first on the path, from a folder with no package in it).
    folders = [str(f) for f in ARTICLE_FOLDERS]
    source = _run(["-c", _EXTRACT, json.dumps([[], folders])], pure_env, REPO)
    compiled_env = {**pure_env, "PYTHONPATH": str(site)}
    answers = _run(["-c", _EXTRACT, json.dumps([compiled, folders])], compiled_env, tmp_path)
    count = sum(1 for f in ARTICLE_FOLDERS for p in f.rglob("*") if p.is_file())
    assert len(source.splitlines()) == count
    assert answers == source

    # The rules' tests against the compiled modules: ``--import-mode=append`` puts the
    # checkout after ``site`` on the path, and the conftest checks what was imported.
    tests = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=append"]
    expect = {"SUMMARIZER_EXPECT_COMPILED": ",".join(compiled)}
    _run([*tests, *map(str, RULES_TESTS)], {**compiled_env, **expect}, tmp_path)
