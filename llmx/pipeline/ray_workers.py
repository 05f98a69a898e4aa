"""What runs on the Ray cluster for `llmx.pipeline.ray_batch`: the report workers, the embedded
model server of each node, and the cluster's token budget.

These are plain classes; `llmx.pipeline.ray_batch` makes them Ray actors, and Ray is imported
only inside the methods that need it, so `import llmx.pipeline.ray_workers` does not import Ray.

    ReportWorker   a Ray Data worker: each row (one report) goes through llmx's own
                   per-report step (`llmx.pipeline.batch.extract_report`, the local batch's),
                   on one event loop and one `ModelClient` per worker process
    NodeServer     the embedded model of one node, shared by the workers there:
                   started by the first call the cache cannot answer, once, and
                   stopped by the driver at the end
    TokenBudget    the token budget of the whole run: every call reserves its
                   estimate before it is made and settles what it spent after
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .batch import extract_report, model_extractor, rule_extractor
from ..model.client import ModelClient
from ..config import Settings
from ..errors import BudgetExceededError, LlmxError
from ..model.local import OnDemand, on_demand_settings
from ..outputs.output import dump_line
from ..model.runtime import open_cache

__all__ = ["NodeServer", "ReportWorker", "TokenBudget", "WorkerPlan", "server_name"]

log = logging.getLogger("llmx")


def server_name(run_id: str, node_id: str) -> str:
    """The Ray actor name of the embedded model server of `node_id` in run `run_id`."""
    return f"llmx-{run_id}-server-{node_id}"


@dataclass(frozen=True)
class WorkerPlan:
    """What every worker of one run needs.

    `settings` are the run's (the driver's); the worker's client takes `concurrency`
    calls in flight (its share of the global limit) and no `token_budget` of its own:
    `budget`, an actor handle of `TokenBudget`, holds the run's. `embedded` means no
    endpoint: the worker's calls go to its node's `NodeServer`, made by `serve`.
    """

    settings: Settings
    concurrency: int
    run_id: str
    cwd: str
    no_model: bool = False
    embedded: bool = False
    budget: Any = None
    serve: Callable[..., Any] | None = None


class TokenBudget:
    """The run's token budget, shared by every worker (a Ray actor: one call at a time).

    A reservation the budget cannot hold stops the run: that call and every later one
    are refused, so no report starts a call once the budget is spent. A worker killed
    with a reservation keeps it held, which only makes the budget stop sooner.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0
        self.held = 0
        self.stopped: str | None = None

    def reserve(self, tokens: int) -> str | None:
        """Hold `tokens` for a call; None when granted, else why not."""
        if self.stopped is None and self.spent + self.held + tokens > self.limit:
            self.stopped = (f"token budget {self.limit} reached across the cluster: {self.spent} spent, "
                            f"{self.held} held by calls in flight, the next call may need {tokens}")
        if self.stopped is not None:
            return self.stopped
        self.held += tokens
        return None

    def settle(self, reserved: int, spent: int) -> None:
        """A call is over: give back its reservation, charge what it spent."""
        self.held -= reserved
        self.spent += spent

    def total(self) -> int:
        return self.spent


class _ActorBudget:
    """A `llmx.model.client.SharedBudget` backed by a `TokenBudget` actor."""

    def __init__(self, actor: Any) -> None:
        self._actor = actor

    async def reserve(self, tokens: int) -> None:
        why = await self._actor.reserve.remote(tokens)
        if why is not None:
            raise BudgetExceededError(why)

    async def settle(self, reserved: int, spent: int) -> None:
        await self._actor.settle.remote(reserved, spent)


class NodeServer:
    """The embedded model of one node (a Ray actor pinned there, one call at a time):
    `start` starts it the first time and returns the settings that point at it."""

    def __init__(self, settings: Settings, serve: Callable[..., Any] | None = None) -> None:
        self._model = OnDemand(settings, serve)

    def start(self) -> Settings:
        return self._model.start()

    def stop(self) -> bool:
        """Stop the server if it was started; whether it was."""
        started = self._model.started
        self._model.close()
        return started


class _Warnings(logging.Handler):
    """llmx's warnings in this worker process, kept until a row takes them to the driver."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._kept_lock = threading.Lock()
        self._kept: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with self._kept_lock:
            self._kept.append(record.getMessage())

    def take(self) -> str:
        with self._kept_lock:
            kept, self._kept = self._kept, []
        return "\n".join(" ".join(w.split()) for w in kept)


class ReportWorker:
    """A Ray Data worker: a batch of rows `i, path, why` (why: the path could not be
    looked at, from `llmx.pipeline.batch.scan_inputs`) in, rows `i, line, stopped, warnings` out.

    `line` is the report's JSONL line (`llmx.outputs.output.dump_line`) or empty when the token
    budget stopped it (`stopped` says why). Several batches run at once on one event
    loop (a thread of this process) with one client, as a local batch runs its files.
    """

    def __init__(self, plan: WorkerPlan) -> None:
        if plan.cwd != os.getcwd() and os.path.isdir(plan.cwd):
            os.chdir(plan.cwd)  # relative report paths mean what they meant to the driver
        self._plan = plan
        self._warnings = _Warnings()
        log.addHandler(self._warnings)
        self._exit = contextlib.ExitStack()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="llmx-worker-loop", daemon=True).start()
        self._client: ModelClient | None = None
        self._server: Any = None
        if plan.no_model:
            self._extract = rule_extractor(plan.settings.section_chars)
            return
        settings = replace(plan.settings, concurrency=plan.concurrency, token_budget=None)
        if plan.embedded:
            settings = on_demand_settings(settings)
        try:
            cache = self._exit.enter_context(open_cache(settings))
        except LlmxError as exc:  # this node's cache cannot be used: the calls are made anyway
            log.warning("%s; going on without the answer cache on this node", exc)
            cache = None
        budget = _ActorBudget(plan.budget) if plan.budget is not None else None
        start = self._start_node_server if plan.embedded else None
        self._client = ModelClient(settings, cache, start=start, budget=budget)
        self._extract = model_extractor(self._client)

    def _start_node_server(self) -> Settings:
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        node = ray.get_runtime_context().get_node_id()
        # The driver made it; on a node that joined later, the first worker there makes it. The
        # handle is kept: a Ray actor lives as long as someone holds one.
        self._server = ray.remote(NodeServer).options(
            name=server_name(self._plan.run_id, node), get_if_exists=True, num_cpus=0, max_concurrency=1,
            scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False),
        ).remote(self._plan.settings, self._plan.serve)
        return ray.get(self._server.start.remote())

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows = [(int(i), str(p), str(why)) for i, p, why in zip(batch["i"], batch["path"], batch["why"])]
        done = asyncio.run_coroutine_threadsafe(self._run(rows), self._loop).result()
        return {
            "i": [i for i, _, _ in rows],
            "line": [line for line, _ in done],
            "stopped": [stopped for _, stopped in done],
            "warnings": [self._warnings.take()] + [""] * (len(rows) - 1),
        }

    async def _run(self, rows: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
        async def one(path: str, why: str) -> tuple[str, str]:
            try:
                result = await extract_report(Path(path), self._extract, {path: why} if why else {})
            except BudgetExceededError as exc:
                return "", str(exc)
            return dump_line(result), ""

        return list(await asyncio.gather(*(one(p, why) for _, p, why in rows)))

    def __del__(self) -> None:
        try:
            if self._client is not None:
                asyncio.run_coroutine_threadsafe(self._client.close(), self._loop).result(timeout=5)
            self._exit.close()
        except Exception:  # noqa: BLE001 - the process is going away
            pass
