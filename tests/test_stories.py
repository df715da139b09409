"""Stories, headlines and copies on invented articles: one event is one story, whatever else
the folder holds; a headline is read as one even with a final period; a wire story run twice
is one copy.
"""

from __future__ import annotations

import math
import pickle
import random
from array import array
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import summarizer.merge as merge_package
from summarizer.errors import InternalError
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.merge import forked, merge, stories
from summarizer.merge.stories import (
    PAIR_LINK,
    ArticleProfile,
    Pairs,
    PairScoring,
    _candidate_pairs,
    _most_alike_first,
    group_stories,
    profile,
    same_copies,
    similarity,
)
from summarizer.models import Article, ArticleExtraction, Briefing, Quote
from summarizer.render import render

POOL = forked.pool


def _article(text: str, article_id: str, **meta: str) -> Article:
    return parse(RawArticle(id=article_id, path=article_id, text=text, **meta))  # type: ignore[arg-type]


FERRY = [
    (
        "Ferry capsizes off Porvena Island, nine missing.\n"
        "The passenger ferry Santa Ildara capsized off Porvena Island early on Tuesday, and "
        "coast guard commander Aurelio Vantesca said nine passengers were still missing.\n"
        "Divers from Port Malvane searched the hull through the afternoon while relatives "
        "waited on the quay at Porvena.\n"
        "Vantesca said the Santa Ildara had left Port Malvane overloaded in rough seas.\n"
    ),
    (
        "Divers search capsized Santa Ildara as families wait in Porvena.\n"
        "Relatives of the missing gathered on the Porvena quay as divers searched the hull of "
        "the Santa Ildara, which overturned in rough seas after leaving Port Malvane.\n"
        "Commander Aurelio Vantesca of the coast guard said the ferry carried more passengers "
        "than its licence allowed.\n"
        "Governor Lisette Orandu promised an inquiry into the Santa Ildara and its owners.\n"
    ),
    (
        "Porvena ferry owners questioned.\n"
        "Police in Port Malvane questioned the owners of the Santa Ildara on Wednesday, a day "
        "after the ferry capsized off Porvena Island.\n"
        "Governor Lisette Orandu said the inquiry would ask why the ferry sailed when the "
        "harbour master at Port Malvane had warned of rough seas.\n"
        "Aurelio Vantesca, the coast guard commander, said divers would keep searching.\n"
    ),
]
COUNCIL = [
    (
        "Lindhaven council votes to close Grenmoor library.\n"
        "Lindhaven city council voted seven to four on Monday to close the Grenmoor branch "
        "library, despite a petition signed by 3,000 residents.\n"
        "Councillor Edda Brannstrom said the Grenmoor building needed repairs the city could "
        "not afford.\n"
        "Mayor Tobias Quell said books would move to the central library in Lindhaven.\n"
    ),
    (
        "Grenmoor residents vow to fight library closure.\n"
        "Residents of Grenmoor said they would challenge the Lindhaven council decision to "
        "close their branch library in court.\n"
        "Edda Brannstrom, who proposed the closure, said repairs to the Grenmoor building would "
        "cost more than the library's budget for ten years.\n"
        "Mayor Tobias Quell met the petition's organisers on Tuesday.\n"
    ),
]
ORCHARD = (
    "Frost ruins apple harvest in the Tessaly valley.\n"
    "Growers in the Tessaly valley lost most of their apple crop to a late frost, the "
    "Tessaly Growers Union said on Friday.\n"
    "Union chair Marit Solvang said members would seek help from the agriculture fund.\n"
)


def _ids(stories: list) -> list[list[str]]:  # type: ignore[type-arg]
    return sorted(sorted(a.id for a in s.articles) for s in stories)


def test_one_event_is_one_story_and_another_event_another() -> None:
    articles = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    articles += [_article(t, f"council{i}.txt") for i, t in enumerate(COUNCIL)]
    assert _ids(group_stories(articles)) == [
        ["council0.txt", "council1.txt"],
        ["ferry0.txt", "ferry1.txt", "ferry2.txt"],
    ]


def test_an_abbreviated_month_is_a_date_not_a_name_of_the_event() -> None:
    # "Nov." and "Dec." written mid-sentence are capitalised as names are, but two unrelated
    # events dated in the same month share no name for it.
    text = (
        "Harbour cranes idle in Velmora.\n"
        "Dockers at Velmora walked out on Nov. 3 and again on Dec. 1, the Tarrow union said, "
        "and Nov. shipments were diverted to Oskel while Dec. talks were set.\n"
    )
    found = profile(_article(text, "a"))
    assert "^velmora" in found.terms  # a name (``NAME_PREFIX``)
    assert not {"^nov", "^dec"} & set(found.terms)
    assert {"nov", "dec"} <= set(found.terms)  # still words of the article


def test_a_name_or_a_country_written_only_in_the_possessive_is_still_one() -> None:
    # "Korvath’s" and "Ukraine's" are the only forms written: the name weighs as a name, the
    # country is named (so two stories set in different countries never join).
    text = (
        "Dam works halted in Brelsk.\n"
        "Work on the dam stopped after Ukraine's water agency found cracks, and Mayor Ilse "
        "Korvath’s office said the Korvath’s plan to reopen the road was shelved.\n"
        "Engineers from the agency said the cracks at Brelsk had widened since the spring.\n"
    )
    found = profile(_article(text, "a"))
    assert found.countries == frozenset({"ukraine"})
    assert "^korvath" in found.terms  # a name (``NAME_PREFIX``), not the ordinary "korvath"
    assert "korvath" not in found.terms
    written = profile(_article(text.replace("Ukraine's", "the Ukrainian"), "b"))
    assert written.countries == frozenset()


def test_a_capital_weighs_as_a_word_not_as_a_name_of_the_event() -> None:
    # Many unrelated events are reported from, or answered in, one capital.
    text = (
        "Bus plunges into gorge near Ketema.\n"
        "A bus fell into a gorge near Ketema on Sunday, and officials in Addis Ababa and "
        "Nairobi said the driver had lost control.\n"
    )
    found = profile(_article(text, "a"))
    assert "^ketema" in found.terms
    assert not {"^nairobi", "^_addis ababa", "^addis", "^ababa"} & set(found.terms)
    assert "nairobi" in found.terms
    # ... and sets the article in its country, as the country's name would.
    assert found.countries == frozenset({"ethiopia", "kenya"})


def test_every_capital_is_in_a_country_that_stories_know() -> None:
    from summarizer.extract.rules.lexicon import CAPITALS

    known = stories._COUNTRY_WORDS | set(stories._COUNTRY_ALIASES.values())
    assert set(stories._CAPITAL_COUNTRIES) <= set(CAPITALS)
    assert set(stories._CAPITAL_COUNTRIES.values()) <= known
    # Those whose country is not among ``_COUNTRIES`` (the docstring of the table says why).
    assert set(CAPITALS) - set(stories._CAPITAL_COUNTRIES) == {
        "washington",
        "pretoria",
        "bangui",
        "yamoussoukro",
        "santo domingo",
    }


def test_grouping_does_not_depend_on_what_else_is_in_the_folder() -> None:
    ferry = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    council = [_article(t, f"council{i}.txt") for i, t in enumerate(COUNCIL)]
    orchard = _article(ORCHARD, "orchard.txt")
    alone = _ids(group_stories(ferry))
    assert alone == [["ferry0.txt", "ferry1.txt", "ferry2.txt"]]
    for others in ([orchard], council, [*council, orchard], list(reversed(council))):
        together = _ids(group_stories([*others, *ferry]))
        assert alone[0] in together
    # How alike two articles are is a function of those two only.
    base = similarity(ferry[0], ferry[1])
    assert base == similarity(ferry[0], ferry[1])
    assert base > 0.3 > similarity(ferry[0], council[0])


def test_one_article_on_two_events_does_not_chain_them() -> None:
    ferry = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    council = [_article(t, f"council{i}.txt") for i, t in enumerate(COUNCIL)]
    roundup = _article(
        "Morning roundup.\n" + FERRY[0].split("\n", 1)[1] + COUNCIL[0].split("\n", 1)[1],
        "roundup.txt",
    )
    stories = _ids(group_stories([*ferry, roundup, *council]))
    assert not any({"ferry0.txt", "council0.txt"} <= set(story) for story in stories), (
        "the roundup must not fuse the ferry and the council stories"
    )


def test_profiles_made_elsewhere_group_as_profiles_made_by_merge() -> None:
    # The pipeline may profile each article where it is extracted (a worker process) and
    # cache the profile: a pickled profile groups, titles and finds copies exactly alike.
    articles = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    articles += [_article(t, f"council{i}.txt") for i, t in enumerate(COUNCIL)]
    articles.append(_article(FERRY[0], "rerun.txt"))
    profiles = [pickle.loads(pickle.dumps(profile(a))) for a in articles]
    assert profiles == [profile(a) for a in articles]
    # Kept in the cache as bytes, they come back equal (floats to the last bit); bytes cut
    # short, or saying they hold more countries than they do, are no profile.
    assert [ArticleProfile.from_bytes(p.to_bytes()) for p in profiles] == profiles
    kept = profiles[0].to_bytes()
    for damaged in (kept[:-3], kept[:40], kept[:8], kept[:8] + b"\xff" + kept[9:], b""):
        with pytest.raises(ValueError, match="not a story profile"):
            ArticleProfile.from_bytes(damaged)
    assert group_stories(articles, profiles) == group_stories(articles)
    assert same_copies(articles, profiles) == same_copies(articles) == {"rerun.txt": "ferry0.txt"}
    extractions = [ArticleExtraction(article_id=a.id, backend="rules") for a in articles]
    given = merge(articles, extractions, [], backend="rules", model=None, profiles=profiles)
    assert given == merge(articles, extractions, [], backend="rules", model=None)
    with pytest.raises(InternalError, match="one per article"):
        group_stories(articles, profiles[1:])


def test_each_candidate_pair_is_scored_once_exactly_as_the_plain_dot_product() -> None:
    # Pairs are scored from the larger vector's side, in C: each score must be the plain
    # sum over the smaller vector's shared terms, in its order, to the last bit (the order
    # of two as long is the earlier article's), or grouping could change.
    texts = [*FERRY, *COUNCIL, ORCHARD, FERRY[0] + COUNCIL[0], COUNCIL[1] + ORCHARD]
    profiles = [profile(_article(t, f"a{i}.txt")) for i, t in enumerate(texts)]
    pairs = list(_candidate_pairs(profiles))
    assert len({(i, j) for _, i, j in pairs}) == len(pairs)
    assert pairs == sorted(pairs, key=lambda sij: (-sij[0], sij[1], sij[2]))
    for score, i, j in pairs:
        assert i < j
        a, b = profiles[i], profiles[j]
        small, large = (a, b) if len(a.terms) <= len(b.terms) else (b, a)
        lookup = large.vector()
        plain = sum(w * lookup[t] for t, w in small.vector().items() if t in lookup)
        assert score.hex() == float(plain).hex()
        assert score >= PAIR_LINK
    assert {(i, j) for _, i, j in pairs} >= {(0, 1), (0, 2), (1, 2), (3, 4)}


@pytest.mark.parametrize("waited", [False, True])
def test_pairs_scored_in_worker_processes_are_the_pairs_scored_here(
    monkeypatch: pytest.MonkeyPatch, waited: bool
) -> None:
    # A large folder's pairs are scored in forked processes, each article's share in one of
    # them: together, in their own order, they must be this process's pairs to the last bit,
    # whether collected when asked for or beforehand (``wait``: a large run's merge).
    texts = [*FERRY, *COUNCIL, ORCHARD, FERRY[0] + COUNCIL[0], COUNCIL[1] + ORCHARD]
    profiles = [profile(_article(t, f"a{i}.txt")) for i, t in enumerate(texts)]
    monkeypatch.setattr(stories, "PARALLEL_PAIRS_FROM", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    scoring = PairScoring(profiles)
    assert scoring._pool is not None
    if waited:
        scoring.wait()
        assert scoring._pool is None  # its processes are shut once the pairs are in
    pairs = scoring.result()
    assert scoring._pool is None and scoring._scored is None  # nor are they kept
    assert [(s.hex(), i, j) for s, i, j in pairs] == [
        (s.hex(), i, j) for s, i, j in _candidate_pairs(profiles)
    ]
    assert pairs


def test_pairs_are_ordered_as_their_tuples_would_be() -> None:
    # Pairs are kept as three arrays and sorted as one integer each: the order must be the
    # one of the tuples (score, i, j), most alike first, ties of score by (i, j), to the bit.
    rng = random.Random(7)
    scores = [rng.choice([0.26, 0.5, 1.0, 0.0]) for _ in range(40)]
    scores += [rng.uniform(0.0, 1.5) for _ in range(400)]
    scores += [math.nextafter(0.5, 1.0), math.nextafter(0.5, 0.0), 5e-324, 0.0]
    tuples = [(s, rng.randrange(1 << 32), rng.randrange(1 << 32)) for s in scores]
    pairs = Pairs(*map(array, "dII", zip(*tuples, strict=True)))
    ordered = list(_most_alike_first(pairs))
    assert [(s.hex(), i, j) for s, i, j in ordered] == [
        (s.hex(), i, j) for s, i, j in sorted(tuples, key=lambda sij: (-sij[0], sij[1], sij[2]))
    ]
    assert list(_most_alike_first(Pairs())) == []


class _Letting(list[Any]):
    """A ``merge.Releasing`` list that fails a read of an item it has let go of."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self.released: list[int] = []

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice) and index in self.released:
            raise AssertionError(f"item {index} read after it was let go")
        return super().__getitem__(index)

    def release(self, index: int) -> None:
        assert index not in self.released
        self.released.append(index)


@pytest.mark.parametrize("parallel", [False, True])
def test_merge_lets_go_of_each_input_once_its_story_is_merged(
    monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    # Inputs that can let go of an item are told, once per item, when its story is merged
    # (here, or in the worker), and never read it after; the brief is the same.
    texts = [*FERRY, *COUNCIL, ORCHARD, FERRY[0] + COUNCIL[0], COUNCIL[1] + ORCHARD]
    articles = [_article(t, f"a{i}.txt") for i, t in enumerate(texts)]
    backend = RulesBackend()
    extractions = [backend.extract(a) for a in articles][::-1]  # not in the articles' order
    alone = merge(articles, extractions, [], backend="rules", model=None)
    if parallel:
        monkeypatch.setattr(merge_package, "PARALLEL_STORIES_FROM", 2)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
    given = [_Letting(articles), _Letting(extractions), _Letting(list(map(profile, articles)))]
    briefed = merge(*given[:2], [], backend="rules", model=None, profiles=given[2])
    assert briefed.model_dump_json() == alone.model_dump_json()
    for letting in given:
        assert isinstance(letting, merge_package.Releasing)
        assert sorted(letting.released) == list(range(len(articles)))


def test_a_large_run_merges_its_stories_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # From PARALLEL_STORIES_BELOW articles on, no worker is forked for the stories (it would
    # come to hold a copy of merge's memory); the brief is the same.
    texts = [*FERRY, *COUNCIL, ORCHARD]
    articles = [_article(t, f"a{i}.txt") for i, t in enumerate(texts)]
    extractions = [RulesBackend().extract(a) for a in articles]
    alone = merge(articles, extractions, [], backend="rules", model=None)
    monkeypatch.setattr(merge_package, "PARALLEL_STORIES_FROM", 2)
    monkeypatch.setattr(merge_package, "PARALLEL_STORIES_BELOW", len(articles))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    forks: list[object] = []
    monkeypatch.setattr(forked, "pool", lambda *args: forks.append(args))
    assert merge(articles, extractions, [], backend="rules", model=None) == alone
    assert not forks
    monkeypatch.setattr(merge_package, "PARALLEL_STORIES_BELOW", len(articles) + 1)
    assert merge(articles, extractions, [], backend="rules", model=None) == alone
    assert len(forks) == 1


@pytest.mark.parametrize("sent_articles", [1, 1_000])
def test_stories_merged_in_a_worker_process_are_the_stories_merged_here(
    monkeypatch: pytest.MonkeyPatch, sent_articles: int
) -> None:
    # A large run's stories are shared between merge's process and a forked one, whose
    # stories come back as JSON, in parts: the brief must be the one merged in one process.
    texts = [*FERRY, *COUNCIL, ORCHARD, FERRY[0] + COUNCIL[0], COUNCIL[1] + ORCHARD]
    articles = [_article(t, f"a{i}.txt") for i, t in enumerate(texts)]
    backend = RulesBackend()
    extractions = [backend.extract(a) for a in articles]
    alone = merge(articles, extractions, [], backend="rules", model=None)
    monkeypatch.setattr(merge_package, "PARALLEL_STORIES_FROM", 2)
    monkeypatch.setattr(merge_package, "SENT_ARTICLES", sent_articles)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    pools: list[ProcessPoolExecutor | None] = []

    def pool(*args: Any) -> ProcessPoolExecutor | None:
        pools.append(POOL(*args))
        return pools[-1]

    monkeypatch.setattr(forked, "pool", pool)
    shared = merge(articles, extractions, [], backend="rules", model=None)
    assert pools and pools[0] is not None
    assert shared == alone
    assert shared.model_dump_json() == alone.model_dump_json()
    assert len(shared.stories) > 1 and shared.summary


def test_two_articles_with_one_id_are_a_bug_upstream() -> None:
    articles = [_article(FERRY[0], "same.txt"), _article(COUNCIL[0], "same.txt")]
    extractions = [ArticleExtraction(article_id="same.txt", backend="rules")]
    with pytest.raises(InternalError, match="share one id"):
        merge(articles, extractions, [], backend="rules", model=None)


def test_a_story_is_titled_by_its_best_headline() -> None:
    articles = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    [story] = group_stories(articles)
    headlines = {t.split("\n", 1)[0].rstrip(".") for t in FERRY}
    assert story.title in headlines
    assert not story.title.endswith(".")


def test_a_first_line_with_a_final_period_is_a_headline_when_it_reads_as_one() -> None:
    ferry = _article(FERRY[0], "f.txt")
    assert ferry.title == "Ferry capsizes off Porvena Island, nine missing."
    assert ferry.sentences[0].heading
    # A lede is not a headline: it opens like a sentence of the story, or runs long.
    lede = _article(
        "A passenger ferry capsized off Porvena Island early on Tuesday.\n"
        "The coast guard said nine passengers were still missing after the Santa Ildara "
        "overturned in rough seas.\n",
        "l.txt",
    )
    assert lede.title is None
    long_first = _article(
        "Coast guard divers searched through the night for nine passengers still missing "
        "after the Santa Ildara ferry capsized in rough seas off Porvena Island.\n"
        "Relatives waited on the quay.\n",
        "g.txt",
    )
    assert long_first.title is None


def test_a_headline_is_never_a_lead_sentence() -> None:
    articles = [_article(t, f"ferry{i}.txt") for i, t in enumerate(FERRY)]
    backend = RulesBackend()
    extractions = [backend.extract(a) for a in articles]
    brief = merge(articles, extractions, [], backend="rules", model=None)
    headlines = {t.split("\n", 1)[0] for t in FERRY}
    assert brief.summary
    assert not any(line.text in headlines for line in brief.summary)


def test_publication_time_and_outlet_are_read_from_the_text_never_the_file() -> None:
    dated = _article(
        "Ferry capsizes off Porvena Island.\n"
        "Updated 10:15 a.m. March 4, 2031\n"
        "PORVENA (Island Courier) — The passenger ferry Santa Ildara capsized off Porvena "
        "Island early on Tuesday, the coast guard said.\n",
        "d.txt",
    )
    assert dated.published == "2031-03-04T10:15"
    assert dated.outlet == "Island Courier"
    undated = _article(FERRY[0], "u.txt")
    assert undated.published is None
    given = _article(FERRY[0], "j.txt", published="2031-03-05", outlet="Harbour Post")
    assert (given.published, given.outlet) == ("2031-03-05", "Harbour Post")


def _brief(articles: list[Article]) -> Briefing:
    extractions = [ArticleExtraction(article_id=a.id, backend="rules") for a in articles]
    return merge(articles, extractions, [], backend="rules", model=None)


def test_a_wire_story_run_twice_is_one_copy() -> None:
    wire = FERRY[0]
    rerun = wire.replace("early on Tuesday", "on Tuesday morning").replace(
        "through the afternoon", "all afternoon"
    )
    articles = [
        _article(wire, "a.txt", outlet="Island Courier"),
        _article(rerun, "b.txt", outlet="Harbour Post"),
        _article(FERRY[1], "c.txt", outlet="Coastal Times"),
    ]
    assert same_copies(articles) == {"b.txt": "a.txt"}
    brief = _brief(articles)
    copies = {a.id: a.same_copy_as for a in brief.articles}
    assert copies == {"a.txt": None, "b.txt": "a.txt", "c.txt": None}
    text = render(brief, "md")
    assert "same wire copy as [1]" in text
    assert text.count("same wire copy") == 1


def test_a_quote_carried_by_one_copy_twice_counts_one_outlet() -> None:
    wire = FERRY[0] + (
        'Commander Aurelio Vantesca said: "We will search every metre of that water until the '
        'last passenger is found." The Santa Ildara capsized off Porvena Island on Tuesday.\n'
    )
    other = (
        "Families wait in Porvena.\n"
        'Relatives waited on the quay. "We will search every metre of that water until the '
        'last passenger is found," Commander Aurelio Vantesca said of the Santa Ildara.\n'
    )
    articles = [
        _article(wire, "a.txt", outlet="Island Courier"),
        _article(wire.replace("on Tuesday", "early on Tuesday"), "b.txt", outlet="Harbour Post"),
        _article(other, "c.txt", outlet="Coastal Times"),
    ]
    words = "We will search every metre of that water until the last passenger is found"
    extractions = []
    for a in articles:
        start = a.text.index(words)
        end = start + len(words) + (1 if a.text[start + len(words)] == "." else 0)
        extractions.append(
            ArticleExtraction(
                article_id=a.id,
                backend="rules",
                quotes=[
                    Quote(
                        start=start,
                        end=end,
                        text=a.text[start:end],
                        speaker="Aurelio Vantesca",
                        fragment=False,
                        attribution="explicit",
                    )
                ],
            )
        )
    brief = merge(articles, extractions, [], backend="rules", model=None)
    [quote] = brief.quotes
    assert len(quote.citations) == 3
    assert quote.outlets == 2  # merge counts; render only shows it
    assert "— 2 outlets" in render(brief, "md")


def _weighted(number: int, weights: dict[str, float], country: str) -> ArticleProfile:
    """A profile of nothing but a unit vector (``weights`` scaled to length 1) and a country."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return ArticleProfile(
        digest=f"{number:064x}",
        terms=tuple(t for t, _ in ranked),
        weights=array("d", [w / norm for _, w in ranked]),
        countries=frozenset([country] if country else []),
        words=(),
        word_counts=array("B"),
        runs=(),
        run_counts=array("B"),
        shingles=array("I"),
    )


_TERMS = [f"t{k}" for k in range(5)]


@settings(
    max_examples=300,
    deadline=None,
    # ``monkeypatch`` is only used through ``context()``: undone after each example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(  # two stories found apart, then each grows, and they are found alike after all
    articles=[
        ({"t0": 1.0, "t2": 0.6, "t3": 0.3}, ""),
        ({"t0": 1.0, "t1": 0.6, "t2": 0.1, "t3": 0.6}, ""),
        ({"t0": 0.1, "t3": 1.0, "t4": 1.0}, ""),
        ({"t1": 0.3, "t4": 0.1}, ""),
        ({"t2": 0.1, "t4": 0.3}, ""),
        ({"t0": 1.0, "t2": 0.3, "t4": 0.6}, ""),
    ]
)
@given(
    articles=st.lists(
        st.tuples(
            st.dictionaries(
                st.sampled_from(_TERMS), st.sampled_from([0.1, 0.3, 0.6, 1.0]), min_size=1
            ),
            st.sampled_from(["", "", "", "chile"]),
        ),
        min_size=2,
        max_size=12,
    )
)
def test_stories_found_apart_are_told_apart_again_only_when_they_would_be(
    articles: list[tuple[dict[str, float], str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Grouping skips comparing two stories again, after either has grown, when a bound
    # proves they are still apart: the groups must be those of comparing them every time.
    profiles = [_weighted(n, weights, country) for n, (weights, country) in enumerate(articles)]
    found = stories.group(profiles)
    with monkeypatch.context() as patch:
        patch.setattr(stories._Components, "_still_apart", lambda self, key: False)
        assert stories.group(profiles) == found
