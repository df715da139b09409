"""Casualty rows over time: an update is not a dispute, context is not a toll.

Every article here is invented for this file (a flood in "Varnoy", a mine fire in "Kestrel
Ridge"); each row's ``kind`` is one of consistent | dispute | update | scope.
"""

from __future__ import annotations

from summarizer.ingest import RawArticle, parse, parse_time
from summarizer.merge import merge
from summarizer.models import (
    Article,
    ArticleExtraction,
    Briefing,
    CasualtyFigure,
    CasualtyRow,
    Span,
)
from summarizer.render import render


def _article(text: str, article_id: str, published: str | None = None) -> Article:
    return parse(RawArticle(id=article_id, path=article_id, text=text, published=published))


def _figure(
    article: Article,
    stated: str,
    count: int,
    source: str | None = None,
    *,
    status: str = "killed",
    group: str = "people",
    background: bool = False,
    nth: int = 0,
) -> CasualtyFigure:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(stated, start + 1)
    sentence = next(s for s in article.sentences if s.start <= start < s.end)
    return CasualtyFigure(
        start=start,
        end=start + len(stated),
        status=status,
        count=count,
        count_text=stated.split()[0],
        group=group,
        attributed_to=source,
        evidence=Span(start=sentence.start, end=sentence.end),
        background=background,
    )


def _brief(*items: tuple[Article, list[CasualtyFigure]]) -> Briefing:
    articles = [a for a, _ in items]
    extractions = [
        ArticleExtraction(article_id=a.id, backend="rules", casualties=figures)
        for a, figures in items
    ]
    return merge(articles, extractions, [], backend="rules", model=None)


def _killed(brief: Briefing) -> list[CasualtyRow]:
    return [r for r in brief.casualties if r.status == "killed"]


FIRST = (
    "Flood waters swept through Varnoy overnight. The regional health ministry said 235 people "
    "were killed as the Tamesk river burst its banks near the mill town.\n"
)
LATER = (
    "Rescuers in Varnoy pulled more bodies from the mud. The regional health ministry said 305 "
    "people were killed after the Tamesk river burst its banks near the mill town.\n"
)


def test_the_same_source_later_is_an_update_latest_first() -> None:
    a = _article(FIRST, "a.txt", "2031-04-02T08:00")
    b = _article(LATER, "b.txt", "2031-04-03T09:30")
    brief = _brief(
        (a, [_figure(a, "235 people", 235, "the regional health ministry")]),
        (b, [_figure(b, "305 people", 305, "the regional health ministry")]),
    )
    [row] = _killed(brief)
    assert row.kind == "update"
    assert row.values == [305, 235]
    assert not row.discrepancy
    assert row.consensus == 305
    assert [f.superseded for f in row.figures] == [True, False]
    assert [f.as_of for f in row.figures] == ["2031-04-02T08:00", "2031-04-03T09:30"]
    text = render(brief, "md")
    assert "rose from 235 to 305" in text
    assert "⚠" not in text


def test_without_publication_times_two_counts_stay_a_dispute() -> None:
    a = _article(FIRST, "a.txt")
    b = _article(LATER, "b.txt")
    brief = _brief(
        (a, [_figure(a, "235 people", 235, "the regional health ministry")]),
        (b, [_figure(b, "305 people", 305, "the regional health ministry")]),
    )
    [row] = _killed(brief)
    assert row.kind == "dispute"
    assert row.discrepancy
    assert row.values == []


def test_different_sources_at_different_times_are_still_a_dispute() -> None:
    a = _article(FIRST, "a.txt", "2031-04-02")
    b = _article(LATER.replace("regional health ministry", "Red Crescent"), "b.txt", "2031-04-03")
    brief = _brief(
        (a, [_figure(a, "235 people", 235, "the regional health ministry")]),
        (b, [_figure(b, "305 people", 305, "the Red Crescent")]),
    )
    [row] = _killed(brief)
    assert row.kind == "dispute"


def test_a_sentence_that_gives_the_change_orders_it() -> None:
    text = (
        "Mine fire at Kestrel Ridge: toll climbs.\n"
        "The death toll at the Kestrel Ridge colliery rose from 12 miners to 19 miners on "
        "Thursday, the operator said, as crews reached the lower shaft.\n"
    )
    a = _article(text, "m.txt")
    brief = _brief(
        (
            a,
            [
                _figure(a, "12 miners", 12, group="miners"),
                _figure(a, "19 miners", 19, group="miners"),
            ],
        )
    )
    [row] = _killed(brief)
    assert (row.kind, row.values, row.consensus) == ("update", [19, 12], 19)


def test_an_earlier_count_is_superseded_and_a_rival_count_still_disputes() -> None:
    text = (
        "Mine fire at Kestrel Ridge.\n"
        "The county hospital had initially said 16 people died in the Kestrel Ridge fire. "
        "The hospital now says 21 people died, while the mine operator puts the toll at 14 "
        "people.\n"
    )
    a = _article(text, "m.txt")
    brief = _brief(
        (
            a,
            [
                _figure(a, "16 people", 16, "the county hospital"),
                _figure(a, "21 people", 21, "the hospital"),
                _figure(a, "14 people", 14, "the mine operator"),
            ],
        )
    )
    [row] = _killed(brief)
    assert row.kind == "dispute"
    assert {f.count: f.superseded for f in row.figures} == {16: True, 21: False, 14: False}


def test_a_weekday_in_the_sentence_dates_the_figure() -> None:
    first = _article(
        "Storm over Varnoy.\nOn Sunday, police said 3 people were killed in Varnoy as roofs "
        "were torn off along the coast road.\n",
        "a.txt",
        "2031-04-08",  # a Tuesday: Sunday was 2031-04-06
    )
    second = _article(
        "Storm over Varnoy.\nOn Monday, police said 5 people were killed in Varnoy after two "
        "more bodies were found along the coast road.\n",
        "b.txt",
        "2031-04-08",
    )
    brief = _brief(
        (first, [_figure(first, "3 people", 3, "police")]),
        (second, [_figure(second, "5 people", 5, "police")]),
    )
    [row] = _killed(brief)
    assert [f.as_of for f in row.figures] == ["2031-04-06", "2031-04-07"]
    assert (row.kind, row.values) == ("update", [5, 3])


def test_context_figures_are_scope_never_the_toll() -> None:
    text = (
        "Varnoy flood.\n"
        "The flood killed 7 people in Varnoy on Friday. Floods have killed 410 people in the "
        "province since 2019, officials said.\n"
    )
    a = _article(text, "a.txt")
    brief = _brief((a, [_figure(a, "7 people", 7), _figure(a, "410 people", 410, background=True)]))
    kinds = {r.consensus: r.kind for r in _killed(brief)}
    assert kinds == {7: "consistent", 410: "scope"}
    scope = next(r for r in _killed(brief) if r.kind == "scope")
    assert scope.background and not scope.discrepancy
    assert "Context, not part of the toll" in render(brief, "md")


def test_agreeing_figures_are_consistent() -> None:
    a = _article(FIRST, "a.txt")
    b = _article(FIRST.replace("overnight", "late on Friday"), "b.txt")
    brief = _brief(
        (a, [_figure(a, "235 people", 235, "the regional health ministry")]),
        (b, [_figure(b, "235 people", 235)]),
    )
    [row] = _killed(brief)
    assert (row.kind, row.consensus, row.discrepancy) == ("consistent", 235, False)


def test_stated_times_are_read_as_iso() -> None:
    assert parse_time("Updated 10:15 a.m. Nov. 25, 2031") == "2031-11-25T10:15"
    assert parse_time("Published: 2031-11-24T08:00Z") == "2031-11-24T08:00"
    assert parse_time("24 November 2031") == "2031-11-24"
    assert parse_time("Tuesday, 4:30 PM") is None
    assert parse_time("") is None


def test_the_missing_found_alive_are_no_longer_missing() -> None:
    text = (
        "Hikers found on Mount Tessar.\n"
        "The four hikers who had been reported missing on Mount Tessar were found alive on "
        "Sunday, the mountain rescue service said.\n"
    )
    a = _article(text, "h.txt")
    brief = _brief((a, [_figure(a, "four hikers", 4, status="missing", group="hikers")]))
    [row] = [r for r in brief.casualties if r.status == "missing"]
    assert (row.kind, row.values, row.consensus, row.discrepancy) == ("update", [0, 4], 0, False)
    assert row.figures[0].superseded


def _missing_row(text: str, stated: str, count: int, group: str) -> CasualtyRow:
    a = _article(text, "m.txt")
    brief = _brief((a, [_figure(a, stated, count, status="missing", group=group)]))
    [row] = [r for r in brief.casualties if r.status == "missing"]
    return row


def test_the_missing_found_later_in_the_article_are_no_longer_missing() -> None:
    found = [
        # the figure's own head noun, an adverb before the verb
        (
            "Sailor missing off Porvena\n"
            "One sailor was reported missing on Monday when his dinghy did not return.\n"
            "The missing sailor was eventually found by a fishing crew on Wednesday.\n",
            "One sailor",
            1,
            "sailor",
        ),
        # a pronoun of the right number
        (
            "Three climbers went missing on the glacier above Tessar on Friday.\n"
            "They were rescued by helicopter on Sunday, the mountain service said.\n",
            "Three climbers",
            3,
            "climbers",
        ),
        # found dead is found too: the toll says the rest
        (
            "A teenager was reported missing after the storm in Varnoy.\n"
            "She was found dead near the weir two days later, police said.\n",
            "A teenager",
            1,
            "teenager",
        ),
    ]
    for text, stated, count, group in found:
        row = _missing_row(text, stated, count, group)
        assert (row.kind, row.values, row.consensus) == ("update", [0, count], 0), text


def test_what_was_found_must_be_the_missing() -> None:
    for text in (
        "A fisherman was reported missing off Porvena on Monday.\n"
        "His boat was found drifting near the harbour mouth on Tuesday.\n",
        "Two divers were reported missing near the reef.\n"
        "He was found safe, a coast guard spokesman said of the boat's skipper.\n",
    ):
        stated = "A fisherman" if "fisherman" in text else "Two divers"
        count = 1 if "fisherman" in text else 2
        row = _missing_row(text, stated, count, stated.split()[-1])
        assert (row.kind, row.consensus) == ("consistent", count), text


def test_remain_missing_and_unaccounted_for_are_missing() -> None:
    from summarizer.extract.rules.casualties import find_casualties
    from summarizer.extract.rules.doc import Doc

    for text in (
        "Nine passengers remain missing after the ferry sank off Porvena, the coast guard said.",
        "Twelve miners are still unaccounted for at Kestrel Ridge, the operator said.",
    ):
        [figure] = find_casualties(Doc.of(_article(text, "m.txt")))
        assert figure.status == "missing"


def test_the_same_source_saying_the_toll_rose_makes_its_other_count_earlier() -> None:
    first = _article(FIRST, "a.txt")
    later = _article(
        "Rescuers in Varnoy pulled more bodies from the mud. The death toll rose to 305 people, "
        "the regional health ministry said, as the Tamesk river fell.\n",
        "b.txt",
    )
    rival = _article(
        LATER.replace("regional health ministry", "Red Crescent").replace("305", "280"), "c.txt"
    )
    brief = _brief(
        (first, [_figure(first, "235 people", 235, "the regional health ministry")]),
        (later, [_figure(later, "305 people", 305, "the regional health ministry")]),
    )
    [row] = _killed(brief)
    assert (row.kind, row.values) == ("update", [305, 235])
    # Another source's count at no known time is still a dispute with the newest one.
    brief = _brief(
        (first, [_figure(first, "235 people", 235, "the regional health ministry")]),
        (later, [_figure(later, "305 people", 305, "the regional health ministry")]),
        (rival, [_figure(rival, "280 people", 280, "the Red Crescent")]),
    )
    [row] = _killed(brief)
    assert row.kind == "dispute"
    assert {f.count: f.superseded for f in row.figures} == {235: True, 305: False, 280: False}
