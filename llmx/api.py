"""The public entry points: figures from a text, a file, or many files; sync and async.

    result = llmx.extract_file("seeds/putuo-2024-summary.txt")          # a script
    result = await llmx.aextract_file("seeds/putuo-2024-summary.txt")   # inside an event loop
    results = await llmx.aextract_files(["seeds/"], output="out.jsonl") # a resumable batch

The synchronous functions run their own event loop, so they cannot run in a thread
whose loop is already running (Jupyter, an async web server): there they raise
`RunningLoopError` naming the function to await instead. The async functions never
block the loop for long: the embedded model server (used when `settings.base_url` is
None) starts and stops in a worker thread, and files are read in one.

Every function takes `settings=None` (then `Settings.from_env()`) or a `Settings`, and
`model=False` for the regex-only path: every figure named by rule, no model, no server, no
cache (what `llmx extract --no-model` does).
Arguments of the wrong type raise `ArgumentError`; an empty or white-space-only text
raises `EmptyDocumentError`, as an empty file does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from .pipeline.extract import baseline_extract
from .pipeline.batch import rule_extractor, run_batch, scan_inputs, with_unrun
from .model.client import ModelClient
from .config import Settings
from .errors import ArgumentError, EmptyDocumentError, RunningLoopError
from .pipeline.extract import extract_source
from .models import ReportResult
from .model.runtime import Endpoint, client_for, open_cache, run_with_client
from .text.readers import load_report
from .text.source import Source, clean_text

__all__ = ["extract_text", "extract_file", "aextract_text", "aextract_file", "aextract_files", "batch_arguments",
           "settings_of"]

R = TypeVar("R")
PathArg = str | os.PathLike


# -- the synchronous entry points ---------------------------------------------------------


def extract_text(text: str, name: str = "<text>", settings: Settings | None = None, *, model: bool = True) -> ReportResult:
    """Extract the checked figures of a report given as text; offsets index `text`.

    `name` labels the report in its result (`doc`, `path`) and in errors. Raises
    `RunningLoopError` inside a running event loop (use `await llmx.aextract_text(...)`),
    `ArgumentError` for arguments of the wrong type, `EmptyDocumentError` for a text
    with nothing but white space, and `ModelError`s when the endpoint fails for good.
    """
    _refuse_running_loop("extract_text", "aextract_text")
    source = _text_source(text, name)
    settings = settings_of(settings)
    if not model:
        return baseline_extract(source, settings.section_chars)
    return run_with_client(settings, lambda client: extract_source(source, client))


def extract_file(path: PathArg, settings: Settings | None = None, *, model: bool = True) -> ReportResult:
    """Extract the checked figures of one report file: text (UTF-8 or GB18030, detected;
    offsets index the decoded file), or .docx, .pdf, .html (offsets index the text llmx
    extracted, `result.original_text`; see `llmx.text.readers`). Raises as `extract_text` does,
    `InputError`s naming the file when it cannot be read, and `MissingPackageError` when
    its format's reader is not installed."""
    _refuse_running_loop("extract_file", "aextract_file")
    p = _path_of(path, "path")
    settings = settings_of(settings)
    report = load_report(p)
    if not model:
        return report.annotate(baseline_extract(report.source, settings.section_chars))
    return report.annotate(run_with_client(settings, lambda client: extract_source(report.source, client)))


# -- the async entry points ---------------------------------------------------------------


async def aextract_text(text: str, name: str = "<text>", settings: Settings | None = None, *,
                        model: bool = True) -> ReportResult:
    """`extract_text` for callers inside an event loop: `await llmx.aextract_text(text)`."""
    source = _text_source(text, name)
    settings = settings_of(settings)
    if not model:
        return await asyncio.to_thread(baseline_extract, source, settings.section_chars)
    return await _with_client(settings, lambda client: extract_source(source, client))


async def aextract_file(path: PathArg, settings: Settings | None = None, *, model: bool = True) -> ReportResult:
    """`extract_file` for callers inside an event loop: `await llmx.aextract_file(path)`."""
    p = _path_of(path, "path")
    settings = settings_of(settings)
    report = await asyncio.to_thread(load_report, p)
    if not model:
        return report.annotate(await asyncio.to_thread(baseline_extract, report.source, settings.section_chars))
    return report.annotate(await _with_client(settings, lambda client: extract_source(report.source, client)))


async def aextract_files(
    paths: PathArg | Iterable[PathArg], settings: Settings | None = None, output: PathArg | None = None, *,
    model: bool = True,
) -> list[ReportResult]:
    """Extract many reports concurrently (`settings.concurrency` calls in flight) with one
    endpoint; a directory stands for its report files (.txt, .docx, .pdf, .html). Returns one result per report, in
    input order.

    A report that fails is not raised: its result has `ok == False` and `error` says
    why, and the others go on. With `output`, results are also written to that JSONL
    file as each report completes, and a second call with the same `output` skips the
    reports already done there (see `llmx.pipeline.batch`). If the token budget runs out, the
    reports not yet done come back with a `BudgetExceededError` in `error`.
    """
    inputs, out = batch_arguments(paths, output)
    settings = settings_of(settings)
    scan = await asyncio.to_thread(scan_inputs, inputs)
    reports = scan.paths
    if not reports:
        return []

    if not model:
        results, summary = await run_batch(reports, rule_extractor(settings.section_chars), out,
                                           unreadable=scan.unreadable, file_timeout=settings.file_timeout)
        return with_unrun(reports, results, summary.stopped)

    async def batch(client: ModelClient) -> list[ReportResult]:
        results, summary = await run_batch(reports, client, out, unreadable=scan.unreadable,
                                           file_timeout=client.settings.file_timeout)
        return with_unrun(reports, results, summary.stopped)

    return await _with_client(settings, batch)


def batch_arguments(paths: object, output: object) -> tuple[list[Path], Path | None]:
    """The `paths` and `output` of a batch call, checked (`ArgumentError`) and as `Path`s."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, (bytes, Mapping)) or not isinstance(paths, Iterable):
        raise ArgumentError(f"paths must be a path or an iterable of paths, got {type(paths).__name__}")
    inputs = [_path_of(p, "each of paths") for p in paths]
    return inputs, None if output is None else _path_of(output, "output")


# -- the endpoint, without blocking the loop ----------------------------------------------


class _Endpoint:
    """`llmx.model.runtime.client_for` as an async context manager: an `Endpoint`.

    Starting the embedded model server takes seconds (and stopping it up to a few),
    so both run in a worker thread while the loop goes on. A task cancelled while the
    server is starting leaves a thread that stops the server as soon as it is up.
    """

    def __init__(self, settings: Settings) -> None:
        self._cm = client_for(settings)

    async def __aenter__(self) -> Endpoint:
        started: concurrent.futures.Future[Endpoint] = concurrent.futures.Future()
        started.set_running_or_notify_cancel()  # a cancelled await does not cancel the start

        def start() -> None:
            try:
                started.set_result(self._cm.__enter__())
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
                started.set_exception(exc)

        threading.Thread(target=start, name="llmx-endpoint-start").start()
        try:
            return await asyncio.wrap_future(started)
        except asyncio.CancelledError:
            threading.Thread(target=self._stop_once_started, args=(started,), name="llmx-endpoint-stop").start()
            raise

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        return bool(await asyncio.to_thread(self._cm.__exit__, exc_type, exc, tb))

    def _stop_once_started(self, started: concurrent.futures.Future[Endpoint]) -> None:
        try:
            started.result()
        except BaseException:  # noqa: BLE001 - it never started: nothing to stop
            return
        self._cm.__exit__(None, None, None)


async def _with_client(settings: Settings, factory: Callable[[ModelClient], Awaitable[R]]) -> R:
    """Await `factory(client)` with a client for `settings` (the async `run_with_client`)."""
    async with _Endpoint(settings) as endpoint:
        with open_cache(endpoint.settings) as cache:
            client = endpoint.client(cache)
            try:
                return await factory(client)
            finally:
                await client.close()


# -- argument checks ----------------------------------------------------------------------


def _refuse_running_loop(function: str, async_twin: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # no loop running in this thread: the synchronous call can run its own
    raise RunningLoopError(
        f"llmx.{function}() cannot run inside a running event loop (Jupyter, an async framework): "
        f"use `await llmx.{async_twin}(...)` there instead"
    )


def settings_of(settings: object) -> Settings:
    """`settings` itself, or `Settings.from_env()` for None; anything else is an `ArgumentError`."""
    if settings is None:
        return Settings.from_env()
    if isinstance(settings, Settings):
        return settings
    hint = " (build one: llmx.Settings(**your_dict))" if isinstance(settings, Mapping) else ""
    raise ArgumentError(f"settings must be a llmx.Settings or None, got {type(settings).__name__}{hint}")


def _text_source(text: object, name: object) -> Source:
    if not isinstance(name, str):
        raise ArgumentError(f"name must be a str (the report's label), got {type(name).__name__}")
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise ArgumentError(
            f"text must be a str, got {type(text).__name__}: decode it first, or save it and use "
            "llmx.extract_file, which detects UTF-8 and GB18030"
        )
    if not isinstance(text, str):
        raise ArgumentError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise EmptyDocumentError(name, "is empty: there is no text to extract from")
    return clean_text(text, path=name)


def _path_of(path: object, what: str) -> Path:
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, str) and path.strip():
        return Path(path)
    shown = repr(path) if isinstance(path, str) else type(path).__name__
    raise ArgumentError(f"{what} must be a file path (a non-empty str or os.PathLike), got {shown}")
