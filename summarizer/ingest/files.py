"""Files: finding article files under folders (hidden files and links leading outside left
out), reading a file's bytes within a size limit, and knowing a brief summarizer wrote itself,
which is never an input."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import ArticleFailure
from .raw import Skipped

log = logging.getLogger(__package__)  # the stage's logger, "summarizer.ingest"

HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".json", ".jsonl", *HTML_SUFFIXES)
SUPPORTED_SUFFIXES += (*FEED_SUFFIXES, ".eml", ".mbox")
# Written by render into every Markdown and HTML brief; a file carrying it is never an input.
_GENERATOR_RE = re.compile(r"<!--\s*generator:\s*summarizer\b")
# A JSON brief (the Briefing, which has no room for a marker) is known by its keys.
BRIEFING_KEYS = frozenset(
    {"title", "backend", "articles", "stories", "summary", "quotes", "casualties", "stances"}
)


class WrittenBySummarizer(InputError):
    """The file is a brief that summarizer wrote: skipped, never read as an article."""


def log_warning(message: str) -> None:
    log.warning("%s", message)


def written_reason(where: str, what: str) -> str:
    return (
        f"{where}: a brief written by summarizer ({what}), not an article; earlier briefs are "
        "never inputs"
    )


def is_brief_text(text: str) -> bool:
    """Whether a text is a Markdown or HTML brief that summarizer wrote: its marker comment on
    the first or the last non-empty line (or in the HTML head)."""
    lines = [line for line in text[:4096].splitlines() if line.strip()][:8]
    tail = [line for line in text[-4096:].splitlines() if line.strip()][-1:]
    return any(_GENERATOR_RE.search(line) for line in lines + tail)


def is_brief_record(record: object) -> bool:
    """Whether a JSON value is a brief that summarizer wrote (the Briefing: its keys, and no
    article text of its own)."""
    return (
        isinstance(record, dict)
        and set(record) >= BRIEFING_KEYS
        and not any(name in record for name in ("text", "body"))
    )


def is_brief_file(path: Path) -> bool:
    """Whether the file at ``path`` is a brief that summarizer wrote (False if unreadable)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(size - 4096, len(head)))
            tail = handle.read(4096)
    except OSError:
        return False
    text = (head + b"\n" + tail).decode("utf-8", "replace")
    if is_brief_text(text):
        return True
    if path.suffix.lower() != ".json" or not head.lstrip().startswith(b"{"):
        return False
    try:
        return is_brief_record(json.loads(path.read_bytes()))
    except (OSError, ValueError, RecursionError):
        return False


def shown(path: Path | str) -> str:
    """``path`` as text that can be printed and written to JSON: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _escapes(path: Path, real_root: str) -> bool:
    """Whether ``path`` is a symbolic link (or lies under one) resolving outside ``real_root``."""
    real = os.path.realpath(path)
    return os.path.commonpath([real, real_root]) != real_root


def _walk(
    root: Path,
) -> tuple[list[Path], list[Path], list[tuple[Path, str]], list[Path]]:
    """Article files, other files, unlistable folders and links leading outside ``root``
    under ``root`` (hidden ones left out), in the order ``sorted(root.rglob("*"))`` gives.
    Links to folders are not followed."""
    files: list[Path] = []
    others: list[Path] = []
    problems: list[tuple[Path, str]] = []
    outside: list[Path] = []
    real_root = os.path.realpath(root)

    def unlistable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        problems.append((where, error.strerror or str(error)))

    for folder, folders, names in os.walk(root, onerror=unlistable):
        base = Path(folder)
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names + [n for n in folders if os.path.islink(base / n)]:
            path = base / name
            if _hidden(path, root):
                continue
            if os.path.islink(path) and _escapes(path, real_root):
                outside.append(path)
                continue
            if name in folders:
                continue  # a link to a folder inside: not followed (its files are read there)
            (files if path.suffix.lower() in SUPPORTED_SUFFIXES else others).append(path)
    return sorted(files), sorted(others), problems, sorted(outside)


def discover(paths: list[Path]) -> list[Path]:
    """The article files named by ``paths`` (folders are searched recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path)[0])
        elif path.exists():
            found.append(path)
        else:
            where = shown(path)
            raise InputError(f"{where}: no such file or folder; check the path", path=where)
    return found


def too_big(where: str, size: int, max_bytes: int, what: str = "one article") -> InputError:
    return InputError(
        f"{where}: {size / 1e6:.1f} MB ({size:,} bytes) is over the {max_bytes / 1e6:.1f} MB "
        f"limit for {what}; split it, or raise the limit with --max-article-bytes {size} "
        "(max_article_bytes in summarizer.toml)",
        path=where,
    )


def _unreadable(where: str, error: OSError) -> InputError:
    return InputError(
        f"{where}: cannot be read ({error.strerror or error}); check that it exists and that "
        "you may read it (its permissions)",
        path=where,
    )


def regular_size(path: Path, where: str) -> int:
    """The size of the regular file at ``path``; InputError when it cannot be read or is a
    folder, pipe or device."""
    try:
        info = path.stat()
    except OSError as error:
        raise _unreadable(where, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{where}: not a regular file (a folder, pipe or device); give article files",
            path=where,
        )
    return info.st_size


def read_bytes(path: Path, where: str, max_bytes: int | None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (None: any size)."""
    size = regular_size(path, where)
    if max_bytes is not None and size > max_bytes:
        raise too_big(where, size, max_bytes)
    try:
        return path.read_bytes()
    except OSError as error:
        raise _unreadable(where, error) from None


def _outside(link: Path, root: Path) -> Skipped:
    where = shown(link)
    return Skipped(
        id=shown(link.relative_to(root).as_posix()),
        path=where,
        reason=f"{where}: a symbolic link to {shown(os.path.realpath(link))}, outside "
        f"{shown(root)}; skipped (only what is under the folders you name is read: name the "
        "file itself to include it)",
    )


def _not_an_article(other: Path, root: Path) -> Skipped:
    suffix = other.suffix.lower() or "(none)"
    return Skipped(
        id=shown(other.relative_to(root).as_posix()),
        path=shown(other),
        reason=f"{shown(other)}: not an article file (type {suffix}); save articles as "
        f"{', '.join(SUPPORTED_SUFFIXES)} to include them",
    )


def inputs_under(
    root: Path, on_skipped: Callable[[Skipped], None]
) -> Iterator[tuple[Path, str] | ArticleFailure]:
    """The files under one command-line path with their ids, or failures of the path itself."""
    where = shown(root)
    try:
        is_dir, exists = root.is_dir(), root.exists()
    except OSError as error:
        yield ArticleFailure(
            id=where, path=where, error=f"{where}: cannot be checked ({error.strerror or error})"
        )
        return
    if not exists:
        yield ArticleFailure(
            id=where, path=where, error=f"{where}: no such file or folder; check the path"
        )
        return
    if not is_dir:
        yield root, shown(root.name)
        return
    files, others, problems, outside = _walk(root)
    for link in outside:
        on_skipped(_outside(link, root))
    for folder, reason in problems:
        yield ArticleFailure(
            id=where if folder == root else shown(folder.relative_to(root).as_posix()) + "/",
            path=shown(folder),
            error=f"{shown(folder)}: cannot list this folder ({reason}); check its permissions",
        )
    if not files and not problems:
        listed = ", ".join(shown(p.name) for p in others[:3]) + (", ..." if len(others) > 3 else "")
        yield ArticleFailure(
            id=where,
            path=where,
            error=f"{where}: no article file in this folder ("
            + (f"{len(others)} other file(s): {listed}" if others else "it is empty")
            + f"); articles must be {', '.join(SUPPORTED_SUFFIXES)} files",
        )
        return
    for other in others:
        on_skipped(_not_an_article(other, root))
    for file in files:
        yield file, shown(file.relative_to(root).as_posix())
