"""setuptools' build backend, with the rules compiled by mypyc when ``SUMMARIZER_MYPYC=1``
(``setup.py``): mypy is then added to the build's requirements, and only building a wheel
(what ``pip install .`` does) compiles. Every other hook runs with the flag unset, so that
metadata, an sdist or an editable install never compile: in an editable install a module
compiled beside its source would be imported instead of the edited file.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403 - the backend's other hooks, as they are

_FLAG = "SUMMARIZER_MYPYC"
_MYPY = "mypy>=1.10"
_T = TypeVar("_T")


def _without_flag(hook: Callable[..., _T]) -> Callable[..., _T]:
    """``hook`` run with the flag unset (each hook runs in a process of its own)."""

    @functools.wraps(hook)
    def run(*args: Any, **kwargs: Any) -> _T:
        flag = os.environ.pop(_FLAG, None)
        try:
            return hook(*args, **kwargs)
        finally:
            if flag is not None:
                os.environ[_FLAG] = flag

    return run


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    """setuptools' requirements; to compile, mypy too, and the package's own dependencies:
    mypyc type-checks the package as ``mypy --strict`` does (pydantic's plugin included),
    so it must see what the package imports. (setuptools runs ``setup.py`` to answer, before
    mypy can be there: without the flag.)"""
    needed: list[str] = _without_flag(build_meta.get_requires_for_build_wheel)(config_settings)
    if os.environ.get(_FLAG) != "1":
        return needed
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*needed, _MYPY, *project["dependencies"]]


get_requires_for_build_editable = _without_flag(build_meta.get_requires_for_build_editable)
prepare_metadata_for_build_wheel = _without_flag(build_meta.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _without_flag(build_meta.prepare_metadata_for_build_editable)
build_editable = _without_flag(build_meta.build_editable)
build_sdist = _without_flag(build_meta.build_sdist)
