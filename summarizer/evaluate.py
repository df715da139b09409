"""Score briefs against hand annotations, one cluster of articles at a time.

**Clusters.** A cluster is a folder holding ``articles/``, ``gold.json`` and (optionally)
``merged_gold.json`` — the format of ``../shared/corpus/*/`` — or a folder holding a
``cluster.json`` that names them, paths relative to that folder::

    {"articles": "../../../fixtures/articles",
     "gold": "../../../../shared/gold/seeds_gold.json",
     "merged_gold": "../../../../shared/gold/seeds_merged_gold.json"}

A folder of such folders is every cluster in it (``summarizer eval ../shared/corpus``). Each
cluster is briefed on its own (its own articles only) and scored; the totals are sums of the
clusters' counts, so every rate in them is micro-averaged. The old form, one gold file and the
articles to brief (``summarizer eval --gold GOLD.json PATH...``), is one cluster.

**Gold.** ``gold.json`` is an object keyed by article file name (keys starting with ``_``
are notes); each article has ``quotes[]`` (``char_start``, ``char_end``, ``speaker``,
``speaker_ambiguous``, ``alt_speaker``, ``fragment``), ``casualties[]`` (``status``, ``count``,
``context`` or the older ``background_not_this_event``, ``evidence``), ``entities[]``
(``canonical``, ``variants``) and ``off_topic_spans[]`` (``char_starts``, ``char_end``,
``text_start``).
``merged_gold.json`` has ``casualty_figures[]`` (``kind``: consistent | DISCREPANCY | UPDATE |
DIFFERENT_SCOPE, ``status``, ``value``, ``latest``, ``reported_by[].value``; the older seeds
format gives ``conflicting[]`` instead of a kind) and ``expected_stories`` (default 1). Gold
is validated (pydantic, extra fields allowed) before anything is briefed: a file of the wrong
shape is an ``InputError`` naming the file and the field (``quotes[3].char_start``).

**Metrics.**

- Quotes: a predicted quote matches a gold one when their spans overlap by at least half of
  the longer. Recall is matched gold quotes over gold quotes; precision is predicted quotes
  matching some gold quote over predicted quotes (both on each article's extraction).
- Speakers, over matched gold quotes, as the brief shows them (the speaker of the brief quote
  citing that span; the extraction's when no brief quote cites it): **correct**,
  **unattributed** (no speaker) or **wrong**; again for non-fragment gold quotes only.
  A predicted name is the gold speaker (or, when ``speaker_ambiguous``, the ``alt_speaker``)
  when, after folding case, accents and punctuation (a trailing parenthetical of the gold name,
  "Ada Lind (the mayor's lawyer)", and "A / B" alternatives are read as names too):

  1. the two are equal; or
  2. the predicted name is the canonical name or one of the ``variants`` of the article's
     entity whose canonical name or variants equal the gold name (pronoun variants such as
     "he" never count); or
  3. the predicted name is the whole gold name (two words or more) after a title or
     descriptor ("Deputy Mayor Jane Holloway", "UK-based Harbour Trust for
     Fishermen"), the title holding no linking word ("spokesman for Jane Smith" is someone
     else); or
  4. the predicted name is the gold person's final tokens ("Smith" for "Jane Smith"), it is
     capitalised, and no other entity of that article has a name ending with those tokens;
     or
  5. their ``rapidfuzz`` ratio is at least 90: spelling variants ("Jane Holoway" for "Jane
     Holloway", "Tomasz Brandt" for "Tomas Brandt") pass, "John Smyth" for "Jon Smith"
     (84) fails; two real people one letter apart would pass too ("Peter
     Harper" for "Peter Harder", 92), a cost accepted for spelling variants.

  Names are compared without a leading "the"/"a"; the gold entity of rule 2 is the one with
  a name equal to the gold speaker or within the same fuzzy ratio ("Kesslandic government"
  finds the entity "Kessland (government)", whose variants include its capital).

- Disputed: brief quotes whose ``speaker_check`` is "disputed", out of ``brief_quotes``;
  **wrong undisputed**: matched gold quotes whose speaker is wrong and shown as settled (the
  brief quote citing the span is not disputed): what an editor would take on trust.
- Casualty facts (gold casualties that are not context), on each article's extraction:
  **found** when a figure has the same status and count; **wrong status** when none does but
  a figure has the same count and another status (lenient: one predicted figure may answer
  several gold facts of the same status and count; a vague gold count, null, is found by a
  figure of that status without a count). **Context in toll**: context figures (gold
  ``context: true`` or ``background_not_this_event``) whose count appears, cited from that
  article, in a brief row that is not marked background; when the gold gives its
  ``evidence`` sentence and it is found in the article, only a figure cited from within that
  sentence counts (another person's count of one in the same article, "Ana Ruiz detained"
  beside the context "Piet Lund detained years ago", is not that context figure).
- **Discrepancies flagged**: merged DISCREPANCY figures (older format: a figure with an integer
  ``conflicting`` value) for which the brief has a row of that status with ``discrepancy``
  true holding every number the sources give (when they all give the same number and dispute
  something else, that number in a row marked as a discrepancy). **Updates as disputes**
  (lower is better): UPDATE figures two of whose numbers (values, ``latest``) stand together
  in one row marked as a discrepancy.
- Stories made by the brief against ``expected_stories``; **leaks**: brief citations touching
  an annotated off-topic span; requests per article and tokens (llm backend).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field
from rapidfuzz import fuzz

from .cache import ExtractionCache
from .errors import InputError
from .models import Article, ArticleExtraction, Briefing, Citation, Quote, add_counts
from .pipeline import PathLike, Summarizer
from .textutil import fold

FUZZY_MIN = 90
GOLD_NAME = "gold.json"
MERGED_NAME = "merged_gold.json"
DESCRIPTOR_NAME = "cluster.json"
STATUSES = ("killed", "wounded", "missing", "detained")
# Words that make "X of NAME" someone else than NAME ("a spokesman for Jane Smith").
_LINKS = frozenset("of for to from with by and at on behalf s".split())
_PRONOUNS = frozenset("he she they it him her them his its their i we you who this that".split())

# --- the gold format --------------------------------------------------------------------------


class _Gold(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)  # "12" is not an offset


class GoldQuote(_Gold):
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    text: str | None = None
    speaker: str | None = None
    speaker_ambiguous: bool | None = False
    alt_speaker: str | None = None
    fragment: bool | None = None

    @property
    def is_fragment(self) -> bool:
        if self.fragment is not None:
            return self.fragment
        return len((self.text or "").split()) < 4


class GoldCasualty(_Gold):
    status: Literal["killed", "wounded", "missing", "detained"]
    count: int | None = None
    evidence: str | None = None
    context: bool | None = False
    background_not_this_event: bool | None = False

    @property
    def is_context(self) -> bool:
        return bool(self.context or self.background_not_this_event)


class GoldEntity(_Gold):
    canonical: str
    type: str | None = None
    variants: list[str] = []


class GoldOffTopic(_Gold):
    char_starts: list[int]
    char_end: int | None = None
    text_start: str = ""


class GoldArticle(_Gold):
    quotes: list[GoldQuote] = []
    casualties: list[GoldCasualty] = []
    entities: list[GoldEntity] = []
    off_topic_spans: list[GoldOffTopic] = []


class GoldReport(_Gold):
    article: str | None = None
    value: int | None = None


class MergedFigure(_Gold):
    figure: str = ""
    status: str | None = None
    kind: str | None = None
    value: int | None = None
    latest: int | None = None
    reported_by: list[GoldReport] = []
    conflicting: list[GoldReport] = []

    @property
    def casualty_status(self) -> str | None:
        if self.status in STATUSES:
            return self.status
        return _status_of(self.figure)

    @property
    def resolved_kind(self) -> str:
        if self.kind:
            return self.kind.upper()
        if any(c.value is not None for c in self.conflicting):
            return "DISCREPANCY"
        return "CONSISTENT"

    @property
    def numbers(self) -> set[int]:
        reports = [*self.reported_by, *self.conflicting]
        found = {r.value for r in reports if r.value is not None}
        return found | {v for v in (self.value, self.latest) if v is not None}


class MergedGold(_Gold):
    casualty_figures: list[MergedFigure] = []
    expected_stories: int = Field(default=1, ge=1)


def _status_of(label: str) -> str | None:
    label = label.casefold()
    for status, words in (
        ("killed", ("killed", "dead", "deaths", "died")),
        ("wounded", ("wounded", "injured", "hurt")),
        ("missing", ("missing",)),
        ("detained", ("detained", "arrested", "custody")),
    ):
        if any(w in label for w in words):
            return status
    return None


def _where(loc: Iterable[int | str]) -> str:
    """``("1.txt", "quotes", 3, "char_start")`` as ``1.txt: quotes[3].char_start``."""
    parts = list(loc)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def _problem(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return "missing"
    expected = {
        "int_type": "an int",
        "int_parsing": "an int",
        "int_from_float": "an int",
        "string_type": "a string",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "list_type": "a list",
        "model_type": "an object",
        "dict_type": "an object",
        "model_attributes_type": "an object",
        "greater_than_equal": "a number >= 0",
    }.get(kind)
    got = json.dumps(error.get("input"), ensure_ascii=False, default=str)
    got = got if len(got) <= 40 else got[:37] + "..."
    if expected:
        return f"is not {expected} (got {got})"
    return f"{error.get('msg', 'is invalid')} (got {got})"


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: cannot read {what} ({error})", path=str(path)) from None


def load_gold(path: Path) -> dict[str, GoldArticle]:
    """The per-article gold of ``path``; InputError naming the file and field if malformed."""
    data = _read_json(path, "gold annotations")
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: gold must be a JSON object keyed by article file name", path=str(path)
        )
    gold: dict[str, GoldArticle] = {}
    for name, annotation in data.items():
        if name.startswith("_"):
            continue
        try:
            gold[name] = GoldArticle.model_validate(annotation)
        except ValidationError as error:
            first = error.errors()[0]
            raise InputError(
                f"{path}: {name}: {_where(first['loc'])} {_problem(dict(first))}",
                path=str(path),
            ) from None
    return gold


def load_merged_gold(path: Path) -> MergedGold:
    data = _read_json(path, "merged gold annotations")
    try:
        return MergedGold.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(
            f"{path}: {_where(first['loc'])} {_problem(dict(first))}", path=str(path)
        ) from None


def _check_offsets(path: Path, name: str, annotation: GoldArticle, text: str) -> None:
    """Gold offsets must index the article: else the gold is for another text."""
    spans = [(f"quotes[{i}]", q.char_start, q.char_end) for i, q in enumerate(annotation.quotes)]
    spans += [
        (f"off_topic_spans[{i}]", start, s.char_end if s.char_end is not None else start)
        for i, s in enumerate(annotation.off_topic_spans)
        for start in s.char_starts
    ]
    for where, start, end in spans:
        if end < start or end > len(text):
            raise InputError(
                f"{path}: {name}: {where} spans {start}-{end}, outside the article's "
                f"{len(text)} characters; is this the gold of another text?",
                path=str(path),
            )


# --- the report -------------------------------------------------------------------------------


def _rate(part: int, whole: int, empty: float = 1.0) -> float:
    return round(part / whole, 4) if whole else empty


class SpeakerError(BaseModel):
    """A matched gold quote whose speaker the brief got wrong or left out: what to read."""

    start: int
    end: int
    text: str
    gold: str | None
    alt: str | None = None
    shown: str | None
    verdict: Literal["unattributed", "wrong"]
    disputed: bool = False


class ArticleScore(BaseModel):
    article: str
    gold_quotes: int = 0
    predicted_quotes: int = 0
    precise_quotes: int = 0
    matched_quotes: int = 0
    speakers_correct: int = 0
    speakers_unattributed: int = 0
    speakers_wrong: int = 0
    gold_figures: int = 0
    figures_found: int = 0
    figures_wrong_status: int = 0
    leaks: int = 0
    speaker_errors: list[SpeakerError] = []


class SpeakerScore(BaseModel):
    """Speakers of matched gold quotes: correct + unattributed + wrong = matched."""

    correct: int = 0
    unattributed: int = 0
    wrong: int = 0
    wrong_undisputed: int = 0  # of ``wrong``: shown without a "disputed" mark

    @computed_field  # type: ignore[prop-decorator]
    @property
    def wrong_undisputed_rate(self) -> float:
        return _rate(self.wrong_undisputed, self.matched, 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def matched(self) -> int:
        return self.correct + self.unattributed + self.wrong

    @computed_field  # type: ignore[prop-decorator]
    @property
    def correct_rate(self) -> float:
        return _rate(self.correct, self.matched)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unattributed_rate(self) -> float:
        return _rate(self.unattributed, self.matched, 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def wrong_rate(self) -> float:
        return _rate(self.wrong, self.matched, 0.0)

    def add(self, verdict: str) -> None:
        setattr(self, verdict, getattr(self, verdict) + 1)

    def __add__(self, other: SpeakerScore) -> SpeakerScore:
        return add_counts(self, other)


class Score(BaseModel):
    """Counts for one cluster or a total; every rate is computed from the counts."""

    article_count: int = 0
    articles_failed: int = 0
    missing_articles: list[str] = []
    gold_quotes: int = 0
    predicted_quotes: int = 0
    matched_quotes: int = 0
    precise_quotes: int = 0
    speakers: SpeakerScore = Field(default_factory=SpeakerScore)
    speakers_non_fragment: SpeakerScore = Field(default_factory=SpeakerScore)
    disputed: int = 0
    brief_quotes: int = 0
    figures_total: int = 0
    figures_found: int = 0
    figures_wrong_status: int = 0
    context_total: int = 0
    background_in_toll: int = 0
    discrepancies_expected: int = 0
    discrepancies_flagged: int = 0
    updates_total: int = 0
    updates_as_disputes: int = 0
    stories_made: int = 0
    stories_expected: int = 0
    off_topic_leaks: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasks: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quote_recall(self) -> float:
        return _rate(self.matched_quotes, self.gold_quotes)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quote_precision(self) -> float:
        return _rate(self.precise_quotes, self.predicted_quotes)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def speaker_accuracy(self) -> float:
        return self.speakers.correct_rate

    @computed_field  # type: ignore[prop-decorator]
    @property
    def requests_per_article(self) -> float:
        return round(self.requests / self.article_count, 2) if self.article_count else 0.0


class ClusterScore(Score):
    name: str
    path: str
    articles: list[ArticleScore] = []


class EvalReport(Score):
    """Every cluster's score and their total (micro-averaged: sums of counts)."""

    backend: str | None = None
    model: str | None = None
    clusters: list[ClusterScore] = []

    @property
    def articles(self) -> list[ArticleScore]:
        return [a for c in self.clusters for a in c.articles]


def total(clusters: list[ClusterScore]) -> EvalReport:
    """The micro-averaged total of ``clusters`` (their counts summed)."""
    sums: dict[str, Any] = {}
    for name, info in Score.model_fields.items():
        values = [getattr(c, name) for c in clusters]
        if info.annotation is int:
            sums[name] = sum(values)
    return EvalReport(
        **sums,
        missing_articles=[f"{c.name}/{m}" for c in clusters for m in c.missing_articles],
        speakers=sum((c.speakers for c in clusters), SpeakerScore()),
        speakers_non_fragment=sum((c.speakers_non_fragment for c in clusters), SpeakerScore()),
        clusters=clusters,
    )


# --- speakers ---------------------------------------------------------------------------------


def _norm(name: str) -> str:
    """A name folded (case, accents, punctuation) and without a leading article."""
    folded = fold(name)
    for article in ("the ", "a ", "an "):
        if folded.startswith(article):
            return folded[len(article) :]
    return folded


def _name_forms(name: str | None) -> list[str]:
    """Normalised readings of a gold name: without a trailing parenthetical ("Ada
    Lind (the mayor's lawyer)"), and each side of "A / B"."""
    if not name:
        return []
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name) or name
    seen: list[str] = []
    for form in [bare, *bare.split(" / ")]:
        normal = _norm(form)
        if normal and normal not in seen:
            seen.append(normal)
    return seen


def _alike(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= FUZZY_MIN


class GoldEntityNames:
    """An article's entities as normalised names (pronoun variants left out)."""

    def __init__(self, entities: list[GoldEntity]) -> None:
        self.entities = [
            (
                e,
                {
                    n
                    for raw in [e.canonical, *e.variants]
                    for n in {_norm(raw), *_name_forms(raw)}
                    if n and n not in _PRONOUNS
                },
            )
            for e in entities
        ]

    def of(self, golds: list[str]) -> list[tuple[GoldEntity, set[str]]]:
        """The entities the gold name is (one of their names, or a spelling of one)."""
        return [
            (e, names)
            for e, names in self.entities
            if any(_alike(n, g) for n in names for g in golds)
        ]


def same_speaker(predicted: str | None, gold: str | None, entities: list[GoldEntity]) -> bool:
    """Is ``predicted`` the gold speaker ``gold``? (the rule in the module docstring)"""
    said = _norm(predicted or "")
    golds = _name_forms(gold)
    if not said or not golds or predicted is None:
        return False
    if said in golds:
        return True
    names = GoldEntityNames(entities)
    theirs = names.of(golds)
    if any(said in entity_names for _, entity_names in theirs):
        return True
    said_tokens = said.split()
    for form in golds:
        tokens = form.split()
        title = said_tokens[: -len(tokens)]
        if (
            len(tokens) >= 2
            and len(said_tokens) > len(tokens)
            and said_tokens[-len(tokens) :] == tokens
            and not set(title) & _LINKS
        ):
            return True
    is_person = all(e.type in (None, "person") for e, _ in theirs)
    if is_person and predicted[:1].isupper():
        ours = {id(e) for e, _ in theirs}
        for form in golds:
            tokens = form.split()
            if len(said_tokens) >= len(tokens) or tokens[-len(said_tokens) :] != said_tokens:
                continue
            others = [
                e
                for e, entity_names in names.entities
                if id(e) not in ours
                and any(n.split()[-len(said_tokens) :] == said_tokens for n in entity_names)
            ]
            if not others:
                return True
    return any(fuzz.ratio(said, form) >= FUZZY_MIN for form in golds)


def speaker_verdict(
    predicted: str | None, quote: GoldQuote, entities: list[GoldEntity]
) -> Literal["correct", "unattributed", "wrong"]:
    if not predicted:
        return "unattributed"
    accepted = [quote.speaker]
    if quote.speaker_ambiguous and quote.alt_speaker:
        accepted.append(quote.alt_speaker)
    if any(same_speaker(predicted, g, entities) for g in accepted):
        return "correct"
    return "wrong"


def same_person(predicted: str | None, gold: str | None) -> bool:
    """Kept for callers of the old API: ``same_speaker`` without entities."""
    if not predicted or not gold:
        return predicted == gold
    return same_speaker(predicted, gold, [])


# --- scoring ----------------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(a[1] - a[0], b[1] - b[0], 1)


def _sentence_of(text: str, evidence: str | None) -> tuple[int, int] | None:
    """Where the gold ``evidence`` sentence stands in ``text`` (spacing may differ); None when
    it is not given or not found."""
    words = (evidence or "").split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return match.span() if match else None


def _off_topic_ranges(text: str, spans: list[GoldOffTopic]) -> list[tuple[int, int]]:
    """Character ranges of the gold off-topic spans.

    Without ``char_end`` a span is its ``text_start`` when that is short (it was not cut at
    the ~64-character limit: "Follow", "date 2025-12-14"), else it runs to the end of its line.
    """
    ranges = []
    for span in spans:
        head = span.text_start
        for start in span.char_starts:
            end = span.char_end
            if end is None and head and len(head) < 60:
                end = start + len(head)
            elif end is None:
                line_end = text.find("\n", start)
                end = len(text) if line_end < 0 else line_end
            ranges.append((start, end))
    return ranges


# One article's spans cited by brief quotes: start, end, the brief's speaker, disputed or not.
_BriefSpans = list[tuple[int, int, str | None, bool]]


def _brief_speakers(briefing: Briefing) -> dict[str, _BriefSpans]:
    """Per article: the spans the brief's quotes cite, each with the brief's speaker and
    whether it is disputed."""
    found: dict[str, _BriefSpans] = {}
    for quote in briefing.quotes:
        disputed = getattr(quote, "speaker_check", None) == "disputed"
        for c in quote.citations:
            found.setdefault(c.article_id, []).append((c.start, c.end, quote.speaker, disputed))
    return found


def _disputed(briefing: Briefing, extractions: list[ArticleExtraction]) -> int:
    """Quotes whose ``speaker_check`` is "disputed" (the brief's, else the extractions')."""
    quotes: list[Any] = list(briefing.quotes)
    if not any(hasattr(q, "speaker_check") for q in quotes):
        quotes = [q for e in extractions for q in e.quotes]
    return sum(getattr(q, "speaker_check", None) == "disputed" for q in quotes)


def _figure_checks(merged: MergedGold | None, briefing: Briefing) -> dict[str, int]:
    counts = dict.fromkeys(
        ("discrepancies_expected", "discrepancies_flagged", "updates_total", "updates_as_disputes"),
        0,
    )
    if merged is None:
        return counts
    for figure in merged.casualty_figures:
        status, kind, numbers = figure.casualty_status, figure.resolved_kind, figure.numbers
        if status is None or not numbers:
            continue
        rows = [r for r in briefing.casualties if r.status == status and r.discrepancy]
        if kind == "DISCREPANCY":
            counts["discrepancies_expected"] += 1
            counts["discrepancies_flagged"] += any(
                numbers <= {f.count for f in r.figures} for r in rows
            )
        elif kind == "UPDATE":
            counts["updates_total"] += 1
            counts["updates_as_disputes"] += any(
                len(numbers & {f.count for f in r.figures if f.count is not None}) >= 2
                for r in rows
            )
    return counts


def score(
    gold: dict[str, GoldArticle],
    articles: list[Article],
    extractions: list[ArticleExtraction],
    briefing: Briefing,
    merged_gold: MergedGold | None = None,
    *,
    name: str = "",
    path: str = "",
    gold_path: Path | None = None,
) -> ClusterScore:
    """Compare one cluster's extractions and brief with its gold annotations."""
    texts = {a.id: a.text for a in articles}
    by_article = {e.article_id: e for e in extractions}
    by_name = _ids_by_file_name(articles)
    brief_spans = _brief_speakers(briefing)
    cites = briefing.citations()
    result = ClusterScore(name=name, path=path)
    for article_name, annotation in sorted(gold.items()):
        article_id = by_name.get(article_name)
        if article_id is None or article_id not in by_article:
            result.missing_articles.append(article_name)
            continue
        text = texts[article_id]
        if gold_path is not None:
            _check_offsets(gold_path, article_name, annotation, text)
        extraction = by_article[article_id]
        scored = ArticleScore(
            article=article_name,
            gold_quotes=len(annotation.quotes),
            predicted_quotes=len(extraction.quotes),
        )
        _score_speakers(result, scored, annotation, extraction, brief_spans.get(article_id, []))
        scored.precise_quotes = _precise_quotes(annotation, extraction)
        _score_figures(result, scored, annotation, extraction, briefing, article_id, text)
        scored.leaks = _leaks(
            cites, article_id, _off_topic_ranges(text, annotation.off_topic_spans)
        )
        result.articles.append(scored)
    _sum_articles(result)
    _score_brief(result, briefing, extractions, merged_gold)
    return result


def _ids_by_file_name(articles: list[Article]) -> dict[str, str]:
    """Article ids by file name, as gold keys them: each article under the last part of its
    id and of its path (the first article to claim a name keeps it)."""
    by_name: dict[str, str] = {}
    for article in articles:
        by_name.setdefault(Path(article.id).name, article.id)
        by_name.setdefault(Path(article.path).name, article.id)
    return by_name


def _score_speakers(
    result: ClusterScore,
    scored: ArticleScore,
    annotation: GoldArticle,
    extraction: ArticleExtraction,
    cited: _BriefSpans,
) -> None:
    """Match each gold quote of one article to the extraction's and count the speaker shown
    for it, in the article's score and the cluster's; a speaker not correct is listed."""
    for g in annotation.quotes:
        span = (g.char_start, g.char_end)
        best = max(extraction.quotes, key=lambda q: _overlap((q.start, q.end), span), default=None)
        if best is None or _overlap((best.start, best.end), span) < 0.5:
            continue
        scored.matched_quotes += 1
        speaker, disputed = _shown_speaker(best, cited, span)
        verdict = speaker_verdict(speaker, g, annotation.entities)
        tallies = [result.speakers]
        if not g.is_fragment:
            tallies.append(result.speakers_non_fragment)
        for tally in tallies:
            tally.add(verdict)
            if verdict == "wrong" and not disputed:
                tally.wrong_undisputed += 1
        setattr(scored, f"speakers_{verdict}", getattr(scored, f"speakers_{verdict}") + 1)
        if verdict != "correct":
            scored.speaker_errors.append(
                SpeakerError(
                    start=g.char_start,
                    end=g.char_end,
                    text=g.text or "",
                    gold=g.speaker,
                    alt=g.alt_speaker,
                    shown=speaker,
                    verdict=verdict,
                    disputed=disputed,
                )
            )


def _shown_speaker(
    best: Quote, cited: _BriefSpans, span: tuple[int, int]
) -> tuple[str | None, bool]:
    """The speaker shown for the gold quote at ``span``, and whether it is disputed: the
    brief quote's citing that span (overlapping by half), else the matched extracted
    quote's (``best``)."""
    in_brief = max(cited, key=lambda c: _overlap((c[0], c[1]), span), default=None)
    if in_brief is not None and _overlap((in_brief[0], in_brief[1]), span) >= 0.5:
        return in_brief[2], in_brief[3]
    return best.speaker, getattr(best, "speaker_check", None) == "disputed"


def _precise_quotes(annotation: GoldArticle, extraction: ArticleExtraction) -> int:
    """How many extracted quotes match some gold quote of the article (for precision)."""
    return sum(
        any(
            _overlap((q.start, q.end), (g.char_start, g.char_end)) >= 0.5 for g in annotation.quotes
        )
        for q in extraction.quotes
    )


def _score_figures(
    result: ClusterScore,
    scored: ArticleScore,
    annotation: GoldArticle,
    extraction: ArticleExtraction,
    briefing: Briefing,
    article_id: str,
    text: str,
) -> None:
    """Count one article's gold casualty facts: found or with the wrong status in the
    extraction (the article's score), and context figures a toll shows (the cluster's)."""
    for c in annotation.casualties:
        if not c.is_context:
            _score_toll_figure(scored, c, extraction)
        elif c.count is not None:
            result.context_total += 1
            result.background_in_toll += _context_in_toll(c, briefing, article_id, text)


def _score_toll_figure(
    scored: ArticleScore, casualty: GoldCasualty, extraction: ArticleExtraction
) -> None:
    """One gold fact of the event's toll: found when a figure has its status and count,
    else wrong status when a figure has its count under another status."""
    scored.gold_figures += 1
    figures = extraction.casualties
    if any(f.status == casualty.status and f.count == casualty.count for f in figures):
        scored.figures_found += 1
    elif casualty.count is not None and any(
        f.count == casualty.count and f.status != casualty.status for f in figures
    ):
        scored.figures_wrong_status += 1


def _context_in_toll(
    casualty: GoldCasualty, briefing: Briefing, article_id: str, text: str
) -> bool:
    """Whether a gold context figure shows in a brief row that is not background: its count
    cited from its article, from within its evidence sentence when that is found."""
    where = _sentence_of(text, casualty.evidence)
    return any(
        f.article_id == article_id
        and f.count == casualty.count
        and (where is None or (where[0] <= f.start and f.end <= where[1]))
        for row in briefing.casualties
        if not row.background
        for f in row.figures
    )


def _leaks(cites: list[Citation], article_id: str, ranges: list[tuple[int, int]]) -> int:
    """How many of the brief's citations touch one of the article's off-topic ``ranges``."""
    return sum(
        1
        for c in cites
        if c.article_id == article_id and any(c.start < e and s < c.end for s, e in ranges)
    )


def _sum_articles(result: ClusterScore) -> None:
    """The cluster's counts that are sums of its articles'."""
    result.article_count = len(result.articles)
    for field in (
        "gold_quotes",
        "predicted_quotes",
        "matched_quotes",
        "precise_quotes",
        "figures_found",
        "figures_wrong_status",
    ):
        setattr(result, field, sum(getattr(a, field) for a in result.articles))
    result.figures_total = sum(a.gold_figures for a in result.articles)
    result.off_topic_leaks = sum(a.leaks for a in result.articles)


def _score_brief(
    result: ClusterScore,
    briefing: Briefing,
    extractions: list[ArticleExtraction],
    merged_gold: MergedGold | None,
) -> None:
    """The cluster's counts read off the brief as a whole: failed articles, disputed quotes,
    disputes and updates against the merged gold, stories, and the backend's usage."""
    result.articles_failed = sum(a.status == "failed" for a in briefing.articles)
    result.disputed = _disputed(briefing, extractions)
    result.brief_quotes = len(briefing.quotes)
    for key, value in _figure_checks(merged_gold, briefing).items():
        setattr(result, key, value)
    result.stories_made = len(briefing.stories)
    result.stories_expected = merged_gold.expected_stories if merged_gold else 1
    result.requests = briefing.usage.requests
    result.prompt_tokens = briefing.usage.prompt_tokens
    result.completion_tokens = briefing.usage.completion_tokens
    result.reasks = briefing.usage.reasks


# --- clusters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """What one scored brief is made of: the articles to brief and their annotations."""

    name: str
    articles: list[Path]
    gold: Path
    merged_gold: Path | None


def _descriptor(folder: Path) -> Cluster:
    path = folder / DESCRIPTOR_NAME
    data = _read_json(path, "cluster descriptor")
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("articles"), str)
        or not (isinstance(data.get("gold"), str))
    ):
        raise InputError(
            f'{path}: a cluster descriptor is {{"articles": PATH, "gold": PATH, '
            '"merged_gold": PATH (optional)}, paths relative to its folder',
            path=str(path),
        )
    merged_name = data.get("merged_gold")
    if merged_name is not None and not isinstance(merged_name, str):
        raise InputError(f"{path}: merged_gold is not a string", path=str(path))
    resolved = {
        key: (folder / value).resolve()
        for key, value in (
            ("articles", data["articles"]),
            ("gold", data["gold"]),
            ("merged_gold", merged_name),
        )
        if value is not None
    }
    for key, target in resolved.items():
        if not target.exists():
            raise InputError(
                f"{path}: {key} {data[key]!r} not found (looked for {target}); annotations kept "
                "in the shared folder need it cloned beside this repository (../shared)",
                path=str(path),
            )
    return Cluster(
        name=str(data.get("name") or folder.name),
        articles=[resolved["articles"]],
        gold=resolved["gold"],
        merged_gold=resolved.get("merged_gold"),
    )


def _cluster_at(folder: Path) -> Cluster | None:
    if (folder / DESCRIPTOR_NAME).is_file():
        return _descriptor(folder)
    if (folder / GOLD_NAME).is_file() and (folder / "articles").is_dir():
        merged = folder / MERGED_NAME
        return Cluster(
            name=folder.name,
            articles=[folder / "articles"],
            gold=folder / GOLD_NAME,
            merged_gold=merged if merged.is_file() else None,
        )
    return None


def find_clusters(paths: Iterable[Path]) -> list[Cluster]:
    """The clusters under ``paths``: each a cluster folder, or a folder of cluster folders."""
    clusters: list[Cluster] = []
    for path in paths:
        if not path.is_dir():
            raise InputError(
                f"{path}: not a folder; give cluster folders (articles/ and gold.json, or "
                f"{DESCRIPTOR_NAME}) or a folder of them, or --gold GOLD.json with article paths",
                path=str(path),
            )
        cluster = _cluster_at(path)
        if cluster is not None:
            clusters.append(cluster)
            continue
        inner = [
            c
            for sub in sorted(path.iterdir())
            if sub.is_dir()
            for c in [_cluster_at(sub)]
            if c is not None
        ]
        if not inner:
            raise InputError(
                f"{path}: neither a cluster folder (articles/ and gold.json, or "
                f"{DESCRIPTOR_NAME}) nor a folder of them",
                path=str(path),
            )
        clusters += inner
    return clusters


def merged_gold_beside(gold_path: Path) -> Path | None:
    """The merged annotations that go with ``gold_path``: ``X_merged_gold.json`` next to
    ``X_gold.json``, or ``merged_gold.json`` next to ``gold.json``."""
    for name in (gold_path.name.replace("_gold", "_merged_gold"), "merged_" + gold_path.name):
        candidate = gold_path.with_name(name)
        if candidate != gold_path and candidate.is_file():
            return candidate
    return None


@contextmanager
def _one_extraction_per_article(summarizer: Summarizer) -> Iterator[None]:
    """Without a cache, ``brief`` would extract again what ``extract_all`` just did (twice the
    requests with an llm): a throwaway cache serves the second pass."""
    if summarizer.cache.enabled:
        yield
        return
    original = summarizer.cache
    with tempfile.TemporaryDirectory(prefix="summarizer-eval-") as folder:
        summarizer.cache = ExtractionCache(Path(folder) / "cache")
        try:
            yield
        finally:
            summarizer.cache.close()
            summarizer.cache = original


def evaluate_cluster(cluster: Cluster, summarizer: Summarizer) -> ClusterScore:
    """Brief one cluster's articles on their own and score the brief."""
    gold = load_gold(cluster.gold)
    merged = load_merged_gold(cluster.merged_gold) if cluster.merged_gold else None
    paths: list[PathLike] = list(cluster.articles)
    with _one_extraction_per_article(summarizer):
        articles, _, _ = summarizer.load(paths)
        extractions, _ = summarizer.extract_all(articles)
        briefing = summarizer.brief(paths)  # served from the cache the line above filled
    return score(
        gold,
        articles,
        extractions,
        briefing,
        merged,
        name=cluster.name,
        path=str(cluster.articles[0]) if len(cluster.articles) == 1 else str(cluster.gold),
        gold_path=cluster.gold,
    )


def evaluate_clusters(clusters: list[Cluster], summarizer: Summarizer) -> EvalReport:
    """Every cluster scored on its own, and the total. All gold is checked before any brief."""
    for cluster in clusters:
        load_gold(cluster.gold)
        if cluster.merged_gold:
            load_merged_gold(cluster.merged_gold)
    report = total([evaluate_cluster(c, summarizer) for c in clusters])
    return report.model_copy(
        update={"backend": summarizer.backend.name, "model": summarizer.backend.model}
    )


def evaluate(
    gold_path: Path,
    paths: list[PathLike],
    summarizer: Summarizer,
    merged_path: Path | None = None,
) -> EvalReport:
    """Brief ``paths`` with ``summarizer`` and score the result against ``gold_path``.

    Discrepancies are scored against ``merged_path`` (default: found beside the gold file);
    without one, ``discrepancies_expected`` is 0.
    """
    merged_path = merged_path or merged_gold_beside(gold_path)
    cluster = Cluster(
        name=gold_path.parent.name or gold_path.name,
        articles=[Path(p) for p in paths],
        gold=gold_path,
        merged_gold=merged_path,
    )
    return evaluate_clusters([cluster], summarizer)
