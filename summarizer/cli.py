"""The command line: a thin layer that parses arguments, calls the library and prints.

Exit codes: 0 brief written; 1 nothing written (an error, printed as one line); 2 usage error;
3 brief written but some articles failed (they are listed in the brief with the reason).
Never a traceback: an unexpected exception is one ``error:`` line too (``--debug`` shows it).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import resolve
from .errors import SummarizerError, UsageError, install_log_redaction
from .evaluate import Cluster, Score, evaluate_clusters, find_clusters, merged_gold_beside
from .models import Briefing
from .pipeline import Summarizer, check_output, write_output
from .render import format_of, render

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PROGRESS_THRESHOLD = 10  # below this many articles a bar is noise

app = typer.Typer(
    help="Turn many news articles into one sourced morning brief.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
cache_app = typer.Typer(help="Inspect or empty the extraction cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
stderr = Console(stderr=True)


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class BackendChoice(StrEnum):
    auto = "auto"
    rules = "rules"
    llm = "llm"


PathsArg = Annotated[
    list[Path], typer.Argument(help="Article files or folders (.txt .md .json .jsonl).")
]
BackendOpt = Annotated[
    BackendChoice | None,
    typer.Option("--backend", help="auto: llm when a key or base URL is configured, else rules."),
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name for the llm backend.")]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1."),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Cache folder (default: the user cache dir; env SUMMARIZER_CACHE_DIR)."
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency", min=1, max=64, help="Articles extracted at once by the llm backend."
    ),
]
DebugOpt = Annotated[
    bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
]
MaxBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-article-bytes",
        min=1,
        help="Refuse articles larger than this many bytes (default 2,000,000; for .jsonl, "
        "per line).",
    ),
]


# The flag that sets each setting, so that a settings error names it.
_FLAGS = {
    "backend": "--backend",
    "model": "--model",
    "base_url": "--base-url",
    "cache_dir": "--cache-dir",
    "use_cache": "--no-cache",
    "concurrency": "--concurrency",
    "max_article_bytes": "--max-article-bytes",
}


def _settings(**given: Any) -> dict[str, Any]:
    explicit = {k: (v.value if isinstance(v, Enum) else v) for k, v in given.items()}
    if explicit.pop("no_cache", False):
        explicit["use_cache"] = False
    return explicit


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    """User mistakes and backend failures become one line on stderr and exit code 1; every
    log line is redacted (keys, credentials in URLs), --debug included."""
    install_log_redaction()
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="warning: %(message)s",
        stream=sys.stderr,
    )
    if not debug:
        # instructor logs every failed validation; the backend handles them (re-ask, then
        # fallback) and the brief counts them, so they are noise on a user's terminal.
        for noisy in ("instructor", "httpx", "httpx2", "openai"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
    try:
        yield
    except SummarizerError as error:
        if debug:
            raise
        stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE if isinstance(error, UsageError) else EXIT_ERROR) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:
        if debug:
            raise
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        stderr.print(
            f"[bold red]error:[/] internal error ({type(error).__name__}: {escape(str(error))}); "
            "please report it, with the output of the same command run with --debug",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_ERROR) from None


def _warn(message: str) -> None:
    """One warning line on stderr (an article or field that cost nothing else)."""
    stderr.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


@contextmanager
def _progress(total_hint: int) -> Iterator[Any]:
    """A progress bar on stderr for many articles on a terminal; silent otherwise."""
    if total_hint < PROGRESS_THRESHOLD or not stderr.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total_hint)
        yield lambda article_id: bar.update(task, advance=1, description=article_id)


@contextmanager
def _summarizer(**options: Any) -> Iterator[Summarizer]:
    """A Summarizer for one command, from its options; closed (the cache) however it ends."""
    summarizer = Summarizer(resolve(_settings(**options), flags=_FLAGS), on_warning=_warn)
    try:
        yield summarizer
    finally:
        summarizer.close()


def _count_inputs(paths: list[Path]) -> int:
    from .ingest import discover

    total = 0
    for path in paths:  # a missing path is reported by the brief, not here
        try:
            total += len(discover([path]))
        except (SummarizerError, OSError):
            continue
    return total


def _write(text: str, output: Path | None) -> None:
    """To standard output (``None``), or atomically to a file (OutputError names the cause)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_output(text, output)


@app.command()
def brief(
    paths: PathsArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write here instead of stdout (- is stdout); replaced whole, never half-written. "
            "Never one of the inputs; an earlier brief in an input folder is skipped as input.",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="md, json or html (default: from the suffix of -o: .md .json .html .htm; "
            "else md).",
            show_default=False,
        ),
    ] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    max_article_bytes: MaxBytesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Make one sourced brief from every article under PATHS."""
    with _errors(debug):
        # Checked before any work: a folder, or one of the inputs, is refused (exit 2).
        target = check_output(output, paths) if output is not None else None
        chosen = fmt.value if fmt else (format_of(str(output)) if output else None) or "md"
        with (
            _summarizer(
                backend=backend,
                model=model,
                base_url=base_url,
                cache_dir=cache_dir,
                no_cache=no_cache,
                concurrency=concurrency,
                max_article_bytes=max_article_bytes,
            ) as summarizer,
            _progress(_count_inputs(paths)) as progress,
        ):
            briefing, texts = summarizer.review(paths, progress)
        _write(render(briefing, chosen, texts), target)
        failed = [a for a in briefing.articles if a.status == "failed"]
        for article in failed:
            _warn(article.error or f"{article.path}: failed (no reason recorded)")
        ok = sum(a.status == "ok" for a in briefing.articles)
        skipped = sum(a.status == "skipped" for a in briefing.articles)
        usage = briefing.usage
        tokens = (
            f", {usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} completion "
            f"tokens in {usage.requests} requests"
            if usage.requests
            else ""
        )
        stderr.print(
            f"brief: {ok} articles ok, {len(failed)} failed, "
            + (f"{skipped} skipped, " if skipped else "")
            + f"{len(briefing.stories)} stories, "
            f"{len(briefing.quotes)} quotes"
            + _to_check(briefing)
            + f", {len(briefing.casualties)} figures "
            f"({briefing.backend}{' ' + briefing.model if briefing.model else ''}{tokens})"
            + (f" -> {escape(str(target))}" if target else ""),
            highlight=False,
            soft_wrap=True,
        )
        if failed:
            raise typer.Exit(EXIT_PARTIAL)


def _to_check(briefing: Briefing) -> str:
    """ " (3 attributions to check)": quotes whose speaker the sources or the text dispute."""
    disputed = sum(q.speaker_check == "disputed" for q in briefing.quotes)
    if not disputed:
        return ""
    return f" ({disputed} attribution{'s' if disputed != 1 else ''} to check)"


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="One article file.")],
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    max_article_bytes: MaxBytesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print one article's extraction (quotes, figures, stances, summary) as JSON."""
    with _errors(debug):
        with _summarizer(
            backend=backend,
            model=model,
            base_url=base_url,
            cache_dir=cache_dir,
            no_cache=no_cache,
            max_article_bytes=max_article_bytes,
        ) as summarizer:
            extraction = summarizer.extract(path)
        _write(extraction.model_dump_json(indent=2), None)


EvalPathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Cluster folders (articles/ with gold.json and merged_gold.json, or a "
        "cluster.json naming them), or folders of clusters; with --gold: article files or "
        "folders.",
        show_default=False,
    ),
]
EvalGoldOpt = Annotated[
    Path | None,
    typer.Option(
        "--gold",
        help="Old form: score the articles under PATHS, as one cluster, against this gold "
        "file (seeds_gold.json format).",
    ),
]
EvalMergedOpt = Annotated[
    Path | None,
    typer.Option(
        "--merged-gold",
        help="With --gold: merged annotations (discrepancies); default: *_merged_gold.json "
        "beside --gold.",
    ),
]


@app.command("eval")
def eval_command(
    paths: EvalPathsArg,
    gold: EvalGoldOpt = None,
    merged_gold: EvalMergedOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    errors: Annotated[
        bool,
        typer.Option("--errors", help="Also list every quote whose speaker is wrong or left out."),
    ] = False,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    max_article_bytes: MaxBytesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Brief each annotated cluster on its own and score it: quotes, speakers, figures, leaks."""
    if merged_gold is not None and gold is None:
        stderr.print("[bold red]error:[/] --merged-gold goes with --gold", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    with _errors(debug):
        if gold is None:
            clusters = find_clusters(paths)
        else:
            merged = merged_gold or merged_gold_beside(gold)
            if merged is None:
                stderr.print(
                    "note: no merged annotations beside the gold file (pass --merged-gold); "
                    "discrepancies were not scored",
                    highlight=False,
                )
            name = gold.parent.name or gold.name
            clusters = [Cluster(name=name, articles=list(paths), gold=gold, merged_gold=merged)]
        with _summarizer(
            backend=backend,
            model=model,
            base_url=base_url,
            cache_dir=cache_dir,
            no_cache=no_cache,
            max_article_bytes=max_article_bytes,
        ) as summarizer:
            report = evaluate_clusters(clusters, summarizer)
    if as_json:
        _write(report.model_dump_json(indent=2), None)
        return

    def speakers(s: Score, non_fragment: bool = False) -> str:
        v = s.speakers_non_fragment if non_fragment else s.speakers
        return f"{v.correct}/{v.unattributed}/{v.wrong}"

    def row(name: str, s: Score) -> list[str]:
        return [
            name,
            str(s.article_count),
            f"{s.matched_quotes}/{s.gold_quotes}",
            f"{s.quote_precision:.2f}",
            speakers(s),
            speakers(s, non_fragment=True),
            str(s.disputed),
            f"{s.figures_found}/{s.figures_total}",
            str(s.figures_wrong_status),
            f"{s.background_in_toll}/{s.context_total}",
            f"{s.discrepancies_flagged}/{s.discrepancies_expected}",
            f"{s.updates_as_disputes}/{s.updates_total}",
            f"{s.stories_made}/{s.stories_expected}",
            str(s.off_topic_leaks),
        ]

    table = Table(
        title=f"summarizer eval ({report.backend}{' ' + report.model if report.model else ''})",
        caption="speakers: correct/unattributed/wrong over matched quotes; context in toll, "
        "updates as disputes and leaks: lower is better",
    )
    columns = (
        "cluster",
        "articles",
        "quotes",
        "precision",
        "speakers c/u/w",
        "non-fragment c/u/w",
        "disputed",
        "figures",
        "wrong status",
        "context in toll",
        "disputes flagged",
        "updates as disputes",
        "stories",
        "leaks",
    )
    table.add_column(columns[0], no_wrap=True)
    for column in columns[1:]:
        table.add_column(column, justify="right")
    for cluster in report.clusters:
        table.add_row(*row(cluster.name, cluster))
    table.add_section()
    table.add_row(*row("total", report))
    out = Console(width=None if sys.stdout.isatty() else 200)  # a pipe or file: no wrapping
    out.print(table)
    sp, nf = report.speakers, report.speakers_non_fragment
    out.print(
        f"{report.article_count} articles in {len(report.clusters)} "
        f"cluster{'s' if len(report.clusters) != 1 else ''}: quote recall "
        f"{report.quote_recall:.3f}  precision {report.quote_precision:.3f}  speakers correct "
        f"{sp.correct_rate:.3f} unattributed {sp.unattributed_rate:.3f} wrong "
        f"{sp.wrong_rate:.3f} (undisputed {sp.wrong_undisputed_rate:.3f})  (non-fragment: "
        f"{nf.correct_rate:.3f} / {nf.unattributed_rate:.3f} / {nf.wrong_rate:.3f})  "
        f"disputed {report.disputed}/{report.brief_quotes}  "
        f"figures {report.figures_found}/{report.figures_total} (wrong status "
        f"{report.figures_wrong_status})  context in toll {report.background_in_toll}/"
        f"{report.context_total}  discrepancies flagged {report.discrepancies_flagged}/"
        f"{report.discrepancies_expected}  updates as disputes {report.updates_as_disputes}/"
        f"{report.updates_total}  stories {report.stories_made}/{report.stories_expected}  "
        f"off-topic leaks {report.off_topic_leaks}"
        + (
            f"  requests {report.requests} ({report.requests_per_article:.2f} per article), "
            f"tokens {report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion, "
            f"re-asks {report.reasks}"
            if report.requests
            else ""
        ),
        highlight=False,
    )
    if errors:
        for cluster in report.clusters:
            for article in cluster.articles:
                for e in article.speaker_errors:
                    expected = e.gold if e.alt is None else f"{e.gold} (or {e.alt})"
                    out.print(
                        f"{cluster.name}/{article.article} [{e.start}:{e.end}] {e.verdict}"
                        f"{' (disputed)' if e.disputed else ''}: shown {e.shown!r}, gold "
                        f"{expected!r}: \u201c{' '.join(e.text.split())[:80]}\u201d",
                        highlight=False,
                        markup=False,
                    )
    if report.missing_articles:
        _warn("annotated but not briefed: " + ", ".join(report.missing_articles))


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Show where the cache is and how much it holds."""
    with _errors(debug), _summarizer(cache_dir=cache_dir, backend="rules") as summarizer:
        _write(json.dumps(summarizer.cache.stats(), indent=2), None)


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Remove every cached extraction."""
    with _errors(debug):
        with _summarizer(cache_dir=cache_dir, backend="rules") as summarizer:
            removed = summarizer.cache.clear()
        stderr.print(f"removed {removed} cached extractions from {summarizer.cache.directory}")


def main() -> None:
    app()
