"""Code that tests/test_ray.py runs inside Ray's worker processes (tests/ is on their
PYTHONPATH), and the processes of this test run's Ray instance."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

__all__ = ["fake_node_server", "map_workers", "seeds_cassette", "setup_worker"]


def seeds_cassette():
    """cassettes/seeds.yaml (recorded from the embedded model) replayed as `replay("seeds")`
    replays it, as a context manager; a request it does not hold fails as a connection error."""
    import vcr

    from conftest import CASSETTES, NOISY_HEADERS, _json_body

    recorder = vcr.VCR(record_mode="none", filter_headers=NOISY_HEADERS, match_on=["method", "path", "json_body"],
                       decode_compressed_response=True)
    recorder.register_matcher("json_body", _json_body)
    return recorder.use_cassette(str(CASSETTES / "seeds.yaml"), allow_playback_repeats=True)


def setup_worker() -> None:
    """The `worker_process_setup_hook` of the tests' Ray instance: a worker process whose
    environment has `LLMX_TEST_REPLAY=seeds` (a `runtime_env` of the workers) replays
    cassettes/seeds.yaml for the rest of its life (vcrpy patches only the process it runs in)."""
    if os.environ.get("LLMX_TEST_REPLAY") == "seeds":
        context = seeds_cassette()
        context.__enter__()
        _KEPT.append(context)  # collected, it would close its patches again


_KEPT: list = []


@contextmanager
def fake_node_server(log_dir: str, settings):
    """Stands in for `llmx.model.local.endpoint` on a node: the fake endpoint in this (the node
    actor's) process; each start and stop leaves a file in `log_dir`."""
    from fakeserver import FakeServer
    from llmx.model.local import on_demand_settings

    with FakeServer() as server:
        Path(log_dir, f"start-{os.getpid()}-{time.time_ns()}").write_text(server.base_url)
        try:
            yield replace(on_demand_settings(settings), base_url=server.base_url)
        finally:
            Path(log_dir, f"stop-{os.getpid()}-{time.time_ns()}").write_text(server.base_url)


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def map_workers() -> list[int]:
    """The pids of the Ray Data workers (`ray::MapWorker…`) that descend from this process:
    the Ray instance this test run started, no other."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if not title.startswith(b"ray::MapWorker"):
            continue
        pid = ancestor = int(entry.name)
        while ancestor > 1 and ancestor != me:
            ancestor = _parent(ancestor)
        if ancestor == me:
            found.append(pid)
    return found
