"""The embedded model's bench: `python bench/local.py` (the seeds) or `--quick` (two dev excerpts).

Extracts a fixed set with the embedded Qwen2.5-Coder-1.5B from an empty cache (a fresh
server, no answer cache, the server and the calls in flight the default run uses: llama.cpp's
`llama-server` with two slots where `make setup` built it) and prints, from llama.cpp's own
log and llmx's usage:

    wall time, model time (the sum of llama.cpp's per-call `total time`) and their ratio
    (below 1 when two calls overlap on two slots),
    prompt tokens evaluated (after the prefix cache) per source character,
    prompt tokens served from the prefix cache (those llmx sent less those evaluated),
    generated tokens per indicator, calls and re-asks;

then runs `llmx extract` on the same files again with the cache the first run filled
and prints its wall time (a run the cache answers whole starts no server).

Needs the `local` extra (`make setup`). `make bench-local` runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from llmx.model.client import ModelClient
from llmx.config import Settings
from llmx.pipeline.extract import extract_source
from llmx.model.local import data_dir, endpoint, llama_server
from llmx.models import Usage
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent
QUICK = ["eval/dev/docs/xihu-2023-summary.txt", "eval/dev/docs/sip-2025-plan.txt"]

# Both servers' logs: llama-cpp-python's (`… eval time = … runs`) and llama-server's (`… tokens`).
_PROMPT = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
_GEN = re.compile(r"(?<!prompt )\beval time =\s*([\d.]+) ms /\s*(\d+) (?:runs|tokens)")
_TOTAL = re.compile(r"total time =\s*([\d.]+) ms")


def read_log(text: str) -> dict[str, float]:
    """Sums over the calls in a llama.cpp server log."""
    prompt = [(float(a), int(b)) for a, b in _PROMPT.findall(text)]
    gen = [(float(a), int(b)) for a, b in _GEN.findall(text)]
    return {
        "calls": len(_TOTAL.findall(text)),
        "model_s": sum(float(x) for x in _TOTAL.findall(text)) / 1000,
        "prompt_s": sum(a for a, _ in prompt) / 1000,
        "prompt_tokens": sum(b for _, b in prompt),
        "gen_s": sum(a for a, _ in gen) / 1000,
        "gen_tokens": sum(b for _, b in gen),
    }


async def _extract(paths: list[Path], settings: Settings, cache=None):
    client = ModelClient(settings, cache)
    try:
        return await asyncio.gather(*(extract_source(load_source(p), client) for p in paths))
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two dev excerpts instead of the seeds")
    parser.add_argument("paths", nargs="*", help="report files (default: the seeds)")
    args = parser.parse_args(argv)
    paths = [ROOT / p for p in QUICK] if args.quick else [Path(p) for p in args.paths] or sorted(
        (ROOT / "seeds").glob("*.txt"))
    chars = sum(len(load_source(p).text) for p in paths)
    cache = Path(tempfile.mkdtemp(prefix="llmx-bench-cache-"))
    with endpoint(Settings(cache_dir=cache)) as resolved:
        log = data_dir() / "server.log"
        offset = log.stat().st_size if log.exists() else 0
        began = time.perf_counter()
        from llmx.model.runtime import open_cache

        with open_cache(resolved) as store:
            results = asyncio.run(_extract(paths, resolved, store))
        wall = time.perf_counter() - began
        with open(log, encoding="utf-8", errors="replace") as fh:
            fh.seek(offset)
            figures = read_log(fh.read())
    usage, indicators = Usage(), 0
    for r in results:
        usage.add(r.usage)
        indicators += len(r.indicators)
    model = figures["model_s"] or float("nan")
    print(f"set: {len(paths)} reports, {chars} characters; {indicators} indicators; "
          f"{usage.calls} calls ({figures['calls']} in the server log), {usage.reasks} re-asks")
    print(f"wall time {wall:.1f} s; model time {model:.1f} s (prompt {figures['prompt_s']:.1f} s, "
          f"generation {figures['gen_s']:.1f} s); wall / model {wall / model:.3f}")
    print(f"server: {'llama-server' if llama_server() else 'llama-cpp-python'}, {resolved.concurrency} call(s) in flight")
    print(f"prompt tokens evaluated {figures['prompt_tokens']} ({figures['prompt_tokens'] / chars:.2f} per character), "
          f"served from the prefix cache {usage.prompt_tokens - figures['prompt_tokens']}; "
          f"prompt tokens sent {usage.prompt_tokens}")
    print(f"generated tokens {figures['gen_tokens']} ({figures['gen_tokens'] / max(indicators, 1):.1f} per indicator); "
          f"llmx counted {usage.completion_tokens}")
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_BASE_URL"} | {"LLMX_CACHE_DIR": str(cache)}
    began = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "llmx", "extract", *map(str, paths)], env=env,
                         capture_output=True, text=True)
    cached = time.perf_counter() - began
    print(f"cached re-run (`llmx extract`, same files, the cache above): {cached:.2f} s wall, exit {run.returncode}; "
          f"{run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
