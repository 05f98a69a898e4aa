"""Batch extraction over many reports: concurrent, resumable, and fault-tolerant.

Results go to a JSONL file, one report per line, appended and flushed as each
report completes. A re-run of the same command reads that file first and
skips every report already done with the same content hash (a line cut short
by a kill is dropped; reports that ended in error are tried again), so an
interrupted batch loses nothing, and the cache spares the calls already made.
When the batch ends the file is rewritten atomically in input order, so an
interrupted-and-resumed batch ends with the same file as an uninterrupted one.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .client import ModelClient
from .errors import BudgetExceededError, InputError, LlmxError
from .extract import SectionObserver, extract_source
from .models import ReportResult, Usage
from .source import load_source

__all__ = ["BatchSummary", "collect_paths", "read_done", "run_batch", "write_jsonl_atomic"]

# A directory holds reports and their notes (a README.md beside the seeds): only plain-text
# files are taken from it. A file named on the command line is taken whatever its suffix.
REPORT_SUFFIXES = (".txt", ".text")


@dataclass
class BatchSummary:
    """What a batch did, for the closing summary and the exit code."""

    reports: int = 0
    skipped: int = 0
    failed: int = 0
    indicators: int = 0
    rejected: int = 0
    uncovered: int = 0
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    stopped: str | None = None

    def add(self, result: ReportResult) -> None:
        self.reports += 1
        self.failed += 0 if result.ok else 1
        self.indicators += len(result.indicators)
        self.rejected += len(result.rejected)
        self.uncovered += len(result.uncovered)

    def line(self) -> str:
        u = self.usage
        return (
            f"{self.reports} reports ({self.skipped} already done, {self.failed} failed), "
            f"{self.indicators} indicators, {self.rejected} rejected, {self.uncovered} uncovered quantities; "
            f"{u.calls} calls, {u.cache_hits} cache hits, {u.retries} retries, {u.reasks} re-asks; "
            f"tokens in {u.prompt_tokens}, out {u.completion_tokens}; {self.seconds:.1f} s"
            + (f"; stopped: {self.stopped}" if self.stopped else "")
        )


def collect_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Expand directories (their report files, sorted) and keep files as given, without repeats."""
    out: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in REPORT_SUFFIXES))
        else:
            out.append(p)
    seen: set[str] = set()
    return [p for p in out if not (str(p) in seen or seen.add(str(p)))]


def read_done(output: Path) -> dict[str, ReportResult]:
    """Successful results already in `output`, by path; a torn or invalid line is ignored."""
    done: dict[str, ReportResult] = {}
    if not output.exists():
        return done
    for line in output.read_text(encoding="utf-8").splitlines():
        try:
            result = ReportResult.model_validate_json(line)
        except ValueError:
            continue
        if result.ok:
            done[result.path] = result
    return done


def write_jsonl_atomic(path: Path, results: Iterable[ReportResult]) -> None:
    """Write results to `path` through a temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in results:
            fh.write(r.model_dump_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _hash_of(path: Path) -> str | None:
    try:
        return load_source(path).sha256
    except InputError:
        return None


async def run_batch(
    paths: list[Path],
    client: ModelClient,
    output: Path | None,
    *,
    on_result: Callable[[ReportResult], None] | None = None,
    on_start: Callable[[Path], None] | None = None,
    observer: SectionObserver | None = None,
) -> tuple[list[ReportResult], BatchSummary]:
    """Extract every path; results come back in input order with the summary.

    A report that fails is recorded with its error and the batch goes on; a spent
    token budget stops the batch, leaving the rest for a resumed run.
    """
    began = time.perf_counter()
    summary = BatchSummary()
    done = read_done(output) if output else {}
    results: dict[int, ReportResult] = {}
    if output:
        # Keep the finished lines (a torn last line is dropped) and append from here.
        write_jsonl_atomic(output, done.values())
    todo: list[tuple[int, Path]] = []
    for i, p in enumerate(paths):
        previous = done.get(str(p))
        if previous is not None and previous.sha256 == _hash_of(p):
            results[i] = previous
            summary.skipped += 1
        else:
            todo.append((i, p))
    sink = output.open("a", encoding="utf-8") if output else None
    files_in_flight = asyncio.Semaphore(max(2, client.settings.concurrency * 2))
    stop = asyncio.Event()

    async def one(i: int, p: Path) -> None:
        async with files_in_flight:
            if stop.is_set():
                return
            if on_start:
                on_start(p)
            try:
                result = await extract_source(load_source(p), client, observer)
            except BudgetExceededError as exc:
                summary.stopped = str(exc)
                stop.set()
                return
            except LlmxError as exc:
                result = ReportResult(doc=p.name, path=str(p), error=f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - one bad report must not end the batch
                result = ReportResult(doc=p.name, path=str(p), error=f"{type(exc).__name__}: {exc}")
            results[i] = result
            if sink:
                sink.write(result.model_dump_json() + "\n")
                sink.flush()
                os.fsync(sink.fileno())
            if on_result:
                on_result(result)

    try:
        await asyncio.gather(*(one(i, p) for i, p in todo))
    finally:
        if sink:
            sink.close()
    ordered = [results[i] for i in sorted(results)]
    for r in ordered:
        summary.add(r)
    summary.usage = client.spent.model_copy()
    if output and summary.stopped is None:
        write_jsonl_atomic(output, ordered)
    summary.seconds = time.perf_counter() - began
    return ordered, summary

