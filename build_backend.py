"""setuptools' build backend, with the rules compiled by mypyc when ``SUMMARIZER_MYPYC=1``
(``setup.py``): mypy is then added to the build's requirements, and only building a wheel
(what ``pip install .`` does) compiles. Metadata, an sdist or an editable install never do:
in an editable install a module compiled beside its source would be imported instead of the
edited file.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403 - the backend's other hooks, as they are

_FLAG = "SUMMARIZER_MYPYC"
_MYPY = "mypy>=1.10"
_Settings = dict[str, Any] | None


@contextlib.contextmanager
def _pure() -> Iterator[None]:
    """The flag unset for one hook (each hook runs in a process of its own)."""
    flag = os.environ.pop(_FLAG, None)
    try:
        yield
    finally:
        if flag is not None:
            os.environ[_FLAG] = flag


def get_requires_for_build_wheel(config_settings: _Settings = None) -> list[str]:
    """setuptools' requirements; to compile, mypy too, and the package's own dependencies:
    mypyc type-checks the package as ``mypy --strict`` does (pydantic's plugin included),
    so it must see what the package imports."""
    compiling = os.environ.get(_FLAG) == "1"
    with _pure():  # setuptools runs setup.py to ask, before mypy can be there
        needed: list[str] = build_meta.get_requires_for_build_wheel(config_settings)
    if not compiling:
        return needed
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*needed, _MYPY, *project["dependencies"]]


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: _Settings = None
) -> str:
    with _pure():
        return str(build_meta.prepare_metadata_for_build_wheel(metadata_directory, config_settings))


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: _Settings = None
) -> str:
    with _pure():
        return str(
            build_meta.prepare_metadata_for_build_editable(metadata_directory, config_settings)
        )


def build_editable(
    wheel_directory: str, config_settings: _Settings = None, metadata_directory: str | None = None
) -> str:
    with _pure():
        return str(build_meta.build_editable(wheel_directory, config_settings, metadata_directory))


def build_sdist(sdist_directory: str, config_settings: _Settings = None) -> str:
    with _pure():
        return str(build_meta.build_sdist(sdist_directory, config_settings))
