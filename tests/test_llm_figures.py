"""The llm path's casualty figures: what a strong model answers reaches the extraction whole.

A strong model asked for "the number stated or null" answers null for "Ana Ruiz was
arrested" (no number is written) and names her in ``group``: the figure is one person
detained, listed by name, as the rules backend reads it. A model that answers 1 there is not
re-asked. A figure's ``scope`` is the model's ("context": kept out of the toll); where the
model gives none, a figure the rules set apart as background (an arrest years ago) stays
apart.

Invented sentences only; the model is a scripted OpenAI-compatible endpoint
(``httpx2.MockTransport``) and the rules backend is the real one.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from summarizer.config import Settings
from summarizer.extract.llm import LLMBackend
from summarizer.extract.llm_schema import Grounding, judge
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.models import Article, ArticleExtraction

from .test_llm import FakeServer, assert_grounded, completion, labels

TEXT = """Dock strike ends in arrests

Police arrested Ana Ruiz on Tuesday outside the Leeds depot, the port authority said.
Both Piet Lund and Marta Oyelaran were also detained, their union said.
Her lawyer said Ruiz had been hurt during the arrest.
Three years ago, Jon Vasquez was arrested at a similar protest in the same port and jailed for a month.
"""  # noqa: E501 - one sentence a line, as the article would have it


@pytest.fixture
def article() -> Article:
    return parse(RawArticle(id="dock", path="dock.txt", text=TEXT))


def _figure(
    sentence: int, status: str, group: str, count: int | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "sentence": sentence,
        "status": status,
        "count": count,
        "group": group,
        "reported_by": None,
        **more,
    }


def _extract(article: Article, answer: dict[str, Any]) -> tuple[ArticleExtraction, FakeServer]:
    """The llm backend with the real rules behind it, answered once with ``answer``."""
    server = FakeServer(completion(answer), completion(answer))
    transport = httpx2.MockTransport(server.handle)
    backend = LLMBackend(
        Settings(backend="llm", base_url="http://fake.test/v1", model="m", max_reasks=1),
        rules=RulesBackend(),
        http_client=httpx2.Client(transport=transport),
        async_http_client=lambda: httpx2.AsyncClient(transport=transport),
        sleep=server.sleeps.append,
        asleep=server._asleep,
    )
    return backend.extract(article), server


@pytest.mark.parametrize(
    ("group", "people"),
    [
        ("Ana Ruiz", ["Ana Ruiz"]),
        ("Ruiz", ["Ruiz"]),
        ("Mrs Ana Ruiz, 41, a crane driver", ["Ana Ruiz"]),  # title off, appositive ends it
        ("Piet Lund and Marta Oyelaran", ["Piet Lund", "Marta Oyelaran"]),
        ("Piet Lund and two others", []),  # someone unnamed is counted too
        ("dock workers", []),
        ("Americans", []),  # a nationality names no one
        ("Leeds Police", []),  # a body
        ("John Smith", []),  # not in the article
    ],
)
def test_a_group_names_people_only_as_the_article_names_them(
    article: Article, group: str, people: list[str]
) -> None:
    assert Grounding(article).named_people(group) == people


def test_named_people_are_counted_by_their_names(article: Article) -> None:
    """The model states no number (there is none): one named person is 1, two are 2."""
    answer = labels(
        casualties=[
            _figure(1, "detained", "Ana Ruiz"),
            _figure(2, "detained", "Piet Lund and Marta Oyelaran, dock workers"),
            _figure(3, "wounded", "Ana Ruiz"),
        ]
    )
    extraction, server = _extract(article, answer)
    assert len(server.requests) == 1
    shown = [
        (f.status, f.count, f.person, article.text[f.start : f.end], f.count_text)
        for f in extraction.casualties
        if not f.background
    ]
    assert shown == [
        ("detained", 1, "Ana Ruiz", "Ana Ruiz", ""),
        ("detained", 2, "Piet Lund and Marta Oyelaran", "Piet Lund and Marta Oyelaran", ""),
        ("wounded", 1, "Ana Ruiz", "Ruiz", ""),
    ]
    assert_grounded(extraction, article)


def test_a_count_of_named_people_is_no_error(article: Article) -> None:
    """'Ana Ruiz was arrested' is 1 arrested though no "1" is written: never a re-ask."""
    judged = judge(
        labels(
            casualties=[
                _figure(1, "detained", "Ana Ruiz", 1),
                _figure(2, "detained", "Piet Lund and Marta Oyelaran", 2),
                _figure(1, "detained", "Ana Ruiz", 2),  # two people, one name: still wrong
                _figure(1, "detained", "dock workers", 1),
            ]
        ),
        Grounding(article),
    )
    assert [c.count for c in judged.casualties] == [1, 2]
    assert [r.reason.split(":")[0] for r in judged.rejected] == [
        "count 2 does not appear in sentence S1",
        "count 1 does not appear in sentence S1",
    ]


def test_a_figure_the_rules_set_apart_stays_apart(article: Article) -> None:
    """An arrest three years ago is context for the rules; the model's label of it is too,
    and today's arrests stay in the toll."""
    answer = labels(
        casualties=[_figure(1, "detained", "Ana Ruiz"), _figure(4, "detained", "Jon Vasquez")]
    )
    extraction, _ = _extract(article, answer)
    by_person = {f.person: f.background for f in extraction.casualties}
    assert by_person["Jon Vasquez"] is True
    assert by_person["Ana Ruiz"] is False
    assert_grounded(extraction, article)


def test_the_models_scope_is_kept_and_the_rules_fill_it_where_it_says_none(
    article: Article,
) -> None:
    """The model's "context" sets a figure apart and its "event" keeps one in the toll even
    where the rules read background; with no scope, the rules' reading stands."""
    answer = labels(
        casualties=[
            _figure(1, "detained", "Ana Ruiz", scope="context"),
            _figure(3, "wounded", "Ana Ruiz", scope=None),
            _figure(4, "detained", "Jon Vasquez", scope="event"),
        ]
    )
    extraction, server = _extract(article, answer)
    assert len(server.requests) == 1
    scopes = {(f.status, f.person): f.background for f in extraction.casualties}
    assert scopes[("detained", "Ana Ruiz")] is True
    assert scopes[("wounded", "Ana Ruiz")] is False
    assert scopes[("detained", "Jon Vasquez")] is False
    assert scopes[("detained", "Piet Lund and Marta Oyelaran")] is False  # the rules fill it
    request = server.requests[0]
    assert "hypothetical" in request["messages"][0]["content"]  # the prompt says what it means


BUS = """Bus plunges into gorge near Varenna

Nineteen people were killed, including seven children, when a bus left the mountain road on Sunday, regional police said.
The toll rose to 19 from an earlier figure of 14, the police said on Monday.
"""  # noqa: E501 - one sentence a line, as the article would have it


def test_a_part_and_a_replaced_figure_are_the_rules_reading_of_them() -> None:
    """The schema asks the model for no "part of" or "replaced": the rules' reading of the
    same figure in its sentence says it, as it says background, so merge shows the children
    inside the toll and the earlier 14 as replaced, whichever backend read them."""
    bus = parse(RawArticle(id="bus", path="bus.txt", text=BUS))
    answer = labels(
        casualties=[
            _figure(1, "killed", "people", 19),
            _figure(1, "killed", "children", 7),
            _figure(2, "killed", "people", 19),
            _figure(2, "killed", "people", 14),
        ]
    )
    extraction, server = _extract(bus, answer)
    assert len(server.requests) == 1
    read = [(f.count, f.part_of, f.superseded) for f in extraction.casualties]
    assert read == [(19, False, False), (7, True, False), (19, False, False), (14, False, True)]
    rules = RulesBackend().extract(bus).casualties
    assert read == [(f.count, f.part_of, f.superseded) for f in rules]
    assert_grounded(extraction, bus)
