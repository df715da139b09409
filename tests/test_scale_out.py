"""The hooks for running past one machine: a caller's executor runs extraction, and a caller's
store (shared by machines in real use) replaces the on-disk cache."""

from __future__ import annotations

import shelve
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.cache import Store
from summarizer.errors import ConfigError
from summarizer.extract.rules import RulesBackend
from summarizer.models import Article, ArticleExtraction


class ShelfStore:
    """A store on a ``shelve`` file: what a Redis or object-store adapter looks like."""

    def __init__(self, path: Path) -> None:
        self.shelf = shelve.open(str(path))  # noqa: SIM115 - closed by the test
        self.lock = threading.Lock()
        self.sets = 0

    def get(self, key: str) -> Any:
        with self.lock:
            return self.shelf.get(key)

    def set(self, key: str, value: str) -> None:
        with self.lock:
            self.shelf[key] = value
            self.sets += 1

    def delete(self, key: str) -> None:
        with self.lock:
            self.shelf.pop(key, None)


class CountingRules(RulesBackend):
    """The rules backend, counting the articles it is asked to extract and on which threads."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.threads: set[str] = set()

    def extract(self, article: Article) -> ArticleExtraction:
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        return super().extract(article)


def test_a_callers_executor_and_store_do_the_work(tmp_path: Path, articles_dir: Path) -> None:
    store = ShelfStore(tmp_path / "shared-cache")
    assert isinstance(store, Store)
    reference = Summarizer(backend="rules", use_cache=False).brief([articles_dir])
    backend = CountingRules()
    with ThreadPoolExecutor(2, thread_name_prefix="remote") as pool:
        with Summarizer(backend=backend, executor=pool, store=store) as s:
            first = s.brief([articles_dir])
        assert backend.calls == len(reference.articles)
        assert backend.threads and all(t.startswith("remote") for t in backend.threads)
        assert store.sets == len(reference.articles)
        # A second machine sharing the store computes nothing.
        again = CountingRules()
        with Summarizer(backend=again, executor=pool, store=store) as s:
            second = s.brief([articles_dir])
        assert again.calls == 0
    assert first.model_dump() == second.model_dump() == reference.model_dump()
    assert not (tmp_path / "cache").exists()  # the on-disk cache was never made
    store.shelf.close()


def test_statistics_are_for_the_on_disk_cache(tmp_path: Path) -> None:
    store = ShelfStore(tmp_path / "shared-cache")
    with Summarizer(backend="rules", store=store) as s, pytest.raises(ConfigError):
        s.cache.stats()
    store.shelf.close()


def _many_generated(folder: Path, count: int) -> Path:
    from .test_cache import generated_article

    folder.mkdir()
    for n in range(count):
        (folder / f"g{n:02d}.txt").write_text(generated_article(n), encoding="utf-8")
    return folder


@pytest.mark.parametrize("hold", [True, False])
def test_a_large_run_merged_in_other_processes_briefs_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hold: bool
) -> None:
    """A large run scores its candidate pairs in processes forked from the parent
    (``stories.PairScoring``) and merges a share of its stories in another process: forked
    with the articles held as models made when asked (``_Made``), a fresh interpreter sent
    each part's own inputs when they are kept compressed (``_Stored``, ``merge.Portable``).
    The brief is the one merged in one process, and every part was merged by the worker."""
    import summarizer.merge as merge
    from summarizer._fresh import FreshExecutor
    from summarizer.merge import forked, stories

    from .conftest import ARTICLES

    paths = [ARTICLES, _many_generated(tmp_path / "many", 12)]
    alone = Summarizer(backend="rules", use_cache=False).brief(paths)
    monkeypatch.setattr(merge, "PARALLEL_STORIES_FROM", 2)
    monkeypatch.setattr(stories, "PARALLEL_PAIRS_FROM", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    pools: list[object] = []
    make_pool = forked.pool

    def pool(*args: Any) -> object:
        pools.append(make_pool(*args))
        return pools[-1]

    sent: list[Future[bytes]] = []

    class Fresh(FreshExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            sent.append(super().submit(fn, *args, **kwargs))
            return sent[-1]

    monkeypatch.setattr(forked, "pool", pool)
    monkeypatch.setattr(merge, "FreshExecutor", Fresh)
    if not hold:  # a large run's: its first pass waits for the pairs, too
        monkeypatch.setattr(merge, "WAIT_FOR_PAIRS_FROM", 2)
    with Summarizer(backend="rules", use_cache=False) as s:
        if not hold:
            s.hold_models_below = 0
        shared = s.brief(paths)
    assert None not in pools
    assert len(pools) == (2 if hold else 1)  # the pairs' workers (and the stories' forked one)
    assert (sent == []) == hold
    assert all(f.done() and f.exception() is None for f in sent)
    assert shared.model_dump_json() == alone.model_dump_json()


def test_stories_a_worker_could_not_merge_are_merged_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story worker that dies (killed here before its first part) costs nothing: every
    part it was sent is merged in the parent, to the same brief."""
    import summarizer.merge as merge
    from summarizer._fresh import FreshExecutor

    from .conftest import ARTICLES

    paths = [ARTICLES, _many_generated(tmp_path / "many", 12)]
    alone = Summarizer(backend="rules", use_cache=False).brief(paths)
    killed: list[FreshExecutor] = []

    class Dying(FreshExecutor):
        def __init__(self) -> None:
            super().__init__()
            self._process.kill()
            killed.append(self)

    monkeypatch.setattr(merge, "PARALLEL_STORIES_FROM", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(merge, "FreshExecutor", Dying)
    with Summarizer(backend="rules", use_cache=False) as s:
        s.hold_models_below = 0
        briefing = s.brief(paths)
    assert len(killed) == 1
    assert briefing.model_dump_json() == alone.model_dump_json()


def test_a_large_run_keeps_articles_as_json_and_briefs_the_same(tmp_path: Path) -> None:
    """From ``hold_models_below`` articles on, each article and extraction is kept as the JSON
    its worker process sent and made again when merge reads its story: the brief, and the
    review page's texts, are those of a run that holds every article as models; cold and
    warm alike (the second run reads the cache in the workers)."""
    from .conftest import ARTICLES
    from .test_cache import generated_article

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):  # past parallel_threshold: the articles go to worker processes
        (folder / f"g{n:02d}.txt").write_text(generated_article(n), encoding="utf-8")
    (folder / "g00-again.txt").write_text(generated_article(0), encoding="utf-8")
    paths = [ARTICLES, folder]
    held = Summarizer(backend="rules", use_cache=False).review(paths)
    for _ in range(2):  # cold, then warm
        with Summarizer(backend="rules", cache_dir=tmp_path / "cache") as s:
            s.hold_models_below = 0
            briefing, texts = s.review(paths)
        assert briefing.model_dump() == held[0].model_dump()
        assert texts == held[1]
    # the same text under two names is kept once (the first in folder order)
    assert [r.also_paths for r in briefing.articles if r.also_paths] == [[str(folder / "g00.txt")]]


def test_a_large_run_tells_a_read_of_what_it_let_go_of_as_a_bug() -> None:
    """A large run lets go of each article, extraction and profile once its story is merged
    (``merge.Releasing``); reading one again is a bug of ours, and says so (``InternalError``,
    which the CLI reports as one) rather than failing somewhere on a None."""
    from summarizer import merge
    from summarizer.errors import InternalError
    from summarizer.merge.stories import profile
    from summarizer.pipeline import _Kept

    from .conftest import ARTICLES

    article = Summarizer(backend="rules", use_cache=False).load([ARTICLES])[0][0]
    kept = _Kept(hold=False)
    kept.add(b"", b"", profile(article))
    profiles, articles = kept.profiles(), kept.articles()
    assert profiles[0].terms  # read while held
    for released in (profiles, articles):
        assert isinstance(released, merge.Releasing)
        released.release(0)
    with pytest.raises(InternalError, match="let go"):
        profiles[0].terms  # noqa: B018 - the read is the test
    with pytest.raises(InternalError, match="let go"):
        articles[0]


def test_a_map_worker_scans_its_youngest_objects_less_often() -> None:
    """``worker_start`` (run first in each map worker) freezes what the worker inherits and
    raises the collector's first threshold; the process that starts workers keeps its own."""
    import gc
    import multiprocessing
    import os

    from summarizer._workers import WORKER_GC_YOUNG, worker_start

    before = gc.get_threshold()
    with multiprocessing.get_context("fork").Pool(
        1, initializer=worker_start, initargs=(os.getpid(),)
    ) as pool:
        threshold, frozen = pool.apply(_collector_settings)
    assert threshold == (WORKER_GC_YOUNG, *before[1:]) and frozen > 0
    assert gc.get_threshold() == before


def _collector_settings() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_the_map_workers_are_forked_before_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The map's worker processes are forked as soon as ``parallel_threshold`` articles wait
    to be mapped, not once every file is read: a worker forked later would keep a copy of
    every text the parent lets go of as it is mapped. A warm run forks none."""
    folder = _many_generated(tmp_path / "many", 60)
    read: list[int] = []
    forked_after: list[int] = []
    inputs, pool = Summarizer._inputs, Summarizer._pool

    def counted(self: Summarizer, loaded: Any) -> Any:
        for item in inputs(self, loaded):
            read.append(1)
            yield item

    def noted(stack: Any) -> Any:
        forked_after.append(len(read))
        return pool(stack)

    monkeypatch.setattr(Summarizer, "_inputs", counted)
    monkeypatch.setattr(Summarizer, "_pool", staticmethod(noted))
    cold = Summarizer(backend="rules", cache_dir=tmp_path / "cache")
    briefing = cold.brief(folder)
    assert forked_after == [cold.parallel_threshold] and len(read) == 60
    assert Summarizer(backend="rules", cache_dir=tmp_path / "cache").brief(folder) == briefing
    assert forked_after == [cold.parallel_threshold]  # the warm run forked nothing
