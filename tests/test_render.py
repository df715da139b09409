"""Render: what an editor reading the brief must be able to see and trust."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import summarizer.render as render_module
from summarizer import Summarizer
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

from .conftest import ARTICLES

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
    "005": (
        "Three US troops were wounded in the ambush, US Central Command said.\n"
        "Syria's Interior Ministry said two others were wounded.\n"
    ),
    "006": (
        "Quake kills 41 in Malatya\n\n"
        "The quake killed at least 41 people, the disaster agency said. The Health Ministry "
        "put the toll at 38. Three US troops were wounded. Syrian security personnel were "
        "hurt. More than 53000 people died in the 2023 quakes, and 53000 were hurt.\n"
    ),
    "007": (
        "Three American soldiers were wounded, official accounts said. Three US troops were "
        "wounded.\n"
    ),
}


def cite(article_id: str, needle: str) -> Citation:
    start = TEXTS[article_id].index(needle)
    return Citation(article_id=article_id, start=start, end=start + len(needle), text=needle)


def figure(
    article_id: str,
    needle: str,
    count: int | None,
    group: str,
    attributed_to: str | None,
    count_text: str | None = None,
    source: str | None = "as attributed",
) -> Figure:
    """A figure as merge gives it; ``source``, whom merge credits it to, is by default the
    authority it is attributed to."""
    c = cite(article_id, needle)
    return Figure(
        article_id=article_id,
        start=c.start,
        end=c.end,
        text=c.text,
        count=count,
        count_text=needle if count_text is None else count_text,
        group_as_stated=group,
        attributed_to=attributed_to,
        source=attributed_to if source == "as attributed" else source,
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
                outlets=2,
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


NOTE_RE = re.compile(r"^\[\^(\d+)\]: “(.*)” — (.*)$", re.M)


def footnotes(text: str) -> dict[int, tuple[str, str]]:
    """The Markdown brief's footnotes: label -> (quoted passage, the rest of the note)."""
    return {int(m.group(1)): (m.group(2), m.group(3)) for m in NOTE_RE.finditer(text)}


def resolved(text: str) -> str:
    """The brief with each footnote reference replaced by its passage in braces
    ("Anadolu{Three US personnel}") and the footnotes themselves removed; every reference
    must have its footnote."""
    notes = footnotes(text)
    body = NOTE_RE.sub("", text)
    return re.sub(r"\[\^(\d+)\]", lambda m: "{" + notes[int(m.group(1))][0] + "}", body)


@pytest.fixture
def briefing() -> Briefing:
    return make_briefing()


@pytest.fixture
def markdown(briefing: Briefing) -> str:
    return render(briefing, "md")


def test_fixture_citations_are_exact(briefing: Briefing) -> None:
    for c in briefing.citations():
        assert TEXTS[c.article_id][c.start : c.end] == c.text


def test_markdown_calls_out_the_discrepancy_with_both_numbers_and_sources(markdown: str) -> None:
    callouts = [line for line in markdown.splitlines() if line.startswith("> ⚠")]
    assert len(callouts) == 1
    callout = callouts[0]
    assert "US personnel killed" in callout
    assert re.search(
        r"3 per US Central Command \(Anadolu\[\^\d+\]\) vs 2 per Syria's Interior "
        r"Ministry \(Kurdistan24\[\^\d+\]\)",
        callout,
    )
    table_row = next(line for line in markdown.splitlines() if line.startswith("| killed"))
    assert "⚠ disputed" in table_row


def test_background_figures_stay_out_of_the_toll_table(markdown: str) -> None:
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert not any("Syrian soldiers" in line for line in table)
    context = next(line for line in markdown.splitlines() if "not part of the toll" in line)
    assert "5 per Syrian army (Anadolu[^" in context


def test_every_citation_has_a_footnote_quoting_it_and_naming_its_source(
    briefing: Briefing, markdown: str
) -> None:
    body, sources = markdown.split("\n## Sources\n")
    listed = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"^(\d+)\. .*`articles/(\d+)\.txt`", sources, re.M)
    }
    assert listed == {1: "001", 2: "002", 3: "003", 4: "004"}
    notes = footnotes(markdown)
    referenced = {int(n) for n in re.findall(r"\[\^(\d+)\]", body)}
    assert referenced == set(notes) == set(range(1, len(notes) + 1))
    shown = {
        (listed[int(re.search(r"source (\d+)$", about).group(1))], passage)  # type: ignore[union-attr]
        for passage, about in notes.values()
    }
    # Each footnote quotes its passage as the article has it, and every citation is shown.
    assert shown == {(c.article_id, c.text) for c in briefing.citations()}
    assert "§" not in markdown  # offsets stay in the JSON and HTML briefs


def test_quotes_grouped_by_speaker_with_outlets_and_other_wordings(markdown: str) -> None:
    lines = markdown.splitlines()
    assert lines.count("- **Tom Barrack**") == 1
    main = next(line for line in lines if ENVOY_QUOTE.removesuffix(",") in line)
    assert "— 2 outlets: Anadolu[^" in main
    other = lines[lines.index(main) + 1]
    assert other.strip().startswith(
        "- other wording: “" + ENVOY_QUOTE_K24.removesuffix(",") + "” — Kurdistan24[^"
    )
    assert any("“underscores the enduring menace of ISIS” *(fragment)*" in line for line in lines)


def test_stories_are_separate_sections(markdown: str) -> None:
    first, second = markdown.split("## Ambush near Palmyra")[1].split("## Syria joins")
    assert "Tammy Bruce" not in first
    assert "Tammy Bruce" in second
    assert "Tom Barrack" not in second.split("## Sources")[0]


def test_failed_articles_and_exclusions_are_reported(markdown: str) -> None:
    tail = markdown.split("## Excluded and failed")[1]
    assert f"**Failed** [3] `articles/003.txt`: {FAILED_REASON}" in tail
    assert "- Set aside in 2 sources: 2 boilerplate, 1 caption, 1 metadata" in tail
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


# --- key figures as an editor reads them ----------------------------------------------------


def figures_briefing(*rows: CasualtyRow, outlets: dict[str, str] | None = None) -> Briefing:
    ids = ["005", "006", "007"]
    return Briefing(
        title="Morning brief: Ambush",
        backend="rules",
        articles=[
            ArticleReport(
                id=i, path=f"articles/{i}.txt", status="ok", outlet=(outlets or {}).get(i)
            )
            for i in ids
        ],
        stories=[Story(id="s1", title="Ambush", article_ids=ids)],
        summary=[],
        quotes=[],
        casualties=list(rows),
        stances=[],
    )


def row(
    *figures: Figure,
    status: str = "wounded",
    group: str = "US soldiers",
    background: bool = False,
    note: str | None = None,
    part: bool = False,
) -> CasualtyRow:
    counts = {f.count for f in figures if f.count is not None}
    return CasualtyRow.model_validate(
        {
            "id": "c1",
            "story": "s1",
            "status": status,
            "group": group,
            "figures": figures,
            "consensus": next(iter(counts)) if len(counts) == 1 else None,
            "discrepancy": len(counts) > 1,
            "background": background,
            "note": note,
            "part": part,
        }
    )


def marker(number: int, *needles: str) -> str:
    """A source as a resolved Markdown reference: "source 2{Three US troops}"."""
    return f"source {number}" + "".join("{" + n + "}" for n in needles)


def table_row(text: str, status: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {status} |"))


def test_equal_counts_are_one_group_and_the_majority_comes_first() -> None:
    wounded = row(
        figure("005", "two others", 2, "others", "Syria's Interior Ministry", "two"),
        figure("005", "Three US troops", 3, "US troops", "US Central Command", "Three"),
        figure(
            "007", "Three American soldiers", 3, "American soldiers", "official accounts", "Three"
        ),
        figure("006", "Three US troops", 3, "US troops", None, "Three"),
        figure("007", "Three US troops", 3, "US troops", None, "Three"),
        note="2 per Syria's Interior Ministry, which does not say who the wounded were "
        "('two others')",
    )
    text = resolved(render(figures_briefing(wounded), "md"))
    expected = (
        f"3 per US Central Command ({marker(1, 'Three US troops')}), official accounts "
        f"({marker(3, 'Three American soldiers')}), unattributed "
        f"({marker(2, 'Three US troops')}, {marker(3, 'Three US troops')}) "
        f"vs 2 per Syria's Interior Ministry ({marker(1, 'two others')})"
    )
    callout = next(line for line in text.splitlines() if line.startswith("> ⚠"))
    assert callout == (
        f"> ⚠ **Sources disagree — US soldiers wounded:** {expected}. 2 per Syria's Interior "
        "Ministry, which does not say who the wounded were ('two others')"
    )
    assert f"| {expected} | ⚠ disputed |" in table_row(text, "wounded")
    html = render(figures_briefing(wounded), "html")
    assert '</span> vs <span class="figure">2 per Syria&#39;s Interior Ministry <a' in html
    assert html.count('<p class="discrepancy">') == 1


def test_figures_show_under_the_source_merge_credits_them_to() -> None:
    # Merge credits the headline's bare "41" to the agency its article names for it elsewhere
    # (``Figure.source``); render shows both citations under that one authority.
    killed = row(
        figure("006", "41", 41, "", None, source="the disaster agency"),
        figure("006", "at least 41 people", 41, "people", "the disaster agency", "at least 41"),
        figure("006", "38", 38, "", "The Health Ministry"),
        status="killed",
        group="people",
    )
    cell = table_row(resolved(render(figures_briefing(killed), "md")), "killed")
    assert (
        f"41 per the disaster agency (at least 41) ({marker(2, '41', 'at least 41 people')}) "
        f"vs 38 per The Health Ministry ({marker(2, '38')}) |"
    ) in cell
    assert "unattributed" not in cell
    # A figure merge credits to nobody is "unattributed", listed after the named.
    soldiers = row(
        figure("007", "Three US troops", 3, "US troops", None, "Three"),
        figure(
            "007", "Three American soldiers", 3, "American soldiers", "official accounts", "Three"
        ),
    )
    cell = table_row(resolved(render(figures_briefing(soldiers), "md")), "wounded")
    assert (
        f"official accounts ({marker(3, 'Three American soldiers')}), "
        f"unattributed ({marker(3, 'Three US troops')})"
    ) in cell


def test_counts_read_as_stated_and_never_as_empty_quotes() -> None:
    rows = [
        row(
            figure("006", "Syrian security personnel", None, "Syrian security personnel", None, ""),
            figure("005", "two others", None, "others", "Syria's Interior Ministry", "several"),
            group="Syrian security personnel",
        ),
        row(
            figure("006", "More than 53000 people", 53000, "people", None, "More than 53000"),
            status="killed",
            group="people",
            background=True,
        ),
        row(
            figure("006", "53000", 53000, "", None),
            status="wounded",
            group="people",
            background=True,
        ),
    ]
    text = resolved(render(figures_briefing(*rows), "md"))
    assert "“”" not in text and '""' not in text
    cell = table_row(text, "wounded")
    assert (
        f"| unspecified number per unattributed ({marker(2, 'Syrian security personnel')}); "
        f"several per Syria's Interior Ministry ({marker(1, 'two others')}) | — |" in cell
    )
    context = [line for line in text.splitlines() if "not part of the toll" in line]
    assert "people killed: more than 53000 per unattributed" in context[0]
    assert "people wounded: 53,000 per unattributed" in context[1]
    assert "(background" not in text


def test_figures_in_an_outlets_own_voice_name_the_outlet_never_the_file() -> None:
    wounded = row(figure("006", "Three US troops", 3, "US troops", None, "Three", "Anadolu"))
    text = render(figures_briefing(wounded, outlets={"006": "Anadolu"}), "md")
    assert "3 per Anadolu (Anadolu[^1])" in table_row(text, "wounded")
    plain = render(
        figures_briefing(row(figure("006", "Three US troops", 3, "US troops", None, "Three"))),
        "md",
    )
    assert "3 per unattributed (source 2[^1])" in table_row(plain, "wounded")
    assert "per 006" not in plain and "unattributed source" not in plain


def test_a_part_of_the_toll_is_shown_among_it_never_as_context() -> None:
    toll = row(
        figure("006", "at least 41 people", 41, "people", "the disaster agency", "at least 41"),
        status="killed",
        group="people",
    )
    part = row(
        figure("006", "38", 38, "", "The Health Ministry"),
        status="killed",
        group="children",
        background=True,
        part=True,
    )
    text = resolved(render(figures_briefing(toll, part), "md"))
    assert (
        f"*Among the dead:* children: 38 per The Health Ministry ({marker(2, '38')})"
        in text.splitlines()
    )
    assert "subset" not in text
    assert not [line for line in text.splitlines() if line.startswith("|") and "children" in line]
    assert 'Among the dead: children: <span class="figure">38 per The Health Ministry' in render(
        figures_briefing(toll, part), "html"
    )


def test_consensus_has_thousands_separators() -> None:
    hurt = row(figure("006", "53000", 53000, "", None), group="people")
    assert table_row(render(figures_briefing(hurt), "md"), "wounded").endswith("| 53,000 |")


def test_a_quotes_trailing_comma_is_not_shown_but_kept_in_json(briefing: Briefing) -> None:
    markdown = render(briefing, "md")
    html = render(briefing, "html")
    assert "“This is a historic step” — Syria joins[^" in markdown
    assert '<q title="004 characters' in html and ">This is a historic step</q>" in html
    assert "This is a historic step,”" not in NOTE_RE.sub("", markdown)
    assert "“This is a historic step,” — *Syria joins*, source 4" in markdown  # verbatim there
    data = json.loads(render(briefing, "json"))
    assert data["quotes"][2]["text"] == "This is a historic step,"
    # Only one trailing comma goes; a full stop or inner commas stay.
    assert "“underscores the enduring menace of ISIS”" in markdown
    kept = briefing.quotes[1].model_copy(update={"text": "underscores, really, the menace."})
    kept_md = render(briefing.model_copy(update={"quotes": [kept]}), "md")
    assert "“underscores, really, the menace.”" in kept_md


def test_the_dropped_note_is_true_of_the_backend_that_ran(briefing: Briefing) -> None:
    rules = render(briefing.model_copy(update={"backend": "rules", "model": None}), "md")
    assert "- 1 item dropped: it was not grounded in its source\n" in rules
    assert "re-ask" not in rules.split("## Excluded and failed")[1].split("Tokens")[0]
    llm = render(briefing.model_copy(update={"dropped": 3}), "md")
    assert (
        "- 3 items dropped: they were not grounded in their sources, or the model's answer "
        "failed validation after re-asking"
    ) in llm


def test_sources_name_outlet_and_title_and_say_where_the_offsets_are(
    briefing: Briefing, markdown: str
) -> None:
    sources = markdown.split("\n## Sources\n")[1].split("\n## ")[0]
    assert "its character offsets are in the JSON brief (`--format json`)" in sources
    lines = [line for line in sources.splitlines() if re.match(r"^\d+\. ", line)]
    assert lines == [
        "1. **Anadolu**: *US vows to 'neutralize' ISIS after Palmyra ambush* — `articles/001.txt`",
        "2. **Kurdistan24**: untitled — `articles/002.txt` (also `mirror/002.txt`)",
        "3. not read — `articles/003.txt` — **failed**",
        "4. *Syria joins* — `articles/004.txt`",
    ]
    chosen = briefing.articles[3].model_copy(update={"id": "wire-7"})
    text = render(
        briefing.model_copy(
            update={
                "articles": [*briefing.articles[:3], chosen],
                "stories": briefing.stories[:1],
                "stances": [],
                "quotes": [],
                "summary": [],
            }
        ),
        "md",
    )
    assert "4. *Syria joins* — `articles/004.txt` (`wire-7`)" in text


# --- an editor's Markdown: footnotes, collapsed runs, folded fragments ----------------------


def test_a_long_run_of_citations_collapses_to_three_and_a_count(briefing: Briefing) -> None:
    # A scare word carried 60 times in one article (each its own passage).
    text = " ".join(["neutralize"] * 60)
    texts = {"001": text}
    citations = [
        Citation(article_id="001", start=i * 11, end=i * 11 + 10, text="neutralize")
        for i in range(60)
    ]
    assert all(texts["001"][c.start : c.end] == c.text for c in citations)
    word = BriefQuote(
        id="q9",
        story="s1",
        text="neutralize",
        speaker="Tom Barrack",
        fragment=True,
        citations=[*citations, cite("002", "enabling capable Syrian partners")],
        outlets=2,
    )
    markdown = render(briefing.model_copy(update={"quotes": [word]}), "md")
    line = next(line for line in markdown.splitlines() if "“neutralize”" in line)
    # Another source's passage comes before a second one of the same source.
    assert line.endswith("— 2 outlets: Anadolu[^8][^9], Kurdistan24[^4] +58 more"), line
    notes = footnotes(markdown)
    assert [notes[8][0], notes[9][0]] == ["neutralize", "neutralize"]
    assert sum(passage == "neutralize" for passage, _ in notes.values()) == 2


def test_a_footnote_gives_passage_outlet_title_date_and_only_a_safe_url(
    briefing: Briefing,
) -> None:
    dated = briefing.articles[0].model_copy(
        update={"published": "2025-12-14", "url": "https://news.example/palmyra?id=7"}
    )
    hostile = briefing.articles[1].model_copy(update={"url": "javascript:alert(1)"})
    text = render(
        briefing.model_copy(update={"articles": [dated, hostile, *briefing.articles[2:]]}), "md"
    )
    assert footnotes(text)[1] == (
        "an ambush near Palmyra that killed three Americans",
        "**Anadolu**, *US vows to 'neutralize' ISIS after Palmyra ambush*, 2025-12-14, "
        "<https://news.example/palmyra?id=7>, source 1",
    )
    assert footnotes(text)[2] == (
        "The ambush near Palmyra killed two American soldiers",
        "**Kurdistan24**, source 2",
    )
    assert "javascript" not in text
    assert "1. **Anadolu**: *US vows to 'neutralize' ISIS after Palmyra ambush* (2025-12-14) " in (
        text
    )


def test_a_source_without_outlet_is_named_by_a_short_title() -> None:
    title = "Syria formally joins the global coalition against ISIS"
    briefing = make_briefing()
    untitled = [
        a.model_copy(update={"title": title}) if a.id == "004" else a for a in (briefing.articles)
    ]
    text = render(briefing.model_copy(update={"articles": untitled}), "md")
    assert "Monday. (Syria formally joins…[^" in text


def test_a_fragment_merge_placed_within_a_quote_is_shown_under_it(briefing: Briefing) -> None:
    word = BriefQuote(
        id="q9",
        story="s1",
        text="neutralize",
        speaker=None,
        fragment=True,
        citations=[cite("001", "neutralize")],
        within="q1",
    )
    folded = briefing.model_copy(update={"quotes": [word, *briefing.quotes]})
    lines = resolved(render(folded, "md")).splitlines()
    main = next(i for i, line in enumerate(lines) if ENVOY_QUOTE.removesuffix(",") in line)
    assert lines[main + 2] == (
        "    - also quoted alone: “neutralize” *(fragment)* — Anadolu{neutralize}"
    )
    assert "- **Unattributed**" not in lines  # not a remark of its own
    html = render(folded, "html")
    assert '<li id="q9" class="wording folded"' in html
    # Without a quote to sit under (merge said none), a fragment stays a line of its own.
    alone = render(
        briefing.model_copy(update={"quotes": [word.model_copy(update={"within": None})]}), "md"
    )
    assert "- **Unattributed**\n  - “neutralize” *(fragment)* — Anadolu[^" in alone


def test_the_review_page_puts_disputes_and_updates_at_the_top(briefing: Briefing) -> None:
    update = CasualtyRow(
        id="c3",
        story="s1",
        status="wounded",
        group="civilians",
        figures=[figure("001", "five Syrian soldiers", 5, "Syrian soldiers", None)],
        consensus=7,
        discrepancy=False,
        kind="update",
        values=[7, 5],
    )
    page = render(
        briefing.model_copy(update={"casualties": [*briefing.casualties, update]}), "html", TEXTS
    )
    glance = page.split('<p class="glance">', 1)[1].split("</p>", 1)[0]
    assert (
        '<a href="#c1"><span class="badge dispute">⚠</span> US personnel killed: disputed' in glance
    )
    assert (
        '<a href="#c3"><span class="badge update">↻</span> civilians wounded: rose from 5 to 7'
        in glance
    )
    assert '<tr id="c1" class="dispute"' in page and '<tr id="c3" class="update"' in page
    # Each article whole beside the brief; its highlights name the items citing them.
    assert page.count('<article class="source"') == 3  # the failed one has no text
    assert 'data-refs="c1"' in page and 'class="f dispute"' in page


def test_html_without_texts_is_the_brief_alone(briefing: Briefing) -> None:
    page = render(briefing, "html")
    assert '<body class="plain">' in page and 'id="articles"' not in page
    assert 'href="#source-1"' in page and "data-art" not in page


class _ArticleTexts(HTMLParser):
    """The text inside each ``<div class="text" id="text-N">`` of a review page, character
    references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._open: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("class") == "text":
            self._open, self._depth = found["id"] or "", 0
            self.texts[self._open] = ""
        elif self._open is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None:
            if self._depth == 0:
                self._open = None
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.texts[self._open] += data


def test_review_gives_each_briefed_articles_text_and_the_page_keeps_it_whole() -> None:
    briefing, texts = Summarizer(backend="rules").review([ARTICLES])
    ok = [a for a in briefing.articles if a.status == "ok"]
    assert set(texts) == {a.id for a in ok}
    for c in briefing.citations():
        assert texts[c.article_id][c.start : c.end] == c.text
    # Every article whole on the page, escaped (the browser test checks carriage returns).
    parser = _ArticleTexts()
    parser.feed(render(briefing, "html", texts))
    assert parser.texts == {f"text-{n}": texts[a.id] for n, a in enumerate(ok, start=1)}


_WHITESPACE_TEXT = st.lists(st.text(alphabet="ab \n\t", max_size=12), max_size=30)


@given(pieces=_WHITESPACE_TEXT, squeeze=st.booleans(), chunk=st.integers(1, 40))
def test_laying_out_chunk_by_chunk_is_laying_out_the_whole(
    pieces: list[str], squeeze: bool, chunk: int
) -> None:
    """The template's output is squeezed and stripped a chunk at a time (a large brief is
    never held as every piece plus a copy per step); the result is the whole's, wherever
    the chunks fall: blank runs and surrounding whitespace split across pieces included."""
    whole = "".join(pieces)
    expected = (re.sub(r"\n{3,}", "\n\n", whole) if squeeze else whole).strip() + "<end>"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_module, "_CHUNK", chunk)
        assert render_module._laid_out(iter(pieces), squeeze=squeeze, end="<end>") == expected
