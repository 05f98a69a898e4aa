"""llmx on Ray, without a model: `python bench/ray_bench.py` (needs `pip install 'llmx[ray]'`).

Copies of the five seeds through `llmx.pipeline.ray_batch.run_ray_batch` on a local Ray instance
(`ray.init(num_cpus=2)`) with 1 and 2 workers, each with C calls in flight, against the
loopback server (tests/fakeserver.py in its own process) that answers after a fixed
latency L. The ideal time is calls * L / (workers * C); the ratio is ideal / wall time.
Each run starts its own pool of workers (new processes that import llmx): that start is
timed apart (a regex-only run of one report per worker) and the ratio without it is printed too.
The same batch through the local `run_batch` at the same total concurrency is the
reference row. The server echoes llmx's own figure list: timings, never quality.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

from run import _batch, copies_of_seeds, fake_endpoint  # bench/run.py: the loopback server and the copies

from llmx.config import Settings
from llmx.pipeline.ray_batch import RayOptions, run_ray_batch


def pool_start(workers: int) -> float:
    """Seconds a run takes that does next to nothing: one report per worker, regex only."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = copies_of_seeds(Path(tmp), 1)[:workers]
        began = time.perf_counter()
        run_ray_batch(paths, Settings(), options=RayOptions(workers=workers), no_model=True)
        return time.perf_counter() - began


def row(base_url: str, latency: float, workers: int | None, per_worker: int, copies: int) -> dict:
    """One batch: on Ray with `workers`, or local (`workers` None) at the same total concurrency."""
    concurrency = per_worker * (workers or 1)
    settings = Settings(base_url=base_url, model="bench", cache_dir=None, concurrency=concurrency)
    with tempfile.TemporaryDirectory() as tmp:
        paths = copies_of_seeds(Path(tmp), copies)
        began = time.perf_counter()
        if workers is None:
            results, summary = asyncio.run(_batch(paths, settings))
        else:
            results, summary = run_ray_batch(paths, settings, options=RayOptions(workers=workers))
        elapsed = time.perf_counter() - began
    assert summary.failed == 0 and len(results) == len(paths), [r.error for r in results if not r.ok][:3]
    calls = summary.usage.calls
    return {"reports": len(paths), "calls": calls, "seconds": elapsed, "ideal": calls * latency / concurrency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0, help="loopback server latency L in seconds")
    parser.add_argument("--per-worker", type=int, default=4, help="calls in flight per worker, C")
    parser.add_argument("--copies", type=int, default=2, help="copies of the five seeds per worker")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    import ray

    began = time.perf_counter()
    ray.init(num_cpus=2, logging_level=logging.ERROR, log_to_driver=False, include_dashboard=False)
    print(f"ray.init(num_cpus=2): {time.perf_counter() - began:.1f} s; loopback latency L = {args.latency:g} s, "
          f"C = {args.per_worker} calls in flight per worker")
    print(f"   {'run':>9} {'reports':>7} {'calls':>6} {'time s':>8} {'ideal s':>8} {'ratio':>6} {'start s':>8} "
          f"{'ratio w/o start':>16}")
    try:
        with fake_endpoint(args.latency) as base_url:
            for workers in args.workers:
                start = pool_start(workers)
                r = row(base_url, args.latency, workers, args.per_worker, args.copies * workers)
                print(f"   {f'{workers} worker' + 's' * (workers > 1):>9} {r['reports']:>7} {r['calls']:>6} "
                      f"{r['seconds']:>8.2f} {r['ideal']:>8.2f} {r['ideal'] / r['seconds']:>6.2f} {start:>8.2f} "
                      f"{r['ideal'] / max(r['seconds'] - start, 1e-9):>16.2f}")
            top = max(args.workers)
            r = row(base_url, args.latency, None, args.per_worker * top, args.copies * top)
            print(f"   {f'local C={args.per_worker * top}':>9} {r['reports']:>7} {r['calls']:>6} {r['seconds']:>8.2f} "
                  f"{r['ideal']:>8.2f} {r['ideal'] / r['seconds']:>6.2f} {'-':>8} {'-':>16}")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
