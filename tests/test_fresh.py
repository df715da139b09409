"""The fresh-interpreter worker (``summarizer._fresh``) that merges a large run's stories."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from summarizer._fresh import BrokenWorker, FreshExecutor


def test_a_fresh_worker_answers_each_call_in_order_in_another_process() -> None:
    with FreshExecutor() as pool:
        pid = pool.submit(os.getpid)
        sums = [pool.submit(sum, range(n)) for n in range(5)]
        printed = pool.submit(print, "a line that must not reach the answers")
        failed = pool.submit(int, "not a number")
        after = pool.submit(max, 3, 9)
        assert pid.result() not in (os.getpid(), None)
        assert [f.result() for f in sums] == [0, 0, 1, 3, 6]
        assert printed.result() is None
        with pytest.raises(ValueError, match="not a number"):
            failed.result()
        assert after.result() == 9


def test_a_call_that_cannot_be_sent_fails_alone() -> None:
    with FreshExecutor() as pool:
        unsendable = pool.submit(sorted, [lambda: 1])
        with pytest.raises(Exception, match="pickle"):
            unsendable.result()
        assert pool.submit(len, "four").result() == 4


def test_a_worker_that_dies_fails_its_calls_and_does_not_hang() -> None:
    with FreshExecutor() as pool:
        dying = pool.submit(os._exit, 3)
        later = pool.submit(len, "never")
        with pytest.raises(BrokenWorker):
            dying.result(timeout=60)
        with pytest.raises(BrokenWorker):
            later.result(timeout=60)


def test_a_fresh_worker_never_runs_the_callers_script_again(tmp_path: Path) -> None:
    """A caller's script with no ``if __name__ == "__main__":`` guard runs once: the worker is
    a fresh interpreter running the package's own code (multiprocessing's "spawn" would
    import the script again in it, and run it)."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from summarizer._fresh import FreshExecutor

            with open(sys.argv[1], "a") as runs:
                runs.write("ran\\n")
            with FreshExecutor() as pool:
                print(pool.submit(sum, [1, 2, 3]).result())
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), str(marker)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "6"), done.stderr
    assert marker.read_text() == "ran\n"


def test_shutting_down_cancels_what_has_not_started() -> None:
    pool = FreshExecutor()
    busy = pool.submit(time.sleep, 1.0)
    waiting = [pool.submit(len, "never") for _ in range(5)]
    while not (busy.running() or busy.done()):  # taken by the thread that feeds the worker
        time.sleep(0.01)
    pool.shutdown(wait=True, cancel_futures=True)
    assert busy.done() and busy.result() is None  # the call in flight is finished
    assert all(f.cancelled() for f in waiting)
    assert pool._process.returncode == 0
