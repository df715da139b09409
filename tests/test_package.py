"""What ``pip show summarizer`` and a package index show: the license, the classifiers."""

from __future__ import annotations

import importlib.metadata
import tomllib

import trove_classifiers

from .conftest import REPO


def test_the_license_file_is_mit_and_ships_with_the_package() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ") and "summarizer authors" in text
    metadata = importlib.metadata.metadata("summarizer")
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    shipped = [f for f in importlib.metadata.files("summarizer") or [] if f.name == "LICENSE"]
    assert [f.read_text(encoding="utf-8") for f in shipped] == [text]


def test_the_classifiers_are_real_and_say_what_is_tested() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    classifiers = project["classifiers"]
    assert [c for c in classifiers if c not in trove_classifiers.classifiers] == []
    assert classifiers == sorted(classifiers)
    assert (
        "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    )
    installed = importlib.metadata.metadata("summarizer").get_all("Classifier")
    assert installed == classifiers, "reinstall (pip install -e .) after editing pyproject.toml"
