"""The library entry points (llmx.api) and their settings (llmx.config): bad settings and
arguments fail at once with a clear LlmxError, the sync functions refuse a running event
loop, and the async ones work inside one against tests/fakeserver.py (a synthetic double:
its answers echo llmx's own figure list and are only for transport behaviour, never scored).
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

import llmx
from llmx.model.runtime import Endpoint
import llmx.api
from fakeserver import FakeServer
from llmx import ArgumentError, ConfigError, EmptyDocumentError, LlmxError, RunningLoopError, Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "minhang-2024-summary.txt"
TEXT = """闵行区科学技术委员会2024年工作总结
一、主要目标完成情况
推动各类主体加强研发创新，全社会研发投入266.18亿元，占GDP达8.87%，全市第一；全年技术合同成交额达到367.58亿元，同比增长9.06%；有效期内高新技术企业数超3668家。以项目与平台为抓手，目前建成10个基础研究中心、12个创新联合体。
"""
NOWHERE = Settings(base_url="http://127.0.0.1:9/v1", model="m", cache_dir=None)  # never contacted


def settings_for(server: FakeServer, **overrides) -> Settings:
    base = dict(base_url=server.base_url, model="fake", cache_dir=None, timeout=5.0, max_retries=2, concurrency=4)
    base.update(overrides)
    return Settings(**base)


def grounded(result: llmx.ReportResult, original: str) -> bool:
    return all(original[i.start:i.end] == i.quote for i in result.indicators)


# -- Settings: checked when constructed --------------------------------------------------

BAD = [
    ("base_url", "localhost:8000/v1"), ("base_url", "ftp://example.org/v1"), ("base_url", "http://"),
    ("base_url", 8000), ("base_url", " http://x/v1"),
    ("api_key", None), ("api_key", 123),
    ("model", ""), ("model", "   "), ("model", None), ("model", 7),
    ("temperature", -0.1), ("temperature", 2.5), ("temperature", float("nan")), ("temperature", "0"),
    ("temperature", True),
    ("max_tokens", 0), ("max_tokens", 1.5), ("max_tokens", "1024"), ("max_tokens", True),
    ("seed", 1.0), ("seed", "0"), ("seed", False),
    ("timeout", 0), ("timeout", -1.0), ("timeout", float("inf")), ("timeout", None), ("timeout", True),
    ("max_retries", -1), ("max_retries", 2.0), ("max_retries", None),
    ("max_reasks", -1), ("max_reasks", "1"),
    ("concurrency", 0), ("concurrency", -4), ("concurrency", 2.0), ("concurrency", True), ("concurrency", None),
    ("section_chars", 79), ("section_chars", 600.0),
    ("cache_dir", ""), ("cache_dir", 5), ("cache_dir", b"/tmp/x"),
    ("token_budget", 0), ("token_budget", -1), ("token_budget", 1e6), ("token_budget", True),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_a_bad_setting_fails_at_construction_naming_the_setting_and_the_value(name, value):
    with pytest.raises(ConfigError) as caught:
        Settings(**{name: value})
    message = str(caught.value)
    assert name in message
    if name != "api_key":  # a key is never echoed
        assert repr(value) in message


def test_a_bad_setting_also_fails_through_replace_and_validate_stays_an_alias():
    with pytest.raises(ConfigError, match="concurrency"):
        replace(NOWHERE, concurrency=0)
    assert NOWHERE.validate() is None


def test_a_key_of_the_wrong_type_is_not_echoed():
    with pytest.raises(ConfigError) as caught:
        Settings(api_key=b"sk-secret")
    assert "secret" not in str(caught.value)


GOOD = [
    ("base_url", None), ("base_url", "http://localhost:8000/v1"), ("base_url", "https://api.example.com/v1"),
    ("api_key", ""), ("api_key", "sk-x"), ("model", "qwen2.5:7b"),
    ("temperature", 0), ("temperature", 2), ("temperature", 0.7), ("max_tokens", 1), ("seed", None), ("seed", -3),
    ("timeout", 0.5), ("timeout", 600), ("max_retries", 0), ("max_reasks", 0), ("concurrency", 1),
    ("concurrency", 64), ("section_chars", 80), ("cache_dir", None), ("cache_dir", "/tmp/llmx-cache"),
    ("cache_dir", Path("/tmp/llmx-cache")), ("token_budget", None), ("token_budget", 1),
]


@pytest.mark.parametrize(("name", "value"), GOOD, ids=[f"{n}={v!r}" for n, v in GOOD])
def test_good_settings_pass(name, value):
    settings = Settings(**{name: value})
    assert getattr(settings, name) == (Path(value) if name == "cache_dir" and value else value)


def test_settings_are_normalised_once():
    s = Settings(cache_dir="/tmp/llmx-cache", temperature=1, timeout=30)
    assert s.cache_dir == Path("/tmp/llmx-cache") and isinstance(s.cache_dir, Path)
    assert isinstance(s.temperature, float) and isinstance(s.timeout, float)
    assert s == Settings(cache_dir=Path("/tmp/llmx-cache"), temperature=1.0, timeout=30.0)


@pytest.fixture
def clean_env(monkeypatch):
    for var in [*llmx.config.ENV_VARS.values(), "LLMX_NO_CACHE", "XDG_CACHE_HOME"]:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_the_environment_fills_settings_and_keywords_win(clean_env, tmp_path):
    env = clean_env
    env.setenv("OPENAI_BASE_URL", "http://localhost:8000/v1")
    env.setenv("OPENAI_API_KEY", "sk-env")
    env.setenv("LLMX_MODEL", "env-model")
    env.setenv("LLMX_CONCURRENCY", "7")
    env.setenv("LLMX_TEMPERATURE", "0.5")
    env.setenv("LLMX_TIMEOUT", "30")
    env.setenv("LLMX_TOKEN_BUDGET", "5000")
    env.setenv("LLMX_CACHE_DIR", str(tmp_path / "c"))
    s = Settings.from_env()
    assert (s.base_url, s.api_key, s.model, s.concurrency, s.temperature, s.timeout, s.token_budget) == (
        "http://localhost:8000/v1", "sk-env", "env-model", 7, 0.5, 30.0, 5000)
    assert s.cache_dir == tmp_path / "c"
    t = Settings.from_env(concurrency=2, model="kw-model", cache_dir=str(tmp_path / "d"), seed=None)
    assert (t.concurrency, t.model, t.cache_dir, t.seed) == (2, "kw-model", tmp_path / "d", 0)
    env.setenv("LLMX_NO_CACHE", "1")
    assert Settings.from_env().cache_dir is None


def test_defaults_come_from_the_fields_and_the_cache_from_the_environment(clean_env, tmp_path):
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path))
    s = Settings.from_env()
    assert replace(s, cache_dir=None) == Settings()
    assert s.cache_dir == tmp_path / "llmx"


@pytest.mark.parametrize(("var", "raw"), [
    ("LLMX_CONCURRENCY", "0"), ("LLMX_CONCURRENCY", "four"), ("LLMX_TIMEOUT", "-1"), ("LLMX_TEMPERATURE", "9"),
    ("LLMX_SECTION_CHARS", "10"), ("LLMX_TOKEN_BUDGET", "1.5"), ("OPENAI_BASE_URL", "localhost:8000"),
    ("LLMX_MAX_RETRIES", "-2"),
])
def test_a_bad_environment_value_fails_naming_the_variable(clean_env, var, raw):
    clean_env.setenv(var, raw)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    assert var in str(caught.value) and repr(raw) in str(caught.value)


def test_a_bad_keyword_to_from_env_fails_too(clean_env):
    with pytest.raises(ConfigError, match="concurrency=0"):
        Settings.from_env(concurrency=0)
    with pytest.raises(ConfigError, match="concurrenc"):
        Settings.from_env(concurrenc=2)


# -- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "words"), [
    (lambda: llmx.extract_text(None, settings=NOWHERE), "text must be a str, got NoneType"),
    (lambda: llmx.extract_text(TEXT.encode("utf-8"), settings=NOWHERE), "got bytes: decode it"),
    (lambda: llmx.extract_text(123, settings=NOWHERE), "got int"),
    (lambda: llmx.extract_text(TEXT, name=5, settings=NOWHERE), "name must be a str"),
    (lambda: llmx.extract_text(TEXT, name=None, settings=NOWHERE), "name must be a str"),
    (lambda: llmx.extract_text(TEXT, settings={"base_url": "http://x/v1"}), "llmx.Settings(**your_dict)"),
    (lambda: llmx.extract_text(TEXT, settings="http://x/v1"), "settings must be a llmx.Settings"),
    (lambda: llmx.extract_file(None, settings=NOWHERE), "path must be a file path"),
    (lambda: llmx.extract_file(b"seeds/x.txt", settings=NOWHERE), "got bytes"),
    (lambda: llmx.extract_file("", settings=NOWHERE), "got ''"),
    (lambda: llmx.extract_file(SEED, settings={}), "settings must be"),
    (lambda: asyncio.run(llmx.aextract_text(None, settings=NOWHERE)), "text must be a str"),
    (lambda: asyncio.run(llmx.aextract_file(3, settings=NOWHERE)), "path must be"),
    (lambda: asyncio.run(llmx.aextract_files(3, settings=NOWHERE)), "paths must be"),
    (lambda: asyncio.run(llmx.aextract_files([SEED, None], settings=NOWHERE)), "each of paths"),
    (lambda: asyncio.run(llmx.aextract_files([SEED], settings=NOWHERE, output=7)), "output must be"),
    (lambda: asyncio.run(llmx.aextract_files([SEED], settings=[])), "settings must be"),
])
def test_arguments_of_the_wrong_type_raise_a_clear_argument_error(call, words):
    with pytest.raises(ArgumentError) as caught:
        call()
    assert words in str(caught.value)
    assert isinstance(caught.value, LlmxError) and isinstance(caught.value, TypeError)


@pytest.mark.parametrize("text", ["", " ", "\n\t\u3000 \n"])
def test_an_empty_text_is_an_empty_document_like_an_empty_file(text, tmp_path):
    with pytest.raises(EmptyDocumentError, match="note.txt: is empty"):
        llmx.extract_text(text, name="note.txt", settings=NOWHERE)
    with pytest.raises(EmptyDocumentError):
        asyncio.run(llmx.aextract_text(text, settings=NOWHERE))
    empty = tmp_path / "empty.txt"
    empty.write_text(text, encoding="utf-8")
    with pytest.raises(EmptyDocumentError, match="is empty"):
        llmx.extract_file(empty, settings=NOWHERE)


def test_the_entry_points_are_exported():
    for name in ["extract_text", "extract_file", "aextract_text", "aextract_file", "aextract_files",
                 "Settings", "ArgumentError", "RunningLoopError"]:
        assert name in llmx.__all__ and getattr(llmx, name) is not None
    assert llmx.extract_text is llmx.api.extract_text


# -- sync inside a loop; async inside a loop ---------------------------------------------


def test_in_a_running_loop_the_sync_api_says_to_await_the_async_one_and_the_async_api_works(tmp_path):
    with FakeServer() as server:
        settings = settings_for(server)

        async def main():
            with pytest.raises(RunningLoopError) as text_error:
                llmx.extract_text(TEXT, settings=settings)
            with pytest.raises(RunningLoopError) as file_error:
                llmx.extract_file(SEED, settings=settings)
            result = await llmx.aextract_text(TEXT, name="snippet.txt", settings=settings)
            return result, text_error.value, file_error.value

        before = server.requests
        result, text_error, file_error = asyncio.run(main())
    assert "await llmx.aextract_text(" in str(text_error) and "await llmx.aextract_file(" in str(file_error)
    assert isinstance(text_error, RuntimeError) and isinstance(text_error, LlmxError)
    assert server.requests > before  # the sync calls sent nothing; the async one did
    assert result.ok and result.doc == "snippet.txt" and result.indicators and grounded(result, TEXT)
    # outside a loop the sync API gives the same figures
    with FakeServer() as server:
        again = llmx.extract_text(TEXT, name="snippet.txt", settings=settings_for(server))
    assert [(i.name, i.value, i.start) for i in again.indicators] == [(i.name, i.value, i.start) for i in result.indicators]


def test_aextract_file_and_a_batch_with_failures_resumes_from_its_output(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        settings = settings_for(server)

        async def main():
            one = await llmx.aextract_file(SEED, settings=settings)
            many = await llmx.aextract_files([missing, str(empty), SEED], settings=settings, output=out)
            return one, many

        one, many = asyncio.run(main())
        sent = server.requests
        again = asyncio.run(llmx.aextract_files([missing, empty, SEED], settings=settings, output=str(out)))
        resent = server.requests - sent
    original = SEED.read_text(encoding="utf-8")
    assert one.ok and one.indicators and grounded(one, original)
    assert [r.path for r in many] == [str(missing), str(empty), str(SEED)]
    assert [r.ok for r in many] == [False, False, True]
    assert "EmptyDocumentError" in many[1].error and many[2].indicators
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert resent == 0 and [r.ok for r in again] == [False, False, True]  # the seed was already done
    assert asyncio.run(llmx.aextract_files([], settings=settings)) == []


def test_a_spent_token_budget_loses_no_report_from_the_results(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"r{i}.txt"
        p.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(p)
    with FakeServer() as server:
        results = asyncio.run(llmx.aextract_files(tmp_path, settings=settings_for(server, token_budget=3000)))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert any("BudgetExceededError" in (r.error or "") for r in results)


# -- the embedded server starts and stops off the loop ------------------------------------


@pytest.fixture
def slow_endpoint(monkeypatch):
    """`client_for` whose start and stop each take 0.4 s, as the embedded server's do."""
    events: list[tuple[str, str, float]] = []

    def install(base_url: str):
        @contextmanager
        def client_for(settings):
            events.append(("start", threading.current_thread().name, time.monotonic()))
            time.sleep(0.4)
            events.append(("up", threading.current_thread().name, time.monotonic()))
            try:
                yield Endpoint(replace(settings, base_url=base_url))
            finally:
                time.sleep(0.4)
                events.append(("stopped", threading.current_thread().name, time.monotonic()))

        monkeypatch.setattr(llmx.api, "client_for", client_for)
        return events

    return install


def test_starting_and_stopping_the_model_server_does_not_block_the_loop(slow_endpoint):
    with FakeServer() as server:
        events = slow_endpoint(server.base_url)
        settings = settings_for(server, base_url=None)  # "the embedded model", served by the fake

        async def main():
            ticks: list[float] = []
            done = asyncio.Event()

            async def ticker():
                while not done.is_set():
                    ticks.append(time.monotonic())
                    await asyncio.sleep(0.02)

            tick_task = asyncio.create_task(ticker())
            result = await llmx.aextract_text(TEXT, settings=settings)
            done.set()
            await tick_task
            return result, ticks, threading.current_thread().name

        result, ticks, loop_thread = asyncio.run(main())
    assert result.ok and result.indicators
    (_, _, start), (_, _, up), (_, _, _) = events
    assert [e for e, _, _ in events] == ["start", "up", "stopped"]
    assert all(thread != loop_thread for _, thread, _ in events)
    assert any(start < t < up for t in ticks)  # the loop went on ticking while the server started


def test_a_task_cancelled_while_the_server_starts_stops_it_once_up(slow_endpoint):
    events = slow_endpoint("http://127.0.0.1:9/v1")
    settings = replace(NOWHERE, base_url=None)

    async def main():
        task = asyncio.create_task(llmx.aextract_text(TEXT, settings=settings))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    deadline = time.monotonic() + 5
    while len(events) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [e for e, _, _ in events] == ["start", "up", "stopped"]
    # stopped on purpose by llmx's stopper thread, not left to the garbage collector
    assert events[2][1] == "llmx-endpoint-stop"


# -- start nothing that is not needed -------------------------------------------------------


def test_a_run_the_cache_answers_whole_starts_no_server(tmp_path, monkeypatch):
    import llmx.model.local

    with FakeServer() as server:
        warm = settings_for(server, cache_dir=tmp_path / "cache")
        first = llmx.extract_text(TEXT, settings=warm)
    assert first.ok and first.indicators

    def no_server(settings):
        raise AssertionError("the embedded model was started for a run the cache answers")

    monkeypatch.setattr(llmx.model.local, "endpoint", no_server)
    again = llmx.extract_text(TEXT, settings=replace(warm, base_url=None))  # "the embedded model"
    assert again.indicators == first.indicators and again.usage.calls == 0 and again.usage.cache_hits > 0


def test_a_cache_miss_starts_the_embedded_model_once_and_stops_it(tmp_path, monkeypatch):
    import llmx.model.local

    starts = []
    with FakeServer() as server:

        @contextmanager
        def fake_endpoint(settings):
            starts.append("up")
            yield replace(settings, base_url=server.base_url)
            starts.append("down")

        monkeypatch.setattr(llmx.model.local, "endpoint", fake_endpoint)
        result = llmx.extract_text(TEXT, settings=settings_for(server, base_url=None, cache_dir=None))
    assert result.ok and result.indicators and starts == ["up", "down"]


def test_import_llmx_imports_no_model_client():
    import subprocess
    import sys

    code = "import llmx, sys; print(sorted(m for m in ('openai', 'instructor', 'httpx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_async_batch_says_why_a_folder_could_not_be_listed(tmp_path, monkeypatch):
    import errno
    import os

    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(
        PermissionError(errno.EACCES, "Permission denied", str(path))) if Path(path) == locked else real(path))
    with FakeServer() as server:
        results = asyncio.run(llmx.aextract_files(folder, settings=settings_for(server)))
    by_path = {r.path: r for r in results}
    assert by_path[str(folder / "a.txt")].ok
    assert "Permission denied" in (by_path[str(locked)].error or "")
