"""Who said it: the llm path's ceiling (a perfect model behind it) and its safety.

- Grounding of speakers, actors and reporters, on sentences written for these tests: names
  as the article writes them, unnamed sources described with the affiliation the article
  gives, crowds for chants; invented names and far-off words refused.
- The ceiling: ``tests/oracle_server.py`` answers every labelling request from the corpus's
  gold annotations, as a strong model would. Over every cluster of ``../shared/corpus`` the
  brief's speakers must be the gold's (or the oracle's reading of it) for at least 98% of the
  matched gold quotes, wrong and undisputed for at most 1% (wrong at all for 2%: a strong
  frame in the text wins over the model, and says so), with at most 1.1 requests per
  article: a right answer never costs a re-ask.
  ``summarizer.evaluate`` (which scores against the annotator's label as such) runs on the
  same corpus behind the oracle too.
- Safety: the fault server answering invented names, ids and counts on most requests, over
  corpus clusters: nothing in the brief that its article does not ground.

Real HTTP to real local servers throughout (starlette + uvicorn on 127.0.0.1).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Settings, Summarizer
from summarizer.evaluate import evaluate_clusters, find_clusters, same_person
from summarizer.extract.llm import LLMBackend
from summarizer.extract.llm_schema import (
    MAX_NAME_CHARS,
    ArticleLabels,
    Grounding,
    judge,
    same_speaker,
)
from summarizer.ingest import RawArticle, load, parse
from summarizer.models import Article, ArticleExtraction, Briefing
from summarizer.textutil import fold

from .fault_server import INVENTED_ACTOR, INVENTED_COUNT, INVENTED_NAME, Faults, FaultServer
from .oracle_server import CORPUS, QUALIFIERS, OracleServer, fit, limits, readings
from .test_llm import StandInRules, assert_grounded

pytestmark = pytest.mark.timeout(300)

CORRECT_MIN = 0.98
WRONG_MAX = 0.01  # wrong and shown as settled (not disputed)
# Wrong but disputed: where the text's strong frame ('"...," X said') names someone else, the
# frame wins over the model and the quote says both ("Seoul's Joint Chiefs of Staff" framed,
# "South Korea's ..." the gold).
WRONG_DISPUTED_MAX = 0.02
REQUESTS_PER_ARTICLE_MAX = 1.1
MATCH_MIN = 0.5  # a brief quote matches a gold one when they overlap by half the longer


def _article(text: str) -> Article:
    return parse(RawArticle(id="t", path="t.txt", text=text))


def _speakers(article: Article, answers: dict[int, str]) -> tuple[list[str], list[str]]:
    """The speakers the validators accept and the reasons of those they refuse."""
    raw = {
        "quotes": [{"quote": q, "speaker": s} for q, s in answers.items()],
        "casualties": [],
        "stances": [],
    }
    judged = judge(raw, Grounding(article))
    return [q.speaker or "" for q in judged.quotes], [r.reason for r in judged.rejected]


# --- grounding of who said it -----------------------------------------------------------------

PRESS = """Warehouse workers walk out

Workers at the Leeds depot stopped work on Tuesday.
"We are reviewing the schedule with staff," a spokeswoman for Amazon said in an email.
The Interior Ministry said extra officers were sent to the gates.
"Fair pay now!" the protesters chanted as a caravan of vans arrived.
"We drove all night," said one of the caravan members.
A police source said no arrests were made. "It was calm," the source added.
Officials at U.S. Northern Command said the drill had been planned for months.
"Nothing unusual," Northern Command said.
"""
# S0 heading; Q0 spokeswoman (S2); S3 Interior Ministry; Q1 chant (S4); Q2 caravan members
# (S5); S6 police source; Q3 (S7); S8 Northern Command; Q4 (S9).


@pytest.mark.parametrize(
    ("quote", "speaker"),
    [
        (0, "Amazon spokeswoman"),  # "a spokeswoman for Amazon": affiliation and role
        (0, "an unnamed Amazon spokeswoman"),  # "unnamed" needs no words of the article
        (1, "protesters"),  # a chant's crowd
        (2, "caravan members"),
        (3, "a police source"),
        (3, "police source"),
        (4, "U.S. Northern Command"),  # a body as named
        (4, "u.s. northern command"),  # case
        (4, "Northern Command"),
    ],
)
def test_grounded_speakers_are_accepted(quote: int, speaker: str) -> None:
    accepted, rejected = _speakers(_article(PRESS), {quote: speaker})
    assert rejected == [] and accepted == [speaker]


@pytest.mark.parametrize(
    ("quote", "speaker"),
    [
        (0, "Google spokeswoman"),  # Google is not in the article
        (0, "Zebulon Quuxworth"),  # nobody the article names
        (0, "source"),  # a placeholder, not a description
        (0, "unnamed"),
        (4, "protesters"),  # the article's word, but nowhere near this quote
        (3, "Interior Minister"),  # "Minister" is not written; "Ministry" is
    ],
)
def test_ungrounded_speakers_are_refused(quote: int, speaker: str) -> None:
    accepted, rejected = _speakers(_article(PRESS), {quote: speaker})
    assert accepted == [] and len(rejected) == 1
    assert "is not named in the article" in rejected[0]


def test_bodies_and_descriptions_as_actors_and_reporters() -> None:
    article = _article(PRESS)
    raw = {
        "quotes": [],
        "casualties": [
            {
                "sentence": 6,
                "status": "detained",
                "count": None,
                "group": "people",
                "reported_by": "police source",
            },
        ],
        "stances": [
            {"sentence": 3, "actor": "the Interior Ministry"},
            {"sentence": 8, "actor": "U.S. Northern Command"},
            {"sentence": 8, "actor": "Amazon"},  # named in the article, not near S8
        ],
    }
    judged = judge(raw, Grounding(article))
    assert [c.reported_by for c in judged.casualties] == ["police source"]
    assert [s.actor for s in judged.stances] == ["the Interior Ministry", "U.S. Northern Command"]
    (refused,) = judged.rejected
    assert "'Amazon' is not named in S8 or just before it" in refused.reason


def test_a_possessive_and_a_title_in_a_name() -> None:
    article = _article(
        'Talks resume\n\nSpain’s foreign minister, Josep Borrell, spoke on Monday.\n"We have '
        'a deal," the minister said.\n'
    )
    # as written, with its possessive
    accepted, rejected = _speakers(article, {0: "Spain's foreign minister"})
    assert rejected == [] and accepted == ["Spain's foreign minister"]
    accepted, rejected = _speakers(article, {0: "Foreign Minister Josep Borrell"})
    assert rejected == [] and accepted == ["Foreign Minister Josep Borrell"]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Trump", "Donald Trump", True),
        ("Defence Minister José Ramírez", "Ramirez", True),
        ("senior cabinet source", "senior Israeli cabinet source", True),
        ("Mary Misener", "Peter Brauti", False),
        ("the minister", "José Ramírez", False),
    ],
)
def test_same_speaker(one: str, other: str, same: bool) -> None:
    assert same_speaker(one, other) is same


# --- the oracle -------------------------------------------------------------------------------


def _clusters() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS} (CI clones shared/ beside the repository)")
    return sorted(p for p in CORPUS.iterdir() if (p / "gold.json").is_file())


@pytest.fixture(scope="module")
def oracle() -> Iterator[OracleServer]:
    _clusters()
    server = OracleServer(CORPUS)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_the_oracle_answers_from_the_gold_over_http(oracle: OracleServer) -> None:
    """Its answer is the gold, read as the article writes it, within the request's schema."""
    gold = oracle.reader("israel_haredi_draft_bill_2018-11", "4.txt")
    body = {"tools": [{"function": {"parameters": ArticleLabels.model_json_schema()}}]}
    answer = gold.answer(limits(body))
    speakers = {q["speaker"] for q in answer["quotes"]}
    # "senior Israeli cabinet source (anonymous)": the article never writes "Israeli"
    assert "senior cabinet source" in speakers and "Yair Lapid" in speakers
    assert all(s is None or len(s) <= MAX_NAME_CHARS for s in speakers)
    assert readings("Police / authorities") == ["Police", "authorities"]
    assert readings("unnamed accuser (implied: Spanish government)") == ["unnamed accuser"]
    assert fit("draft political declaration, document text", 30) == "draft political declaration"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(a[1] - a[0], b[1] - b[0], 1)


def _verdict(predicted: str | None, gold: dict[str, Any], expected: str | None) -> str:
    """correct / unattributed / wrong: right when it is the gold speaker or (when given) its
    alternative, as written or read as the oracle reads it (notes in parentheses off, one
    part of "A / B"), by ``same_person`` or the surname rule (``_same``); or the oracle's own
    answer (the gold read as the article writes it, within the schema's bounds)."""
    if predicted is None:
        return "unattributed"
    names = [gold.get("speaker"), gold.get("alt_speaker")]
    forms = [n for n in names if n] + [r for n in names for r in readings(n)]
    if expected is not None:
        forms.append(expected)
    return "correct" if any(_same(predicted, f) for f in forms) else "wrong"


def _same(predicted: str, gold: str) -> bool:
    """``same_person``, or one person's name written longer or shorter: a title or first
    name more or less, the surname the same ("Mary Misener", "Justice Mary Misener")."""
    if same_person(predicted, gold):
        return True
    ours, theirs = fold(predicted).split(), fold(gold).split()
    return (
        predicted[:1].isupper()
        and bool(ours and theirs)
        and ours[-1] == theirs[-1]
        and same_speaker(predicted, gold)
    )


def _score(
    cluster: Path, briefing: Briefing, oracle: OracleServer, tally: Counter[str]
) -> list[str]:
    gold = json.loads((cluster / "gold.json").read_text(encoding="utf-8"))
    names = {a.id: Path(a.path).name for a in briefing.articles}
    cited: dict[str, list[tuple[int, int, str | None, bool]]] = {}
    for quote in briefing.quotes:
        disputed = quote.speaker_check == "disputed"
        for c in quote.citations:
            cited.setdefault(names[c.article_id], []).append(
                (c.start, c.end, quote.speaker, disputed)
            )
    bound = limits({"tools": [{"function": {"parameters": ArticleLabels.model_json_schema()}}]})
    wrong = []
    for name, annotation in gold.items():
        if name.startswith("_"):
            continue
        reader = oracle.reader(cluster.name, name)
        for g in annotation.get("quotes", []):
            span = (g["char_start"], g["char_end"])
            best = max(cited.get(name, []), key=lambda c: _overlap(c[:2], span), default=None)
            if best is None or _overlap(best[:2], span) < MATCH_MIN:
                tally["unmatched"] += 1
                continue
            expected = reader.speaker_for(g)
            verdict = _verdict(best[2], g, fit(expected, bound.name_chars) if expected else None)
            tally[verdict] += 1
            if verdict == "wrong":
                tally["wrong, disputed" if best[3] else "wrong, undisputed"] += 1
                wrong.append(f"{cluster.name}/{name}: {best[2]!r}, gold {g.get('speaker')!r}")
    return wrong


def test_a_perfect_model_makes_the_brief_speakers_right_at_one_request(
    oracle: OracleServer, tmp_path: Path
) -> None:
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    articles = 0
    disagreements = 0
    for cluster in _clusters():
        before = len(oracle.exchanges)
        summ = Summarizer(
            backend="llm",
            base_url=oracle.base_url,
            model="oracle",
            use_cache=True,  # the brief reads back the extractions made below: asked once
            cache_dir=tmp_path / cluster.name,
            concurrency=4,
        )
        try:
            loaded, _, _ = summ.load([cluster / "articles"])
            extractions, failures = summ.extract_all(loaded)
            briefing = summ.brief([cluster / "articles"])
        finally:
            summ.close()
        assert failures == [] and {a.status for a in briefing.articles} == {"ok"}
        articles += len(loaded)
        assert briefing.usage.requests == len(oracle.exchanges) - before
        for extraction in extractions:
            disagreements += _check_disagreements(extraction)
        wrong += _score(cluster, briefing, oracle, tally)
    assert oracle.unknown == 0
    matched = tally["correct"] + tally["unattributed"] + tally["wrong"]
    correct, wrong_rate = tally["correct"] / matched, tally["wrong, undisputed"] / matched
    requests = len(oracle.exchanges) / articles
    summary = (
        f"speakers over {matched} matched gold quotes: correct {correct:.3f}, unattributed "
        f"{tally['unattributed'] / matched:.3f}, wrong {tally['wrong'] / matched:.3f} "
        f"(undisputed {wrong_rate:.3f}); {requests:.2f} "
        f"requests per article; {disagreements} model/rules disagreements; wrong: {wrong}"
    )
    print(summary)
    assert correct >= CORRECT_MIN, summary
    assert wrong_rate <= WRONG_MAX, summary  # a wrong speaker shown as settled
    assert tally["wrong"] / matched <= WRONG_DISPUTED_MAX, summary
    assert requests <= REQUESTS_PER_ARTICLE_MAX, summary
    assert disagreements > 0, "the corpus has speakers the rules read otherwise"


def test_the_corpus_eval_behind_the_oracle(oracle: OracleServer) -> None:
    """``summarizer.evaluate`` on the corpus, the oracle behind the llm path.

    It scores against the annotator's label itself, which sometimes holds words the article
    never writes ("senior Israeli cabinet source" where the text says "The senior cabinet
    source said"): the oracle answers as written, and the fair name rule calls it wrong. Three
    such quotes and the headline quote below are its whole gap to the bounds above.

    Casualty facts: a perfect model finds every one with its status (named people counted by
    their names), never fewer than the rules backend alone, and no context figure (another
    event, a hypothetical) reaches a toll.
    """
    before = len(oracle.exchanges)
    summ = Summarizer(
        backend="llm", base_url=oracle.base_url, model="oracle", use_cache=False, concurrency=4
    )
    try:
        report = evaluate_clusters(find_clusters(_clusters()), summ)
    finally:
        summ.close()
    speakers = report.speakers
    summary = (
        f"eval: {speakers.matched} matched, correct {speakers.correct_rate:.3f}, unattributed "
        f"{speakers.unattributed_rate:.3f}, wrong {speakers.wrong_rate:.3f}; "
        f"{report.requests_per_article} requests per article"
    )
    print(summary)
    assert report.requests_per_article <= REQUESTS_PER_ARTICLE_MAX, summary
    assert len(oracle.exchanges) - before == report.requests, summary
    assert speakers.correct_rate >= 0.97 and speakers.wrong_rate <= 0.02, summary
    figures = (
        f"figures {report.figures_found}/{report.figures_total} (wrong status "
        f"{report.figures_wrong_status}), context in toll "
        f"{report.background_in_toll}/{report.context_total}"
    )
    assert report.figures_found == report.figures_total > 0, figures
    assert report.figures_wrong_status == 0, figures
    assert report.context_total > 0 and report.background_in_toll == 0, figures


def _check_disagreements(extraction: ArticleExtraction) -> int:
    """A quote's ``rules_speaker`` is kept only where the rules read another speaker."""
    found = 0
    for quote in extraction.quotes:
        if quote.rules_speaker is not None:
            assert quote.speaker is not None
            assert not same_speaker(quote.speaker, quote.rules_speaker)
            found += 1
    return found


# --- safety: invented answers -----------------------------------------------------------------

ADVERSARY_CLUSTERS = ("gibraltar_brexit_2018-11", "zimbabwe_chombo_custody_2017-11")
INVENTED = Faults(rate=0.8, kinds=("invented",), seed=3)


def test_invented_answers_are_refused_item_by_item() -> None:
    """The llm path alone (the stand-in rules behind it): every item it keeps is grounded."""
    clusters = [c for c in _clusters() if c.name in ADVERSARY_CLUSTERS]
    with FaultServer(INVENTED) as server:
        settings = Settings(
            backend="llm", base_url=server.base_url, model="fake", max_reasks=1, use_cache=False
        )
        backend = LLMBackend(settings, rules=StandInRules())
        for cluster in clusters:
            for item in load([cluster / "articles"]):
                assert isinstance(item, Article)
                assert_grounded(backend.extract(item), item)
        assert any(e.fault == "invented" for e in server.exchanges)


def test_invented_answers_never_reach_the_brief(tmp_path: Path) -> None:
    """The brief, with the real rules filling in: no label its cited article does not write."""
    clusters = [c for c in _clusters() if c.name in ADVERSARY_CLUSTERS]
    with FaultServer(INVENTED) as server:
        for cluster in clusters:
            summ = Summarizer(
                backend="llm",
                base_url=server.base_url,
                model="fake",
                use_cache=False,
                max_reasks=1,
                concurrency=4,
            )
            try:
                loaded, _, _ = summ.load([cluster / "articles"])
                briefing = summ.brief([cluster / "articles"])
            finally:
                summ.close()
            assert {a.status for a in briefing.articles} == {"ok"}
            _assert_brief_grounded(briefing, {a.id: a for a in loaded})
        assert any(e.fault == "invented" for e in server.exchanges)


def _assert_brief_grounded(briefing: Briefing, by_id: dict[str, Article]) -> None:
    """Every speaker, actor and figure source of the brief is written in an article it cites."""
    everything = briefing.model_dump_json()
    for invented in (INVENTED_NAME, INVENTED_ACTOR, str(INVENTED_COUNT), f"{INVENTED_COUNT:,}"):
        assert invented not in everything
    for quote in briefing.quotes:
        for citation in quote.citations:
            assert citation.text == by_id[citation.article_id].slice(citation)
        if quote.speaker is not None:
            assert any(_written(by_id[c.article_id], quote.speaker) for c in quote.citations), (
                quote.speaker
            )
    for stance in briefing.stances:
        assert any(_written(by_id[c.article_id], stance.actor) for c in stance.citations), (
            stance.actor
        )
    for row in briefing.casualties:
        for figure in row.figures:
            assert figure.text == by_id[figure.article_id].slice(figure)
            if figure.attributed_to is not None:
                assert _written(by_id[figure.article_id], figure.attributed_to), (
                    figure.attributed_to
                )


def _written(article: Article, label: str) -> bool:
    """Whether every word of ``label`` is a word of the article (case, accents, a possessive
    aside; "unnamed"/"anonymous" may be added): nothing invented."""
    words = set(re.findall(r"\w+", re.sub(r"'s\b", "", fold(article.text))))
    said = re.findall(r"\w+", re.sub(r"'s\b", "", fold(label)))
    return all(w in words or w in QUALIFIERS for w in said)
