"""Settings, resolved once: explicit value (CLI flag or argument) > config file > environment.

The config file is ``summarizer.toml`` in the working directory, else in the user config dir
(``platformdirs.user_config_dir("summarizer")``). Keys are the field names of ``Settings``::

    backend = "llm"
    base_url = "http://127.0.0.1:8080/v1"
    model = "smollm2"

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SUMMARIZER_MODEL``,
``SUMMARIZER_BACKEND``, ``SUMMARIZER_CACHE_DIR``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .errors import ConfigError

BackendName = Literal["auto", "rules", "llm"]
Mode = Literal["tools", "json_schema", "json"]
APP = "summarizer"

_ENVIRONMENT = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "SUMMARIZER_MODEL",
    "backend": "SUMMARIZER_BACKEND",
    "cache_dir": "SUMMARIZER_CACHE_DIR",
}


class Settings(BaseModel):
    """Everything that changes how a brief is made. Immutable once resolved.

    The API key never shows: ``repr``, ``model_dump`` and validation errors print it masked
    (``hide_input_in_errors``: pydantic would otherwise quote the offending input), and
    ``model_copy(update=...)`` validates, so a key given as a plain string is wrapped too.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    backend: BackendName = "auto"
    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str | None = None
    mode: Mode = "tools"
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_output_tokens: int = Field(default=1024, gt=0)
    max_reasks: int = Field(default=2, ge=0, le=5)
    token_budget: int = Field(default=20_000, gt=0)
    timeout: float = Field(default=60.0, gt=0)
    deadline: float = Field(default=300.0, gt=0)
    max_attempts: int = Field(default=5, ge=1, le=10)
    concurrency: int = Field(default=8, ge=1, le=64)
    cache_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP)))
    use_cache: bool = True
    max_article_bytes: int = Field(default=2_000_000, gt=0)

    @field_validator("api_key")
    @classmethod
    def _usable_key(cls, value: SecretStr | None) -> SecretStr | None:
        """Spaces and newlines around a pasted key are dropped; a key an HTTP header cannot
        carry is refused here, without quoting it (the HTTP library's own error would put the
        whole key in the debug log). A blank key is no key."""
        if value is None:
            return None
        key = value.get_secret_value().strip()
        if not key:
            return None
        if not (key.isascii() and key.isprintable()) or any(c.isspace() for c in key):
            raise ValueError(
                "the API key contains a space, a control or a non-ASCII character; copy it "
                "again into OPENAI_API_KEY (or api_key in summarizer.toml)"
            )
        return value if key == value.get_secret_value() else SecretStr(key)

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Settings:
        """A copy with ``update`` applied *and validated* (pydantic's own skips validation,
        which would keep a plain-string key unmasked and unchecked)."""
        if not update:
            return super().model_copy(deep=deep)
        return _validated({**dict(self), **update})

    @property
    def resolved_backend(self) -> Literal["rules", "llm"]:
        """``auto`` means ``llm`` when a key or a base URL is configured, else ``rules``."""
        if self.backend == "auto":
            return "llm" if (self.api_key is not None or self.base_url) else "rules"
        return self.backend


def config_file(cwd: Path | None = None) -> Path | None:
    """The config file that applies, if any."""
    for candidate in (
        (cwd or Path.cwd()) / "summarizer.toml",
        Path(platformdirs.user_config_dir(APP)) / "summarizer.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"{path}: cannot read the config file ({error}); fix or remove it"
        ) from None
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; "
            f"valid keys are {', '.join(sorted(Settings.model_fields))}"
        )
    return data


def resolve(
    explicit: dict[str, Any] | None = None,
    *,
    environ: dict[str, str] | None = None,
    file: Path | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Merge explicit values (``None`` means "not given"), the config file and the environment."""
    env = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {
        field: env[name] for field, name in _ENVIRONMENT.items() if env.get(name)
    }
    path = file if file is not None else config_file(cwd)
    if path is not None:
        values.update(_read_file(path))
    values.update({k: v for k, v in (explicit or {}).items() if v is not None})
    return _validated(values)


def _validated(values: dict[str, Any]) -> Settings:
    """Settings from ``values``, or a ConfigError naming each bad setting (never its value)."""
    try:
        return Settings(**values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
