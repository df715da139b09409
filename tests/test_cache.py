"""The extraction cache: shared by processes, robust to damage, keyed by what changes answers.

- Two ``summarizer brief`` processes at once over one ``--cache-dir`` (the seeds plus ~50
  generated articles) both succeed with the brief a single process makes, leave one entry per
  distinct article, and a third run is served from the cache alone: no extraction, every
  lookup a hit in diskcache's own statistics.
- A corrupted entry is ignored with a warning, recomputed, and replaced.
- An unusable cache dir is a ConfigError (CLI: exit 1, one line with the fix), by decision:
  see the docstring of ``summarizer/cache.py``.
- ``cache_key`` changes with the prompt template, the model, the backend, the rules' code and
  the article's text, and not with the file name.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest
from typer.testing import CliRunner

import summarizer.cache
import summarizer.ingest
from summarizer.cache import MAPPED_DIR, ExtractionCache, cache_key
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.extract import llm_prompt
from summarizer.extract.llm import LLMBackend
from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.models import Article, ArticleExtraction
from summarizer.pipeline import Summarizer
from summarizer.render import render

from .conftest import ARTICLES

runner = CliRunner()


# --- articles ---------------------------------------------------------------------------------

PEOPLE = [
    ("Amina Diallo", "the interior minister"),
    ("Pieter van der Berg", "the army spokesman"),
    ("Laila Haddad", "the provincial governor"),
    ("Kenji Watanabe", "the UN envoy"),
    ("Sofia Marchetti", "the foreign minister"),
    ("Omar Farouk", "a local commander"),
    ("Grace Okafor", "the health minister"),
    ("Tomás Herrera", "the mayor"),
]
PLACES = ["Kessara", "Dunmore", "Valbruna", "Tiranok", "Mersa Alam", "Ostrava", "Lindholm"]
EVENTS = ["a roadside bomb", "an air strike", "a mortar attack", "a flood", "a bridge collapse"]
GROUPS = ["soldiers", "civilians", "police officers", "aid workers", "villagers"]
NUMBERS = ["two", "three", "four", "five", "7", "12", "18", "23", "41"]
OUTLETS = ["Wire Daily", "The Ledger", "Morning Post", "Radio Levant"]


def generated_article(n: int) -> str:
    """A short news article, varied by ``n``: names, numbers, quote marks, attributions."""
    rng = random.Random(n)
    (speaker, role), (other, other_role) = rng.sample(PEOPLE, 2)
    place, event, group = rng.choice(PLACES), rng.choice(EVENTS), rng.choice(GROUPS)
    killed, wounded = rng.sample(NUMBERS, 2)
    open_, close = rng.choice([('"', '"'), ("“", "”")])
    said = rng.choice(
        [
            f"{open_}We will rebuild {place} within a year,{close} {speaker} said.",
            f"{open_}We will rebuild {place} within a year,{close} said {speaker}, {role}.",
            f"{speaker}, {role}, said: {open_}We will rebuild {place} within a year.{close}",
        ]
    )
    lines = [
        f"{event.capitalize()} in {place} leaves {killed} dead (report {n})",
        "",
        f"{event.capitalize()} killed {killed} {group} and wounded {wounded} others in {place} "
        f"on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, officials said.",
        said,
        f"According to {other}, {other_role}, the toll could rise as rescuers search the area.",
        f"{other} called for an independent inquiry into {event} number {n}.",
        f"{open_}Nobody was warned,{close} a resident told {rng.choice(OUTLETS)}.",
    ]
    if n % 3 == 0:
        lines.append(f"The government of {speaker} wants talks with the opposition to resume.")
    if n % 4 == 0:
        lines.append(f"Earlier reports had put the number of wounded at {n + 30}.")
    return "\n".join(lines) + "\n"


GENERATED = 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~50 generated articles (one of them also under a second name) in .txt and .json."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(GENERATED):
        text = generated_article(n)
        if n % 10 == 9:
            (folder / f"gen_{n:02d}.json").write_text(
                json.dumps({"text": text, "source": OUTLETS[n % 4]}), encoding="utf-8"
            )
        else:
            (folder / f"gen_{n:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "gen_00_copy.txt").write_text(generated_article(0), encoding="utf-8")
    return folder


def counting(backend: Any) -> list[str]:
    """Wrap ``backend.extract`` so every call is recorded (the article id)."""
    calls: list[str] = []
    extract = backend.extract

    def counted(article: Article) -> ArticleExtraction:
        calls.append(article.id)
        result: ArticleExtraction = extract(article)
        return result

    backend.extract = counted
    return calls


@pytest.fixture
def summarizer_at(tmp_path: Path) -> Iterator[Callable[..., Summarizer]]:
    made: list[Summarizer] = []

    def make(cache_dir: Path, **settings: Any) -> Summarizer:
        one = Summarizer(backend="rules", cache_dir=cache_dir, **settings)
        made.append(one)
        return one

    yield make
    for one in made:
        one.close()


# --- (a) two processes at once ----------------------------------------------------------------


def test_two_processes_share_one_cache(
    corpus: Path, tmp_path: Path, summarizer_at: Callable[..., Summarizer]
) -> None:
    cache_dir = tmp_path / "shared-cache"
    paths = [str(ARTICLES), str(corpus)]

    reference = Summarizer(backend="rules", use_cache=False)
    articles, _, duplicates = reference.load(paths)
    expected = render(reference.brief(paths), "json")
    assert len(articles) == 5 + GENERATED and sum(map(len, duplicates.values())) == 1

    outputs = [tmp_path / "first.json", tmp_path / "second.json"]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "summarizer",
                "brief",
                *paths,
                "-f",
                "json",
                "-o",
                str(out),
                "--cache-dir",
                str(cache_dir),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for out in outputs
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr.decode()
        assert b"warning" not in stderr.lower(), stderr.decode()
    for out in outputs:
        assert out.read_text(encoding="utf-8") == expected

    with diskcache.Cache(str(cache_dir)) as store:
        assert set(store.iterkeys()) == {cache_key(a, reference.backend) for a in articles}
        assert len(store) == len(articles)

    # A third run takes each file's whole map from the cache (``mapped/``): no extraction
    # is read, none computed.
    stores = (str(cache_dir), str(cache_dir / MAPPED_DIR))
    for where in stores:
        with diskcache.Cache(where) as store:
            store.stats(enable=True, reset=True)  # a setting in the database: every handle counts
    third = summarizer_at(cache_dir)
    calls = counting(third.backend)
    assert render(third.brief(paths), "json") == expected
    assert calls == []
    with diskcache.Cache(stores[0]) as extractions, diskcache.Cache(stores[1]) as mapped:
        assert extractions.stats() == (0, 0)  # (hits, misses)
        assert mapped.stats() == (len(articles), 0)


# --- (b) a corrupted entry --------------------------------------------------------------------

SEED = ARTICLES / "001_f19cc20113312dd6.txt"


def _unpicklable(store: diskcache.Cache, key: str) -> None:
    """Damage below diskcache: the row claims a pickle and holds garbage."""
    store.set(key, {"a": "pickled dict"})  # stored as a pickle (mode 4)
    with sqlite3.connect(Path(store.directory) / "cache.db") as db:
        db.execute("UPDATE Cache SET value = ? WHERE key = ?", (b"\x80\x05garbage", key))
    db.close()


CORRUPTIONS: dict[str, Callable[[diskcache.Cache, str], None]] = {
    "garbage bytes": lambda store, key: store.set(key, b"\x00\xff\xfe garbage \x81"),
    "not JSON": lambda store, key: store.set(key, "{ this is not json"),
    "JSON of another shape": lambda store, key: store.set(key, json.dumps({"article_id": 1})),
    "a pickled object": lambda store, key: store.set(key, {"quotes": []}),
    "an unreadable pickle": _unpicklable,
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_entry_is_recomputed_and_replaced(
    corruption: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    summarizer_at: Callable[..., Summarizer],
) -> None:
    cache_dir = tmp_path / "cache"
    first = summarizer_at(cache_dir)
    good = first.extract(SEED)
    (article,) = first.load([SEED])[0]
    key = cache_key(article, first.backend)
    with diskcache.Cache(str(cache_dir)) as store:
        assert store.get(key) == good.model_dump_json()
        CORRUPTIONS[corruption](store, key)

    second = summarizer_at(cache_dir)
    calls = counting(second.backend)
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        again = second.extract(SEED)
    assert again == good
    assert calls == [article.id]  # recomputed once
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert article.id in warning.getMessage() and "recomputing" in warning.getMessage()
    with diskcache.Cache(str(cache_dir)) as store:
        assert store.get(key) == good.model_dump_json()  # replaced by the recomputed answer
        assert len(store) == 1

    caplog.clear()
    assert second.extract(SEED) == good  # and now served, quietly
    assert calls == [article.id] and not caplog.records


# --- (c) an unusable cache dir ----------------------------------------------------------------


def _a_file(tmp_path: Path) -> Path:
    path = tmp_path / "not-a-folder"
    path.write_text("I am a file\n")
    return path


def _under_a_file(tmp_path: Path) -> Path:
    return _a_file(tmp_path) / "cache"


def _a_damaged_database(tmp_path: Path) -> Path:
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "cache.db").write_bytes(b"this is not an SQLite database" * 200)
    return folder


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_a_file, "it is a file, not a folder"),
        (_under_a_file, "not-a-folder is a file, not a folder"),
        (_a_damaged_database, "file is not a database); if it is damaged, delete the folder"),
    ],
    ids=["a file", "under a file", "a damaged database"],
)
def test_an_unusable_cache_dir_is_a_clear_config_error(
    make: Callable[[Path], Path], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = make(tmp_path)
    fix = "pass --cache-dir DIR, set SUMMARIZER_CACHE_DIR, or use --no-cache"

    with pytest.raises(ConfigError, match="cannot use cache dir") as error:
        Summarizer(backend="rules", cache_dir=bad)
    assert says in str(error.value) and str(bad) in str(error.value)

    for args in (["brief", str(ARTICLES), "--cache-dir", str(bad)], ["cache", "stats"]):
        monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(bad))
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        line = " ".join(result.stderr.split())
        assert line.startswith("error: cannot use cache dir") and fix in line, line
        assert says in line and "Traceback" not in result.stderr

    fixed = runner.invoke(app, ["brief", str(ARTICLES), "--cache-dir", str(bad), "--no-cache"])
    assert fixed.exit_code == 0 and fixed.stdout.startswith("# Morning brief")


def test_a_new_cache_dir_is_made_on_first_use_only(
    tmp_path: Path, summarizer_at: Callable[..., Summarizer]
) -> None:
    """So a Summarizer that is made and not used (or a brief of the folder holding the
    cache) leaves no cache folder behind to be read as input."""
    cache_dir = tmp_path / "a" / "b" / "cache"
    made = summarizer_at(cache_dir)
    assert not (tmp_path / "a").exists()
    made.extract(SEED)
    assert (cache_dir / "cache.db").is_file()


def test_a_disabled_cache_never_touches_the_dir(tmp_path: Path) -> None:
    bad = _a_file(tmp_path)
    cache = ExtractionCache(bad, enabled=False)
    article = parse(RawArticle(id="a", path="a.txt", text="Plain text.\n"))
    assert cache.get(article, RulesBackend()) is None
    cache.put(article, RulesBackend(), RulesBackend().extract(article))
    assert bad.read_text() == "I am a file\n"


# --- (d) the key ------------------------------------------------------------------------------

TEXT = ARTICLES.joinpath("000_3cb23ebe5b83888e.txt").read_text(encoding="utf-8")


def _article(text: str = TEXT, name: str = "one") -> Article:
    return parse(RawArticle(id=name, path=f"{name}.txt", text=text))


def _llm(**settings: Any) -> LLMBackend:
    values = {"backend": "llm", "base_url": "http://127.0.0.1:9/v1", "model": "m", **settings}
    return LLMBackend(Settings(**values), rules=RulesBackend())


def test_the_key_ignores_the_file_name_only() -> None:
    article = _article()
    rules = RulesBackend()
    assert cache_key(article, rules) == cache_key(_article(name="other-name"), rules)
    assert cache_key(article, rules) == cache_key(_article(), RulesBackend())  # deterministic
    edited = TEXT.replace("Barrack", "Barrak", 1)
    assert edited != TEXT
    assert cache_key(_article(edited), rules) != cache_key(article, rules)
    assert cache_key(_article(TEXT + "\n"), rules) != cache_key(article, rules)


def test_the_key_changes_with_the_backend_and_model() -> None:
    article = _article()
    keys = {
        cache_key(article, RulesBackend()),
        cache_key(article, _llm()),
        cache_key(article, _llm(model="other-model")),
        cache_key(article, _llm(temperature=0.7)),
        cache_key(article, _llm(mode="json")),
    }
    assert len(keys) == 5
    assert cache_key(article, _llm()) == cache_key(article, _llm(timeout=5.0, max_attempts=1))


def test_the_key_changes_with_the_prompt_template(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _article()
    before = cache_key(article, _llm())
    original = llm_prompt.template_bytes

    def edited(name: str) -> bytes:
        return original(name) + b"\n{# one more instruction #}\n"

    monkeypatch.setattr(llm_prompt, "template_bytes", edited)
    assert cache_key(article, _llm()) != before
    monkeypatch.setattr(llm_prompt, "template_bytes", original)
    assert cache_key(article, _llm()) == before


def test_the_key_changes_with_the_rules_code(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _article()
    before = cache_key(article, RulesBackend())
    read_bytes = Path.read_bytes

    def edited_rules(path: Path) -> bytes:
        data = read_bytes(path)
        if path.parent.name == "rules" and path.name == "quotes.py":
            return data + b"\n# a rule edited\n"
        return data

    monkeypatch.setattr(Path, "read_bytes", edited_rules)
    assert cache_key(article, RulesBackend()) != before
    # The llm backend falls back to the rules, so their code is in its key too.
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    llm_before = cache_key(article, _llm())
    monkeypatch.setattr(Path, "read_bytes", edited_rules)
    assert cache_key(article, _llm()) != llm_before


def test_the_key_changes_with_the_package_version(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _article()
    before = cache_key(article, RulesBackend())
    monkeypatch.setattr(summarizer.cache, "__version__", "999.0")
    assert cache_key(article, RulesBackend()) != before


def test_the_same_text_under_another_name_is_served_from_the_cache(
    tmp_path: Path, summarizer_at: Callable[..., Summarizer]
) -> None:
    first, second = tmp_path / "monday.txt", tmp_path / "copy-of-monday.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text(TEXT, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    made = summarizer_at(cache_dir).extract(first)

    again = summarizer_at(cache_dir)
    calls = counting(again.backend)
    served = again.extract(second)
    assert calls == []
    assert served.article_id == "copy-of-monday.txt" != made.article_id
    assert served.model_copy(update={"article_id": made.article_id}) == made


# --- parsed articles: a warm run does not segment unchanged files again ---------------------


def counting_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every real segmentation (``summarizer.ingest.segment.parse``, where load and
    the cache look it up)."""
    calls: list[str] = []

    def counted(raw: RawArticle) -> Article:
        calls.append(raw.id)
        return parse(raw)

    monkeypatch.setattr(summarizer.ingest.segment, "parse", counted)
    return calls


def seed_copies(folder: Path) -> Path:
    """``folder``, made, with a copy of each seed article (for the test to rename and edit)."""
    folder.mkdir()
    for path in sorted(ARTICLES.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_warm_run_does_not_parse_unchanged_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summarizer_at: Callable[..., Summarizer]
) -> None:
    folder = seed_copies(tmp_path / "in")
    parsed = counting_parse(monkeypatch)
    cache_dir = tmp_path / "cache"
    cold = summarizer_at(cache_dir).brief(folder)
    assert sorted(parsed) == sorted(p.name for p in folder.iterdir())
    assert summarizer_at(cache_dir).cache.stats()["mapped"] == len(parsed)  # the whole map

    parsed.clear()
    warm = summarizer_at(cache_dir).brief(folder)
    assert parsed == []  # every article from the cache
    assert warm == cold

    # A renamed file is the same article under its new name; an edited one is parsed again.
    first, second = sorted(folder.iterdir())[:2]
    first.rename(folder / "renamed.txt")
    second.write_text(second.read_text(encoding="utf-8") + "\nA line added later.\n")
    again = summarizer_at(cache_dir).brief(folder)
    assert parsed == [second.name]
    assert "renamed.txt" in {a.id for a in again.articles}

    # ``load`` (and the backends not mapped whole) keep the parsed articles (``parsed/``).
    parsed.clear()
    direct = Summarizer(backend="rules", use_cache=False).load([folder])[0]
    assert summarizer_at(cache_dir).load([folder])[0] == direct
    assert summarizer_at(cache_dir).cache.stats()["parsed"] == len(direct)
    parsed.clear()
    cached = summarizer_at(cache_dir).load([folder])[0]
    assert parsed == []
    assert cached == direct  # ids, paths, text, sentences, spans: as parsed now


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_parsed_article_is_parsed_again(
    corruption: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    summarizer_at: Callable[..., Summarizer],
) -> None:
    cache_dir = tmp_path / "cache"
    (good,) = summarizer_at(cache_dir).load([SEED])[0]
    parsed = counting_parse(monkeypatch)
    with diskcache.Cache(str(cache_dir / summarizer.cache.PARSED_DIR)) as store:
        (key,) = list(store.iterkeys())
        CORRUPTIONS[corruption](store, key)
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        (again,) = summarizer_at(cache_dir).load([SEED])[0]
    assert again == good and parsed == [good.id]
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert good.id in warning.getMessage() and "recomputing" in warning.getMessage()
    with diskcache.Cache(str(cache_dir / summarizer.cache.PARSED_DIR)) as store:
        assert len(store) == 1
        assert Article.model_validate_json(store[key]) == good


def test_the_parsed_key_follows_the_content_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = RawArticle(id="a.txt", path="/x/a.txt", text="Rain fell on Kessara.\n", title="Rain")
    key = summarizer.cache.parse_key(raw)
    assert summarizer.cache.parse_key(RawArticle(**{**vars(raw), "id": "b", "path": "b"})) == key
    assert summarizer.cache.parse_key(RawArticle(**{**vars(raw), "title": "Snow"})) != key
    assert summarizer.cache.parse_key(RawArticle(**{**vars(raw), "text": "Rain.\n"})) != key
    monkeypatch.setattr(summarizer.cache, "_CODE_HASH", "another version of the code")
    assert summarizer.cache.parse_key(raw) != key


# --- each file's whole map: a warm run takes it back, with no worker --------------------------

FOREIGN = (
    "Der Stadtrat von Lindau hat am Montag neue Regeln für den Hafen beschlossen. Die "
    "Sitzung dauerte bis tief in die Nacht, und viele Bürger waren gekommen, um zuzuhören. "
    "Nach langer Debatte stimmte eine knappe Mehrheit der Räte für den Vorschlag der "
    "Verwaltung. Die neuen Gebühren gelten ab dem ersten Tag des kommenden Jahres, sagte "
    "die Sprecherin der Stadt am Dienstag auf Nachfrage.\n"
)


def test_a_warm_run_takes_each_files_map_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summarizer_at: Callable[..., Summarizer]
) -> None:
    folder = seed_copies(tmp_path / "in")
    (folder / "stadtrat.txt").write_text(FOREIGN, encoding="utf-8")  # warned of: not English
    cache_dir = tmp_path / "cache"
    warned: list[str] = []
    cold = summarizer_at(cache_dir, on_warning=warned.append).brief(folder)
    assert any("stadtrat.txt" in w and "English" in w for w in warned)
    with diskcache.Cache(str(cache_dir / MAPPED_DIR)) as store:
        assert len(store) == len(list(folder.iterdir()))

    parsed = counting_parse(monkeypatch)
    warm_warned: list[str] = []
    warm = summarizer_at(cache_dir, on_warning=warm_warned.append)
    calls = counting(warm.backend)
    assert warm.brief(folder) == cold
    assert (parsed, calls, warm_warned) == ([], [], warned)

    # A renamed file is taken back under its new name (its warning too): the brief is the
    # one made without the cache.
    (folder / "stadtrat.txt").rename(folder / "council.txt")
    (folder / "000_3cb23ebe5b83888e.txt").rename(folder / "monday.txt")
    renamed_warned: list[str] = []
    again = summarizer_at(cache_dir, on_warning=renamed_warned.append).brief(folder)
    assert parsed == []
    fresh_warned: list[str] = []
    fresh = Summarizer(backend="rules", use_cache=False, on_warning=fresh_warned.append)
    assert again == fresh.brief(folder)
    assert renamed_warned == fresh_warned
    assert any("council.txt" in w for w in renamed_warned)
    assert not any("stadtrat.txt" in w for w in renamed_warned)


@pytest.mark.parametrize("corruption", [*CORRUPTIONS, "a changed article", "cut short"])
def test_a_corrupted_map_is_made_again_and_replaced(
    corruption: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    summarizer_at: Callable[..., Summarizer],
) -> None:
    cache_dir = tmp_path / "cache"
    good = summarizer_at(cache_dir).brief(SEED)
    with diskcache.Cache(str(cache_dir / MAPPED_DIR)) as store:
        (key,) = list(store.iterkeys())
        record = store[key]
        if corruption == "a changed article":  # valid JSON, but not what was kept
            # checksum (16 bytes) | lengths of head and article (4 each) | head | article | ...
            head, article = struct.unpack_from(">II", record, 16)
            at = 24 + head
            text = zlib.decompress(record[at : at + article]).replace(b'"id":', b'"id": ', 1)
            changed = zlib.compress(text)
            lengths = struct.pack(">II", head, len(changed))
            store.set(key, record[:16] + lengths + record[24:at] + changed + record[at + article :])
        elif corruption == "cut short":
            store.set(key, record[: len(record) // 2])
        else:
            CORRUPTIONS[corruption](store, key)
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        again = summarizer_at(cache_dir).brief(SEED)
    assert again == good
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert SEED.name in warning.getMessage() and "recomputing" in warning.getMessage()
    with diskcache.Cache(str(cache_dir / MAPPED_DIR)) as store:
        assert store[key] == record  # replaced by the map made again


def _many(folder: Path, count: int = 60) -> Path:
    """``folder``, made, with ``count`` generated articles (past ``parallel_threshold``: they
    are mapped in worker processes)."""
    folder.mkdir()
    for n in range(count):
        (folder / f"g{n:02d}.txt").write_text(generated_article(n), encoding="utf-8")
    return folder


def test_every_map_and_extraction_mapped_in_workers_is_kept(
    tmp_path: Path, summarizer_at: Callable[..., Summarizer]
) -> None:
    """The parent writes what its workers mapped, many articles in one transaction: every
    file's map and every distinct article's extraction is in the cache when the brief is
    made, and the next run takes each back without mapping it."""
    folder = _many(tmp_path / "many")
    cache_dir = tmp_path / "cache"
    cold = summarizer_at(cache_dir).brief(folder)
    with (
        diskcache.Cache(str(cache_dir / MAPPED_DIR)) as maps,
        diskcache.Cache(str(cache_dir)) as extractions,
    ):
        assert len(maps) == 60
        articles = Summarizer(backend="rules", use_cache=False).load([folder])[0]
        assert len(extractions) == len({a.sha256 for a in articles})
    warm = summarizer_at(cache_dir)
    calls = counting(warm.backend)
    assert warm.brief(folder) == cold
    assert calls == []


def test_a_cache_that_cannot_be_written_costs_no_article(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    summarizer_at: Callable[..., Summarizer],
) -> None:
    """A write the cache refuses (here: the disk is full) is a warning; the brief is the one
    made without the cache."""
    folder = _many(tmp_path / "many")

    def full(self: diskcache.Cache, key: str, value: object, **kwargs: object) -> bool:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(diskcache.Cache, "set", full)
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        briefing = summarizer_at(tmp_path / "cache").brief(folder)
    assert briefing == Summarizer(backend="rules", use_cache=False).brief(folder)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and all("could not cache" in w and "disk is full" in w for w in warnings)
