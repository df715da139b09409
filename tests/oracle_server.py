"""An OpenAI-compatible server that answers the labelling request as a strong model would,
from the corpus's gold annotations (``../shared/corpus/*/gold.json``).

``OracleServer`` is a ``FaultServer`` (same lifecycle on 127.0.0.1, same wire format: a tool
call, or JSON content when the request asks for ``response_format``, same record of every
request in ``exchanges``) whose answers come from the gold instead of a heuristic. Faults can
still be injected on top (``OracleServer(corpus, Faults(...))``).

Which article: every corpus article is read with the package's own ingest, and a request is
matched to the article whose ``[S#]`` sentences, as the prompt shows them, are the sentences
in the prompt (the same test whatever the template's wording). An article not in the corpus
gets HTTP 400.

What it answers, and the rule for what a strong model can know:

- a strong model writes only what the article says. A gold label is first stripped of its
  annotator's notes in parentheses ("EU diplomatic source (unnamed)" -> "EU diplomatic
  source", "Movement for Democratic Change (MDC)" -> "Movement for Democratic Change");
  alternatives and lists, where the schema wants one name ("Police / authorities", "DUP,
  many Conservatives, Labour"), are read part by part, the first grounded part answered.
  The label is **grounded** when every content word of it (stopwords dropped, a possessive
  "'s" dropped, case and accents ignored) is a word of the article: "Harbour Freight spokeswoman"
  when the article writes "a spokeswoman for Amazon". An ungrounded label ("unnamed accuser"
  for a passive "was accused of"; "the outlet (writer's scare quotes ...)") is something no
  model could read off the page: the oracle answers null for it;
- quotes: each ``[Q#]`` takes the gold quote its span overlaps most; the answer is that
  quote's ``speaker`` when grounded, else its ``alt_speaker`` when grounded (either is right),
  else null; a span no gold quote overlaps is null;
- casualties: each gold casualty fact, as (the ``[S#]`` holding its ``evidence``, ``status``,
  count, ``group``, ``attributed_to``). The count is the gold count when the words the
  gold says it is stated with (``count_as_stated``) write it ("three people", "A young man"
  for 1), else null: the prompt asks for the number stated, and "Mr Lind was detained"
  states none. ``reported_by`` is the grounded ``attributed_to``, else null. ``scope``,
  when the request's schema asks for it, is "context" for a gold ``context`` figure
  (another event, a cumulative total, a hypothetical: the prompt's own words) and "event"
  otherwise: whether a figure is this event's toll is read off the page, as the annotator did;
- stances: each gold stance whose actor is grounded in its ``[S#]`` or the two sentences
  before it (where the prompt says a stance's actor is named), as (that ``[S#]``, actor);
  others are left out, as a model that follows the prompt would;
- the request's own JSON schema is obeyed, as a strong model obeys it: a label longer than
  its ``maxLength`` is cut at a comma or word boundary, a list longer than ``maxItems`` is cut.

A re-ask gets the same answer: the oracle is sure of itself, so every re-ask it receives is a
right answer the validators refused.

**The liar** (``OracleServer(corpus, liar=True)``, or ``LiarServer``): the same answers, except
that every quote's speaker is someone else *named in the same article*, so grounding passes and
only a cross-check can catch it. In turn (by quote id): another speaker of the article (the
gold speaker of another quote), the nearest other name to the quote (the article's entity
written closest to it), and the person the quote is about (an entity named inside the
quotation or its sentence), each one a speaker the package's validators accept. A quote with
no gold speaker gets a name too: the liar never stays silent where it can lie.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from summarizer.extract.llm_schema import Grounding, judge
from summarizer.ingest import load
from summarizer.models import Article, Span
from summarizer.textutil import STOPWORDS

from .fault_server import Exchange, Faults, FaultServer, _error, _user_prompt, completion

MODEL = "oracle"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

_SENTENCE_RE = re.compile(r"^\[S(\d+)\] (.*)$", re.MULTILINE)
_PARENS_RE = re.compile(r"\s*\([^()]*\)")
_WORD_RE = re.compile(r"\w+")
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"a": 1, "an": 1, "dozen": 12})
# Words that say a source is unnamed; they describe, they need not stand in the article.
QUALIFIERS = frozenset({"unnamed", "anonymous", "unidentified"})


def fold(text: str) -> str:
    """Lower case, accents and curly apostrophes gone."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _kept(word: str, vocabulary: set[str]) -> bool:
    folded = fold(word)
    return folded in vocabulary or folded in STOPWORDS


# Alone, these say nothing of who spoke.
_VAGUE = frozenset({"source", "sources", "official", "officials", "people", "person"})


def content_words(label: str) -> list[str]:
    words = _WORD_RE.findall(re.sub(r"'s\b", "", fold(label)))
    return [w for w in words if w not in STOPWORDS and w not in QUALIFIERS]


def stripped(label: str | None) -> str | None:
    """The label without the annotator's notes in parentheses, or None if nothing is left."""
    if not label:
        return None
    text = " ".join(_PARENS_RE.sub("", label).split()).strip(" ,;")
    return text or None


def readings(label: str | None) -> list[str]:
    """What a model would write for a gold label, best first: the label stripped of notes;
    for alternatives ("Police / authorities") or a list ("DUP, many Conservatives, Labour"),
    where the schema wants one name, each part in turn."""
    text = stripped(label)
    if text is None:
        return []
    parts = [p.strip() for p in re.split(r"\s*/\s*|,\s*|\s+and\s+", text) if p.strip()]
    whole = [text] if not re.search(r"[,/]", text) else []
    return whole + [p for p in parts if p != text]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _overlap(a: Span, start: int, end: int) -> int:
    return max(0, min(a.end, end) - max(a.start, start))


def _numbers(text: str) -> set[int]:
    found = {int(m.replace(",", "")) for m in re.findall(r"\d[\d,]*", text)}
    found |= {_NUMBER_WORDS[w] for w in _WORD_RE.findall(text.lower()) if w in _NUMBER_WORDS}
    return found


# --- the schema the request carries ------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The bounds of the request's JSON schema (what a model that obeys it must keep to)."""

    name_chars: int = 10**6
    group_chars: int = 10**6
    quotes: int = 10**6
    casualties: int = 10**6
    stances: int = 10**6
    scope: bool = False  # whether a casualty label has a ``scope`` to answer


def _schema_of(body: dict[str, Any]) -> dict[str, Any]:
    for tool in body.get("tools") or []:
        parameters = tool.get("function", {}).get("parameters")
        if isinstance(parameters, dict):
            return parameters
    response_format = body.get("response_format") or {}
    schema = response_format.get("schema") or (response_format.get("json_schema") or {}).get(
        "schema"
    )
    return schema if isinstance(schema, dict) else {}


def _bound(node: Any, key: str) -> int | None:
    """The first ``key`` (maxLength, maxItems) found in a schema node or its anyOf branches."""
    if not isinstance(node, dict):
        return None
    if isinstance(node.get(key), int):
        return int(node[key])
    for branch in node.get("anyOf", []):
        found = _bound(branch, key)
        if found is not None:
            return found
    return None


def limits(body: dict[str, Any]) -> Limits:
    schema = _schema_of(body)
    defs = schema.get("$defs", {})
    top = schema.get("properties", {})

    def prop(model: str, name: str, key: str, default: int) -> int:
        found = _bound(defs.get(model, {}).get("properties", {}).get(name), key)
        return default if found is None else found

    def items(name: str) -> int:
        found = _bound(top.get(name), "maxItems")
        return 10**6 if found is None else found

    return Limits(
        name_chars=prop("QuoteLabel", "speaker", "maxLength", 10**6),
        group_chars=prop("CasualtyLabel", "group", "maxLength", 10**6),
        quotes=items("quotes"),
        casualties=items("casualties"),
        stances=items("stances"),
        scope="scope" in defs.get("CasualtyLabel", {}).get("properties", {}),
    )


def fit(label: str, chars: int) -> str:
    """``label`` within ``chars``: cut at its first comma, then at a word boundary."""
    if len(label) <= chars:
        return label
    head = label.split(",")[0].strip()
    if len(head) <= chars:
        return head
    return head[:chars].rsplit(" ", 1)[0].strip()


# --- the gold, by article -----------------------------------------------------------------------


@dataclass
class GoldArticle:
    """One corpus article as ingest reads it, with its gold annotation."""

    cluster: str
    name: str
    article: Article
    gold: dict[str, Any]

    def __post_init__(self) -> None:
        self.words = set(_WORD_RE.findall(fold(self.article.text)))
        self._grounding: Grounding | None = None

    def grounded(self, label: str | None, words: set[str] | None = None) -> str | None:
        """The first reading of ``label`` every content word of which is a word of the
        article (or of ``words``), or None."""
        vocabulary = self.words if words is None else words
        for reading in readings(label):
            content = content_words(reading)
            if content and all(w in vocabulary for w in content):
                return reading
        # A strong model leaves out what the annotator added ("senior Israeli cabinet source"
        # where the article writes "senior cabinet source"), as long as most of it is there.
        for reading in readings(label):
            content = content_words(reading)
            kept = [w for w in _WORD_RE.findall(reading) if _kept(w, vocabulary)]
            shown = [w for w in kept if fold(w) in content]
            if (
                len(shown) >= 2
                and 2 * len(shown) >= len(content)
                and fold(shown[-1]) == content[-1]  # the head noun stays: "... source"
                and set(map(fold, shown)) - _VAGUE
            ):
                return " ".join(kept)
        return None

    def grounded_near(self, label: str | None, sentence: int, before: int = 2) -> str | None:
        """The first reading of ``label`` written in S# or the ``before`` sentences ahead."""
        sentences = self.article.sentences[max(0, sentence - before) : sentence + 1]
        window = set(_WORD_RE.findall(fold(" ".join(self.article.slice(s) for s in sentences))))
        return self.grounded(label, window)

    def sentence_of(self, evidence: str) -> int | None:
        """The id of the sentence where the gold's verbatim ``evidence`` starts."""
        start = self.article.text.find(evidence)
        if start < 0:
            start = self.article.text.find(evidence[:60])
        if start < 0:
            return None
        for index, sentence in enumerate(self.article.sentences):
            if sentence.start <= start < sentence.end:
                return index
        return None

    # the answer

    def speaker(self, quote_id: int) -> str | None:
        span = next((q for q in self.article.quote_spans if q.id == quote_id), None)
        if span is None:
            return None
        best = max(
            self.gold.get("quotes", []),
            key=lambda g: _overlap(span, g["char_start"], g["char_end"]),
            default=None,
        )
        if best is None or _overlap(span, best["char_start"], best["char_end"]) == 0:
            return None
        return self.speaker_for(best)

    def speaker_for(self, gold_quote: dict[str, Any]) -> str | None:
        """What a strong model answers for a gold quote: its speaker, else its alternative,
        as the article writes them; None when neither is grounded."""
        return self.grounded(gold_quote.get("speaker")) or self.grounded(
            gold_quote.get("alt_speaker")
        )

    # the liar's answer

    def _names(self) -> list[tuple[int, str]]:
        """Every gold entity's name as the article writes it, with where it stands."""
        found: list[tuple[int, str]] = []
        for entity in self.gold.get("entities", []):
            forms = [entity.get("canonical"), *(entity.get("variants") or [])]
            for form in forms:
                if not form or len(form) < 3 or not form[:1].isupper():
                    continue  # "he", "she": a pronoun names nobody
                for match in re.finditer(re.escape(form), self.article.text):
                    found.append((match.start(), form))
        return found

    def lie(self, quote_id: int, truth: str | None) -> str | None:
        """A wrong speaker for ``[Q quote_id]``, named in the article (see the module doc)."""
        span = next((q for q in self.article.quote_spans if q.id == quote_id), None)
        if span is None:
            return None
        others: list[str] = []
        for q in self.article.quote_spans:
            name = self.speaker(q.id)
            if name and name not in others:
                others.append(name)
        sentence = self.article.sentences[span.sentence]
        names = self._names()
        nearest = sorted(names, key=lambda n: min(abs(n[0] - span.start), abs(n[0] - span.end)))
        about = [n for n in names if sentence.start <= n[0] < sentence.end]
        about.sort(key=lambda n: (not (span.start <= n[0] < span.end), n[0]))
        strategies = [
            list(others),
            [form for _, form in nearest],
            [form for _, form in about] + [form for _, form in nearest],
        ]
        order = strategies[quote_id % 3 :] + strategies[: quote_id % 3]
        for candidates in order:
            for name in candidates:
                if (truth is None or not _same_name(name, truth)) and self._accepted(
                    quote_id, name
                ):
                    return name
        return None

    def _accepted(self, quote_id: int, name: str) -> bool:
        """Whether the package's validators accept ``name`` as Q#'s speaker: the liar's
        answers are all grounded, so only a cross-check can catch them."""
        if self._grounding is None:
            self._grounding = Grounding(self.article)
        raw = {"quotes": [{"quote": quote_id, "speaker": name}], "casualties": [], "stances": []}
        return bool(judge(raw, self._grounding).quotes)

    def answer(self, limit: Limits, liar: bool = False) -> dict[str, Any]:
        quotes = []
        for span in self.article.quote_spans:
            speaker = self.speaker(span.id)
            if liar:
                speaker = self.lie(span.id, speaker)
            quotes.append(
                {"quote": span.id, "speaker": fit(speaker, limit.name_chars) if speaker else None}
            )
        casualties = []
        for fact in self.gold.get("casualties", []):
            sentence = self.sentence_of(fact["evidence"])
            if sentence is None:
                continue
            count = fact.get("count")
            if count is not None and count not in _numbers(str(fact.get("count_as_stated", ""))):
                count = None
            group = stripped(fact.get("group")) or "people"
            reporter = self.grounded(fact.get("attributed_to"))
            label = {
                "sentence": sentence,
                "status": fact["status"],
                "count": count,
                "group": fit(group, limit.group_chars),
                "reported_by": fit(reporter, limit.name_chars) if reporter else None,
            }
            if limit.scope:
                context = fact.get("context") or fact.get("background_not_this_event")
                label["scope"] = "context" if context else "event"
            casualties.append(label)
        stances = []
        for stance in self.gold.get("stances", []):
            sentence = self.sentence_of(stance["evidence"])
            if sentence is None:
                continue
            actor = self.grounded_near(stance.get("actor"), sentence)
            if actor is not None and len(actor) <= limit.name_chars:
                item = {"sentence": sentence, "actor": actor}
                if item not in stances:
                    stances.append(item)
        return {
            "quotes": quotes[: limit.quotes],
            "casualties": casualties[: limit.casualties],
            "stances": stances[: limit.stances],
        }


def _same_name(one: str, other: str) -> bool:
    """Whether two labels could be one person: a content word in common ("Barrack", "Tom
    Barrack"). The liar avoids these, so every lie is plainly someone else."""
    return bool(set(content_words(one)) & set(content_words(other)))


def load_corpus(corpus: Path = CORPUS) -> list[GoldArticle]:
    """Every corpus article that has gold, read by the package's own ingest."""
    found = []
    for gold_path in sorted(corpus.glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for name, annotation in sorted(gold.items()):
            if name.startswith("_"):
                continue
            path = gold_path.parent / "articles" / name
            (article,) = [a for a in load([path]) if isinstance(a, Article)]
            found.append(GoldArticle(gold_path.parent.name, name, article, annotation))
    return found


def prompt_key(article: Article) -> tuple[str, ...]:
    """An article's sentences as a prompt shows them (one line each)."""
    return tuple(_one_line(article.slice(s)) for s in article.sentences)


class OracleServer(FaultServer):
    """A FaultServer whose answers (when no fault is drawn) are the gold's, as described above."""

    def __init__(
        self, corpus: Path = CORPUS, faults: Faults | None = None, *, liar: bool = False
    ) -> None:
        super().__init__(faults)
        self.liar = liar
        self.articles = load_corpus(corpus)
        self._by_prompt: dict[tuple[str, ...], GoldArticle] = {}
        for gold in self.articles:
            # A wire story run twice with the same copy is one key: either gold answers it.
            self._by_prompt.setdefault(prompt_key(gold.article), gold)
        self.unknown = 0

    def article_for(self, prompt: str) -> GoldArticle | None:
        key = tuple(text for _, text in _SENTENCE_RE.findall(prompt))
        return self._by_prompt.get(key)

    def reader(self, cluster: str, name: str) -> GoldArticle:
        """The gold of article ``name`` of ``cluster``."""
        return next(g for g in self.articles if g.cluster == cluster and g.name == name)

    def answer(self, body: dict[str, Any]) -> dict[str, Any] | None:
        found = self.article_for(_user_prompt(body))
        return None if found is None else found.answer(limits(body), liar=self.liar)

    async def _answer(self, request: Request, body: dict[str, Any], exchange: Exchange) -> Response:
        if exchange.fault is not None:
            return await super()._answer(request, body, exchange)
        answer = self.answer(body)
        if answer is None:
            self.unknown += 1
            return _error(400, "the oracle does not know this article (not in the corpus)")
        return JSONResponse(completion(body, json.dumps(answer)))


class LiarServer(OracleServer):
    """The oracle answering every quote with a wrong speaker named in the article."""

    def __init__(self, corpus: Path = CORPUS, faults: Faults | None = None) -> None:
        super().__init__(corpus, faults, liar=True)


__all__ = [
    "CORPUS",
    "MODEL",
    "QUALIFIERS",
    "GoldArticle",
    "LiarServer",
    "OracleServer",
    "fit",
    "limits",
    "load_corpus",
    "prompt_key",
    "readings",
    "stripped",
]
