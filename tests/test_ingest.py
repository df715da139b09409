"""Ingest: decoding, exclusions of page furniture, sentences and quotation spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest import RawArticle, find_quotes, load, parse, read
from summarizer.models import Article, ArticleFailure


def article(text: str) -> Article:
    return parse(RawArticle(id="a.txt", path="a.txt", text=text))


def quotes(text: str) -> list[str]:
    return [text[q.start : q.end] for q in article(text).quote_spans]


def excluded_kinds(a: Article) -> dict[str, str]:
    return {a.text[x.start : x.end][:30]: x.kind for x in a.excluded}


def test_curly_straight_and_single_quotes_are_found_verbatim() -> None:
    text = (
        'The mayor said "we will rebuild," and added: “Nothing stops us.” '
        "Critics called the plan 'reckless' and ‘far too slow’ in Lyon's council."
    )
    assert quotes(text) == ["we will rebuild,", "Nothing stops us.", "reckless", "far too slow"]


def test_apostrophes_never_open_or_close_a_quote() -> None:
    assert quotes("The city's mayor and the residents' union met on the nation’s day.") == []


def test_multi_paragraph_quote_is_one_linked_piece_per_paragraph() -> None:
    for open_mark, close_mark in (("“", "”"), ('"', '"')):
        text = (
            f"{open_mark}First part of the statement.\n\n"
            f"{open_mark}Second part,{close_mark} she said.\n"
        )
        spans = article(text).quote_spans
        assert [text[q.start : q.end] for q in spans] == [
            "First part of the statement.",
            "Second part,",
        ]
        assert spans[1].continues == spans[0].id


def test_unclosed_quote_does_not_swallow_the_next_paragraph() -> None:
    text = 'He said "this never closes.\nA new paragraph with "a real quote" here.\n'
    assert quotes(text) == ["a real quote"]


def test_offsets_index_the_untouched_text_with_crlf_and_bom(tmp_path: Path) -> None:
    raw = "Headline of the story here\r\n\r\nShe said “yes, we will,” on Monday.\r\n"
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    [parsed] = list(load([path]))
    assert isinstance(parsed, Article)
    assert parsed.text == raw
    assert [parsed.text[q.start : q.end] for q in parsed.quote_spans] == ["yes, we will,"]


def test_reader_boilerplate_ui_lines_and_repeats_are_excluded() -> None:
    text = (
        "Storm floods the valley\n"
        "Rain fell for three days and the river burst its banks on Tuesday night.\n"
        "Loading...\n"
        "Subscribe\n"
        "Officials said the water would recede by Friday.\n"
        "Loading...\n"
        "We welcome your comments. Please keep them civil and read our community guidelines.\n"
    )
    a = article(text)
    kinds = excluded_kinds(a)
    assert kinds["Loading..."] == "boilerplate"
    assert kinds["Subscribe"] == "boilerplate"
    assert any(k.startswith("We welcome your comments") for k in kinds)
    body = " ".join(a.slice(s) for s in a.sentences)
    assert "comments" not in body and "Loading" not in body
    assert a.title == "Storm floods the valley"


def test_photo_captions_and_timestamps_are_excluded() -> None:
    text = (
        "Parliament passes budget\n"
        "Updated 3 March 2026\n"
        "Lawmakers approved the spending plan by 210 votes to 190 late on Wednesday night.\n"
        "Members of parliament vote in the chamber in Rome on March 2, 2026. (AP Photo/File)\n"
        "This picture taken on May 1, 2020 shows protesters outside the building in the rain.\n"
        "The finance minister said the plan would cut the deficit over two years.\n"
    )
    kinds = excluded_kinds(article(text))
    assert kinds["Updated 3 March 2026"] == "metadata"
    assert kinds["Members of parliament vote in "] == "caption"
    assert kinds["This picture taken on May 1, 2"] == "caption"


def test_an_unrelated_story_glued_to_the_end_is_off_topic() -> None:
    story = (
        "Wildfire forces evacuations in northern California\n"
        "CHICO: A fast-moving wildfire forced thousands of residents to flee on Monday.\n"
        "Firefighters battled the blaze in dry canyons as winds gusted through the night.\n"
        "The fire service said the wildfire had burned 4,000 acres of forest near Chico.\n"
        "Evacuation centres opened in schools as smoke covered the valley for a second day.\n"
    )
    glued = (
        "Central bank raises interest rates to curb inflation\n"
        "Updated 2 min ago\n"
        "FRANKFURT: The central bank raised its benchmark interest rate by a quarter point.\n"
        "Economists expected the increase after inflation data for the euro zone on Friday.\n"
    )
    a = article(story + glued)
    off = [x for x in a.excluded if x.kind == "off_topic"]
    assert len(off) == 1
    assert a.text[off[0].start :].startswith("Central bank raises")
    assert all(s.end <= off[0].start for s in a.sentences)


def test_a_related_follow_up_section_is_not_cut() -> None:
    text = (
        "Wildfire forces evacuations in northern California\n"
        "CHICO: A fast-moving wildfire forced thousands of residents to flee on Monday.\n"
        "Firefighters battled the wildfire in dry canyons as winds gusted through the night.\n"
        "The fire service said the wildfire had burned 4,000 acres of forest near Chico.\n"
        "Wildfire evacuations in California continue near Chico\n"
        "Updated 2 min ago\n"
        "Residents of Chico said the wildfire evacuations left them sleeping in schools.\n"
    )
    assert not [x for x in article(text).excluded if x.kind == "off_topic"]


def test_sentences_do_not_split_on_abbreviations_or_inside_quotes() -> None:
    a = article(
        'Sgt. Maria Lopez of the U.S. Army spoke on Nov. 3. "We went in. We got out," she said. '
        "Then the convoy left."
    )
    texts = [a.slice(s) for s in a.sentences]
    assert texts == [
        "Sgt. Maria Lopez of the U.S. Army spoke on Nov. 3.",
        '"We went in. We got out," she said.',
        "Then the convoy left.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9".encode()[:-1], "cut off"),
    ],
)
def test_unreadable_files_fail_with_a_message_naming_the_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    [failure] = list(load([path]))
    assert isinstance(failure, ArticleFailure)
    assert message in failure.error and "bad.txt" in failure.error


def test_json_and_jsonl_fields(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(
        json.dumps(
            {
                "title": "T",
                "body": "He said “hi there friend” today.",
                "source": "Outlet",
                "url": "http://x",
            }
        )
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "First article text here."}) + "\n\n" + json.dumps({"text": 5}) + "\n"
    )
    items = list(load([tmp_path]))
    ids = sorted(i.id for i in items)
    assert ids == ["feed.jsonl#1", "feed.jsonl#3", "one.json"]
    by_id = {i.id: i for i in items}
    assert isinstance(by_id["one.json"], Article) and by_id["one.json"].outlet == "Outlet"
    assert isinstance(by_id["feed.jsonl#3"], ArticleFailure)
    assert "'text' or 'body'" in by_id["feed.jsonl#3"].error


def test_size_limit_names_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 1000)
    with pytest.raises(InputError, match="--max-article-bytes"):
        read(path, "huge.txt", max_bytes=100)


def test_find_quotes_ignores_marks_in_excluded_paragraphs() -> None:
    text = 'Body says "kept here".\nCaption says "dropped".'
    start = text.index("kept")
    assert [(q.start, q.end) for q in find_quotes(text, [(0, 22)])] == [
        (start, start + len("kept here"))
    ]


def test_reader_boilerplate_prefilter_agrees_with_the_pattern() -> None:
    """The substring test that passes over most lines never changes the answer: every line
    the pattern alone finds addressed to the reader is still found, also with letters that
    IGNORECASE matches to ASCII ones ("ſ", the Kelvin sign, dotted and dotless "i")."""
    import random

    from summarizer.ingest import furniture
    from summarizer.ingest.lines import Line

    def by_pattern(text: str) -> bool:
        hits = len(furniture._READER_RE.findall(text))
        return hits >= 2 or (hits >= 1 and bool(furniture._YOU_RE.search(text)))

    odd = {"s": "ſ", "k": "\u212a", "i": "\u0130", "l": "L"}
    rng = random.Random(7)
    texts = ["Rebels shelled the town on Monday, officials said.", "Share this: you"]
    for _ in range(2000):
        picked = rng.sample(furniture._READER_PHRASES, 2)
        plain = " ".join(p.replace("?", "").replace("(?:use|service)", "use") for p in picked)
        texts.append(
            "".join(
                rng.choice([c, c.upper(), odd.get(c, c), "\u0131" if c == "i" else c])
                for c in plain
            )
            + rng.choice(["", " - you", ", please.", " here"])
        )
    found = [furniture._is_reader_boilerplate(Line(0, len(t), t)) for t in texts]
    assert found == [by_pattern(t) for t in texts]
    assert 0 < sum(found) < len(texts)
