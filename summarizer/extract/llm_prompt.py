"""The ``llm`` backend's prompt: ``prompts/extract.j2``, shipped as ``summarizer.prompts``.

The template is versioned by the sha256 of its bytes, which goes into the backend's cache key.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
from dataclasses import dataclass

import jinja2

from ..errors import InternalError
from ..models import Article

PROMPT_PACKAGE = "summarizer.prompts"
EXTRACT_TEMPLATE = "extract.j2"
QUOTE_PREVIEW_WORDS = 8


@functools.cache
def template_bytes(name: str) -> bytes:
    try:
        return importlib.resources.files(PROMPT_PACKAGE).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise InternalError(
            f"prompt template {name} is missing from {PROMPT_PACKAGE} ({error}); reinstall "
            "summarizer (pip install -e . from a checkout)"
        ) from error


def template_sha256(name: str = EXTRACT_TEMPLATE) -> str:
    return hashlib.sha256(template_bytes(name)).hexdigest()


@functools.cache
def _template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(
        autoescape=False,  # a prompt, not HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.from_string(template_bytes(name).decode("utf-8"))


@dataclass(frozen=True)
class _Line:
    id: int
    text: str
    sentence: int = 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _preview(text: str) -> str:
    # The quote stands in full in its sentence; the list only has to say which one it is.
    words = text.split()
    if len(words) <= QUOTE_PREVIEW_WORDS + 2:
        return " ".join(words)
    return " ".join(words[:QUOTE_PREVIEW_WORDS]) + " …"


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str


def render_extract(article: Article) -> Prompt:
    """The system and user messages for one article: numbered sentences and quotations."""
    module = _template(EXTRACT_TEMPLATE).module
    sentences = [_Line(i, _one_line(article.slice(s))) for i, s in enumerate(article.sentences)]
    quotes = [_Line(q.id, _preview(article.slice(q)), q.sentence) for q in article.quote_spans]
    system = str(module.system()).strip()  # type: ignore[attr-defined]
    user = str(module.user(sentences, quotes)).strip()  # type: ignore[attr-defined]
    return Prompt(system=system, user=user)
