"""Pathological inputs for the rules engine: seconds per pattern vs ordinary news of the same size.

    python bench/pathological.py                           # every pattern at 25/50/100/200 KB
    python bench/pathological.py --sizes 25 50 --patterns said according
    python bench/pathological.py --write /tmp/x            # only write the inputs, print paths
    python bench/pathological.py --profile said --sizes 100  # cProfile of one run to stderr

Each input is briefed with the rules backend and no cache
(``Summarizer(backend="rules", use_cache=False).brief([path])``) in a fresh process, stopped
after ``--timeout`` seconds. Patterns (each a pure function of the size, no randomness):

- ``ordinary``: the seed articles of ``fixtures/articles`` one after another, names varied on
  each pass (the yardstick: one article of that size);
- ``according``: ``according to according to ...``;
- ``said``: ``said said said ...``;
- ``yes_said``: ``"Yes," Amina Okafor said.`` repeated, the speaker varied;
- ``liveblog``: a live page: a timestamp, a headline, a short paragraph with a quote, repeated;
- ``tiny_files``: the ``ordinary`` text cut into files of about 40 bytes (a folder of
  thousands of one-sentence articles); compared with ``ordinary_files``, the same text in
  files of about 2 KB.

The per-article budget (``article_seconds``) is raised to an hour for these runs so that
what is measured is the work, not the budget.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE.parent / "fixtures" / "articles").glob("*.txt"))

FIRST = """Amina Wei Priya Sofia Dmitri Yuki Aylin Mateus Fatima Kwame Ingrid Rahul Mei Carlos
Nadia Hiroshi Leila Tomasz Zainab Pablo Anika Kofi Elena Arjun Omar Lars Diego Tariq""".split()
LAST = """Okafor Haddad Zhang Sharma Kowalski Nakamura Yilmaz Oliveira Mensah Petrov Nguyen
Fernandez Mwangi Lindqvist Abubakar Rossi Tanaka Hosseini Adeyemi Morales Ivanova""".split()
SEED_NAMES = ["Barrack", "al-Sharaa", "Tom", "Ahmed"]


def name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


def repeat_to(size: int, piece: Callable[[int], str]) -> str:
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        part = piece(i)
        parts.append(part)
        total += len(part.encode())
        i += 1
    return "".join(parts)


def _seed_pass(i: int) -> str:
    """All seed articles once, every capitalised surname-like word varied by pass ``i``."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SEEDS) + "\n\n"
    if i == 0:
        return text
    last = LAST[i % len(LAST)]
    first = FIRST[i % len(FIRST)]
    text = re.sub(r"\bBarrack\b", last, text)
    return re.sub(r"\bTom\b", first, text)


def ordinary(size: int) -> str:
    return repeat_to(size, _seed_pass)[:size]


def according(size: int) -> str:
    return ("according to " * (size // 13 + 1))[:size]


def said(size: int) -> str:
    return ("said " * (size // 5 + 1))[:size]


def yes_said(size: int) -> str:
    return repeat_to(size, lambda i: f'"Yes," {name(i)} said. ')


def liveblog(size: int) -> str:
    def entry(i: int) -> str:
        return (
            f"{10 + i // 60 % 14:02d}:{i % 60:02d} GMT\n"
            f"{LAST[i % len(LAST)]} warns of {FIRST[i % len(FIRST)].lower()} delays at port "
            f"{i}\n"
            f'Officials at berth {i} said the ships were late. "We are working on it," '
            f"{name(i)} told reporters.\n\n"
        )

    return "Live: the port strike, as it happened\n\n" + repeat_to(size, entry)


SINGLE: dict[str, Callable[[int], str]] = {
    "ordinary": ordinary,
    "according": according,
    "said": said,
    "yes_said": yes_said,
    "liveblog": liveblog,
}
FOLDERS = {"tiny_files": 40, "ordinary_files": 2000}
PATTERNS = [*SINGLE, *FOLDERS]


def write(pattern: str, kb: int, root: Path) -> Path:
    """Write one input (a file, or a folder for the *_files patterns); return its path."""
    size = kb * 1000
    if pattern in SINGLE:
        path = root / f"{pattern}-{kb}kb.txt"
        path.write_text(SINGLE[pattern](size), encoding="utf-8")
        return path
    folder = root / f"{pattern}-{kb}kb"
    folder.mkdir(parents=True, exist_ok=True)
    chunk = FOLDERS[pattern]
    sentences = re.findall(r"[^.!?\n]+[.!?]?", ordinary(size))
    buffer = ""
    count = 0
    for sentence in sentences:
        buffer += sentence.strip() + " "
        if len(buffer) >= chunk:
            (folder / f"{count:06d}.txt").write_text(f"{buffer}({count})\n", encoding="utf-8")
            count += 1
            buffer = ""
    if buffer.strip():
        (folder / f"{count:06d}.txt").write_text(f"{buffer}({count})\n", encoding="utf-8")
    return folder


def child(path: Path, profile: bool) -> None:
    from scale import time_stages  # bench/scale.py, beside this script

    from summarizer import Summarizer

    stages = {"ingest": 0.0, "extract": 0.0, "merge": 0.0}
    time_stages(stages)
    options: dict[str, object] = {"backend": "rules", "use_cache": False}
    try:
        from summarizer.config import Settings

        if "article_seconds" in Settings.model_fields:
            options["article_seconds"] = 3600.0
    except ImportError:
        pass
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    briefing = Summarizer(**options).brief([path])
    seconds = time.perf_counter() - t0
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    failed = [a.error for a in briefing.articles if a.status == "failed"]
    print(json.dumps({"seconds": seconds, "stages": stages, "failed": failed[:3]}))


def measure(path: Path, timeout: float, profile: bool = False) -> dict[str, object] | None:
    command = [sys.executable, __file__, "--child", str(path)]
    if profile:
        command.append("--profile-child")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if profile:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{path}: the measured process failed (exit {done.returncode})")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--patterns", nargs="+", default=PATTERNS, choices=PATTERNS)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--write", type=Path, help="only write the inputs into this folder")
    parser.add_argument("--profile", choices=PATTERNS, help="print a cProfile of this pattern")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile_child)
        return
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for pattern in args.patterns:
            for kb in args.sizes:
                print(write(pattern, kb, args.write))
        return
    with tempfile.TemporaryDirectory(prefix="summarizer-pathological-") as scratch:
        run_all(args, Path(scratch))


def run_all(args: argparse.Namespace, root: Path) -> None:
    """Time (or profile) every pattern at every size, inputs written under ``root``."""
    if args.profile:
        for kb in args.sizes:
            measure(write(args.profile, kb, root), args.timeout, profile=True)
        return
    results: dict[str, dict[int, dict[str, object] | None]] = {}
    for pattern in args.patterns:
        for kb in args.sizes:
            run = measure(write(pattern, kb, root), args.timeout)
            results.setdefault(pattern, {})[kb] = run
            shown = "stopped" if run is None else f"{run['seconds']:.2f} s {run['stages']}"
            print(f"{pattern} {kb} KB: {shown}", file=sys.stderr, flush=True)
    print(table(results, args.sizes, args.timeout))


def table(
    results: dict[str, dict[int, dict[str, object] | None]], sizes: list[int], timeout: float
) -> str:
    head = "| input | " + " | ".join(f"{kb} KB s (x ordinary)" for kb in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for pattern, runs in results.items():
        yardstick = results.get("ordinary_files" if pattern == "tiny_files" else "ordinary", {})
        cells = []
        for kb in sizes:
            run = runs.get(kb)
            if run is None:
                cells.append(f"> {timeout:.0f}")
                continue
            seconds = float(run["seconds"])  # type: ignore[arg-type]
            base = yardstick.get(kb)
            ratio = f" ({seconds / float(base['seconds']):.1f}x)" if base else ""  # type: ignore[arg-type]
            cells.append(f"{seconds:.2f}{ratio}")
        lines.append(f"| {pattern} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
