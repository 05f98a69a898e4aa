"""Batches on Ray (`llmx extract --ray`, `llmx.pipeline.ray_batch`) against a local Ray instance
(`ray.init(num_cpus=2)`, one for the module), the replayed cassettes and the fake endpoint
(tests/fakeserver.py: synthetic answers, echoes of llmx's own figure list, never scored).

What must hold: a Ray run writes what a local run writes (the same bytes, but for each
report's wall time `seconds`), in input order; a worker killed mid-run loses nothing;
a killed run resumes; a failed report is recorded and the run goes on; a token budget
holds across the workers; the answer cache serves a second run on the node.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeserver import FakeServer, request_kind
from llmx.pipeline.batch import collect_paths, run_batch
from llmx.model.client import ModelClient
from llmx.cli import main
from llmx.config import Settings
from llmx.models import ReportResult

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HAVE_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="Ray is not installed (pip install 'llmx[ray]'): no Ray tests")
SECONDS = re.compile(rb'"seconds":[0-9.eE+-]+')


def without_seconds(data: bytes) -> bytes:
    """JSONL bytes with each report's wall time set to 0: the one field two runs differ in."""
    return SECONDS.sub(b'"seconds":0', data)


def fake_settings(server: FakeServer, **overrides) -> Settings:
    base = dict(base_url=server.base_url, model="fake", cache_dir=None, timeout=10.0, max_retries=1, concurrency=4)
    base.update(overrides)
    return Settings(**base)


def local_run(paths, settings: Settings, output: Path):
    async def go():
        client = ModelClient(settings)
        try:
            return await run_batch(paths, client, output)
        finally:
            await client.close()

    return asyncio.run(go())


def copies(folder: Path, n: int) -> list[Path]:
    """`n` copies of the seeds, each made distinct by a first line (so no two requests repeat)."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{seed.stem}-{k}.txt").write_text(f"副本{k}\n" + seed.read_text(encoding="utf-8"),
                                                        encoding="utf-8")
    return collect_paths([folder])


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- without Ray ----------------------------------------------------------------------


def test_the_core_does_not_import_ray():
    code = ("import sys, llmx, llmx.cli, llmx.pipeline.batch, llmx.pipeline.ray_batch, llmx.pipeline.ray_workers; "
            "print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_ray_the_command_says_how_to_install_it_in_one_line(tmp_path):
    code = ("import sys; sys.modules['ray'] = None; from llmx.cli import main; "
            f"main(['extract', {str(SEEDS / 'putuo-2022-plan.txt')!r}, '--no-model', '--ray'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("llmx: error: Ray (with Ray Data) is not installed")
    assert "pip install 'llmx[ray]'" in out.stderr


def test_ray_options_are_checked_and_the_address_is_not_a_path(tmp_path):
    from llmx.errors import ConfigError
    from llmx.pipeline.ray_batch import RayOptions

    with pytest.raises(ConfigError, match="workers=0"):
        RayOptions(workers=0)
    result = cli("extract", "--ray", str(SEEDS), str(SEEDS / "putuo-2022-plan.txt"), "--no-model")
    assert result.exit_code == 2 and "put --ray after the paths" in result.output
    result = cli("extract", str(SEEDS), "--ray-workers", "2", "--no-model")
    assert result.exit_code == 2 and "--ray-workers needs --ray" in result.output


# -- on a local Ray instance ----------------------------------------------------------


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray instance for the module; its workers import this checkout and tests/."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed (pip install 'llmx[ray]')")
    import logging

    import ray

    path = os.pathsep.join([str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    ray.init(num_cpus=2, logging_level=logging.ERROR, log_to_driver=False, include_dashboard=False,
             runtime_env={"env_vars": {"PYTHONPATH": path}, "worker_process_setup_hook": "rayhelpers.setup_worker"})
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@needs_ray
def test_the_seeds_on_ray_equal_the_local_run_byte_for_byte_replaying_the_cassettes(
        ray_cluster, seed_paths, model_settings, tmp_path):
    from rayhelpers import seeds_cassette

    from llmx.pipeline.ray_batch import extract_files_ray

    # No retries: a request the cassette lacks (a stale cassette) fails at once.
    settings = replace(model_settings, max_retries=0)
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    with seeds_cassette():
        local_results, _ = local_run(seed_paths, settings, local)
    # Each worker process replays the cassette itself: vcrpy patches only the process it runs in.
    hook = {"runtime_env": {"env_vars": {"LLMX_TEST_REPLAY": "seeds"}}}  # see rayhelpers.setup_worker
    results = extract_files_ray(seed_paths, settings, on_ray, remote_args=hook)
    assert [r.path for r in results] == [str(p) for p in seed_paths]
    assert [r.ok for r in results] == [True] * len(seed_paths) and all(r.ok for r in local_results)
    mine, theirs = without_seconds(on_ray.read_bytes()), without_seconds(local.read_bytes())
    assert sorted(mine.splitlines()) == sorted(theirs.splitlines())
    assert mine == theirs  # and in the same (input) order


@needs_ray
def test_the_command_on_ray_writes_and_sums_up_as_the_local_one(ray_cluster, tmp_path):
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    with FakeServer() as server:
        args = [str(SEEDS), "--base-url", server.base_url, "--model", "fake", "--no-cache", "-c", "4"]
        first = cli("extract", *args, "-o", str(local))
        second = cli("extract", *args, "-o", str(on_ray), "--ray", "--ray-workers", "2")
    assert first.exit_code == second.exit_code == 0, second.output
    assert without_seconds(on_ray.read_bytes()) == without_seconds(local.read_bytes())

    def summary(output: str) -> str:
        line = next(x for x in output.splitlines() if x.startswith("llmx: 5 reports"))
        return re.sub(r"; [0-9.]+ s$", "", line)

    assert summary(second.output) == summary(first.output)
    lines = [json.loads(x) for x in local.read_text(encoding="utf-8").splitlines()]
    rejected = sum(1 for r in lines for x in r["rejected"] if x.get("start") is not None)
    totals = (f"{sum(len(r['indicators']) for r in lines)} indicators, {rejected} rejected, 0 uncovered, "
              f"{sum(len(r['excluded']) for r in lines)} excluded (of {sum(r['found'] for r in lines)} numbers found)")
    assert totals in summary(second.output)  # the sums of what was written


@needs_ray
def test_with_no_endpoint_each_node_runs_one_model_server_started_once_and_stopped(ray_cluster, tmp_path):
    from rayhelpers import fake_node_server

    from llmx.pipeline.ray_batch import extract_files_ray

    logs = tmp_path / "server-log"
    logs.mkdir()
    paths = copies(tmp_path / "in", 2)
    with FakeServer() as server:
        local_run(paths, fake_settings(server, concurrency=1), tmp_path / "local.jsonl")
    embedded = Settings(model="fake", cache_dir=None, timeout=10.0, max_retries=1)
    results = extract_files_ray(paths, embedded, tmp_path / "ray.jsonl", workers=2,
                                serve=functools.partial(fake_node_server, str(logs)))
    assert all(r.ok for r in results)
    assert len(list(logs.glob("start-*"))) == 1 and len(list(logs.glob("stop-*"))) == 1  # one node, one server
    assert without_seconds((tmp_path / "ray.jsonl").read_bytes()) == without_seconds(
        (tmp_path / "local.jsonl").read_bytes())


@needs_ray
def test_killing_a_worker_mid_run_loses_nothing(ray_cluster, tmp_path):
    from rayhelpers import map_workers

    from llmx.pipeline.ray_batch import extract_files_ray

    paths = copies(tmp_path / "in", 2)
    killed: list[int] = []

    def plan(n, body):  # the 25th section request: a worker is mid-report; kill one, once
        if request_kind(body) == "section" and n >= 25 and not killed:
            pids = map_workers()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
        return "ok"

    with FakeServer(latency=0.05) as server:
        local_run(paths, fake_settings(server), tmp_path / "local.jsonl")
        server.set_faults(plan)
        results = extract_files_ray(paths, fake_settings(server), tmp_path / "ray.jsonl", workers=2)
    assert killed, "no worker was killed"
    assert all(r.ok for r in results) and len(results) == len(paths)
    lines = (tmp_path / "ray.jsonl").read_bytes()
    assert lines.count(b"\n") == len(paths)  # each report once: none lost, none twice
    assert without_seconds(lines) == without_seconds((tmp_path / "local.jsonl").read_bytes())


@needs_ray
def test_a_run_killed_midway_resumes_and_completes_the_rest(ray_cluster, tmp_path):
    paths = copies(tmp_path / "in", 2)
    out = tmp_path / "ray.jsonl"
    with FakeServer(latency=0.2) as server:
        args = ["extract", str(tmp_path / "in"), "-o", str(out), "--base-url", server.base_url, "--model", "fake",
                "--no-cache", "-c", "2", f"--ray={ray_cluster}"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        driver = subprocess.Popen([sys.executable, "-m", "llmx", *args], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, start_new_session=True, env=env)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and driver.poll() is None:
                if out.is_file() and out.read_bytes().count(b"\n") >= 2:
                    break
                time.sleep(0.1)
            assert driver.poll() is None, driver.stderr.read().decode()
            os.killpg(driver.pid, signal.SIGKILL)  # the driver (and its children): kill -9 mid-run
        finally:
            driver.wait()
        before = [ReportResult.model_validate_json(x) for x in out.read_bytes().splitlines()]
        assert 2 <= len(before) < len(paths)
        again = cli(*args)
        server.latency = 0
        local_run(paths, fake_settings(server), tmp_path / "local.jsonl")
    assert again.exit_code == 0, again.output
    assert f"{len(paths)} reports ({len(before)} already done, 0 failed)" in again.output
    assert without_seconds(out.read_bytes()) == without_seconds((tmp_path / "local.jsonl").read_bytes())


@needs_ray
def test_a_failed_report_is_recorded_and_the_run_goes_on(ray_cluster, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    doomed = tmp_path / "doomed.txt"
    plan_text = (SEEDS / "putuo-2022-plan.txt").read_text(encoding="utf-8")  # the marker in every section call's text
    doomed.write_text(plan_text.replace("。", "。无法送达"), encoding="utf-8")  # (a head the rules read costs no call)
    good = SEEDS / "minhang-2024-summary.txt"

    def plan(n, body):  # every call about doomed.txt fails: the endpoint is down for it
        return "500" if "无法送达" in str(body) else "ok"

    out = tmp_path / "ray.jsonl"
    with FakeServer(faults=plan) as server:
        result = cli("extract", str(tmp_path / "nope.txt"), str(empty), str(doomed), str(good), "-o", str(out),
                     "--base-url", server.base_url, "--model", "fake", "--no-cache", "--ray", "--ray-workers", "2")
    assert result.exit_code == 1
    lines = [ReportResult.model_validate_json(x) for x in out.read_bytes().splitlines()]
    assert [r.ok for r in lines] == [False, False, False, True] and lines[3].indicators
    assert "no such file" in lines[0].error and "empty" in lines[1].error and "EndpointError" in lines[2].error
    for p in ("nope.txt", "empty.txt", "doomed.txt"):
        assert f"llmx: failed: {tmp_path / p}" in result.output


@needs_ray
def test_a_token_budget_holds_across_the_workers_and_a_rerun_goes_on(ray_cluster, tmp_path):
    from llmx.pipeline.ray_batch import run_ray_batch

    paths = copies(tmp_path / "in", 2)
    out = tmp_path / "ray.jsonl"
    with FakeServer(latency=0.05) as server:
        clean, whole = local_run(paths, fake_settings(server), tmp_path / "local.jsonl")
        budget = whole.usage.total_tokens // 3
        results, summary = run_ray_batch(paths, fake_settings(server, token_budget=budget), out)
        assert summary.stopped and "across the cluster" in summary.stopped
        assert 0 < len(results) < len(paths)
        assert sum(r.usage.total_tokens for r in results) <= budget
        results, summary = run_ray_batch(paths, fake_settings(server), out)
    assert summary.stopped is None and summary.skipped > 0 and len(results) == len(paths)
    assert without_seconds(out.read_bytes()) == without_seconds((tmp_path / "local.jsonl").read_bytes())


@needs_ray
def test_the_answer_cache_of_the_node_serves_a_second_run(ray_cluster, tmp_path):
    from llmx.pipeline.ray_batch import extract_files_ray

    paths = [SEEDS / "minhang-2024-summary.txt", SEEDS / "putuo-2022-plan.txt"]
    with FakeServer() as server:
        settings = fake_settings(server, cache_dir=tmp_path / "cache")
        first = extract_files_ray(paths, settings, tmp_path / "one.jsonl", workers=2)
        asked = server.requests
        second = extract_files_ray(paths, settings, tmp_path / "two.jsonl", workers=2)
    assert asked > 0 and server.requests == asked  # the second run asked nothing
    assert [r.usage.cache_hits for r in second] == [r.usage.calls for r in first]
    assert [r.indicators for r in second] == [r.indicators for r in first]


@needs_ray
def test_the_library_call_takes_directories_and_returns_results_in_input_order(ray_cluster, tmp_path):
    from llmx.pipeline.ray_batch import extract_files_ray

    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    results = extract_files_ray([folder], no_model=True, workers=2)
    assert [Path(r.path).name for r in results] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(r.ok and r.indicators for r in results)
