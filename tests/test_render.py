"""Render: what an editor reading the brief must be able to see and trust."""

from __future__ import annotations

import re

import pytest

from summarizer.errors import ConfigError, InternalError
from summarizer.models import (
    ArticleReport,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyRow,
    Citation,
    Excluded,
    Figure,
    Story,
    SummaryLine,
    Usage,
)
from summarizer.render import render

# Article texts; every citation below is found in them, so its offsets are real.
TEXTS = {
    "001": (
        "ISTANBUL\n"
        "Short Url\n"
        "Follow\n"
        "The US said on Sunday it will deepen coordination with Syria's new government to "
        '"neutralize" ISIS after an ambush near Palmyra that killed three Americans.\n'
        "Three US personnel were killed in the ambush, US Central Command said.\n"
        '"Our strong partnerships within the global anti-ISIS coalition will amplify efforts '
        'to neutralize ISIS wherever it hides," US Special Envoy Tom Barrack said on X.\n'
        'Barrack said the attack "underscores the enduring menace of ISIS".\n'
        "In March, five Syrian soldiers were killed in an earlier attack in the same area, "
        "the Syrian army said.\n"
        "(Photo: Anadolu) A patrol near Palmyra.\n"
    ),
    "002": (
        " date 2025-12-14\n"
        "ERBIL (Kurdistan24) - The ambush near Palmyra killed two American soldiers, "
        "Syria's Interior Ministry said on Sunday.\n"
        "“Our strong partnerships within the anti-ISIS coalition will amplify efforts to "
        "neutralise ISIS wherever it hides,” Barrack wrote.\n"
        "Barrack said the US strategy remains focused on enabling capable Syrian partners.\n"
    ),
    "004": (
        "WASHINGTON - Syria formally joined the global coalition against ISIS on Monday, "
        "the State Department said.\n"
        '"This is a historic step," spokesperson Tammy Bruce said.\n'
        "Foreign Minister Asaad al-Shaibani said Damascus would fight terrorism in all its "
        "forms.\n"
    ),
}


def cite(article_id: str, needle: str) -> Citation:
    start = TEXTS[article_id].index(needle)
    return Citation(article_id=article_id, start=start, end=start + len(needle), text=needle)


def figure(
    article_id: str, needle: str, count: int, group: str, attributed_to: str | None
) -> Figure:
    c = cite(article_id, needle)
    return Figure(
        article_id=article_id,
        start=c.start,
        end=c.end,
        text=c.text,
        count=count,
        count_text=needle,
        group_as_stated=group,
        attributed_to=attributed_to,
    )


def excluded(article_id: str, needle: str, kind: str) -> Excluded:
    c = cite(article_id, needle)
    return Excluded.model_validate({"start": c.start, "end": c.end, "kind": kind, "reason": kind})


ENVOY_QUOTE = (
    "Our strong partnerships within the global anti-ISIS coalition will amplify efforts "
    "to neutralize ISIS wherever it hides,"
)
ENVOY_QUOTE_K24 = (
    "Our strong partnerships within the anti-ISIS coalition will amplify efforts to "
    "neutralise ISIS wherever it hides,"
)
FAILED_REASON = "not UTF-8 (byte 0xff at position 0); save the file as UTF-8 and run again"


def make_briefing() -> Briefing:
    return Briefing(
        title="Morning brief — 15 December 2025",
        backend="llm",
        model="qwen2.5-7b-instruct",
        articles=[
            ArticleReport(
                id="001",
                path="articles/001.txt",
                status="ok",
                title="US vows to 'neutralize' ISIS after Palmyra ambush",
                outlet="Anadolu",
                excluded=[
                    excluded("001", "Short Url", "boilerplate"),
                    excluded("001", "Follow", "boilerplate"),
                    excluded("001", "(Photo: Anadolu) A patrol near Palmyra.", "caption"),
                ],
            ),
            ArticleReport(
                id="002",
                path="articles/002.txt",
                status="ok",
                outlet="Kurdistan24",
                also_paths=["mirror/002.txt"],
                excluded=[excluded("002", " date 2025-12-14", "metadata")],
            ),
            ArticleReport(id="003", path="articles/003.txt", status="failed", error=FAILED_REASON),
            ArticleReport(id="004", path="articles/004.txt", status="ok", title="Syria joins"),
        ],
        stories=[
            Story(
                id="s1", title="Ambush near Palmyra kills US personnel", article_ids=["001", "002"]
            ),
            Story(id="s2", title="Syria joins the anti-ISIS coalition", article_ids=["004"]),
        ],
        summary=[
            SummaryLine(
                story="s1",
                text="An ambush near Palmyra killed US personnel on Saturday.",
                citations=[
                    cite("001", "an ambush near Palmyra that killed three Americans"),
                    cite("002", "The ambush near Palmyra killed two American soldiers"),
                ],
            ),
            SummaryLine(
                story="s1",
                text="Washington said it will deepen coordination with Syria's new government.",
                citations=[cite("001", "deepen coordination with Syria's new government")],
            ),
            SummaryLine(
                story="s1",
                text="Its envoy said the strategy of enabling Syrian partners stands.",
                citations=[cite("002", "enabling capable Syrian partners")],
            ),
            SummaryLine(
                story="s2",
                text="Syria formally joined the global coalition against ISIS on Monday.",
                citations=[cite("004", "Syria formally joined the global coalition against ISIS")],
            ),
        ],
        quotes=[
            BriefQuote(
                id="q1",
                story="s1",
                text=ENVOY_QUOTE,
                speaker="Tom Barrack",
                fragment=False,
                citations=[cite("001", ENVOY_QUOTE), cite("002", ENVOY_QUOTE_K24)],
                wordings_differ=True,
            ),
            BriefQuote(
                id="q2",
                story="s1",
                text="underscores the enduring menace of ISIS",
                speaker="Tom Barrack",
                fragment=True,
                citations=[cite("001", "underscores the enduring menace of ISIS")],
            ),
            BriefQuote(
                id="q3",
                story="s2",
                text="This is a historic step,",
                speaker="Tammy Bruce",
                fragment=False,
                citations=[cite("004", "This is a historic step,")],
            ),
        ],
        casualties=[
            CasualtyRow(
                id="c1",
                story="s1",
                status="killed",
                group="US personnel",
                figures=[
                    figure("001", "Three US personnel", 3, "US personnel", "US Central Command"),
                    figure(
                        "002",
                        "two American soldiers",
                        2,
                        "American soldiers",
                        "Syria's Interior Ministry",
                    ),
                ],
                consensus=None,
                discrepancy=True,
            ),
            CasualtyRow(
                id="c2",
                story="s1",
                status="killed",
                group="Syrian soldiers (March attack)",
                figures=[
                    figure("001", "five Syrian soldiers", 5, "Syrian soldiers", "Syrian army")
                ],
                consensus=5,
                discrepancy=False,
                background=True,
            ),
        ],
        stances=[
            BriefStance(
                id="t1",
                story="s1",
                actor="United States",
                position="deepen coordination with Syria's new government",
                citations=[cite("001", "deepen coordination with Syria's new government")],
            ),
            BriefStance(
                id="t2",
                story="s2",
                actor="Syria",
                position="would fight terrorism in all its forms",
                citations=[cite("004", "would fight terrorism in all its forms")],
            ),
        ],
        dropped=1,
        fallbacks=2,
        usage=Usage(prompt_tokens=12_345, completion_tokens=678, requests=4, reasks=1),
    )


def all_citations(briefing: Briefing) -> list[Citation]:
    found: list[Citation] = [c for line in briefing.summary for c in line.citations]
    found += [c for q in briefing.quotes for c in q.citations]
    found += [f for row in briefing.casualties for f in row.figures]
    found += [c for s in briefing.stances for c in s.citations]
    return found


MARKER = re.compile(r"\[(\d+) §(\d+)–(\d+)\]")


@pytest.fixture
def briefing() -> Briefing:
    return make_briefing()


@pytest.fixture
def markdown(briefing: Briefing) -> str:
    return render(briefing, "md")


def test_fixture_citations_are_exact(briefing: Briefing) -> None:
    for c in all_citations(briefing):
        assert TEXTS[c.article_id][c.start : c.end] == c.text


def test_markdown_calls_out_the_discrepancy_with_both_numbers_and_sources(markdown: str) -> None:
    callouts = [line for line in markdown.splitlines() if line.startswith("> ⚠")]
    assert len(callouts) == 1
    callout = callouts[0]
    assert "US personnel killed" in callout
    assert re.search(
        r"3 per US Central Command \[1 §\d+–\d+\] vs 2 per Syria's Interior "
        r"Ministry \[2 §\d+–\d+\]",
        callout,
    )
    table_row = next(line for line in markdown.splitlines() if line.startswith("| killed"))
    assert "⚠ disputed" in table_row


def test_background_figures_stay_out_of_the_toll_table(markdown: str) -> None:
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert not any("Syrian soldiers" in line for line in table)
    context = next(line for line in markdown.splitlines() if "not part of the toll" in line)
    assert "5 per Syrian army [1 §" in context


def test_every_citation_marker_resolves_to_a_source(briefing: Briefing, markdown: str) -> None:
    body, sources = markdown.split("\n## Sources\n")
    listed = {
        int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\. `([^`]+)`", sources, re.M)
    }
    assert listed == {1: "001", 2: "002", 3: "003", 4: "004"}
    shown = {(listed[int(n)], int(start), int(end)) for n, start, end in MARKER.findall(body)}
    # Each marker names characters that exist, and every cited item in the model is shown.
    for article_id, _start, end in shown:
        assert end <= len(TEXTS[article_id])
    assert shown == {(c.article_id, c.start, c.end) for c in all_citations(briefing)}


def test_quotes_grouped_by_speaker_with_outlets_and_other_wordings(markdown: str) -> None:
    lines = markdown.splitlines()
    assert lines.count("- **Tom Barrack**") == 1
    main = next(line for line in lines if ENVOY_QUOTE in line)
    assert "2 outlets [1 §" in main
    other = lines[lines.index(main) + 1]
    assert other.strip().startswith("- other wording: “" + ENVOY_QUOTE_K24 + "” [2 §")
    assert any("“underscores the enduring menace of ISIS” *(fragment)*" in line for line in lines)


def test_stories_are_separate_sections(markdown: str) -> None:
    first, second = markdown.split("## Ambush near Palmyra")[1].split("## Syria joins")
    assert "Tammy Bruce" not in first
    assert "Tammy Bruce" in second
    assert "Tom Barrack" not in second.split("## Sources")[0]


def test_failed_articles_and_exclusions_are_reported(markdown: str) -> None:
    tail = markdown.split("## Excluded and failed")[1]
    assert f"**Failed** [3] `articles/003.txt`: {FAILED_REASON}" in tail
    assert "[1] `001`: 2 boilerplate, 1 caption" in tail
    assert "[2] `002`: 1 metadata" in tail
    assert "1 item dropped" in tail
    assert "2 items answered by the rules backend" in tail
    assert "12,345 prompt + 678 completion over 4 requests (1 re-ask)" in tail
    assert "from 4 articles: 3 ok, 1 failed" in markdown.splitlines()[2]


def test_quiet_brief_has_no_empty_sections(briefing: Briefing) -> None:
    clean = briefing.model_copy(
        update={
            "articles": [
                a.model_copy(update={"excluded": []}) for a in briefing.articles if a.status == "ok"
            ],
            "dropped": 0,
            "fallbacks": 0,
            "usage": Usage(),
        }
    )
    text = render(clean, "md")
    assert "Excluded and failed" not in text
    assert "\n\n\n" not in text


def test_table_cells_escape_pipes(briefing: Briefing) -> None:
    row = briefing.casualties[0]
    piped = row.model_copy(update={"group": "US personnel | contractors"})
    text = render(briefing.model_copy(update={"casualties": [piped]}), "md")
    table_row = next(line for line in text.splitlines() if line.startswith("| killed"))
    assert "US personnel \\| contractors" in table_row
    assert table_row.count(" | ") == 3


def test_json_round_trips_to_an_equal_briefing(briefing: Briefing) -> None:
    assert Briefing.model_validate_json(render(briefing, "json")) == briefing


def test_html_is_self_contained_and_escapes_quotes(briefing: Briefing) -> None:
    hostile = briefing.quotes[2].model_copy(update={"text": "<script>alert(1)</script>"})
    html = render(briefing.model_copy(update={"quotes": [*briefing.quotes[:2], hostile]}), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "<link" not in html
    start = TEXTS["001"].index(ENVOY_QUOTE)
    assert f'title="001 characters {start}–{start + len(ENVOY_QUOTE)}"' in html
    assert "3 per US Central Command" in html
    assert FAILED_REASON in html


def test_unknown_format_is_a_config_error(briefing: Briefing) -> None:
    with pytest.raises(ConfigError, match="md, json, html"):
        render(briefing, "pdf")  # type: ignore[arg-type]


def test_citation_to_an_unlisted_article_is_refused(briefing: Briefing) -> None:
    stray = briefing.model_copy(update={"articles": briefing.articles[1:]})
    with pytest.raises(InternalError, match="'001'"):
        render(stray, "md")


def test_a_story_with_nothing_sourced_still_appears(briefing: Briefing) -> None:
    bare = Story(id="s3", title="Storm warning", article_ids=["004"])
    text = render(briefing.model_copy(update={"stories": [*briefing.stories, bare]}), "md")
    assert "## Storm warning\n*Sources: [4]*\n\n*No sourced items for this story.*" in text
