"""``summarizer eval``: clusters, gold validation, every metric able to pass and to fail.

The articles and annotations here are invented for these tests. The scoring tests build the
extraction and the brief by hand, so each metric is checked apart from what the rules backend
finds today; the CLI tests run the real pipeline on small invented clusters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.evaluate import (
    Cluster,
    ClusterScore,
    GoldArticle,
    GoldEntity,
    GoldQuote,
    MergedGold,
    evaluate,
    evaluate_clusters,
    find_clusters,
    load_gold,
    load_merged_gold,
    same_speaker,
    score,
    speaker_verdict,
)
from summarizer.models import (
    Article,
    ArticleExtraction,
    Briefing,
    BriefQuote,
    CasualtyFigure,
    CasualtyRow,
    Citation,
    Figure,
    Quote,
    Span,
    Story,
)
from summarizer.pipeline import Summarizer

from .fault_server import Faults, FaultServer

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
runner = CliRunner()

# --- an invented article, annotated ------------------------------------------------------------

TEXT = (
    "Harbour bridge reopens after flood\n\n"
    '"We will have the bridge open by Friday," said Mayor Jane Holloway on Tuesday. '
    "The flood killed two people and injured five, police said. "
    'Holloway called the repairs "overdue". '
    "Floods in the region have killed 40 people since 2010.\n\n"
    "Subscribe to our newsletter for more."
)


def at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


LONG = "We will have the bridge open by Friday,"
SHORT = "overdue"


def gold_article(**changes: Any) -> dict[str, Any]:
    article: dict[str, Any] = {
        "quotes": [
            {
                "text": LONG,
                "char_start": at(LONG)[0],
                "char_end": at(LONG)[1],
                "speaker": "Jane Holloway",
                "fragment": False,
            },
            {
                "text": SHORT,
                "char_start": at(SHORT)[0],
                "char_end": at(SHORT)[1],
                "speaker": "Jane Holloway",
                "fragment": True,
            },
        ],
        "casualties": [
            {"status": "killed", "count": 2},
            {"status": "wounded", "count": 5},
            {"status": "killed", "count": 40, "context": True},
        ],
        "entities": [
            {"canonical": "Jane Holloway", "type": "person", "variants": ["Mayor Jane Holloway"]}
        ],
        "off_topic_spans": [
            {"text_start": "Subscribe to our newsletter", "char_starts": [TEXT.index("Subscribe")]}
        ],
    }
    article.update(changes)
    return article


ARTICLE = Article(id="a.txt", path="a.txt", text=TEXT, sha256="0" * 64)


def quote(fragment: str, speaker: str | None) -> Quote:
    start, end = at(fragment)
    return Quote(
        start=start,
        end=end,
        text=fragment,
        speaker=speaker,
        fragment=len(fragment.split()) < 4,
        attribution="explicit" if speaker else "none",
    )


def figure(fragment: str, status: str, count: int, background: bool = False) -> CasualtyFigure:
    start, end = at(fragment)
    sentence = Span(start=start, end=end)
    return CasualtyFigure.model_validate(
        {
            "start": start,
            "end": end,
            "status": status,
            "count": count,
            "count_text": fragment,
            "group": "people",
            "evidence": sentence.model_dump(),
            "background": background,
        }
    )


def cite(fragment: str) -> Citation:
    start, end = at(fragment)
    return Citation(article_id="a.txt", start=start, end=end, text=fragment)


def row(status: str, counts: list[int], discrepancy: bool, background: bool = False) -> CasualtyRow:
    figures = [
        Figure(
            **cite("two people").model_dump(),
            count=n,
            count_text=str(n),
            group_as_stated="people",
            attributed_to=None,
        )
        for n in counts
    ]
    return CasualtyRow(
        id=f"c{status}{counts}",
        story="s1",
        status=status,  # type: ignore[arg-type]
        group="people",
        figures=figures,
        consensus=None if discrepancy else counts[0],
        discrepancy=discrepancy,
        background=background,
    )


def briefing(
    quotes: list[Quote],
    rows: list[CasualtyRow] | None = None,
    stories: int = 1,
    extra_citations: list[Citation] | None = None,
) -> Briefing:
    brief_quotes = [
        BriefQuote(
            id=f"q{i}",
            story="s1",
            text=q.text,
            speaker=q.speaker,
            fragment=q.fragment,
            citations=[cite(q.text)],
        )
        for i, q in enumerate(quotes)
    ]
    brief_quotes += [
        BriefQuote(id="x", story="s1", text=c.text, speaker=None, fragment=True, citations=[c])
        for c in extra_citations or []
    ]
    return Briefing(
        title="t",
        backend="rules",
        articles=[],
        stories=[Story(id=f"s{i}", title="t", article_ids=["a.txt"]) for i in range(stories)],
        summary=[],
        quotes=brief_quotes,
        casualties=rows or [],
        stances=[],
    )


def run_score(
    quotes: list[Quote],
    figures: list[CasualtyFigure] | None = None,
    rows: list[CasualtyRow] | None = None,
    merged: dict[str, Any] | None = None,
    **brief_options: Any,
) -> ClusterScore:
    extraction = ArticleExtraction(
        article_id="a.txt", backend="rules", quotes=quotes, casualties=figures or []
    )
    return score(
        {"a.txt": GoldArticle.model_validate(gold_article())},
        [ARTICLE],
        [extraction],
        briefing(quotes, rows, **brief_options),
        MergedGold.model_validate(merged) if merged is not None else None,
    )


# --- speakers ----------------------------------------------------------------------------------

PEOPLE = [
    GoldEntity(canonical="Jane Holloway", type="person", variants=["Mayor Holloway", "she"]),
    GoldEntity(canonical="Harbour Authority", type="organisation", variants=["the port board"]),
]


@pytest.mark.parametrize(
    ("predicted", "gold", "entities", "expected"),
    [
        ("JANE HOLLOWAY", "Jane Holloway", [], True),  # folded
        ("Mayor Holloway", "Jane Holloway", PEOPLE, True),  # an entity variant
        ("she", "Jane Holloway", PEOPLE, False),  # a pronoun variant never counts
        ("Holloway", "Jane Holloway", PEOPLE, True),  # surname, unambiguous
        (
            "Holloway",
            "Jane Holloway",
            [*PEOPLE, GoldEntity(canonical="Tom Holloway", type="person")],
            False,  # two Holloways in the article
        ),
        ("Deputy Mayor Jane Holloway", "Jane Holloway", [], True),  # a title before the name
        ("spokesman for Jane Holloway", "Jane Holloway", [], False),  # someone else
        ("Jane Hollaway", "Jane Holloway", [], True),  # spelling variant (fuzzy >= 90)
        ("Jane Smith", "Jane Holloway", [], False),
        ("the port board", "Harbour Authority", PEOPLE, True),  # a body by its variant
        ("Authority", "Harbour Authority", PEOPLE, False),  # no surname rule for bodies
        ("Jane Holloway", "Jane Holloway (mayor)", [], True),  # gold's parenthetical
        ("Harbour Authority", "Jane Holloway / Harbour Authority", [], True),
        (  # the entity's canonical name carries the annotator's parenthetical too
            "the senior port source",
            "veteran port source (unnamed)",
            [
                GoldEntity(
                    canonical="veteran port source (unnamed)",
                    type="person",
                    variants=["a senior port source", "the senior port source"],
                )
            ],
            True,
        ),
        (None, "Jane Holloway", [], False),
    ],
)
def test_speaker_matching_is_fair_but_not_lax(
    predicted: str | None, gold: str, entities: list[GoldEntity], expected: bool
) -> None:
    assert same_speaker(predicted, gold, entities) is expected


def test_an_ambiguous_quote_accepts_either_speaker() -> None:
    ambiguous = GoldQuote(
        char_start=0,
        char_end=5,
        speaker="Jane Holloway",
        speaker_ambiguous=True,
        alt_speaker="Harbour Authority",
    )
    certain = ambiguous.model_copy(update={"speaker_ambiguous": False})
    assert speaker_verdict("Harbour Authority", ambiguous, []) == "correct"
    assert speaker_verdict("Harbour Authority", certain, []) == "wrong"
    assert speaker_verdict(None, certain, []) == "unattributed"


# --- each metric passes and fails ------------------------------------------------------------


def test_quotes_recall_precision_and_speakers() -> None:
    good = run_score([quote(LONG, "Jane Holloway"), quote(SHORT, "Jane Holloway")])
    assert (good.quote_recall, good.quote_precision) == (1.0, 1.0)
    assert (good.speakers.correct, good.speakers.unattributed, good.speakers.wrong) == (2, 0, 0)
    assert good.speakers_non_fragment.matched == 1

    # one quote missed, one invented, one speaker wrong
    bad = run_score([quote(LONG, "Tom Baker"), quote("The flood killed", None)])
    assert (bad.matched_quotes, bad.gold_quotes, bad.quote_recall) == (1, 2, 0.5)
    assert (bad.precise_quotes, bad.predicted_quotes, bad.quote_precision) == (1, 2, 0.5)
    assert (bad.speakers.correct, bad.speakers.wrong, bad.speakers.wrong_rate) == (0, 1, 1.0)
    assert bad.speakers_non_fragment.wrong == 1
    [error] = bad.articles[0].speaker_errors  # what to read: the quote, shown vs gold
    assert (error.verdict, error.shown, error.gold) == ("wrong", "Tom Baker", "Jane Holloway")
    assert ARTICLE.text[error.start : error.end] == error.text

    silent = run_score([quote(LONG, None), quote(SHORT, "Holloway")])
    assert (silent.speakers.correct, silent.speakers.unattributed) == (1, 1)
    assert (silent.speakers_non_fragment.unattributed, silent.speakers_non_fragment.correct) == (
        1,
        0,
    )


def test_the_speaker_scored_is_the_one_the_brief_shows() -> None:
    extraction_quote = quote(LONG, None)
    shown = quote(LONG, "Jane Holloway")  # merge gave it the speaker another outlet named
    result = score(
        {"a.txt": GoldArticle.model_validate(gold_article())},
        [ARTICLE],
        [ArticleExtraction(article_id="a.txt", backend="rules", quotes=[extraction_quote])],
        briefing([shown]),
    )
    assert result.speakers.correct == 1


def test_disputed_counts_speaker_check() -> None:
    plain = run_score([quote(LONG, "Jane Holloway")])
    assert plain.disputed == 0
    extraction = ArticleExtraction(
        article_id="a.txt", backend="rules", quotes=[quote(LONG, "Jane Holloway")]
    )
    base = briefing([quote(LONG, "Jane Holloway")])
    checked = [
        q.model_copy(update={"speaker_check": check})
        for q, check in zip(base.quotes * 2, ("disputed", "agreed"), strict=True)
    ]
    result = score(
        {"a.txt": GoldArticle.model_validate(gold_article())},
        [ARTICLE],
        [extraction],
        base.model_copy(update={"quotes": checked}),
    )
    assert result.disputed == 1


def test_casualty_facts_found_wrong_status_and_context_in_toll() -> None:
    good = run_score(
        [],
        figures=[figure("two people", "killed", 2), figure("five", "wounded", 5)],
        rows=[row("killed", [2], False), row("killed", [40], False, background=True)],
    )
    assert (good.figures_found, good.figures_total, good.figures_wrong_status) == (2, 2, 0)
    assert (good.background_in_toll, good.context_total) == (0, 1)

    bad = run_score(
        [],
        figures=[figure("two people", "wounded", 2)],
        rows=[row("killed", [2, 40], True)],  # the 40 since 2010 shown as part of the toll
    )
    assert (bad.figures_found, bad.figures_wrong_status) == (0, 1)
    assert bad.background_in_toll == 1


def test_a_context_figure_is_in_the_toll_only_when_its_own_sentence_is_cited() -> None:
    """Two people of one article counted one each: the toll's count is not the context's."""
    history = "Floods in the region have killed 40 people since 2010."
    context = {"status": "killed", "count": 2, "context": True, "evidence": history}
    gold = {"a.txt": GoldArticle.model_validate(gold_article(casualties=[context]))}
    extraction = ArticleExtraction(article_id="a.txt", backend="rules", quotes=[], casualties=[])

    def in_toll(rows: list[CasualtyRow]) -> int:
        return score(gold, [ARTICLE], [extraction], briefing([], rows)).background_in_toll

    assert in_toll([row("killed", [2], False)]) == 0  # "two people": another sentence
    cited_there = row("killed", [2], False)
    cited_there.figures[0] = cited_there.figures[0].model_copy(
        update=dict(zip(("start", "end"), at("40 people"), strict=True))
    )
    assert in_toll([cited_there]) == 1
    # without an evidence sentence any figure of that count from the article counts
    del context["evidence"]
    gold = {"a.txt": GoldArticle.model_validate(gold_article(casualties=[context]))}
    assert in_toll([row("killed", [2], False)]) == 1


DISPUTE = {
    "casualty_figures": [
        {
            "figure": "people killed",
            "status": "killed",
            "kind": "DISCREPANCY",
            "reported_by": [{"article": "a.txt", "value": 2}, {"article": "b.txt", "value": 3}],
        },
        {
            "figure": "people missing",
            "status": "missing",
            "kind": "UPDATE",
            "value": 4,
            "latest": 1,
            "reported_by": [{"article": "a.txt", "value": 4}],
        },
    ],
    "expected_stories": 2,
}
OLD_DISPUTE = {  # the older seeds format: a status label and `conflicting`
    "casualty_figures": [
        {
            "figure": "people killed",
            "value": 2,
            "status": "DISCREPANCY",
            "reported_by": [{"article": "a.txt"}],
            "conflicting": [{"article": "b.txt", "value": 3}],
        }
    ]
}


def test_discrepancies_updates_and_stories() -> None:
    good = run_score(
        [],
        rows=[row("killed", [2, 3], True), row("missing", [4, 1], False)],
        merged=DISPUTE,
        stories=2,
    )
    assert (good.discrepancies_flagged, good.discrepancies_expected) == (1, 1)
    assert (good.updates_as_disputes, good.updates_total) == (0, 1)
    assert (good.stories_made, good.stories_expected) == (2, 2)

    bad = run_score(
        [], rows=[row("killed", [2], False), row("missing", [4, 1], True)], merged=DISPUTE
    )
    assert (bad.discrepancies_flagged, bad.updates_as_disputes) == (0, 1)
    assert (bad.stories_made, bad.stories_expected) == (1, 2)

    old = run_score([], rows=[row("killed", [2, 3], True)], merged=OLD_DISPUTE)
    assert (old.discrepancies_flagged, old.discrepancies_expected, old.stories_expected) == (
        1,
        1,
        1,
    )


def test_off_topic_leaks() -> None:
    assert run_score([]).off_topic_leaks == 0
    leaked = run_score([], extra_citations=[cite("Subscribe to our newsletter")])
    assert leaked.off_topic_leaks == 1


# --- gold of the wrong shape -------------------------------------------------------------------


def write_gold(folder: Path, article: Any, name: str = "gold.json") -> Path:
    path = folder / name
    path.write_text(json.dumps({"_schema": {}, "1.txt": article}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"char_start": "12"}, "1.txt: quotes[1].char_start is not an int"),
        ({"char_start": None}, "1.txt: quotes[1].char_start is not an int"),
        ({"char_end": -1}, "1.txt: quotes[1].char_end is not a number >= 0"),
    ],
)
def test_wrong_shaped_gold_names_the_file_and_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    article = gold_article()
    article["quotes"][1].update(change)
    path = write_gold(tmp_path, article)
    with pytest.raises(InputError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


def test_missing_fields_and_wrong_types_elsewhere(tmp_path: Path) -> None:
    article = gold_article()
    del article["quotes"][0]["char_end"]
    with pytest.raises(InputError, match=r"quotes\[0\]\.char_end missing"):
        load_gold(write_gold(tmp_path, article))
    with pytest.raises(InputError, match=r"casualties\[0\]\.status"):
        load_gold(write_gold(tmp_path, gold_article(casualties=[{"status": "dead", "count": 1}])))
    with pytest.raises(InputError, match=r"1\.txt: quotes is not a list"):
        load_gold(write_gold(tmp_path, gold_article(quotes={"a": 1})))
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(InputError, match="JSON object keyed by article file name"):
        load_gold(tmp_path / "list.json")
    (tmp_path / "merged.json").write_text(json.dumps({"expected_stories": "three"}))
    with pytest.raises(InputError, match=r"merged\.json: expected_stories is not an int"):
        load_merged_gold(tmp_path / "merged.json")


def make_cluster(folder: Path, article: dict[str, Any], text: str = TEXT) -> Path:
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "1.txt").write_text(text, encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps({"1.txt": article}), encoding="utf-8")
    return folder


def test_the_cli_rejects_wrong_gold_in_one_line_before_briefing(tmp_path: Path) -> None:
    article = gold_article()
    article["quotes"][1]["char_start"] = "twelve"
    make_cluster(tmp_path / "corpus" / "one", article)
    result = runner.invoke(app, ["eval", str(tmp_path / "corpus")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gold.json: 1.txt: quotes[1].char_start is not an int" in lines[0]
    assert "Traceback" not in result.output


def test_offsets_outside_the_article_are_a_gold_error(tmp_path: Path) -> None:
    article = gold_article()
    article["quotes"][0]["char_end"] = len(TEXT) + 10
    make_cluster(tmp_path / "c", article)
    result = runner.invoke(app, ["eval", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert "quotes[0] spans" in result.stderr and "outside the article" in result.stderr


# --- clusters and the command line -------------------------------------------------------------

OTHER_TEXT = (
    "Ferry service suspended\n\n"
    '"No boat leaves until the storm has passed," said harbour master Pieter Okonkwo. '
    "Two sailors were injured on Monday, the coast guard said.\n"
)


def other_gold() -> dict[str, Any]:
    said = "No boat leaves until the storm has passed,"
    start = OTHER_TEXT.index(said)
    return {
        "quotes": [
            {
                "char_start": start,
                "char_end": start + len(said),
                "speaker": "Pieter Okonkwo",
                "fragment": False,
            }
        ],
        "casualties": [{"status": "wounded", "count": 2}],
        "entities": [],
        "off_topic_spans": [],
    }


def two_clusters(root: Path) -> Path:
    make_cluster(root / "bridge", gold_article())
    make_cluster(root / "ferry", other_gold(), OTHER_TEXT)
    (root / "ferry" / "merged_gold.json").write_text(json.dumps({"expected_stories": 1}))
    (root / "notes").mkdir()  # not a cluster: ignored inside a folder of clusters
    return root


def test_the_cli_scores_a_folder_of_clusters(tmp_path: Path) -> None:
    root = two_clusters(tmp_path / "corpus")
    result = runner.invoke(app, ["eval", str(root), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "bridge" in result.stdout and "ferry" in result.stdout and "total" in result.stdout
    assert "2 articles in 2 clusters" in result.stdout

    result = runner.invoke(app, ["eval", str(root / "ferry"), str(root / "bridge"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["name"] for c in report["clusters"]] == ["ferry", "bridge"]
    assert report["article_count"] == 2 and report["gold_quotes"] == 3
    assert report["matched_quotes"] == sum(c["matched_quotes"] for c in report["clusters"])
    assert report["matched_quotes"] >= 2  # quotation spans come from ingest: found
    speakers = report["speakers"]
    assert speakers["correct"] + speakers["unattributed"] + speakers["wrong"] == speakers["matched"]
    assert report["stories_expected"] == 2 and report["backend"] == "rules"
    assert report["requests"] == 0 and report["requests_per_article"] == 0.0

    listed = runner.invoke(app, ["eval", str(root), "--errors"])
    assert listed.exit_code == 0, listed.output
    errors = [e for c in report["clusters"] for a in c["articles"] for e in a["speaker_errors"]]
    assert len(errors) == speakers["unattributed"] + speakers["wrong"]
    for e in errors:
        assert f"[{e['start']}:{e['end']}] {e['verdict']}" in listed.stdout


def test_a_cluster_descriptor_and_its_missing_target(tmp_path: Path) -> None:
    make_cluster(tmp_path / "data", gold_article())
    described = tmp_path / "suites" / "bridge"
    described.mkdir(parents=True)
    (described / "cluster.json").write_text(
        json.dumps({"articles": "../../data/articles", "gold": "../../data/gold.json"})
    )
    clusters = find_clusters([tmp_path / "suites"])
    assert [(c.name, c.gold.name) for c in clusters] == [("bridge", "gold.json")]
    assert clusters[0].merged_gold is None

    (described / "cluster.json").write_text(
        json.dumps({"articles": "../../data/articles", "gold": "../../../shared/missing.json"})
    )
    result = runner.invoke(app, ["eval", str(tmp_path / "suites")])
    assert result.exit_code == 1
    assert "cluster.json: gold '../../../shared/missing.json' not found" in result.stderr
    assert "../shared" in result.stderr


def test_a_folder_without_clusters_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["eval", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "neither a cluster folder" in result.stderr
    result = runner.invoke(app, ["eval", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "not a folder" in result.stderr


def test_the_old_form_with_gold_still_works(tmp_path: Path) -> None:
    folder = make_cluster(tmp_path / "c", gold_article())
    result = runner.invoke(
        app, ["eval", "--gold", str(folder / "gold.json"), str(folder / "articles"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["gold_quotes"] == 2
    library = evaluate(
        folder / "gold.json", [folder / "articles"], Summarizer(backend="rules", use_cache=False)
    )
    assert library.gold_quotes == 2 and library.articles[0].article == "1.txt"


def test_the_repository_sets_are_clusters() -> None:
    names = [c.name for c in find_clusters([REPO / "tests" / "heldout", REPO / "tests" / "blind"])]
    assert names == ["heldout", "blind"]
    if (REPO.parent / "shared" / "gold" / "seeds_gold.json").is_file():
        suites = find_clusters([REPO / "tests" / "corpora"])
        assert [c.name for c in suites] == ["blind", "heldout", "seeds"]
        assert all(c.merged_gold is not None for c in suites)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_the_shared_corpus_scores_every_cluster(tmp_path: Path) -> None:
    clusters = find_clusters([CORPUS])
    on_disk = sorted(CORPUS.glob("*/articles/*.txt"))
    report = evaluate_clusters(clusters, Summarizer(backend="rules", use_cache=False))
    assert len(report.clusters) == 12
    # The corpus README says 40 files; its table (and the disk) hold 41.
    assert report.article_count == len(on_disk) == 41
    assert not report.missing_articles
    assert report.gold_quotes == 233 and report.stories_expected == 14
    assert report.speakers.matched == report.matched_quotes


def test_cluster_scores_add_up(tmp_path: Path) -> None:
    root = two_clusters(tmp_path / "corpus")
    clusters = find_clusters([root])
    assert isinstance(clusters[0], Cluster)
    report = evaluate_clusters(clusters, Summarizer(backend="rules", use_cache=False))
    for field in ("gold_quotes", "figures_total", "context_total", "stories_made"):
        assert getattr(report, field) == sum(getattr(c, field) for c in report.clusters)
    assert report.figures_total == 3 and report.context_total == 1


def test_llm_backend_flags_pass_through_and_usage_is_counted_once(tmp_path: Path) -> None:
    root = two_clusters(tmp_path / "corpus")
    with FaultServer(Faults()) as server:
        result = runner.invoke(
            app,
            [
                "eval",
                str(root),
                "--backend",
                "llm",
                "--base-url",
                server.base_url,
                "--model",
                "fake",
                "--no-cache",
                "--json",
            ],
        )
        requests = len(server.exchanges)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["backend"], report["model"]) == ("llm", "fake")
    # without a cache the brief is served from the evaluation's own extractions: no request
    # is made twice, and every request the server saw is counted
    assert report["requests"] == requests >= 2
    assert report["requests_per_article"] == round(requests / 2, 2)
    assert report["prompt_tokens"] > 0 and report["completion_tokens"] > 0
