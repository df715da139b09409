"""An executor whose one worker is a fresh Python interpreter, not a fork of this process.

A forked worker starts with this process's memory shared, page by page, until either
writes to it, and a process that goes on working (merge, after the map) writes to nearly
every page: the worker comes to hold a copy of the parent's heap. A fresh interpreter holds
only what it imports and what it is sent. It is started as ``sys.executable`` running this
module's ``serve`` (this process's ``sys.path`` as its ``PYTHONPATH``), never by
``multiprocessing``'s "spawn", which would import the caller's main script again in it (a
script without an ``if __name__ == "__main__":`` guard would run twice).

Work goes over the worker's standard input and output as frames (an 8-byte length, then a
pickle): each call ``(function, args)``, each answer ``(True, result)`` or ``(False,
exception)``, one call at a time, in the order submitted. A thread here feeds the worker
while the caller goes on; should the worker die or its pipe break, the call in flight and
every call after it fail with ``BrokenWorker`` (the caller does that work itself). The
worker ends with this process (``end_with``) and when its input is closed (``shutdown``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import IO, Any, ParamSpec, TypeVar

from ._workers import end_with

__all__ = ["BrokenWorker", "FreshExecutor"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_LENGTH = struct.Struct(">Q")
_Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]
SHUTDOWN_SECONDS = 10.0  # how long ``shutdown`` waits for the worker to end before killing it


class BrokenWorker(RuntimeError):
    """The worker ended, or its pipe broke, before answering."""


class FreshExecutor(Executor):
    """One worker process, a fresh interpreter (see the module docstring), started at once
    (so that its imports are done by the time work comes)."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        command = [sys.executable, "-c", f"from {__name__} import serve; serve({os.getpid()})"]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._calls: queue.SimpleQueue[tuple[Future[Any], _Call] | None] = queue.SimpleQueue()
        self._feeding = threading.Thread(target=self._feed, name="fresh-worker", daemon=True)
        self._feeding.start()

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Send ``fn(*args, **kwargs)`` to the worker. They are pickled when their turn comes
        (so that what waits is not copied: only the call in flight is), an error doing so
        the future's."""
        future: Future[_T] = Future()
        self._calls.put((future, (fn, args, kwargs)))
        return future

    def _feed(self) -> None:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        broken: BaseException | None = None
        while (call := self._calls.get()) is not None:
            future, what = call
            if not future.set_running_or_notify_cancel():
                continue
            try:
                payload = pickle.dumps(what, protocol=5)
            except Exception as error:  # noqa: BLE001 - this call's failure, not the worker's
                future.set_exception(error)
                continue
            finally:
                del what, call  # a call's arguments are let go of once sent
            if broken is None:
                try:
                    _write(stdin, payload)
                    ok, answer = pickle.loads(_read(stdout))
                except (OSError, EOFError, ValueError, pickle.UnpicklingError) as error:
                    broken = BrokenWorker(f"the worker process ended ({error})")
            if broken is not None:
                future.set_exception(broken)
            elif ok:
                future.set_result(answer)
            else:
                future.set_exception(answer)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let the worker end once what was submitted is done (with ``cancel_futures``, what
        has not started is cancelled); with ``wait``, wait for that (killing a worker that
        has not ended ``SHUTDOWN_SECONDS`` after its last answer)."""
        if cancel_futures:
            with contextlib.suppress(queue.Empty):
                while (call := self._calls.get_nowait()) is not None:
                    call[0].cancel()
        self._calls.put(None)
        if not wait:
            return
        self._feeding.join()
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


def _write(pipe: IO[bytes], payload: bytes) -> None:
    pipe.write(_LENGTH.pack(len(payload)))
    pipe.write(payload)
    pipe.flush()


def _read(pipe: IO[bytes]) -> bytes:
    """One frame's payload; EOFError when the pipe ends first."""
    head = pipe.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("no answer")
    (size,) = _LENGTH.unpack(head)
    payload = pipe.read(size)
    if len(payload) < size:
        raise EOFError("a cut answer")
    return payload


def serve(parent: int) -> None:
    """The worker: answer each call read from standard input until it ends. What else would
    write to standard output (a print) goes to standard error instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    end_with(parent)
    calls = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    while True:
        try:
            fn, args, kwargs = pickle.loads(_read(calls))
        except EOFError:
            return
        try:
            answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - sent back, raised in the caller
            answer = (False, error)
        try:
            payload = pickle.dumps(answer, protocol=5)
        except Exception as error:  # noqa: BLE001 - an answer that cannot be sent
            payload = pickle.dumps((False, BrokenWorker(f"the answer cannot be sent ({error})")))
        _write(answers, payload)
