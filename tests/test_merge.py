"""Merge: stories, quotes, casualty rows, stances and the lead, over real seed articles.

The extractions are written by hand (what a good extractor would return for the seed
articles), so these tests pin the merge stage alone, whatever the extract backends do.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.aliases import ALIASES, canonical_tokens
from summarizer.errors import InternalError
from summarizer.ingest import RawArticle, decode, parse
from summarizer.merge import merge
from summarizer.merge.names import NameResolver
from summarizer.merge.quotes import MATCH, fold_fragments, similarity
from summarizer.merge.quotes import _item as quote_item
from summarizer.merge.stories import _candidate_pairs, group_stories, profile
from summarizer.merge.unionfind import DisjointSets
from summarizer.models import (
    Article,
    ArticleExtraction,
    ArticleFailure,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyFigure,
    CasualtyRow,
    Citation,
    Excluded,
    Fallback,
    Quote,
    Span,
    Stance,
    SummaryLine,
    SummarySentence,
    Usage,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"

# (article prefix, quoted text, occurrence, speaker as the extractor wrote it). Speakers are
# spelled the way outlets spell them, so that merge has to resolve them.
QUOTES: list[tuple[str, str, int, str | None]] = [
    ("000", "neutralize", 0, "Barrack"),
    ("000", "neutralize", 1, "Tom Barrack"),
    ("000", "neutralize", 2, "Tom Barrack"),
    (
        "000",
        "enable[ing] capable Syrian partners with limited U.S. operational support to hunt "
        "down Daesh networks,",
        0,
        "Barrack",
    ),
    (
        "000",
        "keeps the fight local, limits U.S. exposure, and avoids another large-scale "
        "American war in the Middle East.",
        0,
        "Barrack",
    ),
    ("000", "sustained pressure from Syrian partners operating with US support,", 0, "Barrack"),
    (
        "000",
        "will not allow this attack on our beautiful young troops to go uncontested.",
        0,
        "Barrack",
    ),
    (
        "000",
        "by confronting and defeating Daesh on Syrian soil, our limited troop presence... is "
        "actively shielding America from far greater threats.",
        0,
        "Barrack",
    ),
    ("001", "neutralize", 0, "Tom Barrack"),
    (
        "001",
        "Our strong partnerships within the global anti-ISIS coalition — including the "
        "committed support of nations aligned with Syria's new government — will amplify "
        "efforts to neutralize ISIS wherever it hides,",
        0,
        "Tom Barrack",
    ),
    (
        "001",
        "Together, these allies share our intensified intent and enhanced capabilities to "
        "eradicate this evil,",
        0,
        "Tom Barrack",
    ),
    (
        "001",
        "underscores the enduring menace of ISIS — not just to Syria, but to the world, "
        "including the territorial integrity and security of the United States homeland.",
        0,
        "Barrack",
    ),
    (
        "001",
        "By confronting and defeating ISIS on Syrian soil, our limited troop presence in "
        "partnership with local forces is actively shielding America from far greater "
        "threats,",
        0,
        "Tom Barrack",
    ),
    (
        "001",
        "enable capable Syrian partners with limited U.S. operational support to hunt down "
        "ISIS networks,",
        0,
        "Tom Barrack",
    ),
    (
        "001",
        "That approach keeps the fight local, limits U.S. exposure, and avoids another "
        "large-scale American war in the Middle East,",
        0,
        "Barrack",
    ),
    # The extractor could not attribute this one: an unknown speaker may join a known one.
    ("001", "sustained pressure from Syrian partners operating with US support,", 0, None),
    (
        "001",
        "will not allow this attack on our beautiful young troops to go uncontested,",
        0,
        "Barrack",
    ),
    ("002", "cowardly terrorist ambush", 0, "Barrack"),
    ("002", "young American heroes.", 0, "Barrack"),
    ("003", "terrorist", 1, "Asaad Al-Shaibani"),
    ("003", "extremist Islamist ideas.", 0, "Noureddine Al-Baba"),
    ("003", "very serious retaliation,", 0, "Donald Trump"),
    ("003", "not fully controlled", 0, "Trump"),
    ("003", "extremely angry and disturbed", 0, "Trump"),
    (
        "003",
        "These problems are not new; what is happening now is that we are uncovering them,",
        0,
        "Ghassan Ibrahim",
    ),
    (
        "003",
        "Daesh, extremism and similar threats are the direct result of that failure,",
        0,
        "Ibrahim",
    ),
    (
        "003",
        "What happened was largely a consequence of the urgency of that rebuilding process,",
        0,
        "Ibrahim",
    ),
    (
        "003",
        "The Americans understand this does not point to a systemic security gap,",
        0,
        "Ibrahim",
    ),
    (
        "003",
        "Incidents like this can occur in any army, especially one that is barely a year old.",
        0,
        "Ibrahim",
    ),
    ("003", "Eliminating Daesh is essential for sustainable development,", 0, "Ibrahim"),
    ("003", "Without security, development cannot be sustained.", 0, "Ibrahim"),
    ("003", "retaliation", 1, "Trump"),
    ("003", "It is built quietly,", 0, "Hamidi"),
    (
        "003",
        "The Palmyra attack is the first in which both American and Syrian victims were "
        "killed, but it will not be the last,",
        0,
        "Ibrahim Hamidi",
    ),
    ("003", "Joint counterterrorism operations will reduce the risks.", 0, "Hamidi"),
    ("004", "a lot of damage done to the people that did it.", 0, "Donald Trump"),
]

# (article, figure as stated, occurrence, status, count, count_text, nationality, category,
#  attributed_to, background)
FIGURES: list[
    tuple[str, str, int, str, int | None, str, str | None, str | None, str | None, bool]
] = [
    ("000", "three Americans", 0, "killed", 3, "three", "US", None, None, False),
    ("000", "two American troops", 0, "killed", 2, "two", "US", "soldiers", None, False),
    ("000", "one civilian", 0, "killed", 1, "one", None, "civilians", None, False),
    ("000", "three other service members", 0, "wounded", 3, "three", None, "soldiers", None, False),
    ("001", "two American troops", 0, "killed", 2, "two", "US", "soldiers", None, False),
    ("001", "one civilian", 0, "killed", 1, "one", None, "civilians", None, False),
    ("001", "Two US troops", 0, "killed", 2, "Two", "US", "soldiers", "US Central Command", False),
    ("001", "a civilian", 0, "killed", 1, "a", None, "civilians", "US Central Command", False),
    (
        "001",
        "three service members",
        0,
        "wounded",
        3,
        "three",
        None,
        "soldiers",
        "US Central Command",
        False,
    ),
    (
        "001",
        "two Syrian security personnel",
        0,
        "wounded",
        2,
        "two",
        "Syrian",
        "security personnel",
        "media reports",
        False,
    ),
    ("002", "three U.S. personnel", 0, "killed", 3, "three", "US", None, None, False),
    ("002", "two American soldiers", 0, "killed", 2, "two", "US", "soldiers", None, False),
    ("002", "a civilian interpreter", 0, "killed", 1, "a", None, "civilians", None, False),
    (
        "002",
        "two soldiers",
        0,
        "killed",
        2,
        "two",
        None,
        "soldiers",
        "Syria's Interior Ministry",
        False,
    ),
    (
        "002",
        "a translator",
        0,
        "killed",
        1,
        "a",
        None,
        "civilians",
        "Syria's Interior Ministry",
        False,
    ),
    ("002", "two others", 0, "wounded", 2, "two", None, None, "Syria's Interior Ministry", False),
    (
        "002",
        "multiple Syrian and U.S. personnel",
        0,
        "wounded",
        None,
        "multiple",
        None,
        None,
        "monitoring groups",
        False,
    ),
    ("002", "the assailant", 0, "killed", 1, "the", None, "attackers", "monitoring groups", False),
    (
        "002",
        "several security personnel",
        0,
        "wounded",
        None,
        "several",
        "Syrian",
        "security personnel",
        "Syrian Observatory for Human Rights",
        False,
    ),
    ("003", "two US soldiers", 0, "killed", 2, "two", "US", "soldiers", "official accounts", False),
    (
        "003",
        "a civilian interpreter",
        0,
        "killed",
        1,
        "a",
        None,
        "civilians",
        "official accounts",
        False,
    ),
    (
        "003",
        "three US troops",
        0,
        "wounded",
        3,
        "three",
        "US",
        "soldiers",
        "official accounts",
        False,
    ),
    (
        "003",
        "two Syrian security personnel",
        0,
        "wounded",
        2,
        "two",
        "Syrian",
        "security personnel",
        "official accounts",
        False,
    ),
    ("003", "the attacker", 0, "killed", 1, "the", None, "attackers", "US Central Command", False),
    ("003", "2,000 men", 0, "killed", 2000, "2,000", None, "soldiers", "Al-Sharaa", True),
    ("004", "two US soldiers", 0, "killed", 2, "two", "US", "soldiers", None, False),
    ("004", "a civilian interpreter", 0, "killed", 1, "a", None, "civilians", None, False),
    (
        "004",
        "Three other Iowa National Guard members",
        0,
        "wounded",
        3,
        "Three",
        None,
        "soldiers",
        None,
        False,
    ),
    (
        "004",
        "Syrian security personnel",
        0,
        "wounded",
        None,
        "",
        "Syrian",
        "security personnel",
        None,
        False,
    ),
]

# (article, position as stated, occurrence, actor)
STANCES: list[tuple[str, str, int, str]] = [
    (
        "000",
        "will not allow this attack on our beautiful young troops to go uncontested",
        0,
        "Barrack",
    ),
    (
        "001",
        "will not allow this attack on our beautiful young troops to go uncontested",
        0,
        "Tom Barrack",
    ),
    (
        "000",
        "launched a security operation against Daesh cells in the Homs province countryside",
        0,
        "Syrian authorities",
    ),
    (
        "001",
        "launched a security operation Sunday against ISIS cells in Homs province countryside",
        0,
        "Syrian authorities",
    ),
    ("002", "strongly condemned the attack", 0, "the ministry"),
    ("003", "condemned the attack", 0, "Asaad Al-Shaibani"),
    ("003", "warned of “very serious retaliation,”", 0, "Donald Trump"),
    ("004", "vowed swift retaliation", 0, "Trump"),
]

QUAKE_1 = """Earthquake in eastern Turkey kills 12, damages hundreds of buildings

ANKARA: A magnitude 6.1 earthquake struck Malatya province in eastern Turkey early on Tuesday, \
killing at least 12 people and injuring 140, the disaster agency AFAD said.
Rescue teams searched through the rubble of collapsed apartment blocks in the town of \
Yesilyurt through the night, and AFAD said 310 buildings had been damaged.
"Our teams reached every village within hours," Interior Minister Ali Yerlikaya told \
reporters in Malatya.
The quake was felt as far away as Diyarbakir and Gaziantep, where residents ran into the \
streets in freezing temperatures.
Schools in the province will stay closed for a week while engineers inspect buildings, the \
governor's office said.
"""

QUAKE_2 = """Death toll from Malatya earthquake rises to 14

The death toll from Tuesday's earthquake in Turkey's Malatya province rose to 14, the \
disaster agency AFAD said on Wednesday, as rescuers finished searching collapsed buildings in \
Yesilyurt.
AFAD said 162 people had been injured and more than 300 buildings damaged by the magnitude \
6.1 quake.
Interior Minister Ali Yerlikaya said tents and heaters had been sent to families whose homes \
were unsafe. "No one will be left in the cold," Yerlikaya said.
Aftershocks continued through the night, keeping residents out of their homes in freezing \
weather.
"""


# --- building input -------------------------------------------------------------------------


def _seeds() -> list[Article]:
    return [
        parse(RawArticle(id=path.name, path=str(path), text=decode(path.read_bytes(), str(path))))
        for path in sorted(FIXTURES.glob("*.txt"))
    ]


def _find(article: Article, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(needle, start + 1)
    return start, start + len(needle)


def _sentence_of(article: Article, start: int) -> Span:
    sentence = next(s for s in article.sentences if s.start <= start < s.end)
    return Span(start=sentence.start, end=sentence.end)


def _lead(article: Article, n: int = 3) -> list[SummarySentence]:
    body = [s for s in article.sentences if not s.heading][:n]
    return [SummarySentence(start=s.start, end=s.end, text=article.slice(s)) for s in body]


def _extraction(article: Article, **items: object) -> ArticleExtraction:
    return ArticleExtraction(article_id=article.id, backend="rules", **items)


def _seed_extractions(articles: list[Article]) -> list[ArticleExtraction]:
    by_prefix = {a.id[:3]: a for a in articles}
    quotes: dict[str, list[Quote]] = {a.id: [] for a in articles}
    figures: dict[str, list[CasualtyFigure]] = {a.id: [] for a in articles}
    stances: dict[str, list[Stance]] = {a.id: [] for a in articles}
    for prefix, text, nth, speaker in QUOTES:
        article = by_prefix[prefix]
        start, end = _find(article, text, nth)
        quotes[article.id].append(
            Quote(
                start=start,
                end=end,
                text=text,
                speaker=speaker,
                fragment=len(text.split()) < 4,
                attribution="explicit" if speaker else "none",
            )
        )
    for prefix, stated, nth, status, count, count_text, nat, cat, source, background in FIGURES:
        article = by_prefix[prefix]
        start, end = _find(article, stated, nth)
        figures[article.id].append(
            CasualtyFigure(
                start=start,
                end=end,
                status=status,
                count=count,
                count_text=count_text,
                group=stated,
                nationality=nat,
                category=cat,
                attributed_to=source,
                evidence=_sentence_of(article, start),
                background=background,
            )
        )
    for prefix, position, nth, actor in STANCES:
        article = by_prefix[prefix]
        start, end = _find(article, position, nth)
        stances[article.id].append(Stance(start=start, end=end, actor=actor, position=position))
    return [
        _extraction(
            a,
            quotes=quotes[a.id],
            casualties=figures[a.id],
            stances=stances[a.id],
            summary=_lead(a),
            usage=Usage(prompt_tokens=10, requests=1),
        )
        for a in articles
    ]


def _morning() -> tuple[list[Article], list[ArticleExtraction]]:
    """The five seed articles, the Gaza story glued to one of them, and two quake reports."""
    seeds = _seeds()
    tail = seeds[3].text[seeds[3].text.index("UN warns of abuse") :]
    others = [
        parse(RawArticle(id="gaza.txt", path="gaza.txt", text=tail)),
        parse(RawArticle(id="quake-1.txt", path="quake-1.txt", text=QUAKE_1)),
        parse(RawArticle(id="quake-2.txt", path="quake-2.txt", text=QUAKE_2)),
    ]
    quake_figures = []
    for article, stated, count in ((others[1], "12 people", 12), (others[2], "14", 14)):
        start, end = _find(article, stated)
        quake_figures.append(
            _extraction(
                article,
                casualties=[
                    CasualtyFigure(
                        start=start,
                        end=end,
                        status="killed",
                        count=count,
                        count_text=str(count),
                        group=stated,
                        evidence=_sentence_of(article, start),
                    )
                ],
                summary=_lead(article),
            )
        )
    extractions = [
        *_seed_extractions(seeds),
        _extraction(others[0], summary=_lead(others[0])),
        *quake_figures,
    ]
    return [
        seeds[0],
        seeds[1],
        others[1],
        seeds[2],
        others[0],
        seeds[3],
        others[2],
        seeds[4],
    ], extractions


@pytest.fixture(scope="module")
def brief() -> Briefing:
    articles, extractions = _morning()
    failure = ArticleFailure(
        id="broken.txt", path="broken.txt", error="broken.txt: the file is empty; remove it"
    )
    return merge(articles, extractions, [failure], backend="rules", model=None)


def _articles_by_id() -> dict[str, Article]:
    articles, _ = _morning()
    return {a.id: a for a in articles}


def _story_of(brief: Briefing, prefix: str) -> str:
    return next(s.id for s in brief.stories if any(a.startswith(prefix) for a in s.article_ids))


# --- grounding and determinism --------------------------------------------------------------


def test_every_citation_is_the_exact_text_of_its_source(brief: Briefing) -> None:
    articles = _articles_by_id()
    cited = brief.citations()
    assert len(cited) > 60
    for c in cited:
        assert articles[c.article_id].text[c.start : c.end] == c.text
    for quote in brief.quotes:
        assert quote.text in [c.text for c in quote.citations]
    for line in brief.summary:
        assert line.text == line.citations[0].text
    for stance in brief.stances:
        assert stance.position == stance.citations[0].text


def test_nothing_is_cited_from_an_excluded_stretch(brief: Briefing) -> None:
    articles = _articles_by_id()
    for c in brief.citations():
        for x in articles[c.article_id].excluded:
            assert not (x.start < c.end and c.start < x.end), (c, x)


def test_same_input_gives_the_same_brief_whatever_the_extraction_order() -> None:
    articles, extractions = _morning()
    first = merge(articles, extractions, [], backend="rules", model=None)
    shuffled = list(extractions)
    random.Random(7).shuffle(shuffled)
    second = merge(articles, shuffled, [], backend="rules", model=None)
    assert first.model_dump_json() == second.model_dump_json()


def test_an_item_whose_offsets_do_not_point_at_its_text_is_dropped_and_counted() -> None:
    article = _seeds()[1]
    start, end = _find(article, "neutralize")
    bad = Quote(
        start=start + 1,
        end=end + 1,
        text="neutralize",
        speaker="Tom Barrack",
        fragment=True,
        attribution="explicit",
    )
    good = Quote(
        start=start,
        end=end,
        text="neutralize",
        speaker="Tom Barrack",
        fragment=True,
        attribution="explicit",
    )
    extraction = _extraction(article, quotes=[bad, good], dropped=2)
    result = merge([article], [extraction], [], backend="rules", model=None)
    assert [len(q.citations) for q in result.quotes] == [1]
    assert result.dropped == 3


# --- stories --------------------------------------------------------------------------------


def test_articles_are_grouped_into_stories_largest_first(brief: Briefing) -> None:
    assert [sorted(s.article_ids) for s in brief.stories] == [
        sorted(p.name for p in FIXTURES.glob("*.txt")),
        ["quake-1.txt", "quake-2.txt"],
        ["gaza.txt"],
    ]
    assert [s.id for s in brief.stories] == ["S1", "S2", "S3"]
    titles = {a.title for a in _seeds() if a.title}
    assert brief.stories[0].title in titles
    assert brief.title == "Morning brief: 3 stories from 8 articles"


def test_every_item_belongs_to_the_story_of_its_citations(brief: Briefing) -> None:
    story_of = {a: s.id for s in brief.stories for a in s.article_ids}
    items: list[BriefQuote | BriefStance | SummaryLine] = [
        *brief.quotes,
        *brief.stances,
        *brief.summary,
    ]
    for item in items:
        assert {story_of[c.article_id] for c in item.citations} == {item.story}
    for row in brief.casualties:
        assert {story_of[f.article_id] for f in row.figures} == {row.story}


def test_a_story_without_titled_articles_is_labelled_by_its_names() -> None:
    text = (
        "Rescuers in Malatya searched collapsed buildings on Tuesday. Officials in Malatya "
        "said AFAD teams reached Yesilyurt. Residents of Yesilyurt slept outside in Malatya."
    )
    articles = [parse(RawArticle(id=f"q{i}", path=f"q{i}", text=text)) for i in range(2)]
    [story] = group_stories(articles)
    assert story.title.startswith("Malatya")


def test_blocking_keeps_candidate_pairs_linear_and_recovers_every_story() -> None:
    rng = random.Random(3)
    syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "pe", "dan", "gri", "zu", "mor"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(3))

    common = [word() for _ in range(600)]
    topics = [[word() for _ in range(30)] for _ in range(40)]
    articles, truth = [], []
    for i in range(400):
        topic = rng.randrange(len(topics))
        sentences = []
        for _ in range(12):
            tokens = [
                rng.choice(topics[topic]) if rng.random() < 0.3 else rng.choice(common)
                for _ in range(15)
            ]
            sentences.append("The " + " ".join(tokens) + ".")
        articles.append(parse(RawArticle(id=f"a{i}", path=f"a{i}", text="\n".join(sentences))))
        truth.append(topic)
    profiles = [profile(a) for a in articles]
    pairs = _candidate_pairs(profiles)
    assert len(pairs) < len(articles) * (len(articles) - 1) / 2 / 4
    stories = group_stories(articles)
    index = {a.id: i for i, a in enumerate(articles)}
    assert len(stories) == len(set(truth))
    for story in stories:
        assert len({truth[index[a.id]] for a in story.articles}) == 1


# --- quotes ---------------------------------------------------------------------------------


def test_quotes_from_several_outlets_become_one_entry(brief: Briefing) -> None:
    s1 = [q for q in brief.quotes if q.story == _story_of(brief, "000")]
    assert len(s1) == 28
    multi = [q for q in s1 if len({c.article_id[:3] for c in q.citations}) > 1]
    assert len(multi) == 6
    assert sum(len(q.citations) for q in s1) == len(QUOTES)
    assert [q.id for q in brief.quotes] == [f"Q{i}" for i in range(1, len(brief.quotes) + 1)]


def test_altered_wordings_join_and_the_unaltered_one_is_shown(brief: Briefing) -> None:
    def starting(prefix: str) -> BriefQuote:
        return next(q for q in brief.quotes if any(c.text.startswith(prefix) for c in q.citations))

    shielding = starting("by confronting")
    assert {c.article_id[:3] for c in shielding.citations} == {"000", "001"}
    assert shielding.text.startswith("By confronting and defeating ISIS")  # no "..." in it
    assert shielding.wordings_differ
    enable = starting("enable[ing]")
    assert enable.text.startswith("enable capable")
    assert enable.wordings_differ
    local = next(q for q in brief.quotes if "keeps the fight local" in q.text)
    assert local.text.startswith("That approach")
    assert len(local.citations) == 2


def test_trailing_punctuation_alone_is_not_a_different_wording(brief: Briefing) -> None:
    troops = next(q for q in brief.quotes if q.text.startswith("will not allow this attack"))
    assert len(troops.citations) == 2
    assert not troops.wordings_differ


def test_speakers_are_resolved_across_spellings(brief: Briefing) -> None:
    speakers = {q.speaker for q in brief.quotes if q.story == "S1"}
    assert "Barrack" not in speakers
    assert "Tom Barrack" in speakers
    pressure = next(q for q in brief.quotes if q.text.startswith("sustained pressure"))
    assert pressure.speaker == "Tom Barrack"
    assert len(pressure.citations) == 2
    eliminating = next(q for q in brief.quotes if q.text.startswith("Eliminating Daesh"))
    assert eliminating.speaker == "Ghassan Ibrahim"
    built = next(q for q in brief.quotes if q.text.startswith("It is built"))
    assert built.speaker == "Ibrahim Hamidi"


def test_fragments_group_only_with_identical_fragments(brief: Briefing) -> None:
    neutralize = [q for q in brief.quotes if q.text == "neutralize"]
    assert len(neutralize) == 1
    assert neutralize[0].fragment
    assert len(neutralize[0].citations) == 4
    retaliation = [q for q in brief.quotes if "retaliation" in q.text]
    assert sorted(q.text for q in retaliation) == ["retaliation", "very serious retaliation,"]


def test_names_resolve_by_spelling_and_by_unambiguous_surname() -> None:
    names = NameResolver(
        [
            "Tom Barrack",
            "Barrack",
            "Ahmed al-Sharaa",
            "Ahmad Al-Sharaa",
            "Al-Sharaa",
            "Asaad Al-Shaibani",
            "Ghassan Ibrahim",
            "Ibrahim Hamidi",
            "Ibrahim",
            "Donald Trump",
            "President Donald Trump",
            "Trump",
        ]
    )
    assert names.resolve("Barrack") == "Tom Barrack"
    assert names.resolve("Ahmad Al-Sharaa") == names.resolve("Al-Sharaa") == "Ahmed al-Sharaa"
    assert names.resolve("Asaad Al-Shaibani") == "Asaad Al-Shaibani"
    assert names.resolve("Ibrahim") == "Ghassan Ibrahim"
    assert names.resolve("Trump") == names.resolve("President Donald Trump")
    assert names.resolve("Someone Else") == "Someone Else"
    assert names.resolve(None) is None


def test_a_surname_shared_by_two_people_stays_as_written() -> None:
    names = NameResolver(["Maria Lopez", "Juan Lopez", "Lopez"])
    assert names.resolve("Lopez") == "Lopez"


def _quote(article: Article, text: str, speaker: str | None) -> Quote:
    start, end = _find(article, text)
    return Quote(
        start=start,
        end=end,
        text=text,
        speaker=speaker,
        fragment=len(text.split()) < 4,
        attribution="explicit",
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            "The Daesh fighters will be hunted down wherever they hide.",
            "The ISIS fighters will be hunted down wherever they hide.",
            True,
        ),
        (
            "enable[ing] our partners to hold the ground they took",
            "enable our partners to hold the ground they took",
            True,
        ),
        (
            "we will rebuild the bridge … and open the road by spring",
            "we will rebuild the bridge and the school and open the road by spring",
            True,
        ),
        (
            "open the road by spring and rebuild the bridge",
            "We promised to open the road by spring and rebuild the bridge this year",
            True,
        ),
        ("we will rebuild the bridge by spring", "we will never negotiate with the gunmen", False),
    ],
)
def test_quote_matching(a: str, b: str, same: bool) -> None:
    article = parse(RawArticle(id="x", path="x", text=f'He said "{a}" and "{b}" later.'))
    first = quote_item(article, 0, _quote(article, a, "X"), "X")
    second = quote_item(article, 0, _quote(article, b, "X"), "X")
    assert (similarity(first, second) >= MATCH) is same


def test_quotes_of_different_speakers_never_merge() -> None:
    text = (
        'Smith said "the talks will resume next week in Geneva". '
        'Jones said "the talks will resume next week in Geneva". '
        'A source said "the talks will resume next week in Geneva".'
    )
    article = parse(RawArticle(id="x", path="x", text=text))
    starts = [i for i in range(len(text)) if text.startswith("the talks", i)]
    quote_text = "the talks will resume next week in Geneva"
    quotes = [
        Quote(
            start=s,
            end=s + len(quote_text),
            text=quote_text,
            speaker=speaker,
            fragment=False,
            attribution="explicit",
        )
        for s, speaker in zip(starts, ["Smith", "Jones", None], strict=True)
    ]
    result = merge(
        [article], [_extraction(article, quotes=quotes)], [], backend="rules", model=None
    )
    assert sorted((q.speaker, len(q.citations)) for q in result.quotes) == [
        ("Jones", 1),
        ("Smith", 2),
    ]


def test_aliases_are_shared_and_short_ones_count_only_in_capitals() -> None:
    from summarizer.extract.rules.lexicon import ALIASES as LEXICON_ALIASES

    assert LEXICON_ALIASES is ALIASES
    assert canonical_tokens("Daesh") == canonical_tokens("IS") == canonical_tokens("ISIS")
    assert canonical_tokens("the Islamic State group") == ["the", "ISIS"]
    assert canonical_tokens("it is") == ["it", "is"]
    assert canonical_tokens("anti-Daesh") == canonical_tokens("anti-ISIS")


# --- casualties -----------------------------------------------------------------------------


def _rows(brief: Briefing, status: str, story: str = "S1") -> list[CasualtyRow]:
    return [r for r in brief.casualties if r.story == story and r.status == status]


def test_killed_soldiers_agree_and_the_total_is_a_row_of_its_own(brief: Briefing) -> None:
    killed = {r.group: r for r in _rows(brief, "killed") if not r.background}
    soldiers = killed["US soldiers"]
    assert soldiers.consensus == 2
    assert not soldiers.discrepancy
    assert len({f.article_id for f in soldiers.figures}) == 5
    assert "two soldiers" in [f.group_as_stated for f in soldiers.figures]
    total = killed["US (total)"]
    assert (total.consensus, total.discrepancy) == (3, False)
    civilians = next(r for g, r in killed.items() if g.startswith("civilians"))
    assert civilians.group == "civilians (interpreter)"
    assert (civilians.consensus, civilians.discrepancy) == (1, False)
    assert killed["attackers"].consensus == 1
    assert not any(r.discrepancy for r in killed.values())


def test_the_wounded_discrepancy_is_shown_with_who_said_what(brief: Briefing) -> None:
    wounded = {r.group: r for r in _rows(brief, "wounded")}
    us = wounded["US soldiers"]
    assert us.discrepancy
    assert us.consensus is None
    assert sorted({f.count for f in us.figures if f.count is not None}) == [2, 3]
    assert us.note == (
        "2 per Syria's Interior Ministry, which does not say who the wounded were ('two others')"
    )
    syrian = wounded["Syrian security personnel"]
    assert (syrian.consensus, syrian.discrepancy) == (2, False)
    assert None in [f.count for f in syrian.figures]


def test_background_figures_are_never_added_to_the_event(brief: Briefing) -> None:
    background = [r for r in brief.casualties if r.background]
    assert [[f.count for f in r.figures] for r in background] == [[2000]]
    event_counts = [f.count for r in brief.casualties if not r.background for f in r.figures]
    assert 2000 not in event_counts
    assert brief.casualties[-1].background or brief.casualties[-1].story != "S1"


def test_tolls_of_different_stories_are_never_compared(brief: Briefing) -> None:
    quake = [r for r in brief.casualties if r.story == _story_of(brief, "quake")]
    assert [sorted(f.count or 0 for f in r.figures) for r in quake] == [[12, 14]]
    assert quake[0].discrepancy
    for row in brief.casualties:
        assert len({f.article_id.startswith("quake") for f in row.figures}) == 1
    assert [r.id for r in brief.casualties] == [
        f"C{i}" for i in range(1, len(brief.casualties) + 1)
    ]


QUAKE_TOLL = """Quake kills 41 in Malatya as rescuers search for missing

A magnitude 6.4 earthquake killed at least 41 people, the disaster agency said on Tuesday.
The Health Ministry put the toll at 38. Among the dead were six children, the governor's office \
said. The disaster agency said 297 people were injured.
"""

SHOOTING = """Police: 5 killed at riverside festival; suspect dead

A gunman killed five people at the festival on Saturday, police said. The gunman was shot dead \
by officers. Police said nine others were wounded.
"""

PROTEST = """Peru police detain 84 as protests turn violent

The ministry said 23 police officers were injured. The police chief later said "Twenty-seven of \
our officers have been injured."
"""


def _figure(
    article: Article,
    stated: str,
    status: str,
    count: int | None,
    count_text: str,
    group: str,
    category: str | None = None,
    source: str | None = None,
    nth: int = 0,
) -> CasualtyFigure:
    start, end = _find(article, stated, nth)
    return CasualtyFigure(
        start=start,
        end=end,
        status=status,
        count=count,
        count_text=count_text,
        group=group,
        category=category,
        attributed_to=source,
        evidence=_sentence_of(article, start),
    )


def _article(text: str, article_id: str = "a.txt") -> Article:
    return parse(RawArticle(id=article_id, path=article_id, text=text))


def _rows_of(article: Article, figures: list[CasualtyFigure]) -> list[CasualtyRow]:
    result = merge(
        [article], [_extraction(article, casualties=figures)], [], backend="rules", model=None
    )
    return result.casualties


def _quake_rows() -> list[CasualtyRow]:
    a = _article(QUAKE_TOLL, "h01_quake_reuters.txt")
    return _rows_of(
        a,
        [
            _figure(a, "41", "killed", 41, "41", ""),
            _figure(
                a,
                "at least 41 people",
                "killed",
                41,
                "at least 41",
                "people",
                None,
                "the disaster agency",
            ),
            _figure(a, "38", "killed", 38, "38", "", None, "The Health Ministry"),
            _figure(
                a,
                "six children",
                "killed",
                6,
                "six",
                "children",
                "civilians",
                "the governor's office",
            ),
            _figure(a, "297 people", "wounded", 297, "297", "people", None, "The disaster agency"),
        ],
    )


def test_a_subset_with_another_head_is_not_the_total_nor_a_discrepancy() -> None:
    killed = {r.group: r for r in _quake_rows() if r.status == "killed"}
    assert set(killed) == {"people", "civilians (children)"}
    people, children = killed["people"], killed["civilians (children)"]
    assert sorted(f.count for f in people.figures if f.count) == [38, 41, 41]
    assert people.discrepancy
    assert [f.count for f in children.figures] == [6]
    assert (children.consensus, children.discrepancy) == (6, False)


def test_victims_and_attackers_are_different_rows() -> None:
    a = _article(SHOOTING)
    rows = _rows_of(
        a,
        [
            _figure(a, "5", "killed", 5, "5", ""),
            _figure(a, "suspect", "killed", 1, "", "suspect"),
            _figure(a, "five people", "killed", 5, "five", "people", None, "police"),
            _figure(a, "The gunman", "killed", 1, "The", "gunman", "attackers"),
            _figure(a, "nine others", "wounded", 9, "nine", "others", None, "Police"),
        ],
    )
    killed = {r.group: r for r in rows if r.status == "killed"}
    assert set(killed) == {"people", "attackers"}
    assert (killed["people"].consensus, killed["people"].discrepancy) == (5, False)
    assert [f.text for f in killed["attackers"].figures] == ["suspect", "The gunman"]
    assert not any(r.discrepancy for r in rows)


def test_a_part_the_extractor_set_apart_keeps_a_subset_row() -> None:
    a = _article(QUAKE_TOLL)
    children = _figure(
        a,
        "six children",
        "killed",
        6,
        "six",
        "children",
        "children",
        "the governor's office",
    )
    rows = _rows_of(
        a,
        [
            _figure(
                a,
                "at least 41 people",
                "killed",
                41,
                "at least 41",
                "people",
                None,
                "the disaster agency",
            ),
            children.model_copy(update={"background": True, "part_of": True}),
        ],
    )
    assert [(r.group, r.background, r.consensus, r.part) for r in rows] == [
        ("people", False, 41, False),
        ("children", True, 6, True),
    ]


REVISED_TOLL = """Quake toll rises in Kars

An earthquake killed at least 41 people, the disaster agency said. Police counted 30 people \
dead on the first night, a figure since revised. Six children were among the dead.
"""


@pytest.mark.parametrize("flagged", [True, False])
def test_a_part_and_a_superseded_figure_are_told_apart_by_their_flags(flagged: bool) -> None:
    """Nothing in the wording marks the part or the earlier count (no cue before "30", no
    category): only ``part_of`` and ``superseded`` do, and without them the rows differ."""
    a = _article(REVISED_TOLL)
    toll = _figure(a, "at least 41 people", "killed", 41, "at least 41", "people", None, "agency")
    earlier = _figure(a, "30 people", "killed", 30, "30", "people", None, "Police")
    children = _figure(a, "Six children", "killed", 6, "Six", "children")
    rows = _rows_of(
        a,
        [
            toll,
            earlier.model_copy(update={"superseded": flagged}),
            children.model_copy(update={"part_of": flagged}),
        ],
    )
    shown = [(r.group, r.kind, r.values, r.part, [f.superseded for f in r.figures]) for r in rows]
    if flagged:
        assert shown == [
            ("people", "update", [41, 30], False, [False, True]),
            ("children", "scope", [], True, [False]),
        ]
    else:
        assert shown == [
            ("people", "dispute", [], False, [False, False]),
            ("children", "consistent", [], False, [False]),
        ]


def test_merge_credits_each_figure_to_the_source_the_brief_shows() -> None:
    # The headline's bare "41" is the agency's: the article attributes that number to it and
    # the repeat says no more of who. "The disaster agency" is the story's one name for it.
    a = _article(QUAKE_TOLL).model_copy(update={"outlet": "Valley Wire"})
    rows = _rows_of(
        a,
        [
            _figure(a, "41", "killed", 41, "41", ""),
            _figure(
                a, "at least 41 people", "killed", 41, "at least 41", "people", None, "the agency"
            ),
            _figure(a, "38", "killed", 38, "38", "", None, "The Health Ministry"),
            _figure(a, "297 people", "wounded", 297, "297", "people", None, None),
        ],
    )
    sources = {(r.status, f.text): f.source for r in rows for f in r.figures}
    assert sources == {
        ("killed", "41"): "the agency",
        ("killed", "at least 41 people"): "the agency",
        ("killed", "38"): "The Health Ministry",
        # in the outlet's own voice, with nothing attributed to repeat: the outlet's
        ("wounded", "297 people"): "Valley Wire",
    }
    assert [f.attributed_to for r in rows for f in r.figures if f.text == "41"] == [None]


def test_a_repeat_that_says_more_than_the_attributed_figure_stays_unattributed() -> None:
    text = (
        "Two soldiers were killed, the ministry said. Two American soldiers died in the "
        "attack, the first such deaths this year.\n"
    )
    a = _article(text)
    [row] = _rows_of(
        a,
        [
            _figure(a, "Two soldiers", "killed", 2, "Two", "soldiers", None, "the ministry"),
            _figure(a, "Two American soldiers", "killed", 2, "Two", "American soldiers"),
        ],
    )
    assert [(f.text, f.source) for f in row.figures] == [
        ("Two soldiers", "the ministry"),
        ("Two American soldiers", None),  # no outlet named: unattributed
    ]


def test_a_group_without_category_joins_the_row_its_head_names() -> None:
    a = _article(PROTEST)
    [row] = _rows_of(
        a,
        [
            _figure(
                a,
                "23 police officers",
                "wounded",
                23,
                "23",
                "police officers",
                "security personnel",
                "the ministry",
            ),
            _figure(
                a,
                "Twenty-seven of our officers",
                "wounded",
                27,
                "Twenty-seven",
                "officers",
                None,
                "the police chief",
            ),
        ],
    )
    assert row.group == "security personnel"
    assert row.discrepancy
    assert row.note is None  # "officers" names a group: nothing to explain


def test_a_specific_group_joins_a_general_one_only_at_the_same_number() -> None:
    a = _article(
        "Two civilians were killed, officials said. One was an interpreter, the army "
        "said. A civilian interpreter was killed, the ministry said."
    )
    rows = _rows_of(
        a,
        [
            _figure(a, "Two civilians", "killed", 2, "Two", "civilians", "civilians", "officials"),
            _figure(a, "an interpreter", "killed", 1, "an", "interpreter", "civilians", "the army"),
            _figure(
                a,
                "A civilian interpreter",
                "killed",
                1,
                "A",
                "civilian interpreter",
                "civilians",
                "the ministry",
            ),
        ],
    )
    assert sorted((r.group, r.consensus) for r in rows) == [
        ("civilians", 2),
        ("civilians (interpreter)", 1),
    ]
    assert not any(r.discrepancy for r in rows)


def test_notes_are_short_and_never_name_files_or_empty_groups() -> None:
    assert all(r.note is None for r in _quake_rows())  # nothing placed without a group
    a = _article(
        "Two soldiers were killed. Three soldiers were wounded. Two others were "
        "wounded, the ministry said.",
        "x01.txt",
    )
    rows = _rows_of(
        a,
        [
            _figure(a, "Two soldiers", "killed", 2, "Two", "soldiers", "soldiers"),
            _figure(a, "Three soldiers", "wounded", 3, "Three", "soldiers", "soldiers"),
            _figure(a, "Two others", "wounded", 2, "Two", "others", None, "the ministry"),
        ],
    )
    wounded = next(r for r in rows if r.status == "wounded")
    assert wounded.note == (
        "2 per the ministry, which does not say who the wounded were ('Two others')"
    )
    for row in rows:
        assert "x01" not in (row.note or "")
        assert "''" not in (row.note or "")


def test_an_unattributed_placed_figure_is_said_to_be_unattributed() -> None:
    a = _article("Three soldiers were wounded. Two others were hurt.", "x02.txt")
    [row] = _rows_of(
        a,
        [
            _figure(a, "Three soldiers", "wounded", 3, "Three", "soldiers", "soldiers"),
            _figure(a, "Two others", "wounded", 2, "Two", "others"),
        ],
    )
    assert row.note == (
        "2 in an unattributed report, which does not say who the wounded were ('Two others')"
    )


def test_the_brief_is_titled_by_its_story_or_by_what_the_morning_holds() -> None:
    quake = parse(RawArticle(id="q.txt", path="q.txt", text=QUAKE_TOLL))
    one = merge([quake], [_extraction(quake)], [], backend="rules", model=None)
    assert one.title == "Morning brief: Quake kills 41 in Malatya as rescuers search for missing"
    articles, extractions = _morning()
    several = merge(articles, extractions, [], backend="rules", model=None)
    assert several.title == "Morning brief: 3 stories from 8 articles"
    assert merge([], [], [], backend="rules", model=None).title == "Morning brief: no articles"


def test_a_story_is_titled_by_a_headline_never_a_dateline_or_caption() -> None:
    body = QUAKE_TOLL.split("\n", 2)[2]
    dated = parse(RawArticle(id="d.txt", path="d.txt", text=body, title="MALATYA, Türkiye"))
    caption_text = "Rescuers search the rubble of a collapsed block in Malatya, Tuesday. (AFP)"
    captioned = parse(
        RawArticle(id="c.txt", path="c.txt", text=f"{caption_text}\n\n{body}", title=caption_text)
    )
    start = captioned.text.index(caption_text)
    captioned = captioned.model_copy(
        update={
            "excluded": [
                Excluded(
                    start=start,
                    end=start + len(caption_text),
                    kind="caption",
                    reason="photo caption",
                )
            ]
        }
    )
    [story] = group_stories([dated, captioned])
    assert story.title != "MALATYA, Türkiye"
    assert story.title != caption_text
    headline = parse(RawArticle(id="h.txt", path="h.txt", text=QUAKE_TOLL))
    [story] = group_stories([dated, captioned, headline])
    assert story.title == "Quake kills 41 in Malatya as rescuers search for missing"


def test_an_item_in_a_stretch_left_out_is_dropped_and_counted() -> None:
    quake = parse(RawArticle(id="q.txt", path="q.txt", text=QUAKE_TOLL))
    start, end = _find(quake, "six children")
    quake = quake.model_copy(
        update={
            "excluded": [
                Excluded(start=start - 20, end=end + 5, kind="caption", reason="photo caption")
            ]
        }
    )
    figure = _figure(quake, "six children", "killed", 6, "six", "children", "civilians")
    result = merge(
        [quake], [_extraction(quake, casualties=[figure])], [], backend="rules", model=None
    )
    assert (result.casualties, result.dropped) == ([], 1)


# --- stances and summary --------------------------------------------------------------------


def test_stances_are_grouped_by_actor_and_near_duplicates_merge(brief: Briefing) -> None:
    by_actor: dict[str, list[int]] = {}
    for stance in brief.stances:
        by_actor.setdefault(stance.actor, []).append(len(stance.citations))
    assert by_actor["Tom Barrack"] == [2]
    assert by_actor["Syrian authorities"] == [2]  # "Daesh cells" = "ISIS cells"
    assert by_actor["Donald Trump"] == [1, 1]
    assert "Trump" not in by_actor
    assert by_actor["Syria's Interior Ministry"] == [1]
    assert by_actor["Asaad Al-Shaibani"] == [1]


def test_each_story_has_a_short_lead_without_repeats(brief: Briefing) -> None:
    for story in brief.stories:
        lines = [line for line in brief.summary if line.story == story.id]
        assert 1 <= len(lines) <= 5
        assert len({line.text for line in lines}) == len(lines)
    assert 3 <= len([line for line in brief.summary if line.story == "S1"]) <= 5


def test_a_sentence_repeated_by_another_outlet_becomes_a_citation() -> None:
    shared = "Flood waters reached the old bridge in Tarnow on Friday, officials said."
    texts = [
        f"{shared} Residents moved to higher ground. The mayor opened two schools as shelters.",
        f"Rain fell all week. {shared} The army sent boats to the riverside villages.",
    ]
    articles = [parse(RawArticle(id=f"f{i}", path=f"f{i}", text=t)) for i, t in enumerate(texts)]
    extractions = [_extraction(a, summary=_lead(a)) for a in articles]
    result = merge(articles, extractions, [], backend="rules", model=None)
    [line] = [line for line in result.summary if line.text == shared]
    assert [c.article_id for c in line.citations] == ["f0", "f1"]


# --- articles and bookkeeping ---------------------------------------------------------------


def test_reports_list_every_article_and_every_failure(brief: Briefing) -> None:
    statuses = [(r.id, r.status) for r in brief.articles]
    assert statuses[-1] == ("broken.txt", "failed")
    assert brief.articles[-1].error == "broken.txt: the file is empty; remove it"
    assert all(status == "ok" for _, status in statuses[:-1])
    assert len(statuses) == 9
    seeds = {a.id: a for a in _seeds()}
    for report in brief.articles[:-1]:
        if report.id in seeds:
            assert report.title == seeds[report.id].title
            assert report.excluded == seeds[report.id].excluded


def test_usage_dropped_and_fallbacks_are_summed() -> None:
    articles = _seeds()[:2]
    extractions = [
        _extraction(
            articles[0],
            dropped=1,
            usage=Usage(prompt_tokens=5, requests=1),
            fallbacks=[Fallback(item="quote 1", reason="speaker not in text")],
        ),
        _extraction(articles[1], dropped=2, usage=Usage(completion_tokens=7, reasks=1)),
    ]
    result = merge(articles, extractions, [], backend="llm", model="m")
    assert (result.dropped, result.fallbacks) == (3, 1)
    assert result.usage == Usage(prompt_tokens=5, completion_tokens=7, requests=1, reasks=1)
    assert (result.backend, result.model) == ("llm", "m")


def test_an_extraction_for_an_unknown_article_is_a_bug_upstream() -> None:
    article = _seeds()[0]
    stray = ArticleExtraction(article_id="elsewhere.txt", backend="rules")
    with pytest.raises(InternalError, match=r"elsewhere\.txt"):
        merge([article], [stray], [], backend="rules", model=None)


def test_an_empty_morning_still_makes_a_brief() -> None:
    failure = ArticleFailure(id="a.txt", path="a.txt", error="a.txt: binary")
    result = merge([], [], [failure], backend="rules", model=None)
    assert result.stories == []
    assert [r.status for r in result.articles] == ["failed"]


# --- fragments folded under the quote they come from ----------------------------------------


def _brief_quote(
    qid: str, text: str, speaker: str | None, article: str, story: str = "s1"
) -> BriefQuote:
    return BriefQuote(
        id=qid,
        story=story,
        text=text,
        speaker=speaker,
        fragment=len(text.split()) < 4,
        citations=[Citation(article_id=article, start=0, end=len(text), text=text)],
    )


def test_a_scare_word_is_folded_under_the_sentence_it_comes_from() -> None:
    whole = _brief_quote(
        "Q1", "We will rebuild the old pier before the summer storms", "Ines Calder", "a"
    )
    other = _brief_quote("Q2", "The pier was never safe for the ferries", "Ines Calder", "b")
    word = _brief_quote("Q3", "rebuild", None, "b")
    phrase = _brief_quote("Q4", "old pier before", "Ines Calder", "c")
    inner = _brief_quote("Q5", "pier", "Ines Calder", "b")
    stranger = _brief_quote("Q6", "rebuild", "Tom Okafor", "a")  # another speaker's word
    partial = _brief_quote("Q7", "rebuil", None, "a")  # not a whole word of it
    elsewhere = _brief_quote("Q8", "rebuild", None, "a", story="s2")  # another story
    folded = {
        q.id: q.within
        for q in fold_fragments([whole, other, word, phrase, inner, stranger, partial, elsewhere])
    }
    assert folded == {
        "Q1": None,
        "Q2": None,
        "Q3": "Q1",
        "Q4": "Q1",
        # In two non-fragments: the one its own article carries is preferred.
        "Q5": "Q2",
        "Q6": None,
        "Q7": None,
        "Q8": None,
    }


def test_the_bundled_brief_folds_the_envoys_scare_word(articles_dir: Path) -> None:
    briefing = Summarizer(backend="rules").brief([articles_dir])
    by_id = {q.id: q for q in briefing.quotes}
    word = next(q for q in briefing.quotes if q.text == "neutralize")
    assert word.within is not None
    assert "neutralize" in by_id[word.within].text and not by_id[word.within].fragment
    assert all(by_id[q.within].within is None for q in briefing.quotes if q.within)


def test_one_union_find_keeps_the_first_added_key_as_root() -> None:
    sets = DisjointSets(["c", "a", "b", "d"])
    assert sets.union("b", "a") == ("a", "b")  # "a" was added before "b"
    assert sets.union("d", "b") == ("a", "d")
    assert sets.union("a", "d") is None  # one set already
    assert sets.find("d") == "a" and "e" not in sets
    assert sets.groups() == {"c": ["c"], "a": ["a", "b", "d"]}
    # The outcome does not depend on the order of the unions.
    other = DisjointSets(["c", "a", "b", "d"])
    other.union("d", "a")
    other.union("b", "d")
    assert other.groups() == sets.groups()
