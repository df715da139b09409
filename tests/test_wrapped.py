"""Hard-wrapped copy reads as its paragraphs: the same quotes, speakers and figures as the
copy unwrapped, citations that cover the line breaks, and a warning where quotation marks
were not read. Every example sentence here is invented for these tests."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.ingest import RawArticle, parse
from summarizer.ingest.unwrap import soft_breaks, unwrap
from summarizer.models import Briefing
from summarizer.pipeline import brief
from summarizer.render import render

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
WIDTHS = (60, 72, 80)

ARTICLE = """Port authority chief quits over dredging contract

The head of the Harwick port authority resigned on Tuesday after an audit found the dredging \
contract had been awarded without a tender.
"I accept full responsibility for the failures that the auditors have described, and I will \
help my successor in any way I can," Nadia Okonkwo said in a statement released by the board.
Transport Minister Hugo Brandt said the government would appoint an interim chief within days. \
"The port must keep running while the questions are answered," he told reporters.
Two workers were injured when a crane collapsed at the harbour in March, the audit noted.
Union representative Carla Mendes called the resignation "overdue" and demanded a full \
inquiry into the safety record of the port's long-standing contractors.
"""


def wrap(text: str, width: int, crlf: bool = False) -> str:
    """Each paragraph (line) filled at ``width`` columns, as a terminal or mail client does."""
    out = "\n".join(textwrap.fill(p, width) if p.strip() else p for p in text.split("\n"))
    return out.replace("\n", "\r\n") if crlf else out


def fold(exact: str) -> str:
    """What a reader sees of characters as read: line breaks and their spaces as one space,
    a word broken after a hyphen joined."""
    joined = re.sub(r"(?<=\w-)[ \t]*\r?\n[ \t]*(?=\w)", "", exact)
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", " ", joined)


def content(b: Briefing) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    quotes = sorted((c.text, q.speaker or "") for q in b.quotes for c in q.citations)
    figures = sorted(
        (f.count_text, " ".join(f.group_as_stated.split()), row.status)
        for row in b.casualties
        for f in row.figures
    )
    return quotes, figures


def briefed(folder: Path) -> Briefing:
    return brief([folder], backend="rules", use_cache=False)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def assert_citations_cover_the_source(b: Briefing, folder: Path) -> None:
    """Each citation's offsets index the file as read; folded, they give the shown text."""
    texts = {a.id: (folder / Path(a.path).name).read_bytes().decode("utf-8") for a in b.articles}
    citations = [c for q in b.quotes for c in q.citations]
    citations += [f for row in b.casualties for f in row.figures]
    assert citations
    for c in citations:
        exact = texts[c.article_id][c.start : c.end]
        assert fold(exact) == c.text
        assert c.exact == (None if exact == c.text else exact)


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_wrapped_article_briefs_as_the_unwrapped_one(
    tmp_path: Path, width: int, crlf: bool
) -> None:
    plain = briefed(write(tmp_path / "plain", {"port.txt": ARTICLE}))
    folder = write(tmp_path / "wrapped", {"port.txt": wrap(ARTICLE, width, crlf)})
    wrapped = briefed(folder)
    assert content(wrapped) == content(plain)
    speakers = {q.speaker for q in wrapped.quotes}
    assert {"Nadia Okonkwo", "Hugo Brandt"} <= speakers
    assert wrapped.articles[0].title == "Port authority chief quits over dredging contract"
    assert_citations_cover_the_source(wrapped, folder)
    crossing = [c for q in wrapped.quotes for c in q.citations if c.exact is not None]
    assert crossing, "a wrapped quote's citation covers its line breaks"
    assert all("\n" in (c.exact or "") and "\n" not in c.text for c in crossing)


def test_the_example_of_the_issue_gives_both_quotes() -> None:
    text = (
        '"We will not give up on this, whatever the critics may say about\n'
        'the schedule or the price," Finance Minister Ada Lorne told reporters\n'
        "outside the assembly. She said the vote would come next week and that she\n"
        'expected to win it. "We have the numbers," she added.\n'
    )
    article = parse(RawArticle(id="a", path="a.txt", text=text))
    assert [article.slice(q) for q in article.quote_spans] == [
        "We will not give up on this, whatever the critics may say about the schedule or "
        "the price,",
        "We have the numbers,",
    ]
    assert article.source == text
    assert len(article.sentences) == 3


def test_hyphenated_words_broken_at_a_line_end_are_joined() -> None:
    text = (
        "The ministry said the pro-government militia had withdrawn from the two\n"
        "villages overnight, and the gov-\n"
        "ernment would send inspectors. A well-\n"
        "known engineer will lead them, the government said in its statement on\n"
        "Sunday, adding that roads would reopen within a week of the inspection.\n"
    )
    reading, _ = unwrap(text)
    assert "the government would send inspectors" in reading
    assert "A well-known engineer" in reading
    article = parse(RawArticle(id="a", path="a.txt", text=text))
    start = article.text.index("government would")
    first, last = article.to_source(start, start + len("government"))
    assert text[first:last] == "gov-\nernment"


def test_a_dash_at_a_line_end_is_not_a_hyphen() -> None:
    text = (
        "The council met on Monday evening to discuss the budget for the new year -\n"
        "then the mayor left the meeting without comment, according to two of the\n"
        "members who were present and who asked not to be named by this newspaper.\n"
        "Officials said the budget would be published on the first day of next month.\n"
    )
    reading, _ = unwrap(text)
    assert "new year - then the mayor" in reading


@pytest.mark.parametrize(
    "text",
    [
        # one paragraph per line, short lines: nothing is wrapped
        "Storm closes schools\nSchools closed on Monday.\nBuses did not run.\n"
        "The storm is expected to pass by Tuesday.\nParents were told by text message.\n",
        # a list keeps its items
        "The agency listed its demands in a long letter that was sent to the ministry\n"
        "on Friday, and it asked for an answer within two weeks of the letter's date:\n"
        "- more inspectors for the northern ports and for the airports of the region\n"
        "- a budget for training that is fixed for five years and not cut each winter\n"
        "- a public report on every inspection that finds a serious safety problem\n",
        # paragraphs of long lines
        "The committee published its report on Thursday after eighteen months of hearings, "
        "in which more than two hundred witnesses gave evidence about the collapse.\n"
        "It found that the warnings had been ignored by three successive managers, each of "
        "whom had been told by engineers that the supports were failing.\n",
    ],
    ids=["short-lines", "list", "long-lines"],
)
def test_copy_that_is_not_wrapped_is_read_as_it_is(text: str) -> None:
    reading, shifts = unwrap(text)
    if "- more" in text:
        assert reading.count("\n- ") == 3  # the items are not folded into the paragraph
    else:
        assert soft_breaks(text) == [] and reading == text and shifts == []


def test_an_indented_paragraph_starts_a_new_paragraph() -> None:
    text = (
        "The court heard on Monday that the company had known of the fault for more\n"
        "than a year before the first complaint was filed by a customer in Leeds.\n"
        "    The judge adjourned the case until March so that the company could find\n"
        "new lawyers, after its previous firm withdrew from the case last week.\n"
        "    A spokesperson for the company said it would comment after the hearing.\n"
    )
    article = parse(RawArticle(id="a", path="a.txt", text=text))
    paragraphs = {s.paragraph for s in article.sentences}
    assert len(paragraphs) == 3


# --- warnings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (
            'The mayor said "we will rebuild the bridge by spring whatever it costs.\n'
            "The council met later to discuss the repairs.\n",
            "1 quotation mark but no quotation read",
        ),
        (
            '"We start on Monday," the mayor said.\nThe engineer said "it will take a year.\n',
            "unbalanced quotation marks in 1 paragraph: a quotation there may be missing or cut",
        ),
    ],
)
def test_quotation_marks_that_are_not_read_are_reported(text: str, warning: str) -> None:
    assert parse(RawArticle(id="a", path="a.txt", text=text)).warnings == [warning]


@pytest.mark.parametrize(
    "text",
    [
        '"We start on Monday," the mayor said. "Then we see."\n',
        'Contractors laid 12" pipes under the road.\n',
        '"We start on Monday," the mayor said.\n"The work takes a year.\n'
        '"And then we open the bridge," she added.\n',  # a quotation over two paragraphs
    ],
)
def test_balanced_quotation_marks_give_no_warning(text: str) -> None:
    assert parse(RawArticle(id="a", path="a.txt", text=text)).warnings == []


def test_the_warning_reaches_the_brief(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "in",
        {"a.txt": 'Bridge to reopen\nThe mayor said "it reopens in May.\nIt shut in June.\n'},
    )
    b = briefed(folder)
    assert b.articles[0].warnings == ["1 quotation mark but no quotation read"]
    for fmt in ("md", "json", "html"):
        assert "1 quotation mark but no quotation read" in render(b, fmt)


# --- properties --------------------------------------------------------------------------

_SPEAKERS = ["Ines Carvalho", "Tomas Weber", "Leila Haddad", "Oskar Lind"]
_QUOTES = [
    "The repairs will take longer than anyone hoped, and the cost will rise with them",
    "We warned the board twice about the state of the supports under the east span",
    "Nobody should cross the river on foot until the engineers have finished their checks",
    "It is too early to say who is responsible for the delays on the northern section",
]


@st.composite
def articles(draw: st.DrawFn) -> str:
    paragraphs = ["Bridge repairs delayed again"]
    for k in range(draw(st.integers(2, 5))):
        speaker = draw(st.sampled_from(_SPEAKERS))
        quote = draw(st.sampled_from(_QUOTES))
        injured = draw(st.integers(2, 40))
        paragraphs.append(
            f'"{quote}," {speaker} said on day {k + 1} of the inquiry into the closure. '
            f"Police said {injured} people were injured when the scaffolding on the east "
            "side gave way during the storm."
        )
    return "\n".join(paragraphs) + "\n"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=articles(), width=st.integers(50, 100), crlf=st.booleans())
def test_wrapping_at_any_width_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, text: str, width: int, crlf: bool
) -> None:
    root = tmp_path_factory.mktemp("wrap")
    plain = briefed(write(root / "plain", {"a.txt": text}))
    folder = write(root / "wrapped", {"a.txt": wrap(text, width, crlf)})
    wrapped = briefed(folder)
    assert content(wrapped) == content(plain)
    assert_citations_cover_the_source(wrapped, folder)


def _clusters() -> list[tuple[str, Path]]:
    found = [("fixtures", REPO / "fixtures" / "articles")]
    if CORPUS.is_dir():
        found += [(d.name, d / "articles") for d in sorted(CORPUS.iterdir()) if d.is_dir()]
    return found


@pytest.mark.parametrize(("name", "articles_dir"), _clusters(), ids=[n for n, _ in _clusters()])
def test_every_fixture_and_corpus_article_rewrapped_briefs_the_same(
    tmp_path: Path, name: str, articles_dir: Path
) -> None:
    """The property on real copy: each article of each cluster re-wrapped at 60, 72 and 80
    columns, with LF and with CRLF, gives the quotes, speakers and figures of the article as
    published, and citations that fold to their shown text."""
    plain_dir = tmp_path / "plain"
    shutil.copytree(articles_dir, plain_dir)
    plain = content(briefed(plain_dir))
    assert plain[0], f"{name}: no quotes to compare"
    for width in WIDTHS:
        for crlf in (False, True):
            folder = tmp_path / f"w{width}{'crlf' if crlf else ''}"
            folder.mkdir()
            for f in sorted(articles_dir.iterdir()):
                text = f.read_bytes().decode("utf-8")
                (folder / f.name).write_bytes(
                    (wrap(text, width, crlf) if f.suffix in (".txt", ".md") else text).encode()
                )
            wrapped = briefed(folder)
            assert content(wrapped) == plain, f"{name} at {width} columns, crlf={crlf}"
            assert_citations_cover_the_source(wrapped, folder)
