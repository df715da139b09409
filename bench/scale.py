"""Scale benchmark: brief 100, 1,000 and 10,000 generated articles with the rules backend.

    python bench/scale.py                          # 100, 1000, 10000; cold then warm cache
    python bench/scale.py --counts 100 1000        # fewer sizes
    python bench/scale.py --counts 1000 --profile  # also write cProfile stats per run
    python bench/scale.py --keep                   # keep the generated folders and caches
    python bench/scale.py --100k                   # also 100,000 articles (200 MB of text)

For each count it generates the articles (``bench/generate.py``, seeded, in a temp dir, not
timed), then runs two measurements, each in a fresh Python process so that peak memory (the
process's ``ru_maxrss``) belongs to that run alone:

- **cold**: an empty cache dir: every article is ingested, extracted and cached;
- **warm**: the same cache dir again: extractions are read back from the cache.

Each run calls the library as a user would, ``Summarizer(backend="rules", cache_dir=...)``
then ``.brief([folder])``, and renders the Markdown brief. Stage times are taken by wrapping,
in the benchmark process only, the calls ``brief()`` makes: ``Summarizer.load`` (ingest),
``Summarizer.extract_all`` (extract, cache reads and writes included) and the pipeline's
``merge``; render is timed around ``render()``. The library is not modified.

Columns: "events" is how many distinct events the generator wrote about, "stories found" how
many stories ``merge`` grouped the articles into. "cold s" and "warm s" are brief + render in
the process (interpreter start and imports are reported apart, on stderr); "cold CPU s" is the
user + system time of the process and of its worker processes (imports included: the pipeline
extracts many uncached articles in worker processes), which other load on a shared machine
disturbs less than wall time. "peak MB" is the larger ``ru_maxrss`` of the measured process
over the two runs; "with workers" the largest sum of its and its workers' memory (``Pss``, so
pages shared after the fork count once), sampled every 0.2 s for the first 10 s, then every
second (reading the memory of a large process tree costs CPU the run needs). "cold growth /
10x" is how much the cold time grew for ten times the articles (10 is linear, 100 quadratic).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STAGES = ("ingest", "extract", "merge", "render")
SAMPLE_QUICKLY_FOR = 10.0  # seconds of a run in which its memory is sampled every 0.2 s
SAMPLE_EVERY = 1.0  # seconds between samples after that


# --- the measured process --------------------------------------------------------------------


def time_stages(stages: dict[str, float]) -> None:
    """From now on, add the seconds the pipeline spends in ingest, extract and merge to
    ``stages`` (also used by ``bench/pathological.py``)."""
    import summarizer.pipeline as pipeline

    def timed(stage: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[stage] += time.perf_counter() - t0

        return wrapper

    # brief() reads the inputs through ``_load`` where it exists (else ``load``): wrap that one.
    loader = "_load" if hasattr(pipeline.Summarizer, "_load") else "load"
    setattr(pipeline.Summarizer, loader, timed("ingest", getattr(pipeline.Summarizer, loader)))
    pipeline.Summarizer.extract_all = timed("extract", pipeline.Summarizer.extract_all)  # type: ignore[method-assign]
    pipeline.merge = timed("merge", pipeline.merge)  # type: ignore[attr-defined]
    if hasattr(pipeline.Summarizer, "_map_articles"):
        # The rules map each article whole (segment, extract, profile) in worker processes,
        # after the parent reads the files (``load_raw``): "ingest" is that reading, and
        # "extract" the rest of ``_map_articles``.
        def reading(*args: Any, **kwargs: Any) -> Any:
            items = load_raw(*args, **kwargs)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    stages["ingest"] += time.perf_counter() - t0
                yield item

        def mapping(*args: Any, **kwargs: Any) -> Any:
            t0, read0 = time.perf_counter(), stages["ingest"]
            try:
                return map_articles(*args, **kwargs)
            finally:
                read = stages["ingest"] - read0
                stages["extract"] += time.perf_counter() - t0 - read

        load_raw, map_articles = pipeline.load_raw, pipeline.Summarizer._map_articles
        pipeline.load_raw = reading  # type: ignore[attr-defined]
        pipeline.Summarizer._map_articles = mapping  # type: ignore[method-assign]


def child(folder: Path, cache_dir: Path, profile: Path | None) -> None:
    """One measurement: brief ``folder`` with the rules backend; print a JSON line."""
    started = time.perf_counter()
    import summarizer.pipeline  # its import is counted in the import time
    from summarizer import Summarizer
    from summarizer.render import render

    imported = time.perf_counter() - started
    stages: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    time_stages(stages)

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        # Worker processes are forked from here: they must not inherit the profiler (it
        # would slow extraction several times and profile nothing that is written out).
        os.register_at_fork(after_in_child=profiler.disable)
        profiler.enable()
    t0 = time.perf_counter()
    summarizer = Summarizer(backend="rules", cache_dir=cache_dir)
    briefing = summarizer.brief([folder])
    t1 = time.perf_counter()
    markdown = render(briefing, "md")
    t2 = time.perf_counter()
    summarizer.close()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    stages["render"] = t2 - t1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once joined
    ok = sum(1 for a in briefing.articles if a.status == "ok")
    events = {Path(a.path).stem.split("_e")[-1] for a in briefing.articles}
    print(
        json.dumps(
            {
                "seconds": t2 - t0,
                "build": build(),
                "brief_seconds": t1 - t0,
                "import_seconds": imported,
                "stages": stages,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
                "peak_mb": usage.ru_maxrss * 1024 / 1e6,  # ru_maxrss is in KiB; MB = 10^6 B
                "worker_peak_mb": workers.ru_maxrss * 1024 / 1e6,
                "events": len(events),
                "articles_ok": ok,
                "articles_failed": len(briefing.articles) - ok,
                "stories": len(briefing.stories),
                "quotes": len(briefing.quotes),
                "casualty_rows": len(briefing.casualties),
                "stances": len(briefing.stances),
                "markdown_chars": len(markdown),
                # The same brief before and after a change: compare these across runs (the
                # generated folder's own name, a new temp dir each time, left out).
                "markdown_sha256": hashlib.sha256(
                    markdown.replace(str(folder), "<folder>").encode()
                ).hexdigest()[:16],
            }
        )
    )


# --- the driver ------------------------------------------------------------------------------


def _tree_memory_mb(root: int) -> float:
    """Memory of ``root`` and every process under it (worker processes), in MB: the sum of
    their proportional set sizes (``Pss``: pages shared after a fork count once in all), or of
    their resident sizes where ``smaps_rollup`` cannot be read."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    total = 0
    for pid in parents:
        walk = pid
        while walk > 1 and walk != root:
            walk = parents.get(walk, 0)
        if walk != root:
            continue
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            pss = next(line for line in rollup.splitlines() if line.startswith("Pss:"))
            total += int(pss.split()[1]) * 1024
        except (OSError, StopIteration):
            with contextlib.suppress(OSError):
                pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                total += pages * os.sysconf("SC_PAGE_SIZE")
    return total / 1e6


def measure(
    folder: Path, cache_dir: Path, timeout: float, profile: Path | None
) -> dict[str, Any] | None:
    """Run one measurement in a fresh process; None when it hit ``timeout``.

    While it runs, the resident memory of the process and of any worker processes it starts
    is sampled (``_tree_memory_mb``): ``tree_peak_mb`` is the largest sum seen. Every 0.2 s for
    the first ``SAMPLE_QUICKLY_FOR`` seconds (small runs), then every ``SAMPLE_EVERY``: each
    sample reads every process's page tables, and at 100,000 articles sampling five times a
    second took about a fifth of a CPU from the run it measured; a large run's peak lasts for
    seconds (merge holds it), so a sample a second still sees it.
    """
    command = [sys.executable, __file__, "--child", str(folder), str(cache_dir)]
    if profile is not None:
        command += ["--profile-to", str(profile)]
    started = time.perf_counter()
    load_before = _load_average()
    peak = 0.0
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        subprocess.Popen(command, stdout=out, stderr=err, text=True) as process,
    ):
        while process.poll() is None:
            if time.perf_counter() - started > timeout:
                process.kill()
                process.wait()
                return None
            peak = max(peak, _tree_memory_mb(process.pid))
            young = time.perf_counter() - started < SAMPLE_QUICKLY_FOR
            time.sleep(0.2 if young else SAMPLE_EVERY)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.stderr.write(err.read())
            raise SystemExit(f"the measured process failed (exit {process.returncode})")
        result: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    result["load_average"] = (load_before, _load_average())
    result["tree_peak_mb"] = max(peak, result["peak_mb"])
    return result


def _load_average() -> float:
    """The 1-minute load average: on a shared machine, what else was running."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def growth(rows: list[dict[str, Any]], index: int) -> str:
    """Cold-time growth for 10x the articles, from the previous row."""
    if index == 0:
        return "—"
    a, b = rows[index - 1], rows[index]
    if a["cold"] is None or b["cold"] is None:
        return "?"
    ratio = b["n"] / a["n"]
    factor = (b["cold"]["seconds"] / a["cold"]["seconds"]) ** (1 / math.log10(ratio))
    return f"{factor:.1f}×"


def load_cell(run: dict[str, Any]) -> str:
    """The higher of the load averages at the start and the end of a run."""
    return f"{max(run['load_average']):.1f}"


def stage_cell(run: dict[str, Any] | None) -> str:
    if run is None:
        return "—"
    return " / ".join(f"{run['stages'][s]:.1f}" for s in STAGES)


def seconds_cell(run: dict[str, Any] | None, timeout: float) -> str:
    return f"> {timeout:.0f} (stopped)" if run is None else f"{run['seconds']:.1f}"


def table(rows: list[dict[str, Any]], timeout: float) -> str:
    lines = [
        "| articles | MB of text | events | stories found | cold s | cold CPU s | warm s "
        "| peak MB | peak MB, with workers | cold growth / 10x "
        "| cold: ingest / extract / merge / render s | warm: ingest / extract / merge / render s "
        "| load average (cold, warm) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for i, row in enumerate(rows):
        runs = [r for r in (row["cold"], row["warm"]) if r is not None]
        peak = max((r["peak_mb"] for r in runs), default=None)
        tree = max((r["tree_peak_mb"] for r in runs), default=None)
        stories = runs[0]["stories"] if runs else "—"
        events = runs[0]["events"] if runs else "—"
        cold = row["cold"]
        cpu = f"{cold['cpu_seconds'] + cold['worker_cpu_seconds']:.1f}" if cold else "—"
        lines.append(
            f"| {row['n']:,} | {row['mb']:.1f} | {events} | {stories} "
            f"| {seconds_cell(cold, timeout)} | {cpu} "
            f"| {seconds_cell(row['warm'], timeout)} "
            f"| {'—' if peak is None else f'{peak:.0f}'} "
            f"| {'—' if tree is None else f'{tree:.0f}'} | {growth(rows, i)} "
            f"| {stage_cell(cold)} | {stage_cell(row['warm'])} "
            f"| {', '.join(load_cell(r) for r in runs)} |"
        )
    return "\n".join(lines)


def build() -> str:
    """Which build of the package this interpreter runs: the rules compiled by mypyc
    (``SUMMARIZER_MYPYC=1 pip install .``) or pure Python."""
    import importlib

    entities = importlib.import_module("summarizer.extract.rules.entities")
    return "rules compiled (mypyc)" if str(entities.__file__).endswith(".so") else "pure Python"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    total = next((line.split()[1] for line in memory.splitlines() if line.startswith("Mem:")), "?")
    load = Path("/proc/loadavg").read_text().split()[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {total} RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {build()}; load average {load} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument(
        "--100k",
        dest="hundred_k",
        action="store_true",
        help="also 100,000 articles (the issue's target: within 10 minutes and 2 GB)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--profile", action="store_true", help="write cProfile stats per run")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    parser.add_argument("--seed", type=int, default=20251213)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.profile_to)
        return

    from generate import generate

    if args.hundred_k and 100_000 not in args.counts:
        args.counts.append(100_000)
    print(machine(), file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix="summarizer-scale-"))
    rows: list[dict[str, Any]] = []
    try:
        for n in args.counts:
            folder = root / f"articles-{n}"
            t0 = time.perf_counter()
            paths = generate(n, folder, args.seed)
            mb = sum(p.stat().st_size for p in paths) / 1e6
            print(
                f"{n:,} articles ({mb:.1f} MB) generated in {time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
            )
            cache_dir = root / f"cache-{n}"
            row: dict[str, Any] = {"n": n, "mb": mb}
            for phase in ("cold", "warm"):
                profile = root / f"profile-{n}-{phase}.prof" if args.profile else None
                run = measure(folder, cache_dir, args.timeout, profile)
                row[phase] = run
                if run is None:
                    print(f"  {phase}: stopped after {args.timeout:.0f} s", file=sys.stderr)
                else:
                    print(
                        f"  {phase}: {run['seconds']:.1f} s (stages {stage_cell(run)}; "
                        f"imports {run['import_seconds']:.1f} s), peak {run['peak_mb']:.0f} MB "
                        f"({run['tree_peak_mb']:.0f} MB with workers), "
                        f"{run['stories']} stories, {run['quotes']} quotes, "
                        f"{run['casualty_rows']} casualty rows, brief {run['markdown_sha256']}; "
                        f"load average "
                        f"{run['load_average'][0]:.1f} -> {run['load_average'][1]:.1f}"
                        + (f"; profile {profile}" if profile else ""),
                        file=sys.stderr,
                    )
                if run is None and phase == "cold":
                    row["warm"] = None
                    break
            rows.append(row)
            if row["cold"] is None:
                break
        print(table(rows, args.timeout))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2))
    finally:
        if args.keep or args.profile:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
