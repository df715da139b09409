"""The package's compiled modules (its metadata is all in ``pyproject.toml``).

A plain install is pure Python. With ``SUMMARIZER_MYPYC=1`` a wheel (and so ``pip install
.``) compiles the modules ``[tool.summarizer.mypyc]`` lists with mypyc: the same code and
the same answers (``tests/test_compiled.py``), less CPU an article. mypyc's C is built with
the compiler's defaults (``-O3``, no ``-march=native``), so the result runs on any CPU of the
platform it was built for. ``build_backend.py`` adds mypy and the package's dependencies to
the build's requirements then, and never compiles metadata, an sdist or an editable install.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from setuptools import setup

ext_modules = []
if os.environ.get("SUMMARIZER_MYPYC") == "1":
    from mypyc.build import mypycify

    settings = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    ext_modules = mypycify(settings["tool"]["summarizer"]["mypyc"]["modules"], opt_level="3")

setup(ext_modules=ext_modules)
