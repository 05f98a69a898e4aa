"""Which server for the embedded model: `python bench/servers.py --llama-server PATH [files]`.

Extracts the same files (default: the dev set, scored against its gold) from an empty
answer cache through each set-up in turn, one after the other on an otherwise idle machine:

- `llama-cpp-python`: its server (`python -m llama_cpp.server`, what `llmx serve` and the
  embedded default run), one call in flight (it answers one at a time);
- `llama-server -np 1`: llama.cpp's own server, one slot, one call in flight;
- `llama-server -np 2`: two slots (the context split between them), two calls in flight;

and prints wall time, calls, re-asks, generated tokens (llmx's usage) and named F1 against
the gold where the files have one. llama.cpp's own server is not shipped by llmx: build it
from the llama.cpp sources (`cmake -B build && cmake --build build --target llama-server`).
Every set-up uses the same GGUF and 2 threads.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from llmx.model.client import ModelClient
from llmx.config import LOCAL_MODEL_ALIAS, Settings
from llmx.evaluation.gold import load_gold_dir
from llmx.evaluation.score import score_all
from llmx.pipeline.extract import extract_source
from llmx.model.local import LocalServer, ensure_model
from llmx.models import Usage
from llmx.model.runtime import open_cache
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent


async def _extract(paths: list[Path], settings: Settings, cache):
    client = ModelClient(settings, cache)
    try:
        return await asyncio.gather(*(extract_source(load_source(p), client) for p in paths))
    finally:
        await client.close()


def setups(llama_server: str | None, model: Path, threads: int, ctx: int,
           slot_counts=(1, 2)) -> list[tuple[str, list[str] | None, int]]:
    out: list[tuple[str, list[str] | None, int]] = [("llama-cpp-python", None, 1)]
    if llama_server:
        for slots in slot_counts:
            command = [llama_server, "-m", str(model), "--host", "127.0.0.1", "--port", "{port}",
                       "-t", str(threads), "-c", str(ctx * slots), "-np", str(slots),
                       "--alias", LOCAL_MODEL_ALIAS]
            out.append((f"llama-server -np {slots}", command, slots))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llama-server", help="path of llama.cpp's llama-server binary")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="run only the set-up whose name starts with this")
    parser.add_argument("--slots", type=int, nargs="+", default=[1, 2], help="llama-server slot counts to run")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "dev" / "gold",
                        help="gold folder to score against (eval/gold for the seeds)")
    parser.add_argument("paths", nargs="*", help="report files (default: the dev set)")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or sorted((ROOT / "eval" / "dev" / "docs").glob("*.txt"))
    gold = {k: v for k, v in load_gold_dir(args.gold).items() if k in {p.stem for p in paths}}
    model = ensure_model()
    for name, command, slots in setups(args.llama_server, model, args.threads, 8192, args.slots):
        if args.only and not name.startswith(args.only):
            continue
        server = LocalServer(model, threads=args.threads, command=command)
        with server:
            settings = Settings(model=LOCAL_MODEL_ALIAS, cache_dir=Path(tempfile.mkdtemp()), concurrency=slots,
                                ).with_endpoint(server.base_url)
            began = time.perf_counter()
            with open_cache(settings) as store:
                results = asyncio.run(_extract(paths, settings, store))
            wall = time.perf_counter() - began
        usage = Usage()
        for r in results:
            usage.add(r.usage)
        n = sum(len(r.indicators) for r in results)
        named = ""
        if gold:
            preds = {p.stem: r for p, r in zip(paths, results)}
            texts = {p.stem: p.read_text(encoding="utf-8") for p in paths if p.stem in gold}
            score = score_all(gold, preds, texts)
            named = (f"; named F1 {score.f1:.3f}, located F1 {score.located[2]:.3f}, "
                     f"kind {score.kind_acc:.3f}, period {score.period_acc:.3f}")
        print(f"{name}: wall {wall:.1f} s; {usage.calls} calls, {usage.reasks} re-asks; "
              f"{usage.completion_tokens} generated tokens for {n} indicators "
              f"({usage.completion_tokens / max(n, 1):.1f} each){named}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
