"""Every speaker cross-checked: the model's answer against the text's own attribution (the
rules) and the other outlets of the story; every doubt shown (``speaker_check``).

- Unit tests, on sentences written for these tests, one per ``speaker_check`` value: agreed,
  model_only, rules_only (strong and weak evidence shown), disputed (a strong frame wins over
  the model; a weak one yields to it; a model answer the text frames nowhere near). And the
  frames that put a speaker a few words off or name no person: "according to the provincial
  government", "a letter from the commissioner, Dame X", a name's initials ("HSO said"), a
  document speaking for itself ("according to the document"), "the statement" someone was
  said to issue sentences before, "court heard" and the judge who presided: the model's answer
  stands there (model_only), and any other name stays disputed (one who only defended the
  statement, a lawyer for a court, an author of "a release" that may be another release).
- Across outlets: one remark given to different people by two articles is one disputed entry,
  whatever the backend; Markdown, HTML and the CLI's stderr line say so.
- Safety over the corpus: the llm path behind the liar (``tests/oracle_server.py`` in liar
  mode: every speaker someone else named in the article, all grounded) shows wrong speakers
  without a "disputed" mark for at most 2.6% of the quotes (the rules backend alone was at
  2.6%; it is at 0.4% since it reads 'said port director X Y');
  behind the oracle, speakers stay right (>= 98%) with few disputes: at most 5% of the
  brief's quotes (7 of 190 now). What is left are right answers the text frames nowhere near
  the quote (the subject of a verb that is no verb of speech: "X opened the debate with
  '...'"; a passive "Y was accused of '...'"; "which it said" after a body the text names only
  by a description), a headline's or another outlet's frame naming someone else (a country for
  its minister, an institute for its scientist): from the text alone they look exactly like
  the liar's "the person the quote is about".
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


def _llm_quote(text: str, speaker: str | None, index: int = 0) -> Quote:
    """The llm backend's quote ``index`` of ``text`` (Q0; -1: the last) when the model
    answers ``speaker`` for it (and nobody for the others)."""
    article = _article(text)
    target = article.quote_spans[index].id
    answers = [
        {"quote": q.id, "speaker": speaker if q.id == target else None} for q in article.quote_spans
    ]
    raw = {"quotes": answers, "casualties": [], "stances": []}
    grounding = Grounding(article)
    judged = judge(raw, grounding)
    assert not judged.rejected, judged.rejected  # every answer here is grounded
    out = _Assembly(article, grounding, RulesBackend().extract(article), None)
    out.add_quotes(judged)
    return next(q for q in out.quotes if q.start == article.quote_spans[index].start)


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


# Frames that name the speaker a few words off, or name no person at all (a document, a
# court): the model's answer stands (model_only) when the text puts it behind that frame.
ACCORDING_TO_BODY = (
    "Clinic opens in Harwick\n\n"
    "According to the provincial government, 9,000 people in Harwick have no family doctor.\n\n"
    'The clinic will see 400 patients a week and will be able to "take on new patients soon."\n'
)
LETTER_FROM = (
    "Harbour dispute settled\n\n"
    "The assurance came in a letter from the harbour commissioner, Dame Ellen Okafor, "
    'accepting that the deal "places no limits on the fishing fleet" of Harwick.\n\n'
    "Tomas Brandt, the fleet's owner, welcomed it.\n"
)
DOCUMENT_ITSELF = (
    "Harbour accord drafted\n\n"
    "Ellen Okafor and Tomas Brandt met on Monday to discuss the draft harbour accord.\n\n"
    '"Ships of every flag will dock free of charge," according to the document.\n'
)
ISSUED_BEFORE = (
    "Harbour plan defended\n\n"
    "Harbour minister Ellen Okafor provided a written statement to the council on Friday.\n"
    "Tomas Brandt, who leads the opposition, defended the statement in part.\n"
    "The council sat until midnight. Several members left early. Others stayed on.\n"
    'The statement again defended the plan, saying "the harbour will pay for itself."\n'
)
COURT_HEARD = (
    "Officer sentenced in Harwick\n\n"
    "Justice Ellen Okafor, who heard the trial, called the officer's conduct careless.\n\n"
    "Defence lawyer Tomas Brandt sought a conditional discharge.\n\n"
    "The officer had served for nine years.\n\n"
    "A colleague slipped on the ice and was badly hurt, court heard. "
    'That colleague still has "trouble walking and reading," and has not returned to work.\n'
)
INITIALS = (
    "Search goes on in Harwick\n\n"
    "The Harwick Sheriff's Office took over the case on Monday. Tomas Brandt was not home.\n\n"
    "At a briefing on Friday, HSO said the car had been found.\n\n"
    "Brandt is not a suspect. Police said on Friday "
    '"we would like to ask him where the van went."\n'
)
PASSIVE = (
    "Harbour row deepens\n\n"
    "Ellen Okafor spoke to fishermen on Monday.\n\n"
    'The harbour board was accused of "selling the quay behind our backs" by the fleet.\n'
)
A_RELEASE = (
    "Clinic opens in Harwick\n\n"
    '"The clinic is open to everyone," said Ellen Okafor in a release on Monday.\n'
    "The building cost $3 million. Its staff were hired in May. They start next week.\n"
    'The clinic will see 400 patients a week, according to a release, and will "grow."\n'
)

SPENT_FRAME = (
    "Flood sirens tested\n\n"
    'Ellen Okafor, the county\'s emergency spokeswoman, said: "We test them every spring."\n'
    'The tests come with radio spots urging drivers to "slow down and stay home".\n'
)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (ACCORDING_TO_BODY, "provincial government"),  # "according to the provincial ..."
        (LETTER_FROM, "Ellen Okafor"),  # the letter's author, in apposition
        (DOCUMENT_ITSELF, "draft harbour accord"),  # the document speaks for itself
        (ISSUED_BEFORE, "Ellen Okafor"),  # "the statement": she provided it, sentences before
        (COURT_HEARD, "Ellen Okafor"),  # "court heard": the judge who presided
        (INITIALS, "Harwick Sheriff's Office"),  # "HSO said" in the paragraph before
    ],
)
def test_model_only_where_the_frame_points_to_the_model_s_speaker(text: str, speaker: str) -> None:
    assert RulesBackend().extract(_article(text)).quotes[-1].speaker is None
    quote = _llm_quote(text, speaker, -1)
    assert (quote.speaker, quote.speaker_check) == (speaker, "model_only")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (LETTER_FROM, "Tomas Brandt"),  # named after the quote, welcoming it
        (DOCUMENT_ITSELF, "Tomas Brandt"),  # the document's words, not his
        (ISSUED_BEFORE, "Tomas Brandt"),  # he defended the statement; he did not issue it
        (COURT_HEARD, "Tomas Brandt"),  # a lawyer is not the court
        (A_RELEASE, "Ellen Okafor"),  # "a release": which one, and whose, is not said
        (PASSIVE, "harbour board"),  # "X was accused of": X did not say it
        (SPENT_FRAME, "Ellen Okafor"),  # her frame is spent on her own quote before
    ],
)
def test_a_name_the_frame_does_not_point_to_stays_disputed(text: str, speaker: str) -> None:
    quote = _llm_quote(text, speaker, -1)
    assert (quote.speaker, quote.speaker_check) == (speaker, "disputed")


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

UNDISPUTED_WRONG_MAX = 0.026  # behind the liar (the rules alone were at 0.026)
ORACLE_CORRECT_MIN = 0.98
ORACLE_WRONG_UNDISPUTED_MAX = 0.01
ORACLE_DISPUTED_MAX = 0.05  # of brief quotes: 7/190 now (15/190 before frames naming no person)


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
def test_behind_the_liar_few_wrong_speakers_are_shown_as_settled() -> None:
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
        f"rules alone: wrong {rules.speakers.wrong_rate:.3f}"
    )
    print(summary)
    # The liar puts nearly every quote in the wrong mouth before any check; it is heard:
    # what it still gets through unmarked is no more than the rules alone get wrong.
    assert lied.requests_per_article <= 1.1, summary
    assert speakers.wrong_undisputed_rate <= UNDISPUTED_WRONG_MAX, summary
    assert speakers.wrong_undisputed_rate <= rules.speakers.wrong_rate, summary
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
    assert speakers.wrong_undisputed_rate <= ORACLE_WRONG_UNDISPUTED_MAX, summary
    assert report.disputed <= ORACLE_DISPUTED_MAX * report.brief_quotes, summary
