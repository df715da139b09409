"""The command line: a thin layer that parses arguments, calls the library and prints.

Exit codes: 0 brief written; 1 nothing written (an error, printed as one line); 2 usage error;
3 brief written but some articles failed (they are listed in the brief with the reason).
Never a traceback: an unexpected exception is one ``error:`` line too (``--debug`` shows it).

Options every command shares are declared once (``BACKEND_OPTIONS``, ``MESSAGE_OPTIONS``) and
added to a command by ``@shared(...)``, which hands the command one ``Common`` value. Messages
on stderr: errors always; warnings, notices and the run line unless ``-q``; the library's
progress (``info:``) with ``-v``; every log line (``debug:``, HTTP included, keys redacted) and
tracebacks with ``--debug``. Each log line starts with its level. The environment variables
are listed in ``--help`` but read by ``config.resolve``, not by the option parser: a flag >
``summarizer.toml`` > the environment, and an error names where a value came from.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ._version import __version__
from .config import ENVIRONMENT, resolve
from .errors import SummarizerError, UsageError, install_log_redaction
from .evaluate import (
    Cluster,
    EvalReport,
    Score,
    SpeakerScore,
    evaluate_clusters,
    find_clusters,
    merged_gold_beside,
)
from .ingest import read_url_list
from .models import Briefing
from .pipeline import Summarizer, check_output, write_output
from .render import format_of, render

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PROGRESS_THRESHOLD = 10  # below this many articles a bar is noise

app = typer.Typer(
    help="Turn many news articles into one sourced morning brief.",
    no_args_is_help=True,
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


def _env(setting: str) -> str:
    """' (env NAME)': the variable a setting is read from, for --help."""
    return f" (env {ENVIRONMENT[setting]})"


ENV_EPILOG = (
    "Environment: "
    + ", ".join(f"{name} ({setting})" for setting, name in ENVIRONMENT.items())
    + ". A flag wins over summarizer.toml, which wins over the environment."
)
BACKEND_PANEL, MESSAGES_PANEL = "Backend and cache", "Messages"

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Article files or folders (.txt .md .json .jsonl .html .rss .atom .xml .eml "
        ".mbox; a .txt of URLs, one a line), http(s) URLs, or - for standard input.",
        show_default=False,
    ),
]
UrlsOpt = Annotated[
    Path | None,
    typer.Option(
        "--urls", help="A file of URLs to fetch, one a line (blank lines and # comments skipped)."
    ),
]
BackendOpt = Annotated[
    BackendChoice | None,
    typer.Option(
        "--backend",
        help="auto: llm when a model and a key or base URL are configured, else rules."
        + _env("backend"),
        rich_help_panel=BACKEND_PANEL,
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Model name for the llm backend." + _env("model"),
        rich_help_panel=BACKEND_PANEL,
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1." + _env("base_url"),
        rich_help_panel=BACKEND_PANEL,
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Cache folder (default: the user cache dir)." + _env("cache_dir"),
        rich_help_panel=BACKEND_PANEL,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Neither read nor write the cache.", rich_help_panel=BACKEND_PANEL
    ),
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        min=1,
        max=64,
        help="Articles extracted at once by the llm backend.",
        rich_help_panel=BACKEND_PANEL,
    ),
]
MaxBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-article-bytes",
        min=1,
        help="Refuse articles larger than this many bytes (default 2,000,000; for .jsonl, "
        "per line).",
        rich_help_panel=BACKEND_PANEL,
    ),
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Every log line (debug:, info:, ...) and tracebacks instead of one-line errors.",
        rich_help_panel=MESSAGES_PANEL,
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Errors only: no warnings, notices, progress bar or run line.",
        rich_help_panel=MESSAGES_PANEL,
    ),
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Also say what each stage did (info: lines).",
        rich_help_panel=MESSAGES_PANEL,
    ),
]

# Each shared option: its parameter name, declaration and default. ``@shared(...)`` adds them.
OptionSpecs = Mapping[str, tuple[Any, Any]]
BACKEND_OPTIONS: OptionSpecs = {
    "backend": (BackendOpt, None),
    "model": (ModelOpt, None),
    "base_url": (BaseUrlOpt, None),
    "cache_dir": (CacheDirOpt, None),
    "no_cache": (NoCacheOpt, False),
    "max_article_bytes": (MaxBytesOpt, None),
}
CACHE_OPTIONS: OptionSpecs = {"cache_dir": (CacheDirOpt, None)}
MESSAGE_OPTIONS: OptionSpecs = {
    "quiet": (QuietOpt, False),
    "verbose": (VerboseOpt, False),
    "debug": (DebugOpt, False),
}


@dataclass(frozen=True)
class Common:
    """The shared options of one command line (those the command does not take stay unset)."""

    backend: BackendChoice | None = None
    model: str | None = None
    base_url: str | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    max_article_bytes: int | None = None
    quiet: bool = False
    verbose: bool = False
    debug: bool = False

    @property
    def level(self) -> int:
        if self.debug:
            return logging.DEBUG
        if self.verbose:
            return logging.INFO
        return logging.ERROR if self.quiet else logging.WARNING

    def settings(self) -> dict[str, Any]:
        """The settings these options give explicitly (``None``: not given)."""
        return _settings(**{name: getattr(self, name) for name in BACKEND_OPTIONS})

    def warn(self, message: str) -> None:
        """One warning line on stderr (an article or field that cost nothing else), unless -q."""
        if not self.quiet:
            _warn(message)

    def say(self, line: str) -> None:
        """A line for the user on stderr (the run line, a note), unless -q."""
        if not self.quiet:
            stderr.print(line, highlight=False, soft_wrap=True)


_COMMON_FIELDS = {f.name for f in fields(Common)}


def shared(*groups: OptionSpecs) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Add the options of ``groups`` to a command whose last parameter is ``common: Common``.

    Typer reads a command's parameters from its signature: the command gets one made of its
    own parameters and the shared ones, and is called with the shared values gathered into
    ``common``. So each shared option is declared once, and reads the same in every command.
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = inspect.signature(command, eval_str=True)
        kept = [p for p in own.parameters.values() if p.name != "common"]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=value)
            for group in groups
            for name, (kind, value) in group.items()
        ]
        unknown = {p.name for p in added} - _COMMON_FIELDS
        if unknown:
            raise TypeError(f"shared options without a Common field: {sorted(unknown)}")

        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> None:
            given = {p.name: kwargs.pop(p.name) for p in added}
            common = Common(**given)
            if common.quiet and (common.verbose or common.debug):
                _usage_error("-q goes with neither -v nor --debug: choose one")
            command(*args, common=common, **kwargs)

        signature = own.replace(parameters=[*kept, *added])
        run.__signature__ = signature  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
        return run

    return decorate


def _usage_error(message: str) -> None:
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"summarizer {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Turn many news articles into one sourced morning brief."""


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


class _LevelFormatter(logging.Formatter):
    """``warning: ...``, ``info: ...``, ``debug: httpx2: ...``: each line says its level; with
    --debug also which library spoke, and a logged traceback follows its line (without
    --debug a traceback is never shown: the line says what failed)."""

    def __init__(self, debug: bool) -> None:
        super().__init__("%(levelname)s: %(name)s: %(message)s")
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        level = record.levelname.lower()
        if not self.debug:
            return f"{level}: {record.getMessage()}"
        return super().format(logging.makeLogRecord({**record.__dict__, "levelname": level}))


@contextmanager
def _logging(level: int) -> Iterator[None]:
    """Log lines at ``level`` and above to stderr, each labelled, for one command; the root
    logger is put back as it was afterwards."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelFormatter(debug=level <= logging.DEBUG))
    handler.setLevel(level)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(min(level, previous) if previous else level)
    if level > logging.DEBUG:
        # instructor logs every failed validation; the backend handles them (re-ask, then
        # fallback) and the brief counts them, so they are noise on a user's terminal.
        for noisy in ("instructor", "httpx", "httpx2", "openai"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


@contextmanager
def _errors(common: Common) -> Iterator[None]:
    """User mistakes and backend failures become one line on stderr and exit code 1 (2 for a
    usage error); every log line is redacted (keys, credentials in URLs), --debug included."""
    install_log_redaction()
    with _logging(common.level), _one_line_errors(common.debug):
        yield


@contextmanager
def _one_line_errors(debug: bool) -> Iterator[None]:
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
def _summarizer(common: Common, **options: Any) -> Iterator[Summarizer]:
    """A Summarizer for one command, from its options; closed (cache, clients) however it
    ends."""
    settings = resolve({**common.settings(), **_settings(**options)}, flags=_FLAGS)
    with Summarizer(settings, on_warning=common.warn) as summarizer:
        logging.getLogger(__name__).info(
            "backend %s%s, cache %s",
            summarizer.backend.name,
            f" (model {summarizer.backend.model})" if summarizer.backend.model else "",
            settings.cache_dir if settings.use_cache else "off",
        )
        yield summarizer


def _count_inputs(paths: list[str]) -> int:
    from .ingest import discover

    total = 0
    for path in paths:  # a missing path is reported by the brief, not here
        try:
            total += len(discover([Path(path)]))
        except (SummarizerError, OSError):
            continue
    return total


def _write(text: str, output: Path | None) -> None:
    """To standard output (``None``), or atomically to a file (OutputError names the cause)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_output(text, output)


@app.command(epilog=ENV_EPILOG)
@shared(BACKEND_OPTIONS, MESSAGE_OPTIONS)
def brief(
    paths: PathsArg = None,
    urls: UrlsOpt = None,
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
    concurrency: ConcurrencyOpt = None,
    *,
    common: Common,
) -> None:
    """Make one sourced brief from every article under PATHS (and at the --urls)."""
    with _errors(common):
        inputs = _brief_inputs(paths, urls)
        # Checked before any work: a folder, or one of the inputs, is refused (exit 2).
        target = check_output(output, inputs) if output is not None else None
        chosen = fmt.value if fmt else (format_of(str(output)) if output else None) or "md"
        briefing, texts = _briefing(common, inputs, html=chosen == "html", concurrency=concurrency)
        _write(render(briefing, chosen, texts), target)
        failed = [a for a in briefing.articles if a.status == "failed"]
        for article in failed:
            _warn(article.error or f"{article.path}: failed (no reason recorded)")
        common.say(_run_line(briefing, target))
        if failed:
            raise typer.Exit(EXIT_PARTIAL)


def _brief_inputs(paths: list[str] | None, urls: Path | None) -> list[str]:
    """The paths given, then the URLs listed in the --urls file; a UsageError when there are
    none."""
    inputs = list(paths or []) + (read_url_list(urls) if urls is not None else [])
    if not inputs:
        raise UsageError("give article files, folders or URLs (or --urls FILE, or -)")
    return inputs


def _briefing(
    common: Common, paths: list[str], *, html: bool, concurrency: int | None
) -> tuple[Briefing, dict[str, str]]:
    """The brief of ``paths``, with a progress bar, and the articles' texts when the review
    page (``html``) is to show them."""
    with (
        _summarizer(common, concurrency=concurrency) as summarizer,
        _progress(0 if common.quiet else _count_inputs(paths)) as progress,
    ):
        # Only the review page shows the articles' texts: without it, merge can let go of
        # each article as soon as its story is merged (``Summarizer.brief``).
        if html:
            return summarizer.review(paths, progress)
        return summarizer.brief(paths, progress), {}


def _run_line(briefing: Briefing, target: Path | None) -> str:
    """The line that closes a brief on stderr: articles, stories, quotes, figures, the
    backend and its usage, and where the brief was written."""
    ok = sum(a.status == "ok" for a in briefing.articles)
    failed = sum(a.status == "failed" for a in briefing.articles)
    skipped = sum(a.status == "skipped" for a in briefing.articles)
    usage = briefing.usage
    tokens = (
        f", {usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} completion "
        f"tokens in {usage.requests} requests"
        if usage.requests
        else ""
    )
    return (
        f"brief: {ok} articles ok, {failed} failed, "
        + (f"{skipped} skipped, " if skipped else "")
        + f"{len(briefing.stories)} stories, "
        f"{len(briefing.quotes)} quotes"
        + _to_check(briefing)
        + f", {len(briefing.casualties)} figures "
        f"({briefing.backend}{' ' + briefing.model if briefing.model else ''}{tokens})"
        + (f" -> {escape(str(target))}" if target else "")
    )


def _to_check(briefing: Briefing) -> str:
    """ " (3 attributions to check)": quotes whose speaker the sources or the text dispute."""
    disputed = sum(q.speaker_check == "disputed" for q in briefing.quotes)
    if not disputed:
        return ""
    return f" ({disputed} attribution{'s' if disputed != 1 else ''} to check)"


@app.command(epilog=ENV_EPILOG)
@shared(BACKEND_OPTIONS, MESSAGE_OPTIONS)
def extract(
    path: Annotated[str, typer.Argument(help="One article file, URL, or - (standard input).")],
    article: Annotated[
        bool,
        typer.Option(
            "--article",
            help="Print the article as read instead: its text (which offsets index: for a "
            "page, the text trafilatura extracted), title, outlet, URL, time, sentences.",
        ),
    ] = False,
    *,
    common: Common,
) -> None:
    """Print one article's extraction (quotes, figures, stances, summary) as JSON."""
    with _errors(common):
        with _summarizer(common) as summarizer:
            read = summarizer.read(path) if article else summarizer.extract(path)
        _write(read.model_dump_json(indent=2), None)


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


@app.command("eval", epilog=ENV_EPILOG)
@shared(BACKEND_OPTIONS, MESSAGE_OPTIONS)
def eval_command(
    paths: EvalPathsArg,
    gold: EvalGoldOpt = None,
    merged_gold: EvalMergedOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    errors: Annotated[
        bool,
        typer.Option("--errors", help="Also list every quote whose speaker is wrong or left out."),
    ] = False,
    *,
    common: Common,
) -> None:
    """Brief each annotated cluster on its own and score it: quotes, speakers, figures, leaks."""
    if merged_gold is not None and gold is None:
        _usage_error("--merged-gold goes with --gold")
    with _errors(common):
        clusters = _eval_clusters(common, paths, gold, merged_gold)
        with _summarizer(common) as summarizer:
            report = evaluate_clusters(clusters, summarizer)
    if as_json:
        _write(report.model_dump_json(indent=2), None)
        return
    out = Console(width=None if sys.stdout.isatty() else 200)  # a pipe or file: no wrapping
    out.print(_eval_table(report))
    out.print(_eval_totals(report), highlight=False)
    if errors:
        _print_speaker_errors(out, report)
    if report.missing_articles:
        common.warn("annotated but not briefed: " + ", ".join(report.missing_articles))


def _eval_clusters(
    common: Common, paths: list[Path], gold: Path | None, merged_gold: Path | None
) -> list[Cluster]:
    """The clusters to score: those found under ``paths``, or with --gold (the old form) the
    articles under ``paths`` as one cluster, with a note when no merged annotations are found."""
    if gold is None:
        return find_clusters(paths)
    merged = merged_gold or merged_gold_beside(gold)
    if merged is None:
        common.say(
            "note: no merged annotations beside the gold file (pass --merged-gold); "
            "discrepancies were not scored"
        )
    name = gold.parent.name or gold.name
    return [Cluster(name=name, articles=list(paths), gold=gold, merged_gold=merged)]


_EVAL_COLUMNS = (
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


def _eval_table(report: EvalReport) -> Table:
    """A row per cluster and one for the total, in ``_EVAL_COLUMNS``."""
    table = Table(
        title=f"summarizer eval ({report.backend}{' ' + report.model if report.model else ''})",
        caption="speakers: correct/unattributed/wrong over matched quotes; context in toll, "
        "updates as disputes and leaks: lower is better",
    )
    table.add_column(_EVAL_COLUMNS[0], no_wrap=True)
    for column in _EVAL_COLUMNS[1:]:
        table.add_column(column, justify="right")
    for cluster in report.clusters:
        table.add_row(*_eval_row(cluster.name, cluster))
    table.add_section()
    table.add_row(*_eval_row("total", report))
    return table


def _eval_row(name: str, s: Score) -> list[str]:
    """One cluster's (or the total's) cells, in ``_EVAL_COLUMNS``."""
    return [
        name,
        str(s.article_count),
        f"{s.matched_quotes}/{s.gold_quotes}",
        f"{s.quote_precision:.2f}",
        _speakers(s.speakers),
        _speakers(s.speakers_non_fragment),
        str(s.disputed),
        f"{s.figures_found}/{s.figures_total}",
        str(s.figures_wrong_status),
        f"{s.background_in_toll}/{s.context_total}",
        f"{s.discrepancies_flagged}/{s.discrepancies_expected}",
        f"{s.updates_as_disputes}/{s.updates_total}",
        f"{s.stories_made}/{s.stories_expected}",
        str(s.off_topic_leaks),
    ]


def _speakers(v: SpeakerScore) -> str:
    """ "correct/unattributed/wrong": "12/1/0"."""
    return f"{v.correct}/{v.unattributed}/{v.wrong}"


def _eval_totals(report: EvalReport) -> str:
    """The totals as one line under the table: every rate, and the backend's usage."""
    sp, nf = report.speakers, report.speakers_non_fragment
    return (
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
        )
    )


def _print_speaker_errors(out: Console, report: EvalReport) -> None:
    """--errors: a line per matched quote whose speaker is wrong or left out, with the
    speaker shown and the gold one."""
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


@cache_app.command("stats")
@shared(CACHE_OPTIONS, MESSAGE_OPTIONS)
def cache_stats(*, common: Common) -> None:
    """Show where the cache is and how much it holds."""
    with _errors(common), _summarizer(common, backend="rules") as summarizer:
        stats = {**summarizer.cache.stats(), "pages": summarizer.fetcher.cached_pages()}
        _write(json.dumps(stats, indent=2), None)


@cache_app.command("clear")
@shared(CACHE_OPTIONS, MESSAGE_OPTIONS)
def cache_clear(*, common: Common) -> None:
    """Remove every cached extraction and fetched page."""
    with _errors(common):
        with _summarizer(common, backend="rules") as summarizer:
            removed = summarizer.cache.clear()
            pages = summarizer.fetcher.clear()
        common.say(
            f"removed {removed} cached extractions and {pages} cached pages from "
            f"{summarizer.cache.directory}"
        )


def main() -> None:
    app()
