"""Score a brief against hand annotations (the format of shared/gold/seeds_gold.json).

Gold is a JSON object keyed by article file name, each with ``quotes`` (char_start, char_end,
speaker), ``casualties`` (status, count, background_not_this_event) and ``off_topic_spans``
(char_starts, optional char_end). A companion
``*_merged_gold.json`` next to it, when present, adds ``casualty_figures`` whose ``conflicting``
entries are discrepancies the brief must flag.

Metrics: quote recall and precision (a predicted quote matches a gold one when their spans
overlap by at least half of the longer), speaker accuracy over matched quotes, casualty figures
found (status and count), off-topic leaks (brief citations that touch an off-topic span),
background figures mixed into a toll, and discrepancies flagged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from .errors import InputError
from .models import ArticleExtraction, Briefing
from .pipeline import PathLike, Summarizer
from .textutil import fold


class ArticleScore(BaseModel):
    article: str
    gold_quotes: int
    predicted_quotes: int
    precise_quotes: int
    matched_quotes: int
    speakers_correct: int
    gold_figures: int
    figures_found: int
    leaks: int


class EvalReport(BaseModel):
    articles: list[ArticleScore]
    quote_recall: float
    quote_precision: float
    speaker_accuracy: float
    figures_found: int
    figures_total: int
    off_topic_leaks: int
    background_in_toll: int
    discrepancies_expected: int
    discrepancies_flagged: int
    missing_articles: list[str]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(a[1] - a[0], b[1] - b[0], 1)


def same_person(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return predicted == gold
    return fold(predicted) == fold(gold) or fuzz.ratio(fold(predicted), fold(gold)) >= 85


def _off_topic_ranges(text: str, spans: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character ranges of the gold off-topic spans.

    Without ``char_end`` a span is its ``text_start`` when that is short (it was not cut at
    the ~64-character limit: "Follow", "date 2025-12-14"), else it runs to the end of its line.
    """
    ranges = []
    for span in spans:
        head = str(span.get("text_start", ""))
        for start in span.get("char_starts", []):
            end = span.get("char_end")
            if end is None and head and len(head) < 60:
                end = start + len(head)
            elif end is None:
                line_end = text.find("\n", start)
                end = len(text) if line_end < 0 else line_end
            ranges.append((int(start), int(end)))
    return ranges


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(
            f"{path}: cannot read gold annotations ({error})", path=str(path)
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: gold must be a JSON object keyed by article file name", path=str(path)
        )
    return data


def _status_of(label: str) -> str | None:
    label = label.casefold()
    for status, words in (
        ("killed", ("killed", "dead", "deaths")),
        ("wounded", ("wounded", "injured")),
    ):
        if any(w in label for w in words):
            return status
    return None


def _discrepancies(merged: dict[str, Any] | None, briefing: Briefing) -> tuple[int, int]:
    """(expected, flagged): gold figures with a numeric conflict, and those the brief flags."""
    if not merged:
        return 0, 0
    expected = flagged = 0
    for figure in merged.get("casualty_figures", []):
        conflicts = [
            c.get("value") for c in figure.get("conflicting", []) if isinstance(c.get("value"), int)
        ]
        status = _status_of(str(figure.get("figure", "")))
        if not conflicts or status is None or not isinstance(figure.get("value"), int):
            continue
        expected += 1
        wanted = {figure["value"], *conflicts}
        if any(
            row.status == status and row.discrepancy and wanted <= {f.count for f in row.figures}
            for row in briefing.casualties
        ):
            flagged += 1
    return expected, flagged


def score(
    gold: dict[str, Any],
    texts: dict[str, str],
    extractions: list[ArticleExtraction],
    briefing: Briefing,
    merged_gold: dict[str, Any] | None = None,
) -> EvalReport:
    """Compare extractions and the brief with the gold annotations."""
    by_article = {e.article_id: e for e in extractions}
    scores: list[ArticleScore] = []
    missing = []
    cites = briefing.citations()
    background_in_toll = 0
    for name, annotation in sorted(gold.items()):
        if name.startswith("_"):
            continue
        article_id = next((a for a in by_article if Path(a).name == name), None)
        if article_id is None:
            missing.append(name)
            continue
        extraction = by_article[article_id]
        gold_quotes = annotation.get("quotes", [])
        matched = correct = 0
        for g in gold_quotes:
            span = (g["char_start"], g["char_end"])
            best = max(
                extraction.quotes, key=lambda q: _overlap((q.start, q.end), span), default=None
            )
            if best is not None and _overlap((best.start, best.end), span) >= 0.5:
                matched += 1
                correct += same_person(best.speaker, g.get("speaker"))
        figures = [
            c for c in annotation.get("casualties", []) if not c.get("background_not_this_event")
        ]
        found = sum(
            any(
                f.status == c["status"] and f.count == c.get("count") for f in extraction.casualties
            )
            for c in figures
        )
        for c in annotation.get("casualties", []):
            if c.get("background_not_this_event"):
                background_in_toll += sum(
                    1
                    for row in briefing.casualties
                    if not row.background
                    for f in row.figures
                    if f.article_id == article_id and f.count == c["count"]
                )
        ranges = _off_topic_ranges(texts[article_id], annotation.get("off_topic_spans", []))
        leaks = sum(
            1
            for c in cites
            if c.article_id == article_id and any(c.start < e and s < c.end for s, e in ranges)
        )
        precise = sum(
            any(
                _overlap((q.start, q.end), (g["char_start"], g["char_end"])) >= 0.5
                for g in gold_quotes
            )
            for q in extraction.quotes
        )
        scores.append(
            ArticleScore(
                article=name,
                gold_quotes=len(gold_quotes),
                predicted_quotes=len(extraction.quotes),
                precise_quotes=precise,
                matched_quotes=matched,
                speakers_correct=correct,
                gold_figures=len(figures),
                figures_found=found,
                leaks=leaks,
            )
        )
    gold_total = sum(s.gold_quotes for s in scores)
    predicted_total = sum(s.predicted_quotes for s in scores)
    matched_total = sum(s.matched_quotes for s in scores)
    precise_total = sum(s.precise_quotes for s in scores)
    expected, flagged = _discrepancies(merged_gold, briefing)
    return EvalReport(
        articles=scores,
        quote_recall=round(matched_total / gold_total, 4) if gold_total else 1.0,
        quote_precision=round(precise_total / predicted_total, 4) if predicted_total else 1.0,
        speaker_accuracy=round(sum(s.speakers_correct for s in scores) / matched_total, 4)
        if matched_total
        else 1.0,
        figures_found=sum(s.figures_found for s in scores),
        figures_total=sum(s.gold_figures for s in scores),
        off_topic_leaks=sum(s.leaks for s in scores),
        background_in_toll=background_in_toll,
        discrepancies_expected=expected,
        discrepancies_flagged=flagged,
        missing_articles=missing,
    )


def merged_gold_beside(gold_path: Path) -> Path | None:
    """The merged annotations that go with ``gold_path``: ``X_merged_gold.json`` next to
    ``X_gold.json``, or ``merged_gold.json`` next to ``gold.json``."""
    for name in (gold_path.name.replace("_gold", "_merged_gold"), "merged_" + gold_path.name):
        candidate = gold_path.with_name(name)
        if candidate != gold_path and candidate.is_file():
            return candidate
    return None


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
    gold = _load(gold_path)
    merged_path = merged_path or merged_gold_beside(gold_path)
    merged = _load(merged_path) if merged_path else None
    articles, _, _ = summarizer.load(paths)
    extractions, _ = summarizer.extract_all(articles)
    briefing = summarizer.brief(paths)  # served from the cache the line above filled
    texts = {a.id: a.text for a in articles}
    return score(gold, texts, extractions, briefing, merged)
