"""Settings, resolved once: explicit value (CLI flag or argument) > config file > environment.

The config file is ``summarizer.toml`` in the working directory, else in the user config dir
(``platformdirs.user_config_dir("summarizer")``). Keys are the field names of ``Settings``::

    backend = "llm"
    base_url = "http://127.0.0.1:8080/v1"
    model = "smollm2"

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SUMMARIZER_MODEL``,
``SUMMARIZER_BACKEND``, ``SUMMARIZER_CACHE_DIR``.

Every settings error names where the bad value came from: the flag (``--concurrency``), the
config file (its path) or the environment variable; a config file that is not UTF-8, or starts
with a byte-order mark, is one line naming the file and the byte. A ``base_url`` that is not
an ``http(s)://host`` address is refused at once (nothing is sent to retry).
"""

from __future__ import annotations

import os
import tomllib
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .errors import ConfigError, add_secret, redact, secrets_of_url

BackendName = Literal["auto", "rules", "llm"]
Mode = Literal["tools", "json_schema", "json"]
APP = "summarizer"

# The environment variable of each setting (the CLI's --help lists them from here).
ENVIRONMENT = {
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
    # Wall-clock seconds for one article's extraction by the rules backend (in this process
    # or a worker): past it, the article is failed with the reason (``extract.budget``).
    article_seconds: float = Field(default=60.0, gt=0)
    # Inputs read from the web (``readers.fetch``): seconds to connect and between reads (a
    # URL's whole fetch gets three times that), and the largest page, feed or message read.
    fetch_timeout: float = Field(default=20.0, gt=0)
    max_page_bytes: int = Field(default=4_000_000, gt=0)

    @field_validator("base_url")
    @classmethod
    def _usable_url(cls, value: str | None) -> str | None:
        """An http(s) address with a host, or a message saying what is wrong (never the URL
        itself: it may hold a key)."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        try:
            parts = urllib.parse.urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise ValueError(
                "not a URL an HTTP client can use; give the server's address, e.g. "
                "http://127.0.0.1:8080/v1"
            ) from None
        if "://" not in value:
            raise ValueError(
                "the URL has no scheme; add http:// (or https://) in front, e.g. "
                + _with_scheme(value)
            )
        if parts.scheme.lower() not in ("http", "https"):
            shown = f"'{parts.scheme}://'" if parts.scheme else "no scheme"
            raise ValueError(
                f"the llm backend speaks HTTP, and this URL has {shown}; give the server's "
                "http:// or https:// address, e.g. http://127.0.0.1:8080/v1"
            )
        for secret in secrets_of_url(value):
            add_secret(secret)  # a key in the URL is never printed (summarizer.errors.redact)
        if not parts.hostname:
            raise ValueError(
                "the URL names no host; give the server's address, e.g. http://127.0.0.1:8080/v1"
            )
        return value

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
        add_secret(key)
        if not (key.isascii() and key.isprintable()) or any(c.isspace() for c in key):
            raise ValueError(
                "the API key contains a space, a control or a non-ASCII character; copy it "
                "again into OPENAI_API_KEY (or api_key in summarizer.toml)"
            )
        return value if key == value.get_secret_value() else SecretStr(key)

    def __repr_args__(self) -> Any:
        """The repr shows a base URL without the credentials it may carry."""
        for name, value in super().__repr_args__():
            yield name, redact(value) if name == "base_url" and isinstance(value, str) else value

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
        """``auto`` means ``llm`` when a model and a key or base URL are configured, else
        ``rules`` (see ``auto_note`` for the case of a key or URL without a model)."""
        if self.backend == "auto":
            return "llm" if (self.model and self._has_server) else "rules"
        return self.backend

    @property
    def auto_note(self) -> str | None:
        """Why ``auto`` chose ``rules`` although a server is configured, for a one-line notice.

        An ``OPENAI_API_KEY`` exported for other tools, with no model named, must not stop the
        offline quick start: ``auto`` then falls back to ``rules`` and says so (an explicit
        ``backend = "llm"`` without a model is still an error)."""
        if self.backend != "auto" or self.model or not self._has_server:
            return None
        what = "OPENAI_API_KEY is set" if self.api_key is not None else "a base URL is set"
        return (
            f"{what} but no model is: using the rules backend (offline); to use the llm "
            "backend pass --model or set SUMMARIZER_MODEL; --backend rules silences this"
        )

    @property
    def _has_server(self) -> bool:
        return self.api_key is not None or bool(self.base_url)


def _with_scheme(value: str) -> str:
    """``127.0.0.1:8080/v1`` as ``http://127.0.0.1:8080/v1``: host, port and path only (a
    user name, password or query may hold a key, and is never shown)."""
    try:
        parts = urllib.parse.urlsplit("http://" + value.lstrip("/"))
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "http://127.0.0.1:8080/v1"
    return f"http://{parts.hostname or '127.0.0.1'}{port}{parts.path}"


def config_file(cwd: Path | None = None) -> Path | None:
    """The config file that applies, if any."""
    for candidate in (
        (cwd or Path.cwd()) / "summarizer.toml",
        Path(platformdirs.user_config_dir(APP)) / "summarizer.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


_BOM = b"\xef\xbb\xbf"


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the config file ({error.strerror or error}); check its "
            "permissions, or remove it"
        ) from None
    if data.startswith(_BOM):
        raise ConfigError(
            f"{path}: the config file starts with a byte-order mark (bytes EF BB BF, as some "
            "Windows editors write); save it as UTF-8 without BOM"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: the config file is not UTF-8 (byte {data[error.start]:#04x} at offset "
            f"{error.start}, line {line}); save it as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)"
        ) from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path}: cannot read the config file ({error}); fix or remove it"
        ) from None
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; "
            f"valid keys are {', '.join(sorted(Settings.model_fields))}"
        )
    return values


def resolve(
    explicit: dict[str, Any] | None = None,
    *,
    environ: dict[str, str] | None = None,
    file: Path | None = None,
    cwd: Path | None = None,
    flags: Mapping[str, str] | None = None,
) -> Settings:
    """Merge explicit values (``None`` means "not given"), the config file and the environment.

    ``flags`` names the command-line flag of each explicit setting, for error messages (a
    library caller's explicit values are named as keyword arguments).
    """
    env = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for field, name in ENVIRONMENT.items():
        if env.get(name):
            values[field], origins[field] = env[name], f"environment variable {name}"
    path = file if file is not None else config_file(cwd)
    if path is not None:
        from_file = _read_file(path)
        values.update(from_file)
        origins.update(dict.fromkeys(from_file, str(path)))
    for field, value in (explicit or {}).items():
        if value is not None:
            values[field] = value
            origins[field] = (flags or {}).get(field) or f"the {field}= argument"
    return _validated(values, origins)


def _validated(values: dict[str, Any], origins: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``values``, or a ConfigError naming each bad setting, where its value came
    from (``origins``: a flag, a file, a variable), and never the value itself."""
    try:
        return Settings(**values)
    except ValidationError as error:
        problems = []
        for e in error.errors():
            where = ".".join(str(p) for p in e["loc"])
            origin = (origins or {}).get(str(e["loc"][0])) if e["loc"] else None
            message = e["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}" + (f" (from {origin})" if origin else ""))
        raise ConfigError(f"invalid settings: {'; '.join(problems)}") from None
