"""Batches on a Ray cluster: `llmx extract PATHS… --ray [ADDRESS]` and `extract_files_ray`.

    from llmx.pipeline.ray_batch import extract_files_ray
    results = extract_files_ray(["reports/"], output="out.jsonl", address="auto")

The reports still to do become a Ray Dataset (Ray Data), one row per report. A pool
of `ReportWorker` actors (`llmx.pipeline.ray_workers`) runs each row through llmx's own
per-report step (`llmx.pipeline.batch.extract_report`, as the local batch does) and sends the
report's JSONL line back. The driver (this process) owns the output: it holds its
lock, appends and fsyncs each line as it arrives, and at the end rewrites it in input
order, as `llmx.pipeline.batch.run_batch` does, so the output, the resume state and the summary
line are the local batch's.

The model, and the one global limit on calls in flight:
  - an endpoint (`base_url`): `workers` actors (default: `concurrency` or the CPUs of
    the cluster, whichever is fewer), each with `concurrency // workers` calls in flight
    and twice that many reports. The pool is sized, not gated: no actor round trip per
    call, and no slot to leak when a worker dies (Ray Data restarts it in its place);
  - no endpoint: each node runs one embedded model server (`NodeServer`, an actor
    pinned to the node, started by the first call the cache cannot answer, stopped at
    the end), shared by the workers on that node; one worker per node by default, each
    sized to take the node's CPUs (llama.cpp uses them all), with one call in flight.

Resumable: the reports already in the output with the same content are skipped. A
report that fails is recorded with its error. A worker killed mid-run is restarted by
Ray and its reports are run again (from the node's answer cache when they had got that
far). A token budget is one `TokenBudget` actor: every call reserves its estimate
first, and once one is refused the run stops, leaving the rest for a re-run.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..api import batch_arguments, settings_of
from .batch import BatchSummary, resume_plan, scan_inputs, tally, with_unrun
from ..config import Settings
from ..errors import ClusterError, ConfigError, LlmxError
from ..model.local import local_slots
from ..models import ReportResult
from ..outputs.output import BatchOutput
from .ray_workers import NodeServer, ReportWorker, TokenBudget, WorkerPlan, server_name
from ..model.runtime import open_cache

__all__ = ["INSTALL_HINT", "RayOptions", "extract_files_ray", "run_ray_batch"]

INSTALL_HINT = "pip install 'llmx[ray]'"
log = logging.getLogger("llmx")


@dataclass(frozen=True)
class RayOptions:
    """How a batch runs on Ray; checked when built (`ConfigError`).

    `address`: None for `ray.init()`'s own choice (`RAY_ADDRESS`, else a cluster started
    on this machine with `ray start`, else a new local instance), or `auto`, `HOST:PORT`,
    `ray://HOST:PORT`. When Ray is already initialised in this process, that is used.
    `workers`: the size of the worker pool (see the module docstring for the default).
    `remote_args`: more Ray options for the workers (`runtime_env`, `resources`, …).
    `serve`: with no endpoint, how each node serves the model: a context manager
    factory `serve(settings)` yielding the settings that point at the server
    (default `llmx.model.local.endpoint`, llama.cpp's server on 127.0.0.1).
    """

    address: str | None = None
    workers: int | None = None
    remote_args: Mapping[str, Any] = field(default_factory=dict)
    serve: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        if self.address is not None and (not isinstance(self.address, str) or not self.address.strip()):
            raise ConfigError(f"invalid Ray address {self.address!r}: None, auto, HOST:PORT or ray://HOST:PORT")
        if self.workers is not None and (isinstance(self.workers, bool) or not isinstance(self.workers, int)
                                         or self.workers < 1):
            raise ConfigError(f"invalid setting workers={self.workers!r}: it must be a whole number, at least 1")
        if not isinstance(self.remote_args, Mapping):
            raise ConfigError(f"remote_args must be a mapping of Ray options, got {type(self.remote_args).__name__}")


def extract_files_ray(
    paths: object, settings: Settings | None = None, output: object = None, *, address: str | None = None,
    workers: int | None = None, no_model: bool = False, remote_args: Mapping[str, Any] | None = None,
    serve: Callable[..., Any] | None = None,
) -> list[ReportResult]:
    """`llmx.aextract_files` on a Ray cluster: one result per report, in input order.

    A directory stands for its .txt files; the workers read the reports at the paths
    given, so on a cluster they must be on a filesystem every node mounts at the same
    place (relative paths are taken from this process's working directory). A report
    that fails comes back with `ok == False` and its `error`; with `output`, results
    are written there as they arrive and a second call skips the reports done there.
    `no_model`: the regex-only pipeline. The other arguments are `RayOptions`'.
    Raises `ClusterError` when Ray is missing or no cluster answers at `address`.
    """
    inputs, out = batch_arguments(paths, output)
    settings = settings_of(settings)
    options = RayOptions(address=address, workers=workers, remote_args=dict(remote_args or {}), serve=serve)
    scan = scan_inputs(inputs)
    if not scan.paths:
        return []
    results, summary = run_ray_batch(scan.paths, settings, out, options=options, no_model=no_model,
                                     unreadable=scan.unreadable)
    return with_unrun(scan.paths, results, summary.stopped)


def run_ray_batch(
    paths: list[Path], settings: Settings, output: Union[BatchOutput, Path, None] = None, *,
    options: RayOptions | None = None, no_model: bool = False, unreadable: Mapping[str, str] | None = None,
    on_result: Callable[[ReportResult], None] | None = None,
) -> tuple[list[ReportResult], BatchSummary]:
    """`llmx.pipeline.batch.run_batch` on Ray: the results in input order and the summary.

    `output` (a `BatchOutput`, or a path for JSONL) is locked for the batch and written
    by this process alone; `on_result` hears of each report as it comes back.
    """
    ray = _import_ray()
    options = options or RayOptions()
    unreadable = dict(unreadable or {})
    if isinstance(output, (str, Path)):
        output = BatchOutput(output)
    began = time.perf_counter()
    summary = BatchSummary(model=not no_model)
    with output if output is not None else contextlib.nullcontext():
        results, todo = resume_plan(paths, output.begin() if output is not None else {}, unreadable)
        summary.skipped = len(results)

        def arrived(row: Mapping[str, Any]) -> None:
            for warning in filter(None, str(row["warnings"]).split("\n")):
                log.warning("%s", warning)
            if row["stopped"]:
                summary.stopped = summary.stopped or str(row["stopped"])
                return
            result = ReportResult.model_validate_json(row["line"])
            results[int(row["i"])] = result
            if output is not None:
                output.record(result)  # OutputError ends the batch
            if on_result is not None:
                on_result(result)

        try:
            if todo:
                if not no_model:
                    with open_cache(settings):  # an unusable --cache-dir fails here, as a local batch does
                        pass
                with _cluster(ray, options.address):
                    _run_on_ray(ray, todo, settings, options, no_model, unreadable, arrived)
        finally:
            if output is not None:
                output.close()
        ordered = [results[i] for i in sorted(results)]
        tally(summary, ordered)
        if output is not None:
            output.finish(ordered)
    summary.seconds = time.perf_counter() - began
    return ordered, summary


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data comes with the `data` extra of ray
    except ImportError as exc:
        raise ClusterError(f"Ray (with Ray Data) is not installed ({exc}): {INSTALL_HINT}") from None
    return ray


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"


@contextlib.contextmanager
def _cluster(ray: Any, address: str | None) -> Iterator[None]:
    """Ray initialised for the run (connected or started here, and shut down after), or
    as it already is in this process (left as it is)."""
    context = ray.data.DataContext.get_current()
    bars, context.enable_progress_bars = context.enable_progress_bars, False  # llmx's own bar counts reports
    # Ray Data's lines on the console (its plan, "finished in…"): its log file keeps them.
    console = [h for h in logging.getLogger("ray.data").handlers if not isinstance(h, logging.FileHandler)]
    levels = [h.level for h in console]
    for handler in console:
        handler.setLevel(logging.ERROR)
    try:
        if ray.is_initialized():
            yield
            return
        try:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
        except Exception as exc:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError…
            where = f"at {address}" if address else "(ray.init() with no address)"
            raise ClusterError(f"cannot start or reach a Ray cluster {where}: {_one_line(exc)}") from None
        try:
            yield
        finally:
            ray.shutdown()
    finally:
        context.enable_progress_bars = bars
        for handler, level in zip(console, levels):
            handler.setLevel(level)


def _nodes(ray: Any) -> list[dict]:
    """The alive nodes with at least one CPU."""
    return [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1]


def _pool(ray: Any, settings: Settings, options: RayOptions, no_model: bool) -> tuple[int, int, float]:
    """(workers, calls in flight per worker, CPUs per worker)."""
    nodes = _nodes(ray)
    if not nodes:
        raise ClusterError("the Ray cluster has no alive node with a CPU to run workers on")
    cpus = sum(n["Resources"]["CPU"] for n in nodes)
    if no_model:
        workers = options.workers or int(cpus)
        return workers, 1, min(1.0, cpus / workers)
    if settings.base_url is None:  # one embedded model per node: spread the workers, a node's CPUs each
        workers = options.workers or len(nodes)
        per_node = math.ceil(workers / len(nodes))
        return workers, local_slots(), min(n["Resources"]["CPU"] for n in nodes) / per_node
    workers = options.workers or min(settings.concurrency, int(cpus))
    if workers > settings.concurrency:
        raise ConfigError(f"{workers} Ray workers but concurrency {settings.concurrency}: each worker makes at "
                          "least one call at a time; raise --concurrency or lower --ray-workers")
    return workers, settings.concurrency // workers, min(1.0, cpus / workers)


def _run_on_ray(ray, todo, settings, options, no_model, unreadable, arrived) -> None:
    workers, concurrency, cpus = _pool(ray, settings, options, no_model)
    embedded = not no_model and settings.base_url is None
    run_id = uuid.uuid4().hex[:12]
    budget = None
    if not no_model and settings.token_budget is not None:
        budget = ray.remote(TokenBudget).options(num_cpus=0).remote(settings.token_budget)
    plan = WorkerPlan(settings=settings, concurrency=concurrency, run_id=run_id, cwd=os.getcwd(),
                      no_model=no_model, embedded=embedded, budget=budget, serve=options.serve)
    servers = _make_node_servers(ray, plan) if embedded else []  # held: an actor lives while a handle does
    in_flight = max(2, 2 * concurrency)  # reports per worker, as a local batch keeps files in flight
    rows = [{"i": i, "path": str(p), "why": unreadable.get(str(p), "")} for i, p in todo]
    try:
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            ReportWorker, fn_constructor_kwargs={"plan": plan}, batch_size=1, num_cpus=cpus,
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=in_flight,
                                               max_concurrent_calls_per_actor=in_flight,
                                               enable_true_multi_threading=True),
            **dict(options.remote_args),
        )
        for row in dataset.iter_rows():
            arrived(row)
    except LlmxError:
        raise
    except Exception as exc:  # noqa: BLE001 - a Ray failure, in one line (KeyboardInterrupt passes)
        raise ClusterError(f"the Ray run failed: {_one_line(exc)}; the reports done are kept, "
                           "and the same command resumes") from exc
    finally:
        if embedded:
            _stop_node_servers(ray, run_id)
            del servers
        if budget is not None:
            ray.kill(budget)


def _make_node_servers(ray: Any, plan: WorkerPlan) -> list[Any]:
    """One `NodeServer` actor on each node (the server itself starts on demand); their handles."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    server = ray.remote(NodeServer)
    return [
        server.options(
            name=server_name(plan.run_id, node["NodeID"]), get_if_exists=True, num_cpus=0, max_concurrency=1,
            scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False),
        ).remote(plan.settings, plan.serve)
        for node in _nodes(ray)
    ]


def _stop_node_servers(ray: Any, run_id: str) -> None:
    for node in ray.nodes():
        try:
            actor = ray.get_actor(server_name(run_id, node["NodeID"]))
        except ValueError:  # none on that node
            continue
        try:
            ray.get(actor.stop.remote(), timeout=60)
        except Exception as exc:  # noqa: BLE001 - the node or the actor is gone: nothing left to stop there
            log.warning("the model server on Ray node %s did not stop cleanly: %s", node["NodeID"], _one_line(exc))
        ray.kill(actor)
