"""Every speaker cross-checked: the model's answer against the text's own attribution (the
rules) and the other outlets of the story; every doubt shown (``speaker_check``).

- Unit tests, on sentences written for these tests, one per ``speaker_check`` value: agreed,
  model_only, rules_only (strong and weak evidence shown), disputed (a strong frame wins over
  the model; a weak one yields to it; a model answer the text frames nowhere near).
- Across outlets: one remark given to different people by two articles is one disputed entry,
  whatever the backend; Markdown, HTML and the CLI's stderr line say so.
- Safety over the corpus: the llm path behind the liar (``tests/oracle_server.py`` in liar
  mode: every speaker someone else named in the article, all grounded) shows wrong speakers
  without a "disputed" mark no more often than the rules backend alone does (and <= 5%);
  behind the oracle, speakers stay right (>= 98%) with few disputes: at most 10% of the
  brief's quotes (15 of 190 now, against a goal of 5%). What is left are right answers the
  text frames nowhere near the quote (a document's words, a court's ruling in passing): from
  the text alone they look exactly like the liar's "the person the quote is about".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Summarizer, brief
from summarizer.evaluate import EvalReport, evaluate_clusters, find_clusters
from summarizer.extract.llm import _Assembly
from summarizer.extract.llm_schema import Grounding, judge
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.models import Article, BriefQuote, Quote
from summarizer.render import render

from .oracle_server import OracleServer

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

# Invented copy: a frame next to the quote (strong), a pronoun across sentences (weak), a
# document's words with nobody framed (none).
STRONG = (
    "Bridge plan approved\n\n"
    "The council met on Tuesday in Harwick.\n"
    '"We will rebuild the bridge by spring," said Mayor Ellen Okafor.\n'
    "Tomas Brandt, the county engineer, inspected the pillars.\n"
)
WEAK = (
    "Bridge plan approved\n\n"
    "Mayor Ellen Okafor visited the site on Monday with Tomas Brandt.\n"
    'She looked tired. "The work starts now and it will not stop," she said.\n'
)
NONE = (
    "Bridge plan approved\n\n"
    "Ellen Okafor opened the meeting in Harwick.\n"
    "Later that evening Tomas Brandt said the repairs were long overdue.\n"
    'The plan promised "a safer crossing for every family in the valley".\n'
)


def _article(text: str, name: str = "t") -> Article:
    return parse(RawArticle(id=name, path=f"{name}.txt", text=text))


def _llm_quote(text: str, speaker: str | None) -> Quote:
    """The llm backend's quote Q0 of ``text`` when the model answers ``speaker``."""
    article = _article(text)
    raw = {"quotes": [{"quote": 0, "speaker": speaker}], "casualties": [], "stances": []}
    grounding = Grounding(article)
    judged = judge(raw, grounding)
    assert not judged.rejected, judged.rejected  # every answer here is grounded
    out = _Assembly(article, grounding, RulesBackend().extract(article), None)
    out.add_quotes(judged)
    (quote,) = out.quotes
    return quote


def test_agreed_when_the_model_names_the_framed_speaker() -> None:
    quote = _llm_quote(STRONG, "Ellen Okafor")
    assert (quote.speaker, quote.speaker_check, quote.rules_evidence) == (
        "Ellen Okafor",
        "agreed",
        "strong",
    )
    assert quote.rules_speaker is None and quote.model_speaker is None


def test_a_strong_frame_wins_over_the_model_and_the_quote_is_disputed() -> None:
    quote = _llm_quote(STRONG, "Tomas Brandt")  # named in the article: grounded, but wrong
    assert quote.speaker == "Ellen Okafor"
    assert quote.speaker_check == "disputed"
    assert quote.model_speaker == "Tomas Brandt" and quote.rules_evidence == "strong"


def test_a_weak_frame_yields_to_the_model_and_the_quote_is_disputed() -> None:
    quote = _llm_quote(WEAK, "Tomas Brandt")
    assert quote.speaker == "Tomas Brandt"
    assert quote.speaker_check == "disputed"
    assert quote.rules_speaker == "Ellen Okafor" and quote.rules_evidence == "weak"


def test_model_only_where_the_text_frames_the_model_s_speaker_next_to_the_quote() -> None:
    quote = _llm_quote(NONE, "Tomas Brandt")  # "Tomas Brandt said ..." the sentence before
    assert (quote.speaker, quote.speaker_check) == ("Tomas Brandt", "model_only")
    assert quote.rules_speaker is None


def test_a_model_answer_the_text_never_frames_near_the_quote_is_disputed() -> None:
    quote = _llm_quote(NONE, "Ellen Okafor")  # named, but two sentences away, saying nothing
    assert (quote.speaker, quote.speaker_check) == ("Ellen Okafor", "disputed")


def test_rules_only_when_the_model_names_nobody() -> None:
    quote = _llm_quote(WEAK, None)
    assert (quote.speaker, quote.speaker_check, quote.rules_evidence) == (
        "Ellen Okafor",
        "rules_only",
        "weak",
    )


def _quote_lines(markdown: str) -> list[str]:
    """The lines of "Who said what"."""
    return [line for line in markdown.splitlines() if line.startswith("  - “")]


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_rules_backend_alone_shows_its_evidence(tmp_path: Path) -> None:
    """rules_only with the evidence: strong for a frame, weak for a pronoun (marked in
    Markdown), never a guess where there is none."""
    folder = _write(tmp_path / "in", {"1.txt": STRONG, "2.txt": WEAK, "3.txt": NONE})
    briefing = brief([folder], backend="rules", use_cache=False)
    checks = {q.text: (q.speaker, q.speaker_check, q.evidence) for q in briefing.quotes}
    assert checks["We will rebuild the bridge by spring,"] == (
        "Ellen Okafor",
        "rules_only",
        "strong",
    )
    assert checks["The work starts now and it will not stop,"] == (
        "Ellen Okafor",
        "rules_only",
        "weak",
    )
    assert checks["a safer crossing for every family in the valley"] == (None, None, None)
    lines = _quote_lines(render(briefing, "md"))
    weak_line = next(line for line in lines if "The work starts now" in line)
    assert "attribution from context" in weak_line
    strong_line = next(line for line in lines if "We will rebuild" in line)
    assert "attribution" not in strong_line


REMARK = "the new crossing will carry traffic again before the first snow of the winter"
OUTLET_A = (
    "Harwick bridge to reopen before winter\n\n"
    "Repairs on the Harwick river bridge are ahead of schedule, the county said on Friday.\n"
    f'Mayor Ellen Okafor said "{REMARK}" and thanked the crews.\n'
    "The bridge was closed in March after floods damaged two pillars.\n"
)
OUTLET_B = (
    "Harwick bridge repairs ahead of schedule, to reopen before winter\n\n"
    "Repairs on the Harwick river bridge are ahead of schedule, county officials said Friday.\n"
    f'County engineer Tomas Brandt said "{REMARK}" and praised the crews.\n'
    "The bridge has been closed since March, when floods damaged two of its pillars.\n"
)


def _disputed(briefing_quotes: list[BriefQuote]) -> BriefQuote:
    (quote,) = [q for q in briefing_quotes if REMARK in q.text]
    return quote


def test_one_remark_given_to_different_people_by_two_outlets_is_disputed(tmp_path: Path) -> None:
    folder = _write(tmp_path / "in", {"a.txt": OUTLET_A, "b.txt": OUTLET_B})
    briefing = brief([folder], backend="rules", use_cache=False)
    assert len(briefing.stories) == 1
    quote = _disputed(briefing.quotes)
    assert len(quote.citations) == 2 and quote.speaker_check == "disputed"
    by_speaker = {c.speaker: c for c in quote.candidates}
    assert set(by_speaker) == {"Ellen Okafor", "Tomas Brandt"}
    assert all(c.by == "rules" and c.evidence == "strong" for c in quote.candidates)
    assert [len(c.article_ids) for c in by_speaker.values()] == [1, 1]

    line = next(line for line in _quote_lines(render(briefing, "md")) if REMARK in line)
    assert "attribution unclear:" in line
    assert "Ellen Okafor (" in line and " or " in line and "Tomas Brandt (" in line
    html = render(briefing, "html")
    assert "Attribution unclear" in html
    assert html.count('class="candidate rules strong"') == 2

    run = subprocess.run(
        [sys.executable, "-m", "summarizer", "brief", str(folder), "--backend", "rules"],
        capture_output=True,
        text=True,
        check=False,
        env={"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "PATH": ""},
    )
    assert run.returncode == 0, run.stderr
    assert "1 attribution to check" in run.stderr


def test_the_same_speaker_in_two_outlets_is_not_disputed(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "in",
        {"a.txt": OUTLET_A, "b.txt": OUTLET_B.replace("County engineer Tomas Brandt", "Okafor")},
    )
    briefing = brief([folder], backend="rules", use_cache=False)
    quote = _disputed(briefing.quotes)
    assert quote.speaker == "Ellen Okafor" and quote.speaker_check == "rules_only"


# --- over the corpus ----------------------------------------------------------------------------

UNDISPUTED_WRONG_MAX = 0.05
ORACLE_CORRECT_MIN = 0.98
ORACLE_DISPUTED_MAX = 0.10  # of brief quotes: 15/190 now; the goal is 5% (see the module doc)


def _clusters() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS} (CI clones shared/ beside the repository)")
    return sorted(p for p in CORPUS.iterdir() if (p / "gold.json").is_file())


def _eval(**options: object) -> EvalReport:
    summ = Summarizer(use_cache=False, concurrency=4, **options)  # type: ignore[arg-type]
    try:
        return evaluate_clusters(find_clusters(_clusters()), summ)
    finally:
        summ.close()


@pytest.mark.timeout(600)
def test_behind_the_liar_no_more_wrong_speakers_are_shown_as_settled_than_by_the_rules() -> None:
    clusters = _clusters()
    assert clusters
    rules = _eval(backend="rules")
    liar = OracleServer(CORPUS, liar=True)
    liar.start()
    try:
        lied = _eval(backend="llm", base_url=liar.base_url, model="liar")
    finally:
        liar.stop()
    assert liar.unknown == 0
    speakers = lied.speakers
    summary = (
        f"liar: wrong {speakers.wrong_rate:.3f}, wrong undisputed "
        f"{speakers.wrong_undisputed_rate:.3f}, disputed {lied.disputed}/{lied.brief_quotes}; "
        f"rules alone: wrong undisputed {rules.speakers.wrong_undisputed_rate:.3f}"
    )
    print(summary)
    # The liar puts nearly every quote in the wrong mouth before any check; it is heard.
    assert lied.requests_per_article <= 1.1, summary
    assert speakers.wrong_undisputed_rate <= rules.speakers.wrong_undisputed_rate, summary
    assert speakers.wrong_undisputed_rate <= UNDISPUTED_WRONG_MAX, summary
    assert lied.disputed >= 0.8 * lied.brief_quotes, summary


@pytest.mark.timeout(600)
def test_behind_the_oracle_speakers_stay_right_with_few_disputes() -> None:
    _clusters()
    with OracleServer(CORPUS) as oracle:
        report = _eval(backend="llm", base_url=oracle.base_url, model="oracle")
    speakers = report.speakers
    summary = (
        f"oracle: correct {speakers.correct_rate:.3f}, wrong undisputed "
        f"{speakers.wrong_undisputed_rate:.3f}, disputed {report.disputed}/{report.brief_quotes}"
    )
    print(summary)
    assert speakers.correct_rate >= ORACLE_CORRECT_MIN, summary
    assert speakers.wrong_undisputed_rate <= 0.01, summary
    assert report.disputed <= ORACLE_DISPUTED_MAX * report.brief_quotes, summary
