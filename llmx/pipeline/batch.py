"""Batch extraction over many reports: concurrent, resumable, and fault-tolerant.

The per-report work is a callable, `Extractor = (Source) -> Awaitable[ReportResult]`:
`model_extractor(client)` asks the model, `rule_extractor(section_chars)` is the
regex-only pipeline (no model, no server, no cache). Both go through `run_batch`,
so both resume, write and sum up alike.

Results go to a `BatchOutput` (see `llmx.outputs.output`): one line per report, appended
and fsynced as each completes. A re-run of the same command reads the state first
and skips every report already done with the same content hash (a line cut short
by a kill is dropped; reports that ended in error are tried again), so an
interrupted batch loses nothing, and the cache spares the calls already made.
When the batch ends the state is rewritten atomically in input order (and the CSV
written, for `--format csv`), so an interrupted-and-resumed batch ends with the
same files as an uninterrupted one.

A report that fails, a path that cannot be read, a folder that cannot be listed:
each is recorded as a failed report with its error, and the batch goes on. A spent
token budget stops the batch; an output that cannot be written stops it with
`OutputError`, the lines already written intact.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from ..model.client import ModelClient
from ..errors import BudgetExceededError, FileTimeoutError, InputError, LlmxError
from .extract import SectionObserver, extract_source
from ..models import Counts, ReportResult, Usage
from ..outputs.output import BatchOutput, dump_line, read_results, write_atomic
from ..text.readers import DOCUMENT_SUFFIXES, load_report
from ..text.source import Source

__all__ = [
    "BatchSummary", "Extractor", "Scan", "collect_paths", "extract_report", "failed_result", "model_extractor",
    "read_done", "resume_plan", "rule_extractor", "run_batch", "scan_inputs", "tally", "with_unrun",
    "write_jsonl_atomic",
]

log = logging.getLogger("llmx")

Extractor = Callable[[Source], Awaitable[ReportResult]]

# A directory holds reports and their notes (a README.md beside the seeds): only plain-text
# files and the formats of `llmx.text.readers` (.docx, .pdf, .html, .htm) are taken from it.
# A file named on the command line is taken whatever its suffix (as text, unless a reader's).
REPORT_SUFFIXES = (".txt", ".text", *DOCUMENT_SUFFIXES)


@dataclass
class BatchSummary:
    """What a batch did, for the closing summary and the exit code."""

    reports: int = 0
    skipped: int = 0
    failed: int = 0
    counts: Counts = field(default_factory=Counts)
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    stopped: str | None = None
    model: bool = True

    @property
    def indicators(self) -> int:
        return self.counts.indicators

    @property
    def rejected(self) -> int:
        return self.counts.rejected

    @property
    def uncovered(self) -> int:
        return self.counts.uncovered

    def add(self, result: ReportResult) -> None:
        """Count one report's outcome and its figures."""
        self.reports += 1
        self.failed += 0 if result.ok else 1
        self.counts.add(result.counts)

    def line(self) -> str:
        """The one-line summary printed at the end of a batch."""
        c, u = self.counts, self.usage
        calls = (
            f"{u.calls} calls, {u.cache_hits} cache hits, {u.retries} retries, {u.reasks} re-asks; "
            f"tokens in {u.prompt_tokens}, out {u.completion_tokens}"
            if self.model else "no model (regex only)"
        )
        return (
            f"{self.reports} reports ({self.skipped} already done, {self.failed} failed), "
            f"{c.indicators} indicators, {c.rejected} rejected, {c.uncovered} uncovered, "
            f"{c.excluded} excluded (of {c.found} numbers found); {calls}; {self.seconds:.1f} s"
            + (f"; stopped: {self.stopped}" if self.stopped else "")
        )


@dataclass
class Scan:
    """The report paths found in the inputs, and the paths that could not be looked at (with why)."""

    paths: list[Path] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


def scan_inputs(inputs: Iterable[str | Path]) -> Scan:
    """Expand directories (their report files, sorted) and keep files as given, without repeats.

    A named path that does not exist or cannot be read is kept: it fails as a report.
    A folder that cannot be listed and a dangling symlink met in a directory are kept
    as well, with a warning each: nothing the inputs point at is skipped silently.
    """
    scan = Scan()
    for raw in inputs:
        p = Path(raw)
        if not p.is_dir():
            scan.paths.append(p)
            continue
        found: list[Path] = []

        def unlistable(exc: OSError) -> None:
            where = Path(exc.filename or p)
            why = f"cannot list this folder: {exc.strerror or exc}"
            log.warning("%s: %s; its reports are not extracted", where, why)
            scan.unreadable[str(where)] = why
            found.append(where)

        for folder, dirs, files in os.walk(p, onerror=unlistable):
            dirs.sort()
            for name in files:
                q = Path(folder) / name
                if q.suffix.lower() not in REPORT_SUFFIXES:
                    continue
                if q.is_symlink() and not q.exists():
                    log.warning("%s: a dangling symlink (to %s); counted as failed", q, os.readlink(q))
                found.append(q)
        scan.paths.extend(sorted(found))
    seen: set[str] = set()
    scan.paths = [p for p in scan.paths if not (str(p) in seen or seen.add(str(p)))]
    return scan


def collect_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """The report paths of `scan_inputs` (see there)."""
    return scan_inputs(inputs).paths


def read_done(output: Path) -> dict[str, ReportResult]:
    """Successful results already in the JSONL file `output`, by path; a torn or invalid line is ignored."""
    return {r.path: r for r in read_results(output) if r.ok}


def write_jsonl_atomic(path: Path, results: Iterable[ReportResult]) -> None:
    """Write results to `path` as JSONL through a temporary file and a rename."""
    write_atomic(path, "".join(dump_line(r) for r in results).encode("utf-8"))


def model_extractor(client: ModelClient, observer: SectionObserver | None = None) -> Extractor:
    """The per-report work of a model batch: `extract_source` with `client`."""

    async def extract(source: Source) -> ReportResult:
        return await extract_source(source, client, observer)

    return extract


def rule_extractor(section_chars: int) -> Extractor:
    """The per-report work of a batch without a model: `llmx.pipeline.extract.baseline_extract`,
    every figure named by rule. No model, no server, no cache."""
    from .extract import baseline_extract

    async def extract(source: Source) -> ReportResult:
        began = time.perf_counter()
        # in a worker thread: the event loop stays free to stop a report at its time limit, and a
        # signal (Ctrl-C, SIGTERM) reaches the loop rather than the middle of a report's work
        result = await asyncio.to_thread(baseline_extract, source, section_chars)
        result.seconds = round(time.perf_counter() - began, 3)
        return result

    extract.uses_model = False  # type: ignore[attr-defined]  # the summary says "no model"
    return extract


def _hash_of(path: Path) -> str | None:
    try:
        return load_report(path).source.sha256
    except LlmxError:
        return None


def _slow(path: Path) -> bool:
    """Whether reading `path` takes a reader long enough to keep it off the event loop (a PDF)."""
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def _one_line(text: str) -> str:
    return " ".join(text.split())


def failed_result(path: Path, exc: BaseException) -> ReportResult:
    """The result recorded for a report that failed: its path and the error, in one line."""
    return ReportResult(doc=path.name, path=str(path), error=_one_line(f"{type(exc).__name__}: {exc}"))


async def extract_report(path: Path, extract: Extractor, unreadable: Mapping[str, str],
                         file_timeout: float | None = None) -> ReportResult:
    """One report of a batch: loaded and extracted, or, when that fails, its error
    recorded as its result (`failed_result`). Only `BudgetExceededError` is raised:
    the budget stops the batch, and the report is left for a resumed run. A report that
    takes longer than `file_timeout` seconds fails alone (`FileTimeoutError`); a re-run retries it."""
    try:
        if str(path) in unreadable:
            raise InputError(path, unreadable[str(path)])
        report = await asyncio.to_thread(load_report, path) if _slow(path) else load_report(path)
        try:
            result = await asyncio.wait_for(extract(report.source), file_timeout)
        except asyncio.TimeoutError:
            raise FileTimeoutError(path, f"took longer than its time limit of {file_timeout:g} s "
                                         "(LLMX_FILE_TIMEOUT); a re-run retries it") from None
        return report.annotate(result)
    except BudgetExceededError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad report must not end the batch
        return failed_result(path, exc)


def with_unrun(paths: list[Path], results: Iterable[ReportResult], stopped: str | None) -> list[ReportResult]:
    """One result per path, in order: a path the batch did not run (the token budget
    stopped it) gets a result whose error says so."""
    by_path = {r.path: r for r in results}
    why = f"BudgetExceededError: not run: {stopped or 'the batch stopped'}"
    return [by_path.get(str(p)) or ReportResult(doc=p.name, path=str(p), error=why) for p in paths]


def resume_plan(
    paths: list[Path], done: Mapping[str, ReportResult], unreadable: Mapping[str, str]
) -> tuple[dict[int, ReportResult], list[tuple[int, Path]]]:
    """Split `paths` into the reports already done (by input index: a result in `done` for
    the same path and content hash) and the (index, path) pairs still to do."""
    results: dict[int, ReportResult] = {}
    todo: list[tuple[int, Path]] = []
    for i, p in enumerate(paths):
        previous = done.get(str(p))
        if previous is not None and str(p) not in unreadable and previous.sha256 == _hash_of(p):
            results[i] = previous
        else:
            todo.append((i, p))
    return results, todo


def tally(summary: BatchSummary, results: Iterable[ReportResult], spent: Usage | None = None) -> None:
    """Count every result into `summary` (a report whose figures do not add up gets a
    warning); its usage is `spent`, or the sum over the results."""
    usage = Usage()
    for r in results:
        summary.add(r)
        usage.add(r.usage)
        if r.ok and not r.counts.balanced:
            c = r.counts
            log.warning("%s: the figures do not add up: %d found != %d indicators + %d rejected + %d uncovered"
                        " + %d excluded", r.path, c.found, c.indicators, c.rejected, c.uncovered, c.excluded)
    summary.usage = (spent if spent is not None else usage).model_copy()


async def run_batch(
    paths: list[Path],
    extract: Union[Extractor, ModelClient],
    output: Union[BatchOutput, Path, None] = None,
    *,
    on_result: Callable[[ReportResult], None] | None = None,
    on_start: Callable[[Path], None] | None = None,
    observer: SectionObserver | None = None,
    unreadable: Mapping[str, str] | None = None,
    spent: Usage | None = None,
    files_in_flight: int = 8,
    file_timeout: float | None = None,
) -> tuple[list[ReportResult], BatchSummary]:
    """Extract every path; results come back in input order with the summary.

    `extract` is an `Extractor`, or a `ModelClient` (then `model_extractor(client,
    observer)`, with the client's usage in the summary). `output` is a `BatchOutput`,
    or a path for JSONL; it is locked for the batch. `unreadable` maps paths that
    could not be looked at to why (from `scan_inputs`): they are recorded as failed.
    `spent` is the usage to report (default: the sum over the results). `file_timeout`
    (seconds, None for none) is each report's time limit: one that exceeds it fails alone.

    A report that fails is recorded with its error and the batch goes on; a spent
    token budget stops the batch, leaving the rest for a resumed run; `OutputError`
    (the output cannot be written) ends it at once.
    """
    if isinstance(extract, ModelClient):
        spent = extract.spent if spent is None else spent
        files_in_flight = max(2, extract.settings.concurrency * 2)
        extract = model_extractor(extract, observer)
    model = getattr(extract, "uses_model", True)
    if isinstance(output, (str, Path)):
        output = BatchOutput(output)
    began = time.perf_counter()
    with output if output is not None else _Nothing():
        results, summary = await _run(paths, extract, output, on_result, on_start, dict(unreadable or {}),
                                      files_in_flight, file_timeout)
        summary.model = model
        tally(summary, results, spent)
        if output is not None:
            output.finish(results)
    summary.seconds = time.perf_counter() - began
    return results, summary


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


async def _run(paths, extract, output, on_result, on_start, unreadable, files_in_flight, file_timeout):
    summary = BatchSummary()
    done = output.begin() if output is not None else {}
    results, todo = resume_plan(paths, done, unreadable)
    summary.skipped = len(results)
    slots = asyncio.Semaphore(files_in_flight)
    stop = asyncio.Event()

    async def one(i: int, p: Path) -> None:
        async with slots:
            if stop.is_set():
                return
            if on_start:
                on_start(p)
            try:
                result = await extract_report(p, extract, unreadable, file_timeout)
            except BudgetExceededError as exc:
                summary.stopped = str(exc)
                stop.set()
                return
            results[i] = result
            if output is not None:
                output.record(result)  # OutputError ends the batch
            if on_result:
                on_result(result)

    tasks = [asyncio.ensure_future(one(i, p)) for i, p in todo]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    finally:
        if output is not None:
            output.close()
    return [results[i] for i in sorted(results)], summary
