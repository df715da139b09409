"""Casualties: one row per (status, nationality, category) of a story, every source's figure in it.

Which figures may be compared decides everything here, because a wrong comparison invents a
discrepancy ("3 Americans killed" vs "2 soldiers killed" is 2 soldiers + 1 civilian, not a
disagreement) and a missing one hides a real one. The rules:

- a figure naming nationality and category ("two US soldiers") is keyed by both;
- a figure naming a nationality only ("three Americans") is that nationality's total row,
  never compared with its soldiers or civilians rows;
- a figure naming a category only ("two soldiers") joins the most-cited row of that status and
  category, whatever its nationality: outlets drop the nationality they said earlier;
- a figure naming neither ("two others") joins the most-cited row of that status that names a
  category, keeping its wording (``group_as_stated``) and a note, so the reader can judge;
- figures without a number ("several") are listed but never make a discrepancy;
- background figures (earlier events, cumulative tolls) stay in rows of their own.

``consensus`` is the number every numbered figure agrees on; ``discrepancy`` says two differ,
and the note says who reported what. Nothing is averaged or picked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..models import (
    Article,
    ArticleExtraction,
    CasualtyFigure,
    CasualtyRow,
    CasualtyStatus,
    Figure,
)
from ..textutil import fold
from .grounding import grounded
from .names import NameResolver

_STATUS_ORDER = {"killed": 0, "wounded": 1, "missing": 2, "detained": 3}
# Head nouns that add nothing to a row's category. For civilians, a more specific head that
# most figures naming one agree on ("interpreter") is shown: it says who the victims were.
_GENERIC_HEADS = frozenset(
    """members member personnel people persons others other troops forces servicemen
    servicemembers soldiers soldier civilians civilian individuals men women staff""".split()
)
_ROLE_CATEGORIES = frozenset({"civilians", "civilian"})


@dataclass
class _Entry:
    order: int
    article: Article
    figure: CasualtyFigure
    groupless: bool = False


@dataclass
class _Row:
    status: CasualtyStatus
    nationality: str | None
    category: str | None
    background: bool
    entries: list[_Entry] = field(default_factory=list)
    articles: dict[str, None] = field(default_factory=dict)
    numbered: dict[str, None] = field(default_factory=dict)

    def add(self, entry: _Entry) -> None:
        self.entries.append(entry)
        self.articles[entry.article.id] = None
        if entry.figure.count is not None:
            self.numbered[entry.article.id] = None

    def weight(self) -> tuple[int, int, int]:
        """How widely the row is cited: articles giving a number, articles, figures."""
        return (len(self.numbered), len(self.articles), len(self.entries))


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None


def _source(entry: _Entry, names: NameResolver) -> str:
    """Who gave the figure: its resolved source, else the outlet speaking in its own voice."""
    stated = names.resolve(entry.figure.attributed_to)
    return stated or _clean(entry.article.outlet) or entry.article.id


def _head(group: str) -> str:
    tokens = fold(group).split()
    return tokens[-1] if tokens else ""


def _label(row: _Row) -> str:
    """Readable group: "US soldiers", "civilians (interpreter)", "US (total)", "two others"."""
    if row.category is None and row.nationality is None:
        return _clean(row.entries[0].figure.group) or "people"
    if row.category is None:
        return f"{row.nationality} (total)"
    label = f"{row.nationality} {row.category}" if row.nationality else row.category
    if row.category.casefold() in _ROLE_CATEGORIES:
        heads = Counter(
            h for e in row.entries if (h := _head(e.figure.group)) and h not in _GENERIC_HEADS
        )
        if heads:
            # max() keeps the first of equals: the wording seen first.
            head, n = max(heads.items(), key=lambda kv: kv[1])
            if 2 * n > heads.total():
                label = f"{label} ({head})"
    return label


def _note(row: _Row, counts: list[int], names: NameResolver) -> str | None:
    parts = []
    if row.background:
        parts.append("background: not part of this event's toll")
    if len(set(counts)) > 1:
        by_value: dict[int, list[str]] = {}
        for entry in row.entries:
            if entry.figure.count is not None:
                sources = by_value.setdefault(entry.figure.count, [])
                source = _source(entry, names)
                if source not in sources:
                    sources.append(source)
        parts.append("; ".join(f"{value} per {', '.join(s)}" for value, s in by_value.items()))
    groupless = dict.fromkeys(f"'{e.figure.group}'" for e in row.entries if e.groupless)
    if groupless:
        parts.append(f"placed here though they name no group: {', '.join(groupless)}")
    return "; ".join(parts) or None


def _row(story: str, row: _Row, names: NameResolver) -> CasualtyRow:
    row.entries.sort(key=lambda e: (e.order, e.figure.start, e.figure.end))
    figures = []
    for entry in row.entries:
        f, text = entry.figure, entry.article.text
        figures.append(Figure(
            article_id=entry.article.id, start=f.start, end=f.end, text=text[f.start : f.end],
            count=f.count, count_text=f.count_text, group_as_stated=f.group,
            attributed_to=_clean(f.attributed_to),
        ))
    counts = [f.count for f in figures if f.count is not None]
    agreed = len(set(counts)) == 1
    return CasualtyRow(
        id="",
        story=story,
        status=row.status,
        group=_label(row),
        figures=figures,
        consensus=counts[0] if agreed else None,
        discrepancy=len(set(counts)) > 1,
        background=row.background,
        note=_note(row, counts, names),
    )


def _most_cited(rows: list[_Row]) -> _Row | None:
    # max() keeps the first of equals, and rows are in creation order.
    return max(rows, key=_Row.weight) if rows else None


def _place(entries: list[_Entry]) -> list[_Row]:
    rows: dict[tuple[CasualtyStatus, str | None, str | None, bool, int | None], _Row] = {}

    def row_for(entry: _Entry, nationality: str | None, category: str | None) -> _Row:
        f = entry.figure
        # Background rows also split by count: two background tolls need not be one period.
        count = f.count if f.background else None
        key = (f.status, nationality and nationality.casefold(),
               category and category.casefold(), f.background, count)
        return rows.setdefault(key, _Row(f.status, nationality, category, f.background))

    def same_status(entry: _Entry) -> list[_Row]:
        return [r for r in rows.values() if r.status == entry.figure.status and not r.background]

    later: list[_Entry] = []
    for entry in entries:
        nationality, category = _clean(entry.figure.nationality), _clean(entry.figure.category)
        if entry.figure.background or nationality:
            row_for(entry, nationality, category).add(entry)
        else:
            later.append(entry)
    for entry in [e for e in later if _clean(e.figure.category)]:
        category = _clean(entry.figure.category)
        assert category is not None
        matching = [r for r in same_status(entry)
                    if r.category and r.category.casefold() == category.casefold()]
        target = _most_cited(matching) or row_for(entry, None, category)
        target.add(entry)
    for entry in [e for e in later if not _clean(e.figure.category)]:
        candidates = same_status(entry)
        target = (_most_cited([r for r in candidates if r.category])
                  or _most_cited(candidates) or row_for(entry, None, None))
        entry.groupless = bool(target.category or target.nationality)
        target.add(entry)
    return list(rows.values())


def merge_casualties(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    names: NameResolver,
) -> tuple[list[CasualtyRow], int]:
    """One story's casualty rows (event rows by status and support, background last); drops.

    ``names`` resolves sources in the notes ("the ministry" is "Syria's Interior Ministry");
    each figure keeps its ``attributed_to`` as the article stated it.
    """
    entries: list[_Entry] = []
    dropped = 0
    for order, article, extraction in sources:
        for figure in sorted(extraction.casualties, key=lambda f: (f.start, f.end)):
            if not grounded(article, figure.start, figure.end):
                dropped += 1
                continue
            entries.append(_Entry(order, article, figure))
    rows = _place(entries)
    ranked = sorted(
        enumerate(rows),
        key=lambda ir: (ir[1].background, _STATUS_ORDER.get(ir[1].status, 9),
                        tuple(-n for n in ir[1].weight()), ir[0]),
    )
    return [_row(story, row, names) for _, row in ranked], dropped
