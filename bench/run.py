"""llmx's own speed, without a model: `python bench/run.py` (or `make bench`).

Prints four figures:
  1. batch concurrency: N model calls through `run_batch` against a loopback
     server that answers valid extractions after a fixed latency L, at
     concurrency C; achieved time against the ideal N*L/C, as a ratio; llmx's
     overhead per call in milliseconds of wall time (time*C/N - L) and of this
     process's CPU time;
  2. the time of a fully cached re-run of the five seeds;
  3. the number finder's throughput in MB/s of Chinese text (UTF-8 bytes);
  4. the sectioner's throughput (loading, cleaning and sectioning), MB/s.

The loopback server is tests/fakeserver.py, run in its own process so that its
work is not counted as llmx's: it echoes llmx's own figure list back and reads
nothing, so these are timings of llmx, never quality figures.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from llmx.pipeline.batch import collect_paths, run_batch
from llmx.model.client import ModelClient
from llmx.config import Settings
from llmx.finder.numbers import find_numbers
from llmx.model.runtime import open_cache
from llmx.text.sections import split_sections
from llmx.text.source import clean_text, load_source

ROOT = Path(__file__).resolve().parent.parent
FAKE_SERVER = ROOT / "tests" / "fakeserver.py"
SEEDS = ROOT / "seeds"


def copies_of_seeds(folder: Path, copies: int) -> list[Path]:
    """`copies` copies of each seed, each made distinct by a first line, so no two requests repeat."""
    for k in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8")
            (folder / f"{seed.stem}-{k:03d}.txt").write_text(f"副本{k}\n{text}", encoding="utf-8")
    return collect_paths([folder])


async def _batch(paths: list[Path], settings: Settings, cache=None):
    client = ModelClient(settings, cache)
    try:
        return await run_batch(paths, client, None)
    finally:
        await client.close()


@contextmanager
def fake_endpoint(latency: float = 0.0) -> Iterator[str]:
    """The fake server in a child process; yields its base URL, stops it on exit."""
    proc = subprocess.Popen([sys.executable, str(FAKE_SERVER), "--latency", str(latency)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        if not base_url.startswith("http://"):
            raise RuntimeError(f"{FAKE_SERVER} did not start (exit code {proc.poll()})")
        yield base_url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def concurrency_row(base_url: str, latency: float, concurrency: int, copies: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths = copies_of_seeds(Path(tmp), copies)
        settings = Settings(base_url=base_url, model="bench", cache_dir=None, concurrency=concurrency)
        began, cpu = time.perf_counter(), time.process_time()
        results, summary = asyncio.run(_batch(paths, settings))
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert summary.failed == 0, [r.error for r in results if not r.ok][:3]
    calls = summary.usage.calls
    ideal = calls * latency / concurrency
    return {
        "reports": len(paths), "calls": calls, "L_ms": latency * 1000, "C": concurrency,
        "seconds": elapsed, "ideal": ideal, "ratio": ideal / elapsed if elapsed else 0.0,
        "overhead_ms": (elapsed * concurrency / calls - latency) * 1000, "cpu_ms": cpu / calls * 1000,
    }


def cached_rerun() -> tuple[float, float, int]:
    """(first run s, cached re-run s, calls) over the five seeds with a fresh cache directory."""
    with tempfile.TemporaryDirectory() as tmp, fake_endpoint() as base_url:
        settings = Settings(base_url=base_url, model="bench", cache_dir=Path(tmp) / "cache")
        paths = collect_paths([SEEDS])
        with open_cache(settings) as cache:
            began = time.perf_counter()
            _, first_summary = asyncio.run(_batch(paths, settings, cache))
            first = time.perf_counter() - began
        with open_cache(settings) as cache:  # a new process would open it afresh, too
            began = time.perf_counter()
            results, summary = asyncio.run(_batch(paths, settings, cache))
            again = time.perf_counter() - began
        calls = first_summary.usage.calls
        assert summary.usage.calls == 0 and summary.usage.cache_hits == calls
    return first, again, calls


def throughput(fn, texts: list[str], min_seconds: float = 1.0) -> float:
    """MB/s of UTF-8 text through `fn`, repeated until `min_seconds` have passed."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    rounds, began = 0, time.perf_counter()
    while True:
        for t in texts:
            fn(t)
        rounds += 1
        elapsed = time.perf_counter() - began
        if elapsed >= min_seconds:
            return size * rounds / elapsed / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0,
                        help="loopback server latency L in seconds (a real call takes 1-60 s)")
    parser.add_argument("--copies", type=int, default=8,
                        help="copies of the five seeds in the batch at the highest C (fewer at lower C)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()

    print(f"1. batch concurrency: copies of the 5 seeds, loopback latency L = {args.latency * 1000:.0f} ms")
    print(f"   {'C':>3} {'copies':>6} {'calls':>6} {'time s':>8} {'ideal s':>8} {'ratio':>6} {'overhead ms/call':>17} {'CPU ms/call':>12}")
    with fake_endpoint(args.latency) as base_url:
        with tempfile.TemporaryDirectory() as tmp:  # warm up: imports and first connections, untimed
            asyncio.run(_batch(copies_of_seeds(Path(tmp), 1)[:1], Settings(base_url=base_url, model="bench",
                                                                          cache_dir=None)))
        for c in args.concurrency:
            # About the same ideal time in every row: copies grow with C.
            copies = max(1, round(args.copies * c / max(args.concurrency)))
            row = concurrency_row(base_url, args.latency, c, copies)
            print(f"   {row['C']:>3} {copies:>6} {row['calls']:>6} {row['seconds']:>8.2f} {row['ideal']:>8.2f} "
                  f"{row['ratio']:>6.2f} {row['overhead_ms']:>17.1f} {row['cpu_ms']:>12.1f}")

    first, again, calls = cached_rerun()
    print(f"2. the five seeds, {calls} calls: first run {first:.2f} s at L = 0, fully cached re-run {again:.3f} s")

    texts = [load_source(p).text for p in sorted(SEEDS.glob("*.txt"))]
    originals = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"3. number finder: {throughput(find_numbers, texts):.2f} MB/s ({mb:.3f} MB of seed text per round)")
    print(f"4. sectioner (clean + split): {throughput(lambda t: split_sections(clean_text(t), Settings().section_chars), originals):.2f} MB/s")


if __name__ == "__main__":
    main()
