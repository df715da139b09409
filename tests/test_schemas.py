"""The exported JSON Schemas match the models, ship in the package, and hold the contract."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.models import (
    ArticleReport,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyRow,
    Citation,
    Figure,
    Story,
    SummaryLine,
)
from summarizer.schema import REGENERATE_COMMAND, dumps, schemas, write_schemas

REPO_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

# DESIGN.md "Contracts other tools rely on": list field -> keys every element must carry.
CONTRACT: dict[str, set[str]] = {
    "articles": {"id", "path", "status", "error"},
    "quotes": {"text", "speaker", "citations", "story"},
    "casualties": {"status", "group", "figures", "discrepancy", "story"},
    "stances": {"actor", "position", "citations", "story"},
    "summary": {"text", "citations", "story"},
    "stories": {"id", "title", "article_ids"},
}
CITATION_KEYS = {"article_id", "start", "end"}
FIGURE_KEYS = {"count", "article_id", "start", "end", "attributed_to"}


@pytest.mark.parametrize("name", sorted(schemas()))
def test_committed_schemas_match_the_models(name: str) -> None:
    path = REPO_SCHEMAS / name
    assert path.is_file(), f"{path} is missing; regenerate with `{REGENERATE_COMMAND}`"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert committed == schemas()[name], (
        f"{path} is out of date with summarizer/models.py; regenerate with `{REGENERATE_COMMAND}`"
    )


@pytest.mark.parametrize("name", sorted(schemas()))
def test_schemas_ship_inside_the_package(name: str) -> None:
    try:
        packaged = importlib.resources.files("summarizer.schemas") / name
    except ModuleNotFoundError:
        pytest.skip("summarizer is not installed; `pip install -e .` to check the packaged schemas")
    assert json.loads(packaged.read_text(encoding="utf-8")) == schemas()[name]


def test_write_schemas_is_stable(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(schemas())
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text == dumps(schemas()[path.name])
        assert text.endswith("}\n")


def _citation(article_id: str = "a1", start: int = 0, end: int = 5) -> Citation:
    return Citation(article_id=article_id, start=start, end=end, text="x" * (end - start))


def _briefing() -> Briefing:
    return Briefing(
        title="Brief",
        backend="rules",
        articles=[
            ArticleReport(id="a1", path="a1.txt", status="ok"),
            ArticleReport(id="a2", path="a2.txt", status="failed", error="empty file"),
        ],
        stories=[Story(id="s1", title="Story", article_ids=["a1"])],
        summary=[SummaryLine(story="s1", text="Lead.", citations=[_citation()])],
        quotes=[
            BriefQuote(
                id="q1",
                story="s1",
                text="xxxxx",
                speaker="Someone",
                fragment=False,
                citations=[_citation()],
            )
        ],
        casualties=[
            CasualtyRow(
                id="c1",
                story="s1",
                status="killed",
                group="soldiers",
                consensus=2,
                discrepancy=False,
                figures=[
                    Figure(
                        article_id="a1",
                        start=0,
                        end=3,
                        text="two",
                        count=2,
                        count_text="two",
                        group_as_stated="soldiers",
                        attributed_to=None,
                    )
                ],
            )
        ],
        stances=[
            BriefStance(
                id="t1", story="s1", actor="Someone", position="xxxxx", citations=[_citation()]
            )
        ],
    )


def test_briefing_json_has_the_contract_keys() -> None:
    dumped = json.loads(_briefing().model_dump_json())
    for field, keys in CONTRACT.items():
        assert dumped[field], f"the test briefing should have {field}"
        for item in dumped[field]:
            assert keys <= item.keys(), f"{field}[] lacks {keys - item.keys()}"
    for field in ("quotes", "stances", "summary"):
        for item in dumped[field]:
            for citation in item["citations"]:
                assert citation.keys() >= CITATION_KEYS, f"{field}[].citations[] lacks keys"
    for row in dumped["casualties"]:
        for figure in row["figures"]:
            assert figure.keys() >= FIGURE_KEYS


def _properties(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The properties of ``node``, following a ``$ref`` into ``$defs``."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    props: dict[str, Any] = node["properties"]
    return props


def test_briefing_schema_declares_the_contract_keys() -> None:
    schema = schemas()["briefing.schema.json"]
    top = _properties(schema, schema)
    for field, keys in CONTRACT.items():
        item = _properties(schema, top[field]["items"])
        assert keys <= item.keys(), f"schema {field}[] lacks {keys - item.keys()}"
        if "citations" in keys:
            assert _properties(schema, item["citations"]["items"]).keys() >= CITATION_KEYS
    figures = _properties(schema, top["casualties"]["items"])["figures"]
    assert _properties(schema, figures["items"]).keys() >= FIGURE_KEYS


def test_compact_models_share_their_field_names_and_stay_apart() -> None:
    """A brief holds a citation for each place an item is written: their instances given
    the same fields share one set of names (pydantic keeps one per instance, 700 bytes and
    more), and a copy with more fields gets its own, leaving the others' as they were."""
    first = Citation(article_id="a1", start=0, end=5, text="Hello")
    second = Citation(article_id="a2", start=3, end=9, text="there.")
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    exact = first.model_copy(update={"exact": "Hello"})
    assert exact.model_fields_set == {"article_id", "start", "end", "text", "exact"}
    given = {"article_id", "start", "end", "text"}
    assert first.model_fields_set == second.model_fields_set == given
    assert first.model_dump(exclude_unset=True) == {
        "start": 0,
        "end": 5,
        "article_id": "a1",
        "text": "Hello",
    }
    with pytest.raises(ValidationError):
        first.text = "changed"  # type: ignore[misc]
    assert first.model_fields_set == given
